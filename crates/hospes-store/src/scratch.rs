//! Throw-away PostgreSQL databases, for benchmarks and tests that need an empty store on a server.

use rand::Rng;
use sqlx::Connection;

use crate::StoreError;

/// Creates an empty database named `{prefix}_{random}` on the server of `server_url` (connecting to
/// the database that URL names) and returns the URL of the new database.
pub async fn create_scratch_database(server_url: &str, prefix: &str) -> Result<String, StoreError> {
    let mut admin = sqlx::PgConnection::connect(server_url).await?;
    let name = format!("{prefix}_{:016x}", rand::rng().random::<u64>());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await?;
    Ok(replace_database_in_url(server_url, &name))
}

/// Drops the database of `database_url`, ending the sessions still connected to it.
pub async fn drop_scratch_database(server_url: &str, database_url: &str) -> Result<(), StoreError> {
    let name = database_name(database_url);
    if !name.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'_') {
        return Ok(());
    }
    let mut admin = sqlx::PgConnection::connect(server_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
        .execute(&mut admin)
        .await?;
    Ok(())
}

/// The database name of a PostgreSQL URL.
pub fn database_name(url: &str) -> &str {
    let without_query = url.split('?').next().unwrap_or(url);
    let authority_start = without_query.find("://").map_or(0, |index| index + 3);
    match without_query[authority_start..].find('/') {
        Some(index) => &without_query[authority_start + index + 1..],
        None => "",
    }
}

/// `url` with its database replaced by `database`.
pub fn replace_database_in_url(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |index| index + 3);
    let path_start = base[authority_start..].find('/').map(|index| authority_start + index);
    let mut replaced = match path_start {
        Some(index) => format!("{}/{database}", &base[..index]),
        None => format!("{base}/{database}"),
    };
    if let Some(query) = query {
        replaced.push('?');
        replaced.push_str(query);
    }
    replaced
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_found_and_replaced_in_urls() {
        assert_eq!(replace_database_in_url("postgres://u@h:5432/postgres", "t1"), "postgres://u@h:5432/t1");
        assert_eq!(replace_database_in_url("postgres://u@h:5432", "t1"), "postgres://u@h:5432/t1");
        assert_eq!(
            replace_database_in_url("postgres://u@h/db?sslmode=disable", "t1"),
            "postgres://u@h/t1?sslmode=disable"
        );
        assert_eq!(database_name("postgres://u@h:5432/t1?sslmode=disable"), "t1");
        assert_eq!(database_name("postgres://u@h:5432"), "");
    }
}
