//! A bare baseline for the ingest benchmark: the same rows the ledger holds, inserted into a plain
//! table with the same columns but no key, no index and no constraint, with no validation and no
//! chaining, under the same durability settings and the same multi-row statements. What ingestion
//! costs beyond this is the price of its guarantees (and of resolution).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::QueryBuilder;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::StoreError;
use crate::rows::{LEDGER_COLUMNS, LedgerRow};

/// The ledger's columns, without a key or an index.
const PLAIN_COLUMNS_SQLITE: &str = "seq INTEGER, record_id BLOB, agency TEXT, source_record_id TEXT, source_version INTEGER, \
     category TEXT, kind TEXT, effective_from TEXT, effective_to TEXT, legal_basis TEXT, received_at TEXT, \
     sensitivity TEXT, supersedes TEXT, body BLOB, body_salt BLOB, body_digest BLOB, submission_digest BLOB, \
     previous_hash BLOB, hash BLOB";
const PLAIN_COLUMNS_POSTGRES: &str = "seq BIGINT, record_id UUID, agency TEXT, source_record_id TEXT, source_version BIGINT, \
     category TEXT, kind TEXT, effective_from TEXT, effective_to TEXT, legal_basis TEXT, received_at TEXT, \
     sensitivity TEXT, supersedes TEXT, body BYTEA, body_salt BYTEA, body_digest BYTEA, submission_digest BYTEA, \
     previous_hash BYTEA, hash BYTEA";

/// Rows per multi-row INSERT, as for the ledger.
const ROWS_PER_INSERT: usize = 1000;

/// A plain table on either backend.
pub enum PlainTable {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl PlainTable {
    /// A fresh table in `DIR/baseline.db`.
    pub async fn sqlite(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::DataDirectory { path: data_dir.to_path_buf(), source })?;
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(data_dir.join("baseline.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE TABLE IF NOT EXISTS plain_rows ({PLAIN_COLUMNS_SQLITE})")))
            .execute(&pool)
            .await?;
        Ok(Self::Sqlite(pool))
    }

    /// A fresh table in the PostgreSQL database at `url`.
    pub async fn postgres(url: &str) -> Result<Self, StoreError> {
        let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(url).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE TABLE IF NOT EXISTS plain_rows ({PLAIN_COLUMNS_POSTGRES})")))
            .execute(&pool)
            .await?;
        Ok(Self::Postgres(pool))
    }

    /// Opens the transaction the rows go into.
    pub async fn begin(&self) -> Result<PlainTransaction, StoreError> {
        Ok(match self {
            Self::Sqlite(pool) => PlainTransaction::Sqlite(pool.begin().await?),
            Self::Postgres(pool) => PlainTransaction::Postgres(pool.begin().await?),
        })
    }
}

/// A transaction on a [`PlainTable`].
pub enum PlainTransaction {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl PlainTransaction {
    /// Inserts `rows` with multi-row statements.
    pub async fn insert(&mut self, rows: Vec<LedgerRow>) -> Result<(), StoreError> {
        macro_rules! insert_all {
            ($transaction:expr, $database:ty) => {{
                let mut rows = rows.into_iter().peekable();
                while rows.peek().is_some() {
                    let mut query =
                        QueryBuilder::<$database>::new(format!("INSERT INTO plain_rows ({LEDGER_COLUMNS}) "));
                    query.push_values(rows.by_ref().take(ROWS_PER_INSERT), |mut row, entry| {
                        crate::rows::bind_ledger_row!(row, entry);
                    });
                    query.build().execute(&mut **$transaction).await?;
                }
            }};
        }
        match self {
            Self::Sqlite(transaction) => insert_all!(transaction, sqlx::Sqlite),
            Self::Postgres(transaction) => insert_all!(transaction, sqlx::Postgres),
        }
        Ok(())
    }

    /// Commits durably.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(transaction) => transaction.commit().await?,
            Self::Postgres(transaction) => transaction.commit().await?,
        }
        Ok(())
    }
}
