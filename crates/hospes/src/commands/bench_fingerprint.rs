//! `hospes bench fingerprint`: accuracy and speed of fingerprint matching on FVC-style images, and
//! the cost of 1:N search with the filtering index against brute force.
//!
//! FVC protocol on a folder of `NNN_M.tif` images (genuine: every pair of impressions of a finger;
//! impostor: the first impressions of every two fingers): EER, FNMR at FMR ≤ 1%, extraction time
//! per image and comparison time (medians). The baseline, in the same run on the same MINDTCT
//! minutiae, is NIST's Bozorth3 matcher as the `nbis-rs` crate wraps it — twice: as `nbis-rs`
//! calls it (minutiae in reliability order, up to 200), and as NIST's `bozorth3` program feeds it
//! (the 150 most reliable, sorted by x then y). Bozorth3's edge builder stops scanning a row at the
//! first neighbour more than its distance limit away in x, which is only right for x-sorted input:
//! that, more than the cap, is why `nbis-rs` loses accuracy against the NIST tools.
//!
//! `--gallery N` adds a 1:N timing over N synthetic templates (random cylinders and minutiae, so a
//! million fit in memory and build in seconds; probes are distorted copies of enrolled ones): the
//! index's p50/p99 search time and recall@1, against brute force over the first `--brute-force`
//! templates (timed, and extrapolated linearly to N).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use hospes_biometrics::fingerprint::index::{DEFAULT_TABLES, FingerprintIndex};
use hospes_biometrics::fingerprint::mcc::{Cylinder, MccTemplate, match_templates};
use hospes_biometrics::fingerprint::{
    FingerprintMatcher, FingerprintTemplate, HospesFingerprintMatcher, MATCH_THRESHOLD, Minutia, MinutiaKind,
    evaluation,
};
use serde_json::json;

use hospes_biometrics::formats::template::{
    ExtendedData, FingerView, MinutiaKind as RecordMinutiaKind, MinutiaeRecord, TemplateMinutia, TemplateStandard,
    encode,
};

use super::bench::median;
use super::bench_lookup::percentile;

#[derive(Debug, Args)]
pub struct BenchFingerprintArgs {
    /// A folder of FVC-style images (`NNN_M.tif`), e.g. shared/data/fingerprints/fvc2002/DB1_B.
    #[arg(long, value_name = "DIR")]
    pub fvc: Option<PathBuf>,
    /// The images' resolution in pixels per inch (FVC2002 DB2 is 569; the others 500).
    #[arg(long, default_value_t = 500.0)]
    pub ppi: f32,
    /// Synthetic templates to enrol for the 1:N timing (0: none).
    #[arg(long, default_value_t = 0)]
    pub gallery: usize,
    /// Probes searched in the gallery.
    #[arg(long, default_value_t = 200)]
    pub probes: usize,
    /// Gallery templates searched exhaustively for the brute-force baseline.
    #[arg(long, default_value_t = 20_000)]
    pub brute_force: usize,
}

pub fn run(args: BenchFingerprintArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.fvc.is_some() || args.gallery > 0, "give --fvc DIR, --gallery N, or both");
    let mut figures = serde_json::Map::new();
    if let Some(folder) = &args.fvc {
        figures.extend(fvc(folder, args.ppi)?);
    }
    if args.gallery > 0 {
        figures.insert("identify".into(), identify(&args)?);
    }
    println!("{}", serde_json::Value::Object(figures));
    Ok(ExitCode::SUCCESS)
}

fn fvc(folder: &std::path::Path, ppi: f32) -> anyhow::Result<serde_json::Map<String, serde_json::Value>> {
    let images = evaluation::list_fvc(folder, "tif").with_context(|| format!("cannot read {}", folder.display()))?;
    anyhow::ensure!(!images.is_empty(), "no NNN_M.tif images in {}", folder.display());
    let matcher = HospesFingerprintMatcher;
    let mut extract_ms = Vec::new();
    let mut templates: Vec<Option<FingerprintTemplate>> = Vec::new();
    let mut baseline_templates = Vec::new();
    let mut failures = Vec::new();
    for image in &images {
        let bytes = std::fs::read(&image.path).with_context(|| format!("cannot read {}", image.path.display()))?;
        let started = Instant::now();
        let template = matcher.extract(&bytes, ppi);
        extract_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        if let Err(error) = &template {
            failures.push(format!("{}: {error}", image.path.display()));
        }
        templates.push(template.ok());
        baseline_templates.push(nbis::extract_minutiae(&bytes, Some(f64::from(ppi))).ok());
    }
    let (genuine_pairs, impostor_pairs) = evaluation::protocol_pairs(&images);
    eprintln!(
        "{}: {} images, {} genuine and {} impostor comparisons; {} image(s) gave no template",
        folder.display(),
        images.len(),
        genuine_pairs.len(),
        impostor_pairs.len(),
        failures.len()
    );
    for failure in &failures {
        eprintln!("  {failure}");
    }
    // A print that gave no template fails every comparison it is in (scores 0), as FVC counts it.
    let mut match_us = Vec::new();
    let mut score = |(a, b): (usize, usize)| match (&templates[a], &templates[b]) {
        (Some(a), Some(b)) => {
            let started = Instant::now();
            let score = matcher.compare(a, b);
            match_us.push(started.elapsed().as_secs_f64() * 1e6);
            score
        }
        _ => 0.0,
    };
    let genuine: Vec<f32> = genuine_pairs.iter().map(|pair| score(*pair)).collect();
    let impostor: Vec<f32> = impostor_pairs.iter().map(|pair| score(*pair)).collect();
    let mut baseline_us = Vec::new();
    let mut baseline_score = |(a, b): (usize, usize)| match (&baseline_templates[a], &baseline_templates[b]) {
        (Some(a), Some(b)) => {
            let started = Instant::now();
            let score = a.compare(b);
            baseline_us.push(started.elapsed().as_secs_f64() * 1e6);
            score as f32
        }
        _ => 0.0,
    };
    let baseline_genuine: Vec<f32> = genuine_pairs.iter().map(|pair| baseline_score(*pair)).collect();
    let baseline_impostor: Vec<f32> = impostor_pairs.iter().map(|pair| baseline_score(*pair)).collect();
    let sorted_templates: Vec<Option<nbis::Minutiae>> = baseline_templates
        .iter()
        .zip(&images)
        .map(|(minutiae, image)| minutiae.as_ref().and_then(|minutiae| as_nist_feeds_bozorth(minutiae, &image.path)))
        .collect();
    let sorted_score = |(a, b): (usize, usize)| match (&sorted_templates[a], &sorted_templates[b]) {
        (Some(a), Some(b)) => a.compare(b) as f32,
        _ => 0.0,
    };
    let sorted_genuine: Vec<f32> = genuine_pairs.iter().map(|pair| sorted_score(*pair)).collect();
    let sorted_impostor: Vec<f32> = impostor_pairs.iter().map(|pair| sorted_score(*pair)).collect();
    let (sorted_eer, _) = evaluation::equal_error_rate(&sorted_genuine, &sorted_impostor);

    let (eer, eer_threshold) = evaluation::equal_error_rate(&genuine, &impostor);
    let fnmr_1pct = evaluation::fnmr_at_fmr(&genuine, &impostor, 0.01);
    let (baseline_eer, _) = evaluation::equal_error_rate(&baseline_genuine, &baseline_impostor);
    let baseline_fnmr_1pct = evaluation::fnmr_at_fmr(&baseline_genuine, &baseline_impostor, 0.01);
    let fmr_at_threshold = evaluation::false_match_rate(&impostor, MATCH_THRESHOLD);
    let fnmr_at_threshold = evaluation::false_non_match_rate(&genuine, MATCH_THRESHOLD);
    let extract = median(extract_ms.iter().copied());
    let compare = median(match_us.iter().copied());
    let baseline_compare = median(baseline_us.iter().copied());
    let minutiae: Vec<f64> = templates.iter().flatten().map(|template| template.mcc.minutiae.len() as f64).collect();
    eprintln!(
        "ours (MINDTCT + MCC):        EER {:.2}% (at score {eer_threshold:.3}), FNMR at FMR≤1% {:.2}%, {:.1} µs per comparison ({:.0}/s)",
        eer * 100.0,
        fnmr_1pct * 100.0,
        compare,
        1e6 / compare.max(1e-9)
    );
    eprintln!(
        "baseline (MINDTCT + Bozorth3 via nbis-rs): EER {:.2}%, FNMR at FMR≤1% {:.2}%, {:.1} µs per comparison",
        baseline_eer * 100.0,
        baseline_fnmr_1pct * 100.0,
        baseline_compare
    );
    eprintln!(
        "baseline, input as NIST's bozorth3 program gives it (the most reliable, x-sorted): EER {:.2}%",
        sorted_eer * 100.0
    );
    eprintln!(
        "at the calibrated threshold {MATCH_THRESHOLD}: FMR {:.2}%, FNMR {:.2}%; extraction {extract:.1} ms per image (median), {:.0} minutiae per template (median)",
        fmr_at_threshold * 100.0,
        fnmr_at_threshold * 100.0,
        median(minutiae.iter().copied())
    );
    let mut out = serde_json::Map::new();
    out.insert("database".into(), json!(folder.display().to_string()));
    out.insert("eer".into(), json!(round5(eer)));
    out.insert("fnmr_at_fmr_1pct".into(), json!(round5(fnmr_1pct)));
    out.insert("genuine".into(), json!(genuine.len()));
    out.insert("impostor".into(), json!(impostor.len()));
    out.insert("extract_ms".into(), json!(round3(extract)));
    out.insert("match_us".into(), json!(round3(compare)));
    out.insert("failures".into(), json!(failures.len()));
    out.insert("threshold".into(), json!(round3(f64::from(MATCH_THRESHOLD))));
    out.insert("fmr_at_threshold".into(), json!(round5(fmr_at_threshold)));
    out.insert("fnmr_at_threshold".into(), json!(round5(fnmr_at_threshold)));
    out.insert(
        "baseline".into(),
        json!({
            "name": "bozorth3 (nbis-rs) on the same MINDTCT minutiae",
            "eer": round5(baseline_eer),
            "fnmr_at_fmr_1pct": round5(baseline_fnmr_1pct),
            "match_us": round3(baseline_compare),
            "eer_x_sorted_input": round5(sorted_eer),
        }),
    );
    Ok(out)
}

/// The same MINDTCT minutiae as NIST's `bozorth3` program would pass them to its matcher: the most
/// reliable (up to 127 here, 150 there), sorted by x then by y (y counted from the bottom, as Bozorth3 sees it), all of one
/// quality so that `nbis-rs`'s own reliability sort keeps this order. They travel through an ISO
/// 19794-2:2005 record, the only way into an `nbis::Minutiae`; its angle unit holds MINDTCT's
/// 11.25° steps exactly.
fn as_nist_feeds_bozorth(minutiae: &nbis::Minutiae, path: &std::path::Path) -> Option<nbis::Minutiae> {
    let (width, height) = image::image_dimensions(path).ok()?;
    let mut kept = minutiae.get();
    kept.sort_by(|a, b| b.reliability().total_cmp(&a.reliability()));
    // 150 is bozorth3's default; nbis-rs reads an ISO record's minutiae count as a signed byte.
    kept.truncate(127);
    kept.sort_by_key(|minutia| (minutia.x(), -minutia.y()));
    let record = MinutiaeRecord {
        standard: TemplateStandard::Iso19794_2_2005,
        version: TemplateStandard::Iso19794_2_2005.version(),
        declared_length: 0,
        product_id: (0, 0),
        capture_equipment: 0,
        equipment_certification: None,
        image_size: (u16::try_from(width).ok()?, u16::try_from(height).ok()?),
        resolution: (197, 197),
        certification_flag: 0,
        views: vec![FingerView {
            finger_position: 0,
            view_number: 0,
            impression_type: 0,
            quality: 60,
            quality_blocks: Vec::new(),
            image_size: (0, 0),
            resolution: (0, 0),
            capture_datetime: [0; 9],
            device_technology: 0,
            device_vendor: 0,
            device_type: 0,
            certifications: Vec::new(),
            minutia_size: 6,
            ridge_ending_type: 0,
            minutiae: kept
                .iter()
                .map(|minutia| TemplateMinutia {
                    kind: match minutia.kind() {
                        nbis::MinutiaKind::Bifurcation => RecordMinutiaKind::Bifurcation,
                        nbis::MinutiaKind::RidgeEnding => RecordMinutiaKind::RidgeEnding,
                    },
                    x: minutia.x().clamp(0, 0x3fff) as u16,
                    y: minutia.y().clamp(0, 0x3fff) as u16,
                    y_reserved: 0,
                    angle: ((minutia.angle() / (360.0 / 256.0)).round() as i64).rem_euclid(256) as u8,
                    quality: 60,
                })
                .collect(),
            extended: ExtendedData::default(),
        }],
        padding: 0,
    };
    nbis::load_iso_19794_2_2005(&encode(&record).ok()?).ok()
}

/// A deterministic generator for the synthetic gallery (splitmix64).
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// A word whose bits are each set with probability about 0.3.
    fn sparse_word(&mut self) -> u64 {
        let (a, b) = (self.next(), self.next());
        // P(a & b) = 1/4, plus a sprinkle: ≈ 0.3.
        (a & b) | (self.next() & self.next() & self.next())
    }
}

const SYNTHETIC_MINUTIAE: usize = 40;

/// The cells of a cylinder's disc (all valid in a synthetic cylinder).
fn disc_mask() -> [u64; 4] {
    let mut mask = [0u64; 4];
    for i in 0..16 {
        for j in 0..16 {
            let (di, dj) = (i as f32 - 7.5, j as f32 - 7.5);
            if (di * di + dj * dj).sqrt() <= 8.0 {
                let cell = i * 16 + j;
                mask[cell / 64] |= 1 << (cell % 64);
            }
        }
    }
    mask
}

/// Synthetic template number `id`: random minutiae and random cylinders, the same on every call.
fn synthetic(id: u64, mask: &[u64; 4]) -> MccTemplate {
    let mut generator = Generator(id.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ 0x5eed);
    let mut minutiae = Vec::with_capacity(SYNTHETIC_MINUTIAE);
    let mut cylinders = Vec::with_capacity(SYNTHETIC_MINUTIAE);
    for _ in 0..SYNTHETIC_MINUTIAE {
        minutiae.push(Minutia {
            x: 40.0 + generator.unit() * 300.0,
            y: 40.0 + generator.unit() * 300.0,
            angle: (generator.unit() * 2.0 - 1.0) * std::f32::consts::PI,
            kind: MinutiaKind::RidgeEnding,
            quality: 1.0,
        });
        let mut bits = [0u64; 24];
        for (word, value) in bits.iter_mut().enumerate() {
            *value = generator.sparse_word() & mask[word % 4];
        }
        let valid_count = mask.iter().map(|word| word.count_ones()).sum();
        let ones = bits.iter().map(|word| word.count_ones()).sum();
        cylinders.push(Some(Cylinder { bits, valid: *mask, valid_count, ones }));
    }
    MccTemplate { minutiae, cylinders }
}

/// Another impression of synthetic template `id`: a quarter of its minutiae lost, the rest moved a
/// few pixels, the whole turned and shifted, a tenth of each cylinder's bits flipped, and a few
/// spurious minutiae added.
fn impression_of(id: u64, probe_seed: u64, mask: &[u64; 4]) -> MccTemplate {
    let original = synthetic(id, mask);
    let mut generator = Generator(probe_seed ^ 0xfeed_beef);
    let rotation = (generator.unit() * 2.0 - 1.0) * 0.5;
    let (sin, cos) = rotation.sin_cos();
    let shift = (generator.unit() * 40.0 - 20.0, generator.unit() * 40.0 - 20.0);
    let mut minutiae = Vec::new();
    let mut cylinders = Vec::new();
    for (minutia, cylinder) in original.minutiae.iter().zip(&original.cylinders) {
        if generator.unit() < 0.25 {
            continue;
        }
        let jitter = (generator.unit() * 6.0 - 3.0, generator.unit() * 6.0 - 3.0);
        minutiae.push(Minutia {
            x: cos * minutia.x - sin * minutia.y + shift.0 + jitter.0,
            y: sin * minutia.x + cos * minutia.y + shift.1 + jitter.1,
            angle: minutia.angle + rotation + (generator.unit() - 0.5) * 0.2,
            ..*minutia
        });
        let mut cylinder = cylinder.clone();
        if let Some(cylinder) = &mut cylinder {
            for (word, value) in cylinder.bits.iter_mut().enumerate() {
                // Each bit flips with probability 1/8 (three random words ANDed).
                let flips = generator.next() & generator.next() & generator.next();
                *value ^= flips & mask[word % 4];
            }
            cylinder.ones = cylinder.bits.iter().map(|word| word.count_ones()).sum();
        }
        cylinders.push(cylinder);
    }
    let spurious = synthetic(u64::MAX - probe_seed, mask);
    minutiae.extend(spurious.minutiae.into_iter().take(6));
    cylinders.extend(spurious.cylinders.into_iter().take(6));
    MccTemplate { minutiae, cylinders }
}

fn identify(args: &BenchFingerprintArgs) -> anyhow::Result<serde_json::Value> {
    const SHORTLIST: usize = 50;
    let mask = disc_mask();
    let size = args.gallery;
    eprintln!("indexing {size} synthetic templates ({DEFAULT_TABLES} hash tables) …");
    let started = Instant::now();
    let mut index = FingerprintIndex::new(DEFAULT_TABLES);
    for id in 0..size as u64 {
        index.insert(&synthetic(id, &mask));
    }
    let build_seconds = started.elapsed().as_secs_f64();
    eprintln!("indexed in {build_seconds:.1} s; inverted lists {:.0} MiB", index.memory_bytes() as f64 / 1048576.0);

    let mut votes = Vec::new();
    let mut latencies = Vec::new();
    let mut found = 0usize;
    let probes = args.probes.max(1);
    for probe_number in 0..probes as u64 {
        let mate = probe_number.wrapping_mul(7919) % size as u64;
        let probe = impression_of(mate, probe_number, &mask);
        let started = Instant::now();
        let candidates = index.candidates(&probe, SHORTLIST, &mut votes);
        // Candidates are matched in full (their templates regenerated, as if read from storage).
        let best = candidates
            .iter()
            .map(|(position, _)| (*position, match_templates(&probe, &synthetic(u64::from(*position), &mask))))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        latencies.push(started.elapsed());
        if best.is_some_and(|(position, score)| u64::from(position) == mate && score >= MATCH_THRESHOLD) {
            found += 1;
        }
    }
    let recall = found as f64 / probes as f64;

    // Brute force over the first `brute_force` templates, for the same probes whose mate is there.
    let brute_size = args.brute_force.min(size).max(1);
    let brute_probes = 10usize;
    let mut brute_ms = Vec::new();
    let mut agree = 0usize;
    let mut index_small = FingerprintIndex::new(DEFAULT_TABLES);
    for id in 0..brute_size as u64 {
        index_small.insert(&synthetic(id, &mask));
    }
    for probe_number in 0..brute_probes as u64 {
        let mate = probe_number.wrapping_mul(104_729) % brute_size as u64;
        let probe = impression_of(mate, 1_000_000 + probe_number, &mask);
        let started = Instant::now();
        let exhaustive = (0..brute_size as u64)
            .map(|id| (id, match_templates(&probe, &synthetic(id, &mask))))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        brute_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        let indexed = index_small
            .candidates(&probe, SHORTLIST, &mut votes)
            .iter()
            .map(|(position, _)| {
                (u64::from(*position), match_templates(&probe, &synthetic(u64::from(*position), &mask)))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if exhaustive.map(|hit| hit.0) == indexed.map(|hit| hit.0) {
            agree += 1;
        }
    }
    let brute_median = median(brute_ms.iter().copied());
    let brute_extrapolated_ms = brute_median * size as f64 / brute_size as f64;
    latencies.sort();
    let p50 = percentile(&latencies, 0.50).as_secs_f64() * 1000.0;
    let p99 = percentile(&latencies, 0.99).as_secs_f64() * 1000.0;
    eprintln!(
        "1:N over {size}: index p50 {p50:.2} ms, p99 {p99:.2} ms, recall@1 {recall:.3} ({found}/{probes}); shortlist {SHORTLIST}"
    );
    eprintln!(
        "brute force over {brute_size}: {brute_median:.0} ms per search (median of {brute_probes}), ≈{:.1} s over {size} by extrapolation; index and brute force agreed on {agree}/{brute_probes}",
        brute_extrapolated_ms / 1000.0
    );
    Ok(json!({
        "gallery": size,
        "probes": probes,
        "p50_ms": round3(p50),
        "p99_ms": round3(p99),
        "recall_at_1": round5(recall),
        "build_s": round3(build_seconds),
        "index_mib": round3(index.memory_bytes() as f64 / 1048576.0),
        "baseline": {
            "name": "brute force (every template matched)",
            "gallery": brute_size,
            "ms": round3(brute_median),
            "extrapolated_ms": round3(brute_extrapolated_ms),
            "agreement_with_index": format!("{agree}/{brute_probes}"),
        },
    }))
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

fn round5(value: f64) -> f64 {
    (value * 100_000.0).round() / 100_000.0
}
