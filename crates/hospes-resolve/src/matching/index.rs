//! The incremental index: a new record matched against everyone already resolved, in milliseconds.
//!
//! [`super::Matcher::run`] matches a whole set at once. Ingestion cannot wait for that: each new
//! record must find its person among millions as it arrives. The index keeps every resolved record
//! in its prepared form, with its blocking keys pointing at it, and a trained [`MatchModel`]; a new
//! record is prepared once, its keys name the few records worth comparing, and the model weighs each
//! comparison exactly as the batch run would (term-frequency adjustment included, from value counts
//! kept up to date as records arrive).

use std::collections::HashMap;

use super::blocking::keys_of;
use super::compare::{Field, compare};
use super::explain::{AgreedShare, Explanation, explain_vector};
use super::model::{self, MatchModel};
use super::normalise::{FastMap, NormaliseWarnings, Normaliser, PreparedRecord, ValueCounts};
use super::{MatchConfig, MatchRecord, TermFrequencies, compare as compare_module};

/// A block with more records than this is not searched: its key is too common to say anything (a
/// name and birth date shared by that many are different people). Other keys still find the record.
const MAX_BLOCK_SEARCHED: usize = 1000;

/// Imaginary records behind the value shares of term-frequency adjustment (see
/// [`TermFrequencies::prior_records`]): until the index holds many more real ones, a value is taken to
/// be as common as the model found values to be.
const PRIOR_RECORDS: f64 = 10_000.0;

/// An indexed record's owner, as the caller names it (a person id).
pub type Owner = u128;

/// What the index found for a new record: the best-matching record of each owner.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateOwner {
    pub owner: Owner,
    /// The indexed record that matched best (its position in the index).
    pub record: u32,
    pub match_weight: f64,
    /// Whether the pair shares an official identifier exactly (document, taxpayer, social
    /// insurance or national number).
    pub shares_identifier: bool,
    /// Whether, sharing an identifier, the pair still disagrees outright on who it is: a different
    /// birth date, or different surname and given name. Missing fields are no conflict.
    pub identity_conflict: bool,
}

/// A record prepared by [`MatchIndex::prepare`], to search with and then insert.
#[derive(Debug, Clone)]
pub struct PreparedMatch(PreparedRecord);

/// Every resolved record, ready to be matched against.
pub struct MatchIndex {
    model: MatchModel,
    config: MatchConfig,
    agreement_u: [f64; compare_module::FIELD_COUNT],
    normaliser: Normaliser,
    warnings: NormaliseWarnings,
    records: Vec<PreparedRecord>,
    owners: Vec<Owner>,
    /// Blocking key → indexed records.
    blocks: FastMap<u64, Vec<u32>>,
    counts: ValueCounts,
    keys_buffer: Vec<u64>,
}

impl MatchIndex {
    /// An empty index that weighs comparisons with `model`.
    pub fn new(model: MatchModel, config: MatchConfig) -> Self {
        let mut agreement_u = [0.0; compare_module::FIELD_COUNT];
        for field in &model.fields {
            agreement_u[field.field.index()] = field.agreement_u;
        }
        Self {
            model,
            config,
            agreement_u,
            normaliser: Normaliser::new(),
            warnings: NormaliseWarnings::default(),
            records: Vec::new(),
            owners: Vec::new(),
            blocks: FastMap::default(),
            counts: ValueCounts::default(),
            keys_buffer: Vec::new(),
        }
    }

    pub fn model(&self) -> &MatchModel {
        &self.model
    }

    pub fn config(&self) -> &MatchConfig {
        &self.config
    }

    /// How many records are indexed.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// What made records hard to match so far.
    pub fn warnings(&self) -> &NormaliseWarnings {
        &self.warnings
    }

    /// The owner of an indexed record.
    pub fn owner_of(&self, record: u32) -> Option<Owner> {
        self.owners.get(record as usize).copied()
    }

    /// Prepares a record for [`Self::candidates`] and [`Self::insert`]. Also tells what makes it
    /// hard to match (no name, an unsupported script, an absurd birth date), for a warning.
    pub fn prepare(&mut self, record: &MatchRecord) -> (PreparedMatch, NormaliseWarnings) {
        let mut warnings = NormaliseWarnings::default();
        let prepared = self.normaliser.prepare(record, &mut warnings);
        self.warnings.missing_names += warnings.missing_names;
        self.warnings.unsupported_scripts += warnings.unsupported_scripts;
        self.warnings.implausible_birth_dates += warnings.implausible_birth_dates;
        self.warnings.nothing_to_compare += warnings.nothing_to_compare;
        (PreparedMatch(prepared), warnings)
    }

    /// The owners whose records share a blocking key with `record`, each with its best match weight,
    /// best first. Only pairs above the review threshold, or sharing an official identifier, are
    /// returned.
    pub fn candidates(&mut self, record: &PreparedMatch) -> Vec<CandidateOwner> {
        let record = &record.0;
        let mut keys = std::mem::take(&mut self.keys_buffer);
        keys_of(record, self.normaliser.dictionary(), &mut keys);
        let mut seen: Vec<u32> = Vec::new();
        for key in &keys {
            if let Some(members) = self.blocks.get(key)
                && members.len() <= MAX_BLOCK_SEARCHED
            {
                seen.extend(members.iter().copied());
            }
        }
        self.keys_buffer = keys;
        seen.sort_unstable();
        seen.dedup();
        let (_, lower) = self.config.weight_thresholds();
        let frequencies = self.frequencies();
        let dictionary = self.normaliser.dictionary();
        let prior = self.model.prior_weight();
        let mut best: HashMap<Owner, CandidateOwner> = HashMap::new();
        for index in seen {
            let other = &self.records[index as usize];
            let (vector, agreed) = compare(record, other, dictionary);
            let weight = prior + self.model.vector_weight(&vector) + frequencies.adjustment(&vector, &agreed, record);
            let shares_identifier =
                [Field::Document, Field::TaxpayerNumber, Field::SocialInsuranceNumber, Field::NationalId]
                    .into_iter()
                    .any(|field| vector.level(field) == Some(0));
            if weight < lower && !shares_identifier {
                continue;
            }
            let differs = |field: Field| vector.level(field) == Some(field.levels().len() as u8 - 1);
            let identity_conflict = shares_identifier
                && (differs(Field::BirthDate) || (differs(Field::Surname) && differs(Field::GivenName)));
            let owner = self.owners[index as usize];
            let candidate =
                CandidateOwner { owner, record: index, match_weight: weight, shares_identifier, identity_conflict };
            best.entry(owner)
                .and_modify(|current| {
                    let shares = current.shares_identifier || shares_identifier;
                    let conflict = current.identity_conflict || identity_conflict;
                    if weight > current.match_weight {
                        *current = candidate.clone();
                    }
                    current.shares_identifier = shares;
                    current.identity_conflict = conflict;
                })
                .or_insert(candidate);
        }
        let mut found: Vec<CandidateOwner> = best.into_values().collect();
        found
            .sort_by(|left, right| right.match_weight.total_cmp(&left.match_weight).then(left.owner.cmp(&right.owner)));
        found
    }

    /// Adds a record under its owner; returns its position.
    pub fn insert(&mut self, record: PreparedMatch, owner: Owner) -> u32 {
        let record = record.0;
        let position = self.records.len() as u32;
        let mut keys = std::mem::take(&mut self.keys_buffer);
        keys_of(&record, self.normaliser.dictionary(), &mut keys);
        for key in &keys {
            let members = self.blocks.entry(*key).or_default();
            // A block past the search limit is never read again: stop growing it.
            if members.len() <= MAX_BLOCK_SEARCHED {
                members.push(position);
            }
        }
        self.keys_buffer = keys;
        self.counts.add_record(&record, self.normaliser.dictionary(), 1);
        self.records.push(record);
        self.owners.push(owner);
        position
    }

    /// Gives every record of `from` to `to` (a merge).
    pub fn reassign_owner(&mut self, from: Owner, to: Owner) {
        for owner in &mut self.owners {
            if *owner == from {
                *owner = to;
            }
        }
    }

    /// Gives one indexed record to another owner (a split).
    pub fn reassign_record(&mut self, record: u32, to: Owner) {
        if let Some(owner) = self.owners.get_mut(record as usize) {
            *owner = to;
        }
    }

    /// A pair's evidence field by field, under this index's model and value counts.
    pub fn explain(&mut self, left: &MatchRecord, right: &MatchRecord) -> Explanation {
        let (PreparedMatch(left_record), _) = self.prepare(left);
        let (PreparedMatch(right_record), _) = self.prepare(right);
        let dictionary = self.normaliser.dictionary();
        let (vector, agreed) = compare(&left_record, &right_record, dictionary);
        let frequencies = self.frequencies();
        explain_vector(
            &self.model,
            (&left.id, &right.id),
            &vector,
            |field| {
                let value = TermFrequencies::agreed_value(field, &agreed, &left_record)?;
                let text = if field == Field::BirthDate { value.to_string() } else { dictionary.get(value).to_owned() };
                // A value never counted is as rare as can be: one record.
                let share =
                    frequencies.share(field, value).unwrap_or(1.0 / (frequencies.records + frequencies.prior_records));
                Some(AgreedShare { text, share })
            },
            self.config.weight_thresholds(),
        )
    }

    fn frequencies(&self) -> TermFrequencies<'_> {
        TermFrequencies {
            counts: &self.counts,
            agreement_u: self.agreement_u,
            records: self.counts.records as f64,
            prior_records: PRIOR_RECORDS,
        }
    }

    /// The probability a match weight stands for.
    pub fn probability(weight: f64) -> f64 {
        model::probability_of(weight)
    }
}
