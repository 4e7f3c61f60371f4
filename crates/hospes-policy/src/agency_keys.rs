//! Agency API keys.
//!
//! A key reads `hsk_<key id>_<secret>`: the key id (12 hex digits) finds the stored row, the secret
//! (32 random bytes, base64url) proves possession. Only SHA-256 of the secret is stored: the secret has
//! 256 bits of entropy, so a slow password hash would add nothing but latency. Comparison is in
//! constant time. A key is shown once, when it is issued.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hospes_model::{Agency, AgencyRegistry, Sha256Digest};
use hospes_store::{AgencyKey, Store, StoreError};
use rand::RngCore;
use subtle::ConstantTimeEq;

const KEY_PREFIX: &str = "hsk_";
const KEY_ID_LENGTH: usize = 12;
const SECRET_BYTES: usize = 32;

/// Why an agency was not authenticated. The messages are safe to show the caller: none says whether a
/// key id exists.
#[derive(Debug, thiserror::Error)]
pub enum AgencyAuthError {
    #[error("no API key was presented: send `Authorization: Bearer hsk_…`")]
    Missing,
    #[error("the API key is malformed: expected hsk_<12 hex digits>_<secret>")]
    Malformed,
    #[error("the API key is not valid")]
    Invalid,
    #[error("the API key was revoked")]
    Revoked,
    #[error("the API key belongs to another agency than '{0}'")]
    WrongAgency(String),
    #[error("agency '{0}' is not configured")]
    UnknownAgency(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A freshly issued key: the plaintext is shown once and never stored.
#[derive(Debug, Clone)]
pub struct IssuedKey {
    pub plaintext: String,
    pub stored: AgencyKey,
}

/// Issues a new key for `agency_id`, stores its hash, and returns the plaintext once.
pub async fn issue_agency_key(
    store: &dyn Store,
    registry: &AgencyRegistry,
    agency_id: &str,
    label: &str,
) -> Result<IssuedKey, AgencyAuthError> {
    let agency = registry.get(agency_id).ok_or_else(|| AgencyAuthError::UnknownAgency(agency_id.to_owned()))?;
    let mut random = rand::rng();
    let mut key_id_bytes = [0u8; KEY_ID_LENGTH / 2];
    random.fill_bytes(&mut key_id_bytes);
    let mut secret = [0u8; SECRET_BYTES];
    random.fill_bytes(&mut secret);
    let key_id = hex_lower(&key_id_bytes);
    let secret_text = URL_SAFE_NO_PAD.encode(secret);
    let stored = AgencyKey {
        key_id: key_id.clone(),
        agency: agency.id.clone(),
        secret_sha256: Sha256Digest::of(&[secret_text.as_bytes()]),
        label: label.to_owned(),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        revoked_at: None,
    };
    store.insert_agency_key(&stored).await?;
    Ok(IssuedKey { plaintext: format!("{KEY_PREFIX}{key_id}_{secret_text}"), stored })
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Splits a presented key into its id and secret.
fn parse_key(presented: &str) -> Result<(&str, &str), AgencyAuthError> {
    let rest = presented.strip_prefix(KEY_PREFIX).ok_or(AgencyAuthError::Malformed)?;
    let (key_id, secret) = rest.split_once('_').ok_or(AgencyAuthError::Malformed)?;
    let well_formed = key_id.len() == KEY_ID_LENGTH
        && key_id.bytes().all(|byte| byte.is_ascii_hexdigit())
        && !secret.is_empty()
        && secret.len() <= 64;
    if !well_formed {
        return Err(AgencyAuthError::Malformed);
    }
    Ok((key_id, secret))
}

/// Authenticates `presented` as a key of the agency named in the request (`claimed_agency`).
pub async fn authenticate_agency<'registry>(
    store: &dyn Store,
    registry: &'registry AgencyRegistry,
    claimed_agency: &str,
    presented: Option<&str>,
) -> Result<&'registry Agency, AgencyAuthError> {
    let agency =
        registry.get(claimed_agency).ok_or_else(|| AgencyAuthError::UnknownAgency(claimed_agency.to_owned()))?;
    let presented = presented.ok_or(AgencyAuthError::Missing)?;
    let (key_id, secret) = parse_key(presented)?;
    let stored = store.agency_key(key_id).await?.ok_or(AgencyAuthError::Invalid)?;
    let presented_hash = Sha256Digest::of(&[secret.as_bytes()]);
    if !bool::from(presented_hash.as_bytes().ct_eq(stored.secret_sha256.as_bytes())) {
        return Err(AgencyAuthError::Invalid);
    }
    if stored.revoked_at.is_some() {
        return Err(AgencyAuthError::Revoked);
    }
    if stored.agency != agency.id {
        return Err(AgencyAuthError::WrongAgency(claimed_agency.to_owned()));
    }
    Ok(agency)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_parsed_strictly() {
        assert!(parse_key("hsk_0123456789ab_c2VjcmV0").is_ok());
        for bad in
            ["", "hsk_", "hsk_0123456789ab", "hsk_0123456789a_x", "hsk_0123456789ag_x", "Bearer x", "hsk_0123456789ab_"]
        {
            assert!(matches!(parse_key(bad), Err(AgencyAuthError::Malformed)), "{bad}");
        }
    }
}
