//! Parsed newtypes: values that can only be built by parsing, so holding one is proof that it is valid.
//!
//! Each type deserialises through its `parse` function, so an ingest line with a bad value fails with a
//! message that says what is wrong, and `serde_path_to_error` adds where.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use crate::country::is_known_country_code;

/// Why a value could not be parsed. The message is meant for the agency that sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

impl ParseError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// Declares a string newtype whose only constructor is its `parse` function.
macro_rules! parsed_string {
    ($(#[$meta:meta])* $name:ident, $schema:tt) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(value: String) -> Result<Self, ParseError> {
                Self::parse(&value)
            }
        }

        impl std::str::FromStr for $name {
            type Err = ParseError;
            fn from_str(value: &str) -> Result<Self, ParseError> {
                Self::parse(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(formatter, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

fn describe_char(character: char) -> String {
    if character.is_control() || character.is_whitespace() {
        format!("U+{:04X}", character as u32)
    } else {
        format!("'{character}'")
    }
}

parsed_string!(
    /// An ISO 3166-1 alpha-3 country code (`UZB`, `TJK`), or one of the ICAO 9303 codes for
    /// stateless persons, refugees and international organisations (`XXA`, `XXB`, `XXC`, `XXX`, `UNO`, …).
    CountryCode,
    {
        "type": "string",
        "pattern": "^[A-Z]{3}$",
        "description": "ISO 3166-1 alpha-3 country code, or an ICAO 9303 special code (XXA stateless, XXB refugee, XXC other refugee, XXX unspecified, UNO/UNA/UNK United Nations, EUE European Union, RKS Kosovo)",
        "examples": ["UZB", "TJK", "XXA"]
    }
);

impl CountryCode {
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        if value.len() != 3 || !value.bytes().all(|byte| byte.is_ascii_uppercase()) {
            return Err(ParseError::new(format!(
                "'{value}' is not a country code: expected three capital letters (ISO 3166-1 alpha-3), e.g. UZB"
            )));
        }
        if !is_known_country_code(value) {
            return Err(ParseError::new(format!(
                "'{value}' is not an ISO 3166-1 alpha-3 country code nor an ICAO 9303 special code"
            )));
        }
        Ok(Self(value.to_owned()))
    }
}

parsed_string!(
    /// A travel or identity document number, normalised: capital Latin letters and digits only,
    /// spaces and hyphens removed (agencies write `AA 123-4567` and `AA1234567` for the same passport).
    DocumentNumber,
    {
        "type": "string",
        "pattern": "^[A-Za-z0-9 -]{1,30}$",
        "description": "Document number; letters A-Z and digits, 1 to 24 after spaces and hyphens are removed; stored in capitals",
        "examples": ["FA1234567"]
    }
);

impl DocumentNumber {
    pub const MAX_LENGTH: usize = 24;

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let mut normalised = String::with_capacity(value.len());
        for character in value.chars() {
            match character {
                ' ' | '-' => {}
                'a'..='z' | 'A'..='Z' | '0'..='9' => normalised.push(character.to_ascii_uppercase()),
                other => {
                    return Err(ParseError::new(format!(
                        "document number contains {}: only letters A-Z, digits, spaces and hyphens are allowed",
                        describe_char(other)
                    )));
                }
            }
        }
        if normalised.is_empty() {
            return Err(ParseError::new("document number is empty"));
        }
        if normalised.len() > Self::MAX_LENGTH {
            return Err(ParseError::new(format!(
                "document number has {} characters; at most {} are allowed",
                normalised.len(),
                Self::MAX_LENGTH
            )));
        }
        Ok(Self(normalised))
    }
}

/// Checks the two control digits of a 12-digit individual taxpayer number (INN).
fn individual_taxpayer_number_is_consistent(digits: &[u32; 12]) -> bool {
    const FIRST_WEIGHTS: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    const SECOND_WEIGHTS: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    let first: u32 = FIRST_WEIGHTS.iter().zip(digits).map(|(weight, digit)| weight * digit).sum();
    let second: u32 = SECOND_WEIGHTS.iter().zip(digits).map(|(weight, digit)| weight * digit).sum();
    (first % 11) % 10 == digits[10] && (second % 11) % 10 == digits[11]
}

/// Computes the two control digits that complete the first ten digits of an individual taxpayer number.
pub fn individual_taxpayer_number_control_digits(first_ten: &[u32; 10]) -> [u32; 2] {
    const FIRST_WEIGHTS: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    const SECOND_WEIGHTS: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    let first: u32 = FIRST_WEIGHTS.iter().zip(first_ten).map(|(weight, digit)| weight * digit).sum();
    let first_control = (first % 11) % 10;
    let second: u32 = SECOND_WEIGHTS
        .iter()
        .zip(first_ten.iter().chain(std::iter::once(&first_control)))
        .map(|(weight, digit)| weight * digit)
        .sum();
    [first_control, (second % 11) % 10]
}

parsed_string!(
    /// An individual's taxpayer number (INN): twelve digits whose last two are control digits.
    TaxpayerNumber,
    {
        "type": "string",
        "pattern": "^[0-9]{12}$",
        "description": "Individual taxpayer number (INN): 12 digits, the last two are control digits"
    }
);

impl TaxpayerNumber {
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let digits = parse_digits::<12>(value, "taxpayer number")?;
        if !individual_taxpayer_number_is_consistent(&digits) {
            return Err(ParseError::new(format!(
                "taxpayer number {value} fails its control digits (the last two digits do not match the first ten)"
            )));
        }
        Ok(Self(value.to_owned()))
    }
}

parsed_string!(
    /// An organisation's taxpayer number (INN of a legal entity): ten digits, the last one a control digit.
    OrganisationTaxpayerNumber,
    {
        "type": "string",
        "pattern": "^[0-9]{10}$",
        "description": "Organisation taxpayer number: 10 digits, the last is a control digit"
    }
);

/// Computes the control digit that completes the first nine digits of an organisation taxpayer number.
pub fn organisation_taxpayer_number_control_digit(first_nine: &[u32; 9]) -> u32 {
    const WEIGHTS: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    let sum: u32 = WEIGHTS.iter().zip(first_nine).map(|(weight, digit)| weight * digit).sum();
    (sum % 11) % 10
}

impl OrganisationTaxpayerNumber {
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let digits = parse_digits::<10>(value, "organisation taxpayer number")?;
        let mut first_nine = [0u32; 9];
        first_nine.copy_from_slice(&digits[..9]);
        if organisation_taxpayer_number_control_digit(&first_nine) != digits[9] {
            return Err(ParseError::new(format!("organisation taxpayer number {value} fails its control digit")));
        }
        Ok(Self(value.to_owned()))
    }
}

/// Computes the two-digit checksum of the first nine digits of a social insurance number (SNILS).
pub fn social_insurance_number_checksum(first_nine: &[u32; 9]) -> u32 {
    let sum: u32 = first_nine.iter().enumerate().map(|(index, digit)| digit * (9 - index as u32)).sum();
    match sum {
        0..=99 => sum,
        100 | 101 => 0,
        _ => match sum % 101 {
            100 => 0,
            remainder => remainder,
        },
    }
}

parsed_string!(
    /// A social insurance number (SNILS): eleven digits, the last two a checksum. Written with or
    /// without the usual separators (`112-233-445 95`); stored as bare digits.
    SocialInsuranceNumber,
    {
        "type": "string",
        "pattern": "^[0-9 -]{11,14}$",
        "description": "Social insurance number (SNILS): 11 digits, separators allowed, the last two are a checksum"
    }
);

impl SocialInsuranceNumber {
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let bare: String = value.chars().filter(|character| *character != ' ' && *character != '-').collect();
        let digits = parse_digits::<11>(&bare, "social insurance number")?;
        let mut first_nine = [0u32; 9];
        first_nine.copy_from_slice(&digits[..9]);
        let expected = social_insurance_number_checksum(&first_nine);
        if expected != digits[9] * 10 + digits[10] {
            return Err(ParseError::new(format!(
                "social insurance number {value} fails its checksum (expected {expected:02})"
            )));
        }
        Ok(Self(bare))
    }
}

fn parse_digits<const N: usize>(value: &str, what: &str) -> Result<[u32; N], ParseError> {
    let mut digits = [0u32; N];
    let mut count = 0;
    for character in value.chars() {
        let Some(digit) = character.to_digit(10) else {
            return Err(ParseError::new(format!("{what} contains {}: expected {N} digits", describe_char(character))));
        };
        if count < N {
            digits[count] = digit;
        }
        count += 1;
    }
    if count != N {
        return Err(ParseError::new(format!("{what} has {count} digits; expected {N}")));
    }
    Ok(digits)
}

parsed_string!(
    /// A telephone number in E.164 form: `+` then 8 to 15 digits.
    PhoneNumber,
    {
        "type": "string",
        "pattern": "^\\+[1-9][0-9]{7,14}$",
        "description": "Telephone number in E.164 form",
        "examples": ["+998901234567"]
    }
);

impl PhoneNumber {
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let Some(digits) = value.strip_prefix('+') else {
            return Err(ParseError::new(format!(
                "phone number '{value}' must be in E.164 form, starting with '+' and the country code"
            )));
        };
        if !(8..=15).contains(&digits.len())
            || !digits.bytes().all(|byte| byte.is_ascii_digit())
            || digits.starts_with('0')
        {
            return Err(ParseError::new(format!(
                "phone number '{value}' must be '+' followed by 8 to 15 digits, not starting with 0"
            )));
        }
        Ok(Self(value.to_owned()))
    }
}

parsed_string!(
    /// An e-mail address, checked for shape only (one `@`, a dotted domain, no spaces), stored in lower case.
    EmailAddress,
    {
        "type": "string",
        "format": "email",
        "maxLength": 254
    }
);

impl EmailAddress {
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let invalid = || ParseError::new(format!("'{value}' is not an e-mail address"));
        if value.len() > 254 || value.chars().any(|character| character.is_whitespace() || character.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
        {
            return Err(invalid());
        }
        Ok(Self(value.to_lowercase()))
    }
}

parsed_string!(
    /// A region code in the ISO 3166-2 form (`RU-MOW`, `RU-SPE`).
    RegionCode,
    {
        "type": "string",
        "pattern": "^[A-Z]{2}-[A-Z0-9]{1,3}$",
        "description": "ISO 3166-2 subdivision code",
        "examples": ["RU-MOW"]
    }
);

impl RegionCode {
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let valid = value.split_once('-').is_some_and(|(country, subdivision)| {
            country.len() == 2
                && country.bytes().all(|byte| byte.is_ascii_uppercase())
                && (1..=3).contains(&subdivision.len())
                && subdivision.bytes().all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit())
        });
        if !valid {
            return Err(ParseError::new(format!(
                "'{value}' is not a region code: expected the ISO 3166-2 form such as RU-MOW"
            )));
        }
        Ok(Self(value.to_owned()))
    }
}

parsed_string!(
    /// A currency code of ISO 4217 form: three capital letters.
    CurrencyCode,
    {
        "type": "string",
        "pattern": "^[A-Z]{3}$",
        "examples": ["RUB"]
    }
);

impl CurrencyCode {
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        if value.len() != 3 || !value.bytes().all(|byte| byte.is_ascii_uppercase()) {
            return Err(ParseError::new(format!(
                "'{value}' is not a currency code: expected three capital letters (ISO 4217), e.g. RUB"
            )));
        }
        Ok(Self(value.to_owned()))
    }
}

/// Free text of bounded length with no control characters: names of institutions, places, reasons.
fn parse_text(value: &str, maximum_characters: usize) -> Result<String, ParseError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ParseError::new("text is empty"));
    }
    if let Some(control) = trimmed.chars().find(|character| character.is_control()) {
        return Err(ParseError::new(format!("text contains the control character {}", describe_char(control))));
    }
    let count = trimmed.chars().count();
    if count > maximum_characters {
        return Err(ParseError::new(format!("text has {count} characters; at most {maximum_characters} are allowed")));
    }
    Ok(trimmed.to_owned())
}

parsed_string!(
    /// Short free text (at most 200 characters, no control characters), trimmed.
    ShortText,
    {
        "type": "string",
        "minLength": 1,
        "maxLength": 200
    }
);

impl ShortText {
    pub const MAX_CHARACTERS: usize = 200;

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        parse_text(value, Self::MAX_CHARACTERS).map(Self)
    }
}

parsed_string!(
    /// A personal name part (surname, given names or patronymic) in any script: letters, marks, spaces,
    /// hyphens, apostrophes and dots; at most 100 characters. Scripts we cannot transliterate are still
    /// accepted, because a person must never be refused for the script of their name.
    NamePart,
    {
        "type": "string",
        "minLength": 1,
        "maxLength": 100,
        "description": "A name in any script: letters, combining marks, spaces, hyphens, apostrophes and dots"
    }
);

impl NamePart {
    pub const MAX_CHARACTERS: usize = 100;

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let text = parse_text(value, Self::MAX_CHARACTERS)?;
        let allowed = |character: char| {
            character.is_alphabetic()
                || matches!(character, ' ' | '-' | '\'' | '.' | '’' | 'ʻ' | 'ʼ' | '`')
                || is_combining_mark(character)
        };
        if let Some(bad) = text.chars().find(|character| !allowed(*character)) {
            return Err(ParseError::new(format!(
                "name contains {}: only letters, spaces, hyphens, apostrophes and dots are allowed",
                describe_char(bad)
            )));
        }
        Ok(Self(text))
    }
}

/// Combining diacritical marks (U+0300–U+036F), which decomposed names may carry.
fn is_combining_mark(character: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&character)
}

/// A calendar date (`YYYY-MM-DD`) between 1900 and 2100: a registry of living people has no business
/// with other years, and a year outside that range is a typo.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date(NaiveDate);

impl Date {
    pub const EARLIEST_YEAR: i32 = 1900;
    pub const LATEST_YEAR: i32 = 2100;

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let bytes = value.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            bytes
                .get(range)?
                .iter()
                .try_fold(0u32, |number, byte| byte.is_ascii_digit().then(|| number * 10 + u32::from(byte - b'0')))
        };
        let shaped = bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-';
        let (Some(year), Some(month), Some(day), true) = (digits(0..4), digits(5..7), digits(8..10), shaped) else {
            return Err(ParseError::new(format!("'{value}' is not a date of the form YYYY-MM-DD")));
        };
        let date = i32::try_from(year)
            .ok()
            .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
            .ok_or_else(|| ParseError::new(format!("'{value}' is not a real calendar date")))?;
        Self::from_naive(date)
    }

    pub fn from_naive(date: NaiveDate) -> Result<Self, ParseError> {
        if !(Self::EARLIEST_YEAR..=Self::LATEST_YEAR).contains(&date.year()) {
            return Err(ParseError::new(format!(
                "date {date} is outside the years {} to {}",
                Self::EARLIEST_YEAR,
                Self::LATEST_YEAR
            )));
        }
        Ok(Self(date))
    }

    pub fn naive(self) -> NaiveDate {
        self.0
    }
}

impl TryFrom<String> for Date {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, ParseError> {
        Self::parse(&value)
    }
}

impl From<Date> for String {
    fn from(value: Date) -> String {
        value.to_string()
    }
}

impl std::str::FromStr for Date {
    type Err = ParseError;
    fn from_str(value: &str) -> Result<Self, ParseError> {
        Self::parse(value)
    }
}

impl fmt::Display for Date {
    /// Written by hand: this runs for every date of every record hashed, and chrono's formatter
    /// interprets its pattern each time.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{:04}-{:02}-{:02}", self.0.year(), self.0.month(), self.0.day())
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "Date({self})")
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date", "description": "Calendar date YYYY-MM-DD, years 1900 to 2100" })
    }
}

/// An instant in UTC, written in RFC 3339 with an explicit offset (`2024-03-01T08:15:00Z`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let instant = DateTime::parse_from_rfc3339(value).map_err(|_| {
            ParseError::new(format!("'{value}' is not an RFC 3339 timestamp with an offset, e.g. 2024-03-01T08:15:00Z"))
        })?;
        let instant = instant.with_timezone(&Utc);
        Date::from_naive(instant.date_naive())?;
        Ok(Self(instant))
    }

    pub fn from_utc(instant: DateTime<Utc>) -> Self {
        Self(instant)
    }

    pub fn utc(self) -> DateTime<Utc> {
        self.0
    }

    pub fn date(self) -> NaiveDate {
        self.0.date_naive()
    }
}

impl TryFrom<String> for Timestamp {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, ParseError> {
        Self::parse(&value)
    }
}

impl From<Timestamp> for String {
    fn from(value: Timestamp) -> String {
        value.to_string()
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with `Z`, and as many fraction digits as needed (none, 3, 6 or 9), exactly as
    /// chrono's `SecondsFormat::AutoSi` writes it, but without interpreting a pattern per call.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::Timelike;
        let instant = self.0;
        write!(
            formatter,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            instant.year(),
            instant.month(),
            instant.day(),
            instant.hour(),
            instant.minute(),
            instant.second()
        )?;
        let nanoseconds = instant.nanosecond() % 1_000_000_000;
        if nanoseconds == 0 {
        } else if nanoseconds.is_multiple_of(1_000_000) {
            write!(formatter, ".{:03}", nanoseconds / 1_000_000)?;
        } else if nanoseconds.is_multiple_of(1_000) {
            write!(formatter, ".{:06}", nanoseconds / 1_000)?;
        } else {
            write!(formatter, ".{nanoseconds:09}")?;
        }
        formatter.write_str("Z")
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "Timestamp({self})")
    }
}

impl JsonSchema for Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date-time", "description": "RFC 3339 instant with an offset" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: std::fmt::Debug + std::fmt::Display>(parsed: Result<T, ParseError>, expected: Result<&str, &str>) {
        match (parsed, expected) {
            (Ok(value), Ok(expected)) => assert_eq!(value.to_string(), expected),
            (Err(error), Err(fragment)) => {
                assert!(error.0.contains(fragment), "error '{}' should mention '{fragment}'", error.0)
            }
            (parsed, expected) => panic!("parsed {parsed:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn country_codes() {
        check(CountryCode::parse("UZB"), Ok("UZB"));
        check(CountryCode::parse("XXA"), Ok("XXA"));
        check(CountryCode::parse("uzb"), Err("three capital letters"));
        check(CountryCode::parse("UZ"), Err("three capital letters"));
        check(CountryCode::parse("QQQ"), Err("not an ISO 3166-1"));
    }

    #[test]
    fn document_numbers() {
        check(DocumentNumber::parse("aa 123-4567"), Ok("AA1234567"));
        check(DocumentNumber::parse("   "), Err("empty"));
        check(DocumentNumber::parse("AB№12"), Err("'№'"));
        check(DocumentNumber::parse(&"1".repeat(25)), Err("at most 24"));
    }

    #[test]
    fn taxpayer_numbers() {
        check(TaxpayerNumber::parse("500100732259"), Ok("500100732259"));
        check(TaxpayerNumber::parse("500100732258"), Err("control digits"));
        check(TaxpayerNumber::parse("50010073225"), Err("11 digits"));
        check(TaxpayerNumber::parse("50010073225x"), Err("'x'"));
        let control = individual_taxpayer_number_control_digits(&[5, 0, 0, 1, 0, 0, 7, 3, 2, 2]);
        assert_eq!(control, [5, 9]);
        check(OrganisationTaxpayerNumber::parse("7707083893"), Ok("7707083893"));
        check(OrganisationTaxpayerNumber::parse("7707083894"), Err("control digit"));
    }

    #[test]
    fn social_insurance_numbers() {
        check(SocialInsuranceNumber::parse("112-233-445 95"), Ok("11223344595"));
        check(SocialInsuranceNumber::parse("11223344596"), Err("expected 95"));
        check(SocialInsuranceNumber::parse("1122334459"), Err("10 digits"));
    }

    #[test]
    fn phones_emails_regions() {
        check(PhoneNumber::parse("+998901234567"), Ok("+998901234567"));
        check(PhoneNumber::parse("998901234567"), Err("E.164"));
        check(PhoneNumber::parse("+0123456789"), Err("not starting with 0"));
        check(EmailAddress::parse("A.Person@Example.org"), Ok("a.person@example.org"));
        check(EmailAddress::parse("no-at-sign.org"), Err("not an e-mail"));
        check(RegionCode::parse("RU-MOW"), Ok("RU-MOW"));
        check(RegionCode::parse("Moscow"), Err("ISO 3166-2"));
    }

    #[test]
    fn names_accept_every_script_but_not_digits() {
        check(NamePart::parse("Юсупов"), Ok("Юсупов"));
        check(NamePart::parse("Oʻgʻli"), Ok("Oʻgʻli"));
        check(NamePart::parse("O'Neil-Smith"), Ok("O'Neil-Smith"));
        check(NamePart::parse("محمد"), Ok("محمد"));
        check(NamePart::parse("  Anna  "), Ok("Anna"));
        check(NamePart::parse("R2D2"), Err("'2'"));
        check(NamePart::parse(""), Err("empty"));
        check(NamePart::parse("a\u{0007}b"), Err("U+0007"));
    }

    #[test]
    fn dates() {
        check(Date::parse("2024-02-29"), Ok("2024-02-29"));
        check(Date::parse("2023-02-29"), Err("not a real calendar date"));
        check(Date::parse("2023-13-01"), Err("not a real calendar date"));
        check(Date::parse("01.02.2023"), Err("YYYY-MM-DD"));
        check(Date::parse("1850-01-01"), Err("outside the years"));
        check(Timestamp::parse("2024-03-01T08:15:00+03:00"), Ok("2024-03-01T05:15:00Z"));
        check(Timestamp::parse("2024-03-01 08:15"), Err("RFC 3339"));
        check(Timestamp::parse("2024-03-01T08:15:00.120Z"), Ok("2024-03-01T08:15:00.120Z"));
        check(Timestamp::parse("2024-03-01T08:15:00.000120Z"), Ok("2024-03-01T08:15:00.000120Z"));
        check(Timestamp::parse("2024-03-01T08:15:00.000000001Z"), Ok("2024-03-01T08:15:00.000000001Z"));
        check(Date::parse("2024-1-01"), Err("YYYY-MM-DD"));
        check(Date::parse("2024-01-0x"), Err("YYYY-MM-DD"));
        check(Date::parse("+024-01-01"), Err("YYYY-MM-DD"));
    }
}
