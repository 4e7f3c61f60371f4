//! Rows as both backends return them, and their conversion to and from the domain.
//!
//! Dates and times are kept as the canonical text that was hashed, so reading a row back gives
//! exactly the bytes the chain covers, on either backend.

use hospes_model::{
    AgencyId, Category, Date, RecordEnvelope, RecordId, Sensitivity, ShortText, SourceRecordId, Timestamp,
};
use hospes_model::{Sha256Digest, canonical_header, chain_hash};
use hospes_vault::{RecordVault, WrappedKey};
use uuid::Uuid;

use crate::{LedgerEntry, RecordDestruction, StoreError, StoredRecord};

/// One ledger row, column for column.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LedgerRow {
    pub seq: i64,
    pub record_id: Uuid,
    pub agency: String,
    pub source_record_id: String,
    pub source_version: i64,
    pub category: String,
    pub kind: String,
    pub effective_from: String,
    pub effective_to: Option<String>,
    pub legal_basis: String,
    pub received_at: String,
    pub sensitivity: String,
    pub supersedes: Option<String>,
    pub body: Option<Vec<u8>>,
    pub body_salt: Option<Vec<u8>>,
    pub body_digest: Vec<u8>,
    pub submission_digest: Option<Vec<u8>>,
    pub previous_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

/// The columns of [`LedgerRow`] in table order, for SELECTs.
pub const LEDGER_COLUMNS: &str = "seq, record_id, agency, source_record_id, source_version, category, kind, \
     effective_from, effective_to, legal_basis, received_at, sensitivity, supersedes, body, body_salt, \
     body_digest, submission_digest, previous_hash, hash";

/// What reads of records select beyond the ledger's columns: the wrapped key of a sealed record and
/// the note of a destruction. Use with [`STORED_JOINS`] after `FROM ledger l`.
pub const STORED_COLUMNS: &str = "l.seq, l.record_id, l.agency, l.source_record_id, l.source_version, \
     l.category, l.kind, l.effective_from, l.effective_to, l.legal_basis, l.received_at, l.sensitivity, \
     l.supersedes, l.body, l.body_salt, l.body_digest, l.submission_digest, l.previous_hash, l.hash, \
     k.wrapped_key, d.expired_at AS destruction_expired_at, d.destroyed_at AS destruction_destroyed_at, \
     d.rule AS destruction_rule";

/// The joins [`STORED_COLUMNS`] needs.
pub const STORED_JOINS: &str =
    "LEFT JOIN record_keys k ON k.seq = l.seq LEFT JOIN record_destructions d ON d.seq = l.seq";

/// A ledger row with its key and destruction note, as record reads return it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredRow {
    #[sqlx(flatten)]
    pub ledger: LedgerRow,
    pub wrapped_key: Option<Vec<u8>>,
    pub destruction_expired_at: Option<String>,
    pub destruction_destroyed_at: Option<String>,
    pub destruction_rule: Option<String>,
}

impl StoredRow {
    /// The record, its body opened with `vault` if it is sealed.
    pub fn into_stored(self, vault: Option<&RecordVault>) -> Result<StoredRecord, StoreError> {
        let seq = self.ledger.seq;
        let destruction = match (self.destruction_expired_at, self.destruction_destroyed_at, self.destruction_rule) {
            (Some(expired_at), Some(destroyed_at), Some(rule)) => {
                Some(RecordDestruction { seq, expired_at, destroyed_at, rule })
            }
            _ => None,
        };
        let sealed = self.wrapped_key.is_some();
        let mut record = self.ledger.into_stored()?;
        record.destruction = destruction;
        record.sealed = sealed;
        if let Some(wrapped) = self.wrapped_key
            && let Some(stored_body) = record.body.take()
        {
            let vault = vault.ok_or(StoreError::NoMasterKey { seq })?;
            let wrapped = WrappedKey::from_bytes(&wrapped).map_err(|source| StoreError::Unseal { seq, source })?;
            let record_id = record.envelope.record_id.uuid();
            let body = vault
                .open_record(record_id.as_bytes(), &stored_body, &wrapped)
                .map_err(|source| StoreError::Unseal { seq, source })?;
            record.body = Some(body);
        }
        Ok(record)
    }
}

/// Binds the columns of a [`LedgerRow`] (in [`LEDGER_COLUMNS`] order) to one row of a multi-row INSERT.
macro_rules! bind_ledger_row {
    ($row:expr, $entry:expr) => {{
        let entry = $entry;
        $row.push_bind(entry.seq)
            .push_bind(entry.record_id)
            .push_bind(entry.agency)
            .push_bind(entry.source_record_id)
            .push_bind(entry.source_version)
            .push_bind(entry.category)
            .push_bind(entry.kind)
            .push_bind(entry.effective_from)
            .push_bind(entry.effective_to)
            .push_bind(entry.legal_basis)
            .push_bind(entry.received_at)
            .push_bind(entry.sensitivity)
            .push_bind(entry.supersedes)
            .push_bind(entry.body)
            .push_bind(entry.body_salt)
            .push_bind(entry.body_digest)
            .push_bind(entry.submission_digest)
            .push_bind(entry.previous_hash)
            .push_bind(entry.hash);
    }};
}

pub(crate) use bind_ledger_row;

impl LedgerRow {
    pub fn from_entry(entry: &LedgerEntry) -> Self {
        let envelope = &entry.envelope;
        Self {
            seq: entry.seq,
            record_id: envelope.record_id.uuid(),
            agency: envelope.agency.as_str().to_owned(),
            source_record_id: envelope.source_record_id.as_str().to_owned(),
            source_version: i64::from(envelope.source_version),
            category: envelope.category.as_str().to_owned(),
            kind: envelope.kind.clone(),
            effective_from: envelope.effective_from.to_string(),
            effective_to: envelope.effective_to.map(|date| date.to_string()),
            legal_basis: envelope.legal_basis.as_str().to_owned(),
            received_at: envelope.received_at.to_string(),
            sensitivity: envelope.sensitivity.as_str().to_owned(),
            supersedes: supersedes_to_column(&envelope.supersedes),
            body: Some(entry.body.clone()),
            body_salt: Some(entry.body_salt.to_vec()),
            body_digest: entry.body_digest.0.to_vec(),
            submission_digest: Some(entry.submission_digest.0.to_vec()),
            previous_hash: entry.previous_hash.0.to_vec(),
            hash: entry.hash.0.to_vec(),
        }
    }

    fn corrupt(&self, reason: impl Into<String>) -> StoreError {
        StoreError::CorruptRow { seq: self.seq, reason: reason.into() }
    }

    /// Parses the envelope columns back into the domain envelope.
    pub fn envelope(&self) -> Result<RecordEnvelope, StoreError> {
        let column = |name: &str, error: hospes_model::ParseError| self.corrupt(format!("column {name}: {error}"));
        let category = Category::parse(&self.category)
            .ok_or_else(|| self.corrupt(format!("column category: unknown '{}'", self.category)))?;
        let sensitivity = parse_sensitivity(&self.sensitivity)
            .ok_or_else(|| self.corrupt(format!("column sensitivity: unknown '{}'", self.sensitivity)))?;
        let source_version = u32::try_from(self.source_version)
            .map_err(|_| self.corrupt(format!("column source_version: {} is out of range", self.source_version)))?;
        Ok(RecordEnvelope {
            record_id: RecordId::from_uuid(self.record_id),
            agency: AgencyId::parse(&self.agency).map_err(|error| column("agency", error))?,
            source_record_id: SourceRecordId::parse(&self.source_record_id)
                .map_err(|error| column("source_record_id", error))?,
            source_version,
            category,
            kind: self.kind.clone(),
            effective_from: Date::parse(&self.effective_from).map_err(|error| column("effective_from", error))?,
            effective_to: self
                .effective_to
                .as_deref()
                .map(Date::parse)
                .transpose()
                .map_err(|error| column("effective_to", error))?,
            legal_basis: ShortText::parse(&self.legal_basis).map_err(|error| column("legal_basis", error))?,
            received_at: Timestamp::parse(&self.received_at).map_err(|error| column("received_at", error))?,
            sensitivity,
            supersedes: supersedes_from_column(self.supersedes.as_deref()).map_err(|reason| self.corrupt(reason))?,
        })
    }

    pub fn digest(&self, column: &str, bytes: &[u8]) -> Result<Sha256Digest, StoreError> {
        Sha256Digest::from_slice(bytes).ok_or_else(|| self.corrupt(format!("column {column} is not a SHA-256 digest")))
    }

    pub fn into_stored(self) -> Result<StoredRecord, StoreError> {
        let envelope = self.envelope()?;
        let body_digest = self.digest("body_digest", &self.body_digest)?;
        let hash = self.digest("hash", &self.hash)?;
        Ok(StoredRecord {
            seq: self.seq,
            envelope,
            body: self.body,
            body_digest,
            hash,
            sealed: false,
            destruction: None,
        })
    }

    /// Recomputes this row's link of the chain from its columns.
    pub fn recompute_hash(&self, previous: Sha256Digest) -> Result<Sha256Digest, StoreError> {
        let envelope = self.envelope()?;
        let body_digest = self.digest("body_digest", &self.body_digest)?;
        let header = canonical_header(&envelope, body_digest)
            .map_err(|error| self.corrupt(format!("cannot serialise the header: {error}")))?;
        Ok(chain_hash(previous, &header))
    }
}

fn parse_sensitivity(value: &str) -> Option<Sensitivity> {
    [Sensitivity::Basic, Sensitivity::Personal, Sensitivity::Financial, Sensitivity::Law, Sensitivity::Special]
        .into_iter()
        .find(|sensitivity| sensitivity.as_str() == value)
}

fn supersedes_to_column(supersedes: &[RecordId]) -> Option<String> {
    if supersedes.is_empty() {
        return None;
    }
    let ids: Vec<String> = supersedes.iter().map(ToString::to_string).collect();
    serde_json::to_string(&ids).ok()
}

fn supersedes_from_column(column: Option<&str>) -> Result<Vec<RecordId>, String> {
    let Some(text) = column else {
        return Ok(Vec::new());
    };
    let ids: Vec<String> =
        serde_json::from_str(text).map_err(|error| format!("column supersedes is not a JSON array of ids: {error}"))?;
    ids.iter().map(|id| RecordId::parse(id).map_err(|error| format!("column supersedes: {error}"))).collect()
}
