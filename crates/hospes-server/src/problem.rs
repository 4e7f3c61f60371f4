//! Errors as RFC 9457 problem details (`application/problem+json`).
//!
//! Every error the API can return is a variant of [`ApiError`], and [`ApiError::code`] is the one
//! table of stable machine-readable codes with their HTTP status. Internal causes are logged with the
//! request, never sent to the client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The base of every problem `type` URI; the code is appended.
pub const PROBLEM_TYPE_BASE: &str = "https://hospes.dev/problems/";

/// One problem with one line of a batch.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineProblem {
    /// 1-based line number in the batch.
    pub line: usize,
    /// JSON Pointer to the field at fault; empty for the whole line.
    pub path: String,
    /// Machine-readable kind of problem (e.g. `invalid_field`, `category_not_permitted`, `conflict`).
    pub code: String,
    pub reason: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem: `https://hospes.dev/problems/<code>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The stable code of the problem (the last segment of `type`).
    pub code: String,
    /// For refused batches: every problem of every line.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<LineProblem>,
    /// For refused credentials: the verifier's refusal code (e.g. `wrong_purpose`, `expired`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
}

/// Every error the API returns.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    WrongAgency(String),
    #[error("agency '{0}' is not configured")]
    UnknownAgency(String),
    #[error("{detail}")]
    InvalidRecords { detail: String, errors: Vec<LineProblem> },
    #[error("{detail}")]
    CategoryNotPermitted { detail: String, errors: Vec<LineProblem> },
    #[error("{detail}")]
    Conflict { detail: String, errors: Vec<LineProblem> },
    #[error("{0}")]
    BatchTooLarge(String),
    #[error("{0}")]
    EmptyBatch(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    InvalidParameter(String),
    #[error("{0}")]
    NotFound(String),
    /// The person was merged into another; the answer redirects there.
    #[error("person {person} was merged into person {survivor}")]
    Merged { person: hospes_model::PersonId, survivor: hospes_model::PersonId },
    /// The request is valid but the state forbids it now (a contest already open, or decided).
    #[error("{0}")]
    StateConflict(String),
    #[error("person data is served to loopback clients only until access control is in place")]
    LoopbackOnly,
    /// No declared purpose, or one that is not on the list.
    #[error("{0}")]
    Purpose(String),
    /// Authenticated, but the policies do not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// The audit event could not be made durable, so no data is returned.
    #[error("the access could not be recorded in the audit log, so no data is returned; try again")]
    AuditUnavailable,
    #[error("the store is unavailable")]
    Unavailable,
    /// A credential that did not verify; the refusal says exactly why.
    #[error("the credential is refused: {0}")]
    CredentialRefused(hospes_credential::Refusal),
    /// A share code that cannot be used for this check (another purpose, revoked, expired, unknown).
    #[error("{0}")]
    ShareCodeRefused(String),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    /// The stable code, title and status of each error.
    pub fn code(&self) -> (&'static str, &'static str, StatusCode) {
        match self {
            Self::Unauthenticated(_) => ("unauthenticated", "Authentication required", StatusCode::UNAUTHORIZED),
            Self::WrongAgency(_) => ("wrong-agency", "The key belongs to another agency", StatusCode::FORBIDDEN),
            Self::UnknownAgency(_) => ("unknown-agency", "Unknown agency", StatusCode::NOT_FOUND),
            Self::InvalidRecords { .. } => {
                ("invalid-records", "The batch has invalid records", StatusCode::UNPROCESSABLE_ENTITY)
            }
            Self::CategoryNotPermitted { .. } => {
                ("category-not-permitted", "The agency may not write these categories", StatusCode::FORBIDDEN)
            }
            Self::Conflict { .. } => ("conflict", "Records clash with stored ones", StatusCode::CONFLICT),
            Self::BatchTooLarge(_) => ("batch-too-large", "The batch is too large", StatusCode::PAYLOAD_TOO_LARGE),
            Self::EmptyBatch(_) => ("empty-batch", "The batch is empty", StatusCode::BAD_REQUEST),
            Self::UnsupportedMediaType(_) => {
                ("unsupported-media-type", "Unsupported media type", StatusCode::UNSUPPORTED_MEDIA_TYPE)
            }
            Self::InvalidParameter(_) => ("invalid-parameter", "Invalid parameter", StatusCode::BAD_REQUEST),
            Self::NotFound(_) => ("not-found", "Not found", StatusCode::NOT_FOUND),
            Self::Merged { .. } => {
                ("person-merged", "The person was merged into another", StatusCode::PERMANENT_REDIRECT)
            }
            Self::StateConflict(_) => ("state-conflict", "Not possible in the current state", StatusCode::CONFLICT),
            Self::LoopbackOnly => ("loopback-only", "Loopback clients only", StatusCode::FORBIDDEN),
            Self::Purpose(_) => ("purpose-required", "A declared purpose is required", StatusCode::BAD_REQUEST),
            Self::Forbidden(_) => ("forbidden", "Not allowed by policy", StatusCode::FORBIDDEN),
            Self::AuditUnavailable => {
                ("audit-unavailable", "The audit log is unavailable", StatusCode::SERVICE_UNAVAILABLE)
            }
            Self::Unavailable => ("unavailable", "Service unavailable", StatusCode::SERVICE_UNAVAILABLE),
            Self::CredentialRefused(_) => {
                ("credential-refused", "The credential is refused", StatusCode::UNPROCESSABLE_ENTITY)
            }
            Self::ShareCodeRefused(_) => {
                ("share-code-refused", "The share code cannot be used", StatusCode::UNPROCESSABLE_ENTITY)
            }
            Self::Internal(_) => ("internal", "Internal error", StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    pub fn internal(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(error))
    }

    pub fn to_problem(&self) -> Problem {
        let (code, title, status) = self.code();
        let errors = match self {
            Self::InvalidRecords { errors, .. }
            | Self::CategoryNotPermitted { errors, .. }
            | Self::Conflict { errors, .. } => errors.clone(),
            _ => Vec::new(),
        };
        Problem {
            problem_type: format!("{PROBLEM_TYPE_BASE}{code}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: self.to_string(),
            code: code.to_owned(),
            errors,
            refusal: match self {
                Self::CredentialRefused(refusal) => Some(refusal.code().to_owned()),
                _ => None,
            },
        }
    }
}

impl From<hospes_store::StoreError> for ApiError {
    fn from(error: hospes_store::StoreError) -> Self {
        if error.is_unavailable() {
            tracing::error!(%error, "store unavailable");
            Self::Unavailable
        } else {
            Self::internal(error)
        }
    }
}

/// Marks a response about a merged person, for the middleware that adds the redirect's `Location`
/// (it knows the request's path; the error does not).
#[derive(Debug, Clone, Copy)]
pub struct MergedInto {
    pub person: hospes_model::PersonId,
    pub survivor: hospes_model::PersonId,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(error = ?cause, "internal error");
        }
        let problem = self.to_problem();
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(problem)).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Self::Merged { person, survivor } = &self {
            response.extensions_mut().insert(MergedInto { person: *person, survivor: *survivor });
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"hospes\""));
        }
        response
    }
}
