//! The CBOR form of a Hospes credential's claims: a promise to every verifier, so it is kept apart
//! from the domain types in [`crate::claims`] and converted explicitly.
//!
//! The CWT (RFC 8392) carries the registered claims `iss` (1), `sub` (2), `exp` (4), `iat` (6)
//! and `cti` (7), and two claims in the private-use range (below −65536):
//!
//! | claim | value |
//! |---|---|
//! | −65537 | the purpose: `"police"`, `"work"` or `"rent"` |
//! | −65538 | a map of that purpose's claims, with the short keys below |
//!
//! Short keys (one or two letters) keep the QR code small: `n` name (ICAO Latin form), `b` birth
//! date, `ph` photo reference, `s` status colour, `su` permitted stay until, `ru` registration
//! valid until, `tl` trust level, `w` may work, `rg` region, `r` may rent, `vu` valid until. Dates
//! are ISO 8601 text. An absent optional claim is left out. A verifier ignores keys it does not
//! know, so later versions may add claims.

use chrono::NaiveDate;
use ciborium::Value;
use serde::{Deserialize, Serialize};

use crate::claims::{
    BirthDate, LatinName, PoliceClaims, Presentation, Purpose, RentClaims, StatusColour, TrustLevel, WorkClaims,
};

/// The private claim that names the purpose.
pub const PURPOSE_CLAIM: i64 = -65_537;
/// The private claim that holds the purpose's claims.
pub const PRESENTATION_CLAIM: i64 = -65_538;

#[derive(Serialize, Deserialize)]
struct PoliceWire {
    #[serde(rename = "n")]
    name: LatinName,
    #[serde(rename = "b")]
    birth_date: BirthDate,
    #[serde(rename = "ph", default, skip_serializing_if = "Option::is_none")]
    photo_reference: Option<String>,
    #[serde(rename = "s")]
    status: StatusColour,
    #[serde(rename = "su", default, skip_serializing_if = "Option::is_none")]
    permitted_stay_until: Option<NaiveDate>,
    #[serde(rename = "ru", default, skip_serializing_if = "Option::is_none")]
    registration_valid_until: Option<NaiveDate>,
    #[serde(rename = "tl")]
    trust_level: TrustLevel,
}

#[derive(Serialize, Deserialize)]
struct WorkWire {
    #[serde(rename = "n")]
    name: LatinName,
    #[serde(rename = "w")]
    may_work: bool,
    #[serde(rename = "rg", default, skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    #[serde(rename = "vu", default, skip_serializing_if = "Option::is_none")]
    valid_until: Option<NaiveDate>,
}

#[derive(Serialize, Deserialize)]
struct RentWire {
    #[serde(rename = "n")]
    name: LatinName,
    #[serde(rename = "r")]
    may_rent: bool,
    #[serde(rename = "vu", default, skip_serializing_if = "Option::is_none")]
    valid_until: Option<NaiveDate>,
}

/// The CBOR map of a presentation's claims.
pub fn encode_presentation(presentation: &Presentation) -> Result<Value, String> {
    let value = match presentation.clone() {
        Presentation::Police(claims) => Value::serialized(&PoliceWire {
            name: claims.name,
            birth_date: claims.birth_date,
            photo_reference: claims.photo_reference,
            status: claims.status,
            permitted_stay_until: claims.permitted_stay_until,
            registration_valid_until: claims.registration_valid_until,
            trust_level: claims.trust_level,
        }),
        Presentation::Work(claims) => Value::serialized(&WorkWire {
            name: claims.name,
            may_work: claims.may_work,
            region: claims.region,
            valid_until: claims.valid_until,
        }),
        Presentation::Rent(claims) => Value::serialized(&RentWire {
            name: claims.name,
            may_rent: claims.may_rent,
            valid_until: claims.valid_until,
        }),
    };
    value.map_err(|error| error.to_string())
}

/// The purpose named by the purpose claim's value.
pub fn decode_purpose(value: &Value) -> Result<Purpose, String> {
    let text = value.as_text().ok_or("the purpose claim is not text")?;
    Purpose::parse(text).ok_or_else(|| format!("unknown purpose {text:?}"))
}

/// A presentation of `purpose` from the CBOR map of its claims.
pub fn decode_presentation(purpose: Purpose, value: &Value) -> Result<Presentation, String> {
    let describe = |error: ciborium::value::Error| format!("{purpose} claims: {error}");
    Ok(match purpose {
        Purpose::Police => {
            let wire: PoliceWire = value.deserialized().map_err(describe)?;
            Presentation::Police(PoliceClaims {
                name: wire.name,
                birth_date: wire.birth_date,
                photo_reference: wire.photo_reference,
                status: wire.status,
                permitted_stay_until: wire.permitted_stay_until,
                registration_valid_until: wire.registration_valid_until,
                trust_level: wire.trust_level,
            })
        }
        Purpose::Work => {
            let wire: WorkWire = value.deserialized().map_err(describe)?;
            Presentation::Work(WorkClaims {
                name: wire.name,
                may_work: wire.may_work,
                region: wire.region,
                valid_until: wire.valid_until,
            })
        }
        Purpose::Rent => {
            let wire: RentWire = value.deserialized().map_err(describe)?;
            Presentation::Rent(RentClaims { name: wire.name, may_rent: wire.may_rent, valid_until: wire.valid_until })
        }
    })
}
