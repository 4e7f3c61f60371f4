//! The derived views of one person — status and trust level — computed from their records when asked.
//!
//! Computing on read is what keeps the status incremental: a new record changes nothing until that
//! person is asked about, and then only their records are read and evaluated (a few microseconds for
//! the rules; see `hospes bench status`). Nothing is recomputed for everyone when one record arrives.

use std::collections::HashSet;

use hospes_model::{Date, Record, RecordId, record_from_canonical_body};
use hospes_rules::status::{
    IdentityLinkRef, StatusHistory, StatusInput, StatusReport, StatusRules, TrustReport, evaluate, status_history,
    trust_level,
};
use hospes_store::StoredRecord;

/// A person's records in typed form, and what could not be read.
#[derive(Debug, Default)]
pub struct TypedRecords {
    pub records: Vec<Record>,
    /// Records whose body retention destroyed: they no longer count.
    pub destroyed: Vec<RecordId>,
    /// Records whose stored body no longer fits the model (logged; they do not count).
    pub unreadable: Vec<RecordId>,
}

/// Turns stored records into typed ones for the rules.
pub fn typed_records(stored: &[StoredRecord]) -> TypedRecords {
    let mut typed = TypedRecords { records: Vec::with_capacity(stored.len()), ..TypedRecords::default() };
    for record in stored {
        let record_id = record.envelope.record_id;
        let Some(body) = &record.body else {
            typed.destroyed.push(record_id);
            continue;
        };
        match record_from_canonical_body(record.envelope.clone(), body) {
            Ok(record) => typed.records.push(record),
            Err(error) => {
                tracing::warn!(%record_id, %error, "a stored record cannot be read for the status");
                typed.unreadable.push(record_id);
            }
        }
    }
    typed
}

/// What, besides the records, the derived views read: contests, decisions and identity links, and
/// the day whose knowledge to use.
#[derive(Debug, Default, Clone)]
pub struct Annotations {
    pub contested: HashSet<RecordId>,
    pub overturned: HashSet<RecordId>,
    pub unresolved_identity_links: Vec<IdentityLinkRef>,
    /// Count the records received by this day (today: everything known now); see
    /// [`StatusInput::known_on`].
    pub known_on: Option<Date>,
}

/// Status and trust level of one person on a day.
pub fn derive(
    rules: &StatusRules,
    records: &[Record],
    annotations: &Annotations,
    as_of: Date,
) -> (StatusReport, TrustReport) {
    let input = input(records, annotations);
    (evaluate(rules, &input, as_of), trust_level(&input, as_of))
}

/// Every change of status between two days.
pub fn history(
    rules: &StatusRules,
    records: &[Record],
    annotations: &Annotations,
    from: Date,
    to: Date,
) -> StatusHistory {
    status_history(rules, &input(records, annotations), from, to)
}

fn input<'a>(records: &'a [Record], annotations: &'a Annotations) -> StatusInput<'a> {
    StatusInput {
        records,
        contested: &annotations.contested,
        overturned: &annotations.overturned,
        unresolved_identity_links: &annotations.unresolved_identity_links,
        known_on: annotations.known_on,
    }
}
