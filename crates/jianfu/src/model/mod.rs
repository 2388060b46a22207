//! The domain model: items, registers, annual plans, verdicts and the vocabularies they use.

pub mod date;
mod item;
mod register;
pub mod terms;
mod verdict;
mod vocab;

pub use item::{
    Approval, CampusEntry, DataRequest, Duty, Extension, Inspection, Issuer, Item, Materials,
    PlanRef, Requirements, Secondment,
};
pub use register::{AnnualPlan, DataHolding, PlanEntry, Register, ScopeLimits, WhitelistEntry};
pub use terms::{Term, field_zh, label_table};
pub use verdict::{Citation, Decision, Evidence, Finding, RuleVersion, RulesetInfo, Text, Verdict};
pub use vocab::{
    ApprovalOutcome, BasisType, DayType, Fact, IssuerKind, Kind, Level, MaterialField, Step, Target,
};

use crate::error::{Error, Location};

/// Parses JSON into `T`, naming the source, line, column and field path on error.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    json: &str,
    source: &str,
) -> crate::Result<T> {
    // serde reads a struct from an array too (fields by position); the contract's records
    // are objects, so anything else is refused before it can read as one.
    let body = json.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if !body.starts_with('{') {
        return Err(Error::item(
            Location::source(source),
            not_an_object(body.chars().next()),
        ));
    }
    // The fast path; field paths are tracked only when it fails.
    if let Ok(value) = serde_json::from_str(json) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(json);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let value = parsed.map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let mut location = Location::source(source);
        // Errors raised after a record is read (a span check) carry no position.
        if inner.line() > 0 {
            location = location.line(inner.line(), Some(inner.column()));
        }
        if let Some(field) = field_path(&path, &inner.to_string()) {
            location = location.field(field);
        }
        Error::item(location, strip_position(&inner.to_string()))
    })?;
    de.end().map_err(|e| {
        Error::item(
            Location::source(source).line(e.line(), Some(e.column())),
            strip_position(&e.to_string()),
        )
    })?;
    Ok(value)
}

/// The message for a record that is not a JSON object, naming what it starts with.
pub(crate) fn not_an_object(first: Option<char>) -> String {
    let found = match first {
        None => "nothing".to_string(),
        Some('[') => "an array".to_string(),
        Some('"') => "a string".to_string(),
        Some(c) => format!("`{c}…`"),
    };
    format!("expected a JSON object {{…}}, found {found}")
}

/// The path of the field an error is about. serde reports a missing field at its parent's
/// path, naming it only in the message, so the name is appended here.
pub(crate) fn field_path(path: &str, message: &str) -> Option<String> {
    // "missing field `x`" (serde) and "`x` …" (the span checks) name a field of `path`.
    let missing = message
        .strip_prefix("missing field `")
        .or_else(|| message.strip_prefix('`'))
        .and_then(|rest| rest.split('`').next());
    match (path, missing) {
        (".", None) => None,
        (".", Some(name)) => Some(name.to_string()),
        (path, Some(name)) => Some(format!("{path}.{name}")),
        (path, None) => Some(path.to_string()),
    }
}

/// serde_json appends " at line L column C"; the location already says that.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message.get(..at).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}
