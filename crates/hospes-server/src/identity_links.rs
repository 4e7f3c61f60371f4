//! Identity links: the review queue, officers' decisions, merges, splits and match explanations.
//!
//! Resolution raises a link when the evidence does not settle whether two persons are one human
//! (`review`), or when one official number stands behind two identities (`suspected_fraud`). An
//! officer decides: `same` merges the two persons (the later id redirects to the earlier), and
//! `different` keeps them apart for good. The decision is a system record, so a rebuild of
//! resolution applies it again. An officer can also split records off a person that resolution
//! joined wrongly. Every step is audited.

use axum::Json;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use hospes_audit::Outcome;
use hospes_model::{PersonId, RecordId, Timestamp};
use hospes_policy::{Action, Purpose};
use hospes_resolve::ResolutionInput;
use hospes_resolve::decisions::{self, DecideError, LinkDecision};
use hospes_resolve::matching::model::probability_of;
use hospes_store::NewPerson;
use hospes_store::links::{IdentityLink, LinkFilter, LinkOutcome};
use hospes_store::system::{NewSystemRecord, SystemRecordKind};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::AppState;
use crate::access::{Grant, Target, grant_action};
use crate::contests::{checked_reason, parse_body};
use crate::problem::{ApiError, Problem};

/// Which links to list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct LinkListQuery {
    /// `open` (the default: awaiting a decision), `decided`, or `all`.
    pub state: Option<String>,
    /// Only links touching this person.
    pub person: Option<Uuid>,
    /// Only links raised after this ledger position (the `next_after` of the previous page).
    pub after: Option<i64>,
    /// At most this many (default 50, at most 500).
    pub limit: Option<i64>,
}

/// An identity link as an officer sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkView {
    pub link_id: Uuid,
    /// `review` or `suspected_fraud`.
    pub kind: String,
    /// `open`, `same` or `different`.
    pub state: String,
    pub left_person: Uuid,
    pub right_person: Uuid,
    pub left_record: Uuid,
    pub right_record: Uuid,
    /// Log2 odds that the two records are about one human, and the probability they stand for.
    pub match_weight: f64,
    pub match_probability: f64,
    pub reason: String,
    /// The ledger position of the record that raised it.
    pub raised_at_seq: i64,
    pub raised_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_id: Option<Uuid>,
    /// The evidence, field by field (comparison level, m, u, weight), for one link read alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub explanation: Option<serde_json::Value>,
}

impl LinkView {
    fn of(link: &IdentityLink) -> Self {
        Self {
            link_id: link.link_id,
            kind: link.kind.as_str().to_owned(),
            state: link.outcome.map_or("open", LinkOutcome::as_str).to_owned(),
            left_person: link.left_person.uuid(),
            right_person: link.right_person.uuid(),
            left_record: link.left_record.uuid(),
            right_record: link.right_record.uuid(),
            match_weight: link.match_weight,
            match_probability: probability_of(link.match_weight),
            reason: link.reason.clone(),
            raised_at_seq: link.created_seq,
            raised_at: link.created_at.clone(),
            decision_id: link.decision_id,
            explanation: None,
        }
    }
}

/// A page of links.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinksResponse {
    pub links: Vec<LinkView>,
    /// Pass as `after` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_after: Option<i64>,
}

/// An officer's decision on a link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkDecisionRequest {
    /// `same` (one human: the persons are merged) or `different` (two humans: kept apart).
    pub outcome: String,
    /// Why, in words.
    pub reason: String,
}

/// What a decision did.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkDecisionResponse {
    pub link: LinkView,
    pub decision_id: Uuid,
    /// After `same`: the person that now holds both persons' records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub survivor: Option<Uuid>,
    /// After `same`: the person id that now redirects to the survivor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged: Option<Uuid>,
}

/// Records to split off a person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitRequest {
    /// The records that belong to another human.
    pub record_ids: Vec<Uuid>,
    pub reason: String,
}

/// What a split did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SplitResponse {
    pub person_id: Uuid,
    pub new_person_id: Uuid,
    pub moved_records: Vec<Uuid>,
    pub split_id: Uuid,
}

/// Two persons' evidence.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchResponse {
    pub left_person: Uuid,
    pub right_person: Uuid,
    /// The pair of their records that matches best, explained field by field.
    #[schema(value_type = Object)]
    pub explanation: serde_json::Value,
    /// How many pairs of records were weighed.
    pub pairs_compared: usize,
}

fn parse_uuid(what: &str, text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text)
        .map_err(|error| ApiError::InvalidParameter(format!("{what}: '{text}' is not a UUID: {error}")))
}

/// The person, or the answer for one that does not exist: a redirect to the survivor if it was
/// merged away, else not found (audited either way).
pub async fn existing_person(
    state: &AppState,
    grant: &Grant,
    action: &str,
    person_id: PersonId,
) -> Result<(), ApiError> {
    if state.store.person_exists(person_id).await? {
        return Ok(());
    }
    grant.audit(action, vec![person_id], [], Outcome::NotFound).await?;
    match state.store.redirect_of(person_id).await? {
        Some(redirect) => Err(ApiError::Merged { person: person_id, survivor: redirect.survivor }),
        None => Err(ApiError::NotFound(format!("no person {person_id}"))),
    }
}

/// A person's identity links awaiting a decision, as the status rules read them.
pub async fn open_link_refs(
    state: &AppState,
    person: PersonId,
) -> Result<Vec<hospes_rules::status::IdentityLinkRef>, ApiError> {
    let filter = LinkFilter { open_only: true, person: Some(person), after_seq: 0, limit: 100 };
    let links = state.store.identity_links(filter).await?;
    Ok(links
        .iter()
        .filter(|link| link.left_person != link.right_person)
        .filter_map(|link| {
            let since = chrono::DateTime::parse_from_rfc3339(&link.created_at).ok()?.date_naive();
            Some(hospes_rules::status::IdentityLinkRef {
                link_id: link.link_id.to_string(),
                kind: match link.kind {
                    hospes_store::links::LinkKind::Review => hospes_rules::status::IdentityLinkKind::Review,
                    hospes_store::links::LinkKind::SuspectedFraud => {
                        hospes_rules::status::IdentityLinkKind::SuspectedFraud
                    }
                },
                since: hospes_model::Date::from_naive(since).ok()?,
            })
        })
        .collect())
}

/// Turns an [`ApiError::Merged`] answer into a redirect to the same path with the survivor's id.
pub async fn redirect_merged(request: Request, next: Next) -> Response {
    let uri = request.uri().clone();
    let mut response = next.run(request).await;
    if let Some(merged) = response.extensions().get::<crate::problem::MergedInto>().copied() {
        let path = uri.path().replace(&merged.person.to_string(), &merged.survivor.to_string());
        let location = match uri.query() {
            Some(query) => format!("{path}?{query}"),
            None => path,
        };
        if let Ok(value) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(header::LOCATION, value);
        }
    }
    response
}

/// The matchable form of a stored record.
async fn match_record(
    state: &AppState,
    record_id: RecordId,
) -> Result<Option<hospes_resolve::matching::MatchRecord>, ApiError> {
    Ok(state.store.record(record_id).await?.map(|record| ResolutionInput::from_stored(&record).match_record))
}

async fn explain_link(state: &AppState, link: &IdentityLink) -> Result<Option<serde_json::Value>, ApiError> {
    let (Some(left), Some(right)) =
        (match_record(state, link.left_record).await?, match_record(state, link.right_record).await?)
    else {
        return Ok(None);
    };
    let explanation = state.resolver.explain(&left, &right).await.map_err(ApiError::internal)?;
    explanation.map(|explanation| serde_json::to_value(explanation).map_err(ApiError::internal)).transpose()
}

/// A link by its id in the path, and the caller's grant to review it.
async fn reviewable_link(
    state: &AppState,
    headers: &HeaderMap,
    link_id: &str,
) -> Result<(Uuid, IdentityLink, Grant), ApiError> {
    let link_id = parse_uuid("link id", link_id)?;
    let link = state
        .store
        .identity_link(link_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no identity link {link_id}")))?;
    let grant = grant_action(
        state,
        headers,
        Action::ReviewIdentityLinks,
        Purpose::MigrationCase,
        Target::Person(link.left_person),
    )
    .await?;
    Ok((link_id, link, grant))
}

/// The review queue: identity links awaiting an officer (or, with `state`, decided ones), oldest
/// first.
#[utoipa::path(
    get,
    path = "/v1/review/links",
    tag = "identity links",
    params(LinkListQuery),
    responses(
        (status = 200, body = LinksResponse),
        (status = 400, description = "A bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's roles may not review identity links", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn list_links(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<LinkListQuery>,
) -> Result<Json<LinksResponse>, ApiError> {
    let grant =
        grant_action(&state, &headers, Action::ReviewIdentityLinks, Purpose::MigrationCase, Target::Search).await?;
    let wanted = query.state.as_deref().unwrap_or("open");
    let (open_only, decided_only) = match wanted {
        "open" => (true, false),
        "decided" => (false, true),
        "all" => (false, false),
        other => {
            return Err(ApiError::InvalidParameter(format!("state: '{other}' is not one of 'open', 'decided', 'all'")));
        }
    };
    let limit = query.limit.unwrap_or(50).clamp(1, 500);
    let filter = LinkFilter {
        open_only,
        person: query.person.map(PersonId::from_uuid),
        after_seq: query.after.unwrap_or(0),
        limit: limit + 1,
    };
    let mut links = state.store.identity_links(filter).await?;
    let next_after = (links.len() as i64 > limit).then(|| links[limit as usize - 1].created_seq);
    links.truncate(limit as usize);
    if decided_only {
        links.retain(|link| link.outcome.is_some());
    }
    let persons: Vec<PersonId> = links.iter().flat_map(|link| [link.left_person, link.right_person]).collect();
    grant.audit("list_identity_links", persons, [], Outcome::Allowed).await?;
    Ok(Json(LinksResponse { links: links.iter().map(LinkView::of).collect(), next_after }))
}

/// One identity link, with the evidence field by field.
#[utoipa::path(
    get,
    path = "/v1/review/links/{link_id}",
    tag = "identity links",
    params(("link_id" = Uuid, Path, description = "The link")),
    responses(
        (status = 200, body = LinkView),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such link", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn get_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(link_id): Path<String>,
) -> Result<Json<LinkView>, ApiError> {
    let (_, link, grant) = reviewable_link(&state, &headers, &link_id).await?;
    let mut view = LinkView::of(&link);
    view.explanation = explain_link(&state, &link).await?;
    grant.audit("read_identity_link", vec![link.left_person, link.right_person], [], Outcome::Allowed).await?;
    Ok(Json(view))
}

/// Decide an identity link: `same` merges the two persons (the later id then redirects to the
/// earlier one), `different` keeps them apart, also when resolution is run again.
#[utoipa::path(
    post,
    path = "/v1/review/links/{link_id}/decision",
    tag = "identity links",
    params(("link_id" = Uuid, Path, description = "The link")),
    request_body = LinkDecisionRequest,
    responses(
        (status = 201, body = LinkDecisionResponse),
        (status = 400, description = "Malformed request, unknown outcome, or an empty reason", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted (or a link about the caller)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such link", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn decide_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(link_id): Path<String>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<LinkDecisionResponse>), ApiError> {
    let (link_id, link, grant) = reviewable_link(&state, &headers, &link_id).await?;
    // Deciding about a pair that includes oneself is as forbidden as deciding one's own contest.
    if grant.principal.is_self(link.right_person) {
        return Err(ApiError::Forbidden("nobody decides an identity link about themselves".into()));
    }
    let request: LinkDecisionRequest = parse_body(&body)?;
    let outcome = LinkOutcome::parse(&request.outcome).ok_or_else(|| {
        ApiError::InvalidParameter(format!(
            "outcome: '{}' is not a decision; expected 'same' or 'different'",
            request.outcome
        ))
    })?;
    let reason = checked_reason(&request.reason)?;

    let decision = LinkDecision {
        link_id,
        outcome,
        reason,
        officer: grant.principal.subject.clone(),
        organisation: grant.principal.organisation.clone(),
    };
    let decided =
        decisions::decide_link(&*state.store, &*state.resolver, &decision).await.map_err(|error| match error {
            DecideError::NotFound(_) => ApiError::NotFound(error.to_string()),
            DecideError::AlreadyDecided(_) => ApiError::StateConflict(error.to_string()),
            DecideError::Store(error) => ApiError::from(error),
        })?;
    let persons = vec![decided.link.left_person, link.right_person];
    grant.audit("decide_identity_link", persons, [], Outcome::Allowed).await?;
    Ok((
        StatusCode::CREATED,
        Json(LinkDecisionResponse {
            link: LinkView::of(&decided.link),
            decision_id: decided.decision_id,
            survivor: decided.merged.map(|(_, survivor)| survivor.uuid()),
            merged: decided.merged.map(|(vanishing, _)| vanishing.uuid()),
        }),
    ))
}

/// Split records off a person that resolution joined wrongly: they become a new person, and
/// resolution keeps the two apart from then on.
#[utoipa::path(
    post,
    path = "/v1/persons/{person_id}/split",
    tag = "identity links",
    params(("person_id" = Uuid, Path, description = "The person")),
    request_body = SplitRequest,
    responses(
        (status = 201, body = SplitResponse),
        (status = 400, description = "No records, records of someone else, all of the person's records, or an empty reason", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn split_person(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(person_id): Path<String>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<SplitResponse>), ApiError> {
    let person = PersonId::from_uuid(parse_uuid("person id", &person_id)?);
    let grant =
        grant_action(&state, &headers, Action::ReviewIdentityLinks, Purpose::MigrationCase, Target::Person(person))
            .await?;
    let request: SplitRequest = parse_body(&body)?;
    let reason = checked_reason(&request.reason)?;
    existing_person(&state, &grant, "split_person", person).await?;
    if request.record_ids.is_empty() {
        return Err(ApiError::InvalidParameter("record_ids: name at least one record to split off".into()));
    }
    let records = state.store.person_records(person).await?;
    let moving: Vec<&hospes_store::StoredRecord> =
        records.iter().filter(|record| request.record_ids.contains(&record.envelope.record_id.uuid())).collect();
    if let Some(stranger) =
        request.record_ids.iter().find(|id| !records.iter().any(|record| record.envelope.record_id.uuid() == **id))
    {
        return Err(ApiError::InvalidParameter(format!("record_ids: {stranger} is not a record of person {person}")));
    }
    let Some(staying) = records.iter().find(|record| !request.record_ids.contains(&record.envelope.record_id.uuid()))
    else {
        return Err(ApiError::InvalidParameter(
            "record_ids: these are all of the person's records; nothing would remain to split from".into(),
        ));
    };
    let Some(first_moving) = moving.first() else {
        return Err(ApiError::InvalidParameter("record_ids: name at least one record to split off".into()));
    };
    let moved_ids: Vec<RecordId> = moving.iter().map(|record| record.envelope.record_id).collect();
    let mut new_person = PersonId::first_named_by(first_moving.envelope.record_id);
    if new_person == person || state.store.person_exists(new_person).await? {
        new_person = PersonId::from_uuid(Uuid::new_v4());
    }
    // Keep the two apart on a rebuild: the later of the two first records must not join the
    // earlier one's person.
    let (apart_left, apart_right) = if staying.seq < first_moving.seq {
        (staying.envelope.record_id, first_moving.envelope.record_id)
    } else {
        (first_moving.envelope.record_id, staying.envelope.record_id)
    };
    let mut transaction = state.store.begin_write().await?;
    transaction.insert_persons(&[NewPerson { person_id: new_person, created_seq: first_moving.seq }]).await?;
    transaction.move_records(&moved_ids, new_person).await?;
    let split = transaction
        .append_system_record(&NewSystemRecord {
            kind: SystemRecordKind::PersonSplit,
            person_id: person,
            refers_to: first_moving.envelope.record_id.uuid(),
            created_at: Timestamp::from_utc(chrono::Utc::now()),
            body: json!({
                "records": moved_ids,
                "new_person": new_person,
                "left_record": apart_left,
                "right_record": apart_right,
                "outcome": "different",
                "reason": reason,
                "officer": grant.principal.subject,
                "organisation": grant.principal.organisation,
            }),
        })
        .await?;
    transaction.commit().await?;
    state.resolver.records_moved(&moved_ids, new_person).await;
    state.resolver.link_decided(apart_left, apart_right, LinkOutcome::Different).await;
    grant.audit("split_person", vec![person, new_person], [], Outcome::Allowed).await?;
    Ok((
        StatusCode::CREATED,
        Json(SplitResponse {
            person_id: person.uuid(),
            new_person_id: new_person.uuid(),
            moved_records: moved_ids.iter().map(|id| id.uuid()).collect(),
            split_id: split.record_id,
        }),
    ))
}

/// Why two persons are (or are not) taken for one human: the best-matching pair of their records,
/// field by field, with each comparison level, its weight, and the total.
#[utoipa::path(
    get,
    path = "/v1/persons/{person_id}/match/{other_person_id}",
    tag = "identity links",
    params(
        ("person_id" = Uuid, Path, description = "One person"),
        ("other_person_id" = Uuid, Path, description = "The other"),
    ),
    responses(
        (status = 200, body = MatchResponse),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn match_persons(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((left, right)): Path<(String, String)>,
) -> Result<Json<MatchResponse>, ApiError> {
    let left = PersonId::from_uuid(parse_uuid("person id", &left)?);
    let right = PersonId::from_uuid(parse_uuid("other person id", &right)?);
    let grant =
        grant_action(&state, &headers, Action::ReviewIdentityLinks, Purpose::MigrationCase, Target::Person(left))
            .await?;
    existing_person(&state, &grant, "explain_match", left).await?;
    existing_person(&state, &grant, "explain_match", right).await?;
    let inputs = |records: Vec<hospes_store::StoredRecord>| -> Vec<hospes_resolve::matching::MatchRecord> {
        records
            .iter()
            .filter(|record| record.body.is_some())
            .map(|record| ResolutionInput::from_stored(record).match_record)
            .collect()
    };
    let left_records = inputs(state.store.person_records(left).await?);
    let right_records = inputs(state.store.person_records(right).await?);
    // People have few records each; a person with thousands would make this quadratic, so cap it.
    const MOST_PAIRS: usize = 10_000;
    let (best, compared) =
        hospes_resolve::explain_best_pair(&*state.resolver, &left_records, &right_records, MOST_PAIRS)
            .await
            .map_err(ApiError::internal)?;
    let explanation = best.ok_or_else(|| {
        ApiError::StateConflict(
            "these persons have no readable records to compare (or the resolver weighs no evidence)".into(),
        )
    })?;
    grant.audit("explain_match", vec![left, right], [], Outcome::Allowed).await?;
    Ok(Json(MatchResponse {
        left_person: left.uuid(),
        right_person: right.uuid(),
        explanation: serde_json::to_value(explanation).map_err(ApiError::internal)?,
        pairs_compared: compared,
    }))
}
