//! A fixed workload for instruction counts, which stay repeatable on a busy machine where
//! timings do not: `valgrind --tool=callgrind target/release/examples/profile_loop 20000`
//! checks the typical item 20,000 times; with a draft file after the count, it reviews the
//! draft that many times instead. Run it once with a count of 0 to subtract the engine's build.

use std::hint::black_box;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = jianfu::Engine::embedded()?;
    let as_of = jianfu::parse_date("2026-03-02")?;
    let item = jianfu::Item::from_json(include_str!("items/anti-fraud-campus-entry.json"))?;
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().map_or(Ok(20_000), |a| a.parse())?;
    let mut findings = 0usize;
    if let Some(path) = args.next() {
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
