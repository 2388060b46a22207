//! Verdicts, reviews and score reports as small HTML cards (a notebook shows them: Python's
//! `_repr_html_`). askama templates, every value escaped; labels from the core's label table.

use askama::Template;
use serde_json::Value;

use crate::model::{Decision, MaterialField, Step, Term};

/// Findings a review card lists before it only counts the rest.
const CARD_ROWS: usize = 50;

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn label<T: Term>(code: &str) -> String {
    T::parse(code).map_or_else(|| code.to_string(), |t| t.label_zh().to_string())
}

fn list<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

#[derive(Template)]
#[template(path = "verdict.html", escape = "html")]
struct VerdictCard<'a> {
    item: &'a str,
    decision: &'a str,
    decision_zh: String,
    next_step: Option<String>,
    missing: String,
    findings: Vec<FindingLine<'a>>,
}

struct FindingLine<'a> {
    rule: &'a str,
    decision: String,
    message: &'a str,
    evidence: String,
    advisory: bool,
}

/// A verdict (its JSON) as an HTML card: the decision, then one row per finding.
pub fn verdict_html(verdict: &Value) -> String {
    let card = VerdictCard {
        item: text(verdict, "item"),
        decision: text(verdict, "decision"),
        decision_zh: label::<Decision>(text(verdict, "decision")),
        next_step: verdict
            .get("next_step")
            .and_then(Value::as_str)
            .map(label::<Step>),
        missing: list(verdict, "missing")
            .filter_map(Value::as_str)
            .map(label::<MaterialField>)
            .collect::<Vec<_>>()
            .join("、"),
        findings: list(verdict, "findings")
            .map(|f| FindingLine {
                rule: text(f, "rule"),
                decision: label::<Decision>(text(f, "decision")),
                message: f.get("message").map_or("", |m| text(m, "zh")),
                evidence: list(f, "evidence")
                    .filter_map(|e| e.get("text").and_then(Value::as_str))
                    .collect::<Vec<_>>()
                    .join("、"),
                advisory: f.get("advisory").and_then(Value::as_bool).unwrap_or(false),
            })
            .collect(),
    };
    // Rendering into a String fails only if a value's Display does, which none here does.
    card.render().unwrap_or_default()
}

#[derive(Template)]
#[template(path = "review.html", escape = "html")]
struct ReviewCard<'a> {
    decision: &'a str,
    decision_zh: String,
    flagged: usize,
    chars: u64,
    findings: Vec<ReviewLine<'a>>,
    more: usize,
}

struct ReviewLine<'a> {
    rule: &'a str,
    decision: String,
    clause: &'a str,
    message: &'a str,
}

/// A review (its JSON) as an HTML card: the decision, then the flagged clauses (the first
/// [`CARD_ROWS`], the rest counted).
pub fn review_html(review: &Value) -> String {
    let findings: Vec<&Value> = list(review, "findings").collect();
    let card = ReviewCard {
        decision: text(review, "decision"),
        decision_zh: label::<Decision>(text(review, "decision")),
        flagged: findings.len(),
        chars: review.get("chars").and_then(Value::as_u64).unwrap_or(0),
        more: findings.len().saturating_sub(CARD_ROWS),
        findings: findings
            .iter()
            .take(CARD_ROWS)
            .map(|f| ReviewLine {
                rule: text(f, "rule"),
                decision: label::<Decision>(text(f, "decision")),
                clause: f.get("clause").map_or("", |c| text(c, "text")),
                message: f.get("message").map_or("", |m| text(m, "zh")),
            })
            .collect(),
    };
    card.render().unwrap_or_default()
}

#[derive(Template)]
#[template(path = "scores.html", escape = "html")]
struct ScoresCard<'a> {
    period: &'a str,
    schools: String,
    events: String,
    weeks: String,
    rows: Vec<SchoolLine<'a>>,
    more: usize,
}

struct SchoolLine<'a> {
    school_id: &'a str,
    name: &'a str,
    county: &'a str,
    stratum: String,
    index: String,
    band: String,
}

/// A score report as an HTML card: the period and its totals, then the first [`CARD_ROWS`]
/// schools with their index and band.
pub fn scores_html(report: &crate::score::ScoreReport) -> String {
    let card = ScoresCard {
        period: &report.period.id,
        schools: crate::score::thousands(report.schools.len() as f64, 0),
        events: crate::score::thousands(report.events as f64, 0),
        weeks: format!("{:.1}", report.weeks),
        rows: report
            .schools
            .iter()
            .take(CARD_ROWS)
            .map(|s| SchoolLine {
                school_id: &s.school_id,
                name: &s.name,
                county: &s.county,
                stratum: s.stratum.zh(),
                index: format!("{:.2}", s.index),
                band: format!("{} {}", s.band.zh(), s.band.as_str()),
            })
            .collect(),
        more: report.schools.len().saturating_sub(CARD_ROWS),
    };
    card.render().unwrap_or_default()
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "test harness")]
mod tests {
    use super::*;

    #[test]
    fn cards_show_the_decision_and_findings_escaped() {
        let engine = crate::Engine::embedded().unwrap();
        let as_of = crate::parse_date("2026-03-02").unwrap();
        let item = crate::Item::from_json(
            r#"{"id": "<x>", "kind": "campus_entry", "title": "反电诈APP下载推广进校园",
                "issuer": {"name": "三门峡市公安局", "kind": "other_department", "level": "city"},
                "targets": ["students"]}"#,
        )
        .unwrap();
        let html = verdict_html(&engine.check(&item, as_of).to_json());
        assert!(
            html.contains("&#60;x&#62;") && !html.contains("<x>"),
            "{html}"
        );
        assert!(html.contains("禁止 prohibited"), "{html}");
        let review = engine.review("一、各校组织全体教师下载安装某某APP。", as_of);
        let html = review_html(&serde_json::to_value(&review).unwrap());
        assert!(html.contains("下载安装"), "{html}");
        let config = crate::score::demo::DemoConfig {
            schools: 60,
            ..Default::default()
        };
        let schools = crate::score::demo::schools(&config);
        let events = crate::score::demo::events(&config, &schools, engine.calendar());
        let report = engine.score(&events, &schools, "2026-spring-1").unwrap();
        let html = scores_html(&report);
        assert!(
            html.contains("60 所学校 schools") && html.contains("另有 10 所学校"),
            "{html}"
        );
    }
}
