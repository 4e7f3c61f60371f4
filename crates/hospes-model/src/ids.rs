//! Identifiers of records, persons and agencies.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::parsed::ParseError;

/// The namespace of record ids derived from an agency's own key (UUID version 5).
const RECORD_ID_NAMESPACE: Uuid = Uuid::from_u128(0x6f1d_2c34_8a4b_4e53_9b0e_5d1f_7c2a_9e01);
/// The namespace of person ids derived from the record that first named the person.
const PERSON_ID_NAMESPACE: Uuid = Uuid::from_u128(0x2b7e_91c4_0d3f_4a8e_b6c5_13e8_4f90_7ad2);

/// Hospes's id of one record. It is derived from the agency's key (agency, source record id, version),
/// so the same submission always gets the same id: that is what makes ingestion idempotent, and a
/// rebuilt store has the same ids as the old one.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(Uuid);

impl RecordId {
    pub fn derive(agency: &AgencyId, source_record_id: &SourceRecordId, source_version: u32) -> Self {
        let mut name = Vec::with_capacity(agency.as_str().len() + source_record_id.as_str().len() + 12);
        name.extend_from_slice(agency.as_str().as_bytes());
        name.push(0);
        name.extend_from_slice(source_record_id.as_str().as_bytes());
        name.push(0);
        name.extend_from_slice(source_version.to_string().as_bytes());
        Self(Uuid::new_v5(&RECORD_ID_NAMESPACE, &name))
    }

    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }

    pub fn uuid(self) -> Uuid {
        self.0
    }

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        Uuid::parse_str(value).map(Self).map_err(|_| ParseError::new(format!("'{value}' is not a record id (a UUID)")))
    }
}

/// Hospes's id of one person (one resolved profile). Derived from the id of the record that first
/// named the person, so replaying the ledger gives the same person ids.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonId(Uuid);

impl PersonId {
    pub fn first_named_by(record: RecordId) -> Self {
        Self(Uuid::new_v5(&PERSON_ID_NAMESPACE, record.0.as_bytes()))
    }

    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }

    pub fn uuid(self) -> Uuid {
        self.0
    }

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        Uuid::parse_str(value).map(Self).map_err(|_| ParseError::new(format!("'{value}' is not a person id (a UUID)")))
    }
}

macro_rules! uuid_display {
    ($($name:ident),+) => {$(
        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(formatter)
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(formatter, "{}({})", stringify!($name), self.0.hyphenated())
            }
        }
        impl std::str::FromStr for $name {
            type Err = ParseError;
            fn from_str(value: &str) -> Result<Self, ParseError> {
                Self::parse(value)
            }
        }
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", "format": "uuid" })
            }
        }
    )+};
}

uuid_display!(RecordId, PersonId);

/// The identifier of an agency that feeds Hospes: lower-case letters, digits and underscores.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyId(String);

impl AgencyId {
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let valid = (2..=40).contains(&value.len())
            && value.starts_with(|character: char| character.is_ascii_lowercase())
            && value.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_');
        if !valid {
            return Err(ParseError::new(format!(
                "'{value}' is not an agency id: 2 to 40 lower-case letters, digits and underscores, starting with a letter"
            )));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An agency's own id for a record, unique within that agency: printable ASCII, 1 to 128 characters.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SourceRecordId(String);

impl SourceRecordId {
    pub const MAX_LENGTH: usize = 128;

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        if value.is_empty() || value.len() > Self::MAX_LENGTH {
            return Err(ParseError::new(format!(
                "record id must have 1 to {} characters, not {}",
                Self::MAX_LENGTH,
                value.len()
            )));
        }
        if let Some(bad) = value.chars().find(|character| !matches!(character, '!'..='~')) {
            return Err(ParseError::new(format!(
                "record id contains U+{:04X}: only printable ASCII without spaces is allowed",
                bad as u32
            )));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_id_traits {
    ($($name:ident),+) => {$(
        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(value: String) -> Result<Self, ParseError> {
                Self::parse(&value)
            }
        }
        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
        impl std::str::FromStr for $name {
            type Err = ParseError;
            fn from_str(value: &str) -> Result<Self, ParseError> {
                Self::parse(value)
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
                json_schema!({ "type": "string" })
            }
        }
    )+};
}

string_id_traits!(AgencyId, SourceRecordId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_are_derived_from_the_agency_key() {
        let agency = AgencyId::parse("border_service").unwrap();
        let source = SourceRecordId::parse("BS-000001").unwrap();
        let first = RecordId::derive(&agency, &source, 1);
        assert_eq!(first, RecordId::derive(&agency, &source, 1));
        assert_ne!(first, RecordId::derive(&agency, &source, 2));
        let other_agency = AgencyId::parse("tax_service").unwrap();
        assert_ne!(first, RecordId::derive(&other_agency, &source, 1));
        assert_eq!(RecordId::parse(&first.to_string()).unwrap(), first);
    }

    #[test]
    fn agency_and_source_ids_are_checked() {
        assert!(AgencyId::parse("border_service").is_ok());
        assert!(AgencyId::parse("Border").is_err());
        assert!(AgencyId::parse("1border").is_err());
        assert!(SourceRecordId::parse("BS/2024/0001").is_ok());
        assert!(SourceRecordId::parse("has space").is_err());
        assert!(SourceRecordId::parse("").is_err());
    }
}
