#!/usr/bin/env python3
"""Side by side, in one run: the per-school burden index computed end to end (read the tables,
compute the index) by jianfu (the `jianfu score` command), polars, DuckDB and pandas, from the
same generated CSV files and from the same data as Parquet. Prints times and ratios, and
checks that all agree.

Usage (from the repository root, after `cargo build --release -p jianfu-cli`):
    .venv/bin/python benches/compare.py [--schools 1200] [--seed 1] [--repeat 3]
Needs polars, duckdb, pandas and pyarrow. Each time is the best of `--repeat` runs.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ROOT = pathlib.Path(__file__).resolve().parent.parent
JIANFU = ROOT / "target" / "release" / "jianfu"
PERIOD = "2026-spring-1"
TEXT = ("teacher_id", "issuer", "item_id", "decision", "rule", "comprehensive")


def best(repeat, fn):
    """The best wall time of `repeat` runs of fn(), and its last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def jianfu(events, schools):
    out = subprocess.run([str(JIANFU), "score", "--events", str(events), "--schools", str(schools),
                          "--period", PERIOD, "--format", "json"], check=True, capture_output=True, text=True)
    return {s["school_id"]: s["index"] for s in json.loads(out.stdout)["schools"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=1200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="jianfu-compare-"))
    subprocess.run([str(JIANFU), "demo-data", "--seed", str(args.seed), "--schools", str(args.schools),
                    "--out", str(tmp)], check=True, capture_output=True)
    csv_events, csv_schools = tmp / "events.csv", tmp / "schools.csv"
    table = pacsv.read_csv(csv_events, convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in TEXT}))
    pq_events, pq_schools = tmp / "events.parquet", tmp / "schools.parquet"
    pq.write_table(table, pq_events)
    pq.write_table(pacsv.read_csv(csv_schools), pq_schools)

    meta = json.loads(subprocess.run([str(JIANFU), "score", "--events", str(csv_events), "--schools", str(csv_schools),
                                      "--period", PERIOD, "--format", "json"], check=True, capture_output=True, text=True).stdout)
    w, period = meta["weights"], meta["period"]
    kinds = ["inspection", "campus_entry", "data_request", "secondment", "directive_task", "social_task",
             "duty", "training", "meeting", "document", "after_school_service", "external_exam"]
    weight = dict(zip(kinds, w["kind"]))
    mult = {"prohibited": w["prohibited"], "needs_approval": w["unapproved"], "incomplete": w["unapproved"]}
    days, start, end = period["school_days"], period["start"], period["end"]

    def polars(events, schools):
        if events.suffix == ".csv":
            ev = pl.read_csv(events, schema_overrides={c: pl.Utf8 for c in TEXT})
            sc = pl.read_csv(schools)
            date = pl.col("date").str.to_date()
        else:
            ev, sc = pl.read_parquet(events), pl.read_parquet(schools)
            date = pl.col("date")
        out = (ev.filter(date.is_between(pl.lit(start).str.to_date(), pl.lit(end).str.to_date()))
               .with_columns((pl.col("kind").replace_strict(weight, return_dtype=pl.Float64) * pl.col("hours")
                              * pl.col("decision").replace_strict(mult, default=1.0, return_dtype=pl.Float64)).alias("b"))
               .group_by("school_id").agg(pl.col("b").sum())
               .join(sc.select("school_id", "teachers"), on="school_id", how="right")
               .with_columns((pl.col("b").fill_null(0.0) * 5.0 / (pl.col("teachers") * days)).alias("index")))
        return dict(zip(out["school_id"].to_list(), out["index"].to_list()))

    cases = " ".join(f"WHEN '{k}' THEN {v}" for k, v in weight.items())
    mults = " ".join(f"WHEN '{k}' THEN {v}" for k, v in mult.items())

    def duck(events, schools):
        read = "read_csv" if events.suffix == ".csv" else "read_parquet"
        extra = ", types={'teacher_id': 'VARCHAR', 'rule': 'VARCHAR', 'decision': 'VARCHAR'}" if read == "read_csv" else ""
        rows = duckdb.sql(f"""
            SELECT s.school_id, coalesce(b.burden, 0) * 5.0 / (s.teachers * {days}) AS idx
            FROM {read}('{schools}') s LEFT JOIN (
              SELECT school_id, sum((CASE kind {cases} END) * hours * coalesce(CASE decision {mults} END, 1.0)) AS burden
              FROM {read}('{events}'{extra})
              WHERE CAST(date AS DATE) BETWEEN DATE '{start}' AND DATE '{end}' GROUP BY school_id
            ) b USING (school_id)""").fetchall()
        return dict(rows)

    def pandas(events, schools):
        if events.suffix == ".csv":
            ev = pd.read_csv(events, dtype={c: str for c in TEXT})
            sc = pd.read_csv(schools)
            dates = ev["date"]
        else:
            ev, sc = pd.read_parquet(events), pd.read_parquet(schools)
            dates = ev["date"].astype(str)
        ev = ev[(dates >= start) & (dates <= end)]
        burden = ev["kind"].map(weight) * ev["hours"] * ev["decision"].map(mult).fillna(1.0)
        out = sc.set_index("school_id")["teachers"].to_frame().join(burden.groupby(ev["school_id"]).sum().rename("b")).fillna({"b": 0.0})
        return (out["b"] * 5.0 / (out["teachers"] * days)).to_dict()

    print(f"{args.schools} schools, {table.num_rows:,} events, period {PERIOD}; best of {args.repeat}; "
          f"CSV {csv_events.stat().st_size / 2**20:.0f} MiB, Parquet {pq_events.stat().st_size / 2**20:.0f} MiB")
    print(f"{'':8} {'from CSV':>10} {'from Parquet':>14}")
    results = {}
    for name, fn in [("jianfu", jianfu), ("polars", polars), ("duckdb", duck), ("pandas", pandas)]:
        t_csv, r_csv = best(args.repeat, lambda: fn(csv_events, csv_schools))
        t_pq, r_pq = best(args.repeat, lambda: fn(pq_events, pq_schools))
        results[name] = (t_csv, t_pq, r_csv, r_pq)
    reference = results["jianfu"][2]
    worst = max(abs(reference[k] - r[k]) for t in results.values() for r in t[2:] for k in reference)
    if worst > 1e-6:
        sys.exit(f"results differ: max |Δ index| = {worst}")
    j_csv, j_pq = results["jianfu"][:2]
    for name, (t_csv, t_pq, _, _) in results.items():
        ratio = "" if name == "jianfu" else f"   ({t_csv / j_csv:.2f}× / {t_pq / j_pq:.2f}× jianfu's time)"
        print(f"{name:8} {t_csv:>8.3f} s {t_pq:>12.3f} s{ratio}")
    print(f"all agree: max |Δ index| = {worst:.1e}")


if __name__ == "__main__":
    main()
