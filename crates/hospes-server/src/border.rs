//! Border control over HTTP: crossings with the checkpoint decision support, pre-arrival
//! applications, and the list of lost and stolen documents.
//!
//! - `POST /v1/border/crossings` (border officer, purpose `border-check`): the officer's reader gives
//!   the MRZ lines; the crossing becomes a `border_crossings` record of the border service, appended
//!   and resolved through the normal ingest path, and the answer is the decision support for that
//!   traveller in one response: who it is, status, permitted stay, entry bans and wanted notices in
//!   force, lost/stolen hits, the pre-arrival application on file, partner-state alerts, and a
//!   recommendation (`admit`, `refer`, or `refused` for a recorded refusal) with every reason.
//! - `POST /v1/border/applications`, `GET /v1/border/applications/{id}`: an application to enter,
//!   checked at once against entry bans, wanted notices and lost/stolen documents; outcome `clear` or
//!   `refer`. The applicant sees that they were referred, not why when the reason is a law-enforcement
//!   record.
//! - `POST /v1/border/lost-stolen`: a list of lost and stolen documents (JSON array or NDJSON), stored
//!   all or nothing with the line of every problem.
//!
//! Bad check digits do not stop a crossing from being recorded: the officer holds the document, and a
//! wrong digit is itself a sign to look closer, so the crossing is kept and the decision flags it
//! (`refer`). A zone that is not an MRZ at all (wrong line lengths, characters, impossible dates) is a
//! 400 naming the line and field, and nothing is recorded: there is no document to record.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use hospes_audit::Outcome;
use hospes_ingest::AppendError;
use hospes_model::{Category, CountryCode, Date, DocumentNumber, PersonId, RecordId};
use hospes_mrz::{DocumentKind as MrzDocumentKind, MachineReadableZone, MrzDate};
use hospes_policy::{Action, PURPOSE_HEADER, Purpose, Role};
use hospes_profile::Profile;
use hospes_resolve::ResolutionInput;
use hospes_resolve::keys::document_key_prefix;
use hospes_store::border::{LostStolenDocument, PreArrivalRow};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::{Grant, Target, grant_action};
use crate::api::AccessNote;
use crate::derived::{Annotations, derive, permitted_stay_until, stays_from_crossings, typed_records};
use crate::problem::{ApiError, LineProblem, Problem};
use crate::reads::note;

/// The agency whose records crossings become.
pub const BORDER_AGENCY: &str = "border_service";
/// How far ahead of the server's clock a crossing time may be (readers' clocks drift).
pub const CLOCK_SKEW_SECONDS: i64 = 300;
/// The legal basis written on crossing records.
const CROSSING_LEGAL_BASIS: &str = "Border control: record of entry, exit and refusal of entry";
/// How many lost/stolen documents one request may carry.
pub const MAX_LOST_STOLEN_PER_REQUEST: usize = 100_000;

// ---- wire types -----------------------------------------------------------------------------------

/// What the officer's reader sends for one traveller.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CrossingRequest {
    /// The machine-readable zone, one string per line (2 or 3 lines).
    pub mrz: Vec<String>,
    /// The border crossing point, e.g. `SVO-T2`.
    pub checkpoint: String,
    /// `entry`, `exit` or `refusal` (a refusal of entry, recorded with `refusal_reason`).
    pub direction: String,
    /// When the traveller presented themselves, RFC 3339.
    pub crossed_at: String,
    /// A reference to the face captured at the crossing, if one was taken.
    pub face_capture_reference: Option<String>,
    /// The purpose the traveller declares (`work`, `study`, `tourism`, …).
    pub declared_purpose: Option<String>,
    /// `air`, `road`, `rail`, `sea`, `river` or `pedestrian`.
    pub transport: Option<String>,
    /// Why entry was refused (required for `refusal`).
    pub refusal_reason: Option<String>,
    /// The reader's own id for this crossing (a UUID): sending it again records nothing twice.
    pub crossing_id: Option<uuid::Uuid>,
}

/// One thing the officer should know, and how much it weighs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Flag {
    /// A stable code: `wanted`, `entry_ban`, `lost_stolen_document`, `bad_check_digit`,
    /// `document_expired`, `no_days_left`, `overstay`, `exit_without_entry`, `status_red`,
    /// `status_yellow`, `document_under_other_birth_date`, `pre_arrival_referred`,
    /// `no_pre_arrival_application`, `new_person`.
    pub code: String,
    /// `stop`: refer the traveller to a second-line officer; `note`: for the officer's attention.
    pub severity: &'static str,
    pub reason: String,
}

/// Who the traveller is to the registry.
#[derive(Debug, Serialize, ToSchema)]
pub struct TravellerIdentity {
    pub person_id: uuid::Uuid,
    /// True when no person held this document and birth date before this crossing.
    pub new_person: bool,
    /// Every spelling of the names the registry holds (shown when identity may be read).
    #[schema(value_type = Vec<Object>)]
    pub names: Vec<Value>,
    pub birth_dates: Vec<String>,
    pub citizenships: Vec<String>,
    pub documents: Vec<String>,
    pub record_count: usize,
}

/// The document as read from the MRZ.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentRead {
    pub format: String,
    pub document_kind: String,
    pub issuing_state: String,
    pub document_number: String,
    pub surname: String,
    pub given_names: String,
    pub nationality: String,
    pub birth_date: Option<String>,
    pub expiry_date: Option<String>,
    pub sex: String,
    /// Every check digit by name: true when it matches.
    pub check_digits: std::collections::BTreeMap<String, bool>,
}

/// The permitted stay on the crossing day.
#[derive(Debug, Serialize, ToSchema)]
pub struct PermittedStay {
    /// Days present in the 180 days ending on the crossing day (this crossing included).
    pub days_used: u32,
    /// Days left of the 90.
    pub days_left: u32,
    pub overstay_days: u32,
    /// The last day the traveller may stay: a visa or permit in force, or the 90/180 limit.
    pub permitted_until: Option<String>,
}

/// An entry ban, expulsion or wanted notice in force on the crossing day.
#[derive(Debug, Serialize, ToSchema)]
pub struct Measure {
    pub record_id: uuid::Uuid,
    pub category: String,
    pub kind: String,
    pub effective_from: String,
    pub effective_to: Option<String>,
    pub agency: String,
    /// The decision or notice as recorded.
    #[schema(value_type = Object)]
    pub payload: Option<Value>,
}

/// A hit in the lost and stolen documents list.
#[derive(Debug, Serialize, ToSchema)]
pub struct LostStolenHit {
    pub document_number: String,
    pub issuing_country: String,
    pub document_type: String,
    pub reported_on: String,
    pub source: String,
}

/// The pre-arrival application on file for this document and birth date.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationOnFile {
    pub application_id: String,
    pub submitted_at: String,
    pub outcome: String,
    pub reasons: Vec<String>,
    #[schema(value_type = Object)]
    pub application: Value,
}

/// The crossing as recorded, and what the officer needs to decide.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrossingResponse {
    /// The ledger record of the crossing (recorded whatever the recommendation).
    pub record_id: uuid::Uuid,
    /// `accepted`, or `duplicate` when the same `crossing_id` was recorded before.
    pub recorded: &'static str,
    /// `entry`, `exit` or `refusal_of_entry`.
    pub kind: String,
    pub crossed_at: String,
    pub checkpoint: String,
    pub document: DocumentRead,
    pub traveller: TravellerIdentity,
    /// The status on the crossing day with every rule that fired and its reason (record ids only of
    /// the categories the caller may see).
    #[schema(value_type = Object)]
    pub status: Value,
    pub permitted_stay: Option<PermittedStay>,
    pub entry_bans: Vec<Measure>,
    pub wanted: Vec<Measure>,
    pub lost_stolen: Vec<LostStolenHit>,
    pub pre_arrival: Option<ApplicationOnFile>,
    /// Alerts from partner states; no partner exchange is connected yet, so always empty.
    #[schema(value_type = Vec<Object>)]
    pub partner_alerts: Vec<Value>,
    /// `admit`, `refer` (a stop flag), or `refused` (a refusal of entry was recorded).
    pub recommendation: &'static str,
    pub flags: Vec<Flag>,
    pub access: AccessNote,
}

// ---- the MRZ and the record -----------------------------------------------------------------------

/// The MRZ's view of the traveller, ready to be written as a record's subject.
struct Traveller {
    zone: MachineReadableZone,
    document_number: DocumentNumber,
    issuing_country: CountryCode,
    birth_date: Option<Date>,
}

/// ICAO writes Germany as `D`; everything else is ISO 3166-1 alpha-3 or one of ICAO's own codes.
fn country_from_mrz(code: &str) -> Option<CountryCode> {
    let code = code.trim_end_matches('<');
    let code = if code == "D" { "DEU" } else { code };
    CountryCode::parse(code).ok()
}

fn mrz_date(date: &MrzDate) -> Option<String> {
    date.date().map(|date| date.format("%Y-%m-%d").to_string())
}

fn read_traveller(lines: &[String], reference: NaiveDate) -> Result<Traveller, ApiError> {
    let zone = MachineReadableZone::parse_lines(lines, reference)
        .map_err(|error| ApiError::InvalidParameter(format!("mrz: {error}")))?;
    if zone.document_kind() == MrzDocumentKind::Visa {
        return Err(ApiError::InvalidParameter(
            "mrz: this is a visa's zone, which names the visa; read the zone of the travel document".into(),
        ));
    }
    let fields = zone.fields();
    let document_number = DocumentNumber::parse(fields.document_number.as_str()).map_err(|error| {
        ApiError::InvalidParameter(format!("mrz: document number {:?}: {error}", fields.document_number.as_str()))
    })?;
    let issuing_country = country_from_mrz(fields.issuing_state.as_str()).ok_or_else(|| {
        ApiError::InvalidParameter(format!(
            "mrz: issuing state {:?} (line 1, positions 3–5) is not a country code Hospes knows",
            fields.issuing_state.as_str()
        ))
    })?;
    let birth_date = fields.birth_date.date().and_then(|date| Date::from_naive(date).ok());
    Ok(Traveller { zone, document_number, issuing_country, birth_date })
}

fn document_kind(kind: MrzDocumentKind) -> &'static str {
    match kind {
        MrzDocumentKind::Passport => "passport",
        MrzDocumentKind::IdentityCard => "identity_card",
        _ => "travel_document",
    }
}

/// The record subject from the MRZ: the Latin name, birth date, sex, nationality and the document.
fn subject_json(traveller: &Traveller) -> Value {
    let fields = traveller.zone.fields();
    let surname = fields.name.primary_identifier().replace('<', " ").trim().to_owned();
    let given = fields.name.secondary_identifier().replace('<', " ").trim().to_owned();
    let mut name = json!({ "surname": surname });
    if !given.is_empty() {
        name["given_names"] = json!(given);
    }
    let mut subject = json!({
        "documents": [{
            "kind": document_kind(traveller.zone.document_kind()),
            "number": traveller.document_number.as_str(),
            "issuing_country": traveller.issuing_country.as_str(),
        }],
    });
    if !surname.is_empty() {
        subject["names"] = json!([name]);
    }
    if let Some(birth_date) = traveller.birth_date {
        subject["birth_date"] = json!(birth_date.to_string());
    }
    let sex = fields.sex.mrz_character();
    if matches!(sex, 'M' | 'F' | 'X') {
        subject["sex"] = json!(sex.to_string());
    }
    if let Some(nationality) = country_from_mrz(fields.nationality.as_str()) {
        subject["citizenship"] = json!(nationality.as_str());
    }
    subject
}

fn document_read(traveller: &Traveller) -> DocumentRead {
    let zone = &traveller.zone;
    let fields = zone.fields();
    DocumentRead {
        format: zone.format().to_string(),
        document_kind: document_kind(zone.document_kind()).to_owned(),
        issuing_state: fields.issuing_state.as_str().to_owned(),
        document_number: traveller.document_number.as_str().to_owned(),
        surname: fields.name.primary_identifier().replace('<', " ").trim().to_owned(),
        given_names: fields.name.secondary_identifier().replace('<', " ").trim().to_owned(),
        nationality: fields.nationality.as_str().to_owned(),
        birth_date: mrz_date(&fields.birth_date),
        expiry_date: mrz_date(&fields.expiry_date),
        sex: fields.sex.mrz_character().to_string(),
        check_digits: zone
            .check_digits()
            .iter()
            .map(|(field, result)| (field.name().to_owned(), result.valid))
            .collect(),
    }
}

fn parse_rfc3339(name: &str, text: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(text)
        .map(|instant| instant.with_timezone(&Utc))
        .map_err(|error| ApiError::InvalidParameter(format!("{name}: {text:?} is not an RFC 3339 time ({error})")))
}

/// Checks what the officer's reader sent and returns (kind, crossing time, traveller).
fn check_crossing(request: &CrossingRequest, now: DateTime<Utc>) -> Result<(&'static str, Traveller), ApiError> {
    let kind = match request.direction.as_str() {
        "entry" => "entry",
        "exit" => "exit",
        "refusal" | "refusal_of_entry" => "refusal_of_entry",
        other => {
            return Err(ApiError::InvalidParameter(format!(
                "direction: {other:?} is not a direction; use entry, exit or refusal"
            )));
        }
    };
    if kind == "refusal_of_entry" && request.refusal_reason.as_deref().is_none_or(|reason| reason.trim().is_empty()) {
        return Err(ApiError::InvalidParameter("refusal_reason: a refusal of entry needs its reason".into()));
    }
    if kind != "refusal_of_entry" && request.refusal_reason.is_some() {
        return Err(ApiError::InvalidParameter(
            "refusal_reason: only a refusal (direction `refusal`) carries a refusal reason".into(),
        ));
    }
    let crossed_at = parse_rfc3339("crossed_at", &request.crossed_at)?;
    if crossed_at > now + chrono::Duration::seconds(CLOCK_SKEW_SECONDS) {
        return Err(ApiError::InvalidParameter(format!(
            "crossed_at: {} is in the future (the server's time is {}; at most {CLOCK_SKEW_SECONDS} s of clock skew is allowed)",
            request.crossed_at,
            hospes_audit::timestamp(now)
        )));
    }
    if request.checkpoint.trim().is_empty() {
        return Err(ApiError::InvalidParameter("checkpoint: name the border crossing point".into()));
    }
    let traveller = read_traveller(&request.mrz, crossed_at.date_naive())?;
    Ok((kind, traveller))
}

/// The NDJSON line of the crossing record, in the ingest format.
fn crossing_line(
    request: &CrossingRequest,
    kind: &str,
    crossed_at: &str,
    crossing_id: uuid::Uuid,
    traveller: &Traveller,
) -> Result<Vec<u8>, ApiError> {
    let day = parse_rfc3339("crossed_at", crossed_at)?.date_naive();
    let mut payload = json!({
        "crossed_at": crossed_at,
        "checkpoint": request.checkpoint.trim(),
        "document_number": traveller.document_number.as_str(),
    });
    for (name, value) in [
        ("declared_purpose", &request.declared_purpose),
        ("transport", &request.transport),
        ("refusal_reason", &request.refusal_reason),
        ("face_capture_reference", &request.face_capture_reference),
    ] {
        if let Some(value) = value {
            payload[name] = json!(value);
        }
    }
    let line = json!({
        "record_id": format!("crossing-{crossing_id}"),
        "category": "border_crossings",
        "kind": kind,
        "effective_from": day.format("%Y-%m-%d").to_string(),
        "legal_basis": CROSSING_LEGAL_BASIS,
        "subject": subject_json(traveller),
        "payload": payload,
    });
    serde_json::to_vec(&line).map_err(ApiError::internal)
}

/// Appends the record lines as a border-service batch and resolves them in the same transaction, as
/// `POST /v1/ingest` does; returns the record ids, whether each was new, and their persons.
async fn append_and_resolve(state: &AppState, line: &[u8]) -> Result<(RecordId, bool, Option<PersonId>), ApiError> {
    let agency =
        state.registry.get(BORDER_AGENCY).cloned().ok_or_else(|| ApiError::UnknownAgency(BORDER_AGENCY.into()))?;
    let records = hospes_ingest::validate_batch(&agency, line, hospes_ingest::receipt_time(), &state.limits).map_err(
        |rejection| {
            ApiError::InvalidParameter(format!(
                "the crossing cannot be recorded: {}",
                rejection
                    .line_errors()
                    .iter()
                    .map(|error| format!("{} {}", error.path, error.reason))
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        },
    )?;
    let mut transaction = state.store.begin_write().await?;
    let report = match hospes_ingest::append_batch_in(&mut *transaction, records).await {
        Ok(report) => report,
        Err(AppendError::Rejected(rejection)) => return Err(rejection.into()),
        Err(AppendError::Store(error)) => return Err(error.into()),
        Err(error) => return Err(ApiError::internal(error)),
    };
    let inputs: Vec<ResolutionInput> = report.appended.iter().map(ResolutionInput::from_appended).collect();
    let resolved = hospes_resolve::resolve_appended(&mut *transaction, &*state.resolver, &inputs)
        .await
        .map_err(|hospes_resolve::ResolveError::Store(error)| ApiError::from(error))?;
    transaction.commit().await?;
    if resolved.is_none() {
        hospes_resolve::resolve_pending(&*state.store, &*state.resolver)
            .await
            .map_err(|hospes_resolve::ResolveError::Store(error)| ApiError::from(error))?;
    }
    let (record_id, new) = match (report.accepted.first(), report.duplicates.first()) {
        (Some(accepted), _) => (accepted.record_id, true),
        (None, Some(duplicate)) => (duplicate.record_id, false),
        (None, None) => return Err(ApiError::internal(std::io::Error::other("an appended batch reported no record"))),
    };
    let person = state.store.person_of_record(record_id).await?;
    Ok((record_id, new, person))
}

// ---- what the registry knows ----------------------------------------------------------------------

fn overlaps(effective_from: Date, effective_to: Option<Date>, from: NaiveDate, to: NaiveDate) -> bool {
    effective_from.naive() <= to && effective_to.is_none_or(|end| from <= end.naive())
}

/// Entry bans or wanted notices of a profile in force at some day of `[from, to]`.
fn measures(profile: &Profile, category: Category, kinds: &[&str], from: NaiveDate, to: NaiveDate) -> Vec<Measure> {
    profile
        .categories
        .get(&category)
        .map(|view| {
            view.current
                .iter()
                .filter(|entry| kinds.contains(&entry.kind.as_str()))
                .filter(|entry| overlaps(entry.effective_from, entry.effective_to, from, to))
                .map(|entry| Measure {
                    record_id: entry.record_id.uuid(),
                    category: category.as_str().to_owned(),
                    kind: entry.kind.clone(),
                    effective_from: entry.effective_from.to_string(),
                    effective_to: entry.effective_to.map(|date| date.to_string()),
                    agency: entry.agency.to_string(),
                    payload: entry.payload.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

const BAN_KINDS: [&str; 4] = ["undesirability_decision", "entry_ban", "expulsion", "deportation"];
const WANTED_KINDS: [&str; 3] = ["national", "interstate", "international"];

/// Lost or stolen listings of this document (same number and issuing state).
async fn lost_stolen_hits(
    state: &AppState,
    number: &DocumentNumber,
    country: &CountryCode,
) -> Result<Vec<LostStolenHit>, ApiError> {
    let listed = state.store.lost_stolen_documents_numbered(&[number.as_str().to_owned()]).await?;
    Ok(listed
        .into_iter()
        .filter(|document| document.issuing_country == country.as_str())
        .map(|document| LostStolenHit {
            document_number: document.document_number,
            issuing_country: document.issuing_country,
            document_type: document.document_type,
            reported_on: document.reported_on,
            source: document.source,
        })
        .collect())
}

/// The holder's documents records that report this document lost or stolen.
fn reported_by_holder(profile: &Profile, number: &DocumentNumber) -> Vec<LostStolenHit> {
    profile
        .categories
        .get(&Category::Documents)
        .map(|view| {
            view.current
                .iter()
                .filter(|entry| entry.kind == "lost_or_stolen")
                .filter_map(|entry| {
                    let payload = entry.payload.as_ref()?;
                    (payload["number"].as_str() == Some(number.as_str())).then(|| LostStolenHit {
                        document_number: number.as_str().to_owned(),
                        issuing_country: payload["issuing_country"].as_str().unwrap_or_default().to_owned(),
                        document_type: payload["document_kind"].as_str().unwrap_or("passport").to_owned(),
                        reported_on: payload["reported_on"]
                            .as_str()
                            .map_or_else(|| entry.effective_from.to_string(), str::to_owned),
                        source: format!("{} (documents record {})", entry.agency, entry.record_id),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Persons holding this document, with and without the given birth date.
async fn persons_with_document(
    state: &AppState,
    number: &DocumentNumber,
    birth_date: Option<Date>,
) -> Result<(Vec<PersonId>, Vec<PersonId>), ApiError> {
    let prefix = document_key_prefix(number);
    let with_any_birth_date = state.store.persons_with_key_prefix(&prefix, 8).await?;
    let with_birth_date = match birth_date {
        Some(birth_date) => state.store.persons_with_key_prefix(&format!("{prefix}{birth_date}"), 8).await?,
        None => Vec::new(),
    };
    Ok((with_birth_date, with_any_birth_date))
}

fn application_on_file(row: PreArrivalRow) -> ApplicationOnFile {
    ApplicationOnFile {
        application_id: row.application_id,
        submitted_at: row.submitted_at,
        outcome: row.outcome,
        reasons: serde_json::from_str(&row.reasons).unwrap_or_default(),
        application: serde_json::from_str(&row.application).unwrap_or(Value::Null),
    }
}

fn flag(flags: &mut Vec<Flag>, code: &str, severity: &'static str, reason: impl Into<String>) {
    flags.push(Flag { code: code.to_owned(), severity, reason: reason.into() });
}

/// Whether this exit follows an entry: the last crossing before it (by time) must be an entry.
fn exit_follows_entry(records: &[hospes_model::Record], this_record: RecordId, crossed_at: DateTime<Utc>) -> bool {
    use hospes_model::Payload;
    records
        .iter()
        .filter(|record| record.envelope.record_id != this_record)
        .filter_map(|record| match (&record.body.payload, record.envelope.kind.as_str()) {
            (Payload::BorderCrossings(crossing), kind @ ("entry" | "exit"))
                if crossing.crossed_at.utc() <= crossed_at =>
            {
                Some((crossing.crossed_at.utc(), kind == "entry"))
            }
            _ => None,
        })
        .max_by_key(|(instant, _)| *instant)
        .is_some_and(|(_, is_entry)| is_entry)
}

// ---- POST /v1/border/crossings --------------------------------------------------------------------

fn request_purpose(headers: &HeaderMap) -> Result<Purpose, ApiError> {
    let declared = headers.get(PURPOSE_HEADER).map(|value| value.to_str().unwrap_or("\u{fffd}"));
    Purpose::from_header_value(declared).map_err(|error| ApiError::Purpose(format!("{error} (no purpose, no data)")))
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        ApiError::InvalidParameter(format!("the request body at {path}: {}", error.into_inner()))
    })
}

/// Record a border crossing and get the checkpoint decision support.
///
/// The MRZ lines are parsed (a zone that is not an MRZ is refused with its line and field); the
/// crossing is appended to the ledger as a `border_crossings` record of the border service and
/// resolved to a person, existing or new; the answer says who the traveller is, their status, the
/// permitted stay, entry bans and wanted notices in force, lost/stolen document hits, the pre-arrival
/// application on file, partner-state alerts, and a recommendation with every reason. A wrong check
/// digit is recorded and flagged, not refused. A crossing time more than five minutes ahead of the
/// server's clock is refused. Audited.
#[utoipa::path(
    post,
    path = "/v1/border/crossings",
    tag = "border",
    params(("Hospes-Purpose" = String, Header, description = "`border-check`")),
    request_body = CrossingRequest,
    responses(
        (status = 201, description = "Recorded; the decision support", body = CrossingResponse),
        (status = 200, description = "This crossing id was recorded before; the decision support as of now", body = CrossingResponse),
        (status = 400, description = "Malformed body, MRZ, direction or time (the future), with the field at fault", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a border officer at a border check", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The crossing is recorded but the access could not be audited; send it again (same crossing_id)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn record_crossing(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let request: CrossingRequest = parse_json(&body)?;
    let purpose = request_purpose(&headers)?;
    let grant = grant_action(&state, &headers, Action::RecordCrossing, purpose, Target::Search).await?;
    let now = Utc::now();
    let (kind, traveller) = check_crossing(&request, now)?;
    let crossing_id = request.crossing_id.unwrap_or_else(uuid::Uuid::new_v4);
    let crossed_at = parse_rfc3339("crossed_at", &request.crossed_at)?;
    // The record carries the time as UTC with seconds, as the model stores it.
    let crossed_at_text = hospes_audit::timestamp(crossed_at);
    let (known_before, known_number) =
        persons_with_document(&state, &traveller.document_number, traveller.birth_date).await?;
    let line = crossing_line(&request, kind, &crossed_at_text, crossing_id, &traveller)?;
    let (record_id, accepted, person) = append_and_resolve(&state, &line).await?;
    let Some(person_id) = person else {
        return Err(ApiError::internal(std::io::Error::other("a recorded crossing was not resolved to a person")));
    };
    let response = decision(
        &state,
        &grant,
        &request,
        kind,
        crossed_at,
        &traveller,
        record_id,
        person_id,
        known_before,
        known_number,
    )
    .await;
    let (mut response, returned) = match response {
        Ok(answer) => answer,
        Err(error) => {
            // The crossing is durable; say so in the audit log even though the answer failed.
            grant.audit("record_crossing", vec![person_id], [Category::BorderCrossings], Outcome::Allowed).await?;
            return Err(error);
        }
    };
    response.recorded = if accepted { "accepted" } else { "duplicate" };
    let audit_event = grant.audit("record_crossing", vec![person_id], returned, Outcome::Allowed).await?;
    response.access = note(&grant, audit_event);
    tracing::info!(kind, recommendation = response.recommendation, "border crossing recorded");
    let status = if accepted { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(response)).into_response())
}

/// The decision support for a recorded crossing, and the categories it shows.
#[allow(clippy::too_many_arguments)] // one call site; the pieces are what the crossing is
async fn decision(
    state: &AppState,
    grant: &Grant,
    request: &CrossingRequest,
    kind: &'static str,
    crossed_at: DateTime<Utc>,
    traveller: &Traveller,
    record_id: RecordId,
    person_id: PersonId,
    known_before: Vec<PersonId>,
    known_number: Vec<PersonId>,
) -> Result<(CrossingResponse, BTreeSet<Category>), ApiError> {
    let day = crossed_at.date_naive();
    let mut flags = Vec::new();
    let mut returned: BTreeSet<Category> = [Category::BorderCrossings].into_iter().collect();
    let stored = state.store.person_records(person_id).await?;
    let profile = Profile::project(person_id, &stored);
    let typed = typed_records(&stored);
    let contests = hospes_store::system::ContestState::of(&state.store.system_records_of_person(person_id).await?);
    let annotations = Annotations {
        contested: contests.contested,
        overturned: contests.overturned,
        unresolved_identity_links: Vec::new(),
        known_on: None,
    };
    let as_of = Date::from_naive(day).map_err(ApiError::internal)?;
    let (mut status, _) = derive(&state.status_rules, &typed.records, &annotations, as_of);

    // Who.
    let new_person = known_before.is_empty();
    if new_person {
        flag(&mut flags, "new_person", "note", "no person held this document and birth date before: a new profile");
    }
    if known_number.iter().any(|other| !known_before.contains(other) && *other != person_id) {
        flag(
            &mut flags,
            "document_under_other_birth_date",
            "stop",
            format!("document {} is also held by a person with another birth date", traveller.document_number.as_str()),
        );
    }
    let identity_visible = grant.allows(Category::Identity);
    if identity_visible {
        returned.insert(Category::Identity);
    }
    let identity = &profile.identity;
    let traveller_identity = TravellerIdentity {
        person_id: person_id.uuid(),
        new_person,
        names: if identity_visible { identity.names.iter().map(|name| name.value.clone()).collect() } else { vec![] },
        birth_dates: if identity_visible {
            identity.birth_dates.iter().map(|date| date.value.clone()).collect()
        } else {
            vec![]
        },
        citizenships: if identity_visible {
            identity.citizenships.iter().map(|value| value.value.clone()).collect()
        } else {
            vec![]
        },
        documents: if grant.allows(Category::Documents) {
            returned.insert(Category::Documents);
            identity.documents.iter().map(|value| value.value.clone()).collect()
        } else {
            vec![]
        },
        record_count: profile.record_count,
    };

    // The document itself.
    for (field, result) in traveller.zone.check_digits() {
        if !result.valid {
            flag(
                &mut flags,
                "bad_check_digit",
                "stop",
                format!(
                    "the {} check digit reads {:?}, the data calls for {:?}: examine the document",
                    field.name(),
                    result.found,
                    result.expected
                ),
            );
        }
    }
    let expiry = traveller.zone.fields().expiry_date.date();
    if kind == "entry"
        && let Some(expiry) = expiry
        && expiry < day
    {
        flag(&mut flags, "document_expired", "stop", format!("the document expired on {expiry}"));
    }

    // Status.
    // As `/v1/persons/{id}/status` shows it: every rule and reason, record ids only of the categories
    // the caller may see.
    let categories: std::collections::HashMap<RecordId, Category> =
        stored.iter().map(|record| (record.envelope.record_id, record.envelope.category)).collect();
    for rule in &mut status.fired {
        rule.record_ids.retain(|id| categories.get(id).is_none_or(|category| grant.allows(*category)));
        rule.contested_record_ids.retain(|id| categories.get(id).is_none_or(|category| grant.allows(*category)));
    }
    returned.extend(categories.values().copied().filter(|category| grant.allows(*category)));
    let status_value = serde_json::to_value(&status).map_err(ApiError::internal)?;
    let colour = status_value["colour"].as_str().unwrap_or("").to_owned();
    match colour.as_str() {
        "red" => flag(&mut flags, "status_red", "stop", reasons_of(&status_value)),
        "yellow" => flag(&mut flags, "status_yellow", "note", reasons_of(&status_value)),
        _ => {}
    }

    // Entry bans and wanted notices in force on the day.
    let entry_bans = if grant.allows(Category::EntryBans) {
        returned.insert(Category::EntryBans);
        measures(&profile, Category::EntryBans, &BAN_KINDS, day, day)
    } else {
        Vec::new()
    };
    let wanted = if grant.allows(Category::Wanted) {
        returned.insert(Category::Wanted);
        measures(&profile, Category::Wanted, &WANTED_KINDS, day, day)
    } else {
        Vec::new()
    };
    for notice in &wanted {
        flag(
            &mut flags,
            "wanted",
            "stop",
            format!("a {} wanted notice is in force since {}", notice.kind, notice.effective_from),
        );
    }
    if kind != "exit" {
        for ban in &entry_bans {
            flag(
                &mut flags,
                "entry_ban",
                "stop",
                format!(
                    "{} in force since {}{}",
                    ban.kind.replace('_', " "),
                    ban.effective_from,
                    ban.effective_to.as_ref().map(|end| format!(" until {end}")).unwrap_or_default()
                ),
            );
        }
    }

    // Lost and stolen documents: the list, and the holder's own report to an agency.
    let mut lost_stolen = lost_stolen_hits(state, &traveller.document_number, &traveller.issuing_country).await?;
    if grant.allows(Category::Documents) {
        lost_stolen.extend(reported_by_holder(&profile, &traveller.document_number));
    }
    for hit in &lost_stolen {
        flag(
            &mut flags,
            "lost_stolen_document",
            "stop",
            format!(
                "{} {} of {} was reported lost or stolen on {} by {}",
                hit.document_type, hit.document_number, hit.issuing_country, hit.reported_on, hit.source
            ),
        );
    }

    // Stay.
    let stays_allowed = grant.allows(Category::BorderCrossings);
    let permitted_stay = if stays_allowed {
        let stays = stays_from_crossings(&typed.records);
        hospes_rules::stay::calculate_stay(&stays, day, None, hospes_rules::stay::StayRule::default()).ok().map(
            |report| PermittedStay {
                days_used: report.days_used,
                days_left: report.days_remaining,
                overstay_days: report.overstay_days,
                permitted_until: permitted_stay_until(&typed.records, day).map(|until| until.to_string()),
            },
        )
    } else {
        None
    };
    if let Some(stay) = &permitted_stay {
        if kind == "entry" && stay.permitted_until.is_none() {
            flag(
                &mut flags,
                "no_days_left",
                "stop",
                format!(
                    "{} days used in the 180 ending today and no visa or permit in force: no day of stay is left",
                    stay.days_used
                ),
            );
        }
        if kind == "exit" && stay.overstay_days > 0 {
            flag(&mut flags, "overstay", "note", format!("leaving {} days over the 90 in 180", stay.overstay_days));
        }
    }
    if kind == "exit" && !exit_follows_entry(&typed.records, record_id, crossed_at) {
        flag(
            &mut flags,
            "exit_without_entry",
            "note",
            "no entry is recorded before this exit: the crossing is recorded, the stay cannot be counted",
        );
    }

    // Pre-arrival application.
    let pre_arrival = match traveller.birth_date {
        Some(birth_date) if grant.allows(Category::PreArrival) => {
            returned.insert(Category::PreArrival);
            state
                .store
                .pre_arrival_applications_for_document(traveller.document_number.as_str(), &birth_date.to_string(), 1)
                .await?
                .into_iter()
                .next()
                .map(application_on_file)
        }
        _ => None,
    };
    if kind == "entry" {
        match &pre_arrival {
            Some(application) if application.outcome == "refer" => flag(
                &mut flags,
                "pre_arrival_referred",
                "note",
                format!("the pre-arrival application of {} was referred to an officer", application.submitted_at),
            ),
            Some(_) => {}
            None => flag(&mut flags, "no_pre_arrival_application", "note", "no pre-arrival application is on file"),
        }
    }

    let recommendation = if kind == "refusal_of_entry" {
        "refused"
    } else if flags.iter().any(|flag| flag.severity == "stop") {
        "refer"
    } else {
        "admit"
    };
    Ok((
        CrossingResponse {
            record_id: record_id.uuid(),
            recorded: "accepted",
            kind: kind.to_owned(),
            crossed_at: hospes_audit::timestamp(crossed_at),
            checkpoint: request.checkpoint.trim().to_owned(),
            document: document_read(traveller),
            traveller: traveller_identity,
            status: status_value,
            permitted_stay,
            entry_bans,
            wanted,
            lost_stolen,
            pre_arrival,
            partner_alerts: Vec::new(),
            recommendation,
            flags,
            access: AccessNote { purpose: String::new(), categories_withheld: Vec::new(), audit_event: None },
        },
        returned,
    ))
}

fn reasons_of(status: &Value) -> String {
    let reasons: Vec<&str> =
        status["fired"].as_array().into_iter().flatten().filter_map(|rule| rule["reason"].as_str()).collect();
    format!("status {}: {}", status["colour"].as_str().unwrap_or(""), reasons.join("; "))
}

// ---- pre-arrival applications ---------------------------------------------------------------------

/// The applicant as they give themselves.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantIdentity {
    pub surname: String,
    pub given_names: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// `M`, `F` or `X`.
    pub sex: Option<String>,
    /// ISO 3166-1 alpha-3.
    pub citizenship: Option<String>,
}

/// The travel document the applicant will show.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantDocument {
    /// `passport`, `travel_document`, `identity_card`, …
    pub kind: String,
    pub number: String,
    /// ISO 3166-1 alpha-3 of the issuing state.
    pub issuing_country: String,
    /// `YYYY-MM-DD`.
    pub expiry_date: Option<String>,
}

/// Who receives the traveller.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantHost {
    pub name: String,
    pub address: Option<String>,
}

/// An application to enter, submitted before travel.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationRequest {
    pub identity: ApplicantIdentity,
    pub document: ApplicantDocument,
    /// `work`, `study`, `private`, `business`, `tourism`, `transit`, `official`, `humanitarian`, `family`.
    pub purpose: String,
    /// `YYYY-MM-DD`.
    pub planned_entry: String,
    /// `YYYY-MM-DD`.
    pub planned_exit: String,
    pub host: Option<ApplicantHost>,
}

/// An application with the outcome of its checks.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationResponse {
    pub application_id: String,
    /// `clear` or `refer` (to an officer).
    pub outcome: String,
    /// Why; to the applicant themself, the reasons that come from law-enforcement records read only
    /// "referred to an officer".
    pub reasons: Vec<String>,
    pub submitted_at: String,
    /// The person the document and birth date resolved to, for officers; absent for a new applicant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<uuid::Uuid>,
    #[schema(value_type = Object)]
    pub application: Value,
    pub access: AccessNote,
}

/// A reason of an outcome, and whether it is withheld from the applicant (it comes from
/// law-enforcement records, or would tell them about another person's records).
struct Reason {
    text: String,
    withheld_from_applicant: bool,
}

/// The reasons as the caller may see them.
fn reasons_for(grant: &Grant, reasons: &[(String, bool)]) -> Vec<String> {
    let applicant = grant.principal.roles.contains(&Role::Person);
    let mut shown: Vec<String> = Vec::new();
    for (text, withheld_from_applicant) in reasons {
        let text =
            if applicant && *withheld_from_applicant { "referred to an officer".to_owned() } else { text.clone() };
        if !shown.contains(&text) {
            shown.push(text);
        }
    }
    shown
}

fn check_application(request: &ApplicationRequest, today: NaiveDate) -> Result<CheckedApplication, ApiError> {
    let invalid = |field: &str, error: &dyn std::fmt::Display| ApiError::InvalidParameter(format!("{field}: {error}"));
    hospes_model::NamePart::parse(&request.identity.surname).map_err(|error| invalid("identity.surname", &error))?;
    if let Some(given) = &request.identity.given_names {
        hospes_model::NamePart::parse(given).map_err(|error| invalid("identity.given_names", &error))?;
    }
    let birth_date =
        Date::parse(&request.identity.birth_date).map_err(|error| invalid("identity.birth_date", &error))?;
    if birth_date.naive() > today {
        return Err(ApiError::InvalidParameter(format!("identity.birth_date: {birth_date} is in the future")));
    }
    if let Some(sex) = &request.identity.sex
        && !matches!(sex.as_str(), "M" | "F" | "X")
    {
        return Err(ApiError::InvalidParameter(format!("identity.sex: {sex:?} is not M, F or X")));
    }
    if let Some(citizenship) = &request.identity.citizenship {
        CountryCode::parse(citizenship).map_err(|error| invalid("identity.citizenship", &error))?;
    }
    serde_json::from_value::<hospes_model::DocumentKind>(json!(request.document.kind)).map_err(|_| {
        ApiError::InvalidParameter(format!(
            "document.kind: {:?} is not passport, travel_document, identity_card, residence_card or birth_certificate",
            request.document.kind
        ))
    })?;
    let number = DocumentNumber::parse(&request.document.number).map_err(|error| invalid("document.number", &error))?;
    let country = CountryCode::parse(&request.document.issuing_country)
        .map_err(|error| invalid("document.issuing_country", &error))?;
    let expiry = request
        .document
        .expiry_date
        .as_deref()
        .map(|text| Date::parse(text).map_err(|error| invalid("document.expiry_date", &error)))
        .transpose()?;
    serde_json::from_value::<hospes_model::payload::VisitPurpose>(json!(request.purpose)).map_err(|_| {
        ApiError::InvalidParameter(format!(
            "purpose: {:?} is not work, study, private, business, tourism, transit, official, humanitarian or family",
            request.purpose
        ))
    })?;
    let planned_entry = Date::parse(&request.planned_entry).map_err(|error| invalid("planned_entry", &error))?;
    let planned_exit = Date::parse(&request.planned_exit).map_err(|error| invalid("planned_exit", &error))?;
    if planned_exit < planned_entry {
        return Err(ApiError::InvalidParameter(format!(
            "planned_exit: {planned_exit} is before planned_entry {planned_entry}"
        )));
    }
    if planned_exit.naive() < today {
        return Err(ApiError::InvalidParameter(format!("planned_exit: {planned_exit} is in the past")));
    }
    if let Some(host) = &request.host
        && host.name.trim().is_empty()
    {
        return Err(ApiError::InvalidParameter("host.name: name the host".into()));
    }
    Ok(CheckedApplication { birth_date, number, country, expiry, planned_entry, planned_exit })
}

struct CheckedApplication {
    birth_date: Date,
    number: DocumentNumber,
    country: CountryCode,
    expiry: Option<Date>,
    planned_entry: Date,
    planned_exit: Date,
}

/// Submit a pre-arrival application.
///
/// Checked at once against entry bans and wanted notices of the person the document and birth date
/// resolve to (in force at any day of the planned stay), the lost and stolen documents list, and
/// the document's validity over the stay; the outcome is `clear` or `refer` with its reasons. The
/// foreign national submits with their own token (purpose `own-data`, the default); a border officer
/// (`border-check`) or migration officer (`migration-case`) may submit for them. Audited.
#[utoipa::path(
    post,
    path = "/v1/border/applications",
    tag = "border",
    request_body = ApplicationRequest,
    responses(
        (status = 201, body = ApplicationResponse),
        (status = 400, description = "A field that is missing or wrong, named", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted (a person may apply only as themself)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn submit_application(
    State(state): State<AppState>,
    mut headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let request: ApplicationRequest = parse_json(&body)?;
    let submitted_at = Utc::now();
    let checked = check_application(&request, submitted_at.date_naive())?;
    crate::reads::declare_own_data(&mut headers);
    let purpose = request_purpose(&headers)?;
    let (known, known_number) = persons_with_document(&state, &checked.number, Some(checked.birth_date)).await?;
    let principal = crate::access::authenticate(&state.access, &headers)?;
    // A person applies as themself: the document must be theirs, or unknown to the registry.
    let target = match (principal.person_id, known.first()) {
        (Some(own), Some(found)) if own != *found => Target::Person(*found),
        (Some(own), _) => Target::Person(own),
        (None, Some(found)) => Target::Person(*found),
        (None, None) => Target::Search,
    };
    let grant = grant_action(&state, &headers, Action::PreArrivalApplication, purpose, target).await?;
    let mut reasons: Vec<Reason> = Vec::new();
    let (from, to) = (checked.planned_entry.naive(), checked.planned_exit.naive());
    let person_id = known.first().copied().or(grant.principal.person_id);
    if known.len() > 1 {
        reasons.push(Reason {
            text: "the document and birth date fit more than one person in the registry".into(),
            withheld_from_applicant: true,
        });
    }
    if known_number.iter().any(|other| !known.contains(other)) {
        reasons.push(Reason {
            text: format!("document {} is held by a person with another birth date", checked.number.as_str()),
            withheld_from_applicant: true,
        });
    }
    for person in &known {
        let stored = state.store.person_records(*person).await?;
        let profile = Profile::project(*person, &stored);
        for ban in measures(&profile, Category::EntryBans, &BAN_KINDS, from, to) {
            reasons.push(Reason {
                text: format!(
                    "{} in force from {}{} (record {})",
                    ban.kind.replace('_', " "),
                    ban.effective_from,
                    ban.effective_to.map(|end| format!(" until {end}")).unwrap_or_default(),
                    ban.record_id
                ),
                withheld_from_applicant: true,
            });
        }
        for notice in measures(&profile, Category::Wanted, &WANTED_KINDS, from, to) {
            reasons.push(Reason {
                text: format!(
                    "{} wanted notice since {} (record {})",
                    notice.kind, notice.effective_from, notice.record_id
                ),
                withheld_from_applicant: true,
            });
        }
    }
    for hit in lost_stolen_hits(&state, &checked.number, &checked.country).await? {
        reasons.push(Reason {
            text: format!(
                "the document {} of {} is listed as lost or stolen (reported {} by {})",
                hit.document_number, hit.issuing_country, hit.reported_on, hit.source
            ),
            withheld_from_applicant: false,
        });
    }
    if let Some(expiry) = checked.expiry
        && expiry < checked.planned_exit
    {
        reasons.push(Reason {
            text: format!("the document expires on {expiry}, before the planned exit {}", checked.planned_exit),
            withheld_from_applicant: false,
        });
    }
    let outcome = if reasons.is_empty() { "clear" } else { "refer" };
    let all_reasons: Vec<(String, bool)> =
        reasons.into_iter().map(|reason| (reason.text, reason.withheld_from_applicant)).collect();
    let application_id = uuid::Uuid::new_v4().to_string();
    let application = serde_json::to_value(&request).map_err(ApiError::internal)?;
    let row = PreArrivalRow {
        application_id: application_id.clone(),
        person_id,
        document_country: checked.country.as_str().to_owned(),
        document_number: checked.number.as_str().to_owned(),
        birth_date: checked.birth_date.to_string(),
        submitted_at: hospes_audit::timestamp(submitted_at),
        submitted_by: grant.principal.subject.clone(),
        outcome: outcome.to_owned(),
        application: application.to_string(),
        reasons: serde_json::to_string(&all_reasons).map_err(ApiError::internal)?,
    };
    state.store.insert_pre_arrival_application(&row).await?;
    let persons: Vec<PersonId> = person_id.into_iter().collect();
    let audit_event = grant
        .audit("submit_pre_arrival_application", persons, [Category::EntryBans, Category::Wanted], Outcome::Allowed)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ApplicationResponse {
            application_id,
            outcome: outcome.to_owned(),
            reasons: reasons_for(&grant, &all_reasons),
            submitted_at: row.submitted_at,
            person_id: person_id.filter(|_| !grant.principal.roles.contains(&Role::Person)).map(|id| id.uuid()),
            application,
            access: note(&grant, audit_event),
        }),
    )
        .into_response())
}

/// Read a pre-arrival application back, with its outcome and reasons.
///
/// The applicant reads their own (purpose `own-data`); border and migration officers read any.
#[utoipa::path(
    get,
    path = "/v1/border/applications/{application_id}",
    tag = "border",
    params(("application_id" = String, Path, description = "The application id")),
    responses(
        (status = 200, body = ApplicationResponse),
        (status = 401, description = "No valid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn read_application(
    State(state): State<AppState>,
    mut headers: HeaderMap,
    Path(application_id): Path<String>,
) -> Result<Json<ApplicationResponse>, ApiError> {
    let application_id = uuid::Uuid::parse_str(&application_id)
        .map_err(|error| ApiError::InvalidParameter(format!("application id {application_id:?}: {error}")))?
        .to_string();
    crate::reads::declare_own_data(&mut headers);
    let purpose = request_purpose(&headers)?;
    let row = state.store.pre_arrival_application(&application_id).await?;
    let principal = crate::access::authenticate(&state.access, &headers)?;
    // An applicant's own application is theirs by person id, or by having submitted it.
    let target = match &row {
        Some(row) if principal.person_id.is_some() && row.submitted_by == principal.subject => Target::Caller,
        Some(row) => row.person_id.map_or(Target::Search, Target::Person),
        None => Target::Search,
    };
    let grant = grant_action(&state, &headers, Action::PreArrivalApplication, purpose, target).await?;
    let Some(row) = row else {
        grant.audit("read_pre_arrival_application", vec![], [], Outcome::NotFound).await?;
        return Err(ApiError::NotFound(format!("no application {application_id}")));
    };
    let reasons: Vec<(String, bool)> = serde_json::from_str(&row.reasons).map_err(ApiError::internal)?;
    let persons: Vec<PersonId> = row.person_id.into_iter().collect();
    let audit_event =
        grant.audit("read_pre_arrival_application", persons, [Category::PreArrival], Outcome::Allowed).await?;
    Ok(Json(ApplicationResponse {
        application_id: row.application_id,
        outcome: row.outcome,
        reasons: reasons_for(&grant, &reasons),
        submitted_at: row.submitted_at,
        person_id: row.person_id.filter(|_| !grant.principal.roles.contains(&Role::Person)).map(|id| id.uuid()),
        application: serde_json::from_str(&row.application).unwrap_or(Value::Null),
        access: note(&grant, audit_event),
    }))
}

// ---- lost and stolen documents --------------------------------------------------------------------

/// One entry of a lost and stolen documents list.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LostStolenEntry {
    /// ISO 3166-1 alpha-3 (or ICAO `D` for Germany).
    pub issuing_country: String,
    pub document_number: String,
    /// `passport`, `travel_document`, `identity_card`, `residence_card` or `birth_certificate`.
    pub document_type: String,
    /// `YYYY-MM-DD`.
    pub reported_on: String,
    /// Who reported it (an issuing state, Interpol, a police force).
    pub source: String,
}

/// The result of an import.
#[derive(Debug, Serialize, ToSchema)]
pub struct LostStolenImport {
    /// Entries in the list.
    pub received: usize,
    /// Entries that were not listed before.
    pub added: u64,
    /// Entries already listed (kept with their first report).
    pub already_listed: u64,
    /// Documents the list now holds.
    pub listed: i64,
}

fn entry_problem(line: usize, path: &str, reason: impl Into<String>) -> LineProblem {
    LineProblem { line, path: path.to_owned(), code: "invalid_field".into(), reason: reason.into() }
}

fn check_entry(
    line: usize,
    entry: LostStolenEntry,
    today: NaiveDate,
    problems: &mut Vec<LineProblem>,
) -> Option<LostStolenDocument> {
    let before = problems.len();
    let country = country_from_mrz(entry.issuing_country.trim());
    if country.is_none() {
        problems.push(entry_problem(
            line,
            "/issuing_country",
            format!("{:?} is not a country code", entry.issuing_country),
        ));
    }
    let number = DocumentNumber::parse(&entry.document_number)
        .map_err(|error| problems.push(entry_problem(line, "/document_number", error.to_string())))
        .ok();
    if serde_json::from_value::<hospes_model::DocumentKind>(json!(entry.document_type)).is_err() {
        problems.push(entry_problem(
            line,
            "/document_type",
            format!(
                "{:?} is not passport, travel_document, identity_card, residence_card or birth_certificate",
                entry.document_type
            ),
        ));
    }
    match Date::parse(&entry.reported_on) {
        Ok(day) if day.naive() > today => {
            problems.push(entry_problem(line, "/reported_on", format!("{day} is in the future")));
        }
        Ok(_) => {}
        Err(error) => problems.push(entry_problem(line, "/reported_on", error.to_string())),
    }
    if entry.source.trim().is_empty() || entry.source.chars().count() > 200 {
        problems.push(entry_problem(line, "/source", "name who reported it (1 to 200 characters)"));
    }
    if problems.len() > before {
        return None;
    }
    Some(LostStolenDocument {
        document_number: number?.as_str().to_owned(),
        issuing_country: country?.as_str().to_owned(),
        document_type: entry.document_type,
        reported_on: entry.reported_on,
        source: entry.source.trim().to_owned(),
    })
}

/// Why a lost and stolen list was refused: every problem, with its line (or array position, from 1).
#[derive(Debug, thiserror::Error)]
pub enum LostStolenListError {
    #[error("the list is empty")]
    Empty,
    #[error("the list holds {0} entries; at most {MAX_LOST_STOLEN_PER_REQUEST} are taken at once")]
    TooLarge(usize),
    #[error("{} problem(s) in the list; nothing was stored", .0.len())]
    Invalid(Vec<LineProblem>),
}

impl From<LostStolenListError> for ApiError {
    fn from(error: LostStolenListError) -> Self {
        match error {
            LostStolenListError::Empty => ApiError::EmptyBatch(error.to_string()),
            LostStolenListError::TooLarge(_) => ApiError::BatchTooLarge(error.to_string()),
            LostStolenListError::Invalid(ref errors) => {
                ApiError::InvalidRecords { detail: error.to_string(), errors: errors.clone() }
            }
        }
    }
}

/// Reads a lost and stolen documents list: a JSON array, or NDJSON (one entry per line). Every entry
/// is checked; any problem refuses the whole list.
pub fn parse_lost_stolen_list(bytes: &[u8], today: NaiveDate) -> Result<Vec<LostStolenDocument>, LostStolenListError> {
    let text = String::from_utf8_lossy(bytes);
    let trimmed = text.trim_start();
    let mut problems = Vec::new();
    let mut entries: Vec<(usize, Value)> = Vec::new();
    if trimmed.starts_with('[') {
        match serde_json::from_str::<Vec<Value>>(trimmed) {
            Ok(values) => entries.extend(values.into_iter().enumerate().map(|(index, value)| (index + 1, value))),
            Err(error) => problems.push(entry_problem(error.line(), "", format!("not a JSON array: {error}"))),
        }
    } else {
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Value>(line) {
                Ok(value) => entries.push((index + 1, value)),
                Err(error) => problems.push(entry_problem(index + 1, "", format!("not JSON: {error}"))),
            }
        }
    }
    if entries.len() > MAX_LOST_STOLEN_PER_REQUEST {
        return Err(LostStolenListError::TooLarge(entries.len()));
    }
    if entries.is_empty() && problems.is_empty() {
        return Err(LostStolenListError::Empty);
    }
    let mut documents = Vec::with_capacity(entries.len());
    for (line, value) in entries {
        match serde_json::from_value::<LostStolenEntry>(value) {
            Ok(entry) => documents.extend(check_entry(line, entry, today, &mut problems)),
            Err(error) => problems.push(entry_problem(line, "", error.to_string())),
        }
    }
    if problems.is_empty() { Ok(documents) } else { Err(LostStolenListError::Invalid(problems)) }
}

/// Add lost and stolen documents to the list checked at every crossing and application.
///
/// The body is a JSON array (`application/json`) or NDJSON (`application/x-ndjson`), one entry per
/// document. All or nothing: any invalid entry refuses the list, with every problem by line. A
/// document already listed keeps its first report.
#[utoipa::path(
    post,
    path = "/v1/border/lost-stolen",
    tag = "border",
    params(("Hospes-Purpose" = String, Header, description = "`border-check`")),
    request_body(content = String, content_type = "application/x-ndjson", description = "One entry per line, or a JSON array"),
    responses(
        (status = 201, body = LostStolenImport),
        (status = 400, description = "Empty list", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Too many entries", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid entries, every problem with its line", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_token" = []))
)]
pub async fn import_lost_stolen(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let purpose = request_purpose(&headers)?;
    let grant = grant_action(&state, &headers, Action::ImportLostStolen, purpose, Target::Search).await?;
    let now = Utc::now();
    let documents = parse_lost_stolen_list(&body, now.date_naive())?;
    let added = state.store.insert_lost_stolen_documents(&documents, &hospes_audit::timestamp(now)).await?;
    let listed = state.store.lost_stolen_count().await?;
    grant.audit("import_lost_stolen", vec![], [], Outcome::Allowed).await?;
    let received = documents.len();
    Ok((
        StatusCode::CREATED,
        Json(LostStolenImport { received, added, already_listed: received as u64 - added, listed }),
    )
        .into_response())
}
