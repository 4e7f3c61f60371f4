//! The deterministic resolver and the resolution projection, against both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use hospes_ingest::{BatchLimits, ingest_batch};
use hospes_model::{Agency, AgencyId, Category, PersonId, RecordId, SourceRecordId};
use hospes_resolve::{DeterministicResolver, persons_of, rebuild, resolve_pending};
use hospes_testkit::{TestStore, test_both_backends};

fn agency() -> Agency {
    Agency {
        id: AgencyId::parse("test_agency").unwrap(),
        name: "Test agency".into(),
        categories: Category::ALL.into_iter().collect(),
    }
}

fn record_id(source: &str, version: u32) -> RecordId {
    RecordId::derive(&agency().id, &SourceRecordId::parse(source).unwrap(), version)
}

const SUBJECT_DOC_A: &str = r#"{"names":[{"surname":"YUSUPOV","given_names":"ALISHER"}],"birth_date":"1990-04-12","documents":[{"kind":"passport","number":"FA1234567","issuing_country":"UZB"}]}"#;

fn lines() -> Vec<String> {
    let crossing = |id: &str, subject: &str, number: &str| {
        format!(
            r#"{{"record_id":"{id}","category":"border_crossings","kind":"entry","effective_from":"2024-03-01","legal_basis":"4730-1 art. 9","subject":{subject},"payload":{{"crossed_at":"2024-03-01T06:40:00Z","checkpoint":"SVO-T2","document_number":"{number}"}}}}"#
        )
    };
    vec![
        format!(r#"{{"record_id":"P-1","category":"documents","kind":"passport","effective_from":"2021-06-01","effective_to":"2031-05-31","legal_basis":"115-FZ","subject":{SUBJECT_DOC_A},"payload":{{"number":"FA1234567","issuing_country":"UZB","expires_on":"2031-05-31"}}}}"#),
        crossing("C-1", SUBJECT_DOC_A, "FA1234567"),
        r#"{"record_id":"T-1","category":"tax","kind":"taxpayer_registration","effective_from":"2024-03-05","legal_basis":"Tax Code art. 83","subject":{"names":[{"surname":"Юсупов","given_names":"Алишер"}],"taxpayer_number":"500100732259"},"payload":{"taxpayer_number":"500100732259"}}"#.to_owned(),
        r#"{"record_id":"E-1","category":"employment","kind":"contract","effective_from":"2024-03-20","legal_basis":"115-FZ art. 13","subject":{"names":[{"surname":"Юсупов","given_names":"Алишер"}],"birth_date":"1990-04-12","documents":[{"kind":"passport","number":"FA1234567","issuing_country":"UZB"}],"taxpayer_number":"500100732259"},"payload":{"employer":{"name":"OOO Stroitel"}}}"#.to_owned(),
        r#"{"record_id":"P-2","category":"documents","kind":"passport","effective_from":"2031-05-01","effective_to":"2041-04-30","legal_basis":"115-FZ","subject":{"names":[{"surname":"YUSUPOV","given_names":"ALISHER"}],"birth_date":"1990-04-12"},"payload":{"number":"FB7654321","issuing_country":"UZB","issued_on":"2024-05-01","expires_on":"2034-04-30","previous_number":"FA1234567"}}"#.to_owned(),
        crossing("C-2", r#"{"birth_date":"1990-04-12","documents":[{"kind":"passport","number":"FB7654321","issuing_country":"UZB"}]}"#, "FB7654321"),
        r#"{"record_id":"T-1","version":2,"category":"tax","kind":"taxpayer_registration","effective_from":"2024-03-06","legal_basis":"Tax Code art. 83","subject":{"names":[{"surname":"Юсупов","given_names":"Алишер"}]},"payload":{"taxpayer_number":"500100732259"}}"#.to_owned(),
        r#"{"record_id":"N-1","category":"contacts","kind":"phone","effective_from":"2024-03-02","legal_basis":"126-FZ","subject":{"names":[{"surname":"Юсупов","given_names":"Алишер"}]},"payload":{"phone":"+998901234567"}}"#.to_owned(),
    ]
}

async fn ingest_all(test: &TestStore) {
    let batch = lines().join("\n");
    ingest_batch(&*test.store, &agency(), batch.as_bytes(), &BatchLimits::default()).await.unwrap();
}

async fn records_are_grouped_by_documents_and_taxpayer_numbers(test: &TestStore) {
    ingest_all(test).await;
    let report = resolve_pending(&*test.store, &DeterministicResolver).await.unwrap();
    assert_eq!(report.records_resolved, 8);
    assert_eq!(report.resolved_seq, 8);
    let ids: Vec<RecordId> = ["P-1", "C-1", "T-1", "E-1", "P-2", "C-2"]
        .iter()
        .map(|id| record_id(id, 1))
        .chain([record_id("T-1", 2), record_id("N-1", 1)])
        .collect();
    let persons = persons_of(&*test.store, &ids).await.unwrap();
    let person = |index: usize| persons[&ids[index]];
    let traveller = PersonId::first_named_by(ids[0]);
    let taxpayer = PersonId::first_named_by(ids[2]);
    assert_eq!(person(0), traveller);
    assert_eq!(person(1), traveller, "same document and birth date");
    assert_eq!(person(2), taxpayer, "a taxpayer number alone does not reach the traveller");
    assert_eq!(person(3), traveller, "the document key outranks the taxpayer key");
    assert_eq!(person(4), traveller, "a renewal names the previous number");
    assert_eq!(person(5), traveller, "the renewed passport is recognised at the next crossing");
    assert_eq!(person(6), taxpayer, "a new version stays with the person of the old one");
    assert_eq!(person(7), PersonId::first_named_by(ids[7]), "a name alone starts a new person");
    assert_eq!(report.persons_created, 3);
    assert_eq!(report.ambiguous_keys, 1, "the taxpayer number now points at two persons");
    let traveller_records = test.store.person_records(traveller).await.unwrap();
    assert_eq!(traveller_records.len(), 5);
    let by_document = test.store.persons_with_key_prefix("doc:FB7654321:", 10).await.unwrap();
    assert_eq!(by_document, vec![traveller]);
}

async fn resolution_is_incremental_and_a_rebuild_gives_the_same_persons(test: &TestStore) {
    ingest_all(test).await;
    let first = resolve_pending(&*test.store, &DeterministicResolver).await.unwrap();
    let again = resolve_pending(&*test.store, &DeterministicResolver).await.unwrap();
    assert_eq!(again.records_resolved, 0);
    assert_eq!(again.resolved_seq, first.resolved_seq);
    let ids: Vec<RecordId> = lines()
        .iter()
        .enumerate()
        .map(|(index, _)| {
            let names = ["P-1", "C-1", "T-1", "E-1", "P-2", "C-2", "T-1", "N-1"];
            record_id(names[index], if index == 6 { 2 } else { 1 })
        })
        .collect();
    let before = persons_of(&*test.store, &ids).await.unwrap();
    let rebuilt = rebuild(&*test.store, &DeterministicResolver).await.unwrap();
    assert_eq!(rebuilt.records_resolved, 8);
    assert_eq!(rebuilt.persons_created, first.persons_created);
    assert_eq!(persons_of(&*test.store, &ids).await.unwrap(), before);
    assert_eq!(test.store.counts().await.unwrap().persons, 3);
}

test_both_backends!(
    records_are_grouped_by_documents_and_taxpayer_numbers,
    resolution_is_incremental_and_a_rebuild_gives_the_same_persons,
);
