//! Secondments (借调): education-department consent at county level or above, filing with the
//! same-level Party committee, a duration cap, and extensions only with prior consent of the
//! sending school and the teacher.

use chrono::NaiveDate;

use crate::model::{Item, Level, Step};

/// The parameter naming the lowest education level that may consent.
pub const MIN_CONSENT_LEVEL: &str = "secondment_min_consent_level";

/// How the secondment overruns its cap: the planned end and the cap's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overrun {
    /// Planned length in days.
    pub days: i64,
    /// Last day allowed without an extension, when start is known.
    pub cap_end: Option<NaiveDate>,
}

/// Whether the secondment lasts longer than `months` without prior extension consent.
pub fn over_cap(item: &Item, months: u32) -> Option<Overrun> {
    let overrun = longer_than(item, months)?;
    let block = item.secondment.as_ref();
    let consented = block.and_then(|b| b.extension.as_ref()).is_some_and(|ext| {
        ext.school_consent
            && ext.teacher_consent
            && match (ext.consented_on, overrun.cap_end) {
                (Some(on), Some(cap_end)) => on <= cap_end,
                (Some(_), None) => true,
                (None, _) => false,
            }
    });
    (!consented).then_some(overrun)
}

/// Whether the secondment lasts longer than `months`, consent or not.
pub fn longer_than(item: &Item, months: u32) -> Option<Overrun> {
    match (item.start, item.end) {
        (Some(start), Some(end)) => {
            let cap_end = super::add_months(start, months)?;
            (end > cap_end).then_some(Overrun {
                days: (end - start).num_days(),
                cap_end: Some(cap_end),
            })
        }
        _ => {
            let days = i64::from(item.secondment.as_ref()?.days?);
            // Without dates, a month counts as 30 days.
            (days > i64::from(months) * 30).then_some(Overrun {
                days,
                cap_end: None,
            })
        }
    }
}

/// Whether the consenting education department is absent or below `level`.
pub fn consent_below(item: &Item, level: Level) -> bool {
    item.secondment
        .as_ref()
        .and_then(|s| s.approved_by)
        .is_none_or(|by| !by.at_least(level))
}

/// Whether a step of the secondment process is done. Consent counts only from an education
/// department at `min_level` or above, when the ruleset sets one.
pub fn step_done(item: &Item, step: Step, min_level: Option<Level>) -> bool {
    let block = item.secondment.as_ref();
    match step {
        Step::EducationConsent => block
            .and_then(|s| s.approved_by)
            .is_some_and(|by| min_level.is_none_or(|min| by.at_least(min))),
        Step::PartyCommitteeFiling => block.is_some_and(|s| s.party_filed),
        _ => true,
    }
}
