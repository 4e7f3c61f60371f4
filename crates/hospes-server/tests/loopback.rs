//! The unprotected mode (access control and audit off) exists only as the baseline of
//! `hospes bench lookup`; even then, person data answers loopback clients only.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use hospes_ingest::BatchLimits;
use hospes_model::AgencyRegistry;
use hospes_policy::Authoriser;
use hospes_resolve::DeterministicResolver;
use hospes_server::access::{AccessControl, AccessMode};
use hospes_server::{AppState, router};
use hospes_testkit::TestStore;
use tower::ServiceExt;

async fn status_from(test: &TestStore, mode: AccessMode, peer: &str, path: &str) -> StatusCode {
    let access = AccessControl::open(
        &test.location,
        mode,
        None,
        Authoriser::default_policies().unwrap(),
        hospes_transparency::generate_signing_key(),
    )
    .await
    .unwrap();
    let app = router(AppState {
        store: test.store.clone(),
        registry: Arc::new(AgencyRegistry::default_registry().unwrap()),
        resolver: Arc::new(DeterministicResolver),
        limits: BatchLimits::default(),
        access: Arc::new(access),
        status_rules: Arc::new(hospes_rules::status::StatusRules::shipped_default().unwrap()),
        credentials: Arc::new(hospes_server::credentials::CredentialService::new(
            hospes_transparency::generate_signing_key(),
        )),
    });
    let mut request = Request::get(path).body(Body::empty()).unwrap();
    request.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    app.oneshot(request).await.unwrap().status()
}

#[tokio::test]
async fn the_unprotected_baseline_answers_loopback_clients_only() {
    let test = TestStore::sqlite().await;
    let person = "/v1/persons/0f6f5d2e-3c1a-5b7e-9d2c-1a2b3c4d5e6f";
    let unprotected = AccessMode::UnprotectedLoopbackOnly;
    assert_eq!(status_from(&test, unprotected, "127.0.0.1:5000", person).await, StatusCode::NOT_FOUND);
    assert_eq!(status_from(&test, unprotected, "[::1]:5000", person).await, StatusCode::NOT_FOUND);
    assert_eq!(status_from(&test, unprotected, "192.0.2.10:5000", person).await, StatusCode::FORBIDDEN);
    assert_eq!(
        status_from(&test, unprotected, "192.0.2.10:5000", "/v1/persons?document=AB1").await,
        StatusCode::FORBIDDEN
    );
    // Endpoints that carry no person data answer anyone.
    assert_eq!(status_from(&test, unprotected, "192.0.2.10:5000", "/healthz").await, StatusCode::OK);
}

#[tokio::test]
async fn enforced_mode_wants_a_token_from_every_client() {
    let test = TestStore::sqlite().await;
    let person = "/v1/persons/0f6f5d2e-3c1a-5b7e-9d2c-1a2b3c4d5e6f";
    // Without a token issuer configured, nobody gets person data, loopback or not.
    assert_eq!(status_from(&test, AccessMode::Enforced, "127.0.0.1:5000", person).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status_from(&test, AccessMode::Enforced, "192.0.2.10:5000", person).await, StatusCode::UNAUTHORIZED);
}
