//! Stays, checked and merged into runs of days present, and the few counts the rule needs.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::error::StayError;
use super::rule::StayRule;

/// One stay in the territory: the entry day and the exit day, both counted; no exit while the
/// person is still there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stay {
    /// The first day present.
    pub entry: NaiveDate,
    /// The last day present, or `None` for a stay not yet ended (counted up to the control date).
    pub exit: Option<NaiveDate>,
}

impl Stay {
    /// A stay that has ended.
    pub fn closed(entry: NaiveDate, exit: NaiveDate) -> Stay {
        Stay { entry, exit: Some(exit) }
    }

    /// A stay not yet ended.
    pub fn open(entry: NaiveDate) -> Stay {
        Stay { entry, exit: None }
    }
}

/// Written as on the command line: `2014-08-15..2014-09-30`, or `2024-01-01..` when open.
impl fmt::Display for Stay {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.exit {
            Some(exit) => write!(formatter, "{}..{}", self.entry, exit),
            None => write!(formatter, "{}..", self.entry),
        }
    }
}

/// Days counted from a fixed origin, so that date arithmetic is integer arithmetic that cannot
/// overflow (every `NaiveDate` is within ±2³¹ days, far from the ends of `i64`).
fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
}

/// A count of days as the API gives it. Every count here is at most the distance between two
/// `NaiveDate`s (under 2³¹ days), so the fallback never applies.
fn day_count(days: i64) -> u32 {
    u32::try_from(days).unwrap_or(u32::MAX)
}

/// Consecutive days present, first and last both counted, as day numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DayRun {
    first: i64,
    last: i64,
}

/// A stay after its own checks, with what sorting and merging need.
struct CheckedStay {
    position: usize,
    stay: Stay,
    first: i64,
    /// The last day that counts: the exit, or the control date for an open stay.
    last_counted: i64,
    /// The last day for the overlap check: an open stay lasts for ever, since the person has
    /// not left.
    last_for_overlap: i64,
}

/// The days a person was present, as sorted runs with running totals: counting the days between
/// any two dates takes two binary searches, however long the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    /// Sorted, disjoint and not touching (touching runs are merged into one).
    runs: Vec<DayRun>,
    /// `days_before_run[index]`: the days present in all runs before `runs[index]`.
    days_before_run: Vec<i64>,
}

impl Presence {
    /// Checks the stays and merges them. Open stays count up to `control_date`; without one an
    /// open stay is an error.
    ///
    /// Errors: a stay that ends before it starts, two stays that share more than a changeover
    /// day (see the [module documentation](super)), a stay starting after an open one, an open
    /// stay starting after the control date.
    pub fn from_stays(stays: &[Stay], control_date: Option<NaiveDate>) -> Result<Presence, StayError> {
        let mut checked = Vec::with_capacity(stays.len());
        for (index, stay) in stays.iter().enumerate() {
            checked.push(check_stay(index + 1, *stay, control_date)?);
        }

        // Sorted by entry, then by end, neighbours are enough: if no neighbours overlap, ends
        // never decrease, so no stay can reach into one further on.
        checked.sort_by_key(|stay| (stay.first, stay.last_for_overlap, stay.position));
        for pair in checked.windows(2) {
            if let [earlier, later] = pair
                && later.first < earlier.last_for_overlap
            {
                return Err(StayError::OverlappingStays {
                    first_position: earlier.position,
                    first: earlier.stay,
                    second_position: later.position,
                    second: later.stay,
                });
            }
        }

        let mut runs: Vec<DayRun> = Vec::with_capacity(checked.len());
        for stay in &checked {
            match runs.last_mut() {
                Some(run) if stay.first <= run.last + 1 => run.last = run.last.max(stay.last_counted),
                _ => runs.push(DayRun { first: stay.first, last: stay.last_counted }),
            }
        }

        let mut days_before_run = Vec::with_capacity(runs.len());
        let mut total = 0;
        for run in &runs {
            days_before_run.push(total);
            total += run.last - run.first + 1;
        }
        Ok(Presence { runs, days_before_run })
    }

    /// Days present from `first` to `last`, both counted; zero when `first` is after `last`.
    pub fn days_between(&self, first: NaiveDate, last: NaiveDate) -> u32 {
        day_count(self.days_from_to(day_number(first), day_number(last)))
    }

    /// Whether the person was present on `day`.
    pub fn is_present_on(&self, day: NaiveDate) -> bool {
        let day = day_number(day);
        self.days_from_to(day, day) == 1
    }

    /// Days present in the window of the rule that ends on `last_day`.
    pub fn days_in_window_ending(&self, last_day: NaiveDate, rule: StayRule) -> u32 {
        let last = day_number(last_day);
        let window = i64::from(rule.window_days());
        day_count(self.days_from_to(last - window + 1, last))
    }

    /// The longest continuous stay beginning on `entry` (that day counted) during which the
    /// window ending on each day holds at most the maximum. Zero when entering that day is
    /// already over the limit. Recorded days from `entry` on are part of this stay anyway.
    pub fn longest_continuous_stay_from(&self, entry: NaiveDate, rule: StayRule) -> u32 {
        let entry = day_number(entry);
        let window = i64::from(rule.window_days());
        let maximum = i64::from(rule.max_days());
        // The window ending `offset` days after the entry holds the recorded days before the
        // entry that are still inside it, plus the `offset + 1` days of this stay so far (all
        // inside it, since the search below keeps `offset` below `window`).
        let days_in_window_at = |offset: i64| self.days_from_to(entry + offset - window + 1, entry - 1) + offset + 1;
        // From one offset to the next the stay adds a day and at most one earlier day drops
        // out, so the count never decreases. At offset `window - 1` the window is this stay
        // alone, `window` days, over the maximum (which is below the window). So the first
        // offset over the maximum lies in `lowest..=highest`, and is the number of days allowed.
        let mut lowest = 0;
        let mut highest = window - 1;
        while lowest < highest {
            let middle = lowest + (highest - lowest) / 2;
            if days_in_window_at(middle) > maximum {
                highest = middle;
            } else {
                lowest = middle + 1;
            }
        }
        day_count(lowest)
    }

    /// The most days present that any window of the rule holds, over the whole record.
    pub fn max_days_in_any_window(&self, rule: StayRule) -> u32 {
        let window = i64::from(rule.window_days());
        // Some busiest window ends on the last day of a run. Take any window. If its last day
        // is present, move it later day by day up to the end of that run: each move adds a day
        // present and drops at most one. If its last day is absent, move it earlier until it
        // ends on a day present, the last of a run: each move drops an absent day and adds at
        // most one. Neither loses a day (and a window with no day present has none to lose).
        self.runs.iter().map(|run| self.days_from_to(run.last - window + 1, run.last)).max().map_or(0, day_count)
    }

    /// Days present from `first` to `last` (day numbers, both counted).
    fn days_from_to(&self, first: i64, last: i64) -> i64 {
        if first > last {
            return 0;
        }
        self.days_up_to(last) - self.days_up_to(first - 1)
    }

    /// Days present on or before `day` (a day number).
    fn days_up_to(&self, day: i64) -> i64 {
        let runs_started = self.runs.partition_point(|run| run.first <= day);
        let Some(index) = runs_started.checked_sub(1) else {
            return 0;
        };
        let (Some(run), Some(days_before)) = (self.runs.get(index), self.days_before_run.get(index)) else {
            return 0;
        };
        days_before + run.last.min(day) - run.first + 1
    }
}

/// The checks one stay passes on its own, and the days it spans.
fn check_stay(position: usize, stay: Stay, control_date: Option<NaiveDate>) -> Result<CheckedStay, StayError> {
    let first = day_number(stay.entry);
    let (last_counted, last_for_overlap) = match (stay.exit, control_date) {
        (Some(exit), _) if exit < stay.entry => {
            return Err(StayError::ExitBeforeEntry { position, stay });
        }
        (Some(exit), _) => (day_number(exit), day_number(exit)),
        (None, Some(control_date)) if stay.entry > control_date => {
            return Err(StayError::OpenStayAfterControlDate { position, stay, control_date });
        }
        (None, Some(control_date)) => (day_number(control_date), i64::MAX),
        (None, None) => return Err(StayError::OpenStayWithoutControlDate { position, stay }),
    };
    Ok(CheckedStay { position, stay, first, last_counted, last_for_overlap })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stay::parse::{parse_date, parse_stays};

    fn date(text: &str) -> NaiveDate {
        parse_date(text).expect("a test date")
    }

    fn presence(stays: &str, control_date: Option<&str>) -> Result<Presence, StayError> {
        let stays = parse_stays(stays).expect("test stays");
        Presence::from_stays(&stays, control_date.map(date))
    }

    /// The merged runs, written as stays, or the error.
    fn check_merge(stays: &str, control_date: Option<&str>, expected: Result<&str, StayError>) {
        let actual = presence(stays, control_date).map(|presence| {
            presence
                .runs
                .iter()
                .map(|run| {
                    let first = NaiveDate::from_num_days_from_ce_opt(run.first as i32);
                    let last = NaiveDate::from_num_days_from_ce_opt(run.last as i32);
                    Stay::closed(first.expect("first"), last.expect("last")).to_string()
                })
                .collect::<Vec<_>>()
                .join(",")
        });
        assert_eq!(actual, expected.map(str::to_string), "stays {stays}");
    }

    fn stay(text: &str) -> Stay {
        parse_stays(text).expect("a test stay")[0]
    }

    #[test]
    fn merges_stays_into_sorted_runs() {
        check_merge("", None, Ok(""));
        check_merge(
            "2014-11-01..2014-11-30,2014-08-15..2014-09-30",
            None,
            Ok("2014-08-15..2014-09-30,2014-11-01..2014-11-30"),
        );
        // Leaving and coming back the same day: one day shared, counted once.
        check_merge("2014-01-01..2014-01-10,2014-01-10..2014-01-20", None, Ok("2014-01-01..2014-01-20"));
        // Coming back the next day: runs touch and merge.
        check_merge("2014-01-01..2014-01-10,2014-01-11..2014-01-20", None, Ok("2014-01-01..2014-01-20"));
        check_merge("2014-01-05..2014-01-05,2014-01-05..2014-01-05", None, Ok("2014-01-05..2014-01-05"));
        check_merge("2014-01-01..2014-01-10,2014-01-10..", Some("2014-02-01"), Ok("2014-01-01..2014-02-01"));
        check_merge("2014-01-10..", Some("2014-01-10"), Ok("2014-01-10..2014-01-10"));
        // A closed stay after the control date still counts (for the whole-record figures).
        check_merge("2030-01-01..2030-01-02", Some("2014-01-01"), Ok("2030-01-01..2030-01-02"));
    }

    #[test]
    fn rejects_stays_that_contradict_each_other() {
        check_merge(
            "2014-01-01..2014-01-10,2014-09-30..2014-08-15",
            None,
            Err(StayError::ExitBeforeEntry { position: 2, stay: stay("2014-09-30..2014-08-15") }),
        );
        check_merge(
            "2014-03-01..2014-03-20,2014-01-01..2014-01-10,2014-01-09..2014-01-12",
            None,
            Err(StayError::OverlappingStays {
                first_position: 2,
                first: stay("2014-01-01..2014-01-10"),
                second_position: 3,
                second: stay("2014-01-09..2014-01-12"),
            }),
        );
        // A one-day stay inside a longer one is not a changeover.
        check_merge(
            "2014-01-01..2014-01-10,2014-01-05..2014-01-05",
            None,
            Err(StayError::OverlappingStays {
                first_position: 1,
                first: stay("2014-01-01..2014-01-10"),
                second_position: 2,
                second: stay("2014-01-05..2014-01-05"),
            }),
        );
        check_merge(
            "2014-01-01..,2014-01-05..2014-01-06",
            Some("2014-01-03"),
            Err(StayError::OverlappingStays {
                first_position: 1,
                first: stay("2014-01-01.."),
                second_position: 2,
                second: stay("2014-01-05..2014-01-06"),
            }),
        );
        check_merge(
            "2014-01-01..,2014-01-01..",
            Some("2014-01-03"),
            Err(StayError::OverlappingStays {
                first_position: 1,
                first: stay("2014-01-01.."),
                second_position: 2,
                second: stay("2014-01-01.."),
            }),
        );
        check_merge(
            "2014-01-05..",
            Some("2014-01-04"),
            Err(StayError::OpenStayAfterControlDate {
                position: 1,
                stay: stay("2014-01-05.."),
                control_date: date("2014-01-04"),
            }),
        );
        check_merge(
            "2014-01-01..2014-01-02,2014-01-05..",
            None,
            Err(StayError::OpenStayWithoutControlDate { position: 2, stay: stay("2014-01-05..") }),
        );
    }

    #[test]
    fn counts_days_between_dates() {
        let presence = presence("2014-08-15..2014-09-30,2014-11-01..2014-11-30", None).expect("valid");
        let check = |first: &str, last: &str, expected: u32| {
            assert_eq!(presence.days_between(date(first), date(last)), expected, "{first}..{last}");
        };
        check("2014-01-01", "2014-12-31", 77);
        check("2014-08-15", "2014-08-15", 1);
        check("2014-08-14", "2014-08-14", 0);
        check("2014-09-30", "2014-11-01", 2);
        check("2014-10-01", "2014-10-31", 0);
        check("2014-11-30", "2014-11-01", 0);
        check("2014-09-01", "2014-11-10", 40);
        assert!(presence.is_present_on(date("2014-09-30")));
        assert!(!presence.is_present_on(date("2014-10-01")));
    }

    #[test]
    fn finds_the_busiest_window() {
        let check = |stays: &str, window_days: i64, max_days: i64, expected: u32| {
            let rule = StayRule::new(window_days, max_days).expect("valid rule");
            let presence = presence(stays, None).expect("valid stays");
            assert_eq!(presence.max_days_in_any_window(rule), expected, "{stays}");
        };
        check("", 180, 90, 0);
        check("2014-01-01..2014-01-01", 180, 90, 1);
        check("2014-01-01..2014-12-31", 180, 90, 180);
        // Two runs of 4 days, 3 days apart, window 10: no window holds all 11 days from the
        // first to the last, the best hold 7 (1-10 or 2-11 January).
        check("2014-01-01..2014-01-04,2014-01-08..2014-01-11", 10, 5, 7);
    }
}
