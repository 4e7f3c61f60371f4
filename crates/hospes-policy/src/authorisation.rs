//! Authorisation by role and declared purpose, decided by the Cedar policies in `policies/`.
//!
//! Every read of person data names a purpose (the `Hospes-Purpose` header); no purpose, no data. The
//! policies say, for each role, which purposes it may declare, which categories of records it may read
//! for each, and which other actions it may take. A principal holding several roles gets the union of
//! what its roles permit (a `forbid` policy still overrides any permit). Employers, banks, telecom
//! operators and landlords read no category at all: they may only run the yes/no check of their one
//! purpose.
//!
//! The policies are files, not code: [`Authoriser::default_policies`] uses the ones shipped with
//! Hospes, embedded at build time, and [`Authoriser::from_directory`] an operator's own. Both parse and
//! validate every file against the schema and refuse to start on any problem, naming file and line.
//!
//! Agency feeds write records; which categories an agency may write is decided by the agency registry
//! (`config/agencies.toml`) at ingest, not by these policies.

mod authoriser;
mod loading;
mod vocabulary;

pub use authoriser::{AuthorisationError, Authoriser, CategoryDecision};
pub use loading::{
    POLICY_FILE_EXTENSION, POLICY_ID_ANNOTATION, PolicyLoadError, PolicyProblem, PolicySource, PolicySources,
    SCHEMA_FILE_NAME,
};
pub use vocabulary::{Action, PURPOSE_HEADER, Principal, Purpose, PurposeError, Role, UnknownRoleError};
