//! What one audit event says: who, in which role and organisation, for what purpose, did what to
//! whose data, which categories they got and which were withheld, and how it ended.

use chrono::{DateTime, SecondsFormat, Utc};
use hospes_model::PersonId;
use serde::{Deserialize, Serialize};

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The authenticated subject: an officer's id, an account, an agency key id, a person's own id.
    pub subject: String,
    pub organisation: String,
    /// The roles the request was made under (`border_officer`, `person`, `agency_feed`, …).
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// How a request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Data was returned or written.
    Allowed,
    /// Policy refused it (a missing or disallowed purpose, a role without the right).
    Denied,
    /// Authorised, but there was nothing to return.
    NotFound,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
            Outcome::NotFound => "not_found",
        }
    }
}

/// One audit event. Its canonical JSON (RFC 8785) is the Merkle leaf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// RFC 3339, UTC, milliseconds.
    pub occurred_at: String,
    /// The request id (`X-Request-Id`), to find the request in the logs.
    pub request_id: String,
    pub actor: Actor,
    /// What was done: `read_profile`, `read_records`, `read_record`, `search_persons`, `run_check`,
    /// `ingest`, `read_own_profile`, `read_own_access_log`, `file_contest`, `decide_contest`,
    /// `read_audit_log`.
    pub action: String,
    /// The declared purpose, when the action needs one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// The persons whose data it concerned.
    pub persons: Vec<PersonId>,
    pub categories_returned: Vec<String>,
    pub categories_withheld: Vec<String>,
    pub outcome: Outcome,
    /// A short note for the auditor (e.g. why it was denied, or how many records were written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl AuditEvent {
    /// An event stamped now, with nothing returned or withheld yet.
    pub fn new(request_id: impl Into<String>, actor: Actor, action: impl Into<String>, outcome: Outcome) -> Self {
        Self {
            occurred_at: timestamp(Utc::now()),
            request_id: request_id.into(),
            actor,
            action: action.into(),
            purpose: None,
            persons: Vec::new(),
            categories_returned: Vec::new(),
            categories_withheld: Vec::new(),
            outcome,
            detail: None,
        }
    }
}

/// The form of `occurred_at`.
pub fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}
