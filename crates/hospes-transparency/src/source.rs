//! Where the tree's hashes come from: the [`LeafHashes`] trait that storage implements, on-demand
//! subtree hashing over it, and an optional in-memory cache of perfect-subtree hashes.
//!
//! # Cost of computing a subtree hash
//!
//! A subtree hash over `k` leaves costs `k` leaf reads and `k - 1` hash operations when computed
//! from leaves alone. Whenever the recursion meets a perfect, aligned subtree it first asks
//! [`LeafHashes::stored_subtree_hash`]; a source that answers for every subtree of `2^L` leaves or
//! more (a database table of interior nodes, or a [`PerfectSubtreeCache`]) bounds any subtree hash
//! the proofs need to O(2^L + log n) work.

use crate::compact_range::{CompactRange, CompactRangeError, SubtreePosition};
use crate::hash::{Hash, empty_tree_hash, hash_children, split_point};

/// Read access to a log's leaf hashes, which is all proof generation needs.
///
/// Storage implements this over its table of leaves; the slice and `Vec` implementations serve
/// tests and small logs.
pub trait LeafHashes {
    /// What reading from the underlying storage can fail with.
    type Error: std::error::Error + 'static;

    /// The number of leaves available.
    fn size(&self) -> u64;

    /// The leaf hash (not the leaf bytes) at `index`, which is below [`Self::size`].
    fn leaf_hash(&self, index: u64) -> Result<Hash, Self::Error>;

    /// The hash of the perfect subtree of `2^level` leaves starting at leaf `index * 2^level`, if
    /// the source stores or caches it; `Ok(None)` makes the caller compute it from its children.
    ///
    /// Only complete subtrees are asked for, and those never change in an append-only log, so any
    /// stored value stays valid forever. It is asked for every perfect subtree the recursion
    /// meets, small ones included, so an implementation backed by a database should answer
    /// `Ok(None)` at once for levels it does not store. The default stores nothing.
    fn stored_subtree_hash(&self, level: u32, index: u64) -> Result<Option<Hash>, Self::Error> {
        let _ = (level, index);
        Ok(None)
    }
}

impl<T: LeafHashes + ?Sized> LeafHashes for &T {
    type Error = T::Error;

    fn size(&self) -> u64 {
        (**self).size()
    }

    fn leaf_hash(&self, index: u64) -> Result<Hash, Self::Error> {
        (**self).leaf_hash(index)
    }

    fn stored_subtree_hash(&self, level: u32, index: u64) -> Result<Option<Hash>, Self::Error> {
        (**self).stored_subtree_hash(level, index)
    }
}

/// An in-memory source was asked for a leaf it does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("there is no leaf {index} in a log of {size} leaves")]
pub struct MissingLeafHash {
    /// The index asked for.
    pub index: u64,
    /// The number of leaves held.
    pub size: u64,
}

impl LeafHashes for [Hash] {
    type Error = MissingLeafHash;

    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn leaf_hash(&self, index: u64) -> Result<Hash, Self::Error> {
        usize::try_from(index)
            .ok()
            .and_then(|position| self.get(position))
            .copied()
            .ok_or(MissingLeafHash { index, size: self.len() as u64 })
    }
}

impl LeafHashes for Vec<Hash> {
    type Error = MissingLeafHash;

    fn size(&self) -> u64 {
        self.as_slice().size()
    }

    fn leaf_hash(&self, index: u64) -> Result<Hash, Self::Error> {
        self.as_slice().leaf_hash(index)
    }
}

/// Why a root, proof or compact range could not be produced from a source.
#[derive(Debug, thiserror::Error)]
pub enum ProofGenerationError<E: std::error::Error + 'static> {
    /// The leaf asked about is not in the tree of the size asked about.
    #[error("leaf index {leaf_index} is outside a tree of size {tree_size}")]
    LeafIndexOutOfRange {
        /// The leaf asked about.
        leaf_index: u64,
        /// The tree size asked about.
        tree_size: u64,
    },
    /// The tree size asked about is larger than the log the source holds.
    #[error("a tree of size {requested_tree_size} was asked for, but the log holds {source_tree_size} leaves")]
    TreeSizeBeyondSource {
        /// The tree size asked about.
        requested_tree_size: u64,
        /// The number of leaves the source holds.
        source_tree_size: u64,
    },
    /// RFC 9162 defines no consistency proof from the empty tree: it is a prefix of every tree.
    #[error("there is no consistency proof from the empty tree: it is a prefix of every tree")]
    FirstTreeEmpty,
    /// A consistency proof needs the first tree to be no larger than the second.
    #[error("first tree size {first_tree_size} is larger than second tree size {second_tree_size}")]
    FirstSizeExceedsSecond {
        /// The first (older) tree size.
        first_tree_size: u64,
        /// The second (newer) tree size.
        second_tree_size: u64,
    },
    /// A range of leaves asked for is empty or reversed.
    #[error("leaf range {start}..{end} is not a non-empty range")]
    InvalidRange {
        /// First leaf of the range.
        start: u64,
        /// One past the last leaf of the range.
        end: u64,
    },
    /// The in-memory right edge refused the leaf (only when the tree would pass 2^64 - 1 leaves).
    #[error(transparent)]
    CompactRange(#[from] CompactRangeError),
    /// The source failed to read a hash.
    #[error("reading the log failed")]
    Source(#[source] E),
}

/// The Merkle Tree Hash of leaves `start..end`, which the caller guarantees is non-empty and
/// within the source. Asks the source for stored hashes of perfect aligned subtrees before
/// recursing into them.
pub(crate) fn range_hash<S>(source: &S, start: u64, end: u64) -> Result<Hash, S::Error>
where
    S: LeafHashes + ?Sized,
{
    let length = end.saturating_sub(start);
    if length <= 1 {
        return source.leaf_hash(start);
    }
    if length.is_power_of_two() && start.is_multiple_of(length) {
        let level = length.trailing_zeros();
        if let Some(stored) = source.stored_subtree_hash(level, start >> level)? {
            return Ok(stored);
        }
    }
    let middle = start + split_point(length);
    let left = range_hash(source, start, middle)?;
    let right = range_hash(source, middle, end)?;
    Ok(hash_children(&left, &right))
}

/// The Merkle Tree Hash (RFC 9162 §2.1.1) of leaves `start..end` of a source; the empty range
/// `0..0` gives the empty tree's hash.
pub fn merkle_tree_hash<S>(source: &S, start: u64, end: u64) -> Result<Hash, ProofGenerationError<S::Error>>
where
    S: LeafHashes + ?Sized,
{
    if end > source.size() {
        return Err(ProofGenerationError::TreeSizeBeyondSource {
            requested_tree_size: end,
            source_tree_size: source.size(),
        });
    }
    if start == 0 && end == 0 {
        return Ok(empty_tree_hash());
    }
    if start >= end {
        return Err(ProofGenerationError::InvalidRange { start, end });
    }
    range_hash(source, start, end).map_err(ProofGenerationError::Source)
}

/// The root hash of the tree made of the first `tree_size` leaves of a source: how an older tree
/// head is recomputed.
pub fn root_hash_at<S>(source: &S, tree_size: u64) -> Result<Hash, ProofGenerationError<S::Error>>
where
    S: LeafHashes + ?Sized,
{
    merkle_tree_hash(source, 0, tree_size)
}

/// An in-memory cache of the hashes of every perfect subtree of at least `2^lowest_cached_level`
/// leaves, filled as leaves are appended.
///
/// With it, any subtree hash a proof needs costs O(2^L + log n) instead of O(n), where L is the
/// lowest cached level: an inclusion or consistency proof in a tree of a million leaves takes
/// microseconds rather than a second. Memory is about `2 n / 2^L` hashes of 32 bytes: 1 MiB for a
/// million leaves at the default level 6.
///
/// Perfect subtrees never change once complete, so the cache stays valid for every later tree
/// size. It must be fed the same leaf hashes, in the same order, as the source it is used with.
#[derive(Clone, Debug)]
pub struct PerfectSubtreeCache {
    lowest_cached_level: u32,
    right_edge: CompactRange,
    /// `levels[k]` holds the hashes of level `lowest_cached_level + k`, left to right.
    levels: Vec<Vec<Hash>>,
}

impl PerfectSubtreeCache {
    /// The default lowest cached level: subtrees of 64 leaves and more.
    pub const DEFAULT_LOWEST_CACHED_LEVEL: u32 = 6;

    /// An empty cache keeping subtrees of `2^lowest_cached_level` leaves and more; level 0 keeps
    /// every leaf hash as well.
    pub fn new(lowest_cached_level: u32) -> Self {
        Self {
            lowest_cached_level: lowest_cached_level.min(u64::BITS - 1),
            right_edge: CompactRange::new(),
            levels: Vec::new(),
        }
    }

    /// Builds a cache by reading every leaf of the source in order: O(n) hash operations.
    pub fn build<S>(source: &S, lowest_cached_level: u32) -> Result<Self, ProofGenerationError<S::Error>>
    where
        S: LeafHashes + ?Sized,
    {
        let mut cache = Self::new(lowest_cached_level);
        for index in 0..source.size() {
            let leaf_hash = source.leaf_hash(index).map_err(ProofGenerationError::Source)?;
            cache.append_leaf_hash(leaf_hash)?;
        }
        Ok(cache)
    }

    /// Records the next leaf hash of the log; O(log n).
    pub fn append_leaf_hash(&mut self, leaf_hash: Hash) -> Result<u64, CompactRangeError> {
        let lowest = self.lowest_cached_level;
        let levels = &mut self.levels;
        self.right_edge.append_reporting_completed_subtrees(leaf_hash, |position, hash| {
            if position.level < lowest {
                return;
            }
            let slot = (position.level - lowest) as usize;
            if levels.len() <= slot {
                levels.resize_with(slot + 1, Vec::new);
            }
            if let Some(level) = levels.get_mut(slot) {
                level.push(*hash);
            }
        })
    }

    /// The number of leaves recorded.
    pub fn size(&self) -> u64 {
        self.right_edge.size()
    }

    /// The right edge of the leaves recorded, whose root is the current tree's root.
    pub fn compact_range(&self) -> &CompactRange {
        &self.right_edge
    }

    /// The lowest level kept.
    pub fn lowest_cached_level(&self) -> u32 {
        self.lowest_cached_level
    }

    /// The number of hashes held, to judge memory use (32 bytes each).
    pub fn cached_hash_count(&self) -> usize {
        self.levels.iter().map(Vec::len).sum()
    }

    /// The cached hash of a complete perfect subtree, if that level is cached and the subtree is
    /// complete.
    pub fn get(&self, position: SubtreePosition) -> Option<Hash> {
        let slot = position.level.checked_sub(self.lowest_cached_level)? as usize;
        let index = usize::try_from(position.index).ok()?;
        self.levels.get(slot)?.get(index).copied()
    }

    /// A source that answers subtree questions from this cache first, then from `source`.
    pub fn over<'a, S>(&'a self, source: &'a S) -> CachedLeafHashes<'a, S>
    where
        S: LeafHashes + ?Sized,
    {
        CachedLeafHashes { cache: self, source }
    }
}

/// A [`LeafHashes`] source with a [`PerfectSubtreeCache`] in front of it; see
/// [`PerfectSubtreeCache::over`].
#[derive(Clone, Copy, Debug)]
pub struct CachedLeafHashes<'a, S: ?Sized> {
    cache: &'a PerfectSubtreeCache,
    source: &'a S,
}

impl<S> LeafHashes for CachedLeafHashes<'_, S>
where
    S: LeafHashes + ?Sized,
{
    type Error = S::Error;

    fn size(&self) -> u64 {
        self.source.size()
    }

    fn leaf_hash(&self, index: u64) -> Result<Hash, Self::Error> {
        match self.cache.get(SubtreePosition { level: 0, index }) {
            Some(hash) => Ok(hash),
            None => self.source.leaf_hash(index),
        }
    }

    fn stored_subtree_hash(&self, level: u32, index: u64) -> Result<Option<Hash>, Self::Error> {
        match self.cache.get(SubtreePosition { level, index }) {
            Some(hash) => Ok(Some(hash)),
            None => self.source.stored_subtree_hash(level, index),
        }
    }
}
