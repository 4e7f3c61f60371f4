//! The rule's two numbers, checked once so that the calculation can trust them.

use super::error::StayError;

/// The Schengen window: 180 days.
pub const DEFAULT_WINDOW_DAYS: u32 = 180;

/// The Schengen maximum: 90 days in the window.
pub const DEFAULT_MAX_DAYS: u32 = 90;

/// The longest window accepted: a century. Real rules use months or a few years; anything longer
/// is a typing mistake.
pub const LONGEST_WINDOW_DAYS: u32 = 36_600;

/// "At most `max_days` days present in any `window_days` consecutive days."
///
/// Always valid: `1 <= max_days < window_days <= LONGEST_WINDOW_DAYS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StayRule {
    window_days: u32,
    max_days: u32,
}

impl StayRule {
    /// The Schengen short-stay rule: 90 days in any 180.
    pub const SCHENGEN: StayRule = StayRule { window_days: DEFAULT_WINDOW_DAYS, max_days: DEFAULT_MAX_DAYS };

    /// Checks the two numbers. They are signed so that a negative number typed by a user gets
    /// its own error rather than a parse failure.
    pub fn new(window_days: i64, max_days: i64) -> Result<StayRule, StayError> {
        if window_days <= 0 {
            return Err(StayError::WindowNotPositive { window_days });
        }
        let too_long = StayError::WindowTooLong { window_days, limit: LONGEST_WINDOW_DAYS };
        let window = u32::try_from(window_days).map_err(|_| too_long.clone())?;
        if window > LONGEST_WINDOW_DAYS {
            return Err(too_long);
        }
        if max_days <= 0 {
            return Err(StayError::MaximumNotPositive { max_days });
        }
        let not_below = StayError::MaximumNotBelowWindow { max_days, window_days };
        let maximum = u32::try_from(max_days).map_err(|_| not_below.clone())?;
        if maximum >= window {
            return Err(not_below);
        }
        Ok(StayRule { window_days: window, max_days: maximum })
    }

    /// How many consecutive days a window spans.
    pub fn window_days(&self) -> u32 {
        self.window_days
    }

    /// How many days present a window may hold.
    pub fn max_days(&self) -> u32 {
        self.max_days
    }
}

impl Default for StayRule {
    fn default() -> StayRule {
        StayRule::SCHENGEN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(window_days: i64, max_days: i64, expected: Result<(u32, u32), StayError>) {
        let actual = StayRule::new(window_days, max_days).map(|rule| (rule.window_days(), rule.max_days()));
        assert_eq!(actual, expected, "window {window_days}, max {max_days}");
    }

    #[test]
    fn accepts_rules_whose_maximum_is_below_the_window() {
        check(180, 90, Ok((180, 90)));
        check(2, 1, Ok((2, 1)));
        check(720, 180, Ok((720, 180)));
        check(36_600, 36_599, Ok((36_600, 36_599)));
    }

    #[test]
    fn rejects_windows_that_are_not_positive_or_too_long() {
        check(0, 90, Err(StayError::WindowNotPositive { window_days: 0 }));
        check(-180, 90, Err(StayError::WindowNotPositive { window_days: -180 }));
        let too_long = |window_days| StayError::WindowTooLong { window_days, limit: LONGEST_WINDOW_DAYS };
        check(36_601, 90, Err(too_long(36_601)));
        check(i64::MAX, 90, Err(too_long(i64::MAX)));
    }

    #[test]
    fn rejects_maximums_that_are_not_positive_or_not_below_the_window() {
        check(180, 0, Err(StayError::MaximumNotPositive { max_days: 0 }));
        check(180, -1, Err(StayError::MaximumNotPositive { max_days: -1 }));
        let not_below = |max_days| StayError::MaximumNotBelowWindow { max_days, window_days: 180 };
        check(180, 180, Err(not_below(180)));
        check(180, 181, Err(not_below(181)));
        check(180, i64::MAX, Err(not_below(i64::MAX)));
        check(1, 1, Err(StayError::MaximumNotBelowWindow { max_days: 1, window_days: 1 }));
    }

    #[test]
    fn defaults_to_the_schengen_rule() {
        assert_eq!(StayRule::default(), StayRule::SCHENGEN);
        assert_eq!(StayRule::new(180, 90), Ok(StayRule::SCHENGEN));
    }
}
