//! Identity links and person redirects: what resolution could not settle alone, and where a person
//! id that disappeared in a merge now leads.
//!
//! Links are derived (resolution raises them and a rebuild raises them again, under the same ids);
//! an officer's decision on one is a system record (`identity_link_decision`) and the link's
//! `outcome` caches it. Redirects survive rebuilds: a person id once given out keeps leading
//! somewhere.

use hospes_model::{PersonId, RecordId};
use serde::Serialize;
use uuid::Uuid;

use crate::StoreError;

/// Why two persons were linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// Perhaps one human, perhaps two: the evidence is between the thresholds.
    Review,
    /// The same document (or biometrics) behind identities that otherwise differ.
    SuspectedFraud,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Review => "review",
            Self::SuspectedFraud => "suspected_fraud",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "review" => Some(Self::Review),
            "suspected_fraud" => Some(Self::SuspectedFraud),
            _ => None,
        }
    }
}

/// An officer's decision on a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkOutcome {
    /// One human: the two persons are merged.
    Same,
    /// Two humans: they stay apart, and resolution will not join them.
    Different,
}

impl LinkOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Same => "same",
            Self::Different => "different",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "same" => Some(Self::Same),
            "different" => Some(Self::Different),
            _ => None,
        }
    }
}

/// An identity link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdentityLink {
    pub link_id: Uuid,
    pub kind: LinkKind,
    /// A record of the person already known when the link was raised.
    pub left_record: RecordId,
    /// The record being resolved when the link was raised.
    pub right_record: RecordId,
    pub left_person: PersonId,
    pub right_person: PersonId,
    /// Log2 odds of the two records being about one person.
    pub match_weight: f64,
    /// Why, in words.
    pub reason: String,
    /// The ledger position of the right record.
    pub created_seq: i64,
    pub created_at: String,
    /// The officer's decision, once made.
    pub outcome: Option<LinkOutcome>,
    /// The system record of the decision.
    pub decision_id: Option<Uuid>,
}

impl IdentityLink {
    /// The id of the link between two records: the same on every rebuild, so that a decision keeps
    /// its link.
    pub fn id_for(left_record: RecordId, right_record: RecordId) -> Uuid {
        const NAMESPACE: Uuid = Uuid::from_u128(0x6c69_6e6b_2d68_6f73_7065_732d_6964_0001);
        let mut name = [0u8; 32];
        name[..16].copy_from_slice(left_record.uuid().as_bytes());
        name[16..].copy_from_slice(right_record.uuid().as_bytes());
        Uuid::new_v5(&NAMESPACE, &name)
    }
}

/// Which links to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LinkFilter {
    /// Only links without a decision.
    pub open_only: bool,
    /// Only links touching this person.
    pub person: Option<PersonId>,
    /// Only links raised after this ledger position (for paging).
    pub after_seq: i64,
    pub limit: i64,
}

/// Where a vanished person id leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonRedirect {
    pub person_id: PersonId,
    pub survivor: PersonId,
    pub redirected_at: String,
    pub reason: String,
}

/// One row of `identity_links`, column for column.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRow {
    pub link_id: Uuid,
    pub kind: String,
    pub left_record: Uuid,
    pub right_record: Uuid,
    pub left_person: Uuid,
    pub right_person: Uuid,
    pub match_weight: f64,
    pub reason: String,
    pub created_seq: i64,
    pub created_at: String,
    pub outcome: Option<String>,
    pub decision_id: Option<Uuid>,
}

/// The columns of [`LinkRow`], for SELECTs.
pub const LINK_COLUMNS: &str = "link_id, kind, left_record, right_record, left_person, right_person, match_weight, \
                                reason, created_seq, created_at, outcome, decision_id";

impl LinkRow {
    pub fn into_link(self) -> Result<IdentityLink, StoreError> {
        let corrupt = |reason: String| StoreError::CorruptRow {
            seq: self.created_seq,
            reason: format!("identity link {}: {reason}", self.link_id),
        };
        let kind = LinkKind::parse(&self.kind).ok_or_else(|| corrupt(format!("unknown kind '{}'", self.kind)))?;
        let outcome = match &self.outcome {
            None => None,
            Some(text) => Some(LinkOutcome::parse(text).ok_or_else(|| corrupt(format!("unknown outcome '{text}'")))?),
        };
        Ok(IdentityLink {
            link_id: self.link_id,
            kind,
            left_record: RecordId::from_uuid(self.left_record),
            right_record: RecordId::from_uuid(self.right_record),
            left_person: PersonId::from_uuid(self.left_person),
            right_person: PersonId::from_uuid(self.right_person),
            match_weight: self.match_weight,
            reason: self.reason,
            created_seq: self.created_seq,
            created_at: self.created_at,
            outcome,
            decision_id: self.decision_id,
        })
    }
}

/// The link queries, stamped out once per backend like [`crate::queries`].
macro_rules! define_link_queries {
    ($database:ty) => {
        use crate::links::{IdentityLink, LINK_COLUMNS, LinkFilter, LinkOutcome, LinkRow, PersonRedirect};

        pub async fn insert_identity_links(
            connection: &mut Connection,
            links: &[IdentityLink],
        ) -> Result<(), StoreError> {
            for chunk in links.chunks(500) {
                let mut query = QueryBuilder::<$database>::new(format!("INSERT INTO identity_links ({LINK_COLUMNS}) "));
                query.push_values(chunk, |mut row, link| {
                    row.push_bind(link.link_id)
                        .push_bind(link.kind.as_str())
                        .push_bind(link.left_record.uuid())
                        .push_bind(link.right_record.uuid())
                        .push_bind(link.left_person.uuid())
                        .push_bind(link.right_person.uuid())
                        .push_bind(link.match_weight)
                        .push_bind(link.reason.clone())
                        .push_bind(link.created_seq)
                        .push_bind(link.created_at.clone())
                        .push_bind(link.outcome.map(LinkOutcome::as_str))
                        .push_bind(link.decision_id);
                });
                query.push(" ON CONFLICT (link_id) DO NOTHING");
                query.build().execute(&mut *connection).await?;
            }
            Ok(())
        }

        pub async fn decide_identity_link(
            connection: &mut Connection,
            link_id: Uuid,
            outcome: LinkOutcome,
            decision_id: Uuid,
        ) -> Result<bool, StoreError> {
            let result = sqlx::query(
                "UPDATE identity_links SET outcome = $2, decision_id = $3 WHERE link_id = $1 AND outcome IS NULL",
            )
            .bind(link_id)
            .bind(outcome.as_str())
            .bind(decision_id)
            .execute(&mut *connection)
            .await?;
            Ok(result.rows_affected() > 0)
        }

        pub async fn merge_persons(
            connection: &mut Connection,
            vanishing: PersonId,
            survivor: PersonId,
            at: &str,
            reason: &str,
        ) -> Result<(), StoreError> {
            let (from, into) = (vanishing.uuid(), survivor.uuid());
            sqlx::query("UPDATE person_records SET person_id = $2 WHERE person_id = $1")
                .bind(from)
                .bind(into)
                .execute(&mut *connection)
                .await?;
            sqlx::query(
                "INSERT INTO identity_keys (identity_key, person_id) SELECT identity_key, $2 FROM identity_keys \
                 WHERE person_id = $1 ON CONFLICT DO NOTHING",
            )
            .bind(from)
            .bind(into)
            .execute(&mut *connection)
            .await?;
            for statement in [
                "DELETE FROM identity_keys WHERE person_id = $1",
                "DELETE FROM persons WHERE person_id = $1",
                // Earlier redirects to the vanishing id now lead straight to the survivor.
                "UPDATE person_redirects SET survivor = $2 WHERE survivor = $1",
                "UPDATE identity_links SET left_person = $2 WHERE left_person = $1",
                "UPDATE identity_links SET right_person = $2 WHERE right_person = $1",
            ] {
                sqlx::query(statement).bind(from).bind(into).execute(&mut *connection).await?;
            }
            sqlx::query(
                "INSERT INTO person_redirects (person_id, survivor, redirected_at, reason) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (person_id) DO UPDATE SET survivor = $2, redirected_at = $3, reason = $4",
            )
            .bind(from)
            .bind(into)
            .bind(at.to_owned())
            .bind(reason.to_owned())
            .execute(&mut *connection)
            .await?;
            Ok(())
        }

        pub async fn move_records(
            connection: &mut Connection,
            record_ids: &[RecordId],
            to: PersonId,
        ) -> Result<u64, StoreError> {
            let mut moved = 0;
            for chunk in record_ids.chunks(LOOKUP_CHUNK) {
                let mut query = QueryBuilder::<$database>::new("UPDATE person_records SET person_id = ");
                query.push_bind(to.uuid()).push(" WHERE seq IN (SELECT seq FROM ledger WHERE record_id IN (");
                let mut list = query.separated(", ");
                for record_id in chunk {
                    list.push_bind(record_id.uuid());
                }
                query.push("))");
                moved += query.build().execute(&mut *connection).await?.rows_affected();
            }
            Ok(moved)
        }

        pub async fn insert_redirects(
            connection: &mut Connection,
            redirects: &[PersonRedirect],
        ) -> Result<(), StoreError> {
            for redirect in redirects {
                sqlx::query(
                    "INSERT INTO person_redirects (person_id, survivor, redirected_at, reason) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (person_id) DO UPDATE SET survivor = $2, redirected_at = $3, reason = $4",
                )
                .bind(redirect.person_id.uuid())
                .bind(redirect.survivor.uuid())
                .bind(redirect.redirected_at.clone())
                .bind(redirect.reason.clone())
                .execute(&mut *connection)
                .await?;
            }
            // A person id that exists again is no longer redirected.
            sqlx::query("DELETE FROM person_redirects WHERE person_id IN (SELECT person_id FROM persons)")
                .execute(&mut *connection)
                .await?;
            Ok(())
        }

        pub async fn identity_links(
            connection: &mut Connection,
            filter: LinkFilter,
        ) -> Result<Vec<IdentityLink>, StoreError> {
            let mut query = QueryBuilder::<$database>::new(format!(
                "SELECT {LINK_COLUMNS} FROM identity_links WHERE created_seq > "
            ));
            query.push_bind(filter.after_seq);
            if filter.open_only {
                query.push(" AND outcome IS NULL");
            }
            if let Some(person) = filter.person {
                query
                    .push(" AND (left_person = ")
                    .push_bind(person.uuid())
                    .push(" OR right_person = ")
                    .push_bind(person.uuid())
                    .push(")");
            }
            query.push(" ORDER BY created_seq, link_id LIMIT ").push_bind(filter.limit);
            let rows: Vec<LinkRow> = query.build_query_as().fetch_all(&mut *connection).await?;
            rows.into_iter().map(LinkRow::into_link).collect()
        }

        pub async fn identity_link(
            connection: &mut Connection,
            link_id: Uuid,
        ) -> Result<Option<IdentityLink>, StoreError> {
            let mut query =
                QueryBuilder::<$database>::new(format!("SELECT {LINK_COLUMNS} FROM identity_links WHERE link_id = "));
            query.push_bind(link_id);
            let row: Option<LinkRow> = query.build_query_as().fetch_optional(&mut *connection).await?;
            row.map(LinkRow::into_link).transpose()
        }

        pub async fn redirect_of(
            connection: &mut Connection,
            person_id: PersonId,
        ) -> Result<Option<PersonRedirect>, StoreError> {
            let row: Option<(Uuid, String, String)> =
                sqlx::query_as("SELECT survivor, redirected_at, reason FROM person_redirects WHERE person_id = $1")
                    .bind(person_id.uuid())
                    .fetch_optional(&mut *connection)
                    .await?;
            Ok(row.map(|(survivor, redirected_at, reason)| PersonRedirect {
                person_id,
                survivor: PersonId::from_uuid(survivor),
                redirected_at,
                reason,
            }))
        }
    };
}

pub(crate) use define_link_queries;
