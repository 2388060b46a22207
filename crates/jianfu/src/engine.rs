//! The prepared engine (引擎): a validated ruleset with its lexicon trie built and its
//! rules indexed by kind, so checking an item allocates little.

use std::sync::Arc;

use chrono::NaiveDate;

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
    /// The item-scope rules that override another (few): a check looks among these rather
    /// than asking every candidate rule.
    overriders: Vec<usize>,
    /// Each rule's clauses' fact gates (`check::gate`), by rule and clause.
    gates: Vec<Vec<Option<crate::text::FactSet>>>,
    /// Each rule's gate: the union of its clauses' when every clause is gated.
    rule_gates: Vec<Option<crate::text::FactSet>>,
    /// For each lexicon entry, the rules it reports in review, as (the place of the rule id
    /// in the entry's list, the index in `rules()` of a rule of that id), every version of
    /// each id: found once here, not by id on every review (which cost a short draft several
    /// times its reading).
    review_rules: Vec<Vec<(usize, usize)>>,
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
        let overriders = ruleset
            .rules()
            .iter()
            .enumerate()
            .filter(|(_, r)| r.scope == Scope::Item && r.overrides.is_some())
            .map(|(i, _)| i)
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
        let review_rules = ruleset
            .lexicon()
            .iter()
            .map(|group| {
                let ids = group.review_rules.iter().enumerate();
                ids.flat_map(|(place, id)| {
                    let rules = ruleset.rules().iter().enumerate();
                    rules
                        .filter(|(_, r)| r.id == *id)
                        .map(move |(i, _)| (place, i))
                })
                .collect()
            })
            .collect();
        Ok(Self {
            compiled: Arc::new(Compiled {
                ruleset,
                lexicon,
                calendar: Calendar::embedded()?,
                by_kind,
                overriders,
                gates,
                rule_gates,
                review_rules,
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

    /// The fact gates of rule `rule`'s clauses, in order (`None`: ungated).
    pub(crate) fn gates(&self, rule: usize) -> &[Option<crate::text::FactSet>] {
        self.compiled.gates.get(rule).map_or(&[], Vec::as_slice)
    }

    /// The rules lexicon entry `group` reports in review on `as_of`: for each rule id it
    /// lists, the first rule of that id in force that day.
    pub(crate) fn review_rules(
        &self,
        group: usize,
        as_of: NaiveDate,
    ) -> impl Iterator<Item = &crate::rules::Rule> {
        let rules = self.compiled.ruleset.rules();
        let listed = self.compiled.review_rules.get(group).into_iter().flatten();
        // One place's pairs lie together, in ruleset order: once one is in force, the rest of
        // that place is passed by.
        let mut found = usize::MAX;
        listed.filter_map(move |&(place, i)| {
            let rule = rules.get(i).filter(|r| r.effective.contains(as_of));
            if place == found || rule.is_none() {
                return None;
            }
            found = place;
            rule
        })
    }

    /// Indexes of the item-scope rules that override another, in ruleset order.
    pub(crate) fn overriders(&self) -> &[usize] {
        &self.compiled.overriders
    }

    /// Indexes of the item-scope rules that apply to `kind`, in ruleset order.
    pub(crate) fn rules_for(&self, kind: Kind) -> &[usize] {
        self.compiled
            .by_kind
            .get(kind.index())
            .map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "test harness")]
mod tests {
    use super::*;

    /// Where `rule` lies in the engine's ruleset: which version of an id was picked.
    fn place(engine: &Engine, rule: &crate::rules::Rule) -> usize {
        let rules = engine.ruleset().rules();
        rules.iter().position(|r| std::ptr::eq(r, rule)).unwrap()
    }

    /// Asserts that the rules each entry reports, found when the engine was built, are those
    /// found by id on the day (for each listed id, the first rule of that id in force), on
    /// every day a rule starts or ends and the days either side.
    fn assert_found_by_id(engine: &Engine, name: &str) {
        let rules = engine.ruleset().rules();
        let mut days: Vec<NaiveDate> = rules
            .iter()
            .flat_map(|r| [Some(r.effective.from), r.effective.to])
            .flatten()
            .flat_map(|d| [d.pred_opt(), Some(d), d.succ_opt()])
            .flatten()
            .collect();
        days.sort();
        days.dedup();
        for (group, entry) in engine.ruleset().lexicon().iter().enumerate() {
            for &day in &days {
                let by_id: Vec<usize> = entry
                    .review_rules
                    .iter()
                    .filter_map(|id| {
                        rules
                            .iter()
                            .find(|r| r.id == *id && r.effective.contains(day))
                    })
                    .map(|r| place(engine, r))
                    .collect();
                let found: Vec<usize> = engine
                    .review_rules(group, day)
                    .map(|r| place(engine, r))
                    .collect();
                assert_eq!(found, by_id, "{name}: entry {group} on {day}");
            }
        }
    }

    #[test]
    fn review_rules_are_the_rules_of_each_listed_id_in_force() {
        for jurisdiction in crate::rules::JURISDICTIONS {
            let engine = Engine::for_jurisdiction(jurisdiction.id).unwrap();
            assert_found_by_id(&engine, jurisdiction.id);
        }
    }

    /// The embedded rulesets have one rule per id; here an id has two versions with a gap
    /// between them (the later one first in the file), and an entry lists it twice.
    #[test]
    fn review_rules_pick_the_version_in_force_for_each_listed_id() {
        let rule = |from: &str, to: &str| {
            format!(
                "[[rules]]\nid = \"T-1\"\ntitle = {{ zh = \"测试\", en = \"Test\" }}\n\
                 citation = {{ document = \"D1\", article = \"一\" }}\n\
                 effective = {{ from = \"{from}\"{to} }}\nkinds = [\"campus_entry\"]\n\
                 when = {{ fact = \"install_app\" }}\ndecision = \"prohibited\"\n\
                 message = {{ zh = \"禁止\", en = \"No\" }}\nremedy = {{ zh = \"改\", en = \"Fix\" }}\n"
            )
        };
        let text = [
            "[layer]\nid = \"test\"\nname = { zh = \"测试\", en = \"Test\" }\nversion = \"1\"\n",
            "[[documents]]\nid = \"D1\"\ntitle = \"测试文件\"\nissuer = \"测试单位\"\n",
            &rule("2025-06-01", ""),
            &rule("2024-01-01", ", to = \"2025-01-01\""),
            "[[lexicon]]\nfact = \"install_app\"\nname = \"app\"\nwords = [\"下载\"]\n\
             review_rule = [\"T-1\", \"T-1\"]\n",
        ]
        .concat();
        let engine = Engine::new(Ruleset::from_sources(&[("test.toml", text)]).unwrap()).unwrap();
        assert_found_by_id(&engine, "test.toml");
        let on = |day: &str| -> Vec<usize> {
            let day = crate::parse_date(day).unwrap();
            engine
                .review_rules(0, day)
                .map(|r| place(&engine, r))
                .collect()
        };
        assert_eq!(on("2023-12-31"), Vec::<usize>::new());
        assert_eq!(on("2024-06-01"), [1, 1]);
        assert_eq!(on("2025-03-01"), Vec::<usize>::new());
        assert_eq!(on("2025-06-01"), [0, 0]);
    }
}
