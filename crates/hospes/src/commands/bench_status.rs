//! `hospes bench status`: how fast every person's status is recomputed, and how quickly one person's
//! status follows a new record.
//!
//! A synthetic population is imported into a scratch SQLite store. Then, in the same run:
//! - **full recompute**: read every person with their records, page by page in person-id order, type
//!   the records, and compute status and trust level; persons/s;
//! - **baseline**: the same scan without the rules, so the ratio shows what the rules cost;
//! - **incremental update**: the work after a record arrives for one person — read that person's
//!   records and recompute their status — timed one person at a time (p50, p99). Appending the record
//!   itself is ingestion, measured by `hospes bench ingest`.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use hospes_model::{AgencyRegistry, Date};
use hospes_server::derived::{Annotations, derive, typed_records};
use hospes_store::{SqliteStore, Store};
use serde_json::json;

use super::bench::{agency_files, median, peak_rss_mb, reset_peak_rss};
use super::bench_lookup::{percentile, shuffle};
use super::bench_vault;
use super::import::{Resolution, import_file};
use crate::cli::BenchStatusArgs;

/// Persons per page of the full scan.
const PAGE_PERSONS: i64 = 1000;

pub async fn run(args: BenchStatusArgs) -> anyhow::Result<ExitCode> {
    let scratch = tempfile::tempdir().context("cannot create a temporary directory")?;
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(&scratch.path().join("store"))
            .await
            .context("cannot open the bench store")?
            .with_vault(Some(bench_vault()?)),
    );
    let registry = AgencyRegistry::default_registry()?;
    let population_dir = scratch.path().join("population");
    eprintln!("synthesising {} people (seed {}) …", args.people, args.seed);
    super::synth::write(args.people, args.seed, None, None, &population_dir)?;
    let files = agency_files(&population_dir)?;
    let records: usize = files.iter().map(|(_, _, lines)| lines).sum();
    eprintln!("importing {records} records …");
    let importer = super::default_resolver(store.clone())?;
    for (agency_id, path, _) in &files {
        let agency = registry.get(agency_id).with_context(|| format!("agency {agency_id} is not configured"))?.clone();
        import_file(store.clone(), agency, path, 10_000, Resolution::WithTheImport, &*importer, |_| {})
            .await
            .with_context(|| format!("importing {}", path.display()))?;
    }
    // The persons whose single update is timed: those with a document, in an order the seed fixes.
    let mut persons = store.persons_with_key_prefix("doc:", args.incremental as i64).await?;
    anyhow::ensure!(!persons.is_empty(), "the store has no persons");
    shuffle(&mut persons, args.seed);
    let rules = Arc::new(super::status_rules(None)?);
    let today = Date::from_naive(chrono::Utc::now().date_naive())?;
    eprintln!("{} persons; measuring {} round(s) …", store.counts().await?.persons, args.rounds);

    let mut full = Vec::new();
    let mut baseline = Vec::new();
    let mut colours = BTreeMap::new();
    let mut peak_mb: f64 = 0.0;
    let mut all_persons = 0;
    for round in 0..args.rounds {
        reset_peak_rss();
        let (rate, scanned, counted) = recompute_all(&store, Some((&rules, today))).await?;
        peak_mb = peak_mb.max(peak_rss_mb().unwrap_or(0.0));
        let (base_rate, _, _) = recompute_all(&store, None).await?;
        all_persons = scanned;
        eprintln!("round {}: full recompute {rate:.0} persons/s; reads alone {base_rate:.0} persons/s", round + 1);
        full.push(rate);
        baseline.push(base_rate);
        colours = counted;
    }
    let full_rate = median(full.iter().copied());
    let baseline_rate = median(baseline.iter().copied());

    // Incremental: one person at a time, as after an ingest.
    let sample = &persons[..persons.len().min(args.incremental)];
    let mut latencies = Vec::with_capacity(sample.len());
    for person in sample {
        let started = Instant::now();
        let stored = store.person_records(*person).await?;
        evaluate_one(&rules, &stored, today);
        latencies.push(started.elapsed());
    }
    latencies.sort();
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    let p50 = ms(percentile(&latencies, 0.50));
    let p99 = ms(percentile(&latencies, 0.99));
    let million_seconds = 1_000_000.0 / full_rate;

    println!("hospes bench status — SQLite, {} people, {all_persons} persons, {records} records", args.people);
    println!(
        "  full recompute (read + rules)  {full_rate:>10.0} persons/s   (1,000,000 persons ≈ {million_seconds:.0} s)"
    );
    println!(
        "  baseline (reads alone)         {baseline_rate:>10.0} persons/s   ratio {:.2}",
        full_rate / baseline_rate
    );
    println!("  incremental update             p50 {p50:.2} ms   p99 {p99:.2} ms   ({} persons)", latencies.len());
    println!("  peak memory during recompute   {peak_mb:.0} MiB");
    println!("  statuses                       {colours:?}");
    println!(
        "{}",
        json!({
            "bench": "status",
            "backend": "sqlite",
            "people": args.people,
            "persons": all_persons,
            "records": records,
            "rounds": args.rounds,
            "full_recompute_persons_per_s": full_rate,
            "baseline_reads_persons_per_s": baseline_rate,
            "ratio": full_rate / baseline_rate,
            "projected_seconds_for_1m_persons": million_seconds,
            "incremental_p50_ms": p50,
            "incremental_p99_ms": p99,
            "peak_rss_mb": peak_mb,
            "statuses": colours,
        })
    );
    Ok(ExitCode::SUCCESS)
}

/// Reads every person's records page by page (and with `rules`, evaluates each person); returns
/// persons/s and the count per colour. The next page is read while the current one is evaluated.
async fn recompute_all(
    store: &Arc<dyn Store>,
    rules: Option<(&Arc<hospes_rules::status::StatusRules>, Date)>,
) -> anyhow::Result<(f64, usize, BTreeMap<String, usize>)> {
    let started = Instant::now();
    let (pages, mut receiver) = tokio::sync::mpsc::channel(2);
    let reader = {
        let store = store.clone();
        tokio::spawn(async move {
            let mut after = None;
            loop {
                let page = store.records_of_persons_after(after, PAGE_PERSONS).await;
                let last = page.as_ref().ok().and_then(|page| page.last().map(|(person, _)| *person));
                let done = last.is_none();
                if pages.send(page).await.is_err() || done {
                    break;
                }
                after = last;
            }
        })
    };
    let mut persons = 0;
    let mut colours = BTreeMap::new();
    while let Some(page) = receiver.recv().await {
        let page = page?;
        if page.is_empty() {
            break;
        }
        persons += page.len();
        if let Some((rules, day)) = rules {
            for (_, stored) in &page {
                let colour = evaluate_one(rules, stored, day);
                *colours.entry(colour).or_insert(0) += 1;
            }
        }
    }
    reader.await?;
    Ok((persons as f64 / started.elapsed().as_secs_f64(), persons, colours))
}

fn evaluate_one(rules: &hospes_rules::status::StatusRules, stored: &[hospes_store::StoredRecord], day: Date) -> String {
    let typed = typed_records(stored);
    let annotations = Annotations { known_on: Some(day), ..Annotations::default() };
    let (status, _trust) = derive(rules, &typed.records, &annotations, day);
    format!("{:?}", status.colour).to_lowercase()
}
