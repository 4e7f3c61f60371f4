//! Every generated line is valid for its agency, dated no later than `as_of`, in chronological
//! order, and the ground truth covers every record exactly once.

use std::collections::{BTreeMap, BTreeSet};

use hospes_ingest::{BatchLimits, validate_batch};
use hospes_model::{AgencyRegistry, Timestamp};

use crate::common::{as_of, config, date, read_population};

fn received_at() -> Timestamp {
    Timestamp::parse(&format!("{}T12:00:00Z", as_of().succ_opt().unwrap())).unwrap()
}

#[test]
fn every_line_of_two_thousand_people_validates_and_is_in_the_truth() {
    let directory = tempfile::tempdir().unwrap();
    let summary = hospes_synth::write_population(&config(2000, 7), directory.path(), |_| {}).unwrap();
    let registry = AgencyRegistry::default_registry().unwrap();
    let mut record_ids_in_files: BTreeSet<String> = BTreeSet::new();
    let mut total = 0;
    for agency in hospes_synth::AGENCY_IDS {
        let bytes = std::fs::read(directory.path().join(format!("{agency}.ndjson"))).unwrap();
        let lines: Vec<&[u8]> = bytes.split(|byte| *byte == b'\n').filter(|line| !line.is_empty()).collect();
        assert_eq!(lines.len(), summary.records_per_agency[agency], "{agency}");
        total += lines.len();
        let agency_config = registry.get(agency).unwrap();
        for batch in lines.chunks(50_000) {
            let joined = batch.join(&b'\n');
            if let Err(rejection) = validate_batch(agency_config, &joined, received_at(), &BatchLimits::default()) {
                let errors = rejection.line_errors();
                let mut shown = BTreeMap::new();
                for error in errors {
                    shown.entry((error.path.clone(), error.reason.clone())).or_insert(error.line);
                }
                for ((path, reason), line) in shown.iter().take(20) {
                    println!("{agency} line {line} {path}: {reason}\n  {}", String::from_utf8_lossy(batch[*line - 1]));
                }
                panic!("{agency}: {} invalid lines ({rejection})", errors.len());
            }
        }
        for line in lines {
            let value: serde_json::Value = serde_json::from_slice(line).unwrap();
            record_ids_in_files.insert(value["record_id"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(total, summary.records);
    assert!(summary.records > 2000 * 15, "{} records", summary.records);

    let truth = std::fs::read_to_string(directory.path().join("truth.csv")).unwrap();
    let mut truth_lines = truth.lines();
    assert_eq!(truth_lines.next(), Some("record_id,person_id"));
    let mut truth_ids = BTreeMap::new();
    for line in truth_lines {
        let (record_id, person_id) = line.split_once(',').unwrap();
        assert!(
            truth_ids.insert(record_id.to_owned(), person_id.to_owned()).is_none(),
            "{record_id} twice in the truth"
        );
    }
    let truth_set: BTreeSet<String> = truth_ids.keys().cloned().collect();
    assert_eq!(truth_set, record_ids_in_files);
    assert_eq!(truth_ids.len(), summary.distinct_records);
    let persons: BTreeSet<&String> = truth_ids.values().collect();
    assert!(persons.len() > 1900, "{} people have records", persons.len());
}

#[test]
fn nothing_is_dated_after_as_of_and_files_are_in_chronological_order() {
    let directory = tempfile::tempdir().unwrap();
    hospes_synth::write_population(&config(600, 11), directory.path(), |_| {}).unwrap();
    let lines = read_population(directory.path());
    let mut previous: BTreeMap<&str, (chrono::NaiveDate, String, u64)> = BTreeMap::new();
    for line in &lines {
        assert!(line.person.starts_with('P'), "{}", line.person);
        let value = &line.value;
        let effective_from = date(&value["effective_from"]).unwrap();
        assert!(effective_from <= as_of(), "{value}");
        if let Some(effective_to) = date(&value["effective_to"]) {
            assert!(effective_to >= effective_from, "{value}");
        }
        for field in ["paid_on", "decided_on", "examined_on", "passed_on", "reported_on", "issued_on", "notified_on"] {
            if let Some(day) = date(&value["payload"][field]) {
                assert!(day <= as_of(), "{field} in {value}");
            }
        }
        for field in ["crossed_at", "captured_at"] {
            if let Some(instant) = value["payload"][field].as_str() {
                assert!(&instant[..10] <= as_of().to_string().as_str(), "{field} in {value}");
            }
        }
        let key =
            (effective_from, value["record_id"].as_str().unwrap().to_owned(), value["version"].as_u64().unwrap_or(1));
        if let Some(before) = previous.get(line.agency.as_str()) {
            assert!(before < &key, "{} is out of order: {before:?} then {key:?}", line.agency);
        }
        previous.insert(&line.agency, key);
    }
    // A new version keeps its record id and comes after the first.
    let versions: Vec<&serde_json::Value> =
        lines.iter().map(|line| &line.value).filter(|value| value["version"].as_u64().is_some()).collect();
    assert!(!versions.is_empty(), "some records have a second version");
}

#[test]
fn an_empty_population_writes_empty_files() {
    let directory = tempfile::tempdir().unwrap();
    let summary = hospes_synth::write_population(&config(0, 1), directory.path(), |_| {}).unwrap();
    assert_eq!(summary.records, 0);
    for agency in hospes_synth::AGENCY_IDS {
        assert_eq!(std::fs::read(directory.path().join(format!("{agency}.ndjson"))).unwrap(), b"");
    }
    assert_eq!(std::fs::read_to_string(directory.path().join("truth.csv")).unwrap(), "record_id,person_id\n");
}
