//! One module per command; `run` dispatches.

mod agency;
mod bench;
pub(crate) mod bench_checkpoint;
pub(crate) mod bench_face;
pub(crate) mod bench_fingerprint;
mod bench_lookup;
pub(crate) mod bench_resolve;
mod bench_status;
mod bench_verify;
mod demo;
pub mod import;
mod ledger;
pub(crate) mod lost_stolen;
mod resolve;
mod retention;
mod serve;
mod synth;
mod tools;
mod verify_qr;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use hospes_audit::load_or_create_signing_key;
use hospes_model::AgencyRegistry;
use hospes_policy::{Authoriser, TokenVerifier, TokenVerifierConfig};
use hospes_server::access::{AccessControl, AccessMode};
use hospes_store::{Store, StoreLocation, open_store_with_vault};
use hospes_vault::{LocalMasterKey, MasterKeyRing, RecordVault};
use tracing_subscriber::EnvFilter;

use crate::cli::{AccessArgs, AgencyArgs, Cli, Command, RetentionArgs, StoreArgs};

/// Logs go to standard error, so standard output stays clean for JSON and summaries.
pub fn init_logging(cli: &Cli) {
    let default = match cli.command {
        Command::Serve(_) | Command::Demo(_) => "info",
        _ => "warn",
    };
    let filter = cli
        .log
        .as_deref()
        .map(EnvFilter::new)
        .unwrap_or_else(|| EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new(default)));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Demo(args) => demo::run(args).await,
        Command::Serve(args) => serve::run(args).await,
        Command::Import(args) => ledger::import(args).await,
        Command::Synth(args) => synth::run(args),
        Command::Ledger { command } => ledger::run(command).await,
        Command::Audit { command } => ledger::audit(command).await,
        Command::Retention { command } => retention::run(command).await,
        Command::Resolve(args) => resolve::resolve(args).await,
        Command::ExplainMatch(args) => resolve::explain_match(args).await,
        Command::Agency { command } => agency::run(command).await,
        Command::Schema { schema } => tools::schema(schema),
        Command::Stay(args) => tools::stay(args),
        Command::Mrz { command } => tools::mrz(command),
        Command::VerifyQr(args) => verify_qr::run(args),
        Command::LostStolen { command } => lost_stolen::run(command).await,
        Command::Bench { bench } => bench::run(bench).await,
    }
}

/// Opens the store the flags name, with its master key.
pub async fn open(args: &StoreArgs) -> anyhow::Result<(StoreLocation, Arc<dyn Store>)> {
    let location = StoreLocation::from_options(args.data_dir.clone(), args.database.clone())?;
    let vault = Arc::new(record_vault(args, &location)?);
    let store = open_store_with_vault(&location, Some(vault))
        .await
        .with_context(|| format!("cannot open the store ({})", location.describe()))?;
    Ok((location, store))
}

/// The probabilistic resolver over `store`, with the model `--match-model` names, or the one saved in
/// the data directory, or the built-in one.
pub fn resolver(
    args: &StoreArgs,
    location: &StoreLocation,
    store: Arc<dyn Store>,
) -> anyhow::Result<Arc<hospes_resolve::MatchingResolver>> {
    let model = match &args.match_model {
        Some(path) => hospes_resolve::probabilistic::load_model(path)?,
        None => {
            let data_dir = match location {
                StoreLocation::Sqlite { data_dir } => Some(data_dir.as_path()),
                StoreLocation::Postgres { .. } => None,
            };
            hospes_resolve::probabilistic::model_for_data_dir(data_dir)?
        }
    };
    Ok(Arc::new(hospes_resolve::MatchingResolver::new(store, model, hospes_resolve::matching::MatchConfig::default())))
}

/// The probabilistic resolver with the built-in model, for benchmark stores.
pub fn default_resolver(store: Arc<dyn Store>) -> anyhow::Result<Arc<hospes_resolve::MatchingResolver>> {
    Ok(Arc::new(hospes_resolve::MatchingResolver::new(
        store,
        hospes_resolve::probabilistic::default_model()?,
        hospes_resolve::matching::MatchConfig::default(),
    )))
}

/// A vault under a fresh master key, for benchmark stores that live for one run.
pub fn bench_vault() -> anyhow::Result<Arc<RecordVault>> {
    Ok(Arc::new(RecordVault::new(MasterKeyRing::new(LocalMasterKey::generate()?))))
}

/// The directory for the keys of a store: its data directory, or `./hospes-data` for PostgreSQL.
fn key_directory(location: &StoreLocation) -> PathBuf {
    match location {
        StoreLocation::Sqlite { data_dir } => data_dir.clone(),
        StoreLocation::Postgres { .. } => PathBuf::from(StoreLocation::DEFAULT_DATA_DIR),
    }
}

/// The master key ring: `--master-key FILE`, else `HOSPES_MASTER_KEY`, else `master.key` beside the
/// store (created on first use), plus any `--previous-master-key` files.
pub fn record_vault(args: &StoreArgs, location: &StoreLocation) -> anyhow::Result<RecordVault> {
    let current = match (&args.master_key, std::env::var_os(LocalMasterKey::DEFAULT_ENV_VAR)) {
        (Some(path), _) => LocalMasterKey::from_file(path)?,
        (None, Some(_)) => LocalMasterKey::from_default_env()?,
        (None, None) => {
            let path = key_directory(location).join("master.key");
            if path.exists() {
                LocalMasterKey::from_file(&path)?
            } else {
                std::fs::create_dir_all(key_directory(location))
                    .with_context(|| format!("cannot create {}", key_directory(location).display()))?;
                let key = LocalMasterKey::generate_file(&path)?;
                tracing::warn!(
                    path = %path.display(),
                    "created a new master key; keep a copy apart from the database: without it the \
                     special-category records cannot be read"
                );
                key
            }
        }
    };
    let mut ring = MasterKeyRing::new(current);
    for path in &args.previous_master_keys {
        ring.add_previous(LocalMasterKey::from_file(path)?)?;
    }
    Ok(RecordVault::new(ring))
}

/// Loads the agency configuration the flags name, or the shipped one.
pub fn agencies(args: &AgencyArgs) -> anyhow::Result<AgencyRegistry> {
    match &args.agencies {
        Some(path) => load_agencies(path),
        None => Ok(AgencyRegistry::default_registry()?),
    }
}

fn load_agencies(path: &Path) -> anyhow::Result<AgencyRegistry> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    AgencyRegistry::from_toml(&text).with_context(|| format!("in {}", path.display()))
}

/// The signing key file of the audit log: the flag's, or `audit-signing.key` in the data directory
/// (for PostgreSQL, in `./hospes-data`).
fn audit_key_path(args: &AccessArgs, location: &StoreLocation) -> PathBuf {
    default_audit_key_path(args.audit_key.as_ref(), location)
}

fn default_audit_key_path(flag: Option<&PathBuf>, location: &StoreLocation) -> PathBuf {
    flag.cloned().unwrap_or_else(|| key_directory(location).join("audit-signing.key"))
}

/// The credential issuer: its Ed25519 key is `credential-signing.key` beside the audit log's signing
/// key (created on first use), so one directory holds every key an operator must back up.
pub fn credential_service(
    args: &AccessArgs,
    location: &StoreLocation,
) -> anyhow::Result<hospes_server::credentials::CredentialService> {
    let audit_key = audit_key_path(args, location);
    let path = audit_key.parent().unwrap_or_else(|| Path::new(".")).join("credential-signing.key");
    let key = hospes_server::credentials::load_or_create_credential_key(&path)?;
    Ok(hospes_server::credentials::CredentialService::new(key))
}

/// The status rules file the flag names, or the shipped one; a bad file is refused with its line.
pub fn status_rules(path: Option<&Path>) -> anyhow::Result<hospes_rules::status::StatusRules> {
    Ok(match path {
        Some(path) => hospes_rules::status::StatusRules::from_file(path)?,
        None => hospes_rules::status::StatusRules::shipped_default()?,
    })
}

/// The retention schedule the flags name, or the shipped one.
pub fn retention_policy(args: &RetentionArgs) -> anyhow::Result<hospes_vault::RetentionPolicy> {
    Ok(match &args.schedule {
        Some(path) => hospes_vault::RetentionPolicy::from_file(path)?,
        None => hospes_vault::RetentionPolicy::shipped_default()?,
    })
}

/// Access control as the flags configure it: token verification, the Cedar policies, and the audit
/// log (opened, its tree rebuilt, its writer started).
pub async fn access_control(
    args: &AccessArgs,
    location: &StoreLocation,
    tokens: Option<TokenVerifier>,
) -> anyhow::Result<AccessControl> {
    let tokens = match (tokens, &args.jwks) {
        (Some(tokens), _) => Some(tokens),
        (None, Some(jwks)) => {
            if args.token_issuers.is_empty() {
                anyhow::bail!("--jwks needs at least one --token-issuer (the `iss` the tokens carry)");
            }
            let config = TokenVerifierConfig {
                issuers: args.token_issuers.clone(),
                audience: args.token_audience.clone(),
                leeway_seconds: 30,
            };
            Some(TokenVerifier::from_jwks_file(jwks, config)?)
        }
        (None, None) => None,
    };
    let authoriser = match &args.policies {
        Some(directory) => Authoriser::from_directory(directory)?,
        None => Authoriser::default_policies()?,
    };
    let signing_key = load_or_create_signing_key(&audit_key_path(args, location))?;
    AccessControl::open(location, AccessMode::Enforced, tokens, authoriser, signing_key)
        .await
        .with_context(|| format!("cannot open the audit log ({})", location.describe()))
}
