//! The whole answer for one person on one control date, and the query the command line builds.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::error::StayError;
use super::parse::{parse_date, parse_day_count, parse_stays};
use super::presence::{Presence, Stay};
use super::rule::{DEFAULT_MAX_DAYS, DEFAULT_WINDOW_DAYS, StayRule};

/// Everything the rule says about one person on one control date. The outputs are defined in
/// the [module documentation](super). Serialises field by field in this order, dates as
/// `YYYY-MM-DD`, `null` where a value does not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StayReport {
    /// Days present in the window ending on the control date.
    pub days_used: u32,
    /// The maximum less the days used, at least zero.
    pub days_remaining: u32,
    /// The days used beyond the maximum, at least zero.
    pub overstay_days: u32,
    /// The last day of a continuous stay through the control date that keeps within the rule;
    /// `None` when even the control date is over the limit.
    pub possible_stay_until: Option<NaiveDate>,
    /// The longest continuous stay, in days, beginning on the planned entry; `None` without one.
    pub max_stay_from_planned_entry: Option<u32>,
    /// The last day of that stay; `None` without a planned entry or when no day is possible.
    pub planned_stay_until: Option<NaiveDate>,
    /// The most days any window holds over the whole record.
    pub max_days_in_any_window: u32,
    /// Whether some window over the whole record holds more than the maximum.
    pub breach: bool,
    /// Whether a recorded stay covers the control date.
    pub present_on_control_date: bool,
    /// The day asked about.
    pub control_date: NaiveDate,
    /// The first day of the window ending on the control date.
    pub window_start: NaiveDate,
    /// The planned entry, as given.
    pub planned_entry: Option<NaiveDate>,
    /// The rule's window.
    pub window_days: u32,
    /// The rule's maximum.
    pub max_days: u32,
}

impl StayReport {
    /// The report as pretty-printed JSON, what `hospes stay` prints.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }
}

/// Applies `rule` to `stays` on `control_date`, and to a stay beginning on `planned_entry` if one
/// is given. Fails on contradictory stays (see [`Presence::from_stays`]).
pub fn calculate_stay(
    stays: &[Stay],
    control_date: NaiveDate,
    planned_entry: Option<NaiveDate>,
    rule: StayRule,
) -> Result<StayReport, StayError> {
    let presence = Presence::from_stays(stays, Some(control_date))?;
    let days_used = presence.days_in_window_ending(control_date, rule);
    let stay_from_control_date = presence.longest_continuous_stay_from(control_date, rule);
    let max_stay_from_planned_entry = planned_entry.map(|entry| presence.longest_continuous_stay_from(entry, rule));
    let planned_stay_until = match (planned_entry, max_stay_from_planned_entry) {
        (Some(entry), Some(days)) => last_day_of_stay(entry, days)?,
        _ => None,
    };
    let max_days_in_any_window = presence.max_days_in_any_window(rule);
    Ok(StayReport {
        days_used,
        days_remaining: rule.max_days().saturating_sub(days_used),
        overstay_days: days_used.saturating_sub(rule.max_days()),
        possible_stay_until: last_day_of_stay(control_date, stay_from_control_date)?,
        max_stay_from_planned_entry,
        planned_stay_until,
        max_days_in_any_window,
        breach: max_days_in_any_window > rule.max_days(),
        present_on_control_date: presence.is_present_on(control_date),
        control_date,
        window_start: shift(control_date, -(i64::from(rule.window_days()) - 1))?,
        planned_entry,
        window_days: rule.window_days(),
        max_days: rule.max_days(),
    })
}

/// The last day of a stay of `days` days beginning on `entry`; `None` for no days at all.
fn last_day_of_stay(entry: NaiveDate, days: u32) -> Result<Option<NaiveDate>, StayError> {
    match days.checked_sub(1) {
        None => Ok(None),
        Some(days_after_entry) => shift(entry, i64::from(days_after_entry)).map(Some),
    }
}

/// `date` moved by `days` (negative: earlier), or an error off the ends of the calendar.
fn shift(date: NaiveDate, days: i64) -> Result<NaiveDate, StayError> {
    let distance = Days::new(days.unsigned_abs());
    let shifted = if days < 0 { date.checked_sub_days(distance) } else { date.checked_add_days(distance) };
    shifted.ok_or(StayError::BeyondCalendar { from: date, days })
}

/// One `hospes stay` question, read from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StayQuery {
    /// The recorded stays.
    pub stays: Vec<Stay>,
    /// `--on`.
    pub control_date: NaiveDate,
    /// `--planned-entry`.
    pub planned_entry: Option<NaiveDate>,
    /// `--window` and `--max`.
    pub rule: StayRule,
}

impl StayQuery {
    /// Reads the command-line values as typed: `stays` as `--stays` takes them
    /// (`2014-08-15..2014-09-30,2024-01-01..`), dates as `YYYY-MM-DD`, and the window and maximum
    /// (180 and 90 when not given). Errors name the option or the stay that is wrong.
    pub fn parse(
        stays: &str,
        control_date: &str,
        planned_entry: Option<&str>,
        window_days: Option<&str>,
        max_days: Option<&str>,
    ) -> Result<StayQuery, StayError> {
        let stays = parse_stays(stays)?;
        let control_date =
            parse_date(control_date).map_err(|problem| StayError::InvalidDate { option: "--on", problem })?;
        let planned_entry = planned_entry
            .map(|text| {
                parse_date(text).map_err(|problem| StayError::InvalidDate { option: "--planned-entry", problem })
            })
            .transpose()?;
        let window_days = match window_days {
            Some(text) => parse_day_count("--window", text)?,
            None => i64::from(DEFAULT_WINDOW_DAYS),
        };
        let max_days = match max_days {
            Some(text) => parse_day_count("--max", text)?,
            None => i64::from(DEFAULT_MAX_DAYS),
        };
        Ok(StayQuery { stays, control_date, planned_entry, rule: StayRule::new(window_days, max_days)? })
    }

    /// Answers the question.
    pub fn run(&self) -> Result<StayReport, StayError> {
        calculate_stay(&self.stays, self.control_date, self.planned_entry, self.rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stay::error::{DateError, StayTextProblem};

    fn date(text: &str) -> NaiveDate {
        parse_date(text).expect("a test date")
    }

    /// The figures most cases are about, in the report's order:
    /// `(days_used, days_remaining, overstay_days, possible_stay_until,
    /// max_stay_from_planned_entry, max_days_in_any_window)`.
    type Figures = (u32, u32, u32, Option<&'static str>, Option<u32>, u32);

    fn check(stays: &str, on: &str, planned_entry: Option<&str>, window_and_max: (i64, i64), expected: Figures) {
        let rule = StayRule::new(window_and_max.0, window_and_max.1).expect("valid rule");
        let stays = parse_stays(stays).expect("valid stays");
        let report = calculate_stay(&stays, date(on), planned_entry.map(date), rule).expect("valid query");
        let actual = (
            report.days_used,
            report.days_remaining,
            report.overstay_days,
            report.possible_stay_until,
            report.max_stay_from_planned_entry,
            report.max_days_in_any_window,
        );
        let (used, remaining, overstay, until, planned, busiest) = expected;
        assert_eq!(actual, (used, remaining, overstay, until.map(date), planned, busiest), "{stays:?} on {on}");
        assert_eq!(report.breach, busiest > rule.max_days());
    }

    #[test]
    fn nobody_has_used_any_days_without_stays() {
        // Entering on the control date: 90 days, the control date and 89 more.
        check("", "2024-01-01", Some("2024-06-01"), (180, 90), (0, 90, 0, Some("2024-03-30"), Some(90), 0));
    }

    #[test]
    fn counts_the_window_ending_on_the_control_date() {
        // Window 2014-06-04..2014-11-30: 47 + 30 days.
        check(
            "2014-08-15..2014-09-30,2014-11-01..2014-11-30",
            "2014-11-30",
            None,
            (180, 90),
            (77, 13, 0, Some("2014-12-13"), None, 77),
        );
        // Control date 2015-03-28, window from 2014-09-30: the last day of the first stay and
        // the 30 of the second. Entering that day, the old days have all left the window by
        // the 63rd day of the new stay (2015-05-29, window from 2014-12-01), so the whole
        // 90 days are possible: 2015-03-28 and 89 more.
        check(
            "2014-08-15..2014-09-30,2014-11-01..2014-11-30",
            "2015-03-28",
            None,
            (180, 90),
            (31, 59, 0, Some("2015-06-25"), None, 77),
        );
    }

    #[test]
    fn open_stays_count_up_to_the_control_date() {
        // 2024-01-01..2024-03-30 is 90 days: may stay the control date and no more.
        check("2024-01-01..", "2024-03-30", None, (180, 90), (90, 0, 0, Some("2024-03-30"), None, 90));
        // One day later: already over, by one.
        check("2024-01-01..", "2024-03-31", None, (180, 90), (91, 0, 1, None, None, 91));
    }

    #[test]
    fn no_room_to_enter_on_the_control_date() {
        // 90 days used and not present: entering today would make 91.
        check("2024-01-01..2024-03-30", "2024-04-10", None, (180, 90), (90, 0, 0, None, None, 90));
    }

    #[test]
    fn planned_entry_inside_a_recorded_stay_continues_it() {
        // Entering on 2024-01-10 while recorded present 2024-01-01..2024-01-20: the 9 days before
        // count, so 81 more days from 2024-01-10.
        check(
            "2024-01-01..2024-01-20",
            "2024-01-05",
            Some("2024-01-10"),
            (180, 90),
            (5, 85, 0, Some("2024-03-30"), Some(81), 20),
        );
    }

    #[test]
    fn the_first_possible_re_entry_after_ninety_days() {
        // SEM 2025 example 1: after 2025-03-01..2025-05-29 the first re-entry is 28 August.
        check(
            "2025-03-01..2025-05-29",
            "2025-05-29",
            Some("2025-08-27"),
            (180, 90),
            (90, 0, 0, Some("2025-05-29"), Some(0), 90),
        );
        check(
            "2025-03-01..2025-05-29",
            "2025-05-29",
            Some("2025-08-28"),
            (180, 90),
            (90, 0, 0, Some("2025-05-29"), Some(90), 90),
        );
    }

    #[test]
    fn other_windows_and_maximums() {
        // Window 5, maximum 4: present 1-3 January, then from the 5th. The windows ending on
        // the 5th to the 8th hold four days each (an old day drops out as a new one comes in);
        // the window ending on the 9th is the five days 5-9 January.
        check("2023-01-01..2023-01-03", "2023-01-05", None, (5, 4), (3, 1, 0, Some("2023-01-08"), None, 3));
        check("2023-01-01..2023-01-01", "2023-01-01", None, (2, 1), (1, 0, 0, Some("2023-01-01"), None, 1));
    }

    #[test]
    fn reports_the_planned_stay_end() {
        let stays = parse_stays("2014-08-15..2014-09-30").expect("valid");
        let report =
            calculate_stay(&stays, date("2014-09-30"), Some(date("2015-01-01")), StayRule::SCHENGEN).expect("valid");
        assert_eq!(report.max_stay_from_planned_entry, Some(90));
        assert_eq!(report.planned_stay_until, Some(date("2015-03-31")));
        assert_eq!(report.window_start, date("2014-04-04"));
        assert!(report.present_on_control_date);
    }

    #[test]
    fn answers_beyond_the_calendar_are_errors() {
        let report = calculate_stay(&[], NaiveDate::MAX, None, StayRule::SCHENGEN);
        assert_eq!(report, Err(StayError::BeyondCalendar { from: NaiveDate::MAX, days: 89 }));
        let report = calculate_stay(&[], NaiveDate::MIN, None, StayRule::SCHENGEN);
        assert_eq!(report, Err(StayError::BeyondCalendar { from: NaiveDate::MIN, days: -179 }));
    }

    #[test]
    fn reads_the_command_line() {
        let check = |arguments: (&str, &str, Option<&str>, Option<&str>, Option<&str>),
                     expected: Result<StayQuery, StayError>| {
            let (stays, on, planned_entry, window_days, max_days) = arguments;
            assert_eq!(StayQuery::parse(stays, on, planned_entry, window_days, max_days), expected, "{arguments:?}");
        };
        check(
            ("2024-01-01..", "2024-02-01", None, None, None),
            Ok(StayQuery {
                stays: vec![Stay::open(date("2024-01-01"))],
                control_date: date("2024-02-01"),
                planned_entry: None,
                rule: StayRule::SCHENGEN,
            }),
        );
        check(
            ("", "2024-02-01", Some("2024-03-01"), Some("720"), Some("180")),
            Ok(StayQuery {
                stays: vec![],
                control_date: date("2024-02-01"),
                planned_entry: Some(date("2024-03-01")),
                rule: StayRule::new(720, 180).expect("valid"),
            }),
        );
        check(
            ("", "01.02.2024", None, None, None),
            Err(StayError::InvalidDate {
                option: "--on",
                problem: DateError::Malformed { text: "01.02.2024".to_string() },
            }),
        );
        check(
            ("", "2024-02-01", Some("2023-02-29"), None, None),
            Err(StayError::InvalidDate {
                option: "--planned-entry",
                problem: DateError::Impossible { text: "2023-02-29".to_string() },
            }),
        );
        check(
            ("2024-01-01", "2024-02-01", None, None, None),
            Err(StayError::InvalidStay {
                position: 1,
                text: "2024-01-01".to_string(),
                problem: StayTextProblem::MissingRangeSeparator,
            }),
        );
        check(("", "2024-02-01", None, Some("0"), None), Err(StayError::WindowNotPositive { window_days: 0 }));
        check(
            ("", "2024-02-01", None, Some("90"), None),
            Err(StayError::MaximumNotBelowWindow { max_days: 90, window_days: 90 }),
        );
        check(
            ("", "2024-02-01", None, None, Some("lots")),
            Err(StayError::InvalidDayCount { option: "--max", text: "lots".to_string() }),
        );
        check(("", "2024-02-01", None, None, Some("-1")), Err(StayError::MaximumNotPositive { max_days: -1 }));
    }

    #[test]
    fn running_a_query_reports_contradictory_stays() {
        let query = StayQuery::parse("2014-01-01..2014-01-31,2014-01-20..2014-02-10", "2014-03-01", None, None, None)
            .expect("readable");
        let error = query.run().expect_err("overlap");
        assert_eq!(
            error.to_string(),
            "stay 1 (2014-01-01..2014-01-31) and stay 2 (2014-01-20..2014-02-10) overlap: a person cannot enter again before leaving"
        );
    }
}
