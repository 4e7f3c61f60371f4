//! Policy: who is calling, and what they may do.
//!
//! For now this is the authentication of agencies by API key. Every read of person data will pass
//! through this crate too (authorisation by role and declared purpose, and the audit event), so that no
//! person data leaves the server except through it.

pub mod agency_keys;
pub mod authorisation;

pub use agency_keys::{AgencyAuthError, IssuedKey, authenticate_agency, issue_agency_key};
pub use authorisation::{
    Action, AuthorisationError, Authoriser, CategoryDecision, PURPOSE_HEADER, PolicyLoadError, PolicyProblem,
    Principal, Purpose, PurposeError, Role, UnknownRoleError,
};
