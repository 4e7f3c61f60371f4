//! Yes/no checks for employers, banks, telecom operators and landlords: `POST /v1/checks/{purpose}`.
//!
//! The caller gives what the foreign national showed them (a document number and birth date, or a
//! share code the person made for this check and their birth date; see [`crate::share_codes`]) and
//! gets back yes or no and a date until which the answer holds: never a profile, never a reason.
//!
//! The answer is computed from the person's current records (superseded ones do not count), with
//! interim rules until the configurable status rules land:
//! - any check is "no" while an entry ban / expulsion or a wanted notice is in force;
//! - `right-to-work`: a work permit or patent, or a temporary or permanent residence permit, in force;
//! - `bank-account`, `phone-number`, `rent`: lawful presence: a residence permit, an issued visa or a
//!   migration registration in force.
//!
//! The answer holds until the earliest end of the documents it rests on. Every check is audited and
//! shows in the person's access log.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use chrono::NaiveDate;
use hospes_audit::Outcome;
use hospes_model::{Category, Date, DocumentNumber};
use hospes_policy::{Action, Purpose};
use hospes_profile::Profile;
use hospes_resolve::keys::document_key_prefix;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::{Target, grant_action};
use crate::problem::{ApiError, Problem};

/// What the third party presents.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The number of the document the person showed (or give `share_code`).
    pub document_number: Option<String>,
    /// A share code the person made for this check, e.g. `K7M-2QX-9TF` (or give `document_number`).
    pub share_code: Option<String>,
    /// Their birth date, `YYYY-MM-DD`.
    pub birth_date: String,
}

/// The whole answer: yes or no, and until when.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckResponse {
    pub purpose: String,
    /// `yes` or `no`. Also `no` when no person matches the details given.
    pub result: &'static str,
    /// The last day the answer holds (a `yes` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// When the check was made (RFC 3339).
    pub checked_at: String,
}

/// Is a record in force on `today`?
fn in_force(effective_from: Date, effective_to: Option<Date>, today: NaiveDate) -> bool {
    effective_from.naive() <= today && effective_to.is_none_or(|end| today <= end.naive())
}

/// The answer for `purpose` from a profile: `Some(valid until)` for yes (`None` inside when open-ended).
pub(crate) fn answer(profile: &Profile, purpose: Purpose, today: NaiveDate) -> Option<Option<NaiveDate>> {
    let current = |category: Category, kinds: &[&str]| -> Vec<Option<NaiveDate>> {
        profile
            .categories
            .get(&category)
            .map(|view| {
                view.current
                    .iter()
                    .filter(|entry| kinds.is_empty() || kinds.contains(&entry.kind.as_str()))
                    .filter(|entry| in_force(entry.effective_from, entry.effective_to, today))
                    .map(|entry| entry.effective_to.map(Date::naive))
                    .collect()
            })
            .unwrap_or_default()
    };
    let barred = !current(Category::EntryBans, &["undesirability_decision", "entry_ban", "expulsion", "deportation"])
        .is_empty()
        || !current(Category::Wanted, &["national", "interstate", "international"]).is_empty();
    if barred {
        return None;
    }
    let permits = current(Category::ResidencePermits, &["temporary_residence_permit", "residence_permit"]);
    let grounds: Vec<Option<NaiveDate>> = match purpose {
        Purpose::RightToWork => current(Category::WorkPermits, &[]).into_iter().chain(permits).collect(),
        _ => permits
            .into_iter()
            .chain(current(Category::Visas, &["issued"]))
            .chain(current(Category::MigrationRegistration, &["registration"]))
            .collect(),
    };
    if grounds.is_empty() {
        return None;
    }
    // The answer holds as long as the longest-running ground does.
    Some(if grounds.iter().any(Option::is_none) { None } else { grounds.into_iter().flatten().max() })
}

/// A yes/no check for one purpose.
///
/// Employers (`right-to-work`), banks (`bank-account`), telecom operators (`phone-number`) and landlords
/// (`rent`) each run the one check their role exists for. The answer is yes or no and a validity date,
/// nothing else; unknown details also answer no. Audited, and shown to the person.
#[utoipa::path(
    post,
    path = "/v1/checks/{purpose}",
    tag = "checks",
    params(("purpose" = String, Path, description = "`right-to-work`, `bank-account`, `phone-number` or `rent`")),
    request_body = CheckRequest,
    responses(
        (status = 200, body = CheckResponse),
        (status = 400, description = "Not a check purpose, or malformed details", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's role may not run this check", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The share code is for another check, revoked, expired or unknown", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The check could not be audited", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn run_check(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(purpose): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<CheckResponse>, ApiError> {
    let purpose = Purpose::parse(&purpose).ok().filter(|purpose| purpose.is_check()).ok_or_else(|| {
        ApiError::InvalidParameter(format!(
            "'{purpose}' is not a check: use right-to-work, bank-account, phone-number or rent"
        ))
    })?;
    let request: CheckRequest = serde_json::from_slice(&body)
        .map_err(|error| ApiError::InvalidParameter(format!("the request body: {error}")))?;
    let birth_date =
        Date::parse(&request.birth_date).map_err(|error| ApiError::InvalidParameter(format!("birth_date: {error}")))?;
    let checked_at = chrono::Utc::now();
    let persons = match (&request.document_number, &request.share_code) {
        (Some(number), None) => {
            let number = DocumentNumber::parse(number)
                .map_err(|error| ApiError::InvalidParameter(format!("document_number: {error}")))?;
            let grant = grant_action(&state, &headers, Action::RunCheck, purpose, Target::Search).await?;
            let key = format!("{}{}", document_key_prefix(&number), birth_date);
            let persons = state.store.persons_with_key_prefix(&key, 2).await?;
            (grant, persons.clone(), persons)
        }
        (None, Some(code)) => {
            let code = hospes_credential::ShareCode::parse(code)
                .map_err(|error| ApiError::InvalidParameter(format!("share_code: {error}")))?;
            let grant = grant_action(&state, &headers, Action::RunCheck, purpose, Target::Search).await?;
            let row = state.store.share_code(&crate::share_codes::code_hash(&code)).await?;
            let Some(row) = row else {
                grant.audit("run_check", vec![], [], Outcome::NotFound).await?;
                return Err(ApiError::ShareCodeRefused("no such share code".into()));
            };
            if let Err(refusal) = crate::share_codes::usable(&row, purpose, checked_at) {
                grant.audit("run_check_share_code", vec![row.person_id], [], Outcome::Denied).await?;
                return Err(refusal);
            }
            // The birth date must be the holder's: a code alone does not identify anyone.
            let records = state.store.person_records(row.person_id).await?;
            let profile = Profile::project(row.person_id, &records);
            let born = profile.identity.birth_dates.iter().any(|date| date.value == birth_date.to_string());
            // A wrong birth date answers no, and is still audited as a use of the holder's code.
            (grant, if born { vec![row.person_id] } else { Vec::new() }, vec![row.person_id])
        }
        _ => {
            return Err(ApiError::InvalidParameter(
                "give either document_number or share_code (with birth_date), not both".into(),
            ));
        }
    };
    let (grant, persons, audited) = persons;
    let today = checked_at.date_naive();
    let (result, valid_until, outcome) = match persons.as_slice() {
        [person] => {
            let records = state.store.person_records(*person).await?;
            let profile = Profile::project(*person, &records);
            match answer(&profile, purpose, today) {
                Some(until) => ("yes", until, Outcome::Allowed),
                None => ("no", None, Outcome::Allowed),
            }
        }
        // Nobody, or the details fit two persons (an unresolved identity): no.
        _ => ("no", None, Outcome::NotFound),
    };
    grant.audit("run_check", audited, [], outcome).await?;
    Ok(Json(CheckResponse {
        purpose: purpose.as_str().to_owned(),
        result,
        valid_until: valid_until.map(|date| date.to_string()),
        checked_at: hospes_audit::timestamp(checked_at),
    }))
}
