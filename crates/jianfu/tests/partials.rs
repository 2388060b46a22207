//! Exact partial aggregates: the events split at random into partitions (with every school
//! on every worker, or a county's schools only), each partition's partial computed on its
//! own, merged in a random order — the report is the single-pass report, byte for byte. And
//! the same on any number of threads.

#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "test harness")]

use std::sync::OnceLock;

use jianfu::score::{Event, Events, Partial, School, Schools, demo};
use jianfu::{Engine, Threads};
use proptest::prelude::*;

const PERIOD: &str = "2026-spring-1";

struct City {
    engine: Engine,
    schools: Schools,
    rows: Vec<Event>,
    single: String,
}

/// A demo city of 40 schools (about 40,000 events), its rows, and its single-pass report.
fn city() -> &'static City {
    static CITY: OnceLock<City> = OnceLock::new();
    CITY.get_or_init(|| {
        let engine = Engine::embedded().unwrap().with_threads(Threads::ONE);
        let config = demo::DemoConfig {
            schools: 40,
            ..demo::DemoConfig::default()
        };
        let schools = demo::schools(&config);
        let events = demo::events(&config, &schools, engine.calendar());
        let rows = events.to_rows(&schools);
        let single = json(&engine.score(&events, &schools, PERIOD).unwrap());
        City {
            engine,
            schools,
            rows,
            single,
        }
    })
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap()
}

fn table(schools: &[School]) -> Schools {
    let mut table = Schools::new();
    for s in schools {
        table.push(s.clone(), jianfu::Location::default()).unwrap();
    }
    table
}

/// The partial of the rows `assign` puts in partition `p`; with `by_county`, the partition
/// holds only the schools of its rows' counties (as a county's worker would).
fn partial_of(city: &City, assign: &[usize], p: usize, by_county: bool) -> Partial {
    let rows: Vec<Event> = city
        .rows
        .iter()
        .zip(assign)
        .filter(|(_, a)| **a == p)
        .map(|(r, _)| r.clone())
        .collect();
    let schools = if by_county {
        let ids: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.school_id.as_str()).collect();
        let mine: Vec<School> = city
            .schools
            .rows()
            .iter()
            .filter(|s| ids.contains(s.school_id.as_str()))
            .cloned()
            .collect();
        table(&mine)
    } else {
        city.schools.clone()
    };
    let (events, errors) = Events::from_rows(&schools, &rows, "partition");
    assert!(errors.is_empty(), "{errors:?}");
    city.engine.partial(&events, &schools, PERIOD).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn merged_partials_equal_the_single_pass_report(
        parts in 1usize..6,
        seed in any::<u64>(),
        order in any::<u64>(),
        by_county in any::<bool>(),
    ) {
        let city = city();
        // Partition by a hash of the row (or of its school, for county workers).
        let assign: Vec<usize> = city
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let key = if by_county {
                    r.school_id.bytes().fold(seed, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
                } else {
                    seed.wrapping_add(i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                };
                ((key >> 17) % parts as u64) as usize
            })
            .collect();
        let mut partials: Vec<Partial> = (0..parts)
            .map(|p| partial_of(city, &assign, p, by_county))
            .collect();
        // Merge in a random order, through JSON as a worker would send them.
        let mut state = order | 1;
        let mut merged: Option<Partial> = None;
        while !partials.is_empty() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let next = partials.swap_remove((state % partials.len() as u64) as usize);
            let next: Partial = serde_json::from_str(&json(&next)).unwrap();
            merged = Some(match merged {
                None => next,
                Some(m) if state & 1 == 0 => m.merge(next).unwrap(),
                Some(m) => next.merge(m).unwrap(),
            });
        }
        let report = merged.unwrap().finish().unwrap();
        if by_county {
            // Schools without events in any partition are absent from every partial.
            let single: serde_json::Value = serde_json::from_str(&city.single).unwrap();
            let got: serde_json::Value = serde_json::to_value(&report).unwrap();
            let with_events = |v: &serde_json::Value| -> Vec<serde_json::Value> {
                v["schools"].as_array().unwrap().iter().filter(|s| s["events"] != 0).cloned().collect()
            };
            prop_assert_eq!(with_events(&got), with_events(&single));
            prop_assert_eq!(&got["teachers"], &single["teachers"]);
            prop_assert_eq!(&got["total"], &single["total"]);
        } else {
            prop_assert_eq!(json(&report), city.single.clone());
        }
    }
}

#[test]
fn a_county_split_with_every_school_listed_is_exact() {
    // Each county's worker gets its county's events and the whole schools table: the
    // merge is the single pass exactly, counties and strata included.
    let city = city();
    let counties: Vec<String> = {
        let mut c: Vec<String> = city
            .schools
            .rows()
            .iter()
            .map(|s| s.county.clone())
            .collect();
        c.sort();
        c.dedup();
        c
    };
    assert!(counties.len() > 1);
    let county_of = |id: &str| {
        let s = city
            .schools
            .get(city.schools.position(id).unwrap())
            .unwrap();
        counties.iter().position(|c| *c == s.county).unwrap()
    };
    let assign: Vec<usize> = city.rows.iter().map(|r| county_of(&r.school_id)).collect();
    let merged = (0..counties.len())
        .map(|p| partial_of(city, &assign, p, false))
        .reduce(|a, b| b.merge(a).unwrap())
        .unwrap();
    assert_eq!(json(&merged.finish().unwrap()), city.single);
}

#[test]
fn any_number_of_threads_gives_the_same_bytes() {
    let engine = Engine::embedded().unwrap();
    let config = demo::DemoConfig {
        schools: 300,
        ..demo::DemoConfig::default()
    };
    let schools = demo::schools(&config);
    let events = demo::events(&config, &schools, engine.calendar());
    assert!(
        events.len() > 2 * 65_536,
        "enough events for several shares"
    );
    let at = |n: usize| {
        let engine = engine.clone().with_threads(Threads::new(n));
        json(&engine.score(&events, &schools, PERIOD).unwrap())
    };
    let one = at(1);
    for n in [2, 3, 0] {
        assert_eq!(at(n), one, "threads = {n}");
    }
}

#[test]
fn partials_that_do_not_belong_together_are_refused() {
    let city = city();
    let assign = vec![0; city.rows.len()];
    let a = partial_of(city, &assign, 0, false);
    let (events, _) = Events::from_rows(&city.schools, &city.rows, "all");
    let other_period = city
        .engine
        .partial(&events, &city.schools, "2026-spring-2")
        .unwrap();
    let error = a.clone().merge(other_period).unwrap_err();
    assert_eq!(error.code(), "partial.invalid");
    assert!(error.to_string().contains("2026-spring-2"), "{error}");

    let mut renamed = a.clone();
    let first = renamed.schools.values_mut().next().unwrap();
    first.school.teachers += 1;
    let error = a.clone().merge(renamed).unwrap_err();
    assert_eq!(error.code(), "partial.invalid");
    assert!(error.to_string().contains("different rows"), "{error}");

    let mut future = a.clone();
    future.format += 1;
    assert_eq!(
        future.clone().finish().unwrap_err().code(),
        "partial.invalid"
    );
    assert!(a.clone().merge(future).is_err());

    let mut edited = a;
    let first = edited.schools.values_mut().next().unwrap();
    first.by_issuer.insert(
        "martians".into(),
        serde_json::from_str::<jianfu::score::Sum>("\"1\"").unwrap(),
    );
    let error = edited.finish().unwrap_err();
    assert!(error.to_string().contains("martians"), "{error}");
    assert!(serde_json::from_str::<Partial>(r#"{"format": 1}"#).is_err());
}
