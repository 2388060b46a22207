//! The lexicon (词库): every word of the ruleset's lexicon entries and context in one
//! Aho-Corasick automaton, built once per engine, and the reading of a text sentence by
//! sentence.
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
//! forbidden, excepted or permitted), with no cancelling word in the same clause, in order and
//! within the gap when the entry says so, and on a named day when it asks for one.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use chrono::NaiveDate;

use super::normalize::{Normalized, Normalizer};
use crate::calendar::Calendar;
use crate::model::{DayType, Fact};
use crate::rules::{DayWord, LexiconGroup, Ruleset};

/// What a pattern of the automaton means; a pattern can mean several things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A term of slot `slot` of lexicon entry `group`.
    Term { group: u32, slot: u8 },
    /// A word that cancels entry `group` in its clause.
    Unless { group: u32 },
    /// Names a type of day.
    Day(DayWord),
    /// 不得, 严禁 …
    Negator,
    /// Contains a negator but does not forbid (不得不, 不得少于).
    Neutral,
    /// Ends a negator's scope.
    ScopeBreak,
    /// Ends a sentence; `hard` (a newline) also closes any open quotation.
    SentenceBreak { hard: bool },
    /// 并, 同时 …
    Joiner,
    /// 要求, 组织 …
    Imposer,
    /// 除.
    ExceptOpen,
    /// 外.
    ExceptClose,
    /// 还 after 除…外.
    Additive,
    /// 确需.
    PermitOpen,
    /// 审批.
    PermitApproval,
    /// An opening quotation mark.
    QuoteOpen,
    /// A closing quotation mark.
    QuoteClose,
    /// A mark that both opens and closes (").
    QuoteToggle,
    /// The sentence reports what happened (已责令纠正), it imposes nothing.
    Report,
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
}

/// What a scan needs besides the text: the calendar and the year for dates that give none
/// (10月2日).
#[derive(Debug, Clone, Copy)]
pub struct ScanCtx<'a> {
    /// The school calendar that types dates.
    pub calendar: &'a Calendar,
    /// The year of a date written without one.
    pub year: i32,
}

/// The compiled lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    automaton: AhoCorasick,
    /// Per pattern, its roles as a range of `roles`.
    spans: Vec<(u32, u32)>,
    roles: Vec<Role>,
    groups: Vec<Entry>,
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
}

impl Entry {
    fn total_slots(&self) -> usize {
        usize::from(self.slots) + usize::from(!self.on_days.is_empty())
    }
}

impl Lexicon {
    /// Builds the automaton from a ruleset's lexicon and context words.
    pub fn new(ruleset: &Ruleset) -> crate::Result<Self> {
        let normalizer = Normalizer::get();
        let mut table = PatternTable::default();
        let lexicon = ruleset.lexicon();
        for (group, entry) in lexicon.iter().enumerate() {
            let group = u32::try_from(group).unwrap_or(u32::MAX);
            for (slot, words) in entry.frame.iter().enumerate() {
                let slot = u8::try_from(slot).unwrap_or(u8::MAX);
                for word in words {
                    table.add(normalizer, word, Role::Term { group, slot });
                }
            }
            for word in &entry.unless {
                table.add(normalizer, word, Role::Unless { group });
            }
        }
        let c = ruleset.context();
        for (words, role) in [
            (&c.negators, Role::Negator),
            (&c.neutral, Role::Neutral),
            (&c.scope_breaks, Role::ScopeBreak),
            (&c.joiners, Role::Joiner),
            (&c.imposers, Role::Imposer),
            (&c.exception_open, Role::ExceptOpen),
            (&c.exception_close, Role::ExceptClose),
            (&c.exception_additive, Role::Additive),
            (&c.permission_open, Role::PermitOpen),
            (&c.permission_approval, Role::PermitApproval),
            (&c.reporting, Role::Report),
        ] {
            for word in words {
                table.add(normalizer, word, role);
            }
        }
        for word in &c.sentence_breaks {
            let hard = word == "\n" || word == "\r";
            table.add(normalizer, word, Role::SentenceBreak { hard });
        }
        for [open, close] in &c.quotes {
            if open == close {
                table.add(normalizer, open, Role::QuoteToggle);
            } else {
                table.add(normalizer, open, Role::QuoteOpen);
                table.add(normalizer, close, Role::QuoteClose);
            }
        }
        for (day, word) in &c.days {
            table.add(normalizer, word, Role::Day(*day));
        }
        table.inherit()?;
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            // A full DFA: a few thousand short patterns keep it small, and Chinese text is
            // dense with matches (every comma is one), so search speed dominates.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&table.patterns)
            .map_err(|e| {
                crate::Error::invalid(crate::error::Location::source("lexicon"), e.to_string())
            })?;
        let (spans, roles) = table.flatten();
        Ok(Self {
            automaton,
            spans,
            roles,
            groups: lexicon.iter().map(Entry::from).collect(),
        })
    }

    fn roles_of(&self, pattern: usize) -> &[Role] {
        self.spans
            .get(pattern)
            .and_then(|&(a, b)| self.roles.get(a as usize..b as usize))
            .unwrap_or_default()
    }

    /// Scans `text`, calling `on_hit` for each imposed term of each entry that fires, and
    /// `on_sentence` for each sentence (when given). Spans point into `text` as given.
    pub fn scan(
        &self,
        text: &str,
        ctx: ScanCtx<'_>,
        mut on_hit: impl FnMut(Hit),
        mut on_sentence: Option<&mut dyn FnMut(Sentence)>,
    ) {
        let normalized = Normalizer::get().normalize(text);
        let norm = normalized.text.as_ref();
        let mut reader = Reader::new(self, &normalized, ctx);
        let (mut byte_pos, mut char_pos) = (0usize, 0usize);
        let advance = |to: usize, byte_pos: &mut usize, char_pos: &mut usize| {
            *char_pos += norm.get(*byte_pos..to).map_or(0, |s| s.chars().count());
            *byte_pos = to;
        };
        let mut sentence_start = (0usize, 0usize); // (byte, char) in the normalised text
        let mut quote_depth = 0u8;
        let mut sentence = 0usize;
        for m in self.automaton.find_iter(norm) {
            let pattern = m.pattern().as_usize();
            advance(m.start(), &mut byte_pos, &mut char_pos);
            let start_char = char_pos;
            advance(m.end(), &mut byte_pos, &mut char_pos);
            let token = Token {
                pattern: u32::try_from(pattern).unwrap_or(u32::MAX),
                chars: [start_char, char_pos],
                bytes: [m.start(), m.end()],
                clause: 0,
                negated_by: None,
                suppressed: false,
            };
            let mut ends_sentence = false;
            for &role in self.roles_of(pattern) {
                match role {
                    Role::QuoteOpen => quote_depth = quote_depth.saturating_add(1).min(8),
                    Role::QuoteClose => quote_depth = quote_depth.saturating_sub(1),
                    Role::QuoteToggle => quote_depth = u8::from(quote_depth == 0),
                    Role::SentenceBreak { hard } if hard || quote_depth == 0 => {
                        ends_sentence = true;
                        if hard {
                            quote_depth = 0;
                        }
                    }
                    _ => {}
                }
            }
            if ends_sentence {
                reader.finish_sentence(sentence, (sentence_start, m.start()), &mut on_hit);
                let span = normalized.original_span(
                    [sentence_start.1, start_char],
                    [sentence_start.0, m.start()],
                );
                if let Some(f) = on_sentence.as_mut() {
                    f(Sentence {
                        span: span.0,
                        bytes: span.1,
                    });
                }
                sentence += 1;
                sentence_start = (m.end(), char_pos);
            } else {
                reader.push(token, quote_depth > 0);
            }
        }
        reader.finish_sentence(sentence, (sentence_start, norm.len()), &mut on_hit);
        if let Some(f) = on_sentence.as_mut() {
            if sentence_start.0 < norm.len() {
                advance(norm.len(), &mut byte_pos, &mut char_pos);
                let span = normalized
                    .original_span([sentence_start.1, char_pos], [sentence_start.0, norm.len()]);
                f(Sentence {
                    span: span.0,
                    bytes: span.1,
                });
            }
        }
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
        }
    }
}

/// Patterns (normalised, deduplicated case-insensitively) with their roles.
#[derive(Default)]
struct PatternTable {
    patterns: Vec<String>,
    roles: Vec<Vec<Role>>,
    index: std::collections::HashMap<String, usize>,
}

impl PatternTable {
    fn add(&mut self, normalizer: &Normalizer, word: &str, role: Role) {
        let text = normalizer.normalize(word).text.into_owned();
        if text.is_empty() {
            return;
        }
        let key = text.to_ascii_lowercase();
        let index = *self.index.entry(key).or_insert_with(|| {
            self.patterns.push(text);
            self.roles.push(Vec::new());
            self.patterns.len() - 1
        });
        if let Some(roles) = self.roles.get_mut(index) {
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
    }

    /// Gives each pattern the matching roles of every shorter pattern inside it: the automaton
    /// reports only the longest match at a place, so 关注公众号 must also count as 公众号.
    /// Prohibitions and look-alikes keep only their own roles: 不打分 holds no 打分, and a
    /// neutral 会议要求 (a minutes' opener) holds no 会议.
    fn inherit(&mut self) -> crate::Result<()> {
        let inner = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(&self.patterns)
            .map_err(|e| {
                crate::Error::invalid(crate::error::Location::source("lexicon"), e.to_string())
            })?;
        let mut extra: Vec<(usize, Role)> = Vec::new();
        for (i, pattern) in self.patterns.iter().enumerate() {
            let own = self.roles.get(i).map_or(&[][..], Vec::as_slice);
            if own.contains(&Role::Negator) || own.contains(&Role::Neutral) {
                continue;
            }
            for m in inner.find_overlapping_iter(pattern) {
                let j = m.pattern().as_usize();
                if j == i {
                    continue;
                }
                for &role in self.roles.get(j).map_or(&[][..], Vec::as_slice) {
                    if matches!(role, Role::Term { .. } | Role::Unless { .. } | Role::Day(_)) {
                        extra.push((i, role));
                    }
                }
            }
        }
        for (i, role) in extra {
            if let Some(roles) = self.roles.get_mut(i) {
                if !roles.contains(&role) {
                    roles.push(role);
                }
            }
        }
        Ok(())
    }

    fn flatten(self) -> (Vec<(u32, u32)>, Vec<Role>) {
        let mut spans = Vec::with_capacity(self.roles.len());
        let mut flat = Vec::new();
        for roles in self.roles {
            let start = u32::try_from(flat.len()).unwrap_or(u32::MAX);
            flat.extend(roles);
            spans.push((start, u32::try_from(flat.len()).unwrap_or(u32::MAX)));
        }
        (spans, flat)
    }
}

/// One match inside a sentence.
#[derive(Debug, Clone, Copy)]
struct Token {
    pattern: u32,
    /// Span in the normalised text.
    chars: [usize; 2],
    bytes: [usize; 2],
    /// Index of the clause (between scope breaks) in the sentence.
    clause: u16,
    /// The token whose prohibition covers this one, if any.
    negated_by: Option<u32>,
    /// Inside an exception (除…外) or a permission (确需…审批).
    suppressed: bool,
}

/// Reads one sentence at a time.
struct Reader<'a> {
    lexicon: &'a Lexicon,
    normalized: &'a Normalized<'a>,
    ctx: ScanCtx<'a>,
    tokens: Vec<Token>,
    clause: u16,
    negated_by: Option<u32>,
    /// End (normalised char) of the last joiner, for 并要求.
    joiner_end: Option<usize>,
    /// Entries with a term in this sentence.
    touched: Vec<u32>,
    /// Candidate token indexes per slot, reused.
    slots: Vec<Vec<Candidate>>,
    /// Dates of the sentence with their day type, read at most once per sentence.
    dates: Option<Vec<DatedDay>>,
    /// The sentence being finished: ((start byte, start char), end byte), normalised text.
    range: ((usize, usize), usize),
}

/// A date in a sentence with its day type: (type, char span, byte span), normalised text.
type DatedDay = (DayWord, [usize; 2], [usize; 2]);

/// A term, day word or date that can fill a slot.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    chars: [usize; 2],
    bytes: [usize; 2],
}

impl<'a> Reader<'a> {
    fn new(lexicon: &'a Lexicon, normalized: &'a Normalized<'a>, ctx: ScanCtx<'a>) -> Self {
        Self {
            lexicon,
            normalized,
            ctx,
            tokens: Vec::new(),
            clause: 0,
            negated_by: None,
            joiner_end: None,
            touched: Vec::new(),
            slots: Vec::new(),
            dates: None,
            range: ((0, 0), 0),
        }
    }

    /// Takes one token of the sentence being read; `quoted` when inside quotation marks.
    fn push(&mut self, mut token: Token, quoted: bool) {
        let index = u32::try_from(self.tokens.len()).unwrap_or(u32::MAX);
        let roles = self.lexicon.roles_of(token.pattern as usize);
        // A token's own prohibition does not cover itself.
        token.negated_by = self.negated_by;
        for &role in roles {
            match role {
                Role::ScopeBreak if !quoted => {
                    self.clause = self.clause.saturating_add(1);
                    self.negated_by = None;
                }
                Role::Negator => self.negated_by = Some(index),
                Role::Joiner => self.joiner_end = Some(token.chars[1]),
                Role::Imposer if self.joiner_end == Some(token.chars[0]) => {
                    self.negated_by = None;
                    token.negated_by = None;
                }
                Role::Term { group, .. } if !self.touched.contains(&group) => {
                    self.touched.push(group);
                }
                _ => {}
            }
        }
        token.clause = self.clause;
        self.tokens.push(token);
    }

    fn has(&self, token: &Token, wanted: impl Fn(Role) -> bool) -> bool {
        self.lexicon
            .roles_of(token.pattern as usize)
            .iter()
            .any(|&r| wanted(r))
    }

    /// Marks exceptions and permissions, then reports every entry that fires.
    /// `range` is the sentence's ((start byte, start char), end byte) in the normalised text.
    fn finish_sentence(
        &mut self,
        sentence: usize,
        range: ((usize, usize), usize),
        on_hit: &mut impl FnMut(Hit),
    ) {
        self.range = range;
        let report = self
            .tokens
            .iter()
            .any(|t| self.has(t, |r| r == Role::Report));
        if !self.touched.is_empty() && !report {
            self.mark_exceptions();
            self.mark_permission();
            let mut touched = std::mem::take(&mut self.touched);
            touched.sort_unstable();
            for &group in &touched {
                self.fire(group, sentence, on_hit);
            }
            touched.clear();
            self.touched = touched;
        }
        self.tokens.clear();
        self.clause = 0;
        self.negated_by = None;
        self.joiner_end = None;
        self.dates = None;
    }

    /// 除…外: tokens between an opener and the first closer after it are an exception, unless
    /// an additive word (还, 也) follows the closer (除…外，还要… adds a demand).
    fn mark_exceptions(&mut self) {
        let mut i = 0;
        while i < self.tokens.len() {
            let Some(open) = self.tokens.get(i).copied() else {
                break;
            };
            if !self.has(&open, |r| r == Role::ExceptOpen) {
                i += 1;
                continue;
            }
            let close = (i + 1..self.tokens.len()).find(|&j| {
                self.tokens
                    .get(j)
                    .is_some_and(|t| self.has(t, |r| r == Role::ExceptClose))
            });
            let Some(close) = close else {
                i += 1;
                continue;
            };
            let close_end = self.tokens.get(close).map_or(0, |t| t.chars[1]);
            let rest = self.tokens.get(close + 1..).unwrap_or_default();
            let additive = rest
                .iter()
                .take_while(|t| t.chars[0] <= close_end + 2)
                .any(|t| self.has(t, |r| r == Role::Additive));
            // 除A外，其余不需…: the rest is forbidden, so A is what is demanded.
            let rest_forbidden = rest.iter().any(|t| self.has(t, |r| r == Role::Negator));
            if !additive && !rest_forbidden {
                for t in self.tokens.get_mut(i + 1..close).unwrap_or_default() {
                    t.suppressed = true;
                }
            }
            i = close + 1;
        }
    }

    /// 确需…的，须…审批: everything after the opener is permitted when an approval word
    /// follows it in the sentence.
    fn mark_permission(&mut self) {
        let open = self
            .tokens
            .iter()
            .position(|t| self.has(t, |r| r == Role::PermitOpen));
        let Some(open) = open else { return };
        let approved = self.tokens.get(open + 1..).is_some_and(|rest| {
            rest.iter()
                .any(|t| self.has(t, |r| r == Role::PermitApproval))
        });
        if approved {
            for t in self.tokens.get_mut(open..).unwrap_or_default() {
                t.suppressed = true;
            }
        }
    }

    /// Whether entry `group` fires in the sentence; reports its terms when it does.
    fn fire(&mut self, group: u32, sentence: usize, on_hit: &mut impl FnMut(Hit)) {
        let Some(entry) = self.lexicon.groups.get(group as usize) else {
            return;
        };
        let total = entry.total_slots();
        self.slots
            .resize_with(total.max(self.slots.len()), Vec::new);
        for slot in self.slots.iter_mut() {
            slot.clear();
        }
        // Clauses where a cancelling word of this entry stands.
        let mut cancelled: u64 = 0;
        for t in &self.tokens {
            if self.has(t, |r| r == Role::Unless { group }) {
                cancelled |= 1u64 << t.clause.min(63);
            }
        }
        for t in &self.tokens {
            if t.suppressed || cancelled & (1u64 << t.clause.min(63)) != 0 {
                continue;
            }
            let negated = t.negated_by.is_some_and(|by| {
                // A prohibition by a term of this same entry (取消 in 取消评优资格) is the
                // entry's own predicate, not a prohibition of it.
                self.tokens.get(by as usize).is_none_or(|src| {
                    !self.has(
                        src,
                        |r| matches!(r, Role::Term { group: g, .. } if g == group),
                    )
                })
            });
            if negated {
                continue;
            }
            for &role in self.lexicon.roles_of(t.pattern as usize) {
                let slot = match role {
                    Role::Term { group: g, slot } if g == group => usize::from(slot),
                    Role::Day(day) if entry.on_days.contains(&day) => usize::from(entry.slots),
                    _ => continue,
                };
                if let Some(list) = self.slots.get_mut(slot) {
                    list.push(Candidate {
                        chars: t.chars,
                        bytes: t.bytes,
                    });
                }
            }
        }
        if !entry.on_days.is_empty() {
            let day_slot = usize::from(entry.slots);
            if self.slots.get(day_slot).is_some_and(Vec::is_empty) {
                let dates: Vec<_> = self.dates().to_vec();
                for (day, chars, bytes) in dates {
                    if entry.on_days.contains(&day) {
                        if let Some(list) = self.slots.get_mut(day_slot) {
                            list.push(Candidate { chars, bytes });
                        }
                    }
                }
            }
        }
        let Some(entry) = self.lexicon.groups.get(group as usize) else {
            return;
        };
        let Some(chosen) = choose(self.slots.get(..total).unwrap_or_default(), entry) else {
            return;
        };
        for c in chosen.iter().take(total) {
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
    let Some(part) = text.get(from..to) else {
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
            let day_word = if ctx.calendar.in_exam_weeks(date, date) {
                Some(DayWord::ExamWeek)
            } else {
                match ctx.calendar.day_type(date) {
                    DayType::Weekend => Some(DayWord::Weekend),
                    DayType::Holiday => Some(DayWord::Holiday),
                    DayType::Vacation => Some(DayWord::Vacation),
                    DayType::SchoolDay => None,
                }
            };
            if let Some(day_word) = day_word {
                let byte = |k: usize| from + chars.get(k).map_or(part.len(), |&(b, _)| b);
                out.push((
                    day_word,
                    [char_base + start, char_base + after_day + 1],
                    [byte(start), byte(after_day + 1)],
                ));
            }
        }
        i = after_day + 1;
    }
    out
}

/// One candidate per slot such that the entry's order and gap hold; `None` if none does.
fn choose(slots: &[Vec<Candidate>], entry: &Entry) -> Option<Vec<Candidate>> {
    if slots.iter().any(Vec::is_empty) {
        return None;
    }
    if !entry.in_order && entry.within.is_none() {
        return Some(slots.iter().filter_map(|s| s.first().copied()).collect());
    }
    let mut chosen = Vec::with_capacity(slots.len());
    search(slots, entry, &mut chosen).then_some(chosen)
}

/// Depth-first search over slots, at most 16 candidates each (a sentence rarely has more).
fn search(slots: &[Vec<Candidate>], entry: &Entry, chosen: &mut Vec<Candidate>) -> bool {
    let Some(options) = slots.get(chosen.len()) else {
        return true;
    };
    for &c in options.iter().take(16) {
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
        }
        chosen.push(c);
        if search(slots, entry, chosen) {
            return true;
        }
        chosen.pop();
    }
    false
}
