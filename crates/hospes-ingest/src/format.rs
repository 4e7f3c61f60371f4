//! The ingest format: one JSON object per line (NDJSON), each a record as an agency submits it.
//!
//! This is a promise to every agency, so it is its own type, separate from the stored envelope, and
//! its JSON Schema is generated from it and published (`schemas/ingest-record.schema.json`).

use hospes_model::{Category, Date, Payload, ShortText, SourceRecordId, Subject};
use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The identifier of the published schema; bump its version with any incompatible change.
pub const INGEST_SCHEMA_ID: &str = "https://hospes.dev/schemas/ingest-record.v1.json";

/// One line of an ingest batch.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IngestLine {
    /// The agency's own id for this record, unique within the agency.
    pub record_id: SourceRecordId,
    /// The version of this record at the agency, from 1; a higher version supersedes the lower ones.
    #[serde(default = "first_version")]
    pub version: u32,
    pub category: Category,
    /// The kind of record within the category (see the category's code list).
    pub kind: String,
    /// When the fact starts to hold (validity start, registration start, or the day of an event).
    pub effective_from: Date,
    /// When the fact stops holding, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_to: Option<Date>,
    /// The law or regulation under which the agency holds and sends this record.
    pub legal_basis: ShortText,
    /// Who the record is about, as the agency knows them.
    pub subject: Subject,
    /// The category's payload.
    #[schemars(with = "serde_json::Value")]
    pub payload: Box<serde_json::value::RawValue>,
    /// Other records of this agency that this one replaces (corrections, lifted decisions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<SupersededRecord>,
}

/// A reference to an earlier record of the same agency.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupersededRecord {
    pub record_id: SourceRecordId,
    pub version: u32,
}

fn first_version() -> u32 {
    1
}

/// The JSON Schema (draft 2020-12) of one ingest line, with the payload schema chosen by category.
pub fn ingest_line_schema() -> Value {
    let mut generator = SchemaGenerator::new(SchemaSettings::draft2020_12());
    let mut root: Schema = generator.root_schema_for::<IngestLine>();
    let payloads = Payload::schemas(&mut generator);
    let by_category: Vec<Value> = payloads
        .into_iter()
        .map(|(category, payload_schema)| {
            json!({
                "if": { "properties": { "category": { "const": category.as_str() } }, "required": ["category"] },
                "then": {
                    "properties": {
                        "kind": { "enum": category.kinds() },
                        "payload": payload_schema,
                    }
                }
            })
        })
        .collect();
    let definitions = generator.take_definitions(true);
    let object = root.ensure_object();
    object.insert("$id".into(), json!(INGEST_SCHEMA_ID));
    object.insert(
        "title".into(),
        json!("Hospes ingest record: one line of an NDJSON batch sent to POST /v1/ingest/{agency}"),
    );
    object.insert("allOf".into(), Value::Array(by_category));
    let defs = object.entry("$defs").or_insert_with(|| json!({}));
    if let Value::Object(defs) = defs {
        for (name, schema) in definitions {
            defs.entry(name).or_insert(schema);
        }
    }
    with_sorted_keys(root.to_value())
}

/// The same JSON with every object's keys in sorted order, so that the published schema is the same
/// text whether or not some crate in the build turned on serde_json's `preserve_order` (cargo unifies
/// features across a workspace build, so the map type differs between `-p` and `--workspace`).
fn with_sorted_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|left, right| left.0.cmp(&right.0));
            Value::Object(entries.into_iter().map(|(key, value)| (key, with_sorted_keys(value))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(with_sorted_keys).collect()),
        other => other,
    }
}

/// Every category with its sensitivity and kinds, for documentation and clients.
pub fn category_catalogue() -> Value {
    Value::Array(
        Category::ALL
            .iter()
            .map(|category| {
                json!({
                    "category": category.as_str(),
                    "sensitivity": category.sensitivity().as_str(),
                    "kinds": category.kinds(),
                })
            })
            .collect(),
    )
}
