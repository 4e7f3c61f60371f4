//! Status: GREEN, YELLOW or RED for a person on a day, with the rules that fired, a reason in plain
//! words for each, and the records behind it.
//!
//! # What decides the status
//!
//! The rules are configuration, not code: a versioned TOML file (`config/status-rules.toml` is
//! shipped and compiled in; an operator may load their own with [`StatusRules::from_file`]). Each
//! rule has an id, a colour (red or yellow), a label in plain words, and one *condition* from a fixed
//! vocabulary whose categories, kinds, payload fields and thresholds the file gives:
//!
//! | condition | holds when |
//! |---|---|
//! | `in_force` | a selected record's effective period covers the day |
//! | `overstay` | the person is present, over the stay rule's maximum, and nothing selected covers the stay |
//! | `missing_after_entry` | present past a deadline after entry, with no selected record to satisfy it |
//! | `unsettled` | a debt's due date plus grace has passed and nothing matching settles it |
//! | `lapsed_patent` | a patent in force is not covered by advance payments made in time |
//! | `work_without_permit` | work is in force, not ended, with no permit in force and no exemption |
//! | `expired_document` | no selected document is valid and one has expired |
//! | `identity_link` | an identity link of the given kinds is unresolved |
//!
//! A rule with `while_present = true` applies only while the person is in the country. The status is
//! the most severe colour among the rules that fire, and GREEN when none does.
//!
//! # Which records count on a day
//!
//! A record counts on `as_of` when Hospes had received it by then, its effective period had begun by
//! then, and no officer's decision overturned it. A record that a counting record supersedes (a newer
//! version, a correction, a lifting of a ban, a cancellation of a notice, an exclusion from the
//! register) does not count. Contested records count, and are named as contested in the reason.
//! Presence is read from border crossings (see [`PersonView`](person::PersonView)).
//!
//! # Cost
//!
//! [`evaluate`] makes one pass over the person's records, sorts those that count by category, and
//! lets each rule read only its categories; it allocates a handful of small vectors, and strings only
//! for rules that fire. [`status_history`] evaluates on the days where something can change (record
//! dates, deadlines, expiries, the day an overstay begins) rather than on every day, and
//! [`next_change`] says when a stored status must be recomputed even if no record arrives.

mod calendar;
mod condition;
mod error;
mod evaluate;
mod fields;
mod file;
mod history;
mod person;
mod reason;
mod selector;

use std::collections::HashSet;

use hospes_model::{Date, Record, RecordId};
use serde::{Deserialize, Serialize};

/// The trust level reads the same input; re-exported so that one import serves both views.
pub use crate::trust::{TrustEvidence, TrustReport, trust_level};
pub use error::{RulesError, RulesProblem};
pub use evaluate::{Colour, FiredRule, StatusReport, evaluate};
pub use file::{Rule, SHIPPED_STATUS_RULES, StatusRules};
pub use history::{StatusChange, StatusHistory, next_change, status_history};
pub(crate) use person::{Entry, PersonView};
pub(crate) use selector::Selector;

/// Everything the status of one person is computed from.
#[derive(Debug, Clone, Copy)]
pub struct StatusInput<'a> {
    /// The person's records, in any order (envelope and typed body).
    pub records: &'a [Record],
    /// Records the person contests: they still count, and reasons name them as contested.
    pub contested: &'a HashSet<RecordId>,
    /// Records an officer's decision overturned: they do not count at all.
    pub overturned: &'a HashSet<RecordId>,
    /// Identity links about the person that no officer has decided yet.
    pub unresolved_identity_links: &'a [IdentityLinkRef],
    /// What Hospes knew: with `Some(day)`, records received by that day count from their effective
    /// date (the status on a past day as known now, when `day` is today); with `None`, a record
    /// counts only from the day it was received (what Hospes would have said on each day).
    pub known_on: Option<Date>,
}

/// An identity link awaiting an officer's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityLinkRef {
    pub link_id: String,
    pub kind: IdentityLinkKind,
    /// When the link was raised.
    pub since: Date,
}

/// Why two records' persons were linked for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityLinkKind {
    /// Possibly the same person, possibly two: an officer must look.
    Review,
    /// Signs that one person uses two identities (or two persons one).
    SuspectedFraud,
}

impl IdentityLinkKind {
    pub fn parse(text: &str) -> Option<IdentityLinkKind> {
        match text {
            "review" => Some(IdentityLinkKind::Review),
            "suspected_fraud" => Some(IdentityLinkKind::SuspectedFraud),
            _ => None,
        }
    }

    /// In words, for reasons.
    pub fn words(self) -> &'static str {
        match self {
            IdentityLinkKind::Review => "review",
            IdentityLinkKind::SuspectedFraud => "suspected fraud",
        }
    }
}
