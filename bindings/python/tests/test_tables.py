"""Tables through the Arrow PyCapsule interface: pyarrow, polars and pandas in, the same
library out, with the same results as the row-by-row paths."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from typing import Any, Callable, Dict, List

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import jianfu
from conftest import CASES, ROOT, SCORING


def as_pyarrow(rows: List[Dict[str, Any]]) -> Any:
    # `pa.Table.from_pylist` takes its columns from the first row only; infer over all rows.
    return pa.Table.from_struct_array(pa.array(rows))


def as_polars(rows: List[Dict[str, Any]]) -> Any:
    return pl.DataFrame(rows, infer_schema_length=None)


def as_pandas(rows: List[Dict[str, Any]]) -> Any:
    return pd.DataFrame(rows)


FRAMES: Dict[str, Callable[[List[Dict[str, Any]]], Any]] = {
    "pyarrow": as_pyarrow,
    "polars": as_polars,
    "pandas": as_pandas,
}


def item_groups() -> Dict[str, List[Dict[str, Any]]]:
    """Corpus items without a register, by as_of."""
    groups: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
    for _, case in CASES:
        if "item" in case and "register" not in case:
            groups[case.get("as_of", "2026-03-02")].append(case["item"])
    return groups


def finding_as_json(finding: Dict[str, Any]) -> Dict[str, Any]:
    """A `findings` element of the table as the verdict JSON writes it (absent, not null)."""
    out = dict(finding)
    out["evidence"] = [{k: v for k, v in e.items() if v is not None} for e in finding["evidence"]]
    if not out["related"]:
        del out["related"]
    out["version"] = {k: v for k, v in finding["version"].items() if v is not None}
    if not out["advisory"]:
        del out["advisory"]
    return out


@pytest.mark.parametrize("frame", FRAMES)
def test_check_many_table_equals_single_checks(engine: jianfu.Engine, frame: str) -> None:
    """Every corpus item: the table row holds the same verdict as a single check, as columns
    (findings nested, with messages, citations, evidence and spans) and, on request, as the
    core's JSON text byte for byte."""
    checked = 0
    for as_of, items in item_groups().items():
        table = engine.check_many(FRAMES[frame](items), as_of, frame="pyarrow")
        assert isinstance(table, pa.Table)
        assert table.num_rows == len(items)
        assert table.column_names == ["item", "decision", "decision_zh", "rules", "missing", "next_step", "findings", "error"]
        with_json = engine.check_many(FRAMES[frame](items), as_of, verdict_json=True, frame="pyarrow")
        assert with_json.column_names == ["item", "decision", "decision_zh", "rules", "missing", "next_step", "findings", "verdict", "error"]
        for item, row, text in zip(items, table.to_pylist(), with_json.column("verdict").to_pylist()):
            want = engine.check(item, as_of)
            assert row["error"] is None, row["error"]
            assert text == want.to_json(), item["id"]
            assert row["decision"] == want.decision
            assert row["rules"] == [f.rule for f in want.findings]
            assert row["missing"] == want.missing
            assert row["next_step"] == want.next_step
            assert [finding_as_json(f) for f in row["findings"]] == want.to_dict()["findings"], item["id"]
            checked += 1
    assert checked >= 100


def test_check_many_lists_and_text(engine: jianfu.Engine) -> None:
    items = item_groups()["2026-03-02"]
    verdicts = engine.check_many(items, "2026-03-02")
    assert [v.to_dict() for v in verdicts] == [engine.check(i, "2026-03-02").to_dict() for i in items]
    jsonl = "\n".join(json.dumps(i, ensure_ascii=False) for i in items)
    assert engine.check_many(jsonl, "2026-03-02") == verdicts
    assert engine.check_many(json.dumps(items), datetime.date(2026, 3, 2)) == verdicts


def test_check_many_table_reports_bad_rows(engine: jianfu.Engine) -> None:
    good = {"id": "a", "kind": "meeting", "title": "会议", "issuer": {"name": "x", "kind": "education", "level": "city"}}
    bad = {"id": "b", "kind": "party", "title": "会议", "issuer": {"name": "x", "kind": "education", "level": "city"}}
    table = engine.check_many(as_pyarrow([good, bad, good]), "2026-03-02")
    rows = table.to_pylist()
    assert rows[0]["error"] is None and rows[2]["error"] is None
    error = json.loads(rows[1]["error"])
    assert error["code"] == "item.invalid" and error["location"]["field"] == "kind"
    assert error["location"]["line"] == 2
    assert rows[1]["findings"] is None and rows[1]["decision"] is None


def test_check_many_array_text_names_the_bad_element_and_a_missing_bracket(engine: jianfu.Engine) -> None:
    good = json.dumps({"id": "a", "kind": "meeting", "title": "会议", "issuer": {"name": "x", "kind": "education", "level": "city"}})
    # An element that does not parse is named by its index and line, not the whole array.
    with pytest.raises(jianfu.ItemInvalidError) as info:
        engine.check_many(f"[{good},\n{{bad}},\n{good}]", "2026-03-02")
    assert info.value.location["field"] == "[1]" and info.value.location["line"] == 2
    # An array cut short: the elements read are checked, the missing bracket is an error.
    with pytest.raises(jianfu.ItemInvalidError) as info:
        engine.check_many(f"[{good},\n{good}", "2026-03-02")
    assert "not closed" in str(info.value) and info.value.location["line"] == 2
    assert len(engine.check_many(f"[{good},\n{good}]", "2026-03-02")) == 2


def test_check_many_list_raises_with_index(engine: jianfu.Engine) -> None:
    good = {"id": "a", "kind": "meeting", "title": "会议", "issuer": {"name": "x", "kind": "education", "level": "city"}}
    with pytest.raises(jianfu.ItemInvalidError) as info:
        engine.check_many([good, {**good, "kind": "party"}], "2026-03-02")
    assert info.value.location["field"] == "[1].kind"


def json_cases() -> List[Any]:
    return [pytest.param(c, id=i) for i, c in SCORING if "events" in c]


@pytest.mark.parametrize("frame", FRAMES)
@pytest.mark.parametrize("case", json_cases())
def test_score_tables_equal_rows(engine: jianfu.Engine, frame: str, case: Dict[str, Any]) -> None:
    want = engine.score(case["events"], case["schools"], case["period"])
    events, schools = FRAMES[frame](case["events"]), FRAMES[frame](case["schools"])
    got = engine.score(events, schools, case["period"])
    assert [(e.code, e.location.get("field")) for e in got.errors] == [(e.code, e.location.get("field")) for e in want.errors]
    assert got == want
    assert got.to_dict() == want.to_dict()
    assert got.to_arrow().num_rows == len(case["schools"])
    if case.get("monitor"):
        assert engine.monitor(events, schools, case["period"]) == engine.monitor(case["events"], case["schools"], case["period"])


def test_score_typed_columns(engine: jianfu.Engine) -> None:
    """Dates as date32, categorical strings and integer hours read as the text forms do."""
    case = next(c for _, c in SCORING if "events" in c and c["events"])
    want = engine.score(case["events"], case["schools"], case["period"])
    frame = pl.DataFrame(case["events"], infer_schema_length=None).with_columns(
        pl.col("date").str.to_date(), pl.col("kind").cast(pl.Categorical)
    )
    assert engine.score(frame, pl.DataFrame(case["schools"]), case["period"]) == want
    arrow = as_pyarrow(case["events"])
    arrow = arrow.set_column(arrow.schema.get_field_index("kind"), "kind", arrow.column("kind").dictionary_encode())
    assert engine.score(arrow, as_pyarrow(case["schools"]), case["period"]) == want


def test_score_table_bad_rows(engine: jianfu.Engine) -> None:
    schools = [{"school_id": "S1", "name": "一小", "county": "湖滨区", "urban_rural": "urban", "stage": "primary", "ownership": "public", "teachers": 10}]
    ok = {"school_id": "S1", "date": "2026-03-10", "kind": "meeting", "hours": 1.0}
    events = as_pyarrow([
        ok,
        {**ok, "school_id": "S9"},
        {**ok, "date": "2026-02-30"},
        {**ok, "kind": "party"},
        {**ok, "hours": -1.0},
        {**ok, "decision": "maybe"},
    ])
    report = engine.score(events, schools, "2026-spring-1")
    assert report.events_read == 1
    assert [(e.code, e.location.get("field")) for e in report.errors] == [
        ("row.invalid", "[1].school_id"),
        ("row.invalid", "[2].date"),
        ("row.invalid", "[3].kind"),
        ("row.invalid", "[4].hours"),
        ("row.invalid", "[5].decision"),
    ]
    assert all(isinstance(e, jianfu.RowInvalidError) for e in report.errors)
    # Columns that do not match refuse the table: no empty report scored as if nothing happened.
    with pytest.raises(jianfu.SchemaError) as raised:
        engine.score(pa.table({"school_id": ["S1"], "colour": ["red"]}), schools, "2026-spring-1")
    assert raised.value.code == "table.schema" and isinstance(raised.value, ValueError)
    assert "`date`, `kind`, `hours`" in raised.value.message and "`colour`" in raised.value.message
    with pytest.raises(jianfu.SchemaError, match="hours"):
        engine.score(pa.table({"school_id": ["S1"], "date": ["2026-03-02"], "kind": ["meeting"]}), schools, "2026-spring-1")
    with pytest.raises(jianfu.SchemaError, match="county"):
        jianfu.Tables(events, pa.table({"school_id": ["S1"], "name": ["x"]}))


def test_report_tables(engine: jianfu.Engine) -> None:
    case = next(c for _, c in SCORING if c.get("monitor"))
    report = engine.score(as_pyarrow(case["events"]), as_pyarrow(case["schools"]), case["period"])
    schools = report.schools
    assert isinstance(schools, pa.Table)
    assert schools.column("school_id").to_pylist() == [s["school_id"] for s in report.to_dict()["schools"]]
    assert schools.column("index").to_pylist() == [s["index"] for s in report.to_dict()["schools"]]
    assert isinstance(report.counties, pa.Table) and isinstance(report.strata, pa.Table)
    monitor = engine.monitor(case["events"], case["schools"], case["period"], title="测试")
    assert "<svg" in monitor.html and "测试" in monitor.html
    assert isinstance(monitor.trend, pa.Table) and monitor.trend.num_rows == len(monitor.to_dict()["trend"])
    assert isinstance(monitor.escalations, pa.Table)


def test_prepared_tables_score_many_periods(engine: jianfu.Engine) -> None:
    case = next(c for _, c in SCORING if c.get("monitor"))
    tables = jianfu.Tables(as_pyarrow(case["events"]), as_pyarrow(case["schools"]))
    assert tables.events_read == len(tables) == len(case["events"]) and tables.errors == []
    assert tables.schools_read == len(case["schools"])
    for period in ("2026-spring-1", "2026-spring-2", case["period"]):
        assert engine.score(tables, period) == engine.score(case["events"], case["schools"], period)
    assert engine.monitor(tables, case["period"]) == engine.monitor(case["events"], case["schools"], case["period"])
    with pytest.raises(jianfu.UnknownPeriodError):
        engine.score(tables, "1999-spring-1")
    with pytest.raises(TypeError):
        engine.score(case["events"], case["schools"])


ID_COLUMNS = ("school_id", "teacher_id", "item_id", "rule", "kind", "issuer", "decision")


def encoded(table: Any, columns: Any = ID_COLUMNS) -> Any:
    """The table with `columns` dictionary-encoded (each batch gets its own dictionary)."""
    return pa.table({c: (table[c].dictionary_encode() if c in columns else table[c]) for c in table.column_names})


@pytest.mark.parametrize("case", json_cases())
def test_score_dictionary_ids_equal_strings(engine: jianfu.Engine, case: Dict[str, Any]) -> None:
    """Ids and words as pyarrow dictionaries or polars categoricals score as their text does,
    teachers listed in the same order (ids number in order of first appearance)."""
    want = engine.score(case["events"], case["schools"], case["period"]).to_dict()
    events = as_pyarrow(case["events"])
    present = [c for c in ID_COLUMNS if c in events.column_names]
    got = engine.score(encoded(events, present), case["schools"], case["period"]).to_dict()
    assert got == want
    frame = pl.from_arrow(events).with_columns([pl.col(c).cast(pl.Categorical) for c in present])
    assert engine.score(frame, case["schools"], case["period"]).to_dict() == want
    views = pa.table({c: (events[c].cast(pa.string_view()) if c in present else events[c]) for c in events.column_names})
    assert engine.score(views, case["schools"], case["period"]).to_dict() == want


def test_score_dictionaries_change_between_batches(engine: jianfu.Engine) -> None:
    """Each batch's dictionary is read on its own terms: the same key means another teacher in
    the next batch when its dictionary differs, and a longer dictionary that extends the last
    keeps what was resolved."""
    schools = [{"school_id": s, "name": s, "county": "湖滨区", "urban_rural": "urban", "stage": "primary", "ownership": "public", "teachers": 10} for s in ("S1", "S2")]
    rows = [
        {"school_id": "S1", "teacher_id": "T1", "date": "2026-03-10", "kind": "meeting", "hours": 1.0},
        {"school_id": "S1", "teacher_id": "T2", "date": "2026-03-10", "kind": "meeting", "hours": 2.0},
        {"school_id": "S2", "teacher_id": "T3", "date": "2026-03-11", "kind": "duty", "hours": 4.0},
        {"school_id": "S2", "teacher_id": "T1", "date": "2026-03-11", "kind": "duty", "hours": 8.0},
    ]
    want = engine.score(rows, schools, "2026-spring-1").to_dict()

    def batch(part: List[Dict[str, Any]], dictionaries: Dict[str, List[str]]) -> pa.RecordBatch:
        arrays = {}
        for column in ("school_id", "teacher_id", "kind"):
            values = dictionaries[column]
            arrays[column] = pa.DictionaryArray.from_arrays(pa.array([values.index(r[column]) for r in part], pa.int32()), pa.array(values))
        arrays["date"] = pa.array([datetime.date.fromisoformat(r["date"]) for r in part])
        arrays["hours"] = pa.array([r["hours"] for r in part])
        return pa.RecordBatch.from_pydict(arrays)

    first = {"school_id": ["S1"], "teacher_id": ["T1", "T2"], "kind": ["meeting"]}
    # Different order: key 0 is now T3, not T1.
    second = {"school_id": ["S2"], "teacher_id": ["T3", "T1"], "kind": ["duty"]}
    # Extends the first dictionary (same prefix).
    extended = {"school_id": ["S1", "S2"], "teacher_id": ["T1", "T2", "T3"], "kind": ["meeting", "duty"]}
    for later in (second, extended):
        b1, b2 = batch(rows[:2], first), batch(rows[2:], later)
        schema = b1.schema
        table = pa.Table.from_batches([b1, b2.cast(schema) if b2.schema != schema else b2])
        assert len(table.to_batches()) == 2
        got = engine.score(table, schools, "2026-spring-1").to_dict()
        assert got == want


def test_score_text_flags_and_blank_ids(engine: jianfu.Engine) -> None:
    """`comprehensive` as text reads as in CSV (是, yes, 1 …; other text is a row error), ids
    are trimmed, and a blank school is missing, never silently dropped."""
    schools = [{"school_id": "S1", "name": "一小", "county": "湖滨区", "urban_rural": "urban", "stage": "primary", "ownership": "public", "teachers": 10}]
    ok = {"school_id": "S1", "date": "2026-03-10", "kind": "inspection", "hours": 1.0, "comprehensive": "否"}
    rows = [ok, {**ok, "comprehensive": "是"}, {**ok, "comprehensive": "YES"}, {**ok, "comprehensive": "maybe"}, {**ok, "school_id": "  "}, {**ok, "school_id": " S1 "}, {**ok, "kind": " meeting "}]
    for frame in (as_pyarrow(rows), as_polars(rows), as_pandas(rows)):
        report = engine.score(frame, schools, "2026-spring-1")
        assert [(e.location.get("field"), e.message.split(": ")[-1]) for e in report.errors] == [
            ("[3].comprehensive", "`maybe` is not true or false"),
            ("[4].school_id", "`school_id` is required"),
        ]
        assert report.events_read == 5
    csv = "school_id,date,kind,hours,comprehensive\n" + "\n".join(
        f"{r['school_id']},{r['date']},{r['kind']},{r['hours']},{r['comprehensive']}" for r in rows
    )
    from_csv = engine.score(csv, schools, "2026-spring-1")
    assert [e.location.get("field") for e in from_csv.errors] == ["comprehensive", "school_id"]
    # The same bad cells get the same reasons from the CSV reader and from Arrow columns.
    arrow_errors = engine.score(as_pyarrow(rows), schools, "2026-spring-1").errors
    assert [e.message.split(": ")[-1] for e in from_csv.errors] == [e.message.split(": ")[-1] for e in arrow_errors]
    assert from_csv.to_dict() == engine.score(as_pyarrow(rows), schools, "2026-spring-1").to_dict()


def test_prepared_items_check_many_dates(engine: jianfu.Engine) -> None:
    """`jianfu.Items` reads a table once; checking it gives the table path's result for every
    date, and bad rows stay in place as errors."""
    items = item_groups()["2026-03-02"]
    bad = {**items[0], "kind": "party"}
    table = as_pyarrow(items + [bad])
    prepared = jianfu.Items(table)
    assert len(prepared) == len(items) + 1 and prepared.items_read == len(items)
    assert [(e.code, e.location["line"]) for e in prepared.errors] == [("item.invalid", len(items) + 1)]
    for as_of in ("2025-09-01", "2026-03-02", datetime.date(2026, 11, 26)):
        assert engine.check_many(prepared, as_of, verdict_json=True) == engine.check_many(table, as_of, verdict_json=True)
    assert engine.check_many(prepared, "2026-03-02").column("error").to_pylist()[-1] is not None
    from_polars = engine.check_many(jianfu.Items(pl.from_arrow(table)), "2026-03-02")
    assert isinstance(from_polars, pl.DataFrame)
    assert from_polars.equals(pl.from_arrow(engine.check_many(prepared, "2026-03-02")))
    with pytest.raises(TypeError):
        jianfu.Items(items)


def test_check_many_reads_arrow_types_as_json_does(engine: jianfu.Engine) -> None:
    """Items read straight from Arrow arrays match their JSON reading whatever the column
    types: large strings, string views, dictionary words, date32 dates, narrow integers."""
    items = item_groups()["2026-03-02"]
    table = as_pyarrow(items)

    def retype(column: Any) -> Any:
        t = column.type
        if pa.types.is_string(t):
            return column.cast(pa.large_string())
        if pa.types.is_struct(t):
            return column
        return column

    varied = pa.table({name: retype(table[name]) for name in table.column_names})
    varied = varied.set_column(varied.schema.get_field_index("kind"), "kind", table["kind"].dictionary_encode())
    if "title" in varied.column_names:
        varied = varied.set_column(varied.schema.get_field_index("title"), "title", table["title"].cast(pa.string_view()))
    for name in ("start", "end"):
        if name in varied.column_names:
            dates = pa.array([None if d is None else datetime.date.fromisoformat(d) for d in table[name].to_pylist()], pa.date32())
            varied = varied.set_column(varied.schema.get_field_index(name), name, dates)
    # float32 and date64 read through JSON (as arrow_json writes them), the rest straight.
    if "hours_per_teacher" in varied.column_names:
        varied = varied.set_column(varied.schema.get_field_index("hours_per_teacher"), "hours_per_teacher", table["hours_per_teacher"].cast(pa.float32()))
    assert varied.schema != table.schema
    want = engine.check_many(table, "2026-03-02", verdict_json=True)
    got = engine.check_many(varied, "2026-03-02", verdict_json=True)
    assert got.column("verdict").to_pylist() == want.column("verdict").to_pylist()
    assert got.column("error").null_count == got.num_rows


def test_score_padded_ids_and_rejected_rows(engine: jianfu.Engine) -> None:
    """School ids padded with spaces (fixed-width exports) match in both tables, as in CSV; a
    rejected row leaves no teacher behind, so teachers list in the CSV reader's order."""
    schools = [{"school_id": "S1 ", "name": "一小", "county": "湖滨区", "urban_rural": "urban", "stage": "primary", "ownership": "public", "teachers": 10}]
    rows = [
        {"school_id": "S9", "teacher_id": "T2", "date": "2026-03-10", "kind": "meeting", "hours": 1.0},
        {"school_id": "S1 ", "teacher_id": "T1", "date": "2026-03-10", "kind": "meeting", "hours": 1.0},
        {"school_id": " S1", "teacher_id": "T2 ", "date": "2026-03-11", "kind": "meeting", "hours": 2.0},
    ]
    csv = "school_id,teacher_id,date,kind,hours\n" + "\n".join(
        f"{r['school_id']},{r['teacher_id']},{r['date']},{r['kind']},{r['hours']}" for r in rows
    )
    want = engine.score(csv, schools, "2026-spring-1").to_dict()
    assert [t["teacher_id"] for t in want["teachers"]] == ["T1", "T2"]
    for events in (as_pyarrow(rows), encoded(as_pyarrow(rows), ("school_id", "teacher_id")), rows):
        report = engine.score(events, as_pyarrow(schools), "2026-spring-1")
        assert [e.location["field"] for e in report.errors] == ["[0].school_id"]
        assert report.to_dict() == want


def test_items_and_tables_pickle_to_the_same_results(engine: jianfu.Engine) -> None:
    """`Items` and `Tables` survive pickling (as Dask and multiprocessing need), bad rows and
    all, and give the same verdicts and scores after."""
    import pickle

    events = (ROOT / "bindings" / "wasm" / "tests" / "fixtures" / "events.csv").read_text(encoding="utf-8")
    schools = (ROOT / "bindings" / "wasm" / "tests" / "fixtures" / "schools.csv").read_text(encoding="utf-8")
    tables = jianfu.Tables(events + "SMX-0001,,2026-3-9,meeting,1,,,,,\n", schools)
    again = pickle.loads(pickle.dumps(tables))
    assert (again.events_read, again.schools_read, len(again.errors)) == (tables.events_read, tables.schools_read, 1)
    assert engine.score(again, "2026-spring-1").to_dict() == engine.score(tables, "2026-spring-1").to_dict()

    good = json.loads((ROOT / "examples" / "items" / "app-download-drive.json").read_text(encoding="utf-8"))
    items = jianfu.Items(pa.Table.from_pylist([good, {**good, "id": "bad", "kind": "no_such_kind"}]))
    assert (items.items_read, len(items)) == (1, 2)
    restored = pickle.loads(pickle.dumps(items))
    assert (restored.items_read, len(restored)) == (items.items_read, len(items))
    assert engine.check_many(restored, "2026-03-02").to_pylist() == engine.check_many(items, "2026-03-02").to_pylist()


TYPES = {"pyarrow": pa.Table, "polars": pl.DataFrame, "pandas": pd.DataFrame}


def same_rows(got: Any, want: pa.Table) -> bool:
    """A result in any library holds the rows of the pyarrow result."""
    if isinstance(got, pl.DataFrame):
        return got.equals(pl.from_arrow(want))
    if isinstance(got, pd.DataFrame):
        expected = want.to_pandas()
        return list(got.columns) == list(expected.columns) and got.to_json() == expected.to_json()
    return got.equals(want)


@pytest.mark.parametrize("frame", FRAMES)
def test_results_come_back_in_the_input_library(engine: jianfu.Engine, frame: str) -> None:
    """pandas in, pandas out; polars in, polars out: check_many, Items and every report table,
    each holding the rows of the pyarrow result; `frame=` asks for another library."""
    items = item_groups()["2026-03-02"]
    want = engine.check_many(as_pyarrow(items), "2026-03-02")
    got = engine.check_many(FRAMES[frame](items), "2026-03-02")
    assert type(got) is TYPES[frame] and same_rows(got, want)
    assert type(engine.check_many(jianfu.Items(FRAMES[frame](items)), "2026-03-02")) is TYPES[frame]
    for other, kind in TYPES.items():
        assert type(engine.check_many(FRAMES[frame](items), "2026-03-02", frame=other)) is kind
    # A list of dicts gives verdicts, or a table when one is asked for.
    assert same_rows(engine.check_many(items, "2026-03-02", frame=frame), want)

    case = next(c for _, c in SCORING if c.get("monitor") and c.get("events"))
    events, schools = FRAMES[frame](case["events"]), FRAMES[frame](case["schools"])
    report = engine.score(events, schools, case["period"])
    for name in ("schools", "teachers", "counties", "strata"):
        table = getattr(report, name)
        assert type(table) is TYPES[frame]
        assert same_rows(table, report.to_arrow(name)), name
        assert type(report.to_pandas(name)) is pd.DataFrame and type(report.to_polars(name)) is pl.DataFrame
    assert type(jianfu.Tables(events, schools).__reduce__()[1][3]) is str
    assert type(engine.score(jianfu.Tables(events, schools), case["period"]).schools) is TYPES[frame]
    monitor = engine.monitor(events, schools, case["period"])
    for name in ("strata", "counties", "schools", "escalations", "trend"):
        assert type(getattr(monitor, name)) is TYPES[frame]
        assert same_rows(getattr(monitor, name), monitor.to_arrow(name)), name
    with pytest.raises(ValueError, match="not one of"):
        report.to_pandas("pupils")
    with pytest.raises(ValueError, match="pyarrow"):
        engine.check_many(items, "2026-03-02", frame="excel")


def test_pickled_tables_and_items_keep_their_library(engine: jianfu.Engine) -> None:
    import pickle

    items = item_groups()["2026-03-02"]
    prepared = pickle.loads(pickle.dumps(jianfu.Items(as_polars(items))))
    assert type(engine.check_many(prepared, "2026-03-02")) is pl.DataFrame
    case = next(c for _, c in SCORING if c.get("events"))
    tables = pickle.loads(pickle.dumps(jianfu.Tables(as_pandas(case["events"]), as_pandas(case["schools"]))))
    assert type(engine.score(tables, case["period"]).schools) is pd.DataFrame


def test_demo_data_scores_as_the_cli_files_do(engine: jianfu.Engine, cli: Any, tmp_path: Any) -> None:
    """`jianfu.demo_data()` gives the rows `jianfu demo-data` writes for the same seed: the two
    score to the same report, in every library."""
    import subprocess

    done = subprocess.run([str(cli), "demo-data", "--schools", "60", "--seed", "7", "--out", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    events_csv = (tmp_path / "events.csv").read_text(encoding="utf-8")
    schools_csv = (tmp_path / "schools.csv").read_text(encoding="utf-8")
    want = engine.score(events_csv, schools_csv, "2026-spring-1")
    assert want.events > 1000
    for frame, kind in TYPES.items():
        events, schools = jianfu.demo_data(schools=60, seed=7, frame=frame)
        assert type(events) is kind and type(schools) is kind
        assert len(schools) == 60 if frame != "pyarrow" else schools.num_rows == 60
        assert engine.score(events, schools, "2026-spring-1") == want
    with pytest.raises(jianfu.InvalidArgumentError):
        jianfu.demo_data(schools=0)
    with pytest.raises(jianfu.InvalidArgumentError):
        jianfu.demo_data(semesters=["2031-autumn"])


def test_reports_render_in_notebooks(engine: jianfu.Engine) -> None:
    case = next(c for _, c in SCORING if c.get("monitor") and c.get("events"))
    report = engine.score(case["events"], case["schools"], case["period"])
    html = report._repr_html_()
    assert case["period"] in html and "<table>" in html and "所学校 schools" in html
    monitor = engine.monitor(case["events"], case["schools"], case["period"])
    assert monitor._repr_html_() == monitor.html
    item = {"id": "<x>", "kind": "campus_entry", "title": "反电诈APP下载推广进校园",
            "issuer": {"name": "三门峡市公安局", "kind": "other_department", "level": "city"}, "targets": ["students"]}
    card = engine.check(item, "2026-03-02")._repr_html_()
    assert "禁止 prohibited" in card and "&#60;x&#62;" in card and "<x>" not in card
    card = engine.review("一、各校组织全体教师下载安装某某APP。", "2026-03-02")._repr_html_()
    assert "下载安装" in card and "<table>" in card


def test_flags_pandas_widened_to_floats_read_as_flags(engine: jianfu.Engine) -> None:
    """`pd.read_json(lines=True)` of the project's own example turns a flag missing on some
    lines into 1.0 / NaN: the rows still read, with the verdicts of the JSON Lines."""
    path = ROOT / "examples" / "items" / "batch.jsonl"
    frame = pd.read_json(path, lines=True)
    assert frame["legally_required"].dtype.kind == "f"
    table = engine.check_many(frame, "2026-03-02", frame="pyarrow")
    assert table.column("error").to_pylist() == [None] * table.num_rows
    want = engine.check_many(path.read_text(encoding="utf-8"), "2026-03-02")
    assert table.column("decision").to_pylist() == [v.decision for v in want]


def test_extra_columns_refuse_the_table_unless_ignored(engine: jianfu.Engine) -> None:
    case = next(c for _, c in SCORING if c.get("events"))
    events = pd.DataFrame(case["events"]).assign(analyst_note="见备注")
    schools = pd.DataFrame(case["schools"]).assign(region="豫西")
    with pytest.raises(jianfu.SchemaError, match="analyst_note"):
        engine.score(events, case["schools"], case["period"])
    with pytest.raises(jianfu.SchemaError, match="region"):
        engine.score(case["events"], schools, case["period"])
    want = engine.score(case["events"], case["schools"], case["period"])
    assert engine.score(events, schools, case["period"], extra_columns="ignore") == want
    assert engine.score(jianfu.Tables(events, schools, extra_columns="ignore"), case["period"]) == want
    assert engine.monitor(events, schools, case["period"], extra_columns="ignore") == engine.monitor(case["events"], case["schools"], case["period"])
    with pytest.raises(ValueError, match="ignore"):
        engine.score(events, schools, case["period"], extra_columns="drop")
