//! The profile of a person: their records, projected into the current value of each category.
//!
//! Nothing is overwritten in Hospes, so "current" is a reading of the history: a record is current
//! unless a later record supersedes it (a new version, a correction, a lifting), and some categories
//! keep only their newest record (the latest registration, the latest crossing) while others keep every
//! current one (documents, offences, family ties). Every value carries the ids of the records it came
//! from. The identity block gathers every spelling of the person's name, every birth date, document and
//! number that any agency used, each with its sources, so an officer sees where the agencies disagree.

use std::collections::{BTreeMap, HashSet};

use hospes_model::{AgencyId, Category, Date, PersonId, RecordId, Timestamp};
use hospes_store::StoredRecord;
use serde_json::Value;

/// A value and the records that state it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub sources: Vec<RecordId>,
}

/// Everything the agencies say about who the person is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentitySummary {
    /// Each distinct spelling, as JSON `{"surname", "given_names", "patronymic"}`.
    pub names: Vec<Sourced<Value>>,
    pub birth_dates: Vec<Sourced<String>>,
    pub sexes: Vec<Sourced<String>>,
    pub citizenships: Vec<Sourced<String>>,
    /// Documents as `KIND COUNTRY NUMBER` (e.g. `passport UZB FA1234567`).
    pub documents: Vec<Sourced<String>>,
    pub taxpayer_numbers: Vec<Sourced<String>>,
}

/// One current record of a category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentEntry {
    pub record_id: RecordId,
    pub agency: AgencyId,
    pub kind: String,
    pub effective_from: Date,
    pub effective_to: Option<Date>,
    pub received_at: Timestamp,
    pub legal_basis: String,
    /// The payload, or `None` when retention destroyed it.
    pub payload: Option<Value>,
}

/// A category's current value(s) and how much history lies behind them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryView {
    pub current: Vec<CurrentEntry>,
    pub total_records: usize,
    pub superseded_records: usize,
}

/// A record whose body retention destroyed: what it was, and when and why it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestroyedEntry {
    pub record_id: RecordId,
    pub category: Category,
    pub kind: String,
    pub agency: AgencyId,
    pub effective_from: Date,
    pub received_at: Timestamp,
    /// When its retention period ended (RFC 3339).
    pub expired_at: String,
    /// When it was destroyed (RFC 3339).
    pub destroyed_at: String,
    /// The retention rule, in words.
    pub rule: String,
}

/// A person's profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub person_id: PersonId,
    pub identity: IdentitySummary,
    pub categories: BTreeMap<Category, CategoryView>,
    pub record_count: usize,
    /// Records destroyed under the retention schedule, oldest first.
    pub destroyed: Vec<DestroyedEntry>,
}

/// How a category's current value is read from its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrentPolicy {
    /// Every record that nothing supersedes (documents, offences, family ties).
    AllCurrent,
    /// Only the newest record (the latest registration, the latest crossing).
    Newest,
    /// The newest record of each kind (the latest phone and the latest e-mail).
    NewestPerKind,
}

/// The reading of each category.
pub fn current_policy(category: Category) -> CurrentPolicy {
    use Category::*;
    match category {
        Identity
        | PreArrival
        | BorderCrossings
        | MigrationRegistration
        | PatentPayments
        | SocialInsurance
        | MedicalInsurance
        | LanguageExams
        | MedicalExams
        | ControlledRegister => CurrentPolicy::Newest,
        Biometrics | Contacts | ResidencePermits | WorkPermits => CurrentPolicy::NewestPerKind,
        Documents | Family | Visas | Employment | Tax | Property | Education | Offences | Convictions | EntryBans
        | Wanted => CurrentPolicy::AllCurrent,
    }
}

impl Profile {
    /// Projects a person's records (in any order) into their profile.
    pub fn project(person_id: PersonId, records: &[StoredRecord]) -> Profile {
        let superseded: HashSet<RecordId> =
            records.iter().flat_map(|record| record.envelope.supersedes.iter().copied()).collect();
        let mut by_category: BTreeMap<Category, Vec<&StoredRecord>> = BTreeMap::new();
        for record in records {
            by_category.entry(record.envelope.category).or_default().push(record);
        }
        let categories = by_category
            .into_iter()
            .map(|(category, mut records)| {
                // Newest first: by effective date, then by arrival.
                records.sort_by(|left, right| {
                    (right.envelope.effective_from, right.seq).cmp(&(left.envelope.effective_from, left.seq))
                });
                let total_records = records.len();
                let live: Vec<&StoredRecord> =
                    records.into_iter().filter(|record| !superseded.contains(&record.envelope.record_id)).collect();
                let superseded_records = total_records - live.len();
                let chosen: Vec<&StoredRecord> = match current_policy(category) {
                    CurrentPolicy::AllCurrent => live,
                    CurrentPolicy::Newest => live.into_iter().take(1).collect(),
                    CurrentPolicy::NewestPerKind => {
                        let mut kinds_seen = HashSet::new();
                        live.into_iter().filter(|record| kinds_seen.insert(record.envelope.kind.clone())).collect()
                    }
                };
                let view = CategoryView {
                    current: chosen.into_iter().map(current_entry).collect(),
                    total_records,
                    superseded_records,
                };
                (category, view)
            })
            .collect();
        let destroyed = records
            .iter()
            .filter_map(|record| {
                let destruction = record.destruction.as_ref()?;
                let envelope = &record.envelope;
                Some(DestroyedEntry {
                    record_id: envelope.record_id,
                    category: envelope.category,
                    kind: envelope.kind.clone(),
                    agency: envelope.agency.clone(),
                    effective_from: envelope.effective_from,
                    received_at: envelope.received_at,
                    expired_at: destruction.expired_at.clone(),
                    destroyed_at: destruction.destroyed_at.clone(),
                    rule: destruction.rule.clone(),
                })
            })
            .collect();
        Profile {
            person_id,
            identity: summarise_identity(records, &superseded),
            categories,
            record_count: records.len(),
            destroyed,
        }
    }
}

fn current_entry(record: &StoredRecord) -> CurrentEntry {
    let envelope = &record.envelope;
    CurrentEntry {
        record_id: envelope.record_id,
        agency: envelope.agency.clone(),
        kind: envelope.kind.clone(),
        effective_from: envelope.effective_from,
        effective_to: envelope.effective_to,
        received_at: envelope.received_at,
        legal_basis: envelope.legal_basis.to_string(),
        payload: record.body_json().and_then(|mut body| body.get_mut("payload").map(Value::take)),
    }
}

/// Adds `value` with `source`, keeping one entry per distinct value in order of first appearance.
fn add_sourced<T: PartialEq>(list: &mut Vec<Sourced<T>>, value: T, source: RecordId) {
    match list.iter_mut().find(|existing| existing.value == value) {
        Some(existing) => {
            if !existing.sources.contains(&source) {
                existing.sources.push(source);
            }
        }
        None => list.push(Sourced { value, sources: vec![source] }),
    }
}

fn summarise_identity(records: &[StoredRecord], superseded: &HashSet<RecordId>) -> IdentitySummary {
    let mut ordered: Vec<&StoredRecord> =
        records.iter().filter(|record| !superseded.contains(&record.envelope.record_id)).collect();
    ordered.sort_by_key(|record| record.seq);
    let mut summary = IdentitySummary::default();
    for record in ordered {
        let Some(body) = record.body_json() else {
            continue;
        };
        let source = record.envelope.record_id;
        let subject = body.get("subject").unwrap_or(&Value::Null);
        let payload = body.get("payload").unwrap_or(&Value::Null);
        let is_identity = record.envelope.category == Category::Identity;
        let mut names: Vec<&Value> =
            subject.get("names").and_then(Value::as_array).map(|names| names.iter().collect()).unwrap_or_default();
        if is_identity && let Some(more) = payload.get("names").and_then(Value::as_array) {
            names.extend(more);
        }
        for name in names {
            add_sourced(&mut summary.names, name.clone(), source);
        }
        let text = |value: &Value, field: &str| value.get(field).and_then(Value::as_str).map(str::to_owned);
        let mut birth_dates = vec![text(subject, "birth_date")];
        let mut sexes = vec![text(subject, "sex")];
        let mut citizenships = vec![text(subject, "citizenship")];
        if is_identity {
            birth_dates.push(text(payload, "birth_date"));
            sexes.push(text(payload, "sex"));
            if let Some(list) = payload.get("citizenships").and_then(Value::as_array) {
                citizenships.extend(list.iter().map(|code| code.as_str().map(str::to_owned)));
            }
        }
        for value in birth_dates.into_iter().flatten() {
            add_sourced(&mut summary.birth_dates, value, source);
        }
        for value in sexes.into_iter().flatten() {
            add_sourced(&mut summary.sexes, value, source);
        }
        for value in citizenships.into_iter().flatten() {
            add_sourced(&mut summary.citizenships, value, source);
        }
        if let Some(documents) = subject.get("documents").and_then(Value::as_array) {
            for document in documents {
                if let (Some(kind), Some(country), Some(number)) =
                    (text(document, "kind"), text(document, "issuing_country"), text(document, "number"))
                {
                    add_sourced(&mut summary.documents, format!("{kind} {country} {number}"), source);
                }
            }
        }
        if let Some(number) = text(subject, "taxpayer_number") {
            add_sourced(&mut summary.taxpayer_numbers, number, source);
        }
    }
    summary
}
