//! The values an MRZ carries, each a type that can only hold what the zone can express.

use serde::Serialize;

use crate::check_digit::FILLER;
use crate::transliteration::{TransliterationError, TransliterationOptions, transliterate_name};

/// The fields of a machine-readable zone, as the parser and the encoder name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MrzField {
    /// Document code: one or two letters (`P`, `PO`, `I`, `ID`, `V`, …).
    DocumentCode,
    /// Issuing state or organisation (three-letter code, fillers dropped).
    IssuingState,
    /// Name of the holder.
    Name,
    /// Document number.
    DocumentNumber,
    /// Nationality (three-letter code, fillers dropped).
    Nationality,
    /// Date of birth.
    BirthDate,
    /// Sex.
    Sex,
    /// Date of expiry.
    ExpiryDate,
    /// Optional data (TD1 upper line, TD2 and visa lower line, TD3 personal number).
    OptionalData,
    /// TD1's second optional data field (middle line).
    OptionalData2,
}

impl MrzField {
    /// The snake-case name used in JSON and in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::DocumentCode => "document_code",
            Self::IssuingState => "issuing_state",
            Self::Name => "name",
            Self::DocumentNumber => "document_number",
            Self::Nationality => "nationality",
            Self::BirthDate => "birth_date",
            Self::Sex => "sex",
            Self::ExpiryDate => "expiry_date",
            Self::OptionalData => "optional_data",
            Self::OptionalData2 => "optional_data_2",
        }
    }
}

impl std::fmt::Display for MrzField {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.name())
    }
}

/// A value that cannot stand in its MRZ field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {value:?}: {reason}")]
pub struct InvalidFieldValue {
    /// The field the value was meant for.
    pub field: MrzField,
    /// The value as given.
    pub value: String,
    /// What is wrong with it.
    pub reason: &'static str,
    /// Zero-based character index of the first offending character, when one is to blame.
    pub offending_index: Option<usize>,
}

impl InvalidFieldValue {
    fn new(field: MrzField, value: &str, reason: &'static str, offending_index: Option<usize>) -> Self {
        Self { field, value: value.to_string(), reason, offending_index }
    }
}

/// Drops the fillers that pad a field on the right.
fn trim_trailing_fillers(value: &str) -> &str {
    value.trim_end_matches(FILLER)
}

fn first_index_where(value: &str, predicate: impl Fn(char) -> bool) -> Option<usize> {
    value.chars().position(predicate)
}

/// The document code: a letter saying what kind of document it is, and optionally a second
/// letter the issuer chooses. Stored without fillers (`P<` is `P`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct DocumentCode(String);

impl DocumentCode {
    /// Accepts one or two characters, the first a letter, the second a letter or filler.
    pub fn new(code: &str) -> Result<Self, InvalidFieldValue> {
        let trimmed = trim_trailing_fillers(code);
        let field = MrzField::DocumentCode;
        if trimmed.is_empty() {
            return Err(InvalidFieldValue::new(field, code, "the document code is empty", Some(0)));
        }
        if trimmed.chars().count() > 2 {
            return Err(InvalidFieldValue::new(field, code, "a document code has at most two characters", None));
        }
        if let Some(index) = first_index_where(trimmed, |character| !character.is_ascii_uppercase()) {
            return Err(InvalidFieldValue::new(
                field,
                code,
                "a document code holds letters A–Z only, the first one never a filler",
                Some(index),
            ));
        }
        Ok(Self(trimmed.to_string()))
    }

    /// The code without fillers.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the first letter says about the document.
    pub fn kind(&self) -> DocumentKind {
        match self.0.chars().next() {
            Some('P') => DocumentKind::Passport,
            Some('V') => DocumentKind::Visa,
            Some('I') => DocumentKind::IdentityCard,
            Some('A' | 'C') => DocumentKind::OtherOfficialTravelDocument,
            _ => DocumentKind::Unrecognised,
        }
    }
}

/// The kind of document, from the first letter of its document code (Doc 9303 Parts 4–7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// `P`: a passport.
    Passport,
    /// `V`: a machine-readable visa.
    Visa,
    /// `I`: an identity card or other official travel document the issuer marks `I`.
    IdentityCard,
    /// `A` or `C`: another official travel document (crew certificates, residence permits, …).
    OtherOfficialTravelDocument,
    /// A first letter Doc 9303 does not assign.
    Unrecognised,
}

/// A state or organisation code (issuing state, nationality): up to three letters, stored without
/// fillers (`D<<` is `D`). Codes are not checked against a list: Doc 9303 adds codes over time and
/// specimens use `UTO`, so a list belongs to the policy that reads the result.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct StateCode(String);

impl StateCode {
    /// Accepts one to three letters, padded with fillers on the right or not.
    pub fn new(code: &str, field: MrzField) -> Result<Self, InvalidFieldValue> {
        let trimmed = trim_trailing_fillers(code);
        if trimmed.is_empty() {
            return Err(InvalidFieldValue::new(field, code, "the state code is empty", Some(0)));
        }
        if trimmed.chars().count() > 3 {
            return Err(InvalidFieldValue::new(field, code, "a state code has at most three letters", None));
        }
        if let Some(index) = first_index_where(trimmed, |character| !character.is_ascii_uppercase()) {
            return Err(InvalidFieldValue::new(
                field,
                code,
                "a state code holds letters A–Z only, with fillers only after them",
                Some(index),
            ));
        }
        Ok(Self(trimmed.to_string()))
    }

    /// The code without fillers.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A document number: letters, digits and (rarely, inside it) fillers, stored without the fillers
/// that pad it on the right. TD1 and TD2 numbers may be longer than nine characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct DocumentNumber(String);

impl DocumentNumber {
    /// Accepts MRZ letters, digits and fillers; trailing fillers are dropped.
    pub fn new(number: &str) -> Result<Self, InvalidFieldValue> {
        let trimmed = trim_trailing_fillers(number);
        if let Some(index) = first_index_where(trimmed, |character| {
            !(character.is_ascii_uppercase() || character.is_ascii_digit() || character == FILLER)
        }) {
            return Err(InvalidFieldValue::new(
                MrzField::DocumentNumber,
                number,
                "a document number holds A–Z, 0–9 and < only",
                Some(index),
            ));
        }
        Ok(Self(trimmed.to_string()))
    }

    /// The number without its padding.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Optional data: whatever the issuer puts there, in MRZ characters, stored without the fillers
/// that pad it on the right (fillers inside it are data and stay).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(transparent)]
pub struct OptionalData(String);

impl OptionalData {
    /// Accepts MRZ characters; trailing fillers are dropped.
    pub fn new(data: &str, field: MrzField) -> Result<Self, InvalidFieldValue> {
        let trimmed = trim_trailing_fillers(data);
        if let Some(index) = first_index_where(trimmed, |character| {
            !(character.is_ascii_uppercase() || character.is_ascii_digit() || character == FILLER)
        }) {
            return Err(InvalidFieldValue::new(field, data, "optional data holds A–Z, 0–9 and < only", Some(index)));
        }
        Ok(Self(trimmed.to_string()))
    }

    /// No optional data.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The data without its padding.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether there is no data.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Sex as the MRZ records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// `M`.
    Male,
    /// `F`.
    Female,
    /// `<`: unspecified. Some issuers write `X` (the visual-zone letter) in the MRZ; it is read as
    /// unspecified too, and written back as `<`.
    Unspecified,
}

impl Sex {
    /// Reads the one-character field.
    pub fn from_mrz_character(character: char) -> Option<Self> {
        match character {
            'M' => Some(Self::Male),
            'F' => Some(Self::Female),
            FILLER | 'X' => Some(Self::Unspecified),
            _ => None,
        }
    }

    /// The character written into the zone.
    pub fn mrz_character(self) -> char {
        match self {
            Self::Male => 'M',
            Self::Female => 'F',
            Self::Unspecified => FILLER,
        }
    }
}

/// The holder's name in MRZ letters: the primary identifier (usually the surname) and the
/// secondary identifier (given names), each as words of `A`–`Z` separated by single spaces.
///
/// In the zone the two are joined by `<<` and the words by `<`; a name with a primary identifier
/// only is written without the `<<`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Default)]
pub struct HolderName {
    primary_identifier: String,
    secondary_identifier: String,
}

impl HolderName {
    /// Takes names already in MRZ letters (`A`–`Z`), with words separated by spaces or `<`.
    /// Use [`HolderName::transliterate`] for names in national characters.
    pub fn new(primary_identifier: &str, secondary_identifier: &str) -> Result<Self, InvalidFieldValue> {
        Ok(Self {
            primary_identifier: normalise_identifier(primary_identifier)?,
            secondary_identifier: normalise_identifier(secondary_identifier)?,
        })
    }

    /// Transliterates names in national characters into MRZ letters (see [`transliterate_name`]).
    pub fn transliterate(
        primary_identifier: &str,
        secondary_identifier: &str,
        options: &TransliterationOptions,
    ) -> Result<Self, TransliterationError> {
        let words = |text: &str| -> Result<String, TransliterationError> {
            Ok(transliterate_name(text, options)?.replace(FILLER, " "))
        };
        Ok(Self { primary_identifier: words(primary_identifier)?, secondary_identifier: words(secondary_identifier)? })
    }

    /// Reads the name field of a zone (fillers included). A name with no `<<` has only a primary
    /// identifier.
    pub fn from_mrz_field(field: &str) -> Result<Self, InvalidFieldValue> {
        if let Some(index) =
            first_index_where(field, |character| !(character.is_ascii_uppercase() || character == FILLER))
        {
            return Err(InvalidFieldValue::new(
                MrzField::Name,
                field,
                "a name holds letters A–Z and fillers only",
                Some(index),
            ));
        }
        let (primary, secondary) = field.split_once("<<").unwrap_or((field, ""));
        Ok(Self {
            primary_identifier: words_from_fillers(primary),
            secondary_identifier: words_from_fillers(secondary),
        })
    }

    /// The primary identifier, words separated by single spaces.
    pub fn primary_identifier(&self) -> &str {
        &self.primary_identifier
    }

    /// The secondary identifier, words separated by single spaces; empty when there is none.
    pub fn secondary_identifier(&self) -> &str {
        &self.secondary_identifier
    }

    /// The name as the zone writes it, without padding: `ERIKSSON<<ANNA<MARIA`.
    pub fn to_mrz_form(&self) -> String {
        let primary = self.primary_identifier.replace(' ', "<");
        if self.secondary_identifier.is_empty() {
            primary
        } else {
            format!("{primary}<<{}", self.secondary_identifier.replace(' ', "<"))
        }
    }
}

/// Turns `ANNA<MARIA<<<` into `ANNA MARIA`.
fn words_from_fillers(part: &str) -> String {
    part.split(FILLER).filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ")
}

fn normalise_identifier(identifier: &str) -> Result<String, InvalidFieldValue> {
    if let Some(index) = first_index_where(identifier, |character| {
        !(character.is_ascii_uppercase() || character == FILLER || character == ' ')
    }) {
        return Err(InvalidFieldValue::new(
            MrzField::Name,
            identifier,
            "an MRZ name holds letters A–Z, spaces and fillers only; transliterate it first",
            Some(index),
        ));
    }
    Ok(identifier.split([' ', FILLER]).filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_name(field: &str, primary: &str, secondary: &str) {
        let name = HolderName::from_mrz_field(field).expect("a valid name field");
        assert_eq!((name.primary_identifier(), name.secondary_identifier()), (primary, secondary), "{field}");
    }

    #[test]
    fn names_split_on_the_double_filler() {
        check_name("ERIKSSON<<ANNA<MARIA<<<<<<<<", "ERIKSSON", "ANNA MARIA");
        check_name("<<ANNA<MARIA<<<<<<<<<<<<<<<<", "", "ANNA MARIA");
        check_name("TEST<<<<<<<<<<<<<<<<<<<<<<<<", "TEST", "");
        check_name("CACADOR<DE<ARAUJO<<ANDRE<ESTEV", "CACADOR DE ARAUJO", "ANDRE ESTEV");
        check_name("MUNIR<<FAISAL<<<<<<<", "MUNIR", "FAISAL");
        check_name("<<<<<<<<<<", "", "");
    }

    #[test]
    fn names_with_other_characters_are_rejected() {
        let error = HolderName::from_mrz_field("M4RCHAND<<FABI3NNE").expect_err("digits in a name");
        assert_eq!(error.offending_index, Some(1));
    }

    #[test]
    fn names_write_back_in_mrz_form() {
        let name = HolderName::new("KOWALSKA KWIATKOWSKA", "JOANNA").expect("letters only");
        assert_eq!(name.to_mrz_form(), "KOWALSKA<KWIATKOWSKA<<JOANNA");
        let name = HolderName::new("<TEST<", "").expect("letters only");
        assert_eq!(name.to_mrz_form(), "TEST");
        assert!(HolderName::new("Test", "").is_err());
    }

    #[test]
    fn codes_drop_their_padding() {
        assert_eq!(DocumentCode::new("P<").map(|code| code.kind()), Ok(DocumentKind::Passport));
        assert_eq!(DocumentCode::new("VB").map(|code| code.kind()), Ok(DocumentKind::Visa));
        assert_eq!(DocumentCode::new("ID").map(|code| code.kind()), Ok(DocumentKind::IdentityCard));
        assert_eq!(DocumentCode::new("AC").map(|code| code.kind()), Ok(DocumentKind::OtherOfficialTravelDocument));
        assert!(DocumentCode::new("<P").is_err());
        assert!(DocumentCode::new("1D").is_err());
        assert_eq!(
            StateCode::new("D<<", MrzField::IssuingState).map(|code| code.as_str().to_string()),
            Ok("D".to_string())
        );
        assert!(StateCode::new("<<<", MrzField::Nationality).is_err());
        assert!(StateCode::new("U7O", MrzField::Nationality).is_err());
        assert!(StateCode::new("D<E", MrzField::Nationality).is_err());
    }
}
