//! Loaders for CSV inputs: FEBRL files, the person schema, and truth pair lists.
//!
//! A bad row never stops a load: a birth date that cannot be read is dropped with a warning, a
//! row with too few fields is read as far as it goes. Only unreadable files and missing
//! columns are errors.

use std::path::{Path, PathBuf};

use hospes_model::Sex;

use super::record::{Address, BirthDate, Identifiers, MatchRecord, NameSpelling};

/// Why an input could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is empty: expected a header row")]
    Empty { path: PathBuf },
    #[error("{path} has no column {column:?} (its columns: {columns})")]
    MissingColumn { path: PathBuf, column: &'static str, columns: String },
}

/// The CSV layouts the loaders know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvSchema {
    /// `rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state,
    /// date_of_birth, soc_sec_id`.
    Febrl,
    /// `rec_id, given_name, surname, patronymic, sex, birth_date, city, street, house, postcode,
    /// national_id`; any may be empty, in any script.
    Person,
}

/// Records read from a file, and what was wrong with some rows.
#[derive(Debug, Default)]
pub struct Loaded {
    pub records: Vec<MatchRecord>,
    pub warnings: Vec<String>,
    /// How many warnings there were (only the first few are kept).
    pub warning_count: usize,
}

const WARNINGS_KEPT: usize = 20;

impl Loaded {
    fn warn(&mut self, message: String) {
        self.warning_count += 1;
        if self.warnings.len() < WARNINGS_KEPT {
            self.warnings.push(message);
        }
    }
}

/// A parsed CSV file: the header and the rows.
pub struct CsvTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl CsvTable {
    /// Reads a CSV file (RFC 4180: quoted fields with doubled quotes, which may span lines; a byte
    /// order mark is ignored).
    pub fn read(path: &Path) -> Result<Self, LoadError> {
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read { path: path.to_owned(), source })?;
        let mut rows = parse_csv(text.trim_start_matches('\u{FEFF}'));
        if rows.is_empty() {
            return Err(LoadError::Empty { path: path.to_owned() });
        }
        let header = rows.remove(0).into_iter().map(|name| name.trim().to_owned()).collect();
        Ok(Self { header, rows })
    }

    /// The position of a column.
    pub fn column(&self, path: &Path, name: &'static str) -> Result<usize, LoadError> {
        self.header.iter().position(|column| column == name).ok_or_else(|| LoadError::MissingColumn {
            path: path.to_owned(),
            column: name,
            columns: self.header.join(", "),
        })
    }

    /// The position of a column that may be absent.
    pub fn optional_column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|column| column == name)
    }
}

/// Splits CSV text into rows of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '"' if in_quotes && characters.peek() == Some(&'"') => {
                field.push('"');
                characters.next();
            }
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => row.push(std::mem::take(&mut field)),
            '\n' if !in_quotes => {
                row.push(std::mem::take(&mut field));
                if row.len() > 1 || !row[0].trim().is_empty() {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
            }
            '\r' if !in_quotes => {}
            other => field.push(other),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// A trimmed, non-empty field.
fn field(row: &[String], column: Option<usize>) -> Option<String> {
    let value = row.get(column?)?.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Reads a birth date, warning about one that cannot be read.
fn birth_date(loaded: &mut Loaded, id: &str, text: Option<String>) -> Option<BirthDate> {
    let text = text?;
    match BirthDate::parse(&text) {
        Ok(date) => Some(date),
        Err(error) => {
            loaded.warn(format!("{id}: {error}; the record is compared without it"));
            None
        }
    }
}

/// Reads a sex as written in many ways (`M`, `male`, `м`, `муж`, `F`, `ж`, …).
pub fn parse_sex(text: &str) -> Option<Sex> {
    let lower = text.trim().to_lowercase();
    match lower.chars().next()? {
        'm' | 'м' => Some(Sex::Male),
        'f' | 'w' | 'ж' => Some(Sex::Female),
        _ => None,
    }
}

/// Loads a CSV file of `schema` as records of input `source`.
pub fn load_csv(path: &Path, schema: CsvSchema, source: u8) -> Result<Loaded, LoadError> {
    let table = CsvTable::read(path)?;
    let id_column = table.column(path, "rec_id")?;
    let mut loaded = Loaded::default();
    match schema {
        CsvSchema::Febrl => {
            let columns = [
                "given_name",
                "surname",
                "street_number",
                "address_1",
                "address_2",
                "suburb",
                "postcode",
                "state",
                "date_of_birth",
                "soc_sec_id",
            ]
            .map(|name| table.column(path, name));
            let [given, surname, house, street, locality, city, postcode, region, date, national_id] = columns;
            let (given, surname, house, street, locality, city, postcode, region, date, national_id) =
                (given?, surname?, house?, street?, locality?, city?, postcode?, region?, date?, national_id?);
            for (line, row) in table.rows.iter().enumerate() {
                let id = field(row, Some(id_column)).unwrap_or_else(|| format!("line {}", line + 2));
                let names = name_spellings(field(row, Some(surname)), field(row, Some(given)), None);
                let birth_date = birth_date(&mut loaded, &id, field(row, Some(date)));
                loaded.records.push(MatchRecord {
                    source,
                    names,
                    birth_date,
                    sex: None,
                    citizenship: None,
                    address: Address {
                        postcode: field(row, Some(postcode)),
                        city: field(row, Some(city)),
                        street: field(row, Some(street)),
                        house: field(row, Some(house)),
                        locality: field(row, Some(locality)),
                        region: field(row, Some(region)),
                    },
                    identifiers: Identifiers { national_id: field(row, Some(national_id)), ..Identifiers::default() },
                    id,
                });
            }
        }
        CsvSchema::Person => {
            let column = |name: &str| table.optional_column(name);
            for (line, row) in table.rows.iter().enumerate() {
                let id = field(row, Some(id_column)).unwrap_or_else(|| format!("line {}", line + 2));
                let names = name_spellings(
                    field(row, column("surname")),
                    field(row, column("given_name")),
                    field(row, column("patronymic")),
                );
                let birth_date = birth_date(&mut loaded, &id, field(row, column("birth_date")));
                let sex_text = field(row, column("sex"));
                let sex = sex_text.as_deref().and_then(parse_sex);
                if let (Some(text), None) = (&sex_text, sex) {
                    loaded.warn(format!("{id}: unreadable sex {text:?}; the record is compared without it"));
                }
                loaded.records.push(MatchRecord {
                    source,
                    names,
                    birth_date,
                    sex,
                    citizenship: field(row, column("citizenship")),
                    address: Address {
                        postcode: field(row, column("postcode")),
                        city: field(row, column("city")),
                        street: field(row, column("street")),
                        house: field(row, column("house")),
                        locality: None,
                        region: None,
                    },
                    identifiers: Identifiers {
                        national_id: field(row, column("national_id")),
                        ..Identifiers::default()
                    },
                    id,
                });
            }
        }
    }
    Ok(loaded)
}

/// The one spelling of a CSV row, if it has any name part.
fn name_spellings(surname: Option<String>, given: Option<String>, patronymic: Option<String>) -> Vec<NameSpelling> {
    if surname.is_none() && given.is_none() && patronymic.is_none() {
        return Vec::new();
    }
    vec![NameSpelling { surname: surname.unwrap_or_default(), given, patronymic }]
}

/// Reads a truth file of matching pairs: two columns of record ids (`id_l,id_r`), header first.
pub fn load_truth_pairs(path: &Path) -> Result<Vec<(String, String)>, LoadError> {
    let table = CsvTable::read(path)?;
    Ok(table
        .rows
        .into_iter()
        .filter_map(|row| {
            let mut fields = row.into_iter().map(|field| field.trim().to_owned());
            Some((fields.next()?, fields.next()?))
        })
        .collect())
}

/// Writes records in the person schema (one spelling each: the first), for tools that read the
/// same input as Hospes.
pub fn write_person_csv(path: &Path, records: &[MatchRecord]) -> std::io::Result<()> {
    let mut writer = PersonCsvWriter::create(path)?;
    for record in records {
        writer.write(record)?;
    }
    writer.finish()
}

/// Writes records in the person schema one at a time.
pub struct PersonCsvWriter {
    out: std::io::BufWriter<std::fs::File>,
}

impl PersonCsvWriter {
    /// Creates the file and writes the header.
    pub fn create(path: &Path) -> std::io::Result<Self> {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        writeln!(out, "rec_id,given_name,surname,patronymic,sex,birth_date,city,street,house,postcode,national_id")?;
        Ok(Self { out })
    }

    /// Writes one record: its first spelling and its national identifier.
    pub fn write(&mut self, record: &MatchRecord) -> std::io::Result<()> {
        use std::io::Write;
        let name = record.names.first();
        let sex = match record.sex {
            Some(Sex::Male) => "M",
            Some(Sex::Female) => "F",
            _ => "",
        };
        let birth_date = record.birth_date.map(|date| date.to_string()).unwrap_or_default();
        let fields = [
            record.id.as_str(),
            name.and_then(|name| name.given.as_deref()).unwrap_or(""),
            name.map_or("", |name| name.surname.as_str()),
            name.and_then(|name| name.patronymic.as_deref()).unwrap_or(""),
            sex,
            birth_date.as_str(),
            record.address.city.as_deref().unwrap_or(""),
            record.address.street.as_deref().unwrap_or(""),
            record.address.house.as_deref().unwrap_or(""),
            record.address.postcode.as_deref().unwrap_or(""),
            record.identifiers.national_id.as_deref().unwrap_or(""),
        ];
        let line: Vec<String> = fields.iter().map(|field| quote(field)).collect();
        writeln!(self.out, "{}", line.join(","))
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        use std::io::Write;
        self.out.flush()
    }
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_line_ends() {
        let rows = parse_csv("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n1,\n");
        assert_eq!(rows, vec![vec!["a", "b"], vec!["x, y", "say \"hi\""], vec!["1", ""]]);
    }

    #[test]
    fn person_csv_round_trip_and_bad_rows() {
        let directory = std::env::temp_dir().join(format!("hospes-load-{}", std::process::id()));
        std::fs::create_dir_all(&directory).unwrap();
        let path = directory.join("people.csv");
        std::fs::write(
            &path,
            "rec_id,given_name,surname,patronymic,sex,birth_date,city,street,house,postcode,national_id\n\
             r1,Алишер,Юсупов,Бахтиёрович,м,1990-04-12,Москва,Тверская,1,125009,\n\
             r2,,,,,not a date,,,,,\n\
             r3,Ali\n",
        )
        .unwrap();
        let loaded = load_csv(&path, CsvSchema::Person, 0).unwrap();
        assert_eq!(loaded.records.len(), 3);
        assert_eq!(loaded.records[0].sex, Some(Sex::Male));
        assert_eq!(loaded.records[0].names[0].patronymic.as_deref(), Some("Бахтиёрович"));
        assert!(loaded.records[1].names.is_empty());
        assert_eq!(loaded.records[1].birth_date, None);
        assert_eq!(loaded.warning_count, 1);
        assert_eq!(loaded.records[2].names[0].given.as_deref(), Some("Ali"));

        let copy = directory.join("copy.csv");
        write_person_csv(&copy, &loaded.records).unwrap();
        let again = load_csv(&copy, CsvSchema::Person, 0).unwrap();
        assert_eq!(again.records[0], loaded.records[0]);
        std::fs::remove_dir_all(&directory).unwrap();
    }
}
