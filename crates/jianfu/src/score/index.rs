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
use serde::{Deserialize, Serialize};

use super::partial::{finish, partial};
use super::table::{Events, Schools, Stratum};
use crate::calendar::Period;
use crate::error::{Error, Location};
use crate::model::{Decision, Kind};
use crate::parallel::Threads;
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

/// The weights, multipliers and band lines in force for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    pub(crate) fn table(&self) -> [[f64; 3]; Kind::ALL.len()] {
        let mut table = [[0.0; 3]; Kind::ALL.len()];
        for (row, weight) in table.iter_mut().zip(self.kind) {
            *row = [weight, weight * self.unapproved, weight * self.prohibited];
        }
        table
    }
}

pub(crate) fn decision_class(decision: Option<Decision>) -> usize {
    match decision {
        None | Some(Decision::Allowed) => 0,
        Some(Decision::NeedsApproval | Decision::Incomplete) => 1,
        Some(Decision::Prohibited) => 2,
    }
}

/// The burden of one school, teacher, county or stratum, with its breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TeacherScore {
    /// Teacher id.
    pub teacher_id: String,
    /// The school of the teacher's earliest event (the smallest school id on that day).
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ScoreReport {
    /// The version of this JSON shape (`jianfu::FORMAT_VERSION`).
    pub format_version: u32,
    /// The period.
    pub period: Period,
    /// School weeks in the period.
    pub weeks: f64,
    /// Events that fell in the period.
    pub events: usize,
    /// The weights used.
    pub weights: Weights,
    /// Every school, by id.
    pub schools: Vec<SchoolScore>,
    /// Every teacher with an event, by id.
    pub teachers: Vec<TeacherScore>,
    /// Per county, by name.
    pub counties: Vec<GroupScore>,
    /// Per stratum (all schools), by key.
    pub strata: Vec<GroupScore>,
    /// City-wide totals.
    pub total: Breakdown,
}

/// Scores every school, teacher, county and stratum for one period, on up to `threads`
/// threads.
///
/// Burden and hours are summed exactly (see [`Partial`](super::Partial)), so the report is the same, byte for
/// byte, as [`finish`] of partials merged from any split of the events. Schools are listed by
/// id and teachers by id. A sum beyond the exact range (only reachable with weights near the
/// parameter limit) is an error.
pub fn score(
    events: &Events,
    schools: &Schools,
    period: &Period,
    weights: &Weights,
    threads: Threads,
) -> crate::Result<ScoreReport> {
    finish(partial(events, schools, period, weights, threads)?)
}
