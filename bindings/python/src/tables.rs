//! Tables through the Arrow PyCapsule interface: anything with `__arrow_c_stream__` or
//! `__arrow_c_array__` (pyarrow, polars, pandas ≥ 2.2) comes in; tables go out in the input's
//! library ([`Frame`]): pandas in, pandas out; polars in, polars out; pyarrow otherwise.

use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{ArrowError, DataType, Field, Fields, Schema};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use pyo3_arrow::input::AnyRecordBatch;
use serde_json::Value;

/// An Arrow error as a Python `ValueError` (a table that cannot be read or built).
pub fn arrow_err(error: ArrowError) -> PyErr {
    PyValueError::new_err(format!("arrow: {error}"))
}

/// Whether `obj` is a table this module reads: an Arrow PyCapsule exporter or a pandas
/// DataFrame.
pub fn is_table(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(obj.hasattr("__arrow_c_stream__")? || obj.hasattr("__arrow_c_array__")? || is_pandas(obj)?)
}

fn is_pandas(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let module: String = obj.get_type().getattr("__module__")?.extract()?;
    Ok(module.starts_with("pandas"))
}

/// The record batches of a table. pandas without the PyCapsule interface goes through
/// `pyarrow.Table.from_pandas(df, preserve_index=False)`.
pub fn batches(obj: &Bound<'_, PyAny>) -> PyResult<(Arc<Schema>, Vec<RecordBatch>)> {
    let py = obj.py();
    let owned;
    let obj = if !obj.hasattr("__arrow_c_stream__")? && !obj.hasattr("__arrow_c_array__")? {
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("preserve_index", false)?;
        owned = py.import("pyarrow")?.getattr("Table")?.call_method(
            "from_pandas",
            (obj,),
            Some(&kwargs),
        )?;
        &owned
    } else {
        obj
    };
    let input: AnyRecordBatch = obj.extract()?;
    let reader = input.into_reader()?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<_>, ArrowError>>()
        .map_err(arrow_err)?;
    Ok((schema, batches))
}

/// The table library results are given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Frame {
    /// `pyarrow.Table` (for any input that is not a pandas or polars frame).
    #[default]
    Arrow,
    /// `pandas.DataFrame`.
    Pandas,
    /// `polars.DataFrame`.
    Polars,
}

impl Frame {
    /// The library of `obj` (by its type's module); `Arrow` for anything else.
    pub fn of(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        let module: String = obj.get_type().getattr("__module__")?.extract()?;
        Ok(match module.split('.').next() {
            Some("pandas") => Self::Pandas,
            Some("polars") => Self::Polars,
            _ => Self::Arrow,
        })
    }

    /// The library named `name`: `"pyarrow"`, `"pandas"` or `"polars"`.
    pub fn named(name: &str) -> PyResult<Self> {
        match name {
            "pyarrow" | "arrow" => Ok(Self::Arrow),
            "pandas" => Ok(Self::Pandas),
            "polars" => Ok(Self::Polars),
            other => Err(PyValueError::new_err(format!(
                "frame: {other:?} is not one of \"pyarrow\", \"pandas\", \"polars\" \
                 (表格库应为 pyarrow、pandas 或 polars)"
            ))),
        }
    }

    /// The library's name, as [`Frame::named`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Arrow => "pyarrow",
            Self::Pandas => "pandas",
            Self::Polars => "polars",
        }
    }

    /// The library named `name`, or else `default`.
    pub fn chosen(name: Option<&str>, default: Self) -> PyResult<Self> {
        name.map_or(Ok(default), Self::named)
    }

    /// A `pyarrow.Table` as a table of this library.
    pub fn wrap(self, py: Python<'_>, table: Py<PyAny>) -> PyResult<Py<PyAny>> {
        Ok(match self {
            Self::Arrow => table,
            Self::Pandas => table.call_method0(py, "to_pandas")?,
            Self::Polars => py
                .import("polars")?
                .call_method1("from_arrow", (table,))?
                .unbind(),
        })
    }
}

/// A record batch as a `pyarrow.Table`.
pub fn to_pyarrow(py: Python<'_>, batch: RecordBatch) -> PyResult<Py<PyAny>> {
    let schema = batch.schema();
    let table = PyTable::try_new(vec![batch], schema)?;
    Ok(table.into_pyarrow(py)?.unbind())
}

/// The Arrow type inferred for JSON values (one column, or one nested field).
#[derive(Default)]
struct Inferred {
    null: bool,
    bool: bool,
    int: bool,
    float: bool,
    string: bool,
    list: Option<Box<Inferred>>,
    /// Object members in first-seen order.
    object: Option<Vec<(String, Inferred)>>,
}

impl Inferred {
    fn add(&mut self, value: &Value) {
        match value {
            Value::Null => self.null = true,
            Value::Bool(_) => self.bool = true,
            Value::Number(n) if n.is_f64() => self.float = true,
            Value::Number(_) => self.int = true,
            Value::String(_) => self.string = true,
            Value::Array(items) => {
                let list = self.list.get_or_insert_with(Box::default);
                items.iter().for_each(|item| list.add(item));
            }
            Value::Object(map) => {
                let members = self.object.get_or_insert_with(Vec::new);
                for (key, item) in map {
                    match members.iter_mut().find(|(k, _)| k == key) {
                        Some((_, inferred)) => inferred.add(item),
                        None => {
                            let mut inferred = Inferred::default();
                            inferred.add(item);
                            members.push((key.clone(), inferred));
                        }
                    }
                }
            }
        }
    }

    /// Whether every value seen is a number (or null).
    fn numeric(&self) -> bool {
        !self.bool && !self.string && self.list.is_none() && self.object.is_none()
    }

    /// The type: mixed scalars become strings; an object whose members are all numbers is a
    /// `map<string, float64>` (breakdowns keyed by kind, issuer, rule), any other a struct.
    fn data_type(&self) -> DataType {
        let kinds = [
            self.bool,
            self.int || self.float,
            self.string,
            self.list.is_some(),
            self.object.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() > 1 {
            return DataType::Utf8;
        }
        if let Some(members) = &self.object {
            if !members.is_empty() && members.iter().all(|(_, m)| m.numeric()) {
                let entries = Field::new(
                    "entries",
                    DataType::Struct(Fields::from(vec![
                        Field::new("keys", DataType::Utf8, false),
                        Field::new("values", DataType::Float64, true),
                    ])),
                    false,
                );
                return DataType::Map(Arc::new(entries), false);
            }
            let fields: Vec<Field> = members
                .iter()
                .map(|(name, m)| Field::new(name, m.data_type(), true))
                .collect();
            return DataType::Struct(Fields::from(fields));
        }
        if let Some(item) = &self.list {
            return DataType::List(Arc::new(Field::new("item", item.data_type(), true)));
        }
        match (self.bool, self.int, self.float, self.string) {
            (true, ..) => DataType::Boolean,
            (_, _, true, _) => DataType::Float64,
            (_, true, ..) => DataType::Int64,
            (.., true) => DataType::Utf8,
            _ => DataType::Null,
        }
    }
}

/// JSON objects (one per row) as a record batch. The columns follow the keys' first-seen
/// order, so the schema depends on the data only, never on hashing.
pub fn records_batch(rows: &[Value]) -> PyResult<RecordBatch> {
    let mut inferred = Inferred::default();
    rows.iter().for_each(|row| inferred.add(row));
    let fields: Vec<Field> = inferred
        .object
        .iter()
        .flatten()
        .map(|(name, m)| Field::new(name, m.data_type(), true))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let mut decoder = arrow_json::ReaderBuilder::new(schema.clone())
        .with_batch_size(rows.len().max(1))
        .with_coerce_primitive(true)
        .build_decoder()
        .map_err(arrow_err)?;
    decoder.serialize(rows).map_err(arrow_err)?;
    Ok(decoder
        .flush()
        .map_err(arrow_err)?
        .unwrap_or_else(|| RecordBatch::new_empty(schema)))
}
