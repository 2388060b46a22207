//! An item (事项): one thing some body wants schools or teachers to do.
//!
//! The JSON shape is the verdict contract's input (DESIGN.md §3). Unknown fields are errors,
//! so a misspelt flag is never silently ignored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::vocab::{ApprovalOutcome, BasisType, DayType, IssuerKind, Kind, Level, Step, Target};

/// One thing some body wants schools or teachers to do (事项).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// `remote = "Self"`: the derived reader is an inherent fn, wrapped below to check the span.
#[serde(deny_unknown_fields, remote = "Self")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Item {
    /// Caller's id for the item, echoed in the verdict.
    pub id: String,
    /// What kind of burden it is.
    pub kind: Kind,
    /// Title (标题); the lexicon reads it.
    pub title: String,
    /// Who issues it (发文单位).
    pub issuer: Issuer,
    /// Whom it reaches: schools, teachers, students, parents.
    #[serde(default)]
    pub targets: Vec<Target>,
    /// Ids of the schools it reaches, for cross-item rules (quotas per school).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schools: Vec<String>,
    /// First day.
    #[serde(
        deserialize_with = "crate::model::date::iso_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<NaiveDate>,
    /// Last day.
    #[serde(
        deserialize_with = "crate::model::date::iso_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub end: Option<NaiveDate>,
    /// Free-text description; the lexicon reads it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Supporting materials (事由, 依据, 工作方案, 预期效果 …).
    #[serde(default)]
    pub materials: Materials,
    /// Approval steps taken so far, in the order they happened.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<Approval>,
    /// The annual inspection plan the item belongs to (年度计划).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_plan: Option<PlanRef>,
    /// Structured facts about what the item demands.
    #[serde(default)]
    pub requirements: Requirements,
    /// Required by law (依法必需), e.g. statutory training.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub legally_required: bool,
    /// For a major special task of the Party or State (重大专项任务): such tasks that truly need
    /// teachers go through the education department (NAT2019-3.2).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub major_task: bool,
    /// Estimated hours each teacher spends on it.
    #[serde(
        default,
        deserialize_with = "hours_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub hours_per_teacher: Option<f64>,
    /// Campus-entry details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campus_entry: Option<CampusEntry>,
    /// Inspection details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspection: Option<Inspection>,
    /// Data-request details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_request: Option<DataRequest>,
    /// Secondment details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondment: Option<Secondment>,
    /// Duty-roster details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duty: Option<Duty>,
}

/// The body that issues an item (发文单位).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Issuer {
    /// Name, e.g. 三门峡市公安局.
    pub name: String,
    /// What kind of body.
    pub kind: IssuerKind,
    /// Administrative level.
    pub level: Level,
}

/// Supporting materials of a request. Blank strings count as missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Materials {
    /// 事由 — why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// 法律/政策依据 — legal or policy basis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// 工作方案 — work plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_plan: Option<String>,
    /// 预期效果 — expected effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_effect: Option<String>,
    /// 主办方 — organiser.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organiser: Option<String>,
    /// 参加人员 — participants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<String>,
    /// 活动内容 — content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

/// One approval step taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Approval {
    /// Which step.
    pub step: Step,
    /// Who took it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// When.
    #[serde(deserialize_with = "crate::model::date::iso")]
    pub on: NaiveDate,
    /// With what outcome.
    pub outcome: ApprovalOutcome,
}

/// The item's place in an annual inspection plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PlanRef {
    /// The plan's id.
    pub plan_id: String,
    /// When the plan was filed (报备).
    #[serde(
        deserialize_with = "crate::model::date::iso_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub filed_on: Option<NaiveDate>,
    /// The office it was filed with (报备机关: 市委办, 市政府办 …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_with: Option<String>,
    /// When the Party committee approved it (审批).
    #[serde(
        deserialize_with = "crate::model::date::iso_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub approved_on: Option<NaiveDate>,
    /// The body that approved it (审批机关).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
}

/// Structured facts: what the item demands of schools, teachers, pupils or parents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Requirements {
    /// Install an app (下载/安装 APP).
    pub install_app: bool,
    /// Follow an account (关注公众号).
    pub follow_account: bool,
    /// Vote or like (投票/点赞).
    pub vote_or_like: bool,
    /// Sales or purchase quota (推销/摊派购买).
    pub sales_quota: bool,
    /// Commercial promotion or advertising (商业推广/广告).
    pub commercial_promotion: bool,
    /// Check-ins and trace records (打卡/留痕).
    pub check_in_trace: bool,
    /// One-vote veto (一票否决).
    pub one_vote_veto: bool,
    /// Responsibility letter (责任状).
    pub responsibility_letter: bool,
    /// Ranking (排名/评比).
    pub ranking: bool,
    /// Photo, video or location uploads (上传照片/视频/轨迹).
    pub photo_upload: bool,
}

/// Campus-entry details (进校园).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampusEntry {
    /// Which admission criterion backs it (HEN24-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis_type: Option<BasisType>,
    /// Whitelist entry id (白名单), if on the whitelist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whitelist_id: Option<String>,
    /// The grades it reaches (七年级, 初二 …), for whitelist scope limits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grades: Vec<String>,
    /// Where it takes place (开展地点), for the whitelist entry's place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// Inspection details (督查检查评比考核).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Inspection {
    /// A comprehensive education supervision (综合督导), capped per school per year.
    #[serde(default)]
    pub comprehensive: bool,
    /// Topic used to find same-type inspections to merge (e.g. 安全, 食品, 校园文化).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Whether it scores, ranks or grades schools (评分/排名).
    #[serde(default)]
    pub scored: bool,
    /// When schools were told its content, scope and method.
    #[serde(
        deserialize_with = "crate::model::date::iso_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub notice_on: Option<NaiveDate>,
    /// Qualification, grading or technical assessment (资质等级技术考核): outside the cap.
    #[serde(default)]
    pub technical: bool,
}

/// Data-request details (报表).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DataRequest {
    /// The data fields requested (教师姓名, 身份证号, 学历 …).
    #[serde(default)]
    pub fields: Vec<String>,
}

/// Secondment details (借调).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Secondment {
    /// Number of teachers.
    #[serde(default)]
    pub teachers: u32,
    /// Planned length in days (from start to end when those are given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// For implementing a major Party or State deployment (重大部署).
    #[serde(default)]
    pub major_task: bool,
    /// Level of the education department that consented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<Level>,
    /// Filed with the same-level Party committee (报同级党委审批备案).
    #[serde(default)]
    pub party_filed: bool,
    /// An extension beyond the cap, with its consents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<Extension>,
}

/// Consents for extending a secondment (延期).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Extension {
    /// The sending school consented.
    #[serde(default)]
    pub school_consent: bool,
    /// The teacher consented.
    #[serde(default)]
    pub teacher_consent: bool,
    /// When consent was given.
    #[serde(
        deserialize_with = "crate::model::date::iso_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub consented_on: Option<NaiveDate>,
}

/// Duty-roster details (值班).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Duty {
    /// What kind of day; when absent, the school calendar decides from `start`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_type: Option<DayType>,
    /// Pupils are on campus that day.
    #[serde(default)]
    pub students_present: bool,
    /// Full-time (专任) teachers are rostered.
    #[serde(default)]
    pub teachers_rostered: bool,
    /// A higher level explicitly requires teachers on duty.
    #[serde(default)]
    pub higher_level_required: bool,
}

impl Materials {
    /// The value of a material field, `None` when absent or blank.
    pub fn get(&self, field: super::vocab::MaterialField) -> Option<&str> {
        use super::vocab::MaterialField as F;
        let value = match field {
            F::Reason => &self.reason,
            F::Basis => &self.basis,
            F::WorkPlan => &self.work_plan,
            F::ExpectedEffect => &self.expected_effect,
            F::Organiser => &self.organiser,
            F::Participants => &self.participants,
            F::Content => &self.content,
        };
        // Stops at the first visible character (`trim` looks at both ends): a check asks this
        // several times an item.
        value
            .as_deref()
            .filter(|v| !v.chars().all(char::is_whitespace))
    }
}

impl Item {
    /// The whitelist entry id the item gives, trimmed; `None` when absent or blank.
    pub fn whitelist_id(&self) -> Option<&str> {
        self.campus_entry
            .as_ref()
            .and_then(|c| c.whitelist_id.as_deref())
            .map(str::trim)
            .filter(|id| !id.is_empty())
    }

    /// The free text of a field the lexicon reads, by path (`title`, `description`,
    /// `materials.reason` …).
    pub fn text_of(&self, path: &str) -> Option<&str> {
        match path {
            "title" => Some(&self.title),
            "description" => Some(&self.description),
            _ => {
                let field = path.strip_prefix("materials.")?;
                let field = <super::vocab::MaterialField as super::terms::Term>::parse(field)?;
                self.materials.get(field)
            }
        }
    }

    /// Parses one item from JSON, naming the field path on error.
    pub fn from_json(json: &str) -> crate::Result<Self> {
        crate::model::parse_json(json, "<item>")
    }
}

crate::model::date::span_checked!(Item, start, end);

/// Hours as a finite, non-negative number: a negative or infinite estimate would turn the
/// hour-cap rules upside down.
fn hours_opt<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    match Option::<f64>::deserialize(deserializer)? {
        Some(hours) if !hours.is_finite() || hours < 0.0 => Err(serde::de::Error::custom(
            format_args!("hours must be a finite number ≥ 0, not {hours}"),
        )),
        hours => Ok(hours),
    }
}
