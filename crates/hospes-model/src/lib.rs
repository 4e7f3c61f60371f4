//! The Hospes record model.
//!
//! Everything Hospes stores is a [`Record`]: an [`RecordEnvelope`] (provenance: agency, the agency's own
//! id and version, category, kind, effective period, legal basis, receipt time, sensitivity, what it
//! supersedes) and a [`RecordBody`] (the [`Subject`] as the agency knows them, and the category's typed
//! [`Payload`]). Values are parsed into newtypes ([`CountryCode`], [`DocumentNumber`], [`Date`], …) at
//! the boundary, so holding one is proof that it is valid.
//!
//! This crate does no IO.

pub mod agency;
pub mod canonical;
pub mod category;
pub mod country;
pub mod ids;
pub mod parsed;
pub mod payload;
pub mod record;
pub mod subject;
pub mod validation;

pub use agency::{Agency, AgencyConfigError, AgencyRegistry};
pub use canonical::{CanonicalError, Sha256Digest, canonical_json};
pub use category::{Category, Sensitivity};
pub use ids::{AgencyId, PersonId, RecordId, SourceRecordId};
pub use parsed::{
    CountryCode, CurrencyCode, Date, DocumentNumber, EmailAddress, NamePart, OrganisationTaxpayerNumber, ParseError,
    PhoneNumber, RegionCode, ShortText, SocialInsuranceNumber, TaxpayerNumber, Timestamp,
};
pub use payload::{Payload, ValidationContext};
pub use record::{
    Record, RecordBody, RecordEnvelope, StoredBodyError, body_digest, canonical_header, chain_hash,
    record_from_canonical_body,
};
pub use subject::{DocumentKind, DocumentReference, PersonName, Sex, Subject};
pub use validation::{FieldError, FieldErrors};
