//! Sealing and opening whole records: what the store calls at append and at read.

use std::fmt;

use crate::error::VaultError;
use crate::keys::{DataKey, WrappedKey};
use crate::master::{MasterKey, MasterKeyRing};
use crate::seal::{SealedPayload, open, seal};

/// A record body sealed for storage: the bytes that go in the ledger's body column, and the wrapped
/// data key that goes beside it (and that retention deletes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedRecord {
    /// [`SealedPayload::to_bytes`] of the body.
    pub stored_body: Vec<u8>,
    pub wrapped_key: WrappedKey,
}

/// Envelope encryption of record bodies under one master key ring.
///
/// Every record gets its own random data key. The record id is both the associated data of the body
/// and the context of the wrapped key, so neither a ciphertext nor a key can be moved to another
/// record. One key per record (rather than per person) lets retention shred exactly the records whose
/// period ended and leave the person's newer ones readable; erasing a person is erasing the keys of
/// every record resolution assigned to them.
pub struct RecordVault {
    keys: MasterKeyRing,
}

impl RecordVault {
    pub fn new(keys: MasterKeyRing) -> Self {
        Self { keys }
    }

    /// The id of the master key that wraps new data keys.
    pub fn current_key_id(&self) -> &str {
        self.keys.key_id()
    }

    /// Seals `body` (the canonical JSON of a record's subject and payload) for the record `record_id`.
    pub fn seal_record(&self, record_id: &[u8], body: &[u8]) -> Result<SealedRecord, VaultError> {
        let data_key = DataKey::generate()?;
        let sealed = seal(&data_key, body, record_id)?;
        let wrapped_key = self.keys.wrap(&data_key, record_id)?;
        Ok(SealedRecord { stored_body: sealed.to_bytes(), wrapped_key })
    }

    /// Opens a body sealed by [`RecordVault::seal_record`] for the same record.
    pub fn open_record(
        &self,
        record_id: &[u8],
        stored_body: &[u8],
        wrapped_key: &WrappedKey,
    ) -> Result<Vec<u8>, VaultError> {
        let data_key = self.keys.unwrap(wrapped_key, record_id)?;
        open(&data_key, &SealedPayload::from_bytes(stored_body)?, record_id)
    }
}

impl fmt::Debug for RecordVault {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_struct("RecordVault").field("keys", &self.keys).finish()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
    use super::*;
    use crate::master::LocalMasterKey;

    fn vault() -> RecordVault {
        RecordVault::new(MasterKeyRing::new(LocalMasterKey::generate().unwrap()))
    }

    #[test]
    fn a_sealed_record_opens_only_as_itself_and_hides_its_body() {
        let vault = vault();
        let body = br#"{"payload":{"diagnosis":"tuberculosis screening negative"}}"#;
        let sealed = vault.seal_record(b"record-1", body).unwrap();
        assert!(!sealed.stored_body.windows(11).any(|window| window == b"tuberculosi"));
        assert_eq!(vault.open_record(b"record-1", &sealed.stored_body, &sealed.wrapped_key).unwrap(), body);
        assert!(matches!(
            vault.open_record(b"record-2", &sealed.stored_body, &sealed.wrapped_key),
            Err(VaultError::Decryption)
        ));
    }

    #[test]
    fn another_master_key_cannot_open_it() {
        let sealed = vault().seal_record(b"r", b"secret").unwrap();
        assert!(matches!(
            vault().open_record(b"r", &sealed.stored_body, &sealed.wrapped_key),
            Err(VaultError::UnknownMasterKey { .. })
        ));
    }
}
