//! Why a bearer token was refused, and why a key set could not be loaded.

use std::path::PathBuf;

use chrono::DateTime;

/// Why a bearer token did not authenticate anyone.
///
/// Every message is safe to send back to the caller (as the `error_description` of a 401): it names
/// what is wrong with the token the caller sent and never anything about the server beyond the public
/// key set. Values copied from an unverified token (`kid`, `alg`, the scheme) are shortened and
/// stripped of control characters first, so a hostile token cannot forge lines in a log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthenticationError {
    /// The request has no `Authorization` header.
    #[error("no credentials were presented: send `Authorization: Bearer <token>`")]
    MissingAuthorization,
    /// The `Authorization` header uses another scheme than Bearer.
    #[error("the Authorization scheme '{scheme}' is not accepted: send `Authorization: Bearer <token>`")]
    NotBearer { scheme: String },
    /// The token is not a signed JWT in compact form: three base64url parts, a JSON header and JSON
    /// claims.
    #[error("the bearer token is malformed: {reason}")]
    Malformed { reason: &'static str },
    /// The header names a signing algorithm Hospes does not accept (`none`, the symmetric `HS256`…).
    #[error("the token's signing algorithm '{alg}' is not accepted: expected one of EdDSA, ES256, RS256")]
    UnsupportedAlgorithm { alg: String },
    /// No trusted key fits the token's `kid` (or, for a token without `kid`, not exactly one key fits
    /// its algorithm).
    #[error("{}", unknown_key_message(kid.as_deref()))]
    UnknownKey { kid: Option<String> },
    /// The key the token names is for another algorithm than the one in the token's header: the token
    /// is refused rather than verified with an algorithm the key was not published for.
    #[error("the token is signed with {token_alg}, but key '{kid}' is for {key_alg}")]
    AlgorithmMismatch { kid: String, token_alg: &'static str, key_alg: &'static str },
    /// The signature does not verify with the trusted key: the token was altered or signed by another
    /// key.
    #[error("the token's signature is not valid")]
    BadSignature,
    /// The token's `exp` has passed (beyond the configured clock leeway).
    #[error("the token expired at {}", unix_time(*expired_at))]
    Expired { expired_at: u64 },
    /// The token's `nbf` is still ahead (beyond the configured clock leeway).
    #[error("the token is not valid before {}", unix_time(*not_before))]
    NotYetValid { not_before: u64 },
    /// The token was issued by an issuer Hospes does not trust.
    #[error("the token's issuer '{issuer}' is not trusted")]
    WrongIssuer { issuer: String },
    /// The token was issued for another service.
    #[error("the token is not intended for this service (its audience does not include it)")]
    WrongAudience,
    /// A claim Hospes needs is absent (or null).
    #[error("the token has no '{claim}' claim")]
    MissingClaim { claim: &'static str },
    /// A claim is present but unusable.
    #[error("the token's '{claim}' claim is not valid: {reason}")]
    InvalidClaim { claim: &'static str, reason: String },
}

fn unknown_key_message(kid: Option<&str>) -> String {
    match kid {
        Some(kid) => format!("no trusted key has the token's key id (kid) '{kid}'"),
        None => "the token names no key id (kid), and not exactly one trusted key fits its algorithm: \
                 the issuer must send a kid"
            .to_owned(),
    }
}

/// "2025-06-15T16:26:40Z (Unix time 1750004800)": readable, and exact for a client comparing clocks.
fn unix_time(seconds: u64) -> String {
    let readable = i64::try_from(seconds)
        .ok()
        .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
        .map(|time| time.format("%Y-%m-%dT%H:%M:%SZ ").to_string())
        .unwrap_or_default();
    format!("{readable}(Unix time {seconds})")
}

/// Why a key set (JWKS) or a verifier configuration was refused. Keys are named by their position in
/// the `keys` array and their `kid`, so the operator can find the one at fault.
#[derive(Debug, thiserror::Error)]
pub enum KeySetError {
    /// The key set file could not be read.
    #[error("cannot read the key set file {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    /// A problem in the key set file named here.
    #[error("key set file {}: {error}", path.display())]
    InFile { path: PathBuf, error: Box<KeySetError> },
    /// The document is not JSON.
    #[error("the key set is not JSON: {detail}")]
    NotJson { detail: String },
    /// The document is JSON but not a JWKS (RFC 7517): an object with a `keys` array.
    #[error("the key set is not a JWKS document: expected an object with a \"keys\" array")]
    NotAKeySet,
    /// The `keys` array is empty.
    #[error("the key set has no keys")]
    NoKeys,
    /// Every key is for encryption (`use: enc`, or `key_ops` without `verify`): none verifies a
    /// signature.
    #[error("the key set has no signature keys: all {skipped} keys are for encryption")]
    NoSignatureKeys { skipped: usize },
    /// A key type other than OKP (Ed25519), EC (P-256) or RSA; symmetric (`oct`) keys are refused,
    /// because anyone who can verify with them can also sign.
    #[error("{}: key type '{kty}' is not supported: expected OKP (Ed25519), EC (P-256) or RSA", key_label(*index, kid.as_deref()))]
    UnsupportedKeyType { index: usize, kid: Option<String>, kty: String },
    /// A signature key whose `alg` is not one Hospes accepts.
    #[error("{}: algorithm '{alg}' is not supported: expected EdDSA, ES256 or RS256", key_label(*index, kid.as_deref()))]
    UnsupportedKeyAlgorithm { index: usize, kid: Option<String>, alg: String },
    /// A key with a missing or unusable parameter.
    #[error("{}: {problem}", key_label(*index, kid.as_deref()))]
    InvalidKey { index: usize, kid: Option<String>, problem: String },
    /// Two keys share a `kid`, so a token naming it could not say which one signed it.
    #[error("keys[{first}] and keys[{second}] have the same kid '{kid}'")]
    DuplicateKid { kid: String, first: usize, second: usize },
    /// The issuer, audience or leeway configuration is unusable.
    #[error("invalid token verifier configuration: {problem}")]
    InvalidConfig { problem: String },
}

/// "keys[2] (kid 'abc')" or "keys[2] (no kid)".
fn key_label(index: usize, kid: Option<&str>) -> String {
    match kid {
        Some(kid) => format!("keys[{index}] (kid '{kid}')"),
        None => format!("keys[{index}] (no kid)"),
    }
}

/// A value from an unverified token, fit to be shown and logged: at most 64 characters, control
/// characters replaced.
pub(crate) fn echo(value: &str) -> String {
    const MAX_CHARS: usize = 64;
    let mut shown: String =
        value.chars().take(MAX_CHARS).map(|character| if character.is_control() { '?' } else { character }).collect();
    if value.chars().nth(MAX_CHARS).is_some() {
        shown.push('…');
    }
    shown
}
