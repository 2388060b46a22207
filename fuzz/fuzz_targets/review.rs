//! Any text as a draft: review never panics and its spans stay inside the text.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn engine() -> &'static jianfu::Engine {
    static ENGINE: OnceLock<jianfu::Engine> = OnceLock::new();
    ENGINE.get_or_init(|| jianfu::Engine::embedded().unwrap_or_else(|e| panic!("{e}")))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let review = engine().review(text, jianfu::parse_date("2026-03-02").unwrap_or_default());
    let chars = text.chars().count();
    for clause in review.findings.iter().filter_map(|f| f.clause.as_ref()) {
        assert!(clause.span[0] <= clause.span[1] && clause.span[1] <= chars);
    }
});
