//! Ledger verification: recompute the whole chain from the stored columns and name the first row that
//! does not fit.

use hospes_model::{Sha256Digest, body_digest};
use serde::Serialize;
use uuid::Uuid;

use crate::{LedgerRow, Store, StoreError};

/// Rows read per page while verifying.
const PAGE_ROWS: i64 = 5_000;

/// The first row that breaks the chain, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenRecord {
    pub seq: i64,
    /// The stored record id, when the row still has one.
    pub record_id: Option<Uuid>,
    pub reason: String,
}

/// The outcome of verifying the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerVerification {
    /// Rows checked before the first break (all of them when the chain is whole).
    pub records_checked: i64,
    /// Bodies destroyed by retention: their digest is kept and the chain still covers them.
    pub bodies_destroyed: i64,
    /// The hash of the last row, hex; the value to compare with an earlier published head.
    pub head_hash: String,
    pub first_broken: Option<BrokenRecord>,
}

impl LedgerVerification {
    pub fn is_intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// Checks one row against the hash of the row before it.
fn check_row(row: &LedgerRow, expected_seq: i64, previous: Sha256Digest) -> Result<Sha256Digest, String> {
    if row.seq != expected_seq {
        return Err(format!("expected sequence number {expected_seq}, found {}: a row is missing", row.seq));
    }
    let stored_previous = Sha256Digest::from_slice(&row.previous_hash)
        .ok_or_else(|| "column previous_hash is not a SHA-256 digest".to_owned())?;
    if stored_previous != previous {
        return Err(format!(
            "previous_hash {} does not match the hash of row {} ({})",
            stored_previous.to_hex(),
            expected_seq - 1,
            previous.to_hex()
        ));
    }
    let stored_body_digest = Sha256Digest::from_slice(&row.body_digest)
        .ok_or_else(|| "column body_digest is not a SHA-256 digest".to_owned())?;
    match (&row.body, &row.body_salt) {
        (Some(body), Some(salt)) => {
            if body_digest(salt, body) != stored_body_digest {
                return Err("the body does not match its digest: the record's content was altered".to_owned());
            }
        }
        (None, None) => {}
        _ => return Err("body and body_salt must be destroyed together".to_owned()),
    }
    let recomputed = row.recompute_hash(previous).map_err(|error| error.to_string())?;
    let stored = Sha256Digest::from_slice(&row.hash).ok_or_else(|| "column hash is not a SHA-256 digest".to_owned())?;
    if recomputed != stored {
        return Err(format!(
            "stored hash {} differs from the recomputed {}: the record's envelope was altered",
            stored.to_hex(),
            recomputed.to_hex()
        ));
    }
    Ok(stored)
}

/// Recomputes the chain over the whole ledger.
pub async fn verify_ledger(store: &dyn Store) -> Result<LedgerVerification, StoreError> {
    let mut previous = Sha256Digest::ZERO;
    let mut last_seq = 0;
    let mut bodies_destroyed = 0;
    loop {
        let rows = store.ledger_rows_after(last_seq, PAGE_ROWS).await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            match check_row(row, last_seq + 1, previous) {
                Ok(hash) => {
                    previous = hash;
                    last_seq = row.seq;
                    if row.body.is_none() {
                        bodies_destroyed += 1;
                    }
                }
                Err(reason) => {
                    return Ok(LedgerVerification {
                        records_checked: last_seq,
                        bodies_destroyed,
                        head_hash: previous.to_hex(),
                        first_broken: Some(BrokenRecord { seq: row.seq, record_id: Some(row.record_id), reason }),
                    });
                }
            }
        }
    }
    Ok(LedgerVerification {
        records_checked: last_seq,
        bodies_destroyed,
        head_hash: previous.to_hex(),
        first_broken: None,
    })
}
