//! The retention job: destroys the records whose retention period has ended.
//!
//! A sealed record (special categories) is destroyed by deleting its wrapped data key — its
//! ciphertext can then never be opened again, wherever copies of it lie (crypto-shredding) — and its
//! body is cleared too. A record stored in clear (a category an operator chose to expire) has its body
//! cleared. Either way the ledger keeps the envelope and the body's digest, so `ledger verify` still
//! passes, and a destruction note says when and under which rule, for the person's view.

use hospes_model::{Category, RecordId, Timestamp};
use hospes_vault::RetentionPolicy;
use serde::Serialize;

use crate::{RecordDestruction, Store, StoreError};

/// Records examined per query.
const SCAN_BATCH: i64 = 1000;

/// A record the job destroyed (or, in a dry run, would destroy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpiredRecord {
    pub seq: i64,
    pub record_id: RecordId,
    pub category: Category,
    pub kind: String,
    /// Whether the record was sealed, so that destroying its key destroyed it.
    pub crypto_shredded: bool,
    pub expired_at: String,
    pub rule: String,
}

/// What one run of the job did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionReport {
    /// The instant the periods were compared with.
    pub as_of: String,
    pub dry_run: bool,
    /// Records of categories with a rule whose bodies were still held.
    pub examined: usize,
    pub destroyed: Vec<ExpiredRecord>,
}

/// Destroys every record whose retention under `policy` ended at or before `now`, in one transaction,
/// then scrubs what the database files may still hold of them. With `dry_run`, only reports.
pub async fn run_retention(
    store: &dyn Store,
    policy: &RetentionPolicy,
    now: Timestamp,
    dry_run: bool,
) -> Result<RetentionReport, StoreError> {
    let categories: Vec<Category> = policy.rules().map(|(category, _)| category).collect();
    let destroyed_at = now.to_string();
    let mut transaction = store.begin_write().await?;
    let mut examined = 0;
    let mut expired = Vec::new();
    let mut destructions = Vec::new();
    let mut after_seq = 0;
    loop {
        let held = transaction.held_records(&categories, after_seq, SCAN_BATCH).await?;
        let Some(last) = held.last() else { break };
        after_seq = last.seq;
        examined += held.len();
        for record in held {
            let envelope = &record.envelope;
            let (Some(expiry), Some(rule)) = (policy.expiry_of(envelope), policy.rule(envelope.category)) else {
                continue;
            };
            if now < expiry {
                continue;
            }
            let rule = format!("{}: {}", envelope.category, rule.describe());
            destructions.push(RecordDestruction {
                seq: record.seq,
                expired_at: expiry.to_string(),
                destroyed_at: destroyed_at.clone(),
                rule: rule.clone(),
            });
            expired.push(ExpiredRecord {
                seq: record.seq,
                record_id: envelope.record_id,
                category: envelope.category,
                kind: envelope.kind.clone(),
                crypto_shredded: record.sealed,
                expired_at: expiry.to_string(),
                rule,
            });
        }
    }
    if !dry_run && !destructions.is_empty() {
        transaction.destroy_bodies(&destructions).await?;
        transaction.commit().await?;
        store.scrub_destroyed().await?;
        tracing::info!(destroyed = destructions.len(), "retention destroyed expired records");
    }
    Ok(RetentionReport { as_of: destroyed_at, dry_run, examined, destroyed: expired })
}
