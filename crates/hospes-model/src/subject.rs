//! Who a record is about, as the sending agency knows them.
//!
//! Agencies have no shared person id: each record names its subject by whatever the agency holds (names
//! in its own spelling, a birth date, documents, a taxpayer number). Resolution turns these into persons.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::parsed::{CountryCode, Date, DocumentNumber, NamePart, PhoneNumber, SocialInsuranceNumber, TaxpayerNumber};
use crate::validation::FieldErrors;

/// Sex as written in travel documents (ICAO 9303): `M`, `F`, or `X` for unspecified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Sex {
    #[serde(rename = "M")]
    Male,
    #[serde(rename = "F")]
    Female,
    #[serde(rename = "X")]
    Unspecified,
}

/// One spelling of a person's name, in whatever script and romanisation the agency uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonName {
    pub surname: NamePart,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_names: Option<NamePart>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<NamePart>,
}

/// The kind of an identity or travel document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Passport,
    TravelDocument,
    IdentityCard,
    ResidenceCard,
    BirthCertificate,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passport => "passport",
            Self::TravelDocument => "travel_document",
            Self::IdentityCard => "identity_card",
            Self::ResidenceCard => "residence_card",
            Self::BirthCertificate => "birth_certificate",
        }
    }
}

/// A document that identifies the subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentReference {
    pub kind: DocumentKind,
    pub number: DocumentNumber,
    pub issuing_country: CountryCode,
}

/// Who the record is about, in the sending agency's words.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    /// Every spelling the agency holds (native script and Latin); the first is the agency's main one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<PersonName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizenship: Option<CountryCode>,
    /// Documents the agency saw, current and previous (a renewal lists both, which links them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxpayer_number: Option<TaxpayerNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_insurance_number: Option<SocialInsuranceNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<PhoneNumber>,
}

impl Subject {
    pub const MAX_NAMES: usize = 8;
    pub const MAX_DOCUMENTS: usize = 8;

    /// Checks what the types alone cannot: that the subject identifies someone at all.
    pub fn validate(&self, received_on: chrono::NaiveDate, errors: &mut FieldErrors) {
        let identifies_someone = !self.names.is_empty()
            || !self.documents.is_empty()
            || self.taxpayer_number.is_some()
            || self.social_insurance_number.is_some();
        if !identifies_someone {
            errors.push(
                "/subject",
                "the subject identifies nobody: give at least a name, a document, a taxpayer number or a social insurance number",
            );
        }
        if self.names.len() > Self::MAX_NAMES {
            errors.push("/subject/names", format!("at most {} names are allowed", Self::MAX_NAMES));
        }
        if self.documents.len() > Self::MAX_DOCUMENTS {
            errors.push("/subject/documents", format!("at most {} documents are allowed", Self::MAX_DOCUMENTS));
        }
        if let Some(birth_date) = self.birth_date
            && birth_date.naive() > received_on
        {
            errors.push("/subject/birth_date", format!("birth date {birth_date} is in the future"));
        }
    }
}
