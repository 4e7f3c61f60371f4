//! The person's own view of who accessed their data: the audit events that concern them, in plain
//! words.

use hospes_model::PersonId;
use hospes_store::audit::AuditStore;
use serde::Serialize;

use crate::event::{AuditEvent, Outcome};
use crate::log::AuditError;

/// One access, as the person reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessLogEntry {
    /// The position of the event in the audit log (for an inclusion proof).
    pub event: i64,
    pub when: String,
    /// The organisation that looked.
    pub organisation: String,
    /// In which capacity (`border_officer`, `employer`, …).
    pub roles: Vec<String>,
    pub action: String,
    pub purpose: Option<String>,
    /// The purpose in plain words.
    pub why: String,
    pub categories_seen: Vec<String>,
    pub categories_withheld: Vec<String>,
    pub outcome: Outcome,
    /// One sentence: who, when, why, what.
    pub summary: String,
}

/// The newest `limit` accesses to `person`'s data, newest first. `describe_purpose` gives the plain
/// words for a purpose id (the policy crate has them).
pub async fn access_log(
    store: &dyn AuditStore,
    person: PersonId,
    limit: i64,
    describe_purpose: impl Fn(&str) -> Option<String>,
) -> Result<Vec<AccessLogEntry>, AuditError> {
    let mut entries = Vec::new();
    for stored in store.person_events(person, limit).await? {
        let event: AuditEvent = serde_json::from_slice(&stored.event)
            .map_err(|error| AuditError::Corrupt { leaf_index: stored.leaf_index, reason: error.to_string() })?;
        let why = match (event.outcome, event.purpose.as_deref()) {
            // A refused request did not happen for the purpose it claimed: say what was asked.
            (Outcome::Denied, Some(purpose)) => {
                format!("Someone asked for your data, declaring the purpose '{purpose}'.")
            }
            (Outcome::Denied, None) => "Someone asked for your data without declaring a purpose.".to_owned(),
            (_, purpose) => {
                purpose.and_then(&describe_purpose).unwrap_or_else(|| action_in_words(&event.action).to_owned())
            }
        };
        let seen = if event.categories_returned.is_empty() {
            "no data".to_owned()
        } else {
            event.categories_returned.join(", ").replace('_', " ")
        };
        let outcome = match event.outcome {
            // Retention is not an access: say what went, which the event's detail holds.
            _ if event.action == RETENTION_ACTION => event.detail.clone().unwrap_or_default(),
            Outcome::Allowed => format!("They saw: {seen}."),
            Outcome::Denied => "They were refused.".to_owned(),
            Outcome::NotFound => "Nothing was found.".to_owned(),
        };
        let summary = format!("{} — {}: {} {}", event.occurred_at, event.actor.organisation, why, outcome);
        entries.push(AccessLogEntry {
            event: stored.leaf_index,
            when: event.occurred_at,
            organisation: event.actor.organisation,
            roles: event.actor.roles,
            action: event.action,
            purpose: event.purpose,
            why,
            categories_seen: event.categories_returned,
            categories_withheld: event.categories_withheld,
            outcome: event.outcome,
            summary,
        });
    }
    Ok(entries)
}

/// The action of the events the retention job records, one per person whose records it destroyed.
pub const RETENTION_ACTION: &str = "destroy_expired";

fn action_in_words(action: &str) -> &'static str {
    match action {
        RETENTION_ACTION => "Records about you reached the end of their retention period and were destroyed.",
        "ingest" => "An agency added records about you.",
        "file_contest" => "You contested a record.",
        "decide_contest" => "An officer decided on your contest.",
        "read_own_profile" => "You looked at your own data.",
        "read_own_access_log" => "You looked at who accessed your data.",
        _ => "Your data was accessed.",
    }
}
