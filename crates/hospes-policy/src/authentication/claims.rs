//! From the verified claims of a token to a [`Principal`].
//!
//! The claims are read from a JSON object one by one rather than through a derived struct, so that a
//! missing or mistyped claim is reported by name. Only claims whose signature has been verified reach
//! this module.

use std::collections::BTreeSet;

use hospes_model::PersonId;
use serde_json::{Map, Value};

use super::error::{AuthenticationError, echo};
use super::verifier::TokenVerifierConfig;
use crate::authorisation::{Principal, Role};

type Claims = Map<String, Value>;

/// Checks the registered claims (`iss`, `aud`, `exp`, `nbf`, `iat`, `sub`) against the configuration
/// and the time `now` (Unix seconds), then builds the principal from the Hospes claims.
pub(crate) fn principal_from_claims(
    claims: &Claims,
    config: &TokenVerifierConfig,
    now: u64,
) -> Result<Principal, AuthenticationError> {
    let issuer = required_string(claims, "iss")?;
    if !config.issuers.iter().any(|trusted| trusted == issuer) {
        return Err(AuthenticationError::WrongIssuer { issuer: echo(issuer) });
    }
    check_audience(claims, &config.audience)?;
    check_times(claims, config.leeway_seconds, now)?;
    check_token_type(claims)?;
    let subject = required_string(claims, "sub")?;

    let roles = roles(claims, &config.audience)?;
    let person_id = match get(claims, "person_id") {
        None => None,
        Some(Value::String(value)) => Some(PersonId::parse(value).map_err(|_| invalid("person_id", "must be a UUID"))?),
        Some(_) => return Err(invalid("person_id", "must be a UUID string")),
    };
    let is_person = roles.contains(&Role::Person);
    if is_person && person_id.is_none() {
        return Err(AuthenticationError::MissingClaim { claim: "person_id" });
    }
    if !is_person && person_id.is_some() {
        return Err(invalid("person_id", "only a token with the person role may carry a person_id"));
    }
    // A person acts for nobody but themself: without an `org`, the issuer that vouched for them stands
    // in the audit log where an officer's organisation would.
    let organisation = match (optional_string(claims, "org")?, is_person) {
        (Some(organisation), _) => organisation,
        (None, true) => issuer,
        (None, false) => return Err(AuthenticationError::MissingClaim { claim: "org" }),
    };
    let region = optional_string(claims, "region")?;

    Ok(Principal {
        subject: subject.to_owned(),
        organisation: organisation.to_owned(),
        roles,
        region: region.map(str::to_owned),
        person_id,
    })
}

/// `aud` is a string or an array of strings (RFC 7519 §4.1.3); one of them must be ours.
fn check_audience(claims: &Claims, audience: &str) -> Result<(), AuthenticationError> {
    let matches = match get(claims, "aud") {
        None => return Err(AuthenticationError::MissingClaim { claim: "aud" }),
        Some(Value::String(value)) => value == audience,
        Some(Value::Array(values)) => {
            let mut matches = false;
            for value in values {
                match value {
                    Value::String(value) => matches |= value == audience,
                    _ => return Err(invalid("aud", "must be a string or an array of strings")),
                }
            }
            matches
        }
        Some(_) => return Err(invalid("aud", "must be a string or an array of strings")),
    };
    if matches { Ok(()) } else { Err(AuthenticationError::WrongAudience) }
}

/// `exp` is required (a token without one would be valid for ever), `iat` too (OIDC requires it, and
/// a token issued in the future betrays a wrong clock or a forgery); `nbf` is checked when present.
/// The leeway absorbs clock skew between the issuer and Hospes.
fn check_times(claims: &Claims, leeway: u64, now: u64) -> Result<(), AuthenticationError> {
    let expires_at = required_numeric_date(claims, "exp")?;
    if now >= expires_at.saturating_add(leeway) {
        return Err(AuthenticationError::Expired { expired_at: expires_at });
    }
    if let Some(value) = get(claims, "nbf") {
        let not_before = numeric_date(value, "nbf")?;
        if not_before > now.saturating_add(leeway) {
            return Err(AuthenticationError::NotYetValid { not_before });
        }
    }
    let issued_at = required_numeric_date(claims, "iat")?;
    if issued_at > now.saturating_add(leeway) {
        return Err(invalid("iat", "the token was issued in the future: check the issuer's clock"));
    }
    Ok(())
}

/// Keycloak marks the kind of token in a `typ` claim: an ID token (`ID`) or a refresh token is not a
/// credential for an API, even when its signature and audience fit. Tokens without the claim (most
/// other issuers) pass.
fn check_token_type(claims: &Claims) -> Result<(), AuthenticationError> {
    match optional_string(claims, "typ")? {
        None => Ok(()),
        Some(kind) if kind.eq_ignore_ascii_case("Bearer") => Ok(()),
        Some(kind) => {
            Err(invalid("typ", &format!("'{}' is not an access token: send an access token (typ Bearer)", echo(kind))))
        }
    }
}

/// The Hospes roles of the token, from `roles` (an array of role ids), Keycloak's realm roles
/// (`realm_access.roles`) and Keycloak's client roles for our audience (`resource_access.{audience}.
/// roles`). Names that are not Hospes roles are ignored, since an identity provider adds its own
/// (`offline_access`, `default-roles-…`); a token left with no Hospes role is refused.
fn roles(claims: &Claims, audience: &str) -> Result<BTreeSet<Role>, AuthenticationError> {
    let mut names: Vec<&str> = Vec::new();
    let mut found = false;
    if let Some(value) = get(claims, "roles") {
        found = true;
        names.extend(role_names(value, "roles")?);
    }
    if let Some(value) = get(claims, "realm_access").and_then(|access| access.get("roles")) {
        found = true;
        names.extend(role_names(value, "realm_access.roles")?);
    }
    if let Some(value) =
        get(claims, "resource_access").and_then(|access| access.get(audience)).and_then(|client| client.get("roles"))
    {
        found = true;
        names.extend(role_names(value, "resource_access.roles")?);
    }
    if !found {
        return Err(AuthenticationError::MissingClaim { claim: "roles" });
    }

    let roles: BTreeSet<Role> = names.into_iter().filter_map(|name| Role::parse(name).ok()).collect();
    if roles.is_empty() {
        let known = Role::ALL.iter().filter(|role| **role != Role::AgencyFeed).map(|role| role.as_str());
        return Err(invalid(
            "roles",
            &format!("holds no Hospes role: expected one of {}", known.collect::<Vec<_>>().join(", ")),
        ));
    }
    if roles.contains(&Role::AgencyFeed) {
        return Err(invalid(
            "roles",
            "agency_feed is not accepted in a bearer token: agency systems authenticate with their API key",
        ));
    }
    if roles.contains(&Role::Person) && roles.len() > 1 {
        return Err(invalid(
            "roles",
            "the person role cannot be combined with another role: a person's token speaks only for themself",
        ));
    }
    Ok(roles)
}

fn role_names<'a>(value: &'a Value, claim: &'static str) -> Result<Vec<&'a str>, AuthenticationError> {
    let not_names = || invalid(claim, "must be an array of role names");
    value.as_array().ok_or_else(not_names)?.iter().map(|name| name.as_str().ok_or_else(not_names)).collect()
}

/// A claim, with `null` taken as absent (some issuers write unset attributes as null).
fn get<'a>(claims: &'a Claims, name: &str) -> Option<&'a Value> {
    claims.get(name).filter(|value| !value.is_null())
}

fn optional_string<'a>(claims: &'a Claims, claim: &'static str) -> Result<Option<&'a str>, AuthenticationError> {
    match get(claims, claim) {
        None => Ok(None),
        Some(Value::String(value)) if !value.trim().is_empty() => Ok(Some(value)),
        Some(Value::String(_)) => Err(invalid(claim, "must not be empty")),
        Some(_) => Err(invalid(claim, "must be a string")),
    }
}

fn required_string<'a>(claims: &'a Claims, claim: &'static str) -> Result<&'a str, AuthenticationError> {
    optional_string(claims, claim)?.ok_or(AuthenticationError::MissingClaim { claim })
}

fn required_numeric_date(claims: &Claims, claim: &'static str) -> Result<u64, AuthenticationError> {
    numeric_date(get(claims, claim).ok_or(AuthenticationError::MissingClaim { claim })?, claim)
}

/// A NumericDate (RFC 7519 §2): seconds since 1970, possibly with a fraction, which is dropped.
fn numeric_date(value: &Value, claim: &'static str) -> Result<u64, AuthenticationError> {
    let seconds = value.as_number().and_then(|number| {
        number.as_u64().or_else(|| number.as_f64().filter(|seconds| (0.0..1.0e19).contains(seconds)).map(|s| s as u64))
    });
    seconds.ok_or_else(|| invalid(claim, "must be a non-negative number of seconds since 1970 (a NumericDate)"))
}

fn invalid(claim: &'static str, reason: &str) -> AuthenticationError {
    AuthenticationError::InvalidClaim { claim, reason: reason.to_owned() }
}
