//! The Hospes QR credential.
//!
//! A holder shows a QR code; a police officer, an employer or a landlord scans it and learns what
//! their purpose allows, offline, without asking the registry. The credential is a CBOR Web Token
//! (RFC 8392) signed as a COSE_Sign1 (RFC 9052) with Ed25519 (or ES256), zlib-compressed,
//! base45-encoded (RFC 9285) and prefixed `HSP1:`:
//!
//! ```text
//! HolderClaims ─present(purpose)─▶ Presentation ─Issuer::issue─▶ "HSP1:…" ─render_png/svg─▶ QR
//! QR ─decode_qr_png─▶ "HSP1:…" ─Verifier::verify(text, now)─▶ VerifiedCredential | Refusal
//! ```
//!
//! - **Purpose-bound.** Each purpose (`police`, `work`, `rent`) is a separately signed credential
//!   holding only that purpose's claims and a purpose claim; a verifier set up for one purpose
//!   refuses the others with [`Refusal::WrongPurpose`].
//! - **Short-lived.** 72 hours by default, so changes reach offline verifiers within three days;
//!   an online verifier also checks a [`RevocationList`].
//! - **Rotatable.** Keys are published in a JWKS [`TrustList`] with signing periods; a retired
//!   key's credentials stay valid until they expire.
//! - **Precise.** Every failure is one [`Refusal`] variant; the clock is always an argument.
//! - **Conformant.** The same pipeline reads the EU Digital COVID Certificate ([`dcc`]) and
//!   passes its public test vectors.
//!
//! Share codes ([`ShareCode`]) are the typed alternative to showing a QR code.
//!
//! No IO: fetching trust and revocation lists and storing share codes are for the caller.

mod claims;
pub mod cose;
pub mod dcc;
pub mod encoding;
mod issue;
mod keys;
mod qr;
mod refusal;
mod revocation;
mod share_code;
mod trust;
mod verify;
mod wire;

pub use claims::{
    BirthDate, ClaimError, HolderClaims, LatinName, PoliceClaims, Presentation, Purpose, RentClaims, RentPermission,
    StatusColour, TrustLevel, WorkClaims, WorkPermission,
};
pub use encoding::HOSPES_PREFIX;
pub use issue::{Credential, DEFAULT_LIFETIME, IssueError, Issuer};
pub use keys::{Algorithm, KeyId, PublicKey, SigningKey};
pub use qr::{QrError, decode_qr_png, render_png, render_svg};
pub use refusal::Refusal;
pub use revocation::{RevocationList, RevokedCredential, RevokedSubject};
pub use share_code::{ShareCode, ShareCodeError};
pub use trust::{TrustList, TrustListError, TrustedKey};
pub use verify::{VerifiedCredential, Verifier};
