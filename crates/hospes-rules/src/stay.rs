//! Permitted short stay: the "at most `max` days in any window of `window` days" rule.
//!
//! The Schengen rule lets a visitor spend at most 90 days in any 180-day period. The window and
//! the maximum are parameters here ([`StayRule`], 180 and 90 by default), so other rules of the
//! same shape fit too.
//!
//! # Inputs
//!
//! * **Stays**: an entry date and an exit date, both counted (a stay from 1 to 3 March is three
//!   days; entering and leaving on the same day is one). A stay with no exit yet is *open*: the
//!   person is still present, and it counts up to the control date. Stays may be given in any
//!   order. Two stays may share one day, the exit day of one being the entry day of the next
//!   (someone who leaves and comes back on the same day); that day counts once. Any other shared
//!   day is an error, as is a stay after an open one. *This sharing is a choice: the rule's
//!   sources do not say; rejecting it would reject real border-crossing records.*
//! * **Control date**: the day the question is asked about ("today" at a border check).
//! * **Planned entry** (optional): a day the person would like to enter.
//!
//! # Outputs and their definitions
//!
//! Write `W` for the window and `M` for the maximum, and *the window ending on day d* for the
//! days `d − (W − 1)` to `d`, both counted.
//!
//! * `days_used`: days present in the window ending on the control date.
//! * `days_remaining`: `M − days_used`, and zero once that is negative. It is what the window
//!   holds room for *today*; how long one may actually stay is `possible_stay_until`, which also
//!   counts the old days that drop out of the window meanwhile.
//! * `overstay_days`: `days_used − M`, and zero when that is negative: how far the window ending
//!   on the control date is over the maximum. This is the figure the SEM's example 5 calls the
//!   overstay "at departure" (99 days used on 9 June 2014, so 9 days over). *A choice:* another
//!   reading would count the days present while over the limit; for a single run of days without
//!   old days dropping out of the window the two agree, as they do in that example.
//! * `possible_stay_until`: the person is taken to be present on the control date (already
//!   there, or entering that day) and to stay on day after day; this is the last day of that
//!   continuous stay on which the window ending that day still holds at most `M` days. `None`
//!   when even the control date itself would be over the limit (already in breach, or no room
//!   left to enter today).
//! * `max_stay_from_planned_entry`: the same continuous stay begun on the planned entry day, as
//!   a number of days counting the entry day (0 when entering that day is already over the limit).
//!   Recorded days on or after the planned entry are taken as part of that stay.
//! * `max_days_in_any_window` and `breach`: the most days any window of `W` days holds over the
//!   whole record (every stay, including any after the control date, open stays counted up to
//!   the control date), and whether that exceeds `M`.
//!
//! # Method
//!
//! Stays are merged into sorted runs of days with a running total of days before each run, so
//! the number of days present between two dates is two binary searches ([`Presence`]). A
//! continuous stay's window count never decreases from one day to the next (each day adds one
//! and at most one old day drops out), so the longest stay is found by binary search over at most
//! `W` days. Some busiest window ends on the last day of a run, so only those windows are
//! tried. Nothing walks the record day by day; the tests compare with a reference that
//! does.
//!
//! [`validity_on`] is the small helper for visas and permits: which validity period covers a day,
//! and until when.

mod error;
mod parse;
mod presence;
mod report;
mod rule;
mod validity;

pub use error::{DateError, StayError, StayTextProblem};
pub use parse::{parse_date, parse_day_count, parse_stay, parse_stays};
pub use presence::{Presence, Stay};
pub use report::{StayQuery, StayReport, calculate_stay};
pub use rule::{DEFAULT_MAX_DAYS, DEFAULT_WINDOW_DAYS, LONGEST_WINDOW_DAYS, StayRule};
pub use validity::{ValidityCover, ValidityPeriod, validity_on};
