//! Hostile text through review and check: long runs that a careless reader would walk once per
//! character, unclosed quotation marks, line and paragraph separators. Each must finish and
//! still read the demand (these would take minutes if any step were quadratic).

#![expect(clippy::unwrap_used, reason = "test harness")]

use jianfu::{Engine, parse_date};

fn rules(text: &str) -> Vec<String> {
    let engine = Engine::embedded().unwrap();
    // Clause findings only: a text this long also breaks the document-length rule.
    engine
        .review(text, parse_date("2026-03-02").unwrap())
        .clause_rules()
}

#[test]
fn long_runs_are_read_in_one_pass() {
    let demand = "各校要组织教师下载“平安校园”APP。";
    for filler in [
        " ".repeat(200_000),
        "\u{200b}".repeat(200_000),
        "а".repeat(100_000),
        "除".repeat(100_000),
        "“".repeat(50_000),
    ] {
        let text = format!("{filler}\n{demand}");
        assert_eq!(
            rules(&text),
            ["NAT2022-2"],
            "after {} filler characters",
            filler.chars().count()
        );
    }
}

#[test]
fn many_exceptions_in_one_sentence() {
    let text = format!("{}各校要组织教师下载APP。", "除门卫外，".repeat(20_000));
    assert_eq!(rules(&text), ["NAT2022-2"]);
}

#[test]
fn line_and_paragraph_separators_end_sentences() {
    for sep in ["\r", "\u{2028}", "\u{2029}"] {
        let text = format!("严禁要求教师打卡{sep}各校要组织教师下载APP");
        assert_eq!(rules(&text), ["NAT2022-2"], "separator {sep:?}");
    }
}

#[test]
fn a_plan_of_many_same_topic_entries_lists_a_bounded_number_of_related_items() {
    let engine = Engine::embedded().unwrap();
    let entries: Vec<String> = (0..300)
        .map(|i| {
            format!(
                r#"{{"id":"E-{i}","title":"安全检查{i}","targets":["schools"],"schools":["S1"],"start":"2026-04-15","inspection":{{"topic":"安全","notice_on":"2026-03-10"}}}}"#
            )
        })
        .collect();
    let plan = format!(
        r#"{{"plan_id":"P","issuer":{{"name":"市应急管理局","kind":"other_department","level":"city"}},"year":2026,"filed_on":"2026-01-05","approved_on":"2026-01-15","entries":[{}]}}"#,
        entries.join(",")
    );
    let plan = jianfu::AnnualPlan::from_json(&plan).unwrap();
    let report = engine.check_plan(&plan, parse_date("2026-03-02").unwrap(), None);
    let max = jianfu::limits::Limits::get().related_items_listed_max;
    for verdict in &report.verdicts {
        for finding in &verdict.findings {
            assert!(finding.related.len() <= max, "{}", finding.related.len());
        }
    }
    // Output grows with the entries, not with their pairs.
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.len() < 300 * 8_000, "{} bytes", json.len());
    assert!(json.contains("and 279 more"), "the rest are counted");
}
