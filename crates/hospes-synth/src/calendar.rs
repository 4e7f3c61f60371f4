//! Date arithmetic the simulation needs: days, months, working days, instants.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rand::Rng;

pub(crate) fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(Duration::days(days)).unwrap_or(date)
}

/// `date` plus `months` calendar months, clamped to the month's end (31 January + 1 = 28/29 February).
pub(crate) fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(date)
}

pub(crate) fn subtract_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months)).unwrap_or(date)
}

pub(crate) fn add_years(date: NaiveDate, years: u32) -> NaiveDate {
    add_months(date, years * 12)
}

pub(crate) fn subtract_years(date: NaiveDate, years: u32) -> NaiveDate {
    subtract_months(date, years * 12)
}

pub(crate) fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The date `working_days` working days after `date` (weekends skipped; public holidays ignored).
pub(crate) fn add_working_days(date: NaiveDate, working_days: u32) -> NaiveDate {
    let mut current = date;
    let mut left = working_days;
    while left > 0 {
        current = add_days(current, 1);
        if is_working_day(current) {
            left -= 1;
        }
    }
    current
}

/// A uniformly drawn date in `first..=last` (or `first` when the range is empty).
pub(crate) fn date_between(rng: &mut impl Rng, first: NaiveDate, last: NaiveDate) -> NaiveDate {
    let span = (last - first).num_days();
    if span <= 0 {
        return first;
    }
    add_days(first, rng.random_range(0..=span))
}

/// A time of day in business hours or, for border crossings, around the clock.
pub(crate) fn instant_on(rng: &mut impl Rng, date: NaiveDate, from_hour: u32, to_hour: u32) -> NaiveDateTime {
    let seconds = rng.random_range(from_hour * 3600..to_hour.max(from_hour + 1) * 3600);
    let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds.min(86_399), 0).unwrap_or(NaiveTime::MIN);
    date.and_time(time)
}

pub(crate) fn days_between(first: NaiveDate, last: NaiveDate) -> i64 {
    (last - first).num_days()
}

/// Age in whole years on `on`.
pub(crate) fn age_on(birth_date: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth_date.year();
    if (on.month(), on.day()) < (birth_date.month(), birth_date.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn working_days_skip_weekends() {
        // 2024-03-01 is a Friday.
        let check = |start: &str, days, expected: &str| {
            assert_eq!(add_working_days(date(start), days), date(expected));
        };
        check("2024-03-01", 1, "2024-03-04");
        check("2024-03-01", 5, "2024-03-08");
        check("2024-03-04", 7, "2024-03-13");
        check("2024-03-04", 0, "2024-03-04");
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month_and_ages_count_birthdays() {
        assert_eq!(add_months(date("2024-01-31"), 1), date("2024-02-29"));
        assert_eq!(add_years(date("2024-02-29"), 1), date("2025-02-28"));
        assert_eq!(age_on(date("1990-04-12"), date("2024-04-11")), 33);
        assert_eq!(age_on(date("1990-04-12"), date("2024-04-12")), 34);
    }
}
