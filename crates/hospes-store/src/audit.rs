//! Storage of the audit log: events (the Merkle leaves), the persons each concerns, signed tree heads
//! and the public keys that signed them.
//!
//! The store keeps bytes; the Merkle tree, signing and verification live in `hospes-audit`. Appends
//! come from one writer (the audit log's group-commit task), which assigns leaf indexes in order; a
//! batch of events is one transaction, durable when `append_events` returns.
//!
//! On SQLite the audit log is a database file of its own (`audit.db` beside `hospes.db`), so that an
//! audited read never waits for the ledger's write lock while a long import holds it. On PostgreSQL it
//! is a set of tables in the same database.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use hospes_model::PersonId;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::{StoreError, StoreLocation};

/// The audit database file inside an SQLite data directory.
pub const AUDIT_DATABASE_FILE_NAME: &str = "audit.db";

/// One event to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEvent {
    pub leaf_index: i64,
    /// RFC 3339, UTC.
    pub occurred_at: String,
    /// The canonical bytes of the event: the Merkle leaf.
    pub event: Vec<u8>,
    pub leaf_hash: [u8; 32],
    /// The persons the event concerns (for their access logs).
    pub persons: Vec<PersonId>,
}

/// One stored event, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAuditEvent {
    pub leaf_index: i64,
    pub occurred_at: String,
    pub event: Vec<u8>,
    pub leaf_hash: Vec<u8>,
}

/// One signed tree head, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTreeHead {
    pub tree_size: i64,
    pub timestamp_ms: i64,
    pub root_hash: Vec<u8>,
    pub key_id: Vec<u8>,
    pub signature: Vec<u8>,
}

/// One public key that signed tree heads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSigningKey {
    pub key_id: Vec<u8>,
    pub public_key: Vec<u8>,
    pub first_used_at: String,
}

/// Where the audit log is kept.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends events and the tree head signed over them (if any), in one durable transaction.
    async fn append_events(
        &self,
        events: &[NewAuditEvent],
        tree_head: Option<&StoredTreeHead>,
    ) -> Result<(), StoreError>;
    /// Stores a tree head on its own (one signed while no events arrived, or at shutdown).
    async fn insert_tree_head(&self, tree_head: &StoredTreeHead) -> Result<(), StoreError>;
    /// Records a signing key, unless it is already recorded.
    async fn record_signing_key(&self, key: &StoredSigningKey) -> Result<(), StoreError>;
    async fn signing_keys(&self) -> Result<Vec<StoredSigningKey>, StoreError>;
    /// The number of events held.
    async fn event_count(&self) -> Result<i64, StoreError>;
    /// Events from `from_leaf_index` on, in order, at most `limit`.
    async fn events_from(&self, from_leaf_index: i64, limit: i64) -> Result<Vec<StoredAuditEvent>, StoreError>;
    /// Every leaf hash, in order (to rebuild the tree at start-up).
    async fn leaf_hashes(&self) -> Result<Vec<(i64, Vec<u8>)>, StoreError>;
    /// Every signed tree head, in order of size.
    async fn tree_heads(&self) -> Result<Vec<StoredTreeHead>, StoreError>;
    /// The newest events that concern `person`, newest first.
    async fn person_events(&self, person: PersonId, limit: i64) -> Result<Vec<StoredAuditEvent>, StoreError>;
}

/// Opens (creating and migrating if needed) the audit log of the store at `location`.
pub async fn open_audit_store(location: &StoreLocation) -> Result<Arc<dyn AuditStore>, StoreError> {
    Ok(match location {
        StoreLocation::Sqlite { data_dir } => Arc::new(SqliteAuditStore::open(data_dir).await?),
        StoreLocation::Postgres { url } => Arc::new(PostgresAuditStore::connect(url).await?),
    })
}

/// The audit log in `DIR/audit.db`.
#[derive(Clone)]
pub struct SqliteAuditStore {
    writer: SqlitePool,
    reader: SqlitePool,
}

impl SqliteAuditStore {
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::DataDirectory { path: data_dir.to_path_buf(), source })?;
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(data_dir.join(AUDIT_DATABASE_FILE_NAME))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite-audit").run(&writer).await?;
        let reader = SqlitePoolOptions::new().max_connections(4).connect_with(options.read_only(true)).await?;
        Ok(Self { writer, reader })
    }
}

/// The audit log in PostgreSQL tables (migrated with the ledger's).
#[derive(Clone)]
pub struct PostgresAuditStore {
    pool: PgPool,
}

impl PostgresAuditStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options: PgConnectOptions = url.parse()?;
        let options = options.options([("synchronous_commit", "on")]);
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
    }
}

/// The INSERT of one signed tree head; a macro because sqlx types a query by its database.
macro_rules! insert_tree_head {
    ($executor:expr, $tree_head:expr) => {
        sqlx::query(
            "INSERT INTO audit_tree_heads (tree_size, timestamp_ms, root_hash, key_id, signature) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind($tree_head.tree_size)
        .bind($tree_head.timestamp_ms)
        .bind(&$tree_head.root_hash[..])
        .bind(&$tree_head.key_id[..])
        .bind(&$tree_head.signature[..])
        .execute($executor)
        .await
        .map(|_| ())
    };
}

macro_rules! audit_queries {
    ($store:ty, $database:ty, $writer:ident, $reader:ident) => {
        #[async_trait]
        impl AuditStore for $store {
            async fn append_events(
                &self,
                events: &[NewAuditEvent],
                tree_head: Option<&StoredTreeHead>,
            ) -> Result<(), StoreError> {
                let mut transaction = self.$writer.begin().await?;
                // Each multi-row statement stays under SQLite's 32 766 bound parameters.
                for chunk in events.chunks(1000) {
                    let mut query = sqlx::QueryBuilder::<$database>::new(
                        "INSERT INTO audit_events (leaf_index, occurred_at, event, leaf_hash) ",
                    );
                    query.push_values(chunk, |mut row, event| {
                        row.push_bind(event.leaf_index)
                            .push_bind(&event.occurred_at)
                            .push_bind(&event.event)
                            .push_bind(&event.leaf_hash[..]);
                    });
                    query.build().execute(&mut *transaction).await?;
                    let persons: Vec<(uuid::Uuid, i64)> = chunk
                        .iter()
                        .flat_map(|event| event.persons.iter().map(|person| (person.uuid(), event.leaf_index)))
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect();
                    for persons in persons.chunks(1000) {
                        let mut query = sqlx::QueryBuilder::<$database>::new(
                            "INSERT INTO audit_event_persons (person_id, leaf_index) ",
                        );
                        query.push_values(persons, |mut row, (person, leaf_index)| {
                            row.push_bind(*person).push_bind(*leaf_index);
                        });
                        query.build().execute(&mut *transaction).await?;
                    }
                }
                if let Some(tree_head) = tree_head {
                    insert_tree_head!(&mut *transaction, tree_head)?;
                }
                transaction.commit().await?;
                Ok(())
            }

            async fn insert_tree_head(&self, tree_head: &StoredTreeHead) -> Result<(), StoreError> {
                Ok(insert_tree_head!(&self.$writer, tree_head)?)
            }

            async fn record_signing_key(&self, key: &StoredSigningKey) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO audit_signing_keys (key_id, public_key, first_used_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (key_id) DO NOTHING",
                )
                .bind(&key.key_id)
                .bind(&key.public_key)
                .bind(&key.first_used_at)
                .execute(&self.$writer)
                .await?;
                Ok(())
            }

            async fn signing_keys(&self) -> Result<Vec<StoredSigningKey>, StoreError> {
                let rows: Vec<(Vec<u8>, Vec<u8>, String)> = sqlx::query_as(
                    "SELECT key_id, public_key, first_used_at FROM audit_signing_keys ORDER BY first_used_at",
                )
                .fetch_all(&self.$reader)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(key_id, public_key, first_used_at)| StoredSigningKey { key_id, public_key, first_used_at })
                    .collect())
            }

            async fn event_count(&self) -> Result<i64, StoreError> {
                let (count,): (i64,) =
                    sqlx::query_as("SELECT COUNT(*) FROM audit_events").fetch_one(&self.$reader).await?;
                Ok(count)
            }

            async fn events_from(&self, from_leaf_index: i64, limit: i64) -> Result<Vec<StoredAuditEvent>, StoreError> {
                let rows: Vec<(i64, String, Vec<u8>, Vec<u8>)> = sqlx::query_as(
                    "SELECT leaf_index, occurred_at, event, leaf_hash FROM audit_events \
                     WHERE leaf_index >= $1 ORDER BY leaf_index LIMIT $2",
                )
                .bind(from_leaf_index)
                .bind(limit)
                .fetch_all(&self.$reader)
                .await?;
                Ok(rows.into_iter().map(stored_event).collect())
            }

            async fn leaf_hashes(&self) -> Result<Vec<(i64, Vec<u8>)>, StoreError> {
                Ok(sqlx::query_as("SELECT leaf_index, leaf_hash FROM audit_events ORDER BY leaf_index")
                    .fetch_all(&self.$reader)
                    .await?)
            }

            async fn tree_heads(&self) -> Result<Vec<StoredTreeHead>, StoreError> {
                let rows: Vec<(i64, i64, Vec<u8>, Vec<u8>, Vec<u8>)> = sqlx::query_as(
                    "SELECT tree_size, timestamp_ms, root_hash, key_id, signature FROM audit_tree_heads \
                     ORDER BY tree_size, timestamp_ms",
                )
                .fetch_all(&self.$reader)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(tree_size, timestamp_ms, root_hash, key_id, signature)| StoredTreeHead {
                        tree_size,
                        timestamp_ms,
                        root_hash,
                        key_id,
                        signature,
                    })
                    .collect())
            }

            async fn person_events(&self, person: PersonId, limit: i64) -> Result<Vec<StoredAuditEvent>, StoreError> {
                let rows: Vec<(i64, String, Vec<u8>, Vec<u8>)> = sqlx::query_as(
                    "SELECT e.leaf_index, e.occurred_at, e.event, e.leaf_hash \
                     FROM audit_event_persons p JOIN audit_events e ON e.leaf_index = p.leaf_index \
                     WHERE p.person_id = $1 ORDER BY p.leaf_index DESC LIMIT $2",
                )
                .bind(person.uuid())
                .bind(limit)
                .fetch_all(&self.$reader)
                .await?;
                Ok(rows.into_iter().map(stored_event).collect())
            }
        }
    };
}

fn stored_event((leaf_index, occurred_at, event, leaf_hash): (i64, String, Vec<u8>, Vec<u8>)) -> StoredAuditEvent {
    StoredAuditEvent { leaf_index, occurred_at, event, leaf_hash }
}

audit_queries!(SqliteAuditStore, sqlx::Sqlite, writer, reader);
audit_queries!(PostgresAuditStore, sqlx::Postgres, pool, pool);
