#!/usr/bin/env python3
"""How far two people labelling the same clauses agree, and where jianfu stands between them.

`tests/clauses/agreement/second-opinion.jsonl` relabels 320 clauses drawn at random from the
held-out test half. Its writer (a helper) had the same brief as the corpus writers — the
catalogue's rule table, never the lexicon — and never saw the first labels. This prints, over
those 320 clauses, the second labeller scored against the first (the ceiling a rule-by-rule
target can mean), jianfu against each, and both at the clause level (does the clause impose a
burden at all).

Usage: scripts/agreement.py [path/to/jianfu]   (default: target/release/jianfu)
"""
import json
import pathlib
import subprocess
import sys
import tempfile

root = pathlib.Path(__file__).resolve().parent.parent
clauses = root / "tests" / "clauses"
cli = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "target" / "release" / "jianfu"


def read(path: pathlib.Path) -> dict:
    return {c["id"]: c for c in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if c}


second = read(clauses / "agreement" / "second-opinion.jsonl")
first = {k: v for k, v in read(clauses / "test.jsonl").items() if k in second}
assert first.keys() == second.keys(), "the second opinion relabels clauses of the test half"


def review(cases: dict) -> dict:
    """jianfu's rules per clause, read back from `review --eval --format json` misses."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as f:
        for c in cases.values():
            f.write(json.dumps({"id": c["id"], "text": c["text"], "expect": c["expect"]}, ensure_ascii=False) + "\n")
    out = subprocess.run([str(cli), "review", f.name, "--eval", "--format", "json", "--as-of", "2026-03-02"],
                         capture_output=True, text=True, check=False)
    pathlib.Path(f.name).unlink()
    report = json.loads(out.stdout)
    got = {k: set(c["expect"]) for k, c in cases.items()}
    for miss in report["misses"]:
        got[miss["id"]] = set(miss["got"])
    return got


def score(name: str, ref: dict, hyp: dict) -> None:
    tp = sum(len(ref[k] & hyp[k]) for k in ref)
    fp = sum(len(hyp[k] - ref[k]) for k in ref)
    fn = sum(len(ref[k] - hyp[k]) for k in ref)
    ctp = sum(1 for k in ref if ref[k] and hyp[k])
    cfp = sum(1 for k in ref if not ref[k] and hyp[k])
    cfn = sum(1 for k in ref if ref[k] and not hyp[k])
    print(f"{name:<34} rules P {tp / (tp + fp):6.1%} R {tp / (tp + fn):6.1%}   "
          f"clauses P {ctp / (ctp + cfp):6.1%} R {ctp / (ctp + cfn):6.1%}")


a = {k: set(c["expect"]) for k, c in first.items()}
b = {k: set(c["expect"]) for k, c in second.items()}
j = review(first)
print(f"{len(a)} clauses of the test half; {sum(1 for v in a.values() if v)} imposing by the first labels")
score("second labeller vs first labels", a, b)
score("jianfu vs first labels", a, j)
score("jianfu vs second labels", b, j)
same = sum(1 for k in a if a[k] == b[k])
print(f"label sets identical: {same} of {len(a)}; imposing or not agreed: {sum(1 for k in a if bool(a[k]) == bool(b[k]))} of {len(a)}")
