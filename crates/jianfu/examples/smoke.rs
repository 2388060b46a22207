//! Smoke check of the embedded ruleset.
fn main() {
    match jianfu::Engine::embedded() {
        Ok(engine) => {
            println!("{} rules", engine.ruleset().rules().len());
            for l in engine.ruleset().lint() {
                println!("{:?} {} {}", l.kind, l.subject, l.message);
            }
            let item = jianfu::Item::from_json(r#"{"id":"x","kind":"campus_entry","title":"反电诈APP下载推广进校园","issuer":{"name":"公安局","kind":"other_department","level":"city"},"targets":["students"],"start":"2026-03-10"}"#).unwrap_or_else(|e| { eprintln!("{e}"); std::process::exit(1) });
            let v = engine.check(&item, jianfu::parse_date("2026-03-01").unwrap_or_default());
            println!(
                "{}",
                serde_json::to_string_pretty(&v.to_json()).unwrap_or_default()
            );
        }
        Err(e) => println!("error: {e}"),
    }
}
