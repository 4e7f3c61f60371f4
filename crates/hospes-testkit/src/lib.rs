//! Throw-away stores for tests: a fresh SQLite data directory, or a fresh PostgreSQL database.
//!
//! PostgreSQL tests need a server: `HOSPES_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) names a database on it from which a new database is
//! created per test. `.ci/run` starts the server when it is installed but stopped. If it is not
//! reachable the PostgreSQL tests fail, loudly, unless `HOSPES_SKIP_POSTGRES=1` is set.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test support: a failure here is a failed test

use std::path::PathBuf;
use std::sync::Arc;

use hospes_store::{PostgresStore, SqliteStore, Store, StoreLocation};
use hospes_vault::{LocalMasterKey, MasterKeyRing, RecordVault};
use sqlx::Connection;

/// The admin URL used to create per-test databases.
pub fn postgres_admin_url() -> String {
    std::env::var("HOSPES_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// Whether the PostgreSQL half of the suite was explicitly turned off.
pub fn postgres_skipped() -> bool {
    std::env::var("HOSPES_SKIP_POSTGRES").is_ok_and(|value| value == "1")
}

/// A throw-away store and what a test needs to reach it directly.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    pub location: StoreLocation,
    /// The vault the store seals special-category records with (a fresh master key per test).
    pub vault: Arc<RecordVault>,
    /// Keeps the SQLite directory alive for the test's lifetime.
    _directory: Option<tempfile::TempDir>,
}

impl Drop for TestStore {
    /// Drops a PostgreSQL test database. Drop cannot await, so a short-lived thread with its own
    /// runtime does it; `WITH (FORCE)` ends the connections the store still holds.
    fn drop(&mut self) {
        if let StoreLocation::Postgres { url } = &self.location {
            let (admin_url, url) = (postgres_admin_url(), url.clone());
            let dropper = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                runtime.block_on(hospes_store::scratch::drop_scratch_database(&admin_url, &url)).ok()
            });
            let _ = dropper.join();
        }
    }
}

impl TestStore {
    /// A new SQLite store in a temporary directory.
    pub async fn sqlite() -> TestStore {
        let directory = tempfile::tempdir().expect("temporary directory");
        let data_dir = directory.path().to_path_buf();
        let vault = test_vault();
        let store = SqliteStore::open(&data_dir).await.expect("open SQLite store").with_vault(Some(vault.clone()));
        TestStore {
            store: Arc::new(store),
            location: StoreLocation::Sqlite { data_dir },
            vault,
            _directory: Some(directory),
        }
    }

    /// A new PostgreSQL store in a freshly created database.
    pub async fn postgres() -> TestStore {
        let url = create_postgres_database().await;
        let vault = test_vault();
        let store =
            PostgresStore::connect(&url).await.expect("connect to the test database").with_vault(Some(vault.clone()));
        TestStore { store: Arc::new(store), location: StoreLocation::Postgres { url }, vault, _directory: None }
    }

    /// The data directory of a SQLite store.
    pub fn data_dir(&self) -> Option<PathBuf> {
        match &self.location {
            StoreLocation::Sqlite { data_dir } => Some(data_dir.clone()),
            StoreLocation::Postgres { .. } => None,
        }
    }

    /// Runs one SQL statement directly against the database, behind the store's back (to simulate
    /// tampering or to inspect what is stored).
    pub async fn execute_raw(&self, statement: &str) -> u64 {
        self.execute_raw_in("hospes.db", statement).await
    }

    /// Runs one SQL statement directly against the audit log's tables (on SQLite, its own file), as
    /// an intruder with database access would.
    pub async fn execute_raw_audit(&self, statement: &str) -> u64 {
        self.execute_raw_in(hospes_store::audit::AUDIT_DATABASE_FILE_NAME, statement).await
    }

    async fn execute_raw_in(&self, sqlite_file: &str, statement: &str) -> u64 {
        match &self.location {
            StoreLocation::Sqlite { data_dir } => {
                let url = format!("sqlite://{}", data_dir.join(sqlite_file).display());
                let mut connection = sqlx::SqliteConnection::connect(&url).await.expect("raw SQLite connection");
                sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
                    .execute(&mut connection)
                    .await
                    .expect("raw statement")
                    .rows_affected()
            }
            StoreLocation::Postgres { url } => {
                let mut connection = sqlx::PgConnection::connect(url).await.expect("raw PostgreSQL connection");
                sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
                    .execute(&mut connection)
                    .await
                    .expect("raw statement")
                    .rows_affected()
            }
        }
    }
}

/// A vault under a fresh random master key.
pub fn test_vault() -> Arc<RecordVault> {
    Arc::new(RecordVault::new(MasterKeyRing::new(LocalMasterKey::generate().expect("random master key"))))
}

/// Creates an empty database on the test server and returns its URL.
pub async fn create_postgres_database() -> String {
    let admin_url = postgres_admin_url();
    hospes_store::scratch::create_scratch_database(&admin_url, "hospes_test").await.unwrap_or_else(|error| {
        panic!(
            "PostgreSQL is not reachable at {admin_url} ({error}). Start it (see .ci/run), point \
             HOSPES_TEST_POSTGRES_URL at a server, or set HOSPES_SKIP_POSTGRES=1 to skip the PostgreSQL half."
        )
    })
}

/// Declares one async test per backend for each listed conformance check
/// (`async fn check(store: &TestStore)`).
#[macro_export]
macro_rules! test_both_backends {
    ($($check:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $check() {
                    let store = $crate::TestStore::sqlite().await;
                    super::$check(&store).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $check() {
                    if $crate::postgres_skipped() {
                        eprintln!("HOSPES_SKIP_POSTGRES=1: skipping the PostgreSQL run of {}", stringify!($check));
                        return;
                    }
                    let store = $crate::TestStore::postgres().await;
                    super::$check(&store).await;
                }
            )+
        }
    };
}
