//! COSE_Sign1 (RFC 9052) around a CWT claims set (RFC 8392): signing, parsing, and the
//! signature and time checks. Nothing here knows Hospes's own claims, so the EU DCC runs through
//! exactly the same code.
//!
//! Verification is split in two on purpose: [`SignedCwt`] is what the bytes *say* (parsed, not
//! trusted), [`VerifiedCwt`] is what a trusted key *signed*. Only the second hands out claims
//! without the word "unverified" in the method name.

use chrono::{DateTime, TimeDelta, Utc};
use ciborium::Value;
use coset::cwt::{ClaimsSet, Timestamp};
use coset::{
    Algorithm as CoseAlgorithm, AsCborValue as _, CborSerializable as _, CoseSign1, CoseSign1Builder, HeaderBuilder,
    RegisteredLabelWithPrivate, TaggedCborSerializable as _,
};

use crate::encoding::decode_text;
use crate::keys::{KeyId, SigningKey};
use crate::refusal::Refusal;
use crate::trust::TrustList;

/// The CBOR tag of a CWT (RFC 8392 §6); some issuers wrap their COSE_Sign1 in it.
const CWT_TAG: u64 = 61;
/// The CBOR tag of a COSE_Sign1 (RFC 9052 §2).
const COSE_SIGN1_TAG: u64 = 18;

/// Signs `claims` with `signing_key`, naming `key_id` and the algorithm in the protected header,
/// and returns the tagged COSE_Sign1.
pub fn sign_cwt(signing_key: &SigningKey, key_id: &KeyId, claims: ClaimsSet) -> Result<Vec<u8>, coset::CoseError> {
    let protected =
        HeaderBuilder::new().algorithm(signing_key.algorithm().cose()).key_id(key_id.as_bytes().to_vec()).build();
    CoseSign1Builder::new()
        .protected(protected)
        .payload(claims.to_vec()?)
        .create_signature(b"", |data| signing_key.sign(data))
        .build()
        .to_tagged_vec()
}

/// A COSE_Sign1 CWT as decoded from its bytes: structurally sound, signature not yet checked.
#[derive(Debug, Clone)]
pub struct SignedCwt {
    message: CoseSign1,
    claims: ClaimsSet,
    issued_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    not_before: Option<DateTime<Utc>>,
}

impl SignedCwt {
    /// Decodes the text form: prefix, base45, zlib, then [`SignedCwt::from_cose`].
    pub fn from_text(text: &str, prefix: &str) -> Result<Self, Refusal> {
        SignedCwt::from_cose(&decode_text(text, prefix)?)
    }

    /// Parses a COSE_Sign1 (tagged 18, untagged, or also wrapped in the CWT tag 61) whose payload
    /// is a CWT claims set with `iat` and `exp`.
    pub fn from_cose(bytes: &[u8]) -> Result<Self, Refusal> {
        let message = parse_sign1(bytes)?;
        let payload = message.payload.as_deref().ok_or_else(|| Refusal::bad_cbor("the payload is detached"))?;
        let claims =
            ClaimsSet::from_slice(payload).map_err(|error| Refusal::bad_cbor(format!("CWT claims: {error}")))?;
        let instant = |timestamp: &Option<Timestamp>, name: &str| -> Result<Option<DateTime<Utc>>, Refusal> {
            timestamp.as_ref().map(|timestamp| instant(timestamp).ok_or_else(|| out_of_range(name))).transpose()
        };
        let issued_at = instant(&claims.issued_at, "iat")?.ok_or_else(|| Refusal::bad_cbor("no iat claim"))?;
        let expires_at = instant(&claims.expiration_time, "exp")?.ok_or_else(|| Refusal::bad_cbor("no exp claim"))?;
        let not_before = instant(&claims.not_before, "nbf")?;
        Ok(SignedCwt { message, claims, issued_at, expires_at, not_before })
    }

    /// The key id the message names: the protected header's, else the unprotected header's.
    /// The protected one wins because only it is covered by the signature.
    pub fn key_id(&self) -> Option<&[u8]> {
        [&self.message.protected.header.key_id, &self.message.unprotected.key_id]
            .into_iter()
            .find(|key_id| !key_id.is_empty())
            .map(Vec::as_slice)
    }

    /// The bytes the signature covers (the COSE `Sig_structure`) and the signature itself: what a
    /// bare signature check reads, e.g. to compare its cost with a full verification's.
    pub fn signed_data(&self) -> (Vec<u8>, Vec<u8>) {
        (self.message.tbs_data(b""), self.message.signature.clone())
    }

    /// The claims as the bytes say, before any signature check. For diagnostics and for steps
    /// that, by definition, look at unverified content (such as conformance tests).
    pub fn unverified_claims(&self) -> &ClaimsSet {
        &self.claims
    }

    /// Finds the trusted key of the message's key id, checks the signature with it, and checks
    /// that the key was in its signing period at `iat`.
    pub fn verify_signature(self, trust: &TrustList) -> Result<VerifiedCwt, Refusal> {
        let key_id = self.key_id().unwrap_or_default().to_vec();
        let header_algorithm = self.message.protected.header.alg.as_ref().or(self.message.unprotected.alg.as_ref());
        let mut refusal = Refusal::UnknownKey { key_id: KeyId::new(key_id.clone()).to_string() };
        for (index, trusted) in trust.candidates(&key_id) {
            let algorithm = trusted.public_key.algorithm();
            let verified = match header_algorithm {
                Some(RegisteredLabelWithPrivate::Assigned(named)) if *named == algorithm.cose() => {
                    self.message.verify_signature(b"", |signature, data| trusted.public_key.verify(data, signature))
                }
                Some(named) => Err(format!("the header names {}, the key is {algorithm}", describe(named))),
                None => Err("the header names no algorithm".to_owned()),
            };
            refusal = match verified {
                Err(detail) => Refusal::BadSignature { detail },
                Ok(()) if !trusted.may_sign_at(self.issued_at) => {
                    Refusal::KeyNotValidAtIssuance { key_id: trusted.key_id.clone(), issued_at: self.issued_at }
                }
                Ok(()) => {
                    return Ok(VerifiedCwt {
                        key_index: index,
                        key_id: trusted.key_id.clone(),
                        claims: self.claims,
                        issued_at: self.issued_at,
                        expires_at: self.expires_at,
                        not_before: self.not_before,
                    });
                }
            };
        }
        Err(refusal)
    }
}

/// A CWT whose signature a trusted key has checked.
#[derive(Debug, Clone)]
pub struct VerifiedCwt {
    key_index: usize,
    key_id: KeyId,
    claims: ClaimsSet,
    issued_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    not_before: Option<DateTime<Utc>>,
}

impl VerifiedCwt {
    /// The signed claims.
    pub fn claims(&self) -> &ClaimsSet {
        &self.claims
    }

    /// The signed claims, taken.
    pub fn into_claims(self) -> ClaimsSet {
        self.claims
    }

    /// The key that signed, as its position in the trust list.
    pub fn key_index(&self) -> usize {
        self.key_index
    }

    /// The key id of the key that signed.
    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// `iat`.
    pub fn issued_at(&self) -> DateTime<Utc> {
        self.issued_at
    }

    /// `exp`.
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

    /// Refuses the CWT if `now` is before `iat` (or `nbf`) or at or after `exp` (RFC 8392 §3.1.4),
    /// allowing `leeway` for the verifier's clock on both sides.
    pub fn check_time(&self, now: DateTime<Utc>, leeway: TimeDelta) -> Result<(), Refusal> {
        let valid_from = self.not_before.map_or(self.issued_at, |not_before| not_before.max(self.issued_at));
        if now + leeway < valid_from {
            return Err(Refusal::NotYetValid { valid_from });
        }
        if now - leeway >= self.expires_at {
            return Err(Refusal::Expired { expired_at: self.expires_at });
        }
        Ok(())
    }
}

/// The private or text claim `name` of a claims set, if present.
pub fn claim(claims: &ClaimsSet, name: i64) -> Option<&Value> {
    claims.rest.iter().find_map(|(label, value)| {
        let matches = match label {
            RegisteredLabelWithPrivate::PrivateUse(number) => *number == name,
            RegisteredLabelWithPrivate::Assigned(assigned) => coset::iana::EnumI64::to_i64(assigned) == name,
            RegisteredLabelWithPrivate::Text(_) => false,
        };
        matches.then_some(value)
    })
}

fn parse_sign1(bytes: &[u8]) -> Result<CoseSign1, Refusal> {
    let mut reader = bytes;
    let value: Value =
        ciborium::from_reader(&mut reader).map_err(|error| Refusal::bad_cbor(format!("CBOR: {error}")))?;
    if !reader.is_empty() {
        return Err(Refusal::bad_cbor(format!("{} bytes after the COSE message", reader.len())));
    }
    let value = match value {
        Value::Tag(CWT_TAG, inner) => *inner,
        other => other,
    };
    let value = match value {
        Value::Tag(COSE_SIGN1_TAG, inner) => *inner,
        Value::Tag(tag, _) => return Err(Refusal::bad_cbor(format!("tag {tag} is not a COSE_Sign1 (18)"))),
        other => other,
    };
    CoseSign1::from_cbor_value(value).map_err(|error| Refusal::bad_cbor(format!("COSE_Sign1: {error}")))
}

fn instant(timestamp: &Timestamp) -> Option<DateTime<Utc>> {
    match *timestamp {
        Timestamp::WholeSeconds(seconds) => DateTime::from_timestamp(seconds, 0),
        Timestamp::FractionalSeconds(seconds) if seconds.is_finite() && seconds.abs() < 1e15 => {
            // The bound keeps the cast exact; the fraction of a second does not matter here.
            #[allow(clippy::cast_possible_truncation)]
            DateTime::from_timestamp(seconds.floor() as i64, 0)
        }
        Timestamp::FractionalSeconds(_) => None,
    }
}

fn out_of_range(name: &str) -> Refusal {
    Refusal::bad_cbor(format!("the {name} claim is out of range"))
}

fn describe(algorithm: &CoseAlgorithm) -> String {
    match algorithm {
        RegisteredLabelWithPrivate::Assigned(assigned) => format!("{assigned:?}"),
        RegisteredLabelWithPrivate::PrivateUse(number) => format!("private algorithm {number}"),
        RegisteredLabelWithPrivate::Text(text) => format!("algorithm {text:?}"),
    }
}
