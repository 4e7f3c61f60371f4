//! The EU Digital COVID Certificate (DCC, "HC1:") read through the same pipeline as our own
//! credentials: an external, independently produced test suite for our base45, zlib, COSE and
//! CWT code (see `tests/dcc_vectors.rs`).
//!
//! What differs from a Hospes credential is only what is DCC-specific: the prefix `HC1:`; the
//! trust source, an X.509 signer certificate (key id = the first 8 bytes of the SHA-256 of its
//! DER, signing period = its validity); the payload, the `hcert` claim (−260) holding the
//! certificate under key 1; the rule that a DCC must not outlive its signer certificate; the key
//! usage OIDs a signer certificate may carry; and the structural rules of the DCC JSON schema.

mod schema;

use chrono::{DateTime, TimeDelta, Utc};
use ciborium::Value;
use coset::cwt::ClaimsSet;
use serde::Serialize;
use x509_cert::der::Decode as _;
use x509_cert::der::asn1::ObjectIdentifier;
use x509_cert::ext::pkix::ExtendedKeyUsage;

pub use schema::check_schema;

use crate::cose::{SignedCwt, VerifiedCwt, claim};
use crate::keys::{KeyId, PublicKey};
use crate::refusal::Refusal;
use crate::trust::{TrustList, TrustedKey};

/// The prefix of a DCC's text.
pub const PREFIX: &str = "HC1:";
/// The CWT claim that holds the health certificate.
pub const HCERT_CLAIM: i64 = -260;

/// What kind of statement a DCC makes: its single entry is under `v`, `t` or `r`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateType {
    /// `v`.
    Vaccination,
    /// `t`.
    Test,
    /// `r`.
    Recovery,
}

impl CertificateType {
    const ALL: [CertificateType; 3] = [CertificateType::Vaccination, CertificateType::Test, CertificateType::Recovery];

    fn member(self) -> &'static str {
        match self {
            CertificateType::Vaccination => "v",
            CertificateType::Test => "t",
            CertificateType::Recovery => "r",
        }
    }

    /// The extended-key-usage OIDs that allow a signer to sign this type. Each has two spellings:
    /// the one in the specification and one with an extra `.0`, which was issued in practice and
    /// which verifiers accept.
    fn usage_oids(self) -> [&'static str; 2] {
        match self {
            CertificateType::Test => ["1.3.6.1.4.1.1847.2021.1.1", "1.3.6.1.4.1.0.1847.2021.1.1"],
            CertificateType::Vaccination => ["1.3.6.1.4.1.1847.2021.1.2", "1.3.6.1.4.1.0.1847.2021.1.2"],
            CertificateType::Recovery => ["1.3.6.1.4.1.1847.2021.1.3", "1.3.6.1.4.1.0.1847.2021.1.3"],
        }
    }
}

/// Why a DCC was refused: a refusal of the common pipeline, or a DCC-specific rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DccError {
    /// Refused by the pipeline Hospes credentials go through.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The CWT has no `hcert` claim holding a certificate under key 1.
    #[error("no health certificate in claim -260 / 1")]
    MissingHcert,
    /// The health certificate is not JSON-like CBOR (text keys, no byte strings, no unknown tags).
    #[error("the health certificate is not JSON-like: {0}")]
    BadHcert(String),
    /// The DCC expires after its signer certificate does.
    #[error("the DCC expires at {expires_at}, after its signer certificate ({certificate_expires_at})")]
    OutlivesSigner {
        /// The DCC's `exp`.
        expires_at: DateTime<Utc>,
        /// The certificate's `notAfter`.
        certificate_expires_at: DateTime<Utc>,
    },
    /// The health certificate breaks the DCC schema's structural rules.
    #[error("the health certificate breaks the DCC schema: {}", .0.join("; "))]
    Schema(Vec<String>),
    /// The signer certificate's key usage does not allow this type of certificate.
    #[error("the signer certificate may not sign {0:?} certificates")]
    KeyUsage(CertificateType),
    /// The signer certificate cannot be used.
    #[error("signer certificate: {0}")]
    Certificate(String),
}

/// A DCC signer certificate (DSC): the key it certifies, its validity and its key usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerCertificate {
    /// The key, with key id and signing period taken from the certificate.
    pub trusted_key: TrustedKey,
    /// The DCC types its extended key usage allows; `None` when it names none of the DCC OIDs,
    /// which allows all types.
    pub allowed_types: Option<Vec<CertificateType>>,
}

impl SignerCertificate {
    /// Reads a DER-encoded X.509 certificate with an EC P-256 or RSA key.
    pub fn from_der(der: &[u8]) -> Result<Self, DccError> {
        let problem = |detail: String| DccError::Certificate(detail);
        let certificate = x509_cert::Certificate::from_der(der).map_err(|error| problem(error.to_string()))?;
        let tbs = certificate.tbs_certificate();
        let validity = tbs.validity();
        let instant = |time: x509_cert::time::Time| {
            i64::try_from(time.to_unix_duration().as_secs())
                .ok()
                .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
                .ok_or_else(|| problem("validity out of range".to_owned()))
        };
        let trusted_key = TrustedKey {
            key_id: KeyId::from_sha256_prefix(der),
            public_key: public_key(tbs.subject_public_key_info()).map_err(problem)?,
            not_before: Some(instant(validity.not_before)?),
            not_after: Some(instant(validity.not_after)?),
        };
        let usages = tbs.get_extension::<ExtendedKeyUsage>().map_err(|error| problem(error.to_string()))?;
        let oids: Vec<String> =
            usages.map(|(_, usage)| usage.0.iter().map(ToString::to_string).collect()).unwrap_or_default();
        let allowed: Vec<CertificateType> = CertificateType::ALL
            .into_iter()
            .filter(|kind| kind.usage_oids().iter().any(|oid| oids.iter().any(|named| named == oid)))
            .collect();
        Ok(SignerCertificate { trusted_key, allowed_types: (!allowed.is_empty()).then_some(allowed) })
    }

    /// Refuses a type of certificate this signer's key usage does not allow.
    pub fn check_usage(&self, kind: CertificateType) -> Result<(), DccError> {
        match &self.allowed_types {
            Some(allowed) if !allowed.contains(&kind) => Err(DccError::KeyUsage(kind)),
            _ => Ok(()),
        }
    }

    /// Refuses a DCC that expires after this certificate.
    pub fn check_outlives(&self, verified: &VerifiedCwt) -> Result<(), DccError> {
        match self.trusted_key.not_after {
            Some(certificate_expires_at) if verified.expires_at() > certificate_expires_at => {
                Err(DccError::OutlivesSigner { expires_at: verified.expires_at(), certificate_expires_at })
            }
            _ => Ok(()),
        }
    }
}

fn public_key(spki: &x509_cert::spki::SubjectPublicKeyInfoOwned) -> Result<PublicKey, String> {
    const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
    const PRIME256V1: &str = "1.2.840.10045.3.1.7";
    const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
    const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
    let bits = spki.subject_public_key.as_bytes().ok_or("the public key is not whole bytes")?;
    match spki.algorithm.oid.to_string().as_str() {
        EC_PUBLIC_KEY => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|parameters| parameters.decode_as::<ObjectIdentifier>().ok())
                .map(|oid| oid.to_string());
            if curve.as_deref() != Some(PRIME256V1) {
                return Err(format!("EC curve {curve:?} is not P-256"));
            }
            p256::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                .map(PublicKey::P256)
                .map_err(|_| "not a P-256 point".to_owned())
        }
        RSA_ENCRYPTION | RSASSA_PSS => {
            use rsa::pkcs1::DecodeRsaPublicKey as _;
            rsa::RsaPublicKey::from_pkcs1_der(bits).map(PublicKey::Rsa).map_err(|error| format!("RSA key: {error}"))
        }
        other => Err(format!("unsupported public key algorithm {other}")),
    }
}

/// The health certificate of a CWT's claims, as JSON.
pub fn hcert(claims: &ClaimsSet) -> Result<serde_json::Value, DccError> {
    let Some(Value::Map(entries)) = claim(claims, HCERT_CLAIM) else {
        return Err(DccError::MissingHcert);
    };
    let certificate = entries
        .iter()
        .find(|(key, _)| key.as_integer() == Some(1.into()))
        .map(|(_, certificate)| certificate)
        .ok_or(DccError::MissingHcert)?;
    cbor_to_json(certificate).map_err(DccError::BadHcert)
}

/// Converts JSON-like CBOR to JSON: text-keyed maps, arrays, text, numbers, booleans and null;
/// dates tagged 0 (RFC 3339 text) or 1004 (full date text) become their text.
pub fn cbor_to_json(value: &Value) -> Result<serde_json::Value, String> {
    use serde_json::Value as Json;
    Ok(match value {
        Value::Null => Json::Null,
        Value::Bool(boolean) => Json::Bool(*boolean),
        Value::Text(text) => Json::String(text.clone()),
        Value::Integer(integer) => {
            let integer = i128::from(*integer);
            if let Ok(signed) = i64::try_from(integer) {
                Json::from(signed)
            } else {
                Json::from(u64::try_from(integer).map_err(|_| format!("integer {integer} out of range"))?)
            }
        }
        Value::Float(float) => {
            serde_json::Number::from_f64(*float).map(Json::Number).ok_or_else(|| format!("{float} has no JSON form"))?
        }
        Value::Array(items) => Json::Array(items.iter().map(cbor_to_json).collect::<Result<_, _>>()?),
        Value::Map(entries) => {
            let mut object = serde_json::Map::new();
            for (key, item) in entries {
                let key = key.as_text().ok_or_else(|| format!("a map key that is not text: {key:?}"))?;
                if object.insert(key.to_owned(), cbor_to_json(item)?).is_some() {
                    return Err(format!("the key {key:?} appears twice"));
                }
            }
            Json::Object(object)
        }
        Value::Tag(0 | 1004, inner) if inner.is_text() => cbor_to_json(inner)?,
        Value::Tag(tag, _) => return Err(format!("CBOR tag {tag} has no JSON form")),
        Value::Bytes(_) => return Err("a byte string has no JSON form".to_owned()),
        _ => return Err("an unknown CBOR value".to_owned()),
    })
}

/// The type of a health certificate: it must have exactly one of `v`, `t`, `r`.
pub fn certificate_type(hcert: &serde_json::Value) -> Result<CertificateType, DccError> {
    let present: Vec<CertificateType> =
        CertificateType::ALL.into_iter().filter(|kind| hcert.get(kind.member()).is_some()).collect();
    match present[..] {
        [kind] => Ok(kind),
        _ => Err(DccError::Schema(vec![format!(
            "exactly one of v, t, r must be present, found {}",
            present.iter().map(|kind| kind.member()).collect::<Vec<_>>().join(", ")
        )])),
    }
}

/// A DCC that passed every check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifiedDcc {
    /// The issuing country (the CWT `iss`), if given.
    pub issuer: Option<String>,
    /// The signer certificate's key id.
    pub key_id: KeyId,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
    /// Its type.
    pub certificate_type: CertificateType,
    /// The health certificate.
    pub hcert: serde_json::Value,
}

/// Verifies a DCC's text at `now` against these signer certificates: the Hospes pipeline with
/// `HC1:`, then the DCC's own rules.
pub fn verify(text: &str, signers: &[SignerCertificate], now: DateTime<Utc>) -> Result<VerifiedDcc, DccError> {
    let trust = TrustList::new(signers.iter().map(|signer| signer.trusted_key.clone()).collect());
    let verified = SignedCwt::from_text(text, PREFIX)?.verify_signature(&trust)?;
    verified.check_time(now, TimeDelta::zero())?;
    let signer =
        signers.get(verified.key_index()).ok_or_else(|| DccError::Certificate("lost the signer".to_owned()))?;
    signer.check_outlives(&verified)?;
    let hcert = hcert(verified.claims())?;
    check_schema(&hcert).map_err(DccError::Schema)?;
    let kind = certificate_type(&hcert)?;
    signer.check_usage(kind)?;
    Ok(VerifiedDcc {
        issuer: verified.claims().issuer.clone(),
        key_id: verified.key_id().clone(),
        issued_at: verified.issued_at(),
        expires_at: verified.expires_at(),
        certificate_type: kind,
        hcert,
    })
}
