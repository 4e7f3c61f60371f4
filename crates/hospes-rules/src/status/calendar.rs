//! Deadlines: periods of days, working days or months, and the calendar of days off that working
//! days are counted against.
//!
//! A deadline is the *last day allowed*: "7 working days after entry on Monday 3 March" is Wednesday
//! 12 March, and a rule fires from Thursday 13 March. Months are calendar months, clamped to the
//! month's end (31 January plus one month is the last day of February).

use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate};

use super::error::RulesProblem;

/// The longest period accepted: anything longer is a typing mistake (and would run dates off the
/// calendar).
const LONGEST_PERIOD_DAYS: u32 = 3_660;
const LONGEST_PERIOD_WORKING_DAYS: u32 = 2_500;
const LONGEST_PERIOD_MONTHS: u32 = 120;

/// A length of time counted from a day: `30 days`, `7 working days`, `2 months`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Days(u32),
    WorkingDays(u32),
    Months(u32),
}

impl Period {
    /// Reads `N days`, `N working days` or `N months` (`day`, `working day`, `month` for one). N must
    /// be at least 1: a deadline of nothing is a mistake, not a rule.
    pub fn parse(text: &str) -> Result<Period, RulesProblem> {
        let bad = || RulesProblem::BadPeriod(text.to_string());
        let mut words = text.split_whitespace();
        let count: i64 = words.next().ok_or_else(bad)?.parse().map_err(|_| bad())?;
        let unit: Vec<&str> = words.collect();
        let make: fn(u32) -> Period = match unit.as_slice() {
            ["day" | "days"] => Period::Days,
            ["working", "day" | "days"] => Period::WorkingDays,
            ["month" | "months"] => Period::Months,
            _ => return Err(bad()),
        };
        if count <= 0 {
            return Err(RulesProblem::PeriodNotPositive(text.to_string()));
        }
        let period = make(u32::try_from(count).unwrap_or(u32::MAX));
        let limit = match period {
            Period::Days(days) if days > LONGEST_PERIOD_DAYS => Some("3660 days"),
            Period::WorkingDays(days) if days > LONGEST_PERIOD_WORKING_DAYS => Some("2500 working days"),
            Period::Months(months) if months > LONGEST_PERIOD_MONTHS => Some("120 months"),
            _ => None,
        };
        match limit {
            Some(limit) => Err(RulesProblem::PeriodTooLong { text: text.to_string(), limit }),
            None => Ok(period),
        }
    }

    /// The last day of the period counted from `start` (not counting `start` itself): `start` plus
    /// N days, plus N working days of `calendar`, or plus N months. `None` off the calendar.
    pub fn last_day_after(self, start: NaiveDate, calendar: &Calendar) -> Option<NaiveDate> {
        match self {
            Period::Days(days) => start.checked_add_days(Days::new(u64::from(days))),
            Period::Months(months) => start.checked_add_months(Months::new(months)),
            Period::WorkingDays(days) => calendar.add_working_days(start, days),
        }
    }
}

/// Written as the rules file writes it, for reasons: `7 working days`.
impl fmt::Display for Period {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (count, unit) = match *self {
            Period::Days(count) => (count, if count == 1 { "day" } else { "days" }),
            Period::WorkingDays(count) => (count, if count == 1 { "working day" } else { "working days" }),
            Period::Months(count) => (count, if count == 1 { "month" } else { "months" }),
        };
        write!(formatter, "{count} {unit}")
    }
}

/// Which days are not working days: the weekly days off, public holidays, and the weekend days made
/// working days by decree (when a holiday is moved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Indexed by `Weekday::num_days_from_monday`.
    weekend: [bool; 7],
    /// Sorted, without repeats.
    holidays: Vec<NaiveDate>,
    /// Sorted, without repeats; each a weekend day.
    working_weekend_days: Vec<NaiveDate>,
}

impl Default for Calendar {
    /// Saturday and Sunday off, no holidays.
    fn default() -> Self {
        Calendar {
            weekend: [false, false, false, false, false, true, true],
            holidays: Vec::new(),
            working_weekend_days: Vec::new(),
        }
    }
}

impl Calendar {
    /// A calendar from its parts. The checks (not the whole week off, no day both holiday and working
    /// day, working days only on weekends) are the caller's, which knows where in the file each came
    /// from.
    pub(crate) fn new(
        weekend: [bool; 7],
        mut holidays: Vec<NaiveDate>,
        mut working_weekend_days: Vec<NaiveDate>,
    ) -> Self {
        holidays.sort_unstable();
        holidays.dedup();
        working_weekend_days.sort_unstable();
        working_weekend_days.dedup();
        Calendar { weekend, holidays, working_weekend_days }
    }

    pub(crate) fn is_weekend(&self, day: NaiveDate) -> bool {
        self.weekend.get(day.weekday().num_days_from_monday() as usize).copied().unwrap_or(false)
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.working_weekend_days.binary_search(&day).is_ok() {
            return true;
        }
        !self.is_weekend(day) && self.holidays.binary_search(&day).is_err()
    }

    /// The `count`-th working day after `start`. Terminates because at least one weekday is a working
    /// day and the holidays are finitely many.
    fn add_working_days(&self, start: NaiveDate, count: u32) -> Option<NaiveDate> {
        let mut day = start;
        let mut left = count;
        while left > 0 {
            day = day.succ_opt()?;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        Some(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("a test date")
    }

    #[test]
    fn reads_periods_and_refuses_nonsense() {
        let check = |text: &str, expected: Result<Period, RulesProblem>| {
            assert_eq!(Period::parse(text), expected, "{text:?}");
        };
        check("7 working days", Ok(Period::WorkingDays(7)));
        check("1 working day", Ok(Period::WorkingDays(1)));
        check("30 days", Ok(Period::Days(30)));
        check(" 2  months ", Ok(Period::Months(2)));
        check("0 days", Err(RulesProblem::PeriodNotPositive("0 days".into())));
        check("-3 days", Err(RulesProblem::PeriodNotPositive("-3 days".into())));
        check("3 weeks", Err(RulesProblem::BadPeriod("3 weeks".into())));
        check("days", Err(RulesProblem::BadPeriod("days".into())));
        check("", Err(RulesProblem::BadPeriod(String::new())));
        check("7.5 days", Err(RulesProblem::BadPeriod("7.5 days".into())));
        check("121 months", Err(RulesProblem::PeriodTooLong { text: "121 months".into(), limit: "120 months" }));
        check(
            "99999999999 days",
            Err(RulesProblem::PeriodTooLong { text: "99999999999 days".into(), limit: "3660 days" }),
        );
    }

    #[test]
    fn counts_working_days_past_weekends_and_holidays() {
        let calendar = Calendar::new(
            [false, false, false, false, false, true, true],
            vec![date("2024-06-12")],
            vec![date("2024-11-02")],
        );
        let after = |start: &str, period: Period| period.last_day_after(date(start), &calendar);
        // Monday 3 June 2024: Tuesday to Friday are four, Monday 10 and Tuesday 11 June six, and
        // Wednesday 12 June is a holiday, so the seventh is Thursday 13 June.
        assert_eq!(after("2024-06-03", Period::WorkingDays(7)), Some(date("2024-06-13")));
        // From a Friday the first working day is the Monday.
        assert_eq!(after("2024-06-07", Period::WorkingDays(1)), Some(date("2024-06-10")));
        // Saturday 2 November 2024 was a working day by decree.
        assert_eq!(after("2024-11-01", Period::WorkingDays(1)), Some(date("2024-11-02")));
        assert_eq!(after("2024-01-31", Period::Months(1)), Some(date("2024-02-29")));
        assert_eq!(after("2024-01-31", Period::Days(30)), Some(date("2024-03-01")));
        assert_eq!(Period::Days(1).last_day_after(NaiveDate::MAX, &calendar), None);
    }

    #[test]
    fn periods_are_written_as_the_file_writes_them() {
        assert_eq!(Period::WorkingDays(7).to_string(), "7 working days");
        assert_eq!(Period::Days(1).to_string(), "1 day");
        assert_eq!(Period::Months(2).to_string(), "2 months");
    }
}
