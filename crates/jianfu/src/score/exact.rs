//! Exact sums (精确求和): burden and hours are summed in fixed point, so a sum does not depend
//! on the order of its terms. Partial results from other threads or machines then merge into
//! exactly the single-pass result, bit for bit — floating-point addition could not promise that.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Units per teacher-hour: sums are exact in units of 2⁻⁴⁸ teacher-hour (about 3.6 × 10⁻¹⁵).
/// Each term is cut to a whole unit once, where it enters; after that nothing is lost.
const SCALE: f64 = (1u64 << 48) as f64;

/// Terms at or beyond this many units overflow the sum's range (2¹²⁰, a margin below i128's
/// 2¹²⁷ so that sums of billions of the largest terms still fit).
const TERM_MAX: f64 = (1u128 << 120) as f64;

/// A sum of teacher-hours (or weighted teacher-hours) in fixed point.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sum(i128);

impl Sum {
    /// Zero.
    pub const ZERO: Sum = Sum(0);

    /// A term in whole units (cut toward zero), or `None` when it is not finite or beyond the
    /// range the sums keep exact.
    #[inline]
    pub fn term(value: f64) -> Option<Sum> {
        let units = value * SCALE;
        if units.abs() < 9.0e18 {
            // The common case, in one instruction: an i64 holds it.
            Some(Sum(i128::from(units as i64)))
        } else if units.abs() < TERM_MAX {
            Some(Sum(units as i128))
        } else {
            None
        }
    }

    /// `self + other`, or `None` when the sum leaves the range.
    #[inline]
    #[must_use]
    pub fn checked_add(self, other: Sum) -> Option<Sum> {
        self.0.checked_add(other.0).map(Sum)
    }

    /// The sum as a number of teacher-hours (rounded to the nearest `f64` once).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / SCALE
    }

    /// Whether the sum is zero.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

/// Adds `term` into `slot`; returns false (and leaves `slot`) when the sum would overflow.
#[inline]
pub(crate) fn add(slot: &mut Sum, term: Sum) -> bool {
    match slot.checked_add(term) {
        Some(sum) => {
            *slot = sum;
            true
        }
        None => false,
    }
}

// In JSON a sum is a string of units: an i128 does not fit a JSON number that every reader
// (JavaScript, pandas) keeps exact.
impl Serialize for Sum {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Sum {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse::<i128>().map(Sum).map_err(|_| {
            serde::de::Error::custom(format!(
                "`{text}` is not a sum (a whole number of 2^-48 teacher-hour units)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_do_not_depend_on_order() {
        let terms = [0.1, 1e6, 2.4, 1.0 / 3.0, 7e-9, 13.5];
        let sum = |order: &[usize]| {
            let mut s = Sum::ZERO;
            for &i in order {
                let t = terms
                    .get(i)
                    .copied()
                    .and_then(Sum::term)
                    .unwrap_or_default();
                assert!(add(&mut s, t));
            }
            s
        };
        assert_eq!(sum(&[0, 1, 2, 3, 4, 5]), sum(&[5, 3, 1, 4, 0, 2]));
        let f = sum(&[0, 1, 2, 3, 4, 5]).to_f64();
        assert!((f - terms.iter().sum::<f64>()).abs() < 1e-9);
    }

    #[test]
    fn out_of_range_terms_and_sums_are_refused() {
        assert_eq!(Sum::term(f64::NAN), None);
        assert_eq!(Sum::term(f64::INFINITY), None);
        assert_eq!(Sum::term(1e30), None);
        assert!(Sum::term(1e20).is_some());
        let mut s = Sum(i128::MAX - 1);
        assert!(!add(&mut s, Sum(5)));
        assert_eq!(s, Sum(i128::MAX - 1));
    }

    #[test]
    fn a_sum_round_trips_through_json() {
        let s = Sum::term(19.9).unwrap_or_default();
        let json = serde_json::to_string(&s).unwrap_or_default();
        assert_eq!(serde_json::from_str::<Sum>(&json).ok(), Some(s));
        assert!(serde_json::from_str::<Sum>("\"x\"").is_err());
    }
}
