//! Scoring and monitoring reports: small parts as Python values, per-row parts (schools,
//! teachers, counties, strata, escalations, trend) as `pyarrow.Table`s.

use pyo3::prelude::*;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value;

use crate::convert::{to_py, to_value};
use crate::tables::{records_batch, to_pyarrow};

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

/// Burden scores for one period (`Engine.score`).
#[pyclass(module = "jianfu._jianfu", frozen)]
pub struct ScoreReport {
    pub(crate) inner: Lazy<jianfu::score::ScoreReport>,
    pub(crate) errors: Value,
    pub(crate) events_read: usize,
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
    /// Every school, by id, as a `pyarrow.Table`.
    #[getter]
    fn schools(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        rows_table(py, &self.inner.report.schools)
    }
    /// Every teacher with an event, by id, as a `pyarrow.Table`.
    #[getter]
    fn teachers(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        rows_table(py, &self.inner.report.teachers)
    }
    /// Per county, as a `pyarrow.Table`.
    #[getter]
    fn counties(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        rows_table(py, &self.inner.report.counties)
    }
    /// Per stratum, as a `pyarrow.Table`.
    #[getter]
    fn strata(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        rows_table(py, &self.inner.report.strata)
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
    /// Per-stratum statistics of the sample points, as a `pyarrow.Table`.
    #[getter]
    fn strata(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        rows_table(py, &self.inner.report.strata)
    }
    /// Per county, as a `pyarrow.Table`.
    #[getter]
    fn counties(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        rows_table(py, &self.inner.report.counties)
    }
    /// Schools that need attention, as a `pyarrow.Table`.
    #[getter]
    fn schools(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        rows_table(py, &self.inner.report.schools)
    }
    /// Ladder moves in this period, as a `pyarrow.Table`.
    #[getter]
    fn escalations(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        rows_table(py, &self.inner.report.escalations)
    }
    /// The index over the periods up to this one, as a `pyarrow.Table`.
    #[getter]
    fn trend(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        rows_table(py, &self.inner.report.trend)
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
