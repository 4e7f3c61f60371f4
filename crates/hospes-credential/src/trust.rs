//! The trust list: the issuer keys a verifier accepts, each with the period in which it may sign.
//!
//! It is published as a JWKS document (RFC 7517) that verifiers cache and use offline. Each key
//! carries, beside the standard members, `nbf` and `exp` (seconds since the epoch, as in a JWT):
//! the *signing period*. A credential whose `iat` falls outside its key's signing period is
//! refused; one signed inside it stays valid until its own `exp`, even after the key is retired.
//! That is what makes rotation painless: publish the new key, start signing with it, set the old
//! key's `exp` to the switch-over time, and drop it from the list once its last credential has
//! expired. A *compromised* key is different: remove it at once, since whoever holds it can
//! backdate `iat`.
//!
//! ```json
//! {"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "3q2-7w", "x": "…", "alg": "EdDSA",
//!            "use": "sig", "nbf": 1767225600, "exp": 1798761600}]}
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::keys::{KeyId, PublicKey};

/// A key the verifier trusts, with its signing period (open at either end when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    /// The key id credentials name in their COSE header.
    pub key_id: KeyId,
    /// The public key.
    pub public_key: PublicKey,
    /// The first instant the key may sign.
    pub not_before: Option<DateTime<Utc>>,
    /// The last instant the key may sign.
    pub not_after: Option<DateTime<Utc>>,
}

impl TrustedKey {
    /// Whether the key was in its signing period at `instant`.
    pub fn may_sign_at(&self, instant: DateTime<Utc>) -> bool {
        self.not_before.is_none_or(|start| start <= instant) && self.not_after.is_none_or(|end| instant <= end)
    }
}

/// The keys a verifier trusts. Serialised as a JWKS document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Jwks", into = "Jwks")]
pub struct TrustList {
    keys: Vec<TrustedKey>,
}

impl TrustList {
    /// A trust list of these keys.
    pub fn new(keys: Vec<TrustedKey>) -> Self {
        TrustList { keys }
    }

    /// Every key, in order.
    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// The keys with this key id, with their index. Usually one; eight-byte key ids (as the DCC
    /// uses) can collide, so a verifier tries each.
    pub fn candidates<'a>(&'a self, key_id: &'a [u8]) -> impl Iterator<Item = (usize, &'a TrustedKey)> + 'a {
        self.keys.iter().enumerate().filter(move |(_, key)| key.key_id.as_bytes() == key_id)
    }

    /// Parses a JWKS document.
    pub fn from_jwks_json(json: &str) -> Result<Self, TrustListError> {
        let jwks: Jwks = serde_json::from_str(json).map_err(|error| TrustListError::Json(error.to_string()))?;
        TrustList::try_from(jwks)
    }

    /// The JWKS document.
    pub fn to_jwks_json(&self) -> String {
        // A struct of strings and integers always serialises.
        serde_json::to_string_pretty(&Jwks::from(self.clone())).unwrap_or_default()
    }
}

/// A trust list that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustListError {
    /// Not JSON of the JWKS shape.
    #[error("not a JWKS document: {0}")]
    Json(String),
    /// A key that cannot be used, with its position and why.
    #[error("key {index}: {reason}")]
    Key {
        /// Its position in `keys`.
        index: usize,
        /// What is wrong.
        reason: String,
    },
}

/// A JWKS document, as published.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

/// One JSON Web Key, with the members Hospes uses.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Jwk {
    kty: String,
    kid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    crv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    x: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    y: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    e: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    alg: Option<String>,
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    key_use: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exp: Option<i64>,
}

impl TryFrom<Jwks> for TrustList {
    type Error = TrustListError;

    fn try_from(jwks: Jwks) -> Result<Self, Self::Error> {
        let keys = jwks
            .keys
            .into_iter()
            .enumerate()
            .map(|(index, jwk)| trusted_key(jwk).map_err(|reason| TrustListError::Key { index, reason }))
            .collect::<Result<_, _>>()?;
        Ok(TrustList { keys })
    }
}

impl From<TrustList> for Jwks {
    fn from(list: TrustList) -> Jwks {
        Jwks { keys: list.keys.iter().map(jwk).collect() }
    }
}

fn trusted_key(jwk: Jwk) -> Result<TrustedKey, String> {
    if jwk.key_use.as_deref().is_some_and(|key_use| key_use != "sig") {
        return Err(format!("use {:?} is not \"sig\"", jwk.key_use.unwrap_or_default()));
    }
    let bytes = |member: &Option<String>, name: &str| -> Result<Vec<u8>, String> {
        let text = member.as_deref().ok_or_else(|| format!("no {name:?}"))?;
        URL_SAFE_NO_PAD.decode(text).map_err(|error| format!("{name:?} is not base64url: {error}"))
    };
    let public_key = match (jwk.kty.as_str(), jwk.crv.as_deref()) {
        ("OKP", Some("Ed25519")) => {
            let x: [u8; 32] = bytes(&jwk.x, "x")?.try_into().map_err(|_| "\"x\" is not 32 bytes".to_owned())?;
            PublicKey::Ed25519(
                ed25519_dalek::VerifyingKey::from_bytes(&x).map_err(|_| "not an Ed25519 point".to_owned())?,
            )
        }
        ("EC", Some("P-256")) => {
            let (x, y) = (bytes(&jwk.x, "x")?, bytes(&jwk.y, "y")?);
            if x.len() != 32 || y.len() != 32 {
                return Err("\"x\" and \"y\" must be 32 bytes each".to_owned());
            }
            let point = [&[0x04][..], &x, &y].concat();
            PublicKey::P256(
                p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(|_| "not a P-256 point".to_owned())?,
            )
        }
        ("RSA", _) => {
            let (n, e) = (bytes(&jwk.n, "n")?, bytes(&jwk.e, "e")?);
            let key = rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(&n), rsa::BigUint::from_bytes_be(&e))
                .map_err(|error| format!("not a usable RSA key: {error}"))?;
            PublicKey::Rsa(key)
        }
        (kty, crv) => return Err(format!("unsupported key type {kty:?} with curve {crv:?}")),
    };
    if let Some(alg) = jwk.alg.as_deref()
        && alg != public_key.algorithm().jose_name()
    {
        return Err(format!("alg {alg:?} does not fit a {} key", public_key.algorithm()));
    }
    let instant = |seconds: Option<i64>, name: &str| -> Result<Option<DateTime<Utc>>, String> {
        seconds
            .map(|seconds| DateTime::from_timestamp(seconds, 0).ok_or_else(|| format!("{name:?} is out of range")))
            .transpose()
    };
    Ok(TrustedKey {
        key_id: KeyId::from_base64url(&jwk.kid).map_err(|error| format!("\"kid\" is not base64url: {error}"))?,
        public_key,
        not_before: instant(jwk.nbf, "nbf")?,
        not_after: instant(jwk.exp, "exp")?,
    })
}

fn jwk(key: &TrustedKey) -> Jwk {
    let base64url = |bytes: &[u8]| Some(URL_SAFE_NO_PAD.encode(bytes));
    let mut jwk = Jwk {
        kid: key.key_id.to_string(),
        alg: Some(key.public_key.algorithm().jose_name().to_owned()),
        key_use: Some("sig".to_owned()),
        nbf: key.not_before.map(|instant| instant.timestamp()),
        exp: key.not_after.map(|instant| instant.timestamp()),
        ..Jwk::default()
    };
    match &key.public_key {
        PublicKey::Ed25519(public) => {
            jwk.kty = "OKP".to_owned();
            jwk.crv = Some("Ed25519".to_owned());
            jwk.x = base64url(public.as_bytes());
        }
        PublicKey::P256(public) => {
            let point = public.to_sec1_point(false);
            let bytes = point.as_bytes();
            jwk.kty = "EC".to_owned();
            jwk.crv = Some("P-256".to_owned());
            jwk.x = bytes.get(1..33).and_then(base64url);
            jwk.y = bytes.get(33..65).and_then(base64url);
        }
        PublicKey::Rsa(public) => {
            use rsa::traits::PublicKeyParts as _;
            jwk.kty = "RSA".to_owned();
            jwk.n = base64url(&public.n().to_bytes_be());
            jwk.e = base64url(&public.e().to_bytes_be());
        }
    }
    jwk
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

    use super::*;
    use crate::keys::SigningKey;

    fn key(signing_key: &SigningKey, not_before: Option<i64>, not_after: Option<i64>) -> TrustedKey {
        TrustedKey {
            key_id: signing_key.derived_key_id(),
            public_key: signing_key.public_key(),
            not_before: not_before.and_then(|seconds| DateTime::from_timestamp(seconds, 0)),
            not_after: not_after.and_then(|seconds| DateTime::from_timestamp(seconds, 0)),
        }
    }

    #[test]
    fn jwks_round_trips_every_key_type() {
        let mut random = rand::rng();
        let list = TrustList::new(vec![
            key(&SigningKey::generate_ed25519(&mut random), Some(1_700_000_000), Some(1_800_000_000)),
            key(&SigningKey::generate_p256(&mut random), None, Some(1_800_000_000)),
        ]);
        let json = list.to_jwks_json();
        assert!(json.contains("\"crv\": \"Ed25519\"") && json.contains("\"crv\": \"P-256\""), "{json}");
        assert_eq!(TrustList::from_jwks_json(&json).unwrap(), list);
    }

    #[test]
    fn unusable_keys_are_named() {
        let check = |json: &str, expected: &str| match TrustList::from_jwks_json(json) {
            Err(TrustListError::Key { index: 0, reason }) => assert!(reason.contains(expected), "{reason}"),
            other => panic!("{json}: {other:?}"),
        };
        check(r#"{"keys":[{"kty":"OKP","crv":"X25519","kid":"AA","x":"AA"}]}"#, "unsupported key type");
        check(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"AA","x":"AA"}]}"#, "not 32 bytes");
        check(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"AA"}]}"#, "no \"x\"");
        check(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"AA","use":"enc","x":"AA"}]}"#, "not \"sig\"");
        let ed25519 = TrustList::new(vec![key(&SigningKey::generate_ed25519(&mut rand::rng()), None, None)]);
        let json = ed25519.to_jwks_json().replace("\"EdDSA\"", "\"ES256\"");
        check(&json, "does not fit");
        assert!(matches!(TrustList::from_jwks_json("[]"), Err(TrustListError::Json(_))));
    }

    #[test]
    fn signing_period_is_inclusive_and_open_when_absent() {
        let signing_key = SigningKey::generate_ed25519(&mut rand::rng());
        let bounded = key(&signing_key, Some(100), Some(200));
        let at = |seconds| DateTime::from_timestamp(seconds, 0).unwrap();
        assert!(!bounded.may_sign_at(at(99)));
        assert!(bounded.may_sign_at(at(100)) && bounded.may_sign_at(at(200)));
        assert!(!bounded.may_sign_at(at(201)));
        assert!(key(&signing_key, None, None).may_sign_at(at(0)));
    }
}
