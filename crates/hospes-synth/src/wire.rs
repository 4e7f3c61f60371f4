//! The NDJSON line, written by hand for speed: the envelope and the subject are written field by
//! field from borrowed strings (a population of a million people writes some twenty million
//! lines); payloads are the record model's own types, serialised by serde.
//!
//! Every value written here comes from a source that is valid by construction (names from
//! validated lists and transliterations, identifiers with computed check digits); the tests
//! validate every line of a population with `hospes-ingest`, so a writer that drifted from the
//! ingest format would fail them.

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use hospes_model::{
    CountryCode, Date, DocumentKind, DocumentNumber, DocumentReference, NamePart, PersonName, PhoneNumber, Sex,
    SocialInsuranceNumber, Subject, TaxpayerNumber,
};

use crate::error::SynthError;

/// One spelling of a name as written into a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WireName<'a> {
    pub(crate) surname: Cow<'a, str>,
    pub(crate) given: Option<Cow<'a, str>>,
    pub(crate) patronymic: Option<Cow<'a, str>>,
}

/// A document named in a subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WireDocument<'a> {
    pub(crate) number: Cow<'a, str>,
    pub(crate) issuing_country: &'static str,
}

/// Who a record is about, as the agency knows them (the ingest format's `subject`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct WireSubject<'a> {
    pub(crate) names: Vec<WireName<'a>>,
    pub(crate) birth_date: Option<NaiveDate>,
    pub(crate) sex: Option<Sex>,
    pub(crate) citizenship: Option<&'static str>,
    pub(crate) documents: Vec<WireDocument<'a>>,
    pub(crate) taxpayer_number: Option<String>,
    pub(crate) social_insurance_number: Option<String>,
    pub(crate) phone: Option<String>,
}

impl WireName<'_> {
    /// The record model's person name.
    pub(crate) fn to_model(&self) -> Result<PersonName, SynthError> {
        let part = |text: &str| NamePart::parse(text).map_err(|error| SynthError::invalid("name", error));
        Ok(PersonName {
            surname: part(&self.surname)?,
            given_names: self.given.as_deref().map(part).transpose()?,
            patronymic: self.patronymic.as_deref().map(part).transpose()?,
        })
    }
}

impl WireSubject<'_> {
    pub(crate) fn identifies_someone(&self) -> bool {
        !self.names.is_empty()
            || !self.documents.is_empty()
            || self.taxpayer_number.is_some()
            || self.social_insurance_number.is_some()
    }

    /// The record model's subject (for family records, whose payload holds one).
    pub(crate) fn to_model(&self) -> Result<Subject, SynthError> {
        let invalid = |what: &'static str| move |error: hospes_model::ParseError| SynthError::invalid(what, error);
        Ok(Subject {
            names: self.names.iter().map(WireName::to_model).collect::<Result<_, SynthError>>()?,
            birth_date: self.birth_date.map(Date::from_naive).transpose().map_err(invalid("birth date"))?,
            sex: self.sex,
            citizenship: self.citizenship.map(CountryCode::parse).transpose().map_err(invalid("country"))?,
            documents: self
                .documents
                .iter()
                .map(|document| {
                    Ok(DocumentReference {
                        kind: DocumentKind::Passport,
                        number: DocumentNumber::parse(&document.number).map_err(invalid("document number"))?,
                        issuing_country: CountryCode::parse(document.issuing_country).map_err(invalid("country"))?,
                    })
                })
                .collect::<Result<_, SynthError>>()?,
            taxpayer_number: self
                .taxpayer_number
                .as_deref()
                .map(TaxpayerNumber::parse)
                .transpose()
                .map_err(invalid("taxpayer number"))?,
            social_insurance_number: self
                .social_insurance_number
                .as_deref()
                .map(SocialInsuranceNumber::parse)
                .transpose()
                .map_err(invalid("social insurance number"))?,
            phone: self.phone.as_deref().map(PhoneNumber::parse).transpose().map_err(invalid("phone"))?,
        })
    }
}

/// Appends `text` as a JSON string: copied as is when nothing needs escaping (the usual case),
/// escaped by serde_json otherwise.
pub(crate) fn push_string(output: &mut String, text: &str) {
    let needs_escape = text.bytes().any(|byte| byte < 0x20 || byte == b'"' || byte == b'\\');
    if needs_escape {
        if let Ok(escaped) = serde_json::to_string(text) {
            output.push_str(&escaped);
        }
    } else {
        output.push('"');
        output.push_str(text);
        output.push('"');
    }
}

/// Appends `"key":` (keys are plain ASCII identifiers).
pub(crate) fn push_key(output: &mut String, key: &str) {
    output.push('"');
    output.push_str(key);
    output.push_str("\":");
}

/// Appends a date as a JSON string `"YYYY-MM-DD"` (years 1000 to 9999).
pub(crate) fn push_date(output: &mut String, date: NaiveDate) {
    let mut digits = [0u8; 10];
    let year = date.year().clamp(1000, 9999) as u32;
    let (month, day) = (date.month(), date.day());
    for (position, value) in [
        (0, year / 1000),
        (1, year / 100 % 10),
        (2, year / 10 % 10),
        (3, year % 10),
        (5, month / 10),
        (6, month % 10),
        (8, day / 10),
        (9, day % 10),
    ] {
        digits[position] = b'0' + value as u8;
    }
    digits[4] = b'-';
    digits[7] = b'-';
    output.push('"');
    output.push_str(std::str::from_utf8(&digits).unwrap_or("1970-01-01"));
    output.push('"');
}

fn sex_letter(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "\"M\"",
        Sex::Female => "\"F\"",
        Sex::Unspecified => "\"X\"",
    }
}

/// Appends the subject object.
pub(crate) fn push_subject(output: &mut String, subject: &WireSubject<'_>) {
    output.push('{');
    let mut first = true;
    let mut field = |output: &mut String, key: &str| {
        if !first {
            output.push(',');
        }
        first = false;
        push_key(output, key);
    };
    if !subject.names.is_empty() {
        field(output, "names");
        output.push('[');
        for (index, name) in subject.names.iter().enumerate() {
            if index > 0 {
                output.push(',');
            }
            output.push_str("{\"surname\":");
            push_string(output, &name.surname);
            if let Some(given) = &name.given {
                output.push_str(",\"given_names\":");
                push_string(output, given);
            }
            if let Some(patronymic) = &name.patronymic {
                output.push_str(",\"patronymic\":");
                push_string(output, patronymic);
            }
            output.push('}');
        }
        output.push(']');
    }
    if let Some(birth_date) = subject.birth_date {
        field(output, "birth_date");
        push_date(output, birth_date);
    }
    if let Some(sex) = subject.sex {
        field(output, "sex");
        output.push_str(sex_letter(sex));
    }
    if let Some(citizenship) = subject.citizenship {
        field(output, "citizenship");
        push_string(output, citizenship);
    }
    if !subject.documents.is_empty() {
        field(output, "documents");
        output.push('[');
        for (index, document) in subject.documents.iter().enumerate() {
            if index > 0 {
                output.push(',');
            }
            output.push_str("{\"kind\":\"passport\",\"number\":");
            push_string(output, &document.number);
            output.push_str(",\"issuing_country\":");
            push_string(output, document.issuing_country);
            output.push('}');
        }
        output.push(']');
    }
    for (key, value) in [
        ("taxpayer_number", &subject.taxpayer_number),
        ("social_insurance_number", &subject.social_insurance_number),
        ("phone", &subject.phone),
    ] {
        if let Some(value) = value {
            field(output, key);
            push_string(output, value);
        }
    }
    output.push('}');
}

/// Appends an unsigned number.
pub(crate) fn push_number(output: &mut String, value: u64) {
    let _ = write!(output, "{value}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hand_written_subject_reads_back_as_the_models_subject() {
        let subject = WireSubject {
            names: vec![WireName {
                surname: "Юсупов".into(), given: Some("Алишер".into()), patronymic: None
            }],
            birth_date: NaiveDate::from_ymd_opt(1990, 4, 2),
            sex: Some(Sex::Male),
            citizenship: Some("UZB"),
            documents: vec![WireDocument { number: "FA1234567".into(), issuing_country: "UZB" }],
            taxpayer_number: Some("500100732259".into()),
            social_insurance_number: Some("112-233-445 95".into()),
            phone: Some("+998901234567".into()),
        };
        let mut text = String::new();
        push_subject(&mut text, &subject);
        let parsed: Subject = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed.names[0].given_names.as_ref().unwrap().as_str(), "Алишер");
        let mut escaped = String::new();
        push_string(&mut escaped, "say \"hi\"\n\\");
        assert_eq!(serde_json::from_str::<String>(&escaped).unwrap(), "say \"hi\"\n\\");
        assert_eq!(parsed.birth_date.unwrap().to_string(), "1990-04-02");
        assert_eq!(parsed.social_insurance_number.unwrap().as_str(), "11223344595");
        let mut empty = String::new();
        push_subject(&mut empty, &WireSubject::default());
        assert_eq!(empty, "{}");
        let mut date = String::new();
        push_date(&mut date, NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
        assert_eq!(date, "\"2024-12-31\"");
    }
}
