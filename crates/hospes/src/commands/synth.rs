//! `hospes synth`: a synthetic population, one NDJSON file per agency plus the ground truth.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use hospes_synth::{SynthConfig, SynthSummary, write_population};

use crate::cli::SynthArgs;
use crate::progress;

pub fn run(args: SynthArgs) -> anyhow::Result<ExitCode> {
    let summary = write(args.people, args.seed, args.as_of, args.names_dir, &args.out)?;
    eprintln!(
        "wrote {} people, {} records into {} (ground truth in {})",
        summary.people,
        summary.records,
        args.out.display(),
        args.out.join(hospes_synth::TRUTH_FILE).display()
    );
    for warning in &summary.warnings {
        eprintln!("warning: {warning}");
    }
    println!("{}", serde_json::to_string_pretty(&summary)?);
    Ok(ExitCode::SUCCESS)
}

/// The population's "today": the given date, or today.
pub fn as_of(date: Option<&str>) -> anyhow::Result<NaiveDate> {
    match date {
        Some(text) => {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").with_context(|| format!("--as-of {text}: expected YYYY-MM-DD"))
        }
        None => Ok(chrono::Utc::now().date_naive()),
    }
}

/// Writes a population into `out`.
pub fn write(
    people: usize,
    seed: u64,
    as_of_date: Option<String>,
    names_dir: Option<PathBuf>,
    out: &Path,
) -> anyhow::Result<SynthSummary> {
    let mut config = SynthConfig::new(people, seed, as_of(as_of_date.as_deref())?);
    config.names_dir = names_dir;
    let bar = progress::count_bar(people as u64, "synthesising people");
    let summary = write_population(&config, out, |done| bar.set_position(done as u64))
        .with_context(|| format!("cannot write the population into {}", out.display()))?;
    bar.finish_and_clear();
    Ok(summary)
}
