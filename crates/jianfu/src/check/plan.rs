//! Checking an annual inspection plan (年度计划): each entry as an item of the plan, with the
//! plan and the caller's register as the register (late filing, non-education issuers
//! targeting teachers, same-type inspections to merge).

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::Engine;
use crate::model::{AnnualPlan, Decision, Register, Verdict};

/// The result of checking an annual plan.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PlanReport<'e> {
    /// The version of this JSON shape (`jianfu::FORMAT_VERSION`).
    pub format_version: u32,
    /// The plan's id.
    pub plan: String,
    /// The most severe verdict's decision.
    pub decision: Decision,
    /// One verdict per entry, in plan order.
    pub verdicts: Vec<Verdict<'e>>,
    /// The date the report speaks for.
    pub as_of: NaiveDate,
}

impl Engine {
    /// Checks every entry of an annual plan as of a date. `register` adds the period's other
    /// items and plans (another department's plan with the same topics, say).
    ///
    /// ```
    /// use jianfu::{AnnualPlan, Decision, Engine, parse_date};
    ///
    /// let engine = Engine::embedded()?;
    /// let plan = AnnualPlan::from_json(include_str!("../../examples/plans/smx-public-security-2026.json"))?;
    /// let report = engine.check_plan(&plan, parse_date("2026-03-02")?, None);
    /// assert_eq!(report.verdicts.len(), 3); // one verdict per entry, in plan order
    /// assert_eq!(report.decision, Decision::Prohibited); // the most severe of them
    /// # Ok::<(), jianfu::Error>(())
    /// ```
    pub fn check_plan(
        &self,
        plan: &AnnualPlan,
        as_of: NaiveDate,
        register: Option<&Register>,
    ) -> PlanReport<'_> {
        let items = plan.items();
        let mut combined = register.cloned().unwrap_or_default();
        combined.items.extend(items.iter().cloned());
        combined.plans.push(plan.clone());
        let verdicts = self.check_many(&items, as_of, Some(&combined));
        let decision = verdicts
            .iter()
            .map(|v| v.decision)
            .max()
            .unwrap_or(Decision::Allowed);
        PlanReport {
            format_version: crate::FORMAT_VERSION,
            plan: plan.plan_id.clone(),
            decision,
            verdicts,
            as_of,
        }
    }
}
