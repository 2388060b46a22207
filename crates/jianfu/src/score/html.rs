//! The monitoring report as one self-contained HTML file (no network needed to open it):
//! inline CSS and SVG charts, Chinese labels with English alongside.

use super::chart;
use super::index::Band;
use super::monitor::MonitorReport;
use crate::rules::Rung;

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; color: #1d2733; background: #f4f6f8; }
header { background: #1f5f99; color: #fff; padding: 20px 32px; }
header h1 { margin: 0 0 6px; font-size: 24px; }
header p { margin: 0; opacity: .9; }
main { padding: 20px 32px; max-width: 1200px; }
section { background: #fff; border: 1px solid #dde3ea; border-radius: 6px; padding: 16px 20px; margin-bottom: 18px; }
h2 { font-size: 18px; margin: 0 0 12px; }
h2 small { color: #5b6b7c; font-weight: normal; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; }
.card { flex: 1 1 180px; border: 1px solid #dde3ea; border-radius: 6px; padding: 10px 14px; }
.card b { font-size: 22px; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid #e6ebf0; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f0f3f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.provisional { border: 1px dashed #b26a00; background: #fff8e1; padding: 6px 10px; }
.band-green { color: #2e7d32; } .band-warning { color: #b26a00; } .band-interview { color: #c62828; } .band-accountability { color: #fff; background: #c62828; padding: 0 4px; border-radius: 3px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.charts svg { max-width: 100%; height: auto; }
footer { color: #5b6b7c; font-size: 12px; padding: 0 32px 24px; }
.table-wrap { overflow-x: auto; }
details { margin-top: 8px; }
summary { cursor: pointer; color: #0072b2; }
@media (max-width: 640px) {
  header, main, footer { padding-left: 12px; padding-right: 12px; }
  body { overflow-wrap: anywhere; }
  section { padding: 12px; overflow-x: auto; }
  table { font-size: 13px; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { background: #fff; }
  header { background: none; color: #000; padding: 0 0 8px; border-bottom: 2px solid #000; }
  main { padding: 0; max-width: none; }
  section { border: none; padding: 0; }
  section + section { break-before: page; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
}
"#;

/// A band as the report shows it: its class, Chinese label and code.
struct BandCell {
    class: &'static str,
    zh: &'static str,
    code: &'static str,
}

impl From<Band> for BandCell {
    fn from(b: Band) -> Self {
        let class = match b {
            Band::Green => "band-green",
            Band::Warning => "band-warning",
            Band::Interview => "band-interview",
            Band::Accountability => "band-accountability",
        };
        Self {
            class,
            zh: b.zh(),
            code: b.as_str(),
        }
    }
}

fn rung(r: Rung) -> String {
    format!("{} {}", r.zh(), r.as_str())
}

/// Rows a long table shows before the rest folds away (the report must print on a few pages).
const SHOWN_ROWS: usize = 20;

/// `rows` split into those shown and those folded into a collapsed `<details>` (which a
/// browser's find-in-page opens when it finds a match there).
fn folded<T>(mut rows: Vec<T>) -> (Vec<T>, Vec<T>) {
    let rest = rows.split_off(rows.len().min(SHOWN_ROWS));
    (rows, rest)
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:+.2}"))
}

/// The report's charts by id (`stratum`, `trend`, `kind`, `issuer`), as SVG: the HTML report
/// and the web page's dashboard show these same charts.
pub fn charts(report: &MonitorReport) -> Vec<(&'static str, String)> {
    let strata: Vec<(String, f64)> = report
        .strata
        .iter()
        .map(|s| (super::table::stratum_zh(&s.stratum), s.mean))
        .collect();
    let trend_labels: Vec<String> = report.trend.iter().map(|t| t.period.clone()).collect();
    let kinds: Vec<(String, f64)> = report
        .sources
        .by_kind
        .iter()
        .map(|(k, v)| (kind_zh(k), *v))
        .collect();
    let issuers: Vec<(String, f64)> = report
        .sources
        .by_issuer
        .iter()
        .map(|(k, v)| (issuer_zh(k), *v))
        .collect();
    // The band lines the index charts are read against.
    let [warning, interview, accountability] = report.scores.weights.bands;
    let band_lines = [
        (format!("{}线", Band::Warning.zh()), warning),
        (format!("{}线", Band::Interview.zh()), interview),
        (format!("{}线", Band::Accountability.zh()), accountability),
    ];
    let stratum = chart::bars(
        "各层样本点平均负担指数 Mean index by stratum",
        &strata,
        560,
        &band_lines,
    );
    let trend = chart::lines(
        "负担指数趋势 Trend across periods",
        &trend_labels,
        &[
            (
                "样本点 sample",
                report.trend.iter().map(|t| t.sample_mean).collect(),
            ),
            ("全市 city", report.trend.iter().map(|t| t.city).collect()),
        ],
        560,
    );
    let kind = chart::bars(
        "负担来源：事项类型（加权小时）Sources by kind (weighted hours)",
        &kinds,
        560,
        &[],
    );
    let issuer = chart::bars(
        "负担来源：发文单位类型（加权小时）Sources by issuer (weighted hours)",
        &issuers,
        560,
        &[],
    );
    vec![
        ("stratum", stratum),
        ("trend", trend),
        ("kind", kind),
        ("issuer", issuer),
    ]
}

/// The report's title when none is given (the CLI, Python and WASM share it).
/// It names no city: the same engine serves every jurisdiction, and a caller adds its own name
/// (`--title`, `title=`).
pub const DEFAULT_TITLE: &str = "中小学教师减负定点监测报告 Teacher burden monitoring report";

/// The report page: every value is text the template escapes; only the stylesheet and the
/// charts (SVG the core draws) go in as they are.
#[derive(askama::Template)]
#[template(path = "report.html", escape = "html")]
struct Page<'a> {
    title: &'a str,
    style: &'static str,
    period_id: &'a str,
    start: String,
    end: String,
    school_days: u32,
    ruleset_id: &'a str,
    ruleset_version: &'a str,
    calendar: &'a str,
    digest: &'a str,
    ladder_zh: &'static str,
    ladder_en: &'static str,
    per_year: u32,
    cadence_note: Option<&'a str>,
    provisional: bool,
    reported: String,
    registered: String,
    expected: String,
    sample_mean: String,
    city: String,
    on_ladder: usize,
    moves: usize,
    charts: Vec<String>,
    escalations: (Vec<EscalationRow<'a>>, Vec<EscalationRow<'a>>),
    schools: (Vec<SchoolRow<'a>>, Vec<SchoolRow<'a>>),
    strata: Vec<StratumRow>,
    empty_strata: String,
    silent: String,
    counties: Vec<CountyRow<'a>>,
}

struct EscalationRow<'a> {
    school_id: &'a str,
    name: &'a str,
    from: String,
    to: String,
    reasons: &'a [String],
}

/// A count against its cap, bold when over.
struct Capped {
    text: String,
    over: bool,
}

impl Capped {
    fn new(n: u32, cap: Option<f64>) -> Self {
        Self {
            text: format!("{n} / {}", cap.map_or("—".to_string(), |c| c.to_string())),
            over: cap.is_some_and(|c| f64::from(n) > c),
        }
    }
}

struct SchoolRow<'a> {
    sample_point: bool,
    school_id: &'a str,
    name: &'a str,
    county: &'a str,
    stratum: String,
    index: String,
    band: BandCell,
    change: String,
    campus_entries: Capped,
    comprehensive: Capped,
    unapproved_items: String,
    unapproved_events: u32,
    rung: String,
}

struct StratumRow {
    stratum: String,
    schools: u32,
    mean: String,
    median: String,
    p90: String,
    previous: String,
    change: String,
}

struct CountyRow<'a> {
    group: &'a str,
    schools: String,
    teachers: String,
    index: String,
    band: BandCell,
}

/// Renders the report: one self-contained HTML page, the same bytes for the same report.
pub fn render(report: &MonitorReport, title: &str) -> String {
    use askama::Template;
    let p = &report.period;
    let c = &report.coverage;
    let dashed = |items: &[String]| {
        if items.is_empty() {
            "—".to_string()
        } else {
            items.join("、")
        }
    };
    let page = Page {
        title,
        style: STYLE,
        period_id: &p.id,
        start: p.start.to_string(),
        end: p.end.to_string(),
        school_days: p.school_days,
        ruleset_id: &report.ruleset.id,
        ruleset_version: &report.ruleset.version,
        calendar: &report.calendar,
        digest: &report.ruleset.digest,
        ladder_zh: report.ladder.zh(),
        ladder_en: match report.ladder {
            super::LadderScope::AllSchools => "all schools",
            super::LadderScope::SamplePoints => "sample points",
        },
        per_year: report.cadence.per_year,
        cadence_note: report.cadence.note.as_deref(),
        provisional: p.provisional,
        reported: super::thousands(c.reported as f64, 0),
        registered: super::thousands(c.registered as f64, 0),
        expected: c.expected.map_or("—".to_string(), |e| e.to_string()),
        sample_mean: format!("{:.2}", report.trend.last().map_or(0.0, |t| t.sample_mean)),
        city: format!("{:.2}", report.trend.last().map_or(0.0, |t| t.city)),
        on_ladder: report
            .schools
            .iter()
            .filter(|s| s.rung != Rung::None)
            .count(),
        moves: report.escalations.len(),
        charts: charts(report).into_iter().map(|(_, svg)| svg).collect(),
        escalations: folded(
            report
                .escalations
                .iter()
                .map(|e| EscalationRow {
                    school_id: &e.school_id,
                    name: &e.name,
                    from: rung(e.from),
                    to: rung(e.to),
                    reasons: &e.reasons,
                })
                .collect(),
        ),
        schools: folded(
            report
                .schools
                .iter()
                .map(|s| SchoolRow {
                    sample_point: s.sample_point,
                    school_id: &s.school_id,
                    name: &s.name,
                    county: &s.county,
                    stratum: s.stratum.zh(),
                    index: format!("{:.2}", s.index),
                    band: s.band.into(),
                    change: opt(s.change),
                    campus_entries: Capped::new(s.campus_entries, s.campus_entry_cap),
                    comprehensive: Capped::new(s.comprehensive, s.comprehensive_cap),
                    unapproved_items: s.unapproved_items.join("、"),
                    unapproved_events: s.unapproved_events,
                    rung: rung(s.rung),
                })
                .collect(),
        ),
        strata: report
            .strata
            .iter()
            .map(|s| StratumRow {
                stratum: super::table::stratum_zh(&s.stratum),
                schools: s.schools,
                mean: format!("{:.2}", s.mean),
                median: format!("{:.2}", s.median),
                p90: format!("{:.2}", s.p90),
                previous: s
                    .previous_mean
                    .map_or("—".to_string(), |v| format!("{v:.2}")),
                change: opt(s.change),
            })
            .collect(),
        empty_strata: dashed(&c.empty_strata),
        silent: dashed(&c.silent),
        counties: report
            .counties
            .iter()
            .map(|g| CountyRow {
                group: &g.group,
                schools: super::thousands(g.schools as f64, 0),
                teachers: super::thousands(g.teachers as f64, 0),
                index: format!("{:.2}", g.index),
                band: g.band.into(),
            })
            .collect(),
    };
    // Rendering into a String fails only if a value's Display does, which none here does.
    page.render().unwrap_or_default()
}

/// A kind code's Chinese label, for chart axes.
fn kind_zh(code: &str) -> String {
    use crate::model::Term;
    crate::model::Kind::parse(code).map_or_else(|| code.to_string(), |k| k.zh().to_string())
}

/// An issuer-kind code's Chinese label; events without an issuer kind are 未注明.
fn issuer_zh(code: &str) -> String {
    use crate::model::Term;
    match crate::model::IssuerKind::parse(code) {
        Some(k) => k.zh().to_string(),
        None if code == "unknown" => "未注明".to_string(),
        None => code.to_string(),
    }
}
