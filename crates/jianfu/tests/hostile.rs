//! Hostile text through review and check: long runs that a careless reader would walk once per
//! character, unclosed quotation marks, line and paragraph separators. Each must finish and
//! still read the demand (these would take minutes if any step were quadratic).

#![expect(clippy::unwrap_used, reason = "test harness")]

use jianfu::{Engine, parse_date};

fn rules(text: &str) -> Vec<String> {
    let engine = Engine::embedded().unwrap();
    let review = engine.review(text, parse_date("2026-03-02").unwrap());
    // Clause findings only: a text this long also breaks the document-length rule.
    let mut rules: Vec<String> = review
        .findings
        .iter()
        .filter(|f| f.clause.is_some())
        .map(|f| f.rule.to_string())
        .collect();
    rules.sort();
    rules.dedup();
    rules
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
