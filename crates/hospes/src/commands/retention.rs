//! `hospes retention run`: the retention job on demand.

use std::process::ExitCode;

use anyhow::Context;
use hospes_audit::{AuditLog, AuditLogConfig, load_or_create_signing_key};
use hospes_model::Timestamp;

use crate::cli::RetentionCommand;

pub async fn run(command: RetentionCommand) -> anyhow::Result<ExitCode> {
    let RetentionCommand::Run(args) = command;
    let policy = super::retention_policy(&args.retention)?;
    let now = match &args.as_of {
        Some(text) => Timestamp::parse(text).with_context(|| format!("--as-of {text}: expected an RFC 3339 time"))?,
        None => Timestamp::from_utc(chrono::Utc::now()),
    };
    let (location, store) = super::open(&args.store).await?;
    let audit_store = hospes_store::open_audit_store(&location)
        .await
        .with_context(|| format!("cannot open the audit log ({})", location.describe()))?;
    let signing_key = load_or_create_signing_key(&super::default_audit_key_path(args.audit_key.as_ref(), &location))?;
    let audit = AuditLog::open(audit_store, signing_key, AuditLogConfig::default()).await?;
    let report = hospes_server::retention::run_audited(&*store, &audit, &policy, now, args.dry_run).await;
    audit.close().await;
    let report = report?;
    eprintln!(
        "{} {} of {} record(s) examined",
        if args.dry_run { "would destroy" } else { "destroyed" },
        report.destroyed.len(),
        report.examined
    );
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(ExitCode::SUCCESS)
}
