#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The whole-log verifier: a log as signed passes, and every way of altering it afterwards is
//! named at the first tree head it breaks.

use hospes_transparency::{
    InMemoryLog, KeyId, LogAuditFinding, LogAuditor, SignedTreeHead, SigningKey, TreeHead, audit_leaf_hashes,
    audit_leaves, generate_signing_key_with, hash_leaf,
};
use rand::SeedableRng;
use rand::rngs::StdRng;

fn log_key() -> SigningKey {
    generate_signing_key_with(&mut StdRng::seed_from_u64(1))
}

fn leaf(index: usize) -> Vec<u8> {
    format!("read of profile {index} by officer {}", index % 7).into_bytes()
}

/// A log of `count` leaves with tree heads signed at the given sizes (timestamp = size).
fn signed_log(count: usize, signed_sizes: &[u64]) -> (Vec<Vec<u8>>, Vec<SignedTreeHead>) {
    let key = log_key();
    let leaves: Vec<Vec<u8>> = (0..count).map(leaf).collect();
    let mut log = InMemoryLog::new();
    let mut tree_heads = Vec::new();
    for size in signed_sizes.iter().filter(|size| **size == 0) {
        tree_heads.push(log.tree_head(*size).sign(&key));
    }
    for leaf in &leaves {
        log.append_leaf(leaf).unwrap();
        if signed_sizes.contains(&log.size()) {
            tree_heads.push(log.tree_head(log.size()).sign(&key));
        }
    }
    (leaves, tree_heads)
}

#[test]
fn an_unaltered_log_passes() {
    let sizes = [0, 1, 2, 3, 64, 100, 257, 1000];
    let (leaves, tree_heads) = signed_log(1000, &sizes);
    let report = audit_leaves(&leaves, &tree_heads, &[log_key().verifying_key()]).unwrap();
    assert_eq!(report.leaf_count, 1000);
    assert_eq!(report.tree_heads_checked, sizes.len());
    assert_eq!(report.largest_signed_tree_size, Some(1000));

    // Leaves appended after the last tree head are fine: they are simply not yet signed.
    let (more_leaves, _) = signed_log(1100, &[]);
    let report = audit_leaves(&more_leaves, &tree_heads, &[log_key().verifying_key()]).unwrap();
    assert_eq!(report.leaf_count, 1100);
    assert_eq!(report.largest_signed_tree_size, Some(1000));

    // Tree heads may come in any order.
    let mut shuffled = tree_heads.clone();
    shuffled.reverse();
    audit_leaves(&leaves, &shuffled, &[log_key().verifying_key()]).unwrap();
}

#[test]
fn an_altered_leaf_is_located_between_two_tree_heads() {
    let (mut leaves, tree_heads) = signed_log(1000, &[10, 100, 500, 1000]);
    leaves[250] = b"something else".to_vec();
    let finding = audit_leaves(&leaves, &tree_heads, &[log_key().verifying_key()]).unwrap_err();
    let LogAuditFinding::RootMismatch {
        tree_size,
        signed_root_hash,
        computed_root_hash,
        last_matching_tree_size,
        first_suspect_leaf_index,
        ..
    } = finding.clone()
    else {
        panic!("unexpected finding {finding:?}");
    };
    assert_eq!(tree_size, 500);
    assert_eq!(last_matching_tree_size, Some(100));
    assert_eq!(first_suspect_leaf_index, 100);
    assert_eq!(signed_root_hash, tree_heads[2].tree_head.root_hash);
    assert_ne!(computed_root_hash, signed_root_hash);
    let message = finding.to_string();
    assert!(message.contains("at tree size 500"), "{message}");
    assert!(message.contains("leaves 100..500"), "{message}");
}

#[test]
fn an_altered_first_leaf_is_caught_at_the_first_tree_head() {
    let (mut leaves, tree_heads) = signed_log(50, &[1, 50]);
    leaves[0].push(b'!');
    let finding = audit_leaves(&leaves, &tree_heads, &[log_key().verifying_key()]).unwrap_err();
    assert!(matches!(
        finding,
        LogAuditFinding::RootMismatch { tree_size: 1, last_matching_tree_size: None, first_suspect_leaf_index: 0, .. }
    ));
}

#[test]
fn inserted_deleted_and_reordered_leaves_are_caught() {
    let key = [log_key().verifying_key()];
    let (leaves, tree_heads) = signed_log(300, &[100, 200, 300]);

    let mut inserted = leaves.clone();
    inserted.insert(150, b"forged".to_vec());
    assert!(matches!(
        audit_leaves(&inserted, &tree_heads, &key),
        Err(LogAuditFinding::RootMismatch { tree_size: 200, last_matching_tree_size: Some(100), .. })
    ));

    let mut deleted = leaves.clone();
    deleted.remove(150);
    assert!(matches!(
        audit_leaves(&deleted, &tree_heads, &key),
        Err(LogAuditFinding::RootMismatch { tree_size: 200, .. })
    ));

    let mut reordered = leaves.clone();
    reordered.swap(20, 21);
    assert!(matches!(
        audit_leaves(&reordered, &tree_heads, &key),
        Err(LogAuditFinding::RootMismatch { tree_size: 100, last_matching_tree_size: None, .. })
    ));

    let truncated = &leaves[..250];
    assert_eq!(
        audit_leaves(truncated, &tree_heads, &key),
        Err(LogAuditFinding::MissingLeaves { tree_size: 300, timestamp: 300, leaf_count: 250 })
    );
}

#[test]
fn forged_or_foreign_tree_heads_are_caught_before_replaying() {
    let key = log_key();
    let (leaves, mut tree_heads) = signed_log(100, &[10, 50, 100]);

    // A tree head whose root was rewritten to match altered leaves no longer verifies.
    tree_heads[1].tree_head.root_hash = hash_leaf(b"whatever");
    assert!(matches!(
        audit_leaves(&leaves, &tree_heads, &[key.verifying_key()]),
        Err(LogAuditFinding::InvalidSignature { tree_size: 50, timestamp: 50, .. })
    ));

    // A tree head signed by a key the auditor does not trust.
    let stranger = generate_signing_key_with(&mut StdRng::seed_from_u64(99));
    let (_, genuine) = signed_log(100, &[10, 50, 100]);
    let mut with_foreign = genuine.clone();
    with_foreign.push(TreeHead { size: 20, root_hash: hash_leaf(b"x"), timestamp: 20 }.sign(&stranger));
    assert_eq!(
        audit_leaves(&leaves, &with_foreign, &[key.verifying_key()]),
        Err(LogAuditFinding::UnknownSigningKey {
            tree_size: 20,
            timestamp: 20,
            key_id: KeyId::of(&stranger.verifying_key())
        })
    );

    // Trusting both keys (a key rotation), the foreign head is checked, and its root is wrong.
    assert!(matches!(
        audit_leaves(&leaves, &with_foreign, &[key.verifying_key(), stranger.verifying_key()]),
        Err(LogAuditFinding::RootMismatch { tree_size: 20, last_matching_tree_size: Some(10), .. })
    ));
}

#[test]
fn a_fork_at_one_size_is_caught() {
    // Two tree heads for the same size with different roots: a split view.
    let key = log_key();
    let (leaves, mut tree_heads) = signed_log(40, &[40]);
    tree_heads.push(TreeHead { size: 40, root_hash: hash_leaf(b"other history"), timestamp: 41 }.sign(&key));
    assert!(matches!(
        audit_leaves(&leaves, &tree_heads, &[key.verifying_key()]),
        Err(LogAuditFinding::RootMismatch { tree_size: 40, timestamp: 41, .. })
    ));
}

#[test]
fn streaming_auditor_reports_as_soon_as_it_can() {
    let (mut leaves, tree_heads) = signed_log(100, &[0, 30, 100]);
    leaves[5] = b"altered".to_vec();
    let mut auditor = LogAuditor::from_signed_tree_heads(&tree_heads, &[log_key().verifying_key()]).unwrap();
    let mut failed_at = None;
    for (index, leaf) in leaves.iter().enumerate() {
        if auditor.push_leaf(leaf).is_err() {
            failed_at = Some(index);
            break;
        }
    }
    // The 30th leaf (index 29) completes the tree the second head describes.
    assert_eq!(failed_at, Some(29));
    assert_eq!(auditor.leaf_count(), 30);

    // The same audit over leaf hashes rather than leaf bytes.
    let hashes: Vec<_> = leaves.iter().map(|leaf| hash_leaf(leaf)).collect();
    assert!(matches!(
        audit_leaf_hashes(hashes, &tree_heads, &[log_key().verifying_key()]),
        Err(LogAuditFinding::RootMismatch { tree_size: 30, last_matching_tree_size: Some(0), .. })
    ));
}

#[test]
fn an_empty_log_with_an_empty_tree_head_passes() {
    let (leaves, tree_heads) = signed_log(0, &[0]);
    let report = audit_leaves(&leaves, &tree_heads, &[log_key().verifying_key()]).unwrap();
    assert_eq!(report.leaf_count, 0);
    assert_eq!(report.tree_heads_checked, 1);
    assert_eq!(report.root_hash, hospes_transparency::empty_tree_hash());
}
