//! Clustering: persons from pairwise decisions.
//!
//! Pairs above the upper threshold are `same`, between the thresholds `review`, below
//! `different`. Clusters are the connected components of the `same` links, built strongest link
//! first, with a guard against chaining: A–B and B–C may each look right while A and C are two
//! people (B lacks the field that tells them apart). Before two clusters (one of them more than a
//! single record) are joined, their taxpayer numbers, social insurance numbers, other national
//! numbers and birth dates are compared; if the values of one side fit none of the other's (more
//! than one keystroke apart; for dates, not even a day–month swap), the link goes to review
//! instead. Only fields whose disagreement the model found to be strong evidence are checked
//! ([`GuardedFields`]): in one data set a national number never changes, in another it is as
//! noisy as a name. Documents and phones are never checked: people renew passports and change
//! phones.

use serde::Serialize;

use super::compare::{compare_birth_dates, date_level};
use super::normalise::{Dictionary, PreparedRecord};
use super::record::BirthDate;
use super::similarity::within_one_edit_str;

/// The decision on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Same,
    Review,
    Different,
}

/// Why a pair was sent to review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewReason {
    /// Its weight lies between the thresholds.
    Uncertain,
    /// Its weight is above the upper threshold, but joining would put conflicting identifiers or
    /// birth dates into one person.
    ConflictingClusters,
}

/// A scored pair of distinct records.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ScoredLink {
    pub(crate) left: u32,
    pub(crate) right: u32,
    pub(crate) weight: f64,
}

/// The fields the chaining guard checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct GuardedFields {
    pub(crate) birth_date: bool,
    pub(crate) taxpayer_number: bool,
    pub(crate) social_insurance_number: bool,
    pub(crate) national_id: bool,
}

/// What the guard keeps of each cluster: a few values of each kind.
#[derive(Debug, Clone, Default)]
struct ClusterValues {
    members: u32,
    taxpayer_numbers: Vec<u32>,
    social_insurance_numbers: Vec<u32>,
    national_ids: Vec<u32>,
    birth_dates: Vec<BirthDate>,
}

/// At most this many values of each kind are kept per cluster.
const VALUES_KEPT: usize = 6;

fn push_value<T: PartialEq + Copy>(values: &mut Vec<T>, value: T) {
    if values.len() < VALUES_KEPT && !values.contains(&value) {
        values.push(value);
    }
}

impl ClusterValues {
    fn of(record: &PreparedRecord) -> Self {
        let mut values = Self { members: 1, ..Self::default() };
        values.taxpayer_numbers.extend(record.taxpayer_number);
        values.social_insurance_numbers.extend(record.social_insurance_number);
        values.national_ids.extend(record.national_id);
        values.birth_dates.extend(record.birth_date);
        values
    }

    fn absorb(&mut self, other: ClusterValues) {
        self.members += other.members;
        for value in other.taxpayer_numbers {
            push_value(&mut self.taxpayer_numbers, value);
        }
        for value in other.social_insurance_numbers {
            push_value(&mut self.social_insurance_numbers, value);
        }
        for value in other.national_ids {
            push_value(&mut self.national_ids, value);
        }
        for value in other.birth_dates {
            push_value(&mut self.birth_dates, value);
        }
    }

    /// Whether joining the two clusters would put two people into one.
    fn conflicts_with(&self, other: &ClusterValues, vocabulary: &Dictionary, guarded: GuardedFields) -> bool {
        let identifiers_fit = |left: &[u32], right: &[u32]| {
            left.is_empty()
                || right.is_empty()
                || left.iter().any(|a| {
                    right.iter().any(|b| a == b || within_one_edit_str(vocabulary.get(*a), vocabulary.get(*b)))
                })
        };
        let dates_fit = !guarded.birth_date
            || self.birth_dates.is_empty()
            || other.birth_dates.is_empty()
            || self
                .birth_dates
                .iter()
                .any(|a| other.birth_dates.iter().any(|b| compare_birth_dates(*a, *b) <= date_level::ONE_TYPO));
        !(dates_fit
            && (!guarded.taxpayer_number || identifiers_fit(&self.taxpayer_numbers, &other.taxpayer_numbers))
            && (!guarded.social_insurance_number
                || identifiers_fit(&self.social_insurance_numbers, &other.social_insurance_numbers))
            && (!guarded.national_id || identifiers_fit(&self.national_ids, &other.national_ids)))
    }
}

/// Union–find with path halving and union by size.
struct DisjointSets {
    parent: Vec<u32>,
}

impl DisjointSets {
    fn new(size: usize) -> Self {
        Self { parent: (0..size as u32).collect() }
    }

    fn find(&mut self, mut node: u32) -> u32 {
        while self.parent[node as usize] != node {
            let grandparent = self.parent[self.parent[node as usize] as usize];
            self.parent[node as usize] = grandparent;
            node = grandparent;
        }
        node
    }
}

/// The clusters and the pairs for review.
#[derive(Debug, Default)]
pub(crate) struct Clustering {
    /// The cluster of each distinct record (the smallest distinct record id in it).
    pub(crate) cluster_of: Vec<u32>,
    /// Links that joined clusters, or confirmed records already joined.
    pub(crate) same: Vec<ScoredLink>,
    pub(crate) review: Vec<(ScoredLink, ReviewReason)>,
}

/// Clusters distinct records from scored links: `upper` and `lower` are thresholds on the
/// match weight (log2-odds).
pub(crate) fn cluster(
    records: &[PreparedRecord],
    vocabulary: &Dictionary,
    mut links: Vec<ScoredLink>,
    upper: f64,
    lower: f64,
    guarded: GuardedFields,
) -> Clustering {
    links.sort_unstable_by(|a, b| b.weight.total_cmp(&a.weight).then(a.left.cmp(&b.left)).then(a.right.cmp(&b.right)));
    let mut sets = DisjointSets::new(records.len());
    let mut values: Vec<Option<ClusterValues>> = records.iter().map(|record| Some(ClusterValues::of(record))).collect();
    let mut clustering = Clustering::default();
    for link in links {
        if link.weight < lower {
            continue;
        }
        if link.weight < upper {
            clustering.review.push((link, ReviewReason::Uncertain));
            continue;
        }
        let (left_root, right_root) = (sets.find(link.left), sets.find(link.right));
        if left_root == right_root {
            clustering.same.push(link);
            continue;
        }
        let (Some(left_values), Some(right_values)) = (&values[left_root as usize], &values[right_root as usize])
        else {
            continue;
        };
        // Two single records: their own evidence is already in the weight.
        let chaining = left_values.members > 1 || right_values.members > 1;
        if chaining && left_values.conflicts_with(right_values, vocabulary, guarded) {
            clustering.review.push((link, ReviewReason::ConflictingClusters));
            continue;
        }
        let (big, small) =
            if left_values.members >= right_values.members { (left_root, right_root) } else { (right_root, left_root) };
        sets.parent[small as usize] = big;
        if let Some(small_values) = values[small as usize].take()
            && let Some(big_values) = values[big as usize].as_mut()
        {
            big_values.absorb(small_values);
        }
        clustering.same.push(link);
    }
    // Name each cluster by its smallest member.
    let mut smallest: Vec<u32> = vec![u32::MAX; records.len()];
    let roots: Vec<u32> = (0..records.len() as u32).map(|node| sets.find(node)).collect();
    for (node, root) in roots.iter().enumerate() {
        smallest[*root as usize] = smallest[*root as usize].min(node as u32);
    }
    clustering.cluster_of = roots.iter().map(|root| smallest[*root as usize]).collect();
    // Links to review inside what became one cluster need no review.
    let cluster_of = &clustering.cluster_of;
    clustering.review.retain(|(link, _)| cluster_of[link.left as usize] != cluster_of[link.right as usize]);
    clustering
}
