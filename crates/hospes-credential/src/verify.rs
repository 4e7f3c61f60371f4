//! The verifier: from `HSP1:…` text or a QR image to verified claims, or one precise refusal.
//!
//! The checks run in this order, each with its own [`Refusal`]: prefix, base45, zlib, COSE/CWT
//! structure, key id, signature, the key's signing period, purpose, validity times, revocation,
//! and finally the purpose's claims. The clock is always passed in, so a verifier is a pure
//! function of its inputs and every refusal can be reproduced.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::claims::{Presentation, Purpose};
use crate::cose::{SignedCwt, claim};
use crate::encoding::HOSPES_PREFIX;
use crate::keys::KeyId;
use crate::qr::decode_qr_png;
use crate::refusal::Refusal;
use crate::revocation::RevocationList;
use crate::trust::TrustList;
use crate::wire::{PRESENTATION_CLAIM, PURPOSE_CLAIM, decode_presentation, decode_purpose};

/// A verifier configured with what it trusts and what it checks.
#[derive(Debug, Clone)]
pub struct Verifier {
    trust: TrustList,
    revocations: Option<RevocationList>,
    purpose: Option<Purpose>,
    leeway: TimeDelta,
}

/// A credential that passed every check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifiedCredential {
    /// Who issued it (the CWT `iss`).
    pub issuer: String,
    /// The key that signed it.
    pub key_id: KeyId,
    /// Its id (the CWT `cti`), unpadded base64url.
    pub credential_id: String,
    /// The pseudonymous subject (the CWT `sub`).
    pub subject: String,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
    /// The claims of its purpose, tagged with the purpose.
    pub claims: Presentation,
}

impl Verifier {
    /// A verifier that trusts the keys of `trust`, checks `revocations` when it has a copy (an
    /// offline verifier has none), and accepts only credentials made for `purpose` (or any
    /// purpose when `None`, as the holder's own app does).
    pub fn new(trust: TrustList, revocations: Option<RevocationList>, purpose: Option<Purpose>) -> Self {
        Verifier { trust, revocations, purpose, leeway: TimeDelta::zero() }
    }

    /// The same verifier, tolerating a clock off by up to `leeway` (none by default).
    pub fn with_leeway(mut self, leeway: TimeDelta) -> Self {
        self.leeway = leeway;
        self
    }

    /// Verifies the text of a credential at `now`.
    pub fn verify(&self, text: &str, now: DateTime<Utc>) -> Result<VerifiedCredential, Refusal> {
        let verified = SignedCwt::from_text(text, HOSPES_PREFIX)?.verify_signature(&self.trust)?;
        let claims = verified.claims();
        let purpose = claim(claims, PURPOSE_CLAIM)
            .ok_or_else(|| Refusal::bad_cbor("no purpose claim"))
            .and_then(|value| decode_purpose(value).map_err(Refusal::bad_cbor))?;
        if let Some(expected) = self.purpose
            && expected != purpose
        {
            return Err(Refusal::WrongPurpose { expected, found: purpose });
        }
        verified.check_time(now, self.leeway)?;
        let credential_id = claims.cwt_id.as_deref().ok_or_else(|| Refusal::bad_cbor("no cti claim"))?;
        let subject = claims.subject.as_deref().ok_or_else(|| Refusal::bad_cbor("no sub claim"))?;
        if let Some(revocations) = &self.revocations {
            revocations.check(credential_id, subject, verified.issued_at())?;
        }
        let presentation =
            claim(claims, PRESENTATION_CLAIM).ok_or_else(|| Refusal::bad_cbor("no presentation claim"))?;
        Ok(VerifiedCredential {
            issuer: claims.issuer.clone().ok_or_else(|| Refusal::bad_cbor("no iss claim"))?,
            key_id: verified.key_id().clone(),
            credential_id: KeyId::new(credential_id).to_string(),
            subject: subject.to_owned(),
            issued_at: verified.issued_at(),
            expires_at: verified.expires_at(),
            claims: decode_presentation(purpose, presentation).map_err(Refusal::bad_cbor)?,
        })
    }

    /// Reads the QR code in a PNG image and verifies its text at `now`.
    pub fn verify_png(&self, png: &[u8], now: DateTime<Utc>) -> Result<VerifiedCredential, Refusal> {
        let text = decode_qr_png(png).map_err(|error| Refusal::UnreadableImage { detail: error.to_string() })?;
        self.verify(&text, now)
    }
}
