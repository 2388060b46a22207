//! Normalisation (规范化) before any matching, so the words of the lexicon find the text however
//! it was typed or disguised:
//!
//! - compatibility forms folded by NFKC (full-width letters and digits, compatibility
//!   ideographs, Kangxi radicals), except full-width punctuation, which the context words
//!   already list in both widths;
//! - invisible characters removed (zero-width spaces and joiners, bidi marks, soft hyphens,
//!   variation selectors): `关\u{200b}注` reads as `关注`;
//! - spaces inside words removed: between two Chinese characters (`关 注`) and between the
//!   letters of a spaced-out Latin word (`A P P`);
//! - Cyrillic and Greek look-alikes read as Latin inside Latin-looking words (`АРР` with
//!   Cyrillic letters), using Unicode's confusables table;
//! - traditional characters read as simplified (`一票否決`), using OpenCC's character table
//!   (vendored in `data/opencc`).
//!
//! ASCII case is folded by the lexicon's character codes. Every character of the normalised text keeps
//! the position of the original character it came from, so evidence spans and clause texts
//! always point into the text the user gave.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

mod tables {
    include!(concat!(env!("OUT_DIR"), "/unicode_tables.rs"));
}

/// OpenCC's traditional → simplified character table (see `data/opencc/README.md`).
const TS_CHARACTERS: &str = include_str!("../../data/opencc/TSCharacters.txt");

/// The tables, built once per process.
pub(crate) struct Normalizer {
    /// Traditional → simplified, one character to one.
    t2s: FxHashMap<char, char>,
    /// Which characters of the main CJK block (U+4E00..U+9FFF) are keys of `t2s`.
    trad_bits: Vec<u64>,
    /// Cyrillic and Greek letters that look like a Latin letter, with that letter.
    lookalike: FxHashMap<char, char>,
    /// Which characters of the Basic Multilingual Plane are plain (see `plain`), one bit each.
    plain_bits: Vec<u64>,
}

const CJK_MAIN: std::ops::RangeInclusive<u32> = 0x4E00..=0x9FFF;

impl Normalizer {
    /// The process-wide tables.
    pub(crate) fn get() -> &'static Normalizer {
        static TABLES: OnceLock<Normalizer> = OnceLock::new();
        TABLES.get_or_init(Normalizer::build)
    }

    fn build() -> Self {
        let mut t2s = FxHashMap::default();
        let mut trad_bits = vec![0u64; (CJK_MAIN.end() - CJK_MAIN.start()) as usize / 64 + 1];
        for (from, to) in TS_CHARACTERS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut fields = l.split_whitespace();
                Some((fields.next()?, fields.next()?))
            })
        {
            let (mut f, mut t) = (from.chars(), to.chars());
            let (Some(f1), None, Some(t1), None) = (f.next(), f.next(), t.next(), t.next()) else {
                continue; // only one-to-one pairs keep positions
            };
            if f1 == t1 {
                continue;
            }
            t2s.insert(f1, t1);
            if let Some(offset) = (f1 as u32).checked_sub(*CJK_MAIN.start()) {
                if let Some(word) = trad_bits.get_mut(offset as usize / 64) {
                    *word |= 1 << (offset % 64);
                }
            }
        }
        let lookalike = tables::LOOKALIKE.iter().copied().collect();
        let mut tables = Self {
            t2s,
            trad_bits,
            lookalike,
            plain_bits: Vec::new(),
        };
        tables.plain_bits = (0..=0xFFFFu32 / 64)
            .map(|word| {
                (0..64).fold(0u64, |acc, bit| {
                    let plain = char::from_u32(word * 64 + bit).is_some_and(|c| tables.plain(c));
                    acc | (u64::from(plain) << bit)
                })
            })
            .collect();
        tables
    }

    fn is_traditional_main(&self, c: char) -> bool {
        let offset = c as u32 - CJK_MAIN.start();
        self.trad_bits
            .get(offset as usize / 64)
            .is_some_and(|w| w & (1 << (offset % 64)) != 0)
    }

    /// Whether `c` is left exactly as it is whatever surrounds it (the fast path).
    fn plain(&self, c: char) -> bool {
        let code = c as u32;
        match code {
            0..=0x7F => c != ' ' && c != '\t',
            _ if CJK_MAIN.contains(&code) => !self.is_traditional_main(c),
            // CJK punctuation (not the ideographic space), general punctuation and quotes,
            // full-width punctuation.
            0x3001..=0x303F | 0x2010..=0x2027 | 0x2030..=0x205E => true,
            0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65 => true,
            _ => false,
        }
    }

    /// Whether the BMP character `code` is plain (see `plain`).
    pub(crate) fn plain_bmp(&self, code: u32) -> bool {
        self.plain_bits
            .get(code as usize / 64)
            .is_some_and(|w| w & (1 << (code % 64)) != 0)
    }

    /// Whether every character of `text` is plain, read a byte at a time: ASCII other than
    /// spaces and tabs, and three-byte characters (CJK, punctuation) that are plain.
    fn all_plain(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 {
                if b == b' ' || b == b'\t' {
                    return false;
                }
                i += 1;
                continue;
            }
            let (Some(&b1), Some(&b2)) = (bytes.get(i + 1), bytes.get(i + 2)) else {
                return false;
            };
            if b & 0xF0 != 0xE0 {
                return false; // two- and four-byte characters take the careful path
            }
            let code =
                (u32::from(b & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
            if !self.plain_bmp(code) {
                return false;
            }
            i += 3;
        }
        true
    }

    /// Normalises `text`. Borrows it when nothing changes, which is the common case.
    pub(crate) fn normalize<'a>(&self, text: &'a str) -> Normalized<'a> {
        // The common case first: a text that needs nothing is read bytewise and borrowed.
        if self.all_plain(text) {
            return Normalized {
                text: Cow::Borrowed(text),
                origin: Vec::new(),
                original: text,
            };
        }
        let mut out: Option<(String, Vec<Origin>)> = None;
        let mut state = State::default();
        let mut buf: [char; 18] = ['\0'; 18];
        for (char_index, (byte, c)) in text.char_indices().enumerate() {
            let n = if self.plain(c) {
                put(&mut buf, c)
            } else {
                self.slow(text, byte, c, &mut state, &mut buf)
            };
            let unchanged = n == 1 && buf.first() == Some(&c);
            if !unchanged && out.is_none() {
                out = Some(materialize(text, byte));
            }
            if let Some((s, origin)) = out.as_mut() {
                for &o in buf.iter().take(n) {
                    s.push(o);
                    origin.push(Origin::at(char_index, byte));
                }
            }
            if n > 0 && !is_space(c) {
                for &o in buf.iter().take(n) {
                    state.emitted(o);
                }
            }
        }
        match out {
            None => Normalized {
                text: Cow::Borrowed(text),
                origin: Vec::new(),
                original: text,
            },
            Some((s, origin)) => Normalized {
                text: Cow::Owned(s),
                origin,
                original: text,
            },
        }
    }

    /// What `c` (at `byte` of `text`) becomes: `n` characters written to `buf`.
    fn slow(
        &self,
        text: &str,
        byte: usize,
        c: char,
        state: &mut State,
        buf: &mut [char; 18],
    ) -> usize {
        if invisible(c) {
            return 0;
        }
        if is_space(c) {
            state.spaced = true;
            // The next visible character after the run, found once per run.
            if state.run_end <= byte {
                let rest = text.get(byte..).unwrap_or_default();
                let mut end = text.len();
                let mut next = None;
                for (i, n) in rest.char_indices() {
                    if !is_space(n) && !invisible(n) {
                        end = byte + i;
                        next = Some(self.fold_one(n));
                        break;
                    }
                }
                state.run_end = end;
                state.run_next = next;
            }
            let inside_word = match (state.prev, state.run_next) {
                (Some(p), Some(n)) => {
                    (is_cjk(p) && is_cjk(n))
                        || (p.is_ascii_alphabetic()
                            && state.prev_isolated
                            && n.is_ascii_alphabetic())
                }
                _ => false,
            };
            return if inside_word { 0 } else { put(buf, c) };
        }
        if let Some(&latin) = self.lookalike.get(&c) {
            if self.latin_word(text, byte, state) {
                return put(buf, latin);
            }
        }
        // NFKC (full-width punctuation is not in the table: it stays as it is).
        let Some(folded) = compat(c) else {
            return put(buf, self.t2s.get(&c).copied().unwrap_or(c));
        };
        let mut n = 0;
        for f in folded.chars() {
            if let Some(slot) = buf.get_mut(n) {
                *slot = self.t2s.get(&f).copied().unwrap_or(f);
                n += 1;
            }
        }
        n
    }

    /// The one character `c` reads as for deciding about spaces and look-alikes: its NFKC
    /// form's first character, or its Latin look-alike.
    fn fold_one(&self, c: char) -> char {
        if let Some(&latin) = self.lookalike.get(&c) {
            return latin;
        }
        compat(c).and_then(|f| f.chars().next()).unwrap_or(c)
    }

    /// Whether the letter run around `byte` looks Latin: every letter in it is Latin (full
    /// width included) or has a Latin look-alike. A real Russian or Greek word has letters with
    /// no look-alike and is left alone. The verdict is kept for the rest of the run.
    fn latin_word(&self, text: &str, byte: usize, state: &mut State) -> bool {
        if byte < state.letters_end {
            return state.letters_latin;
        }
        let is_letter = |c: char| c.is_alphabetic() && !is_cjk(c);
        let latin = |c: char| self.fold_one(c).is_ascii_alphabetic();
        let before = text.get(..byte).unwrap_or_default().chars().rev();
        let after = text.get(byte..).unwrap_or_default();
        let mut verdict = before.take_while(|&c| is_letter(c)).all(latin);
        let mut end = text.len();
        for (i, c) in after.char_indices() {
            if !is_letter(c) {
                end = byte + i;
                break;
            }
            verdict &= latin(c);
        }
        state.letters_end = end;
        state.letters_latin = verdict;
        verdict
    }
}

/// What normalisation remembers while it walks a text.
#[derive(Debug, Default)]
struct State {
    /// The last character emitted, whether it stood alone as a Latin letter, and whether a
    /// space came since.
    prev: Option<char>,
    prev_isolated: bool,
    spaced: bool,
    /// The whitespace run being read: where it ends, and the character after it.
    run_end: usize,
    run_next: Option<char>,
    /// The letter run being read: where it ends, and whether it looks Latin.
    letters_end: usize,
    letters_latin: bool,
}

impl State {
    fn emitted(&mut self, c: char) {
        let prev_letter = self.prev.is_some_and(|p| p.is_ascii_alphabetic());
        self.prev_isolated = c.is_ascii_alphabetic() && (!prev_letter || self.spaced);
        self.prev = Some(c);
        self.spaced = false;
    }
}

/// Horizontal white space (not line breaks).
fn is_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// The NFKC form of `c`, when it differs and matters (see build.rs).
fn compat(c: char) -> Option<&'static str> {
    tables::COMPAT
        .binary_search_by_key(&c, |&(k, _)| k)
        .ok()
        .and_then(|i| tables::COMPAT.get(i))
        .map(|&(_, f)| f)
}

/// Writes one character.
fn put(buf: &mut [char; 18], c: char) -> usize {
    if let Some(slot) = buf.first_mut() {
        *slot = c;
    }
    1
}

/// Copies the unchanged prefix `text[..upto]` into an owned buffer with identity origins.
fn materialize(text: &str, upto: usize) -> (String, Vec<Origin>) {
    let prefix = text.get(..upto).unwrap_or_default();
    let mut s = String::with_capacity(text.len());
    s.push_str(prefix);
    let origin = prefix
        .char_indices()
        .enumerate()
        .map(|(i, (b, _))| Origin::at(i, b))
        .collect();
    (s, origin)
}

/// Format characters (Unicode category Cf) and variation selectors: invisible, and used to
/// split words so that a matcher misses them.
fn invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

/// Chinese characters (CJK ideographs in every block).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x30000..=0x3134F)
}

/// Where a character of the normalised text came from.
#[derive(Debug, Clone, Copy)]
struct Origin {
    /// Character index in the original text.
    char: u32,
    /// Byte offset in the original text.
    byte: u32,
}

impl Origin {
    fn at(char: usize, byte: usize) -> Self {
        // Positions past 4 GiB saturate; such a text is far beyond any document.
        Self {
            char: u32::try_from(char).unwrap_or(u32::MAX),
            byte: u32::try_from(byte).unwrap_or(u32::MAX),
        }
    }
}

impl<'a> Normalized<'a> {
    /// A text that needed no change.
    pub(crate) fn unchanged(text: &'a str) -> Self {
        Self {
            text: Cow::Borrowed(text),
            origin: Vec::new(),
            original: text,
        }
    }
}

/// A normalised text with the way back to the original.
#[derive(Debug)]
pub(crate) struct Normalized<'a> {
    /// The text to match on.
    pub text: Cow<'a, str>,
    /// Per character of `text`, its origin; empty when `text` is the original.
    origin: Vec<Origin>,
    original: &'a str,
}

impl Normalized<'_> {
    /// Maps a span of the normalised text (characters and bytes, `[start, end)`) to the span of
    /// the original characters it came from.
    pub(crate) fn original_span(
        &self,
        chars: [usize; 2],
        bytes: [usize; 2],
    ) -> ([usize; 2], [usize; 2]) {
        if self.origin.is_empty() {
            return (chars, bytes);
        }
        let start = self.start_of(chars[0]);
        let end = if chars[1] > chars[0] {
            self.end_of(chars[1] - 1)
        } else {
            start
        };
        ([start.0, end.0], [start.1, end.1])
    }

    /// (char, byte) where normalised character `i` starts in the original; the original's end
    /// when `i` is past the last character.
    fn start_of(&self, i: usize) -> (usize, usize) {
        match self.origin.get(i) {
            Some(o) => (o.char as usize, o.byte as usize),
            None => self.end(),
        }
    }

    /// (char, byte) just after the original character that normalised character `i` came from.
    fn end_of(&self, i: usize) -> (usize, usize) {
        match self.origin.get(i) {
            Some(o) => {
                let len = self
                    .original
                    .get(o.byte as usize..)
                    .and_then(|rest| rest.chars().next())
                    .map_or(0, char::len_utf8);
                (o.char as usize + 1, o.byte as usize + len)
            }
            None => self.end(),
        }
    }

    fn end(&self) -> (usize, usize) {
        (self.original.chars().count(), self.original.len())
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    fn norm(text: &str) -> String {
        Normalizer::get().normalize(text).text.into_owned()
    }

    #[test]
    fn plain_text_is_borrowed() {
        let n = Normalizer::get().normalize("各校要组织教师下载APP，并于3月15日前完成。");
        assert!(matches!(n.text, Cow::Borrowed(_)));
    }

    #[test]
    fn each_disguise_is_undone() {
        assert_eq!(norm("关\u{200b}注"), "关注"); // zero-width space
        assert_eq!(norm("关\u{feff}注\u{200d}"), "关注"); // BOM, joiner
        assert_eq!(norm("一票否決"), "一票否决"); // traditional
        assert_eq!(norm("實行一票否決"), "实行一票否决");
        assert_eq!(norm("ＡＰＰ１２"), "APP12"); // full width
        assert_eq!(norm("АРР"), "app"); // Cyrillic look-alikes
        assert_eq!(norm("关 注 公众号"), "关注公众号"); // spaces inside words
        assert_eq!(norm("A P P"), "APP");
        assert_eq!(norm("关 \u{200b}注公众号"), "关注公众号"); // invisible inside the gap
        assert_eq!(norm("Ａ Ｐ Ｐ"), "APP"); // full width and spaced out
        assert_eq!(norm("А Р Р"), "app"); // look-alikes and spaced out
        assert_eq!(norm("ＡРР"), "App"); // full width and look-alikes in one word
    }

    #[test]
    fn long_runs_stay_linear() {
        // A million spaces or look-alike letters: one pass, not one pass a character.
        let spaces = format!("关{}注", " ".repeat(1_000_000));
        assert_eq!(norm(&spaces), "关注");
        let cyrillic = "а".repeat(200_000);
        assert_eq!(norm(&cyrillic).len(), 200_000);
    }

    #[test]
    fn words_in_other_scripts_and_punctuation_stay() {
        assert_eq!(norm("Москва"), "Москва"); // a Russian word has letters with no look-alike
        assert_eq!(norm("download the app"), "download the app");
        assert_eq!(norm("2026年 3月"), "2026年 3月");
        assert_eq!(norm("，；（）"), "，；（）"); // full-width punctuation is kept
    }

    #[test]
    fn spans_map_back_to_the_original() {
        let original = "请关\u{200b}注ＡＰＰ";
        let n = Normalizer::get().normalize(original);
        assert_eq!(n.text, "请关注APP");
        // 关注 is normalised characters [1, 3); it came from 关\u{200b}注, characters [1, 4).
        let (chars, bytes) = n.original_span([1, 3], [3, 9]);
        assert_eq!(chars, [1, 4]);
        assert_eq!(&original[bytes[0]..bytes[1]], "关\u{200b}注");
        // APP is [3, 6); it came from the three full-width letters.
        let (chars, bytes) = n.original_span([3, 6], [9, 12]);
        assert_eq!(chars, [4, 7]);
        assert_eq!(&original[bytes[0]..bytes[1]], "ＡＰＰ");
    }
}
