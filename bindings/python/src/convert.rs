//! Python objects ↔ JSON values, and the date argument.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::errors::OrRaise;

/// A Python value (dict, list, tuple, str, int, float, bool, None, `datetime.date`) as JSON.
/// Nesting deeper than the core's `nesting_depth_max` (a dict that contains itself, say) is a
/// `ValueError`, not a crash.
pub fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_value_at(obj, 0)
}

/// The error for a value nested past the limit.
pub fn too_deep() -> String {
    let max = jianfu::limits::Limits::get().nesting_depth_max;
    format!(
        "the value nests deeper than {max} levels (limit nesting_depth_max); does it contain itself?"
    )
}

fn to_value_at(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > jianfu::limits::Limits::get().nesting_depth_max {
        return Err(pyo3::exceptions::PyValueError::new_err(too_deep()));
    }
    let to_value = |v: &Bound<'_, PyAny>| to_value_at(v, depth + 1);
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(dict.len());
        for (key, value) in dict.iter() {
            let key = key
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err("dictionary keys must be strings"))?;
            map.insert(key.to_cow()?.into_owned(), to_value(&value)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(list) = obj.cast::<PyList>() {
        return list
            .iter()
            .map(|v| to_value(&v))
            .collect::<PyResult<_>>()
            .map(Value::Array);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return tuple
            .iter()
            .map(|v| to_value(&v))
            .collect::<PyResult<_>>()
            .map(Value::Array);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.is_truthy()?));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        return Ok(Value::from(obj.extract::<f64>()?));
    }
    if obj.is_instance_of::<PyFloat>() {
        let f = obj.extract::<f64>()?;
        return Ok(Number::from_f64(f).map_or(Value::Null, Value::Number));
    }
    if obj.is_instance_of::<PyDate>() {
        return Ok(Value::String(
            obj.call_method0("isoformat")?.extract::<String>()?,
        ));
    }
    Err(PyTypeError::new_err(format!(
        "cannot convert a `{}` to JSON",
        obj.get_type().name()?
    )))
}

/// A JSON value as a Python object (dict, list, str, int, float, bool, None).
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// JSON text for an argument given as a dict/list (converted) or as a str (taken as JSON).
pub fn json_text(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    match obj.cast::<PyString>() {
        Ok(s) => Ok(s.to_cow()?.into_owned()),
        Err(_) => Ok(to_value(obj)?.to_string()),
    }
}

/// The `as_of` argument: an ISO `YYYY-MM-DD` string or a `datetime.date`; absent or `None`,
/// today's date on this machine (as the CLI's default). The core never reads the clock: the
/// binding does, at the edge.
pub fn date_arg(py: Python<'_>, obj: Option<&Bound<'_, PyAny>>) -> PyResult<chrono::NaiveDate> {
    let today;
    let obj = match obj {
        Some(obj) if !obj.is_none() => obj,
        _ => {
            today = py
                .import("datetime")?
                .getattr("date")?
                .call_method0("today")?;
            &today
        }
    };
    if let Ok(s) = obj.cast::<PyString>() {
        return jianfu::parse_date(&s.to_cow()?).py(obj.py());
    }
    if obj.is_instance_of::<PyDate>() {
        // A `datetime.datetime` is a `date` too: its day is what counts. Three attributes
        // (the limited API has no date accessors) cost far less than formatting a string.
        let py = obj.py();
        let part = |name: &Bound<'_, PyString>| obj.getattr(name)?.extract::<u32>();
        let (year, month, day) = (
            part(pyo3::intern!(py, "year"))?,
            part(pyo3::intern!(py, "month"))?,
            part(pyo3::intern!(py, "day"))?,
        );
        return i32::try_from(year)
            .ok()
            .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, month, day))
            .ok_or_else(|| PyTypeError::new_err("as_of 不是有效日期 / as_of is not a valid date"));
    }
    Err(PyTypeError::new_err(
        "as_of must be a `YYYY-MM-DD` string or a datetime.date",
    ))
}
