//! The public face of the generator: the configuration, the population, and the people and
//! records it yields one person at a time.

use std::path::PathBuf;

use chrono::NaiveDate;
use hospes_model::Sex;
use serde::Serialize;

use crate::calendar::subtract_years;
use crate::countries::Origin;
use crate::error::SynthError;
use crate::identifiers::IdentifierSpaces;
use crate::names::NameBank;
use crate::person::Purpose;
use crate::typos::{ErrorRates, ErrorTally};

/// How many years before `as_of` the simulated lives begin.
pub const HISTORY_YEARS: u32 = 5;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthConfig {
    /// How many people.
    pub people: usize,
    /// The seed: the same seed, `as_of` and `people` give the same output, byte for byte.
    pub seed: u64,
    /// The day the simulation ends; nothing is dated after it.
    pub as_of: NaiveDate,
    /// Where the names data lives; `None` means [`SynthConfig::default_names_dir`].
    pub names_dir: Option<PathBuf>,
}

impl SynthConfig {
    pub fn new(people: usize, seed: u64, as_of: NaiveDate) -> Self {
        Self { people, seed, as_of, names_dir: None }
    }

    /// `../shared/data/names`, relative to the current directory (the layout of a Hospes checkout
    /// next to its shared data).
    pub fn default_names_dir() -> PathBuf {
        PathBuf::from("../shared/data/names")
    }

    pub fn names_dir(&self) -> PathBuf {
        self.names_dir.clone().unwrap_or_else(Self::default_names_dir)
    }
}

/// One record as an agency would send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticRecord {
    /// The id of the agency that holds the record (as in `config/agencies.toml`).
    pub agency: &'static str,
    /// The agency's record id, unique across all agencies.
    pub record_id: String,
    pub version: u32,
    /// The record's effective date, by which the agency's file is ordered.
    pub effective_from: NaiveDate,
    /// One NDJSON line (without the line break), valid for the agency.
    pub line: String,
}

/// Facts about a person's simulated life: the ground truth behind their records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PersonFacts {
    pub stays: u32,
    pub needs_visa: bool,
    pub works_under_patent: bool,
    pub patents: u32,
    /// A patent whose payments stopped (or came late) while it should have been kept up.
    pub lapsed_patent: bool,
    pub passports: u32,
    pub passport_renewed: bool,
    pub passport_lost: bool,
    pub overstayed: bool,
    pub registration_missing_or_late: bool,
    pub residence_permit: bool,
    pub offences: u32,
    pub unpaid_fines: u32,
    pub convicted: bool,
    pub entry_banned: bool,
    pub wanted: bool,
    pub in_controlled_register: bool,
    pub taxpayer_number: Option<String>,
    pub social_insurance_number: Option<String>,
}

/// One synthetic person with every record agencies hold about them.
#[derive(Debug, Clone)]
pub struct SyntheticPerson {
    /// Zero-based position in the population.
    pub index: usize,
    /// The true person id (`P0000001` for index 0): the ground truth for entity resolution.
    pub person_id: String,
    pub origin: Origin,
    /// ISO 3166-1 alpha-3 citizenship.
    pub citizenship: &'static str,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub purpose: Purpose,
    /// Indices of the spouse, children and parents (relatives may lie beyond the population).
    pub relatives: Vec<usize>,
    pub facts: PersonFacts,
    /// The errors injected into this person's records.
    pub errors: ErrorTally,
    records: Vec<SyntheticRecord>,
}

impl SyntheticPerson {
    pub fn records(&self) -> &[SyntheticRecord] {
        &self.records
    }

    pub fn into_records(self) -> Vec<SyntheticRecord> {
        self.records
    }
}

/// The true person id of the person at `index`.
pub fn person_id(index: usize) -> String {
    format!("P{:07}", index + 1)
}

/// A population: everything needed to generate any of its people, in any order.
#[derive(Debug, Clone)]
pub struct Population {
    pub(crate) config: SynthConfig,
    pub(crate) names: NameBank,
    pub(crate) identifiers: IdentifierSpaces,
    pub(crate) error_rates: ErrorRates,
}

impl Population {
    /// Loads the names data and prepares the generator, with the documented error rates.
    pub fn new(config: &SynthConfig) -> Result<Self, SynthError> {
        Self::with_error_rates(config, ErrorRates::REALISTIC)
    }

    /// As [`Population::new`], with other error rates ([`ErrorRates::NONE`] for clean records).
    pub fn with_error_rates(config: &SynthConfig, error_rates: ErrorRates) -> Result<Self, SynthError> {
        let names = NameBank::load(&config.names_dir())?;
        Ok(Self { config: config.clone(), names, identifiers: IdentifierSpaces::new(config.seed), error_rates })
    }

    pub fn config(&self) -> &SynthConfig {
        &self.config
    }

    pub fn people(&self) -> usize {
        self.config.people
    }

    /// What the generator had to do without (missing names data).
    pub fn warnings(&self) -> &[String] {
        &self.names.warnings
    }

    /// Names taken from each data file.
    pub fn data_names_used(&self) -> &std::collections::BTreeMap<String, usize> {
        &self.names.data_names_used
    }

    pub(crate) fn history_start(&self) -> NaiveDate {
        subtract_years(self.config.as_of, HISTORY_YEARS)
    }

    /// Person `index` with all their records. The same index gives the same person whatever the
    /// population size, thread or order of generation.
    pub fn person(&self, index: usize) -> Result<SyntheticPerson, SynthError> {
        if index >= self.config.people {
            return Err(SynthError::PersonOutOfRange { index, people: self.config.people });
        }
        let core = self.core(index)?;
        let outcome = crate::life::live(self, &core)?;
        let mut relatives: Vec<usize> = core.relatives.spouse.into_iter().collect();
        relatives.extend(&core.relatives.children);
        relatives.extend(&core.relatives.parents);
        Ok(SyntheticPerson {
            index,
            person_id: person_id(index),
            origin: core.origin,
            citizenship: core.origin.alpha3(),
            sex: core.sex,
            birth_date: core.birth_date,
            purpose: core.purpose,
            relatives,
            facts: outcome.facts,
            errors: outcome.errors,
            records: outcome.records,
        })
    }
}
