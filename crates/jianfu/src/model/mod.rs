//! The domain model: items, registers, annual plans, verdicts and the vocabularies they use.

mod item;
mod register;
mod verdict;
mod vocab;

pub use item::{
    Approval, CampusEntry, DataRequest, Duty, Extension, Inspection, Issuer, Item, Materials,
    PlanRef, Requirements, Secondment,
};
pub use register::{AnnualPlan, DataHolding, PlanEntry, Register, ScopeLimits, WhitelistEntry};
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
    // The fast path; field paths are tracked only when it fails.
    if let Ok(value) = serde_json::from_str(json) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(json);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let value = parsed.map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let mut location = Location::source(source).line(inner.line(), Some(inner.column()));
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

/// The path of the field an error is about. serde reports a missing field at its parent's
/// path, naming it only in the message, so the name is appended here.
pub(crate) fn field_path(path: &str, message: &str) -> Option<String> {
    let missing = message
        .strip_prefix("missing field `")
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
