//! `jianfu.Verdict`: the verdict on one item. The key fields are kept as plain values and the
//! whole verdict as the core's JSON text; the JSON value is parsed once, on first use of
//! `findings`, `ruleset`, `to_dict()` or `==`, so a check that only reads `decision` never
//! builds it.

use std::sync::OnceLock;

use pyo3::prelude::*;
use serde_json::Value;

use crate::convert::to_py;
use crate::results::{Finding, elements, equals, member};

/// A verdict on one item (DESIGN.md §3).
#[pyclass(module = "jianfu._jianfu", frozen)]
pub struct Verdict {
    text: String,
    value: OnceLock<Value>,
    item: String,
    decision: &'static str,
    missing: Vec<&'static str>,
    next_step: Option<&'static str>,
    as_of: String,
}

impl Verdict {
    /// From the core's verdict: its JSON text and key fields, no JSON value built.
    pub fn from_core(verdict: &jianfu::Verdict<'_>) -> Self {
        Self {
            text: serde_json::to_string(verdict).unwrap_or_default(),
            value: OnceLock::new(),
            item: verdict.item.clone(),
            decision: verdict.decision.as_str(),
            missing: verdict.missing.iter().map(|m| m.as_str()).collect(),
            next_step: verdict.next_step.map(jianfu::Step::as_str),
            as_of: verdict.as_of.to_string(),
        }
    }

    /// From a verdict already given as a JSON value (the verdicts of a plan report).
    pub fn new(json: Value) -> Self {
        let text = |key: &str| member(&json, key).as_str().unwrap_or_default().to_owned();
        let decision = decision_str(member(&json, "decision").as_str());
        let next_step = member(&json, "next_step").as_str().and_then(step_str);
        let missing = elements(&json, "missing")
            .filter_map(|m| m.as_str().and_then(material_str))
            .collect();
        Self {
            item: text("item"),
            as_of: text("as_of"),
            decision,
            next_step,
            missing,
            text: json.to_string(),
            value: OnceLock::from(json),
        }
    }

    /// The whole verdict as a JSON value (parsed on first use).
    pub fn value(&self) -> &Value {
        self.value
            .get_or_init(|| serde_json::from_str(&self.text).unwrap_or_default())
    }

    /// The verdict as JSON text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The item id, decision, missing fields and next step (for result tables).
    pub fn parts(&self) -> (&str, &'static str, &[&'static str], Option<&'static str>) {
        (&self.item, self.decision, &self.missing, self.next_step)
    }
}

fn decision_str(s: Option<&str>) -> &'static str {
    [
        jianfu::Decision::Allowed,
        jianfu::Decision::NeedsApproval,
        jianfu::Decision::Incomplete,
        jianfu::Decision::Prohibited,
    ]
    .into_iter()
    .map(jianfu::Decision::as_str)
    .find(|d| Some(*d) == s)
    .unwrap_or("allowed")
}

fn step_str(s: &str) -> Option<&'static str> {
    serde_json::from_value::<jianfu::Step>(Value::from(s))
        .ok()
        .map(jianfu::Step::as_str)
}

fn material_str(s: &str) -> Option<&'static str> {
    serde_json::from_value::<jianfu::model::MaterialField>(Value::from(s))
        .ok()
        .map(|m| m.as_str())
}

#[pymethods]
impl Verdict {
    /// The item's id.
    #[getter]
    fn item(&self) -> &str {
        &self.item
    }

    /// `allowed`, `needs_approval`, `incomplete` or `prohibited`.
    #[getter]
    fn decision(&self) -> &'static str {
        self.decision
    }

    /// Material fields a rule requires and the item lacks.
    #[getter]
    fn missing(&self) -> Vec<&'static str> {
        self.missing.clone()
    }

    /// The next approval step, or None.
    #[getter]
    fn next_step(&self) -> Option<&'static str> {
        self.next_step
    }

    /// The date the verdict speaks for (`YYYY-MM-DD`).
    #[getter]
    fn as_of(&self) -> &str {
        &self.as_of
    }

    /// The ruleset that decided: `{id, version, digest}`.
    #[getter]
    fn ruleset<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, member(self.value(), "ruleset"))
    }

    /// Every rule that fired, in ruleset order.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        elements(self.value(), "findings")
            .cloned()
            .map(Finding::new)
            .collect()
    }

    /// The verdict as the JSON the core emits (plain dicts and lists).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.value())
    }

    /// The verdict as JSON text, byte for byte what the core and the CLI emit.
    fn to_json(&self) -> &str {
        &self.text
    }

    /// Rebuilds a verdict from its JSON text (used by pickling).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        let mut verdict = Self::new(value);
        text.clone_into(&mut verdict.text);
        Ok(verdict)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((
            slf.get_type().getattr("from_json")?,
            (slf.get().text.clone(),),
        ))
    }

    /// Item access by JSON key, as on the dict.
    fn __getitem__<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.value().get(key) {
            Some(value) => to_py(py, value),
            None => Err(pyo3::exceptions::PyKeyError::new_err(key.to_owned())),
        }
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        match other.cast::<Verdict>() {
            Ok(o) => Ok(o.get().text == self.text),
            Err(_) => equals(self.value(), other, None),
        }
    }

    /// The decision and the findings as an HTML card, for notebooks.
    fn _repr_html_(&self) -> String {
        jianfu::ffi::verdict_html(self.value())
    }

    fn __repr__(&self) -> String {
        // Python's spelling: 'leader_review' or None, not Rust's Some("leader_review").
        let next_step = self
            .next_step
            .map_or_else(|| "None".to_string(), |s| format!("{s:?}"));
        format!(
            "Verdict(item={:?}, decision={:?}, next_step={next_step})",
            self.item, self.decision
        )
    }
}
