//! The transport-neutral edge: JSON text in, JSON values out, errors as data. The CLI and the
//! Python and WASM bindings call these, so every language sees the same shapes.

use serde_json::Value;

use crate::error::{Error, ErrorData, Location};
use crate::model::{Item, Register, parse_json};
use crate::{Engine, parse_date};

/// One record read from an input of many items.
#[derive(Debug, Clone)]
pub struct Record {
    /// 0-based position in the input.
    pub index: usize,
    /// 1-based line, for JSON Lines input.
    pub line: Option<usize>,
    /// The item, or why it could not be read.
    pub item: Result<Item, Error>,
}

/// Reads items from one JSON object, a JSON array, or JSON Lines. A bad record yields an
/// error naming its line (or index) and field; the other records are still read.
pub fn parse_items(text: &str, source: &str) -> Vec<Record> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        return match serde_json::from_str::<Vec<Value>>(text) {
            Ok(values) => values
                .into_iter()
                .enumerate()
                .map(|(index, value)| Record {
                    index,
                    line: None,
                    item: item_from_value(value, source, &format!("[{index}]")),
                })
                .collect(),
            Err(e) => vec![Record {
                index: 0,
                line: Some(e.line()),
                item: Err(Error::item(
                    Location::source(source).line(e.line(), Some(e.column())),
                    e.to_string(),
                )),
            }],
        };
    }
    // One (possibly pretty-printed) object.
    if let Ok(value @ Value::Object(_)) = serde_json::from_str::<Value>(text) {
        return vec![Record {
            index: 0,
            line: Some(1),
            item: item_from_value(value, source, ""),
        }];
    }
    // JSON Lines: blank lines are skipped, every other line is one record.
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .enumerate()
        .map(|(index, (line_index, line))| {
            let line_no = line_index + 1;
            let item = parse_json::<Item>(line, source).map_err(|e| match e {
                Error::ItemInvalid {
                    mut location,
                    reason,
                } => {
                    location.line = Some(line_no);
                    Error::ItemInvalid { location, reason }
                }
                other => other,
            });
            Record {
                index,
                line: Some(line_no),
                item,
            }
        })
        .collect()
}

fn item_from_value(value: Value, source: &str, prefix: &str) -> Result<Item, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let reason = e.into_inner().to_string();
        let field = match crate::model::field_path(&path, &reason) {
            Some(field) if prefix.is_empty() => field,
            Some(field) => format!("{prefix}.{field}"),
            None => prefix.to_string(),
        };
        let mut location = Location::source(source);
        if !field.is_empty() {
            location = location.field(field);
        }
        Error::item(location, reason)
    })
}

/// Checks one item given as JSON text; returns the verdict as a JSON value.
pub fn check_json(
    engine: &Engine,
    item: &str,
    as_of: &str,
    register: Option<&str>,
) -> Result<Value, Error> {
    let item = Item::from_json(item)?;
    let as_of = parse_date(as_of)?;
    let register = register.map(Register::from_json).transpose()?;
    let verdict = match &register {
        Some(register) => engine.check_with(&item, as_of, register),
        None => engine.check(&item, as_of),
    };
    Ok(verdict.to_json())
}

/// An error as the JSON value `{code, message, location}`.
pub fn error_json(error: &Error) -> Value {
    serde_json::to_value(ErrorData::from(error)).unwrap_or_default()
}
