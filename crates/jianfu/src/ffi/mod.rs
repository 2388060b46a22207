//! The transport-neutral edge: JSON text in, JSON values out, errors as data. The CLI and the
//! Python and WASM bindings call these, so every language sees the same shapes.

use serde_json::Value;

use crate::error::{Error, ErrorData, Location};
use crate::model::{Item, Register, parse_json};
use crate::{Engine, Threads, parse_date};

#[cfg(feature = "charts")]
pub use cards::{review_html, scores_html, verdict_html};

mod array;
#[cfg(feature = "charts")]
mod cards;
mod stream;

pub use stream::ItemStream;

/// One record read from an input of many items.
#[derive(Debug, Clone)]
pub struct Record {
    /// 0-based position in the input.
    pub index: usize,
    /// 1-based line the record starts on (JSON Lines, array elements, a pretty-printed object).
    pub line: Option<usize>,
    /// The item, or why it could not be read.
    pub item: Result<Item, Error>,
}

/// Reads items from bytes as [`parse_items`] does, where the bytes need not all be UTF-8: in
/// JSON Lines, a line that is not valid UTF-8 is an error for that line alone and the other
/// lines are read, and so is an element of an array (a file that is one object must be valid
/// UTF-8 as a whole).
pub fn parse_items_bytes(bytes: &[u8], source: &str) -> Vec<Record> {
    if array::opens_array(bytes) {
        return array::records(bytes, source, Threads::ONE);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return parse_items(text, source);
    }
    // A byte-order mark is not part of the first line (nor of its columns).
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, line)| !blank(line))
        .enumerate()
        .map(|(index, (line_index, line))| line_record(line, line_index + 1, index, source))
        .collect()
}

/// Whether an input is JSON Lines, decided on its first non-blank line: a line that opens an
/// object and holds all of it, by its syntax (told without building it; a line whole by its
/// syntax that is no value, such as a number beyond f64, is then a record with its own error).
/// Both readers, the whole-input one and [`ItemStream`], decide so.
fn is_json_lines(line: &[u8]) -> bool {
    let line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
    line.trim_ascii_start().starts_with(b"{")
        && serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok()
}

/// Whether a line holds nothing but whitespace (Unicode whitespace where it is UTF-8), as
/// `str::trim` decides for the text reader: such lines are skipped, not records.
fn blank(line: &[u8]) -> bool {
    std::str::from_utf8(line).map_or(line.trim_ascii().is_empty(), |t| t.trim().is_empty())
}

/// One JSON Lines record from its bytes: an item, or an error naming the line (and the field,
/// or the first byte that is not UTF-8). A line that is not an object is an error.
pub(crate) fn line_record(line: &[u8], line_no: usize, index: usize, source: &str) -> Record {
    match std::str::from_utf8(line) {
        Ok(text) => text_record(text, line_no, index, source),
        Err(e) => Record {
            index,
            line: Some(line_no),
            item: Err(Error::item(
                Location::source(source).line(line_no, Some(e.valid_up_to() + 1)),
                format!(
                    "the line is not valid UTF-8 (bad byte after {} bytes); save the file as UTF-8",
                    e.valid_up_to()
                ),
            )),
        },
    }
}

/// [`line_record`] for a line already known to be UTF-8 (a line of a `&str`): not checked
/// again, which is a tenth of reading an item.
fn text_record(line: &str, line_no: usize, index: usize, source: &str) -> Record {
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
}

/// Reads items from one JSON object, a JSON array, or JSON Lines. A bad record yields an
/// error naming its line (or index) and field; the other records are still read. A leading
/// byte-order mark is ignored.
pub fn parse_items(text: &str, source: &str) -> Vec<Record> {
    parse_items_on(text, source, Threads::ONE)
}

/// [`parse_items`] with JSON Lines parsed on up to `threads` threads; the records are the
/// same, in the same order.
pub fn parse_items_on(text: &str, source: &str, threads: Threads) -> Vec<Record> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        // Element by element, as the stream reads it: a bad element costs itself only.
        return array::records(text.as_bytes(), source, threads);
    }
    // One (possibly pretty-printed) object. Whether the text is one JSON value is told by its
    // syntax, without building it (a `Value` of a first line cost five items' reading).
    if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
        if let Ok(value @ Value::Object(_)) = serde_json::from_str::<Value>(text) {
            // The line the object opens on (after any blank lines).
            let line = 1 + text.len().checked_sub(trimmed.len()).map_or(0, |lead| {
                text.get(..lead).unwrap_or_default().matches('\n').count()
            });
            return vec![Record {
                index: 0,
                line: Some(line),
                // Read again as text for the error, which then names its line and column.
                item: item_from_value(value, source, "")
                    .or_else(|_| parse_json::<Item>(text, source)),
            }];
        }
    }
    // A text opening with `{` whose first line is not a whole value is one pretty-printed
    // object with a mistake in it (a trailing comma, say): one error where the mistake is, not
    // one per line.
    let first = trimmed.lines().next().unwrap_or_default();
    if trimmed.starts_with('{') && !is_json_lines(first.as_bytes()) {
        if let Err(e) = serde_json::from_str::<Value>(text) {
            return vec![Record {
                index: 0,
                line: Some(e.line()),
                item: Err(Error::item(
                    Location::source(source).line(e.line(), Some(e.column())),
                    e.to_string(),
                )),
            }];
        }
    }
    // JSON Lines: blank lines are skipped, every other line is one record.
    let numbered: Vec<(usize, usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .enumerate()
        .map(|(index, (line_index, line))| (index, line_index + 1, line))
        .collect();
    threads.map(&numbered, |&(index, line_no, line)| {
        text_record(line, line_no, index, source)
    })
}

/// An error with the line it was found on, where it has none yet.
pub(crate) fn with_line(error: Error, line: usize) -> Error {
    match error {
        Error::ItemInvalid {
            mut location,
            reason,
        } => {
            location.line = location.line.or(Some(line));
            Error::ItemInvalid { location, reason }
        }
        other => other,
    }
}

pub(crate) fn item_from_value(value: Value, source: &str, prefix: &str) -> Result<Item, Error> {
    if !value.is_object() {
        let first = match &value {
            Value::Array(_) => Some('['),
            Value::String(_) => Some('"'),
            other => other.to_string().chars().next(),
        };
        let location = Location::source(source);
        let location = if prefix.is_empty() {
            location
        } else {
            location.field(prefix)
        };
        return Err(Error::item(location, crate::model::not_an_object(first)));
    }
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
    let (as_of, register) = inputs(as_of, register)?;
    Ok(verdict(engine, &item, as_of, register.as_ref()).to_json())
}

/// The date and optional register every check takes.
fn inputs(
    as_of: &str,
    register: Option<&str>,
) -> Result<(chrono::NaiveDate, Option<Register>), Error> {
    Ok((
        parse_date(as_of)?,
        register.map(Register::from_json).transpose()?,
    ))
}

fn verdict<'e>(
    engine: &'e Engine,
    item: &Item,
    as_of: chrono::NaiveDate,
    register: Option<&Register>,
) -> crate::Verdict<'e> {
    match register {
        Some(register) => engine.check_with(item, as_of, register),
        None => engine.check(item, as_of),
    }
}

/// Each record of a many-item input: its verdict, or why it could not be read.
fn records<'e>(
    engine: &'e Engine,
    items: &str,
    as_of: &str,
    register: Option<&str>,
) -> Result<Vec<Result<crate::Verdict<'e>, Error>>, Error> {
    let (as_of, register) = inputs(as_of, register)?;
    Ok(parse_items(items, "<items>")
        .into_iter()
        .map(|record| {
            record
                .item
                .map(|item| verdict(engine, &item, as_of, register.as_ref()))
        })
        .collect())
}

/// An error as the JSON value `{code, message, location}`.
pub fn error_json(error: &Error) -> Value {
    serde_json::to_value(ErrorData::from(error)).unwrap_or_default()
}

/// Checks many items (a JSON array, one object, or JSON Lines); one JSON value per record, in
/// order: the verdict, or `{"error": {code, message, location}}` for a record that could not
/// be read.
pub fn check_many_json(
    engine: &Engine,
    items: &str,
    as_of: &str,
    register: Option<&str>,
) -> Result<Vec<Value>, Error> {
    Ok(records(engine, items, as_of, register)?
        .into_iter()
        .map(|record| match record {
            Ok(verdict) => verdict.to_json(),
            Err(error) => serde_json::json!({ "error": ErrorData::from(&error) }),
        })
        .collect())
}

/// Checks a sheet of items — a CSV in any encoding, or a workbook's first sheet (feature
/// `xlsx`) — as of `as_of`: one JSON value per row, in order, `{"row", "item", "verdict"}` or
/// `{"row", "error"}` for a row that is no item. A header that names no field is an error.
#[cfg(feature = "tables")]
pub fn check_sheet_json(
    engine: &Engine,
    bytes: Vec<u8>,
    source: &str,
    as_of: &str,
) -> Result<Vec<Value>, Error> {
    let as_of = parse_date(as_of)?;
    let sheet = crate::sheet::Sheet::from_bytes(bytes, source)?;
    Ok(crate::sheet::items(&sheet, source)?
        .into_iter()
        .map(|record| match record.item {
            Ok(item) => {
                let verdict = engine.check(&item, as_of).to_json();
                serde_json::json!({ "row": record.line, "item": item, "verdict": verdict })
            }
            Err(error) => {
                serde_json::json!({ "row": record.line, "error": ErrorData::from(&error) })
            }
        })
        .collect())
}

/// Reviews a draft document; returns the review as JSON.
pub fn review_json(engine: &Engine, text: &str, as_of: &str) -> Result<Value, Error> {
    let as_of = parse_date(as_of)?;
    Ok(serde_json::to_value(engine.review(text, as_of)).unwrap_or_default())
}

/// Checks an annual inspection plan given as JSON; returns the plan report as JSON.
pub fn plan_json(
    engine: &Engine,
    plan: &str,
    as_of: &str,
    register: Option<&str>,
) -> Result<Value, Error> {
    let plan = crate::AnnualPlan::from_json(plan)?;
    let as_of = parse_date(as_of)?;
    let register = register.map(Register::from_json).transpose()?;
    Ok(
        serde_json::to_value(engine.check_plan(&plan, as_of, register.as_ref()))
            .unwrap_or_default(),
    )
}

/// The label table as JSON: for each vocabulary its Chinese name and, by code, each term's
/// Chinese and English labels and aliases (`{"kind": {"zh": "事项类型", "terms":
/// {"campus_entry": {"zh": "进校园活动", "en": "Campus entry", "aliases": ["进校园"]}}}}`).
pub fn labels_json() -> Value {
    let mut table = serde_json::Map::new();
    for vocabulary in crate::model::label_table() {
        let terms: serde_json::Map<String, Value> = vocabulary
            .terms
            .iter()
            .map(|t| {
                let labels = serde_json::json!({"zh": t.zh, "en": t.en, "aliases": t.aliases});
                (t.code.to_string(), labels)
            })
            .collect();
        let entry = serde_json::json!({"zh": vocabulary.zh, "terms": terms});
        table.insert(vocabulary.name.to_string(), entry);
    }
    Value::Object(table)
}

/// Adds, after each coded column of a result row (`band`, `rung`, `stratum`, `kind`,
/// `issuer_kind`, `decision`, `from`, `to`), its Chinese label as `<column>_zh`, so a table
/// shows 问责 beside `accountability`. Rows that are not objects are left as they are.
pub fn label_rows(rows: &mut [Value]) {
    for row in rows {
        let Value::Object(map) = row else { continue };
        let mut labelled = serde_json::Map::with_capacity(map.len() + 2);
        for (key, value) in std::mem::take(map) {
            let label = value.as_str().and_then(|code| column_label(&key, code));
            let label_key = format!("{key}_zh");
            labelled.insert(key, value);
            if let Some(label) = label {
                labelled.insert(label_key, Value::String(label));
            }
        }
        *map = labelled;
    }
}

/// The Chinese label of a code in a result column, when the column is a coded one.
fn column_label(column: &str, code: &str) -> Option<String> {
    use crate::model::{Decision, IssuerKind, Kind, Term};
    use crate::rules::Rung;
    use crate::score::Band;
    let label = match column {
        "band" => Band::parse(code)?.zh(),
        "rung" | "from" | "to" => Rung::parse(code)?.zh(),
        "kind" => Kind::parse(code)?.zh(),
        "issuer_kind" => IssuerKind::parse(code)?.zh(),
        "decision" => Decision::parse(code)?.zh(),
        "stratum" => return Some(crate::score::stratum_zh(code)),
        _ => return None,
    };
    Some(label.to_string())
}

/// Every rule (all dated versions) as JSON.
pub fn rules_json(engine: &Engine) -> Value {
    serde_json::to_value(engine.ruleset().rules()).unwrap_or_default()
}

/// One rule explained: its dated versions, its source document, the parameters it uses with
/// their dated values, and the approval chain it sets, if any.
pub fn explain_json(engine: &Engine, id: &str) -> Result<Value, Error> {
    let ruleset = engine.ruleset();
    let versions = ruleset.rule(id)?;
    let mut names = Vec::new();
    for rule in &versions {
        for clause in &rule.clauses {
            clause.when.parameters(&mut names);
        }
    }
    let parameters: Vec<&crate::rules::Parameter> = names
        .iter()
        .filter_map(|(name, _)| ruleset.parameter(name))
        .collect();
    let document = versions.first().and_then(|r| {
        ruleset
            .documents()
            .iter()
            .find(|d| d.id == r.citation.document)
    });
    let processes: Vec<&crate::rules::Process> = ruleset
        .processes()
        .iter()
        .filter(|p| p.rule == id)
        .collect();
    Ok(serde_json::json!({
        "rule": id,
        "versions": versions,
        "document": document,
        "parameters": parameters,
        "processes": processes,
    }))
}

/// The ruleset linter's findings as JSON.
pub fn lint_json(engine: &Engine) -> Value {
    serde_json::to_value(engine.ruleset().lint()).unwrap_or_default()
}

/// The format of a table given as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// A JSON array of row objects.
    Json,
}

/// Reads schools and events from text. Bad rows come back as errors and the rest are kept; a
/// table whose columns do not match (`table.schema`) is refused.
#[cfg(feature = "tables")]
pub fn read_tables(
    events: &str,
    events_format: TableFormat,
    schools: &str,
    schools_format: TableFormat,
) -> Result<(crate::score::Events, crate::score::Schools, Vec<Error>), Error> {
    use crate::score::read;
    let schools = match schools_format {
        TableFormat::Csv => read::schools_csv(schools, "schools"),
        TableFormat::Json => read::schools_json(schools, "schools"),
    };
    let events = match events_format {
        TableFormat::Csv => read::events_csv(events, "events", &schools.table),
        TableFormat::Json => read::events_json(events, "events", &schools.table),
    };
    let mut errors = schools.errors;
    errors.extend(events.errors);
    read::refuse_schema(&errors)?;
    Ok((events.table, schools.table, errors))
}

/// Scores tables given as text for one period: `{"report": …, "errors": [...]}`.
#[cfg(feature = "tables")]
pub fn score_json(
    engine: &Engine,
    events: &str,
    events_format: TableFormat,
    schools: &str,
    schools_format: TableFormat,
    period: &str,
) -> Result<Value, Error> {
    let (events, schools, errors) = read_tables(events, events_format, schools, schools_format)?;
    let report = engine.score(&events, &schools, period)?;
    Ok(serde_json::json!({ "report": report, "errors": errors_json(&errors) }))
}

/// The monitoring report for tables given as text: `{"report": …, "html": "…", "errors": […]}`.
#[cfg(all(feature = "tables", feature = "charts"))]
pub fn monitor_json(
    engine: &Engine,
    events: &str,
    events_format: TableFormat,
    schools: &str,
    schools_format: TableFormat,
    period: &str,
    title: &str,
) -> Result<Value, Error> {
    let (events, schools, errors) = read_tables(events, events_format, schools, schools_format)?;
    let report = engine.monitor(&events, &schools, period)?;
    let html = crate::score::html::render(&report, title);
    Ok(serde_json::json!({ "report": report, "html": html, "errors": errors_json(&errors) }))
}

/// Errors as a JSON array of `{code, message, location}`.
pub fn errors_json(errors: &[Error]) -> Value {
    Value::Array(errors.iter().map(error_json).collect())
}

/// The non-throwing form of any call: `{"success": true, "data": …}` or
/// `{"success": false, "errors": [{code, message, location}]}`.
pub fn safe(result: Result<Value, Error>) -> Value {
    match result {
        Ok(data) => serde_json::json!({ "success": true, "data": data }),
        Err(error) => serde_json::json!({ "success": false, "errors": [error_json(&error)] }),
    }
}

/// As [`check_json`], but the verdict is serialised straight to JSON text (no intermediate
/// `Value` tree: the fast path for bindings that hand text to their host).
pub fn check_text(
    engine: &Engine,
    item: &str,
    as_of: &str,
    register: Option<&str>,
) -> Result<String, Error> {
    let item = Item::from_json(item)?;
    let (as_of, register) = inputs(as_of, register)?;
    Ok(to_text(&verdict(engine, &item, as_of, register.as_ref())))
}

/// As [`check_many_json`], but returns one JSON array text.
pub fn check_many_text(
    engine: &Engine,
    items: &str,
    as_of: &str,
    register: Option<&str>,
) -> Result<String, Error> {
    let parts: Vec<String> = records(engine, items, as_of, register)?
        .into_iter()
        .map(|record| match record {
            Ok(verdict) => to_text(&verdict),
            Err(error) => to_text(&serde_json::json!({ "error": ErrorData::from(&error) })),
        })
        .collect();
    Ok(format!("[{}]", parts.join(",")))
}

/// As [`review_json`], but returns JSON text.
pub fn review_text(engine: &Engine, text: &str, as_of: &str) -> Result<String, Error> {
    let as_of = parse_date(as_of)?;
    Ok(to_text(&engine.review(text, as_of)))
}

/// Serialises plain data; it cannot fail for these types, and `null` is a safe fallback.
fn to_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}
