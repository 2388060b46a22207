//! A deterministic generator of a realistic city (示例数据): about 1,200 schools in
//! Sanmenxia's six counties, 41 stratified sample points, ~30,000 teachers, and a semester of
//! non-teaching events with realistic mixes of kinds and issuers and some violations.
//! The same seed gives the same bytes on every machine (a fixed SplitMix64 generator).

use chrono::{Datelike, NaiveDate};

use super::table::{EventRef, Events, Ownership, School, Schools, Stage, Stratum, UrbanRural};
use crate::calendar::Calendar;
use crate::error::Location;
use crate::model::{DayType, Decision, IssuerKind, Kind};

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Seed.
    pub seed: u64,
    /// Number of schools.
    pub schools: usize,
    /// Sample points among them.
    pub sample_points: usize,
    /// Semester ids to fill with events (`2026-spring`).
    pub semesters: Vec<String>,
    /// Mean events per teacher per school week.
    pub events_per_teacher_week: f64,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            schools: 1200,
            sample_points: 41,
            semesters: vec!["2026-spring".to_string()],
            events_per_teacher_week: 1.8,
        }
    }
}

impl DemoConfig {
    /// Refuses, before any work, a city of no schools or more than the limit
    /// (`demo_schools_max`), and a semester `calendar` does not have (which would give no
    /// events at all).
    pub fn check(&self, calendar: &Calendar) -> crate::Result<()> {
        let max = crate::limits::Limits::get().demo_schools_max;
        let bad = |value: String, expected: String| {
            Err(crate::Error::InvalidArgument {
                name: "schools".to_string(),
                value,
                expected,
            })
        };
        if self.schools == 0 || self.schools > max {
            return bad(
                self.schools.to_string(),
                format!("1 to {max} (limit demo_schools_max)"),
            );
        }
        let known: Vec<&str> = calendar.semesters().iter().map(|s| s.id.as_str()).collect();
        if let Some(unknown) = self.semesters.iter().find(|s| !known.contains(&s.as_str())) {
            return Err(crate::Error::InvalidArgument {
                name: "semesters".to_string(),
                value: unknown.clone(),
                expected: format!(
                    "a semester of calendar `{}`: {}",
                    calendar.id,
                    known.join(", ")
                ),
            });
        }
        if self.semesters.is_empty() {
            return Err(crate::Error::InvalidArgument {
                name: "semesters".to_string(),
                value: String::new(),
                expected: format!("at least one of {}", known.join(", ")),
            });
        }
        Ok(())
    }
}

/// SplitMix64: tiny, fast and identical everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn below(&mut self, n: usize) -> usize {
        ((self.unit() * n as f64) as usize).min(n.saturating_sub(1))
    }

    /// Picks by weight.
    fn pick<T: Copy>(&mut self, choices: &[(T, f64)]) -> Option<T> {
        let total: f64 = choices.iter().map(|(_, w)| w).sum();
        let mut x = self.unit() * total;
        for (value, weight) in choices {
            if x < *weight {
                return Some(*value);
            }
            x -= weight;
        }
        choices.last().map(|(v, _)| *v)
    }

    /// A Poisson draw (Knuth's method; means here are small).
    fn poisson(&mut self, mean: f64) -> u32 {
        let limit = (-mean).exp();
        let mut k = 0;
        let mut p = self.unit();
        while p > limit && k < 1000 {
            k += 1;
            p *= self.unit();
        }
        k
    }
}

const COUNTIES: [(&str, f64, f64); 6] = [
    // name, share of schools, share urban
    ("湖滨区", 0.12, 0.9),
    ("陕州区", 0.16, 0.3),
    ("渑池县", 0.16, 0.3),
    ("卢氏县", 0.20, 0.2),
    ("义马市", 0.06, 0.7),
    ("灵宝市", 0.30, 0.35),
];

const KINDS: [(Kind, f64); 10] = [
    (Kind::DataRequest, 0.25),
    (Kind::Inspection, 0.10),
    (Kind::CampusEntry, 0.0), // campus entries are generated as items per school, below
    (Kind::Meeting, 0.13),
    (Kind::Training, 0.12),
    (Kind::Duty, 0.10),
    (Kind::SocialTask, 0.09),
    (Kind::DirectiveTask, 0.08),
    (Kind::Document, 0.04),
    (Kind::Secondment, 0.005),
];

fn hours(kind: Kind, rng: &mut Rng) -> f64 {
    let (lo, hi) = match kind {
        Kind::DataRequest => (0.5, 2.0),
        Kind::Inspection => (1.0, 4.0),
        Kind::CampusEntry => (0.7, 2.5),
        Kind::Meeting => (1.0, 2.0),
        Kind::Training => (2.0, 4.0),
        Kind::Duty => (4.0, 8.0),
        Kind::SocialTask => (2.0, 4.0),
        Kind::DirectiveTask => (0.3, 1.0),
        Kind::Secondment => (8.0, 8.0),
        Kind::Document => (0.2, 0.5),
        Kind::AfterSchool => (1.0, 2.0),
        Kind::ExternalExam => (4.0, 8.0),
    };
    (rng.range(lo, hi) * 4.0).round() / 4.0
}

fn issuer(kind: Kind, rng: &mut Rng) -> Option<IssuerKind> {
    use IssuerKind as I;
    let choices: &[(I, f64)] = match kind {
        Kind::Inspection | Kind::Training | Kind::Document => &[
            (I::Education, 0.6),
            (I::OtherDepartment, 0.25),
            (I::Government, 0.1),
            (I::PartyCommittee, 0.05),
        ],
        Kind::CampusEntry => &[
            (I::OtherDepartment, 0.7),
            (I::MassOrganization, 0.15),
            (I::SocialOrganization, 0.1),
            (I::Enterprise, 0.05),
        ],
        Kind::DirectiveTask => &[
            (I::OtherDepartment, 0.5),
            (I::Government, 0.3),
            (I::MassOrganization, 0.15),
            (I::Enterprise, 0.05),
        ],
        Kind::SocialTask => &[
            (I::Government, 0.5),
            (I::OtherDepartment, 0.35),
            (I::PartyCommittee, 0.15),
        ],
        _ => &[
            (I::Education, 0.7),
            (I::OtherDepartment, 0.2),
            (I::Government, 0.1),
        ],
    };
    // A few rows arrive without an issuer, as real logs do.
    if rng.unit() < 0.02 {
        None
    } else {
        rng.pick(choices)
    }
}

/// The decision and rule of a generated event's item: mostly allowed; at schools that attract
/// violations (`rate` > 0), some unapproved items and prohibited directive tasks.
fn verdict(
    kind: Kind,
    issuer: Option<IssuerKind>,
    rate: f64,
    rng: &mut Rng,
) -> (Option<Decision>, Option<&'static str>) {
    if rate == 0.0 && kind != Kind::DirectiveTask {
        return (Some(Decision::Allowed), None);
    }
    let x = rng.unit() / rate.max(1e-9);
    match kind {
        Kind::DirectiveTask if x < 0.35 => (
            Some(Decision::Prohibited),
            Some(if rng.unit() < 0.5 {
                "NAT2022-1"
            } else {
                "NAT2022-2"
            }),
        ),
        Kind::SocialTask if x < 0.10 && issuer != Some(IssuerKind::Education) => {
            (Some(Decision::Prohibited), Some("NAT2025-3.3"))
        }
        Kind::Duty if x < 0.08 => (Some(Decision::Prohibited), Some("NAT2025-D")),
        Kind::Inspection if x < 0.05 => (Some(Decision::NeedsApproval), Some("NAT2019-2.1")),
        Kind::DataRequest if x < 0.04 => (Some(Decision::Prohibited), Some("NAT2025-5.3")),
        Kind::Training if x < 0.05 && issuer != Some(IssuerKind::Education) => {
            (Some(Decision::Prohibited), Some("NAT2025-T"))
        }
        _ if x < 0.01 => (Some(Decision::Incomplete), None),
        _ => (Some(Decision::Allowed), None),
    }
}

/// Generates the schools.
pub fn schools(config: &DemoConfig) -> Schools {
    let mut rng = Rng(config.seed ^ 0x5EED_5C40_0115);
    let mut rows: Vec<School> = Vec::with_capacity(config.schools);
    let county_choices: Vec<(usize, f64)> =
        COUNTIES.iter().enumerate().map(|(i, c)| (i, c.1)).collect();
    for i in 0..config.schools {
        let county = rng.pick(&county_choices).unwrap_or(0);
        let (name, _, urban_share) = COUNTIES
            .get(county)
            .copied()
            .unwrap_or(("湖滨区", 0.12, 0.9));
        let urban_rural = if rng.unit() < urban_share {
            UrbanRural::Urban
        } else {
            UrbanRural::Rural
        };
        let stage = rng
            .pick(&[
                (Stage::Primary, 0.62),
                (Stage::Junior, 0.22),
                (Stage::Senior, 0.06),
                (Stage::NineYear, 0.07),
                (Stage::Complete, 0.03),
            ])
            .unwrap_or(Stage::Primary);
        let ownership = if rng.unit() < 0.1 {
            Ownership::Private
        } else {
            Ownership::Public
        };
        let (lo, hi) = match (stage, urban_rural) {
            (Stage::Primary, UrbanRural::Rural) => (6.0, 16.0),
            (Stage::Primary, UrbanRural::Urban) => (16.0, 46.0),
            (Stage::Junior, _) => (16.0, 42.0),
            (Stage::Senior, _) => (55.0, 115.0),
            (Stage::NineYear, _) => (20.0, 42.0),
            (Stage::Complete, _) => (45.0, 95.0),
        };
        let stage_zh = match stage {
            Stage::Primary => "小学",
            Stage::Junior => "初级中学",
            Stage::Senior => "高级中学",
            Stage::NineYear => "九年制学校",
            Stage::Complete => "完全中学",
        };
        rows.push(School {
            school_id: format!("SMX-{:04}", i + 1),
            name: format!("{name}第{}{stage_zh}", i + 1),
            county: name.to_string(),
            urban_rural,
            stage,
            ownership,
            teachers: rng.range(lo, hi).round() as u32,
            sample_point: false,
        });
    }
    // Sample points: round-robin over the expected strata, then any school, until the count.
    let mut chosen = 0;
    let strata = Stratum::expected();
    'outer: for round in 0..config.schools {
        let mut any = false;
        for stratum in &strata {
            if chosen >= config.sample_points {
                break 'outer;
            }
            let candidates: Vec<usize> = rows
                .iter()
                .enumerate()
                .filter(|(_, s)| s.stratum() == *stratum && !s.sample_point)
                .map(|(i, _)| i)
                .collect();
            if let Some(&i) = candidates.get(round.min(candidates.len().saturating_sub(1))) {
                if let Some(s) = rows.get_mut(i) {
                    s.sample_point = true;
                    chosen += 1;
                    any = true;
                }
            }
        }
        if !any {
            break;
        }
    }
    for s in rows.iter_mut().filter(|s| !s.sample_point) {
        if chosen >= config.sample_points {
            break;
        }
        s.sample_point = true;
        chosen += 1;
    }
    let mut table = Schools::new();
    for school in rows {
        // Generated schools are valid by construction; a failure would be a generator bug.
        let _ = table.push(school, Location::source("demo"));
    }
    table
}

/// Generates events for the configured semesters.
pub fn events(config: &DemoConfig, schools: &Schools, calendar: &Calendar) -> Events {
    let mut rng = Rng(config.seed ^ 0xE7E7_7500_2026);
    let mut events = Events::default();
    let semesters: Vec<(NaiveDate, NaiveDate, String)> = calendar
        .semesters()
        .iter()
        .filter(|s| config.semesters.contains(&s.id))
        .map(|s| (s.start, s.end, s.id.clone()))
        .collect();
    // Each school's propensity: most near 1, a tail of heavily burdened schools.
    let propensity: Vec<f64> = (0..schools.len())
        .map(|_| {
            let x = rng.unit();
            if x < 0.06 {
                rng.range(2.0, 3.5)
            } else {
                rng.range(0.5, 1.4)
            }
        })
        .collect();
    // Where violations happen: most schools see none, some a few, a tenth many.
    let violations: Vec<f64> = (0..schools.len())
        .map(|_| {
            let x = rng.unit();
            if x < 0.65 {
                0.0
            } else if x < 0.9 {
                0.1
            } else {
                1.0
            }
        })
        .collect();
    // Each school's drift over the generated span: some improve, some get worse.
    let drift: Vec<f64> = (0..schools.len()).map(|_| rng.range(-0.4, 0.6)).collect();
    let first = semesters.first().map(|s| s.0);
    let span = semesters.last().zip(first).map_or(1.0, |(last, first)| {
        (last.1 - first).num_days().max(1) as f64
    });
    let kinds: Vec<(Kind, f64)> = KINDS.iter().copied().filter(|(_, w)| *w > 0.0).collect();
    // A city-honour campaign (创城) in one county in May and June piles social tasks on its schools.
    let campaign =
        |county: &str, date: NaiveDate| county == "灵宝市" && matches!(date.month(), 5 | 6);
    let mut teacher_id = String::new();
    let mut item_id = String::new();
    for (start, end, semester) in &semesters {
        let days: Vec<NaiveDate> = start
            .iter_days()
            .take_while(|d| d <= end)
            .filter(|d| calendar.day_type(*d) == DayType::SchoolDay)
            .collect();
        for (s, school) in schools.rows().iter().enumerate() {
            let factor = propensity.get(s).copied().unwrap_or(1.0);
            let rate = violations.get(s).copied().unwrap_or(0.0);
            // Campus entries: a few items per semester; some schools go over the cap of six.
            let entries = rng.poisson(if factor > 2.0 { 7.0 } else { 3.5 });
            for e in 0..entries {
                let Some(&date) = days.get(rng.below(days.len())) else {
                    continue;
                };
                let issuer = issuer(Kind::CampusEntry, &mut rng);
                let unapproved = rng.unit() < 0.3 * rate;
                let commercial = rng.unit() < 0.05 * rate;
                item_id.clear();
                item_id.push_str(&format!("{}-{semester}-CE{:02}", school.school_id, e + 1));
                let (decision, rule) = if commercial {
                    (Some(Decision::Prohibited), Some("NAT2018-1"))
                } else if unapproved {
                    (Some(Decision::NeedsApproval), Some("SMX2022-5"))
                } else {
                    (Some(Decision::Allowed), None)
                };
                push(
                    &mut events,
                    schools,
                    school,
                    None,
                    date,
                    Kind::CampusEntry,
                    hours(Kind::CampusEntry, &mut rng),
                    issuer,
                    (!unapproved || rng.unit() < 0.5).then_some(item_id.as_str()),
                    decision,
                    rule,
                    false,
                );
            }
            // Comprehensive supervisions (综合督导): usually none or one a semester; two in a
            // year breaks the cap.
            let supervisions = rng.poisson(0.3 + 0.5 * rate);
            for e in 0..supervisions {
                let Some(&date) = days.get(rng.below(days.len())) else {
                    continue;
                };
                item_id.clear();
                item_id.push_str(&format!("{}-{semester}-CS{:02}", school.school_id, e + 1));
                let issuer = Some(IssuerKind::Education);
                push(
                    &mut events,
                    schools,
                    school,
                    None,
                    date,
                    Kind::Inspection,
                    hours(Kind::Inspection, &mut rng) * 4.0,
                    issuer,
                    Some(item_id.as_str()),
                    Some(Decision::Allowed),
                    None,
                    true,
                );
            }
            // Teacher-level work, week by week.
            let base = config.events_per_teacher_week * factor / 5.0;
            let trend = drift.get(s).copied().unwrap_or(0.0);
            for &date in &days {
                let progress = first.map_or(0.0, |f| (date - f).num_days() as f64 / span);
                let per_day = base * (1.0 + trend * progress).max(0.1);
                let n = rng.poisson(per_day * f64::from(school.teachers));
                let in_campaign = campaign(&school.county, date);
                for _ in 0..n {
                    let mut kind = if in_campaign && rng.unit() < 0.3 {
                        Kind::SocialTask
                    } else {
                        rng.pick(&kinds).unwrap_or(Kind::DataRequest)
                    };
                    // Directive tasks only reach schools where violations happen.
                    if kind == Kind::DirectiveTask && rng.unit() >= rate {
                        kind = Kind::DataRequest;
                    }
                    let issuer = issuer(kind, &mut rng);
                    let (decision, rule) = verdict(kind, issuer, rate, &mut rng);
                    teacher_id.clear();
                    teacher_id.push_str(&format!(
                        "{}-T{:03}",
                        school.school_id,
                        rng.below(school.teachers as usize) + 1
                    ));
                    let comprehensive = false;
                    item_id.clear();
                    item_id.push_str(&format!(
                        "{semester}-{}-{:05}",
                        kind.as_str(),
                        rng.below(4000)
                    ));
                    let hours = hours(kind, &mut rng);
                    let item = (rng.unit() >= 0.05 * rate).then_some(item_id.as_str());
                    push(
                        &mut events,
                        schools,
                        school,
                        Some(teacher_id.as_str()),
                        date,
                        kind,
                        hours,
                        issuer,
                        item,
                        decision,
                        rule,
                        comprehensive,
                    );
                }
            }
        }
    }
    events
}

#[expect(clippy::too_many_arguments, reason = "one generated row")]
fn push(
    events: &mut Events,
    schools: &Schools,
    school: &School,
    teacher: Option<&str>,
    date: NaiveDate,
    kind: Kind,
    hours: f64,
    issuer: Option<IssuerKind>,
    item: Option<&str>,
    decision: Option<Decision>,
    rule: Option<&str>,
    comprehensive: bool,
) {
    let row = EventRef {
        school_id: &school.school_id,
        teacher_id: teacher,
        date,
        kind,
        hours,
        issuer,
        item_id: item,
        decision,
        rule,
        comprehensive,
    };
    // Generated rows are valid by construction.
    let _ = events.push(schools, row, |_| Location::source("demo"));
}
