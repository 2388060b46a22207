//! Any text as a draft: review never panics and its spans stay inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;
use common::engine;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let review = engine().review(text, jianfu::parse_date("2026-03-02").unwrap_or_default());
    let chars = text.chars().count();
    for clause in review.findings.iter().filter_map(|f| f.clause.as_ref()) {
        assert!(clause.span[0] <= clause.span[1] && clause.span[1] <= chars);
    }
});
