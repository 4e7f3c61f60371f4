//! `hospes bench face`: face verification accuracy and speed on labelled pair lists, and
//! `hospes bench identify`: 1:N search over synthetic face templates, HNSW beside exact search.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use hospes_biometrics::abis::evaluation::{self, Rates};
use hospes_biometrics::face::index::{FaceIndex, HnswParameters};
use hospes_biometrics::face::{DEFAULT_THRESHOLD, EMBEDDING_LEN, FaceChoice, FaceEngine, FaceTemplate, decode_image};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::bench::{median, peak_rss_mb, reset_peak_rss};

#[derive(Debug, Args)]
pub struct BenchFaceArgs {
    /// Pair lists (`file_x,file_y,decision` with `Yes`/`No`; more columns are ignored). The threshold
    /// is calibrated on the first; every list is scored at it.
    #[arg(long, value_name = "CSV", required = true)]
    pub pairs: Vec<PathBuf>,
    /// Where the images are (default: each list's own directory); paths in the lists are reduced to
    /// their file names.
    #[arg(long, value_name = "DIR")]
    pub images: Option<PathBuf>,
    /// The models directory (default: `models/` here or in a parent, or `HOSPES_MODELS_DIR`).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Side of the detector's square input, in pixels.
    #[arg(long, default_value_t = 640)]
    pub detector_side: usize,
    /// Timing rounds over all images (the median per stage is reported).
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
}

#[derive(Debug, Args)]
pub struct BenchIdentifyArgs {
    /// Enrolled templates.
    #[arg(long, default_value_t = 100_000)]
    pub n: usize,
    /// Probes (noisy copies of enrolled templates), each searched both ways.
    #[arg(long, default_value_t = 1_000)]
    pub probes: usize,
    /// Clusters the templates are drawn around (a population's faces are not uniform on the sphere).
    #[arg(long, default_value_t = 1_000)]
    pub clusters: usize,
    /// HNSW links per node (M).
    #[arg(long, default_value_t = HnswParameters::default().max_connections)]
    pub m: usize,
    /// HNSW candidates kept while building.
    #[arg(long, default_value_t = HnswParameters::default().ef_construction)]
    pub ef_construction: usize,
    /// HNSW candidates kept while searching; give several (comma-separated) to trace the trade-off.
    #[arg(long, value_delimiter = ',', default_values_t = vec![HnswParameters::default().ef_search])]
    pub ef_search: Vec<usize>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// One image's figures.
struct ImageResult {
    template: Option<FaceTemplate>,
    error: Option<String>,
}

pub fn run_face(args: BenchFaceArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.rounds > 0, "--rounds must be at least 1");
    let models = args.models.clone().unwrap_or_else(FaceEngine::default_models_dir);
    let started = Instant::now();
    let engine = FaceEngine::load_with_detector_side(&models, args.detector_side)
        .with_context(|| format!("cannot load the face models from {}", models.display()))?;
    let load_seconds = started.elapsed().as_secs_f64();

    // The pair lists and the images they name.
    let mut lists = Vec::new();
    for csv in &args.pairs {
        let directory = args.images.clone().unwrap_or_else(|| csv.parent().unwrap_or(Path::new(".")).to_path_buf());
        lists.push((csv.clone(), read_pairs(csv)?, directory));
    }
    let mut images: BTreeMap<PathBuf, ImageResult> = BTreeMap::new();
    for (_, pairs, directory) in &lists {
        for (x, y, _) in pairs {
            for name in [x, y] {
                images.entry(directory.join(name)).or_insert(ImageResult { template: None, error: None });
            }
        }
    }
    let mut encoded = Vec::new();
    for path in images.keys() {
        encoded.push(std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?);
    }
    eprintln!("{} images in {} pair lists; models loaded in {load_seconds:.2} s", images.len(), lists.len());

    // Stage timings, per image, per round: decode; detect; align; embed.
    let mut stage_ms: [Vec<f64>; 4] = Default::default();
    for round in 0..args.rounds {
        let mut totals = [0f64; 4];
        let mut timed_images = 0usize;
        for ((path, result), bytes) in images.iter_mut().zip(&encoded) {
            let clock = Instant::now();
            let decoded = match decode_image(bytes) {
                Ok(decoded) => decoded,
                Err(error) => {
                    result.error = Some(error.to_string());
                    continue;
                }
            };
            let decode = clock.elapsed().as_secs_f64();
            let clock = Instant::now();
            let faces = engine.detector().detect(&decoded)?;
            let detect = clock.elapsed().as_secs_f64();
            let face = match hospes_biometrics::face::choose_face(&faces, FaceChoice::Largest) {
                Ok(face) => face.clone(),
                Err(error) => {
                    result.error = Some(error.to_string());
                    continue;
                }
            };
            let clock = Instant::now();
            let aligned = engine.align(&decoded, &face)?;
            let align = clock.elapsed().as_secs_f64();
            let clock = Instant::now();
            let template = engine.embed_aligned(&aligned)?;
            let embed = clock.elapsed().as_secs_f64();
            if round == 0 && faces.len() > 1 {
                tracing::debug!(image = %path.display(), faces = faces.len(), "several faces; the largest is used");
            }
            result.template = Some(template);
            for (total, seconds) in totals.iter_mut().zip([decode, detect, align, embed]) {
                *total += seconds;
            }
            timed_images += 1;
        }
        for (stage, total) in stage_ms.iter_mut().zip(totals) {
            stage.push(1000.0 * total / timed_images.max(1) as f64);
        }
        eprintln!(
            "round {}: detect + align + embed {:.1} ms per image",
            round + 1,
            stage_ms[1][round] + stage_ms[2][round] + stage_ms[3][round]
        );
    }
    let [decode_ms, detect_ms, align_ms, embed_only_ms] = stage_ms.map(|values| median(values.into_iter()));
    let pipeline_ms = detect_ms + align_ms + embed_only_ms;
    let failures: Vec<(String, String)> =
        images.iter().filter_map(|(path, result)| Some((path.display().to_string(), result.error.clone()?))).collect();

    // Scores per list; the threshold from the first list.
    let mut scored = Vec::new();
    for (csv, pairs, directory) in &lists {
        let (mut genuine, mut impostor, mut unscored) = (Vec::new(), Vec::new(), 0usize);
        for (x, y, same) in pairs {
            let template =
                |name: &String| images.get(&directory.join(name)).and_then(|result| result.template.as_ref());
            match (template(x), template(y)) {
                (Some(a), Some(b)) => {
                    let score = f64::from(a.similarity(b));
                    if *same { genuine.push(score) } else { impostor.push(score) }
                }
                _ => unscored += 1,
            }
        }
        scored.push((csv.clone(), genuine, impostor, unscored));
    }
    let (_, calibration_genuine, calibration_impostor, _) = &scored[0];
    let calibration_eer = evaluation::equal_error_rate(calibration_genuine, calibration_impostor);
    let calibrated = calibration_eer.threshold;
    let gap = evaluation::separating_gap(calibration_genuine, calibration_impostor);

    println!(
        "hospes bench face — YuNet {side}×{side} + 5-point alignment + SFace (int8bq dequantised to f32), tract, one core; {} images, medians of {} rounds",
        images.len(),
        args.rounds,
        side = engine.detector().input_side()
    );
    println!("  decode (JPEG)               {decode_ms:>8.1} ms per image (not part of the figure below)");
    println!("  detect                      {detect_ms:>8.1} ms");
    println!("  align                       {align_ms:>8.1} ms");
    println!("  embed (baseline: SFace only){embed_only_ms:>8.1} ms");
    println!(
        "  detect + align + embed      {pipeline_ms:>8.1} ms   goal < 50 ms: {}",
        if pipeline_ms < 50.0 { "met" } else { "NOT met" }
    );
    if !failures.is_empty() {
        println!("  images without a usable face: {}", failures.len());
        for (path, error) in &failures {
            println!("    {path}: {error}");
        }
    }
    match gap {
        Some((highest_impostor, lowest_genuine)) => println!(
            "  calibration on {}: separable — impostors ≤ {highest_impostor:.4}, genuine ≥ {lowest_genuine:.4}; threshold {calibrated:.4} (midpoint)",
            file_name(&scored[0].0)
        ),
        None => println!("  calibration on {}: not separable; EER threshold {calibrated:.4}", file_name(&scored[0].0)),
    }
    let mut lists_json = Vec::new();
    for (csv, genuine, impostor, unscored) in &scored {
        let eer = evaluation::equal_error_rate(genuine, impostor);
        let at_calibrated = evaluation::rates_at(genuine, impostor, calibrated);
        let at_default = evaluation::rates_at(genuine, impostor, f64::from(DEFAULT_THRESHOLD));
        let gap = evaluation::separating_gap(genuine, impostor);
        println!(
            "  {:<28} {} genuine, {} impostor{}: EER {:.2}% at {:.4}; at the calibrated {:.4}: {} false matches, {} false non-matches; at the shipped {:.4}: {} and {}{}",
            file_name(csv),
            genuine.len(),
            impostor.len(),
            if *unscored > 0 { format!(" ({unscored} pairs unscored: no face)") } else { String::new() },
            100.0 * evaluation::eer_value(&eer),
            eer.threshold,
            calibrated,
            at_calibrated.false_matches,
            at_calibrated.false_non_matches,
            DEFAULT_THRESHOLD,
            at_default.false_matches,
            at_default.false_non_matches,
            gap.map(|(i, g)| format!("; separable, gap {i:.4}..{g:.4}")).unwrap_or_default(),
        );
        lists_json.push(json!({
            "pairs": file_name(csv),
            "genuine": genuine.len(),
            "impostor": impostor.len(),
            "unscored": unscored,
            "eer": evaluation::eer_value(&eer),
            "eer_threshold": eer.threshold,
            "at_calibrated": rates_json(&at_calibrated),
            "at_shipped_threshold": rates_json(&at_default),
            "separable_gap": gap.map(|(impostor, genuine)| [impostor, genuine]),
        }));
    }
    let first = &lists_json[0];
    let errors_at_calibrated: u64 = lists_json
        .iter()
        .map(|list| {
            let rates = &list["at_calibrated"];
            rates["false_matches"].as_u64().unwrap_or(0) + rates["false_non_matches"].as_u64().unwrap_or(0)
        })
        .sum();
    println!(
        "{}",
        json!({
            "bench": "face",
            "images": images.len(),
            "images_without_face": failures.len(),
            "rounds": args.rounds,
            "detector_side": engine.detector().input_side(),
            "eer": first["eer"],
            "calibrated_threshold": calibrated,
            "shipped_threshold": DEFAULT_THRESHOLD,
            "errors_at_calibrated": errors_at_calibrated,
            "embed_ms": pipeline_ms,
            "baseline_embedding_only_ms": embed_only_ms,
            "detect_ms": detect_ms,
            "align_ms": align_ms,
            "decode_ms": decode_ms,
            "model_load_s": load_seconds,
            "lists": lists_json,
        })
    );
    Ok(ExitCode::SUCCESS)
}

fn rates_json(rates: &Rates) -> serde_json::Value {
    json!({
        "threshold": rates.threshold,
        "false_matches": rates.false_matches,
        "false_non_matches": rates.false_non_matches,
        "fmr": rates.false_match_rate,
        "fnmr": rates.false_non_match_rate,
    })
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// `(file_x, file_y, same person)` from a pair list with a header naming `file_x`, `file_y` and
/// `decision` (any case).
fn read_pairs(path: &Path) -> anyhow::Result<Vec<(String, String, bool)>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    let header: Vec<String> =
        lines.next().unwrap_or_default().split(',').map(|name| name.trim().to_lowercase()).collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|column| column == name)
            .with_context(|| format!("{}: no `{name}` column", path.display()))
    };
    let (x, y, decision) = (column("file_x")?, column("file_y")?, column("decision")?);
    let mut pairs = Vec::new();
    for (number, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let field = |index: usize| {
            fields
                .get(index)
                .copied()
                .with_context(|| format!("{} line {}: too few fields", path.display(), number + 2))
        };
        let name = |value: &str| value.rsplit('/').next().unwrap_or(value).to_owned();
        let same = match field(decision)? {
            "Yes" | "yes" | "1" | "true" => true,
            "No" | "no" | "0" | "false" => false,
            other => anyhow::bail!("{} line {}: decision {other:?} is neither Yes nor No", path.display(), number + 2),
        };
        pairs.push((name(field(x)?), name(field(y)?), same));
    }
    anyhow::ensure!(!pairs.is_empty(), "{}: no pairs", path.display());
    Ok(pairs)
}

/// Synthetic embeddings with the structure of real ones: identities scattered around cluster
/// centres (cosine ≈ 0.35 within a cluster, ≈ 0 across), probes at cosine ≈ 0.75 from their
/// identity, as SFace gives for two photographs of one person.
struct Population {
    rng: ChaCha8Rng,
    centres: Vec<Vec<f32>>,
}

impl Population {
    fn new(clusters: usize, seed: u64) -> Population {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let centres = (0..clusters.max(1)).map(|_| unit_gaussian(&mut rng)).collect();
        Population { rng, centres }
    }

    fn identity(&mut self) -> FaceTemplate {
        let centre = self.rng.random_range(0..self.centres.len());
        let noise = unit_gaussian(&mut self.rng);
        mix(&self.centres[centre], 0.6, &noise, 0.8)
    }

    fn probe_of(&mut self, template: &FaceTemplate) -> FaceTemplate {
        let noise = unit_gaussian(&mut self.rng);
        mix(&template.embedding, 0.75, &noise, 0.66)
    }
}

fn mix(a: &[f32], weight_a: f32, b: &[f32], weight_b: f32) -> FaceTemplate {
    let vector: Vec<f32> = a.iter().zip(b).map(|(x, y)| weight_a * x + weight_b * y).collect();
    FaceTemplate::from_vector(&vector).unwrap_or(FaceTemplate { embedding: [0.0; EMBEDDING_LEN] })
}

/// A uniformly random direction: normalised Gaussian coordinates (Box–Muller).
fn unit_gaussian(rng: &mut ChaCha8Rng) -> Vec<f32> {
    let mut vector = Vec::with_capacity(EMBEDDING_LEN);
    while vector.len() < EMBEDDING_LEN {
        let u: f64 = rng.random_range(f64::EPSILON..1.0);
        let v: f64 = rng.random_range(0.0..1.0);
        let radius = (-2.0 * u.ln()).sqrt();
        vector.push((radius * (std::f64::consts::TAU * v).cos()) as f32);
        vector.push((radius * (std::f64::consts::TAU * v).sin()) as f32);
    }
    vector.truncate(EMBEDDING_LEN);
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt().max(f32::EPSILON);
    vector.iter().map(|x| x / norm).collect()
}

fn percentile(sorted: &[f64], share: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 * share).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

pub fn run_identify(args: BenchIdentifyArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.n > 0 && args.probes > 0, "--n and --probes must be at least 1");
    let threads = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
    eprintln!("generating {} templates around {} clusters …", args.n, args.clusters);
    let mut population = Population::new(args.clusters, args.seed);
    let templates: Vec<FaceTemplate> = (0..args.n).map(|_| population.identity()).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed ^ 0x5eed);
    let sources: Vec<usize> = (0..args.probes).map(|_| rng.random_range(0..args.n)).collect();
    let probes: Vec<FaceTemplate> = sources.iter().map(|&source| population.probe_of(&templates[source])).collect();

    let parameters = HnswParameters {
        max_connections: args.m,
        ef_construction: args.ef_construction,
        ef_search: args.ef_search.first().copied().unwrap_or(64),
    };
    eprintln!(
        "building the HNSW graph (M {}, ef_construction {}) on {threads} threads …",
        args.m, args.ef_construction
    );
    reset_peak_rss();
    let rss_before = current_rss_mb();
    let started = Instant::now();
    let mut index = FaceIndex::new(parameters, args.n);
    // In chunks, so progress shows and rayon gets enough work per call.
    for chunk in templates.chunks(50_000) {
        index.insert_many(chunk);
        eprintln!("  {} inserted, {:.0} s", index.len(), started.elapsed().as_secs_f64());
    }
    let build_seconds = started.elapsed().as_secs_f64();
    let index_mb = match (peak_rss_mb(), rss_before) {
        (Some(peak), Some(before)) => Some(peak - before),
        _ => None,
    };
    drop(templates);

    // Exact search: the reference, one probe at a time on one core.
    let mut exact_top = Vec::with_capacity(probes.len());
    let mut exact_us = Vec::with_capacity(probes.len());
    for probe in &probes {
        let clock = Instant::now();
        let hits = index.search_exact(probe, 1);
        exact_us.push(clock.elapsed().as_secs_f64() * 1e6);
        exact_top.push(hits.first().map(|hit| hit.entry));
    }
    exact_us.sort_by(f64::total_cmp);
    let exact_rank1 = exact_top.iter().zip(&sources).filter(|(top, source)| **top == Some(**source)).count();

    println!(
        "hospes bench identify — {} synthetic 128-d templates in {} clusters, {} noisy probes of enrolled ones; searches one at a time on one core",
        args.n, args.clusters, args.probes
    );
    println!(
        "  HNSW build               {build_seconds:>9.1} s on {threads} threads (M {}, ef_construction {}), {:.0} inserts/s",
        args.m,
        args.ef_construction,
        args.n as f64 / build_seconds
    );
    if let Some(megabytes) = index_mb {
        println!(
            "  index memory             {megabytes:>9.0} MiB (graph + its vectors + the exact-search copy, {:.0} MiB of that)",
            (args.n * EMBEDDING_LEN * 4) as f64 / 1_048_576.0
        );
    }
    println!(
        "  exact search (baseline)  p50 {:>9.0} µs   p99 {:>9.0} µs   rank-1 = source {:.4}",
        percentile(&exact_us, 0.5),
        percentile(&exact_us, 0.99),
        exact_rank1 as f64 / probes.len() as f64
    );
    let mut runs = Vec::new();
    for &ef in &args.ef_search {
        let mut hnsw_us = Vec::with_capacity(probes.len());
        let mut agreeing = 0usize;
        let mut rank1 = 0usize;
        index.set_ef_search(ef);
        for ((probe, exact), source) in probes.iter().zip(&exact_top).zip(&sources) {
            let clock = Instant::now();
            let hits = index.search(probe, 1);
            hnsw_us.push(clock.elapsed().as_secs_f64() * 1e6);
            let top = hits.first().map(|hit| hit.entry);
            agreeing += usize::from(top == *exact);
            rank1 += usize::from(top == Some(*source));
        }
        hnsw_us.sort_by(f64::total_cmp);
        let recall = agreeing as f64 / probes.len() as f64;
        let (p50, p99) = (percentile(&hnsw_us, 0.5), percentile(&hnsw_us, 0.99));
        println!(
            "  HNSW ef_search {ef:<4}      p50 {p50:>9.0} µs   p99 {p99:>9.0} µs   recall@1 vs exact {recall:.4}   rank-1 = source {:.4}   goals recall ≥ 0.99, p99 < 20 ms: {}",
            rank1 as f64 / probes.len() as f64,
            if recall >= 0.99 && p99 < 20_000.0 { "met" } else { "NOT met" }
        );
        runs.push(json!({
            "ef_search": ef,
            "recall_at_1": recall,
            "rank1_identification": rank1 as f64 / probes.len() as f64,
            "p50_us": p50,
            "p99_us": p99,
        }));
    }
    let first = &runs[0];
    println!(
        "{}",
        json!({
            "bench": "identify",
            "n": args.n,
            "probes": args.probes,
            "clusters": args.clusters,
            "m": args.m,
            "ef_construction": args.ef_construction,
            "build_s": build_seconds,
            "build_threads": threads,
            "index_mb": index_mb,
            "recall_at_1": first["recall_at_1"],
            "p50_us": first["p50_us"],
            "p99_us": first["p99_us"],
            "baseline_exact_p50_us": percentile(&exact_us, 0.5),
            "baseline_exact_p99_us": percentile(&exact_us, 0.99),
            "exact_rank1_identification": exact_rank1 as f64 / probes.len() as f64,
            "runs": runs,
        })
    );
    Ok(ExitCode::SUCCESS)
}

/// Resident memory now, in MiB (Linux `VmRSS`).
fn current_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024.0)
}
