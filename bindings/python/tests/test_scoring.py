"""The scoring corpus `tests/scoring/*.json` through Python, with the same checks as
`crates/jianfu/tests/scoring.rs` (indexes, bands, school days, row errors, monitoring)."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

import jianfu
from conftest import SCORING


def close(want: float, got: float) -> bool:
    return abs(want - got) <= 1e-9 * max(abs(want), 1.0)


def events_of(case: Dict[str, Any]) -> Any:
    return case["events_csv"] if "events_csv" in case else case["events"]


def check_report(engine: jianfu.Engine, case: Dict[str, Any], events: Any, schools: Any) -> List[str]:
    """Runs one case with the given table inputs; returns the problems found."""
    expect = case["expect"]
    problems: List[str] = []

    def check(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    if "refused" in expect:
        try:
            engine.score(events, schools, case["period"])
        except jianfu.JianfuError as e:
            got = {"code": e.code, "line": e.location.get("line"), "field": e.location.get("field")}
            check(got == expect["refused"], f"refused: expected {expect['refused']}, got {got}")
            check(isinstance(e, jianfu.SchemaError), f"refused with {type(e).__name__}, not SchemaError")
        else:
            check(False, f"expected the table refused ({expect['refused']})")
        return problems
    report = engine.score(events, schools, case["period"])
    errors = [{"code": e.code, "line": e.location.get("line"), "field": e.location.get("field")} for e in report.errors]
    if "errors" in expect:
        check(len(expect["errors"]) == len(errors), f"errors: expected {expect['errors']}, got {errors}")
        for w, g in zip(expect["errors"], errors):
            for key in ("code", "line", "field"):
                if key in w:
                    check(w[key] == g[key], f"errors[].{key}: expected {w[key]}, got {g[key]}")
    else:
        check(not errors, f"unexpected errors: {errors}")
    doc = report.to_dict()
    if "events_read" in expect:
        check(expect["events_read"] == report.events_read, f"events_read: expected {expect['events_read']}, got {report.events_read}")
    for sid, want in expect.get("schools", {}).items():
        got = next((s for s in doc["schools"] if s["school_id"] == sid), None)
        if got is None:
            check(False, f"school {sid} missing")
            continue
        for key in ("index", "burden", "hours"):
            if key in want:
                check(close(want[key], got[key]), f"schools.{sid}.{key}: expected {want[key]}, got {got[key]}")
        for key in ("events", "band"):
            if key in want:
                check(want[key] == got[key], f"schools.{sid}.{key}: expected {want[key]}, got {got[key]}")
        for part in ("by_kind", "by_rule"):
            for k, v in want.get(part, {}).items():
                g = got["breakdown"][part].get(k, 0.0)
                check(close(v, g), f"schools.{sid}.{part}.{k}: expected {v}, got {g}")
    for tid, want in expect.get("teachers", {}).items():
        got = next((t for t in doc["teachers"] if t["teacher_id"] == tid), None)
        check(got is not None and close(want["index"], got["index"]), f"teachers.{tid}: expected {want}, got {got}")
    for group in ("counties", "strata"):
        for gid, want in expect.get(group, {}).items():
            got = next((g for g in doc[group] if g["group"] == gid), None)
            ok = got is not None and close(want["index"], got["index"]) and ("band" not in want or want["band"] == got["band"])
            check(ok, f"{group}.{gid}: expected {want}, got {got}")
    if "school_days" in expect:
        check(expect["school_days"] == doc["period"]["school_days"], f"school_days: expected {expect['school_days']}, got {doc['period']['school_days']}")
    if case.get("monitor"):
        md = engine.monitor(events, schools, case["period"], ladder=case.get("ladder", "all_schools")).to_dict()
        for key, want in case["expect"].get("cadence", {}).items():
            assert md["cadence"][key] == want, f"cadence.{key}"

        def line(sid: str) -> Any:
            return next((s for s in md["schools"] if s["school_id"] == sid), None)

        for sid, rung in expect.get("rungs", {}).items():
            got = (line(sid) or {}).get("rung", "none")
            check(got == rung, f"rungs.{sid}: expected {rung}, got {got}")
        if "escalations" in expect:
            got = [{"school": e["school_id"], "from": e["from"], "to": e["to"]} for e in md["escalations"]]
            check(expect["escalations"] == got, f"escalations: expected {expect['escalations']}, got {got}")
        for key in ("campus_entries", "comprehensive", "unapproved_events"):
            for sid, n in expect.get(key, {}).items():
                got = (line(sid) or {}).get(key, 0)
                check(got == n, f"{key}.{sid}: expected {n}, got {got}")
        if "listed" in expect:
            got = [s["school_id"] for s in md["schools"]]
            check(expect["listed"] == got, f"listed: expected {expect['listed']}, got {got}")
        for key, want in expect.get("coverage", {}).items():
            check(want == md["coverage"].get(key), f"coverage.{key}: expected {want}, got {md['coverage'].get(key)}")
        for sid, want in expect.get("stratum_stats", {}).items():
            got = next((s for s in md["strata"] if s["stratum"] == sid), None)
            for key in ("mean", "median", "p90", "change"):
                if key in want:
                    value = got.get(key) if got else None
                    ok = value is not None and close(want[key], value)
                    check(ok, f"stratum_stats.{sid}.{key}: expected {want[key]}, got {got}")
        if "trend" in expect:
            got = md["trend"]
            check(len(expect["trend"]) == len(got), f"trend: expected {expect['trend']}, got {got}")
            for w, g in zip(expect["trend"], got):
                check(w["period"] == g["period"] and close(w["sample_mean"], g["sample_mean"]), f"trend: expected {w}, got {g}")
    return problems


@pytest.mark.parametrize("case", [c for _, c in SCORING], ids=[i for i, _ in SCORING])
def test_scoring_case(engine: jianfu.Engine, case: Dict[str, Any]) -> None:
    problems = check_report(engine, case, events_of(case), case["schools"])
    assert not problems, "\n".join(problems)


def test_scoring_corpus_size() -> None:
    assert len(SCORING) >= 10
