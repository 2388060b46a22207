"""Scale-out, tested: a demo city's events stored as Parquet, one file per county, scored on a
real Dask `LocalCluster` (two process workers) and on Spark in local mode (`mapInArrow`). Each
worker computes its partition's partial; the merged partials finish into exactly the
single-machine report (the same JSON text). Inside a worker the engine uses one thread."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
from typing import Any, Iterator, List, Tuple

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import jianfu

PERIOD = "2026-spring-1"


@pytest.fixture(scope="module")
def city(cli: pathlib.Path, tmp_path_factory: Any) -> Tuple[pa.Table, pa.Table, pathlib.Path]:
    """A deterministic demo city from the Rust CLI (80 schools, six counties): the events and
    schools read with pyarrow, and the events written as Parquet, one file per county."""
    out = tmp_path_factory.mktemp("city")
    subprocess.run([str(cli), "demo-data", "--seed", "7", "--schools", "80", "--out", str(out)], check=True, capture_output=True)
    strings = {c: pa.string() for c in ("teacher_id", "issuer", "item_id", "decision", "rule", "comprehensive")}
    events = pacsv.read_csv(out / "events.csv", convert_options=pacsv.ConvertOptions(column_types=strings))
    schools = pacsv.read_csv(out / "schools.csv")
    parquet = out / "events"
    parquet.mkdir()
    counties = sorted(set(schools.column("county").to_pylist()))
    assert len(counties) > 2
    for n, county in enumerate(counties):
        ids = schools.filter(pc.equal(schools.column("county"), county)).column("school_id")
        pq.write_table(events.filter(pc.is_in(events.column("school_id"), ids)), parquet / f"county-{n}.parquet")
    return events, schools, parquet


def test_partials_of_the_county_files_merge_into_the_single_report(engine: jianfu.Engine, city: Any) -> None:
    events, schools, parquet = city
    single = engine.score(events, schools, PERIOD)
    parts = [engine.partial(pq.read_table(path), schools, PERIOD) for path in sorted(parquet.glob("*.parquet"))]
    assert sum(p.events_read for p in parts) == events.num_rows
    merged = jianfu.merge(reversed(parts))
    assert merged.finish().to_json() == single.to_json()
    # Through JSON (as `jianfu merge` reads them) and through pickle (as workers send them).
    import pickle

    again = jianfu.merge(jianfu.Partial.from_json(p.to_json()) for p in parts)
    assert again == merged and pickle.loads(pickle.dumps(merged)) == merged


def test_partials_of_other_periods_do_not_merge(engine: jianfu.Engine, city: Any) -> None:
    events, schools, _ = city
    a = engine.partial(events, schools, "2026-spring-1")
    b = engine.partial(events, schools, "2026-spring-2")
    with pytest.raises(jianfu.PartialInvalidError, match="2026-spring-2"):
        a.merge(b)
    with pytest.raises(jianfu.PartialInvalidError):
        jianfu.Partial.from_json("{}")
    with pytest.raises(ValueError):
        jianfu.merge([])


def test_threads_do_not_change_the_report(city: Any) -> None:
    events, schools, _ = city
    one = jianfu.Engine(threads=1)
    assert one.threads == 1 and one.with_threads(None).threads is None
    assert one.score(events, schools, PERIOD) == jianfu.Engine(threads=2).score(events, schools, PERIOD)
    assert not jianfu._in_cluster_worker()


def partial_of(engine: jianfu.Engine, part: Any, schools: pa.Table, period: str) -> Tuple[jianfu.Partial, bool]:
    """What a Dask worker runs: its partition's partial (and whether it knew it was a worker)."""
    return engine.partial(part, schools, period), jianfu._in_cluster_worker()


def test_dask_local_cluster_over_parquet_gives_the_single_report(engine: jianfu.Engine, city: Any) -> None:
    distributed = pytest.importorskip("dask.distributed")
    dd = pytest.importorskip("dask.dataframe")
    import dask

    events, schools, parquet = city
    single = engine.score(events, schools, PERIOD)
    frame = dd.read_parquet(str(parquet), dtype_backend="pyarrow")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster):
            tasks = [dask.delayed(partial_of)(engine, part, schools, PERIOD) for part in frame.to_delayed()]
            results = dask.compute(*tasks)
    assert len(results) == frame.npartitions > 1
    assert all(in_worker for _, in_worker in results)
    merged = jianfu.merge(p for p, _ in results)
    assert merged.finish().to_json() == single.to_json()


def spark_partials(engine: jianfu.Engine, schools: pa.Table, period: str) -> Any:
    """The `mapInArrow` function: one partition's record batches in, its partial out (JSON in
    a one-row batch; a partition with no rows gives none)."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        table = pa.Table.from_batches(list(batches))
        if table.num_rows == 0:
            return
        partial = engine.partial(table, schools, period)
        yield pa.RecordBatch.from_pydict(
            {"partial": [partial.to_json()], "in_worker": [jianfu._in_cluster_worker()]}
        )

    return run


# PySpark warns that it does not know pandas 3; mapInArrow does not use pandas.
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")
def test_spark_local_map_in_arrow_gives_the_single_report(engine: jianfu.Engine, city: Any) -> None:
    if os.environ.get("CI") and shutil.which("java") is None:
        pytest.fail("java is missing: scripts/test-python.sh installs it on CI")
    pyspark = pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    events, schools, parquet = city
    single = engine.score(events, schools, PERIOD)
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("jianfu-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    try:
        frame = spark.read.parquet(str(parquet))
        rows = frame.mapInArrow(spark_partials(engine, schools, PERIOD), "partial string, in_worker boolean").collect()
    finally:
        spark.stop()
    assert len(rows) > 1 and all(r["in_worker"] for r in rows)
    parts: List[jianfu.Partial] = [jianfu.Partial.from_json(r["partial"]) for r in rows]
    assert sum(p.events_read for p in parts) == events.num_rows
    assert jianfu.merge(parts).finish().to_json() == single.to_json()
    assert pyspark.__version__
