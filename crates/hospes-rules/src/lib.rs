//! Derived views of a person's record: status, trust level and permitted stay, each with the
//! reasons that produced it.
//!
//! A view is computed from facts, never stored: the same facts give the same view, so a view can
//! be recomputed for a million persons after a rule changes. Each module is one view and stands on
//! its own.
//!
//! * [`stay`] — the permitted short stay under a "so many days in any window of so many days"
//!   rule (the Schengen 90/180 rule by default): days used, days left, overstay, how long the
//!   person may stay, plus the small helper that says which visa or permit covers a date.
//!
//! The crate depends on no other Hospes crate; its inputs are plain dates.

pub mod status;
pub mod stay;
pub mod trust;
