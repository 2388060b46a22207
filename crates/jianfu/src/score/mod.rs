//! Burden scoring and sample-point monitoring (负担评分与定点监测): typed columns of events
//! and schools, the burden index with its breakdown, monitoring with the escalation ladder,
//! reports (JSON and self-contained HTML), and a deterministic demo city.

#[cfg(feature = "charts")]
mod chart;
pub mod demo;
mod exact;
#[cfg(feature = "charts")]
pub mod html;
pub(crate) mod index;
pub(crate) mod monitor;
mod partial;
#[cfg(feature = "tables")]
pub mod read;
pub mod reason;
mod table;
#[cfg(feature = "tables")]
pub mod write;

pub use exact::Sum;
pub use index::{
    Band, Breakdown, GroupScore, SchoolScore, ScoreReport, TeacherScore, Weights, score,
};
pub use monitor::{
    Cadence, Coverage, Escalation, LadderScope, MonitorOptions, MonitorReport, SchoolMonitor,
    StratumStats, TrendPoint, monitor, monitor_with,
};
pub use partial::{PARTIAL_FORMAT, Partial, SchoolPart, TeacherPart, finish, partial};
pub use table::{
    Event, EventIds, EventRef, Events, Interner, NONE, Ownership, School, Schools, Stage, Stratum,
    UrbanRural, blank, day_number, stratum_zh,
};

use crate::engine::Engine;

impl Engine {
    /// Scores events for one period of the engine's calendar (`2026-spring-1`).
    ///
    /// ```
    /// use jianfu::score::read;
    ///
    /// let engine = jianfu::Engine::embedded()?;
    /// let schools = read::schools_csv(
    ///     "school_id,name,county,urban_rural,stage,ownership,teachers,sample_point\n\
    ///      S1,湖滨区第一小学,湖滨区,urban,primary,public,40,true\n",
    ///     "schools.csv",
    /// );
    /// let events = read::events_csv(
    ///     "school_id,teacher_id,date,kind,hours\n\
    ///      S1,T1,2026-03-10,inspection,3\n\
    ///      S1,T2,2026-03-11,social_task,2\n",
    ///     "events.csv",
    ///     &schools.table,
    /// );
    /// assert!(schools.errors.is_empty() && events.errors.is_empty());
    /// let report = engine.score(&events.table, &schools.table, "2026-spring-1")?;
    /// assert_eq!(report.events, 2);
    /// assert_eq!(report.schools[0].school_id, "S1");
    /// # Ok::<(), jianfu::Error>(())
    /// ```
    pub fn score(
        &self,
        events: &Events,
        schools: &Schools,
        period: &str,
    ) -> crate::Result<ScoreReport> {
        let period = self.calendar().period(period)?;
        period.check_school_days(&self.calendar().id)?;
        let weights = Weights::from_ruleset(self.ruleset(), period.end)?;
        score(events, schools, &period, &weights, self.threads())
    }

    /// The sums for one period over some of the events (a county's, a worker's share):
    /// merge partials with [`Partial::merge`] and turn them into the report with [`finish`],
    /// which equals [`Engine::score`] over all the events, byte for byte.
    pub fn partial(
        &self,
        events: &Events,
        schools: &Schools,
        period: &str,
    ) -> crate::Result<Partial> {
        let period = self.calendar().period(period)?;
        period.check_school_days(&self.calendar().id)?;
        let weights = Weights::from_ruleset(self.ruleset(), period.end)?;
        partial(events, schools, &period, &weights, self.threads())
    }

    /// The monitoring report for one period (see [`monitor`]); [`html::render`] makes it the
    /// printable HTML report (`jianfu report`).
    ///
    /// ```
    /// use jianfu::score::demo::{self, DemoConfig};
    ///
    /// let engine = jianfu::Engine::embedded()?;
    /// let config = DemoConfig { schools: 60, ..DemoConfig::default() }; // a generated city
    /// let schools = demo::schools(&config);
    /// let events = demo::events(&config, &schools, engine.calendar());
    /// let report = engine.monitor(&events, &schools, "2026-spring-1")?;
    /// let html = jianfu::score::html::render(&report, jianfu::score::html::DEFAULT_TITLE);
    /// assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
    /// # Ok::<(), jianfu::Error>(())
    /// ```
    pub fn monitor(
        &self,
        events: &Events,
        schools: &Schools,
        period: &str,
    ) -> crate::Result<MonitorReport> {
        monitor(self, events, schools, period)
    }

    /// The monitoring report for one period with options (see [`monitor_with`]).
    pub fn monitor_with(
        &self,
        events: &Events,
        schools: &Schools,
        period: &str,
        options: MonitorOptions,
    ) -> crate::Result<MonitorReport> {
        monitor_with(self, events, schools, period, options)
    }
}

/// A number with thousands separators and `decimals` places: `12,345.68`.
pub fn thousands(v: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, v.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    if v < 0.0 && out.chars().any(|c| c != '0' && c != ',' && c != '.') {
        out.insert(0, '-');
    }
    out
}
