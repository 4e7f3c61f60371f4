//! The store conformance suite: every check runs against SQLite and against PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use hospes_model::payload::ControlledRegisterPayload;
use hospes_model::{
    AgencyId, Category, Date, Payload, PersonId, RecordBody, RecordEnvelope, RecordId, Sensitivity, Sha256Digest,
    ShortText, SourceRecordId, Subject, Timestamp, body_digest, canonical_header, chain_hash,
};
use hospes_store::{
    AgencyKey, ChainHead, LedgerEntry, NewPerson, RecordAssignment, ShareCodeRow, Store, verify_ledger,
};
use hospes_testkit::{TestStore, test_both_backends};

/// Builds `count` chained entries after `head`, as ingestion would.
fn entries_after(head: ChainHead, first_source_number: usize, count: usize) -> Vec<LedgerEntry> {
    let agency = AgencyId::parse("migration_service").unwrap();
    let mut previous = head.hash;
    (0..count)
        .map(|index| {
            let source = SourceRecordId::parse(&format!("MS-{}", first_source_number + index)).unwrap();
            let envelope = RecordEnvelope {
                record_id: RecordId::derive(&agency, &source, 1),
                agency: agency.clone(),
                source_record_id: source,
                source_version: 1,
                category: Category::ControlledRegister,
                kind: "inclusion".into(),
                effective_from: Date::parse("2024-05-01").unwrap(),
                effective_to: None,
                legal_basis: ShortText::parse("Law 115-FZ, art. 31.1").unwrap(),
                received_at: Timestamp::parse("2024-05-02T09:30:00.125Z").unwrap(),
                sensitivity: Sensitivity::Law,
                supersedes: vec![],
            };
            let body = RecordBody {
                subject: Subject::default(),
                payload: Payload::ControlledRegister(ControlledRegisterPayload {
                    decision_number: ShortText::parse(&format!("D-{index} «Юсупов»")).unwrap(),
                    reason: None,
                }),
            };
            let body_bytes = body.canonical_bytes().unwrap();
            let salt = [index as u8; 16];
            let digest = body_digest(&salt, &body_bytes);
            let header = canonical_header(&envelope, digest).unwrap();
            let hash = chain_hash(previous, &header);
            let entry = LedgerEntry {
                seq: head.seq + 1 + index as i64,
                envelope,
                body: body_bytes.clone(),
                body_salt: salt,
                body_digest: digest,
                submission_digest: Sha256Digest::of(&[&body_bytes]),
                previous_hash: previous,
                hash,
                wrapped_key: None,
            };
            previous = hash;
            entry
        })
        .collect()
}

async fn append_committed(store: &dyn Store, first_source_number: usize, count: usize) -> Vec<LedgerEntry> {
    let mut transaction = store.begin_write().await.unwrap();
    let head = transaction.chain_head().await.unwrap();
    let entries = entries_after(head, first_source_number, count);
    transaction.append(&entries).await.unwrap();
    transaction.commit().await.unwrap();
    entries
}

async fn an_empty_store_has_a_genesis_head_and_verifies(test: &TestStore) {
    let store = &*test.store;
    assert_eq!(store.chain_head().await.unwrap(), ChainHead::GENESIS);
    let counts = store.counts().await.unwrap();
    assert_eq!((counts.records, counts.persons, counts.resolved_seq), (0, 0, 0));
    let verification = verify_ledger(store).await.unwrap();
    assert!(verification.is_intact());
    assert_eq!(verification.records_checked, 0);
}

async fn appended_records_read_back_exactly(test: &TestStore) {
    let store = &*test.store;
    let entries = append_committed(store, 1, 2500).await;
    let head = store.chain_head().await.unwrap();
    assert_eq!(head.seq, 2500);
    assert_eq!(head.hash, entries[2499].hash);
    let stored = store.record(entries[1234].envelope.record_id).await.unwrap().unwrap();
    assert_eq!(stored.seq, 1235);
    assert_eq!(stored.envelope, entries[1234].envelope);
    assert_eq!(stored.body.as_deref(), Some(entries[1234].body.as_slice()));
    assert_eq!(stored.hash, entries[1234].hash);
    let body = stored.body_json().unwrap();
    assert_eq!(body["payload"]["decision_number"], "D-1234 «Юсупов»");
    let verification = verify_ledger(store).await.unwrap();
    assert!(verification.is_intact(), "{verification:?}");
    assert_eq!(verification.records_checked, 2500);
    assert_eq!(verification.head_hash, head.hash.to_hex());
}

async fn existing_records_report_their_submission_digest(test: &TestStore) {
    let store = &*test.store;
    let entries = append_committed(store, 1, 3).await;
    let unknown = RecordId::derive(&AgencyId::parse("police").unwrap(), &SourceRecordId::parse("X").unwrap(), 1);
    let mut transaction = store.begin_write().await.unwrap();
    let found = transaction
        .existing_records(&[entries[0].envelope.record_id, unknown, entries[2].envelope.record_id])
        .await
        .unwrap();
    assert_eq!(found.len(), 2);
    let first = found[&entries[0].envelope.record_id];
    assert_eq!(first.seq, 1);
    assert_eq!(first.submission_digest, Some(entries[0].submission_digest));
    assert!(!found.contains_key(&unknown));
}

async fn a_transaction_dropped_without_commit_leaves_nothing(test: &TestStore) {
    let store = &*test.store;
    append_committed(store, 1, 5).await;
    {
        let mut transaction = store.begin_write().await.unwrap();
        let head = transaction.chain_head().await.unwrap();
        transaction.append(&entries_after(head, 100, 7)).await.unwrap();
        transaction
            .insert_persons(&[NewPerson {
                person_id: PersonId::first_named_by(RecordId::parse("00000000-0000-0000-0000-000000000001").unwrap()),
                created_seq: 6,
            }])
            .await
            .unwrap();
    }
    assert_eq!(store.chain_head().await.unwrap().seq, 5);
    assert_eq!(store.counts().await.unwrap().persons, 0);
    // The next writer is not blocked by the abandoned transaction.
    append_committed(store, 200, 1).await;
    assert_eq!(store.chain_head().await.unwrap().seq, 6);
    assert!(verify_ledger(store).await.unwrap().is_intact());
}

async fn writers_take_turns_and_the_chain_stays_whole(test: &TestStore) {
    let mut tasks = Vec::new();
    for writer in 0..4 {
        let store = test.store.clone();
        tasks.push(tokio::spawn(async move {
            for batch in 0..5 {
                append_committed(&*store, writer * 1000 + batch * 10, 10).await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let verification = verify_ledger(&*test.store).await.unwrap();
    assert!(verification.is_intact(), "{verification:?}");
    assert_eq!(verification.records_checked, 200);
}

async fn resolution_tables_record_persons_keys_and_assignments(test: &TestStore) {
    let store = &*test.store;
    let entries = append_committed(store, 1, 4).await;
    let alice = PersonId::first_named_by(entries[0].envelope.record_id);
    let bob = PersonId::first_named_by(entries[2].envelope.record_id);
    let mut transaction = store.begin_write().await.unwrap();
    assert_eq!(transaction.resolved_seq().await.unwrap(), 0);
    let pending = transaction.records_after(0, 100).await.unwrap();
    assert_eq!(pending.len(), 4);
    transaction
        .insert_persons(&[NewPerson { person_id: alice, created_seq: 1 }, NewPerson { person_id: bob, created_seq: 3 }])
        .await
        .unwrap();
    let keys = vec![
        ("doc:FA1234567:1990-01-02".to_owned(), alice),
        ("doc:FA1234568:1991-03-04".to_owned(), bob),
        ("inn:500100732259".to_owned(), alice),
        ("inn:500100732259".to_owned(), alice),
    ];
    transaction.insert_identity_keys(&keys).await.unwrap();
    let assignments: Vec<RecordAssignment> = entries
        .iter()
        .map(|entry| RecordAssignment {
            person_id: if entry.seq <= 2 { alice } else { bob },
            seq: entry.seq,
            record_id: entry.envelope.record_id,
        })
        .collect();
    transaction.assign_records(&assignments).await.unwrap();
    transaction.set_resolved_seq(4).await.unwrap();
    let found =
        transaction.persons_for_keys(&["inn:500100732259".to_owned(), "inn:000000000000".to_owned()]).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found["inn:500100732259"], vec![alice]);
    let owners = transaction.persons_for_records(&[entries[3].envelope.record_id]).await.unwrap();
    assert_eq!(owners[&entries[3].envelope.record_id], bob);
    transaction.commit().await.unwrap();

    assert!(store.person_exists(alice).await.unwrap());
    let alice_records = store.person_records(alice).await.unwrap();
    assert_eq!(alice_records.iter().map(|record| record.seq).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(store.persons_with_key_prefix("doc:FA1234568:", 10).await.unwrap(), vec![bob]);
    assert_eq!(store.persons_with_key_prefix("doc:FA123456", 10).await.unwrap().len(), 2);
    assert!(store.persons_with_key_prefix("doc:FA9", 10).await.unwrap().is_empty());
    assert_eq!(store.person_of_record(entries[0].envelope.record_id).await.unwrap(), Some(alice));
    let counts = store.counts().await.unwrap();
    assert_eq!((counts.records, counts.persons, counts.resolved_seq), (4, 2, 4));

    let mut transaction = store.begin_write().await.unwrap();
    transaction.clear_resolution().await.unwrap();
    transaction.commit().await.unwrap();
    let counts = store.counts().await.unwrap();
    assert_eq!((counts.records, counts.persons, counts.resolved_seq), (4, 0, 0));
    assert!(store.person_records(alice).await.unwrap().is_empty());
    assert!(verify_ledger(store).await.unwrap().is_intact());
}

async fn tampering_with_a_stored_row_is_named_by_verification(test: &TestStore) {
    let store = &*test.store;
    let entries = append_committed(store, 1, 10).await;
    test.execute_raw("UPDATE ledger SET legal_basis = 'forged basis' WHERE seq = 4").await;
    let verification = verify_ledger(store).await.unwrap();
    let broken = verification.first_broken.expect("the forged row is found");
    assert_eq!(broken.seq, 4);
    assert_eq!(broken.record_id, Some(entries[3].envelope.record_id.uuid()));
    assert!(broken.reason.contains("envelope was altered"), "{}", broken.reason);
    assert_eq!(verification.records_checked, 3);
}

async fn altering_a_body_or_deleting_a_row_is_found(test: &TestStore) {
    let store = &*test.store;
    append_committed(store, 1, 10).await;
    let body_text = "'{\"payload\":{\"decision_number\":\"forged\"},\"subject\":{}}'";
    let statement = match test.store.backend() {
        hospes_store::Backend::Sqlite => {
            format!("UPDATE ledger SET body = CAST({body_text} AS BLOB) WHERE seq = 7")
        }
        hospes_store::Backend::Postgres => {
            format!("UPDATE ledger SET body = convert_to({body_text}, 'UTF8') WHERE seq = 7")
        }
    };
    test.execute_raw(&statement).await;
    let broken = verify_ledger(store).await.unwrap().first_broken.unwrap();
    assert_eq!(broken.seq, 7);
    assert!(broken.reason.contains("content was altered"), "{}", broken.reason);

    test.execute_raw("DELETE FROM ledger WHERE seq = 3").await;
    let broken = verify_ledger(store).await.unwrap().first_broken.unwrap();
    assert_eq!(broken.seq, 4);
    assert!(broken.reason.contains("a row is missing"), "{}", broken.reason);
}

async fn agency_keys_are_stored_hashed_and_can_be_revoked(test: &TestStore) {
    let store = &*test.store;
    let key = AgencyKey {
        key_id: "k1a2b3c4d5e6".into(),
        agency: AgencyId::parse("border_service").unwrap(),
        secret_sha256: Sha256Digest::of(&[b"secret"]),
        label: "checkpoint gateway".into(),
        created_at: "2024-05-01T00:00:00Z".into(),
        revoked_at: None,
    };
    store.insert_agency_key(&key).await.unwrap();
    assert_eq!(store.agency_key("k1a2b3c4d5e6").await.unwrap(), Some(key.clone()));
    assert_eq!(store.agency_key("nope").await.unwrap(), None);
    assert_eq!(store.agency_keys().await.unwrap(), vec![key]);
    assert!(store.revoke_agency_key("k1a2b3c4d5e6", "2024-06-01T00:00:00Z").await.unwrap());
    assert!(!store.revoke_agency_key("k1a2b3c4d5e6", "2024-07-01T00:00:00Z").await.unwrap());
    let revoked = store.agency_key("k1a2b3c4d5e6").await.unwrap().unwrap();
    assert_eq!(revoked.revoked_at.as_deref(), Some("2024-06-01T00:00:00Z"));
}

/// Share codes are stored by hash, found by hash, listed per person newest first, and revoked once.
async fn share_codes_are_stored_hashed_listed_and_revoked(test: &TestStore) {
    let store = &*test.store;
    let person = PersonId::from_uuid(uuid::Uuid::from_u128(7));
    let other = PersonId::from_uuid(uuid::Uuid::from_u128(8));
    let code = |secret: &[u8], id: &str, person_id: PersonId, created_at: &str| ShareCodeRow {
        code_sha256: Sha256Digest::of(&[secret]),
        id: id.into(),
        person_id,
        purpose: "right-to-work".into(),
        created_at: created_at.into(),
        expires_at: "2024-08-01T00:00:00Z".into(),
        revoked_at: None,
    };
    let first = code(b"K7M2QX9TF", "a", person, "2024-05-01T00:00:00Z");
    let second = code(b"ABCDEFGHJ", "b", person, "2024-05-02T00:00:00Z");
    let theirs = code(b"23456789A", "c", other, "2024-05-03T00:00:00Z");
    for row in [&first, &second, &theirs] {
        store.insert_share_code(row).await.unwrap();
    }
    assert!(store.insert_share_code(&first).await.is_err(), "a hash is stored once");
    assert_eq!(store.share_code(&Sha256Digest::of(&[b"K7M2QX9TF"])).await.unwrap(), Some(first.clone()));
    assert_eq!(store.share_code(&Sha256Digest::of(&[b"nope"])).await.unwrap(), None);
    assert_eq!(store.share_codes_of(person).await.unwrap(), vec![second.clone(), first.clone()]);
    assert!(!store.revoke_share_code(other, "a", "2024-06-01T00:00:00Z").await.unwrap(), "only the holder's own");
    assert!(store.revoke_share_code(person, "a", "2024-06-01T00:00:00Z").await.unwrap());
    assert!(!store.revoke_share_code(person, "a", "2024-07-01T00:00:00Z").await.unwrap());
    let revoked = store.share_code(&first.code_sha256).await.unwrap().unwrap();
    assert_eq!(revoked.revoked_at.as_deref(), Some("2024-06-01T00:00:00Z"));
}

test_both_backends!(
    share_codes_are_stored_hashed_listed_and_revoked,
    an_empty_store_has_a_genesis_head_and_verifies,
    appended_records_read_back_exactly,
    existing_records_report_their_submission_digest,
    a_transaction_dropped_without_commit_leaves_nothing,
    writers_take_turns_and_the_chain_stays_whole,
    resolution_tables_record_persons_keys_and_assignments,
    tampering_with_a_stored_row_is_named_by_verification,
    altering_a_body_or_deleting_a_row_is_found,
    agency_keys_are_stored_hashed_and_can_be_revoked,
);

#[tokio::test]
async fn a_reopened_sqlite_store_keeps_every_committed_record() {
    let directory = tempfile::tempdir().unwrap();
    let entries = {
        let store = hospes_store::SqliteStore::open(directory.path()).await.unwrap();
        let entries = append_committed(&store, 1, 20).await;
        store.close().await;
        entries
    };
    let store = hospes_store::SqliteStore::open(directory.path()).await.unwrap();
    assert_eq!(store.chain_head().await.unwrap().hash, entries[19].hash);
    assert!(verify_ledger(&store).await.unwrap().is_intact());
}
