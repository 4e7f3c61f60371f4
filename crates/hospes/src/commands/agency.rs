//! `hospes agency …`: the configured agencies and their API keys.

use std::process::ExitCode;

use anyhow::Context;
use hospes_policy::issue_agency_key;

use crate::cli::AgencyCommand;

pub async fn run(command: AgencyCommand) -> anyhow::Result<ExitCode> {
    match command {
        AgencyCommand::List { agencies } => {
            let registry = super::agencies(&agencies)?;
            for agency in registry.iter() {
                let categories: Vec<&str> = agency.categories.iter().map(|category| category.as_str()).collect();
                println!("{:<26} {:<34} {}", agency.id, agency.name, categories.join(", "));
            }
        }
        AgencyCommand::AddKey { agency, label, store, agencies } => {
            let registry = super::agencies(&agencies)?;
            let (_, store) = super::open(&store).await?;
            let issued = issue_agency_key(&*store, &registry, &agency, &label).await.context("cannot issue the key")?;
            eprintln!("API key for {agency} (key id {}); it is shown only now, store it safely:", issued.stored.key_id);
            println!("{}", issued.plaintext);
        }
        AgencyCommand::Keys { store } => {
            let (_, store) = super::open(&store).await?;
            for key in store.agency_keys().await? {
                let state = key.revoked_at.as_deref().map_or_else(|| "active".to_owned(), |at| format!("revoked {at}"));
                println!("{}  {:<26} {:<20} created {}  {state}", key.key_id, key.agency, key.label, key.created_at);
            }
        }
        AgencyCommand::RevokeKey { key_id, store } => {
            let (_, store) = super::open(&store).await?;
            let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            if store.revoke_agency_key(&key_id, &now).await? {
                println!("revoked {key_id}");
            } else {
                eprintln!("no active key {key_id}");
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
