//! The command line, run as a user runs it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::path::Path;
use std::process::{Command, Output};

use hospes_testkit::TestStore;

const HOSPES: &str = env!("CARGO_BIN_EXE_hospes");
const EVERY_CATEGORY: &str = include_str!("../../../examples/every-category.ndjson");

fn hospes(arguments: &[&str]) -> Output {
    Command::new(HOSPES).args(arguments).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The example lines the migration service may write (it owns most categories).
fn migration_service_lines() -> Vec<&'static str> {
    let registry = hospes_model::AgencyRegistry::default_registry().unwrap();
    let agency = registry.get("migration_service").unwrap();
    EVERY_CATEGORY
        .lines()
        .filter(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            agency.may_write(hospes_model::Category::parse(value["category"].as_str().unwrap()).unwrap())
        })
        .collect()
}

fn write(path: &Path, lines: &[&str]) {
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn import_is_atomic_idempotent_and_verifiable() {
    let directory = tempfile::tempdir().unwrap();
    let data = directory.path().join("data");
    let data = data.to_str().unwrap();
    let lines = migration_service_lines();
    assert!(lines.len() >= 8);

    // A file with two bad lines: both reported with their line numbers, nothing stored.
    let mut bad = lines.clone();
    let broken_date = bad[2].replacen("\"effective_from\":\"", "\"effective_from\":\"20x", 1);
    bad[2] = &broken_date;
    bad.push("{not json");
    let file = directory.path().join("bad.ndjson");
    write(&file, &bad);
    let output = hospes(&[
        "import",
        "--agency",
        "migration_service",
        file.to_str().unwrap(),
        "--data-dir",
        data,
        "--batch-lines",
        "3",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let errors = text(&output.stderr);
    assert!(errors.contains("line 3 /effective_from:"), "{errors}");
    assert!(errors.contains(&format!("line {}:", bad.len())), "{errors}");
    let verify = hospes(&["ledger", "verify", "--data-dir", data]);
    let report: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(report["records_checked"], 0, "nothing of the refused file was stored");

    // The good file, in batches of three lines: all of it, then nothing new the second time.
    let file = directory.path().join("good.ndjson");
    write(&file, &lines);
    let output = hospes(&[
        "import",
        "--agency",
        "migration_service",
        file.to_str().unwrap(),
        "--data-dir",
        data,
        "--batch-lines",
        "3",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains(&format!("{} new record(s), 0 duplicate(s)", lines.len())),
        "{}",
        text(&output.stdout)
    );
    let output = hospes(&["import", "--agency", "migration_service", file.to_str().unwrap(), "--data-dir", data]);
    assert!(
        text(&output.stdout).contains(&format!("0 new record(s), {} duplicate(s)", lines.len())),
        "{}",
        text(&output.stdout)
    );

    // An agency that may not write these categories is refused.
    let output = hospes(&["import", "--agency", "telecom_operators", file.to_str().unwrap(), "--data-dir", data]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("may not write category"), "{}", text(&output.stderr));

    let verify = hospes(&["ledger", "verify", "--data-dir", data]);
    assert!(verify.status.success());
    let report: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(report["records_checked"].as_u64().unwrap() as usize, lines.len());
}

#[tokio::test]
async fn ledger_verify_names_the_tampered_record() {
    let test = TestStore::sqlite().await;
    let data_dir = test.data_dir().unwrap();
    let data = data_dir.to_str().unwrap();
    let file = data_dir.join("records.ndjson");
    write(&file, &migration_service_lines());
    let output = hospes(&["import", "--agency", "migration_service", file.to_str().unwrap(), "--data-dir", data]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    test.execute_raw("UPDATE ledger SET effective_from = '2020-01-01' WHERE seq = 5").await;
    let output = hospes(&["ledger", "verify", "--data-dir", data]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["first_broken"]["seq"], 5);
    assert!(text(&output.stderr).contains("ledger BROKEN at record 5"), "{}", text(&output.stderr));
}

#[tokio::test]
async fn audit_verify_names_the_tampered_event() {
    let test = TestStore::sqlite().await;
    let data_dir = test.data_dir().unwrap();
    let data = data_dir.to_str().unwrap();
    let key = hospes_transparency::generate_signing_key();
    let key_file = data_dir.join("audit.pub");
    std::fs::write(&key_file, hospes_transparency::encode_verifying_key(&key.verifying_key())).unwrap();
    {
        let store = hospes_store::open_audit_store(&test.location).await.unwrap();
        let log = hospes_audit::AuditLog::open(store, key, hospes_audit::AuditLogConfig::default()).await.unwrap();
        for number in 0..6 {
            let actor = hospes_audit::Actor {
                subject: format!("officer-{number}"),
                organisation: "Police".into(),
                roles: vec!["police_officer".into()],
                region: None,
            };
            log.record(hospes_audit::AuditEvent::new("r", actor, "read_profile", hospes_audit::Outcome::Allowed))
                .await
                .unwrap();
        }
        log.close().await;
    }
    let output = hospes(&["audit", "verify", "--data-dir", data, "--public-key", key_file.to_str().unwrap()]);
    assert!(output.status.success(), "{}{}", text(&output.stdout), text(&output.stderr));
    assert!(text(&output.stdout).contains("audit log intact: 6 event(s)"), "{}", text(&output.stdout));

    test.execute_raw_audit(
        "UPDATE audit_events SET event = CAST(REPLACE(CAST(event AS TEXT), 'officer-3', 'officer-X') AS BLOB) \
         WHERE leaf_index = 3",
    )
    .await;
    let output = hospes(&["audit", "verify", "--data-dir", data, "--public-key", key_file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains("BROKEN after 3 intact event(s): event 3"), "{}", text(&output.stdout));
}

#[test]
fn agency_keys_are_issued_listed_and_revoked() {
    let directory = tempfile::tempdir().unwrap();
    let data = directory.path().to_str().unwrap();
    let output = hospes(&["agency", "add-key", "tax_service", "--label", "nightly export", "--data-dir", data]);
    assert!(output.status.success());
    let key = text(&output.stdout).trim().to_owned();
    assert!(key.starts_with("hsk_"));
    let key_id = key[4..16].to_owned();
    let listed = text(&hospes(&["agency", "keys", "--data-dir", data]).stdout);
    assert!(listed.contains(&key_id) && listed.contains("nightly export") && listed.contains("active"));
    assert!(!listed.contains(&key[17..]), "secrets are never listed");
    assert!(hospes(&["agency", "revoke-key", &key_id, "--data-dir", data]).status.success());
    assert!(text(&hospes(&["agency", "keys", "--data-dir", data]).stdout).contains("revoked"));
    let output = hospes(&["agency", "add-key", "ministry_of_magic", "--data-dir", data]);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("not configured"));
}

#[test]
fn stay_and_mrz_print_json_and_refuse_bad_input() {
    let output = hospes(&[
        "stay",
        "--stays",
        "2014-08-15..2014-09-30,2014-11-01..2014-11-30",
        "--on",
        "2014-11-30",
        "--planned-entry",
        "2015-01-01",
    ]);
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((report["days_used"].as_u64(), report["days_remaining"].as_u64()), (Some(77), Some(13)));
    let output = hospes(&["stay", "--stays", "2014-09-30..2014-08-15", "--on", "2014-11-30"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("before"), "{}", text(&output.stderr));

    let output = hospes(&[
        "mrz",
        "parse",
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]);
    assert!(output.status.success());
    let zone: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(zone["format"], "td3");
    assert_eq!(zone["check_digits"]["composite"]["valid"], true);
    let output = hospes(&["mrz", "parse", "P<UTOERIKSSON", "L898902C36"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_published_schema_is_printed() {
    let output = hospes(&["schema", "ingest"]);
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let committed: serde_json::Value =
        serde_json::from_str(include_str!("../../../schemas/ingest-record.schema.json")).unwrap();
    assert_eq!(printed, committed);
    let output = hospes(&["schema", "openapi"]);
    let openapi: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(openapi["paths"]["/v1/ingest/{agency}"].is_object());
}
