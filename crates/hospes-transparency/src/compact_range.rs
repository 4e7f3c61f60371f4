//! The right edge of the tree: the one hash per perfect subtree that an append needs.
//!
//! A tree of `n` leaves is, read left to right, a sequence of perfect subtrees whose sizes are the
//! powers of two in the binary form of `n` (13 = 8 + 4 + 1). Their hashes, at most 64 of them, are
//! all that is needed to append a leaf and to compute the root, so appending costs O(log n) hash
//! operations and O(log n) memory however long the log is. This is the "compact range" of the
//! transparency literature, and the same list a storage layer can persist to resume appending
//! without rereading the log.

use serde::{Deserialize, Serialize};

use crate::hash::{Hash, empty_tree_hash, hash_children};
use crate::source::{LeafHashes, ProofGenerationError, range_hash};

/// Hashes of the perfect subtrees along the right edge of a tree, largest (leftmost) first.
///
/// Invariant: there is exactly one hash per set bit of `size`. The hash at position `i` covers the
/// leaves from the sum of the larger subtrees' sizes up to the next power-of-two boundary.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "StoredCompactRange", into = "StoredCompactRange")]
pub struct CompactRange {
    size: u64,
    perfect_subtree_hashes: Vec<Hash>,
}

/// The serialised form, checked on the way in so a corrupt file cannot yield a wrong root silently.
#[derive(Serialize, Deserialize)]
struct StoredCompactRange {
    size: u64,
    perfect_subtree_hashes: Vec<Hash>,
}

/// Why a compact range could not be built or extended.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompactRangeError {
    /// A tree of `size` leaves has one perfect subtree per set bit of `size`.
    #[error(
        "a tree of {size} leaves has {expected} perfect subtrees on its right edge, but {actual} hashes were given"
    )]
    WrongHashCount {
        /// The tree size claimed.
        size: u64,
        /// The number of set bits in `size`.
        expected: usize,
        /// The number of hashes given.
        actual: usize,
    },
    /// The tree already holds 2^64 - 1 leaves, the most a `u64` size can describe.
    #[error("the tree is full: it cannot hold more than {} leaves", u64::MAX)]
    TreeFull,
}

/// One perfect subtree: the `2^level` leaves starting at leaf `index * 2^level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubtreePosition {
    /// Height above the leaves; 0 is a single leaf.
    pub level: u32,
    /// Position among the subtrees of the same level, counted from the left from 0.
    pub index: u64,
}

impl TryFrom<StoredCompactRange> for CompactRange {
    type Error = CompactRangeError;

    fn try_from(stored: StoredCompactRange) -> Result<Self, Self::Error> {
        Self::from_parts(stored.size, stored.perfect_subtree_hashes)
    }
}

impl From<CompactRange> for StoredCompactRange {
    fn from(range: CompactRange) -> Self {
        Self { size: range.size, perfect_subtree_hashes: range.perfect_subtree_hashes }
    }
}

impl CompactRange {
    /// The right edge of the empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Restores a compact range persisted as its size and its hashes (largest subtree first).
    pub fn from_parts(size: u64, perfect_subtree_hashes: Vec<Hash>) -> Result<Self, CompactRangeError> {
        let expected = size.count_ones() as usize;
        if perfect_subtree_hashes.len() != expected {
            return Err(CompactRangeError::WrongHashCount { size, expected, actual: perfect_subtree_hashes.len() });
        }
        Ok(Self { size, perfect_subtree_hashes })
    }

    /// Rebuilds the right edge by appending every leaf hash in order: O(n) hash operations.
    pub fn from_leaf_hashes<I>(leaf_hashes: I) -> Result<Self, CompactRangeError>
    where
        I: IntoIterator<Item = Hash>,
    {
        let mut range = Self::new();
        for leaf_hash in leaf_hashes {
            range.append(leaf_hash)?;
        }
        Ok(range)
    }

    /// Rebuilds the right edge of the first `size` leaves of a source by computing each of its
    /// perfect subtrees.
    ///
    /// Costs O(n) hash operations from leaf hashes alone, and O(log n) lookups when the source
    /// stores (or caches) the subtree hashes.
    pub fn from_source<S>(source: &S, size: u64) -> Result<Self, ProofGenerationError<S::Error>>
    where
        S: LeafHashes + ?Sized,
    {
        if size > source.size() {
            return Err(ProofGenerationError::TreeSizeBeyondSource {
                requested_tree_size: size,
                source_tree_size: source.size(),
            });
        }
        let mut perfect_subtree_hashes = Vec::with_capacity(size.count_ones() as usize);
        let mut start = 0_u64;
        for level in (0..u64::BITS).rev() {
            let subtree_size = 1_u64 << level;
            if size & subtree_size != 0 {
                let end = start + subtree_size;
                perfect_subtree_hashes.push(range_hash(source, start, end).map_err(ProofGenerationError::Source)?);
                start = end;
            }
        }
        Ok(Self { size, perfect_subtree_hashes })
    }

    /// The number of leaves in the tree.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The hashes to persist, largest (leftmost) subtree first; one per set bit of [`Self::size`].
    pub fn perfect_subtree_hashes(&self) -> &[Hash] {
        &self.perfect_subtree_hashes
    }

    /// The Merkle Tree Hash of all leaves appended so far, in O(log n) hash operations.
    ///
    /// Folding from the right reproduces RFC 9162's recursion, which always splits off the largest
    /// power of two on the left.
    pub fn root_hash(&self) -> Hash {
        match self.perfect_subtree_hashes.split_last() {
            None => empty_tree_hash(),
            Some((smallest, larger)) => larger.iter().rev().fold(*smallest, |right, left| hash_children(left, &right)),
        }
    }

    /// Appends one leaf hash and returns the leaf's index; O(log n) hash operations.
    pub fn append(&mut self, leaf_hash: Hash) -> Result<u64, CompactRangeError> {
        self.append_reporting_completed_subtrees(leaf_hash, |_, _| {})
    }

    /// Appends one leaf hash and calls `report` for every perfect subtree this append completes,
    /// the leaf itself (level 0) first, then each merged subtree upwards.
    ///
    /// A storage layer can keep these interior hashes so that proofs later read O(log n) stored
    /// nodes instead of recomputing subtrees from leaves.
    pub fn append_reporting_completed_subtrees<F>(
        &mut self,
        leaf_hash: Hash,
        mut report: F,
    ) -> Result<u64, CompactRangeError>
    where
        F: FnMut(SubtreePosition, &Hash),
    {
        let leaf_index = self.size;
        let new_size = leaf_index.checked_add(1).ok_or(CompactRangeError::TreeFull)?;
        // Each trailing one bit of the old size is a perfect subtree of the same size as the one
        // being carried up, so the two merge, as in binary addition.
        let merges = leaf_index.trailing_ones() as usize;
        let keep = self.perfect_subtree_hashes.len().saturating_sub(merges);
        let merged_away = self.perfect_subtree_hashes.split_off(keep);

        let mut position = SubtreePosition { level: 0, index: leaf_index };
        let mut carried = leaf_hash;
        report(position, &carried);
        for left in merged_away.iter().rev() {
            carried = hash_children(left, &carried);
            position = SubtreePosition { level: position.level + 1, index: position.index >> 1 };
            report(position, &carried);
        }
        self.perfect_subtree_hashes.push(carried);
        self.size = new_size;
        Ok(leaf_index)
    }
}
