//! The log's signing key, in a file of its own (64 hexadecimal characters), created on first use.

use std::io::Write;
use std::path::{Path, PathBuf};

use hospes_transparency::{SigningKey, decode_signing_key, encode_signing_key, generate_signing_key};

/// Why the signing key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SigningKeyError {
    #[error("cannot read the audit signing key {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write a new audit signing key to {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the audit signing key {path} is malformed: {reason}")]
    Malformed { path: PathBuf, reason: String },
}

/// Reads the key at `path`, or creates one there (readable by its owner only) if there is none.
pub fn load_or_create_signing_key(path: &Path) -> Result<SigningKey, SigningKeyError> {
    match std::fs::read_to_string(path) {
        Ok(text) => decode_signing_key(&text)
            .map_err(|error| SigningKeyError::Malformed { path: path.to_path_buf(), reason: error.to_string() }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let key = generate_signing_key();
            write_new_key(path, &key).map_err(|source| SigningKeyError::Write { path: path.to_path_buf(), source })?;
            tracing::info!(path = %path.display(), "created a new audit log signing key");
            Ok(key)
        }
        Err(source) => Err(SigningKeyError::Read { path: path.to_path_buf(), source }),
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
