//! The Hospes audit log as a Merkle tree, in the manner of Certificate Transparency
//! (RFC 6962 and its successor RFC 9162).
//!
//! **For an auditor.** Every read of person data is appended to the log as a leaf, and leaves are
//! never changed or removed. The log hashes all its leaves into a single 32-byte root hash (a
//! SHA-256 Merkle tree, computed exactly as RFC 9162 §2.1 prescribes, so any independent
//! implementation gets the same value) and, from time to time, signs a *tree head*: "my first
//! `size` leaves have root `root_hash`, at `timestamp`", with an Ed25519 key whose public half you
//! hold. Changing, inserting or deleting any leaf changes every later root, so a tree head is a
//! commitment to the whole history up to its size. With the public key and the tree heads you
//! collected you can check three things without trusting the log's operator: that a given leaf is
//! in the log (an *inclusion proof*, about 20 hashes for a million leaves), that a newer tree head
//! extends an older one by appending only (a *consistency proof*), and, given the leaves
//! themselves, that the whole log still hashes to every tree head ever signed ([`audit_leaves`]),
//! which names the first tree head that no longer matches and so the range of leaves that was
//! altered.
//!
//! **For a developer.** The crate does no IO. Storage provides leaf hashes through the
//! [`LeafHashes`] trait (and, optionally, stored interior node hashes); the log's right edge
//! ([`CompactRange`]) makes appends O(log n); a [`PerfectSubtreeCache`] makes proofs over millions
//! of leaves take microseconds; [`InMemoryLog`] puts these together for tests and small logs.
//! The signing input of a tree head and the key file format are documented in [`tree_head`].

pub mod audit;
pub mod compact_range;
pub mod hash;
pub mod memory_log;
pub mod proof;
pub mod source;
pub mod tree_head;

pub use audit::{LogAuditFinding, LogAuditReport, LogAuditor, audit_leaf_hashes, audit_leaves};
pub use compact_range::{CompactRange, CompactRangeError, SubtreePosition};
pub use hash::{
    HASH_LENGTH, Hash, HashParseError, LEAF_HASH_PREFIX, NODE_HASH_PREFIX, empty_tree_hash, hash_children, hash_leaf,
};
pub use memory_log::InMemoryLog;
pub use proof::{
    ConsistencyProof, InclusionProof, ProofVerificationError, consistency_path_length, inclusion_path_length,
    root_from_inclusion_path, verify_consistency, verify_inclusion,
};
pub use source::{
    CachedLeafHashes, LeafHashes, MissingLeafHash, PerfectSubtreeCache, ProofGenerationError, merkle_tree_hash,
    root_hash_at,
};
pub use tree_head::{
    KeyFormatError, KeyId, SignedTreeHead, TREE_HEAD_SIGNING_INPUT_LENGTH, TREE_HEAD_SIGNING_INPUT_VERSION, TreeHead,
    TreeHeadSignature, TreeHeadSignatureError, decode_signing_key, decode_verifying_key, encode_signing_key,
    encode_verifying_key, generate_signing_key, generate_signing_key_with,
};

/// The Ed25519 key types used for tree heads, re-exported so callers need not depend on
/// `ed25519-dalek` themselves.
pub use ed25519_dalek::{SigningKey, VerifyingKey};
