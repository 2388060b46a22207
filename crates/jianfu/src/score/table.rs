//! Columnar inputs for scoring: schools (学校) and events (负担事件).
//!
//! Events are stored as typed columns with interned ids, so scoring is one pass over plain
//! arrays and bindings can hand over whole tables without a Python or JS object per row.

use rustc_hash::FxHashMap as HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location};
use crate::model::{Decision, IssuerKind, Kind};

/// Marks an absent optional id in an interned column.
pub const NONE: u32 = u32::MAX;

/// Urban or rural (城乡).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrbanRural {
    /// 城镇.
    Urban,
    /// 乡村.
    Rural,
}

/// School stage (学段).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 小学.
    Primary,
    /// 初中.
    Junior,
    /// 高中.
    Senior,
    /// 九年一贯制.
    NineYear,
    /// 完全中学.
    Complete,
}

/// Public or private (公民办).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    /// 公办.
    Public,
    /// 民办.
    Private,
}

macro_rules! str_enum {
    ($ty:ty, $($variant:ident => $s:literal),+ $(,)?) => {
        impl $ty {
            /// The identifier used in CSV and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $s),+ }
            }
        }
        impl std::str::FromStr for $ty {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s { $($s => Ok(Self::$variant),)+ _ => Err(()) }
            }
        }
    };
}

str_enum!(UrbanRural, Urban => "urban", Rural => "rural");
str_enum!(Stage, Primary => "primary", Junior => "junior", Senior => "senior", NineYear => "nine_year", Complete => "complete");
str_enum!(Ownership, Public => "public", Private => "private");

/// The stratum of a school: urban/rural × stage × public/private (`urban/primary/public`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Stratum {
    /// 城乡.
    pub urban_rural: UrbanRural,
    /// 学段.
    pub stage: Stage,
    /// 公民办.
    pub ownership: Ownership,
}

impl Stratum {
    /// The twelve strata the monitoring design expects: {urban, rural} × {primary, junior,
    /// senior} × {public, private}. Nine-year and complete schools form strata of their own
    /// when present.
    pub fn expected() -> Vec<Stratum> {
        let mut out = Vec::new();
        for urban_rural in [UrbanRural::Urban, UrbanRural::Rural] {
            for stage in [Stage::Primary, Stage::Junior, Stage::Senior] {
                for ownership in [Ownership::Public, Ownership::Private] {
                    out.push(Stratum {
                        urban_rural,
                        stage,
                        ownership,
                    });
                }
            }
        }
        out
    }

    /// `urban/primary/public`.
    pub fn key(self) -> String {
        format!(
            "{}/{}/{}",
            self.urban_rural.as_str(),
            self.stage.as_str(),
            self.ownership.as_str()
        )
    }
}

impl Serialize for Stratum {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.key())
    }
}

/// One school, as a row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct School {
    /// School id.
    pub school_id: String,
    /// Name.
    pub name: String,
    /// County (县区).
    pub county: String,
    /// 城乡.
    pub urban_rural: UrbanRural,
    /// 学段.
    pub stage: Stage,
    /// 公民办.
    pub ownership: Ownership,
    /// Number of teachers.
    pub teachers: u32,
    /// A monitoring sample point (样本点).
    #[serde(default)]
    pub sample_point: bool,
}

impl School {
    /// The school's stratum.
    pub fn stratum(&self) -> Stratum {
        Stratum {
            urban_rural: self.urban_rural,
            stage: self.stage,
            ownership: self.ownership,
        }
    }
}

/// The schools table, indexed by id.
#[derive(Debug, Clone, Default)]
pub struct Schools {
    rows: Vec<School>,
    index: HashMap<String, u32>,
}

impl Schools {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a school; a duplicate id or a school without teachers is an error.
    pub fn push(&mut self, school: School, location: Location) -> crate::Result<()> {
        if self.index.contains_key(&school.school_id) {
            return Err(Error::row(
                location.field("school_id"),
                format!("duplicate school `{}`", school.school_id),
            ));
        }
        if school.teachers == 0 {
            return Err(Error::row(
                location.field("teachers"),
                "a school needs at least one teacher",
            ));
        }
        let index =
            u32::try_from(self.rows.len()).map_err(|_| Error::row(location, "too many schools"))?;
        self.index.insert(school.school_id.clone(), index);
        self.rows.push(school);
        Ok(())
    }

    /// The schools, in input order.
    pub fn rows(&self) -> &[School] {
        &self.rows
    }

    /// Number of schools.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The index of a school id.
    pub fn position(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }

    /// A school by index.
    pub fn get(&self, index: u32) -> Option<&School> {
        self.rows.get(index as usize)
    }
}

/// One event, as a row (one piece of non-teaching work that reached a teacher or school).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// School id.
    pub school_id: String,
    /// Teacher id, when the work reached one teacher.
    #[serde(default)]
    pub teacher_id: Option<String>,
    /// Date.
    pub date: NaiveDate,
    /// Kind of work.
    pub kind: Kind,
    /// Teacher-hours spent.
    pub hours: f64,
    /// Kind of issuing body.
    #[serde(default)]
    pub issuer: Option<IssuerKind>,
    /// The item behind it.
    #[serde(default)]
    pub item_id: Option<String>,
    /// The item's verdict decision, when known.
    #[serde(default)]
    pub decision: Option<Decision>,
    /// The rule the item broke, when known.
    #[serde(default)]
    pub rule: Option<String>,
    /// A comprehensive supervision (综合督导), for the per-year cap.
    #[serde(default)]
    pub comprehensive: bool,
}

/// Interns strings to dense `u32` ids.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    names: Vec<String>,
    index: HashMap<String, u32>,
    last: u32,
}

impl Interner {
    /// The id of `name`, adding it if new.
    pub fn intern(&mut self, name: &str) -> u32 {
        // Rows usually come grouped (a school's teachers, an item's events): try the last id.
        if let Some(last) = self.names.get(self.last as usize) {
            if last == name {
                return self.last;
            }
        }
        if let Some(&id) = self.index.get(name) {
            self.last = id;
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(NONE - 1);
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), id);
        self.last = id;
        id
    }

    /// The name of an id.
    pub fn name(&self, id: u32) -> Option<&str> {
        self.names.get(id as usize).map(String::as_str)
    }

    /// The id of a name, if interned.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Events as typed columns. Build with [`Events::push`] or [`Events::from_columns`].
#[derive(Debug, Clone, Default)]
pub struct Events {
    /// School index (into [`Schools`]).
    pub school: Vec<u32>,
    /// Teacher id (interned in `teachers`), or [`NONE`].
    pub teacher: Vec<u32>,
    /// Day number (days since 0001-01-01, chrono's `num_days_from_ce`).
    pub day: Vec<i32>,
    /// Kind.
    pub kind: Vec<Kind>,
    /// Teacher-hours.
    pub hours: Vec<f32>,
    /// Issuer kind.
    pub issuer: Vec<Option<IssuerKind>>,
    /// Item id (interned in `items`), or [`NONE`].
    pub item: Vec<u32>,
    /// Verdict decision of the item.
    pub decision: Vec<Option<Decision>>,
    /// Rule id (interned in `rules`), or [`NONE`].
    pub rule: Vec<u32>,
    /// Comprehensive supervision flag.
    pub comprehensive: Vec<bool>,
    /// The school index of the last row pushed (rows usually come grouped by school).
    last_school: Option<u32>,
    /// Teacher ids.
    pub teachers: Interner,
    /// Item ids.
    pub items: Interner,
    /// Rule ids.
    pub rules: Interner,
}

/// One event's fields as borrowed values, for [`Events::push`].
#[derive(Debug, Clone, Copy)]
pub struct EventRef<'a> {
    /// School id.
    pub school_id: &'a str,
    /// Teacher id.
    pub teacher_id: Option<&'a str>,
    /// Date.
    pub date: NaiveDate,
    /// Kind.
    pub kind: Kind,
    /// Teacher-hours.
    pub hours: f64,
    /// Issuer kind.
    pub issuer: Option<IssuerKind>,
    /// Item id.
    pub item_id: Option<&'a str>,
    /// Decision.
    pub decision: Option<Decision>,
    /// Rule id.
    pub rule: Option<&'a str>,
    /// Comprehensive supervision.
    pub comprehensive: bool,
}

impl Events {
    /// Number of events.
    pub fn len(&self) -> usize {
        self.school.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.school.is_empty()
    }

    /// Appends an event. An unknown school or negative or non-finite hours is an error, and
    /// nothing is appended.
    pub fn push(
        &mut self,
        schools: &Schools,
        event: EventRef<'_>,
        location: impl Fn(&str) -> Location,
    ) -> crate::Result<()> {
        let cached = self.last_school.filter(|&s| {
            schools
                .get(s)
                .is_some_and(|r| r.school_id == event.school_id)
        });
        let Some(school) = cached.or_else(|| schools.position(event.school_id)) else {
            return Err(Error::row(
                location("school_id"),
                format!("unknown school `{}`", event.school_id),
            ));
        };
        if !event.hours.is_finite() || event.hours < 0.0 {
            return Err(Error::row(
                location("hours"),
                format!("hours must be a non-negative number, got {}", event.hours),
            ));
        }
        self.last_school = Some(school);
        self.school.push(school);
        self.teacher
            .push(blank(event.teacher_id).map_or(NONE, |t| self.teachers.intern(t)));
        self.day.push(day_number(event.date));
        self.kind.push(event.kind);
        self.hours.push(event.hours as f32);
        self.issuer.push(event.issuer);
        self.item
            .push(blank(event.item_id).map_or(NONE, |t| self.items.intern(t)));
        self.decision.push(event.decision);
        self.rule
            .push(blank(event.rule).map_or(NONE, |t| self.rules.intern(t)));
        self.comprehensive.push(event.comprehensive);
        Ok(())
    }

    /// Builds events from row structs; bad rows are returned as errors (named by index) and
    /// every other row is kept.
    pub fn from_rows(schools: &Schools, rows: &[Event], source: &str) -> (Self, Vec<Error>) {
        let mut events = Self::default();
        let mut errors = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let at = |field: &str| Location::source(source).field(format!("[{i}].{field}"));
            if let Err(e) = events.push(schools, row.as_ref(), at) {
                errors.push(e);
            }
        }
        (events, errors)
    }

    /// The date of event `i`.
    pub fn date(&self, i: usize) -> Option<NaiveDate> {
        self.day
            .get(i)
            .and_then(|d| NaiveDate::from_num_days_from_ce_opt(*d))
    }
}

impl Event {
    /// The row as borrowed values.
    pub fn as_ref(&self) -> EventRef<'_> {
        EventRef {
            school_id: &self.school_id,
            teacher_id: self.teacher_id.as_deref(),
            date: self.date,
            kind: self.kind,
            hours: self.hours,
            issuer: self.issuer,
            item_id: self.item_id.as_deref(),
            decision: self.decision,
            rule: self.rule.as_deref(),
            comprehensive: self.comprehensive,
        }
    }
}

/// `None` for an absent or blank id.
fn blank(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

/// The day number used in [`Events::day`].
pub fn day_number(date: NaiveDate) -> i32 {
    use chrono::Datelike;
    date.num_days_from_ce()
}
