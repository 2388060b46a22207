//! Python bindings for jianfu: type and error conversion only; all logic is in the core crate.
#![forbid(unsafe_code)]

use pyo3::prelude::*;

/// The `jianfu._jianfu` extension module.
#[pymodule]
fn _jianfu(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
