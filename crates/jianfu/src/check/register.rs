//! Cross-item rules, evaluated against the [`Register`](crate::model::Register): per-school
//! caps per semester or year, inspections outside an approved plan, duplicate data collection,
//! and same-type inspections that could be merged.

use chrono::{Datelike, NaiveDate};

use super::eval::{Ctx, Trace};
use super::index::Key;
use crate::model::{Evidence, Item, Kind, Level, Register};
use crate::rules::{RegisterCheck, RegisterTest, Value};

/// The parameters that split a year into semesters where the school calendar has no dates.
pub(crate) const SPRING_START: &str = "semester_spring_start";
pub(crate) const AUTUMN_START: &str = "semester_autumn_start";

pub(crate) fn eval(test: &RegisterTest, ctx: &Ctx<'_>, trace: &mut Trace) -> bool {
    let Some(register) = ctx.register else {
        return false;
    };
    let item = ctx.item;
    let limit = test.limit.as_deref().and_then(|p| ctx.number(p));
    match test.test {
        RegisterCheck::CampusEntriesPerSemester => {
            let (Some(start), Some(limit)) = (item.start, limit) else {
                return false;
            };
            let Some(this_semester) = semester(ctx.calendar, ctx.ruleset, start) else {
                return false;
            };
            count_per_school(
                ctx,
                trace,
                limit,
                (test.test, Key::Semester(this_semester.clone())),
                "本学期进校园活动 campus entries this semester",
                |other| {
                    other.kind == Kind::CampusEntry
                        && other
                            .start
                            .and_then(|d| semester(ctx.calendar, ctx.ruleset, d))
                            .as_ref()
                            == Some(&this_semester)
                },
                register.items.iter(),
            )
        }
        RegisterCheck::ComprehensivePerYear => {
            let (Some(start), Some(limit)) = (item.start, limit) else {
                return false;
            };
            if !is_comprehensive(item) {
                return false;
            }
            count_per_school(
                ctx,
                trace,
                limit,
                (test.test, Key::Year(start.year())),
                "本年度综合督导 comprehensive supervisions this year",
                |other| {
                    is_comprehensive(other) && other.start.is_some_and(|d| d.year() == start.year())
                },
                register.items.iter(),
            )
        }
        RegisterCheck::DuplicateData => {
            let Some(request) = item.data_request.as_ref() else {
                return false;
            };
            let mut held = false;
            for other in register.items.iter().filter(|o| o.id != item.id) {
                let Some(theirs) = other.data_request.as_ref() else {
                    continue;
                };
                let shared: Vec<&str> = request
                    .fields
                    .iter()
                    .filter(|f| theirs.fields.contains(f))
                    .map(String::as_str)
                    .collect();
                if !shared.is_empty() {
                    trace.note(|| {
                        Evidence::field(
                            "data_request.fields",
                            Some(format!(
                                "已由 `{}` 采集 already requested: {}",
                                other.id,
                                shared.join("、")
                            )),
                        )
                    });
                    relate(trace, &[other.id.as_str()]);
                    held = true;
                }
            }
            for holding in &register.held_data {
                let shared: Vec<&str> = request
                    .fields
                    .iter()
                    .filter(|f| holding.fields.contains(f))
                    .map(String::as_str)
                    .collect();
                if !shared.is_empty() {
                    trace.note(|| {
                        Evidence::field(
                            "data_request.fields",
                            Some(format!(
                                "{} 已有 already held: {}",
                                holding.holder,
                                shared.join("、")
                            )),
                        )
                    });
                    held = true;
                }
            }
            held
        }
        RegisterCheck::WhitelistUnlisted
        | RegisterCheck::WhitelistOutsideWindow
        | RegisterCheck::WhitelistOutsideScope
        | RegisterCheck::WhitelistIncompleteEntry => whitelist(test.test, register, ctx, trace),
        RegisterCheck::WhitelistOverTotal => {
            let Some(limit) = limit else { return false };
            if register.whitelist.is_empty() || !ctx.kinds.contains(Kind::CampusEntry) {
                return false;
            }
            let year = super::activity_span(item, ctx.as_of).0.year();
            let total = register
                .whitelist
                .iter()
                .filter(|e| e.from.year() <= year && year <= e.to.year())
                .count();
            (total as f64 > limit)
                && {
                    trace.note(|| Evidence::field(
                    "register.whitelist",
                    Some(format!(
                        "{year} 年白名单共 {total} 项，上限 {limit} 项 (whitelist of {total} items, cap {limit})"
                    )),
                ));
                    true
                }
        }
        RegisterCheck::WhitelistItemPerSchoolYear => {
            let (Some(start), Some(limit)) = (item.start, limit) else {
                return false;
            };
            let Some(mine) = item.whitelist_id() else {
                return false;
            };
            count_per_school(
                ctx,
                trace,
                limit,
                (test.test, Key::Whitelist(mine, start.year())),
                "本年度同一白名单事项 entries of this whitelist item this year",
                |other| {
                    other.whitelist_id() == Some(mine)
                        && other.start.is_some_and(|d| d.year() == start.year())
                },
                register.items.iter(),
            )
        }
        RegisterCheck::SameKindPerSchoolYear => {
            let (Some(start), Some(limit)) = (item.start, limit) else {
                return false;
            };
            count_per_school(
                ctx,
                trace,
                limit,
                (test.test, Key::KindYear(item.kind, start.year())),
                &format!(
                    "本年度同类事项（{}）items of this kind this year",
                    item.kind.as_str()
                ),
                |other| {
                    other.kind == item.kind && other.start.is_some_and(|d| d.year() == start.year())
                },
                register.items.iter(),
            )
        }
        RegisterCheck::SameType => {
            let Some(topic) = item.inspection.as_ref().and_then(|i| i.topic.as_deref()) else {
                return false;
            };
            let year = item.start.map(|d| d.year());
            let max = crate::limits::Limits::get().related_items_listed_max;
            // How many inspections could be merged with this one, and the first few.
            let (total, first) = match ctx.index {
                Some(index) => index.same_type(item, topic, year, max),
                None => {
                    let matched: Vec<&str> = register
                        .items
                        .iter()
                        .filter(|o| o.id != item.id && o.kind == Kind::Inspection)
                        .filter(|o| {
                            o.inspection.as_ref().and_then(|i| i.topic.as_deref()) == Some(topic)
                                && (year.is_none() || o.start.map(|d| d.year()) == year)
                                && schools_meet(&item.schools, &o.schools)
                        })
                        .map(|o| o.id.as_str())
                        .collect();
                    (matched.len(), matched.into_iter().take(max).collect())
                }
            };
            if total > 0 {
                trace.note(|| {
                    Evidence::field(
                        "inspection.topic",
                        Some(format!(
                            "同类检查「{topic}」可合并 same-type inspections could be merged: {}",
                            listed(&first, total)
                        )),
                    )
                });
                relate(trace, &first);
            }
            total > 0
        }
    }
}

/// The whitelist tests: the item's whitelist entry, and what about it breaks the test.
fn whitelist(test: RegisterCheck, register: &Register, ctx: &Ctx<'_>, trace: &mut Trace) -> bool {
    let item = ctx.item;
    if register.whitelist.is_empty() || !ctx.kinds.contains(Kind::CampusEntry) {
        return false; // no published list to match against
    }
    let id = item.whitelist_id();
    let entry = id.and_then(|id| register.whitelist.iter().find(|e| e.id == id));
    let mut note = |field: &'static str, text: String| {
        trace.note(|| Evidence::field(field, Some(text)));
        true
    };
    match (test, entry) {
        (RegisterCheck::WhitelistUnlisted, None) => note(
            "campus_entry.whitelist_id",
            match id {
                Some(id) => format!("白名单中没有编号 {id} (not on the published whitelist)"),
                None => "未填写白名单编号 (no whitelist id)".to_string(),
            },
        ),
        (RegisterCheck::WhitelistOutsideWindow, Some(e)) => {
            let (first, last) = super::activity_span(item, ctx.as_of);
            (first < e.from || last > e.to)
                && note(
                    "start",
                    format!(
                        "{first} 至 {last} 超出白名单“{}”开展时间 {} 至 {} (outside the window)",
                        e.name, e.from, e.to
                    ),
                )
        }
        (RegisterCheck::WhitelistOutsideScope, Some(e)) => {
            let grades = item
                .campus_entry
                .as_ref()
                .map(|c| c.grades.as_slice())
                .unwrap_or_default();
            let l = &e.limits;
            // The values of `values` that `bad` picks, joined for a message.
            let picked = |values: &[String], bad: &dyn Fn(&String) -> bool| {
                let v: Vec<&str> = values
                    .iter()
                    .filter(|v| bad(v))
                    .map(String::as_str)
                    .collect();
                (!v.is_empty()).then(|| v.join("、"))
            };
            let over = |n: usize, max: Option<u32>| max.filter(|&m| n > m as usize);
            let mut found: Vec<(&'static str, String)> = Vec::new();
            if let Some(out) = picked(&item.schools, &|s| {
                !l.schools.is_empty() && !l.schools.contains(s)
            }) {
                found.push((
                    "schools",
                    format!("学校 {out} 不在白名单范围内 (schools outside the scope)"),
                ));
            }
            if let Some(m) = over(item.schools.len(), l.max_schools) {
                let n = item.schools.len();
                found.push((
                    "schools",
                    format!("{n} 所学校，白名单限 {m} 所 (more schools than the scope allows)"),
                ));
            }
            if let Some(m) = over(grades.len(), l.max_grades) {
                let n = grades.len();
                found.push((
                    "campus_entry.grades",
                    format!("{n} 个年级，白名单限 {m} 个 (more grades than the scope allows)"),
                ));
            }
            // Names match when one holds the other (县公安局 in 渑池县公安局); a blank side is
            // not held against the item.
            let differs = |theirs: &str, ours: &[Option<&str>]| {
                let theirs = theirs.trim();
                let ours: Vec<&str> = ours
                    .iter()
                    .flatten()
                    .map(|o| o.trim())
                    .filter(|o| !o.is_empty())
                    .collect();
                !theirs.is_empty()
                    && !ours.is_empty()
                    && !ours
                        .iter()
                        .any(|o| o.contains(theirs) || theirs.contains(o))
            };
            let unit = [
                Some(item.issuer.name.as_str()),
                item.materials.organiser.as_deref(),
            ];
            if differs(&e.unit, &unit) {
                found.push((
                    "issuer.name",
                    format!(
                        "实施单位“{}”与白名单“{}”不符 (not the entry's implementing unit)",
                        item.issuer.name, e.unit
                    ),
                ));
            }
            let place = item.campus_entry.as_ref().and_then(|c| c.place.as_deref());
            if differs(&e.place, &[place]) {
                found.push((
                    "campus_entry.place",
                    format!(
                        "开展地点“{}”与白名单“{}”不符 (not the entry's place)",
                        place.unwrap_or_default(),
                        e.place
                    ),
                ));
            }
            if let Some(out) = picked(grades, &|g| l.exclude_grades.contains(g)) {
                found.push((
                    "campus_entry.grades",
                    format!("{out} 不在白名单范围内（避开毕业班）(grades the scope excludes)"),
                ));
            }
            let held = !found.is_empty();
            for (field, text) in found {
                note(field, text);
            }
            held
        }
        (RegisterCheck::WhitelistIncompleteEntry, Some(e)) => {
            let blank = e.blank_columns();
            !blank.is_empty()
                && note(
                    "campus_entry.whitelist_id",
                    format!(
                        "白名单“{}”未列明：{} (entry leaves columns blank)",
                        e.id,
                        blank.join("、")
                    ),
                )
        }
        _ => false,
    }
}

/// `total` ids, of which `first` are given: the first `related_items_listed_max` of them,
/// and how many more.
fn listed(first: &[&str], total: usize) -> String {
    let max = crate::limits::Limits::get().related_items_listed_max;
    let shown = first
        .iter()
        .take(max)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    match total.saturating_sub(max.min(first.len())) {
        0 => shown,
        more => format!("{shown} 等另 {more} 项 (and {more} more)"),
    }
}

/// Adds ids to the finding's related items, up to `related_items_listed_max` in all.
fn relate(trace: &mut Trace, ids: &[&str]) {
    if !trace.records() {
        return;
    }
    let max = crate::limits::Limits::get().related_items_listed_max;
    for id in ids {
        if trace.related.len() >= max {
            break;
        }
        if !trace.related.iter().any(|r| r == id) {
            trace.related.push((*id).to_string());
        }
    }
}

/// Whether two inspections can be merged by their schools: either names none (all schools),
/// or they share one.
pub(super) fn schools_meet(mine: &[String], theirs: &[String]) -> bool {
    mine.is_empty() || theirs.is_empty() || mine.iter().any(|s| theirs.contains(s))
}

pub(super) fn is_comprehensive(item: &Item) -> bool {
    item.kind == Kind::Inspection
        && item.issuer.level.at_least(Level::County)
        && item
            .inspection
            .as_ref()
            .is_some_and(|i| i.comprehensive && !i.technical)
}

/// Counts, per school of the item, the register items that match plus the item itself, and
/// holds when some school's count exceeds `limit`. With the batch's index the count is a
/// lookup of `key`; without, the register is scanned with `matches` (the same test).
fn count_per_school<'a>(
    ctx: &Ctx<'_>,
    trace: &mut Trace,
    limit: f64,
    key: (RegisterCheck, Key<'_>),
    what: &str,
    matches: impl Fn(&Item) -> bool,
    others: impl Iterator<Item = &'a Item> + Clone,
) -> bool {
    let item = ctx.item;
    let max = crate::limits::Limits::get().related_items_listed_max;
    let mut held = false;
    for school in &item.schools {
        let (count, related): (usize, Vec<&str>) = match ctx.index {
            Some(index) => match index.bucket(key.0, school, &key.1) {
                Some(bucket) => (
                    bucket.others(&item.id),
                    bucket
                        .ids
                        .iter()
                        .copied()
                        .filter(|id| *id != item.id)
                        .take(max)
                        .collect(),
                ),
                None => (0, Vec::new()),
            },
            None => {
                let related: Vec<&str> = others
                    .clone()
                    .filter(|o| o.id != item.id && o.schools.contains(school) && matches(o))
                    .map(|o| o.id.as_str())
                    .collect();
                (related.len(), related)
            }
        };
        let count = count + 1;
        if count as f64 > limit {
            trace.note(|| {
                Evidence::field(
                    "register",
                    Some(format!(
                        "学校 {school}: {what} 第 {count} 项，上限 {limit} (#{count}, cap {limit})"
                    )),
                )
            });
            relate(trace, &related);
            held = true;
        }
    }
    held
}

/// The semester a date counts towards: the calendar's, or (outside the calendar's years) the
/// split given by the semester-start parameters. Keys look like `2026-spring`.
pub(super) fn semester(
    calendar: &crate::calendar::Calendar,
    ruleset: &crate::rules::Ruleset,
    date: NaiveDate,
) -> Option<String> {
    if let Some(semester) = calendar.semester_bucket(date) {
        return Some(semester.id.clone());
    }
    let month_day = |name: &str| match ruleset.parameter(name)?.at(date)? {
        Value::MonthDay { month, day } => Some((month, day)),
        _ => None,
    };
    let (sm, sd) = month_day(SPRING_START)?;
    let (am, ad) = month_day(AUTUMN_START)?;
    let year = date.year();
    let spring = NaiveDate::from_ymd_opt(year, sm, sd)?;
    let autumn = NaiveDate::from_ymd_opt(year, am, ad)?;
    Some(if date < spring {
        format!("{}-autumn", year - 1)
    } else if date < autumn {
        format!("{year}-spring")
    } else {
        format!("{year}-autumn")
    })
}
