//! `hospes demo`: an embedded store, a synthetic population ingested into it, and the API served.

use std::io::BufRead;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use hospes_ingest::BatchLimits;
use hospes_model::{AgencyRegistry, DocumentNumber};
use hospes_policy::issue_agency_key;
use hospes_resolve::DeterministicResolver;
use hospes_resolve::keys::document_key_prefix;
use hospes_server::AppState;
use hospes_store::{SqliteStore, Store, verify_ledger};

use super::bench::agency_files;
use super::import::{Resolution, import_file};
use crate::cli::DemoArgs;

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

    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&data_dir).await.with_context(|| format!("cannot open {}", data_dir.display()))?);
    let registry = AgencyRegistry::default_registry()?;
    let border_key = issue_agency_key(&*store, &registry, "border_service", "demo").await?.plaintext;

    println!("  ingesting {} records from {} agencies …", population.records, registry.len());
    let ingest_started = Instant::now();
    let mut accepted = 0;
    for (agency_id, path, _) in agency_files(&population_dir)? {
        let agency = registry.get(&agency_id).with_context(|| format!("agency {agency_id}"))?.clone();
        let summary = import_file(store.clone(), agency, &path, 10_000, Resolution::WithTheImport, |_| {})
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
    println!(
        "  persons resolved   : {} (the simple resolver links on document + birth date and taxpayer number)",
        counts.persons
    );
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
    println!();
    println!("Serving the API on {base} (person data answers loopback clients only). Try:");
    if let Some(number) = &example_document {
        println!("  curl -s '{base}/v1/persons?document={number}'");
    }
    if let Some(person) = example_person {
        println!("  curl -s {base}/v1/persons/{person}");
        println!("  curl -s {base}/v1/persons/{person}/records");
    }
    println!(
        "  curl -s -X POST {base}/v1/ingest/border_service -H 'Authorization: Bearer {border_key}' \\\n       -H 'Content-Type: application/x-ndjson' --data-binary @examples/border-service.ndjson"
    );
    println!("  curl -s {base}/openapi.json");
    println!("Press Ctrl-C to stop.");

    let state = AppState {
        store,
        registry: Arc::new(registry),
        resolver: Arc::new(DeterministicResolver),
        limits: BatchLimits::default(),
    };
    hospes_server::serve(listener, state, super::serve::shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

/// The passport number of the first border record, for the example requests.
fn first_document_number(path: &std::path::Path) -> Option<DocumentNumber> {
    let file = std::fs::File::open(path).ok()?;
    let line = std::io::BufReader::new(file).lines().next()?.ok()?;
    let value: serde_json::Value = serde_json::from_str(&line).ok()?;
    let number = value["subject"]["documents"][0]["number"].as_str()?;
    DocumentNumber::parse(number).ok()
}
