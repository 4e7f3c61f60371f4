//! Parsing and validating an NDJSON batch: every line is checked and every problem reported, with its
//! line number, field path and reason, before anything is written.

use std::collections::HashMap;

use hospes_model::validation::{serde_path_to_pointer, strip_json_position};
use hospes_model::{
    Agency, FieldErrors, Payload, RecordBody, RecordEnvelope, RecordId, Sha256Digest, Timestamp, ValidationContext,
    canonical_json,
};
use serde::Serialize;

use crate::format::IngestLine;

/// Limits that keep one batch from exhausting the server.
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits {
    pub max_bytes: usize,
    pub max_lines: usize,
    pub max_line_bytes: usize,
}

impl Default for BatchLimits {
    fn default() -> Self {
        Self { max_bytes: 64 * 1024 * 1024, max_lines: 100_000, max_line_bytes: 256 * 1024 }
    }
}

/// What kind of problem a line has, for clients that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineErrorCode {
    InvalidUtf8,
    LineTooLong,
    MalformedJson,
    InvalidField,
    UnknownKind,
    CategoryNotPermitted,
    /// The same agency record id and version was already stored (or sent earlier in the batch) with
    /// different content.
    Conflict,
    UnknownSupersededRecord,
}

/// One problem with one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineError {
    /// 1-based line number in the batch.
    pub line: usize,
    /// JSON Pointer to the field at fault; empty for the whole line.
    pub path: String,
    pub code: LineErrorCode,
    pub reason: String,
}

/// Why a whole batch was refused. Nothing of a refused batch is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchRejection {
    #[error("the batch holds no records")]
    Empty,
    #[error("the batch has {bytes} bytes; at most {limit} are accepted")]
    TooLarge { bytes: usize, limit: usize },
    #[error("the batch has more than {limit} lines")]
    TooManyLines { limit: usize },
    #[error("{} line(s) of the batch are invalid", .0.len())]
    InvalidLines(Vec<LineError>),
}

impl BatchRejection {
    pub fn line_errors(&self) -> &[LineError] {
        match self {
            Self::InvalidLines(errors) => errors,
            _ => &[],
        }
    }

    /// Whether the refusal is about permission (an agency writing outside its remit) rather than form.
    pub fn is_permission_problem(&self) -> bool {
        self.line_errors().iter().any(|error| error.code == LineErrorCode::CategoryNotPermitted)
    }

    /// Whether the refusal is a clash with what is already stored.
    pub fn is_conflict(&self) -> bool {
        let errors = self.line_errors();
        !errors.is_empty() && errors.iter().all(|error| error.code == LineErrorCode::Conflict)
    }
}

/// A line that passed every check, ready to be chained.
#[derive(Debug, Clone)]
pub struct ValidatedRecord {
    pub line: usize,
    pub envelope: RecordEnvelope,
    pub body: RecordBody,
    /// Canonical bytes of `body`.
    pub body_bytes: Vec<u8>,
    /// SHA-256 of the normalised submission, to tell a re-sent record from a conflicting one.
    pub submission_digest: Sha256Digest,
    /// Records the agency named in `supersedes`; they must exist.
    pub explicit_supersedes: Vec<RecordId>,
    /// A fresh random salt for the body digest.
    pub body_salt: [u8; 16],
    /// `SHA-256(body_salt ‖ body_bytes)`.
    pub body_digest: Sha256Digest,
    /// The canonical header the chain hashes, for the envelope as it stands; computed here, off the
    /// append path, and recomputed at append only if the envelope's supersessions change.
    pub header: Vec<u8>,
}

/// The parts of a submission besides its body that define "the same record". The submission digest
/// is `SHA-256(canonical(these) ‖ canonical body)`, so the body is serialised only once.
#[derive(Serialize)]
struct SubmissionEnvelope<'a> {
    category: &'a str,
    kind: &'a str,
    effective_from: hospes_model::Date,
    effective_to: Option<hospes_model::Date>,
    legal_basis: &'a str,
    supersedes: &'a [RecordId],
}

/// Parses and validates a batch for `agency`. Either every line is valid, or the rejection lists
/// every problem of every line.
pub fn validate_batch(
    agency: &Agency,
    bytes: &[u8],
    received_at: Timestamp,
    limits: &BatchLimits,
) -> Result<Vec<ValidatedRecord>, BatchRejection> {
    if bytes.len() > limits.max_bytes {
        return Err(BatchRejection::TooLarge { bytes: bytes.len(), limit: limits.max_bytes });
    }
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut line_count = 0;
    for (index, raw_line) in bytes.split(|byte| *byte == b'\n').enumerate() {
        let line_number = index + 1;
        let raw_line = raw_line.strip_suffix(b"\r").unwrap_or(raw_line);
        if raw_line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        line_count += 1;
        if line_count > limits.max_lines {
            return Err(BatchRejection::TooManyLines { limit: limits.max_lines });
        }
        match validate_line(agency, line_number, raw_line, received_at, limits) {
            Ok(record) => records.push(record),
            Err(line_errors) => errors.extend(line_errors),
        }
    }
    errors.extend(check_repeats_within_batch(&records));
    if !errors.is_empty() {
        return Err(BatchRejection::InvalidLines(errors));
    }
    if records.is_empty() {
        return Err(BatchRejection::Empty);
    }
    Ok(records)
}

/// The same record id and version twice in one batch: harmless if identical, a conflict otherwise.
fn check_repeats_within_batch(records: &[ValidatedRecord]) -> Vec<LineError> {
    let mut first_seen: HashMap<RecordId, &ValidatedRecord> = HashMap::new();
    let mut errors = Vec::new();
    for record in records {
        match first_seen.get(&record.envelope.record_id) {
            None => {
                first_seen.insert(record.envelope.record_id, record);
            }
            Some(first) if first.submission_digest != record.submission_digest => errors.push(LineError {
                line: record.line,
                path: "/record_id".into(),
                code: LineErrorCode::Conflict,
                reason: format!(
                    "record '{}' version {} is also on line {} with different content",
                    record.envelope.source_record_id, record.envelope.source_version, first.line
                ),
            }),
            Some(_) => {}
        }
    }
    errors
}

fn line_error(line: usize, path: impl Into<String>, code: LineErrorCode, reason: impl Into<String>) -> LineError {
    LineError { line, path: path.into(), code, reason: reason.into() }
}

fn validate_line(
    agency: &Agency,
    line: usize,
    raw_line: &[u8],
    received_at: Timestamp,
    limits: &BatchLimits,
) -> Result<ValidatedRecord, Vec<LineError>> {
    if raw_line.len() > limits.max_line_bytes {
        return Err(vec![line_error(
            line,
            "",
            LineErrorCode::LineTooLong,
            format!("the line has {} bytes; at most {} are accepted", raw_line.len(), limits.max_line_bytes),
        )]);
    }
    let text = std::str::from_utf8(raw_line).map_err(|error| {
        vec![line_error(
            line,
            "",
            LineErrorCode::InvalidUtf8,
            format!("the line is not valid UTF-8 (invalid byte at column {})", error.valid_up_to() + 1),
        )]
    })?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed: IngestLine = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let inner = error.inner();
        let code = if inner.is_syntax() || inner.is_eof() {
            LineErrorCode::MalformedJson
        } else {
            LineErrorCode::InvalidField
        };
        let path = if code == LineErrorCode::MalformedJson {
            String::new()
        } else {
            serde_path_to_pointer("", &error.path().to_string())
        };
        let reason = if code == LineErrorCode::MalformedJson {
            format!("{} (column {})", strip_json_position(&inner.to_string()), inner.column())
        } else {
            strip_json_position(&inner.to_string()).to_owned()
        };
        vec![line_error(line, path, code, reason)]
    })?;
    if let Err(error) = deserializer.end() {
        return Err(vec![line_error(
            line,
            "",
            LineErrorCode::MalformedJson,
            format!("unexpected text after the record (column {}); put one record per line", error.column()),
        )]);
    }
    let mut errors = Vec::new();
    let category = parsed.category;
    if !agency.may_write(category) {
        errors.push(line_error(
            line,
            "/category",
            LineErrorCode::CategoryNotPermitted,
            format!("agency '{}' may not write category '{category}'", agency.id),
        ));
    }
    if !category.kinds().contains(&parsed.kind.as_str()) {
        errors.push(line_error(
            line,
            "/kind",
            LineErrorCode::UnknownKind,
            format!(
                "'{}' is not a kind of category '{category}'; expected one of: {}",
                parsed.kind,
                category.kinds().join(", ")
            ),
        ));
    }
    if parsed.version == 0 {
        errors.push(line_error(line, "/version", LineErrorCode::InvalidField, "versions start at 1"));
    }
    let payload = match Payload::from_json(category, parsed.payload.get()) {
        Ok(payload) => Some(payload),
        Err(error) => {
            errors.push(line_error(line, error.path, LineErrorCode::InvalidField, error.reason));
            None
        }
    };
    let mut field_errors = FieldErrors::new();
    field_errors.order(
        Some(parsed.effective_from),
        parsed.effective_to,
        "/effective_to",
        "a record's effective period ends after it starts",
    );
    let received_on = received_at.date();
    parsed.subject.validate(received_on, &mut field_errors);
    if let Some(payload) = &payload {
        payload.validate(
            &ValidationContext {
                kind: &parsed.kind,
                effective_from: parsed.effective_from.naive(),
                effective_to: parsed.effective_to.map(hospes_model::Date::naive),
                received_on,
            },
            &mut field_errors,
        );
    }
    let mut explicit_supersedes = Vec::with_capacity(parsed.supersedes.len());
    for (index, superseded) in parsed.supersedes.iter().enumerate() {
        if superseded.version == 0 {
            field_errors.push(format!("/supersedes/{index}/version"), "versions start at 1");
        }
        if superseded.record_id == parsed.record_id && superseded.version >= parsed.version {
            field_errors.push(format!("/supersedes/{index}"), "a record can only supersede earlier versions of itself");
        }
        explicit_supersedes.push(RecordId::derive(&agency.id, &superseded.record_id, superseded.version));
    }
    errors.extend(
        field_errors
            .into_vec()
            .into_iter()
            .map(|error| line_error(line, error.path, LineErrorCode::InvalidField, error.reason)),
    );
    let Some(payload) = payload else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }

    let body = RecordBody { subject: parsed.subject, payload };
    let internal = |what: &str, error: hospes_model::CanonicalError| {
        vec![line_error(line, "", LineErrorCode::InvalidField, format!("cannot serialise the {what}: {error}"))]
    };
    let body_bytes = body.canonical_bytes().map_err(|error| internal("body", error))?;
    let submission_envelope = canonical_json(&SubmissionEnvelope {
        category: category.as_str(),
        kind: &parsed.kind,
        effective_from: parsed.effective_from,
        effective_to: parsed.effective_to,
        legal_basis: parsed.legal_basis.as_str(),
        supersedes: &explicit_supersedes,
    })
    .map_err(|error| internal("submission", error))?;
    let submission_digest = Sha256Digest::of(&[&submission_envelope, &body_bytes]);
    let envelope = RecordEnvelope {
        record_id: RecordId::derive(&agency.id, &parsed.record_id, parsed.version),
        agency: agency.id.clone(),
        source_record_id: parsed.record_id,
        source_version: parsed.version,
        category,
        kind: parsed.kind,
        effective_from: parsed.effective_from,
        effective_to: parsed.effective_to,
        legal_basis: parsed.legal_basis,
        received_at,
        sensitivity: category.sensitivity(),
        supersedes: explicit_supersedes.clone(),
    };
    let mut body_salt = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut body_salt);
    let body_digest = hospes_model::body_digest(&body_salt, &body_bytes);
    let header = hospes_model::canonical_header(&envelope, body_digest).map_err(|error| internal("header", error))?;
    Ok(ValidatedRecord {
        line,
        envelope,
        body,
        body_bytes,
        submission_digest,
        explicit_supersedes,
        body_salt,
        body_digest,
        header,
    })
}
