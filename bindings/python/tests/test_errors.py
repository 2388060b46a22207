"""One exception class per core error code, each with `.code`, `.message`, `.location`."""

from __future__ import annotations

import json
import pickle
import re
from typing import Any, Dict

import pytest

import jianfu
from conftest import ROOT

RULESETS = ROOT / "tests" / "rulesets"
ITEM = {"id": "x", "kind": "meeting", "title": "会议", "issuer": {"name": "市教育局", "kind": "education", "level": "city"}}


def expectation(path: Any) -> Dict[str, Any]:
    """The `# expect: code key=value …` header of a bad ruleset file."""
    header = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.match(r"#\s*expect:\s*(\S+)(.*)", header)
    assert match, f"{path.name}: no expect header"
    want: Dict[str, Any] = {"code": match.group(1)}
    for pair in match.group(2).split():
        key, value = pair.split("=", 1)
        want[key] = int(value) if key in ("line", "column") else value
    return want


@pytest.mark.parametrize("path", sorted((RULESETS / "bad").glob("*.toml")), ids=lambda p: p.name)
def test_bad_rulesets(path: Any) -> None:
    want = expectation(path)
    with pytest.raises(jianfu.JianfuError) as info:
        jianfu.Engine.from_path(path)
    error = info.value
    assert error.code == want.pop("code")
    assert isinstance(error, {"ruleset.syntax": jianfu.RulesetSyntaxError, "ruleset.invalid": jianfu.RulesetInvalidError}[error.code])
    for key, value in want.items():
        assert error.location.get(key) == value, (key, error.location)
    # The same text loaded from a string fails the same way.
    with pytest.raises(type(error)) as again:
        jianfu.Engine.from_string(path.read_text(encoding="utf-8"), name=path.name)
    assert again.value.location.get("line") == error.location.get("line")


def test_good_ruleset_and_layers() -> None:
    engine = jianfu.Engine.from_path(RULESETS / "good" / "dated-versions.toml")
    assert engine.rules()
    text = (RULESETS / "good" / "dated-versions.toml").read_text(encoding="utf-8")
    assert jianfu.Engine.from_string(text).ruleset["digest"] == jianfu.Engine.from_strings([("<string>", text)]).ruleset["digest"]
    embedded = jianfu.Engine()
    assert jianfu.Engine.from_strings(embedded.sources()).ruleset == embedded.ruleset


def test_lint_corpus() -> None:
    engine = jianfu.Engine.from_path(RULESETS / "lint" / "ruleset.toml")
    got = {(f["kind"], f["subject"]) for f in engine.lint()}
    for want in json.loads((RULESETS / "lint" / "expect.json").read_text(encoding="utf-8")):
        assert (want["kind"], want["subject"]) in got


def test_item_invalid(engine: jianfu.Engine) -> None:
    with pytest.raises(jianfu.ItemInvalidError) as info:
        engine.check('{"id": "x", "kind": "meeting"', "2026-03-02")
    assert info.value.code == "item.invalid" and info.value.location["source"] == "<item>"
    with pytest.raises(jianfu.ItemInvalidError) as info:
        engine.check({**ITEM, "approvals": [{"step": "secretariat_review", "on": "2026-02-30", "outcome": "approved"}]}, "2026-03-02")
    assert info.value.location["field"] == "approvals[0].on"
    assert isinstance(info.value, ValueError)
    with pytest.raises(jianfu.ItemInvalidError):
        engine.check(ITEM, "2026-03-02", register="{not json")
    with pytest.raises(jianfu.ItemInvalidError):
        engine.check_plan({"plan_id": 1}, "2026-03-02")


def test_row_invalid(engine: jianfu.Engine) -> None:
    schools = [{"school_id": "S1", "name": "一小", "county": "湖滨区", "urban_rural": "urban", "stage": "primary", "ownership": "public", "teachers": 10}]
    report = engine.score([{"school_id": "S2", "date": "2026-03-10", "kind": "meeting", "hours": 1}], schools, "2026-spring-1")
    (error,) = report.errors
    assert isinstance(error, jianfu.RowInvalidError) and error.code == "row.invalid"
    assert error.location["field"].endswith("school_id")


def test_date_invalid(engine: jianfu.Engine) -> None:
    with pytest.raises(jianfu.DateInvalidError) as info:
        engine.check(ITEM, "2026-13-01")
    assert info.value.code == "date.invalid" and "2026-13-01" in info.value.message
    assert info.value.location == {"field": "as_of"}
    with pytest.raises(jianfu.DateInvalidError):
        jianfu.review("text", as_of="tomorrow")
    with pytest.raises(TypeError):
        engine.check(ITEM, 20260301)


def test_unknown_rule(engine: jianfu.Engine) -> None:
    with pytest.raises(jianfu.UnknownRuleError) as info:
        engine.explain("NOPE-1")
    assert info.value.code == "rule.unknown" and "NOPE-1" in str(info.value)
    assert isinstance(info.value, LookupError)
    assert engine.explain("SMX2022-5")["rule"] == "SMX2022-5"


def test_unknown_period(engine: jianfu.Engine) -> None:
    with pytest.raises(jianfu.UnknownPeriodError) as info:
        engine.score([], [], "2099-spring-9")
    assert info.value.code == "period.unknown"


def test_io(tmp_path: Any) -> None:
    with pytest.raises(jianfu.JianfuIOError) as info:
        jianfu.Engine.from_path(tmp_path / "missing.toml")
    assert info.value.code == "io" and "missing.toml" in str(info.value)
    assert "cannot read" in info.value.message and info.value.location["source"].endswith("missing.toml")
    assert isinstance(info.value, OSError)


def test_errors_pickle_and_dict() -> None:
    error = jianfu.errors.from_data({"code": "item.invalid", "message": "m", "location": {"field": "kind"}})
    assert isinstance(error, jianfu.ItemInvalidError)
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is jianfu.ItemInvalidError and again.to_dict() == error.to_dict()
    unknown = jianfu.errors.from_data({"code": "future.code", "message": "m"})
    assert type(unknown) is jianfu.JianfuError and unknown.code == "future.code"


def _deep(n: int) -> Dict[str, Any]:
    value: Dict[str, Any] = {}
    for _ in range(n):
        value = {"x": value}
    return value


def test_deep_or_self_containing_values_are_refused_not_crashed(engine: jianfu.Engine) -> None:
    """A dict nested 10,000 deep, or one that contains itself, is an error naming the limit
    wherever a dict goes in: item fields, register, plan, score rows, tables."""
    loop: Dict[str, Any] = {"id": "x"}
    loop["self"] = loop
    deep_list: Any = []
    for _ in range(10_000):
        deep_list = [deep_list]
    calls = [
        lambda: engine.check({**ITEM, "materials": _deep(10_000)}, "2026-03-02"),
        lambda: engine.check({**ITEM, "targets": deep_list}, "2026-03-02"),
        lambda: engine.check(ITEM, "2026-03-02", {"items": [loop]}),
        lambda: engine.check_many([ITEM, loop], "2026-03-02"),
        lambda: engine.check_plan({"plan_id": "p", "entries": [_deep(10_000)]}, "2026-03-02"),
        lambda: engine.score([{"school_id": "S1", "extra": _deep(10_000)}], [loop], "2026-spring-1"),
        lambda: jianfu.Tables([loop], [loop]),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="nesting_depth_max"):
            call()
    # The engine still works.
    assert engine.check(ITEM, "2026-03-02").decision == "allowed"
