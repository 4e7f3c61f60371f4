//! A complete log held in memory: leaf hashes, right edge and subtree cache together.
//!
//! For tests, examples and small deployments; a database-backed log implements [`LeafHashes`]
//! over its own tables and keeps a [`CompactRange`] (and, if it likes, a [`PerfectSubtreeCache`]).

use crate::compact_range::{CompactRange, CompactRangeError, SubtreePosition};
use crate::hash::{Hash, hash_leaf};
use crate::proof::{ConsistencyProof, InclusionProof};
use crate::source::{LeafHashes, MissingLeafHash, PerfectSubtreeCache, ProofGenerationError, root_hash_at};
use crate::tree_head::TreeHead;

/// An append-only Merkle tree log in memory, with O(log n) appends and fast proofs.
#[derive(Clone, Debug)]
pub struct InMemoryLog {
    leaf_hashes: Vec<Hash>,
    cache: PerfectSubtreeCache,
}

impl Default for InMemoryLog {
    fn default() -> Self {
        Self::new()
    }
}

impl InMemoryLog {
    /// An empty log caching subtrees of 64 leaves and more.
    pub fn new() -> Self {
        Self::with_lowest_cached_level(PerfectSubtreeCache::DEFAULT_LOWEST_CACHED_LEVEL)
    }

    /// An empty log caching subtrees of `2^lowest_cached_level` leaves and more (level 0 keeps a
    /// second copy of every leaf hash; see [`PerfectSubtreeCache`] for the trade-off).
    pub fn with_lowest_cached_level(lowest_cached_level: u32) -> Self {
        Self { leaf_hashes: Vec::new(), cache: PerfectSubtreeCache::new(lowest_cached_level) }
    }

    /// Appends a leaf given as bytes and returns its index.
    pub fn append_leaf(&mut self, leaf: &[u8]) -> Result<u64, CompactRangeError> {
        self.append_leaf_hash(hash_leaf(leaf))
    }

    /// Appends a leaf given as its leaf hash and returns its index.
    pub fn append_leaf_hash(&mut self, leaf_hash: Hash) -> Result<u64, CompactRangeError> {
        let index = self.cache.append_leaf_hash(leaf_hash)?;
        self.leaf_hashes.push(leaf_hash);
        Ok(index)
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.cache.size()
    }

    /// The current root hash, from the right edge: O(log n).
    pub fn root_hash(&self) -> Hash {
        self.cache.compact_range().root_hash()
    }

    /// The current tree head, stamped with `timestamp` (milliseconds since the Unix epoch).
    pub fn tree_head(&self, timestamp: u64) -> TreeHead {
        TreeHead { size: self.size(), root_hash: self.root_hash(), timestamp }
    }

    /// The root hash the log had when it held `tree_size` leaves.
    pub fn root_hash_at(&self, tree_size: u64) -> Result<Hash, ProofGenerationError<MissingLeafHash>> {
        root_hash_at(self, tree_size)
    }

    /// The inclusion proof of leaf `leaf_index` in the tree of `tree_size` leaves.
    pub fn inclusion_proof(
        &self,
        leaf_index: u64,
        tree_size: u64,
    ) -> Result<InclusionProof, ProofGenerationError<MissingLeafHash>> {
        InclusionProof::generate(self, leaf_index, tree_size)
    }

    /// The consistency proof from the tree of `first_tree_size` leaves to that of
    /// `second_tree_size` leaves.
    pub fn consistency_proof(
        &self,
        first_tree_size: u64,
        second_tree_size: u64,
    ) -> Result<ConsistencyProof, ProofGenerationError<MissingLeafHash>> {
        ConsistencyProof::generate(self, first_tree_size, second_tree_size)
    }

    /// All leaf hashes, in order.
    pub fn leaf_hashes(&self) -> &[Hash] {
        &self.leaf_hashes
    }

    /// The right edge, to persist alongside the leaves.
    pub fn compact_range(&self) -> &CompactRange {
        self.cache.compact_range()
    }

    /// The subtree cache.
    pub fn cache(&self) -> &PerfectSubtreeCache {
        &self.cache
    }
}

impl LeafHashes for InMemoryLog {
    type Error = MissingLeafHash;

    fn size(&self) -> u64 {
        self.leaf_hashes.as_slice().size()
    }

    fn leaf_hash(&self, index: u64) -> Result<Hash, Self::Error> {
        self.leaf_hashes.as_slice().leaf_hash(index)
    }

    fn stored_subtree_hash(&self, level: u32, index: u64) -> Result<Option<Hash>, Self::Error> {
        Ok(self.cache.get(SubtreePosition { level, index }))
    }
}
