//! Python bindings for jianfu: type and error conversion only; all logic is in the core crate.
//!
//! The module `jianfu._jianfu` holds the classes; the pure-Python package `jianfu` re-exports
//! them with the exception classes (`jianfu/errors.py`) and module-level helpers.
#![forbid(unsafe_code)]

mod convert;
mod de;
mod engine;
mod errors;
mod interrupt;
mod items;
mod partial;
mod prepared;
mod reports;
mod results;
mod stream;
mod tables;
mod verdict;
mod verdicts;

use pyo3::prelude::*;

/// A file's bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030, told
/// apart from the bytes. Raises `JianfuIOError` naming the line when they are none of these.
#[pyfunction]
#[pyo3(signature = (data, source = "<bytes>"))]
fn decode(py: Python<'_>, data: &[u8], source: &str) -> PyResult<String> {
    use errors::OrRaise;
    jianfu::encoding::decode(data.to_vec(), source).py(py)
}

/// The label table (术语表): for each vocabulary (`kind`, `band`, `stratum` parts …) its
/// Chinese name and, by code, each term's Chinese and English labels and the aliases accepted
/// on input.
#[pyfunction]
fn labels(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    convert::to_py(py, &jianfu::ffi::labels_json())
}

/// The `jianfu._jianfu` extension module.
#[pymodule]
fn _jianfu(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<engine::Engine>()?;
    m.add_class::<verdict::Verdict>()?;
    m.add_class::<results::Finding>()?;
    m.add_class::<results::Review>()?;
    m.add_class::<results::ReviewFinding>()?;
    m.add_class::<results::PlanReport>()?;
    m.add_class::<prepared::Tables>()?;
    m.add_class::<items::Items>()?;
    m.add_class::<stream::VerdictIter>()?;
    m.add_class::<reports::ScoreReport>()?;
    m.add_class::<reports::MonitorReport>()?;
    m.add_class::<partial::Partial>()?;
    m.add_function(wrap_pyfunction!(labels, m)?)?;
    m.add_function(wrap_pyfunction!(decode, m)?)?;
    Ok(())
}
