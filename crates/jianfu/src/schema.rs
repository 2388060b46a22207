//! JSON Schemas (draft 2020-12) of the core's JSON shapes, derived from the Rust types
//! (feature `schema`, the schemars crate): what an item may hold, and what a verdict, a
//! review, a plan report and a score report hold. The CLI prints them (`jianfu schema NAME`)
//! and `schemas/` in the repository keeps them, checked against these in the tests.
//!
//! ```
//! let schema = jianfu::schema::schema("verdict").unwrap();
//! assert_eq!(schema["title"], "Verdict");
//! assert!(schema["required"].as_array().unwrap().contains(&"format_version".into()));
//! ```

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::Value;

use crate::error::Error;

/// The shapes with a schema, by the name `schema` takes.
pub const NAMES: [&str; 5] = ["item", "verdict", "review", "plan", "score"];

/// The schema of one shape (`item`, `verdict`, `review`, `plan`, `score`). An item's schema
/// describes what the readers take (Chinese names for codes too); the others what the core
/// writes.
pub fn schema(name: &str) -> crate::Result<Value> {
    let settings = SchemaSettings::draft2020_12();
    let schema = match name {
        "item" => of::<crate::Item>(settings.for_deserialize()),
        "verdict" => of::<crate::Verdict<'static>>(settings.for_serialize()),
        "review" => of::<crate::Review<'static>>(settings.for_serialize()),
        "plan" => of::<crate::PlanReport<'static>>(settings.for_serialize()),
        "score" => of::<crate::score::ScoreReport>(settings.for_serialize()),
        other => {
            return Err(Error::InvalidArgument {
                name: "schema".into(),
                value: other.into(),
                expected: NAMES.join(", "),
            });
        }
    };
    Ok(schema)
}

fn of<T: JsonSchema>(settings: SchemaSettings) -> Value {
    SchemaGenerator::new(settings)
        .into_root_schema_for::<T>()
        .to_value()
}
