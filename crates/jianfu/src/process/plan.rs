//! The annual inspection plan (年度计划报备审批): filed in early January with the same-level
//! Party or government office, approved by the Party committee; off-plan items are approved
//! one by one (一事一报) or not run.

use chrono::{Datelike, NaiveDate};

use crate::model::{ApprovalOutcome, Item, Step};
use crate::rules::PlanState;

/// The plan state of an inspection item.
pub fn state(item: &Item) -> PlanState {
    if ad_hoc_approved(item) {
        return PlanState::Approved;
    }
    match &item.annual_plan {
        Some(plan) if plan.filed_on.is_some() => {
            if plan.approved_on.is_some() {
                PlanState::Approved
            } else {
                PlanState::NotApproved
            }
        }
        _ => PlanState::NotFiled,
    }
}

/// Whether the item was approved one by one by the Party committee.
pub fn ad_hoc_approved(item: &Item) -> bool {
    item.approvals
        .iter()
        .any(|a| a.step == Step::PartyCommitteeApproval && a.outcome == ApprovalOutcome::Approved)
}

/// The filing deadline for the year the item runs in (the plan's filing year otherwise).
pub fn deadline(item: &Item, month: u32, day: u32) -> Option<NaiveDate> {
    let year = item
        .start
        .or_else(|| item.annual_plan.as_ref().and_then(|p| p.filed_on))?
        .year();
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Whether the plan was filed after the deadline (and not approved one by one instead).
pub fn filed_late(item: &Item, month: u32, day: u32) -> Option<NaiveDate> {
    let filed = item.annual_plan.as_ref()?.filed_on?;
    let deadline = deadline(item, month, day)?;
    (filed > deadline && !ad_hoc_approved(item)).then_some(filed)
}

/// Whether a step of the inspection process is done.
pub fn step_done(item: &Item, step: Step) -> bool {
    match step {
        Step::PartyCommitteeApproval => state(item) == PlanState::Approved,
        _ => true,
    }
}
