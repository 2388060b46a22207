//! The school calendar (校历): semesters and their monitoring halves, weekends, statutory
//! holidays with make-up working days, vacations and exam weeks.
//!
//! A calendar is data (a TOML file per jurisdiction). Periods have stable ids: a semester is
//! `2026-spring` or `2025-autumn` (the year it starts in), a monitoring half is
//! `2026-spring-1` / `2026-spring-2`.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location};
use crate::model::{DayType, Text};

/// The embedded default calendar (Henan).
pub const EMBEDDED: (&str, &str) = ("henan.toml", include_str!("../../calendars/henan.toml"));

/// A validated school calendar.
#[derive(Debug, Clone, Serialize)]
pub struct Calendar {
    /// Calendar id.
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Data version.
    pub version: String,
    /// From this day on, the data follow the national holiday pattern, not a published
    /// notice (暂定): periods that reach it are marked provisional in every report.
    #[serde(
        deserialize_with = "crate::model::date::iso_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub provisional_from: Option<NaiveDate>,
    semesters: Vec<Semester>,
    holidays: Vec<Range>,
    workdays: Vec<NaiveDate>,
    exam_weeks: Vec<Range>,
}

/// A semester (学期).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Semester {
    /// `2026-spring`.
    pub id: String,
    /// First day.
    #[serde(deserialize_with = "crate::model::date::iso")]
    pub start: NaiveDate,
    /// Last day.
    #[serde(deserialize_with = "crate::model::date::iso")]
    pub end: NaiveDate,
    /// First day of the second half.
    #[serde(deserialize_with = "crate::model::date::iso")]
    pub split: NaiveDate,
}

/// A monitoring period: one half of a semester (半学期).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Period {
    /// `2026-spring-1`.
    pub id: String,
    /// First day.
    #[serde(deserialize_with = "crate::model::date::iso")]
    pub start: NaiveDate,
    /// Last day (inclusive).
    #[serde(deserialize_with = "crate::model::date::iso")]
    pub end: NaiveDate,
    /// The semester's id.
    pub semester: String,
    /// School days (working days that are not holidays) in the period.
    pub school_days: u32,
    /// The period reaches calendar data that is provisional (暂定: the year's official
    /// holiday notice or school calendar was not yet out when the data were entered).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
}

impl Period {
    /// School weeks in the period (school days / 5), the unit the burden index is per.
    pub fn weeks(&self) -> f64 {
        f64::from(self.school_days) / 5.0
    }

    /// Refuses a period with no school days (holidays or vacation cover it all): the burden
    /// index is per school week and would read 0 for every school, all green.
    pub fn check_school_days(&self, calendar: &str) -> crate::Result<()> {
        if self.school_days > 0 {
            return Ok(());
        }
        Err(Error::InvalidArgument {
            name: "period".to_string(),
            value: self.id.clone(),
            expected: format!(
                "a period with school days (calendar `{calendar}` has none from {} to {})",
                self.start, self.end
            ),
        })
    }

    /// Whether `date` falls in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// A named date range (holiday, exam week), inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Name.
    pub name: String,
    /// First day.
    #[serde(deserialize_with = "crate::model::date::iso")]
    pub from: NaiveDate,
    /// Last day.
    #[serde(deserialize_with = "crate::model::date::iso")]
    pub to: NaiveDate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    calendar: Header,
    semesters: Vec<SemesterDef>,
    #[serde(default)]
    holidays: Vec<Range>,
    #[serde(default)]
    workdays: Vec<Workday>,
    #[serde(default)]
    exam_weeks: Vec<Range>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    id: String,
    name: Text,
    version: String,
    #[serde(deserialize_with = "crate::model::date::iso_opt", default)]
    provisional_from: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SemesterDef {
    id: String,
    #[serde(deserialize_with = "crate::model::date::iso")]
    start: NaiveDate,
    #[serde(deserialize_with = "crate::model::date::iso")]
    end: NaiveDate,
    #[serde(deserialize_with = "crate::model::date::iso_opt", default)]
    split: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Workday {
    #[serde(deserialize_with = "crate::model::date::iso")]
    date: NaiveDate,
    #[expect(dead_code, reason = "documents the file; not used in computation")]
    name: String,
}

impl Calendar {
    /// The embedded Henan calendar.
    pub fn embedded() -> crate::Result<Self> {
        Self::from_toml(EMBEDDED.0, EMBEDDED.1)
    }

    /// Loads and validates a calendar file.
    pub fn from_toml(source: &str, text: &str) -> crate::Result<Self> {
        let file: File =
            toml::from_str(text).map_err(|e| crate::rules::syntax_error(source, text, &e))?;
        let at = |field: String| Location::source(source).field(field);
        let mut semesters: Vec<Semester> = Vec::new();
        for def in file.semesters {
            let field = format!("semesters[{}]", def.id);
            if def.end < def.start {
                return Err(Error::invalid(at(field), "`end` is before `start`"));
            }
            if semesters.last().is_some_and(|prev| prev.end >= def.start) {
                return Err(Error::invalid(
                    at(field),
                    "semesters must be in order and must not overlap",
                ));
            }
            if semesters.iter().any(|s| s.id == def.id) {
                return Err(Error::invalid(at(field), "duplicate semester id"));
            }
            let split = match def.split {
                Some(split) if split <= def.start || split > def.end => {
                    return Err(Error::invalid(
                        at(format!("{field}.split")),
                        "`split` must fall inside the semester",
                    ));
                }
                Some(split) => split,
                None => {
                    def.start
                        + chrono::Duration::days(((def.end - def.start).num_days() + 1) / 14 * 7)
                }
            };
            semesters.push(Semester {
                id: def.id,
                start: def.start,
                end: def.end,
                split,
            });
        }
        for (i, range) in file.holidays.iter().chain(&file.exam_weeks).enumerate() {
            if range.to < range.from {
                return Err(Error::invalid(
                    at(format!("ranges[{i}] `{}`", range.name)),
                    "`to` is before `from`",
                ));
            }
        }
        let mut workdays: Vec<NaiveDate> = file.workdays.iter().map(|w| w.date).collect();
        workdays.sort();
        Ok(Self {
            id: file.calendar.id,
            name: file.calendar.name,
            version: file.calendar.version,
            provisional_from: file.calendar.provisional_from,
            semesters,
            holidays: file.holidays,
            workdays,
            exam_weeks: file.exam_weeks,
        })
    }

    /// The semesters, in order.
    pub fn semesters(&self) -> &[Semester] {
        &self.semesters
    }

    /// What kind of day `date` is: a statutory holiday, a make-up working day (a school day),
    /// a weekend, a vacation day (outside every semester) or a school day.
    ///
    /// ```
    /// use jianfu::{Calendar, parse_date, model::DayType};
    ///
    /// let calendar = Calendar::embedded()?; // Henan's school calendar
    /// assert_eq!(calendar.day_type(parse_date("2026-03-07")?), DayType::Weekend);
    /// assert_eq!(calendar.day_type(parse_date("2026-03-09")?), DayType::SchoolDay);
    /// assert_eq!(calendar.period("2026-spring-1")?.id, "2026-spring-1");
    /// # Ok::<(), jianfu::Error>(())
    /// ```
    pub fn day_type(&self, date: NaiveDate) -> DayType {
        if self.holidays.iter().any(|h| h.from <= date && date <= h.to) {
            return DayType::Holiday;
        }
        let in_semester = self.semester_of(date).is_some();
        if !in_semester {
            return DayType::Vacation;
        }
        if self.workdays.binary_search(&date).is_ok() {
            return DayType::SchoolDay;
        }
        match date.weekday() {
            Weekday::Sat | Weekday::Sun => DayType::Weekend,
            _ => DayType::SchoolDay,
        }
    }

    /// Whether any day of `[from, to]` falls in an exam week.
    pub fn in_exam_weeks(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.exam_weeks.iter().any(|w| w.from <= to && from <= w.to)
    }

    /// The semester whose dates include `date`.
    pub fn semester_of(&self, date: NaiveDate) -> Option<&Semester> {
        self.semesters
            .iter()
            .find(|s| s.start <= date && date <= s.end)
    }

    /// The semester `date` counts towards for per-semester caps: the last one that started on
    /// or before it (a vacation counts with the semester before it).
    pub fn semester_bucket(&self, date: NaiveDate) -> Option<&Semester> {
        let next = self
            .semesters
            .iter()
            .position(|s| s.start > date)
            .unwrap_or(self.semesters.len());
        let candidate = next.checked_sub(1).and_then(|i| self.semesters.get(i))?;
        // Beyond the calendar's last semester plus a vacation's length, the calendar is silent.
        (date <= candidate.end + chrono::Duration::days(92)).then_some(candidate)
    }

    /// Every monitoring period, in order.
    pub fn periods(&self) -> Vec<Period> {
        self.semesters
            .iter()
            .flat_map(|s| {
                let first_end = s.split.pred_opt().unwrap_or(s.split);
                [(1, s.start, first_end), (2, s.split, s.end)].map(|(half, start, end)| Period {
                    id: format!("{}-{half}", s.id),
                    start,
                    end,
                    semester: s.id.clone(),
                    school_days: self.school_days(start, end),
                    provisional: self.provisional_from.is_some_and(|from| end >= from),
                })
            })
            .collect()
    }

    /// Every semester as one monitoring period (半年: the half-year cadence), in order; ids
    /// are the semesters' (`2026-spring`).
    pub fn semester_periods(&self) -> Vec<Period> {
        self.semesters
            .iter()
            .map(|s| Period {
                id: s.id.clone(),
                start: s.start,
                end: s.end,
                semester: s.id.clone(),
                school_days: self.school_days(s.start, s.end),
                provisional: self.provisional_from.is_some_and(|from| s.end >= from),
            })
            .collect()
    }

    /// The periods of the same cadence as `period`: halves for a half, semesters for a
    /// semester.
    pub fn periods_like(&self, period: &Period) -> Vec<Period> {
        if period.id == period.semester {
            self.semester_periods()
        } else {
            self.periods()
        }
    }

    /// The period with this id: a half-semester (`2026-spring-1`) or a whole semester, the
    /// half-year cadence (`2026-spring`).
    pub fn period(&self, id: &str) -> crate::Result<Period> {
        self.periods()
            .into_iter()
            .chain(self.semester_periods())
            .find(|p| p.id == id)
            .ok_or_else(|| self.unknown_period(id))
    }

    /// The error for a period the calendar lacks, naming what it covers.
    pub(crate) fn unknown_period(&self, id: &str) -> Error {
        let periods = self.periods();
        let span = |p: Option<&Period>| p.map(|p| p.id.clone()).unwrap_or_default();
        Error::UnknownPeriod {
            id: id.to_string(),
            calendar: self.id.clone(),
            first: span(periods.first()),
            last: span(periods.last()),
        }
    }

    /// The period containing `date`.
    pub fn period_of(&self, date: NaiveDate) -> Option<Period> {
        self.periods().into_iter().find(|p| p.contains(date))
    }

    /// The period before `period` of the same cadence, if the calendar has one.
    pub fn previous(&self, period: &Period) -> Option<Period> {
        let periods = self.periods_like(period);
        let index = periods.iter().position(|p| p.id == period.id)?;
        index.checked_sub(1).and_then(|i| periods.get(i)).cloned()
    }

    fn school_days(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| self.day_type(*d) == DayType::SchoolDay)
            .count() as u32
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;

    fn date(s: &str) -> NaiveDate {
        crate::parse_date(s).unwrap()
    }

    #[test]
    fn day_types_follow_holidays_make_up_days_and_vacations() {
        let cal = Calendar::embedded().unwrap();
        assert_eq!(cal.day_type(date("2026-10-01")), DayType::Holiday);
        assert_eq!(
            cal.day_type(date("2026-10-10")),
            DayType::SchoolDay,
            "Saturday make-up day"
        );
        assert_eq!(cal.day_type(date("2026-10-17")), DayType::Weekend);
        assert_eq!(cal.day_type(date("2026-08-10")), DayType::Vacation);
        assert_eq!(cal.day_type(date("2026-03-02")), DayType::SchoolDay);
    }

    #[test]
    fn periods_have_stable_ids_and_split_semesters_in_two() {
        let cal = Calendar::embedded().unwrap();
        let p = cal.period("2026-spring-1").unwrap();
        assert_eq!(p.start, date("2026-03-02"));
        let second = cal.period("2026-spring-2").unwrap();
        assert_eq!(p.end.succ_opt().unwrap(), second.start);
        assert_eq!(second.end, date("2026-07-10"));
        assert_eq!(cal.previous(&p).unwrap().id, "2025-autumn-2");
        assert!(cal.period("2030-spring-1").is_err());
    }

    #[test]
    fn a_period_without_school_days_is_refused() {
        let text = r#"
[calendar]
id = "closed"
name = { zh = "全停课", en = "All holidays" }
version = "1"

[[semesters]]
id = "2026-spring"
start = "2026-03-02"
end = "2026-07-10"
split = "2026-05-04"

[[holidays]]
name = "停课"
from = "2026-03-02"
to = "2026-05-03"
"#;
        let cal = Calendar::from_toml("closed.toml", text).unwrap();
        let first = cal.period("2026-spring-1").unwrap();
        assert_eq!(first.school_days, 0);
        let e = first.check_school_days(&cal.id).unwrap_err();
        assert_eq!(e.code(), "argument.invalid");
        assert!(e.to_string().contains("2026-spring-1"), "{e}");
        assert!(
            cal.period("2026-spring-2")
                .unwrap()
                .check_school_days(&cal.id)
                .is_ok()
        );
    }

    #[test]
    fn data_past_the_published_notices_is_provisional_and_missing_years_say_how_to_add_them() {
        let cal = Calendar::embedded().unwrap();
        assert!(!cal.period("2026-spring-2").unwrap().provisional);
        // 2026-autumn-2 runs into January 2027, past the published arrangement.
        assert!(cal.period("2026-autumn-2").unwrap().provisional);
        let p = cal.period("2027-spring-1").unwrap();
        assert!(p.provisional);
        assert_eq!(cal.day_type(date("2027-10-04")), DayType::Holiday);
        let e = cal.period("2028-spring-1").unwrap_err().to_string();
        assert!(
            e.contains("2028-spring-1") && e.contains("2027-autumn-2"),
            "{e}"
        );
        assert!(
            e.contains("[[semesters]]") && e.contains("--calendar"),
            "{e}"
        );
    }
}
