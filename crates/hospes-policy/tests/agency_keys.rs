//! Agency API keys against both store backends.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use hospes_model::AgencyRegistry;
use hospes_policy::{AgencyAuthError, authenticate_agency, issue_agency_key};
use hospes_testkit::{TestStore, test_both_backends};

async fn an_issued_key_authenticates_its_agency_only(test: &TestStore) {
    let store = &*test.store;
    let registry = AgencyRegistry::default_registry().unwrap();
    let issued = issue_agency_key(store, &registry, "border_service", "gateway").await.unwrap();
    assert!(issued.plaintext.starts_with("hsk_"));
    let stored = store.agency_keys().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!issued.plaintext.contains(&stored[0].secret_sha256.to_hex()), "only a hash is stored");

    let agency = authenticate_agency(store, &registry, "border_service", Some(&issued.plaintext)).await.unwrap();
    assert_eq!(agency.id.as_str(), "border_service");

    let check = |result: Result<&hospes_model::Agency, AgencyAuthError>, expected: &str| {
        let error = result.unwrap_err().to_string();
        assert!(error.contains(expected), "'{error}' should contain '{expected}'");
    };
    check(authenticate_agency(store, &registry, "tax_service", Some(&issued.plaintext)).await, "another agency");
    check(authenticate_agency(store, &registry, "border_service", None).await, "no API key");
    check(authenticate_agency(store, &registry, "border_service", Some("hsk_nothex")).await, "malformed");
    let mut tampered = issued.plaintext.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    check(authenticate_agency(store, &registry, "border_service", Some(&tampered)).await, "not valid");
    check(authenticate_agency(store, &registry, "border_service", Some("hsk_000000000000_secret")).await, "not valid");

    store.revoke_agency_key(&issued.stored.key_id, "2030-01-01T00:00:00Z").await.unwrap();
    check(authenticate_agency(store, &registry, "border_service", Some(&issued.plaintext)).await, "revoked");
    check(
        issue_agency_key(store, &registry, "no_such_agency", "x").await.map(|_| unreachable_agency()),
        "not configured",
    );
}

fn unreachable_agency() -> &'static hospes_model::Agency {
    panic!("issuing a key for an unknown agency must fail")
}

test_both_backends!(an_issued_key_authenticates_its_agency_only);
