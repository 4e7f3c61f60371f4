#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

//! Master keys: wrapping and unwrapping data keys, rotation, and loading keys from files and the
//! environment.

use std::path::Path;

use hospes_vault::{DataKey, Encoded, LocalMasterKey, MasterKey, MasterKeyRing, VaultError, WrappedKey, open, seal};
use sha2::{Digest, Sha256};

const CONTEXT: &[u8] = b"record 2f1c7a1e-5b7d-5d0e-9a39-4f0d3a1b2c3d";

/// The 32 bytes 0x00, 0x01, …, 0x1f.
fn sequential_key() -> [u8; 32] {
    std::array::from_fn(|index| index as u8)
}

const SEQUENTIAL_HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const SEQUENTIAL_BASE64: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

#[test]
fn a_wrapped_key_unwraps_to_the_same_key() {
    let master = LocalMasterKey::generate().unwrap();
    let data_key = DataKey::generate().unwrap();
    let wrapped = master.wrap(&data_key, CONTEXT).unwrap();
    assert_eq!(wrapped.master_key_id(), master.key_id());
    assert_eq!(wrapped.nonce().len(), 24);
    assert_eq!(wrapped.ciphertext().len(), 48);
    assert_ne!(&wrapped.ciphertext()[..32], data_key.as_bytes());
    let unwrapped = master.unwrap(&wrapped, CONTEXT).unwrap();
    assert_eq!(unwrapped.as_bytes(), data_key.as_bytes());

    // The whole envelope: a payload sealed under the data key opens under the unwrapped key.
    let sealed = seal(&data_key, b"conviction", CONTEXT).unwrap();
    assert_eq!(open(&unwrapped, &sealed, CONTEXT).unwrap(), b"conviction");
}

#[test]
fn a_wrapped_key_needs_its_context() {
    let master = LocalMasterKey::generate().unwrap();
    let wrapped = master.wrap(&DataKey::generate().unwrap(), CONTEXT).unwrap();
    assert!(matches!(master.unwrap(&wrapped, b"another record"), Err(VaultError::Decryption)));
}

#[test]
fn another_master_key_reports_the_key_it_would_need() {
    let master = LocalMasterKey::generate().unwrap();
    let other = LocalMasterKey::generate().unwrap();
    assert_ne!(master.key_id(), other.key_id());
    let wrapped = master.wrap(&DataKey::generate().unwrap(), CONTEXT).unwrap();
    match other.unwrap(&wrapped, CONTEXT) {
        Err(VaultError::UnknownMasterKey { key_id }) => assert_eq!(key_id, master.key_id()),
        other => panic!("expected UnknownMasterKey, got {other:?}"),
    }
}

#[test]
fn a_key_forged_to_carry_our_id_fails_to_decrypt() {
    let master = LocalMasterKey::generate().unwrap();
    let forger = LocalMasterKey::generate().unwrap();
    let forged = forger.wrap(&DataKey::generate().unwrap(), CONTEXT).unwrap();
    let forged =
        WrappedKey::new(master.key_id().to_string(), forged.nonce().to_vec(), forged.ciphertext().to_vec()).unwrap();
    assert!(matches!(master.unwrap(&forged, CONTEXT), Err(VaultError::Decryption)));
}

#[test]
fn altered_wrapped_keys_fail_to_decrypt() {
    let master = LocalMasterKey::generate().unwrap();
    let wrapped = master.wrap(&DataKey::generate().unwrap(), CONTEXT).unwrap();
    let id = wrapped.master_key_id().to_string();

    let mut ciphertext = wrapped.ciphertext().to_vec();
    ciphertext[5] ^= 0x10;
    let altered = WrappedKey::new(id.clone(), wrapped.nonce().to_vec(), ciphertext).unwrap();
    assert!(matches!(master.unwrap(&altered, CONTEXT), Err(VaultError::Decryption)));

    let short_nonce = WrappedKey::new(id.clone(), wrapped.nonce()[..12].to_vec(), wrapped.ciphertext().to_vec());
    assert!(matches!(master.unwrap(&short_nonce.unwrap(), CONTEXT), Err(VaultError::Decryption)));

    let short_ciphertext = WrappedKey::new(id, wrapped.nonce().to_vec(), wrapped.ciphertext()[..40].to_vec());
    assert!(matches!(master.unwrap(&short_ciphertext.unwrap(), CONTEXT), Err(VaultError::Decryption)));
}

#[test]
fn the_key_id_is_the_first_eight_bytes_of_the_keys_sha256() {
    let master = LocalMasterKey::from_bytes(sequential_key());
    let digest = Sha256::digest(sequential_key());
    assert_eq!(master.key_id(), hex::encode(&digest[..8]));
    assert_eq!(master.key_id().len(), 16);
    // Debug names the key, never shows it.
    let debug = format!("{master:?}");
    assert!(debug.contains(master.key_id()), "{debug}");
    assert!(!debug.contains("0001020304"), "{debug}");
}

#[test]
fn a_key_ring_wraps_with_the_new_key_and_still_unwraps_with_the_old() {
    let old = LocalMasterKey::generate().unwrap();
    let new = LocalMasterKey::generate().unwrap();
    let (old_id, new_id) = (old.key_id().to_string(), new.key_id().to_string());

    let mut ring = MasterKeyRing::new(old.clone());
    let data_key = DataKey::generate().unwrap();
    let wrapped_before = ring.wrap(&data_key, CONTEXT).unwrap();
    assert_eq!(wrapped_before.master_key_id(), old_id);

    ring.rotate(new).unwrap();
    assert_eq!(ring.key_id(), new_id);
    assert_eq!(ring.current().key_id(), new_id);
    let mut ids: Vec<_> = ring.key_ids().collect();
    assert_eq!(ids.remove(0), new_id);
    assert_eq!(ids, [old_id.as_str()]);

    let wrapped_after = ring.wrap(&data_key, CONTEXT).unwrap();
    assert_eq!(wrapped_after.master_key_id(), new_id);
    assert_eq!(ring.unwrap(&wrapped_before, CONTEXT).unwrap().as_bytes(), data_key.as_bytes());
    assert_eq!(ring.unwrap(&wrapped_after, CONTEXT).unwrap().as_bytes(), data_key.as_bytes());

    // Re-wrapping moves an old wrapped key to the new master key.
    assert!(ring.needs_rewrap(&wrapped_before));
    assert!(!ring.needs_rewrap(&wrapped_after));
    let rewrapped = ring.rewrap(&wrapped_before, CONTEXT).unwrap();
    assert_eq!(rewrapped.master_key_id(), new_id);
    assert!(!ring.needs_rewrap(&rewrapped));
    assert_eq!(ring.unwrap(&rewrapped, CONTEXT).unwrap().as_bytes(), data_key.as_bytes());

    // A key unknown to the ring is named in the error.
    let stranger = LocalMasterKey::generate().unwrap();
    let foreign = stranger.wrap(&data_key, CONTEXT).unwrap();
    match ring.unwrap(&foreign, CONTEXT) {
        Err(VaultError::UnknownMasterKey { key_id }) => assert_eq!(key_id, stranger.key_id()),
        other => panic!("expected UnknownMasterKey, got {other:?}"),
    }

    // The ring refuses the same key twice.
    assert!(matches!(ring.add_previous(old.clone()), Err(VaultError::DuplicateMasterKey { .. })));
    assert!(matches!(ring.rotate(old), Err(VaultError::DuplicateMasterKey { .. })));
}

#[test]
fn a_key_ring_is_a_master_key_behind_a_trait_object() {
    let ring: Box<dyn MasterKey> = Box::new(MasterKeyRing::new(LocalMasterKey::generate().unwrap()));
    let data_key = DataKey::generate().unwrap();
    let wrapped = ring.wrap(&data_key, CONTEXT).unwrap();
    assert_eq!(ring.unwrap(&wrapped, CONTEXT).unwrap().as_bytes(), data_key.as_bytes());
    fn is_send_sync<T: Send + Sync + ?Sized>() {}
    is_send_sync::<dyn MasterKey>();
    is_send_sync::<MasterKeyRing>();
}

#[test]
fn the_wrapped_key_stored_form_round_trips() {
    let master = LocalMasterKey::generate().unwrap();
    let wrapped = master.wrap(&DataKey::generate().unwrap(), CONTEXT).unwrap();
    let bytes = wrapped.to_bytes();
    assert_eq!(bytes.len(), 93);
    assert_eq!(&bytes[..4], &[b'K', 1, 0, 16]);
    assert_eq!(&bytes[4..20], master.key_id().as_bytes());
    assert_eq!(bytes[20], 24);
    assert_eq!(WrappedKey::from_bytes(&bytes).unwrap(), wrapped);

    // A KMS may store a long key name, no nonce and a longer ciphertext.
    let kms = WrappedKey::new(
        "projects/p/locations/eu/keyRings/hospes/cryptoKeys/kek/cryptoKeyVersions/3".into(),
        vec![],
        vec![9; 200],
    )
    .unwrap();
    assert_eq!(WrappedKey::from_bytes(&kms.to_bytes()).unwrap(), kms);
}

#[test]
fn malformed_wrapped_keys_are_refused_precisely() {
    let bytes = LocalMasterKey::generate().unwrap().wrap(&DataKey::generate().unwrap(), CONTEXT).unwrap().to_bytes();

    let error = WrappedKey::from_bytes(&bytes[..10]).unwrap_err();
    assert!(matches!(error, VaultError::Truncated { what: Encoded::WrappedKey, needed: 20, found: 10 }), "{error:?}");
    assert_eq!(error.to_string(), "wrapped key is truncated: it needs at least 20 bytes, and has 10");

    let error = WrappedKey::from_bytes(&bytes[..44]).unwrap_err();
    assert!(matches!(error, VaultError::Truncated { needed: 45, found: 44, .. }), "short nonce: {error:?}");
    let error = WrappedKey::from_bytes(&bytes[..45]).unwrap_err();
    assert!(matches!(error, VaultError::Truncated { needed: 46, found: 45, .. }), "no ciphertext: {error:?}");

    let mut sealed_instead = bytes.clone();
    sealed_instead[0] = b'S';
    let error = WrappedKey::from_bytes(&sealed_instead).unwrap_err();
    assert!(matches!(error, VaultError::WrongKind { expected: b'K', found: b'S', .. }), "{error:?}");

    let mut future = bytes.clone();
    future[1] = 9;
    let error = WrappedKey::from_bytes(&future).unwrap_err();
    assert!(matches!(error, VaultError::UnsupportedVersion { found: 9, .. }), "{error:?}");

    let mut not_utf8 = bytes.clone();
    not_utf8[4] = 0xFF;
    let error = WrappedKey::from_bytes(&not_utf8).unwrap_err();
    assert_eq!(error.to_string(), "wrapped key: master key id is not UTF-8");

    let mut empty_id = vec![b'K', 1, 0, 0, 0, 1];
    let error = WrappedKey::from_bytes(&empty_id).unwrap_err();
    assert_eq!(error.to_string(), "wrapped key: master key id is empty");
    empty_id[3] = 1;
    assert!(matches!(WrappedKey::from_bytes(&empty_id), Err(VaultError::Truncated { .. })));

    let error = WrappedKey::new("a\nb".into(), vec![], vec![1]).unwrap_err();
    assert_eq!(error.to_string(), "wrapped key: master key id contains a control character");
    let error = WrappedKey::new("k".into(), vec![0; 256], vec![1]).unwrap_err();
    assert_eq!(error.to_string(), "wrapped key: nonce is 256 bytes long; at most 255 are allowed");
    assert!(WrappedKey::new("k".repeat(1025), vec![], vec![1]).is_err());
    assert!(WrappedKey::new("k".into(), vec![], vec![]).is_err());
}

// --- loading keys ---------------------------------------------------------------------------------

fn write_key_file(directory: &Path, name: &str, contents: &str) -> std::path::PathBuf {
    let path = directory.join(name);
    std::fs::write(&path, contents).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path
}

#[test]
fn key_files_hold_hex_or_base64_with_a_trailing_newline() {
    let directory = tempfile::tempdir().unwrap();
    let expected = LocalMasterKey::from_bytes(sequential_key());
    let files = [
        ("hex", SEQUENTIAL_HEX.to_string()),
        ("hex-newline", format!("{SEQUENTIAL_HEX}\n")),
        ("hex-upper-crlf", format!("{}\r\n", SEQUENTIAL_HEX.to_uppercase())),
        ("base64", SEQUENTIAL_BASE64.to_string()),
        ("base64-newline", format!("{SEQUENTIAL_BASE64}\n")),
        ("base64-unpadded", SEQUENTIAL_BASE64.trim_end_matches('=').to_string()),
    ];
    for (name, contents) in files {
        let key = LocalMasterKey::from_file(write_key_file(directory.path(), name, &contents)).unwrap();
        assert_eq!(key.key_id(), expected.key_id(), "{name}");
    }
    // URL-safe base64 of a key whose standard encoding has '+' and '/'.
    let key = [0xFB; 32];
    let url_safe = base64_url_safe(&key);
    assert!(url_safe.contains('-') || url_safe.contains('_'));
    let loaded = LocalMasterKey::from_file(write_key_file(directory.path(), "url-safe", &url_safe)).unwrap();
    assert_eq!(loaded.key_id(), LocalMasterKey::from_bytes(key).key_id());
}

fn base64_url_safe(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE.encode(bytes)
}

#[test]
fn malformed_key_files_are_refused_without_quoting_the_key() {
    let directory = tempfile::tempdir().unwrap();
    let cases = [
        ("empty", "\n", "it is empty"),
        ("short-hex", &SEQUENTIAL_HEX[..62], "it is 62 hex characters"),
        ("long-hex", &format!("{SEQUENTIAL_HEX}00"), "it is 66 hex characters"),
        ("short-base64", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==", "it is base64 of 31 bytes"),
        ("neither", "this is not a key, it is a sentence!!", "are neither hex nor base64"),
    ];
    for (name, contents, reason) in cases {
        let path = write_key_file(directory.path(), name, contents);
        let error = LocalMasterKey::from_file(&path).unwrap_err();
        assert!(matches!(error, VaultError::KeyFormat { .. }), "{name}: {error:?}");
        let message = error.to_string();
        assert!(message.contains(reason), "{name}: {message}");
        assert!(message.contains(&path.display().to_string()), "{name}: {message}");
        assert!(message.contains("64 hex characters or 44 base64 characters"), "{name}: {message}");
        if contents.len() > 8 {
            assert!(!message.contains(&contents[..8]), "{name} quotes the key: {message}");
        }
    }
    let big = write_key_file(directory.path(), "big", &"0".repeat(5000));
    assert!(LocalMasterKey::from_file(big).unwrap_err().to_string().contains("5000 bytes long"));

    let missing = directory.path().join("missing");
    let error = LocalMasterKey::from_file(&missing).unwrap_err();
    assert!(matches!(error, VaultError::KeyFileIo { .. }), "{error:?}");
    assert!(error.to_string().contains("missing"), "{error}");
}

#[cfg(unix)]
#[test]
fn key_files_others_can_read_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let directory = tempfile::tempdir().unwrap();
    let path = write_key_file(directory.path(), "key", SEQUENTIAL_HEX);
    for (mode, allowed) in [(0o600, true), (0o400, true), (0o640, true), (0o644, false), (0o660, false), (0o604, false)]
    {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let result = LocalMasterKey::from_file(&path);
        assert_eq!(result.is_ok(), allowed, "mode {mode:o}: {result:?}");
        if let Err(error) = result {
            assert!(matches!(error, VaultError::InsecureKeyFile { .. }), "{error:?}");
            let message = error.to_string();
            assert!(message.contains(&format!("mode {mode:o}")), "{message}");
            assert!(message.contains("chmod 600"), "{message}");
        }
    }
}

#[test]
fn a_generated_key_file_is_private_and_never_overwritten() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("master.key");
    let key = LocalMasterKey::generate_file(&path).unwrap();
    let contents = std::fs::read_to_string(&path).unwrap();
    assert_eq!(contents.len(), 65);
    assert!(contents.ends_with('\n'));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert_eq!(LocalMasterKey::from_file(&path).unwrap().key_id(), key.key_id());

    let error = LocalMasterKey::generate_file(&path).unwrap_err();
    assert!(
        matches!(&error, VaultError::KeyFileIo { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), contents, "the existing key is untouched");
}

#[test]
fn a_key_ring_loads_from_files() {
    let directory = tempfile::tempdir().unwrap();
    let old_path = directory.path().join("old.key");
    let new_path = directory.path().join("new.key");
    let old = LocalMasterKey::generate_file(&old_path).unwrap();
    let new = LocalMasterKey::generate_file(&new_path).unwrap();
    let ring = MasterKeyRing::from_files(&new_path, [&old_path]).unwrap();
    assert_eq!(ring.key_id(), new.key_id());
    assert!(ring.get(old.key_id()).is_some());
    assert!(matches!(MasterKeyRing::from_files(&new_path, [&new_path]), Err(VaultError::DuplicateMasterKey { .. })));
}

#[test]
fn an_unset_environment_variable_is_named() {
    let error = LocalMasterKey::from_env("HOSPES_VAULT_TEST_SURELY_UNSET_7F3A").unwrap_err();
    assert!(matches!(error, VaultError::KeyEnv { .. }), "{error:?}");
    assert_eq!(error.to_string(), "environment variable HOSPES_VAULT_TEST_SURELY_UNSET_7F3A: is not set");
}

/// Set by [`keys_load_from_the_environment`] in the child process it starts.
const CHILD_MARKER: &str = "HOSPES_VAULT_TEST_ENV_CHILD";

/// Runs in a child process with the variables set: `std::env::set_var` is `unsafe` in edition 2024,
/// and the workspace forbids `unsafe`, so the parent sets them through `Command::env`.
#[test]
fn env_child() {
    if std::env::var_os(CHILD_MARKER).is_none() {
        return;
    }
    let expected = LocalMasterKey::from_bytes(sequential_key());
    assert_eq!(LocalMasterKey::from_default_env().unwrap().key_id(), expected.key_id());
    assert_eq!(LocalMasterKey::from_env("HOSPES_VAULT_TEST_BASE64").unwrap().key_id(), expected.key_id());
    let error = LocalMasterKey::from_env("HOSPES_VAULT_TEST_BAD").unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("master key from environment variable HOSPES_VAULT_TEST_BAD: it is 10 hex"),
        "{message}"
    );
}

#[test]
fn keys_load_from_the_environment() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "env_child", "--test-threads=1", "--nocapture"])
        .env(CHILD_MARKER, "1")
        .env(LocalMasterKey::DEFAULT_ENV_VAR, format!("{SEQUENTIAL_HEX}\n"))
        .env("HOSPES_VAULT_TEST_BASE64", SEQUENTIAL_BASE64)
        .env("HOSPES_VAULT_TEST_BAD", "0123456789")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
