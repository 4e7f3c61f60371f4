//! What can be wrong with the input of a stay calculation, said so that the person who typed it
//! can find and fix the bad piece.

use chrono::NaiveDate;

use super::presence::Stay;

/// Why a piece of text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The text is not ten characters of the shape `YYYY-MM-DD`.
    #[error("`{text}` is not a date written YYYY-MM-DD")]
    Malformed {
        /// The text as given.
        text: String,
    },
    /// The shape is right but no such day exists (month 13, 30 February, 29 February in a
    /// common year).
    #[error("`{text}` is not a day of the calendar")]
    Impossible {
        /// The text as given.
        text: String,
    },
}

/// Why one piece of a stay list such as `2014-08-15..2014-09-30` cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StayTextProblem {
    /// Nothing between two commas (or a comma at either end).
    #[error("the stay is empty")]
    Empty,
    /// No `..` between the entry and the exit.
    #[error("expected ENTRY..EXIT, or ENTRY.. for a stay not yet ended")]
    MissingRangeSeparator,
    /// Nothing before the `..`.
    #[error("the entry date is missing")]
    MissingEntry,
    /// The entry date cannot be read.
    #[error("entry date {0}")]
    Entry(DateError),
    /// The exit date cannot be read.
    #[error("exit date {0}")]
    Exit(DateError),
}

/// Everything that stops a stay calculation. Positions count stays from 1 in the order given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StayError {
    /// The window must hold at least one day.
    #[error("the window must be at least 1 day, got {window_days}")]
    WindowNotPositive {
        /// The window as given.
        window_days: i64,
    },
    /// A window this long is a typing mistake, and would push dates off the calendar.
    #[error("the window of {window_days} days is longer than the {limit} days allowed")]
    WindowTooLong {
        /// The window as given.
        window_days: i64,
        /// The longest window accepted.
        limit: u32,
    },
    /// The maximum must allow at least one day.
    #[error("the maximum must be at least 1 day, got {max_days}")]
    MaximumNotPositive {
        /// The maximum as given.
        max_days: i64,
    },
    /// A maximum that fills the whole window limits nothing, and the longest possible stay would
    /// have no end.
    #[error(
        "the maximum of {max_days} days must be smaller than the window of {window_days} days, \
         otherwise the rule limits nothing"
    )]
    MaximumNotBelowWindow {
        /// The maximum as given.
        max_days: i64,
        /// The window as given.
        window_days: i64,
    },
    /// A number of days given as text (such as `--window`) is not a whole number.
    #[error("{option} `{text}` is not a whole number of days")]
    InvalidDayCount {
        /// Which setting, as the user knows it (`--window`, `--max`).
        option: &'static str,
        /// The text as given.
        text: String,
    },
    /// A date given on its own (such as `--on`) cannot be read.
    #[error("{option}: {problem}")]
    InvalidDate {
        /// Which setting, as the user knows it (`--on`, `--planned-entry`).
        option: &'static str,
        /// What is wrong with it.
        problem: DateError,
    },
    /// One piece of a stay list cannot be read.
    #[error("stay {position} `{text}`: {problem}")]
    InvalidStay {
        /// Which piece, counting from 1.
        position: usize,
        /// The piece as given.
        text: String,
        /// What is wrong with it.
        problem: StayTextProblem,
    },
    /// A stay whose exit comes before its entry.
    #[error("stay {position} ({stay}) ends before it starts")]
    ExitBeforeEntry {
        /// Which stay, counting from 1.
        position: usize,
        /// The stay.
        stay: Stay,
    },
    /// Two stays share more than the one day on which one ends and the other begins.
    #[error(
        "stay {first_position} ({first}) and stay {second_position} ({second}) overlap: \
         a person cannot enter again before leaving"
    )]
    OverlappingStays {
        /// The stay that starts first, counting from 1.
        first_position: usize,
        /// That stay.
        first: Stay,
        /// The stay that starts inside it, counting from 1.
        second_position: usize,
        /// That stay.
        second: Stay,
    },
    /// An open stay means "present on the control date", so it cannot begin after it.
    #[error("stay {position} ({stay}) has no exit yet but starts after the control date {control_date}")]
    OpenStayAfterControlDate {
        /// Which stay, counting from 1.
        position: usize,
        /// The stay.
        stay: Stay,
        /// The control date.
        control_date: NaiveDate,
    },
    /// Without a control date there is no day up to which an open stay counts.
    #[error("stay {position} ({stay}) has no exit yet, and there is no control date to count it up to")]
    OpenStayWithoutControlDate {
        /// Which stay, counting from 1.
        position: usize,
        /// The stay.
        stay: Stay,
    },
    /// A date of the answer would lie beyond the calendar (only for dates tens of thousands of
    /// years away).
    #[error("the answer needs a date {days} days from {from}, beyond the calendar")]
    BeyondCalendar {
        /// The date counted from.
        from: NaiveDate,
        /// How many days away (negative: before).
        days: i64,
    },
    /// A visa or permit validity period that ends before it begins.
    #[error("validity period {position} ({valid_from}..{valid_until}) ends before it begins")]
    ValidityEndsBeforeStart {
        /// Which period, counting from 1.
        position: usize,
        /// Its first valid day.
        valid_from: NaiveDate,
        /// Its last valid day.
        valid_until: NaiveDate,
    },
}
