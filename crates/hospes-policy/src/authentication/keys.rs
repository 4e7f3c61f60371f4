//! The trusted signature keys, read from a JWKS document (RFC 7517).
//!
//! Every key is checked when the set is loaded, so a bad key stops the server at start-up, naming the
//! key, instead of failing every token signed with it later. A key's algorithm follows from its type:
//! OKP/Ed25519 keys verify EdDSA, EC/P-256 keys ES256, RSA keys RS256; an `alg` member, when present,
//! must agree. A token is later verified only with the algorithm its key is for, whatever its header
//! claims, which is what stops algorithm confusion (an RSA public key used as an HMAC secret, say).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};

use super::error::KeySetError;

/// The signature algorithms Hospes accepts: asymmetric only (a verifier must not be able to sign), and
/// the ones identity providers publish by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SigningAlgorithm {
    /// Ed25519 signatures (RFC 8037), from OKP keys.
    EdDsa,
    /// ECDSA on P-256 with SHA-256, from EC keys.
    Es256,
    /// RSASSA-PKCS1-v1_5 with SHA-256, from RSA keys (Keycloak's default).
    Rs256,
}

impl SigningAlgorithm {
    /// Every accepted algorithm.
    pub const ALL: [SigningAlgorithm; 3] = [SigningAlgorithm::EdDsa, SigningAlgorithm::Es256, SigningAlgorithm::Rs256];

    /// The JOSE name, as in a token header's `alg` and a JWK's `alg`.
    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlgorithm::EdDsa => "EdDSA",
            SigningAlgorithm::Es256 => "ES256",
            SigningAlgorithm::Rs256 => "RS256",
        }
    }

    /// Parses a JOSE algorithm name, exactly (JOSE names are case-sensitive).
    pub fn parse(value: &str) -> Option<SigningAlgorithm> {
        SigningAlgorithm::ALL.into_iter().find(|algorithm| algorithm.as_str() == value)
    }

    pub(crate) fn jsonwebtoken(self) -> Algorithm {
        match self {
            SigningAlgorithm::EdDsa => Algorithm::EdDSA,
            SigningAlgorithm::Es256 => Algorithm::ES256,
            SigningAlgorithm::Rs256 => Algorithm::RS256,
        }
    }
}

impl fmt::Display for SigningAlgorithm {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// One trusted public key.
#[derive(Clone)]
pub(crate) struct TrustedKey {
    pub(crate) kid: Option<String>,
    pub(crate) algorithm: SigningAlgorithm,
    pub(crate) key: DecodingKey,
}

/// The public keys whose signatures Hospes trusts, from a JWKS document: what an OIDC provider
/// publishes at its `jwks_uri` (Keycloak: `/realms/{realm}/protocol/openid-connect/certs`), saved to a
/// file. Keys for encryption (`use: enc`) are skipped, since a provider publishes them beside its
/// signature keys; anything else that Hospes cannot use is refused.
#[derive(Clone)]
pub struct TrustedKeys {
    keys: Vec<TrustedKey>,
}

/// The private members of JWKs (RFC 7518 §6): a key set for verifying must not hold any.
const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "oth"];

/// RSA moduli below 2048 bits are refused (NIST SP 800-131A); above 4096 the RSA implementation
/// refuses them itself, so they are refused here, at load time.
const RSA_MODULUS_BITS: std::ops::RangeInclusive<usize> = 2048..=4096;

/// The largest public exponent the RSA implementation accepts (2^33 - 1).
const RSA_MAX_EXPONENT: u64 = (1 << 33) - 1;

impl TrustedKeys {
    /// Reads a JWKS document. Refuses a document that is not JSON, holds no keys, holds a key of an
    /// unsupported type or algorithm, a malformed key, private key material, or two keys with one kid.
    pub fn from_jwks_json(document: &str) -> Result<TrustedKeys, KeySetError> {
        let document: Value =
            serde_json::from_str(document).map_err(|error| KeySetError::NotJson { detail: error.to_string() })?;
        let entries = document.get("keys").and_then(Value::as_array).ok_or(KeySetError::NotAKeySet)?;
        if entries.is_empty() {
            return Err(KeySetError::NoKeys);
        }
        let mut keys: Vec<(usize, TrustedKey)> = Vec::with_capacity(entries.len());
        for (index, entry) in entries.iter().enumerate() {
            let Some(key) = parse_key(index, entry)? else { continue };
            if let Some(kid) = &key.kid
                && let Some((first, _)) = keys.iter().find(|(_, other)| other.kid.as_ref() == Some(kid))
            {
                return Err(KeySetError::DuplicateKid { kid: kid.clone(), first: *first, second: index });
            }
            keys.push((index, key));
        }
        if keys.is_empty() {
            return Err(KeySetError::NoSignatureKeys { skipped: entries.len() });
        }
        Ok(TrustedKeys { keys: keys.into_iter().map(|(_, key)| key).collect() })
    }

    /// A set of one key, already known to be valid (the test issuer's).
    #[cfg(feature = "test-issuer")]
    pub(crate) fn single(key: TrustedKey) -> TrustedKeys {
        TrustedKeys { keys: vec![key] }
    }

    /// How many signature keys the set holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Always false: an empty set is refused when loaded.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The key ids and algorithms of the keys, in the document's order, for start-up logs.
    pub fn describe(&self) -> Vec<(Option<&str>, SigningAlgorithm)> {
        self.keys.iter().map(|key| (key.kid.as_deref(), key.algorithm)).collect()
    }

    /// The key for a token: the one its `kid` names, or without a `kid`, the only key for its
    /// algorithm. `None` when there is no such key (or, without a `kid`, several).
    pub(crate) fn find(&self, kid: Option<&str>, algorithm: SigningAlgorithm) -> Option<&TrustedKey> {
        match kid {
            Some(kid) => self.keys.iter().find(|key| key.kid.as_deref() == Some(kid)),
            None => {
                let mut candidates = self.keys.iter().filter(|key| key.algorithm == algorithm);
                match (candidates.next(), candidates.next()) {
                    (Some(key), None) => Some(key),
                    _ => None,
                }
            }
        }
    }
}

impl fmt::Debug for TrustedKeys {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_list().entries(self.describe()).finish()
    }
}

/// Parses one JWK: `Ok(None)` for an encryption key, which is skipped.
fn parse_key(index: usize, entry: &Value) -> Result<Option<TrustedKey>, KeySetError> {
    let Some(members) = entry.as_object() else {
        return Err(KeySetError::InvalidKey { index, kid: None, problem: "is not a JSON object".to_owned() });
    };
    let kid = match members.get("kid") {
        None | Some(Value::Null) => None,
        Some(Value::String(kid)) if !kid.is_empty() => Some(kid.clone()),
        Some(_) => {
            return Err(KeySetError::InvalidKey {
                index,
                kid: None,
                problem: "kid must be a non-empty string".to_owned(),
            });
        }
    };
    let invalid = |problem: String| KeySetError::InvalidKey { index, kid: kid.clone(), problem };

    if !is_for_signatures(members).map_err(invalid)? {
        return Ok(None);
    }
    let kty = optional_string(members, "kty").map_err(invalid)?.ok_or_else(|| invalid("has no kty".to_owned()))?;
    let algorithm = match kty {
        "OKP" => SigningAlgorithm::EdDsa,
        "EC" => SigningAlgorithm::Es256,
        "RSA" => SigningAlgorithm::Rs256,
        other => return Err(KeySetError::UnsupportedKeyType { index, kid: kid.clone(), kty: other.to_owned() }),
    };
    if let Some(member) = PRIVATE_MEMBERS.iter().find(|member| members.contains_key(**member)) {
        return Err(invalid(format!(
            "holds private key material ('{member}'): a trusted key set must hold public keys only"
        )));
    }
    if let Some(alg) = optional_string(members, "alg").map_err(invalid)? {
        let declared = SigningAlgorithm::parse(alg).ok_or_else(|| KeySetError::UnsupportedKeyAlgorithm {
            index,
            kid: kid.clone(),
            alg: alg.to_owned(),
        })?;
        if declared != algorithm {
            return Err(invalid(format!("alg {declared} does not fit key type {kty}: expected {algorithm}")));
        }
    }

    let key = match algorithm {
        SigningAlgorithm::EdDsa => {
            expect_curve(members, "Ed25519").map_err(invalid)?;
            let x = coordinate(members, "x", 32).map_err(invalid)?;
            DecodingKey::from_ed_components(x).map_err(|_| invalid("x is not base64url".to_owned()))?
        }
        SigningAlgorithm::Es256 => {
            expect_curve(members, "P-256").map_err(invalid)?;
            let x = coordinate(members, "x", 32).map_err(invalid)?;
            let y = coordinate(members, "y", 32).map_err(invalid)?;
            DecodingKey::from_ec_components(x, y).map_err(|_| invalid("x or y is not base64url".to_owned()))?
        }
        SigningAlgorithm::Rs256 => {
            let (n, e) = rsa_components(members).map_err(invalid)?;
            DecodingKey::from_rsa_components(n, e).map_err(|_| invalid("n or e is not base64url".to_owned()))?
        }
    };
    // Building a verifier checks that the point is on the curve (Ed25519, P-256); a valid key then
    // simply fails to verify the empty signature. RSA parameters were checked above.
    if jsonwebtoken::crypto::verify("", b"", &key, algorithm.jsonwebtoken()).is_err() {
        return Err(invalid(format!("is not a valid {algorithm} public key")));
    }
    Ok(Some(TrustedKey { kid, algorithm, key }))
}

/// False for a key published for encryption: `use: enc`, or `key_ops` without `verify`.
fn is_for_signatures(members: &Map<String, Value>) -> Result<bool, String> {
    match optional_string(members, "use")? {
        None | Some("sig") => {}
        Some("enc") => return Ok(false),
        Some(other) => return Err(format!("use '{other}' is not known: expected sig or enc")),
    }
    match members.get("key_ops") {
        None | Some(Value::Null) => Ok(true),
        Some(Value::Array(operations)) => Ok(operations.iter().any(|operation| operation.as_str() == Some("verify"))),
        Some(_) => Err("key_ops must be an array of strings".to_owned()),
    }
}

fn optional_string<'a>(members: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, String> {
    match members.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(format!("{name} must be a string")),
    }
}

fn required_string<'a>(members: &'a Map<String, Value>, name: &str) -> Result<&'a str, String> {
    optional_string(members, name)?.ok_or_else(|| format!("has no {name}"))
}

fn expect_curve(members: &Map<String, Value>, expected: &str) -> Result<(), String> {
    let curve = required_string(members, "crv")?;
    if curve == expected { Ok(()) } else { Err(format!("curve '{curve}' is not supported: expected {expected}")) }
}

fn decode(members: &Map<String, Value>, name: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD.decode(required_string(members, name)?).map_err(|_| format!("{name} is not base64url (unpadded)"))
}

/// A coordinate (or Ed25519 public key) of exactly `length` bytes, as its base64url text.
fn coordinate<'a>(members: &'a Map<String, Value>, name: &str, length: usize) -> Result<&'a str, String> {
    let bytes = decode(members, name)?;
    if bytes.len() != length {
        return Err(format!("{name} has {} bytes: expected {length}", bytes.len()));
    }
    required_string(members, name)
}

/// The modulus and exponent of an RSA key, as base64url text, once checked for size.
fn rsa_components(members: &Map<String, Value>) -> Result<(&str, &str), String> {
    let modulus = decode(members, "n")?;
    let modulus = strip_leading_zeros(&modulus);
    let bits = modulus.first().map_or(0, |first| modulus.len() * 8 - first.leading_zeros() as usize);
    if !RSA_MODULUS_BITS.contains(&bits) {
        return Err(format!(
            "the RSA modulus has {bits} bits: expected {} to {}",
            RSA_MODULUS_BITS.start(),
            RSA_MODULUS_BITS.end()
        ));
    }
    let exponent = decode(members, "e")?;
    let exponent = strip_leading_zeros(&exponent);
    let value = if exponent.len() > 8 {
        u64::MAX
    } else {
        exponent.iter().fold(0u64, |value, byte| (value << 8) | u64::from(*byte))
    };
    if value < 3 || value % 2 == 0 || value > RSA_MAX_EXPONENT {
        return Err("the RSA public exponent e must be odd, at least 3 and at most 2^33 - 1".to_owned());
    }
    Ok((required_string(members, "n")?, required_string(members, "e")?))
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|byte| *byte != 0).unwrap_or(bytes.len());
    &bytes[start..]
}
