//! The burden index (负担指数): weighted teacher-hours of non-teaching work per teacher per
//! school week, with bands (green / 预警 / 约谈 / 问责).
//!
//! For an event `e`: `burden(e) = weight[kind(e)] × hours(e) × multiplier(decision(e))`, where
//! the multiplier is `burden_multiplier_prohibited` for prohibited items,
//! `burden_multiplier_unapproved` for items that needed approval or were incomplete, else 1.
//! A school's index is `Σ burden / (teachers × weeks)`; a teacher's is `Σ burden / weeks`;
//! a county's or stratum's is `Σ burden / (Σ teachers × weeks)`. Every weight and threshold is
//! a dated parameter in the ruleset, read as of the period's last day.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::table::{Events, NONE, Schools, Stratum, day_number};
use crate::calendar::Period;
use crate::error::{Error, Location};
use crate::model::{Decision, IssuerKind, Kind};
use crate::rules::{Ruleset, Value};

/// Prefixes of the burden index's parameter names: `burden_weight_<kind>`,
/// `burden_multiplier_{prohibited,unapproved}`, `burden_band_{warning,interview,accountability}`.
pub(crate) const WEIGHT_PREFIX: &str = "burden_weight_";
pub(crate) const MULTIPLIER_PREFIX: &str = "burden_multiplier_";
pub(crate) const BAND_PREFIX: &str = "burden_band_";

/// The band a burden index falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Below the warning line.
    Green,
    /// 预警.
    Warning,
    /// 约谈.
    Interview,
    /// 问责.
    Accountability,
}

impl Band {
    /// The Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Band::Green => "正常",
            Band::Warning => "预警",
            Band::Interview => "约谈",
            Band::Accountability => "问责",
        }
    }
}

/// The weights, multipliers and band lines in force for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weights {
    /// Weight per kind, in [`Kind::ALL`] order.
    pub kind: [f64; Kind::ALL.len()],
    /// Multiplier for events of prohibited items.
    pub prohibited: f64,
    /// Multiplier for events of items that needed approval or were incomplete.
    pub unapproved: f64,
    /// Band lines: warning, interview, accountability.
    pub bands: [f64; 3],
}

impl Weights {
    /// Reads the weights in force on `date` from the ruleset; a missing parameter is an error
    /// that names it.
    pub fn from_ruleset(ruleset: &Ruleset, date: NaiveDate) -> crate::Result<Self> {
        let number = |name: String| -> crate::Result<f64> {
            match ruleset.parameter(&name).and_then(|p| p.at(date)) {
                Some(Value::Number(n)) => Ok(n),
                _ => Err(Error::invalid(
                    Location::source("ruleset").field(format!("parameters[{name}]")),
                    format!("the burden index needs a number for `{name}` in force on {date}"),
                )),
            }
        };
        let mut kind = [0.0; Kind::ALL.len()];
        for (slot, k) in kind.iter_mut().zip(Kind::ALL) {
            *slot = number(format!("{WEIGHT_PREFIX}{}", k.as_str()))?;
        }
        Ok(Self {
            kind,
            prohibited: number(format!("{MULTIPLIER_PREFIX}prohibited"))?,
            unapproved: number(format!("{MULTIPLIER_PREFIX}unapproved"))?,
            bands: [
                number(format!("{BAND_PREFIX}warning"))?,
                number(format!("{BAND_PREFIX}interview"))?,
                number(format!("{BAND_PREFIX}accountability"))?,
            ],
        })
    }

    /// The band of an index.
    pub fn band(&self, index: f64) -> Band {
        let [warning, interview, accountability] = self.bands;
        if index >= accountability {
            Band::Accountability
        } else if index >= interview {
            Band::Interview
        } else if index >= warning {
            Band::Warning
        } else {
            Band::Green
        }
    }

    /// `weight × multiplier` for every (kind, decision-class) pair; decision classes are
    /// none/allowed, unapproved, prohibited.
    fn table(&self) -> [[f64; 3]; Kind::ALL.len()] {
        let mut table = [[0.0; 3]; Kind::ALL.len()];
        for (row, weight) in table.iter_mut().zip(self.kind) {
            *row = [weight, weight * self.unapproved, weight * self.prohibited];
        }
        table
    }
}

fn decision_class(decision: Option<Decision>) -> usize {
    match decision {
        None | Some(Decision::Allowed) => 0,
        Some(Decision::NeedsApproval | Decision::Incomplete) => 1,
        Some(Decision::Prohibited) => 2,
    }
}

/// The burden of one school, teacher, county or stratum, with its breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    /// Weighted burden by kind.
    pub by_kind: BTreeMap<&'static str, f64>,
    /// Weighted burden by issuer kind (`unknown` when not given).
    pub by_issuer: BTreeMap<&'static str, f64>,
    /// Weighted burden by rule broken (`none` when no rule).
    pub by_rule: BTreeMap<String, f64>,
}

/// A school's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolScore {
    /// School id.
    pub school_id: String,
    /// Name.
    pub name: String,
    /// County.
    pub county: String,
    /// Stratum.
    pub stratum: Stratum,
    /// Monitoring sample point.
    pub sample_point: bool,
    /// Teachers.
    pub teachers: u32,
    /// Events in the period.
    pub events: u32,
    /// Teacher-hours in the period.
    pub hours: f64,
    /// Weighted burden (Σ weight × hours × multiplier).
    pub burden: f64,
    /// Burden index: burden per teacher per school week.
    pub index: f64,
    /// Band.
    pub band: Band,
    /// Breakdown.
    pub breakdown: Breakdown,
}

/// A teacher's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeacherScore {
    /// Teacher id.
    pub teacher_id: String,
    /// The school of the teacher's first event.
    pub school_id: String,
    /// Events.
    pub events: u32,
    /// Teacher-hours.
    pub hours: f64,
    /// Weighted burden.
    pub burden: f64,
    /// Burden per school week.
    pub index: f64,
}

/// A county's or stratum's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupScore {
    /// County name or stratum key.
    pub group: String,
    /// Schools in the group.
    pub schools: u32,
    /// Teachers in the group.
    pub teachers: u32,
    /// Weighted burden.
    pub burden: f64,
    /// Σ burden / (Σ teachers × weeks).
    pub index: f64,
    /// Band.
    pub band: Band,
}

/// Scores for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreReport {
    /// The period.
    pub period: Period,
    /// School weeks in the period.
    pub weeks: f64,
    /// Events that fell in the period.
    pub events: usize,
    /// The weights used.
    pub weights: Weights,
    /// Every school, in input order.
    pub schools: Vec<SchoolScore>,
    /// Every teacher with an event, in first-seen order.
    pub teachers: Vec<TeacherScore>,
    /// Per county, by name.
    pub counties: Vec<GroupScore>,
    /// Per stratum (all schools), by key.
    pub strata: Vec<GroupScore>,
    /// City-wide totals.
    pub total: Breakdown,
}

/// Dense accumulators filled by one pass over the events.
pub(crate) struct Acc {
    pub burden: Vec<f64>,
    pub hours: Vec<f64>,
    pub events: Vec<u32>,
    pub kind: Vec<f64>,
    pub issuer: Vec<f64>,
    pub rule: Vec<f64>,
    pub rules: usize,
    pub teacher_burden: Vec<f64>,
    pub teacher_hours: Vec<f64>,
    pub teacher_events: Vec<u32>,
    pub teacher_school: Vec<u32>,
    pub in_period: usize,
}

/// Kinds per school in the accumulator.
const KINDS: usize = Kind::ALL.len();
const ISSUERS: usize = 8; // seven kinds + unknown

/// One pass over the events of `[from, to]`: the hot loop, kept free of allocation.
pub(crate) fn accumulate(
    events: &Events,
    schools: usize,
    from: NaiveDate,
    to: NaiveDate,
    weights: &Weights,
) -> Acc {
    let table = weights.table();
    let rules = events.rules.len() + 1; // the last slot is "no rule"
    let teachers = events.teachers.len();
    let mut acc = Acc {
        burden: vec![0.0; schools],
        hours: vec![0.0; schools],
        events: vec![0; schools],
        kind: vec![0.0; schools * KINDS],
        issuer: vec![0.0; schools * ISSUERS],
        rule: vec![0.0; schools * rules],
        rules,
        teacher_burden: vec![0.0; teachers],
        teacher_hours: vec![0.0; teachers],
        teacher_events: vec![0; teachers],
        teacher_school: vec![NONE; teachers],
        in_period: 0,
    };
    let (from, to) = (day_number(from), day_number(to));
    let columns = events
        .day
        .iter()
        .zip(&events.school)
        .zip(&events.kind)
        .zip(&events.hours)
        .zip(&events.decision)
        .zip(&events.issuer)
        .zip(&events.rule)
        .zip(&events.teacher);
    for (((((((&day, &school), &kind), &hours), &decision), &issuer), &rule), &teacher) in columns {
        if day < from || day > to {
            continue;
        }
        let s = school as usize;
        let k = kind.index();
        let weight = table
            .get(k)
            .and_then(|row| row.get(decision_class(decision)))
            .copied()
            .unwrap_or(0.0);
        let hours = f64::from(hours);
        let burden = weight * hours;
        acc.in_period += 1;
        if let Some(slot) = acc.burden.get_mut(s) {
            *slot += burden;
        }
        if let Some(slot) = acc.hours.get_mut(s) {
            *slot += hours;
        }
        if let Some(slot) = acc.events.get_mut(s) {
            *slot += 1;
        }
        if let Some(slot) = acc.kind.get_mut(s * KINDS + k) {
            *slot += burden;
        }
        let i = issuer.map_or(ISSUERS - 1, IssuerKind::index);
        if let Some(slot) = acc.issuer.get_mut(s * ISSUERS + i) {
            *slot += burden;
        }
        let r = if rule == NONE {
            rules - 1
        } else {
            rule as usize
        };
        if let Some(slot) = acc.rule.get_mut(s * rules + r) {
            *slot += burden;
        }
        if teacher != NONE {
            let t = teacher as usize;
            if let Some(slot) = acc.teacher_burden.get_mut(t) {
                *slot += burden;
            }
            if let Some(slot) = acc.teacher_hours.get_mut(t) {
                *slot += hours;
            }
            if let Some(slot) = acc.teacher_events.get_mut(t) {
                *slot += 1;
            }
            if let Some(slot) = acc.teacher_school.get_mut(t) {
                if *slot == NONE {
                    *slot = school;
                }
            }
        }
    }
    acc
}

fn nonzero<K: Ord>(pairs: impl Iterator<Item = (K, f64)>) -> BTreeMap<K, f64> {
    pairs.filter(|(_, v)| *v != 0.0).collect()
}

fn breakdown(acc: &Acc, events: &Events, s: usize) -> Breakdown {
    let kinds = acc.kind.get(s * KINDS..(s + 1) * KINDS).unwrap_or_default();
    let issuers = acc
        .issuer
        .get(s * ISSUERS..(s + 1) * ISSUERS)
        .unwrap_or_default();
    let rules = acc
        .rule
        .get(s * acc.rules..(s + 1) * acc.rules)
        .unwrap_or_default();
    Breakdown {
        by_kind: nonzero(
            Kind::ALL
                .iter()
                .map(|k| k.as_str())
                .zip(kinds.iter().copied()),
        ),
        by_issuer: nonzero(
            IssuerKind::ALL
                .iter()
                .map(|i| i.as_str())
                .chain(["unknown"])
                .zip(issuers.iter().copied()),
        ),
        by_rule: nonzero(rules.iter().enumerate().map(|(r, v)| {
            let name = events.rules.name(r as u32).unwrap_or("none").to_string();
            (name, *v)
        })),
    }
}

fn merge(into: &mut Breakdown, from: &Breakdown) {
    for (k, v) in &from.by_kind {
        *into.by_kind.entry(k).or_default() += v;
    }
    for (k, v) in &from.by_issuer {
        *into.by_issuer.entry(k).or_default() += v;
    }
    for (k, v) in &from.by_rule {
        *into.by_rule.entry(k.clone()).or_default() += v;
    }
}

/// Scores every school, teacher, county and stratum for one period.
pub fn score(
    events: &Events,
    schools: &Schools,
    period: &Period,
    weights: &Weights,
) -> ScoreReport {
    let acc = accumulate(events, schools.len(), period.start, period.end, weights);
    let weeks = period.weeks();
    // burden / (teachers × days / 5), written so whole numbers stay exact.
    let days = f64::from(period.school_days);
    let per_week = |burden: f64, teachers: u32| {
        let denominator = f64::from(teachers) * days;
        if denominator > 0.0 {
            burden * 5.0 / denominator
        } else {
            0.0
        }
    };
    let mut total = Breakdown {
        by_kind: BTreeMap::new(),
        by_issuer: BTreeMap::new(),
        by_rule: BTreeMap::new(),
    };
    let mut school_scores = Vec::with_capacity(schools.len());
    for (s, school) in schools.rows().iter().enumerate() {
        let burden = acc.burden.get(s).copied().unwrap_or(0.0);
        let index = per_week(burden, school.teachers);
        let parts = breakdown(&acc, events, s);
        merge(&mut total, &parts);
        school_scores.push(SchoolScore {
            school_id: school.school_id.clone(),
            name: school.name.clone(),
            county: school.county.clone(),
            stratum: school.stratum(),
            sample_point: school.sample_point,
            teachers: school.teachers,
            events: acc.events.get(s).copied().unwrap_or(0),
            hours: acc.hours.get(s).copied().unwrap_or(0.0),
            burden,
            index,
            band: weights.band(index),
            breakdown: parts,
        });
    }
    let teachers = (0..events.teachers.len())
        .filter(|&t| acc.teacher_events.get(t).copied().unwrap_or(0) > 0)
        .map(|t| {
            let burden = acc.teacher_burden.get(t).copied().unwrap_or(0.0);
            let school = acc.teacher_school.get(t).copied().unwrap_or(NONE);
            TeacherScore {
                teacher_id: events
                    .teachers
                    .name(t as u32)
                    .unwrap_or_default()
                    .to_string(),
                school_id: schools
                    .get(school)
                    .map(|s| s.school_id.clone())
                    .unwrap_or_default(),
                events: acc.teacher_events.get(t).copied().unwrap_or(0),
                hours: acc.teacher_hours.get(t).copied().unwrap_or(0.0),
                burden,
                index: if days > 0.0 { burden * 5.0 / days } else { 0.0 },
            }
        })
        .collect();
    let group = |key: &dyn Fn(&SchoolScore) -> String| -> Vec<GroupScore> {
        let mut groups: BTreeMap<String, (u32, u32, f64)> = BTreeMap::new();
        for s in &school_scores {
            let entry = groups.entry(key(s)).or_default();
            entry.0 += 1;
            entry.1 += s.teachers;
            entry.2 += s.burden;
        }
        groups
            .into_iter()
            .map(|(group, (schools, teachers, burden))| {
                let index = per_week(burden, teachers);
                GroupScore {
                    group,
                    schools,
                    teachers,
                    burden,
                    index,
                    band: weights.band(index),
                }
            })
            .collect()
    };
    let counties = group(&|s| s.county.clone());
    let strata = group(&|s| s.stratum.key());
    ScoreReport {
        period: period.clone(),
        weeks,
        events: acc.in_period,
        weights: weights.clone(),
        schools: school_scores,
        teachers,
        counties,
        strata,
        total,
    }
}
