//! Document review (发文审核): the clauses of a draft that push burden onto schools.
//!
//! A clause is flagged when it imposes a fact the lexicon knows (下载APP, 一票否决, 责任状 …)
//! outside prohibitive context: "不得要求教师下载APP" reduces burden and is not flagged.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use compact_str::CompactString;
use serde::Serialize;

use super::lexicon::{Carry, Hit, ScanCtx, ScanEnd, Sentence};
use crate::check::eval::{Ctx, Trace, eval};
use crate::engine::Engine;
use crate::model::{
    Citation, Decision, Evidence, Issuer, IssuerKind, Item, Kind, Level, RulesetInfo, Text,
};
use crate::rules::Scope;

/// The review of one draft.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Review<'e> {
    /// The version of this JSON shape (`jianfu::FORMAT_VERSION`).
    pub format_version: u32,
    /// The draft's length in characters.
    pub chars: usize,
    /// How many findings the review has (for a streamed review, how many were handed out).
    #[serde(skip)]
    pub flagged: usize,
    /// The most severe finding's decision, or `allowed`.
    pub decision: Decision,
    /// Flagged clauses, in text order.
    pub findings: Vec<ReviewFinding<'e>>,
    /// The date the review speaks for.
    pub as_of: NaiveDate,
    /// The ruleset used.
    pub ruleset: &'e RulesetInfo,
}

/// One clause that imposes burden, with the rule it breaks.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReviewFinding<'e> {
    /// The rule's id.
    pub rule: &'e str,
    /// What the rule decides.
    pub decision: Decision,
    /// Why.
    pub message: &'e Text,
    /// Source.
    pub citation: &'e Citation,
    /// The clause (sentence) with its character span; absent for findings about the whole
    /// document (its length, say).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<Clause>,
    /// The words that triggered it, spans counted in characters of the whole text.
    pub evidence: Vec<Evidence>,
    /// What to change.
    pub remedy: &'e Text,
}

/// `text` in whole lines of at least [`PART_BYTES`] (the last part shorter), as
/// [`Engine::review_reader`] reads a draft.
fn parts(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // The first line break at or after PART_BYTES ends the part (it is an ASCII byte,
        // so the cut is a character boundary).
        let end = rest
            .as_bytes()
            .iter()
            .skip(PART_BYTES.saturating_sub(1))
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |at| at + PART_BYTES);
        let (part, tail) = rest.split_at_checked(end).unwrap_or((rest, ""));
        rest = tail;
        Some(part)
    })
}

/// A piece's findings and how its reading ended.
type Reading<'e> = (Vec<ReviewFinding<'e>>, ScanEnd);

/// The least a piece of a part holds before a part is cut for threads: a piece's own set-up
/// is a few microseconds, 64 KiB of text a few milliseconds.
const PIECE_BYTES_MIN: usize = 1 << 16;

/// `text` (whose characters start at `base` in the draft) cut for `threads` threads into
/// pieces of whole lines, each with where its characters start: about four a thread, so
/// threads that finish early take more, each of at least [`PIECE_BYTES_MIN`]. One piece on
/// one thread.
fn pieces(text: &str, base: usize, threads: usize) -> Vec<(&str, usize)> {
    let count = if threads < 2 {
        1
    } else {
        (text.len() / PIECE_BYTES_MIN).min(threads * 4).max(1)
    };
    let step = text.len().div_ceil(count).max(1);
    let mut pieces = Vec::with_capacity(count);
    let (mut rest, mut base) = (text, base);
    while !rest.is_empty() {
        // The first line break at or after `step` ends the piece (an ASCII byte, so the cut
        // is a character boundary); the last piece takes the rest.
        let end = match rest.as_bytes().get(step..) {
            Some(after) if pieces.len() + 1 < count => {
                memchr::memchr(b'\n', after).map_or(rest.len(), |at| step + at + 1)
            }
            _ => rest.len(),
        };
        let (piece, tail) = rest.split_at_checked(end).unwrap_or((rest, ""));
        pieces.push((piece, base));
        base += piece.chars().count();
        rest = tail;
    }
    pieces
}

thread_local! {
    /// Each thread's hit and sentence buffers, kept between the parts it reviews.
    static REVIEW_SCRATCH: std::cell::Cell<(Vec<Hit>, Vec<Sentence>)> =
        const { std::cell::Cell::new((Vec::new(), Vec::new())) };
}

/// A sentence of the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Clause {
    /// Character span in the whole text.
    pub span: [usize; 2],
    // Shared by the findings of one sentence: a burden-dense draft has two or three.
    /// The sentence's text.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub text: Arc<str>,
}

/// Bytes of a draft [`Engine::review_reader`] and [`Engine::review`] read at a time (then on to
/// the next line break): what carries from line to line, the days a notice's title or lead-in
/// names, stops at a part's end.
pub const PART_BYTES: usize = 1 << 20;

/// Evidence a finding has room for when it is made (and lists of rules it yields to).
const EVIDENCE_ROOM: usize = 4;

impl Review<'_> {
    /// The rules flagged on clauses (whole-document findings aside), sorted, once each.
    pub fn clause_rules(&self) -> Vec<String> {
        let mut rules: Vec<String> = self
            .findings
            .iter()
            .filter(|f| f.clause.is_some())
            .map(|f| f.rule.to_string())
            .collect();
        rules.sort();
        rules.dedup();
        rules
    }
}

impl Engine {
    /// Reviews a draft document as of a date.
    ///
    /// ```
    /// let engine = jianfu::Engine::embedded()?;
    /// let draft = "一、请各校严格落实减负要求。\n二、各校须组织全体教师下载安装“平安校园”APP并完成注册。\n";
    /// let review = engine.review(draft, jianfu::parse_date("2026-03-02")?);
    /// let finding = &review.findings[0];
    /// assert!(finding.clause.as_ref().is_some_and(|c| c.text.contains("下载安装")));
    /// assert_ne!(review.decision, jianfu::Decision::Allowed);
    /// // The prohibitive first clause is not flagged: every finding is on the second.
    /// assert!(review.findings.iter().filter_map(|f| f.clause.as_ref()).all(|c| c.text.starts_with("二")));
    /// # Ok::<(), jianfu::Error>(())
    /// ```
    pub fn review(&self, text: &str, as_of: NaiveDate) -> Review<'_> {
        // The same parts as `review_reader` reads, so what carries from line to line (the
        // days a notice's lead-in names) stops at the same places.
        let mut findings = Vec::new();
        let mut chars = 0usize;
        for part in parts(text) {
            let found = self.clause_findings(part, chars, as_of);
            // The first part's findings are taken as they are, not copied.
            match findings.is_empty() {
                true => findings = found,
                false => findings.extend(found),
            }
            chars += part.chars().count();
        }
        findings.extend(self.whole_document(chars, as_of));
        self.finish(chars, findings, as_of)
    }

    /// Reviews many drafts at once, each as [`Engine::review`] reviews it, on the engine's
    /// threads (a county's notices of a year, say): the reviews in input order, the same on
    /// one thread as on many.
    ///
    /// ```
    /// let engine = jianfu::Engine::embedded()?;
    /// let as_of = jianfu::parse_date("2026-03-02")?;
    /// let drafts = ["各校须组织全体教师下载安装“平安校园”APP。", "请各校认真备课。"];
    /// let reviews = engine.review_many(&drafts, as_of);
    /// assert_eq!(reviews.len(), 2);
    /// assert_eq!(reviews[0].clause_rules(), engine.review(drafts[0], as_of).clause_rules());
    /// assert!(reviews[1].findings.is_empty());
    /// # Ok::<(), jianfu::Error>(())
    /// ```
    pub fn review_many<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        as_of: NaiveDate,
    ) -> Vec<Review<'_>> {
        self.threads()
            .map(texts, |text| self.review(text.as_ref(), as_of))
    }

    /// Reviews a draft read from `reader` part by part, handing each finding to `on_finding`
    /// as soon as its part is reviewed: memory stays bounded by [`PART_BYTES`] (times the
    /// engine's threads, which review that many parts at once) and the longest line, whatever
    /// the draft's length. The findings, and their spans in the whole draft,
    /// are those [`Engine::review`] gives for the same text, in the same order; the returned
    /// review has the totals and no findings. `source` names the input in errors.
    ///
    /// ```
    /// let engine = jianfu::Engine::embedded().unwrap();
    /// let draft = "一、各校组织教师下载安装某某APP。\n二、认真备课。\n";
    /// let mut rules = Vec::new();
    /// let as_of = jianfu::parse_date("2026-03-02").unwrap();
    /// let totals = engine
    ///     .review_reader(draft.as_bytes(), "draft.txt", as_of, |f| {
    ///         rules.push(f.rule.to_string());
    ///         Ok(())
    ///     })
    ///     .unwrap();
    /// assert_eq!(totals.chars, draft.chars().count());
    /// assert_eq!(rules, engine.review(draft, as_of).clause_rules());
    /// ```
    pub fn review_reader<'e, R: std::io::BufRead>(
        &'e self,
        reader: R,
        source: &str,
        as_of: NaiveDate,
        mut on_finding: impl FnMut(ReviewFinding<'e>) -> crate::Result<()>,
    ) -> crate::Result<Review<'e>> {
        self.review_reader_map(
            reader,
            source,
            as_of,
            |findings| findings,
            |findings| findings.into_iter().try_for_each(&mut on_finding),
        )
    }

    /// [`Engine::review_reader`] with each part's findings handed to `map` on the thread that
    /// found them, and `map`'s results to `on_part` in draft order: a caller that turns
    /// findings into bytes (JSON, text) does it on every core, with no findings crossing
    /// threads. The document-scope findings come last, mapped on the calling thread.
    ///
    /// ```
    /// let engine = jianfu::Engine::embedded().unwrap();
    /// let draft = "一、各校组织教师下载安装某某APP。\n二、认真备课。\n";
    /// let as_of = jianfu::parse_date("2026-03-02").unwrap();
    /// let mut rules = Vec::new();
    /// engine
    ///     .review_reader_map(
    ///         draft.as_bytes(),
    ///         "draft.txt",
    ///         as_of,
    ///         |findings| findings.iter().map(|f| f.rule.to_string()).collect::<Vec<_>>(),
    ///         |part| {
    ///             rules.extend(part);
    ///             Ok(())
    ///         },
    ///     )
    ///     .unwrap();
    /// assert_eq!(rules, engine.review(draft, as_of).clause_rules());
    /// ```
    pub fn review_reader_map<'e, R: std::io::BufRead, T: Send>(
        &'e self,
        mut reader: R,
        source: &str,
        as_of: NaiveDate,
        map: impl Fn(Vec<ReviewFinding<'e>>) -> T + Sync + Send,
        mut on_part: impl FnMut(T) -> crate::Result<()>,
    ) -> crate::Result<Review<'e>> {
        let (mut chars, mut count, mut decision) = (0usize, 0usize, Decision::Allowed);
        let (mut offset, mut lines) = (0usize, 0usize);
        // As many parts at once as there are threads: read in order, reviewed together,
        // their findings handed on in order.
        let at_once = self.threads().count();
        // Part buffers kept from round to round: a fresh megabyte each time is fresh pages the
        // kernel must clear.
        let mut spare: Vec<Vec<u8>> = Vec::with_capacity(at_once);
        loop {
            // (the part, where its characters start in the draft)
            let mut parts: Vec<(Vec<u8>, usize)> = Vec::with_capacity(at_once);
            while parts.len() < at_once {
                let mut part = spare
                    .pop()
                    .unwrap_or_else(|| Vec::with_capacity(PART_BYTES + 4096));
                part.clear();
                // Whole lines up to PART_BYTES: a line break ends every sentence, so no clause
                // is cut between two parts.
                while part.len() < PART_BYTES {
                    let read = reader
                        .read_until(b'\n', &mut part)
                        .map_err(|e| crate::Error::read_failed(source, e))?;
                    if read == 0 {
                        break;
                    }
                }
                if part.is_empty() {
                    break;
                }
                // Characters are the bytes that do not continue one; a part that is not UTF-8
                // is refused below, before any of its round is handed on.
                let base = chars;
                chars += part.iter().filter(|&&b| b & 0xC0 != 0x80).count();
                parts.push((part, base));
            }
            if parts.is_empty() {
                break;
            }
            // Each part is checked as UTF-8, reviewed and mapped on the engine's threads.
            let reviewed = self.threads().map(&parts, |(part, base)| {
                let breaks = part.iter().filter(|&&b| b == b'\n').count();
                let text = std::str::from_utf8(part).map_err(|e| e.valid_up_to())?;
                let findings = self.clause_findings(text, *base, as_of);
                let worst = findings.iter().map(|f| f.decision).max();
                Ok((breaks, findings.len(), worst, map(findings)))
            });
            for ((part, _), done) in parts.iter().zip(&reviewed) {
                let breaks = match done {
                    Ok((breaks, ..)) => *breaks,
                    Err(at) => {
                        let before = part.get(..*at).unwrap_or_default();
                        let line = lines + before.iter().filter(|&&b| b == b'\n').count() + 1;
                        return Err(crate::Error::read_failed(
                            source,
                            format_args!(
                                "第 {line} 行不是有效的 UTF-8 或 GBK 文本，请另存为 UTF-8 / line \
                             {line} (byte {}) is not valid UTF-8 or GBK text; save the draft as \
                             UTF-8",
                                offset + at
                            ),
                        ));
                    }
                };
                offset += part.len();
                lines += breaks;
            }
            for (_, found, worst, mapped) in reviewed.into_iter().flatten() {
                count += found;
                decision = decision.max(worst.unwrap_or(Decision::Allowed));
                on_part(mapped)?;
            }
            spare.extend(parts.into_iter().map(|(part, _)| part));
        }
        let whole = self.whole_document(chars, as_of);
        count += whole.len();
        decision = whole
            .iter()
            .map(|f| f.decision)
            .fold(decision, Decision::max);
        if !whole.is_empty() {
            on_part(map(whole))?;
        }
        let mut review = self.finish(chars, Vec::new(), as_of);
        review.decision = decision;
        review.flagged = count;
        Ok(review)
    }

    fn finish<'e>(
        &'e self,
        chars: usize,
        findings: Vec<ReviewFinding<'e>>,
        as_of: NaiveDate,
    ) -> Review<'e> {
        let decision = findings
            .iter()
            .map(|f| f.decision)
            .max()
            .unwrap_or(Decision::Allowed);
        Review {
            format_version: crate::FORMAT_VERSION,
            chars,
            decision,
            flagged: findings.len(),
            findings,
            as_of,
            ruleset: self.ruleset().info(),
        }
    }

    /// The clause findings of `text`, with character spans counted from `base` (the text's
    /// place in the whole draft), read as one notice from its first line to its last.
    ///
    /// On more than one thread, a long text is cut into pieces of whole lines, each read at
    /// once on its own thread as if it opened the text. A piece whose lines before it leave
    /// nothing to carry (a title's or lead-in's days) was read exactly so. One they leave days
    /// to is read again with them, up to its first title line (a title sets what carries,
    /// whatever came before it), or whole when it has none: then every later piece with no
    /// title is read again at once with the same days, and each such reading is kept when
    /// those days are indeed what its lines before it leave. The findings are those of one
    /// reading from the first line, whatever the threads.
    fn clause_findings(&self, text: &str, base: usize, as_of: NaiveDate) -> Vec<ReviewFinding<'_>> {
        // Threads are asked for only by a text long enough to cut.
        let threads = match text.len() >= 2 * PIECE_BYTES_MIN && self.lexicon().lines_stand_alone()
        {
            true => self.threads().count(),
            false => 1,
        };
        let pieces = pieces(text, base, threads);
        if pieces.len() < 2 {
            return self.piece_findings(text, base, as_of, Carry::default()).0;
        }
        let mut read: Vec<Option<Reading<'_>>> = self
            .threads()
            .map(&pieces, |&(piece, base)| {
                self.piece_findings(piece, base, as_of, Carry::default())
            })
            .into_iter()
            .map(Some)
            .collect();
        // Each piece's first title line, when it opens a line of its own (after a `\n`).
        let titles: Vec<Option<(usize, usize)>> = (pieces.iter().zip(&read))
            .map(|(&(piece, _), reading)| {
                let at = reading.as_ref().and_then(|(_, end)| end.title_at);
                at.filter(|&(_, byte)| {
                    piece
                        .get(..byte)
                        .is_some_and(|head| head.is_empty() || head.ends_with('\n'))
                })
            })
            .collect();
        let total = read.iter().flatten().map(|(found, _)| found.len()).sum();
        let mut findings = Vec::with_capacity(total);
        let mut carry = Carry::default();
        // Pieces with no title line read again at once, all with the carry `guess`: the days a
        // notice's title names often reach to its end, piece after piece.
        let mut guess = Carry::default();
        let mut guessed: Vec<Option<Reading<'_>>> = Vec::new();
        for (i, &(piece, base)) in pieces.iter().enumerate() {
            let Some((found, end)) = read.get_mut(i).and_then(Option::take) else {
                continue;
            };
            if carry.is_empty() {
                findings.extend(found);
                carry = end.carry;
                continue;
            }
            if let Some(&Some((title_char, title_byte))) = titles.get(i) {
                let head = piece.get(..title_byte).unwrap_or_default();
                findings.extend(self.piece_findings(head, base, as_of, carry).0);
                let from = base + title_char;
                findings.extend(
                    found
                        .into_iter()
                        .filter(|f| f.clause.as_ref().is_none_or(|c| c.span[0] >= from)),
                );
                carry = end.carry;
                continue;
            }
            let kept = guessed.get_mut(i).and_then(Option::take);
            let (found, end) = match kept.filter(|_| guess == carry) {
                Some(reading) => reading,
                None => {
                    guess = carry.clone();
                    let later: Vec<usize> = (i..pieces.len())
                        .filter(|&j| titles.get(j).is_some_and(Option::is_none))
                        .collect();
                    let readings = self.threads().map(&later, |&j| {
                        let (piece, base) = pieces.get(j).copied().unwrap_or_default();
                        self.piece_findings(piece, base, as_of, guess.clone())
                    });
                    guessed = std::iter::repeat_with(|| None).take(pieces.len()).collect();
                    for (j, reading) in later.into_iter().zip(readings) {
                        if let Some(slot) = guessed.get_mut(j) {
                            *slot = Some(reading);
                        }
                    }
                    match guessed.get_mut(i).and_then(Option::take) {
                        Some(reading) => reading,
                        None => self.piece_findings(piece, base, as_of, carry),
                    }
                }
            };
            findings.extend(found);
            carry = end.carry;
        }
        findings
    }

    /// The clause findings of `text` read after lines that left `carry`, and how its reading
    /// ended.
    fn piece_findings(
        &self,
        text: &str,
        base: usize,
        as_of: NaiveDate,
        carry: Carry,
    ) -> (Vec<ReviewFinding<'_>>, ScanEnd) {
        let ruleset = self.ruleset();
        // This thread's buffers from its last part: a megabyte part fills a megabyte of each,
        // and fresh ones would be fresh pages for the kernel to clear every time.
        let (mut hits, mut sentences) = REVIEW_SCRATCH
            .try_with(std::cell::Cell::take)
            .unwrap_or_default();
        hits.clear();
        sentences.clear();
        let end = {
            let mut on_sentence = |s: Sentence| sentences.push(s);
            let ctx = ScanCtx {
                calendar: self.calendar(),
                year: as_of.year(),
                titles: true,
            };
            self.lexicon().scan_from(
                text,
                ctx,
                carry,
                |hit| hits.push(hit),
                Some(&mut on_sentence),
            )
        };
        // The rules each lexicon entry reports, in force on `as_of`: looked up when the entry
        // is first hit (a short draft hits few of them), then read from `in_force`.
        let mut reported: Vec<Option<std::ops::Range<usize>>> = vec![None; ruleset.lexicon().len()];
        let mut in_force: Vec<&crate::rules::Rule> = Vec::new();
        // Fewer findings than hits, mostly: room enough that the vector is not moved as it grows.
        let mut findings: Vec<ReviewFinding<'_>> = Vec::with_capacity(hits.len());
        // Per finding: its sentence, and while every entry behind it yields (`yields_to`), each
        // entry's list of rules it gives way to; one entry that does not yield keeps it.
        let mut yielding: Vec<(usize, Yields<'_>)> = Vec::with_capacity(hits.len());
        // Findings of the sentence being read start here; hits arrive in text order.
        let mut sentence_first = 0usize;
        let mut current_sentence = usize::MAX;
        // The sentence's text, made once for the findings it holds.
        let mut sentence_text: Option<Arc<str>> = None;
        for hit in hits.drain(..) {
            let Some(sentence) = sentences.get(hit.sentence) else {
                continue;
            };
            if hit.sentence != current_sentence {
                current_sentence = hit.sentence;
                sentence_first = findings.len();
                sentence_text = None;
            }
            let span = hit.span.map(|at| at + base);
            let yields = ruleset
                .lexicon()
                .get(hit.group)
                .map(|g| g.yields_to.as_slice())
                .filter(|y| !y.is_empty());
            let Some(slot) = reported.get_mut(hit.group) else {
                continue;
            };
            let range = slot.get_or_insert_with(|| {
                let start = in_force.len();
                in_force.extend(self.review_rules(hit.group, as_of));
                start..in_force.len()
            });
            for &rule in in_force.get(range.clone()).unwrap_or_default() {
                let evidence = || Evidence {
                    field: "text".into(),
                    text: text.get(hit.bytes[0]..hit.bytes[1]).map(CompactString::new),
                    span: Some(span),
                };
                // One finding per (sentence, rule): more words in the same clause add evidence.
                // Rule ids are the ruleset's own strings, so the same rule is the same pointer.
                if let Some(at) = findings.get(sentence_first..).and_then(|tail| {
                    tail.iter()
                        .position(|f| std::ptr::eq(f.rule, rule.id.as_str()))
                }) {
                    let at = sentence_first + at;
                    if let Some(existing) = findings.get_mut(at) {
                        if !existing.evidence.iter().any(|e| e.span == Some(span)) {
                            existing.evidence.push(evidence());
                        }
                    }
                    if let Some((_, lists)) = yielding.get_mut(at) {
                        match (lists.as_mut(), yields) {
                            (Some(lists), Some(yields)) => lists.push(yields),
                            _ => *lists = None,
                        }
                    }
                    continue;
                }
                let Some(clause) = rule.clauses.first() else {
                    continue;
                };
                findings.push(ReviewFinding {
                    rule: &rule.id,
                    decision: clause.decision,
                    message: &rule.message,
                    citation: &rule.citation,
                    clause: Some(Clause {
                        span: sentence.span.map(|at| at + base),
                        text: Arc::clone(sentence_text.get_or_insert_with(|| {
                            Arc::from(
                                text.get(sentence.bytes[0]..sentence.bytes[1])
                                    .unwrap_or_default(),
                            )
                        })),
                    }),
                    evidence: {
                        // Room for the words a clause usually adds (2.6 a finding on the
                        // example draft), so that the second one does not move the first.
                        let mut words = Vec::with_capacity(EVIDENCE_ROOM);
                        words.push(evidence());
                        words
                    },
                    remedy: &clause.remedy,
                });
                yielding.push((
                    hit.sentence,
                    yields.map(|y| {
                        let mut lists = Vec::with_capacity(EVIDENCE_ROOM);
                        lists.push(y);
                        lists
                    }),
                ));
            }
        }
        let _ = REVIEW_SCRATCH.try_with(|cell| cell.set((hits, sentences)));
        (give_way(findings, &yielding), end)
    }

    /// Document-scope rules (length and the like), evaluated on the draft as a whole, of
    /// `chars` characters.
    fn whole_document(&self, chars: usize, as_of: NaiveDate) -> Vec<ReviewFinding<'_>> {
        let ruleset = self.ruleset();
        let rules: Vec<&crate::rules::Rule> = ruleset
            .rules()
            .iter()
            .filter(|r| r.scope == Scope::Document && r.effective.contains(as_of))
            .collect();
        if rules.is_empty() {
            return Vec::new();
        }
        let item = Item {
            id: String::new(),
            kind: Kind::Document,
            title: String::new(),
            issuer: Issuer {
                name: String::new(),
                kind: IssuerKind::Education,
                level: Level::School,
            },
            targets: Vec::new(),
            schools: Vec::new(),
            start: None,
            end: None,
            description: String::new(),
            materials: Default::default(),
            approvals: Vec::new(),
            annual_plan: None,
            requirements: Default::default(),
            legally_required: false,
            major_task: false,
            hours_per_teacher: None,
            campus_entry: None,
            inspection: None,
            data_request: None,
            secondment: None,
            duty: None,
        };
        let mut kinds = crate::check::KindSet::default();
        kinds.insert(Kind::Document);
        let ctx = Ctx {
            kinds,
            text_chars: Some(chars),
            ..Ctx::bare(&item, as_of, ruleset, self.calendar())
        };
        let mut out = Vec::new();
        for rule in rules {
            for clause in &rule.clauses {
                let mut trace = Trace::default();
                if eval(&clause.when, &ctx, &mut trace) {
                    out.push(ReviewFinding {
                        rule: &rule.id,
                        decision: clause.decision,
                        message: &clause.message,
                        citation: &rule.citation,
                        clause: None,
                        evidence: trace.evidence,
                        remedy: &clause.remedy,
                    });
                    break;
                }
            }
        }
        out
    }
}

/// The `yields_to` lists of the entries behind a finding, or `None` once an entry that does
/// not yield has found it.
type Yields<'r> = Option<Vec<&'r [String]>>;

/// `findings` without those that give way: a finding every entry of which yields to a rule
/// found, by an entry that does not yield, in the same sentence. A sentence's findings are
/// consecutive, so each is compared with its own sentence's only.
fn give_way<'e>(
    findings: Vec<ReviewFinding<'e>>,
    yielding: &[(usize, Yields<'_>)],
) -> Vec<ReviewFinding<'e>> {
    if yielding.iter().all(|(_, y)| y.is_none()) {
        return findings;
    }
    let mut kept = Vec::with_capacity(findings.len());
    let mut rest = findings.as_slice();
    for sentence in yielding.chunk_by(|a, b| a.0 == b.0) {
        let (these, after) = rest.split_at_checked(sentence.len()).unwrap_or((rest, &[]));
        rest = after;
        // The rules found here by entries that do not yield.
        let firm: Vec<&str> = these
            .iter()
            .zip(sentence)
            .filter(|(_, (_, lists))| lists.is_none())
            .map(|(finding, _)| finding.rule)
            .collect();
        for (_, lists) in sentence {
            let gives_way = lists.as_ref().is_some_and(|lists| {
                lists
                    .iter()
                    .all(|list| list.iter().any(|rule| firm.contains(&rule.as_str())))
            });
            kept.push(!gives_way);
        }
    }
    let mut kept = kept.into_iter();
    let mut findings = findings;
    findings.retain(|_| kept.next().unwrap_or(true));
    findings
}
