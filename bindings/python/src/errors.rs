//! Core errors as Python exceptions: one class per stable code, defined in `jianfu/errors.py`
//! (`jianfu.JianfuError` and its subclasses), raised with `.code`, `.message`, `.location`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static FROM_DATA: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The Python exception for a core error (`jianfu.errors.from_data(code, message, location)`).
pub fn to_py(py: Python<'_>, error: &jianfu::Error) -> PyErr {
    match exception(py, &jianfu::ffi::error_json(error)) {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

/// The exception object (not raised) for an error given as `{code, message, location}`.
pub fn exception<'py>(py: Python<'py>, data: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    let from_data = FROM_DATA.get_or_try_init(py, || {
        py.import("jianfu.errors")?
            .getattr("from_data")
            .map(Bound::unbind)
    })?;
    from_data
        .bind(py)
        .call1((crate::convert::to_py(py, data)?,))
}

/// Exception objects (not raised) for errors given as `{code, message, location}` data.
pub fn exceptions<'a, 'py>(
    py: Python<'py>,
    errors: impl IntoIterator<Item = &'a serde_json::Value>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    errors.into_iter().map(|e| exception(py, e)).collect()
}

/// Extension trait: `result.py(py)?` turns a core error into its Python exception.
pub trait OrRaise<T> {
    /// The value, or the core error as a Python exception.
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, jianfu::Error> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py(py, &e))
    }
}
