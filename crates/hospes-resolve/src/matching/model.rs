//! The Fellegi–Sunter model: for each field and level, m (the probability of that level among
//! pairs of records about the same person) and u (among pairs about different people); a pair's
//! evidence is the sum of log2(m/u) over its fields, added to the prior log-odds that two records
//! match.
//!
//! Nothing is labelled, so the parameters are estimated from the data:
//! - u from pairs of records drawn at random, nearly all of which are about different people
//!   (the few that are not are discounted once the model can recognise them);
//! - m by expectation–maximisation over the comparison vectors of the candidate pairs that blocking
//!   produced, which it treats as a mixture of matches and non-matches with fields independent
//!   within each class, once per blocking rule ([`expectation_maximisation`] says why). Identical
//!   comparison vectors are counted once with a weight, so EM costs little however many pairs
//!   there are;
//! - the prior, the share of matches among all pairs, as the fixed point of the expected matches
//!   among the candidates.
//!
//! Agreement on a common value says less than agreement on a rare one (two records named Иванов
//! against two named Зайнуддинов), so agreement levels are adjusted by how common the agreed value
//! is (term-frequency adjustment): the weight becomes log2(m · u_agree / (u · p_v)), where p_v is
//! the share of records holding the value and u_agree the u of the levels where the records hold
//! the same value.

use serde::{Deserialize, Serialize};

use super::blocking::{Rule, RuleMask};
use super::compare::{ComparisonVector, FIELD_COUNT, Field};

/// The estimated m and u of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldParameters {
    pub field: Field,
    /// m per level, strongest agreement first.
    pub m: Vec<f64>,
    /// u per level.
    pub u: Vec<f64>,
    /// Whether any training pair had the field on both sides; a field never seen carries no weight.
    pub observed: bool,
    /// The u of the levels at which both records hold the same value (the term-frequency adjusted
    /// levels), from random pairs before any discount: the average chance that two records share
    /// a value, against which one value's share is set.
    pub agreement_u: f64,
}

impl FieldParameters {
    /// log2(m/u) of a level: the evidence that level gives, in bits.
    pub fn weight(&self, level: u8) -> f64 {
        if !self.observed {
            return 0.0;
        }
        match (self.m.get(level as usize), self.u.get(level as usize)) {
            (Some(m), Some(u)) if *m > 0.0 && *u > 0.0 => (m / u).log2(),
            _ => 0.0,
        }
    }
}

/// A trained model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchModel {
    /// One entry per [`Field`], in [`Field::ALL`] order.
    pub fields: Vec<FieldParameters>,
    /// The probability that two records drawn at random are about the same person.
    pub prior: f64,
    /// What EM found in the pairs of each blocking rule.
    pub training: Vec<TrainingSession>,
    /// Random pairs compared to estimate u.
    pub random_pairs: usize,
}

impl MatchModel {
    pub fn field(&self, field: Field) -> &FieldParameters {
        &self.fields[field.index()]
    }

    /// The prior log2-odds that two records match.
    pub fn prior_weight(&self) -> f64 {
        log2_odds(self.prior)
    }

    /// The sum of the field weights of a comparison vector (without term-frequency adjustment).
    pub fn vector_weight(&self, vector: &ComparisonVector) -> f64 {
        Field::ALL.iter().filter_map(|field| vector.level(*field).map(|level| self.field(*field).weight(level))).sum()
    }

    /// The term-frequency adjustment, in bits, of agreeing on a value that a share `share` of the
    /// records hold, at a level of `field` that is adjusted. Bounded, so that one value cannot
    /// decide a pair alone.
    pub fn term_frequency_adjustment(&self, field: Field, share: f64) -> f64 {
        let parameters = self.field(field);
        if !parameters.observed || parameters.agreement_u <= 0.0 || share <= 0.0 {
            return 0.0;
        }
        clamp_adjustment((parameters.agreement_u / share).log2())
    }
}

/// The largest term-frequency adjustment either way, in bits.
const MAX_TERM_FREQUENCY_BITS: f64 = 8.0;

/// Bounds a term-frequency adjustment, so that one value cannot decide a pair alone.
pub fn clamp_adjustment(bits: f64) -> f64 {
    bits.clamp(-MAX_TERM_FREQUENCY_BITS, MAX_TERM_FREQUENCY_BITS)
}

/// log2(p / (1 − p)), finite for p in (0, 1).
pub fn log2_odds(probability: f64) -> f64 {
    let probability = probability.clamp(1e-300, 1.0 - 1e-16);
    (probability / (1.0 - probability)).log2()
}

/// The probability of log2-odds `weight`.
pub fn probability_of(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// Comparison vectors with how many pairs had each (pairs can weigh more than one: a distinct record
/// stands for every identical input record), and which blocking rules those pairs satisfied.
#[derive(Debug, Default, Clone)]
pub struct PatternCounts {
    pub patterns: Vec<ComparisonVector>,
    pub(crate) rules: Vec<RuleMask>,
    pub counts: Vec<f64>,
}

impl PatternCounts {
    pub fn total(&self) -> f64 {
        self.counts.iter().sum()
    }
}

/// Level frequencies of one class, per field: `share[field][level]`.
pub(crate) type LevelShares = Vec<Vec<f64>>;

/// The level shares of `counts`, weighted per pattern by `weights` (patterns weighted zero are left
/// out), with a small pseudo-count so that no level has probability zero. Also says which fields
/// had any pair at all.
fn level_shares(counts: &PatternCounts, weights: &[f64], pseudo_count: f64) -> (LevelShares, [bool; FIELD_COUNT]) {
    let mut sums: LevelShares = Field::ALL.iter().map(|field| vec![0.0; field.levels().len()]).collect();
    let mut seen = [0.0f64; FIELD_COUNT];
    for ((pattern, count), weight) in counts.patterns.iter().zip(&counts.counts).zip(weights) {
        if *weight == 0.0 {
            continue;
        }
        for (field_index, level) in pattern.0.iter().enumerate() {
            if *level != ComparisonVector::MISSING
                && let Some(sum) = sums[field_index].get_mut(*level as usize)
            {
                *sum += count * weight;
                seen[field_index] += count;
            }
        }
    }
    let mut observed = [false; FIELD_COUNT];
    for (field_index, levels) in sums.iter_mut().enumerate() {
        let total: f64 = levels.iter().sum();
        observed[field_index] = seen[field_index] > 0.0;
        let denominator = total + pseudo_count * levels.len() as f64;
        for level in levels.iter_mut() {
            *level = (*level + pseudo_count) / denominator;
        }
    }
    (sums, observed)
}

/// Natural logarithms of level shares.
fn logarithms(shares: &LevelShares) -> LevelShares {
    shares.iter().map(|levels| levels.iter().map(|share| share.ln()).collect()).collect()
}

/// The natural log-likelihood of a pattern under one class's log level shares, over the fields in
/// `fields` only.
fn log_likelihood(pattern: &ComparisonVector, log_shares: &LevelShares, fields: &[bool; FIELD_COUNT]) -> f64 {
    let mut total = 0.0;
    for (field_index, level) in pattern.0.iter().enumerate() {
        if *level != ComparisonVector::MISSING && fields[field_index] {
            total += log_shares[field_index].get(*level as usize).copied().unwrap_or(0.0);
        }
    }
    total
}

/// Comparison vectors of random pairs, drawn for some of the fields: pairs of records that both
/// have those fields.
///
/// A field that few records have (a social insurance number on one record in sixty) would be
/// present on both sides of only a handful of pairs drawn from all records, and its u would be
/// mostly the pseudo-count; so such fields get pairs drawn from the records that have them.
#[derive(Debug, Default, Clone)]
pub struct RandomSample {
    pub counts: PatternCounts,
    /// The fields whose u this sample gives.
    pub fields: [bool; FIELD_COUNT],
}

/// u from the comparison vectors of random pairs, each field from the sample drawn for it.
pub(crate) fn u_from_random_pairs(samples: &[RandomSample]) -> (LevelShares, [bool; FIELD_COUNT]) {
    let weights: Vec<Vec<f64>> = samples.iter().map(|sample| vec![1.0; sample.counts.patterns.len()]).collect();
    combine_samples(samples, &weights)
}

/// The level shares of each field from its sample, with each sample's pairs weighted.
fn combine_samples(samples: &[RandomSample], weights: &[Vec<f64>]) -> (LevelShares, [bool; FIELD_COUNT]) {
    let mut shares: LevelShares =
        Field::ALL.iter().map(|field| vec![1.0 / field.levels().len() as f64; field.levels().len()]).collect();
    let mut observed = [false; FIELD_COUNT];
    for (sample, weights) in samples.iter().zip(weights) {
        let (sample_shares, sample_observed) = level_shares(&sample.counts, weights, 0.5);
        for field in Field::ALL {
            if sample.fields[field.index()] {
                shares[field.index()] = sample_shares[field.index()].clone();
                observed[field.index()] = sample_observed[field.index()];
            }
        }
    }
    (shares, observed)
}

/// Initial m: most pairs of the same person agree fully, few disagree.
fn initial_m() -> LevelShares {
    Field::ALL
        .iter()
        .map(|field| {
            let levels = field.levels().len();
            if levels == 2 {
                return vec![0.9, 0.1];
            }
            let mut shares = vec![0.0; levels];
            shares[0] = 0.8;
            shares[levels - 1] = 0.05;
            let middle = 0.15 / (levels - 2) as f64;
            for share in shares.iter_mut().take(levels - 1).skip(1) {
                *share = middle;
            }
            shares
        })
        .collect()
}

/// What training one blocking rule's pairs found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingSession {
    /// The rule's pairs (weighted by the input records they stand for).
    pub pairs: f64,
    /// The share of them EM took for matches.
    pub match_share: f64,
    pub iterations: usize,
    pub converged: bool,
    /// The fields estimated (those the rule does not block on).
    pub fields: Vec<Field>,
}

/// The result of training m.
pub(crate) struct EmResult {
    pub(crate) m: LevelShares,
    pub(crate) sessions: Vec<TrainingSession>,
}

/// Estimates m by expectation–maximisation, once per blocking rule over the pairs that satisfy
/// it, with u fixed to the random pairs' and the fields the rule blocks on left out (the manner of
/// Splink's training sessions).
///
/// Why per rule: the pairs blocking produces agree on the fields they were blocked on whether or
/// not they match (two different Rakhmonov Sukhrobs share a name block), so over all candidates
/// those fields are far from independent of the others within the non-matches, and a two-class
/// mixture would learn "same name" rather than "same person". Within the pairs of one rule,
/// leaving that rule's fields out, the remaining fields are about as independent as in random
/// pairs, and u from random pairs describes the non-matches. Each field's m is the average of the
/// sessions that estimated it, weighted by the matches each found; a field no session estimated
/// keeps the initial guess.
pub(crate) fn expectation_maximisation(
    candidates: &PatternCounts,
    u_random: &LevelShares,
    max_iterations: usize,
) -> EmResult {
    let log_u = logarithms(u_random);
    let mut sums: LevelShares = Field::ALL.iter().map(|field| vec![0.0; field.levels().len()]).collect();
    let mut sum_weights = [0.0f64; FIELD_COUNT];
    let mut sessions = Vec::new();
    for rule in Rule::ALL {
        let mut in_session: Vec<f64> =
            candidates.rules.iter().map(|mask| if mask & rule.bit() != 0 { 1.0 } else { 0.0 }).collect();
        let pairs: f64 = candidates.counts.iter().zip(&in_session).map(|(count, inside)| count * inside).sum();
        if pairs < MINIMUM_SESSION_PAIRS {
            continue;
        }
        let mut fields = [true; FIELD_COUNT];
        for field in rule.blocked_fields() {
            fields[field.index()] = false;
        }
        let mut m = initial_m();
        let mut match_share: f64 = 0.5;
        let mut posteriors = vec![0.0; candidates.patterns.len()];
        let mut converged = false;
        let mut iterations = 0;
        let mut observed = [false; FIELD_COUNT];
        while iterations < max_iterations {
            iterations += 1;
            let log_m = logarithms(&m);
            let (log_prior_match, log_prior_other) = (match_share.ln(), (1.0 - match_share).ln());
            let mut expected_matches = 0.0;
            for (index, pattern) in candidates.patterns.iter().enumerate() {
                if in_session[index] == 0.0 {
                    continue;
                }
                let log_match = log_prior_match + log_likelihood(pattern, &log_m, &fields);
                let log_other = log_prior_other + log_likelihood(pattern, &log_u, &fields);
                let posterior = 1.0 / (1.0 + (log_other - log_match).exp());
                posteriors[index] = posterior;
                expected_matches += posterior * candidates.counts[index];
            }
            let (new_m, seen) = level_shares(candidates, &posteriors, 0.01);
            observed = seen;
            let new_share = (expected_matches / pairs).clamp(1e-9, 1.0 - 1e-9);
            let mut change = (new_share - match_share).abs();
            for (field_index, levels) in new_m.iter().enumerate() {
                if fields[field_index] {
                    for (new, old) in levels.iter().zip(&m[field_index]) {
                        change = change.max((new - old).abs());
                    }
                }
            }
            for (field_index, levels) in new_m.into_iter().enumerate() {
                if fields[field_index] {
                    m[field_index] = levels;
                }
            }
            match_share = new_share;
            if change < 1e-6 {
                converged = true;
                break;
            }
        }
        let matches = match_share * pairs;
        let mut estimated = Vec::new();
        for field in Field::ALL {
            if fields[field.index()] && observed[field.index()] {
                estimated.push(field);
                for (sum, share) in sums[field.index()].iter_mut().zip(&m[field.index()]) {
                    *sum += share * matches;
                }
                sum_weights[field.index()] += matches;
            }
        }
        in_session.clear();
        sessions.push(TrainingSession { pairs, match_share, iterations, converged, fields: estimated });
    }
    let mut m = initial_m();
    for field in Field::ALL {
        let weight = sum_weights[field.index()];
        if weight > 0.0 {
            m[field.index()] = sums[field.index()].iter().map(|sum| sum / weight).collect();
        }
    }
    EmResult { m, sessions }
}

/// Sessions with fewer pairs than this are not trained.
const MINIMUM_SESSION_PAIRS: f64 = 20.0;

/// The probability that two records drawn at random match, from the candidates: the fixed point of
/// λ = (expected matches among the candidates under λ) / (all pairs). Pairs blocking never
/// compared are taken for non-matches.
pub(crate) fn prior_from_candidates(
    candidates: &PatternCounts,
    m: &LevelShares,
    u: &LevelShares,
    total_pairs: f64,
) -> f64 {
    let all = [true; FIELD_COUNT];
    let (log_m, log_u) = (logarithms(m), logarithms(u));
    let ratios: Vec<f64> = candidates
        .patterns
        .iter()
        .map(|pattern| (log_likelihood(pattern, &log_m, &all) - log_likelihood(pattern, &log_u, &all)).exp())
        .collect();
    let total_pairs = total_pairs.max(1.0);
    let mut prior = (candidates.total() * 0.5 / total_pairs).clamp(1e-15, 0.5);
    for _ in 0..200 {
        let odds = prior / (1.0 - prior);
        let expected: f64 = ratios
            .iter()
            .zip(&candidates.counts)
            .map(|(ratio, count)| count * (odds * ratio) / (1.0 + odds * ratio))
            .sum();
        let next = (expected / total_pairs).clamp(1e-15, 0.5);
        if (next - prior).abs() <= prior * 1e-9 {
            return next;
        }
        prior = next;
    }
    prior
}

/// u from random pairs, discounting those the model takes for matches (random pairs of a
/// dedupe task include some pairs of the same person, and counting them as non-matches would
/// understate the evidence of agreement).
pub(crate) fn refine_u(samples: &[RandomSample], m: &LevelShares, u: &LevelShares, prior: f64) -> LevelShares {
    let all = [true; FIELD_COUNT];
    let (log_m, log_u) = (logarithms(m), logarithms(u));
    let (log_prior_match, log_prior_other) = (prior.ln(), (1.0 - prior).ln());
    let weights: Vec<Vec<f64>> = samples
        .iter()
        .map(|sample| {
            sample
                .counts
                .patterns
                .iter()
                .map(|pattern| {
                    let log_match = log_prior_match + log_likelihood(pattern, &log_m, &all);
                    let log_other = log_prior_other + log_likelihood(pattern, &log_u, &all);
                    1.0 - 1.0 / (1.0 + (log_other - log_match).exp())
                })
                .collect()
        })
        .collect();
    combine_samples(samples, &weights).0
}

/// u of exact agreement on the identifiers, from the candidates.
///
/// A shared taxpayer number between two different people is so rare that random pairs never show
/// one: a sample could only put u below one in its size, and the evidence of agreement would
/// then depend on how many pairs were drawn. But blocking compares every pair that shares an
/// identifier, so the non-matches among those pairs (each weighted by the model's probability
/// that it is not a match), over all pairs in which both records hold the field, is u itself.
/// With none at all, u is half a pair in all of them.
pub(crate) fn identifier_agreement_u(
    candidates: &PatternCounts,
    m: &LevelShares,
    u: &LevelShares,
    prior: f64,
    pairs_with_field: &[f64; FIELD_COUNT],
) -> LevelShares {
    let all = [true; FIELD_COUNT];
    let (log_m, log_u) = (logarithms(m), logarithms(u));
    let (log_prior_match, log_prior_other) = (prior.ln(), (1.0 - prior).ln());
    // Per identifier: all pairs agreeing on it, and, among those whose other fields say something
    // (at least INFORMATIVE_BITS either way), the pairs and the expected non-matches. Pairs with
    // nothing but the number to go on cannot tell whether they match; counting them by the
    // model's own verdict would make the number's u feed on itself.
    let mut agreeing = [0.0f64; FIELD_COUNT];
    let mut informative = [0.0f64; FIELD_COUNT];
    let mut non_matches = [0.0f64; FIELD_COUNT];
    for (pattern, count) in candidates.patterns.iter().zip(&candidates.counts) {
        let agrees = |field: Field| pattern.0[field.index()] == 0;
        if !Field::ALL.iter().any(|field| field.is_identifier() && agrees(*field)) {
            continue;
        }
        let log_match = log_prior_match + log_likelihood(pattern, &log_m, &all);
        let log_other = log_prior_other + log_likelihood(pattern, &log_u, &all);
        let non_match = 1.0 - 1.0 / (1.0 + (log_other - log_match).exp());
        for field in Field::ALL {
            if !(field.is_identifier() && agrees(field)) {
                continue;
            }
            agreeing[field.index()] += count;
            let mut others = all;
            others[field.index()] = false;
            let other_evidence = log_likelihood(pattern, &log_m, &others) - log_likelihood(pattern, &log_u, &others);
            if other_evidence.abs() >= INFORMATIVE_BITS * std::f64::consts::LN_2 {
                informative[field.index()] += count;
                non_matches[field.index()] += count * non_match;
            }
        }
    }
    for field in Field::ALL {
        let index = field.index();
        if informative[index] > 0.0 {
            non_matches[index] *= agreeing[index] / informative[index];
        }
    }
    let mut refined = u.clone();
    for field in Field::ALL {
        let pairs = pairs_with_field[field.index()];
        if field.is_identifier() && pairs >= 1.0 {
            refined[field.index()][0] = non_matches[field.index()].max(0.5) / pairs;
        }
    }
    refined
}

/// How much the other fields of a pair must say (in bits, either way) for the pair to tell
/// whether its shared identifier is shared by two people.
const INFORMATIVE_BITS: f64 = 10.0;

/// Assembles the model.
pub(crate) fn build_model(
    m: &LevelShares,
    u: &LevelShares,
    observed: [bool; FIELD_COUNT],
    prior: f64,
    em: EmResult,
    random_pairs: usize,
) -> MatchModel {
    MatchModel {
        fields: Field::ALL
            .iter()
            .map(|field| FieldParameters {
                field: *field,
                m: m[field.index()].clone(),
                u: u[field.index()].clone(),
                observed: observed[field.index()],
                agreement_u: 0.0,
            })
            .collect(),
        prior,
        training: em.sessions,
        random_pairs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vector with every field missing but the given levels.
    fn vector(levels: &[(Field, u8)]) -> ComparisonVector {
        let mut vector = ComparisonVector([ComparisonVector::MISSING; FIELD_COUNT]);
        for (field, level) in levels {
            vector.0[field.index()] = *level;
        }
        vector
    }

    #[test]
    fn em_learns_m_without_being_fooled_by_the_blocked_field() {
        // Pairs blocked on the surname: 1000 matches (birth dates equal but for 50 one typo apart;
        // document numbers equal on 900), and 4000 namesakes whose birth dates and documents fall as
        // in random pairs.
        let mut counts = PatternCounts::default();
        let mut add = |date: u8, document: u8, count: f64| {
            counts.patterns.push(vector(&[(Field::Surname, 0), (Field::BirthDate, date), (Field::Document, document)]));
            counts.rules.push(Rule::NameWords.bit());
            counts.counts.push(count);
        };
        add(0, 0, 855.0);
        add(0, 2, 95.0);
        add(2, 0, 45.0);
        add(2, 2, 5.0);
        add(4, 2, 3920.0);
        add(3, 2, 80.0);
        // Random pairs: birth dates nearly always different, documents always.
        let mut random = PatternCounts::default();
        for (date, count) in [(4, 980.0), (3, 20.0)] {
            random.patterns.push(vector(&[(Field::Surname, 6), (Field::BirthDate, date), (Field::Document, 2)]));
            random.rules.push(0);
            random.counts.push(count);
        }
        let sample = RandomSample { counts: random, fields: [true; FIELD_COUNT] };
        let (u, _) = u_from_random_pairs(&[sample]);
        let em = expectation_maximisation(&counts, &u, 500);
        let date = &em.m[Field::BirthDate.index()];
        assert!((date[0] - 0.95).abs() < 0.01, "{date:?}");
        assert!((date[2] - 0.05).abs() < 0.01, "{date:?}");
        assert!(date[4] < 0.01, "{date:?}");
        let document = &em.m[Field::Document.index()];
        assert!((document[0] - 0.9).abs() < 0.01, "{document:?}");
        assert_eq!(em.sessions.len(), 1);
        assert!((em.sessions[0].match_share - 0.2).abs() < 0.01, "{:?}", em.sessions[0]);
        // The surname was blocked on: its m is left at the initial guess, not learnt as 1.
        assert!(em.m[Field::Surname.index()][0] < 0.9);
    }

    #[test]
    fn odds_and_probabilities() {
        assert!((log2_odds(0.5)).abs() < 1e-12);
        assert!((probability_of(log2_odds(0.9)) - 0.9).abs() < 1e-12);
        assert!(log2_odds(0.0).is_finite());
        assert!(log2_odds(1.0).is_finite());
    }
}
