#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Published RFC 6962 / RFC 9162 test vectors, so that Hospes roots agree with every other
//! Certificate Transparency implementation and not just with themselves.
//!
//! Source of the values (facts only, no code): the transparency-dev/merkle Go module (formerly
//! part of google/certificate-transparency-go), files `testonly/constants.go` (leaf inputs, the
//! hash of every complete subtree, the root hash for every size 0..8, the compact ranges) and
//! `proof/verify_test.go` (inclusion and consistency proofs; that file numbers leaves from 1,
//! here they are numbered from 0).

use hospes_transparency::{
    CompactRange, ConsistencyProof, Hash, InMemoryLog, InclusionProof, PerfectSubtreeCache, empty_tree_hash,
    hash_children, hash_leaf, root_hash_at, verify_consistency, verify_inclusion,
};

const LEAF_INPUTS_HEX: [&str; 8] =
    ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

/// Root hashes for tree sizes 0 to 8.
const ROOT_HASHES_HEX: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// The hash of every complete subtree of the 8-leaf tree, by level then index.
const NODE_HASHES_HEX: [&[&str]; 4] = [
    &[
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    &[
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    &[
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    &["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
];

/// (leaf index from 0, tree size, proof).
const INCLUSION_PROOFS: [(u64, u64, &[&str]); 5] = [
    (0, 1, &[]),
    (
        0,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        &[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        &[
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

/// (first size, second size, proof).
const CONSISTENCY_PROOFS: [(u64, u64, &[&str]); 5] = [
    (1, 1, &[]),
    (
        1,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        &[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
];

fn hash(text: &str) -> Hash {
    text.parse().unwrap()
}

fn hashes(texts: &[&str]) -> Vec<Hash> {
    texts.iter().map(|text| hash(text)).collect()
}

fn leaf_hashes() -> Vec<Hash> {
    LEAF_INPUTS_HEX.iter().map(|text| hash_leaf(&hex::decode(text).unwrap())).collect()
}

#[test]
fn empty_tree_and_single_leaf_hashes() {
    assert_eq!(empty_tree_hash(), hash(ROOT_HASHES_HEX[0]));
    // The empty leaf's hash is SHA-256(0x00), which is also the one-leaf root.
    assert_eq!(hash_leaf(b""), hash(ROOT_HASHES_HEX[1]));
    let leaves = leaf_hashes();
    assert_eq!(hash_children(&leaves[0], &leaves[1]), hash(ROOT_HASHES_HEX[2]));
}

#[test]
fn leaf_and_node_hashes_match() {
    let leaves = leaf_hashes();
    assert_eq!(leaves, hashes(NODE_HASHES_HEX[0]));
    let mut log = InMemoryLog::with_lowest_cached_level(0);
    for leaf in &leaves {
        log.append_leaf_hash(*leaf).unwrap();
    }
    for (level, expected) in NODE_HASHES_HEX.iter().enumerate() {
        for (index, expected) in expected.iter().enumerate() {
            let position = hospes_transparency::SubtreePosition { level: level as u32, index: index as u64 };
            assert_eq!(log.cache().get(position), Some(hash(expected)), "{position:?}");
        }
    }
}

#[test]
fn roots_match_for_every_size() {
    let leaves = leaf_hashes();
    let mut range = CompactRange::new();
    assert_eq!(range.root_hash(), hash(ROOT_HASHES_HEX[0]));
    for (size, expected) in ROOT_HASHES_HEX.iter().enumerate().skip(1) {
        range.append(leaves[size - 1]).unwrap();
        assert_eq!(range.root_hash(), hash(expected), "size {size}");
        assert_eq!(root_hash_at(&leaves, size as u64).unwrap(), hash(expected));
    }
    for size in 0..=8 {
        assert_eq!(root_hash_at(&leaves, size).unwrap(), hash(ROOT_HASHES_HEX[size as usize]));
    }
}

#[test]
fn compact_ranges_match() {
    // constants.go's CompactTrees: the right edge after each append, in node-hash terms.
    let node = |level: usize, index: usize| hash(NODE_HASHES_HEX[level][index]);
    let expected: [Vec<Hash>; 9] = [
        vec![],
        vec![node(0, 0)],
        vec![node(1, 0)],
        vec![node(1, 0), node(0, 2)],
        vec![node(2, 0)],
        vec![node(2, 0), node(0, 4)],
        vec![node(2, 0), node(1, 2)],
        vec![node(2, 0), node(1, 2), node(0, 6)],
        vec![node(3, 0)],
    ];
    let leaves = leaf_hashes();
    for (size, expected) in expected.iter().enumerate() {
        let range = CompactRange::from_leaf_hashes(leaves[..size].iter().copied()).unwrap();
        assert_eq!(range.perfect_subtree_hashes(), expected.as_slice(), "size {size}");
        let from_source = CompactRange::from_source(&leaves, size as u64).unwrap();
        assert_eq!(from_source, range);
    }
}

#[test]
fn inclusion_proofs_match() {
    let leaves = leaf_hashes();
    let cache = PerfectSubtreeCache::build(&leaves, 1).unwrap();
    for (leaf_index, tree_size, expected) in INCLUSION_PROOFS {
        let expected = hashes(expected);
        let root = hash(ROOT_HASHES_HEX[tree_size as usize]);
        let proof = InclusionProof::generate(&leaves, leaf_index, tree_size).unwrap();
        assert_eq!(proof.path, expected, "leaf {leaf_index} of {tree_size}");
        let cached = InclusionProof::generate(&cache.over(&leaves), leaf_index, tree_size).unwrap();
        assert_eq!(cached.path, expected);
        verify_inclusion(&leaves[leaf_index as usize], leaf_index, tree_size, &expected, &root).unwrap();
    }
}

#[test]
fn consistency_proofs_match() {
    let leaves = leaf_hashes();
    for (first, second, expected) in CONSISTENCY_PROOFS {
        let expected = hashes(expected);
        let proof = ConsistencyProof::generate(&leaves, first, second).unwrap();
        assert_eq!(proof.path, expected, "{first} to {second}");
        verify_consistency(
            first,
            second,
            &hash(ROOT_HASHES_HEX[first as usize]),
            &hash(ROOT_HASHES_HEX[second as usize]),
            &expected,
        )
        .unwrap();
    }
}

#[test]
fn proofs_serialise_as_hexadecimal_json() {
    let leaves = leaf_hashes();
    let proof = InclusionProof::generate(&leaves, 5, 8).unwrap();
    let json = serde_json::to_value(&proof).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "leaf_index": 5,
            "tree_size": 8,
            "path": INCLUSION_PROOFS[2].2,
        })
    );
    let back: InclusionProof = serde_json::from_value(json).unwrap();
    assert_eq!(back, proof);
    // A proof element of the wrong length is refused when reading, before any verification.
    let short = serde_json::json!({"leaf_index": 5, "tree_size": 8, "path": ["abcd"]});
    assert!(serde_json::from_value::<InclusionProof>(short).is_err());
}
