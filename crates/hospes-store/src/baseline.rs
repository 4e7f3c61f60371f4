//! A bare baseline for the ingest benchmark: the same rows inserted into a plain table, with no
//! validation, no chaining and no index, under the same durability settings and transactions as the
//! ledger. What ingestion costs beyond this is the price of its guarantees.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, QueryBuilder};

use crate::StoreError;

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
        sqlx::query("CREATE TABLE IF NOT EXISTS plain_rows (agency TEXT, line BLOB)").execute(&pool).await?;
        Ok(Self::Sqlite(pool))
    }

    /// A fresh table in the PostgreSQL database at `url`.
    pub async fn postgres(url: &str) -> Result<Self, StoreError> {
        let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(url).await?;
        sqlx::query("CREATE TABLE IF NOT EXISTS plain_rows (agency TEXT, line BYTEA)").execute(&pool).await?;
        Ok(Self::Postgres(pool))
    }

    /// Inserts every line in one transaction, committed durably.
    pub async fn insert(&self, agency: &str, lines: &[Vec<u8>]) -> Result<(), StoreError> {
        macro_rules! insert_all {
            ($pool:expr, $database:ty) => {{
                let mut connection = $pool.acquire().await?;
                let mut transaction = connection.begin().await?;
                for chunk in lines.chunks(ROWS_PER_INSERT) {
                    let mut query = QueryBuilder::<$database>::new("INSERT INTO plain_rows (agency, line) ");
                    query.push_values(chunk, |mut row, line| {
                        row.push_bind(agency.to_owned()).push_bind(line.clone());
                    });
                    query.build().execute(&mut *transaction).await?;
                }
                transaction.commit().await?;
            }};
        }
        match self {
            Self::Sqlite(pool) => insert_all!(pool, sqlx::Sqlite),
            Self::Postgres(pool) => insert_all!(pool, sqlx::Postgres),
        }
        Ok(())
    }
}
