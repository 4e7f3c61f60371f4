#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The efficient code against the naive RFC 9162 transcription in `rfc_reference`, on random
//! trees: roots, inclusion proofs and consistency proofs must be byte-for-byte equal, must verify,
//! and must stop verifying when anything about them is changed.

mod rfc_reference;

use hospes_transparency::{
    CompactRange, ConsistencyProof, Hash, InMemoryLog, InclusionProof, PerfectSubtreeCache, ProofGenerationError,
    ProofVerificationError, consistency_path_length, hash_leaf, inclusion_path_length, root_hash_at,
    verify_consistency, verify_inclusion,
};
use proptest::prelude::*;
use rfc_reference::ReferenceHash;

/// Distinct leaves of varied lengths derived from a seed, so every case is reproducible. They are
/// distinct on purpose: with two equal neighbouring leaves, one proof is honestly valid for both.
fn make_leaves(count: usize, seed: u64) -> Vec<Vec<u8>> {
    (0..count)
        .map(|index| {
            let mixed = (index as u64 ^ seed).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let padding = (mixed % 7) as usize;
            let mut leaf = seed.to_le_bytes()[..padding].to_vec();
            leaf.extend_from_slice(&(index as u64).to_be_bytes());
            leaf
        })
        .collect()
}

fn leaf_hashes(leaves: &[Vec<u8>]) -> Vec<Hash> {
    leaves.iter().map(|leaf| hash_leaf(leaf)).collect()
}

fn as_reference(hashes: &[Hash]) -> Vec<ReferenceHash> {
    hashes.iter().map(|hash| hash.to_bytes()).collect()
}

fn flip_bit(hash: &Hash, byte: usize, bit: u8) -> Hash {
    let mut bytes = hash.to_bytes();
    bytes[byte] ^= 1 << bit;
    Hash::from_bytes(bytes)
}

fn tree_and_indices() -> impl Strategy<Value = (usize, usize, u64)> {
    (1_usize..2000, any::<u64>()).prop_flat_map(|(size, seed)| (Just(size), 0..size, Just(seed)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn roots_match_the_reference((size, _, seed) in tree_and_indices()) {
        let leaves = make_leaves(size, seed);
        let hashes = leaf_hashes(&leaves);
        let expected = rfc_reference::mth(&leaves);

        let range = CompactRange::from_leaf_hashes(hashes.iter().copied()).unwrap();
        prop_assert_eq!(range.root_hash().to_bytes(), expected);
        prop_assert_eq!(root_hash_at(&hashes, size as u64).unwrap().to_bytes(), expected);
        let rebuilt = CompactRange::from_source(&hashes, size as u64).unwrap();
        prop_assert_eq!(&rebuilt, &range);
        let restored =
            CompactRange::from_parts(size as u64, range.perfect_subtree_hashes().to_vec()).unwrap();
        prop_assert_eq!(restored.root_hash().to_bytes(), expected);
    }

    #[test]
    fn inclusion_proofs_match_the_reference_and_resist_tampering(
        (size, leaf_index, seed) in tree_and_indices(),
        tampered_size in 1_u64..4000,
        lowest_cached_level in 0_u32..8,
    ) {
        let leaves = make_leaves(size, seed);
        let hashes = leaf_hashes(&leaves);
        let root = Hash::from_bytes(rfc_reference::mth(&leaves));
        let leaf_hash = hashes[leaf_index];
        let (index, tree_size) = (leaf_index as u64, size as u64);

        let proof = InclusionProof::generate(&hashes, index, tree_size).unwrap();
        prop_assert_eq!(as_reference(&proof.path), rfc_reference::path(leaf_index, &leaves));
        prop_assert_eq!(Some(proof.path.len()), inclusion_path_length(index, tree_size));
        prop_assert_eq!(proof.verify(&leaf_hash, &root), Ok(()));

        let cache = PerfectSubtreeCache::build(&hashes, lowest_cached_level).unwrap();
        let cached = InclusionProof::generate(&cache.over(&hashes), index, tree_size).unwrap();
        prop_assert_eq!(&cached, &proof);

        // Every bit of every proof element, of the leaf hash and of the root matters.
        for (position, element) in proof.path.iter().enumerate() {
            for byte in 0..32 {
                let mut path = proof.path.clone();
                path[position] = flip_bit(element, byte, (byte % 8) as u8);
                prop_assert!(verify_inclusion(&leaf_hash, index, tree_size, &path, &root).is_err());
            }
        }
        for byte in 0..32 {
            let bit = (byte % 8) as u8;
            prop_assert!(proof.verify(&flip_bit(&leaf_hash, byte, bit), &root).is_err());
            let outcome = proof.verify(&leaf_hash, &flip_bit(&root, byte, bit));
            prop_assert!(
                matches!(outcome, Err(ProofVerificationError::RootMismatch { .. })),
                "{:?}",
                outcome
            );
        }
        // Removing, adding or reordering elements fails.
        if let Some((_, shorter)) = proof.path.split_last() {
            let outcome = verify_inclusion(&leaf_hash, index, tree_size, shorter, &root);
            prop_assert!(
                matches!(outcome, Err(ProofVerificationError::WrongProofLength { .. })),
                "{:?}",
                outcome
            );
        }
        let mut longer = proof.path.clone();
        longer.push(root);
        let outcome = verify_inclusion(&leaf_hash, index, tree_size, &longer, &root);
        prop_assert!(
            matches!(outcome, Err(ProofVerificationError::WrongProofLength { .. })),
            "{:?}",
            outcome
        );
        if proof.path.len() > 1 && proof.path[0] != proof.path[1] {
            let mut swapped = proof.path.clone();
            swapped.swap(0, 1);
            prop_assert!(verify_inclusion(&leaf_hash, index, tree_size, &swapped, &root).is_err());
        }
        // Every other leaf index fails: a tree has one path from the root to each leaf.
        for other_index in [index.wrapping_sub(1), index + 1, index ^ 1, index ^ 2, tree_size] {
            if other_index != index {
                prop_assert!(verify_inclusion(&leaf_hash, other_index, tree_size, &proof.path, &root).is_err());
            }
        }
        // Another tree size can only pass where the RFC's PATH recursion combines the very same
        // elements the very same way (see the crate documentation: the signed tree head binds the
        // size); anywhere else it fails.
        if tampered_size != tree_size {
            let outcome = verify_inclusion(&leaf_hash, index, tampered_size, &proof.path, &root);
            if outcome.is_ok() {
                prop_assert_eq!(
                    rfc_reference::inclusion_shape(leaf_index, tampered_size as usize),
                    rfc_reference::inclusion_shape(leaf_index, size)
                );
            }
        }
    }

    #[test]
    fn consistency_proofs_match_the_reference_and_resist_tampering(
        (second_size, first_index, seed) in tree_and_indices(),
        tampered_first in 1_u64..2000,
        tampered_second in 1_u64..4000,
        lowest_cached_level in 0_u32..8,
    ) {
        let first_size = first_index + 1;
        let leaves = make_leaves(second_size, seed);
        let hashes = leaf_hashes(&leaves);
        let first_root = Hash::from_bytes(rfc_reference::mth(&leaves[..first_size]));
        let second_root = Hash::from_bytes(rfc_reference::mth(&leaves));
        let (first, second) = (first_size as u64, second_size as u64);

        let proof = ConsistencyProof::generate(&hashes, first, second).unwrap();
        prop_assert_eq!(as_reference(&proof.path), rfc_reference::proof(first_size, &leaves));
        prop_assert_eq!(Some(proof.path.len()), consistency_path_length(first, second));
        prop_assert_eq!(proof.verify(&first_root, &second_root), Ok(()));

        let cache = PerfectSubtreeCache::build(&hashes, lowest_cached_level).unwrap();
        let cached = ConsistencyProof::generate(&cache.over(&hashes), first, second).unwrap();
        prop_assert_eq!(&cached, &proof);

        if first == second {
            prop_assert!(proof.path.is_empty());
            return Ok(());
        }
        for (position, element) in proof.path.iter().enumerate() {
            for byte in 0..32 {
                let mut path = proof.path.clone();
                path[position] = flip_bit(element, byte, (byte % 8) as u8);
                prop_assert!(verify_consistency(first, second, &first_root, &second_root, &path).is_err());
            }
        }
        for byte in 0..32 {
            let bit = (byte % 8) as u8;
            prop_assert!(proof.verify(&flip_bit(&first_root, byte, bit), &second_root).is_err());
            prop_assert!(proof.verify(&first_root, &flip_bit(&second_root, byte, bit)).is_err());
        }
        prop_assert!(proof.verify(&second_root, &first_root).is_err());
        let outcome = verify_consistency(first, second, &first_root, &second_root, &[]);
        prop_assert!(
            matches!(outcome, Err(ProofVerificationError::WrongProofLength { .. })),
            "{:?}",
            outcome
        );
        if let Some((_, shorter)) = proof.path.split_last() {
            prop_assert!(verify_consistency(first, second, &first_root, &second_root, shorter).is_err());
        }
        let mut longer = proof.path.clone();
        longer.insert(0, first_root);
        prop_assert!(verify_consistency(first, second, &first_root, &second_root, &longer).is_err());
        // Other sizes pass only where the SUBPROOF recursion gives the same computation.
        for (other_first, other_second) in [
            (tampered_first, second),
            (first, tampered_second),
            (tampered_first, tampered_second),
        ] {
            if (other_first, other_second) == (first, second) {
                continue;
            }
            let outcome = verify_consistency(other_first, other_second, &first_root, &second_root, &proof.path);
            if outcome.is_ok() {
                prop_assert!(other_first < other_second);
                prop_assert_eq!(
                    rfc_reference::consistency_shape(other_first as usize, other_second as usize),
                    rfc_reference::consistency_shape(first_size, second_size)
                );
            }
        }
    }

    #[test]
    fn verification_never_panics_on_arbitrary_input(
        leaf_index in any::<u64>(),
        tree_size in any::<u64>(),
        first_size in any::<u64>(),
        second_size in any::<u64>(),
        path in proptest::collection::vec(any::<[u8; 32]>(), 0..80),
        root in any::<[u8; 32]>(),
    ) {
        let path: Vec<Hash> = path.into_iter().map(Hash::from_bytes).collect();
        let root = Hash::from_bytes(root);
        let near_maximum = u64::MAX - (tree_size % 3);
        for (index, size) in [(leaf_index, tree_size), (leaf_index % near_maximum, near_maximum)] {
            let outcome = verify_inclusion(&root, index, size, &path, &root);
            if let Some(expected) = inclusion_path_length(index, size) {
                if expected != path.len() {
                    prop_assert_eq!(
                        outcome,
                        Err(ProofVerificationError::WrongProofLength { expected, actual: path.len() })
                    );
                }
            } else {
                prop_assert!(
                    matches!(outcome, Err(ProofVerificationError::LeafIndexOutOfRange { .. })),
                    "{:?}",
                    outcome
                );
            }
        }
        let _ = verify_consistency(first_size, second_size, &root, &root, &path);
        let _ = verify_consistency(first_size.min(second_size), second_size.max(first_size), &root, &root, &path);
    }
}

/// Exhaustively, every (leaf, size) and (first, second) pair up to 64 leaves.
#[test]
fn every_small_tree_matches_the_reference_exhaustively() {
    let leaves = make_leaves(64, 7);
    let hashes = leaf_hashes(&leaves);
    let mut log = InMemoryLog::with_lowest_cached_level(1);
    for (size, leaf) in (1..=64).zip(&leaves) {
        log.append_leaf(leaf).unwrap();
        let prefix = &leaves[..size];
        let root = Hash::from_bytes(rfc_reference::mth(prefix));
        assert_eq!(log.root_hash(), root, "size {size}");
        for index in 0..size {
            let proof = InclusionProof::generate(&hashes, index as u64, size as u64).unwrap();
            assert_eq!(as_reference(&proof.path), rfc_reference::path(index, prefix));
            assert_eq!(proof, log.inclusion_proof(index as u64, size as u64).unwrap());
            proof.verify(&hashes[index], &root).unwrap();
        }
        for first in 1..=size {
            let first_root = Hash::from_bytes(rfc_reference::mth(&leaves[..first]));
            let proof = ConsistencyProof::generate(&hashes, first as u64, size as u64).unwrap();
            assert_eq!(as_reference(&proof.path), rfc_reference::proof(first, prefix));
            assert_eq!(proof, log.consistency_proof(first as u64, size as u64).unwrap());
            proof.verify(&first_root, &root).unwrap();
        }
    }
}

#[test]
fn a_proof_does_not_pin_the_tree_size_on_its_own() {
    // Leaf 0 of 5, 6, 7 or 8 leaves: three siblings, all on the right. The proof from the 8-leaf
    // tree also passes as a proof in a tree of 5, 6 or 7 leaves against the 8-leaf root, which is
    // why sizes must come from signed tree heads.
    let leaves = make_leaves(9, 1);
    let hashes = leaf_hashes(&leaves);
    let root = root_hash_at(&hashes, 8).unwrap();
    let proof = InclusionProof::generate(&hashes, 0, 8).unwrap();
    for size in 5..=8 {
        assert_eq!(rfc_reference::inclusion_shape(0, size), rfc_reference::inclusion_shape(0, 8));
        assert_eq!(verify_inclusion(&hashes[0], 0, size as u64, &proof.path, &root), Ok(()));
    }
    for size in [4, 9] {
        assert_ne!(rfc_reference::inclusion_shape(0, size), rfc_reference::inclusion_shape(0, 8));
        assert!(verify_inclusion(&hashes[0], 0, size as u64, &proof.path, &root).is_err());
    }
}

#[test]
fn consistency_edge_cases() {
    let leaves = make_leaves(20, 3);
    let hashes = leaf_hashes(&leaves);
    let root_at = |size: u64| root_hash_at(&hashes, size).unwrap();

    // m = n: the empty proof, and only with equal roots.
    let same = ConsistencyProof::generate(&hashes, 20, 20).unwrap();
    assert!(same.path.is_empty());
    assert_eq!(same.verify(&root_at(20), &root_at(20)), Ok(()));
    assert_eq!(
        same.verify(&root_at(19), &root_at(20)),
        Err(ProofVerificationError::EqualSizesDifferentRoots {
            tree_size: 20,
            first_root_hash: root_at(19),
            second_root_hash: root_at(20),
        })
    );
    assert_eq!(
        verify_consistency(20, 20, &root_at(20), &root_at(20), &[root_at(20)]),
        Err(ProofVerificationError::WrongProofLength { expected: 0, actual: 1 })
    );

    // m = 0 is not provable, in either direction.
    assert!(matches!(ConsistencyProof::generate(&hashes, 0, 20), Err(ProofGenerationError::FirstTreeEmpty)));
    assert_eq!(
        verify_consistency(0, 20, &hospes_transparency::empty_tree_hash(), &root_at(20), &[]),
        Err(ProofVerificationError::FirstTreeEmpty)
    );
    assert_eq!(verify_consistency(0, 0, &root_at(0), &root_at(0), &[]), Err(ProofVerificationError::FirstTreeEmpty));

    // m > n and n beyond the log.
    assert!(matches!(
        ConsistencyProof::generate(&hashes, 5, 4),
        Err(ProofGenerationError::FirstSizeExceedsSecond { first_tree_size: 5, second_tree_size: 4 })
    ));
    assert_eq!(
        verify_consistency(5, 4, &root_at(5), &root_at(4), &[]),
        Err(ProofVerificationError::FirstSizeExceedsSecond { first_tree_size: 5, second_tree_size: 4 })
    );
    assert!(matches!(
        ConsistencyProof::generate(&hashes, 5, 21),
        Err(ProofGenerationError::TreeSizeBeyondSource { requested_tree_size: 21, source_tree_size: 20 })
    ));

    // m a power of two: the first root is not in the proof but prepended by the verifier.
    for first in [1_u64, 2, 4, 8, 16] {
        let proof = ConsistencyProof::generate(&hashes, first, 20).unwrap();
        assert!(!proof.path.contains(&root_at(first)), "first size {first}");
        assert_eq!(proof.verify(&root_at(first), &root_at(20)), Ok(()));
    }
    // n a power of two and m not.
    let proof = ConsistencyProof::generate(&hashes, 13, 16).unwrap();
    assert_eq!(proof.verify(&root_at(13), &root_at(16)), Ok(()));
}

#[test]
fn inclusion_edge_cases() {
    let hashes = leaf_hashes(&make_leaves(5, 9));
    let root = root_hash_at(&hashes, 5).unwrap();
    assert!(matches!(
        InclusionProof::generate(&hashes, 5, 5),
        Err(ProofGenerationError::LeafIndexOutOfRange { leaf_index: 5, tree_size: 5 })
    ));
    assert!(matches!(InclusionProof::generate(&hashes, 0, 6), Err(ProofGenerationError::TreeSizeBeyondSource { .. })));
    assert_eq!(
        verify_inclusion(&hashes[0], 0, 0, &[], &root),
        Err(ProofVerificationError::LeafIndexOutOfRange { leaf_index: 0, tree_size: 0 })
    );
    // A one-leaf tree: the empty proof, and the root is the leaf hash.
    let single = InclusionProof::generate(&hashes, 0, 1).unwrap();
    assert!(single.path.is_empty());
    assert_eq!(single.verify(&hashes[0], &hashes[0]), Ok(()));
    assert!(single.verify(&hashes[1], &hashes[0]).is_err());
    // The error says which root the proof actually leads to.
    let proof = InclusionProof::generate(&hashes, 4, 5).unwrap();
    assert_eq!(
        proof.verify(&hashes[4], &hashes[0]),
        Err(ProofVerificationError::RootMismatch { expected: hashes[0], computed: root })
    );
}

#[test]
fn compact_range_refuses_a_wrong_number_of_hashes_and_round_trips_as_json() {
    let hashes = leaf_hashes(&make_leaves(13, 5));
    let range = CompactRange::from_leaf_hashes(hashes.iter().copied()).unwrap();
    assert_eq!(range.perfect_subtree_hashes().len(), 3);
    let json = serde_json::to_string(&range).unwrap();
    let restored: CompactRange = serde_json::from_str(&json).unwrap();
    assert_eq!(restored, range);

    let mut too_many = range.perfect_subtree_hashes().to_vec();
    too_many.push(hashes[0]);
    assert_eq!(
        CompactRange::from_parts(13, too_many),
        Err(hospes_transparency::CompactRangeError::WrongHashCount { size: 13, expected: 3, actual: 4 })
    );
    let corrupt = json.replace("\"size\":13", "\"size\":12");
    assert!(serde_json::from_str::<CompactRange>(&corrupt).is_err());

    // Appending after a restore continues the same tree.
    let mut continued = CompactRange::from_parts(13, range.perfect_subtree_hashes().to_vec()).unwrap();
    let mut all = hashes.clone();
    for extra in leaf_hashes(&make_leaves(40, 6)) {
        continued.append(extra).unwrap();
        all.push(extra);
        assert_eq!(continued.root_hash(), root_hash_at(&all, all.len() as u64).unwrap());
    }
}

#[test]
fn compact_range_reports_every_completed_subtree() {
    let hashes = leaf_hashes(&make_leaves(100, 8));
    let mut range = CompactRange::new();
    let mut reported = Vec::new();
    for hash in &hashes {
        range
            .append_reporting_completed_subtrees(*hash, |position, subtree_hash| {
                reported.push((position, *subtree_hash));
            })
            .unwrap();
    }
    // Every complete perfect subtree is reported once, with its hash: floor(n / 2^level) of them
    // at each level.
    for (position, subtree_hash) in &reported {
        let start = position.index << position.level;
        let end = start + (1 << position.level);
        assert_eq!(*subtree_hash, hospes_transparency::merkle_tree_hash(&hashes, start, end).unwrap());
    }
    let expected_count: usize = (0..7).map(|level| 100 >> level).sum();
    assert_eq!(reported.len(), expected_count);
}
