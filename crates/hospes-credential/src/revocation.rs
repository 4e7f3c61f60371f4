//! The revocation list a verifier checks when it is online.
//!
//! Credentials live 72 hours, so most changes need no revocation: the next credential says the
//! new thing. The list is for what cannot wait: a credential reported stolen (listed by its id,
//! the CWT `cti`), or a status that changed for the worse (listed by the pseudonymous subject,
//! which revokes every credential of that subject issued up to that instant, and none after).
//!
//! ```json
//! {"issued_at": "2026-05-01T12:00:00Z",
//!  "credentials": [{"credential_id": "kq3…", "revoked_at": "2026-05-01T11:58:00Z"}],
//!  "subjects": [{"subject": "p-7f3a…", "revoked_at": "2026-05-01T10:00:00Z"}]}
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::refusal::Refusal;

/// The list of revoked credentials and subjects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationList {
    /// When the list was made, so a verifier can tell how fresh its copy is.
    pub issued_at: DateTime<Utc>,
    /// Single credentials, by id.
    #[serde(default)]
    pub credentials: Vec<RevokedCredential>,
    /// Every credential of a subject issued at or before a time.
    #[serde(default)]
    pub subjects: Vec<RevokedSubject>,
}

/// One revoked credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokedCredential {
    /// The credential id (the CWT `cti`) in unpadded base64url.
    pub credential_id: String,
    /// When it was revoked.
    pub revoked_at: DateTime<Utc>,
}

/// A subject whose credentials up to a time are revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokedSubject {
    /// The pseudonymous subject id (the CWT `sub`).
    pub subject: String,
    /// Credentials issued at or before this instant are revoked; later ones are not.
    pub revoked_at: DateTime<Utc>,
}

impl RevocationList {
    /// An empty list made at `issued_at`.
    pub fn new(issued_at: DateTime<Utc>) -> Self {
        RevocationList { issued_at, credentials: Vec::new(), subjects: Vec::new() }
    }

    /// Revokes one credential, named by its id as issued (unpadded base64url).
    pub fn revoke_credential(&mut self, credential_id: &str, revoked_at: DateTime<Utc>) {
        self.credentials.push(RevokedCredential { credential_id: credential_id.to_owned(), revoked_at });
    }

    /// Revokes every credential of `subject` issued at or before `revoked_at`.
    pub fn revoke_subject(&mut self, subject: &str, revoked_at: DateTime<Utc>) {
        self.subjects.push(RevokedSubject { subject: subject.to_owned(), revoked_at });
    }

    /// Refuses a credential this list revokes.
    pub fn check(&self, credential_id: &[u8], subject: &str, issued_at: DateTime<Utc>) -> Result<(), Refusal> {
        let encoded_id = URL_SAFE_NO_PAD.encode(credential_id);
        let by_id =
            self.credentials.iter().filter(|entry| entry.credential_id == encoded_id).map(|entry| entry.revoked_at);
        let by_subject = self
            .subjects
            .iter()
            .filter(|entry| entry.subject == subject && issued_at <= entry.revoked_at)
            .map(|entry| entry.revoked_at);
        match by_id.chain(by_subject).min() {
            Some(revoked_at) => Err(Refusal::Revoked { revoked_at }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn revokes_by_id_and_by_subject_up_to_a_time() {
        let mut list = RevocationList::new(at(1_000));
        list.revoke_credential("c3RvbGVu", at(500));
        list.revoke_subject("p-1", at(700));

        assert_eq!(list.check(b"stolen", "p-2", at(100)), Err(Refusal::Revoked { revoked_at: at(500) }));
        assert_eq!(list.check(b"other", "p-1", at(700)), Err(Refusal::Revoked { revoked_at: at(700) }));
        assert_eq!(list.check(b"other", "p-1", at(701)), Ok(()), "issued after the revocation");
        assert_eq!(list.check(b"other", "p-2", at(100)), Ok(()));
    }

    #[test]
    fn round_trips_as_json() {
        let mut list = RevocationList::new(at(1_000));
        list.revoke_credential("-_8", at(500));
        list.revoke_subject("p-1", at(700));
        let json = serde_json::to_string(&list).unwrap();
        assert!(json.contains("\"credential_id\":\"-_8\""), "{json}");
        assert_eq!(serde_json::from_str::<RevocationList>(&json).unwrap(), list);
        let minimal: RevocationList = serde_json::from_str(r#"{"issued_at":"2026-05-01T12:00:00Z"}"#).unwrap();
        assert!(minimal.credentials.is_empty() && minimal.subjects.is_empty());
    }
}
