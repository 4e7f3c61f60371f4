//! The status on past days, its history, and when it next changes.

use hospes_model::payload::VisitPurpose;
use hospes_model::payload::WantedPayload;
use hospes_model::{Category, Date, Payload};
use hospes_rules::status::{Colour, IdentityLinkKind, StatusRules, evaluate, next_change, status_history};

use super::support::{Person, date, fired, settled_visitor, shipped};

#[test]
fn a_wanted_notice_cancelled_later_is_red_before_and_green_after() {
    let rules = shipped();
    let mut person = settled_visitor();
    let notice = person.wanted("national", "2024-03-10");
    person.cancel_wanted(notice, "2024-04-20");
    assert_eq!(person.status(&rules, "2024-03-09").colour, Colour::Green);
    assert_eq!(person.status(&rules, "2024-03-10").colour, Colour::Red);
    assert_eq!(person.status(&rules, "2024-04-19").colour, Colour::Red);
    assert_eq!(person.status(&rules, "2024-04-20").colour, Colour::Green);
}

#[test]
fn records_received_after_the_day_do_not_count() {
    let rules = shipped();
    let mut person = settled_visitor();
    let payload = Payload::Wanted(WantedPayload {
        notice_number: hospes_model::ShortText::parse("WN-1").unwrap(),
        issuing_authority: hospes_model::ShortText::parse("Interpol").unwrap(),
        issuing_country: None,
        basis: None,
    });
    // Issued on 10 March, received by Hospes only on 1 April.
    person.add_received(Category::Wanted, "international", "2024-03-10", None, payload, "2024-04-01", &[]);
    assert_eq!(person.status(&rules, "2024-03-31").colour, Colour::Green);
    assert_eq!(person.status(&rules, "2024-04-01").colour, Colour::Red);
}

#[test]
fn records_effective_after_the_day_do_not_count() {
    let rules = shipped();
    let mut person = settled_visitor();
    // A ban decided ahead, to take effect on 1 May.
    person.add_received(
        Category::EntryBans,
        "expulsion",
        "2024-05-01",
        None,
        Payload::EntryBans(hospes_model::payload::EntryBanPayload {
            decision_number: hospes_model::ShortText::parse("EB-1").unwrap(),
            authority: hospes_model::ShortText::parse("MVD").unwrap(),
            decided_on: date("2024-04-01"),
            reason: None,
        }),
        "2024-04-01",
        &[],
    );
    assert_eq!(person.status(&rules, "2024-04-30").colour, Colour::Green);
    assert_eq!(person.status(&rules, "2024-05-01").colour, Colour::Red);
}

#[test]
fn the_history_lists_each_change_with_its_cause() {
    let rules = shipped();
    let mut person = settled_visitor();
    let notice = person.wanted("national", "2024-03-10");
    person.cancel_wanted(notice, "2024-04-20");
    let inclusion = person.register_inclusion("2024-04-15");
    person.register_exclusion(inclusion, "2024-05-05");
    let history = status_history(&rules, &person.input(), date("2024-03-01"), date("2024-05-20"));
    let summary: Vec<(String, Colour, Vec<&str>, Vec<&str>)> = history
        .changes
        .iter()
        .map(|change| {
            (
                change.on.to_string(),
                change.colour,
                change.started.iter().map(|rule| rule.rule_id.as_str()).collect(),
                change.stopped.iter().map(|rule| rule.rule_id.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("2024-03-01".to_string(), Colour::Green, vec![], vec![]),
            ("2024-03-10".to_string(), Colour::Red, vec!["wanted"], vec![]),
            ("2024-04-15".to_string(), Colour::Red, vec!["controlled-register"], vec![]),
            ("2024-04-20".to_string(), Colour::Yellow, vec![], vec!["wanted"]),
            ("2024-05-05".to_string(), Colour::Green, vec![], vec!["controlled-register"]),
        ]
    );
    assert_eq!(history.changes[3].previous_colour, Some(Colour::Red));
    assert!(history.changes[1].started[0].reason.contains("since 2024-03-10"));
}

/// The history, rebuilt by evaluating every single day: what `status_history` must agree with.
fn day_by_day(rules: &StatusRules, person: &Person, from: &str, to: &str) -> Vec<(Date, Colour, Vec<String>)> {
    let mut changes = Vec::new();
    let mut previous: Option<Vec<(String, Vec<hospes_model::RecordId>)>> = None;
    let mut day = date(from).naive();
    while day <= date(to).naive() {
        let on = Date::from_naive(day).unwrap();
        let report = evaluate(rules, &person.input(), on);
        let firing: Vec<(String, Vec<hospes_model::RecordId>)> =
            report.fired.iter().map(|rule| (rule.rule_id.clone(), rule.record_ids.clone())).collect();
        if previous.as_ref() != Some(&firing) {
            changes.push((on, report.colour, firing.iter().map(|(id, _)| id.clone()).collect()));
        }
        previous = Some(firing);
        day = day.succ_opt().unwrap();
    }
    changes
}

/// A person whose two years touch every rule: stays, deadlines, payments, expiries, links.
fn eventful_life() -> Person {
    let mut person = Person::new();
    person.passport("FA1234567", "2015-02-10", "2025-02-09");
    person.entry("2024-01-09", VisitPurpose::Work);
    person.registration("2024-01-22");
    person.patent("77-2400001", "2024-01-25", "2025-01-24");
    person.patent_payment("77-2400001", "2024-01-25", "2024-03-24", "2024-01-20");
    person.patent_payment("77-2400001", "2024-03-25", "2024-05-24", "2024-03-29");
    person.employment("hiring_notification", "OOO Stroymontazh", "2024-02-01");
    person.employment("dismissal_notification", "OOO Stroymontazh", "2024-06-30");
    person.medical_exam("2024-02-20", "2025-02-19");
    person.offence("5-118/2024", "2024-02-15", "2024-04-15");
    person.fine_payment("5-118/2024", "2024-05-02");
    person.tax_debt("2024-04-01", 300_000);
    person.tax_payment("2024-07-10", 300_000);
    let notice = person.wanted("national", "2024-08-01");
    person.cancel_wanted(notice, "2024-08-15");
    person.exit("2024-09-01");
    person.entry("2024-10-01", VisitPurpose::Private);
    let ban = person.entry_ban("expulsion", "2024-10-20", None);
    person.lift_entry_ban(ban, "2024-11-02");
    person.fingerprints("2025-01-20");
    person.link("link-7", IdentityLinkKind::Review, "2025-03-01");
    person
}

#[test]
fn the_history_agrees_with_a_day_by_day_evaluation() {
    let rules = shipped();
    for person in [eventful_life(), settled_visitor()] {
        let history = status_history(&rules, &person.input(), date("2023-12-01"), date("2025-06-30"));
        let computed: Vec<(Date, Colour, Vec<String>)> = history
            .changes
            .iter()
            .scan(Vec::<String>::new(), |firing, change| {
                firing.retain(|id| !change.stopped.iter().any(|rule| &rule.rule_id == id));
                firing.extend(change.started.iter().map(|rule| rule.rule_id.clone()));
                let order = |id: &String| rules.rules().iter().position(|rule| rule.id() == id);
                firing.sort_by_key(order);
                firing.dedup();
                Some((change.on, change.colour, firing.clone()))
            })
            .collect();
        let expected = day_by_day(&rules, &person, "2023-12-01", "2025-06-30");
        assert_eq!(computed, expected);
        assert!(expected.len() >= 3, "the life should change status several times: {expected:?}");
    }
}

#[test]
fn next_change_says_when_to_recompute_without_new_records() {
    let rules = shipped();
    let person = settled_visitor();
    // Green until the overstay begins on the 91st day.
    assert_eq!(next_change(&rules, &person.input(), date("2024-04-01")), Some(date("2024-06-02")));
    // Leaving stops the clock: green for good on these records.
    let mut gone = settled_visitor();
    gone.exit("2024-04-10");
    assert_eq!(next_change(&rules, &gone.input(), date("2024-04-01")), None);
    // A fine falls due: yellow the day after its deadline.
    gone.offence("5-118/2024", "2024-03-20", "2024-04-15");
    assert_eq!(next_change(&rules, &gone.input(), date("2024-04-01")), Some(date("2024-04-16")));
    assert_eq!(next_change(&rules, &gone.input(), date("2024-04-16")), None);
    // Fired rules and colour agree with evaluate on that day.
    assert!(fired(&person.status(&rules, "2024-06-02"), "overstay"));
}
