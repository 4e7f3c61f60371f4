//! Evaluation against ground truth: pairwise precision, recall and F1.
//!
//! A pair of records is predicted to match when matching put both into one cluster, and truly
//! matches when the ground truth gives both the same entity. Every true pair counts, including
//! those blocking never compared (they are misses). In a link task only pairs across the two
//! inputs count. Pairs are counted from cluster sizes, never listed, so evaluating a million
//! records costs little.

use std::collections::HashMap;

use serde::Serialize;

/// Pairwise figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PairwiseMetrics {
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub true_positives: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl PairwiseMetrics {
    pub fn from_counts(true_pairs: u64, predicted_pairs: u64, true_positives: u64) -> Self {
        let ratio = |numerator: u64, denominator: u64| {
            if denominator == 0 { 1.0 } else { numerator as f64 / denominator as f64 }
        };
        let precision = ratio(true_positives, predicted_pairs);
        let recall = ratio(true_positives, true_pairs);
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Self { true_pairs, predicted_pairs, true_positives, precision, recall, f1 }
    }
}

/// Pairs among records counted per source: within one source (dedupe), or across the two (link).
#[derive(Debug, Clone, Copy, Default)]
struct SourceCounts([u64; 2]);

impl SourceCounts {
    fn add(&mut self, source: u8) {
        self.0[usize::from(source.min(1))] += 1;
    }

    fn pairs(&self, link: bool) -> u64 {
        if link {
            self.0[0] * self.0[1]
        } else {
            let all = self.0[0] + self.0[1];
            all * all.saturating_sub(1) / 2
        }
    }
}

/// Evaluates a clustering: `cluster_of` and `truth_of` give each record's predicted cluster and true
/// entity, `source_of` its input (0 or 1); `link` counts only pairs across the inputs.
pub fn evaluate_clusters(cluster_of: &[u32], truth_of: &[u32], source_of: &[u8], link: bool) -> PairwiseMetrics {
    let mut clusters: HashMap<u32, SourceCounts> = HashMap::new();
    let mut truths: HashMap<u32, SourceCounts> = HashMap::new();
    let mut both: HashMap<(u32, u32), SourceCounts> = HashMap::new();
    for ((cluster, truth), source) in cluster_of.iter().zip(truth_of).zip(source_of) {
        clusters.entry(*cluster).or_default().add(*source);
        truths.entry(*truth).or_default().add(*source);
        both.entry((*cluster, *truth)).or_default().add(*source);
    }
    fn sum<K>(map: &HashMap<K, SourceCounts>, link: bool) -> u64 {
        map.values().map(|counts| counts.pairs(link)).sum()
    }
    PairwiseMetrics::from_counts(sum(&truths, link), sum(&clusters, link), sum(&both, link))
}

/// Ground truth from a list of matching pairs of record ids (FEBRL's truth files): entities are
/// the connected components of the pairs; a record in no pair is an entity of its own. Returns
/// one entity id per record, and the pairs naming unknown records.
pub fn truth_from_pairs<'a>(
    record_ids: &[&str],
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (Vec<u32>, usize) {
    let index: HashMap<&str, u32> =
        record_ids.iter().enumerate().map(|(position, id)| (*id, position as u32)).collect();
    let mut parent: Vec<u32> = (0..record_ids.len() as u32).collect();
    fn find(parent: &mut [u32], mut node: u32) -> u32 {
        while parent[node as usize] != node {
            parent[node as usize] = parent[parent[node as usize] as usize];
            node = parent[node as usize];
        }
        node
    }
    let mut unknown = 0;
    for (left, right) in pairs {
        match (index.get(left), index.get(right)) {
            (Some(left), Some(right)) => {
                let (a, b) = (find(&mut parent, *left), find(&mut parent, *right));
                if a != b {
                    parent[a.max(b) as usize] = a.min(b);
                }
            }
            _ => unknown += 1,
        }
    }
    let truth = (0..record_ids.len() as u32).map(|node| find(&mut parent, node)).collect();
    (truth, unknown)
}

/// Ground truth from an entity label per record (the synthetic population's person ids).
pub fn truth_from_labels<S: AsRef<str>>(labels: &[S]) -> Vec<u32> {
    let mut ids: HashMap<&str, u32> = HashMap::new();
    labels
        .iter()
        .map(|label| {
            let next = ids.len() as u32;
            *ids.entry(label.as_ref()).or_insert(next)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_counted_from_clusters() {
        // Truth: {0,1,2} and {3}; predicted: {0,1} and {2,3}.
        let metrics = evaluate_clusters(&[0, 0, 2, 2], &[7, 7, 7, 8], &[0, 0, 0, 0], false);
        assert_eq!(metrics.true_pairs, 3);
        assert_eq!(metrics.predicted_pairs, 2);
        assert_eq!(metrics.true_positives, 1);
        assert!((metrics.precision - 0.5).abs() < 1e-12);
        assert!((metrics.recall - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn link_tasks_count_only_pairs_across_inputs() {
        // Records 0 and 1 from input 0, 2 from input 1; all one entity, all one cluster.
        let metrics = evaluate_clusters(&[0, 0, 0], &[1, 1, 1], &[0, 0, 1], true);
        assert_eq!(metrics.true_pairs, 2);
        assert_eq!(metrics.predicted_pairs, 2);
        assert!((metrics.f1 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn truth_from_pair_lists_and_labels() {
        let ids = ["a", "b", "c", "d"];
        let (truth, unknown) = truth_from_pairs(&ids, [("a", "b"), ("b", "c"), ("x", "a")]);
        assert_eq!(unknown, 1);
        assert_eq!(truth[0], truth[2]);
        assert_ne!(truth[0], truth[3]);
        assert_eq!(truth_from_labels(&["P1", "P2", "P1"]), [0, 1, 0]);
    }
}
