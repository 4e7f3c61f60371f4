//! The ABIS-style interface (automated biometric identification system): enrol a subject's
//! template, verify a probe against one subject (1:1), identify a probe among everyone (1:N,
//! ranked candidates with scores).
//!
//! It speaks in opaque templates tagged with their modality and format, so that the rest of Hospes
//! never depends on how a matcher works: a commercial ABIS (as MOSIP and the EU's shared biometric
//! matching service plug in theirs) implements [`Abis`] and replaces ours. Scores are the
//! matcher's own; every answer carries the threshold the matcher was calibrated to, and the
//! decision taken with it.

use std::collections::{HashMap, HashSet};
use std::fmt;

/// What a template measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    Face,
    Fingerprint,
    Iris,
}

/// Who a template belongs to, in the caller's terms (a person id, an enrolment id). The matcher
/// keeps it and returns it; it never interprets it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct SubjectId(pub String);

impl fmt::Display for SubjectId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// A biometric template as the matcher exchanges it: never a raw image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub modality: Modality,
    /// The encoding of `data`, e.g. [`FACE_TEMPLATE_FORMAT`] or `iso-19794-2:2011`.
    pub format: String,
    pub data: Vec<u8>,
}

/// Our face templates: 128 little-endian f32, an L2-normalised SFace embedding.
pub const FACE_TEMPLATE_FORMAT: &str = "hospes-face-sface-2021dec-v1";

/// The answer to a 1:1 comparison.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Verification {
    pub score: f64,
    pub threshold: f64,
    pub is_match: bool,
}

/// One subject proposed by a 1:N search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    pub subject: SubjectId,
    pub score: f64,
    /// Whether the score reaches the matcher's threshold.
    pub is_hit: bool,
}

/// The answer to a 1:N search: candidates best first, at most as many as asked for.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Identification {
    pub candidates: Vec<Candidate>,
    pub threshold: f64,
}

impl Identification {
    /// The candidates at or above the threshold.
    pub fn hits(&self) -> impl Iterator<Item = &Candidate> {
        self.candidates.iter().filter(|candidate| candidate.is_hit)
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum AbisError {
    #[error("this matcher handles {expected:?} templates, not {given:?}")]
    WrongModality { expected: Modality, given: Modality },
    #[error("template format {0:?} is not one this matcher reads")]
    UnsupportedFormat(String),
    #[error("the template is not valid: {0}")]
    InvalidTemplate(String),
    #[error("subject {0} is not enrolled")]
    UnknownSubject(SubjectId),
    #[error("the matcher failed: {0}")]
    Backend(String),
}

/// An automated biometric identification system for one modality.
pub trait Abis: Send + Sync {
    fn modality(&self) -> Modality;

    /// Adds a template to a subject (a subject may hold several, e.g. one per capture).
    fn enrol(&mut self, subject: &SubjectId, template: &Template) -> Result<(), AbisError>;

    /// Removes all of a subject's templates; returns how many there were.
    fn remove(&mut self, subject: &SubjectId) -> Result<usize, AbisError>;

    /// 1:1: the probe against one subject's templates (the best of them).
    fn verify(&self, probe: &Template, subject: &SubjectId) -> Result<Verification, AbisError>;

    /// 1:N: the subjects whose templates are most similar to the probe, best first, one entry per
    /// subject, at most `max_candidates`.
    fn identify(&self, probe: &Template, max_candidates: usize) -> Result<Identification, AbisError>;

    /// How many subjects are enrolled.
    fn subject_count(&self) -> usize;
}

/// Checks that a template is of the expected modality and format.
pub fn check_template(template: &Template, modality: Modality, format: &str) -> Result<(), AbisError> {
    if template.modality != modality {
        return Err(AbisError::WrongModality { expected: modality, given: template.modality });
    }
    if template.format != format {
        return Err(AbisError::UnsupportedFormat(template.format.clone()));
    }
    Ok(())
}

/// Keeps the best score per subject from ranked `(subject, score)` pairs, in order.
pub fn best_per_subject<'a>(
    ranked: impl IntoIterator<Item = (&'a SubjectId, f64)>,
    threshold: f64,
    limit: usize,
) -> Vec<Candidate> {
    let mut seen: HashSet<&SubjectId> = HashSet::new();
    let mut candidates = Vec::new();
    for (subject, score) in ranked {
        if candidates.len() == limit {
            break;
        }
        if seen.insert(subject) {
            candidates.push(Candidate { subject: subject.clone(), score, is_hit: score >= threshold });
        }
    }
    candidates
}

/// Our face matcher behind the interface: templates in a [`crate::face::index::FaceIndex`], exact
/// search for small galleries and HNSW above [`FaceAbis::exact_search_below`] entries.
pub struct FaceAbis {
    index: crate::face::index::FaceIndex,
    /// The subject of each index entry.
    owners: Vec<SubjectId>,
    entries: HashMap<SubjectId, Vec<usize>>,
    /// Entries of removed subjects: the graph cannot forget a node, so searches skip them.
    removed: HashSet<usize>,
    pub threshold: f32,
    /// Galleries smaller than this are searched exhaustively (it is fast enough and exact).
    pub exact_search_below: usize,
}

impl FaceAbis {
    pub fn new(parameters: crate::face::index::HnswParameters, threshold: f32) -> FaceAbis {
        FaceAbis {
            index: crate::face::index::FaceIndex::new(parameters, 1024),
            owners: Vec::new(),
            entries: HashMap::new(),
            removed: HashSet::new(),
            threshold,
            exact_search_below: 20_000,
        }
    }

    /// Wraps a face template for the interface.
    pub fn template(face: &crate::face::FaceTemplate) -> Template {
        Template { modality: Modality::Face, format: FACE_TEMPLATE_FORMAT.to_owned(), data: face.to_bytes() }
    }

    fn read(template: &Template) -> Result<crate::face::FaceTemplate, AbisError> {
        check_template(template, Modality::Face, FACE_TEMPLATE_FORMAT)?;
        crate::face::FaceTemplate::from_bytes(&template.data).ok_or_else(|| {
            AbisError::InvalidTemplate(format!(
                "{} bytes; a face template is {} bytes of a non-zero vector",
                template.data.len(),
                4 * crate::face::EMBEDDING_LEN
            ))
        })
    }
}

impl Abis for FaceAbis {
    fn modality(&self) -> Modality {
        Modality::Face
    }

    fn enrol(&mut self, subject: &SubjectId, template: &Template) -> Result<(), AbisError> {
        let face = FaceAbis::read(template)?;
        let entry = self.index.insert(&face);
        self.owners.push(subject.clone());
        self.entries.entry(subject.clone()).or_default().push(entry);
        Ok(())
    }

    fn remove(&mut self, subject: &SubjectId) -> Result<usize, AbisError> {
        let entries = self.entries.remove(subject).ok_or_else(|| AbisError::UnknownSubject(subject.clone()))?;
        self.removed.extend(entries.iter().copied());
        Ok(entries.len())
    }

    fn verify(&self, probe: &Template, subject: &SubjectId) -> Result<Verification, AbisError> {
        let probe = FaceAbis::read(probe)?;
        let entries = self.entries.get(subject).ok_or_else(|| AbisError::UnknownSubject(subject.clone()))?;
        let score = entries
            .iter()
            .filter_map(|&entry| self.index.vector(entry))
            .map(|vector| crate::face::dot(&probe.embedding, vector))
            .fold(f32::MIN, f32::max);
        Ok(Verification {
            score: f64::from(score),
            threshold: f64::from(self.threshold),
            is_match: score >= self.threshold,
        })
    }

    fn identify(&self, probe: &Template, max_candidates: usize) -> Result<Identification, AbisError> {
        let probe = FaceAbis::read(probe)?;
        // Ask for more entries than candidates: one subject may hold several, some may be removed.
        let wanted = (max_candidates * 4 + self.removed.len().min(64)).max(1);
        let hits = if self.index.len() < self.exact_search_below {
            self.index.search_exact(&probe, wanted)
        } else {
            self.index.search(&probe, wanted)
        };
        let ranked = hits
            .iter()
            .filter(|hit| !self.removed.contains(&hit.entry))
            .filter_map(|hit| Some((self.owners.get(hit.entry)?, f64::from(hit.similarity))));
        Ok(Identification {
            candidates: best_per_subject(ranked, f64::from(self.threshold), max_candidates),
            threshold: f64::from(self.threshold),
        })
    }

    fn subject_count(&self) -> usize {
        self.entries.len()
    }
}

/// Error rates of a score threshold, and the equal error rate, from genuine and impostor scores
/// (higher = more alike).
pub mod evaluation {
    /// Rates at one threshold (a pair matches when its score is at or above it).
    #[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
    pub struct Rates {
        pub threshold: f64,
        /// Impostor pairs accepted, as a share of impostor pairs.
        pub false_match_rate: f64,
        /// Genuine pairs refused, as a share of genuine pairs.
        pub false_non_match_rate: f64,
        pub false_matches: usize,
        pub false_non_matches: usize,
    }

    pub fn rates_at(genuine: &[f64], impostor: &[f64], threshold: f64) -> Rates {
        let false_matches = impostor.iter().filter(|&&score| score >= threshold).count();
        let false_non_matches = genuine.iter().filter(|&&score| score < threshold).count();
        Rates {
            threshold,
            false_match_rate: false_matches as f64 / impostor.len().max(1) as f64,
            false_non_match_rate: false_non_matches as f64 / genuine.len().max(1) as f64,
            false_matches,
            false_non_matches,
        }
    }

    /// Every threshold that changes a decision: each score, and just above the highest.
    fn candidate_thresholds(genuine: &[f64], impostor: &[f64]) -> Vec<f64> {
        let mut thresholds: Vec<f64> = genuine.iter().chain(impostor).copied().filter(|s| s.is_finite()).collect();
        thresholds.sort_by(f64::total_cmp);
        thresholds.dedup();
        if let Some(&highest) = thresholds.last() {
            thresholds.push(highest + 1e-9_f64.max(highest.abs() * 1e-9));
        }
        thresholds
    }

    /// The equal error rate: at the threshold where the false match and false non-match rates are
    /// closest, their mean. With separable scores it is 0, at the middle of the gap.
    pub fn equal_error_rate(genuine: &[f64], impostor: &[f64]) -> Rates {
        let mut best: Option<(f64, Rates)> = None;
        for threshold in candidate_thresholds(genuine, impostor) {
            let rates = rates_at(genuine, impostor, threshold);
            let gap = (rates.false_match_rate - rates.false_non_match_rate).abs();
            let worse = rates.false_match_rate.max(rates.false_non_match_rate);
            if best.is_none_or(|(best_gap, best_rates)| {
                (gap, worse) < (best_gap, best_rates.false_match_rate.max(best_rates.false_non_match_rate))
            }) {
                best = Some((gap, rates));
            }
        }
        let mut rates = best.map(|(_, rates)| rates).unwrap_or(rates_at(genuine, impostor, 0.0));
        if let Some(gap) = separating_gap(genuine, impostor) {
            rates = rates_at(genuine, impostor, (gap.0 + gap.1) / 2.0);
        }
        rates
    }

    /// The rate the EER names: the mean of the two rates at the EER threshold.
    pub fn eer_value(rates: &Rates) -> f64 {
        (rates.false_match_rate + rates.false_non_match_rate) / 2.0
    }

    /// The lowest false non-match rate among thresholds whose false match rate is at most `fmr`.
    pub fn fnmr_at_fmr(genuine: &[f64], impostor: &[f64], fmr: f64) -> Rates {
        candidate_thresholds(genuine, impostor)
            .into_iter()
            .map(|threshold| rates_at(genuine, impostor, threshold))
            .filter(|rates| rates.false_match_rate <= fmr)
            .min_by(|a, b| a.false_non_match_rate.total_cmp(&b.false_non_match_rate))
            .unwrap_or(rates_at(genuine, impostor, f64::INFINITY))
    }

    /// When every genuine score is above every impostor score: (highest impostor, lowest genuine).
    pub fn separating_gap(genuine: &[f64], impostor: &[f64]) -> Option<(f64, f64)> {
        let lowest_genuine = genuine.iter().copied().fold(f64::INFINITY, f64::min);
        let highest_impostor = impostor.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lowest_genuine > highest_impostor && !genuine.is_empty() && !impostor.is_empty())
            .then_some((highest_impostor, lowest_genuine))
    }
}

#[cfg(test)]
mod tests {
    use super::evaluation::*;
    use super::*;
    use crate::face::{EMBEDDING_LEN, FaceTemplate};

    fn face(direction: usize, tilt: f32) -> Template {
        let mut vector = vec![0f32; EMBEDDING_LEN];
        vector[direction] = 1.0;
        vector[(direction + 1) % EMBEDDING_LEN] = tilt;
        FaceAbis::template(&FaceTemplate::from_vector(&vector).unwrap())
    }

    #[test]
    fn enrolled_faces_are_verified_and_identified() {
        let mut abis = FaceAbis::new(Default::default(), 0.5);
        let (anna, boris) = (SubjectId("anna".to_owned()), SubjectId("boris".to_owned()));
        abis.enrol(&anna, &face(0, 0.0)).unwrap();
        abis.enrol(&anna, &face(0, 0.3)).unwrap();
        abis.enrol(&boris, &face(5, 0.0)).unwrap();
        assert_eq!(abis.subject_count(), 2);

        let probe = face(0, 0.1);
        assert!(abis.verify(&probe, &anna).unwrap().is_match);
        assert!(!abis.verify(&probe, &boris).unwrap().is_match);

        let found = abis.identify(&probe, 5).unwrap();
        let subjects: Vec<&str> = found.candidates.iter().map(|candidate| candidate.subject.0.as_str()).collect();
        assert_eq!(subjects, ["anna", "boris"], "one candidate per subject, best first");
        assert_eq!(found.hits().count(), 1);

        assert_eq!(abis.remove(&anna), Ok(2));
        assert_eq!(abis.identify(&probe, 5).unwrap().candidates.len(), 1);
        assert_eq!(abis.verify(&probe, &anna), Err(AbisError::UnknownSubject(anna)));
    }

    #[test]
    fn foreign_and_broken_templates_are_refused() {
        let mut abis = FaceAbis::new(Default::default(), 0.5);
        let subject = SubjectId("x".to_owned());
        let finger = Template { modality: Modality::Fingerprint, format: "iso-19794-2:2011".to_owned(), data: vec![1] };
        assert_eq!(
            abis.enrol(&subject, &finger),
            Err(AbisError::WrongModality { expected: Modality::Face, given: Modality::Fingerprint })
        );
        let short = Template { modality: Modality::Face, format: FACE_TEMPLATE_FORMAT.to_owned(), data: vec![0; 10] };
        assert!(matches!(abis.enrol(&subject, &short), Err(AbisError::InvalidTemplate(_))));
        let other = Template { format: "vendor-x".to_owned(), ..face(1, 0.0) };
        assert_eq!(abis.enrol(&subject, &other), Err(AbisError::UnsupportedFormat("vendor-x".to_owned())));
    }

    #[test]
    fn separable_scores_have_no_equal_error() {
        let genuine = [0.9, 0.8, 0.7];
        let impostor = [0.1, 0.2, 0.5];
        let rates = equal_error_rate(&genuine, &impostor);
        assert_eq!(eer_value(&rates), 0.0);
        assert!((rates.threshold - 0.6).abs() < 1e-12);
        assert_eq!(separating_gap(&genuine, &impostor), Some((0.5, 0.7)));
    }

    #[test]
    fn overlapping_scores_give_the_crossing_rate() {
        // One impostor of four above one genuine of four: at 0.55, one of each is wrong.
        let genuine = [0.9, 0.8, 0.7, 0.5];
        let impostor = [0.1, 0.2, 0.3, 0.6];
        let rates = equal_error_rate(&genuine, &impostor);
        assert_eq!(eer_value(&rates), 0.25);
        assert_eq!((rates.false_matches, rates.false_non_matches), (1, 1));
        let strict = fnmr_at_fmr(&genuine, &impostor, 0.0);
        assert_eq!(strict.false_match_rate, 0.0);
        assert_eq!(strict.false_non_match_rate, 0.25, "only 0.5 falls below the first threshold above 0.6");
    }
}
