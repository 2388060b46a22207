//! # jianfu (减负)
//!
//! China's primary and secondary school teacher burden-reduction rules (中小学教师减负清单)
//! as data: check items that reach schools against cited rules, walk approval processes,
//! review draft documents for burden clauses.
//!
//! ```
//! use jianfu::{Engine, Item};
//! let engine = Engine::embedded().unwrap();
//! let item = Item::from_json(r#"{
//!     "id": "2026-SMX-0142", "kind": "campus_entry", "title": "反电诈APP下载推广进校园",
//!     "issuer": {"name": "三门峡市公安局", "kind": "other_department", "level": "city"},
//!     "targets": ["students", "parents"]
//! }"#).unwrap();
//! let verdict = engine.check(&item, jianfu::parse_date("2026-03-01").unwrap());
//! assert_eq!(verdict.decision, jianfu::Decision::Prohibited);
//! ```
//!
//! ## Cargo features
//!
//! - `tables` (default): events and schools read from CSV or JSON text
//!   ([`score::read`], [`ffi::read_tables`]) and score tables written as CSV (the `csv` crate).
//! - `charts` (default): the monitoring report as self-contained HTML with SVG charts
//!   (`score::html`, the `plotters` crate).
//! - `arrow`: items, schools and events read from Arrow record batches (the `arrow` module).
//! - `parquet`: the same from Parquet files and folders of them (`arrow::parquet`).
//! - `schema`: JSON Schemas of items and of the JSON outputs, from the Rust types (the
//!   `schema` module, the `schemars` crate).
//! - `parallel` (default): batch checks and scoring spread over a thread pool (the `rayon`
//!   crate), as many threads as [`Engine::with_threads`] allows; output is the same, byte for
//!   byte, as on one thread. Without it (and on WebAssembly) everything runs on the caller's
//!   thread.
//!
//! A rules-only user (`default-features = false`) gets checking, plans, review, rules and
//! lint, and the burden index and monitoring over [`score::Events`] built in memory, without
//! the CSV and chart dependencies.
#![forbid(unsafe_code)]

#[cfg(feature = "arrow")]
pub mod arrow;
pub mod calendar;
pub(crate) mod check;
pub mod encoding;
mod engine;
pub mod error;
pub mod ffi;
pub mod limits;
pub mod model;
mod parallel;
pub mod process;
pub mod rules;
#[cfg(feature = "schema")]
pub mod schema;
pub mod score;
pub mod sheet;
pub mod text;

/// The repository README's Rust snippets, run as doctests so that a snippet that breaks fails
/// the tests (its other snippets are run by `scripts/test-readme.py`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeSnippets;

pub use calendar::{Calendar, Period};
pub use check::PlanReport;
pub use engine::Engine;
pub use error::{Error, ErrorData, Location, Result};
pub use model::{AnnualPlan, Decision, Evidence, Finding, Item, Kind, Register, Step, Verdict};
pub use parallel::Threads;
pub use rules::Ruleset;
pub use text::{FindingsJson, Review, ReviewFinding};

/// Dates in the public API are `chrono` dates; JSON values are `serde_json` values. Both crates
/// are re-exported so a user names the same versions the core was built with.
pub use chrono::{self, NaiveDate};
pub use serde_json::{self, Value};

/// The version of the JSON shapes the core writes: `format_version` in every verdict, review,
/// plan report, score report and monitoring report. It goes up when a field changes meaning or
/// goes away (a consumer that checks it is never misled); a new field does not raise it. The
/// shapes themselves are published as JSON Schemas (`jianfu schema`, `schemas/`).
pub const FORMAT_VERSION: u32 = 1;

/// Parses an ISO `YYYY-MM-DD` date given as an argument — the as-of date of every entry
/// point; an error is `date.invalid` located at the `as_of` field.
pub fn parse_date(text: &str) -> Result<chrono::NaiveDate> {
    crate::model::date::parse_iso(text).ok_or_else(|| Error::DateInvalid {
        input: text.to_string(),
    })
}
