//! `hospes audit verify`: replay the stored log and check it against every signed tree head.
//!
//! Three checks, each naming where the log stops being what was signed: every row's leaf hash is
//! the hash of its event (an event altered in place is named by its leaf index); the rows are
//! contiguous (a deleted row is named); and the leaf hashes give, at each signed size, the root the
//! log signed then (a row altered together with its leaf hash is caught here, and the range named).

use hospes_store::audit::AuditStore;
use hospes_transparency::{KeyId, LogAuditFinding, LogAuditor, SignedTreeHead, VerifyingKey, hash_leaf};

use crate::log::{AuditError, signed_tree_head};

/// Events read per page.
const PAGE: i64 = 10_000;

/// What the verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    pub events: u64,
    pub tree_heads_checked: usize,
    /// The size of the newest signed tree head; events beyond it are not yet covered by a signature.
    pub latest_signed_size: u64,
    /// Whether the keys came from the store itself rather than from the auditor.
    pub keys_from_store: bool,
    /// The first problem, if any.
    pub problem: Option<AuditProblem>,
}

impl AuditVerification {
    pub fn is_intact(&self) -> bool {
        self.problem.is_none()
    }
}

/// The first place the stored log differs from what was signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditProblem {
    #[error("event {leaf_index}: its content does not hash to its stored leaf hash (the event was altered)")]
    AlteredEvent { leaf_index: i64 },
    #[error("event {expected} is missing (the next stored event is {found})")]
    MissingEvent { expected: i64, found: i64 },
    #[error("event {leaf_index}: {reason}")]
    Unreadable { leaf_index: i64, reason: String },
    #[error("signed tree head {index}: {reason}")]
    MalformedTreeHead { index: usize, reason: String },
    #[error("{0}")]
    Log(#[from] LogAuditFinding),
}

/// Verifies the log in `store`. With `trusted_keys` empty, the keys recorded in the store are used
/// (and the result says so: an auditor should pin the log's public key instead).
pub async fn verify_audit_log(
    store: &dyn AuditStore,
    trusted_keys: &[VerifyingKey],
) -> Result<AuditVerification, AuditError> {
    let (keys, keys_from_store) = if trusted_keys.is_empty() {
        let mut keys = Vec::new();
        for stored in store.signing_keys().await? {
            let bytes: [u8; 32] = stored.public_key.as_slice().try_into().map_err(|_| AuditError::Corrupt {
                leaf_index: -1,
                reason: "a stored signing key is not 32 bytes".into(),
            })?;
            let key = VerifyingKey::from_bytes(&bytes).map_err(|error| AuditError::Corrupt {
                leaf_index: -1,
                reason: format!("a stored signing key is not an Ed25519 key: {error}"),
            })?;
            if KeyId::of(&key).as_bytes().as_slice() != stored.key_id.as_slice() {
                return Err(AuditError::Corrupt {
                    leaf_index: -1,
                    reason: "a stored signing key does not match its key id".into(),
                });
            }
            keys.push(key);
        }
        (keys, true)
    } else {
        (trusted_keys.to_vec(), false)
    };
    let mut report =
        AuditVerification { events: 0, tree_heads_checked: 0, latest_signed_size: 0, keys_from_store, problem: None };
    let mut tree_heads: Vec<SignedTreeHead> = Vec::new();
    for (index, stored) in store.tree_heads().await?.iter().enumerate() {
        match signed_tree_head(stored) {
            Ok(signed) => tree_heads.push(signed),
            Err(reason) => {
                report.problem = Some(AuditProblem::MalformedTreeHead { index, reason });
                return Ok(report);
            }
        }
    }
    report.latest_signed_size = tree_heads.iter().map(|head| head.tree_head.size).max().unwrap_or(0);
    let mut auditor = match LogAuditor::from_signed_tree_heads(&tree_heads, &keys) {
        Ok(auditor) => auditor,
        Err(finding) => {
            report.problem = Some(finding.into());
            return Ok(report);
        }
    };
    let mut next: i64 = 0;
    loop {
        let page = store.events_from(next, PAGE).await?;
        if page.is_empty() {
            break;
        }
        for event in page {
            if event.leaf_index != next {
                report.problem = Some(AuditProblem::MissingEvent { expected: next, found: event.leaf_index });
                return Ok(report);
            }
            let computed = hash_leaf(&event.event);
            if computed.to_bytes().as_slice() != event.leaf_hash.as_slice() {
                report.problem = Some(AuditProblem::AlteredEvent { leaf_index: event.leaf_index });
                return Ok(report);
            }
            if serde_json::from_slice::<crate::AuditEvent>(&event.event).is_err() {
                report.problem = Some(AuditProblem::Unreadable {
                    leaf_index: event.leaf_index,
                    reason: "not an audit event".into(),
                });
                return Ok(report);
            }
            if let Err(finding) = auditor.push_leaf_hash(computed) {
                report.problem = Some(finding.into());
                return Ok(report);
            }
            next += 1;
            report.events += 1;
        }
    }
    match auditor.finish() {
        Ok(audit) => report.tree_heads_checked = audit.tree_heads_checked,
        Err(finding) => report.problem = Some(finding.into()),
    }
    Ok(report)
}
