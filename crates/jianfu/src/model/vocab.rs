//! The closed vocabularies of the domain (DESIGN.md §2): kinds, issuers, levels, steps, facts.
//!
//! These are the words conditions are written in. The words that *detect* facts in free text
//! are data (the lexicon in the ruleset files); the facts themselves are this fixed list.

use serde::Serialize;

/// What kind of burden an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 督查检查评比考核.
    Inspection,
    /// 进校园.
    CampusEntry,
    /// 报表 / 数据填报.
    DataRequest,
    /// 抽调借用 / 借调.
    Secondment,
    /// 涨粉 / 评比 / 推销 指令性任务.
    DirectiveTask,
    /// 社会事务.
    SocialTask,
    /// 值班值守.
    Duty,
    /// 培训.
    Training,
    /// 会议.
    Meeting,
    /// 发文.
    Document,
    /// 课后服务 — after-school service (NAT2025-6.x).
    #[serde(rename = "after_school_service")]
    AfterSchool,
    /// 承办社会考试 — a school hosting an external exam (NAT2025-6.3).
    ExternalExam,
}

impl Kind {
    /// Every kind, in declaration order.
    pub const ALL: [Kind; 12] = [
        Kind::Inspection,
        Kind::CampusEntry,
        Kind::DataRequest,
        Kind::Secondment,
        Kind::DirectiveTask,
        Kind::SocialTask,
        Kind::Duty,
        Kind::Training,
        Kind::Meeting,
        Kind::Document,
        Kind::AfterSchool,
        Kind::ExternalExam,
    ];

    /// Position in [`Kind::ALL`], for per-kind indexes.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// What kind of body issues an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssuerKind {
    /// 教育部门.
    Education,
    /// 党委.
    PartyCommittee,
    /// 政府.
    Government,
    /// 其他部门 (公安, 司法, 卫健 …).
    OtherDepartment,
    /// 群团组织 (团委, 妇联 …).
    MassOrganization,
    /// 企业.
    Enterprise,
    /// 社会组织.
    SocialOrganization,
}

impl IssuerKind {
    /// Every issuer kind, in declaration order.
    pub const ALL: [IssuerKind; 7] = [
        IssuerKind::Education,
        IssuerKind::PartyCommittee,
        IssuerKind::Government,
        IssuerKind::OtherDepartment,
        IssuerKind::MassOrganization,
        IssuerKind::Enterprise,
        IssuerKind::SocialOrganization,
    ];

    /// Position in [`IssuerKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Administrative level, from the top down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 国家.
    National,
    /// 省.
    Provincial,
    /// 市.
    City,
    /// 县.
    County,
    /// 乡镇.
    Township,
    /// 学校.
    School,
}

impl Level {
    /// Height in the hierarchy: national is highest.
    pub fn height(self) -> u8 {
        match self {
            Level::National => 5,
            Level::Provincial => 4,
            Level::City => 3,
            Level::County => 2,
            Level::Township => 1,
            Level::School => 0,
        }
    }

    /// Whether `self` is at `other`'s level or above it.
    pub fn at_least(self, other: Level) -> bool {
        self.height() >= other.height()
    }
}

/// Whom an item reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// 学校.
    Schools,
    /// 教师.
    Teachers,
    /// 学生.
    Students,
    /// 家长.
    Parents,
}

/// A step of an approval process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 秘书组初核.
    SecretariatReview,
    /// 分管领导审核.
    LeaderReview,
    /// 组长审签.
    GroupHeadSignoff,
    /// 党委审批 (annual plan, off-plan items one by one).
    PartyCommitteeApproval,
    /// 教育部门同意 (secondment).
    EducationConsent,
    /// 报同级党委审批备案 (secondment).
    PartyCommitteeFiling,
}

/// The outcome of an approval step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalOutcome {
    /// 同意.
    Approved,
    /// 不同意.
    Rejected,
    /// 退回修改.
    Returned,
}

/// Which admission criterion backs a campus entry (HEN24-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BasisType {
    /// Required by law or by central/provincial/municipal documents.
    LawOrDocument,
    /// Deployed by national ministries jointly with MoE.
    MinistryJoint,
    /// A Party/government-wide campaign that truly needs schools.
    PartyCampaign,
    /// None of the above.
    None,
}

/// What kind of day a duty falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayType {
    /// 上课日.
    SchoolDay,
    /// 周末.
    Weekend,
    /// 法定节假日.
    Holiday,
    /// 寒暑假.
    Vacation,
}

/// A material field a rule can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialField {
    /// 事由.
    Reason,
    /// 依据.
    Basis,
    /// 工作方案.
    WorkPlan,
    /// 预期效果.
    ExpectedEffect,
    /// 主办方.
    Organiser,
    /// 参加人员.
    Participants,
    /// 内容.
    Content,
}

/// A fact about an item, stated as a structured field or found in its text by the lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// 下载/安装 APP.
    InstallApp,
    /// 关注公众号.
    FollowAccount,
    /// 投票/点赞/涨粉.
    VoteOrLike,
    /// 推销/摊派购买.
    SalesQuota,
    /// 商业广告/商业推广.
    CommercialPromotion,
    /// 打卡/留痕.
    CheckInTrace,
    /// 一票否决.
    OneVoteVeto,
    /// 责任状.
    ResponsibilityLetter,
    /// 排名/积分排名.
    Ranking,
    /// 上传照片/视频/定位轨迹.
    PhotoUpload,
    /// 以留痕/台账/发文开会作为评价依据.
    TraceAsBasis,
    /// 巡河护林.
    RiverForestPatrol,
    /// 上街执勤/交通执勤.
    StreetDuty,
    /// 创城/创卫/创文.
    CityCampaign,
    /// 汇演/展览.
    ShowExhibition,
    /// 庆典/招商/拆迁.
    CeremonyInvestmentDemolition,
    /// 爱心捐助/慈善募捐.
    CharityDonation,
    /// 工作专班/跟班学习/交流锻炼 (disguised secondment).
    DisguisedSecondment,
    /// 调研/评估/指导/监测 (labels that can disguise an inspection).
    DisguisedInspection,
    /// 达标活动.
    ComplianceCampaign,
    /// 创建示范.
    ModelCreation,
    /// 与考核/评优挂钩.
    LinkedToAppraisal,
    /// 停课/占用上课时间.
    DisruptsTeaching,
    /// 无关值守.
    WatchDuty,
    /// 扫黑除恶/禁毒/反电诈/普法 … 进校园 (controlled social affairs entering campus).
    CampusCampaign,
    /// 抽调/借调/借用教师 (plain secondment).
    TeacherSecondment,
    /// 休息日、节假日、寒暑假或考试周培训教师.
    RestDayTraining,
    /// 与教育教学无关的培训 (fire safety, tax … for all teachers).
    NonTeachingTraining,
    /// 休息日、节假日或考试周要求教师参会.
    RestDayMeeting,
    /// 要求教师参加无关会议、视频会.
    UnrelatedMeeting,
    /// 周末、节假日、寒暑假安排教师值班.
    RestDayDuty,
    /// 重复填报已报送的数据.
    DuplicateData,
    /// 以调研、评估、指导、监测之名打分排名.
    ScoredVisit,
}

impl Fact {
    /// Every fact, in declaration order (its bit position).
    pub const ALL: [Fact; 33] = [
        Fact::InstallApp,
        Fact::FollowAccount,
        Fact::VoteOrLike,
        Fact::SalesQuota,
        Fact::CommercialPromotion,
        Fact::CheckInTrace,
        Fact::OneVoteVeto,
        Fact::ResponsibilityLetter,
        Fact::Ranking,
        Fact::PhotoUpload,
        Fact::TraceAsBasis,
        Fact::RiverForestPatrol,
        Fact::StreetDuty,
        Fact::CityCampaign,
        Fact::ShowExhibition,
        Fact::CeremonyInvestmentDemolition,
        Fact::CharityDonation,
        Fact::DisguisedSecondment,
        Fact::DisguisedInspection,
        Fact::ComplianceCampaign,
        Fact::ModelCreation,
        Fact::LinkedToAppraisal,
        Fact::DisruptsTeaching,
        Fact::WatchDuty,
        Fact::CampusCampaign,
        Fact::TeacherSecondment,
        Fact::RestDayTraining,
        Fact::NonTeachingTraining,
        Fact::RestDayMeeting,
        Fact::UnrelatedMeeting,
        Fact::RestDayDuty,
        Fact::DuplicateData,
        Fact::ScoredVisit,
    ];

    /// The bit of this fact in a [`FactSet`](crate::text::FactSet).
    pub fn bit(self) -> u64 {
        1u64 << (self as u32)
    }

    /// The `requirements` field that states this fact, if there is one.
    pub fn requirement_field(self) -> Option<&'static str> {
        Some(match self {
            Fact::InstallApp => "requirements.install_app",
            Fact::FollowAccount => "requirements.follow_account",
            Fact::VoteOrLike => "requirements.vote_or_like",
            Fact::SalesQuota => "requirements.sales_quota",
            Fact::CommercialPromotion => "requirements.commercial_promotion",
            Fact::CheckInTrace => "requirements.check_in_trace",
            Fact::OneVoteVeto => "requirements.one_vote_veto",
            Fact::ResponsibilityLetter => "requirements.responsibility_letter",
            Fact::Ranking => "requirements.ranking",
            Fact::PhotoUpload => "requirements.photo_upload",
            _ => return None,
        })
    }
}

impl super::item::Requirements {
    /// Each structured flag with the fact it states.
    fn flags(&self) -> [(Fact, bool); 10] {
        [
            (Fact::InstallApp, self.install_app),
            (Fact::FollowAccount, self.follow_account),
            (Fact::VoteOrLike, self.vote_or_like),
            (Fact::SalesQuota, self.sales_quota),
            (Fact::CommercialPromotion, self.commercial_promotion),
            (Fact::CheckInTrace, self.check_in_trace),
            (Fact::OneVoteVeto, self.one_vote_veto),
            (Fact::ResponsibilityLetter, self.responsibility_letter),
            (Fact::Ranking, self.ranking),
            (Fact::PhotoUpload, self.photo_upload),
        ]
    }

    /// Whether the structured flags state `fact`.
    pub fn states(&self, fact: Fact) -> bool {
        self.flags().iter().any(|&(f, on)| on && f == fact)
    }

    /// The facts the structured flags state.
    pub(crate) fn stated(&self) -> crate::text::FactSet {
        let mut set = crate::text::FactSet::default();
        for (fact, on) in self.flags() {
            if on {
                set.insert(fact);
            }
        }
        set
    }
}
