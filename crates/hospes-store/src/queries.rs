//! The SQL both backends share, written once.
//!
//! The statements are portable between SQLite and PostgreSQL (`$n` placeholders work in both), but
//! sqlx types each function by its database, so [`define_queries!`] stamps the same functions out once
//! per backend. What differs between the backends (connecting, pragmas, the write lock) lives in
//! `sqlite.rs` and `postgres.rs`.

/// Rows per multi-row INSERT: 19 ledger columns × 1000 stays under SQLite's 32 766 bound parameters.
pub const INSERT_CHUNK_ROWS: usize = 1000;
/// Values per `IN (…)` list.
pub const LOOKUP_CHUNK: usize = 1000;

/// The exclusive upper bound of the keys that start with `prefix`, for an index range scan.
pub fn prefix_upper_bound(prefix: &str) -> String {
    let mut upper = prefix.to_owned();
    match upper.pop() {
        Some(last) => {
            let next = char::from_u32(last as u32 + 1).unwrap_or(char::MAX);
            upper.push(next);
        }
        None => upper.push(char::MAX),
    }
    upper
}

macro_rules! define_queries {
    ($database:ty, insert_or_fail_transaction = $insert:literal) => {
        use std::collections::HashMap;

        use hospes_model::{AgencyId, PersonId, RecordId, Sha256Digest};
        use sqlx::{QueryBuilder, Row};
        use uuid::Uuid;

        use crate::queries::{INSERT_CHUNK_ROWS, LOOKUP_CHUNK, prefix_upper_bound};
        use hospes_model::Category;
        use hospes_vault::RecordVault;

        use crate::rows::{LEDGER_COLUMNS, LedgerRow, STORED_COLUMNS, STORED_JOINS, StoredRow};
        use crate::{
            AgencyKey, ChainHead, ExistingRecord, HeldRecord, LedgerEntry, NewPerson, RecordAssignment,
            RecordDestruction, ShareCodeRow, StoreCounts, StoreError, StoredRecord,
        };

        type Connection = <$database as sqlx::Database>::Connection;

        fn digest_column(seq: i64, column: &str, bytes: &[u8]) -> Result<Sha256Digest, StoreError> {
            Sha256Digest::from_slice(bytes).ok_or_else(|| StoreError::CorruptRow {
                seq,
                reason: format!("column {column} is not a SHA-256 digest"),
            })
        }

        pub async fn chain_head(connection: &mut Connection) -> Result<ChainHead, StoreError> {
            let row: Option<(i64, Vec<u8>)> = sqlx::query_as("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *connection)
                .await?;
            match row {
                None => Ok(ChainHead::GENESIS),
                Some((seq, hash)) => Ok(ChainHead {
                    seq,
                    hash: digest_column(seq, "hash", &hash)?,
                }),
            }
        }

        pub async fn existing_records(
            connection: &mut Connection,
            record_ids: &[RecordId],
        ) -> Result<HashMap<RecordId, ExistingRecord>, StoreError> {
            let mut found = HashMap::new();
            for chunk in record_ids.chunks(LOOKUP_CHUNK) {
                let mut query = QueryBuilder::<$database>::new(
                    "SELECT record_id, seq, submission_digest FROM ledger WHERE record_id IN (",
                );
                let mut list = query.separated(", ");
                for record_id in chunk {
                    list.push_bind(record_id.uuid());
                }
                query.push(")");
                let rows: Vec<(Uuid, i64, Option<Vec<u8>>)> = query.build_query_as().fetch_all(&mut *connection).await?;
                for (record_id, seq, submission_digest) in rows {
                    let submission_digest = submission_digest
                        .map(|bytes| digest_column(seq, "submission_digest", &bytes))
                        .transpose()?;
                    found.insert(RecordId::from_uuid(record_id), ExistingRecord { seq, submission_digest });
                }
            }
            Ok(found)
        }

        pub async fn append(connection: &mut Connection, entries: &[LedgerEntry]) -> Result<(), StoreError> {
            for chunk in entries.chunks(INSERT_CHUNK_ROWS) {
                let mut query = QueryBuilder::<$database>::new(format!("{} ledger ({LEDGER_COLUMNS}) ", $insert));
                query.push_values(chunk.iter().map(LedgerRow::from_entry), |mut row, entry| {
                    crate::rows::bind_ledger_row!(row, entry);
                });
                query.build().execute(&mut *connection).await?;
            }
            let keys: Vec<(i64, Vec<u8>)> = entries
                .iter()
                .filter_map(|entry| entry.wrapped_key.as_ref().map(|key| (entry.seq, key.to_bytes())))
                .collect();
            for chunk in keys.chunks(INSERT_CHUNK_ROWS) {
                let mut query = QueryBuilder::<$database>::new(format!("{} record_keys (seq, wrapped_key) ", $insert));
                query.push_values(chunk, |mut row, (seq, key)| {
                    row.push_bind(*seq).push_bind(key.clone());
                });
                query.build().execute(&mut *connection).await?;
            }
            Ok(())
        }

        pub async fn held_records(
            connection: &mut Connection,
            categories: &[Category],
            after_seq: i64,
            limit: i64,
        ) -> Result<Vec<HeldRecord>, StoreError> {
            if categories.is_empty() {
                return Ok(Vec::new());
            }
            let mut query = QueryBuilder::<$database>::new(format!(
                "SELECT {STORED_COLUMNS} FROM ledger l {STORED_JOINS} WHERE l.body IS NOT NULL AND l.seq > "
            ));
            query.push_bind(after_seq).push(" AND l.category IN (");
            let mut list = query.separated(", ");
            for category in categories {
                list.push_bind(category.as_str());
            }
            query.push(") ORDER BY l.seq LIMIT ").push_bind(limit);
            let rows: Vec<StoredRow> = query.build_query_as().fetch_all(&mut *connection).await?;
            rows.into_iter()
                .map(|row| {
                    Ok(HeldRecord { seq: row.ledger.seq, envelope: row.ledger.envelope()?, sealed: row.wrapped_key.is_some() })
                })
                .collect()
        }

        pub async fn destroy_bodies(
            connection: &mut Connection,
            destructions: &[RecordDestruction],
        ) -> Result<(), StoreError> {
            for destruction in destructions {
                sqlx::query("DELETE FROM record_keys WHERE seq = $1")
                    .bind(destruction.seq)
                    .execute(&mut *connection)
                    .await?;
                sqlx::query("UPDATE ledger SET body = NULL, body_salt = NULL, submission_digest = NULL WHERE seq = $1")
                    .bind(destruction.seq)
                    .execute(&mut *connection)
                    .await?;
                sqlx::query(
                    "INSERT INTO record_destructions (seq, expired_at, destroyed_at, rule) VALUES ($1, $2, $3, $4)",
                )
                .bind(destruction.seq)
                .bind(&destruction.expired_at)
                .bind(&destruction.destroyed_at)
                .bind(&destruction.rule)
                .execute(&mut *connection)
                .await?;
            }
            Ok(())
        }

        pub async fn append_system_record(
            connection: &mut Connection,
            new: &crate::system::NewSystemRecord,
        ) -> Result<crate::system::SystemRecord, StoreError> {
            let head: Option<(i64, Vec<u8>)> =
                sqlx::query_as("SELECT seq, hash FROM system_records ORDER BY seq DESC LIMIT 1")
                    .fetch_optional(&mut *connection)
                    .await?;
            let (previous_seq, previous_hash) = match head {
                None => (0, Sha256Digest::ZERO),
                Some((seq, hash)) => (seq, digest_column(seq, "system_records.hash", &hash)?),
            };
            let record_id = Uuid::new_v4();
            let created_at = new.created_at.to_string();
            let hash = crate::system::system_record_hash(
                previous_hash,
                record_id,
                new.kind,
                new.person_id,
                new.refers_to,
                &created_at,
                &new.body,
            )?;
            let body = String::from_utf8(
                hospes_model::canonical_json(&new.body)
                    .map_err(|error| StoreError::CorruptRow { seq: previous_seq + 1, reason: error.to_string() })?,
            )
            .map_err(|error| StoreError::CorruptRow { seq: previous_seq + 1, reason: error.to_string() })?;
            sqlx::query(
                "INSERT INTO system_records (seq, record_id, kind, person_id, refers_to, created_at, body, \
                 previous_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(previous_seq + 1)
            .bind(record_id)
            .bind(new.kind.as_str())
            .bind(new.person_id.uuid())
            .bind(new.refers_to)
            .bind(&created_at)
            .bind(&body)
            .bind(previous_hash.0.to_vec())
            .bind(hash.0.to_vec())
            .execute(&mut *connection)
            .await?;
            Ok(crate::system::SystemRecord {
                seq: previous_seq + 1,
                record_id,
                kind: new.kind,
                person_id: new.person_id,
                refers_to: new.refers_to,
                created_at,
                body: new.body.clone(),
                previous_hash,
                hash,
            })
        }

        pub async fn system_rows_after(
            connection: &mut Connection,
            after_seq: i64,
            limit: i64,
        ) -> Result<Vec<crate::system::SystemRow>, StoreError> {
            let mut query = QueryBuilder::<$database>::new(format!(
                "SELECT {} FROM system_records WHERE seq > ",
                crate::system::SYSTEM_COLUMNS
            ));
            query.push_bind(after_seq).push(" ORDER BY seq LIMIT ").push_bind(limit);
            Ok(query.build_query_as().fetch_all(&mut *connection).await?)
        }

        pub async fn system_records_where(
            connection: &mut Connection,
            condition: &str,
            value: Uuid,
        ) -> Result<Vec<crate::system::SystemRecord>, StoreError> {
            let mut query = QueryBuilder::<$database>::new(format!(
                "SELECT {} FROM system_records WHERE {condition} = ",
                crate::system::SYSTEM_COLUMNS
            ));
            query.push_bind(value).push(" ORDER BY seq");
            let rows: Vec<crate::system::SystemRow> = query.build_query_as().fetch_all(&mut *connection).await?;
            rows.into_iter().map(crate::system::SystemRow::into_record).collect()
        }

        pub async fn open_contests(
            connection: &mut Connection,
            limit: i64,
        ) -> Result<Vec<crate::system::SystemRecord>, StoreError> {
            let mut query = QueryBuilder::<$database>::new(format!(
                "SELECT {} FROM system_records c WHERE c.kind = 'contest' AND NOT EXISTS \
                 (SELECT 1 FROM system_records d WHERE d.kind = 'contest_decision' AND d.refers_to = c.record_id) \
                 ORDER BY c.seq LIMIT ",
                crate::system::SYSTEM_COLUMNS_OF_C
            ));
            query.push_bind(limit);
            let rows: Vec<crate::system::SystemRow> = query.build_query_as().fetch_all(&mut *connection).await?;
            rows.into_iter().map(crate::system::SystemRow::into_record).collect()
        }

        pub async fn insert_credential_revocation(
            connection: &mut Connection,
            subject: &str,
            revoked_at: &str,
        ) -> Result<(), StoreError> {
            sqlx::query("INSERT INTO credential_revocations (subject, revoked_at) VALUES ($1, $2)")
                .bind(subject)
                .bind(revoked_at)
                .execute(&mut *connection)
                .await?;
            Ok(())
        }

        pub async fn credential_revocations(connection: &mut Connection) -> Result<Vec<(String, String)>, StoreError> {
            Ok(sqlx::query_as("SELECT subject, revoked_at FROM credential_revocations ORDER BY revoked_at")
                .fetch_all(&mut *connection)
                .await?)
        }

        pub async fn resolved_seq(connection: &mut Connection) -> Result<i64, StoreError> {
            let (seq,): (i64,) = sqlx::query_as("SELECT resolved_seq FROM resolution_checkpoint WHERE singleton = 1")
                .fetch_one(&mut *connection)
                .await?;
            Ok(seq)
        }

        pub async fn ledger_rows_after(
            connection: &mut Connection,
            after_seq: i64,
            limit: i64,
        ) -> Result<Vec<LedgerRow>, StoreError> {
            let mut query = QueryBuilder::<$database>::new(format!("SELECT {LEDGER_COLUMNS} FROM ledger WHERE seq > "));
            query.push_bind(after_seq).push(" ORDER BY seq LIMIT ").push_bind(limit);
            Ok(query.build_query_as().fetch_all(&mut *connection).await?)
        }

        pub async fn records_after(
            connection: &mut Connection,
            vault: Option<&RecordVault>,
            after_seq: i64,
            limit: i64,
        ) -> Result<Vec<StoredRecord>, StoreError> {
            let mut query =
                QueryBuilder::<$database>::new(format!("SELECT {STORED_COLUMNS} FROM ledger l {STORED_JOINS} WHERE l.seq > "));
            query.push_bind(after_seq).push(" ORDER BY l.seq LIMIT ").push_bind(limit);
            let rows: Vec<StoredRow> = query.build_query_as().fetch_all(&mut *connection).await?;
            rows.into_iter().map(|row| row.into_stored(vault)).collect()
        }

        pub async fn persons_for_keys(
            connection: &mut Connection,
            keys: &[String],
        ) -> Result<HashMap<String, Vec<PersonId>>, StoreError> {
            let mut found: HashMap<String, Vec<PersonId>> = HashMap::new();
            for chunk in keys.chunks(LOOKUP_CHUNK) {
                let mut query =
                    QueryBuilder::<$database>::new("SELECT identity_key, person_id FROM identity_keys WHERE identity_key IN (");
                let mut list = query.separated(", ");
                for key in chunk {
                    list.push_bind(key.clone());
                }
                query.push(")");
                let rows: Vec<(String, Uuid)> = query.build_query_as().fetch_all(&mut *connection).await?;
                for (key, person_id) in rows {
                    found.entry(key).or_default().push(PersonId::from_uuid(person_id));
                }
            }
            for persons in found.values_mut() {
                persons.sort();
            }
            Ok(found)
        }

        pub async fn persons_for_records(
            connection: &mut Connection,
            record_ids: &[RecordId],
        ) -> Result<HashMap<RecordId, PersonId>, StoreError> {
            let mut found = HashMap::new();
            for chunk in record_ids.chunks(LOOKUP_CHUNK) {
                let mut query =
                    QueryBuilder::<$database>::new("SELECT l.record_id, p.person_id FROM ledger l JOIN person_records p ON p.seq = l.seq WHERE l.record_id IN (");
                let mut list = query.separated(", ");
                for record_id in chunk {
                    list.push_bind(record_id.uuid());
                }
                query.push(")");
                let rows: Vec<(Uuid, Uuid)> = query.build_query_as().fetch_all(&mut *connection).await?;
                for (record_id, person_id) in rows {
                    found.insert(RecordId::from_uuid(record_id), PersonId::from_uuid(person_id));
                }
            }
            Ok(found)
        }

        pub async fn insert_persons(connection: &mut Connection, persons: &[NewPerson]) -> Result<(), StoreError> {
            for chunk in persons.chunks(INSERT_CHUNK_ROWS) {
                let mut query = QueryBuilder::<$database>::new(concat!($insert, " persons (person_id, created_seq) "));
                query.push_values(chunk, |mut row, person| {
                    row.push_bind(person.person_id.uuid()).push_bind(person.created_seq);
                });
                query.build().execute(&mut *connection).await?;
            }
            Ok(())
        }

        pub async fn insert_identity_keys(
            connection: &mut Connection,
            keys: &[(String, PersonId)],
        ) -> Result<(), StoreError> {
            for chunk in keys.chunks(INSERT_CHUNK_ROWS) {
                let mut query = QueryBuilder::<$database>::new("INSERT INTO identity_keys (identity_key, person_id) ");
                query.push_values(chunk, |mut row, (key, person_id)| {
                    row.push_bind(key.clone()).push_bind(person_id.uuid());
                });
                query.push(" ON CONFLICT DO NOTHING");
                query.build().execute(&mut *connection).await?;
            }
            Ok(())
        }

        pub async fn assign_records(
            connection: &mut Connection,
            assignments: &[RecordAssignment],
        ) -> Result<(), StoreError> {
            for chunk in assignments.chunks(INSERT_CHUNK_ROWS) {
                let mut query = QueryBuilder::<$database>::new(concat!($insert, " person_records (person_id, seq) "));
                query.push_values(chunk, |mut row, assignment| {
                    row.push_bind(assignment.person_id.uuid()).push_bind(assignment.seq);
                });
                query.build().execute(&mut *connection).await?;
            }
            Ok(())
        }

        pub async fn set_resolved_seq(connection: &mut Connection, seq: i64) -> Result<(), StoreError> {
            sqlx::query("UPDATE resolution_checkpoint SET resolved_seq = $1 WHERE singleton = 1")
                .bind(seq)
                .execute(&mut *connection)
                .await?;
            Ok(())
        }

        pub async fn clear_resolution(connection: &mut Connection) -> Result<(), StoreError> {
            for statement in [
                "DELETE FROM person_records",
                "DELETE FROM identity_keys",
                "DELETE FROM identity_links",
                "DELETE FROM persons",
                "UPDATE resolution_checkpoint SET resolved_seq = 0 WHERE singleton = 1",
            ] {
                sqlx::query(statement).execute(&mut *connection).await?;
            }
            Ok(())
        }

        pub async fn record(
            connection: &mut Connection,
            vault: Option<&RecordVault>,
            record_id: RecordId,
        ) -> Result<Option<StoredRecord>, StoreError> {
            let mut query = QueryBuilder::<$database>::new(format!(
                "SELECT {STORED_COLUMNS} FROM ledger l {STORED_JOINS} WHERE l.record_id = "
            ));
            query.push_bind(record_id.uuid());
            let row: Option<StoredRow> = query.build_query_as().fetch_optional(&mut *connection).await?;
            row.map(|row| row.into_stored(vault)).transpose()
        }

        pub async fn person_exists(connection: &mut Connection, person_id: PersonId) -> Result<bool, StoreError> {
            let row: Option<(i64,)> = sqlx::query_as("SELECT created_seq FROM persons WHERE person_id = $1")
                .bind(person_id.uuid())
                .fetch_optional(&mut *connection)
                .await?;
            Ok(row.is_some())
        }

        pub async fn person_records(
            connection: &mut Connection,
            vault: Option<&RecordVault>,
            person_id: PersonId,
        ) -> Result<Vec<StoredRecord>, StoreError> {
            let mut query = QueryBuilder::<$database>::new(format!(
                "SELECT {STORED_COLUMNS} FROM person_records p JOIN ledger l ON l.seq = p.seq {STORED_JOINS} \
                 WHERE p.person_id = "
            ));
            query.push_bind(person_id.uuid()).push(" ORDER BY p.seq");
            let rows: Vec<StoredRow> = query.build_query_as().fetch_all(&mut *connection).await?;
            rows.into_iter().map(|row| row.into_stored(vault)).collect()
        }

        pub async fn records_of_persons_after(
            connection: &mut Connection,
            vault: Option<&RecordVault>,
            after: Option<PersonId>,
            persons: i64,
        ) -> Result<Vec<(PersonId, Vec<StoredRecord>)>, StoreError> {
            // One page of persons (by id), each with every record, in one statement: a full recompute
            // reads the store in id order instead of one query per person.
            let mut query = QueryBuilder::<$database>::new(format!(
                "SELECT p.person_id AS owner, {STORED_COLUMNS} FROM person_records p JOIN ledger l ON l.seq = p.seq \
                 {STORED_JOINS} WHERE p.person_id IN (SELECT person_id FROM persons WHERE person_id > "
            ));
            query
                .push_bind(after.map_or(Uuid::nil(), PersonId::uuid))
                .push(" ORDER BY person_id LIMIT ")
                .push_bind(persons)
                .push(") ORDER BY p.person_id, p.seq");
            let rows: Vec<(Uuid, StoredRow)> = query
                .build()
                .fetch_all(&mut *connection)
                .await?
                .into_iter()
                .map(|row| {
                    let owner: Uuid = row.try_get("owner")?;
                    let stored = <StoredRow as sqlx::FromRow<_>>::from_row(&row)?;
                    Ok::<_, sqlx::Error>((owner, stored))
                })
                .collect::<Result<_, _>>()?;
            let mut pages: Vec<(PersonId, Vec<StoredRecord>)> = Vec::new();
            for (owner, row) in rows {
                let owner = PersonId::from_uuid(owner);
                let record = row.into_stored(vault)?;
                match pages.last_mut() {
                    Some((person, records)) if *person == owner => records.push(record),
                    _ => pages.push((owner, vec![record])),
                }
            }
            Ok(pages)
        }

        pub async fn persons_with_key_prefix(
            connection: &mut Connection,
            prefix: &str,
            limit: i64,
        ) -> Result<Vec<PersonId>, StoreError> {
            let rows: Vec<(Uuid,)> = sqlx::query_as(
                "SELECT DISTINCT person_id FROM identity_keys WHERE identity_key >= $1 AND identity_key < $2 LIMIT $3",
            )
            .bind(prefix.to_owned())
            .bind(prefix_upper_bound(prefix))
            .bind(limit)
            .fetch_all(&mut *connection)
            .await?;
            let mut persons: Vec<PersonId> = rows.into_iter().map(|(id,)| PersonId::from_uuid(id)).collect();
            persons.sort();
            Ok(persons)
        }

        pub async fn person_of_record(connection: &mut Connection, record_id: RecordId) -> Result<Option<PersonId>, StoreError> {
            let row: Option<(Uuid,)> = sqlx::query_as(
                "SELECT p.person_id FROM ledger l JOIN person_records p ON p.seq = l.seq WHERE l.record_id = $1",
            )
                .bind(record_id.uuid())
                .fetch_optional(&mut *connection)
                .await?;
            Ok(row.map(|(id,)| PersonId::from_uuid(id)))
        }

        pub async fn counts(connection: &mut Connection) -> Result<StoreCounts, StoreError> {
            let head = chain_head(&mut *connection).await?;
            let (persons,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM persons").fetch_one(&mut *connection).await?;
            Ok(StoreCounts {
                records: head.seq,
                persons,
                resolved_seq: resolved_seq(connection).await?,
            })
        }

        fn agency_key_from_row(row: <$database as sqlx::Database>::Row) -> Result<AgencyKey, StoreError> {
            let key_id: String = row.try_get("key_id")?;
            let agency: String = row.try_get("agency")?;
            let secret: Vec<u8> = row.try_get("secret_sha256")?;
            let corrupt = |reason: String| StoreError::Database(sqlx::Error::Decode(reason.into()));
            Ok(AgencyKey {
                agency: AgencyId::parse(&agency).map_err(|error| corrupt(format!("agency key {key_id}: {error}")))?,
                secret_sha256: Sha256Digest::from_slice(&secret)
                    .ok_or_else(|| corrupt(format!("agency key {key_id}: secret_sha256 is not a digest")))?,
                label: row.try_get("label")?,
                created_at: row.try_get("created_at")?,
                revoked_at: row.try_get("revoked_at")?,
                key_id,
            })
        }

        pub async fn insert_agency_key(connection: &mut Connection, key: &AgencyKey) -> Result<(), StoreError> {
            sqlx::query(
                "INSERT INTO agency_api_keys (key_id, agency, secret_sha256, label, created_at, revoked_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(key.key_id.clone())
            .bind(key.agency.as_str().to_owned())
            .bind(key.secret_sha256.0.to_vec())
            .bind(key.label.clone())
            .bind(key.created_at.clone())
            .bind(key.revoked_at.clone())
            .execute(&mut *connection)
            .await?;
            Ok(())
        }

        pub async fn agency_key(connection: &mut Connection, key_id: &str) -> Result<Option<AgencyKey>, StoreError> {
            let row = sqlx::query("SELECT * FROM agency_api_keys WHERE key_id = $1")
                .bind(key_id.to_owned())
                .fetch_optional(&mut *connection)
                .await?;
            row.map(agency_key_from_row).transpose()
        }

        pub async fn agency_keys(connection: &mut Connection) -> Result<Vec<AgencyKey>, StoreError> {
            let rows = sqlx::query("SELECT * FROM agency_api_keys ORDER BY agency, created_at, key_id")
                .fetch_all(&mut *connection)
                .await?;
            rows.into_iter().map(agency_key_from_row).collect()
        }

        pub async fn revoke_agency_key(connection: &mut Connection, key_id: &str, revoked_at: &str) -> Result<bool, StoreError> {
            let result = sqlx::query("UPDATE agency_api_keys SET revoked_at = $2 WHERE key_id = $1 AND revoked_at IS NULL")
                .bind(key_id.to_owned())
                .bind(revoked_at.to_owned())
                .execute(&mut *connection)
                .await?;
            Ok(result.rows_affected() > 0)
        }

        fn share_code_from_row(row: <$database as sqlx::Database>::Row) -> Result<ShareCodeRow, StoreError> {
            let id: String = row.try_get("id")?;
            let hash: Vec<u8> = row.try_get("code_sha256")?;
            let person: Uuid = row.try_get("person_id")?;
            Ok(ShareCodeRow {
                code_sha256: Sha256Digest::from_slice(&hash).ok_or_else(|| {
                    StoreError::Database(sqlx::Error::Decode(format!("share code {id}: not a digest").into()))
                })?,
                person_id: PersonId::from_uuid(person),
                purpose: row.try_get("purpose")?,
                created_at: row.try_get("created_at")?,
                expires_at: row.try_get("expires_at")?,
                revoked_at: row.try_get("revoked_at")?,
                id,
            })
        }

        pub async fn insert_share_code(connection: &mut Connection, code: &ShareCodeRow) -> Result<(), StoreError> {
            sqlx::query(
                "INSERT INTO share_codes (code_sha256, id, person_id, purpose, created_at, expires_at, revoked_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(code.code_sha256.0.to_vec())
            .bind(code.id.clone())
            .bind(code.person_id.uuid())
            .bind(code.purpose.clone())
            .bind(code.created_at.clone())
            .bind(code.expires_at.clone())
            .bind(code.revoked_at.clone())
            .execute(&mut *connection)
            .await?;
            Ok(())
        }

        pub async fn share_code(connection: &mut Connection, code_sha256: &Sha256Digest) -> Result<Option<ShareCodeRow>, StoreError> {
            let row = sqlx::query("SELECT * FROM share_codes WHERE code_sha256 = $1")
                .bind(code_sha256.0.to_vec())
                .fetch_optional(&mut *connection)
                .await?;
            row.map(share_code_from_row).transpose()
        }

        pub async fn share_codes_of(connection: &mut Connection, person_id: PersonId) -> Result<Vec<ShareCodeRow>, StoreError> {
            let rows = sqlx::query("SELECT * FROM share_codes WHERE person_id = $1 ORDER BY created_at DESC, id")
                .bind(person_id.uuid())
                .fetch_all(&mut *connection)
                .await?;
            rows.into_iter().map(share_code_from_row).collect()
        }

        pub async fn revoke_share_code(
            connection: &mut Connection,
            person_id: PersonId,
            id: &str,
            revoked_at: &str,
        ) -> Result<bool, StoreError> {
            let result = sqlx::query(
                "UPDATE share_codes SET revoked_at = $3 WHERE person_id = $1 AND id = $2 AND revoked_at IS NULL",
            )
            .bind(person_id.uuid())
            .bind(id.to_owned())
            .bind(revoked_at.to_owned())
            .execute(&mut *connection)
            .await?;
            Ok(result.rows_affected() > 0)
        }
    };
}

pub(crate) use define_queries;

/// Implements [`crate::WriteTransaction`] for a backend's transaction type by delegating to its queries.
macro_rules! delegate_write_transaction {
    ($transaction:ty) => {
        #[async_trait::async_trait]
        impl crate::WriteTransaction for $transaction {
            async fn chain_head(&mut self) -> Result<crate::ChainHead, crate::StoreError> {
                queries::chain_head(&mut self.transaction).await
            }
            async fn existing_records(
                &mut self,
                record_ids: &[hospes_model::RecordId],
            ) -> Result<std::collections::HashMap<hospes_model::RecordId, crate::ExistingRecord>, crate::StoreError>
            {
                queries::existing_records(&mut self.transaction, record_ids).await
            }
            async fn append(&mut self, entries: &[crate::LedgerEntry]) -> Result<(), crate::StoreError> {
                queries::append(&mut self.transaction, entries).await
            }
            async fn resolved_seq(&mut self) -> Result<i64, crate::StoreError> {
                queries::resolved_seq(&mut self.transaction).await
            }
            async fn records_after(
                &mut self,
                after_seq: i64,
                limit: i64,
            ) -> Result<Vec<crate::StoredRecord>, crate::StoreError> {
                queries::records_after(&mut self.transaction, self.vault.as_deref(), after_seq, limit).await
            }
            async fn persons_for_keys(
                &mut self,
                keys: &[String],
            ) -> Result<std::collections::HashMap<String, Vec<hospes_model::PersonId>>, crate::StoreError> {
                queries::persons_for_keys(&mut self.transaction, keys).await
            }
            async fn persons_for_records(
                &mut self,
                record_ids: &[hospes_model::RecordId],
            ) -> Result<std::collections::HashMap<hospes_model::RecordId, hospes_model::PersonId>, crate::StoreError>
            {
                queries::persons_for_records(&mut self.transaction, record_ids).await
            }
            async fn insert_persons(&mut self, persons: &[crate::NewPerson]) -> Result<(), crate::StoreError> {
                queries::insert_persons(&mut self.transaction, persons).await
            }
            async fn insert_identity_links(
                &mut self,
                links: &[crate::links::IdentityLink],
            ) -> Result<(), crate::StoreError> {
                queries::insert_identity_links(&mut self.transaction, links).await
            }
            async fn decide_identity_link(
                &mut self,
                link_id: uuid::Uuid,
                outcome: crate::links::LinkOutcome,
                decision_id: uuid::Uuid,
            ) -> Result<bool, crate::StoreError> {
                queries::decide_identity_link(&mut self.transaction, link_id, outcome, decision_id).await
            }
            async fn merge_persons(
                &mut self,
                vanishing: hospes_model::PersonId,
                survivor: hospes_model::PersonId,
                at: &str,
                reason: &str,
            ) -> Result<(), crate::StoreError> {
                queries::merge_persons(&mut self.transaction, vanishing, survivor, at, reason).await
            }
            async fn move_records(
                &mut self,
                record_ids: &[hospes_model::RecordId],
                to: hospes_model::PersonId,
            ) -> Result<u64, crate::StoreError> {
                queries::move_records(&mut self.transaction, record_ids, to).await
            }
            async fn insert_redirects(
                &mut self,
                redirects: &[crate::links::PersonRedirect],
            ) -> Result<(), crate::StoreError> {
                queries::insert_redirects(&mut self.transaction, redirects).await
            }
            async fn identity_link_in_transaction(
                &mut self,
                link_id: uuid::Uuid,
            ) -> Result<Option<crate::links::IdentityLink>, crate::StoreError> {
                queries::identity_link(&mut self.transaction, link_id).await
            }
            async fn insert_identity_keys(
                &mut self,
                keys: &[(String, hospes_model::PersonId)],
            ) -> Result<(), crate::StoreError> {
                queries::insert_identity_keys(&mut self.transaction, keys).await
            }
            async fn assign_records(
                &mut self,
                assignments: &[crate::RecordAssignment],
            ) -> Result<(), crate::StoreError> {
                queries::assign_records(&mut self.transaction, assignments).await
            }
            async fn set_resolved_seq(&mut self, seq: i64) -> Result<(), crate::StoreError> {
                queries::set_resolved_seq(&mut self.transaction, seq).await
            }
            async fn clear_resolution(&mut self) -> Result<(), crate::StoreError> {
                queries::clear_resolution(&mut self.transaction).await
            }
            fn vault(&self) -> Option<&hospes_vault::RecordVault> {
                self.vault.as_deref()
            }
            async fn held_records(
                &mut self,
                categories: &[hospes_model::Category],
                after_seq: i64,
                limit: i64,
            ) -> Result<Vec<crate::HeldRecord>, crate::StoreError> {
                queries::held_records(&mut self.transaction, categories, after_seq, limit).await
            }
            async fn destroy_bodies(
                &mut self,
                destructions: &[crate::RecordDestruction],
            ) -> Result<(), crate::StoreError> {
                queries::destroy_bodies(&mut self.transaction, destructions).await
            }
            async fn append_system_record(
                &mut self,
                record: &crate::system::NewSystemRecord,
            ) -> Result<crate::system::SystemRecord, crate::StoreError> {
                queries::append_system_record(&mut self.transaction, record).await
            }
            async fn commit(self: Box<Self>) -> Result<(), crate::StoreError> {
                self.transaction.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use delegate_write_transaction;

/// Implements [`crate::Store`] for a backend by delegating reads to its queries. The backend provides
/// `open_write_transaction` (how it takes the write lock) and the `reader` and `writer` pools. A macro
/// produces the whole impl block because `async_trait` must see every method.
macro_rules! delegate_store {
    ($store:ty, $backend:expr) => {
        #[async_trait::async_trait]
        impl crate::Store for $store {
            fn backend(&self) -> crate::Backend {
                $backend
            }
            async fn begin_write(&self) -> Result<Box<dyn crate::WriteTransaction>, crate::StoreError> {
                self.open_write_transaction().await
            }
            async fn chain_head(&self) -> Result<crate::ChainHead, crate::StoreError> {
                queries::chain_head(&mut *self.reader.acquire().await?).await
            }
            async fn ledger_rows_after(
                &self,
                after_seq: i64,
                limit: i64,
            ) -> Result<Vec<crate::LedgerRow>, crate::StoreError> {
                queries::ledger_rows_after(&mut *self.reader.acquire().await?, after_seq, limit).await
            }
            async fn record(
                &self,
                record_id: hospes_model::RecordId,
            ) -> Result<Option<crate::StoredRecord>, crate::StoreError> {
                queries::record(&mut *self.reader.acquire().await?, self.vault.as_deref(), record_id).await
            }
            async fn person_exists(&self, person_id: hospes_model::PersonId) -> Result<bool, crate::StoreError> {
                queries::person_exists(&mut *self.reader.acquire().await?, person_id).await
            }
            async fn person_records(
                &self,
                person_id: hospes_model::PersonId,
            ) -> Result<Vec<crate::StoredRecord>, crate::StoreError> {
                queries::person_records(&mut *self.reader.acquire().await?, self.vault.as_deref(), person_id).await
            }
            async fn records_of_persons_after(
                &self,
                after: Option<hospes_model::PersonId>,
                persons: i64,
            ) -> Result<Vec<(hospes_model::PersonId, Vec<crate::StoredRecord>)>, crate::StoreError> {
                queries::records_of_persons_after(
                    &mut *self.reader.acquire().await?,
                    self.vault.as_deref(),
                    after,
                    persons,
                )
                .await
            }
            async fn persons_with_key_prefix(
                &self,
                prefix: &str,
                limit: i64,
            ) -> Result<Vec<hospes_model::PersonId>, crate::StoreError> {
                queries::persons_with_key_prefix(&mut *self.reader.acquire().await?, prefix, limit).await
            }
            async fn person_of_record(
                &self,
                record_id: hospes_model::RecordId,
            ) -> Result<Option<hospes_model::PersonId>, crate::StoreError> {
                queries::person_of_record(&mut *self.reader.acquire().await?, record_id).await
            }
            async fn persons_for_records(
                &self,
                record_ids: &[hospes_model::RecordId],
            ) -> Result<std::collections::HashMap<hospes_model::RecordId, hospes_model::PersonId>, crate::StoreError>
            {
                queries::persons_for_records(&mut *self.reader.acquire().await?, record_ids).await
            }
            async fn counts(&self) -> Result<crate::StoreCounts, crate::StoreError> {
                queries::counts(&mut *self.reader.acquire().await?).await
            }
            async fn insert_agency_key(&self, key: &crate::AgencyKey) -> Result<(), crate::StoreError> {
                queries::insert_agency_key(&mut *self.writer.acquire().await?, key).await
            }
            async fn agency_key(&self, key_id: &str) -> Result<Option<crate::AgencyKey>, crate::StoreError> {
                queries::agency_key(&mut *self.reader.acquire().await?, key_id).await
            }
            async fn agency_keys(&self) -> Result<Vec<crate::AgencyKey>, crate::StoreError> {
                queries::agency_keys(&mut *self.reader.acquire().await?).await
            }
            async fn revoke_agency_key(&self, key_id: &str, revoked_at: &str) -> Result<bool, crate::StoreError> {
                queries::revoke_agency_key(&mut *self.writer.acquire().await?, key_id, revoked_at).await
            }
            async fn system_rows_after(
                &self,
                after_seq: i64,
                limit: i64,
            ) -> Result<Vec<crate::system::SystemRow>, crate::StoreError> {
                queries::system_rows_after(&mut *self.reader.acquire().await?, after_seq, limit).await
            }
            async fn system_records_of_person(
                &self,
                person_id: hospes_model::PersonId,
            ) -> Result<Vec<crate::system::SystemRecord>, crate::StoreError> {
                queries::system_records_where(&mut *self.reader.acquire().await?, "person_id", person_id.uuid()).await
            }
            async fn system_record(
                &self,
                record_id: uuid::Uuid,
            ) -> Result<Option<crate::system::SystemRecord>, crate::StoreError> {
                Ok(queries::system_records_where(&mut *self.reader.acquire().await?, "record_id", record_id)
                    .await?
                    .into_iter()
                    .next())
            }
            async fn open_contests(&self, limit: i64) -> Result<Vec<crate::system::SystemRecord>, crate::StoreError> {
                queries::open_contests(&mut *self.reader.acquire().await?, limit).await
            }
            async fn identity_links(
                &self,
                filter: crate::links::LinkFilter,
            ) -> Result<Vec<crate::links::IdentityLink>, crate::StoreError> {
                queries::identity_links(&mut *self.reader.acquire().await?, filter).await
            }
            async fn identity_link(
                &self,
                link_id: uuid::Uuid,
            ) -> Result<Option<crate::links::IdentityLink>, crate::StoreError> {
                queries::identity_link(&mut *self.reader.acquire().await?, link_id).await
            }
            async fn redirect_of(
                &self,
                person_id: hospes_model::PersonId,
            ) -> Result<Option<crate::links::PersonRedirect>, crate::StoreError> {
                queries::redirect_of(&mut *self.reader.acquire().await?, person_id).await
            }
            async fn insert_share_code(&self, code: &crate::ShareCodeRow) -> Result<(), crate::StoreError> {
                queries::insert_share_code(&mut *self.writer.acquire().await?, code).await
            }
            async fn share_code(
                &self,
                code_sha256: &hospes_model::Sha256Digest,
            ) -> Result<Option<crate::ShareCodeRow>, crate::StoreError> {
                queries::share_code(&mut *self.reader.acquire().await?, code_sha256).await
            }
            async fn share_codes_of(
                &self,
                person_id: hospes_model::PersonId,
            ) -> Result<Vec<crate::ShareCodeRow>, crate::StoreError> {
                queries::share_codes_of(&mut *self.reader.acquire().await?, person_id).await
            }
            async fn revoke_share_code(
                &self,
                person_id: hospes_model::PersonId,
                id: &str,
                revoked_at: &str,
            ) -> Result<bool, crate::StoreError> {
                queries::revoke_share_code(&mut *self.writer.acquire().await?, person_id, id, revoked_at).await
            }
            async fn insert_credential_revocation(
                &self,
                subject: &str,
                revoked_at: &str,
            ) -> Result<(), crate::StoreError> {
                queries::insert_credential_revocation(&mut *self.writer.acquire().await?, subject, revoked_at).await
            }
            async fn credential_revocations(&self) -> Result<Vec<(String, String)>, crate::StoreError> {
                queries::credential_revocations(&mut *self.reader.acquire().await?).await
            }
            async fn insert_lost_stolen_documents(
                &self,
                documents: &[crate::border::LostStolenDocument],
                imported_at: &str,
            ) -> Result<u64, crate::StoreError> {
                border_queries::insert_lost_stolen_documents(&self.writer, documents, imported_at).await
            }
            async fn lost_stolen_documents_numbered(
                &self,
                numbers: &[String],
            ) -> Result<Vec<crate::border::LostStolenDocument>, crate::StoreError> {
                border_queries::lost_stolen_documents_numbered(&mut *self.reader.acquire().await?, numbers).await
            }
            async fn lost_stolen_count(&self) -> Result<i64, crate::StoreError> {
                border_queries::lost_stolen_count(&mut *self.reader.acquire().await?).await
            }
            async fn insert_pre_arrival_application(
                &self,
                application: &crate::border::PreArrivalRow,
            ) -> Result<(), crate::StoreError> {
                border_queries::insert_pre_arrival_application(&mut *self.writer.acquire().await?, application).await
            }
            async fn pre_arrival_application(
                &self,
                application_id: &str,
            ) -> Result<Option<crate::border::PreArrivalRow>, crate::StoreError> {
                border_queries::pre_arrival_application(&mut *self.reader.acquire().await?, application_id).await
            }
            async fn pre_arrival_applications_for_document(
                &self,
                document_number: &str,
                birth_date: &str,
                limit: i64,
            ) -> Result<Vec<crate::border::PreArrivalRow>, crate::StoreError> {
                border_queries::pre_arrival_applications_for_document(
                    &mut *self.reader.acquire().await?,
                    document_number,
                    birth_date,
                    limit,
                )
                .await
            }
            async fn scrub_destroyed(&self) -> Result<(), crate::StoreError> {
                self.scrub().await
            }
        }
    };
}

pub(crate) use delegate_store;
