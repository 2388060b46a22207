"""Scale-out: a partitioned dataset scored on a real `dask.distributed.LocalCluster` with
process workers gives exactly the single-process result (per school and per teacher)."""

from __future__ import annotations

import pathlib
import subprocess
from typing import Any, List, Tuple

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

import jianfu

PERIOD = "2026-spring-1"


@pytest.fixture(scope="module")
def demo(cli: pathlib.Path, tmp_path_factory: Any) -> Tuple[pa.Table, pa.Table, pathlib.Path]:
    """A deterministic demo city from the Rust CLI (60 schools), read with pyarrow.csv."""
    out = tmp_path_factory.mktemp("demo")
    subprocess.run([str(cli), "demo-data", "--seed", "7", "--schools", "60", "--out", str(out)], check=True, capture_output=True)
    strings = {c: pa.string() for c in ("teacher_id", "issuer", "item_id", "decision", "rule", "comprehensive")}
    events = pacsv.read_csv(out / "events.csv", convert_options=pacsv.ConvertOptions(column_types=strings))
    schools = pacsv.read_csv(out / "schools.csv")
    return events, schools, out


def score_partition(engine: jianfu.Engine, events: pa.Table, schools: pa.Table, period: str) -> Tuple[pa.Table, pa.Table]:
    """What a worker runs: score its schools' events; per-school and per-teacher tables."""
    report = engine.score(events, schools, period)
    assert not report.errors
    return report.schools, report.teachers


def partitions(events: pa.Table, schools: pa.Table, n: int) -> List[Tuple[pa.Table, pa.Table]]:
    """Partitions by school: every event lands with its school."""
    ids = schools.column("school_id").to_pylist()
    parts = []
    for k in range(n):
        mine = pa.array(ids[k::n])
        parts.append((events.filter(pc.is_in(events.column("school_id"), mine)), schools.filter(pc.is_in(schools.column("school_id"), mine))))
    return parts


def test_arrow_csv_equals_core_csv(engine: jianfu.Engine, demo: Any) -> None:
    events, schools, out = demo
    from_text = engine.score((out / "events.csv").read_text(encoding="utf-8"), (out / "schools.csv").read_text(encoding="utf-8"), PERIOD)
    from_arrow = engine.score(events, schools, PERIOD)
    assert from_arrow.errors == [] and from_text.errors == []
    assert from_arrow == from_text
    assert from_arrow.events_read == events.num_rows


def test_dask_local_cluster_matches_single_process(engine: jianfu.Engine, demo: Any) -> None:
    distributed = pytest.importorskip("dask.distributed")
    import cloudpickle

    events, schools, _ = demo
    single = engine.score(events, schools, PERIOD)
    cloudpickle.register_pickle_by_value(__import__(__name__))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            remote_engine = client.scatter(engine, broadcast=True)
            futures = [client.submit(score_partition, remote_engine, ev, sc, PERIOD, pure=False) for ev, sc in partitions(events, schools, 4)]
            results = client.gather(futures)
            workers = {w for ws in client.who_has(futures).values() for w in ws}
    assert len(workers) >= 1
    per_school = pa.concat_tables([r[0] for r in results])
    per_teacher = pa.concat_tables([r[1] for r in results])
    order = {sid: i for i, sid in enumerate(schools.column("school_id").to_pylist())}
    got = sorted(per_school.to_pylist(), key=lambda s: order[s["school_id"]])
    assert got == single.schools.to_pylist()
    teachers = sorted(per_teacher.to_pylist(), key=lambda t: t["teacher_id"])
    assert teachers == sorted(single.teachers.to_pylist(), key=lambda t: t["teacher_id"])
