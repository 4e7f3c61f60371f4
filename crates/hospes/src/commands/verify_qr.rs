//! `hospes verify-qr`: what a police officer's, an employer's or a landlord's scanner does, from
//! the command line. Offline by design: the trust list and the revocation list are files the
//! verifier fetched earlier, so a scan never tells the registry who was checked.

use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use hospes_credential::{Purpose, Refusal, RevocationList, TrustList, Verifier};

use crate::cli::VerifyQrArgs;

/// Prints the verified credential as JSON (exit 0), or `{"refused": code, "reason": text}` (exit 1).
/// Bad arguments (an unreadable trust list, an unknown purpose) are errors, not refusals: they say
/// nothing about the credential.
pub fn run(args: VerifyQrArgs) -> anyhow::Result<ExitCode> {
    let trust_text = std::fs::read_to_string(&args.trust_list)
        .with_context(|| format!("cannot read the trust list {}", args.trust_list.display()))?;
    let trust = TrustList::from_jwks_json(&trust_text).with_context(|| format!("in {}", args.trust_list.display()))?;
    let revocations = match &args.revocations {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the revocation list {}", path.display()))?;
            Some(serde_json::from_str::<RevocationList>(&text).with_context(|| format!("in {}", path.display()))?)
        }
        None => None,
    };
    let purpose = match &args.purpose {
        Some(text) => Some(
            Purpose::parse(text).with_context(|| format!("unknown purpose {text:?}: expected police, work or rent"))?,
        ),
        None => None,
    };
    let now = match &args.at {
        Some(text) => DateTime::parse_from_rfc3339(text)
            .with_context(|| format!("--at {text:?} is not an RFC 3339 instant"))?
            .with_timezone(&Utc),
        None => Utc::now(),
    };
    let verifier = Verifier::new(trust, revocations, purpose);
    let outcome = if args.credential.starts_with(hospes_credential::HOSPES_PREFIX) {
        verifier.verify(args.credential.trim(), now)
    } else {
        match std::fs::read(&args.credential) {
            Ok(png) => verifier.verify_png(&png, now),
            Err(error) => Err(Refusal::UnreadableImage { detail: format!("cannot read {}: {error}", args.credential) }),
        }
    };
    match outcome {
        Ok(verified) => {
            println!("{}", serde_json::to_string_pretty(&verified)?);
            Ok(ExitCode::SUCCESS)
        }
        Err(refusal) => {
            let body = serde_json::json!({"refused": refusal.code(), "reason": refusal.to_string()});
            println!("{body}");
            Ok(ExitCode::FAILURE)
        }
    }
}
