//! `hospes bench verify`: full verifications of a QR credential per second (from the `HSP1:` text to
//! verified claims: base45, zlib, CBOR, COSE, key lookup, Ed25519, times, purpose) beside bare Ed25519
//! verifications of the same signed bytes, in the same run; and QR images encoded per second.

use std::process::ExitCode;
use std::time::Instant;

use chrono::{NaiveDate, Utc};
use hospes_credential::cose::SignedCwt;
use hospes_credential::{
    BirthDate, HOSPES_PREFIX, HolderClaims, Issuer, LatinName, Purpose, RentPermission, SigningKey, StatusColour,
    TrustLevel, TrustList, Verifier, WorkPermission, render_png,
};
use serde_json::json;

use super::bench::median;
use crate::cli::BenchVerifyArgs;

pub fn run(args: BenchVerifyArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.verifications > 0 && args.rounds > 0, "--verifications and --rounds must be at least 1");
    let signing_key = SigningKey::generate_ed25519(&mut rand::rng());
    let issuer = Issuer::new(signing_key.clone(), signing_key.derived_key_id(), "HOSPES-BENCH");
    let trust = TrustList::new(vec![issuer.trusted_key(None, None)]);
    let public_key = issuer.trusted_key(None, None).public_key;
    let now = Utc::now();
    let credential = issuer.issue(&holder()?, Purpose::Police, now)?;
    let verifier = Verifier::new(trust, None, Some(Purpose::Police));
    let (signed_bytes, signature) = SignedCwt::from_text(&credential.text, HOSPES_PREFIX)
        .map_err(|refusal| anyhow::anyhow!("the bench credential does not decode: {refusal}"))?
        .signed_data();

    let mut full = Vec::new();
    let mut bare = Vec::new();
    for round in 0..args.rounds {
        let started = Instant::now();
        for _ in 0..args.verifications {
            verifier.verify(&credential.text, now).map_err(|refusal| anyhow::anyhow!("refused: {refusal}"))?;
        }
        full.push(args.verifications as f64 / started.elapsed().as_secs_f64());
        let started = Instant::now();
        for _ in 0..args.verifications {
            public_key.verify(&signed_bytes, &signature).map_err(|error| anyhow::anyhow!("bad signature: {error}"))?;
        }
        bare.push(args.verifications as f64 / started.elapsed().as_secs_f64());
        eprintln!("round {}: full {:.0}/s, bare Ed25519 {:.0}/s", round + 1, full[round], bare[round]);
    }
    let started = Instant::now();
    for _ in 0..args.qr_images {
        render_png(&credential.text)?;
    }
    let qr_per_second = args.qr_images as f64 / started.elapsed().as_secs_f64();

    let full_rate = median(full.iter().copied());
    let bare_rate = median(bare.iter().copied());
    let ratio = full_rate / bare_rate;
    println!(
        "hospes bench verify — one core, {} verifications per round, {} rounds, medians",
        args.verifications, args.rounds
    );
    println!("  credential           {} characters (police presentation, Ed25519)", credential.text.len());
    println!("  full verification    {full_rate:>9.0} /s   (HSP1: text → verified claims)");
    println!("  bare Ed25519         {bare_rate:>9.0} /s   (the same signed bytes)");
    println!("  ratio                {ratio:>9.2}   goal ≥ 0.70: {}", if ratio >= 0.70 { "met" } else { "NOT met" });
    println!("  QR images (PNG)      {qr_per_second:>9.0} /s");
    println!(
        "{}",
        json!({
            "bench": "verify",
            "verifications": args.verifications,
            "rounds": args.rounds,
            "credential_chars": credential.text.len(),
            "full_verifications_per_s": full_rate,
            "baseline_ed25519_verifications_per_s": bare_rate,
            "ratio": ratio,
            "qr_png_per_s": qr_per_second,
        })
    );
    Ok(ExitCode::SUCCESS)
}

fn holder() -> anyhow::Result<HolderClaims> {
    let date = |year, month, day| NaiveDate::from_ymd_opt(year, month, day);
    Ok(HolderClaims {
        subject: "bench-subject".to_owned(),
        name: LatinName::parse("YUSUPOV<<ALISHER")?,
        birth_date: BirthDate::parse("1990-04-12")?,
        photo_reference: None,
        status: StatusColour::Green,
        permitted_stay_until: date(2027, 3, 1),
        registration_valid_until: date(2027, 2, 1),
        trust_level: TrustLevel::try_from(1)?,
        work: WorkPermission { may_work: true, region: Some("Moscow".to_owned()), valid_until: date(2027, 3, 1) },
        rent: RentPermission { may_rent: true, valid_until: date(2027, 3, 1) },
    })
}
