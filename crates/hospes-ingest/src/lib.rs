//! Ingestion: from the bytes of an agency's NDJSON batch to records durably chained in the ledger.
//!
//! Two steps, both all-or-nothing: [`validate_batch`] parses and checks every line (no IO), reporting
//! every problem with its line number, field path and reason; [`append_batch`] appends the valid records
//! in one transaction, skipping exact re-sends (idempotency) and refusing conflicting ones. The caller
//! has already authenticated the agency; this crate knows nothing of HTTP.

mod append;
mod batch;
pub mod format;

pub use append::{
    AcceptedRecord, AppendError, AppendReport, AppendedRecord, DuplicateRecord, append_batch, append_batch_in,
};
pub use batch::{BatchLimits, BatchRejection, LineError, LineErrorCode, ValidatedRecord, validate_batch};
pub use format::{INGEST_SCHEMA_ID, IngestLine, SupersededRecord, category_catalogue, ingest_line_schema};

use hospes_model::{Agency, Timestamp};
use hospes_store::Store;

/// The receipt time of a batch: now, to the millisecond (stored and hashed as text, so it must
/// round-trip exactly on every backend).
pub fn receipt_time() -> Timestamp {
    let now = chrono::Utc::now();
    let millis = now.timestamp_millis();
    Timestamp::from_utc(chrono::DateTime::from_timestamp_millis(millis).unwrap_or(now))
}

/// Validates and appends one batch from `agency`.
pub async fn ingest_batch(
    store: &dyn Store,
    agency: &Agency,
    bytes: &[u8],
    limits: &BatchLimits,
) -> Result<AppendReport, AppendError> {
    let records = validate_batch(agency, bytes, receipt_time(), limits)?;
    append_batch(store, records).await
}
