//! A clause's fact gate (事实门槛): facts of which at least one must be present, in the item's
//! text or its `requirements`, for the clause to hold. Most clauses name facts, and most items
//! have few, so a check skips most clauses with one mask test instead of walking their
//! conditions.

use crate::rules::Condition;
use crate::text::FactSet;

/// The facts of which one must be present for `condition` to hold; `None` when it can hold
/// without any (it tests something else, or a negation).
pub(crate) fn fact_gate(condition: &Condition) -> Option<FactSet> {
    match condition {
        Condition::Fact(fact) => {
            let mut set = FactSet::default();
            set.insert(*fact);
            Some(set)
        }
        // Every child must hold, so any child's gate is the whole condition's.
        Condition::All(children) => children.iter().find_map(fact_gate),
        // One child must hold: gated only when every child is, by their union.
        Condition::Any(children) => children
            .iter()
            .map(fact_gate)
            .try_fold(FactSet::default(), |all, gate| Some(all.union(gate?))),
        _ => None,
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "test harness")]
mod tests {
    use super::*;
    use crate::check::eval::{Ctx, Trace, eval};
    use crate::model::{Fact, IssuerKind, Item, Kind, Target};

    fn set(facts: &[Fact]) -> FactSet {
        let mut set = FactSet::default();
        for &f in facts {
            set.insert(f);
        }
        set
    }

    #[test]
    fn a_gate_is_what_the_condition_cannot_hold_without() {
        let fact = |f| Condition::Fact(f);
        let ranking = fact(Fact::Ranking);
        assert_eq!(fact_gate(&ranking), Some(set(&[Fact::Ranking])));
        let any = Condition::Any(vec![fact(Fact::InstallApp), fact(Fact::FollowAccount)]);
        assert_eq!(
            fact_gate(&any),
            Some(set(&[Fact::InstallApp, Fact::FollowAccount]))
        );
        // One child without a gate opens an `any`.
        let open = Condition::Any(vec![fact(Fact::InstallApp), Condition::Started(true)]);
        assert_eq!(fact_gate(&open), None);
        // An `all` is gated by any gated child.
        let all = Condition::All(vec![Condition::Started(true), any]);
        assert_eq!(
            fact_gate(&all),
            Some(set(&[Fact::InstallApp, Fact::FollowAccount]))
        );
        // A negation holds when its facts are absent.
        assert_eq!(fact_gate(&Condition::Not(Box::new(ranking))), None);
        assert!(fact_gate(&Condition::Started(true)).is_none());
        assert!(set(&[Fact::Ranking]).intersects(set(&[Fact::Ranking, Fact::InstallApp])));
        assert!(!set(&[Fact::Ranking]).intersects(set(&[Fact::InstallApp])));
    }

    /// The facts the soundness test draws from: the installs and the ranking, which
    /// `requirements` can also state, and one it cannot.
    const FACTS: [Fact; 4] = [
        Fact::InstallApp,
        Fact::FollowAccount,
        Fact::Ranking,
        Fact::CharityDonation,
    ];

    /// A condition over `FACTS`, the start and the label, nested. Every other variant is
    /// ungated; one that gets a gate must join the leaves here.
    fn condition() -> impl proptest::strategy::Strategy<Value = Condition> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            proptest::sample::select(FACTS.to_vec()).prop_map(Condition::Fact),
            any::<bool>().prop_map(Condition::Started),
            proptest::sample::select(crate::model::Kind::ALL.to_vec())
                .prop_map(|k| Condition::Label(vec![k])),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 1..4).prop_map(Condition::All),
                proptest::collection::vec(inner.clone(), 1..4).prop_map(Condition::Any),
                inner.prop_map(|c| Condition::Not(Box::new(c))),
            ]
        })
    }

    /// One engine for every case: building it is the slow part of a case.
    static ENGINE: std::sync::LazyLock<crate::Engine> =
        std::sync::LazyLock::new(|| crate::Engine::embedded().unwrap());

    /// The same engine with every gate open.
    static UNGATED: std::sync::LazyLock<crate::Engine> =
        std::sync::LazyLock::new(|| ENGINE.clone().ungated());

    const TYPICAL: &str = include_str!("../../examples/items/anti-fraud-campus-entry.json");

    /// Burden-dense sentences: the example drafts' lines.
    const DRAFTS: [&str; 2] = [
        include_str!("../../examples/drafts/draft-notice.txt"),
        include_str!("../../examples/drafts/county-notice.txt"),
    ];

    proptest::proptest! {
        /// Soundness: whenever a condition holds, its gate (if any) meets the facts present,
        /// so a check that skips gated clauses skips only clauses that would not fire.
        #[test]
        fn a_condition_that_holds_always_meets_its_gate(
            when in condition(),
            found in proptest::collection::vec(proptest::bool::ANY, 4),
            stated in proptest::collection::vec(proptest::bool::ANY, 2),
        ) {
            let engine = &*ENGINE;
            let mut item = Item::from_json(TYPICAL).unwrap();
            item.requirements.install_app = stated.first().copied().unwrap_or(false);
            item.requirements.ranking = stated.get(1).copied().unwrap_or(false);
            let mut facts = FactSet::default();
            for (fact, on) in FACTS.into_iter().zip(found) {
                if on {
                    facts.insert(fact);
                }
            }
            let as_of = crate::parse_date("2026-03-02").unwrap();
            let ctx = Ctx {
                facts,
                ..Ctx::bare(&item, as_of, engine.ruleset(), engine.calendar())
            };
            let held = eval(&when, &ctx, &mut Trace::quiet());
            let present = facts.union(item.requirements.stated());
            if held {
                proptest::prop_assert!(fact_gate(&when).is_none_or(|g| g.intersects(present)));
            }
        }
    }

    proptest::proptest! {
        /// A check with gates gives the verdict a check without them gives, byte for byte,
        /// whatever the item's text, kind, issuer, targets and stated facts.
        #[test]
        fn gates_never_change_a_verdict(
            line in 0usize..30,
            kind in proptest::sample::select(Kind::ALL.to_vec()),
            issuer in proptest::sample::select(IssuerKind::ALL.to_vec()),
            targets in proptest::sample::subsequence(
                vec![Target::Students, Target::Teachers, Target::Schools, Target::Parents],
                0..4,
            ),
            stated in proptest::collection::vec(proptest::bool::ANY, 3),
        ) {
            let lines: Vec<&str> = DRAFTS
                .iter()
                .flat_map(|d| d.lines())
                .filter(|l| !l.trim().is_empty())
                .collect();
            let mut item = Item::from_json(TYPICAL).unwrap();
            item.description = lines.get(line % lines.len()).unwrap().to_string();
            item.kind = kind;
            item.issuer.kind = issuer;
            item.targets = targets;
            item.requirements.install_app = stated.first().copied().unwrap_or(false);
            item.requirements.ranking = stated.get(1).copied().unwrap_or(false);
            item.requirements.photo_upload = stated.get(2).copied().unwrap_or(false);
            let as_of = crate::parse_date("2026-03-02").unwrap();
            proptest::prop_assert_eq!(
                ENGINE.check(&item, as_of).to_json(),
                UNGATED.check(&item, as_of).to_json()
            );
        }
    }
}
