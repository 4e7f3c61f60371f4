//! Data keys, and data keys wrapped (encrypted) under a master key for storage.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::cipher::{self, KEY_LEN};
use crate::error::{Encoded, VaultError};

/// A 256-bit key that encrypts the payloads of one record (or of whatever unit is destroyed at once).
///
/// It exists in clear only in memory: it is stored [wrapped](crate::MasterKey::wrap) under a master
/// key, and its bytes are overwritten with zeros when it is dropped. `Debug` does not print it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DataKey {
    bytes: [u8; KEY_LEN],
}

impl DataKey {
    /// Length of a data key, in bytes.
    pub const LEN: usize = KEY_LEN;

    /// A fresh key from the operating system's random number generator.
    pub fn generate() -> Result<Self, VaultError> {
        Ok(Self { bytes: cipher::random_bytes()? })
    }

    /// A key with the given bytes: for a [`MasterKey`](crate::MasterKey) implementation that unwraps
    /// keys itself (a KMS client). Ordinary code generates keys or unwraps them.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self { bytes }
    }

    /// The key's bytes: for a [`MasterKey`](crate::MasterKey) implementation that wraps keys itself.
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("DataKey(<redacted>)")
    }
}

/// A [`DataKey`] encrypted under a master key, with the id of that master key: what is stored.
///
/// The nonce and ciphertext are opaque to everything but the master key that made them, so a KMS or
/// HSM implementation may put what it needs there (an empty nonce, a longer ciphertext).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedKey {
    master_key_id: String,
    nonce: Vec<u8>,
    ciphertext: Vec<u8>,
}

/// First byte of an encoded [`WrappedKey`] (`K`), telling it apart from a sealed payload.
const WRAPPED_KEY_TAG: u8 = b'K';
/// The format version [`WrappedKey::to_bytes`] writes and [`WrappedKey::from_bytes`] reads.
const WRAPPED_KEY_VERSION: u8 = 1;

impl WrappedKey {
    /// Longest master key id, in bytes (a KMS key name or URL fits).
    pub const MAX_KEY_ID_LEN: usize = 1024;
    /// Longest nonce, in bytes.
    pub const MAX_NONCE_LEN: usize = 255;

    /// A wrapped key; refuses an empty or over-long key id, one with control characters, an
    /// over-long nonce and an empty ciphertext (each of which the byte encoding could not hold or
    /// could not mean).
    pub fn new(master_key_id: String, nonce: Vec<u8>, ciphertext: Vec<u8>) -> Result<Self, VaultError> {
        let invalid = |field, reason: String| VaultError::InvalidField { what: Encoded::WrappedKey, field, reason };
        if master_key_id.is_empty() {
            return Err(invalid("master key id", "is empty".into()));
        }
        if master_key_id.len() > Self::MAX_KEY_ID_LEN {
            return Err(invalid(
                "master key id",
                format!("is {} bytes long; at most {} are allowed", master_key_id.len(), Self::MAX_KEY_ID_LEN),
            ));
        }
        if master_key_id.chars().any(char::is_control) {
            return Err(invalid("master key id", "contains a control character".into()));
        }
        if nonce.len() > Self::MAX_NONCE_LEN {
            return Err(invalid(
                "nonce",
                format!("is {} bytes long; at most {} are allowed", nonce.len(), Self::MAX_NONCE_LEN),
            ));
        }
        if ciphertext.is_empty() {
            return Err(invalid("ciphertext", "is empty".into()));
        }
        Ok(Self { master_key_id, nonce, ciphertext })
    }

    /// The id of the master key that can unwrap this key.
    pub fn master_key_id(&self) -> &str {
        &self.master_key_id
    }

    pub fn nonce(&self) -> &[u8] {
        &self.nonce
    }

    pub fn ciphertext(&self) -> &[u8] {
        &self.ciphertext
    }

    /// The stored form (version 1):
    ///
    /// ```text
    /// 'K' (0x4B) | version 0x01 | key id length: u16 big-endian | key id (UTF-8)
    ///            | nonce length: u8 | nonce | ciphertext (the rest, at least 1 byte)
    /// ```
    ///
    /// A key wrapped by [`LocalMasterKey`](crate::LocalMasterKey) takes 93 bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(5 + self.master_key_id.len() + self.nonce.len() + self.ciphertext.len());
        bytes.push(WRAPPED_KEY_TAG);
        bytes.push(WRAPPED_KEY_VERSION);
        // `new` bounds both lengths, so neither conversion can fail.
        let id_len = u16::try_from(self.master_key_id.len()).unwrap_or(u16::MAX);
        bytes.extend_from_slice(&id_len.to_be_bytes());
        bytes.extend_from_slice(self.master_key_id.as_bytes());
        bytes.push(u8::try_from(self.nonce.len()).unwrap_or(u8::MAX));
        bytes.extend_from_slice(&self.nonce);
        bytes.extend_from_slice(&self.ciphertext);
        bytes
    }

    /// Reads the stored form; see [`WrappedKey::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VaultError> {
        let mut reader = Reader::new(Encoded::WrappedKey, bytes);
        reader.header(WRAPPED_KEY_TAG, WRAPPED_KEY_VERSION)?;
        let id_len = reader.take(2)?;
        let id_len = usize::from(u16::from_be_bytes([id_len[0], id_len[1]]));
        let id = reader.take(id_len)?;
        let master_key_id = String::from_utf8(id.to_vec()).map_err(|_| VaultError::InvalidField {
            what: Encoded::WrappedKey,
            field: "master key id",
            reason: "is not UTF-8".into(),
        })?;
        let nonce_len = usize::from(reader.take(1)?[0]);
        let nonce = reader.take(nonce_len)?.to_vec();
        let ciphertext = reader.rest(1)?.to_vec();
        Self::new(master_key_id, nonce, ciphertext)
    }
}

/// Reads an encoding front to back, reporting how many bytes were needed when it runs out.
pub(crate) struct Reader<'a> {
    what: Encoded,
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(what: Encoded, bytes: &'a [u8]) -> Self {
        Self { what, bytes, position: 0 }
    }

    /// Checks the kind tag and the format version.
    pub(crate) fn header(&mut self, tag: u8, version: u8) -> Result<(), VaultError> {
        let found = self.take(1)?[0];
        if found != tag {
            return Err(VaultError::WrongKind { what: self.what, expected: tag, found });
        }
        let found = self.take(1)?[0];
        if found != version {
            return Err(VaultError::UnsupportedVersion { what: self.what, found, supported: version });
        }
        Ok(())
    }

    /// The next `count` bytes.
    pub(crate) fn take(&mut self, count: usize) -> Result<&'a [u8], VaultError> {
        let end = self.position.saturating_add(count);
        let taken = self.bytes.get(self.position..end).ok_or(VaultError::Truncated {
            what: self.what,
            needed: end,
            found: self.bytes.len(),
        })?;
        self.position = end;
        Ok(taken)
    }

    /// Everything left, which must be at least `at_least` bytes.
    pub(crate) fn rest(&mut self, at_least: usize) -> Result<&'a [u8], VaultError> {
        let left = self.bytes.len().saturating_sub(self.position);
        self.take(left.max(at_least))
    }
}
