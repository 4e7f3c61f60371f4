//! How long `evaluate` and `trust_level` take for one person of 22 records, the size of a typical
//! profile. Run it in release mode:
//!
//! ```text
//! cargo run --release -p hospes-rules --example status_bench [iterations]
//! ```
//!
//! It prints nanoseconds per call on one core; a full recompute of N persons takes about N times
//! that, divided by the cores used (each person is evaluated on its own).

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Instant;

use hospes_model::{
    AgencyId, Category, Date, Payload, Record, RecordBody, RecordEnvelope, RecordId, ShortText, SourceRecordId,
    Subject, Timestamp,
};
use hospes_rules::status::{StatusInput, StatusRules, evaluate, status_history};
use hospes_rules::trust::trust_level;

/// A labour migrant's two years: category, kind, effective period, payload.
const LIFE: &[(&str, &str, &str, Option<&str>, &str)] = &[
    (
        "identity",
        "registration",
        "2023-03-01",
        None,
        r#"{"names":[{"surname":"KARIMOV","given_names":"BOBUR"}],"birth_date":"1994-05-17","sex":"M","citizenships":["UZB"]}"#,
    ),
    (
        "documents",
        "passport",
        "2023-03-01",
        None,
        r#"{"number":"FA1234567","issuing_country":"UZB","issued_on":"2020-01-10","expires_on":"2030-01-09"}"#,
    ),
    (
        "border_crossings",
        "entry",
        "2023-03-01",
        None,
        r#"{"crossed_at":"2023-03-01T06:40:00Z","checkpoint":"Sheremetyevo","document_number":"FA1234567","declared_purpose":"work","face_capture_reference":"FC-000000000001"}"#,
    ),
    (
        "biometrics",
        "face",
        "2023-03-01",
        None,
        r#"{"captured_at":"2023-03-01T06:40:00Z","capture_place":"Sheremetyevo","quality":81,"template_format":"face_embedding","template":"AAAA","image_reference":"FC-000000000001"}"#,
    ),
    (
        "migration_registration",
        "registration",
        "2023-03-03",
        Some("2024-03-02"),
        r#"{"host":{"kind":"person","name":"Ivanova A. P."},"address":{"region":"RU-MOW","locality":"Moscow"},"notified_on":"2023-03-03"}"#,
    ),
    (
        "biometrics",
        "fingerprints",
        "2023-03-10",
        None,
        r#"{"captured_at":"2023-03-10T09:00:00Z","capture_place":"Moscow migration centre","quality":77,"template_format":"iso19794_2","template":"AAAA"}"#,
    ),
    (
        "medical_exams",
        "examination",
        "2023-03-10",
        Some("2024-03-09"),
        r#"{"exam":"comprehensive","result":"no_finding","institution":"Moscow migration medical centre","examined_on":"2023-03-10"}"#,
    ),
    (
        "language_exams",
        "certificate",
        "2023-03-12",
        None,
        r#"{"certificate_number":"2023-000111222","exam":"comprehensive","passed_on":"2023-03-12"}"#,
    ),
    (
        "medical_insurance",
        "voluntary_policy",
        "2023-03-12",
        Some("2024-03-11"),
        r#"{"policy_number":"VMI-1","insurer":"Ingosstrakh"}"#,
    ),
    ("tax", "taxpayer_registration", "2023-03-20", None, r#"{"taxpayer_number":"500100732259"}"#),
    ("work_permits", "patent", "2023-03-25", Some("2024-03-24"), r#"{"number":"772300001","region":"RU-MOW"}"#),
    (
        "patent_payments",
        "advance_payment",
        "2023-03-25",
        Some("2023-06-24"),
        r#"{"patent_number":"772300001","amount":{"amount_minor":2340000,"currency":"RUB"},"paid_on":"2023-03-20","months_covered":3}"#,
    ),
    (
        "patent_payments",
        "advance_payment",
        "2023-06-25",
        Some("2023-09-24"),
        r#"{"patent_number":"772300001","amount":{"amount_minor":2340000,"currency":"RUB"},"paid_on":"2023-06-20","months_covered":3}"#,
    ),
    (
        "patent_payments",
        "advance_payment",
        "2023-09-25",
        Some("2023-12-24"),
        r#"{"patent_number":"772300001","amount":{"amount_minor":2340000,"currency":"RUB"},"paid_on":"2023-09-21","months_covered":3}"#,
    ),
    (
        "patent_payments",
        "advance_payment",
        "2023-12-25",
        Some("2024-03-24"),
        r#"{"patent_number":"772300001","amount":{"amount_minor":2340000,"currency":"RUB"},"paid_on":"2023-12-19","months_covered":3}"#,
    ),
    (
        "employment",
        "hiring_notification",
        "2023-04-01",
        None,
        r#"{"employer":{"name":"OOO Stroymontazh"},"notified_on":"2023-04-03"}"#,
    ),
    ("social_insurance", "registration", "2023-04-05", None, r#"{"social_insurance_number":"112-233-445 95"}"#),
    ("contacts", "phone", "2023-04-06", None, r#"{"phone":"+79161234567"}"#),
    (
        "offences",
        "administrative_offence",
        "2023-07-01",
        None,
        r#"{"case_number":"5-118/2023","decided_on":"2023-07-01","fine":{"amount_minor":200000,"currency":"RUB"},"payment_due_on":"2023-09-01"}"#,
    ),
    ("offences", "fine_payment", "2023-07-15", None, r#"{"case_number":"5-118/2023","paid_on":"2023-07-15"}"#),
    (
        "tax",
        "payment",
        "2023-12-01",
        None,
        r#"{"tax_kind":"personal_income","amount":{"amount_minor":450000,"currency":"RUB"},"paid_on":"2023-12-01"}"#,
    ),
    (
        "border_crossings",
        "exit",
        "2024-03-20",
        None,
        r#"{"crossed_at":"2024-03-20T21:05:00Z","checkpoint":"Sheremetyevo","document_number":"FA1234567"}"#,
    ),
];

fn person() -> Result<Vec<Record>, Box<dyn std::error::Error>> {
    let agency = AgencyId::parse("migration_service")?;
    let mut records = Vec::with_capacity(LIFE.len());
    for (index, (category, kind, from, to, payload)) in LIFE.iter().enumerate() {
        let category = Category::parse(category).ok_or("unknown category")?;
        let source = SourceRecordId::parse(&format!("BENCH-{index}"))?;
        let envelope = RecordEnvelope {
            record_id: RecordId::derive(&agency, &source, 1),
            agency: agency.clone(),
            source_record_id: source,
            source_version: 1,
            category,
            kind: (*kind).to_string(),
            effective_from: Date::parse(from)?,
            effective_to: to.map(Date::parse).transpose()?,
            legal_basis: ShortText::parse("bench")?,
            received_at: Timestamp::parse(&format!("{from}T12:00:00Z"))?,
            sensitivity: category.sensitivity(),
            supersedes: Vec::new(),
        };
        let payload =
            Payload::from_json(category, payload).map_err(|error| format!("{}: {}", error.path, error.reason))?;
        records.push(Record { envelope, body: RecordBody { subject: Subject::default(), payload } });
    }
    Ok(records)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let iterations: u32 = std::env::args().nth(1).map(|text| text.parse()).transpose()?.unwrap_or(200_000);
    let rules = StatusRules::shipped_default()?;
    let records = person()?;
    let empty = HashSet::new();
    let input = StatusInput {
        records: &records,
        contested: &empty,
        overturned: &empty,
        unresolved_identity_links: &[],
        known_on: None,
    };
    // Days across the person's life: present and green, present and yellow, gone.
    let days = [Date::parse("2023-08-01")?, Date::parse("2024-03-10")?, Date::parse("2025-01-01")?];
    for day in days {
        let report = evaluate(&rules, &input, day);
        let fired: Vec<&str> = report.fired.iter().map(|rule| rule.reason.as_str()).collect();
        println!("{day}: {} {fired:?}", report.colour.as_str());
    }

    let started = Instant::now();
    for iteration in 0..iterations {
        let day = days[iteration as usize % days.len()];
        black_box(evaluate(&rules, black_box(&input), day));
    }
    let per_evaluate = started.elapsed().as_nanos() as f64 / f64::from(iterations);
    println!("evaluate: {per_evaluate:.0} ns per person ({} records), one core", records.len());
    println!(
        "  1,000,000 persons: {:.1} s on one core, {:.1} s on two",
        per_evaluate * 1e6 / 1e9,
        per_evaluate * 1e6 / 2e9
    );

    let started = Instant::now();
    for iteration in 0..iterations {
        let day = days[iteration as usize % days.len()];
        black_box(trust_level(black_box(&input), day));
    }
    let per_trust = started.elapsed().as_nanos() as f64 / f64::from(iterations);
    println!("trust_level: {per_trust:.0} ns per person");

    let history_iterations = (iterations / 100).max(1);
    let started = Instant::now();
    for _ in 0..history_iterations {
        black_box(status_history(&rules, black_box(&input), days[0], days[2]));
    }
    let per_history = started.elapsed().as_nanos() as f64 / f64::from(history_iterations);
    println!("status_history over {} to {}: {:.0} µs per person", days[0], days[2], per_history / 1e3);
    Ok(())
}
