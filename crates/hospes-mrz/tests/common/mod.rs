//! Helpers shared by the tests that read the external data in `shared/data/mrz`.

#![allow(
    dead_code,
    clippy::expect_used,
    reason = "shared by several test binaries, each using part; a failed expectation is a failed test"
)]

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The external MRZ test data, outside the repository.
pub fn data_path(relative: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/mrz")).join(relative)
}

pub fn read_text(relative: &str) -> String {
    let path = data_path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
}

pub fn read_json(relative: &str) -> serde_json::Value {
    serde_json::from_str(&read_text(relative)).unwrap_or_else(|error| panic!("parsing {relative}: {error}"))
}

/// Reads a CSV file with a header row into one map per row. Handles quoted fields with doubled
/// quotes and commas inside, which is all these files use.
pub fn read_csv(relative: &str) -> Vec<BTreeMap<String, String>> {
    let text = read_text(relative);
    let mut rows = parse_csv(&text).into_iter();
    let header = rows.next().expect("a header row");
    rows.filter(|row| !(row.len() == 1 && row.first().is_some_and(String::is_empty)))
        .map(|row| {
            assert_eq!(row.len(), header.len(), "{relative}: row {row:?} does not match header {header:?}");
            header.iter().cloned().zip(row).collect()
        })
        .collect()
}

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match (in_quotes, character) {
            (true, '"') => {
                if characters.peek() == Some(&'"') {
                    field.push('"');
                    characters.next();
                } else {
                    in_quotes = false;
                }
            }
            (true, other) => field.push(other),
            (false, '"') => in_quotes = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, other) => field.push(other),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}
