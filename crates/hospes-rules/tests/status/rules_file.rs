//! Bad rules files are refused with the line at fault and the reason.

use hospes_rules::status::{RulesError, RulesProblem, StatusRules};

/// Refused, on `line`, with a message that contains `fragment`.
fn check(text: &str, line: usize, fragment: &str) {
    let error = StatusRules::from_toml(text).expect_err(text);
    assert_eq!(error.line(), Some(line), "{error}\n{text}");
    assert!(error.to_string().contains(fragment), "{error}");
}

const WANTED: &str = r#"
[[rule]]
id = "wanted"
colour = "red"
label = "Active wanted notice"
[rule.in_force]
records = { category = "wanted", kinds = ["national"] }
"#;

fn file(body: &str) -> String {
    format!("version = \"test-1\"\n{body}")
}

#[test]
fn a_minimal_file_parses() {
    let rules = StatusRules::from_toml(&file(WANTED)).unwrap();
    assert_eq!(rules.version(), "test-1");
    assert_eq!(rules.rules().len(), 1);
}

#[test]
fn text_that_is_not_toml_is_refused_with_its_line() {
    check(&file("\n[[rule]]\nid = \"wanted\ncolour = \"red\"\n"), 4, "line 4");
    check("version = \"1\"\n\n[[rule]\n", 3, "line 3");
}

#[test]
fn unknown_keys_and_wrong_types_are_refused() {
    check(&file(&WANTED.replace("label =", "lable =")), 6, "unknown field `lable`");
    check(&file(&WANTED.replace("[rule.in_force]", "[rule.in_force]\nwhile_present = \"yes\"")), 8, "");
    check(&file(&format!("{WANTED}[calendar]\nweekends = [\"sunday\"]\n")), 10, "unknown field `weekends`");
    check(WANTED, 1, "missing field `version`");
    check(&file("\n[[rule]]\nid = \"x\"\n"), 3, "missing field `colour`");
}

#[test]
fn unknown_categories_kinds_and_fields_are_refused() {
    check(
        &file(&WANTED.replace("\"wanted\", kinds", "\"wanted_notices\", kinds")),
        8,
        "`wanted_notices` is not a category",
    );
    check(
        &file(&WANTED.replace("[\"national\"]", "[\"national\", \"regional\"]")),
        8,
        "`regional` is not a kind of category `wanted`; expected one of: national, interstate, international, cancellation",
    );
    check(&file(&WANTED.replace("[\"national\"]", "[]")), 8, "`kinds` must name at least one kind");
    let debt = r#"
[[rule]]
id = "tax-debt"
colour = "yellow"
label = "Tax debt"
[rule.unsettled]
records = { category = "tax", kinds = ["debt"] }
due = "due_date"
settled_by = { category = "tax", kinds = ["payment"] }
"#;
    check(&file(debt), 9, "`due_date` is not a field the rules can read from category `tax`; expected one of:");
    check(&file(&debt.replace("due_date", "tax_kind")), 9, "field `tax_kind` of category `tax` holds one of a list");
    check(
        &file(&format!("{debt}match = {{ amount = \"due_on\" }}\n").replace("due_date", "due_on")),
        11,
        "field `amount` holds an amount of money and field `due_on` holds a date",
    );
    let filtered = WANTED.replace(
        "{ category = \"wanted\", kinds = [\"national\"] }",
        "{ category = \"residence_permits\", kinds = [\"residence_permit\"], where = { decision = [\"approved\"] } }",
    );
    check(&file(&filtered), 8, "`approved` is not a value of field `decision`; expected one of: pending, granted");
}

#[test]
fn deadlines_of_zero_or_less_or_unreadable_are_refused() {
    let missing = r#"
[[rule]]
id = "registration"
colour = "yellow"
label = "No registration"
[rule.missing_after_entry]
satisfied_by = { category = "migration_registration", kinds = ["registration"] }
deadline = "7 working days"
"#;
    assert!(StatusRules::from_toml(&file(missing)).is_ok());
    check(&file(&missing.replace("7 working days", "0 working days")), 9, "must be at least 1 day");
    check(&file(&missing.replace("7 working days", "-3 days")), 9, "must be at least 1 day");
    check(&file(&missing.replace("7 working days", "a week")), 9, "`a week` is not a period");
    check(&file(&missing.replace("7 working days", "400 months")), 9, "longer than the 120 months allowed");
    check(
        &file(&format!("{missing}exceptions = [{{ labour_migrant = true, deadline = \"0 days\" }}]\n")),
        10,
        "must be at least 1 day",
    );
    check(
        &file(&format!(
            "{missing}exceptions = [\n  {{ labour_migrant = true, deadline = \"30 days\" }},\n  {{ labour_migrant = true, deadline = \"20 days\" }},\n]\n"
        )),
        12,
        "repeats the one on line 11",
    );
    check(&file(&format!("{missing}exceptions = [{{ deadline = \"30 days\" }}]\n")), 10, "a person condition needs");
    check(
        &file(&format!("{missing}exceptions = [{{ citizenships = [\"Kazakhstan\"], deadline = \"30 days\" }}]\n")),
        10,
        "'Kazakhstan' is not a country code",
    );
    let overstay = r#"
[[rule]]
id = "overstay"
colour = "yellow"
label = "Overstay"
[rule.overstay]
window_days = 90
max_days = 90
"#;
    check(&file(overstay), 8, "the maximum of 90 days must be smaller than the window of 90 days");
    let covered = overstay.replace("window_days = 90", "window_days = 180");
    assert!(StatusRules::from_toml(&file(&covered)).is_ok());
    check(
        &file(&format!(
            "{covered}covered_for = [{{ records = {{ category = \"employment\", kinds = [\"contract\"] }} }}]\n"
        )),
        10,
        "a person condition needs",
    );
    check(&file(&overstay.replace("window_days = 90", "window_days = -180")), 8, "the window must be at least 1 day");
}

#[test]
fn two_rules_with_one_id_are_refused() {
    let second = WANTED.replace("[\"national\"]", "[\"international\"]");
    check(&file(&format!("{WANTED}{second}")), 11, "rule id `wanted` is already used by the rule on line 4");
    check(&file(&WANTED.replace("id = \"wanted\"", "id = \"Wanted Notice\"")), 4, "rule id `Wanted Notice` must be");
}

#[test]
fn a_red_and_a_yellow_rule_with_the_same_conditions_are_refused() {
    let yellow = WANTED.replace("id = \"wanted\"", "id = \"wanted-too\"").replace("\"red\"", "\"yellow\"");
    check(
        &file(&format!("{WANTED}{yellow}")),
        11,
        "rule `wanted-too` (yellow) has the same conditions as rule `wanted` (red) on line 4",
    );
    // Kinds in another order are the same conditions.
    let first = WANTED.replace("[\"national\"]", "[\"national\", \"interstate\"]");
    let second =
        WANTED.replace("id = \"wanted\"", "id = \"other\"").replace("[\"national\"]", "[\"interstate\", \"national\"]");
    check(&file(&format!("{first}{second}")), 11, "has the same conditions as rule `wanted`");
}

#[test]
fn colours_labels_and_condition_tables_are_checked() {
    check(&file(&WANTED.replace("\"red\"", "\"green\"")), 5, "colour `green` is not one of: red, yellow");
    check(&file(&WANTED.replace("\"Active wanted notice\"", "\" \"")), 6, "the label must say");
    check(
        &file(&WANTED.replace("[rule.in_force]\nrecords = { category = \"wanted\", kinds = [\"national\"] }\n", "")),
        4,
        "found none",
    );
    let two = format!("{WANTED}[rule.identity_link]\nkinds = [\"review\"]\n");
    check(&file(&two), 4, "found in_force, identity_link");
    let link =
        "\n[[rule]]\nid = \"link\"\ncolour = \"yellow\"\nlabel = \"Link\"\n[rule.identity_link]\nkinds = [\"maybe\"]\n";
    check(&file(link), 8, "`maybe` is not an identity link kind");
}

#[test]
fn calendars_with_impossible_days_are_refused() {
    let calendar = |body: &str| file(&format!("{WANTED}[calendar]\n{body}\n"));
    assert!(StatusRules::from_toml(&calendar("holidays = [\"2025-01-01\"]\nworking_days = [\"2025-11-01\"]")).is_ok());
    check(&calendar("holidays = [\"2025-01-01\", \"2025-02-30\"]"), 10, "`2025-02-30` is not a date");
    check(&calendar("holidays = [\n  \"2025-01-01\",\n  \"01.05.2025\",\n]"), 12, "`01.05.2025` is not a date");
    check(
        &calendar("holidays = [\"2025-01-01\"]\nworking_days = [\"2025-01-01\"]"),
        11,
        "both as a holiday and as a working day",
    );
    check(
        &calendar("working_days = [\"2025-11-03\"]"),
        10,
        "2025-11-03 is listed as a working day but is not a weekend day",
    );
    check(&calendar("weekend = [\"saturday\", \"funday\"]"), 10, "`funday` is not a day of the week");
    check(
        &calendar("weekend = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]"),
        10,
        "the weekend cannot be the whole week",
    );
}

#[test]
fn empty_versions_and_files_without_rules_are_refused() {
    check(&format!("version = \"\"\n{WANTED}"), 1, "the version must not be empty");
    check("version = \"1\"\n", 1, "the file has no [[rule]]");
}

#[test]
fn a_missing_file_is_refused_with_its_path() {
    let error = StatusRules::from_file("/nonexistent/status-rules.toml").unwrap_err();
    assert!(matches!(error, RulesError::Read { .. }));
    assert!(error.to_string().contains("/nonexistent/status-rules.toml"));
    assert_eq!(error.line(), None);
}

#[test]
fn the_shipped_file_reads_from_disk_as_compiled_in() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/status-rules.toml");
    assert_eq!(StatusRules::from_file(path).unwrap(), StatusRules::shipped_default().unwrap());
}

#[test]
fn problems_are_values_callers_can_branch_on() {
    let error = StatusRules::from_toml(&file(&WANTED.replace("\"red\"", "\"blue\""))).unwrap_err();
    assert_eq!(error.problem(), Some(&RulesProblem::UnknownColour("blue".into())));
}
