//! The matchable form of a record: what probabilistic matching reads of it, whatever it came from
//! (an agency's subject, a CSV row of a benchmark).

use hospes_model::{Sex, Subject};
use serde::{Deserialize, Serialize};

/// One record as matching sees it. Every field may be missing; names may be in any script.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchRecord {
    /// The record's id in its source (a ledger record id, a CSV `rec_id`).
    pub id: String,
    /// Which input the record came from: always 0 when deduplicating one input; 0 or 1 when linking
    /// two, where only pairs across the inputs are compared.
    pub source: u8,
    /// Every spelling of the name the source holds (native script, Latin, older romanisations).
    pub names: Vec<NameSpelling>,
    pub birth_date: Option<BirthDate>,
    pub sex: Option<Sex>,
    /// ISO 3166-1 alpha-3, or whatever the source wrote.
    pub citizenship: Option<String>,
    pub address: Address,
    pub identifiers: Identifiers,
}

/// One spelling of a name, in the three fields agencies use. Any part may hold more than it
/// should (a patronymic in the given name, two surnames): normalisation sorts that out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameSpelling {
    pub surname: String,
    pub given: Option<String>,
    pub patronymic: Option<String>,
}

impl NameSpelling {
    pub fn new(surname: impl Into<String>, given: Option<&str>, patronymic: Option<&str>) -> Self {
        Self { surname: surname.into(), given: given.map(str::to_owned), patronymic: patronymic.map(str::to_owned) }
    }
}

/// A birth date as written: year, month and day digits, kept even when they make no calendar
/// date (month 13, 31 February), because a mistyped date is still evidence: compared digit by
/// digit it may be one keystroke away from the true one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BirthDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// Why a birth date could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unreadable birth date {text:?}: expected YYYY-MM-DD, YYYYMMDD or DD.MM.YYYY")]
pub struct BirthDateError {
    pub text: String,
}

impl BirthDate {
    /// Reads `YYYY-MM-DD`, `YYYYMMDD` or `DD.MM.YYYY`. Digits that make no calendar date are kept
    /// (see [`BirthDate::is_plausible`]); anything else is an error.
    pub fn parse(text: &str) -> Result<Self, BirthDateError> {
        let error = || BirthDateError { text: text.to_owned() };
        let trimmed = text.trim();
        let digits: Vec<u32> = trimmed.chars().filter_map(|character| character.to_digit(10)).collect();
        let separators: Vec<char> = trimmed.chars().filter(|character| !character.is_ascii_digit()).collect();
        if digits.len() != 8 || !separators.iter().all(|separator| matches!(separator, '-' | '.' | '/')) {
            return Err(error());
        }
        let number = |range: std::ops::Range<usize>| digits[range].iter().fold(0u32, |value, digit| value * 10 + digit);
        let day_first = trimmed.find(['.', '/']).is_some_and(|position| position == 2);
        let (year, month, day) = if day_first {
            (number(4..8), number(2..4), number(0..2))
        } else {
            (number(0..4), number(4..6), number(6..8))
        };
        Ok(Self { year: year as u16, month: month as u8, day: day as u8 })
    }

    /// The date as the number `YYYYMMDD`.
    pub fn as_number(self) -> u32 {
        u32::from(self.year) * 10_000 + u32::from(self.month) * 100 + u32::from(self.day)
    }

    /// Whether the digits make a calendar date between 1880 and 2100.
    pub fn is_plausible(self) -> bool {
        (1880..=2100).contains(&self.year)
            && chrono::NaiveDate::from_ymd_opt(i32::from(self.year), u32::from(self.month), u32::from(self.day))
                .is_some()
    }
}

impl std::fmt::Display for BirthDate {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Where the person lives or stayed, as far as the source says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub postcode: Option<String>,
    /// City, town or suburb.
    pub city: Option<String>,
    pub street: Option<String>,
    pub house: Option<String>,
    /// A second address line: a building, an estate, a village within the city.
    pub locality: Option<String>,
    /// State, region or oblast.
    pub region: Option<String>,
}

/// Strong identifiers: evidence with comparison levels of their own, never keys that link blindly
/// (numbers are mistyped, reused across countries, renewed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifiers {
    /// Travel and identity document numbers, current and previous: a renewal lists both.
    pub documents: Vec<String>,
    pub taxpayer_number: Option<String>,
    pub social_insurance_number: Option<String>,
    pub phone: Option<String>,
    /// Another national identifier (a benchmark's social security number).
    pub national_id: Option<String>,
}

impl MatchRecord {
    /// The matchable form of an agency's subject.
    pub fn from_subject(id: impl Into<String>, subject: &Subject) -> Self {
        let part = |text: &hospes_model::NamePart| text.as_str().to_owned();
        Self {
            id: id.into(),
            source: 0,
            names: subject
                .names
                .iter()
                .map(|name| NameSpelling {
                    surname: part(&name.surname),
                    given: name.given_names.as_ref().map(part),
                    patronymic: name.patronymic.as_ref().map(part),
                })
                .collect(),
            birth_date: subject.birth_date.map(|date| {
                use chrono::Datelike;
                let naive = date.naive();
                BirthDate { year: naive.year() as u16, month: naive.month() as u8, day: naive.day() as u8 }
            }),
            sex: subject.sex,
            citizenship: subject.citizenship.as_ref().map(ToString::to_string),
            address: Address::default(),
            identifiers: Identifiers {
                documents: subject.documents.iter().map(|document| document.number.to_string()).collect(),
                taxpayer_number: subject.taxpayer_number.as_ref().map(ToString::to_string),
                social_insurance_number: subject.social_insurance_number.as_ref().map(ToString::to_string),
                phone: subject.phone.as_ref().map(ToString::to_string),
                national_id: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_dates_in_three_layouts() {
        let expected = BirthDate { year: 1990, month: 4, day: 12 };
        for text in ["1990-04-12", "19900412", "12.04.1990", " 12/04/1990 "] {
            assert_eq!(BirthDate::parse(text), Ok(expected), "{text}");
        }
        assert!(expected.is_plausible());
        assert_eq!(expected.as_number(), 19_900_412);
        assert_eq!(expected.to_string(), "1990-04-12");
    }

    #[test]
    fn absurd_dates_are_kept_but_marked() {
        let date = BirthDate::parse("1990-13-45").unwrap();
        assert!(!date.is_plausible());
        assert!(!BirthDate::parse("0000-00-00").unwrap().is_plausible());
        for text in ["", "1990", "1990-04-1x", "april 1990", "1990-04-123"] {
            assert!(BirthDate::parse(text).is_err(), "{text}");
        }
    }
}
