//! MRZ dates: six characters `YYMMDD`, a century to be inferred, and parts that may be unknown.

use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};

use crate::check_digit::FILLER;

/// How many years ahead of the reference date an expiry date may lie before it is read as
/// belonging to the previous century. Passports run ten years and some documents longer; twenty
/// leaves room for those while keeping old expiries (read from expired documents) in the past.
pub const EXPIRY_YEARS_AHEAD: i32 = 20;

/// Which date a field holds, which decides how its two-digit year is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateKind {
    /// A date of birth cannot lie after the reference date, so its century is the latest one
    /// that keeps it there.
    Birth,
    /// A date of expiry lies at most [`EXPIRY_YEARS_AHEAD`] years after the reference date.
    Expiry,
}

/// What is wrong with a date field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateProblem {
    /// The field does not hold six characters.
    #[error("a date has six characters (YYMMDD)")]
    WrongLength,
    /// A two-character part mixes digits with fillers or holds letters.
    #[error("the {part} must be two digits, or two fillers when unknown")]
    NotDigits {
        /// `year`, `month` or `day`.
        part: &'static str,
    },
    /// The month is above 12.
    #[error("month {month} does not exist")]
    MonthOutOfRange {
        /// The month as written.
        month: u32,
    },
    /// The day is beyond the end of its month (31 February, 31 April, 29 February outside leap years).
    #[error("day {day} does not exist in month {month} of {year}")]
    DayOutOfRange {
        /// The day as written.
        day: u32,
        /// The month it was checked against.
        month: u32,
        /// The year it was checked against (2000, a leap year, when the year is unknown).
        year: i32,
    },
}

/// A date as an MRZ carries it: the raw six characters plus whatever could be read from them.
///
/// Doc 9303 fills an unknown date, or its unknown parts, with `<`. Some issuers write `00` for an
/// unknown month or day instead; those are read as unknown too rather than rejected. A year whose
/// two digits are present is resolved to four digits against the reference date the parser was
/// given (see [`DateKind`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MrzDate {
    raw: String,
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
}

impl MrzDate {
    /// A fully known date.
    pub fn from_date(date: NaiveDate) -> Self {
        Self {
            raw: format!("{:02}{:02}{:02}", date.year().rem_euclid(100), date.month(), date.day()),
            year: Some(date.year()),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }

    /// A date of which nothing is known: six fillers.
    pub fn unknown() -> Self {
        Self { raw: FILLER.to_string().repeat(6), year: None, month: None, day: None }
    }

    /// A date with some parts unknown, written with fillers in their place. The known parts must
    /// form a possible date.
    pub fn partial(year: Option<i32>, month: Option<u32>, day: Option<u32>) -> Result<Self, DateProblem> {
        check_month_and_day(year, month, day)?;
        let two_digits = |value: Option<u32>| match value {
            Some(value) => format!("{value:02}"),
            None => FILLER.to_string().repeat(2),
        };
        let raw = format!(
            "{}{}{}",
            two_digits(year.map(|year| year.rem_euclid(100).unsigned_abs())),
            two_digits(month),
            two_digits(day)
        );
        Ok(Self { raw, year, month, day })
    }

    /// Reads six MRZ characters, resolving the century against `reference` according to `kind`.
    pub fn parse(raw: &str, kind: DateKind, reference: NaiveDate) -> Result<Self, DateProblem> {
        if raw.chars().count() != 6 {
            return Err(DateProblem::WrongLength);
        }
        let mut characters = raw.chars();
        let mut next_part = |part: &'static str| -> Result<Option<u32>, DateProblem> {
            let first = characters.next();
            let second = characters.next();
            match (first, second) {
                (Some(FILLER), Some(FILLER)) => Ok(None),
                (Some(first), Some(second)) => match (first.to_digit(10), second.to_digit(10)) {
                    (Some(tens), Some(units)) => Ok(Some(tens * 10 + units)),
                    _ => Err(DateProblem::NotDigits { part }),
                },
                _ => Err(DateProblem::WrongLength),
            }
        };
        let two_digit_year = next_part("year")?;
        // `00` for an unknown month or day is national practice, not Doc 9303; read it as unknown.
        let month = next_part("month")?.filter(|month| *month != 0);
        let day = next_part("day")?.filter(|day| *day != 0);
        if let Some(month) = month
            && month > 12
        {
            return Err(DateProblem::MonthOutOfRange { month });
        }
        let year = two_digit_year.map(|two_digits| resolve_century(two_digits, month, day, kind, reference));
        check_month_and_day(year, month, day)?;
        Ok(Self { raw: raw.to_string(), year, month, day })
    }

    /// The six characters as written in the zone.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The four-digit year, when known.
    pub fn year(&self) -> Option<i32> {
        self.year
    }

    /// The month (1–12), when known.
    pub fn month(&self) -> Option<u32> {
        self.month
    }

    /// The day of the month, when known.
    pub fn day(&self) -> Option<u32> {
        self.day
    }

    /// The calendar date, when every part is known.
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month?, self.day?)
    }

    /// Whether nothing at all is known of the date.
    pub fn is_unknown(&self) -> bool {
        self.year.is_none() && self.month.is_none() && self.day.is_none()
    }
}

impl Serialize for MrzDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct MrzDateJson<'a> {
            raw: &'a str,
            year: Option<i32>,
            month: Option<u32>,
            day: Option<u32>,
            date: Option<String>,
        }
        MrzDateJson {
            raw: &self.raw,
            year: self.year,
            month: self.month,
            day: self.day,
            date: self.date().map(|date| date.format("%Y-%m-%d").to_string()),
        }
        .serialize(serializer)
    }
}

/// Picks the century for a two-digit year.
fn resolve_century(two_digits: u32, month: Option<u32>, day: Option<u32>, kind: DateKind, reference: NaiveDate) -> i32 {
    let reference_year = reference.year();
    let century_start = reference_year - reference_year.rem_euclid(100);
    let two_digits = i32::try_from(two_digits).unwrap_or(0);
    let candidate = century_start + two_digits;
    match kind {
        DateKind::Birth => {
            // Compare only the parts that are known: an unknown month or day cannot push the
            // date into the future.
            let candidate_key = (candidate, month.unwrap_or(0), day.unwrap_or(0));
            let reference_key = (reference_year, reference.month(), reference.day());
            if candidate_key > reference_key { candidate - 100 } else { candidate }
        }
        DateKind::Expiry => {
            if candidate > reference_year + EXPIRY_YEARS_AHEAD {
                candidate - 100
            } else if candidate <= reference_year + EXPIRY_YEARS_AHEAD - 100 {
                candidate + 100
            } else {
                candidate
            }
        }
    }
}

/// Checks that the known parts of a date can exist together.
fn check_month_and_day(year: Option<i32>, month: Option<u32>, day: Option<u32>) -> Result<(), DateProblem> {
    if let Some(month) = month
        && !(1..=12).contains(&month)
    {
        return Err(DateProblem::MonthOutOfRange { month });
    }
    if let Some(day) = day {
        // With the year unknown, 29 February must stay possible: check against a leap year.
        let year_for_check = year.unwrap_or(2000);
        let last_day = match month {
            Some(month) => days_in_month(year_for_check, month),
            None => 31,
        };
        if day == 0 || day > last_day {
            return Err(DateProblem::DayOutOfRange { day, month: month.unwrap_or(0), year: year_for_check });
        }
    }
    Ok(())
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let first_of_next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    first_of_next.and_then(|first| first.pred_opt()).map(|last| last.day()).unwrap_or(31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 15).expect("valid reference date")
    }

    /// Year, month and day as read.
    type Parts = (Option<i32>, Option<u32>, Option<u32>);

    fn check(raw: &str, kind: DateKind, expected: Result<Parts, DateProblem>) {
        let parsed = MrzDate::parse(raw, kind, reference()).map(|date| (date.year(), date.month(), date.day()));
        assert_eq!(parsed, expected, "{raw} as {kind:?}");
    }

    #[test]
    fn birth_dates_never_lie_in_the_future() {
        check("740812", DateKind::Birth, Ok((Some(1974), Some(8), Some(12))));
        check("250615", DateKind::Birth, Ok((Some(2025), Some(6), Some(15))));
        check("250616", DateKind::Birth, Ok((Some(1925), Some(6), Some(16))));
        check("240101", DateKind::Birth, Ok((Some(2024), Some(1), Some(1))));
        check("300101", DateKind::Birth, Ok((Some(1930), Some(1), Some(1))));
        check("000229", DateKind::Birth, Ok((Some(2000), Some(2), Some(29))));
    }

    #[test]
    fn expiry_dates_lie_within_twenty_years_ahead() {
        check("120415", DateKind::Expiry, Ok((Some(2012), Some(4), Some(15))));
        check("450101", DateKind::Expiry, Ok((Some(2045), Some(1), Some(1))));
        check("460101", DateKind::Expiry, Ok((Some(1946), Some(1), Some(1))));
        check("970801", DateKind::Expiry, Ok((Some(1997), Some(8), Some(1))));
    }

    #[test]
    fn impossible_dates_are_rejected() {
        check("741312", DateKind::Birth, Err(DateProblem::MonthOutOfRange { month: 13 }));
        check("740231", DateKind::Birth, Err(DateProblem::DayOutOfRange { day: 31, month: 2, year: 1974 }));
        check("010229", DateKind::Birth, Err(DateProblem::DayOutOfRange { day: 29, month: 2, year: 2001 }));
        check("740432", DateKind::Birth, Err(DateProblem::DayOutOfRange { day: 32, month: 4, year: 1974 }));
        check("74O812", DateKind::Birth, Err(DateProblem::NotDigits { part: "month" }));
        check("7<0812", DateKind::Birth, Err(DateProblem::NotDigits { part: "year" }));
        check("74081", DateKind::Birth, Err(DateProblem::WrongLength));
    }

    #[test]
    fn unknown_parts_are_kept_as_unknown() {
        check("<<<<<<", DateKind::Birth, Ok((None, None, None)));
        check("74<<<<", DateKind::Birth, Ok((Some(1974), None, None)));
        check("7408<<", DateKind::Birth, Ok((Some(1974), Some(8), None)));
        check("740000", DateKind::Birth, Ok((Some(1974), None, None)));
        check("<<0229", DateKind::Birth, Ok((None, Some(2), Some(29))));
        assert!(MrzDate::parse("<<<<<<", DateKind::Expiry, reference()).is_ok_and(|date| date.is_unknown()));
    }

    #[test]
    fn constructed_dates_write_their_raw_form() {
        let date = NaiveDate::from_ymd_opt(1974, 8, 12).expect("valid date");
        assert_eq!(MrzDate::from_date(date).raw(), "740812");
        assert_eq!(MrzDate::unknown().raw(), "<<<<<<");
        assert_eq!(
            MrzDate::partial(Some(1974), None, None).map(|date| date.raw().to_string()),
            Ok("74<<<<".to_string())
        );
        assert_eq!(
            MrzDate::partial(Some(1974), Some(2), Some(30)),
            Err(DateProblem::DayOutOfRange { day: 30, month: 2, year: 1974 })
        );
    }
}
