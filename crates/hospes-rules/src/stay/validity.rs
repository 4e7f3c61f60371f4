//! Which visa or residence permit covers a day, and until when: the small piece of validity
//! logic the status view needs next to the day counting.

use std::cmp::Reverse;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::error::StayError;

/// The days a visa or permit is valid, first and last both counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ValidityPeriod {
    /// The first valid day.
    pub valid_from: NaiveDate,
    /// The last valid day.
    pub valid_until: NaiveDate,
}

/// The period that covers a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidityCover {
    /// Which period, counting from 0 in the order given.
    pub period_index: usize,
    /// That period's last valid day.
    pub valid_until: NaiveDate,
    /// The last day of cover without a gap, following on through periods that overlap it or
    /// begin the day after one ends (a permit renewed in time).
    pub continuously_valid_until: NaiveDate,
}

/// The period covering `control_date`, or `None` when none does. When several do, the one
/// valid longest is taken (the earliest given among equals), since that is the one to rely on.
/// A period that ends before it begins is an error rather than silently ignored.
pub fn validity_on(periods: &[ValidityPeriod], control_date: NaiveDate) -> Result<Option<ValidityCover>, StayError> {
    for (index, period) in periods.iter().enumerate() {
        if period.valid_until < period.valid_from {
            return Err(StayError::ValidityEndsBeforeStart {
                position: index + 1,
                valid_from: period.valid_from,
                valid_until: period.valid_until,
            });
        }
    }
    let covering = periods
        .iter()
        .enumerate()
        .filter(|(_, period)| period.valid_from <= control_date && control_date <= period.valid_until)
        .max_by_key(|(index, period)| (period.valid_until, Reverse(*index)));
    let Some((period_index, covering_period)) = covering else {
        return Ok(None);
    };

    // Sorted by first day, each period either joins the cover so far (it starts no later than
    // the day after the cover ends) or starts after a gap, as do all later ones.
    let mut by_start: Vec<&ValidityPeriod> = periods.iter().collect();
    by_start.sort_by_key(|period| period.valid_from);
    let mut continuously_valid_until = covering_period.valid_until;
    for period in by_start {
        let Some(day_after_cover) = continuously_valid_until.succ_opt() else {
            break;
        };
        if period.valid_from > day_after_cover {
            break;
        }
        continuously_valid_until = continuously_valid_until.max(period.valid_until);
    }
    Ok(Some(ValidityCover { period_index, valid_until: covering_period.valid_until, continuously_valid_until }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stay::parse::parse_date;

    fn date(text: &str) -> NaiveDate {
        parse_date(text).expect("a test date")
    }

    fn periods(text: &str) -> Vec<ValidityPeriod> {
        text.split(',')
            .filter(|piece| !piece.is_empty())
            .map(|piece| {
                let (from, until) = piece.split_once("..").expect("FROM..UNTIL");
                ValidityPeriod { valid_from: date(from), valid_until: date(until) }
            })
            .collect()
    }

    /// `expected`: the covering period's index, its end, and the end of continuous cover.
    fn check(text: &str, on: &str, expected: Result<Option<(usize, &str, &str)>, StayError>) {
        let expected = expected.map(|cover| {
            cover.map(|(period_index, valid_until, continuously_valid_until)| ValidityCover {
                period_index,
                valid_until: date(valid_until),
                continuously_valid_until: date(continuously_valid_until),
            })
        });
        assert_eq!(validity_on(&periods(text), date(on)), expected, "{text} on {on}");
    }

    #[test]
    fn finds_the_period_covering_a_day() {
        check("", "2024-05-01", Ok(None));
        check("2024-01-01..2024-12-31", "2024-05-01", Ok(Some((0, "2024-12-31", "2024-12-31"))));
        check("2024-01-01..2024-12-31", "2024-01-01", Ok(Some((0, "2024-12-31", "2024-12-31"))));
        check("2024-01-01..2024-12-31", "2024-12-31", Ok(Some((0, "2024-12-31", "2024-12-31"))));
        check("2024-01-01..2024-12-31", "2025-01-01", Ok(None));
        check("2024-01-01..2024-12-31", "2023-12-31", Ok(None));
    }

    #[test]
    fn prefers_the_period_valid_longest() {
        check("2024-01-01..2024-06-30,2024-03-01..2025-02-28", "2024-05-01", Ok(Some((1, "2025-02-28", "2025-02-28"))));
        check("2024-01-01..2024-06-30,2024-03-01..2024-06-30", "2024-05-01", Ok(Some((0, "2024-06-30", "2024-06-30"))));
    }

    #[test]
    fn follows_renewals_without_a_gap() {
        // Renewed the day after, then again with an overlap; a later period after a gap is not
        // continuous cover.
        check(
            "2026-01-01..2026-12-31,2024-01-01..2024-12-31,2025-01-01..2025-06-30,2025-06-01..2025-12-30",
            "2024-05-01",
            Ok(Some((1, "2024-12-31", "2025-12-30"))),
        );
        check("2024-01-01..2024-12-31,2025-01-02..2025-06-30", "2024-05-01", Ok(Some((0, "2024-12-31", "2024-12-31"))));
    }

    #[test]
    fn rejects_a_period_ending_before_it_begins() {
        check(
            "2024-01-01..2024-12-31,2025-06-30..2025-01-01",
            "2024-05-01",
            Err(StayError::ValidityEndsBeforeStart {
                position: 2,
                valid_from: date("2025-06-30"),
                valid_until: date("2025-01-01"),
            }),
        );
    }
}
