//! Explanations: why two records were (or were not) taken for the same person, field by field.
//!
//! An officer reviewing a pair, and the person contesting a merge, see each field's comparison
//! level, its m and u, its weight in bits (log2 of the Bayes factor: +10 means the agreement is a
//! thousand times likelier between records of one person than of two), the term-frequency
//! adjustment for the value agreed on, and the total with the prior.

use serde::Serialize;

use super::cluster::Decision;
use super::compare::{AgreedValues, ComparisonVector, Field};
use super::model::{MatchModel, probability_of};

/// One field's part in the decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldExplanation {
    pub field: Field,
    /// The comparison level (`exact`, `day_month_swapped`, …), or `missing` when either record
    /// lacks the field.
    pub level: &'static str,
    /// Probability of this level among pairs of the same person.
    pub m: Option<f64>,
    /// Probability of this level among pairs of different people.
    pub u: Option<f64>,
    /// log2(m/u): the evidence of the level, in bits (0 when missing).
    pub weight: f64,
    /// The value both records hold, when the weight was adjusted for how common it is.
    pub agreed_value: Option<String>,
    /// The share of records that hold the agreed value.
    pub agreed_value_share: Option<f64>,
    /// The adjustment for how common the agreed value is, in bits (negative for common names).
    pub term_frequency_adjustment: f64,
}

/// The explanation of a pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub left: String,
    pub right: String,
    /// The prior log2-odds that two records picked at random are the same person.
    pub prior_weight: f64,
    pub fields: Vec<FieldExplanation>,
    /// The prior plus every field's weight and adjustment: the posterior log2-odds.
    pub match_weight: f64,
    pub match_probability: f64,
    pub decision: Decision,
}

/// The agreed value of a term-frequency adjusted field, as text and as its share of the records.
pub(crate) struct AgreedShare {
    pub(crate) text: String,
    pub(crate) share: f64,
}

/// Builds the explanation of a comparison vector. `agreed` resolves the value agreed on in a
/// field, if that field's level is adjusted for term frequency.
pub(crate) fn explain_vector(
    model: &MatchModel,
    (left, right): (&str, &str),
    vector: &ComparisonVector,
    mut agreed: impl FnMut(Field) -> Option<AgreedShare>,
    thresholds: (f64, f64),
) -> Explanation {
    let mut total = model.prior_weight();
    let fields = Field::ALL
        .iter()
        .map(|field| {
            let parameters = model.field(*field);
            match vector.level(*field) {
                None => FieldExplanation {
                    field: *field,
                    level: "missing",
                    m: None,
                    u: None,
                    weight: 0.0,
                    agreed_value: None,
                    agreed_value_share: None,
                    term_frequency_adjustment: 0.0,
                },
                Some(level) => {
                    let weight = parameters.weight(level);
                    let value = field.adjusted_level(level).then(|| agreed(*field)).flatten();
                    let adjustment =
                        value.as_ref().map_or(0.0, |value| model.term_frequency_adjustment(*field, value.share));
                    total += weight + adjustment;
                    FieldExplanation {
                        field: *field,
                        level: field.levels().get(level as usize).copied().unwrap_or("unknown"),
                        m: parameters.m.get(level as usize).copied(),
                        u: parameters.u.get(level as usize).copied(),
                        weight,
                        agreed_value_share: value.as_ref().map(|value| value.share),
                        agreed_value: value.map(|value| value.text),
                        term_frequency_adjustment: adjustment,
                    }
                }
            }
        })
        .collect();
    let (upper, lower) = thresholds;
    let decision = if total >= upper {
        Decision::Same
    } else if total >= lower {
        Decision::Review
    } else {
        Decision::Different
    };
    Explanation {
        left: left.to_owned(),
        right: right.to_owned(),
        prior_weight: model.prior_weight(),
        fields,
        match_weight: total,
        match_probability: probability_of(total),
        decision,
    }
}

/// Which value to look up for an adjusted field.
pub(crate) fn agreed_id(field: Field, agreed: &AgreedValues) -> Option<u32> {
    match field {
        Field::Surname => agreed.surname,
        Field::GivenName => agreed.given,
        Field::Patronymic => agreed.patronymic,
        _ => None,
    }
}
