"""The API surface: results as typed objects, module-level helpers, pickling."""

from __future__ import annotations

import datetime
import json
import pickle
import threading
from typing import Any, Dict, Iterator

import pytest

import jianfu
from conftest import ROOT

ITEM = json.loads((ROOT / "examples" / "items" / "app-download-drive.json").read_text(encoding="utf-8"))


def test_verdict_attributes(engine: jianfu.Engine) -> None:
    v = engine.check(ITEM, "2026-03-02")
    d = v.to_dict()
    assert v.decision == d["decision"] == "prohibited"
    assert v.item == d["item"] and v.missing == d["missing"] and v.next_step == d["next_step"]
    assert v.as_of == "2026-03-02" and v.ruleset == engine.ruleset
    assert [f.rule for f in v.findings] == [f["rule"] for f in d["findings"]]
    f = v.findings[0]
    assert f.to_dict() == d["findings"][0] and f == d["findings"][0]
    assert f.message["zh"] and f.citation["document"] and isinstance(f.evidence, list) and f.remedy["en"]
    assert v["decision"] == "prohibited" and v == d and v != {"other": 1}
    assert json.loads(v.to_json()) == d
    assert engine.check(json.dumps(ITEM), datetime.date(2026, 3, 2)) == v
    assert jianfu.check(ITEM, as_of="2026-03-02") == v


def test_as_of_defaults_to_today(engine: jianfu.Engine) -> None:
    # As in the CLI: without as_of (or with None) the binding reads today's date; the core
    # never reads the clock.
    today = datetime.date.today()
    assert engine.check(ITEM) == engine.check(ITEM, today) == engine.check(ITEM, None)
    assert engine.check(ITEM).as_of == today.isoformat()
    assert jianfu.review("各校组织教师周六参加培训。").to_dict()["as_of"] == today.isoformat()
    assert engine.check_many([ITEM])[0] == engine.check(ITEM, today)


def test_review_many_reviews_each_draft_as_alone(engine: jianfu.Engine) -> None:
    drafts = [
        (ROOT / "examples" / "drafts" / name).read_text(encoding="utf-8")
        for name in ("county-notice.txt", "draft-notice.txt")
    ]
    drafts += ["", "请各校认真备课。", drafts[0] * 400]
    # A generator, and more drafts than one chunk holds (16 a thread).
    texts = drafts * 14
    reviews = engine.review_many((t for t in texts), "2026-03-02")
    assert len(reviews) == len(texts)
    for text, review in zip(texts, reviews):
        assert review == engine.review(text, "2026-03-02")
    one = jianfu.Engine(threads=1).review_many(drafts, "2026-03-02")
    assert [r.to_dict() for r in one] == [r.to_dict() for r in reviews[: len(drafts)]]
    assert reviews[0].findings and not reviews[2].findings
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        engine.review_many(["各校", 3])
    with pytest.raises(TypeError, match="not one str"):
        engine.review_many(drafts[0])


def test_verdict_repr_reads_as_python(engine: jianfu.Engine) -> None:
    batch = (ROOT / "examples" / "items" / "batch.jsonl").read_text(encoding="utf-8").splitlines()
    waiting, prohibited = engine.check_many([json.loads(batch[0]), json.loads(batch[1])], "2026-03-02")
    assert repr(waiting) == 'Verdict(item="B-001", decision="needs_approval", next_step="leader_review")'
    assert repr(prohibited) == 'Verdict(item="B-002", decision="prohibited", next_step=None)'


def test_review(engine: jianfu.Engine) -> None:
    text = (ROOT / "examples" / "drafts" / "draft-notice.txt").read_text(encoding="utf-8")
    r = jianfu.review(text, as_of="2026-03-02")
    assert r == engine.review(text, "2026-03-02")
    assert r.decision in ("prohibited", "incomplete", "needs_approval", "allowed")
    assert r.chars == len(text)
    assert [f.rule for f in r.findings] == [f["rule"] for f in r.to_dict()["findings"]]


def test_plan(engine: jianfu.Engine) -> None:
    plan = json.loads((ROOT / "examples" / "plans" / "smx-public-security-2026.json").read_text(encoding="utf-8"))
    report = engine.check_plan(plan, "2026-03-02")
    assert report.plan == plan["plan_id"] if "plan_id" in plan else report.plan
    assert [v.to_dict() for v in report.verdicts] == report.to_dict()["verdicts"]


def test_rules_and_lint(engine: jianfu.Engine) -> None:
    ids = {r["id"] for r in engine.rules()}
    assert {"NAT2022-2", "SMX2022-5"} <= ids
    assert isinstance(engine.lint(), list)


def test_engine_pickles_by_sources() -> None:
    engine = jianfu.Engine.from_path(ROOT / "tests" / "rulesets" / "good" / "dated-versions.toml")
    again = pickle.loads(pickle.dumps(engine))
    assert again.ruleset == engine.ruleset and again.sources() == engine.sources()
    default = pickle.loads(pickle.dumps(jianfu.default_engine()))
    assert default.check(ITEM, "2026-03-02") == jianfu.check(ITEM, "2026-03-02")


def test_threads_share_an_engine(engine: jianfu.Engine) -> None:
    want = engine.check(ITEM, "2026-03-02")
    results = []

    def work() -> None:
        results.extend(engine.check(ITEM, "2026-03-02") == want for _ in range(200))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 800 and all(results)


def test_typing_files_ship() -> None:
    package = ROOT / "bindings" / "python" / "jianfu"
    assert (package / "py.typed").exists() and (package / "_jianfu.pyi").exists()


def test_results_pickle(engine: jianfu.Engine) -> None:
    v = engine.check(ITEM, "2026-03-02")
    again = pickle.loads(pickle.dumps(v))
    assert type(again) is jianfu.Verdict and again == v and again.to_json() == v.to_json()
    assert again.decision == v.decision and again.missing == v.missing and again.next_step == v.next_step
    f = pickle.loads(pickle.dumps(v.findings[0]))
    assert f == v.findings[0]
    r = jianfu.review("各学校要组织教师下载APP并每日打卡。", as_of="2026-03-02")
    assert pickle.loads(pickle.dumps(r)) == r
    assert pickle.loads(pickle.dumps(r.findings[0])) == r.findings[0]
    assert jianfu.Verdict.from_json(v.to_json()) == v


def test_as_of_datetime(engine: jianfu.Engine) -> None:
    at = datetime.datetime(2026, 3, 2, 15, 30)
    assert engine.check(ITEM, at) == engine.check(ITEM, "2026-03-02")


def test_iter_check_pulls_items_a_chunk_at_a_time(engine: jianfu.Engine) -> None:
    """`iter_check` reads its source lazily (one chunk of 4,096 per refill), gives the verdicts
    `check_many` gives, and raises for a bad item only after yielding the verdicts before it."""
    item = json.loads((ROOT / "examples" / "items" / "app-download-drive.json").read_text(encoding="utf-8"))
    pulled = 0

    def source() -> Iterator[Dict[str, Any]]:
        nonlocal pulled
        for i in range(10_000):
            pulled += 1
            yield dict(item, id=f"I-{i}")

    verdicts = engine.iter_check(source(), "2026-03-02")
    first = next(verdicts)
    assert pulled == 4096, "one chunk pulled, not the whole source"
    rest = list(verdicts)
    assert pulled == 10_000
    expected = engine.check_many([dict(item, id=f"I-{i}") for i in range(10_000)], "2026-03-02")
    assert [v.to_dict() for v in [first, *rest]] == [v.to_dict() for v in expected]

    bad = engine.iter_check([item, {"id": "bad"}, item], "2026-03-02")
    assert next(bad).decision == "prohibited"
    with pytest.raises(jianfu.ItemInvalidError) as info:
        next(bad)
    assert info.value.location["field"] == "[1].kind"
