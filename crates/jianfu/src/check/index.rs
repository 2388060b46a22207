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

/// The register's items by (test, school, key).
#[derive(Debug, Default)]
pub(crate) struct RegisterIndex<'r> {
    buckets: HashMap<(RegisterCheck, &'r str, Key<'r>), Bucket<'r>>,
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
        let mut index = Self::default();
        for other in &register.items {
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
