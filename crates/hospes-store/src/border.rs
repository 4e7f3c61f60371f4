//! Border control's own tables: pre-arrival applications with the outcome of their checks, and the
//! list of lost and stolen travel documents.
//!
//! Neither is a record of an agency (those go through the ledger): an application is what a traveller
//! asks before a record exists, and the lost/stolen list is a reference list that is replaced and
//! extended as reports arrive. Both are kept beside the ledger, on both backends.

use hospes_model::PersonId;

/// Rows per multi-row INSERT of lost and stolen documents (6 columns each).
pub(crate) const LOST_STOLEN_CHUNK_ROWS: usize = 1000;

/// A travel document reported lost, stolen or revoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostStolenDocument {
    /// The document number as printed (upper case, no filler).
    pub document_number: String,
    /// ISO 3166-1 alpha-3 code of the issuing state (ICAO).
    pub issuing_country: String,
    /// `passport`, `travel_document`, `identity_card`, `residence_card`, …
    pub document_type: String,
    /// The day it was reported, `YYYY-MM-DD`.
    pub reported_on: String,
    /// Who reported it: an issuing state, Interpol, a police force.
    pub source: String,
}

/// A pre-arrival application as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreArrivalRow {
    /// A UUID.
    pub application_id: String,
    /// The person the document and birth date resolved to when it was submitted, if any.
    pub person_id: Option<PersonId>,
    pub document_country: String,
    pub document_number: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// RFC 3339.
    pub submitted_at: String,
    /// The token subject that submitted it.
    pub submitted_by: String,
    /// `clear` or `refer`.
    pub outcome: String,
    /// The application as submitted (JSON).
    pub application: String,
    /// The reasons of the outcome (a JSON list).
    pub reasons: String,
}

/// Stamps the border queries out for one backend (`$n` placeholders and `ON CONFLICT DO NOTHING`
/// work in both SQLite and PostgreSQL).
macro_rules! define_border_queries {
    ($database:ty) => {
        use hospes_model::PersonId;
        use sqlx::{QueryBuilder, Row};
        use uuid::Uuid;

        use crate::StoreError;
        use crate::border::{LOST_STOLEN_CHUNK_ROWS, LostStolenDocument, PreArrivalRow};

        type Connection = <$database as sqlx::Database>::Connection;

        /// Inserts every document in one transaction; returns how many were new.
        pub async fn insert_lost_stolen_documents(
            pool: &sqlx::Pool<$database>,
            documents: &[LostStolenDocument],
            imported_at: &str,
        ) -> Result<u64, StoreError> {
            let mut transaction = pool.begin().await?;
            let mut inserted = 0;
            for chunk in documents.chunks(LOST_STOLEN_CHUNK_ROWS) {
                let mut query: QueryBuilder<$database> = QueryBuilder::new(
                    "INSERT INTO lost_stolen_documents \
                     (document_number, issuing_country, document_type, reported_on, source, imported_at) ",
                );
                query.push_values(chunk, |mut row, document| {
                    row.push_bind(document.document_number.clone())
                        .push_bind(document.issuing_country.clone())
                        .push_bind(document.document_type.clone())
                        .push_bind(document.reported_on.clone())
                        .push_bind(document.source.clone())
                        .push_bind(imported_at.to_owned());
                });
                query.push(" ON CONFLICT DO NOTHING");
                inserted += query.build().execute(&mut *transaction).await?.rows_affected();
            }
            transaction.commit().await?;
            Ok(inserted)
        }

        /// The listed documents with one of these numbers (any issuing state).
        pub async fn lost_stolen_documents_numbered(
            connection: &mut Connection,
            numbers: &[String],
        ) -> Result<Vec<LostStolenDocument>, StoreError> {
            if numbers.is_empty() {
                return Ok(Vec::new());
            }
            let mut query: QueryBuilder<$database> = QueryBuilder::new(
                "SELECT document_number, issuing_country, document_type, reported_on, source \
                 FROM lost_stolen_documents WHERE document_number IN (",
            );
            let mut separated = query.separated(", ");
            for number in numbers {
                separated.push_bind(number.clone());
            }
            query.push(") ORDER BY document_number, issuing_country");
            let rows: Vec<(String, String, String, String, String)> =
                query.build_query_as().fetch_all(&mut *connection).await?;
            Ok(rows
                .into_iter()
                .map(|(document_number, issuing_country, document_type, reported_on, source)| LostStolenDocument {
                    document_number,
                    issuing_country,
                    document_type,
                    reported_on,
                    source,
                })
                .collect())
        }

        pub async fn lost_stolen_count(connection: &mut Connection) -> Result<i64, StoreError> {
            let (count,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM lost_stolen_documents").fetch_one(&mut *connection).await?;
            Ok(count)
        }

        pub async fn insert_pre_arrival_application(
            connection: &mut Connection,
            application: &PreArrivalRow,
        ) -> Result<(), StoreError> {
            sqlx::query(
                "INSERT INTO pre_arrival_applications (application_id, person_id, document_country, \
                 document_number, birth_date, submitted_at, submitted_by, outcome, application, reasons) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(application.application_id.clone())
            .bind(application.person_id.map(|person| person.uuid()))
            .bind(application.document_country.clone())
            .bind(application.document_number.clone())
            .bind(application.birth_date.clone())
            .bind(application.submitted_at.clone())
            .bind(application.submitted_by.clone())
            .bind(application.outcome.clone())
            .bind(application.application.clone())
            .bind(application.reasons.clone())
            .execute(&mut *connection)
            .await?;
            Ok(())
        }

        fn pre_arrival_from_row(row: <$database as sqlx::Database>::Row) -> Result<PreArrivalRow, StoreError> {
            let person: Option<Uuid> = row.try_get("person_id")?;
            Ok(PreArrivalRow {
                application_id: row.try_get("application_id")?,
                person_id: person.map(PersonId::from_uuid),
                document_country: row.try_get("document_country")?,
                document_number: row.try_get("document_number")?,
                birth_date: row.try_get("birth_date")?,
                submitted_at: row.try_get("submitted_at")?,
                submitted_by: row.try_get("submitted_by")?,
                outcome: row.try_get("outcome")?,
                application: row.try_get("application")?,
                reasons: row.try_get("reasons")?,
            })
        }

        pub async fn pre_arrival_application(
            connection: &mut Connection,
            application_id: &str,
        ) -> Result<Option<PreArrivalRow>, StoreError> {
            let row = sqlx::query("SELECT * FROM pre_arrival_applications WHERE application_id = $1")
                .bind(application_id.to_owned())
                .fetch_optional(&mut *connection)
                .await?;
            row.map(pre_arrival_from_row).transpose()
        }

        pub async fn pre_arrival_applications_for_document(
            connection: &mut Connection,
            document_number: &str,
            birth_date: &str,
            limit: i64,
        ) -> Result<Vec<PreArrivalRow>, StoreError> {
            let rows = sqlx::query(
                "SELECT * FROM pre_arrival_applications WHERE document_number = $1 AND birth_date = $2 \
                 ORDER BY submitted_at DESC, application_id LIMIT $3",
            )
            .bind(document_number.to_owned())
            .bind(birth_date.to_owned())
            .bind(limit)
            .fetch_all(&mut *connection)
            .await?;
            rows.into_iter().map(pre_arrival_from_row).collect()
        }
    };
}

pub(crate) use define_border_queries;
