//! The native side of benches/wasm_bench.mjs: the same calls the WASM binding makes (JSON text
//! in through `jianfu::ffi`, JSON text out), natively, so the WASM figures have a like-for-like
//! native counterpart next to the core figures of benches/check.rs.
//! Run with `cargo bench -p jianfu-wasm --bench ffi_native`.

#![allow(missing_docs, reason = "criterion macros generate undocumented items")]
#![expect(clippy::unwrap_used, reason = "benchmark set-up")]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jianfu::{Engine, ffi};

const TYPICAL: &str = include_str!("../../../examples/items/anti-fraud-campus-entry.json");
const BATCH: &str = include_str!("../../../examples/items/batch.jsonl");
const DRAFT: &str = include_str!("../../../examples/drafts/draft-notice.txt");
const AS_OF: &str = "2026-03-02";

fn benches(c: &mut Criterion) {
    let engine = Engine::embedded().unwrap();

    c.bench_function("ffi/check_json", |b| {
        b.iter(|| {
            let v = ffi::check_json(&engine, black_box(TYPICAL), AS_OF, None).unwrap();
            black_box(serde_json::to_string(&v).unwrap())
        })
    });

    let n = BATCH.lines().filter(|l| !l.trim().is_empty()).count();
    let mut group = c.benchmark_group("ffi/batch");
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("check_many_json", |b| {
        b.iter(|| {
            let v = ffi::check_many_json(&engine, black_box(BATCH), AS_OF, None).unwrap();
            black_box(serde_json::to_string(&v).unwrap())
        })
    });
    group.finish();

    let big: String = DRAFT.repeat((1 << 20) / DRAFT.len() + 1);
    let mut group = c.benchmark_group("ffi/review");
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.sample_size(20);
    group.bench_function("review_json_1mb", |b| {
        b.iter(|| {
            let v = ffi::review_json(&engine, black_box(&big), AS_OF).unwrap();
            black_box(serde_json::to_string(&v).unwrap())
        })
    });
    group.finish();
}

criterion_group!(ffi_native, benches);
criterion_main!(ffi_native);
