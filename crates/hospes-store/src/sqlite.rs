//! The embedded backend: one SQLite file under a data directory.
//!
//! Durability: write-ahead log with `synchronous = FULL`, so a commit is fsync'd before it returns.
//! Writes go through a pool of one connection and `BEGIN IMMEDIATE`, which serialises appends within
//! this process and with any other process (a CLI import beside a running server) on the same file.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::queries::{delegate_store, delegate_write_transaction};
use std::sync::Arc;

use hospes_vault::RecordVault;

use crate::{StoreError, WriteTransaction};

/// The database file inside the data directory.
pub const DATABASE_FILE_NAME: &str = "hospes.db";

mod border_queries {
    crate::border::define_border_queries!(sqlx::Sqlite);
}

mod queries {
    // Appends are checked for duplicates before they are written, and run under the write lock, so a
    // constraint violation means something is badly wrong: `OR ROLLBACK` then abandons the whole
    // transaction. It also spares SQLite the statement journal that `ABORT` (the default) keeps to
    // undo a half-done multi-row statement, which costs a page copy per page written.
    crate::queries::define_queries!(sqlx::Sqlite, insert_or_fail_transaction = "INSERT OR ROLLBACK INTO");
    crate::links::define_link_queries!(sqlx::Sqlite);
}

/// A store in a SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    /// Seals special-category records at append and opens them at read; `None` without a master key.
    vault: Option<Arc<RecordVault>>,
}

pub struct SqliteWriteTransaction {
    transaction: sqlx::Transaction<'static, sqlx::Sqlite>,
    vault: Option<Arc<RecordVault>>,
}

impl SqliteStore {
    /// Opens `DIR/hospes.db`, creating the directory and the database, and applying migrations.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::DataDirectory { path: data_dir.to_path_buf(), source })?;
        let path = data_dir.join(DATABASE_FILE_NAME);
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true)
            .pragma("cache_size", "-262144")
            .pragma("temp_store", "memory")
            // Zero freed content: when retention destroys a body, its bytes must not linger in free pages.
            .pragma("secure_delete", "ON");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(120))
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&writer).await?;
        let reader = SqlitePoolOptions::new().max_connections(8).connect_with(options.read_only(true)).await?;
        Ok(Self { writer, reader, vault: None })
    }

    /// The same store, sealing and opening special-category records with `vault`.
    pub fn with_vault(mut self, vault: Option<Arc<RecordVault>>) -> Self {
        self.vault = vault;
        self
    }

    /// Copies the write-ahead log into the database file and truncates it, so that page versions that
    /// held destroyed bodies survive in neither.
    async fn scrub(&self) -> Result<(), StoreError> {
        let (busy, _, _): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.writer).await?;
        if busy != 0 {
            tracing::warn!(
                "the write-ahead log could not be truncated (readers were active); the next checkpoint will"
            );
        }
        Ok(())
    }

    async fn open_write_transaction(&self) -> Result<Box<dyn WriteTransaction>, StoreError> {
        let transaction = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        Ok(Box::new(SqliteWriteTransaction { transaction, vault: self.vault.clone() }))
    }

    /// Closes both pools, checkpointing the write-ahead log.
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

delegate_write_transaction!(SqliteWriteTransaction);
delegate_store!(SqliteStore, crate::Backend::Sqlite);
