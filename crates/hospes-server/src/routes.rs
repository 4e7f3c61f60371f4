//! The handlers.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hospes_audit::{Actor, AuditEvent, Outcome};
use hospes_ingest::{AppendError, BatchRejection, LineError, LineErrorCode};
use hospes_model::{PersonId, RecordId};
use hospes_policy::{AgencyAuthError, Role, authenticate_agency};
use hospes_resolve::ResolutionInput;
use serde_json::{Value, json};

use crate::AppState;
use crate::access::AccessMode;
use crate::api::{IngestResponse, IngestedRecord, LedgerHead};
use crate::problem::{ApiError, LineProblem, Problem};

/// Media types accepted for a batch.
const NDJSON_MEDIA_TYPES: [&str; 4] =
    ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/json-lines"];

fn line_problems(errors: &[LineError]) -> Vec<LineProblem> {
    errors
        .iter()
        .map(|error| LineProblem {
            line: error.line,
            path: error.path.clone(),
            code: serde_json::to_value(error.code)
                .ok()
                .and_then(|value| value.as_str().map(str::to_owned))
                .unwrap_or_default(),
            reason: error.reason.clone(),
        })
        .collect()
}

impl From<BatchRejection> for ApiError {
    fn from(rejection: BatchRejection) -> Self {
        let detail = rejection.to_string();
        match &rejection {
            BatchRejection::Empty => Self::EmptyBatch(detail),
            BatchRejection::TooLarge { .. } | BatchRejection::TooManyLines { .. } => Self::BatchTooLarge(detail),
            BatchRejection::InvalidLines(errors) => {
                let errors = line_problems(errors);
                if rejection.is_permission_problem() {
                    let permission_errors = rejection
                        .line_errors()
                        .iter()
                        .filter(|error| error.code == LineErrorCode::CategoryNotPermitted)
                        .count();
                    Self::CategoryNotPermitted {
                        detail: format!(
                            "{permission_errors} line(s) write categories outside the agency's remit; nothing was stored"
                        ),
                        errors,
                    }
                } else if rejection.is_conflict() {
                    Self::Conflict {
                        detail: format!(
                            "{detail}: the same record id and version is held with other content; nothing was stored"
                        ),
                        errors,
                    }
                } else {
                    Self::InvalidRecords { detail: format!("{detail}; nothing was stored"), errors }
                }
            }
        }
    }
}

impl From<AgencyAuthError> for ApiError {
    fn from(error: AgencyAuthError) -> Self {
        match error {
            AgencyAuthError::WrongAgency(_) => Self::WrongAgency(error.to_string()),
            AgencyAuthError::UnknownAgency(agency) => Self::UnknownAgency(agency),
            AgencyAuthError::Store(store) => store.into(),
            other => Self::Unauthenticated(other.to_string()),
        }
    }
}

/// The API key from `Authorization: Bearer …` or `X-API-Key: …`.
fn presented_key(headers: &HeaderMap) -> Option<&str> {
    if let Some(value) = headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok()) {
        return value.strip_prefix("Bearer ").map(str::trim);
    }
    headers.get("x-api-key").and_then(|value| value.to_str().ok()).map(str::trim)
}

fn check_media_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if NDJSON_MEDIA_TYPES.contains(&essence.as_str()) {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType(format!(
            "a batch is newline-delimited JSON: send Content-Type: application/x-ndjson (got '{content_type}')"
        )))
    }
}

/// Ingest a batch of records from an agency.
///
/// The body is NDJSON: one record per line, in the format of `/v1/schemas/ingest-record.json`. The
/// batch is atomic: if any line is invalid, every problem of every line is returned and nothing is
/// stored. Records already held with the same content are reported as duplicates; the same record id
/// and version with other content is a conflict. An acknowledged batch is durable.
#[utoipa::path(
    post,
    path = "/v1/ingest/{agency}",
    tag = "ingest",
    params(("agency" = String, Path, description = "The agency id, e.g. `border_service`")),
    request_body(content = String, content_type = "application/x-ndjson", description = "One record per line"),
    responses(
        (status = 201, description = "Records appended (some may be duplicates)", body = IngestResponse),
        (status = 200, description = "Every record was already held (all duplicates)", body = IngestResponse),
        (status = 400, description = "Empty batch", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, malformed, unknown or revoked API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Key of another agency, or categories outside the agency's remit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown agency", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Same record id and version with other content", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Batch too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not NDJSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid records: every problem with line, path and reason", body = Problem, content_type = "application/problem+json"),
    ),
    security(("agency_api_key" = []))
)]
pub async fn ingest(
    State(state): State<AppState>,
    Path(agency_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let agency = authenticate_agency(&*state.store, &state.registry, &agency_id, presented_key(&headers)).await?;
    check_media_type(&headers)?;
    let limit = state.limits.max_bytes;
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::BatchTooLarge(format!("the batch is larger than {limit} bytes; split it into smaller batches"))
    })?;
    let agency = agency.clone();
    let limits = state.limits;
    let validation_agency = agency.clone();
    let records = tokio::task::spawn_blocking(move || {
        hospes_ingest::validate_batch(&validation_agency, &bytes, hospes_ingest::receipt_time(), &limits)
    })
    .await
    .map_err(ApiError::internal)??;
    // The batch and its resolution are stored in one transaction; if older records still await
    // resolution (after a crash), the batch is committed first and resolution catches up after.
    let mut transaction = state.store.begin_write().await?;
    let report = match hospes_ingest::append_batch_in(&mut *transaction, records).await {
        Ok(report) => report,
        Err(AppendError::Rejected(rejection)) => return Err(rejection.into()),
        Err(AppendError::Store(error)) => return Err(error.into()),
        Err(error @ (AppendError::Serialise { .. } | AppendError::NoMasterKey { .. } | AppendError::Seal { .. })) => {
            return Err(ApiError::internal(error));
        }
    };
    let inputs: Vec<ResolutionInput> = report.appended.iter().map(ResolutionInput::from_appended).collect();
    let resolved_with_batch =
        hospes_resolve::resolve_appended(&mut *transaction, &*state.resolver, &inputs).await.map_err(resolve_error)?;
    transaction.commit().await?;
    if resolved_with_batch.is_none() {
        hospes_resolve::resolve_pending(&*state.store, &*state.resolver).await.map_err(resolve_error)?;
    }
    let record_ids: Vec<RecordId> = report
        .accepted
        .iter()
        .map(|record| record.record_id)
        .chain(report.duplicates.iter().map(|record| record.record_id))
        .collect();
    let persons = state.store.persons_for_records(&record_ids).await.unwrap_or_default();
    let mut records: Vec<IngestedRecord> = report
        .accepted
        .iter()
        .map(|record| (record.line, record.record_id, record.seq, "accepted"))
        .chain(report.duplicates.iter().map(|record| (record.line, record.record_id, record.seq, "duplicate")))
        .map(|(line, record_id, seq, status)| IngestedRecord {
            line,
            record_id: record_id.uuid(),
            seq,
            status,
            person_id: persons.get(&record_id).map(|person| person.uuid()),
        })
        .collect();
    records.sort_by_key(|record| record.line);
    if state.access.mode == AccessMode::Enforced {
        let mut persons: Vec<PersonId> = persons.values().copied().collect();
        persons.sort_unstable();
        persons.dedup();
        let categories: std::collections::BTreeSet<&str> =
            report.appended.iter().map(|record| record.envelope.category.as_str()).collect();
        let key_id = presented_key(&headers).and_then(|key| key.split('_').nth(1)).unwrap_or("").to_owned();
        let mut event = AuditEvent::new(
            headers.get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or(""),
            Actor {
                subject: format!("api-key:{key_id}"),
                organisation: agency.name.clone(),
                roles: vec![Role::AgencyFeed.as_str().to_owned()],
                region: None,
            },
            "ingest",
            Outcome::Allowed,
        );
        event.persons = persons;
        event.detail = Some(format!(
            "{} record(s) appended, {} duplicate(s); categories written: {}",
            report.accepted.len(),
            report.duplicates.len(),
            categories.into_iter().collect::<Vec<_>>().join(", ")
        ));
        // The batch is already durable; if its audit event is not, the agency is told to resend
        // (resending is idempotent, and the retry is audited).
        state.access.audit.record(event).await.map_err(|error| {
            tracing::error!(%error, "an ingested batch could not be audited");
            ApiError::AuditUnavailable
        })?;
    }
    tracing::info!(agency = %agency.id, accepted = report.accepted.len(), duplicates = report.duplicates.len(), "batch ingested");
    let status = if report.accepted.is_empty() { StatusCode::OK } else { StatusCode::CREATED };
    let response = IngestResponse {
        agency: agency.id.to_string(),
        accepted: report.accepted.len(),
        duplicates: report.duplicates.len(),
        records,
        ledger_head: LedgerHead { seq: report.head_seq, hash: report.head_hash },
    };
    Ok((status, Json(response)).into_response())
}

fn resolve_error(error: hospes_resolve::ResolveError) -> ApiError {
    match error {
        hospes_resolve::ResolveError::Store(store) => store.into(),
    }
}

/// The head of the ledger's hash chain, for auditors to compare with a published one.
#[utoipa::path(get, path = "/v1/ledger/head", tag = "ledger", responses((status = 200, body = LedgerHead)))]
pub async fn ledger_head(State(state): State<AppState>) -> Result<Json<LedgerHead>, ApiError> {
    let head = state.store.chain_head().await?;
    Ok(Json(LedgerHead { seq: head.seq, hash: head.hash.to_hex() }))
}

/// The JSON Schema of one line of an ingest batch.
#[utoipa::path(get, path = "/v1/schemas/ingest-record.json", tag = "ingest", responses((status = 200, description = "JSON Schema (draft 2020-12)", body = Object)))]
pub async fn ingest_schema() -> Json<Value> {
    Json(hospes_ingest::ingest_line_schema())
}

/// The categories, their sensitivity and kinds; and the agencies with the categories each may write.
#[utoipa::path(get, path = "/v1/catalogue", tag = "ingest", responses((status = 200, body = Object)))]
pub async fn catalogue(State(state): State<AppState>) -> Json<Value> {
    let agencies: Vec<Value> = state
        .registry
        .iter()
        .map(|agency| {
            json!({
                "id": agency.id.as_str(),
                "name": agency.name,
                "categories": agency.categories.iter().map(|category| category.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(json!({ "categories": hospes_ingest::category_catalogue(), "agencies": agencies }))
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Object)))]
pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Readiness: the store answers.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200, body = Object), (status = 503, body = Problem, content_type = "application/problem+json")))]
pub async fn ready(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state.store.chain_head().await.map_err(|error| {
        tracing::error!(%error, "readiness check failed");
        ApiError::Unavailable
    })?;
    Ok(Json(json!({ "status": "ready" })))
}
