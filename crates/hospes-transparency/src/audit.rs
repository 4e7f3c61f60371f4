//! The whole-log check an auditor runs: replay every leaf, and compare the root at each signed
//! size with what the log signed then.
//!
//! One pass over the leaves in order, O(n) hash operations and O(log n + number of tree heads)
//! memory, so it can stream a log far larger than memory. The first tree head whose root does not
//! match names where the log was altered: the leaves before the last matching tree head are as
//! they were signed, so the alteration lies between that size and the mismatching one.

use ed25519_dalek::VerifyingKey;

use crate::compact_range::{CompactRange, CompactRangeError};
use crate::hash::{Hash, hash_leaf};
use crate::tree_head::{KeyId, SignedTreeHead, TreeHead, TreeHeadSignatureError};

/// The first problem the audit found; the log is not as it was signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogAuditFinding {
    /// A tree head names a key that is not among the trusted keys.
    #[error(
        "the tree head for size {tree_size} (timestamp {timestamp}) is signed by key {key_id}, which is not trusted"
    )]
    UnknownSigningKey {
        /// The tree size in the tree head.
        tree_size: u64,
        /// The tree head's timestamp.
        timestamp: u64,
        /// The key id it names.
        key_id: KeyId,
    },
    /// A tree head's signature does not verify, so it was not issued by the log as it reads now.
    #[error("the tree head for size {tree_size} (timestamp {timestamp}) has an invalid signature: {reason}")]
    InvalidSignature {
        /// The tree size in the tree head.
        tree_size: u64,
        /// The tree head's timestamp.
        timestamp: u64,
        /// Why the signature was refused.
        reason: TreeHeadSignatureError,
    },
    /// The leaves no longer hash to the root the log signed at this size.
    #[error(
        "at tree size {tree_size} the log signed root {signed_root_hash} (timestamp {timestamp}), but its leaves now give {computed_root_hash}: leaves {first_suspect_leaf_index}..{tree_size} were altered"
    )]
    RootMismatch {
        /// The size of the first tree head that does not match.
        tree_size: u64,
        /// That tree head's timestamp.
        timestamp: u64,
        /// The root the log signed.
        signed_root_hash: Hash,
        /// The root the leaves give now.
        computed_root_hash: Hash,
        /// The size of the last tree head that matched, if any; the leaves below it are intact.
        last_matching_tree_size: Option<u64>,
        /// The first leaf that may have been altered: `last_matching_tree_size`, or 0.
        first_suspect_leaf_index: u64,
    },
    /// A tree head covers more leaves than the log holds: leaves were removed from the end.
    #[error(
        "the log signed a tree of {tree_size} leaves (timestamp {timestamp}), but holds only {leaf_count}: leaves were removed"
    )]
    MissingLeaves {
        /// The size the log signed.
        tree_size: u64,
        /// That tree head's timestamp.
        timestamp: u64,
        /// The number of leaves found.
        leaf_count: u64,
    },
    /// More leaves than a `u64` can count; no real log gets here.
    #[error(transparent)]
    CompactRange(#[from] CompactRangeError),
}

/// What a successful audit checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogAuditReport {
    /// The number of leaves replayed.
    pub leaf_count: u64,
    /// The root of all leaves replayed.
    pub root_hash: Hash,
    /// The number of tree heads whose roots matched.
    pub tree_heads_checked: usize,
    /// The largest tree size a tree head vouched for; leaves beyond it are not yet signed.
    pub largest_signed_tree_size: Option<u64>,
}

/// Replays a log leaf by leaf against a set of tree heads; for logs read from storage in a stream.
///
/// ```
/// use hospes_transparency::{LogAuditor, TreeHead, InMemoryLog};
///
/// let mut log = InMemoryLog::new();
/// for leaf in [b"a".as_slice(), b"b", b"c"] {
///     log.append_leaf(leaf).unwrap();
/// }
/// let tree_head = TreeHead { size: 3, root_hash: log.root_hash(), timestamp: 0 };
/// let mut auditor = LogAuditor::new([tree_head]);
/// for leaf in [b"a".as_slice(), b"b", b"c"] {
///     auditor.push_leaf(leaf).unwrap();
/// }
/// assert_eq!(auditor.finish().unwrap().tree_heads_checked, 1);
/// ```
#[derive(Clone, Debug)]
pub struct LogAuditor {
    /// Sorted by size, then timestamp; those before `next_tree_head` are checked.
    tree_heads: Vec<TreeHead>,
    next_tree_head: usize,
    right_edge: CompactRange,
    last_matching_tree_size: Option<u64>,
}

impl LogAuditor {
    /// An auditor for tree heads whose signatures were already checked (or that were never signed).
    pub fn new<I>(tree_heads: I) -> Self
    where
        I: IntoIterator<Item = TreeHead>,
    {
        let mut tree_heads: Vec<TreeHead> = tree_heads.into_iter().collect();
        tree_heads.sort_by_key(|tree_head| (tree_head.size, tree_head.timestamp));
        Self { tree_heads, next_tree_head: 0, right_edge: CompactRange::new(), last_matching_tree_size: None }
    }

    /// An auditor for signed tree heads: first checks every signature, each with the trusted key
    /// its key id names, and reports the first (smallest size) that fails.
    pub fn from_signed_tree_heads(
        signed_tree_heads: &[SignedTreeHead],
        trusted_keys: &[VerifyingKey],
    ) -> Result<Self, LogAuditFinding> {
        let mut in_order: Vec<&SignedTreeHead> = signed_tree_heads.iter().collect();
        in_order.sort_by_key(|signed| (signed.tree_head.size, signed.tree_head.timestamp));
        for signed in &in_order {
            let tree_size = signed.tree_head.size;
            let timestamp = signed.tree_head.timestamp;
            let key = trusted_keys
                .iter()
                .find(|key| KeyId::of(key) == signed.key_id)
                .ok_or(LogAuditFinding::UnknownSigningKey { tree_size, timestamp, key_id: signed.key_id })?;
            signed.verify(key).map_err(|reason| LogAuditFinding::InvalidSignature { tree_size, timestamp, reason })?;
        }
        Ok(Self::new(in_order.into_iter().map(|signed| signed.tree_head)))
    }

    /// The number of leaves replayed so far.
    pub fn leaf_count(&self) -> u64 {
        self.right_edge.size()
    }

    /// Replays the next leaf, given as its leaf hash.
    pub fn push_leaf_hash(&mut self, leaf_hash: Hash) -> Result<(), LogAuditFinding> {
        self.check_tree_heads_at_current_size()?;
        self.right_edge.append(leaf_hash)?;
        self.check_tree_heads_at_current_size()
    }

    /// Replays the next leaf, given as its bytes.
    pub fn push_leaf(&mut self, leaf: &[u8]) -> Result<(), LogAuditFinding> {
        self.push_leaf_hash(hash_leaf(leaf))
    }

    /// Ends the replay: any tree head larger than the log means leaves were removed.
    pub fn finish(mut self) -> Result<LogAuditReport, LogAuditFinding> {
        self.check_tree_heads_at_current_size()?;
        if let Some(beyond) = self.tree_heads.get(self.next_tree_head) {
            return Err(LogAuditFinding::MissingLeaves {
                tree_size: beyond.size,
                timestamp: beyond.timestamp,
                leaf_count: self.right_edge.size(),
            });
        }
        Ok(LogAuditReport {
            leaf_count: self.right_edge.size(),
            root_hash: self.right_edge.root_hash(),
            tree_heads_checked: self.next_tree_head,
            largest_signed_tree_size: self.last_matching_tree_size,
        })
    }

    /// Compares every tree head of exactly the current size with the current root.
    fn check_tree_heads_at_current_size(&mut self) -> Result<(), LogAuditFinding> {
        let size = self.right_edge.size();
        while let Some(tree_head) = self.tree_heads.get(self.next_tree_head) {
            if tree_head.size != size {
                break;
            }
            let computed_root_hash = self.right_edge.root_hash();
            if computed_root_hash != tree_head.root_hash {
                return Err(LogAuditFinding::RootMismatch {
                    tree_size: size,
                    timestamp: tree_head.timestamp,
                    signed_root_hash: tree_head.root_hash,
                    computed_root_hash,
                    last_matching_tree_size: self.last_matching_tree_size,
                    first_suspect_leaf_index: self.last_matching_tree_size.unwrap_or(0),
                });
            }
            self.last_matching_tree_size = Some(size);
            self.next_tree_head += 1;
        }
        Ok(())
    }
}

/// Audits a whole log given its leaf hashes in order and its signed tree heads.
pub fn audit_leaf_hashes<I>(
    leaf_hashes: I,
    signed_tree_heads: &[SignedTreeHead],
    trusted_keys: &[VerifyingKey],
) -> Result<LogAuditReport, LogAuditFinding>
where
    I: IntoIterator<Item = Hash>,
{
    let mut auditor = LogAuditor::from_signed_tree_heads(signed_tree_heads, trusted_keys)?;
    for leaf_hash in leaf_hashes {
        auditor.push_leaf_hash(leaf_hash)?;
    }
    auditor.finish()
}

/// Audits a whole log given its leaves' bytes in order and its signed tree heads.
pub fn audit_leaves<I, L>(
    leaves: I,
    signed_tree_heads: &[SignedTreeHead],
    trusted_keys: &[VerifyingKey],
) -> Result<LogAuditReport, LogAuditFinding>
where
    I: IntoIterator<Item = L>,
    L: AsRef<[u8]>,
{
    audit_leaf_hashes(leaves.into_iter().map(|leaf| hash_leaf(leaf.as_ref())), signed_tree_heads, trusted_keys)
}
