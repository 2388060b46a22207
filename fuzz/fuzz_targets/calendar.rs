//! Any text as a school calendar: it loads or is refused with an error, and a loaded one
//! answers day types and periods for every day of a year without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(calendar) = jianfu::Calendar::from_toml("fuzz.toml", text) else { return };
    let Some(mut day) = chrono::NaiveDate::from_ymd_opt(2026, 1, 1) else { return };
    for _ in 0..366 {
        let _ = calendar.day_type(day);
        let _ = calendar.period_of(day);
        let _ = calendar.semester_bucket(day);
        let Some(next) = day.succ_opt() else { return };
        day = next;
    }
});
