#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

//! Bearer-token authentication: valid tokens of each algorithm, and every way a token or a key set is
//! refused, each with its own error.
//!
//! The EdDSA tokens come from `TestIssuer` (signed with ed25519-dalek). The ES256 and RS256 tokens are
//! signed with `jsonwebtoken` by the fixed test keys in `tests/keys/` (`es256.pem`, PKCS#8, and
//! `rs256.pem`, PKCS#1, made with openssl), whose public halves are in `tests/keys/jwks.json` (computed
//! independently, with Python's `cryptography`). They are test keys and protect nothing.

use std::collections::BTreeSet;
use std::path::PathBuf;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hospes_model::PersonId;
use hospes_policy::test_issuer::TestIssuer;
use hospes_policy::{
    AuthenticationError, KeySetError, Principal, Role, SigningAlgorithm, TokenVerifier, TokenVerifierConfig,
    TrustedKeys, bearer_token,
};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

/// 2025-06-15T15:06:40Z: every test verifies at this time.
const NOW: u64 = 1_750_000_000;

const PERSON_ID: &str = "6f1c2b8e-3d4a-4f5b-9c7d-0e1f2a3b4c5d";

fn keys_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/keys")
}

/// The DER inside a PEM file.
fn pem_der(file: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(keys_dir().join(file)).unwrap();
    let body: String = text.lines().filter(|line| !line.starts_with("-----")).collect();
    STANDARD.decode(body).unwrap()
}

fn issuer() -> TestIssuer {
    TestIssuer::from_seed(1)
}

fn officer() -> Principal {
    Principal {
        subject: "officer-17".to_owned(),
        organisation: "border guard".to_owned(),
        roles: BTreeSet::from([Role::BorderOfficer]),
        region: Some("north".to_owned()),
        person_id: None,
    }
}

fn person() -> Principal {
    Principal {
        subject: "citizen-portal-account-9".to_owned(),
        organisation: String::new(),
        roles: BTreeSet::from([Role::Person]),
        region: None,
        person_id: Some(PersonId::parse(PERSON_ID).unwrap()),
    }
}

/// An officer's claims from `issuer`, issued a minute before `NOW` and valid for five more.
fn officer_claims(issuer: &TestIssuer) -> Value {
    issuer.claims_for(&officer(), NOW - 60, NOW + 300)
}

fn with(mut claims: Value, name: &str, value: Value) -> Value {
    claims.as_object_mut().unwrap().insert(name.to_owned(), value);
    claims
}

fn without(mut claims: Value, name: &str) -> Value {
    claims.as_object_mut().unwrap().remove(name);
    claims
}

/// Signs `claims` with the test issuer and verifies them at `NOW` with its verifier.
fn verify(claims: &Value) -> Result<Principal, AuthenticationError> {
    let issuer = issuer();
    issuer.verifier().verify_at(&issuer.sign(claims), NOW)
}

fn header(algorithm: Algorithm, kid: Option<&str>) -> Header {
    let mut header = Header::new(algorithm);
    header.kid = kid.map(str::to_owned);
    header
}

fn sign_es256(header: &Header, claims: &Value) -> String {
    jsonwebtoken::encode(header, claims, &EncodingKey::from_ec_der(&pem_der("es256.pem"))).unwrap()
}

fn sign_rs256(header: &Header, claims: &Value) -> String {
    jsonwebtoken::encode(header, claims, &EncodingKey::from_rsa_der(&pem_der("rs256.pem"))).unwrap()
}

/// A token assembled by hand, with whatever signature part.
fn assemble(header: &Value, claims: &Value, signature: &str) -> String {
    format!("{}.{}.{signature}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()))
}

/// A verifier that trusts the test issuer's EdDSA key and the ES256 and RS256 keys of `jwks.json`.
fn all_algorithms_verifier(issuer: &TestIssuer) -> TokenVerifier {
    let document = std::fs::read_to_string(keys_dir().join("jwks.json")).unwrap();
    let mut document: Value = serde_json::from_str(&document).unwrap();
    document["keys"].as_array_mut().unwrap().push(issuer.jwk());
    TokenVerifier::from_jwks_json(&document.to_string(), issuer.config()).unwrap()
}

fn config() -> TokenVerifierConfig {
    issuer().config()
}

fn load(keys: Value) -> Result<TrustedKeys, KeySetError> {
    TrustedKeys::from_jwks_json(&json!({ "keys": keys }).to_string())
}

fn ed25519_jwk(kid: &str) -> Value {
    TestIssuer::from_seed(3).with_kid(kid).jwk()
}

// ---------------------------------------------------------------------------------------------------
// Valid tokens

#[test]
fn an_eddsa_token_gives_the_principal_it_names() {
    assert_eq!(verify(&officer_claims(&issuer())), Ok(officer()));
}

#[test]
fn an_es256_token_verifies_with_a_key_from_a_jwks_file() {
    let verifier = TokenVerifier::from_jwks_file(keys_dir().join("jwks.json"), config()).unwrap();
    let token = sign_es256(&header(Algorithm::ES256, Some("es256-test")), &officer_claims(&issuer()));
    assert_eq!(verifier.verify_at(&token, NOW), Ok(officer()));
}

#[test]
fn an_rs256_token_verifies_with_a_key_from_a_jwks_file() {
    let verifier = TokenVerifier::from_jwks_file(keys_dir().join("jwks.json"), config()).unwrap();
    let token = sign_rs256(&header(Algorithm::RS256, Some("rs256-test")), &officer_claims(&issuer()));
    assert_eq!(verifier.verify_at(&token, NOW), Ok(officer()));
}

#[test]
fn one_key_set_holds_keys_of_all_three_algorithms() {
    let issuer = issuer();
    let verifier = all_algorithms_verifier(&issuer);
    assert_eq!(
        verifier.keys().describe(),
        vec![
            (Some("es256-test"), SigningAlgorithm::Es256),
            (Some("rs256-test"), SigningAlgorithm::Rs256),
            (Some(TestIssuer::KID), SigningAlgorithm::EdDsa),
        ]
    );
    let claims = officer_claims(&issuer);
    for token in [
        issuer.sign(&claims),
        sign_es256(&header(Algorithm::ES256, Some("es256-test")), &claims),
        sign_rs256(&header(Algorithm::RS256, Some("rs256-test")), &claims),
    ] {
        assert_eq!(verifier.verify_at(&token, NOW), Ok(officer()));
    }
}

#[test]
fn verify_uses_the_system_clock() {
    let issuer = issuer();
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
    let token = issuer.token_for(&officer(), now - 5, now + 300);
    assert_eq!(issuer.verifier().verify(&token), Ok(officer()));
    let expired = issuer.token_for(&officer(), now - 600, now - 300);
    assert_eq!(issuer.verifier().verify(&expired), Err(AuthenticationError::Expired { expired_at: now - 300 }));
}

#[test]
fn authenticate_reads_the_authorization_header() {
    let issuer = issuer();
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
    let token = issuer.token_for(&officer(), now - 5, now + 300);
    assert_eq!(issuer.verifier().authenticate(Some(&format!("Bearer {token}"))), Ok(officer()));
    assert_eq!(issuer.verifier().authenticate(None), Err(AuthenticationError::MissingAuthorization));
}

#[test]
fn a_token_without_kid_is_accepted_when_one_key_fits_its_algorithm() {
    let issuer = issuer();
    let verifier = all_algorithms_verifier(&issuer);
    let claims = officer_claims(&issuer);
    let eddsa = issuer.sign_with_header(&json!({ "alg": "EdDSA", "typ": "JWT" }), &claims);
    assert_eq!(verifier.verify_at(&eddsa, NOW), Ok(officer()));
    let es256 = sign_es256(&header(Algorithm::ES256, None), &claims);
    assert_eq!(verifier.verify_at(&es256, NOW), Ok(officer()));
}

#[test]
fn a_token_without_kid_is_refused_when_several_keys_fit_its_algorithm() {
    let first = TestIssuer::from_seed(1).with_kid("first");
    let second = TestIssuer::from_seed(2).with_kid("second");
    let jwks = json!({ "keys": [first.jwk(), second.jwk()] }).to_string();
    let verifier = TokenVerifier::from_jwks_json(&jwks, first.config()).unwrap();
    let token = first.sign_with_header(&json!({ "alg": "EdDSA" }), &officer_claims(&first));
    assert_eq!(verifier.verify_at(&token, NOW), Err(AuthenticationError::UnknownKey { kid: None }));
    // With its kid, the same token's twin verifies.
    assert_eq!(verifier.verify_at(&first.sign(&officer_claims(&first)), NOW), Ok(officer()));
}

#[test]
fn the_leeway_absorbs_clock_skew() {
    let issuer = issuer();
    let verifier =
        TokenVerifier::from_jwks_json(&issuer.jwks_json(), TokenVerifierConfig { leeway_seconds: 30, ..config() })
            .unwrap();
    let recently_expired = issuer.token_for(&officer(), NOW - 300, NOW - 10);
    assert_eq!(verifier.verify_at(&recently_expired, NOW), Ok(officer()));
    let not_quite_valid = issuer.sign(&with(officer_claims(&issuer), "nbf", json!(NOW + 20)));
    assert_eq!(verifier.verify_at(&not_quite_valid, NOW), Ok(officer()));
    let long_expired = issuer.token_for(&officer(), NOW - 300, NOW - 30);
    assert_eq!(verifier.verify_at(&long_expired, NOW), Err(AuthenticationError::Expired { expired_at: NOW - 30 }));
}

#[test]
fn an_audience_array_that_includes_hospes_is_accepted() {
    let claims = with(officer_claims(&issuer()), "aud", json!(["account", TestIssuer::AUDIENCE]));
    assert_eq!(verify(&claims), Ok(officer()));
}

#[test]
fn fractional_numeric_dates_are_accepted() {
    let claims = with(officer_claims(&issuer()), "exp", json!(NOW as f64 + 300.5));
    assert_eq!(verify(&claims), Ok(officer()));
}

// ---------------------------------------------------------------------------------------------------
// Signatures and keys

#[test]
fn a_tampered_payload_is_refused() {
    let issuer = issuer();
    let token = issuer.sign(&officer_claims(&issuer));
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["roles"] = json!(["border_officer", "police_officer"]);
    let tampered = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(claims.to_string()), parts[2]);
    assert_eq!(issuer.verifier().verify_at(&tampered, NOW), Err(AuthenticationError::BadSignature));
}

#[test]
fn a_signature_by_another_key_with_the_same_kid_is_refused() {
    let trusted = TestIssuer::from_seed(1);
    let impostor = TestIssuer::from_seed(2);
    assert_eq!(trusted.kid(), impostor.kid());
    let token = impostor.sign(&officer_claims(&impostor));
    assert_eq!(trusted.verifier().verify_at(&token, NOW), Err(AuthenticationError::BadSignature));
}

#[test]
fn a_signature_from_another_token_is_refused() {
    let issuer = issuer();
    let token = issuer.sign(&officer_claims(&issuer));
    let other = issuer.sign(&with(officer_claims(&issuer), "org", json!("police")));
    let (signing_input, _) = token.rsplit_once('.').unwrap();
    let (_, other_signature) = other.rsplit_once('.').unwrap();
    let spliced = format!("{signing_input}.{other_signature}");
    assert_eq!(issuer.verifier().verify_at(&spliced, NOW), Err(AuthenticationError::BadSignature));
    let unsigned = format!("{signing_input}.");
    assert_eq!(issuer.verifier().verify_at(&unsigned, NOW), Err(AuthenticationError::BadSignature));
}

#[test]
fn an_unknown_kid_is_refused() {
    let issuer = issuer();
    let token = issuer.clone().with_kid("rotated-away").sign(&officer_claims(&issuer));
    assert_eq!(
        issuer.verifier().verify_at(&token, NOW),
        Err(AuthenticationError::UnknownKey { kid: Some("rotated-away".to_owned()) })
    );
}

#[test]
fn alg_none_is_refused() {
    let token = assemble(&json!({ "alg": "none", "typ": "JWT" }), &officer_claims(&issuer()), "");
    assert_eq!(
        issuer().verifier().verify_at(&token, NOW),
        Err(AuthenticationError::UnsupportedAlgorithm { alg: "none".to_owned() })
    );
}

#[test]
fn a_symmetric_hs256_token_is_refused_even_keyed_with_the_public_key() {
    // The classic confusion: an HMAC keyed with the issuer's public key, which everyone knows.
    let issuer = issuer();
    let public_key = URL_SAFE_NO_PAD.decode(issuer.jwk()["x"].as_str().unwrap()).unwrap();
    let token = jsonwebtoken::encode(
        &header(Algorithm::HS256, Some(TestIssuer::KID)),
        &officer_claims(&issuer),
        &EncodingKey::from_secret(&public_key),
    )
    .unwrap();
    assert_eq!(
        issuer.verifier().verify_at(&token, NOW),
        Err(AuthenticationError::UnsupportedAlgorithm { alg: "HS256".to_owned() })
    );
}

#[test]
fn other_asymmetric_algorithms_are_refused() {
    let issuer = issuer();
    let claims = officer_claims(&issuer);
    let ps256 = jsonwebtoken::encode(
        &header(Algorithm::PS256, Some("rs256-test")),
        &claims,
        &EncodingKey::from_rsa_der(&pem_der("rs256.pem")),
    )
    .unwrap();
    let verifier = all_algorithms_verifier(&issuer);
    assert_eq!(
        verifier.verify_at(&ps256, NOW),
        Err(AuthenticationError::UnsupportedAlgorithm { alg: "PS256".to_owned() })
    );
}

#[test]
fn a_header_alg_other_than_the_keys_is_refused() {
    let issuer = issuer();
    let verifier = all_algorithms_verifier(&issuer);
    let claims = officer_claims(&issuer);
    // Signed with the ES256 key, but naming the EdDSA key.
    let es256_as_eddsa_key = sign_es256(&header(Algorithm::ES256, Some(TestIssuer::KID)), &claims);
    assert_eq!(
        verifier.verify_at(&es256_as_eddsa_key, NOW),
        Err(AuthenticationError::AlgorithmMismatch {
            kid: TestIssuer::KID.to_owned(),
            token_alg: "ES256",
            key_alg: "EdDSA",
        })
    );
    // Signed with the RSA key, but naming the EC key.
    let rs256_as_ec_key = sign_rs256(&header(Algorithm::RS256, Some("es256-test")), &claims);
    assert_eq!(
        verifier.verify_at(&rs256_as_ec_key, NOW),
        Err(AuthenticationError::AlgorithmMismatch {
            kid: "es256-test".to_owned(),
            token_alg: "RS256",
            key_alg: "ES256"
        })
    );
    // An EdDSA signature under a header that claims ES256 for the EdDSA key.
    let lying_header = issuer.sign_with_header(&json!({ "alg": "ES256", "kid": TestIssuer::KID }), &claims);
    assert!(matches!(verifier.verify_at(&lying_header, NOW), Err(AuthenticationError::AlgorithmMismatch { .. })));
}

// ---------------------------------------------------------------------------------------------------
// Registered claims

#[test]
fn an_expired_token_is_refused() {
    let issuer = issuer();
    let token = issuer.token_for(&officer(), NOW - 600, NOW - 1);
    assert_eq!(issuer.verifier().verify_at(&token, NOW), Err(AuthenticationError::Expired { expired_at: NOW - 1 }));
    // `exp` is the first second the token is no longer valid (RFC 7519 §4.1.4).
    let token = issuer.token_for(&officer(), NOW - 600, NOW);
    assert_eq!(issuer.verifier().verify_at(&token, NOW), Err(AuthenticationError::Expired { expired_at: NOW }));
}

#[test]
fn a_token_before_its_nbf_is_refused() {
    let claims = with(officer_claims(&issuer()), "nbf", json!(NOW + 60));
    assert_eq!(verify(&claims), Err(AuthenticationError::NotYetValid { not_before: NOW + 60 }));
}

#[test]
fn a_token_issued_in_the_future_is_refused() {
    let claims = with(officer_claims(&issuer()), "iat", json!(NOW + 60));
    assert!(matches!(verify(&claims), Err(AuthenticationError::InvalidClaim { claim: "iat", .. })));
}

#[test]
fn a_token_from_another_issuer_is_refused() {
    let issuer = issuer();
    let token = issuer.clone().with_issuer("https://evil.test/realms/hospes").sign(&with(
        officer_claims(&issuer),
        "iss",
        json!("https://evil.test/realms/hospes"),
    ));
    assert_eq!(
        issuer.verifier().verify_at(&token, NOW),
        Err(AuthenticationError::WrongIssuer { issuer: "https://evil.test/realms/hospes".to_owned() })
    );
}

#[test]
fn a_token_for_another_audience_is_refused() {
    assert_eq!(
        verify(&with(officer_claims(&issuer()), "aud", json!("payroll"))),
        Err(AuthenticationError::WrongAudience)
    );
    assert_eq!(
        verify(&with(officer_claims(&issuer()), "aud", json!(["payroll", "account"]))),
        Err(AuthenticationError::WrongAudience)
    );
    assert_eq!(verify(&with(officer_claims(&issuer()), "aud", json!([]))), Err(AuthenticationError::WrongAudience));
}

#[test]
fn each_required_claim_is_named_when_missing() {
    for claim in ["iss", "aud", "exp", "iat", "sub", "org", "roles"] {
        assert_eq!(
            verify(&without(officer_claims(&issuer()), claim)),
            Err(AuthenticationError::MissingClaim { claim }),
            "without {claim}"
        );
    }
    // null counts as absent
    assert_eq!(
        verify(&with(officer_claims(&issuer()), "org", Value::Null)),
        Err(AuthenticationError::MissingClaim { claim: "org" })
    );
}

#[test]
fn mistyped_claims_are_named() {
    for (claim, value) in [
        ("exp", json!("tomorrow")),
        ("exp", json!(-5)),
        ("nbf", json!(true)),
        ("iss", json!(42)),
        ("aud", json!({ "hospes": true })),
        ("sub", json!("")),
        ("org", json!(["border guard"])),
        ("region", json!(7)),
        ("roles", json!("border_officer")),
    ] {
        let result = verify(&with(officer_claims(&issuer()), claim, value.clone()));
        assert!(
            matches!(&result, Err(AuthenticationError::InvalidClaim { claim: named, .. }) if *named == claim),
            "{claim} = {value}: {result:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------
// Roles and the person

#[test]
fn a_person_token_with_person_id_gives_the_person() {
    let issuer = issuer();
    let token = issuer.token_for(&person(), NOW - 60, NOW + 300);
    let principal = issuer.verifier().verify_at(&token, NOW).unwrap();
    assert_eq!(principal.roles, BTreeSet::from([Role::Person]));
    assert_eq!(principal.person_id, Some(PersonId::parse(PERSON_ID).unwrap()));
    assert!(principal.is_self(PersonId::parse(PERSON_ID).unwrap()));
    // A person acts for no organisation: the issuer that vouched for them stands in.
    assert_eq!(principal.organisation, TestIssuer::ISSUER);
}

#[test]
fn a_person_token_without_person_id_is_refused() {
    let claims = without(issuer().claims_for(&person(), NOW - 60, NOW + 300), "person_id");
    assert_eq!(verify(&claims), Err(AuthenticationError::MissingClaim { claim: "person_id" }));
}

#[test]
fn a_person_id_that_is_not_a_uuid_is_refused() {
    let claims = with(issuer().claims_for(&person(), NOW - 60, NOW + 300), "person_id", json!("ivanov"));
    assert!(matches!(verify(&claims), Err(AuthenticationError::InvalidClaim { claim: "person_id", .. })));
}

#[test]
fn a_person_id_without_the_person_role_is_refused() {
    let claims = with(officer_claims(&issuer()), "person_id", json!(PERSON_ID));
    assert!(matches!(verify(&claims), Err(AuthenticationError::InvalidClaim { claim: "person_id", .. })));
}

#[test]
fn the_person_role_with_another_role_is_refused() {
    let claims =
        with(issuer().claims_for(&person(), NOW - 60, NOW + 300), "roles", json!(["person", "border_officer"]));
    assert!(matches!(verify(&claims), Err(AuthenticationError::InvalidClaim { claim: "roles", .. })));
}

#[test]
fn the_agency_feed_role_is_refused_in_a_bearer_token() {
    let claims = with(officer_claims(&issuer()), "roles", json!(["agency_feed"]));
    assert!(matches!(verify(&claims), Err(AuthenticationError::InvalidClaim { claim: "roles", .. })));
}

#[test]
fn a_token_without_any_hospes_role_is_refused() {
    let claims = with(officer_claims(&issuer()), "roles", json!(["offline_access", "admin"]));
    assert!(matches!(verify(&claims), Err(AuthenticationError::InvalidClaim { claim: "roles", .. })));
    let claims = with(officer_claims(&issuer()), "roles", json!([]));
    assert!(matches!(verify(&claims), Err(AuthenticationError::InvalidClaim { claim: "roles", .. })));
}

#[test]
fn several_officer_roles_are_kept() {
    let claims = with(officer_claims(&issuer()), "roles", json!(["police_officer", "migration_officer", "other"]));
    assert_eq!(verify(&claims).unwrap().roles, BTreeSet::from([Role::PoliceOfficer, Role::MigrationOfficer]));
}

/// An access token as Keycloak issues it, with realm roles and the usual extra claims.
fn keycloak_access_token(issuer: &TestIssuer) -> Value {
    json!({
        "exp": NOW + 300,
        "iat": NOW - 60,
        "auth_time": NOW - 65,
        "jti": "onrtac:6c1d1a8e-6a1c-4c8a-a0c5-2c1f3e7b9d10",
        "iss": issuer.issuer(),
        "aud": [TestIssuer::AUDIENCE, "account"],
        "sub": "f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "typ": "Bearer",
        "azp": "hospes-web",
        "sid": "0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e",
        "acr": "1",
        "realm_access": { "roles": ["offline_access", "default-roles-hospes", "uma_authorization", "border_officer"] },
        "resource_access": { "account": { "roles": ["manage-account", "view-profile"] } },
        "scope": "openid profile email",
        "email_verified": true,
        "preferred_username": "a.ivanova",
        "org": "border guard",
        "region": "north",
    })
}

#[test]
fn keycloak_realm_roles_are_read_and_its_own_roles_ignored() {
    let principal = verify(&keycloak_access_token(&issuer())).unwrap();
    assert_eq!(
        principal,
        Principal {
            subject: "f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d".to_owned(),
            organisation: "border guard".to_owned(),
            roles: BTreeSet::from([Role::BorderOfficer]),
            region: Some("north".to_owned()),
            person_id: None,
        }
    );
}

#[test]
fn keycloak_client_roles_for_our_audience_are_read() {
    let mut claims = keycloak_access_token(&issuer());
    claims["realm_access"] = json!({ "roles": ["offline_access"] });
    claims["resource_access"] = json!({ "hospes": { "roles": ["police_officer"] }, "account": { "roles": ["bank"] } });
    assert_eq!(verify(&claims).unwrap().roles, BTreeSet::from([Role::PoliceOfficer]));
}

#[test]
fn keycloak_realm_roles_without_a_hospes_role_are_refused() {
    let mut claims = keycloak_access_token(&issuer());
    claims["realm_access"] = json!({ "roles": ["offline_access", "uma_authorization"] });
    assert!(matches!(verify(&claims), Err(AuthenticationError::InvalidClaim { claim: "roles", .. })));
}

#[test]
fn a_keycloak_id_token_is_not_an_access_token() {
    let claims = with(keycloak_access_token(&issuer()), "typ", json!("ID"));
    assert!(matches!(verify(&claims), Err(AuthenticationError::InvalidClaim { claim: "typ", .. })));
}

// ---------------------------------------------------------------------------------------------------
// Malformed tokens and headers

#[test]
fn malformed_tokens_are_refused() {
    let issuer = issuer();
    let verifier = issuer.verifier();
    let valid = issuer.sign(&officer_claims(&issuer));
    let too_long = "a".repeat(TokenVerifier::MAX_TOKEN_BYTES + 1);
    let extra_part = format!("{valid}.extra");
    for token in [
        "",
        "not a token",
        "onlyone",
        "two.parts",
        "a.b.c.d",
        ".claims.signature",
        "eyJ+bad.eyJ.sig",
        "eyJhbGciOiJFZERTQSJ9.eyJ.sig=",
        too_long.as_str(),
        extra_part.as_str(),
    ] {
        let result = verifier.verify_at(token, NOW);
        assert!(matches!(result, Err(AuthenticationError::Malformed { .. })), "{token:.40}: {result:?}");
    }
}

#[test]
fn a_header_that_is_not_json_is_malformed() {
    let token = format!("{}.{}.c2ln", URL_SAFE_NO_PAD.encode("hello"), URL_SAFE_NO_PAD.encode("{}"));
    assert!(matches!(issuer().verifier().verify_at(&token, NOW), Err(AuthenticationError::Malformed { .. })));
    let no_alg = assemble(&json!({ "typ": "JWT" }), &json!({}), "c2ln");
    assert!(matches!(issuer().verifier().verify_at(&no_alg, NOW), Err(AuthenticationError::Malformed { .. })));
}

#[test]
fn signed_claims_that_are_not_an_object_are_malformed() {
    let issuer = issuer();
    let token = issuer.sign(&json!(["not", "an", "object"]));
    assert_eq!(
        issuer.verifier().verify_at(&token, NOW),
        Err(AuthenticationError::Malformed { reason: "the claims are not a JSON object" })
    );
}

#[test]
fn critical_header_extensions_are_refused() {
    let issuer = issuer();
    let header = json!({ "alg": "EdDSA", "kid": TestIssuer::KID, "crit": ["b64"], "b64": false });
    let token = issuer.sign_with_header(&header, &officer_claims(&issuer));
    assert!(matches!(issuer.verifier().verify_at(&token, NOW), Err(AuthenticationError::Malformed { .. })));
}

#[test]
fn a_header_typ_of_another_kind_of_jwt_is_refused() {
    let issuer = issuer();
    let claims = officer_claims(&issuer);
    for typ in ["JWT", "at+jwt", "application/at+JWT"] {
        let token = issuer.sign_with_header(&json!({ "alg": "EdDSA", "kid": TestIssuer::KID, "typ": typ }), &claims);
        assert_eq!(issuer.verifier().verify_at(&token, NOW), Ok(officer()), "typ {typ}");
    }
    let token =
        issuer.sign_with_header(&json!({ "alg": "EdDSA", "kid": TestIssuer::KID, "typ": "logout+jwt" }), &claims);
    assert!(matches!(
        issuer.verifier().verify_at(&token, NOW),
        Err(AuthenticationError::InvalidClaim { claim: "typ", .. })
    ));
}

#[test]
fn a_key_in_the_header_is_not_trusted() {
    // A token that carries its own key (`jwk`) still has to verify with the configured keys.
    let trusted = issuer();
    let attacker = TestIssuer::from_seed(99);
    let header =
        json!({ "alg": "EdDSA", "kid": TestIssuer::KID, "jwk": attacker.jwk(), "jku": "https://evil.test/jwks" });
    let token = attacker.sign_with_header(&header, &officer_claims(&trusted));
    assert_eq!(trusted.verifier().verify_at(&token, NOW), Err(AuthenticationError::BadSignature));
}

#[test]
fn the_bearer_scheme_is_read_in_any_case() {
    assert_eq!(bearer_token(Some("Bearer abc.def.ghi")), Ok("abc.def.ghi"));
    assert_eq!(bearer_token(Some("bearer abc.def.ghi")), Ok("abc.def.ghi"));
    assert_eq!(bearer_token(Some("  BEARER   abc.def.ghi  ")), Ok("abc.def.ghi"));
}

#[test]
fn other_authorization_values_are_refused() {
    assert_eq!(bearer_token(None), Err(AuthenticationError::MissingAuthorization));
    assert_eq!(bearer_token(Some("   ")), Err(AuthenticationError::MissingAuthorization));
    assert_eq!(
        bearer_token(Some("Basic dXNlcjpwYXNz")),
        Err(AuthenticationError::NotBearer { scheme: "Basic".to_owned() })
    );
    assert_eq!(
        bearer_token(Some("abc.def.ghi")),
        Err(AuthenticationError::NotBearer { scheme: "abc.def.ghi".to_owned() })
    );
    assert!(matches!(bearer_token(Some("Bearer")), Err(AuthenticationError::Malformed { .. })));
    assert!(matches!(bearer_token(Some("Bearer    ")), Err(AuthenticationError::Malformed { .. })));
}

#[test]
fn error_messages_say_what_is_wrong_without_echoing_control_characters() {
    assert_eq!(
        AuthenticationError::Expired { expired_at: NOW }.to_string(),
        "the token expired at 2025-06-15T15:06:40Z (Unix time 1750000000)"
    );
    let issuer = issuer();
    let token = issuer.clone().with_kid("evil\nkid").sign(&officer_claims(&issuer));
    let error = issuer.verifier().verify_at(&token, NOW).unwrap_err();
    assert_eq!(error, AuthenticationError::UnknownKey { kid: Some("evil?kid".to_owned()) });
    assert_eq!(error.to_string(), "no trusted key has the token's key id (kid) 'evil?kid'");
}

// ---------------------------------------------------------------------------------------------------
// Key sets and configuration

#[test]
fn a_key_set_that_is_not_json_is_refused() {
    assert!(matches!(TrustedKeys::from_jwks_json("{\"keys\": ["), Err(KeySetError::NotJson { .. })));
    assert!(matches!(TrustedKeys::from_jwks_json("[]"), Err(KeySetError::NotAKeySet)));
    assert!(matches!(TrustedKeys::from_jwks_json("{\"key\": []}"), Err(KeySetError::NotAKeySet)));
}

#[test]
fn an_empty_key_set_is_refused() {
    assert!(matches!(load(json!([])), Err(KeySetError::NoKeys)));
}

#[test]
fn a_symmetric_key_is_refused() {
    let error = load(json!([ed25519_jwk("a"), { "kty": "oct", "kid": "hmac", "k": "c2VjcmV0" }])).unwrap_err();
    assert!(
        matches!(&error, KeySetError::UnsupportedKeyType { index: 1, kid: Some(kid), kty } if kid == "hmac" && kty == "oct"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "keys[1] (kid 'hmac'): key type 'oct' is not supported: expected OKP (Ed25519), EC (P-256) or RSA"
    );
}

#[test]
fn duplicate_kids_are_refused() {
    let error = load(json!([ed25519_jwk("same"), ed25519_jwk("other"), ed25519_jwk("same")])).unwrap_err();
    assert!(matches!(&error, KeySetError::DuplicateKid { kid, first: 0, second: 2 } if kid == "same"), "{error:?}");
}

#[test]
fn malformed_keys_are_refused_by_position_and_kid() {
    let short_x = json!({ "kty": "OKP", "crv": "Ed25519", "kid": "short", "x": URL_SAFE_NO_PAD.encode([7u8; 31]) });
    let x448 = json!({ "kty": "OKP", "crv": "Ed448", "kid": "x448", "x": URL_SAFE_NO_PAD.encode([7u8; 57]) });
    let mut private = ed25519_jwk("private");
    private["d"] = json!(URL_SAFE_NO_PAD.encode([1u8; 32]));
    let p384 = json!({ "kty": "EC", "crv": "P-384", "kid": "p384", "x": "AA", "y": "AA" });
    let off_curve = json!({
        "kty": "EC", "crv": "P-256", "kid": "off-curve",
        "x": URL_SAFE_NO_PAD.encode([1u8; 32]), "y": URL_SAFE_NO_PAD.encode([1u8; 32]),
    });
    let small_rsa = json!({ "kty": "RSA", "kid": "small", "n": URL_SAFE_NO_PAD.encode([0xC5u8; 128]), "e": "AQAB" });
    let even_exponent = json!({ "kty": "RSA", "kid": "even", "n": URL_SAFE_NO_PAD.encode([0xC5u8; 256]), "e": "AQAA" });
    let mut wrong_alg = ed25519_jwk("wrong-alg");
    wrong_alg["alg"] = json!("RS256");
    let padded = json!({ "kty": "OKP", "crv": "Ed25519", "kid": "padded", "x": STANDARD.encode([7u8; 32]) });
    let no_kty = json!({ "kid": "no-kty", "x": "AA" });
    for (key, expected_problem) in [
        (short_x, "x has 31 bytes: expected 32"),
        (x448, "curve 'Ed448' is not supported: expected Ed25519"),
        (private, "holds private key material ('d')"),
        (p384, "curve 'P-384' is not supported: expected P-256"),
        (off_curve, "is not a valid ES256 public key"),
        (small_rsa, "the RSA modulus has 1024 bits: expected 2048 to 4096"),
        (even_exponent, "the RSA public exponent e must be odd"),
        (wrong_alg, "alg RS256 does not fit key type OKP"),
        (padded, "x is not base64url"),
        (no_kty, "has no kty"),
    ] {
        let kid = key["kid"].as_str().unwrap().to_owned();
        let error = load(json!([ed25519_jwk("good"), key])).unwrap_err();
        match &error {
            KeySetError::InvalidKey { index: 1, kid: Some(named), problem } if *named == kid => {
                assert!(problem.starts_with(expected_problem), "{kid}: {problem}");
            }
            other => panic!("{kid}: {other:?}"),
        }
        assert!(error.to_string().starts_with(&format!("keys[1] (kid '{kid}'): ")), "{error}");
    }
}

#[test]
fn an_unsupported_key_algorithm_is_refused() {
    let document = std::fs::read_to_string(keys_dir().join("jwks.json")).unwrap();
    let mut document: Value = serde_json::from_str(&document).unwrap();
    document["keys"][1]["alg"] = json!("PS256");
    let error = TrustedKeys::from_jwks_json(&document.to_string()).unwrap_err();
    assert!(
        matches!(&error, KeySetError::UnsupportedKeyAlgorithm { index: 1, alg, .. } if alg == "PS256"),
        "{error:?}"
    );
}

#[test]
fn encryption_keys_are_skipped_as_keycloak_publishes_them() {
    let document = std::fs::read_to_string(keys_dir().join("jwks.json")).unwrap();
    let document: Value = serde_json::from_str(&document).unwrap();
    let mut signing = document["keys"][1].clone();
    signing["x5c"] = json!(["MIICnTCCAYUCBgGQ"]);
    signing["x5t"] = json!("fJ0wMXg4");
    let mut encryption = document["keys"][1].clone();
    encryption["kid"] = json!("enc-key");
    encryption["use"] = json!("enc");
    encryption["alg"] = json!("RSA-OAEP");
    let keys = load(json!([signing, encryption.clone()])).unwrap();
    assert_eq!(keys.describe(), vec![(Some("rs256-test"), SigningAlgorithm::Rs256)]);

    assert!(matches!(load(json!([encryption])), Err(KeySetError::NoSignatureKeys { skipped: 1 })));
}

#[test]
fn key_set_file_errors_name_the_file() {
    let missing = keys_dir().join("no-such-file.json");
    let error = TokenVerifier::from_jwks_file(&missing, config()).unwrap_err();
    assert!(matches!(&error, KeySetError::Read { path, .. } if *path == missing), "{error:?}");

    let not_a_key_set = keys_dir().join("es256.pem");
    let error = TokenVerifier::from_jwks_file(&not_a_key_set, config()).unwrap_err();
    match &error {
        KeySetError::InFile { path, error } => {
            assert_eq!(*path, not_a_key_set);
            assert!(matches!(**error, KeySetError::NotJson { .. }), "{error:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("es256.pem: the key set is not JSON"), "{error}");
}

#[test]
fn unusable_configurations_are_refused() {
    let jwks = issuer().jwks_json();
    for config in [
        TokenVerifierConfig { issuers: vec![], ..config() },
        TokenVerifierConfig { issuers: vec![" ".to_owned()], ..config() },
        TokenVerifierConfig { audience: String::new(), ..config() },
        TokenVerifierConfig { leeway_seconds: TokenVerifier::MAX_LEEWAY_SECONDS + 1, ..config() },
    ] {
        let result = TokenVerifier::from_jwks_json(&jwks, config.clone());
        assert!(matches!(result, Err(KeySetError::InvalidConfig { .. })), "{config:?}");
    }
}

#[test]
fn the_test_issuer_is_deterministic_from_its_seed() {
    assert_eq!(TestIssuer::from_seed(5).jwks_json(), TestIssuer::from_seed(5).jwks_json());
    assert_ne!(TestIssuer::from_seed(5).jwk()["x"], TestIssuer::from_seed(6).jwk()["x"]);
    let claims = officer_claims(&issuer());
    assert_eq!(TestIssuer::from_seed(5).sign(&claims), TestIssuer::from_seed(5).sign(&claims));
    // A verifier loaded from the published key set accepts what the issuer's own verifier accepts.
    let issuer = TestIssuer::generate();
    let loaded = TokenVerifier::from_jwks_json(&issuer.jwks_json(), issuer.config()).unwrap();
    assert_eq!(loaded.verify_at(&issuer.sign(&officer_claims(&issuer)), NOW), Ok(officer()));
}
