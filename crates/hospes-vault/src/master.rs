//! Master keys (key-encryption keys): the trait, a local implementation, and a ring for rotation.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::cipher::{self, KEY_LEN, NONCE_LEN};
use crate::error::VaultError;
use crate::keys::{DataKey, WrappedKey};

/// The key that encrypts ("wraps") data keys. Implement it over a KMS or HSM to keep the master key
/// out of the process; [`LocalMasterKey`] holds it in memory.
///
/// `context` is authenticated with the wrapped key (e.g. the record or person id the data key
/// belongs to): unwrapping with any other context fails, so a wrapped key cannot be moved.
pub trait MasterKey: Send + Sync {
    /// A stable, non-secret id that a [`WrappedKey`] records, to find the key that unwraps it.
    fn key_id(&self) -> &str;

    /// Encrypts `data_key` under this master key.
    fn wrap(&self, data_key: &DataKey, context: &[u8]) -> Result<WrappedKey, VaultError>;

    /// Decrypts a key wrapped by [`MasterKey::wrap`] with the same `context`. A key wrapped under
    /// another master key fails with [`VaultError::UnknownMasterKey`]; a wrong context or an altered
    /// wrapped key with [`VaultError::Decryption`].
    fn unwrap(&self, wrapped: &WrappedKey, context: &[u8]) -> Result<DataKey, VaultError>;
}

/// Label authenticated with every key [`LocalMasterKey`] wraps (format version 1).
const WRAP_LABEL: &[u8] = b"hospes-vault/local-wrap/v1\0";

/// Longest key file read, in bytes: a key is 64 characters; anything much longer is the wrong file.
const MAX_KEY_FILE_LEN: usize = 1024;

/// A 256-bit master key held in this process, wrapping with XChaCha20-Poly1305 and a random nonce.
///
/// Its id is the first 8 bytes of SHA-256 of the key, in hex (16 characters): it names the key
/// without revealing it. The key is zeroed when dropped, and `Debug` prints only the id.
///
/// A key is written as 64 hex characters (`openssl rand -hex 32`) or as base64 of 32 bytes
/// (`openssl rand -base64 32`), standard or URL-safe alphabet, padded or not; surrounding whitespace
/// (a trailing newline) is ignored.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct LocalMasterKey {
    key: [u8; KEY_LEN],
    #[zeroize(skip)]
    key_id: String,
}

impl LocalMasterKey {
    /// The environment variable [`LocalMasterKey::from_default_env`] reads.
    pub const DEFAULT_ENV_VAR: &'static str = "HOSPES_MASTER_KEY";

    /// A master key with the given bytes.
    pub fn from_bytes(key: [u8; KEY_LEN]) -> Self {
        let digest = Sha256::digest(key);
        let key_id = hex::encode(&digest[..8]);
        Self { key, key_id }
    }

    /// A fresh master key from the operating system's random number generator.
    pub fn generate() -> Result<Self, VaultError> {
        Ok(Self::from_bytes(cipher::random_bytes()?))
    }

    /// A master key written as hex or base64 (see the type's documentation).
    pub fn from_encoded(text: &str) -> Result<Self, VaultError> {
        decode_key(text).map_err(|reason| VaultError::KeyFormat { origin: "the given text".into(), reason })
    }

    /// Reads a key file (hex or base64; a trailing newline is fine).
    ///
    /// On Unix, a file that others may read or write, or that its group may write, is refused with
    /// [`VaultError::InsecureKeyFile`], as `ssh` refuses such a private key: a warning would be
    /// printed to a log nobody reads while the key that protects every special-category record
    /// stays exposed. Group read is allowed (mode 640 or 440), because that is how a key is shared
    /// with a service account's group, and how secret volumes mounted with an `fsGroup` arrive.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, VaultError> {
        let path = path.as_ref();
        let io_error = |source| VaultError::KeyFileIo { path: path.to_path_buf(), source };
        let file = File::open(path).map_err(io_error)?;
        // The checks use the opened file, not the path, so the file cannot be swapped in between.
        let metadata = file.metadata().map_err(io_error)?;
        check_permissions(path, &metadata)?;
        if metadata.len() > MAX_KEY_FILE_LEN as u64 {
            return Err(VaultError::KeyFormat {
                origin: format!("file {}", path.display()),
                reason: format!(
                    "the file is {} bytes long; a key file holds one key of 64 hex or 44 base64 characters",
                    metadata.len()
                ),
            });
        }
        let mut contents = Zeroizing::new(Vec::with_capacity(MAX_KEY_FILE_LEN + 1));
        file.take(MAX_KEY_FILE_LEN as u64 + 1).read_to_end(&mut contents).map_err(io_error)?;
        let origin = || format!("file {}", path.display());
        let text = std::str::from_utf8(&contents)
            .map_err(|_| VaultError::KeyFormat { origin: origin(), reason: "the file is not text".into() })?;
        decode_key(text).map_err(|reason| VaultError::KeyFormat { origin: origin(), reason })
    }

    /// Reads the key from an environment variable (hex or base64).
    pub fn from_env(var: &str) -> Result<Self, VaultError> {
        let value = std::env::var(var).map_err(|error| VaultError::KeyEnv {
            var: var.to_string(),
            reason: match error {
                std::env::VarError::NotPresent => "is not set".into(),
                std::env::VarError::NotUnicode(_) => "is not valid Unicode".into(),
            },
        })?;
        let value = Zeroizing::new(value);
        decode_key(&value)
            .map_err(|reason| VaultError::KeyFormat { origin: format!("environment variable {var}"), reason })
    }

    /// Reads the key from [`LocalMasterKey::DEFAULT_ENV_VAR`] (`HOSPES_MASTER_KEY`).
    pub fn from_default_env() -> Result<Self, VaultError> {
        Self::from_env(Self::DEFAULT_ENV_VAR)
    }

    /// Generates a key and writes it to a new file (see [`LocalMasterKey::write_file`]).
    pub fn generate_file(path: impl AsRef<Path>) -> Result<Self, VaultError> {
        let key = Self::generate()?;
        key.write_file(path)?;
        Ok(key)
    }

    /// Writes the key as 64 hex characters and a newline to a file that must not exist yet (a master
    /// key that is overwritten takes every record encrypted under it along), created with mode 600
    /// on Unix, and flushed to disk.
    pub fn write_file(&self, path: impl AsRef<Path>) -> Result<(), VaultError> {
        let path = path.as_ref();
        let io_error = |source| VaultError::KeyFileIo { path: path.to_path_buf(), source };
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(io_error)?;
        let mut text = Zeroizing::new(hex::encode(self.key));
        text.push('\n');
        file.write_all(text.as_bytes()).map_err(io_error)?;
        file.sync_all().map_err(io_error)
    }
}

#[cfg(unix)]
fn check_permissions(path: &Path, metadata: &std::fs::Metadata) -> Result<(), VaultError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o777;
    // Others: any access. Group: write. (Execute bits on a key file are odd but harmless.)
    if mode & 0o027 != 0 {
        return Err(VaultError::InsecureKeyFile { path: path.to_path_buf(), mode });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_path: &Path, _metadata: &std::fs::Metadata) -> Result<(), VaultError> {
    Ok(())
}

/// Decodes a key from hex or base64; the error says why, without quoting the material.
fn decode_key(text: &str) -> Result<LocalMasterKey, String> {
    const EXPECTED: &str = "a master key is 32 bytes, written as 64 hex characters or 44 base64 characters";
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("it is empty; {EXPECTED}"));
    }
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    if text.len() == 2 * KEY_LEN && hex::decode_to_slice(text, key.as_mut_slice()).is_ok() {
        return Ok(LocalMasterKey::from_bytes(*key));
    }
    let indifferent = GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let engines = [
        GeneralPurpose::new(&base64::alphabet::STANDARD, indifferent),
        GeneralPurpose::new(&base64::alphabet::URL_SAFE, indifferent),
    ];
    let mut decoded_length = None;
    for engine in &engines {
        if let Ok(decoded) = engine.decode(text).map(Zeroizing::new) {
            if decoded.len() == KEY_LEN {
                key.copy_from_slice(&decoded);
                return Ok(LocalMasterKey::from_bytes(*key));
            }
            decoded_length = Some(decoded.len());
        }
    }
    // Hex digits are base64 characters too: a wrong-length hex key is reported as hex.
    if text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(format!("it is {} hex characters; {EXPECTED}", text.len()));
    }
    if let Some(length) = decoded_length {
        return Err(format!("it is base64 of {length} bytes; {EXPECTED}"));
    }
    Err(format!("its {} characters are neither hex nor base64; {EXPECTED}", text.chars().count()))
}

impl MasterKey for LocalMasterKey {
    fn key_id(&self) -> &str {
        &self.key_id
    }

    fn wrap(&self, data_key: &DataKey, context: &[u8]) -> Result<WrappedKey, VaultError> {
        let nonce: [u8; NONCE_LEN] = cipher::random_bytes()?;
        let ciphertext = cipher::encrypt(&self.key, &nonce, WRAP_LABEL, context, data_key.as_bytes())?;
        WrappedKey::new(self.key_id.clone(), nonce.to_vec(), ciphertext)
    }

    fn unwrap(&self, wrapped: &WrappedKey, context: &[u8]) -> Result<DataKey, VaultError> {
        if wrapped.master_key_id() != self.key_id {
            return Err(VaultError::UnknownMasterKey { key_id: wrapped.master_key_id().to_string() });
        }
        // A nonce of another length was not made by this key: the bytes were altered.
        let nonce: &[u8; NONCE_LEN] = wrapped.nonce().try_into().map_err(|_| VaultError::Decryption)?;
        let plaintext = Zeroizing::new(cipher::decrypt(&self.key, nonce, WRAP_LABEL, context, wrapped.ciphertext())?);
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        if plaintext.len() != KEY_LEN {
            return Err(VaultError::Decryption);
        }
        key.copy_from_slice(&plaintext);
        Ok(DataKey::from_bytes(*key))
    }
}

impl fmt::Debug for LocalMasterKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_struct("LocalMasterKey").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

/// The master keys in use: one current key that wraps new data keys, and older keys that still
/// unwrap what they wrapped, each found by the id a [`WrappedKey`] records.
///
/// Rotation: make the new key current ([`MasterKeyRing::rotate`]), then [`MasterKeyRing::rewrap`]
/// every stored wrapped key for which [`MasterKeyRing::needs_rewrap`] holds (cheap: data keys are
/// re-encrypted, payloads are not touched), then retire the old key. The ring is itself a
/// [`MasterKey`], so code that wraps and unwraps need not know about rotation.
pub struct MasterKeyRing {
    current: Box<dyn MasterKey>,
    previous: BTreeMap<String, Box<dyn MasterKey>>,
}

impl MasterKeyRing {
    /// A ring holding only `current`.
    pub fn new(current: impl MasterKey + 'static) -> Self {
        Self::from_boxed(Box::new(current))
    }

    /// A ring holding only `current`.
    pub fn from_boxed(current: Box<dyn MasterKey>) -> Self {
        Self { current, previous: BTreeMap::new() }
    }

    /// A ring of local key files: the current one, and older ones kept for unwrapping.
    pub fn from_files(
        current: impl AsRef<Path>,
        previous: impl IntoIterator<Item = impl AsRef<Path>>,
    ) -> Result<Self, VaultError> {
        let mut ring = Self::new(LocalMasterKey::from_file(current)?);
        for path in previous {
            ring.add_previous(LocalMasterKey::from_file(path)?)?;
        }
        Ok(ring)
    }

    /// Adds an older key, used only to unwrap. Refuses a key whose id is already in the ring.
    pub fn add_previous(&mut self, key: impl MasterKey + 'static) -> Result<(), VaultError> {
        self.add_previous_boxed(Box::new(key))
    }

    /// Adds an older key, used only to unwrap. Refuses a key whose id is already in the ring.
    pub fn add_previous_boxed(&mut self, key: Box<dyn MasterKey>) -> Result<(), VaultError> {
        let id = key.key_id().to_string();
        if self.get(&id).is_some() {
            return Err(VaultError::DuplicateMasterKey { key_id: id });
        }
        self.previous.insert(id, key);
        Ok(())
    }

    /// Makes `key` the current key; the key that was current stays, for unwrapping. Refuses a key
    /// whose id is already in the ring.
    pub fn rotate(&mut self, key: impl MasterKey + 'static) -> Result<(), VaultError> {
        self.rotate_boxed(Box::new(key))
    }

    /// Makes `key` the current key; the key that was current stays, for unwrapping. Refuses a key
    /// whose id is already in the ring.
    pub fn rotate_boxed(&mut self, key: Box<dyn MasterKey>) -> Result<(), VaultError> {
        if self.get(key.key_id()).is_some() {
            return Err(VaultError::DuplicateMasterKey { key_id: key.key_id().to_string() });
        }
        let old = std::mem::replace(&mut self.current, key);
        self.previous.insert(old.key_id().to_string(), old);
        Ok(())
    }

    /// The key that wraps new data keys.
    pub fn current(&self) -> &dyn MasterKey {
        self.current.as_ref()
    }

    /// The key with this id, current or previous, if the ring holds it.
    pub fn get(&self, key_id: &str) -> Option<&dyn MasterKey> {
        if self.current.key_id() == key_id {
            return Some(self.current.as_ref());
        }
        self.previous.get(key_id).map(|key| key.as_ref())
    }

    /// The ids of every key in the ring, the current one first.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.current.key_id()).chain(self.previous.keys().map(String::as_str))
    }

    /// Whether `wrapped` is wrapped under a key other than the current one.
    pub fn needs_rewrap(&self, wrapped: &WrappedKey) -> bool {
        wrapped.master_key_id() != self.current.key_id()
    }

    /// Unwraps with whichever key wrapped it and wraps again under the current key.
    pub fn rewrap(&self, wrapped: &WrappedKey, context: &[u8]) -> Result<WrappedKey, VaultError> {
        let data_key = self.unwrap(wrapped, context)?;
        self.current.wrap(&data_key, context)
    }
}

impl MasterKey for MasterKeyRing {
    fn key_id(&self) -> &str {
        self.current.key_id()
    }

    fn wrap(&self, data_key: &DataKey, context: &[u8]) -> Result<WrappedKey, VaultError> {
        self.current.wrap(data_key, context)
    }

    fn unwrap(&self, wrapped: &WrappedKey, context: &[u8]) -> Result<DataKey, VaultError> {
        self.get(wrapped.master_key_id())
            .ok_or_else(|| VaultError::UnknownMasterKey { key_id: wrapped.master_key_id().to_string() })?
            .unwrap(wrapped, context)
    }
}

impl fmt::Debug for MasterKeyRing {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("MasterKeyRing")
            .field("current", &self.current.key_id())
            .field("previous", &self.previous.keys().collect::<Vec<_>>())
            .finish()
    }
}
