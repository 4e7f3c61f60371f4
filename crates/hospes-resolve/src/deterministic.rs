//! The simple deterministic resolver: a record belongs to the person who already holds one of its
//! identity keys (document number with birth date, or taxpayer number); a correction belongs to the
//! person of the record it supersedes; anything else starts a new person.
//!
//! It never merges two existing persons. When a record's keys point at two different persons, the
//! record goes to the person of its strongest key and the other key is recorded against that person
//! too, so the ambiguity is visible (a key with two persons) for entity resolution to settle.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use hospes_model::{PersonId, RecordId};
use hospes_store::{NewPerson, RecordAssignment, WriteTransaction};

use crate::keys::ResolutionInput;
use crate::{PageResolution, ResolveError, Resolver};

/// Same document and birth date, or same taxpayer number.
#[derive(Debug, Default, Clone, Copy)]
pub struct DeterministicResolver;

#[async_trait]
impl Resolver for DeterministicResolver {
    fn name(&self) -> &'static str {
        "deterministic"
    }

    async fn resolve_page(
        &self,
        transaction: &mut dyn WriteTransaction,
        records: &[ResolutionInput],
    ) -> Result<PageResolution, ResolveError> {
        // What earlier pages decided: the persons of every key and every superseded record we meet.
        let mut all_keys: Vec<String> =
            records.iter().flat_map(|record| record.identity_keys.iter().cloned()).collect();
        all_keys.sort();
        all_keys.dedup();
        let mut persons_by_key: HashMap<String, Vec<PersonId>> = transaction.persons_for_keys(&all_keys).await?;
        let superseded: Vec<RecordId> = records.iter().flat_map(|record| record.supersedes.iter().copied()).collect();
        let mut person_by_record: HashMap<RecordId, PersonId> = transaction.persons_for_records(&superseded).await?;

        let mut page = PageResolution::default();
        let mut new_key_pairs: HashSet<(String, PersonId)> = HashSet::new();
        for record in records {
            let keys = &record.identity_keys;
            let by_supersession =
                record.supersedes.iter().find_map(|superseded| person_by_record.get(superseded).copied());
            let by_key =
                keys.iter().find_map(|key| persons_by_key.get(key).and_then(|persons| persons.first().copied()));
            let person = match by_supersession.or(by_key) {
                Some(person) => person,
                None => {
                    let person = PersonId::first_named_by(record.record_id);
                    page.new_persons.push(NewPerson { person_id: person, created_seq: record.seq });
                    person
                }
            };
            for key in keys {
                let holders = persons_by_key.entry(key.clone()).or_default();
                if !holders.contains(&person) {
                    holders.push(person);
                    if holders.len() == 2 {
                        page.ambiguous_keys += 1;
                    }
                    if new_key_pairs.insert((key.clone(), person)) {
                        page.identity_keys.push((key.clone(), person));
                    }
                }
            }
            person_by_record.insert(record.record_id, person);
            page.assignments.push(RecordAssignment { person_id: person, seq: record.seq, record_id: record.record_id });
        }
        Ok(page)
    }
}
