//! `hospes bench lookup`: what access control and audit cost on the read an officer makes most, the
//! profile lookup `GET /v1/persons/{person_id}`.
//!
//! The bench synthesises a population, imports and resolves it into a fresh store (SQLite in a
//! temporary directory, or a scratch PostgreSQL database), and starts two servers in this process on
//! loopback ports, sharing that store:
//!
//! - **enforced**, as Hospes runs: every lookup carries a border officer's bearer token (signed by a
//!   throw-away [`TestIssuer`]) and `Hospes-Purpose: border-check`; the server verifies the token,
//!   asks the shipped Cedar policies which categories the officer may see, projects the profile, and
//!   makes the audit event durable before it answers;
//! - **baseline**, the same server in [`AccessMode::UnprotectedLoopbackOnly`]: no token, no purpose,
//!   no policy, no audit, everything else (HTTP, routing, the store reads, the profile projection, the
//!   JSON) identical. The difference between the two is what policy and audit cost, and nothing else;
//!   the baseline is not a configuration anyone may run, and `hospes serve` never offers it. One
//!   asymmetry remains, and it flatters the enforced side: the baseline is granted every category, so
//!   it projects and serialises the whole profile, while the border officer's profile leaves out the
//!   categories the policies withhold for `border-check`.
//!
//! Before the first round, `--store-warmup` unaudited lookups fill the store's caches (each SQLite
//! reader connection has its own page cache, and filling them would otherwise be charged to whichever
//! configuration runs first). Each round then runs both configurations over the same pseudo-random
//! sequence of person ids (a sample of the store's persons, shuffled with the seed), with
//! `--concurrency` client tasks sharing one keep-alive HTTP/1.1 client, each run after an unmeasured
//! `--warmup`; which configuration goes first alternates between rounds. Throughput is the run's
//! requests over its wall time; p50 and p99 are over every request's latency in the run; the CPU time
//! of the process per lookup shows where a difference comes from (work, or waiting); the report gives
//! medians over rounds. Any answer but 200 fails the bench, and so does an audit log whose size
//! differs from the number of enforced lookups made (the check that no read escaped the audit under
//! load).
//!
//! The client, both servers and the store share this process and its cores, so the figures are a
//! floor for a server with the machine to itself; they compare the two configurations fairly because
//! both pay the same client cost.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use hospes_ingest::BatchLimits;
use hospes_model::{AgencyRegistry, PersonId};
use hospes_policy::test_issuer::TestIssuer;
use hospes_policy::{Authoriser, PURPOSE_HEADER, Principal, Purpose, Role};
use hospes_server::AppState;
use hospes_server::access::{AccessControl, AccessMode};
use hospes_store::scratch::{create_scratch_database, drop_scratch_database};
use hospes_store::{PostgresStore, SqliteStore, Store, StoreLocation};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use serde_json::json;
use tokio::sync::oneshot;

use super::bench::{agency_files, median};
use super::bench_vault;
use super::import::{Resolution, import_file};
use crate::cli::BenchLookupArgs;

/// The goals of the issue, for the enforced configuration.
const GOAL_REQUESTS_PER_SECOND: f64 = 5_000.0;
const GOAL_P99_MS: f64 = 20.0;
/// The most throughput policy and audit may cost, as a share of the baseline's.
const GOAL_COST: f64 = 0.30;

/// How many persons to look up, at most (cycled through in a shuffled order).
const SAMPLE_PERSONS: i64 = 4_096;

pub async fn run(args: BenchLookupArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.requests > 0, "--requests must be at least 1");
    anyhow::ensure!(args.concurrency > 0, "--concurrency must be at least 1");
    let scratch = tempfile::tempdir().context("cannot create a temporary directory")?;
    let (location, store, postgres_url): (StoreLocation, Arc<dyn Store>, Option<String>) = match &args.database {
        Some(server) => {
            let url = create_scratch_database(server, "hospes_bench_lookup")
                .await
                .context("cannot create a bench database")?;
            match PostgresStore::connect(&url).await {
                Ok(store) => (
                    StoreLocation::Postgres { url: url.clone() },
                    Arc::new(store.with_vault(Some(bench_vault()?))),
                    Some(url),
                ),
                Err(error) => {
                    drop_scratch_database(server, &url).await?;
                    return Err(error).context("cannot open the bench database");
                }
            }
        }
        None => {
            let data_dir = scratch.path().join("store");
            let store = SqliteStore::open(&data_dir)
                .await
                .context("cannot open the bench store")?
                .with_vault(Some(bench_vault()?));
            (StoreLocation::Sqlite { data_dir }, Arc::new(store), None)
        }
    };
    let outcome = bench(&args, scratch.path(), &location, store).await;
    if let (Some(server), Some(url)) = (&args.database, &postgres_url) {
        drop_scratch_database(server, url).await.context("cannot drop the bench database")?;
    }
    outcome
}

/// The figures of one measured run.
#[derive(Debug, Clone, Copy)]
struct RunFigures {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// CPU time of this whole process (client, both servers, store) per lookup, in microseconds.
    cpu_us_per_request: Option<f64>,
    /// CPU time over wall time, in cores: below the machine's cores, the run waited on something.
    cores_busy: Option<f64>,
}

/// One round: both configurations.
struct Round {
    enforced: RunFigures,
    baseline: RunFigures,
}

async fn bench(
    args: &BenchLookupArgs,
    scratch: &std::path::Path,
    location: &StoreLocation,
    store: Arc<dyn Store>,
) -> anyhow::Result<ExitCode> {
    let backend = if args.database.is_some() { "postgres" } else { "sqlite" };
    let registry = AgencyRegistry::default_registry()?;

    // The population, imported and resolved.
    let population_dir = scratch.join("population");
    eprintln!("synthesising {} people (seed {}) …", args.people, args.seed);
    super::synth::write(args.people, args.seed, None, args.names_dir.clone(), &population_dir)?;
    let files = agency_files(&population_dir)?;
    let records: usize = files.iter().map(|(_, _, lines)| lines).sum();
    eprintln!("importing {records} records from {} agency files into {backend} …", files.len());
    let importer = super::default_resolver(store.clone())?;
    for (agency_id, path, _) in &files {
        let agency = registry.get(agency_id).with_context(|| format!("agency {agency_id} is not configured"))?.clone();
        import_file(store.clone(), agency, path, 10_000, Resolution::WithTheImport, &*importer, |_| {})
            .await
            .with_context(|| format!("importing {}", path.display()))?;
    }
    let persons = store.counts().await?.persons;

    // The persons to look up, in a shuffled order that the seed fixes.
    let mut sample = store.persons_with_key_prefix("doc:", SAMPLE_PERSONS).await?;
    anyhow::ensure!(!sample.is_empty(), "the store has no person with a document to look up");
    shuffle(&mut sample, args.seed);

    // Access control as Hospes runs it, and the unprotected baseline. The baseline shares the audit
    // log's handles only because the type asks for them: in its mode nothing is audited, so every
    // event in the log is an enforced lookup's.
    let issuer = TestIssuer::generate();
    let enforced_access = Arc::new(
        AccessControl::open(
            location,
            AccessMode::Enforced,
            Some(issuer.verifier()),
            Authoriser::default_policies()?,
            hospes_transparency::generate_signing_key(),
        )
        .await
        .with_context(|| format!("cannot open the audit log ({})", location.describe()))?,
    );
    let baseline_access = Arc::new(AccessControl {
        mode: AccessMode::UnprotectedLoopbackOnly,
        tokens: None,
        authoriser: Authoriser::default_policies()?,
        audit: enforced_access.audit.clone(),
        audit_store: enforced_access.audit_store.clone(),
    });
    let audit = enforced_access.audit.clone();
    let audit_before = audit.size();
    let registry = Arc::new(registry);
    let status_rules = Arc::new(super::status_rules(None)?);
    let credentials =
        Arc::new(hospes_server::credentials::CredentialService::new(hospes_transparency::generate_signing_key()));
    let resolver = super::default_resolver(store.clone())?;
    let state = |access: Arc<AccessControl>| AppState {
        store: store.clone(),
        registry: registry.clone(),
        resolver: resolver.clone(),
        limits: BatchLimits::default(),
        access,
        status_rules: status_rules.clone(),
        credentials: credentials.clone(),
    };
    let enforced_server = Server::start(state(enforced_access.clone())).await?;
    let baseline_server = Server::start(state(baseline_access)).await?;

    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    let officer = Principal {
        subject: "officer-bench".into(),
        organisation: "Border Service, benchmark checkpoint".into(),
        roles: [Role::BorderOfficer].into_iter().collect(),
        region: Some("bench".into()),
        person_id: None,
    };
    let token = issuer.token_for(&officer, now, now + 12 * 3600);
    let mut enforced_headers = HeaderMap::new();
    enforced_headers.insert(AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {token}"))?);
    enforced_headers.insert(
        HeaderName::from_bytes(PURPOSE_HEADER.as_bytes())?,
        HeaderValue::from_static(Purpose::BorderCheck.as_str()),
    );
    let enforced = Target::new("enforced", &enforced_server.base, &sample, enforced_headers);
    let baseline = Target::new("baseline", &baseline_server.base, &sample, HeaderMap::new());

    let client = reqwest::Client::builder()
        .http1_only()
        .no_proxy()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(args.concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .context("cannot build the HTTP client")?;

    // The readers' page caches fill as lookups touch the store: on SQLite, each of the pool's
    // connections keeps its own, and while they fill a lookup costs up to half again as much CPU.
    // Measure from the steady state, warming through the baseline so that no audit event is written.
    if args.store_warmup > 0 {
        eprintln!("warming the store's caches with {} lookups …", args.store_warmup);
        let warm = load(&client, &baseline, 0, args.store_warmup, args.concurrency).await?;
        warm.check(&baseline, "store warm-up")?;
    }

    let rounds_wanted = args.rounds.max(1);
    let mut rounds = Vec::with_capacity(rounds_wanted);
    let mut enforced_lookups: u64 = 0;
    let per_run = args.warmup + args.requests;
    let measured = async {
        for round in 0..rounds_wanted {
            // Both configurations look up the same persons in the same order within a round.
            let offset = round * per_run;
            let order = if round % 2 == 0 { [&baseline, &enforced] } else { [&enforced, &baseline] };
            let mut enforced_figures = None;
            let mut baseline_figures = None;
            for target in order {
                let audit_at_start = audit.size();
                let figures = measure(&client, target, offset, args).await?;
                if target.name == "enforced" {
                    enforced_lookups += per_run as u64;
                    let written = audit.size().saturating_sub(audit_at_start);
                    anyhow::ensure!(
                        written == per_run as u64,
                        "round {}: {per_run} enforced lookups wrote {written} audit events",
                        round + 1
                    );
                    enforced_figures = Some(figures);
                } else {
                    anyhow::ensure!(
                        audit.size() == audit_at_start,
                        "round {}: the unprotected baseline wrote audit events",
                        round + 1
                    );
                    baseline_figures = Some(figures);
                }
            }
            let (Some(enforced), Some(baseline)) = (enforced_figures, baseline_figures) else {
                anyhow::bail!("round {} did not run both configurations", round + 1);
            };
            eprintln!(
                "round {}: enforced {:.0}/s (p50 {:.2} ms, p99 {:.2} ms, CPU {}/lookup, {} cores busy); baseline {:.0}/s (p50 {:.2} ms, p99 {:.2} ms, CPU {}/lookup, {} cores busy){}",
                round + 1,
                enforced.requests_per_second,
                enforced.p50_ms,
                enforced.p99_ms,
                microseconds(enforced.cpu_us_per_request),
                cores_text(enforced.cores_busy),
                baseline.requests_per_second,
                baseline.p50_ms,
                baseline.p99_ms,
                microseconds(baseline.cpu_us_per_request),
                cores_text(baseline.cores_busy),
                if round % 2 == 0 { "; baseline ran first" } else { "; enforced ran first" },
            );
            rounds.push(Round { enforced, baseline });
        }
        anyhow::Ok(())
    }
    .await;

    drop(client);
    enforced_server.stop().await;
    baseline_server.stop().await;
    let audit_events = audit.size().saturating_sub(audit_before);
    audit.close().await;
    measured?;

    anyhow::ensure!(
        audit_events == enforced_lookups,
        "the audit log holds {audit_events} events for {enforced_lookups} enforced lookups: some reads were not audited"
    );

    let figures = |pick: fn(&Round) -> RunFigures| RunFigures {
        requests_per_second: median(rounds.iter().map(|round| pick(round).requests_per_second)),
        p50_ms: median(rounds.iter().map(|round| pick(round).p50_ms)),
        p99_ms: median(rounds.iter().map(|round| pick(round).p99_ms)),
        cpu_us_per_request: median_of(rounds.iter().map(|round| pick(round).cpu_us_per_request)),
        cores_busy: median_of(rounds.iter().map(|round| pick(round).cores_busy)),
    };
    let enforced = figures(|round| round.enforced);
    let baseline = figures(|round| round.baseline);
    // The ratio of each round's pair (run back to back), then the median: steadier than a ratio of
    // medians on a noisy machine.
    let ratio =
        median(rounds.iter().map(|round| round.enforced.requests_per_second / round.baseline.requests_per_second));
    let cost = 1.0 - ratio;
    let rate_met = enforced.requests_per_second >= GOAL_REQUESTS_PER_SECOND;
    let p99_met = enforced.p99_ms < GOAL_P99_MS;
    let cost_met = cost <= GOAL_COST;
    let verdict = |met: bool| if met { "met" } else { "NOT met" };

    println!(
        "lookup benchmark: {backend}, {} people ({persons} persons, {} looked up), GET /v1/persons/{{id}}",
        args.people,
        sample.len()
    );
    println!(
        "  {} lookups per configuration per round after {} warm-up ({} to warm the store first), concurrency {}, {} round(s), medians",
        args.requests,
        args.warmup,
        args.store_warmup,
        args.concurrency,
        rounds.len()
    );
    println!(
        "  policy + audit on  : {:>7.0} lookups/s  p50 {:>6.2} ms  p99 {:>6.2} ms  (token, purpose, Cedar, profile, durable audit event)",
        enforced.requests_per_second, enforced.p50_ms, enforced.p99_ms
    );
    println!(
        "  both off (baseline): {:>7.0} lookups/s  p50 {:>6.2} ms  p99 {:>6.2} ms  (the same lookup, unprotected, loopback only)",
        baseline.requests_per_second, baseline.p50_ms, baseline.p99_ms
    );
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!(
        "  CPU per lookup     : {} enforced, {} baseline (client, servers and store together; {} and {} of {cores} cores busy)",
        microseconds(enforced.cpu_us_per_request),
        microseconds(baseline.cpu_us_per_request),
        cores_text(enforced.cores_busy),
        cores_text(baseline.cores_busy),
    );
    println!(
        "  ratio              : {ratio:>7.3} of the baseline; policy + audit cost: {:.1}% of throughput",
        cost * 100.0
    );
    println!(
        "  audit events       : {audit_events} written for {enforced_lookups} enforced lookups (warm-ups included): complete"
    );
    println!(
        "  goals              : ≥ {GOAL_REQUESTS_PER_SECOND:.0} lookups/s: {} ({:.0}); p99 < {GOAL_P99_MS:.0} ms: {} ({:.2} ms); cost ≤ {:.0}%: {} ({:.1}%)",
        verdict(rate_met),
        enforced.requests_per_second,
        verdict(p99_met),
        enforced.p99_ms,
        GOAL_COST * 100.0,
        verdict(cost_met),
        cost * 100.0
    );
    let line = json!({
        "bench": "lookup",
        "backend": backend,
        "people": args.people,
        "requests": args.requests,
        "warmup": args.warmup,
        "store_warmup": args.store_warmup,
        "concurrency": args.concurrency,
        "rounds": rounds.len(),
        "requests_per_second": enforced.requests_per_second.round(),
        "p50_ms": round3(enforced.p50_ms),
        "p99_ms": round3(enforced.p99_ms),
        "cpu_us_per_request": enforced.cpu_us_per_request.map(f64::round),
        "cores_busy": enforced.cores_busy.map(round3),
        "per_round_requests_per_second": rounds.iter().map(|round| round.enforced.requests_per_second.round()).collect::<Vec<_>>(),
        "baseline": {
            "requests_per_second": baseline.requests_per_second.round(),
            "p50_ms": round3(baseline.p50_ms),
            "p99_ms": round3(baseline.p99_ms),
            "cpu_us_per_request": baseline.cpu_us_per_request.map(f64::round),
            "cores_busy": baseline.cores_busy.map(round3),
            "per_round_requests_per_second": rounds.iter().map(|round| round.baseline.requests_per_second.round()).collect::<Vec<_>>(),
        },
        "ratio_to_baseline": round3(ratio),
        "audit_events": audit_events,
        "goals_met": { "requests_per_second": rate_met, "p99_ms": p99_met, "cost": cost_met },
    });
    println!("{line}");
    Ok(ExitCode::SUCCESS)
}

fn microseconds(value: Option<f64>) -> String {
    value.map_or_else(|| "?".to_owned(), |value| format!("{value:.0} µs"))
}

fn cores_text(value: Option<f64>) -> String {
    value.map_or_else(|| "?".to_owned(), |value| format!("{value:.2}"))
}

/// One server of the bench, on a loopback port.
pub(super) struct Server {
    pub(super) base: String,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    pub(super) async fn start(state: AppState) -> anyhow::Result<Server> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.context("cannot listen on 127.0.0.1")?;
        let base = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(hospes_server::serve(listener, state, async move {
            let _ = stopped.await;
        }));
        Ok(Server { base, stop, task })
    }

    /// Stops the server, giving its connections a moment to close.
    pub(super) async fn stop(self) {
        let _ = self.stop.send(());
        match tokio::time::timeout(Duration::from_secs(10), self.task).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(error))) => tracing::warn!(%error, "a bench server stopped with an error"),
            Ok(Err(error)) => tracing::warn!(%error, "a bench server task failed"),
            Err(_) => tracing::warn!("a bench server did not stop within 10 s"),
        }
    }
}

/// A configuration under load: its lookup URLs, in order, and the headers every lookup carries.
struct Target {
    name: &'static str,
    urls: Arc<Vec<String>>,
    headers: HeaderMap,
}

impl Target {
    fn new(name: &'static str, base: &str, persons: &[PersonId], headers: HeaderMap) -> Target {
        let urls = persons.iter().map(|person| format!("{base}/v1/persons/{person}")).collect();
        Target { name, urls: Arc::new(urls), headers }
    }
}

/// A warm-up, then a measured run, of one configuration.
async fn measure(
    client: &reqwest::Client,
    target: &Target,
    offset: usize,
    args: &BenchLookupArgs,
) -> anyhow::Result<RunFigures> {
    if args.warmup > 0 {
        let warmup = load(client, target, offset, args.warmup, args.concurrency).await?;
        warmup.check(target, "warm-up")?;
    }
    tracing::debug!(configuration = target.name, "measured run starts");
    let cpu_before = process_cpu_seconds();
    let run = load(client, target, offset + args.warmup, args.requests, args.concurrency).await?;
    tracing::debug!(configuration = target.name, "measured run ends");
    let cpu_seconds = cpu_before.zip(process_cpu_seconds()).map(|(before, after)| after - before);
    run.check(target, "measured run")?;
    let mut latencies = run.latencies;
    latencies.sort_unstable();
    Ok(RunFigures {
        requests_per_second: args.requests as f64 / run.seconds,
        p50_ms: percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
        p99_ms: percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        cpu_us_per_request: cpu_seconds.map(|seconds| seconds * 1e6 / args.requests as f64),
        cores_busy: cpu_seconds.map(|seconds| seconds / run.seconds),
    })
}

/// What one load run saw.
#[derive(Default)]
struct Load {
    latencies: Vec<Duration>,
    seconds: f64,
    errors: usize,
    first_error: Option<String>,
}

impl Load {
    fn check(&self, target: &Target, phase: &str) -> anyhow::Result<()> {
        if self.errors > 0 {
            anyhow::bail!(
                "{} {phase}: {} of {} lookups failed; the first: {}",
                target.name,
                self.errors,
                self.latencies.len(),
                self.first_error.as_deref().unwrap_or("(no detail)")
            );
        }
        Ok(())
    }

    fn absorb(&mut self, other: Load) {
        self.latencies.extend(other.latencies);
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

/// `count` lookups of `target`, starting at position `offset` of its URL cycle, by `concurrency`
/// client tasks taking the next position as they become free.
async fn load(
    client: &reqwest::Client,
    target: &Target,
    offset: usize,
    count: usize,
    concurrency: usize,
) -> anyhow::Result<Load> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let client = client.clone();
        let urls = target.urls.clone();
        let headers = target.headers.clone();
        let next = next.clone();
        tasks.push(tokio::spawn(async move {
            let mut seen = Load { latencies: Vec::with_capacity(count / concurrency + 1), ..Load::default() };
            loop {
                let position = next.fetch_add(1, Ordering::Relaxed);
                if position >= count {
                    break;
                }
                let Some(url) = urls.get((offset + position) % urls.len()) else { break };
                let sent = Instant::now();
                let outcome = lookup(&client, url, &headers).await;
                seen.latencies.push(sent.elapsed());
                if let Err(message) = outcome {
                    seen.errors += 1;
                    seen.first_error.get_or_insert(message);
                }
            }
            seen
        }));
    }
    let mut total = Load::default();
    for task in tasks {
        total.absorb(task.await.context("a client task failed")?);
    }
    total.seconds = started.elapsed().as_secs_f64();
    Ok(total)
}

/// One lookup, its body read to the end; anything but a 200 is an error.
async fn lookup(client: &reqwest::Client, url: &str, headers: &HeaderMap) -> Result<(), String> {
    let response = client.get(url).headers(headers.clone()).send().await.map_err(|error| error.to_string())?;
    let status = response.status();
    let body = response.bytes().await.map_err(|error| error.to_string())?;
    if status == reqwest::StatusCode::OK {
        Ok(())
    } else {
        let text = String::from_utf8_lossy(&body);
        Err(format!("HTTP {status}: {}", text.chars().take(300).collect::<String>()))
    }
}

/// User and system CPU time of this process so far (every thread), from `/proc/self/stat` (Linux).
pub(super) fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which may hold spaces) start with the state, field 3;
    // utime and stime are fields 14 and 15, in clock ticks of 1/100 s on Linux.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// Fisher–Yates with SplitMix64 steps: the same seed, the same order.
pub(super) fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed ^ 0x6C6F_6F6B_7570_0000;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut mixed = state;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^ (mixed >> 31)
    };
    for index in (1..items.len()).rev() {
        let other = (next() % (index as u64 + 1)) as usize;
        items.swap(index, other);
    }
}

/// The nearest-rank percentile of sorted latencies.
pub(super) fn percentile(sorted: &[Duration], quantile: f64) -> Duration {
    let rank = (quantile * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.saturating_sub(1).min(sorted.len().saturating_sub(1))).copied().unwrap_or_default()
}

/// The median of the values, if every one is known.
fn median_of(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let values: Option<Vec<f64>> = values.collect();
    values.filter(|values| !values.is_empty()).map(|values| median(values.into_iter()))
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffle_is_a_permutation_fixed_by_the_seed() {
        let mut first: Vec<u32> = (0..100).collect();
        let mut second = first.clone();
        shuffle(&mut first, 7);
        shuffle(&mut second, 7);
        assert_eq!(first, second);
        assert_ne!(first, (0..100).collect::<Vec<_>>());
        let mut sorted = first.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&sorted, 0.50), Duration::from_millis(50));
        assert_eq!(percentile(&sorted, 0.99), Duration::from_millis(99));
        assert_eq!(percentile(&[], 0.99), Duration::ZERO);
        assert_eq!(median([3.0, 1.0, 2.0].into_iter()), 2.0);
        assert_eq!(median([4.0, 1.0, 2.0, 3.0].into_iter()), 2.5);
    }
}
