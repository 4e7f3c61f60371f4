//! `hospes bench resolve`: the accuracy and cost of probabilistic matching, on FEBRL files, on a
//! person-schema CSV, or on the synthetic population, against ground truth.
//!
//! Two `--csv` files make a link task (only pairs across the files count), one a dedupe task.
//! `--synth N` generates people in-process until it has N records and matches their subjects
//! (every spelling, birth date, sex, citizenship, documents current and previous, taxpayer and
//! social insurance numbers, phone); the truth is the person each record was written about.
//! `--export-person-csv FILE` writes the input in the person schema (first spelling only) with
//! its truth pairs beside it, so that another tool can read identical input.
//!
//! The timed part is matching proper: normalisation, blocking, comparison, training, scoring and
//! clustering (`seconds`, `cpu_seconds`); reading or generating the records is reported apart.
//! Records are generated and prepared in chunks, so that a million of them never sit in memory
//! at once as `MatchRecord`s; only the preparation of each chunk is timed. The peak resident
//! memory is the whole process's, loading included.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, ValueEnum};
use hospes_resolve::matching::eval::{PairwiseMetrics, evaluate_clusters, truth_from_pairs};
use hospes_resolve::matching::load::{CsvSchema, PersonCsvWriter, load_csv, load_truth_pairs};
use hospes_resolve::matching::{MatchConfig, MatchRecord, MatchRun, Matcher, NameSpelling, PreparedInput, Preparer};
use hospes_synth::{Population, SynthConfig};
use serde::Deserialize;
use serde_json::{Value, json};

use super::bench::{median, peak_rss_mb, reset_peak_rss};
use super::bench_lookup::process_cpu_seconds;

#[derive(Debug, Args)]
pub struct BenchResolveArgs {
    /// A CSV input; give two for a link task (FEBRL4: a then b).
    #[arg(long, value_name = "FILE", required_unless_present = "synth")]
    pub csv: Vec<PathBuf>,
    /// The true matching pairs (`id_l,id_r`), for CSV inputs.
    #[arg(long, value_name = "FILE")]
    pub truth: Option<PathBuf>,
    /// The layout of the CSV inputs.
    #[arg(long, value_enum, default_value_t = Schema::Febrl)]
    pub schema: Schema,
    /// Match the synthetic population's records instead: people are generated until there are this
    /// many records.
    #[arg(long, value_name = "N", conflicts_with = "csv")]
    pub synth: Option<usize>,
    /// Seed of the synthetic population.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Where the shared name lists are (popular names by country).
    #[arg(long, value_name = "DIR")]
    pub names_dir: Option<PathBuf>,
    /// Write the input in the person schema to FILE and its truth to FILE with `_truth` before the
    /// extension (pairs linking each record to its entity's first record), for other tools to read.
    #[arg(long, value_name = "FILE")]
    pub export_person_csv: Option<PathBuf>,
    /// Run matching this many times and report the median time.
    #[arg(long, default_value_t = 1)]
    pub rounds: usize,
    /// Match probability at or above which a pair is the same person.
    #[arg(long)]
    pub upper: Option<f64>,
    /// Match probability at or above which a pair goes to review.
    #[arg(long)]
    pub lower: Option<f64>,
    /// Print the explanations of up to this many missed true pairs and wrongly joined pairs (to
    /// standard error), to see where matching goes wrong.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub show_errors: usize,
    /// Write the trained model (m, u and weight of every level, the prior, the training sessions) as
    /// JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub model_out: Option<PathBuf>,
    /// Also measure blocking recall: the share of true pairs that blocking compared (or that were
    /// identical records). Keeps every compared pair in memory.
    #[arg(long)]
    pub blocking_recall: bool,
    /// Also resolve the same records one at a time through the incremental index (as ingestion
    /// does), with the model the batch run trained, in a shuffled arrival order: per-record latency
    /// and F1, beside the batch figures.
    #[arg(long)]
    pub incremental: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Schema {
    Febrl,
    Person,
}

/// The input of a run, prepared for matching, with each record's true entity and input.
struct Input {
    description: String,
    prepared: PreparedInput,
    truth: Vec<u32>,
    sources: Vec<u8>,
    /// Reading or generating the records, not counting their preparation.
    load_seconds: f64,
    /// Preparing them: wall and CPU seconds.
    prepare_seconds: f64,
    prepare_cpu_seconds: f64,
    /// The records themselves, kept for `--incremental` (empty otherwise).
    records: Vec<MatchRecord>,
}

/// Records are prepared in chunks of this many, and each chunk's preparation is timed.
const CHUNK_RECORDS: usize = 20_000;

/// Feeds records to a [`Preparer`] in timed chunks, and to the export if there is one.
struct Feeder {
    preparer: Preparer,
    chunk: Vec<MatchRecord>,
    truth: Vec<u32>,
    sources: Vec<u8>,
    export: Option<Export>,
    prepare_seconds: f64,
    prepare_cpu_seconds: f64,
    kept: Option<Vec<MatchRecord>>,
}

impl Feeder {
    fn keeping(export: Option<&Path>, keep: bool) -> anyhow::Result<Self> {
        Ok(Self {
            preparer: Preparer::new(),
            chunk: Vec::with_capacity(CHUNK_RECORDS),
            truth: Vec::new(),
            sources: Vec::new(),
            export: export.map(Export::create).transpose()?,
            prepare_seconds: 0.0,
            prepare_cpu_seconds: 0.0,
            kept: keep.then(Vec::new),
        })
    }

    fn push(&mut self, record: MatchRecord, entity: u32) -> anyhow::Result<()> {
        if let Some(export) = &mut self.export {
            export.write(&record, entity)?;
        }
        self.truth.push(entity);
        self.sources.push(record.source);
        if let Some(kept) = &mut self.kept {
            kept.push(record.clone());
        }
        self.chunk.push(record);
        if self.chunk.len() >= CHUNK_RECORDS {
            self.flush();
        }
        Ok(())
    }

    fn flush(&mut self) {
        let cpu_before = process_cpu_seconds();
        let started = Instant::now();
        for record in self.chunk.drain(..) {
            self.preparer.push(&record);
        }
        self.prepare_seconds += started.elapsed().as_secs_f64();
        self.prepare_cpu_seconds += cpu_before.zip(process_cpu_seconds()).map_or(0.0, |(before, after)| after - before);
    }

    fn finish(mut self, description: String, load_started: Instant) -> anyhow::Result<Input> {
        self.flush();
        if let Some(export) = self.export.take() {
            export.finish()?;
        }
        let cpu_before = process_cpu_seconds();
        let started = Instant::now();
        let prepared = self.preparer.finish();
        self.prepare_seconds += started.elapsed().as_secs_f64();
        self.prepare_cpu_seconds += cpu_before.zip(process_cpu_seconds()).map_or(0.0, |(before, after)| after - before);
        let load_seconds = (load_started.elapsed().as_secs_f64() - self.prepare_seconds).max(0.0);
        Ok(Input {
            description,
            prepared,
            truth: self.truth,
            sources: self.sources,
            load_seconds,
            prepare_seconds: self.prepare_seconds,
            prepare_cpu_seconds: self.prepare_cpu_seconds,
            records: self.kept.unwrap_or_default(),
        })
    }
}

pub fn run(args: BenchResolveArgs) -> anyhow::Result<ExitCode> {
    let mut config = MatchConfig::default();
    if let Some(upper) = args.upper {
        config.upper_probability = upper;
    }
    if let Some(lower) = args.lower {
        config.lower_probability = lower;
    }
    config.keep_compared_pairs = args.blocking_recall;
    let matcher = Matcher::new(config);

    let mut timings = Vec::new();
    let mut last: Option<(Input, MatchRun)> = None;
    reset_peak_rss();
    for round in 0..args.rounds.max(1) {
        // Drop the previous round first, so that two never sit in memory together.
        drop(last.take());
        let export = if round == 0 { args.export_person_csv.as_deref() } else { None };
        let mut input = match args.synth {
            Some(records) => synthetic_input(records, args.seed, args.names_dir.clone(), export, args.incremental)?,
            None => csv_input(&args, export)?,
        };
        if round == 0 {
            eprintln!(
                "{}: {} records ({} distinct), {}; loaded in {:.2} s",
                input.description,
                input.prepared.len(),
                input.prepared.distinct_records(),
                if input.sources.contains(&1) { "link" } else { "dedupe" },
                input.load_seconds
            );
        }
        let prepared = std::mem::replace(&mut input.prepared, Preparer::new().finish());
        let cpu_before = process_cpu_seconds();
        let started = Instant::now();
        let run = matcher.run_prepared(prepared);
        let seconds = started.elapsed().as_secs_f64() + input.prepare_seconds;
        let cpu_seconds =
            cpu_before.zip(process_cpu_seconds()).map(|(before, after)| after - before + input.prepare_cpu_seconds);
        eprintln!(
            "round {}: {seconds:.2} s, {} CPU-s",
            round + 1,
            cpu_seconds.map_or("?".to_owned(), |cpu| format!("{cpu:.2}"))
        );
        timings.push((seconds, cpu_seconds, input.load_seconds));
        last = Some((input, run));
    }
    let (input, run) = last.context("no round ran")?;
    let peak = peak_rss_mb();
    let link = run.link;
    let clusters: Vec<u32> = run.cluster_of.iter().map(|cluster| *cluster as u32).collect();
    let metrics = evaluate_clusters(&clusters, &input.truth, &input.sources, link);
    let blocking_recall = args.blocking_recall.then(|| run.blocking_recall(&input.truth));
    let seconds = median(timings.iter().map(|(seconds, _, _)| *seconds));
    let cpu_seconds = median(timings.iter().filter_map(|(_, cpu, _)| *cpu));
    let load_seconds = median(timings.iter().map(|(_, _, load)| *load));

    if let Some(path) = &args.model_out {
        std::fs::write(path, serde_json::to_string_pretty(&run.model)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if args.show_errors > 0 {
        show_errors(&input, &run, link, args.show_errors);
    }
    print_summary(&input, &run, &metrics, blocking_recall, (seconds, cpu_seconds, load_seconds), peak);
    let incremental = args.incremental.then(|| incremental_figures(&input, &run, link, seconds));
    let stats = &run.stats;
    let figures = json!({
        "incremental": incremental,
        "bench": "resolve",
        "input": input.description,
        "task": if link { "link" } else { "dedupe" },
        "records": stats.records,
        "distinct_records": stats.distinct_records,
        "true_pairs": metrics.true_pairs,
        "predicted_pairs": metrics.predicted_pairs,
        "true_positives": metrics.true_positives,
        "precision": round6(metrics.precision),
        "recall": round6(metrics.recall),
        "f1": round6(metrics.f1),
        "blocking_recall": blocking_recall.map(round6),
        "comparisons": stats.comparisons,
        "review_pairs": stats.review_pairs,
        "guarded_links": stats.guarded_links,
        "clusters": stats.clusters,
        "rounds": timings.len(),
        "seconds": round3(seconds),
        "seconds_each": timings.iter().map(|(seconds, _, _)| round3(*seconds)).collect::<Vec<_>>(),
        "cpu_seconds": round3(cpu_seconds),
        "cpu_seconds_each": timings.iter().map(|(_, cpu, _)| cpu.map(round3)).collect::<Vec<_>>(),
        "load_seconds": round3(load_seconds),
        "peak_rss_mb": peak.map(round3),
        "phases": {
            "normalise": round3(stats.seconds_normalise),
            "random_pairs": round3(stats.seconds_random_pairs),
            "blocking": round3(stats.seconds_blocking),
            "comparing": round3(stats.seconds_comparing),
            "training": round3(stats.seconds_training),
            "clustering": round3(stats.seconds_clustering),
        },
    });
    println!("{figures}");
    Ok(ExitCode::SUCCESS)
}

fn print_summary(
    input: &Input,
    run: &MatchRun,
    metrics: &PairwiseMetrics,
    blocking_recall: Option<f64>,
    (seconds, cpu_seconds, load_seconds): (f64, f64, f64),
    peak: Option<f64>,
) {
    let stats = &run.stats;
    println!("resolve benchmark: {}", input.description);
    println!(
        "  records          : {} ({} distinct), {} clusters",
        stats.records, stats.distinct_records, stats.clusters
    );
    println!(
        "  comparisons      : {} after blocking ({} blocks, {} skipped as too large holding {} pairs), {} random pairs for u",
        stats.comparisons, stats.blocks, stats.skipped_blocks, stats.skipped_block_pairs, stats.random_comparisons
    );
    let sessions: Vec<String> = run
        .model
        .training
        .iter()
        .map(|session| {
            format!(
                "{:.0} pairs {:.3} matching in {}{}",
                session.pairs,
                session.match_share,
                session.iterations,
                if session.converged { "" } else { " (not converged)" }
            )
        })
        .collect();
    println!("  model            : prior {:.2} bits; EM sessions: {}", run.model.prior_weight(), sessions.join("; "));
    println!(
        "  pairs            : {} true, {} predicted, {} correct; {} to review ({} by the chaining guard)",
        metrics.true_pairs, metrics.predicted_pairs, metrics.true_positives, stats.review_pairs, stats.guarded_links
    );
    println!(
        "  accuracy         : precision {:.5}, recall {:.5}, F1 {:.5}{}",
        metrics.precision,
        metrics.recall,
        metrics.f1,
        blocking_recall.map_or(String::new(), |recall| format!(" (blocking recall {recall:.5})"))
    );
    println!(
        "  cost             : {seconds:.3} s, {cpu_seconds:.3} CPU-s, peak RSS {:.0} MiB (loading {load_seconds:.2} s apart)",
        peak.unwrap_or(0.0),
    );
    let warnings = &run.warnings;
    if !warnings.is_empty() {
        eprintln!(
            "warning: {} records without a name, {} with a name in a script the skeleton cannot read, {} with an implausible birth date, {} with nothing to compare (they are kept and compared; examples: {})",
            warnings.missing_names,
            warnings.unsupported_scripts,
            warnings.implausible_birth_dates,
            warnings.nothing_to_compare,
            warnings.examples.join("; ")
        );
    }
}

/// Explains up to `limit` missed true pairs (one per entity split) and `limit` wrong joins (one per
/// cluster holding two entities).
fn show_errors(input: &Input, run: &MatchRun, link: bool, limit: usize) {
    let crosses = |left: usize, right: usize| !link || input.sources[left] != input.sources[right];
    let mut first_of_entity: HashMap<(u32, usize), usize> = HashMap::new();
    let mut missed = 0;
    for (record, entity) in input.truth.iter().enumerate() {
        let cluster = run.cluster_of[record];
        match first_of_entity.get(&(*entity, usize::MAX)) {
            Some(first) if run.cluster_of[*first] != cluster && crosses(*first, record) && missed < limit => {
                missed += 1;
                if let Some(explanation) = run.explain(*first, record) {
                    eprintln!("missed: {}", serde_json::to_string(&explanation).unwrap_or_default());
                }
            }
            Some(_) => {}
            None => {
                first_of_entity.insert((*entity, usize::MAX), record);
            }
        }
    }
    // Entities split over clusters: the clusters and their records.
    let mut clusters_of_entity: HashMap<u32, std::collections::BTreeMap<usize, Vec<&str>>> = HashMap::new();
    for (record, entity) in input.truth.iter().enumerate() {
        clusters_of_entity
            .entry(*entity)
            .or_default()
            .entry(run.cluster_of[record])
            .or_default()
            .push(run.record_id(record).unwrap_or("?"));
    }
    let mut split: Vec<_> = clusters_of_entity.values().filter(|clusters| clusters.len() > 1).collect();
    split.sort();
    for clusters in split.iter().take(limit) {
        let parts: Vec<String> = clusters.values().map(|ids| format!("[{}]", ids.join(" "))).collect();
        eprintln!("split: {}", parts.join(" | "));
    }
    let mut first_of_cluster: HashMap<usize, usize> = HashMap::new();
    let mut wrong = 0;
    for (record, cluster) in run.cluster_of.iter().enumerate() {
        match first_of_cluster.get(cluster) {
            Some(first) if input.truth[*first] != input.truth[record] && crosses(*first, record) && wrong < limit => {
                wrong += 1;
                if let Some(explanation) = run.explain(*first, record) {
                    eprintln!("wrongly joined: {}", serde_json::to_string(&explanation).unwrap_or_default());
                }
            }
            Some(_) => {}
            None => {
                first_of_cluster.insert(*cluster, record);
            }
        }
    }
}

fn csv_input(args: &BenchResolveArgs, export: Option<&Path>) -> anyhow::Result<Input> {
    anyhow::ensure!((1..=2).contains(&args.csv.len()), "give one --csv (dedupe) or two (link), or --synth N");
    let truth_path = args.truth.as_ref().context("--truth PAIRS.csv is needed with --csv")?;
    let schema = match args.schema {
        Schema::Febrl => CsvSchema::Febrl,
        Schema::Person => CsvSchema::Person,
    };
    let started = Instant::now();
    let mut records = Vec::new();
    for (source, path) in args.csv.iter().enumerate() {
        let loaded = load_csv(path, schema, source as u8).with_context(|| format!("cannot load {}", path.display()))?;
        if loaded.warning_count > 0 {
            eprintln!(
                "warning: {} rows of {} had problems: {}",
                loaded.warning_count,
                path.display(),
                loaded.warnings.join("; ")
            );
        }
        records.extend(loaded.records);
    }
    let pairs = load_truth_pairs(truth_path).with_context(|| format!("cannot load {}", truth_path.display()))?;
    let ids: Vec<&str> = records.iter().map(|record| record.id.as_str()).collect();
    let (truth, unknown) = truth_from_pairs(&ids, pairs.iter().map(|(left, right)| (left.as_str(), right.as_str())));
    if unknown > 0 {
        eprintln!("warning: {unknown} truth pairs name records that are not in the input");
    }
    let names: Vec<String> = args.csv.iter().map(|path| file_name(path)).collect();
    let mut feeder = Feeder::keeping(export, args.incremental)?;
    for (record, entity) in records.into_iter().zip(truth) {
        feeder.push(record, entity)?;
    }
    feeder.finish(names.join(" + "), started)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned())
}

/// One line of the synthetic population, as far as matching reads it.
#[derive(Deserialize)]
struct SynthLine {
    record_id: String,
    #[serde(default)]
    version: Option<u32>,
    category: String,
    subject: hospes_model::Subject,
    #[serde(default)]
    payload: Value,
}

/// The records of the synthetic population's first people, until there are `wanted` of them; the
/// truth is the person each was written about.
fn synthetic_input(
    wanted: usize,
    seed: u64,
    names_dir: Option<PathBuf>,
    export: Option<&Path>,
    keep: bool,
) -> anyhow::Result<Input> {
    let started = Instant::now();
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).context("a fixed date")?;
    // As many people as there could be (each has at least one record); they are generated one at a
    // time and only as far as needed.
    let mut config = SynthConfig::new(wanted.max(1), seed, as_of);
    config.names_dir = names_dir;
    let population = Population::new(&config)?;
    for warning in population.warnings() {
        eprintln!("warning: {warning}");
    }
    let mut feeder = Feeder::keeping(export, keep)?;
    let (mut records, mut person) = (0usize, 0usize);
    while records < wanted && person < population.people() {
        let synthetic = population.person(person)?;
        for record in synthetic.records() {
            if records >= wanted {
                break;
            }
            let line: SynthLine = serde_json::from_str(&record.line)
                .with_context(|| format!("synthetic record {} does not parse", record.record_id))?;
            feeder.push(synthetic_record(&line), person as u32)?;
            records += 1;
        }
        person += 1;
    }
    feeder.finish(format!("synthetic population (seed {seed}, {person} people)"), started)
}

/// A synthetic record's subject, with the identifiers its payload adds (a document record's
/// number and the number it replaces, a tax record's taxpayer number, a contact's phone).
fn synthetic_record(line: &SynthLine) -> MatchRecord {
    let id = match line.version {
        Some(version) if version > 1 => format!("{}#{version}", line.record_id),
        _ => line.record_id.clone(),
    };
    let mut record = MatchRecord::from_subject(id, &line.subject);
    let text = |field: &str| line.payload.get(field).and_then(Value::as_str).map(str::to_owned);
    match line.category.as_str() {
        "documents" => {
            for number in [text("number"), text("previous_number")].into_iter().flatten() {
                if !record.identifiers.documents.contains(&number) {
                    record.identifiers.documents.push(number);
                }
            }
        }
        "tax" if record.identifiers.taxpayer_number.is_none() => {
            record.identifiers.taxpayer_number = text("taxpayer_number");
        }
        "contacts" if record.identifiers.phone.is_none() => record.identifiers.phone = text("phone"),
        _ => {}
    }
    record
}

/// The input written in the person schema, with its truth beside it.
struct Export {
    writer: PersonCsvWriter,
    truth_path: PathBuf,
    truth: String,
    /// The first record of each entity, which every later record of it is paired with.
    first_of_entity: HashMap<u32, String>,
}

impl Export {
    fn create(path: &Path) -> anyhow::Result<Self> {
        let writer = PersonCsvWriter::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Self {
            writer,
            truth_path: truth_path_beside(path),
            truth: String::from("id_l,id_r\n"),
            first_of_entity: HashMap::new(),
        })
    }

    /// Writes a record: the person schema has one name spelling and one national number, so the
    /// first spelling and the first document number (the most common identifier) go in. Its truth
    /// pair links it to its entity's first record (the truth is the transitive closure).
    fn write(&mut self, record: &MatchRecord, entity: u32) -> anyhow::Result<()> {
        let mut exported = record.clone();
        exported.names.truncate(1);
        if exported.names.is_empty() {
            exported.names.push(NameSpelling::default());
        }
        if exported.identifiers.national_id.is_none() {
            exported.identifiers.national_id = exported.identifiers.documents.first().cloned();
        }
        self.writer.write(&exported)?;
        match self.first_of_entity.get(&entity) {
            Some(first) => {
                self.truth.push_str(first);
                self.truth.push(',');
                self.truth.push_str(&record.id);
                self.truth.push('\n');
            }
            None => {
                self.first_of_entity.insert(entity, record.id.clone());
            }
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        self.writer.finish()?;
        std::fs::write(&self.truth_path, &self.truth)
            .with_context(|| format!("cannot write {}", self.truth_path.display()))?;
        eprintln!("wrote the person-schema input and {}", self.truth_path.display());
        Ok(())
    }
}

/// `people.csv` → `people_truth.csv`.
fn truth_path_beside(path: &Path) -> PathBuf {
    let stem = path.file_stem().map_or_else(|| "export".into(), |stem| stem.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}_truth.csv"))
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// Resolves the input one record at a time through the incremental index, as ingestion does, in a
/// shuffled arrival order, with the model the batch run trained.
fn incremental_figures(input: &Input, run: &MatchRun, link: bool, batch_seconds: f64) -> Value {
    use hospes_resolve::matching::index::MatchIndex;
    let records = &input.records;
    if records.is_empty() {
        eprintln!("--incremental: the records were not kept (only --synth keeps them)");
        return Value::Null;
    }
    // A fixed shuffle, so that people's records arrive interleaved as they would in life.
    let mut order: Vec<usize> = (0..records.len()).collect();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for position in (1..order.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(position, (state % (position as u64 + 1)) as usize);
    }
    let mut index = MatchIndex::new(run.model.clone(), run.config.clone());
    let (upper, _) = run.config.weight_thresholds();
    let mut owner_of = vec![0u32; records.len()];
    let mut latencies: Vec<f64> = Vec::with_capacity(records.len());
    let started = Instant::now();
    for position in order {
        let began = Instant::now();
        let (prepared, _) = index.prepare(&records[position]);
        let candidates = index.candidates(&prepared);
        let owner = candidates
            .first()
            .filter(|candidate| candidate.match_weight >= upper)
            .map_or(position as u128, |candidate| candidate.owner);
        index.insert(prepared, owner);
        owner_of[position] = owner as u32;
        latencies.push(began.elapsed().as_secs_f64() * 1e6);
    }
    let seconds = started.elapsed().as_secs_f64();
    let metrics = evaluate_clusters(&owner_of, &input.truth, &input.sources, link);
    latencies.sort_by(f64::total_cmp);
    let quantile = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let (p50, p99) = (quantile(0.5), quantile(0.99));
    eprintln!(
        "incremental: {} records in {seconds:.2} s ({:.0} records/s), p50 {p50:.0} µs, p99 {p99:.0} µs per record; \
         F1 {:.4} (precision {:.4}, recall {:.4}) — batch: {batch_seconds:.2} s",
        records.len(),
        records.len() as f64 / seconds,
        metrics.f1,
        metrics.precision,
        metrics.recall
    );
    json!({
        "records": records.len(),
        "seconds": round3(seconds),
        "records_per_second": (records.len() as f64 / seconds).round(),
        "p50_us": round3(p50),
        "p99_us": round3(p99),
        "precision": round6(metrics.precision),
        "recall": round6(metrics.recall),
        "f1": round6(metrics.f1),
    })
}
