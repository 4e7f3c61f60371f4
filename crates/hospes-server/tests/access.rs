//! Access control and audit end to end: a real server on a loopback port, real tokens, the shipped
//! Cedar policies, and the audit log on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;

use hospes_audit::AuditEvent;
use hospes_ingest::BatchLimits;
use hospes_model::{AgencyRegistry, PersonId};
use hospes_policy::test_issuer::TestIssuer;
use hospes_policy::{Authoriser, Principal, Role, issue_agency_key};
use hospes_resolve::MatchingResolver;
use hospes_resolve::matching::MatchConfig;
use hospes_server::AppState;
use hospes_server::access::{AccessControl, AccessMode};
use hospes_store::open_audit_store;
use hospes_testkit::{TestStore, test_both_backends};
use reqwest::StatusCode;
use serde_json::{Value, json};

const EVERY_CATEGORY: &str = include_str!("../../../examples/every-category.ndjson");

/// The example line of `category`, about the holder of passport FA1234567 (born 1990-04-12), so that
/// the deterministic resolver puts them all on one person.
fn line_about_the_passport_holder(category: &str) -> String {
    let mut line: Value = EVERY_CATEGORY
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|line| line["category"] == category)
        .unwrap();
    line["subject"]["birth_date"] = json!("1990-04-12");
    line["subject"]["documents"] = json!([{ "kind": "passport", "number": "FA1234567", "issuing_country": "UZB" }]);
    let mut text = line.to_string();
    text.push('\n');
    text
}

struct App {
    base: String,
    client: reqwest::Client,
    issuer: TestIssuer,
    person: PersonId,
    access: Arc<AccessControl>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

fn now() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

fn principal(subject: &str, organisation: &str, role: Role, person_id: Option<PersonId>) -> Principal {
    Principal {
        subject: subject.into(),
        organisation: organisation.into(),
        roles: [role].into_iter().collect(),
        region: None,
        person_id,
    }
}

impl App {
    /// A server whose store holds one person with documents, a border crossing, a medical exam and a
    /// conviction, sent by the agencies that own those categories.
    async fn spawn(test: &TestStore) -> App {
        let registry = AgencyRegistry::default_registry().unwrap();
        let issuer = TestIssuer::from_seed(7);
        let access = AccessControl::open(
            &test.location,
            AccessMode::Enforced,
            Some(issuer.verifier()),
            Authoriser::default_policies().unwrap(),
            hospes_transparency::generate_signing_key(),
        )
        .await
        .unwrap();
        let access = Arc::new(access);
        let state = AppState {
            store: test.store.clone(),
            registry: Arc::new(registry.clone()),
            resolver: Arc::new(MatchingResolver::new(
                test.store.clone(),
                hospes_resolve::probabilistic::default_model().unwrap(),
                MatchConfig::default(),
            )),
            limits: BatchLimits::default(),
            access: access.clone(),
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
        let base = format!("http://{address}");
        let client = reqwest::Client::new();
        let batches = [
            (
                "border_service",
                format!(
                    "{}{}",
                    line_about_the_passport_holder("documents"),
                    line_about_the_passport_holder("border_crossings")
                ),
            ),
            ("health_authority", line_about_the_passport_holder("medical_exams")),
            ("courts", line_about_the_passport_holder("convictions")),
        ];
        let mut person = None;
        for (agency, batch) in batches {
            let key = issue_agency_key(&*test.store, &registry, agency, "test").await.unwrap().plaintext;
            let response = client
                .post(format!("{base}/v1/ingest/{agency}"))
                .bearer_auth(key)
                .header("content-type", "application/x-ndjson")
                .body(batch)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::CREATED);
            let body: Value = response.json().await.unwrap();
            let person_id = PersonId::parse(body["records"][0]["person_id"].as_str().unwrap()).unwrap();
            assert!(person.is_none_or(|person| person == person_id), "the records resolve to one person");
            person = Some(person_id);
        }
        App { base, client, issuer, person: person.unwrap(), access, _shutdown: shutdown }
    }

    fn token(&self, role: Role) -> String {
        let organisation = match role {
            Role::BorderOfficer => "Border Service",
            Role::HealthAuthority => "Health Authority",
            _ => "Somewhere",
        };
        self.issuer.token_for(&principal("officer-9", organisation, role, None), now(), now() + 600)
    }

    fn person_token(&self, person: PersonId) -> String {
        self.issuer.token_for(&principal("person", "self", Role::Person, Some(person)), now(), now() + 600)
    }

    async fn get(&self, path: &str, token: Option<&str>, purpose: Option<&str>) -> (StatusCode, Value) {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(purpose) = purpose {
            request = request.header("Hospes-Purpose", purpose);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        if !status.is_success() {
            assert_eq!(response.headers()["content-type"], "application/problem+json");
        }
        (status, response.json().await.unwrap())
    }

    fn profile_path(&self) -> String {
        format!("/v1/persons/{}", self.person)
    }
}

fn categories(profile: &Value) -> BTreeSet<String> {
    profile["categories"].as_object().unwrap().keys().cloned().collect()
}

async fn audit_events(test: &TestStore) -> Vec<AuditEvent> {
    let store = open_audit_store(&test.location).await.unwrap();
    store
        .events_from(0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|row| serde_json::from_slice(&row.event).unwrap())
        .collect()
}

/// Missing, tampered, expired and foreign tokens are refused with 401; an agency key reads nothing.
async fn tokens_are_checked(test: &TestStore) {
    let app = App::spawn(test).await;
    let path = app.profile_path();
    let (status, problem) = app.get(&path, None, Some("border-check")).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));

    let token = app.token(Role::BorderOfficer);
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    // Claim a different role without re-signing.
    let claims = String::from_utf8(
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &parts[1]).unwrap(),
    )
    .unwrap()
    .replace("border_officer", "police_officer");
    parts[1] = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, claims);
    let (status, problem) = app.get(&path, Some(&parts.join(".")), Some("border-check")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("signature"), "{problem}");

    let expired = app.issuer.token_for(
        &principal("officer-9", "Border Service", Role::BorderOfficer, None),
        now() - 7200,
        now() - 3600,
    );
    let (status, problem) = app.get(&path, Some(&expired), Some("border-check")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(problem["detail"].as_str().unwrap().contains("expired"), "{problem}");

    let stranger = TestIssuer::from_seed(8).with_issuer("https://idp.elsewhere.test/realms/x");
    let foreign =
        stranger.token_for(&principal("officer-9", "Border Service", Role::BorderOfficer, None), now(), now() + 600);
    let (status, _) = app.get(&path, Some(&foreign), Some("border-check")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let registry = AgencyRegistry::default_registry().unwrap();
    let agency_key = issue_agency_key(&*test.store, &registry, "police", "test").await.unwrap().plaintext;
    let (status, _) = app.get(&path, Some(&agency_key), Some("criminal-investigation")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Unauthenticated requests leave no trace in the person's access log (there is no one to name),
    // and none of these returned data.
    assert!(audit_events(test).await.iter().all(|event| event.action == "ingest"));
}

/// No purpose, no data; a purpose the role may not declare is refused; a permitted purpose shows only
/// its categories and says which were withheld.
async fn each_role_sees_what_its_purpose_allows(test: &TestStore) {
    let app = App::spawn(test).await;
    let path = app.profile_path();
    let border = app.token(Role::BorderOfficer);
    let (status, problem) = app.get(&path, Some(&border), None).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::BAD_REQUEST, Some("purpose-required")));
    let (status, problem) = app.get(&path, Some(&border), Some("health-control")).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    let (status, problem) = app.get(&path, Some(&border), Some("sightseeing")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");

    let (status, profile) = app.get(&path, Some(&border), Some("border-check")).await;
    assert_eq!(status, StatusCode::OK, "{profile}");
    assert_eq!(categories(&profile), BTreeSet::from(["border_crossings".into(), "documents".into()]));
    let withheld: Vec<&str> =
        profile["access"]["categories_withheld"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(withheld.contains(&"medical_exams") && withheld.contains(&"convictions"), "{withheld:?}");
    assert_eq!(profile["access"]["purpose"], "border-check");

    let health = app.token(Role::HealthAuthority);
    let (status, profile) = app.get(&path, Some(&health), Some("health-control")).await;
    assert_eq!(status, StatusCode::OK, "{profile}");
    let seen = categories(&profile);
    assert!(seen.contains("medical_exams"), "{seen:?}");
    assert!(!seen.contains("border_crossings") && !seen.contains("convictions"), "{seen:?}");

    // The records endpoint filters the same way.
    let (_, records) = app.get(&format!("{path}/records"), Some(&border), Some("border-check")).await;
    let record_categories: BTreeSet<&str> =
        records["records"].as_array().unwrap().iter().map(|record| record["category"].as_str().unwrap()).collect();
    assert_eq!(record_categories, BTreeSet::from(["border_crossings", "documents"]));

    // The person sees everything held about them, and nobody else's profile.
    let own = app.person_token(app.person);
    let (status, profile) = app.get("/v1/me/profile", Some(&own), None).await;
    assert_eq!(status, StatusCode::OK, "{profile}");
    assert_eq!(
        categories(&profile),
        BTreeSet::from(["border_crossings".into(), "convictions".into(), "documents".into(), "medical_exams".into()])
    );
    let someone_else = app.person_token(PersonId::from_uuid(uuid::Uuid::from_u128(42)));
    let (status, _) = app.get(&path, Some(&someone_else), Some("own-data")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.get("/v1/me/profile", Some(&border), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an officer has no /v1/me");
}

/// N reads give exactly N audit events, each saying who, why, about whom, what was returned and what
/// withheld; refusals of authenticated callers are events too.
async fn every_read_is_audited_exactly_once(test: &TestStore) {
    let app = App::spawn(test).await;
    let before = audit_events(test).await.len();
    let path = app.profile_path();
    let border = app.token(Role::BorderOfficer);
    for _ in 0..3 {
        assert_eq!(app.get(&path, Some(&border), Some("border-check")).await.0, StatusCode::OK);
    }
    assert_eq!(app.get(&format!("{path}/records"), Some(&border), Some("border-check")).await.0, StatusCode::OK);
    assert_eq!(app.get("/v1/persons?document=FA1234567", Some(&border), Some("border-check")).await.0, StatusCode::OK);
    assert_eq!(app.get(&path, Some(&border), Some("health-control")).await.0, StatusCode::FORBIDDEN);
    let events = audit_events(test).await;
    assert_eq!(events.len() - before, 6, "one event per request");
    let reads: Vec<&AuditEvent> = events[before..].iter().collect();
    for event in &reads[..3] {
        assert_eq!(event.action, "read_profile");
        assert_eq!(event.actor.subject, "officer-9");
        assert_eq!(event.actor.organisation, "Border Service");
        assert_eq!(event.actor.roles, vec!["border_officer".to_owned()]);
        assert_eq!(event.purpose.as_deref(), Some("border-check"));
        assert_eq!(event.persons, vec![app.person]);
        assert_eq!(event.categories_returned, vec!["border_crossings".to_owned(), "documents".to_owned()]);
        assert!(event.categories_withheld.contains(&"medical_exams".to_owned()));
        assert_eq!(event.outcome, hospes_audit::Outcome::Allowed);
        assert!(!event.request_id.is_empty());
    }
    assert_eq!(reads[3].action, "read_records");
    assert_eq!(reads[4].action, "search_persons");
    assert_eq!(reads[4].persons, vec![app.person]);
    assert_eq!(reads[5].outcome, hospes_audit::Outcome::Denied);
    assert_eq!(reads[5].purpose.as_deref(), Some("health-control"));
}

/// When the audit event cannot be stored, the read fails and returns no data.
async fn no_audit_no_data(test: &TestStore) {
    let app = App::spawn(test).await;
    let border = app.token(Role::BorderOfficer);
    assert_eq!(app.get(&app.profile_path(), Some(&border), Some("border-check")).await.0, StatusCode::OK);
    test.execute_raw_audit("DROP TABLE audit_event_persons").await;
    let (status, body) = app.get(&app.profile_path(), Some(&border), Some("border-check")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["code"], "audit-unavailable");
    assert!(body.get("categories").is_none() && body.get("identity").is_none(), "{body}");
}

/// The person sees who looked, when and why, in plain words.
async fn the_person_sees_who_looked(test: &TestStore) {
    let app = App::spawn(test).await;
    let border = app.token(Role::BorderOfficer);
    assert_eq!(app.get(&app.profile_path(), Some(&border), Some("border-check")).await.0, StatusCode::OK);
    let own = app.person_token(app.person);
    let (status, log) = app.get("/v1/me/access-log", Some(&own), None).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let accesses = log["accesses"].as_array().unwrap();
    let read = accesses.iter().find(|access| access["action"] == "read_profile").unwrap();
    assert_eq!(read["organisation"], "Border Service");
    assert_eq!(read["purpose"], "border-check");
    assert!(read["why"].as_str().unwrap().contains("border officer"), "{read}");
    assert_eq!(read["categories_seen"], json!(["border_crossings", "documents"]));
    // The agencies' writes about them are there too.
    assert!(accesses.iter().any(|access| access["action"] == "ingest" && access["organisation"] == "Courts"));
    // And the audit log proves the read is in it.
    let (_, head) = app.get("/v1/audit/tree-head", None, None).await;
    let size = head["size"].as_u64().unwrap();
    let leaf = read["event"].as_u64().unwrap();
    let (status, proof) =
        app.get(&format!("/v1/audit/proofs/inclusion?leaf_index={leaf}&tree_size={size}"), None, None).await;
    assert_eq!(status, StatusCode::OK, "{proof}");
    let leaf_hash = hospes_transparency::Hash::from_hex(proof["leaf_hash"].as_str().unwrap()).unwrap();
    let path: Vec<hospes_transparency::Hash> = proof["audit_path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hash| hospes_transparency::Hash::from_hex(hash.as_str().unwrap()).unwrap())
        .collect();
    let root = hospes_transparency::Hash::from_hex(head["root_hash"].as_str().unwrap()).unwrap();
    hospes_transparency::InclusionProof { leaf_index: leaf, tree_size: size, path }.verify(&leaf_hash, &root).unwrap();
}

impl App {
    async fn ingest(&self, test: &TestStore, agency: &str, batch: String) {
        let registry = AgencyRegistry::default_registry().unwrap();
        let key = issue_agency_key(&*test.store, &registry, agency, "test").await.unwrap().plaintext;
        let response = self
            .client
            .post(format!("{}/v1/ingest/{agency}", self.base))
            .bearer_auth(key)
            .header("content-type", "application/x-ndjson")
            .body(batch)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED, "{}", response.text().await.unwrap());
    }

    async fn check(&self, role: Role, purpose: &str, document: &str) -> (StatusCode, Value) {
        let token = self.issuer.token_for(&principal("clerk-1", "Acme Ltd", role, None), now(), now() + 600);
        let response = self
            .client
            .post(format!("{}/v1/checks/{purpose}", self.base))
            .bearer_auth(token)
            .json(&json!({ "document_number": document, "birth_date": "1990-04-12" }))
            .send()
            .await
            .unwrap();
        (response.status(), response.json().await.unwrap())
    }
}

/// An employer learns yes or no and until when, nothing else; a wanted notice turns it to no; the
/// person sees the check in their access log.
async fn checks_answer_yes_or_no_and_nothing_else(test: &TestStore) {
    let app = App::spawn(test).await;
    let (status, answer) = app.check(Role::Employer, "right-to-work", "FA1234567").await;
    assert_eq!((status, answer["result"].as_str()), (StatusCode::OK, Some("no")), "no permit yet: {answer}");

    let today = chrono::Utc::now().date_naive();
    let until = today + chrono::Days::new(200);
    let mut permit: Value = serde_json::from_str(&line_about_the_passport_holder("work_permits")).unwrap();
    permit["effective_from"] = json!((today - chrono::Days::new(30)).to_string());
    permit["effective_to"] = json!(until.to_string());
    app.ingest(test, "migration_service", format!("{permit}\n")).await;

    let (status, answer) = app.check(Role::Employer, "right-to-work", "FA 123-4567").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["result"], "yes");
    assert_eq!(answer["valid_until"], until.to_string());
    let fields: BTreeSet<&str> = answer.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(fields, BTreeSet::from(["checked_at", "purpose", "result", "valid_until"]), "nothing else");

    // A work permit is not a ground for renting; an employer may not ask anyway.
    let (status, answer) = app.check(Role::Landlord, "rent", "FA1234567").await;
    assert_eq!((status, answer["result"].as_str()), (StatusCode::OK, Some("no")));
    let (status, _) = app.check(Role::Employer, "bank-account", "FA1234567").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.check(Role::BorderOfficer, "right-to-work", "FA1234567").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "officers read profiles, they do not run employers' checks");
    let (status, _) = app.check(Role::Employer, "border-check", "FA1234567").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, unknown) = app.check(Role::Employer, "right-to-work", "ZZ0000000").await;
    assert_eq!(unknown["result"], "no");

    let mut wanted: Value = serde_json::from_str(&line_about_the_passport_holder("wanted")).unwrap();
    wanted["effective_from"] = json!((today - chrono::Days::new(1)).to_string());
    wanted.as_object_mut().unwrap().remove("effective_to");
    app.ingest(test, "police", format!("{wanted}\n")).await;
    let (_, answer) = app.check(Role::Employer, "right-to-work", "FA1234567").await;
    assert_eq!(answer["result"], "no");
    assert!(answer.get("valid_until").is_none());

    let own = app.person_token(app.person);
    let (_, log) = app.get("/v1/me/access-log", Some(&own), None).await;
    let checks: Vec<&Value> =
        log["accesses"].as_array().unwrap().iter().filter(|access| access["action"] == "run_check").collect();
    assert!(checks.len() >= 3, "{log}");
    assert!(checks.iter().all(|check| check["organisation"] == "Acme Ltd" || check["outcome"] == "denied"));
    assert!(checks[0]["why"].as_str().unwrap().contains("yes or no"), "{}", checks[0]);
}

/// Retention destroys the expired medical examination; the person's view says what went, when and
/// under which rule, their access log says it happened, and the ledger still verifies.
async fn the_person_is_told_what_retention_destroyed(test: &TestStore) {
    let app = App::spawn(test).await;
    let policy = hospes_vault::RetentionPolicy::shipped_default().unwrap();
    // The example examination is valid to 2025-03-09 and kept 3 years after; the conviction, without
    // an end, 10 years from its receipt (today).
    let as_of = hospes_model::Timestamp::parse("2029-01-01T00:00:00Z").unwrap();
    let report =
        hospes_server::retention::run_audited(&*test.store, &app.access.audit, &policy, as_of, false).await.unwrap();
    assert_eq!(report.destroyed.len(), 1, "{report:?}");
    assert_eq!(report.destroyed[0].category, hospes_model::Category::MedicalExams);

    let own = app.person_token(app.person);
    let (status, profile) = app.get("/v1/me/profile", Some(&own), None).await;
    assert_eq!(status, StatusCode::OK, "{profile}");
    // The passport makes level 1; the profile says what the next level needs.
    assert_eq!(profile["trust"]["level"], 1, "{profile}");
    assert!(!profile["trust"]["missing_for_next"].as_array().unwrap().is_empty(), "{profile}");
    let destroyed = profile["destroyed"].as_array().unwrap();
    assert_eq!(destroyed.len(), 1, "{profile}");
    assert_eq!(destroyed[0]["category"], "medical_exams");
    assert_eq!(destroyed[0]["agency"], "health_authority");
    assert!(destroyed[0]["destroyed_at"].as_str().unwrap().starts_with("2029-01-01T00:00:00"));
    assert!(destroyed[0]["expired_at"].as_str().unwrap().starts_with("2028-03-10T00:00:00"));
    assert!(destroyed[0]["rule"].as_str().unwrap().contains("kept 3 years"), "{profile}");
    assert_eq!(profile["categories"]["medical_exams"]["current"][0]["payload"], Value::Null);
    assert_ne!(profile["categories"]["convictions"]["current"][0]["payload"], Value::Null);

    let (_, log) = app.get("/v1/me/access-log", Some(&own), None).await;
    let retention = log["accesses"].as_array().unwrap().iter().find(|access| access["action"] == "destroy_expired");
    let retention = retention.unwrap_or_else(|| panic!("no retention entry in {log}"));
    assert!(retention["summary"].as_str().unwrap().contains("medical exams"), "{retention}");

    assert!(hospes_store::verify_ledger(&*test.store).await.unwrap().is_intact());
}

/// The status with its reasons: RED from the day a wanted notice takes effect, not before; the
/// officer's read is audited; the person sees their own status; a bad date is a clear 400.
async fn status_is_red_from_the_wanted_notice_with_its_reason(test: &TestStore) {
    let app = App::spawn(test).await;
    app.ingest(test, "police", line_about_the_passport_holder("wanted")).await;
    let border = app.token(Role::BorderOfficer);
    let path = format!("{}/status", app.profile_path());

    let (status, body) = app.get(&format!("{path}?at=2024-06-01"), Some(&border), Some("border-check")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"]["colour"], "red", "{body}");
    assert_eq!(body["status"]["rules_version"], "2025.1");
    let wanted = body["status"]["fired"].as_array().unwrap().iter().find(|rule| rule["rule_id"] == "wanted");
    let wanted = wanted.unwrap_or_else(|| panic!("no wanted rule in {body}"));
    assert!(wanted["reason"].as_str().unwrap().contains("in force since 2024-02-01"), "{wanted}");
    assert_eq!(wanted["record_ids"].as_array().unwrap().len(), 1);
    assert!(body["trust"]["level"].as_u64().is_some(), "{body}");

    let (_, before) = app.get(&format!("{path}?at=2024-01-15"), Some(&border), Some("border-check")).await;
    assert!(
        before["status"]["fired"].as_array().unwrap().iter().all(|rule| rule["rule_id"] != "wanted"),
        "the notice takes effect on 2024-02-01: {before}"
    );

    let (status, problem) = app.get(&format!("{path}?at=2024-13-01"), Some(&border), Some("border-check")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem["detail"].as_str().unwrap().contains("at=2024-13-01"), "{problem}");
    assert_eq!(app.get(&path, Some(&border), None).await.0, StatusCode::BAD_REQUEST, "no purpose, no status");

    let events = audit_events(test).await;
    assert!(events.iter().any(|event| event.action == "read_status" && event.persons == vec![app.person]));

    let own = app.person_token(app.person);
    let (status, mine) = app.get("/v1/me/status?at=2024-06-01", Some(&own), None).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["status"]["colour"], "red");
    assert_eq!(mine["record_ids_withheld"], 0);

    let (status, history) =
        app.get(&format!("{path}/history?from=2024-01-01&to=2024-06-01"), Some(&border), Some("border-check")).await;
    assert_eq!(status, StatusCode::OK, "{history}");
    let changes = history["history"]["changes"].as_array().unwrap();
    assert!(changes.iter().any(|change| change["on"] == "2024-02-01" && change["colour"] == "red"), "{history}");
}

impl App {
    async fn send(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        let response =
            self.client.post(format!("{}{path}", self.base)).bearer_auth(token).json(&body).send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap())
    }
}

/// A person contests the wanted notice; it stays RED but is named as contested; a migration officer
/// upholds the contest and the notice no longer counts; both steps are system records in a verified
/// chain, audited, and shown to the person. Nobody else may decide, and bad requests are refused.
async fn a_contest_upheld_by_an_officer_overturns_the_record(test: &TestStore) {
    let app = App::spawn(test).await;
    app.ingest(test, "police", line_about_the_passport_holder("wanted")).await;
    let own = app.person_token(app.person);
    let (_, records) = app.get("/v1/me/profile", Some(&own), None).await;
    let wanted_id = records["categories"]["wanted"]["current"][0]["record_id"].as_str().unwrap().to_owned();

    let (status, problem) = app.send("/v1/me/contests", &own, json!({ "record_id": wanted_id, "reason": "  " })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    let stranger = app.person_token(PersonId::parse("00000000-0000-4000-8000-000000000001").unwrap());
    let (status, _) =
        app.send("/v1/me/contests", &stranger, json!({ "record_id": wanted_id, "reason": "not me" })).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "someone else's record cannot be contested");

    let reason = "The notice is about another Karimov; I was in Samarkand then.";
    let (status, contest) =
        app.send("/v1/me/contests", &own, json!({ "record_id": wanted_id, "reason": reason })).await;
    assert_eq!(status, StatusCode::CREATED, "{contest}");
    assert_eq!(contest["state"], "open");
    let (status, _) = app.send("/v1/me/contests", &own, json!({ "record_id": wanted_id, "reason": reason })).await;
    assert_eq!(status, StatusCode::CONFLICT, "one open contest per record");

    let (_, status_now) = app.get("/v1/me/status", Some(&own), None).await;
    assert_eq!(status_now["status"]["colour"], "red");
    let wanted = status_now["status"]["fired"].as_array().unwrap().iter().find(|rule| rule["rule_id"] == "wanted");
    assert_eq!(wanted.unwrap()["contested_record_ids"], json!([wanted_id]), "{status_now}");

    let contest_id = contest["contest_id"].as_str().unwrap();
    let decision_path = format!("/v1/contests/{contest_id}/decision");
    let upheld = json!({ "outcome": "upheld", "reason": "The notice names a different birth date." });
    let (status, _) = app.send(&decision_path, &app.token(Role::BorderOfficer), upheld.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a border officer does not decide contests");
    assert_eq!(app.send(&decision_path, &own, upheld.clone()).await.0, StatusCode::FORBIDDEN);

    let officer = app.token(Role::MigrationOfficer);
    let (status, open) = app.get("/v1/contests", Some(&officer), None).await;
    assert_eq!(status, StatusCode::OK, "{open}");
    assert_eq!(open["contests"].as_array().unwrap().len(), 1);
    let (status, problem) = app.send(&decision_path, &officer, json!({ "outcome": "maybe", "reason": "unsure" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem["detail"].as_str().unwrap().contains("'maybe'"), "{problem}");
    let (status, decided) = app.send(&decision_path, &officer, upheld.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{decided}");
    assert_eq!(decided["state"], "upheld");
    assert_eq!(app.send(&decision_path, &officer, upheld).await.0, StatusCode::CONFLICT, "decided once");

    let (_, after) = app.get("/v1/me/status", Some(&own), None).await;
    assert!(after["status"]["fired"].as_array().unwrap().iter().all(|rule| rule["rule_id"] != "wanted"), "{after}");
    let (_, mine) = app.get("/v1/me/contests", Some(&own), None).await;
    assert_eq!(mine["contests"][0]["decision"]["outcome"], "upheld", "{mine}");
    assert_eq!(mine["contests"][0]["reason"], reason);
    let (_, log) = app.get("/v1/me/access-log", Some(&own), None).await;
    let actions: Vec<&str> =
        log["accesses"].as_array().unwrap().iter().map(|access| access["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"file_contest") && actions.contains(&"decide_contest"), "{actions:?}");

    let chain = hospes_store::system::verify_system_chain(&*test.store).await.unwrap();
    assert_eq!((chain.records_checked, chain.first_problem), (2, None));
    test.execute_raw("UPDATE system_records SET body = '{\"outcome\":\"rejected\"}' WHERE seq = 2").await;
    let chain = hospes_store::system::verify_system_chain(&*test.store).await.unwrap();
    assert_eq!(chain.first_problem.map(|(seq, _)| seq), Some(2), "the altered decision is named");
}

/// The person's own credential: issued for a purpose, verified online over `POST /v1/verify` and
/// offline against the served trust list, its QR code read back; a wrong-purpose verifier and a
/// tampered credential are refused with their codes; the issuance shows in the access log.
async fn the_person_gets_a_credential_that_verifies(test: &TestStore) {
    let app = App::spawn(test).await;
    let today = chrono::Utc::now().date_naive();
    let identity = line_about_the_passport_holder("identity");
    let mut permit: Value = serde_json::from_str(&line_about_the_passport_holder("work_permits")).unwrap();
    permit["effective_from"] = json!((today - chrono::Days::new(30)).to_string());
    permit["effective_to"] = json!((today + chrono::Days::new(200)).to_string());
    app.ingest(test, "migration_service", format!("{identity}{permit}\n")).await;
    let own = app.person_token(app.person);

    // Officers have no credential of their own; bad purposes and formats are refused precisely.
    let (status, _) = app.get("/v1/me/credential?purpose=work", Some(&app.token(Role::BorderOfficer)), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, problem) = app.get("/v1/me/credential?purpose=bank", Some(&own), None).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid-parameter")));
    let (status, _) = app.get("/v1/me/credential?purpose=work&format=gif", Some(&own), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = app.get("/v1/me/credential?purpose=work", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, issued) = app.get("/v1/me/credential?purpose=work", Some(&own), None).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let text = issued["credential"].as_str().unwrap().to_owned();
    assert!(text.starts_with("HSP1:"));

    // Online: the registry's verifier.
    let verify = |body: Value| {
        let request = app.client.post(format!("{}/v1/verify", app.base)).json(&body);
        async move {
            let response = request.send().await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        }
    };
    let (status, verified) = verify(json!({"credential": text, "purpose": "work"})).await;
    assert_eq!(status, StatusCode::OK, "{verified}");
    assert_eq!(verified["claims"]["purpose"], "work");
    assert_eq!(verified["claims"]["name"], "YUSUPOV<<ALISHER");
    assert_eq!(verified["claims"]["may_work"], true);
    let subject = verified["subject"].as_str().unwrap();
    assert!(subject.starts_with("p-") && !subject.contains(&app.person.to_string()), "pseudonymous: {subject}");
    let (status, refused) = verify(json!({"credential": text, "purpose": "rent"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (refused["code"].as_str(), refused["refusal"].as_str()),
        (Some("credential-refused"), Some("wrong_purpose"))
    );
    let tampered = format!("{}{}", &text[..text.len() - 2], if text.ends_with('A') { "BB" } else { "AA" });
    let (status, refused) = verify(json!({"credential": tampered})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let (status, _) = verify(json!({"credential": text, "purpose": "bank"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Offline: the library's verifier against the served trust list, from the QR image.
    let jwks = app.client.get(format!("{}/v1/credentials/trust-list", app.base)).send().await.unwrap();
    let trust = hospes_credential::TrustList::from_jwks_json(&jwks.text().await.unwrap()).unwrap();
    let (status, revocations) = app.get("/v1/credentials/revocations", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let revocations: hospes_credential::RevocationList = serde_json::from_value(revocations).unwrap();
    let png = app
        .client
        .get(format!("{}/v1/me/credential?purpose=police&format=png", app.base))
        .bearer_auth(&own)
        .send()
        .await
        .unwrap();
    assert_eq!(png.headers()["content-type"], "image/png");
    let png = png.bytes().await.unwrap();
    let police =
        hospes_credential::Verifier::new(trust.clone(), Some(revocations), Some(hospes_credential::Purpose::Police));
    let verified = police.verify_png(&png, chrono::Utc::now()).unwrap();
    let hospes_credential::Presentation::Police(claims) = verified.claims else { panic!("a police credential") };
    assert_eq!(claims.birth_date.as_str(), "1990-04-12");
    let work_verifier = hospes_credential::Verifier::new(trust, None, Some(hospes_credential::Purpose::Work));
    assert_eq!(work_verifier.verify_png(&png, chrono::Utc::now()).unwrap_err().code(), "wrong_purpose");
    let svg = app
        .client
        .get(format!("{}/v1/me/credential?purpose=rent&format=svg", app.base))
        .bearer_auth(&own)
        .send()
        .await
        .unwrap();
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");

    // Each issuance is in the person's access log.
    let (_, log) = app.get("/v1/me/access-log", Some(&own), None).await;
    let issued =
        log["accesses"].as_array().unwrap().iter().filter(|entry| entry["action"] == "issue_credential").count();
    assert_eq!(issued, 3, "{log}");
}

/// A share code: made by the person for one check, used by an employer with the birth date (yes),
/// refused for another purpose, "no" with a wrong birth date, refused once revoked; the list shows
/// metadata only; each use is in the person's access log.
async fn share_codes_let_the_person_choose_who_checks(test: &TestStore) {
    let app = App::spawn(test).await;
    let today = chrono::Utc::now().date_naive();
    let mut permit: Value = serde_json::from_str(&line_about_the_passport_holder("work_permits")).unwrap();
    permit["effective_from"] = json!((today - chrono::Days::new(30)).to_string());
    permit["effective_to"] = json!((today + chrono::Days::new(200)).to_string());
    app.ingest(test, "migration_service", format!("{permit}\n")).await;
    let own = app.person_token(app.person);
    let post = |path: String, token: String, body: Value| {
        let request = app.client.post(format!("{}{path}", app.base)).bearer_auth(token).json(&body);
        async move {
            let response = request.send().await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        }
    };
    let (status, problem) = post("/v1/me/share-codes".into(), own.clone(), json!({"purpose": "border-check"})).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid-parameter")));
    let (status, _) =
        post("/v1/me/share-codes".into(), app.token(Role::BorderOfficer), json!({"purpose": "right-to-work"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, made) = post("/v1/me/share-codes".into(), own.clone(), json!({"purpose": "right-to-work"})).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let code = made["code"].as_str().unwrap().to_owned();
    assert_eq!(made["state"], "active");

    let (_, list) = app.get("/v1/me/share-codes", Some(&own), None).await;
    let listed = list["share_codes"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].get("code").is_none() && !list.to_string().contains(&code), "never the code: {list}");

    let employer = app.issuer.token_for(&principal("clerk-1", "Acme Ltd", Role::Employer, None), now(), now() + 600);
    let landlord = app.issuer.token_for(&principal("clerk-2", "Flats Ltd", Role::Landlord, None), now(), now() + 600);
    let check = |token: &str, purpose: &str, code: &str, born: &str| {
        post(format!("/v1/checks/{purpose}"), token.to_owned(), json!({"share_code": code, "birth_date": born}))
    };
    let (status, answer) =
        check(&employer, "right-to-work", &code.to_lowercase().replace('-', " "), "1990-04-12").await;
    assert_eq!((status, answer["result"].as_str()), (StatusCode::OK, Some("yes")), "{answer}");
    let (status, answer) = check(&employer, "right-to-work", &code, "1991-01-01").await;
    assert_eq!((status, answer["result"].as_str()), (StatusCode::OK, Some("no")), "a wrong birth date: no data");
    assert!(answer.get("valid_until").is_none());
    let (status, refused) = check(&landlord, "rent", &code, "1990-04-12").await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("share-code-refused")));
    let (status, _) = check(&employer, "right-to-work", "K7M-2QX-9T0", "1990-04-12").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "0 is never in a code");
    let both = post(
        "/v1/checks/right-to-work".into(),
        employer.clone(),
        json!({"share_code": code, "document_number": "FA1234567", "birth_date": "1990-04-12"}),
    )
    .await;
    assert_eq!(both.0, StatusCode::BAD_REQUEST);

    let id = made["id"].as_str().unwrap();
    let response =
        app.client.delete(format!("{}/v1/me/share-codes/{id}", app.base)).bearer_auth(&own).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response =
        app.client.delete(format!("{}/v1/me/share-codes/{id}", app.base)).bearer_auth(&own).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let (status, refused) = check(&employer, "right-to-work", &code, "1990-04-12").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused["detail"].as_str().unwrap().contains("revoked"), "{refused}");
    let (_, list) = app.get("/v1/me/share-codes", Some(&own), None).await;
    assert_eq!(list["share_codes"][0]["state"], "revoked");

    let (_, log) = app.get("/v1/me/access-log", Some(&own), None).await;
    let uses = log["accesses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["action"].as_str().is_some_and(|action| action.starts_with("run_check")))
        .count();
    assert_eq!(uses, 4, "yes, wrong birth date, wrong purpose, revoked: {log}");
}

/// The person revokes their credentials (a lost phone): the registry's verifier refuses the ones
/// already issued, the public revocation list names the subject, and the store keeps the revocation.
async fn a_person_revokes_their_credentials(test: &TestStore) {
    let app = App::spawn(test).await;
    app.ingest(test, "migration_service", line_about_the_passport_holder("identity")).await;
    let own = app.person_token(app.person);
    let (status, issued) = app.get("/v1/me/credential?purpose=police", Some(&own), None).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let text = issued["credential"].as_str().unwrap().to_owned();
    let verify = || async {
        let response = app
            .client
            .post(format!("{}/v1/verify", app.base))
            .json(&json!({ "credential": text }))
            .send()
            .await
            .unwrap();
        (response.status(), response.json::<Value>().await.unwrap())
    };
    assert_eq!(verify().await.0, StatusCode::OK);

    let response =
        app.client.post(format!("{}/v1/me/credentials/revoke", app.base)).bearer_auth(&own).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let revoked: Value = response.json().await.unwrap();
    let (status, refused) = verify().await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["refusal"], "revoked", "{refused}");
    let (_, list) = app.get("/v1/credentials/revocations", None, None).await;
    assert!(list.to_string().contains(revoked["subject"].as_str().unwrap()), "{list}");
    assert_eq!(test.store.credential_revocations().await.unwrap().len(), 1);
    let officer =
        app.client.post(format!("{}/v1/me/credentials/revoke", app.base)).bearer_auth(app.token(Role::BorderOfficer));
    assert_eq!(officer.send().await.unwrap().status(), StatusCode::FORBIDDEN, "only a person revokes their own");
}

/// One passport behind two identities: resolution raises a suspected-fraud link instead of merging,
/// and the status names it. A migration officer sees the link with its evidence and decides `same`:
/// the persons merge and the vanished id redirects to the survivor. A split undoes it. Border
/// officers may not review, bad decisions are refused, and a decision is made once.
async fn identity_links_are_reviewed_merged_and_split(test: &TestStore) {
    let app = App::spawn(test).await;
    let mut line: Value = serde_json::from_str(line_about_the_passport_holder("border_crossings").trim()).unwrap();
    line["record_id"] = json!("CROSSING-OF-ANOTHER");
    line["subject"]["names"] = json!([{ "surname": "PETROV", "given_names": "SERGEI" }]);
    line["subject"]["birth_date"] = json!("1971-01-30");
    app.ingest(test, "border_service", format!("{line}\n")).await;

    let officer = app.token(Role::MigrationOfficer);
    let (status, problem) = app.get("/v1/review/links", Some(&app.token(Role::BorderOfficer)), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    let (status, body) = app.get("/v1/review/links", Some(&officer), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let links = body["links"].as_array().unwrap();
    assert_eq!(links.len(), 1, "{body}");
    let link = &links[0];
    assert_eq!((link["kind"].as_str(), link["state"].as_str()), (Some("suspected_fraud"), Some("open")));
    assert_eq!(link["left_person"], app.person.to_string());
    let other = PersonId::parse(link["right_person"].as_str().unwrap()).unwrap();
    assert_ne!(other, app.person, "nothing was merged");
    let link_id = link["link_id"].as_str().unwrap().to_owned();

    let (status, one) = app.get(&format!("/v1/review/links/{link_id}"), Some(&officer), None).await;
    assert_eq!(status, StatusCode::OK, "{one}");
    let fields = one["explanation"]["fields"].as_array().unwrap();
    let document = fields.iter().find(|field| field["field"] == "document").unwrap();
    assert_eq!(document["level"], "exact", "{one}");
    let surname = fields.iter().find(|field| field["field"] == "surname").unwrap();
    assert_eq!(surname["level"], "different", "{one}");

    let (_, status_body) =
        app.get(&format!("/v1/persons/{other}/status"), Some(&officer), Some("migration-case")).await;
    let fired = status_body["status"]["fired"].as_array().unwrap();
    assert!(fired.iter().any(|rule| rule["rule_id"] == "identity-link-unresolved"), "{status_body}");

    let (status, explained) = app.get(&format!("/v1/persons/{}/match/{other}", app.person), Some(&officer), None).await;
    assert_eq!(status, StatusCode::OK, "{explained}");
    assert_eq!(explained["explanation"]["decision"], "different", "{explained}");

    let decision = format!("/v1/review/links/{link_id}/decision");
    let (status, problem) = app.send(&decision, &officer, json!({ "outcome": "maybe", "reason": "unsure" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    let (status, problem) = app.send(&decision, &officer, json!({ "outcome": "same", "reason": " " })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    let reason = "One traveller: a legal change of name, papers seen at the counter.";
    let (status, decided) = app.send(&decision, &officer, json!({ "outcome": "same", "reason": reason })).await;
    assert_eq!(status, StatusCode::CREATED, "{decided}");
    assert_eq!(decided["survivor"], app.person.to_string());
    assert_eq!(decided["merged"], other.to_string());
    let (status, _) = app.send(&decision, &officer, json!({ "outcome": "different", "reason": reason })).await;
    assert_eq!(status, StatusCode::CONFLICT, "a link is decided once");

    // The vanished id redirects to the survivor, whose profile now holds both crossings.
    let not_following = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let redirect = not_following
        .get(format!("{}/v1/persons/{other}", app.base))
        .bearer_auth(&officer)
        .header("Hospes-Purpose", "migration-case")
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(redirect.headers()["location"], format!("/v1/persons/{}", app.person));
    let (status, followed) = app.get(&format!("/v1/persons/{other}"), Some(&officer), Some("migration-case")).await;
    assert_eq!(status, StatusCode::OK, "a client that follows redirects lands on the survivor");
    assert_eq!(followed["person_id"], app.person.to_string(), "{followed}");
    let (_, records) =
        app.get(&format!("{}/records", app.profile_path()), Some(&officer), Some("migration-case")).await;
    let crossings =
        records["records"].as_array().unwrap().iter().filter(|record| record["category"] == "border_crossings");
    assert_eq!(crossings.count(), 2, "{records}");

    // The officer changes their mind: the other traveller's crossing is split off again.
    let other_record = one["right_record"].as_str().unwrap().to_owned();
    let split = format!("/v1/persons/{}/split", app.person);
    let (status, problem) = app.send(&split, &officer, json!({ "record_ids": [], "reason": reason })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    let (status, done) =
        app.send(&split, &officer, json!({ "record_ids": [other_record], "reason": "two people after all" })).await;
    assert_eq!(status, StatusCode::CREATED, "{done}");
    let new_person = done["new_person_id"].as_str().unwrap();
    let (status, _) = app.get(&format!("/v1/persons/{new_person}"), Some(&officer), Some("migration-case")).await;
    assert_eq!(status, StatusCode::OK);
    let system = hospes_store::system::verify_system_chain(&*test.store).await.unwrap();
    assert_eq!((system.records_checked, system.first_problem), (2, None), "decision and split are chained");
}

test_both_backends!(
    identity_links_are_reviewed_merged_and_split,
    a_person_revokes_their_credentials,
    a_contest_upheld_by_an_officer_overturns_the_record,
    share_codes_let_the_person_choose_who_checks,
    the_person_gets_a_credential_that_verifies,
    status_is_red_from_the_wanted_notice_with_its_reason,
    the_person_is_told_what_retention_destroyed,
    checks_answer_yes_or_no_and_nothing_else,
    tokens_are_checked,
    each_role_sees_what_its_purpose_allows,
    every_read_is_audited_exactly_once,
    no_audit_no_data,
    the_person_sees_who_looked,
);
