//! The JSON that `hospes stay` prints, pinned for the example in the command's description.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use hospes_rules::stay::{StayQuery, StayReport};

/// `hospes stay --stays 2014-08-15..2014-09-30,2014-11-01..2014-11-30 --on 2014-11-30
/// --planned-entry 2015-01-01`, with the default 90 days in any 180.
///
/// By hand:
/// * The window ending 2014-11-30 starts 179 days earlier, on 2014-06-04. It holds the whole
///   first stay, 15 August to 30 September (17 + 30 = 47 days), and the second, 1 to 30
///   November (30 days): 77 used, 13 remaining, no overstay.
/// * Staying on from 2014-11-30: no old day leaves the window until it starts after 15 August,
///   73 days on, so each further day adds one: 77 + 13 = 90 on 2014-12-13, 91 the day after.
///   Possible until 2014-12-13.
/// * Entering 2015-01-01: its window starts 2014-07-06 and still holds all 77 days, which stay
///   inside it for the next 40 days. 77 + 13 = 90 on 2015-01-13, so 13 days (1 to 13 January).
/// * The whole record spans 108 days, inside one window: 77 at most, no breach.
#[test]
fn prints_the_example_of_the_command_description() {
    let query =
        StayQuery::parse("2014-08-15..2014-09-30,2014-11-01..2014-11-30", "2014-11-30", Some("2015-01-01"), None, None)
            .expect("a readable query");
    let report = query.run().expect("valid stays");
    let json = report.to_json().expect("a report serialises");
    assert_eq!(
        json,
        r#"{
  "days_used": 77,
  "days_remaining": 13,
  "overstay_days": 0,
  "possible_stay_until": "2014-12-13",
  "max_stay_from_planned_entry": 13,
  "planned_stay_until": "2015-01-13",
  "max_days_in_any_window": 77,
  "breach": false,
  "present_on_control_date": true,
  "control_date": "2014-11-30",
  "window_start": "2014-06-04",
  "planned_entry": "2015-01-01",
  "window_days": 180,
  "max_days": 90
}"#
    );
    let read_back: StayReport = serde_json::from_str(&json).expect("the JSON reads back");
    assert_eq!(read_back, report);
}

/// Values that do not apply are `null`, not left out, so that readers find every key.
#[test]
fn prints_null_where_a_value_does_not_apply() {
    let query = StayQuery::parse("2024-01-01..", "2024-03-31", None, None, None).expect("a readable query");
    let json = query.run().expect("valid stays").to_json().expect("a report serialises");
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(value["days_used"], 91);
    assert_eq!(value["overstay_days"], 1);
    assert!(value["possible_stay_until"].is_null());
    assert!(value["max_stay_from_planned_entry"].is_null());
    assert!(value["planned_stay_until"].is_null());
    assert!(value["planned_entry"].is_null());
    assert_eq!(value["breach"], true);
}
