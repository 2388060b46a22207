//! Ruleset loading and linting, driven by the files in `tests/rulesets/` (repository root):
//! `bad/*.toml` must fail with the error their first line announces, `good/*.toml` must load,
//! and `lint/` is a two-layer ruleset whose findings `lint/expect.json` lists.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test harness"
)]

use std::path::PathBuf;

use jianfu::{Engine, Ruleset};

fn dir(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/rulesets")
        .join(sub)
}

fn files(sub: &str) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir(sub))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// `# expect: CODE key=value ...`
fn expectation(text: &str) -> (String, Vec<(String, String)>) {
    let line = text.lines().next().unwrap();
    let rest = line
        .strip_prefix("# expect: ")
        .expect("first line is `# expect: ...`");
    let mut parts = rest.split_whitespace();
    let code = parts.next().unwrap().to_string();
    let pairs = parts
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    (code, pairs)
}

#[test]
fn bad_rulesets_fail_with_precise_errors() {
    let bad = files("bad");
    assert!(bad.len() >= 10);
    for path in bad {
        let text = std::fs::read_to_string(&path).unwrap();
        let (code, pairs) = expectation(&text);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let error = Ruleset::from_sources(&[(name.as_str(), text.as_str())]).expect_err(&name);
        assert_eq!(error.code(), code, "{name}: {error}");
        let location = error
            .location()
            .unwrap_or_else(|| panic!("{name}: no location in {error}"));
        assert_eq!(
            location.source.as_deref(),
            Some(name.as_str()),
            "{name}: {error}"
        );
        for (key, value) in pairs {
            let got = match key.as_str() {
                "rule" => location.rule.clone(),
                "field" => location.field.clone(),
                "line" => location.line.map(|l| l.to_string()),
                other => panic!("unknown key {other}"),
            };
            assert_eq!(
                got.as_deref(),
                Some(value.as_str()),
                "{name}: {key} in {error}"
            );
        }
    }
}

#[test]
fn good_rulesets_load() {
    for path in files("good") {
        let ruleset =
            Ruleset::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Engine::new(ruleset).unwrap();
    }
}

#[test]
fn embedded_ruleset_loads_and_lints_clean() {
    let ruleset = Ruleset::embedded().unwrap();
    assert_eq!(ruleset.info().id, "national/henan/sanmenxia");
    assert!(ruleset.info().digest.starts_with("sha256:"));
    let warnings: Vec<_> = ruleset
        .lint()
        .into_iter()
        .filter(|f| f.severity == "warning")
        .collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
}

#[test]
fn lint_finds_loosening_unreachable_duplicate_and_uncovered() {
    let ruleset = Ruleset::from_path(dir("lint")).unwrap();
    let found: Vec<(String, String)> = ruleset
        .lint()
        .iter()
        .map(|f| {
            (
                serde_json::to_value(f.kind)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
                f.subject.clone(),
            )
        })
        .collect();
    let expect: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dir("lint").join("expect.json")).unwrap())
            .unwrap();
    for e in expect {
        let pair = (
            e["kind"].as_str().unwrap().to_string(),
            e["subject"].as_str().unwrap().to_string(),
        );
        assert!(found.contains(&pair), "missing {pair:?} in {found:?}");
    }
}

#[test]
fn an_override_that_never_fires_is_a_warning_not_a_restatement() {
    let ruleset = Ruleset::from_path(dir("lint")).unwrap();
    let about: Vec<_> = ruleset
        .lint()
        .into_iter()
        .filter(|f| f.subject == "I-4")
        .collect();
    assert_eq!(about.len(), 1, "{about:?}");
    assert_eq!(about[0].severity, "warning");
    assert!(about[0].message.contains("O-4"), "{}", about[0].message);
}

#[test]
fn inner_layer_parameter_wins_from_its_date() {
    let ruleset = Ruleset::from_path(dir("lint")).unwrap();
    let cap = ruleset.parameter("cap").unwrap();
    let at = |d: &str| cap.at(jianfu::parse_date(d).unwrap());
    assert_eq!(at("2025-05-31"), Some(jianfu::rules::Value::Number(6.0)));
    assert_eq!(at("2025-06-01"), Some(jianfu::rules::Value::Number(8.0)));
    assert_eq!(at("2024-12-31"), None);
    // The inner layer's value is repealed on 2026-06-01: the outer one holds again.
    assert_eq!(at("2026-05-31"), Some(jianfu::rules::Value::Number(8.0)));
    assert_eq!(at("2026-06-01"), Some(jianfu::rules::Value::Number(6.0)));
}

#[test]
fn overriding_rule_replaces_the_outer_one() {
    let engine = Engine::new(Ruleset::from_path(dir("lint")).unwrap()).unwrap();
    let item = jianfu::Item::from_json(r#"{"id":"x","kind":"directive_task","title":"t","requirements":{"install_app":true},"issuer":{"name":"n","kind":"other_department","level":"city"}}"#).unwrap();
    let verdict = engine.check(&item, jianfu::parse_date("2025-03-01").unwrap());
    let rules: Vec<&str> = verdict.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["I-1"]);
    assert_eq!(verdict.decision, jianfu::Decision::NeedsApproval);
}

#[test]
fn readme_lists_every_rule() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    for rule in Ruleset::embedded().unwrap().rules() {
        assert!(
            readme.contains(&format!("| {} |", rule.id)),
            "README does not list {}",
            rule.id
        );
    }
}

#[test]
fn a_ruleset_over_the_rule_limit_is_refused_before_any_rule_is_read() {
    let limit = jianfu::limits::Limits::get().rules_max;
    let mut text = String::from(
        "[layer]\nid = \"t\"\nname = { zh = \"t\", en = \"t\" }\nversion = \"1\"\n\n[[documents]]\nid = \"D1\"\ntitle = \"t\"\nissuer = \"t\"\n",
    );
    for i in 0..=limit {
        text.push_str(&format!(
            "\n[[rules]]\nid = \"T-{i}\"\ntitle = {{ zh = \"t\", en = \"t\" }}\ncitation = {{ document = \"D1\", article = \"一\" }}\neffective = {{ from = \"2025-01-01\" }}\nkinds = [\"meeting\"]\nwhen = {{ fact = \"install_app\" }}\ndecision = \"prohibited\"\nmessage = {{ zh = \"x\", en = \"x\" }}\nremedy = {{ zh = \"x\", en = \"x\" }}\n"
        ));
    }
    let error = Ruleset::from_sources(&[("many.toml", text.as_str())]).unwrap_err();
    assert_eq!(error.code(), "ruleset.invalid");
    let location = error.location().unwrap();
    assert_eq!(location.field.as_deref(), Some("rules"));
    assert!(error.to_string().contains("rules_max"), "{error}");
}
