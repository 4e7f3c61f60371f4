//! The building blocks of a condition: which records a rule looks at ([`Selector`]), how two records
//! are recognised as being about the same thing ([`Matching`]), and which persons an exception is for
//! ([`PersonPredicate`]).

use hospes_model::Category;

use super::fields::{FieldId, FieldValue};
use super::person::{Entry, PersonView};

/// Records of one category, of some of its kinds, optionally with given field values
/// (`{ category = "residence_permits", kinds = [...], where = { decision = ["granted"] } }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub category: Category,
    /// Bit `i` set: the `i`-th kind of `category.kinds()` is selected.
    kinds: u8,
    /// Sorted by field, each list of values sorted: two selectors that say the same are equal.
    filters: Vec<(FieldId, Vec<String>)>,
}

impl Selector {
    pub(crate) fn new(category: Category, kinds: u8, mut filters: Vec<(FieldId, Vec<String>)>) -> Selector {
        for (_, values) in &mut filters {
            values.sort_unstable();
            values.dedup();
        }
        filters.sort_by_key(|(field, _)| field.index());
        Selector { category, kinds, filters }
    }

    /// The bit of `kind` in a selector's kind set, or 0 for a kind the category does not have.
    pub fn kind_bit(category: Category, kind: &str) -> u8 {
        category
            .kinds()
            .iter()
            .position(|known| *known == kind)
            .and_then(|index| 1u8.checked_shl(index as u32))
            .unwrap_or(0)
    }

    pub fn matches(&self, entry: &Entry<'_>) -> bool {
        entry.category == self.category
            && self.kinds & entry.kind_bit != 0
            && self.filters.iter().all(|(field, accepted)| match field.read(entry.payload()) {
                FieldValue::Text(value) => accepted.iter().any(|candidate| candidate == value),
                _ => false,
            })
    }

    /// The selector in words, for reasons: "residence permits (temporary residence permit or residence
    /// permit; decision granted)".
    pub fn describe(&self) -> String {
        let filters: String = self
            .filters
            .iter()
            .map(|(field, values)| format!("; {} {}", field.name().replace('_', " "), values.join(" or ")))
            .collect();
        format!("{} ({}{filters})", self.category.as_str().replace('_', " "), self.describe_kinds())
    }

    /// The selected kinds in words, for reasons: "passport, travel document or identity card".
    pub fn describe_kinds(&self) -> String {
        let names: Vec<String> = self
            .category
            .kinds()
            .iter()
            .enumerate()
            .filter(|(index, _)| self.kinds & 1u8.checked_shl(*index as u32).unwrap_or(0) != 0)
            .map(|(_, kind)| kind.replace('_', " "))
            .collect();
        match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

/// Pairs of fields that must hold equal values for two records to be about the same thing: a fine
/// and its payment (`case_number` = `case_number`), a patent and its advance payments (`number` =
/// `patent_number`). A field absent on either side never matches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Matching {
    /// Sorted, so that two matchings that say the same are equal.
    pairs: Vec<(FieldId, FieldId)>,
}

impl Matching {
    pub(crate) fn new(mut pairs: Vec<(FieldId, FieldId)>) -> Matching {
        pairs.sort_by_key(|(left, right)| (left.index(), right.index()));
        Matching { pairs }
    }

    /// Whether `left` (read with the first field of each pair) and `right` (the second) match. With
    /// no pairs, every two records match.
    pub fn matches(&self, left: &Entry<'_>, right: &Entry<'_>) -> bool {
        self.pairs.iter().all(|(left_field, right_field)| {
            let value = left_field.read(left.payload());
            value != FieldValue::Absent && value == right_field.read(right.payload())
        })
    }

    /// The first matched value of `entry`, to name the thing in a reason ("case 5-118/2024").
    pub fn key_of(&self, entry: &Entry<'_>) -> Option<String> {
        self.pairs.first().and_then(|(field, _)| field.read(entry.payload()).describe())
    }
}

/// Which persons a deadline exception or an exemption is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonPredicate {
    /// A labour migrant as the file's `[labour_migrant]` table defines one.
    LabourMigrant,
    /// A citizen of one of these states (ISO 3166-1 alpha-3), as any identity record or record
    /// subject says. Used for treaty rules (the Eurasian Economic Union's citizens work without a
    /// patent), never to weigh a status by nationality.
    Citizenship(Vec<String>),
}

impl PersonPredicate {
    pub fn holds(&self, view: &PersonView<'_>, labour_migrant: &LabourMigrantDefinition) -> bool {
        match self {
            PersonPredicate::LabourMigrant => view.is_labour_migrant(labour_migrant),
            PersonPredicate::Citizenship(codes) => view.has_citizenship(codes),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            PersonPredicate::LabourMigrant => "a labour migrant".to_string(),
            PersonPredicate::Citizenship(codes) => format!("a citizen of {}", codes.join(", ")),
        }
    }
}

/// Who counts as a labour migrant on a day: someone whose entry into the current stay declared one of
/// the file's purposes, or who holds a record in force of one of its selectors (a patent, a work
/// permit, an employment contract).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabourMigrantDefinition {
    /// Entry crossings whose `declared_purpose` is one of the file's `declared_purposes`.
    pub entry: Option<Selector>,
    pub records: Vec<Selector>,
}
