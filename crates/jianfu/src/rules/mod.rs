//! Rulesets (规则集): the 减负清单 as data, validated on load.
//!
//! A ruleset is a stack of layers, outermost first (national → Henan → Sanmenxia). Each layer
//! is one TOML file with documents, dated parameters, lexicon words, approval chains and rules.
//! The embedded default holds all three layers; [`Ruleset::from_path`] and
//! [`Ruleset::from_sources`] load others.

pub mod condition;
pub mod format;
mod lint;
mod load;
mod satisfy;

use chrono::NaiveDate;
use serde::Serialize;

pub use condition::{ApprovalState, Condition, ItemFlag, PlanState, RegisterCheck, RegisterTest};
pub use format::{Actor, DayWord, Direction, Document, Governs, Rung, Scope, Unit, Window};
pub use lint::{LintFinding, LintKind};
pub(crate) use load::syntax_error;

use crate::model::{Citation, Decision, Fact, Kind, Level, RulesetInfo, Step, Text};

/// Every embedded layer file, by name.
pub const LAYERS: [(&str, &str); 6] = [
    (
        "national.toml",
        include_str!("../../rulesets/national.toml"),
    ),
    ("henan.toml", include_str!("../../rulesets/henan.toml")),
    (
        "sanmenxia.toml",
        include_str!("../../rulesets/sanmenxia.toml"),
    ),
    ("mianchi.toml", include_str!("../../rulesets/mianchi.toml")),
    (
        "zhengzhou.toml",
        include_str!("../../rulesets/zhengzhou.toml"),
    ),
    ("shaanxi.toml", include_str!("../../rulesets/shaanxi.toml")),
];

/// The embedded default layers, outermost first.
pub const EMBEDDED: [(&str, &str); 3] = [LAYERS[0], LAYERS[1], LAYERS[2]];

/// A jurisdiction (辖区) the embedded layers cover: the stack of layers its rules come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Jurisdiction {
    /// Id used by `--jurisdiction` (`mianchi`).
    pub id: &'static str,
    /// Chinese name.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
    /// Layer file names, outermost first.
    pub layers: &'static [&'static str],
}

/// The embedded jurisdictions; the first is the default. A city elsewhere adopts jianfu by
/// adding a layer file and a row here (or by loading its layers with `--ruleset`).
pub const JURISDICTIONS: [Jurisdiction; 4] = [
    Jurisdiction {
        id: "sanmenxia",
        zh: "河南省三门峡市",
        en: "Sanmenxia, Henan",
        layers: &["national.toml", "henan.toml", "sanmenxia.toml"],
    },
    Jurisdiction {
        id: "mianchi",
        zh: "河南省三门峡市渑池县",
        en: "Mianchi County, Sanmenxia, Henan",
        layers: &[
            "national.toml",
            "henan.toml",
            "sanmenxia.toml",
            "mianchi.toml",
        ],
    },
    Jurisdiction {
        id: "zhengzhou",
        zh: "河南省郑州市",
        en: "Zhengzhou, Henan",
        layers: &["national.toml", "henan.toml", "zhengzhou.toml"],
    },
    Jurisdiction {
        id: "shaanxi",
        zh: "陕西省",
        en: "Shaanxi Province",
        layers: &["national.toml", "shaanxi.toml"],
    },
];

/// The type a parameter's values must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamType {
    /// A number (count, days, months, hours).
    Number,
    /// A month and day of the year (`01-10`).
    MonthDay,
    /// An administrative level (`county`).
    Level,
}

/// A parameter value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A number.
    Number(f64),
    /// Month and day.
    MonthDay {
        /// Month 1–12.
        month: u32,
        /// Day 1–31.
        day: u32,
    },
    /// A level.
    Level(Level),
}

impl Value {
    /// The value's type.
    pub fn kind(&self) -> ParamType {
        match self {
            Value::Number(_) => ParamType::Number,
            Value::MonthDay { .. } => ParamType::MonthDay,
            Value::Level(_) => ParamType::Level,
        }
    }
}

/// One layer of a ruleset.
#[derive(Debug, Clone, Serialize)]
pub struct Layer {
    /// Layer id.
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Version.
    pub version: String,
    /// The file or source it was loaded from.
    pub source: String,
}

/// A parameter with its dated values per layer.
#[derive(Debug, Clone, Serialize)]
pub struct Parameter {
    /// Name.
    pub name: String,
    /// Meaning.
    pub description: Text,
    /// Which way is stricter.
    pub stricter: Direction,
    /// What a length-of-time value counts (days when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// Source of the (outermost) definition.
    pub citation: Citation,
    /// Why this reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Values per defining layer, outermost first: (layer index, [(from, value)]).
    pub values: Vec<(usize, Vec<(NaiveDate, Value)>)>,
    /// Per defining layer (same order), the day its values end, if repealed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repealed: Vec<(usize, NaiveDate)>,
}

impl Parameter {
    /// The value in force on `date`: the innermost layer that has one wins.
    pub fn at(&self, date: NaiveDate) -> Option<Value> {
        self.values
            .iter()
            .rev()
            .filter(|(layer, _)| {
                !self
                    .repealed
                    .iter()
                    .any(|(l, on)| l == layer && *on <= date)
            })
            .find_map(|(_, values)| value_at(values, date))
    }
}

fn value_at(values: &[(NaiveDate, Value)], date: NaiveDate) -> Option<Value> {
    values
        .iter()
        .rev()
        .find(|(from, _)| *from <= date)
        .map(|(_, value)| *value)
}

/// One clause of a rule: a condition and what it decides.
#[derive(Debug, Clone, Serialize)]
pub struct Clause {
    /// When it fires.
    pub when: Condition,
    /// What it decides.
    pub decision: Decision,
    /// What it says.
    pub message: Text,
    /// What to do.
    pub remedy: Text,
    /// It only advises: a person must look; the verdict's decision does not count it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub advisory: bool,
}

/// A validated rule.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Source.
    pub citation: Citation,
    /// Effective window.
    pub effective: Window,
    /// Where it is used.
    pub scope: Scope,
    /// Which date of an item decides whether this version governs it.
    pub governs: Governs,
    /// Kinds it applies to (empty: all).
    pub kinds: Vec<Kind>,
    /// Clauses; the first is the rule's main condition.
    pub clauses: Vec<Clause>,
    /// The general message (for monitoring rules and listings).
    pub message: Text,
    /// The outer-layer rule it replaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overrides: Option<String>,
    /// The ladder rung a breach jumps to at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalation: Option<Rung>,
    /// How sure the source reading is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    /// Why this reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The layer that defines it.
    pub layer: String,
    #[serde(skip)]
    pub(crate) layer_index: usize,
}

impl Rule {
    /// Whether the rule applies to items of `kind`.
    pub fn applies_to(&self, kind: Kind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }

    /// The most severe decision any clause can reach.
    pub fn max_decision(&self) -> Decision {
        self.clauses
            .iter()
            .map(|c| c.decision)
            .max()
            .unwrap_or(Decision::Allowed)
    }
}

/// One lexicon entry: words or a frame for one fact (see the ruleset format).
#[derive(Debug, Clone, Serialize)]
pub struct LexiconGroup {
    /// The fact.
    pub fact: Fact,
    /// A short name (the fact's name unless given).
    pub name: String,
    /// Term groups: one term of each must occur in one sentence (one group for plain words).
    pub frame: Vec<Vec<String>>,
    /// The groups occur in the order listed.
    pub in_order: bool,
    /// Most characters from the first term's start to the last term's end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within: Option<u32>,
    /// Words that cancel the entry in the same clause, or in a condition clause before it.
    pub unless: Vec<String>,
    /// Day types the sentence must name.
    pub on_days: Vec<DayWord>,
    /// A sentence that names no day takes its notice's days (review only).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub notice_days: bool,
    /// The rules a draft breaks by imposing the fact.
    pub review_rules: Vec<String>,
    /// Rules whose finding in the same sentence replaces this entry's (review only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub yields_to: Vec<String>,
}

/// Context words: clause cutting, prohibition, exception and permission wording.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Context {
    /// 不得, 严禁, 禁止 …
    pub negators: Vec<String>,
    /// 不得不, 不得少于 … (contain a negator, do not forbid).
    pub neutral: Vec<String>,
    /// 。；！？ and newline.
    pub sentence_breaks: Vec<String>,
    /// Inner breaks that end a negator's scope.
    pub scope_breaks: Vec<String>,
    /// 并, 同时 …
    pub joiners: Vec<String>,
    /// 要求, 组织 …
    pub imposers: Vec<String>,
    /// 除 …
    pub exception_open: Vec<String>,
    /// 外 …
    pub exception_close: Vec<String>,
    /// 还, 也 … after 除…外.
    pub exception_additive: Vec<String>,
    /// 确需 …
    pub permission_open: Vec<String>,
    /// 审批 …
    pub permission_approval: Vec<String>,
    /// 审批后方可, 可根据需要 …: the whole sentence waits for approval or is left to the
    /// party it names.
    pub permission_after: Vec<String>,
    /// 须报, 须经 …: route a matter to an approver (须报县教体局统筹 permits).
    pub permission_route: Vec<String>,
    /// 教育局, 秘书组 …: the education-side approvers a route names.
    pub permission_approver: Vec<String>,
    /// 已责令纠正 …: a sentence that reports, not imposes.
    pub reporting: Vec<String>,
    /// …的，…期间 …: how a condition clause ends (an `unless` in it governs what follows).
    pub condition_endings: Vec<String>,
    /// 小时, 同时 …: end like a condition clause, state no condition.
    pub condition_except: Vec<String>,
    /// 的 …: states a condition with its consequence inside one clause (不在岗的按旷工处理).
    pub condition_inside: Vec<String>,
    /// 但, 但是 …: a concession's turn.
    pub concession_but: Vec<String>,
    /// 自愿, 不作要求 …: a concession's voluntary words.
    pub concession_voluntary: Vec<String>,
    /// 须达到, 不低于 …: after the turn, the demand is compulsory.
    pub concession_compulsion: Vec<String>,
    /// 通知, 细则 …: how a document's title line ends.
    pub title_endings: Vec<String>,
    /// 请, 各 …: a line that opens so is no title.
    pub title_not_opening: Vec<String>,
    /// 如下 …: how a notice's lead-in sentence ends.
    pub title_lead_ins: Vec<String>,
    /// 存在问题 …: a report's section heading, whose section narrates.
    pub report_headings: Vec<String>,
    /// 学校, 各校 …: who a denial clause says does not do it.
    pub denial_subjects: Vec<String>,
    /// 不, 无需 …: the negation that opens a denial clause.
    pub denial_negators: Vec<String>,
    /// 不得, 不占用 …: open like a denial, deny nothing.
    pub denial_except: Vec<String>,
    /// 机关干部, 护林员 …: bearers other than schools.
    pub bearer_others: Vec<String>,
    /// 学校, 教师 …: school-side bearers.
    pub bearer_schools: Vec<String>,
    /// Quotation mark pairs.
    pub quotes: Vec<[String; 2]>,
    /// Day words with their type.
    pub days: Vec<(DayWord, String)>,
}

/// Facts that make an item also a kind (see the ruleset format's `substance`).
#[derive(Debug, Clone, Serialize)]
pub struct Substance {
    /// Any of these facts…
    pub facts: Vec<Fact>,
    /// …adds this kind…
    pub kind: Kind,
    /// …when this holds too.
    pub when: Option<Condition>,
    /// The source.
    pub citation: Citation,
}

/// An approval chain.
#[derive(Debug, Clone, Serialize)]
pub struct Process {
    /// Kind governed.
    pub kind: Kind,
    /// Steps in order.
    pub steps: Vec<Step>,
    /// Who takes each step.
    pub actors: Vec<Actor>,
    /// The office a plan is filed with, where the process starts with a filing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filing: Option<Actor>,
    /// The rule that sets it.
    pub rule: String,
    /// The rule an act breaks when it runs with no approval on record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unapproved: Option<String>,
}

impl Process {
    /// The body that takes `step`, if the process has that step.
    pub fn actor(&self, step: Step) -> Option<&Actor> {
        let i = self.steps.iter().position(|s| *s == step)?;
        self.actors.get(i)
    }
}

/// A validated ruleset: layers, documents, parameters, lexicon, processes and rules.
#[derive(Debug, Clone)]
pub struct Ruleset {
    pub(crate) info: RulesetInfo,
    pub(crate) layers: Vec<Layer>,
    pub(crate) documents: Vec<Document>,
    pub(crate) parameters: Vec<Parameter>,
    /// Parameters by name, looked up on every check that reads one: a fast hash for short
    /// keys (SipHash was a few hundred instructions a check).
    pub(crate) param_index: rustc_hash::FxHashMap<String, usize>,
    pub(crate) lexicon: Vec<LexiconGroup>,
    pub(crate) context: Context,
    pub(crate) processes: Vec<Process>,
    pub(crate) substance: Vec<Substance>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) sources: Vec<(String, String)>,
}

impl Ruleset {
    /// The embedded default: national → Henan → Sanmenxia.
    pub fn embedded() -> crate::Result<Self> {
        Self::from_sources(&EMBEDDED)
    }

    /// The embedded layers of a jurisdiction (`sanmenxia`, `mianchi`, `zhengzhou`,
    /// `shaanxi`; see [`JURISDICTIONS`]).
    pub fn jurisdiction(id: &str) -> crate::Result<Self> {
        let known = || {
            JURISDICTIONS
                .iter()
                .map(|j| j.id)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let j = JURISDICTIONS.iter().find(|j| j.id == id).ok_or_else(|| {
            crate::Error::UnknownJurisdiction {
                id: id.to_string(),
                known: known(),
            }
        })?;
        let layers: Vec<(&str, &str)> = j
            .layers
            .iter()
            .filter_map(|name| LAYERS.iter().find(|(n, _)| n == name).copied())
            .collect();
        Self::from_sources(&layers)
    }

    /// Loads layers from `(name, toml text)` pairs, outermost first.
    pub fn from_sources<N: AsRef<str>, T: AsRef<str>>(layers: &[(N, T)]) -> crate::Result<Self> {
        load::load(layers)
    }

    /// Loads from a path: a layer file, a manifest file (`layers = [...]`), or a directory
    /// holding `ruleset.toml`.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> crate::Result<Self> {
        load::load_path(path.as_ref())
    }

    /// Id, version and digest.
    pub fn info(&self) -> &RulesetInfo {
        &self.info
    }

    /// The layers, outermost first.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Every rule (all dated versions), in layer order.
    ///
    /// ```
    /// let ruleset = jianfu::Ruleset::embedded()?;
    /// let first = &ruleset.rules()[0];
    /// assert_eq!(first.id, "NAT2018-1");
    /// assert!(!first.citation.document.is_empty()); // every rule cites its source
    /// assert_eq!(ruleset.rule("NAT2018-1")?[0].id, first.id);
    /// assert!(ruleset.rule("NO-SUCH-RULE").is_err());
    /// # Ok::<(), jianfu::Error>(())
    /// ```
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rules with this id (one per dated version).
    pub fn rule(&self, id: &str) -> crate::Result<Vec<&Rule>> {
        let found: Vec<&Rule> = self.rules.iter().filter(|r| r.id == id).collect();
        if found.is_empty() {
            Err(crate::Error::UnknownRule { id: id.to_string() })
        } else {
            Ok(found)
        }
    }

    /// The source documents.
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    /// The parameters.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// A parameter by name.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.param_index
            .get(name)
            .and_then(|&i| self.parameters.get(i))
    }

    /// The lexicon.
    pub fn lexicon(&self) -> &[LexiconGroup] {
        &self.lexicon
    }

    /// The prohibitive-context words.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// Which facts make an item also which kind.
    pub fn substance(&self) -> &[Substance] {
        &self.substance
    }

    /// The approval chains.
    pub fn processes(&self) -> &[Process] {
        &self.processes
    }

    /// The approval chain for a kind, if any.
    pub fn process(&self, kind: Kind) -> Option<&Process> {
        self.processes.iter().find(|p| p.kind == kind)
    }

    /// The layer sources, `(name, text)`, outermost first (used to re-create the ruleset).
    pub fn sources(&self) -> &[(String, String)] {
        &self.sources
    }

    /// Lints the ruleset: loosening layers, unreachable or duplicate rules, uncovered kinds.
    ///
    /// ```
    /// let findings = jianfu::Ruleset::embedded()?.lint();
    /// // The embedded rules only restate (as information) what a higher layer says.
    /// assert!(findings.iter().all(|f| f.kind.as_str() == "restates"));
    /// # Ok::<(), jianfu::Error>(())
    /// ```
    pub fn lint(&self) -> Vec<LintFinding> {
        lint::lint(self)
    }
}
