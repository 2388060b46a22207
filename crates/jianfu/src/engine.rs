//! The prepared engine (引擎): a validated ruleset with its lexicon trie built and its
//! rules indexed by kind, so checking an item allocates little.

use std::sync::Arc;

use crate::calendar::Calendar;
use crate::model::Kind;
use crate::parallel::Threads;
use crate::rules::{Ruleset, Scope};
use crate::text::Lexicon;

/// A ruleset compiled for checking and review. Build once, use from many threads; a clone
/// shares the compiled ruleset (cloning is cheap, e.g. to set other threads).
#[derive(Debug, Clone)]
pub struct Engine {
    compiled: Arc<Compiled>,
    threads: Threads,
}

/// What an engine compiles once.
#[derive(Debug, Clone)]
struct Compiled {
    ruleset: Ruleset,
    lexicon: Lexicon,
    calendar: Calendar,
    by_kind: Vec<Vec<usize>>,
    /// Each rule's clauses' fact gates (`check::gate`), by rule and clause.
    gates: Vec<Vec<Option<crate::text::FactSet>>>,
    /// Each rule's gate: the union of its clauses' when every clause is gated.
    rule_gates: Vec<Option<crate::text::FactSet>>,
}

impl Engine {
    /// Compiles a ruleset.
    pub fn new(ruleset: Ruleset) -> crate::Result<Self> {
        let lexicon = Lexicon::new(&ruleset)?;
        let by_kind = Kind::ALL
            .iter()
            .map(|&kind| {
                ruleset
                    .rules()
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.scope == Scope::Item && r.applies_to(kind))
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        let gates = ruleset
            .rules()
            .iter()
            .map(|r| {
                r.clauses
                    .iter()
                    .map(|c| crate::check::gate::fact_gate(&c.when))
                    .collect()
            })
            .collect::<Vec<Vec<_>>>();
        let rule_gates = gates
            .iter()
            .map(|clauses| {
                clauses
                    .iter()
                    .try_fold(crate::text::FactSet::default(), |all, gate| {
                        Some(all.union((*gate)?))
                    })
            })
            .collect();
        Ok(Self {
            compiled: Arc::new(Compiled {
                ruleset,
                lexicon,
                calendar: Calendar::embedded()?,
                by_kind,
                gates,
                rule_gates,
            }),
            threads: Threads::ALL,
        })
    }

    /// The engine over the embedded default ruleset (national → Henan → Sanmenxia).
    pub fn embedded() -> crate::Result<Self> {
        Self::new(Ruleset::embedded()?)
    }

    /// The engine over an embedded jurisdiction's layers (`mianchi`: national → Henan →
    /// Sanmenxia → 渑池县); see [`crate::rules::JURISDICTIONS`].
    pub fn for_jurisdiction(id: &str) -> crate::Result<Self> {
        Self::new(Ruleset::jurisdiction(id)?)
    }

    /// The same engine with another school calendar.
    #[must_use]
    pub fn with_calendar(mut self, calendar: Calendar) -> Self {
        Arc::make_mut(&mut self.compiled).calendar = calendar;
        self
    }

    /// The same engine with a thread setting for batch calls ([`Engine::check_many`],
    /// [`Engine::score`], [`Engine::partial`], monitoring); every core unless set.
    #[must_use]
    pub fn with_threads(mut self, threads: Threads) -> Self {
        self.threads = threads;
        self
    }

    /// The thread setting for batch calls.
    pub fn threads(&self) -> Threads {
        self.threads
    }

    /// The school calendar (the embedded Henan calendar unless replaced).
    pub fn calendar(&self) -> &Calendar {
        &self.compiled.calendar
    }

    /// The ruleset.
    pub fn ruleset(&self) -> &Ruleset {
        &self.compiled.ruleset
    }

    /// The lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.compiled.lexicon
    }

    /// The same engine with every gate open: what checks gave before gates, for tests.
    #[cfg(test)]
    pub(crate) fn ungated(mut self) -> Self {
        let compiled = Arc::make_mut(&mut self.compiled);
        for gate in compiled.gates.iter_mut().flatten() {
            *gate = None;
        }
        for gate in &mut compiled.rule_gates {
            *gate = None;
        }
        self
    }

    /// The fact gate of rule `rule`: no clause of it can hold without one of these facts
    /// (`None`: ungated).
    pub(crate) fn rule_gate(&self, rule: usize) -> Option<crate::text::FactSet> {
        self.compiled.rule_gates.get(rule).copied().flatten()
    }

    /// The fact gate of clause `clause` of rule `rule` (`None`: ungated).
    pub(crate) fn gate(&self, rule: usize, clause: usize) -> Option<crate::text::FactSet> {
        self.compiled
            .gates
            .get(rule)
            .and_then(|g| g.get(clause))
            .copied()
            .flatten()
    }

    /// Indexes of the item-scope rules that apply to `kind`, in ruleset order.
    pub(crate) fn rules_for(&self, kind: Kind) -> &[usize] {
        self.compiled
            .by_kind
            .get(kind.index())
            .map_or(&[], Vec::as_slice)
    }
}
