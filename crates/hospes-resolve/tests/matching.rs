//! Probabilistic matching as a user relies on it: names across scripts and romanisations, the
//! FEBRL benchmark above a floor, bad input that loads and matches nothing, explanations that add
//! up.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use hospes_resolve::matching::cluster::Decision;
use hospes_resolve::matching::eval::{evaluate_clusters, truth_from_pairs};
use hospes_resolve::matching::load::{CsvSchema, load_csv, load_truth_pairs};
use hospes_resolve::matching::{
    BirthDate, Identifiers, MatchConfig, MatchRecord, MatchRun, Matcher, NameSpelling, compare_name_spellings,
};

/// The shared data folder next to the repository checkout.
fn shared_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// A record with one spelling of a name and a birth date.
fn person(id: &str, surname: &str, given: &str, birth_date: &str) -> MatchRecord {
    MatchRecord {
        id: id.into(),
        names: vec![NameSpelling::new(surname, Some(given), None)],
        birth_date: Some(BirthDate::parse(birth_date).unwrap()),
        ..MatchRecord::default()
    }
}

/// A model trained on the synthetic population's first 300 people (about 6,000 records in mixed
/// scripts), shared by the tests that score pairs against it.
fn synthetic_run() -> &'static MatchRun {
    static RUN: OnceLock<MatchRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let as_of = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        let mut config = hospes_synth::SynthConfig::new(300, 7, as_of);
        config.names_dir = Some(shared_data().join("names"));
        let population = hospes_synth::Population::new(&config).unwrap();
        let mut records = Vec::new();
        for index in 0..population.people() {
            for record in population.person(index).unwrap().records() {
                let line: serde_json::Value = serde_json::from_str(&record.line).unwrap();
                let subject: hospes_model::Subject = serde_json::from_value(line["subject"].clone()).unwrap();
                records.push(MatchRecord::from_subject(record.record_id.clone(), &subject));
            }
        }
        Matcher::new(MatchConfig::default()).run(&records)
    })
}

#[test]
fn the_same_name_in_cyrillic_and_latin_with_the_same_birth_date_is_the_same_person() {
    let run = synthetic_run();
    let cases = [
        (person("a", "Юсупов", "Алишер", "1990-04-12"), person("b", "YUSUPOV", "ALISHER", "1990-04-12")),
        (person("a", "Юсупов", "Алишер", "1990-04-12"), person("b", "Yusupov", "Alisher", "1990-12-04")),
        (person("a", "Рахимов", "Бахтиёр", "1973-04-19"), person("b", "RAKHIMOV", "BAKHTIER", "1973-04-19")),
        (person("a", "Раҳимов", "Баҳтиёр", "1973-04-19"), person("b", "Rahimov", "Baxtiyor", "1973-04-19")),
        // Surname and given name in each other's fields.
        (person("a", "Юсупов", "Алишер", "1990-04-12"), person("b", "ALISHER", "YUSUPOV", "1990-04-12")),
    ];
    for (left, right) in &cases {
        let explanation = run.explain_records(left, right);
        assert_eq!(
            explanation.decision,
            Decision::Same,
            "{:?} against {:?}: {}",
            left.names,
            right.names,
            serde_json::to_string_pretty(&explanation).unwrap()
        );
    }
}

#[test]
fn namesakes_with_different_birth_dates_are_different_people() {
    let run = synthetic_run();
    let cases = [
        (person("a", "Юсупов", "Алишер", "1990-04-12"), person("b", "YUSUPOV", "ALISHER", "1985-07-03")),
        (person("a", "Рахимов", "Бахтиёр", "1973-04-19"), person("b", "Рахимов", "Бахтиёр", "1991-11-30")),
    ];
    for (left, right) in &cases {
        let explanation = run.explain_records(left, right);
        assert_eq!(explanation.decision, Decision::Different, "{:?} against {:?}", left.names, right.names);
    }
}

#[test]
fn a_shared_document_number_is_evidence_not_a_verdict() {
    let run = synthetic_run();
    let with_document = |id: &str, surname: &str, given: &str, birth_date: &str, number: &str| MatchRecord {
        identifiers: Identifiers { documents: vec![number.into()], ..Identifiers::default() },
        ..person(id, surname, given, birth_date)
    };
    // The same passport and the same person, spelled differently: the same.
    let same = run.explain_records(
        &with_document("a", "Юсупов", "Алишер", "1990-04-12", "FA1234567"),
        &with_document("b", "YUSUPOV", "ALISHER", "1990-04-12", "FA1234567"),
    );
    assert_eq!(same.decision, Decision::Same);
    // The same number on two people who share nothing else (a mistyped number): not the same.
    let different = run.explain_records(
        &with_document("a", "Юсупов", "Алишер", "1990-04-12", "FA1234567"),
        &with_document("b", "Ким", "Ольга", "1961-09-25", "FA1234567"),
    );
    assert_ne!(different.decision, Decision::Same, "{}", serde_json::to_string_pretty(&different).unwrap());
}

#[test]
fn explanations_add_up_and_serialise() {
    let run = synthetic_run();
    let explanation = run.explain_records(
        &person("a", "Юсупов", "Алишер", "1990-04-12"),
        &person("b", "YUSUPOV", "ALISHER", "1990-04-12"),
    );
    let sum: f64 = explanation.prior_weight
        + explanation.fields.iter().map(|field| field.weight + field.term_frequency_adjustment).sum::<f64>();
    assert!((sum - explanation.match_weight).abs() < 1e-9);
    let json = serde_json::to_value(&explanation).unwrap();
    let surname = json["fields"].as_array().unwrap().iter().find(|field| field["field"] == "surname").unwrap();
    assert_eq!(surname["level"], "skeleton_equal");
    let sex = json["fields"].as_array().unwrap().iter().find(|field| field["field"] == "sex").unwrap();
    assert_eq!(sex["level"], "missing");
    assert_eq!(sex["weight"], 0.0);
}

#[test]
fn bad_input_loads_matches_nothing_and_warns() {
    let mut records = vec![
        MatchRecord { id: "empty".into(), ..MatchRecord::default() },
        MatchRecord {
            id: "han".into(),
            names: vec![NameSpelling::new("李", Some("小龍"), None)],
            ..MatchRecord::default()
        },
        MatchRecord {
            id: "absurd-date".into(),
            names: vec![NameSpelling::new("", None, None)],
            birth_date: Some(BirthDate { year: 9999, month: 77, day: 0 }),
            ..MatchRecord::default()
        },
    ];
    // Fifty people with nothing in common: no pair of them may match either.
    let surnames =
        ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Лебедев", "Козлов", "Новиков", "Морозов"];
    let given = ["Алишер", "Бахтиёр", "Олег", "Нурлан", "Фарход"];
    for index in 0..50 {
        let birth_date = format!("{}-0{}-1{}", 1950 + index, 1 + index % 9, index % 10);
        records.push(person(&format!("p{index}"), surnames[index % 10], given[index / 10], &birth_date));
    }
    let run = Matcher::new(MatchConfig::default()).run(&records);
    assert_eq!(run.cluster_of.len(), records.len());
    assert_eq!(run.stats.clusters, records.len());
    for (record, cluster) in records.iter().zip(&run.cluster_of).take(3) {
        let alone = run.cluster_of.iter().filter(|other| *other == cluster).count();
        assert_eq!(alone, 1, "{} was joined to something", record.id);
    }
    assert_eq!(run.warnings.missing_names, 2);
    assert_eq!(run.warnings.unsupported_scripts, 1);
    assert_eq!(run.warnings.implausible_birth_dates, 1);
    assert_eq!(run.warnings.nothing_to_compare, 2);
    // Nothing at all is fine too.
    let empty = Matcher::new(MatchConfig::default()).run(&[]);
    assert!(empty.cluster_of.is_empty());
}

/// Compares every romanised variant in a cluster file with its Cyrillic original, as a surname.
/// Returns the share of variants at each level.
fn variant_levels(file: &str, original_column: &str) -> BTreeMap<&'static str, f64> {
    let path = shared_data().join("names").join(file);
    let table = hospes_resolve::matching::load::CsvTable::read(&path).unwrap();
    let original = table.column(&path, "cyrillic_as_listed").or_else(|_| table.column(&path, "cyrillic")).unwrap();
    assert_eq!(table.header[original], original_column);
    let latin = table.column(&path, "latin").unwrap();
    let mut counts: BTreeMap<&'static str, f64> = BTreeMap::new();
    for row in &table.rows {
        let left = NameSpelling::new(row[original].clone(), None, None);
        let right = NameSpelling::new(row[latin].clone(), None, None);
        let level = compare_name_spellings(&left, &right)[0].unwrap_or("missing");
        *counts.entry(level).or_insert(0.0) += 1.0;
    }
    let total: f64 = counts.values().sum();
    counts.values_mut().for_each(|count| *count /= total);
    counts
}

#[test]
fn every_romanisation_of_a_cyrillic_name_is_recognised() {
    // 5,589 variants of 207 Central Asian and Russian names under every scheme (ICAO, GOST, MVD,
    // BGN/PCGN, ISO 9, informal), and 164 of iuliia's samples.
    for (file, column) in
        [("cyrillic_name_variant_clusters.csv", "cyrillic_as_listed"), ("iuliia_variant_clusters.csv", "cyrillic")]
    {
        let levels = variant_levels(file, column);
        let agree = levels.get("skeleton_equal").copied().unwrap_or(0.0) + levels.get("exact").copied().unwrap_or(0.0);
        let close =
            agree + levels.get("close").copied().unwrap_or(0.0) + levels.get("token_subset").copied().unwrap_or(0.0);
        let different = levels.get("different").copied().unwrap_or(0.0);
        eprintln!("{file}: {levels:?}");
        // Shares when written: 0.9996 and 0.9939 skeleton-equal, the rest close or (for a
        // multi-word name) a token subset.
        assert!(agree >= 0.99, "{file}: {levels:?}");
        assert!(close >= 0.999, "{file}: {levels:?}");
        assert!(different <= 0.001, "{file}: {levels:?}");
    }
}

#[test]
fn patronymics_initials_and_double_surnames_are_understood() {
    let check = |left: (&str, Option<&str>, Option<&str>),
                 right: (&str, Option<&str>, Option<&str>),
                 expected: [Option<&str>; 3]| {
        let levels = compare_name_spellings(
            &NameSpelling::new(left.0, left.1, left.2),
            &NameSpelling::new(right.0, right.1, right.2),
        );
        assert_eq!(levels, expected, "{left:?} against {right:?}");
    };
    // Russian-style and Uzbek patronymics of one father.
    check(
        ("Рахимов", Some("Бахтиёр"), Some("Бобурович")),
        ("Rahimov", Some("Baxtiyor"), Some("Bobur oʻgʻli")),
        [Some("skeleton_equal"), Some("skeleton_equal"), Some("stem_equal")],
    );
    // A patronymic written into the given-name field.
    check(
        ("Юсупов", Some("Алишер Бахтиёрович"), None),
        ("YUSUPOV", Some("ALISHER"), Some("BAKHTIEROVICH")),
        [Some("skeleton_equal"), Some("skeleton_equal"), Some("stem_equal")],
    );
    // Initials.
    check(
        ("Юсупов", Some("А."), Some("Б.")),
        ("Yusupov", Some("Alisher"), Some("Bakhtiyorovich")),
        [Some("skeleton_equal"), Some("initials"), Some("initial")],
    );
    // A double surname against one of its halves.
    check(
        ("Иванова-Петрова", Some("Анна"), None),
        ("Petrova", Some("Anna"), None),
        [Some("token_subset"), Some("skeleton_equal"), None],
    );
    // A typo in Cyrillic is one character, not two bytes.
    check(("Юсупов", Some("Алишер"), None), ("Юсупав", Some("Алишер"), None), [Some("close"), Some("exact"), None]);
    // Different people.
    check(
        ("Иванов", Some("Пётр"), None),
        ("Сидоров", Some("Олег"), None),
        [Some("different"), Some("different"), None],
    );
}

#[test]
fn febrl3_deduplication_stays_above_its_floor() {
    let directory = shared_data().join("febrl");
    let loaded = load_csv(&directory.join("febrl3.csv"), CsvSchema::Febrl, 0).unwrap();
    let pairs = load_truth_pairs(&directory.join("febrl3_truth.csv")).unwrap();
    let ids: Vec<&str> = loaded.records.iter().map(|record| record.id.as_str()).collect();
    let (truth, unknown) = truth_from_pairs(&ids, pairs.iter().map(|(left, right)| (left.as_str(), right.as_str())));
    assert_eq!(unknown, 0);
    let run = Matcher::new(MatchConfig::default()).run(&loaded.records);
    let clusters: Vec<u32> = run.cluster_of.iter().map(|cluster| *cluster as u32).collect();
    let sources = vec![0u8; clusters.len()];
    let metrics = evaluate_clusters(&clusters, &truth, &sources, false);
    eprintln!("FEBRL3: {metrics:?}");
    assert_eq!(metrics.true_pairs, 6538);
    // 0.99969 when written.
    assert!(metrics.f1 >= 0.999, "{metrics:?}");
}

#[test]
fn febrl4_linking_stays_above_its_floor() {
    let directory = shared_data().join("febrl");
    let mut records = load_csv(&directory.join("febrl4a.csv"), CsvSchema::Febrl, 0).unwrap().records;
    records.extend(load_csv(&directory.join("febrl4b.csv"), CsvSchema::Febrl, 1).unwrap().records);
    let pairs = load_truth_pairs(&directory.join("febrl4_truth.csv")).unwrap();
    let ids: Vec<&str> = records.iter().map(|record| record.id.as_str()).collect();
    let (truth, _) = truth_from_pairs(&ids, pairs.iter().map(|(left, right)| (left.as_str(), right.as_str())));
    let run = Matcher::new(MatchConfig::default()).run(&records);
    assert!(run.link);
    let clusters: Vec<u32> = run.cluster_of.iter().map(|cluster| *cluster as u32).collect();
    let sources: Vec<u8> = records.iter().map(|record| record.source).collect();
    let metrics = evaluate_clusters(&clusters, &truth, &sources, true);
    eprintln!("FEBRL4: {metrics:?}");
    assert_eq!(metrics.true_pairs, 5000);
    // 0.99980 when written.
    assert!(metrics.f1 >= 0.999, "{metrics:?}");
}
