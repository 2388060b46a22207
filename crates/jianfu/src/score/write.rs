//! Writing tables as CSV: schools, events and per-school scores.

use std::io::Write;

use super::index::ScoreReport;
use super::table::{Events, Schools};
use crate::error::Error;

fn io(e: impl std::fmt::Display) -> Error {
    Error::write_failed("<output>", e)
}

/// Writes the schools table.
pub fn schools_csv(schools: &Schools, out: &mut dyn Write) -> crate::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(super::read::SCHOOL_COLUMNS).map_err(io)?;
    for s in schools.rows() {
        w.write_record([
            s.school_id.as_str(),
            s.name.as_str(),
            s.county.as_str(),
            s.urban_rural.as_str(),
            s.stage.as_str(),
            s.ownership.as_str(),
            &s.teachers.to_string(),
            if s.sample_point { "true" } else { "false" },
        ])
        .map_err(io)?;
    }
    w.flush().map_err(io)
}

/// Writes the events table.
pub fn events_csv(events: &Events, schools: &Schools, out: &mut dyn Write) -> crate::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(super::read::EVENT_COLUMNS).map_err(io)?;
    for i in 0..events.len() {
        let field = |v: Option<&str>| v.unwrap_or("").to_string();
        let school = events
            .school
            .get(i)
            .and_then(|s| schools.get(*s))
            .map(|s| s.school_id.as_str());
        let teacher = events.teacher.get(i).and_then(|t| events.teachers.name(*t));
        let item = events.item.get(i).and_then(|t| events.items.name(*t));
        let rule = events.rule.get(i).and_then(|t| events.rules.name(*t));
        w.write_record([
            field(school),
            field(teacher),
            events.date(i).map(|d| d.to_string()).unwrap_or_default(),
            events
                .kind
                .get(i)
                .map(|k| k.as_str().to_string())
                .unwrap_or_default(),
            events
                .hours
                .get(i)
                .map(|h| h.to_string())
                .unwrap_or_default(),
            field(events.issuer.get(i).copied().flatten().map(|k| k.as_str())),
            field(item),
            field(
                events
                    .decision
                    .get(i)
                    .copied()
                    .flatten()
                    .map(|d| d.as_str()),
            ),
            field(rule),
            if events.comprehensive.get(i).copied().unwrap_or(false) {
                "true".into()
            } else {
                String::new()
            },
        ])
        .map_err(io)?;
    }
    w.flush().map_err(io)
}

/// Writes one row per school: id, name, county, stratum, teachers, events, hours, burden,
/// index, band, then the burden per kind.
pub fn scores_csv(report: &ScoreReport, out: &mut dyn Write) -> crate::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec![
        "period",
        "school_id",
        "name",
        "county",
        "stratum",
        "sample_point",
        "teachers",
        "events",
        "hours",
        "burden",
        "index",
        "band",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    header.extend(
        crate::model::Kind::ALL
            .iter()
            .map(|k| format!("burden_{}", k.as_str())),
    );
    w.write_record(&header).map_err(io)?;
    for s in &report.schools {
        let mut row = vec![
            report.period.id.clone(),
            s.school_id.clone(),
            s.name.clone(),
            s.county.clone(),
            s.stratum.key(),
            s.sample_point.to_string(),
            s.teachers.to_string(),
            s.events.to_string(),
            format!("{:.2}", s.hours),
            format!("{:.4}", s.burden),
            format!("{:.4}", s.index),
            serde_json::to_value(s.band)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
        ];
        row.extend(crate::model::Kind::ALL.iter().map(|k| {
            format!(
                "{:.4}",
                s.breakdown.by_kind.get(k.as_str()).copied().unwrap_or(0.0)
            )
        }));
        w.write_record(&row).map_err(io)?;
    }
    w.flush().map_err(io)
}
