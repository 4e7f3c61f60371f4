//! The audit log: every request that reads or writes person data leaves an event here, durable
//! before the response leaves the server.
//!
//! The events are the leaves of a Merkle tree in the manner of Certificate Transparency (RFC 9162,
//! computed by `hospes-transparency`): the log signs tree heads with an Ed25519 key, gives inclusion
//! proofs (this event is in the log) and consistency proofs (the log only grew), and
//! [`verify_audit_log`] replays the stored events against every signed tree head, naming the first
//! row that differs. [`AuditLog`] appends with group commit: one transaction and one fsync for all
//! the events that arrived while the previous commit ran. The person's own access log is read from
//! the same events ([`access_log`]).

pub mod access_log;
pub mod event;
pub mod keys;
pub mod log;
pub mod verify;

pub use access_log::{AccessLogEntry, RETENTION_ACTION, access_log};
pub use event::{Actor, AuditEvent, Outcome, timestamp};
pub use keys::{SigningKeyError, load_or_create_key_file, load_or_create_signing_key};
pub use log::{AuditError, AuditLog, AuditLogConfig, AuditReceipt, signed_tree_head};
pub use verify::{AuditProblem, AuditVerification, verify_audit_log};
