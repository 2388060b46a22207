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
    for r in (0..events.len()).filter_map(|i| events.row(i, schools)) {
        // Written as the f32 the table holds (0.1, not 0.10000000149011612).
        #[expect(
            clippy::cast_possible_truncation,
            reason = "the value is an f32 widened"
        )]
        let hours = (r.hours as f32).to_string();
        w.write_record([
            r.school_id,
            r.teacher_id.unwrap_or(""),
            &r.date.to_string(),
            r.kind.as_str(),
            hours.as_str(),
            r.issuer.map_or("", |k| k.as_str()),
            r.item_id.unwrap_or(""),
            r.decision.map_or("", |d| d.as_str()),
            r.rule.unwrap_or(""),
            if r.comprehensive { "true" } else { "" },
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
