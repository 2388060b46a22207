//! The verdict (裁决): what jianfu says about an item. Same JSON in every language.

use std::borrow::Cow;

use chrono::NaiveDate;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};

use super::vocab::{MaterialField, Step};

/// The decision of a finding or a verdict, ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 允许 — nothing stands in the way.
    Allowed,
    /// 需审批 — may go ahead once the next approval step is done.
    NeedsApproval,
    /// 材料不全 — materials are missing.
    Incomplete,
    /// 禁止 — may not go ahead in this form.
    Prohibited,
}

impl Decision {
    /// Every decision, least severe first.
    pub const ALL: [Decision; 4] = [
        Decision::Allowed,
        Decision::NeedsApproval,
        Decision::Incomplete,
        Decision::Prohibited,
    ];
}

/// A text in Chinese with English alongside.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Text {
    /// 中文.
    pub zh: String,
    /// English.
    pub en: String,
}

/// Where a rule comes from: document and article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Citation {
    /// The document's id in the ruleset's documents table.
    pub document: String,
    /// The document's title.
    pub title: String,
    /// The article or section.
    pub article: String,
}

/// What in the item made a rule fire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Evidence {
    /// The item field (`title`, `requirements.install_app`, `approvals[1]`, `register`).
    pub field: Cow<'static, str>,
    // Inline up to 24 bytes: a review of 1 MiB finds about 32 k short words, and a heap
    // string each (made on a worker thread, freed on the caller's) cost a fifth of its time.
    /// The matched words, or a short statement of the fact.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub text: Option<CompactString>,
    /// Character span `[start, end)` in the field, counted in Unicode scalar values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<[usize; 2]>,
}

impl Evidence {
    /// The evidence as a person reads it: the field's Chinese name and the words it found, in
    /// their context when the item is given (标题中的“…开展【下载】安装…”). Offsets stay in
    /// the JSON.
    pub fn describe_zh(&self, item: Option<&super::Item>) -> String {
        let field = super::terms::field_zh(&self.field);
        let Some(text) = &self.text else {
            return field.into_owned();
        };
        let Some([start, end]) = self.span else {
            return format!("{field}：{text}");
        };
        match item.and_then(|item| item.text_of(&self.field)) {
            Some(whole) => format!("{field}中的“{}”", in_context(whole, start, end)),
            None => format!("{field}中的“{text}”"),
        }
    }

    /// Evidence that is a whole field, with an optional statement.
    pub fn field(field: impl Into<Cow<'static, str>>, text: Option<String>) -> Self {
        Self {
            field: field.into(),
            text: text.map(CompactString::from),
            span: None,
        }
    }
}

/// Characters shown on each side of the words evidence found.
const CONTEXT_CHARS: usize = 8;

/// `…before【words】after…`: the words at character span `[start, end)` of `whole` with a few
/// characters either side.
fn in_context(whole: &str, start: usize, end: usize) -> String {
    let len = whole.chars().count();
    let end = end.min(len);
    let start = start.min(end);
    let from = start.saturating_sub(CONTEXT_CHARS);
    let to = (end + CONTEXT_CHARS).min(len);
    let mut s = String::new();
    if from > 0 {
        s.push('…');
    }
    for (at, c) in whole.chars().enumerate().take(to).skip(from) {
        if at == start {
            s.push('【');
        }
        s.push(c);
        if at + 1 == end {
            s.push('】');
        }
    }
    if to < len {
        s.push('…');
    }
    s
}

/// One rule that fired, with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Finding<'e> {
    /// The rule's stable id.
    pub rule: &'e str,
    /// What the rule decides.
    pub decision: Decision,
    /// Why, in Chinese and English.
    pub message: &'e Text,
    /// The rule's source.
    pub citation: &'e Citation,
    /// What in the item made it fire.
    pub evidence: Vec<Evidence>,
    /// What to add or change.
    pub remedy: &'e Text,
    /// Other items involved (cross-item rules).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// The version of the rule used, and the item's day it was read on.
    pub version: RuleVersion,
    /// An advisory finding (提示): the documents leave this to a person's judgement. Its
    /// `decision` is what a reviewer may come to; the verdict's decision does not count it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub advisory: bool,
}

/// Which dated version of a rule a finding used (规则版本), and why that one: the rule is read
/// as of one of the item's own dates, not as of the day of the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RuleVersion {
    /// First day of the version.
    pub from: NaiveDate,
    /// First day it no longer holds, if it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// The item's day the version and its parameters were read on.
    pub on: NaiveDate,
    /// Which of the item's dates that day is (`activity`, `notice`, `filing`, `review`).
    pub governs: crate::rules::Governs,
}

/// The ruleset that produced a verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RulesetInfo {
    /// Id, e.g. `henan/sanmenxia`.
    pub id: String,
    /// Version of the innermost layer.
    pub version: String,
    /// SHA-256 over every layer's source text, in order.
    pub digest: String,
}

/// The verdict on one item (DESIGN.md §3).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Verdict<'e> {
    /// The version of this JSON shape (`jianfu::FORMAT_VERSION`).
    pub format_version: u32,
    /// The item's id.
    pub item: String,
    /// The most severe deciding (not advisory) finding's decision, or `allowed`.
    pub decision: Decision,
    /// Every rule that fired, in ruleset order.
    pub findings: Vec<Finding<'e>>,
    /// Material fields that a rule requires and the item lacks.
    pub missing: Vec<MaterialField>,
    /// The next approval step the item needs, or null.
    pub next_step: Option<Step>,
    /// The date the verdict speaks for.
    pub as_of: NaiveDate,
    /// The ruleset that decided.
    pub ruleset: &'e RulesetInfo,
}

impl Verdict<'_> {
    /// The verdict as a JSON value.
    pub fn to_json(&self) -> serde_json::Value {
        // Serialising plain data into a Value cannot fail; an empty object is a safe fallback.
        serde_json::to_value(self).unwrap_or_default()
    }
}
