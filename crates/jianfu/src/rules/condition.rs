//! The condition tree (条件): `all` / `any` / `not` over typed predicates.
//!
//! No general-purpose scripting: every predicate is one of the variants below, so a ruleset can
//! be validated, linted and explained without running it. Predicates that need a number name a
//! parameter (dated, cited) instead of holding a literal.

use serde::{Deserialize, Serialize};

use crate::model::{BasisType, DayType, Fact, IssuerKind, Kind, Level, MaterialField, Target};

/// A condition over an item, its text, its approvals and the register.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// Every child holds.
    All(Vec<Condition>),
    /// At least one child holds.
    Any(Vec<Condition>),
    /// The child does not hold.
    Not(Box<Condition>),
    /// The item is one of these kinds in substance: its `kind` label, or a kind its blocks
    /// or facts make it (the ruleset's `substance` table).
    Kind(Vec<Kind>),
    /// The item is filed under one of these `kind` labels (what the clerk wrote).
    Label(Vec<Kind>),
    /// The issuer's kind is one of these.
    IssuerKind(Vec<IssuerKind>),
    /// The issuer's level is one of these.
    IssuerLevel(Vec<Level>),
    /// The item reaches one of these.
    Target(Vec<Target>),
    /// The fact is stated in `requirements` or found in the title or description.
    Fact(Fact),
    /// One of these material fields is absent or blank (fills the verdict's `missing`).
    Missing(Vec<MaterialField>),
    /// A structured yes/no field of the item is true.
    Flag(ItemFlag),
    /// The duty falls on one of these kinds of day (`duty.day_type`, or the school calendar's
    /// type of the start date).
    DayType(Vec<DayType>),
    /// The item's dates touch (true) or avoid (false) the calendar's exam weeks.
    InExamWeeks(bool),
    /// Some day from the item's start to its end is, by the school calendar, one of these
    /// kinds of day.
    ActivityOn(Vec<DayType>),
    /// The campus entry's admission criterion is one of these.
    BasisType(Vec<BasisType>),
    /// The state of the item's approval chain (审批链).
    Approval(ApprovalState),
    /// An approval record, approved on or before `as_of` and no later than the activity's
    /// start, was taken by a body whose name holds one of these words (教育局, 教育厅 …).
    ApprovedBy(Vec<String>),
    /// The state of the item's annual inspection plan (年度计划).
    Plan(PlanState),
    /// The plan was filed after the month-day named by this parameter of the item's year.
    PlanFiledAfter(String),
    /// The item's start date is on or before `as_of`: the activity is under way or past.
    Started(bool),
    /// Schools were told of the inspection less far ahead than this parameter (in its unit:
    /// days, or calendar months).
    NoticeShorterThan(String),
    /// No notice day is recorded, and on `as_of` the last day to give the notice this
    /// parameter asks for has passed.
    NoticeMissing(String),
    /// The secondment lasts longer than this many months (parameter) without prior consent.
    SecondmentOverCap(String),
    /// The secondment lasts longer than this many months (parameter), consent or not.
    SecondmentLongerThan(String),
    /// The consenting education department is below this level (parameter) or absent.
    ConsentBelow(String),
    /// Estimated hours per teacher exceed this parameter.
    HoursAbove(String),
    /// The description (a draft's whole text, in document review) has more characters than
    /// this parameter.
    TextLongerThan(String),
    /// A cross-item test against the register.
    Register(RegisterTest),
}

/// A structured yes/no field of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemFlag {
    /// `duty.students_present`.
    #[serde(rename = "duty.students_present")]
    DutyStudentsPresent,
    /// `duty.teachers_rostered`.
    #[serde(rename = "duty.teachers_rostered")]
    DutyTeachersRostered,
    /// `duty.higher_level_required`.
    #[serde(rename = "duty.higher_level_required")]
    DutyHigherLevelRequired,
    /// `inspection.comprehensive`.
    #[serde(rename = "inspection.comprehensive")]
    InspectionComprehensive,
    /// `inspection.scored`.
    #[serde(rename = "inspection.scored")]
    InspectionScored,
    /// `inspection.technical`.
    #[serde(rename = "inspection.technical")]
    InspectionTechnical,
    /// `secondment.major_task`.
    #[serde(rename = "secondment.major_task")]
    SecondmentMajorTask,
    /// `secondment.party_filed`.
    #[serde(rename = "secondment.party_filed")]
    SecondmentPartyFiled,
    /// `legally_required`.
    #[serde(rename = "legally_required")]
    LegallyRequired,
    /// `major_task`.
    #[serde(rename = "major_task")]
    MajorTask,
    /// `campus_entry.whitelist_id` is present.
    #[serde(rename = "campus_entry.on_whitelist")]
    CampusEntryOnWhitelist,
}

impl ItemFlag {
    /// The field path the flag reads.
    pub fn field(self) -> &'static str {
        match self {
            ItemFlag::DutyStudentsPresent => "duty.students_present",
            ItemFlag::DutyTeachersRostered => "duty.teachers_rostered",
            ItemFlag::DutyHigherLevelRequired => "duty.higher_level_required",
            ItemFlag::InspectionComprehensive => "inspection.comprehensive",
            ItemFlag::InspectionScored => "inspection.scored",
            ItemFlag::InspectionTechnical => "inspection.technical",
            ItemFlag::SecondmentMajorTask => "secondment.major_task",
            ItemFlag::SecondmentPartyFiled => "secondment.party_filed",
            ItemFlag::LegallyRequired => "legally_required",
            ItemFlag::MajorTask => "major_task",
            ItemFlag::CampusEntryOnWhitelist => "campus_entry.whitelist_id",
        }
    }
}

/// The state of an ordered approval chain, as the process module computes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalState {
    /// Some step is still to do, and nothing was refused.
    Pending,
    /// A step was recorded before the step that must precede it, or dated earlier.
    OutOfOrder,
    /// A step refused the item.
    Rejected,
    /// A step was taken by a body other than the one the process names.
    WrongActor,
    /// The activity starts (or started) before the final sign-off.
    BeforeSignoff,
}

/// The state of an inspection item's annual plan, read from the register's plans when the
/// register has the plan, else from the item's `annual_plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanState {
    /// Not in any filed plan and not approved one by one (清单外).
    NotFiled,
    /// Filed, but the Party committee has not approved the plan.
    NotApproved,
    /// Approved in the plan, or approved one by one, before it began.
    Approved,
    /// Approved, but only after it began: it ran without approval until then.
    ApprovedLate,
}

/// A cross-item test and the parameter that limits it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterTest {
    /// Which test.
    pub test: RegisterCheck,
    /// The parameter holding the cap, for counting tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

/// The cross-item tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterCheck {
    /// Campus entries at one of the item's schools this semester, the item included, exceed the limit.
    CampusEntriesPerSemester,
    /// Comprehensive supervisions of one of the item's schools this year, the item included,
    /// exceed the limit.
    ComprehensivePerYear,
    /// Some requested data field is already requested by another item or already held.
    DuplicateData,
    /// Another inspection of the same topic reaches the same schools in the same year.
    SameType,
    /// The register holds a whitelist and the campus entry is not on it (no id, or an id the
    /// list lacks).
    WhitelistUnlisted,
    /// The campus entry's days fall outside its whitelist entry's window.
    WhitelistOutsideWindow,
    /// The campus entry reaches schools or grades its whitelist entry's scope excludes.
    WhitelistOutsideScope,
    /// The campus entry's whitelist entry leaves a required column blank.
    WhitelistIncompleteEntry,
    /// The whitelist holds more entries for the item's year than the limit.
    WhitelistOverTotal,
    /// Entries of the same whitelist item at one of the item's schools this year, the item
    /// included, exceed the limit.
    WhitelistItemPerSchoolYear,
    /// Items of the item's kind at one of its schools in its year, the item included, exceed
    /// the limit (external exams a school hosts).
    SameKindPerSchoolYear,
}

impl RegisterCheck {
    /// Whether the test counts against a limit parameter.
    pub fn needs_limit(self) -> bool {
        matches!(
            self,
            RegisterCheck::CampusEntriesPerSemester
                | RegisterCheck::ComprehensivePerYear
                | RegisterCheck::WhitelistOverTotal
                | RegisterCheck::WhitelistItemPerSchoolYear
                | RegisterCheck::SameKindPerSchoolYear
        )
    }
}

impl Condition {
    /// How deep `all` / `any` / `not` nest (1 for a single predicate).
    pub fn depth(&self) -> usize {
        match self {
            Condition::All(children) | Condition::Any(children) => {
                1 + children.iter().map(Condition::depth).max().unwrap_or(0)
            }
            Condition::Not(child) => 1 + child.depth(),
            _ => 1,
        }
    }

    /// Every parameter this condition names, with the type it needs.
    pub fn parameters(&self, out: &mut Vec<(String, super::ParamType)>) {
        use super::ParamType as T;
        match self {
            Condition::All(children) | Condition::Any(children) => {
                for child in children {
                    child.parameters(out);
                }
            }
            Condition::Not(child) => child.parameters(out),
            Condition::PlanFiledAfter(p) => out.push((p.clone(), T::MonthDay)),
            Condition::NoticeShorterThan(p)
            | Condition::NoticeMissing(p)
            | Condition::SecondmentOverCap(p)
            | Condition::SecondmentLongerThan(p)
            | Condition::HoursAbove(p)
            | Condition::TextLongerThan(p) => out.push((p.clone(), T::Number)),
            Condition::ConsentBelow(p) => out.push((p.clone(), T::Level)),
            Condition::Register(test) => {
                if let Some(p) = &test.limit {
                    out.push((p.clone(), T::Number));
                }
            }
            _ => {}
        }
    }

    /// The kinds this condition can hold for, if it restricts them (`None`: any kind).
    pub fn kinds(&self) -> Option<Vec<Kind>> {
        match self {
            Condition::Kind(kinds) => Some(kinds.clone()),
            Condition::All(children) => {
                let mut acc: Option<Vec<Kind>> = None;
                for child in children {
                    if let Some(kinds) = child.kinds() {
                        acc = Some(match acc {
                            None => kinds,
                            Some(prev) => prev.into_iter().filter(|k| kinds.contains(k)).collect(),
                        });
                    }
                }
                acc
            }
            Condition::Any(children) => {
                let mut acc = Vec::new();
                for child in children {
                    let kinds = child.kinds()?;
                    acc.extend(kinds);
                }
                Some(acc)
            }
            _ => None,
        }
    }
}
