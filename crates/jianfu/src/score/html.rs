//! The monitoring report as one self-contained HTML file (no network needed to open it):
//! inline CSS and SVG charts, Chinese labels with English alongside.

use std::fmt::Write;

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

fn band(b: Band) -> String {
    let class = match b {
        Band::Green => "band-green",
        Band::Warning => "band-warning",
        Band::Interview => "band-interview",
        Band::Accountability => "band-accountability",
    };
    let name = serde_json::to_value(b)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    format!("<span class=\"{class}\">{} {name}</span>", b.zh())
}

fn rung(r: Rung) -> String {
    format!(
        "{} {}",
        r.zh(),
        serde_json::to_value(r)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    )
}

/// Rows a long table shows before the rest folds away (the report must print on a few pages).
const SHOWN_ROWS: usize = 20;

/// A table of `rows` under `head`: the first [`SHOWN_ROWS`] shown, the rest in a collapsed
/// `<details>` (which a browser's find-in-page opens when it finds a match there).
fn folded_table(h: &mut String, head: &str, rows: &[String], (zh, en): (&str, &str)) {
    let (shown, rest) = rows.split_at(rows.len().min(SHOWN_ROWS));
    let _ = write!(
        h,
        "<div class=\"table-wrap\"><table>{head}{}</table></div>",
        shown.concat()
    );
    if !rest.is_empty() {
        let _ = write!(
            h,
            "<details><summary>其余 {n} {zh}（展开；可用 Ctrl+F 查找）/ {n} more {en}</summary><div class=\"table-wrap\"><table>{head}{}</table></div></details>",
            rest.concat(),
            n = rest.len()
        );
    }
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
pub const DEFAULT_TITLE: &str =
    "三门峡市中小学教师减负定点监测报告 Sanmenxia teacher burden monitoring report";

/// Renders the report.
pub fn render(report: &MonitorReport, title: &str) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title><style>{STYLE}</style></head><body>",
        t = escape(title)
    );
    let p = &report.period;
    let _ = write!(
        h,
        "<header><h1>{}</h1><p>监测期 Period {} （{} 至 {}，{} 个教学日 school days）· 规则集 Ruleset {} {} · 校历 Calendar {}</p></header><main>",
        escape(title),
        escape(&p.id),
        p.start,
        p.end,
        p.school_days,
        escape(&report.ruleset.id),
        escape(&report.ruleset.version),
        escape(&report.calendar)
    );
    let _ = write!(
        h,
        "<p class=\"cite\">预警阶梯范围 Ladder over: {} ({}) · 本报告每学年 {} 次 ({} counts a school year){}</p>",
        report.ladder.zh(),
        match report.ladder {
            super::LadderScope::AllSchools => "all schools",
            super::LadderScope::SamplePoints => "sample points",
        },
        report.cadence.per_year,
        report.cadence.per_year,
        report
            .cadence
            .note
            .as_deref()
            .map(|n| format!(" · {}", escape(n)))
            .unwrap_or_default()
    );
    if p.provisional {
        h.push_str("<p class=\"provisional\"><strong>校历暂定 Provisional calendar:</strong> 本期校历数据按国家节假日规律推定，官方通知发布后以通知为准，指数可能变化。 This period's calendar follows the national holiday pattern; the official notice, once out, prevails and the indexes may change.</p>");
    }

    // Summary cards.
    let c = &report.coverage;
    let sample_mean = report.trend.last().map_or(0.0, |t| t.sample_mean);
    let city = report.trend.last().map_or(0.0, |t| t.city);
    let on_ladder = report
        .schools
        .iter()
        .filter(|s| s.rung != Rung::None)
        .count();
    let _ = write!(
        h,
        "<section><h2>概览 <small>Summary</small></h2><div class=\"cards\">\
<div class=\"card\">样本点上报 Sample points reporting<b>{}/{}</b>应设 expected {}</div>\
<div class=\"card\">样本点平均负担指数 Sample mean index<b>{:.2}</b>加权小时/人/周 weighted h per teacher-week</div>\
<div class=\"card\">全市负担指数 City index<b>{:.2}</b></div>\
<div class=\"card\">预警阶梯上的学校 Schools on the ladder<b>{}</b>本期变动 moves this period {}</div></div></section>",
        super::thousands(c.reported as f64, 0),
        super::thousands(c.registered as f64, 0),
        c.expected.map_or("—".to_string(), |e| e.to_string()),
        sample_mean,
        city,
        on_ladder,
        report.escalations.len()
    );

    // Charts.
    let _ = write!(
        h,
        "<section><h2>图表 <small>Charts</small></h2><div class=\"charts\">"
    );
    for (_, svg) in charts(report) {
        h.push_str(&svg);
    }
    h.push_str("</div></section>");

    // Escalation list.
    let _ = write!(
        h,
        "<section><h2>预警阶梯 <small>Escalation ladder (预警提醒 → 督导约谈 → 通报问责)</small></h2>"
    );
    if report.escalations.is_empty() {
        h.push_str("<p>本期无变动。No moves this period.</p>");
    } else {
        let mut rows = Vec::with_capacity(report.escalations.len());
        for e in &report.escalations {
            rows.push(format!(
                "<tr><td>{} {}</td><td>{}</td><td><b>{}</b></td><td>{}</td></tr>",
                escape(&e.school_id),
                escape(&e.name),
                rung(e.from),
                rung(e.to),
                e.reasons
                    .iter()
                    .map(|r| escape(r))
                    .collect::<Vec<_>>()
                    .join("<br>")
            ));
        }
        let head =
            "<tr><th>学校 School</th><th>原 From</th><th>现 To</th><th>原因 Reasons</th></tr>";
        folded_table(&mut h, head, &rows, ("条变动", "moves"));
    }
    h.push_str("</section>");

    // Schools needing attention.
    h.push_str(
        "<section><h2>学校明细 <small>Schools: caps, unapproved events, ladder</small></h2>",
    );
    let mut rows = Vec::with_capacity(report.schools.len());
    for s in &report.schools {
        let over = |n: u32, cap: Option<f64>| {
            let text = format!("{n} / {}", cap.map_or("—".to_string(), |c| c.to_string()));
            if cap.is_some_and(|c| f64::from(n) > c) {
                format!("<b class=\"band-interview\">{text}</b>")
            } else {
                text
            }
        };
        rows.push(format!(
            "<tr><td>{}{} {}</td><td>{}</td><td>{}</td><td class=\"num\">{:.2}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num\" title=\"{}\">{}</td><td>{}</td></tr>",
            if s.sample_point { "★ " } else { "" },
            escape(&s.school_id),
            escape(&s.name),
            escape(&s.county),
            s.stratum.zh(),
            s.index,
            band(s.band),
            opt(s.change),
            over(s.campus_entries, s.campus_entry_cap),
            over(s.comprehensive, s.comprehensive_cap),
            escape(&s.unapproved_items.join("、")),
            s.unapproved_events,
            rung(s.rung)
        ));
    }
    let head = "<tr><th>学校 School</th><th>县区 County</th><th>层 Stratum</th><th>指数 Index</th><th>分级 Band</th><th>环比 Change</th><th>进校园 Campus entries</th><th>综合督导 Supervisions</th><th>未审批 Unapproved</th><th>阶梯 Rung</th></tr>";
    folded_table(&mut h, head, &rows, ("所学校", "schools"));
    h.push_str("<p>★ 样本点 sample point</p></section>");

    // Strata and coverage.
    h.push_str("<section><h2>分层统计 <small>Per-stratum statistics (sample points)</small></h2><table><tr><th>层 Stratum</th><th>样本点 Schools</th><th>均值 Mean</th><th>中位数 Median</th><th>P90</th><th>上期 Previous</th><th>变化 Change</th></tr>");
    for s in &report.strata {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&super::table::stratum_zh(&s.stratum)),
            s.schools,
            s.mean,
            s.median,
            s.p90,
            s.previous_mean
                .map_or("—".to_string(), |v| format!("{v:.2}")),
            opt(s.change)
        );
    }
    h.push_str("</table>");
    let _ = write!(
        h,
        "<p>无样本点的层 Strata without a sample point: {}</p><p>本期未上报的样本点 Sample points without events: {}</p></section>",
        if c.empty_strata.is_empty() {
            "—".to_string()
        } else {
            escape(&c.empty_strata.join("、"))
        },
        if c.silent.is_empty() {
            "—".to_string()
        } else {
            escape(&c.silent.join("、"))
        }
    );

    // Counties.
    h.push_str("<section><h2>县区 <small>Counties</small></h2><table><tr><th>县区 County</th><th>学校 Schools</th><th>教师 Teachers</th><th>指数 Index</th><th>分级 Band</th></tr>");
    for g in &report.counties {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td><td>{}</td></tr>",
            escape(&g.group),
            super::thousands(g.schools as f64, 0),
            super::thousands(g.teachers as f64, 0),
            g.index,
            band(g.band)
        );
    }
    h.push_str("</table></section></main>");
    let _ = write!(
        h,
        "<footer>负担指数 = Σ(权重 × 小时 × 乘数) ÷ (教师数 × 教学周)；权重与分级线为规则集中的带日期参数（文件 JF-BI）。Burden index = Σ(weight × hours × multiplier) ÷ (teachers × school weeks); weights and band lines are dated ruleset parameters. Ruleset digest {}.</footer></body></html>",
        escape(&report.ruleset.digest)
    );
    h
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
