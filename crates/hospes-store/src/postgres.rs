//! The PostgreSQL backend.
//!
//! Durability: PostgreSQL's own (`synchronous_commit = on`, set for every connection, so a commit is
//! flushed to the write-ahead log before it returns). Appends are serialised by a transaction-scoped
//! advisory lock, so several servers can share one database and the chain still has one head.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use crate::queries::{delegate_store, delegate_write_transaction};
use std::sync::Arc;

use hospes_vault::RecordVault;

use crate::{StoreError, WriteTransaction};

/// The advisory lock key that guards the ledger's head ("HOSPES" in ASCII).
const LEDGER_LOCK_KEY: i64 = 0x484F_5350_4553;

mod border_queries {
    crate::border::define_border_queries!(sqlx::Postgres);
}

mod queries {
    crate::queries::define_queries!(sqlx::Postgres, insert_or_fail_transaction = "INSERT INTO");
    crate::links::define_link_queries!(sqlx::Postgres);
}

/// A store in a PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStore {
    writer: PgPool,
    reader: PgPool,
    /// Seals special-category records at append and opens them at read; `None` without a master key.
    vault: Option<Arc<RecordVault>>,
}

pub struct PostgresWriteTransaction {
    transaction: sqlx::Transaction<'static, sqlx::Postgres>,
    vault: Option<Arc<RecordVault>>,
}

impl PostgresStore {
    /// Connects to `url` and applies migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options: PgConnectOptions = url.parse()?;
        // Plan every statement with its actual parameters: the ledger grows inside long import
        // transactions, and a generic plan made while a table was empty (a sequential scan) would
        // otherwise be reused for the whole import.
        let options = options.options([("synchronous_commit", "on"), ("plan_cache_mode", "force_custom_plan")]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(120))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self { writer: pool.clone(), reader: pool, vault: None })
    }

    /// The same store, sealing and opening special-category records with `vault`.
    pub fn with_vault(mut self, vault: Option<Arc<RecordVault>>) -> Self {
        self.vault = vault;
        self
    }

    /// Vacuums the tables whose dead row versions may still hold destroyed bodies and keys.
    async fn scrub(&self) -> Result<(), StoreError> {
        sqlx::query("VACUUM record_keys, ledger").execute(&self.writer).await?;
        Ok(())
    }

    async fn open_write_transaction(&self) -> Result<Box<dyn WriteTransaction>, StoreError> {
        let mut transaction = self.writer.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(LEDGER_LOCK_KEY).execute(&mut *transaction).await?;
        Ok(Box::new(PostgresWriteTransaction { transaction, vault: self.vault.clone() }))
    }

    pub async fn close(&self) {
        self.writer.close().await;
    }
}

delegate_write_transaction!(PostgresWriteTransaction);
delegate_store!(PostgresStore, crate::Backend::Postgres);
