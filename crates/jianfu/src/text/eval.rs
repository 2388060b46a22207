//! Measuring document review on labelled clauses (评测): precision and recall per rule.
//!
//! A labelled corpus is JSON Lines, one clause per line: `{"id", "doc", "text", "expect": [rule
//! ids]}` (other fields are kept for people and ignored here). A clause that imposes nothing
//! expects `[]`. The clauses of one notice (`doc`) are reviewed together, a line each, as a
//! drafter pastes the whole notice, so what a title or lead-in says reaches the items after it;
//! a clause with no `doc` is reviewed on its own. Each finding counts for the clause its
//! sentence is in: a rule the review reports and the label lists is a true positive, one it
//! reports and the label does not is a false positive, one the label lists and the review
//! misses is a false negative.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::engine::Engine;
use crate::error::{Error, Location};

/// One labelled clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelledClause {
    /// Stable id (`a-017-03`).
    pub id: String,
    /// The notice it comes from (`a-017`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The clause as written.
    pub text: String,
    /// The rules it breaks; empty for a compliant clause.
    pub expect: Vec<String>,
}

/// True positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Reported and expected.
    pub tp: u32,
    /// Reported, not expected.
    pub fp: u32,
    /// Expected, not reported.
    #[serde(rename = "fn")]
    pub fn_: u32,
}

impl Counts {
    /// `tp / (tp + fp)`; 1 when nothing was reported.
    pub fn precision(self) -> f64 {
        ratio(self.tp, u64::from(self.tp) + u64::from(self.fp))
    }

    /// `tp / (tp + fn)`; 1 when nothing was expected.
    pub fn recall(self) -> f64 {
        ratio(self.tp, u64::from(self.tp) + u64::from(self.fn_))
    }
}

fn ratio(a: u32, b: u64) -> f64 {
    match u32::try_from(b) {
        Ok(0) => 1.0,
        Ok(b) => f64::from(a) / f64::from(b),
        Err(_) => f64::from(a) / f64::from(u32::MAX), // beyond any corpus; stays finite
    }
}

/// A clause the review got wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Miss {
    /// The clause's id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// The labelled rules.
    pub expected: Vec<String>,
    /// The rules the review reported.
    pub got: Vec<String>,
}

/// The outcome of an evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EvalReport {
    /// Clauses read.
    pub clauses: u32,
    /// Clauses labelled as imposing.
    pub imposing: u32,
    /// Compliant clauses the review flagged.
    pub false_flags: u32,
    /// Counts over all rules.
    pub total: Counts,
    /// Counts over clauses, whatever the rule: an imposing clause flagged is a true positive, a
    /// compliant one flagged a false positive, an imposing one not flagged a false negative.
    /// Two people labelling the same clauses agree far more often on this than on rule ids.
    pub clauses_flagged: Counts,
    /// Imposing clauses where the review found at least one of the labelled rules.
    pub with_a_labelled_rule: u32,
    /// Counts per rule id.
    pub per_rule: BTreeMap<String, Counts>,
    /// Every clause whose reported rules differ from its label.
    pub misses: Vec<Miss>,
}

/// Reads a labelled corpus (JSON Lines); an unreadable line is an error naming its line.
pub fn read_labelled(text: &str, source: &str) -> crate::Result<Vec<LabelledClause>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let clause: LabelledClause = serde_json::from_str(line).map_err(|e| {
            Error::row(
                Location::source(source).line(n + 1, Some(e.column())),
                format!("labelled clause: {e}"),
            )
        })?;
        out.push(clause);
    }
    Ok(out)
}

impl Engine {
    /// Reviews each notice's clauses together (a clause with no notice on its own) as of
    /// `as_of` and counts each clause's agreement with its label.
    pub fn evaluate(&self, clauses: &[LabelledClause], as_of: NaiveDate) -> EvalReport {
        let mut report = EvalReport::default();
        let found = self.found_rules(clauses, as_of);
        for (clause, got) in clauses.iter().zip(found) {
            let mut expected = clause.expect.clone();
            expected.sort();
            expected.dedup();
            report.clauses = report.clauses.saturating_add(1);
            let flagged = &mut report.clauses_flagged;
            match (expected.is_empty(), got.is_empty()) {
                (false, false) => flagged.tp = flagged.tp.saturating_add(1),
                (false, true) => flagged.fn_ = flagged.fn_.saturating_add(1),
                (true, false) => flagged.fp = flagged.fp.saturating_add(1),
                (true, true) => {}
            }
            if !expected.is_empty() {
                report.imposing = report.imposing.saturating_add(1);
                if got.iter().any(|rule| expected.contains(rule)) {
                    report.with_a_labelled_rule = report.with_a_labelled_rule.saturating_add(1);
                }
            } else if !got.is_empty() {
                report.false_flags = report.false_flags.saturating_add(1);
            }
            for rule in &got {
                let counts = report.per_rule.entry(rule.clone()).or_default();
                if expected.contains(rule) {
                    counts.tp = counts.tp.saturating_add(1);
                    report.total.tp = report.total.tp.saturating_add(1);
                } else {
                    counts.fp = counts.fp.saturating_add(1);
                    report.total.fp = report.total.fp.saturating_add(1);
                }
            }
            for rule in expected.iter().filter(|r| !got.contains(r)) {
                let counts = report.per_rule.entry(rule.clone()).or_default();
                counts.fn_ = counts.fn_.saturating_add(1);
                report.total.fn_ = report.total.fn_.saturating_add(1);
            }
            if got != expected {
                report.misses.push(Miss {
                    id: clause.id.clone(),
                    text: clause.text.clone(),
                    expected,
                    got,
                });
            }
        }
        report
    }

    /// The rules found in each clause (sorted, once each), each notice reviewed as its clauses'
    /// lines in corpus order.
    fn found_rules(&self, clauses: &[LabelledClause], as_of: NaiveDate) -> Vec<Vec<String>> {
        // Notices in order of first appearance, each with its clauses' indices.
        let mut notices: Vec<Vec<usize>> = Vec::new();
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, clause) in clauses.iter().enumerate() {
            match clause.doc.as_deref() {
                Some(doc) => {
                    let at = *index.entry(doc).or_insert_with(|| {
                        notices.push(Vec::new());
                        notices.len() - 1
                    });
                    if let Some(members) = notices.get_mut(at) {
                        members.push(i);
                    }
                }
                None => notices.push(vec![i]),
            }
        }
        let mut found = vec![Vec::new(); clauses.len()];
        for members in notices {
            // The notice's text, a clause a line, with each clause's first character.
            let mut text = String::new();
            let mut starts = Vec::with_capacity(members.len());
            let mut chars = 0usize;
            for &i in &members {
                let line = clauses.get(i).map_or("", |c| c.text.as_str());
                starts.push(chars);
                text.push_str(line);
                text.push('\n');
                chars += line.chars().count() + 1;
            }
            for finding in self.review(&text, as_of).findings {
                let Some(clause) = finding.clause else {
                    continue; // about the whole notice, not one clause
                };
                // The last clause starting at or before the sentence's start holds it.
                let at = starts.partition_point(|&s| s <= clause.span[0]);
                if let Some(rules) = at
                    .checked_sub(1)
                    .and_then(|k| members.get(k))
                    .and_then(|&i| found.get_mut(i))
                {
                    rules.push(finding.rule.to_string());
                }
            }
        }
        for rules in &mut found {
            rules.sort();
            rules.dedup();
        }
        found
    }
}
