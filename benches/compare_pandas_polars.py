#!/usr/bin/env python3
"""Side by side: the same per-school burden index computed by jianfu, polars and pandas on the
same generated data, in one run. Prints times and ratios, and checks the three agree.

Usage (from the repository root, after `cargo build --release -p jianfu-cli`):
    .venv/bin/python benches/compare_pandas_polars.py [--schools 1200] [--seed 1]
Needs polars and pandas (`pip install polars pandas`).
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time

import pandas as pd
import polars as pl

ROOT = pathlib.Path(__file__).resolve().parent.parent
JIANFU = ROOT / "target" / "release" / "jianfu"
PERIOD = "2026-spring-1"


def run(*args):
    return subprocess.run([str(JIANFU), *args], check=True, capture_output=True, text=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=1200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="jianfu-compare-"))
    run("demo-data", "--seed", str(args.seed), "--schools", str(args.schools), "--out", str(tmp))
    events, schools = tmp / "events.csv", tmp / "schools.csv"

    # jianfu: end to end (read CSV, score, write JSON), with its own read/score split.
    t0 = time.perf_counter()
    out = run("score", "--events", str(events), "--schools", str(schools), "--period", PERIOD, "--format", "json", "--timings")
    jf_total = time.perf_counter() - t0
    report = json.loads(out.stdout)
    jf_read, jf_score = [float(x.split()[0]) for x in out.stderr.split("read ")[1].split(", score ")]
    weights, period = report["weights"], report["period"]
    kinds = ["inspection", "campus_entry", "data_request", "secondment", "directive_task",
             "social_task", "duty", "training", "meeting", "document"]
    weight = dict(zip(kinds, weights["kind"]))
    mult = {"prohibited": weights["prohibited"], "needs_approval": weights["unapproved"], "incomplete": weights["unapproved"]}
    days = period["school_days"]
    jf = {s["school_id"]: s["index"] for s in report["schools"]}

    # polars
    t0 = time.perf_counter()
    ev = pl.read_csv(events, schema_overrides={"teacher_id": pl.Utf8, "item_id": pl.Utf8, "rule": pl.Utf8, "decision": pl.Utf8, "issuer": pl.Utf8, "comprehensive": pl.Utf8})
    sc = pl.read_csv(schools)
    t_read = time.perf_counter()
    pl_index = (
        ev.filter(pl.col("date").is_between(pl.lit(period["start"]), pl.lit(period["end"])))
        .with_columns(
            (pl.col("kind").replace_strict(weight, return_dtype=pl.Float64)
             * pl.col("hours")
             * pl.col("decision").replace_strict(mult, default=1.0, return_dtype=pl.Float64)).alias("burden"))
        .group_by("school_id").agg(pl.col("burden").sum())
        .join(sc.select("school_id", "teachers"), on="school_id", how="right")
        .with_columns((pl.col("burden").fill_null(0.0) * 5.0 / (pl.col("teachers") * days)).alias("index"))
    )
    pl_done = time.perf_counter()
    pl_total, pl_compute = pl_done - t0, pl_done - t_read

    # pandas
    t0 = time.perf_counter()
    pev = pd.read_csv(events, dtype={"teacher_id": str, "item_id": str, "rule": str, "decision": str, "issuer": str, "comprehensive": str})
    psc = pd.read_csv(schools)
    t_read = time.perf_counter()
    pev = pev[(pev["date"] >= period["start"]) & (pev["date"] <= period["end"])]
    burden = pev["kind"].map(weight) * pev["hours"] * pev["decision"].map(mult).fillna(1.0)
    per_school = burden.groupby(pev["school_id"]).sum()
    pd_index = psc.set_index("school_id")["teachers"].to_frame().join(per_school.rename("burden")).fillna({"burden": 0.0})
    pd_index["index"] = pd_index["burden"] * 5.0 / (pd_index["teachers"] * days)
    pd_done = time.perf_counter()
    pd_total, pd_compute = pd_done - t0, pd_done - t_read

    # The three must agree.
    pl_map = dict(zip(pl_index["school_id"].to_list(), pl_index["index"].to_list()))
    pd_map = pd_index["index"].to_dict()
    worst = max(max(abs(jf[k] - pl_map[k]), abs(jf[k] - pd_map[k])) for k in jf)
    if worst > 1e-6:
        sys.exit(f"results differ: max |Δ| = {worst}")

    n = len(ev)
    print(f"{args.schools} schools, {n:,} events, period {PERIOD} ({days} school days); max |Δ index| = {worst:.2e}")
    print(f"{'':8} {'end to end':>12} {'compute only':>14}")
    print(f"{'jianfu':8} {jf_total:>10.3f} s {jf_score:>12.4f} s   (read {jf_read:.3f} s)")
    print(f"{'polars':8} {pl_total:>10.3f} s {pl_compute:>12.4f} s")
    print(f"{'pandas':8} {pd_total:>10.3f} s {pd_compute:>12.4f} s")
    print(f"ratios (others ÷ jianfu): end to end polars {pl_total / jf_total:.2f}×, pandas {pd_total / jf_total:.2f}×; "
          f"compute polars {pl_compute / jf_score:.2f}×, pandas {pd_compute / jf_score:.2f}×")


if __name__ == "__main__":
    main()
