//! What can go wrong when keys are loaded, wrapped and unwrapped, and payloads sealed and opened.

use std::fmt;
use std::path::PathBuf;

/// Which of the two stored encodings a byte string was meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoded {
    /// A [`WrappedKey`](crate::WrappedKey): a data key encrypted under a master key.
    WrappedKey,
    /// A [`SealedPayload`](crate::SealedPayload): a record body encrypted under a data key.
    SealedPayload,
}

impl fmt::Display for Encoded {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::WrappedKey => "wrapped key",
            Self::SealedPayload => "sealed payload",
        })
    }
}

/// Why a vault operation failed.
///
/// Decryption failures are deliberately one variant with no detail: a wrong key, wrong associated
/// data and an altered ciphertext are indistinguishable to an AEAD, and telling them apart would help
/// an attacker. Everything about the *shape* of stored bytes and key files is reported precisely.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The ciphertext does not authenticate under this key and associated data.
    #[error("decryption failed: wrong key, wrong associated data, or altered ciphertext")]
    Decryption,
    /// The AEAD refused to encrypt (only for inputs beyond its size limit, about 256 GiB).
    #[error("encryption failed: the input is too long for the cipher")]
    Encryption,
    /// A wrapped key names a master key that is not loaded.
    #[error("master key {key_id} is not available to unwrap this key")]
    UnknownMasterKey { key_id: String },
    /// A key ring was given two keys with the same id.
    #[error("master key {key_id} is in the key ring twice")]
    DuplicateMasterKey { key_id: String },
    /// A master key held elsewhere (KMS, HSM) could not be reached or refused the operation.
    #[error("master key {key_id} is unavailable: {reason}")]
    MasterKeyUnavailable { key_id: String, reason: String },
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed: {0}")]
    Randomness(String),

    /// Stored bytes end before a field they must contain.
    #[error("{what} is truncated: it needs at least {needed} bytes, and has {found}")]
    Truncated { what: Encoded, needed: usize, found: usize },
    /// Stored bytes start with the tag of another encoding (or of none).
    #[error("bytes are not a {what}: they start with {found:#04x}, expected {expected:#04x}")]
    WrongKind { what: Encoded, expected: u8, found: u8 },
    /// Stored bytes are of a format version this build does not read.
    #[error("{what} has format version {found}; this build reads version {supported}")]
    UnsupportedVersion { what: Encoded, found: u8, supported: u8 },
    /// A field of an encoding, or of a value being built, is out of bounds.
    #[error("{what}: {field} {reason}")]
    InvalidField { what: Encoded, field: &'static str, reason: String },

    /// A master key file could not be read or written.
    #[error("master key file {path}: {source}")]
    KeyFileIo {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A master key file can be read or altered by users other than its owner (and group).
    #[error(
        "master key file {path} has mode {mode:03o}: it must be neither readable nor writable by others, nor \
         writable by its group; run `chmod 600 {path}` (or 640 for a group that needs to read it)"
    )]
    InsecureKeyFile { path: PathBuf, mode: u32 },
    /// The master key's environment variable is not set or not text.
    #[error("environment variable {var}: {reason}")]
    KeyEnv { var: String, reason: String },
    /// Key material is not 32 bytes written as 64 hex characters or as base64. The message never
    /// contains the material itself.
    #[error("master key from {origin}: {reason}")]
    KeyFormat { origin: String, reason: String },
}
