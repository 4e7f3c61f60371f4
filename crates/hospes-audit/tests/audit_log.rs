#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::sync::Arc;
use std::time::Duration;

use hospes_audit::{Actor, AuditEvent, AuditLog, AuditLogConfig, AuditProblem, Outcome, access_log, verify_audit_log};
use hospes_model::PersonId;
use hospes_store::StoreLocation;
use hospes_store::audit::{AuditStore, open_audit_store};
use hospes_testkit::{TestStore, test_both_backends};
use hospes_transparency::{LogAuditFinding, generate_signing_key};

fn officer() -> Actor {
    Actor {
        subject: "officer-17".into(),
        organisation: "Border Service, checkpoint Sheremetyevo".into(),
        roles: vec!["border_officer".into()],
        region: Some("MOW".into()),
    }
}

fn read_event(number: usize, person: PersonId) -> AuditEvent {
    let mut event = AuditEvent::new(format!("request-{number}"), officer(), "read_profile", Outcome::Allowed);
    event.purpose = Some("border-check".into());
    event.persons = vec![person];
    event.categories_returned = vec!["identity".into(), "documents".into()];
    event.categories_withheld = vec!["medical_exams".into()];
    event
}

fn person(number: u128) -> PersonId {
    PersonId::from_uuid(uuid::Uuid::from_u128(number))
}

async fn open(test: &TestStore, config: AuditLogConfig) -> (Arc<dyn AuditStore>, AuditLog) {
    let store = open_audit_store(&test.location).await.unwrap();
    let log = AuditLog::open(store.clone(), generate_signing_key(), config).await.unwrap();
    (store, log)
}

/// N reads give exactly N events, stored with their contents, in order; the log verifies.
async fn every_event_is_stored_once_with_its_contents(test: &TestStore) {
    let (store, log) = open(test, AuditLogConfig::default()).await;
    for number in 0..25 {
        let receipt = log.record(read_event(number, person(number as u128 % 3))).await.unwrap();
        assert_eq!(receipt.leaf_index, number as u64);
    }
    log.close().await;
    assert_eq!(store.event_count().await.unwrap(), 25);
    let stored = store.events_from(0, 100).await.unwrap();
    for (number, row) in stored.iter().enumerate() {
        let event: AuditEvent = serde_json::from_slice(&row.event).unwrap();
        assert_eq!(event, read_event(number, person(number as u128 % 3)).with_time(&event.occurred_at));
    }
    let verification = verify_audit_log(&*store, &[log.verifying_key()]).await.unwrap();
    assert_eq!(verification.problem, None);
    assert_eq!(verification.events, 25);
    assert_eq!(verification.latest_signed_size, 25, "closing signs a head over every event");
    assert!(!verification.keys_from_store);
}

/// Concurrent requests share commits (group commit) and none is lost.
async fn concurrent_events_share_commits(test: &TestStore) {
    let (store, log) = open(test, AuditLogConfig { max_batch: 64, tree_head_interval: Duration::ZERO }).await;
    let log = Arc::new(log);
    let tasks: Vec<_> = (0..400)
        .map(|number| {
            let log = log.clone();
            tokio::spawn(async move { log.record(read_event(number, person(7))).await.unwrap().leaf_index })
        })
        .collect();
    let mut indexes = Vec::new();
    for task in tasks {
        indexes.push(task.await.unwrap());
    }
    indexes.sort_unstable();
    assert_eq!(indexes, (0..400).collect::<Vec<u64>>());
    log.close().await;
    let tree_heads = store.tree_heads().await.unwrap();
    // With a zero interval every commit signs a head: fewer heads than events means commits were shared.
    assert!(tree_heads.len() < 400, "{} commits for 400 events", tree_heads.len());
    let verification = verify_audit_log(&*store, &[]).await.unwrap();
    assert_eq!(verification.problem, None);
    assert_eq!(verification.events, 400);
    assert!(verification.keys_from_store);
    assert_eq!(verification.tree_heads_checked, tree_heads.len());
}

/// Reopening rebuilds the tree: the size and the proofs agree with what was signed before.
async fn reopened_log_continues_and_proves_inclusion(test: &TestStore) {
    let store = open_audit_store(&test.location).await.unwrap();
    let key = generate_signing_key();
    let log = AuditLog::open(store.clone(), key.clone(), AuditLogConfig::default()).await.unwrap();
    for number in 0..10 {
        log.record(read_event(number, person(1))).await.unwrap();
    }
    let first_head = log.sign_tree_head().await.unwrap();
    log.close().await;
    let log = AuditLog::open(store.clone(), key, AuditLogConfig::default()).await.unwrap();
    assert_eq!(log.size(), 10);
    assert_eq!(log.record(read_event(10, person(2))).await.unwrap().leaf_index, 10);
    let second_head = log.sign_tree_head().await.unwrap();
    assert_eq!(second_head.tree_head.size, 11);
    second_head.verify(&log.verifying_key()).unwrap();
    let (leaf_hash, proof) = log.inclusion_proof(3, 11).unwrap();
    proof.verify(&leaf_hash, &second_head.tree_head.root_hash).unwrap();
    let consistency = log.consistency_proof(10, 11).unwrap();
    consistency.verify(&first_head.tree_head.root_hash, &second_head.tree_head.root_hash).unwrap();
    assert!(log.inclusion_proof(11, 11).is_err());
}

/// Changing one stored event in the database is found, and the event is named.
async fn altered_event_is_named(test: &TestStore) {
    let (store, log) = open(test, AuditLogConfig::default()).await;
    for number in 0..12 {
        log.record(read_event(number, person(1))).await.unwrap();
    }
    log.close().await;
    // Someone with database access hides what officer-17 looked at in event 5.
    let statement = match test.location {
        StoreLocation::Sqlite { .. } => {
            "UPDATE audit_events SET event = CAST(REPLACE(CAST(event AS TEXT), 'documents', 'contacts') AS BLOB) \
             WHERE leaf_index = 5"
        }
        StoreLocation::Postgres { .. } => {
            "UPDATE audit_events SET event = \
             convert_to(replace(convert_from(event, 'UTF8'), 'documents', 'contacts'), 'UTF8') WHERE leaf_index = 5"
        }
    };
    let changed = test.execute_raw_audit(statement).await;
    assert_eq!(changed, 1);
    let verification = verify_audit_log(&*store, &[]).await.unwrap();
    assert_eq!(verification.problem, Some(AuditProblem::AlteredEvent { leaf_index: 5 }));
    let message = verification.problem.unwrap().to_string();
    assert!(message.contains("event 5"), "{message}");
}

/// Changing an event together with its leaf hash is caught by the signed tree head.
async fn altered_event_and_hash_break_the_signed_root(test: &TestStore) {
    let (store, log) = open(test, AuditLogConfig::default()).await;
    for number in 0..8 {
        log.record(read_event(number, person(1))).await.unwrap();
    }
    log.close().await;
    // Replace event 2 with a copy of event 3, leaf hash included: every row is self-consistent.
    test.execute_raw_audit(
        "UPDATE audit_events SET event = (SELECT event FROM audit_events WHERE leaf_index = 3), \
         leaf_hash = (SELECT leaf_hash FROM audit_events WHERE leaf_index = 3) WHERE leaf_index = 2",
    )
    .await;
    let verification = verify_audit_log(&*store, &[]).await.unwrap();
    match verification.problem {
        Some(AuditProblem::Log(LogAuditFinding::RootMismatch { tree_size, first_suspect_leaf_index, .. })) => {
            assert_eq!(tree_size, 8);
            assert!(first_suspect_leaf_index <= 2);
        }
        other => panic!("expected a root mismatch, got {other:?}"),
    }
}

/// Deleting an event is found and named.
async fn deleted_event_is_named(test: &TestStore) {
    let (store, log) = open(test, AuditLogConfig::default()).await;
    for number in 0..6 {
        log.record(read_event(number, person(1))).await.unwrap();
    }
    log.close().await;
    test.execute_raw_audit("DELETE FROM audit_events WHERE leaf_index = 4").await;
    let verification = verify_audit_log(&*store, &[]).await.unwrap();
    assert_eq!(verification.problem, Some(AuditProblem::MissingEvent { expected: 4, found: 5 }));
}

/// A forged tree head (signed by another key) is refused when the auditor pins the real key.
async fn tree_heads_are_checked_against_the_pinned_key(test: &TestStore) {
    let (store, log) = open(test, AuditLogConfig::default()).await;
    log.record(read_event(0, person(1))).await.unwrap();
    log.close().await;
    let stranger = generate_signing_key().verifying_key();
    let verification = verify_audit_log(&*store, &[stranger]).await.unwrap();
    assert!(
        matches!(verification.problem, Some(AuditProblem::Log(LogAuditFinding::UnknownSigningKey { .. }))),
        "{:?}",
        verification.problem
    );
}

/// When the event cannot be stored, `record` fails: the caller must not return data.
async fn a_failed_write_is_an_error(test: &TestStore) {
    let (_store, log) = open(test, AuditLogConfig::default()).await;
    log.record(read_event(0, person(1))).await.unwrap();
    test.execute_raw_audit("DROP TABLE audit_event_persons").await;
    let error = log.record(read_event(1, person(1))).await.unwrap_err();
    assert!(error.to_string().contains("not stored"), "{error}");
    assert_eq!(log.size(), 1, "the tree did not grow");
}

/// The person sees the accesses to their data, and only theirs, in plain words.
async fn the_person_sees_who_accessed_their_data(test: &TestStore) {
    let (store, log) = open(test, AuditLogConfig::default()).await;
    log.record(read_event(0, person(1))).await.unwrap();
    log.record(read_event(1, person(2))).await.unwrap();
    let mut denied = read_event(2, person(1));
    denied.outcome = Outcome::Denied;
    denied.categories_returned.clear();
    log.record(denied).await.unwrap();
    let entries = access_log(&*store, person(1), 50, |purpose| Some(format!("words for {purpose}"))).await.unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].event, 2, "newest first");
    assert_eq!(entries[0].outcome, Outcome::Denied);
    assert!(entries[0].summary.contains("refused"), "{}", entries[0].summary);
    assert_eq!(entries[1].why, "words for border-check");
    assert_eq!(entries[1].organisation, "Border Service, checkpoint Sheremetyevo");
    assert!(entries[1].summary.contains("identity, documents"), "{}", entries[1].summary);
    assert_eq!(entries[1].categories_withheld, vec!["medical_exams".to_owned()]);
}

trait WithTime {
    fn with_time(self, time: &str) -> Self;
}

impl WithTime for AuditEvent {
    fn with_time(mut self, time: &str) -> Self {
        self.occurred_at = time.to_owned();
        self
    }
}

test_both_backends!(
    every_event_is_stored_once_with_its_contents,
    concurrent_events_share_commits,
    reopened_log_continues_and_proves_inclusion,
    altered_event_is_named,
    altered_event_and_hash_break_the_signed_root,
    deleted_event_is_named,
    tree_heads_are_checked_against_the_pinned_key,
    a_failed_write_is_an_error,
    the_person_sees_who_accessed_their_data,
);
