//! SHA-256 hashing with RFC 9162 §2.1.1's domain separation between leaves and interior nodes.
//!
//! The one-byte prefixes make a leaf hash and an interior node hash different things even when their
//! inputs are the same bytes, so nobody can pass an interior node off as a leaf (a second-preimage
//! attack on the tree).

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// Length in bytes of every hash in the tree (SHA-256).
pub const HASH_LENGTH: usize = 32;

/// Prefix byte hashed before a leaf's bytes (RFC 9162 §2.1.1).
pub const LEAF_HASH_PREFIX: u8 = 0x00;

/// Prefix byte hashed before the two child hashes of an interior node (RFC 9162 §2.1.1).
pub const NODE_HASH_PREFIX: u8 = 0x01;

/// A SHA-256 value: a leaf hash, an interior node hash or a root hash.
///
/// Displayed, parsed and serialised as 64 lowercase hexadecimal characters, the form auditors
/// compare by eye.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash([u8; HASH_LENGTH]);

/// Why bytes or text could not be read as a [`Hash`](struct@Hash).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashParseError {
    /// The input had a length other than 32 bytes (64 hexadecimal characters).
    #[error("a hash is {HASH_LENGTH} bytes long, this one is {actual_length} bytes")]
    WrongLength {
        /// The number of bytes found.
        actual_length: usize,
    },
    /// The text was not hexadecimal.
    #[error("a hash is written as hexadecimal: {reason}")]
    NotHexadecimal {
        /// What the hexadecimal decoder objected to.
        reason: String,
    },
}

impl Hash {
    /// Wraps 32 bytes that are already a hash.
    pub const fn from_bytes(bytes: [u8; HASH_LENGTH]) -> Self {
        Self(bytes)
    }

    /// Reads a hash from a slice of untrusted length.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, HashParseError> {
        let array: [u8; HASH_LENGTH] =
            bytes.try_into().map_err(|_| HashParseError::WrongLength { actual_length: bytes.len() })?;
        Ok(Self(array))
    }

    /// Reads a hash from 64 hexadecimal characters (either case).
    pub fn from_hex(text: &str) -> Result<Self, HashParseError> {
        let bytes = hex::decode(text).map_err(|error| HashParseError::NotHexadecimal { reason: error.to_string() })?;
        Self::from_slice(&bytes)
    }

    /// The 32 bytes of the hash.
    pub const fn as_bytes(&self) -> &[u8; HASH_LENGTH] {
        &self.0
    }

    /// The 32 bytes of the hash, by value.
    pub const fn to_bytes(self) -> [u8; HASH_LENGTH] {
        self.0
    }

    /// The hash as 64 lowercase hexadecimal characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl AsRef<[u8]> for Hash {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<[u8; HASH_LENGTH]> for Hash {
    fn from(bytes: [u8; HASH_LENGTH]) -> Self {
        Self(bytes)
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(formatter, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "Hash({self})")
    }
}

impl FromStr for Hash {
    type Err = HashParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::from_hex(text)
    }
}

impl Serialize for Hash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HashVisitor;

        impl Visitor<'_> for HashVisitor {
            type Value = Hash;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a SHA-256 hash as 64 hexadecimal characters")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Hash, E> {
                Hash::from_hex(text).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(HashVisitor)
    }
}

/// The leaf hash of RFC 9162 §2.1.1: SHA-256(0x00 ‖ leaf bytes).
pub fn hash_leaf(leaf: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([LEAF_HASH_PREFIX]);
    hasher.update(leaf);
    Hash(hasher.finalize().into())
}

/// The interior node hash of RFC 9162 §2.1.1: SHA-256(0x01 ‖ left ‖ right).
pub fn hash_children(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([NODE_HASH_PREFIX]);
    hasher.update(left.0);
    hasher.update(right.0);
    Hash(hasher.finalize().into())
}

/// The Merkle Tree Hash of the empty list: SHA-256 of the empty string (RFC 9162 §2.1.1).
pub fn empty_tree_hash() -> Hash {
    Hash(Sha256::digest([]).into())
}

/// The largest power of two strictly smaller than `length`: where RFC 9162 splits a list of
/// `length` leaves into its left and right subtrees.
///
/// Only meaningful for `length >= 2`; smaller inputs give 1 rather than panicking.
pub(crate) fn split_point(length: u64) -> u64 {
    1_u64 << length.saturating_sub(1).max(1).ilog2()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_point_is_the_largest_power_of_two_strictly_below() {
        for (length, expected) in [
            (2, 1),
            (3, 2),
            (4, 2),
            (5, 4),
            (8, 4),
            (9, 8),
            (1000, 512),
            (1 << 40, 1 << 39),
            ((1 << 40) + 1, 1 << 40),
            (u64::MAX, 1 << 63),
        ] {
            assert_eq!(split_point(length), expected, "length {length}");
        }
    }

    #[test]
    fn hash_text_round_trips_and_rejects_wrong_lengths() {
        let hash = hash_leaf(b"x");
        assert_eq!(Hash::from_hex(&hash.to_string()), Ok(hash));
        assert_eq!(Hash::from_hex("abcd"), Err(HashParseError::WrongLength { actual_length: 2 }));
        assert!(matches!(Hash::from_hex("zz"), Err(HashParseError::NotHexadecimal { .. })));
        assert_eq!(Hash::from_slice(&[0; 33]), Err(HashParseError::WrongLength { actual_length: 33 }));
    }
}
