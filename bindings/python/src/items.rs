//! Items (事项) from a table: the core reads each record batch (`jianfu::arrow::items`);
//! `jianfu.Items` keeps the result, to check the same items as of many dates or against many
//! registers without reading them again.

use arrow_array::RecordBatch;
use jianfu::{Item, ffi};
use pyo3::prelude::*;
use serde_json::Value;

use crate::tables;

/// One row of an items table: the item, or the core's error for it (as JSON data).
pub(crate) type ItemRow = Result<Item, Value>;

/// Reads every row of `batches`, in order.
pub(crate) fn read(batches: &[RecordBatch]) -> PyResult<Vec<ItemRow>> {
    let mut out = Vec::with_capacity(batches.iter().map(RecordBatch::num_rows).sum());
    for batch in batches {
        read_batch(batch, out.len(), &mut out)?;
    }
    Ok(out)
}

/// Appends the rows of one batch to `out`; `first` is the table row of the batch's first.
pub(crate) fn read_batch(
    batch: &RecordBatch,
    first: usize,
    out: &mut Vec<ItemRow>,
) -> PyResult<()> {
    out.extend(
        jianfu::arrow::items(batch, first)
            .into_iter()
            .map(|row| row.map_err(|e| ffi::error_json(&e))),
    );
    Ok(())
}

/// Items read once from a table (pyarrow, polars, pandas; one row per item), for
/// `Engine.check_many(items, as_of)` as of many dates or with many registers.
#[pyclass(module = "jianfu._jianfu", frozen)]
pub struct Items {
    rows: Vec<ItemRow>,
    /// The library of the table read, for the verdict table `check_many` gives.
    frame: tables::Frame,
}

impl Items {
    /// The rows, in table order.
    pub(crate) fn rows(&self) -> &[ItemRow] {
        &self.rows
    }

    /// The library of the table read.
    pub(crate) fn frame(&self) -> tables::Frame {
        self.frame
    }
}

#[pymethods]
impl Items {
    /// Reads a table of items; rows that do not read are kept as errors, in place.
    #[new]
    fn new(py: Python<'_>, table: &Bound<'_, PyAny>) -> PyResult<Self> {
        if !tables::is_table(table)? {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "Items takes a table (pyarrow, polars or pandas); 需要表格",
            ));
        }
        let (_, batches) = tables::batches(table)?;
        let rows = py.detach(|| read(&batches))?;
        let frame = tables::Frame::of(table)?;
        Ok(Self { rows, frame })
    }

    /// Rows read as items.
    #[getter]
    fn items_read(&self) -> usize {
        self.rows.iter().filter(|r| r.is_ok()).count()
    }

    /// Rows that could not be read (`ItemInvalidError` objects, naming the row's line).
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        crate::errors::exceptions(py, self.rows.iter().filter_map(|r| r.as_ref().err()))
    }

    /// Rows in the table (items and errors).
    fn __len__(&self) -> usize {
        self.rows.len()
    }

    /// Pickling: the rows as JSON (`{"item": …}` or `{"error": …}` each), read back by
    /// `_restore`.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
        let rows: Vec<Value> = slf
            .get()
            .rows
            .iter()
            .map(|row| match row {
                Ok(item) => serde_json::json!({ "item": item }),
                Err(error) => serde_json::json!({ "error": error }),
            })
            .collect();
        Ok((
            slf.get_type().getattr("_restore")?,
            (
                Value::from(rows).to_string(),
                slf.get().frame.name().to_string(),
            ),
        ))
    }

    /// Rebuilds pickled `Items`.
    #[staticmethod]
    #[pyo3(signature = (state, frame = "pyarrow"))]
    fn _restore(state: &str, frame: &str) -> PyResult<Self> {
        let bad =
            |e: String| pyo3::exceptions::PyValueError::new_err(format!("bad Items state: {e}"));
        let rows: Vec<Value> = serde_json::from_str(state).map_err(|e| bad(e.to_string()))?;
        let rows = rows
            .into_iter()
            .map(|mut row| {
                match (
                    row.get_mut("item").map(Value::take),
                    row.get_mut("error").map(Value::take),
                ) {
                    (Some(item), _) => serde_json::from_value(item)
                        .map(Ok)
                        .map_err(|e| bad(e.to_string())),
                    (None, Some(error)) => Ok(Err(error)),
                    _ => Err(bad("a row is neither item nor error".into())),
                }
            })
            .collect::<PyResult<_>>()?;
        let frame = tables::Frame::named(frame)?;
        Ok(Self { rows, frame })
    }

    fn __repr__(&self) -> String {
        format!(
            "Items(rows={}, errors={})",
            self.rows.len(),
            self.rows.len() - self.items_read()
        )
    }
}
