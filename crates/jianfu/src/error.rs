//! The one error type of jianfu (错误).
//!
//! Every variant has a stable [`Error::code`] that bindings expose (Python exception classes,
//! JS `error.code`), and a message that says what went wrong and where: file, line, field or
//! rule id. Messages are lowercase, quote user input in backticks and never name Rust types.

use serde::Serialize;

/// Where in the input an error was found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file or source name (`national.toml`, `items.jsonl`, `<input>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The field path (`approvals[1].on`, `rules[NAT2025-3.2].when`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The rule id the error concerns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

impl Location {
    /// A location in a named source.
    pub fn source(source: impl Into<String>) -> Self {
        Self {
            source: Some(source.into()),
            ..Self::default()
        }
    }

    /// The same location with a field path.
    #[must_use]
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The same location with a rule id.
    #[must_use]
    pub fn rule(mut self, rule: impl Into<String>) -> Self {
        self.rule = Some(rule.into());
        self
    }

    /// The same location with a line (and column).
    #[must_use]
    pub fn line(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(source) = &self.source {
            parts.push(source.clone());
        }
        if let Some(line) = self.line {
            match self.column {
                Some(column) => parts.push(format!("line {line}, column {column}")),
                None => parts.push(format!("line {line}")),
            }
        }
        if let Some(rule) = &self.rule {
            parts.push(format!("rule `{rule}`"));
        }
        if let Some(field) = &self.field {
            parts.push(format!("field `{field}`"));
        }
        if parts.is_empty() {
            f.write_str("<input>")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// Every failure jianfu reports. Each variant has a stable code (see [`Error::code`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A ruleset file is not valid TOML or does not match the ruleset format.
    #[error("{location}: ruleset syntax: {reason}")]
    RulesetSyntax {
        /// Where.
        location: Box<Location>,
        /// Why.
        reason: String,
    },
    /// A ruleset parses but breaks a consistency rule (duplicate id, dangling reference,
    /// overlapping dated versions, bad date window).
    #[error("{location}: invalid ruleset: {reason}")]
    RulesetInvalid {
        /// Where.
        location: Box<Location>,
        /// Why.
        reason: String,
    },
    /// An item (or register, or annual plan) is not valid JSON or does not match the contract.
    #[error("{location}: invalid item: {reason}")]
    ItemInvalid {
        /// Where.
        location: Box<Location>,
        /// Why.
        reason: String,
    },
    /// A row of a table (schools, events) is malformed; the other rows are still read.
    #[error("{location}: invalid row: {reason}")]
    RowInvalid {
        /// Where: file, line, column and column name.
        location: Box<Location>,
        /// Why.
        reason: String,
    },
    /// A table's columns do not match what it takes (a required column missing, or a column
    /// it does not know): no row of it can be read right, so the whole table is refused.
    #[error("{location}: 表头不符 columns do not match: {reason}")]
    TableSchema {
        /// Where: the table (file) and the first column concerned.
        location: Box<Location>,
        /// Every missing and every unexpected column, and the columns the table takes.
        reason: String,
    },
    /// A date argument is not an ISO `YYYY-MM-DD` date.
    #[error("invalid date `{input}`: expected YYYY-MM-DD")]
    DateInvalid {
        /// The text given.
        input: String,
    },
    /// A rule id that the ruleset does not contain.
    #[error("unknown rule `{id}`")]
    UnknownRule {
        /// The id asked for.
        id: String,
    },
    /// A period id that the calendar does not have.
    #[error(
        "校历 `{calendar}` 中没有监测期 `{id}`（现有 {first} 至 {last}）。新增学年：在校历文件中补充该学年的 [[semesters]]、[[holidays]]、[[workdays]]，用 --calendar 载入 / unknown period `{id}` in calendar `{calendar}` (it covers {first} to {last}); to add a school year, add its [[semesters]], [[holidays]] and [[workdays]] to a calendar file and load it with --calendar"
    )]
    UnknownPeriod {
        /// The id asked for.
        id: String,
        /// The calendar's id.
        calendar: String,
        /// The calendar's first period.
        first: String,
        /// The calendar's last period.
        last: String,
    },
    /// An option given to a call has a value it does not take.
    #[error("{name}: `{value}` is not allowed (expected {expected})")]
    InvalidArgument {
        /// The option.
        name: String,
        /// The value given.
        value: String,
        /// The values it takes.
        expected: String,
    },
    /// Scoring partials that do not combine (another period, weights or format; a school
    /// whose row differs) or a sum beyond the range sums are kept exact in.
    #[error("部分汇总无法合并 partial aggregates do not combine: {reason}")]
    PartialInvalid {
        /// Why.
        reason: String,
    },
    /// A jurisdiction the embedded rulesets do not have.
    #[error("没有内置的辖区 `{id}`（可选：{known}）/ unknown jurisdiction `{id}` (known: {known})")]
    UnknownJurisdiction {
        /// The id asked for.
        id: String,
        /// The ids that exist, comma-separated.
        known: String,
    },
    /// Reading or writing a file or stream failed (the reason says which: `cannot read: …`,
    /// `cannot write: …`).
    #[error("{path}: {reason}")]
    Io {
        /// The path (or `<stdout>`, `-` for stdin).
        path: String,
        /// What failed and the operating system's reason.
        reason: String,
    },
}

impl Error {
    /// The stable, machine-readable code of this error (`ruleset.syntax`, `item.invalid`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Self::RulesetSyntax { .. } => "ruleset.syntax",
            Self::RulesetInvalid { .. } => "ruleset.invalid",
            Self::ItemInvalid { .. } => "item.invalid",
            Self::RowInvalid { .. } => "row.invalid",
            Self::TableSchema { .. } => "table.schema",
            Self::DateInvalid { .. } => "date.invalid",
            Self::UnknownRule { .. } => "rule.unknown",
            Self::UnknownPeriod { .. } => "period.unknown",
            Self::UnknownJurisdiction { .. } => "jurisdiction.unknown",
            Self::InvalidArgument { .. } => "argument.invalid",
            Self::PartialInvalid { .. } => "partial.invalid",
            Self::Io { .. } => "io",
        }
    }

    /// Where the error was found, when it concerns a location in the input.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Self::RulesetSyntax { location, .. }
            | Self::RulesetInvalid { location, .. }
            | Self::ItemInvalid { location, .. }
            | Self::RowInvalid { location, .. }
            | Self::TableSchema { location, .. } => Some(location.as_ref()),
            _ => None,
        }
    }

    /// An `io` error: reading `path` failed.
    pub fn read_failed(path: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        Self::Io {
            path: path.into(),
            reason: format!("cannot read: {reason}"),
        }
    }

    /// An `io` error: writing `path` failed.
    pub fn write_failed(path: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        Self::Io {
            path: path.into(),
            reason: format!("cannot write: {reason}"),
        }
    }

    /// An `item.invalid` error at `location`.
    pub fn item(location: Location, reason: impl Into<String>) -> Self {
        Self::ItemInvalid {
            location: Box::new(location),
            reason: reason.into(),
        }
    }

    /// A `row.invalid` error at `location`.
    pub fn row(location: Location, reason: impl Into<String>) -> Self {
        Self::RowInvalid {
            location: Box::new(location),
            reason: reason.into(),
        }
    }

    /// A `table.schema` error: the columns of the table at `source` against those it takes.
    /// `None` when nothing is missing or unexpected.
    pub fn table_schema(
        source: &str,
        columns: &[&str],
        known: &[&str],
        required: &[&str],
    ) -> Option<Self> {
        let unexpected: Vec<&str> = columns
            .iter()
            .map(|c| c.trim())
            .filter(|c| !known.contains(c))
            .collect();
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|r| !columns.iter().any(|c| c.trim() == *r))
            .collect();
        let first = missing.first().or(unexpected.first())?;
        let list = |names: &[&str]| {
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("缺少 missing {}", list(&missing)));
        }
        if !unexpected.is_empty() {
            parts.push(format!("多出 unexpected {}", list(&unexpected)));
        }
        parts.push(format!("the table takes {}", known.join(", ")));
        Some(Self::TableSchema {
            location: Box::new(Location::source(source).field((*first).to_string())),
            reason: parts.join("; "),
        })
    }

    /// A `table.schema` error for a file of a dataset whose columns differ from those of the
    /// dataset's first file (names and types, as `name type, …`).
    pub fn table_schema_mismatch(source: &str, first: &str, this: &str) -> Self {
        Self::TableSchema {
            location: Box::new(Location::source(source)),
            reason: format!(
                "其列与同一目录的第一个文件不同 the columns differ from the folder's first file: {this} against {first}"
            ),
        }
    }

    /// Whether this error refuses a whole table (see [`Error::TableSchema`]).
    pub fn is_table_schema(&self) -> bool {
        matches!(self, Self::TableSchema { .. })
    }

    pub(crate) fn invalid(location: Location, reason: impl Into<String>) -> Self {
        Self::RulesetInvalid {
            location: Box::new(location),
            reason: reason.into(),
        }
    }
}

/// The error as data, for the FFI edge and `--format json`: `{code, message, location}`.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorData {
    /// Stable code.
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
    /// Where, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl From<&Error> for ErrorData {
    fn from(error: &Error) -> Self {
        Self {
            code: error.code(),
            message: error.to_string(),
            location: match error {
                // The file is the place.
                Error::Io { path, .. } => Some(Location::source(path.as_str())),
                // Every date argument is the as-of date (`--as-of`, `as_of`, `asOf`).
                Error::DateInvalid { .. } => Some(Location::default().field("as_of")),
                _ => error.location().cloned(),
            },
        }
    }
}

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
