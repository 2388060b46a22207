//! Dates as the contract writes them: exactly `YYYY-MM-DD`.
//!
//! chrono's own reader also takes `2026-3-2`, `+2026-03-02` and surrounding spaces; a date
//! that reads two ways in one file is a typo waiting to be misread, so every input date goes
//! through [`parse_iso`].

use chrono::NaiveDate;
use serde::Deserializer;
use serde::de::Visitor;

/// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day, a real calendar day).
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        let part = bytes.get(range)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
    };
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

/// Refuses a span that ends before it starts, naming both fields (`end` first, so the
/// error's location is the `end` field).
pub(crate) fn check_span(
    start: impl Into<Option<NaiveDate>>,
    end: impl Into<Option<NaiveDate>>,
    names: (&str, &str),
) -> Result<(), String> {
    match (start.into(), end.into()) {
        (Some(start), Some(end)) if end < start => Err(format!(
            "`{}` {end} is before `{}` {start}: the last day cannot come before the first",
            names.1, names.0
        )),
        _ => Ok(()),
    }
}

/// Serde for a record whose derived reader is an inherent fn (`#[serde(remote = "Self")]`):
/// it reads the record, then refuses a span whose last day (`$end`) comes before its first
/// (`$start`). The writer is the derived one.
macro_rules! span_checked {
    ($ty:ident, $start:ident, $end:ident) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = $ty::deserialize(deserializer)?;
                $crate::model::date::check_span(
                    value.$start,
                    value.$end,
                    (stringify!($start), stringify!($end)),
                )
                .map_err(serde::de::Error::custom)?;
                Ok(value)
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $ty::serialize(self, serializer)
            }
        }
    };
}
pub(crate) use span_checked;

/// The serde reader for one strict date (`#[serde(deserialize_with = "date::iso")]`).
pub(crate) fn iso<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    deserializer.deserialize_str(IsoVisitor)
}

/// The serde reader for an optional strict date; `null` is `None`.
pub(crate) fn iso_opt<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    deserializer.deserialize_option(OptVisitor)
}

struct IsoVisitor;

impl Visitor<'_> for IsoVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a date written YYYY-MM-DD")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<NaiveDate, E> {
        parse_iso(text).ok_or_else(|| {
            E::custom(format_args!(
                "invalid date `{text}`: write it YYYY-MM-DD, e.g. 2026-03-02"
            ))
        })
    }
}

struct OptVisitor;

impl<'de> Visitor<'de> for OptVisitor {
    type Value = Option<NaiveDate>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a date written YYYY-MM-DD, or null")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        iso(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_iso;

    #[test]
    fn only_the_iso_form_reads() {
        assert!(parse_iso("2026-03-02").is_some());
        assert!(parse_iso("2024-02-29").is_some());
        for bad in [
            "2026-3-2",
            "+2026-03-02",
            " 2026-03-02",
            "2026-03-02 ",
            "2026-02-30",
            "2026/03/02",
            "-026-03-02",
            "2026-0a-02",
            "",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad:?}");
        }
    }
}
