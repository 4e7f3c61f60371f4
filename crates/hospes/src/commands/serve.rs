//! `hospes serve`: the HTTP API.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use hospes_ingest::BatchLimits;
use hospes_resolve::resolve_pending;
use hospes_server::AppState;

use crate::cli::ServeArgs;

pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let registry = super::agencies(&args.agencies)?;
    let (location, store) = super::open(&args.store).await?;
    // The matching index is built before serving, not at the first ingested record.
    let resolver = super::resolver(&args.store, &location, store.clone())?;
    let indexed = resolver.warm().await.context("building the matching index")?;
    tracing::info!(records = indexed, "matching index ready");
    // Records appended before a crash, but not yet resolved, are resolved before serving.
    let caught_up = resolve_pending(&*store, &*resolver).await.context("catching up resolution")?;
    if caught_up.records_resolved > 0 {
        tracing::info!(records = caught_up.records_resolved, "resolution caught up with the ledger");
    }
    let access = Arc::new(super::access_control(&args.access, &location, None).await?);
    let state = AppState {
        store,
        registry: Arc::new(registry),
        resolver,
        limits: BatchLimits { max_bytes: args.max_batch_bytes, ..BatchLimits::default() },
        access: access.clone(),
        status_rules: Arc::new(super::status_rules(args.status_rules.as_deref())?),
        credentials: Arc::new(super::credential_service(&args.access, &location)?),
    };
    if args.retention_every_hours > 0 {
        let policy = super::retention_policy(&args.retention)?;
        let every = std::time::Duration::from_secs(args.retention_every_hours * 3600);
        hospes_server::retention::spawn_schedule(state.store.clone(), access.audit.clone(), policy, every);
        tracing::info!(every_hours = args.retention_every_hours, "retention job scheduled");
    }
    let listener =
        tokio::net::TcpListener::bind(args.bind).await.with_context(|| format!("cannot listen on {}", args.bind))?;
    tracing::info!(store = %location.describe(), audit_events = access.audit.size(), "store and audit log open");
    hospes_server::serve(listener, state, shutdown_signal()).await?;
    // The last events get a signed tree head before the process ends.
    access.audit.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C or SIGTERM, so requests in flight can finish.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
