#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Signed tree heads: the signing layout, signing and verification, JSON, and key files.

use hospes_transparency::{
    Hash, KeyFormatError, KeyId, SignedTreeHead, SigningKey, TreeHead, TreeHeadSignature, TreeHeadSignatureError,
    decode_signing_key, decode_verifying_key, encode_signing_key, encode_verifying_key, generate_signing_key,
    generate_signing_key_with,
};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// RFC 8032 §7.1, TEST 1: a published Ed25519 private key (seed) and its public key.
const RFC_8032_TEST_1_SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const RFC_8032_TEST_1_PUBLIC_KEY: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
/// RFC 8032 §7.1, TEST 1: that key's signature of the empty message.
const RFC_8032_TEST_1_EMPTY_MESSAGE_SIGNATURE: &str = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

fn test_key() -> SigningKey {
    decode_signing_key(RFC_8032_TEST_1_SEED).unwrap()
}

fn tree_head() -> TreeHead {
    TreeHead {
        size: 8,
        // The RFC 6962 root of the eight standard test leaves.
        root_hash: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328".parse().unwrap(),
        timestamp: 1_700_000_000_000,
    }
}

#[test]
fn key_files_read_the_rfc_8032_test_key() {
    use ed25519_dalek::Signer;
    let key = test_key();
    assert_eq!(encode_verifying_key(&key.verifying_key()), format!("{RFC_8032_TEST_1_PUBLIC_KEY}\n"));
    assert_eq!(hex::encode(key.sign(b"").to_bytes()), RFC_8032_TEST_1_EMPTY_MESSAGE_SIGNATURE);
    assert_eq!(encode_signing_key(&key), format!("{RFC_8032_TEST_1_SEED}\n"));
    // Whitespace around the hexadecimal is ignored.
    let padded = format!("  {}\n\n", RFC_8032_TEST_1_PUBLIC_KEY.to_uppercase());
    assert_eq!(decode_verifying_key(&padded).unwrap(), key.verifying_key());
}

#[test]
fn key_files_refuse_malformed_keys() {
    assert!(matches!(decode_signing_key("not hex"), Err(KeyFormatError::NotHexadecimal { .. })));
    assert_eq!(decode_signing_key("abcd").map(|_| ()), Err(KeyFormatError::WrongLength { actual_length: 2 }));
    assert_eq!(
        decode_verifying_key(&"00".repeat(33)).map(|_| ()),
        Err(KeyFormatError::WrongLength { actual_length: 33 })
    );
    // y = 2 is not the y-coordinate of any point on Ed25519 (x² would have no square root).
    let not_a_point = format!("02{}", "00".repeat(31));
    assert_eq!(decode_verifying_key(&not_a_point).map(|_| ()), Err(KeyFormatError::NotAPublicKey));
}

#[test]
fn generated_keys_round_trip_through_their_files() {
    let key = generate_signing_key();
    let restored = decode_signing_key(&encode_signing_key(&key)).unwrap();
    assert_eq!(restored.to_bytes(), key.to_bytes());
    let public = decode_verifying_key(&encode_verifying_key(&key.verifying_key())).unwrap();
    assert_eq!(public, key.verifying_key());
    assert_ne!(generate_signing_key().to_bytes(), key.to_bytes());

    let seeded = generate_signing_key_with(&mut StdRng::seed_from_u64(42));
    let seeded_again = generate_signing_key_with(&mut StdRng::seed_from_u64(42));
    assert_eq!(seeded.to_bytes(), seeded_again.to_bytes());
}

#[test]
fn key_id_is_the_first_eight_bytes_of_the_public_key_hash() {
    use sha2::{Digest, Sha256};
    let key = test_key().verifying_key();
    let digest = Sha256::digest(key.as_bytes());
    assert_eq!(KeyId::of(&key).to_string(), hex::encode(&digest[..8]));
    assert_eq!(KeyId::of(&key).to_string().len(), 16);
}

#[test]
fn signing_input_has_the_documented_layout() {
    let input = tree_head().signing_input();
    let expected = [
        "01",                                                               // layout version
        "0000018bcfe56800",                                                 // timestamp 1_700_000_000_000
        "0000000000000008",                                                 // size 8
        "20",                                                               // root hash length
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328", // root hash
        "0000",                                                             // no extensions
    ]
    .concat();
    assert_eq!(hex::encode(input), expected);
    assert_eq!(input.len(), hospes_transparency::TREE_HEAD_SIGNING_INPUT_LENGTH);
}

#[test]
fn sign_and_verify_round_trip() {
    let key = test_key();
    let signed = tree_head().sign(&key);
    assert_eq!(signed.tree_head, tree_head());
    assert_eq!(signed.key_id, KeyId::of(&key.verifying_key()));
    assert_eq!(signed.verify(&key.verifying_key()), Ok(()));
}

#[test]
fn signature_is_deterministic_and_frozen() {
    // Produced by this crate with the RFC 8032 test key (Ed25519 signatures are deterministic)
    // and frozen here, so that any change to the signing layout is caught, and so that an
    // independent verifier can check itself against it. (It was checked once against Python's
    // `cryptography` package, verifying this signature over the 52 bytes of the layout test.)
    let signed = tree_head().sign(&test_key());
    let json = serde_json::to_value(signed).unwrap();
    let expected: serde_json::Value = serde_json::from_str(FROZEN_SIGNED_TREE_HEAD).unwrap();
    assert_eq!(json, expected);
}

const FROZEN_SIGNED_TREE_HEAD: &str = r#"{
    "size": 8,
    "root_hash": "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    "timestamp": 1700000000000,
    "key_id": "21fe31dfa154a261",
    "signature": "ea278eb2df77d9cffc120a44b3487faccd615111b98907a82792d13c4fbd2494a81ae45f5779cf67121a2ca5a67fc365f46b3a5e07b92cc2a3a8e4573b4dd206"
}"#;

#[test]
fn json_round_trip() {
    let signed = tree_head().sign(&test_key());
    let json = serde_json::to_string(&signed).unwrap();
    let back: SignedTreeHead = serde_json::from_str(&json).unwrap();
    assert_eq!(back, signed);
    assert_eq!(back.verify(&test_key().verifying_key()), Ok(()));

    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["signature"] = serde_json::Value::String("abcd".into());
    assert!(serde_json::from_value::<SignedTreeHead>(value).is_err());
}

#[test]
fn every_modified_field_fails_verification() {
    let key = test_key();
    let public = key.verifying_key();
    let signed = tree_head().sign(&key);

    let mut changed = signed;
    changed.tree_head.size = 7;
    assert!(matches!(changed.verify(&public), Err(TreeHeadSignatureError::InvalidSignature { .. })));

    let mut changed = signed;
    changed.tree_head.timestamp += 1;
    assert!(changed.verify(&public).is_err());

    for byte in 0..32 {
        let mut changed = signed;
        let mut root = changed.tree_head.root_hash.to_bytes();
        root[byte] ^= 0x01;
        changed.tree_head.root_hash = Hash::from_bytes(root);
        assert!(changed.verify(&public).is_err(), "root byte {byte}");
    }
    for byte in 0..64 {
        let mut changed = signed;
        let mut signature = changed.signature.0;
        signature[byte] ^= 0x80;
        changed.signature = TreeHeadSignature(signature);
        assert!(changed.verify(&public).is_err(), "signature byte {byte}");
    }
}

#[test]
fn a_wrong_key_fails_verification() {
    let key = test_key();
    let other = generate_signing_key_with(&mut StdRng::seed_from_u64(7));
    let signed = tree_head().sign(&key);

    assert_eq!(
        signed.verify(&other.verifying_key()),
        Err(TreeHeadSignatureError::KeyIdMismatch {
            signed_with: KeyId::of(&key.verifying_key()),
            checked_with: KeyId::of(&other.verifying_key()),
        })
    );
    // Relabelled with the other key's id, it still fails on the signature itself.
    let mut relabelled = signed;
    relabelled.key_id = KeyId::of(&other.verifying_key());
    assert_eq!(
        relabelled.verify(&other.verifying_key()),
        Err(TreeHeadSignatureError::InvalidSignature { key_id: KeyId::of(&other.verifying_key()) })
    );
}
