//! Authorisation: vocabulary parsing, multi-role principals, loading policies from a directory and
//! refusing broken ones, and the embedded default against the files in `policies/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use hospes_model::{Category, PersonId};
use hospes_policy::authorisation::{
    Action, AuthorisationError, Authoriser, PolicyLoadError, PolicySource, PolicySources, Principal, Purpose,
    PurposeError, Role, SCHEMA_FILE_NAME,
};

fn principal(roles: &[Role]) -> Principal {
    Principal {
        subject: "officer-17".to_owned(),
        organisation: "test-organisation".to_owned(),
        roles: roles.iter().copied().collect(),
        region: Some("77".to_owned()),
        person_id: None,
    }
}

fn categories(names: &[&str]) -> BTreeSet<Category> {
    names.iter().map(|name| Category::parse(name).unwrap()).collect()
}

fn repository_policies() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies")
}

/// A fresh copy of `policies/` under the test's temporary directory, to break on purpose.
fn copy_of_policies(name: &str) -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("authorisation").join(name);
    if directory.exists() {
        fs::remove_dir_all(&directory).unwrap();
    }
    fs::create_dir_all(&directory).unwrap();
    for entry in fs::read_dir(repository_policies()).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, directory.join(path.file_name().unwrap())).unwrap();
    }
    directory
}

/// Replaces the one occurrence of `from` in a file, and returns the 1-based line where `to` starts.
fn edit(path: &Path, from: &str, to: &str) -> usize {
    let text = fs::read_to_string(path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} in {}", path.display());
    let offset = text.find(from).unwrap();
    fs::write(path, text.replacen(from, to, 1)).unwrap();
    text[..offset].matches('\n').count() + 1
}

fn refused(directory: &Path) -> PolicyLoadError {
    Authoriser::from_directory(directory).expect_err("the policies should be refused")
}

// ---- vocabulary ----

#[test]
fn roles_round_trip_and_unknown_roles_are_refused_with_the_known_ones_listed() {
    for role in Role::ALL {
        assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        assert_eq!(role.to_string(), role.as_str());
    }
    let error = Role::parse("border-officer").unwrap_err();
    assert_eq!(error.given, "border-officer");
    let message = error.to_string();
    assert!(
        message.starts_with("unknown role 'border-officer': expected one of border_officer, police_officer"),
        "{message}"
    );
    assert!(message.ends_with("person, agency_feed"), "{message}");
    assert!(Role::parse("").is_err());
    assert!(Role::parse("Border_Officer").is_err());
}

#[test]
fn purposes_round_trip_and_unknown_or_missing_purposes_are_refused() {
    for purpose in Purpose::ALL {
        assert_eq!(purpose.as_str().parse::<Purpose>().unwrap(), purpose);
        assert!(!purpose.description().is_empty());
    }
    assert_eq!(Purpose::parse("border_check").unwrap_err(), PurposeError::Unknown { given: "border_check".to_owned() });
    let message = Purpose::parse("curiosity").unwrap_err().to_string();
    assert!(
        message.starts_with("unknown purpose 'curiosity': expected one of border-check, identity-check"),
        "{message}"
    );
    assert_eq!(Purpose::from_header_value(None), Err(PurposeError::Missing));
    assert_eq!(Purpose::from_header_value(Some("  ")), Err(PurposeError::Missing));
    assert!(PurposeError::Missing.to_string().contains("Hospes-Purpose"));
    assert_eq!(Purpose::from_header_value(Some(" border-check ")), Ok(Purpose::BorderCheck));
}

#[test]
fn exactly_the_four_status_checks_are_check_purposes() {
    let checks: Vec<&str> =
        Purpose::ALL.into_iter().filter(|purpose| purpose.is_check()).map(Purpose::as_str).collect();
    assert_eq!(checks, ["right-to-work", "bank-account", "phone-number", "rent"]);
}

#[test]
fn descriptions_are_distinct_plain_sentences() {
    let descriptions: BTreeSet<&str> = Purpose::ALL.into_iter().map(Purpose::description).collect();
    assert_eq!(descriptions.len(), Purpose::ALL.len());
    for description in descriptions {
        assert!(description.ends_with('.'), "{description}");
        assert!(description.split(' ').count() >= 5, "{description}");
    }
}

#[test]
fn a_principal_is_self_only_for_its_own_person_id() {
    let own = PersonId::parse("00000000-0000-4000-8000-000000000001").unwrap();
    let other = PersonId::parse("00000000-0000-4000-8000-000000000002").unwrap();
    let mut person = principal(&[Role::Person]);
    assert!(!person.is_self(own));
    person.person_id = Some(own);
    assert!(person.is_self(own));
    assert!(!person.is_self(other));
}

// ---- several roles ----

#[test]
fn a_principal_with_several_roles_may_declare_the_purposes_of_each() {
    let authoriser = Authoriser::default_policies().unwrap();
    let both = principal(&[Role::BorderOfficer, Role::HealthAuthority]);
    let border = authoriser.categories_for(&both, Purpose::BorderCheck, false).unwrap();
    let border_alone =
        authoriser.categories_for(&principal(&[Role::BorderOfficer]), Purpose::BorderCheck, false).unwrap();
    assert_eq!(border, border_alone);
    let health = authoriser.categories_for(&both, Purpose::HealthControl, false).unwrap();
    assert_eq!(
        health.allowed,
        categories(&["identity", "documents", "contacts", "medical_exams", "medical_insurance"])
    );
    // A purpose of neither role is refused whole, naming every role held.
    let error = authoriser.categories_for(&both, Purpose::CriminalInvestigation, false).unwrap_err();
    assert_eq!(
        error.to_string(),
        "purpose criminal-investigation is not permitted for roles border_officer, health_authority"
    );
}

#[test]
fn a_principal_without_roles_is_refused_every_purpose() {
    let authoriser = Authoriser::default_policies().unwrap();
    let nobody = principal(&[]);
    for purpose in Purpose::ALL {
        let error = authoriser.categories_for(&nobody, purpose, true).unwrap_err();
        assert_eq!(error.to_string(), format!("purpose {purpose} is not permitted for roles (none)"));
    }
}

#[test]
fn the_agency_feed_reads_nothing_under_any_purpose() {
    let authoriser = Authoriser::default_policies().unwrap();
    let feed = principal(&[Role::AgencyFeed]);
    for purpose in Purpose::ALL {
        assert!(matches!(
            authoriser.categories_for(&feed, purpose, false),
            Err(AuthorisationError::PurposeNotPermitted { .. })
        ));
    }
}

/// Two roles that both permit categories for one purpose: the principal gets the union.
#[test]
fn roles_sharing_a_purpose_give_the_union_of_their_categories() {
    let mut sources = PolicySources::embedded();
    sources.policies.push(PolicySource {
        name: "union_test.cedar".to_owned(),
        text: r#"
            @id("test.border_officer.declare.identity-check")
            permit (principal in Role::"border_officer", action == Action::"declare_purpose", resource == Purpose::"identity-check");
            @id("test.border_officer.read.identity-check")
            permit (principal in Role::"border_officer", action == Action::"read_category", resource)
            when { context.purpose == Purpose::"identity-check" && resource in [Category::"biometrics", Category::"identity"] };
        "#
        .to_owned(),
    });
    let authoriser = Authoriser::from_sources(&sources).unwrap();
    let police = authoriser.categories_for(&principal(&[Role::PoliceOfficer]), Purpose::IdentityCheck, false).unwrap();
    let border = authoriser.categories_for(&principal(&[Role::BorderOfficer]), Purpose::IdentityCheck, false).unwrap();
    assert_eq!(border.allowed, categories(&["identity", "biometrics"]));
    let both = authoriser
        .categories_for(&principal(&[Role::PoliceOfficer, Role::BorderOfficer]), Purpose::IdentityCheck, false)
        .unwrap();
    let union: BTreeSet<Category> = police.allowed.union(&border.allowed).copied().collect();
    assert_eq!(both.allowed, union);
    assert!(both.is_allowed(Category::Biometrics) && !police.is_allowed(Category::Biometrics));
    assert_eq!(
        both.granted_by,
        ["police_officer.read.identity-check", "test.border_officer.read.identity-check"]
            .into_iter()
            .map(str::to_owned)
            .collect()
    );
}

#[test]
fn a_forbid_overrides_the_permits_of_every_role_held() {
    let authoriser = Authoriser::default_policies().unwrap();
    let officer_and_person = principal(&[Role::MigrationOfficer, Role::Person]);
    assert!(authoriser.may(&officer_and_person, Action::DecideContest, Purpose::MigrationCase, false));
    assert_eq!(
        authoriser.authorise_action(&officer_and_person, Action::DecideContest, Purpose::MigrationCase, true),
        Err(AuthorisationError::ActionNotPermitted {
            action: Action::DecideContest,
            purpose: Purpose::MigrationCase,
            roles: vec![Role::MigrationOfficer, Role::Person],
        })
    );
    // The same principal still reads all of their own data under own-data.
    let own = authoriser.categories_for(&officer_and_person, Purpose::OwnData, true).unwrap();
    assert_eq!(own.allowed.len(), 25);
}

#[test]
fn decisions_are_cached_per_roles_purpose_and_target() {
    let authoriser = Authoriser::default_policies().unwrap();
    assert_eq!(authoriser.cached_decisions(), 0);
    let officer = principal(&[Role::BorderOfficer]);
    let mut other_officer = principal(&[Role::BorderOfficer]);
    other_officer.subject = "officer-18".to_owned();
    other_officer.region = None;
    let first = authoriser.categories_for(&officer, Purpose::BorderCheck, false).unwrap();
    let second = authoriser.categories_for(&other_officer, Purpose::BorderCheck, false).unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &second));
    assert_eq!(authoriser.cached_decisions(), 1);
    authoriser.categories_for(&officer, Purpose::BorderCheck, true).unwrap();
    assert!(authoriser.may(&principal(&[Role::Employer]), Action::RunCheck, Purpose::RightToWork, false));
    assert_eq!(authoriser.cached_decisions(), 3);
    // A refused purpose is cached too.
    assert!(authoriser.categories_for(&officer, Purpose::Audit, false).is_err());
    assert!(authoriser.categories_for(&officer, Purpose::Audit, false).is_err());
    assert_eq!(authoriser.cached_decisions(), 4);
}

#[test]
fn a_decision_names_the_policies_that_granted_it() {
    let authoriser = Authoriser::default_policies().unwrap();
    let decision = authoriser.categories_for(&principal(&[Role::BorderOfficer]), Purpose::BorderCheck, false).unwrap();
    assert_eq!(decision.granted_by, BTreeSet::from(["border_officer.read.border-check".to_owned()]));
}

// ---- the default policies and the files ----

#[test]
fn the_default_policies_load_and_every_policy_is_named() {
    let authoriser = Authoriser::default_policies().unwrap();
    let ids = authoriser.policy_ids();
    assert_eq!(ids.len(), 37);
    assert!(ids.contains(&"conflict_of_interest.own_case".to_owned()));
}

#[test]
fn the_embedded_default_is_the_policies_directory() {
    let embedded = PolicySources::embedded();
    let on_disk = PolicySources::read_directory(&repository_policies()).unwrap();
    assert_eq!(embedded.schema.text, on_disk.schema.text);
    let names = |sources: &PolicySources| -> Vec<(String, String)> {
        sources.policies.iter().map(|source| (source.file_name().to_owned(), source.text.clone())).collect()
    };
    assert_eq!(names(&embedded), names(&on_disk), "embedded list and policies/ differ");

    let default = Authoriser::default_policies().unwrap();
    let from_files = Authoriser::from_directory(repository_policies()).unwrap();
    assert_eq!(default.policy_ids(), from_files.policy_ids());
    let mut compared = 0;
    for role in Role::ALL {
        let caller = principal(&[role]);
        for purpose in Purpose::ALL {
            for target_is_self in [false, true] {
                assert_eq!(
                    default.categories_for(&caller, purpose, target_is_self),
                    from_files.categories_for(&caller, purpose, target_is_self),
                    "{role} / {purpose}"
                );
                for action in Action::ALL {
                    assert_eq!(
                        default.authorise_action(&caller, action, purpose, target_is_self),
                        from_files.authorise_action(&caller, action, purpose, target_is_self),
                    );
                }
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 13 * 13 * 2);
}

// ---- broken policy directories ----

#[test]
fn a_syntax_error_is_refused_naming_file_and_line() {
    let directory = copy_of_policies("syntax_error");
    let file = directory.join("health_authority.cedar");
    let line = edit(&file, "Category::\"contacts\",", "Category::\"contacts\",,");
    let error = refused(&directory);
    let problems = error.problems();
    assert!(!problems.is_empty(), "{error}");
    assert_eq!(problems[0].file, file.display().to_string());
    assert_eq!(problems[0].line, Some(line), "{error}");
    let message = error.to_string();
    assert!(message.contains("health_authority.cedar"), "{message}");
    assert!(message.contains(&format!("line {line}")), "{message}");
}

#[test]
fn an_unknown_category_is_refused_by_the_schema_naming_file_and_line() {
    let directory = copy_of_policies("unknown_category");
    let file = directory.join("partner_state.cedar");
    let line = edit(&file, "Category::\"wanted\"", "Category::\"wanted_persons\"");
    let error = refused(&directory);
    let problems = error.problems();
    assert_eq!(problems.len(), 1, "{error}");
    assert_eq!(problems[0].file, file.display().to_string());
    assert_eq!(problems[0].line, Some(line), "{error}");
    assert!(problems[0].reason.contains("wanted_persons"), "{error}");
}

#[test]
fn a_context_attribute_the_schema_does_not_declare_is_refused_naming_file_and_line() {
    let directory = copy_of_policies("unknown_attribute");
    let file = directory.join("auditor.cedar");
    let text = fs::read_to_string(&file).unwrap();
    // Break only the second occurrence, to be sure the line is the one broken and not the first.
    let first = text.find("context.purpose").unwrap();
    let second = first + 1 + text[first + 1..].find("context.purpose").unwrap();
    let broken = format!("{}context.region{}", &text[..second], &text[second + "context.purpose".len()..]);
    fs::write(&file, broken).unwrap();
    let line = text[..second].matches('\n').count() + 1;
    let error = refused(&directory);
    let problems = error.problems();
    assert_eq!(problems.len(), 1, "{error}");
    assert!(problems[0].file.ends_with("auditor.cedar"));
    assert_eq!(problems[0].line, Some(line), "{error}");
    assert!(problems[0].reason.contains("region"), "{error}");
}

#[test]
fn a_policy_that_can_never_apply_is_refused() {
    let directory = copy_of_policies("wrong_resource");
    let file = directory.join("status_checks.cedar");
    let line = edit(
        &file,
        "@id(\"bank.run_check.bank-account\")\npermit (\n  principal in Role::\"bank\",\n  action == Action::\"run_check\",\n  resource\n)",
        "@id(\"bank.run_check.bank-account\")\npermit (\n  principal in Role::\"bank\",\n  action == Action::\"run_check\",\n  resource == Category::\"tax\"\n)",
    );
    let error = refused(&directory);
    let problems = error.problems();
    assert!(!problems.is_empty(), "{error}");
    for problem in problems {
        assert!(problem.file.ends_with("status_checks.cedar"), "{error}");
        let reported = problem.line.unwrap();
        assert!((line..=line + 5).contains(&reported), "{error}");
        // The policy is named by its @id, not by Cedar's internal number.
        assert!(problem.reason.contains("bank.run_check.bank-account"), "{error}");
    }
}

#[test]
fn a_schema_syntax_error_is_refused_naming_the_schema_and_line() {
    let directory = copy_of_policies("schema_syntax_error");
    let file = directory.join(SCHEMA_FILE_NAME);
    let line = edit(&file, "entity Principal in [Role];", "entity Principal in [Role]");
    let error = refused(&directory);
    let problems = error.problems();
    assert!(!problems.is_empty(), "{error}");
    assert!(problems[0].file.ends_with(SCHEMA_FILE_NAME), "{error}");
    // The parser notices the missing `;` at the next token, on a later line.
    let reported = problems[0].line.unwrap();
    assert!(reported > line && reported < line + 10, "{error}");
}

#[test]
fn a_policy_without_an_id_or_with_a_duplicate_id_is_refused() {
    let directory = copy_of_policies("policy_ids");
    let line = edit(&directory.join("tax_authority.cedar"), "@id(\"tax_authority.declare.tax-administration\")\n", "");
    let duplicate_line = edit(
        &directory.join("health_authority.cedar"),
        "@id(\"health_authority.declare.health-control\")",
        "@id(\"border_officer.read.border-check\")",
    );
    let error = refused(&directory);
    let problems = error.problems();
    assert_eq!(problems.len(), 2, "{error}");
    let duplicate = problems.iter().find(|problem| problem.file.ends_with("health_authority.cedar")).unwrap();
    assert_eq!(duplicate.line, Some(duplicate_line));
    let border_text = fs::read_to_string(directory.join("border_officer.cedar")).unwrap();
    let first_line =
        border_text[..border_text.find("@id(\"border_officer.read.border-check\")").unwrap()].matches('\n').count() + 1;
    assert!(duplicate.reason.contains(&format!("border_officer.cedar, line {first_line}, column 1")), "{error}");
    let missing = problems.iter().find(|problem| problem.file.ends_with("tax_authority.cedar")).unwrap();
    assert_eq!(missing.line, Some(line));
    assert!(missing.reason.contains("@id"), "{error}");
}

#[test]
fn a_schema_that_does_not_fit_the_requests_hospes_sends_is_refused() {
    let directory = copy_of_policies("schema_mismatch");
    edit(
        &directory.join(SCHEMA_FILE_NAME),
        "entity Registry enum [\"hospes\"];",
        "entity Registry enum [\"registry\"];",
    );
    match refused(&directory) {
        PolicyLoadError::SchemaMismatch { file, reason } => {
            assert!(file.ends_with(SCHEMA_FILE_NAME));
            assert!(reason.contains("hospes"), "{reason}");
        }
        other => panic!("expected a schema mismatch, got {other}"),
    }
}

#[test]
fn a_directory_without_schema_or_policies_is_refused() {
    let directory = copy_of_policies("no_schema");
    fs::remove_file(directory.join(SCHEMA_FILE_NAME)).unwrap();
    assert!(matches!(refused(&directory), PolicyLoadError::MissingSchema { .. }));

    let directory = copy_of_policies("no_policies");
    for entry in fs::read_dir(&directory).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|extension| extension == "cedar") {
            fs::remove_file(path).unwrap();
        }
    }
    assert!(matches!(refused(&directory), PolicyLoadError::NoPolicyFiles { .. }));

    let missing = Path::new(env!("CARGO_TARGET_TMPDIR")).join("authorisation/does-not-exist");
    let error = refused(&missing);
    assert!(matches!(error, PolicyLoadError::Directory { .. }));
    assert!(error.to_string().contains("does-not-exist"));
}

#[test]
fn an_operator_directory_can_change_the_matrix() {
    let directory = copy_of_policies("operator_change");
    edit(&directory.join("partner_state.cedar"), "    Category::\"entry_bans\",\n", "");
    let authoriser = Authoriser::from_directory(&directory).unwrap();
    let decision =
        authoriser.categories_for(&principal(&[Role::PartnerState]), Purpose::PartnerExchange, false).unwrap();
    assert_eq!(decision.allowed, categories(&["identity", "documents", "wanted"]));
    assert!(decision.withheld.contains(&Category::EntryBans));
}
