//! The population looks like the real thing: origins, scripts, identifiers, renewals, errors at
//! the documented rates, lapsed patents, and lives whose dates hang together.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::NaiveDate;
use hospes_model::{SocialInsuranceNumber, TaxpayerNumber};
use hospes_synth::{ErrorRates, Origin, Population, Purpose, SyntheticPerson};
use serde_json::Value;

use crate::common::{as_of, config, date, name_parts};

const SAMPLE_PEOPLE: usize = 2500;

/// A sample population held in memory, each person with their parsed lines.
struct Sample {
    people: Vec<(SyntheticPerson, Vec<(String, Value)>)>,
}

fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let population = Population::new(&config(SAMPLE_PEOPLE, 2024)).unwrap();
        let people = (0..SAMPLE_PEOPLE)
            .map(|index| {
                let person = population.person(index).unwrap();
                let lines = person
                    .records()
                    .iter()
                    .map(|record| (record.agency.to_owned(), serde_json::from_str(&record.line).unwrap()))
                    .collect();
                (person, lines)
            })
            .collect();
        Sample { people }
    })
}

fn lines() -> impl Iterator<Item = (&'static SyntheticPerson, &'static str, &'static Value)> {
    sample()
        .people
        .iter()
        .flat_map(|(person, lines)| lines.iter().map(move |(agency, value)| (person, agency.as_str(), value)))
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole.max(1) as f64
}

#[test]
fn origins_and_purposes_have_a_russia_like_mix() {
    let mut origins: BTreeMap<Origin, usize> = BTreeMap::new();
    let mut purposes: BTreeMap<Purpose, usize> = BTreeMap::new();
    for (person, _) in &sample().people {
        *origins.entry(person.origin).or_default() += 1;
        *purposes.entry(person.purpose).or_default() += 1;
    }
    let of = |origin| share(origins.get(&origin).copied().unwrap_or(0), SAMPLE_PEOPLE);
    let check = |origin, low, high| {
        let value = of(origin);
        assert!((low..=high).contains(&value), "{origin:?}: {value:.3} not in {low}..{high}");
    };
    check(Origin::Uzbekistan, 0.25, 0.35);
    check(Origin::Tajikistan, 0.15, 0.25);
    check(Origin::Kyrgyzstan, 0.06, 0.14);
    for origin in Origin::ALL {
        check(origin, 0.005, 0.35);
    }
    let labour = share(purposes[&Purpose::LabourMigrant], SAMPLE_PEOPLE);
    assert!((0.45..0.7).contains(&labour), "labour migrants: {labour:.3}");
    for purpose in [Purpose::Student, Purpose::FamilyMember, Purpose::BusinessVisitor, Purpose::Tourist] {
        assert!(share(purposes[&purpose], SAMPLE_PEOPLE) > 0.03, "{purpose:?}: {purposes:?}");
    }
}

#[test]
fn records_per_person_are_in_the_intended_range() {
    let records: usize = sample().people.iter().map(|(_, lines)| lines.len()).sum();
    let per_person = share(records, SAMPLE_PEOPLE);
    assert!((15.0..=26.0).contains(&per_person), "{per_person:.1} records per person");
    let labour: Vec<usize> = sample()
        .people
        .iter()
        .filter(|(person, _)| person.facts.works_under_patent)
        .map(|(_, lines)| lines.len())
        .collect();
    let labour_average = share(labour.iter().sum(), labour.len());
    assert!(labour_average > per_person, "labour migrants have more records ({labour_average:.1})");
}

/// Whether most letters of a name are Cyrillic.
fn is_cyrillic(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let cyrillic = letters.iter().filter(|c| ('\u{0400}'..='\u{04FF}').contains(*c)).count();
    cyrillic * 2 > letters.len()
}

#[test]
fn each_agency_writes_names_in_its_own_script() {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (_, agency, value) in lines() {
        for name in value["subject"]["names"].as_array().into_iter().flatten() {
            let surname = name["surname"].as_str().unwrap();
            let entry = counts.entry(agency).or_default();
            entry.1 += 1;
            if is_cyrillic(surname) {
                entry.0 += 1;
            }
        }
    }
    let expectations: &[(&str, f64, f64)] = &[
        ("border_service", 0.0, 0.01),
        ("consular_service", 0.0, 0.01),
        ("migration_service", 0.45, 0.7),
        ("tax_service", 0.9, 1.0),
        ("social_fund", 0.9, 1.0),
        ("health_authority", 0.9, 1.0),
        ("police", 0.9, 1.0),
        ("bailiffs", 0.9, 1.0),
        ("education_supervisor", 0.65, 0.95),
        ("employers_notifications", 0.55, 0.85),
        ("telecom_operators", 0.45, 0.75),
        ("partner_states", 0.1, 0.7),
    ];
    for (agency, low, high) in expectations {
        let (cyrillic, total) = counts[agency];
        let value = share(cyrillic, total);
        assert!(
            (*low..=*high).contains(&value),
            "{agency}: {value:.3} of {total} names in Cyrillic, expected {low}..{high}"
        );
    }
}

#[test]
fn names_keep_their_native_letters_and_forms() {
    let mut all_names = String::new();
    for (_, _, value) in lines() {
        for part in name_parts(&value["subject"]["names"]).into_iter().chain(name_parts(&value["payload"]["names"])) {
            all_names.push_str(part);
            all_names.push('|');
        }
    }
    for (what, needle) in [
        ("Uzbek letters", "ў"),
        ("Uzbek patronymic", " ўғли"),
        ("Uzbek Latin", "ʻ"),
        ("Tajik letters", "ҳ"),
        ("Kyrgyz surname form", " уулу"),
        ("Kazakh letters", "ұ"),
        ("Chinese characters", "王"),
        ("Vietnamese", "Nguyễn"),
        ("Russian transcription of Vietnamese", "Нгуен"),
        ("Palladius", "Ч"),
        ("initials", "."),
        ("women's surnames", "ова|"),
    ] {
        assert!(all_names.contains(needle), "no {what} ({needle}) anywhere");
    }
}

#[test]
fn most_records_carry_a_strong_identifier_but_not_all() {
    let mut strong = 0;
    let mut names_and_birth_only = 0;
    let mut total = 0;
    for (_, _, value) in lines() {
        let subject = &value["subject"];
        total += 1;
        let passport_and_birth = subject["documents"].as_array().is_some_and(|documents| !documents.is_empty())
            && subject["birth_date"].is_string();
        let taxpayer = subject["taxpayer_number"].is_string();
        if passport_and_birth || taxpayer {
            strong += 1;
        } else if subject["documents"].is_null() && subject["social_insurance_number"].is_null() && !taxpayer {
            names_and_birth_only += 1;
        }
    }
    let strong_share = share(strong, total);
    assert!(
        (0.7..0.97).contains(&strong_share),
        "{strong_share:.3} of records have a passport and birth date or a taxpayer number"
    );
    assert!(
        share(names_and_birth_only, total) > 0.03,
        "records with names (and birth date) only: {names_and_birth_only}"
    );
}

#[test]
fn passports_have_valid_zones_and_are_renewed_with_new_numbers() {
    let mut zones = 0;
    let mut renewals = 0;
    let mut people_with_two_passports = 0;
    for (person, lines) in &sample().people {
        let mut numbers = BTreeSet::new();
        for (agency, value) in lines {
            if value["category"] != "documents" {
                continue;
            }
            let payload = &value["payload"];
            if value["kind"] == "passport" {
                numbers.insert(payload["number"].as_str().unwrap().to_owned());
            }
            if payload["previous_number"].is_string() {
                renewals += 1;
                assert_ne!(payload["previous_number"], payload["number"]);
                if agency == "migration_service" {
                    assert!(
                        value["subject"]["documents"].as_array().unwrap().len() >= 2,
                        "a renewal names both passports: {value}"
                    );
                }
            }
            if let Some(mrz) = payload["mrz"].as_array() {
                zones += 1;
                let lines: Vec<&str> = mrz.iter().map(|line| line.as_str().unwrap()).collect();
                let zone = hospes_mrz::MachineReadableZone::parse_lines(&lines, as_of()).unwrap();
                assert!(zone.is_valid(), "check digits of {lines:?}");
                let fields = zone.fields();
                assert_eq!(fields.document_number.as_str(), payload["number"].as_str().unwrap());
                assert_eq!(fields.birth_date.date(), Some(person.birth_date));
                assert_eq!(fields.nationality.as_str(), person.citizenship);
                assert_eq!(fields.expiry_date.date(), date(&payload["expires_on"]));
            }
        }
        if numbers.len() >= 2 {
            people_with_two_passports += 1;
        }
    }
    assert!(zones > SAMPLE_PEOPLE, "{zones} zones");
    assert!(renewals > SAMPLE_PEOPLE / 10, "{renewals} renewals");
    assert!(
        share(people_with_two_passports, SAMPLE_PEOPLE) > 0.1,
        "{people_with_two_passports} people with two passports"
    );
}

#[test]
fn taxpayer_and_social_insurance_numbers_are_valid_and_each_belongs_to_one_person() {
    let mut owners: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    let mut checked = 0;
    for (person, _, value) in lines() {
        for holder in [&value["subject"], &value["payload"]] {
            if let Some(number) = holder["taxpayer_number"].as_str() {
                assert!(TaxpayerNumber::parse(number).is_ok(), "{number}");
                owners.entry(format!("inn {number}")).or_default().insert(&person.person_id);
                checked += 1;
            }
            if let Some(number) = holder["social_insurance_number"].as_str() {
                let parsed = SocialInsuranceNumber::parse(number).unwrap();
                owners.entry(format!("snils {parsed}")).or_default().insert(&person.person_id);
                checked += 1;
            }
        }
    }
    assert!(checked > SAMPLE_PEOPLE);
    for (number, people) in owners {
        assert_eq!(people.len(), 1, "{number} is used by {people:?}");
    }
}

/// Patents whose payments stop well before the patent ends while the holder is still in the
/// country (no exit recorded), measured from the records alone.
#[test]
fn some_labour_migrants_let_their_patent_lapse() {
    let mut holders = 0;
    let mut lapsed = 0;
    let mut payments = 0;
    let mut patents = 0;
    for (person, lines) in &sample().people {
        let patent_lines: Vec<&Value> =
            lines.iter().map(|(_, value)| value).filter(|value| value["kind"] == "patent").collect();
        if patent_lines.is_empty() {
            continue;
        }
        holders += 1;
        let exits: Vec<NaiveDate> = lines
            .iter()
            .filter(|(_, value)| value["kind"] == "exit")
            .filter_map(|(_, value)| date(&value["effective_from"]))
            .collect();
        let mut person_lapsed = false;
        for patent in patent_lines {
            patents += 1;
            let number = patent["payload"]["number"].as_str().unwrap();
            let issued = date(&patent["effective_from"]).unwrap();
            let ends = date(&patent["effective_to"]).unwrap().min(as_of());
            let mut paid_until = issued.pred_opt().unwrap();
            let mut last_paid_on = issued;
            for (_, payment) in lines.iter().filter(|(_, value)| value["payload"]["patent_number"] == number) {
                payments += 1;
                let paid_on = date(&payment["payload"]["paid_on"]).unwrap();
                assert!(paid_on <= date(&payment["effective_to"]).unwrap());
                let months = payment["payload"]["months_covered"].as_u64().unwrap();
                assert!((1..=3).contains(&months));
                // Paid after the covered months began: the patent is void.
                if paid_on > date(&payment["effective_from"]).unwrap() {
                    person_lapsed = true;
                }
                paid_until = paid_until.max(date(&payment["effective_to"]).unwrap());
                last_paid_on = last_paid_on.max(paid_on);
            }
            // Unpaid time in the country: from the end of the months paid for to the departure
            // (the first exit after the last payment) or the end of the patent.
            let departure = exits.iter().copied().filter(|exit| *exit >= last_paid_on).min().unwrap_or(ends).min(ends);
            if (departure - paid_until).num_days() > 31 {
                person_lapsed = true;
            }
        }
        if person_lapsed {
            lapsed += 1;
        }
        assert!(person.facts.patents > 0);
    }
    let lapsed_share = share(lapsed, holders);
    assert!(holders > SAMPLE_PEOPLE / 5, "{holders} patent holders");
    let known = sample().people.iter().filter(|(person, _)| person.facts.lapsed_patent).count();
    assert!(
        (0.08..0.35).contains(&lapsed_share),
        "{lapsed_share:.3} of {holders} patent holders let a patent lapse (generated: {known})"
    );
    let known_lapsed = sample().people.iter().filter(|(person, _)| person.facts.lapsed_patent).count();
    assert!(share(lapsed.abs_diff(known_lapsed), known_lapsed) < 0.25, "measured {lapsed}, generated {known_lapsed}");
    assert!(share(payments, patents) > 2.0, "{payments} payments for {patents} patents");
}

#[test]
fn lives_hang_together() {
    let mut visa_holders = 0;
    for (person, lines) in &sample().people {
        let day_of = |kind: &str| -> Vec<NaiveDate> {
            let mut days: Vec<NaiveDate> = lines
                .iter()
                .filter(|(_, value)| value["kind"] == kind && value["category"] != "documents")
                .filter_map(|(_, value)| date(&value["effective_from"]))
                .collect();
            days.sort();
            days
        };
        let entries = day_of("entry");
        let registrations: Vec<NaiveDate> = lines
            .iter()
            .filter(|(_, value)| value["category"] == "migration_registration" && value["kind"] == "registration")
            .filter_map(|(_, value)| date(&value["effective_from"]))
            .collect();
        if let (Some(first_entry), Some(first_registration)) = (entries.first(), registrations.iter().min()) {
            assert!(first_registration >= first_entry, "{} registered before arriving", person.person_id);
        }
        if person.facts.needs_visa && !entries.is_empty() {
            let issued = lines
                .iter()
                .filter(|(agency, value)| {
                    agency == "consular_service" && value["category"] == "visas" && value["kind"] == "issued"
                })
                .count();
            assert!(issued > 0, "{} entered without a visa", person.person_id);
            visa_holders += 1;
        }
        for (_, value) in lines {
            if let Some(birth) = date(&value["subject"]["birth_date"]) {
                assert!(birth < as_of());
            }
        }
    }
    assert!(visa_holders > 50, "{visa_holders} visa holders");
}

#[test]
fn family_records_name_other_people_of_the_population_by_their_passports() {
    let mut passports_of: BTreeMap<String, &str> = BTreeMap::new();
    for (person, _, value) in lines() {
        if value["category"] == "documents" && value["kind"] == "passport" {
            passports_of.insert(value["payload"]["number"].as_str().unwrap().to_owned(), &person.person_id);
        }
    }
    let mut named_relatives = 0;
    for (person, _, value) in lines() {
        if value["category"] != "family" {
            continue;
        }
        for document in value["payload"]["relative"]["documents"].as_array().into_iter().flatten() {
            if let Some(relative) = passports_of.get(document["number"].as_str().unwrap()) {
                assert_ne!(*relative, person.person_id.as_str());
                named_relatives += 1;
            }
        }
    }
    assert!(named_relatives > 30, "{named_relatives} family records name a relative's passport");
}

#[test]
fn rare_events_happen_at_plausible_rates() {
    let facts: Vec<_> = sample().people.iter().map(|(person, _)| &person.facts).collect();
    let count =
        |predicate: &dyn Fn(&&hospes_synth::PersonFacts) -> bool| facts.iter().filter(|facts| predicate(facts)).count();
    let renewed = share(count(&|facts| facts.passport_renewed), SAMPLE_PEOPLE);
    assert!((0.15..0.6).contains(&renewed), "renewed passports: {renewed:.3}");
    let late = share(count(&|facts| facts.registration_missing_or_late), SAMPLE_PEOPLE);
    assert!((0.03..0.3).contains(&late), "missing or late registrations: {late:.3}");
    let banned = share(count(&|facts| facts.entry_banned), SAMPLE_PEOPLE);
    assert!(banned < 0.02, "entry bans: {banned:.4}");
    let wanted = share(count(&|facts| facts.wanted), SAMPLE_PEOPLE);
    assert!(wanted < 0.01, "wanted: {wanted:.4}");
    let offences = share(count(&|facts| facts.offences > 0), SAMPLE_PEOPLE);
    assert!((0.02..0.2).contains(&offences), "offences: {offences:.3}");
    let unpaid = count(&|facts| facts.unpaid_fines > 0);
    assert!(unpaid > 0, "some fines are unpaid");
}

/// Levenshtein distance in characters.
fn edit_distance(first: &str, second: &str) -> usize {
    let first: Vec<char> = first.chars().collect();
    let second: Vec<char> = second.chars().collect();
    let mut previous: Vec<usize> = (0..=second.len()).collect();
    for (row, a) in first.iter().enumerate() {
        let mut current = vec![row + 1; second.len() + 1];
        for (column, b) in second.iter().enumerate() {
            current[column + 1] =
                (previous[column] + usize::from(a != b)).min(previous[column + 1] + 1).min(current[column] + 1);
        }
        previous = current;
    }
    previous[second.len()]
}

#[test]
fn injected_errors_occur_at_the_documented_rates() {
    let people = 1200;
    let noisy = Population::new(&config(people, 77)).unwrap();
    let clean = Population::with_error_rates(&config(people, 77), ErrorRates::NONE).unwrap();
    // (name parts compared, typos) for keyed and machine-read agencies.
    let mut keyed = (0usize, 0usize);
    let mut machine_read = (0usize, 0usize);
    let mut birth_dates = (0usize, 0usize);
    let mut document_numbers = (0usize, 0usize);
    let mut injected = hospes_synth::ErrorTally::default();
    for index in 0..people {
        let noisy_person = noisy.person(index).unwrap();
        let clean_person = clean.person(index).unwrap();
        injected += noisy_person.errors;
        assert_eq!(clean_person.errors.name_typos, 0);
        assert_eq!(noisy_person.records().len(), clean_person.records().len(), "person {index}");
        for (with_errors, without) in noisy_person.records().iter().zip(clean_person.records()) {
            assert_eq!(with_errors.record_id, without.record_id);
            let with_errors: Value = serde_json::from_str(&with_errors.line).unwrap();
            let without: Value = serde_json::from_str(&without.line).unwrap();
            let machine = matches!(with_errors["record_id"].as_str().unwrap().get(..2), Some("BS" | "CS"));
            let counter = if machine { &mut machine_read } else { &mut keyed };
            let noisy_names = with_errors["subject"]["names"].as_array().cloned().unwrap_or_default();
            let clean_names = without["subject"]["names"].as_array().cloned().unwrap_or_default();
            assert_eq!(noisy_names.len(), clean_names.len());
            for (noisy_name, clean_name) in noisy_names.iter().zip(&clean_names) {
                let swapped = noisy_name["surname"] == clean_name["given_names"];
                for field in ["surname", "given_names", "patronymic"] {
                    let (Some(noisy_part), Some(clean_part)) = (noisy_name[field].as_str(), clean_name[field].as_str())
                    else {
                        continue;
                    };
                    counter.0 += 1;
                    let initials = noisy_part.ends_with('.') && !clean_part.ends_with('.');
                    if noisy_part != clean_part && !swapped && !initials && edit_distance(noisy_part, clean_part) <= 2 {
                        counter.1 += 1;
                    }
                }
            }
            if let (Some(noisy_birth), Some(clean_birth)) =
                (with_errors["subject"]["birth_date"].as_str(), without["subject"]["birth_date"].as_str())
            {
                birth_dates.0 += 1;
                if noisy_birth != clean_birth {
                    birth_dates.1 += 1;
                    assert_eq!(&noisy_birth[..4], &clean_birth[..4]);
                }
            }
            if !machine {
                let noisy_documents = with_errors["subject"]["documents"].as_array().cloned().unwrap_or_default();
                let clean_documents = without["subject"]["documents"].as_array().cloned().unwrap_or_default();
                for (noisy_document, clean_document) in noisy_documents.iter().zip(&clean_documents) {
                    document_numbers.0 += 1;
                    if noisy_document["number"] != clean_document["number"] {
                        document_numbers.1 += 1;
                    }
                }
            }
        }
    }
    let keyed_rate = share(keyed.1, keyed.0);
    let machine_rate = share(machine_read.1, machine_read.0);
    let birth_rate = share(birth_dates.1, birth_dates.0);
    let document_rate = share(document_numbers.1, document_numbers.0);
    println!(
        "keyed {keyed:?} {keyed_rate:.4}, read {machine_read:?} {machine_rate:.4}, birth {birth_dates:?} {birth_rate:.4}, documents {document_numbers:?} {document_rate:.4}"
    );
    let near = |measured: f64, documented: f64, what: &str| {
        assert!(
            (documented * 0.6..=documented * 1.4).contains(&measured),
            "{what}: measured {measured:.4}, documented {documented}"
        );
    };
    near(keyed_rate, hospes_synth::ErrorRates::REALISTIC.name_typo, "typos in keyed names");
    assert!(machine_rate < 0.006, "typos in names read from MRZs: {machine_rate:.4}");
    near(birth_rate, hospes_synth::ErrorRates::REALISTIC.birth_date_day_month_swap, "swapped birth dates");
    near(document_rate, hospes_synth::ErrorRates::REALISTIC.document_number_typo, "mistyped document numbers");
    assert!(
        injected.name_typos > 0
            && injected.initials_only > 0
            && injected.name_order_swaps > 0
            && injected.patronymics_dropped > 0
    );
}

#[test]
fn passports_permits_and_visas_each_belong_to_one_person() {
    let mut owners: BTreeMap<(String, String), BTreeSet<&str>> = BTreeMap::new();
    let mut permits_seen: BTreeMap<String, usize> = BTreeMap::new();
    for (person, agency, value) in lines() {
        let payload = &value["payload"];
        let mut own = |kind: &str, number: &Value| {
            if let Some(number) = number.as_str() {
                owners.entry((kind.to_owned(), number.to_owned())).or_default().insert(&person.person_id);
            }
        };
        match (value["category"].as_str().unwrap(), value["kind"].as_str().unwrap()) {
            ("documents", "passport") => own("passport", &payload["number"]),
            ("work_permits", _) => {
                own("permit", &payload["number"]);
                *permits_seen.entry(payload["number"].as_str().unwrap().to_owned()).or_default() += 1;
            }
            ("visas", "issued") => own("visa", &payload["visa_number"]),
            _ => {}
        }
        let _ = agency;
    }
    for ((kind, number), people) in &owners {
        assert_eq!(people.len(), 1, "{kind} {number} is held by {people:?}");
    }
    assert!(permits_seen.values().all(|count| *count == 1), "a permit number is issued twice");
}
