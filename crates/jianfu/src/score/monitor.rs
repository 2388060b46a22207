//! Sample-point monitoring (减负定点监测, SMX2022-7/8/9): coverage, per-stratum statistics,
//! change against the previous period, caps per school, unapproved events, and the escalation
//! ladder (预警提醒 → 督导约谈 → 通报问责) as a state machine over consecutive periods.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::index::{Band, GroupScore, ScoreReport, Weights, score};
use super::table::{Events, NONE, Schools, Stratum, day_number};
use crate::calendar::Period;
use crate::engine::Engine;
use crate::model::{Decision, Kind, RulesetInfo};
use crate::rules::{Rung, Value};

/// The ruleset parameters monitoring reads by name (the ladder, the caps counted against, the
/// cadence and the sample size); `rules lint` knows them through [`PARAMETERS`].
pub(crate) const LADDER_UNAPPROVED_EVENTS: &str = "ladder_unapproved_events";
pub(crate) const LADDER_EXIT_CLEAN_PERIODS: &str = "ladder_exit_clean_periods";
pub(crate) const CAMPUS_ENTRY_CAP: &str = "campus_entry_cap_per_semester";
pub(crate) const COMPREHENSIVE_CAP: &str = "comprehensive_supervision_cap_per_year";
pub(crate) const PERIODS_PER_YEAR: &str = "monitoring_periods_per_year";
pub(crate) const SAMPLE_POINT_COUNT: &str = "sample_point_count";
/// All of them.
pub(crate) const PARAMETERS: [&str; 6] = [
    LADDER_UNAPPROVED_EVENTS,
    LADDER_EXIT_CLEAN_PERIODS,
    CAMPUS_ENTRY_CAP,
    COMPREHENSIVE_CAP,
    PERIODS_PER_YEAR,
    SAMPLE_POINT_COUNT,
];

/// Everything the monitoring report says about one period.
#[derive(Debug, Clone, Serialize)]
pub struct MonitorReport {
    /// The version of this JSON shape (`jianfu::FORMAT_VERSION`).
    pub format_version: u32,
    /// The period reported on.
    pub period: Period,
    /// The period before it, if the calendar has one.
    pub previous: Option<String>,
    /// The ruleset used.
    pub ruleset: RulesetInfo,
    /// The calendar used.
    pub calendar: String,
    /// Sample-point coverage.
    pub coverage: Coverage,
    /// Per-stratum statistics of the sample points' indexes.
    pub strata: Vec<StratumStats>,
    /// Per county (all schools).
    pub counties: Vec<GroupScore>,
    /// Schools that need attention: over a cap, with unapproved events, on the ladder, or a
    /// sample point; by school id.
    pub schools: Vec<SchoolMonitor>,
    /// Ladder moves in this period.
    pub escalations: Vec<Escalation>,
    /// Index over the periods up to this one.
    pub trend: Vec<TrendPoint>,
    /// City-wide burden by kind, issuer and rule in this period.
    pub sources: super::index::Breakdown,
    /// Which schools the escalation ladder ran over.
    pub ladder: LadderScope,
    /// How often the ruleset asks for monitoring, and this report's cadence.
    pub cadence: Cadence,
    /// The full scores of this period.
    #[serde(skip)]
    pub scores: ScoreReport,
}

/// Which schools the escalation ladder runs over (阶梯范围).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LadderScope {
    /// Every school with a row in the schools table (the default).
    #[default]
    AllSchools,
    /// The monitoring sample points only (定点监测样本点), as the founding document counts.
    SamplePoints,
}

impl std::str::FromStr for LadderScope {
    type Err = crate::Error;

    /// Parses `all_schools` or `sample_points` (or their Chinese names).
    fn from_str(s: &str) -> crate::Result<Self> {
        <Self as crate::model::Term>::parse(s).ok_or_else(|| crate::Error::InvalidArgument {
            name: "ladder".to_string(),
            value: s.to_string(),
            expected: "all_schools or sample_points".to_string(),
        })
    }
}

/// Options of a monitoring report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonitorOptions {
    /// Which schools the ladder runs over.
    pub ladder: LadderScope,
}

/// How often the ruleset asks for monitoring (SMX2022-8's `monitoring_periods_per_year`) and
/// the cadence of this report: half-semesters (4 a school year) or semesters, i.e. half years
/// (2 a school year), chosen by the period id asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Cadence {
    /// Counts per school year the ruleset asks for, if it says.
    pub required_per_year: Option<u32>,
    /// This report's counts per school year (4: half-semesters; 2: semesters).
    pub per_year: u32,
    /// Said when this report is coarser than the ruleset asks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Which sample points reported.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// Sample points the ruleset expects (`sample_point_count`).
    pub expected: Option<u32>,
    /// Sample points in the schools table.
    pub registered: u32,
    /// Sample points with at least one event in the period.
    pub reported: u32,
    /// Sample points with no event in the period.
    pub silent: Vec<String>,
    /// Sample points per stratum (registered, reported).
    pub by_stratum: BTreeMap<String, (u32, u32)>,
    /// Expected strata with no sample point at all.
    pub empty_strata: Vec<String>,
}

/// Statistics of the sample points' indexes in one stratum.
#[derive(Debug, Clone, Serialize)]
pub struct StratumStats {
    /// Stratum key.
    pub stratum: String,
    /// Sample points in it.
    pub schools: u32,
    /// Mean index.
    pub mean: f64,
    /// Median index.
    pub median: f64,
    /// 90th percentile (nearest rank).
    pub p90: f64,
    /// Mean in the previous period.
    pub previous_mean: Option<f64>,
    /// `mean − previous_mean`.
    pub change: Option<f64>,
}

/// One school's monitoring line.
#[derive(Debug, Clone, Serialize)]
pub struct SchoolMonitor {
    /// School id.
    pub school_id: String,
    /// Name.
    pub name: String,
    /// County.
    pub county: String,
    /// Stratum.
    pub stratum: Stratum,
    /// Sample point.
    pub sample_point: bool,
    /// Index this period.
    pub index: f64,
    /// Band.
    pub band: Band,
    /// Index last period.
    pub previous_index: Option<f64>,
    /// Change.
    pub change: Option<f64>,
    /// Campus entries in the semester so far.
    pub campus_entries: u32,
    /// The per-semester cap.
    pub campus_entry_cap: Option<f64>,
    /// Comprehensive supervisions in the calendar year so far.
    pub comprehensive: u32,
    /// The per-year cap.
    pub comprehensive_cap: Option<f64>,
    /// Events with no approval or plan behind them this period.
    pub unapproved_events: u32,
    /// Their items (first 20).
    pub unapproved_items: Vec<String>,
    /// Ladder rung after this period.
    pub rung: Rung,
    /// Rungs over the periods up to this one.
    pub history: Vec<(String, Rung)>,
}

/// A move on the ladder.
#[derive(Debug, Clone, Serialize)]
pub struct Escalation {
    /// School id.
    pub school_id: String,
    /// Name.
    pub name: String,
    /// Rung before.
    pub from: Rung,
    /// Rung after.
    pub to: Rung,
    /// Why, in Chinese and English.
    pub reasons: Vec<String>,
}

/// One point of the trend.
#[derive(Debug, Clone, Serialize)]
pub struct TrendPoint {
    /// Period id.
    pub period: String,
    /// Mean index of the sample points.
    pub sample_mean: f64,
    /// City-wide index (Σ burden / Σ teachers / weeks).
    pub city: f64,
}

/// Facts about one school in one period that drive the ladder.
#[derive(Debug, Clone, Default)]
struct PeriodFacts {
    campus_entries: u32,
    comprehensive: u32,
    unapproved: u32,
    unapproved_items: Vec<String>,
    serious: Option<(Rung, String)>,
}

/// Builds the monitoring report for `period_id` from events and schools. Every period of the
/// calendar from the first one with events up to `period_id` is scored, to run the ladder and
/// the trend.
pub fn monitor(
    engine: &Engine,
    events: &Events,
    schools: &Schools,
    period_id: &str,
) -> crate::Result<MonitorReport> {
    monitor_with(
        engine,
        events,
        schools,
        period_id,
        MonitorOptions::default(),
    )
}

/// [`monitor`] with options (which schools the ladder runs over).
pub fn monitor_with(
    engine: &Engine,
    events: &Events,
    schools: &Schools,
    period_id: &str,
    options: MonitorOptions,
) -> crate::Result<MonitorReport> {
    let calendar = engine.calendar();
    let target = calendar.period(period_id)?;
    target.check_school_days(&calendar.id)?;
    let ruleset = engine.ruleset();
    let first_day = events.day.iter().min().copied();
    let periods: Vec<Period> = calendar
        .periods_like(&target)
        .into_iter()
        .filter(|p| p.end <= target.end)
        .filter(|p| p.id == target.id || first_day.is_some_and(|d| day_number(p.end) >= d))
        .collect();

    let number =
        |name: &str, date: NaiveDate| match ruleset.parameter(name).and_then(|p| p.at(date)) {
            Some(Value::Number(n)) => Some(n),
            _ => None,
        };
    let escalation_of: BTreeMap<&str, Rung> = ruleset
        .rules()
        .iter()
        .filter_map(|r| r.escalation.map(|e| (r.id.as_str(), e)))
        .collect();

    let mut rungs = vec![Rung::None; schools.len()];
    let mut clean = vec![0u32; schools.len()];
    let mut history: Vec<Vec<(String, Rung)>> = vec![Vec::new(); schools.len()];
    let mut trend = Vec::new();
    let mut escalations = Vec::new();
    let mut previous_scores: Option<ScoreReport> = None;
    let mut last: Option<(ScoreReport, Vec<PeriodFacts>)> = None;

    for period in &periods {
        let weights = Weights::from_ruleset(ruleset, period.end)?;
        let mut scores = score(events, schools, period, &weights, engine.threads())?;
        // Scores list schools by id; the ladder below walks them in the table's order.
        scores
            .schools
            .sort_by_key(|sc| schools.position(&sc.school_id).unwrap_or(u32::MAX));
        let facts = period_facts(engine, events, schools, period, &escalation_of);
        let unapproved_limit = required(
            number(LADDER_UNAPPROVED_EVENTS, period.end),
            LADDER_UNAPPROVED_EVENTS,
            period.end,
        )?;
        let exit_after = required(
            number(LADDER_EXIT_CLEAN_PERIODS, period.end),
            LADDER_EXIT_CLEAN_PERIODS,
            period.end,
        )?;
        let campus_cap = number(CAMPUS_ENTRY_CAP, period.end);
        let comprehensive_cap = number(COMPREHENSIVE_CAP, period.end);
        let is_target = period.id == target.id;
        for (s, school_score) in scores.schools.iter().enumerate() {
            let Some(fact) = facts.get(s) else { continue };
            if options.ladder == LadderScope::SamplePoints && !school_score.sample_point {
                continue; // off the ladder's scope
            }
            let mut reasons = Vec::new();
            if school_score.band > Band::Green {
                reasons.push(format!(
                    "负担指数 {:.2} 达{}线 (index in the {} band)",
                    school_score.index,
                    school_score.band.zh(),
                    school_score.band.as_str()
                ));
            }
            if campus_cap.is_some_and(|cap| f64::from(fact.campus_entries) > cap) {
                reasons.push(format!(
                    "本学期进校园 {} 次，超过上限 (campus entries over the cap)",
                    fact.campus_entries
                ));
            }
            if comprehensive_cap.is_some_and(|cap| f64::from(fact.comprehensive) > cap) {
                reasons.push(format!(
                    "本年度综合督导 {} 次，超过上限 (comprehensive supervisions over the cap)",
                    fact.comprehensive
                ));
            }
            if fact.unapproved > 0 && f64::from(fact.unapproved) >= unapproved_limit {
                reasons.push(format!(
                    "未经审批事件 {} 件 (unapproved events)",
                    fact.unapproved
                ));
            }
            let from = rungs.get(s).copied().unwrap_or(Rung::None);
            let to = if reasons.is_empty() && fact.serious.is_none() {
                let streak = clean.get(s).copied().unwrap_or(0) + 1;
                if let Some(slot) = clean.get_mut(s) {
                    *slot = streak;
                }
                if f64::from(streak) >= exit_after {
                    if from != Rung::None {
                        reasons.push(
                            "连续监测期无问题，退出预警 (clean periods: off the ladder)"
                                .to_string(),
                        );
                    }
                    Rung::None
                } else {
                    from
                }
            } else {
                if let Some(slot) = clean.get_mut(s) {
                    *slot = 0;
                }
                let band_rung = match school_score.band {
                    Band::Green => Rung::None,
                    Band::Warning => Rung::Warning,
                    Band::Interview => Rung::Interview,
                    Band::Accountability => Rung::Accountability,
                };
                let mut to = from.up().max(band_rung);
                if let Some((rung, rule)) = &fact.serious {
                    reasons.push(format!(
                        "严重情形：违反 {rule}，直接升至{} (serious case)",
                        rung.zh()
                    ));
                    to = to.max(*rung);
                }
                to
            };
            if let Some(slot) = rungs.get_mut(s) {
                *slot = to;
            }
            if let Some(h) = history.get_mut(s) {
                h.push((period.id.clone(), to));
            }
            if is_target && to != from {
                escalations.push(Escalation {
                    school_id: school_score.school_id.clone(),
                    name: school_score.name.clone(),
                    from,
                    to,
                    reasons,
                });
            }
        }
        let sample: Vec<f64> = scores
            .schools
            .iter()
            .filter(|s| s.sample_point)
            .map(|s| s.index)
            .collect();
        let (burden, teachers): (f64, u32) = scores
            .schools
            .iter()
            .fold((0.0, 0), |(b, t), s| (b + s.burden, t + s.teachers));
        trend.push(TrendPoint {
            period: period.id.clone(),
            sample_mean: mean(&sample),
            city: if teachers > 0 && period.school_days > 0 {
                burden * 5.0 / (f64::from(teachers) * f64::from(period.school_days))
            } else {
                0.0
            },
        });
        if is_target {
            last = Some((scores, facts));
        } else {
            previous_scores = Some(scores);
        }
    }
    let Some((scores, facts)) = last else {
        return Err(calendar.unknown_period(period_id));
    };
    let previous = calendar.previous(&target).map(|p| p.id);
    let previous_scores = previous_scores.filter(|p| Some(&p.period.id) == previous.as_ref());

    let campus_cap = number(CAMPUS_ENTRY_CAP, target.end);
    let comprehensive_cap = number(COMPREHENSIVE_CAP, target.end);
    let mut lines = Vec::new();
    for (s, sc) in scores.schools.iter().enumerate() {
        let fact = facts.get(s).cloned().unwrap_or_default();
        let rung = rungs.get(s).copied().unwrap_or(Rung::None);
        let previous_index = previous_scores
            .as_ref()
            .and_then(|p| p.schools.get(s))
            .map(|p| p.index);
        let over_campus = campus_cap.is_some_and(|c| f64::from(fact.campus_entries) > c);
        let over_comprehensive =
            comprehensive_cap.is_some_and(|c| f64::from(fact.comprehensive) > c);
        let attention = sc.sample_point
            || over_campus
            || over_comprehensive
            || fact.unapproved > 0
            || rung != Rung::None;
        if !attention {
            continue;
        }
        lines.push(SchoolMonitor {
            school_id: sc.school_id.clone(),
            name: sc.name.clone(),
            county: sc.county.clone(),
            stratum: sc.stratum,
            sample_point: sc.sample_point,
            index: sc.index,
            band: sc.band,
            previous_index,
            change: previous_index.map(|p| sc.index - p),
            campus_entries: fact.campus_entries,
            campus_entry_cap: campus_cap,
            comprehensive: fact.comprehensive,
            comprehensive_cap,
            unapproved_events: fact.unapproved,
            unapproved_items: fact.unapproved_items,
            rung,
            history: history.get(s).cloned().unwrap_or_default(),
        });
    }

    let coverage = coverage(engine, schools, &scores);
    let strata = strata(&scores, previous_scores.as_ref());
    let required_per_year = number(PERIODS_PER_YEAR, target.end).map(|n| n as u32);
    let per_year = if target.id == target.semester { 2 } else { 4 };
    let cadence = Cadence {
        required_per_year,
        per_year,
        note: required_per_year.filter(|&r| r > per_year).map(|r| {
            format!(
                "规则集要求每学年监测 {r} 次，本报告按学期（每学年 {per_year} 次）统计 (the ruleset asks for {r} counts a school year; this report makes {per_year})"
            )
        }),
    };
    Ok(MonitorReport {
        format_version: crate::FORMAT_VERSION,
        period: target,
        previous,
        ruleset: ruleset.info().clone(),
        calendar: calendar.id.clone(),
        coverage,
        strata,
        counties: scores.counties.clone(),
        schools: lines,
        escalations,
        trend,
        sources: scores.total.clone(),
        ladder: options.ladder,
        cadence,
        scores,
    })
}

/// A ladder parameter the ruleset must set: a missing one is an error naming it, never a
/// number made up here.
fn required(value: Option<f64>, name: &str, date: NaiveDate) -> crate::Result<f64> {
    value.ok_or_else(|| {
        crate::Error::invalid(
            crate::Location::source("ruleset").field(format!("parameters[{name}]")),
            format!("monitoring needs a number for `{name}` in force on {date}"),
        )
    })
}

fn period_facts(
    engine: &Engine,
    events: &Events,
    schools: &Schools,
    period: &Period,
    escalation_of: &BTreeMap<&str, Rung>,
) -> Vec<PeriodFacts> {
    let calendar = engine.calendar();
    let mut facts = vec![PeriodFacts::default(); schools.len()];
    let (from, to) = (day_number(period.start), day_number(period.end));
    let year_start = NaiveDate::from_ymd_opt(period.end.year(), 1, 1).map_or(from, day_number);
    let semester_start = calendar
        .semesters()
        .iter()
        .find(|s| s.id == period.semester)
        .map_or(from, |s| day_number(s.start));
    let unapproved_rule: BTreeMap<Kind, String> = engine
        .ruleset()
        .processes()
        .iter()
        .filter_map(|p| p.unapproved.clone().map(|rule| (p.kind, rule)))
        .collect();
    let mut seen_campus: HashSet<(u32, u32)> = HashSet::new();
    let mut seen_comprehensive: HashSet<(u32, u32)> = HashSet::new();
    for i in 0..events.len() {
        let (Some(&day), Some(&school), Some(&kind)) =
            (events.day.get(i), events.school.get(i), events.kind.get(i))
        else {
            continue;
        };
        let Some(fact) = facts.get_mut(school as usize) else {
            continue;
        };
        let item = events.item.get(i).copied().unwrap_or(NONE);
        // Distinct items count once; events without an item id count one each.
        let first = |seen: &mut HashSet<(u32, u32)>| item == NONE || seen.insert((school, item));
        if kind == Kind::CampusEntry
            && day >= semester_start
            && day <= to
            && first(&mut seen_campus)
        {
            fact.campus_entries += 1;
        }
        if events.comprehensive.get(i).copied().unwrap_or(false)
            && day >= year_start
            && day <= to
            && first(&mut seen_comprehensive)
        {
            fact.comprehensive += 1;
        }
        if day < from || day > to {
            continue;
        }
        let decision = events.decision.get(i).copied().flatten();
        let unapproved = matches!(
            decision,
            Some(Decision::Prohibited | Decision::NeedsApproval | Decision::Incomplete)
        ) || (item == NONE
            && matches!(kind, Kind::CampusEntry | Kind::Inspection));
        if unapproved {
            fact.unapproved += 1;
            let name = events
                .items
                .name(item)
                .unwrap_or("(无事项编号 no item id)")
                .to_string();
            if fact.unapproved_items.len() < 20 && !fact.unapproved_items.contains(&name) {
                fact.unapproved_items.push(name);
            }
        }
        // An act with no approval on record breaks the rule its process names for that, and
        // jumps the ladder by that rule's escalation (无审批编号的进校园即未经审批).
        if item == NONE {
            if let Some((name, &rung)) = unapproved_rule
                .get(&kind)
                .and_then(|name| escalation_of.get_key_value(name.as_str()))
            {
                if fact.serious.as_ref().is_none_or(|(r, _)| rung > *r) {
                    fact.serious = Some((rung, (*name).to_string()));
                }
            }
        }
        if decision == Some(Decision::Prohibited) {
            let rule = events.rule.get(i).copied().unwrap_or(NONE);
            if let Some(name) = events.rules.name(rule) {
                if let Some(&rung) = escalation_of.get(name) {
                    if fact.serious.as_ref().is_none_or(|(r, _)| rung > *r) {
                        fact.serious = Some((rung, name.to_string()));
                    }
                }
            }
        }
    }
    facts
}

fn coverage(engine: &Engine, schools: &Schools, scores: &ScoreReport) -> Coverage {
    let expected = match engine
        .ruleset()
        .parameter(SAMPLE_POINT_COUNT)
        .and_then(|p| p.at(scores.period.end))
    {
        Some(Value::Number(n)) => Some(n as u32),
        _ => None,
    };
    let mut by_stratum: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut silent = Vec::new();
    let (mut registered, mut reported) = (0, 0);
    for (school, sc) in schools.rows().iter().zip(&scores.schools) {
        if !school.sample_point {
            continue;
        }
        registered += 1;
        let entry = by_stratum.entry(school.stratum().key()).or_default();
        entry.0 += 1;
        if sc.events > 0 {
            reported += 1;
            entry.1 += 1;
        } else {
            silent.push(school.school_id.clone());
        }
    }
    let empty_strata = Stratum::expected()
        .into_iter()
        .map(Stratum::key)
        .filter(|k| !by_stratum.contains_key(k))
        .collect();
    Coverage {
        expected,
        registered,
        reported,
        silent,
        by_stratum,
        empty_strata,
    }
}

fn strata(scores: &ScoreReport, previous: Option<&ScoreReport>) -> Vec<StratumStats> {
    let collect = |report: &ScoreReport| {
        let mut groups: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for s in report.schools.iter().filter(|s| s.sample_point) {
            groups.entry(s.stratum.key()).or_default().push(s.index);
        }
        groups
    };
    let before = previous.map(collect).unwrap_or_default();
    collect(scores)
        .into_iter()
        .map(|(stratum, mut values)| {
            values.sort_by(f64::total_cmp);
            let previous_mean = before.get(&stratum).map(|v| mean(v));
            let mean = mean(&values);
            StratumStats {
                schools: values.len() as u32,
                median: quantile(&values, 0.5),
                p90: quantile(&values, 0.9),
                change: previous_mean.map(|p| mean - p),
                previous_mean,
                mean,
                stratum,
            }
        })
        .collect()
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

/// Nearest-rank quantile of sorted values (the median of an even count is the mean of the
/// middle two).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    if (q - 0.5).abs() < f64::EPSILON && n % 2 == 0 {
        let a = sorted.get(n / 2 - 1).copied().unwrap_or(0.0);
        let b = sorted.get(n / 2).copied().unwrap_or(0.0);
        return (a + b) / 2.0;
    }
    let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
    sorted.get(rank - 1).copied().unwrap_or(0.0)
}
