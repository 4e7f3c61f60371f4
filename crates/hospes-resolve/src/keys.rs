//! Identity keys: the strong identifiers in a record that the deterministic resolver links on.
//!
//! - `doc:{document number}:{birth date}`: a document number alone can be reused across countries and
//!   mistyped into someone else's; with the birth date it is specific enough to link on.
//! - `inn:{taxpayer number}`: issued once per person, with control digits.
//!
//! Keys are listed strongest first.

use hospes_model::{Category, DocumentNumber, Subject};
use hospes_store::StoredRecord;
use serde_json::Value;

/// The prefix under which every key of a document number is stored, for lookups by number alone.
pub fn document_key_prefix(number: &DocumentNumber) -> String {
    format!("doc:{number}:")
}

/// The taxpayer key of a number.
pub fn taxpayer_key(number: &str) -> String {
    format!("inn:{number}")
}

/// The identity keys of a stored record, strongest first, without repeats.
pub fn identity_keys(record: &StoredRecord) -> Vec<String> {
    let Some(body) = record.body_json() else {
        return Vec::new();
    };
    let subject: Subject = match body.get("subject").cloned().map(serde_json::from_value) {
        Some(Ok(subject)) => subject,
        Some(Err(error)) => {
            tracing::warn!(seq = record.seq, %error, "record subject is unreadable; it yields no identity keys");
            Subject::default()
        }
        None => Subject::default(),
    };
    let payload = body.get("payload").unwrap_or(&Value::Null);
    let text = |field: &str| payload.get(field).and_then(Value::as_str);

    let birth_date = subject.birth_date.map(|date| date.to_string()).or_else(|| {
        (record.envelope.category == Category::Identity).then(|| text("birth_date").map(str::to_owned)).flatten()
    });
    let mut document_numbers: Vec<String> =
        subject.documents.iter().map(|document| document.number.to_string()).collect();
    if record.envelope.category == Category::Documents {
        document_numbers.extend(["number", "previous_number"].into_iter().filter_map(text).map(str::to_owned));
    }
    let mut keys = Vec::new();
    if let Some(birth_date) = &birth_date {
        for number in document_numbers {
            keys.push(format!("doc:{number}:{birth_date}"));
        }
    }
    let taxpayer = subject.taxpayer_number.map(|number| number.to_string()).or_else(|| {
        (record.envelope.category == Category::Tax).then(|| text("taxpayer_number").map(str::to_owned)).flatten()
    });
    if let Some(number) = taxpayer {
        keys.push(taxpayer_key(&number));
    }
    let mut seen = std::collections::HashSet::new();
    keys.retain(|key| seen.insert(key.clone()));
    keys
}
