//! Reading as input arrives: a draft reviewed part by part gives the findings of the whole
//! text, spans and order included.

#![expect(clippy::unwrap_used, reason = "test harness")]

use jianfu::{Engine, parse_date};

fn drafts() -> String {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/drafts");
    let mut text = String::new();
    for name in ["county-notice.txt", "draft-notice.txt"] {
        text.push_str(&std::fs::read_to_string(dir.join(name)).unwrap());
        text.push('\n');
    }
    text
}

#[test]
fn a_draft_reviewed_in_parts_has_the_findings_of_the_whole() {
    let engine = Engine::embedded().unwrap();
    let as_of = parse_date("2026-03-02").unwrap();
    // Past three parts, so spans are carried across part boundaries.
    let one = drafts();
    let text = one.repeat(3 * jianfu::text::PART_BYTES / one.len() + 1);
    let whole = engine.review(&text, as_of);
    let expected: Vec<_> = whole
        .findings
        .iter()
        .map(|f| serde_json::to_value(f).unwrap())
        .collect();
    assert!(expected.len() > 100, "{} findings", expected.len());
    // The whole-document length finding comes last in both.
    assert!(whole.findings.last().unwrap().clause.is_none());
    // Parts reviewed one at a time, or several at once on threads: the same findings.
    for threads in [1, 2, 3] {
        let engine = engine.clone().with_threads(jianfu::Threads::new(threads));
        let mut streamed = Vec::new();
        let totals = engine
            .review_reader(text.as_bytes(), "draft.txt", as_of, |f| {
                streamed.push(serde_json::to_value(&f).unwrap());
                Ok(())
            })
            .unwrap();
        assert_eq!(expected, streamed, "{threads} threads");
        assert_eq!(
            (totals.chars, totals.decision, totals.flagged),
            (whole.chars, whole.decision, whole.findings.len())
        );
    }
}

#[test]
fn a_draft_that_is_not_utf8_names_the_byte() {
    let engine = Engine::embedded().unwrap();
    let as_of = parse_date("2026-03-02").unwrap();
    let bytes = b"\xe5\x90\x84\xe6\xa0\xa1\xff\n".as_slice();
    let err = engine
        .review_reader(bytes, "draft.txt", as_of, |_| Ok(()))
        .unwrap_err();
    let data = jianfu::ErrorData::from(&err);
    assert_eq!(data.code, "io");
    assert!(
        data.message.contains("draft.txt") && data.message.contains("byte 6"),
        "{}",
        data.message
    );
}

#[test]
fn a_bad_byte_in_a_later_part_names_its_line_and_byte_and_stops_its_round() {
    let as_of = parse_date("2026-03-02").unwrap();
    let one = drafts();
    // Two whole parts of valid text, then a bad byte at the start of a line in the third part.
    let mut text = one
        .repeat(2 * jianfu::text::PART_BYTES / one.len() + 1)
        .into_bytes();
    let (line, byte) = (text.iter().filter(|&&b| b == b'\n').count() + 1, text.len());
    text.extend_from_slice(b"\xff\n");
    text.extend_from_slice(one.as_bytes());
    for threads in [1, 2, 3] {
        let engine = Engine::embedded()
            .unwrap()
            .with_threads(jianfu::Threads::new(threads));
        let mut handed = 0usize;
        let err = engine
            .review_reader(text.as_slice(), "draft.txt", as_of, |_| {
                handed += 1;
                Ok(())
            })
            .unwrap_err();
        let message = jianfu::ErrorData::from(&err).message;
        assert!(
            message.contains(&format!("line {line} (byte {byte})")),
            "{threads} threads: {message}"
        );
        // Three threads read the three parts in one round: none of its findings is handed on.
        if threads == 3 {
            assert_eq!(handed, 0);
        } else {
            assert!(handed > 0, "{threads} threads");
        }
    }
}

/// What carries from line to line (the days a notice's lead-in names) stops where a part ends,
/// in a whole-text review as in a streamed one: a lead-in at the end of one part dates nothing
/// in the next, either way.
#[test]
fn a_lead_in_dates_nothing_past_its_part_either_way() {
    let engine = Engine::embedded().unwrap();
    let as_of = parse_date("2026-03-02").unwrap();
    let (filler, lead_in) = ("各校要做好开学准备。\n", "现将寒假值班安排如下：\n");
    let item = "二、值班教师按教研组轮流，每人值班不少于3天。\n";
    // Filler up to just before PART_BYTES, so the lead-in's line ends the first part.
    let part = jianfu::text::PART_BYTES;
    let mut text = filler.repeat((part - lead_in.len()) / filler.len() + 1);
    assert!(text.len() < part);
    text.push_str(lead_in);
    assert!(text.len() >= part);
    text.push_str(item);
    let whole = engine.review(&text, as_of);
    let mut streamed = Vec::new();
    engine
        .review_reader(text.as_bytes(), "draft.txt", as_of, |f| {
            streamed.push(f.rule.to_string());
            Ok(())
        })
        .unwrap();
    let rules: Vec<String> = whole.findings.iter().map(|f| f.rule.to_string()).collect();
    assert_eq!(rules, streamed);
    assert!(!rules.iter().any(|r| r == "NAT2025-D"), "{rules:?}");
    // Within one part, the same lead-in does date the item.
    let short = engine.review(&format!("{lead_in}{item}"), as_of);
    assert!(short.findings.iter().any(|f| f.rule == "NAT2025-D"));
}
