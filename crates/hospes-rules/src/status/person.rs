//! One person's records as the rules see them on one day: only what was known and in effect by then,
//! with corrections applied, indexed by category once so that each rule reads only its own categories.

use chrono::NaiveDate;
use hospes_model::{Category, Payload, Record, RecordId};

use super::selector::{LabourMigrantDefinition, Selector};
use super::{IdentityLinkKind, IdentityLinkRef, StatusInput};
use crate::stay::Stay;

/// A record that counts on the day, with what the rules read from its envelope.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub record: &'a Record,
    pub category: Category,
    /// The bit of the record's kind in its category's code list (see [`Selector::kind_bit`]).
    pub kind_bit: u8,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    /// Orders records of one day: the crossing time for border crossings, else 0.
    order: i64,
}

impl<'a> Entry<'a> {
    fn new(record: &'a Record) -> Entry<'a> {
        let envelope = &record.envelope;
        let order = match &record.body.payload {
            Payload::BorderCrossings(crossing) => crossing.crossed_at.utc().timestamp(),
            _ => 0,
        };
        Entry {
            record,
            category: envelope.category,
            kind_bit: Selector::kind_bit(envelope.category, &envelope.kind),
            from: envelope.effective_from.naive(),
            to: envelope.effective_to.map(hospes_model::Date::naive),
            order,
        }
    }

    pub fn id(&self) -> RecordId {
        self.record.envelope.record_id
    }

    pub fn kind(&self) -> &'a str {
        &self.record.envelope.kind
    }

    pub fn payload(&self) -> &'a Payload {
        &self.record.body.payload
    }

    /// Whether the record's effective period covers `day` (an open-ended one covers every day from
    /// its start).
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| day <= to)
    }
}

/// Whether a record counts on `day`: not overturned, received by then, and in effect by then.
pub fn counts_on(record: &Record, day: NaiveDate, input: &StatusInput<'_>) -> bool {
    let envelope = &record.envelope;
    let known_by = input.known_on.map_or(day, hospes_model::Date::naive);
    envelope.received_at.date() <= known_by
        && envelope.effective_from.naive() <= day
        // Most persons have nothing overturned: skip hashing every id then.
        && (input.overturned.is_empty() || !input.overturned.contains(&envelope.record_id))
}

/// A person's records on a day.
pub struct PersonView<'a> {
    pub as_of: NaiveDate,
    pub input: &'a StatusInput<'a>,
    /// The records that count, sorted by category, then effective date, then time of day.
    entries: Vec<Entry<'a>>,
    /// `ranges[category as usize]`: the slice of `entries` of that category.
    ranges: [(usize, usize); Category::ALL.len()],
    /// The entry crossing (an index into `entries`) that began the stay the person is in on the day.
    stay_entry: Option<usize>,
}

impl<'a> PersonView<'a> {
    /// Keeps the records that count on `as_of`, drops those that a counting record supersedes (a
    /// correction, a lifting, a cancellation, a later version), and indexes the rest by category.
    /// One pass over the records and one sort of those that count.
    pub fn new(input: &'a StatusInput<'a>, as_of: NaiveDate) -> PersonView<'a> {
        let mut entries: Vec<Entry<'a>> = Vec::with_capacity(input.records.len());
        let mut any_supersedes = false;
        for record in input.records {
            if counts_on(record, as_of, input) {
                any_supersedes |= !record.envelope.supersedes.is_empty();
                entries.push(Entry::new(record));
            }
        }
        if any_supersedes {
            // Sorted, so that a person with many corrections costs n log n, not n².
            let mut superseded: Vec<RecordId> =
                entries.iter().flat_map(|entry| entry.record.envelope.supersedes.iter().copied()).collect();
            superseded.sort_unstable();
            entries.retain(|entry| superseded.binary_search(&entry.id()).is_err());
        }
        entries.sort_unstable_by_key(|entry| (entry.category as usize, entry.from, entry.order));
        let mut ranges = [(0, 0); Category::ALL.len()];
        let mut start = 0;
        while let Some(first) = entries.get(start) {
            let category = first.category;
            let end = start + entries[start..].iter().take_while(|entry| entry.category == category).count();
            if let Some(range) = ranges.get_mut(category as usize) {
                *range = (start, end);
            }
            start = end;
        }
        let mut view = PersonView { as_of, input, entries, ranges, stay_entry: None };
        view.stay_entry = view.find_stay_entry();
        view
    }

    /// The records of `category` that count, oldest first.
    pub fn of(&self, category: Category) -> &[Entry<'a>] {
        let (start, end) = self.ranges.get(category as usize).copied().unwrap_or((0, 0));
        self.entries.get(start..end).unwrap_or(&[])
    }

    /// The records that count and that `selector` selects.
    pub fn selected<'s>(&'s self, selector: &'s Selector) -> impl Iterator<Item = &'s Entry<'a>> + 's {
        self.of(selector.category).iter().filter(move |entry| selector.matches(entry))
    }

    /// Whether some record that `selector` selects is in force on the day.
    pub fn any_in_force(&self, selector: &Selector) -> bool {
        self.selected(selector).any(|entry| entry.in_force_on(self.as_of))
    }

    /// The entry crossing that began the stay the person is in on the day, if they are present.
    pub fn stay_entry(&self) -> Option<&Entry<'a>> {
        self.stay_entry.and_then(|index| self.entries.get(index))
    }

    /// Presence is read from border crossings alone, in time order: an entry begins a stay (a second
    /// entry without an exit between continues it: an exit went unrecorded or the entry was recorded
    /// twice), an exit ends it, a refusal of entry changes nothing. Someone with no crossing is not
    /// taken to be present.
    fn find_stay_entry(&self) -> Option<usize> {
        let (start, _) = self.ranges.get(Category::BorderCrossings as usize).copied()?;
        let entry_bit = Selector::kind_bit(Category::BorderCrossings, "entry");
        let exit_bit = Selector::kind_bit(Category::BorderCrossings, "exit");
        let mut open = None;
        for (offset, crossing) in self.of(Category::BorderCrossings).iter().enumerate() {
            if crossing.kind_bit == entry_bit && open.is_none() {
                open = Some(start + offset);
            } else if crossing.kind_bit == exit_bit {
                open = None;
            }
        }
        open
    }

    /// Every stay read from the crossings the same way, for the stay calculation; the last is open
    /// while the person is present.
    pub fn stays(&self) -> Vec<Stay> {
        let entry_bit = Selector::kind_bit(Category::BorderCrossings, "entry");
        let exit_bit = Selector::kind_bit(Category::BorderCrossings, "exit");
        let mut stays = Vec::new();
        let mut open: Option<NaiveDate> = None;
        for crossing in self.of(Category::BorderCrossings) {
            if crossing.kind_bit == entry_bit && open.is_none() {
                open = Some(crossing.from);
            } else if crossing.kind_bit == exit_bit
                && let Some(entry) = open.take()
            {
                stays.push(Stay::closed(entry, crossing.from));
            }
        }
        if let Some(entry) = open {
            stays.push(Stay::open(entry));
        }
        stays
    }

    /// Whether the person is a labour migrant on the day (see [`LabourMigrantDefinition`]).
    pub fn is_labour_migrant(&self, definition: &LabourMigrantDefinition) -> bool {
        let declared = match (&definition.entry, self.stay_entry()) {
            (Some(selector), Some(entry)) => selector.matches(entry),
            _ => false,
        };
        declared || definition.records.iter().any(|selector| self.any_in_force(selector))
    }

    /// Whether any identity record, or any record's subject, gives one of `codes` as a citizenship.
    pub fn has_citizenship(&self, codes: &[String]) -> bool {
        let listed = |code: &str| codes.iter().any(|candidate| candidate == code);
        self.entries.iter().any(|entry| {
            let subject = entry.record.body.subject.citizenship.as_ref().is_some_and(|code| listed(code.as_str()));
            let identity = match entry.payload() {
                Payload::Identity(identity) => identity.citizenships.iter().any(|code| listed(code.as_str())),
                _ => false,
            };
            subject || identity
        })
    }

    /// The unresolved identity links of `kinds` open on the day.
    pub fn open_links<'s>(&'s self, kinds: &'s [IdentityLinkKind]) -> impl Iterator<Item = &'a IdentityLinkRef> + 's {
        let as_of = self.as_of;
        self.input
            .unresolved_identity_links
            .iter()
            .filter(move |link| link.since.naive() <= as_of && kinds.contains(&link.kind))
    }

    pub fn is_contested(&self, record: RecordId) -> bool {
        !self.input.contested.is_empty() && self.input.contested.contains(&record)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use hospes_model::{AgencyId, RecordBody, RecordEnvelope, ShortText, SourceRecordId, Subject, Timestamp};

    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a test date")
    }

    /// A record of `category` and `kind`, effective and received on `from`, with the payload's JSON.
    fn record(number: u32, category: Category, kind: &str, from: &str, supersedes: &[RecordId], json: &str) -> Record {
        let agency = AgencyId::parse("border_service").expect("agency");
        let source = SourceRecordId::parse(&format!("R-{number}")).expect("source id");
        Record {
            envelope: RecordEnvelope {
                record_id: RecordId::derive(&agency, &source, 1),
                agency,
                source_record_id: source,
                source_version: 1,
                category,
                kind: kind.to_string(),
                effective_from: hospes_model::Date::parse(from).expect("date"),
                effective_to: None,
                legal_basis: ShortText::parse("test").expect("text"),
                received_at: Timestamp::parse(&format!("{from}T12:00:00Z")).expect("time"),
                sensitivity: category.sensitivity(),
                supersedes: supersedes.to_vec(),
            },
            body: RecordBody {
                subject: Subject::default(),
                payload: Payload::from_json(category, json).expect("payload"),
            },
        }
    }

    fn crossing(number: u32, kind: &str, at: &str) -> Record {
        let json = format!(r#"{{"crossed_at":"{at}","checkpoint":"Sheremetyevo"}}"#);
        record(number, Category::BorderCrossings, kind, &at[..10], &[], &json)
    }

    fn view<'a>(input: &'a StatusInput<'a>, on: &str) -> PersonView<'a> {
        PersonView::new(input, day(on))
    }

    fn input<'a>(records: &'a [Record], empty: &'a HashSet<RecordId>) -> StatusInput<'a> {
        StatusInput { records, contested: empty, overturned: empty, unresolved_identity_links: &[], known_on: None }
    }

    #[test]
    fn presence_follows_the_crossings_in_time_order() {
        let records = [
            crossing(3, "entry", "2024-05-01T20:00:00Z"),
            crossing(1, "entry", "2024-01-10T08:00:00Z"),
            // An entry with no exit before it continues the stay.
            crossing(2, "entry", "2024-02-01T08:00:00Z"),
            // Out in the morning, back in the evening of the same day.
            crossing(4, "exit", "2024-05-01T06:00:00Z"),
            crossing(5, "refusal_of_entry", "2024-06-01T08:00:00Z"),
            crossing(6, "exit", "2024-07-01T08:00:00Z"),
        ];
        let empty = HashSet::new();
        let input = input(&records, &empty);
        assert_eq!(view(&input, "2024-01-09").stay_entry().map(|entry| entry.from), None);
        assert_eq!(view(&input, "2024-03-01").stay_entry().map(|entry| entry.from), Some(day("2024-01-10")));
        assert_eq!(view(&input, "2024-05-02").stay_entry().map(|entry| entry.from), Some(day("2024-05-01")));
        assert_eq!(
            view(&input, "2024-06-02").stay_entry().map(|entry| entry.id()),
            Some(records[0].envelope.record_id)
        );
        assert_eq!(view(&input, "2024-07-01").stay_entry().map(|entry| entry.from), None);
        let stays: Vec<String> = view(&input, "2024-07-01").stays().iter().map(Stay::to_string).collect();
        assert_eq!(stays, ["2024-01-10..2024-05-01", "2024-05-01..2024-07-01"]);
        let stays: Vec<String> = view(&input, "2024-05-20").stays().iter().map(Stay::to_string).collect();
        assert_eq!(stays, ["2024-01-10..2024-05-01", "2024-05-01.."]);
    }

    #[test]
    fn superseded_overturned_and_future_records_do_not_count() {
        let notice = r#"{"notice_number":"WN-1","issuing_authority":"MVD"}"#;
        let first = record(1, Category::Wanted, "national", "2024-01-10", &[], notice);
        let cancelled = first.envelope.record_id;
        let records = [
            first,
            record(2, Category::Wanted, "cancellation", "2024-03-01", &[cancelled], notice),
            record(3, Category::Wanted, "international", "2024-02-01", &[], notice),
        ];
        let empty = HashSet::new();
        fn kinds(view: &PersonView<'_>) -> Vec<String> {
            view.of(Category::Wanted).iter().map(|entry| entry.kind().to_string()).collect()
        }
        let plain = input(&records, &empty);
        assert!(kinds(&view(&plain, "2024-01-09")).is_empty());
        assert_eq!(kinds(&view(&plain, "2024-02-15")), ["national", "international"]);
        assert_eq!(kinds(&view(&plain, "2024-03-01")), ["international", "cancellation"]);
        let overturned: HashSet<RecordId> = [records[1].envelope.record_id].into();
        let with_overturned = StatusInput {
            records: &records,
            contested: &empty,
            overturned: &overturned,
            unresolved_identity_links: &[],
            known_on: None,
        };
        assert_eq!(kinds(&view(&with_overturned, "2024-03-01")), ["national", "international"]);
        assert!(view(&plain, "2024-03-01").of(Category::Documents).is_empty());
    }
}
