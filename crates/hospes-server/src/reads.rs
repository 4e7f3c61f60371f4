//! Reads of person data: profiles, records, search, the person's own view, and the audit log's proofs.
//!
//! Each handler follows the same order: [`grant`] (token, declared purpose, policy), read, filter by
//! the grant's categories, [`Grant::audit`], answer. Nothing is returned unless its audit event is
//! durable.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderMap;
use hospes_audit::Outcome;
use hospes_model::{Category, DocumentNumber, PersonId, RecordId, TaxpayerNumber};
use hospes_policy::{Action, Purpose};
use hospes_profile::Profile;
use hospes_resolve::keys::{document_key_prefix, taxpayer_key};
use hospes_store::StoredRecord;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::access::{Grant, Target, grant, grant_action};
use crate::api::{
    AccessLogEntryView, AccessLogResponse, AccessNote, AuditTreeHeadResponse, ConsistencyProofResponse,
    InclusionProofResponse, PersonMatch, PersonRecordsResponse, PersonSearchResponse, ProfileResponse, RecordResponse,
};
use crate::problem::{ApiError, Problem};

/// The most persons a search returns.
const SEARCH_LIMIT: i64 = 50;
/// The most entries of an access log returned at once.
const ACCESS_LOG_LIMIT: i64 = 500;

pub(crate) fn parse_person_id(value: &str) -> Result<PersonId, ApiError> {
    PersonId::parse(value).map_err(|error| ApiError::InvalidParameter(error.to_string()))
}

pub(crate) fn note(grant: &Grant, audit_event: Option<u64>) -> AccessNote {
    AccessNote { purpose: grant.purpose.as_str().to_owned(), categories_withheld: grant.withheld(), audit_event }
}

/// The person's records of the categories `grant` allows, or `None` if there is no such person
/// (audited as not found).
async fn visible_records(
    state: &AppState,
    grant: &Grant,
    action: &str,
    person_id: PersonId,
) -> Result<Vec<StoredRecord>, ApiError> {
    crate::identity_links::existing_person(state, grant, action, person_id).await?;
    let mut records = state.store.person_records(person_id).await?;
    records.retain(|record| grant.allows(record.envelope.category));
    Ok(records)
}

/// Whether a profile carries the trust level: only the person's own, whose records are all visible,
/// so that the level and what is missing for the next are complete (officers read it with the status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WithTrust {
    Yes,
    No,
}

/// The profile of `person_id` as `grant` lets its caller see it, audited.
async fn profile_for(
    state: &AppState,
    grant: &Grant,
    action: &str,
    person_id: PersonId,
    with_trust: WithTrust,
) -> Result<ProfileResponse, ApiError> {
    let records = visible_records(state, grant, action, person_id).await?;
    let profile = Profile::project(person_id, &records);
    let mut response = ProfileResponse::from(&profile);
    if with_trust == WithTrust::Yes {
        let typed = crate::derived::typed_records(&records);
        let today = hospes_model::Date::from_naive(chrono::Utc::now().date_naive()).map_err(ApiError::internal)?;
        let annotations = crate::derived::Annotations { known_on: Some(today), ..Default::default() };
        let (_, trust) = crate::derived::derive(&state.status_rules, &typed.records, &annotations, today);
        response.trust = Some(trust);
    }
    if !grant.allows(Category::Identity) {
        response.identity = None;
    }
    let returned: Vec<Category> = profile.categories.keys().copied().collect();
    let audit_event = grant.audit(action, vec![person_id], returned, Outcome::Allowed).await?;
    response.access = note(grant, audit_event);
    Ok(response)
}

/// A person's profile, as the caller's roles may see it for the declared purpose.
///
/// The current value of each category the caller may see, each with the ids of the records it came
/// from; `access.categories_withheld` lists what the policies left out. The read is audited.
#[utoipa::path(
    get,
    path = "/v1/persons/{person_id}",
    tag = "persons",
    params(
        ("person_id" = Uuid, Path, description = "The person id"),
        ("Hospes-Purpose" = String, Header, description = "The declared purpose, e.g. `border-check`"),
    ),
    responses(
        (status = 200, body = ProfileResponse),
        (status = 400, description = "Not a person id, or no declared purpose", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The purpose is not permitted for the caller's roles", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The access could not be audited; no data returned", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn person_profile(
    State(state): State<AppState>,
    ConnectInfo(peer_address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(person_id): Path<String>,
) -> Result<Json<ProfileResponse>, ApiError> {
    let person_id = parse_person_id(&person_id)?;
    let grant = grant(&state, &headers, Some(peer_address), "read_profile", Target::Person(person_id)).await?;
    Ok(Json(profile_for(&state, &grant, "read_profile", person_id, WithTrust::No).await?))
}

/// Every record of a person that the caller may see, in ledger order, with full provenance.
#[utoipa::path(
    get,
    path = "/v1/persons/{person_id}/records",
    tag = "persons",
    params(
        ("person_id" = Uuid, Path, description = "The person id"),
        ("Hospes-Purpose" = String, Header, description = "The declared purpose"),
    ),
    responses(
        (status = 200, body = PersonRecordsResponse),
        (status = 400, description = "Not a person id, or no declared purpose", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The access could not be audited", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn person_records(
    State(state): State<AppState>,
    ConnectInfo(peer_address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(person_id): Path<String>,
) -> Result<Json<PersonRecordsResponse>, ApiError> {
    let person_id = parse_person_id(&person_id)?;
    let grant = grant(&state, &headers, Some(peer_address), "read_records", Target::Person(person_id)).await?;
    let records = visible_records(&state, &grant, "read_records", person_id).await?;
    let returned: Vec<Category> = records.iter().map(|record| record.envelope.category).collect();
    let audit_event = grant.audit("read_records", vec![person_id], returned, Outcome::Allowed).await?;
    Ok(Json(PersonRecordsResponse {
        person_id: person_id.uuid(),
        records: records.iter().map(|record| RecordResponse::from_stored(record, None)).collect(),
        access: note(&grant, audit_event),
    }))
}

/// Search parameters: exactly one identifier.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PersonSearch {
    /// A document number (spaces and hyphens ignored).
    pub document: Option<String>,
    /// An individual taxpayer number.
    pub taxpayer_number: Option<String>,
}

/// Find persons by a document number or a taxpayer number.
///
/// Needs a purpose under which the caller may see identity or documents. The search and the persons
/// it found are audited.
#[utoipa::path(
    get,
    path = "/v1/persons",
    tag = "persons",
    params(PersonSearch, ("Hospes-Purpose" = String, Header, description = "The declared purpose")),
    responses(
        (status = 200, body = PersonSearchResponse),
        (status = 400, description = "No identifier, two identifiers, a malformed one, or no purpose", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The access could not be audited", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn search_persons(
    State(state): State<AppState>,
    ConnectInfo(peer_address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(search): Query<PersonSearch>,
) -> Result<Json<PersonSearchResponse>, ApiError> {
    let (prefix, category) = match (&search.document, &search.taxpayer_number) {
        (Some(document), None) => {
            let number = DocumentNumber::parse(document)
                .map_err(|error| ApiError::InvalidParameter(format!("document: {error}")))?;
            (document_key_prefix(&number), Category::Documents)
        }
        (None, Some(taxpayer_number)) => {
            let number = TaxpayerNumber::parse(taxpayer_number)
                .map_err(|error| ApiError::InvalidParameter(format!("taxpayer_number: {error}")))?;
            (taxpayer_key(number.as_str()), Category::Tax)
        }
        _ => {
            return Err(ApiError::InvalidParameter(
                "give exactly one of the query parameters `document` and `taxpayer_number`".into(),
            ));
        }
    };
    let grant = grant(&state, &headers, Some(peer_address), "search_persons", Target::Search).await?;
    if !grant.allows(Category::Identity) && !grant.allows(category) {
        grant.audit("search_persons", Vec::new(), [], Outcome::Denied).await?;
        return Err(ApiError::Forbidden(format!(
            "purpose {} does not let your roles look persons up by {}",
            grant.purpose,
            category.as_str()
        )));
    }
    let persons = state.store.persons_with_key_prefix(&prefix, SEARCH_LIMIT).await?;
    let outcome = if persons.is_empty() { Outcome::NotFound } else { Outcome::Allowed };
    let audit_event = grant.audit("search_persons", persons.clone(), [category], outcome).await?;
    Ok(Json(PersonSearchResponse {
        persons: persons
            .into_iter()
            .map(|person| PersonMatch { person_id: person.uuid(), href: format!("/v1/persons/{person}") })
            .collect(),
        access: note(&grant, audit_event),
    }))
}

/// One record, with the person it was resolved to, if the caller may see its category.
#[utoipa::path(
    get,
    path = "/v1/records/{record_id}",
    tag = "persons",
    params(
        ("record_id" = Uuid, Path, description = "The record id"),
        ("Hospes-Purpose" = String, Header, description = "The declared purpose"),
    ),
    responses(
        (status = 200, body = RecordResponse),
        (status = 400, description = "Not a record id, or no purpose", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The record's category is withheld for this purpose", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such record", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The access could not be audited", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn record(
    State(state): State<AppState>,
    ConnectInfo(peer_address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(record_id): Path<String>,
) -> Result<Json<RecordResponse>, ApiError> {
    let record_id = RecordId::parse(&record_id).map_err(|error| ApiError::InvalidParameter(error.to_string()))?;
    let person = state.store.person_of_record(record_id).await?;
    let target = person.map_or(Target::Search, Target::Person);
    let grant = grant(&state, &headers, Some(peer_address), "read_record", target).await?;
    let persons: Vec<PersonId> = person.into_iter().collect();
    let Some(record) = state.store.record(record_id).await? else {
        grant.audit("read_record", persons, [], Outcome::NotFound).await?;
        return Err(ApiError::NotFound(format!("no record {record_id}")));
    };
    let category = record.envelope.category;
    if !grant.allows(category) {
        grant.audit("read_record", persons, [], Outcome::Denied).await?;
        return Err(ApiError::Forbidden(format!(
            "the record is of category {}, which purpose {} does not let your roles see",
            category.as_str(),
            grant.purpose
        )));
    }
    grant.audit("read_record", persons, [category], Outcome::Allowed).await?;
    Ok(Json(RecordResponse::from_stored(&record, person)))
}

/// The person's own principal, or a refusal for anyone else.
pub(crate) fn own_person(grant: &Grant) -> Result<PersonId, ApiError> {
    grant.principal.person_id.ok_or_else(|| {
        ApiError::Forbidden("only a foreign national's own token (role `person`) can read /v1/me".into())
    })
}

/// Everything Hospes holds about the caller (the foreign national), with the source of every value.
///
/// The purpose is `own-data` (the `Hospes-Purpose` header may be left out). The read is audited and
/// shows in the caller's own access log.
#[utoipa::path(
    get,
    path = "/v1/me/profile",
    tag = "me",
    responses(
        (status = 200, body = ProfileResponse),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a person's own token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No records about the caller yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn me_profile(
    State(state): State<AppState>,
    ConnectInfo(peer_address): ConnectInfo<SocketAddr>,
    mut headers: HeaderMap,
) -> Result<Json<ProfileResponse>, ApiError> {
    declare_own_data(&mut headers);
    let grant = grant(&state, &headers, Some(peer_address), "read_own_profile", Target::Caller).await?;
    let person_id = own_person(&grant)?;
    Ok(Json(profile_for(&state, &grant, "read_own_profile", person_id, WithTrust::Yes).await?))
}

/// Who looked at the caller's data: when, which organisation in which role, for what purpose in plain
/// words, which categories they saw; refusals too. Newest first.
#[utoipa::path(
    get,
    path = "/v1/me/access-log",
    tag = "me",
    responses(
        (status = 200, body = AccessLogResponse),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a person's own token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn me_access_log(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<AccessLogResponse>, ApiError> {
    let grant = grant_action(&state, &headers, Action::ReadOwnAccessLog, Purpose::OwnData, Target::Caller).await?;
    let person_id = own_person(&grant)?;
    let entries = hospes_audit::access_log(&*state.access.audit_store, person_id, ACCESS_LOG_LIMIT, |purpose| {
        Purpose::parse(purpose).ok().map(|purpose| purpose.description().to_owned())
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "the access log could not be read");
        ApiError::AuditUnavailable
    })?;
    grant.audit("read_own_access_log", vec![person_id], [], Outcome::Allowed).await?;
    Ok(Json(AccessLogResponse {
        person_id: person_id.uuid(),
        accesses: entries
            .into_iter()
            .map(|entry| AccessLogEntryView {
                event: entry.event,
                when: entry.when,
                organisation: entry.organisation,
                roles: entry.roles,
                action: entry.action,
                purpose: entry.purpose,
                why: entry.why,
                categories_seen: entry.categories_seen,
                categories_withheld: entry.categories_withheld,
                outcome: entry.outcome.as_str().to_owned(),
                summary: entry.summary,
            })
            .collect(),
    }))
}

/// A person reading their own data declares `own-data` implicitly.
pub(crate) fn declare_own_data(headers: &mut HeaderMap) {
    if !headers.contains_key(hospes_policy::PURPOSE_HEADER) {
        headers.insert(hospes_policy::PURPOSE_HEADER, axum::http::HeaderValue::from_static("own-data"));
    }
}

/// The audit log's newest signed tree head and the public key that verifies it. Public: it reveals
/// only the log's size and root hash.
#[utoipa::path(
    get,
    path = "/v1/audit/tree-head",
    tag = "audit",
    responses(
        (status = 200, body = AuditTreeHeadResponse),
        (status = 404, description = "No tree head signed yet", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn audit_tree_head(State(state): State<AppState>) -> Result<Json<AuditTreeHeadResponse>, ApiError> {
    let audit = &state.access.audit;
    let head = match audit.latest_tree_head() {
        Some(head) if head.tree_head.size == audit.size() => head,
        _ => audit.sign_tree_head().await.map_err(|_| ApiError::AuditUnavailable)?,
    };
    Ok(Json(AuditTreeHeadResponse {
        size: head.tree_head.size,
        root_hash: head.tree_head.root_hash.to_hex(),
        timestamp: head.tree_head.timestamp,
        key_id: head.key_id.to_string(),
        signature: head.signature.to_string(),
        public_key: hospes_transparency::encode_verifying_key(&audit.verifying_key()).trim_end().to_owned(),
    }))
}

/// Parameters of an inclusion proof.
#[derive(Debug, Deserialize, IntoParams)]
pub struct InclusionQuery {
    /// The event's position in the log (as returned in `access.audit_event`).
    pub leaf_index: u64,
    /// The size of the signed tree head to prove against.
    pub tree_size: u64,
}

/// Proof that one audit event is in the log: the audit path from its leaf to the root of a tree size.
#[utoipa::path(
    get,
    path = "/v1/audit/proofs/inclusion",
    tag = "audit",
    params(InclusionQuery),
    responses(
        (status = 200, body = InclusionProofResponse),
        (status = 400, description = "Leaf or tree size out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn audit_inclusion_proof(
    State(state): State<AppState>,
    Query(query): Query<InclusionQuery>,
) -> Result<Json<InclusionProofResponse>, ApiError> {
    let (leaf_hash, proof) = state
        .access
        .audit
        .inclusion_proof(query.leaf_index, query.tree_size)
        .map_err(|error| ApiError::InvalidParameter(error.to_string()))?;
    Ok(Json(InclusionProofResponse {
        leaf_index: proof.leaf_index,
        tree_size: proof.tree_size,
        leaf_hash: leaf_hash.to_hex(),
        audit_path: proof.path.iter().map(|hash| hash.to_hex()).collect(),
    }))
}

/// Parameters of a consistency proof.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ConsistencyQuery {
    pub first_tree_size: u64,
    pub second_tree_size: u64,
}

/// Proof that the log of `second_tree_size` events extends that of `first_tree_size` by appending only.
#[utoipa::path(
    get,
    path = "/v1/audit/proofs/consistency",
    tag = "audit",
    params(ConsistencyQuery),
    responses(
        (status = 200, body = ConsistencyProofResponse),
        (status = 400, description = "Sizes out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn audit_consistency_proof(
    State(state): State<AppState>,
    Query(query): Query<ConsistencyQuery>,
) -> Result<Json<ConsistencyProofResponse>, ApiError> {
    let proof = state
        .access
        .audit
        .consistency_proof(query.first_tree_size, query.second_tree_size)
        .map_err(|error| ApiError::InvalidParameter(error.to_string()))?;
    Ok(Json(ConsistencyProofResponse {
        first_tree_size: proof.first_tree_size,
        second_tree_size: proof.second_tree_size,
        proof: proof.path.iter().map(|hash| hash.to_hex()).collect(),
    }))
}
