//! Storage for Hospes: the [`Store`] trait and its two implementations, SQLite (the embedded default,
//! one file under a data directory) and PostgreSQL.
//!
//! What is stored:
//! - the **ledger**: every record, append-only and hash-chained (`hash = SHA-256(previous ‖ header)`);
//! - **agency API keys**, hashed;
//! - the **derived tables** of resolution (persons, which records belong to whom, identity keys, and how
//!   far resolution has read the ledger), which can be rebuilt from the ledger alone.
//!
//! Only this crate knows SQL. Both backends pass the same conformance suite (`tests/conformance.rs`).

pub mod audit;
pub mod baseline;
pub mod border;
pub mod links;
mod postgres;
mod queries;
pub mod retention;
mod rows;
pub mod scratch;
mod sqlite;
pub mod system;
pub mod verify;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use hospes_model::{AgencyId, Category, PersonId, RecordEnvelope, RecordId, Sha256Digest};
use hospes_vault::{RecordVault, VaultError, WrappedKey};

pub use audit::{AuditStore, open_audit_store};
pub use postgres::PostgresStore;
pub use rows::LedgerRow;
pub use sqlite::SqliteStore;
pub use verify::{LedgerVerification, verify_ledger};

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("cannot use the data directory {path}: {source}")]
    DataDirectory { path: PathBuf, source: std::io::Error },
    #[error("'{0}' is not a database URL Hospes can use: expected postgres://… (or a --data-dir for SQLite)")]
    UnsupportedUrl(String),
    #[error("ledger row {seq} is unreadable: {reason}")]
    CorruptRow { seq: i64, reason: String },
    #[error("the ledger moved on while this batch was prepared (expected head {expected}, found {found})")]
    ChainMoved { expected: i64, found: i64 },
    #[error(
        "ledger record {seq} is encrypted and this store was opened without a master key \
         (give --master-key FILE or set HOSPES_MASTER_KEY)"
    )]
    NoMasterKey { seq: i64 },
    #[error("ledger record {seq} cannot be decrypted: {source}")]
    Unseal { seq: i64, source: VaultError },
    #[error("cannot encrypt ledger record {seq}: {source}")]
    Seal { seq: i64, source: VaultError },
}

impl StoreError {
    /// Whether the database could not be reached (as opposed to refusing or failing a statement):
    /// a caller may answer "try again later".
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Database(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)))
    }
}

/// Where the store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// SQLite, in `DIR/hospes.db`.
    Sqlite { data_dir: PathBuf },
    /// PostgreSQL at a `postgres://` URL.
    Postgres { url: String },
}

impl StoreLocation {
    /// The default data directory of the embedded store.
    pub const DEFAULT_DATA_DIR: &'static str = "hospes-data";

    /// Chooses the backend from the command-line options: a database URL wins over a data directory.
    pub fn from_options(data_dir: Option<PathBuf>, database_url: Option<String>) -> Result<Self, StoreError> {
        match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Self::Postgres { url })
            }
            Some(url) => match url.strip_prefix("sqlite://") {
                Some(path) => Ok(Self::Sqlite { data_dir: PathBuf::from(path) }),
                None => Err(StoreError::UnsupportedUrl(url)),
            },
            None => Ok(Self::Sqlite { data_dir: data_dir.unwrap_or_else(|| PathBuf::from(Self::DEFAULT_DATA_DIR)) }),
        }
    }

    /// A description for logs and summaries that never includes a password.
    pub fn describe(&self) -> String {
        match self {
            Self::Sqlite { data_dir } => format!("SQLite at {}", data_dir.join(sqlite::DATABASE_FILE_NAME).display()),
            Self::Postgres { url } => format!("PostgreSQL at {}", redact_password(url)),
        }
    }
}

fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Opens (creating and migrating if needed) the store at `location`, without a master key: records
/// of the special categories can be neither appended nor read through it (verification, agency keys
/// and everything else work).
pub async fn open_store(location: &StoreLocation) -> Result<Arc<dyn Store>, StoreError> {
    open_store_with_vault(location, None).await
}

/// Opens the store at `location` with the vault that seals special-category records at append and
/// opens them at read.
pub async fn open_store_with_vault(
    location: &StoreLocation,
    vault: Option<Arc<RecordVault>>,
) -> Result<Arc<dyn Store>, StoreError> {
    Ok(match location {
        StoreLocation::Sqlite { data_dir } => Arc::new(SqliteStore::open(data_dir).await?.with_vault(vault)),
        StoreLocation::Postgres { url } => Arc::new(PostgresStore::connect(url).await?.with_vault(vault)),
    })
}

/// The last link of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainHead {
    /// The sequence number of the last record, 0 for an empty ledger.
    pub seq: i64,
    /// Its hash, or [`Sha256Digest::ZERO`] for an empty ledger.
    pub hash: Sha256Digest,
}

impl ChainHead {
    pub const GENESIS: ChainHead = ChainHead { seq: 0, hash: Sha256Digest::ZERO };
}

/// A record ready to be appended: every hash already computed against the current head.
#[derive(Debug, Clone)]
pub struct LedgerEntry {
    pub seq: i64,
    pub envelope: RecordEnvelope,
    /// Canonical JSON of the record's subject and payload.
    pub body: Vec<u8>,
    pub body_salt: [u8; 16],
    pub body_digest: Sha256Digest,
    pub submission_digest: Sha256Digest,
    pub previous_hash: Sha256Digest,
    pub hash: Sha256Digest,
    /// For a sealed record (special categories), its data key wrapped by the master key; `body` is
    /// then the ciphertext, and `body_digest` covers the ciphertext, so the ledger verifies without
    /// any key.
    pub wrapped_key: Option<WrappedKey>,
}

/// What the store already holds under a record id (for idempotency).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExistingRecord {
    pub seq: i64,
    /// `None` once the body was destroyed by retention.
    pub submission_digest: Option<Sha256Digest>,
}

/// A record as read back from the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub seq: i64,
    pub envelope: RecordEnvelope,
    /// Canonical JSON of `{"payload": …, "subject": …}` (opened, if it was stored sealed); `None`
    /// once destroyed by retention.
    pub body: Option<Vec<u8>>,
    pub body_digest: Sha256Digest,
    pub hash: Sha256Digest,
    /// Whether the body is stored encrypted.
    pub sealed: bool,
    /// When and why retention destroyed the body, if it did.
    pub destruction: Option<RecordDestruction>,
}

/// What retention destroyed of a record: its body (and, for a sealed record, its key).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordDestruction {
    pub seq: i64,
    /// When the record's retention period ended (RFC 3339).
    pub expired_at: String,
    /// When the body was destroyed (RFC 3339).
    pub destroyed_at: String,
    /// The retention rule, in words.
    pub rule: String,
}

/// A ledger record whose body is still held, as retention examines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldRecord {
    pub seq: i64,
    pub envelope: RecordEnvelope,
    pub sealed: bool,
}

impl StoredRecord {
    /// The body as JSON (`{"payload": …, "subject": …}`), if it is still held.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        self.body.as_deref().and_then(|bytes| serde_json::from_slice(bytes).ok())
    }
}

/// A person that resolution created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewPerson {
    pub person_id: PersonId,
    pub created_seq: i64,
}

/// A record assigned to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordAssignment {
    pub person_id: PersonId,
    pub seq: i64,
    pub record_id: RecordId,
}

/// A stored agency API key (the secret itself is never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyKey {
    pub key_id: String,
    pub agency: AgencyId,
    pub secret_sha256: Sha256Digest,
    pub label: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// A share code as stored: its hash, never the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareCodeRow {
    pub code_sha256: Sha256Digest,
    /// The code's name in its holder's list (a UUID), for revoking it.
    pub id: String,
    pub person_id: PersonId,
    /// The check it is for (`right-to-work`, `bank-account`, `phone-number`, `rent`).
    pub purpose: String,
    /// RFC 3339 instants.
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
}

/// Counts for summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreCounts {
    pub records: i64,
    pub persons: i64,
    pub resolved_seq: i64,
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One write transaction. Only one is open at a time per store (appends are serialised: the chain
/// has one head). Dropping it without [`WriteTransaction::commit`] rolls everything back.
#[async_trait]
pub trait WriteTransaction: Send {
    /// The current head of the chain.
    async fn chain_head(&mut self) -> Result<ChainHead, StoreError>;

    /// Which of `record_ids` the ledger already holds.
    async fn existing_records(
        &mut self,
        record_ids: &[RecordId],
    ) -> Result<HashMap<RecordId, ExistingRecord>, StoreError>;

    /// Appends entries whose sequence numbers continue the chain head.
    async fn append(&mut self, entries: &[LedgerEntry]) -> Result<(), StoreError>;

    /// How far resolution has read the ledger.
    async fn resolved_seq(&mut self) -> Result<i64, StoreError>;

    /// Ledger records after `after_seq`, in chain order, at most `limit`.
    async fn records_after(&mut self, after_seq: i64, limit: i64) -> Result<Vec<StoredRecord>, StoreError>;

    /// The persons each identity key points to.
    async fn persons_for_keys(&mut self, keys: &[String]) -> Result<HashMap<String, Vec<PersonId>>, StoreError>;

    /// The person each record is assigned to.
    async fn persons_for_records(&mut self, record_ids: &[RecordId])
    -> Result<HashMap<RecordId, PersonId>, StoreError>;

    async fn insert_persons(&mut self, persons: &[NewPerson]) -> Result<(), StoreError>;

    /// Records identity links (a link already stored is left as it is).
    async fn insert_identity_links(&mut self, links: &[links::IdentityLink]) -> Result<(), StoreError>;

    /// Caches an officer's decision on an open link; `false` if it was not open.
    async fn decide_identity_link(
        &mut self,
        link_id: uuid::Uuid,
        outcome: links::LinkOutcome,
        decision_id: uuid::Uuid,
    ) -> Result<bool, StoreError>;

    /// Moves every record and identity key of `vanishing` to `survivor`, removes `vanishing`, and
    /// leaves a redirect from it.
    async fn merge_persons(
        &mut self,
        vanishing: PersonId,
        survivor: PersonId,
        at: &str,
        reason: &str,
    ) -> Result<(), StoreError>;

    /// Assigns the given records to `to` (which must exist); returns how many moved.
    async fn move_records(&mut self, record_ids: &[RecordId], to: PersonId) -> Result<u64, StoreError>;

    /// Records where vanished person ids lead (replacing older redirects of the same ids), and
    /// drops redirects of ids that exist again.
    async fn insert_redirects(&mut self, redirects: &[links::PersonRedirect]) -> Result<(), StoreError>;

    /// One identity link, read inside the transaction.
    async fn identity_link_in_transaction(
        &mut self,
        link_id: uuid::Uuid,
    ) -> Result<Option<links::IdentityLink>, StoreError>;

    /// Adds identity keys; a key already pointing at that person is left as it is.
    async fn insert_identity_keys(&mut self, keys: &[(String, PersonId)]) -> Result<(), StoreError>;

    async fn assign_records(&mut self, assignments: &[RecordAssignment]) -> Result<(), StoreError>;

    async fn set_resolved_seq(&mut self, seq: i64) -> Result<(), StoreError>;

    /// Removes every derived resolution row, for a rebuild from the ledger. Never touches the ledger.
    async fn clear_resolution(&mut self) -> Result<(), StoreError>;

    /// The vault that seals special-category records, if the store was opened with a master key.
    fn vault(&self) -> Option<&RecordVault>;

    /// Records of `categories` after `after_seq` whose bodies are still held, in chain order, at most
    /// `limit`: what retention examines.
    async fn held_records(
        &mut self,
        categories: &[Category],
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<HeldRecord>, StoreError>;

    /// Destroys the bodies of these records: deletes their data keys, clears body, salt and submission
    /// digest in the ledger (the envelope and body digest stay, so the chain verifies), and notes the
    /// destruction. The only change ever made to a ledger row.
    async fn destroy_bodies(&mut self, destructions: &[RecordDestruction]) -> Result<(), StoreError>;

    /// Appends a system record (a contest, a decision) to the system chain, under the same write lock
    /// as the ledger.
    async fn append_system_record(
        &mut self,
        record: &system::NewSystemRecord,
    ) -> Result<system::SystemRecord, StoreError>;

    /// Makes the transaction durable (fsync'd) before returning.
    async fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

/// The storage of Hospes. Implemented by [`SqliteStore`] and [`PostgresStore`].
#[async_trait]
pub trait Store: Send + Sync {
    fn backend(&self) -> Backend;

    /// Opens the one write transaction; waits while another is open.
    async fn begin_write(&self) -> Result<Box<dyn WriteTransaction>, StoreError>;

    async fn chain_head(&self) -> Result<ChainHead, StoreError>;

    /// Raw ledger rows after `after_seq`, in chain order, for verification.
    async fn ledger_rows_after(&self, after_seq: i64, limit: i64) -> Result<Vec<LedgerRow>, StoreError>;

    async fn record(&self, record_id: RecordId) -> Result<Option<StoredRecord>, StoreError>;

    async fn person_exists(&self, person_id: PersonId) -> Result<bool, StoreError>;

    /// Every record assigned to a person, in chain order.
    async fn person_records(&self, person_id: PersonId) -> Result<Vec<StoredRecord>, StoreError>;

    /// The next `persons` persons after `after` (by id; from the first when `None`), each with every
    /// record assigned to them in chain order: a full scan, page by page. Persons without records are
    /// left out.
    async fn records_of_persons_after(
        &self,
        after: Option<PersonId>,
        persons: i64,
    ) -> Result<Vec<(PersonId, Vec<StoredRecord>)>, StoreError>;

    /// Persons holding an identity key that starts with `prefix`.
    async fn persons_with_key_prefix(&self, prefix: &str, limit: i64) -> Result<Vec<PersonId>, StoreError>;

    async fn person_of_record(&self, record_id: RecordId) -> Result<Option<PersonId>, StoreError>;

    /// The person each record is assigned to (records not yet resolved are absent).
    async fn persons_for_records(&self, record_ids: &[RecordId]) -> Result<HashMap<RecordId, PersonId>, StoreError>;

    async fn counts(&self) -> Result<StoreCounts, StoreError>;

    async fn insert_agency_key(&self, key: &AgencyKey) -> Result<(), StoreError>;

    async fn agency_key(&self, key_id: &str) -> Result<Option<AgencyKey>, StoreError>;

    async fn agency_keys(&self) -> Result<Vec<AgencyKey>, StoreError>;

    async fn revoke_agency_key(&self, key_id: &str, revoked_at: &str) -> Result<bool, StoreError>;

    /// Raw system-chain rows after `after_seq`, in chain order, for verification.
    async fn system_rows_after(&self, after_seq: i64, limit: i64) -> Result<Vec<system::SystemRow>, StoreError>;

    /// Every system record about a person (contests and decisions), in chain order.
    async fn system_records_of_person(&self, person_id: PersonId) -> Result<Vec<system::SystemRecord>, StoreError>;

    /// One system record by its id.
    async fn system_record(&self, record_id: uuid::Uuid) -> Result<Option<system::SystemRecord>, StoreError>;

    /// Contests no officer has decided yet, oldest first.
    async fn open_contests(&self, limit: i64) -> Result<Vec<system::SystemRecord>, StoreError>;

    /// Identity links, oldest first.
    async fn identity_links(&self, filter: links::LinkFilter) -> Result<Vec<links::IdentityLink>, StoreError>;

    /// One identity link.
    async fn identity_link(&self, link_id: uuid::Uuid) -> Result<Option<links::IdentityLink>, StoreError>;

    /// Where a person id that disappeared in a merge now leads.
    async fn redirect_of(&self, person_id: PersonId) -> Result<Option<links::PersonRedirect>, StoreError>;

    /// Stores a new share code (only the SHA-256 of the code itself).
    async fn insert_share_code(&self, code: &ShareCodeRow) -> Result<(), StoreError>;

    /// The share code with this hash, revoked or expired ones included (the caller decides).
    async fn share_code(&self, code_sha256: &Sha256Digest) -> Result<Option<ShareCodeRow>, StoreError>;

    /// A person's share codes, newest first.
    async fn share_codes_of(&self, person_id: PersonId) -> Result<Vec<ShareCodeRow>, StoreError>;

    /// Revokes a person's code by id; false when they have no such code or it was already revoked.
    async fn revoke_share_code(&self, person_id: PersonId, id: &str, revoked_at: &str) -> Result<bool, StoreError>;

    /// Records that the credentials of `subject` issued at or before `revoked_at` (RFC 3339) are revoked.
    async fn insert_credential_revocation(&self, subject: &str, revoked_at: &str) -> Result<(), StoreError>;

    /// Every subject revocation, oldest first, as `(subject, revoked_at)`.
    async fn credential_revocations(&self) -> Result<Vec<(String, String)>, StoreError>;

    /// Adds lost and stolen documents in one transaction (all or nothing); a document already listed
    /// keeps its first report. Returns how many were new.
    async fn insert_lost_stolen_documents(
        &self,
        documents: &[border::LostStolenDocument],
        imported_at: &str,
    ) -> Result<u64, StoreError>;

    /// The listed lost or stolen documents that carry one of these numbers (any issuing state).
    async fn lost_stolen_documents_numbered(
        &self,
        numbers: &[String],
    ) -> Result<Vec<border::LostStolenDocument>, StoreError>;

    /// How many documents the lost and stolen list holds.
    async fn lost_stolen_count(&self) -> Result<i64, StoreError>;

    async fn insert_pre_arrival_application(&self, application: &border::PreArrivalRow) -> Result<(), StoreError>;

    async fn pre_arrival_application(&self, application_id: &str) -> Result<Option<border::PreArrivalRow>, StoreError>;

    /// The applications made with this document number and birth date, newest first.
    async fn pre_arrival_applications_for_document(
        &self,
        document_number: &str,
        birth_date: &str,
        limit: i64,
    ) -> Result<Vec<border::PreArrivalRow>, StoreError>;

    /// Removes what destroyed bodies may have left in the database files: SQLite checkpoints and
    /// truncates its write-ahead log (freed pages are zeroed, `secure_delete` is on); PostgreSQL
    /// vacuums the dead row versions of the ledger and the key table.
    async fn scrub_destroyed(&self) -> Result<(), StoreError>;
}
