#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

//! Sealing and opening payloads, and the stored form of a sealed payload.

use hospes_vault::{DataKey, Encoded, SealedPayload, VaultError, open, seal};
use proptest::prelude::*;

const RECORD_ID: &[u8] = b"2f1c7a1e-5b7d-5d0e-9a39-4f0d3a1b2c3d";
const OTHER_RECORD_ID: &[u8] = b"2f1c7a1e-5b7d-5d0e-9a39-4f0d3a1b2c3e";

#[test]
fn a_sealed_payload_opens_with_its_key_and_record_id() {
    let key = DataKey::generate().unwrap();
    let plaintext = br#"{"finding":"none","examined_on":"2024-03-01"}"#;
    let sealed = seal(&key, plaintext, RECORD_ID).unwrap();
    assert_ne!(sealed.ciphertext(), plaintext.as_slice());
    assert_eq!(sealed.ciphertext().len(), plaintext.len() + 16);
    assert_eq!(open(&key, &sealed, RECORD_ID).unwrap(), plaintext);
}

#[test]
fn an_empty_payload_round_trips() {
    let key = DataKey::generate().unwrap();
    let sealed = seal(&key, b"", RECORD_ID).unwrap();
    let stored = SealedPayload::from_bytes(&sealed.to_bytes()).unwrap();
    assert_eq!(open(&key, &stored, RECORD_ID).unwrap(), b"");
}

#[test]
fn sealing_twice_uses_fresh_nonces() {
    let key = DataKey::generate().unwrap();
    let first = seal(&key, b"same", RECORD_ID).unwrap();
    let second = seal(&key, b"same", RECORD_ID).unwrap();
    assert_ne!(first.nonce(), second.nonce());
    assert_ne!(first.ciphertext(), second.ciphertext());
}

#[test]
fn another_data_key_does_not_open_it() {
    let sealed = seal(&DataKey::generate().unwrap(), b"secret", RECORD_ID).unwrap();
    let error = open(&DataKey::generate().unwrap(), &sealed, RECORD_ID).unwrap_err();
    assert!(matches!(error, VaultError::Decryption), "{error:?}");
}

#[test]
fn another_record_id_does_not_open_it() {
    let key = DataKey::generate().unwrap();
    let sealed = seal(&key, b"secret", RECORD_ID).unwrap();
    assert!(matches!(open(&key, &sealed, OTHER_RECORD_ID), Err(VaultError::Decryption)));
    assert!(matches!(open(&key, &sealed, b""), Err(VaultError::Decryption)));
}

#[test]
fn any_flipped_bit_is_detected() {
    let key = DataKey::generate().unwrap();
    let bytes = seal(&key, b"fingerprint template", RECORD_ID).unwrap().to_bytes();
    // Every bit after the two header bytes: nonce, ciphertext and tag.
    for index in 2..bytes.len() {
        for bit in 0..8 {
            let mut altered = bytes.clone();
            altered[index] ^= 1 << bit;
            let sealed = SealedPayload::from_bytes(&altered).unwrap();
            assert!(matches!(open(&key, &sealed, RECORD_ID), Err(VaultError::Decryption)), "byte {index} bit {bit}");
        }
    }
}

#[test]
fn the_decryption_error_says_nothing_of_the_cause() {
    assert_eq!(
        VaultError::Decryption.to_string(),
        "decryption failed: wrong key, wrong associated data, or altered ciphertext"
    );
}

#[test]
fn the_stored_form_is_tagged_versioned_and_round_trips() {
    let key = DataKey::generate().unwrap();
    let sealed = seal(&key, b"face image", RECORD_ID).unwrap();
    let bytes = sealed.to_bytes();
    assert_eq!(bytes[0], b'S');
    assert_eq!(bytes[1], 1);
    assert_eq!(bytes.len(), b"face image".len() + SealedPayload::OVERHEAD);
    assert_eq!(&bytes[2..26], sealed.nonce());
    let decoded = SealedPayload::from_bytes(&bytes).unwrap();
    assert_eq!(decoded, sealed);
    assert_eq!(open(&key, &decoded, RECORD_ID).unwrap(), b"face image");
}

#[test]
fn malformed_stored_forms_are_refused_precisely() {
    let bytes = seal(&DataKey::generate().unwrap(), b"x", RECORD_ID).unwrap().to_bytes();

    let error = SealedPayload::from_bytes(&[]).unwrap_err();
    assert!(matches!(error, VaultError::Truncated { what: Encoded::SealedPayload, needed: 1, found: 0 }), "{error:?}");

    let error = SealedPayload::from_bytes(&bytes[..20]).unwrap_err();
    assert!(matches!(error, VaultError::Truncated { needed: 26, found: 20, .. }), "{error:?}");
    assert_eq!(error.to_string(), "sealed payload is truncated: it needs at least 26 bytes, and has 20");

    // A nonce but no full tag.
    let error = SealedPayload::from_bytes(&bytes[..26 + 15]).unwrap_err();
    assert!(matches!(error, VaultError::Truncated { needed: 42, found: 41, .. }), "{error:?}");

    let mut wrong_version = bytes.clone();
    wrong_version[1] = 2;
    let error = SealedPayload::from_bytes(&wrong_version).unwrap_err();
    assert!(matches!(error, VaultError::UnsupportedVersion { found: 2, supported: 1, .. }), "{error:?}");
    assert_eq!(error.to_string(), "sealed payload has format version 2; this build reads version 1");

    let mut wrong_kind = bytes.clone();
    wrong_kind[0] = b'K';
    let error = SealedPayload::from_bytes(&wrong_kind).unwrap_err();
    assert!(matches!(error, VaultError::WrongKind { expected: b'S', found: b'K', .. }), "{error:?}");
    assert_eq!(error.to_string(), "bytes are not a sealed payload: they start with 0x4b, expected 0x53");
}

#[test]
fn debug_output_shows_no_key_and_no_ciphertext() {
    let key = DataKey::from_bytes([0xAB; 32]);
    let debug = format!("{key:?}");
    assert_eq!(debug, "DataKey(<redacted>)");
    assert!(!debug.to_lowercase().contains("abab"));

    let sealed = seal(&key, &[7; 1000], RECORD_ID).unwrap();
    let debug = format!("{sealed:?}");
    assert!(debug.contains("ciphertext_len: 1016"), "{debug}");
}

proptest! {
    #[test]
    fn any_payload_round_trips_through_the_stored_form(
        key in any::<[u8; 32]>(),
        plaintext in proptest::collection::vec(any::<u8>(), 0..2048),
        associated_data in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let key = DataKey::from_bytes(key);
        let stored = seal(&key, &plaintext, &associated_data).unwrap().to_bytes();
        prop_assert_eq!(stored.len(), plaintext.len() + SealedPayload::OVERHEAD);
        let sealed = SealedPayload::from_bytes(&stored).unwrap();
        prop_assert_eq!(open(&key, &sealed, &associated_data).unwrap(), plaintext);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
        let key = DataKey::from_bytes([1; 32]);
        if let Ok(sealed) = SealedPayload::from_bytes(&bytes) {
            prop_assert!(open(&key, &sealed, RECORD_ID).is_err());
        }
    }
}
