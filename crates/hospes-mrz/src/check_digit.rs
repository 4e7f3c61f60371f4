//! The Doc 9303 check digit (Part 3, section 4.9) and the record of one check digit's verdict.

use serde::Serialize;

/// The filler character that pads every MRZ field and stands for a space between name components.
pub const FILLER: char = '<';

/// Whether `character` may appear in a machine-readable zone at all: `A`–`Z`, `0`–`9` and `<`.
pub fn is_mrz_character(character: char) -> bool {
    character.is_ascii_uppercase() || character.is_ascii_digit() || character == FILLER
}

/// The numeric value Doc 9303 gives a character for check digits: digits are themselves,
/// `A`–`Z` are 10–35 and the filler `<` is 0. Anything else has no value.
pub fn mrz_character_value(character: char) -> Option<u32> {
    match character {
        '0'..='9' => Some(u32::from(character) - u32::from('0')),
        'A'..='Z' => Some(u32::from(character) - u32::from('A') + 10),
        FILLER => Some(0),
        _ => None,
    }
}

/// The weights Doc 9303 repeats across the characters of a field.
const WEIGHTS: [u32; 3] = [7, 3, 1];

/// A field holds a character that has no check-digit value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("position {position}: {character:?} is not an MRZ character (A–Z, 0–9, <), so no check digit can be computed")]
pub struct CheckDigitInputError {
    /// One-based position of the offending character within the data.
    pub position: usize,
    /// The offending character.
    pub character: char,
}

/// Computes the Doc 9303 check digit of `data`: each character's value times the weights
/// 7, 3, 1 repeated, summed, modulo 10.
///
/// ```
/// assert_eq!(hospes_mrz::check_digit("L898902C3"), Ok('6'));
/// assert_eq!(hospes_mrz::check_digit("740812"), Ok('2'));
/// ```
pub fn check_digit(data: &str) -> Result<char, CheckDigitInputError> {
    let mut sum = 0u32;
    for ((index, character), weight) in data.chars().enumerate().zip(WEIGHTS.iter().cycle()) {
        let value = mrz_character_value(character).ok_or(CheckDigitInputError { position: index + 1, character })?;
        sum = (sum + value * weight) % 10;
    }
    Ok(digit_character(sum))
}

/// The check digit of data already known to hold only MRZ characters (the parser validates
/// every line before it computes anything); a stray character would count as a filler.
pub(crate) fn check_digit_of_validated(data: &str) -> char {
    let sum = data
        .chars()
        .zip(WEIGHTS.iter().cycle())
        .fold(0u32, |sum, (character, weight)| (sum + mrz_character_value(character).unwrap_or(0) * weight) % 10);
    digit_character(sum)
}

fn digit_character(value: u32) -> char {
    char::from_digit(value % 10, 10).unwrap_or('0')
}

/// The check digits a machine-readable zone can carry, by the name they have in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckDigitField {
    /// Over the document number (all formats).
    DocumentNumber,
    /// Over the date of birth (all formats).
    BirthDate,
    /// Over the date of expiry (all formats).
    ExpiryDate,
    /// Over TD3's personal number / optional data field.
    PersonalNumber,
    /// Over the upper and middle lines of TD1, or the lower line of TD2 and TD3; visas have none.
    Composite,
}

impl CheckDigitField {
    /// The snake-case name used in JSON and in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::DocumentNumber => "document_number",
            Self::BirthDate => "birth_date",
            Self::ExpiryDate => "expiry_date",
            Self::PersonalNumber => "personal_number",
            Self::Composite => "composite",
        }
    }
}

impl std::fmt::Display for CheckDigitField {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.name())
    }
}

/// Which computation a check digit was held against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CheckDigitRule {
    /// The Doc 9303 rule over the field as specified.
    #[default]
    Standard,
    /// A long document number (TD1, TD2) whose check digit was computed over the number *with*
    /// the filler that stands in the check-digit position, as some issuers (Belgium) do. Doc 9303
    /// computes it over the number alone; the parser accepts either and says which matched.
    LongDocumentNumberIncludingFiller,
    /// TD3's personal number field is all fillers and so is its check digit, which Doc 9303 allows.
    EmptyFieldFiller,
}

impl CheckDigitRule {
    fn is_standard(&self) -> bool {
        *self == Self::Standard
    }
}

/// One check digit's verdict: kept rather than turned into an error, so that a reader still sees
/// every field of a zone with a wrong digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CheckDigitResult {
    /// Whether the digit in the zone matches the data.
    pub valid: bool,
    /// The digit the data calls for under `rule`.
    pub expected: char,
    /// The character found in the check-digit position.
    pub found: char,
    /// The computation that `expected` comes from (omitted from JSON when standard).
    #[serde(skip_serializing_if = "CheckDigitRule::is_standard")]
    pub rule: CheckDigitRule,
}

impl CheckDigitResult {
    /// Holds `found` against the standard check digit of `data`.
    pub(crate) fn standard(data: &str, found: char) -> Self {
        let expected = check_digit_of_validated(data);
        Self { valid: expected == found, expected, found, rule: CheckDigitRule::Standard }
    }
}
