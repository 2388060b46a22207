//! Runs the conformance corpus in `tests/cases/*.json` (repository root). The corpus is the
//! spec in executable form; the Python and WASM bindings run the same files.
//!
//! A case file holds an array of cases. A case is one of:
//! - `item` (+ optional `register`): expects `decision`, `rules` (the exact set of rule ids
//!   that fire), and optionally `missing`, `next_step`, `evidence` (`[{rule, field, text}]`:
//!   the rule's finding has evidence on that field whose text contains `text`) and
//!   `versions` (`{rule: {from?, on?, governs?}}`: the rule version the finding used) and
//!   `advisory` (the exact set of rules whose finding only advises);
//! - `review` (draft text): expects `decision` and `rules` (the set of rules flagged) and
//!   optionally `clauses` (how many findings);
//! - `plan` (+ optional `register`): expects `decision` and per-entry `verdicts`;
//! - `item_json` (raw text): expects `error` (the error code) and optionally `field`.
//!
//! A case may name a `jurisdiction` (`mianchi`, `zhengzhou`, `shaanxi`): it runs against
//! that jurisdiction's embedded layers instead of the default.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test harness"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use jianfu::{AnnualPlan, Engine, Item, Register, parse_date};
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/cases")
}

fn load_cases() -> Vec<(String, Value)> {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("tests/cases exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let value: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        for case in value
            .as_array()
            .unwrap_or_else(|| panic!("{name}: expected an array of cases"))
        {
            let id = format!("{name}: {}", case["name"].as_str().unwrap_or("<unnamed>"));
            cases.push((id, case.clone()));
        }
    }
    cases
}

fn set(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// What a case produced, in the corpus's own terms.
struct Outcome {
    actual: Value,
    fired: BTreeSet<String>,
    kind_rules: Option<(jianfu::Kind, String)>,
}

fn run_case(engine: &Engine, case: &Value) -> Result<Outcome, String> {
    let expect = &case["expect"];
    let as_of =
        parse_date(case["as_of"].as_str().unwrap_or("2026-03-02")).map_err(|e| e.to_string())?;
    let register: Option<Register> = case
        .get("register")
        .map(|r| serde_json::from_value(r.clone()).map_err(|e| format!("register: {e}")))
        .transpose()?;
    if let Some(item) = case.get("item") {
        let item: Item = serde_json::from_value(item.clone())
            .map_err(|e| format!("item does not parse: {e}"))?;
        let verdict = match &register {
            Some(r) => engine.check_with(&item, as_of, r),
            None => engine.check(&item, as_of),
        };
        let json = verdict.to_json();
        let fired: BTreeSet<String> = verdict
            .findings
            .iter()
            .map(|f| f.rule.to_string())
            .collect();
        let actual = serde_json::json!({
            "decision": json["decision"],
            "rules": fired,
            "missing": json["missing"],
            "next_step": json["next_step"],
        });
        check_eq("decision", &expect["decision"], &actual["decision"])?;
        check_set("rules", &expect["rules"], &fired)?;
        if let Some(missing) = expect.get("missing") {
            check_set("missing", missing, &set(&actual["missing"]))?;
        }
        if let Some(next) = expect.get("next_step") {
            check_eq("next_step", next, &actual["next_step"])?;
        }
        check_evidence(expect, &json)?;
        return Ok(Outcome {
            actual,
            fired,
            kind_rules: Some((item.kind, as_of.to_string())),
        });
    }
    if let Some(text) = case.get("review") {
        let review = engine.review(text.as_str().unwrap_or_default(), as_of);
        let fired: BTreeSet<String> = review.findings.iter().map(|f| f.rule.to_string()).collect();
        let actual = serde_json::json!({"decision": review.decision, "rules": fired, "clauses": review.findings.len()});
        check_eq("decision", &expect["decision"], &actual["decision"])?;
        check_set("rules", &expect["rules"], &fired)?;
        if let Some(n) = expect.get("clauses") {
            check_eq("clauses", n, &actual["clauses"])?;
        }
        return Ok(Outcome {
            actual,
            fired,
            kind_rules: None,
        });
    }
    if let Some(plan) = case.get("plan") {
        let plan: AnnualPlan = serde_json::from_value(plan.clone())
            .map_err(|e| format!("plan does not parse: {e}"))?;
        let report = engine.check_plan(&plan, as_of, register.as_ref());
        check_eq(
            "decision",
            &expect["decision"],
            &serde_json::to_value(report.decision).unwrap(),
        )?;
        let mut fired = BTreeSet::new();
        for (want, got) in expect["verdicts"]
            .as_array()
            .unwrap_or(&vec![])
            .iter()
            .zip(&report.verdicts)
        {
            check_eq(
                "verdicts[].item",
                &want["item"],
                &Value::from(got.item.clone()),
            )?;
            check_eq(
                "verdicts[].decision",
                &want["decision"],
                &serde_json::to_value(got.decision).unwrap(),
            )?;
            let rules: BTreeSet<String> = got.findings.iter().map(|f| f.rule.to_string()).collect();
            check_set("verdicts[].rules", &want["rules"], &rules)?;
            fired.extend(rules);
        }
        return Ok(Outcome {
            actual: serde_json::to_value(&report).unwrap(),
            fired,
            kind_rules: None,
        });
    }
    if let Some(text) = case.get("item_json") {
        let error = match Item::from_json(text.as_str().unwrap_or_default()) {
            Ok(_) => return Err("expected an error, the item parsed".into()),
            Err(e) => e,
        };
        check_eq("error", &expect["error"], &Value::from(error.code()))?;
        if let Some(field) = expect.get("field") {
            let got = error
                .location()
                .and_then(|l| l.field.clone())
                .unwrap_or_default();
            check_eq("field", field, &Value::from(got))?;
        }
        return Ok(Outcome {
            actual: Value::Null,
            fired: BTreeSet::new(),
            kind_rules: None,
        });
    }
    Err("a case needs `item`, `review`, `plan` or `item_json`".into())
}

/// The finding of `rule` in a verdict's JSON.
fn finding<'v>(verdict: &'v Value, rule: &str) -> Result<&'v Value, String> {
    verdict["findings"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["rule"] == rule))
        .ok_or_else(|| format!("no finding of {rule}"))
}

/// The optional `evidence` and `versions` expectations of an item case.
fn check_evidence(expect: &Value, verdict: &Value) -> Result<(), String> {
    for want in expect["evidence"].as_array().into_iter().flatten() {
        let rule = want["rule"].as_str().unwrap_or_default();
        let (field, text) = (&want["field"], want["text"].as_str().unwrap_or_default());
        let found = finding(verdict, rule)?["evidence"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|e| &e["field"] == field && e["text"].as_str().unwrap_or_default().contains(text));
        if !found {
            return Err(format!(
                "evidence: {rule} has none on {field} containing {text:?}: {}",
                finding(verdict, rule)?["evidence"]
            ));
        }
    }
    if let Some(want) = expect.get("advisory") {
        let got: BTreeSet<String> = verdict["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["advisory"] == true)
            .filter_map(|f| f["rule"].as_str().map(str::to_string))
            .collect();
        check_set("advisory", want, &got)?;
    }
    for (rule, want) in expect["versions"].as_object().into_iter().flatten() {
        let got = &finding(verdict, rule)?["version"];
        for (key, value) in want.as_object().into_iter().flatten() {
            check_eq(&format!("versions.{rule}.{key}"), value, &got[key])?;
        }
    }
    Ok(())
}

fn check_eq(what: &str, want: &Value, got: &Value) -> Result<(), String> {
    if want == got {
        Ok(())
    } else {
        Err(format!("{what}: expected {want}, got {got}"))
    }
}

fn check_set(what: &str, want: &Value, got: &BTreeSet<String>) -> Result<(), String> {
    let want = set(want);
    if &want == got {
        Ok(())
    } else {
        Err(format!("{what}: expected {want:?}, got {got:?}"))
    }
}

#[test]
fn conformance_corpus() {
    let engine = Engine::embedded().unwrap();
    let cases = load_cases();
    assert!(
        cases.len() >= 80,
        "the corpus needs at least 80 cases, has {}",
        cases.len()
    );
    let mut failures = Vec::new();
    let mut fired_somewhere: BTreeSet<String> = BTreeSet::new();
    // rule id -> a case where the rule applied (kind, in force) but did not fire
    let mut quiet_somewhere: BTreeMap<String, String> = BTreeMap::new();
    let mut engines: BTreeMap<String, Engine> = BTreeMap::new();
    for (id, case) in &cases {
        let engine = match case.get("jurisdiction").and_then(Value::as_str) {
            Some(j) => &*engines
                .entry(j.to_string())
                .or_insert_with(|| Engine::for_jurisdiction(j).unwrap()),
            None => &engine,
        };
        match run_case(engine, case) {
            Ok(outcome) => {
                fired_somewhere.extend(outcome.fired.iter().cloned());
                if let Some((kind, as_of)) = outcome.kind_rules {
                    let as_of = parse_date(&as_of).unwrap();
                    for rule in engine.ruleset().rules() {
                        let applies = rule.scope == jianfu::rules::Scope::Item
                            && rule.applies_to(kind)
                            && rule.effective.contains(as_of);
                        if applies && !outcome.fired.contains(&rule.id) {
                            quiet_somewhere
                                .entry(rule.id.clone())
                                .or_insert_with(|| id.clone());
                        }
                    }
                }
                let _ = outcome.actual;
            }
            Err(e) => failures.push(format!("{id}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );

    // Every item rule must be seen firing and not firing.
    let mut gaps = Vec::new();
    for rule in engine
        .ruleset()
        .rules()
        .iter()
        .filter(|r| r.scope == jianfu::rules::Scope::Item)
    {
        if !fired_somewhere.contains(&rule.id) {
            gaps.push(format!("{} never fires", rule.id));
        }
        if !quiet_somewhere.contains_key(&rule.id) {
            gaps.push(format!("{} never applies without firing", rule.id));
        }
    }
    assert!(
        gaps.is_empty(),
        "corpus coverage gaps:\n{}",
        gaps.join("\n")
    );
}
