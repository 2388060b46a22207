//! Criterion benchmarks of the core: single-item check, batch check, document review, and
//! ruleset load + compile. Run with `cargo bench -p jianfu`.

#![allow(missing_docs, reason = "criterion macros generate undocumented items")]
#![expect(clippy::unwrap_used, reason = "benchmark set-up")]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jianfu::{Engine, Item, Ruleset, Threads, parse_date};

const TYPICAL: &str = include_str!("../examples/items/anti-fraud-campus-entry.json");
const DRAFT: &str = include_str!("../examples/drafts/draft-notice.txt");

fn batch() -> Vec<Item> {
    let text = include_str!("../examples/items/batch.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Item::from_json(l).unwrap())
        .collect()
}

fn benches(c: &mut Criterion) {
    let engine = Engine::embedded().unwrap();
    let as_of = parse_date("2026-03-02").unwrap();
    let item = Item::from_json(TYPICAL).unwrap();

    c.bench_function("check/single_item", |b| {
        b.iter(|| black_box(engine.check(black_box(&item), as_of)))
    });

    c.bench_function("check/single_item_parse_json", |b| {
        b.iter(|| {
            let item = Item::from_json(black_box(TYPICAL)).unwrap();
            black_box(engine.check(&item, as_of).decision)
        })
    });

    // The batch file's ten items, 1,000 times over: enough for the thread pool to share.
    let one = engine.clone().with_threads(Threads::ONE);
    let items: Vec<Item> = batch().iter().cycle().take(10_000).cloned().collect();
    let jsonl = include_str!("../examples/items/batch.jsonl").repeat(1_000);
    let mut group = c.benchmark_group("check/batch");
    group.throughput(Throughput::Elements(items.len() as u64));
    for (name, engine, threads) in [
        ("", &one, Threads::ONE),
        ("/all_cores", &engine, Threads::ALL),
    ] {
        group.bench_function(format!("check_many{name}"), |b| {
            b.iter(|| black_box(engine.check_many(black_box(&items), as_of, None).len()))
        });
        // The same items read from JSON Lines first: the native counterpart of a binding
        // reading items from a table (reading an item costs more than checking it).
        group.bench_function(format!("parse_jsonl_and_check{name}"), |b| {
            b.iter(|| {
                let records =
                    jianfu::ffi::parse_items_on(black_box(&jsonl), "batch.jsonl", threads);
                let items: Vec<Item> = records.into_iter().map(|r| r.item.unwrap()).collect();
                black_box(engine.check_many(&items, as_of, None).len())
            })
        });
    }
    group.finish();

    // About 1 MB of Chinese text built from the sample draft.
    let big: String = DRAFT.repeat((1 << 20) / DRAFT.len() + 1);
    let mut group = c.benchmark_group("review");
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.sample_size(20);
    group.bench_function("review_1mb", |b| {
        b.iter(|| black_box(engine.review(black_box(&big), as_of).findings.len()))
    });
    group.finish();

    // One clause, as the web page, the Python binding or `--eval` reviews a short draft: what a
    // review costs beyond reading the text shows here.
    let clause = DRAFT.lines().find(|l| l.contains("APP")).unwrap();
    c.bench_function("review/one_clause", |b| {
        b.iter(|| black_box(engine.review(black_box(clause), as_of).findings.len()))
    });

    // 4 MB read part by part (1 MiB parts), on one thread and on every core.
    let four = big.repeat(4);
    let mut group = c.benchmark_group("review_reader");
    group.throughput(Throughput::Bytes(four.len() as u64));
    group.sample_size(10);
    for (name, engine) in [("one_thread", &one), ("all_cores", &engine)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0usize;
                let read = engine.review_reader(four.as_bytes(), "draft", as_of, |_| {
                    n += 1;
                    Ok(())
                });
                black_box((read.map(|r| r.chars).unwrap_or(0), n))
            })
        });
    }
    group.finish();

    c.bench_function("ruleset/load_and_compile", |b| {
        b.iter(|| black_box(Engine::new(Ruleset::embedded().unwrap()).unwrap()))
    });
}

criterion_group!(core, benches);
criterion_main!(core);
