//! Issuing credentials: one signed CWT per purpose, short-lived.

use chrono::{DateTime, TimeDelta, Utc};
use ciborium::Value;
use coset::cwt::{ClaimsSetBuilder, Timestamp};
use rand::RngCore as _;
use serde::Serialize;

use crate::claims::{ClaimError, HolderClaims, Presentation, Purpose, check_text};
use crate::cose::sign_cwt;
use crate::encoding::{HOSPES_PREFIX, encode_text};
use crate::keys::{KeyId, SigningKey};
use crate::trust::TrustedKey;
use crate::wire::{PRESENTATION_CLAIM, PURPOSE_CLAIM, encode_presentation};

/// How long a credential is valid by default. Short, so that a status change reaches verifiers
/// within three days even when they never go online to fetch the revocation list.
pub const DEFAULT_LIFETIME: TimeDelta = TimeDelta::hours(72);

/// The length of a credential id (the CWT `cti`): 128 random bits, never reused.
const CREDENTIAL_ID_LENGTH: usize = 16;

/// An issuer: a signing key, its key id and the issuer's name (the CWT `iss`).
#[derive(Debug, Clone)]
pub struct Issuer {
    signing_key: SigningKey,
    key_id: KeyId,
    name: String,
    lifetime: TimeDelta,
}

/// A credential as issued: the text to put in a QR code, and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Credential {
    /// `HSP1:` followed by base45(zlib(COSE_Sign1)).
    pub text: String,
    /// The credential id (the CWT `cti`), unpadded base64url: what a revocation names.
    pub credential_id: String,
    /// The purpose it was made for.
    pub purpose: Purpose,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

/// Why a credential could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// A claim value that is not acceptable.
    #[error(transparent)]
    Claim(#[from] ClaimError),
    /// Encoding failed (CBOR, COSE or compression).
    #[error("encoding the credential failed: {0}")]
    Encoding(String),
}

impl Issuer {
    /// An issuer that signs with `signing_key` under `key_id`, as `name`, for [`DEFAULT_LIFETIME`].
    pub fn new(signing_key: SigningKey, key_id: KeyId, name: impl Into<String>) -> Self {
        Issuer { signing_key, key_id, name: name.into(), lifetime: DEFAULT_LIFETIME }
    }

    /// The same issuer with another credential lifetime.
    pub fn with_lifetime(mut self, lifetime: TimeDelta) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// The key id credentials will name.
    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// The trust-list entry for this issuer's key, with its signing period, for publication.
    pub fn trusted_key(&self, not_before: Option<DateTime<Utc>>, not_after: Option<DateTime<Utc>>) -> TrustedKey {
        TrustedKey { key_id: self.key_id.clone(), public_key: self.signing_key.public_key(), not_before, not_after }
    }

    /// Issues the presentation of `claims` for `purpose`, issued at `issued_at`.
    pub fn issue(
        &self,
        claims: &HolderClaims,
        purpose: Purpose,
        issued_at: DateTime<Utc>,
    ) -> Result<Credential, IssueError> {
        check_claims(claims)?;
        let mut credential_id = [0u8; CREDENTIAL_ID_LENGTH];
        rand::rng().fill_bytes(&mut credential_id);
        self.issue_with_id(&claims.present(purpose), &credential_id, claims.subject.clone(), issued_at)
    }

    fn issue_with_id(
        &self,
        presentation: &Presentation,
        credential_id: &[u8],
        subject: String,
        issued_at: DateTime<Utc>,
    ) -> Result<Credential, IssueError> {
        // CWT times are whole seconds; the credential says what it contains.
        let issued_at = DateTime::from_timestamp(issued_at.timestamp(), 0).unwrap_or(issued_at);
        let expires_at = issued_at + self.lifetime;
        let purpose = presentation.purpose();
        let claims = ClaimsSetBuilder::new()
            .issuer(self.name.clone())
            .subject(subject)
            .issued_at(Timestamp::WholeSeconds(issued_at.timestamp()))
            .expiration_time(Timestamp::WholeSeconds(expires_at.timestamp()))
            .cwt_id(credential_id.to_vec())
            .private_claim(PURPOSE_CLAIM, Value::Text(purpose.as_str().to_owned()))
            .private_claim(PRESENTATION_CLAIM, encode_presentation(presentation).map_err(IssueError::Encoding)?)
            .build();
        let cose = sign_cwt(&self.signing_key, &self.key_id, claims)
            .map_err(|error| IssueError::Encoding(error.to_string()))?;
        let text = encode_text(HOSPES_PREFIX, &cose).map_err(|error| IssueError::Encoding(error.to_string()))?;
        Ok(Credential { text, credential_id: KeyId::new(credential_id).to_string(), purpose, issued_at, expires_at })
    }
}

fn check_claims(claims: &HolderClaims) -> Result<(), ClaimError> {
    check_text(&claims.subject, ClaimError::Subject)?;
    if let Some(reference) = &claims.photo_reference {
        check_text(reference, ClaimError::Text { field: "photo_reference" })?;
    }
    if let Some(region) = &claims.work.region {
        check_text(region, ClaimError::Text { field: "region" })?;
    }
    Ok(())
}
