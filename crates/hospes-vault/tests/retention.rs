#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

//! The retention schedule: parsing, the shipped default, and expiry arithmetic.

use hospes_model::{Category, Date, Timestamp};
use hospes_vault::{CountedFrom, RetentionConfigError, RetentionPeriod, RetentionPolicy, RetentionRule};

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

fn refused(text: &str) -> String {
    RetentionPolicy::from_toml(text).unwrap_err().to_string()
}

#[test]
fn the_shipped_default_loads_and_covers_the_special_categories() {
    let policy = RetentionPolicy::shipped_default().unwrap();
    let from = CountedFrom::EffectiveToOrReceived;
    assert_eq!(
        policy.rule(Category::Biometrics),
        Some(&RetentionRule { keep_for: RetentionPeriod::Years(5), counted_from: from })
    );
    assert_eq!(
        policy.rule(Category::MedicalExams),
        Some(&RetentionRule { keep_for: RetentionPeriod::Years(3), counted_from: from })
    );
    assert_eq!(
        policy.rule(Category::Convictions),
        Some(&RetentionRule { keep_for: RetentionPeriod::Years(10), counted_from: from })
    );
    assert_eq!(policy.rules().count(), 3);
    assert_eq!(policy.rule(Category::Identity), None);
    // The file on disk is the one compiled in.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/retention.toml");
    assert_eq!(RetentionPolicy::from_file(path).unwrap(), policy);
}

#[test]
fn a_valid_schedule_parses_days_years_and_every_anchor() {
    let policy = RetentionPolicy::from_toml(
        r#"
        version = 1
        [category.medical_exams]
        keep_for_days = 1095
        counted_from = "received"

        [category.biometrics]
        keep_for_years = 5
        counted_from = "effective_to"

        [category.border_crossings]
        keep_for_days = 30
        counted_from = "effective_to_or_received"
        "#,
    )
    .unwrap();
    assert_eq!(
        policy.rule(Category::MedicalExams),
        Some(&RetentionRule { keep_for: RetentionPeriod::Days(1095), counted_from: CountedFrom::Received })
    );
    assert_eq!(policy.rule(Category::Biometrics).unwrap().counted_from, CountedFrom::EffectiveTo);
    assert_eq!(policy.rule(Category::BorderCrossings).unwrap().keep_for, RetentionPeriod::Days(30));
    assert_eq!(
        policy.rules().map(|(category, _)| category).collect::<Vec<_>>(),
        [Category::Biometrics, Category::BorderCrossings, Category::MedicalExams]
    );
}

#[test]
fn an_empty_schedule_keeps_everything() {
    let policy = RetentionPolicy::from_toml("version = 1").unwrap();
    assert_eq!(policy.rules().count(), 0);
    assert_eq!(policy.expires_at(Category::Biometrics, None, at("2020-01-01T00:00:00Z")), None);
}

#[test]
fn an_unknown_category_is_named() {
    let message = refused("version = 1\n[category.health]\nkeep_for_days = 10\ncounted_from = \"received\"\n");
    assert!(message.contains("[category.health] names an unknown category"), "{message}");
    assert!(message.contains("medical_exams"), "lists the known categories: {message}");
    let error = RetentionPolicy::from_toml("version = 1\n[category.health]\n").unwrap_err();
    assert!(matches!(error, RetentionConfigError::UnknownCategory { name, .. } if name == "health"));
}

#[test]
fn an_unknown_key_is_named_with_its_category() {
    let message = refused(
        "version = 1\n[category.biometrics]\nkeep_for_days = 10\ncounted_from = \"received\"\nkeep_forever = true\n",
    );
    assert!(message.contains("[category.biometrics]"), "{message}");
    assert!(message.contains("unknown field `keep_forever`"), "{message}");

    let message = refused("version = 1\nretention = 5\n");
    assert!(message.contains("unknown field `retention`"), "{message}");
}

#[test]
fn zero_negative_and_huge_durations_are_refused_by_name() {
    for (key, value, expected) in [
        ("keep_for_days", "0", "`keep_for_days` must be at least 1, found 0"),
        ("keep_for_days", "-30", "`keep_for_days` must be at least 1, found -30"),
        ("keep_for_years", "0", "`keep_for_years` must be at least 1, found 0"),
        ("keep_for_years", "101", "`keep_for_years` must be at most 100, found 101"),
        ("keep_for_days", "99999999999", "`keep_for_days` must be at most 36600, found 99999999999"),
    ] {
        let message =
            refused(&format!("version = 1\n[category.convictions]\n{key} = {value}\ncounted_from = \"received\"\n"));
        assert_eq!(message, format!("retention schedule: [category.convictions]: {expected}"));
    }
}

#[test]
fn a_rule_needs_exactly_one_period_and_a_known_anchor() {
    let message = refused("version = 1\n[category.convictions]\ncounted_from = \"received\"\n");
    assert!(message.contains("[category.convictions]: needs `keep_for_years` or `keep_for_days`"), "{message}");

    let message = refused(
        "version = 1\n[category.convictions]\nkeep_for_days = 1\nkeep_for_years = 1\ncounted_from = \"received\"\n",
    );
    assert!(message.contains("has both"), "{message}");

    let message = refused("version = 1\n[category.convictions]\nkeep_for_days = 1\n");
    assert!(message.contains("[category.convictions]: missing field `counted_from`"), "{message}");

    let message = refused("version = 1\n[category.convictions]\nkeep_for_days = 1\ncounted_from = \"capture\"\n");
    assert!(message.contains("[category.convictions]: unknown variant `capture`"), "{message}");

    let message =
        refused("version = 1\n[category.convictions]\nkeep_for_days = \"ten\"\ncounted_from = \"received\"\n");
    assert!(message.contains("[category.convictions]"), "{message}");
}

#[test]
fn the_version_and_the_syntax_are_checked() {
    assert_eq!(refused("version = 2"), "retention schedule version 2 is not supported (expected 1)");
    assert!(refused("[category.biometrics]\nkeep_for_days = 1\ncounted_from = \"received\"\n").contains("version"));
    assert!(refused("version = ").starts_with("retention schedule is not valid TOML"));
    let error = RetentionPolicy::from_file("/nonexistent/retention.toml").unwrap_err();
    assert!(error.to_string().contains("/nonexistent/retention.toml"), "{error}");
}

#[test]
fn expiry_counts_years_from_the_end_of_the_effective_period_or_from_receipt() {
    let policy = RetentionPolicy::shipped_default().unwrap();
    let received = at("2024-03-01T08:15:00Z");

    // Effective period ends 2024-06-30: the period starts at 2024-07-01T00:00Z.
    assert_eq!(
        policy.expires_at(Category::Biometrics, Some(date("2024-06-30")), received),
        Some(at("2029-07-01T00:00:00Z"))
    );
    // No effective end: counted from receipt, to the second.
    assert_eq!(policy.expires_at(Category::Biometrics, None, received), Some(at("2029-03-01T08:15:00Z")));
    assert_eq!(policy.expires_at(Category::MedicalExams, None, received), Some(at("2027-03-01T08:15:00Z")));
    assert_eq!(
        policy.expires_at(Category::Convictions, Some(date("2015-12-31")), received),
        Some(at("2026-01-01T00:00:00Z"))
    );
    // Not listed: kept.
    assert_eq!(policy.expires_at(Category::Identity, Some(date("2000-01-01")), received), None);
}

#[test]
fn expiry_across_leap_days() {
    let rule = |keep_for, counted_from| RetentionRule { keep_for, counted_from };
    let received = at("2024-02-29T12:00:00Z");
    // A calendar year after 29 February is 28 February.
    assert_eq!(
        rule(RetentionPeriod::Years(1), CountedFrom::Received).expires_at(None, received),
        Some(at("2025-02-28T12:00:00Z"))
    );
    assert_eq!(
        rule(RetentionPeriod::Years(4), CountedFrom::Received).expires_at(None, received),
        Some(at("2028-02-29T12:00:00Z"))
    );
    // 365 days from 2024-02-28 cross the leap day.
    assert_eq!(
        rule(RetentionPeriod::Days(365), CountedFrom::Received).expires_at(None, at("2024-02-28T00:00:00Z")),
        Some(at("2025-02-27T00:00:00Z"))
    );
    // The day after 28 February 2023 is 1 March.
    assert_eq!(
        rule(RetentionPeriod::Days(1), CountedFrom::EffectiveTo).expires_at(Some(date("2023-02-28")), received),
        Some(at("2023-03-02T00:00:00Z"))
    );
}

#[test]
fn counted_from_effective_to_keeps_records_without_one() {
    let rule = RetentionRule { keep_for: RetentionPeriod::Days(10), counted_from: CountedFrom::EffectiveTo };
    assert_eq!(rule.expires_at(None, at("2020-01-01T00:00:00Z")), None);
    let rule = RetentionRule { keep_for: RetentionPeriod::Days(10), counted_from: CountedFrom::Received };
    // `received` ignores the effective period.
    assert_eq!(rule.expires_at(Some(date("2030-01-01")), at("2020-01-01T00:00:00Z")), Some(at("2020-01-11T00:00:00Z")));
}

#[test]
fn a_record_is_expired_from_its_expiry_instant_on() {
    let policy = RetentionPolicy::shipped_default().unwrap();
    let received = at("2020-05-10T10:00:00Z");
    let expired = |now| policy.is_expired(Category::MedicalExams, None, received, at(now));
    assert!(!expired("2023-05-10T09:59:59Z"));
    assert!(expired("2023-05-10T10:00:00Z"));
    assert!(expired("2030-01-01T00:00:00Z"));
    assert!(!policy.is_expired(Category::Identity, None, received, at("2099-01-01T00:00:00Z")));
}
