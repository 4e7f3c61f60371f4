//! The one AEAD this crate uses, XChaCha20-Poly1305, behind three small functions.
//!
//! XChaCha20-Poly1305 takes a 192-bit nonce, so nonces can be drawn at random for every message
//! without a realistic chance of repeating one under the same key (unlike the 96-bit nonces of
//! AES-GCM or ChaCha20-Poly1305, which allow about 2^32 random nonces per key).

use chacha20poly1305::aead::{AeadInOut, Generate, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::error::VaultError;

/// Key length of XChaCha20-Poly1305, in bytes.
pub(crate) const KEY_LEN: usize = 32;
/// Nonce length of XChaCha20-Poly1305, in bytes.
pub(crate) const NONCE_LEN: usize = 24;
/// Authentication tag length, in bytes; it follows the ciphertext.
pub(crate) const TAG_LEN: usize = 16;

/// `N` bytes from the operating system's random number generator.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], VaultError> {
    <[u8; N] as Generate>::try_generate().map_err(|error| VaultError::Randomness(error.to_string()))
}

/// The associated data actually authenticated: a fixed label naming the use and format version,
/// then the caller's bytes. The label keeps a ciphertext made for one use from opening as another.
fn labelled(label: &[u8], associated_data: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(label.len() + associated_data.len());
    bytes.extend_from_slice(label);
    bytes.extend_from_slice(associated_data);
    bytes
}

/// Encrypts `plaintext`; the result is the ciphertext followed by the 16-byte tag.
pub(crate) fn encrypt(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    label: &[u8],
    associated_data: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, VaultError> {
    let cipher = XChaCha20Poly1305::new(key.into());
    // Room for the tag up front: the buffer briefly holds the plaintext and must not be reallocated
    // (a reallocation would leave a copy of it behind in freed memory).
    let mut buffer = Vec::with_capacity(plaintext.len() + TAG_LEN);
    buffer.extend_from_slice(plaintext);
    cipher
        .encrypt_in_place(&XNonce::from(*nonce), &labelled(label, associated_data), &mut buffer)
        .map_err(|_| VaultError::Encryption)?;
    Ok(buffer)
}

/// Authenticates and decrypts `ciphertext` (ciphertext followed by tag).
pub(crate) fn decrypt(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    label: &[u8],
    associated_data: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, VaultError> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let mut buffer = ciphertext.to_vec();
    cipher
        .decrypt_in_place(&XNonce::from(*nonce), &labelled(label, associated_data), &mut buffer)
        .map_err(|_| VaultError::Decryption)?;
    Ok(buffer)
}
