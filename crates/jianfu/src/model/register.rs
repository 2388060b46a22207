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
    /// The published campus-entry whitelist (进校园白名单) the items are matched against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub whitelist: Vec<WhitelistEntry>,
}

/// One entry of a published campus-entry whitelist (白名单), with the columns a county
/// whitelist states (MC2025-1): 活动名称, 开展时间, 开展地点, 实施范围, 主要内容, 开展依据,
/// 实施单位. A blank column is allowed to load, and found by the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// `remote = "Self"`: the derived reader is an inherent fn, wrapped below to check the span.
#[serde(deny_unknown_fields, remote = "Self")]
pub struct WhitelistEntry {
    /// The entry's id, which items give as `campus_entry.whitelist_id`.
    pub id: String,
    /// 活动名称 — the activity.
    pub name: String,
    /// 开展时间 — first day of the window.
    #[serde(deserialize_with = "crate::model::date::iso")]
    pub from: NaiveDate,
    /// 开展时间 — last day of the window.
    #[serde(deserialize_with = "crate::model::date::iso")]
    pub to: NaiveDate,
    /// 开展地点 — where.
    pub place: String,
    /// 实施范围 — whom it may reach, as written.
    pub scope: String,
    /// 主要内容 — what it does.
    pub content: String,
    /// 开展依据 — the basis.
    pub basis: String,
    /// 实施单位 — the implementing unit.
    pub unit: String,
    /// Limits of the scope, where the list sets them (一所学校、一个年级、避开毕业班).
    #[serde(default)]
    pub limits: ScopeLimits,
}

/// Checkable limits of a whitelist entry's scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeLimits {
    /// The schools it may reach (ids); empty: any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schools: Vec<String>,
    /// At most this many schools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_schools: Option<u32>,
    /// At most this many grades.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_grades: Option<u32>,
    /// Grades it must not reach (毕业班: 六年级, 九年级, 高三 …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_grades: Vec<String>,
}

impl WhitelistEntry {
    /// The MC2025-1 columns left blank, by their Chinese names.
    pub fn blank_columns(&self) -> Vec<&'static str> {
        [
            ("活动名称", &self.name),
            ("开展地点", &self.place),
            ("实施范围", &self.scope),
            ("主要内容", &self.content),
            ("开展依据", &self.basis),
            ("实施单位", &self.unit),
        ]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(k, _)| k)
        .collect()
    }
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
    #[serde(
        deserialize_with = "crate::model::date::iso_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub filed_on: Option<NaiveDate>,
    /// The office it was filed with (报备机关: 市委办, 市政府办 …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_with: Option<String>,
    /// When the Party committee approved it.
    #[serde(
        deserialize_with = "crate::model::date::iso_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
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
// `remote = "Self"`: the derived reader is an inherent fn, wrapped below to check the span.
#[serde(deny_unknown_fields, remote = "Self")]
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
    #[serde(deserialize_with = "crate::model::date::iso_opt", default)]
    pub start: Option<NaiveDate>,
    /// Last day.
    #[serde(deserialize_with = "crate::model::date::iso_opt", default)]
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
                major_task: false,
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
        self.items.is_empty()
            && self.plans.is_empty()
            && self.held_data.is_empty()
            && self.whitelist.is_empty()
    }
}

crate::model::date::span_checked!(PlanEntry, start, end);

crate::model::date::span_checked!(WhitelistEntry, from, to);
