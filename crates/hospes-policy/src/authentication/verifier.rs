//! Verifying a bearer token: structure, header, key, signature, then claims.
//!
//! The header is parsed here rather than by `jsonwebtoken`, which cannot represent `alg: none` or an
//! algorithm it does not know and would report either as a JSON error; here each is refused by name.
//! `jsonwebtoken` checks the signature. The claims are checked in [`super::claims`], against a clock
//! the caller may supply, which `jsonwebtoken`'s own validation does not allow.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::bearer_token;
use super::claims::principal_from_claims;
use super::error::{AuthenticationError, KeySetError, echo};
use super::keys::{SigningAlgorithm, TrustedKeys};
use crate::authorisation::Principal;

/// Which tokens a [`TokenVerifier`] accepts besides their signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenVerifierConfig {
    /// The accepted `iss` values, exactly as the provider writes them (Keycloak:
    /// `https://{host}/realms/{realm}`). Every key of the key set is trusted for each of them.
    pub issuers: Vec<String>,
    /// The `aud` value that names Hospes (for Keycloak, the client id, or an audience mapper's value).
    pub audience: String,
    /// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds; at most
    /// [`TokenVerifier::MAX_LEEWAY_SECONDS`].
    pub leeway_seconds: u64,
}

/// Turns bearer tokens (JWTs signed by a trusted OpenID Connect provider) into [`Principal`]s: for
/// officers, third parties and the foreign national themself. Agencies do not use it: they
/// authenticate with API keys ([`crate::authenticate_agency`]).
///
/// The verifier holds the provider's public keys, read once from a JWKS document; to rotate keys, load
/// a new verifier. It is cheap to share (`Arc`) and needs no locking.
#[derive(Debug, Clone)]
pub struct TokenVerifier {
    keys: TrustedKeys,
    config: TokenVerifierConfig,
}

impl TokenVerifier {
    /// The largest leeway accepted: more would keep an expired token alive for longer than any clock
    /// skew explains.
    pub const MAX_LEEWAY_SECONDS: u64 = 300;

    /// The longest token accepted. Provider tokens are a few kilobytes at most; refusing longer ones
    /// bounds the work an unauthenticated caller can cause.
    pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

    /// A verifier for `keys`, after checking the configuration.
    pub fn new(keys: TrustedKeys, config: TokenVerifierConfig) -> Result<TokenVerifier, KeySetError> {
        let problem = |problem: &str| Err(KeySetError::InvalidConfig { problem: problem.to_owned() });
        if config.issuers.is_empty() {
            return problem("no issuer is configured: name at least one trusted issuer");
        }
        if config.issuers.iter().any(|issuer| issuer.trim().is_empty()) {
            return problem("an issuer is empty");
        }
        if config.audience.trim().is_empty() {
            return problem("the audience is empty: name the audience tokens must be issued for");
        }
        if config.leeway_seconds > Self::MAX_LEEWAY_SECONDS {
            return Err(KeySetError::InvalidConfig {
                problem: format!(
                    "the leeway of {} seconds is more than the largest accepted, {}",
                    config.leeway_seconds,
                    Self::MAX_LEEWAY_SECONDS
                ),
            });
        }
        Ok(TokenVerifier { keys, config })
    }

    /// A verifier from parts already known to be valid (the test issuer's).
    #[cfg(feature = "test-issuer")]
    pub(crate) fn from_trusted_parts(keys: TrustedKeys, config: TokenVerifierConfig) -> TokenVerifier {
        TokenVerifier { keys, config }
    }

    /// A verifier from a JWKS document (RFC 7517) and a configuration.
    pub fn from_jwks_json(document: &str, config: TokenVerifierConfig) -> Result<TokenVerifier, KeySetError> {
        TokenVerifier::new(TrustedKeys::from_jwks_json(document)?, config)
    }

    /// A verifier from a JWKS file, such as a provider's `jwks_uri` response saved to disk. Errors
    /// name the file.
    pub fn from_jwks_file(path: impl AsRef<Path>, config: TokenVerifierConfig) -> Result<TokenVerifier, KeySetError> {
        let path = path.as_ref();
        let document =
            std::fs::read_to_string(path).map_err(|source| KeySetError::Read { path: path.to_owned(), source })?;
        let keys = TrustedKeys::from_jwks_json(&document)
            .map_err(|error| KeySetError::InFile { path: path.to_owned(), error: Box::new(error) })?;
        TokenVerifier::new(keys, config)
    }

    /// The configuration the verifier was built with.
    pub fn config(&self) -> &TokenVerifierConfig {
        &self.config
    }

    /// The trusted keys.
    pub fn keys(&self) -> &TrustedKeys {
        &self.keys
    }

    /// Authenticates the value of an `Authorization` header (`Bearer <token>`).
    pub fn authenticate(&self, authorization: Option<&str>) -> Result<Principal, AuthenticationError> {
        self.verify(bearer_token(authorization)?)
    }

    /// Verifies a token (without the `Bearer ` prefix) at the current time.
    pub fn verify(&self, token: &str) -> Result<Principal, AuthenticationError> {
        let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
        self.verify_at(token, now)
    }

    /// Verifies a token as if the time were `now` (Unix seconds): for tests, and for replaying a
    /// decision.
    pub fn verify_at(&self, token: &str, now: u64) -> Result<Principal, AuthenticationError> {
        let parts = CompactParts::split(token)?;
        let header = parse_object(&parts.header, "the header is not a JSON object")?;
        let (algorithm, kid) = read_header(&header)?;

        let key =
            self.keys.find(kid, algorithm).ok_or_else(|| AuthenticationError::UnknownKey { kid: kid.map(echo) })?;
        if key.algorithm != algorithm {
            return Err(AuthenticationError::AlgorithmMismatch {
                kid: kid.map(echo).unwrap_or_default(),
                token_alg: algorithm.as_str(),
                key_alg: key.algorithm.as_str(),
            });
        }
        let verified = jsonwebtoken::crypto::verify(
            parts.signature,
            parts.signing_input.as_bytes(),
            &key.key,
            algorithm.jsonwebtoken(),
        );
        if !matches!(verified, Ok(true)) {
            return Err(AuthenticationError::BadSignature);
        }

        let claims = parse_object(&parts.claims, "the claims are not a JSON object")?;
        principal_from_claims(&claims, &self.config, now)
    }
}

/// The three parts of a compact JWS, header and claims decoded.
struct CompactParts<'a> {
    /// `header.claims`, as sent: what the signature covers.
    signing_input: &'a str,
    header: Vec<u8>,
    claims: Vec<u8>,
    /// Still base64url: `jsonwebtoken` decodes it.
    signature: &'a str,
}

impl<'a> CompactParts<'a> {
    fn split(token: &'a str) -> Result<CompactParts<'a>, AuthenticationError> {
        let malformed = |reason| AuthenticationError::Malformed { reason };
        if token.len() > TokenVerifier::MAX_TOKEN_BYTES {
            return Err(malformed("it is longer than 16 KiB"));
        }
        let mut parts = token.split('.');
        let (Some(header), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed("a JWT has three base64url parts separated by dots"));
        };
        if header.is_empty() || claims.is_empty() {
            return Err(malformed("the header or the claims part is empty"));
        }
        let is_base64url =
            |part: &str| part.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
        if ![header, claims, signature].into_iter().all(is_base64url) {
            return Err(malformed("a part is not base64url (unpadded)"));
        }
        let decode =
            |part: &str| URL_SAFE_NO_PAD.decode(part).map_err(|_| malformed("a part is not base64url (unpadded)"));
        let decoded_header = decode(header)?;
        let decoded_claims = decode(claims)?;
        decode(signature)?;
        Ok(CompactParts {
            signing_input: &token[..header.len() + 1 + claims.len()],
            header: decoded_header,
            claims: decoded_claims,
            signature,
        })
    }
}

fn parse_object(json: &[u8], reason: &'static str) -> Result<Map<String, Value>, AuthenticationError> {
    serde_json::from_slice(json).map_err(|_| AuthenticationError::Malformed { reason })
}

/// The algorithm and key id of a header, refusing what Hospes does not implement: an unsupported
/// `alg`, critical extensions (RFC 7515 §4.1.11 requires refusing those not understood), and a
/// `typ` that marks another kind of JWT (a logout token, a DPoP proof). Key-carrying members (`jwk`,
/// `jku`, `x5u`, `x5c`) are ignored: only the configured key set is trusted.
fn read_header(header: &Map<String, Value>) -> Result<(SigningAlgorithm, Option<&str>), AuthenticationError> {
    let alg = match header.get("alg") {
        Some(Value::String(alg)) => alg,
        _ => return Err(AuthenticationError::Malformed { reason: "the header has no alg" }),
    };
    let algorithm =
        SigningAlgorithm::parse(alg).ok_or_else(|| AuthenticationError::UnsupportedAlgorithm { alg: echo(alg) })?;
    if header.contains_key("crit") {
        return Err(AuthenticationError::Malformed {
            reason: "the header lists critical extensions (crit), which are not supported",
        });
    }
    match header.get("typ") {
        None | Some(Value::Null) => {}
        Some(Value::String(kind)) if is_access_token_type(kind) => {}
        Some(Value::String(kind)) => {
            return Err(AuthenticationError::InvalidClaim {
                claim: "typ",
                reason: format!("the header's typ '{}' is not a JWT access token", echo(kind)),
            });
        }
        Some(_) => return Err(AuthenticationError::Malformed { reason: "the header's typ is not a string" }),
    }
    let kid = match header.get("kid") {
        None | Some(Value::Null) => None,
        Some(Value::String(kid)) => Some(kid.as_str()),
        Some(_) => return Err(AuthenticationError::Malformed { reason: "the header's kid is not a string" }),
    };
    Ok((algorithm, kid))
}

/// `JWT` (RFC 7519) or `at+jwt` (RFC 9068), with or without the `application/` prefix, in any case.
fn is_access_token_type(kind: &str) -> bool {
    let kind = kind.to_ascii_lowercase();
    let kind = kind.strip_prefix("application/").unwrap_or(&kind);
    kind == "jwt" || kind == "at+jwt"
}
