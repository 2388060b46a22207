//! The register grouped by what the counting tests compare (学校 × 学期或年度 × 类别), built
//! once for a batch: an item's count is then a lookup, so a plan of n entries is checked in
//! O(n) instead of comparing every entry with every other.

use std::collections::{BTreeSet, HashMap};

use chrono::Datelike;

use super::register::{is_comprehensive, semester};
use crate::calendar::Calendar;
use crate::model::{Item, Kind, Register};
use crate::rules::{RegisterCheck, Ruleset};

/// What a counting test compares, besides the school.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Key<'r> {
    /// Campus entries in a semester (`2026-spring`).
    Semester(String),
    /// Comprehensive supervisions in a year.
    Year(i32),
    /// Entries of one whitelist item in a year.
    Whitelist(&'r str, i32),
    /// Items of one kind in a year.
    KindYear(Kind, i32),
}

/// The register items under one key at one school, in register order.
#[derive(Debug, Default)]
pub(crate) struct Bucket<'r> {
    pub ids: Vec<&'r str>,
    times: HashMap<&'r str, usize>,
}

impl Bucket<'_> {
    /// How many items of the bucket are not `id` (an item is not counted against itself).
    pub fn others(&self, id: &str) -> usize {
        self.ids.len() - self.times.get(id).copied().unwrap_or(0)
    }
}

/// The register's items by (test, school, key), and its inspections by topic.
#[derive(Debug, Default)]
pub(crate) struct RegisterIndex<'r> {
    buckets: HashMap<(RegisterCheck, &'r str, Key<'r>), Bucket<'r>>,
    topics: HashMap<&'r str, Vec<TopicGroup<'r>>>,
    /// Which plans list which item.
    pub listing: crate::process::plan::Listing<'r>,
}

/// Inspections of one topic with the same start year and the same set of schools: plans
/// repeat a few school sets, so a query visits a few groups, not every inspection.
#[derive(Debug)]
struct TopicGroup<'r> {
    year: Option<i32>,
    schools: Vec<String>,
    /// (register position, id).
    members: Vec<(usize, &'r str)>,
    times: HashMap<&'r str, usize>,
}

/// The counting tests the index serves.
const COUNTING: [RegisterCheck; 4] = [
    RegisterCheck::CampusEntriesPerSemester,
    RegisterCheck::ComprehensivePerYear,
    RegisterCheck::WhitelistItemPerSchoolYear,
    RegisterCheck::SameKindPerSchoolYear,
];

impl<'r> RegisterIndex<'r> {
    /// Groups `register`'s items; `calendar` and `ruleset` say which semester a date is in.
    pub fn new(register: &'r Register, calendar: &Calendar, ruleset: &Ruleset) -> Self {
        let mut index = Self {
            listing: crate::process::plan::Listing::new(register),
            ..Self::default()
        };
        let mut group_of: HashMap<(&str, Option<i32>, Vec<String>), usize> = HashMap::new();
        for (at, other) in register.items.iter().enumerate() {
            let topic = other.inspection.as_ref().and_then(|i| i.topic.as_deref());
            if let (Kind::Inspection, Some(topic)) = (other.kind, topic) {
                let year = other.start.map(|d| d.year());
                let schools: Vec<String> = other
                    .schools
                    .iter()
                    .cloned()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let groups = index.topics.entry(topic).or_default();
                let n = *group_of
                    .entry((topic, year, schools.clone()))
                    .or_insert_with(|| {
                        groups.push(TopicGroup {
                            year,
                            schools,
                            members: Vec::new(),
                            times: HashMap::new(),
                        });
                        groups.len() - 1
                    });
                if let Some(group) = groups.get_mut(n) {
                    group.members.push((at, other.id.as_str()));
                    *group.times.entry(other.id.as_str()).or_default() += 1;
                }
            }
            // A school listed twice still counts the item once.
            let schools: BTreeSet<&str> = other.schools.iter().map(String::as_str).collect();
            for check in COUNTING {
                let Some(key) = key_of(check, other, calendar, ruleset) else {
                    continue;
                };
                for school in &schools {
                    let bucket = index
                        .buckets
                        .entry((check, school, key.clone()))
                        .or_default();
                    bucket.ids.push(other.id.as_str());
                    *bucket.times.entry(other.id.as_str()).or_default() += 1;
                }
            }
        }
        index
    }

    /// The inspections of `topic` (in `year`, any year when `None`) that `item` could be
    /// merged with: how many, and the first `max` ids in register order.
    pub fn same_type<'s>(
        &'s self,
        item: &Item,
        topic: &str,
        year: Option<i32>,
        max: usize,
    ) -> (usize, Vec<&'s str>) {
        let (mut total, mut first) = (0usize, Vec::new());
        for group in self.topics.get(topic).into_iter().flatten() {
            if year.is_some_and(|y| group.year != Some(y))
                || !super::register::schools_meet(&item.schools, &group.schools)
            {
                continue;
            }
            total += group.members.len() - group.times.get(item.id.as_str()).copied().unwrap_or(0);
            first.extend(
                group
                    .members
                    .iter()
                    .filter(|(_, id)| *id != item.id)
                    .take(max),
            );
        }
        first.sort_unstable();
        first.truncate(max);
        (total, first.into_iter().map(|(_, id)| id).collect())
    }

    /// The items that count for `check` at `school` under `key`.
    pub fn bucket<'s>(
        &'s self,
        check: RegisterCheck,
        school: &'s str,
        key: &Key<'s>,
    ) -> Option<&'s Bucket<'s>> {
        // The map's keys borrow from the register; seen for the shorter borrow of the query.
        let buckets: &'s HashMap<(RegisterCheck, &'s str, Key<'s>), Bucket<'s>> = &self.buckets;
        buckets.get(&(check, school, key.clone()))
    }
}

/// The key under which `other` counts for `check`, if it counts at all (the register side of
/// each test's comparison in `register::eval`).
fn key_of<'r>(
    check: RegisterCheck,
    other: &'r Item,
    calendar: &Calendar,
    ruleset: &Ruleset,
) -> Option<Key<'r>> {
    let start = other.start?;
    match check {
        RegisterCheck::CampusEntriesPerSemester => (other.kind == Kind::CampusEntry)
            .then(|| semester(calendar, ruleset, start).map(Key::Semester))
            .flatten(),
        RegisterCheck::ComprehensivePerYear => {
            is_comprehensive(other).then_some(Key::Year(start.year()))
        }
        RegisterCheck::WhitelistItemPerSchoolYear => {
            Some(Key::Whitelist(other.whitelist_id()?, start.year()))
        }
        RegisterCheck::SameKindPerSchoolYear => Some(Key::KindYear(other.kind, start.year())),
        _ => None,
    }
}
