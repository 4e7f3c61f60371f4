//! System records: contests and decisions on them, in a hash chain of their own beside the ledger.
//!
//! The agencies' ledger holds what agencies said; this chain holds what happened in Hospes about it —
//! a person contested a record, an officer upheld or rejected the contest. Both are facts with
//! provenance that change how a record counts (a contested record is flagged; an overturned one no
//! longer counts for the status), so they are kept the same way: append-only, chained, verifiable.

use hospes_model::{PersonId, RecordId, Sha256Digest, Timestamp, canonical_json, chain_hash};
use serde::Serialize;
use uuid::Uuid;

use crate::StoreError;

/// What a system record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemRecordKind {
    /// A person contests one of their ledger records (`refers_to` is that record).
    Contest,
    /// An officer's decision on a contest (`refers_to` is the contest).
    ContestDecision,
    /// An officer's decision on an identity link (`refers_to` is the link; the body names both
    /// records and the outcome, so that a rebuild of resolution applies it again).
    IdentityLinkDecision,
    /// An officer split records off a person into a new one (`refers_to` is the first record moved;
    /// the body lists them all).
    PersonSplit,
}

impl SystemRecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contest => "contest",
            Self::ContestDecision => "contest_decision",
            Self::IdentityLinkDecision => "identity_link_decision",
            Self::PersonSplit => "person_split",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "contest" => Some(Self::Contest),
            "contest_decision" => Some(Self::ContestDecision),
            "identity_link_decision" => Some(Self::IdentityLinkDecision),
            "person_split" => Some(Self::PersonSplit),
            _ => None,
        }
    }
}

/// A system record to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSystemRecord {
    pub kind: SystemRecordKind,
    pub person_id: PersonId,
    /// The ledger record contested, or the contest decided.
    pub refers_to: Uuid,
    pub created_at: Timestamp,
    /// What was said: who, why, and for a decision the outcome.
    pub body: serde_json::Value,
}

/// A stored system record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SystemRecord {
    pub seq: i64,
    pub record_id: Uuid,
    pub kind: SystemRecordKind,
    pub person_id: PersonId,
    pub refers_to: Uuid,
    pub created_at: String,
    pub body: serde_json::Value,
    #[serde(skip)]
    pub previous_hash: Sha256Digest,
    #[serde(skip)]
    pub hash: Sha256Digest,
}

/// The part of a system record its chain hash covers.
#[derive(Serialize)]
struct Header<'a> {
    format: u32,
    record_id: Uuid,
    kind: &'a str,
    person_id: Uuid,
    refers_to: Uuid,
    created_at: &'a str,
    body: &'a serde_json::Value,
}

/// `SHA-256(previous ‖ canonical header)`.
pub fn system_record_hash(
    previous: Sha256Digest,
    record_id: Uuid,
    kind: SystemRecordKind,
    person_id: PersonId,
    refers_to: Uuid,
    created_at: &str,
    body: &serde_json::Value,
) -> Result<Sha256Digest, StoreError> {
    let header = canonical_json(&Header {
        format: 1,
        record_id,
        kind: kind.as_str(),
        person_id: person_id.uuid(),
        refers_to,
        created_at,
        body,
    })
    .map_err(|error| StoreError::CorruptRow { seq: 0, reason: format!("cannot serialise a system record: {error}") })?;
    Ok(chain_hash(previous, &header))
}

/// One row of `system_records`, column for column.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SystemRow {
    pub seq: i64,
    pub record_id: Uuid,
    pub kind: String,
    pub person_id: Uuid,
    pub refers_to: Uuid,
    pub created_at: String,
    pub body: String,
    pub previous_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

/// The columns of [`SystemRow`], for SELECTs.
pub const SYSTEM_COLUMNS: &str = "seq, record_id, kind, person_id, refers_to, created_at, body, previous_hash, hash";

/// The same columns of the table aliased `c`.
pub const SYSTEM_COLUMNS_OF_C: &str =
    "c.seq, c.record_id, c.kind, c.person_id, c.refers_to, c.created_at, c.body, c.previous_hash, c.hash";

impl SystemRow {
    pub fn into_record(self) -> Result<SystemRecord, StoreError> {
        let seq = self.seq;
        let corrupt = |reason: String| StoreError::CorruptRow { seq, reason: format!("system record: {reason}") };
        let digest = |name: &str, bytes: &[u8]| {
            Sha256Digest::from_slice(bytes).ok_or_else(|| corrupt(format!("column {name} is not a SHA-256 digest")))
        };
        Ok(SystemRecord {
            seq,
            record_id: self.record_id,
            kind: SystemRecordKind::parse(&self.kind)
                .ok_or_else(|| corrupt(format!("unknown kind '{}'", self.kind)))?,
            person_id: PersonId::from_uuid(self.person_id),
            refers_to: self.refers_to,
            body: serde_json::from_str(&self.body).map_err(|error| corrupt(format!("body is not JSON: {error}")))?,
            created_at: self.created_at,
            previous_hash: digest("previous_hash", &self.previous_hash)?,
            hash: digest("hash", &self.hash)?,
        })
    }
}

/// The outcome of checking the system chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemChainVerification {
    pub records_checked: i64,
    /// The first record that does not fit, and why.
    pub first_problem: Option<(i64, String)>,
}

/// Recomputes every link of the system chain from its rows.
pub async fn verify_system_chain(store: &dyn crate::Store) -> Result<SystemChainVerification, StoreError> {
    let mut previous = Sha256Digest::ZERO;
    let mut expected_seq = 1;
    let mut checked = 0;
    loop {
        let rows = store.system_rows_after(expected_seq - 1, 1000).await?;
        if rows.is_empty() {
            return Ok(SystemChainVerification { records_checked: checked, first_problem: None });
        }
        for row in rows {
            let seq = row.seq;
            if seq != expected_seq {
                let problem = format!("system record {expected_seq} is missing (the next is {seq})");
                return Ok(SystemChainVerification {
                    records_checked: checked,
                    first_problem: Some((expected_seq, problem)),
                });
            }
            let problem = match row.into_record() {
                Err(error) => Some(error.to_string()),
                Ok(record) => {
                    let recomputed = system_record_hash(
                        previous,
                        record.record_id,
                        record.kind,
                        record.person_id,
                        record.refers_to,
                        &record.created_at,
                        &record.body,
                    )?;
                    if record.previous_hash != previous {
                        Some("its previous hash is not the hash of the record before it".to_owned())
                    } else if recomputed != record.hash {
                        Some("its content does not match its hash: the record was altered".to_owned())
                    } else {
                        previous = record.hash;
                        None
                    }
                }
            };
            if let Some(problem) = problem {
                return Ok(SystemChainVerification { records_checked: checked, first_problem: Some((seq, problem)) });
            }
            checked += 1;
            expected_seq += 1;
        }
    }
}

/// What the system chain says about a person's ledger records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContestState {
    /// Records under a contest no officer has decided.
    pub contested: std::collections::HashSet<RecordId>,
    /// Records whose contest an officer upheld: they no longer count.
    pub overturned: std::collections::HashSet<RecordId>,
}

impl ContestState {
    /// Reads a person's system records (in chain order).
    pub fn of(records: &[SystemRecord]) -> ContestState {
        let decisions: std::collections::HashMap<Uuid, &SystemRecord> = records
            .iter()
            .filter(|record| record.kind == SystemRecordKind::ContestDecision)
            .map(|decision| (decision.refers_to, decision))
            .collect();
        let mut state = ContestState::default();
        for contest in records.iter().filter(|record| record.kind == SystemRecordKind::Contest) {
            let record = RecordId::from_uuid(contest.refers_to);
            match decisions.get(&contest.record_id) {
                None => {
                    state.contested.insert(record);
                }
                Some(decision) if decision.body["outcome"] == "upheld" => {
                    state.overturned.insert(record);
                }
                Some(_) => {}
            }
        }
        state
    }
}
