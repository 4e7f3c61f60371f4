//! The HTTP API of Hospes.
//!
//! This is the one crate that knows HTTP: routes, the OpenAPI document (generated from the handlers
//! with utoipa and served at `/openapi.json`), and errors as RFC 9457 problem documents. Everything it
//! does is delegated to the domain crates: policy authenticates, ingest validates and appends, resolve
//! assigns records to persons, profile projects them.
//!
//! Every person-data endpoint passes through [`access`]: a bearer token, a declared purpose, the Cedar
//! policies, and an audit event that is durable before the response leaves.

pub mod access;
pub mod api;
pub mod border;
pub mod checks;
pub mod contests;
pub mod credentials;
pub mod derived;
pub mod identity_links;
pub mod problem;
pub mod reads;
pub mod retention;
pub mod routes;
pub mod share_codes;
pub mod status;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::MatchedPath;
use axum::http::Request;
use axum::routing::{delete, get, post};
use hospes_ingest::BatchLimits;
use hospes_model::AgencyRegistry;
use hospes_resolve::Resolver;
use hospes_store::Store;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub registry: Arc<AgencyRegistry>,
    pub resolver: Arc<dyn Resolver>,
    pub limits: BatchLimits,
    pub access: Arc<access::AccessControl>,
    /// The status rules (`config/status-rules.toml` or the operator's own).
    pub status_rules: Arc<hospes_rules::status::StatusRules>,
    /// The QR credential issuer, its trust list and its revocation list.
    pub credentials: Arc<credentials::CredentialService>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hospes",
        description = "The registry of digital profiles of foreign nationals: ingestion of agency records into an append-only, hash-chained ledger, and the profiles resolved from them.",
        license(name = "Apache-2.0")
    ),
    paths(
        routes::ingest,
        reads::person_profile,
        reads::person_records,
        reads::search_persons,
        reads::record,
        status::person_status,
        status::person_status_history,
        status::me_status,
        contests::file_contest,
        contests::my_contests,
        contests::open_contests,
        contests::decide_contest,
        identity_links::list_links,
        identity_links::get_link,
        identity_links::decide_link,
        identity_links::split_person,
        identity_links::match_persons,
        reads::me_profile,
        reads::me_access_log,
        reads::audit_tree_head,
        reads::audit_inclusion_proof,
        reads::audit_consistency_proof,
        checks::run_check,
        border::record_crossing,
        border::submit_application,
        border::read_application,
        border::import_lost_stolen,
        credentials::trust_list,
        credentials::revocations,
        credentials::revoke_mine,
        credentials::verify,
        credentials::me_credential,
        share_codes::create_share_code,
        share_codes::list_share_codes,
        share_codes::revoke_share_code,
        routes::ledger_head,
        routes::ingest_schema,
        routes::catalogue,
        routes::health,
        routes::ready,
    ),
    modifiers(&AgencyKeySecurity),
    tags(
        (name = "ingest", description = "Agencies send records"),
        (name = "persons", description = "Profiles, records and search: a bearer token and a declared purpose (`Hospes-Purpose`) on every request; every read audited"),
        (name = "me", description = "The foreign national's own view: their data and who accessed it"),
        (name = "contests", description = "Officers decide the contests persons file against their records"),
        (name = "border", description = "Border control: crossings with the checkpoint decision support, pre-arrival applications, lost and stolen documents"),
        (name = "checks", description = "Yes/no checks for employers, banks, telecom operators and landlords"),
        (name = "credentials", description = "QR credentials: the issuer's trust list and revocation list, and online verification"),
        (name = "audit", description = "The audit log's signed tree head and proofs"),
        (name = "ledger", description = "The hash chain"),
        (name = "operations", description = "Health"),
    )
)]
pub struct ApiDoc;

struct AgencyKeySecurity;

impl utoipa::Modify for AgencyKeySecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "agency_api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("hsk_<key id>_<secret>")
                    .description(Some("An agency API key, issued with `hospes agency add-key`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "bearer_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An OIDC access token (claims: sub, org, roles, region; person_id for a foreign national) signed by a configured issuer",
                    ))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document as JSON.
pub fn openapi_json() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
}

/// The application's routes.
pub fn router(state: AppState) -> Router {
    let person_data = Router::new()
        .route("/v1/persons", get(reads::search_persons))
        .route("/v1/persons/{person_id}", get(reads::person_profile))
        .route("/v1/persons/{person_id}/records", get(reads::person_records))
        .route("/v1/records/{record_id}", get(reads::record))
        .route("/v1/persons/{person_id}/status", get(status::person_status))
        .route("/v1/persons/{person_id}/status/history", get(status::person_status_history))
        .route("/v1/me/status", get(status::me_status))
        .route("/v1/me/contests", get(contests::my_contests).post(contests::file_contest))
        .route("/v1/contests", get(contests::open_contests))
        .route("/v1/contests/{contest_id}/decision", post(contests::decide_contest))
        .route("/v1/review/links", get(identity_links::list_links))
        .route("/v1/review/links/{link_id}", get(identity_links::get_link))
        .route("/v1/review/links/{link_id}/decision", post(identity_links::decide_link))
        .route("/v1/persons/{person_id}/split", post(identity_links::split_person))
        .route("/v1/persons/{person_id}/match/{other_person_id}", get(identity_links::match_persons))
        .route("/v1/me/profile", get(reads::me_profile))
        .route("/v1/me/access-log", get(reads::me_access_log))
        .route("/v1/me/credential", get(credentials::me_credential))
        .route("/v1/me/share-codes", post(share_codes::create_share_code).get(share_codes::list_share_codes))
        .route("/v1/me/share-codes/{id}", delete(share_codes::revoke_share_code))
        .route("/v1/audit/tree-head", get(reads::audit_tree_head))
        .route("/v1/audit/proofs/inclusion", get(reads::audit_inclusion_proof))
        .route("/v1/audit/proofs/consistency", get(reads::audit_consistency_proof))
        .route("/v1/checks/{purpose}", post(checks::run_check))
        .route("/v1/border/crossings", post(border::record_crossing))
        .route("/v1/border/applications", post(border::submit_application))
        .route("/v1/border/applications/{application_id}", get(border::read_application))
        .route("/v1/border/lost-stolen", post(border::import_lost_stolen));
    let openapi = openapi_json();
    Router::new()
        .route("/v1/ingest/{agency}", post(routes::ingest))
        .route("/v1/ledger/head", get(routes::ledger_head))
        .route("/v1/schemas/ingest-record.json", get(routes::ingest_schema))
        .route("/v1/catalogue", get(routes::catalogue))
        .route("/v1/credentials/trust-list", get(credentials::trust_list))
        .route("/v1/credentials/revocations", get(credentials::revocations))
        .route("/v1/me/credentials/revoke", post(credentials::revoke_mine))
        .route("/v1/verify", post(credentials::verify))
        .route("/openapi.json", get(move || async move { axum::Json(openapi.clone()) }))
        .route("/healthz", get(routes::health))
        .route("/readyz", get(routes::ready))
        .merge(person_data)
        .with_state(state)
        .layer(axum::middleware::from_fn(identity_links::redirect_merged))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            // The route template, never the raw path: paths carry person and record ids.
            let route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str).unwrap_or("unmatched");
            let request_id = request.headers().get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %request.method(), route, request_id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Serves the API on `listener` until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let address = listener.local_addr()?;
    tracing::info!(%address, "Hospes API listening");
    match (&state.access.mode, &state.access.tokens) {
        (access::AccessMode::UnprotectedLoopbackOnly, _) => tracing::warn!(
            "access control and audit are OFF (benchmark baseline): person data is served to loopback clients only"
        ),
        (access::AccessMode::Enforced, None) => tracing::warn!(
            "no token issuer configured (--jwks): person-data endpoints refuse every request; agencies can still ingest"
        ),
        (access::AccessMode::Enforced, Some(_)) => {}
    }
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
