//! The words of an authorisation request: roles, purposes, actions and the principal.
//!
//! Each is a closed list whose identifiers are the ones the policy files use, so that an unknown role
//! or purpose is refused when a request is parsed, long before the policies are consulted.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use hospes_model::PersonId;

/// The HTTP header in which every read of person data declares its purpose.
pub const PURPOSE_HEADER: &str = "Hospes-Purpose";

/// What a principal is, for the policies. A principal may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    BorderOfficer,
    PoliceOfficer,
    MigrationOfficer,
    HealthAuthority,
    TaxAuthority,
    Employer,
    Bank,
    TelecomOperator,
    Landlord,
    PartnerState,
    Auditor,
    /// The foreign national themself.
    Person,
    /// An agency's system that writes records and reads nothing.
    AgencyFeed,
}

impl Role {
    /// Every role, in the order of `system.md`.
    pub const ALL: [Role; 13] = [
        Role::BorderOfficer,
        Role::PoliceOfficer,
        Role::MigrationOfficer,
        Role::HealthAuthority,
        Role::TaxAuthority,
        Role::Employer,
        Role::Bank,
        Role::TelecomOperator,
        Role::Landlord,
        Role::PartnerState,
        Role::Auditor,
        Role::Person,
        Role::AgencyFeed,
    ];

    /// The identifier used in tokens, configuration and the policy files (`Role::"border_officer"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::BorderOfficer => "border_officer",
            Role::PoliceOfficer => "police_officer",
            Role::MigrationOfficer => "migration_officer",
            Role::HealthAuthority => "health_authority",
            Role::TaxAuthority => "tax_authority",
            Role::Employer => "employer",
            Role::Bank => "bank",
            Role::TelecomOperator => "telecom_operator",
            Role::Landlord => "landlord",
            Role::PartnerState => "partner_state",
            Role::Auditor => "auditor",
            Role::Person => "person",
            Role::AgencyFeed => "agency_feed",
        }
    }

    /// Parses a role identifier exactly as `as_str` writes it.
    pub fn parse(value: &str) -> Result<Role, UnknownRoleError> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == value)
            .ok_or_else(|| UnknownRoleError { given: value.to_owned() })
    }

    /// The position in `ALL`, used as a bit in a role set.
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Role {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownRoleError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Role::parse(value)
    }
}

/// A role identifier that Hospes does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{given}': expected one of {}", join(Role::ALL.iter().map(|role| role.as_str())))]
pub struct UnknownRoleError {
    pub given: String,
}

/// Why a request carries no usable purpose. Without one, no person data is read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurposeError {
    #[error("no purpose was declared: send the `{PURPOSE_HEADER}` header with one of {}", join(Purpose::ALL.iter().map(|purpose| purpose.as_str())))]
    Missing,
    #[error("unknown purpose '{given}': expected one of {}", join(Purpose::ALL.iter().map(|purpose| purpose.as_str())))]
    Unknown { given: String },
}

/// The declared reason for a request, from a closed list. The purpose decides which categories a role
/// sees, and is shown to the person in their access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Purpose {
    BorderCheck,
    IdentityCheck,
    CriminalInvestigation,
    MigrationCase,
    HealthControl,
    TaxAdministration,
    PartnerExchange,
    Audit,
    OwnData,
    /// Yes/no check: may this person work?
    RightToWork,
    /// Yes/no check: may this person open a bank account?
    BankAccount,
    /// Yes/no check: may this person get a phone number?
    PhoneNumber,
    /// Yes/no check: may this person rent a home?
    Rent,
}

impl Purpose {
    /// Every purpose.
    pub const ALL: [Purpose; 13] = [
        Purpose::BorderCheck,
        Purpose::IdentityCheck,
        Purpose::CriminalInvestigation,
        Purpose::MigrationCase,
        Purpose::HealthControl,
        Purpose::TaxAdministration,
        Purpose::PartnerExchange,
        Purpose::Audit,
        Purpose::OwnData,
        Purpose::RightToWork,
        Purpose::BankAccount,
        Purpose::PhoneNumber,
        Purpose::Rent,
    ];

    /// The identifier sent in the `Hospes-Purpose` header and used in the policy files.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::BorderCheck => "border-check",
            Purpose::IdentityCheck => "identity-check",
            Purpose::CriminalInvestigation => "criminal-investigation",
            Purpose::MigrationCase => "migration-case",
            Purpose::HealthControl => "health-control",
            Purpose::TaxAdministration => "tax-administration",
            Purpose::PartnerExchange => "partner-exchange",
            Purpose::Audit => "audit",
            Purpose::OwnData => "own-data",
            Purpose::RightToWork => "right-to-work",
            Purpose::BankAccount => "bank-account",
            Purpose::PhoneNumber => "phone-number",
            Purpose::Rent => "rent",
        }
    }

    /// Parses a purpose identifier exactly as `as_str` writes it.
    pub fn parse(value: &str) -> Result<Purpose, PurposeError> {
        Purpose::ALL
            .into_iter()
            .find(|purpose| purpose.as_str() == value)
            .ok_or_else(|| PurposeError::Unknown { given: value.to_owned() })
    }

    /// Parses the value of the `Hospes-Purpose` header; a missing or blank header is refused, because
    /// no purpose means no data.
    pub fn from_header_value(value: Option<&str>) -> Result<Purpose, PurposeError> {
        match value.map(str::trim) {
            None | Some("") => Err(PurposeError::Missing),
            Some(value) => Purpose::parse(value),
        }
    }

    /// A plain-language description for the person's access log: why someone looked.
    pub fn description(self) -> &'static str {
        match self {
            Purpose::BorderCheck => {
                "A border officer checked your identity and your right to enter or leave the country."
            }
            Purpose::IdentityCheck => {
                "A police officer checked your identity and whether you are lawfully in the country."
            }
            Purpose::CriminalInvestigation => "The police looked at your data for a criminal investigation.",
            Purpose::MigrationCase => {
                "A migration officer worked on your migration case (visa, permit, registration or status)."
            }
            Purpose::HealthControl => {
                "A health authority checked your mandatory medical examinations and medical insurance."
            }
            Purpose::TaxAdministration => "A tax authority looked at your taxes, patent payments and social insurance.",
            Purpose::PartnerExchange => {
                "Your identity, documents and any entry ban or wanted notice were shared with a partner state under an agreement."
            }
            Purpose::Audit => "An auditor or data-protection supervisor checked who accessed data and why.",
            Purpose::OwnData => "You looked at your own data.",
            Purpose::RightToWork => {
                "An employer checked whether you may work. They got only a yes or no answer and a validity date."
            }
            Purpose::BankAccount => {
                "A bank checked whether you may open an account. They got only a yes or no answer and a validity date."
            }
            Purpose::PhoneNumber => {
                "A telecom operator checked whether you may get a phone number. They got only a yes or no answer and a validity date."
            }
            Purpose::Rent => {
                "A landlord checked whether you may rent a home. They got only a yes or no answer and a validity date."
            }
        }
    }

    /// True for the purposes of a yes/no status check, which never return a profile.
    pub fn is_check(self) -> bool {
        matches!(self, Purpose::RightToWork | Purpose::BankAccount | Purpose::PhoneNumber | Purpose::Rent)
    }

    /// The position in `ALL`, used in cache keys.
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl FromStr for Purpose {
    type Err = PurposeError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Purpose::parse(value)
    }
}

/// What a principal may do beyond reading categories of records (which is
/// [`Authoriser::categories_for`](super::Authoriser::categories_for)).
///
/// Writing records (ingest) is not here: the agency registry decides which categories an agency feed
/// may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// A yes/no status check, for the one purpose a role exists for.
    RunCheck,
    /// The log of every access to person data.
    ReadAuditLog,
    /// The person's own list of who looked at their profile.
    ReadOwnAccessLog,
    /// The person contests one of their records.
    FileContest,
    /// An officer decides a contest.
    DecideContest,
    /// An officer confirms or rejects that records belong to the same person.
    ReviewIdentityLinks,
    /// Hashes, sequence numbers and provenance of the ledger, without payloads.
    ReadLedgerMetadata,
    /// A border officer records an entry, exit or refusal and gets the checkpoint decision support.
    RecordCrossing,
    /// A pre-arrival application is submitted, or read back.
    PreArrivalApplication,
    /// A list of lost and stolen documents is imported.
    ImportLostStolen,
}

impl Action {
    /// Every action other than reading a category.
    pub const ALL: [Action; 10] = [
        Action::RunCheck,
        Action::ReadAuditLog,
        Action::ReadOwnAccessLog,
        Action::FileContest,
        Action::DecideContest,
        Action::ReviewIdentityLinks,
        Action::ReadLedgerMetadata,
        Action::RecordCrossing,
        Action::PreArrivalApplication,
        Action::ImportLostStolen,
    ];

    /// The Cedar action id (`Action::"run_check"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::RunCheck => "run_check",
            Action::ReadAuditLog => "read_audit_log",
            Action::ReadOwnAccessLog => "read_own_access_log",
            Action::FileContest => "file_contest",
            Action::DecideContest => "decide_contest",
            Action::ReviewIdentityLinks => "review_identity_links",
            Action::ReadLedgerMetadata => "read_ledger_metadata",
            Action::RecordCrossing => "record_crossing",
            Action::PreArrivalApplication => "pre_arrival_application",
            Action::ImportLostStolen => "import_lost_stolen",
        }
    }

    /// The position in `ALL`, used as a bit in a decision.
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Action {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Who is asking. Only `roles` reaches the policies; the rest is for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The authenticated subject (an officer's id, an account, a partner state's system).
    pub subject: String,
    /// The organisation the subject acts for.
    pub organisation: String,
    pub roles: BTreeSet<Role>,
    /// Where an officer serves; recorded, not used by the policies.
    pub region: Option<String>,
    /// The person's own profile, for the `person` role; decides whether a request is about themself.
    pub person_id: Option<PersonId>,
}

impl Principal {
    /// True when `target` is the principal's own profile: the `target_is_self` of a decision.
    pub fn is_self(&self, target: PersonId) -> bool {
        self.person_id == Some(target)
    }
}

/// Joins identifiers with ", " for error messages.
pub(crate) fn join<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

/// Roles for an error message: "border_officer, police_officer", or "(none)".
pub(crate) fn role_list(roles: &[Role]) -> String {
    if roles.is_empty() { "(none)".to_owned() } else { join(roles.iter().map(|role| role.as_str())) }
}
