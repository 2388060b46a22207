//! `jianfu.Tables`: schools and events read once (from Arrow tables, row dicts or text) and
//! kept in the core's columnar form, to score or monitor many periods without reading again.

use std::sync::Arc;

use jianfu::ffi::{self, TableFormat};
use jianfu::score::{Events, Schools, read};
use pyo3::prelude::*;
use pyo3::types::PyString;
use serde_json::Value;

use crate::convert::to_value;
use crate::errors::OrRaise;
use crate::tables;

use jianfu::arrow::TableKind;

/// What to do with a column a table's reader does not take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Extra {
    /// Refuse the table (`SchemaError`, naming the column): the default.
    Error,
    /// Drop the column (frames with the analyst's own columns beside the data).
    Ignore,
}

impl Extra {
    /// `"error"` or `"ignore"`.
    pub(crate) fn named(name: &str) -> PyResult<Self> {
        match name {
            "error" => Ok(Self::Error),
            "ignore" => Ok(Self::Ignore),
            other => Err(pyo3::exceptions::PyValueError::new_err(format!(
                "extra_columns: {other:?} is not \"error\" or \"ignore\" (多余列的处理应为 error 或 ignore)"
            ))),
        }
    }
}

/// A table argument in any accepted form, as JSON or CSV text for the core's readers, or as
/// Arrow batches.
pub(crate) enum TableArg {
    Text(String, TableFormat),
    Arrow(Arc<arrow_schema::Schema>, Vec<arrow_array::RecordBatch>),
}

impl TableArg {
    /// `obj` read as a table of `kind`; with `extra` = `"ignore"`, columns its reader does not
    /// take are dropped instead of refusing the table.
    fn new(obj: &Bound<'_, PyAny>, kind: TableKind, extra: Extra) -> PyResult<Self> {
        let text = if let Ok(text) = obj.cast::<PyString>() {
            Some(text.to_cow()?.into_owned())
        } else if let Ok(bytes) = obj.cast::<pyo3::types::PyBytes>() {
            // A file's bytes as read: an Excel/WPS workbook, or UTF-8, UTF-16 or GBK text.
            let bytes = bytes.as_bytes().to_vec();
            Some(jianfu::sheet::Sheet::table_text(bytes, "<bytes>").py(obj.py())?)
        } else {
            None
        };
        if let Some(text) = text {
            let format = if text.trim_start().starts_with('[') {
                TableFormat::Json
            } else {
                TableFormat::Csv
            };
            return Ok(Self::Text(text, format));
        }
        if tables::is_table(obj)? {
            let (schema, batches) = tables::batches(obj)?;
            if extra == Extra::Ignore {
                let (schema, batches) = jianfu::arrow::known_columns(&schema, &batches, kind);
                return Ok(Self::Arrow(Arc::new(schema), batches));
            }
            return Ok(Self::Arrow(schema, batches));
        }
        Ok(Self::Text(to_value(obj)?.to_string(), TableFormat::Json))
    }

    fn schools(&self) -> PyResult<read::Read<Schools>> {
        Ok(match self {
            Self::Text(text, TableFormat::Json) => read::schools_json(text, "schools"),
            Self::Text(text, TableFormat::Csv) => read::schools_csv(text, "schools"),
            Self::Arrow(_, batches) => jianfu::arrow::schools(batches),
        })
    }

    fn events(&self, schools: &Schools) -> (Events, Vec<jianfu::Error>) {
        match self {
            Self::Text(text, TableFormat::Json) => {
                let r = read::events_json(text, "events", schools);
                (r.table, r.errors)
            }
            Self::Text(text, TableFormat::Csv) => {
                let r = read::events_csv(text, "events.csv", schools);
                (r.table, r.errors)
            }
            Self::Arrow(schema, batches) => {
                let r = jianfu::arrow::events(schema, batches, schools);
                (r.table, r.errors)
            }
        }
    }
}

/// What `Tables` pickles as: events CSV, schools CSV, read errors JSON, the frame library.
type TablesState = (String, String, String, &'static str);

/// Schools and events in the core's columnar form, read once (`jianfu.Tables(events,
/// schools)`); `Engine.score(tables, period)` and `Engine.monitor(tables, period)` reuse them.
#[pyclass(module = "jianfu._jianfu", frozen)]
pub struct Tables {
    events: Events,
    schools: Schools,
    errors: Value,
    /// The library of the events table read (pyarrow for rows or text), in which reports
    /// give their tables.
    frame: tables::Frame,
}

impl Tables {
    /// Reads both tables (the GIL released while the core reads); errors of both, schools
    /// first.
    fn read(
        py: Python<'_>,
        events: &Bound<'_, PyAny>,
        schools: &Bound<'_, PyAny>,
        extra: Extra,
    ) -> PyResult<Self> {
        let frame = tables::Frame::of(events)?;
        let events = TableArg::new(events, TableKind::Events, extra)?;
        let schools = TableArg::new(schools, TableKind::Schools, extra)?;
        let read = py.detach(|| -> PyResult<_> {
            let schools = schools.schools()?;
            let (events, event_errors) = events.events(&schools.table);
            let mut errors = schools.errors;
            errors.extend(event_errors);
            // A table whose columns do not match raises (SchemaError), not an empty report.
            Ok(jianfu::score::read::refuse_schema(&errors).map(|()| Self {
                events,
                schools: schools.table,
                errors: ffi::errors_json(&errors),
                frame,
            }))
        })?;
        read.py(py)
    }

    /// The events.
    pub fn events(&self) -> &Events {
        &self.events
    }

    /// The schools.
    pub fn schools(&self) -> &Schools {
        &self.schools
    }

    /// Rows that could not be read, as `[{code, message, location}]`.
    pub fn error_data(&self) -> &Value {
        &self.errors
    }

    /// The library of the events table read.
    pub fn frame(&self) -> tables::Frame {
        self.frame
    }
}

#[pymethods]
impl Tables {
    /// Reads `events` and `schools`: tables (pyarrow, polars, pandas), lists of row dicts, or
    /// CSV / JSON text. Bad rows are skipped and listed in `errors`. A column the reader does
    /// not take refuses the table (`SchemaError`) unless `extra_columns="ignore"` (tables).
    #[new]
    #[pyo3(signature = (events, schools, *, extra_columns = "error"))]
    fn new(
        py: Python<'_>,
        events: &Bound<'_, PyAny>,
        schools: &Bound<'_, PyAny>,
        extra_columns: &str,
    ) -> PyResult<Self> {
        Self::read(py, events, schools, Extra::named(extra_columns)?)
    }

    /// Event rows read (kept).
    #[getter]
    fn events_read(&self) -> usize {
        self.events.len()
    }

    /// Schools read.
    #[getter]
    fn schools_read(&self) -> usize {
        self.schools.len()
    }

    /// Rows that could not be read (`RowInvalidError` objects).
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        crate::errors::exceptions(py, self.errors.as_array().into_iter().flatten())
    }

    fn __len__(&self) -> usize {
        self.events.len()
    }

    /// Pickling: both tables as the core writes them (CSV) and the read errors as JSON, read
    /// back by `_restore` into the same tables.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, TablesState)> {
        let this = slf.get();
        let py = slf.py();
        let (mut events, mut schools) = (Vec::new(), Vec::new());
        jianfu::score::write::events_csv(&this.events, &this.schools, &mut events).py(py)?;
        jianfu::score::write::schools_csv(&this.schools, &mut schools).py(py)?;
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap_or_default();
        Ok((
            slf.get_type().getattr("_restore")?,
            (
                text(events),
                text(schools),
                this.errors.to_string(),
                this.frame.name(),
            ),
        ))
    }

    /// Rebuilds pickled `Tables`.
    #[staticmethod]
    #[pyo3(signature = (events, schools, errors, frame = "pyarrow"))]
    fn _restore(
        py: Python<'_>,
        events: &str,
        schools: &str,
        errors: &str,
        frame: &str,
    ) -> PyResult<Self> {
        let schools = jianfu::score::read::schools_csv(schools, "<pickle>");
        let events = jianfu::score::read::events_csv(events, "<pickle>", &schools.table);
        if let Some(e) = schools.errors.first().or(events.errors.first()) {
            return Err(crate::errors::to_py(py, e));
        }
        Ok(Self {
            events: events.table,
            schools: schools.table,
            errors: serde_json::from_str(errors).unwrap_or_default(),
            frame: tables::Frame::named(frame)?,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "Tables(events={}, schools={}, errors={})",
            self.events.len(),
            self.schools.len(),
            self.errors.as_array().map_or(0, Vec::len)
        )
    }
}

/// The tables of a `score`/`monitor` call: a `Tables` given, or tables read for the call.
pub(crate) enum Resolved<'a> {
    Shared(&'a Tables),
    Owned(Box<Tables>),
}

impl<'a> Resolved<'a> {
    /// `(tables, period)` or `(events, schools, period)`, and the period.
    pub(crate) fn new(
        py: Python<'_>,
        events: &'a Bound<'_, PyAny>,
        second: &Bound<'_, PyAny>,
        period: Option<String>,
        extra_columns: &str,
    ) -> PyResult<(Self, String)> {
        let extra = Extra::named(extra_columns)?;
        if let Ok(tables) = events.cast::<Tables>() {
            let period = match period {
                Some(period) => period,
                None => second.extract::<String>()?,
            };
            return Ok((Self::Shared(tables.get()), period));
        }
        let period = period
            .ok_or_else(|| pyo3::exceptions::PyTypeError::new_err("missing argument `period`"))?;
        Ok((
            Self::Owned(Box::new(Tables::read(py, events, second, extra)?)),
            period,
        ))
    }
}

impl std::ops::Deref for Resolved<'_> {
    type Target = Tables;

    fn deref(&self) -> &Tables {
        match self {
            Self::Shared(tables) => tables,
            Self::Owned(tables) => tables,
        }
    }
}
