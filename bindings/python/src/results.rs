//! Result objects: the core's JSON behind typed attributes. Each holds the JSON value the core
//! emitted; attributes convert on access, `to_dict()` gives the whole value, and `==` compares
//! with another result or with a plain dict.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::convert::{to_py, to_value};
use crate::verdict::Verdict;

/// The member `key` of a JSON object, or null.
pub(crate) fn member<'a>(json: &'a Value, key: &str) -> &'a Value {
    json.get(key).unwrap_or(&Value::Null)
}

/// The elements of the array at `key` (none when absent).
pub(crate) fn elements<'a>(json: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    json.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// `==` against another result of the same class or a dict equal to its JSON.
pub(crate) fn equals(
    json: &Value,
    other: &Bound<'_, PyAny>,
    own: Option<&Value>,
) -> PyResult<bool> {
    if let Some(own) = own {
        return Ok(own == json);
    }
    if other.is_instance_of::<PyDict>() {
        return Ok(to_value(other)? == *json);
    }
    Ok(false)
}

macro_rules! json_class {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident: $key:literal),* $(,)? } $($extra:item)*) => {
        $(#[$doc])*
        #[pyclass(module = "jianfu._jianfu", frozen)]
        pub struct $name {
            pub(crate) json: Value,
        }

        impl $name {
            /// Wraps a JSON value the core produced.
            pub fn new(json: Value) -> Self {
                Self { json }
            }
        }

        #[pymethods]
        impl $name {
            $($extra)*

            $(
                $(#[$fdoc])*
                #[getter]
                fn $field<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    to_py(py, member(&self.json, $key))
                }
            )*

            /// The result as the JSON the core emits (plain dicts and lists).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                to_py(py, &self.json)
            }

            /// The result as JSON text (compact, key order as the core emits it).
            fn to_json(&self) -> String {
                self.json.to_string()
            }

            /// Rebuilds a result from its JSON text (used by pickling).
            #[staticmethod]
            fn from_json(text: &str) -> PyResult<Self> {
                serde_json::from_str(text)
                    .map(Self::new)
                    .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
            }

            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
                Ok((slf.get_type().getattr("from_json")?, (slf.get().json.to_string(),)))
            }

            /// Item access by JSON key, as on the dict.
            fn __getitem__<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyAny>> {
                match self.json.get(key) {
                    Some(value) => to_py(py, value),
                    None => Err(pyo3::exceptions::PyKeyError::new_err(key.to_owned())),
                }
            }

            fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<bool> {
                let own = other.cast::<$name>().ok().map(|o| o.get().json.clone());
                equals(&self.json, other, own.as_ref())
            }

            fn __repr__(&self) -> String {
                format!("{}({})", stringify!($name), self.json)
            }
        }
    };
}

json_class!(
    /// One rule that fired on an item.
    Finding {
        /// The rule's stable id.
        rule: "rule",
        /// What the rule decides.
        decision: "decision",
        /// Why: `{zh, en}`.
        message: "message",
        /// The source: `{document, title, article}`.
        citation: "citation",
        /// What in the item made it fire: `[{field, text?, span?}]`.
        evidence: "evidence",
        /// What to add or change: `{zh, en}`.
        remedy: "remedy",
        /// The rule version used: `{from, to?, on, governs}` (the item's day it was read on).
        version: "version",
    }
    /// Whether the finding only advises (提示): a person decides, and the verdict's decision
    /// does not count it.
    #[getter]
    fn advisory(&self) -> bool {
        self.json.get("advisory").and_then(Value::as_bool).unwrap_or(false)
    }

    /// Other items involved (cross-item rules).
    #[getter]
    fn related<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.json.get("related").unwrap_or(&Value::Array(Vec::new())))
    }
);

json_class!(
    /// The review of one draft document.
    Review {
        /// The draft's length in characters.
        chars: "chars",
        /// The most severe finding's decision.
        decision: "decision",
        /// The date the review speaks for.
        as_of: "as_of",
        /// The ruleset used.
        ruleset: "ruleset",
    }
    /// Flagged clauses, in text order.
    #[getter]
    fn findings(&self) -> Vec<ReviewFinding> {
        elements(&self.json, "findings").cloned().map(ReviewFinding::new).collect()
    }

    /// The decision and the flagged clauses as an HTML card, for notebooks.
    fn _repr_html_(&self) -> String {
        jianfu::ffi::review_html(&self.json)
    }
);

json_class!(
    /// One clause of a draft that imposes burden.
    ReviewFinding {
        /// The rule's id.
        rule: "rule",
        /// What the rule decides.
        decision: "decision",
        /// Why: `{zh, en}`.
        message: "message",
        /// The source.
        citation: "citation",
        /// The clause `{span, text}`, or None for whole-document findings.
        clause: "clause",
        /// The words that triggered it.
        evidence: "evidence",
        /// What to change.
        remedy: "remedy",
    }
);

json_class!(
    /// The report on an annual inspection plan.
    PlanReport {
        /// The plan's id.
        plan: "plan",
        /// The most severe verdict's decision.
        decision: "decision",
        /// The date the report speaks for.
        as_of: "as_of",
    }
    /// One verdict per plan entry, in plan order.
    #[getter]
    fn verdicts(&self) -> Vec<Verdict> {
        elements(&self.json, "verdicts").cloned().map(Verdict::new).collect()
    }
);
