//! Sealing: encrypting a payload under a data key, bound to associated data (the record id).

use std::fmt;

use crate::cipher::{self, NONCE_LEN, TAG_LEN};
use crate::error::{Encoded, VaultError};
use crate::keys::{DataKey, Reader};

/// Label authenticated with every sealed payload (format version 1).
const SEAL_LABEL: &[u8] = b"hospes-vault/seal/v1\0";

/// First byte of an encoded [`SealedPayload`] (`S`), telling it apart from a wrapped key.
const SEALED_PAYLOAD_TAG: u8 = b'S';
/// The format version [`SealedPayload::to_bytes`] writes and [`SealedPayload::from_bytes`] reads.
const SEALED_PAYLOAD_VERSION: u8 = 1;

/// A payload encrypted with XChaCha20-Poly1305 under a [`DataKey`]: a random 24-byte nonce and the
/// ciphertext with its 16-byte authentication tag. Made by [`seal`], read by [`open`].
#[derive(Clone, PartialEq, Eq)]
pub struct SealedPayload {
    nonce: [u8; NONCE_LEN],
    ciphertext: Vec<u8>,
}

impl SealedPayload {
    /// Bytes the stored form adds to the plaintext: tag, version, nonce, authentication tag.
    pub const OVERHEAD: usize = 2 + NONCE_LEN + TAG_LEN;

    pub fn nonce(&self) -> &[u8; NONCE_LEN] {
        &self.nonce
    }

    /// The ciphertext followed by the authentication tag.
    pub fn ciphertext(&self) -> &[u8] {
        &self.ciphertext
    }

    /// The stored form (version 1), [`SealedPayload::OVERHEAD`] bytes longer than the plaintext:
    ///
    /// ```text
    /// 'S' (0x53) | version 0x01 | nonce: 24 bytes | ciphertext and 16-byte tag (the rest)
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(2 + NONCE_LEN + self.ciphertext.len());
        bytes.push(SEALED_PAYLOAD_TAG);
        bytes.push(SEALED_PAYLOAD_VERSION);
        bytes.extend_from_slice(&self.nonce);
        bytes.extend_from_slice(&self.ciphertext);
        bytes
    }

    /// Reads the stored form; see [`SealedPayload::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VaultError> {
        let mut reader = Reader::new(Encoded::SealedPayload, bytes);
        reader.header(SEALED_PAYLOAD_TAG, SEALED_PAYLOAD_VERSION)?;
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(reader.take(NONCE_LEN)?);
        let ciphertext = reader.rest(TAG_LEN)?.to_vec();
        Ok(Self { nonce, ciphertext })
    }
}

impl fmt::Debug for SealedPayload {
    /// The nonce, and the ciphertext's length only: a payload can be megabytes (a face image).
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("SealedPayload")
            .field("nonce", &hex::encode(self.nonce))
            .field("ciphertext_len", &self.ciphertext.len())
            .finish()
    }
}

/// Encrypts `plaintext` under `data_key` with a fresh random nonce. `associated_data` (the record id)
/// is authenticated, not encrypted: [`open`] must be given the same bytes, so a sealed payload
/// copied to another record does not open there.
///
/// Fails only if the operating system's random number generator fails, or for a plaintext beyond
/// the cipher's limit of about 256 GiB.
pub fn seal(data_key: &DataKey, plaintext: &[u8], associated_data: &[u8]) -> Result<SealedPayload, VaultError> {
    let nonce: [u8; NONCE_LEN] = cipher::random_bytes()?;
    let ciphertext = cipher::encrypt(data_key.as_bytes(), &nonce, SEAL_LABEL, associated_data, plaintext)?;
    Ok(SealedPayload { nonce, ciphertext })
}

/// Decrypts a payload made by [`seal`]. A wrong key, other associated data or any altered byte gives
/// [`VaultError::Decryption`], and nothing of the plaintext.
pub fn open(data_key: &DataKey, sealed: &SealedPayload, associated_data: &[u8]) -> Result<Vec<u8>, VaultError> {
    cipher::decrypt(data_key.as_bytes(), &sealed.nonce, SEAL_LABEL, associated_data, &sealed.ciphertext)
}
