//! The published JSON Schema of the ingest format: it is generated from the types, the committed copy
//! is current, and it agrees with the parser on valid and invalid lines.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use hospes_ingest::ingest_line_schema;
use serde_json::Value;

const SCHEMA_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas/ingest-record.schema.json");
const EVERY_CATEGORY: &str = include_str!("../../../examples/every-category.ndjson");

fn generated() -> String {
    let mut text = serde_json::to_string_pretty(&ingest_line_schema()).unwrap();
    text.push('\n');
    text
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    if std::env::var("HOSPES_UPDATE_SCHEMAS").is_ok_and(|value| value == "1") {
        std::fs::write(SCHEMA_PATH, generated()).unwrap();
    }
    let committed = std::fs::read_to_string(SCHEMA_PATH).unwrap_or_default();
    assert!(
        committed == generated(),
        "schemas/ingest-record.schema.json is out of date; regenerate it with \
         `HOSPES_UPDATE_SCHEMAS=1 cargo test -p hospes-ingest --test schema` and commit it"
    );
}

#[test]
fn example_lines_pass_the_schema_and_broken_ones_do_not() {
    let schema = ingest_line_schema();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    for line in EVERY_CATEGORY.lines() {
        let instance: Value = serde_json::from_str(line).unwrap();
        let errors: Vec<String> = validator.iter_errors(&instance).map(|error| error.to_string()).collect();
        assert!(errors.is_empty(), "{line}\n{errors:#?}");
    }
    let first: Value = serde_json::from_str(EVERY_CATEGORY.lines().nth(1).unwrap()).unwrap();
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut instance = first.clone();
        change(&mut instance);
        assert!(!validator.is_valid(&instance), "should fail: {instance}");
    };
    broken(&|line| line["kind"] = "visa".into());
    broken(&|line| line["category"] = "health".into());
    broken(&|line| line["payload"].as_object_mut().unwrap().remove("number").map(drop).unwrap_or(()));
    broken(&|line| line["payload"]["colour"] = "red".into());
    broken(&|line| line["subject"]["citizenship"] = "uz".into());
    broken(&|line| line.as_object_mut().unwrap().remove("legal_basis").map(drop).unwrap_or(()));
}
