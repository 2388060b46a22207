//! Human-readable output: Chinese first, English alongside.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::Write;

use jianfu::model::{Evidence, Finding, Item, Term, Text};
use jianfu::rules::{LintFinding, Rule, Ruleset};
use jianfu::{AnnualPlan, Error, PlanReport, Review, ReviewFinding, Verdict};

use crate::stdout_error as io;

type Out<'a> = &'a mut dyn Write;

macro_rules! w {
    ($out:expr, $($arg:tt)*) => { writeln!($out, $($arg)*).map_err(io)? };
}

/// One verdict.
pub fn verdict(out: Out<'_>, item: &Item, verdict: &Verdict<'_>) -> Result<(), Error> {
    w!(out, "事项 Item {}  {}", verdict.item, item.title);
    w!(
        out,
        "  结论 Decision: {} {}",
        verdict.decision.zh(),
        verdict.decision.as_str()
    );
    match verdict.next_step {
        Some(step) => w!(out, "  下一步 Next step: {} {}", step.zh(), step.as_str()),
        None => w!(out, "  下一步 Next step: —"),
    }
    if !verdict.missing.is_empty() {
        let zh: Vec<&str> = verdict.missing.iter().map(|m| m.zh()).collect();
        let codes: Vec<&str> = verdict.missing.iter().map(|m| m.as_str()).collect();
        w!(
            out,
            "  缺少材料 Missing: {} ({})",
            zh.join("、"),
            codes.join(", ")
        );
    }
    for finding in &verdict.findings {
        self::finding(out, finding, Some(item))?;
    }
    w!(
        out,
        "  （核查日期 as of {}，规则集 ruleset {} {}）",
        verdict.as_of,
        verdict.ruleset.id,
        verdict.ruleset.version
    );
    w!(out, "");
    Ok(())
}

fn finding(out: Out<'_>, f: &Finding<'_>, item: Option<&Item>) -> Result<(), Error> {
    if f.advisory {
        // Advisory: a person decides; the verdict's decision does not count it.
        w!(out, "  [提示 advisory] {}  {}", f.rule, f.message.zh);
    } else {
        w!(out, "  [{}] {}  {}", f.decision.zh(), f.rule, f.message.zh);
    }
    w!(out, "      {}", f.message.en);
    w!(
        out,
        "      依据 Source: 《{}》{}",
        f.citation.title,
        f.citation.article
    );
    let v = &f.version;
    w!(
        out,
        "      版本 Version: {} 起施行，按{} {} 适用 (in force from {}, applied as of the {} day {})",
        v.from,
        v.governs.zh(),
        v.on,
        v.from,
        v.governs.as_str(),
        v.on
    );
    for e in &f.evidence {
        w!(out, "      证据 Evidence: {}", e.describe_zh(item));
    }
    if !f.related.is_empty() {
        w!(out, "      相关事项 Related: {}", f.related.join(", "));
    }
    w!(out, "      建议 Remedy: {} / {}", f.remedy.zh, f.remedy.en);
    Ok(())
}

/// Reviews a draft as it is read and writes its findings as their parts are done: each
/// part's findings rendered by `render` on the thread that found them
/// ([`jianfu::Engine::review_reader_map`]), the parts' bytes written in draft order with
/// `between` between them.
pub fn review_parts<'e>(
    out: Out<'_>,
    engine: &'e jianfu::Engine,
    reader: impl std::io::BufRead,
    source: &str,
    as_of: chrono::NaiveDate,
    between: &[u8],
    render: impl Fn(&[ReviewFinding<'e>]) -> Result<Vec<u8>, Error> + Sync + Send,
) -> Result<Review<'e>, Error> {
    let mut first = true;
    engine.review_reader_map(
        reader,
        source,
        as_of,
        |findings| render(&findings),
        |bytes| {
            let bytes = bytes?;
            if bytes.is_empty() {
                return Ok(());
            }
            if !first {
                out.write_all(between).map_err(io)?;
            }
            first = false;
            out.write_all(&bytes).map_err(io)
        },
    )
}

/// A draft reviewed as it is read, as text: its findings a part at a time, the totals last.
pub fn review_streamed<'e>(
    out: Out<'_>,
    engine: &'e jianfu::Engine,
    reader: impl std::io::BufRead,
    source: &str,
    as_of: chrono::NaiveDate,
) -> Result<Review<'e>, Error> {
    let review = review_parts(out, engine, reader, source, as_of, b"", review_findings)?;
    review_totals(out, &review)?;
    Ok(review)
}

/// A whole review as text, headed by the draft's name: one of many drafts reviewed at once.
pub fn review_of(source: &str, review: &Review<'_>) -> Result<Vec<u8>, Error> {
    let mut buffer = format!("== 文稿 Draft: {source} ==\n").into_bytes();
    buffer.extend(review_findings(&review.findings)?);
    review_totals(&mut buffer, review)?;
    Ok(buffer)
}

/// The line that closes a review's text: its length and how many burden clauses it has.
fn review_totals(out: Out<'_>, review: &Review<'_>) -> Result<(), Error> {
    w!(out, "");
    w!(
        out,
        "发文审核 Document review: {} 字 chars, {} 处负担条款 burden clauses",
        review.chars,
        review.flagged
    );
    Ok(())
}

/// Findings as text, each with its rule's message, source and remedy lines.
fn review_findings(findings: &[ReviewFinding<'_>]) -> Result<Vec<u8>, Error> {
    let mut buffer = Vec::with_capacity(findings.len() * 1024);
    // A rule's message, source and remedy lines are the same in each of its findings:
    // rendered once per call (keyed by the rule's message, which one rule version owns).
    let mut tails: HashMap<*const Text, Vec<u8>> = HashMap::new();
    for finding in findings {
        review_finding(&mut buffer, finding)?;
        let tail = match tails.entry(std::ptr::from_ref(finding.message)) {
            Entry::Occupied(tail) => tail.into_mut(),
            Entry::Vacant(slot) => slot.insert(review_finding_tail(finding)?),
        };
        buffer.extend_from_slice(tail);
    }
    Ok(buffer)
}

/// A finding's heading and clause (or evidence); its rule's lines follow from
/// [`review_finding_tail`].
fn review_finding(out: Out<'_>, f: &jianfu::ReviewFinding<'_>) -> Result<(), Error> {
    w!(out, "");
    match &f.clause {
        Some(clause) => {
            let [a, b] = clause.span;
            w!(
                out,
                "  [{}] {}  第 {a}–{b} 字 chars {a}–{b}",
                f.decision.zh(),
                f.rule
            );
            out.write_all("      条款 Clause: ".as_bytes())
                .map_err(io)?;
            highlight(out, &clause.text, a, &f.evidence)?;
            w!(out, "");
        }
        None => {
            w!(
                out,
                "  [{}] {}  全文 whole document",
                f.decision.zh(),
                f.rule
            );
            for e in &f.evidence {
                w!(out, "      证据 Evidence: {}", e.describe_zh(None));
            }
        }
    }
    Ok(())
}

/// The lines of a finding's rule: message, source and remedy.
fn review_finding_tail(f: &jianfu::ReviewFinding<'_>) -> Result<Vec<u8>, Error> {
    let mut tail = Vec::with_capacity(512);
    let out: Out<'_> = &mut tail;
    w!(out, "      {} / {}", f.message.zh, f.message.en);
    w!(
        out,
        "      依据 Source: 《{}》{}",
        f.citation.title,
        f.citation.article
    );
    w!(out, "      建议 Remedy: {} / {}", f.remedy.zh, f.remedy.en);
    Ok(tail)
}

/// Writes a clause with its evidence words marked by 【】; overlapping or touching spans
/// (下载 inside 下载安装) are marked once, as their union. Spans count characters.
fn highlight(
    out: Out<'_>,
    clause: &str,
    clause_start: usize,
    evidence: &[Evidence],
) -> Result<(), Error> {
    let mut spans: Vec<(usize, usize)> = evidence
        .iter()
        .filter_map(|e| e.span)
        .map(|[a, b]| {
            (
                a.saturating_sub(clause_start),
                b.saturating_sub(clause_start),
            )
        })
        .filter(|(a, b)| a < b)
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    // Each mark goes before the character at its position: walk the characters once and
    // write the text between marks as whole slices.
    let n = clause.chars().count();
    let marks = merged
        .iter()
        .flat_map(|&(a, b)| [(a, "【"), (b, "】")])
        .filter(|&(at, mark)| if mark == "【" { at < n } else { at <= n });
    let mut written = 0usize; // bytes of `clause` already out
    let mut chars = clause.char_indices().enumerate();
    for (at, mark) in marks {
        let byte = chars
            .by_ref()
            .find(|&(i, _)| i == at)
            .map_or(clause.len(), |(_, (byte, _))| byte);
        let text = clause.get(written..byte).unwrap_or_default();
        out.write_all(text.as_bytes()).map_err(io)?;
        out.write_all(mark.as_bytes()).map_err(io)?;
        written = byte.max(written);
    }
    let rest = clause.get(written..).unwrap_or_default();
    out.write_all(rest.as_bytes()).map_err(io)
}

/// An annual plan report.
pub fn plan(out: Out<'_>, plan: &AnnualPlan, report: &PlanReport<'_>) -> Result<(), Error> {
    w!(
        out,
        "年度计划 Annual plan {}  {}（{} 年）",
        plan.plan_id,
        plan.issuer.name,
        plan.year
    );
    w!(
        out,
        "  报备 Filed: {}  审批 Approved: {}",
        opt(plan.filed_on),
        opt(plan.approved_on)
    );
    w!(
        out,
        "  结论 Decision: {} {}",
        report.decision.zh(),
        report.decision.as_str()
    );
    w!(out, "");
    for (entry, verdict) in plan.items().iter().zip(&report.verdicts) {
        self::verdict(out, entry, verdict)?;
    }
    Ok(())
}

fn opt(date: Option<chrono::NaiveDate>) -> String {
    date.map_or_else(|| "—".to_string(), |d| d.to_string())
}

/// The rule list.
pub fn rule_list(out: Out<'_>, ruleset: &Ruleset) -> Result<(), Error> {
    w!(
        out,
        "规则集 Ruleset {} {} ({})",
        ruleset.info().id,
        ruleset.info().version,
        ruleset.info().digest
    );
    for rule in ruleset.rules() {
        let to = rule.effective.to.map(|d| d.to_string()).unwrap_or_default();
        w!(
            out,
            "  {:<13} {:<9} {:<10} {}–{}  {} / {}",
            rule.id,
            rule.layer,
            rule.scope.zh(),
            rule.effective.from,
            to,
            rule.title.zh,
            rule.title.en
        );
    }
    Ok(())
}

/// One rule in full.
pub fn rule(out: Out<'_>, ruleset: &Ruleset, rule: &Rule) -> Result<(), Error> {
    w!(out, "{}  {} / {}", rule.id, rule.title.zh, rule.title.en);
    w!(
        out,
        "  层级 Layer: {}   适用 Scope: {} {}",
        rule.layer,
        rule.scope.zh(),
        rule.scope.as_str()
    );
    w!(
        out,
        "  依据 Source: 《{}》{}",
        rule.citation.title,
        rule.citation.article
    );
    if let Some(doc) = ruleset
        .documents()
        .iter()
        .find(|d| d.id == rule.citation.document)
    {
        w!(
            out,
            "      {} {} {}",
            doc.issuer,
            doc.number.as_deref().unwrap_or(""),
            doc.url.as_deref().unwrap_or("")
        );
    }
    let to = rule
        .effective
        .to
        .map(|d| d.to_string())
        .unwrap_or_else(|| "—".into());
    w!(out, "  生效 Effective: {} → {}", rule.effective.from, to);
    if !rule.kinds.is_empty() {
        let kinds: Vec<&str> = rule.kinds.iter().map(|k| k.as_str()).collect();
        w!(out, "  事项类型 Kinds: {}", kinds.join(", "));
    }
    w!(out, "  {}", rule.message.zh);
    w!(out, "  {}", rule.message.en);
    for (i, clause) in rule.clauses.iter().enumerate() {
        let when = serde_json::to_string(&clause.when).unwrap_or_default();
        w!(
            out,
            "  条款 Clause {}: [{}] when {}",
            i + 1,
            clause.decision.as_str(),
            when
        );
        w!(
            out,
            "      建议 Remedy: {} / {}",
            clause.remedy.zh,
            clause.remedy.en
        );
    }
    for process in ruleset.processes().iter().filter(|p| p.rule == rule.id) {
        w!(out, "  流程 Process ({}):", process.kind.as_str());
        for (i, (step, actor)) in process.steps.iter().zip(&process.actors).enumerate() {
            w!(
                out,
                "      {}. {} {} — {} / {}",
                i + 1,
                step.zh(),
                step.as_str(),
                actor.zh,
                actor.en
            );
        }
    }
    if let Some(over) = &rule.overrides {
        w!(out, "  取代 Overrides: {over}");
    }
    if let Some(c) = &rule.confidence {
        w!(out, "  可信度 Confidence: {c}");
    }
    if let Some(n) = &rule.note {
        w!(out, "  说明 Note: {n}");
    }
    let mut params = Vec::new();
    for clause in &rule.clauses {
        clause.when.parameters(&mut params);
    }
    for (name, _) in params {
        if let Some(p) = ruleset.parameter(&name) {
            w!(
                out,
                "  参数 Parameter {}: {} / {}",
                p.name,
                p.description.zh,
                p.description.en
            );
            for (layer, values) in &p.values {
                let layer = ruleset
                    .layers()
                    .get(*layer)
                    .map(|l| l.id.as_str())
                    .unwrap_or("");
                for (from, value) in values {
                    w!(
                        out,
                        "      {layer}: {} 起 from {from}",
                        serde_json::to_string(value).unwrap_or_default()
                    );
                }
            }
        }
    }
    w!(out, "");
    Ok(())
}

/// Lint findings.
pub fn lint(out: Out<'_>, ruleset: &Ruleset, findings: &[LintFinding]) -> Result<(), Error> {
    w!(
        out,
        "规则集检查 Lint {}: {} 条 findings",
        ruleset.info().id,
        findings.len()
    );
    for f in findings {
        let level = if f.severity == "warning" {
            "警告 warning"
        } else {
            "提示 info"
        };
        w!(
            out,
            "  [{level}] {} {}  {}: {}",
            f.kind.zh(),
            f.kind.as_str(),
            f.subject,
            f.message
        );
    }
    Ok(())
}

/// Burden scores, summarised for people: counties, strata and the 20 most burdened schools.
pub fn scores(out: Out<'_>, report: &jianfu::score::ScoreReport) -> Result<(), Error> {
    let p = &report.period;
    w!(
        out,
        "负担评分 Burden scores {}（{} 至 {}，{:.1} 教学周 school weeks），{} 条事件 events",
        p.id,
        p.start,
        p.end,
        report.weeks,
        jianfu::score::thousands(report.events as f64, 0)
    );
    w!(out, "");
    w!(out, "县区 Counties");
    for g in &report.counties {
        w!(
            out,
            "  {:<8} 学校 {:>5}  教师 {:>7}  指数 index {:>6.2}  {}",
            g.group,
            jianfu::score::thousands(g.schools as f64, 0),
            jianfu::score::thousands(g.teachers as f64, 0),
            g.index,
            g.band.zh()
        );
    }
    w!(out, "");
    w!(out, "分层 Strata (all schools)");
    for g in &report.strata {
        w!(
            out,
            "  {:<14} {:<28} 学校 {:>4}  指数 index {:>6.2}  {}",
            jianfu::score::stratum_zh(&g.group),
            g.group,
            g.schools,
            g.index,
            g.band.zh()
        );
    }
    w!(out, "");
    w!(out, "负担最重的学校 Most burdened schools");
    let mut schools: Vec<&jianfu::score::SchoolScore> = report.schools.iter().collect();
    schools.sort_by(|a, b| b.index.total_cmp(&a.index));
    for s in schools.iter().take(20) {
        let top = s
            .breakdown
            .by_kind
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(k, v)| {
                let label = jianfu::model::Kind::parse(k).map_or(*k, |k| k.zh());
                format!("{label} {v:.1}")
            })
            .unwrap_or_default();
        w!(
            out,
            "  {} {:<24} 指数 index {:>6.2} {}  主要来源 top source: {top}",
            s.school_id,
            s.name,
            s.index,
            s.band.zh()
        );
    }
    Ok(())
}

/// The monitoring report's summary.
pub fn monitor(
    out: Out<'_>,
    report: &jianfu::score::MonitorReport,
    json: &std::path::Path,
    html: &std::path::Path,
) -> Result<(), Error> {
    let c = &report.coverage;
    w!(out, "监测报告 Monitoring report {}", report.period.id);
    w!(
        out,
        "  预警阶梯范围 Ladder over: {}；每学年 {} 次 ({} counts a school year)",
        report.ladder.zh(),
        report.cadence.per_year,
        report.cadence.per_year
    );
    if let Some(note) = &report.cadence.note {
        w!(out, "  {note}");
    }
    if report.period.provisional {
        w!(
            out,
            "  校历暂定 Provisional calendar: 本期按国家节假日规律推定，官方通知发布后以通知为准 (follows the national holiday pattern; the official notice prevails)"
        );
    }
    w!(
        out,
        "  样本点 Sample points: 上报 reported {}/{}（应设 expected {}）",
        c.reported,
        c.registered,
        c.expected.map_or("—".into(), |e| e.to_string())
    );
    if !c.empty_strata.is_empty() {
        w!(
            out,
            "  无样本点的层 Empty strata: {}",
            c.empty_strata.join(", ")
        );
    }
    for t in &report.trend {
        w!(
            out,
            "  趋势 Trend {}: 样本点 sample {:.2}  全市 city {:.2}",
            t.period,
            t.sample_mean,
            t.city
        );
    }
    let over = report
        .schools
        .iter()
        .filter(|s| {
            s.campus_entry_cap
                .is_some_and(|cap| f64::from(s.campus_entries) > cap)
        })
        .count();
    let unapproved: u32 = report.schools.iter().map(|s| s.unapproved_events).sum();
    w!(
        out,
        "  超过进校园上限的学校 Schools over the campus-entry cap: {over}"
    );
    w!(out, "  未经审批的事件 Unapproved events: {unapproved}");
    w!(
        out,
        "  预警阶梯变动 Ladder moves: {}",
        report.escalations.len()
    );
    for e in report.escalations.iter().take(15) {
        w!(
            out,
            "    {} {}: {} → {}",
            e.school_id,
            e.name,
            e.from.zh(),
            e.to.zh()
        );
    }
    w!(out, "  JSON: {}", json.display());
    w!(out, "  HTML: {}", html.display());
    Ok(())
}

/// Precision and recall per rule on a labelled clause corpus.
pub fn evaluation(
    out: Out<'_>,
    report: &jianfu::text::eval::EvalReport,
    misses: bool,
) -> Result<(), Error> {
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    writeln!(
        out,
        "条款 Clauses: {}  施加负担 imposing: {}  误报的合规条款 compliant clauses flagged: {}",
        report.clauses, report.imposing, report.false_flags
    )
    .map_err(io)?;
    writeln!(
        out,
        "{:<14} {:>5} {:>5} {:>5} {:>9} {:>9}",
        "规则 rule", "TP", "FP", "FN", "准确率 P", "召回率 R"
    )
    .map_err(io)?;
    let row = |out: Out<'_>, name: &str, c: jianfu::text::eval::Counts| {
        writeln!(
            out,
            "{:<14} {:>5} {:>5} {:>5} {:>9} {:>9}",
            name,
            c.tp,
            c.fp,
            c.fn_,
            pct(c.precision()),
            pct(c.recall())
        )
        .map_err(io)
    };
    for (rule, c) in &report.per_rule {
        row(out, rule, *c)?;
    }
    row(out, "合计 total", report.total)?;
    row(out, "条款 clauses", report.clauses_flagged)?;
    writeln!(
        out,
        "找到至少一条标注规则的负担条款 imposing clauses with a labelled rule found: {} / {} ({})",
        report.with_a_labelled_rule,
        report.imposing,
        pct(f64::from(report.with_a_labelled_rule) / f64::from(report.imposing.max(1)))
    )
    .map_err(io)?;
    if misses {
        for m in &report.misses {
            writeln!(
                out,
                "✗ {}  应 expected [{}]  得 got [{}]  {}",
                m.id,
                m.expected.join(", "),
                m.got.join(", "),
                m.text
            )
            .map_err(io)?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "test harness")]
mod tests {
    use super::*;

    fn marked(clause: &str, start: usize, spans: &[[usize; 2]]) -> String {
        let evidence: Vec<Evidence> = spans
            .iter()
            .map(|&span| Evidence {
                span: Some(span),
                ..Evidence::field("text", None)
            })
            .collect();
        let mut out = Vec::new();
        highlight(&mut out, clause, start, &evidence).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn highlight_marks_each_union_of_spans_once() {
        // Spans count characters from the draft's start; the clause starts at 10.
        let clause = "请各校下载安装APP并注册";
        assert_eq!(marked(clause, 10, &[]), clause);
        assert_eq!(
            marked(clause, 10, &[[13, 15]]),
            "请各校【下载】安装APP并注册"
        );
        // Nested, overlapping and touching spans are one mark.
        assert_eq!(
            marked(clause, 10, &[[13, 17], [13, 15], [17, 20]]),
            "请各校【下载安装APP】并注册"
        );
        // At the start and at the end of the clause.
        assert_eq!(
            marked(clause, 10, &[[10, 11], [21, 23]]),
            "【请】各校下载安装APP并【注册】"
        );
        // Empty spans mark nothing; a span past the clause's end closes at its end only if
        // it ends there.
        assert_eq!(marked(clause, 10, &[[12, 12]]), clause);
        assert_eq!(marked(clause, 10, &[[21, 30]]), "请各校下载安装APP并【注册");
    }
}
