//! Derives the two Unicode tables normalisation needs from the maintained crates that own them,
//! so the library carries a few tens of kilobytes of table instead of the crates' full tables
//! (which would add half a megabyte to the WASM module):
//!
//! - `COMPAT`: every character whose NFKC form differs and is made of Latin letters, digits or
//!   Chinese characters (full-width letters and digits, compatibility and radical ideographs,
//!   mathematical letters, circled numbers …), with that form, from `unicode-normalization`;
//!   full-width punctuation, which NFKC folds to ASCII punctuation, is left out (the ruleset's
//!   context words list both widths);
//! - `LOOKALIKE`: Cyrillic and Greek letters whose confusable skeleton is one Latin letter,
//!   from Unicode's confusables table in `unicode-security`.

use std::fmt::Write as _;

use unicode_normalization::UnicodeNormalization;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let mut out = String::new();
    out.push_str("/// Characters whose NFKC form differs, sorted, with that form.\n");
    out.push_str("pub(crate) static COMPAT: &[(char, &str)] = &[\n");
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let folded: String = c.nfkc().collect();
        let single_ascii_punct = {
            let mut chars = folded.chars();
            matches!((chars.next(), chars.next()), (Some(f), None) if f.is_ascii_punctuation())
        };
        let hangul = ('\u{AC00}'..='\u{D7A3}').contains(&c);
        // Only folds that a lexicon word can meet: into Latin letters, digits, spaces,
        // brackets or Chinese characters (Arabic presentation forms and the like are left out).
        let matchable = folded.chars().all(|f| {
            (f.is_ascii() && (f.is_ascii_alphanumeric() || f == ' ' || f == '(' || f == ')'))
                || ('\u{2E80}'..='\u{9FFF}').contains(&f)
                || ('\u{20000}'..='\u{2FFFF}').contains(&f)
        });
        if folded != c.to_string() && !single_ascii_punct && !hangul && matchable {
            writeln!(out, "    ({c:?}, {folded:?}),").ok();
        }
    }
    out.push_str("];\n\n");
    out.push_str(
        "/// Cyrillic and Greek letters that look like one Latin letter, sorted, with it.\n",
    );
    out.push_str("pub(crate) static LOOKALIKE: &[(char, char)] = &[\n");
    for c in (0x0370..=0x04FFu32)
        .filter_map(char::from_u32)
        .filter(|c| c.is_alphabetic())
    {
        let skeleton: Vec<char> = unicode_security::skeleton(c.encode_utf8(&mut [0; 4])).collect();
        if let [latin] = skeleton.as_slice() {
            if latin.is_ascii_alphabetic() {
                writeln!(out, "    ({c:?}, {:?}),", latin.to_ascii_lowercase()).ok();
            }
        }
    }
    out.push_str("];\n");
    let path = std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_default())
        .join("unicode_tables.rs");
    if let Err(e) = std::fs::write(&path, out) {
        println!("cargo::error=cannot write {}: {e}", path.display());
    }
}
