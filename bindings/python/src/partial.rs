//! `jianfu.Partial`: the core's partial aggregate of scoring (`Engine.partial`), with the row
//! errors of the tables it was made from. Merges, finishes, pickles (for Dask and Spark
//! workers) and round-trips through JSON; every rule of merging is the core's.

use pyo3::prelude::*;
use serde_json::Value;

use crate::errors::OrRaise;
use crate::reports::{Lazy, ScoreReport};

/// Sums for one period over some of the events: `a.merge(b)` (or `jianfu.merge(parts)`)
/// combines partials exactly, `finish()` gives the `ScoreReport` a single pass over all the
/// events would give, byte for byte.
#[pyclass(module = "jianfu._jianfu", frozen)]
pub struct Partial {
    pub(crate) inner: jianfu::score::Partial,
    /// Row errors (`{code, message, location}`) of the tables read for it.
    pub(crate) errors: Vec<Value>,
}

/// What `__reduce__` returns: the rebuilding callable and its arguments (JSON texts).
type Reduced<'py> = (Bound<'py, PyAny>, (String, String));

#[pymethods]
impl Partial {
    /// The partial read back from `to_json()` text (or `jianfu score --partial` output).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        let inner = jianfu::score::Partial::from_json(text).py(py)?;
        Ok(Self {
            inner,
            errors: Vec::new(),
        })
    }

    /// Rebuilds a pickled partial.
    #[staticmethod]
    fn _from_state(py: Python<'_>, state: &str, errors: &str) -> PyResult<Self> {
        let inner = jianfu::score::Partial::from_json(state).py(py)?;
        // The row errors travel as the JSON list `__reduce__` wrote; anything else is refused.
        let errors = serde_json::from_str(errors).map_err(|e| {
            pyo3::exceptions::PyValueError::new_err(format!("bad pickled Partial errors: {e}"))
        })?;
        Ok(Self { inner, errors })
    }

    /// This partial combined with `other` (same period and ruleset); row errors of both are
    /// kept. Raises `PartialInvalidError` when they do not combine.
    fn merge(&self, py: Python<'_>, other: &Partial) -> PyResult<Partial> {
        let (a, b) = (self.inner.clone(), other.inner.clone());
        let inner = py.detach(|| a.merge(b)).py(py)?;
        let mut errors = self.errors.clone();
        errors.extend(other.errors.iter().cloned());
        Ok(Partial { inner, errors })
    }

    /// The report: schools and teachers by id, county and stratum totals.
    fn finish(&self, py: Python<'_>) -> PyResult<ScoreReport> {
        let partial = self.inner.clone();
        let rows = usize::try_from(partial.rows).unwrap_or(usize::MAX);
        let report = py.detach(|| partial.finish()).py(py)?;
        Ok(ScoreReport {
            inner: Lazy::new(report),
            errors: Value::Array(self.errors.clone()),
            events_read: rows,
            frame: crate::tables::Frame::Arrow,
        })
    }

    /// The period's id.
    #[getter]
    fn period(&self) -> String {
        self.inner.period.id.clone()
    }

    /// Events in the period.
    #[getter]
    fn events(&self) -> u64 {
        self.inner.events
    }

    /// Event rows the partial was made from (in the period or not).
    #[getter]
    fn events_read(&self) -> u64 {
        self.inner.rows
    }

    /// Schools in it.
    #[getter]
    fn schools(&self) -> usize {
        self.inner.schools.len()
    }

    /// Rows that could not be read (`RowInvalidError` objects); the others were summed.
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        crate::errors::exceptions(py, &self.errors)
    }

    /// The partial as JSON text (the format `jianfu merge` reads).
    fn to_json(&self) -> String {
        serde_json::to_string(&self.inner).unwrap_or_default()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Reduced<'py>> {
        let py = slf.py();
        let this = slf.get();
        let state = this.to_json();
        let errors = serde_json::to_string(&this.errors).unwrap_or_default();
        let rebuild = py
            .import("jianfu._jianfu")?
            .getattr("Partial")?
            .getattr("_from_state")?;
        Ok((rebuild, (state, errors)))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Partial>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Partial(period={:?}, schools={}, events={})",
            self.inner.period.id,
            self.inner.schools.len(),
            self.inner.events
        )
    }
}
