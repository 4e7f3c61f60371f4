//! Writes a synthetic population: `cargo run --release -p hospes-synth --example generate -- PEOPLE SEED OUT_DIR [AS_OF]`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

fn main() {
    let arguments: Vec<String> = std::env::args().collect();
    let people: usize = arguments.get(1).and_then(|value| value.parse().ok()).unwrap_or(10_000);
    let seed: u64 = arguments.get(2).and_then(|value| value.parse().ok()).unwrap_or(1);
    let out_dir = PathBuf::from(arguments.get(3).cloned().unwrap_or_else(|| "synthetic-population".into()));
    let as_of = arguments
        .get(4)
        .and_then(|value| chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap());
    let config = hospes_synth::SynthConfig {
        people,
        seed,
        as_of,
        names_dir: std::env::var_os("HOSPES_NAMES_DIR").map(PathBuf::from),
    };
    let started = std::time::Instant::now();
    let summary = hospes_synth::write_population(&config, &out_dir, |done| {
        eprintln!("{done} / {people} people ({:.1} s)", started.elapsed().as_secs_f64());
    })
    .expect("the population is written");
    eprintln!();
    println!("{}", serde_json::to_string_pretty(&summary).unwrap());
    eprintln!(
        "{} records, {:.1} per person, in {:.1} s",
        summary.records,
        summary.records as f64 / people.max(1) as f64,
        started.elapsed().as_secs_f64()
    );
}
