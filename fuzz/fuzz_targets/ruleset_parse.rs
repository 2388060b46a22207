//! Any text as a ruleset layer: loading returns an error or a ruleset, never panics; a loaded
//! ruleset compiles and lints.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(ruleset) = jianfu::Ruleset::from_sources(&[("fuzz.toml", text)]) {
        let _ = ruleset.lint();
        let _ = jianfu::Engine::new(ruleset);
    }
});
