//! An ordered approval chain (秘书组初核 → 分管领导审核 → 组长审签) walked over the item's
//! dated approval records.
//!
//! States: DRAFT → step 1 … → step n → APPROVED, with REJECTED terminal and `returned` sending
//! the item back to DRAFT. A record for a later step before its predecessor, or dated before
//! the previous step, is out of order and does not count; nor does one taken by a body other
//! than the step's actor, or one dated after the day of the check (it has not happened yet).

use chrono::NaiveDate;

use crate::model::{Approval, ApprovalOutcome, Step};
use crate::rules::Actor;

/// Where an item stands in its chain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainState {
    /// The next step to take (`None` when complete or rejected).
    pub next: Option<Step>,
    /// Approval records that are out of order: (record, the steps it skipped; none when it
    /// is dated before the step before it).
    pub out_of_order: Vec<(usize, Vec<Step>)>,
    /// Records taken by a body other than the step's actor.
    pub wrong_actor: Vec<usize>,
    /// Index of the record that rejected the item.
    pub rejected: Option<usize>,
    /// Date of the final step, when the chain is complete.
    pub signoff_on: Option<NaiveDate>,
}

impl ChainState {
    /// Whether every step is done.
    pub fn complete(&self) -> bool {
        self.signoff_on.is_some()
    }
}

/// Walks `approvals` against `steps` (taken by `actors`), as known on `as_of`.
pub fn walk(
    steps: &[Step],
    actors: &[Actor],
    approvals: &[Approval],
    as_of: NaiveDate,
) -> ChainState {
    let mut state = ChainState::default();
    let mut position = 0usize;
    let mut last_date: Option<NaiveDate> = None;
    for (index, approval) in approvals.iter().enumerate() {
        let Some(step_index) = steps.iter().position(|s| *s == approval.step) else {
            continue; // a record of another process
        };
        if approval.on > as_of {
            continue; // not yet taken on the day of the check
        }
        if step_index > position {
            let skipped = steps.get(position..step_index).unwrap_or_default().to_vec();
            state.out_of_order.push((index, skipped));
            continue;
        }
        if last_date.is_some_and(|d| approval.on < d) {
            state.out_of_order.push((index, Vec::new()));
            continue;
        }
        if actors
            .get(step_index)
            .is_some_and(|a| !a.accepts(approval.by.as_deref()))
        {
            state.wrong_actor.push(index);
            continue;
        }
        if step_index < position {
            continue; // a repeated earlier review changes nothing
        }
        match approval.outcome {
            ApprovalOutcome::Approved => {
                position += 1;
                last_date = Some(approval.on);
                if position == steps.len() {
                    state.signoff_on = Some(approval.on);
                }
            }
            ApprovalOutcome::Rejected => {
                state.rejected = Some(index);
                break;
            }
            ApprovalOutcome::Returned => {
                position = 0;
                last_date = Some(approval.on);
            }
        }
    }
    if state.rejected.is_none() {
        state.next = steps.get(position).copied();
    }
    state
}
