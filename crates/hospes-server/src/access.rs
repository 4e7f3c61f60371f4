//! The gate every person-data request passes: who is asking (a bearer token), for what declared
//! purpose, which categories the policies let them see, and the audit event that must be durable
//! before any data leaves.
//!
//! A handler asks for a [`Grant`] first ([`grant`]), filters what it returns by the grant's category
//! decision, then calls [`Grant::audit`] and answers only if that succeeded. Refusals of an
//! authenticated caller are audited too, so the person's access log shows attempts as well as reads.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use hospes_audit::{Actor, AuditEvent, AuditLog, AuditLogConfig, Outcome};
use hospes_model::{Category, PersonId};
use hospes_policy::{Action, Authoriser, CategoryDecision, PURPOSE_HEADER, Principal, Purpose, TokenVerifier};
use hospes_store::StoreLocation;
use hospes_store::audit::AuditStore;
use hospes_transparency::SigningKey;

use crate::AppState;
use crate::problem::ApiError;

/// Whether access control and audit are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessMode {
    /// Tokens, purposes, policies and audit: how Hospes runs.
    Enforced,
    /// None of them, for loopback clients only: the baseline that `hospes bench lookup` measures the
    /// cost of access control against. Never offered by `hospes serve`.
    UnprotectedLoopbackOnly,
}

/// What the server needs to decide and record access.
pub struct AccessControl {
    pub mode: AccessMode,
    /// Verifies officers', third parties' and persons' bearer tokens; `None` when no issuer is
    /// configured, and then only agencies (with their API keys) can use the API.
    pub tokens: Option<TokenVerifier>,
    pub authoriser: Authoriser,
    pub audit: Arc<AuditLog>,
    pub audit_store: Arc<dyn AuditStore>,
}

/// Why access control could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum AccessSetupError {
    #[error("cannot open the audit log's store: {0}")]
    Store(#[from] hospes_store::StoreError),
    #[error(transparent)]
    Audit(#[from] hospes_audit::AuditError),
}

impl AccessControl {
    /// Opens the audit log of the store at `location` (rebuilding its tree, starting its writer) and
    /// puts access control together.
    pub async fn open(
        location: &StoreLocation,
        mode: AccessMode,
        tokens: Option<TokenVerifier>,
        authoriser: Authoriser,
        signing_key: SigningKey,
    ) -> Result<AccessControl, AccessSetupError> {
        let audit_store = hospes_store::open_audit_store(location).await?;
        let audit = AuditLog::open(audit_store.clone(), signing_key, AuditLogConfig::default()).await?;
        Ok(AccessControl { mode, tokens, authoriser, audit: Arc::new(audit), audit_store })
    }
}

/// What the request is about.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// One person's data.
    Person(PersonId),
    /// A search: the persons are not known yet.
    Search,
    /// The caller's own data: the person their token is bound to (none for an officer's token).
    Caller,
}

impl Target {
    /// `Caller` made concrete from the authenticated principal.
    fn for_principal(self, principal: &Principal) -> Target {
        match self {
            Target::Caller => principal.person_id.map_or(Target::Search, Target::Person),
            other => other,
        }
    }
}

/// Permission to read, for one request: who, why, which categories; and the duty to audit.
pub struct Grant {
    pub principal: Principal,
    pub purpose: Purpose,
    pub decision: Arc<CategoryDecision>,
    request_id: String,
    audit: Option<Arc<AuditLog>>,
}

fn request_id(headers: &HeaderMap) -> String {
    headers.get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or("").to_owned()
}

/// The caller's principal, from a bearer token.
pub fn authenticate(control: &AccessControl, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let authorization = headers.get(AUTHORIZATION).and_then(|value| value.to_str().ok());
    if authorization.is_some_and(|value| value.trim_start_matches("Bearer ").trim().starts_with("hsk_")) {
        return Err(ApiError::Forbidden(
            "an agency API key writes records; it cannot read person data (use an officer's token)".into(),
        ));
    }
    let Some(tokens) = &control.tokens else {
        return Err(ApiError::Unauthenticated(
            "this server has no token issuer configured (start it with --jwks), so it serves no person data".into(),
        ));
    };
    tokens.authenticate(authorization).map_err(|error| ApiError::Unauthenticated(error.to_string()))
}

/// The actor of an audit event.
pub fn actor(principal: &Principal) -> Actor {
    Actor {
        subject: principal.subject.clone(),
        organisation: principal.organisation.clone(),
        roles: principal.roles.iter().map(|role| role.as_str().to_owned()).collect(),
        region: principal.region.clone(),
    }
}

/// Records a refusal of an authenticated caller, then returns the refusal.
async fn refuse(
    control: &AccessControl,
    headers: &HeaderMap,
    principal: &Principal,
    action: &str,
    purpose: Option<Purpose>,
    target: Target,
    error: ApiError,
) -> ApiError {
    let mut event = AuditEvent::new(request_id(headers), actor(principal), action, Outcome::Denied);
    event.purpose = purpose.map(|purpose| purpose.as_str().to_owned());
    if let Target::Person(person) = target {
        event.persons = vec![person];
    }
    event.detail = Some(error.to_string());
    match control.audit.record(event).await {
        Ok(_) => error,
        Err(audit_error) => {
            tracing::error!(%audit_error, "a refusal could not be audited");
            ApiError::AuditUnavailable
        }
    }
}

/// Authenticates the caller, reads the declared purpose and decides which categories they may see.
/// In the unprotected benchmark mode, loopback callers get everything, unaudited.
pub async fn grant(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    action: &str,
    target: Target,
) -> Result<Grant, ApiError> {
    let control = &state.access;
    if control.mode == AccessMode::UnprotectedLoopbackOnly {
        if !peer.is_some_and(|peer| peer.ip().is_loopback()) {
            return Err(ApiError::LoopbackOnly);
        }
        return Ok(Grant {
            principal: Principal {
                subject: "benchmark".into(),
                organisation: "benchmark".into(),
                roles: Default::default(),
                region: None,
                person_id: None,
            },
            purpose: Purpose::Audit,
            decision: Arc::new(CategoryDecision {
                allowed: Category::ALL.into_iter().collect(),
                withheld: Default::default(),
                granted_by: Default::default(),
            }),
            request_id: request_id(headers),
            audit: None,
        });
    }
    let principal = authenticate(control, headers)?;
    let target = target.for_principal(&principal);
    let declared = headers.get(PURPOSE_HEADER).map(|value| value.to_str().unwrap_or("\u{fffd}"));
    let purpose = match Purpose::from_header_value(declared) {
        Ok(purpose) => purpose,
        Err(error) => {
            let error = ApiError::Purpose(format!("{error} (no purpose, no data)"));
            return Err(refuse(control, headers, &principal, action, None, target, error).await);
        }
    };
    let target_is_self = matches!(target, Target::Person(person) if principal.is_self(person));
    let decision = match control.authoriser.categories_for(&principal, purpose, target_is_self) {
        Ok(decision) if !decision.allows_nothing() => decision,
        Ok(_) => {
            let error =
                ApiError::Forbidden(format!("purpose {purpose} lets your roles see no category of this person's data"));
            return Err(refuse(control, headers, &principal, action, Some(purpose), target, error).await);
        }
        Err(error) => {
            let error = ApiError::Forbidden(error.to_string());
            return Err(refuse(control, headers, &principal, action, Some(purpose), target, error).await);
        }
    };
    Ok(Grant { principal, purpose, decision, request_id: request_id(headers), audit: Some(control.audit.clone()) })
}

/// Authenticates the caller and checks one non-read action (a contest, the access log, a check).
pub async fn grant_action(
    state: &AppState,
    headers: &HeaderMap,
    action: Action,
    purpose: Purpose,
    target: Target,
) -> Result<Grant, ApiError> {
    let control = &state.access;
    let principal = authenticate(control, headers)?;
    let target = target.for_principal(&principal);
    let target_is_self = matches!(target, Target::Person(person) if principal.is_self(person));
    if let Err(error) = control.authoriser.authorise_action(&principal, action, purpose, target_is_self) {
        let error = ApiError::Forbidden(error.to_string());
        return Err(refuse(control, headers, &principal, action.as_str(), Some(purpose), target, error).await);
    }
    let decision = control.authoriser.categories_for(&principal, purpose, target_is_self).unwrap_or_else(|_| {
        Arc::new(CategoryDecision {
            allowed: Default::default(),
            withheld: Category::ALL.into_iter().collect(),
            granted_by: Default::default(),
        })
    });
    Ok(Grant { principal, purpose, decision, request_id: request_id(headers), audit: Some(control.audit.clone()) })
}

impl Grant {
    pub fn allows(&self, category: Category) -> bool {
        self.decision.is_allowed(category)
    }

    /// The categories withheld from this caller, by id.
    pub fn withheld(&self) -> Vec<String> {
        self.decision.withheld.iter().map(|category| category.as_str().to_owned()).collect()
    }

    /// Records what the request did; the caller answers only if this succeeds. Returns the event's
    /// position in the audit log (none in the unprotected benchmark mode).
    pub async fn audit(
        &self,
        action: &str,
        persons: Vec<PersonId>,
        returned: impl IntoIterator<Item = Category>,
        outcome: Outcome,
    ) -> Result<Option<u64>, ApiError> {
        let Some(audit) = &self.audit else {
            return Ok(None);
        };
        let mut event = AuditEvent::new(self.request_id.clone(), actor(&self.principal), action, outcome);
        event.purpose = Some(self.purpose.as_str().to_owned());
        event.persons = persons;
        let mut returned: Vec<String> = returned.into_iter().map(|category| category.as_str().to_owned()).collect();
        returned.sort();
        returned.dedup();
        event.categories_returned = returned;
        event.categories_withheld = self.withheld();
        match audit.record(event).await {
            Ok(receipt) => Ok(Some(receipt.leaf_index)),
            Err(error) => {
                tracing::error!(%error, "an access could not be audited; no data is returned");
                Err(ApiError::AuditUnavailable)
            }
        }
    }
}
