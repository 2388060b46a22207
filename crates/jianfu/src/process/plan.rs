//! The annual inspection plan (年度计划报备审批): filed in early January with the same-level
//! Party or government office, approved by the Party committee; off-plan items are approved
//! one by one (一事一报) or not run.
//!
//! An item's filing is read from the register's plans when the register has the plan (the
//! register is the record), and from the item's own `annual_plan` otherwise.

use chrono::{Datelike, NaiveDate};

use crate::model::{ApprovalOutcome, Item, Register, Step};
use crate::rules::PlanState;

/// The filing dates that hold for an item: `(filed_on, approved_on)`, or `None` when it is in
/// no plan.
pub fn filing(
    item: &Item,
    register: Option<&Register>,
) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
    let plans = register.map(|r| r.plans.as_slice()).unwrap_or_default();
    if let Some(plan) = plans
        .iter()
        .find(|p| p.lists(&item.id) && p.covers(item.start))
    {
        return Some((plan.filed_on, plan.approved_on));
    }
    let named = item.annual_plan.as_ref()?;
    if plans.iter().any(|p| p.plan_id == named.plan_id) {
        return None; // the register has the named plan, and it does not list the item
    }
    Some((named.filed_on, named.approved_on))
}

/// The plan state of an inspection item.
pub fn state(item: &Item, register: Option<&Register>) -> PlanState {
    if ad_hoc_approved(item) {
        return PlanState::Approved;
    }
    match filing(item, register) {
        Some((Some(_), Some(_))) => PlanState::Approved,
        Some((Some(_), None)) => PlanState::NotApproved,
        _ => PlanState::NotFiled,
    }
}

/// Whether the item was approved one by one by the Party committee.
pub fn ad_hoc_approved(item: &Item) -> bool {
    item.approvals
        .iter()
        .any(|a| a.step == Step::PartyCommitteeApproval && a.outcome == ApprovalOutcome::Approved)
}

/// The filing deadline for the year the item runs in (the filing year otherwise).
pub fn deadline(item: &Item, filed: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let year = item.start.unwrap_or(filed).year();
    NaiveDate::from_ymd_opt(year, month, day)
}

/// When the plan was filed, if after the deadline (and not approved one by one instead).
pub fn filed_late(
    item: &Item,
    register: Option<&Register>,
    month: u32,
    day: u32,
) -> Option<(NaiveDate, NaiveDate)> {
    let (filed, _) = filing(item, register)?;
    let filed = filed?;
    let deadline = deadline(item, filed, month, day)?;
    (filed > deadline && !ad_hoc_approved(item)).then_some((filed, deadline))
}

/// Whether a step of the inspection process is done.
pub fn step_done(item: &Item, register: Option<&Register>, step: Step) -> bool {
    match step {
        Step::PartyCommitteeApproval => state(item, register) == PlanState::Approved,
        _ => true,
    }
}
