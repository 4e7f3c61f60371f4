//! Helpers shared by the data-driven integration tests.

// Each test crate includes this module but uses only part of it.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared names data set (`shared/data/names` next to the repository checkout).
///
/// The data lives outside the repository. When it is missing the tests fail, unless
/// `HOSPES_SKIP_SHARED_DATA=1` is set, in which case they are skipped with a message.
pub fn shared_names_directory() -> Option<PathBuf> {
    let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/names");
    if directory.is_dir() {
        return Some(directory);
    }
    if std::env::var_os("HOSPES_SKIP_SHARED_DATA").is_some() {
        eprintln!("skipping: {} is missing and HOSPES_SKIP_SHARED_DATA is set", directory.display());
        return None;
    }
    panic!("shared names data not found at {}; set HOSPES_SKIP_SHARED_DATA=1 to skip", directory.display());
}

/// Reads a CSV file with a header row into records keyed by column name.
/// Handles quoted fields with doubled quotes; fields never span lines in our data.
pub fn read_csv(path: &std::path::Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{FEFF}');
    let mut lines = text.lines().filter(|line| !line.is_empty());
    let header = split_csv_line(lines.next().unwrap());
    lines
        .map(|line| {
            let fields = split_csv_line(line);
            assert_eq!(fields.len(), header.len(), "bad CSV line: {line}");
            header.iter().cloned().zip(fields).collect()
        })
        .collect()
}

fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut characters = line.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '"' if in_quotes && characters.peek() == Some(&'"') => {
                field.push('"');
                characters.next();
            }
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => fields.push(std::mem::take(&mut field)),
            other => field.push(other),
        }
    }
    fields.push(field);
    fields
}
