//! Each shipped rule fires on a minimal person, and not the day before its deadline.

use hospes_model::payload::{PermitDecision, VisitPurpose};
use hospes_rules::status::{Colour, IdentityLinkKind};

use super::support::{Person, fired, reason, settled_visitor, shipped};

#[test]
fn the_shipped_rules_parse_and_name_their_version() {
    let rules = shipped();
    assert_eq!(rules.version(), "2025.1");
    let ids: Vec<&str> = rules.rules().iter().map(|rule| rule.id()).collect();
    assert_eq!(
        ids,
        [
            "wanted",
            "entry-ban-while-present",
            "overstay",
            "registration-missing",
            "patent-lapsed",
            "work-without-permit",
            "tax-debt",
            "fine-unpaid",
            "document-expired",
            "medical-exam-missing",
            "fingerprints-missing",
            "controlled-register",
            "identity-link-unresolved",
        ]
    );
}

#[test]
fn a_lawful_visitor_is_green() {
    let report = settled_visitor().status(&shipped(), "2024-05-01");
    assert_eq!(report.colour, Colour::Green, "{:#?}", report.fired);
    assert!(report.fired.is_empty());
    assert_eq!(report.rules_version, "2025.1");
}

#[test]
fn someone_with_no_records_is_green() {
    let report = Person::new().status(&shipped(), "2024-05-01");
    assert_eq!(report.colour, Colour::Green);
}

#[test]
fn an_active_wanted_notice_is_red() {
    let rules = shipped();
    let mut person = settled_visitor();
    let notice = person.wanted("interstate", "2024-04-10");
    assert!(!fired(&person.status(&rules, "2024-04-09"), "wanted"));
    let report = person.status(&rules, "2024-04-10");
    assert_eq!(report.colour, Colour::Red);
    let rule = &report.fired[0];
    assert_eq!(
        (rule.rule_id.as_str(), rule.colour, rule.record_ids.as_slice()),
        ("wanted", Colour::Red, &[notice][..])
    );
    assert_eq!(rule.reason, "Active wanted notice: interstate in force since 2024-04-10.");
    // A wanted notice counts whether or not the person is in the country.
    person.exit("2024-04-20");
    assert_eq!(person.status(&rules, "2024-05-01").colour, Colour::Red);
}

#[test]
fn an_entry_ban_is_red_only_while_the_person_is_present() {
    let rules = shipped();
    let mut person = settled_visitor();
    let ban = person.entry_ban("expulsion", "2024-04-15", None);
    assert!(!fired(&person.status(&rules, "2024-04-14"), "entry-ban-while-present"));
    let report = person.status(&rules, "2024-04-15");
    assert_eq!(report.colour, Colour::Red);
    assert!(reason(&report, "entry-ban-while-present").contains("expulsion in force since 2024-04-15"));
    assert!(reason(&report, "entry-ban-while-present").ends_with("; in the country since 2024-03-04."));
    assert!(report.fired[0].record_ids.contains(&ban));
    person.exit("2024-04-25");
    assert_eq!(person.status(&rules, "2024-04-25").colour, Colour::Green);
    // Coming back while the ban holds is RED again; a lifting ends it.
    person.entry("2024-06-01", VisitPurpose::Private);
    person.registration("2024-06-03");
    assert_eq!(person.status(&rules, "2024-06-02").colour, Colour::Red);
    person.lift_entry_ban(ban, "2024-06-05");
    assert_eq!(person.status(&rules, "2024-06-05").colour, Colour::Green);
}

#[test]
fn an_entry_ban_that_has_run_out_is_not_red() {
    let rules = shipped();
    let mut person = settled_visitor();
    person.entry_ban("entry_ban", "2019-01-01", Some("2023-12-31"));
    assert_eq!(person.status(&rules, "2024-04-01").colour, Colour::Green);
}

#[test]
fn overstay_fires_on_the_ninety_first_day() {
    let rules = shipped();
    let person = settled_visitor();
    // Entered 2024-03-04: 2024-06-01 is the 90th day present, 2024-06-02 the 91st.
    assert!(!fired(&person.status(&rules, "2024-06-01"), "overstay"));
    let report = person.status(&rules, "2024-06-02");
    assert!(fired(&report, "overstay"));
    assert_eq!(report.colour, Colour::Yellow);
    assert_eq!(
        reason(&report, "overstay"),
        "Overstay: 91 days in the country in the 180 days from 2023-12-06 to 2024-06-02, 1 more than the 90 \
         allowed; in the country since 2024-03-04, with none of these in force: visas (issued), residence \
         permits (temporary residence permit or residence permit; decision granted), work permits (patent or work \
         permit), education (enrolment), employment (contract or hiring notification) for a citizen of ARM, BLR, \
         KAZ, KGZ."
    );
}

#[test]
fn overstay_counts_earlier_stays_in_the_window() {
    let rules = shipped();
    let mut person = Person::new();
    person.entry("2024-01-01", VisitPurpose::Private);
    person.registration("2024-01-02");
    person.exit("2024-02-29"); // 60 days
    person.entry("2024-04-01", VisitPurpose::Private);
    person.registration("2024-04-02");
    // 60 days before, so the 31st day of this stay (2024-05-01) is the 91st in the window.
    assert!(!fired(&person.status(&rules, "2024-04-30"), "overstay"));
    assert!(fired(&person.status(&rules, "2024-05-01"), "overstay"));
}

#[test]
fn a_visa_or_permit_in_force_covers_a_long_stay() {
    let rules = shipped();
    let mut with_visa = settled_visitor();
    with_visa.visa("2024-03-01", "2024-12-31");
    assert!(!fired(&with_visa.status(&rules, "2024-08-01"), "overstay"));
    assert!(fired(&with_visa.status(&rules, "2025-01-01"), "overstay"));

    // A citizen of the Eurasian Economic Union stays as long as their employment contract.
    let mut employed = Person::new().citizen_of("KGZ");
    employed.entry("2024-03-04", VisitPurpose::Work);
    employed.employment("contract", "OOO Stroymontazh", "2024-03-10");
    assert!(!fired(&employed.status(&rules, "2024-08-01"), "overstay"));
    let mut employed_elsewhere = Person::new().citizen_of("UZB");
    employed_elsewhere.entry("2024-03-04", VisitPurpose::Work);
    employed_elsewhere.employment("contract", "OOO Stroymontazh", "2024-03-10");
    assert!(fired(&employed_elsewhere.status(&rules, "2024-08-01"), "overstay"));

    let mut refused = settled_visitor();
    refused.residence_permit("2024-04-01", "2027-03-31", PermitDecision::Refused);
    assert!(fired(&refused.status(&rules, "2024-08-01"), "overstay"));
    let mut granted = settled_visitor();
    granted.residence_permit("2024-04-01", "2027-03-31", PermitDecision::Granted);
    assert!(!fired(&granted.status(&rules, "2024-08-01"), "overstay"));
}

#[test]
fn registration_is_due_seven_working_days_after_entry_across_a_weekend_and_a_holiday() {
    let rules = shipped();
    let mut person = Person::new();
    // Monday 3 June 2024: 4–7 June are four working days, 10 and 11 June six; 12 June is Russia Day,
    // so the seventh is Thursday 13 June.
    let entry = person.entry("2024-06-03", VisitPurpose::Private);
    assert!(!fired(&person.status(&rules, "2024-06-13"), "registration-missing"));
    let report = person.status(&rules, "2024-06-14");
    assert!(fired(&report, "registration-missing"));
    assert_eq!(
        reason(&report, "registration-missing"),
        "No address registration after the deadline: entered on 2024-06-03; the deadline is 7 working days \
         after entry, that is 2024-06-13; no registration record dated since that entry."
    );
    assert_eq!(report.fired[0].record_ids, [entry]);
    // A registration made late ends it from the day it is recorded.
    person.registration("2024-06-17");
    assert!(fired(&person.status(&rules, "2024-06-16"), "registration-missing"));
    assert!(!fired(&person.status(&rules, "2024-06-17"), "registration-missing"));
}

#[test]
fn a_registration_from_an_earlier_stay_does_not_count() {
    let rules = shipped();
    let mut person = Person::new();
    person.entry("2024-01-09", VisitPurpose::Private);
    person.registration("2024-01-10");
    person.exit("2024-02-01");
    person.entry("2024-03-04", VisitPurpose::Private);
    // Monday 4 March; 8 March is a holiday, so the 7th working day is 14 March.
    assert!(!fired(&person.status(&rules, "2024-03-14"), "registration-missing"));
    assert!(fired(&person.status(&rules, "2024-03-15"), "registration-missing"));
}

#[test]
fn citizens_of_the_eurasian_union_have_thirty_days_to_register() {
    let rules = shipped();
    let mut person = Person::new().citizen_of("KGZ");
    person.entry("2024-06-03", VisitPurpose::Private);
    assert!(!fired(&person.status(&rules, "2024-07-03"), "registration-missing"));
    let report = person.status(&rules, "2024-07-04");
    assert!(
        reason(&report, "registration-missing").contains("the deadline for a citizen of ARM, BLR, KAZ, KGZ is 30 days")
    );
}

#[test]
fn a_patent_lapses_the_day_after_its_last_paid_day() {
    let rules = shipped();
    let mut person = settled_visitor();
    let patent = person.patent("77-2400001", "2024-03-15", "2025-03-14");
    person.patent_payment("77-2400001", "2024-03-15", "2024-04-14", "2024-03-12");
    person.patent_payment("77-2400001", "2024-04-15", "2024-05-14", "2024-04-10");
    assert!(!fired(&person.status(&rules, "2024-05-14"), "patent-lapsed"));
    let report = person.status(&rules, "2024-05-15");
    assert!(fired(&report, "patent-lapsed"));
    assert!(reason(&report, "patent-lapsed").contains("paid up to 2024-05-14, nothing paid for 2024-05-15 onwards"));
    assert_eq!(report.fired.iter().find(|rule| rule.rule_id == "patent-lapsed").unwrap().record_ids[0], patent);
    // Paying late does not mend it: the days between were unpaid.
    person.patent_payment("77-2400001", "2024-05-15", "2024-06-14", "2024-05-20");
    assert!(fired(&person.status(&rules, "2024-05-25"), "patent-lapsed"));
}

#[test]
fn a_patent_paid_ahead_does_not_lapse() {
    let rules = shipped();
    let mut person = settled_visitor();
    person.patent("77-2400001", "2024-03-15", "2025-03-14");
    person.patent_payment("77-2400001", "2024-03-15", "2024-04-14", "2024-03-12");
    person.patent_payment("77-2400001", "2024-04-15", "2024-07-14", "2024-04-14");
    assert!(!fired(&person.status(&rules, "2024-07-14"), "patent-lapsed"));
    assert!(fired(&person.status(&rules, "2024-07-15"), "patent-lapsed"));
    // Not once the holder has left: the patent goes with them.
    person.exit("2024-07-20");
    assert!(!fired(&person.status(&rules, "2024-07-21"), "patent-lapsed"));
    // Another patent's payments do not count.
    let mut other = settled_visitor();
    other.patent("77-2400001", "2024-03-15", "2025-03-14");
    other.patent_payment("50-2400009", "2024-03-15", "2024-04-14", "2024-03-12");
    assert!(fired(&other.status(&rules, "2024-03-15"), "patent-lapsed"));
}

#[test]
fn work_needs_a_permit_in_force() {
    let rules = shipped();
    let mut person = settled_visitor();
    person.employment("hiring_notification", "OOO Stroymontazh", "2024-04-01");
    assert!(!fired(&person.status(&rules, "2024-03-31"), "work-without-permit"));
    let report = person.status(&rules, "2024-04-01");
    assert_eq!(
        reason(&report, "work-without-permit"),
        "Work without a valid permit: hiring notification (OOO Stroymontazh) since 2024-04-01; none of these in \
         force: work permits (patent or work permit), residence permits (temporary residence permit or residence \
         permit; decision granted); in the country since 2024-03-04."
    );
    // Dismissed on 20 April: still at work that day, not after.
    person.employment("dismissal_notification", "OOO Stroymontazh", "2024-04-20");
    assert!(fired(&person.status(&rules, "2024-04-20"), "work-without-permit"));
    assert!(!fired(&person.status(&rules, "2024-04-21"), "work-without-permit"));

    let mut with_patent = settled_visitor();
    with_patent.patent("77-2400001", "2024-03-15", "2025-03-14");
    with_patent.employment("contract", "OOO Stroymontazh", "2024-04-01");
    assert!(!fired(&with_patent.status(&rules, "2024-04-01"), "work-without-permit"));
    assert!(fired(&with_patent.status(&rules, "2025-03-15"), "work-without-permit"));
    // Someone who left is not working here, dismissal notified or not.
    with_patent.exit("2025-03-20");
    assert!(!fired(&with_patent.status(&rules, "2025-03-20"), "work-without-permit"));
}

#[test]
fn citizens_of_the_eurasian_union_work_without_a_permit() {
    let rules = shipped();
    let mut person = Person::new().citizen_of("KAZ");
    person.entry("2024-03-04", VisitPurpose::Work);
    person.employment("contract", "OOO Stroymontazh", "2024-03-10");
    assert!(!fired(&person.status(&rules, "2024-03-11"), "work-without-permit"));
}

#[test]
fn a_tax_debt_counts_once_it_is_more_than_two_months_old() {
    let rules = shipped();
    let mut person = settled_visitor();
    let debt = person.tax_debt("2024-01-15", 1_250_000);
    assert!(!fired(&person.status(&rules, "2024-03-15"), "tax-debt"));
    let report = person.status(&rules, "2024-03-16");
    assert_eq!(
        reason(&report, "tax-debt"),
        "Tax debt older than two months: debt personal income due on 2024-01-15, unpaid more than 2 months later \
         (2024-03-15)."
    );
    assert_eq!(report.fired.iter().find(|rule| rule.rule_id == "tax-debt").unwrap().record_ids, [debt]);
    // A payment of another amount does not settle it; the same amount does.
    person.tax_payment("2024-03-20", 1_000);
    assert!(fired(&person.status(&rules, "2024-03-25"), "tax-debt"));
    person.tax_payment("2024-03-28", 1_250_000);
    assert!(!fired(&person.status(&rules, "2024-03-28"), "tax-debt"));
}

#[test]
fn a_fine_counts_the_day_after_its_deadline_until_paid() {
    let rules = shipped();
    let mut person = settled_visitor();
    person.offence("5-118/2024", "2024-03-10", "2024-04-10");
    assert!(!fired(&person.status(&rules, "2024-04-10"), "fine-unpaid"));
    let report = person.status(&rules, "2024-04-11");
    assert_eq!(
        reason(&report, "fine-unpaid"),
        "Fine unpaid after its deadline: administrative offence 5-118/2024 due on 2024-04-10, unpaid."
    );
    person.fine_payment("5-119/2024", "2024-04-12");
    assert!(fired(&person.status(&rules, "2024-04-13"), "fine-unpaid"));
    person.fine_payment("5-118/2024", "2024-04-15");
    assert!(fired(&person.status(&rules, "2024-04-14"), "fine-unpaid"));
    assert!(!fired(&person.status(&rules, "2024-04-15"), "fine-unpaid"));
}

#[test]
fn an_expired_passport_counts_while_present_with_no_valid_one() {
    let rules = shipped();
    let mut person = Person::new();
    person.passport("FA1234567", "2014-05-31", "2024-05-30");
    person.entry("2024-03-04", VisitPurpose::Private);
    person.registration("2024-03-05");
    assert!(!fired(&person.status(&rules, "2024-05-30"), "document-expired"));
    let report = person.status(&rules, "2024-05-31");
    assert_eq!(
        reason(&report, "document-expired"),
        "Identity document expired: passport FA1234567 expired on 2024-05-30; no valid passport, travel document \
         or identity card is recorded; in the country since 2024-03-04."
    );
    // A new passport mends it; a new passport reported lost does not.
    let mut renewed = Person::new();
    renewed.passport("FA1234567", "2014-05-31", "2024-05-30");
    renewed.passport("FB7654321", "2024-05-20", "2034-05-19");
    renewed.entry("2024-03-04", VisitPurpose::Private);
    assert!(!fired(&renewed.status(&rules, "2024-06-01"), "document-expired"));
    renewed.lost_passport("FB7654321", "2024-06-05");
    assert!(fired(&renewed.status(&rules, "2024-06-05"), "document-expired"));
    // Not in the country: no concern of the status.
    person.exit("2024-05-20");
    assert!(!fired(&person.status(&rules, "2024-06-01"), "document-expired"));
}

#[test]
fn the_medical_exam_is_due_in_30_days_for_labour_migrants_and_90_for_others() {
    let rules = shipped();
    let mut worker = Person::new();
    worker.entry("2024-03-04", VisitPurpose::Work);
    worker.registration("2024-03-05");
    worker.fingerprints("2024-03-06");
    assert!(!fired(&worker.status(&rules, "2024-04-03"), "medical-exam-missing"));
    let report = worker.status(&rules, "2024-04-04");
    assert_eq!(
        reason(&report, "medical-exam-missing"),
        "Mandatory medical examination missing after the deadline: entered on 2024-03-04; the deadline for a \
         labour migrant is 30 days after entry, that is 2024-04-03; no examination record in force."
    );

    let mut visitor = Person::new();
    visitor.entry("2024-03-04", VisitPurpose::Private);
    visitor.registration("2024-03-05");
    visitor.fingerprints("2024-03-06");
    assert!(!fired(&visitor.status(&rules, "2024-06-02"), "medical-exam-missing"));
    assert!(fired(&visitor.status(&rules, "2024-06-03"), "medical-exam-missing"));

    // An examination that has run out no longer satisfies it.
    worker.medical_exam("2024-04-10", "2025-04-09");
    assert!(!fired(&worker.status(&rules, "2024-04-10"), "medical-exam-missing"));
    assert!(fired(&worker.status(&rules, "2025-04-10"), "medical-exam-missing"));
}

#[test]
fn a_patent_makes_a_labour_migrant_whatever_the_declared_purpose() {
    let rules = shipped();
    let mut person = Person::new();
    person.entry("2024-03-04", VisitPurpose::Private);
    person.registration("2024-03-05");
    person.medical_exam("2024-03-06", "2025-03-05");
    person.patent("77-2400001", "2024-03-10", "2025-03-09");
    assert!(!fired(&person.status(&rules, "2024-04-03"), "fingerprints-missing"));
    assert!(fired(&person.status(&rules, "2024-04-04"), "fingerprints-missing"));
    person.fingerprints("2024-04-05");
    assert!(!fired(&person.status(&rules, "2024-04-05"), "fingerprints-missing"));
}

#[test]
fn fingerprints_are_due_in_90_days_for_others() {
    let rules = shipped();
    let mut person = Person::new();
    person.entry("2024-03-04", VisitPurpose::Study);
    person.registration("2024-03-05");
    person.medical_exam("2024-03-06", "2025-03-05");
    person.visa("2024-03-01", "2025-02-28");
    assert!(!fired(&person.status(&rules, "2024-06-02"), "fingerprints-missing"));
    assert!(fired(&person.status(&rules, "2024-06-03"), "fingerprints-missing"));
}

#[test]
fn inclusion_in_the_controlled_register_counts_until_an_exclusion() {
    let rules = shipped();
    let mut person = settled_visitor();
    let inclusion = person.register_inclusion("2024-04-02");
    assert!(!fired(&person.status(&rules, "2024-04-01"), "controlled-register"));
    let report = person.status(&rules, "2024-04-02");
    assert_eq!(report.colour, Colour::Yellow);
    assert_eq!(
        reason(&report, "controlled-register"),
        "Included in the register of persons present unlawfully: inclusion in force since 2024-04-02."
    );
    person.register_exclusion(inclusion, "2024-04-20");
    assert!(fired(&person.status(&rules, "2024-04-19"), "controlled-register"));
    assert!(!fired(&person.status(&rules, "2024-04-20"), "controlled-register"));
}

#[test]
fn an_unresolved_identity_link_counts_from_the_day_it_is_raised() {
    let rules = shipped();
    let mut person = settled_visitor();
    person.link("link-42", IdentityLinkKind::SuspectedFraud, "2024-04-02");
    assert!(!fired(&person.status(&rules, "2024-04-01"), "identity-link-unresolved"));
    let report = person.status(&rules, "2024-04-02");
    let rule = report.fired.iter().find(|rule| rule.rule_id == "identity-link-unresolved").unwrap();
    assert_eq!(rule.reason, "Unresolved identity link: suspected fraud link link-42 unresolved since 2024-04-02.");
    assert_eq!(rule.identity_link_ids, ["link-42"]);
    assert!(rule.record_ids.is_empty());
}

#[test]
fn red_outranks_yellow_and_every_fired_rule_is_listed() {
    let rules = shipped();
    let mut person = settled_visitor();
    person.register_inclusion("2024-04-02");
    person.wanted("national", "2024-04-03");
    let report = person.status(&rules, "2024-04-05");
    assert_eq!(report.colour, Colour::Red);
    let ids: Vec<&str> = report.fired.iter().map(|rule| rule.rule_id.as_str()).collect();
    assert_eq!(ids, ["wanted", "controlled-register"]);
}

#[test]
fn contested_records_count_and_are_named() {
    let rules = shipped();
    let mut person = settled_visitor();
    let notice = person.wanted("national", "2024-04-03");
    person.contested.insert(notice);
    let report = person.status(&rules, "2024-04-05");
    assert_eq!(report.colour, Colour::Red);
    assert_eq!(report.fired[0].contested_record_ids, [notice]);
    assert!(
        report.fired[0].reason.ends_with(&format!(
            "Record {notice} is contested by the person and counts until an officer decides on it."
        )),
        "{}",
        report.fired[0].reason
    );
}

#[test]
fn overturned_records_do_not_count() {
    let rules = shipped();
    let mut person = settled_visitor();
    let notice = person.wanted("national", "2024-04-03");
    person.overturned.insert(notice);
    assert_eq!(person.status(&rules, "2024-04-05").colour, Colour::Green);
    // An overturned lifting leaves the ban in force.
    let mut banned = settled_visitor();
    let ban = banned.entry_ban("expulsion", "2024-04-10", None);
    let lifting = banned.lift_entry_ban(ban, "2024-04-12");
    assert_eq!(banned.status(&rules, "2024-04-13").colour, Colour::Green);
    banned.overturned.insert(lifting);
    assert_eq!(banned.status(&rules, "2024-04-13").colour, Colour::Red);
}

#[test]
fn the_report_serialises_with_lowercase_colours() {
    let rules = shipped();
    let mut person = settled_visitor();
    let notice = person.wanted("national", "2024-04-03");
    let json = serde_json::to_value(person.status(&rules, "2024-04-05")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "colour": "red",
            "as_of": "2024-04-05",
            "rules_version": "2025.1",
            "fired": [{
                "rule_id": "wanted",
                "colour": "red",
                "reason": "Active wanted notice: national in force since 2024-04-03.",
                "record_ids": [notice.to_string()],
                "contested_record_ids": [],
            }],
        })
    );
}
