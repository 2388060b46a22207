//! The label table (术语表): every closed vocabulary's codes with their Chinese and English
//! labels and the Chinese names people type for them.
//!
//! This is the one place a code (`campus_entry`) meets the words a person reads (进校园活动).
//! The CLI, the HTML report, Python and the web page all show these labels, so a term reads the
//! same everywhere; and every place that reads a code also accepts its labels and aliases, so a
//! clerk may write `"kind": "进校园"` or a sheet column of 县级 and 教育部门.

use std::borrow::Cow;

use serde::Serialize;

use super::verdict::Decision;
use super::vocab::{
    ApprovalOutcome, BasisType, DayType, Fact, IssuerKind, Kind, Level, MaterialField, Step, Target,
};
use crate::rules::{Governs, LintKind, Rung, Scope};
use crate::score::{Band, LadderScope, Ownership, Stage, UrbanRural};

/// A term of a closed vocabulary: a code with its labels.
pub trait Term: Copy + Sized + 'static {
    /// The vocabulary's name in the label table (`kind`).
    const VOCABULARY: &'static str;
    /// The vocabulary's Chinese name (事项类型).
    const VOCABULARY_ZH: &'static str;
    /// Every term, in declaration order.
    const TERMS: &'static [Self];
    /// Every term's code, in declaration order.
    const CODES: &'static [&'static str];
    /// The code used in JSON, CSV and rulesets.
    fn code(self) -> &'static str;
    /// The Chinese label.
    fn label_zh(self) -> &'static str;
    /// The English label.
    fn label_en(self) -> &'static str;
    /// Other names accepted on input (县区, 进校园 …).
    fn aliases(self) -> &'static [&'static str];

    /// The term a person's text names: its code, its Chinese or English label or an alias
    /// (codes and English case-insensitively, surrounding spaces ignored).
    fn parse(text: &str) -> Option<Self> {
        let text = trim(text);
        let terms = Self::TERMS.iter().copied();
        terms.clone().find(|t| t.code() == text).or_else(|| {
            terms.clone().find(|t| {
                t.label_zh() == text
                    || t.aliases().contains(&text)
                    || t.code().eq_ignore_ascii_case(text)
                    || t.label_en().eq_ignore_ascii_case(text)
            })
        })
    }
}

/// Defines a vocabulary's labels: inherent `as_str`, `zh` and `en`, the [`Term`] impl, and
/// optionally a reader (`serde`) and `FromStr` (`from_str`) that accept labels and aliases.
/// A vocabulary's JSON Schema: its codes as written; as read (an item), also the Chinese and
/// English labels and the aliases, which the readers take for the codes.
#[cfg(feature = "schema")]
fn term_schema<T: Term>(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let mut names: Vec<&str> = T::CODES.to_vec();
    if generator.contract().is_deserialize() {
        for term in T::TERMS {
            for name in [term.label_zh(), term.label_en()]
                .into_iter()
                .chain(term.aliases().iter().copied())
            {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    let description = format!("{} ({})", T::VOCABULARY_ZH, T::VOCABULARY);
    schemars::json_schema!({ "type": "string", "enum": names, "description": description })
}

macro_rules! terms {
    (
        $ty:ty, $vocab:literal, $vocab_zh:literal, [$($opt:ident),*],
        { $($variant:ident => $code:literal, $zh:literal, $en:literal, [$($alias:literal),*];)+ }
    ) => {
        impl $ty {
            /// The code used in JSON, CSV and rulesets.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
            /// The Chinese label (from the label table, [`crate::model::terms`]).
            pub fn zh(self) -> &'static str {
                match self { $(Self::$variant => $zh),+ }
            }
            /// The English label.
            pub fn en(self) -> &'static str {
                match self { $(Self::$variant => $en),+ }
            }
        }
        impl Term for $ty {
            const VOCABULARY: &'static str = $vocab;
            const VOCABULARY_ZH: &'static str = $vocab_zh;
            const TERMS: &'static [Self] = &[$(Self::$variant),+];
            const CODES: &'static [&'static str] = &[$($code),+];
            fn code(self) -> &'static str { self.as_str() }
            fn label_zh(self) -> &'static str { self.zh() }
            fn label_en(self) -> &'static str { self.en() }
            fn aliases(self) -> &'static [&'static str] {
                match self { $(Self::$variant => &[$($alias),*]),+ }
            }
        }
        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }
            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                term_schema::<$ty>(generator)
            }
        }
        $(terms!(@$opt $ty);)*
    };
    (@serde $ty:ty) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "one of {:?} or a Chinese name", <$ty as Term>::CODES)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        <$ty as Term>::parse(v).ok_or_else(|| E::unknown_variant(v, <$ty as Term>::CODES))
                    }
                }
                de.deserialize_str(Visitor)
            }
        }
    };
    (@from_str $ty:ty) => {
        impl std::str::FromStr for $ty {
            type Err = ();
            /// Parses a code, a label or an alias.
            fn from_str(s: &str) -> Result<Self, ()> {
                <$ty as Term>::parse(s).ok_or(())
            }
        }
    };
}

terms!(Kind, "kind", "事项类型", [serde, from_str], {
    Inspection => "inspection", "督查检查评比考核", "Inspection / appraisal", ["督查检查", "督查", "检查", "督导", "考核", "评比", "督查检查考核", "评比考核"];
    CampusEntry => "campus_entry", "进校园活动", "Campus entry", ["进校园"];
    DataRequest => "data_request", "报表填报", "Data request", ["报表", "填报", "数据填报", "表格填报"];
    Secondment => "secondment", "抽调借用教师", "Secondment", ["抽调借用", "借调", "抽调", "借用"];
    DirectiveTask => "directive_task", "涨粉、评比、推销等指令性任务", "Directive task", ["指令性任务", "涨粉评比推销"];
    SocialTask => "social_task", "社会事务", "Social task", ["社会性事务"];
    Duty => "duty", "值班值守", "Duty roster", ["值班", "值守"];
    Training => "training", "培训", "Training", [];
    Meeting => "meeting", "会议", "Meeting", ["会"];
    Document => "document", "发文", "Document", ["文件"];
    AfterSchool => "after_school_service", "课后服务", "After-school service", [];
    ExternalExam => "external_exam", "承办社会考试", "External exam hosted", ["社会考试"];
});

terms!(IssuerKind, "issuer_kind", "发文单位类型", [serde, from_str], {
    Education => "education", "教育部门", "Education", ["教育局", "教育行政部门", "教体局"];
    PartyCommittee => "party_committee", "党委", "Party committee", ["党委部门"];
    Government => "government", "政府", "Government", ["人民政府"];
    OtherDepartment => "other_department", "其他部门", "Other department", ["其他部门（公安、司法、卫健等）", "职能部门"];
    MassOrganization => "mass_organization", "群团组织", "Mass organization", ["群团"];
    Enterprise => "enterprise", "企业", "Enterprise", ["公司"];
    SocialOrganization => "social_organization", "社会组织", "Social organization", [];
});

terms!(Level, "level", "层级", [serde, from_str], {
    National => "national", "国家", "National", ["国家级", "中央"];
    Provincial => "provincial", "省级", "Provincial", ["省"];
    City => "city", "市级", "City", ["市"];
    County => "county", "县级", "County", ["县", "县区", "区县", "县（区）"];
    Township => "township", "乡镇", "Township", ["乡镇级", "乡", "镇", "街道"];
    School => "school", "学校", "School", ["校级", "校"];
});

terms!(Target, "target", "面向对象", [serde, from_str], {
    Schools => "schools", "学校", "Schools", [];
    Teachers => "teachers", "教师", "Teachers", ["老师", "教职工"];
    Students => "students", "学生", "Students", [];
    Parents => "parents", "家长", "Parents", [];
});

terms!(Step, "step", "审批步骤", [serde, from_str], {
    SecretariatReview => "secretariat_review", "秘书组初核", "Secretariat review", ["秘书组审核", "初核"];
    LeaderReview => "leader_review", "分管领导审核", "Leader review", [];
    GroupHeadSignoff => "group_head_signoff", "组长审签", "Group-head sign-off", [];
    PartyCommitteeApproval => "party_committee_approval", "党委审批", "Party committee approval", [];
    EducationConsent => "education_consent", "教育部门同意", "Education consent", [];
    PartyCommitteeFiling => "party_committee_filing", "报同级党委审批备案", "Party committee filing", ["党委备案"];
});

terms!(ApprovalOutcome, "outcome", "审批结果", [serde, from_str], {
    Approved => "approved", "同意", "Approved", ["通过", "批准"];
    Rejected => "rejected", "不同意", "Rejected", ["不予批准", "驳回"];
    Returned => "returned", "退回修改", "Returned", ["退回"];
});

terms!(BasisType, "basis_type", "准入依据", [serde, from_str], {
    LawOrDocument => "law_or_document", "法律法规或文件规定", "Law or document", ["法律法规", "文件规定"];
    MinistryJoint => "ministry_joint", "部委联合部署", "Joint ministry deployment", [];
    PartyCampaign => "party_campaign", "党委统一部署", "Party campaign", [];
    None => "none", "无", "None", [];
});

terms!(DayType, "day_type", "日期类型", [serde, from_str], {
    SchoolDay => "school_day", "上课日", "School day", ["工作日"];
    Weekend => "weekend", "周末", "Weekend", ["双休日"];
    Holiday => "holiday", "法定节假日", "Public holiday", ["节假日", "节日"];
    Vacation => "vacation", "寒暑假", "Vacation", ["寒假", "暑假", "假期"];
});

terms!(MaterialField, "material", "申报材料", [serde, from_str], {
    Reason => "reason", "开展理由", "Reason", ["事由", "理由"];
    Basis => "basis", "政策依据", "Basis", ["依据"];
    WorkPlan => "work_plan", "工作方案", "Work plan", ["方案"];
    ExpectedEffect => "expected_effect", "预期效果", "Expected effect", [];
    Organiser => "organiser", "主办单位", "Organiser", ["主办方"];
    Participants => "participants", "参加人员", "Participants", [];
    Content => "content", "活动内容", "Content", ["内容"];
});

terms!(Fact, "fact", "负担事实", [serde], {
    InstallApp => "install_app", "下载安装APP", "Install an app", [];
    FollowAccount => "follow_account", "关注公众号、账号", "Follow an account", [];
    VoteOrLike => "vote_or_like", "投票、点赞、转发", "Vote, like or share", [];
    SalesQuota => "sales_quota", "购买、销售任务", "Purchase or sales quota", [];
    CommercialPromotion => "commercial_promotion", "商业推广", "Commercial promotion", [];
    CheckInTrace => "check_in_trace", "打卡、留痕", "Check-ins / traces", [];
    OneVoteVeto => "one_vote_veto", "一票否决", "One-vote veto", [];
    ResponsibilityLetter => "responsibility_letter", "签订责任状", "Responsibility letter", [];
    Ranking => "ranking", "通报排名", "Ranking", [];
    PhotoUpload => "photo_upload", "上传照片、视频", "Upload photos or videos", [];
    TraceAsBasis => "trace_as_basis", "以留痕、台账作评价依据", "Traces as the basis of evaluation", [];
    RiverForestPatrol => "river_forest_patrol", "巡河护林", "River or forest patrol", [];
    StreetDuty => "street_duty", "上街执勤", "Street duty", [];
    CityCampaign => "city_campaign", "创城、创卫、创文", "City-honour campaign", [];
    ShowExhibition => "show_exhibition", "汇演、展览", "Show or exhibition", [];
    CeremonyInvestmentDemolition => "ceremony_investment_demolition", "庆典、招商、拆迁", "Ceremony, investment promotion or demolition", [];
    CharityDonation => "charity_donation", "爱心捐助、慈善募捐", "Charity or donation drive", [];
    DisguisedSecondment => "disguised_secondment", "变相借调（专班、跟班学习、交流锻炼）", "Disguised secondment", [];
    DisguisedInspection => "disguised_inspection", "以调研、评估、指导、监测为名", "Inspection under another name", [];
    ComplianceCampaign => "compliance_campaign", "达标活动", "Compliance campaign", [];
    ModelCreation => "model_creation", "创建示范", "Model-school creation", [];
    LinkedToAppraisal => "linked_to_appraisal", "与考核评优挂钩", "Linked to appraisal", [];
    DisruptsTeaching => "disrupts_teaching", "停课、占用上课时间", "Takes class time", [];
    WatchDuty => "watch_duty", "无关值守", "Unrelated watch duty", [];
    CampusCampaign => "campus_campaign", "社会事务进校园", "Campaign entering campus", [];
    TeacherSecondment => "teacher_secondment", "抽调借调教师", "Teacher secondment", [];
    RestDayTraining => "rest_day_training", "休息日、考试周培训", "Training on rest days or in exam weeks", [];
    NonTeachingTraining => "non_teaching_training", "与教学无关的培训", "Non-teaching training", [];
    RestDayMeeting => "rest_day_meeting", "休息日、考试周开会", "Meetings on rest days or in exam weeks", [];
    UnrelatedMeeting => "unrelated_meeting", "无关会议", "Unrelated meeting", [];
    RestDayDuty => "rest_day_duty", "休息日值班", "Duty on rest days", [];
    DuplicateData => "duplicate_data", "重复填报", "Duplicate data request", [];
    ScoredVisit => "scored_visit", "调研评估打分排名", "Scored visit", [];
});

terms!(Decision, "decision", "结论", [serde, from_str], {
    Allowed => "allowed", "允许", "Allowed", ["可以开展"];
    NeedsApproval => "needs_approval", "需审批", "Needs approval", ["待审批"];
    Incomplete => "incomplete", "材料不全", "Incomplete", [];
    Prohibited => "prohibited", "禁止", "Prohibited", ["不得开展"];
});

terms!(Band, "band", "负担等级", [], {
    Green => "green", "正常", "Normal", [];
    Warning => "warning", "预警", "Warning", [];
    Interview => "interview", "约谈", "Interview", [];
    Accountability => "accountability", "问责", "Accountability", [];
});

terms!(Rung, "rung", "处置措施", [serde], {
    None => "none", "无", "None", ["—"];
    Warning => "warning", "预警提醒", "Warning", [];
    Interview => "interview", "督导约谈", "Interview", [];
    Accountability => "accountability", "通报问责", "Accountability", [];
});

terms!(Scope, "scope", "适用范围", [serde], {
    Item => "item", "事项核查", "Item check", [];
    Document => "document", "发文审核", "Document review", [];
    Monitoring => "monitoring", "负担监测", "Burden monitoring", [];
});

terms!(Governs, "governs", "适用日期", [serde], {
    Activity => "activity", "活动日期", "Activity day", [];
    Notice => "notice", "通知日期", "Notice day", [];
    Filing => "filing", "报备日期", "Filing day", [];
    Review => "review", "核查日期", "Review day", [];
});

terms!(LintKind, "lint", "规则集检查", [], {
    Loosens => "loosens", "放宽上级规则", "Loosens an outer layer", [];
    Unreachable => "unreachable", "永不触发", "Can never fire", [];
    Duplicate => "duplicate", "重复规则", "Duplicate rule", [];
    Uncovered => "uncovered", "无规则覆盖的事项类型", "Kind no rule covers", [];
    Restates => "restates", "重申上级规则", "Restates an outer rule", [];
    OutsideDocument => "outside_document", "超出文件施行期", "Outside its document's term", [];
    UnusedParameter => "unused_parameter", "未使用的参数", "Unused parameter", [];
});

terms!(UrbanRural, "urban_rural", "城乡", [serde, from_str], {
    Urban => "urban", "城镇", "Urban", ["城区", "城市"];
    Rural => "rural", "乡村", "Rural", ["农村"];
});

terms!(Stage, "stage", "学段", [serde, from_str], {
    Primary => "primary", "小学", "Primary", [];
    Junior => "junior", "初中", "Junior secondary", [];
    Senior => "senior", "高中", "Senior secondary", [];
    NineYear => "nine_year", "九年一贯制", "Nine-year school", ["九年一贯"];
    Complete => "complete", "完全中学", "Complete secondary", ["完中"];
});

terms!(Ownership, "ownership", "办学性质", [serde, from_str], {
    Public => "public", "公办", "Public", [];
    Private => "private", "民办", "Private", [];
});

terms!(LadderScope, "ladder", "阶梯范围", [serde], {
    AllSchools => "all_schools", "全部学校", "All schools", [];
    SamplePoints => "sample_points", "定点监测样本点", "Sample points", ["样本点"];
});

/// One vocabulary of the label table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vocabulary {
    /// Its name (`kind`).
    pub name: &'static str,
    /// Its Chinese name (事项类型).
    pub zh: &'static str,
    /// Its terms.
    pub terms: Vec<TermLabels>,
}

/// One term's code and labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermLabels {
    /// The code (`campus_entry`).
    pub code: &'static str,
    /// The Chinese label.
    pub zh: &'static str,
    /// The English label.
    pub en: &'static str,
    /// Other names accepted on input.
    pub aliases: &'static [&'static str],
}

fn vocabulary<T: Term>() -> Vocabulary {
    Vocabulary {
        name: T::VOCABULARY,
        zh: T::VOCABULARY_ZH,
        terms: T::TERMS
            .iter()
            .map(|t| TermLabels {
                code: t.code(),
                zh: t.label_zh(),
                en: t.label_en(),
                aliases: t.aliases(),
            })
            .collect(),
    }
}

/// `text` without the whitespace around it. Most cells and codes have none and are returned
/// after a look at their first and last byte; the others are trimmed as [`str::trim`] does.
pub(crate) fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    let solid = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    if solid(bytes.first()) && solid(bytes.last()) {
        text
    } else {
        text.trim()
    }
}

/// The whole label table, every vocabulary in a fixed order, item fields last: what the
/// bindings hand to Python and the web page (`jianfu.labels()`).
pub fn label_table() -> Vec<Vocabulary> {
    let mut table = vec![
        vocabulary::<Kind>(),
        vocabulary::<IssuerKind>(),
        vocabulary::<Level>(),
        vocabulary::<Target>(),
        vocabulary::<Step>(),
        vocabulary::<ApprovalOutcome>(),
        vocabulary::<BasisType>(),
        vocabulary::<DayType>(),
        vocabulary::<MaterialField>(),
        vocabulary::<Fact>(),
        vocabulary::<Decision>(),
        vocabulary::<Band>(),
        vocabulary::<Rung>(),
        vocabulary::<Scope>(),
        vocabulary::<LintKind>(),
        vocabulary::<Governs>(),
        vocabulary::<UrbanRural>(),
        vocabulary::<Stage>(),
        vocabulary::<Ownership>(),
        vocabulary::<LadderScope>(),
    ];
    table.push(Vocabulary {
        name: "column",
        zh: "表格列",
        terms: COLUMNS
            .iter()
            .map(|&(code, zh, aliases)| TermLabels {
                code,
                zh,
                en: code,
                aliases,
            })
            .collect(),
    });
    table.push(Vocabulary {
        name: "field",
        zh: "事项字段",
        terms: FIELDS
            .iter()
            .map(|&(code, zh, en)| TermLabels {
                code,
                zh,
                en,
                aliases: &[],
            })
            .collect(),
    });
    table
}

/// The columns of the schools and events tables, with their Chinese names and the other
/// headers a sheet may give them (学校编号, 县区, 时长（小时）…). A CSV header may use any of
/// these; the English code is what JSON, Arrow and the output use.
pub const COLUMNS: &[(&str, &str, &[&str])] = &[
    (
        "school_id",
        "学校编号",
        &["学校代码", "学校ID", "学校id", "学校标识码"],
    ),
    ("name", "学校名称", &["校名", "名称", "学校"]),
    (
        "county",
        "县区",
        &["县（区）", "县(区)", "区县", "所属县区", "县市区"],
    ),
    ("urban_rural", "城乡", &["城乡类型", "城乡分类"]),
    ("stage", "学段", &["学校类型", "办学层次"]),
    ("ownership", "办学性质", &["公民办", "公办民办"]),
    (
        "teachers",
        "教师数",
        &["专任教师数", "教师人数", "教职工数"],
    ),
    (
        "sample_point",
        "样本点",
        &["是否样本点", "监测样本点", "定点监测样本点"],
    ),
    ("teacher_id", "教师编号", &["教师ID", "教师id", "教师工号"]),
    ("date", "日期", &["发生日期", "事件日期"]),
    ("kind", "事项类型", &["类型", "负担类型"]),
    (
        "hours",
        "时长（小时）",
        &["时长", "小时", "用时", "时长(小时)", "耗时"],
    ),
    ("issuer", "发文单位类型", &["来源单位类型", "发起单位类型"]),
    ("item_id", "事项编号", &["事项ID", "事项id"]),
    ("decision", "核查结论", &["结论"]),
    ("rule", "规则编号", &["规则"]),
    ("comprehensive", "综合督导", &["是否综合督导"]),
];

/// The column a table header names: its code for a code, a Chinese name or an alias.
pub fn column_code(header: &str) -> Option<&'static str> {
    let header = header.trim();
    COLUMNS
        .iter()
        .find(|(code, zh, aliases)| *code == header || *zh == header || aliases.contains(&header))
        .map(|(code, _, _)| *code)
}

/// Item fields whose values are lists; every leaf not listed here or below is text.
pub(crate) const LIST_FIELDS: &[&str] = &[
    "targets",
    "schools",
    "campus_entry.grades",
    "data_request.fields",
];
/// Item fields whose values are numbers.
pub(crate) const NUMBER_FIELDS: &[&str] = &[
    "hours_per_teacher",
    "secondment.teachers",
    "secondment.days",
];
/// Item fields whose numbers are whole counts.
#[cfg(feature = "arrow")]
pub(crate) const COUNT_FIELDS: &[&str] = &["secondment.teachers", "secondment.days"];
/// Item fields that are flags (and every field under `requirements`).
pub(crate) const FLAG_FIELDS: &[&str] = &[
    "legally_required",
    "major_task",
    "inspection.comprehensive",
    "inspection.scored",
    "inspection.technical",
    "secondment.major_task",
    "secondment.party_filed",
    "duty.students_present",
    "duty.teachers_rostered",
    "duty.higher_level_required",
];

/// Whether the item field at `path` (`duty.students_present`) is a flag.
pub(crate) fn is_flag_field(path: &str) -> bool {
    FLAG_FIELDS.contains(&path) || path.starts_with("requirements.")
}

/// Item fields by path, with their Chinese and English names: how evidence and table headers
/// name a field for a person. `requirements.*` are the [`Fact`] labels.
pub const FIELDS: &[(&str, &str, &str)] = &[
    ("id", "编号", "Id"),
    ("kind", "事项类型", "Kind"),
    ("title", "标题", "Title"),
    ("issuer", "发文单位", "Issuer"),
    ("issuer.name", "发文单位名称", "Issuer name"),
    ("issuer.kind", "发文单位类型", "Issuer kind"),
    ("issuer.level", "发文层级", "Issuer level"),
    ("targets", "面向对象", "Targets"),
    ("schools", "涉及学校", "Schools"),
    ("start", "开始日期", "Start"),
    ("end", "结束日期", "End"),
    ("description", "内容说明", "Description"),
    ("materials", "申报材料", "Materials"),
    ("approvals", "审批记录", "Approvals"),
    ("annual_plan", "年度计划", "Annual plan"),
    ("annual_plan.plan_id", "年度计划编号", "Plan id"),
    ("annual_plan.filed_on", "报备日期", "Filed on"),
    ("annual_plan.filed_with", "报备机关", "Filed with"),
    ("annual_plan.approved_on", "审批日期", "Approved on"),
    ("annual_plan.approved_by", "审批机关", "Approved by"),
    ("requirements", "负担要求", "Requirements"),
    ("legally_required", "依法必需", "Legally required"),
    ("major_task", "重大专项任务", "Major task"),
    (
        "hours_per_teacher",
        "每名教师用时（小时）",
        "Hours per teacher",
    ),
    ("campus_entry", "进校园信息", "Campus entry"),
    ("campus_entry.basis_type", "准入依据", "Basis type"),
    ("campus_entry.whitelist_id", "白名单编号", "Whitelist id"),
    ("campus_entry.grades", "面向年级", "Grades"),
    ("campus_entry.place", "开展地点", "Place"),
    ("inspection", "督查检查信息", "Inspection"),
    ("inspection.comprehensive", "综合督导", "Comprehensive"),
    ("inspection.topic", "检查主题", "Topic"),
    ("inspection.scored", "评分排名", "Scored"),
    ("inspection.notice_on", "通知日期", "Notice on"),
    ("inspection.technical", "资质等级技术考核", "Technical"),
    ("data_request", "报表信息", "Data request"),
    ("data_request.fields", "填报字段", "Fields"),
    ("secondment", "借调信息", "Secondment"),
    ("secondment.teachers", "借调人数", "Teachers"),
    ("secondment.days", "借调天数", "Days"),
    (
        "secondment.major_task",
        "落实重大部署",
        "Secondment for a major deployment",
    ),
    (
        "secondment.approved_by",
        "同意借调的教育部门层级",
        "Consenting education department",
    ),
    ("secondment.party_filed", "已报同级党委备案", "Party filed"),
    ("secondment.extension", "延期", "Extension"),
    ("duty", "值班信息", "Duty"),
    ("duty.day_type", "值班日期类型", "Day type"),
    ("duty.students_present", "学生在校", "Students present"),
    (
        "duty.teachers_rostered",
        "安排专任教师",
        "Teachers rostered",
    ),
    (
        "duty.higher_level_required",
        "上级明确要求",
        "Higher level required",
    ),
    ("register", "事项台账", "Register"),
    ("plan", "年度检查计划", "Inspection plan"),
];

/// The Chinese name of an item field path (`title` → 标题, `materials.reason` → 开展理由,
/// `requirements.install_app` → 下载安装APP, `approvals[1]` → 第2步审批); the path itself
/// when the table does not know it.
pub fn field_zh(path: &str) -> Cow<'static, str> {
    if let Some(&(_, zh, _)) = FIELDS.iter().find(|(p, _, _)| *p == path) {
        return Cow::Borrowed(zh);
    }
    if let Some(material) = path.strip_prefix("materials.") {
        if let Some(m) = MaterialField::parse(material) {
            return Cow::Borrowed(m.zh());
        }
    }
    if let Some(fact) = path.strip_prefix("requirements.") {
        if let Some(f) = Fact::parse(fact) {
            return Cow::Owned(format!("要求{}", f.zh()));
        }
    }
    if let Some(n) = path
        .strip_prefix("approvals[")
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|n| n.parse::<usize>().ok())
    {
        return Cow::Owned(format!("第{}步审批", n + 1));
    }
    Cow::Owned(path.to_string())
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "test harness")]
mod tests {
    use super::*;

    fn codes_serialise_as_themselves<T: Term + Serialize>() {
        for &t in T::TERMS {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.code()), "{}", T::VOCABULARY);
            assert_eq!(T::parse(t.code()).map(Term::code), Some(t.code()));
            assert_eq!(T::parse(t.label_zh()).map(Term::code), Some(t.code()));
            for alias in t.aliases() {
                assert_eq!(T::parse(alias).map(Term::code), Some(t.code()), "{alias}");
            }
        }
    }

    #[test]
    fn every_code_is_its_json_and_every_label_reads_back_as_its_term() {
        codes_serialise_as_themselves::<Kind>();
        codes_serialise_as_themselves::<IssuerKind>();
        codes_serialise_as_themselves::<Level>();
        codes_serialise_as_themselves::<Target>();
        codes_serialise_as_themselves::<Step>();
        codes_serialise_as_themselves::<ApprovalOutcome>();
        codes_serialise_as_themselves::<BasisType>();
        codes_serialise_as_themselves::<DayType>();
        codes_serialise_as_themselves::<MaterialField>();
        codes_serialise_as_themselves::<Fact>();
        codes_serialise_as_themselves::<Decision>();
        codes_serialise_as_themselves::<Band>();
        codes_serialise_as_themselves::<Rung>();
        codes_serialise_as_themselves::<Scope>();
        codes_serialise_as_themselves::<LintKind>();
        codes_serialise_as_themselves::<Governs>();
        codes_serialise_as_themselves::<UrbanRural>();
        codes_serialise_as_themselves::<Stage>();
        codes_serialise_as_themselves::<Ownership>();
        codes_serialise_as_themselves::<LadderScope>();
    }

    #[test]
    fn no_label_or_alias_names_two_terms_of_one_vocabulary() {
        for vocabulary in label_table() {
            let mut seen = std::collections::HashMap::new();
            for term in &vocabulary.terms {
                let names = [term.code, term.zh, term.en].into_iter();
                for name in names.chain(term.aliases.iter().copied()) {
                    if let Some(other) = seen.insert(name, term.code) {
                        assert_eq!(other, term.code, "{}: {name}", vocabulary.name);
                    }
                }
            }
        }
    }

    #[test]
    fn chinese_names_are_read_where_codes_are() {
        let kind: Kind = serde_json::from_str("\"进校园\"").unwrap();
        assert_eq!(kind, Kind::CampusEntry);
        let level: Level = serde_json::from_str("\" 县区 \"").unwrap();
        assert_eq!(level, Level::County);
        let err = serde_json::from_str::<Kind>("\"进城\"").unwrap_err();
        assert!(err.to_string().contains("unknown variant `进城`"), "{err}");
    }

    #[test]
    fn evidence_reads_as_the_field_and_the_words_in_context() {
        use crate::model::{Evidence, Item};
        let item = Item::from_json(
            r#"{"id": "x", "kind": "进校园", "title": "关于组织全体师生下载安装某某APP并每日打卡的通知",
                "issuer": {"name": "某县公安局", "kind": "其他部门", "level": "县级"}}"#,
        )
        .unwrap();
        let found = Evidence {
            field: "title".into(),
            text: Some("下载".into()),
            span: Some([8, 10]),
        };
        assert_eq!(found.describe_zh(None), "标题中的“下载”");
        assert_eq!(
            found.describe_zh(Some(&item)),
            "标题中的“关于组织全体师生【下载】安装某某APP并…”"
        );
        let flag = Evidence::field("requirements.ranking", None);
        assert_eq!(flag.describe_zh(Some(&item)), "要求通报排名");
        let missing = Evidence::field("materials.basis", Some("缺失 missing".to_string()));
        assert_eq!(missing.describe_zh(Some(&item)), "政策依据：缺失 missing");
    }

    #[test]
    fn fields_read_as_chinese() {
        assert_eq!(field_zh("title"), "标题");
        assert_eq!(field_zh("materials.reason"), "开展理由");
        assert_eq!(field_zh("requirements.install_app"), "要求下载安装APP");
        assert_eq!(field_zh("approvals[1]"), "第2步审批");
        assert_eq!(field_zh("nowhere"), "nowhere");
    }
}
