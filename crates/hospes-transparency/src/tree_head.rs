//! Tree heads, their Ed25519 signatures, and the log's signing key.
//!
//! # Signing input
//!
//! A tree head is signed over exactly these 52 bytes ([`TreeHead::signing_input`]):
//!
//! | offset | length | content                                                              |
//! |-------:|-------:|----------------------------------------------------------------------|
//! |      0 |      1 | `0x01`, the version of this layout ([`TREE_HEAD_SIGNING_INPUT_VERSION`]) |
//! |      1 |      8 | timestamp, milliseconds since 1970-01-01T00:00:00Z, unsigned big-endian |
//! |      9 |      8 | tree size, unsigned big-endian                                       |
//! |     17 |      1 | `0x20`, the length of the root hash                                  |
//! |     18 |     32 | root hash                                                            |
//! |     50 |      2 | `0x0000`, the length of the (always empty) extensions                |
//!
//! Bytes 1 to 51 are RFC 9162's `TreeHeadDataV2` (§4.10) in TLS presentation for a SHA-256 log with
//! no extensions; the leading version byte keeps a Hospes signature from being mistaken for any
//! other structure signed with the same key, and leaves room for a later layout.
//!
//! # Key files
//!
//! A signing key is stored as its 32-byte Ed25519 seed (RFC 8032's private key) in 64 lowercase
//! hexadecimal characters followed by a newline; a public key the same way, as its 32-byte
//! encoding. Surrounding whitespace is ignored when reading. A key id is the first 8 bytes of the
//! SHA-256 of the 32-byte public key, in 16 hexadecimal characters.

use std::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::hash::{HASH_LENGTH, Hash};

/// The first byte of [`TreeHead::signing_input`]; a new layout would get a new value.
pub const TREE_HEAD_SIGNING_INPUT_VERSION: u8 = 0x01;

/// The length of [`TreeHead::signing_input`].
pub const TREE_HEAD_SIGNING_INPUT_LENGTH: usize = 52;

/// The log's statement that its tree of `size` leaves had root `root_hash` at `timestamp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TreeHead {
    /// The number of leaves in the tree.
    pub size: u64,
    /// The tree's Merkle Tree Hash.
    pub root_hash: Hash,
    /// When the log produced this head, in milliseconds since the Unix epoch (UTC).
    pub timestamp: u64,
}

impl TreeHead {
    /// The exact bytes that are signed; the layout is in the module documentation.
    pub fn signing_input(&self) -> [u8; TREE_HEAD_SIGNING_INPUT_LENGTH] {
        let mut input = [0_u8; TREE_HEAD_SIGNING_INPUT_LENGTH];
        let hash_length = HASH_LENGTH as u8;
        let fields = std::iter::once(TREE_HEAD_SIGNING_INPUT_VERSION)
            .chain(self.timestamp.to_be_bytes())
            .chain(self.size.to_be_bytes())
            .chain(std::iter::once(hash_length))
            .chain(self.root_hash.to_bytes())
            .chain(0_u16.to_be_bytes());
        for (slot, byte) in input.iter_mut().zip(fields) {
            *slot = byte;
        }
        input
    }

    /// Signs this tree head with the log's key.
    pub fn sign(&self, signing_key: &SigningKey) -> SignedTreeHead {
        let signature = signing_key.sign(&self.signing_input());
        SignedTreeHead {
            tree_head: *self,
            key_id: KeyId::of(&signing_key.verifying_key()),
            signature: TreeHeadSignature(signature.to_bytes()),
        }
    }
}

/// A short, stable name for a public key: the first 8 bytes of SHA-256 of its 32-byte encoding.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId([u8; 8]);

impl KeyId {
    /// The key id of a public key.
    pub fn of(verifying_key: &VerifyingKey) -> Self {
        let digest: [u8; 32] = Sha256::digest(verifying_key.as_bytes()).into();
        let mut id = [0_u8; 8];
        for (slot, byte) in id.iter_mut().zip(digest) {
            *slot = byte;
        }
        Self(id)
    }

    /// A key id as stored (8 bytes).
    pub fn from_bytes(bytes: [u8; 8]) -> Self {
        Self(bytes)
    }

    /// The 8 bytes of the key id.
    pub fn as_bytes(&self) -> &[u8; 8] {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "KeyId({self})")
    }
}

/// An Ed25519 signature over a [`TreeHead::signing_input`]; 64 bytes, written as hexadecimal.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TreeHeadSignature(pub [u8; 64]);

impl fmt::Display for TreeHeadSignature {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for TreeHeadSignature {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "TreeHeadSignature({self})")
    }
}

/// Deserialises fixed-length byte arrays from hexadecimal strings.
struct FixedHexVisitor<const LENGTH: usize>(&'static str);

impl<const LENGTH: usize> Visitor<'_> for FixedHexVisitor<LENGTH> {
    type Value = [u8; LENGTH];

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} as {} hexadecimal characters", self.0, LENGTH * 2)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<[u8; LENGTH], E> {
        let bytes = hex::decode(text).map_err(E::custom)?;
        let length = bytes.len();
        bytes
            .try_into()
            .map_err(|_| E::custom(format!("{} is {LENGTH} bytes long, this one is {length} bytes", self.0)))
    }
}

impl Serialize for KeyId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for KeyId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(FixedHexVisitor::<8>("a key id")).map(Self)
    }
}

impl Serialize for TreeHeadSignature {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for TreeHeadSignature {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(FixedHexVisitor::<64>("an Ed25519 signature")).map(Self)
    }
}

/// A tree head with the log's signature over it.
///
/// Serialises as one flat JSON object:
/// `{"size":8,"root_hash":"5dc9…","timestamp":1700000000000,"key_id":"…","signature":"…"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SignedTreeHeadFields", into = "SignedTreeHeadFields")]
pub struct SignedTreeHead {
    /// What was signed.
    pub tree_head: TreeHead,
    /// Which key signed it; not itself signed, only a hint for choosing the key.
    pub key_id: KeyId,
    /// The Ed25519 signature over [`TreeHead::signing_input`].
    pub signature: TreeHeadSignature,
}

/// The flat serialised form of [`SignedTreeHead`].
#[derive(Serialize, Deserialize)]
struct SignedTreeHeadFields {
    size: u64,
    root_hash: Hash,
    timestamp: u64,
    key_id: KeyId,
    signature: TreeHeadSignature,
}

impl From<SignedTreeHeadFields> for SignedTreeHead {
    fn from(fields: SignedTreeHeadFields) -> Self {
        Self {
            tree_head: TreeHead { size: fields.size, root_hash: fields.root_hash, timestamp: fields.timestamp },
            key_id: fields.key_id,
            signature: fields.signature,
        }
    }
}

impl From<SignedTreeHead> for SignedTreeHeadFields {
    fn from(signed: SignedTreeHead) -> Self {
        Self {
            size: signed.tree_head.size,
            root_hash: signed.tree_head.root_hash,
            timestamp: signed.tree_head.timestamp,
            key_id: signed.key_id,
            signature: signed.signature,
        }
    }
}

/// Why a signed tree head did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeHeadSignatureError {
    /// The tree head names a different key than the one it is being checked with.
    #[error("the tree head was signed with key {signed_with}, not with key {checked_with}")]
    KeyIdMismatch {
        /// The key id the tree head carries.
        signed_with: KeyId,
        /// The key id of the key it was checked with.
        checked_with: KeyId,
    },
    /// The signature is not a valid Ed25519 signature of this tree head by this key.
    #[error("the signature does not match the tree head and key {key_id}")]
    InvalidSignature {
        /// The key the signature was checked with.
        key_id: KeyId,
    },
}

impl SignedTreeHead {
    /// Checks the signature with the log's public key, using Ed25519's strict verification
    /// (RFC 8032 with small-order keys and non-canonical encodings refused).
    pub fn verify(&self, verifying_key: &VerifyingKey) -> Result<(), TreeHeadSignatureError> {
        let checked_with = KeyId::of(verifying_key);
        if self.key_id != checked_with {
            return Err(TreeHeadSignatureError::KeyIdMismatch { signed_with: self.key_id, checked_with });
        }
        let signature = Signature::from_bytes(&self.signature.0);
        verifying_key
            .verify_strict(&self.tree_head.signing_input(), &signature)
            .map_err(|_| TreeHeadSignatureError::InvalidSignature { key_id: checked_with })
    }
}

/// Why a key file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyFormatError {
    /// The text was not hexadecimal.
    #[error("a key is written as 64 hexadecimal characters: {reason}")]
    NotHexadecimal {
        /// What the hexadecimal decoder objected to.
        reason: String,
    },
    /// The key had a length other than 32 bytes.
    #[error("a key is 32 bytes long, this one is {actual_length} bytes")]
    WrongLength {
        /// The number of bytes found.
        actual_length: usize,
    },
    /// The 32 bytes are not the encoding of a point on the Ed25519 curve.
    #[error("the 32 bytes are not an Ed25519 public key")]
    NotAPublicKey,
}

/// Generates a new log signing key from the operating system's randomness (through `rand`'s
/// thread-local generator, which is seeded from the operating system and cryptographically
/// secure).
pub fn generate_signing_key() -> SigningKey {
    generate_signing_key_with(&mut rand::rng())
}

/// Generates a new log signing key from the given cryptographically secure generator; tests pass
/// a seeded one to get the same key every time.
pub fn generate_signing_key_with<R>(random: &mut R) -> SigningKey
where
    R: rand::CryptoRng + ?Sized,
{
    let mut seed = [0_u8; 32];
    random.fill_bytes(&mut seed);
    SigningKey::from_bytes(&seed)
}

/// Decodes 32 bytes written as hexadecimal, ignoring surrounding whitespace.
fn decode_key_bytes(text: &str) -> Result<[u8; 32], KeyFormatError> {
    let bytes =
        hex::decode(text.trim()).map_err(|error| KeyFormatError::NotHexadecimal { reason: error.to_string() })?;
    let actual_length = bytes.len();
    bytes.try_into().map_err(|_| KeyFormatError::WrongLength { actual_length })
}

/// The key file contents for a signing key: its 32-byte seed in hexadecimal and a newline.
///
/// This is the secret: whoever holds it can sign tree heads for the log.
pub fn encode_signing_key(signing_key: &SigningKey) -> String {
    format!("{}\n", hex::encode(signing_key.to_bytes()))
}

/// Reads a signing key written by [`encode_signing_key`].
pub fn decode_signing_key(text: &str) -> Result<SigningKey, KeyFormatError> {
    decode_key_bytes(text).map(|seed| SigningKey::from_bytes(&seed))
}

/// The public key file contents: the 32-byte public key in hexadecimal and a newline.
pub fn encode_verifying_key(verifying_key: &VerifyingKey) -> String {
    format!("{}\n", hex::encode(verifying_key.as_bytes()))
}

/// Reads a public key written by [`encode_verifying_key`].
pub fn decode_verifying_key(text: &str) -> Result<VerifyingKey, KeyFormatError> {
    let bytes = decode_key_bytes(text)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| KeyFormatError::NotAPublicKey)
}
