//! Reading a machine-readable zone: structure first (an error when broken), then fields and check
//! digits (each check digit's verdict recorded, never an error).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::check_digit::{
    CheckDigitField, CheckDigitResult, CheckDigitRule, FILLER, check_digit_of_validated, is_mrz_character,
};
use crate::date::{DateKind, DateProblem, MrzDate};
use crate::fields::{
    DocumentCode, DocumentKind, DocumentNumber, HolderName, InvalidFieldValue, MrzField, OptionalData, Sex, StateCode,
};
use crate::format::{Layout, MrzFormat, Span};

/// Everything a zone says about the document and its holder: what the parser returns inside a
/// [`MachineReadableZone`] and what the encoder takes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct DocumentFields {
    /// Document code (`P`, `I`, `ID`, `V`, …).
    pub document_code: DocumentCode,
    /// Issuing state or organisation.
    pub issuing_state: StateCode,
    /// Name of the holder.
    pub name: HolderName,
    /// Document number; TD1 and TD2 numbers may run past nine characters.
    pub document_number: DocumentNumber,
    /// Nationality of the holder.
    pub nationality: StateCode,
    /// Date of birth.
    pub birth_date: MrzDate,
    /// Sex.
    pub sex: Sex,
    /// Date of expiry.
    pub expiry_date: MrzDate,
    /// Optional data: TD1's upper line, TD2's and the visas' lower line, TD3's personal number.
    /// For a long document number, what follows the number's continuation.
    pub optional_data: OptionalData,
    /// TD1's second optional data field (middle line); `None` in the other formats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional_data_2: Option<OptionalData>,
}

/// What is structurally wrong with a zone, or (from [`MachineReadableZone::require_valid`]) which
/// check digit fails. Positions are one-based, as in Doc 9303.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MrzError {
    /// Not two or three lines.
    #[error("a machine-readable zone has 2 lines (TD2, TD3, MRV-A, MRV-B) or 3 lines (TD1); found {found}")]
    WrongLineCount {
        /// Non-empty lines found.
        found: usize,
    },
    /// The first line of a two-line zone is neither 36 nor 44 characters long.
    #[error("line 1 has {actual} characters; a two-line zone has lines of 36 (TD2, MRV-B) or 44 (TD3, MRV-A)")]
    UnrecognisedLineLength {
        /// Characters on line 1.
        actual: usize,
    },
    /// A line does not have the length its format calls for.
    #[error("line {line} has {actual} characters; {format} lines have {expected}")]
    WrongLineLength {
        /// One-based line number.
        line: usize,
        /// Length the format calls for.
        expected: usize,
        /// Length found.
        actual: usize,
        /// The format the zone was taken for.
        format: MrzFormat,
    },
    /// A character outside `A`–`Z`, `0`–`9` and `<`.
    #[error("line {line}, position {position}: {character:?} is not an MRZ character (A–Z, 0–9, <)")]
    InvalidCharacter {
        /// One-based line number.
        line: usize,
        /// One-based position on the line.
        position: usize,
        /// The character found.
        character: char,
    },
    /// A field holds characters its kind cannot (a digit in a name or a state code, a letter other
    /// than `M`, `F`, `<` or `X` for sex, …).
    #[error("{field} (line {line}, position {position}): {reason}; the field reads {value:?}")]
    InvalidField {
        /// The field.
        field: MrzField,
        /// One-based line number.
        line: usize,
        /// One-based position of the first offending character (or of the field).
        position: usize,
        /// The field's characters as written.
        value: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A date field that no calendar has (month 13, 31 February, letters).
    #[error("{field} (line {line}, positions {first_position}–{last_position}) reads {raw:?}: {problem}", last_position = .first_position + 5)]
    InvalidDate {
        /// `birth_date` or `expiry_date`.
        field: MrzField,
        /// One-based line number.
        line: usize,
        /// One-based position of the field's first character.
        first_position: usize,
        /// The six characters as written.
        raw: String,
        /// What is wrong.
        problem: DateProblem,
    },
    /// A check digit does not match its data (only from [`MachineReadableZone::require_valid`]).
    #[error("the {field} check digit is {found:?}; the data calls for {expected:?}")]
    BadCheckDigit {
        /// Which check digit.
        field: CheckDigitField,
        /// The digit the data calls for.
        expected: char,
        /// The character in the zone.
        found: char,
    },
}

/// A parsed machine-readable zone: its format, its fields, and the verdict of every check digit.
///
/// Serialises to JSON with `format`, `document_kind`, each field, `name_possibly_truncated`,
/// `check_digits` (one entry per check digit by name, each `{ "valid", "expected", "found" }`)
/// and an overall `valid`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MachineReadableZone {
    format: MrzFormat,
    document_kind: DocumentKind,
    #[serde(flatten)]
    fields: DocumentFields,
    name_possibly_truncated: bool,
    check_digits: BTreeMap<CheckDigitField, CheckDigitResult>,
    valid: bool,
}

impl MachineReadableZone {
    /// Parses a zone given as text, one MRZ line per text line. Surrounding whitespace and blank
    /// lines are ignored. Two-digit years are resolved against `reference_date` (the day of the
    /// check; see [`DateKind`]): the parser never reads the clock itself.
    pub fn parse(text: &str, reference_date: NaiveDate) -> Result<Self, MrzError> {
        let lines: Vec<&str> = text.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
        Self::parse_lines(&lines, reference_date)
    }

    /// [`MachineReadableZone::parse`] against today's date on this machine's clock.
    pub fn parse_today(text: &str) -> Result<Self, MrzError> {
        Self::parse(text, chrono::Local::now().date_naive())
    }

    /// Parses a zone given as its lines, taken exactly as they are.
    pub fn parse_lines<Line: AsRef<str>>(lines: &[Line], reference_date: NaiveDate) -> Result<Self, MrzError> {
        let lines: Vec<&str> = lines.iter().map(AsRef::as_ref).collect();
        let format = detect_format(&lines)?;
        check_characters(&lines)?;
        parse_fields(format, &ValidatedLines { lines }, reference_date)
    }

    /// The layout the zone was read as.
    pub fn format(&self) -> MrzFormat {
        self.format
    }

    /// The kind of document, from the first letter of the document code.
    pub fn document_kind(&self) -> DocumentKind {
        self.document_kind
    }

    /// The fields read from the zone.
    pub fn fields(&self) -> &DocumentFields {
        &self.fields
    }

    /// The fields, giving up the rest of the result.
    pub fn into_fields(self) -> DocumentFields {
        self.fields
    }

    /// Whether the name fills its field to the last position, so that it may have been truncated.
    pub fn name_possibly_truncated(&self) -> bool {
        self.name_possibly_truncated
    }

    /// Every check digit the format carries, with its verdict.
    pub fn check_digits(&self) -> &BTreeMap<CheckDigitField, CheckDigitResult> {
        &self.check_digits
    }

    /// The verdict of one check digit, if the format carries it.
    pub fn check_digit(&self, field: CheckDigitField) -> Option<&CheckDigitResult> {
        self.check_digits.get(&field)
    }

    /// Whether every check digit matches.
    pub fn is_valid(&self) -> bool {
        self.valid
    }

    /// The zone itself when every check digit matches, else the first failing one as an error.
    pub fn require_valid(self) -> Result<Self, MrzError> {
        match self.check_digits.iter().find(|(_, result)| !result.valid) {
            Some((field, result)) => {
                Err(MrzError::BadCheckDigit { field: *field, expected: result.expected, found: result.found })
            }
            None => Ok(self),
        }
    }
}

/// Decides the format from the number of lines, their lengths and the first letter.
fn detect_format(lines: &[&str]) -> Result<MrzFormat, MrzError> {
    let length = |index: usize| lines.get(index).map_or(0, |line| line.chars().count());
    let format = match lines.len() {
        3 => MrzFormat::Td1,
        2 => {
            let is_visa = lines.first().is_some_and(|line| line.starts_with('V'));
            match (length(0), is_visa) {
                (36, false) => MrzFormat::Td2,
                (36, true) => MrzFormat::MrvB,
                (44, false) => MrzFormat::Td3,
                (44, true) => MrzFormat::MrvA,
                (actual, _) => return Err(MrzError::UnrecognisedLineLength { actual }),
            }
        }
        found => return Err(MrzError::WrongLineCount { found }),
    };
    for index in 0..lines.len() {
        let actual = length(index);
        if actual != format.line_length() {
            return Err(MrzError::WrongLineLength { line: index + 1, expected: format.line_length(), actual, format });
        }
    }
    Ok(format)
}

fn check_characters(lines: &[&str]) -> Result<(), MrzError> {
    for (line_index, line) in lines.iter().enumerate() {
        if let Some((position_index, character)) =
            line.chars().enumerate().find(|(_, character)| !is_mrz_character(*character))
        {
            return Err(MrzError::InvalidCharacter { line: line_index + 1, position: position_index + 1, character });
        }
    }
    Ok(())
}

/// Lines known to hold only MRZ characters (all ASCII) at the format's length, so that byte
/// ranges are character ranges. Reads go through `get` all the same.
struct ValidatedLines<'a> {
    lines: Vec<&'a str>,
}

impl<'a> ValidatedLines<'a> {
    fn text(&self, span: Span) -> &'a str {
        self.lines.get(span.line).and_then(|line| line.get(span.start..span.start + span.length)).unwrap_or("")
    }

    fn character(&self, span: Span) -> char {
        self.text(span).chars().next().unwrap_or(FILLER)
    }
}

fn field_error(span: Span, error: InvalidFieldValue) -> MrzError {
    MrzError::InvalidField {
        field: error.field,
        line: span.line_number(),
        position: span.first_position() + error.offending_index.unwrap_or(0),
        value: error.value,
        reason: error.reason,
    }
}

fn parse_date(
    lines: &ValidatedLines<'_>,
    span: Span,
    field: MrzField,
    kind: DateKind,
    reference_date: NaiveDate,
) -> Result<MrzDate, MrzError> {
    let raw = lines.text(span);
    MrzDate::parse(raw, kind, reference_date).map_err(|problem| MrzError::InvalidDate {
        field,
        line: span.line_number(),
        first_position: span.first_position(),
        raw: raw.to_string(),
        problem,
    })
}

/// The document number, its check digit's verdict, and the optional data that is left once a
/// long number's continuation is taken out of it.
struct DocumentNumberReading<'a> {
    number: String,
    check: CheckDigitResult,
    optional_data: &'a str,
}

/// Reads the document number. In TD1 and TD2 a number longer than nine characters shows its first
/// nine in the number field, a filler in the check-digit position, and continues at the start of
/// the optional data, where its last character is followed by the check digit and a filler.
fn read_document_number<'a>(lines: &ValidatedLines<'a>, layout: &Layout) -> DocumentNumberReading<'a> {
    let principal = lines.text(layout.document_number);
    let found = lines.character(layout.document_number_check);
    let optional_data = lines.text(layout.optional_data);
    let continues_in_optional_data = layout.long_document_number
        && found == FILLER
        && !principal.contains(FILLER)
        && optional_data.chars().next().is_some_and(|first| first != FILLER);
    if !continues_in_optional_data {
        return DocumentNumberReading {
            number: principal.to_string(),
            check: CheckDigitResult::standard(principal, found),
            optional_data,
        };
    }
    let continuation = optional_data.split(FILLER).next().unwrap_or("");
    let after_continuation = optional_data.get(continuation.len()..).unwrap_or("");
    let remaining_optional_data = after_continuation.strip_prefix(FILLER).unwrap_or(after_continuation);
    let split_at = continuation.len().saturating_sub(1);
    let rest_of_number = continuation.get(..split_at).unwrap_or("");
    let found = continuation.get(split_at..).and_then(|digit| digit.chars().next()).unwrap_or(FILLER);
    let number = format!("{principal}{rest_of_number}");
    let standard = CheckDigitResult::standard(&number, found);
    let check = if standard.valid {
        standard
    } else {
        let with_filler = format!("{principal}{FILLER}{rest_of_number}");
        let issuer_variant = check_digit_of_validated(&with_filler);
        if issuer_variant == found {
            CheckDigitResult {
                valid: true,
                expected: issuer_variant,
                found,
                rule: CheckDigitRule::LongDocumentNumberIncludingFiller,
            }
        } else {
            standard
        }
    };
    DocumentNumberReading { number, check, optional_data: remaining_optional_data }
}

fn parse_fields(
    format: MrzFormat,
    lines: &ValidatedLines<'_>,
    reference_date: NaiveDate,
) -> Result<MachineReadableZone, MrzError> {
    let layout = format.layout();
    let document_code = DocumentCode::new(lines.text(layout.document_code))
        .map_err(|error| field_error(layout.document_code, error))?;
    let issuing_state = StateCode::new(lines.text(layout.issuing_state), MrzField::IssuingState)
        .map_err(|error| field_error(layout.issuing_state, error))?;
    let name_field = lines.text(layout.name);
    let name = HolderName::from_mrz_field(name_field).map_err(|error| field_error(layout.name, error))?;
    let name_possibly_truncated = name_field.chars().last().is_some_and(|last| last != FILLER);

    let document_number_reading = read_document_number(lines, layout);
    let document_number = DocumentNumber::new(&document_number_reading.number)
        .map_err(|error| field_error(layout.document_number, error))?;
    let nationality = StateCode::new(lines.text(layout.nationality), MrzField::Nationality)
        .map_err(|error| field_error(layout.nationality, error))?;
    let birth_date = parse_date(lines, layout.birth_date, MrzField::BirthDate, DateKind::Birth, reference_date)?;
    let sex_character = lines.character(layout.sex);
    let sex = Sex::from_mrz_character(sex_character).ok_or_else(|| MrzError::InvalidField {
        field: MrzField::Sex,
        line: layout.sex.line_number(),
        position: layout.sex.first_position(),
        value: sex_character.to_string(),
        reason: "sex is M, F or < (X is read as <)",
    })?;
    let expiry_date = parse_date(lines, layout.expiry_date, MrzField::ExpiryDate, DateKind::Expiry, reference_date)?;
    let optional_data = OptionalData::new(document_number_reading.optional_data, MrzField::OptionalData)
        .map_err(|error| field_error(layout.optional_data, error))?;
    let optional_data_2 = layout
        .optional_data_2
        .map(|span| {
            OptionalData::new(lines.text(span), MrzField::OptionalData2).map_err(|error| field_error(span, error))
        })
        .transpose()?;

    let mut check_digits = BTreeMap::new();
    check_digits.insert(CheckDigitField::DocumentNumber, document_number_reading.check);
    check_digits.insert(
        CheckDigitField::BirthDate,
        CheckDigitResult::standard(lines.text(layout.birth_date), lines.character(layout.birth_date_check)),
    );
    check_digits.insert(
        CheckDigitField::ExpiryDate,
        CheckDigitResult::standard(lines.text(layout.expiry_date), lines.character(layout.expiry_date_check)),
    );
    if let Some(check_span) = layout.personal_number_check {
        let personal_number = lines.text(layout.optional_data);
        let found = lines.character(check_span);
        let result = if found == FILLER && personal_number.chars().all(|character| character == FILLER) {
            CheckDigitResult { valid: true, expected: FILLER, found, rule: CheckDigitRule::EmptyFieldFiller }
        } else {
            CheckDigitResult::standard(personal_number, found)
        };
        check_digits.insert(CheckDigitField::PersonalNumber, result);
    }
    if let Some(check_span) = layout.composite_check {
        let composite: String = layout.composite_segments.iter().map(|segment| lines.text(*segment)).collect();
        check_digits
            .insert(CheckDigitField::Composite, CheckDigitResult::standard(&composite, lines.character(check_span)));
    }
    let valid = check_digits.values().all(|result| result.valid);

    Ok(MachineReadableZone {
        format,
        document_kind: document_code.kind(),
        fields: DocumentFields {
            document_code,
            issuing_state,
            name,
            document_number,
            nationality,
            birth_date,
            sex,
            expiry_date,
            optional_data,
            optional_data_2,
        },
        name_possibly_truncated,
        check_digits,
        valid,
    })
}
