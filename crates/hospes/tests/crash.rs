//! An acknowledged write survives a crash: the server is killed (SIGKILL) in the middle of a stream of
//! batches, restarted, and every acknowledged batch is there, whole, and the ledger verifies.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hospes_testkit::{create_postgres_database, postgres_skipped};

const HOSPES: &str = env!("CARGO_BIN_EXE_hospes");
const LINES_PER_BATCH: usize = 200;

/// Where the store is, as command-line flags.
fn store_flags(store: &StoreUnderTest) -> Vec<String> {
    match store {
        StoreUnderTest::Sqlite(directory) => vec!["--data-dir".into(), directory.display().to_string()],
        StoreUnderTest::Postgres(url) => vec!["--database".into(), url.clone()],
    }
}

enum StoreUnderTest {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn hospes(arguments: &[String]) -> std::process::Output {
    Command::new(HOSPES).args(arguments).output().unwrap()
}

fn start_server(store: &StoreUnderTest, port: u16, log: &Path) -> Child {
    let mut arguments = vec!["serve".to_owned(), "--bind".into(), format!("127.0.0.1:{port}")];
    arguments.extend(store_flags(store));
    // The audit log's key beside the log file, not in the working directory.
    arguments.extend(["--audit-key".to_owned(), log.with_file_name("audit-signing.key").display().to_string()]);
    Command::new(HOSPES)
        .args(&arguments)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

async fn wait_until_ready(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(response) = client.get(format!("{base}/readyz")).send().await
            && response.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready");
}

/// A batch of border crossings with record ids `C-{batch}-{line}`.
fn batch(number: usize) -> String {
    (0..LINES_PER_BATCH)
        .map(|line| {
            let passport = format!("FA{:07}", number * LINES_PER_BATCH + line);
            format!(
                r#"{{"record_id":"C-{number}-{line}","category":"border_crossings","kind":"entry","effective_from":"2024-03-01","legal_basis":"4730-1 art. 9","subject":{{"names":[{{"surname":"YUSUPOV","given_names":"ALISHER"}}],"birth_date":"1990-04-12","documents":[{{"kind":"passport","number":"{passport}","issuing_country":"UZB"}}]}},"payload":{{"crossed_at":"2024-03-01T06:40:00Z","checkpoint":"SVO-T2","document_number":"{passport}"}}}}"#
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn acknowledged_batches_survive_a_kill(store: StoreUnderTest) {
    let directory = tempfile::tempdir().unwrap();
    let mut add_key = vec!["agency".to_owned(), "add-key".into(), "border_service".into()];
    add_key.extend(store_flags(&store));
    let output = hospes(&add_key);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let key = String::from_utf8(output.stdout).unwrap().trim().to_owned();

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut server = start_server(&store, port, &directory.path().join("first.log"));
    wait_until_ready(&client, &base).await;

    // Send batches back to back; kill the server while one is in flight.
    let sender = {
        let (client, base, key) = (client.clone(), base.clone(), key.clone());
        tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for number in 0.. {
                let response = client
                    .post(format!("{base}/v1/ingest/border_service"))
                    .bearer_auth(&key)
                    .header("content-type", "application/x-ndjson")
                    .body(batch(number))
                    .send()
                    .await;
                match response {
                    Ok(response) if response.status().is_success() => acknowledged.push(number),
                    _ => return (acknowledged, number),
                }
            }
            unreachable!()
        })
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().unwrap(); // SIGKILL on Unix
    server.wait().unwrap();
    let (acknowledged, in_flight) = sender.await.unwrap();
    assert!(acknowledged.len() >= 2, "too few batches were acknowledged before the kill: {}", acknowledged.len());

    let mut server = start_server(&store, port, &directory.path().join("second.log"));
    wait_until_ready(&client, &base).await;
    let head: serde_json::Value =
        client.get(format!("{base}/v1/ledger/head")).send().await.unwrap().json().await.unwrap();
    let stored_records = head["seq"].as_u64().unwrap() as usize;
    // Every acknowledged batch is whole; the one in flight is either whole or absent.
    let acknowledged_records = acknowledged.len() * LINES_PER_BATCH;
    assert!(
        stored_records == acknowledged_records || stored_records == acknowledged_records + LINES_PER_BATCH,
        "{stored_records} records stored for {} acknowledged batches (batch {in_flight} was in flight)",
        acknowledged.len()
    );
    let mut resent: BTreeSet<usize> = BTreeSet::new();
    for number in acknowledged.iter().copied().chain([in_flight]) {
        let response = client
            .post(format!("{base}/v1/ingest/border_service"))
            .bearer_auth(&key)
            .header("content-type", "application/x-ndjson")
            .body(batch(number))
            .send()
            .await
            .unwrap();
        let body: serde_json::Value = response.json().await.unwrap();
        if body["accepted"].as_u64().unwrap() > 0 {
            resent.insert(number);
        }
        if acknowledged.contains(&number) {
            assert_eq!(
                body["duplicates"].as_u64().unwrap() as usize,
                LINES_PER_BATCH,
                "batch {number} was acknowledged but is not whole: {body}"
            );
        }
    }
    assert!(resent.iter().all(|number| *number == in_flight));
    server.kill().unwrap();
    server.wait().unwrap();

    let mut verify = vec!["ledger".to_owned(), "verify".into()];
    verify.extend(store_flags(&store));
    let output = hospes(&verify);
    assert!(output.status.success(), "ledger verify failed: {}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["first_broken"], serde_json::Value::Null);
    assert!(report["records_checked"].as_u64().unwrap() as usize >= acknowledged_records + LINES_PER_BATCH);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_acknowledged_batches_survive_a_kill() {
    let directory = tempfile::tempdir().unwrap();
    acknowledged_batches_survive_a_kill(StoreUnderTest::Sqlite(directory.path().join("data"))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_acknowledged_batches_survive_a_kill() {
    if postgres_skipped() {
        eprintln!("HOSPES_SKIP_POSTGRES=1: skipping");
        return;
    }
    let url = create_postgres_database().await;
    acknowledged_batches_survive_a_kill(StoreUnderTest::Postgres(url.clone())).await;
    hospes_store::scratch::drop_scratch_database(&hospes_testkit::postgres_admin_url(), &url).await.unwrap();
}
