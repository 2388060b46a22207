//! Events (负担事件) from Arrow columns into the core's [`Events`], row by row through
//! [`Events::push`] with no Python object per row. Column types are cast to what the core
//! reads (strings, `date32`, `float64`, `bool`); a bad row becomes a `row.invalid` error
//! naming its row and column, and every other row is kept, as the core's CSV reader does.

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int32Type};
use arrow_array::{Array, ArrayRef, BooleanArray, RecordBatch, StringArray};
use arrow_cast::{CastOptions, cast_with_options};
use arrow_schema::{ArrowError, DataType, Schema};
use chrono::NaiveDate;
use jianfu::score::{EventRef, Events, Schools};
use jianfu::{Error, Location};

use jianfu::score::read::{EVENT_COLUMNS as COLUMNS, EVENT_REQUIRED as REQUIRED};

/// Days from 0001-01-01 (chrono's CE day numbers) to 1970-01-01 (Arrow's `date32` origin).
const EPOCH_CE: i32 = 719_163;

/// An enum column (kind, issuer, decision), dictionary-encoded so that each distinct text is
/// parsed once: per row, the parsed value (`None` for null or blank) or the text that failed.
struct EnumColumn<T> {
    keys: Option<arrow_array::PrimitiveArray<Int32Type>>,
    values: Vec<Result<Option<T>, String>>,
}

impl<T: Copy + std::str::FromStr> EnumColumn<T> {
    fn new(batch: &RecordBatch, name: &str) -> Result<Self, ArrowError> {
        let to = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
        let Some(column) = cast(batch, name, &to)? else {
            return Ok(Self {
                keys: None,
                values: Vec::new(),
            });
        };
        let dictionary = column.as_dictionary::<Int32Type>();
        let texts = dictionary.values().as_string::<i32>();
        let values = (0..texts.len())
            .map(|i| {
                let text = if texts.is_valid(i) {
                    texts.value(i)
                } else {
                    ""
                };
                if text.trim().is_empty() {
                    Ok(None)
                } else {
                    text.parse().map(Some).map_err(|_| text.to_owned())
                }
            })
            .collect();
        Ok(Self {
            keys: Some(dictionary.keys().clone()),
            values,
        })
    }

    /// Row `i`: `None` when absent, null or blank; the failing text on error.
    fn get(&self, i: usize) -> Result<Option<T>, &str> {
        let Some(keys) = self.keys.as_ref().filter(|k| k.is_valid(i)) else {
            return Ok(None);
        };
        let key = usize::try_from(keys.value(i)).unwrap_or(usize::MAX);
        match self.values.get(key) {
            Some(Ok(value)) => Ok(*value),
            Some(Err(text)) => Err(text),
            None => Ok(None),
        }
    }
}

/// The columns of one batch, cast to the types read.
struct Columns {
    school: StringArray,
    teacher: Option<StringArray>,
    date: arrow_array::PrimitiveArray<Date32Type>,
    /// The date column as text, to quote a date that does not parse.
    date_text: Option<StringArray>,
    kind: EnumColumn<jianfu::Kind>,
    hours: arrow_array::PrimitiveArray<Float64Type>,
    issuer: EnumColumn<jianfu::model::IssuerKind>,
    item: Option<StringArray>,
    decision: EnumColumn<jianfu::Decision>,
    rule: Option<StringArray>,
    comprehensive: Option<BooleanArray>,
}

fn cast(batch: &RecordBatch, name: &str, to: &DataType) -> Result<Option<ArrayRef>, ArrowError> {
    let options = CastOptions {
        safe: true,
        ..CastOptions::default()
    };
    batch
        .column_by_name(name)
        .map(|column| cast_with_options(column, to, &options))
        .transpose()
}

fn strings(batch: &RecordBatch, name: &str) -> Result<Option<StringArray>, ArrowError> {
    Ok(cast(batch, name, &DataType::Utf8)?.map(|a| a.as_string::<i32>().clone()))
}

fn required<T>(value: Option<T>, name: &str) -> Result<T, ArrowError> {
    value.ok_or_else(|| ArrowError::SchemaError(format!("missing column `{name}`")))
}

impl Columns {
    fn new(batch: &RecordBatch) -> Result<Self, ArrowError> {
        let date = required(cast(batch, "date", &DataType::Date32)?, "date")?;
        let date_text = match batch.column_by_name("date").map(|c| c.data_type().clone()) {
            Some(DataType::Date32 | DataType::Date64) | None => None,
            Some(_) => strings(batch, "date")?,
        };
        Ok(Self {
            school: required(strings(batch, "school_id")?, "school_id")?,
            teacher: strings(batch, "teacher_id")?,
            date: date.as_primitive::<Date32Type>().clone(),
            date_text,
            kind: EnumColumn::new(batch, "kind")?,
            hours: required(cast(batch, "hours", &DataType::Float64)?, "hours")?
                .as_primitive::<Float64Type>()
                .clone(),
            issuer: EnumColumn::new(batch, "issuer")?,
            item: strings(batch, "item_id")?,
            decision: EnumColumn::new(batch, "decision")?,
            rule: strings(batch, "rule")?,
            comprehensive: cast(batch, "comprehensive", &DataType::Boolean)?
                .map(|a| a.as_boolean().clone()),
        })
    }
}

fn text(column: Option<&StringArray>, i: usize) -> Option<&str> {
    column.filter(|c| c.is_valid(i)).map(|c| c.value(i))
}

/// A row error at `[row].column` of the `events` table.
fn bad(row: usize, column: &str, reason: String) -> Error {
    Error::row(
        Location::source("events").field(format!("[{row}].{column}")),
        reason,
    )
}

/// Row `i` of an enum column, or a row error naming the column.
fn parse<T: Copy + std::str::FromStr>(
    column: &EnumColumn<T>,
    i: usize,
    row: usize,
    name: &str,
    what: &str,
) -> Result<Option<T>, Error> {
    column
        .get(i)
        .map_err(|text| bad(row, name, format!("invalid {what} `{text}`")))
}

fn event<'a>(c: &'a Columns, i: usize, row: usize) -> Result<EventRef<'a>, Error> {
    let school_id = text(Some(&c.school), i)
        .ok_or_else(|| bad(row, "school_id", "missing school_id".into()))?;
    let date = if c.date.is_valid(i) {
        NaiveDate::from_num_days_from_ce_opt(c.date.value(i).saturating_add(EPOCH_CE))
    } else {
        None
    };
    let date = date.ok_or_else(|| match text(c.date_text.as_ref(), i) {
        Some(s) => bad(
            row,
            "date",
            format!("invalid date `{s}`: expected YYYY-MM-DD"),
        ),
        None => bad(row, "date", "missing date".into()),
    })?;
    let kind = parse(&c.kind, i, row, "kind", "kind")?
        .ok_or_else(|| bad(row, "kind", "missing kind".into()))?;
    if !c.hours.is_valid(i) {
        return Err(bad(
            row,
            "hours",
            "missing or invalid number of hours".into(),
        ));
    }
    Ok(EventRef {
        school_id,
        teacher_id: text(c.teacher.as_ref(), i),
        date,
        kind,
        hours: c.hours.value(i),
        issuer: parse(&c.issuer, i, row, "issuer", "issuer kind")?,
        item_id: text(c.item.as_ref(), i),
        decision: parse(&c.decision, i, row, "decision", "decision")?,
        rule: text(c.rule.as_ref(), i),
        comprehensive: c
            .comprehensive
            .as_ref()
            .is_some_and(|b| b.is_valid(i) && b.value(i)),
    })
}

/// Reads events from record batches. An unknown or missing required column is one error for
/// the whole table (nothing is read), as in the core's readers.
pub fn read(schema: &Schema, batches: &[RecordBatch], schools: &Schools) -> (Events, Vec<Error>) {
    let mut events = Events::default();
    let header = |field: &str, reason: String| {
        Error::row(Location::source("events").field(field.to_owned()), reason)
    };
    if let Some(f) = schema
        .fields()
        .iter()
        .find(|f| !COLUMNS.contains(&f.name().as_str()))
    {
        let reason = format!(
            "unknown column `{}`; expected {}",
            f.name(),
            COLUMNS.join(", ")
        );
        return (events, vec![header(f.name(), reason)]);
    }
    if let Some(name) = REQUIRED.iter().find(|n| schema.field_with_name(n).is_err()) {
        return (
            events,
            vec![header(name, format!("missing column `{name}`"))],
        );
    }
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    reserve(&mut events, rows);
    let mut errors = Vec::new();
    let mut row = 0;
    for batch in batches {
        let columns = match Columns::new(batch) {
            Ok(columns) => columns,
            Err(e) => {
                errors.push(header("", format!("cannot read the events table: {e}")));
                return (events, errors);
            }
        };
        for i in 0..batch.num_rows() {
            let pushed = event(&columns, i, row).and_then(|e| {
                events.push(schools, e, |name| {
                    Location::source("events").field(format!("[{row}].{name}"))
                })
            });
            if let Err(e) = pushed {
                errors.push(e);
            }
            row += 1;
        }
    }
    (events, errors)
}

/// Room for `n` more events in every column (one allocation each, not a doubling series).
fn reserve(events: &mut Events, n: usize) {
    events.school.reserve(n);
    events.teacher.reserve(n);
    events.day.reserve(n);
    events.kind.reserve(n);
    events.hours.reserve(n);
    events.issuer.reserve(n);
    events.item.reserve(n);
    events.decision.reserve(n);
    events.rule.reserve(n);
    events.comprehensive.reserve(n);
}
