//! The command-line interface: raw flags, parsed by clap. Every flag that names a store or an address
//! can also come from the environment (`HOSPES_…`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "hospes", version, about = "The registry of digital profiles of foreign nationals", long_about = None)]
pub struct Cli {
    /// Log filter (tracing `EnvFilter` syntax), e.g. `info` or `hospes=debug`.
    #[arg(long, global = true, env = "HOSPES_LOG")]
    pub log: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the store is: SQLite under a data directory (the default), or PostgreSQL.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Data directory of the embedded SQLite store.
    #[arg(long, env = "HOSPES_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// A PostgreSQL URL (postgres://user@host/db); takes precedence over --data-dir.
    #[arg(long, env = "HOSPES_DATABASE_URL", value_name = "URL")]
    pub database: Option<String>,
    /// The master key that wraps the data keys of special-category records (64 hex characters or
    /// base64 of 32 bytes, in a file only its owner may read). Without it, the key is taken from the
    /// HOSPES_MASTER_KEY variable, or from `master.key` in the data directory (created if missing).
    #[arg(long, env = "HOSPES_MASTER_KEY_FILE", value_name = "FILE")]
    pub master_key: Option<PathBuf>,
    /// An earlier master key, kept to unwrap the data keys it wrapped (during a rotation); repeatable.
    #[arg(long = "previous-master-key", value_name = "FILE")]
    pub previous_master_keys: Vec<PathBuf>,
    /// The match model that weighs evidence in resolution (JSON, as `hospes resolve --all` saves it).
    /// Without it: `match-model.json` in the data directory if present, else the built-in model.
    #[arg(long, env = "HOSPES_MATCH_MODEL", value_name = "FILE")]
    pub match_model: Option<PathBuf>,
}

/// The agency configuration.
#[derive(Debug, Clone, Args)]
pub struct AgencyArgs {
    /// The agencies and their categories (TOML); defaults to the shipped config/agencies.toml.
    #[arg(long, env = "HOSPES_AGENCIES", value_name = "FILE")]
    pub agencies: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an embedded store, synthesise a population, ingest it, and serve the API.
    Demo(DemoArgs),
    /// Serve the HTTP API.
    Serve(ServeArgs),
    /// Import an NDJSON file of one agency's records straight into the store.
    Import(ImportArgs),
    /// Write a synthetic population: one NDJSON file per agency and a ground-truth file.
    Synth(SynthArgs),
    /// The ledger: verify its hash chain.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Retention: destroy the records whose retention period has ended.
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// The audit log: verify it against its signed tree heads.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Resolve records into persons (those not yet resolved, or all of them again).
    Resolve(ResolveArgs),
    /// Why two records (or two persons) are, or are not, taken for one human: each field's
    /// comparison level and weight, and the total.
    ExplainMatch(ExplainMatchArgs),
    /// Agencies and their API keys.
    Agency {
        #[command(subcommand)]
        command: AgencyCommand,
    },
    /// Print a published schema.
    Schema {
        #[command(subcommand)]
        schema: SchemaCommand,
    },
    /// Permitted stay under the 90-days-in-any-180 rule, as JSON.
    Stay(StayArgs),
    /// Machine-readable zones of travel documents (ICAO 9303).
    Mrz {
        #[command(subcommand)]
        command: MrzCommand,
    },
    /// Verify a Hospes QR credential (a PNG image or the `HSP1:` text) offline, against a trust list.
    VerifyQr(VerifyQrArgs),
    /// Lost and stolen travel documents, checked at every border crossing and pre-arrival application.
    LostStolen {
        #[command(subcommand)]
        command: crate::commands::lost_stolen::LostStolenCommand,
    },
    /// Benchmarks; each ends its output with one line of JSON holding its figures and its baseline's.
    Bench {
        #[command(subcommand)]
        bench: BenchCommand,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many people to synthesise.
    #[arg(long, default_value_t = 10_000)]
    pub people: usize,
    /// Seed of the synthetic population.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, env = "HOSPES_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Data directory (a fresh temporary one by default, removed on exit).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Stop after the summary instead of serving.
    #[arg(long)]
    pub no_serve: bool,
    /// Where the shared name lists are (popular names by country).
    #[arg(long, value_name = "DIR")]
    pub names_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub agencies: AgencyArgs,
    #[command(flatten)]
    pub access: AccessArgs,
    /// Address to listen on.
    #[arg(long, env = "HOSPES_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Largest accepted batch, in bytes.
    #[arg(long, default_value_t = 64 * 1024 * 1024)]
    pub max_batch_bytes: usize,
    #[command(flatten)]
    pub retention: RetentionArgs,
    /// The status rules (TOML); defaults to the shipped config/status-rules.toml.
    #[arg(long, env = "HOSPES_STATUS_RULES", value_name = "FILE")]
    pub status_rules: Option<PathBuf>,
    /// Hours between runs of the retention job (0 turns it off).
    #[arg(long, env = "HOSPES_RETENTION_EVERY_HOURS", default_value_t = 24)]
    pub retention_every_hours: u64,
}

/// Who may read what, and the audit log.
#[derive(Debug, Clone, Args)]
pub struct AccessArgs {
    /// The token issuers' public keys (a JWKS file, e.g. saved from Keycloak's certs endpoint). Without
    /// it, no bearer token is accepted and no person data is served.
    #[arg(long, env = "HOSPES_JWKS", value_name = "FILE")]
    pub jwks: Option<PathBuf>,
    /// An accepted token issuer (`iss`); repeat for several.
    #[arg(long = "token-issuer", env = "HOSPES_TOKEN_ISSUERS", value_delimiter = ',', value_name = "URL")]
    pub token_issuers: Vec<String>,
    /// The audience (`aud`) tokens must be issued for.
    #[arg(long, env = "HOSPES_TOKEN_AUDIENCE", default_value = "hospes")]
    pub token_audience: String,
    /// A directory of Cedar policies (and `hospes.cedarschema`) to use instead of the shipped ones.
    #[arg(long, env = "HOSPES_POLICIES", value_name = "DIR")]
    pub policies: Option<PathBuf>,
    /// The audit log's Ed25519 signing key (64 hex characters); created if missing. Defaults to
    /// `audit-signing.key` in the data directory.
    #[arg(long, env = "HOSPES_AUDIT_KEY", value_name = "FILE")]
    pub audit_key: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The agency whose records these are.
    #[arg(long)]
    pub agency: String,
    /// The NDJSON file.
    pub file: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub agencies: AgencyArgs,
    /// Lines validated and appended at a time (the file as a whole is one transaction).
    #[arg(long, default_value_t = 10_000)]
    pub batch_lines: usize,
    /// Append only, leaving resolution to `hospes resolve` (or to the server at start-up).
    #[arg(long)]
    pub no_resolve: bool,
}

#[derive(Debug, Args)]
pub struct SynthArgs {
    #[arg(long)]
    pub people: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output directory (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The population's "today" (YYYY-MM-DD); today by default.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Where the shared name lists are (popular names by country).
    #[arg(long, value_name = "DIR")]
    pub names_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Recompute the hash chain and name the first broken record.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Replay every audit event against every signed tree head; name the first event that differs.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        /// The log's public key (64 hex characters) as the auditor holds it; without it, the keys
        /// recorded in the store itself are used, which an intruder could have replaced.
        #[arg(long, value_name = "FILE")]
        public_key: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Destroy every expired record now (by destroying its data key, for the encrypted special
    /// categories), record it in the audit log, and print what went as JSON. Run it while no server
    /// is running on the same store (a server runs retention on its own schedule).
    Run(RetentionRunArgs),
}

#[derive(Debug, Args)]
pub struct RetentionRunArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub retention: RetentionArgs,
    /// Compare retention periods with this instant instead of now (RFC 3339), e.g. to see what a
    /// date will destroy together with --dry-run.
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Only report what would be destroyed.
    #[arg(long)]
    pub dry_run: bool,
    /// The audit log's signing key (defaults to `audit-signing.key` in the data directory).
    #[arg(long, env = "HOSPES_AUDIT_KEY", value_name = "FILE")]
    pub audit_key: Option<PathBuf>,
}

/// The retention schedule.
#[derive(Debug, Clone, Args)]
pub struct RetentionArgs {
    /// The retention schedule (TOML); defaults to the shipped config/retention.toml.
    #[arg(long = "retention-schedule", env = "HOSPES_RETENTION_SCHEDULE", value_name = "FILE")]
    pub schedule: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// Train the match model on the whole store, forget every assignment and resolve the whole ledger
    /// again with it. Officers' decisions on identity links and splits apply again; person ids that
    /// disappear redirect to the person now holding their first record.
    #[arg(long)]
    pub all: bool,
    /// Where to save the trained model (default: `match-model.json` in the data directory, which
    /// later commands and `hospes serve` load). With PostgreSQL and no file, the model in use is
    /// kept rather than trained.
    #[arg(long, value_name = "FILE", requires = "all")]
    pub model_out: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct ExplainMatchArgs {
    /// A record id or a person id.
    pub left: String,
    /// A record id or a person id.
    pub right: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum AgencyCommand {
    /// List the configured agencies and their categories.
    List {
        #[command(flatten)]
        agencies: AgencyArgs,
    },
    /// Issue a new API key for an agency; the key is shown once.
    AddKey {
        agency: String,
        /// What the key is for (e.g. the sending system).
        #[arg(long, default_value = "")]
        label: String,
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        agencies: AgencyArgs,
    },
    /// List issued keys (ids, agencies, labels; never secrets).
    Keys {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Revoke a key by its id.
    RevokeKey {
        key_id: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// The JSON Schema of one ingest line.
    Ingest,
    /// The OpenAPI document of the HTTP API.
    Openapi,
}

#[derive(Debug, Args)]
pub struct VerifyQrArgs {
    /// A PNG image holding the QR code, or the credential's text (`HSP1:…`).
    pub credential: String,
    /// The issuers' keys (a JWKS file, e.g. saved from `/v1/credentials/trust-list`).
    #[arg(long, value_name = "FILE")]
    pub trust_list: PathBuf,
    /// A revocation list (JSON, e.g. saved from `/v1/credentials/revocations`); without it, nothing
    /// is checked for revocation, as in an offline verifier.
    #[arg(long, value_name = "FILE")]
    pub revocations: Option<PathBuf>,
    /// Accept only credentials made for this purpose: police, work or rent.
    #[arg(long)]
    pub purpose: Option<String>,
    /// The instant to verify at (RFC 3339); now by default.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
pub struct StayArgs {
    /// Stays as ENTRY..EXIT, comma-separated (an open stay: ENTRY..).
    #[arg(long, allow_hyphen_values = true)]
    pub stays: String,
    /// The control date.
    #[arg(long)]
    pub on: String,
    /// A planned entry date: how long could the person stay from then?
    #[arg(long)]
    pub planned_entry: Option<String>,
    /// The rule's window in days.
    #[arg(long)]
    pub window: Option<String>,
    /// The rule's maximum days within the window.
    #[arg(long)]
    pub max: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum MrzCommand {
    /// Parse an MRZ (two or three lines) and print every field and check digit as JSON.
    Parse {
        #[arg(required = true, num_args = 2..=3)]
        lines: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Records/s and peak memory of the full ingest path, beside a bare insert baseline.
    Ingest(BenchIngestArgs),
    /// Profile lookups/s, p50 and p99 over loopback HTTP with access control and audit on, beside the
    /// same lookups with both off.
    Lookup(BenchLookupArgs),
    /// Persons/s of a full status recompute beside the bare reads, and p50/p99 of one person's update.
    Status(BenchStatusArgs),
    /// QR credential verifications/s beside bare Ed25519 verifications of the same bytes; QR images/s.
    Verify(BenchVerifyArgs),
    /// Precision, recall, F1, time and peak memory of probabilistic matching on FEBRL or person-schema
    /// CSV files, or on the synthetic population, against ground truth.
    Resolve(crate::commands::bench_resolve::BenchResolveArgs),
    /// Border checkpoint decisions (POST /v1/border/crossings) p50/p99 and decisions/s on a store of
    /// N persons, beside profile reads of the same persons.
    Checkpoint(crate::commands::bench_checkpoint::BenchCheckpointArgs),
    /// Face verification on labelled pair lists: EER, errors at the calibrated threshold, and
    /// detection + alignment + embedding time per image beside the embedding alone.
    Face(crate::commands::bench_face::BenchFaceArgs),
    /// 1:N search over synthetic face templates: HNSW beside exact search (recall@1, p50/p99,
    /// build time, memory).
    Identify(crate::commands::bench_face::BenchIdentifyArgs),
    /// Fingerprint EER and FNMR on FVC-style images beside NIST's Bozorth3 on the same minutiae;
    /// 1:N search time with the filtering index beside brute force.
    Fingerprint(crate::commands::bench_fingerprint::BenchFingerprintArgs),
}

#[derive(Debug, Args)]
pub struct BenchVerifyArgs {
    /// Verifications per configuration per round.
    #[arg(long, default_value_t = 20_000)]
    pub verifications: usize,
    /// Rounds to take the median of.
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    /// QR PNG images to encode.
    #[arg(long, default_value_t = 200)]
    pub qr_images: usize,
}

#[derive(Debug, Args)]
pub struct BenchStatusArgs {
    /// How many people to synthesise and import.
    #[arg(long, default_value_t = 100_000)]
    pub people: usize,
    /// Seed of the synthetic population.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Full recomputes (with their baselines) to take the median of.
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    /// Persons whose single update is timed.
    #[arg(long, default_value_t = 5_000)]
    pub incremental: usize,
}

#[derive(Debug, Args)]
pub struct BenchIngestArgs {
    #[arg(long, default_value_t = 100_000)]
    pub people: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A PostgreSQL server URL; a fresh database is created on it for the run and dropped after.
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// Lines per batch.
    #[arg(long, default_value_t = 10_000)]
    pub batch_lines: usize,
    /// Where the shared name lists are (popular names by country).
    #[arg(long, value_name = "DIR")]
    pub names_dir: Option<PathBuf>,
    /// Ingest the agency files of an existing population directory instead of synthesising one.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["people", "seed"])]
    pub from: Option<PathBuf>,
    /// Repeat the ingest and the baseline this many times, each on a fresh store, and report medians
    /// (these machines are shared and noisy).
    #[arg(long, default_value_t = 1)]
    pub rounds: usize,
}

#[derive(Debug, Args)]
pub struct BenchLookupArgs {
    /// How many people to synthesise and import before the lookups.
    #[arg(long, default_value_t = 10_000)]
    pub people: usize,
    /// Seed of the synthetic population (and of the order of the lookups).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A PostgreSQL server URL; a fresh database is created on it for the run and dropped after.
    /// Without it, the store is SQLite in a temporary directory.
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// Measured lookups per configuration per round.
    #[arg(long, default_value_t = 20_000)]
    pub requests: usize,
    /// Unmeasured lookups before each measured run.
    #[arg(long, default_value_t = 1_000)]
    pub warmup: usize,
    /// Unmeasured, unaudited lookups before the first round, to fill the store's caches.
    #[arg(long, default_value_t = 50_000)]
    pub store_warmup: usize,
    /// Concurrent clients (each with its own keep-alive HTTP/1.1 connection).
    #[arg(long, default_value_t = 32)]
    pub concurrency: usize,
    /// Repeat both configurations this many times, alternating which goes first, and report medians
    /// (these machines are shared and noisy).
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    /// Where the shared name lists are (popular names by country).
    #[arg(long, value_name = "DIR")]
    pub names_dir: Option<PathBuf>,
}
