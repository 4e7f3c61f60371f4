//! `hospes bench …`: benchmarks that print their figures beside a baseline measured in the same run,
//! and end with one line of JSON so runs can be compared by a script.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use hospes_model::AgencyRegistry;
use hospes_resolve::resolve_pending;
use hospes_store::baseline::PlainTable;
use hospes_store::scratch::{create_scratch_database, drop_scratch_database};
use hospes_store::{PostgresStore, SqliteStore, Store};
use serde_json::json;

use super::bench_vault;
use super::import::{ImportError, Resolution, import_file};
use crate::cli::{BenchCommand, BenchIngestArgs};

pub async fn run(bench: BenchCommand) -> anyhow::Result<ExitCode> {
    match bench {
        BenchCommand::Ingest(args) => ingest(args).await,
        BenchCommand::Lookup(args) => super::bench_lookup::run(args).await,
        BenchCommand::Status(args) => super::bench_status::run(args).await,
        BenchCommand::Verify(args) => super::bench_verify::run(args),
        BenchCommand::Resolve(args) => super::bench_resolve::run(args),
        BenchCommand::Checkpoint(args) => super::bench_checkpoint::run(args).await,
        BenchCommand::Face(args) => super::bench_face::run_face(args),
        BenchCommand::Identify(args) => super::bench_face::run_identify(args),
        BenchCommand::Fingerprint(args) => super::bench_fingerprint::run(args),
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
            // A small population may give an agency nothing to say; an empty batch is not an import.
            if lines > 0 {
                files.push((agency.to_owned(), path, lines));
            }
        }
    }
    anyhow::ensure!(!files.is_empty(), "no agency files (e.g. border_service.ndjson) in {}", directory.display());
    Ok(files)
}

/// A store for one round, and how to clean it up.
struct RoundStore {
    store: Arc<dyn Store>,
    postgres_url: Option<String>,
}

async fn fresh_store(args: &BenchIngestArgs, scratch: &Path, round: usize) -> anyhow::Result<RoundStore> {
    Ok(match &args.database {
        Some(server) => {
            let url =
                create_scratch_database(server, "hospes_bench").await.context("cannot create a bench database")?;
            RoundStore {
                store: Arc::new(PostgresStore::connect(&url).await?.with_vault(Some(bench_vault()?))),
                postgres_url: Some(url),
            }
        }
        None => RoundStore {
            store: Arc::new(
                SqliteStore::open(&scratch.join(format!("store-{round}"))).await?.with_vault(Some(bench_vault()?)),
            ),
            postgres_url: None,
        },
    })
}

/// Figures of one round.
struct Round {
    ingest_seconds: f64,
    ingest_peak_mb: Option<f64>,
    baseline_seconds: f64,
    baseline_peak_mb: Option<f64>,
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
    let mut rounds = Vec::new();
    let mut resolution_figures = None;
    for round in 0..args.rounds.max(1) {
        eprintln!(
            "round {}: ingesting {records} records from {} agency files into {backend} …",
            round + 1,
            files.len()
        );
        let round_store = fresh_store(&args, scratch.path(), round).await?;
        let store = round_store.store.clone();

        // The full ingest path: parse, validate, check idempotency, chain, append durably.
        reset_peak_rss();
        let started = Instant::now();
        for (agency_id, path, _) in &files {
            let agency =
                registry.get(agency_id).with_context(|| format!("agency {agency_id} is not configured"))?.clone();
            // Deferred: the import does not resolve, so the resolver it is given is not called.
            let not_called = hospes_resolve::DeterministicResolver;
            match import_file(store.clone(), agency, path, args.batch_lines, Resolution::Deferred, &not_called, |_| {})
                .await
            {
                Ok(_) => {}
                Err(ImportError::InvalidLines(errors)) => {
                    super::import::print_line_errors(&errors);
                    anyhow::bail!("{} has invalid lines", path.display());
                }
                Err(error) => return Err(error.into()),
            }
        }
        let ingest_seconds = started.elapsed().as_secs_f64();
        let ingest_peak_mb = peak_rss_mb();

        // Resolution of everything ingested, once: the next stage of the data flow, measured apart.
        if resolution_figures.is_none() {
            reset_peak_rss();
            let resolution_started = Instant::now();
            let resolver = super::default_resolver(store.clone())?;
            let report = resolve_pending(&*store, &*resolver).await?;
            resolution_figures = Some((resolution_started.elapsed().as_secs_f64(), peak_rss_mb(), report));
        }

        // The baseline: the same rows, read back from the ledger, into a plain table with the same
        // columns and no key or index, one transaction per agency file as above. Only inserts count.
        let (table, baseline_url) = match &args.database {
            Some(server) => {
                let url = create_scratch_database(server, "hospes_bench_baseline").await?;
                (PlainTable::postgres(&url).await?, Some(url))
            }
            None => (PlainTable::sqlite(&scratch.path().join(format!("baseline-{round}"))).await?, None),
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
        let baseline_peak_mb = peak_rss_mb();
        drop(table);
        drop(store);
        drop(round_store.store);
        if let Some(server) = &args.database {
            for url in [round_store.postgres_url, baseline_url].into_iter().flatten() {
                drop_scratch_database(server, &url).await?;
            }
        }
        let round_figures = Round { ingest_seconds, ingest_peak_mb, baseline_seconds, baseline_peak_mb };
        eprintln!(
            "round {}: {:.0} records/s, baseline {:.0} records/s",
            round + 1,
            records as f64 / round_figures.ingest_seconds,
            records as f64 / round_figures.baseline_seconds
        );
        rounds.push(round_figures);
    }

    let rate = median(rounds.iter().map(|round| records as f64 / round.ingest_seconds));
    let baseline_rate = median(rounds.iter().map(|round| records as f64 / round.baseline_seconds));
    let ratio = median(rounds.iter().map(|round| round.baseline_seconds / round.ingest_seconds));
    let peak = rounds
        .iter()
        .filter_map(|round| round.ingest_peak_mb)
        .fold(None, |most: Option<f64>, value| Some(most.map_or(value, |most| most.max(value))));
    let baseline_peak = rounds
        .iter()
        .filter_map(|round| round.baseline_peak_mb)
        .fold(None, |most: Option<f64>, value| Some(most.map_or(value, |most| most.max(value))));
    let (resolution_seconds, resolution_peak, resolution_report) = resolution_figures.context("no round ran")?;
    println!("ingest benchmark: {backend}, {records} records, {} round(s), medians", rounds.len());
    println!(
        "  full ingest path : {rate:>9.0} records/s  (parse, validate, idempotency, hash chain, durable append; peak RSS {:.0} MiB)",
        peak.unwrap_or(0.0)
    );
    println!(
        "  bare baseline    : {baseline_rate:>9.0} records/s  (the same rows into a plain table; peak RSS {:.0} MiB)",
        baseline_peak.unwrap_or(0.0)
    );
    println!("  ratio            : {ratio:>9.2} of the baseline");
    println!(
        "  resolution       : {:>9.0} records/s  ({} persons, measured once, apart; peak RSS {:.0} MiB)",
        resolution_report.records_resolved as f64 / resolution_seconds,
        resolution_report.persons_created,
        resolution_peak.unwrap_or(0.0)
    );
    let figures = json!({
        "bench": "ingest",
        "backend": backend,
        "people": args.from.is_none().then_some(args.people),
        "records": records,
        "rounds": rounds.len(),
        "records_per_second": rate.round(),
        "seconds": rounds.iter().map(|round| round3(round.ingest_seconds)).collect::<Vec<_>>(),
        "peak_rss_mb": peak.map(round3),
        "baseline": {
            "records_per_second": baseline_rate.round(),
            "seconds": rounds.iter().map(|round| round3(round.baseline_seconds)).collect::<Vec<_>>(),
            "peak_rss_mb": baseline_peak.map(round3),
        },
        "ratio_to_baseline": round3(ratio),
        "resolution": {
            "records_per_second": (resolution_report.records_resolved as f64 / resolution_seconds).round(),
            "seconds": round3(resolution_seconds),
            "persons": resolution_report.persons_created,
            "peak_rss_mb": resolution_peak.map(round3),
        },
    });
    println!("{figures}");
    Ok(ExitCode::SUCCESS)
}

/// The median of `values` (the mean of the middle two for an even count); 0 for none.
pub(super) fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        length if length % 2 == 1 => values[length / 2],
        length => (values[length / 2 - 1] + values[length / 2]) / 2.0,
    }
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}
