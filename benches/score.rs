//! Criterion benchmarks of burden scoring: the index from in-memory columns, CSV ingestion,
//! and the monitoring report (with HTML) for the demo city. Run with `cargo bench -p jianfu`.

#![allow(missing_docs, reason = "criterion macros generate undocumented items")]
#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "benchmark set-up"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jianfu::score::{self, Events, demo, read, write};
use jianfu::{Engine, Threads};

fn benches(c: &mut Criterion) {
    let engine = Engine::embedded().unwrap();
    // The demo city: 1,200 schools, one semester.
    let config = demo::DemoConfig::default();
    let schools = demo::schools(&config);
    let events = demo::events(&config, &schools, engine.calendar());
    let period = engine.calendar().period("2026-spring-1").unwrap();
    let weights = jianfu::score::Weights::from_ruleset(engine.ruleset(), period.end).unwrap();

    // Scoring passes over every event (the period filter included), so throughput counts all.
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Elements(events.len() as u64));
    group.sample_size(20);
    for (name, threads) in [
        ("index_from_columns", Threads::ONE),
        ("index_from_columns_all_cores", Threads::ALL),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let report = score::score(&events, &schools, &period, &weights, threads);
                black_box(report.unwrap().events)
            })
        });
    }
    // The distributed path on one machine: two halves' partials merged and finished.
    let all = events.to_rows(&schools);
    let (first, _) = Events::from_rows(&schools, &all[..all.len() / 2], "first");
    let (second, _) = Events::from_rows(&schools, &all[all.len() / 2..], "second");
    group.bench_function("partial_merge_finish_two_halves", |b| {
        b.iter(|| {
            let a = score::partial(&first, &schools, &period, &weights, Threads::ONE).unwrap();
            let b = score::partial(&second, &schools, &period, &weights, Threads::ONE).unwrap();
            black_box(a.merge(b).unwrap().finish().unwrap().events)
        })
    });
    group.finish();

    // The same city from rows in memory (ids as strings, as a table holds them): interning,
    // validation and scoring together, the native counterpart of a binding's table path.
    let rows = events.to_rows(&schools);
    let mut group = c.benchmark_group("score_rows");
    group.throughput(Throughput::Elements(rows.len() as u64));
    group.sample_size(10);
    group.bench_function("ingest_rows", |b| {
        b.iter(|| {
            black_box(
                Events::from_rows(&schools, black_box(&rows), "rows")
                    .0
                    .len(),
            )
        })
    });
    group.bench_function("ingest_rows_and_score", |b| {
        b.iter(|| {
            let (table, _) = Events::from_rows(&schools, black_box(&rows), "rows");
            let report = score::score(&table, &schools, &period, &weights, Threads::ONE);
            black_box(report.unwrap().events)
        })
    });
    group.finish();

    // CSV ingestion: a 300-school city, as text in memory.
    let small = demo::DemoConfig {
        schools: 300,
        ..demo::DemoConfig::default()
    };
    let small_schools = demo::schools(&small);
    let small_events = demo::events(&small, &small_schools, engine.calendar());
    let mut csv = Vec::new();
    write::events_csv(&small_events, &small_schools, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Bytes(csv.len() as u64));
    group.sample_size(10);
    group.bench_function("events_csv", |b| {
        b.iter(|| {
            black_box(
                read::events_csv(black_box(&csv), "events.csv", &small_schools)
                    .table
                    .len(),
            )
        })
    });
    group.finish();

    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.bench_function("monitor_and_html_demo_city", |b| {
        b.iter(|| {
            let report = engine.monitor(&events, &schools, "2026-spring-2").unwrap();
            black_box(jianfu::score::html::render(&report, "bench").len())
        })
    });
    group.finish();
}

criterion_group!(score, benches);
criterion_main!(score);
