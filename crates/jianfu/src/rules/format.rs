//! The ruleset file format (TOML), exactly as written on disk. Loading turns it into a
//! validated [`Ruleset`](super::Ruleset).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::condition::Condition;
use crate::model::{Decision, Fact, Kind, Step, Text};

/// One layer file: national, provincial or city.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerFile {
    /// Who the layer speaks for.
    pub layer: LayerHeader,
    /// Source documents cited by this layer's rules.
    #[serde(default)]
    pub documents: Vec<Document>,
    /// Named dated parameters.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Named term lists a lexicon entry can use as `@name` (教师 = 教师, 老师, 班主任 …).
    #[serde(default)]
    pub terms: std::collections::BTreeMap<String, Vec<String>>,
    /// Words that find facts in free text.
    #[serde(default)]
    pub lexicon: Vec<LexiconEntry>,
    /// Words that mark a clause as prohibitive (不得, 严禁 …) and words that end a clause.
    #[serde(default)]
    pub context: Option<ContextWords>,
    /// Ordered approval chains per kind.
    #[serde(default)]
    pub processes: Vec<Process>,
    /// Substance over label: facts that make an item also a given kind.
    #[serde(default)]
    pub substance: Vec<SubstanceDef>,
    /// The rules.
    #[serde(default)]
    pub rules: Vec<RuleDef>,
}

/// The layer's header.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerHeader {
    /// Layer id (`national`, `henan`, `sanmenxia`).
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Version of this layer's data.
    pub version: String,
}

/// A source document (文件).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Key used by citations (`N25`, `S01`).
    pub id: String,
    /// Full title.
    pub title: String,
    /// Issuing body.
    pub issuer: String,
    /// 文号, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Publication date, when known.
    #[serde(
        deserialize_with = "crate::model::date::iso_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<NaiveDate>,
    /// Effective date, when known.
    #[serde(
        deserialize_with = "crate::model::date::iso_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub effective: Option<NaiveDate>,
    /// Repeal date, if repealed.
    #[serde(
        deserialize_with = "crate::model::date::iso_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub repealed: Option<NaiveDate>,
    /// Where it was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// What kind of copy was seen (verbatim-seen, summarised-by-news …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
}

/// A named parameter with dated values (参数).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// Name used by conditions.
    pub name: String,
    /// What it means.
    pub description: Text,
    /// Which way is stricter: `max` (a lower cap is stricter), `min` (a higher floor is
    /// stricter) or `none`. Lint uses it to find loosening layers.
    #[serde(default = "direction_none")]
    pub stricter: Direction,
    /// What a number counts, where it is a length of time: `days`, or `months` (calendar
    /// months: one month from 1 February is 1 March). Numbers without a unit count days.
    #[serde(default)]
    pub unit: Option<Unit>,
    /// Where the value comes from.
    pub citation: CitationRef,
    /// Why this reading was chosen, where sources conflict or are silent.
    #[serde(default)]
    pub note: Option<String>,
    /// Values keyed by the date they take effect; each holds until the next.
    pub values: Vec<DatedValue>,
    /// The day the parameter ends (废止): from then on it has no value in this layer.
    #[serde(deserialize_with = "crate::model::date::iso_opt", default)]
    pub repealed: Option<NaiveDate>,
}

fn direction_none() -> Direction {
    Direction::None
}

/// Which way a parameter is stricter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Lower is stricter (caps).
    Lower,
    /// Higher is stricter (notice periods).
    Higher,
    /// Earlier is stricter (deadlines).
    Earlier,
    /// No order.
    None,
}

/// What a length-of-time parameter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Days.
    Days,
    /// Calendar months.
    Months,
}

impl Unit {
    /// The Chinese word (天 / 个月).
    pub fn zh(self) -> &'static str {
        match self {
            Unit::Days => "天",
            Unit::Months => "个月",
        }
    }
}

/// One dated value of a parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedValue {
    /// First day the value holds.
    #[serde(deserialize_with = "crate::model::date::iso")]
    pub from: NaiveDate,
    /// The value: a number, a month-day (`01-10`) or a level (`county`).
    pub value: RawValue,
}

/// A parameter value as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum RawValue {
    /// An integer.
    Int(i64),
    /// A decimal.
    Float(f64),
    /// A month-day or a level name.
    Text(String),
}

/// A citation as written: document key and article.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitationRef {
    /// Key in the documents table.
    pub document: String,
    /// Article or section.
    pub article: String,
}

/// Words that find one fact: a list of single words, or a frame of term groups that must
/// all occur in one sentence (搭配). A policy officer reads an entry as "this fact is stated
/// when a sentence says one of these, together with one of those, but not with any of those".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconEntry {
    /// The fact the words reveal.
    pub fact: Fact,
    /// A short name for the entry, shown in evidence-free listings (`rules lexicon`).
    #[serde(default)]
    pub name: Option<String>,
    /// Words any one of which states the fact (matched case-insensitively for Latin letters).
    #[serde(default)]
    pub words: Vec<String>,
    /// A frame: one term of every group must occur in one sentence, in any order unless
    /// `in_order` is set. Quoted names (“…”, 《…》) do not break a sentence.
    #[serde(default)]
    pub frame: Vec<Vec<String>>,
    /// The frame's groups must occur in the order listed.
    #[serde(default)]
    pub in_order: bool,
    /// At most this many characters from the start of the first term to the end of the last.
    #[serde(default)]
    pub within: Option<u32>,
    /// Words that cancel the entry when they stand in the same clause (between commas) as
    /// one of its terms (下载 with 模板 is a form, not an APP), or in a condition clause
    /// before it (留校学生较多的，可安排少量教师参与值班: the context's `conditions`).
    #[serde(default)]
    pub unless: Vec<String>,
    /// The sentence must also name a day of one of these types: a day word of the context
    /// (周六, 国庆, 寒假, 考试周 …) or a date the school calendar gives that type.
    #[serde(default)]
    pub on_days: Vec<DayWord>,
    /// In review, a sentence that names no day of its own takes the days its notice's title
    /// or lead-in names (现将寒假值班安排如下：… 二、值班教师按教研组轮流). Needs `on_days`.
    #[serde(default)]
    pub notice_days: bool,
    /// The rule (or rules) a draft document breaks when it imposes this fact.
    #[serde(default)]
    pub review_rule: OneOrMany,
    /// Rules this entry gives way to in review: when one of them is found in the same
    /// sentence, the entry's finding is not reported (a general reading of a burden yields to
    /// the specific rule that names it, so one burden is not reported twice).
    #[serde(default)]
    pub yields_to: Vec<String>,
    /// Why the words were chosen.
    #[serde(default)]
    pub note: Option<String>,
}

/// One rule id or a list of them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// None given.
    #[default]
    None,
    /// One id.
    One(String),
    /// Several ids.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The ids, in order.
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(id) => vec![id],
            OneOrMany::Many(ids) => ids,
        }
    }
}

/// A type of day a text can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayWord {
    /// 周六, 星期日, 双休日 …
    Weekend,
    /// 国庆, 春节, 法定节假日 …
    Holiday,
    /// 寒假, 暑假 …
    Vacation,
    /// 考试周, 期末考试期间 …
    ExamWeek,
}

/// Context words: how clauses are cut and which wording forbids, excepts or permits rather
/// than imposes. Every list is optional in an inner layer and adds to the outer layers'.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextWords {
    /// Words that make what follows in the clause prohibitive (不得, 严禁, 禁止 …).
    #[serde(default)]
    pub negators: Vec<String>,
    /// Words that contain a negator but do not forbid (不得不, 不得少于, 拆除 …).
    #[serde(default)]
    pub neutral: Vec<String>,
    /// Punctuation that ends a sentence (。；！？ and newline).
    #[serde(default)]
    pub sentence_breaks: Vec<String>,
    /// Punctuation that ends a negator's scope inside a sentence (，、 are not included).
    #[serde(default)]
    pub scope_breaks: Vec<String>,
    /// Words that join predicates (并, 同时 …): a joiner followed by an imposing verb starts a
    /// new predicate, outside the previous prohibition.
    #[serde(default)]
    pub joiners: Vec<String>,
    /// Imposing verbs (要求, 组织, 安排 …) that start a predicate after a joiner.
    #[serde(default)]
    pub imposers: Vec<String>,
    /// 除…外: what stands between is an exception or a compliant alternative.
    #[serde(default)]
    pub exception: Option<ExceptionWords>,
    /// Words of a report on what happened (已责令纠正, 存在问题): such a sentence imposes
    /// nothing, whatever burden it describes.
    #[serde(default)]
    pub reporting: Vec<String>,
    /// Condition clauses (…的，…期间，): an entry's `unless` word in one governs the clauses
    /// after it in the sentence, as the condition does (有学生在校期间，学校安排教师值周 is duty
    /// with pupils present).
    #[serde(default)]
    pub conditions: Option<ConditionWords>,
    /// 确需…的，须…审批: a permission with approval, not a burden.
    #[serde(default)]
    pub permission: Option<PermissionWords>,
    /// 自愿…，但…率须达到100%: a concession a quota voids.
    #[serde(default)]
    pub concession: Option<ConcessionWords>,
    /// …由家长自行缴纳，学校不代收、不统计: a later clause that says schools do not do it.
    #[serde(default)]
    pub denial: Option<DenialWords>,
    /// How a document's title line reads; in review a title imposes nothing (关于组织学生
    /// 参加…庆典活动的函 names the demand its body makes). Item titles are still read in `check`.
    #[serde(default)]
    pub titles: Option<TitleWords>,
    /// Who bears a demand (承担主体): a sentence that names only bodies other than schools
    /// (机关干部, 护林员, 各乡镇 …) puts no burden on schools.
    #[serde(default)]
    pub bearer: Option<BearerWords>,
    /// Quotation marks (open, close): a quoted name never breaks a sentence.
    #[serde(default)]
    pub quotes: Vec<[String; 2]>,
    /// Words naming each type of day.
    #[serde(default)]
    pub days: Option<DayWords>,
    /// Where the wording comes from.
    pub citation: CitationRef,
}

/// 除…外 words.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExceptionWords {
    /// 除, 除了.
    pub open: Vec<String>,
    /// 外, 以外, 之外.
    pub close: Vec<String>,
    /// Words right after the close that make it additive (除…外，还要…): no exception.
    #[serde(default)]
    pub additive: Vec<String>,
}

/// Condition clause words (条件从句).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionWords {
    /// 的, 期间, 时 …: how a condition clause ends before its comma.
    pub endings: Vec<String>,
    /// 小时, 同时, 目的 …: words that end like a condition and state none (…的同时， adds a
    /// demand). A clock time (17时，) is no condition either.
    #[serde(default)]
    pub except: Vec<String>,
    /// 的 …: a word that, anywhere in a clause, makes it a condition with its consequence
    /// (不在岗的按旷工处理), so that clause is no denial of the clauses before it. Without such
    /// words no clause is read so.
    #[serde(default)]
    pub inside: Vec<String>,
}

/// 确需…审批 words.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionWords {
    /// 确需, 确有必要 …
    pub open: Vec<String>,
    /// 审批, 报批, 批准 … (later in the same sentence).
    pub approval: Vec<String>,
    /// 审批后方可, 未经审批的一律不 …: the whole sentence waits for an approval, or is left
    /// to whoever it names (学校可根据需要张贴).
    #[serde(default)]
    pub after: Vec<String>,
    /// 须报, 须经 …: routes the matter to an approver; with an `approver` and then an
    /// `approval` word after it in one clause (须报县教体局统筹), that clause states who
    /// approves: from it on, the sentence is a permission with approval, up to a `but` (但).
    #[serde(default)]
    pub route: Vec<String>,
    /// 教育局, 教体局, 秘书组 …: the education side, whose approval the rules require.
    #[serde(default)]
    pub approver: Vec<String>,
}

/// 自愿…，但… words: a `but` word, and after it a compulsion word, void the voluntary words
/// before it (a voluntary word then cancels no term of its clause).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConcessionWords {
    /// 但, 但是 …
    pub but: Vec<String>,
    /// 自愿, 不作要求 … (words that make a demand voluntary).
    pub voluntary: Vec<String>,
    /// 须达到, 不低于, 纳入考核 … (after the `but`: the demand is compulsory after all).
    pub compulsion: Vec<String>,
}

/// Title words (标题): a whole line that ends with one of `endings` (a parenthesised note may
/// follow), holds no clause punctuation or item number, and does not open with one of
/// `not_opening` is a document's title. A title, and a lead-in sentence that ends with one of
/// `lead_ins` (现将寒假值班安排如下：), set the days the items after them speak of: an item that
/// names no day of its own (二、值班教师按教研组轮流) is dated by them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleWords {
    /// 通知, 的函, 细则, 方案 …
    pub endings: Vec<String>,
    /// 请, 各, 要 … (a line that opens so is a demand: 请各校…报送活动方案).
    #[serde(default)]
    pub not_opening: Vec<String>,
    /// 如下 … (how a lead-in sentence ends).
    #[serde(default)]
    pub lead_ins: Vec<String>,
    /// 存在问题, 基本情况 … (a report's section heading: a sentence that opens a line and is one,
    /// after its number, or opens with one and a colon, makes the rest of its line narrate what
    /// happened).
    #[serde(default)]
    pub report_headings: Vec<String>,
}

/// Denial words (否认): in a sentence whose earlier clauses hold no imposing verb, a later
/// clause that opens with a school-side subject (or none) and a plain negation says schools do
/// not do what the clauses before it name (…由镇妇联直接发放，学校不代为发放; …，不列入护考人员
/// 范围). Commands (不得请假), justifications (不占用教学时间), consequences (不再承担教学任务)
/// and conditions (不在岗的按旷工处理) deny nothing. Each of `negators` must be a context negator.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DenialWords {
    /// 学校, 各校, 教师, 按规定 … (who does not do it; the clause may also open with none).
    pub subjects: Vec<String>,
    /// 不, 无需 … (the plain negation that opens the clause after its subject).
    pub negators: Vec<String>,
    /// 不得, 不占用, 不再承担 … (open like a plain negation, deny nothing).
    #[serde(default)]
    pub except: Vec<String>,
}

/// Bearer words (承担主体): a sentence with an `others` word and no `schools` word imposes
/// nothing on schools, teachers, students or parents.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BearerWords {
    /// 机关干部, 护林员, 网格员, 各乡镇 … (bodies the school rules do not protect).
    pub others: Vec<String>,
    /// 学校, 教师, 学生, 家长 … (a school-side party: the sentence may burden it).
    pub schools: Vec<String>,
}

/// Day words by type.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayWords {
    /// 周六, 周日 …
    #[serde(default)]
    pub weekend: Vec<String>,
    /// 国庆, 春节 …
    #[serde(default)]
    pub holiday: Vec<String>,
    /// 寒假, 暑假 …
    #[serde(default)]
    pub vacation: Vec<String>,
    /// 考试周 …
    #[serde(default)]
    pub exam_week: Vec<String>,
}

/// Facts that make an item also a kind, whatever its `kind` label says (实质认定): an APP
/// drive filed as a meeting is still a directive task; 禁毒进校园 is handled as a campus
/// entry (SMX2022-10).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubstanceDef {
    /// Any of these facts (in the text or the requirement flags)…
    pub facts: Vec<Fact>,
    /// …makes the item this kind too, so that kind's rules apply…
    pub kind: Kind,
    /// …when this also holds (an issuer test, say: the education department's own 禁毒
    /// lesson is no campus entry).
    #[serde(default)]
    pub when: Option<Condition>,
    /// The document that says so.
    pub citation: CitationRef,
    /// Why.
    #[serde(default)]
    pub note: Option<String>,
}

/// An ordered approval chain for one kind of item (审批流程).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Process {
    /// The kind it governs.
    pub kind: Kind,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Who takes each step (one per step, same order).
    pub actors: Vec<Actor>,
    /// The office a plan is filed with, for processes that start with a filing (报备).
    #[serde(default)]
    pub filing: Option<Actor>,
    /// The rule that sets the chain.
    pub rule: String,
    /// The rule an act of this kind breaks when it runs with no approval on record (no item
    /// or approval id in monitoring events); its escalation applies to such events.
    #[serde(default)]
    pub unapproved: Option<String>,
}

/// The body that takes a step of a process (审批主体).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Its name in Chinese.
    pub zh: String,
    /// Its name in English.
    pub en: String,
    /// Words one of which an approval's `by` must contain for the step to count
    /// (秘书组, 分管); none: `by` is not checked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

impl Actor {
    /// Whether an approval taken `by` this body counts for the step: a `by` that names
    /// another body does not; an unrecorded `by` is not held against it.
    pub fn accepts(&self, by: Option<&str>) -> bool {
        match by.map(str::trim).filter(|b| !b.is_empty()) {
            Some(by) => self.names.is_empty() || self.names.iter().any(|n| by.contains(n.as_str())),
            None => true,
        }
    }
}

/// A rule as written (规则).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Stable id from the catalogue.
    pub id: String,
    /// Short title.
    pub title: Text,
    /// Document and article.
    pub citation: CitationRef,
    /// Effective window.
    pub effective: Window,
    /// `item` (checked per item), `document` (document review only) or `monitoring`
    /// (used by burden monitoring, never fires on an item).
    #[serde(default = "scope_item")]
    pub scope: Scope,
    /// Which date of the item decides the version in force (`activity` for item rules,
    /// `review` for document rules unless given).
    #[serde(default)]
    pub governs: Option<Governs>,
    /// Kinds it applies to; empty means every kind.
    #[serde(default)]
    pub kinds: Vec<Kind>,
    /// When it fires.
    #[serde(default)]
    pub when: Option<Condition>,
    /// What it decides when it fires.
    #[serde(default)]
    pub decision: Option<Decision>,
    /// What it says.
    pub message: Text,
    /// What to do about it.
    #[serde(default)]
    pub remedy: Option<Text>,
    /// The main clause only advises (提示): where the documents leave the call to a person,
    /// its finding says so and the verdict's decision does not count it.
    #[serde(default)]
    pub advisory: bool,
    /// Further clauses of the same article, each with its own condition and decision.
    #[serde(default)]
    pub clauses: Vec<ClauseDef>,
    /// A rule of an outer layer this rule replaces (a city rule tightening a national one).
    #[serde(default)]
    pub overrides: Option<String>,
    /// The rung of the escalation ladder a confirmed breach of this rule jumps to at once
    /// (a serious case: commercial entry, directive tasks, unapproved campus entry).
    #[serde(default)]
    pub escalation: Option<Rung>,
    /// How sure the source reading is.
    #[serde(default)]
    pub confidence: Option<String>,
    /// Why this reading was chosen.
    #[serde(default)]
    pub note: Option<String>,
}

fn scope_item() -> Scope {
    Scope::Item
}

/// One further clause of a rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseDef {
    /// When it fires.
    pub when: Condition,
    /// What it decides.
    pub decision: Decision,
    /// What it says.
    pub message: Text,
    /// What to do about it.
    pub remedy: Text,
    /// The clause only advises (提示); see [`RuleDef::advisory`].
    #[serde(default)]
    pub advisory: bool,
}

/// A rung of the escalation ladder (预警提醒 → 督导约谈 → 通报问责).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rung {
    /// Not on the ladder (定期反馈 only).
    None,
    /// 预警提醒 — early warning.
    Warning,
    /// 督导约谈 — supervisory interview.
    Interview,
    /// 通报问责 — public notice and accountability.
    Accountability,
}

impl Rung {
    /// One rung up, staying at the top.
    pub fn up(self) -> Rung {
        match self {
            Rung::None => Rung::Warning,
            Rung::Warning => Rung::Interview,
            Rung::Interview | Rung::Accountability => Rung::Accountability,
        }
    }
}

/// Where a rule is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Checked against each item.
    Item,
    /// Used by document review only.
    Document,
    /// Used by burden monitoring; never fires on an item.
    Monitoring,
}

/// The date of an item that decides which rules, and which parameter values, govern it (所规范
///行为的日期): a rule applies to an act by the version in force when the act happens, not when
/// someone checks it. `as_of` only decides what is known by then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Governs {
    /// The activity's days, `start` to `end` (活动日期): the rule applies when it is in force on
    /// any of them, as of the first such day.
    Activity,
    /// The day schools were told of an inspection (通知日期), else the activity's.
    Notice,
    /// The day the annual plan was filed (报备日期), else the activity's.
    Filing,
    /// The day of the check itself (`as_of`): a draft under review speaks from that day.
    Review,
}

/// An effective window `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// First day in force.
    #[serde(deserialize_with = "crate::model::date::iso")]
    pub from: NaiveDate,
    /// First day no longer in force, if it ended.
    #[serde(
        deserialize_with = "crate::model::date::iso_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub to: Option<NaiveDate>,
}

impl Window {
    /// Whether `date` falls in the window.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && self.to.is_none_or(|to| date < to)
    }

    /// The first day of `[first, last]` the window is in force, if any.
    pub fn first_day_within(&self, first: NaiveDate, last: NaiveDate) -> Option<NaiveDate> {
        let day = first.max(self.from);
        (day <= last && self.contains(day)).then_some(day)
    }

    /// Whether two windows share a day.
    pub fn overlaps(&self, other: &Window) -> bool {
        let a_before_b = self.to.is_some_and(|to| to <= other.from);
        let b_before_a = other.to.is_some_and(|to| to <= self.from);
        !(a_before_b || b_before_a)
    }
}
