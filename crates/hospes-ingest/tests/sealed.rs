//! Special-category records (biometrics, medical examinations, criminal records) are stored sealed
//! under a key per record, opened on read with the master key and never without it, and destroyed by
//! retention so that nothing of them can be recovered, while the ledger still verifies. Both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::sync::Arc;

use hospes_ingest::{AppendError, AppendReport, BatchLimits, append_batch, validate_batch};
use hospes_model::{Agency, AgencyId, Category, RecordId, Timestamp};
use hospes_store::retention::run_retention;
use hospes_store::{PostgresStore, SqliteStore, Store, StoreError, StoreLocation, verify_ledger};
use hospes_testkit::{TestStore, test_both_backends};
use hospes_vault::RetentionPolicy;

const EVERY_CATEGORY: &str = include_str!("../../../examples/every-category.ndjson");

/// A string that appears only in the medical examination's payload.
const SECRET: &str = "Zebra clinic 4711";

fn agency() -> Agency {
    Agency {
        id: AgencyId::parse("test_agency").unwrap(),
        name: "Test agency".into(),
        categories: Category::ALL.into_iter().collect(),
    }
}

fn example(record_id: &str) -> String {
    EVERY_CATEGORY.lines().find(|line| line.contains(&format!("\"record_id\":\"{record_id}\""))).unwrap().to_owned()
}

/// A passport (stored in clear), a face capture, a medical examination and a conviction (sealed).
fn batch() -> String {
    let medical = example("ME-1").replace("Moscow migration medical centre", SECRET);
    [example("DOC-1"), example("BIO-1"), medical, example("CNV-1")].join("\n")
}

/// Validates and appends `lines`, received on 1 July 2024 (so that retention periods are fixed).
async fn ingest(store: &dyn Store, lines: &str) -> Result<AppendReport, AppendError> {
    let received = Timestamp::parse("2024-07-01T12:00:00Z").unwrap();
    let records = validate_batch(&agency(), lines.as_bytes(), received, &BatchLimits::default())?;
    append_batch(store, records).await
}

fn id(source: &str) -> RecordId {
    RecordId::derive(&agency().id, &hospes_model::SourceRecordId::parse(source).unwrap(), 1)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// Every byte SQLite keeps for the store: the database file and its write-ahead log.
fn sqlite_files(test: &TestStore) -> Vec<u8> {
    let data_dir = test.data_dir().unwrap();
    let mut bytes = std::fs::read(data_dir.join("hospes.db")).unwrap();
    bytes.extend(std::fs::read(data_dir.join("hospes.db-wal")).unwrap_or_default());
    bytes
}

async fn store_without_master_key(test: &TestStore) -> Arc<dyn Store> {
    match &test.location {
        StoreLocation::Sqlite { data_dir } => Arc::new(SqliteStore::open(data_dir).await.unwrap()),
        StoreLocation::Postgres { url } => Arc::new(PostgresStore::connect(url).await.unwrap()),
    }
}

async fn raw_body(store: &dyn Store, record_id: RecordId) -> Option<Vec<u8>> {
    let rows = store.ledger_rows_after(0, 100).await.unwrap();
    rows.into_iter().find(|row| row.record_id == record_id.uuid()).unwrap().body
}

async fn special_bodies_are_stored_sealed_and_read_back_only_with_the_master_key(test: &TestStore) {
    let store = &*test.store;
    ingest(store, &batch()).await.unwrap();

    let stored_medical = raw_body(store, id("ME-1")).await.unwrap();
    assert!(!contains(&stored_medical, SECRET.as_bytes()), "the medical examination is stored in clear");
    assert!(contains(&raw_body(store, id("DOC-1")).await.unwrap(), b"FA1234567"), "basic categories stay in clear");
    if test.data_dir().is_some() {
        assert!(!contains(&sqlite_files(test), SECRET.as_bytes()), "the plaintext reached the database file");
    }

    let medical = store.record(id("ME-1")).await.unwrap().unwrap();
    assert!(medical.sealed);
    let body = medical.body_json().unwrap();
    assert_eq!(body["payload"]["institution"], SECRET);

    let keyless = store_without_master_key(test).await;
    match keyless.record(id("ME-1")).await {
        Err(StoreError::NoMasterKey { seq }) => assert_eq!(seq, medical.seq),
        other => panic!("expected a refusal without the master key, got {other:?}"),
    }
    assert!(keyless.record(id("DOC-1")).await.unwrap().unwrap().body.is_some());
    let error = ingest(&*keyless, &example("CNV-1").replace("CNV-1", "CNV-2")).await.unwrap_err();
    assert!(matches!(error, AppendError::NoMasterKey { line: 1, category: Category::Convictions }), "{error}");

    let verification = verify_ledger(store).await.unwrap();
    assert!(verification.is_intact(), "{verification:?}");
}

async fn retention_shreds_expired_records_and_the_ledger_still_verifies(test: &TestStore) {
    let store = &*test.store;
    ingest(store, &batch()).await.unwrap();
    let ciphertext = raw_body(store, id("ME-1")).await.unwrap();
    let policy = RetentionPolicy::shipped_default().unwrap();

    // Before any period ends, nothing goes.
    let early = run_retention(store, &policy, Timestamp::parse("2025-01-01T00:00:00Z").unwrap(), false).await.unwrap();
    assert_eq!((early.examined, early.destroyed.len()), (3, 0));

    // In 2030 the examination (valid to 2025-03-09, kept 3 years after) and the face capture (no end,
    // kept 5 years from its receipt) have expired; the conviction (10 years from receipt) has not.
    let now = Timestamp::parse("2030-01-01T00:00:00Z").unwrap();
    let dry = run_retention(store, &policy, now, true).await.unwrap();
    assert_eq!(dry.destroyed.len(), 2);
    assert!(store.record(id("ME-1")).await.unwrap().unwrap().body.is_some(), "a dry run destroyed something");

    let report = run_retention(store, &policy, now, false).await.unwrap();
    let mut destroyed: Vec<(RecordId, bool)> =
        report.destroyed.iter().map(|record| (record.record_id, record.crypto_shredded)).collect();
    destroyed.sort();
    let mut expected = vec![(id("ME-1"), true), (id("BIO-1"), true)];
    expected.sort();
    assert_eq!(destroyed, expected);

    let medical = store.record(id("ME-1")).await.unwrap().unwrap();
    assert_eq!(medical.body, None);
    assert!(!medical.sealed, "the data key must be gone");
    let destruction = medical.destruction.expect("the destruction is noted");
    assert!(destruction.expired_at.starts_with("2028-03-10T00:00:00"), "{destruction:?}");
    assert!(destruction.destroyed_at.starts_with("2030-01-01T00:00:00"), "{destruction:?}");
    assert!(destruction.rule.contains("medical_exams") && destruction.rule.contains("3 years"), "{destruction:?}");
    assert_eq!(raw_body(store, id("ME-1")).await, None);
    let conviction = store.record(id("CNV-1")).await.unwrap().unwrap();
    assert!(conviction.body.is_some() && conviction.destruction.is_none());

    if test.data_dir().is_some() {
        let files = sqlite_files(test);
        assert!(!contains(&files, &ciphertext[ciphertext.len() - 32..]), "the ciphertext survives in the files");
        assert!(!contains(&files, SECRET.as_bytes()));
    }
    let verification = verify_ledger(store).await.unwrap();
    assert!(verification.is_intact(), "{verification:?}");

    // Nothing is destroyed twice, and re-sending a destroyed record does not bring it back.
    let again = run_retention(store, &policy, now, false).await.unwrap();
    assert_eq!((again.examined, again.destroyed.len()), (1, 0));
    let resent = ingest(store, &batch()).await.unwrap();
    assert_eq!((resent.accepted.len(), resent.duplicates.len()), (0, 4));
    assert_eq!(store.record(id("ME-1")).await.unwrap().unwrap().body, None);
}

test_both_backends!(
    special_bodies_are_stored_sealed_and_read_back_only_with_the_master_key,
    retention_shreds_expired_records_and_the_ledger_still_verifies,
);
