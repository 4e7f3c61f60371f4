//! Batch resolution: the whole ledger matched at once, for `hospes resolve --all`.
//!
//! The incremental resolver sees records one at a time and cannot undo an early choice; the batch
//! matcher sees every pair at once and clusters them with a guard against chaining, which finds
//! more of the true matches (see the closing figures of `hospes bench resolve --incremental`). A
//! rebuild therefore plans every assignment from one [`MatchRun`], then applies officers' decisions
//! on top: `same` joins two clusters, `different` (and a split) takes the later record out of its
//! cluster. The plan is written through the ordinary projection by a [`PlannedResolver`], so a
//! rebuild is still one transaction per page with its checkpoint.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use hospes_model::{PersonId, RecordId};
use hospes_store::links::{IdentityLink, LinkKind, LinkOutcome};
use hospes_store::{NewPerson, RecordAssignment, WriteTransaction};

use crate::matching::MatchRun;
use crate::matching::cluster::ReviewReason;
use crate::probabilistic::Decisions;
use crate::{PageResolution, ResolutionInput, ResolveError, Resolver};

/// One ledger record as the plan needs it, in ledger order (the order given to the matcher).
#[derive(Debug, Clone)]
pub struct PlannedRecord {
    pub record_id: RecordId,
    pub seq: i64,
    pub supersedes: Vec<RecordId>,
}

/// Every record's person, and the links each record raises.
#[derive(Debug, Default)]
pub struct BatchPlan {
    person_of: HashMap<RecordId, PersonId>,
    links_of: HashMap<RecordId, Vec<IdentityLink>>,
    pub persons: usize,
    pub links: usize,
}

fn find(parent: &mut [usize], mut node: usize) -> usize {
    while parent[node] != node {
        parent[node] = parent[parent[node]];
        node = parent[node];
    }
    node
}

fn union(parent: &mut [usize], left: usize, right: usize) {
    let (left, right) = (find(parent, left), find(parent, right));
    // The earlier record's cluster absorbs the later one, so labels stay the first record.
    if left < right {
        parent[right] = left;
    } else if right < left {
        parent[left] = right;
    }
}

/// Plans resolution from a batch run over `records` (the same records, in the same order).
pub fn plan(run: &MatchRun, records: &[PlannedRecord], decisions: &Decisions) -> BatchPlan {
    let count = records.len().min(run.cluster_of.len());
    let records = &records[..count];
    let position: HashMap<RecordId, usize> =
        records.iter().enumerate().map(|(index, record)| (record.record_id, index)).collect();
    let mut parent: Vec<usize> = (0..count).collect();
    for (index, cluster) in run.cluster_of.iter().enumerate().take(count) {
        union(&mut parent, index, *cluster);
    }
    // A correction belongs with what it corrects; an officer's `same` joins.
    for (index, record) in records.iter().enumerate() {
        for superseded in &record.supersedes {
            if let Some(other) = position.get(superseded) {
                union(&mut parent, index, *other);
            }
        }
    }
    let mut apart: Vec<(usize, usize)> = Vec::new();
    for (right, list) in &decisions.by_right_record {
        let Some(right) = position.get(right).copied() else { continue };
        for (left, outcome) in list {
            let Some(left) = position.get(left).copied() else { continue };
            match outcome {
                LinkOutcome::Same => union(&mut parent, left, right),
                LinkOutcome::Different => apart.push((left, right)),
            }
        }
    }
    let mut label: Vec<usize> = (0..count).map(|index| find(&mut parent, index)).collect();
    // `different`: the later record leaves the earlier one's cluster, with its corrections.
    for (left, right) in apart {
        if label[left] == label[right] {
            label[right] = right;
            for (index, record) in records.iter().enumerate().skip(right + 1) {
                if record.supersedes.iter().any(|superseded| position.get(superseded) == Some(&right)) {
                    label[index] = right;
                }
            }
        }
    }
    // A cluster's person is named by its first record in ledger order.
    let mut first_of: HashMap<usize, usize> = HashMap::new();
    for (index, cluster) in label.iter().enumerate() {
        first_of.entry(*cluster).or_insert(index);
    }
    let person_of_label = |cluster: usize| PersonId::first_named_by(records[first_of[&cluster]].record_id);
    let mut plan = BatchPlan { persons: first_of.len(), ..BatchPlan::default() };
    for (index, record) in records.iter().enumerate() {
        plan.person_of.insert(record.record_id, person_of_label(label[index]));
    }
    // Review pairs between clusters that stayed apart, one per pair of clusters (the strongest),
    // unless an officer already decided that pair of records.
    let decided: HashSet<(RecordId, RecordId)> = decisions
        .by_right_record
        .iter()
        .flat_map(|(right, list)| list.iter().map(move |(left, _)| (*left, *right)))
        .collect();
    let mut strongest: HashMap<(usize, usize), (usize, usize, f64, ReviewReason)> = HashMap::new();
    for review in &run.review {
        let (a, b) = (review.pair.left.min(review.pair.right), review.pair.left.max(review.pair.right));
        if b >= count || label[a] == label[b] {
            continue;
        }
        if decided.contains(&(records[a].record_id, records[b].record_id)) {
            continue;
        }
        let key = (label[a].min(label[b]), label[a].max(label[b]));
        let weight = review.pair.match_weight;
        let entry = strongest.entry(key).or_insert((a, b, weight, review.reason));
        if weight > entry.2 {
            *entry = (a, b, weight, review.reason);
        }
    }
    let created_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for (a, b, weight, reason) in strongest.into_values() {
        let (left, right) = (&records[a], &records[b]);
        let reason = match reason {
            ReviewReason::Uncertain => {
                format!("match weight {weight:.1} lies between the thresholds: perhaps the same human")
            }
            ReviewReason::ConflictingClusters => format!(
                "match weight {weight:.1} is high, but joining would put conflicting numbers or birth dates \
                 into one person"
            ),
        };
        plan.links_of.entry(right.record_id).or_default().push(IdentityLink {
            link_id: IdentityLink::id_for(left.record_id, right.record_id),
            kind: LinkKind::Review,
            left_record: left.record_id,
            right_record: right.record_id,
            left_person: person_of_label(label[a]),
            right_person: person_of_label(label[b]),
            match_weight: weight,
            reason,
            created_seq: right.seq,
            created_at: created_at.clone(),
            outcome: None,
            decision_id: None,
        });
        plan.links += 1;
    }
    plan
}

/// Writes a [`BatchPlan`] through the resolution projection (for [`crate::rebuild`]).
pub struct PlannedResolver {
    plan: BatchPlan,
}

impl PlannedResolver {
    pub fn new(plan: BatchPlan) -> Self {
        Self { plan }
    }
}

#[async_trait]
impl Resolver for PlannedResolver {
    fn name(&self) -> &'static str {
        "batch plan"
    }

    async fn resolve_page(
        &self,
        _transaction: &mut dyn WriteTransaction,
        records: &[ResolutionInput],
    ) -> Result<PageResolution, ResolveError> {
        let mut page = PageResolution::default();
        let mut keys: HashSet<(String, PersonId)> = HashSet::new();
        for record in records {
            // A record the plan does not know (appended after it was made) starts its own person.
            let person = self
                .plan
                .person_of
                .get(&record.record_id)
                .copied()
                .unwrap_or(PersonId::first_named_by(record.record_id));
            if person == PersonId::first_named_by(record.record_id) {
                page.new_persons.push(NewPerson { person_id: person, created_seq: record.seq });
            }
            for key in &record.identity_keys {
                if keys.insert((key.clone(), person)) {
                    page.identity_keys.push((key.clone(), person));
                }
            }
            page.links.extend(self.plan.links_of.get(&record.record_id).into_iter().flatten().cloned());
            page.assignments.push(RecordAssignment { person_id: person, seq: record.seq, record_id: record.record_id });
        }
        Ok(page)
    }
}
