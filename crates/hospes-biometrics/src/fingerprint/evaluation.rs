//! The FVC protocol on a folder of `NNN_M.tif` images, and the error rates it reports.
//!
//! Genuine comparisons: every pair of impressions of the same finger (each pair once); impostor
//! comparisons: the first impressions of every two different fingers (each pair once) — the FVC2002
//! protocol, which on a `_B` set (10 fingers × 8 impressions) gives 280 genuine and 45 impostor scores.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One image of an FVC folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FvcImage {
    pub finger: u32,
    pub impression: u32,
    pub path: PathBuf,
}

/// The `NNN_M.<extension>` images of a folder, in finger then impression order.
pub fn list_fvc(folder: &Path, extension: &str) -> std::io::Result<Vec<FvcImage>> {
    let mut images = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        if path.extension().is_none_or(|found| !found.eq_ignore_ascii_case(extension)) {
            continue;
        }
        let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else { continue };
        let Some((finger, impression)) = stem.split_once('_') else { continue };
        if let (Ok(finger), Ok(impression)) = (finger.parse(), impression.parse()) {
            images.push(FvcImage { finger, impression, path });
        }
    }
    images.sort_by_key(|image| (image.finger, image.impression));
    Ok(images)
}

/// Comparisons as index pairs into the image list.
pub type Pairs = Vec<(usize, usize)>;

/// The genuine and impostor comparisons of the protocol, as index pairs into `images`.
pub fn protocol_pairs(images: &[FvcImage]) -> (Pairs, Pairs) {
    let mut by_finger: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (index, image) in images.iter().enumerate() {
        by_finger.entry(image.finger).or_default().push(index);
    }
    let mut genuine = Vec::new();
    for impressions in by_finger.values() {
        for (position, first) in impressions.iter().enumerate() {
            for second in &impressions[position + 1..] {
                genuine.push((*first, *second));
            }
        }
    }
    let firsts: Vec<usize> = by_finger.values().filter_map(|impressions| impressions.first().copied()).collect();
    let mut impostor = Vec::new();
    for (position, first) in firsts.iter().enumerate() {
        for second in &firsts[position + 1..] {
            impostor.push((*first, *second));
        }
    }
    (genuine, impostor)
}

/// False match rate at a threshold: impostor scores at or above it.
pub fn false_match_rate(impostor: &[f32], threshold: f32) -> f64 {
    if impostor.is_empty() {
        return 0.0;
    }
    impostor.iter().filter(|score| **score >= threshold).count() as f64 / impostor.len() as f64
}

/// False non-match rate at a threshold: genuine scores below it.
pub fn false_non_match_rate(genuine: &[f32], threshold: f32) -> f64 {
    if genuine.is_empty() {
        return 0.0;
    }
    genuine.iter().filter(|score| **score < threshold).count() as f64 / genuine.len() as f64
}

/// Candidate thresholds: every score, and just above the highest.
fn thresholds(genuine: &[f32], impostor: &[f32]) -> Vec<f32> {
    let mut all: Vec<f32> = genuine.iter().chain(impostor).copied().collect();
    all.sort_by(f32::total_cmp);
    all.dedup();
    if let Some(last) = all.last().copied() {
        all.push(last + 1e-6);
    }
    all
}

/// The equal error rate: the mean of FMR and FNMR at the threshold where they are closest (as FVC
/// reports it), and that threshold.
pub fn equal_error_rate(genuine: &[f32], impostor: &[f32]) -> (f64, f32) {
    let mut best = (f64::INFINITY, 0.0, 0.0f32);
    for threshold in thresholds(genuine, impostor) {
        let false_match = false_match_rate(impostor, threshold);
        let false_non_match = false_non_match_rate(genuine, threshold);
        let gap = (false_match - false_non_match).abs();
        if gap < best.0 {
            best = (gap, (false_match + false_non_match) / 2.0, threshold);
        }
    }
    (best.1, best.2)
}

/// The lowest FNMR at a threshold whose FMR is at most `target`.
pub fn fnmr_at_fmr(genuine: &[f32], impostor: &[f32], target: f64) -> f64 {
    thresholds(genuine, impostor)
        .into_iter()
        .filter(|threshold| false_match_rate(impostor, *threshold) <= target)
        .map(|threshold| false_non_match_rate(genuine, threshold))
        .fold(1.0, f64::min)
}
