//! The profile projection over real ingested and resolved records.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use hospes_ingest::{BatchLimits, ingest_batch};
use hospes_model::{Agency, AgencyId, Category, PersonId, RecordId, SourceRecordId};
use hospes_profile::Profile;
use hospes_resolve::{DeterministicResolver, resolve_pending};
use hospes_testkit::TestStore;

const SUBJECT: &str = r#"{"names":[{"surname":"YUSUPOV","given_names":"ALISHER"}],"birth_date":"1990-04-12","documents":[{"kind":"passport","number":"FA1234567","issuing_country":"UZB"}]}"#;
const SUBJECT_CYRILLIC: &str = r#"{"names":[{"surname":"Юсупов","given_names":"Алишер","patronymic":"Бахтиёрович"}],"birth_date":"1990-04-12","documents":[{"kind":"passport","number":"FA1234567","issuing_country":"UZB"}],"taxpayer_number":"500100732259"}"#;

#[allow(clippy::too_many_arguments)] // one argument per field of the line keeps the table below readable
fn line(
    id: &str,
    version: u32,
    category: &str,
    kind: &str,
    from: &str,
    subject: &str,
    payload: &str,
    extra: &str,
) -> String {
    format!(
        r#"{{"record_id":"{id}","version":{version},"category":"{category}","kind":"{kind}","effective_from":"{from}","legal_basis":"test basis","subject":{subject},"payload":{payload}{extra}}}"#
    )
}

#[tokio::test]
async fn the_profile_shows_current_values_with_their_sources() {
    let test = TestStore::sqlite().await;
    let agency = Agency {
        id: AgencyId::parse("test_agency").unwrap(),
        name: "Test".into(),
        categories: Category::ALL.into_iter().collect(),
    };
    let crossing = |id: &str, day: &str, kind: &str| {
        line(
            id,
            1,
            "border_crossings",
            kind,
            day,
            SUBJECT,
            &format!(r#"{{"crossed_at":"{day}T10:00:00Z","checkpoint":"SVO"}}"#),
            "",
        )
    };
    let lines = [
        crossing("C-1", "2024-01-10", "entry"),
        crossing("C-2", "2024-02-10", "exit"),
        crossing("C-3", "2024-03-10", "entry"),
        line("PH-1", 1, "contacts", "phone", "2024-01-11", SUBJECT_CYRILLIC, r#"{"phone":"+998901234567"}"#, ""),
        line("PH-2", 1, "contacts", "phone", "2024-03-11", SUBJECT_CYRILLIC, r#"{"phone":"+998907654321"}"#, ""),
        line("EM-1", 1, "contacts", "email", "2024-01-11", SUBJECT_CYRILLIC, r#"{"email":"a.yusupov@example.uz"}"#, ""),
        line(
            "OF-1",
            1,
            "offences",
            "administrative_offence",
            "2024-02-01",
            SUBJECT,
            r#"{"case_number":"A-1","decided_on":"2024-02-01"}"#,
            "",
        ),
        line(
            "OF-2",
            1,
            "offences",
            "administrative_offence",
            "2024-02-05",
            SUBJECT,
            r#"{"case_number":"A-2","decided_on":"2024-02-05"}"#,
            "",
        ),
        line(
            "OF-1",
            2,
            "offences",
            "administrative_offence",
            "2024-02-01",
            SUBJECT,
            r#"{"case_number":"A-1 corrected","decided_on":"2024-02-01"}"#,
            "",
        ),
        line("CR-1", 1, "controlled_register", "inclusion", "2024-04-01", SUBJECT, r#"{"decision_number":"K-1"}"#, ""),
        line(
            "CR-2",
            1,
            "controlled_register",
            "exclusion",
            "2024-05-01",
            SUBJECT,
            r#"{"decision_number":"K-2"}"#,
            r#","supersedes":[{"record_id":"CR-1","version":1}]"#,
        ),
    ];
    ingest_batch(&*test.store, &agency, lines.join("\n").as_bytes(), &BatchLimits::default()).await.unwrap();
    resolve_pending(&*test.store, &DeterministicResolver).await.unwrap();
    let id =
        |source: &str, version: u32| RecordId::derive(&agency.id, &SourceRecordId::parse(source).unwrap(), version);
    let person = PersonId::first_named_by(id("C-1", 1));
    let records = test.store.person_records(person).await.unwrap();
    assert_eq!(records.len(), 11);
    let profile = Profile::project(person, &records);
    assert_eq!(profile.record_count, 11);

    let crossings = &profile.categories[&Category::BorderCrossings];
    assert_eq!((crossings.total_records, crossings.current.len()), (3, 1));
    assert_eq!(crossings.current[0].record_id, id("C-3", 1), "the newest crossing");

    let contacts = &profile.categories[&Category::Contacts];
    let current: Vec<RecordId> = contacts.current.iter().map(|entry| entry.record_id).collect();
    assert_eq!(current, vec![id("PH-2", 1), id("EM-1", 1)], "the newest of each kind");
    assert_eq!(contacts.current[0].payload.as_ref().unwrap()["phone"], "+998907654321");

    let offences = &profile.categories[&Category::Offences];
    let current: Vec<RecordId> = offences.current.iter().map(|entry| entry.record_id).collect();
    assert_eq!(current, vec![id("OF-2", 1), id("OF-1", 2)], "every current offence; version 1 is superseded");
    assert_eq!(offences.superseded_records, 1);

    let register = &profile.categories[&Category::ControlledRegister];
    assert_eq!(register.current[0].kind, "exclusion");

    let names: Vec<String> =
        profile.identity.names.iter().map(|name| name.value["surname"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, vec!["YUSUPOV", "Юсупов"]);
    assert_eq!(profile.identity.names[1].sources.len(), 3, "three contact records spell it in Cyrillic");
    assert_eq!(profile.identity.birth_dates.len(), 1);
    assert_eq!(profile.identity.documents[0].value, "passport UZB FA1234567");
    assert_eq!(profile.identity.taxpayer_numbers[0].value, "500100732259");
    assert!(!profile.categories.contains_key(&Category::Tax));
}
