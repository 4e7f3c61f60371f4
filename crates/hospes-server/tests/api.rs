//! The HTTP API end to end: a real server on a loopback port, real SQLite and PostgreSQL behind it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use hospes_ingest::BatchLimits;
use hospes_model::{AgencyRegistry, Category};
use hospes_policy::test_issuer::TestIssuer;
use hospes_policy::{Authoriser, Principal, Role, issue_agency_key};
use hospes_resolve::DeterministicResolver;
use hospes_server::AppState;
use hospes_server::access::{AccessControl, AccessMode};
use hospes_testkit::{TestStore, test_both_backends};
use reqwest::StatusCode;
use serde_json::Value;

const EVERY_CATEGORY: &str = include_str!("../../../examples/every-category.ndjson");
const NDJSON: &str = "application/x-ndjson";

struct TestApp {
    base: String,
    client: reqwest::Client,
    keys: BTreeMap<String, String>,
    registry: AgencyRegistry,
    /// A border officer's token; `get` reads with it, for the purpose `border-check`.
    officer_token: String,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl TestApp {
    async fn spawn(test: &TestStore, limits: BatchLimits) -> TestApp {
        let registry = AgencyRegistry::default_registry().unwrap();
        let mut keys = BTreeMap::new();
        for agency in registry.iter() {
            let issued = issue_agency_key(&*test.store, &registry, agency.id.as_str(), "test").await.unwrap();
            keys.insert(agency.id.to_string(), issued.plaintext);
        }
        let issuer = TestIssuer::from_seed(1);
        let access = AccessControl::open(
            &test.location,
            AccessMode::Enforced,
            Some(issuer.verifier()),
            Authoriser::default_policies().unwrap(),
            hospes_transparency::generate_signing_key(),
        )
        .await
        .unwrap();
        let now = chrono::Utc::now().timestamp() as u64;
        let officer = Principal {
            subject: "officer-1".into(),
            organisation: "Border Service".into(),
            roles: [Role::BorderOfficer].into_iter().collect(),
            region: None,
            person_id: None,
        };
        let officer_token = issuer.token_for(&officer, now, now + 600);
        let state = AppState {
            store: test.store.clone(),
            registry: Arc::new(registry.clone()),
            resolver: Arc::new(DeterministicResolver),
            limits,
            access: Arc::new(access),
            status_rules: Arc::new(hospes_rules::status::StatusRules::shipped_default().unwrap()),
            credentials: Arc::new(hospes_server::credentials::CredentialService::new(
                hospes_transparency::generate_signing_key(),
            )),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        let (shutdown, receiver) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(hospes_server::serve(listener, state, async move {
            let _ = receiver.await;
        }));
        TestApp {
            base: format!("http://{address}"),
            client: reqwest::Client::new(),
            keys,
            registry,
            officer_token,
            _shutdown: shutdown,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn ingest_as(
        &self,
        agency: &str,
        key: Option<&str>,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> (StatusCode, Value) {
        let mut request =
            self.client.post(self.url(&format!("/v1/ingest/{agency}"))).header("content-type", content_type).body(body);
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        if status.is_client_error() || status.is_server_error() {
            assert_eq!(response.headers()["content-type"], "application/problem+json");
        }
        (status, response.json().await.unwrap())
    }

    async fn ingest(&self, agency: &str, body: &str) -> (StatusCode, Value) {
        let key = self.keys[agency].clone();
        self.ingest_as(agency, Some(&key), NDJSON, body.to_owned()).await
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(&self.officer_token)
            .header("Hospes-Purpose", "border-check")
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap())
    }

    /// The example lines grouped by the first agency allowed to write each line's category.
    fn example_batches(&self) -> BTreeMap<String, String> {
        let mut batches: BTreeMap<String, String> = BTreeMap::new();
        for line in EVERY_CATEGORY.lines() {
            let category: Value = serde_json::from_str::<Value>(line).unwrap()["category"].clone();
            let category = Category::parse(category.as_str().unwrap()).unwrap();
            let agency = self.registry.iter().find(|agency| agency.may_write(category)).unwrap();
            let batch = batches.entry(agency.id.to_string()).or_default();
            batch.push_str(line);
            batch.push('\n');
        }
        batches
    }

    async fn head(&self) -> Value {
        self.get("/v1/ledger/head").await.1
    }
}

async fn batches_are_acknowledged_and_resolved_into_profiles(test: &TestStore) {
    let app = TestApp::spawn(test, BatchLimits::default()).await;
    let mut total = 0;
    for (agency, batch) in app.example_batches() {
        let (status, body) = app.ingest(&agency, &batch).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["agency"], agency.as_str());
        assert!(
            body["records"]
                .as_array()
                .unwrap()
                .iter()
                .all(|record| record["status"] == "accepted" && record["person_id"].is_string())
        );
        total += body["accepted"].as_u64().unwrap();
    }
    assert_eq!(total, 25);
    assert_eq!(app.head().await["seq"], 25);

    // The border service's passport and crossing name the same document and birth date: one person.
    let (status, found) = app.get("/v1/persons?document=fa%20123-4567").await;
    assert_eq!(status, StatusCode::OK);
    let persons = found["persons"].as_array().unwrap();
    assert_eq!(persons.len(), 1, "{found}");
    let href = persons[0]["href"].as_str().unwrap();
    let (status, profile) = app.get(href).await;
    assert_eq!(status, StatusCode::OK, "{profile}");
    assert_eq!(profile["record_count"], 3);
    let categories: Vec<&str> = profile["categories"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(categories, ["biometrics", "border_crossings", "documents"]);
    let passport = &profile["categories"]["documents"]["current"][0];
    assert_eq!(passport["payload"]["number"], "FA1234567");
    assert_eq!(passport["agency"], "border_service");
    assert_eq!(profile["identity"]["documents"][0]["value"], "passport UZB FA1234567");
    assert_eq!(profile["identity"]["documents"][0]["sources"].as_array().unwrap().len(), 3);

    let (status, records) = app.get(&format!("{href}/records")).await;
    assert_eq!(status, StatusCode::OK);
    let records = records["records"].as_array().unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["subject"]["documents"][0]["number"], "FA1234567");
    assert_eq!(records[0]["hash"].as_str().unwrap().len(), 64);
    let record_id = records[0]["record_id"].as_str().unwrap();
    let (status, record) = app.get(&format!("/v1/records/{record_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(record["person_id"], persons[0]["person_id"]);

    let (_, by_taxpayer) = app.get("/v1/persons?taxpayer_number=500100732259").await;
    assert_eq!(by_taxpayer["persons"].as_array().unwrap().len(), 1);

    // Sending the same batch again changes nothing and says so.
    let batches = app.example_batches();
    let (status, again) = app.ingest("border_service", &batches["border_service"]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((again["accepted"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(4)));
    assert_eq!(app.head().await["seq"], 25);
}

/// Sends a bad batch and checks the problem document and that the ledger did not move.
async fn check_refused(
    app: &TestApp,
    agency: &str,
    key: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
    expected: (StatusCode, &str, &str),
) -> Value {
    let head_before = app.head().await;
    let (status, problem) = app.ingest_as(agency, key, content_type, body).await;
    let (expected_status, expected_code, detail_fragment) = expected;
    assert_eq!(status, expected_status, "{problem}");
    assert_eq!(problem["code"], expected_code, "{problem}");
    assert_eq!(problem["status"], expected_status.as_u16());
    assert_eq!(problem["type"], format!("https://hospes.dev/problems/{expected_code}"));
    assert!(problem["detail"].as_str().unwrap().contains(detail_fragment), "{problem}");
    assert_eq!(app.head().await, head_before, "a refused batch must leave the ledger unchanged");
    problem
}

async fn bad_input_gets_a_precise_problem_and_stores_nothing(test: &TestStore) {
    let app = TestApp::spawn(test, BatchLimits { max_bytes: 20_000, max_lines: 100, max_line_bytes: 10_000 }).await;
    let batches = app.example_batches();
    let border = batches["border_service"].clone();
    let (status, _) = app.ingest("migration_service", &batches["migration_service"]).await;
    assert_eq!(status, StatusCode::CREATED);
    let key = app.keys["border_service"].clone();
    let key = Some(key.as_str());

    // Malformed NDJSON, on the second line.
    let malformed = format!("{}\n{{\"record_id\": \n", border.lines().next().unwrap());
    let problem = check_refused(
        &app,
        "border_service",
        key,
        NDJSON,
        malformed.into_bytes(),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid-records", "nothing was stored"),
    )
    .await;
    assert_eq!(problem["errors"][0]["line"], 2);
    assert_eq!(problem["errors"][0]["code"], "malformed_json");

    // Not UTF-8.
    let mut not_utf8 = border.clone().into_bytes();
    not_utf8.splice(30..30, [0xC3, 0x28]);
    let problem = check_refused(
        &app,
        "border_service",
        key,
        NDJSON,
        not_utf8,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid-records", "invalid"),
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "invalid_utf8");

    // Unknown category, wrong type and an impossible date: every line reported with its path.
    let lines: Vec<&str> = border.lines().collect();
    let bad = [
        lines[0].replacen("\"identity\"", "\"health\"", 1),
        lines[1].replacen("\"2031-05-31\"", "\"2031-02-30\"", 1),
        lines[2].replacen("\"quality\":87", "\"quality\":\"high\"", 1),
        lines[3].to_owned(),
    ]
    .join("\n");
    let problem = check_refused(
        &app,
        "border_service",
        key,
        NDJSON,
        bad.into_bytes(),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid-records", "3 line(s)"),
    )
    .await;
    let errors: Vec<(u64, &str)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| (error["line"].as_u64().unwrap(), error["path"].as_str().unwrap()))
        .collect();
    assert_eq!(errors, [(1, "/category"), (2, "/effective_to"), (3, "/payload/quality")]);

    // An agency writing a category it does not own.
    let tax_line = batches["tax_service"].lines().next().unwrap().to_owned();
    let problem = check_refused(
        &app,
        "border_service",
        key,
        NDJSON,
        format!("{}\n{tax_line}", lines[3]).into_bytes(),
        (StatusCode::FORBIDDEN, "category-not-permitted", "outside the agency's remit"),
    )
    .await;
    assert_eq!(problem["errors"][0]["line"], 2);

    // Missing, malformed, wrong and other agencies' keys; an unknown agency.
    check_refused(
        &app,
        "border_service",
        None,
        NDJSON,
        border.clone().into_bytes(),
        (StatusCode::UNAUTHORIZED, "unauthenticated", "no API key"),
    )
    .await;
    check_refused(
        &app,
        "border_service",
        Some("let-me-in"),
        NDJSON,
        border.clone().into_bytes(),
        (StatusCode::UNAUTHORIZED, "unauthenticated", "malformed"),
    )
    .await;
    let mut forged = app.keys["border_service"].clone();
    forged.replace_range(forged.len() - 4.., "AAAA");
    check_refused(
        &app,
        "border_service",
        Some(&forged),
        NDJSON,
        border.clone().into_bytes(),
        (StatusCode::UNAUTHORIZED, "unauthenticated", "not valid"),
    )
    .await;
    let tax_key = app.keys["tax_service"].clone();
    check_refused(
        &app,
        "border_service",
        Some(&tax_key),
        NDJSON,
        border.clone().into_bytes(),
        (StatusCode::FORBIDDEN, "wrong-agency", "another agency"),
    )
    .await;
    check_refused(
        &app,
        "ministry_of_magic",
        key,
        NDJSON,
        border.clone().into_bytes(),
        (StatusCode::NOT_FOUND, "unknown-agency", "ministry_of_magic"),
    )
    .await;

    // Oversize, empty, and the wrong media type.
    let oversize = border.repeat(30);
    check_refused(
        &app,
        "border_service",
        key,
        NDJSON,
        oversize.into_bytes(),
        (StatusCode::PAYLOAD_TOO_LARGE, "batch-too-large", "20000 bytes"),
    )
    .await;
    check_refused(
        &app,
        "border_service",
        key,
        NDJSON,
        b"\n\n".to_vec(),
        (StatusCode::BAD_REQUEST, "empty-batch", "no records"),
    )
    .await;
    check_refused(
        &app,
        "border_service",
        key,
        "application/x-www-form-urlencoded",
        border.clone().into_bytes(),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "application/x-ndjson"),
    )
    .await;

    // The same record id and version with other content.
    let conflicting = batches["migration_service"].replacen("\"legal_basis\":\"", "\"legal_basis\":\"amended ", 1);
    let problem = check_refused(
        &app,
        "migration_service",
        Some(&app.keys["migration_service"].clone()),
        NDJSON,
        conflicting.into_bytes(),
        (StatusCode::CONFLICT, "conflict", "nothing was stored"),
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "conflict");
}

async fn person_lookups_reject_bad_parameters(test: &TestStore) {
    let app = TestApp::spawn(test, BatchLimits::default()).await;
    let check = |path: &'static str, status: StatusCode, code: &'static str| {
        let app = &app;
        async move {
            let (actual, problem) = app.get(path).await;
            assert_eq!((actual, problem["code"].as_str().unwrap()), (status, code), "{path}: {problem}");
        }
    };
    check("/v1/persons/not-a-uuid", StatusCode::BAD_REQUEST, "invalid-parameter").await;
    check("/v1/persons/0f6f5d2e-3c1a-5b7e-9d2c-1a2b3c4d5e6f", StatusCode::NOT_FOUND, "not-found").await;
    check("/v1/persons", StatusCode::BAD_REQUEST, "invalid-parameter").await;
    check("/v1/persons?document=AB%2312", StatusCode::BAD_REQUEST, "invalid-parameter").await;
    check("/v1/persons?taxpayer_number=500100732258", StatusCode::BAD_REQUEST, "invalid-parameter").await;
    check("/v1/records/0f6f5d2e-3c1a-5b7e-9d2c-1a2b3c4d5e6f", StatusCode::NOT_FOUND, "not-found").await;
    let (status, empty) = app.get("/v1/persons?document=ZZ0000000").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(empty["persons"], serde_json::json!([]));
}

async fn the_api_describes_itself(test: &TestStore) {
    let app = TestApp::spawn(test, BatchLimits::default()).await;
    let (status, openapi) = app.get("/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(openapi["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/v1/ingest/{agency}",
        "/v1/persons/{person_id}",
        "/v1/persons/{person_id}/records",
        "/v1/persons",
        "/v1/records/{record_id}",
    ] {
        assert!(openapi["paths"][path].is_object(), "{path} is missing from the OpenAPI document");
    }
    assert!(openapi["components"]["schemas"]["Problem"].is_object());
    let (_, schema) = app.get("/v1/schemas/ingest-record.json").await;
    let committed: Value = serde_json::from_str(include_str!("../../../schemas/ingest-record.schema.json")).unwrap();
    assert_eq!(schema, committed);
    let (_, catalogue) = app.get("/v1/catalogue").await;
    assert_eq!(catalogue["categories"].as_array().unwrap().len(), 25);
    assert_eq!(catalogue["agencies"].as_array().unwrap().len(), 15);
    assert_eq!(app.get("/healthz").await.0, StatusCode::OK);
    assert_eq!(app.get("/readyz").await.0, StatusCode::OK);
}

test_both_backends!(
    batches_are_acknowledged_and_resolved_into_profiles,
    bad_input_gets_a_precise_problem_and_stores_nothing,
    person_lookups_reject_bad_parameters,
    the_api_describes_itself,
);
