"""Chinese first: the core's label table, Chinese names accepted as codes, labels beside codes."""

from __future__ import annotations

import json

import jianfu
from conftest import ROOT

CASES = json.loads((ROOT / "tests" / "scoring" / "cases.json").read_text(encoding="utf-8"))


def test_label_table_names_every_code_in_chinese_and_english() -> None:
    table = jianfu.labels()
    assert table["kind"]["zh"] == "事项类型"
    assert table["kind"]["terms"]["campus_entry"] == {"zh": "进校园活动", "en": "Campus entry", "aliases": ["进校园"]}
    assert table["band"]["terms"]["accountability"]["zh"] == "问责"
    assert table["field"]["terms"]["title"]["zh"] == "标题"
    for name, vocabulary in table.items():
        assert vocabulary["zh"], name
        for code, term in vocabulary["terms"].items():
            assert term["zh"] and term["en"], (name, code)


def test_chinese_names_are_read_as_codes(engine: jianfu.Engine) -> None:
    coded = {
        "id": "x", "kind": "campus_entry", "title": "反电诈APP下载推广进校园",
        "issuer": {"name": "三门峡市公安局", "kind": "other_department", "level": "city"},
        "targets": ["students", "parents"],
    }
    chinese = dict(coded, kind="进校园", issuer={"name": "三门峡市公安局", "kind": "其他部门", "level": "市级"}, targets=["学生", "家长"])
    assert engine.check(chinese, "2026-03-02") == engine.check(coded, "2026-03-02")


def test_score_tables_show_the_chinese_label_beside_each_code(engine: jianfu.Engine) -> None:
    case = CASES[0]
    report = engine.score(case["events"], case["schools"], case["period"])
    schools = report.schools
    names = schools.column_names
    assert names.index("band_zh") == names.index("band") + 1
    assert names.index("stratum_zh") == names.index("stratum") + 1
    labels = jianfu.labels()["band"]["terms"]
    for band, band_zh in zip(schools["band"].to_pylist(), schools["band_zh"].to_pylist()):
        assert band_zh == labels[band]["zh"]
    assert schools["stratum_zh"].to_pylist()[0] == "城镇·小学·公办"


def test_gbk_and_utf16_bytes_read_as_text(engine: jianfu.Engine) -> None:
    case = CASES[0]
    header = list(case["schools"][0])
    csv = ",".join(header) + "\n" + "".join(",".join(str(s[h]).lower() if isinstance(s[h], bool) else str(s[h]) for h in header) + "\n" for s in case["schools"])
    assert jianfu.decode(csv.encode("gbk")) == csv
    assert jianfu.decode(csv.encode("utf-16")) == csv  # with its byte-order mark
    assert jianfu.decode(b"\xef\xbb\xbf" + csv.encode()) == csv
    utf8 = jianfu.Tables(case["events"], csv)
    gbk = jianfu.Tables(case["events"], csv.encode("gbk"))
    assert gbk.schools_read == utf8.schools_read == len(case["schools"])
    try:
        jianfu.decode("甲\n".encode("gbk") + b"\xff\xff\n", "schools.csv")
    except jianfu.JianfuIOError as e:
        assert "line 2" in str(e) and "schools.csv" in str(e)
    else:
        raise AssertionError("bytes that are neither UTF-8 nor GBK are refused")


def test_item_sheets_read_as_items(engine: jianfu.Engine) -> None:
    csv = ROOT / "examples" / "items" / "item-table.csv"
    xlsx = ROOT / "examples" / "items" / "item-table.xlsx"
    items = jianfu.read_items(csv)
    assert items == jianfu.read_items(xlsx) == jianfu.read_items(xlsx.read_bytes())
    assert jianfu.read_items(csv.read_text(encoding="utf-8").encode("gbk")) == items
    assert items[0]["kind"] == "campus_entry" and items[0]["issuer"]["kind"] == "other_department"
    verdicts = engine.check_many(items, "2026-03-02")
    assert [v.decision for v in verdicts] == ["needs_approval", "prohibited", "allowed"]
    try:
        jianfu.read_items("标题,开始日期,事项类型,发文单位,发文单位类型,发文层级\n一,2026-02-30,会议,某局,政府,县级\n".encode())
    except jianfu.ItemInvalidError as e:
        assert e.location["line"] == 2 and e.location["field"] == "开始日期"
    else:
        raise AssertionError("a bad date is refused, naming its cell")


def test_chinese_headed_frames_and_workbook_bytes_score_as_coded_tables(engine: jianfu.Engine) -> None:
    import pyarrow as pa

    fixtures = ROOT / "bindings" / "wasm" / "tests" / "fixtures"
    events = (fixtures / "events.csv").read_text(encoding="utf-8")
    schools = (fixtures / "schools.csv").read_text(encoding="utf-8")
    coded = engine.score(events, schools, "2026-spring-1").to_dict()
    # A workbook's bytes (Chinese headers and values) as the schools table.
    assert engine.score(events, (fixtures / "schools.xlsx").read_bytes(), "2026-spring-1").to_dict() == coded
    # An Arrow table whose columns carry the Chinese headers.
    header = schools.splitlines()[0].split(",")
    rows = [dict(zip(header, line.split(","))) for line in schools.splitlines()[1:]]
    for row in rows:
        row["teachers"] = int(row["teachers"])
        row["sample_point"] = row["sample_point"] == "true"
    table = pa.Table.from_pylist(rows)
    zh = {"school_id": "学校编号", "name": "学校名称", "county": "县区", "urban_rural": "城乡", "stage": "学段", "ownership": "办学性质", "teachers": "教师数", "sample_point": "是否样本点"}
    renamed = table.rename_columns([zh[c] for c in table.column_names])
    assert engine.score(events, table, "2026-spring-1").to_dict() == coded
    assert engine.score(events, renamed, "2026-spring-1").to_dict() == coded


def test_check_many_reports_progress(engine: jianfu.Engine) -> None:
    item = {"id": "x", "kind": "meeting", "title": "t", "issuer": {"name": "n", "kind": "education", "level": "city"}}
    counts: list = []
    verdicts = engine.check_many((dict(item, id=str(i)) for i in range(10_000)), "2026-03-02", progress=counts.append)
    assert len(verdicts) == 10_000
    assert counts == [4096, 4096, 1808]  # one call per chunk, the increments adding up to all
