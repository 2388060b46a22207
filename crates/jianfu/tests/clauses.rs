//! The labelled clause corpus (`tests/clauses`): document review measured on clauses written by
//! people who never saw the lexicon. `dev.jsonl` is what the lexicon was tuned on; `test.jsonl`
//! (whole notices, never tuned on) is held out, and this test fails when review falls below the
//! floors on it. `scripts/split-clauses.py` makes both halves from the writers' files.

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "test harness")]

use std::collections::BTreeSet;
use std::path::PathBuf;

use jianfu::text::eval::{LabelledClause, read_labelled};
use jianfu::{Engine, parse_date};

/// The floors CI holds the held-out half to. They are the measured figures less a small
/// margin, so a change that loses fidelity fails; see the README for the measured figures.
/// (The targets, 95 % and 90 %, are not met; writers i and p, added to this half
/// unseen, brought the measured figures down from 86 % / 77 % to 76.5 % / 73.3 %; 76.3 % / 76.0 % now.)
const MIN_PRECISION: f64 = 0.76;
const MIN_RECALL: f64 = 0.74;
/// By clause (is a burden flagged at all): measured 94.9 % / 91.6 %. Recall is held to the
/// issue's own 90 %; precision, short of its 95 %, to the measured figure less a small margin.
const MIN_CLAUSE_PRECISION: f64 = 0.94;
const MIN_CLAUSE_RECALL: f64 = 0.90;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/clauses")
}

fn corpus(name: &str) -> Vec<LabelledClause> {
    let path = corpus_dir().join(name);
    let text = std::fs::read_to_string(&path).expect("corpus file");
    read_labelled(&text, name).expect("corpus parses")
}

fn as_of() -> chrono::NaiveDate {
    parse_date("2026-03-02").unwrap()
}

#[test]
fn held_out_half_meets_the_floors() {
    let engine = Engine::embedded().unwrap();
    let report = engine.evaluate(&corpus("test.jsonl"), as_of());
    let (p, r) = (report.total.precision(), report.total.recall());
    assert!(
        report.clauses >= 300,
        "test half has {} clauses",
        report.clauses
    );
    assert!(
        p >= MIN_PRECISION && r >= MIN_RECALL,
        "held-out precision {p:.3} (floor {MIN_PRECISION}), recall {r:.3} (floor {MIN_RECALL})"
    );
    let by_clause = report.clauses_flagged;
    let (p, r) = (by_clause.precision(), by_clause.recall());
    assert!(
        p >= MIN_CLAUSE_PRECISION && r >= MIN_CLAUSE_RECALL,
        "held-out by clause: precision {p:.3} (floor {MIN_CLAUSE_PRECISION}), recall {r:.3} (floor {MIN_CLAUSE_RECALL})"
    );
    assert_eq!(by_clause.tp + by_clause.fn_, report.imposing);
    assert_eq!(by_clause.fp, report.false_flags);
}

#[test]
fn halves_share_no_notice_and_every_label_is_a_review_rule() {
    let engine = Engine::embedded().unwrap();
    let reviewable: BTreeSet<&str> = engine
        .ruleset()
        .lexicon()
        .iter()
        .flat_map(|g| g.review_rules.iter().map(String::as_str))
        .collect();
    let notice = |c: &LabelledClause| {
        c.id.rsplit_once('-')
            .map(|(doc, _)| doc.to_string())
            .unwrap()
    };
    let dev = corpus("dev.jsonl");
    let test = corpus("test.jsonl");
    let dev_notices: BTreeSet<String> = dev.iter().map(notice).collect();
    let mut ids = BTreeSet::new();
    for clause in dev.iter().chain(&test) {
        assert!(
            ids.insert(clause.id.clone()),
            "duplicate clause id {}",
            clause.id
        );
        for rule in &clause.expect {
            assert!(
                reviewable.contains(rule.as_str()),
                "{}: label {rule} is no review rule",
                clause.id
            );
        }
    }
    for clause in &test {
        assert!(
            !dev_notices.contains(&notice(clause)),
            "{} is in both halves",
            clause.id
        );
    }
}

/// A notice's clauses are reviewed together, so its lead-in dates the items after it; the same
/// item with no notice is read alone, and each finding counts for the clause it is in.
#[test]
fn a_notices_clauses_are_read_together() {
    let engine = Engine::embedded().unwrap();
    let corpus = concat!(
        "{\"id\":\"n-1\",\"doc\":\"n\",\"text\":\"现将寒假值班安排如下：\",\"expect\":[]}\n",
        "{\"id\":\"n-2\",\"doc\":\"n\",\"text\":\"一、值班教师按教研组轮流，每人值班不少于3天。\",\"expect\":[\"NAT2025-D\"]}\n",
        "{\"id\":\"m-1\",\"text\":\"一、值班教师按教研组轮流，每人值班不少于3天。\",\"expect\":[\"NAT2025-D\"]}\n",
    );
    let clauses = read_labelled(corpus, "c.jsonl").unwrap();
    assert_eq!(clauses.first().unwrap().doc.as_deref(), Some("n"));
    let report = engine.evaluate(&clauses, as_of());
    let by_clause = report.clauses_flagged;
    assert_eq!((by_clause.tp, by_clause.fp, by_clause.fn_), (1, 0, 1));
    let missed: Vec<&str> = report.misses.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(missed, ["m-1"]);
}

#[test]
fn a_bad_corpus_line_names_its_line() {
    let err = read_labelled(
        "{\"id\":\"x\",\"text\":\"t\",\"expect\":[]}\nnot json\n",
        "c.jsonl",
    )
    .unwrap_err();
    let data = jianfu::ErrorData::from(&err);
    assert_eq!(data.code, "row.invalid");
    let location = data.location.unwrap();
    assert_eq!(
        (location.source.as_deref(), location.line),
        (Some("c.jsonl"), Some(2))
    );
}

/// The halves are exactly the writers' files, split as `scripts/split-clauses.py` does: every
/// clause in one half with its writer's label, none lost, none edited in a half only.
#[test]
fn halves_are_the_writers_files() {
    let key = |c: &LabelledClause| (c.id.clone(), c.text.clone(), c.expect.clone());
    // Every writer's file beside the halves, so a writer added without a new split fails here.
    let mut writers: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("corpus folder")
        .map(|entry| {
            entry
                .expect("corpus entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".jsonl") && name != "dev.jsonl" && name != "test.jsonl")
        .collect();
    writers.sort();
    assert!(writers.len() >= 31, "writers' files: {writers:?}");
    let written: Vec<LabelledClause> = writers.iter().flat_map(|w| corpus(w)).collect();
    let split: Vec<LabelledClause> = corpus("dev.jsonl")
        .into_iter()
        .chain(corpus("test.jsonl"))
        .collect();
    let writers: BTreeSet<_> = written.iter().map(key).collect();
    let halves: BTreeSet<_> = split.iter().map(key).collect();
    assert_eq!(
        writers.symmetric_difference(&halves).next(),
        None,
        "tests/clauses halves are stale: run scripts/split-clauses.py"
    );
    assert_eq!(split.len(), written.len(), "no clause dropped or doubled");
}
