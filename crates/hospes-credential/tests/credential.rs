#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

//! Hospes credentials end to end: issue, render, scan, verify; one crafted input per refusal;
//! purpose binding; key rotation; the ES256 option.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use ciborium::Value as Cbor;
use hospes_credential::cose::{SignedCwt, claim};
use hospes_credential::encoding::{self, HOSPES_PREFIX};
use hospes_credential::{
    BirthDate, Credential, HolderClaims, Issuer, LatinName, Presentation, Purpose, Refusal, RentPermission,
    RevocationList, SigningKey, StatusColour, TrustLevel, TrustList, VerifiedCredential, Verifier, WorkPermission,
    decode_qr_png, render_png, render_svg,
};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

fn issued_at() -> DateTime<Utc> {
    at("2026-05-01T12:00:00Z")
}

fn holder() -> HolderClaims {
    HolderClaims {
        subject: "p-7f3a9c".to_owned(),
        name: LatinName::parse("IVANOVA<<ANNA<MARIA").unwrap(),
        birth_date: BirthDate::parse("1990-04-17").unwrap(),
        photo_reference: Some("ph-2b91".to_owned()),
        status: StatusColour::Green,
        permitted_stay_until: NaiveDate::from_ymd_opt(2026, 10, 1),
        registration_valid_until: NaiveDate::from_ymd_opt(2026, 9, 15),
        trust_level: TrustLevel::try_from(2).unwrap(),
        work: WorkPermission {
            may_work: true,
            region: Some("Moscow Oblast".to_owned()),
            valid_until: NaiveDate::from_ymd_opt(2026, 8, 31),
        },
        rent: RentPermission { may_rent: true, valid_until: NaiveDate::from_ymd_opt(2026, 9, 15) },
    }
}

/// An issuer with a fresh key, and a trust list with that key, open-ended.
fn issuer(signing_key: SigningKey) -> (Issuer, TrustList) {
    let issuer = Issuer::new(signing_key.clone(), signing_key.derived_key_id(), "HOSPES-MIA");
    let trust = TrustList::new(vec![issuer.trusted_key(None, None)]);
    (issuer, trust)
}

fn ed25519() -> (Issuer, TrustList) {
    issuer(SigningKey::generate_ed25519(&mut rand::rng()))
}

fn issue(issuer: &Issuer, purpose: Purpose) -> Credential {
    issuer.issue(&holder(), purpose, issued_at()).unwrap()
}

/// The credential's text with its COSE bytes changed by `change`.
fn recode(text: &str, change: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut cose = encoding::decode_text(text, HOSPES_PREFIX).unwrap();
    change(&mut cose);
    encoding::encode_text(HOSPES_PREFIX, &cose).unwrap()
}

/// The credential's text with its compressed bytes changed by `change`.
fn recompress(text: &str, change: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut compressed = encoding::decode_base45(encoding::strip_prefix(text, HOSPES_PREFIX).unwrap()).unwrap();
    change(&mut compressed);
    format!("{HOSPES_PREFIX}{}", base45::encode(compressed))
}

#[test]
fn every_purpose_round_trips_through_a_png_qr_code() {
    let (issuer, trust) = ed25519();
    for purpose in Purpose::ALL {
        let credential = issue(&issuer, purpose);
        assert!(credential.text.starts_with("HSP1:"), "{}", credential.text);
        let png = render_png(&credential.text).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        assert_eq!(decode_qr_png(&png).unwrap(), credential.text, "{purpose}");

        let verifier = Verifier::new(trust.clone(), None, Some(purpose));
        let verified = verifier.verify_png(&png, issued_at() + TimeDelta::hours(1)).unwrap();
        assert_eq!(verified.claims, holder().present(purpose));
        assert_eq!(verified.claims.purpose(), purpose);
        assert_eq!((verified.issuer.as_str(), verified.subject.as_str()), ("HOSPES-MIA", "p-7f3a9c"));
        assert_eq!((verified.issued_at, verified.expires_at), (credential.issued_at, credential.expires_at));
        assert_eq!(verified.expires_at - verified.issued_at, TimeDelta::hours(72));
        assert_eq!(verified.credential_id, credential.credential_id);
        assert_eq!(&verified.key_id, issuer.key_id());
        println!("{purpose}: {} characters", credential.text.len());
    }
}

#[test]
fn the_svg_is_a_qr_code_of_the_text() {
    let (issuer, _) = ed25519();
    let credential = issue(&issuer, Purpose::Work);
    let svg = render_svg(&credential.text).unwrap();
    assert!(svg.starts_with("<?xml") && svg.trim_end().ends_with("</svg>"), "{svg}");
    assert_eq!(decode_qr_png(&rasterise(&svg)).unwrap(), credential.text);
}

/// Draws the SVG that `render_svg` makes (a white rectangle and one path of dark rectangles,
/// `M{left} {top}h{width}v{height}H{left}V{top}`) into a PNG.
fn rasterise(svg: &str) -> Vec<u8> {
    let attribute = |name: &str| -> usize {
        let start = svg.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        svg[start..].split('"').next().unwrap().parse().unwrap()
    };
    let (width, height) = (attribute("width"), attribute("height"));
    let mut pixels = vec![255u8; width * height];
    let path = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
    for rectangle in path.split('M').filter(|part| !part.is_empty()) {
        let numbers: Vec<usize> = rectangle
            .split(|character: char| !character.is_ascii_digit())
            .filter(|number| !number.is_empty())
            .map(|number| number.parse().unwrap())
            .collect();
        let [left, top, rectangle_width, rectangle_height, ..] = numbers[..] else { panic!("{rectangle}") };
        for y in top..top + rectangle_height {
            pixels[y * width + left..y * width + left + rectangle_width].fill(0);
        }
    }
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, u32::try_from(width).unwrap(), u32::try_from(height).unwrap());
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    png
}

#[test]
fn verified_credentials_serialise_for_the_cli_and_api() {
    let (issuer, trust) = ed25519();
    let credential = issue(&issuer, Purpose::Rent);
    let verified: VerifiedCredential =
        Verifier::new(trust, None, Some(Purpose::Rent)).verify(&credential.text, issued_at()).unwrap();
    let json = serde_json::to_value(&verified).unwrap();
    assert_eq!(
        json["claims"],
        serde_json::json!({"purpose": "rent", "name": "IVANOVA<<ANNA<MARIA", "may_rent": true, "valid_until": "2026-09-15"})
    );
    assert_eq!(json["issued_at"], "2026-05-01T12:00:00Z");
    assert_eq!(json["key_id"], issuer.key_id().to_string());

    let refusal = Refusal::Expired { expired_at: issued_at() };
    assert_eq!(
        serde_json::to_value(&refusal).unwrap(),
        serde_json::json!({"code": "expired", "expired_at": "2026-05-01T12:00:00Z"})
    );
    assert_eq!(refusal.code(), "expired");
}

/// Each refusal reason, produced by a crafted input.
#[test]
fn every_refusal_reason_has_a_crafted_input() {
    let (issuer, trust) = ed25519();
    let (stranger, _) = ed25519();
    let police = issue(&issuer, Purpose::Police);
    let text = police.text.clone();
    let cose = encoding::decode_text(&text, HOSPES_PREFIX).unwrap();
    let now = issued_at() + TimeDelta::hours(1);
    let mut revocations = RevocationList::new(now);
    revocations.revoke_credential(&police.credential_id, now);

    let mut flipped_character = text.clone().into_bytes();
    flipped_character[20] = b'a'; // lower case is not base45
    let flipped_character = String::from_utf8(flipped_character).unwrap();

    let plain = Verifier::new(trust.clone(), None, Some(Purpose::Police));
    let cases: Vec<(&str, String, Verifier, DateTime<Utc>, &str)> = vec![
        ("valid", text.clone(), plain.clone(), now, "ok"),
        ("another prefix", text.replacen("HSP1:", "HC1:", 1), plain.clone(), now, "bad_prefix"),
        ("no prefix", text["HSP1:".len()..].to_owned(), plain.clone(), now, "bad_prefix"),
        ("a base45 character flipped", flipped_character, plain.clone(), now, "bad_base45"),
        ("a base45 group overflowing", format!("{HOSPES_PREFIX}:::{}", &text[5..]), plain.clone(), now, "bad_base45"),
        ("zlib corrupted", recompress(&text, |bytes| bytes[10] ^= 0x55), plain.clone(), now, "bad_zlib"),
        ("zlib truncated", recompress(&text, |bytes| bytes.truncate(bytes.len() - 4)), plain.clone(), now, "bad_zlib"),
        ("not compressed", format!("{HOSPES_PREFIX}{}", base45::encode(&cose)), plain.clone(), now, "bad_zlib"),
        (
            "garbage CBOR",
            encoding::encode_text(HOSPES_PREFIX, b"\xff\x00garbage").unwrap(),
            plain.clone(),
            now,
            "bad_cbor",
        ),
        (
            "a CBOR map, not COSE",
            encoding::encode_text(HOSPES_PREFIX, b"\xa1\x01\x02").unwrap(),
            plain.clone(),
            now,
            "bad_cbor",
        ),
        ("bytes after the COSE", recode(&text, |bytes| bytes.push(0)), plain.clone(), now, "bad_cbor"),
        ("unknown key id", issue(&stranger, Purpose::Police).text, plain.clone(), now, "unknown_key"),
        (
            "signature byte flipped",
            recode(&text, |bytes| *bytes.last_mut().unwrap() ^= 1),
            plain.clone(),
            now,
            "bad_signature",
        ),
        (
            "issuer changed",
            recode(&text, |bytes| replace(bytes, b"HOSPES-MIA", b"HOSPES-MIB")),
            plain.clone(),
            now,
            "bad_signature",
        ),
        ("at exp", text.clone(), plain.clone(), issued_at() + TimeDelta::hours(72), "expired"),
        (
            "a second before exp",
            text.clone(),
            plain.clone(),
            issued_at() + TimeDelta::hours(72) - TimeDelta::seconds(1),
            "ok",
        ),
        ("before iat", text.clone(), plain.clone(), issued_at() - TimeDelta::seconds(1), "not_yet_valid"),
        (
            "before iat, within leeway",
            text.clone(),
            plain.clone().with_leeway(TimeDelta::minutes(5)),
            issued_at() - TimeDelta::minutes(4),
            "ok",
        ),
        (
            "revoked by id",
            text.clone(),
            Verifier::new(trust.clone(), Some(revocations), Some(Purpose::Police)),
            now,
            "revoked",
        ),
        ("for work, at the police", issue(&issuer, Purpose::Work).text, plain.clone(), now, "wrong_purpose"),
        ("for rent, at the police", issue(&issuer, Purpose::Rent).text, plain.clone(), now, "wrong_purpose"),
        (
            "for police, at an employer",
            text.clone(),
            Verifier::new(trust.clone(), None, Some(Purpose::Work)),
            now,
            "wrong_purpose",
        ),
        ("any purpose", issue(&issuer, Purpose::Rent).text, Verifier::new(trust.clone(), None, None), now, "ok"),
    ];
    let mut failures = Vec::new();
    for (name, text, verifier, now, expected) in &cases {
        let outcome = verifier.verify(text, *now).map_or_else(|refusal| refusal.code(), |_| "ok");
        if outcome != *expected {
            failures.push(format!("{name}: expected {expected}, got {:?}", verifier.verify(text, *now)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let unreadable = plain.verify_png(b"not a picture", now).unwrap_err();
    assert_eq!(unreadable.code(), "unreadable_image");
    assert_eq!(
        plain.verify_png(&blank_png(), now),
        Err(Refusal::UnreadableImage { detail: "no QR code found in the image".to_owned() })
    );
}

/// Replaces the one occurrence of `from` with `to` (same length), keeping the CBOR well formed.
fn replace(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    let position = bytes.windows(from.len()).position(|window| window == from).unwrap();
    bytes[position..position + to.len()].copy_from_slice(to);
}

/// A white PNG with no QR code in it.
fn blank_png() -> Vec<u8> {
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, 200, 200);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&[255u8; 200 * 200]).unwrap();
    writer.finish().unwrap();
    png
}

#[test]
fn wrong_purpose_names_both_purposes_and_hides_the_claims() {
    let (issuer, trust) = ed25519();
    let work = issue(&issuer, Purpose::Work);
    assert_eq!(
        Verifier::new(trust, None, Some(Purpose::Rent)).verify(&work.text, issued_at()),
        Err(Refusal::WrongPurpose { expected: Purpose::Rent, found: Purpose::Work })
    );
}

/// A credential carries only its purpose's claims: a landlord who decodes the QR code by hand
/// finds no birth date, status or region in it.
#[test]
fn each_presentation_holds_only_its_purposes_claims() {
    let (issuer, _) = ed25519();
    let expected_keys = [
        (Purpose::Police, vec!["n", "b", "ph", "s", "su", "ru", "tl"]),
        (Purpose::Work, vec!["n", "w", "rg", "vu"]),
        (Purpose::Rent, vec!["n", "r", "vu"]),
    ];
    for (purpose, keys) in expected_keys {
        let signed = SignedCwt::from_text(&issue(&issuer, purpose).text, HOSPES_PREFIX).unwrap();
        let claims = signed.unverified_claims();
        assert_eq!(claim(claims, -65_537), Some(&Cbor::Text(purpose.as_str().to_owned())));
        let Some(Cbor::Map(entries)) = claim(claims, -65_538) else { panic!("no presentation claim") };
        let found: Vec<&str> = entries.iter().map(|(key, _)| key.as_text().unwrap()).collect();
        assert_eq!(found, keys, "{purpose}");
        let registered: Vec<bool> = vec![
            claims.issuer.is_some(),
            claims.subject.is_some(),
            claims.issued_at.is_some(),
            claims.expiration_time.is_some(),
            claims.cwt_id.is_some(),
        ];
        assert!(registered.iter().all(|present| *present), "iss, sub, iat, exp, cti");
        assert_eq!(claims.rest.len(), 2, "{purpose}: only the purpose and its claims");
    }
    let rent = issue(&issuer, Purpose::Rent).text;
    let cose = encoding::decode_text(&rent, HOSPES_PREFIX).unwrap();
    for secret in [&b"1990-04-17"[..], b"green", b"Moscow", b"ph-2b91"] {
        assert!(!cose.windows(secret.len()).any(|window| window == secret), "{}", String::from_utf8_lossy(secret));
    }
}

#[test]
fn absent_optional_claims_stay_absent() {
    let (issuer, trust) = ed25519();
    let mut claims = holder();
    claims.photo_reference = None;
    claims.permitted_stay_until = None;
    claims.work = WorkPermission { may_work: false, region: None, valid_until: None };
    for purpose in [Purpose::Police, Purpose::Work] {
        let credential = issuer.issue(&claims, purpose, issued_at()).unwrap();
        let verified = Verifier::new(trust.clone(), None, Some(purpose)).verify(&credential.text, issued_at()).unwrap();
        assert_eq!(verified.claims, claims.present(purpose));
    }
    let Presentation::Work(work) = claims.present(Purpose::Work) else { unreachable!() };
    assert!(!work.may_work);
}

#[test]
fn invalid_claims_are_not_issued() {
    let (issuer, _) = ed25519();
    let mut claims = holder();
    claims.subject = String::new();
    assert!(issuer.issue(&claims, Purpose::Police, issued_at()).is_err());
    let mut claims = holder();
    claims.work.region = Some("a\nb".to_owned());
    assert!(issuer.issue(&claims, Purpose::Work, issued_at()).is_err());
}

#[test]
fn a_subject_revocation_reaches_credentials_issued_before_it_only() {
    let (issuer, trust) = ed25519();
    let before = issue(&issuer, Purpose::Work);
    let after = issuer.issue(&holder(), Purpose::Work, issued_at() + TimeDelta::hours(2)).unwrap();
    let mut revocations = RevocationList::new(issued_at() + TimeDelta::hours(3));
    revocations.revoke_subject("p-7f3a9c", issued_at() + TimeDelta::hours(1));
    let verifier = Verifier::new(trust, Some(revocations), Some(Purpose::Work));
    let now = issued_at() + TimeDelta::hours(3);
    assert_eq!(
        verifier.verify(&before.text, now),
        Err(Refusal::Revoked { revoked_at: issued_at() + TimeDelta::hours(1) })
    );
    assert!(verifier.verify(&after.text, now).is_ok());
}

/// Key A signs until the switch-over; key B from then on. A verifier with a cached trust list
/// holding both keeps accepting A's credentials until they expire, and refuses anything A signs
/// after its signing period.
#[test]
fn keys_rotate_without_breaking_valid_credentials() {
    let switch_over = issued_at() + TimeDelta::hours(6);
    let key_a = SigningKey::generate_ed25519(&mut rand::rng());
    let key_b = SigningKey::generate_ed25519(&mut rand::rng());
    let issuer_a = Issuer::new(key_a.clone(), key_a.derived_key_id(), "HOSPES-MIA");
    let issuer_b = Issuer::new(key_b.clone(), key_b.derived_key_id(), "HOSPES-MIA");
    let published = TrustList::new(vec![
        issuer_a.trusted_key(Some(issued_at() - TimeDelta::days(90)), Some(switch_over)),
        issuer_b.trusted_key(Some(switch_over), None),
    ]);
    // The verifier works from its cached copy of the published JWKS.
    let cached = TrustList::from_jwks_json(&published.to_jwks_json()).unwrap();
    let verifier = Verifier::new(cached, None, Some(Purpose::Police));

    let old = issuer_a.issue(&holder(), Purpose::Police, switch_over - TimeDelta::hours(1)).unwrap();
    let new = issuer_b.issue(&holder(), Purpose::Police, switch_over + TimeDelta::hours(1)).unwrap();
    let late = issuer_a.issue(&holder(), Purpose::Police, switch_over + TimeDelta::seconds(1)).unwrap();
    let early = issuer_b.issue(&holder(), Purpose::Police, switch_over - TimeDelta::seconds(1)).unwrap();

    let two_days_later = switch_over + TimeDelta::days(2);
    assert_eq!(verifier.verify(&old.text, two_days_later).unwrap().key_id, key_a.derived_key_id());
    assert_eq!(verifier.verify(&new.text, two_days_later).unwrap().key_id, key_b.derived_key_id());
    assert_eq!(
        verifier.verify(&late.text, two_days_later),
        Err(Refusal::KeyNotValidAtIssuance { key_id: key_a.derived_key_id(), issued_at: late.issued_at })
    );
    assert_eq!(verifier.verify(&early.text, two_days_later).unwrap_err().code(), "key_not_valid_at_issuance");
    // A's last credential still expires on time.
    assert_eq!(verifier.verify(&old.text, old.expires_at).unwrap_err().code(), "expired");
}

#[test]
fn es256_is_an_option() {
    let signing_key = SigningKey::generate_p256(&mut rand::rng());
    let (issuer, trust) = issuer(signing_key.clone());
    let credential = issue(&issuer, Purpose::Police);
    let png = render_png(&credential.text).unwrap();
    let verifier = Verifier::new(trust.clone(), None, Some(Purpose::Police));
    let verified = verifier.verify_png(&png, issued_at()).unwrap();
    assert_eq!(verified.claims, holder().present(Purpose::Police));
    println!("ES256 police: {} characters", credential.text.len());

    // The trust list survives JWKS with an EC key.
    let cached = TrustList::from_jwks_json(&trust.to_jwks_json()).unwrap();
    assert!(Verifier::new(cached, None, None).verify(&credential.text, issued_at()).is_ok());

    // An Ed25519 key published under the ES256 key's id does not verify an ES256 signature: the
    // key decides the algorithm, not the header.
    let impostor = SigningKey::generate_ed25519(&mut rand::rng());
    let confused = TrustList::new(vec![hospes_credential::TrustedKey {
        key_id: signing_key.derived_key_id(),
        public_key: impostor.public_key(),
        not_before: None,
        not_after: None,
    }]);
    match Verifier::new(confused, None, None).verify(&credential.text, issued_at()) {
        Err(Refusal::BadSignature { detail }) => assert!(detail.contains("the key is EdDSA"), "{detail}"),
        other => panic!("{other:?}"),
    }
}

proptest::proptest! {
    /// Whatever is scanned, the verifier answers with a refusal, never a panic.
    #[test]
    fn any_text_is_refused_not_panicked_on(text in "(HSP1:)?[0-9A-Z $%*+./:-]{0,300}") {
        let (_, trust) = ed25519();
        proptest::prop_assert!(Verifier::new(trust, None, None).verify(&text, issued_at()).is_err());
    }

    /// The same for any bytes behind a correct prefix, base45 and zlib: they reach the CBOR and
    /// COSE parsers.
    #[test]
    fn any_cose_bytes_are_refused_not_panicked_on(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        let (_, trust) = ed25519();
        let text = encoding::encode_text(HOSPES_PREFIX, &bytes).unwrap();
        let refusal = Verifier::new(trust, None, None).verify(&text, issued_at()).unwrap_err();
        proptest::prop_assert!(matches!(refusal, Refusal::BadCbor { .. } | Refusal::UnknownKey { .. }), "{refusal:?}");
    }
}

/// A credential with any one byte of its COSE changed, at every position, is refused.
#[test]
fn a_change_to_any_byte_is_refused() {
    let (issuer, trust) = ed25519();
    let verifier = Verifier::new(trust, None, None);
    let credential = issue(&issuer, Purpose::Police);
    let length = encoding::decode_text(&credential.text, HOSPES_PREFIX).unwrap().len();
    for position in 0..length {
        for change in [0x01, 0x80, 0xff] {
            let tampered = recode(&credential.text, |bytes| bytes[position] ^= change);
            assert!(verifier.verify(&tampered, issued_at()).is_err(), "byte {position} ^ {change:#x}");
        }
    }
}
