//! Property tests: the verdict's decision is its most severe finding's, checking is
//! deterministic, spans point at the words they claim (disguised and variant forms included),
//! the same facts under any kind label keep their prohibitions, and no input makes the core
//! panic.

#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "test harness")]

use std::sync::OnceLock;

use jianfu::{Decision, Engine, Item, Register, parse_date};
use proptest::prelude::*;
use serde_json::{Value, json};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::embedded().unwrap())
}

const KINDS: [&str; 10] = [
    "inspection",
    "campus_entry",
    "data_request",
    "secondment",
    "directive_task",
    "social_task",
    "duty",
    "training",
    "meeting",
    "document",
];
const ISSUERS: [&str; 7] = [
    "education",
    "party_committee",
    "government",
    "other_department",
    "mass_organization",
    "enterprise",
    "social_organization",
];
const LEVELS: [&str; 6] = [
    "national",
    "provincial",
    "city",
    "county",
    "township",
    "school",
];
const STEPS: [&str; 6] = [
    "secretariat_review",
    "leader_review",
    "group_head_signoff",
    "party_committee_approval",
    "education_consent",
    "party_committee_filing",
];
const OUTCOMES: [&str; 3] = ["approved", "rejected", "returned"];
const PIECES: [&str; 31] = [
    // Disguised and variant forms: normalisation must keep every span on the original text.
    "关\u{200b}注公众号",
    "一票否決",
    "ＡＰＰ",
    "АРР",
    "下 载",
    "周六",
    "培训",
    "下载",
    "APP",
    "不得",
    "严禁",
    "，",
    "。",
    "关注公众号",
    "投票点赞",
    "一票否决",
    "责任状",
    "打卡",
    "留痕",
    "以留痕作为评价依据",
    "巡河",
    "上街执勤",
    "创城",
    "禁毒",
    "进校园",
    "工作专班",
    "调研",
    "排名",
    "教师",
    "学生",
    "活动",
];

/// Lines for the streaming reader: items, blanks and every kind of bad line.
const STREAM_LINES: [&[u8]; 12] = [
    br#"{"id":"e","title":"t","issuer{""#,
    // Whole JSON by its syntax, yet no value (a number beyond f64): still a line of its own.
    br#"{"id":"h","hours":1e400}"#,
    "\u{3000}\r".as_bytes(),
    b"{}\r",
    r#"{"id":"a","kind":"meeting","title":"会议","issuer":{"name":"县局","kind":"other_department","level":"county"}}"#.as_bytes(),
    r#"{"id":"b","kind":"duty","title":"节假日值班","issuer":{"name":"县局","kind":"other_department","level":"county"},"start":"2026-10-01"}"#.as_bytes(),
    b"",
    b"   ",
    b"not json",
    b"[1, 2]",
    b"{\"id\": \"c\", \"title\": \"\xff\xfe\"}",
    br#"{"id":"d","kind":"meeting","title":"t","issuer":{"name":"n","kind":"other_department","level":"county"},"start":"2026-3-1"}"#,
];

/// What may stand between array elements, and how an array may end.
const ARRAY_GAPS: [&[u8]; 4] = [b"", b" ", b"\n", b"\r\n  "];
const ARRAY_ENDS: [&[u8]; 5] = [b"]", b"]\n", b"", b"] x", b"]\n[]"];

fn date() -> impl Strategy<Value = String> {
    (2024i32..=2026, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(&PIECES[..]), 0..8).prop_map(|p| p.concat())
}

fn item() -> impl Strategy<Value = Value> {
    (
        (prop::sample::select(&KINDS[..]), prop::sample::select(&ISSUERS[..]), prop::sample::select(&LEVELS[..])),
        (text(), text(), prop::option::of(date()), prop::option::of(date())),
        (prop::collection::vec(any::<bool>(), 10), prop::collection::vec(any::<bool>(), 7)),
        prop::collection::vec((prop::sample::select(&STEPS[..]), date(), prop::sample::select(&OUTCOMES[..])), 0..4),
        (any::<bool>(), any::<bool>(), 0u32..400),
    )
        .prop_map(|((kind, issuer, level), (title, description, start, end), (flags, materials), approvals, (b1, b2, days))| {
            let names = ["install_app", "follow_account", "vote_or_like", "sales_quota", "commercial_promotion",
                "check_in_trace", "one_vote_veto", "responsibility_letter", "ranking", "photo_upload"];
            let requirements: serde_json::Map<String, Value> =
                names.iter().zip(&flags).map(|(n, f)| (n.to_string(), Value::Bool(*f))).collect();
            let fields = ["reason", "basis", "work_plan", "expected_effect", "organiser", "participants", "content"];
            let materials: serde_json::Map<String, Value> = fields
                .iter()
                .zip(&materials)
                .filter(|(_, present)| **present)
                .map(|(f, _)| (f.to_string(), Value::from("有")))
                .collect();
            let approvals: Vec<Value> =
                approvals.into_iter().map(|(step, on, outcome)| json!({"step": step, "on": on, "outcome": outcome})).collect();
            let mut item = json!({
                "id": "P-1", "kind": kind, "title": title, "description": description,
                "issuer": {"name": "单位", "kind": issuer, "level": level},
                "targets": ["teachers", "students"], "schools": ["S1"],
                "requirements": requirements, "materials": materials, "approvals": approvals,
                "secondment": {"teachers": 1, "days": days, "major_task": b1, "party_filed": b2},
                "duty": {"day_type": if b1 { "holiday" } else { "school_day" }, "teachers_rostered": b2},
                "inspection": {"comprehensive": b1, "scored": b2, "topic": "安全", "notice_on": "2026-01-01"},
                "campus_entry": {"basis_type": if b2 { "law_or_document" } else { "none" }},
                "data_request": {"fields": ["姓名"]},
                "annual_plan": {"plan_id": "P", "filed_on": "2026-01-11"}
            });
            // Items end on or after they start (a reversed span is refused on read).
            let (start, end) = match (start, end) {
                (Some(a), Some(b)) if b < a => (Some(b), Some(a)),
                span => span,
            };
            if let Some(start) = start { item["start"] = Value::from(start); }
            if let Some(end) = end { item["end"] = Value::from(end); }
            item
        })
}

/// Items whose kind follows from what they ask (their words, flags or blocks), with the kind
/// a careful clerk would file them under.
fn substantive_item() -> impl Strategy<Value = (&'static str, Value)> {
    const FACTS: [(&str, &str, &str); 10] = [
        (
            "directive_task",
            "关于组织家长下载“平安三门峡”APP的通知",
            "{}",
        ),
        ("directive_task", "组织教师为宣传片投票点赞", "{}"),
        ("social_task", "关于安排教师沿河道巡查的通知", "{}"),
        ("social_task", "创城期间组织教师到路口执勤", "{}"),
        (
            "secondment",
            "抽调教师到防汛指挥部集中办公",
            r#"{"secondment": {"teachers": 2, "days": 200, "major_task": false}}"#,
        ),
        (
            "duty",
            "国庆期间安排教师到校值班",
            r#"{"duty": {"day_type": "holiday", "teachers_rostered": true}}"#,
        ),
        ("training", "周六组织全体教师参加消防培训", "{}"),
        (
            "inspection",
            "以调研名义对各校量化打分并排名",
            r#"{"inspection": {"scored": true, "topic": "安全"}}"#,
        ),
        (
            "data_request",
            "请各校重新填报已报送的教师信息",
            r#"{"data_request": {"fields": ["姓名"]}}"#,
        ),
        (
            "campus_entry",
            "禁毒宣传进校园",
            r#"{"campus_entry": {"basis_type": "none"}}"#,
        ),
    ];
    (
        prop::sample::select(&FACTS[..]),
        prop::sample::select(&ISSUERS[..]),
        prop::sample::select(&LEVELS[..]),
        prop::option::of(date()),
        prop::sample::subsequence(vec!["schools", "teachers", "students", "parents"], 0..=4),
    )
        .prop_map(|((kind, title, extra), issuer, level, start, targets)| {
            let mut item = json!({
                "id": "S-1", "kind": kind, "title": title,
                "issuer": {"name": "单位", "kind": issuer, "level": level},
                "targets": targets,
            });
            if let Some(start) = start {
                item["start"] = Value::from(start);
            }
            let extra: Value = serde_json::from_str(extra).unwrap();
            for (k, v) in extra.as_object().unwrap() {
                item[k] = v.clone();
            }
            (kind, item)
        })
}

fn register() -> Register {
    let mut items = Vec::new();
    for i in 0..7 {
        items.push(Item::from_json(&json!({
            "id": format!("R-{i}"), "kind": if i % 2 == 0 { "campus_entry" } else { "inspection" }, "title": "t",
            "issuer": {"name": "n", "kind": "other_department", "level": "city"}, "schools": ["S1"],
            "start": format!("2026-03-{:02}", i + 1),
            "inspection": {"comprehensive": true, "topic": "安全"}, "data_request": {"fields": ["姓名"]}
        }).to_string()).unwrap());
    }
    Register {
        items,
        ..Register::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decision_is_the_most_severe_finding(item in item(), as_of in date(), with_register in any::<bool>()) {
        let item = Item::from_json(&item.to_string()).unwrap();
        let as_of = parse_date(&as_of).unwrap();
        let register = register();
        let verdict = if with_register { engine().check_with(&item, as_of, &register) } else { engine().check(&item, as_of) };
        let most = verdict.findings.iter().map(|f| f.decision).max().unwrap_or(Decision::Allowed);
        prop_assert_eq!(verdict.decision, most);
        // `missing` is exactly what the findings' evidence names as missing.
        for field in &verdict.missing {
            let named = verdict.findings.iter().flat_map(|f| &f.evidence).any(|e| e.field == format!("materials.{}", field.as_str()));
            prop_assert!(named);
        }
        // Every finding cites a document the ruleset has.
        for finding in &verdict.findings {
            prop_assert!(engine().ruleset().documents().iter().any(|d| d.id == finding.citation.document));
        }
    }

    #[test]
    fn checking_is_deterministic(item in item(), as_of in date()) {
        // A second engine built on its own: same ruleset, same input, same bytes.
        static OTHER: OnceLock<Engine> = OnceLock::new();
        let item = Item::from_json(&item.to_string()).unwrap();
        let as_of = parse_date(&as_of).unwrap();
        let a = serde_json::to_string(&engine().check(&item, as_of)).unwrap();
        let other = OTHER.get_or_init(|| Engine::embedded().unwrap());
        let b = serde_json::to_string(&other.check(&item, as_of)).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn same_facts_under_any_label_keep_their_prohibitions(item in substantive_item(), label in prop::sample::select(&KINDS[..])) {
        let (true_kind, item) = item;
        let as_of = parse_date("2026-03-02").unwrap();
        let under = |kind: &str| {
            let mut item = item.clone();
            item["kind"] = Value::from(kind);
            let item = Item::from_json(&item.to_string()).unwrap();
            let verdict = engine().check(&item, as_of);
            let prohibited: Vec<String> = verdict
                .findings
                .iter()
                .filter(|f| f.decision == Decision::Prohibited)
                .map(|f| f.rule.to_string())
                .collect();
            (verdict.decision, prohibited)
        };
        let (true_decision, true_prohibited) = under(true_kind);
        let (decision, prohibited) = under(label);
        if true_decision == Decision::Prohibited {
            prop_assert_eq!(decision, Decision::Prohibited, "{} filed as {} is no longer prohibited", true_kind, label);
        }
        for rule in &true_prohibited {
            prop_assert!(prohibited.contains(rule), "{} filed as {} loses {}", true_kind, label, rule);
        }
    }

    #[test]
    fn evidence_spans_point_at_their_words(item in item(), as_of in date()) {
        let item = Item::from_json(&item.to_string()).unwrap();
        let verdict = engine().check(&item, parse_date(&as_of).unwrap());
        for e in verdict.findings.iter().flat_map(|f| &f.evidence) {
            if let (Some([a, b]), Some(text)) = (e.span, &e.text) {
                let field = if e.field == "title" { &item.title } else { &item.description };
                let slice: String = field.chars().skip(a).take(b - a).collect();
                prop_assert_eq!(&slice, text);
            }
        }
    }

    #[test]
    fn review_spans_point_at_their_words(draft in text(), more in text()) {
        let draft = format!("{draft}\n{more}。");
        let review = engine().review(&draft, parse_date("2026-03-02").unwrap());
        for f in &review.findings {
            let Some(c) = &f.clause else { continue };
            let clause: String = draft.chars().skip(c.span[0]).take(c.span[1] - c.span[0]).collect();
            prop_assert_eq!(clause.as_str(), &*c.text);
            for e in &f.evidence {
                let [a, b] = e.span.unwrap();
                let word: String = draft.chars().skip(a).take(b - a).collect();
                prop_assert_eq!(Some(word.as_str()), e.text.as_deref());
            }
        }
    }

    #[test]
    fn any_text_as_item_json_never_panics(text in "\\PC{0,200}") {
        let _ = Item::from_json(&text);
        let _ = jianfu::ffi::parse_items(&text, "fuzz");
        let _ = jianfu::ffi::check_json(engine(), &text, "2026-03-02", None);
    }

    #[test]
    fn mutated_item_json_never_panics(item in item(), cut in 0usize..2000, junk in "\\PC{0,5}") {
        let mut text = item.to_string();
        let mut cut = cut.min(text.len());
        while !text.is_char_boundary(cut) { cut -= 1; }
        text.insert_str(cut, &junk);
        if let Ok(item) = Item::from_json(&text) {
            let _ = engine().check(&item, parse_date("2026-03-02").unwrap());
        }
        let _ = jianfu::ffi::parse_items(&text, "fuzz");
    }

    /// A batch checked against a register (counts looked up in the batch's index) gives
    /// exactly the verdicts of checking each item on its own (the register scanned).
    #[test]
    fn batch_counts_equal_item_by_item_counts(
        items in prop::collection::vec((item(), prop::sample::select(&["S1", "S2"][..]), any::<bool>(), prop::sample::select(&["W1", "W2"][..])), 2..9),
        as_of in date(),
    ) {
        let items: Vec<Item> = items
            .into_iter()
            .enumerate()
            .map(|(i, (mut item, school, both, whitelist))| {
                // Some ids repeat: an item is never counted against itself.
                item["id"] = Value::from(format!("R-{}", i % 5));
                item["schools"] = if both { json!(["S1", "S2", school]) } else { json!([school]) };
                item["campus_entry"]["whitelist_id"] = Value::from(whitelist);
                Item::from_json(&item.to_string()).unwrap()
            })
            .collect();
        // A plan that lists some of the items (twice for one), as a plan check's register has.
        let plan = jianfu::AnnualPlan::from_json(&json!({
            "plan_id": "P", "year": 2026, "filed_on": "2026-01-11",
            "issuer": {"name": "县公安局", "kind": "other_department", "level": "county"},
            "entries": [{"id": "R-0", "title": "检查"}, {"id": "R-2", "title": "检查"}, {"id": "R-2", "title": "复查"}]
        }).to_string()).unwrap();
        let register = jianfu::Register { items: items.clone(), plans: vec![plan], ..Default::default() };
        let as_of = parse_date(&as_of).unwrap();
        let batch = engine().check_many(&items, as_of, Some(&register));
        let one_by_one: Vec<_> = items.iter().map(|i| engine().check_with(i, as_of, &register)).collect();
        prop_assert_eq!(serde_json::to_value(&batch).unwrap(), serde_json::to_value(&one_by_one).unwrap());
    }

    /// The streaming reader gives exactly the records the whole-input reader gives, for JSON
    /// Lines with bad lines (not JSON, not UTF-8, arrays, blanks, a byte-order mark) mixed in.
    #[test]
    fn streamed_items_are_the_items_read_whole(
        lines in prop::collection::vec(prop::sample::select(&STREAM_LINES[..]), 1..12),
        bom in any::<bool>(),
        trailing_newline in any::<bool>(),
    ) {
        let mut bytes: Vec<u8> = if bom { "\u{feff}".into() } else { Vec::new() };
        bytes.extend(lines.join(&b"\n"[..]));
        if trailing_newline {
            bytes.push(b'\n');
        }
        let whole = jianfu::ffi::parse_items_bytes(&bytes, "s");
        let streamed: Vec<_> = jianfu::ffi::ItemStream::new(&bytes[..], "s")
            .collect::<Result<_, _>>()
            .unwrap();
        prop_assert_eq!(format!("{whole:?}"), format!("{streamed:?}"));
        // Read in batches with their lines parsed on several threads: the same records.
        for (max, threads) in [(1, 1), (3, 2), (100, 3)] {
            let mut stream = jianfu::ffi::ItemStream::new(&bytes[..], "s");
            let mut batched = Vec::new();
            while let Some(batch) = stream.next_batch(max, jianfu::Threads::new(threads)) {
                batched.extend(batch.unwrap());
            }
            prop_assert_eq!(format!("{whole:?}"), format!("{batched:?}"));
        }
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let on_threads = jianfu::ffi::parse_items_on(text, "s", jianfu::Threads::new(3));
            prop_assert_eq!(format!("{whole:?}"), format!("{on_threads:?}"));
        }
    }

    /// A JSON array is read element by element as it streams in, in chunks of any size: the
    /// same records as the whole-input reader, whatever the elements (bad JSON, not UTF-8,
    /// not objects, nested brackets, strings with brackets), with or without its closing `]`
    /// and with text after it.
    #[test]
    fn streamed_array_elements_are_the_elements_read_whole(
        elements in prop::collection::vec(prop::sample::select(&STREAM_LINES[..]), 0..10),
        gaps in prop::collection::vec(prop::sample::select(&ARRAY_GAPS[..]), 10),
        bom in any::<bool>(),
        end in prop::sample::select(&ARRAY_ENDS[..]),
        chunk in 1usize..64,
    ) {
        let mut bytes: Vec<u8> = if bom { "\u{feff}".into() } else { Vec::new() };
        bytes.extend_from_slice(b"\n [");
        for (n, element) in elements.iter().enumerate() {
            if n > 0 {
                bytes.push(b',');
            }
            bytes.extend_from_slice(gaps.get(n).copied().unwrap_or_default());
            bytes.extend_from_slice(element);
        }
        bytes.extend_from_slice(end);
        let whole = jianfu::ffi::parse_items_bytes(&bytes, "s");
        let reader = std::io::BufReader::with_capacity(chunk, &bytes[..]);
        let streamed: Vec<_> = jianfu::ffi::ItemStream::new(reader, "s")
            .collect::<Result<_, _>>()
            .unwrap();
        prop_assert_eq!(format!("{whole:?}"), format!("{streamed:?}"));
        let mut stream = jianfu::ffi::ItemStream::new(std::io::BufReader::with_capacity(chunk, &bytes[..]), "s");
        let mut batched = Vec::new();
        while let Some(batch) = stream.next_batch(3, jianfu::Threads::new(2)) {
            batched.extend(batch.unwrap());
        }
        prop_assert_eq!(format!("{whole:?}"), format!("{batched:?}"));
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let on_threads = jianfu::ffi::parse_items_on(text, "s", jianfu::Threads::new(3));
            prop_assert_eq!(format!("{whole:?}"), format!("{on_threads:?}"));
        }
        // Every element is a record (the blank ones aside), and a missing `]` or text after
        // it is one more, an error (with balanced brackets: an element left open runs on).
        prop_assume!(!elements.contains(&STREAM_LINES[0]));
        let elements_read = elements.iter().filter(|e| !e.trim_ascii().is_empty()).count();
        let closed_cleanly = end == b"]" || end == b"]\n";
        prop_assert_eq!(whole.len(), elements_read + usize::from(!closed_cleanly));
    }

    #[test]
    fn any_text_as_ruleset_never_panics(text in "\\PC{0,300}") {
        let _ = jianfu::Ruleset::from_sources(&[("fuzz.toml", text.as_str())]);
    }
}

/// A term read inside a longer word (要求 in 并要求, 关注 in 关注公众号) is shown as the term,
/// so a reader sees which word filled the frame.
#[test]
fn evidence_names_the_term_inside_a_longer_word() {
    let draft = "严禁体罚学生并要求教师下载APP。";
    let review = engine().review(draft, parse_date("2026-03-02").unwrap());
    let words: Vec<&str> = review
        .findings
        .iter()
        .flat_map(|f| &f.evidence)
        .filter_map(|e| e.text.as_deref())
        .collect();
    assert!(words.contains(&"要求"), "evidence: {words:?}");
    assert!(!words.contains(&"并要求"), "evidence: {words:?}");
}

/// An array that never ends, on one line as a minified array is, is still read element by
/// element: the first thousand items come out of an endless input, so output can start at
/// once and memory stays bounded.
#[test]
fn an_endless_array_streams() {
    const ITEM: &[u8] = r#"{"id":"a","kind":"meeting","title":"会议","issuer":{"name":"县局","kind":"other_department","level":"county"}},"#.as_bytes();
    struct Endless(usize);
    impl std::io::Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let mut n = 0;
            for slot in buf.iter_mut() {
                *slot = ITEM[self.0 % ITEM.len()];
                self.0 += 1;
                n += 1;
            }
            Ok(n)
        }
    }
    let input = std::io::BufReader::new(std::io::Read::chain(&b" ["[..], Endless(0)));
    let records: Vec<_> = jianfu::ffi::ItemStream::new(input, "endless")
        .take(1_000)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(records.len(), 1_000);
    assert!(records.iter().all(|r| r.item.is_ok()));
    assert_eq!(records[999].index, 999);
    assert_eq!(records[999].line, Some(1));
}
