//! The whole role × purpose × category matrix of the default policies, cell by cell, against an
//! expectation written out here from the design (not computed by the code under test).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use hospes_model::Category;
use hospes_policy::authorisation::{Action, AuthorisationError, Authoriser, Principal, Purpose, Role};

/// Whether a row applies whatever the target, or only when the person asked about is the caller.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Anyone,
    OnlySelf,
    NeverSelf,
}

impl Target {
    fn admits(self, target_is_self: bool) -> bool {
        match self {
            Target::Anyone => true,
            Target::OnlySelf => target_is_self,
            Target::NeverSelf => !target_is_self,
        }
    }
}

struct PurposeRow {
    role: &'static str,
    purpose: &'static str,
    categories: &'static [&'static str],
    target: Target,
}

const ALL_25: &[&str] = &[
    "identity",
    "documents",
    "biometrics",
    "contacts",
    "family",
    "visas",
    "pre_arrival",
    "border_crossings",
    "migration_registration",
    "residence_permits",
    "work_permits",
    "patent_payments",
    "employment",
    "tax",
    "social_insurance",
    "medical_insurance",
    "property",
    "education",
    "language_exams",
    "medical_exams",
    "offences",
    "convictions",
    "entry_bans",
    "wanted",
    "controlled_register",
];

/// Every (role, purpose) the default policies permit, with the categories it may read. A pair not
/// listed is refused as a whole.
const PERMITTED: &[PurposeRow] = &[
    PurposeRow {
        role: "border_officer",
        purpose: "border-check",
        categories: &[
            "identity",
            "documents",
            "biometrics",
            "visas",
            "pre_arrival",
            "border_crossings",
            "residence_permits",
            "work_permits",
            "entry_bans",
            "wanted",
            "controlled_register",
        ],
        target: Target::Anyone,
    },
    PurposeRow {
        role: "police_officer",
        purpose: "identity-check",
        categories: &[
            "identity",
            "documents",
            "visas",
            "border_crossings",
            "migration_registration",
            "residence_permits",
            "work_permits",
            "patent_payments",
            "entry_bans",
            "wanted",
            "controlled_register",
        ],
        target: Target::Anyone,
    },
    PurposeRow {
        role: "police_officer",
        purpose: "criminal-investigation",
        categories: &[
            "identity",
            "documents",
            "visas",
            "border_crossings",
            "migration_registration",
            "residence_permits",
            "work_permits",
            "patent_payments",
            "entry_bans",
            "wanted",
            "controlled_register",
            "biometrics",
            "contacts",
            "family",
            "employment",
            "property",
            "offences",
            "convictions",
        ],
        target: Target::Anyone,
    },
    PurposeRow {
        role: "migration_officer",
        purpose: "migration-case",
        categories: &[
            "identity",
            "documents",
            "contacts",
            "family",
            "visas",
            "pre_arrival",
            "border_crossings",
            "migration_registration",
            "residence_permits",
            "work_permits",
            "patent_payments",
            "employment",
            "tax",
            "social_insurance",
            "medical_insurance",
            "education",
            "language_exams",
            "medical_exams",
            "offences",
            "convictions",
            "entry_bans",
            "wanted",
            "controlled_register",
        ],
        target: Target::Anyone,
    },
    PurposeRow {
        role: "health_authority",
        purpose: "health-control",
        categories: &["identity", "documents", "contacts", "medical_exams", "medical_insurance"],
        target: Target::Anyone,
    },
    PurposeRow {
        role: "tax_authority",
        purpose: "tax-administration",
        categories: &[
            "identity",
            "documents",
            "contacts",
            "employment",
            "tax",
            "patent_payments",
            "property",
            "social_insurance",
        ],
        target: Target::Anyone,
    },
    PurposeRow {
        role: "partner_state",
        purpose: "partner-exchange",
        categories: &["identity", "documents", "entry_bans", "wanted"],
        target: Target::Anyone,
    },
    PurposeRow { role: "person", purpose: "own-data", categories: ALL_25, target: Target::OnlySelf },
    PurposeRow { role: "auditor", purpose: "audit", categories: &[], target: Target::Anyone },
    PurposeRow { role: "employer", purpose: "right-to-work", categories: &[], target: Target::Anyone },
    PurposeRow { role: "bank", purpose: "bank-account", categories: &[], target: Target::Anyone },
    PurposeRow { role: "telecom_operator", purpose: "phone-number", categories: &[], target: Target::Anyone },
    PurposeRow { role: "landlord", purpose: "rent", categories: &[], target: Target::Anyone },
];

/// Every action other than reading a category that the default policies permit. Anything not listed
/// is refused (for a permitted purpose, as an action; otherwise with the purpose).
const PERMITTED_ACTIONS: &[(&str, &str, &str, Target)] = &[
    ("employer", "right-to-work", "run_check", Target::Anyone),
    ("bank", "bank-account", "run_check", Target::Anyone),
    ("telecom_operator", "phone-number", "run_check", Target::Anyone),
    ("landlord", "rent", "run_check", Target::Anyone),
    ("auditor", "audit", "read_audit_log", Target::Anyone),
    ("auditor", "audit", "read_ledger_metadata", Target::Anyone),
    ("person", "own-data", "read_own_access_log", Target::OnlySelf),
    ("person", "own-data", "file_contest", Target::OnlySelf),
    ("migration_officer", "migration-case", "decide_contest", Target::NeverSelf),
    ("migration_officer", "migration-case", "review_identity_links", Target::NeverSelf),
    ("border_officer", "border-check", "record_crossing", Target::Anyone),
    ("border_officer", "border-check", "pre_arrival_application", Target::Anyone),
    ("border_officer", "border-check", "import_lost_stolen", Target::Anyone),
    ("migration_officer", "migration-case", "pre_arrival_application", Target::Anyone),
    ("person", "own-data", "pre_arrival_application", Target::OnlySelf),
];

fn principal(roles: &[Role]) -> Principal {
    Principal {
        subject: "test-subject".to_owned(),
        organisation: "test-organisation".to_owned(),
        roles: roles.iter().copied().collect(),
        region: None,
        person_id: None,
    }
}

fn permitted_row(role: Role, purpose: Purpose) -> Option<&'static PurposeRow> {
    PERMITTED.iter().find(|row| row.role == role.as_str() && row.purpose == purpose.as_str())
}

fn expected_action(role: Role, purpose: Purpose, action: Action, target_is_self: bool) -> bool {
    PERMITTED_ACTIONS.iter().any(|(row_role, row_purpose, row_action, target)| {
        *row_role == role.as_str()
            && *row_purpose == purpose.as_str()
            && *row_action == action.as_str()
            && target.admits(target_is_self)
    })
}

#[test]
fn the_expectation_tables_name_only_known_roles_purposes_categories_and_actions() {
    for row in PERMITTED {
        Role::parse(row.role).unwrap();
        Purpose::parse(row.purpose).unwrap();
        for category in row.categories {
            assert!(Category::parse(category).is_some(), "{category}");
        }
        let distinct: BTreeSet<_> = row.categories.iter().collect();
        assert_eq!(distinct.len(), row.categories.len(), "{}", row.purpose);
    }
    for (role, purpose, action, _) in PERMITTED_ACTIONS {
        Role::parse(role).unwrap();
        Purpose::parse(purpose).unwrap();
        assert!(Action::ALL.iter().any(|known| known.as_str() == *action));
    }
    assert_eq!(ALL_25.len(), 25);
}

#[test]
fn every_cell_of_the_default_matrix() {
    let authoriser = Authoriser::default_policies().unwrap();
    let mut category_cells = 0;
    let mut purpose_cells = 0;
    let mut action_cells = 0;
    for role in Role::ALL {
        let caller = principal(&[role]);
        for purpose in Purpose::ALL {
            for target_is_self in [false, true] {
                let context = format!("{role} / {purpose} / target_is_self={target_is_self}");
                let row = permitted_row(role, purpose);
                let result = authoriser.categories_for(&caller, purpose, target_is_self);

                // The purpose: permitted, or refused as a whole with a distinct error.
                match (row, &result) {
                    (Some(_), Ok(_)) => {}
                    (None, Err(error)) => assert_eq!(
                        *error,
                        AuthorisationError::PurposeNotPermitted { purpose, roles: vec![role] },
                        "{context}"
                    ),
                    (Some(_), Err(error)) => panic!("{context}: expected permitted, got {error}"),
                    (None, Ok(decision)) => panic!("{context}: expected refused, got {decision:?}"),
                }
                purpose_cells += 1;

                // Every category: readable only where the table says so.
                for category in Category::ALL {
                    let expected = row.is_some_and(|row| {
                        row.categories.contains(&category.as_str()) && row.target.admits(target_is_self)
                    });
                    let allowed = result.as_ref().is_ok_and(|decision| decision.is_allowed(category));
                    assert_eq!(allowed, expected, "{context} / {category}");
                    if let Ok(decision) = &result {
                        assert_eq!(decision.withheld.contains(&category), !expected, "{context} / {category} withheld");
                    }
                    category_cells += 1;
                }

                // Every other action.
                for action in Action::ALL {
                    let expected = expected_action(role, purpose, action, target_is_self);
                    let outcome = authoriser.authorise_action(&caller, action, purpose, target_is_self);
                    if expected {
                        assert_eq!(outcome, Ok(()), "{context} / {action}");
                    } else if row.is_some() {
                        assert_eq!(
                            outcome,
                            Err(AuthorisationError::ActionNotPermitted { action, purpose, roles: vec![role] }),
                            "{context} / {action}"
                        );
                    } else {
                        assert_eq!(
                            outcome,
                            Err(AuthorisationError::PurposeNotPermitted { purpose, roles: vec![role] }),
                            "{context} / {action}"
                        );
                    }
                    assert_eq!(authoriser.may(&caller, action, purpose, target_is_self), expected);
                    action_cells += 1;
                }

                // The cached answer is the one Cedar gives afresh.
                assert_eq!(
                    authoriser.categories_for_uncached(&caller, purpose, target_is_self),
                    result.map(|decision| (*decision).clone()),
                    "{context}"
                );
            }
        }
    }
    assert_eq!(purpose_cells, 13 * 13 * 2);
    assert_eq!(category_cells, 13 * 13 * 2 * 25);
    assert_eq!(action_cells, 13 * 13 * 2 * 10);
    println!(
        "checked {purpose_cells} (role, purpose, target) cells, {category_cells} category cells and {action_cells} action cells"
    );
}

#[test]
fn own_data_is_everything_about_oneself_and_nothing_about_anyone_else() {
    let authoriser = Authoriser::default_policies().unwrap();
    let person = principal(&[Role::Person]);
    let own = authoriser.categories_for(&person, Purpose::OwnData, true).unwrap();
    assert_eq!(own.allowed, Category::ALL.into_iter().collect());
    assert!(own.withheld.is_empty());
    let someone_else = authoriser.categories_for(&person, Purpose::OwnData, false).unwrap();
    assert!(someone_else.allows_nothing());
    assert_eq!(someone_else.withheld, Category::ALL.into_iter().collect());
}

#[test]
fn status_check_roles_never_see_a_category_under_any_purpose() {
    let authoriser = Authoriser::default_policies().unwrap();
    for role in [Role::Employer, Role::Bank, Role::TelecomOperator, Role::Landlord] {
        let caller = principal(&[role]);
        let mut permitted_purposes = Vec::new();
        for purpose in Purpose::ALL {
            for target_is_self in [false, true] {
                if let Ok(decision) = authoriser.categories_for(&caller, purpose, target_is_self) {
                    assert!(decision.allows_nothing(), "{role} / {purpose}");
                    permitted_purposes.push(purpose);
                }
            }
        }
        permitted_purposes.dedup();
        assert_eq!(permitted_purposes.len(), 1, "{role}: one purpose only");
        assert!(permitted_purposes[0].is_check());
    }
}
