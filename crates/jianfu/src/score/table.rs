//! Columnar inputs for scoring: schools (学校) and events (负担事件).
//!
//! Events are stored as typed columns with interned ids, so scoring is one pass over plain
//! arrays and bindings can hand over whole tables without a Python or JS object per row.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxHashMap as HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location};
use crate::model::{Decision, IssuerKind, Kind};
use crate::parallel::Threads;

/// Marks an absent optional id in an interned column.
pub const NONE: u32 = u32::MAX;

/// Urban or rural (城乡).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UrbanRural {
    /// 城镇.
    Urban,
    /// 乡村.
    Rural,
}

/// School stage (学段).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    /// 公办.
    Public,
    /// 民办.
    Private,
}

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

impl Stratum {
    /// The stratum in Chinese: `城镇·小学·公办`.
    pub fn zh(self) -> String {
        format!(
            "{}·{}·{}",
            self.urban_rural.zh(),
            self.stage.zh(),
            self.ownership.zh()
        )
    }

    /// Reads a key (`urban/primary/public`), as [`Stratum::key`] writes it.
    pub fn from_key(key: &str) -> Option<Stratum> {
        use crate::model::Term;
        let mut parts = key.split('/');
        let stratum = Stratum {
            urban_rural: UrbanRural::parse(parts.next()?)?,
            stage: Stage::parse(parts.next()?)?,
            ownership: Ownership::parse(parts.next()?)?,
        };
        parts.next().is_none().then_some(stratum)
    }
}

/// A stratum key (`urban/primary/public`) in Chinese (`城镇·小学·公办`); the key itself when
/// it is not one.
pub fn stratum_zh(key: &str) -> String {
    Stratum::from_key(key).map_or_else(|| key.to_string(), Stratum::zh)
}

impl Serialize for Stratum {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.key())
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Stratum {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Stratum".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[a-z_]+/[a-z_]+/[a-z_]+$",
            "description": "城乡/学段/公民办 (urban_rural/stage/ownership), e.g. urban/primary/public"
        })
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

    /// Adds a school (its id trimmed); a blank or duplicate id or a school without teachers is
    /// an error.
    pub fn push(&mut self, mut school: School, location: Location) -> crate::Result<()> {
        // Ids are trimmed, as every reader trims them (fixed-width exports pad with spaces).
        if school.school_id.trim().len() != school.school_id.len() {
            school.school_id = school.school_id.trim().to_owned();
        }
        if school.school_id.is_empty() {
            return Err(Error::row(
                location.field("school_id"),
                super::reason::required("school_id"),
            ));
        }
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
///
/// Names live end to end in one buffer and the hash table holds only their ids, so a city's
/// ~40 k teacher or item ids stay in cache; a `HashMap<String, u32>` chases a pointer to a
/// separate heap string on every lookup, which made interning most of the ingestion time.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    /// Every name, end to end.
    text: String,
    /// Where name `id` ends in `text` (it starts where the previous one ends).
    ends: Vec<usize>,
    /// Ids with where their names lie, hashed by name.
    table: HashTable<Slot>,
    /// The id returned last and its name's hash: rows usually come grouped (a school's
    /// teachers, an item's events); comparing hashes first keeps a miss from costing a
    /// string comparison.
    last: (u32, u64),
}

/// An [`Interner`] table entry: the id and where its name lies in `text`, so a lookup reads
/// the entry and the name, not `ends` in between (a city's item ids outgrow the core's cache,
/// and each read there is a wait on memory).
#[derive(Debug, Clone, Copy)]
struct Slot {
    id: u32,
    /// The name's length in bytes; [`u32::MAX`] for a longer one, read from `ends` instead.
    len: u32,
    start: usize,
}

impl Slot {
    fn name<'t>(self, text: &'t str, ends: &[usize]) -> Option<&'t str> {
        if self.len == u32::MAX {
            return slice(text, ends, self.id);
        }
        text.get(self.start..self.start + self.len as usize)
    }
}

/// The hash of a name in [`Interner`].
fn name_hash(name: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(name)
}

/// Name `id` of an interner's `text` and `ends`.
fn slice<'t>(text: &'t str, ends: &[usize], id: u32) -> Option<&'t str> {
    let end = *ends.get(id as usize)?;
    let start = match id.checked_sub(1) {
        Some(previous) => *ends.get(previous as usize)?,
        None => 0,
    };
    text.get(start..end)
}

impl Interner {
    /// The id of `name`, adding it if new.
    pub fn intern(&mut self, name: &str) -> u32 {
        let hash = name_hash(name);
        if self.last.1 == hash && self.name(self.last.0) == Some(name) {
            return self.last.0;
        }
        let Self {
            text, ends, table, ..
        } = self;
        let entry = table.entry(
            hash,
            |slot| slot.name(text, ends) == Some(name),
            |slot| name_hash(slot.name(text, ends).unwrap_or_default()),
        );
        let id = match entry {
            hashbrown::hash_table::Entry::Occupied(found) => found.get().id,
            hashbrown::hash_table::Entry::Vacant(vacant) => {
                let id = u32::try_from(ends.len()).unwrap_or(NONE - 1);
                let slot = Slot {
                    id,
                    len: u32::try_from(name.len()).unwrap_or(u32::MAX),
                    start: text.len(),
                };
                text.push_str(name);
                ends.push(text.len());
                vacant.insert(slot);
                id
            }
        };
        self.last = (id, hash);
        id
    }

    /// The name of an id.
    pub fn name(&self, id: u32) -> Option<&str> {
        slice(&self.text, &self.ends, id)
    }

    /// The id of a name, if interned.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.table
            .find(name_hash(name), |slot| {
                slot.name(&self.text, &self.ends) == Some(name)
            })
            .map(|slot| slot.id)
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// Events as typed columns. Build with [`Events::push`], [`Events::push_ids`] or
/// [`Events::from_rows`].
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

/// One event with its ids resolved, for [`Events::push_ids`].
#[derive(Debug, Clone, Copy)]
pub struct EventIds {
    /// School index (into [`Schools`]).
    pub school: u32,
    /// Teacher id interned in [`Events::teachers`], or [`NONE`].
    pub teacher: u32,
    /// Day number ([`day_number`]).
    pub day: i32,
    /// Kind.
    pub kind: Kind,
    /// Teacher-hours.
    pub hours: f64,
    /// Issuer kind.
    pub issuer: Option<IssuerKind>,
    /// Item id interned in [`Events::items`], or [`NONE`].
    pub item: u32,
    /// Decision.
    pub decision: Option<Decision>,
    /// Rule id interned in [`Events::rules`], or [`NONE`].
    pub rule: u32,
    /// Comprehensive supervision.
    pub comprehensive: bool,
}

/// An id column of a table with the names its ids stand for.
type IdColumn = fn(&Events) -> (&Interner, &[u32]);

/// The id in `into` of each of `from`'s names, interning those `into` lacks, in `from`'s order.
fn remap(from: &Interner, into: &mut Interner) -> Vec<u32> {
    (0..from.len())
        .map(|id| into.intern(from.name(id as u32).unwrap_or_default()))
        .collect()
}

/// Appends `ids` to `into`, each through `table`; [`NONE`], and an id `table` has no entry
/// for, become [`NONE`] (the readers intern every id they give, so no id lacks one).
fn mapped(into: &mut Vec<u32>, ids: &[u32], table: &[u32]) {
    into.extend(ids.iter().map(|&id| {
        if id == NONE {
            NONE
        } else {
            table.get(id as usize).copied().unwrap_or(NONE)
        }
    }));
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

    /// Room for `n` more events in every column (one allocation each, not a doubling series).
    pub fn reserve(&mut self, n: usize) {
        self.teacher.reserve(n);
        self.item.reserve(n);
        self.rule.reserve(n);
        self.reserve_plain(n);
    }

    /// Room for `n` more events in the columns other than the interned ids.
    fn reserve_plain(&mut self, n: usize) {
        self.school.reserve(n);
        self.day.reserve(n);
        self.kind.reserve(n);
        self.hours.reserve(n);
        self.issuer.reserve(n);
        self.decision.reserve(n);
        self.comprehensive.reserve(n);
    }

    /// The index of a school id (trimmed), trying the school of the last row first (rows
    /// usually come grouped by school); an unknown school is a `row.invalid` error at
    /// `location`.
    pub fn school_index(
        &self,
        schools: &Schools,
        school_id: &str,
        location: impl FnOnce() -> Location,
    ) -> crate::Result<u32> {
        let school_id = school_id.trim();
        let cached = self
            .last_school
            .filter(|&s| schools.get(s).is_some_and(|r| r.school_id == school_id));
        cached
            .or_else(|| schools.position(school_id))
            .ok_or_else(|| Error::row(location(), super::reason::unknown_school(school_id)))
    }

    /// Appends an event. An unknown school or negative or non-finite hours is an error, and
    /// nothing is appended.
    pub fn push(
        &mut self,
        schools: &Schools,
        event: EventRef<'_>,
        location: impl Fn(&str) -> Location,
    ) -> crate::Result<()> {
        let mut ids = self.uninterned(schools, &event, &location)?;
        // Checked before interning, so a rejected row leaves no name behind.
        check_hours(event.hours, || location("hours"))?;
        ids.teacher = blank(event.teacher_id).map_or(NONE, |t| self.teachers.intern(t));
        ids.item = blank(event.item_id).map_or(NONE, |t| self.items.intern(t));
        ids.rule = blank(event.rule).map_or(NONE, |t| self.rules.intern(t));
        self.push_ids(schools, ids, location)
    }

    /// [`Events::push`] without interning: the row is checked and appended with its teacher,
    /// item and rule left [`NONE`], for a reader that interns them afterwards a column at a
    /// time (one hash table in cache at a time, lookups in a tight loop) in the order of the
    /// rows, which gives every id the number [`Events::push`] would have.
    #[cfg(feature = "tables")]
    pub(crate) fn push_uninterned(
        &mut self,
        schools: &Schools,
        event: EventRef<'_>,
        location: impl Fn(&str) -> Location,
    ) -> crate::Result<()> {
        let ids = self.uninterned(schools, &event, &location)?;
        self.push_ids(schools, ids, location)
    }

    /// An event's fields with its school resolved and its teacher, item and rule [`NONE`].
    fn uninterned(
        &self,
        schools: &Schools,
        event: &EventRef<'_>,
        location: impl Fn(&str) -> Location,
    ) -> crate::Result<EventIds> {
        Ok(EventIds {
            school: self.school_index(schools, event.school_id, || location("school_id"))?,
            teacher: NONE,
            day: day_number(event.date),
            kind: event.kind,
            hours: event.hours,
            issuer: event.issuer,
            item: NONE,
            decision: event.decision,
            rule: NONE,
            comprehensive: event.comprehensive,
        })
    }

    /// Appends an event whose ids are already resolved: bindings reading dictionary-encoded
    /// columns resolve each distinct id once ([`Events::school_index`], [`Interner::intern`]
    /// on this table's interners) instead of once per row. A school index out of range, an id
    /// not interned here, or negative or non-finite hours is an error, and nothing is appended.
    pub fn push_ids(
        &mut self,
        schools: &Schools,
        event: EventIds,
        location: impl Fn(&str) -> Location,
    ) -> crate::Result<()> {
        self.check_ids(schools, &event, location)?;
        self.push_checked(event);
        Ok(())
    }

    /// Appends `event`, which [`Events::check_ids`] has passed with its ids as they are now
    /// (a reader that checks a row before interning its ids appends it without a second
    /// check: interned ids are in range by construction).
    pub(crate) fn push_checked(&mut self, event: EventIds) {
        self.last_school = Some(event.school);
        self.school.push(event.school);
        self.teacher.push(event.teacher);
        self.day.push(event.day);
        self.kind.push(event.kind);
        self.hours.push(event.hours as f32);
        self.issuer.push(event.issuer);
        self.item.push(event.item);
        self.decision.push(event.decision);
        self.rule.push(event.rule);
        self.comprehensive.push(event.comprehensive);
    }

    /// What [`Events::push_ids`] checks, without appending: a reader can check a row before it
    /// interns the row's ids, so a rejected row leaves no names behind (teachers are listed
    /// in order of first appearance among the rows kept).
    pub fn check_ids(
        &self,
        schools: &Schools,
        event: &EventIds,
        location: impl Fn(&str) -> Location,
    ) -> crate::Result<()> {
        if schools.get(event.school).is_none() {
            return Err(Error::row(
                location("school_id"),
                format!("no school at index {}", event.school),
            ));
        }
        for (id, interner, field) in [
            (event.teacher, &self.teachers, "teacher_id"),
            (event.item, &self.items, "item_id"),
            (event.rule, &self.rules, "rule"),
        ] {
            if id != NONE && id as usize >= interner.len() {
                return Err(Error::row(
                    location(field),
                    format!("id {id} is not interned"),
                ));
            }
        }
        check_hours(event.hours, || location("hours"))
    }

    /// Appends every event of `other` (a table read from the next part of the same input),
    /// re-interning its ids here (an empty table takes `other` as it is): the result is the
    /// table one reader of the whole input would have built, ids and their order included.
    pub fn append(&mut self, other: Events) {
        // Into an empty table the ids keep their numbers: nothing to re-intern.
        if self.is_empty()
            && self.teachers.is_empty()
            && self.items.is_empty()
            && self.rules.is_empty()
        {
            *self = other;
            return;
        }
        let teachers = remap(&other.teachers, &mut self.teachers);
        let items = remap(&other.items, &mut self.items);
        let rules = remap(&other.rules, &mut self.rules);
        mapped(&mut self.teacher, &other.teacher, &teachers);
        mapped(&mut self.item, &other.item, &items);
        mapped(&mut self.rule, &other.rule, &rules);
        self.extend_plain(other);
    }

    /// The tables joined in order: what appending each in turn to an empty table gives, with
    /// the teacher, item and rule columns joined at once on `threads` (each re-interns its
    /// names part by part, as `append` does, so ids and their order are the same).
    pub fn concat(mut parts: Vec<Events>, threads: Threads) -> Events {
        if parts.len() < 2 {
            return parts.pop().unwrap_or_default();
        }
        let rows = parts.iter().map(Events::len).sum();
        let columns: [IdColumn; 3] = [
            |e| (&e.teachers, &e.teacher),
            |e| (&e.items, &e.item),
            |e| (&e.rules, &e.rule),
        ];
        let joined = threads.map(&columns, |column| {
            let mut names = Interner::default();
            let mut ids = Vec::with_capacity(rows);
            for part in &parts {
                let (from, part_ids) = column(part);
                let table = remap(from, &mut names);
                mapped(&mut ids, part_ids, &table);
            }
            (names, ids)
        });
        let mut table = Events::default();
        table.reserve_plain(rows);
        // `map` gives one result a column, in the columns' order.
        let into = [
            (&mut table.teachers, &mut table.teacher),
            (&mut table.items, &mut table.item),
            (&mut table.rules, &mut table.rule),
        ];
        for ((names, ids), (into_names, into_ids)) in joined.into_iter().zip(into) {
            *into_names = names;
            *into_ids = ids;
        }
        for part in parts {
            table.extend_plain(part);
        }
        table
    }

    /// Appends `other`'s columns other than the interned ids.
    fn extend_plain(&mut self, other: Events) {
        self.school.extend(other.school);
        self.day.extend(other.day);
        self.kind.extend(other.kind);
        self.hours.extend(other.hours);
        self.issuer.extend(other.issuer);
        self.decision.extend(other.decision);
        self.comprehensive.extend(other.comprehensive);
        self.last_school = other.last_school.or(self.last_school);
    }

    /// Event `i` with its ids as the strings they stand for (the school's id from `schools`).
    pub fn row<'a>(&'a self, i: usize, schools: &'a Schools) -> Option<EventRef<'a>> {
        let id = |column: &[u32], names: &'a Interner| column.get(i).and_then(|&id| names.name(id));
        Some(EventRef {
            school_id: schools.get(*self.school.get(i)?)?.school_id.as_str(),
            teacher_id: id(&self.teacher, &self.teachers),
            date: self.date(i)?,
            kind: *self.kind.get(i)?,
            hours: f64::from(*self.hours.get(i)?),
            issuer: *self.issuer.get(i)?,
            item_id: id(&self.item, &self.items),
            decision: *self.decision.get(i)?,
            rule: id(&self.rule, &self.rules),
            comprehensive: *self.comprehensive.get(i)?,
        })
    }

    /// The events as row structs, ids as strings: what [`Events::from_rows`] reads back into
    /// the same table (a worker's share of rows, a test's input).
    pub fn to_rows(&self, schools: &Schools) -> Vec<Event> {
        (0..self.len())
            .filter_map(|i| self.row(i, schools))
            .map(|r| Event {
                school_id: r.school_id.to_owned(),
                teacher_id: r.teacher_id.map(str::to_owned),
                date: r.date,
                kind: r.kind,
                hours: r.hours,
                issuer: r.issuer,
                item_id: r.item_id.map(str::to_owned),
                decision: r.decision,
                rule: r.rule.map(str::to_owned),
                comprehensive: r.comprehensive,
            })
            .collect()
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

/// Hours must be a finite, non-negative number within the limit (`event_hours_max`).
fn check_hours(hours: f64, location: impl FnOnce() -> Location) -> crate::Result<()> {
    let max = crate::limits::Limits::get().event_hours_max;
    if hours.is_finite() && hours >= 0.0 && hours <= max {
        Ok(())
    } else {
        Err(Error::row(
            location(),
            format!("hours must be a number from 0 to {max} (limit event_hours_max), got {hours}"),
        ))
    }
}

/// An id trimmed, or `None` when absent or blank: every reader trims ids, and an id of only
/// whitespace counts as absent.
pub fn blank(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// The day number used in [`Events::day`].
pub fn day_number(date: NaiveDate) -> i32 {
    use chrono::Datelike;
    date.num_days_from_ce()
}
