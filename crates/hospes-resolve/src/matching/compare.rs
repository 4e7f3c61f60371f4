//! Field comparisons with graded levels: for each field of a pair of records, how well they agree,
//! from "exact" down to "different", or "missing" when either record lacks the field (a missing
//! field is no evidence either way).
//!
//! Levels are ordered from the strongest agreement to disagreement; their weights are not fixed
//! here but estimated from the data (`model`), so a level only has to separate pairs that behave
//! differently. Names are compared on their skeletons (script-independent) with Jaro–Winkler and
//! optimal-string-alignment distance over characters; a pair of records may carry several
//! spellings each and may have surname and given name in each other's fields, so names are
//! compared under every pairing of spellings, straight and swapped, and the best is kept.

use serde::{Deserialize, Serialize};

use super::normalise::{Dictionary, PreparedName, PreparedPart, PreparedPatronymic, PreparedRecord};
use super::record::BirthDate;
use super::similarity::{jaro_winkler_bytes as jaro_winkler, within_one_edit, within_one_edit_str};

/// A field that matching compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Surname,
    GivenName,
    Patronymic,
    BirthDate,
    Sex,
    Citizenship,
    Postcode,
    City,
    Street,
    House,
    Locality,
    Region,
    Document,
    TaxpayerNumber,
    SocialInsuranceNumber,
    Phone,
    NationalId,
}

/// How many fields there are.
pub const FIELD_COUNT: usize = 17;

/// Whether a record has a field at all (so that a comparison of it with another record that has it
/// is not missing).
pub(crate) fn has_field(record: &PreparedRecord, dictionary: &Dictionary, field: Field) -> bool {
    let has_part =
        |part: fn(&PreparedName) -> bool| record.names.iter().filter_map(|id| dictionary.name(*id)).any(part);
    match field {
        Field::Surname => has_part(|name| name.surname.is_some()),
        Field::GivenName => has_part(|name| name.given.is_some()),
        Field::Patronymic => has_part(|name| name.patronymic.is_some()),
        Field::BirthDate => record.birth_date.is_some(),
        Field::Sex => record.sex.is_some(),
        Field::Citizenship => record.citizenship.is_some(),
        Field::Postcode => record.postcode.is_some(),
        Field::City => record.city.is_some(),
        Field::Street => record.street.is_some(),
        Field::House => record.house.is_some(),
        Field::Locality => record.locality.is_some(),
        Field::Region => record.region.is_some(),
        Field::Document => !record.documents.is_empty(),
        Field::TaxpayerNumber => record.taxpayer_number.is_some(),
        Field::SocialInsuranceNumber => record.social_insurance_number.is_some(),
        Field::Phone => record.phone.is_some(),
        Field::NationalId => record.national_id.is_some(),
    }
}

/// Levels of the two name parts.
const NAME_LEVELS: &[&str] = &["exact", "skeleton_equal", "close", "token_subset", "similar", "initials", "different"];
const PATRONYMIC_LEVELS: &[&str] = &["stem_equal", "stem_close", "initial", "different"];
const BIRTH_DATE_LEVELS: &[&str] = &["exact", "day_month_swapped", "one_typo", "same_year", "different"];
const EQUAL_LEVELS: &[&str] = &["equal", "different"];
const IDENTIFIER_LEVELS: &[&str] = &["exact", "one_typo", "different"];
const TEXT_LEVELS: &[&str] = &["exact", "close", "similar", "different"];

impl Field {
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::Surname,
        Field::GivenName,
        Field::Patronymic,
        Field::BirthDate,
        Field::Sex,
        Field::Citizenship,
        Field::Postcode,
        Field::City,
        Field::Street,
        Field::House,
        Field::Locality,
        Field::Region,
        Field::Document,
        Field::TaxpayerNumber,
        Field::SocialInsuranceNumber,
        Field::Phone,
        Field::NationalId,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Surname => "surname",
            Field::GivenName => "given_name",
            Field::Patronymic => "patronymic",
            Field::BirthDate => "birth_date",
            Field::Sex => "sex",
            Field::Citizenship => "citizenship",
            Field::Postcode => "postcode",
            Field::City => "city",
            Field::Street => "street",
            Field::House => "house",
            Field::Locality => "locality",
            Field::Region => "region",
            Field::Document => "document",
            Field::TaxpayerNumber => "taxpayer_number",
            Field::SocialInsuranceNumber => "social_insurance_number",
            Field::Phone => "phone",
            Field::NationalId => "national_id",
        }
    }

    /// The names of the field's levels, strongest agreement first.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Field::Surname | Field::GivenName => NAME_LEVELS,
            Field::Patronymic => PATRONYMIC_LEVELS,
            Field::BirthDate => BIRTH_DATE_LEVELS,
            Field::Sex | Field::Citizenship | Field::House | Field::Region => EQUAL_LEVELS,
            Field::Postcode
            | Field::Document
            | Field::TaxpayerNumber
            | Field::SocialInsuranceNumber
            | Field::Phone
            | Field::NationalId => IDENTIFIER_LEVELS,
            Field::City | Field::Street | Field::Locality => TEXT_LEVELS,
        }
    }

    /// Whether agreement on this field is adjusted for how common the agreed value is.
    pub fn term_frequency_adjusted(self) -> bool {
        matches!(
            self,
            Field::Surname
                | Field::GivenName
                | Field::Patronymic
                | Field::BirthDate
                | Field::City
                | Field::Street
                | Field::Postcode
        )
    }

    /// The levels at which the term-frequency adjustment applies: those where both records hold
    /// the same value.
    pub(crate) fn adjusted_level(self, level: u8) -> bool {
        match self {
            Field::Surname | Field::GivenName => level == name_level::EXACT || level == name_level::SKELETON_EQUAL,
            _ => self.term_frequency_adjusted() && level == 0,
        }
    }

    /// Whether the field is a strong identifier (an official number).
    pub fn is_identifier(self) -> bool {
        matches!(
            self,
            Field::Document | Field::TaxpayerNumber | Field::SocialInsuranceNumber | Field::Phone | Field::NationalId
        )
    }
}

/// Name levels, as indices into [`NAME_LEVELS`].
pub(crate) mod name_level {
    pub const EXACT: u8 = 0;
    pub const SKELETON_EQUAL: u8 = 1;
    pub const CLOSE: u8 = 2;
    pub const TOKEN_SUBSET: u8 = 3;
    pub const SIMILAR: u8 = 4;
    pub const INITIALS: u8 = 5;
    pub const DIFFERENT: u8 = 6;
}

/// Birth date levels, as indices into [`BIRTH_DATE_LEVELS`].
pub(crate) mod date_level {
    pub const EXACT: u8 = 0;
    pub const SWAPPED: u8 = 1;
    pub const ONE_TYPO: u8 = 2;
    pub const SAME_YEAR: u8 = 3;
    pub const DIFFERENT: u8 = 4;
}

/// The level of each field for one pair; [`ComparisonVector::MISSING`] where either record lacks
/// the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComparisonVector(pub [u8; FIELD_COUNT]);

impl ComparisonVector {
    pub const MISSING: u8 = u8::MAX;

    pub fn level(&self, field: Field) -> Option<u8> {
        let level = self.0[field.index()];
        (level != Self::MISSING).then_some(level)
    }
}

/// The values that agreed on a pair, for the term-frequency adjustment: the skeleton ids of the
/// surname, given name and patronymic of the best pairing of spellings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct AgreedValues {
    pub(crate) surname: Option<u32>,
    pub(crate) given: Option<u32>,
    pub(crate) patronymic: Option<u32>,
}

/// Jaro–Winkler at or above which two skeletons are close.
const CLOSE_SIMILARITY: f64 = 0.92;
/// Jaro–Winkler at or above which two skeletons are similar.
const SIMILAR_SIMILARITY: f64 = 0.80;

/// Compares two prepared records field by field.
pub(crate) fn compare(
    left: &PreparedRecord,
    right: &PreparedRecord,
    vocabulary: &Dictionary,
) -> (ComparisonVector, AgreedValues) {
    let mut levels = [ComparisonVector::MISSING; FIELD_COUNT];
    let (names, agreed) = compare_names(&left.names, &right.names, vocabulary);
    levels[Field::Surname.index()] = names[0];
    levels[Field::GivenName.index()] = names[1];
    levels[Field::Patronymic.index()] = names[2];
    levels[Field::BirthDate.index()] = option_level(left.birth_date, right.birth_date, compare_birth_dates);
    levels[Field::Sex.index()] = option_level(left.sex, right.sex, |a, b| u8::from(a != b));
    levels[Field::Citizenship.index()] = option_level(left.citizenship, right.citizenship, |a, b| u8::from(a != b));
    levels[Field::Postcode.index()] =
        option_level(left.postcode, right.postcode, |a, b| compare_identifiers(a, b, vocabulary));
    levels[Field::City.index()] = option_level(left.city, right.city, |a, b| compare_texts(a, b, vocabulary));
    levels[Field::Street.index()] = option_level(left.street, right.street, |a, b| compare_texts(a, b, vocabulary));
    levels[Field::House.index()] = option_level(left.house, right.house, |a, b| u8::from(a != b));
    levels[Field::Locality.index()] =
        option_level(left.locality, right.locality, |a, b| compare_texts(a, b, vocabulary));
    levels[Field::Region.index()] = option_level(left.region, right.region, |a, b| u8::from(a != b));
    levels[Field::Document.index()] = compare_identifier_sets(&left.documents, &right.documents, vocabulary);
    levels[Field::TaxpayerNumber.index()] =
        option_level(left.taxpayer_number, right.taxpayer_number, |a, b| compare_identifiers(a, b, vocabulary));
    levels[Field::SocialInsuranceNumber.index()] =
        option_level(left.social_insurance_number, right.social_insurance_number, |a, b| {
            compare_identifiers(a, b, vocabulary)
        });
    levels[Field::Phone.index()] = option_level(left.phone, right.phone, |a, b| compare_identifiers(a, b, vocabulary));
    levels[Field::NationalId.index()] =
        option_level(left.national_id, right.national_id, |a, b| compare_identifiers(a, b, vocabulary));
    (ComparisonVector(levels), agreed)
}

fn option_level<T: Copy>(left: Option<T>, right: Option<T>, compare: impl FnOnce(T, T) -> u8) -> u8 {
    match (left, right) {
        (Some(left), Some(right)) => compare(left, right),
        _ => ComparisonVector::MISSING,
    }
}

/// Birth dates: exact; day and month swapped; one keystroke apart (one digit of `YYYYMMDD`
/// changed, or two neighbouring digits transposed); the same year; different.
pub(crate) fn compare_birth_dates(left: BirthDate, right: BirthDate) -> u8 {
    if left == right {
        return date_level::EXACT;
    }
    if left.year == right.year && left.day == right.month && left.month == right.day {
        return date_level::SWAPPED;
    }
    let digits = |date: BirthDate| {
        let mut number = date.as_number();
        let mut digits = [0u8; 8];
        for digit in digits.iter_mut().rev() {
            *digit = (number % 10) as u8;
            number /= 10;
        }
        digits
    };
    let (left_digits, right_digits) = (digits(left), digits(right));
    let differing: Vec<usize> = (0..8).filter(|index| left_digits[*index] != right_digits[*index]).collect();
    let one_typo = match differing.as_slice() {
        [_] => true,
        [first, second] => {
            *second == first + 1
                && left_digits[*first] == right_digits[*second]
                && left_digits[*second] == right_digits[*first]
        }
        _ => false,
    };
    if one_typo {
        date_level::ONE_TYPO
    } else if left.year == right.year {
        date_level::SAME_YEAR
    } else {
        date_level::DIFFERENT
    }
}

/// Identifiers: exact; one keystroke apart (one character changed, dropped, added, or two
/// neighbours transposed); different.
fn compare_identifiers(left: u32, right: u32, vocabulary: &Dictionary) -> u8 {
    if left == right {
        return 0;
    }
    let (left, right) = (vocabulary.get(left), vocabulary.get(right));
    let long_enough = left.chars().count().min(right.chars().count()) >= 4;
    if long_enough && within_one_edit_str(left, right) { 1 } else { 2 }
}

/// Sets of identifiers (documents, current and previous): the best level over all pairs.
fn compare_identifier_sets(left: &[u32], right: &[u32], vocabulary: &Dictionary) -> u8 {
    if left.is_empty() || right.is_empty() {
        return ComparisonVector::MISSING;
    }
    let mut best = 2;
    for a in left {
        for b in right {
            best = best.min(compare_identifiers(*a, *b, vocabulary));
            if best == 0 {
                return 0;
            }
        }
    }
    best
}

/// Address texts (skeletons): exact; close; similar; different.
fn compare_texts(left: u32, right: u32, vocabulary: &Dictionary) -> u8 {
    if left == right {
        return 0;
    }
    let similarity = jaro_winkler(vocabulary.get(left).as_bytes(), vocabulary.get(right).as_bytes());
    if similarity >= CLOSE_SIMILARITY {
        1
    } else if similarity >= SIMILAR_SIMILARITY {
        2
    } else {
        3
    }
}

/// A rough strength of each name level, used only to pick the best pairing of spellings (the
/// model's weights come later). Missing counts as nothing.
fn name_level_strength(level: u8) -> i32 {
    match level {
        name_level::EXACT => 10,
        name_level::SKELETON_EQUAL => 9,
        name_level::CLOSE => 7,
        name_level::TOKEN_SUBSET => 5,
        name_level::SIMILAR => 2,
        name_level::INITIALS => 2,
        name_level::DIFFERENT => -6,
        _ => 0,
    }
}

fn patronymic_level_strength(level: u8) -> i32 {
    match level {
        0 => 5,
        1 => 3,
        2 => 1,
        3 => -4,
        _ => 0,
    }
}

/// The levels at which two spellings of a name agree: surname, given name and patronymic (`None`
/// where either lacks the part), with the pairing straight or swapped, whichever fits better. For
/// tests and explanations of names alone; matching compares whole records.
pub fn compare_name_spellings(
    left: &super::record::NameSpelling,
    right: &super::record::NameSpelling,
) -> [Option<&'static str>; 3] {
    let mut normaliser = super::normalise::Normaliser::new();
    let mut warnings = super::normalise::NormaliseWarnings::default();
    let record = |spelling: &super::record::NameSpelling| super::record::MatchRecord {
        names: vec![spelling.clone()],
        ..super::record::MatchRecord::default()
    };
    let left = normaliser.prepare(&record(left), &mut warnings);
    let right = normaliser.prepare(&record(right), &mut warnings);
    let dictionary = normaliser.into_dictionary();
    let (levels, _) = compare_names(&left.names, &right.names, &dictionary);
    let name = |field: Field, level: u8| field.levels().get(level as usize).copied();
    [name(Field::Surname, levels[0]), name(Field::GivenName, levels[1]), name(Field::Patronymic, levels[2])]
}

/// Compares the names of two records under every pairing of their spellings, straight and with
/// surname and given name swapped, and keeps the best: levels of surname, given name and
/// patronymic, and the values that agreed.
pub(crate) fn compare_names(left: &[u32], right: &[u32], vocabulary: &Dictionary) -> ([u8; 3], AgreedValues) {
    let mut best = ([ComparisonVector::MISSING; 3], AgreedValues::default());
    let mut best_strength = i32::MIN;
    for a in left.iter().filter_map(|id| vocabulary.name(*id)) {
        for b in right.iter().filter_map(|id| vocabulary.name(*id)) {
            let patronymic = compare_patronymics(a.patronymic, b.patronymic, vocabulary);
            let patronymic_strength = patronymic_level_strength(patronymic);
            for swapped in [false, true] {
                let (b_surname, b_given) = if swapped { (&b.given, &b.surname) } else { (&b.surname, &b.given) };
                let surname = compare_parts(a.surname.as_ref(), b_surname.as_ref(), vocabulary);
                let given = compare_parts(a.given.as_ref(), b_given.as_ref(), vocabulary);
                // A swap must earn its place: it is taken only when strictly better.
                let strength = name_level_strength(surname) + name_level_strength(given) + patronymic_strength
                    - i32::from(swapped);
                if strength > best_strength {
                    best_strength = strength;
                    let agreed_key = |part: Option<&PreparedPart>, level: u8| {
                        (level <= name_level::SKELETON_EQUAL).then(|| part.and_then(|part| part.key)).flatten()
                    };
                    best = (
                        [surname, given, patronymic],
                        AgreedValues {
                            surname: agreed_key(a.surname.as_ref(), surname),
                            given: agreed_key(a.given.as_ref(), given),
                            patronymic: match (patronymic, a.patronymic) {
                                (0, Some(PreparedPatronymic::Stem(stem))) => Some(stem),
                                _ => None,
                            },
                        },
                    );
                }
            }
        }
    }
    best
}

/// Compares one name part with another.
pub(crate) fn compare_parts(left: Option<&PreparedPart>, right: Option<&PreparedPart>, vocabulary: &Dictionary) -> u8 {
    let (Some(left), Some(right)) = (left, right) else {
        return ComparisonVector::MISSING;
    };
    if left.text == right.text {
        return name_level::EXACT;
    }
    if left.only_initials || right.only_initials {
        return compare_initials(left, right);
    }
    let (Some(left_key), Some(right_key)) = (left.key, right.key) else {
        // Words only in a script the skeleton cannot read, and not written identically.
        return name_level::DIFFERENT;
    };
    if left_key == right_key {
        return name_level::SKELETON_EQUAL;
    }
    let (left_text, right_text) = (vocabulary.get(left_key).as_bytes(), vocabulary.get(right_key).as_bytes());
    let similarity = jaro_winkler(left_text, right_text);
    if similarity >= CLOSE_SIMILARITY
        || (left_text.len().min(right_text.len()) >= 4 && within_one_edit(left_text, right_text))
    {
        return name_level::CLOSE;
    }
    if is_token_subset(&left.words, &right.words, vocabulary) {
        return name_level::TOKEN_SUBSET;
    }
    if similarity >= SIMILAR_SIMILARITY {
        return name_level::SIMILAR;
    }
    name_level::DIFFERENT
}

/// Whether every word of the shorter part is (closely) a word of the longer one: a double surname
/// against one of its halves, a second given name dropped.
fn is_token_subset(left: &[u32], right: &[u32], vocabulary: &Dictionary) -> bool {
    let (shorter, longer) = if left.len() <= right.len() { (left, right) } else { (right, left) };
    if shorter.is_empty() || longer.len() < 2 && shorter.len() == longer.len() {
        return false;
    }
    shorter.iter().all(|word| {
        longer.iter().any(|other| {
            word == other || {
                let (a, b) = (vocabulary.get(*word).as_bytes(), vocabulary.get(*other).as_bytes());
                a.len().min(b.len()) >= 4 && jaro_winkler(a, b) >= CLOSE_SIMILARITY
            }
        })
    })
}

/// A part written as initials against another: the initials must be those of the other's first
/// words.
fn compare_initials(left: &PreparedPart, right: &PreparedPart) -> u8 {
    let (initials, other) = if left.only_initials { (left, right) } else { (right, left) };
    if initials.initials.is_empty() || other.initials.is_empty() {
        return name_level::DIFFERENT;
    }
    let agree = initials.initials.iter().zip(other.initials.iter()).all(|(a, b)| a == b)
        || initials.initials.first() == other.initials.first();
    if agree { name_level::INITIALS } else { name_level::DIFFERENT }
}

/// Patronymics: the same father's name; a close one (typo, or `Dmitrievich` against `Dmitriy`);
/// an initial that fits; different.
fn compare_patronymics(
    left: Option<PreparedPatronymic>,
    right: Option<PreparedPatronymic>,
    vocabulary: &Dictionary,
) -> u8 {
    let (Some(left), Some(right)) = (left, right) else {
        return ComparisonVector::MISSING;
    };
    match (left, right) {
        (PreparedPatronymic::Stem(a), PreparedPatronymic::Stem(b)) => {
            if a == b {
                return 0;
            }
            let (a, b) = (vocabulary.get(a).as_bytes(), vocabulary.get(b).as_bytes());
            let prefix = a.len().min(b.len()) >= 4 && (a.starts_with(b) || b.starts_with(a));
            if prefix || jaro_winkler(a, b) >= 0.9 || within_one_edit(a, b) { 1 } else { 3 }
        }
        (a, b) => {
            let initial = |patronymic: PreparedPatronymic| match patronymic {
                PreparedPatronymic::Stem(stem) => vocabulary.get(stem).bytes().next(),
                PreparedPatronymic::Initial(initial) => Some(initial),
            };
            if initial(a).is_some() && initial(a) == initial(b) { 2 } else { 3 }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> BirthDate {
        BirthDate::parse(text).unwrap()
    }

    #[test]
    fn birth_date_levels() {
        let check = |left: &str, right: &str, expected: u8| {
            assert_eq!(compare_birth_dates(date(left), date(right)), expected, "{left} against {right}");
        };
        check("1990-04-12", "1990-04-12", date_level::EXACT);
        check("1990-04-12", "1990-12-04", date_level::SWAPPED);
        check("1990-04-12", "1990-04-13", date_level::ONE_TYPO);
        check("1990-04-12", "1980-04-12", date_level::ONE_TYPO);
        check("1990-04-12", "1990-04-21", date_level::ONE_TYPO);
        check("1990-04-12", "1909-04-12", date_level::ONE_TYPO);
        check("1990-04-12", "1990-07-25", date_level::SAME_YEAR);
        check("1990-04-12", "1991-05-12", date_level::DIFFERENT);
        check("1990-13-45", "1990-12-45", date_level::ONE_TYPO);
    }
}
