//! Tables from Arrow record batches (the `arrow` feature): items, schools and events read
//! straight from Arrow arrays, for Rust services that hold Arrow data (DataFusion, polars)
//! and for the bindings, which hand their tables over as record batches. With the `parquet`
//! feature, the same from Parquet files ([`parquet`]).
//!
//! Every reader gives what the text readers give for the same rows: a bad row is an error
//! naming its row and column and every other row is kept; a table whose columns do not match
//! is refused whole (`table.schema`).

mod events;
mod narrow;
#[cfg(feature = "parquet")]
pub mod parquet;
mod rows;
mod write;

use arrow_array::{RecordBatch, StructArray};
use arrow_schema::Schema;

use crate::error::{Error, Location};
use crate::model::Item;
use crate::parallel::Threads;
use crate::score::read::{self, Read};
use crate::score::{Events, Schools};

pub use arrow_array;
pub use arrow_schema;
pub use write::{events_batch, schools_batch};

/// Events from record batches (columns as in `events.csv`; ids as strings or dictionaries,
/// dates as `date32` or text, hours as any number). Errors name the row (`[12].hours`).
pub fn events(schema: &Schema, batches: &[RecordBatch], schools: &Schools) -> Read<Events> {
    if let Some((schema, batches)) = canonical(schema, batches) {
        return events(&schema, &batches, schools);
    }
    let (table, errors, _) = events::read(schema, batches, schools, 0);
    Read { table, errors }
}

/// [`events`] on up to `threads` threads, a run of batches each: the same table and errors.
pub fn events_on(
    schema: &Schema,
    batches: &[RecordBatch],
    schools: &Schools,
    threads: Threads,
) -> Read<Events> {
    events_from(schema, batches, schools, threads, 0).0
}

/// [`events_on`] for batches whose first row is row `first` of the table (the numbers in
/// errors count from it), and whether reading stopped at a batch it could not read (the rows
/// after it are not read, nor should the batches that follow these be).
pub(crate) fn events_from(
    schema: &Schema,
    batches: &[RecordBatch],
    schools: &Schools,
    threads: Threads,
    first: usize,
) -> (Read<Events>, bool) {
    if let Some((schema, batches)) = canonical(schema, batches) {
        return events_from(&schema, &batches, schools, threads, first);
    }
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    let shares = crate::parallel::ranges(batches.len(), threads.count(), 1);
    if shares.len() < 2 || rows < crate::parallel::ROWS_PER_SHARE_MIN {
        let (table, errors, stopped) = events::read(schema, batches, schools, first);
        return (Read { table, errors }, stopped);
    }
    // Each share's first row, for the row numbers in its errors.
    let firsts: Vec<usize> = shares
        .iter()
        .map(|r| {
            first
                + batches
                    .get(..r.start)
                    .unwrap_or_default()
                    .iter()
                    .map(RecordBatch::num_rows)
                    .sum::<usize>()
        })
        .collect();
    let work: Vec<(std::ops::Range<usize>, usize)> = shares.into_iter().zip(firsts).collect();
    let parts = threads.map(&work, |(range, first)| {
        let mine = batches.get(range.clone()).unwrap_or_default();
        events::read(schema, mine, schools, *first)
    });
    let mut table = Events::default();
    let mut errors = Vec::new();
    for (events, part_errors, stopped) in parts {
        table.append(events);
        errors.extend(part_errors);
        // One reader stops at the first batch it cannot read; so do the shares after it.
        if stopped {
            return (Read { table, errors }, true);
        }
    }
    (Read { table, errors }, false)
}

/// Schools from record batches (columns as in `schools.csv`).
pub fn schools(batches: &[RecordBatch]) -> Read<Schools> {
    let renamed = batches
        .first()
        .and_then(|b| canonical(&b.schema(), batches));
    let batches = renamed.as_ref().map_or(batches, |(_, b)| b.as_slice());
    match json_array(batches, "schools") {
        Ok(text) => read::schools_json(&text, "schools"),
        Err(error) => Read {
            table: Schools::new(),
            errors: vec![error],
        },
    }
}

/// Which table a reader takes, for [`known_columns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// `events.csv`'s columns.
    Events,
    /// `schools.csv`'s columns.
    Schools,
}

/// The batches with only the columns the reader of `kind` takes (named by code or by Chinese
/// header), the others dropped: for a caller that asks to ignore extra columns (a frame with
/// the analyst's own columns beside the data). Without it, an extra column refuses the table
/// (`table.schema`), naming the column.
pub fn known_columns(
    schema: &Schema,
    batches: &[RecordBatch],
    kind: TableKind,
) -> (Schema, Vec<RecordBatch>) {
    use crate::model::terms::column_code;
    let columns: &[&str] = match kind {
        TableKind::Events => &read::EVENT_COLUMNS,
        TableKind::Schools => &read::SCHOOL_COLUMNS,
    };
    let keep: Vec<usize> = schema
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| column_code(f.name()).is_some_and(|code| columns.contains(&code)))
        .map(|(i, _)| i)
        .collect();
    let projected = schema.project(&keep).unwrap_or_else(|_| schema.clone());
    // Indices from the schema itself: projecting cannot fail, and a batch is never dropped.
    let batches = batches
        .iter()
        .map(|b| b.project(&keep).unwrap_or_else(|_| b.clone()))
        .collect();
    (projected, batches)
}

/// Tables whose columns carry Chinese headers (学校编号, 时长（小时）…, from a sheet read with
/// pandas or polars) with their columns renamed to the codes the readers look for; `None` when
/// every name is a code already (the usual case: nothing is copied).
fn canonical(schema: &Schema, batches: &[RecordBatch]) -> Option<(Schema, Vec<RecordBatch>)> {
    use crate::model::terms::column_code;
    let renames = schema
        .fields()
        .iter()
        .any(|f| column_code(f.name()).is_some_and(|code| code != f.name()));
    if !renames {
        return None;
    }
    let rename = |s: &Schema| -> Schema {
        let fields: Vec<arrow_schema::Field> = s
            .fields()
            .iter()
            .map(|f| match column_code(f.name()) {
                Some(code) => f.as_ref().clone().with_name(code),
                None => f.as_ref().clone(),
            })
            .collect();
        Schema::new_with_metadata(fields, s.metadata().clone())
    };
    // Each batch renamed on its own schema: the files of a folder may differ in what the
    // readers overlook (nullability, a dictionary or plain text column).
    let batches = batches
        .iter()
        .map(|b| {
            let renamed = std::sync::Arc::new(rename(&b.schema()));
            RecordBatch::try_new(renamed, b.columns().to_vec())
        })
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    let schema = rename(schema);
    Some((schema, batches))
}

/// Items from a record batch, one per row (nested fields as struct and list columns):
/// each row read straight from the arrays, or, for a row that does not read that way, through
/// its JSON, which reads it or gives the precise error (located at line `first + row + 1` of
/// `<table>`, as the JSON Lines reader would).
pub fn items(batch: &RecordBatch, first: usize) -> Vec<Result<Item, Error>> {
    // Flags and counts a frame library widened to floats read as flags and counts.
    let narrowed = narrow::narrowed(batch);
    let batch = narrowed.as_ref().unwrap_or(batch);
    let record = StructArray::from(batch.clone());
    (0..batch.num_rows())
        .map(|i| match rows::from_row::<Item>(&record, i) {
            Ok(item) => Ok(item),
            Err(_) => {
                // Narrowed on its own: another row's 1.5 keeps the column wide, not this row.
                let row = batch.slice(i, 1);
                let row = narrow::narrowed(&row).unwrap_or(row);
                let line = json_lines(&[row], "<table>")?;
                Item::from_json(line.trim_end()).map_err(|mut error| {
                    if let Error::ItemInvalid { location, .. } = &mut error {
                        // The row and the field: a column within the row's JSON text means
                        // nothing to someone holding a table.
                        location.source = Some("<table>".into());
                        location.line = Some(first + i + 1);
                        location.column = None;
                    }
                    error
                })
            }
        })
        .collect()
}

/// The rows of record batches as JSON Lines (nulls left out, dates as `YYYY-MM-DD`).
pub fn json_lines(batches: &[RecordBatch], source: &str) -> crate::Result<String> {
    let mut writer = arrow_json::LineDelimitedWriter::new(Vec::new());
    for batch in batches {
        writer.write(batch).map_err(|e| unreadable(source, e))?;
    }
    writer.finish().map_err(|e| unreadable(source, e))?;
    String::from_utf8(writer.into_inner()).map_err(|e| unreadable(source, e))
}

/// The rows of record batches as one JSON array of objects (`[]` for none).
pub fn json_array(batches: &[RecordBatch], source: &str) -> crate::Result<String> {
    let mut writer = arrow_json::ArrayWriter::new(Vec::new());
    for batch in batches {
        writer.write(batch).map_err(|e| unreadable(source, e))?;
    }
    writer.finish().map_err(|e| unreadable(source, e))?;
    let text = String::from_utf8(writer.into_inner()).map_err(|e| unreadable(source, e))?;
    Ok(if text.trim().is_empty() {
        "[]".into()
    } else {
        text
    })
}

/// A table Arrow cannot turn into rows (a column type it cannot write as JSON).
fn unreadable(source: &str, error: impl std::fmt::Display) -> Error {
    Error::row(
        Location::source(source),
        format!("the table cannot be read: {error}"),
    )
}
