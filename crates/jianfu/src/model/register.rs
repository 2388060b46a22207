//! The register (登记簿): the period's other items, filed annual plans and data already held,
//! against which cross-item rules are evaluated; and the annual inspection plan (年度计划).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::item::{Inspection, Issuer, Item, PlanRef, Requirements};
use super::vocab::{Kind, Target};

/// The period's items and filings that cross-item rules look at.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// Items already approved, scheduled or run in the period.
    #[serde(default)]
    pub items: Vec<Item>,
    /// Annual inspection plans filed for the year.
    #[serde(default)]
    pub plans: Vec<AnnualPlan>,
    /// Data that is already collected and held somewhere (一次采集、多方共享).
    #[serde(default)]
    pub held_data: Vec<DataHolding>,
}

/// Data already held by some body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataHolding {
    /// Who holds it (e.g. 全国教师管理信息系统).
    pub holder: String,
    /// The fields held.
    pub fields: Vec<String>,
}

/// A department's annual plan of inspections touching schools or teachers (年度计划, 报备审批).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnualPlan {
    /// Plan id.
    pub plan_id: String,
    /// The filing department.
    pub issuer: Issuer,
    /// The year the plan covers.
    pub year: i32,
    /// When it was filed with the Party or government office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_on: Option<NaiveDate>,
    /// The office it was filed with (报备机关: 市委办, 市政府办 …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_with: Option<String>,
    /// When the Party committee approved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_on: Option<NaiveDate>,
    /// The body that approved it (审批机关).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// The items in the plan.
    #[serde(default)]
    pub entries: Vec<PlanEntry>,
}

/// One item in an annual plan. The plan supplies its issuer and filing dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanEntry {
    /// Item id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Kind; inspections by default.
    #[serde(default = "inspection_kind")]
    pub kind: Kind,
    /// Whom it reaches.
    #[serde(default)]
    pub targets: Vec<Target>,
    /// Schools it reaches.
    #[serde(default)]
    pub schools: Vec<String>,
    /// First day.
    #[serde(default)]
    pub start: Option<NaiveDate>,
    /// Last day.
    #[serde(default)]
    pub end: Option<NaiveDate>,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Structured facts.
    #[serde(default)]
    pub requirements: Requirements,
    /// Inspection details.
    #[serde(default)]
    pub inspection: Option<Inspection>,
}

fn inspection_kind() -> Kind {
    Kind::Inspection
}

impl AnnualPlan {
    /// Parses a plan from JSON.
    pub fn from_json(json: &str) -> crate::Result<Self> {
        super::parse_json(json, "<plan>")
    }

    /// The plan's entries as items, each carrying the plan's issuer and filing dates.
    pub fn items(&self) -> Vec<Item> {
        self.entries
            .iter()
            .map(|entry| Item {
                id: entry.id.clone(),
                kind: entry.kind,
                title: entry.title.clone(),
                issuer: self.issuer.clone(),
                targets: entry.targets.clone(),
                schools: entry.schools.clone(),
                start: entry.start,
                end: entry.end,
                description: entry.description.clone(),
                materials: Default::default(),
                approvals: Vec::new(),
                annual_plan: Some(PlanRef {
                    plan_id: self.plan_id.clone(),
                    filed_on: self.filed_on,
                    filed_with: self.filed_with.clone(),
                    approved_on: self.approved_on,
                    approved_by: self.approved_by.clone(),
                }),
                requirements: entry.requirements,
                legally_required: false,
                hours_per_teacher: None,
                campus_entry: None,
                inspection: entry.inspection.clone(),
                data_request: None,
                secondment: None,
                duty: None,
            })
            .collect()
    }

    /// Whether the plan lists an item with this id.
    pub fn lists(&self, item_id: &str) -> bool {
        self.entries.iter().any(|e| e.id == item_id)
    }

    /// Whether an item dated `start` falls in the plan's year.
    pub fn covers(&self, start: Option<NaiveDate>) -> bool {
        start.is_none_or(|d| d.year() == self.year)
    }
}

impl Register {
    /// Parses a register from JSON.
    pub fn from_json(json: &str) -> crate::Result<Self> {
        super::parse_json(json, "<register>")
    }

    /// Whether the register holds nothing.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.plans.is_empty() && self.held_data.is_empty()
    }
}
