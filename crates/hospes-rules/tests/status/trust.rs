//! Trust levels 0 to 3, and what is missing for the next.

use hospes_model::payload::VisitPurpose;
use hospes_rules::status::IdentityLinkKind;

use super::support::{Person, date};

#[test]
fn without_a_verified_document_the_level_is_zero() {
    let mut person = Person::new();
    person.registration("2024-03-06");
    // Fingerprints alone do not raise it: every level needs the ones below.
    person.fingerprints("2024-03-10");
    let report = person.trust("2024-04-01");
    assert_eq!(report.level, 0);
    assert!(report.evidence.is_empty());
    assert_eq!(report.missing_for_next.len(), 1);
    assert!(report.missing_for_next[0].starts_with("a valid passport"), "{:?}", report.missing_for_next);
    assert_eq!(report.as_of, date("2024-04-01"));
}

#[test]
fn a_valid_passport_is_level_one() {
    let mut person = Person::new();
    let passport = person.passport("FA1234567", "2020-01-10", "2030-01-09");
    let report = person.trust("2024-04-01");
    assert_eq!(report.level, 1);
    assert_eq!(report.evidence[0].record_ids, [passport]);
    assert!(report.missing_for_next[0].contains("live face capture of quality 50 or more"));
    // Expired or reported lost, it is not.
    assert_eq!(person.trust("2030-01-10").level, 0);
    person.lost_passport("FA1234567", "2024-05-01");
    assert_eq!(person.trust("2024-05-01").level, 0);
}

#[test]
fn a_border_crossing_on_a_document_is_level_one() {
    let mut person = Person::new();
    let entry = person.entry("2024-03-04", VisitPurpose::Private);
    let report = person.trust("2024-03-05");
    assert_eq!((report.level, report.evidence[0].record_ids.as_slice()), (1, &[entry][..]));
    // Not once the document is known to have expired.
    person.passport("FA1234567", "2014-03-01", "2024-02-29");
    assert_eq!(person.trust("2024-03-05").level, 0);
}

#[test]
fn a_live_face_captured_at_a_document_check_is_level_two() {
    let mut person = Person::new();
    person.passport("FA1234567", "2020-01-10", "2030-01-09");
    let crossing = person.entry_with_face("2024-03-04", Some("FA1234567"), "FC-000000000001");
    let face = person.biometric("face", "2024-03-04", 72, Some("FC-000000000001"));
    let report = person.trust("2024-03-05");
    assert_eq!(report.level, 2);
    assert_eq!(report.evidence[1].record_ids, [face, crossing]);
    assert_eq!(report.missing_for_next, ["fingerprints of quality 40 or more, enrolled by an agency"]);

    // A face of poor quality, or one captured where no document was checked, does not count.
    let mut poor = Person::new();
    poor.passport("FA1234567", "2020-01-10", "2030-01-09");
    poor.entry_with_face("2024-03-04", Some("FA1234567"), "FC-000000000001");
    poor.biometric("face", "2024-03-04", 30, Some("FC-000000000001"));
    assert_eq!(poor.trust("2024-03-05").level, 1);
    let mut unchecked = Person::new();
    unchecked.passport("FA1234567", "2020-01-10", "2030-01-09");
    unchecked.entry_with_face("2024-03-04", None, "FC-000000000001");
    unchecked.biometric("face", "2024-03-04", 90, Some("FC-000000000001"));
    unchecked.biometric("face", "2024-03-05", 90, None);
    assert_eq!(unchecked.trust("2024-03-05").level, 1);
}

#[test]
fn fingerprints_and_clean_deduplication_are_level_three() {
    let mut person = Person::new();
    person.passport("FA1234567", "2020-01-10", "2030-01-09");
    person.entry_with_face("2024-03-04", Some("FA1234567"), "FC-000000000001");
    person.biometric("face", "2024-03-04", 72, Some("FC-000000000001"));
    let fingerprints = person.fingerprints("2024-03-20");
    let report = person.trust("2024-03-20");
    assert_eq!(report.level, 3);
    assert_eq!(report.evidence.iter().map(|item| item.level).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(report.evidence[2].record_ids, [fingerprints]);
    assert!(report.missing_for_next.is_empty());

    // A suspected-fraud link means the 1:N search is not clean; a review link does not.
    person.link("link-3", IdentityLinkKind::Review, "2024-03-21");
    assert_eq!(person.trust("2024-03-22").level, 3);
    person.link("link-9", IdentityLinkKind::SuspectedFraud, "2024-03-25");
    let report = person.trust("2024-03-25");
    assert_eq!(report.level, 2);
    assert_eq!(
        report.missing_for_next,
        ["an officer's decision on the suspected-fraud identity link link-9: until then the 1:N deduplication is \
          not clean"]
    );
    assert_eq!(person.trust("2024-03-24").level, 3);
}

#[test]
fn contested_evidence_is_named() {
    let mut person = Person::new();
    let passport = person.passport("FA1234567", "2020-01-10", "2030-01-09");
    person.contested.insert(passport);
    let report = person.trust("2024-03-20");
    assert_eq!((report.level, report.contested_record_ids.as_slice()), (1, &[passport][..]));
    person.overturned.insert(passport);
    assert_eq!(person.trust("2024-03-20").level, 0);
}
