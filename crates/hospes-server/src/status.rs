//! Status and trust level over HTTP: for officers (`/v1/persons/{id}/status`, `…/status/history`) and
//! for the person (`/v1/me/status`).
//!
//! The status is computed from all of the person's records — a border officer's YELLOW may come from a
//! missing medical examination they may not read — so every fired rule and its reason are shown, but
//! the ids of records in categories withheld from the caller are not: the response counts them
//! instead. The read is audited with the categories whose records the answer rests on.

use std::collections::BTreeSet;
use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderMap;
use hospes_audit::Outcome;
use hospes_model::{Category, Date, PersonId, RecordId};
use hospes_rules::status::{StatusHistory, StatusReport, TrustReport};
use hospes_store::system::ContestState;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{Grant, Target, grant};
use crate::api::AccessNote;
use crate::derived::{Annotations, derive, history, typed_records};
use crate::problem::{ApiError, Problem};
use crate::reads::{declare_own_data, note, own_person, parse_person_id};

/// `?at=YYYY-MM-DD`: the day to answer for (today if absent).
#[derive(Debug, Deserialize, IntoParams)]
pub struct AsOfQuery {
    /// The day the status is computed for, `YYYY-MM-DD`; today (UTC) when absent.
    pub at: Option<String>,
    /// Use only what Hospes had received by this day, `YYYY-MM-DD` (e.g. the same day as `at`, to
    /// see the status as it was shown then); everything received so far when absent.
    pub known_at: Option<String>,
}

/// `?from=…&to=…` for the history.
#[derive(Debug, Deserialize, IntoParams)]
pub struct HistoryQuery {
    /// First day, `YYYY-MM-DD`; a year before `to` when absent.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`; today (UTC) when absent.
    pub to: Option<String>,
    /// Use only what Hospes had received by this day; everything received so far when absent.
    pub known_at: Option<String>,
}

/// A person's status and trust level on a day, with the reasons.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusResponse {
    pub person_id: uuid::Uuid,
    /// The colour, the rules version, and each rule that fired with its reason and records.
    #[schema(value_type = Object)]
    pub status: StatusReport,
    /// Identity assurance 0–3, its evidence, and what is missing for the next level.
    #[schema(value_type = Object)]
    pub trust: TrustReport,
    /// Records behind the answer whose ids are withheld from the caller (their categories are not
    /// for this purpose); the reasons still say what they are.
    pub record_ids_withheld: usize,
    pub access: AccessNote,
}

/// Every change of a person's status between two days, with its cause.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusHistoryResponse {
    pub person_id: uuid::Uuid,
    #[schema(value_type = Object)]
    pub history: StatusHistory,
    pub access: AccessNote,
}

fn parse_day(name: &str, value: Option<&str>) -> Result<Option<Date>, ApiError> {
    value
        .map(|text| Date::parse(text).map_err(|error| ApiError::InvalidParameter(format!("{name}={text}: {error}"))))
        .transpose()
}

fn today() -> Result<Date, ApiError> {
    Date::from_naive(chrono::Utc::now().date_naive()).map_err(ApiError::internal)
}

/// A person's contests and their unresolved identity links.
type Annotated = (ContestState, Vec<hospes_rules::status::IdentityLinkRef>);

/// Contests and decisions as the rules read them: open contests flag records, upheld ones remove them.
fn annotations((contests, links): Annotated, known_on: Date) -> Annotations {
    Annotations {
        contested: contests.contested,
        overturned: contests.overturned,
        unresolved_identity_links: links,
        known_on: Some(known_on),
    }
}

/// The person's typed records, the categories of every record by id, and their contests.
async fn person_inputs(
    state: &AppState,
    grant: &Grant,
    action: &str,
    person_id: PersonId,
) -> Result<(crate::derived::TypedRecords, std::collections::HashMap<RecordId, Category>, Annotated), ApiError> {
    crate::identity_links::existing_person(state, grant, action, person_id).await?;
    let stored = state.store.person_records(person_id).await?;
    let categories = stored.iter().map(|record| (record.envelope.record_id, record.envelope.category)).collect();
    let contests = ContestState::of(&state.store.system_records_of_person(person_id).await?);
    let links = crate::identity_links::open_link_refs(state, person_id).await?;
    let contests = (contests, links);
    Ok((typed_records(&stored), categories, contests))
}

async fn status_for(
    state: &AppState,
    grant: &Grant,
    action: &str,
    person_id: PersonId,
    as_of: Date,
    known_on: Date,
) -> Result<StatusResponse, ApiError> {
    let (typed, categories, contests) = person_inputs(state, grant, action, person_id).await?;
    let annotations = annotations(contests, known_on);
    let (mut status, mut trust) = derive(&state.status_rules, &typed.records, &annotations, as_of);
    let mut relied_on: BTreeSet<Category> = BTreeSet::new();
    let mut withheld = 0;
    let mut visible = |ids: &mut Vec<RecordId>| {
        ids.retain(|id| {
            let Some(category) = categories.get(id) else { return true };
            relied_on.insert(*category);
            let allowed = grant.allows(*category);
            withheld += usize::from(!allowed);
            allowed
        });
    };
    for rule in &mut status.fired {
        visible(&mut rule.record_ids);
        visible(&mut rule.contested_record_ids);
    }
    for evidence in &mut trust.evidence {
        visible(&mut evidence.record_ids);
    }
    visible(&mut trust.contested_record_ids);
    let audit_event = grant.audit(action, vec![person_id], relied_on, Outcome::Allowed).await?;
    Ok(StatusResponse {
        person_id: person_id.uuid(),
        status,
        trust,
        record_ids_withheld: withheld,
        access: note(grant, audit_event),
    })
}

/// A person's status (GREEN / YELLOW / RED) and identity trust level, as of a day, with every rule
/// that fired, its reason in plain words and the records behind it.
#[utoipa::path(
    get,
    path = "/v1/persons/{person_id}/status",
    tag = "persons",
    params(
        ("person_id" = uuid::Uuid, Path, description = "The person id"),
        ("Hospes-Purpose" = String, Header, description = "The declared purpose, e.g. `border-check`"),
        AsOfQuery,
    ),
    responses(
        (status = 200, body = StatusResponse),
        (status = 400, description = "Not a person id or a date, or no declared purpose", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The access could not be audited; no data returned", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn person_status(
    State(state): State<AppState>,
    ConnectInfo(peer_address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(person_id): Path<String>,
    Query(query): Query<AsOfQuery>,
) -> Result<Json<StatusResponse>, ApiError> {
    let person_id = parse_person_id(&person_id)?;
    let as_of = parse_day("at", query.at.as_deref())?.map_or_else(today, Ok)?;
    let known_on = parse_day("known_at", query.known_at.as_deref())?.map_or_else(today, Ok)?;
    let grant = grant(&state, &headers, Some(peer_address), "read_status", Target::Person(person_id)).await?;
    Ok(Json(status_for(&state, &grant, "read_status", person_id, as_of, known_on).await?))
}

/// Every change of a person's status between two days, with the rules that started and stopped
/// firing on each.
#[utoipa::path(
    get,
    path = "/v1/persons/{person_id}/status/history",
    tag = "persons",
    params(
        ("person_id" = uuid::Uuid, Path, description = "The person id"),
        ("Hospes-Purpose" = String, Header, description = "The declared purpose"),
        HistoryQuery,
    ),
    responses(
        (status = 200, body = StatusHistoryResponse),
        (status = 400, description = "Not a person id or a date, or no declared purpose", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn person_status_history(
    State(state): State<AppState>,
    ConnectInfo(peer_address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(person_id): Path<String>,
    Query(query): Query<HistoryQuery>,
) -> Result<Json<StatusHistoryResponse>, ApiError> {
    let person_id = parse_person_id(&person_id)?;
    let to = parse_day("to", query.to.as_deref())?.map_or_else(today, Ok)?;
    let from = match parse_day("from", query.from.as_deref())? {
        Some(from) => from,
        None => Date::from_naive(to.naive() - chrono::Days::new(365)).map_err(ApiError::internal)?,
    };
    if from > to {
        return Err(ApiError::InvalidParameter(format!("from={from} is after to={to}")));
    }
    let action = "read_status_history";
    let grant = grant(&state, &headers, Some(peer_address), action, Target::Person(person_id)).await?;
    let (typed, categories, contests) = person_inputs(&state, &grant, action, person_id).await?;
    let known_on = parse_day("known_at", query.known_at.as_deref())?.map_or_else(today, Ok)?;
    let annotations = annotations(contests, known_on);
    let history = history(&state.status_rules, &typed.records, &annotations, from, to);
    let relied_on: BTreeSet<Category> = categories.values().copied().collect();
    let audit_event = grant.audit(action, vec![person_id], relied_on, Outcome::Allowed).await?;
    Ok(Json(StatusHistoryResponse { person_id: person_id.uuid(), history, access: note(&grant, audit_event) }))
}

/// The caller's own status and trust level, with every reason and the records behind it.
#[utoipa::path(
    get,
    path = "/v1/me/status",
    tag = "me",
    params(AsOfQuery),
    responses(
        (status = 200, body = StatusResponse),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a person's own token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No records about the caller yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn me_status(
    State(state): State<AppState>,
    ConnectInfo(peer_address): ConnectInfo<SocketAddr>,
    mut headers: HeaderMap,
    Query(query): Query<AsOfQuery>,
) -> Result<Json<StatusResponse>, ApiError> {
    declare_own_data(&mut headers);
    let as_of = parse_day("at", query.at.as_deref())?.map_or_else(today, Ok)?;
    let known_on = parse_day("known_at", query.known_at.as_deref())?.map_or_else(today, Ok)?;
    let grant = grant(&state, &headers, Some(peer_address), "read_own_status", Target::Caller).await?;
    let person_id = own_person(&grant)?;
    Ok(Json(status_for(&state, &grant, "read_own_status", person_id, as_of, known_on).await?))
}
