//! The worked examples in `shared/data/stay/cases.csv`, published by the Swiss State Secretariat
//! for Migration (SEM) and by the `timeaway` library's tests. Each row checks the outputs its
//! `mode` names (`check`, `planning`, `max_window`, joined by `+`); an empty expected cell is not
//! checked. The one row whose `independent_check` says it cannot be verified (SEM-3, whose stay
//! table is garbled in every copy) is skipped, and must be the only one.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::collections::BTreeMap;

use hospes_rules::stay::{Presence, Stay, StayRule, calculate_stay, parse_date, parse_day_count, parse_stay};

const CASES_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/stay/cases.csv");

/// Which outputs each mode checks, by the column's name without `expected_`.
fn outputs_of_mode(mode: &str) -> &'static [&'static str] {
    match mode {
        "check" => &["days_used", "days_remaining", "overstay_days", "possible_stay_until"],
        "planning" => &["max_stay_from_planned_entry"],
        "max_window" => &["max_days_in_any_window", "breach"],
        other => panic!("unknown mode {other}"),
    }
}

/// Splits CSV text into records of fields (RFC 4180: fields in double quotes may hold commas,
/// line breaks and doubled quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match (in_quotes, character) {
            (true, '"') if characters.peek() == Some(&'"') => {
                field.push('"');
                characters.next();
            }
            (true, '"') => in_quotes = false,
            (true, other) => field.push(other),
            (false, '"') => in_quotes = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, other) => field.push(other),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// One row, by column name.
struct Case(BTreeMap<String, String>);

impl Case {
    fn get(&self, column: &str) -> &str {
        self.0.get(column).unwrap_or_else(|| panic!("no column {column}"))
    }

    fn id(&self) -> &str {
        self.get("id")
    }
}

fn read_cases() -> Vec<Case> {
    let text = std::fs::read_to_string(CASES_PATH).expect("shared/data/stay/cases.csv is readable");
    let mut records = parse_csv(&text).into_iter();
    let header = records.next().expect("a header row");
    records
        .map(|record| {
            assert_eq!(record.len(), header.len(), "row {record:?}");
            Case(header.iter().cloned().zip(record).collect())
        })
        .collect()
}

fn stays_of(case: &Case) -> Vec<Stay> {
    let stays = case.get("stays(entry..exit;...)");
    stays
        .split(';')
        .filter(|piece| !piece.trim().is_empty())
        .map(|piece| parse_stay(piece).unwrap_or_else(|problem| panic!("{}: stay {piece}: {problem}", case.id())))
        .collect()
}

/// Every output this row's inputs allow, written as the CSV writes them. Without a control date
/// only the whole-record figures exist.
fn actual_outputs(case: &Case) -> BTreeMap<&'static str, String> {
    let window_days = parse_day_count("window_days", case.get("window_days")).expect("a window");
    let max_days = parse_day_count("max_days", case.get("max_days")).expect("a maximum");
    let rule = StayRule::new(window_days, max_days).expect("a valid rule");
    let stays = stays_of(case);
    let optional_date = |column: &str| {
        let text = case.get(column);
        (!text.is_empty()).then(|| parse_date(text).expect("a date"))
    };
    let python_boolean = |value: bool| if value { "True" } else { "False" }.to_string();
    let mut outputs = BTreeMap::new();
    match optional_date("control_date") {
        Some(control_date) => {
            let report =
                calculate_stay(&stays, control_date, optional_date("planned_entry"), rule).expect("a valid case");
            outputs.insert("days_used", report.days_used.to_string());
            outputs.insert("days_remaining", report.days_remaining.to_string());
            outputs.insert("overstay_days", report.overstay_days.to_string());
            outputs.insert(
                "possible_stay_until",
                report.possible_stay_until.map_or("none".to_string(), |date| date.to_string()),
            );
            if let Some(days) = report.max_stay_from_planned_entry {
                outputs.insert("max_stay_from_planned_entry", days.to_string());
            }
            outputs.insert("max_days_in_any_window", report.max_days_in_any_window.to_string());
            outputs.insert("breach", python_boolean(report.breach));
        }
        None => {
            let presence = Presence::from_stays(&stays, None).expect("a valid case");
            let busiest = presence.max_days_in_any_window(rule);
            outputs.insert("max_days_in_any_window", busiest.to_string());
            outputs.insert("breach", python_boolean(busiest > rule.max_days()));
        }
    }
    outputs
}

/// The expected cells that are filled, by output name; each must belong to the row's mode.
fn expected_outputs(case: &Case) -> BTreeMap<String, String> {
    let checked_by_mode: Vec<&str> =
        case.get("mode").split('+').flat_map(|mode| outputs_of_mode(mode).iter().copied()).collect();
    let expected: BTreeMap<String, String> = case
        .0
        .iter()
        .filter_map(|(column, value)| {
            let output = column.strip_prefix("expected_")?;
            (!value.is_empty()).then(|| (output.to_string(), value.clone()))
        })
        .collect();
    for output in expected.keys() {
        assert!(
            checked_by_mode.contains(&output.as_str()),
            "{}: expected {output} is not checked by mode {}",
            case.id(),
            case.get("mode")
        );
    }
    expected
}

/// What is wrong with one case, if anything: every filled expected cell against the output.
fn check(case: &Case) -> Vec<String> {
    let actual = actual_outputs(case);
    let expected = expected_outputs(case);
    assert!(!expected.is_empty(), "{}: a case that checks nothing", case.id());
    expected
        .iter()
        .filter_map(|(output, expected_value)| {
            let actual_value = actual.get(output.as_str());
            (actual_value != Some(expected_value)).then(|| {
                format!(
                    "{} {output}: expected {expected_value}, got {actual_value:?} ({})",
                    case.id(),
                    case.get("source_statement")
                )
            })
        })
        .collect()
}

fn is_unverifiable(case: &Case) -> bool {
    case.get("independent_check").starts_with("not verifiable")
}

#[test]
fn every_verifiable_published_example_agrees() {
    let cases = read_cases();
    let skipped: Vec<&str> = cases.iter().filter(|case| is_unverifiable(case)).map(Case::id).collect();
    assert_eq!(skipped, ["SEM-3"], "only SEM-3 cannot be verified");

    let checked: Vec<&Case> = cases.iter().filter(|case| !is_unverifiable(case)).collect();
    let failures: Vec<String> = checked.iter().flat_map(|case| check(case)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let checked_ids: Vec<&str> = checked.iter().map(|case| case.id()).collect();
    assert_eq!(
        checked_ids,
        ["SEM-1", "SEM-5a", "SEM-2025-1", "TIMEAWAY-EX", "TIMEAWAY-W5", "TIMEAWAY-W720"],
        "the cases checked"
    );
}

#[test]
fn the_sem_overstay_example_is_nine_days_over_at_departure() {
    // SEM example 5: window 2013-12-12..2014-06-09 holds 59 days (21 February to 20 April)
    // and 40 (1 May to 9 June): 99 used, 9 over. The September 2013 stay has left the window.
    let case = read_cases().into_iter().find(|case| case.id() == "SEM-5a").expect("SEM-5a");
    let outputs = actual_outputs(&case);
    assert_eq!(outputs["days_used"], "99");
    assert_eq!(outputs["overstay_days"], "9");
    assert_eq!(outputs["possible_stay_until"], "none");
    assert_eq!(outputs["breach"], "True");
}

#[test]
fn the_csv_reader_handles_quotes() {
    let check = |text: &str, expected: &[&[&str]]| {
        let expected: Vec<Vec<String>> =
            expected.iter().map(|record| record.iter().map(|field| field.to_string()).collect()).collect();
        assert_eq!(parse_csv(text), expected, "{text:?}");
    };
    check("a,b\n1,2\n", &[&["a", "b"], &["1", "2"]]);
    check("a,\"b, c\"\r\n", &[&["a", "b, c"]]);
    check("\"say \"\"hi\"\"\",x", &[&["say \"hi\"", "x"]]);
    check("a,,\n", &[&["a", "", ""]]);
}
