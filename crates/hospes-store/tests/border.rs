//! Border control's tables on both backends: the lost and stolen documents list and pre-arrival
//! applications.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use hospes_model::PersonId;
use hospes_store::border::{LostStolenDocument, PreArrivalRow};
use hospes_testkit::{TestStore, test_both_backends};

fn document(number: &str, country: &str, source: &str) -> LostStolenDocument {
    LostStolenDocument {
        document_number: number.into(),
        issuing_country: country.into(),
        document_type: "passport".into(),
        reported_on: "2025-02-03".into(),
        source: source.into(),
    }
}

/// A report of a document already listed keeps the first; lookups find a number under every
/// issuing state that listed it; a list larger than one INSERT goes in whole.
async fn lost_stolen_documents_are_kept_once(test: &TestStore) {
    let store = &test.store;
    let first = [document("FA1234567", "UZB", "Interpol"), document("FA1234567", "KGZ", "KGZ MFA")];
    assert_eq!(store.insert_lost_stolen_documents(&first, "2025-02-04T00:00:00Z").await.unwrap(), 2);
    let again = [document("FA1234567", "UZB", "someone later"), document("N7654321", "KAZ", "KAZ MIA")];
    assert_eq!(store.insert_lost_stolen_documents(&again, "2025-02-05T00:00:00Z").await.unwrap(), 1);
    assert_eq!(store.lost_stolen_count().await.unwrap(), 3);
    let found = store.lost_stolen_documents_numbered(&["FA1234567".into(), "ZZ0000000".into()]).await.unwrap();
    assert_eq!(found, vec![first[1].clone(), first[0].clone()], "ordered by number and state, first report kept");
    assert!(store.lost_stolen_documents_numbered(&[]).await.unwrap().is_empty());

    let many: Vec<LostStolenDocument> =
        (0..2_500).map(|index| document(&format!("BULK{index:05}"), "TJK", "bulk")).collect();
    assert_eq!(store.insert_lost_stolen_documents(&many, "2025-02-06T00:00:00Z").await.unwrap(), 2_500);
    assert_eq!(store.lost_stolen_count().await.unwrap(), 2_503);
}

fn application(id: &str, person: Option<PersonId>, submitted_at: &str, outcome: &str) -> PreArrivalRow {
    PreArrivalRow {
        application_id: id.into(),
        person_id: person,
        document_country: "UZB".into(),
        document_number: "FA1234567".into(),
        birth_date: "1990-04-12".into(),
        submitted_at: submitted_at.into(),
        submitted_by: "officer-1".into(),
        outcome: outcome.into(),
        application: r#"{"purpose":"work"}"#.into(),
        reasons: "[]".into(),
    }
}

/// Applications are read back by id, and by document and birth date newest first.
async fn pre_arrival_applications_are_read_back(test: &TestStore) {
    let store = &test.store;
    let person = PersonId::parse("7d9f6b1c-2f44-4c55-9a61-0d8b1e5c3a10").unwrap();
    let older = application("0b6f9c1e-0000-4000-8000-000000000001", None, "2025-01-01T10:00:00Z", "clear");
    let newer = application("0b6f9c1e-0000-4000-8000-000000000002", Some(person), "2025-03-01T10:00:00Z", "refer");
    store.insert_pre_arrival_application(&older).await.unwrap();
    store.insert_pre_arrival_application(&newer).await.unwrap();
    assert_eq!(store.pre_arrival_application(&newer.application_id).await.unwrap(), Some(newer.clone()));
    assert_eq!(store.pre_arrival_application("no-such-id").await.unwrap(), None);
    let on_file = store.pre_arrival_applications_for_document("FA1234567", "1990-04-12", 10).await.unwrap();
    assert_eq!(on_file, vec![newer.clone(), older.clone()]);
    assert!(store.pre_arrival_applications_for_document("FA1234567", "1990-04-13", 10).await.unwrap().is_empty());
    assert!(store.insert_pre_arrival_application(&older).await.is_err(), "an application id is unique");
}

test_both_backends!(lost_stolen_documents_are_kept_once, pre_arrival_applications_are_read_back);
