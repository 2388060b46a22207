//! `jianfu.Engine`: a compiled ruleset. Every method converts its arguments, calls the core
//! (with the GIL released for the heavy calls) and converts the result.

use std::path::PathBuf;
use std::sync::Arc;

use jianfu::ffi;
use jianfu::{AnnualPlan, Item, Register};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};
use serde_json::Value;

use crate::convert::{date_arg, json_text, to_py, to_value};
use crate::errors::{OrRaise, exception};
use crate::items::{self, ItemRow, Items};
use crate::prepared::Resolved;
use crate::reports::{Lazy, MonitorReport, ScoreReport};
use crate::results::{PlanReport, Review};
use crate::tables;
use crate::verdict::Verdict;
use crate::verdicts::VerdictTable;

/// What `__reduce__` returns: the rebuilding callable and its arguments (the sources).
type Reduced<'py> = (Bound<'py, PyAny>, (Vec<(String, String)>,));

/// A ruleset compiled for checking, review and scoring. Build once, use from many threads;
/// pickles by its ruleset sources.
#[pyclass(module = "jianfu._jianfu", frozen)]
pub struct Engine {
    inner: Arc<jianfu::Engine>,
    /// Threads for batch calls; `None`: every core, or one inside a Dask or Spark worker.
    threads: Option<usize>,
}

/// Items checked between two looks at Python's signals: a Ctrl-C stops a long batch within
/// a few milliseconds, and the GIL is released for each chunk's work.
pub(crate) const CHUNK: usize = 4096;

/// Drafts `review_many` holds and reviews at once, per thread: several for each thread to take.
const REVIEW_CHUNK_PER_THREAD: usize = 16;

/// Runs Python's signal handlers from work done without the GIL (taking it for a moment):
/// a pending Ctrl-C becomes `KeyboardInterrupt` and stops the batch.
fn signals() -> PyResult<()> {
    Python::attach(|py| py.check_signals())
}

/// An item argument as the core's [`Item`]: a dict converts without JSON text; a str is
/// JSON. A bad item raises the core's error (field path included), prefixed by `prefix`.
pub(crate) fn item_arg(py: Python<'_>, obj: &Bound<'_, PyAny>, prefix: &str) -> PyResult<Item> {
    if let Ok(text) = obj.cast::<PyString>() {
        return Item::from_json(&text.to_cow()?).map_err(|e| prefixed(py, &e, prefix, false));
    }
    match crate::de::from_py::<Item>(obj) {
        Ok(item) => Ok(item),
        // The core's own reader names the field; read the item through it for the error.
        Err(_) => match Item::from_json(&to_value(obj)?.to_string()) {
            Ok(item) => Ok(item),
            Err(e) => Err(prefixed(py, &e, prefix, true)),
        },
    }
}

/// The error with `prefix` (`[3]`) put in front of its field path. For an item given as a
/// dict, the line and column (of JSON text the caller never saw) are left out.
fn prefixed(py: Python<'_>, error: &jianfu::Error, prefix: &str, from_dict: bool) -> PyErr {
    let mut data = ffi::error_json(error);
    if let Some(location) = data.get_mut("location").and_then(Value::as_object_mut) {
        if from_dict {
            location.remove("line");
            location.remove("column");
        }
        if !prefix.is_empty() {
            let field = match location.get("field").and_then(Value::as_str) {
                Some(field) => format!("{prefix}.{field}"),
                None => prefix.to_owned(),
            };
            location.insert("field".into(), Value::String(field));
        }
    }
    match exception(py, &data) {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

/// An optional register argument (dict or JSON text).
fn register_arg(py: Python<'_>, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Register>> {
    obj.filter(|o| !o.is_none())
        .map(|o| Register::from_json(&json_text(o)?).py(py))
        .transpose()
}

impl Engine {
    /// Checks rows read from a table; the result table has one row per input row.
    fn check_rows(
        &self,
        py: Python<'_>,
        rows: &[ItemRow],
        as_of: chrono::NaiveDate,
        register: Option<Register>,
        verdict_json: bool,
    ) -> PyResult<Py<PyAny>> {
        let engine = &self.core(py)?;
        let batch = py.detach(|| {
            let mut table = VerdictTable::new(rows.len(), verdict_json);
            for chunk in rows.chunks(CHUNK) {
                append(&mut table, engine, chunk, as_of, register.as_ref());
                signals()?;
            }
            table.finish()
        })?;
        tables::to_pyarrow(py, batch)
    }

    /// Reads and checks a table batch by batch (a batch's items are dropped once checked).
    fn check_batches(
        &self,
        py: Python<'_>,
        batches: &[arrow_array::RecordBatch],
        as_of: chrono::NaiveDate,
        register: Option<Register>,
        verdict_json: bool,
    ) -> PyResult<Py<PyAny>> {
        let engine = &self.core(py)?;
        let total = batches.iter().map(arrow_array::RecordBatch::num_rows).sum();
        let batch = py.detach(|| {
            let mut table = VerdictTable::new(total, verdict_json);
            let (mut rows, mut first) = (Vec::new(), 0);
            for batch in batches {
                rows.clear();
                items::read_batch(batch, first, &mut rows)?;
                for chunk in rows.chunks(CHUNK) {
                    append(&mut table, engine, chunk, as_of, register.as_ref());
                    signals()?;
                }
                first += batch.num_rows();
            }
            table.finish()
        })?;
        tables::to_pyarrow(py, batch)
    }

    fn wrap(py: Python<'_>, engine: jianfu::Result<jianfu::Engine>) -> PyResult<Self> {
        Ok(Self {
            inner: Arc::new(engine.py(py)?),
            threads: None,
        })
    }

    /// The core engine with this call's threads: the set number, else every core outside a
    /// cluster worker and one inside (a worker's cores belong to its other tasks).
    fn core(&self, py: Python<'_>) -> PyResult<jianfu::Engine> {
        let threads = match self.threads {
            Some(n) => jianfu::Threads::new(n),
            None => {
                let in_worker = py
                    .import("jianfu")?
                    .getattr("_in_cluster_worker")?
                    .call0()?
                    .is_truthy()?;
                if in_worker {
                    jianfu::Threads::ONE
                } else {
                    jianfu::Threads::ALL
                }
            }
        };
        Ok((*self.inner).clone().with_threads(threads))
    }

    fn verdicts(
        &self,
        py: Python<'_>,
        items: &[Item],
        as_of: chrono::NaiveDate,
        register: Option<&Register>,
    ) -> PyResult<Vec<Verdict>> {
        // Checked on this call's threads; each verdict keeps a share of the engine.
        let threads = self.core(py)?.threads();
        let engine = &self.inner;
        let mut out = Vec::with_capacity(items.len());
        for chunk in items.chunks(CHUNK) {
            py.detach(|| {
                out.extend(threads.map(chunk, |item| {
                    Verdict::checked(engine, |e| check(e, item, as_of, register, |v| v))
                }));
            });
            py.check_signals()?;
        }
        Ok(out)
    }
}

/// Checks `rows` into `table`: a verdict per item, the error of a row that did not read.
fn append<'e>(
    table: &mut VerdictTable<'e>,
    engine: &'e jianfu::Engine,
    rows: &[ItemRow],
    as_of: chrono::NaiveDate,
    register: Option<&Register>,
) {
    // Checked on the engine's threads, pushed in input order.
    let verdicts = engine.threads().map(rows, |row| {
        row.as_ref()
            .ok()
            .map(|item| check(engine, item, as_of, register, |v| v))
    });
    for (row, verdict) in rows.iter().zip(verdicts) {
        match (row, verdict) {
            (_, Some(verdict)) => table.push(&verdict),
            (Err(error), None) => table.push_error(error),
            (Ok(_), None) => {}
        }
    }
}

/// Checks one item (with the register, if any) and hands the core's verdict to `then`.
pub(crate) fn check<'e, T>(
    engine: &'e jianfu::Engine,
    item: &Item,
    as_of: chrono::NaiveDate,
    register: Option<&Register>,
    then: impl FnOnce(jianfu::Verdict<'e>) -> T,
) -> T {
    match register {
        Some(register) => then(engine.check_with(item, as_of, register)),
        None => then(engine.check(item, as_of)),
    }
}

#[pymethods]
impl Engine {
    /// The engine over the embedded default ruleset (national → Henan → Sanmenxia), or over
    /// an embedded jurisdiction's layers (`jurisdiction="mianchi"`, `"zhengzhou"`,
    /// `"shaanxi"`).
    ///
    /// `threads` bounds the threads of batch calls (`check_many`, `review_many`, a long
    /// `review`, `score`, `partial`, `monitor`); by default every core, or one inside a Dask
    /// or Spark worker.
    #[new]
    #[pyo3(signature = (*, jurisdiction = None, threads = None))]
    fn new(py: Python<'_>, jurisdiction: Option<&str>, threads: Option<usize>) -> PyResult<Self> {
        let engine = match jurisdiction {
            Some(id) => Self::wrap(py, jianfu::Engine::for_jurisdiction(id)),
            None => Self::wrap(py, jianfu::Engine::embedded()),
        }?;
        Ok(Self { threads, ..engine })
    }

    /// The same engine (shared, not rebuilt) with another thread setting; `None` restores the
    /// default.
    #[pyo3(signature = (threads))]
    fn with_threads(&self, threads: Option<usize>) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            threads,
        }
    }

    /// The thread setting: a number, or `None` for the default.
    #[getter]
    fn threads(&self) -> Option<usize> {
        self.threads
    }

    /// Loads a ruleset from a path: a layer file, a manifest (`layers = [...]`) or a
    /// directory holding `ruleset.toml`.
    #[staticmethod]
    fn from_path(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        Self::wrap(
            py,
            jianfu::Ruleset::from_path(path).and_then(jianfu::Engine::new),
        )
    }

    /// A single-layer ruleset from TOML text; `name` names it in errors.
    #[staticmethod]
    #[pyo3(signature = (text, name = "<string>"))]
    fn from_string(py: Python<'_>, text: &str, name: &str) -> PyResult<Self> {
        Self::wrap(
            py,
            jianfu::Ruleset::from_sources(&[(name, text)]).and_then(jianfu::Engine::new),
        )
    }

    /// A layered ruleset from TOML texts, outermost first: each a str (named `layer-N`) or a
    /// `(name, text)` pair.
    #[staticmethod]
    fn from_strings(py: Python<'_>, layers: &Bound<'_, PyAny>) -> PyResult<Self> {
        let mut sources = Vec::new();
        for (i, layer) in layers.try_iter()?.enumerate() {
            let layer = layer?;
            if let Ok(pair) = layer.cast::<PyTuple>() {
                sources.push(pair.extract::<(String, String)>()?);
            } else {
                sources.push((format!("layer-{}", i + 1), layer.extract::<String>()?));
            }
        }
        Self::wrap(
            py,
            jianfu::Ruleset::from_sources(&sources).and_then(jianfu::Engine::new),
        )
    }

    /// The ruleset's `{id, version, digest}`.
    #[getter]
    fn ruleset<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(
            py,
            &serde_json::to_value(self.inner.ruleset().info()).unwrap_or_default(),
        )
    }

    /// The ruleset's layer sources, `[(name, text)]`, outermost first.
    fn sources(&self) -> Vec<(String, String)> {
        self.inner.ruleset().sources().to_vec()
    }

    /// Pickling: the engine is rebuilt from its ruleset sources.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py>> {
        let rebuild = py
            .import("jianfu._jianfu")?
            .getattr("Engine")?
            .getattr("from_strings")?;
        Ok((rebuild, (self.sources(),)))
    }

    fn __repr__(&self) -> String {
        let info = self.inner.ruleset().info();
        format!(
            "Engine(ruleset={:?}, version={:?}, digest={:?})",
            info.id, info.version, info.digest
        )
    }

    /// Checks one item (a dict or JSON text) as of a date; `register` (dict or JSON text)
    /// adds the period's other items for the cross-item rules.
    #[pyo3(signature = (item, as_of = None, register = None))]
    fn check(
        &self,
        py: Python<'_>,
        item: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        register: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Verdict> {
        let item = item_arg(py, item, "")?;
        let as_of = date_arg(py, as_of)?;
        let register = register_arg(py, register)?;
        Ok(Verdict::checked(&self.inner, |e| {
            check(e, &item, as_of, register.as_ref(), |v| v)
        }))
    }

    /// Verdicts for an iterable of items (dicts or JSON text), pulled and checked 4,096 at a
    /// time as the result is iterated: a generator over a file of any size is checked in
    /// bounded memory. A bad item raises when its turn comes, naming its index.
    #[pyo3(signature = (items, as_of = None, register = None))]
    fn iter_check(
        &self,
        py: Python<'_>,
        items: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        register: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<crate::stream::VerdictIter> {
        let as_of = date_arg(py, as_of)?;
        let register = register_arg(py, register)?;
        Ok(crate::stream::VerdictIter::new(
            Arc::clone(&self.inner),
            items.try_iter()?,
            as_of,
            register,
        ))
    }

    /// Checks many items. A table (pyarrow, polars, pandas; one row per item, nested fields
    /// as struct/list columns) or `jianfu.Items` read from one gives a table of the same
    /// library (pandas in, pandas out) with one row per input row (`item, decision, rules,
    /// missing, next_step, findings` (list of struct), `verdict` (JSON, with
    /// `verdict_json=True`), `error` (JSON, for a row that could not be read)). A list of
    /// dicts, or JSON / JSON Lines text, gives a list of `Verdict`; a bad item raises, naming
    /// its index. `frame` (`"pyarrow"`, `"pandas"`, `"polars"`) asks for a table of that
    /// library whatever the input.
    #[expect(clippy::too_many_arguments, reason = "Python keyword arguments")]
    #[pyo3(signature = (items, as_of = None, register = None, *, verdict_json = false, progress = None, frame = None))]
    fn check_many(
        &self,
        py: Python<'_>,
        items: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        register: Option<&Bound<'_, PyAny>>,
        verdict_json: bool,
        progress: Option<&Bound<'_, PyAny>>,
        frame: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        // `progress(n)` is told of each n items checked (a tqdm bar's `update` fits).
        let done = |n: usize| progress.map_or(Ok(()), |p| p.call1((n,)).map(drop));
        let as_of = date_arg(py, as_of)?;
        let register = register_arg(py, register)?;
        let chosen = frame.map(tables::Frame::named).transpose()?;
        if let Ok(prepared) = items.cast::<Items>() {
            let prepared = prepared.get();
            let rows = prepared.rows();
            let table = self.check_rows(py, rows, as_of, register, verdict_json)?;
            done(rows.len())?;
            return chosen.unwrap_or(prepared.frame()).wrap(py, table);
        }
        if tables::is_table(items)? {
            let (_, batches) = tables::batches(items)?;
            let table = self.check_batches(py, &batches, as_of, register, verdict_json)?;
            done(batches.iter().map(|b| b.num_rows()).sum())?;
            return chosen.unwrap_or(tables::Frame::of(items)?).wrap(py, table);
        }
        if let Some(frame) = chosen {
            // Items as a list or text, verdicts as a table of the library asked for.
            let mut rows = Vec::new();
            if let Ok(text) = items.cast::<PyString>() {
                let text = text.to_cow()?;
                for record in py.detach(|| ffi::parse_items(&text, "<items>")) {
                    rows.push(Ok(record.item.py(py)?));
                }
            } else {
                for (i, item) in items.try_iter()?.enumerate() {
                    rows.push(Ok(item_arg(py, &item?, &format!("[{i}]"))?));
                }
            }
            let table = self.check_rows(py, &rows, as_of, register, verdict_json)?;
            done(rows.len())?;
            return frame.wrap(py, table);
        }
        if let Ok(text) = items.cast::<PyString>() {
            let text = text.to_cow()?.into_owned();
            let records = py.detach(|| ffi::parse_items(&text, "<items>"));
            let mut parsed = Vec::with_capacity(records.len());
            for record in records {
                parsed.push(record.item.py(py)?);
            }
            let list = self.verdicts(py, &parsed, as_of, register.as_ref())?;
            done(list.len())?;
            return Ok(PyList::new(py, list)?.into_any().unbind());
        }
        // Read and checked a chunk at a time: only one chunk of items is held, not all of them.
        let (mut list, mut chunk) = (Vec::new(), Vec::with_capacity(CHUNK));
        for (i, item) in items.try_iter()?.enumerate() {
            chunk.push(item_arg(py, &item?, &format!("[{i}]"))?);
            if chunk.len() == CHUNK {
                list.extend(self.verdicts(py, &chunk, as_of, register.as_ref())?);
                done(chunk.len())?;
                chunk.clear();
            }
        }
        list.extend(self.verdicts(py, &chunk, as_of, register.as_ref())?);
        done(chunk.len())?;
        Ok(PyList::new(py, list)?.into_any().unbind())
    }

    /// Reviews a draft document for clauses that push burden onto schools.
    #[pyo3(signature = (text, as_of = None))]
    fn review(
        &self,
        py: Python<'_>,
        text: String,
        as_of: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Review> {
        let as_of = date_arg(py, as_of)?;
        // This call's threads: a long draft is read in pieces on them.
        let engine = &self.core(py)?;
        // Read part by part (the findings of the whole text), so Ctrl-C stops a long draft.
        let mut reader = crate::interrupt::Interruptible::new(text.as_bytes());
        // Each finding becomes JSON as it comes, so the conversion is interruptible too.
        let json = py.detach(|| {
            let mut findings = Vec::new();
            let review = engine.review_reader(&mut reader, "<text>", as_of, |f| {
                findings.push(serde_json::to_value(f).unwrap_or_default());
                Ok(())
            })?;
            let mut json = serde_json::to_value(review).unwrap_or_default();
            if let Some(object) = json.as_object_mut() {
                object.insert("findings".into(), Value::Array(findings));
            }
            Ok::<_, jianfu::Error>(json)
        });
        if let Some(raised) = reader.raised.take() {
            return Err(raised);
        }
        Ok(Review::new(json.py(py)?))
    }

    /// Reviews many drafts at once on this engine's threads: a `Review` of each, in order, as
    /// `review` gives it.
    #[pyo3(signature = (texts, as_of = None))]
    fn review_many(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<Review>> {
        if texts.is_instance_of::<PyString>() {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "texts: 文稿列表须为字符串的序列，单篇请用 review / a list of drafts, not one str \
                 (use review for one draft)",
            ));
        }
        let as_of = date_arg(py, as_of)?;
        let engine = self.core(py)?;
        // Reviewed a chunk at a time: only one chunk of drafts is held as Rust strings, and
        // Ctrl-C is seen between chunks.
        let per_chunk = engine.threads().count() * REVIEW_CHUNK_PER_THREAD;
        let mut reviews = Vec::new();
        let mut chunk: Vec<String> = Vec::with_capacity(per_chunk);
        let mut review_chunk = |chunk: &mut Vec<String>| -> PyResult<()> {
            let json = py.detach(|| {
                engine
                    .review_many(chunk, as_of)
                    .iter()
                    .map(|r| serde_json::to_value(r).unwrap_or_default())
                    .collect::<Vec<_>>()
            });
            reviews.extend(json.into_iter().map(Review::new));
            chunk.clear();
            py.check_signals()
        };
        for (i, text) in texts.try_iter()?.enumerate() {
            let text = text?;
            let text = text.extract::<String>().map_err(|_| {
                pyo3::exceptions::PyTypeError::new_err(format!(
                    "texts[{i}]: 文稿须为字符串 / a draft must be str, not {}",
                    text.get_type()
                        .name()
                        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
                ))
            })?;
            chunk.push(text);
            if chunk.len() == per_chunk {
                review_chunk(&mut chunk)?;
            }
        }
        review_chunk(&mut chunk)?;
        Ok(reviews)
    }

    /// Checks an annual inspection plan (dict or JSON text).
    #[pyo3(signature = (plan, as_of = None, register = None))]
    fn check_plan(
        &self,
        py: Python<'_>,
        plan: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        register: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PlanReport> {
        let plan = AnnualPlan::from_json(&json_text(plan)?).py(py)?;
        let as_of = date_arg(py, as_of)?;
        let register = register_arg(py, register)?;
        let report = self.inner.check_plan(&plan, as_of, register.as_ref());
        Ok(PlanReport::new(
            serde_json::to_value(report).unwrap_or_default(),
        ))
    }

    /// Every rule (all dated versions) as dicts.
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &ffi::rules_json(&self.inner))
    }

    /// One rule explained: dated versions, source document, parameters, approval chain.
    fn explain<'py>(&self, py: Python<'py>, rule_id: &str) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &ffi::explain_json(&self.inner, rule_id).py(py)?)
    }

    /// A generated city to try scoring on (示例数据): `(events, schools)` tables, the same
    /// rows `jianfu demo-data` writes for the same seed, in the library `frame` names.
    /// `semesters` are ids of this engine's calendar (default: `["2026-spring"]`).
    #[pyo3(signature = (*, seed = 1, schools = 1200, semesters = None, frame = "pyarrow"))]
    fn demo_data(
        &self,
        py: Python<'_>,
        seed: u64,
        schools: usize,
        semesters: Option<Vec<String>>,
        frame: &str,
    ) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
        let frame = tables::Frame::named(frame)?;
        let mut config = jianfu::score::demo::DemoConfig {
            seed,
            schools,
            ..Default::default()
        };
        if let Some(semesters) = semesters {
            config.semesters = semesters;
        }
        let engine = &*self.inner;
        let (events, schools) = py
            .detach(|| -> jianfu::Result<_> {
                config.check(engine.calendar())?;
                let schools = jianfu::score::demo::schools(&config);
                let events = jianfu::score::demo::events(&config, &schools, engine.calendar());
                Ok((
                    jianfu::arrow::events_batch(&events, &schools)?,
                    jianfu::arrow::schools_batch(&schools)?,
                ))
            })
            .py(py)?;
        Ok((
            frame.wrap(py, tables::to_pyarrow(py, events)?)?,
            frame.wrap(py, tables::to_pyarrow(py, schools)?)?,
        ))
    }

    /// The ruleset linter's findings as dicts.
    fn lint<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &ffi::lint_json(&self.inner))
    }

    /// Scores events for one period (`2026-spring-1`): `score(events, schools, period)`,
    /// where `events` and `schools` are tables (pyarrow, polars, pandas), lists of row dicts,
    /// or CSV / JSON text, or `score(tables, period)` with `jianfu.Tables` read once. Bad rows
    /// are skipped and listed in `report.errors`; a column the reader does not take refuses the
    /// table (`SchemaError`) unless `extra_columns="ignore"`.
    #[pyo3(signature = (events, schools, period = None, *, extra_columns = "error"))]
    fn score(
        &self,
        py: Python<'_>,
        events: &Bound<'_, PyAny>,
        schools: &Bound<'_, PyAny>,
        period: Option<String>,
        extra_columns: &str,
    ) -> PyResult<ScoreReport> {
        let (tables, period) = Resolved::new(py, events, schools, period, extra_columns)?;
        let (events, schools) = (tables.events(), tables.schools());
        let engine = &self.core(py)?;
        let report = py
            .detach(|| engine.score(events, schools, &period))
            .py(py)?;
        Ok(ScoreReport {
            inner: Lazy::new(report),
            errors: tables.error_data().clone(),
            events_read: events.len(),
            frame: tables.frame(),
        })
    }

    /// The sums of `score` over these events only (a county's, a worker's share), to combine
    /// with `Partial.merge` / `jianfu.merge` and turn into the report with `Partial.finish()`:
    /// the result equals `score` over all the events, byte for byte. Arguments as for
    /// `score`; row errors travel with the partial.
    #[pyo3(signature = (events, schools, period = None, *, extra_columns = "error"))]
    fn partial(
        &self,
        py: Python<'_>,
        events: &Bound<'_, PyAny>,
        schools: &Bound<'_, PyAny>,
        period: Option<String>,
        extra_columns: &str,
    ) -> PyResult<crate::partial::Partial> {
        let (tables, period) = Resolved::new(py, events, schools, period, extra_columns)?;
        let (events, schools) = (tables.events(), tables.schools());
        let engine = &self.core(py)?;
        let inner = py
            .detach(|| engine.partial(events, schools, &period))
            .py(py)?;
        let errors = tables.error_data().as_array().cloned().unwrap_or_default();
        Ok(crate::partial::Partial { inner, errors })
    }

    /// The monitoring report for one period, with its HTML rendering (`title` heads it; by
    /// default the title the CLI gives).
    /// Arguments as for `score`; `ladder` is `"all_schools"` or `"sample_points"`.
    #[expect(clippy::too_many_arguments, reason = "Python keyword arguments")]
    #[pyo3(signature = (events, schools, period = None, title = None, *, ladder = "all_schools", extra_columns = "error"))]
    fn monitor(
        &self,
        py: Python<'_>,
        events: &Bound<'_, PyAny>,
        schools: &Bound<'_, PyAny>,
        period: Option<String>,
        title: Option<&str>,
        ladder: &str,
        extra_columns: &str,
    ) -> PyResult<MonitorReport> {
        let options = jianfu::score::MonitorOptions {
            ladder: ladder.parse().py(py)?,
        };
        let (tables, period) = Resolved::new(py, events, schools, period, extra_columns)?;
        let (events, schools) = (tables.events(), tables.schools());
        let engine = &self.core(py)?;
        let (report, html) = py
            .detach(|| {
                engine
                    .monitor_with(events, schools, &period, options)
                    .map(|report| {
                        let html = jianfu::score::html::render(
                            &report,
                            title.unwrap_or(jianfu::score::html::DEFAULT_TITLE),
                        );
                        (report, html)
                    })
            })
            .py(py)?;
        Ok(MonitorReport {
            inner: Lazy::new(report),
            html,
            errors: tables.error_data().clone(),
            frame: tables.frame(),
        })
    }
}
