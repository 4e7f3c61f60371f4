//! Reading the shared names data (CC0 lists of popular names by country, and clusters of Cyrillic
//! name variants) at run time. The files are not copied into the repository.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::SynthError;

/// The files read from the names directory.
pub(crate) const FORENAMES_FILE: &str = "popular-names-by-country/common-forenames-by-country.csv";
pub(crate) const SURNAMES_FILE: &str = "popular-names-by-country/common-surnames-by-country.csv";
pub(crate) const CLUSTERS_FILE: &str = "cyrillic_name_variant_clusters.csv";

/// One row of a CSV file, its fields looked up by header name.
pub(crate) struct CsvRow<'a> {
    columns: &'a HashMap<String, usize>,
    fields: &'a [String],
}

impl CsvRow<'_> {
    pub(crate) fn get(&self, column: &str) -> &str {
        self.columns.get(column).and_then(|index| self.fields.get(*index)).map(String::as_str).unwrap_or("")
    }
}

/// A parsed CSV table.
pub(crate) struct CsvTable {
    columns: HashMap<String, usize>,
    rows: Vec<Vec<String>>,
}

impl CsvTable {
    pub(crate) fn rows(&self) -> impl Iterator<Item = CsvRow<'_>> {
        self.rows.iter().map(|fields| CsvRow { columns: &self.columns, fields })
    }
}

/// Reads `relative` under `directory`: `Ok(None)` when the file does not exist.
pub(crate) fn read_table(
    directory: &Path,
    relative: &str,
    required_columns: &[&str],
) -> Result<Option<CsvTable>, SynthError> {
    let path: PathBuf = directory.join(relative);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(SynthError::NamesDataUnreadable { path, source }),
    };
    let mut records = parse_csv(text.trim_start_matches('\u{feff}'));
    if records.is_empty() {
        return Ok(Some(CsvTable { columns: HashMap::new(), rows: Vec::new() }));
    }
    let header = records.remove(0);
    let columns: HashMap<String, usize> =
        header.into_iter().enumerate().map(|(index, name)| (name.trim().to_owned(), index)).collect();
    for column in required_columns {
        if !columns.contains_key(*column) {
            return Err(SynthError::NamesDataColumnMissing { path, column: (*column).to_owned() });
        }
    }
    Ok(Some(CsvTable { columns, rows: records }))
}

/// Parses RFC 4180 CSV: comma-separated fields, double quotes around fields that hold commas,
/// quotes or line breaks, and `""` for a quote inside a quoted field.
pub(crate) fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        if in_quotes {
            match character {
                '"' if characters.peek() == Some(&'"') => {
                    field.push('"');
                    characters.next();
                }
                '"' => in_quotes = false,
                other => field.push(other),
            }
            continue;
        }
        match character {
            '"' => in_quotes = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            other => field.push(other),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Removes stress marks (combining acute accents) that some lists put on Cyrillic names.
pub(crate) fn without_stress_marks(text: &str) -> String {
    text.chars()
        .filter(|character| *character != '\u{0301}' && *character != '\u{0300}')
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_quotes_and_line_breaks() {
        let check = |text: &str, expected: &[&[&str]]| {
            let parsed = parse_csv(text);
            let expected: Vec<Vec<String>> =
                expected.iter().map(|row| row.iter().map(|field| (*field).to_owned()).collect()).collect();
            assert_eq!(parsed, expected, "{text:?}");
        };
        check("a,b\n1,2\n", &[&["a", "b"], &["1", "2"]]);
        check("a,b\r\n1,2", &[&["a", "b"], &["1", "2"]]);
        check("\"x, y\",\"say \"\"hi\"\"\"\n", &[&["x, y", "say \"hi\""]]);
        check("a,,c\n", &[&["a", "", "c"]]);
        check("\"two\nlines\",b\n", &[&["two\nlines", "b"]]);
        assert_eq!(without_stress_marks("Смирно\u{301}в "), "Смирнов");
    }
}
