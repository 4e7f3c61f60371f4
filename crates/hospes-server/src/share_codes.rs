//! Share codes (as in the UK's "prove your right to work"): the foreign national makes a code for
//! one kind of check and gives it, with their birth date, to an employer, a bank, a telecom operator
//! or a landlord, who runs the check with it (`POST /v1/checks/{purpose}`) instead of a document
//! number. The person decides who checks, and sees each use in their access log.
//!
//! Only the SHA-256 of a code is stored; the code is shown once, when made. A code lasts 90 days
//! and can be revoked at any time.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::HeaderMap;
use chrono::{DateTime, TimeDelta, Utc};
use hospes_audit::Outcome;
use hospes_credential::ShareCode;
use hospes_model::{PersonId, Sha256Digest};
use hospes_policy::Purpose;
use hospes_store::ShareCodeRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::{Grant, Target, grant};
use crate::problem::{ApiError, Problem};
use crate::reads::{declare_own_data, own_person};

/// How long a share code lasts.
pub const LIFETIME: TimeDelta = TimeDelta::days(90);

/// The hash under which a code is stored: of its normalised form, so `k7m 2qx-9tf` finds it too.
pub fn code_hash(code: &ShareCode) -> Sha256Digest {
    Sha256Digest::of(&[code.as_str().as_bytes()])
}

/// A check purpose (`right-to-work`, `bank-account`, `phone-number`, `rent`).
pub fn check_purpose(text: &str) -> Result<Purpose, ApiError> {
    Purpose::parse(text).ok().filter(|purpose| purpose.is_check()).ok_or_else(|| {
        ApiError::InvalidParameter(format!(
            "'{text}' is not a check: use right-to-work, bank-account, phone-number or rent"
        ))
    })
}

/// Why a share code does not let a check run.
pub fn usable(row: &ShareCodeRow, purpose: Purpose, now: DateTime<Utc>) -> Result<(), ApiError> {
    if row.purpose != purpose.as_str() {
        return Err(ApiError::ShareCodeRefused(format!(
            "this share code is for {}, not for {}",
            row.purpose,
            purpose.as_str()
        )));
    }
    if let Some(revoked_at) = &row.revoked_at {
        return Err(ApiError::ShareCodeRefused(format!("this share code was revoked by its holder at {revoked_at}")));
    }
    let expired = DateTime::parse_from_rfc3339(&row.expires_at).map_or(true, |expires| expires <= now);
    if expired {
        return Err(ApiError::ShareCodeRefused(format!("this share code expired at {}", row.expires_at)));
    }
    Ok(())
}

/// What the person asks for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewShareCodeRequest {
    /// `right-to-work`, `bank-account`, `phone-number` or `rent`.
    pub purpose: String,
}

/// A new code: shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewShareCodeResponse {
    /// The code, in groups of three (`K7M-2QX-9TF`). Hospes keeps only its hash: it cannot show it again.
    pub code: String,
    #[serde(flatten)]
    pub share_code: ShareCodeView,
}

/// A code's metadata (never the code).
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareCodeView {
    /// Names the code for revoking it.
    pub id: String,
    pub purpose: String,
    pub created_at: String,
    pub expires_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    /// `active`, `expired` or `revoked`.
    pub state: &'static str,
}

impl ShareCodeView {
    fn of(row: ShareCodeRow, now: DateTime<Utc>) -> Self {
        let expired = DateTime::parse_from_rfc3339(&row.expires_at).map_or(true, |expires| expires <= now);
        let state = match (&row.revoked_at, expired) {
            (Some(_), _) => "revoked",
            (None, true) => "expired",
            (None, false) => "active",
        };
        ShareCodeView {
            id: row.id,
            purpose: row.purpose,
            created_at: row.created_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
            state,
        }
    }
}

/// The caller's share codes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareCodesResponse {
    pub share_codes: Vec<ShareCodeView>,
}

async fn own(
    state: &AppState,
    headers: &mut HeaderMap,
    peer: SocketAddr,
    action: &str,
) -> Result<(Grant, PersonId), ApiError> {
    declare_own_data(headers);
    let grant = grant(state, headers, Some(peer), action, Target::Caller).await?;
    let person_id = own_person(&grant)?;
    Ok((grant, person_id))
}

/// Makes a share code for one kind of check, valid 90 days. The code is in this response only.
#[utoipa::path(
    post,
    path = "/v1/me/share-codes",
    tag = "me",
    request_body = NewShareCodeRequest,
    responses(
        (status = 201, body = NewShareCodeResponse),
        (status = 400, description = "Not a check purpose, or a malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a person's own token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn create_share_code(
    State(state): State<AppState>,
    ConnectInfo(peer_address): ConnectInfo<SocketAddr>,
    mut headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<(axum::http::StatusCode, Json<NewShareCodeResponse>), ApiError> {
    let request: NewShareCodeRequest = serde_json::from_slice(&body)
        .map_err(|error| ApiError::InvalidParameter(format!("the request body: {error}")))?;
    let purpose = check_purpose(&request.purpose)?;
    let (grant, person_id) = own(&state, &mut headers, peer_address, "create_share_code").await?;
    let now = Utc::now();
    let code = ShareCode::generate(&mut rand::rng());
    let row = ShareCodeRow {
        code_sha256: code_hash(&code),
        id: uuid::Uuid::new_v4().to_string(),
        person_id,
        purpose: purpose.as_str().to_owned(),
        created_at: hospes_audit::timestamp(now),
        expires_at: hospes_audit::timestamp(now + LIFETIME),
        revoked_at: None,
    };
    state.store.insert_share_code(&row).await?;
    grant.audit("create_share_code", vec![person_id], [], Outcome::Allowed).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(NewShareCodeResponse { code: code.to_string(), share_code: ShareCodeView::of(row, now) }),
    ))
}

/// The caller's share codes, newest first: what each is for and whether it still works; never the codes.
#[utoipa::path(
    get,
    path = "/v1/me/share-codes",
    tag = "me",
    responses(
        (status = 200, body = ShareCodesResponse),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a person's own token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn list_share_codes(
    State(state): State<AppState>,
    ConnectInfo(peer_address): ConnectInfo<SocketAddr>,
    mut headers: HeaderMap,
) -> Result<Json<ShareCodesResponse>, ApiError> {
    let (grant, person_id) = own(&state, &mut headers, peer_address, "list_share_codes").await?;
    let rows = state.store.share_codes_of(person_id).await?;
    grant.audit("list_share_codes", vec![person_id], [], Outcome::Allowed).await?;
    let now = Utc::now();
    Ok(Json(ShareCodesResponse { share_codes: rows.into_iter().map(|row| ShareCodeView::of(row, now)).collect() }))
}

/// Revokes one of the caller's share codes: checks with it are refused from now on.
#[utoipa::path(
    delete,
    path = "/v1/me/share-codes/{id}",
    tag = "me",
    params(("id" = String, Path, description = "The code's id, from the list")),
    responses(
        (status = 200, body = ShareCodeView),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a person's own token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such code of the caller's, or it is already revoked", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn revoke_share_code(
    State(state): State<AppState>,
    ConnectInfo(peer_address): ConnectInfo<SocketAddr>,
    mut headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<ShareCodeView>, ApiError> {
    let (grant, person_id) = own(&state, &mut headers, peer_address, "revoke_share_code").await?;
    let now = Utc::now();
    let revoked = state.store.revoke_share_code(person_id, &id, &hospes_audit::timestamp(now)).await?;
    let row = state.store.share_codes_of(person_id).await?.into_iter().find(|row| row.id == id);
    match (revoked, row) {
        (true, Some(row)) => {
            grant.audit("revoke_share_code", vec![person_id], [], Outcome::Allowed).await?;
            Ok(Json(ShareCodeView::of(row, now)))
        }
        _ => {
            grant.audit("revoke_share_code", vec![person_id], [], Outcome::NotFound).await?;
            Err(ApiError::NotFound(format!("you have no active share code {id}")))
        }
    }
}
