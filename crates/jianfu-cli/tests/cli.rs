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
    // Evidence reads as the field's Chinese name and the words in context, not a path.
    assert!(out.contains("标题中的“"), "{out}");
    assert!(out.contains("【下载】"), "{out}");
    assert!(!out.contains("requirements.install_app"), "{out}");
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

/// The JSON review the command writes a part at a time, each part rendered on the thread
/// that found it, is the library's review of the whole draft, finding for finding.
#[test]
fn review_json_is_the_library_review_across_parts() {
    let one = std::fs::read_to_string(root().join("examples/drafts/draft-notice.txt")).unwrap();
    // Past two parts: two threads review a round of two parts, then one more.
    let draft = one.repeat(2 * jianfu::text::PART_BYTES / one.len() + 2);
    assert!(draft.len() > 2 * jianfu::text::PART_BYTES);
    let path = std::env::temp_dir().join(format!("jianfu-review-{}.txt", std::process::id()));
    std::fs::write(&path, &draft).unwrap();
    let o = jianfu(
        &[
            "review",
            path.to_str().unwrap(),
            "--as-of",
            "2026-03-02",
            "--format",
            "json",
            "--threads",
            "2",
        ],
        None,
    );
    let cli: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let engine = jianfu::Engine::embedded().unwrap();
    let as_of = jianfu::parse_date("2026-03-02").unwrap();
    let library = serde_json::to_value(engine.review(&draft, as_of)).unwrap();
    assert!(cli["findings"].as_array().unwrap().len() > 2 * 4096);
    assert_eq!(cli["findings"], library["findings"]);
    assert_eq!(cli["chars"], library["chars"]);
    assert_eq!(cli["decision"], library["decision"]);
    // The text, rendered by shares on two threads, reads as on one.
    let text = |threads: &str| {
        let args = [
            "review",
            path.to_str().unwrap(),
            "--as-of",
            "2026-03-02",
            "--threads",
            threads,
        ];
        stdout(&jianfu(&args, None))
    };
    let (one, two) = (text("1"), text("2"));
    std::fs::remove_file(&path).unwrap();
    assert!(one.matches("条款 Clause").count() > 2 * 4096);
    assert_eq!(one, two);
}

#[test]
fn many_drafts_are_each_reviewed_as_alone_and_an_unreadable_one_is_named() {
    let drafts = [
        "examples/drafts/county-notice.txt",
        "examples/drafts/draft-notice.txt",
    ];
    let review = |args: &[&str]| {
        let mut all = vec!["review", "--as-of", "2026-03-02"];
        all.extend_from_slice(args);
        jianfu(&all, None)
    };
    // JSON: one line a draft, in the order given, each the draft's own review with its name.
    let args = [drafts[1], drafts[0], drafts[1], "--format", "json"];
    let o = review(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for (line, path) in lines.iter().zip([drafts[1], drafts[0], drafts[1]]) {
        let mut alone: serde_json::Value =
            serde_json::from_str(&stdout(&review(&[path, "--format", "json"]))).unwrap();
        alone["source"] = path.into();
        assert_eq!(line, &alone, "{path}");
    }
    // Text: each draft's report under its name, the same on one thread as on two, a total last.
    let text = |threads: &str| stdout(&review(&[drafts[0], drafts[1], "--threads", threads]));
    let (one, two) = (text("1"), text("2"));
    assert_eq!(one, two);
    assert!(
        one.starts_with(&format!("== 文稿 Draft: {} ==", drafts[0])),
        "{one}"
    );
    let alone = stdout(&review(&[drafts[1]]));
    assert!(
        one.contains(&format!("== 文稿 Draft: {} ==\n{alone}", drafts[1])),
        "{one}"
    );
    assert!(
        one.ends_with(
            "共审核 2 份文稿，2 份有负担条款 / 2 drafts reviewed, 2 with burden clauses\n"
        ),
        "{one}"
    );
    // A file that cannot be read is an error in its place; the others are still reviewed.
    let o = review(&[
        drafts[0],
        "no-such-draft.txt",
        drafts[1],
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(3));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["source"], "no-such-draft.txt");
    assert_eq!(lines[1]["error"]["code"], "io");
    assert_eq!(lines[2]["source"], drafts[1]);
    let o = review(&[drafts[0], "no-such-draft.txt"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("no-such-draft.txt"), "{}", stderr(&o));
    assert!(stdout(&o).contains("共审核 1 份文稿"), "{}", stdout(&o));
    // A folder: its files in name order (not hidden files nor folders inside), even one.
    let dir = std::env::temp_dir().join(format!("jianfu-drafts-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("inner")).unwrap();
    // Made in an order that is neither the names' nor its reverse.
    for (name, from) in [
        ("b.txt", drafts[1]),
        ("a.txt", drafts[0]),
        ("c.txt", drafts[1]),
        (".hidden", drafts[0]),
    ] {
        std::fs::copy(root().join(from), dir.join(name)).unwrap();
    }
    let folder = stdout(&review(&[dir.to_str().unwrap(), "--format", "json"]));
    let sources: Vec<String> = folder
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["source"].to_string())
        .collect();
    let named = |name: &str| format!("{:?}", dir.join(name).display().to_string());
    assert_eq!(sources, [named("a.txt"), named("b.txt"), named("c.txt")]);
    std::fs::remove_file(dir.join("a.txt")).unwrap();
    std::fs::remove_file(dir.join("c.txt")).unwrap();
    let one = stdout(&review(&[dir.to_str().unwrap()]));
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(one.contains("共审核 1 份文稿"), "{one}");
    // --eval reads one corpus.
    let o = review(&[
        "tests/clauses/dev.jsonl",
        "tests/clauses/test.jsonl",
        "--eval",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--eval"), "{}", stderr(&o));
}

#[test]
fn review_eval_prints_precision_and_recall_per_rule() {
    let corpus = "{\"id\":\"x-001-01\",\"text\":\"请全体教师下载“平安校园”APP。\",\"expect\":[\"NAT2022-2\"]}\n\
                  {\"id\":\"x-001-02\",\"text\":\"严禁要求教师下载APP。\",\"expect\":[]}\n\
                  {\"id\":\"x-001-03\",\"text\":\"周六全体教师参加消防培训。\",\"expect\":[\"NAT2025-T\", \"HEN-16\"]}\n";
    let dir = std::env::temp_dir().join(format!("jianfu-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("clauses.jsonl");
    std::fs::write(&path, corpus).unwrap();
    let path = path.to_str().unwrap();

    let out = jianfu(
        &[
            "review",
            path,
            "--format",
            "json",
            "--eval",
            "--as-of",
            "2026-03-02",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["clauses"], 3);
    assert_eq!(report["false_flags"], 0);
    assert_eq!(
        report["total"],
        serde_json::json!({"tp": 2, "fp": 0, "fn": 1})
    );
    assert_eq!(report["per_rule"]["HEN-16"]["fn"], 1);
    assert_eq!(report["misses"][0]["id"], "x-001-03");

    let out = jianfu(
        &[
            "review",
            path,
            "--eval",
            "--misses",
            "--as-of",
            "2026-03-02",
        ],
        None,
    );
    let text = stdout(&out);
    assert!(text.contains("合计 total"), "{text}");
    assert!(text.contains("66.7%"), "{text}"); // recall 2 of 3
    assert!(text.contains("✗ x-001-03"), "{text}");

    std::fs::write(dir.join("bad.jsonl"), "not json\n").unwrap();
    let out = jianfu(
        &["review", dir.join("bad.jsonl").to_str().unwrap(), "--eval"],
        None,
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("line 1"), "{}", stderr(&out));
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
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown rule id is a bad argument"
    );
    assert!(stderr(&o).contains("rule.unknown"));
    let o = jianfu(&["rules", "lint"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = jianfu(&["rules", "lint", "--ruleset", "tests/rulesets/lint"], None);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_bad_ruleset_exits_4_with_its_location() {
    let o = jianfu(
        &[
            "rules",
            "list",
            "--ruleset",
            "tests/rulesets/bad/dangling-document.toml",
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
    assert_eq!(o.status.code(), Some(2), "a bad --as-of is a bad argument");
    assert!(stderr(&o).contains("2026-13-01"));
}

#[test]
fn demo_data_score_and_report_end_to_end() {
    let dir = std::env::temp_dir().join(format!("jianfu-cli-demo-{}", std::process::id()));
    let d = dir.to_str().unwrap();
    let o = jianfu(
        &["demo-data", "--seed", "3", "--schools", "60", "--out", d],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("60 所学校"));
    let events = dir.join("events.csv");
    let schools = dir.join("schools.csv");
    let (e, s) = (events.to_str().unwrap(), schools.to_str().unwrap());

    // Same seed, same bytes.
    let again = std::env::temp_dir().join(format!("jianfu-cli-demo2-{}", std::process::id()));
    jianfu(
        &[
            "demo-data",
            "--seed",
            "3",
            "--schools",
            "60",
            "--out",
            again.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(
        std::fs::read(&events).unwrap(),
        std::fs::read(again.join("events.csv")).unwrap()
    );

    let o = jianfu(
        &[
            "score",
            "--events",
            e,
            "--schools",
            s,
            "--period",
            "2026-spring-1",
            "--format",
            "csv",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = stdout(&o);
    assert_eq!(csv.lines().count(), 61, "a header and one row per school");
    assert!(csv.starts_with("period,school_id,name,county,stratum"));

    let report = [
        "report",
        "--events",
        e,
        "--schools",
        s,
        "--period",
        "2026-spring-2",
        "--out",
        d,
    ];
    let o = jianfu(&report, None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(dir.join("report-2026-spring-2.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("预警阶梯"));
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "self-contained: nothing loaded from the network"
    );
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("report-2026-spring-2.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["period"]["id"], "2026-spring-2");
    // Run again: the written report is not replaced unasked, and --force replaces it.
    let o = jianfu(&report, None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("report-2026-spring-2.json") && stderr(&o).contains("--force"));
    let o = jianfu(&[&report[..], &["--force"]].concat(), None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(json["coverage"]["registered"].as_u64().unwrap() > 0);

    let o = jianfu(
        &[
            "score",
            "--events",
            e,
            "--schools",
            s,
            "--period",
            "2031-spring-1",
        ],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown --period is a bad argument"
    );
    assert!(stderr(&o).contains("period.unknown"));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&again);
}

/// Columns that do not match refuse the table: exit 4 with `table.schema` naming every
/// missing and unexpected column, and no report scored as if the table were empty.
#[test]
fn score_refuses_a_table_whose_columns_do_not_match() {
    let dir = one_school_tables(
        "schema",
        "school_id,date,kind,hour,colour\nS1,2026-03-03,meeting,1,red\n",
    );
    let o = jianfu(
        &[
            "score",
            "--events",
            dir.join("events.csv").to_str().unwrap(),
            "--schools",
            dir.join("schools.csv").to_str().unwrap(),
            "--period",
            "2026-spring-1",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(4));
    let err = stderr(&o);
    assert!(
        err.contains("table.schema")
            && err.contains("`hours`")
            && err.contains("`hour`, `colour`")
            && err.contains("events.csv"),
        "{err}"
    );
    assert!(stdout(&o).is_empty(), "no report for a refused table");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A temporary folder with a one-school `schools.csv` and the given `events.csv`.
fn one_school_tables(tag: &str, events: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("jianfu-cli-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("schools.csv"), "school_id,name,county,urban_rural,stage,ownership,teachers,sample_point\nS1,一小,湖滨区,urban,primary,public,10,true\n").unwrap();
    std::fs::write(dir.join("events.csv"), events).unwrap();
    dir
}

#[test]
fn completions_and_man_page_come_from_the_command_definition() {
    let o = jianfu(&["completions", "bash"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let script = stdout(&o);
    assert!(
        script.contains("_jianfu()") && script.contains("demo-data") && script.contains("--as-of")
    );
    let o = jianfu(&["man"], None);
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(
        page.starts_with(".ie") || page.contains(".TH jianfu"),
        "{}",
        &page[..200.min(page.len())]
    );
    assert!(page.contains("completions"));
    let o = jianfu(&["completions", "tcsh"], None);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown shell is a bad argument"
    );
}

/// `jianfu score --format json` of one events and one schools file, period 2026-spring-1.
fn score_json(events: &str, schools: &str) -> Output {
    let args = [
        "score",
        "--format",
        "json",
        "--period",
        "2026-spring-1",
        "--events",
        events,
        "--schools",
        schools,
    ];
    jianfu(&args, None)
}

#[test]
fn gbk_utf16_and_chinese_headed_tables_read_as_their_utf8_text() {
    let schools = "school_id,name,county,urban_rural,stage,ownership,teachers,sample_point\nS1,一小,湖滨区,urban,primary,public,10,true\n";
    let events = "school_id,date,kind,hours\nS1,2026-03-03,meeting,1\nS1,2026-03-04,meeting,2\n";
    // The same tables as a clerk's sheet: Chinese headers and values.
    let schools_zh = "学校编号,学校名称,县区,城乡,学段,办学性质,教师数,是否样本点\nS1,一小,湖滨区,城镇,小学,公办,10,是\n";
    let events_zh =
        "学校编号,日期,事项类型,时长（小时）\nS1,2026-03-03,会议,1\nS1,2026-03-04,会议,2\n";
    let dir = one_school_tables("utf8", events);
    std::fs::write(dir.join("schools.csv"), schools).unwrap();
    let score = |dir: &std::path::Path| {
        let (events, schools) = (dir.join("events.csv"), dir.join("schools.csv"));
        score_json(events.to_str().unwrap(), schools.to_str().unwrap())
    };
    let utf8 = score(&dir);
    assert_eq!(utf8.status.code(), Some(0), "{}", stderr(&utf8));
    let gbk = |text: &str| encoding_rs::GBK.encode(text).0.into_owned();
    let utf16 = |text: &str| {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    let bom = |text: &str| [b"\xEF\xBB\xBF", text.as_bytes()].concat();
    type Encode<'a> = &'a dyn Fn(&str) -> Vec<u8>;
    for (tag, encode) in [
        ("gbk", &gbk as Encode<'_>),
        ("utf16", &utf16),
        ("bom", &bom),
    ] {
        let other = one_school_tables(tag, "");
        std::fs::write(other.join("schools.csv"), encode(schools_zh)).unwrap();
        std::fs::write(other.join("events.csv"), encode(events_zh)).unwrap();
        let o = score(&other);
        assert_eq!(o.status.code(), Some(0), "{tag}: {}", stderr(&o));
        assert_eq!(stdout(&o), stdout(&utf8), "{tag}");
        let _ = std::fs::remove_dir_all(&other);
    }
    // A GBK draft is reviewed as its text; bytes that are neither UTF-8 nor GBK are an error
    // that names the line.
    let draft = dir.join("draft.txt");
    std::fs::write(
        &draft,
        gbk("一、请各校组织全体教师下载安装“某某”APP并每日打卡。\n"),
    )
    .unwrap();
    let o = jianfu(
        &["review", draft.to_str().unwrap(), "--as-of", "2026-03-02"],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("NAT2022-2"), "{}", stdout(&o));
    let mut bad = gbk("第一行\n");
    bad.extend_from_slice(&[0xFF, 0xFF, b'\n']);
    std::fs::write(&draft, bad).unwrap();
    let o = jianfu(
        &["review", draft.to_str().unwrap(), "--as-of", "2026-03-02"],
        None,
    );
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("line 2"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn item_sheets_in_csv_and_excel_read_as_their_json_items() {
    let check = |file: &str| {
        jianfu(
            &["check", file, "--as-of", "2026-03-02", "--format", "json"],
            None,
        )
    };
    let csv = check("examples/items/item-table.csv");
    let xlsx = check("examples/items/item-table.xlsx");
    assert_eq!(csv.status.code(), Some(1), "{}", stderr(&csv));
    assert_eq!(stdout(&csv), stdout(&xlsx), "the workbook reads as the CSV");
    // Progress is drawn only at a terminal: a pipe's stderr stays empty.
    assert_eq!(stderr(&csv), "");
    let verdicts: Vec<serde_json::Value> = stdout(&csv)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(verdicts.len(), 3);
    // Row 1 is the example campus entry: its verdict is the JSON item's, but for the id.
    let json = check("examples/items/anti-fraud-campus-entry.json");
    let mut from_json: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    from_json["item"] = verdicts[0]["item"].clone();
    assert_eq!(verdicts[0], from_json);
    assert_eq!(verdicts[1]["decision"], "prohibited");
    // A bad cell names its row and column; a header that is no field refuses the sheet.
    let dir = one_school_tables("sheet", "");
    let bad = dir.join("items.csv");
    std::fs::write(&bad, "标题,事项类型,发文单位,发文单位类型,发文层级,开始日期\n一,会议,某局,政府,县级,2026-02-30\n").unwrap();
    let o = check(bad.to_str().unwrap());
    assert_eq!(o.status.code(), Some(3));
    let err: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let location = &err["error"]["location"];
    assert_eq!(
        (location["line"].as_u64(), location["column"].as_u64()),
        (Some(2), Some(6))
    );
    assert_eq!(location["field"], "开始日期");
    std::fs::write(&bad, "标题,备注栏\n一,二\n").unwrap();
    let o = check(bad.to_str().unwrap());
    assert_eq!(o.status.code(), Some(4), "an unreadable input");
    assert!(stderr(&o).contains("table.schema") && stderr(&o).contains("备注栏"));
    // A schools workbook with Chinese headers and values scores as its CSV.
    let score = |schools: &str| {
        stdout(&score_json(
            "bindings/wasm/tests/fixtures/events.csv",
            schools,
        ))
    };
    assert_eq!(
        score("bindings/wasm/tests/fixtures/schools.xlsx"),
        score("bindings/wasm/tests/fixtures/schools.csv")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn score_reports_bad_rows_and_exits_3() {
    let dir = one_school_tables(
        "bad",
        "school_id,date,kind,hours\nS1,2026-03-03,meeting,1\nS1,2026-03-04,meeting,abc\n",
    );
    let events = dir.join("events.csv");
    let schools = dir.join("schools.csv");
    let tables = |command: &'static str, extra: &[&str]| {
        let mut args = vec![
            command,
            "--events",
            events.to_str().unwrap(),
            "--schools",
            schools.to_str().unwrap(),
            "--period",
            "2026-spring-1",
        ];
        args.extend_from_slice(extra);
        jianfu(&args, None)
    };
    let o = tables("score", &["--format", "json"]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains("line 3") && err.contains("hours") && err.contains("row.invalid"),
        "{err}"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["events"], 1, "the good row is still scored");
    // A ladder scope the core does not know is a bad argument.
    let o = tables(
        "report",
        &["--ladder", "some_schools", "--out", dir.to_str().unwrap()],
    );
    refused(&o, "argument.invalid", "sample_points");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_jurisdiction_picks_its_layers_and_an_unknown_one_is_named() {
    // The README's example: 渑池's own rule (MC2025-2) is there only with its layer.
    let args = |j: Option<&'static str>| {
        let mut a: Vec<&'static str> = vec![
            "check",
            "examples/items/mianchi-law-education.json",
            "--register",
            "examples/registers/mianchi-whitelist.json",
            "--as-of",
            "2025-05-25",
        ];
        if let Some(j) = j {
            a.extend(["--jurisdiction", j]);
        }
        a
    };
    let o = jianfu(&args(Some("mianchi")), None);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("[禁止] MC2025-2"), "{out}");
    assert!(out.contains("白名单限 1 所"), "{out}");
    assert!(out.contains("national/henan/sanmenxia/mianchi"), "{out}");

    let o = jianfu(&args(None), None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "without the county layer: strict review only"
    );
    assert!(!stdout(&o).contains("MC2025-2"));

    let o = jianfu(&["rules", "list", "--jurisdiction", "nowhere"], None);
    refused(&o, "jurisdiction.unknown", "mianchi");
}

/// A bad argument: exit 2, the error's code and a word of its message on stderr.
fn refused(o: &Output, code: &str, word: &str) {
    assert_eq!(o.status.code(), Some(2), "a bad argument");
    let err = stderr(o);
    assert!(err.contains(code) && err.contains(word), "{err}");
}

#[test]
fn demo_data_refuses_a_city_over_the_limit_before_any_work() {
    for schools in ["0", "4294967296", "18446744073709551615"] {
        let o = jianfu(
            &["demo-data", "--schools", schools, "--out", "target/never"],
            None,
        );
        refused(&o, "argument.invalid", "demo_schools_max");
    }
}

/// `jianfu check FILE --format json` as of 2026-03-02.
fn check_json(path: &std::path::Path) -> Output {
    jianfu(
        &[
            "check",
            path.to_str().unwrap(),
            "--as-of",
            "2026-03-02",
            "--format",
            "json",
        ],
        None,
    )
}

/// Of three records `a`, bad, `c`: exit 3, `a` and `c` checked, the middle one an error whose
/// JSON holds each of `words`.
fn middle_record_fails(path: &std::path::Path, words: &[&str]) {
    let o = check_json(path);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let lines: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].contains(r#""item":"a""#) && lines[2].contains(r#""item":"c""#));
    for word in words {
        assert!(lines[1].contains(word), "{word} not in {}", lines[1]);
    }
}

#[test]
fn a_bad_line_in_json_lines_costs_only_that_line() {
    let item = |id: &str, title: &str| {
        format!(
            r#"{{"id":"{id}","kind":"meeting","title":"{title}","issuer":{{"name":"n","kind":"education","level":"city"}}}}"#
        )
    };
    let dir = root().join("target/cli-test-jsonl");
    std::fs::create_dir_all(&dir).unwrap();
    // Line 2 is not UTF-8: an error for line 2; lines 1 and 3 are checked.
    let mut bytes = format!("{}\n", item("a", "t")).into_bytes();
    bytes.extend(br#"{"id":"b","kind":"meeting","title":""#);
    bytes.extend([0xff, 0xfe]);
    bytes.extend(br#"","issuer":{"name":"n","kind":"education","level":"city"}}"#);
    bytes.extend(format!("\n{}\n", item("c", "t")).as_bytes());
    let path = dir.join("bad-utf8.jsonl");
    std::fs::write(&path, &bytes).unwrap();
    middle_record_fails(&path, &["not valid UTF-8", r#""line":2"#]);

    // A byte-order mark is ignored; a pretty-printed object with a trailing comma is one error.
    let path = dir.join("bom.jsonl");
    std::fs::write(&path, format!("\u{feff}{}\n", item("a", "t"))).unwrap();
    let o = check_json(&path);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let path = dir.join("trailing-comma.json");
    std::fs::write(&path, "{\n  \"id\": \"a\",\n  \"kind\": \"meeting\",\n}\n").unwrap();
    let o = check_json(&path);
    assert_eq!(o.status.code(), Some(3));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "one error, not one per line: {out}");
    assert!(out.contains("trailing comma"), "{out}");
}

#[test]
fn a_bad_element_in_a_json_array_costs_only_that_element() {
    let dir = root().join("target/cli-test-jsonl");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("array.json");
    let good = |id: &str| {
        format!(
            r#"{{"id":"{id}","kind":"meeting","title":"t, [x]","issuer":{{"name":"n","kind":"education","level":"city"}}}}"#
        )
    };
    let text = format!(
        "[\n {},\n {{\"id\":\"b\",\"title\":\"t\" \"kind\":1}},\n {}\n]\n",
        good("a"),
        good("c")
    );
    std::fs::write(&path, text).unwrap();
    middle_record_fails(&path, &[r#""line":3"#, r#""field":"[1]""#]);
}

#[test]
fn partials_of_two_shares_merge_into_the_report_of_all_the_events() {
    let dir = std::env::temp_dir().join(format!("jianfu-cli-partials-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let at = |name: &str| dir.join(name).display().to_string();
    let o = jianfu(&["demo-data", "--schools", "40", "--out", &at("")], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Two shares of the events: rows of schools up to SMX-0020, and the rest.
    let events = std::fs::read_to_string(at("events.csv")).unwrap();
    let mut lines = events.lines();
    let header = lines.next().unwrap();
    let (mut a, mut b) = (vec![header], vec![header]);
    for line in lines {
        if line < "SMX-0021" {
            a.push(line)
        } else {
            b.push(line)
        }
    }
    std::fs::write(at("a.csv"), a.join("\n") + "\n").unwrap();
    std::fs::write(at("b.csv"), b.join("\n") + "\n").unwrap();
    let schools = at("schools.csv");
    let period = ["--period", "2026-spring-1"];
    for share in ["a", "b"] {
        let events = at(&format!("{share}.csv"));
        let out = at(&format!("{share}.json"));
        let args = [
            "score",
            "--events",
            &events,
            "--schools",
            &schools,
            "--partial",
            "--output",
            &out,
        ];
        let o = jianfu(&[&args[..], &period[..]].concat(), None);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let (a, b, all) = (at("a.json"), at("b.json"), at("events.csv"));
    let merged = jianfu(&["merge", &b, &a, "--format", "json"], None);
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    for threads in ["1", "2"] {
        let args = [
            "score",
            "--threads",
            threads,
            "--format",
            "json",
            "--events",
            &all,
            "--schools",
            &schools,
        ];
        let single = jianfu(&[&args[..], &period[..]].concat(), None);
        assert_eq!(stdout(&single), stdout(&merged), "{threads} threads");
    }
    // A file that is not a partial, and partials of another period.
    std::fs::write(at("bad.json"), "{}").unwrap();
    let o = jianfu(&["merge", &a, &at("bad.json")], None);
    assert_eq!(o.status.code(), Some(4));
    assert!(
        stderr(&o).contains("partial.invalid") && stderr(&o).contains("bad.json"),
        "{}",
        stderr(&o)
    );
    let other = at("other.json");
    let args = [
        "score",
        "--events",
        &all,
        "--schools",
        &schools,
        "--period",
        "2026-spring-2",
        "--partial",
        "--output",
        &other,
    ];
    assert_eq!(jianfu(&args, None).status.code(), Some(0));
    let o = jianfu(&["merge", &a, &other], None);
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("2026-spring-2"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn each_subcommand_has_only_its_own_flags() {
    // `demo-data` writes CSV files: no ruleset, no --format; `merge` needs no rules.
    for (args, flag) in [
        (&["demo-data", "--format", "json"][..], "--format"),
        (&["demo-data", "--ruleset", "x"][..], "--ruleset"),
        (
            &["merge", "a.json", "--jurisdiction", "mianchi"][..],
            "--jurisdiction",
        ),
        (&["rules", "list", "--threads", "2"][..], "--threads"),
    ] {
        let o = jianfu(args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains(&format!("unexpected argument '{flag}'")),
            "{}",
            stderr(&o)
        );
    }
    // A format a command cannot write is refused by name, with the ones it can.
    let o = jianfu(
        &["check", "examples/items/batch.jsonl", "--format", "csv"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("[possible values: text, json]"),
        "{}",
        stderr(&o)
    );
    let help = stdout(&jianfu(&["demo-data", "--help"], None));
    for absent in ["--format", "--ruleset", "--jurisdiction", "--threads"] {
        assert!(!help.contains(absent), "demo-data --help lists {absent}");
    }
    // The rules' flags also follow the rules subcommands.
    let o = jianfu(
        &[
            "rules",
            "list",
            "--format",
            "json",
            "--jurisdiction",
            "mianchi",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("MC2025-2"));
}

#[test]
fn schemas_are_printed_from_the_types_and_kept_in_the_repository() {
    for name in ["item", "verdict", "review", "plan", "score"] {
        let o = jianfu(&["schema", name], None);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let committed =
            std::fs::read_to_string(root().join(format!("schemas/{name}.schema.json"))).unwrap();
        assert_eq!(
            stdout(&o),
            committed,
            "schemas/{name}.schema.json is stale: run `jianfu schema {name} > schemas/{name}.schema.json`"
        );
    }
    // Every JSON output names its format version.
    let o = jianfu(
        &[
            "check",
            "examples/items/anti-fraud-campus-entry.json",
            "--as-of",
            "2026-03-02",
            "--format",
            "json",
        ],
        None,
    );
    let verdict: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(verdict["format_version"], 1);
    let o = jianfu(&["schema", "pupil"], None);
    assert_eq!(o.status.code(), Some(2));
}
