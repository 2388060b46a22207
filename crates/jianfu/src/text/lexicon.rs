//! The lexicon (词库): one Aho-Corasick automaton over every fact word, negator and break,
//! built once per engine. One pass over a text yields fact hits with character spans and
//! whether each sits in prohibitive context (不得要求教师下载APP).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::model::Fact;
use crate::rules::Ruleset;

/// What a pattern of the automaton is.
#[derive(Debug, Clone, Copy)]
enum Tag {
    /// A fact word of lexicon group `group`.
    Word { fact: Fact, group: usize },
    /// 不得, 严禁 …: what follows in the clause is prohibitive.
    Negator,
    /// Ends a negator's scope.
    ScopeBreak,
    /// Ends a sentence (and a negator's scope).
    SentenceBreak,
}

/// A fact word found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The fact.
    pub fact: Fact,
    /// Index of the lexicon group that matched.
    pub group: usize,
    /// Character span `[start, end)`.
    pub span: [usize; 2],
    /// Byte span, for slicing the text.
    pub bytes: [usize; 2],
    /// Inside a prohibitive clause (after 不得, 严禁 …).
    pub negated: bool,
    /// Index of the sentence it falls in.
    pub sentence: usize,
}

/// A sentence of a scanned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Character span, breaks excluded.
    pub span: [usize; 2],
    /// Byte span.
    pub bytes: [usize; 2],
}

/// A set of facts as bits (see [`Fact::bit`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FactSet(u32);

impl FactSet {
    /// Adds a fact.
    pub fn insert(&mut self, fact: Fact) {
        self.0 |= fact.bit();
    }

    /// Whether the set holds a fact.
    pub fn contains(self, fact: Fact) -> bool {
        self.0 & fact.bit() != 0
    }
}

/// The compiled lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    automaton: AhoCorasick,
    tags: Vec<Tag>,
}

impl Lexicon {
    /// Builds the automaton from a ruleset's lexicon and context words.
    pub fn new(ruleset: &Ruleset) -> crate::Result<Self> {
        let mut patterns: Vec<&str> = Vec::new();
        let mut tags = Vec::new();
        for (group, entry) in ruleset.lexicon().iter().enumerate() {
            for word in &entry.words {
                patterns.push(word);
                tags.push(Tag::Word {
                    fact: entry.fact,
                    group,
                });
            }
        }
        let context = ruleset.context();
        for (words, tag) in [
            (&context.negators, Tag::Negator),
            (&context.scope_breaks, Tag::ScopeBreak),
            (&context.sentence_breaks, Tag::SentenceBreak),
        ] {
            for word in words {
                patterns.push(word);
                tags.push(tag);
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            // A full DFA: a few hundred short patterns make it small, and Chinese text is
            // dense with matches (every comma is one), so search speed dominates.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| {
                crate::Error::invalid(crate::error::Location::source("lexicon"), e.to_string())
            })?;
        Ok(Self { automaton, tags })
    }

    /// Scans `text`, calling `on_hit` for each fact word and `on_sentence` for each sentence
    /// (when given). Characters are counted incrementally, so the pass stays linear.
    pub fn scan(
        &self,
        text: &str,
        mut on_hit: impl FnMut(Hit),
        mut on_sentence: Option<&mut dyn FnMut(Sentence)>,
    ) {
        let mut negated = false;
        let mut sentence = 0usize;
        let mut sentence_start = (0usize, 0usize); // (byte, char)
        let (mut byte_pos, mut char_pos) = (0usize, 0usize);
        let advance = |to: usize, byte_pos: &mut usize, char_pos: &mut usize| {
            *char_pos += text.get(*byte_pos..to).map_or(0, |s| s.chars().count());
            *byte_pos = to;
        };
        for m in self.automaton.find_iter(text) {
            let Some(tag) = self.tags.get(m.pattern().as_usize()).copied() else {
                continue;
            };
            advance(m.start(), &mut byte_pos, &mut char_pos);
            let start_char = char_pos;
            advance(m.end(), &mut byte_pos, &mut char_pos);
            match tag {
                Tag::Word { fact, group } => on_hit(Hit {
                    fact,
                    group,
                    span: [start_char, char_pos],
                    bytes: [m.start(), m.end()],
                    negated,
                    sentence,
                }),
                Tag::Negator => negated = true,
                Tag::ScopeBreak => negated = false,
                Tag::SentenceBreak => {
                    negated = false;
                    if let Some(f) = on_sentence.as_mut() {
                        f(Sentence {
                            span: [sentence_start.1, start_char],
                            bytes: [sentence_start.0, m.start()],
                        });
                    }
                    sentence += 1;
                    sentence_start = (m.end(), char_pos);
                }
            }
        }
        if let Some(f) = on_sentence.as_mut() {
            advance(text.len(), &mut byte_pos, &mut char_pos);
            if sentence_start.0 < text.len() {
                f(Sentence {
                    span: [sentence_start.1, char_pos],
                    bytes: [sentence_start.0, text.len()],
                });
            }
        }
    }
}
