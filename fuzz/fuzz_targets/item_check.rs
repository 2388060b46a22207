//! Any bytes as items (object, array or JSON Lines): every record parses or errors, the
//! streaming reader gives the same records, and every parsed item checks, with and without a
//! register built from the same items.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;
use common::engine;

fuzz_target!(|data: &[u8]| {
    let as_of = chrono_date();
    let records = jianfu::ffi::parse_items_bytes(data, "fuzz");
    let streamed: Vec<_> = jianfu::ffi::ItemStream::new(data, "fuzz").filter_map(Result::ok).collect();
    assert_eq!(format!("{records:?}"), format!("{streamed:?}"));
    let items: Vec<jianfu::Item> = records.into_iter().filter_map(|r| r.item.ok()).collect();
    let register = jianfu::Register { items: items.clone(), ..Default::default() };
    for item in &items {
        let _ = engine().check(item, as_of);
        let _ = engine().check_with(item, as_of, &register);
    }
});

fn chrono_date() -> chrono::NaiveDate {
    jianfu::parse_date("2026-03-02").unwrap_or_default()
}
