//! The authoriser: Cedar decides, and each decision is kept for the next request with the same roles,
//! purpose and target.
//!
//! A decision depends on nothing but the principal's roles, the declared purpose and whether the
//! person asked about is the principal themself: the schema gives `Principal` no attributes, and the
//! request context holds only those two facts. So the answer for one such key is computed once by
//! Cedar (one request per category and per action, over only the policies that can apply to the roles
//! held) and then served from a small map; an officer lookup costs a read lock and a hash lookup, not
//! 25 policy evaluations.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, PoisonError, RwLock};

use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid, Policy, PolicySet,
    PrincipalConstraint, Request, Response, RestrictedExpression, Schema,
};
use hospes_model::Category;

use super::loading::{PolicyLoadError, PolicySources, validate_sources};
use super::vocabulary::{Action, Principal, Purpose, Role, role_list};

/// Which categories of a person's records a response may carry, and which it must report as withheld.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryDecision {
    pub allowed: BTreeSet<Category>,
    /// Every category not allowed, so a response can say what it left out.
    pub withheld: BTreeSet<Category>,
    /// The ids (`@id`) of the policies that allowed a category, for the audit log.
    pub granted_by: BTreeSet<String>,
}

impl CategoryDecision {
    pub fn is_allowed(&self, category: Category) -> bool {
        self.allowed.contains(&category)
    }

    /// True when nothing may be shown (for example a person asking about someone else).
    pub fn allows_nothing(&self) -> bool {
        self.allowed.is_empty()
    }
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthorisationError {
    /// None of the principal's roles may act under this purpose: the request is refused as a whole.
    #[error("purpose {purpose} is not permitted for roles {}", role_list(roles))]
    PurposeNotPermitted { purpose: Purpose, roles: Vec<Role> },
    /// The purpose is permitted, but not this action under it.
    #[error("action {action} is not permitted for roles {} with purpose {purpose}", role_list(roles))]
    ActionNotPermitted { action: Action, purpose: Purpose, roles: Vec<Role> },
    /// Cedar could not build the request; the schema was checked at start-up, so this is a bug.
    #[error("the authorisation request could not be evaluated: {0}")]
    Evaluation(String),
}

/// Decides what a principal may read and do, from the Cedar policies loaded at start-up.
pub struct Authoriser {
    policies: PolicySet,
    slices: PolicySlices,
    authorizer: Authorizer,
    names: CedarNames,
    file_names: Vec<String>,
    cache: RwLock<HashMap<DecisionKey, Arc<Grant>>>,
}

impl std::fmt::Debug for Authoriser {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Authoriser")
            .field("files", &self.file_names)
            .field("policies", &self.policies.policies().count())
            .finish_non_exhaustive()
    }
}

/// Everything a decision depends on, packed small: the role set as bits, the purpose, the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct DecisionKey {
    roles: u16,
    purpose: u8,
    target_is_self: bool,
}

/// What one key allows: whether the purpose may be declared, the categories, and the other actions.
#[derive(Debug)]
struct Grant {
    purpose_permitted: bool,
    categories: Arc<CategoryDecision>,
    /// Bit `Action::index()` set when the action is permitted.
    actions: u16,
}

/// The policies split by the role their principal scope names (`principal in Role::"…"`), so that a
/// first-time evaluation asks Cedar only about policies that can apply to the roles held. A policy
/// whose scope names no single role is evaluated for everyone.
///
/// Sound because the principal's only ancestors are the roles it holds: `principal in Role::"r"` is
/// false for every other role, so leaving those policies out changes no decision.
struct PolicySlices {
    by_role: Vec<Vec<Policy>>,
    for_everyone: Vec<Policy>,
}

impl PolicySlices {
    fn new(policies: &PolicySet, names: &CedarNames) -> PolicySlices {
        let mut slices = PolicySlices { by_role: vec![Vec::new(); Role::ALL.len()], for_everyone: Vec::new() };
        for policy in policies.policies() {
            let role_named = match policy.principal_constraint() {
                PrincipalConstraint::In(group) | PrincipalConstraint::IsIn(_, group) => {
                    names.roles.iter().position(|role| *role == group)
                }
                PrincipalConstraint::Any | PrincipalConstraint::Eq(_) | PrincipalConstraint::Is(_) => None,
            };
            match role_named {
                Some(index) => slices.by_role[index].push(policy.clone()),
                None => slices.for_everyone.push(policy.clone()),
            }
        }
        slices
    }

    /// The policies that may apply to a principal holding `roles`.
    fn for_roles(&self, roles: u16) -> Result<PolicySet, AuthorisationError> {
        let mut set = PolicySet::new();
        let held = Role::ALL.into_iter().filter(|role| roles & (1 << role.index()) != 0);
        let sliced = held.flat_map(|role| self.by_role[role.index()].iter()).chain(self.for_everyone.iter());
        for policy in sliced {
            set.add(policy.clone()).map_err(|error| AuthorisationError::Evaluation(error.to_string()))?;
        }
        Ok(set)
    }
}

/// The Cedar entity uids Hospes sends, built once so that evaluating costs no parsing.
struct CedarNames {
    principal_type: EntityTypeName,
    roles: Vec<EntityUid>,
    purposes: Vec<EntityUid>,
    categories: Vec<EntityUid>,
    actions: Vec<EntityUid>,
    declare_purpose: EntityUid,
    read_category: EntityUid,
    registry: EntityUid,
}

impl CedarNames {
    fn new() -> Result<CedarNames, String> {
        let entity_type = |name: &str| {
            EntityTypeName::from_str(name)
                .map_err(|error| format!("entity type {name} is not a valid Cedar name: {error}"))
        };
        let role_type = entity_type("Role")?;
        let purpose_type = entity_type("Purpose")?;
        let category_type = entity_type("Category")?;
        let action_type = entity_type("Action")?;
        let registry_type = entity_type("Registry")?;
        let uid = |entity_type: &EntityTypeName, id: &str| {
            EntityUid::from_type_name_and_id(entity_type.clone(), EntityId::new(id))
        };
        Ok(CedarNames {
            principal_type: entity_type("Principal")?,
            roles: Role::ALL.iter().map(|role| uid(&role_type, role.as_str())).collect(),
            purposes: Purpose::ALL.iter().map(|purpose| uid(&purpose_type, purpose.as_str())).collect(),
            categories: Category::ALL.iter().map(|category| uid(&category_type, category.as_str())).collect(),
            actions: Action::ALL.iter().map(|action| uid(&action_type, action.as_str())).collect(),
            declare_purpose: uid(&action_type, "declare_purpose"),
            read_category: uid(&action_type, "read_category"),
            registry: uid(&registry_type, "hospes"),
        })
    }
}

impl Authoriser {
    /// The policies shipped with Hospes (`policies/`, embedded at build time).
    pub fn default_policies() -> Result<Authoriser, PolicyLoadError> {
        Authoriser::from_sources(&PolicySources::embedded())
    }

    /// The policies of a directory holding `hospes.cedarschema` and `*.cedar` files, for an operator
    /// who replaces the defaults at start-up.
    pub fn from_directory(directory: impl AsRef<Path>) -> Result<Authoriser, PolicyLoadError> {
        Authoriser::from_sources(&PolicySources::read_directory(directory.as_ref())?)
    }

    /// Parses and validates the sources, and checks that the schema accepts every request Hospes
    /// will send, so that a mismatch stops the start rather than a request.
    pub fn from_sources(sources: &PolicySources) -> Result<Authoriser, PolicyLoadError> {
        let validated = validate_sources(sources)?;
        let names = CedarNames::new()
            .map_err(|reason| PolicyLoadError::SchemaMismatch { file: sources.schema.name.clone(), reason })?;
        check_requests_fit_schema(&names, &validated.schema)
            .map_err(|reason| PolicyLoadError::SchemaMismatch { file: sources.schema.name.clone(), reason })?;
        Ok(Authoriser {
            slices: PolicySlices::new(&validated.policies, &names),
            policies: validated.policies,
            authorizer: Authorizer::new(),
            names,
            file_names: sources.policies.iter().map(|source| source.name.clone()).collect(),
            cache: RwLock::new(HashMap::new()),
        })
    }

    /// The ids (`@id`) of every loaded policy, sorted.
    pub fn policy_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.policies.policies().map(|policy| policy.id().to_string()).collect();
        ids.sort();
        ids
    }

    /// The categories the principal may read about a person for this purpose, and those withheld.
    ///
    /// `target_is_self` says whether that person is the principal themself (see
    /// [`Principal::is_self`]). A purpose that none of the principal's roles may declare is refused
    /// with [`AuthorisationError::PurposeNotPermitted`], never answered with an empty set; a permitted
    /// purpose may still allow no category (a yes/no check, an audit, a person asking about someone
    /// else).
    pub fn categories_for(
        &self,
        principal: &Principal,
        purpose: Purpose,
        target_is_self: bool,
    ) -> Result<Arc<CategoryDecision>, AuthorisationError> {
        let grant = self.grant(&principal.roles, purpose, target_is_self)?;
        if grant.purpose_permitted {
            Ok(Arc::clone(&grant.categories))
        } else {
            Err(purpose_refused(principal, purpose))
        }
    }

    /// Whether the principal may take `action` under `purpose`: the purpose must be permitted and the
    /// action too. Any error counts as no.
    pub fn may(&self, principal: &Principal, action: Action, purpose: Purpose, target_is_self: bool) -> bool {
        self.authorise_action(principal, action, purpose, target_is_self).is_ok()
    }

    /// Like [`Authoriser::may`], but says why not: the purpose refused as a whole, or the action.
    pub fn authorise_action(
        &self,
        principal: &Principal,
        action: Action,
        purpose: Purpose,
        target_is_self: bool,
    ) -> Result<(), AuthorisationError> {
        let grant = self.grant(&principal.roles, purpose, target_is_self)?;
        if !grant.purpose_permitted {
            return Err(purpose_refused(principal, purpose));
        }
        if grant.actions & (1 << action.index()) == 0 {
            return Err(AuthorisationError::ActionNotPermitted {
                action,
                purpose,
                roles: principal.roles.iter().copied().collect(),
            });
        }
        Ok(())
    }

    /// [`Authoriser::categories_for`] evaluated afresh by Cedar, neither reading nor filling the
    /// cache: for measuring the uncached cost, and for checking the cache against Cedar.
    pub fn categories_for_uncached(
        &self,
        principal: &Principal,
        purpose: Purpose,
        target_is_self: bool,
    ) -> Result<CategoryDecision, AuthorisationError> {
        let roles = role_bits(&principal.roles);
        let grant = self.evaluate(&self.slices.for_roles(roles)?, roles, purpose, target_is_self)?;
        if grant.purpose_permitted {
            Ok(grant.categories.as_ref().clone())
        } else {
            Err(purpose_refused(principal, purpose))
        }
    }

    /// How many (roles, purpose, target) decisions are cached.
    pub fn cached_decisions(&self) -> usize {
        self.cache.read().unwrap_or_else(PoisonError::into_inner).len()
    }

    fn grant(
        &self,
        roles: &BTreeSet<Role>,
        purpose: Purpose,
        target_is_self: bool,
    ) -> Result<Arc<Grant>, AuthorisationError> {
        let bits = role_bits(roles);
        let key = DecisionKey { roles: bits, purpose: purpose.index() as u8, target_is_self };
        // A panic while holding the lock cannot leave the map half-written (an insert is one call),
        // so a poisoned lock is still safe to use.
        if let Some(grant) = self.cache.read().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return Ok(Arc::clone(grant));
        }
        // Evaluated without holding the lock; two threads racing on a new key compute the same answer.
        let grant = Arc::new(self.evaluate(&self.slices.for_roles(bits)?, bits, purpose, target_is_self)?);
        let mut cache = self.cache.write().unwrap_or_else(PoisonError::into_inner);
        Ok(Arc::clone(cache.entry(key).or_insert(grant)))
    }

    /// Asks Cedar: may the purpose be declared, which categories may be read, which actions taken.
    fn evaluate(
        &self,
        policies: &PolicySet,
        roles: u16,
        purpose: Purpose,
        target_is_self: bool,
    ) -> Result<Grant, AuthorisationError> {
        let names = &self.names;
        let held: Vec<Role> = Role::ALL.into_iter().filter(|role| roles & (1 << role.index()) != 0).collect();
        // The principal is named after its roles: nothing else about it reaches the policies.
        let principal = EntityUid::from_type_name_and_id(
            names.principal_type.clone(),
            EntityId::new(format!("roles:{}", role_list(&held))),
        );
        let parents: HashSet<EntityUid> = held.iter().map(|role| names.roles[role.index()].clone()).collect();
        let entities = Entities::from_entities([Entity::new_no_attrs(principal.clone(), parents)], None)
            .map_err(|error| AuthorisationError::Evaluation(error.to_string()))?;
        let context = request_context(&names.purposes[purpose.index()], target_is_self)
            .map_err(AuthorisationError::Evaluation)?;
        let ask = |action: &EntityUid, resource: &EntityUid| -> Result<Response, AuthorisationError> {
            let request = Request::new(principal.clone(), action.clone(), resource.clone(), context.clone(), None)
                .map_err(|error| AuthorisationError::Evaluation(error.to_string()))?;
            Ok(self.authorizer.is_authorized(&request, policies, &entities))
        };

        let purpose_permitted =
            ask(&names.declare_purpose, &names.purposes[purpose.index()])?.decision() == Decision::Allow;
        let mut allowed = BTreeSet::new();
        let mut granted_by = BTreeSet::new();
        let mut actions = 0u16;
        if purpose_permitted {
            for category in Category::ALL {
                let response = ask(&names.read_category, &names.categories[category_index(category)])?;
                if response.decision() == Decision::Allow {
                    allowed.insert(category);
                    granted_by.extend(response.diagnostics().reason().map(|id| id.to_string()));
                }
            }
            for action in Action::ALL {
                if ask(&names.actions[action.index()], &names.registry)?.decision() == Decision::Allow {
                    actions |= 1 << action.index();
                }
            }
        }
        let withheld = Category::ALL.into_iter().filter(|category| !allowed.contains(category)).collect();
        Ok(Grant {
            purpose_permitted,
            categories: Arc::new(CategoryDecision { allowed, withheld, granted_by }),
            actions,
        })
    }
}

fn purpose_refused(principal: &Principal, purpose: Purpose) -> AuthorisationError {
    AuthorisationError::PurposeNotPermitted { purpose, roles: principal.roles.iter().copied().collect() }
}

fn role_bits(roles: &BTreeSet<Role>) -> u16 {
    roles.iter().fold(0u16, |bits, role| bits | (1 << role.index()))
}

/// `Category::ALL` is in declaration order, so a category's position is its discriminant.
fn category_index(category: Category) -> usize {
    category as usize
}

fn request_context(purpose: &EntityUid, target_is_self: bool) -> Result<Context, String> {
    Context::from_pairs([
        ("purpose".to_owned(), RestrictedExpression::new_entity_uid(purpose.clone())),
        ("target_is_self".to_owned(), RestrictedExpression::new_bool(target_is_self)),
    ])
    .map_err(|error| error.to_string())
}

/// Builds, against the schema, every kind of request Hospes sends: a principal holding every role,
/// each purpose, each category, each action. The schema is the operator's to replace; this makes sure
/// it still describes what the code sends.
fn check_requests_fit_schema(names: &CedarNames, schema: &Schema) -> Result<(), String> {
    let principal = EntityUid::from_type_name_and_id(names.principal_type.clone(), EntityId::new("check"));
    Entities::from_entities(
        [Entity::new_no_attrs(principal.clone(), names.roles.iter().cloned().collect())],
        Some(schema),
    )
    .map_err(|error| format!("a principal holding every role: {error}"))?;
    let build = |action: &EntityUid, resource: &EntityUid, purpose: &EntityUid| {
        let context = request_context(purpose, false)?;
        Request::new(principal.clone(), action.clone(), resource.clone(), context, Some(schema))
            .map(|_| ())
            .map_err(|error| format!("{action} on {resource}: {error}"))
    };
    for purpose in &names.purposes {
        build(&names.declare_purpose, purpose, purpose)?;
    }
    let any_purpose = names.purposes.first().ok_or_else(|| "no purpose is known".to_owned())?;
    for category in &names.categories {
        build(&names.read_category, category, any_purpose)?;
    }
    for action in &names.actions {
        build(action, &names.registry, any_purpose)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_index_is_the_position_in_all() {
        for (position, category) in Category::ALL.into_iter().enumerate() {
            assert_eq!(category_index(category), position);
        }
    }

    #[test]
    fn role_purpose_and_action_indexes_are_positions_in_all() {
        for (position, role) in Role::ALL.into_iter().enumerate() {
            assert_eq!(role.index(), position);
        }
        for (position, purpose) in Purpose::ALL.into_iter().enumerate() {
            assert_eq!(purpose.index(), position);
        }
        for (position, action) in Action::ALL.into_iter().enumerate() {
            assert_eq!(action.index(), position);
        }
        assert!(Role::ALL.len() <= 16 && Action::ALL.len() <= 16);
    }

    /// Slicing by role must not change a decision: compare with Cedar over the whole policy set.
    #[test]
    fn sliced_policies_decide_as_the_whole_policy_set_does() {
        let authoriser = Authoriser::default_policies().unwrap();
        let mut role_sets: Vec<u16> = Role::ALL.iter().map(|role| 1 << role.index()).collect();
        role_sets.extend([0, (1 << 13) - 1, 0b11, 0b1000_0000_0100, 0b1_0000_0000_0100, 0b0_1000_0000_0001]);
        for roles in role_sets {
            for purpose in Purpose::ALL {
                for target_is_self in [false, true] {
                    let sliced = authoriser
                        .evaluate(&authoriser.slices.for_roles(roles).unwrap(), roles, purpose, target_is_self)
                        .unwrap();
                    let whole = authoriser.evaluate(&authoriser.policies, roles, purpose, target_is_self).unwrap();
                    assert_eq!(sliced.purpose_permitted, whole.purpose_permitted);
                    assert_eq!(sliced.categories, whole.categories);
                    assert_eq!(sliced.actions, whole.actions, "{roles:b} {purpose}");
                }
            }
        }
        let slices = &authoriser.slices;
        assert_eq!(slices.for_everyone.len(), 1, "only the conflict-of-interest forbid names no role");
        assert_eq!(slices.by_role[Role::AgencyFeed.index()].len(), 0);
    }

    #[test]
    fn the_authoriser_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Authoriser>();
    }
}
