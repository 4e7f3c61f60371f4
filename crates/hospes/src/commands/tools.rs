//! Commands that need no store: schemas, the permitted-stay calculator, the MRZ parser.

use std::process::ExitCode;

use hospes_rules::stay::StayQuery;

use crate::cli::{MrzCommand, SchemaCommand, StayArgs};

pub fn schema(schema: SchemaCommand) -> anyhow::Result<ExitCode> {
    let document = match schema {
        SchemaCommand::Ingest => hospes_ingest::ingest_line_schema(),
        SchemaCommand::Openapi => hospes_server::openapi_json(),
    };
    println!("{}", serde_json::to_string_pretty(&document)?);
    Ok(ExitCode::SUCCESS)
}

pub fn stay(args: StayArgs) -> anyhow::Result<ExitCode> {
    let query = match StayQuery::parse(
        &args.stays,
        &args.on,
        args.planned_entry.as_deref(),
        args.window.as_deref(),
        args.max.as_deref(),
    ) {
        Ok(query) => query,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(ExitCode::from(2));
        }
    };
    match query.run() {
        Ok(report) => {
            println!("{}", report.to_json()?);
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("error: {error}");
            Ok(ExitCode::from(2))
        }
    }
}

pub fn mrz(command: MrzCommand) -> anyhow::Result<ExitCode> {
    match command {
        MrzCommand::Parse { lines } => {
            match hospes_mrz::MachineReadableZone::parse_lines(&lines, chrono::Utc::now().date_naive()) {
                Ok(zone) => {
                    println!("{}", serde_json::to_string_pretty(&zone)?);
                    Ok(if zone.is_valid() { ExitCode::SUCCESS } else { ExitCode::from(1) })
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    Ok(ExitCode::from(2))
                }
            }
        }
    }
}
