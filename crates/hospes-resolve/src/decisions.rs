//! Officers' decisions on identity links: a system record, the link's cached outcome, and for
//! `same` the merge of the two persons, in one transaction.

use hospes_model::{PersonId, Timestamp};
use hospes_store::links::{IdentityLink, LinkOutcome};
use hospes_store::system::{NewSystemRecord, SystemRecordKind};
use hospes_store::{Store, StoreError};
use serde_json::json;
use uuid::Uuid;

use crate::Resolver;

/// An officer's decision on one link.
#[derive(Debug, Clone)]
pub struct LinkDecision {
    pub link_id: Uuid,
    pub outcome: LinkOutcome,
    pub reason: String,
    /// Who decided: the officer's subject and organisation.
    pub officer: String,
    pub organisation: String,
}

/// Why a decision was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error("no identity link {0}")]
    NotFound(Uuid),
    #[error("identity link {0} is already decided")]
    AlreadyDecided(Uuid),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a decision did.
#[derive(Debug, Clone)]
pub struct Decided {
    /// The link as decided, with the persons as they are now.
    pub link: IdentityLink,
    pub decision_id: Uuid,
    /// For a `same` decision on two persons: (the id that now redirects, the survivor).
    pub merged: Option<(PersonId, PersonId)>,
}

/// Records the decision; `same` merges the later person into the earlier one. The resolver is told
/// after the commit, so that its index and a later rebuild follow the decision.
pub async fn decide_link(
    store: &dyn Store,
    resolver: &dyn Resolver,
    decision: &LinkDecision,
) -> Result<Decided, DecideError> {
    let link_id = decision.link_id;
    let mut transaction = store.begin_write().await?;
    let mut link = transaction.identity_link_in_transaction(link_id).await?.ok_or(DecideError::NotFound(link_id))?;
    if link.outcome.is_some() {
        return Err(DecideError::AlreadyDecided(link_id));
    }
    // The persons as they are now (an earlier merge or split may have moved either record).
    let persons = transaction.persons_for_records(&[link.left_record, link.right_record]).await?;
    let left_person = persons.get(&link.left_record).copied().unwrap_or(link.left_person);
    let right_person = persons.get(&link.right_record).copied().unwrap_or(link.right_person);
    let record = transaction
        .append_system_record(&NewSystemRecord {
            kind: SystemRecordKind::IdentityLinkDecision,
            person_id: left_person,
            refers_to: link_id,
            created_at: Timestamp::from_utc(chrono::Utc::now()),
            body: json!({
                "link_id": link_id,
                "kind": link.kind.as_str(),
                "left_record": link.left_record,
                "right_record": link.right_record,
                "left_person": left_person,
                "right_person": right_person,
                "outcome": decision.outcome.as_str(),
                "reason": decision.reason,
                "officer": decision.officer,
                "organisation": decision.organisation,
            }),
        })
        .await?;
    transaction.decide_identity_link(link_id, decision.outcome, record.record_id).await?;
    let merged =
        (decision.outcome == LinkOutcome::Same && left_person != right_person).then_some((right_person, left_person));
    if let Some((vanishing, survivor)) = merged {
        let reason = format!("merged by the decision on identity link {link_id}");
        transaction.merge_persons(vanishing, survivor, &record.created_at, &reason).await?;
    }
    transaction.commit().await?;
    resolver.link_decided(link.left_record, link.right_record, decision.outcome).await;
    if let Some((vanishing, survivor)) = merged {
        resolver.persons_merged(vanishing, survivor).await;
    }
    tracing::info!(%link_id, outcome = decision.outcome.as_str(), merged = merged.is_some(), "identity link decided");
    link.outcome = Some(decision.outcome);
    link.decision_id = Some(record.record_id);
    link.left_person = left_person;
    link.right_person = if merged.is_some() { left_person } else { right_person };
    Ok(Decided { link, decision_id: record.record_id, merged })
}
