//! The `jianfu` command as a user runs it: exit codes, JSON Lines with a bad line, text output.

#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "test harness")]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn jianfu(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jianfu"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn check_text_output_shows_decision_rule_evidence_and_next_step() {
    let o = jianfu(
        &[
            "check",
            "examples/items/app-download-drive.json",
            "--as-of",
            "2026-03-02",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "prohibited items exit 1");
    let out = stdout(&o);
    assert!(out.contains("结论 Decision: 禁止 prohibited"), "{out}");
    assert!(out.contains("NAT2022-2"), "{out}");
    assert!(out.contains("「下载」"), "{out}");
    assert!(out.contains("建议 Remedy"), "{out}");

    let o = jianfu(
        &[
            "check",
            "examples/items/anti-fraud-campus-entry.json",
            "--as-of",
            "2026-03-02",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("下一步 Next step: 分管领导审核 leader_review"));
}

#[test]
fn jsonl_with_a_bad_line_reports_it_and_checks_the_rest() {
    let input = [
        r#"{"id":"A","kind":"directive_task","title":"投票","issuer":{"name":"n","kind":"other_department","level":"city"}}"#,
        r#"{"id":"B","kind":"directive_task","titel":"typo","issuer":{"name":"n","kind":"other_department","level":"city"}}"#,
        "",
        r#"{"id":"C","kind":"meeting","title":"会议","issuer":{"name":"n","kind":"education","level":"city"}}"#,
    ]
    .join("\n");
    let o = jianfu(
        &["check", "-", "--as-of", "2026-03-02", "--format", "json"],
        Some(&input),
    );
    assert_eq!(o.status.code(), Some(3), "a bad record exits 3");
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one output line per input record");
    assert_eq!(lines[0]["item"], "A");
    assert_eq!(lines[0]["decision"], "prohibited");
    assert_eq!(lines[1]["error"]["code"], "item.invalid");
    assert_eq!(lines[1]["error"]["location"]["line"], 2);
    assert_eq!(lines[1]["error"]["location"]["field"], "titel");
    assert_eq!(lines[2]["item"], "C");

    let o = jianfu(&["check", "-", "--as-of", "2026-03-02"], Some(&input));
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains("line 2") && err.contains("titel") && err.contains("item.invalid"),
        "{err}"
    );
}

#[test]
fn review_flags_imposing_clauses_not_prohibitive_ones() {
    let o = jianfu(
        &[
            "review",
            "examples/drafts/draft-notice.txt",
            "--as-of",
            "2026-03-02",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let review: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let clauses: Vec<&str> = review["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["clause"]["text"].as_str())
        .collect();
    assert!(clauses.iter().any(|c| c.contains("一票否决")));
    assert!(
        !clauses.iter().any(|c| c.starts_with("四、")),
        "the all-prohibitive clause is not flagged: {clauses:?}"
    );

    let o = jianfu(&["review", "-", "--as-of", "2026-03-02"], None);
    assert_eq!(o.status.code(), Some(0), "empty draft, nothing flagged");
}

#[test]
fn plan_reports_late_filing_and_teacher_targeting() {
    let o = jianfu(
        &[
            "plan",
            "examples/plans/smx-public-security-2026.json",
            "--as-of",
            "2026-03-02",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules: Vec<String> = report["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| {
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["rule"].as_str().unwrap().to_string())
        })
        .collect();
    for rule in ["SMX2022-1", "SMX2022-3", "NAT2019-2.2"] {
        assert!(rules.contains(&rule.to_string()), "{rule} in {rules:?}");
    }
}

#[test]
fn rules_list_show_and_lint() {
    let o = jianfu(&["rules", "list"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("SMX2022-5"));
    let o = jianfu(&["rules", "show", "NAT2025-3.2"], None);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("campus_entry_cap_per_semester") && out.contains("教师厅〔2025〕2号"),
        "{out}"
    );
    let o = jianfu(&["rules", "show", "NO-SUCH"], None);
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("rule.unknown"));
    let o = jianfu(&["rules", "lint"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = jianfu(&["--ruleset", "tests/rulesets/lint", "rules", "lint"], None);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_bad_ruleset_exits_4_with_its_location() {
    let o = jianfu(
        &[
            "--ruleset",
            "tests/rulesets/bad/dangling-document.toml",
            "rules",
            "list",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(4));
    let err = stderr(&o);
    assert!(
        err.contains("dangling-document.toml") && err.contains("T-1") && err.contains("D9"),
        "{err}"
    );
}

#[test]
fn a_bad_date_is_a_clear_error() {
    let o = jianfu(
        &[
            "check",
            "examples/items/batch.jsonl",
            "--as-of",
            "2026-13-01",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("2026-13-01"));
}
