//! Border control end to end: a real server on a loopback port, real tokens, the shipped Cedar
//! policies, on SQLite and PostgreSQL. Crossings with the checkpoint decision support, pre-arrival
//! applications, and the lost and stolen documents list.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

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

/// The passport of the example's holder (YUSUPOV ALISHER, FA1234567, UZB, born 1990-04-12), as its
/// documents record carries it.
const HOLDER_MRZ: [&str; 2] =
    ["P<UZBYUSUPOV<<ALISHER<<<<<<<<<<<<<<<<<<<<<<<", "FA12345673UZB9004126M3105319<<<<<<<<<<<<<<04"];

/// The example line of `record_id`, made about the passport holder.
fn line_about_the_holder(record_id: &str) -> String {
    let mut line: Value = EVERY_CATEGORY
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|line| line["record_id"] == record_id)
        .unwrap();
    line["subject"]["names"] = json!([{ "surname": "YUSUPOV", "given_names": "ALISHER" }]);
    line["subject"]["birth_date"] = json!("1990-04-12");
    line["subject"]["documents"] = json!([{ "kind": "passport", "number": "FA1234567", "issuing_country": "UZB" }]);
    let mut text = line.to_string();
    text.push('\n');
    text
}

/// A valid TD3 passport zone for someone the store does not know.
fn stranger_mrz(number: &str, surname: &str, birth_yymmdd: &str) -> Vec<String> {
    let fields = hospes_mrz::DocumentFields {
        document_code: hospes_mrz::DocumentCode::new("P").unwrap(),
        issuing_state: hospes_mrz::StateCode::new("KGZ", hospes_mrz::MrzField::IssuingState).unwrap(),
        name: hospes_mrz::HolderName::new(surname, "AIBEK").unwrap(),
        document_number: hospes_mrz::DocumentNumber::new(number).unwrap(),
        nationality: hospes_mrz::StateCode::new("KGZ", hospes_mrz::MrzField::Nationality).unwrap(),
        birth_date: hospes_mrz::MrzDate::parse(
            birth_yymmdd,
            hospes_mrz::DateKind::Birth,
            chrono::Utc::now().date_naive(),
        )
        .unwrap(),
        sex: hospes_mrz::Sex::Male,
        expiry_date: hospes_mrz::MrzDate::parse(
            "340101",
            hospes_mrz::DateKind::Expiry,
            chrono::Utc::now().date_naive(),
        )
        .unwrap(),
        optional_data: hospes_mrz::OptionalData::empty(),
        optional_data_2: None,
    };
    fields.encode(hospes_mrz::MrzFormat::Td3).unwrap().lines().to_vec()
}

struct App {
    base: String,
    client: reqwest::Client,
    issuer: TestIssuer,
    registry: AgencyRegistry,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

fn now_seconds() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl App {
    async fn spawn(test: &TestStore) -> App {
        let registry = AgencyRegistry::default_registry().unwrap();
        let issuer = TestIssuer::from_seed(11);
        let access = AccessControl::open(
            &test.location,
            AccessMode::Enforced,
            Some(issuer.verifier()),
            Authoriser::default_policies().unwrap(),
            hospes_transparency::generate_signing_key(),
        )
        .await
        .unwrap();
        let state = AppState {
            store: test.store.clone(),
            registry: Arc::new(registry.clone()),
            resolver: Arc::new(MatchingResolver::new(
                test.store.clone(),
                hospes_resolve::probabilistic::default_model().unwrap(),
                MatchConfig::default(),
            )),
            limits: BatchLimits::default(),
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
        App { base: format!("http://{address}"), client: reqwest::Client::new(), issuer, registry, _shutdown: shutdown }
    }

    /// Sends the holder's records of `record_ids` as `agency`; returns the person they resolve to.
    async fn ingest(&self, test: &TestStore, agency: &str, record_ids: &[&str]) -> PersonId {
        let key = issue_agency_key(&*test.store, &self.registry, agency, "test").await.unwrap().plaintext;
        let batch: String = record_ids.iter().map(|id| line_about_the_holder(id)).collect();
        let response = self
            .client
            .post(format!("{}/v1/ingest/{agency}", self.base))
            .bearer_auth(key)
            .header("content-type", "application/x-ndjson")
            .body(batch)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        PersonId::parse(body["records"][0]["person_id"].as_str().unwrap()).unwrap()
    }

    fn token(&self, role: Role, person_id: Option<PersonId>) -> String {
        let principal = Principal {
            subject: if person_id.is_some() { "person-1".into() } else { "officer-7".into() },
            organisation: "Border Service".into(),
            roles: [role].into_iter().collect(),
            region: None,
            person_id,
        };
        self.issuer.token_for(&principal, now_seconds(), now_seconds() + 600)
    }

    async fn post(&self, path: &str, token: &str, purpose: Option<&str>, body: &Value) -> (StatusCode, Value) {
        let mut request = self.client.post(format!("{}{path}", self.base)).bearer_auth(token).json(body);
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

    async fn get(&self, path: &str, token: &str, purpose: Option<&str>) -> (StatusCode, Value) {
        let mut request = self.client.get(format!("{}{path}", self.base)).bearer_auth(token);
        if let Some(purpose) = purpose {
            request = request.header("Hospes-Purpose", purpose);
        }
        let response = request.send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// A crossing through the officer's reader.
    async fn cross(&self, mrz: &[String], direction: &str, crossed_at: &str) -> (StatusCode, Value) {
        let body = json!({ "mrz": mrz, "checkpoint": "SVO-T2", "direction": direction, "crossed_at": crossed_at });
        self.post("/v1/border/crossings", &self.token(Role::BorderOfficer, None), Some("border-check"), &body).await
    }

    async fn import_lost_stolen(&self, body: &str) -> (StatusCode, Value) {
        let response = self
            .client
            .post(format!("{}/v1/border/lost-stolen", self.base))
            .bearer_auth(self.token(Role::BorderOfficer, None))
            .header("Hospes-Purpose", "border-check")
            .header("content-type", "application/x-ndjson")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        (response.status(), response.json().await.unwrap())
    }
}

fn holder_mrz() -> Vec<String> {
    HOLDER_MRZ.iter().map(|line| (*line).to_owned()).collect()
}

fn flag_codes(decision: &Value) -> Vec<String> {
    decision["flags"].as_array().unwrap().iter().map(|flag| flag["code"].as_str().unwrap().to_owned()).collect()
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

const LOST_PASSPORT: &str = r#"{"issuing_country":"UZB","document_number":"FA1234567","document_type":"passport","reported_on":"2025-03-01","source":"Interpol SLTD"}"#;

/// The holder is known, banned, wanted, and their passport is listed as stolen: the crossing is
/// recorded on their profile and the officer is told to refer them, with each reason.
async fn a_banned_wanted_traveller_with_a_listed_passport_is_referred(test: &TestStore) {
    let app = App::spawn(test).await;
    let person = app.ingest(test, "border_service", &["DOC-1", "BC-1"]).await;
    assert_eq!(app.ingest(test, "migration_service", &["BAN-1"]).await, person);
    assert_eq!(app.ingest(test, "police", &["WAN-1"]).await, person);
    let (status, import) = app.import_lost_stolen(&format!("{LOST_PASSPORT}\n")).await;
    assert_eq!(status, StatusCode::CREATED, "{import}");
    assert_eq!((import["added"].as_u64(), import["listed"].as_i64()), (Some(1), Some(1)));

    let (status, decision) = app.cross(&holder_mrz(), "entry", &now_rfc3339()).await;
    assert_eq!(status, StatusCode::CREATED, "{decision}");
    assert_eq!(decision["traveller"]["person_id"], person.to_string());
    assert_eq!(decision["traveller"]["new_person"], false);
    assert_eq!(decision["recommendation"], "refer");
    let codes = flag_codes(&decision);
    for code in ["entry_ban", "wanted", "lost_stolen_document", "status_red"] {
        assert!(codes.contains(&code.to_owned()), "{code} missing from {codes:?}");
    }
    assert_eq!(decision["entry_bans"][0]["kind"], "entry_ban");
    assert_eq!(decision["wanted"][0]["kind"], "interstate");
    assert_eq!(decision["lost_stolen"][0]["source"], "Interpol SLTD");
    assert_eq!(decision["status"]["colour"], "red");
    assert_eq!(decision["document"]["check_digits"]["composite"], true);
    assert_eq!(decision["partner_alerts"], json!([]));

    // The crossing is on the profile, and the decision is in the audit log with the person.
    let officer = app.token(Role::BorderOfficer, None);
    let (status, records) = app.get(&format!("/v1/persons/{person}/records"), &officer, Some("border-check")).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> =
        records["records"].as_array().unwrap().iter().filter_map(|r| r["record_id"].as_str()).collect();
    assert!(ids.contains(&decision["record_id"].as_str().unwrap()), "{records}");
    let events = audit_events(test).await;
    let event = events.iter().find(|event| event.action == "record_crossing").unwrap();
    assert_eq!(event.persons, vec![person]);
    assert!(event.categories_returned.contains(&"wanted".to_owned()));

    // Leaving, the ban no longer stops them; the wanted notice still does.
    let (status, decision) = app.cross(&holder_mrz(), "exit", &now_rfc3339()).await;
    assert_eq!(status, StatusCode::CREATED, "{decision}");
    let codes = flag_codes(&decision);
    assert!(!codes.contains(&"entry_ban".to_owned()) && codes.contains(&"wanted".to_owned()), "{codes:?}");
    assert!(!codes.contains(&"exit_without_entry".to_owned()), "{codes:?}");
}

/// A traveller nobody knows gets a new profile and is admitted; sending the same crossing again
/// records nothing twice.
async fn a_new_traveller_gets_a_profile_and_is_admitted(test: &TestStore) {
    let app = App::spawn(test).await;
    let mrz = stranger_mrz("AC9988776", "TOKTOGULOV", "950317");
    let body = json!({
        "mrz": mrz, "checkpoint": "OSS-1", "direction": "entry", "crossed_at": now_rfc3339(),
        "crossing_id": "6f1f2a4e-6d5c-4d53-9a8e-3b1a3f0c2d11", "face_capture_reference": "face:77",
        "declared_purpose": "tourism", "transport": "air",
    });
    let officer = app.token(Role::BorderOfficer, None);
    let (status, first) = app.post("/v1/border/crossings", &officer, Some("border-check"), &body).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["traveller"]["new_person"], true);
    assert_eq!(first["recommendation"], "admit", "{first}");
    assert_eq!(first["status"]["colour"], "green");
    assert_eq!(first["permitted_stay"]["days_used"], 1);
    assert_eq!(first["permitted_stay"]["days_left"], 89);
    assert!(first["pre_arrival"].is_null());
    assert!(flag_codes(&first).contains(&"no_pre_arrival_application".to_owned()));
    assert_eq!(first["traveller"]["birth_dates"], json!(["1995-03-17"]));

    let (status, again) = app.post("/v1/border/crossings", &officer, Some("border-check"), &body).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["recorded"], "duplicate");
    assert_eq!(again["record_id"], first["record_id"]);
    assert_eq!(again["traveller"]["person_id"], first["traveller"]["person_id"]);
    assert_eq!(again["traveller"]["record_count"], 1);

    // Only border officers record crossings, and only at a border check.
    let police = app.token(Role::PoliceOfficer, None);
    let (status, _) = app.post("/v1/border/crossings", &police, Some("identity-check"), &body).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, problem) = app.post("/v1/border/crossings", &officer, None, &body).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::BAD_REQUEST, Some("purpose-required")));
}

/// An exit with no entry before it is recorded, and flagged.
async fn an_exit_without_an_entry_is_recorded_and_flagged(test: &TestStore) {
    let app = App::spawn(test).await;
    let mrz = stranger_mrz("AC1112223", "ASANOV", "880101");
    let (status, decision) = app.cross(&mrz, "exit", &now_rfc3339()).await;
    assert_eq!(status, StatusCode::CREATED, "{decision}");
    assert_eq!(decision["kind"], "exit");
    assert!(flag_codes(&decision).contains(&"exit_without_entry".to_owned()), "{decision}");
    let head = test.store.chain_head().await.unwrap();
    assert_eq!(head.seq, 1, "the exit is in the ledger");

    // A refusal of entry needs its reason, and is recorded as such.
    let body = json!({ "mrz": mrz, "checkpoint": "OSS-1", "direction": "refusal", "crossed_at": now_rfc3339() });
    let officer = app.token(Role::BorderOfficer, None);
    let (status, problem) = app.post("/v1/border/crossings", &officer, Some("border-check"), &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem["detail"].as_str().unwrap().contains("refusal_reason"), "{problem}");
    let mut body = body;
    body["refusal_reason"] = json!("no means of subsistence");
    let (status, decision) = app.post("/v1/border/crossings", &officer, Some("border-check"), &body).await;
    assert_eq!(status, StatusCode::CREATED, "{decision}");
    assert_eq!(
        (decision["kind"].as_str(), decision["recommendation"].as_str()),
        (Some("refusal_of_entry"), Some("refused"))
    );
}

/// Bad input: a time in the future and a zone that is not an MRZ are refused with what and where,
/// and nothing is recorded; a wrong check digit is recorded and flagged.
async fn bad_input_is_refused_or_flagged(test: &TestStore) {
    let app = App::spawn(test).await;
    let future = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let (status, problem) = app.cross(&holder_mrz(), "entry", &future).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem["detail"].as_str().unwrap().contains("in the future"), "{problem}");

    let short = vec![HOLDER_MRZ[0].to_owned(), HOLDER_MRZ[1][..40].to_owned()];
    let (status, problem) = app.cross(&short, "entry", &now_rfc3339()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem["detail"].as_str().unwrap().contains("line 2"), "{problem}");

    let lower = vec![HOLDER_MRZ[0].to_lowercase(), HOLDER_MRZ[1].to_owned()];
    let (status, problem) = app.cross(&lower, "entry", &now_rfc3339()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem["detail"].as_str().unwrap().contains("line 1"), "{problem}");

    let (status, problem) = app.cross(&holder_mrz(), "sideways", &now_rfc3339()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem["detail"].as_str().unwrap().contains("direction"), "{problem}");
    assert_eq!(test.store.chain_head().await.unwrap().seq, 0, "nothing was recorded");

    // Birth date 1990-04-12 with its check digit changed from 6 to 5.
    let bad_digit = vec![HOLDER_MRZ[0].to_owned(), HOLDER_MRZ[1].replace("9004126M", "9004125M")];
    let (status, decision) = app.cross(&bad_digit, "entry", &now_rfc3339()).await;
    assert_eq!(status, StatusCode::CREATED, "{decision}");
    assert_eq!(decision["document"]["check_digits"]["birth_date"], false);
    assert!(flag_codes(&decision).contains(&"bad_check_digit".to_owned()));
    assert_eq!(decision["recommendation"], "refer");
    assert_eq!(test.store.chain_head().await.unwrap().seq, 1);
}

fn application(number: &str, surname: &str, birth_date: &str) -> Value {
    let entry = chrono::Utc::now().date_naive() + chrono::Days::new(10);
    let exit = entry + chrono::Days::new(20);
    json!({
        "identity": { "surname": surname, "given_names": "ALISHER", "birth_date": birth_date, "sex": "M", "citizenship": "UZB" },
        "document": { "kind": "passport", "number": number, "issuing_country": "UZB", "expiry_date": "2031-05-31" },
        "purpose": "work",
        "planned_entry": entry.to_string(),
        "planned_exit": exit.to_string(),
        "host": { "name": "OOO Stroitel", "address": "Moscow" },
    })
}

/// A clean application is clear; one by a banned person is referred, with the reason for officers
/// and without it for the applicant; both are read back, and the one on file shows at the border.
async fn applications_are_cleared_or_referred(test: &TestStore) {
    let app = App::spawn(test).await;
    let person = app.ingest(test, "border_service", &["DOC-1"]).await;
    app.ingest(test, "migration_service", &["BAN-1"]).await;
    let officer = app.token(Role::BorderOfficer, None);

    let (status, clear) = app
        .post(
            "/v1/border/applications",
            &officer,
            Some("border-check"),
            &application("AC5550001", "ORLOV", "1992-01-01"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{clear}");
    assert_eq!((clear["outcome"].as_str(), clear["reasons"].as_array().map(Vec::len)), (Some("clear"), Some(0)));

    let (status, referred) = app
        .post(
            "/v1/border/applications",
            &officer,
            Some("border-check"),
            &application("FA1234567", "YUSUPOV", "1990-04-12"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{referred}");
    assert_eq!(referred["outcome"], "refer");
    assert_eq!(referred["person_id"], person.to_string());
    assert!(referred["reasons"][0].as_str().unwrap().contains("entry ban"), "{referred}");

    let id = referred["application_id"].as_str().unwrap();
    let (status, read) = app.get(&format!("/v1/border/applications/{id}"), &officer, Some("border-check")).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!((read["outcome"].as_str(), &read["reasons"]), (Some("refer"), &referred["reasons"]));

    // The applicant themself is told they were referred, not about the ban.
    let own = app.token(Role::Person, Some(person));
    let (status, mine) =
        app.post("/v1/border/applications", &own, None, &application("FA1234567", "YUSUPOV", "1990-04-12")).await;
    assert_eq!(status, StatusCode::CREATED, "{mine}");
    assert_eq!((mine["outcome"].as_str(), &mine["reasons"]), (Some("refer"), &json!(["referred to an officer"])));
    assert!(mine.get("person_id").is_none());
    // …and may not apply in someone else's name.
    let (status, _) =
        app.post("/v1/border/applications", &own, None, &application("AC5550001", "ORLOV", "1992-01-01")).await;
    assert_eq!(status, StatusCode::CREATED, "an unknown document may be the person's new passport");
    let stranger = app.token(Role::Person, Some(PersonId::parse("00000000-0000-4000-8000-000000000001").unwrap()));
    let (status, _) =
        app.post("/v1/border/applications", &stranger, None, &application("FA1234567", "YUSUPOV", "1990-04-12")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.get(&format!("/v1/border/applications/{id}"), &stranger, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // At the border, the newest application on file is shown.
    let (status, decision) = app.cross(&holder_mrz(), "entry", &now_rfc3339()).await;
    assert_eq!(status, StatusCode::CREATED, "{decision}");
    assert_eq!(decision["pre_arrival"]["outcome"], "refer");
    assert!(flag_codes(&decision).contains(&"pre_arrival_referred".to_owned()));

    // A bad application names its field.
    let mut bad = application("FA1234567", "YUSUPOV", "1990-04-12");
    bad["planned_exit"] = json!("2020-01-01");
    let (status, problem) = app.post("/v1/border/applications", &officer, Some("border-check"), &bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem["detail"].as_str().unwrap().contains("planned_exit"), "{problem}");
}

/// A lost and stolen list with bad entries is refused whole, every problem with its line.
async fn a_bad_lost_stolen_list_stores_nothing(test: &TestStore) {
    let app = App::spawn(test).await;
    let list = format!(
        "{LOST_PASSPORT}\n{}\n{}\n",
        r#"{"issuing_country":"XXQ","document_number":"AB1234567","document_type":"passport","reported_on":"2025-01-01","source":"x"}"#,
        r#"{"issuing_country":"KAZ","document_number":"N1234567","document_type":"passport","reported_on":"2099-01-01","source":"x"}"#
    );
    let (status, problem) = app.import_lost_stolen(&list).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let places: Vec<(u64, &str)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| (error["line"].as_u64().unwrap(), error["path"].as_str().unwrap()))
        .collect();
    assert_eq!(places, vec![(2, "/issuing_country"), (3, "/reported_on")]);
    assert_eq!(test.store.lost_stolen_count().await.unwrap(), 0);

    // The same list as a JSON array, corrected, goes in; sending it again adds nothing.
    let array = format!(
        "[{LOST_PASSPORT}, {}]",
        r#"{"issuing_country":"D","document_number":"C01X00T47","document_type":"passport","reported_on":"2025-01-01","source":"BKA"}"#
    );
    let (status, import) = app.import_lost_stolen(&array).await;
    assert_eq!(status, StatusCode::CREATED, "{import}");
    assert_eq!(import["added"], 2);
    let (_, import) = app.import_lost_stolen(&array).await;
    assert_eq!((import["added"].as_u64(), import["already_listed"].as_u64()), (Some(0), Some(2)));
    let listed = test.store.lost_stolen_documents_numbered(&["C01X00T47".to_owned()]).await.unwrap();
    assert_eq!(listed[0].issuing_country, "DEU");
}

test_both_backends!(
    a_banned_wanted_traveller_with_a_listed_passport_is_referred,
    a_new_traveller_gets_a_profile_and_is_admitted,
    an_exit_without_an_entry_is_recorded_and_flagged,
    bad_input_is_refused_or_flagged,
    applications_are_cleared_or_referred,
    a_bad_lost_stolen_list_stores_nothing,
);
