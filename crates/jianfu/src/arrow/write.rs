//! Schools and events as record batches, with the columns and codes of `schools.csv` and
//! `events.csv`: what the readers of this module read back into the same tables (the
//! demo city handed to Python as tables, say).

use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Date32Builder, Float64Builder, StringBuilder};
use arrow_array::{ArrayRef, BooleanArray, RecordBatch, StringArray, UInt32Array};
use arrow_schema::{DataType, Field, Schema};
use chrono::Datelike;

use crate::error::Error;
use crate::score::read::{EVENT_COLUMNS, SCHOOL_COLUMNS};
use crate::score::{Events, Schools};

/// Days from 0001-01-01 (chrono's count) to 1970-01-01 (Arrow's `date32` epoch).
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// The schools table as one record batch: text columns, `teachers` as `uint32`,
/// `sample_point` as `bool`.
pub fn schools_batch(schools: &Schools) -> crate::Result<RecordBatch> {
    let rows = schools.rows();
    let text = |f: fn(&crate::score::School) -> &str| -> ArrayRef {
        Arc::new(rows.iter().map(|s| Some(f(s))).collect::<StringArray>())
    };
    let columns: Vec<ArrayRef> = vec![
        text(|s| s.school_id.as_str()),
        text(|s| s.name.as_str()),
        text(|s| s.county.as_str()),
        text(|s| s.urban_rural.as_str()),
        text(|s| s.stage.as_str()),
        text(|s| s.ownership.as_str()),
        Arc::new(rows.iter().map(|s| s.teachers).collect::<UInt32Array>()),
        Arc::new(
            rows.iter()
                .map(|s| Some(s.sample_point))
                .collect::<BooleanArray>(),
        ),
    ];
    batch(&SCHOOL_COLUMNS, columns)
}

/// The events table as one record batch: ids and codes as text (null where absent), `date`
/// as `date32`, `hours` as `float64`, `comprehensive` as `bool`.
pub fn events_batch(events: &Events, schools: &Schools) -> crate::Result<RecordBatch> {
    let n = events.len();
    let mut school = StringBuilder::with_capacity(n, n * 12);
    let mut teacher = StringBuilder::with_capacity(n, n * 12);
    let mut date = Date32Builder::with_capacity(n);
    let mut kind = StringBuilder::with_capacity(n, n * 12);
    let mut hours = Float64Builder::with_capacity(n);
    let mut issuer = StringBuilder::with_capacity(n, n * 12);
    let mut item = StringBuilder::new();
    let mut decision = StringBuilder::new();
    let mut rule = StringBuilder::new();
    let mut comprehensive = BooleanBuilder::with_capacity(n);
    for r in (0..n).filter_map(|i| events.row(i, schools)) {
        school.append_value(r.school_id);
        teacher.append_option(r.teacher_id);
        date.append_value(r.date.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE);
        kind.append_value(r.kind.as_str());
        hours.append_value(r.hours);
        issuer.append_option(r.issuer.map(|k| k.as_str()));
        item.append_option(r.item_id);
        decision.append_option(r.decision.map(|d| d.as_str()));
        rule.append_option(r.rule);
        comprehensive.append_value(r.comprehensive);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(school.finish()),
        Arc::new(teacher.finish()),
        Arc::new(date.finish()),
        Arc::new(kind.finish()),
        Arc::new(hours.finish()),
        Arc::new(issuer.finish()),
        Arc::new(item.finish()),
        Arc::new(decision.finish()),
        Arc::new(rule.finish()),
        Arc::new(comprehensive.finish()),
    ];
    batch(&EVENT_COLUMNS, columns)
}

/// Columns under their names, nullable, typed as given.
fn batch(names: &[&str], columns: Vec<ArrayRef>) -> crate::Result<RecordBatch> {
    let fields: Vec<Field> = names
        .iter()
        .zip(&columns)
        .map(|(name, column)| Field::new(*name, column.data_type().clone(), true))
        .collect();
    debug_assert!(fields.iter().all(|f| f.data_type() != &DataType::Null));
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| Error::write_failed("<record batch>", e))
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "test harness")]
mod tests {
    use super::*;
    use crate::score::demo::{self, DemoConfig};

    /// The demo city written as batches reads back into the same tables, row for row.
    #[test]
    fn batches_read_back_as_the_same_tables() {
        let engine = crate::Engine::embedded().unwrap();
        let config = DemoConfig {
            schools: 30,
            ..DemoConfig::default()
        };
        let schools = demo::schools(&config);
        let events = demo::events(&config, &schools, engine.calendar());
        assert!(events.len() > 1000);

        let batch = schools_batch(&schools).unwrap();
        let read = super::super::schools(std::slice::from_ref(&batch));
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        assert_eq!(read.table.rows(), schools.rows());

        let batch = events_batch(&events, &schools).unwrap();
        let read = super::super::events(&batch.schema(), &[batch], &schools);
        assert!(read.errors.is_empty(), "{:?}", read.errors.first());
        let mut want = Vec::new();
        crate::score::write::events_csv(&events, &schools, &mut want).unwrap();
        let mut got = Vec::new();
        crate::score::write::events_csv(&read.table, &schools, &mut got).unwrap();
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(want).unwrap()
        );
    }
}
