//! Any text as a schools CSV and an events CSV (split at the first blank line): every row is
//! read or reported (never merged, never dropped), the same read from a stream, and the
//! tables score.
#![no_main]
use jianfu::score::read;
use libfuzzer_sys::fuzz_target;

mod common;
use common::engine;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (schools_text, events_text) = text.split_once("\n\n").unwrap_or((text, ""));
    let schools = read::schools_csv(schools_text, "schools.csv");
    let events = read::events_csv(events_text, "events.csv", &schools.table);
    // A row is one line (ended by `\n`, `\r\n` or, as in old Mac files, `\r`): never more
    // records (rows and errors) than non-empty lines (a line of spaces is a row to the reader).
    let lines = events_text.split(['\n', '\r']).filter(|l| !l.is_empty()).count();
    assert!(events.table.len() + events.errors.len() <= lines.max(1));
    // Read from a stream (a block at a time, on two threads): the same rows and errors.
    let streamed = read::events_csv_reader(
        events_text.as_bytes(),
        "events.csv",
        &schools.table,
        jianfu::Threads::new(2),
    );
    let streamed = streamed.unwrap_or_else(|e| panic!("a UTF-8 text streams: {e}"));
    assert_eq!(streamed.errors, events.errors);
    assert_eq!(streamed.table.len(), events.table.len());
    let _ = engine().score(&events.table, &schools.table, "2026-spring-1");
});
