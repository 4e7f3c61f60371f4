//! Derived views of a person's record: status, trust level and permitted stay, each with the
//! reasons that produced it.
//!
//! A view is computed from facts, never stored: the same facts give the same view, so a view can
//! be recomputed for a million persons after a rule changes. Each module is one view and stands on
//! its own.
//!
//! * [`stay`] — the permitted short stay under a "so many days in any window of so many days"
//!   rule (the Schengen 90/180 rule by default): days used, days left, overstay, how long the
//!   person may stay, plus the small helper that says which visa or permit covers a date. Its
//!   inputs are plain dates.
//! * [`status`] — GREEN, YELLOW or RED for a person on a day, from a versioned rules file, with the
//!   rules that fired, their reasons and the records behind them; the history of changes.
//! * [`trust`] — the identity assurance level 0 to 3, with its evidence and what is missing.
//!
//! Status and trust read the typed records of `hospes-model`; the crate does no IO except reading
//! a rules file that the caller names.

pub mod status;
pub mod stay;
pub mod trust;
