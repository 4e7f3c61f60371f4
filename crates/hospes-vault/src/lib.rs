//! Encryption at rest of the special categories (biometrics, medical examinations, criminal
//! records), and the retention schedule that ends their life.
//!
//! **Envelope encryption.** Each record's payload is sealed ([`seal`]) under its own random
//! [`DataKey`], with the record id as associated data so the ciphertext cannot be moved to another
//! record. The data key is stored beside it, *wrapped* (encrypted) by a [`MasterKey`], the
//! key-encryption key, which never touches the database: a file or environment variable
//! ([`LocalMasterKey`]), or a KMS/HSM behind the same trait. Rotating the master key re-wraps the small
//! data keys ([`MasterKeyRing`]), never the payloads.
//!
//! **Crypto-shredding.** When a record's retention period ends ([`RetentionPolicy`], configured in
//! `config/retention.toml`), deleting its wrapped data key destroys the record: the ciphertext left in
//! backups, replicas and the append-only ledger can no longer be opened by anyone, master key or not.
//!
//! [`RecordVault`] is what the store uses: it seals a record body at append and opens it at read.
//!
//! This crate does no IO beyond reading key and configuration files (and writing a new key file).

mod cipher;
mod error;
mod keys;
mod master;
mod record;
mod retention;
mod seal;

pub use error::{Encoded, VaultError};
pub use keys::{DataKey, WrappedKey};
pub use master::{LocalMasterKey, MasterKey, MasterKeyRing};
pub use record::{RecordVault, SealedRecord};
pub use retention::{
    CountedFrom, MAX_YEARS, RetentionConfigError, RetentionPeriod, RetentionPolicy, RetentionRule,
    SHIPPED_RETENTION_TOML,
};
pub use seal::{SealedPayload, open, seal};
