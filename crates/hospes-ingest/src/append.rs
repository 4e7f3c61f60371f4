//! Appending a validated batch to the ledger: idempotently, atomically, chained.
//!
//! In one write transaction: records already stored with the same content are reported as duplicates
//! and skipped; the same agency key with different content refuses the whole batch; every `supersedes`
//! reference must name a stored record or an earlier line; the rest are chained onto the head and
//! appended. The transaction commits (durably) before this returns, or nothing is written.

use std::collections::HashSet;

use hospes_model::{RecordId, Sensitivity, canonical_header, chain_hash};
use hospes_store::{LedgerEntry, Store, StoreError, WriteTransaction};
use hospes_vault::{RecordVault, WrappedKey};
use serde::Serialize;

use crate::batch::{BatchRejection, LineError, LineErrorCode, ValidatedRecord};

/// Why an append failed.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    #[error(transparent)]
    Rejected(#[from] BatchRejection),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot serialise record on line {line}: {reason}")]
    Serialise { line: usize, reason: String },
    #[error(
        "line {line} is a {category} record, a special category that is stored encrypted, and this server has no \
         master key configured (give --master-key FILE or set HOSPES_MASTER_KEY)"
    )]
    NoMasterKey { line: usize, category: hospes_model::Category },
    #[error("cannot encrypt the record on line {line}: {reason}")]
    Seal { line: usize, reason: String },
}

/// A record this batch added to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcceptedRecord {
    pub line: usize,
    pub record_id: RecordId,
    pub seq: i64,
}

/// A record the ledger already held with the same content; nothing was written for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateRecord {
    pub line: usize,
    pub record_id: RecordId,
    pub seq: i64,
}

/// A record appended, with its final envelope (supersessions filled in) and its typed body, for the
/// projections that follow ingestion (resolution) to use without reading it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendedRecord {
    pub seq: i64,
    pub envelope: hospes_model::RecordEnvelope,
    pub body: hospes_model::RecordBody,
}

/// What an append did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppendReport {
    pub accepted: Vec<AcceptedRecord>,
    #[serde(skip)]
    pub appended: Vec<AppendedRecord>,
    pub duplicates: Vec<DuplicateRecord>,
    /// The chain head after the append.
    pub head_seq: i64,
    pub head_hash: String,
}

/// Appends `records` (all valid) to the ledger in one durable transaction.
pub async fn append_batch(store: &dyn Store, records: Vec<ValidatedRecord>) -> Result<AppendReport, AppendError> {
    let mut transaction = store.begin_write().await?;
    let report = append_batch_in(&mut *transaction, records).await?;
    transaction.commit().await?;
    Ok(report)
}

/// Appends `records` within an open transaction, without committing it: several batches can form one
/// atomic import. On an error the caller drops the transaction, and nothing of it is stored.
pub async fn append_batch_in(
    transaction: &mut dyn WriteTransaction,
    records: Vec<ValidatedRecord>,
) -> Result<AppendReport, AppendError> {
    // Everything the batch refers to: its own ids, their previous versions, and explicit supersedes.
    let mut referenced: Vec<RecordId> = Vec::with_capacity(records.len() * 2);
    for record in &records {
        referenced.push(record.envelope.record_id);
        referenced.extend(previous_version_id(record));
        referenced.extend(record.explicit_supersedes.iter().copied());
    }
    referenced.sort();
    referenced.dedup();
    let existing = transaction.existing_records(&referenced).await?;

    let mut errors = Vec::new();
    let mut duplicates = Vec::new();
    let mut fresh = Vec::with_capacity(records.len());
    let mut in_batch: HashSet<RecordId> = HashSet::new();
    for mut record in records {
        let record_id = record.envelope.record_id;
        if let Some(stored) = existing.get(&record_id) {
            match stored.submission_digest {
                Some(digest) if digest != record.submission_digest => errors.push(LineError {
                    line: record.line,
                    path: "/record_id".into(),
                    code: LineErrorCode::Conflict,
                    reason: format!(
                        "record '{}' version {} is already stored (ledger position {}) with different content; \
                         send a new version to correct it",
                        record.envelope.source_record_id, record.envelope.source_version, stored.seq
                    ),
                }),
                _ => duplicates.push(DuplicateRecord { line: record.line, record_id, seq: stored.seq }),
            }
            continue;
        }
        if !in_batch.insert(record_id) {
            // An identical repeat within the batch (a differing one was refused during validation).
            continue;
        }
        let is_known = |id: &RecordId| existing.contains_key(id) || in_batch.contains(id);
        let mut supersedes = Vec::new();
        for (index, superseded) in record.explicit_supersedes.iter().enumerate() {
            if is_known(superseded) {
                supersedes.push(*superseded);
            } else {
                errors.push(LineError {
                    line: record.line,
                    path: format!("/supersedes/{index}"),
                    code: LineErrorCode::UnknownSupersededRecord,
                    reason: "supersedes a record that Hospes does not hold; send the earlier record first".into(),
                });
            }
        }
        if let Some(previous) = previous_version_id(&record)
            && is_known(&previous)
            && !supersedes.contains(&previous)
        {
            supersedes.push(previous);
        }
        if record.envelope.supersedes != supersedes {
            record.envelope.supersedes = supersedes;
            record.header = canonical_header(&record.envelope, record.body_digest)
                .map_err(|error| AppendError::Serialise { line: record.line, reason: error.to_string() })?;
        }
        fresh.push(record);
    }
    if !errors.is_empty() {
        return Err(BatchRejection::InvalidLines(errors).into());
    }

    let sealed_keys = seal_special_categories(transaction.vault(), &mut fresh)?;
    let head = transaction.chain_head().await?;
    let ChainedBatch { entries, accepted, appended } = chain_entries(head, fresh, sealed_keys)?;
    transaction.append(&entries).await?;
    let (head_seq, head_hash) = entries.last().map_or((head.seq, head.hash), |entry| (entry.seq, entry.hash));
    tracing::debug!(accepted = accepted.len(), duplicates = duplicates.len(), head_seq, "batch appended");
    Ok(AppendReport { accepted, appended, duplicates, head_seq, head_hash: head_hash.to_hex() })
}

/// A batch chained onto the head: the rows to append, and what to report of them.
struct ChainedBatch {
    entries: Vec<LedgerEntry>,
    accepted: Vec<AcceptedRecord>,
    appended: Vec<AppendedRecord>,
}

/// Encrypts the bodies of special-category records (biometrics, medical examinations, criminal
/// records) under a fresh data key each, and re-digests them: the ledger stores and chains the
/// ciphertext, so it verifies without any key. Returns each record's wrapped key (`None` for the
/// records stored in clear), in the order of `records`.
fn seal_special_categories(
    vault: Option<&RecordVault>,
    records: &mut [ValidatedRecord],
) -> Result<Vec<Option<WrappedKey>>, AppendError> {
    records
        .iter_mut()
        .map(|record| {
            if record.envelope.sensitivity != Sensitivity::Special {
                return Ok(None);
            }
            let line = record.line;
            let vault = vault.ok_or(AppendError::NoMasterKey { line, category: record.envelope.category })?;
            let sealed = vault
                .seal_record(record.envelope.record_id.uuid().as_bytes(), &record.body_bytes)
                .map_err(|error| AppendError::Seal { line, reason: error.to_string() })?;
            record.body_bytes = sealed.stored_body;
            record.body_digest = hospes_model::body_digest(&record.body_salt, &record.body_bytes);
            record.header = canonical_header(&record.envelope, record.body_digest)
                .map_err(|error| AppendError::Serialise { line, reason: error.to_string() })?;
            Ok(Some(sealed.wrapped_key))
        })
        .collect()
}

/// Chains `records` onto `head`: `hash = SHA-256(previous ‖ header)`.
fn chain_entries(
    head: hospes_store::ChainHead,
    records: Vec<ValidatedRecord>,
    wrapped_keys: Vec<Option<WrappedKey>>,
) -> Result<ChainedBatch, AppendError> {
    let mut previous_hash = head.hash;
    let mut entries = Vec::with_capacity(records.len());
    let mut accepted = Vec::with_capacity(records.len());
    let mut appended = Vec::with_capacity(records.len());
    for (offset, (record, wrapped_key)) in records.into_iter().zip(wrapped_keys).enumerate() {
        let seq = head.seq + 1 + offset as i64;
        let hash = chain_hash(previous_hash, &record.header);
        accepted.push(AcceptedRecord { line: record.line, record_id: record.envelope.record_id, seq });
        appended.push(AppendedRecord { seq, envelope: record.envelope.clone(), body: record.body });
        entries.push(LedgerEntry {
            seq,
            envelope: record.envelope,
            body: record.body_bytes,
            body_salt: record.body_salt,
            body_digest: record.body_digest,
            submission_digest: record.submission_digest,
            previous_hash,
            hash,
            wrapped_key,
        });
        previous_hash = hash;
    }
    Ok(ChainedBatch { entries, accepted, appended })
}

/// The id of the previous version of this record at its agency, which a new version supersedes.
fn previous_version_id(record: &ValidatedRecord) -> Option<RecordId> {
    (record.envelope.source_version > 1).then(|| {
        RecordId::derive(&record.envelope.agency, &record.envelope.source_record_id, record.envelope.source_version - 1)
    })
}
