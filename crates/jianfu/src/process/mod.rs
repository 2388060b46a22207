//! Approval processes (审批流程) as explicit state machines over dated transitions:
//! the Sanmenxia campus-entry chain, the annual inspection plan, and secondments.

pub mod chain;
pub mod plan;
pub mod secondment;

use chrono::NaiveDate;

use crate::model::{Item, Kind, Step};
use crate::rules::Ruleset;

/// The next approval step an item needs, or `None` when its process is complete or it has none.
///
/// The process is the one of the item's label, or else of the first kind it is in substance
/// that has one (an APP drive routed to campus-entry handling walks the campus-entry chain).
/// Parameters are read as of `on`, the item's first activity day; steps count when taken by
/// `as_of`.
pub(crate) fn next_step(
    ruleset: &Ruleset,
    item: &Item,
    kinds: crate::check::KindSet,
    on: NaiveDate,
    as_of: NaiveDate,
    plans: plan::Plans<'_>,
    chain: Option<&chain::ChainState>,
) -> Option<Step> {
    let kind = std::iter::once(item.kind)
        .chain(kinds.iter())
        .find(|&k| ruleset.process(k).is_some())?;
    let process = ruleset.process(kind)?;
    let min_consent = ruleset
        .parameter(secondment::MIN_CONSENT_LEVEL)
        .and_then(|p| match p.at(on)? {
            crate::rules::Value::Level(level) => Some(level),
            _ => None,
        });
    match kind {
        Kind::CampusEntry => chain.and_then(|c| c.next),
        Kind::Inspection => process
            .steps
            .iter()
            .copied()
            .find(|step| !plan::step_done(item, plans, *step, plan::Judge::of(ruleset, as_of))),
        Kind::Secondment => process
            .steps
            .iter()
            .copied()
            .find(|step| !secondment::step_done(item, *step, min_consent)),
        _ => chain.and_then(|c| c.next),
    }
}

/// Adds `months` calendar months to `date`, clamping to the month's end.
pub(crate) fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(chrono::Months::new(months))
}
