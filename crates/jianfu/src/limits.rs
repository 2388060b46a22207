//! Input limits (输入上限), as data: `limits.toml` beside the crate's rulesets. Beyond a limit
//! the input is refused with a coded error that names it, instead of being worked on.

use serde::Deserialize;

/// The limits in force.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Teacher-hours of one event.
    pub event_hours_max: f64,
    /// Characters in one lexicon or context word.
    pub lexicon_word_max_chars: usize,
    /// Words and terms across a ruleset's lexicon and context.
    pub lexicon_words_max: usize,
    /// Rules across a ruleset's layers.
    pub rules_max: usize,
    /// Nesting of `all` / `any` / `not` in one condition.
    pub condition_depth_max: usize,
    /// The largest number a parameter may hold.
    pub parameter_number_max: f64,
    /// Schools in a generated demo city.
    pub demo_schools_max: usize,
    /// Other items a cross-item finding lists by id.
    pub related_items_listed_max: usize,
    /// Nesting of lists and objects in a value a binding hands over.
    pub nesting_depth_max: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    limits: Limits,
}

/// The embedded limits file.
const SOURCE: &str = include_str!("../limits.toml");

impl Limits {
    /// The limits in force (parsed once; the embedded file is tested to parse).
    pub fn get() -> &'static Limits {
        static LIMITS: std::sync::OnceLock<Limits> = std::sync::OnceLock::new();
        LIMITS.get_or_init(|| {
            toml::from_str::<File>(SOURCE)
                .map(|f| f.limits)
                .unwrap_or(Limits::FALLBACK)
        })
    }

    /// Used only if the embedded file failed to parse, which a unit test rules out: it
    /// refuses everything (fails closed) rather than guess numbers.
    const FALLBACK: Limits = Limits {
        event_hours_max: 0.0,
        lexicon_word_max_chars: 0,
        lexicon_words_max: 0,
        rules_max: 0,
        condition_depth_max: 0,
        parameter_number_max: 0.0,
        demo_schools_max: 0,
        related_items_listed_max: 0,
        nesting_depth_max: 0,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_file_parses_and_is_what_is_used() {
        let parsed = toml::from_str::<File>(SOURCE).map(|f| f.limits);
        assert_eq!(parsed.ok().as_ref(), Some(Limits::get()));
    }
}
