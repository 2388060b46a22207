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

/// How many rest-day duty findings (NAT2025-D) a review of `text` on `threads` threads has.
fn rest_day_duty(text: &str, threads: usize) -> usize {
    let engine = Engine::embedded()
        .unwrap()
        .with_threads(jianfu::Threads::new(threads));
    let review = engine.review(text, parse_date("2026-03-02").unwrap());
    review
        .findings
        .iter()
        .filter(|f| f.rule == "NAT2025-D")
        .count()
}

/// Within a part, a long draft is read in pieces on several threads: a lead-in's days still
/// reach every line after it in the part, however many pieces lie between.
#[test]
fn a_lead_in_dates_every_line_of_its_part_whatever_the_threads() {
    let (lead_in, item) = (
        "现将寒假值班安排如下：\n",
        "值班教师按教研组轮流，每人值班不少于3天。\n",
    );
    // Several pieces' worth (pieces are at least 64 KiB), inside one part.
    let lines = 600_000 / item.len();
    let text = format!("{lead_in}{}", item.repeat(lines));
    assert!(text.len() < jianfu::text::PART_BYTES);
    for threads in [1, 2, 3] {
        assert_eq!(rest_day_duty(&text, threads), lines, "{threads} threads");
    }
}

/// Lead-ins naming other days one after another, with no title between them: pieces read
/// again with one lead-in's days keep that reading only while those days still hold. Duty in
/// a vacation is flagged; duty in an exam week is not (the entry's days leave it out).
#[test]
fn pieces_read_with_one_lead_ins_days_keep_them_only_while_they_hold() {
    let item = "值班教师按教研组轮流，每人值班不少于3天。\n";
    let block = |lead_in: &str, lines: usize| format!("{lead_in}\n{}", item.repeat(lines));
    let (vacation, exam) = ("现将寒假值班安排如下：", "现将期末考试期间值班安排如下：");
    let sizes = [2_000, 3_000, 1_500, 2_500, 2_000];
    let text: String = sizes
        .iter()
        .enumerate()
        .map(|(n, &lines)| block(if n % 2 == 0 { vacation } else { exam }, lines))
        .collect();
    assert!(text.len() < jianfu::text::PART_BYTES);
    let flagged: usize = sizes.iter().step_by(2).sum();
    for threads in [1, 2, 3] {
        assert_eq!(rest_day_duty(&text, threads), flagged, "{threads} threads");
    }
}

/// Notices with titles, dated lead-ins (numbered and not) and their items, mixed at random into
/// one long draft: the same findings, spans and order on one thread as on several.
#[test]
fn a_long_draft_has_the_same_findings_on_any_number_of_threads() {
    let as_of = parse_date("2026-03-02").unwrap();
    let mut lines: Vec<String> = drafts().lines().map(|l| format!("{l}\n")).collect();
    lines.extend(
        [
            "关于做好2026年国庆假期值班工作的通知",
            "关于做好春季开学工作的通知",
            "现将寒假值班安排如下：",
            "三、现将国庆假期值班安排如下：",
            "四、各校要做好开学准备。",
            "（一）值班教师按教研组轮流，每人值班不少于3天。",
            "值班教师按教研组轮流，每人值班不少于3天。",
            "严禁安排教师寒假值班。",
            "关于做好2026年寒假安全工作的通知",
            "  \t　",
            "",
            "各校要组织教师关\u{200b}注“平安校园",
            "各校要组织教师下载ＡＰＰ并注册。\r",
            "五、国庆期间安排教师到路口执勤。\u{2028}请各校严格落实。",
            "三、存在问题",
            "二、存在的不足。个别学校要求教师周末参加禁毒知识培训。",
        ]
        .map(|l| format!("{l}\n")),
    );
    // A fixed linear congruential sequence: the same draft every run.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut text = String::new();
    while text.len() < 900_000 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let pick = usize::try_from(state >> 33).unwrap() % lines.len();
        text.push_str(lines.get(pick).unwrap());
    }
    let review = |threads| {
        let engine = Engine::embedded()
            .unwrap()
            .with_threads(jianfu::Threads::new(threads));
        serde_json::to_string(&engine.review(&text, as_of)).unwrap()
    };
    let one = review(1);
    assert!(one.contains("NAT2025-D"));
    for threads in [2, 3, 8] {
        assert!(one == review(threads), "{threads} threads");
    }
}

/// A report's section that a numbered heading alone on its line opens (三、存在问题) narrates
/// every line up to the next line numbered alike (四、), however many pieces lie between; the
/// lines after it demand again.
#[test]
fn a_report_section_narrates_up_to_the_next_item_whatever_the_threads() {
    let as_of = parse_date("2026-03-02").unwrap();
    let item = "（一）部分学校要求教师周末参加禁毒知识培训。\n";
    let demand = "各校要组织全体教师周六参加禁毒知识培训。\n";
    let lines = 300_000 / item.len();
    let text = format!(
        "三、存在问题\n{}四、下一步工作\n{}",
        item.repeat(lines),
        demand.repeat(lines)
    );
    assert!(text.len() < jianfu::text::PART_BYTES);
    let review = |threads| {
        let engine = Engine::embedded()
            .unwrap()
            .with_threads(jianfu::Threads::new(threads));
        let review = engine.review(&text, as_of);
        let training = review.findings.iter().filter(|f| f.rule == "NAT2025-T");
        (training.count(), serde_json::to_string(&review).unwrap())
    };
    let (found, one) = review(1);
    assert_eq!(found, lines, "only the lines after 四、 demand");
    for threads in [2, 3] {
        assert!(one == review(threads).1, "{threads} threads");
    }
}

/// A ruleset whose line break is no sentence break (a layer may define its own breaks) reads a
/// sentence across lines: such a draft is not cut, and threads still change nothing.
#[test]
fn a_ruleset_without_line_breaks_as_breaks_reads_a_long_draft_whole() {
    let as_of = parse_date("2026-03-02").unwrap();
    let national = include_str!("../rulesets/national.toml");
    let breaks = r#"sentence_breaks = ["。", "；", ";", "！", "!", "？", "?", "\n", "\r", "\u2028", "\u2029"]"#;
    assert!(national.contains(breaks));
    let without = national.replace(
        breaks,
        r#"sentence_breaks = ["。", "；", ";", "！", "!", "？", "?"]"#,
    );
    let ruleset = jianfu::Ruleset::from_sources(&[("national.toml", without.as_str())]).unwrap();
    // A demand split over two lines is one sentence here: 下载 and APP meet across the break.
    let text = "各校须组织教师下载\n“平安校园”APP并注册\n".repeat(20_000);
    assert!(text.len() > 4 * 65_536);
    let review = |threads| {
        let engine = jianfu::Engine::new(ruleset.clone())
            .unwrap()
            .with_threads(jianfu::Threads::new(threads));
        serde_json::to_string(&engine.review(&text, as_of)).unwrap()
    };
    let one = review(1);
    assert!(one.contains("NAT2022-2"));
    assert!(one == review(2));
}

/// Many drafts reviewed at once: each review is the one `Engine::review` gives, in input order,
/// on any number of threads.
#[test]
fn many_drafts_reviewed_at_once_are_each_reviewed_as_alone() {
    let as_of = parse_date("2026-03-02").unwrap();
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/drafts");
    let mut drafts: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect();
    drafts.sort();
    // Short and long, with and without findings, an empty one among them.
    drafts.push(String::new());
    drafts.push("请各校认真备课。\n".to_owned());
    drafts.push(drafts.concat().repeat(200));
    let engine = Engine::embedded().unwrap();
    let one = engine.clone().with_threads(jianfu::Threads::ONE);
    let alone: Vec<String> = drafts
        .iter()
        .map(|d| serde_json::to_string(&one.review(d, as_of)).unwrap())
        .collect();
    assert!(alone.iter().any(|r| r.contains("NAT2022-2")));
    for threads in [1, 2, 3] {
        let engine = engine.clone().with_threads(jianfu::Threads::new(threads));
        let many: Vec<String> = engine
            .review_many(&drafts, as_of)
            .iter()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect();
        assert_eq!(alone, many, "{threads} threads");
    }
}
