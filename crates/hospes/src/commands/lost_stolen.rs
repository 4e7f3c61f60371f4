//! `hospes lost-stolen import FILE`: loads a list of lost and stolen travel documents into the store,
//! the same list `POST /v1/border/lost-stolen` extends, checked at every crossing and application.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use hospes_server::border::{LostStolenListError, parse_lost_stolen_list};

use crate::cli::StoreArgs;

#[derive(Debug, Subcommand)]
pub enum LostStolenCommand {
    /// Add the documents of a list (a JSON array, or NDJSON: one entry per line, each with
    /// issuing_country, document_number, document_type, reported_on, source). All or nothing: any
    /// invalid entry refuses the list, and every problem is printed with its line.
    Import {
        /// The list.
        file: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub async fn run(command: LostStolenCommand) -> anyhow::Result<ExitCode> {
    match command {
        LostStolenCommand::Import { file, store } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let now = chrono::Utc::now();
            let documents = match parse_lost_stolen_list(&bytes, now.date_naive()) {
                Ok(documents) => documents,
                Err(LostStolenListError::Invalid(problems)) => {
                    for problem in &problems {
                        eprintln!("{}:{}: {} {}", file.display(), problem.line, problem.path, problem.reason);
                    }
                    eprintln!("error: {} problem(s); nothing was stored", problems.len());
                    return Ok(ExitCode::from(2));
                }
                Err(error) => {
                    eprintln!("error: {}: {error}", file.display());
                    return Ok(ExitCode::from(2));
                }
            };
            let (_, store) = super::open(&store).await?;
            let added = store.insert_lost_stolen_documents(&documents, &hospes_audit::timestamp(now)).await?;
            let listed = store.lost_stolen_count().await?;
            println!(
                "{} document(s) read, {added} added, {} already listed; the list holds {listed}",
                documents.len(),
                documents.len() as u64 - added
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
