//! Scoring and monitoring reports: small parts as Python values, per-row parts (schools,
//! teachers, counties, strata, escalations, trend) as tables of the input's library
//! (`pyarrow.Table`, pandas or polars `DataFrame`), each also through `to_arrow`, `to_pandas`
//! and `to_polars`.

use pyo3::prelude::*;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value;

use crate::convert::{to_py, to_value};
use crate::tables::{Frame, records_batch, to_pyarrow};

/// The `key` member of `json` as a Python value.
fn plain<'py>(py: Python<'py>, json: &Value, key: &str) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, json.get(key).unwrap_or(&Value::Null))
}

/// Row errors as exception objects (not raised).
fn errors<'py>(py: Python<'py>, errors: &Value) -> PyResult<Vec<Bound<'py, PyAny>>> {
    crate::errors::exceptions(py, errors.as_array().into_iter().flatten())
}

/// Whether `other` (a dict) equals the report's JSON.
fn equals(json: &Value, other: &Bound<'_, PyAny>) -> PyResult<bool> {
    if other.is_instance_of::<pyo3::types::PyDict>() {
        return Ok(to_value(other)? == *json);
    }
    Ok(false)
}

/// A core report with its JSON value built on first use.
pub(crate) struct Lazy<T> {
    report: T,
    json: OnceLock<Value>,
}

impl<T: Serialize> Lazy<T> {
    pub(crate) fn new(report: T) -> Self {
        Self {
            report,
            json: OnceLock::new(),
        }
    }

    /// The whole report as JSON.
    fn json(&self) -> &Value {
        self.json
            .get_or_init(|| serde_json::to_value(&self.report).unwrap_or_default())
    }
}

/// Rows (typed core values) as a `pyarrow.Table`, through their JSON, with the Chinese label
/// beside each coded column (`band`, `band_zh`).
fn rows_table<R: Serialize>(py: Python<'_>, rows: &[R]) -> PyResult<Py<PyAny>> {
    let mut values: Vec<Value> = rows
        .iter()
        .map(|r| serde_json::to_value(r).unwrap_or_default())
        .collect();
    jianfu::ffi::label_rows(&mut values);
    to_pyarrow(py, records_batch(&values)?)
}

/// The error for a table name a report does not have.
fn no_table(name: &str, names: &[&str]) -> PyErr {
    pyo3::exceptions::PyValueError::new_err(format!(
        "table: {name:?} is not one of {names:?} (报告中没有此表)"
    ))
}

/// Burden scores for one period (`Engine.score`).
#[pyclass(module = "jianfu._jianfu", frozen)]
pub struct ScoreReport {
    pub(crate) inner: Lazy<jianfu::score::ScoreReport>,
    pub(crate) errors: Value,
    pub(crate) events_read: usize,
    /// The library its tables are given in.
    pub(crate) frame: Frame,
}

impl ScoreReport {
    const TABLES: [&str; 4] = ["schools", "teachers", "counties", "strata"];

    /// One of its tables as a `pyarrow.Table`.
    fn arrow(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
        let report = &self.inner.report;
        match name {
            "schools" => rows_table(py, &report.schools),
            "teachers" => rows_table(py, &report.teachers),
            "counties" => rows_table(py, &report.counties),
            "strata" => rows_table(py, &report.strata),
            other => Err(no_table(other, &Self::TABLES)),
        }
    }
}

#[pymethods]
impl ScoreReport {
    /// The period: `{id, start, end, school_days, …}`.
    #[getter]
    fn period<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        plain(py, self.inner.json(), "period")
    }
    /// School weeks in the period.
    #[getter]
    fn weeks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        plain(py, self.inner.json(), "weeks")
    }
    /// Events that fell in the period.
    #[getter]
    fn events<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        plain(py, self.inner.json(), "events")
    }
    /// The weights used.
    #[getter]
    fn weights<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        plain(py, self.inner.json(), "weights")
    }
    /// Every school, by id, as a table of the input's library.
    #[getter]
    fn schools(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.frame.wrap(py, self.arrow(py, "schools")?)
    }
    /// Every teacher with an event, by id, as a table of the input's library.
    #[getter]
    fn teachers(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.frame.wrap(py, self.arrow(py, "teachers")?)
    }
    /// Per county, as a table of the input's library.
    #[getter]
    fn counties(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.frame.wrap(py, self.arrow(py, "counties")?)
    }
    /// Per stratum, as a table of the input's library.
    #[getter]
    fn strata(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.frame.wrap(py, self.arrow(py, "strata")?)
    }
    /// One table (`schools`, `teachers`, `counties`, `strata`) as a `pyarrow.Table`.
    #[pyo3(signature = (table = "schools"))]
    fn to_arrow(&self, py: Python<'_>, table: &str) -> PyResult<Py<PyAny>> {
        self.arrow(py, table)
    }
    /// One table (`schools`, `teachers`, `counties`, `strata`) as a `pandas.DataFrame`.
    #[pyo3(signature = (table = "schools"))]
    fn to_pandas(&self, py: Python<'_>, table: &str) -> PyResult<Py<PyAny>> {
        Frame::Pandas.wrap(py, self.arrow(py, table)?)
    }
    /// One table (`schools`, `teachers`, `counties`, `strata`) as a `polars.DataFrame`.
    #[pyo3(signature = (table = "schools"))]
    fn to_polars(&self, py: Python<'_>, table: &str) -> PyResult<Py<PyAny>> {
        Frame::Polars.wrap(py, self.arrow(py, table)?)
    }
    /// The period, its totals and the first schools, for notebooks.
    fn _repr_html_(&self) -> String {
        jianfu::ffi::scores_html(&self.inner.report)
    }
    /// Rows that could not be read (`RowInvalidError` objects); the others were scored.
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        errors(py, &self.errors)
    }
    /// Event rows read (kept), in and out of the period.
    #[getter]
    fn events_read(&self) -> usize {
        self.events_read
    }
    /// The report as the JSON the core emits.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.json())
    }
    /// The report as JSON text.
    fn to_json(&self) -> String {
        self.inner.json().to_string()
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        match other.cast::<ScoreReport>() {
            Ok(o) => Ok(o.get().inner.json() == self.inner.json()),
            Err(_) => equals(self.inner.json(), other),
        }
    }
    fn __repr__(&self) -> String {
        let report = &self.inner.report;
        format!(
            "ScoreReport(period={:?}, schools={}, events={})",
            report.period.id,
            report.schools.len(),
            report.events
        )
    }
}

/// The monitoring report for one period (`Engine.monitor`), with its HTML rendering.
#[pyclass(module = "jianfu._jianfu", frozen)]
pub struct MonitorReport {
    pub(crate) inner: Lazy<jianfu::score::MonitorReport>,
    pub(crate) html: String,
    pub(crate) errors: Value,
    /// The library its tables are given in.
    pub(crate) frame: Frame,
}

impl MonitorReport {
    const TABLES: [&str; 5] = ["strata", "counties", "schools", "escalations", "trend"];

    /// One of its tables as a `pyarrow.Table`.
    fn arrow(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
        let report = &self.inner.report;
        match name {
            "strata" => rows_table(py, &report.strata),
            "counties" => rows_table(py, &report.counties),
            "schools" => rows_table(py, &report.schools),
            "escalations" => rows_table(py, &report.escalations),
            "trend" => rows_table(py, &report.trend),
            other => Err(no_table(other, &Self::TABLES)),
        }
    }
}

#[pymethods]
impl MonitorReport {
    /// The period reported on.
    #[getter]
    fn period<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        plain(py, self.inner.json(), "period")
    }
    /// The period before it, if any.
    #[getter]
    fn previous<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        plain(py, self.inner.json(), "previous")
    }
    /// Sample-point coverage.
    #[getter]
    fn coverage<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        plain(py, self.inner.json(), "coverage")
    }
    /// City-wide burden by kind, issuer and rule.
    #[getter]
    fn sources<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        plain(py, self.inner.json(), "sources")
    }
    /// Per-stratum statistics of the sample points, as a table of the input's library.
    #[getter]
    fn strata(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.frame.wrap(py, self.arrow(py, "strata")?)
    }
    /// Per county, as a table of the input's library.
    #[getter]
    fn counties(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.frame.wrap(py, self.arrow(py, "counties")?)
    }
    /// Schools that need attention, as a table of the input's library.
    #[getter]
    fn schools(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.frame.wrap(py, self.arrow(py, "schools")?)
    }
    /// Ladder moves in this period, as a table of the input's library.
    #[getter]
    fn escalations(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.frame.wrap(py, self.arrow(py, "escalations")?)
    }
    /// The index over the periods up to this one, as a table of the input's library.
    #[getter]
    fn trend(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.frame.wrap(py, self.arrow(py, "trend")?)
    }
    /// One table (`strata`, `counties`, `schools`, `escalations`, `trend`) as a
    /// `pyarrow.Table`.
    #[pyo3(signature = (table = "schools"))]
    fn to_arrow(&self, py: Python<'_>, table: &str) -> PyResult<Py<PyAny>> {
        self.arrow(py, table)
    }
    /// One table (`strata`, `counties`, `schools`, `escalations`, `trend`) as a
    /// `pandas.DataFrame`.
    #[pyo3(signature = (table = "schools"))]
    fn to_pandas(&self, py: Python<'_>, table: &str) -> PyResult<Py<PyAny>> {
        Frame::Pandas.wrap(py, self.arrow(py, table)?)
    }
    /// One table (`strata`, `counties`, `schools`, `escalations`, `trend`) as a
    /// `polars.DataFrame`.
    #[pyo3(signature = (table = "schools"))]
    fn to_polars(&self, py: Python<'_>, table: &str) -> PyResult<Py<PyAny>> {
        Frame::Polars.wrap(py, self.arrow(py, table)?)
    }
    /// The report's own HTML page, charts included, for notebooks.
    fn _repr_html_(&self) -> String {
        self.html.clone()
    }
    /// The report as a self-contained HTML page with SVG charts.
    #[getter]
    fn html(&self) -> String {
        self.html.clone()
    }
    /// Rows that could not be read (`RowInvalidError` objects).
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        errors(py, &self.errors)
    }
    /// The report as the JSON the core emits.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.json())
    }
    /// The report as JSON text.
    fn to_json(&self) -> String {
        self.inner.json().to_string()
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        match other.cast::<MonitorReport>() {
            Ok(o) => Ok(o.get().inner.json() == self.inner.json()),
            Err(_) => equals(self.inner.json(), other),
        }
    }
    fn __repr__(&self) -> String {
        format!("MonitorReport(period={:?})", self.inner.report.period.id)
    }
}
