//! The annual inspection plan (年度计划报备审批): filed in early January with the same-level
//! Party or government office, approved by the Party committee; off-plan items are approved
//! one by one (一事一报) or not run.
//!
//! An item's filing is read from the register's plans when the register has the plan (the
//! register is the record), and from the item's own `annual_plan` otherwise. A filing or an
//! approval counts only once it has happened (on or before `as_of`) and only when the body
//! the ruleset names took it; an approval that comes after the item began leaves the item
//! run without approval until then.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::model::{AnnualPlan, ApprovalOutcome, Item, Kind, Register, Step};
use crate::rules::{Actor, PlanState, Ruleset};

/// The register's plans as the plan rules read them; with a batch's [`Listing`], which plans
/// list an item is a lookup instead of a scan of every plan's entries.
#[derive(Debug, Clone, Copy, Default)]
pub struct Plans<'a> {
    plans: &'a [AnnualPlan],
    listing: Option<&'a Listing<'a>>,
}

impl<'a> Plans<'a> {
    /// The plans of `register` (none without one), looked up through `listing` when given.
    pub fn of(register: Option<&'a Register>, listing: Option<&'a Listing<'a>>) -> Self {
        Self {
            plans: register.map(|r| r.plans.as_slice()).unwrap_or_default(),
            listing,
        }
    }

    /// The first plan that lists `item` and covers its start.
    fn listing(&self, item: &Item) -> Option<&'a AnnualPlan> {
        let covers = |p: &&AnnualPlan| p.covers(item.start);
        match self.listing {
            Some(listing) => listing
                .by_item
                .get(item.id.as_str())
                .into_iter()
                .flatten()
                .filter_map(|&at| self.plans.get(at))
                .find(covers),
            None => self.plans.iter().filter(|p| p.lists(&item.id)).find(covers),
        }
    }
}

/// Which plans (by position in the register) list each item id, in plan order.
#[derive(Debug, Default)]
pub struct Listing<'r> {
    by_item: HashMap<&'r str, Vec<usize>>,
}

impl<'r> Listing<'r> {
    /// Indexes the entries of `register`'s plans.
    pub fn new(register: &'r Register) -> Self {
        let mut by_item: HashMap<&str, Vec<usize>> = HashMap::new();
        for (at, plan) in register.plans.iter().enumerate() {
            for entry in &plan.entries {
                let plans = by_item.entry(entry.id.as_str()).or_default();
                // An id listed twice in one plan is one listing.
                if plans.last() != Some(&at) {
                    plans.push(at);
                }
            }
        }
        Self { by_item }
    }
}

/// An item's filing as the record states it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filing<'a> {
    /// When the plan was filed.
    pub filed_on: Option<NaiveDate>,
    /// The office it was filed with.
    pub filed_with: Option<&'a str>,
    /// When it was approved.
    pub approved_on: Option<NaiveDate>,
    /// The body that approved it.
    pub approved_by: Option<&'a str>,
}

/// What a filing is judged by: the day of the check and the bodies the ruleset names.
#[derive(Debug, Clone, Copy)]
pub struct Judge<'a> {
    /// The day of the check: later filings and approvals have not happened yet.
    pub as_of: NaiveDate,
    /// The body that approves (the inspection process's approval step), if named.
    pub approver: Option<&'a Actor>,
    /// The office plans are filed with, if named.
    pub office: Option<&'a Actor>,
}

impl<'a> Judge<'a> {
    /// The inspection process's bodies in `ruleset`, as of `as_of`.
    pub fn of(ruleset: &'a Ruleset, as_of: NaiveDate) -> Self {
        let process = ruleset.process(Kind::Inspection);
        let approver = process.and_then(|p| p.actor(Step::PartyCommitteeApproval));
        Self {
            as_of,
            approver,
            office: process.and_then(|p| p.filing.as_ref()),
        }
    }
}

/// Where an item's filing stands, with what a clerk needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// The plan state.
    pub state: PlanState,
    /// Why the filing or approval does not count in full: (field, statement).
    pub notes: Vec<(Cow<'static, str>, String)>,
}

/// The filing that holds for an item, or `None` when it is in no plan.
pub fn filing<'a>(item: &'a Item, plans: Plans<'a>) -> Option<Filing<'a>> {
    if let Some(plan) = plans.listing(item) {
        return Some(Filing {
            filed_on: plan.filed_on,
            filed_with: plan.filed_with.as_deref(),
            approved_on: plan.approved_on,
            approved_by: plan.approved_by.as_deref(),
        });
    }
    let named = item.annual_plan.as_ref()?;
    if plans.plans.iter().any(|p| p.plan_id == named.plan_id) {
        return None; // the register has the named plan, and it does not list the item
    }
    Some(Filing {
        filed_on: named.filed_on,
        filed_with: named.filed_with.as_deref(),
        approved_on: named.approved_on,
        approved_by: named.approved_by.as_deref(),
    })
}

/// Where an inspection item's filing and approval stand on `judge.as_of`.
pub fn standing(item: &Item, plans: Plans<'_>, judge: Judge<'_>) -> Standing {
    let mut notes = Vec::new();
    let filing = filing(item, plans).unwrap_or_default();
    let filed = filing.filed_on.filter(|&on| on <= judge.as_of).filter(|_| {
        let ok = judge.office.is_none_or(|o| o.accepts(filing.filed_with));
        if !ok {
            notes.push((
                Cow::Borrowed("annual_plan.filed_with"),
                format!(
                    "报备至“{}”，应报{} (filed with the wrong office)",
                    filing.filed_with.unwrap_or_default(),
                    judge.office.map(|o| o.zh.as_str()).unwrap_or_default()
                ),
            ));
        }
        ok
    });
    let by_approver = |by: Option<&str>, field: Cow<'static, str>, notes: &mut Vec<_>| {
        let ok = judge.approver.is_none_or(|a| a.accepts(by));
        if !ok {
            notes.push((
                field,
                format!(
                    "由“{}”审批，应由{}审批 (approved by the wrong body)",
                    by.unwrap_or_default(),
                    judge.approver.map(|a| a.zh.as_str()).unwrap_or_default()
                ),
            ));
        }
        ok
    };
    let ad_hoc = item
        .approvals
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            a.step == Step::PartyCommitteeApproval
                && a.outcome == ApprovalOutcome::Approved
                && a.on <= judge.as_of
        })
        .filter(|(i, a)| {
            by_approver(
                a.by.as_deref(),
                format!("approvals[{i}]").into(),
                &mut notes,
            )
        })
        .map(|(_, a)| a.on)
        .min();
    let in_plan = filed
        .and(filing.approved_on)
        .filter(|&on| on <= judge.as_of)
        .filter(|_| {
            by_approver(
                filing.approved_by,
                "annual_plan.approved_by".into(),
                &mut notes,
            )
        });
    let approved = match (ad_hoc, in_plan) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let state = match (approved, item.start) {
        (Some(day), Some(start)) if start < day => {
            notes.push((
                "annual_plan.approved_on".into(),
                format!("{day} 才获审批，晚于 {start} 开始：此前未经审批开展 (approved only after it began)"),
            ));
            PlanState::ApprovedLate
        }
        (Some(_), _) => PlanState::Approved,
        (None, _) if filed.is_some() => PlanState::NotApproved,
        (None, _) => PlanState::NotFiled,
    };
    Standing { state, notes }
}

/// The filing deadline for the year the item runs in (the filing year otherwise).
pub fn deadline(item: &Item, filed: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let year = item.start.unwrap_or(filed).year();
    NaiveDate::from_ymd_opt(year, month, day)
}

/// When the plan was filed, if after the deadline (and not approved one by one instead).
pub fn filed_late(
    item: &Item,
    plans: Plans<'_>,
    month: u32,
    day: u32,
) -> Option<(NaiveDate, NaiveDate)> {
    let filed = filing(item, plans)?.filed_on?;
    let deadline = deadline(item, filed, month, day)?;
    let ad_hoc = item
        .approvals
        .iter()
        .any(|a| a.step == Step::PartyCommitteeApproval && a.outcome == ApprovalOutcome::Approved);
    (filed > deadline && !ad_hoc).then_some((filed, deadline))
}

/// Whether a step of the inspection process is done.
pub fn step_done(item: &Item, plans: Plans<'_>, step: Step, judge: Judge<'_>) -> bool {
    match step {
        Step::PartyCommitteeApproval => matches!(
            standing(item, plans, judge).state,
            PlanState::Approved | PlanState::ApprovedLate
        ),
        _ => true,
    }
}
