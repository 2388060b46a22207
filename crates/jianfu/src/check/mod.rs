//! Checking items (核查): the engine's rules applied to one item, or to many.

pub(crate) mod eval;
mod plan;
mod register;

pub use plan::PlanReport;

use chrono::{Datelike, NaiveDate};

use crate::engine::Engine;
use crate::model::{Decision, Finding, Item, Kind, Register, Verdict};
use crate::process;
use crate::text::{FactSet, Hit, ScanCtx};
use eval::{Ctx, Trace};

/// The kinds an item is, in substance: its label, the kinds its blocks describe and the kinds
/// its facts imply (the ruleset's `substance` table).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct KindSet(u16);

impl KindSet {
    /// Adds a kind.
    pub(crate) fn insert(&mut self, kind: Kind) {
        self.0 |= 1 << kind.index();
    }

    /// Whether the set holds a kind.
    pub(crate) fn contains(self, kind: Kind) -> bool {
        self.0 & (1 << kind.index()) != 0
    }

    /// The kinds, in declaration order.
    pub(crate) fn iter(self) -> impl Iterator<Item = Kind> {
        Kind::ALL.into_iter().filter(move |k| self.contains(*k))
    }
}

impl Engine {
    /// What `item` is in substance (see [`KindSet`]).
    pub(crate) fn kinds_of(&self, item: &Item, facts: FactSet, as_of: NaiveDate) -> KindSet {
        let mut kinds = KindSet::default();
        kinds.insert(item.kind);
        for (present, kind) in [
            (item.campus_entry.is_some(), Kind::CampusEntry),
            (item.inspection.is_some(), Kind::Inspection),
            (item.data_request.is_some(), Kind::DataRequest),
            (item.secondment.is_some(), Kind::Secondment),
            (item.duty.is_some(), Kind::Duty),
        ] {
            if present {
                kinds.insert(kind);
            }
        }
        let label = kinds;
        for substance in self.ruleset().substance() {
            let stated = substance
                .facts
                .iter()
                .any(|&f| facts.contains(f) || item.requirements.states(f));
            let holds = || {
                substance.when.as_ref().is_none_or(|when| {
                    let ctx = Ctx {
                        item,
                        kinds: label,
                        as_of,
                        ruleset: self.ruleset(),
                        calendar: self.calendar(),
                        facts,
                        hits: &[],
                        chain: None,
                        register: None,
                    };
                    eval::eval(when, &ctx, &mut Trace::default())
                })
            };
            if stated && holds() {
                kinds.insert(substance.kind);
            }
        }
        kinds
    }

    /// Indexes of the item-scope rules that apply to any of `kinds`, in ruleset order.
    fn rules_for_kinds(&self, kinds: KindSet) -> std::borrow::Cow<'_, [usize]> {
        let mut iter = kinds.iter();
        match (iter.next(), iter.next()) {
            (Some(only), None) => std::borrow::Cow::Borrowed(self.rules_for(only)),
            _ => {
                let mut all: Vec<usize> = kinds
                    .iter()
                    .flat_map(|k| self.rules_for(k).iter().copied())
                    .collect();
                all.sort_unstable();
                all.dedup();
                std::borrow::Cow::Owned(all)
            }
        }
    }

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
        let scan = ScanCtx {
            calendar: self.calendar(),
            year: item.start.unwrap_or(as_of).year(),
        };
        for (field, text) in [
            ("title", item.title.as_str()),
            ("description", item.description.as_str()),
        ] {
            if text.is_empty() {
                continue;
            }
            self.lexicon().scan(
                text,
                scan,
                |hit| {
                    facts.insert(hit.fact);
                    hits.push((field, hit));
                },
                None,
            );
        }
        let kinds = self.kinds_of(item, facts, as_of);
        let chain = ruleset
            .process(Kind::CampusEntry)
            .filter(|_| kinds.contains(Kind::CampusEntry))
            .map(|p| process::chain::walk(&p.steps, &item.approvals));
        let ctx = Ctx {
            item,
            kinds,
            as_of,
            ruleset,
            calendar: self.calendar(),
            facts,
            hits: &hits,
            chain: chain.as_ref(),
            register,
        };

        let candidates = self.rules_for_kinds(kinds);
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
            next_step: process::next_step(ruleset, item, kinds, as_of, register, chain.as_ref()),
            as_of,
            ruleset: ruleset.info(),
        }
    }
}
