//! Whether a condition can hold for some item at all (可满足性), for the linter: an overriding
//! rule whose condition never holds silently switches the overridden rule off.
//!
//! Conservative: a condition is reported as impossible only when every way of meeting it
//! contradicts itself — a predicate together with its negation, two different `kind` labels,
//! issuer kinds or levels at once (an item has one of each), or an empty `any`. Conditions
//! whose expansion grows past [`TERMS_MAX`] are assumed possible.

use super::Condition;

/// The most conjunctions one condition is expanded into before giving up (and assuming it
/// can hold); real rules have a handful.
const TERMS_MAX: usize = 4096;

/// One way of meeting a condition: predicates that must hold (`true`) or fail (`false`).
type Term<'a> = Vec<(&'a Condition, bool)>;

/// Whether some item could meet `condition`.
pub(super) fn can_hold(condition: &Condition) -> bool {
    terms(condition, true).is_none_or(|terms| terms.iter().any(|t| consistent(t)))
}

/// The condition (or its negation) as a disjunction of conjunctions; `None` past the limit.
fn terms(condition: &Condition, positive: bool) -> Option<Vec<Term<'_>>> {
    match (condition, positive) {
        (Condition::Not(child), _) => terms(child, !positive),
        // `all` holding, or `any` failing: every child's way must be met together.
        (Condition::All(children), true) | (Condition::Any(children), false) => {
            let mut acc: Vec<Term<'_>> = vec![Vec::new()];
            for child in children {
                let ways = terms(child, positive)?;
                if acc.len().saturating_mul(ways.len()) > TERMS_MAX {
                    return None;
                }
                acc = acc
                    .iter()
                    .flat_map(|t| ways.iter().map(move |w| [t.as_slice(), w].concat()))
                    .collect();
            }
            Some(acc)
        }
        // `any` holding, or `all` failing: one child's way is enough.
        (Condition::Any(children), true) | (Condition::All(children), false) => {
            let mut acc = Vec::new();
            for child in children {
                acc.extend(terms(child, positive)?);
                if acc.len() > TERMS_MAX {
                    return None;
                }
            }
            Some(acc)
        }
        (atom, _) => Some(vec![vec![(atom, positive)]]),
    }
}

/// Whether one conjunction can be met.
fn consistent(term: &Term<'_>) -> bool {
    let negated = |a: &Condition, p: bool| term.iter().any(|&(b, q)| b == a && q != p);
    let flipped = |a: &Condition, p: bool| match a {
        // `started: true` failing is `started: false` holding.
        Condition::Started(b) => term
            .iter()
            .any(|&(c, q)| *c == Condition::Started(!b) && q == p),
        Condition::InExamWeeks(b) => term
            .iter()
            .any(|&(c, q)| *c == Condition::InExamWeeks(!b) && q == p),
        _ => false,
    };
    let empty = |a: &Condition, p: bool| {
        p && match a {
            Condition::Kind(v) | Condition::Label(v) => v.is_empty(),
            Condition::IssuerKind(v) => v.is_empty(),
            Condition::IssuerLevel(v) => v.is_empty(),
            Condition::Target(v) => v.is_empty(),
            _ => false,
        }
    };
    if term
        .iter()
        .any(|&(a, p)| negated(a, p) || flipped(a, p) || empty(a, p))
    {
        return false;
    }
    one_of(term, |c| match c {
        Condition::Label(v) => Some(v.as_slice()),
        _ => None,
    }) && one_of(term, |c| match c {
        Condition::IssuerKind(v) => Some(v.as_slice()),
        _ => None,
    }) && one_of(term, |c| match c {
        Condition::IssuerLevel(v) => Some(v.as_slice()),
        _ => None,
    })
}

/// For a field an item has exactly one value of: some value is in every set required and in
/// none excluded.
fn one_of<T: PartialEq>(term: &Term<'_>, set: impl Fn(&Condition) -> Option<&[T]>) -> bool {
    let required: Vec<&[T]> = term
        .iter()
        .filter(|t| t.1)
        .filter_map(|t| set(t.0))
        .collect();
    let excluded: Vec<&[T]> = term
        .iter()
        .filter(|t| !t.1)
        .filter_map(|t| set(t.0))
        .collect();
    let Some(first) = required.first() else {
        return true;
    };
    first.iter().any(|value| {
        required.iter().all(|s| s.contains(value)) && !excluded.iter().any(|s| s.contains(value))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Fact, Kind, Level};

    fn fact() -> Condition {
        Condition::Fact(Fact::InstallApp)
    }

    #[test]
    fn contradictions_cannot_hold() {
        let not = |c: Condition| Condition::Not(Box::new(c));
        for impossible in [
            Condition::All(vec![fact(), not(fact())]),
            Condition::Any(vec![]),
            Condition::All(vec![
                Condition::Label(vec![Kind::Meeting]),
                Condition::Label(vec![Kind::Training]),
            ]),
            Condition::All(vec![
                Condition::IssuerLevel(vec![Level::City]),
                not(Condition::IssuerLevel(vec![Level::City, Level::County])),
            ]),
            Condition::All(vec![Condition::Started(true), Condition::Started(false)]),
            not(Condition::All(vec![])),
        ] {
            assert!(!can_hold(&impossible), "{impossible:?}");
        }
    }

    #[test]
    fn satisfiable_conditions_can_hold() {
        for possible in [
            fact(),
            Condition::All(vec![]),
            Condition::Any(vec![fact(), Condition::Not(Box::new(fact()))]),
            Condition::All(vec![
                Condition::Label(vec![Kind::Meeting, Kind::Training]),
                Condition::Label(vec![Kind::Training]),
            ]),
            Condition::All(vec![
                Condition::Started(true),
                Condition::InExamWeeks(false),
            ]),
        ] {
            assert!(can_hold(&possible), "{possible:?}");
        }
    }
}
