//! The lexicon's matcher: every pattern in one trie over character codes, searched
//! leftmost-longest.
//!
//! Each character of a pattern gets a code (`Codes`); a text is read as the same codes, one
//! per character, and every character that no pattern holds reads as code 0. The trie's
//! first step is a table indexed by code; a later step reads a node's few children one by one,
//! or looks a child up in a hash map when the node has many.
//!
//! Why not an Aho-Corasick automaton: over Chinese text (a pattern character almost every
//! character, matches every few) a contiguous NFA spent most of its time following failure
//! links through byte states, and a full DFA costs megabytes and milliseconds to build. The
//! patterns are short (a few characters), so trying each start in turn is as fast to write
//! and measured faster (see the README's instruction counts).

use super::normalize::Normalizer;

/// Every character that occurs in a pattern gets a number from 1; every other character reads
/// as 0, which no pattern holds. Latin letters get one number for both cases.
#[derive(Debug, Clone)]
pub(super) struct Codes {
    /// Code of each character of the Basic Multilingual Plane (0: in no pattern), with
    /// `NOT_PLAIN` set for a character that normalisation would change.
    bmp: Box<[u16; 0x1_0000]>,
    /// Codes of the characters beyond it.
    astral: rustc_hash::FxHashMap<char, u16>,
    /// Codes given out, code 0 included.
    count: usize,
}

impl Codes {
    /// Marks, in `bmp`, a character that normalisation would change.
    const NOT_PLAIN: u16 = 0x8000;
    /// Most distinct characters the patterns may hold (codes below `NOT_PLAIN`, less 0).
    pub(super) const MAX: usize = 0x7FFF;

    /// Numbers the characters of `patterns`.
    pub(super) fn new(patterns: &[String], normalizer: &Normalizer) -> Result<Self, String> {
        let bmp = vec![0; 0x1_0000].into_boxed_slice().try_into();
        let mut codes = Self {
            bmp: bmp.map_err(|_| "the character table has the wrong size".to_owned())?,
            astral: rustc_hash::FxHashMap::default(),
            count: 1,
        };
        let mut next: u16 = 1;
        for c in patterns.iter().flat_map(|p| p.chars()) {
            let c = c.to_ascii_lowercase();
            if codes.code(c) != 0 {
                continue;
            }
            if usize::from(next) > Self::MAX {
                return Err(format!(
                    "the lexicon holds more than {} distinct characters",
                    Self::MAX
                ));
            }
            match codes.bmp.get_mut(c as usize) {
                Some(slot) => *slot = next,
                None => {
                    codes.astral.insert(c, next);
                }
            }
            if c.is_ascii_lowercase() {
                // Latin letters match in either case.
                if let Some(slot) = codes.bmp.get_mut(c.to_ascii_uppercase() as usize) {
                    *slot = next;
                }
            }
            next += 1;
        }
        codes.count = usize::from(next);
        // One lookup a character tells both its code and whether it needs normalising.
        for (cp, slot) in codes.bmp.iter_mut().enumerate() {
            let plain = (cp < 0x80 && cp != 0x20 && cp != 0x09)
                || (cp >= 0x80 && normalizer.plain_bmp(u32::try_from(cp).unwrap_or(0)));
            if !plain {
                *slot |= Self::NOT_PLAIN;
            }
        }
        Ok(codes)
    }

    fn code(&self, c: char) -> u16 {
        match self.bmp.get(c as usize) {
            Some(&code) => code & !Self::NOT_PLAIN,
            None => self.astral.get(&c).copied().unwrap_or(0),
        }
    }

    /// Encodes `text` into `out` if every character of it is plain (needs no normalising);
    /// false (with `out` partly written) as soon as one is not.
    /// `starts` gets the byte offset of each character, then the text's length.
    pub(super) fn encode_plain(
        &self,
        text: &str,
        out: &mut Vec<u16>,
        starts: &mut Vec<usize>,
    ) -> bool {
        // One code and one offset a character: a third of the bytes for Chinese text, all of
        // them for ASCII (the vectors grow if needed).
        out.clear();
        out.reserve(text.len() / 2 + 1);
        starts.clear();
        starts.reserve(text.len() / 2 + 1);
        let mut rest = text.as_bytes();
        loop {
            // Plain text has one- and three-byte characters only (ASCII, CJK, punctuation); a
            // slice pattern reads each with one length check.
            let (cp, tail) = match rest {
                [] => break,
                [b, tail @ ..] if *b < 0x80 => (u16::from(*b), tail),
                [b0, b1, b2, tail @ ..] if b0 & 0xF0 == 0xE0 => (
                    (u16::from(b0 & 0x0F) << 12)
                        | (u16::from(b1 & 0x3F) << 6)
                        | u16::from(b2 & 0x3F),
                    tail,
                ),
                // Two- and four-byte characters take the careful path.
                _ => return false,
            };
            // A 16-bit index into a table of 2^16: no bounds to check.
            let code = self
                .bmp
                .get(usize::from(cp))
                .copied()
                .unwrap_or(Self::NOT_PLAIN);
            if code & Self::NOT_PLAIN != 0 {
                return false;
            }
            starts.push(text.len() - rest.len());
            out.push(code);
            rest = tail;
        }
        starts.push(text.len());
        true
    }

    /// Encodes any text; `starts` as for [`Codes::encode_plain`].
    pub(super) fn encode_into(&self, text: &str, out: &mut Vec<u16>, starts: &mut Vec<usize>) {
        out.clear();
        out.reserve(text.len() / 2 + 1);
        starts.clear();
        for (at, c) in text.char_indices() {
            starts.push(at);
            out.push(self.code(c));
        }
        starts.push(text.len());
    }

    /// The codes of a pattern.
    fn encode(&self, text: &str) -> Vec<u16> {
        text.chars().map(|c| self.code(c)).collect()
    }
}

/// No pattern ends at a node.
const NONE: u32 = u32::MAX;

/// What a walk needs of a node: the pattern that ends there and where its children lie. Each
/// edge holds its child's step, so a walk reads one edge a character and never a node table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Step {
    /// The pattern that ends here (`NONE`: none).
    pattern: u32,
    /// Its children: a range of `Trie::edges` (`start..end`), or, when `end` is `WIDE`, the
    /// node whose children `Trie::wide` holds under `start`.
    start: u32,
    end: u32,
}

impl Step {
    /// No node: nothing ends here and nothing follows.
    const EMPTY: Self = Self {
        pattern: NONE,
        start: 0,
        end: 0,
    };
}

/// An edge of a node with few children: the code it reads and the child's step.
#[derive(Debug, Clone, Copy)]
struct Edge {
    code: u16,
    child: Step,
}

/// Every pattern in one trie over their codes.
#[derive(Debug, Clone)]
pub(super) struct Trie {
    /// The step of the node each code starts (`Step::EMPTY`: no pattern starts with it).
    first: Vec<Step>,
    /// The edges of nodes with few children, each node's together and sorted by code.
    edges: Vec<Edge>,
    /// The children of nodes with many children (the first characters of many patterns), by
    /// node and code.
    wide: rustc_hash::FxHashMap<u64, Step>,
}

/// Most children a node keeps in `edges`, read one by one.
const NARROW: usize = 8;

/// `Step::end` of a node whose children are in `Trie::wide`.
const WIDE: u32 = u32::MAX;

/// The key of an edge in `Trie::wide`.
fn edge_key(node: u32, code: u16) -> u64 {
    (u64::from(node) << 16) | u64::from(code)
}

impl Trie {
    /// Builds the trie of `patterns`, each encoded with `codes`; a pattern's number is its
    /// index. Empty patterns match nothing; of equal patterns (the lexicon has none) the first
    /// counts.
    pub(super) fn new(patterns: &[String], codes: &Codes) -> Self {
        // Built as maps first, then laid out flat with each node's edges sorted.
        let mut children: Vec<std::collections::BTreeMap<u16, u32>> = vec![Default::default()];
        let mut ends: Vec<u32> = vec![NONE];
        for (id, pattern) in patterns.iter().enumerate() {
            let coded = codes.encode(pattern);
            if coded.is_empty() {
                continue;
            }
            let mut node = 0usize;
            for code in coded {
                let next = u32::try_from(children.len()).unwrap_or(u32::MAX);
                let child = *children
                    .get_mut(node)
                    .map(|c| c.entry(code).or_insert(next))
                    .unwrap_or(&mut 0);
                if child == next {
                    children.push(Default::default());
                    ends.push(NONE);
                }
                node = child as usize;
            }
            if let Some(end) = ends.get_mut(node).filter(|e| **e == NONE) {
                *end = u32::try_from(id).unwrap_or(NONE);
            }
        }
        // Edges laid out breadth first, so those of the first characters' nodes, which every
        // search reads, lie together in memory.
        let mut order = vec![0usize];
        let mut at = 0;
        while let Some(&node) = order.get(at) {
            order.extend(
                children
                    .get(node)
                    .into_iter()
                    .flatten()
                    .map(|(_, &n)| n as usize),
            );
            at += 1;
        }
        let none = std::collections::BTreeMap::new();
        let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        // Each node's step first (where its edges will lie), then the edges that hold them.
        let mut steps = vec![Step::EMPTY; children.len()];
        let mut laid = 0usize;
        for &old in order.iter().skip(1) {
            let count = children.get(old).map_or(0, |c| c.len());
            let (start, end) = if count <= NARROW {
                laid += count;
                (to_u32(laid - count), to_u32(laid))
            } else {
                (to_u32(old), WIDE)
            };
            if let Some(step) = steps.get_mut(old) {
                *step = Step {
                    pattern: ends.get(old).copied().unwrap_or(NONE),
                    start,
                    end,
                };
            }
        }
        let step_of = |n: u32| steps.get(n as usize).copied().unwrap_or(Step::EMPTY);
        let mut first = vec![Step::EMPTY; codes.count];
        for (&code, &node) in children.first().into_iter().flatten() {
            if let Some(slot) = first.get_mut(usize::from(code)) {
                *slot = step_of(node);
            }
        }
        let mut edges = Vec::with_capacity(laid);
        let mut wide = rustc_hash::FxHashMap::default();
        for &old in order.iter().skip(1) {
            let map = children.get(old).unwrap_or(&none);
            if map.len() <= NARROW {
                edges.extend(map.iter().map(|(&code, &n)| Edge {
                    code,
                    child: step_of(n),
                }));
            } else {
                let node = to_u32(old);
                wide.extend(
                    map.iter()
                        .map(|(&code, &n)| (edge_key(node, code), step_of(n))),
                );
            }
        }
        Self { first, edges, wide }
    }

    /// The child by `code` of the node whose step is `step`.
    fn child(&self, step: Step, code: u16) -> Option<Step> {
        if step.end == WIDE {
            return self.wide.get(&edge_key(step.start, code)).copied();
        }
        let edges = self.edges.get(step.start as usize..step.end as usize)?;
        edges.iter().find(|e| e.code == code).map(|e| e.child)
    }

    /// The leftmost-longest match in `text` starting at or after `from`: (pattern, start,
    /// end), in characters.
    pub(super) fn next_match(&self, text: &[u16], from: usize) -> Option<(usize, usize, usize)> {
        let rest = text.get(from..)?;
        for (i, &code) in rest.iter().enumerate() {
            let Some(&step) = self.first.get(usize::from(code)) else {
                continue;
            };
            if step == Step::EMPTY {
                continue;
            }
            let mut step = step;
            let mut longest = None;
            let mut end = i + 1;
            loop {
                if step.pattern != NONE {
                    longest = Some((step.pattern as usize, end));
                }
                let Some(next) = rest.get(end).and_then(|&c| self.child(step, c)) else {
                    break;
                };
                step = next;
                end += 1;
            }
            if let Some((pattern, end)) = longest {
                return Some((pattern, from + i, from + end));
            }
        }
        None
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "test harness")]
mod tests {
    use super::*;

    fn trie(patterns: &[&str]) -> (Codes, Trie) {
        let patterns: Vec<String> = patterns.iter().map(|p| (*p).to_owned()).collect();
        let codes = Codes::new(&patterns, Normalizer::get()).unwrap();
        let trie = Trie::new(&patterns, &codes);
        (codes, trie)
    }

    fn matches(patterns: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let (codes, trie) = trie(patterns);
        let mut coded = Vec::new();
        codes.encode_into(text, &mut coded, &mut Vec::new());
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some(m) = trie.next_match(&coded, pos) {
            out.push(m);
            pos = m.2;
        }
        out
    }

    #[test]
    fn the_leftmost_match_wins_then_the_longest_at_its_start() {
        let patterns = ["学校", "学校教师", "教师", "校教", "APP"];
        // 学校教师 starts first and is longest there; 校教 starts later and is never reported.
        assert_eq!(
            matches(&patterns, "各学校教师下载app"),
            vec![(1, 1, 5), (4, 7, 10)]
        );
        // A longer prefix that does not complete falls back to the longest that did.
        assert_eq!(matches(&patterns, "学校教"), vec![(0, 0, 2)]);
        assert_eq!(matches(&patterns, "无关文字"), vec![]);
        assert_eq!(matches(&patterns, ""), vec![]);
    }

    /// Leftmost-longest by brute force: the first start at which any pattern matches, and
    /// the longest pattern there.
    fn brute_force(patterns: &[String], text: &[char], from: usize) -> Option<(usize, usize)> {
        let lower = |s: &[char]| -> Vec<char> { s.iter().map(char::to_ascii_lowercase).collect() };
        let text = lower(text);
        (from..text.len()).find_map(|i| {
            patterns
                .iter()
                .map(|p| lower(&p.chars().collect::<Vec<_>>()))
                .filter(|p| !p.is_empty() && text.get(i..).is_some_and(|t| t.starts_with(p)))
                .map(|p| p.len())
                .max()
                .map(|len| (i, i + len))
        })
    }

    proptest::proptest! {
        #[test]
        fn matches_as_brute_force_leftmost_longest(
            // Latin in both cases, a two-byte character and one beyond the BMP (both read by
            // the careful encoder only), and enough patterns for nodes with many children.
            patterns in proptest::collection::vec("[学校教师下载安排组织Aaé\u{20000}]{1,4}", 1..40),
            text in "[学校教师下载安排组织无aAbé\u{20000}]{0,40}",
        ) {
            let (codes, trie) = {
                let codes = Codes::new(&patterns, Normalizer::get()).unwrap();
                let trie = Trie::new(&patterns, &codes);
                (codes, trie)
            };
            let (mut coded, mut starts) = (Vec::new(), Vec::new());
            codes.encode_into(&text, &mut coded, &mut starts);
            let (mut plain, mut plain_starts) = (Vec::new(), Vec::new());
            if codes.encode_plain(&text, &mut plain, &mut plain_starts) {
                proptest::prop_assert_eq!(&plain, &coded);
                proptest::prop_assert_eq!(&plain_starts, &starts);
            }
            let chars: Vec<char> = text.chars().collect();
            for from in 0..=chars.len() {
                let found = trie.next_match(&coded, from);
                let expected = brute_force(&patterns, &chars, from);
                proptest::prop_assert_eq!(found.map(|(_, s, e)| (s, e)), expected);
                if let Some((id, s, e)) = found {
                    let matched: String = chars.get(s..e).unwrap().iter().collect();
                    proptest::prop_assert_eq!(
                        patterns.get(id).unwrap().to_ascii_lowercase(),
                        matched.to_ascii_lowercase()
                    );
                }
            }
        }
    }

    #[test]
    fn a_node_with_many_children_finds_each() {
        let mut patterns: Vec<String> = "一二三四五六七八九十"
            .chars()
            .map(|c| format!("学{c}"))
            .collect();
        patterns.push("学十分".to_owned());
        let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let (_, trie) = trie(&patterns);
        assert!(
            trie.wide.len() >= 10,
            "学 keeps its children in the hash map"
        );
        assert_eq!(
            matches(&patterns, "学九学十分学"),
            vec![(8, 0, 2), (10, 2, 5)]
        );
    }

    #[test]
    fn characters_in_no_pattern_read_as_code_zero_and_break_a_match() {
        let patterns = ["学校", "教师"];
        assert_eq!(matches(&patterns, "学x校教师"), vec![(1, 3, 5)]);
        let (codes, _) = trie(&patterns);
        let mut coded = Vec::new();
        assert!(codes.encode_plain("学x校", &mut coded, &mut Vec::new()));
        assert_eq!(coded.get(1), Some(&0));
    }
}
