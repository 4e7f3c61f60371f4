//! `hospes bench …`: benchmarks that print their figures beside a baseline measured in the same run,
//! and end with one line of JSON so runs can be compared by a script.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use hospes_model::AgencyRegistry;
use hospes_store::baseline::PlainTable;
use hospes_store::scratch::{create_scratch_database, drop_scratch_database};
use hospes_store::{PostgresStore, SqliteStore, Store};
use serde_json::json;

use super::import::{ImportError, import_file};
use crate::cli::{BenchCommand, BenchIngestArgs};

pub async fn run(bench: BenchCommand) -> anyhow::Result<ExitCode> {
    match bench {
        BenchCommand::Ingest(args) => ingest(args).await,
    }
}

/// Peak resident memory of this process since the last reset, in MiB (Linux `VmHWM`).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024.0)
}

/// Resets the peak resident memory to the current one, so a phase's peak excludes what came before.
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The order in which agencies' files are ingested: the services that establish identity first.
const INGEST_ORDER: [&str; 15] = [
    "consular_service",
    "border_service",
    "migration_service",
    "employers_notifications",
    "tax_service",
    "social_fund",
    "health_authority",
    "education_supervisor",
    "police",
    "courts",
    "bailiffs",
    "property_registry",
    "vehicle_registry",
    "telecom_operators",
    "partner_states",
];

/// The agency files of a population directory, in ingest order, with their line counts.
pub fn agency_files(directory: &Path) -> anyhow::Result<Vec<(String, PathBuf, usize)>> {
    let mut files = Vec::new();
    for agency in INGEST_ORDER {
        let path = directory.join(format!("{agency}.ndjson"));
        if path.exists() {
            let lines = std::fs::read(&path)?.iter().filter(|byte| **byte == b'\n').count();
            files.push((agency.to_owned(), path, lines));
        }
    }
    anyhow::ensure!(!files.is_empty(), "no agency files (e.g. border_service.ndjson) in {}", directory.display());
    Ok(files)
}

async fn ingest(args: BenchIngestArgs) -> anyhow::Result<ExitCode> {
    let registry = AgencyRegistry::default_registry()?;
    let scratch = tempfile::tempdir().context("cannot create a temporary directory")?;
    let population_dir = match &args.from {
        Some(directory) => directory.clone(),
        None => {
            let directory = scratch.path().join("population");
            eprintln!("synthesising {} people (seed {}) …", args.people, args.seed);
            super::synth::write(args.people, args.seed, None, args.names_dir.clone(), &directory)?;
            directory
        }
    };
    let files = agency_files(&population_dir)?;
    let records: usize = files.iter().map(|(_, _, lines)| lines).sum();
    let backend = if args.database.is_some() { "postgres" } else { "sqlite" };
    eprintln!("ingesting {records} records from {} agency files into {backend} …", files.len());

    // The full ingest path: validation, idempotency, chaining, durable append, resolution.
    let (store, database_url): (Arc<dyn Store>, Option<String>) = match &args.database {
        Some(server) => {
            let url =
                create_scratch_database(server, "hospes_bench").await.context("cannot create a bench database")?;
            (Arc::new(PostgresStore::connect(&url).await?), Some(url))
        }
        None => (Arc::new(SqliteStore::open(&scratch.path().join("store")).await?), None),
    };
    reset_peak_rss();
    let started = Instant::now();
    let mut accepted = 0;
    for (agency_id, path, _) in &files {
        let agency = registry.get(agency_id).with_context(|| format!("agency {agency_id} is not configured"))?.clone();
        match import_file(store.clone(), agency, path, args.batch_lines, |_| {}).await {
            Ok(summary) => accepted += summary.accepted,
            Err(ImportError::InvalidLines(errors)) => {
                super::import::print_line_errors(&errors);
                anyhow::bail!("{} has invalid lines", path.display());
            }
            Err(error) => return Err(error.into()),
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_rss_mb();
    let counts = store.counts().await?;

    // The baseline: the same rows, read back from the ledger, into a plain table with the same
    // columns and no key or index, one transaction per agency file as above. Only inserts are timed.
    let (table, baseline_url) = match &args.database {
        Some(server) => {
            let url = create_scratch_database(server, "hospes_bench_baseline").await?;
            (PlainTable::postgres(&url).await?, Some(url))
        }
        None => (PlainTable::sqlite(&scratch.path().join("baseline")).await?, None),
    };
    reset_peak_rss();
    let mut baseline_seconds = 0.0;
    let mut last_seq = 0;
    for (_, _, lines) in &files {
        let mut transaction = table.begin().await?;
        let mut remaining = *lines as i64;
        while remaining > 0 {
            let rows = store.ledger_rows_after(last_seq, remaining.min(args.batch_lines as i64)).await?;
            let Some(last) = rows.last() else { break };
            last_seq = last.seq;
            remaining -= rows.len() as i64;
            let inserted_at = Instant::now();
            transaction.insert(rows).await?;
            baseline_seconds += inserted_at.elapsed().as_secs_f64();
        }
        let committed_at = Instant::now();
        transaction.commit().await?;
        baseline_seconds += committed_at.elapsed().as_secs_f64();
    }
    let baseline_peak = peak_rss_mb();
    drop(store);
    for url in [database_url, baseline_url].into_iter().flatten() {
        if let Some(server) = &args.database {
            drop_scratch_database(server, &url).await?;
        }
    }

    let rate = accepted as f64 / seconds;
    let baseline_rate = last_seq as f64 / baseline_seconds;
    println!("ingest benchmark ({backend}, {records} records, {} persons resolved)", counts.persons);
    println!("  full ingest path : {rate:>10.0} records/s  ({seconds:.2} s, peak RSS {:.0} MiB)", peak.unwrap_or(0.0));
    println!(
        "  bare baseline    : {baseline_rate:>10.0} records/s  ({baseline_seconds:.2} s, peak RSS {:.0} MiB)",
        baseline_peak.unwrap_or(0.0)
    );
    println!("  ratio            : {:>10.2} of the baseline", rate / baseline_rate);
    let figures = json!({
        "bench": "ingest",
        "backend": backend,
        "people": args.from.is_none().then_some(args.people),
        "records": records,
        "accepted": accepted,
        "persons": counts.persons,
        "seconds": round(seconds),
        "records_per_second": rate.round(),
        "peak_rss_mb": peak.map(round),
        "baseline": {
            "seconds": round(baseline_seconds),
            "records_per_second": baseline_rate.round(),
            "peak_rss_mb": baseline_peak.map(round),
        },
        "ratio_to_baseline": round(rate / baseline_rate),
    });
    println!("{figures}");
    Ok(ExitCode::SUCCESS)
}

fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}
