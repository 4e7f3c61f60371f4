//! The API's response types: promises to clients, kept apart from the domain types and converted
//! explicitly, so the domain can change without breaking them.

use std::collections::BTreeMap;

use hospes_model::{PersonId, RecordId};
use hospes_profile::{CategoryView, CurrentEntry, DestroyedEntry, IdentitySummary, Profile, Sourced};
use hospes_store::StoredRecord;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// What happened to one line of an ingested batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct IngestedRecord {
    pub line: usize,
    pub record_id: Uuid,
    /// Position in the ledger.
    pub seq: i64,
    /// `accepted` (appended now) or `duplicate` (already held with the same content).
    pub status: &'static str,
    /// The person the record was resolved to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<Uuid>,
}

/// The head of the ledger's hash chain.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerHead {
    pub seq: i64,
    /// SHA-256, hex.
    pub hash: String,
}

/// The answer to an accepted batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct IngestResponse {
    pub agency: String,
    pub accepted: usize,
    pub duplicates: usize,
    pub records: Vec<IngestedRecord>,
    pub ledger_head: LedgerHead,
}

/// A value and the records that state it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourcedValue {
    pub value: Value,
    pub sources: Vec<Uuid>,
}

/// Everything the agencies say about who the person is, with sources.
#[derive(Debug, Serialize, ToSchema)]
pub struct IdentityView {
    pub names: Vec<SourcedValue>,
    pub birth_dates: Vec<SourcedValue>,
    pub sexes: Vec<SourcedValue>,
    pub citizenships: Vec<SourcedValue>,
    pub documents: Vec<SourcedValue>,
    pub taxpayer_numbers: Vec<SourcedValue>,
}

/// One current record of a category.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentValue {
    pub record_id: Uuid,
    pub agency: String,
    pub kind: String,
    pub effective_from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_to: Option<String>,
    pub received_at: String,
    pub legal_basis: String,
    /// The payload; `null` when retention destroyed it.
    pub payload: Option<Value>,
}

/// A category in a profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryValues {
    pub current: Vec<CurrentValue>,
    pub total_records: usize,
    pub superseded_records: usize,
}

/// A person's profile: the current value of each category, each with the records it came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileResponse {
    pub person_id: Uuid,
    pub record_count: usize,
    /// Absent when the `identity` category is withheld from the caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentityView>,
    /// By category id (`documents`, `border_crossings`, …); categories without records, and those
    /// withheld from the caller, are absent.
    pub categories: BTreeMap<String, CategoryValues>,
    /// Records whose content was destroyed when their retention period ended (of the categories the
    /// caller may see): what they were, when and under which rule. The ledger keeps only their
    /// envelope and a digest.
    pub destroyed: Vec<DestroyedRecord>,
    /// The identity trust level (0–3) with its evidence and what is missing for the next level; in
    /// the person's own profile (officers read it with the status).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub trust: Option<hospes_rules::status::TrustReport>,
    pub access: AccessNote,
}

/// A record destroyed under the retention schedule.
#[derive(Debug, Serialize, ToSchema)]
pub struct DestroyedRecord {
    pub record_id: Uuid,
    pub category: String,
    pub kind: String,
    pub agency: String,
    pub effective_from: String,
    pub received_at: String,
    /// When its retention period ended.
    pub expired_at: String,
    /// When its content was destroyed.
    pub destroyed_at: String,
    /// The retention rule, in words.
    pub rule: String,
}

impl From<&DestroyedEntry> for DestroyedRecord {
    fn from(entry: &DestroyedEntry) -> Self {
        Self {
            record_id: entry.record_id.uuid(),
            category: entry.category.as_str().to_owned(),
            kind: entry.kind.clone(),
            agency: entry.agency.to_string(),
            effective_from: entry.effective_from.to_string(),
            received_at: entry.received_at.to_string(),
            expired_at: entry.expired_at.clone(),
            destroyed_at: entry.destroyed_at.clone(),
            rule: entry.rule.clone(),
        }
    }
}

/// How a response was shaped by access control, and where it was recorded.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct AccessNote {
    /// The purpose declared for the request.
    pub purpose: String,
    /// The categories the caller's roles may not see for this purpose: left out of the response
    /// whether or not the person has records in them.
    pub categories_withheld: Vec<String>,
    /// The position of this access in the audit log (for an inclusion proof); absent when unaudited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_event: Option<u64>,
}

/// When and why retention destroyed a record's content.
#[derive(Debug, Serialize, ToSchema)]
pub struct DestructionNote {
    pub expired_at: String,
    pub destroyed_at: String,
    pub rule: String,
}

/// A record with its full provenance, as stored in the ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordResponse {
    pub record_id: Uuid,
    pub seq: i64,
    pub agency: String,
    pub source_record_id: String,
    pub source_version: u32,
    pub category: String,
    pub kind: String,
    pub effective_from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_to: Option<String>,
    pub legal_basis: String,
    pub received_at: String,
    pub sensitivity: String,
    pub supersedes: Vec<Uuid>,
    /// Who the record is about, as the agency wrote it; `null` once destroyed by retention.
    pub subject: Option<Value>,
    /// `null` once destroyed by retention.
    pub payload: Option<Value>,
    /// When and why retention destroyed the content, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destroyed: Option<DestructionNote>,
    /// SHA-256 chain hash of the record, hex.
    pub hash: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<Uuid>,
}

/// A person's records, in ledger order.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonRecordsResponse {
    pub person_id: Uuid,
    /// The records of the categories the caller may see, in ledger order.
    pub records: Vec<RecordResponse>,
    pub access: AccessNote,
}

/// A person found by a search.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonMatch {
    pub person_id: Uuid,
    /// Where the profile is.
    pub href: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonSearchResponse {
    pub persons: Vec<PersonMatch>,
    pub access: AccessNote,
}

/// One access to the person's data, in plain words.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogEntryView {
    /// The position of the event in the audit log.
    pub event: i64,
    pub when: String,
    pub organisation: String,
    pub roles: Vec<String>,
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Why, in plain words.
    pub why: String,
    pub categories_seen: Vec<String>,
    pub categories_withheld: Vec<String>,
    /// `allowed`, `denied` or `not_found`.
    pub outcome: String,
    pub summary: String,
}

/// Who accessed the person's data.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogResponse {
    pub person_id: Uuid,
    /// Newest first.
    pub accesses: Vec<AccessLogEntryView>,
}

/// The audit log's newest signed tree head (RFC 9162 style), and the key that verifies it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditTreeHeadResponse {
    pub size: u64,
    /// SHA-256 Merkle tree hash, hex.
    pub root_hash: String,
    /// Milliseconds since the Unix epoch.
    pub timestamp: u64,
    /// First 8 bytes of SHA-256 of the public key, hex.
    pub key_id: String,
    /// Ed25519 signature over the tree head's signing input, hex.
    pub signature: String,
    /// The Ed25519 public key, hex.
    pub public_key: String,
}

/// An inclusion proof of one audit event in the tree of `tree_size` events.
#[derive(Debug, Serialize, ToSchema)]
pub struct InclusionProofResponse {
    pub leaf_index: u64,
    pub tree_size: u64,
    /// The leaf hash (SHA-256 of 0x00 || event), hex.
    pub leaf_hash: String,
    /// The audit path, hex hashes, leaf to root.
    pub audit_path: Vec<String>,
}

/// A consistency proof between two sizes of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsistencyProofResponse {
    pub first_tree_size: u64,
    pub second_tree_size: u64,
    pub proof: Vec<String>,
}

fn sourced<T: Serialize>(values: &[Sourced<T>]) -> Vec<SourcedValue> {
    values
        .iter()
        .map(|item| SourcedValue {
            value: serde_json::to_value(&item.value).unwrap_or(Value::Null),
            sources: item.sources.iter().map(|id| id.uuid()).collect(),
        })
        .collect()
}

impl From<&IdentitySummary> for IdentityView {
    fn from(identity: &IdentitySummary) -> Self {
        Self {
            names: sourced(&identity.names),
            birth_dates: sourced(&identity.birth_dates),
            sexes: sourced(&identity.sexes),
            citizenships: sourced(&identity.citizenships),
            documents: sourced(&identity.documents),
            taxpayer_numbers: sourced(&identity.taxpayer_numbers),
        }
    }
}

impl From<&CurrentEntry> for CurrentValue {
    fn from(entry: &CurrentEntry) -> Self {
        Self {
            record_id: entry.record_id.uuid(),
            agency: entry.agency.to_string(),
            kind: entry.kind.clone(),
            effective_from: entry.effective_from.to_string(),
            effective_to: entry.effective_to.map(|date| date.to_string()),
            received_at: entry.received_at.to_string(),
            legal_basis: entry.legal_basis.clone(),
            payload: entry.payload.clone(),
        }
    }
}

impl From<&CategoryView> for CategoryValues {
    fn from(view: &CategoryView) -> Self {
        Self {
            current: view.current.iter().map(CurrentValue::from).collect(),
            total_records: view.total_records,
            superseded_records: view.superseded_records,
        }
    }
}

impl From<&Profile> for ProfileResponse {
    fn from(profile: &Profile) -> Self {
        Self {
            person_id: profile.person_id.uuid(),
            record_count: profile.record_count,
            identity: Some(IdentityView::from(&profile.identity)),
            categories: profile
                .categories
                .iter()
                .map(|(category, view)| (category.as_str().to_owned(), CategoryValues::from(view)))
                .collect(),
            destroyed: profile.destroyed.iter().map(DestroyedRecord::from).collect(),
            trust: None,
            access: AccessNote::default(),
        }
    }
}

impl RecordResponse {
    pub fn from_stored(record: &StoredRecord, person: Option<PersonId>) -> Self {
        let envelope = &record.envelope;
        let mut body = record.body_json();
        let mut take = |field: &str| body.as_mut().and_then(|body| body.get_mut(field).map(Value::take));
        let subject = take("subject");
        let payload = take("payload");
        Self {
            record_id: envelope.record_id.uuid(),
            seq: record.seq,
            agency: envelope.agency.to_string(),
            source_record_id: envelope.source_record_id.to_string(),
            source_version: envelope.source_version,
            category: envelope.category.as_str().to_owned(),
            kind: envelope.kind.clone(),
            effective_from: envelope.effective_from.to_string(),
            effective_to: envelope.effective_to.map(|date| date.to_string()),
            legal_basis: envelope.legal_basis.to_string(),
            received_at: envelope.received_at.to_string(),
            sensitivity: envelope.sensitivity.as_str().to_owned(),
            supersedes: envelope.supersedes.iter().map(|id: &RecordId| id.uuid()).collect(),
            subject,
            payload,
            destroyed: record.destruction.as_ref().map(|destruction| DestructionNote {
                expired_at: destruction.expired_at.clone(),
                destroyed_at: destruction.destroyed_at.clone(),
                rule: destruction.rule.clone(),
            }),
            hash: record.hash.to_hex(),
            person_id: person.map(PersonId::uuid),
        }
    }
}
