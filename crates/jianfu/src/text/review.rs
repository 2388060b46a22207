//! Document review (发文审核): the clauses of a draft that push burden onto schools.
//!
//! A clause is flagged when it imposes a fact the lexicon knows (下载APP, 一票否决, 责任状 …)
//! outside prohibitive context: "不得要求教师下载APP" reduces burden and is not flagged.

use chrono::NaiveDate;
use serde::Serialize;

use super::lexicon::{Hit, Sentence};
use crate::engine::Engine;
use crate::model::{Citation, Decision, Evidence, RulesetInfo, Text};

/// The review of one draft.
#[derive(Debug, Clone, Serialize)]
pub struct Review<'e> {
    /// The draft's length in characters.
    pub chars: usize,
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
pub struct ReviewFinding<'e> {
    /// The rule's id.
    pub rule: &'e str,
    /// What the rule decides.
    pub decision: Decision,
    /// Why.
    pub message: &'e Text,
    /// Source.
    pub citation: &'e Citation,
    /// The clause (sentence) with its character span.
    pub clause: Clause,
    /// The words that triggered it, spans counted in characters of the whole text.
    pub evidence: Vec<Evidence>,
    /// What to change.
    pub remedy: &'e Text,
}

/// A sentence of the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clause {
    /// Character span in the whole text.
    pub span: [usize; 2],
    /// The sentence's text.
    pub text: String,
}

impl Engine {
    /// Reviews a draft document as of a date.
    pub fn review(&self, text: &str, as_of: NaiveDate) -> Review<'_> {
        let ruleset = self.ruleset();
        let mut hits: Vec<Hit> = Vec::new();
        let mut sentences: Vec<Sentence> = Vec::new();
        {
            let mut on_sentence = |s: Sentence| sentences.push(s);
            self.lexicon().scan(
                text,
                |hit| {
                    if !hit.negated {
                        hits.push(hit);
                    }
                },
                Some(&mut on_sentence),
            );
        }
        let chars = text.chars().count();
        // The rule each lexicon group reports, in force on `as_of` (looked up once per review).
        let group_rules: Vec<Option<&crate::rules::Rule>> = ruleset
            .lexicon()
            .iter()
            .map(|group| {
                let id = group.review_rule.as_deref()?;
                ruleset
                    .rules()
                    .iter()
                    .find(|r| r.id == id && r.effective.contains(as_of))
            })
            .collect();
        let mut findings: Vec<ReviewFinding<'_>> = Vec::new();
        // Findings of the sentence being read start here; hits arrive in text order.
        let mut sentence_first = 0usize;
        let mut current_sentence = usize::MAX;
        for hit in hits {
            let Some(Some(rule)) = group_rules.get(hit.group) else {
                continue;
            };
            let Some(sentence) = sentences.get(hit.sentence) else {
                continue;
            };
            if hit.sentence != current_sentence {
                current_sentence = hit.sentence;
                sentence_first = findings.len();
            }
            let evidence = Evidence {
                field: "text".into(),
                text: text.get(hit.bytes[0]..hit.bytes[1]).map(str::to_string),
                span: Some(hit.span),
            };
            // One finding per (sentence, rule): more words in the same clause add evidence.
            if let Some(existing) = findings
                .get_mut(sentence_first..)
                .and_then(|tail| tail.iter_mut().find(|f| f.rule == rule.id))
            {
                existing.evidence.push(evidence);
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
                clause: Clause {
                    span: sentence.span,
                    text: text
                        .get(sentence.bytes[0]..sentence.bytes[1])
                        .unwrap_or_default()
                        .to_string(),
                },
                evidence: vec![evidence],
                remedy: &clause.remedy,
            });
        }
        let decision = findings
            .iter()
            .map(|f| f.decision)
            .max()
            .unwrap_or(Decision::Allowed);
        Review {
            chars,
            decision,
            findings,
            as_of,
            ruleset: ruleset.info(),
        }
    }
}
