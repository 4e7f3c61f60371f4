//! Reading the command-line form: dates `YYYY-MM-DD`, stays `ENTRY..EXIT` (or `ENTRY..` while
//! open) separated by commas, and day counts. Each error names the piece that is wrong.

use chrono::NaiveDate;

use super::error::{DateError, StayError, StayTextProblem};
use super::presence::Stay;

/// Reads a date written exactly `YYYY-MM-DD` (surrounding spaces ignored). Other shapes are
/// refused rather than guessed, since `01-02-2014` means different days in different countries.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let text = text.trim();
    let malformed = || DateError::Malformed { text: text.to_string() };
    let shape_is_right = text.len() == 10
        && text.bytes().enumerate().all(|(index, byte)| match index {
            4 | 7 => byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    if !shape_is_right {
        return Err(malformed());
    }
    // All ten characters are ASCII, so these slices fall on character boundaries.
    let year: i32 = text[0..4].parse().map_err(|_| malformed())?;
    let month: u32 = text[5..7].parse().map_err(|_| malformed())?;
    let day: u32 = text[8..10].parse().map_err(|_| malformed())?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| DateError::Impossible { text: text.to_string() })
}

/// Reads one stay: `2014-08-15..2014-09-30`, or `2024-01-01..` for a stay not yet ended. Whether
/// the exit comes after the entry is checked with the other stays, by [`Presence`](super::Presence).
pub fn parse_stay(text: &str) -> Result<Stay, StayTextProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(StayTextProblem::Empty);
    }
    let (entry_text, exit_text) = text.split_once("..").ok_or(StayTextProblem::MissingRangeSeparator)?;
    if entry_text.trim().is_empty() {
        return Err(StayTextProblem::MissingEntry);
    }
    let entry = parse_date(entry_text).map_err(StayTextProblem::Entry)?;
    let exit =
        if exit_text.trim().is_empty() { None } else { Some(parse_date(exit_text).map_err(StayTextProblem::Exit)?) };
    Ok(Stay { entry, exit })
}

/// Reads stays separated by commas, as `--stays` takes them. An empty text is no stays at all.
pub fn parse_stays(text: &str) -> Result<Vec<Stay>, StayError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .enumerate()
        .map(|(index, piece)| {
            parse_stay(piece).map_err(|problem| StayError::InvalidStay {
                position: index + 1,
                text: piece.trim().to_string(),
                problem,
            })
        })
        .collect()
}

/// Reads a whole number of days given for `option` (such as `--window`). Its range is checked
/// by [`StayRule::new`](super::StayRule::new), so that a negative number gets its own error.
pub fn parse_day_count(option: &'static str, text: &str) -> Result<i64, StayError> {
    text.trim().parse().map_err(|_| StayError::InvalidDayCount { option, text: text.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("a test date")
    }

    fn malformed(text: &str) -> DateError {
        DateError::Malformed { text: text.to_string() }
    }

    fn impossible(text: &str) -> DateError {
        DateError::Impossible { text: text.to_string() }
    }

    #[test]
    fn parses_dates_written_year_month_day() {
        let check = |text: &str, expected: Result<NaiveDate, DateError>| {
            assert_eq!(parse_date(text), expected, "{text:?}");
        };
        check("2014-08-15", Ok(date(2014, 8, 15)));
        check(" 2024-02-29 ", Ok(date(2024, 2, 29)));
        check("0001-01-01", Ok(date(1, 1, 1)));
        check("2023-02-29", Err(impossible("2023-02-29")));
        check("2014-13-01", Err(impossible("2014-13-01")));
        check("2014-04-31", Err(impossible("2014-04-31")));
        check("2014-00-10", Err(impossible("2014-00-10")));
        check("2014-01-00", Err(impossible("2014-01-00")));
        check("", Err(malformed("")));
        check("15.08.2014", Err(malformed("15.08.2014")));
        check("2014-8-15", Err(malformed("2014-8-15")));
        check("2014/08/15", Err(malformed("2014/08/15")));
        check("+014-08-15", Err(malformed("+014-08-15")));
        check("2014-08-15T00:00", Err(malformed("2014-08-15T00:00")));
        check("２０１４-08-15", Err(malformed("２０１４-08-15")));
    }

    #[test]
    fn parses_one_stay() {
        let check = |text: &str, expected: Result<Stay, StayTextProblem>| {
            assert_eq!(parse_stay(text), expected, "{text:?}");
        };
        check("2014-08-15..2014-09-30", Ok(Stay::closed(date(2014, 8, 15), date(2014, 9, 30))));
        check(" 2014-08-15 .. 2014-09-30 ", Ok(Stay::closed(date(2014, 8, 15), date(2014, 9, 30))));
        check("2024-01-01..", Ok(Stay::open(date(2024, 1, 1))));
        // Order is checked later, with the other stays.
        check("2014-09-30..2014-08-15", Ok(Stay::closed(date(2014, 9, 30), date(2014, 8, 15))));
        check("", Err(StayTextProblem::Empty));
        check("2014-08-15", Err(StayTextProblem::MissingRangeSeparator));
        check("2014-08-15-2014-09-30", Err(StayTextProblem::MissingRangeSeparator));
        check("..2014-09-30", Err(StayTextProblem::MissingEntry));
        check("2014-02-30..2014-03-01", Err(StayTextProblem::Entry(impossible("2014-02-30"))));
        check("2014-02-01..2014-02-30", Err(StayTextProblem::Exit(impossible("2014-02-30"))));
        check("2014-02-01..2014-03-01..2014-04-01", Err(StayTextProblem::Exit(malformed("2014-03-01..2014-04-01"))));
    }

    #[test]
    fn parses_stay_lists_naming_the_bad_piece() {
        let check = |text: &str, expected: Result<Vec<Stay>, StayError>| {
            assert_eq!(parse_stays(text), expected, "{text:?}");
        };
        check("", Ok(vec![]));
        check(
            "2014-08-15..2014-09-30,2014-11-01..2014-11-30",
            Ok(vec![
                Stay::closed(date(2014, 8, 15), date(2014, 9, 30)),
                Stay::closed(date(2014, 11, 1), date(2014, 11, 30)),
            ]),
        );
        check(
            "2014-08-15..2014-09-30, 2014-11-31..2014-12-02",
            Err(StayError::InvalidStay {
                position: 2,
                text: "2014-11-31..2014-12-02".to_string(),
                problem: StayTextProblem::Entry(impossible("2014-11-31")),
            }),
        );
        check(
            "2014-08-15..2014-09-30,",
            Err(StayError::InvalidStay { position: 2, text: String::new(), problem: StayTextProblem::Empty }),
        );
        check(
            "2014-08-15;2014-09-30",
            Err(StayError::InvalidStay {
                position: 1,
                text: "2014-08-15;2014-09-30".to_string(),
                problem: StayTextProblem::MissingRangeSeparator,
            }),
        );
    }

    #[test]
    fn explains_errors_in_words() {
        let error = parse_stays("2014-08-15..2014-09-30,2014-11-01..2014-11-31").expect_err("bad exit");
        assert_eq!(
            error.to_string(),
            "stay 2 `2014-11-01..2014-11-31`: exit date `2014-11-31` is not a day of the calendar"
        );
        let error = parse_stays("2014-08-15").expect_err("no range");
        assert_eq!(error.to_string(), "stay 1 `2014-08-15`: expected ENTRY..EXIT, or ENTRY.. for a stay not yet ended");
    }

    #[test]
    fn parses_day_counts() {
        let check = |text: &str, expected: Result<i64, StayError>| {
            assert_eq!(parse_day_count("--window", text), expected, "{text:?}");
        };
        check("180", Ok(180));
        check(" -5 ", Ok(-5));
        let invalid = |text: &str| StayError::InvalidDayCount { option: "--window", text: text.to_string() };
        check("", Err(invalid("")));
        check("90.5", Err(invalid("90.5")));
        check("ninety", Err(invalid("ninety")));
        check("99999999999999999999", Err(invalid("99999999999999999999")));
    }
}
