//! Ed25519 signing keys in files of their own (64 hexadecimal characters), created on first use: the
//! audit log's, and any other the server signs with (the credential issuer's).

use std::io::Write;
use std::path::{Path, PathBuf};

use hospes_transparency::{SigningKey, decode_signing_key, encode_signing_key, generate_signing_key};

/// Why a signing key could not be loaded; `what` names the key (`audit log signing key`, …).
#[derive(Debug, thiserror::Error)]
pub enum SigningKeyError {
    #[error("cannot read the {what} {path}: {source}")]
    Read { what: &'static str, path: PathBuf, source: std::io::Error },
    #[error("cannot write a new {what} to {path}: {source}")]
    Write { what: &'static str, path: PathBuf, source: std::io::Error },
    #[error("the {what} {path} is malformed: {reason}")]
    Malformed { what: &'static str, path: PathBuf, reason: String },
}

/// Reads the audit log's key at `path`, or creates one there (readable by its owner only).
pub fn load_or_create_signing_key(path: &Path) -> Result<SigningKey, SigningKeyError> {
    load_or_create_key_file(path, "audit log signing key")
}

/// Reads the Ed25519 key at `path`, or creates one there (readable by its owner only) if there is
/// none; `what` names the key in errors and logs.
pub fn load_or_create_key_file(path: &Path, what: &'static str) -> Result<SigningKey, SigningKeyError> {
    match std::fs::read_to_string(path) {
        Ok(text) => decode_signing_key(&text).map_err(|error| SigningKeyError::Malformed {
            what,
            path: path.to_path_buf(),
            reason: error.to_string(),
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let key = generate_signing_key();
            write_new_key(path, &key).map_err(|source| SigningKeyError::Write {
                what,
                path: path.to_path_buf(),
                source,
            })?;
            tracing::info!(path = %path.display(), "created a new {what}");
            Ok(key)
        }
        Err(source) => Err(SigningKeyError::Read { what, path: path.to_path_buf(), source }),
    }
}

fn write_new_key(path: &Path, key: &SigningKey) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(encode_signing_key(key).as_bytes())?;
    file.sync_all()
}
