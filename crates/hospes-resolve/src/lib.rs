//! Resolution: which person each record is about.
//!
//! Agencies share no person id, so Hospes decides. Resolution is a projection of the ledger: it reads
//! records after its checkpoint, assigns each to a person through a [`Resolver`], and writes the
//! assignments and the new checkpoint in one transaction. It can be rerun from scratch at any time
//! ([`rebuild`]), because the ledger alone is the truth.
//!
//! The resolver here is the simple deterministic one ([`DeterministicResolver`]): same document number
//! and birth date, or same taxpayer number. Entity resolution proper (names across scripts, typos,
//! probabilistic matching) is [`matching`]; it will replace the deterministic resolver behind the same
//! trait once it is wired into ingestion, the review queue and identity links.

pub mod batch;
pub mod decisions;
mod deterministic;
pub mod keys;
pub mod matching;
pub mod probabilistic;

use std::collections::HashMap;

use async_trait::async_trait;
use hospes_model::{PersonId, RecordId};
use hospes_store::{NewPerson, RecordAssignment, Store, StoreError, WriteTransaction};
use serde::Serialize;

pub use deterministic::DeterministicResolver;
pub use keys::ResolutionInput;
pub use probabilistic::MatchingResolver;

/// Records read and resolved per transaction.
pub const PAGE_RECORDS: i64 = 20_000;

/// Why resolution failed.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a resolver decided for one page of records.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageResolution {
    pub new_persons: Vec<NewPerson>,
    pub assignments: Vec<RecordAssignment>,
    /// Identity keys to remember, each pointing at a person.
    pub identity_keys: Vec<(String, PersonId)>,
    /// Keys that now point at more than one person: candidates for a merge that this resolver does
    /// not make.
    pub ambiguous_keys: usize,
    /// Identity links raised: pairs of persons for an officer to decide.
    pub links: Vec<hospes_store::links::IdentityLink>,
    /// Records with little to match on (no name, an unsupported script, an absurd birth date).
    pub hard_to_match: usize,
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
        records: &[ResolutionInput],
    ) -> Result<PageResolution, ResolveError>;

    /// Told after an officer's merge of `vanishing` into `survivor` was committed.
    async fn persons_merged(&self, _vanishing: PersonId, _survivor: PersonId) {}

    /// Told after records were moved to another person (a split) and committed.
    async fn records_moved(&self, _records: &[RecordId], _to: PersonId) {}

    /// Told after an officer's decision on an identity link was committed.
    async fn link_decided(&self, _left: RecordId, _right: RecordId, _outcome: hospes_store::links::LinkOutcome) {}

    /// Two records' evidence field by field, if this resolver weighs evidence.
    async fn explain(
        &self,
        _left: &matching::MatchRecord,
        _right: &matching::MatchRecord,
    ) -> Result<Option<matching::explain::Explanation>, ResolveError> {
        Ok(None)
    }
}

/// What a resolution run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResolveReport {
    pub records_resolved: usize,
    pub persons_created: usize,
    pub ambiguous_keys: usize,
    /// Identity links raised for review (`review` or `suspected_fraud`).
    pub links_raised: usize,
    /// Records with little to match on, resolved with a warning.
    pub hard_to_match: usize,
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
        if records.is_empty() {
            return Ok(report);
        }
        let inputs: Vec<ResolutionInput> = records.iter().map(ResolutionInput::from_stored).collect();
        let page = write_resolution(&mut *transaction, resolver, &inputs).await?;
        transaction.commit().await?;
        report.add(&page);
    }
}

/// Resolves records just appended in `transaction`, before it commits, so that a batch and its
/// resolution are stored together. Returns `None`, resolving nothing, if older records are still
/// unresolved: resolution must follow the ledger's order, so the caller then runs
/// [`resolve_pending`] after committing.
pub async fn resolve_appended(
    transaction: &mut dyn WriteTransaction,
    resolver: &dyn Resolver,
    inputs: &[ResolutionInput],
) -> Result<Option<ResolveReport>, ResolveError> {
    let Some(first) = inputs.first() else {
        return Ok(Some(ResolveReport::default()));
    };
    if transaction.resolved_seq().await? != first.seq - 1 {
        return Ok(None);
    }
    let page = write_resolution(transaction, resolver, inputs).await?;
    let mut report = ResolveReport::default();
    report.add(&page);
    Ok(Some(report))
}

/// What one resolved page did.
struct ResolvedPage {
    records: usize,
    persons_created: usize,
    ambiguous_keys: usize,
    links_raised: usize,
    hard_to_match: usize,
    last_seq: i64,
}

impl ResolveReport {
    /// Adds another run's counts to this one.
    pub fn add_report(&mut self, other: &ResolveReport) {
        self.records_resolved += other.records_resolved;
        self.persons_created += other.persons_created;
        self.ambiguous_keys += other.ambiguous_keys;
        self.links_raised += other.links_raised;
        self.hard_to_match += other.hard_to_match;
        self.resolved_seq = self.resolved_seq.max(other.resolved_seq);
    }

    fn add(&mut self, page: &ResolvedPage) {
        self.records_resolved += page.records;
        self.persons_created += page.persons_created;
        self.ambiguous_keys += page.ambiguous_keys;
        self.links_raised += page.links_raised;
        self.hard_to_match += page.hard_to_match;
        self.resolved_seq = page.last_seq;
    }
}

/// Resolves `inputs` (consecutive, after the checkpoint) and writes the decisions and the checkpoint.
async fn write_resolution(
    transaction: &mut dyn WriteTransaction,
    resolver: &dyn Resolver,
    inputs: &[ResolutionInput],
) -> Result<ResolvedPage, ResolveError> {
    let last_seq = inputs.last().map_or(0, |input| input.seq);
    let page = resolver.resolve_page(transaction, inputs).await?;
    transaction.insert_persons(&page.new_persons).await?;
    transaction.insert_identity_keys(&page.identity_keys).await?;
    transaction.assign_records(&page.assignments).await?;
    transaction.insert_identity_links(&page.links).await?;
    transaction.set_resolved_seq(last_seq).await?;
    tracing::debug!(resolver = resolver.name(), resolved_seq = last_seq, "resolution page written");
    Ok(ResolvedPage {
        records: inputs.len(),
        persons_created: page.new_persons.len(),
        ambiguous_keys: page.ambiguous_keys,
        links_raised: page.links.len(),
        hard_to_match: page.hard_to_match,
        last_seq,
    })
}

/// The best-matching pair among two persons' records, explained by `resolver`, and how many pairs
/// were weighed (at most `most_pairs`: a person with thousands of records would make it quadratic).
pub async fn explain_best_pair(
    resolver: &dyn Resolver,
    left: &[matching::MatchRecord],
    right: &[matching::MatchRecord],
    most_pairs: usize,
) -> Result<(Option<matching::explain::Explanation>, usize), ResolveError> {
    let mut best: Option<matching::explain::Explanation> = None;
    let mut compared = 0usize;
    'pairs: for left_record in left {
        for right_record in right {
            if compared >= most_pairs {
                break 'pairs;
            }
            compared += 1;
            if let Some(explanation) = resolver.explain(left_record, right_record).await?
                && best.as_ref().is_none_or(|best| explanation.match_weight > best.match_weight)
            {
                best = Some(explanation);
            }
        }
    }
    Ok((best, compared))
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
