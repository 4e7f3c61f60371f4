//! A stored record: its envelope (who sent what, when, under which law) and its body (who it is about
//! and what it says), and the hash chain that makes the ledger tamper-evident.
//!
//! The chain covers the envelope and a salted digest of the body, not the body itself, so that a body
//! destroyed at the end of its retention period leaves a ledger that still verifies, and the digest
//! that remains cannot be used to confirm a guess of what the body said.

use serde::{Deserialize, Serialize};

use crate::canonical::{CanonicalError, Sha256Digest, canonical_json};
use crate::category::{Category, Sensitivity};
use crate::ids::{AgencyId, RecordId, SourceRecordId};
use crate::parsed::{Date, ShortText, Timestamp};
use crate::payload::Payload;
use crate::subject::Subject;
use crate::validation::FieldError;

/// Version of the canonical header form; bump it, and keep verifying old rows, if the form changes.
pub const CANONICAL_FORMAT_VERSION: u32 = 1;

/// What Hospes knows about a record besides its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordEnvelope {
    pub record_id: RecordId,
    pub agency: AgencyId,
    pub source_record_id: SourceRecordId,
    pub source_version: u32,
    pub category: Category,
    /// One of `category.kinds()`.
    pub kind: String,
    /// When the fact holds: the validity of a permit, the period of a registration, the day of an event.
    pub effective_from: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_to: Option<Date>,
    /// The law or regulation under which the agency holds and sends this record.
    pub legal_basis: ShortText,
    /// When Hospes received the record (set by Hospes, not by the agency).
    pub received_at: Timestamp,
    pub sensitivity: Sensitivity,
    /// Records this one replaces (earlier versions, corrected or lifted decisions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<RecordId>,
}

/// Who the record is about and what it says: the part that retention may destroy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordBody {
    pub subject: Subject,
    pub payload: Payload,
}

impl RecordBody {
    pub fn canonical_bytes(&self) -> Result<Vec<u8>, CanonicalError> {
        canonical_json(self)
    }
}

/// A whole record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub envelope: RecordEnvelope,
    pub body: RecordBody,
}

/// Why a stored body cannot be read back into a typed [`Record`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoredBodyError {
    /// The bytes are not the JSON object `{"payload": …, "subject": …}` that [`RecordBody::canonical_bytes`]
    /// writes.
    #[error("the stored body is not of the form {{\"payload\": …, \"subject\": …}}: {0}")]
    Shape(String),
    /// The payload does not fit the envelope's category (a body stored under another category, or a
    /// payload written by an older model that this one no longer reads).
    #[error("the stored payload does not fit category '{category}': {}: {}", error.path, error.reason)]
    Payload { category: Category, error: FieldError },
}

/// The stored form of a body, borrowed: the payload is kept as raw JSON until the envelope says which
/// category's type to read it as.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredBody<'a> {
    #[serde(borrow)]
    payload: &'a serde_json::value::RawValue,
    subject: Subject,
}

/// Reads a stored canonical body (`{"payload": …, "subject": …}`, as [`RecordBody::canonical_bytes`] wrote
/// it) back into a typed [`Record`] under its envelope. The payload is read as the envelope's category,
/// since the body itself does not say which category it belongs to.
pub fn record_from_canonical_body(envelope: RecordEnvelope, body: &[u8]) -> Result<Record, StoredBodyError> {
    let stored: StoredBody<'_> =
        serde_json::from_slice(body).map_err(|error| StoredBodyError::Shape(error.to_string()))?;
    let category = envelope.category;
    let payload = Payload::from_json(category, stored.payload.get())
        .map_err(|error| StoredBodyError::Payload { category, error })?;
    Ok(Record { envelope, body: RecordBody { subject: stored.subject, payload } })
}

/// The salted digest of a body: `SHA-256(salt ‖ canonical body)`.
pub fn body_digest(salt: &[u8], canonical_body: &[u8]) -> Sha256Digest {
    Sha256Digest::of(&[salt, canonical_body])
}

/// The header that the chain hashes: the envelope plus the body's salted digest.
#[derive(Serialize)]
struct ChainedHeader<'a> {
    format: u32,
    #[serde(flatten)]
    envelope: &'a RecordEnvelope,
    body_digest: String,
}

/// The canonical bytes of a record's header, as hashed into the chain.
pub fn canonical_header(envelope: &RecordEnvelope, body_digest: Sha256Digest) -> Result<Vec<u8>, CanonicalError> {
    canonical_json(&ChainedHeader { format: CANONICAL_FORMAT_VERSION, envelope, body_digest: body_digest.to_hex() })
}

/// One link of the chain: `hash = SHA-256(previous hash ‖ canonical header)`.
pub fn chain_hash(previous: Sha256Digest, canonical_header: &[u8]) -> Sha256Digest {
    Sha256Digest::of(&[previous.as_bytes(), canonical_header])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::ControlledRegisterPayload;

    fn sample_envelope() -> RecordEnvelope {
        let agency = AgencyId::parse("migration_service").unwrap();
        let source = SourceRecordId::parse("MS-1").unwrap();
        RecordEnvelope {
            record_id: RecordId::derive(&agency, &source, 1),
            agency,
            source_record_id: source,
            source_version: 1,
            category: Category::ControlledRegister,
            kind: "inclusion".into(),
            effective_from: Date::parse("2024-01-02").unwrap(),
            effective_to: None,
            legal_basis: ShortText::parse("115-FZ art. 31.1").unwrap(),
            received_at: Timestamp::parse("2024-01-03T10:00:00Z").unwrap(),
            sensitivity: Sensitivity::Law,
            supersedes: vec![],
        }
    }

    #[test]
    fn the_header_is_canonical_and_names_the_body_by_digest_only() {
        let body = RecordBody {
            subject: Subject::default(),
            payload: Payload::ControlledRegister(ControlledRegisterPayload {
                decision_number: ShortText::parse("D-17").unwrap(),
                reason: None,
            }),
        };
        let body_bytes = body.canonical_bytes().unwrap();
        assert_eq!(
            String::from_utf8(body_bytes.clone()).unwrap(),
            r#"{"payload":{"decision_number":"D-17"},"subject":{}}"#
        );
        let digest = body_digest(b"salt", &body_bytes);
        let header = String::from_utf8(canonical_header(&sample_envelope(), digest).unwrap()).unwrap();
        assert!(header.starts_with(r#"{"agency":"migration_service","body_digest":""#), "{header}");
        assert!(!header.contains("D-17"));
        assert!(header.contains(r#""format":1"#));
    }

    #[test]
    fn a_stored_body_reads_back_into_the_record_it_came_from() {
        let body = RecordBody {
            subject: Subject { birth_date: Some(Date::parse("1990-05-17").unwrap()), ..Subject::default() },
            payload: Payload::ControlledRegister(ControlledRegisterPayload {
                decision_number: ShortText::parse("D-17").unwrap(),
                reason: Some(ShortText::parse("stayed on after the patent lapsed").unwrap()),
            }),
        };
        let bytes = body.canonical_bytes().unwrap();
        let record = record_from_canonical_body(sample_envelope(), &bytes).unwrap();
        assert_eq!(record, Record { envelope: sample_envelope(), body });
    }

    #[test]
    fn a_stored_body_that_does_not_fit_is_refused_with_the_reason() {
        let check = |body: &str, expected: &str| {
            let error = record_from_canonical_body(sample_envelope(), body.as_bytes()).unwrap_err();
            assert!(error.to_string().contains(expected), "{body}: {error}");
        };
        check("not json", "is not of the form");
        check(r#"{"payload":{"decision_number":"D-17"}}"#, "missing field `subject`");
        check(r#"{"payload":{"decision_number":"D-17"},"subject":{},"extra":1}"#, "unknown field `extra`");
        // A wanted notice's payload under a controlled-register envelope.
        check(
            r#"{"payload":{"notice_number":"W-1","issuing_authority":"MVD"},"subject":{}}"#,
            "does not fit category 'controlled_register': /payload",
        );
    }

    #[test]
    fn every_link_depends_on_the_previous_one() {
        let header = canonical_header(&sample_envelope(), Sha256Digest::ZERO).unwrap();
        let first = chain_hash(Sha256Digest::ZERO, &header);
        let second = chain_hash(first, &header);
        assert_ne!(first, second);
        assert_eq!(first, chain_hash(Sha256Digest::ZERO, &header));
    }
}
