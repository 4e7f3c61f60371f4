//! The QR credential over HTTP: the issuer's trust list and revocation list (public), online
//! verification (`POST /v1/verify`), and the holder's own signed presentation
//! (`GET /v1/me/credential`).
//!
//! The signing key is an Ed25519 key in `credential-signing.key` beside the audit log's key, in the
//! same format (64 hexadecimal characters), created on first use. The pseudonymous subject of a
//! credential is derived from the person id under a secret derived from that key, so verifiers can
//! tell two credentials of one holder apart from others' without learning the registry's person id,
//! and cannot join them to anything else.
//!
//! The revocation list is held in memory: it starts empty at each start, which is safe because
//! credentials live 72 hours and a credential is only revoked for what cannot wait that long.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::RwLock;

use axum::Json;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use hospes_audit::Outcome;
use hospes_credential::{
    BirthDate, Credential, HolderClaims, Issuer, LatinName, Purpose, RentPermission, RevocationList, SigningKey,
    StatusColour, TrustLevel, TrustList, VerifiedCredential, Verifier, WorkPermission,
};
use hospes_model::{Category, Date, PersonId};
use hospes_profile::Profile;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{Target, grant};
use crate::derived::{Annotations, derive, typed_records};
use crate::problem::{ApiError, Problem};
use crate::reads::{declare_own_data, own_person};

/// The issuer name credentials carry (the CWT `iss`).
pub const ISSUER_NAME: &str = "hospes";

/// The issuer, what verifiers trust, and what is revoked.
#[derive(Debug)]
pub struct CredentialService {
    issuer: Issuer,
    trust: TrustList,
    revocations: RwLock<RevocationList>,
    subject_namespace: uuid::Uuid,
}

/// Reads the Ed25519 key at `path`, or creates one there (readable by its owner only).
pub fn load_or_create_credential_key(
    path: &Path,
) -> Result<hospes_transparency::SigningKey, hospes_audit::SigningKeyError> {
    hospes_audit::load_or_create_key_file(path, "credential signing key")
}

impl CredentialService {
    /// The service for an Ed25519 key; the trust list holds that key alone, with no end to its
    /// signing period (a rotation adds the next key and closes this one's period).
    pub fn new(key: hospes_transparency::SigningKey) -> Self {
        // The subject secret is derived from the key, so one file holds both and a key rotation
        // also changes every subject id (old and new credentials cannot be linked).
        let secret = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, &key.to_bytes());
        let signing_key = SigningKey::Ed25519(key);
        let issuer = Issuer::new(signing_key.clone(), signing_key.derived_key_id(), ISSUER_NAME);
        let trust = TrustList::new(vec![issuer.trusted_key(None, None)]);
        CredentialService {
            issuer,
            trust,
            revocations: RwLock::new(RevocationList::new(Utc::now())),
            subject_namespace: secret,
        }
    }

    /// The keys verifiers trust.
    pub fn trust_list(&self) -> &TrustList {
        &self.trust
    }

    /// A copy of the revocation list.
    pub fn revocations(&self) -> RevocationList {
        self.revocations.read().map(|list| list.clone()).unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    /// Revokes one credential by id.
    pub fn revoke_credential(&self, credential_id: &str, at: DateTime<Utc>) {
        let mut list = self.revocations.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        list.revoke_credential(credential_id, at);
        list.issued_at = at;
    }

    /// The pseudonymous subject of a person: stable, and not the person id.
    pub fn subject(&self, person_id: PersonId) -> String {
        format!("p-{}", uuid::Uuid::new_v5(&self.subject_namespace, person_id.uuid().as_bytes()).simple())
    }

    /// Verifies as an online verifier would: the trust list and the current revocation list.
    pub fn verify(
        &self,
        text: &str,
        purpose: Option<Purpose>,
        now: DateTime<Utc>,
    ) -> Result<VerifiedCredential, hospes_credential::Refusal> {
        self.verify_against(text, purpose, now, self.revocations())
    }

    /// Verifies against the trust list and the given revocation list.
    pub fn verify_against(
        &self,
        text: &str,
        purpose: Option<Purpose>,
        now: DateTime<Utc>,
        revocations: RevocationList,
    ) -> Result<VerifiedCredential, hospes_credential::Refusal> {
        Verifier::new(self.trust.clone(), Some(revocations), purpose).verify(text, now)
    }

    /// Signs the presentation of `claims` for `purpose`.
    pub fn issue(&self, claims: &HolderClaims, purpose: Purpose, now: DateTime<Utc>) -> Result<Credential, ApiError> {
        self.issuer.issue(claims, purpose, now).map_err(ApiError::internal)
    }
}

/// The issuer's keys as a JWKS (RFC 7517), with each key's signing period. Public: verifiers fetch
/// it once and then verify offline.
#[utoipa::path(
    get,
    path = "/v1/credentials/trust-list",
    tag = "credentials",
    responses((status = 200, description = "The JWKS of the credential issuer", content_type = "application/json", body = Object))
)]
pub async fn trust_list(State(state): State<AppState>) -> Response {
    let mut response = state.credentials.trust_list().to_jwks_json().into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The revocation list: credentials revoked by id, and subjects whose credentials up to a time are
/// revoked. Public: it names only credential ids and pseudonymous subjects.
#[utoipa::path(
    get,
    path = "/v1/credentials/revocations",
    tag = "credentials",
    responses((status = 200, description = "The revocation list", body = Object))
)]
pub async fn revocations(State(state): State<AppState>) -> Result<Json<RevocationList>, ApiError> {
    Ok(Json(current_revocations(&state).await?))
}

/// The revocation list as it stands: the service's, plus every subject revocation in the store (the
/// store is the record of them, so every server sharing it answers alike and a restart loses none).
async fn current_revocations(state: &AppState) -> Result<RevocationList, ApiError> {
    let mut list = state.credentials.revocations();
    for (subject, revoked_at) in state.store.credential_revocations().await? {
        let revoked_at = DateTime::parse_from_rfc3339(&revoked_at).map_err(ApiError::internal)?.with_timezone(&Utc);
        list.revoke_subject(&subject, revoked_at);
        list.issued_at = list.issued_at.max(revoked_at);
    }
    Ok(list)
}

/// Revoke every credential issued to you so far (a lost phone, a card taken): online verifiers
/// refuse them from now on; credentials issued later are not affected.
#[utoipa::path(
    post,
    path = "/v1/me/credentials/revoke",
    tag = "me",
    responses(
        (status = 200, description = "Revoked: `revoked_at` is the instant up to which credentials are refused", body = Object),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a person's own token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn revoke_mine(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(peer_address): axum::extract::ConnectInfo<std::net::SocketAddr>,
    mut headers: axum::http::HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    crate::reads::declare_own_data(&mut headers);
    let action = "revoke_own_credentials";
    let grant =
        crate::access::grant(&state, &headers, Some(peer_address), action, crate::access::Target::Caller).await?;
    let person_id = crate::reads::own_person(&grant)?;
    let subject = state.credentials.subject(person_id);
    let revoked_at = Utc::now();
    let stamp = revoked_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    state.store.insert_credential_revocation(&subject, &stamp).await?;
    grant.audit(action, vec![person_id], [], hospes_audit::Outcome::Allowed).await?;
    Ok(Json(serde_json::json!({ "subject": subject, "revoked_at": stamp })))
}

/// What a verifier sends.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// The credential's text, `HSP1:…` (what the QR code holds).
    pub credential: String,
    /// Accept only credentials made for this purpose: `police`, `work` or `rent`.
    pub purpose: Option<String>,
}

/// Verifies a credential against this registry's trust list and its current revocation list.
///
/// Public, like the trust list: it tells the caller only what the credential they hold already
/// says, which anyone can check offline. Nothing about the holder is read from the registry, so
/// nothing is audited.
#[utoipa::path(
    post,
    path = "/v1/verify",
    tag = "credentials",
    request_body = VerifyRequest,
    responses(
        (status = 200, description = "The verified credential and its claims", body = Object),
        (status = 400, description = "Malformed request or unknown purpose", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The credential is refused; `refusal` says why", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> Result<Json<VerifiedCredential>, ApiError> {
    let request: VerifyRequest = serde_json::from_slice(&body)
        .map_err(|error| ApiError::InvalidParameter(format!("the request body: {error}")))?;
    let purpose = request.purpose.as_deref().map(parse_purpose).transpose()?;
    let revocations = current_revocations(&state).await?;
    state
        .credentials
        .verify_against(request.credential.trim(), purpose, Utc::now(), revocations)
        .map(Json)
        .map_err(ApiError::CredentialRefused)
}

fn parse_purpose(text: &str) -> Result<Purpose, ApiError> {
    Purpose::parse(text)
        .ok_or_else(|| ApiError::InvalidParameter(format!("purpose '{text}' is not one of police, work, rent")))
}

/// `?purpose=…&format=…`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CredentialQuery {
    /// `police`, `work` or `rent` (required).
    pub purpose: Option<String>,
    /// `text` (JSON with the `HSP1:` text; the default), `png` or `svg` (the QR code).
    pub format: Option<String>,
}

/// The issued credential, in the `text` format.
#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialResponse {
    /// `HSP1:…`, what the QR code holds.
    pub credential: String,
    pub credential_id: String,
    pub purpose: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The caller's own credential for one purpose, signed now, valid 72 hours: as text, or as a QR
/// code (PNG or SVG). Only the claims that purpose needs are in it. Audited, so the holder sees
/// each issuance in their access log.
#[utoipa::path(
    get,
    path = "/v1/me/credential",
    tag = "me",
    params(CredentialQuery),
    responses(
        (status = 200, description = "The credential (JSON, image/png or image/svg+xml)", body = CredentialResponse),
        (status = 400, description = "Unknown purpose or format", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a person's own token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No records about the caller, or none with a name and birth date", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn me_credential(
    State(state): State<AppState>,
    ConnectInfo(peer_address): ConnectInfo<SocketAddr>,
    mut headers: HeaderMap,
    Query(query): Query<CredentialQuery>,
) -> Result<Response, ApiError> {
    let purpose = query
        .purpose
        .as_deref()
        .ok_or_else(|| ApiError::InvalidParameter("purpose is required: police, work or rent".into()))
        .and_then(parse_purpose)?;
    let format = query.format.as_deref().unwrap_or("text");
    if !["text", "png", "svg"].contains(&format) {
        return Err(ApiError::InvalidParameter(format!("format '{format}' is not one of text, png, svg")));
    }
    declare_own_data(&mut headers);
    let grant = grant(&state, &headers, Some(peer_address), "issue_credential", Target::Caller).await?;
    let person_id = own_person(&grant)?;
    let stored = state.store.person_records(person_id).await?;
    if stored.is_empty() {
        grant.audit("issue_credential", vec![person_id], [], Outcome::NotFound).await?;
        return Err(ApiError::NotFound("no records about you yet".into()));
    }
    let now = Utc::now();
    let today = Date::from_naive(now.date_naive()).map_err(ApiError::internal)?;
    let claims = match holder_claims(&state, person_id, &stored, today) {
        Ok(claims) => claims,
        Err(error) => {
            grant.audit("issue_credential", vec![person_id], [], Outcome::NotFound).await?;
            return Err(error);
        }
    };
    let credential = state.credentials.issue(&claims, purpose, now)?;
    let returned = match purpose {
        Purpose::Police => vec![Category::Identity, Category::MigrationRegistration],
        Purpose::Work => vec![Category::Identity, Category::WorkPermits, Category::ResidencePermits],
        Purpose::Rent => vec![Category::Identity, Category::ResidencePermits, Category::MigrationRegistration],
    };
    grant.audit("issue_credential", vec![person_id], returned, Outcome::Allowed).await?;
    let image = |bytes: Vec<u8>, content_type: &'static str| {
        let mut response = bytes.into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        response
    };
    Ok(match format {
        "png" => image(hospes_credential::render_png(&credential.text).map_err(ApiError::internal)?, "image/png"),
        "svg" => image(
            hospes_credential::render_svg(&credential.text).map_err(ApiError::internal)?.into_bytes(),
            "image/svg+xml",
        ),
        _ => Json(CredentialResponse {
            credential: credential.text,
            credential_id: credential.credential_id,
            purpose: purpose.as_str().to_owned(),
            issued_at: credential.issued_at,
            expires_at: credential.expires_at,
        })
        .into_response(),
    })
}

/// Everything the issuer may say about the person today. The permitted stay is the end of a permit
/// in force or the 90/180 limit from the border crossings (see `derived::permitted_stay_until`).
fn holder_claims(
    state: &AppState,
    person_id: PersonId,
    stored: &[hospes_store::StoredRecord],
    today: Date,
) -> Result<HolderClaims, ApiError> {
    let profile = Profile::project(person_id, stored);
    let name = profile
        .identity
        .names
        .iter()
        .find_map(|name| latin_name(&name.value))
        .ok_or_else(|| ApiError::NotFound("no name of yours can be written in ICAO Latin form".into()))?;
    let birth_date = profile
        .identity
        .birth_dates
        .iter()
        .find_map(|date| BirthDate::parse(&date.value).ok())
        .ok_or_else(|| ApiError::NotFound("no birth date of yours is on record".into()))?;
    let typed = typed_records(stored);
    let annotations = Annotations { known_on: Some(today), ..Annotations::default() };
    let (status, trust) = derive(&state.status_rules, &typed.records, &annotations, today);
    let status = match status.colour {
        hospes_rules::status::Colour::Green => StatusColour::Green,
        hospes_rules::status::Colour::Yellow => StatusColour::Yellow,
        hospes_rules::status::Colour::Red => StatusColour::Red,
    };
    let trust_level = TrustLevel::try_from(trust.level.min(3)).map_err(ApiError::internal)?;
    let day = today.naive();
    let work = crate::checks::answer(&profile, hospes_policy::Purpose::RightToWork, day);
    let rent = crate::checks::answer(&profile, hospes_policy::Purpose::Rent, day);
    Ok(HolderClaims {
        subject: state.credentials.subject(person_id),
        name,
        birth_date,
        photo_reference: None,
        status,
        permitted_stay_until: crate::derived::permitted_stay_until(&typed.records, day),
        registration_valid_until: latest_end(&profile, Category::MigrationRegistration, "registration", day),
        trust_level,
        work: WorkPermission {
            may_work: work.is_some(),
            region: work.is_some().then(|| work_region(&profile, day)).flatten(),
            valid_until: work.flatten(),
        },
        rent: RentPermission { may_rent: rent.is_some(), valid_until: rent.flatten() },
    })
}

/// A profile name (`{"surname", "given_names"}` in any script) in ICAO Latin form.
fn latin_name(name: &serde_json::Value) -> Option<LatinName> {
    let options = hospes_mrz::TransliterationOptions::default();
    let surname = hospes_mrz::transliterate_name(name.get("surname")?.as_str()?, &options).ok()?;
    let given = match name.get("given_names").and_then(serde_json::Value::as_str) {
        Some(given) => hospes_mrz::transliterate_name(given, &options).ok()?,
        None => String::new(),
    };
    LatinName::from_parts(&surname, &given).ok()
}

fn in_force(entry: &hospes_profile::CurrentEntry, day: NaiveDate) -> bool {
    entry.effective_from.naive() <= day && entry.effective_to.is_none_or(|end| day <= end.naive())
}

/// The latest end of the records of `kind` in force on `day`.
fn latest_end(profile: &Profile, category: Category, kind: &str, day: NaiveDate) -> Option<NaiveDate> {
    profile
        .categories
        .get(&category)?
        .current
        .iter()
        .filter(|entry| entry.kind == kind && in_force(entry, day))
        .filter_map(|entry| entry.effective_to.map(Date::naive))
        .max()
}

/// The region of the work permit in force on `day` (a patent is regional); none for a residence
/// permit, which allows work anywhere.
fn work_region(profile: &Profile, day: NaiveDate) -> Option<String> {
    profile
        .categories
        .get(&Category::WorkPermits)?
        .current
        .iter()
        .filter(|entry| in_force(entry, day))
        .find_map(|entry| entry.payload.as_ref()?.get("region")?.as_str().map(str::to_owned))
}
