//! `hospes import`, `hospes ledger verify`, `hospes resolve`.

use std::process::ExitCode;

use anyhow::Context;
use hospes_store::verify_ledger;

use super::import::{ImportError, Resolution, import_file, print_line_errors};
use crate::cli::{AuditCommand, ImportArgs, LedgerCommand};
use crate::progress;

pub async fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let registry = super::agencies(&args.agencies)?;
    let agency = registry
        .get(&args.agency)
        .with_context(|| format!("agency '{}' is not configured (see `hospes agency list`)", args.agency))?
        .clone();
    let (location, store) = super::open(&args.store).await?;
    let bar = progress::lines_bar(&format!("importing {}", args.file.display()));
    let started = std::time::Instant::now();
    let resolution = if args.no_resolve { Resolution::Deferred } else { Resolution::WithTheImport };
    let resolver = super::resolver(&args.store, &location, store.clone())?;
    let outcome = import_file(store.clone(), agency, &args.file, args.batch_lines, resolution, &*resolver, |lines| {
        bar.inc(lines as u64)
    })
    .await;
    bar.finish_and_clear();
    let summary = match outcome {
        Ok(summary) => summary,
        Err(ImportError::InvalidLines(errors)) => {
            eprintln!("{} is refused: {} problem(s); nothing was stored", args.file.display(), errors.len());
            print_line_errors(&errors);
            return Ok(ExitCode::from(2));
        }
        Err(error) => return Err(error.into()),
    };
    let resolution = summary.resolution;
    println!(
        "imported {} into {}: {} line(s), {} new record(s), {} duplicate(s); {} record(s) resolved, {} new person(s); {:.1} s",
        args.file.display(),
        location.describe(),
        summary.lines,
        summary.accepted,
        summary.duplicates,
        resolution.records_resolved,
        resolution.persons_created,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn run(command: LedgerCommand) -> anyhow::Result<ExitCode> {
    match command {
        LedgerCommand::Verify { store } => {
            let (location, store) = super::open(&store).await?;
            let verification = verify_ledger(&*store).await?;
            println!("{}", serde_json::to_string_pretty(&verification)?);
            let system = hospes_store::system::verify_system_chain(&*store).await?;
            if let Some((seq, problem)) = &system.first_problem {
                eprintln!("system records (contests and decisions) BROKEN at system record {seq}: {problem}");
                return Ok(ExitCode::from(1));
            }
            eprintln!("system records intact: {} contest(s) and decision(s) verified", system.records_checked);
            match &verification.first_broken {
                None => {
                    eprintln!(
                        "ledger intact: {} record(s) verified in {}, head {}",
                        verification.records_checked,
                        location.describe(),
                        verification.head_hash
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Some(broken) => {
                    eprintln!(
                        "ledger BROKEN at record {} ({}): {}",
                        broken.seq,
                        broken.record_id.map(|id| id.to_string()).unwrap_or_default(),
                        broken.reason
                    );
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}

/// `hospes audit verify`: exit code 0 when the log is as signed, 1 when it is not.
pub async fn audit(command: AuditCommand) -> anyhow::Result<ExitCode> {
    let AuditCommand::Verify { store, public_key } = command;
    let location = hospes_store::StoreLocation::from_options(store.data_dir.clone(), store.database.clone())?;
    let audit_store = hospes_store::open_audit_store(&location)
        .await
        .with_context(|| format!("cannot open the audit log ({})", location.describe()))?;
    let trusted = match &public_key {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            vec![
                hospes_transparency::decode_verifying_key(&text)
                    .with_context(|| format!("{} is not an audit log public key", path.display()))?,
            ]
        }
        None => Vec::new(),
    };
    let verification = hospes_audit::verify_audit_log(&*audit_store, &trusted).await?;
    if verification.keys_from_store {
        eprintln!("note: checked with the signing keys recorded in the store; pass --public-key to pin your own");
    }
    match &verification.problem {
        None => {
            println!(
                "audit log intact: {} event(s), {} signed tree head(s) checked, the newest covering {} event(s)",
                verification.events, verification.tree_heads_checked, verification.latest_signed_size
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(problem) => {
            println!("audit log BROKEN after {} intact event(s): {problem}", verification.events);
            Ok(ExitCode::from(1))
        }
    }
}
