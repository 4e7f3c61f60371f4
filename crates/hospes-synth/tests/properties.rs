//! Whatever the seed and the day the simulation ends, every line is valid for its agency.

use chrono::NaiveDate;
use hospes_ingest::{BatchLimits, validate_batch};
use hospes_model::{AgencyRegistry, Timestamp};
use hospes_synth::{Population, SynthConfig};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn any_seed_and_end_day_give_valid_lines(seed in any::<u64>(), days in 0i64..(40 * 365)) {
        let as_of = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + chrono::Duration::days(days);
        let config = SynthConfig { people: 12, seed, as_of, names_dir: Some(crate::common::names_dir()) };
        let population = Population::new(&config).unwrap();
        let registry = AgencyRegistry::default_registry().unwrap();
        let received_at = Timestamp::parse(&format!("{}T00:00:00Z", as_of.succ_opt().unwrap())).unwrap();
        let mut by_agency: std::collections::BTreeMap<&str, Vec<u8>> = std::collections::BTreeMap::new();
        for index in 0..config.people {
            for record in population.person(index).unwrap().records() {
                let batch = by_agency.entry(record.agency).or_default();
                batch.extend_from_slice(record.line.as_bytes());
                batch.push(b'\n');
            }
        }
        for (agency, batch) in by_agency {
            let result = validate_batch(registry.get(agency).unwrap(), &batch, received_at, &BatchLimits::default());
            prop_assert!(result.is_ok(), "{agency}: {:?}", result.err().map(|rejection| rejection.line_errors().to_vec()));
        }
    }
}
