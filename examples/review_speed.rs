//! The library's review speed over a draft file, to set beside `jianfu review` on the same
//! file: `cargo run --release -p jianfu --example review_speed -- draft.txt [runs]`.
//!
//! Each run reads the file part by part (`Engine::review_reader`, every core) and drops the
//! findings, so what is timed is reading and reviewing alone; the engine is built once,
//! outside the timing.

use std::io::BufReader;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: review_speed DRAFT [RUNS]")?;
    let runs: usize = args.next().map_or(Ok(7), |r| r.parse())?;
    let engine = jianfu::Engine::embedded()?;
    let as_of = jianfu::parse_date("2026-03-02")?;
    let mib = std::fs::metadata(&path)?.len() as f64 / f64::from(1 << 20);
    for _ in 0..runs {
        let started = Instant::now();
        let file = BufReader::with_capacity(1 << 20, std::fs::File::open(&path)?);
        let mut findings = 0usize;
        let review = engine.review_reader(file, &path, as_of, |_| {
            findings += 1;
            Ok(())
        })?;
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{findings} findings, {} chars: {seconds:.3} s, {:.1} MiB/s",
            review.chars,
            mib / seconds
        );
    }
    Ok(())
}
