//! Flags and counts that a frame library widened to floats, read as what they are: pandas
//! reading JSON Lines where a flag is missing on some line gives the column as `1.0`, `0.0`
//! and `NaN`, and an item with `"legally_required": 1.0` is no item. A flag column whose every
//! value is 0 or 1 becomes booleans, a count column whose every value is whole becomes
//! integers (NaN is a missing value); any other value is left as it is, so that row's error
//! still names it.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, ArrayRef, BooleanArray, Int64Array, RecordBatch, StructArray};
use arrow_schema::{DataType, Field, FieldRef, Schema};

use crate::model::terms::{COUNT_FIELDS, is_flag_field};

/// The batch with its widened flag and count columns narrowed; `None` when none is (the usual
/// case: nothing is copied).
pub(super) fn narrowed(batch: &RecordBatch) -> Option<RecordBatch> {
    let schema = batch.schema();
    let mut changed = false;
    let (fields, columns): (Vec<FieldRef>, Vec<ArrayRef>) = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .map(
            |(field, column)| match narrow(field.name(), field, column) {
                Some(narrowed) => {
                    changed = true;
                    narrowed
                }
                None => (Arc::clone(field), Arc::clone(column)),
            },
        )
        .unzip();
    if !changed {
        return None;
    }
    let schema = Schema::new_with_metadata(fields, schema.metadata().clone());
    RecordBatch::try_new(Arc::new(schema), columns).ok()
}

/// The column at item field `path`, narrowed, or `None` when it is left as it is.
fn narrow(path: &str, field: &FieldRef, array: &ArrayRef) -> Option<(FieldRef, ArrayRef)> {
    // Nullable: a NaN becomes a missing value.
    let with_type = |data_type: DataType| Arc::new(Field::new(field.name(), data_type, true));
    match array.data_type() {
        DataType::Struct(children) => {
            let parent = array.as_struct();
            let mut changed = false;
            let (fields, columns): (Vec<FieldRef>, Vec<ArrayRef>) = children
                .iter()
                .zip(parent.columns())
                .map(|(child, column)| {
                    match narrow(&format!("{path}.{}", child.name()), child, column) {
                        Some(narrowed) => {
                            changed = true;
                            narrowed
                        }
                        None => (Arc::clone(child), Arc::clone(column)),
                    }
                })
                .unzip();
            if !changed {
                return None;
            }
            let rebuilt =
                StructArray::try_new(fields.into(), columns, parent.nulls().cloned()).ok()?;
            Some((with_type(rebuilt.data_type().clone()), Arc::new(rebuilt)))
        }
        data_type if data_type.is_floating() || data_type.is_integer() => {
            let values = arrow_cast::cast(array, &DataType::Float64).ok()?;
            // NaN is pandas' missing value.
            let values: Vec<Option<f64>> = values
                .as_primitive::<Float64Type>()
                .iter()
                .map(|v| v.filter(|v| !v.is_nan()))
                .collect();
            if is_flag_field(path) && values.iter().flatten().all(|v| *v == 0.0 || *v == 1.0) {
                let flags: BooleanArray = values.iter().map(|v| v.map(|v| v == 1.0)).collect();
                return Some((with_type(DataType::Boolean), Arc::new(flags)));
            }
            let whole = |v: &f64| v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(v);
            if COUNT_FIELDS.contains(&path)
                && data_type.is_floating()
                && values.iter().flatten().all(whole)
            {
                #[expect(clippy::cast_possible_truncation, reason = "whole and in u32's range")]
                let counts: Int64Array = values.iter().map(|v| v.map(|v| v as i64)).collect();
                return Some((with_type(DataType::Int64), Arc::new(counts)));
            }
            None
        }
        _ => None,
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "test harness")]
mod tests {
    use arrow_array::{Float64Array, StringArray};

    use super::*;

    fn item_rows(batch: &RecordBatch) -> Vec<Result<crate::Item, crate::Error>> {
        super::super::items(batch, 0)
    }

    /// A flag column pandas widened to floats reads as flags; a value that is no flag (2.0)
    /// is still an error for its row alone.
    #[test]
    fn widened_flags_and_counts_read_as_flags_and_counts() {
        let text = |v: &[&str]| Arc::new(StringArray::from(v.to_vec())) as ArrayRef;
        let secondment = StructArray::from(vec![
            (
                Arc::new(Field::new("teachers", DataType::Float64, true)),
                Arc::new(Float64Array::from(vec![Some(3.0), Some(2.0), Some(1.5)])) as ArrayRef,
            ),
            (
                Arc::new(Field::new("major_task", DataType::Float64, true)),
                Arc::new(Float64Array::from(vec![Some(1.0), None, Some(f64::NAN)])) as ArrayRef,
            ),
        ]);
        let issuer = r#"{"name": "市教育局", "kind": "education", "level": "city"}"#;
        let batch = RecordBatch::try_from_iter(vec![
            ("id", text(&["a", "b", "c"])),
            ("kind", text(&["secondment", "secondment", "secondment"])),
            ("title", text(&["抽调教师", "抽调教师", "抽调教师"])),
            (
                "legally_required",
                Arc::new(Float64Array::from(vec![
                    Some(1.0),
                    Some(f64::NAN),
                    Some(0.0),
                ])) as ArrayRef,
            ),
            ("secondment", Arc::new(secondment) as ArrayRef),
        ])
        .unwrap();
        // The issuer as a struct of text columns.
        let issuer: serde_json::Value = serde_json::from_str(issuer).unwrap();
        let fields = ["name", "kind", "level"];
        let issuer = StructArray::from(
            fields
                .iter()
                .map(|f| {
                    let v = issuer[*f].as_str().unwrap();
                    (
                        Arc::new(Field::new(*f, DataType::Utf8, true)),
                        text(&[v, v, v]),
                    )
                })
                .collect::<Vec<_>>(),
        );
        let mut columns = batch.columns().to_vec();
        let mut names: Vec<FieldRef> = batch.schema().fields().iter().cloned().collect();
        columns.push(Arc::new(issuer.clone()));
        names.push(Arc::new(Field::new(
            "issuer",
            issuer.data_type().clone(),
            true,
        )));
        let batch = RecordBatch::try_new(Arc::new(Schema::new(names)), columns).unwrap();

        assert!(narrowed(&batch).is_some(), "nothing narrowed");
        let rows = item_rows(&batch);
        let a = rows[0].as_ref().unwrap();
        assert!(a.legally_required && a.secondment.as_ref().unwrap().major_task);
        assert_eq!(a.secondment.as_ref().unwrap().teachers, 3);
        let b = rows[1].as_ref().unwrap();
        assert!(!b.legally_required && !b.secondment.as_ref().unwrap().major_task);
        // 1.5 teachers is no count: that row's error names the field, the others read.
        let error = rows[2].as_ref().unwrap_err().to_string();
        assert!(error.contains("teachers"), "{error}");
    }
}
