//! What a credential says about its holder, and the purpose-bound subsets a holder presents.
//!
//! [`HolderClaims`] is everything the issuer knows for a credential; a [`Presentation`] is the
//! part of it that one purpose needs, and nothing more: a landlord's credential does not carry
//! the status colour, an employer's does not carry the birth date. A credential is signed, not
//! encrypted — anyone who scans it can read it — so purpose binding is enforced by *leaving
//! claims out*, not by hiding them.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a presentation is for. Each purpose is a separately signed credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Identity, status, permitted stay and registration, for a police check.
    Police,
    /// May the holder work, in which region, until when: for an employer.
    Work,
    /// May the holder rent, until when: for a landlord.
    Rent,
}

impl Purpose {
    /// Every purpose.
    pub const ALL: [Purpose; 3] = [Purpose::Police, Purpose::Work, Purpose::Rent];

    /// The name used in the credential and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Police => "police",
            Purpose::Work => "work",
            Purpose::Rent => "rent",
        }
    }

    /// Parses [`Purpose::as_str`].
    pub fn parse(text: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|purpose| purpose.as_str() == text)
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// The status colour of the holder's profile (see the system design: red, yellow, green).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusColour {
    /// No violations.
    Green,
    /// Violations that do not make the presence unlawful outright.
    Yellow,
    /// An active wanted notice, or an entry ban or expulsion decision while present.
    Red,
}

/// The identity assurance level, 0 (self-asserted) to 3 (fingerprints enrolled, deduplicated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct TrustLevel(u8);

impl TrustLevel {
    /// The level as a number.
    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for TrustLevel {
    type Error = ClaimError;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        if value <= 3 { Ok(TrustLevel(value)) } else { Err(ClaimError::TrustLevel(value)) }
    }
}

impl From<TrustLevel> for u8 {
    fn from(level: TrustLevel) -> u8 {
        level.0
    }
}

/// A name in the Latin form of ICAO Doc 9303: capital letters A–Z with `<` as the filler, the
/// primary identifier (surname) and the secondary identifier (given names) separated by `<<`,
/// e.g. `IVANOVA<<ANNA<MARIA`. This is the form printed in the holder's travel document's
/// machine-readable zone, so a verifier can compare the two character by character.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LatinName(String);

impl LatinName {
    /// The longest name accepted (the DCC's bound for each part is 80).
    pub const MAX_LENGTH: usize = 160;

    /// Parses the ICAO form.
    pub fn parse(text: &str) -> Result<Self, ClaimError> {
        let valid = !text.is_empty()
            && text.len() <= LatinName::MAX_LENGTH
            && text.bytes().all(|byte| byte.is_ascii_uppercase() || byte == b'<')
            && !text.starts_with('<');
        if valid { Ok(LatinName(text.to_owned())) } else { Err(ClaimError::LatinName(text.to_owned())) }
    }

    /// The name from its two parts, each already in ICAO Latin characters (`<` between words).
    pub fn from_parts(surname: &str, given_names: &str) -> Result<Self, ClaimError> {
        if given_names.is_empty() {
            LatinName::parse(surname)
        } else {
            LatinName::parse(&format!("{surname}<<{given_names}"))
        }
    }

    /// The primary identifier (surname), `<` standing for spaces.
    pub fn surname(&self) -> &str {
        self.0.split_once("<<").map_or(self.0.as_str(), |(surname, _)| surname)
    }

    /// The secondary identifier (given names), empty when there is none.
    pub fn given_names(&self) -> &str {
        self.0.split_once("<<").map_or("", |(_, given)| given)
    }

    /// The ICAO form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LatinName {
    type Error = ClaimError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        LatinName::parse(&text)
    }
}

impl From<LatinName> for String {
    fn from(name: LatinName) -> String {
        name.0
    }
}

/// A birth date as the travel document gives it: `YYYY-MM-DD`, or only `YYYY-MM` or `YYYY` when
/// the day or month is unknown, as it often is for people whose birth was never registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BirthDate(String);

impl BirthDate {
    /// Parses one of the three forms, checking that a full date exists in the calendar.
    pub fn parse(text: &str) -> Result<Self, ClaimError> {
        let invalid = || ClaimError::BirthDate(text.to_owned());
        let digits = |part: &str, length: usize| part.len() == length && part.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = text.split('-').collect();
        let valid = match parts[..] {
            [year] => digits(year, 4),
            [year, month] => {
                digits(year, 4) && digits(month, 2) && (1..=12).contains(&month.parse::<u32>().unwrap_or(0))
            }
            [year, month, day] => {
                digits(year, 4)
                    && digits(month, 2)
                    && digits(day, 2)
                    && NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
            }
            _ => false,
        };
        if valid { Ok(BirthDate(text.to_owned())) } else { Err(invalid()) }
    }

    /// The date in its ISO form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for BirthDate {
    type Error = ClaimError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        BirthDate::parse(&text)
    }
}

impl From<BirthDate> for String {
    fn from(date: BirthDate) -> String {
        date.0
    }
}

/// A claim value that is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    /// A trust level above 3.
    #[error("trust level {0} is not one of 0, 1, 2, 3")]
    TrustLevel(u8),
    /// Not an ICAO 9303 Latin name.
    #[error("{0:?} is not a name in ICAO Latin form (A-Z and <, surname<<given names)")]
    LatinName(String),
    /// Not a birth date in one of the accepted forms.
    #[error("{0:?} is not a birth date of the form YYYY-MM-DD, YYYY-MM or YYYY")]
    BirthDate(String),
    /// A subject id that is empty or too long.
    #[error("the subject id must have 1 to 64 printable characters")]
    Subject,
    /// A free-text value that is empty or too long.
    #[error("{field} must have 1 to 64 printable characters")]
    Text {
        /// The claim.
        field: &'static str,
    },
}

/// May the holder work: the answer for an employer, computed by the status engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkPermission {
    /// Yes or no.
    pub may_work: bool,
    /// The region the permission covers (a patent is regional), when it is limited to one.
    pub region: Option<String>,
    /// Until when the answer holds.
    pub valid_until: Option<NaiveDate>,
}

/// May the holder rent: the answer for a landlord, computed by the status engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentPermission {
    /// Yes or no.
    pub may_rent: bool,
    /// Until when the answer holds.
    pub valid_until: Option<NaiveDate>,
}

/// Everything an issuer may put in one of a holder's presentations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderClaims {
    /// A pseudonymous subject id: stable for the holder, never the person id of the registry, so
    /// that verifiers cannot join credentials to other data about the person.
    pub subject: String,
    /// The name in ICAO Latin form.
    pub name: LatinName,
    /// The birth date.
    pub birth_date: BirthDate,
    /// A reference to the photo the police may fetch to compare faces; only in police
    /// presentations.
    pub photo_reference: Option<String>,
    /// The status colour.
    pub status: StatusColour,
    /// The last day of permitted stay.
    pub permitted_stay_until: Option<NaiveDate>,
    /// The last day of the current migration registration.
    pub registration_valid_until: Option<NaiveDate>,
    /// The identity assurance level.
    pub trust_level: TrustLevel,
    /// The answer for employers.
    pub work: WorkPermission,
    /// The answer for landlords.
    pub rent: RentPermission,
}

impl HolderClaims {
    /// The claims one purpose needs.
    pub fn present(&self, purpose: Purpose) -> Presentation {
        match purpose {
            Purpose::Police => Presentation::Police(PoliceClaims {
                name: self.name.clone(),
                birth_date: self.birth_date.clone(),
                photo_reference: self.photo_reference.clone(),
                status: self.status,
                permitted_stay_until: self.permitted_stay_until,
                registration_valid_until: self.registration_valid_until,
                trust_level: self.trust_level,
            }),
            Purpose::Work => Presentation::Work(WorkClaims {
                name: self.name.clone(),
                may_work: self.work.may_work,
                region: self.work.region.clone(),
                valid_until: self.work.valid_until,
            }),
            Purpose::Rent => Presentation::Rent(RentClaims {
                name: self.name.clone(),
                may_rent: self.rent.may_rent,
                valid_until: self.rent.valid_until,
            }),
        }
    }
}

/// The claims of one purpose, as issued and as a verifier reads them back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "purpose", rename_all = "snake_case")]
pub enum Presentation {
    /// For the police.
    Police(PoliceClaims),
    /// For an employer.
    Work(WorkClaims),
    /// For a landlord.
    Rent(RentClaims),
}

impl Presentation {
    /// The purpose of these claims.
    pub fn purpose(&self) -> Purpose {
        match self {
            Presentation::Police(_) => Purpose::Police,
            Presentation::Work(_) => Purpose::Work,
            Presentation::Rent(_) => Purpose::Rent,
        }
    }
}

/// Identity, status, stay and registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoliceClaims {
    /// The name in ICAO Latin form.
    pub name: LatinName,
    /// The birth date.
    pub birth_date: BirthDate,
    /// The reference of the photo to compare with the holder's face.
    pub photo_reference: Option<String>,
    /// The status colour.
    pub status: StatusColour,
    /// The last day of permitted stay.
    pub permitted_stay_until: Option<NaiveDate>,
    /// The last day of the migration registration.
    pub registration_valid_until: Option<NaiveDate>,
    /// The identity assurance level.
    pub trust_level: TrustLevel,
}

/// Name, may work, region, valid until.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkClaims {
    /// The name in ICAO Latin form.
    pub name: LatinName,
    /// Yes or no.
    pub may_work: bool,
    /// The region the permission covers.
    pub region: Option<String>,
    /// Until when the answer holds.
    pub valid_until: Option<NaiveDate>,
}

/// Name, may rent, valid until.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentClaims {
    /// The name in ICAO Latin form.
    pub name: LatinName,
    /// Yes or no.
    pub may_rent: bool,
    /// Until when the answer holds.
    pub valid_until: Option<NaiveDate>,
}

/// Checks a short free-text value (a subject id, a region, a photo reference).
pub(crate) fn check_text(value: &str, error: ClaimError) -> Result<(), ClaimError> {
    let valid = !value.is_empty() && value.chars().count() <= 64 && !value.chars().any(char::is_control);
    if valid { Ok(()) } else { Err(error) }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

    use super::*;

    #[test]
    fn latin_names_are_icao_form_only() {
        let name = LatinName::parse("IVANOVA<<ANNA<MARIA").unwrap();
        assert_eq!((name.surname(), name.given_names()), ("IVANOVA", "ANNA<MARIA"));
        let mononym = LatinName::parse("SUKARNO").unwrap();
        assert_eq!((mononym.surname(), mononym.given_names()), ("SUKARNO", ""));
        assert_eq!(LatinName::from_parts("O<BRIEN", "SEAN").unwrap().as_str(), "O<BRIEN<<SEAN");
        for bad in ["", "Ivanova", "IVANOVA ANNA", "ИВАНОВА", "<<ANNA", &"A".repeat(161)] {
            assert_eq!(LatinName::parse(bad), Err(ClaimError::LatinName(bad.to_owned())), "{bad}");
        }
    }

    #[test]
    fn birth_dates_may_be_partial_but_must_exist() {
        for good in ["1990-02-28", "1992-02-29", "1990-02", "1990"] {
            assert_eq!(BirthDate::parse(good).unwrap().as_str(), good);
        }
        for bad in ["1990-02-30", "1990-13", "1990-00", "90", "1990-2-3", "1990-02-28T00:00", "", "abcd"] {
            assert_eq!(BirthDate::parse(bad), Err(ClaimError::BirthDate(bad.to_owned())), "{bad}");
        }
    }

    #[test]
    fn trust_levels_are_zero_to_three() {
        assert_eq!(TrustLevel::try_from(3).unwrap().value(), 3);
        assert_eq!(TrustLevel::try_from(4), Err(ClaimError::TrustLevel(4)));
        assert!(serde_json::from_str::<TrustLevel>("4").is_err());
    }

    #[test]
    fn purposes_round_trip_by_name() {
        for purpose in Purpose::ALL {
            assert_eq!(Purpose::parse(purpose.as_str()), Some(purpose));
            assert_eq!(serde_json::to_string(&purpose).unwrap(), format!("\"{purpose}\""));
        }
        assert_eq!(Purpose::parse("bank"), None);
    }
}
