//! `hospes demo`: an embedded store, a synthetic population ingested into it, and the API served.

use std::io::BufRead;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use hospes_ingest::BatchLimits;
use hospes_model::{AgencyRegistry, DocumentNumber};
use hospes_policy::test_issuer::TestIssuer;
use hospes_policy::{Principal, Role, issue_agency_key};
use hospes_resolve::keys::document_key_prefix;
use hospes_server::AppState;
use hospes_store::verify_ledger;

use super::bench::agency_files;
use super::import::{Resolution, import_file};
use crate::cli::{AccessArgs, DemoArgs, StoreArgs};

pub async fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let temporary = tempfile::tempdir().context("cannot create a temporary directory")?;
    let data_dir = args.data_dir.clone().unwrap_or_else(|| temporary.path().join("data"));
    let population_dir = temporary.path().join("population");

    println!("Hospes demo");
    println!("  synthesising {} people (seed {}) …", args.people, args.seed);
    let population = super::synth::write(args.people, args.seed, None, args.names_dir.clone(), &population_dir)?;
    for warning in &population.warnings {
        println!("  note: {warning}");
    }

    let store_args = StoreArgs {
        data_dir: Some(data_dir.clone()),
        database: None,
        master_key: None,
        previous_master_keys: Vec::new(),
        match_model: None,
    };
    let (location, store) = super::open(&store_args).await?;
    let resolver = super::resolver(&store_args, &location, store.clone())?;
    let registry = AgencyRegistry::default_registry()?;
    let border_key = issue_agency_key(&*store, &registry, "border_service", "demo").await?.plaintext;

    println!("  ingesting {} records from {} agencies …", population.records, registry.len());
    let ingest_started = Instant::now();
    let mut accepted = 0;
    for (agency_id, path, _) in agency_files(&population_dir)? {
        let agency = registry.get(&agency_id).with_context(|| format!("agency {agency_id}"))?.clone();
        let summary = import_file(store.clone(), agency, &path, 10_000, Resolution::WithTheImport, &*resolver, |_| {})
            .await
            .with_context(|| format!("ingesting {}", path.display()))?;
        accepted += summary.accepted;
    }
    let ingest_seconds = ingest_started.elapsed().as_secs_f64();
    let counts = store.counts().await?;
    let verification = verify_ledger(&*store).await?;
    println!();
    println!("  people synthesised : {}", population.people);
    println!("  records ingested   : {accepted} ({:.0} records/s)", accepted as f64 / ingest_seconds);
    println!("  persons resolved   : {} (probabilistic matching across scripts and romanisations)", counts.persons);
    println!(
        "  ledger             : {} records, chain {}, head {}",
        verification.records_checked,
        if verification.is_intact() { "intact" } else { "BROKEN" },
        &verification.head_hash[..16]
    );
    println!("  store              : {}", data_dir.join("hospes.db").display());
    println!("  set-up took        : {:.1} s", started.elapsed().as_secs_f64());
    if args.no_serve {
        return Ok(ExitCode::SUCCESS);
    }

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{} (try --port)", args.port))?;
    let base = format!("http://{}", listener.local_addr()?);
    let example_document = first_document_number(&population_dir.join("border_service.ndjson"));
    let example_person = match &example_document {
        Some(number) => store.persons_with_key_prefix(&document_key_prefix(number), 1).await?.into_iter().next(),
        None => None,
    };

    // A throw-away token issuer stands in for the authority's identity provider (Keycloak, say):
    // it signs one token for a border officer and one for the example person, valid for 12 hours.
    let issuer = TestIssuer::generate();
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    let officer = Principal {
        subject: "officer-0001".into(),
        organisation: "Border Service, checkpoint 1".into(),
        roles: [Role::BorderOfficer].into_iter().collect(),
        region: Some("demo".into()),
        person_id: None,
    };
    let officer_token = issuer.token_for(&officer, now, now + 12 * 3600);
    let person_token = example_person.map(|person| {
        let principal = Principal {
            subject: format!("person-{person}"),
            organisation: "self".into(),
            roles: [Role::Person].into_iter().collect(),
            region: None,
            person_id: Some(person),
        };
        issuer.token_for(&principal, now, now + 12 * 3600)
    });
    let access =
        Arc::new(super::access_control(&demo_access_args(&data_dir), &location, Some(issuer.verifier())).await?);

    println!();
    println!("Serving the API on {base}. Every read needs a token and a declared purpose, and is audited. Try:");
    println!("  OFFICER='{officer_token}'");
    if let Some(token) = &person_token {
        println!("  PERSON='{token}'");
    }
    let officer_headers = "-H \"Authorization: Bearer $OFFICER\" -H 'Hospes-Purpose: border-check'";
    if let Some(number) = &example_document {
        println!("  curl -s {officer_headers} '{base}/v1/persons?document={number}'");
    }
    if let Some(person) = example_person {
        println!("  curl -s {officer_headers} {base}/v1/persons/{person}");
        println!("  curl -s {officer_headers} {base}/v1/persons/{person}/records");
        println!("  curl -s {officer_headers} {base}/v1/persons/{person}/status");
        println!("  curl -s -H \"Authorization: Bearer $PERSON\" {base}/v1/me/profile");
        println!("  curl -s -H \"Authorization: Bearer $PERSON\" {base}/v1/me/access-log");
        println!("  curl -s -H \"Authorization: Bearer $PERSON\" {base}/v1/me/status");
        println!("  curl -s -H \"Authorization: Bearer $PERSON\" '{base}/v1/me/credential?purpose=police&format=svg'");
    }
    println!(
        "  curl -s -X POST {base}/v1/ingest/border_service -H 'Authorization: Bearer {border_key}' \\\n       -H 'Content-Type: application/x-ndjson' --data-binary @examples/border-service.ndjson"
    );
    println!("  curl -s {base}/v1/audit/tree-head");
    println!("  curl -s {base}/openapi.json");
    println!("Press Ctrl-C to stop.");

    let state = AppState {
        store,
        registry: Arc::new(registry),
        resolver,
        limits: BatchLimits::default(),
        access: access.clone(),
        status_rules: Arc::new(super::status_rules(None)?),
        credentials: Arc::new(super::credential_service(&demo_access_args(&data_dir), &location)?),
    };
    hospes_server::serve(listener, state, super::serve::shutdown_signal()).await?;
    access.audit.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The demo's access settings: shipped policies, the audit key in the demo's data directory.
fn demo_access_args(data_dir: &std::path::Path) -> AccessArgs {
    AccessArgs {
        jwks: None,
        token_issuers: Vec::new(),
        token_audience: TestIssuer::AUDIENCE.to_owned(),
        policies: None,
        audit_key: Some(data_dir.join("audit-signing.key")),
    }
}

/// The passport number of the first border record, for the example requests.
fn first_document_number(path: &std::path::Path) -> Option<DocumentNumber> {
    let file = std::fs::File::open(path).ok()?;
    let line = std::io::BufReader::new(file).lines().next()?.ok()?;
    let value: serde_json::Value = serde_json::from_str(&line).ok()?;
    let number = value["subject"]["documents"][0]["number"].as_str()?;
    DocumentNumber::parse(number).ok()
}
