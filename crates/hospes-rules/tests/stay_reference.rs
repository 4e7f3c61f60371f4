//! The fast calculation against a naive one that keeps every day present in a set and counts
//! windows day by day, straight from the definitions in the `stay` module documentation.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use hospes_rules::stay::{Presence, Stay, StayError, StayRule, calculate_stay};
use proptest::collection::vec;
use proptest::prelude::*;

fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
}

fn date_of(day: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day).expect("a small day number")).expect("a date in range")
}

/// Every day present, as day numbers.
fn days_present(stays: &[Stay], control_date: NaiveDate) -> BTreeSet<i64> {
    let mut days = BTreeSet::new();
    for stay in stays {
        let last = stay.exit.unwrap_or(control_date);
        for day in day_number(stay.entry)..=day_number(last) {
            days.insert(day);
        }
    }
    days
}

fn days_in_window_ending(days: &BTreeSet<i64>, last: i64, window: i64) -> i64 {
    days.range(last - window + 1..=last).count() as i64
}

/// Stays on from `entry`, one day at a time, while the window ending that day is within the
/// maximum; the number of days managed.
fn longest_stay_naive(days: &BTreeSet<i64>, entry: i64, window: i64, maximum: i64) -> i64 {
    let mut with_stay = days.clone();
    let mut length = 0;
    loop {
        let day = entry + length;
        with_stay.insert(day);
        if days_in_window_ending(&with_stay, day, window) > maximum {
            return length;
        }
        length += 1;
    }
}

fn busiest_window_naive(days: &BTreeSet<i64>, window: i64) -> i64 {
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        return 0;
    };
    (first..=last + window).map(|end| days_in_window_ending(days, end, window)).max().unwrap_or(0)
}

/// What the naive count says, as the report's fields.
struct NaiveAnswer {
    days_used: i64,
    stay_from_control_date: i64,
    stay_from_planned_entry: Option<i64>,
    busiest_window: i64,
}

fn naive_answer(scenario: &Scenario) -> NaiveAnswer {
    let window = scenario.window_days;
    let maximum = scenario.max_days;
    let days = days_present(&scenario.stays, scenario.control_date);
    let control = day_number(scenario.control_date);
    NaiveAnswer {
        days_used: days_in_window_ending(&days, control, window),
        stay_from_control_date: longest_stay_naive(&days, control, window, maximum),
        stay_from_planned_entry: scenario
            .planned_entry
            .map(|entry| longest_stay_naive(&days, day_number(entry), window, maximum)),
        busiest_window: busiest_window_naive(&days, window),
    }
}

#[derive(Debug, Clone)]
struct Scenario {
    stays: Vec<Stay>,
    control_date: NaiveDate,
    planned_entry: Option<NaiveDate>,
    window_days: i64,
    max_days: i64,
}

fn origin() -> i64 {
    day_number(NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date"))
}

/// Valid stays: each begins on or after the previous exit (the same day now and then), the last
/// one sometimes open; given in a shuffled order. Windows small and large.
fn scenarios() -> impl Strategy<Value = Scenario> {
    let rule = prop_oneof![2i64..=12, 13i64..=400].prop_flat_map(|window| (Just(window), 1..window));
    let stays = vec((0i64..=60, 0i64..=50), 0..=12);
    (rule, stays, 0i64..=200, any::<bool>(), -30i64..=700, proptest::option::of(-30i64..=700), any::<u64>()).prop_map(
        |((window_days, max_days), gaps_and_lengths, start, last_is_open, control_offset, planned_offset, shuffle)| {
            let mut stays = Vec::new();
            let mut previous_exit = origin() + start;
            for (index, (gap, length)) in gaps_and_lengths.iter().enumerate() {
                // The first stay starts at `start`; later ones `gap` days after the last exit.
                let entry = if index == 0 { previous_exit } else { previous_exit + gap };
                let exit = entry + length;
                stays.push(Stay::closed(date_of(entry), date_of(exit)));
                previous_exit = exit;
            }
            let last_entry = stays.last().map(|stay| day_number(stay.entry));
            let mut control = origin() + control_offset;
            if let (true, Some(entry)) = (last_is_open, last_entry) {
                let last = stays.len() - 1;
                stays[last] = Stay::open(date_of(entry));
                control = entry + control_offset.rem_euclid(120);
            }
            let planned_entry = planned_offset.map(|offset| date_of(control + offset));
            if !stays.is_empty() {
                let turn = (shuffle % stays.len() as u64) as usize;
                stays.rotate_left(turn);
                if shuffle % 2 == 1 {
                    stays.reverse();
                }
            }
            Scenario { stays, control_date: date_of(control), planned_entry, window_days, max_days }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn agrees_with_counting_day_by_day(scenario in scenarios()) {
        let rule = StayRule::new(scenario.window_days, scenario.max_days).expect("a valid rule");
        let report = calculate_stay(&scenario.stays, scenario.control_date, scenario.planned_entry, rule)
            .expect("valid stays");
        let naive = naive_answer(&scenario);
        let maximum = scenario.max_days;

        prop_assert_eq!(i64::from(report.days_used), naive.days_used);
        prop_assert_eq!(i64::from(report.days_remaining), (maximum - naive.days_used).max(0));
        prop_assert_eq!(i64::from(report.overstay_days), (naive.days_used - maximum).max(0));
        let possible_stay_until = (naive.stay_from_control_date > 0)
            .then(|| date_of(day_number(scenario.control_date) + naive.stay_from_control_date - 1));
        prop_assert_eq!(report.possible_stay_until, possible_stay_until);
        prop_assert_eq!(report.max_stay_from_planned_entry.map(i64::from), naive.stay_from_planned_entry);
        prop_assert_eq!(i64::from(report.max_days_in_any_window), naive.busiest_window);
        prop_assert_eq!(report.breach, naive.busiest_window > maximum);
        let days = days_present(&scenario.stays, scenario.control_date);
        prop_assert_eq!(report.present_on_control_date, days.contains(&day_number(scenario.control_date)));
    }

    /// Closed stays placed anywhere: overlapping ones must be refused, naming two stays that
    /// really share more than a changeover day; the others accepted.
    #[test]
    fn refuses_exactly_the_overlapping_stays(stays in vec((0i64..60, 0i64..8), 0..=6)) {
        let stays: Vec<Stay> = stays
            .iter()
            .map(|(entry, length)| Stay::closed(date_of(origin() + entry), date_of(origin() + entry + length)))
            .collect();
        let overlap = |first: &Stay, second: &Stay| {
            let (first_exit, second_exit) = (first.exit.expect("closed"), second.exit.expect("closed"));
            let share_a_day = first.entry.max(second.entry) <= first_exit.min(second_exit);
            share_a_day && first_exit != second.entry && second_exit != first.entry
        };
        let any_overlap = stays.iter().enumerate().any(|(index, first)| {
            stays.iter().skip(index + 1).any(|second| overlap(first, second))
        });
        match Presence::from_stays(&stays, None) {
            Ok(_) => prop_assert!(!any_overlap, "accepted overlapping stays {:?}", stays),
            Err(StayError::OverlappingStays { first_position, first, second_position, second }) => {
                prop_assert!(any_overlap);
                prop_assert_eq!(stays[first_position - 1], first);
                prop_assert_eq!(stays[second_position - 1], second);
                prop_assert!(overlap(&first, &second), "{} and {} do not overlap", first, second);
            }
            Err(other) => prop_assert!(false, "unexpected error {}", other),
        }
    }
}
