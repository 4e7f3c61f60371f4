//! Why a verifier refused a credential: one variant per reason, so that a verifier's screen, the
//! CLI and the API can say exactly what is wrong, and tests can assert it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::claims::Purpose;
use crate::keys::KeyId;

/// The reason a credential was refused. Serialised with a stable snake_case `code`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Refusal {
    /// The image holds no QR code that could be read.
    #[error("no readable QR code in the image: {detail}")]
    UnreadableImage {
        /// What the QR reader said.
        detail: String,
    },
    /// The text does not start with the expected prefix (`HSP1:` for Hospes).
    #[error("the text does not start with {expected:?}")]
    BadPrefix {
        /// The prefix this verifier reads.
        expected: String,
    },
    /// The text after the prefix is not base45 (RFC 9285).
    #[error("not valid base45: {detail}")]
    BadBase45 {
        /// What is wrong.
        detail: String,
    },
    /// The base45 content is not a zlib stream (or inflates to more than the size limit).
    #[error("not valid zlib data: {detail}")]
    BadZlib {
        /// What is wrong.
        detail: String,
    },
    /// The inflated bytes are not a COSE_Sign1 carrying a CWT with the claims required.
    #[error("not a well-formed COSE_Sign1 CWT: {detail}")]
    BadCbor {
        /// What is wrong.
        detail: String,
    },
    /// No trusted key has the credential's key id (or it names none).
    #[error("no trusted key has key id {key_id:?}")]
    UnknownKey {
        /// The key id the credential names, base64url; empty when it names none.
        key_id: String,
    },
    /// The signature does not verify with the trusted key of that key id.
    #[error("the signature does not verify: {detail}")]
    BadSignature {
        /// What is wrong (a malformed signature, another algorithm than the key's, a mismatch).
        detail: String,
    },
    /// The key was not in its signing period when the credential says it was issued: a key that
    /// was retired signs nothing new, though what it signed before stays valid.
    #[error("key {key_id} was not valid for signing at {issued_at}")]
    KeyNotValidAtIssuance {
        /// The key.
        key_id: KeyId,
        /// When the credential says it was issued.
        issued_at: DateTime<Utc>,
    },
    /// The credential has expired.
    #[error("expired at {expired_at}")]
    Expired {
        /// When it expired.
        expired_at: DateTime<Utc>,
    },
    /// The credential is not valid yet (issued in the future by the verifier's clock).
    #[error("not valid before {valid_from}")]
    NotYetValid {
        /// When it becomes valid.
        valid_from: DateTime<Utc>,
    },
    /// The revocation list names the credential or revokes its subject's credentials.
    #[error("revoked at {revoked_at}")]
    Revoked {
        /// When it was revoked.
        revoked_at: DateTime<Utc>,
    },
    /// The credential was made for another purpose than the one this verifier checks.
    #[error("this credential is for {found}, and this verifier checks {expected} credentials only")]
    WrongPurpose {
        /// The verifier's purpose.
        expected: Purpose,
        /// The credential's purpose.
        found: Purpose,
    },
}

impl Refusal {
    /// The stable machine-readable code (the same as the serialised `code`).
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::UnreadableImage { .. } => "unreadable_image",
            Refusal::BadPrefix { .. } => "bad_prefix",
            Refusal::BadBase45 { .. } => "bad_base45",
            Refusal::BadZlib { .. } => "bad_zlib",
            Refusal::BadCbor { .. } => "bad_cbor",
            Refusal::UnknownKey { .. } => "unknown_key",
            Refusal::BadSignature { .. } => "bad_signature",
            Refusal::KeyNotValidAtIssuance { .. } => "key_not_valid_at_issuance",
            Refusal::Expired { .. } => "expired",
            Refusal::NotYetValid { .. } => "not_yet_valid",
            Refusal::Revoked { .. } => "revoked",
            Refusal::WrongPurpose { .. } => "wrong_purpose",
        }
    }

    pub(crate) fn bad_cbor(detail: impl ToString) -> Self {
        Refusal::BadCbor { detail: detail.to_string() }
    }
}
