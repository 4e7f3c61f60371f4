//! Ingestion: validation of every kind of bad line, idempotency, conflicts, supersession and atomicity,
//! against both store backends.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::collections::BTreeSet;

use hospes_ingest::{
    AppendError, BatchLimits, BatchRejection, LineErrorCode, append_batch, ingest_batch, validate_batch,
};
use hospes_model::{Agency, AgencyId, AgencyRegistry, Category, Timestamp};
use hospes_store::verify_ledger;
use hospes_testkit::{TestStore, test_both_backends};

const EVERY_CATEGORY: &str = include_str!("../../../examples/every-category.ndjson");

/// An agency allowed to write every category, so format checks are not confused with permissions.
fn all_categories_agency() -> Agency {
    Agency {
        id: AgencyId::parse("test_agency").unwrap(),
        name: "Test agency".into(),
        categories: Category::ALL.into_iter().collect(),
    }
}

fn received() -> Timestamp {
    Timestamp::parse("2024-07-01T12:00:00Z").unwrap()
}

fn line_with(category_line: &str, replacements: &[(&str, &str)]) -> String {
    let mut line = EVERY_CATEGORY
        .lines()
        .find(|line| line.contains(&format!("\"record_id\":\"{category_line}\"")))
        .unwrap_or_else(|| panic!("no example line {category_line}"))
        .to_owned();
    for (from, to) in replacements {
        assert!(line.contains(from), "example {category_line} does not contain {from}");
        line = line.replacen(from, to, 1);
    }
    line
}

/// Asserts that `batch` is refused, and that its errors are exactly `expected`
/// (line, path, code, a fragment of the reason).
fn check_rejected(batch: &str, expected: &[(usize, &str, LineErrorCode, &str)]) {
    let rejection = validate_batch(&all_categories_agency(), batch.as_bytes(), received(), &BatchLimits::default())
        .expect_err("the batch must be refused");
    let errors = rejection.line_errors();
    assert_eq!(errors.len(), expected.len(), "errors: {errors:#?}");
    for (error, (line, path, code, fragment)) in errors.iter().zip(expected) {
        assert_eq!((error.line, error.path.as_str(), error.code), (*line, *path, *code), "{error:#?}");
        assert!(error.reason.contains(fragment), "reason '{}' should contain '{fragment}'", error.reason);
    }
}

#[test]
fn every_category_has_a_valid_example() {
    let records =
        validate_batch(&all_categories_agency(), EVERY_CATEGORY.as_bytes(), received(), &BatchLimits::default())
            .unwrap_or_else(|rejection| panic!("{rejection}: {:#?}", rejection.line_errors()));
    let categories: BTreeSet<Category> = records.iter().map(|record| record.envelope.category).collect();
    assert_eq!(categories.len(), 25);
    let passport = &records[1];
    assert_eq!(passport.envelope.source_record_id.as_str(), "DOC-1");
    assert_eq!(passport.envelope.sensitivity, hospes_model::Sensitivity::Basic);
    assert_eq!(records[2].envelope.sensitivity, hospes_model::Sensitivity::Special);
    assert_eq!(passport.envelope.received_at, received());
}

#[test]
fn malformed_lines_are_reported_with_line_and_reason() {
    use LineErrorCode::*;
    check_rejected("{\"record_id\": \"X\"", &[(1, "", MalformedJson, "EOF while parsing")]);
    check_rejected("<record/>", &[(1, "", MalformedJson, "expected value (column 1)")]);
    check_rejected(&format!("{} {{}}", line_with("CR-1", &[])), &[(1, "", MalformedJson, "one record per line")]);
    let mut invalid_utf8 = line_with("CR-1", &[]).into_bytes();
    invalid_utf8.insert(20, 0xFF);
    let rejection =
        validate_batch(&all_categories_agency(), &invalid_utf8, received(), &BatchLimits::default()).unwrap_err();
    assert_eq!(rejection.line_errors()[0].code, InvalidUtf8);
    assert!(rejection.line_errors()[0].reason.contains("column 21"));
}

#[test]
fn wrong_fields_are_named_by_json_pointer() {
    use LineErrorCode::*;
    check_rejected(
        &line_with("CR-1", &[("\"controlled_register\"", "\"health\"")]),
        &[(1, "/category", InvalidField, "unknown variant `health`")],
    );
    check_rejected(
        &line_with("CR-1", &[("\"inclusion\"", "\"included\"")]),
        &[(1, "/kind", UnknownKind, "expected one of: inclusion, exclusion")],
    );
    check_rejected(
        &line_with("CR-1", &[("\"record_id\":\"CR-1\"", "\"record_id\":\"CR-1\",\"version\":\"two\"")]),
        &[(1, "/version", InvalidField, "invalid type: string")],
    );
    check_rejected(
        &line_with("CR-1", &[("\"2024-06-01\"", "\"2023-02-30\"")]),
        &[(1, "/effective_from", InvalidField, "not a real calendar date")],
    );
    check_rejected(
        &line_with("CR-1", &[("\"1985-02-03\"", "\"03.02.1985\"")]),
        &[(1, "/subject/birth_date", InvalidField, "YYYY-MM-DD")],
    );
    check_rejected(
        &line_with("ID-1", &[("\"citizenship\":\"UZB\"", "\"citizenship\":\"UZ\"")]),
        &[(1, "/subject/citizenship", InvalidField, "three capital letters")],
    );
    check_rejected(
        &line_with(
            "DOC-1",
            &[(
                "\"number\":\"FA1234567\",\"issuing_country\":\"UZB\",\"issued_on\"",
                "\"issuing_country\":\"UZB\",\"issued_on\"",
            )],
        ),
        &[(1, "/payload", InvalidField, "missing field `number`")],
    );
    check_rejected(
        &line_with("CON-1", &[("\"phone\":\"+998901234567\"", "\"phone\":\"+998901234567\",\"fax\":\"1\"")]),
        &[(1, "/payload/fax", InvalidField, "unknown field `fax`")],
    );
    check_rejected(
        &line_with("CON-1", &[("\"+998901234567\"", "\"8-901-234\"")]),
        &[(1, "/payload/phone", InvalidField, "E.164")],
    );
    check_rejected(
        &line_with("PP-1", &[("\"500100732259\"", "\"500100732258\"")]),
        &[(1, "/subject/taxpayer_number", InvalidField, "control digits")],
    );
    check_rejected(
        &line_with("PP-1", &[("\"amount_minor\":872500", "\"amount_minor\":-5")]),
        &[(1, "/payload/amount/amount_minor", InvalidField, "invalid value: integer `-5`")],
    );
    check_rejected(
        &line_with("FAM-1", &[("\"surname\":\"Юсупова\"", "\"surname\":\"Юсуп0ва\"")]),
        &[(1, "/payload/relative/names/0/surname", InvalidField, "'0'")],
    );
}

#[test]
fn impossible_combinations_are_refused() {
    use LineErrorCode::*;
    check_rejected(
        &line_with("WP-1", &[("\"effective_to\":\"2025-03-14\"", "\"effective_to\":\"2023-03-14\"")]),
        &[(1, "/effective_to", InvalidField, "ends after it starts")],
    );
    check_rejected(
        &line_with("DOC-1", &[("\"expires_on\":\"2031-05-31\"", "\"expires_on\":\"2020-05-31\"")]),
        &[(1, "/payload/expires_on", InvalidField, "expires after it is issued")],
    );
    check_rejected(
        &line_with(
            "ID-1",
            &[("\"birth_date\":\"1990-04-12\",\"birth_place\"", "\"birth_date\":\"2030-04-12\",\"birth_place\"")],
        ),
        &[(1, "/payload/birth_date", InvalidField, "in the future")],
    );
    check_rejected(
        &line_with("BC-1", &[("2024-03-01T06:40:00+03:00", "2025-03-01T06:40:00+03:00")]),
        &[(1, "/payload/crossed_at", InvalidField, "in the future")],
    );
    check_rejected(
        &line_with(
            "CR-1",
            &[(
                "\"subject\":{\"names\":[{\"surname\":\"KARIMOV\",\"given_names\":\"BOBUR\"}],\"birth_date\":\"1985-02-03\"}",
                "\"subject\":{\"birth_date\":\"1985-02-03\"}",
            )],
        ),
        &[(1, "/subject", InvalidField, "identifies nobody")],
    );
    check_rejected(
        &line_with("TAX-1", &[("\"due_on\":\"2024-02-01\"", "\"paid_on\":\"2024-02-01\"")]),
        &[(1, "/payload/due_on", InvalidField, "required for records of kind 'debt'")],
    );
    check_rejected(
        &line_with("DOC-1", &[("FA12345673UZB", "FA1234567UZB")]),
        &[(1, "/payload/mrz/1", InvalidField, "43 characters; expected 44")],
    );
    check_rejected(
        &line_with(
            "CR-1",
            &[(
                "\"record_id\":\"CR-1\"",
                "\"record_id\":\"CR-1\",\"supersedes\":[{\"record_id\":\"CR-1\",\"version\":1}]",
            )],
        ),
        &[(1, "/supersedes/0", InvalidField, "earlier versions of itself")],
    );
}

#[test]
fn every_bad_line_of_a_batch_is_reported_at_once() {
    use LineErrorCode::*;
    let batch = [
        line_with("CR-1", &[]),
        line_with("CON-1", &[("\"+998901234567\"", "\"12\"")]),
        String::new(),
        line_with("TAX-1", &[]),
        "{".to_owned(),
        line_with("CR-1", &[("KR-2024-555", "KR-2024-556")]),
    ]
    .join("\n");
    check_rejected(
        &batch,
        &[
            (2, "/payload/phone", InvalidField, "E.164"),
            (5, "", MalformedJson, "EOF"),
            (6, "/record_id", Conflict, "also on line 1 with different content"),
        ],
    );
}

#[test]
fn an_agency_may_write_only_its_own_categories() {
    let registry = AgencyRegistry::default_registry().unwrap();
    let tax_service = registry.get("tax_service").unwrap();
    let batch = format!("{}\n{}", line_with("TAX-1", &[]), line_with("BC-1", &[]));
    let rejection = validate_batch(tax_service, batch.as_bytes(), received(), &BatchLimits::default()).unwrap_err();
    assert!(rejection.is_permission_problem());
    let errors = rejection.line_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].line, errors[0].path.as_str()), (2, "/category"));
    assert_eq!(errors[0].reason, "agency 'tax_service' may not write category 'border_crossings'");
}

#[test]
fn batch_limits_are_enforced() {
    let agency = all_categories_agency();
    let limits = BatchLimits { max_bytes: 10_000, max_lines: 3, max_line_bytes: 500 };
    assert_eq!(validate_batch(&agency, b"\n \n", received(), &limits).unwrap_err(), BatchRejection::Empty);
    let big = "x".repeat(10_001);
    assert!(matches!(
        validate_batch(&agency, big.as_bytes(), received(), &limits),
        Err(BatchRejection::TooLarge { bytes: 10_001, .. })
    ));
    let four = vec![line_with("CR-1", &[]); 4].join("\n");
    assert_eq!(
        validate_batch(&agency, four.as_bytes(), received(), &limits).unwrap_err(),
        BatchRejection::TooManyLines { limit: 3 }
    );
    let long = line_with("DOC-1", &[]);
    let rejection = validate_batch(&agency, long.as_bytes(), received(), &limits).unwrap_err();
    assert_eq!(rejection.line_errors()[0].code, LineErrorCode::LineTooLong);
}

// ---- against the stores -------------------------------------------------------------------------

async fn a_batch_is_appended_and_a_resend_is_a_duplicate(test: &TestStore) {
    let store = &*test.store;
    let agency = all_categories_agency();
    let report = ingest_batch(store, &agency, EVERY_CATEGORY.as_bytes(), &BatchLimits::default()).await.unwrap();
    assert_eq!(report.accepted.len(), 25);
    assert!(report.duplicates.is_empty());
    assert_eq!(report.head_seq, 25);
    assert_eq!(report.accepted[7].line, 8);

    let again = ingest_batch(store, &agency, EVERY_CATEGORY.as_bytes(), &BatchLimits::default()).await.unwrap();
    assert!(again.accepted.is_empty());
    assert_eq!(again.duplicates.len(), 25);
    assert_eq!(again.duplicates[3].seq, 4);
    assert_eq!(again.head_hash, report.head_hash);
    assert_eq!(store.chain_head().await.unwrap().seq, 25);
    // A batch mixing new and old records appends only the new ones.
    let mixed = format!("{}\n{}", line_with("CR-1", &[]), line_with("CR-1", &[("\"CR-1\"", "\"CR-2\"")]));
    let report = ingest_batch(store, &agency, mixed.as_bytes(), &BatchLimits::default()).await.unwrap();
    assert_eq!((report.accepted.len(), report.duplicates.len()), (1, 1));
    assert_eq!(report.accepted[0].seq, 26);
    assert!(verify_ledger(store).await.unwrap().is_intact());
}

async fn the_same_key_with_other_content_is_a_conflict_and_changes_nothing(test: &TestStore) {
    let store = &*test.store;
    let agency = all_categories_agency();
    ingest_batch(store, &agency, line_with("CR-1", &[]).as_bytes(), &BatchLimits::default()).await.unwrap();
    let head_before = store.chain_head().await.unwrap();
    let batch = format!("{}\n{}", line_with("TAX-1", &[]), line_with("CR-1", &[("unlawful presence", "other reason")]));
    let error = ingest_batch(store, &agency, batch.as_bytes(), &BatchLimits::default()).await.unwrap_err();
    let AppendError::Rejected(rejection) = error else { panic!("expected a rejection, got {error}") };
    assert!(rejection.is_conflict());
    assert_eq!(rejection.line_errors()[0].line, 2);
    assert!(rejection.line_errors()[0].reason.contains("already stored (ledger position 1)"));
    assert_eq!(store.chain_head().await.unwrap(), head_before, "the valid TAX-1 line was not stored either");
}

async fn a_new_version_supersedes_the_old_one(test: &TestStore) {
    let store = &*test.store;
    let agency = all_categories_agency();
    ingest_batch(store, &agency, line_with("CR-1", &[]).as_bytes(), &BatchLimits::default()).await.unwrap();
    let version_two = line_with(
        "CR-1",
        &[
            ("\"record_id\":\"CR-1\"", "\"record_id\":\"CR-1\",\"version\":2"),
            ("unlawful presence", "left the country"),
        ],
    );
    let lifting = line_with("BAN-1", &[]);
    let lifted = line_with(
        "BAN-1",
        &[
            (
                "\"record_id\":\"BAN-1\"",
                "\"record_id\":\"BAN-2\",\"supersedes\":[{\"record_id\":\"BAN-1\",\"version\":1}]",
            ),
            ("\"entry_ban\"", "\"lifting\""),
        ],
    );
    let report =
        ingest_batch(store, &agency, [version_two, lifting, lifted].join("\n").as_bytes(), &BatchLimits::default())
            .await
            .unwrap();
    assert_eq!(report.accepted.len(), 3);
    let first = store.record(report.accepted[0].record_id).await.unwrap().unwrap();
    assert_eq!(first.envelope.source_version, 2);
    let version_one =
        hospes_model::RecordId::derive(&agency.id, &hospes_model::SourceRecordId::parse("CR-1").unwrap(), 1);
    assert_eq!(first.envelope.supersedes, vec![version_one]);
    let lifting_record = store.record(report.accepted[2].record_id).await.unwrap().unwrap();
    assert_eq!(lifting_record.envelope.supersedes, vec![report.accepted[1].record_id]);
}

async fn a_reference_to_an_unknown_record_refuses_the_whole_batch(test: &TestStore) {
    let store = &*test.store;
    let agency = all_categories_agency();
    let batch = format!(
        "{}\n{}",
        line_with("TAX-1", &[]),
        line_with(
            "BAN-1",
            &[(
                "\"record_id\":\"BAN-1\"",
                "\"record_id\":\"BAN-9\",\"supersedes\":[{\"record_id\":\"BAN-1\",\"version\":3}]"
            )]
        )
    );
    let records = validate_batch(&agency, batch.as_bytes(), received(), &BatchLimits::default()).unwrap();
    let error = append_batch(store, records).await.unwrap_err();
    let AppendError::Rejected(rejection) = error else { panic!("expected a rejection") };
    let errors = rejection.line_errors();
    assert_eq!(
        (errors[0].line, errors[0].path.as_str(), errors[0].code),
        (2, "/supersedes/0", LineErrorCode::UnknownSupersededRecord)
    );
    assert_eq!(store.chain_head().await.unwrap().seq, 0, "nothing of the batch is stored");
}

test_both_backends!(
    a_batch_is_appended_and_a_resend_is_a_duplicate,
    the_same_key_with_other_content_is_a_conflict_and_changes_nothing,
    a_new_version_supersedes_the_old_one,
    a_reference_to_an_unknown_record_refuses_the_whole_batch,
);
