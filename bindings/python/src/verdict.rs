//! `jianfu.Verdict`: the verdict on one item. The key fields are kept as plain values and the
//! whole verdict as the core's own value, beside the engine whose rule texts it points at (a
//! verdict made elsewhere, as a plan's or an unpickled one, as JSON text). The JSON is built
//! on first use of `findings`, `ruleset`, `to_dict()`, `to_json()` or `==`, so a check that
//! only reads `decision` never builds it, and a million verdicts hold no copies of messages
//! and citations.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use pyo3::prelude::*;
use serde_json::Value;

use crate::convert::to_py;
use crate::results::{Finding, elements, equals, member};

/// The core's verdict on an item (borrowing rule texts from the engine) with that engine.
type CoreVerdict<'e> = jianfu::Verdict<'e>;

self_cell::self_cell!(
    /// A core verdict that owns (a share of) the engine it borrows from.
    struct Checked {
        owner: Arc<jianfu::Engine>,
        #[covariant]
        dependent: CoreVerdict,
    }
);

/// The whole verdict: the core's value, or JSON text.
enum Body {
    Core(Checked),
    Json(String),
}

/// A verdict on one item (DESIGN.md §3).
#[pyclass(module = "jianfu._jianfu", frozen)]
pub struct Verdict {
    body: Body,
    value: OnceLock<Value>,
    item: String,
    decision: &'static str,
    missing: Vec<&'static str>,
    next_step: Option<&'static str>,
    as_of: String,
}

impl Verdict {
    /// The verdict `check` gives on an item: the core's value, kept with `engine`.
    pub fn checked(
        engine: &Arc<jianfu::Engine>,
        check: impl FnOnce(&jianfu::Engine) -> jianfu::Verdict<'_>,
    ) -> Self {
        let checked = Checked::new(Arc::clone(engine), |e| check(e));
        let verdict = checked.borrow_dependent();
        Self {
            item: verdict.item.clone(),
            decision: verdict.decision.as_str(),
            missing: verdict.missing.iter().map(|m| m.as_str()).collect(),
            next_step: verdict.next_step.map(jianfu::Step::as_str),
            as_of: verdict.as_of.to_string(),
            value: OnceLock::new(),
            body: Body::Core(checked),
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
            body: Body::Json(json.to_string()),
            value: OnceLock::from(json),
        }
    }

    /// The whole verdict as a JSON value (built on first use).
    pub fn value(&self) -> &Value {
        self.value.get_or_init(|| match &self.body {
            Body::Core(checked) => checked.borrow_dependent().to_json(),
            Body::Json(text) => serde_json::from_str(text).unwrap_or_default(),
        })
    }

    /// The verdict as JSON text, byte for byte what the core and the CLI emit.
    pub fn text(&self) -> Cow<'_, str> {
        match &self.body {
            Body::Core(checked) => {
                Cow::Owned(serde_json::to_string(checked.borrow_dependent()).unwrap_or_default())
            }
            Body::Json(text) => Cow::Borrowed(text),
        }
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
    fn to_json(&self) -> Cow<'_, str> {
        self.text()
    }

    /// Rebuilds a verdict from its JSON text (used by pickling).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        let mut verdict = Self::new(value);
        verdict.body = Body::Json(text.to_owned());
        Ok(verdict)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((
            slf.get_type().getattr("from_json")?,
            (slf.get().text().into_owned(),),
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
            Ok(o) => Ok(o.get().text() == self.text()),
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
