"""The conformance corpus `tests/cases/*.json` through Python, with the same checks as
`crates/jianfu/tests/conformance.rs`: decision, the exact set of rules that fire, `missing`,
`next_step`, review clauses, plan verdicts, error codes and fields, and the coverage rule
(every item rule seen firing and seen applying without firing)."""

from __future__ import annotations

import datetime
import json
from typing import Any, Dict, Optional, Set, Tuple

import pytest

import jianfu
from conftest import CASES


def _set(value: Any) -> Set[str]:
    return {v for v in (value or []) if isinstance(v, str)}


def _finding(verdict: Dict[str, Any], rule: str) -> Dict[str, Any]:
    found = [f for f in verdict["findings"] if f["rule"] == rule]
    assert found, f"no finding of {rule}"
    return found[0]


def _check_evidence(expect: Dict[str, Any], verdict: Dict[str, Any]) -> None:
    """The optional `evidence` and `versions` expectations of an item case."""
    for want in expect.get("evidence", []):
        evidence = _finding(verdict, want["rule"])["evidence"]
        assert any(
            e["field"] == want["field"] and want["text"] in (e.get("text") or "") for e in evidence
        ), f"evidence: {want} not in {evidence}"
    if "advisory" in expect:
        got = {f["rule"] for f in verdict["findings"] if f.get("advisory")}
        assert got == _set(expect["advisory"]), "advisory"
    for rule, want in expect.get("versions", {}).items():
        got = _finding(verdict, rule)["version"]
        for key, value in want.items():
            assert got.get(key) == value, f"versions.{rule}.{key}"


def run_case(engine: jianfu.Engine, case: Dict[str, Any]) -> Tuple[Set[str], Optional[Tuple[str, str]]]:
    """Runs one case; asserts its expectations; returns (rules fired, (kind, as_of) for items)."""
    expect = case["expect"]
    as_of = case.get("as_of", "2026-03-02")
    register = case.get("register")
    if "item" in case:
        verdict = engine.check(case["item"], as_of, register)
        fired = {f.rule for f in verdict.findings}
        assert verdict.decision == expect["decision"], "decision"
        assert fired == _set(expect["rules"]), "rules"
        if "missing" in expect:
            assert set(verdict.missing) == _set(expect["missing"]), "missing"
        if "next_step" in expect:
            assert verdict.next_step == expect["next_step"], "next_step"
        _check_evidence(expect, verdict.to_dict())
        return fired, (case["item"]["kind"], as_of)
    if "review" in case:
        review = engine.review(case["review"], as_of)
        fired = {f.rule for f in review.findings}
        assert review.decision == expect["decision"], "decision"
        assert fired == _set(expect["rules"]), "rules"
        if "clauses" in expect:
            assert len(review.findings) == expect["clauses"], "clauses"
        return fired, None
    if "plan" in case:
        report = engine.check_plan(case["plan"], as_of, register)
        assert report.decision == expect["decision"], "decision"
        fired: Set[str] = set()
        for want, got in zip(expect.get("verdicts", []), report.verdicts):
            assert got.item == want["item"], "verdicts[].item"
            assert got.decision == want["decision"], "verdicts[].decision"
            rules = {f.rule for f in got.findings}
            assert rules == _set(want["rules"]), "verdicts[].rules"
            fired |= rules
        return fired, None
    if "item_json" in case:
        with pytest.raises(jianfu.JianfuError) as info:
            engine.check(case["item_json"], as_of)
        assert info.value.code == expect["error"], "error"
        if "field" in expect:
            assert info.value.location.get("field", "") == expect["field"], "field"
        return set(), None
    raise AssertionError("a case needs `item`, `review`, `plan` or `item_json`")


_ENGINES: Dict[str, jianfu.Engine] = {}


def _engine_for(engine: jianfu.Engine, case: Dict[str, Any]) -> jianfu.Engine:
    """The default engine, or the engine of the jurisdiction the case names."""
    j = case.get("jurisdiction")
    if j is None:
        return engine
    if j not in _ENGINES:
        _ENGINES[j] = jianfu.Engine(jurisdiction=j)
    return _ENGINES[j]


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_case(engine: jianfu.Engine, case: Dict[str, Any]) -> None:
    run_case(_engine_for(engine, case), case)


def test_corpus_size() -> None:
    assert len(CASES) >= 80, f"the corpus needs at least 80 cases, has {len(CASES)}"


def _in_force(rule: Dict[str, Any], day: str) -> bool:
    window = rule["effective"]
    return window["from"] <= day and (window.get("to") is None or day < window["to"])


def test_every_item_rule_fires_and_stays_quiet(engine: jianfu.Engine) -> None:
    rules = [r for r in engine.rules() if r["scope"] == "item"]
    fired_somewhere: Set[str] = set()
    quiet_somewhere: Set[str] = set()
    for _, case in CASES:
        fired, kind_as_of = run_case(_engine_for(engine, case), case)
        fired_somewhere |= fired
        if kind_as_of:
            kind, as_of = kind_as_of
            day = datetime.date.fromisoformat(as_of).isoformat()
            for rule in rules:
                applies = (not rule["kinds"] or kind in rule["kinds"]) and _in_force(rule, day)
                if applies and rule["id"] not in fired:
                    quiet_somewhere.add(rule["id"])
    gaps = [f"{r['id']} never fires" for r in rules if r["id"] not in fired_somewhere]
    gaps += [f"{r['id']} never applies without firing" for r in rules if r["id"] not in quiet_somewhere]
    assert not gaps, "corpus coverage gaps:\n" + "\n".join(gaps)


def test_item_json_cases_match_core_error_json(engine: jianfu.Engine) -> None:
    """Errors carry the core's `{code, message, location}` unchanged for JSON text input."""
    for _, case in CASES:
        if "item_json" in case:
            with pytest.raises(jianfu.JianfuError) as info:
                engine.check(case["item_json"], "2026-03-02")
            data = info.value.to_dict()
            assert data["code"] == case["expect"]["error"]
            assert json.loads(json.dumps(data)) == data
