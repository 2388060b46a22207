//! Partial aggregates (部分汇总): scoring split into [`partial`] → [`Partial::merge`] →
//! [`finish`], so events held on separate threads or machines (a county per worker) are
//! scored where they lie and combined into exactly the single-machine report.
//!
//! A partial keeps sums, not scores: per school and per teacher, events, hours and weighted
//! burden (by kind, issuer kind and rule), all in exact fixed point ([`Sum`]). Merging adds
//! them, which is associative and commutative, so any split of the events and any order of
//! merging give the same partial, and [`finish`] turns it into the same bytes.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::exact::{Sum, add};
use super::index::decision_class;
use super::index::{Breakdown, GroupScore, SchoolScore, ScoreReport, TeacherScore, Weights};
use super::table::{Events, NONE, School, Schools, day_number};
use crate::calendar::Period;
use crate::error::Error;
use crate::model::{IssuerKind, Kind};
use crate::parallel::{ROWS_PER_SHARE_MIN, Threads, ranges};

/// The version of the partial format; partials of another version do not merge.
pub const PARTIAL_FORMAT: u32 = 1;

/// The issuer key of events without an issuer kind.
const UNKNOWN_ISSUER: &str = "unknown";

/// Sums for one period over some of the events: merge partials with [`Partial::merge`], turn
/// the result into a report with [`finish`]. Serialisable (JSON through serde), so a worker
/// can send it over the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partial {
    /// [`PARTIAL_FORMAT`].
    pub format: u32,
    /// The period scored.
    pub period: Period,
    /// The weights in force for it.
    pub weights: Weights,
    /// Events that fell in the period.
    pub events: u64,
    /// Events in the tables the partial was made from, in the period or not.
    pub rows: u64,
    /// Every school of the schools table, by id.
    pub schools: BTreeMap<String, SchoolPart>,
    /// Every teacher with an event in the period, by id.
    pub teachers: BTreeMap<String, TeacherPart>,
}

/// One school's sums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchoolPart {
    /// The school's row (the same in every partial that has the school).
    pub school: School,
    /// Events.
    pub events: u32,
    /// Teacher-hours.
    pub hours: Sum,
    /// Weighted burden.
    pub burden: Sum,
    /// Weighted burden by kind.
    pub by_kind: BTreeMap<Kind, Sum>,
    /// Weighted burden by issuer kind (`unknown` when not given).
    pub by_issuer: BTreeMap<String, Sum>,
    /// Weighted burden by rule broken (`none` when no rule).
    pub by_rule: BTreeMap<String, Sum>,
}

/// One teacher's sums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeacherPart {
    /// The day of the teacher's earliest event.
    pub first_day: NaiveDate,
    /// The school of that event (the smallest id when there are several that day).
    pub school_id: String,
    /// Events.
    pub events: u32,
    /// Teacher-hours.
    pub hours: Sum,
    /// Weighted burden.
    pub burden: Sum,
}

/// The sums of the events of one period in `events` (their schools from `schools`), computed
/// on up to `threads` threads; the result does not depend on the number.
pub fn partial(
    events: &Events,
    schools: &Schools,
    period: &Period,
    weights: &Weights,
    threads: Threads,
) -> crate::Result<Partial> {
    // A thread's share is worth its accumulators only when it has many events.
    let shares = ranges(events.len(), threads.count(), ROWS_PER_SHARE_MIN);
    let accs = threads.map(&shares, |rows| {
        accumulate(events, schools, period, weights, rows.clone())
    });
    let acc = accs
        .into_iter()
        .reduce(|a, b| a.merge(b, schools))
        .unwrap_or_else(|| accumulate(events, schools, period, weights, 0..0));
    acc.into_partial(events, schools, period, weights)
}

/// The report from a partial that holds every event (the merge of all partials).
pub fn finish(partial: Partial) -> crate::Result<ScoreReport> {
    partial.finish()
}

fn invalid(reason: impl Into<String>) -> Error {
    Error::PartialInvalid {
        reason: reason.into(),
    }
}

fn overflow(what: &str) -> Error {
    invalid(format!(
        "{what} is beyond the range sums are kept exact in (weights or hours near their limits)"
    ))
}

fn add_into(slot: &mut Sum, term: Sum, what: &str) -> crate::Result<()> {
    if add(slot, term) {
        Ok(())
    } else {
        Err(overflow(what))
    }
}

fn add_map<K: Ord>(
    into: &mut BTreeMap<K, Sum>,
    from: BTreeMap<K, Sum>,
    what: &str,
) -> crate::Result<()> {
    for (key, sum) in from {
        add_into(into.entry(key).or_default(), sum, what)?;
    }
    Ok(())
}

fn add_count(into: &mut u32, from: u32, what: &str) -> crate::Result<()> {
    *into = into
        .checked_add(from)
        .ok_or_else(|| invalid(format!("{what}: more than {} events", u32::MAX)))?;
    Ok(())
}

impl Partial {
    /// A partial read back from its JSON (`jianfu score --partial`, `Partial.to_json()`);
    /// text that is not one is `partial.invalid`.
    pub fn from_json(text: &str) -> crate::Result<Partial> {
        serde_json::from_str(text).map_err(|e| invalid(format!("not a partial: {e}")))
    }

    /// Combines two partials of the same period and weights: sums add, schools and teachers
    /// unite. Associative and commutative. A school whose row differs between the two, or
    /// another period, weights or format, is an error.
    pub fn merge(mut self, other: Partial) -> crate::Result<Partial> {
        if self.format != other.format {
            return Err(invalid(format!(
                "partials of format {} and {} do not merge",
                self.format, other.format
            )));
        }
        if self.period != other.period {
            return Err(invalid(format!(
                "partials of periods `{}` and `{}` do not merge",
                self.period.id, other.period.id
            )));
        }
        if self.weights != other.weights {
            return Err(invalid(format!(
                "partials of period `{}` were made with different weights (different rulesets)",
                self.period.id
            )));
        }
        self.events = self
            .events
            .checked_add(other.events)
            .ok_or_else(|| invalid("more events than a partial counts"))?;
        self.rows = self.rows.saturating_add(other.rows);
        for (id, part) in other.schools {
            match self.schools.get_mut(&id) {
                None => {
                    self.schools.insert(id, part);
                }
                Some(mine) => {
                    if mine.school != part.school {
                        return Err(invalid(format!(
                            "school `{id}` has different rows in the two partials"
                        )));
                    }
                    let what = format!("school `{id}`");
                    add_count(&mut mine.events, part.events, &what)?;
                    add_into(&mut mine.hours, part.hours, &what)?;
                    add_into(&mut mine.burden, part.burden, &what)?;
                    add_map(&mut mine.by_kind, part.by_kind, &what)?;
                    add_map(&mut mine.by_issuer, part.by_issuer, &what)?;
                    add_map(&mut mine.by_rule, part.by_rule, &what)?;
                }
            }
        }
        for (id, part) in other.teachers {
            match self.teachers.get_mut(&id) {
                None => {
                    self.teachers.insert(id, part);
                }
                Some(mine) => {
                    let what = format!("teacher `{id}`");
                    add_count(&mut mine.events, part.events, &what)?;
                    add_into(&mut mine.hours, part.hours, &what)?;
                    add_into(&mut mine.burden, part.burden, &what)?;
                    if (part.first_day, &part.school_id) < (mine.first_day, &mine.school_id) {
                        mine.first_day = part.first_day;
                        mine.school_id = part.school_id;
                    }
                }
            }
        }
        Ok(self)
    }

    /// The report: indexes, bands, breakdowns and county and stratum totals from the sums.
    /// Fails on a partial of another format or with an issuer kind it does not know (a
    /// partial read from a file someone edited).
    pub fn finish(self) -> crate::Result<ScoreReport> {
        if self.format != PARTIAL_FORMAT {
            return Err(invalid(format!(
                "a partial of format {} (this version reads {PARTIAL_FORMAT})",
                self.format
            )));
        }
        let Partial {
            period,
            weights,
            events,
            schools: parts,
            teachers: teacher_parts,
            ..
        } = self;
        let days = f64::from(period.school_days);
        // burden / (teachers × days / 5), written so whole numbers stay exact.
        let per_week = |burden: f64, teachers: u32| {
            let denominator = f64::from(teachers) * days;
            if denominator > 0.0 {
                burden * 5.0 / denominator
            } else {
                0.0
            }
        };
        let mut total = Totals::default();
        let mut counties: BTreeMap<String, Group> = BTreeMap::new();
        let mut strata: BTreeMap<String, Group> = BTreeMap::new();
        let mut schools = Vec::with_capacity(parts.len());
        for (id, part) in parts {
            let school = part.school;
            if id != school.school_id {
                return Err(invalid(format!(
                    "school `{id}` holds the row of `{}`",
                    school.school_id
                )));
            }
            total.add(&part.by_kind, &part.by_issuer, &part.by_rule)?;
            let stratum = school.stratum();
            match counties.get_mut(&school.county) {
                Some(group) => group.add(school.teachers, part.burden)?,
                None => {
                    let mut group = Group::default();
                    group.add(school.teachers, part.burden)?;
                    counties.insert(school.county.clone(), group);
                }
            }
            strata
                .entry(stratum.key())
                .or_default()
                .add(school.teachers, part.burden)?;
            let burden = part.burden.to_f64();
            let index = per_week(burden, school.teachers);
            schools.push(SchoolScore {
                school_id: id,
                name: school.name,
                county: school.county,
                stratum,
                sample_point: school.sample_point,
                teachers: school.teachers,
                events: part.events,
                hours: part.hours.to_f64(),
                burden,
                index,
                band: weights.band(index),
                breakdown: breakdown(&part.by_kind, &part.by_issuer, &part.by_rule)?,
            });
        }
        let teachers = teacher_parts
            .into_iter()
            .map(|(teacher_id, part)| {
                let burden = part.burden.to_f64();
                TeacherScore {
                    teacher_id,
                    school_id: part.school_id,
                    events: part.events,
                    hours: part.hours.to_f64(),
                    burden,
                    index: if days > 0.0 { burden * 5.0 / days } else { 0.0 },
                }
            })
            .collect();
        let groups = |groups: BTreeMap<String, Group>| -> Vec<GroupScore> {
            groups
                .into_iter()
                .map(|(group, g)| {
                    let burden = g.burden.to_f64();
                    let index = per_week(burden, g.teachers);
                    GroupScore {
                        group,
                        schools: g.schools,
                        teachers: g.teachers,
                        burden,
                        index,
                        band: weights.band(index),
                    }
                })
                .collect()
        };
        let counties = groups(counties);
        let strata = groups(strata);
        Ok(ScoreReport {
            format_version: crate::FORMAT_VERSION,
            weeks: period.weeks(),
            period,
            events: usize::try_from(events).unwrap_or(usize::MAX),
            schools,
            teachers,
            counties,
            strata,
            total: breakdown(&total.by_kind, &total.by_issuer, &total.by_rule)?,
            weights,
        })
    }
}

/// A county's or stratum's sums.
#[derive(Default)]
struct Group {
    schools: u32,
    teachers: u32,
    burden: Sum,
}

impl Group {
    fn add(&mut self, teachers: u32, burden: Sum) -> crate::Result<()> {
        self.schools = self.schools.saturating_add(1);
        self.teachers = self.teachers.saturating_add(teachers);
        add_into(&mut self.burden, burden, "a county's or stratum's burden")
    }
}

/// The city-wide breakdown's sums.
#[derive(Default)]
struct Totals {
    by_kind: BTreeMap<Kind, Sum>,
    by_issuer: BTreeMap<String, Sum>,
    by_rule: BTreeMap<String, Sum>,
}

impl Totals {
    fn add(
        &mut self,
        by_kind: &BTreeMap<Kind, Sum>,
        by_issuer: &BTreeMap<String, Sum>,
        by_rule: &BTreeMap<String, Sum>,
    ) -> crate::Result<()> {
        let what = "the city-wide breakdown";
        for (kind, sum) in by_kind {
            add_into(self.by_kind.entry(*kind).or_default(), *sum, what)?;
        }
        for (into, from) in [
            (&mut self.by_issuer, by_issuer),
            (&mut self.by_rule, by_rule),
        ] {
            for (key, sum) in from {
                match into.get_mut(key) {
                    Some(slot) => add_into(slot, *sum, what)?,
                    None => {
                        into.insert(key.clone(), *sum);
                    }
                }
            }
        }
        Ok(())
    }
}

/// The breakdown in teacher-hours, zero entries left out.
fn breakdown(
    by_kind: &BTreeMap<Kind, Sum>,
    by_issuer: &BTreeMap<String, Sum>,
    by_rule: &BTreeMap<String, Sum>,
) -> crate::Result<Breakdown> {
    let issuer_key = |key: &str| -> crate::Result<&'static str> {
        IssuerKind::ALL
            .iter()
            .map(|i| i.as_str())
            .chain([UNKNOWN_ISSUER])
            .find(|k| *k == key)
            .ok_or_else(|| invalid(format!("`{key}` is not an issuer kind")))
    };
    let mut issuers = BTreeMap::new();
    for (key, sum) in by_issuer.iter().filter(|(_, s)| !s.is_zero()) {
        issuers.insert(issuer_key(key)?, sum.to_f64());
    }
    Ok(Breakdown {
        by_kind: by_kind
            .iter()
            .filter(|(_, s)| !s.is_zero())
            .map(|(k, s)| (k.as_str(), s.to_f64()))
            .collect(),
        by_issuer: issuers,
        by_rule: by_rule
            .iter()
            .filter(|(_, s)| !s.is_zero())
            .map(|(k, s)| (k.clone(), s.to_f64()))
            .collect(),
    })
}

/// Dense sums over some rows of one events table, filled by one pass: the hot loop, kept free
/// of allocation. Accumulators over other rows of the same table merge element by element.
pub(crate) struct Acc {
    hours: Vec<Sum>,
    events: Vec<u32>,
    kind: Vec<Sum>,
    issuer: Vec<Sum>,
    rule: Vec<Sum>,
    rules: usize,
    teacher_burden: Vec<Sum>,
    teacher_hours: Vec<Sum>,
    teacher_events: Vec<u32>,
    teacher_day: Vec<i32>,
    teacher_school: Vec<u32>,
    in_period: u64,
    /// A sum or a count left its range: the partial is refused.
    overflow: bool,
}

/// Kinds per school in the accumulator.
const KINDS: usize = Kind::ALL.len();
/// Issuer kinds per school: the seven kinds and unknown.
const ISSUERS: usize = IssuerKind::ALL.len() + 1;

/// Whether school `a`'s id sorts before school `b`'s: the tie-break for a teacher's school.
fn sorts_before(schools: &Schools, a: u32, b: u32) -> bool {
    match (schools.get(a), schools.get(b)) {
        (Some(a), Some(b)) => a.school_id < b.school_id,
        (Some(_), None) => true,
        _ => false,
    }
}

fn bump(slot: Option<&mut u32>) -> bool {
    match slot {
        Some(n) => match n.checked_add(1) {
            Some(m) => {
                *n = m;
                true
            }
            None => false,
        },
        None => true,
    }
}

fn add_at(slots: &mut [Sum], i: usize, term: Sum) -> bool {
    slots.get_mut(i).is_none_or(|slot| add(slot, term))
}

/// School `s`'s `width` sums in a dense school-major column.
fn row(column: &[Sum], s: usize, width: usize) -> &[Sum] {
    column.get(s * width..(s + 1) * width).unwrap_or_default()
}

/// The part of a column in `rows` (clamped to the column).
fn rows_of<'a, T>(column: &'a [T], rows: &Range<usize>) -> &'a [T] {
    let end = rows.end.min(column.len());
    column.get(rows.start.min(end)..end).unwrap_or_default()
}

/// One pass over events `rows` that fall in the period.
pub(crate) fn accumulate(
    events: &Events,
    schools: &Schools,
    period: &Period,
    weights: &Weights,
    rows: Range<usize>,
) -> Acc {
    let table = weights.table();
    let rules = events.rules.len() + 1; // the last slot is "no rule"
    let teachers = events.teachers.len();
    let n = schools.len();
    let mut acc = Acc {
        hours: vec![Sum::ZERO; n],
        events: vec![0; n],
        kind: vec![Sum::ZERO; n * KINDS],
        issuer: vec![Sum::ZERO; n * ISSUERS],
        rule: vec![Sum::ZERO; n * rules],
        rules,
        teacher_burden: vec![Sum::ZERO; teachers],
        teacher_hours: vec![Sum::ZERO; teachers],
        teacher_events: vec![0; teachers],
        teacher_day: vec![i32::MAX; teachers],
        teacher_school: vec![NONE; teachers],
        in_period: 0,
        overflow: false,
    };
    let (from, to) = (day_number(period.start), day_number(period.end));
    let columns = rows_of(&events.day, &rows)
        .iter()
        .zip(rows_of(&events.school, &rows))
        .zip(rows_of(&events.kind, &rows))
        .zip(rows_of(&events.hours, &rows))
        .zip(rows_of(&events.decision, &rows))
        .zip(rows_of(&events.issuer, &rows))
        .zip(rows_of(&events.rule, &rows))
        .zip(rows_of(&events.teacher, &rows));
    let mut ok = true;
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
        let (Some(burden), Some(hours)) = (Sum::term(weight * hours), Sum::term(hours)) else {
            ok = false;
            continue;
        };
        acc.in_period += 1;
        ok &= add_at(&mut acc.hours, s, hours);
        ok &= bump(acc.events.get_mut(s));
        ok &= add_at(&mut acc.kind, s * KINDS + k, burden);
        let i = issuer.map_or(ISSUERS - 1, IssuerKind::index);
        ok &= add_at(&mut acc.issuer, s * ISSUERS + i, burden);
        let r = if rule == NONE {
            rules - 1
        } else {
            rule as usize
        };
        ok &= add_at(&mut acc.rule, s * rules + r, burden);
        if teacher != NONE {
            let t = teacher as usize;
            ok &= add_at(&mut acc.teacher_burden, t, burden);
            ok &= add_at(&mut acc.teacher_hours, t, hours);
            ok &= bump(acc.teacher_events.get_mut(t));
            if let (Some(first), Some(at)) =
                (acc.teacher_day.get_mut(t), acc.teacher_school.get_mut(t))
            {
                if day < *first
                    || (day == *first && school != *at && sorts_before(schools, school, *at))
                {
                    *first = day;
                    *at = school;
                }
            }
        }
    }
    acc.overflow = !ok;
    acc
}

impl Acc {
    /// Adds the sums of another accumulator over the same events table.
    pub(crate) fn merge(mut self, other: Acc, schools: &Schools) -> Acc {
        let mut ok = !other.overflow;
        for (into, from) in [
            (&mut self.hours, &other.hours),
            (&mut self.kind, &other.kind),
            (&mut self.issuer, &other.issuer),
            (&mut self.rule, &other.rule),
            (&mut self.teacher_burden, &other.teacher_burden),
            (&mut self.teacher_hours, &other.teacher_hours),
        ] {
            for (a, b) in into.iter_mut().zip(from) {
                ok &= add(a, *b);
            }
        }
        for (into, from) in [
            (&mut self.events, &other.events),
            (&mut self.teacher_events, &other.teacher_events),
        ] {
            for (a, b) in into.iter_mut().zip(from) {
                match a.checked_add(*b) {
                    Some(n) => *a = n,
                    None => ok = false,
                }
            }
        }
        let teachers = self
            .teacher_day
            .iter_mut()
            .zip(self.teacher_school.iter_mut())
            .zip(other.teacher_day.iter().zip(&other.teacher_school));
        for ((day, at), (&other_day, &other_at)) in teachers {
            if other_day < *day
                || (other_day == *day && other_at != *at && sorts_before(schools, other_at, *at))
            {
                *day = other_day;
                *at = other_at;
            }
        }
        self.in_period += other.in_period;
        self.overflow |= !ok;
        self
    }

    /// The sums keyed by school, teacher, rule and issuer names, so that partials of other
    /// tables (other workers) merge with them.
    pub(crate) fn into_partial(
        self,
        events: &Events,
        schools: &Schools,
        period: &Period,
        weights: &Weights,
    ) -> crate::Result<Partial> {
        if self.overflow {
            return Err(overflow("a sum of burden or hours"));
        }
        let issuer_names = IssuerKind::ALL
            .iter()
            .map(|i| i.as_str())
            .chain([UNKNOWN_ISSUER]);
        let mut out = Vec::with_capacity(schools.len());
        for (s, school) in schools.rows().iter().enumerate() {
            let kinds = row(&self.kind, s, KINDS);
            // A school's burden is the sum of its kinds' (exact, so the same as summing it
            // event by event, and one add fewer per event).
            let mut burden = Sum::ZERO;
            for sum in kinds {
                if !add(&mut burden, *sum) {
                    return Err(overflow(&format!("school `{}`", school.school_id)));
                }
            }
            let by_kind = Kind::ALL
                .iter()
                .copied()
                .zip(kinds.iter().copied())
                .filter(|(_, sum)| !sum.is_zero())
                .collect();
            let by_issuer = issuer_names
                .clone()
                .zip(row(&self.issuer, s, ISSUERS))
                .filter(|(_, sum)| !sum.is_zero())
                .map(|(name, sum)| (name.to_owned(), *sum))
                .collect();
            let by_rule = row(&self.rule, s, self.rules)
                .iter()
                .enumerate()
                .filter(|(_, sum)| !sum.is_zero())
                .map(|(r, sum)| {
                    let name = events.rules.name(r as u32).unwrap_or("none");
                    (name.to_owned(), *sum)
                })
                .collect();
            out.push((
                school.school_id.clone(),
                SchoolPart {
                    school: school.clone(),
                    events: self.events.get(s).copied().unwrap_or(0),
                    hours: self.hours.get(s).copied().unwrap_or_default(),
                    burden,
                    by_kind,
                    by_issuer,
                    by_rule,
                },
            ));
        }
        let mut teachers = Vec::new();
        for t in 0..events.teachers.len() {
            let count = self.teacher_events.get(t).copied().unwrap_or(0);
            if count == 0 {
                continue;
            }
            let day = self.teacher_day.get(t).copied().unwrap_or(i32::MAX);
            let school = self.teacher_school.get(t).copied().unwrap_or(NONE);
            teachers.push((
                events
                    .teachers
                    .name(t as u32)
                    .unwrap_or_default()
                    .to_owned(),
                TeacherPart {
                    first_day: NaiveDate::from_num_days_from_ce_opt(day).unwrap_or_default(),
                    school_id: schools
                        .get(school)
                        .map(|s| s.school_id.clone())
                        .unwrap_or_default(),
                    events: count,
                    hours: self.teacher_hours.get(t).copied().unwrap_or_default(),
                    burden: self.teacher_burden.get(t).copied().unwrap_or_default(),
                },
            ));
        }
        // Built from whole lists: a sort and a bulk build, not one insert at a time.
        let out: BTreeMap<String, SchoolPart> = out.into_iter().collect();
        // Sorted first: the map then builds in one pass.
        teachers.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let teachers: BTreeMap<String, TeacherPart> = teachers.into_iter().collect();
        Ok(Partial {
            format: PARTIAL_FORMAT,
            period: period.clone(),
            weights: weights.clone(),
            events: self.in_period,
            rows: events.len() as u64,
            schools: out,
            teachers,
        })
    }
}
