//! Checking items (核查): the engine's rules applied to one item, or to many.

pub(crate) mod eval;
pub(crate) mod gate;
mod index;
mod plan;
pub(crate) mod register;

pub use plan::PlanReport;

use chrono::{Datelike, NaiveDate};

use crate::engine::Engine;
use crate::model::{Decision, Finding, Item, Kind, Register, RuleVersion, Verdict};
use crate::process;
use crate::rules::{Governs, Rule};
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
        // The facts found in the text or stated in `requirements`, gathered once.
        let known = facts.union(item.requirements.stated());
        for substance in self.ruleset().substance() {
            let stated = substance.facts.iter().any(|&f| known.contains(f));
            let holds = || {
                substance.when.as_ref().is_none_or(|when| {
                    let ctx = Ctx {
                        kinds: label,
                        on: activity_span(item, as_of).0,
                        facts,
                        ..Ctx::bare(item, as_of, self.ruleset(), self.calendar())
                    };
                    eval::eval(when, &ctx, &mut Trace::quiet())
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
    ///
    /// ```
    /// use jianfu::{Decision, Engine, Item, parse_date};
    ///
    /// let engine = Engine::embedded()?; // national → Henan → Sanmenxia
    /// let item = Item::from_json(include_str!("../../examples/items/anti-fraud-campus-entry.json"))?;
    /// let verdict = engine.check(&item, parse_date("2026-03-02")?);
    /// assert_eq!(verdict.decision, Decision::NeedsApproval);
    /// assert_eq!(verdict.findings[0].rule, "SMX2022-5"); // 进校园 needs the approval chain
    /// # Ok::<(), jianfu::Error>(())
    /// ```
    pub fn check(&self, item: &Item, as_of: NaiveDate) -> Verdict<'_> {
        self.check_in(item, as_of, None, None)
    }

    /// Checks one item as of a date against the period's register (cross-item rules).
    ///
    /// ```
    /// use jianfu::{Decision, Engine, Item, Register, parse_date};
    ///
    /// let engine = Engine::embedded()?;
    /// let item = Item::from_json(include_str!("../../examples/items/app-download-drive.json"))?;
    /// let register = Register::from_json(include_str!("../../examples/registers/spring-2026.json"))?;
    /// let verdict = engine.check_with(&item, parse_date("2026-03-02")?, &register);
    /// assert_eq!(verdict.decision, Decision::Prohibited);
    /// assert!(verdict.findings.iter().any(|f| f.rule == "NAT2019-3.6"));
    /// # Ok::<(), jianfu::Error>(())
    /// ```
    pub fn check_with(&self, item: &Item, as_of: NaiveDate, register: &Register) -> Verdict<'_> {
        self.check_in(item, as_of, Some(register), None)
    }

    /// Checks many items with one register, on the engine's threads ([`Engine::with_threads`]);
    /// results are in input order, the same as one by one.
    ///
    /// ```
    /// use jianfu::{Engine, Item, parse_date};
    ///
    /// let engine = Engine::embedded()?;
    /// let items = include_str!("../../examples/items/batch.jsonl")
    ///     .lines()
    ///     .map(Item::from_json)
    ///     .collect::<jianfu::Result<Vec<_>>>()?;
    /// let as_of = parse_date("2026-03-02")?;
    /// let verdicts = engine.check_many(&items, as_of, None);
    /// assert_eq!(verdicts.len(), items.len());
    /// assert_eq!(verdicts[1].decision, engine.check(&items[1], as_of).decision);
    /// # Ok::<(), jianfu::Error>(())
    /// ```
    pub fn check_many(
        &self,
        items: &[Item],
        as_of: NaiveDate,
        register: Option<&Register>,
    ) -> Vec<Verdict<'_>> {
        // The register grouped once for the batch: each count is then a lookup.
        let index = register
            .filter(|_| items.len() > 1)
            .map(|r| index::RegisterIndex::new(r, self.calendar(), self.ruleset()));
        // On the engine's threads; verdicts come back in input order.
        self.threads().map(items, |item| {
            self.check_in(item, as_of, register, index.as_ref())
        })
    }

    fn check_in(
        &self,
        item: &Item,
        as_of: NaiveDate,
        register: Option<&Register>,
        index: Option<&index::RegisterIndex<'_>>,
    ) -> Verdict<'_> {
        let ruleset = self.ruleset();
        let mut hits: Vec<(&'static str, Hit)> = Vec::new();
        let mut facts = FactSet::default();
        let scan = ScanCtx {
            calendar: self.calendar(),
            year: item.start.unwrap_or(as_of).year(),
            titles: false,
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
            .map(|p| process::chain::walk(&p.steps, &p.actors, &item.approvals, as_of));
        let ctx = Ctx {
            item,
            kinds,
            as_of,
            on: as_of,
            ruleset,
            calendar: self.calendar(),
            facts,
            hits: &hits,
            chain: chain.as_ref(),
            register,
            index,
            text_chars: None,
        };
        let plans = ctx.plans();

        let candidates = self.rules_for_kinds(kinds);
        // The facts present, in the text or stated: a clause (or a whole rule) whose gate
        // names none of them cannot hold, and is passed over without evaluating it.
        let present = facts.union(item.requirements.stated());
        let open = |gate: Option<crate::text::FactSet>| gate.is_none_or(|g| g.intersects(present));
        // Each rule is read as of the item's day it governs; rules not in force then are
        // skipped, and so are rules replaced by an inner layer's rule in force on its own day.
        let in_force = || {
            candidates
                .iter()
                .filter(|&&i| open(self.rule_gate(i)))
                .filter_map(|&i| ruleset.rules.get(i).map(|r| (i, r)))
                .filter_map(|(i, r)| governed_on(r, item, as_of, plans).map(|on| (i, r, on)))
        };
        // Few rules override another: look for the candidates among those that do (no
        // allocation when none does). Candidates are in ruleset order.
        let overridden: Vec<&str> = self
            .overriders()
            .iter()
            .filter(|i| candidates.binary_search(i).is_ok())
            .filter_map(|&i| ruleset.rules.get(i))
            .filter(|r| governed_on(r, item, as_of, plans).is_some())
            .filter_map(|r| r.overrides.as_deref())
            .collect();

        let mut findings = Vec::new();
        let mut missing = Vec::new();
        let mut trace = Trace::default();
        // Clauses are decided first without evidence; a clause that fires is read again to
        // record it (evaluation is pure, so the second reading holds too).
        let mut quiet = Trace::quiet();
        let mut ctx = ctx;
        for (at, rule, on) in in_force() {
            if overridden.contains(&rule.id.as_str()) {
                continue;
            }
            ctx.on = on;
            // The rule's clause gates, looked up once for all its clauses.
            let gates = self.gates(at);
            let shut = |clause: usize| !open(gates.get(clause).copied().flatten());
            // A rule gives one finding: its most severe firing deciding clause, or else its
            // first firing advisory one. Among equally severe deciding clauses the later,
            // more specific one speaks, with the evidence of them all.
            let mut best: Option<(usize, Trace)> = None;
            for (index, clause) in rule.clauses.iter().enumerate() {
                if clause.advisory || shut(index) || !eval::eval(&clause.when, &ctx, &mut quiet) {
                    continue;
                }
                trace.clear();
                if eval::eval(&clause.when, &ctx, &mut trace) {
                    let current = best
                        .as_ref()
                        .and_then(|(b, _)| rule.clauses.get(*b))
                        .map(|b| b.decision);
                    match current {
                        Some(d) if clause.decision < d => {}
                        Some(d) if clause.decision == d => {
                            if let Some((b, kept)) = best.as_mut() {
                                *b = index;
                                kept.absorb(std::mem::take(&mut trace));
                            }
                        }
                        _ => best = Some((index, std::mem::take(&mut trace))),
                    }
                }
            }
            if best.is_none() {
                for (index, clause) in rule.clauses.iter().enumerate() {
                    if !clause.advisory
                        || shut(index)
                        || !eval::eval(&clause.when, &ctx, &mut quiet)
                    {
                        continue;
                    }
                    trace.clear();
                    if eval::eval(&clause.when, &ctx, &mut trace) {
                        best = Some((index, std::mem::take(&mut trace)));
                        break;
                    }
                }
            }
            let Some((index, fired)) = best else { continue };
            let Some(clause) = rule.clauses.get(index) else {
                continue;
            };
            for field in fired.missing.iter().filter(|_| !clause.advisory) {
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
                version: RuleVersion {
                    from: rule.effective.from,
                    to: rule.effective.to,
                    on,
                    governs: rule.governs,
                },
                advisory: clause.advisory,
            });
        }
        missing.sort();
        let decision = findings
            .iter()
            .filter(|f| !f.advisory)
            .map(|f| f.decision)
            .max()
            .unwrap_or(Decision::Allowed);
        Verdict {
            format_version: crate::FORMAT_VERSION,
            item: item.id.clone(),
            decision,
            findings,
            missing,
            next_step: process::next_step(
                ruleset,
                item,
                kinds,
                activity_span(item, as_of).0,
                as_of,
                plans,
                chain.as_ref(),
            ),
            as_of,
            ruleset: ruleset.info(),
        }
    }
}

/// The item's activity days `[first, last]`: from `start` (or `end`) to `end` (or `start`);
/// `as_of` for an item that gives neither.
pub(crate) fn activity_span(item: &Item, as_of: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = item.start.or(item.end).unwrap_or(as_of);
    let last = item.end.unwrap_or(first).max(first);
    (first, last)
}

/// The day of `item` that `rule` is read on, when this version of the rule governs it: the
/// first activity day it is in force on, or the notice, filing or review day it names.
/// `None`: this version does not govern the item.
pub(crate) fn governed_on(
    rule: &Rule,
    item: &Item,
    as_of: NaiveDate,
    plans: process::plan::Plans<'_>,
) -> Option<NaiveDate> {
    let day = match rule.governs {
        Governs::Review => Some(as_of),
        Governs::Notice => item.inspection.as_ref().and_then(|i| i.notice_on),
        Governs::Filing => process::plan::filing(item, plans).and_then(|f| f.filed_on),
        Governs::Activity => None,
    };
    match day {
        Some(day) => rule.effective.contains(day).then_some(day),
        None => {
            let (first, last) = activity_span(item, as_of);
            rule.effective.first_day_within(first, last)
        }
    }
}
