//! WASM bindings for jianfu: type and error conversion only; all logic is in the core crate.
//!
//! Every call takes JSON-shaped input (a JS value, or JSON text) and returns plain JS values
//! with exactly the JSON shapes of the Rust API (`jianfu::ffi`). Errors are JS `Error`s with
//! the core's stable `code` and a `location` (`{source, line, column, field, rule}` or `null`).
#![forbid(unsafe_code)]

use jianfu::ffi::{self, TableFormat};
use jianfu::score::{EventRef, Events, Schools, read, reason};
use jianfu::{Error, Location};
use js_sys::{Array, JSON, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

#[wasm_bindgen]
extern "C" {
    /// A register given as an object or JSON text (optional arguments keep their type).
    #[wasm_bindgen(typescript_type = "Register | string")]
    pub type RegisterInput;
    /// An optional string argument, taken as any JS value so a wrong type is a `TypeError`
    /// (wasm-bindgen's own `Option<String>` would read a number's memory as a string).
    #[wasm_bindgen(typescript_type = "string")]
    pub type StringInput;
}

/// The register argument as JSON text, if given.
fn register_text(register: Option<RegisterInput>) -> Result<Option<String>, JsValue> {
    optional_text(
        &register.map_or(JsValue::UNDEFINED, JsValue::from),
        "register",
    )
}

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The label table (术语表): for each vocabulary its Chinese name and, by code, each term's
/// Chinese and English labels and the aliases accepted on input.
#[wasm_bindgen(unchecked_return_type = "Labels")]
pub fn labels() -> Result<JsValue, JsValue> {
    to_js(&ffi::labels_json())
}

/// A file's bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030, told
/// apart from the bytes (a GBK CSV dropped on the page reads as its text, not mojibake).
// Not `decodeText`: wasm-bindgen's generated glue has a private function of that name.
#[wasm_bindgen(js_name = decodeBytes)]
pub fn decode_text(bytes: &[u8], source: Option<String>) -> Result<String, JsValue> {
    let source = source.as_deref().unwrap_or("<bytes>");
    jianfu::encoding::decode(bytes.to_vec(), source).map_err(|e| js_error(&e))
}

/// A schools or events file's text from its bytes: an Excel/WPS workbook's first sheet as CSV,
/// or the text in whatever encoding it is (the dashboard reads dropped files through it).
#[wasm_bindgen(js_name = tableText)]
pub fn table_text_of(bytes: &[u8], source: Option<String>) -> Result<String, JsValue> {
    let source = source.as_deref().unwrap_or("<bytes>");
    jianfu::sheet::Sheet::table_text(bytes.to_vec(), source).map_err(|e| js_error(&e))
}

/// A core error as a JS `Error` with `code` and `location`.
fn js_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name("JianfuError");
    let location = match ffi::error_json(error).get("location") {
        Some(location) => to_js(location).unwrap_or(JsValue::NULL),
        None => JsValue::NULL,
    };
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&js, &"code".into(), &error.code().into());
    let _ = Reflect::set(&js, &"location".into(), &location);
    js.into()
}

/// A serialisable value as a plain JS value (the same JSON shape, key order kept). Core structs
/// are serialised straight to text (not through a `serde_json::Value` tree, as `jianfu::ffi`
/// does): the same bytes, faster.
fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| JsValue::from(e.to_string()))?;
    JSON::parse(&text)
}

/// JSON text from the core, parsed into a JS value.
fn parse(text: Result<String, Error>) -> Result<JsValue, JsValue> {
    JSON::parse(&js(text)?)
}

fn js<T>(value: Result<T, Error>) -> Result<T, JsValue> {
    value.map_err(|e| js_error(&e))
}

fn result(value: Result<Value, Error>) -> Result<JsValue, JsValue> {
    match value {
        Ok(value) => to_js(&value),
        Err(error) => Err(js_error(&error)),
    }
}

/// JSON text for a JS value: a string is taken as JSON text, anything else is stringified.
fn json_text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if value.is_undefined() || value.is_null() || value.is_function() {
        return Err(js_error(&Error::item(
            Location::source(what),
            format!("expected a JSON object or JSON text for `{what}`"),
        )));
    }
    // A symbol, a BigInt or a cyclic object has no JSON text: a TypeError, not a panic.
    let expected = "a JSON object or JSON text";
    let text: JsValue = JSON::stringify(value)
        .map_err(|_| type_error(what, expected, value))?
        .into();
    text.as_string()
        .ok_or_else(|| type_error(what, expected, value))
}

/// A string argument, or a `TypeError` naming it (a number passed for a date, say).
fn string_arg(value: &JsValue, what: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| type_error(what, "a string", value))
}

/// An optional string argument (`undefined` and `null` mean absent), or a `TypeError`
/// naming it.
fn optional_string(value: Option<StringInput>, what: &str) -> Result<Option<String>, JsValue> {
    match value.map(JsValue::from) {
        None => Ok(None),
        Some(value) if value.is_undefined() || value.is_null() => Ok(None),
        Some(value) => string_arg(&value, what).map(Some),
    }
}

fn type_error(what: &str, expected: &str, got: &JsValue) -> JsValue {
    let kind = got.js_typeof().as_string().unwrap_or_default();
    js_sys::TypeError::new(&format!("`{what}`: expected {expected}, got {kind}")).into()
}

/// An optional JSON input (`undefined` and `null` mean absent).
fn optional_text(value: &JsValue, what: &str) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        json_text(value, what).map(Some)
    }
}

/// A prepared engine: a validated ruleset with its lexicon built.
#[wasm_bindgen]
pub struct Engine {
    inner: jianfu::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// The engine over the embedded default ruleset (national → Henan → Sanmenxia).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Engine, JsValue> {
        jianfu::Engine::embedded()
            .map(|inner| Engine { inner })
            .map_err(|e| js_error(&e))
    }

    /// The engine over an embedded jurisdiction's layers (`mianchi`, `zhengzhou`, `shaanxi`,
    /// or the default `sanmenxia`).
    #[wasm_bindgen(js_name = forJurisdiction)]
    pub fn for_jurisdiction(
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<Engine, JsValue> {
        let id = string_arg(&id, "id")?;
        jianfu::Engine::for_jurisdiction(&id)
            .map(|inner| Engine { inner })
            .map_err(|e| js_error(&e))
    }

    /// An engine over one ruleset layer given as TOML text.
    #[wasm_bindgen(js_name = fromToml)]
    pub fn from_toml(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        name: Option<StringInput>,
    ) -> Result<Engine, JsValue> {
        let text = string_arg(&text, "text")?;
        let name = optional_string(name, "name")?.unwrap_or_else(|| "ruleset.toml".to_string());
        Self::build(&[(name, text)])
    }

    /// An engine over several layers, outermost first: `[{name, toml}]` or `[[name, toml]]`.
    #[wasm_bindgen(js_name = fromLayers)]
    pub fn from_layers(
        #[wasm_bindgen(
            unchecked_param_type = "Array<{ name: string; toml: string } | [string, string]>"
        )]
        layers: JsValue,
    ) -> Result<Engine, JsValue> {
        let mut pairs = Vec::new();
        for (index, layer) in Array::from(&layers).iter().enumerate() {
            let field = |key: &str, at: u32| {
                let value = if Array::is_array(&layer) {
                    Array::from(&layer).get(at)
                } else {
                    Reflect::get(&layer, &key.into()).unwrap_or(JsValue::UNDEFINED)
                };
                value.as_string().ok_or_else(|| {
                    js_error(&Error::RulesetSyntax {
                        location: Box::new(
                            Location::source("layers").field(format!("[{index}].{key}")),
                        ),
                        reason: format!("expected a string `{key}`"),
                    })
                })
            };
            pairs.push((field("name", 0)?, field("toml", 1)?));
        }
        Self::build(&pairs)
    }

    fn build(layers: &[(String, String)]) -> Result<Engine, JsValue> {
        jianfu::Ruleset::from_sources(layers)
            .and_then(jianfu::Engine::new)
            .map(|inner| Engine { inner })
            .map_err(|e| js_error(&e))
    }

    /// The ruleset's id, version and digest.
    #[wasm_bindgen(unchecked_return_type = "RulesetInfo")]
    pub fn info(&self) -> Result<JsValue, JsValue> {
        result(
            serde_json::to_value(self.inner.ruleset().info())
                .map_err(|e| Error::write_failed("<info>", e)),
        )
    }

    /// Checks one item as of a date (`YYYY-MM-DD`), optionally against a register.
    #[wasm_bindgen(unchecked_return_type = "Verdict")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Item | string")] item: JsValue,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "string")] as_of: JsValue,
        register: Option<RegisterInput>,
    ) -> Result<JsValue, JsValue> {
        let item = json_text(&item, "item")?;
        let as_of = string_arg(&as_of, "asOf")?;
        let register = register_text(register)?;
        parse(ffi::check_text(
            &self.inner,
            &item,
            &as_of,
            register.as_deref(),
        ))
    }

    /// Checks many items (an array, or JSON / JSON Lines text): one verdict per record, or
    /// `{error}` for a record that could not be read.
    #[wasm_bindgen(js_name = checkMany, unchecked_return_type = "Array<Verdict | RecordError>")]
    pub fn check_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Item[] | string")] items: JsValue,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "string")] as_of: JsValue,
        register: Option<RegisterInput>,
    ) -> Result<JsValue, JsValue> {
        let items = json_text(&items, "items")?;
        let as_of = string_arg(&as_of, "asOf")?;
        let register = register_text(register)?;
        parse(ffi::check_many_text(
            &self.inner,
            &items,
            &as_of,
            register.as_deref(),
        ))
    }

    /// Reviews a draft document for clauses that push burden onto schools.
    #[wasm_bindgen(unchecked_return_type = "Review")]
    pub fn review(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "string")] as_of: JsValue,
    ) -> Result<JsValue, JsValue> {
        let text = string_arg(&text, "text")?;
        let as_of = string_arg(&as_of, "asOf")?;
        parse(ffi::review_text(&self.inner, &text, &as_of))
    }

    /// Checks an annual inspection plan.
    #[wasm_bindgen(unchecked_return_type = "PlanReport")]
    pub fn plan(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AnnualPlan | string")] plan: JsValue,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "string")] as_of: JsValue,
        register: Option<RegisterInput>,
    ) -> Result<JsValue, JsValue> {
        let plan = json_text(&plan, "plan")?;
        let as_of = string_arg(&as_of, "asOf")?;
        let register = register_text(register)?;
        result(ffi::plan_json(
            &self.inner,
            &plan,
            &as_of,
            register.as_deref(),
        ))
    }

    /// Checks a sheet of items (CSV in any encoding, or an Excel/WPS workbook's first sheet)
    /// whose headers name item fields in Chinese: one entry per row, `{row, item, verdict}` or
    /// `{row, error}`.
    #[wasm_bindgen(js_name = checkSheet, unchecked_return_type = "SheetRow[]")]
    pub fn check_sheet(
        &self,
        bytes: &[u8],
        name: Option<String>,
        #[wasm_bindgen(unchecked_param_type = "string")] as_of: JsValue,
    ) -> Result<JsValue, JsValue> {
        let as_of = string_arg(&as_of, "asOf")?;
        let source = name.as_deref().unwrap_or("<sheet>");
        let rows = ffi::check_sheet_json(&self.inner, bytes.to_vec(), source, &as_of)
            .map_err(|e| js_error(&e))?;
        to_js(&rows)
    }

    /// Every rule, all dated versions.
    #[wasm_bindgen(unchecked_return_type = "Rule[]")]
    pub fn rules(&self) -> Result<JsValue, JsValue> {
        to_js(&ffi::rules_json(&self.inner))
    }

    /// One rule explained: versions, source document, parameters and approval chain.
    #[wasm_bindgen(unchecked_return_type = "Explanation")]
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<JsValue, JsValue> {
        let id = string_arg(&id, "id")?;
        result(ffi::explain_json(&self.inner, &id))
    }

    /// The ruleset linter's findings.
    #[wasm_bindgen(unchecked_return_type = "LintFinding[]")]
    pub fn lint(&self) -> Result<JsValue, JsValue> {
        to_js(&ffi::lint_json(&self.inner))
    }

    /// Scores the tables for one period of the calendar (`2026-spring-1`):
    /// `{report, errors}` where `errors` are the rows that could not be read.
    #[wasm_bindgen(unchecked_return_type = "ScoreResult")]
    pub fn score(
        &self,
        tables: &Tables,
        #[wasm_bindgen(unchecked_param_type = "string")] period: JsValue,
    ) -> Result<JsValue, JsValue> {
        let period = string_arg(&period, "period")?;
        let report = self
            .inner
            .score(&tables.events, &tables.schools, &period)
            .map_err(|e| js_error(&e))?;
        result(
            serde_json::to_value(report)
                .map(|report| serde_json::json!({ "report": report, "errors": ffi::errors_json(&tables.errors) }))
                .map_err(|e| Error::write_failed("<report>", e)),
        )
    }

    /// The monitoring report for one period: `{report, html, errors}`; `html` is a
    /// self-contained page with SVG charts. `ladder`: `"all_schools"` (default) or
    /// `"sample_points"`.
    #[wasm_bindgen(unchecked_return_type = "MonitorResult")]
    pub fn monitor(
        &self,
        tables: &Tables,
        #[wasm_bindgen(unchecked_param_type = "string")] period: JsValue,
        title: Option<StringInput>,
        ladder: Option<StringInput>,
    ) -> Result<JsValue, JsValue> {
        let period = string_arg(&period, "period")?;
        let title = optional_string(title, "title")?;
        let ladder = optional_string(ladder, "ladder")?;
        let options = jianfu::score::MonitorOptions {
            ladder: ladder
                .as_deref()
                .unwrap_or("all_schools")
                .parse()
                .map_err(|e| js_error(&e))?,
        };
        let report = self
            .inner
            .monitor_with(&tables.events, &tables.schools, &period, options)
            .map_err(|e| js_error(&e))?;
        let title = title
            .as_deref()
            .unwrap_or(jianfu::score::html::DEFAULT_TITLE);
        let html = jianfu::score::html::render(&report, title);
        // The report's charts, for the page's dashboard: one chart stack for both.
        let charts: serde_json::Map<String, serde_json::Value> =
            jianfu::score::html::charts(&report)
                .into_iter()
                .map(|(id, svg)| (id.to_string(), svg.into()))
                .collect();
        result(
            serde_json::to_value(report)
                .map(|report| {
                    serde_json::json!({ "report": report, "html": html, "charts": charts, "errors": ffi::errors_json(&tables.errors) })
                })
                .map_err(|e| Error::write_failed("<report>", e)),
        )
    }
}

/// Schools and events read for scoring. Bad rows are kept as `errors`; the rest are kept.
#[wasm_bindgen]
pub struct Tables {
    events: Events,
    schools: Schools,
    errors: Vec<Error>,
}

fn format_of(text: &str) -> TableFormat {
    if text.trim_start().starts_with('[') {
        TableFormat::Json
    } else {
        TableFormat::Csv
    }
}

fn table_text(value: &JsValue, what: &str) -> Result<(String, TableFormat), JsValue> {
    let text = json_text(value, what)?;
    let format = format_of(&text);
    Ok((text, format))
}

#[wasm_bindgen]
impl Tables {
    /// Reads events and schools given as CSV text (with a header row), JSON text, or arrays
    /// of row objects.
    #[wasm_bindgen(js_name = read)]
    pub fn read(
        #[wasm_bindgen(unchecked_param_type = "string | EventRow[]")] events: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | SchoolRow[]")] schools: JsValue,
    ) -> Result<Tables, JsValue> {
        let (events, events_format) = table_text(&events, "events")?;
        let (schools, schools_format) = table_text(&schools, "schools")?;
        let (events, schools, errors) =
            ffi::read_tables(&events, events_format, &schools, schools_format)
                .map_err(|e| js_error(&e))?;
        Ok(Tables {
            events,
            schools,
            errors,
        })
    }

    /// Reads events from typed columns (one array per field, all the same length; `hours` may
    /// be a `Float64Array`) and schools from CSV text, JSON text or row objects.
    #[wasm_bindgen(js_name = fromColumns)]
    pub fn from_columns(
        #[wasm_bindgen(unchecked_param_type = "EventColumns")] columns: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | SchoolRow[]")] schools: JsValue,
    ) -> Result<Tables, JsValue> {
        let (schools, schools_format) = table_text(&schools, "schools")?;
        let read = match schools_format {
            TableFormat::Csv => jianfu::score::read::schools_csv(&schools, "schools"),
            TableFormat::Json => jianfu::score::read::schools_json(&schools, "schools"),
        };
        jianfu::score::read::refuse_schema(&read.errors).map_err(|e| js_error(&e))?;
        let mut errors = read.errors;
        let schools = read.table;
        let cols = Columns::new(&columns)?;
        let mut events = Events::default();
        for i in 0..cols.len {
            let at = |field: &str| Location::source("events").field(format!("[{i}].{field}"));
            match cols.row(i, &at) {
                Ok(row) => {
                    let event = EventRef {
                        school_id: &row.school_id,
                        teacher_id: row.teacher_id.as_deref(),
                        date: row.date,
                        kind: row.kind,
                        hours: row.hours,
                        issuer: row.issuer,
                        item_id: row.item_id.as_deref(),
                        decision: row.decision,
                        rule: row.rule.as_deref(),
                        comprehensive: row.comprehensive,
                    };
                    if let Err(e) = events.push(&schools, event, at) {
                        errors.push(e);
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        Ok(Tables {
            events,
            schools,
            errors,
        })
    }

    /// Events kept.
    #[wasm_bindgen(getter, js_name = eventsRead)]
    pub fn events_read(&self) -> usize {
        self.events.len()
    }

    /// Schools kept.
    #[wasm_bindgen(getter, js_name = schoolsRead)]
    pub fn schools_read(&self) -> usize {
        self.schools.len()
    }

    /// The rows that could not be read: `[{code, message, location}]`.
    #[wasm_bindgen(getter, unchecked_return_type = "ErrorData[]")]
    pub fn errors(&self) -> Result<JsValue, JsValue> {
        to_js(&ffi::errors_json(&self.errors))
    }
}

/// Event columns taken from a JS object.
struct Columns {
    len: u32,
    school_id: Array,
    date: Array,
    kind: Array,
    hours: Array,
    teacher_id: Option<Array>,
    issuer: Option<Array>,
    item_id: Option<Array>,
    decision: Option<Array>,
    rule: Option<Array>,
    comprehensive: Option<Array>,
}

/// One row read from the columns, with owned strings.
struct Row {
    school_id: String,
    teacher_id: Option<String>,
    date: chrono::NaiveDate,
    kind: jianfu::Kind,
    hours: f64,
    issuer: Option<jianfu::model::IssuerKind>,
    item_id: Option<String>,
    decision: Option<jianfu::Decision>,
    rule: Option<String>,
    comprehensive: bool,
}

fn column(columns: &JsValue, name: &str) -> Result<Option<Array>, JsValue> {
    let value = Reflect::get(columns, &name.into())?;
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        // Arrays and typed arrays both convert (Array.from).
        Ok(Some(Array::from(&value)))
    }
}

impl Columns {
    fn new(columns: &JsValue) -> Result<Self, JsValue> {
        // The columns given (null or undefined counts as absent) against those events take.
        let mut given = Vec::new();
        for key in js_sys::Object::keys(&js_sys::Object::from(columns.clone())).iter() {
            let name = key.as_string().unwrap_or_default();
            if column(columns, &name)?.is_some() {
                given.push(name);
            }
        }
        let given: Vec<&str> = given.iter().map(String::as_str).collect();
        let (known, needed) = (
            &jianfu::score::read::EVENT_COLUMNS,
            &jianfu::score::read::EVENT_REQUIRED,
        );
        if let Some(error) = Error::table_schema("events", &given, known, needed) {
            return Err(js_error(&error));
        }
        // Present by the check above.
        let required = |name: &str| Ok::<_, JsValue>(column(columns, name)?.unwrap_or_default());
        let school_id = required("school_id")?;
        let len = school_id.length();
        let out = Self {
            len,
            date: required("date")?,
            kind: required("kind")?,
            hours: required("hours")?,
            school_id,
            teacher_id: column(columns, "teacher_id")?,
            issuer: column(columns, "issuer")?,
            item_id: column(columns, "item_id")?,
            decision: column(columns, "decision")?,
            rule: column(columns, "rule")?,
            comprehensive: column(columns, "comprehensive")?,
        };
        for (name, col) in [
            ("date", Some(&out.date)),
            ("kind", Some(&out.kind)),
            ("hours", Some(&out.hours)),
            ("teacher_id", out.teacher_id.as_ref()),
            ("issuer", out.issuer.as_ref()),
            ("item_id", out.item_id.as_ref()),
            ("decision", out.decision.as_ref()),
            ("rule", out.rule.as_ref()),
            ("comprehensive", out.comprehensive.as_ref()),
        ] {
            if let Some(col) = col
                && col.length() != len
            {
                return Err(js_error(&Error::row(
                    Location::source("events").field(name),
                    format!(
                        "column `{name}` has {} values, `school_id` has {len}",
                        col.length()
                    ),
                )));
            }
        }
        Ok(out)
    }

    fn row(&self, i: u32, at: &dyn Fn(&str) -> Location) -> Result<Row, Error> {
        let text = |col: Option<&Array>| {
            col.and_then(|c| c.get(i).as_string())
                .filter(|s| !s.is_empty())
        };
        let parsed = |col: Option<&Array>, name: &str| -> Result<Option<String>, Error> {
            let value = col.map(|c| c.get(i)).unwrap_or(JsValue::UNDEFINED);
            if value.is_undefined() || value.is_null() {
                return Ok(None);
            }
            value
                .as_string()
                .map(|s| Some(s).filter(|s| !s.is_empty()))
                .ok_or_else(|| Error::row(at(name), "expected a string"))
        };
        let school_id = text(Some(&self.school_id))
            .ok_or_else(|| Error::row(at("school_id"), reason::required("school_id")))?;
        let date_text = text(Some(&self.date))
            .ok_or_else(|| Error::row(at("date"), reason::required("date")))?;
        let date = jianfu::parse_date(&date_text)
            .map_err(|_| Error::row(at("date"), reason::not_a_date(&date_text)))?;
        let kind_text = text(Some(&self.kind))
            .ok_or_else(|| Error::row(at("kind"), reason::required("kind")))?;
        let kind = kind_text
            .parse()
            .map_err(|()| Error::row(at("kind"), reason::invalid(&kind_text, reason::KIND)))?;
        let hours = self
            .hours
            .get(i)
            .as_f64()
            .ok_or_else(|| Error::row(at("hours"), reason::required("hours")))?;
        let invalid =
            |name: &str, text: &str, what: &str| Error::row(at(name), reason::invalid(text, what));
        let issuer = parsed(self.issuer.as_ref(), "issuer")?
            .map(|s| {
                s.parse()
                    .map_err(|()| invalid("issuer", &s, reason::ISSUER))
            })
            .transpose()?;
        let decision = parsed(self.decision.as_ref(), "decision")?
            .map(|s| {
                s.parse()
                    .map_err(|()| invalid("decision", &s, reason::DECISION))
            })
            .transpose()?;
        // Booleans and numbers as JS reads them; text as every reader reads flags.
        let flag = self.comprehensive.as_ref().map(|c| c.get(i));
        let comprehensive = match flag.as_ref().and_then(JsValue::as_string) {
            Some(s) if !s.trim().is_empty() => read::flag(s.trim())
                .ok_or_else(|| Error::row(at("comprehensive"), reason::not_a_flag(&s)))?,
            Some(_) => false,
            None => flag.is_some_and(|v| v.is_truthy()),
        };
        Ok(Row {
            school_id,
            teacher_id: parsed(self.teacher_id.as_ref(), "teacher_id")?,
            date,
            kind,
            hours,
            issuer,
            item_id: parsed(self.item_id.as_ref(), "item_id")?,
            decision,
            rule: parsed(self.rule.as_ref(), "rule")?,
            comprehensive,
        })
    }
}

/// Benchmark hook for `benches/wasm_bench.mjs`, not part of the API: runs a core operation
/// `times` times on input parsed once, exactly as the native criterion benchmarks in
/// `benches/check.rs` do (`"check"`: one item; `"check_many"`: JSON Lines; `"review"`: text),
/// so the WASM and native figures measure the same work. Returns a checksum.
#[cfg(feature = "bench")]
#[wasm_bindgen(js_name = benchCore, skip_typescript)]
pub fn bench_core(
    engine: &Engine,
    op: &str,
    input: &str,
    #[wasm_bindgen(js_name = asOf)] as_of: &str,
    times: u32,
) -> Result<usize, JsValue> {
    let as_of = js(jianfu::parse_date(as_of))?;
    let engine = &engine.inner;
    let mut sum = 0usize;
    match op {
        "check" => {
            let item = js(jianfu::Item::from_json(input))?;
            for _ in 0..times {
                sum += engine
                    .check(std::hint::black_box(&item), as_of)
                    .findings
                    .len();
            }
        }
        "check_many" => {
            let items = js(ffi::parse_items(input, "<items>")
                .into_iter()
                .map(|r| r.item)
                .collect::<Result<Vec<_>, _>>())?;
            for _ in 0..times {
                sum += engine
                    .check_many(std::hint::black_box(&items), as_of, None)
                    .len();
            }
        }
        "review" => {
            for _ in 0..times {
                sum += engine
                    .review(std::hint::black_box(input), as_of)
                    .findings
                    .len();
            }
        }
        _ => return Err(JsValue::from(format!("unknown benchmark `{op}`"))),
    }
    Ok(sum)
}
