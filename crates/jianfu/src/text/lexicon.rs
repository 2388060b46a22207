//! The lexicon (词库): every word of the ruleset's lexicon entries and context in one trie
//! (`trie`), built once per engine, and the reading of a text sentence by sentence.
//!
//! A text is normalised first (see `normalize`), then scanned once. Each sentence's tokens
//! are then read as clauses and predicates:
//! - a prohibition (不得, 严禁 …) covers the rest of its clause, up to a comma, or up to a
//!   joiner followed by an imposing verb (严禁体罚学生并要求教师… starts a new predicate at
//!   并要求); look-alikes (不得不, 不得少于) do not forbid;
//! - 除…外 marks an exception or a compliant alternative; 确需…审批 marks a permission;
//! - quoted names (“…”, 《…》) never break a sentence.
//!
//! An entry fires in a sentence when one term of each of its groups stands there, imposed (not
//! forbidden, excepted or permitted), with no cancelling word in the same clause or in a
//! condition clause before it (…留校学生较多的，), in order and within the gap when the entry
//! says so, and on a named day when it asks for one.

use chrono::{Datelike, NaiveDate};

use super::normalize::{Normalized, Normalizer};
use super::trie::{Codes, Trie};
use crate::calendar::Calendar;
use crate::model::{DayType, Fact};
use crate::rules::{DayWord, LexiconGroup, Ruleset};

/// What a pattern finds, besides its context flags; a pattern can find several things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A term of slot `slot` of lexicon entry `group`.
    Term { group: u32, slot: u8 },
    /// A word that cancels entry `group` in its clause.
    Unless { group: u32 },
    /// Names a type of day.
    Day(DayWord),
}

/// Context flags of a pattern, as bits: what the word does to the reading of its sentence.
mod flag {
    /// 不得, 严禁 …: what follows in the clause is forbidden.
    pub const NEGATOR: u32 = 1;
    /// 不得不, 会议要求 …: looks like a negator or a term, is neither.
    pub const NEUTRAL: u32 = 1 << 1;
    /// ，: ends a prohibition's scope.
    pub const SCOPE_BREAK: u32 = 1 << 2;
    /// 。: ends a sentence outside quotation marks.
    pub const SENTENCE_BREAK: u32 = 1 << 3;
    /// A newline: ends a sentence and any open quotation.
    pub const HARD_BREAK: u32 = 1 << 4;
    /// 并要求, 同时组织 …: a joiner and an imposing verb start a new predicate.
    pub const PREDICATE: u32 = 1 << 5;
    /// 除.
    pub const EXCEPT_OPEN: u32 = 1 << 6;
    /// 确需.
    pub const PERMIT_OPEN: u32 = 1 << 7;
    /// 审批.
    pub const PERMIT_APPROVAL: u32 = 1 << 8;
    /// 已责令纠正: the sentence reports, it imposes nothing.
    pub const REPORT: u32 = 1 << 9;
    /// “, 《.
    pub const QUOTE_OPEN: u32 = 1 << 10;
    /// ”, 》.
    pub const QUOTE_CLOSE: u32 = 1 << 11;
    /// " (opens and closes).
    pub const QUOTE_TOGGLE: u32 = 1 << 12;
    /// 审批后方可: whatever the sentence asks waits for an approval; it permits.
    pub const PERMIT_ALL: u32 = 1 << 13;
    /// 但: a concession turns.
    pub const BUT: u32 = 1 << 14;
    /// 自愿: a demand made voluntary (void after a `but` and a compulsion word).
    pub const VOLUNTARY: u32 = 1 << 15;
    /// 须达到, 不低于: after a `but`, the demand is compulsory after all.
    pub const COMPULSION: u32 = 1 << 16;
    /// 机关干部, 护林员: a bearer other than schools.
    pub const OTHER_BEARER: u32 = 1 << 17;
    /// 学校, 教师: a school-side bearer.
    pub const SCHOOL_BEARER: u32 = 1 << 18;
    /// 须报, 须经: routes the matter to an approver.
    pub const PERMIT_ROUTE: u32 = 1 << 19;
    /// 教育局, 秘书组: an education-side approver.
    pub const PERMIT_APPROVER: u32 = 1 << 20;
    /// 存在问题: may head a report's section (see `Reader::in_report_section`).
    pub const HEADING: u32 = 1 << 21;
}

/// A fact found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The fact.
    pub fact: Fact,
    /// Index of the lexicon entry that matched.
    pub group: usize,
    /// Character span `[start, end)` of one matched term in the original text.
    pub span: [usize; 2],
    /// Byte span in the original text.
    pub bytes: [usize; 2],
    /// Index of the sentence it falls in.
    pub sentence: usize,
}

/// A sentence of a scanned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Character span in the original text, breaks excluded.
    pub span: [usize; 2],
    /// Byte span in the original text.
    pub bytes: [usize; 2],
}

/// A set of facts as bits (see [`Fact::bit`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FactSet(u64);

impl FactSet {
    /// Adds a fact.
    pub fn insert(&mut self, fact: Fact) {
        self.0 |= fact.bit();
    }

    /// Whether the set holds a fact.
    pub fn contains(self, fact: Fact) -> bool {
        self.0 & fact.bit() != 0
    }

    /// The facts of either set.
    pub(crate) fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether the sets share a fact.
    pub(crate) fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }
}

/// What a scan needs besides the text: the calendar and the year for dates that give none
/// (10月2日).
#[derive(Debug, Clone, Copy)]
pub struct ScanCtx<'a> {
    /// The school calendar that types dates.
    pub calendar: &'a Calendar,
    /// The year of a date written without one.
    pub year: i32,
    /// Whether the text is read as a notice (review): its title line imposes nothing (the body
    /// makes the demand the title names), a line ending with a lead-in (…通知如下：)
    /// introduces and demands nothing, and both date the items after them. An item's title
    /// and description are read as plain text (check).
    pub titles: bool,
}

/// The compiled lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// Every pattern, searched leftmost-longest.
    trie: Trie,
    /// The code the trie reads each character as.
    codes: Codes,
    /// Per pattern, its roles as a range of `roles`.
    spans: Vec<(u32, u32)>,
    roles: Vec<Role>,
    /// Per role in `roles`, where in its pattern the word that gave it stands (`None`: the
    /// whole pattern), so evidence shows 要求, not the 并要求 that holds it.
    inner: Vec<Option<Inner>>,
    /// Per pattern, its context flags.
    flags: Vec<u32>,
    /// Per pattern, the first character from which a longer word may start inside it and run
    /// past its end (0: none). The trie reports one longest match at a place, so without
    /// this 材料组 in 迎检材料组 would be lost inside 迎检材料.
    straddle: Vec<u16>,
    /// Per pattern, the slots it fills per entry, as a range of `term_masks`: (entry, slot
    /// bits), one pair per entry (what a token adds to the sentence's masks).
    mask_spans: Vec<(u32, u32)>,
    term_masks: Vec<(u32, u32)>,
    /// Per pattern, its cancelling-word and day roles, as a range of `other_roles`.
    other_spans: Vec<(u32, u32)>,
    other_roles: Vec<Role>,
    groups: Vec<Entry>,
    /// 外, 以外 … (searched for after a 除, not scanned for: 外 is everywhere).
    exception_close: Vec<String>,
    /// 还, 也 … right after the close of 除…外.
    additive: Vec<String>,
    /// Quotation marks (open, close), normalised.
    quote_pairs: Vec<(String, String)>,
    /// Denial words (学校不代收): subjects, negations and look-alikes, normalised.
    denial: Denial,
    /// 要求, 组织 … (normalised): a clause before a denial that holds one is a demand.
    imposers: Vec<String>,
    /// 通知, 细则 … (normalised): how a title line ends.
    title_endings: Vec<String>,
    /// 请, 各 … (normalised): how a title line does not open.
    title_not_opening: Vec<String>,
    /// 如下 … (normalised): how a notice's lead-in sentence ends.
    lead_ins: Vec<String>,
    /// 存在问题 … (normalised): a report's section heading.
    report_headings: Vec<String>,
    /// 的, 期间 … (normalised): how a condition clause ends before its comma.
    condition_endings: Vec<String>,
    /// 小时, 同时 … (normalised): end so, state no condition.
    condition_except: Vec<String>,
    /// 的 … (normalised): states a condition inside a clause.
    condition_inside: Vec<String>,
    /// Whether `\n` is a hard sentence break that no other word holds: then a line break ends
    /// every sentence and quotation, and lines after one read alike in a part or on their own
    /// (what makes [`Carry`] all that carries).
    lines_stand_alone: bool,
}

/// Words of a denial clause (…，学校不代为发放), normalised.
#[derive(Debug, Clone, Default)]
struct Denial {
    subjects: Vec<String>,
    negators: Vec<String>,
    except: Vec<String>,
}

/// What the scan needs of a lexicon entry.
#[derive(Debug, Clone)]
struct Entry {
    fact: Fact,
    /// Term slots, day slot excluded.
    slots: u8,
    in_order: bool,
    within: Option<u32>,
    on_days: Vec<DayWord>,
    /// A sentence that names no day takes its notice's days.
    notice_days: bool,
}

impl Entry {
    fn total_slots(&self) -> usize {
        usize::from(self.slots) + usize::from(!self.on_days.is_empty())
    }
}

impl From<&LexiconGroup> for Entry {
    fn from(g: &LexiconGroup) -> Self {
        Self {
            fact: g.fact,
            slots: u8::try_from(g.frame.len()).unwrap_or(u8::MAX),
            in_order: g.in_order,
            within: g.within,
            on_days: g.on_days.clone(),
            notice_days: g.notice_days,
        }
    }
}

impl Lexicon {
    /// Builds the trie from a ruleset's lexicon and context words.
    pub fn new(ruleset: &Ruleset) -> crate::Result<Self> {
        let normalizer = Normalizer::get();
        let mut table = PatternTable::default();
        let lexicon = ruleset.lexicon();
        for (group, entry) in lexicon.iter().enumerate() {
            let group = u32::try_from(group).unwrap_or(u32::MAX);
            for (slot, words) in entry.frame.iter().enumerate() {
                let slot = u8::try_from(slot).unwrap_or(u8::MAX);
                for word in words {
                    table.role(normalizer, word, Role::Term { group, slot });
                }
            }
            for word in &entry.unless {
                table.role(normalizer, word, Role::Unless { group });
            }
        }
        let c = ruleset.context();
        for (words, bit) in [
            (&c.negators, flag::NEGATOR),
            (&c.neutral, flag::NEUTRAL),
            (&c.scope_breaks, flag::SCOPE_BREAK),
            (&c.exception_open, flag::EXCEPT_OPEN),
            (&c.permission_open, flag::PERMIT_OPEN),
            (&c.permission_approval, flag::PERMIT_APPROVAL),
            (&c.reporting, flag::REPORT),
            (&c.permission_after, flag::PERMIT_ALL),
            (&c.permission_route, flag::PERMIT_ROUTE),
            (&c.permission_approver, flag::PERMIT_APPROVER),
            (&c.report_headings, flag::HEADING),
            (&c.concession_but, flag::BUT),
            (&c.concession_voluntary, flag::VOLUNTARY),
            (&c.concession_compulsion, flag::COMPULSION),
            (&c.bearer_others, flag::OTHER_BEARER),
            (&c.bearer_schools, flag::SCHOOL_BEARER),
        ] {
            for word in words {
                table.flag(normalizer, word, bit);
            }
        }
        // A joiner followed by an imposing verb, as one word: one match instead of two, and
        // the one-character joiners (和, 并) need not be scanned for on their own.
        for joiner in &c.joiners {
            for imposer in &c.imposers {
                table.flag(normalizer, &format!("{joiner}{imposer}"), flag::PREDICATE);
            }
        }
        for word in &c.sentence_breaks {
            let hard = if word.chars().count() == 1 && word.starts_with(LINE_BREAKS) {
                flag::HARD_BREAK
            } else {
                0
            };
            table.flag(normalizer, word, flag::SENTENCE_BREAK | hard);
        }
        for [open, close] in &c.quotes {
            if open == close {
                table.flag(normalizer, open, flag::QUOTE_TOGGLE);
            } else {
                table.flag(normalizer, open, flag::QUOTE_OPEN);
                table.flag(normalizer, close, flag::QUOTE_CLOSE);
            }
        }
        for (day, word) in &c.days {
            table.role(normalizer, word, Role::Day(*day));
        }
        table.inherit();
        let lexicon_error = |e: &dyn std::fmt::Display| {
            crate::Error::invalid(crate::error::Location::source("lexicon"), e.to_string())
        };
        let codes = Codes::new(&table.patterns, normalizer).map_err(|e| lexicon_error(&e))?;
        let trie = Trie::new(&table.patterns, &codes);
        let normalize_all = |words: &[String]| -> Vec<String> {
            words
                .iter()
                .map(|w| normalizer.normalize(w).text.into_owned())
                .filter(|w| !w.is_empty())
                .collect()
        };
        let straddle = table.straddles();
        // The words that hold a line break: `\n` alone, or a word a cut could split.
        let with_newline: Vec<(usize, bool)> = (table.patterns.iter().enumerate())
            .filter(|(_, word)| word.contains('\n'))
            .map(|(i, word)| (i, word == "\n"))
            .collect();
        let (spans, roles, inner, flags) = table.flatten();
        let lines_stand_alone = !with_newline.is_empty()
            && with_newline.iter().all(|&(i, alone)| {
                alone && flags.get(i).is_some_and(|f| f & flag::HARD_BREAK != 0)
            });
        let (mut mask_spans, mut term_masks) = (Vec::with_capacity(spans.len()), Vec::new());
        for &(a, b) in &spans {
            let start = u32::try_from(term_masks.len()).unwrap_or(u32::MAX);
            for role in roles.get(a as usize..b as usize).unwrap_or_default() {
                if let Role::Term { group, slot } = *role {
                    let bit = 1u32 << u32::from(slot).min(31);
                    let mine = term_masks.get_mut(start as usize..).unwrap_or_default();
                    match mine.iter_mut().find(|(g, _)| *g == group) {
                        Some((_, bits)) => *bits |= bit,
                        None => term_masks.push((group, bit)),
                    }
                }
            }
            mask_spans.push((start, u32::try_from(term_masks.len()).unwrap_or(u32::MAX)));
        }
        let (mut other_spans, mut other_roles) = (Vec::with_capacity(spans.len()), Vec::new());
        for &(a, b) in &spans {
            let start = u32::try_from(other_roles.len()).unwrap_or(u32::MAX);
            other_roles.extend(
                roles
                    .get(a as usize..b as usize)
                    .unwrap_or_default()
                    .iter()
                    .filter(|r| !matches!(r, Role::Term { .. })),
            );
            other_spans.push((start, u32::try_from(other_roles.len()).unwrap_or(u32::MAX)));
        }
        Ok(Self {
            lines_stand_alone,
            trie,
            codes,
            spans,
            roles,
            inner,
            flags,
            straddle,
            mask_spans,
            term_masks,
            other_spans,
            other_roles,
            groups: lexicon.iter().map(Entry::from).collect(),
            exception_close: normalize_all(&c.exception_close),
            additive: normalize_all(&c.exception_additive),
            quote_pairs: c
                .quotes
                .iter()
                .map(|[open, close]| {
                    let norm = |w: &String| normalizer.normalize(w).text.into_owned();
                    (norm(open), norm(close))
                })
                .filter(|(open, close)| !open.is_empty() && !close.is_empty())
                .collect(),
            denial: Denial {
                subjects: normalize_all(&c.denial_subjects),
                negators: normalize_all(&c.denial_negators),
                except: normalize_all(&c.denial_except),
            },
            imposers: normalize_all(&c.imposers),
            title_endings: normalize_all(&c.title_endings),
            title_not_opening: normalize_all(&c.title_not_opening),
            lead_ins: normalize_all(&c.title_lead_ins),
            report_headings: normalize_all(&c.report_headings),
            condition_endings: normalize_all(&c.condition_endings),
            condition_except: normalize_all(&c.condition_except),
            condition_inside: normalize_all(&c.condition_inside),
        })
    }

    /// A pattern's roles, each with where in the pattern its word stands.
    fn roles_at(&self, pattern: u32) -> impl Iterator<Item = (&Role, Option<Inner>)> {
        let (a, b) = self.spans.get(pattern as usize).copied().unwrap_or((0, 0));
        let roles = self.roles.get(a as usize..b as usize).unwrap_or_default();
        let inner = self.inner.get(a as usize..b as usize).unwrap_or_default();
        roles.iter().zip(inner.iter().copied())
    }

    fn roles_of(&self, pattern: u32) -> &[Role] {
        self.spans
            .get(pattern as usize)
            .and_then(|&(a, b)| self.roles.get(a as usize..b as usize))
            .unwrap_or_default()
    }

    /// Whether `pattern` only names a type of day (周六, 暑假): a prohibition leaves it alone,
    /// since it still dates a later demand.
    fn names_day(&self, pattern: u32) -> bool {
        self.roles_of(pattern)
            .iter()
            .all(|r| matches!(r, Role::Day(_)))
    }

    /// Whether the opening quotation mark at `start..end` of `text` is closed within a quoted
    /// name's reach, before the next line break.
    fn closes_soon(&self, text: &str, start: usize, end: usize) -> bool {
        let Some(opener) = text.get(start..end) else {
            return false;
        };
        // A byte window wide enough for QUOTE_MAX_CHARS characters, cut at the line break.
        let mut limit = end.saturating_add(QUOTE_MAX_CHARS * 4).min(text.len());
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = text.get(end..limit).unwrap_or_default();
        let ahead = window
            .find(['\n', '\r'])
            .and_then(|stop| window.get(..stop))
            .unwrap_or(window);
        self.quote_pairs
            .iter()
            .filter(|(open, _)| open == opener)
            .any(|(_, close)| ahead.contains(close.as_str()))
    }

    /// Whether `text` (a sentence or a line, normalised) ends with a lead-in word, its closing
    /// colon or full stop aside (…通知如下：).
    fn ends_with_lead_in(&self, text: &str) -> bool {
        let text = text.trim_end_matches([':', '：', '。', ' ', '\t', '\u{3000}']);
        self.lead_ins.iter().any(|w| text.ends_with(w.as_str()))
    }

    /// Whether `before` (text up to a comma) ends with a condition word that states a
    /// condition: not a word that only ends alike (小时, 的同时: `conditions.except`) and not a
    /// clock time (17时).
    fn ends_in_condition(&self, before: &str) -> bool {
        let Some(ending) = self
            .condition_endings
            .iter()
            .find(|w| before.ends_with(w.as_str()))
        else {
            return false;
        };
        let clock = before
            .strip_suffix(ending.as_str())
            .and_then(|b| b.chars().next_back())
            .is_some_and(|c| c.is_ascii_digit());
        !clock
            && !self
                .condition_except
                .iter()
                .any(|e| before.ends_with(e.as_str()))
    }

    /// Whether `clause` states a condition and its consequence in one (不在岗的按旷工处理):
    /// a `conditions.inside` word anywhere in it. Unlike a clause's ending, the `except` words
    /// do not apply: …，不安排别的任务 after a duty is no denial of it either.
    fn holds_condition(&self, clause: &str) -> bool {
        self.condition_inside
            .iter()
            .any(|w| clause.contains(w.as_str()))
    }

    fn flags_of(&self, pattern: usize) -> u32 {
        self.flags.get(pattern).copied().unwrap_or(0)
    }

    /// Whether a text cut right after any `\n` reads, piece by piece with [`Carry`] passed on,
    /// exactly as a whole.
    pub(crate) fn lines_stand_alone(&self) -> bool {
        self.lines_stand_alone
    }

    /// Scans `text`, calling `on_hit` for each imposed term of each entry that fires, and
    /// `on_sentence` for each sentence (when given). Spans point into `text` as given.
    pub fn scan(
        &self,
        text: &str,
        ctx: ScanCtx<'_>,
        on_hit: impl FnMut(Hit),
        on_sentence: Option<&mut dyn FnMut(Sentence)>,
    ) {
        self.scan_from(text, ctx, Carry::default(), on_hit, on_sentence);
    }

    /// [`Lexicon::scan`] of `text` as the lines after others whose reading left `carry`; gives
    /// what its own lines leave for the lines after it, and where its first title line starts.
    /// `text` must start a line.
    pub(crate) fn scan_from(
        &self,
        text: &str,
        ctx: ScanCtx<'_>,
        carry: Carry,
        mut on_hit: impl FnMut(Hit),
        mut on_sentence: Option<&mut dyn FnMut(Sentence)>,
    ) -> ScanEnd {
        let normalizer = Normalizer::get();
        let mut scratch = Scratch::take(self.groups.len());
        let mut coded = std::mem::take(&mut scratch.coded);
        let mut starts = std::mem::take(&mut scratch.starts);
        // One pass for the common text that needs no normalising; two otherwise.
        let normalized = if self.codes.encode_plain(text, &mut coded, &mut starts) {
            Normalized::unchanged(text)
        } else {
            let normalized = normalizer.normalize(text);
            self.codes
                .encode_into(&normalized.text, &mut coded, &mut starts);
            normalized
        };
        let norm = normalized.text.as_ref();
        let mut reader = Reader::new(self, &normalized, ctx, scratch);
        reader.scope_days = carry.days;
        reader.scope_item = carry.item;
        reader.report_section = carry.report;
        // Byte offsets of the normalised text, looked up from character offsets (the encoder
        // noted each character's start as it went).
        let byte_at =
            |to_char: usize| -> usize { starts.get(to_char).copied().unwrap_or(norm.len()) };
        let mut sentence_start = (0usize, 0usize); // (byte, char) in the normalised text
        let mut quote_depth = 0u8;
        let mut quote_start = 0usize;
        let mut sentence = 0usize;
        let mut pos = 0usize;
        let mut last_end = 0usize;
        while let Some((pattern, start_char, end_char)) = self.trie.next_match(&coded, pos) {
            if end_char <= last_end {
                // Inside the previous match, whose roles it already has (`inherit`).
                pos = end_char;
                continue;
            }
            last_end = end_char;
            pos = match self.straddle.get(pattern).copied().unwrap_or(0) {
                0 => end_char,
                k => start_char + usize::from(k),
            };
            let flags = self.flags_of(pattern);
            let m_start = byte_at(start_char);
            let m_end = byte_at(end_char);
            let char_pos = end_char;
            let was_quoted = quote_depth > 0;
            if flags & flag::QUOTE_OPEN != 0 {
                // An opening mark whose closing one never comes (a typo, a pasted fragment)
                // opens nothing: it must not swallow the sentences after it.
                if was_quoted || self.closes_soon(norm, m_start, m_end) {
                    quote_depth = quote_depth.saturating_add(1).min(8);
                }
            } else if flags & flag::QUOTE_CLOSE != 0 {
                quote_depth = quote_depth.saturating_sub(1);
            } else if flags & flag::QUOTE_TOGGLE != 0 {
                quote_depth = u8::from(quote_depth == 0);
            }
            let hard = flags & flag::HARD_BREAK != 0;
            // A quotation mark left open (a typo, a pasted fragment) closes itself after a
            // quoted name's worth of text, so it cannot swallow the sentences after it.
            let stale = was_quoted && start_char.saturating_sub(quote_start) > QUOTE_MAX_CHARS;
            if hard || (stale && flags & flag::SENTENCE_BREAK != 0) {
                quote_depth = 0;
            }
            match (was_quoted, quote_depth > 0) {
                (false, true) => {
                    quote_start = start_char;
                    reader.open_quote();
                }
                (true, false) => reader.close_quote(),
                _ => {}
            }
            if flags & flag::SENTENCE_BREAK != 0 && (hard || quote_depth == 0) {
                reader.finish_sentence(sentence, (sentence_start, m_start), &mut on_hit);
                if let Some(f) = on_sentence.as_mut() {
                    let span = normalized
                        .original_span([sentence_start.1, start_char], [sentence_start.0, m_start]);
                    f(Sentence {
                        span: span.0,
                        bytes: span.1,
                    });
                }
                sentence += 1;
                sentence_start = (m_end, char_pos);
                continue;
            }
            reader.push(
                Token {
                    pattern: u32::try_from(pattern).unwrap_or(u32::MAX),
                    flags,
                    chars: [start_char, char_pos],
                    bytes: [m_start, m_end],
                    clause: 0,
                    negated_by: None,
                    suppressed: false,
                    quoted: false,
                },
                quote_depth > 0,
            );
        }
        reader.finish_sentence(sentence, (sentence_start, norm.len()), &mut on_hit);
        reader.s.coded = coded;
        reader.s.starts = starts;
        let end = ScanEnd {
            title_at: reader.title_at,
            carry: reader.carry(),
        };
        reader.done();
        if let Some(f) = on_sentence.as_mut() {
            if sentence_start.0 < norm.len() {
                let chars = sentence_start.1
                    + norm
                        .get(sentence_start.0..)
                        .map_or(0, |s| s.chars().count());
                let span = normalized
                    .original_span([sentence_start.1, chars], [sentence_start.0, norm.len()]);
                f(Sentence {
                    span: span.0,
                    bytes: span.1,
                });
            }
        }
        end
    }
}

/// How a scan of whole lines ended ([`Lexicon::scan_from`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct ScanEnd {
    /// What its lines leave for the lines after them.
    pub(crate) carry: Carry,
    /// Where its first title line starts (character, byte of the text as given), when a
    /// notice's title was read: a title sets what carries whatever came before it, so the
    /// reading from there on is the same after any lines.
    pub(crate) title_at: Option<(usize, usize)>,
}

/// What reading a notice carries from one line to the next: the days its title or a lead-in
/// names (现将寒假值班安排如下), which date the items after it, and how that lead-in's line is
/// numbered; and a report's section that a numbered heading alone on its line opens (三、存在
/// 问题), with that numbering. Nothing else outlives a line where a line break ends every
/// sentence and quotation ([`Lexicon::lines_stand_alone`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Carry {
    days: Vec<DayWord>,
    item: Option<ItemMark>,
    report: Option<ItemMark>,
}

impl Carry {
    /// Whether the lines after start as a draft's first line does.
    pub(crate) fn is_empty(&self) -> bool {
        self.days.is_empty() && self.report.is_none()
    }
}

/// The byte length of `text`'s first line: up to its first line break (LINE_BREAKS: \n, \r,
/// U+2028, U+2029; the last two are E2 80 A8/A9 in UTF-8), or all of it. Searched for by
/// memchr, which also stops at the E2 of other punctuation (…, —, “) and goes on.
fn line_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'\n', b'\r', 0xE2, bytes)
        .find(|&i| {
            bytes.get(i) != Some(&0xE2)
                || (bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)))
        })
        .unwrap_or(text.len())
}

/// Characters that end a line: a sentence break among them also ends any open quotation, and
/// only a whole line can be a title.
const LINE_BREAKS: [char; 4] = ['\n', '\r', '\u{2028}', '\u{2029}'];

/// Patterns (normalised, deduplicated case-insensitively) with their roles and flags.
#[derive(Default)]
struct PatternTable {
    patterns: Vec<String>,
    roles: Vec<Vec<Role>>,
    /// Parallel to `roles`: for an inherited role, where the shorter word stands.
    inner: Vec<Vec<Option<Inner>>>,
    flags: Vec<u32>,
    index: std::collections::HashMap<String, usize>,
}

impl PatternTable {
    /// The index of `word`'s pattern, added if new; `None` for a word that normalises to
    /// nothing.
    fn slot(&mut self, normalizer: &Normalizer, word: &str) -> Option<usize> {
        let text = normalizer.normalize(word).text.into_owned();
        if text.is_empty() {
            return None;
        }
        let key = text.to_ascii_lowercase();
        Some(*self.index.entry(key).or_insert_with(|| {
            self.patterns.push(text);
            self.roles.push(Vec::new());
            self.inner.push(Vec::new());
            self.flags.push(0);
            self.patterns.len() - 1
        }))
    }

    fn role(&mut self, normalizer: &Normalizer, word: &str, role: Role) {
        if let Some(i) = self.slot(normalizer, word) {
            self.add_role(i, role, None);
        }
    }

    fn add_role(&mut self, i: usize, role: Role, inner: Option<Inner>) {
        if let (Some(roles), Some(spans)) = (self.roles.get_mut(i), self.inner.get_mut(i)) {
            if !roles.contains(&role) {
                roles.push(role);
                spans.push(inner);
            }
        }
    }

    fn flag(&mut self, normalizer: &Normalizer, word: &str, bit: u32) {
        if let Some(flags) = self
            .slot(normalizer, word)
            .and_then(|i| self.flags.get_mut(i))
        {
            *flags |= bit;
        }
    }

    /// Gives each pattern the roles of every shorter pattern inside it, and the prohibition of
    /// a negator inside it: the trie reports only the longest match at a place, so
    /// 关注公众号 must also count as 公众号. Prohibitions and look-alikes keep only their own:
    /// 不打分 holds no 打分, and a neutral 会议要求 (a minutes' opener) holds no 会议.
    fn inherit(&mut self) {
        // Patterns by their first character (lower-cased), to find those inside another one.
        let mut by_first: std::collections::HashMap<char, Vec<usize>> =
            std::collections::HashMap::new();
        for (j, p) in self.patterns.iter().enumerate() {
            if let Some(c) = p.chars().next() {
                by_first.entry(c.to_ascii_lowercase()).or_default().push(j);
            }
        }
        let lower: Vec<String> = self
            .patterns
            .iter()
            .map(|p| p.to_ascii_lowercase())
            .collect();
        let mut extra: Vec<(usize, Role, Inner)> = Vec::new();
        let mut inherited: Vec<(usize, u32)> = Vec::new();
        for i in 0..self.patterns.len() {
            let own = self.flags.get(i).copied().unwrap_or(0);
            if own & (flag::NEGATOR | flag::NEUTRAL) != 0 {
                continue;
            }
            let Some(pattern) = lower.get(i) else {
                continue;
            };
            let mut inside: Vec<(usize, usize, usize)> = Vec::new();
            for (start, c) in pattern.char_indices() {
                for &j in by_first.get(&c).map_or(&[][..], Vec::as_slice) {
                    let Some(word) = lower.get(j) else { continue };
                    if j != i
                        && pattern
                            .get(start..)
                            .is_some_and(|rest| rest.starts_with(word.as_str()))
                    {
                        inside.push((j, start, start + word.len()));
                    }
                }
            }
            let flags_of = |j: usize| self.flags.get(j).copied().unwrap_or(0);
            // A word with a prohibition inside forbids what it names (不再安排 holds no 安排).
            let holds_negator = inside.iter().any(|&(j, start, end)| {
                flags_of(j) & flag::NEGATOR != 0
                    && !inside.iter().any(|&(k, s, e)| {
                        flags_of(k) & flag::NEUTRAL != 0
                            && s <= start
                            && e >= end
                            && e - s > end - start
                    })
            });
            for &(j, start, end) in &inside {
                if !holds_negator {
                    let roles = self.roles.get(j).map_or(&[][..], Vec::as_slice);
                    let at = Inner::of(pattern, start, end);
                    extra.extend(roles.iter().map(|&r| (i, r, at)));
                }
                // A word holding a prohibition forbids too (不再要求 is 不再 + 要求), unless a
                // look-alike covers it (不少于 holds 不 inside 不少).
                let covered = inside.iter().any(|&(k, s, e)| {
                    flags_of(k) & flag::NEUTRAL != 0
                        && s <= start
                        && e >= end
                        && e - s > end - start
                });
                if flags_of(j) & flag::NEGATOR != 0 && !covered {
                    inherited.push((i, flag::NEGATOR));
                }
                // 在“ is 在 and an opening quotation mark; 学校师生 names a school-side bearer.
                let kept = flags_of(j)
                    & (flag::QUOTE_OPEN
                        | flag::QUOTE_CLOSE
                        | flag::QUOTE_TOGGLE
                        | flag::OTHER_BEARER
                        | flag::SCHOOL_BEARER);
                if kept != 0 {
                    inherited.push((i, kept));
                }
            }
        }
        for (i, bits) in inherited {
            if let Some(f) = self.flags.get_mut(i) {
                *f |= bits;
            }
        }
        for (i, role, at) in extra {
            self.add_role(i, role, Some(at));
        }
    }

    /// Per pattern, the first character from which another, longer word could start inside
    /// it and run past its end (0: none). Marks, breaks and prohibitions take no part: 不得不
    /// is neutral so that the 不组织 inside 不得不组织 forbids nothing.
    fn straddles(&self) -> Vec<u16> {
        let structural = flag::QUOTE_OPEN
            | flag::QUOTE_CLOSE
            | flag::QUOTE_TOGGLE
            | flag::SENTENCE_BREAK
            | flag::HARD_BREAK
            | flag::NEGATOR
            | flag::NEUTRAL;
        let plain = |i: usize| self.flags.get(i).copied().unwrap_or(0) & structural == 0;
        let lower: Vec<String> = self
            .patterns
            .iter()
            .map(|p| p.to_ascii_lowercase())
            .collect();
        // Every proper prefix of every plain pattern.
        let mut prefixes: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for p in lower
            .iter()
            .enumerate()
            .filter(|&(i, _)| plain(i))
            .map(|(_, p)| p)
        {
            for (at, _) in p.char_indices().skip(1) {
                prefixes.extend(p.get(..at));
            }
        }
        lower
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if !plain(i) {
                    return 0;
                }
                p.char_indices()
                    .skip(1)
                    .position(|(at, _)| p.get(at..).is_some_and(|rest| prefixes.contains(rest)))
                    .map_or(0, |k| u16::try_from(k + 1).unwrap_or(0))
            })
            .collect()
    }

    fn flatten(self) -> Flat {
        let mut spans = Vec::with_capacity(self.roles.len());
        let (mut flat, mut inner) = (Vec::new(), Vec::new());
        for (roles, at) in self.roles.into_iter().zip(self.inner) {
            let start = u32::try_from(flat.len()).unwrap_or(u32::MAX);
            flat.extend(roles);
            inner.extend(at);
            spans.push((start, u32::try_from(flat.len()).unwrap_or(u32::MAX)));
        }
        (spans, flat, inner, self.flags)
    }
}

/// Flattened pattern table: role ranges per pattern, roles, their inner spans, flags.
type Flat = (Vec<(u32, u32)>, Vec<Role>, Vec<Option<Inner>>, Vec<u32>);

/// Where a shorter word stands inside a pattern, in bytes and characters from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Inner {
    bytes: [u16; 2],
    chars: [u16; 2],
}

impl Inner {
    /// The word at bytes `start..end` of `pattern`.
    fn of(pattern: &str, start: usize, end: usize) -> Self {
        let chars = |at: usize| pattern.get(..at).map_or(0, |p| p.chars().count());
        let short = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        Self {
            bytes: [short(start), short(end)],
            chars: [short(chars(start)), short(chars(end))],
        }
    }

    /// The word's spans inside a token at `chars` and `bytes`.
    fn within(at: Option<Self>, chars: [usize; 2], bytes: [usize; 2]) -> Candidate {
        match at {
            None => Candidate { chars, bytes },
            Some(i) => Candidate {
                chars: [
                    chars[0] + usize::from(i.chars[0]),
                    chars[0] + usize::from(i.chars[1]),
                ],
                bytes: [
                    bytes[0] + usize::from(i.bytes[0]),
                    bytes[0] + usize::from(i.bytes[1]),
                ],
            },
        }
    }
}

/// One match inside a sentence.
#[derive(Debug, Clone, Copy)]
struct Token {
    pattern: u32,
    flags: u32,
    /// Span in the normalised text.
    chars: [usize; 2],
    bytes: [usize; 2],
    /// Index of the clause (between scope breaks) in the sentence.
    clause: u16,
    /// The token whose prohibition covers this one, if any.
    negated_by: Option<u32>,
    /// Inside an exception (除…外) or a permission (确需…审批).
    suppressed: bool,
    /// Inside quotation marks: part of a name (“文明创建，不留死角”), so a prohibition there
    /// covers nothing outside them.
    quoted: bool,
}

/// Most characters a quotation stays open before a sentence break ends it anyway.
const QUOTE_MAX_CHARS: usize = 100;

/// A date in a sentence with its day type (`None` for a school day): (type, char span, byte
/// span), normalised text.
type DatedDay = (Option<DayWord>, [usize; 2], [usize; 2]);

/// A term, day word or date that can fill a slot.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    chars: [usize; 2],
    bytes: [usize; 2],
}

/// The numerals an item number is written with (三、, （十）).
const ITEM_NUMERALS: &str = "一二三四五六七八九十";

/// How an item of a notice is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemMark {
    /// 三、
    Numeral,
    /// （三）
    BracketedNumeral,
    /// 3. or 3、
    Digit,
    /// （3）
    BracketedDigit,
}

impl ItemMark {
    /// The numbering `line` opens with, if any.
    fn of(line: &str) -> Option<Self> {
        let mut chars = line.chars();
        let first = chars.next()?;
        let bracketed = matches!(first, '(' | '（');
        let lead = if bracketed { chars.next()? } else { first };
        let numeral = ITEM_NUMERALS.contains(lead);
        if !(numeral || lead.is_ascii_digit()) {
            return None;
        }
        let digit = |c: &char| c.is_ascii_digit() || ITEM_NUMERALS.contains(*c);
        let after = chars.find(|c| !digit(c))?;
        // 1.5万元 is a number, not an item.
        let decimal =
            matches!(after, '.' | '．') && chars.next().is_some_and(|c| c.is_ascii_digit());
        match (bracketed, numeral, after) {
            (true, true, ')' | '）') => Some(Self::BracketedNumeral),
            (true, false, ')' | '）') => Some(Self::BracketedDigit),
            (false, true, '、') => Some(Self::Numeral),
            (false, false, '.' | '．' | '、') if !decimal => Some(Self::Digit),
            _ => None,
        }
    }

    /// The level of the numbering, the highest first: 一、 (0), （一） (1), 1. (2), （1） (3).
    fn rank(self) -> u8 {
        match self {
            Self::Numeral => 0,
            Self::BracketedNumeral => 1,
            Self::Digit => 2,
            Self::BracketedDigit => 3,
        }
    }
}

/// Buffers a scan reuses: kept per thread between scans, so a scan allocates nothing once warm.
#[derive(Default)]
struct Scratch {
    tokens: Vec<Token>,
    /// Per entry, the slots its terms in this sentence fill (bits); reset through `touched`.
    filled_slots: Vec<u32>,
    /// Entries with a term in this sentence, one bit each (read in ruleset order).
    touched: Vec<u64>,
    /// The terms of the entry being read, as (slot, token) in text order.
    run: Vec<(u8, u32, Option<Inner>)>,
    /// Entries whose every slot filled in this sentence, one bit each.
    complete: Vec<u64>,
    /// The terms of every complete entry, as (entry, slot, token), gathered in one pass.
    runs: Vec<(u32, u8, u32, Option<Inner>)>,
    /// (entry, clause, a voluntary word) for every cancelling word.
    unless: Vec<(u32, u16, bool)>,
    /// (day type, token) for every day word.
    days: Vec<(DayWord, u32)>,
    /// Candidates per slot.
    slots: Vec<Vec<Candidate>>,
    /// Candidates before they are sorted into slots.
    filled: Vec<(usize, Candidate)>,
    /// The chosen candidate per slot.
    chosen: Vec<Candidate>,
    /// The text in the trie's codes, one per character.
    coded: Vec<u16>,
    /// Byte offset in the normalised text of each of its characters, then its length.
    starts: Vec<usize>,
}

thread_local! {
    // Boxed: a scan takes and gives back a pointer, not some thirty buffers' worth of bytes.
    static SCRATCH: std::cell::Cell<Option<Box<Scratch>>> = const { std::cell::Cell::new(None) };
}

impl Scratch {
    /// This thread's buffers (fresh ones if a scan is already using them), sized for
    /// `groups` entries.
    fn take(groups: usize) -> Box<Self> {
        // `try_with`: a scan from a thread-local destructor gets fresh buffers.
        let mut s = SCRATCH
            .try_with(std::cell::Cell::take)
            .ok()
            .flatten()
            .unwrap_or_default();
        if s.filled_slots.len() < groups {
            s.filled_slots.resize(groups, 0);
            s.touched.resize(groups / 64 + 1, 0);
            s.complete.resize(groups / 64 + 1, 0);
        }
        s
    }

    /// Hands the buffers back for the next scan on this thread.
    fn give_back(self: Box<Self>) {
        let _ = SCRATCH.try_with(|cell| cell.set(Some(self)));
    }
}

/// Reads one sentence at a time.
struct Reader<'a> {
    lexicon: &'a Lexicon,
    normalized: &'a Normalized<'a>,
    ctx: ScanCtx<'a>,
    s: Box<Scratch>,
    /// Every flag seen in the sentence.
    seen: u32,
    /// Whether the sentence holds a term of any entry.
    has_terms: bool,
    clause: u16,
    negated_by: Option<u32>,
    /// The prohibition in force when the open quotation began.
    before_quote: Option<Option<u32>>,
    /// The sentence's dates, read at most once per sentence.
    dates: Option<Vec<DatedDay>>,
    /// The clause of the sentence's first `but` (自愿…，但…), if any.
    but_clause: Option<u16>,
    /// Whether a compulsion word follows that `but`: voluntary words before it then
    /// cancel nothing.
    compelled: bool,
    /// The sentence being finished: ((start byte, start char), end byte), normalised text.
    range: ((usize, usize), usize),
    /// The types of day the notice's title or lead-in names (现将寒假值班安排如下): they date
    /// the items after it that name no day of their own.
    scope_days: Vec<DayWord>,
    /// How the line of the lead-in that set `scope_days` is numbered (三、): its scope ends at
    /// the next line numbered alike or at a higher level (四、). `None` for a title's or an
    /// unnumbered line's.
    scope_item: Option<ItemMark>,
    /// The line being read: where it ends (byte, normalised text) and whether it ends with a
    /// lead-in, found once per line rather than once per sentence.
    line: Option<(usize, bool)>,
    /// Where the line ends (byte, normalised text) whose report heading (三、存在问题。) makes
    /// the rest of it narrative, or that stands in a report's section.
    report_until: Option<usize>,
    /// The numbering of the heading alone on its line (三、存在问题) whose section the lines
    /// after it stand in, up to a line numbered alike or higher (四、) or a title.
    report_section: Option<ItemMark>,
    /// Where the first title line read starts (character, byte of the original text).
    title_at: Option<(usize, usize)>,
}

impl<'a> Reader<'a> {
    fn new(
        lexicon: &'a Lexicon,
        normalized: &'a Normalized<'a>,
        ctx: ScanCtx<'a>,
        s: Box<Scratch>,
    ) -> Self {
        Self {
            lexicon,
            normalized,
            ctx,
            s,
            seen: 0,
            has_terms: false,
            clause: 0,
            negated_by: None,
            before_quote: None,
            dates: None,
            but_clause: None,
            compelled: false,
            range: ((0, 0), 0),
            scope_days: Vec::new(),
            scope_item: None,
            line: None,
            report_until: None,
            report_section: None,
            title_at: None,
        }
    }

    /// Ends the scan, keeping the buffers for the next one.
    fn done(self) {
        self.s.give_back();
    }

    /// What the lines read so far leave for the next. A numbering with no days dates nothing
    /// and is ended or replaced before it matters, so it is left out: an empty carry is the
    /// one every state without days reads the next lines as.
    fn carry(&mut self) -> Carry {
        let days = std::mem::take(&mut self.scope_days);
        let item = self.scope_item.filter(|_| !days.is_empty());
        let report = self.report_section.take();
        Carry { days, item, report }
    }

    /// A quotation opens: what a prohibition inside it covers ends with it.
    fn open_quote(&mut self) {
        self.before_quote = Some(self.negated_by);
    }

    /// The quotation closes: the reading goes on as before it (落实《关于严禁…的通知》精神，
    /// 组织… is not forbidden by the title's 严禁).
    fn close_quote(&mut self) {
        if let Some(before) = self.before_quote.take() {
            self.negated_by = before;
        }
    }

    /// Takes one token of the sentence being read; `quoted` when inside quotation marks.
    fn push(&mut self, mut token: Token, quoted: bool) {
        let index = u32::try_from(self.s.tokens.len()).unwrap_or(u32::MAX);
        if quoted {
            // A quoted 反映 or 除 is part of a name, not a report or an exception; a quoted
            // 市民 or 学校 names a thing, not who bears the demand.
            token.flags &= !(flag::REPORT
                | flag::OTHER_BEARER
                | flag::SCHOOL_BEARER
                | flag::PERMIT_ALL
                | flag::PERMIT_OPEN
                | flag::PERMIT_APPROVAL
                | flag::PERMIT_ROUTE
                | flag::PERMIT_APPROVER
                | flag::HEADING
                | flag::EXCEPT_OPEN);
        }
        token.quoted = quoted;
        let f = token.flags;
        if f & flag::SCOPE_BREAK != 0 && !quoted {
            self.clause = self.clause.saturating_add(1);
            self.negated_by = None;
        }
        if f & flag::PREDICATE != 0 {
            self.negated_by = None;
        }
        // A token's own prohibition does not cover itself.
        token.negated_by = self.negated_by;
        if f & flag::NEGATOR != 0 {
            self.negated_by = Some(index);
        }
        token.clause = self.clause;
        let lexicon = self.lexicon;
        let masks = lexicon
            .mask_spans
            .get(token.pattern as usize)
            .and_then(|&(a, b)| lexicon.term_masks.get(a as usize..b as usize))
            .unwrap_or_default();
        for &(group, bits) in masks {
            // Only masks here: the terms of the few entries whose every slot fills are
            // gathered when the sentence ends.
            if let Some(mask) = self.s.filled_slots.get_mut(group as usize) {
                *mask |= bits;
            }
            if let Some(word) = self.s.touched.get_mut(group as usize / 64) {
                *word |= 1u64 << (group % 64);
            }
            self.has_terms = true;
        }
        let others = lexicon
            .other_spans
            .get(token.pattern as usize)
            .and_then(|&(a, b)| lexicon.other_roles.get(a as usize..b as usize))
            .unwrap_or_default();
        for &role in others {
            match role {
                Role::Term { .. } => {}
                Role::Unless { group } => {
                    let voluntary = f & flag::VOLUNTARY != 0;
                    self.s.unless.push((group, self.clause, voluntary));
                }
                Role::Day(day) => self.s.days.push((day, index)),
            }
        }
        if !quoted {
            if f & flag::BUT != 0 && self.but_clause.is_none() {
                self.but_clause = Some(self.clause);
            }
            if f & flag::COMPULSION != 0 && self.but_clause.is_some() {
                self.compelled = true;
            }
        }
        self.seen |= f;
        self.s.tokens.push(token);
    }

    /// Marks exceptions and permissions, then reports every entry that fires.
    /// `range` is the sentence's ((start byte, start char), end byte) in the normalised text.
    fn finish_sentence(
        &mut self,
        sentence: usize,
        range: ((usize, usize), usize),
        on_hit: &mut impl FnMut(Hit),
    ) {
        // A sentence that names only other bearers (各乡镇要组织机关干部…) burdens no school.
        let others_only =
            self.seen & (flag::OTHER_BEARER | flag::SCHOOL_BEARER) == flag::OTHER_BEARER;
        // Titles and lead-ins are a notice's structure: read in review only.
        let title = self.is_title(range);
        if title && self.title_at.is_none() {
            let ((byte, char), _) = range;
            let (chars, bytes) = self.normalized.original_span([char, char], [byte, byte]);
            self.title_at = Some((chars[0], bytes[0]));
        }
        if !self.scope_days.is_empty() {
            self.end_scope_at_next_item(range);
        }
        if title || (self.ctx.titles && self.is_lead_in(range)) {
            self.range = range;
            self.set_scope_days(title);
        }
        if title {
            // A title starts a notice: no report section reaches past it.
            self.report_until = None;
            self.report_section = None;
        }
        // Looked for only where a heading word stands or a heading's section goes on.
        let narrated = (self.report_until.is_some()
            || self.report_section.is_some()
            || self.seen & flag::HEADING != 0)
            && self.in_report_section(range);
        if self.has_terms
            && self.seen & (flag::REPORT | flag::PERMIT_ALL) == 0
            && !(others_only
                || title
                || narrated
                || (self.ctx.titles && self.in_lead_in_line(range)))
        {
            self.range = range;
            if self.seen & flag::NEGATOR != 0 {
                self.negate_subjects();
                self.deny_earlier();
            }
            if self.seen & flag::EXCEPT_OPEN != 0 {
                self.mark_exceptions();
            }
            if self.seen & flag::PERMIT_OPEN != 0 && self.seen & flag::PERMIT_APPROVAL != 0 {
                self.mark_permission();
            }
            let routed = flag::PERMIT_ROUTE | flag::PERMIT_APPROVER | flag::PERMIT_APPROVAL;
            if self.seen & routed == routed {
                self.mark_routed();
            }
            // Entries whose every slot filled (most a sentence touches lack a whole group).
            let mut any = false;
            for (w, &bits) in self.s.touched.iter().enumerate() {
                let mut bits = bits;
                let mut done = 0u64;
                while bits != 0 {
                    let bit = bits.trailing_zeros();
                    bits &= bits - 1;
                    let group = w * 64 + bit as usize;
                    let needed = self
                        .lexicon
                        .groups
                        .get(group)
                        .map_or(u32::MAX, |e| (1u32 << u32::from(e.slots).min(31)) - 1);
                    let filled = self.s.filled_slots.get(group).copied().unwrap_or(0);
                    if filled & needed == needed {
                        done |= 1 << bit;
                    }
                }
                if let Some(word) = self.s.complete.get_mut(w) {
                    *word = done;
                }
                any |= done != 0;
            }
            if any {
                // One pass over the tokens gathers the terms of every complete entry; a stable
                // sort by entry keeps text order within each and ruleset order across them.
                let complete = std::mem::take(&mut self.s.complete);
                let mut runs = std::mem::take(&mut self.s.runs);
                let mut run = std::mem::take(&mut self.s.run);
                runs.clear();
                for (i, t) in self.s.tokens.iter().enumerate() {
                    for (role, at) in self.lexicon.roles_at(t.pattern) {
                        if let Role::Term { group, slot } = *role {
                            let on = complete
                                .get(group as usize / 64)
                                .is_some_and(|w| w & (1 << (group % 64)) != 0);
                            if on {
                                runs.push((group, slot, u32::try_from(i).unwrap_or(u32::MAX), at));
                            }
                        }
                    }
                }
                runs.sort_by_key(|r| r.0);
                for chunk in runs.chunk_by(|a, b| a.0 == b.0) {
                    run.clear();
                    run.extend(chunk.iter().map(|&(_, slot, i, at)| (slot, i, at)));
                    if let Some(&(group, ..)) = chunk.first() {
                        self.fire(group, &run, sentence, on_hit);
                    }
                }
                self.s.run = run;
                self.s.runs = runs;
                self.s.complete = complete;
            }
        }
        if self.has_terms {
            for (w, word) in self.s.touched.iter_mut().enumerate() {
                let mut bits = *word;
                while bits != 0 {
                    let group = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    if let Some(mask) = self.s.filled_slots.get_mut(group) {
                        *mask = 0;
                    }
                }
                *word = 0;
            }
        }
        self.has_terms = false;
        self.s.tokens.clear();
        self.s.unless.clear();
        self.s.days.clear();
        self.seen = 0;
        self.clause = 0;
        self.negated_by = None;
        self.dates = None;
        self.but_clause = None;
        self.compelled = false;
    }

    /// Whether the sentence at `range` is a document's title line (when the scan reads
    /// titles): a whole line with no clause punctuation and no item number, not opening like a
    /// demand, that ends with a title word (关于…的通知; …评分细则（试行）).
    fn is_title(&self, range: ((usize, usize), usize)) -> bool {
        if !self.ctx.titles || self.seen & flag::SCOPE_BREAK != 0 {
            return false;
        }
        let text = self.normalized.text.as_ref();
        let ((from, _), end) = range;
        let rest = text.get(end..).unwrap_or_default();
        if !(rest.is_empty() || rest.starts_with(LINE_BREAKS)) {
            return false; // ended by 。 or ； inside a line
        }
        let head = text
            .get(..from)
            .unwrap_or_default()
            .trim_end_matches([' ', '\t', '\u{3000}']);
        if !(head.is_empty() || head.ends_with(LINE_BREAKS)) {
            return false; // began after 。 inside a line: …。请于5月20日前报送工作方案
        }
        let line = text.get(from..end).unwrap_or_default().trim();
        let opens_with_numeral = line
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || ITEM_NUMERALS.contains(c));
        let numbered = line.starts_with(['(', '（'])
            || (opens_with_numeral && line.chars().take(4).any(|c| "、.．)）".contains(c)));
        let demand = self
            .lexicon
            .title_not_opening
            .iter()
            .any(|w| line.starts_with(w.as_str()));
        if numbered || demand || line.contains([':', '：']) {
            return false;
        }
        // A parenthesised note may follow the title word: …细则（试行）.
        let line = match line.strip_suffix([')', '）']) {
            Some(inner) => inner
                .rfind(['(', '（'])
                .and_then(|at| inner.get(..at))
                .unwrap_or(line),
            None => line,
        };
        self.lexicon
            .title_endings
            .iter()
            .any(|w| line.ends_with(w.as_str()))
    }

    /// Whether the sentence at `range` narrates: it is a report's section heading that opens a
    /// line (三、存在问题。…; 存在的问题：…), or follows one on its line, or stands in the
    /// section a numbered heading alone on its line opens (三、存在问题, then （一）… and 1.…
    /// up to 四、 or a title). Such a section is carried from line to line ([`Carry`]), so a
    /// long draft read in pieces reads it as one reading does.
    fn in_report_section(&mut self, range: ((usize, usize), usize)) -> bool {
        let ((from, _), end) = range;
        if self.report_until.is_some_and(|until| from < until) {
            return true;
        }
        self.report_until = None;
        let text = self.normalized.text.as_ref();
        let rest = text.get(from..).unwrap_or_default();
        let line_until = from + line_end(rest).max(1);
        // The sentence opens a line (…如下。一、基本情况。 in a running text heads nothing).
        let head = text
            .get(..from)
            .unwrap_or_default()
            .trim_end_matches([' ', '\t', '\u{3000}']);
        let opens_line = head.is_empty() || head.ends_with(LINE_BREAKS);
        if let Some(section) = self.report_section {
            let sentence = text.get(from..end).unwrap_or_default().trim_start();
            let ends =
                opens_line && ItemMark::of(sentence).is_some_and(|m| m.rank() <= section.rank());
            if !ends {
                self.report_until = Some(line_until);
                return true;
            }
            self.report_section = None;
        }
        if !opens_line || self.seen & flag::HEADING == 0 {
            return false;
        }
        let headings = &self.lexicon.report_headings;
        let sentence = text.get(from..end).unwrap_or_default().trim_start();
        let mark = ItemMark::of(sentence);
        // After the item's number (三、, （一）, 1.), if any.
        let body = match mark {
            Some(_) => sentence
                .find(['、', '.', '．', ')', '）'])
                .and_then(|at| sentence.get(at..))
                .and_then(|s| s.chars().next().and_then(|c| s.get(c.len_utf8()..)))
                .unwrap_or(sentence)
                .trim_start(),
            None => sentence,
        };
        let mut alone = false;
        let heading = headings.iter().any(|h| {
            body.strip_prefix(h.as_str()).is_some_and(|rest| {
                let rest = rest.trim();
                alone |= rest.is_empty();
                rest.is_empty() || rest.starts_with(['：', ':'])
            })
        });
        if heading {
            self.report_until = Some(line_until);
            // Alone on its line, a numbered heading opens a section (三、存在问题 then its
            // items); the sentence break that ends it may close the line too (三、存在问题。).
            let line = text.get(from..line_until).unwrap_or_default();
            let whole_line = line.trim_end().len() <= end.saturating_sub(from) + '。'.len_utf8();
            if alone && whole_line {
                self.report_section = mark;
            }
        }
        heading
    }

    /// Whether the sentence at `range` is a notice's lead-in: it ends with a lead-in word
    /// (现将有关事项通知如下：), announcing the items that follow.
    fn is_lead_in(&self, range: ((usize, usize), usize)) -> bool {
        let ((from, _), end) = range;
        self.lexicon
            .ends_with_lead_in(self.normalized.text.get(from..end).unwrap_or_default())
    }

    /// Whether the sentence at `range` is in a line that ends with a lead-in (6月20日，…召开
    /// 期末工作会议，…校长参加。现将会议议定事项纪要如下。): such a line introduces the items
    /// after it and demands nothing itself.
    fn in_lead_in_line(&mut self, range: ((usize, usize), usize)) -> bool {
        let ((from, _), _) = range;
        if let Some((end, lead_in)) = self.line {
            if from < end {
                return lead_in;
            }
        }
        let text = self.normalized.text.as_ref();
        let rest = text.get(from..).unwrap_or_default();
        let len = line_end(rest);
        let lead_in = self
            .lexicon
            .ends_with_lead_in(rest.get(..len).unwrap_or_default());
        // A sentence that starts on the line break itself belongs to the next line.
        self.line = Some((from + len.max(1), lead_in));
        lead_in
    }

    /// Takes the day types a title or lead-in names (its day words and the types of its
    /// dates) as the scope of the items after it. A title starts a new scope; a lead-in that
    /// names no day keeps the scope before it. Days named beside a prohibition (关于严禁寒假
    /// 安排教师值班的通知; not one inside a quoted name) or a word that lifts a dated entry
    /// (寒假留校学生管理) scope nothing.
    fn set_scope_days(&mut self, title: bool) {
        let mut days: Vec<DayWord> = self.s.days.iter().map(|&(d, _)| d).collect();
        let dates: Vec<DayWord> = self.dates().iter().filter_map(|&(d, _, _)| d).collect();
        days.extend(dates);
        if !title && days.is_empty() {
            return;
        }
        let groups = &self.lexicon.groups;
        let lifted = self
            .s
            .unless
            .iter()
            .any(|&(g, _, _)| groups.get(g as usize).is_some_and(|e| e.notice_days));
        // A prohibition inside a quoted name (为落实《关于减轻…》精神) forbids nothing here.
        let forbids = self
            .s
            .tokens
            .iter()
            .any(|t| t.flags & flag::NEGATOR != 0 && !t.quoted);
        if forbids || lifted {
            days.clear();
        }
        self.scope_days = days;
        self.scope_item = if title {
            None
        } else {
            let ((from, _), _) = self.range;
            self.line_mark(from)
        };
    }

    /// Ends a numbered lead-in's scope at the next line numbered alike or at a higher level
    /// (三、…如下： then 四、; （二）…如下： then （三） or 四、).
    fn end_scope_at_next_item(&mut self, range: ((usize, usize), usize)) {
        let Some(mark) = self.scope_item else {
            return;
        };
        let ((from, _), _) = range;
        if self
            .line_start_mark(from)
            .is_some_and(|m| m.rank() <= mark.rank())
        {
            self.scope_days.clear();
            self.scope_item = None;
        }
    }

    /// How the line the sentence at byte `from` stands in is numbered (三、…。现将安排如下：).
    fn line_mark(&self, from: usize) -> Option<ItemMark> {
        let text = self.normalized.text.as_ref();
        let head = text.get(..from).unwrap_or_default();
        let start = head.rfind(LINE_BREAKS).map_or(0, |at| {
            let brk = head.get(at..).and_then(|r| r.chars().next());
            at + brk.map_or(1, char::len_utf8)
        });
        ItemMark::of(text.get(start..).unwrap_or_default().trim_start())
    }

    /// How the line is numbered when the sentence at byte `from` opens it (三、, （三）, 3.,
    /// （3）); `None` when the sentence does not open a line or the line is not numbered.
    fn line_start_mark(&self, from: usize) -> Option<ItemMark> {
        let text = self.normalized.text.as_ref();
        let head = text
            .get(..from)
            .unwrap_or_default()
            .trim_end_matches([' ', '\t', '\u{3000}']);
        if !(head.is_empty() || head.ends_with(LINE_BREAKS)) {
            return None;
        }
        ItemMark::of(text.get(from..).unwrap_or_default().trim_start())
    }

    /// A prohibition covers its clause's subject too: in 专任教师不排班 or 学校不参与 the
    /// terms before the negator are what is not done, and so does a condition ending in 的
    /// that the next clause refuses. Day words are left alone: 暑假期间严禁
    /// …，同时安排… still dates the later demand. A joiner with an imposing verb between them
    /// starts another predicate, and stops this.
    fn negate_subjects(&mut self) {
        let text = self.normalized.text.as_ref();
        // (clause, negator, whether it is quoted) seen from the right: a quoted prohibition
        // covers only its own quotation (参加“文明创建，不留死角”宣传: the visit stands).
        let mut by: Option<(u16, u32, bool)> = None;
        // The last negator seen in the clause being read, for a condition before it.
        let mut clause_negator: Option<(u16, u32)> = None;
        for i in (0..self.s.tokens.len()).rev() {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            let Some(t) = self.s.tokens.get_mut(i) else {
                continue;
            };
            let left =
                by.is_some_and(|(clause, _, quoted)| clause != t.clause || (quoted && !t.quoted));
            if left || t.flags & flag::PREDICATE != 0 {
                by = None;
            }
            if t.flags & flag::NEGATOR != 0 {
                by = Some((t.clause, index, t.quoted));
                if !t.quoted {
                    clause_negator = Some((t.clause, index));
                }
                continue;
            }
            // 凡含有商业推销内容的，一律不予审批: a condition ending in 的 is what the next
            // clause refuses.
            if t.flags & flag::SCOPE_BREAK != 0 {
                let condition = text
                    .get(..t.bytes[0])
                    .is_some_and(|before| before.ends_with('的'));
                if let Some((clause, negator)) = clause_negator.filter(|(c, _)| *c == t.clause) {
                    if condition {
                        by = Some((clause.saturating_sub(1), negator, false));
                    }
                }
                continue;
            }
            if let Some((_, negator, _)) = by {
                if t.negated_by.is_none() && !self.lexicon.names_day(t.pattern) {
                    t.negated_by = Some(negator);
                }
            }
        }
    }

    /// …由家长自行缴纳，学校不代收: a clause that opens with a school-side subject (or none)
    /// and a plain negation, after clauses that hold no imposing verb, says schools do not do
    /// what those clauses name; their terms are negated (day words excepted, as above).
    fn deny_earlier(&mut self) {
        let lexicon = self.lexicon;
        let denial = &lexicon.denial;
        if denial.negators.is_empty() {
            return;
        }
        let text = self.normalized.text.as_ref();
        let ((from, _), end) = self.range;
        let tokens = &self.s.tokens;
        let mut clause_start = None; // byte where the current clause (after a break) begins
        let mut denier = None;
        for (i, t) in tokens.iter().enumerate() {
            if t.flags & flag::SCOPE_BREAK != 0 {
                // Only a break that opens a clause: a comma inside quotation marks opens none
                // (参加“廉洁从教，不收礼金”签名 is no denial).
                if t.clause > 0 && clause_start.is_none_or(|(c, _)| c != t.clause) {
                    clause_start = Some((t.clause, t.bytes[1]));
                }
                continue;
            }
            let Some((clause, start)) = clause_start.filter(|(c, _)| *c == t.clause) else {
                continue;
            };
            if t.flags & flag::NEGATOR == 0 || t.flags & flag::NEUTRAL != 0 || t.quoted {
                continue;
            }
            let lead = text.get(start..t.bytes[0]).unwrap_or_default().trim();
            let body = text.get(t.bytes[0]..).unwrap_or_default();
            // The clause itself, to its break: a `conditions.inside` word in it makes it a
            // condition with its consequence (不在岗的按旷工处理), not a denial.
            let condition = || {
                let clause_end = tokens
                    .get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .find(|u| u.flags & flag::SCOPE_BREAK != 0 && u.clause > clause)
                    .map_or(end, |u| u.bytes[0]);
                text.get(t.bytes[0]..clause_end)
                    .is_some_and(|c| lexicon.holds_condition(c))
            };
            let denies = (lead.is_empty() || denial.subjects.iter().any(|s| s == lead))
                && denial.negators.iter().any(|w| body.starts_with(w.as_str()))
                && !denial.except.iter().any(|w| body.starts_with(w.as_str()))
                && !condition();
            if !denies {
                continue;
            }
            let before = text.get(from..start).unwrap_or_default();
            if lexicon.imposers.iter().any(|w| before.contains(w.as_str())) {
                return; // a demand, then what schools need not do besides (不向学生收费)
            }
            denier = Some((clause, u32::try_from(i).unwrap_or(u32::MAX)));
            break;
        }
        let Some((clause, by)) = denier else { return };
        for t in self.s.tokens.iter_mut().filter(|t| t.clause < clause) {
            if t.negated_by.is_none() && !lexicon.names_day(t.pattern) {
                t.negated_by = Some(by);
            }
        }
    }

    /// 除…外: tokens between an opener and the first closer after it are an exception or a
    /// compliant alternative, unless an additive word follows the closer (除…外，还要… adds a
    /// demand) or what follows is forbidden (除A外，其余不需…: A is what is demanded).
    fn mark_exceptions(&mut self) {
        let text = self.normalized.text.as_ref();
        let ((from, _), end) = self.range;
        let tokens = &self.s.tokens;
        // Where a token covers a byte (a 外 inside 校外培训 closes nothing).
        let inside_token = |at: usize| {
            let i = tokens.partition_point(|t| t.bytes[1] <= at);
            tokens.get(i).is_some_and(|t| t.bytes[0] < at)
        };
        let mut closes: Vec<(usize, usize)> = self
            .lexicon
            .exception_close
            .iter()
            .flat_map(|w| {
                text.get(from..end)
                    .unwrap_or_default()
                    .match_indices(w.as_str())
                    .map(move |(at, m)| (from + at, from + at + m.len()))
            })
            .filter(|&(at, _)| !inside_token(at))
            .collect();
        closes.sort_unstable();
        let last_negator = tokens
            .iter()
            .filter(|t| t.flags & flag::NEGATOR != 0)
            .map(|t| t.bytes[0])
            .max();
        // Exceptions as token ranges, marked with a difference array: linear however many
        // 除 a sentence holds.
        let mut marks: Vec<i32> = vec![0; tokens.len() + 1];
        for open in tokens.iter().filter(|t| t.flags & flag::EXCEPT_OPEN != 0) {
            let first = closes.partition_point(|&(at, _)| at < open.bytes[1]);
            let Some(&(close_start, close_end)) = closes.get(first) else {
                continue;
            };
            let next = text
                .get(close_end..end)
                .unwrap_or_default()
                .trim_start_matches(|c: char| c == '，' || c == ',' || c.is_whitespace());
            let additive = self
                .lexicon
                .additive
                .iter()
                .any(|w| next.starts_with(w.as_str()));
            let rest_forbidden = last_negator.is_some_and(|at| at >= close_end);
            if additive || rest_forbidden {
                continue;
            }
            let lo = tokens.partition_point(|t| t.bytes[0] < open.bytes[1]);
            let hi = tokens.partition_point(|t| t.bytes[1] <= close_start);
            if lo < hi {
                if let Some(m) = marks.get_mut(lo) {
                    *m += 1;
                }
                if let Some(m) = marks.get_mut(hi) {
                    *m -= 1;
                }
            }
        }
        let mut depth = 0;
        for (t, m) in self.s.tokens.iter_mut().zip(&marks) {
            depth += m;
            if depth > 0 {
                t.suppressed = true;
            }
        }
    }

    /// 确需…的，须…审批: everything after the opener is permitted when an approval word
    /// follows it in the sentence.
    fn mark_permission(&mut self) {
        let Some(open) = self
            .s
            .tokens
            .iter()
            .position(|t| t.flags & flag::PERMIT_OPEN != 0)
        else {
            return;
        };
        let approved = self
            .s
            .tokens
            .get(open + 1..)
            .is_some_and(|rest| rest.iter().any(|t| t.flags & flag::PERMIT_APPROVAL != 0));
        if approved {
            for t in self.s.tokens.get_mut(open..).unwrap_or_default() {
                t.suppressed = true;
            }
        }
    }

    /// 须报县教体局统筹: a clause that routes the matter to the education side's approval
    /// (a route word, then an approver, then an approval word) states who approves; from that
    /// clause on the sentence is a permission with approval, up to a `but` after it (…，但…可由
    /// 乡镇直接安排 still imposes). Clauses before it keep their demands (各校要组织学生排练，节目
    /// 须报县教育局审批 still asks for the rehearsals).
    fn mark_routed(&mut self) {
        let tokens = &self.s.tokens;
        // The clause a route word opened, and whether an approver has followed it there.
        let mut route: Option<u16> = None;
        let mut approver = false;
        let mut routing = None;
        for t in tokens.iter().filter(|t| !t.quoted) {
            if route.is_some_and(|c| c != t.clause) {
                route = None;
                approver = false;
            }
            if route.is_none() && t.flags & flag::PERMIT_ROUTE != 0 {
                route = Some(t.clause);
            } else if route.is_some() && !approver && t.flags & flag::PERMIT_APPROVER != 0 {
                approver = true;
            } else if approver && t.flags & flag::PERMIT_APPROVAL != 0 {
                routing = route;
                break;
            }
        }
        let Some(clause) = routing else {
            return;
        };
        let from = tokens
            .iter()
            .position(|t| t.clause == clause)
            .unwrap_or(tokens.len());
        // A turn after the routing clause ends the permission.
        let until = tokens
            .iter()
            .position(|t| t.clause > clause && t.flags & flag::BUT != 0 && !t.quoted)
            .unwrap_or(tokens.len());
        for t in self.s.tokens.get_mut(from..until).unwrap_or_default() {
            t.suppressed = true;
        }
    }

    /// Whether a prohibition covers `token` for entry `group`. A prohibition by a term of the
    /// same entry (取消 in 取消评优资格) is the entry's own predicate, not a prohibition of it.
    fn negated(&self, token: &Token, group: u32) -> bool {
        token.negated_by.is_some_and(|by| {
            self.s.tokens.get(by as usize).is_none_or(|src| {
                !self
                    .lexicon
                    .roles_of(src.pattern)
                    .iter()
                    .any(|r| matches!(r, Role::Term { group: g, .. } if *g == group))
            })
        })
    }

    /// The sentence's condition clauses: those whose text before the break that ends them ends
    /// with a condition word (…较多的，…在校期间，), not with a word that only ends alike (小时，
    /// 的同时，) or a clock time (17时，).
    fn condition_clauses(&self) -> Vec<u16> {
        let lexicon = self.lexicon;
        let norm = self.normalized.text.as_ref();
        self.s
            .tokens
            .iter()
            .filter(|t| t.flags & flag::SCOPE_BREAK != 0 && !t.quoted)
            .filter(|t| {
                norm.get(..t.bytes[0])
                    .is_some_and(|before| lexicon.ends_in_condition(before))
            })
            .map(|t| t.clause.saturating_sub(1))
            .collect()
    }

    /// Whether entry `group`, whose terms in the sentence are `terms`, fires; reports its
    /// chosen terms when it does.
    fn fire(
        &mut self,
        group: u32,
        terms: &[(u8, u32, Option<Inner>)],
        sentence: usize,
        on_hit: &mut impl FnMut(Hit),
    ) {
        let lexicon = self.lexicon;
        let Some(entry) = lexicon.groups.get(group as usize) else {
            return;
        };
        let total = entry.total_slots();
        if self.s.slots.len() < total {
            self.s.slots.resize_with(total, Vec::new);
        }
        for slot in self.s.slots.iter_mut().take(total) {
            slot.clear();
        }
        let mut filled = std::mem::take(&mut self.s.filled);
        filled.clear();
        // Clauses where a cancelling word of this entry stands.
        let unless = &self.s.unless;
        // 自愿…，但…须达到: a voluntary word before the turn cancels nothing.
        let void_before = self.but_clause.filter(|_| self.compelled);
        // A cancelling word in a condition clause (…留校学生较多的，) governs the clauses after
        // it too; the sentence's condition clauses are found once, and only for an entry with
        // a cancelling word here.
        let conditional = if unless.iter().any(|&(g, ..)| g == group) {
            self.condition_clauses()
        } else {
            Vec::new()
        };
        let cancelled = |clause: u16| {
            unless.iter().any(|&(g, c, voluntary)| {
                g == group
                    && (c == clause || (c < clause && conditional.contains(&c)))
                    && !(voluntary && void_before.is_some_and(|k| c < k))
            })
        };
        let usable = |t: &Token| !t.suppressed && !cancelled(t.clause) && !self.negated(t, group);
        for &(slot, tok, at) in terms {
            if let Some(t) = self.s.tokens.get(tok as usize).filter(|t| usable(t)) {
                filled.push((usize::from(slot), Inner::within(at, t.chars, t.bytes)));
            }
        }
        let day_slot = usize::from(entry.slots);
        if !entry.on_days.is_empty() {
            for &(day, tok) in &self.s.days {
                if !entry.on_days.contains(&day) {
                    continue;
                }
                if let Some(t) = self.s.tokens.get(tok as usize).filter(|t| usable(t)) {
                    filled.push((
                        day_slot,
                        Candidate {
                            chars: t.chars,
                            bytes: t.bytes,
                        },
                    ));
                }
            }
        }
        for &(slot, c) in &filled {
            if let Some(list) = self.s.slots.get_mut(slot) {
                list.push(c);
            }
        }
        self.s.filled = filled;
        if !entry.on_days.is_empty() && self.s.slots.get(day_slot).is_some_and(Vec::is_empty) {
            // Fill the other slots first: dates are read only for a sentence that needs them.
            let others_filled = self.s.slots.iter().take(day_slot).all(|s| !s.is_empty());
            if others_filled {
                let dates = self.dates().to_vec();
                if let Some(list) = self.s.slots.get_mut(day_slot) {
                    list.extend(
                        dates
                            .into_iter()
                            .filter(|(day, _, _)| day.is_some_and(|d| entry.on_days.contains(&d)))
                            .map(|(_, chars, bytes)| Candidate { chars, bytes }),
                    );
                }
            }
        }
        // A sentence that names no day of its own (no day word, no date but a deadline) takes
        // the days its notice's title or lead-in names.
        let dated_by_notice = entry.notice_days
            && self.scope_days.iter().any(|d| entry.on_days.contains(d))
            && self.s.days.is_empty()
            && self.dates().is_empty();
        let slots = if dated_by_notice { day_slot } else { total };
        let mut chosen = std::mem::take(&mut self.s.chosen);
        chosen.clear();
        if choose(
            self.s.slots.get(..slots).unwrap_or_default(),
            entry,
            &mut chosen,
        ) {
            for c in &chosen {
                let (span, bytes) = self.normalized.original_span(c.chars, c.bytes);
                on_hit(Hit {
                    fact: entry.fact,
                    group: group as usize,
                    span,
                    bytes,
                    sentence,
                });
            }
        }
        self.s.chosen = chosen;
    }

    /// The sentence's dates (2026年10月2日, 10月2日, 10月2号) typed by the calendar.
    fn dates(&mut self) -> &[DatedDay] {
        if self.dates.is_none() {
            let text = self.normalized.text.as_ref();
            self.dates = Some(read_dates(text, self.range, self.ctx));
        }
        self.dates.as_deref().unwrap_or_default()
    }
}

/// Dates written with Arabic digits in `text[range]`, with the day type the calendar gives.
fn read_dates(
    text: &str,
    ((from, char_base), to): ((usize, usize), usize),
    ctx: ScanCtx<'_>,
) -> Vec<DatedDay> {
    let mut out = Vec::new();
    let Some(part) = text.get(from..to).filter(|p| p.contains('月')) else {
        return out;
    };
    let chars: Vec<(usize, char)> = part.char_indices().collect();
    let number = |at: usize| -> (Option<u32>, usize) {
        let mut value: Option<u32> = None;
        let mut i = at;
        while let Some(&(_, c)) = chars.get(i) {
            let Some(d) = c.to_digit(10) else { break };
            value = Some(value.unwrap_or(0).saturating_mul(10).saturating_add(d));
            i += 1;
        }
        (value, i)
    };
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars.get(i).is_some_and(|&(_, c)| c.is_ascii_digit())
            && !(i > 0 && chars.get(i - 1).is_some_and(|&(_, c)| c.is_ascii_digit()));
        if !starts_number {
            i += 1;
            continue;
        }
        let start = i;
        let (first, after) = number(i);
        let (mut year, mut month_at) = (None, after);
        if chars.get(after).is_some_and(|&(_, c)| c == '年') {
            year = first;
            month_at = after + 1;
        }
        let (month, after_month) = if year.is_some() {
            number(month_at)
        } else {
            (first, after)
        };
        let month_mark = chars.get(after_month).is_some_and(|&(_, c)| c == '月');
        let (day, after_day) = number(after_month + 1);
        let day_mark = chars
            .get(after_day)
            .is_some_and(|&(_, c)| c == '日' || c == '号');
        if !(month_mark && day_mark) {
            i = after.max(i + 1);
            continue;
        }
        // 3月15日前 is a deadline, not the day something happens.
        let deadline = chars
            .get(after_day + 1)
            .is_some_and(|&(_, c)| c == '前' || c == '之' || c == '以');
        if deadline {
            i = after_day + 1;
            continue;
        }
        let year = year.map_or(ctx.year, |y| i32::try_from(y).unwrap_or(ctx.year));
        let date = month
            .zip(day)
            .and_then(|(m, d)| NaiveDate::from_ymd_opt(year, m, d));
        if let Some(date) = date {
            let covered = ctx.calendar.semester_bucket(date).is_some();
            let day_word = if !covered {
                // Beyond the calendar, only the weekday is known.
                matches!(date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
                    .then_some(DayWord::Weekend)
            } else if ctx.calendar.in_exam_weeks(date, date) {
                Some(DayWord::ExamWeek)
            } else {
                match ctx.calendar.day_type(date) {
                    DayType::Weekend => Some(DayWord::Weekend),
                    DayType::Holiday => Some(DayWord::Holiday),
                    DayType::Vacation => Some(DayWord::Vacation),
                    DayType::SchoolDay => None,
                }
            };
            let byte = |k: usize| from + chars.get(k).map_or(part.len(), |&(b, _)| b);
            out.push((
                day_word,
                [char_base + start, char_base + after_day + 1],
                [byte(start), byte(after_day + 1)],
            ));
        }
        i = after_day + 1;
    }
    out
}

/// Chooses one candidate per slot, into `chosen`, each a different word, such that the
/// entry's order and gap hold; false if none can be chosen.
fn choose(slots: &[Vec<Candidate>], entry: &Entry, chosen: &mut Vec<Candidate>) -> bool {
    if slots.iter().any(Vec::is_empty) {
        return false;
    }
    if !entry.in_order && entry.within.is_none() {
        chosen.extend(slots.iter().filter_map(|s| s.first().copied()));
        let distinct = chosen
            .iter()
            .enumerate()
            .all(|(i, c)| chosen.iter().skip(i + 1).all(|d| d.chars != c.chars));
        if distinct {
            return true;
        }
        chosen.clear();
    }
    search(slots, entry, chosen)
}

/// Depth-first search over slots, at most 16 candidates each (a sentence rarely has more).
fn search(slots: &[Vec<Candidate>], entry: &Entry, chosen: &mut Vec<Candidate>) -> bool {
    let Some(options) = slots.get(chosen.len()) else {
        return true;
    };
    for &c in options.iter().take(16) {
        // One word fills one slot: 参保率 is not both 参保 and a rate.
        if chosen.iter().any(|p| p.chars == c.chars) {
            continue;
        }
        let term_slot = chosen.len() < usize::from(entry.slots);
        if entry.in_order && term_slot {
            if let Some(prev) = chosen.last() {
                if c.chars[0] < prev.chars[1] {
                    continue;
                }
            }
        }
        if let (Some(within), true) = (entry.within, term_slot) {
            let lo = chosen
                .iter()
                .map(|p| p.chars[0])
                .min()
                .unwrap_or(c.chars[0])
                .min(c.chars[0]);
            let hi = chosen
                .iter()
                .map(|p| p.chars[1])
                .max()
                .unwrap_or(c.chars[1])
                .max(c.chars[1]);
            if hi - lo > within as usize {
                continue;
            }
            // Every slot still to fill must have a word that fits the window with this one;
            // a failing three-slot frame then costs a few dozen steps, not 16³.
            let fits = |d: &Candidate| d.chars[1].max(hi) - d.chars[0].min(lo) <= within as usize;
            let later = slots
                .get(chosen.len() + 1..usize::from(entry.slots))
                .unwrap_or_default();
            if !later.iter().all(|s| s.iter().take(16).any(fits)) {
                continue;
            }
        }
        chosen.push(c);
        if search(slots, entry, chosen) {
            return true;
        }
        chosen.pop();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn a_line_ends_where_the_first_line_break_stands(
            // Line breaks among other characters that also start with the byte E2.
            text in "[a学…—“”\u{2028}\u{2029}\n\r\u{2027}\u{202a}]{0,30}",
        ) {
            let expected = text.find(LINE_BREAKS).unwrap_or(text.len());
            proptest::prop_assert_eq!(line_end(&text), expected);
        }
    }
}
