//! Runs the FVC protocol on folders and prints EER for chosen parameters (a development aid for
//! tuning; `hospes bench fingerprint` is the benchmark). Parameters come from the environment:
//! MIN_RELIABILITY, MAX_MINUTIAE, MIN_PAIRS, MAX_PAIRS, DISTANCE_TOLERANCE, ANGLE_TOLERANCE,
//! ROUNDS, WEIGHT.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hospes_biometrics::fingerprint::mcc::{MatchParameters, match_with};
use hospes_biometrics::fingerprint::{ExtractionParameters, evaluation, extract_with};

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

fn main() {
    let extraction_defaults = ExtractionParameters::default();
    let extraction = ExtractionParameters {
        min_reliability: env("MIN_RELIABILITY", extraction_defaults.min_reliability),
        max_minutiae: env("MAX_MINUTIAE", extraction_defaults.max_minutiae),
    };
    let defaults = MatchParameters::default();
    let parameters = MatchParameters {
        min_pairs: env("MIN_PAIRS", defaults.min_pairs),
        max_pairs: env("MAX_PAIRS", defaults.max_pairs),
        distance_tolerance: env("DISTANCE_TOLERANCE", defaults.distance_tolerance),
        angle_tolerance: env("ANGLE_TOLERANCE", defaults.angle_tolerance),
        relaxation_rounds: env("ROUNDS", defaults.relaxation_rounds),
        relaxation_weight: env("WEIGHT", defaults.relaxation_weight),
        scale: defaults.scale,
    };
    let mut eers = Vec::new();
    for folder in std::env::args().skip(1) {
        let ppi = if folder.contains("DB2") { env("DB2_PPI", 500.0) } else { 500.0 };
        let images = evaluation::list_fvc(std::path::Path::new(&folder), "tif").unwrap();
        let started = std::time::Instant::now();
        let templates: Vec<_> = images
            .iter()
            .map(|image| extract_with(&std::fs::read(&image.path).unwrap(), ppi, &extraction).ok())
            .collect();
        let extract_ms = started.elapsed().as_secs_f64() * 1000.0 / images.len() as f64;
        let (genuine_pairs, impostor_pairs) = evaluation::protocol_pairs(&images);
        let score = |(a, b): (usize, usize)| match (&templates[a], &templates[b]) {
            (Some(a), Some(b)) => match_with(&a.mcc, &b.mcc, &parameters),
            _ => 0.0,
        };
        let started = std::time::Instant::now();
        let genuine: Vec<f32> = genuine_pairs.iter().map(|pair| score(*pair)).collect();
        let impostor: Vec<f32> = impostor_pairs.iter().map(|pair| score(*pair)).collect();
        let match_us = started.elapsed().as_secs_f64() * 1e6 / (genuine.len() + impostor.len()) as f64;
        let (eer, threshold) = evaluation::equal_error_rate(&genuine, &impostor);
        eers.push(eer);
        let mut sorted_impostor = impostor.clone();
        sorted_impostor.sort_by(f32::total_cmp);
        println!(
            "{}: EER {:.2}% at {threshold:.3}, FNMR@1% {:.2}%, extract {extract_ms:.1} ms, match {match_us:.1} us, failures {}, top impostors {:?}",
            folder.rsplit('/').next().unwrap_or_default(),
            eer * 100.0,
            evaluation::fnmr_at_fmr(&genuine, &impostor, 0.01) * 100.0,
            templates.iter().filter(|t| t.is_none()).count(),
            &sorted_impostor[sorted_impostor.len().saturating_sub(3)..],
        );
    }
    println!("mean EER {:.2}%", eers.iter().sum::<f64>() / eers.len().max(1) as f64 * 100.0);
}
