//! Runs the scoring and monitoring corpus in `tests/scoring/*.json` (repository root):
//! hand-computed burden indexes, period boundaries, bands, caps, coverage, strata and the
//! escalation ladder. Language-neutral data, so the bindings can run the same files.
//!
//! A case has `schools` (rows) and `events` (rows) or `events_csv` (text), a `period`, and
//! `expect` with any of: `schools` {id: {index, burden, events, band}}, `teachers` {id:
//! {index}}, `counties` / `strata` {key: {index, band}}, `errors` [{code, line, field}],
//! `events_read` (rows kept), `refused` {code, line, field} (the table is refused as a whole:
//! no report), and, with `"monitor": true`, `rungs` {id: rung}, `escalations`
//! [{school, from, to}], `coverage` {...}, `stratum_stats` {key: {mean, median, p90}},
//! `campus_entries` / `comprehensive` / `unapproved` {id: n}, `trend` [{period, sample_mean}],
//! `cadence` {per_year, required_per_year}; a monitoring case may set `ladder`
//! (`sample_points`). A `period` is a half-semester (`2026-spring-1`) or a semester, the
//! half-year cadence (`2026-spring`).

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test harness"
)]

use std::path::PathBuf;

use jianfu::Engine;
use jianfu::score::{Events, Schools, read};
use serde_json::{Value, json};

fn cases() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/scoring");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "json"))
    {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let value: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        for case in value.as_array().unwrap() {
            out.push((
                format!("{name}: {}", case["name"].as_str().unwrap_or("?")),
                case.clone(),
            ));
        }
    }
    out
}

fn close(want: &Value, got: f64) -> bool {
    let want = want.as_f64().unwrap();
    (want - got).abs() <= 1e-9 * want.abs().max(1.0)
}

fn tables(case: &Value) -> (Schools, Events, Vec<jianfu::Error>) {
    let schools = read::schools_json(&case["schools"].to_string(), "schools");
    assert!(schools.errors.is_empty(), "{:?}", schools.errors);
    let events = match case.get("events_csv") {
        Some(text) => read::events_csv(text.as_str().unwrap(), "events.csv", &schools.table),
        None => read::events_json(&case["events"].to_string(), "events", &schools.table),
    };
    (schools.table, events.table, events.errors)
}

fn run(engine: &Engine, case: &Value) -> Result<(), String> {
    let expect = &case["expect"];
    let (schools, events, errors) = tables(case);
    if let Some(want) = expect.get("refused") {
        let Err(e) = read::refuse_schema(&errors) else {
            return Err(format!(
                "expected the table refused ({want}), got {errors:?}"
            ));
        };
        let l = e.location().cloned().unwrap_or_default();
        let got = json!({"code": e.code(), "line": l.line, "field": l.field});
        return (&got == want)
            .then_some(())
            .ok_or_else(|| format!("refused: expected {want}, got {got}"));
    }
    let mut problems = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };
    if let Some(want) = expect.get("errors") {
        let got: Vec<Value> = errors
            .iter()
            .map(|e| {
                let l = e.location().cloned().unwrap_or_default();
                json!({"code": e.code(), "line": l.line, "field": l.field})
            })
            .collect();
        check(
            want.as_array().map(Vec::len) == Some(got.len()),
            format!("errors: expected {want}, got {got:?}"),
        );
        for (w, g) in want.as_array().unwrap().iter().zip(&got) {
            for key in ["code", "line", "field"] {
                if let Some(v) = w.get(key) {
                    check(
                        v == &g[key],
                        format!("errors[].{key}: expected {v}, got {}", g[key]),
                    );
                }
            }
        }
    } else {
        check(errors.is_empty(), format!("unexpected errors: {errors:?}"));
    }
    if let Some(n) = expect.get("events_read") {
        check(
            n.as_u64() == Some(events.len() as u64),
            format!("events_read: expected {n}, got {}", events.len()),
        );
    }
    let period = case["period"].as_str().unwrap();
    let report = engine
        .score(&events, &schools, period)
        .map_err(|e| e.to_string())?;
    let doc = serde_json::to_value(&report).unwrap();
    for (id, want) in expect
        .get("schools")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Some(got) = doc["schools"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["school_id"] == id.as_str())
        else {
            check(false, format!("school {id} missing"));
            continue;
        };
        for key in ["index", "burden", "hours"] {
            if let Some(v) = want.get(key) {
                check(
                    close(v, got[key].as_f64().unwrap()),
                    format!("schools.{id}.{key}: expected {v}, got {}", got[key]),
                );
            }
        }
        for key in ["events", "band"] {
            if let Some(v) = want.get(key) {
                check(
                    v == &got[key],
                    format!("schools.{id}.{key}: expected {v}, got {}", got[key]),
                );
            }
        }
        if let Some(parts) = want.get("by_kind").and_then(Value::as_object) {
            for (k, v) in parts {
                check(
                    close(v, got["breakdown"]["by_kind"][k].as_f64().unwrap_or(0.0)),
                    format!(
                        "schools.{id}.by_kind.{k}: expected {v}, got {}",
                        got["breakdown"]["by_kind"][k]
                    ),
                );
            }
        }
        if let Some(parts) = want.get("by_rule").and_then(Value::as_object) {
            for (k, v) in parts {
                check(
                    close(v, got["breakdown"]["by_rule"][k].as_f64().unwrap_or(0.0)),
                    format!(
                        "schools.{id}.by_rule.{k}: expected {v}, got {}",
                        got["breakdown"]["by_rule"][k]
                    ),
                );
            }
        }
    }
    for (id, want) in expect
        .get("teachers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let got = doc["teachers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["teacher_id"] == id.as_str());
        check(
            got.is_some_and(|g| close(&want["index"], g["index"].as_f64().unwrap())),
            format!("teachers.{id}: expected {want}, got {got:?}"),
        );
    }
    for group in ["counties", "strata"] {
        for (id, want) in expect
            .get(group)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let got = doc[group]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["group"] == id.as_str());
            let ok = got.is_some_and(|g| {
                close(&want["index"], g["index"].as_f64().unwrap())
                    && want.get("band").is_none_or(|b| b == &g["band"])
            });
            check(ok, format!("{group}.{id}: expected {want}, got {got:?}"));
        }
    }
    if let Some(days) = expect.get("school_days") {
        check(
            days == &doc["period"]["school_days"],
            format!(
                "school_days: expected {days}, got {}",
                doc["period"]["school_days"]
            ),
        );
    }
    if case.get("monitor").and_then(Value::as_bool) == Some(true) {
        let options = jianfu::score::MonitorOptions {
            ladder: case
                .get("ladder")
                .and_then(Value::as_str)
                .unwrap_or("all_schools")
                .parse()
                .map_err(|e: jianfu::Error| e.to_string())?,
        };
        let m = engine
            .monitor_with(&events, &schools, period, options)
            .map_err(|e| e.to_string())?;
        for (key, want) in expect
            .get("cadence")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let got = serde_json::to_value(&m.cadence).unwrap()[key].clone();
            check(
                &got == want,
                format!("cadence.{key}: expected {want}, got {got}"),
            );
        }
        let md = serde_json::to_value(&m).unwrap();
        let line = |id: &str| {
            md["schools"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["school_id"] == id)
                .cloned()
        };
        for (id, rung) in expect
            .get("rungs")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let got = line(id).map(|l| l["rung"].clone()).unwrap_or(json!("none"));
            check(
                &got == rung,
                format!("rungs.{id}: expected {rung}, got {got}"),
            );
        }
        if let Some(want) = expect.get("escalations") {
            let got: Vec<Value> = md["escalations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| json!({"school": e["school_id"], "from": e["from"], "to": e["to"]}))
                .collect();
            check(
                want == &Value::from(got.clone()),
                format!("escalations: expected {want}, got {}", Value::from(got)),
            );
        }
        for key in ["campus_entries", "comprehensive", "unapproved_events"] {
            for (id, n) in expect
                .get(key)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let got = line(id).map(|l| l[key].clone()).unwrap_or(json!(0));
                check(&got == n, format!("{key}.{id}: expected {n}, got {got}"));
            }
        }
        if let Some(listed) = expect.get("listed") {
            let got: Vec<Value> = md["schools"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["school_id"].clone())
                .collect();
            check(
                listed == &Value::from(got.clone()),
                format!("listed: expected {listed}, got {got:?}"),
            );
        }
        for (key, want) in expect
            .get("coverage")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            check(
                want == &md["coverage"][key],
                format!(
                    "coverage.{key}: expected {want}, got {}",
                    md["coverage"][key]
                ),
            );
        }
        for (id, want) in expect
            .get("stratum_stats")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let got = md["strata"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["stratum"] == id.as_str());
            for key in ["mean", "median", "p90", "change"] {
                if let Some(v) = want.get(key) {
                    let ok = got.is_some_and(|g| close(v, g[key].as_f64().unwrap_or(f64::NAN)));
                    check(
                        ok,
                        format!("stratum_stats.{id}.{key}: expected {v}, got {got:?}"),
                    );
                }
            }
        }
        if let Some(want) = expect.get("trend") {
            let got = md["trend"].as_array().unwrap();
            check(
                want.as_array().map(Vec::len) == Some(got.len()),
                format!("trend: expected {want}, got {got:?}"),
            );
            for (w, g) in want.as_array().unwrap().iter().zip(got) {
                check(
                    w["period"] == g["period"]
                        && close(&w["sample_mean"], g["sample_mean"].as_f64().unwrap()),
                    format!("trend: expected {w}, got {g}"),
                );
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n    "))
    }
}

#[test]
fn scoring_corpus() {
    let engine = Engine::embedded().unwrap();
    let cases = cases();
    assert!(
        cases.len() >= 10,
        "scoring corpus too small: {}",
        cases.len()
    );
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(id, case)| run(&engine, case).err().map(|e| format!("{id}:\n    {e}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} scoring cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The interner gives dense ids in order of first appearance, the same id for the same
/// name however often it comes (grouped or not), and names back by id.
#[test]
fn interner_ids_are_dense_and_stable() {
    let mut interner = jianfu::score::Interner::default();
    let names = ["T1", "T2", "T1", "T1", "", "长名字-教师-0003", "T2", "T10"];
    let ids: Vec<u32> = names.iter().map(|n| interner.intern(n)).collect();
    assert_eq!(ids, [0, 1, 0, 0, 2, 3, 1, 4]);
    assert_eq!(interner.len(), 5);
    for (name, id) in names.iter().zip(&ids) {
        assert_eq!(interner.name(*id), Some(*name));
        assert_eq!(interner.get(name), Some(*id));
    }
    assert_eq!(interner.get("T3"), None);
    assert_eq!(interner.name(5), None);
    // Many names: the table grows and every id still finds its name.
    let many: Vec<String> = (0..50_000).map(|i| format!("teacher-{i}")).collect();
    let ids: Vec<u32> = many.iter().map(|n| interner.intern(n)).collect();
    for (name, id) in many.iter().zip(&ids) {
        assert_eq!(interner.get(name), Some(*id));
        assert_eq!(interner.name(*id), Some(name.as_str()));
    }
}

/// `push_ids` takes resolved ids and checks them like `push` checks names: an unknown
/// school index, an id not interned here or bad hours is a row error and nothing is added.
#[test]
fn push_ids_checks_ids_and_hours() {
    use jianfu::score::{EventIds, NONE};
    let schools = json!([
        {"school_id": "S1", "name": "一小", "county": "湖滨区", "urban_rural": "urban",
         "stage": "primary", "ownership": "public", "teachers": 10}
    ]);
    let schools = read::schools_json(&schools.to_string(), "schools").table;
    let mut events = Events::default();
    let teacher = events.teachers.intern("T1");
    let good = EventIds {
        school: 0,
        teacher,
        day: jianfu::score::day_number(chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()),
        kind: jianfu::Kind::Meeting,
        hours: 2.0,
        issuer: None,
        item: NONE,
        decision: None,
        rule: NONE,
        comprehensive: false,
    };
    let at = |field: &str| jianfu::Location::source("t").field(field.to_owned());
    events.push_ids(&schools, good, at).unwrap();
    let bad = [
        (EventIds { school: 1, ..good }, "school_id"),
        (EventIds { teacher: 7, ..good }, "teacher_id"),
        (EventIds { item: 0, ..good }, "item_id"),
        (
            EventIds {
                hours: -1.0,
                ..good
            },
            "hours",
        ),
        (
            EventIds {
                hours: f64::NAN,
                ..good
            },
            "hours",
        ),
    ];
    for (event, field) in bad {
        let error = events.push_ids(&schools, event, at).unwrap_err();
        assert_eq!(error.code(), "row.invalid");
        assert_eq!(
            error.location().and_then(|l| l.field.as_deref()),
            Some(field)
        );
    }
    assert_eq!(events.len(), 1);
}

/// A header or JSON keys that do not match the table refuse it as a whole (`table.schema`),
/// naming every missing and unexpected column; rows are never read against the wrong columns.
#[test]
fn columns_that_do_not_match_refuse_the_table() {
    use jianfu::score::read;
    let schools = read::schools_csv(
        "school_id,name,county,urban_rural,stage,ownership,teachers\nS1,一小,湖滨区,urban,primary,public,10\n",
        "schools.csv",
    );
    assert!(schools.errors.is_empty());
    let events = read::events_csv(
        "school,date,kind,hours,extra\nS1,2026-03-03,meeting,1,x\n",
        "events.csv",
        &schools.table,
    );
    assert_eq!(events.table.len(), 0);
    let [error] = events.errors.as_slice() else {
        panic!("one error for the table: {:?}", events.errors)
    };
    assert_eq!(error.code(), "table.schema");
    let message = error.to_string();
    assert!(
        message.contains("missing `school_id`") && message.contains("unexpected `school`, `extra`"),
        "{message}"
    );
    let at = error.location().unwrap();
    assert_eq!(
        (at.source.as_deref(), at.line, at.field.as_deref()),
        (Some("events.csv"), Some(1), Some("school_id"))
    );
    assert_eq!(read::refuse_schema(&events.errors), Err(error.clone()));

    let json = read::events_json(
        r#"[{"school_id": "S1", "date": "2026-03-03", "kind": "meeting"}]"#,
        "events",
        &schools.table,
    );
    assert_eq!(json.errors.len(), 1);
    assert_eq!(json.errors[0].code(), "table.schema");
    assert!(json.errors[0].to_string().contains("missing `hours`"));
    // An empty table has no columns to check; a row missing a column others have is a row error.
    assert!(
        read::events_json("[]", "events", &schools.table)
            .errors
            .is_empty()
    );
    let partial = read::events_json(
        r#"[{"school_id": "S1", "date": "2026-03-03", "kind": "meeting", "hours": 1}, {"school_id": "S1", "date": "2026-03-03", "kind": "meeting"}]"#,
        "events",
        &schools.table,
    );
    assert_eq!(partial.table.len(), 1);
    assert_eq!(partial.errors[0].code(), "row.invalid");
}
