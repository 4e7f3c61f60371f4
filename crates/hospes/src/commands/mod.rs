//! One module per command; `run` dispatches.

mod agency;
mod bench;
mod bench_lookup;
pub(crate) mod bench_resolve;
mod demo;
pub mod import;
mod ledger;
mod serve;
mod synth;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use hospes_audit::load_or_create_signing_key;
use hospes_model::AgencyRegistry;
use hospes_policy::{Authoriser, TokenVerifier, TokenVerifierConfig};
use hospes_server::access::{AccessControl, AccessMode};
use hospes_store::{Store, StoreLocation, open_store};
use tracing_subscriber::EnvFilter;

use crate::cli::{AccessArgs, AgencyArgs, Cli, Command, StoreArgs};

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
        Command::Resolve(args) => ledger::resolve(args).await,
        Command::Agency { command } => agency::run(command).await,
        Command::Schema { schema } => tools::schema(schema),
        Command::Stay(args) => tools::stay(args),
        Command::Mrz { command } => tools::mrz(command),
        Command::Bench { bench } => bench::run(bench).await,
    }
}

/// Opens the store the flags name.
pub async fn open(args: &StoreArgs) -> anyhow::Result<(StoreLocation, Arc<dyn Store>)> {
    let location = StoreLocation::from_options(args.data_dir.clone(), args.database.clone())?;
    let store =
        open_store(&location).await.with_context(|| format!("cannot open the store ({})", location.describe()))?;
    Ok((location, store))
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
    args.audit_key.clone().unwrap_or_else(|| {
        let directory = match location {
            StoreLocation::Sqlite { data_dir } => data_dir.clone(),
            StoreLocation::Postgres { .. } => PathBuf::from(StoreLocation::DEFAULT_DATA_DIR),
        };
        directory.join("audit-signing.key")
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
