//! The derived views of one person — status and trust level — computed from their records when asked.
//!
//! Computing on read is what keeps the status incremental: a new record changes nothing until that
//! person is asked about, and then only their records are read and evaluated (a few microseconds for
//! the rules; see `hospes bench status`). Nothing is recomputed for everyone when one record arrives.

use std::collections::HashSet;

use hospes_model::{Date, Record, RecordId, record_from_canonical_body};
use hospes_rules::status::{
    IdentityLinkRef, StatusHistory, StatusInput, StatusReport, StatusRules, TrustReport, evaluate, status_history,
    trust_level,
};
use hospes_store::StoredRecord;

/// A person's records in typed form, and what could not be read.
#[derive(Debug, Default)]
pub struct TypedRecords {
    pub records: Vec<Record>,
    /// Records whose body retention destroyed: they no longer count.
    pub destroyed: Vec<RecordId>,
    /// Records whose stored body no longer fits the model (logged; they do not count).
    pub unreadable: Vec<RecordId>,
}

/// Turns stored records into typed ones for the rules.
pub fn typed_records(stored: &[StoredRecord]) -> TypedRecords {
    let mut typed = TypedRecords { records: Vec::with_capacity(stored.len()), ..TypedRecords::default() };
    for record in stored {
        let record_id = record.envelope.record_id;
        let Some(body) = &record.body else {
            typed.destroyed.push(record_id);
            continue;
        };
        match record_from_canonical_body(record.envelope.clone(), body) {
            Ok(record) => typed.records.push(record),
            Err(error) => {
                tracing::warn!(%record_id, %error, "a stored record cannot be read for the status");
                typed.unreadable.push(record_id);
            }
        }
    }
    typed
}

/// What, besides the records, the derived views read: contests, decisions and identity links, and
/// the day whose knowledge to use.
#[derive(Debug, Default, Clone)]
pub struct Annotations {
    pub contested: HashSet<RecordId>,
    pub overturned: HashSet<RecordId>,
    pub unresolved_identity_links: Vec<IdentityLinkRef>,
    /// Count the records received by this day (today: everything known now); see
    /// [`StatusInput::known_on`].
    pub known_on: Option<Date>,
}

/// Status and trust level of one person on a day.
pub fn derive(
    rules: &StatusRules,
    records: &[Record],
    annotations: &Annotations,
    as_of: Date,
) -> (StatusReport, TrustReport) {
    let input = input(records, annotations);
    (evaluate(rules, &input, as_of), trust_level(&input, as_of))
}

/// Every change of status between two days.
pub fn history(
    rules: &StatusRules,
    records: &[Record],
    annotations: &Annotations,
    from: Date,
    to: Date,
) -> StatusHistory {
    status_history(rules, &input(records, annotations), from, to)
}

fn input<'a>(records: &'a [Record], annotations: &'a Annotations) -> StatusInput<'a> {
    StatusInput {
        records,
        contested: &annotations.contested,
        overturned: &annotations.overturned,
        unresolved_identity_links: &annotations.unresolved_identity_links,
        known_on: annotations.known_on,
    }
}

/// The stays (entry to exit) that a person's border crossings record, in time order. An entry
/// without a later exit is a stay still going on; an exit without an entry before it, or a second
/// entry before an exit, is a gap in the records and is skipped rather than guessed at.
pub fn stays_from_crossings(records: &[Record]) -> Vec<hospes_rules::stay::Stay> {
    use hospes_model::{Category, Payload};
    let mut crossings: Vec<(chrono::NaiveDate, bool)> = records
        .iter()
        .filter(|record| record.envelope.category == Category::BorderCrossings)
        .filter_map(|record| match (&record.body.payload, record.envelope.kind.as_str()) {
            (Payload::BorderCrossings(crossing), "entry") => Some((crossing.crossed_at.date(), true)),
            (Payload::BorderCrossings(crossing), "exit") => Some((crossing.crossed_at.date(), false)),
            _ => None,
        })
        .collect();
    crossings.sort();
    let mut stays = Vec::new();
    let mut entered: Option<chrono::NaiveDate> = None;
    for (day, is_entry) in crossings {
        match (entered, is_entry) {
            (None, true) => entered = Some(day),
            (Some(entry), false) => {
                stays.push(hospes_rules::stay::Stay::closed(entry, day));
                entered = None;
            }
            _ => tracing::debug!(%day, "a crossing that does not pair up is skipped for the permitted stay"),
        }
    }
    stays.extend(entered.map(hospes_rules::stay::Stay::open));
    stays
}

/// The last day the person may stay on `today`'s knowledge: the end of a visa, residence permit or
/// work permit in force, or else (or if later) the last day a continuous stay keeps within 90 days in
/// any 180. `None` when neither allows even today (an overstay) or the crossings contradict.
pub fn permitted_stay_until(records: &[Record], today: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
    use hospes_model::Category;
    let covered_until = records
        .iter()
        .filter(|record| {
            let envelope = &record.envelope;
            matches!(
                (envelope.category, envelope.kind.as_str()),
                (Category::Visas, "issued")
                    | (Category::ResidencePermits, "temporary_residence_permit" | "residence_permit")
                    | (Category::WorkPermits, _)
            ) && envelope.effective_from.naive() <= today
        })
        .filter_map(|record| record.envelope.effective_to.map(Date::naive))
        .filter(|end| *end >= today)
        .max();
    let stays = stays_from_crossings(records);
    let visa_free = hospes_rules::stay::calculate_stay(&stays, today, None, hospes_rules::stay::StayRule::default())
        .ok()
        .and_then(|report| report.possible_stay_until);
    covered_until.max(visa_free)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
    use chrono::NaiveDate;
    use hospes_model::{Agency, AgencyId, Category, Timestamp};

    use super::*;

    const EVERY_CATEGORY: &str = include_str!("../../../examples/every-category.ndjson");

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// Typed records from example lines with some text replaced (`(record id, [(from, to)])`).
    fn records(lines: &[(&str, &[(&str, &str)])]) -> Vec<Record> {
        let agency = Agency {
            id: AgencyId::parse("test_agency").unwrap(),
            name: "Test".into(),
            categories: Category::ALL.into_iter().collect(),
        };
        let batch: Vec<String> = lines
            .iter()
            .map(|(id, replacements)| {
                let mut line = EVERY_CATEGORY
                    .lines()
                    .find(|line| line.contains(&format!("\"record_id\":\"{id}\"")))
                    .unwrap()
                    .to_owned();
                for (from, to) in *replacements {
                    assert!(line.contains(from), "{id} has no {from}");
                    line = line.replace(from, to);
                }
                line
            })
            .collect();
        let received = Timestamp::parse("2025-12-01T00:00:00Z").unwrap();
        hospes_ingest::validate_batch(&agency, batch.join("\n").as_bytes(), received, &Default::default())
            .unwrap()
            .into_iter()
            .map(|record| Record { envelope: record.envelope, body: record.body })
            .collect()
    }

    #[test]
    fn a_visa_free_stay_ends_after_90_days_in_180() {
        let entry: &[(&str, &str)] =
            &[("2024-03-01T06:40:00+03:00", "2024-06-01T12:00:00Z"), ("\"2024-03-01\"", "\"2024-06-01\"")];
        let held = records(&[("BC-1", entry)]);
        assert_eq!(stays_from_crossings(&held).len(), 1);
        // In since 1 June, nothing before: the 90th day is 29 August.
        assert_eq!(permitted_stay_until(&held, day("2024-06-10")), Some(day("2024-08-29")));
        // On 1 September the 90 days are spent: no day is left.
        assert_eq!(permitted_stay_until(&held, day("2024-09-01")), None);
    }

    #[test]
    fn a_patent_in_force_carries_the_stay_to_its_end() {
        let held = records(&[("BC-1", &[]), ("WP-1", &[])]);
        assert_eq!(permitted_stay_until(&held, day("2024-06-10")), Some(day("2025-03-14")));
        // After the patent ends, only the crossings count, and the stay since March is far over 90 days.
        assert_eq!(permitted_stay_until(&held, day("2025-04-01")), None);
    }
}
