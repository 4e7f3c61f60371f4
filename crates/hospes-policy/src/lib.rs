//! Policy: who is calling, and what they may do.
//!
//! Authentication of agencies by API key and of people (officers, third parties, the foreign national)
//! by bearer token. Every read of person data will pass through this crate too (authorisation by role
//! and declared purpose, and the audit event), so that no person data leaves the server except through
//! it.

pub mod agency_keys;
pub mod authentication;
pub mod authorisation;
#[cfg(feature = "test-issuer")]
pub mod test_issuer;

pub use agency_keys::{AgencyAuthError, IssuedKey, authenticate_agency, issue_agency_key};
pub use authentication::{
    AuthenticationError, KeySetError, SigningAlgorithm, TokenVerifier, TokenVerifierConfig, TrustedKeys, bearer_token,
};
pub use authorisation::{
    Action, AuthorisationError, Authoriser, CategoryDecision, PURPOSE_HEADER, PolicyLoadError, PolicyProblem,
    Principal, Purpose, PurposeError, Role, UnknownRoleError,
};
