//! The probabilistic resolver: each new record matched through the [`MatchIndex`] against every
//! record already resolved, with identity links where the evidence does not settle it.
//!
//! For each record, in ledger order:
//! 1. a correction belongs to the person of the record it supersedes;
//! 2. an officer's decision on a link raised by this record applies again (`same`: it joins the
//!    other person; `different`: that person is not a candidate) — so a rebuild reproduces what
//!    officers decided;
//! 3. otherwise the best-matching person at or above the upper threshold takes the record;
//! 4. between the thresholds, the record starts a new person and a `review` link asks an officer;
//! 5. a record that shares an official number exactly with someone it otherwise does not match
//!    starts a new person with a `suspected_fraud` link: one document behind two identities;
//! 6. a record that also matches a second person above the upper threshold raises a `review` link
//!    between the two persons (perhaps one human resolved twice); nothing is merged without an
//!    officer.
//!
//! The index lives in memory. It is built from the store on first use (or [`MatchingResolver::warm`])
//! and follows the checkpoint: if the store's checkpoint is not where the index left it (a
//! transaction rolled back, another process resolved records), it is built again.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use hospes_model::{PersonId, RecordId};
use hospes_store::links::{IdentityLink, LinkKind, LinkOutcome};
use hospes_store::system::SystemRecordKind;
use hospes_store::{NewPerson, RecordAssignment, Store, WriteTransaction};
use tokio::sync::Mutex;

use crate::keys::ResolutionInput;
use crate::matching::index::{CandidateOwner, MatchIndex, Owner};
use crate::matching::model::MatchModel;
use crate::matching::{MatchConfig, MatchRecord};
use crate::{PageResolution, ResolveError, Resolver};

/// The model used until one is trained on the store (`hospes resolve --all`): trained on 100,000
/// synthetic persons of this population (`hospes bench resolve --synth 100000 --save-model …`).
const DEFAULT_MODEL: &str = include_str!("default-match-model.json");

/// At most this many links per record: a record resembling many people is one question, not many.
const MAX_LINKS_PER_RECORD: usize = 3;

/// The file, in the data directory, where `hospes resolve --all` keeps the model it trained.
pub const MODEL_FILE_NAME: &str = "match-model.json";

/// Why a model could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read the match model {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("the match model {path} is not a model: {source}")]
    Parse { path: String, source: serde_json::Error },
}

/// The built-in model.
pub fn default_model() -> Result<MatchModel, ModelError> {
    serde_json::from_str(DEFAULT_MODEL).map_err(|source| ModelError::Parse { path: "(built in)".to_owned(), source })
}

/// A model saved by `hospes resolve --all` or `hospes bench resolve --save-model`.
pub fn load_model(path: &Path) -> Result<MatchModel, ModelError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| ModelError::Read { path: path.display().to_string(), source })?;
    serde_json::from_str(&text).map_err(|source| ModelError::Parse { path: path.display().to_string(), source })
}

/// The model in `data_dir` if one was saved there, else the built-in one.
pub fn model_for_data_dir(data_dir: Option<&Path>) -> Result<MatchModel, ModelError> {
    match data_dir.map(|dir| dir.join(MODEL_FILE_NAME)).filter(|path| path.exists()) {
        Some(path) => load_model(&path),
        None => default_model(),
    }
}

/// Officers' decisions on links (and splits, as `different`), by the later of the two records.
#[derive(Debug, Default, Clone)]
pub struct Decisions {
    pub by_right_record: HashMap<RecordId, Vec<(RecordId, LinkOutcome)>>,
}

impl Decisions {
    pub fn add(&mut self, left: RecordId, right: RecordId, outcome: LinkOutcome) {
        let list = self.by_right_record.entry(right).or_default();
        list.retain(|(other, _)| *other != left);
        list.push((left, outcome));
    }

    /// Every decision in the store's system chain.
    pub async fn load(store: &dyn Store) -> Result<Self, ResolveError> {
        let mut decisions = Self::default();
        let mut after_seq = 0;
        loop {
            let rows = store.system_rows_after(after_seq, 5_000).await?;
            let Some(last) = rows.last() else { break };
            after_seq = last.seq;
            for row in rows {
                // A split keeps its two first records apart just as a `different` decision does.
                if row.kind != SystemRecordKind::IdentityLinkDecision.as_str()
                    && row.kind != SystemRecordKind::PersonSplit.as_str()
                {
                    continue;
                }
                match serde_json::from_str::<DecisionBody>(&row.body) {
                    Ok(body) => decisions.add(
                        RecordId::from_uuid(body.left_record),
                        RecordId::from_uuid(body.right_record),
                        body.outcome,
                    ),
                    Err(error) => tracing::warn!(seq = row.seq, %error, "an identity link decision cannot be read"),
                }
            }
        }
        Ok(decisions)
    }
}

/// The index and what it has seen.
struct Loaded {
    index: MatchIndex,
    /// Index position of every indexed record.
    positions: HashMap<RecordId, u32>,
    records: Vec<RecordId>,
    decisions: Decisions,
    /// The checkpoint the index is at.
    resolved_seq: i64,
}

/// Resolves records through the incremental matching index.
pub struct MatchingResolver {
    store: Arc<dyn Store>,
    model: MatchModel,
    config: MatchConfig,
    loaded: Mutex<Option<Loaded>>,
}

fn owner_of(person: PersonId) -> Owner {
    person.uuid().as_u128()
}

fn person_of(owner: Owner) -> PersonId {
    PersonId::from_uuid(uuid::Uuid::from_u128(owner))
}

/// What the decision body of an `identity_link_decision` system record says.
#[derive(serde::Deserialize)]
struct DecisionBody {
    left_record: uuid::Uuid,
    right_record: uuid::Uuid,
    outcome: LinkOutcome,
}

impl MatchingResolver {
    pub fn new(store: Arc<dyn Store>, model: MatchModel, config: MatchConfig) -> Self {
        Self { store, model, config, loaded: Mutex::new(None) }
    }

    /// Builds the index now rather than at the first record.
    pub async fn warm(&self) -> Result<usize, ResolveError> {
        let mut guard = self.loaded.lock().await;
        let resolved_seq = self.store.counts().await?.resolved_seq;
        Ok(self.loaded_at(&mut guard, resolved_seq).await?.index.len())
    }

    /// The index, built again unless it is at the store's checkpoint `resolved_seq`.
    async fn loaded_at<'a>(
        &self,
        slot: &'a mut Option<Loaded>,
        resolved_seq: i64,
    ) -> Result<&'a mut Loaded, ResolveError> {
        let current = slot.take().filter(|loaded| loaded.resolved_seq == resolved_seq);
        let loaded = match current {
            Some(loaded) => loaded,
            None => self.build(resolved_seq).await?,
        };
        Ok(slot.insert(loaded))
    }

    /// Reads every resolved record and every decision from the store.
    async fn build(&self, resolved_seq: i64) -> Result<Loaded, ResolveError> {
        let started = std::time::Instant::now();
        let mut loaded = Loaded {
            index: MatchIndex::new(self.model.clone(), self.config.clone()),
            positions: HashMap::new(),
            records: Vec::new(),
            decisions: Decisions::default(),
            resolved_seq,
        };
        let mut after = None;
        loop {
            let page = self.store.records_of_persons_after(after, 2_000).await?;
            let Some((last, _)) = page.last() else { break };
            after = Some(*last);
            for (person, records) in &page {
                for record in records {
                    let input = ResolutionInput::from_stored(record);
                    let (prepared, _) = loaded.index.prepare(&input.match_record);
                    let position = loaded.index.insert(prepared, owner_of(*person));
                    loaded.positions.insert(input.record_id, position);
                    loaded.records.push(input.record_id);
                }
            }
        }
        loaded.decisions = Decisions::load(&*self.store).await?;
        tracing::info!(records = loaded.index.len(), seconds = started.elapsed().as_secs_f64(), "matching index built");
        Ok(loaded)
    }
}

#[async_trait]
impl Resolver for MatchingResolver {
    fn name(&self) -> &'static str {
        "probabilistic"
    }

    async fn resolve_page(
        &self,
        transaction: &mut dyn WriteTransaction,
        records: &[ResolutionInput],
    ) -> Result<PageResolution, ResolveError> {
        let mut guard = self.loaded.lock().await;
        let resolved_seq = transaction.resolved_seq().await?;
        let loaded = self.loaded_at(&mut guard, resolved_seq).await?;
        let (upper, _) = self.config.weight_thresholds();
        let created_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        // Superseded records resolved before the index was built are found through the store.
        let superseded: Vec<RecordId> = records
            .iter()
            .flat_map(|record| record.supersedes.iter().copied())
            .filter(|record| !loaded.positions.contains_key(record))
            .collect();
        let stored_persons = transaction.persons_for_records(&superseded).await?;

        let mut page = PageResolution::default();
        let mut new_keys: std::collections::HashSet<(String, PersonId)> = std::collections::HashSet::new();
        for record in records {
            let (prepared, warnings) = loaded.index.prepare(&record.match_record);
            if !warnings.is_empty() {
                page.hard_to_match += 1;
                // A record without a name is ordinary (a tax record names the taxpayer number only);
                // an unreadable script, an absurd date or nothing at all to compare is worth a warning.
                let troubling = warnings.unsupported_scripts > 0
                    || warnings.implausible_birth_dates > 0
                    || warnings.nothing_to_compare > 0;
                if troubling {
                    tracing::warn!(
                        record_id = %record.record_id,
                        unsupported_script = warnings.unsupported_scripts > 0,
                        implausible_birth_date = warnings.implausible_birth_dates > 0,
                        nothing_to_compare = warnings.nothing_to_compare > 0,
                        "a record gives matching little to go on; it resolves to a new person unless something matches"
                    );
                } else {
                    tracing::debug!(record_id = %record.record_id, "a record without a name matches on its other fields");
                }
            }
            let by_supersession = record.supersedes.iter().find_map(|superseded| {
                loaded
                    .positions
                    .get(superseded)
                    .and_then(|position| loaded.index.owner_of(*position))
                    .map(person_of)
                    .or_else(|| stored_persons.get(superseded).copied())
            });
            let decided = loaded.decisions.by_right_record.get(&record.record_id).cloned().unwrap_or_default();
            let person_of_record = |loaded: &Loaded, record: &RecordId| {
                loaded.positions.get(record).and_then(|position| loaded.index.owner_of(*position))
            };
            let decided_same = decided
                .iter()
                .filter(|(_, outcome)| *outcome == LinkOutcome::Same)
                .find_map(|(left, _)| person_of_record(loaded, left));
            let decided_apart: Vec<Owner> = decided
                .iter()
                .filter(|(_, outcome)| *outcome == LinkOutcome::Different)
                .filter_map(|(left, _)| person_of_record(loaded, left))
                .collect();

            let candidates: Vec<CandidateOwner> = if by_supersession.is_some() || decided_same.is_some() {
                Vec::new()
            } else {
                loaded.index.candidates(&prepared).into_iter().filter(|c| !decided_apart.contains(&c.owner)).collect()
            };
            let best = candidates.first().filter(|candidate| candidate.match_weight >= upper);
            let person = match (by_supersession, decided_same.map(person_of), best) {
                (Some(person), _, _) | (None, Some(person), _) => person,
                (None, None, Some(best)) => person_of(best.owner),
                (None, None, None) => {
                    let person = PersonId::first_named_by(record.record_id);
                    page.new_persons.push(NewPerson { person_id: person, created_seq: record.seq });
                    person
                }
            };
            // Links for what the evidence does not settle: a second strong match; a possible match
            // for a record that started a new person; one number behind two identities.
            let owner = owner_of(person);
            let started_new_person = page.new_persons.last().is_some_and(|new| new.person_id == person);
            let (_, lower) = self.config.weight_thresholds();
            let mut raised = 0;
            for candidate in &candidates {
                if candidate.owner == owner || raised >= MAX_LINKS_PER_RECORD {
                    continue;
                }
                let kind = if candidate.identity_conflict && candidate.match_weight < upper {
                    LinkKind::SuspectedFraud
                } else if candidate.match_weight >= upper || (started_new_person && candidate.match_weight >= lower) {
                    LinkKind::Review
                } else {
                    continue;
                };
                raised += 1;
                let Some(left_record) = loaded.records.get(candidate.record as usize).copied() else { continue };
                let reason = match kind {
                    LinkKind::SuspectedFraud => format!(
                        "shares an official number with a record of another person, but the birth date or the \
                         whole name differs (match weight {:.1})",
                        candidate.match_weight
                    ),
                    LinkKind::Review if candidate.match_weight >= upper => format!(
                        "matches two persons above the upper threshold (weight {:.1} here): they may be one human",
                        candidate.match_weight
                    ),
                    LinkKind::Review => format!(
                        "match weight {:.1} lies between the thresholds: perhaps the same human",
                        candidate.match_weight
                    ),
                };
                page.links.push(IdentityLink {
                    link_id: IdentityLink::id_for(left_record, record.record_id),
                    kind,
                    left_record,
                    right_record: record.record_id,
                    left_person: person_of(candidate.owner),
                    right_person: person,
                    match_weight: candidate.match_weight,
                    reason,
                    created_seq: record.seq,
                    created_at: created_at.clone(),
                    outcome: decided.iter().find(|(left, _)| *left == left_record).map(|(_, outcome)| *outcome),
                    decision_id: None,
                });
            }
            // Identity keys stay written: lookups by document number read them.
            for key in &record.identity_keys {
                if new_keys.insert((key.clone(), person)) {
                    page.identity_keys.push((key.clone(), person));
                }
            }
            let position = loaded.index.insert(prepared, owner);
            loaded.positions.insert(record.record_id, position);
            loaded.records.push(record.record_id);
            page.assignments.push(RecordAssignment { person_id: person, seq: record.seq, record_id: record.record_id });
        }
        if let Some(last) = records.last() {
            loaded.resolved_seq = last.seq;
        }
        Ok(page)
    }

    /// After an officer merged `vanishing` into `survivor` (and committed).
    async fn persons_merged(&self, vanishing: PersonId, survivor: PersonId) {
        if let Some(loaded) = self.loaded.lock().await.as_mut() {
            loaded.index.reassign_owner(owner_of(vanishing), owner_of(survivor));
        }
    }

    /// After an officer moved records to another person (and committed).
    async fn records_moved(&self, records: &[RecordId], to: PersonId) {
        if let Some(loaded) = self.loaded.lock().await.as_mut() {
            for record in records {
                if let Some(position) = loaded.positions.get(record) {
                    loaded.index.reassign_record(*position, owner_of(to));
                }
            }
        }
    }

    /// After an officer decided a link (and committed): a rebuild must apply it again.
    async fn link_decided(&self, left: RecordId, right: RecordId, outcome: LinkOutcome) {
        if let Some(loaded) = self.loaded.lock().await.as_mut() {
            loaded.decisions.add(left, right, outcome);
        }
    }

    /// The explanation of two records under the index's model.
    async fn explain(
        &self,
        left: &MatchRecord,
        right: &MatchRecord,
    ) -> Result<Option<crate::matching::explain::Explanation>, ResolveError> {
        let mut guard = self.loaded.lock().await;
        // Any index explains; only resolution needs it at the checkpoint.
        let loaded = match guard.take() {
            Some(loaded) => loaded,
            None => self.build(self.store.counts().await?.resolved_seq).await?,
        };
        Ok(Some(guard.insert(loaded).index.explain(left, right)))
    }
}
