//! Burden scoring and sample-point monitoring (负担评分与定点监测): typed columns of events
//! and schools, the burden index with its breakdown, monitoring with the escalation ladder,
//! reports (JSON and self-contained HTML), and a deterministic demo city.

#[cfg(feature = "charts")]
mod chart;
pub mod demo;
#[cfg(feature = "charts")]
pub mod html;
pub(crate) mod index;
pub(crate) mod monitor;
#[cfg(feature = "tables")]
pub mod read;
pub mod reason;
mod table;
#[cfg(feature = "tables")]
pub mod write;

pub use index::{
    Band, Breakdown, GroupScore, SchoolScore, ScoreReport, TeacherScore, Weights, score,
};
pub use monitor::{
    Cadence, Coverage, Escalation, LadderScope, MonitorOptions, MonitorReport, SchoolMonitor,
    StratumStats, TrendPoint, monitor, monitor_with,
};
pub use table::{
    Event, EventIds, EventRef, Events, Interner, NONE, Ownership, School, Schools, Stage, Stratum,
    UrbanRural, blank, day_number,
};

use crate::engine::Engine;

impl Engine {
    /// Scores events for one period of the engine's calendar (`2026-spring-1`).
    pub fn score(
        &self,
        events: &Events,
        schools: &Schools,
        period: &str,
    ) -> crate::Result<ScoreReport> {
        let period = self.calendar().period(period)?;
        period.check_school_days(&self.calendar().id)?;
        let weights = Weights::from_ruleset(self.ruleset(), period.end)?;
        Ok(score(events, schools, &period, &weights))
    }

    /// The monitoring report for one period (see [`monitor`]).
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
