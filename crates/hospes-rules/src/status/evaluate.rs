//! Evaluation: every rule against one person on one day, and the report that says what fired and why.

use hospes_model::{Date, RecordId};
use serde::Serialize;

use super::StatusInput;
use super::file::StatusRules;
use super::person::PersonView;
use super::reason::sentence;

/// The status colours, least severe first (so the status is the maximum of the fired rules').
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    Green,
    Yellow,
    Red,
}

impl Colour {
    pub fn as_str(self) -> &'static str {
        match self {
            Colour::Green => "green",
            Colour::Yellow => "yellow",
            Colour::Red => "red",
        }
    }
}

/// A person's status on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusReport {
    pub colour: Colour,
    pub as_of: Date,
    /// The `version` of the rules file that produced it.
    pub rules_version: String,
    /// The rules that fired, in the order of the rules file.
    pub fired: Vec<FiredRule>,
}

/// One rule that fired, with its reason and the records behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiredRule {
    pub rule_id: String,
    pub colour: Colour,
    /// In plain words, with the dates that matter.
    pub reason: String,
    pub record_ids: Vec<RecordId>,
    /// Those of `record_ids` that the person contests.
    pub contested_record_ids: Vec<RecordId>,
    /// The identity links behind the rule (for the unresolved-link rule).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identity_link_ids: Vec<String>,
}

impl FiredRule {
    /// What identifies this firing across days: the rule and what it rests on (not the reason, whose
    /// counts change from day to day).
    pub(crate) fn same_firing(&self, other: &FiredRule) -> bool {
        self.rule_id == other.rule_id
            && self.record_ids == other.record_ids
            && self.identity_link_ids == other.identity_link_ids
    }
}

/// The status of the person whose records `input` holds, on `as_of`.
pub fn evaluate(rules: &StatusRules, input: &StatusInput<'_>, as_of: Date) -> StatusReport {
    let view = PersonView::new(input, as_of.naive());
    let fired = fire(rules, &view);
    StatusReport { colour: colour_of(&fired), as_of, rules_version: rules.version().to_string(), fired }
}

pub(crate) fn colour_of(fired: &[FiredRule]) -> Colour {
    fired.iter().map(|rule| rule.colour).max().unwrap_or(Colour::Green)
}

/// Every rule that fires on the view's day.
pub(crate) fn fire(rules: &StatusRules, view: &PersonView<'_>) -> Vec<FiredRule> {
    let mut fired = Vec::new();
    for rule in &rules.rules {
        let stay_entry = view.stay_entry();
        if rule.while_present && stay_entry.is_none() {
            continue;
        }
        let Some(mut finding) = rule.check.find(view, &rules.context) else { continue };
        if rule.while_present
            && let Some(stay_entry) = stay_entry
        {
            finding.detail.push_str(&format!("; in the country since {}", stay_entry.from));
            if !finding.records.contains(&stay_entry.id()) {
                finding.records.push(stay_entry.id());
            }
        }
        let contested: Vec<RecordId> =
            finding.records.iter().copied().filter(|record| view.is_contested(*record)).collect();
        fired.push(FiredRule {
            rule_id: rule.id.clone(),
            colour: rule.colour,
            reason: sentence(&rule.label, &finding.detail, &contested),
            record_ids: finding.records,
            contested_record_ids: contested,
            identity_link_ids: finding.links,
        });
    }
    fired
}
