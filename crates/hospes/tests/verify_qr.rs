//! `hospes verify-qr`, run as a verifier runs it: a credential issued here, its QR image, its text,
//! and a tampered copy.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::process::{Command, Output};

use chrono::{NaiveDate, TimeZone, Utc};
use hospes_credential::{
    BirthDate, HolderClaims, Issuer, LatinName, Purpose, RentPermission, RevocationList, SigningKey, StatusColour,
    TrustLevel, TrustList, WorkPermission, render_png,
};

const HOSPES: &str = env!("CARGO_BIN_EXE_hospes");

fn hospes(arguments: &[&str]) -> Output {
    Command::new(HOSPES).args(arguments).output().unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!("{error}: {}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
    })
}

fn claims() -> HolderClaims {
    HolderClaims {
        subject: "p-test-subject".into(),
        name: LatinName::parse("IVANOVA<<ANNA").unwrap(),
        birth_date: BirthDate::parse("1990-02-28").unwrap(),
        photo_reference: None,
        status: StatusColour::Green,
        permitted_stay_until: NaiveDate::from_ymd_opt(2026, 9, 1),
        registration_valid_until: None,
        trust_level: TrustLevel::try_from(2).unwrap(),
        work: WorkPermission {
            may_work: true,
            region: Some("77".into()),
            valid_until: NaiveDate::from_ymd_opt(2027, 1, 1),
        },
        rent: RentPermission { may_rent: true, valid_until: None },
    }
}

#[test]
fn verifies_text_and_png_and_refuses_tampered_wrong_purpose_and_revoked() {
    let directory = tempfile::tempdir().unwrap();
    let key = SigningKey::generate_ed25519(&mut rand::rng());
    let issuer = Issuer::new(key.clone(), key.derived_key_id(), "hospes-test");
    let issued_at = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap();
    let credential = issuer.issue(&claims(), Purpose::Work, issued_at).unwrap();
    let trust = directory.path().join("trust.json");
    std::fs::write(&trust, TrustList::new(vec![issuer.trusted_key(None, None)]).to_jwks_json()).unwrap();
    let trust = trust.to_str().unwrap();
    let png = directory.path().join("credential.png");
    std::fs::write(&png, render_png(&credential.text).unwrap()).unwrap();
    let at = "2026-05-02T00:00:00Z";

    // The text and the image both verify, and say what the employer may know.
    for input in [credential.text.as_str(), png.to_str().unwrap()] {
        let output = hospes(&["verify-qr", input, "--trust-list", trust, "--purpose", "work", "--at", at]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let verified = json(&output);
        assert_eq!(verified["claims"]["purpose"], "work");
        assert_eq!(verified["claims"]["may_work"], true);
        assert_eq!(verified["claims"]["name"], "IVANOVA<<ANNA");
        assert_eq!(verified["subject"], "p-test-subject");
        assert!(verified["claims"].get("birth_date").is_none(), "an employer does not learn the birth date");
    }

    // One character changed in the signed text: refused, exit 1, with a code.
    let mut tampered = credential.text.clone().into_bytes();
    let middle = tampered.len() / 2;
    tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let output = hospes(&["verify-qr", &tampered, "--trust-list", trust, "--at", at]);
    assert_eq!(output.status.code(), Some(1));
    let refusal = json(&output);
    assert!(
        ["bad_base45", "bad_zlib", "bad_cbor", "bad_signature"].contains(&refusal["refused"].as_str().unwrap()),
        "{refusal}"
    );
    assert!(!refusal["reason"].as_str().unwrap().is_empty());

    // A landlord's verifier refuses the employer's credential.
    let output = hospes(&["verify-qr", &credential.text, "--trust-list", trust, "--purpose", "rent", "--at", at]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json(&output)["refused"], "wrong_purpose");

    // Expired after 72 hours.
    let output = hospes(&["verify-qr", &credential.text, "--trust-list", trust, "--at", "2026-05-09T00:00:00Z"]);
    assert_eq!(json(&output)["refused"], "expired");

    // Revoked by a revocation list.
    let mut revocations = RevocationList::new(issued_at);
    revocations.revoke_credential(&credential.credential_id, issued_at);
    let list = directory.path().join("revocations.json");
    std::fs::write(&list, serde_json::to_string(&revocations).unwrap()).unwrap();
    let output = hospes(&[
        "verify-qr",
        &credential.text,
        "--trust-list",
        trust,
        "--revocations",
        list.to_str().unwrap(),
        "--at",
        at,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json(&output)["refused"], "revoked");

    // A key the trust list does not hold.
    let other = directory.path().join("other.json");
    let stranger = SigningKey::generate_ed25519(&mut rand::rng());
    let stranger = Issuer::new(stranger.clone(), stranger.derived_key_id(), "elsewhere");
    std::fs::write(&other, TrustList::new(vec![stranger.trusted_key(None, None)]).to_jwks_json()).unwrap();
    let output = hospes(&["verify-qr", &credential.text, "--trust-list", other.to_str().unwrap(), "--at", at]);
    assert_eq!(json(&output)["refused"], "unknown_key");

    // An unknown purpose is a usage error, not a refusal.
    let output = hospes(&["verify-qr", &credential.text, "--trust-list", trust, "--purpose", "bank"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown purpose"));
}
