//! A deliberately naive transcription of RFC 9162 §2.1's recursive definitions (MTH, PATH,
//! PROOF/SUBPROOF) over leaf *bytes*, hashing with `sha2` directly. It shares no code with the
//! crate, so agreement between the two is evidence, not tautology.

use sha2::{Digest, Sha256};

pub type ReferenceHash = [u8; 32];

fn sha256(parts: &[&[u8]]) -> ReferenceHash {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// "k be the largest power of two smaller than n (i.e., k < n <= 2k)".
pub fn largest_power_of_two_smaller_than(n: usize) -> usize {
    assert!(n > 1);
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

pub fn leaf_hash(leaf: &[u8]) -> ReferenceHash {
    sha256(&[&[0x00], leaf])
}

/// MTH(D[n]).
pub fn mth(leaves: &[Vec<u8>]) -> ReferenceHash {
    match leaves.len() {
        0 => sha256(&[]),
        1 => leaf_hash(&leaves[0]),
        n => {
            let k = largest_power_of_two_smaller_than(n);
            sha256(&[&[0x01], &mth(&leaves[..k]), &mth(&leaves[k..])])
        }
    }
}

/// PATH(m, D[n]).
pub fn path(m: usize, leaves: &[Vec<u8>]) -> Vec<ReferenceHash> {
    let n = leaves.len();
    if n == 1 {
        return Vec::new();
    }
    let k = largest_power_of_two_smaller_than(n);
    if m < k {
        let mut result = path(m, &leaves[..k]);
        result.push(mth(&leaves[k..]));
        result
    } else {
        let mut result = path(m - k, &leaves[k..]);
        result.push(mth(&leaves[..k]));
        result
    }
}

/// PROOF(m, D[n]) = SUBPROOF(m, D[n], true).
pub fn proof(m: usize, leaves: &[Vec<u8>]) -> Vec<ReferenceHash> {
    subproof(m, leaves, true)
}

fn subproof(m: usize, leaves: &[Vec<u8>], whole: bool) -> Vec<ReferenceHash> {
    let n = leaves.len();
    if m == n {
        return if whole { Vec::new() } else { vec![mth(leaves)] };
    }
    let k = largest_power_of_two_smaller_than(n);
    if m <= k {
        let mut result = subproof(m, &leaves[..k], whole);
        result.push(mth(&leaves[k..]));
        result
    } else {
        let mut result = subproof(m - k, &leaves[k..], false);
        result.push(mth(&leaves[..k]));
        result
    }
}

/// How a verifier must combine values to rebuild a root, with the hashes abstracted away: which
/// proof element (by position) or which given value goes where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The leaf hash being proven (inclusion) or the first root (consistency, when the first tree
    /// is a perfect subtree and its root is not in the proof).
    Given,
    /// The proof element at this position.
    ProofElement(usize),
    /// An interior node.
    Node(Box<Shape>, Box<Shape>),
}

/// The shape of the root computation for the inclusion proof of leaf `m` in a tree of `n`, read
/// off the PATH recursion.
pub fn inclusion_shape(m: usize, n: usize) -> Shape {
    fn walk(m: usize, n: usize) -> (Shape, usize) {
        if n == 1 {
            return (Shape::Given, 0);
        }
        let k = largest_power_of_two_smaller_than(n);
        if m < k {
            let (inner, used) = walk(m, k);
            (Shape::Node(Box::new(inner), Box::new(Shape::ProofElement(used))), used + 1)
        } else {
            let (inner, used) = walk(m - k, n - k);
            (Shape::Node(Box::new(Shape::ProofElement(used)), Box::new(inner)), used + 1)
        }
    }
    walk(m, n).0
}

/// The leaf ranges of the consistency proof's elements between sizes `m` and `n`, from SUBPROOF.
fn consistency_ranges(m: usize, n: usize) -> Vec<(usize, usize)> {
    fn walk(m: usize, start: usize, end: usize, whole: bool, out: &mut Vec<(usize, usize)>) {
        let n = end - start;
        if m == n {
            if !whole {
                out.push((start, end));
            }
            return;
        }
        let k = largest_power_of_two_smaller_than(n);
        if m <= k {
            walk(m, start, start + k, whole, out);
            out.push((start + k, end));
        } else {
            walk(m - k, start + k, end, false, out);
            out.push((start, start + k));
        }
    }
    let mut out = Vec::new();
    walk(m, 0, n, true, &mut out);
    out
}

/// The shapes of the first and second root computations for the consistency proof between `m`
/// and `n` (0 < m < n), read off the SUBPROOF recursion.
pub fn consistency_shape(m: usize, n: usize) -> (Shape, Shape) {
    let ranges = consistency_ranges(m, n);
    let first_is_given = m.is_power_of_two();
    let shape_of = |start: usize, end: usize| -> Shape {
        fn build(start: usize, end: usize, ranges: &[(usize, usize)], given: Option<(usize, usize)>) -> Shape {
            if let Some(position) = ranges.iter().position(|range| *range == (start, end)) {
                return Shape::ProofElement(position);
            }
            if given == Some((start, end)) {
                return Shape::Given;
            }
            assert!(end - start > 1, "range {start}..{end} is not covered");
            let k = largest_power_of_two_smaller_than(end - start);
            Shape::Node(
                Box::new(build(start, start + k, ranges, given)),
                Box::new(build(start + k, end, ranges, given)),
            )
        }
        build(start, end, &ranges, first_is_given.then_some((0, m)))
    };
    (shape_of(0, m), shape_of(0, n))
}
