//! Contests: the person says a record about them is wrong; an officer decides.
//!
//! Both are system records, appended to the system chain beside the ledger (see
//! `hospes_store::system`): nothing in the agencies' ledger is changed. While a contest is open the
//! record still counts and the status names it as contested; once an officer upholds the contest,
//! the record no longer counts for the status; a rejected contest leaves it as it was. Filing and
//! deciding are audited, and the person sees both in their access log.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use hospes_audit::Outcome;
use hospes_model::{PersonId, RecordId, Timestamp};
use hospes_policy::{Action, Purpose};
use hospes_store::system::{NewSystemRecord, SystemRecord, SystemRecordKind};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::AppState;
use crate::access::{Target, grant_action};
use crate::problem::{ApiError, Problem};
use crate::reads::own_person;

/// Longest reason accepted, in characters.
const MAX_REASON_CHARS: usize = 2000;

/// A person's contest of one of their records.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContestRequest {
    /// The record contested (from `/v1/me/profile`).
    pub record_id: Uuid,
    /// What is wrong with it, in the person's words.
    pub reason: String,
}

/// An officer's decision on a contest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// `upheld` (the record is wrong: it no longer counts) or `rejected` (it stands).
    pub outcome: String,
    /// Why, in words the person will read.
    pub reason: String,
}

/// A contest and, once decided, its decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContestView {
    pub contest_id: Uuid,
    pub person_id: Uuid,
    pub record_id: Uuid,
    pub filed_at: String,
    pub reason: String,
    /// `open`, `upheld` or `rejected`.
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionView>,
}

/// An officer's decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    pub decision_id: Uuid,
    pub decided_at: String,
    pub outcome: String,
    pub reason: String,
    /// The organisation of the officer who decided (the officer's own id stays in the audit log).
    pub decided_by: String,
}

/// A list of contests.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContestsResponse {
    pub contests: Vec<ContestView>,
}

/// `?limit=`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ContestListQuery {
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
}

fn text(value: &serde_json::Value, field: &str) -> String {
    value.get(field).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned()
}

/// The contests among `records` (a person's system records), each with its decision.
fn views(records: &[SystemRecord]) -> Vec<ContestView> {
    records
        .iter()
        .filter(|record| record.kind == SystemRecordKind::Contest)
        .map(|contest| {
            let decision = records.iter().find(|record| {
                record.kind == SystemRecordKind::ContestDecision && record.refers_to == contest.record_id
            });
            ContestView {
                contest_id: contest.record_id,
                person_id: contest.person_id.uuid(),
                record_id: contest.refers_to,
                filed_at: contest.created_at.clone(),
                reason: text(&contest.body, "reason"),
                state: decision.map_or_else(|| "open".to_owned(), |decision| text(&decision.body, "outcome")),
                decision: decision.map(|decision| DecisionView {
                    decision_id: decision.record_id,
                    decided_at: decision.created_at.clone(),
                    outcome: text(&decision.body, "outcome"),
                    reason: text(&decision.body, "reason"),
                    decided_by: text(&decision.body, "organisation"),
                }),
            }
        })
        .collect()
}

pub(crate) fn checked_reason(reason: &str) -> Result<String, ApiError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::InvalidParameter("reason: say what is wrong (it is empty)".into()));
    }
    let length = reason.chars().count();
    if length > MAX_REASON_CHARS {
        return Err(ApiError::InvalidParameter(format!(
            "reason: {length} characters; at most {MAX_REASON_CHARS} are accepted"
        )));
    }
    Ok(reason.to_owned())
}

pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|error| ApiError::InvalidParameter(format!("the request body: {error}")))
}

async fn append(state: &AppState, record: NewSystemRecord) -> Result<SystemRecord, ApiError> {
    let mut transaction = state.store.begin_write().await?;
    let stored = transaction.append_system_record(&record).await?;
    transaction.commit().await?;
    Ok(stored)
}

/// Contest one of your records: say what is wrong. The record is marked as contested until an officer
/// decides; if the contest is upheld, the record no longer counts for your status.
#[utoipa::path(
    post,
    path = "/v1/me/contests",
    tag = "me",
    request_body = ContestRequest,
    responses(
        (status = 201, body = ContestView),
        (status = 400, description = "Malformed request, or an empty or too long reason", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a person's own token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such record about the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The record already has an open contest", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn file_contest(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<ContestView>), ApiError> {
    let grant = grant_action(&state, &headers, Action::FileContest, Purpose::OwnData, Target::Caller).await?;
    let person = own_person(&grant)?;
    let request: ContestRequest = parse_body(&body)?;
    let reason = checked_reason(&request.reason)?;
    let record_id = RecordId::from_uuid(request.record_id);
    let record = match state.store.person_of_record(record_id).await? {
        Some(owner) if owner == person => state.store.record(record_id).await?,
        _ => None,
    };
    let Some(record) = record else {
        return Err(ApiError::NotFound(format!("no record {record_id} about you")));
    };
    let existing = state.store.system_records_of_person(person).await?;
    if views(&existing).iter().any(|contest| contest.record_id == request.record_id && contest.state == "open") {
        return Err(ApiError::StateConflict(format!(
            "record {record_id} already has an open contest; an officer will decide it"
        )));
    }
    let contest = append(
        &state,
        NewSystemRecord {
            kind: SystemRecordKind::Contest,
            person_id: person,
            refers_to: request.record_id,
            created_at: Timestamp::from_utc(chrono::Utc::now()),
            body: json!({ "reason": reason }),
        },
    )
    .await?;
    grant.audit("file_contest", vec![person], [record.envelope.category], Outcome::Allowed).await?;
    let view = views(std::slice::from_ref(&contest)).pop().ok_or(ApiError::Unavailable)?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Your contests and the decisions on them.
#[utoipa::path(
    get,
    path = "/v1/me/contests",
    tag = "me",
    responses(
        (status = 200, body = ContestsResponse),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a person's own token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn my_contests(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<ContestsResponse>, ApiError> {
    let grant = grant_action(&state, &headers, Action::FileContest, Purpose::OwnData, Target::Caller).await?;
    let person = own_person(&grant)?;
    let records = state.store.system_records_of_person(person).await?;
    Ok(Json(ContestsResponse { contests: views(&records) }))
}

/// Contests awaiting a decision, oldest first (migration officers, purpose `migration-case`).
#[utoipa::path(
    get,
    path = "/v1/contests",
    tag = "contests",
    params(ContestListQuery),
    responses(
        (status = 200, body = ContestsResponse),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's roles may not decide contests", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn open_contests(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<ContestListQuery>,
) -> Result<Json<ContestsResponse>, ApiError> {
    let grant = grant_action(&state, &headers, Action::DecideContest, Purpose::MigrationCase, Target::Search).await?;
    let limit = query.limit.unwrap_or(100).clamp(1, 1000);
    let contests = state.store.open_contests(limit).await?;
    let persons: Vec<PersonId> = contests.iter().map(|contest| contest.person_id).collect();
    grant.audit("list_contests", persons, [], Outcome::Allowed).await?;
    Ok(Json(ContestsResponse { contests: views(&contests) }))
}

/// Decide a contest: `upheld` (the record no longer counts) or `rejected` (it stands), with the
/// reason the person will read. Nobody decides a contest about their own records.
#[utoipa::path(
    post,
    path = "/v1/contests/{contest_id}/decision",
    tag = "contests",
    params(("contest_id" = Uuid, Path, description = "The contest")),
    request_body = DecisionRequest,
    responses(
        (status = 201, body = ContestView),
        (status = 400, description = "Malformed request, unknown outcome, or an empty reason", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted (or a contest about the caller's own records)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contest", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn decide_contest(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(contest_id): Path<String>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<ContestView>), ApiError> {
    let contest_id =
        Uuid::parse_str(&contest_id).map_err(|error| ApiError::InvalidParameter(format!("contest id: {error}")))?;
    let contest = state
        .store
        .system_record(contest_id)
        .await?
        .filter(|record| record.kind == SystemRecordKind::Contest)
        .ok_or_else(|| ApiError::NotFound(format!("no contest {contest_id}")))?;
    let person = contest.person_id;
    let grant =
        grant_action(&state, &headers, Action::DecideContest, Purpose::MigrationCase, Target::Person(person)).await?;
    let request: DecisionRequest = parse_body(&body)?;
    if request.outcome != "upheld" && request.outcome != "rejected" {
        return Err(ApiError::InvalidParameter(format!(
            "outcome: '{}' is not a decision; expected 'upheld' or 'rejected'",
            request.outcome
        )));
    }
    let reason = checked_reason(&request.reason)?;
    let history = state.store.system_records_of_person(person).await?;
    if views(&history).iter().any(|view| view.contest_id == contest_id && view.decision.is_some()) {
        return Err(ApiError::StateConflict(format!("contest {contest_id} is already decided")));
    }
    let decision = append(
        &state,
        NewSystemRecord {
            kind: SystemRecordKind::ContestDecision,
            person_id: person,
            refers_to: contest_id,
            created_at: Timestamp::from_utc(chrono::Utc::now()),
            body: json!({
                "outcome": request.outcome,
                "reason": reason,
                "officer": grant.principal.subject,
                "organisation": grant.principal.organisation,
            }),
        },
    )
    .await?;
    grant.audit("decide_contest", vec![person], [], Outcome::Allowed).await?;
    let view = views(&[contest, decision]).pop().ok_or(ApiError::Unavailable)?;
    Ok((StatusCode::CREATED, Json(view)))
}
