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

/// The items of a sheet — a CSV (any encoding) or an Excel/WPS workbook's first sheet — whose
/// headers name item fields in Chinese (标题, 发文单位, 开始日期 …) or by JSON path, as item
/// dicts for `check` / `check_many`. `data` is the file's bytes or its path. A header that names
/// no field raises `SchemaError`; a row that is no item raises `ItemInvalidError` naming its row
/// and column.
#[pyfunction]
#[pyo3(signature = (data, name = None))]
fn read_items<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    name: Option<String>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    use errors::OrRaise;
    let (bytes, source) = match data.extract::<Vec<u8>>() {
        Ok(bytes) if data.is_instance_of::<pyo3::types::PyBytes>() => {
            (bytes, name.unwrap_or_else(|| "<sheet>".to_string()))
        }
        _ => {
            let path: std::path::PathBuf = data.extract()?;
            let source = name.unwrap_or_else(|| path.display().to_string());
            let bytes = std::fs::read(&path)
                .map_err(|e| jianfu::Error::read_failed(source.clone(), e))
                .py(py)?;
            (bytes, source)
        }
    };
    let records = py
        .detach(|| {
            let sheet = jianfu::sheet::Sheet::from_bytes(bytes, &source)?;
            jianfu::sheet::items(&sheet, &source)
        })
        .py(py)?;
    records
        .into_iter()
        .map(|record| {
            let item = record.item.py(py)?;
            convert::to_py(py, &serde_json::to_value(&item).unwrap_or_default())
        })
        .collect()
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
    m.add_function(wrap_pyfunction!(read_items, m)?)?;
    Ok(())
}
