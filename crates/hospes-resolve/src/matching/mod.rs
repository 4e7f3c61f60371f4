//! Probabilistic matching: which records are about the same person, when agencies share no person
//! id and write names in different scripts, romanisations and orders, with typos.
//!
//! The steps, each in its module:
//! 1. [`record`]: the matchable form of a record (names in every script, birth date, sex,
//!    address, identifiers), from an agency's subject or a CSV row ([`load`]);
//! 2. [`normalise`](self::normalise): names to script-independent skeletons with patronymics and
//!    initials understood, identifiers to canonical text, identical records collapsed;
//! 3. [`blocking`](self::blocking): which pairs to compare, by several kinds of key, so that the
//!    work grows about linearly with the records;
//! 4. [`compare`]: graded comparison levels per field;
//! 5. [`model`]: Fellegi–Sunter weights, with u from random pairs and m by EM (no labels), and
//!    term-frequency adjustment;
//! 6. [`cluster`]: `same` / `review` / `different` by two thresholds, and clusters from `same`
//!    links with a guard against chaining;
//! 7. [`explain`]: a pair's evidence field by field; [`eval`]: pairwise precision, recall, F1.
//!
//! [`Matcher::run`] does all of it for a set of records and returns a [`MatchRun`].

pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod eval;
pub mod explain;
pub mod index;
pub mod load;
pub mod model;
pub mod normalise;
pub mod record;
pub mod similarity;

use std::time::Instant;

use serde::Serialize;

use self::blocking::{Blocks, RuleMask};
use self::cluster::{Decision, GuardedFields, ReviewReason, ScoredLink, cluster};
pub use self::compare::compare_name_spellings;
use self::compare::{AgreedValues, ComparisonVector, Field, compare, has_field};
use self::explain::{AgreedShare, Explanation, agreed_id, explain_vector};
use self::model::{
    MatchModel, PatternCounts, RandomSample, build_model, expectation_maximisation, identifier_agreement_u,
    prior_from_candidates, refine_u, u_from_random_pairs,
};
use self::normalise::{FastMap, NormaliseWarnings, Normaliser, PreparedRecord, PreparedSet, ValueCounts};
pub use self::normalise::{PreparedInput, Preparer};

pub use self::record::{Address, BirthDate, Identifiers, MatchRecord, NameSpelling};

/// How matching runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchConfig {
    /// Pairs with a match probability at or above this are `same`.
    pub upper_probability: f64,
    /// Pairs at or above this (and below the upper threshold) go to review.
    pub lower_probability: f64,
    /// Blocks with more distinct records than this are skipped.
    pub max_block_size: usize,
    /// Random pairs compared to estimate u.
    pub random_pairs: usize,
    pub em_max_iterations: usize,
    /// Seed of the random pairs.
    pub seed: u64,
    /// Keep every compared pair, so that [`MatchRun::blocking_recall`] can be measured (eight bytes
    /// per pair).
    pub keep_compared_pairs: bool,
}

impl Default for MatchConfig {
    fn default() -> Self {
        Self {
            upper_probability: 0.9,
            lower_probability: 0.1,
            max_block_size: 1000,
            random_pairs: 300_000,
            em_max_iterations: 100,
            seed: 1,
            keep_compared_pairs: false,
        }
    }
}

impl MatchConfig {
    /// The thresholds as match weights (log2-odds): (upper, lower).
    pub fn weight_thresholds(&self) -> (f64, f64) {
        (model::log2_odds(self.upper_probability), model::log2_odds(self.lower_probability))
    }
}

/// A pair of input records (indices into the records given to [`Matcher::run`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RecordPair {
    pub left: usize,
    pub right: usize,
    pub match_weight: f64,
    pub match_probability: f64,
}

/// A pair sent to review.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReviewPair {
    pub pair: RecordPair,
    pub reason: ReviewReason,
}

/// Counts and timings of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MatchStats {
    pub records: usize,
    /// Records left after collapsing identical ones.
    pub distinct_records: usize,
    /// Pairs compared after blocking (of distinct records).
    pub comparisons: u64,
    /// Pairs compared to estimate u.
    pub random_comparisons: u64,
    pub blocks: usize,
    /// Blocks skipped for size, and the pairs they held.
    pub skipped_blocks: usize,
    pub skipped_block_pairs: u64,
    pub same_links: usize,
    pub review_pairs: usize,
    /// `same` links sent to review by the chaining guard.
    pub guarded_links: usize,
    pub clusters: usize,
    pub seconds_normalise: f64,
    pub seconds_random_pairs: f64,
    pub seconds_blocking: f64,
    pub seconds_comparing: f64,
    pub seconds_training: f64,
    pub seconds_clustering: f64,
}

/// Runs matching.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    pub config: MatchConfig,
}

/// One compared pair of distinct records.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    left: u32,
    right: u32,
    pattern: u32,
    /// The term-frequency adjustment, in bits.
    adjustment: f32,
}

/// Interns comparison vectors (with the blocking rules their pairs satisfied) and counts them.
#[derive(Default)]
struct PatternTable {
    index: FastMap<(ComparisonVector, RuleMask), u32>,
    counts: PatternCounts,
}

impl PatternTable {
    fn add(&mut self, vector: ComparisonVector, rules: RuleMask, weight: f64) -> u32 {
        let next = self.counts.patterns.len() as u32;
        let id = *self.index.entry((vector, rules)).or_insert(next);
        if id == next {
            self.counts.patterns.push(vector);
            self.counts.rules.push(rules);
            self.counts.counts.push(0.0);
        }
        self.counts.counts[id as usize] += weight;
        id
    }
}

/// SplitMix64: a small deterministic generator for drawing random pairs.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut mixed = self.0;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^ (mixed >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next()) * bound as u128) >> 64) as usize
    }
}

/// What a run found.
pub struct MatchRun {
    pub model: MatchModel,
    pub config: MatchConfig,
    /// The cluster of each input record: the index of its cluster's first record.
    pub cluster_of: Vec<usize>,
    /// Links that made the clusters.
    pub same: Vec<RecordPair>,
    pub review: Vec<ReviewPair>,
    pub stats: MatchStats,
    pub warnings: NormaliseWarnings,
    /// Whether the task linked two inputs (only pairs across them were compared).
    pub link: bool,
    set: PreparedSet,
    ids: Vec<Box<str>>,
    /// Compared pairs of distinct records, kept for measuring blocking.
    compared: Vec<(u32, u32)>,
}

/// The term-frequency adjustment of a pair, from value counts and the u of agreement.
pub(crate) struct TermFrequencies<'a> {
    pub(crate) counts: &'a ValueCounts,
    /// u of agreement per field, for adjusted fields (from random pairs).
    pub(crate) agreement_u: [f64; compare::FIELD_COUNT],
    pub(crate) records: f64,
    /// Imaginary records, each agreeing on a value as often as two random records do, added to the
    /// counts: a small population (an index just started) then gives shares near the model's rather
    /// than its own noisy ones. Zero for a batch run, which counts the whole input.
    pub(crate) prior_records: f64,
}

impl TermFrequencies<'_> {
    pub(crate) fn share(&self, field: Field, value: u32) -> Option<f64> {
        let map = match field {
            Field::Surname => &self.counts.surname,
            Field::GivenName => &self.counts.given,
            Field::Patronymic => &self.counts.patronymic,
            Field::BirthDate => &self.counts.birth_date,
            Field::City => &self.counts.city,
            Field::Street => &self.counts.street,
            Field::Postcode => &self.counts.postcode,
            _ => return None,
        };
        let prior = self.prior_records * self.agreement_u[field.index()];
        map.get(&value).map(|count| (f64::from(*count) + prior) / (self.records + self.prior_records))
    }

    /// The value of `field` both records agree on, if its level is adjusted.
    pub(crate) fn agreed_value(field: Field, agreed: &AgreedValues, left: &PreparedRecord) -> Option<u32> {
        match field {
            Field::Surname | Field::GivenName | Field::Patronymic => agreed_id(field, agreed),
            Field::BirthDate => left.birth_date.map(BirthDate::as_number),
            Field::City => left.city,
            Field::Street => left.street,
            Field::Postcode => left.postcode,
            _ => None,
        }
    }

    pub(crate) fn adjustment(&self, vector: &ComparisonVector, agreed: &AgreedValues, left: &PreparedRecord) -> f64 {
        let mut total = 0.0;
        for field in Field::ALL {
            let Some(level) = vector.level(field) else { continue };
            if !field.adjusted_level(level) {
                continue;
            }
            let agreement_u = self.agreement_u[field.index()];
            if agreement_u <= 0.0 {
                continue;
            }
            if let Some(share) = Self::agreed_value(field, agreed, left).and_then(|value| self.share(field, value)) {
                total += model::clamp_adjustment((agreement_u / share).log2());
            }
        }
        total
    }
}

impl Matcher {
    pub fn new(config: MatchConfig) -> Self {
        Self { config }
    }

    /// Matches `records`: a dedupe task if every record has source 0, a link task (pairs across
    /// sources only) if some have source 1.
    pub fn run(&self, records: &[MatchRecord]) -> MatchRun {
        let mut preparer = Preparer::new();
        for record in records {
            preparer.push(record);
        }
        self.run_prepared(preparer.finish())
    }

    /// Matches records prepared by a [`Preparer`] (which lets the caller stream them).
    pub fn run_prepared(&self, input: PreparedInput) -> MatchRun {
        let config = &self.config;
        let PreparedInput { set, ids, normalise_seconds } = input;
        let mut stats = MatchStats { records: ids.len(), ..MatchStats::default() };
        stats.distinct_records = set.records.len();
        stats.seconds_normalise = normalise_seconds;
        let link = set.is_link();

        // u from random pairs of input records (so that common records weigh as often as they occur).
        let started = Instant::now();
        let random = random_pair_patterns(&set, link, config, &mut stats);
        let (u_random, observed) = u_from_random_pairs(&random);
        let mut agreement_u = [0.0; compare::FIELD_COUNT];
        for field in Field::ALL {
            agreement_u[field.index()] = (0..field.levels().len() as u8)
                .filter(|level| field.adjusted_level(*level))
                .map(|level| u_random[field.index()][level as usize])
                .sum();
        }
        stats.seconds_random_pairs = started.elapsed().as_secs_f64();

        let started = Instant::now();
        let blocks = Blocks::build(&set, config.max_block_size);
        stats.blocks = blocks.len();
        stats.skipped_blocks = blocks.skipped_blocks;
        stats.skipped_block_pairs = blocks.skipped_pairs;
        stats.seconds_blocking = started.elapsed().as_secs_f64();

        let started = Instant::now();
        let frequencies = TermFrequencies {
            counts: &set.counts,
            agreement_u,
            records: (set.counts.records as f64).max(1.0),
            prior_records: 0.0,
        };
        let mut patterns = PatternTable::default();
        let mut candidates: Vec<Candidate> = Vec::new();
        for block in 0..blocks.len() {
            let (key, members) = blocks.block(block);
            let members: Vec<u32> = members.collect();
            for (position, left) in members.iter().enumerate() {
                let left_record = &set.records[*left as usize];
                for right in &members[position + 1..] {
                    let right_record = &set.records[*right as usize];
                    if link && left_record.source == right_record.source {
                        continue;
                    }
                    let Some(rules) = blocks.owned_rules(key, *left, *right) else {
                        continue;
                    };
                    let (vector, agreed) = compare(left_record, right_record, &set.dictionary);
                    let weight =
                        f64::from(set.multiplicity[*left as usize]) * f64::from(set.multiplicity[*right as usize]);
                    let pattern = patterns.add(vector, rules, weight);
                    let adjustment = frequencies.adjustment(&vector, &agreed, left_record) as f32;
                    candidates.push(Candidate { left: *left, right: *right, pattern, adjustment });
                }
            }
        }
        stats.comparisons = candidates.len() as u64;
        // Identical input records are pairs too (certain ones): EM should see how often matching
        // pairs agree on everything.
        if !link {
            for (record, multiplicity) in set.records.iter().zip(&set.multiplicity) {
                if *multiplicity >= 2 {
                    let (vector, _) = compare(record, record, &set.dictionary);
                    let pairs = f64::from(*multiplicity) * f64::from(multiplicity - 1) / 2.0;
                    patterns.add(vector, RuleMask::MAX, pairs);
                }
            }
        }
        drop(blocks);
        stats.seconds_comparing = started.elapsed().as_secs_f64();

        // Train: m by EM over the candidates, then u refined and the prior over all pairs.
        let started = Instant::now();
        let em = expectation_maximisation(&patterns.counts, &u_random, config.em_max_iterations);
        let total_pairs = total_pairs(&set, link);
        let pairs_with_field = pairs_with_field(&set, link);
        let mut u = u_random.clone();
        for _ in 0..REFINEMENTS {
            let prior = prior_from_candidates(&patterns.counts, &em.m, &u, total_pairs);
            u = refine_u(&random, &em.m, &u, prior);
            u = identifier_agreement_u(&patterns.counts, &em.m, &u, prior, &pairs_with_field);
        }
        let prior = prior_from_candidates(&patterns.counts, &em.m, &u, total_pairs);
        let m = em.m.clone();
        let random_pairs = random.iter().map(|sample| sample.counts.total()).sum::<f64>() as usize;
        let mut model = build_model(&m, &u, observed, prior, em, random_pairs);
        for field in &mut model.fields {
            field.agreement_u = agreement_u[field.field.index()];
        }
        let pattern_weights: Vec<f64> =
            patterns.counts.patterns.iter().map(|vector| model.vector_weight(vector)).collect();
        stats.seconds_training = started.elapsed().as_secs_f64();

        let started = Instant::now();
        let (upper, lower) = config.weight_thresholds();
        let prior_weight = model.prior_weight();
        let mut links = Vec::new();
        let mut compared = Vec::new();
        if config.keep_compared_pairs {
            compared.reserve_exact(candidates.len());
            compared.extend(candidates.iter().map(|candidate| (candidate.left, candidate.right)));
        }
        for candidate in &candidates {
            let weight = prior_weight + pattern_weights[candidate.pattern as usize] + f64::from(candidate.adjustment);
            if weight >= lower {
                links.push(ScoredLink { left: candidate.left, right: candidate.right, weight });
            }
        }
        drop(candidates);
        let clustering = cluster(&set.records, &set.dictionary, links, upper, lower, guarded_fields(&model));
        let pair = |link: &ScoredLink| RecordPair {
            left: set.representative[link.left as usize] as usize,
            right: set.representative[link.right as usize] as usize,
            match_weight: link.weight,
            match_probability: model::probability_of(link.weight),
        };
        let same: Vec<RecordPair> = clustering.same.iter().map(pair).collect();
        let review: Vec<ReviewPair> =
            clustering.review.iter().map(|(link, reason)| ReviewPair { pair: pair(link), reason: *reason }).collect();
        stats.same_links = same.len();
        stats.review_pairs = review.len();
        stats.guarded_links = review.iter().filter(|pair| pair.reason == ReviewReason::ConflictingClusters).count();
        let cluster_of: Vec<usize> = set
            .distinct_of
            .iter()
            .map(|distinct| set.representative[clustering.cluster_of[*distinct as usize] as usize] as usize)
            .collect();
        let mut roots: Vec<usize> = cluster_of.clone();
        roots.sort_unstable();
        roots.dedup();
        stats.clusters = roots.len();
        stats.seconds_clustering = started.elapsed().as_secs_f64();

        MatchRun {
            model,
            config: config.clone(),
            cluster_of,
            same,
            review,
            stats,
            warnings: set.warnings.clone(),
            link,
            ids,
            set,
            compared,
        }
    }
}

/// Rounds of discounting the matches among the random pairs (each round's model recognises more of
/// them: a pair sharing a taxpayer number and nothing else looks like a match only once the
/// number's u no longer counts such pairs).
const REFINEMENTS: usize = 20;

/// Disagreement on a field is strong enough evidence to guard clusters against chaining when its
/// weight is at most this (in bits): 64 times likelier between different people.
const GUARD_BITS: f64 = -6.0;

/// The fields whose disagreement the model found strong.
fn guarded_fields(model: &MatchModel) -> GuardedFields {
    let strong = |field: Field| {
        let parameters = model.field(field);
        let different = parameters.m.len().saturating_sub(1) as u8;
        parameters.observed && parameters.weight(different) <= GUARD_BITS
    };
    GuardedFields {
        birth_date: strong(Field::BirthDate),
        taxpayer_number: strong(Field::TaxpayerNumber),
        social_insurance_number: strong(Field::SocialInsuranceNumber),
        national_id: strong(Field::NationalId),
    }
}

/// All pairs a task could compare: within the input (dedupe) or across the two (link).
fn total_pairs(set: &PreparedSet, link: bool) -> f64 {
    let [first, second] = set.records_per_source.map(|count| count as f64);
    if link {
        first * second
    } else {
        let count = first + second;
        count * (count - 1.0) / 2.0
    }
}

/// For each field, the pairs of input records (across the inputs, for a link task) in which both
/// records hold it.
fn pairs_with_field(set: &PreparedSet, link: bool) -> [f64; compare::FIELD_COUNT] {
    let mut present = [[0.0f64; 2]; compare::FIELD_COUNT];
    for distinct in &set.distinct_of {
        let record = &set.records[*distinct as usize];
        for field in Field::ALL {
            if has_field(record, &set.dictionary, field) {
                present[field.index()][usize::from(record.source.min(1))] += 1.0;
            }
        }
    }
    let mut pairs = [0.0; compare::FIELD_COUNT];
    for field in Field::ALL {
        let [first, second] = present[field.index()];
        pairs[field.index()] = if link {
            first * second
        } else {
            let all = first + second;
            all * (all - 1.0).max(0.0) / 2.0
        };
    }
    pairs
}

/// Random pairs drawn per input record, at most (up to [`MatchConfig::random_pairs`]).
const RANDOM_PAIRS_PER_RECORD: usize = 20;

/// Fields present on fewer input records than this share get random pairs of their own.
const RARE_FIELD_SHARE: f64 = 0.5;

/// Comparison vectors of random pairs of input records: one sample over all records for the common
/// fields, and one per rare field over the records that have it ([`RandomSample`] says why).
fn random_pair_patterns(
    set: &PreparedSet,
    link: bool,
    config: &MatchConfig,
    stats: &mut MatchStats,
) -> Vec<RandomSample> {
    let mut random = SplitMix(config.seed ^ 0x6d61_7463_6869_6e67);
    let records = set.distinct_of.len().max(1) as f64;
    let mut present = [0usize; compare::FIELD_COUNT];
    for distinct in &set.distinct_of {
        let record = &set.records[*distinct as usize];
        for field in Field::ALL {
            present[field.index()] += usize::from(has_field(record, &set.dictionary, field));
        }
    }
    let mut samples = Vec::new();
    let mut common = [false; compare::FIELD_COUNT];
    for field in Field::ALL {
        common[field.index()] = present[field.index()] as f64 >= RARE_FIELD_SHARE * records;
    }
    // A small input needs fewer pairs: twenty per record describe its fields well enough.
    let wanted = config.random_pairs.min(set.distinct_of.len().saturating_mul(RANDOM_PAIRS_PER_RECORD));
    samples.push(draw_sample(set, link, None, wanted, common, &mut random, stats));
    for field in Field::ALL {
        if present[field.index()] > 1 && !common[field.index()] {
            let mut fields = [false; compare::FIELD_COUNT];
            fields[field.index()] = true;
            samples.push(draw_sample(set, link, Some(field), wanted / 3, fields, &mut random, stats));
        }
    }
    samples
}

/// Random pairs of input records (those having `field`, if given).
fn draw_sample(
    set: &PreparedSet,
    link: bool,
    field: Option<Field>,
    wanted: usize,
    fields: [bool; compare::FIELD_COUNT],
    random: &mut SplitMix,
    stats: &mut MatchStats,
) -> RandomSample {
    let mut by_source: [Vec<u32>; 2] = [Vec::new(), Vec::new()];
    for distinct in &set.distinct_of {
        let record = &set.records[*distinct as usize];
        if field.is_some_and(|field| !has_field(record, &set.dictionary, field)) {
            continue;
        }
        let source = usize::from(record.source.min(1));
        by_source[if link { source } else { 0 }].push(*distinct);
    }
    let (left_pool, right_pool) = if link { (&by_source[0], &by_source[1]) } else { (&by_source[0], &by_source[0]) };
    let mut table = PatternTable::default();
    if left_pool.is_empty() || right_pool.is_empty() {
        return RandomSample { counts: table.counts, fields };
    }
    let possible = if link {
        left_pool.len() as f64 * right_pool.len() as f64
    } else {
        left_pool.len() as f64 * (left_pool.len() as f64 - 1.0) / 2.0
    };
    let samples = (wanted as f64).min(possible) as usize;
    let (mut drawn, mut attempts) = (0usize, 0usize);
    while drawn < samples && attempts < samples.saturating_mul(4) {
        attempts += 1;
        let left = left_pool[random.below(left_pool.len())];
        let right = right_pool[random.below(right_pool.len())];
        if left == right {
            continue;
        }
        let (vector, _) = compare(&set.records[left as usize], &set.records[right as usize], &set.dictionary);
        table.add(vector, 0, 1.0);
        drawn += 1;
    }
    stats.random_comparisons += drawn as u64;
    RandomSample { counts: table.counts, fields }
}

impl MatchRun {
    /// The explanation of a pair of input records (indices into the records given to
    /// [`Matcher::run`]).
    pub fn explain(&self, left: usize, right: usize) -> Option<Explanation> {
        let left_record = &self.set.records[*self.set.distinct_of.get(left)? as usize];
        let right_record = &self.set.records[*self.set.distinct_of.get(right)? as usize];
        let (vector, agreed) = compare(left_record, right_record, &self.set.dictionary);
        let vocabulary = &self.set.dictionary;
        let frequencies = self.frequencies();
        Some(explain_vector(
            &self.model,
            (&self.ids[left], &self.ids[right]),
            &vector,
            |field| {
                let value = TermFrequencies::agreed_value(field, &agreed, left_record)?;
                let share = frequencies.share(field, value)?;
                let text = if field == Field::BirthDate { value.to_string() } else { vocabulary.get(value).to_owned() };
                Some(AgreedShare { text, share })
            },
            self.config.weight_thresholds(),
        ))
    }

    /// The explanation of any two records under this run's model and value frequencies (records
    /// need not be among those matched).
    pub fn explain_records(&self, left: &MatchRecord, right: &MatchRecord) -> Explanation {
        let mut normaliser = Normaliser::new();
        let mut warnings = NormaliseWarnings::default();
        let left_record = normaliser.prepare(left, &mut warnings);
        let right_record = normaliser.prepare(right, &mut warnings);
        let local = normaliser.into_dictionary();
        let (vector, agreed) = compare(&left_record, &right_record, &local);
        let frequencies = self.frequencies();
        explain_vector(
            &self.model,
            (&left.id, &right.id),
            &vector,
            |field| {
                let value = TermFrequencies::agreed_value(field, &agreed, &left_record)?;
                let text = if field == Field::BirthDate { value.to_string() } else { local.get(value).to_owned() };
                let run_value =
                    if field == Field::BirthDate { Some(value) } else { self.set.dictionary.vocabulary.find(&text) };
                // A value this run never saw is as rare as can be: one record.
                let share =
                    run_value.and_then(|value| frequencies.share(field, value)).unwrap_or(1.0 / frequencies.records);
                Some(AgreedShare { text, share })
            },
            self.config.weight_thresholds(),
        )
    }

    fn frequencies(&self) -> TermFrequencies<'_> {
        let mut agreement_u = [0.0; compare::FIELD_COUNT];
        for field in &self.model.fields {
            agreement_u[field.field.index()] = field.agreement_u;
        }
        TermFrequencies {
            counts: &self.set.counts,
            agreement_u,
            records: (self.set.counts.records as f64).max(1.0),
            prior_records: 0.0,
        }
    }

    /// The decision the thresholds give a match weight.
    pub fn decide(&self, match_weight: f64) -> Decision {
        let (upper, lower) = self.config.weight_thresholds();
        if match_weight >= upper {
            Decision::Same
        } else if match_weight >= lower {
            Decision::Review
        } else {
            Decision::Different
        }
    }

    /// The share of true pairs that blocking compared (or that were identical records), given each
    /// input record's true entity: the ceiling on recall. Counts only what was kept: run with
    /// [`MatchConfig::keep_compared_pairs`].
    pub fn blocking_recall(&self, truth_of: &[u32]) -> f64 {
        // The members of each distinct record: (entity, source, how many).
        let mut members: Vec<Vec<(u32, u8, u64)>> = vec![Vec::new(); self.set.records.len()];
        let mut sources = Vec::with_capacity(truth_of.len());
        for (record, distinct) in self.set.distinct_of.iter().enumerate() {
            let source = self.set.records[*distinct as usize].source;
            sources.push(source);
            let Some(truth) = truth_of.get(record) else { continue };
            let list = &mut members[*distinct as usize];
            match list.iter_mut().find(|(entity, from, _)| entity == truth && *from == source) {
                Some(entry) => entry.2 += 1,
                None => list.push((*truth, source, 1)),
            }
        }
        let mut covered = 0u64;
        if !self.link {
            // Identical records of one entity (in a dedupe task every record has source 0, so each
            // entity has one entry per distinct record).
            covered += members.iter().flatten().map(|(_, _, count)| count * count.saturating_sub(1) / 2).sum::<u64>();
        }
        for (left, right) in &self.compared {
            for (entity, source, count) in &members[*left as usize] {
                for (other_entity, other_source, other_count) in &members[*right as usize] {
                    if entity == other_entity && (!self.link || source != other_source) {
                        covered += count * other_count;
                    }
                }
            }
        }
        let all = eval::evaluate_clusters(&vec![0u32; sources.len()], truth_of, &sources, self.link).true_pairs;
        if all == 0 { 1.0 } else { covered as f64 / all as f64 }
    }

    /// The input records' ids.
    pub fn record_id(&self, index: usize) -> Option<&str> {
        self.ids.get(index).map(|id| &**id)
    }
}
