//! Helpers shared by the integration tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use hospes_synth::SynthConfig;
use serde_json::Value;

/// The shared names data next to the checkout, as the binary finds it from the workspace root.
pub fn names_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/names"))
}

pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()
}

pub fn config(people: usize, seed: u64) -> SynthConfig {
    SynthConfig { people, seed, as_of: as_of(), names_dir: Some(names_dir()) }
}

/// One parsed line with the agency that holds it and the true person behind it.
pub struct Line {
    pub agency: String,
    pub person: String,
    pub value: Value,
}

/// Every line of a written population, parsed, with its person from `truth.csv`.
pub fn read_population(directory: &Path) -> Vec<Line> {
    let truth: BTreeMap<String, String> = std::fs::read_to_string(directory.join("truth.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| {
            let (record_id, person) = line.split_once(',').unwrap();
            (record_id.to_owned(), person.to_owned())
        })
        .collect();
    let mut lines = Vec::new();
    for agency in hospes_synth::AGENCY_IDS {
        let text = std::fs::read_to_string(directory.join(format!("{agency}.ndjson"))).unwrap();
        for line in text.lines() {
            let value: Value = serde_json::from_str(line).unwrap();
            let person = truth[value["record_id"].as_str().unwrap()].clone();
            lines.push(Line { agency: agency.to_owned(), person, value });
        }
    }
    lines
}

/// Every spelling of a name in a subject (or an identity payload's `names`).
pub fn name_parts(names: &Value) -> Vec<&str> {
    names
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|name| ["surname", "given_names", "patronymic"].map(|field| name[field].as_str()))
        .flatten()
        .collect()
}

pub fn date(value: &Value) -> Option<NaiveDate> {
    value.as_str().and_then(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
}
