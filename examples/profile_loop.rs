//! A fixed workload for instruction counts, which stay repeatable on a busy machine where
//! timings do not: `valgrind --tool=callgrind target/release/examples/profile_loop 20000`
//! checks the typical item 20,000 times; with a draft file after the count, it reviews the
//! draft that many times instead, or, for a `.jsonl` file, reads its items and checks them that
//! many times. Run it once with a count of 0 to subtract the engine's build.

use std::hint::black_box;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = jianfu::Engine::embedded()?;
    let as_of = jianfu::parse_date("2026-03-02")?;
    let item = jianfu::Item::from_json(include_str!("items/anti-fraud-campus-entry.json"))?;
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().map_or(Ok(20_000), |a| a.parse())?;
    let mut findings = 0usize;
    let path = args.next();
    if let Some(path) = path.as_ref().filter(|p| p.ends_with(".jsonl")) {
        let text = std::fs::read_to_string(path)?;
        for _ in 0..runs {
            let records = jianfu::ffi::parse_items_on(black_box(&text), path, jianfu::Threads::ONE);
            for item in records.into_iter().filter_map(|r| r.item.ok()) {
                findings += engine.check(&item, as_of).findings.len();
            }
        }
    } else if let Some(path) = path {
        let draft = std::fs::read_to_string(path)?;
        for _ in 0..runs {
            findings += engine.review(black_box(&draft), as_of).findings.len();
        }
    } else {
        for _ in 0..runs {
            findings += engine.check(black_box(&item), as_of).findings.len();
        }
    }
    println!("{runs} runs, {findings} findings");
    Ok(())
}
