//! Identity keys: the strong identifiers in a record that the deterministic resolver links on.
//!
//! - `doc:{document number}:{birth date}`: a document number alone can be reused across countries and
//!   mistyped into someone else's; with the birth date it is specific enough to link on.
//! - `inn:{taxpayer number}`: issued once per person, with control digits.
//!
//! Keys are listed strongest first. They are read from the typed record when it is at hand (right
//! after ingestion) and from the stored JSON otherwise (catching up, rebuilding).

use hospes_model::{Category, DocumentNumber, Payload, RecordEnvelope, RecordId, Subject};
use hospes_store::StoredRecord;
use serde_json::Value;

use crate::matching::{BirthDate, MatchRecord};

/// What resolution needs of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolutionInput {
    pub seq: i64,
    pub record_id: RecordId,
    pub supersedes: Vec<RecordId>,
    pub identity_keys: Vec<String>,
    /// What probabilistic matching reads of the record.
    pub match_record: MatchRecord,
}

/// The fields that identity keys are made of.
#[derive(Default)]
struct KeyFields {
    birth_date: Option<String>,
    document_numbers: Vec<String>,
    taxpayer_number: Option<String>,
}

impl KeyFields {
    /// Adds what the payload told (a document's numbers, a taxpayer number, the identity's birth
    /// date) to the matchable record.
    fn add_to(&self, record: &mut MatchRecord) {
        for number in &self.document_numbers {
            if !record.identifiers.documents.contains(number) {
                record.identifiers.documents.push(number.clone());
            }
        }
        if record.identifiers.taxpayer_number.is_none() {
            record.identifiers.taxpayer_number.clone_from(&self.taxpayer_number);
        }
        if record.birth_date.is_none() {
            record.birth_date = self.birth_date.as_deref().and_then(|text| BirthDate::parse(text).ok());
        }
    }

    fn into_keys(self) -> Vec<String> {
        let mut keys = Vec::with_capacity(self.document_numbers.len() + 1);
        if let Some(birth_date) = &self.birth_date {
            for number in &self.document_numbers {
                let key = format!("doc:{number}:{birth_date}");
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        if let Some(number) = self.taxpayer_number {
            keys.push(taxpayer_key(&number));
        }
        keys
    }
}

impl ResolutionInput {
    /// From a typed record, as ingestion has it.
    pub fn from_parts(seq: i64, envelope: &RecordEnvelope, subject: &Subject, payload: &Payload) -> Self {
        let mut fields = KeyFields {
            birth_date: subject.birth_date.map(|date| date.to_string()),
            document_numbers: subject.documents.iter().map(|document| document.number.to_string()).collect(),
            taxpayer_number: subject.taxpayer_number.as_ref().map(ToString::to_string),
        };
        match payload {
            Payload::Identity(identity) if fields.birth_date.is_none() => {
                fields.birth_date = Some(identity.birth_date.to_string());
            }
            Payload::Documents(document) => {
                fields.document_numbers.push(document.number.to_string());
                fields.document_numbers.extend(document.previous_number.as_ref().map(ToString::to_string));
            }
            Payload::Tax(tax) if fields.taxpayer_number.is_none() => {
                fields.taxpayer_number = tax.taxpayer_number.as_ref().map(ToString::to_string);
            }
            _ => {}
        }
        let mut match_record = MatchRecord::from_subject(envelope.record_id.to_string(), subject);
        fields.add_to(&mut match_record);
        Self {
            seq,
            record_id: envelope.record_id,
            supersedes: envelope.supersedes.clone(),
            identity_keys: fields.into_keys(),
            match_record,
        }
    }

    /// From a record ingestion has just appended.
    pub fn from_appended(record: &hospes_ingest::AppendedRecord) -> Self {
        Self::from_parts(record.seq, &record.envelope, &record.body.subject, &record.body.payload)
    }

    /// From a stored record, reading its JSON leniently: a field that no longer parses yields no key.
    pub fn from_stored(record: &StoredRecord) -> Self {
        let body = record.body_json().unwrap_or(Value::Null);
        let subject = body.get("subject").unwrap_or(&Value::Null);
        let payload = body.get("payload").unwrap_or(&Value::Null);
        let text = |value: &Value, field: &str| value.get(field).and_then(Value::as_str).map(str::to_owned);
        let mut fields = KeyFields {
            birth_date: text(subject, "birth_date"),
            document_numbers: subject
                .get("documents")
                .and_then(Value::as_array)
                .map(|documents| documents.iter().filter_map(|document| text(document, "number")).collect())
                .unwrap_or_default(),
            taxpayer_number: text(subject, "taxpayer_number"),
        };
        match record.envelope.category {
            Category::Identity if fields.birth_date.is_none() => fields.birth_date = text(payload, "birth_date"),
            Category::Documents => {
                fields
                    .document_numbers
                    .extend(["number", "previous_number"].into_iter().filter_map(|field| text(payload, field)));
            }
            Category::Tax if fields.taxpayer_number.is_none() => {
                fields.taxpayer_number = text(payload, "taxpayer_number")
            }
            _ => {}
        }
        // A subject that no longer parses still matches on what the key fields hold.
        let mut match_record = serde_json::from_value::<Subject>(subject.clone())
            .map(|subject| MatchRecord::from_subject(record.envelope.record_id.to_string(), &subject))
            .unwrap_or_else(|_| MatchRecord { id: record.envelope.record_id.to_string(), ..MatchRecord::default() });
        fields.add_to(&mut match_record);
        Self {
            seq: record.seq,
            record_id: record.envelope.record_id,
            supersedes: record.envelope.supersedes.clone(),
            identity_keys: fields.into_keys(),
            match_record,
        }
    }
}

/// The prefix under which every key of a document number is stored, for lookups by number alone.
pub fn document_key_prefix(number: &DocumentNumber) -> String {
    format!("doc:{number}:")
}

/// The taxpayer key of a number.
pub fn taxpayer_key(number: &str) -> String {
    format!("inn:{number}")
}
