//! The retention job as the server runs it: on a schedule, and audited — every person whose records
//! it destroys finds an event in their access log saying what went and why.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use hospes_audit::{Actor, AuditEvent, AuditLog, Outcome, RETENTION_ACTION};
use hospes_model::{Category, PersonId, RecordId, Timestamp};
use hospes_store::Store;
use hospes_store::retention::{RetentionReport, run_retention};
use hospes_vault::RetentionPolicy;

/// Why a retention run failed.
#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error(transparent)]
    Store(#[from] hospes_store::StoreError),
    #[error("the records were destroyed, but the audit log could not record it: {0}")]
    Audit(#[from] hospes_audit::AuditError),
}

/// Who the retention job is in the audit log.
fn retention_actor() -> Actor {
    Actor { subject: "retention-job".into(), organisation: "Hospes".into(), roles: vec!["system".into()], region: None }
}

/// Runs retention at `now` and records one audit event per person whose records it destroyed.
pub async fn run_audited(
    store: &dyn Store,
    audit: &AuditLog,
    policy: &RetentionPolicy,
    now: Timestamp,
    dry_run: bool,
) -> Result<RetentionReport, RetentionError> {
    let report = run_retention(store, policy, now, dry_run).await?;
    if dry_run || report.destroyed.is_empty() {
        return Ok(report);
    }
    let record_ids: Vec<RecordId> = report.destroyed.iter().map(|record| record.record_id).collect();
    let persons = store.persons_for_records(&record_ids).await?;
    let mut by_person: BTreeMap<Option<PersonId>, Vec<Category>> = BTreeMap::new();
    for record in &report.destroyed {
        by_person.entry(persons.get(&record.record_id).copied()).or_default().push(record.category);
    }
    for (person, categories) in by_person {
        let distinct: BTreeSet<&str> = categories.iter().map(|category| category.as_str()).collect();
        let mut event = AuditEvent::new(
            format!("retention-{}", report.as_of),
            retention_actor(),
            RETENTION_ACTION,
            Outcome::Allowed,
        );
        event.persons = person.into_iter().collect();
        event.detail = Some(format!(
            "{} record(s) destroyed ({}) under the retention schedule; only their envelope and a digest remain.",
            categories.len(),
            distinct.into_iter().collect::<Vec<_>>().join(", ").replace('_', " ")
        ));
        audit.record(event).await?;
    }
    Ok(report)
}

/// Runs retention every `every`, first one period after start, until the process ends.
pub fn spawn_schedule(
    store: Arc<dyn Store>,
    audit: Arc<AuditLog>,
    policy: RetentionPolicy,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let now = Timestamp::from_utc(chrono::Utc::now());
            match run_audited(&*store, &audit, &policy, now, false).await {
                Ok(report) => tracing::info!(
                    examined = report.examined,
                    destroyed = report.destroyed.len(),
                    "retention run finished"
                ),
                Err(error) => tracing::error!(%error, "retention run failed; it will be retried at the next period"),
            }
        }
    })
}
