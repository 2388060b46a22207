//! Checking items (核查): the engine's rules applied to one item, or to many.

pub(crate) mod eval;
mod plan;
mod register;

pub use plan::PlanReport;

use chrono::NaiveDate;

use crate::engine::Engine;
use crate::model::{Decision, Finding, Item, Kind, Register, Verdict};
use crate::process;
use crate::text::{FactSet, Hit};
use eval::{Ctx, Trace};

impl Engine {
    /// Checks one item as of a date, without a register.
    pub fn check(&self, item: &Item, as_of: NaiveDate) -> Verdict<'_> {
        self.check_in(item, as_of, None)
    }

    /// Checks one item as of a date against the period's register (cross-item rules).
    pub fn check_with(&self, item: &Item, as_of: NaiveDate, register: &Register) -> Verdict<'_> {
        self.check_in(item, as_of, Some(register))
    }

    /// Checks many items with one register; results are in input order.
    pub fn check_many(
        &self,
        items: &[Item],
        as_of: NaiveDate,
        register: Option<&Register>,
    ) -> Vec<Verdict<'_>> {
        items
            .iter()
            .map(|item| self.check_in(item, as_of, register))
            .collect()
    }

    fn check_in(&self, item: &Item, as_of: NaiveDate, register: Option<&Register>) -> Verdict<'_> {
        let ruleset = self.ruleset();
        let mut hits: Vec<(&'static str, Hit)> = Vec::new();
        let mut facts = FactSet::default();
        for (field, text) in [
            ("title", item.title.as_str()),
            ("description", item.description.as_str()),
        ] {
            if text.is_empty() {
                continue;
            }
            self.lexicon().scan(
                text,
                |hit| {
                    if !hit.negated {
                        facts.insert(hit.fact);
                    }
                    hits.push((field, hit));
                },
                None,
            );
        }
        let chain = ruleset
            .process(item.kind)
            .filter(|_| matches!(item.kind, Kind::CampusEntry))
            .map(|p| process::chain::walk(&p.steps, &item.approvals));
        let ctx = Ctx {
            item,
            as_of,
            ruleset,
            calendar: self.calendar(),
            facts,
            hits: &hits,
            chain: chain.as_ref(),
            register,
        };

        let candidates = self.rules_for(item.kind);
        // Rules replaced by an inner layer's rule in force on `as_of` are skipped.
        let overridden: Vec<&str> = candidates
            .iter()
            .filter_map(|&i| ruleset.rules.get(i))
            .filter(|r| r.effective.contains(as_of))
            .filter_map(|r| r.overrides.as_deref())
            .collect();

        let mut findings = Vec::new();
        let mut missing = Vec::new();
        let mut trace = Trace::default();
        for rule in candidates.iter().filter_map(|&i| ruleset.rules.get(i)) {
            if !rule.effective.contains(as_of) || overridden.contains(&rule.id.as_str()) {
                continue;
            }
            // A rule gives one finding: its most severe firing clause.
            let mut best: Option<(usize, Trace)> = None;
            for (index, clause) in rule.clauses.iter().enumerate() {
                trace.clear();
                if eval::eval(&clause.when, &ctx, &mut trace) {
                    let better = best
                        .as_ref()
                        .and_then(|(b, _)| rule.clauses.get(*b))
                        .is_none_or(|b| clause.decision > b.decision);
                    if better {
                        best = Some((index, std::mem::take(&mut trace)));
                    }
                }
            }
            let Some((index, fired)) = best else { continue };
            let Some(clause) = rule.clauses.get(index) else {
                continue;
            };
            for field in &fired.missing {
                if !missing.contains(field) {
                    missing.push(*field);
                }
            }
            findings.push(Finding {
                rule: &rule.id,
                decision: clause.decision,
                message: &clause.message,
                citation: &rule.citation,
                evidence: fired.evidence,
                remedy: &clause.remedy,
                related: fired.related,
            });
        }
        missing.sort();
        let decision = findings
            .iter()
            .map(|f| f.decision)
            .max()
            .unwrap_or(Decision::Allowed);
        Verdict {
            item: item.id.clone(),
            decision,
            findings,
            missing,
            next_step: process::next_step(ruleset, item, as_of, register, chain.as_ref()),
            as_of,
            ruleset: ruleset.info(),
        }
    }
}
