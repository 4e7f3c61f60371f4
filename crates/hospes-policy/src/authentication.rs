//! Authentication of people by bearer token: officers, third parties (employers, banks…) and the
//! foreign national themself.
//!
//! Hospes does not keep accounts or passwords. People sign in at an OpenID Connect provider (Keycloak,
//! or any other), which issues a signed JWT; Hospes checks it against the provider's public keys (its
//! JWKS, saved to a file) and reads who the caller is from the claims:
//!
//! | claim | meaning |
//! |---|---|
//! | `iss`, `aud` | one of the configured issuers; an audience that includes the configured one |
//! | `exp`, `iat`, `nbf` | required, required, optional; checked with the configured clock leeway |
//! | `sub` | the subject, recorded in the audit log |
//! | `roles` | Hospes role ids (`border_officer`…); Keycloak's `realm_access.roles` and `resource_access.{audience}.roles` count too, other names are ignored |
//! | `org` | the organisation the subject acts for: required, except for a person |
//! | `region` | where an officer serves: optional |
//! | `person_id` | the person's own profile id: required with the `person` role, refused without it |
//!
//! A token with the `person` role may hold no other role: it speaks for one person only. The
//! `agency_feed` role is refused: agencies authenticate with API keys ([`crate::agency_keys`]), which
//! arrive in the same `Authorization: Bearer` header; a JWT never begins with their `hsk_` prefix.
//!
//! Only asymmetric algorithms are accepted (EdDSA, ES256, RS256): with a shared secret, whoever can
//! verify a token could also forge one.

mod claims;
mod error;
mod keys;
mod verifier;

pub use error::{AuthenticationError, KeySetError};
#[cfg(feature = "test-issuer")]
pub(crate) use keys::TrustedKey;
pub use keys::{SigningAlgorithm, TrustedKeys};
pub use verifier::{TokenVerifier, TokenVerifierConfig};

/// The token in the value of an `Authorization` header: `Bearer <token>`, the scheme in any case
/// (RFC 9110 §11.1). `None` (no header) and other schemes are refused with a message that says what to
/// send.
pub fn bearer_token(authorization: Option<&str>) -> Result<&str, AuthenticationError> {
    let value = authorization.map(str::trim).filter(|value| !value.is_empty());
    let Some(value) = value else {
        return Err(AuthenticationError::MissingAuthorization);
    };
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("Bearer") {
        return Err(AuthenticationError::NotBearer { scheme: error::echo(scheme) });
    }
    let token = token.trim_start_matches(' ');
    if token.is_empty() {
        return Err(AuthenticationError::Malformed { reason: "the Authorization header has no token after Bearer" });
    }
    Ok(token)
}
