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
    bmp: Vec<u16>,
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
        let mut codes = Self {
            bmp: vec![0; 0x1_0000],
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

    /// Encodes `text` into `out` if every character of it is plain (needs no normalising),
    /// reading it a byte at a time; false (with `out` partly written) as soon as one is not.
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
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            starts.push(i);
            let cp = if b < 0x80 {
                i += 1;
                u32::from(b)
            } else {
                let (Some(&b1), Some(&b2)) = (bytes.get(i + 1), bytes.get(i + 2)) else {
                    return false;
                };
                if b & 0xF0 != 0xE0 {
                    return false; // two- and four-byte characters take the careful path
                }
                i += 3;
                (u32::from(b & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F)
            };
            let c = self
                .bmp
                .get(cp as usize)
                .copied()
                .unwrap_or(Self::NOT_PLAIN);
            if c & Self::NOT_PLAIN != 0 {
                return false;
            }
            out.push(c);
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

/// A node of the trie.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Its children, as a range of `Trie::edges` sorted by code (`WIDE`: in `Trie::wide`).
    edges: (u32, u32),
    /// The pattern that ends here (`NONE`: none).
    pattern: u32,
}

/// Every pattern in one trie over their codes.
#[derive(Debug, Clone)]
pub(super) struct Trie {
    /// The node each code starts (0: no pattern starts with it), by code.
    first: Vec<u32>,
    /// Node 0 is the root, whose children `first` holds.
    nodes: Vec<Node>,
    /// (code, node) per edge of a node with few children.
    edges: Vec<(u16, u32)>,
    /// The edges of nodes with many children (the first characters of many patterns), by
    /// node and code.
    wide: rustc_hash::FxHashMap<u64, u32>,
}

/// Most children a node keeps in `edges`, read one by one.
const NARROW: usize = 8;

/// The edge range of a node whose children are in `Trie::wide`.
const WIDE: (u32, u32) = (u32::MAX, u32::MAX);

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
        // Numbered breadth first, so the nodes of the first characters, which every search
        // reads, lie together in memory.
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
        let mut renumber = vec![0u32; children.len()];
        for (new, &old) in order.iter().enumerate() {
            if let Some(slot) = renumber.get_mut(old) {
                *slot = u32::try_from(new).unwrap_or(u32::MAX);
            }
        }
        let number = |old: u32| renumber.get(old as usize).copied().unwrap_or(0);
        let mut first = vec![0u32; codes.count];
        for (&code, &node) in children.first().into_iter().flatten() {
            if let Some(slot) = first.get_mut(usize::from(code)) {
                *slot = number(node);
            }
        }
        let mut nodes = Vec::with_capacity(children.len());
        let mut edges = Vec::new();
        let mut wide = rustc_hash::FxHashMap::default();
        let none = std::collections::BTreeMap::new();
        for (new, &old) in order.iter().enumerate() {
            let map = children.get(old).unwrap_or(&none);
            let pattern = ends.get(old).copied().unwrap_or(NONE);
            let start = u32::try_from(edges.len()).unwrap_or(u32::MAX);
            let range = if new == 0 {
                (start, start) // the root's children are `first`
            } else if map.len() <= NARROW {
                edges.extend(map.iter().map(|(&c, &n)| (c, number(n))));
                (start, u32::try_from(edges.len()).unwrap_or(u32::MAX))
            } else {
                let node = u32::try_from(new).unwrap_or(u32::MAX);
                wide.extend(map.iter().map(|(&c, &n)| (edge_key(node, c), number(n))));
                WIDE
            };
            nodes.push(Node {
                edges: range,
                pattern,
            });
        }
        Self {
            first,
            nodes,
            edges,
            wide,
        }
    }

    /// The child of `node` by `code`.
    fn child(&self, node: u32, code: u16) -> Option<u32> {
        let (a, b) = self.nodes.get(node as usize)?.edges;
        if (a, b) == WIDE {
            return self.wide.get(&edge_key(node, code)).copied();
        }
        let edges = self.edges.get(a as usize..b as usize)?;
        edges.iter().find(|(c, _)| *c == code).map(|&(_, n)| n)
    }

    /// The leftmost-longest match in `text` starting at or after `from`: (pattern, start,
    /// end), in characters.
    pub(super) fn next_match(&self, text: &[u16], from: usize) -> Option<(usize, usize, usize)> {
        let rest = text.get(from..)?;
        for (i, &code) in rest.iter().enumerate() {
            let Some(&node) = self.first.get(usize::from(code)) else {
                continue;
            };
            if node == 0 {
                continue;
            }
            let mut node = node;
            let mut longest = None;
            let mut end = i + 1;
            loop {
                let pattern = self.nodes.get(node as usize).map_or(NONE, |n| n.pattern);
                if pattern != NONE {
                    longest = Some((pattern as usize, end));
                }
                let Some(next) = rest.get(end).and_then(|&c| self.child(node, c)) else {
                    break;
                };
                node = next;
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
            // Latin in both cases, a character beyond the BMP, and enough patterns for nodes
            // with many children.
            patterns in proptest::collection::vec("[学校教师下载安排组织Aa\u{20000}]{1,4}", 1..40),
            text in "[学校教师下载安排组织无aAb\u{20000}]{0,40}",
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
