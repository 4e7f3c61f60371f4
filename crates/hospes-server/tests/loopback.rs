//! Person data is served to loopback clients only until access control lands.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use hospes_ingest::BatchLimits;
use hospes_model::AgencyRegistry;
use hospes_resolve::DeterministicResolver;
use hospes_server::{AppState, router};
use hospes_testkit::TestStore;
use tower::ServiceExt;

async fn status_from(peer: Option<&str>, path: &str) -> StatusCode {
    let test = TestStore::sqlite().await;
    let app = router(AppState {
        store: test.store.clone(),
        registry: Arc::new(AgencyRegistry::default_registry().unwrap()),
        resolver: Arc::new(DeterministicResolver),
        limits: BatchLimits::default(),
    });
    let mut request = Request::get(path).body(Body::empty()).unwrap();
    if let Some(peer) = peer {
        request.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    }
    app.oneshot(request).await.unwrap().status()
}

#[tokio::test]
async fn person_data_answers_loopback_clients_only() {
    let person = "/v1/persons/0f6f5d2e-3c1a-5b7e-9d2c-1a2b3c4d5e6f";
    assert_eq!(status_from(Some("127.0.0.1:5000"), person).await, StatusCode::NOT_FOUND);
    assert_eq!(status_from(Some("[::1]:5000"), person).await, StatusCode::NOT_FOUND);
    assert_eq!(status_from(Some("192.0.2.10:5000"), person).await, StatusCode::FORBIDDEN);
    assert_eq!(status_from(Some("192.0.2.10:5000"), "/v1/persons?document=AB1").await, StatusCode::FORBIDDEN);
    assert_eq!(
        status_from(Some("192.0.2.10:5000"), "/v1/records/0f6f5d2e-3c1a-5b7e-9d2c-1a2b3c4d5e6f").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(status_from(None, person).await, StatusCode::FORBIDDEN);
    // Endpoints that carry no person data answer anyone.
    assert_eq!(status_from(Some("192.0.2.10:5000"), "/healthz").await, StatusCode::OK);
    assert_eq!(status_from(Some("192.0.2.10:5000"), "/openapi.json").await, StatusCode::OK);
}
