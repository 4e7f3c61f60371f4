//! Resolution: which person each record is about.
//!
//! Agencies share no person id, so Hospes decides. Resolution is a projection of the ledger: it reads
//! records after its checkpoint, assigns each to a person through a [`Resolver`], and writes the
//! assignments and the new checkpoint in one transaction. It can be rerun from scratch at any time
//! ([`rebuild`]), because the ledger alone is the truth.
//!
//! The resolver here is the simple deterministic one ([`DeterministicResolver`]): same document number
//! and birth date, or same taxpayer number. Entity resolution proper (names across scripts, typos,
//! probabilistic matching) replaces it behind the same trait.

mod deterministic;
pub mod keys;

use std::collections::HashMap;

use async_trait::async_trait;
use hospes_model::{PersonId, RecordId};
use hospes_store::{NewPerson, RecordAssignment, Store, StoreError, StoredRecord, WriteTransaction};
use serde::Serialize;

pub use deterministic::DeterministicResolver;

/// Records read and resolved per transaction.
pub const PAGE_RECORDS: i64 = 20_000;

/// Why resolution failed.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a resolver decided for one page of records.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageResolution {
    pub new_persons: Vec<NewPerson>,
    pub assignments: Vec<RecordAssignment>,
    /// Identity keys to remember, each pointing at a person.
    pub identity_keys: Vec<(String, PersonId)>,
    /// Keys that now point at more than one person: candidates for a merge that this resolver does
    /// not make.
    pub ambiguous_keys: usize,
}

/// Decides which person each record is about.
#[async_trait]
pub trait Resolver: Send + Sync {
    /// A short name for logs.
    fn name(&self) -> &'static str;

    /// Resolves `records` (consecutive, in chain order), reading earlier decisions through
    /// `transaction`. Returns the decisions; the caller writes them.
    async fn resolve_page(
        &self,
        transaction: &mut dyn WriteTransaction,
        records: &[StoredRecord],
    ) -> Result<PageResolution, ResolveError>;
}

/// What a resolution run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResolveReport {
    pub records_resolved: usize,
    pub persons_created: usize,
    pub ambiguous_keys: usize,
    /// The ledger position resolution has reached.
    pub resolved_seq: i64,
}

/// Resolves every record appended since the last run, one transaction per page.
pub async fn resolve_pending(store: &dyn Store, resolver: &dyn Resolver) -> Result<ResolveReport, ResolveError> {
    let mut report = ResolveReport::default();
    loop {
        let mut transaction = store.begin_write().await?;
        let resolved_seq = transaction.resolved_seq().await?;
        report.resolved_seq = resolved_seq;
        let records = transaction.records_after(resolved_seq, PAGE_RECORDS).await?;
        let Some(last) = records.last() else {
            return Ok(report);
        };
        let last_seq = last.seq;
        let page = resolver.resolve_page(&mut *transaction, &records).await?;
        transaction.insert_persons(&page.new_persons).await?;
        transaction.insert_identity_keys(&page.identity_keys).await?;
        transaction.assign_records(&page.assignments).await?;
        transaction.set_resolved_seq(last_seq).await?;
        transaction.commit().await?;
        report.records_resolved += records.len();
        report.persons_created += page.new_persons.len();
        report.ambiguous_keys += page.ambiguous_keys;
        report.resolved_seq = last_seq;
        tracing::debug!(resolver = resolver.name(), resolved_seq = last_seq, "resolution page committed");
    }
}

/// Forgets every assignment and resolves the whole ledger again.
pub async fn rebuild(store: &dyn Store, resolver: &dyn Resolver) -> Result<ResolveReport, ResolveError> {
    let mut transaction = store.begin_write().await?;
    transaction.clear_resolution().await?;
    transaction.commit().await?;
    resolve_pending(store, resolver).await
}

/// The persons of the given records, after resolution.
pub async fn persons_of(
    store: &dyn Store,
    record_ids: &[RecordId],
) -> Result<HashMap<RecordId, PersonId>, ResolveError> {
    Ok(store.persons_for_records(record_ids).await?)
}
