//! Runs the FVC protocol on one folder and prints EER (a development aid; `hospes bench fingerprint`
//! is the benchmark).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hospes_biometrics::fingerprint::{FingerprintMatcher, HospesFingerprintMatcher, evaluation};

fn main() {
    let folder = std::env::args().nth(1).expect("usage: fvc_eval FOLDER [PPI]");
    let ppi: f32 = std::env::args().nth(2).map_or(500.0, |ppi| ppi.parse().unwrap());
    let images = evaluation::list_fvc(std::path::Path::new(&folder), "tif").unwrap();
    let matcher = HospesFingerprintMatcher;
    let started = std::time::Instant::now();
    let templates: Vec<_> =
        images.iter().map(|image| matcher.extract(&std::fs::read(&image.path).unwrap(), ppi).ok()).collect();
    let extract_ms = started.elapsed().as_secs_f64() * 1000.0 / images.len() as f64;
    let (genuine_pairs, impostor_pairs) = evaluation::protocol_pairs(&images);
    let score = |(a, b): (usize, usize)| match (&templates[a], &templates[b]) {
        (Some(a), Some(b)) => matcher.compare(a, b),
        _ => 0.0,
    };
    let started = std::time::Instant::now();
    let genuine: Vec<f32> = genuine_pairs.iter().map(|pair| score(*pair)).collect();
    let impostor: Vec<f32> = impostor_pairs.iter().map(|pair| score(*pair)).collect();
    let match_us = started.elapsed().as_secs_f64() * 1e6 / (genuine.len() + impostor.len()) as f64;
    let (eer, threshold) = evaluation::equal_error_rate(&genuine, &impostor);
    let minutiae: Vec<usize> = templates.iter().flatten().map(|t| t.mcc.minutiae.len()).collect();
    let mut sorted_impostor = impostor.clone();
    sorted_impostor.sort_by(f32::total_cmp);
    println!(
        "{folder}: EER {:.2}% at {threshold:.3}, FNMR@1% {:.2}%, extract {extract_ms:.1} ms, match {match_us:.1} us, failures {}, mean minutiae {:.1}, top impostors {:?}",
        eer * 100.0,
        evaluation::fnmr_at_fmr(&genuine, &impostor, 0.01) * 100.0,
        templates.iter().filter(|t| t.is_none()).count(),
        minutiae.iter().sum::<usize>() as f64 / minutiae.len().max(1) as f64,
        &sorted_impostor[sorted_impostor.len().saturating_sub(4)..],
    );
}
