#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

//! Conformance with the EU Digital COVID Certificate test vectors (`shared/data/dcc`, from the
//! public dgc-testdata repository): every `EXPECTED*` flag of every vector is reproduced by the
//! same functions Hospes credentials go through, with the prefix `HC1:` and a trust list built
//! from the vector's signer certificate.
//!
//! A flag is a claim about one step (see `UPSTREAM_README.md`); each is evaluated here by running
//! that step of the pipeline on the vector's inputs. Where a flag is `false`, the refusal must
//! also be the *right* one (`expected_refusals` below): failing for another reason than the one
//! the vector was built to show would be passing by accident.
//!
//! A flag whose input is absent from its vector (the upstream harness skips those too) is counted
//! as not applicable and listed; a flag that `known_issues.csv` marks as wrong upstream is
//! skipped and listed. The test fails listing every mismatch, and asserts minimum counts so that
//! it cannot pass by finding nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, TimeDelta, Utc};
use ciborium::Value as Cbor;
use hospes_credential::cose::SignedCwt;
use hospes_credential::dcc::{self, DccError, SignerCertificate};
use hospes_credential::{TrustList, decode_qr_png, encoding};
use serde_json::Value as Json;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/dcc");

/// The vectors as of this writing: 46 files with 135 flags, one of which has no input to check
/// (B1 claims a picture decode but has no picture). More may come; fewer means the data
/// went missing.
const MIN_VECTORS: usize = 46;
const MIN_FLAGS_CHECKED: usize = 134;

/// The outcome of one step: `Ok(())` passed, `Err(reason)` refused with that reason (a
/// refusal code or a short description).
type Step = Result<(), String>;

struct Vector {
    /// Path relative to the data directory, e.g. `common/2DCode/raw/CO5.json`.
    name: String,
    /// The upstream "country" (top-level folder) and test set (file stem), for known issues.
    country: String,
    test_set: String,
    json: Json,
}

impl Vector {
    fn text(&self, field: &str) -> Option<&str> {
        self.json.get(field).and_then(Json::as_str)
    }

    fn hex(&self, field: &str) -> Option<Vec<u8>> {
        self.text(field).map(|hex| hex::decode(hex).unwrap_or_else(|error| panic!("{}: {field}: {error}", self.name)))
    }

    fn context(&self, field: &str) -> Option<&str> {
        self.json.get("TESTCTX").and_then(|context| context.get(field)).and_then(Json::as_str)
    }

    fn signer(&self) -> Option<Result<SignerCertificate, DccError>> {
        let der = STANDARD.decode(self.context("CERTIFICATE")?).expect("CERTIFICATE is base64");
        Some(SignerCertificate::from_der(&der))
    }

    fn clock(&self) -> Option<DateTime<Utc>> {
        self.context("VALIDATIONCLOCK")
            .map(|clock| DateTime::parse_from_rfc3339(clock).expect("VALIDATIONCLOCK is RFC 3339").with_timezone(&Utc))
    }

    /// The COSE bytes: the `COSE` field, or else the `PREFIX` decoded through the chain.
    fn cose(&self) -> Option<Result<Vec<u8>, String>> {
        if let Some(cose) = self.hex("COSE") {
            return Some(Ok(cose));
        }
        Some(encoding::decode_text(self.text("PREFIX")?, dcc::PREFIX).map_err(|refusal| refusal.code().to_owned()))
    }
}

fn vectors() -> Vec<Vector> {
    let mut files = Vec::new();
    walk(Path::new(DATA), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let name = path.strip_prefix(DATA).unwrap().to_string_lossy().into_owned();
            let json: Json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|error| panic!("{name}: {error}"));
            json.get("EXPECTEDRESULTS")?;
            let country = name.split('/').next().unwrap().to_owned();
            let test_set = path.file_stem().unwrap().to_string_lossy().into_owned();
            Some(Vector { name, country, test_set, json })
        })
        .collect()
}

fn walk(directory: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(directory).unwrap_or_else(|error| panic!("{}: {error}", directory.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "json") {
            files.push(path);
        }
    }
}

/// `known_issues.csv`: (upstream test name, country, test set or empty for all) → reason.
fn known_issues() -> Vec<(String, String, String, String)> {
    let csv = std::fs::read_to_string(Path::new(DATA).join("known_issues.csv")).unwrap();
    csv.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.splitn(4, ',').collect();
            assert_eq!(fields.len(), 4, "known_issues.csv: {line}");
            (fields[0].to_owned(), fields[1].to_owned(), fields[2].to_owned(), fields[3].to_owned())
        })
        .collect()
}

/// The flags an upstream test name covers (the names are those of the upstream pytest suite).
fn flags_of_upstream_test(test_name: &str) -> &'static [&'static str] {
    match test_name {
        "test_cose_schema" => &["EXPECTEDSCHEMAVALIDATION"],
        "test_cose_json" | "test_cose_cbor" => &["EXPECTEDDECODE"],
        "test_cbor_json" => &["EXPECTEDVALIDJSON"],
        "test_verification_check" => &["EXPECTEDVERIFY"],
        "test_expiration_check" => &["EXPECTEDEXPIRATIONCHECK"],
        "test_expected_key_usage" => &["EXPECTEDKEYUSAGE"],
        "test_compression" => &["EXPECTEDCOMPRESSION"],
        "test_b45decode" => &["EXPECTEDB45DECODE"],
        "test_un_prefix" => &["EXPECTEDUNPREFIX"],
        "test_picture_decode" => &["EXPECTEDPICTUREDECODE"],
        other => panic!("known_issues.csv names an unknown upstream test {other}"),
    }
}

/// Why a flag could not be evaluated: its input is not in the vector.
struct NotApplicable(String);

/// Evaluates one flag on one vector by running its step.
fn evaluate(flag: &str, vector: &Vector) -> Result<Step, NotApplicable> {
    let need = |field: &str| NotApplicable(format!("no {field}"));
    Ok(match flag {
        // Load the JSON and validate it against the schema.
        "EXPECTEDVALIDOBJECT" => {
            let json = vector.json.get("JSON").ok_or_else(|| need("JSON"))?;
            schema(json)
        }
        // Create CBOR from the JSON; it must equal the CBOR given (compared decoded, since map
        // order is free).
        "EXPECTEDENCODE" => {
            let json = vector.json.get("JSON").ok_or_else(|| need("JSON"))?;
            let cbor = vector.hex("CBOR").ok_or_else(|| need("CBOR"))?;
            let encoded = Cbor::serialized(json).map_err(|error| error.to_string());
            match (encoded.and_then(|value| dcc::cbor_to_json(&value)), hcert_of_cbor_field(&cbor)) {
                (Ok(encoded), Ok(given)) if encoded == given => Ok(()),
                (Ok(_), Ok(_)) => Err("the encoding differs".to_owned()),
                (Err(error), _) | (_, Err(error)) => Err(error),
            }
        }
        // The picture decodes to the PREFIX text.
        "EXPECTEDPICTUREDECODE" => {
            let picture = vector.text("2DCODE").ok_or_else(|| need("2DCODE"))?;
            let prefix = vector.text("PREFIX").ok_or_else(|| need("PREFIX"))?;
            let png = STANDARD.decode(picture).expect("2DCODE is base64");
            match decode_qr_png(&png) {
                Ok(text) if text == prefix => Ok(()),
                Ok(_) => Err("the QR text differs from PREFIX".to_owned()),
                Err(error) => Err(format!("unreadable_image: {error}")),
            }
        }
        // Removing the prefix gives the BASE45 text.
        "EXPECTEDUNPREFIX" => {
            let prefix = vector.text("PREFIX").ok_or_else(|| need("PREFIX"))?;
            let base45 = vector.text("BASE45").ok_or_else(|| need("BASE45"))?;
            match encoding::strip_prefix(prefix, dcc::PREFIX) {
                Ok(rest) if rest == base45 => Ok(()),
                Ok(_) => Err("the text after the prefix differs from BASE45".to_owned()),
                Err(refusal) => Err(refusal.code().to_owned()),
            }
        }
        // Base45-decoding BASE45 gives COMPRESSED.
        "EXPECTEDB45DECODE" => {
            let base45 = vector.text("BASE45").ok_or_else(|| need("BASE45"))?;
            let compressed = vector.hex("COMPRESSED").ok_or_else(|| need("COMPRESSED"))?;
            same(encoding::decode_base45(base45).map_err(|refusal| refusal.code().to_owned()), &compressed)
        }
        // Inflating COMPRESSED gives COSE.
        "EXPECTEDCOMPRESSION" => {
            let compressed = vector.hex("COMPRESSED").ok_or_else(|| need("COMPRESSED"))?;
            let cose = vector.hex("COSE").ok_or_else(|| need("COSE"))?;
            same(encoding::inflate(&compressed).map_err(|refusal| refusal.code().to_owned()), &cose)
        }
        // COSE verifies with the certificate's key, found by key id.
        "EXPECTEDVERIFY" => {
            let cose = vector.hex("COSE").ok_or_else(|| need("COSE"))?;
            let signer = vector.signer().ok_or_else(|| need("CERTIFICATE"))?;
            signer.map_err(|error| error.to_string()).and_then(|signer| verified(&cose, &signer).map(drop))
        }
        // Valid at the validation clock: the CWT's times, and within the signer's validity.
        "EXPECTEDEXPIRATIONCHECK" => {
            let cose = vector.hex("COSE").ok_or_else(|| need("COSE"))?;
            let signer = vector.signer().ok_or_else(|| need("CERTIFICATE"))?.map_err(|error| error.to_string());
            let clock = vector.clock().ok_or_else(|| need("VALIDATIONCLOCK"))?;
            signer.and_then(|signer| {
                let verified = verified(&cose, &signer)?;
                verified.check_time(clock, TimeDelta::zero()).map_err(|refusal| refusal.code().to_owned())?;
                signer.check_outlives(&verified).map_err(|error| error.to_string())
            })
        }
        // The certificate's key usage allows the DCC's type.
        "EXPECTEDKEYUSAGE" => {
            let cose = vector.hex("COSE").ok_or_else(|| need("COSE"))?;
            let signer = vector.signer().ok_or_else(|| need("CERTIFICATE"))?.map_err(|error| error.to_string());
            signer.and_then(|signer| {
                let verified = verified(&cose, &signer)?;
                let hcert = dcc::hcert(verified.claims()).map_err(|error| error.to_string())?;
                let kind = dcc::certificate_type(&hcert).map_err(|error| error.to_string())?;
                signer.check_usage(kind).map_err(|_| format!("key_usage: may not sign {kind:?}"))
            })
        }
        // The payload decodes, and matches JSON and CBOR where given.
        "EXPECTEDDECODE" => {
            let json = vector.json.get("JSON");
            let cbor = vector.hex("CBOR");
            if json.is_none() && cbor.is_none() {
                return Err(need("JSON or CBOR"));
            }
            let cose = vector.cose().ok_or_else(|| need("COSE or PREFIX"))?;
            (|| {
                let hcert = hcert_of_cose(&cose?)?;
                if let Some(cbor) = &cbor {
                    let given = hcert_of_cbor_field(cbor)?;
                    if given != hcert {
                        return Err("the CBOR differs from the payload".to_owned());
                    }
                }
                match json {
                    Some(json) if *json != hcert => Err("the JSON differs from the payload".to_owned()),
                    _ => Ok(()),
                }
            })()
        }
        // The whole chain from PREFIX decodes to the JSON.
        "EXPECTEDVALIDJSON" => {
            let json = vector.json.get("JSON").ok_or_else(|| need("JSON"))?;
            let prefix = vector.text("PREFIX").ok_or_else(|| need("PREFIX"))?;
            encoding::decode_text(prefix, dcc::PREFIX)
                .map_err(|refusal| refusal.code().to_owned())
                .and_then(|cose| hcert_of_cose(&cose))
                .and_then(|hcert| if hcert == *json { Ok(()) } else { Err("the payload differs from JSON".to_owned()) })
        }
        // The decoded certificate conforms to the schema and holds a single certificate.
        "EXPECTEDSCHEMAVALIDATION" => {
            let cose = vector.cose().ok_or_else(|| need("COSE or PREFIX"))?;
            cose.and_then(|cose| hcert_of_cose(&cose)).and_then(|hcert| schema(&hcert))
        }
        other => panic!("{}: unknown flag {other}: read UPSTREAM_README.md and add it", vector.name),
    })
}

fn same(decoded: Result<Vec<u8>, String>, expected: &[u8]) -> Step {
    match decoded {
        Ok(bytes) if bytes == expected => Ok(()),
        Ok(_) => Err("decodes to other bytes".to_owned()),
        Err(code) => Err(code),
    }
}

fn verified(cose: &[u8], signer: &SignerCertificate) -> Result<hospes_credential::cose::VerifiedCwt, String> {
    let trust = TrustList::new(vec![signer.trusted_key.clone()]);
    SignedCwt::from_cose(cose)
        .and_then(|signed| signed.verify_signature(&trust))
        .map_err(|refusal| refusal.code().to_owned())
}

fn hcert_of_cose(cose: &[u8]) -> Result<Json, String> {
    let signed = SignedCwt::from_cose(cose).map_err(|refusal| refusal.code().to_owned())?;
    dcc::hcert(signed.unverified_claims()).map_err(|error| error.to_string())
}

/// The `CBOR` field holds the certificate, or (in the DE vectors) the whole CWT claims set.
fn hcert_of_cbor_field(cbor: &[u8]) -> Result<Json, String> {
    let value: Cbor = ciborium::from_reader(cbor).map_err(|error| format!("bad_cbor: {error}"))?;
    let inner = match &value {
        Cbor::Map(entries) => {
            entries.iter().find(|(key, _)| key.as_integer() == Some((-260).into())).map(|(_, hcert)| hcert)
        }
        _ => None,
    };
    match inner {
        Some(Cbor::Map(hcert)) => {
            let certificate = hcert.iter().find(|(key, _)| key.as_integer() == Some(1.into())).ok_or("no hcert / 1")?;
            dcc::cbor_to_json(&certificate.1)
        }
        Some(_) => Err("hcert is not a map".to_owned()),
        None => dcc::cbor_to_json(&value),
    }
}

fn schema(hcert: &Json) -> Step {
    dcc::check_schema(hcert).map_err(|violations| format!("schema: {}", violations.join("; ")))?;
    dcc::certificate_type(hcert).map(drop).map_err(|error| error.to_string())
}

/// Why each `false` flag must fail: the start of the refusal reason.
fn expected_refusals() -> BTreeMap<(&'static str, &'static str), &'static str> {
    let mut expected = BTreeMap::new();
    let mut expect = |vector, flag, reason| assert!(expected.insert((vector, flag), reason).is_none());
    expect("B1", "EXPECTEDB45DECODE", "bad_base45");
    expect("CBO1", "EXPECTEDDECODE", "the health certificate is not JSON-like");
    expect("CBO2", "EXPECTEDVERIFY", "bad_cbor");
    expect("CO5", "EXPECTEDVERIFY", "bad_signature");
    expect("CO22", "EXPECTEDVERIFY", "unknown_key");
    expect("CO23", "EXPECTEDVERIFY", "unknown_key");
    for vector in ["CO6", "CO7", "CO8", "CO9", "CO10", "CO11"] {
        expect(vector, "EXPECTEDKEYUSAGE", "key_usage");
    }
    expect("CO16", "EXPECTEDEXPIRATIONCHECK", "not_yet_valid");
    expect("CO17", "EXPECTEDEXPIRATIONCHECK", "expired");
    expect("DGC1", "EXPECTEDSCHEMAVALIDATION", "schema");
    expect("DGC2", "EXPECTEDSCHEMAVALIDATION", "schema");
    for vector in ["H1", "H2", "H3"] {
        expect(vector, "EXPECTEDUNPREFIX", "bad_prefix");
    }
    expect("Q1", "EXPECTEDPICTUREDECODE", "unreadable_image");
    expect("Z1", "EXPECTEDCOMPRESSION", "bad_zlib");
    expect("Z2", "EXPECTEDCOMPRESSION", "bad_zlib");
    expected
}

#[test]
fn every_expected_flag_of_every_vector_is_reproduced() {
    let vectors = vectors();
    let known_issues = known_issues();
    let expected_refusals = expected_refusals();
    let mut refusals_seen = 0;
    let (mut checked, mut not_applicable, mut skipped, mut mismatches) = (0, Vec::new(), Vec::new(), Vec::new());
    let mut report = String::new();

    for vector in &vectors {
        let flags = vector.json["EXPECTEDRESULTS"].as_object().expect("EXPECTEDRESULTS is an object");
        for (flag, expected) in flags {
            let expected = expected.as_bool().unwrap_or_else(|| panic!("{}: {flag} is not a boolean", vector.name));
            let known = known_issues.iter().find(|(test, country, set, _)| {
                flags_of_upstream_test(test).contains(&flag.as_str())
                    && *country == vector.country
                    && (set.is_empty() || *set == vector.test_set)
            });
            if let Some((test, _, _, reason)) = known {
                skipped.push(format!("{} {flag}: known upstream issue ({test}: {reason})", vector.name));
                continue;
            }
            let step = match evaluate(flag, vector) {
                Ok(step) => step,
                Err(NotApplicable(why)) => {
                    not_applicable.push(format!("{} {flag}={expected}: {why}", vector.name));
                    continue;
                }
            };
            checked += 1;
            let outcome = match &step {
                Ok(()) => "pass".to_owned(),
                Err(reason) => format!("refused: {reason}"),
            };
            report.push_str(&format!("{:<32} {flag:<26} expected {expected:<5} → {outcome}\n", vector.name));
            if step.is_ok() != expected {
                mismatches.push(format!("{} {flag}: expected {expected}, got {outcome}", vector.name));
                continue;
            }
            if let Err(reason) = &step {
                match expected_refusals.get(&(vector.test_set.as_str(), flag.as_str())) {
                    Some(prefix) if reason.starts_with(prefix) => refusals_seen += 1,
                    Some(prefix) => {
                        mismatches.push(format!("{} {flag}: refused for {reason}, not {prefix}", vector.name))
                    }
                    None => mismatches.push(format!("{} {flag}: no expected refusal listed for {reason}", vector.name)),
                }
            }
        }
    }

    println!("{report}");
    println!(
        "DCC conformance: {} vectors, {checked} flags checked, {} not applicable, {} skipped as known upstream issues, {} mismatches",
        vectors.len(),
        not_applicable.len(),
        skipped.len(),
        mismatches.len()
    );
    for line in not_applicable.iter().chain(&skipped) {
        println!("  {line}");
    }
    assert!(mismatches.is_empty(), "mismatches:\n{}", mismatches.join("\n"));
    assert_eq!(refusals_seen, expected_refusals.len(), "every listed refusal was produced");
    assert!(vectors.len() >= MIN_VECTORS, "found only {} vectors in {DATA}", vectors.len());
    assert!(checked >= MIN_FLAGS_CHECKED, "checked only {checked} flags");
}

/// The whole pipeline in one call (`dcc::verify`: prefix, base45, zlib, COSE, key, signature,
/// times, hcert, schema, key usage), from the picture when there is one and else from the
/// PREFIX text, agrees with the flags: a vector whose flags are all true verifies end to end at
/// its validation clock, one with a false flag is refused.
#[test]
fn the_whole_pipeline_agrees_with_the_flags() {
    let mut disagreements = Vec::new();
    let mut verified = 0;
    for vector in vectors() {
        let (Some(prefix), Some(Ok(signer)), Some(clock)) = (vector.text("PREFIX"), vector.signer(), vector.clock())
        else {
            continue;
        };
        let all_true =
            vector.json["EXPECTEDRESULTS"].as_object().unwrap().values().all(|flag| flag == &Json::Bool(true));
        let text = match vector.text("2DCODE") {
            Some(picture) => decode_qr_png(&STANDARD.decode(picture).unwrap()).map_err(|error| error.to_string()),
            None => Ok(prefix.to_owned()),
        };
        let outcome = text.and_then(|text| dcc::verify(&text, &[signer], clock).map_err(|error| error.to_string()));
        if outcome.is_ok() {
            verified += 1;
        }
        if outcome.is_ok() != all_true {
            disagreements.push(format!("{}: all flags true: {all_true}, verify: {outcome:?}", vector.name));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(verified >= 20, "only {verified} vectors verified end to end");
}
