//! `hospes bench checkpoint`: how long a border officer waits for the checkpoint decision, end to
//! end over HTTP on loopback, on a store of N persons.
//!
//! The store is SQLite under `--data-dir` (built there on the first run and reused by later ones, so
//! a million-person store is paid for once), or a temporary directory. A synthetic population of
//! `--people` is written and imported (each agency's file resolved with its import). The bench then
//! picks persons whose passports the border service read by machine (their `documents` records carry
//! the MRZ lines), and starts one server with access control and audit on, as Hospes runs.
//!
//! Each round runs two configurations over the same persons, alternating which goes first:
//!
//! - **checkpoint**: `POST /v1/border/crossings` with the person's MRZ, an entry now, a border
//!   officer's token and `Hospes-Purpose: border-check`: parse the MRZ, append and resolve the
//!   crossing (one durable write transaction each), read and project the person's records, derive
//!   the status and the permitted stay, look up bans, notices, lost/stolen documents and the
//!   pre-arrival application, and make the audit event durable;
//! - **baseline**: `GET /v1/persons/{id}` of the same persons with the same token and purpose: the
//!   profile read an officer would otherwise make, audited too.
//!
//! p50 and p99 are over every request's latency in a run, decisions/s is the run's requests over its
//! wall time; the report gives medians over rounds. Any answer but 200/201 fails the bench, and so
//! does an audit log that did not grow by one event per request. Client, server and store share
//! this process and its cores.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use hospes_ingest::BatchLimits;
use hospes_model::{AgencyRegistry, Category, PersonId};
use hospes_policy::test_issuer::TestIssuer;
use hospes_policy::{Authoriser, PURPOSE_HEADER, Principal, Purpose, Role};
use hospes_server::AppState;
use hospes_server::access::{AccessControl, AccessMode};
use hospes_store::Store;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};

use super::bench::{agency_files, median};
use super::bench_lookup::{Server, percentile, process_cpu_seconds, shuffle};
use super::import::{Resolution, import_file};
use crate::cli::StoreArgs;

/// The goal of the issue.
const GOAL_P99_MS: f64 = 50.0;
/// Identity keys scanned to find travellers with a machine-read passport.
const SAMPLE_KEYS: i64 = 20_000;

#[derive(Debug, clap::Args)]
pub struct BenchCheckpointArgs {
    /// How many people to synthesise and import (when the store is built).
    #[arg(long, default_value_t = 1_000_000)]
    pub people: usize,
    /// Seed of the synthetic population (and of the order of the travellers).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Build the SQLite store here, or reuse the one already here (a temporary directory when absent).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Measured decisions (and baseline reads) per round.
    #[arg(long, default_value_t = 2_000)]
    pub requests: usize,
    /// Unmeasured requests before each measured run.
    #[arg(long, default_value_t = 200)]
    pub warmup: usize,
    /// Concurrent clients (booths), each with its own keep-alive connection.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Rounds to take the median of.
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    /// Travellers to cycle through.
    #[arg(long, default_value_t = 1_000)]
    pub travellers: usize,
    /// Where the shared name lists are (popular names by country).
    #[arg(long, value_name = "DIR")]
    pub names_dir: Option<PathBuf>,
}

/// A person and the MRZ of their passport.
struct Traveller {
    person: PersonId,
    mrz: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
struct RunFigures {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    cpu_us_per_request: Option<f64>,
}

pub async fn run(args: BenchCheckpointArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.requests > 0 && args.concurrency > 0, "--requests and --concurrency must be at least 1");
    let scratch = tempfile::tempdir().context("cannot create a temporary directory")?;
    let data_dir = args.data_dir.clone().unwrap_or_else(|| scratch.path().join("store"));
    let store_args = StoreArgs {
        data_dir: Some(data_dir.clone()),
        database: None,
        master_key: None,
        previous_master_keys: vec![],
        match_model: None,
    };
    let (location, store) = super::open(&store_args).await?;
    let registry = AgencyRegistry::default_registry()?;

    let persons_before = store.counts().await?.persons;
    let build_seconds = if persons_before == 0 {
        let started = Instant::now();
        let population_dir = scratch.path().join("population");
        eprintln!("synthesising {} people (seed {}) …", args.people, args.seed);
        super::synth::write(args.people, args.seed, None, args.names_dir.clone(), &population_dir)?;
        let synthesised = started.elapsed().as_secs_f64();
        let files = agency_files(&population_dir)?;
        let records: usize = files.iter().map(|(_, _, lines)| lines).sum();
        eprintln!("synthesised in {synthesised:.0} s; importing {records} records into {} …", data_dir.display());
        let importer = super::default_resolver(store.clone())?;
        for (agency_id, path, _) in &files {
            let agency =
                registry.get(agency_id).with_context(|| format!("agency {agency_id} is not configured"))?.clone();
            let imported = Instant::now();
            import_file(store.clone(), agency, path, 10_000, Resolution::WithTheImport, &*importer, |_| {})
                .await
                .with_context(|| format!("importing {}", path.display()))?;
            eprintln!("  {agency_id}: {:.0} s", imported.elapsed().as_secs_f64());
        }
        Some(started.elapsed().as_secs_f64())
    } else {
        eprintln!("reusing the store in {} ({persons_before} persons)", data_dir.display());
        None
    };
    let counts = store.counts().await?;

    let travellers = travellers(&*store, args.travellers, args.seed).await?;
    let traveller_count = travellers.len();
    eprintln!("{traveller_count} travellers with a machine-read passport");

    let issuer = TestIssuer::generate();
    let access = Arc::new(
        AccessControl::open(
            &location,
            AccessMode::Enforced,
            Some(issuer.verifier()),
            Authoriser::default_policies()?,
            hospes_transparency::generate_signing_key(),
        )
        .await
        .with_context(|| format!("cannot open the audit log ({})", location.describe()))?,
    );
    let audit = access.audit.clone();
    let state = AppState {
        store: store.clone(),
        registry: Arc::new(registry),
        resolver: super::default_resolver(store.clone())?,
        limits: BatchLimits::default(),
        access,
        status_rules: Arc::new(super::status_rules(None)?),
        credentials: Arc::new(hospes_server::credentials::CredentialService::new(
            hospes_transparency::generate_signing_key(),
        )),
    };
    let server = Server::start(state).await?;
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    let officer = Principal {
        subject: "officer-bench".into(),
        organisation: "Border Service, benchmark checkpoint".into(),
        roles: [Role::BorderOfficer].into_iter().collect(),
        region: None,
        person_id: None,
    };
    let token = issuer.token_for(&officer, now, now + 12 * 3600);
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {token}"))?);
    headers.insert(
        HeaderName::from_bytes(PURPOSE_HEADER.as_bytes())?,
        HeaderValue::from_static(Purpose::BorderCheck.as_str()),
    );
    let client = reqwest::Client::builder()
        .http1_only()
        .no_proxy()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(args.concurrency)
        .timeout(Duration::from_secs(60))
        .build()
        .context("cannot build the HTTP client")?;
    let bench = Bench { client, base: server.base.clone(), headers, travellers: Arc::new(travellers) };

    let audit_before = audit.size();
    let mut requests_made: u64 = 0;
    let mut rounds: Vec<(RunFigures, RunFigures)> = Vec::new();
    let mut recommendations: std::collections::BTreeMap<String, u64> = Default::default();
    let measured = async {
        for round in 0..args.rounds.max(1) {
            let offset = round * (args.warmup + args.requests);
            let order = if round % 2 == 0 { [Kind::Baseline, Kind::Checkpoint] } else { [Kind::Checkpoint, Kind::Baseline] };
            let mut checkpoint = None;
            let mut baseline = None;
            for kind in order {
                let warm = bench.load(kind, offset, args.warmup, args.concurrency).await?;
                warm.check(kind, "warm-up")?;
                let cpu_before = process_cpu_seconds();
                let run = bench.load(kind, offset + args.warmup, args.requests, args.concurrency).await?;
                let cpu = cpu_before.zip(process_cpu_seconds()).map(|(before, after)| after - before);
                run.check(kind, "measured run")?;
                requests_made += (args.warmup + args.requests) as u64;
                for (recommendation, count) in &run.recommendations {
                    *recommendations.entry(recommendation.clone()).or_default() += count;
                }
                let mut latencies = run.latencies;
                latencies.sort_unstable();
                let figures = RunFigures {
                    per_second: args.requests as f64 / run.seconds,
                    p50_ms: percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
                    p99_ms: percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
                    cpu_us_per_request: cpu.map(|seconds| seconds * 1e6 / args.requests as f64),
                };
                match kind {
                    Kind::Checkpoint => checkpoint = Some(figures),
                    Kind::Baseline => baseline = Some(figures),
                }
            }
            let (Some(checkpoint), Some(baseline)) = (checkpoint, baseline) else {
                anyhow::bail!("round {} did not run both configurations", round + 1);
            };
            eprintln!(
                "round {}: checkpoint {:.0}/s (p50 {:.2} ms, p99 {:.2} ms); profile read {:.0}/s (p50 {:.2} ms, p99 {:.2} ms)",
                round + 1,
                checkpoint.per_second,
                checkpoint.p50_ms,
                checkpoint.p99_ms,
                baseline.per_second,
                baseline.p50_ms,
                baseline.p99_ms
            );
            rounds.push((checkpoint, baseline));
        }
        anyhow::Ok(())
    }
    .await;
    drop(bench);
    server.stop().await;
    let audit_events = audit.size().saturating_sub(audit_before);
    audit.close().await;
    measured?;
    anyhow::ensure!(
        audit_events == requests_made,
        "the audit log grew by {audit_events} events for {requests_made} requests: some were not audited"
    );

    let figures = |pick: fn(&(RunFigures, RunFigures)) -> RunFigures| RunFigures {
        per_second: median(rounds.iter().map(|round| pick(round).per_second)),
        p50_ms: median(rounds.iter().map(|round| pick(round).p50_ms)),
        p99_ms: median(rounds.iter().map(|round| pick(round).p99_ms)),
        cpu_us_per_request: {
            let values: Option<Vec<f64>> = rounds.iter().map(|round| pick(round).cpu_us_per_request).collect();
            values.filter(|values| !values.is_empty()).map(|values| median(values.into_iter()))
        },
    };
    let checkpoint = figures(|round| round.0);
    let baseline = figures(|round| round.1);
    let p99_met = checkpoint.p99_ms < GOAL_P99_MS;
    println!(
        "checkpoint benchmark: sqlite, {} persons ({} records) in {}, {} travellers",
        counts.persons,
        counts.records,
        data_dir.display(),
        traveller_count
    );
    if let Some(seconds) = build_seconds {
        println!("  store built in {seconds:.0} s ({} people synthesised and imported)", args.people);
    }
    println!(
        "  {} requests per configuration per round after {} warm-up, concurrency {}, {} round(s), medians",
        args.requests,
        args.warmup,
        args.concurrency,
        rounds.len()
    );
    println!(
        "  checkpoint decision : {:>7.0} decisions/s  p50 {:>6.2} ms  p99 {:>6.2} ms  CPU {}/decision  (POST /v1/border/crossings: MRZ, durable append + resolution, status, stay, checks, audit)",
        checkpoint.per_second,
        checkpoint.p50_ms,
        checkpoint.p99_ms,
        micros(checkpoint.cpu_us_per_request)
    );
    println!(
        "  profile read (base) : {:>7.0} reads/s      p50 {:>6.2} ms  p99 {:>6.2} ms  CPU {}/read  (GET /v1/persons/{{id}}, audited)",
        baseline.per_second,
        baseline.p50_ms,
        baseline.p99_ms,
        micros(baseline.cpu_us_per_request)
    );
    println!(
        "  ratio               : p99 {:.2}× the profile read's; recommendations: {}",
        checkpoint.p99_ms / baseline.p99_ms.max(f64::MIN_POSITIVE),
        recommendations.iter().map(|(name, count)| format!("{name} {count}")).collect::<Vec<_>>().join(", ")
    );
    println!(
        "  goal                : p99 < {GOAL_P99_MS:.0} ms: {} ({:.2} ms)",
        if p99_met { "met" } else { "NOT met" },
        checkpoint.p99_ms
    );
    let line = json!({
        "bench": "checkpoint",
        "backend": "sqlite",
        "persons": counts.persons,
        "records": counts.records,
        "build_seconds": build_seconds.map(f64::round),
        "requests": args.requests,
        "warmup": args.warmup,
        "concurrency": args.concurrency,
        "travellers": traveller_count,
        "rounds": rounds.len(),
        "decisions_per_second": checkpoint.per_second.round(),
        "p50_ms": round3(checkpoint.p50_ms),
        "p99_ms": round3(checkpoint.p99_ms),
        "cpu_us_per_decision": checkpoint.cpu_us_per_request.map(f64::round),
        "per_round_p99_ms": rounds.iter().map(|round| round3(round.0.p99_ms)).collect::<Vec<_>>(),
        "baseline": {
            "what": "GET /v1/persons/{id}, audited",
            "reads_per_second": baseline.per_second.round(),
            "p50_ms": round3(baseline.p50_ms),
            "p99_ms": round3(baseline.p99_ms),
            "cpu_us_per_read": baseline.cpu_us_per_request.map(f64::round),
            "per_round_p99_ms": rounds.iter().map(|round| round3(round.1.p99_ms)).collect::<Vec<_>>(),
        },
        "recommendations": recommendations,
        "goals_met": { "p99_ms": p99_met },
    });
    println!("{line}");
    Ok(ExitCode::SUCCESS)
}

fn micros(value: Option<f64>) -> String {
    value.map_or_else(|| "?".to_owned(), |value| format!("{value:.0} µs"))
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// Persons whose passports the border service read by machine, with the lines it read, in an order
/// the seed fixes.
async fn travellers(store: &dyn Store, wanted: usize, seed: u64) -> anyhow::Result<Vec<Traveller>> {
    let mut persons = store.persons_with_key_prefix("doc:", SAMPLE_KEYS).await?;
    persons.sort_unstable();
    persons.dedup();
    shuffle(&mut persons, seed);
    let mut found = Vec::with_capacity(wanted);
    for person in persons {
        if found.len() >= wanted {
            break;
        }
        let records = store.person_records(person).await?;
        let profile = hospes_profile::Profile::project(person, &records);
        let mrz = profile.categories.get(&Category::Documents).and_then(|view| {
            view.current.iter().find_map(|entry| {
                let lines: Vec<String> = entry
                    .payload
                    .as_ref()?
                    .get("mrz")?
                    .as_array()?
                    .iter()
                    .filter_map(|line| line.as_str().map(str::to_owned))
                    .collect();
                (lines.len() >= 2).then_some(lines)
            })
        });
        if let Some(mrz) = mrz {
            found.push(Traveller { person, mrz });
        }
    }
    anyhow::ensure!(!found.is_empty(), "no person in the store has a machine-read passport to cross with");
    Ok(found)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Checkpoint,
    Baseline,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Checkpoint => "checkpoint",
            Kind::Baseline => "profile read",
        }
    }
}

struct Bench {
    client: reqwest::Client,
    base: String,
    headers: HeaderMap,
    travellers: Arc<Vec<Traveller>>,
}

#[derive(Default)]
struct Load {
    latencies: Vec<Duration>,
    seconds: f64,
    errors: usize,
    first_error: Option<String>,
    recommendations: std::collections::BTreeMap<String, u64>,
}

impl Load {
    fn check(&self, kind: Kind, phase: &str) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.errors == 0,
            "{} {phase}: {} of {} requests failed; the first: {}",
            kind.name(),
            self.errors,
            self.latencies.len(),
            self.first_error.as_deref().unwrap_or("(no detail)")
        );
        Ok(())
    }
}

impl Bench {
    /// `count` requests of `kind`, from position `offset` of the travellers' cycle, by `concurrency`
    /// client tasks taking the next position as they become free.
    async fn load(&self, kind: Kind, offset: usize, count: usize, concurrency: usize) -> anyhow::Result<Load> {
        let next = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut tasks = Vec::with_capacity(concurrency);
        for _ in 0..concurrency {
            let client = self.client.clone();
            let headers = self.headers.clone();
            let travellers = self.travellers.clone();
            let base = self.base.clone();
            let next = next.clone();
            tasks.push(tokio::spawn(async move {
                let mut seen = Load::default();
                loop {
                    let position = next.fetch_add(1, Ordering::Relaxed);
                    if position >= count {
                        break;
                    }
                    let Some(traveller) = travellers.get((offset + position) % travellers.len()) else { break };
                    let sent = Instant::now();
                    let outcome = request(&client, &base, &headers, kind, traveller).await;
                    seen.latencies.push(sent.elapsed());
                    match outcome {
                        Ok(Some(recommendation)) => *seen.recommendations.entry(recommendation).or_default() += 1,
                        Ok(None) => {}
                        Err(message) => {
                            seen.errors += 1;
                            seen.first_error.get_or_insert(message);
                        }
                    }
                }
                seen
            }));
        }
        let mut total = Load::default();
        for task in tasks {
            let seen = task.await.context("a client task failed")?;
            total.latencies.extend(seen.latencies);
            total.errors += seen.errors;
            if total.first_error.is_none() {
                total.first_error = seen.first_error;
            }
            for (recommendation, count) in seen.recommendations {
                *total.recommendations.entry(recommendation).or_default() += count;
            }
        }
        total.seconds = started.elapsed().as_secs_f64();
        Ok(total)
    }
}

/// One request, its body read to the end; the recommendation of a decision.
async fn request(
    client: &reqwest::Client,
    base: &str,
    headers: &HeaderMap,
    kind: Kind,
    traveller: &Traveller,
) -> Result<Option<String>, String> {
    let response = match kind {
        Kind::Checkpoint => {
            let body = json!({
                "mrz": traveller.mrz,
                "checkpoint": "BENCH-1",
                "direction": "entry",
                "crossed_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            });
            client.post(format!("{base}/v1/border/crossings")).headers(headers.clone()).json(&body).send().await
        }
        Kind::Baseline => {
            client.get(format!("{base}/v1/persons/{}", traveller.person)).headers(headers.clone()).send().await
        }
    }
    .map_err(|error| error.to_string())?;
    let status = response.status();
    let body = response.bytes().await.map_err(|error| error.to_string())?;
    if !(status == reqwest::StatusCode::OK || status == reqwest::StatusCode::CREATED) {
        let text = String::from_utf8_lossy(&body);
        return Err(format!("HTTP {status}: {}", text.chars().take(300).collect::<String>()));
    }
    if kind == Kind::Baseline {
        return Ok(None);
    }
    let answer: Value = serde_json::from_slice(&body).map_err(|error| error.to_string())?;
    Ok(answer["recommendation"].as_str().map(str::to_owned))
}
