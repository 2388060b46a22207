"""The published JSON Schemas (`schemas/*.schema.json`, made by `jianfu schema NAME` from the
Rust types) against what the core really reads and writes: every corpus item that reads is
valid under the item schema and every one the core refuses for its shape is not; every
verdict, review, plan report and score report the corpora produce is valid under its schema."""

from __future__ import annotations

import json
import pathlib
import subprocess
from typing import Any, Dict

import jsonschema
import pytest

import jianfu
from conftest import CASES, ROOT, SCORING

SCHEMAS = ROOT / "schemas"
NAMES = ["item", "verdict", "review", "plan", "score"]


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(name: str, value: Any) -> list:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(value)]


@pytest.mark.parametrize("name", NAMES)
def test_committed_schemas_are_what_the_cli_prints(cli: pathlib.Path, name: str) -> None:
    printed = subprocess.run([str(cli), "schema", name], capture_output=True, text=True, encoding="utf-8", check=True).stdout
    assert printed == (SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"), (
        f"schemas/{name}.schema.json is stale: jianfu schema {name} > schemas/{name}.schema.json"
    )


def test_corpus_items_and_verdicts_follow_their_schemas(engine: jianfu.Engine) -> None:
    checked = 0
    for case_id, case in CASES:
        if "item" not in case:
            continue
        expect: Dict[str, Any] = case.get("expect", {})
        item_errors = errors("item", case["item"])
        if "error" in expect:
            continue  # refused for a value (a date, an unknown rule) or a shape; see below
        assert not item_errors, (case_id, item_errors)
        verdict = engine.check(case["item"], case.get("as_of", "2026-03-02"), case.get("register"))
        assert not errors("verdict", verdict.to_dict()), (case_id, errors("verdict", verdict.to_dict()))
        assert verdict.to_dict()["format_version"] == 1
        checked += 1
    assert checked >= 150


def test_the_item_schema_refuses_what_the_readers_refuse() -> None:
    item = {"id": "x", "kind": "进校园", "title": "反诈APP进校园", "issuer": {"name": "某县公安局", "kind": "其他部门", "level": "县级"}}
    assert not errors("item", item)  # Chinese names read as codes
    assert errors("item", {**item, "kind": "party"})
    assert errors("item", {**item, "colour": "red"})  # unknown fields are refused
    assert errors("item", {key: value for key, value in item.items() if key != "title"})


def test_reviews_plans_and_scores_follow_their_schemas(engine: jianfu.Engine) -> None:
    for draft in sorted((ROOT / "examples" / "drafts").glob("*.txt")):
        review = engine.review(draft.read_text(encoding="utf-8"), "2026-03-02").to_dict()
        assert review["findings"] and not errors("review", review), errors("review", review)
    for case_id, case in CASES:
        if "review" in case:
            review = engine.review(case["review"], case.get("as_of", "2026-03-02")).to_dict()
            assert not errors("review", review), case_id
        if "plan" in case and "error" not in case.get("expect", {}):
            report = engine.check_plan(case["plan"], case.get("as_of", "2026-03-02"), case.get("register")).to_dict()
            assert not errors("plan", report), (case_id, errors("plan", report))
    scored = 0
    for case_id, case in SCORING:
        if "events" in case and "period" in case and "error" not in case.get("expect", {}):
            try:
                report = engine.score(case["events"], case["schools"], case["period"]).to_dict()
            except jianfu.JianfuError:
                continue
            assert not errors("score", report), (case_id, errors("score", report))
            scored += 1
    assert scored >= 5


def shape(schema: Dict[str, Any], name: str) -> Dict[str, Any]:
    """The root (`name` None) or a `$defs` entry of a schema."""
    return schema if name is None else schema["$defs"][name]


# Each TypedDict of `jianfu.types`, and where its shape is in the schemas made from the Rust
# types: (schema file, `$defs` entry or None for the root).
TYPED = {
    "VerdictDict": ("verdict", None),
    "FindingDict": ("verdict", "Finding"),
    "Evidence": ("verdict", "Evidence"),
    "Citation": ("verdict", "Citation"),
    "Text": ("verdict", "Text"),
    "RulesetInfo": ("verdict", "RulesetInfo"),
    "RuleVersion": ("verdict", "RuleVersion"),
    "ReviewDict": ("review", None),
    "ReviewFindingDict": ("review", "ReviewFinding"),
    "Clause": ("review", "Clause"),
    "PlanReportDict": ("plan", None),
    "ItemDict": ("item", None),
    "IssuerDict": ("item", "Issuer"),
    "MaterialsDict": ("item", "Materials"),
    "ApprovalDict": ("item", "Approval"),
    "PlanRefDict": ("item", "PlanRef"),
    "RequirementsDict": ("item", "Requirements"),
    "CampusEntryDict": ("item", "CampusEntry"),
    "InspectionDict": ("item", "Inspection"),
    "DataRequestDict": ("item", "DataRequest"),
    "SecondmentDict": ("item", "Secondment"),
    "ExtensionDict": ("item", "Extension"),
    "DutyDict": ("item", "Duty"),
}


@pytest.mark.parametrize("typed", sorted(TYPED))
def test_typeddicts_have_the_fields_of_the_rust_types(typed: str) -> None:
    """The hand-written TypedDicts against the schemas from the Rust types: the same keys, and
    every key the schema requires is a required key of the TypedDict."""
    from jianfu import types

    file, entry = TYPED[typed]
    schema = shape(json.loads((SCHEMAS / f"{file}.schema.json").read_text(encoding="utf-8")), entry)
    cls = getattr(types, typed)
    assert set(cls.__annotations__) | set(cls.__required_keys__) | set(cls.__optional_keys__) == set(schema["properties"]), typed
    assert set(schema.get("required", [])) <= set(cls.__required_keys__), typed
