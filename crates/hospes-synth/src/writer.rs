//! Writing a population to disk: one NDJSON file per agency, lines in the order of their
//! effective date (then record id and version), and `truth.csv` mapping every record id to the
//! true person.
//!
//! People are generated in chunks of [`CHUNK_PEOPLE`] on all cores. A population of one chunk is
//! sorted in memory; a larger one is written chunk by chunk as sorted runs to a temporary folder
//! inside the output folder and merged, so memory stays bounded (a few hundred megabytes) whatever
//! the population size, and every agency file is in chronological order from its first line to
//! its last.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::agencies::AGENCY_IDS;
use crate::error::SynthError;
use crate::population::{Population, SynthConfig, SyntheticPerson};
use crate::typos::{ErrorRates, ErrorTally};

/// People generated (and held in memory) at a time.
pub const CHUNK_PEOPLE: usize = 8192;
/// The name of the ground-truth file.
pub const TRUTH_FILE: &str = "truth.csv";
const RUNS_FOLDER: &str = ".hospes-synth-runs";

/// Counts of people with each notable fact, for a quick look at what was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FactCounts {
    pub never_entered: usize,
    pub needing_visas: usize,
    pub labour_migrants_under_patent: usize,
    pub with_lapsed_patent: usize,
    pub with_renewed_passport: usize,
    pub with_lost_passport: usize,
    pub overstayed: usize,
    pub registration_missing_or_late: usize,
    pub with_residence_permit: usize,
    pub with_offences: usize,
    pub with_unpaid_fines: usize,
    pub convicted: usize,
    pub entry_banned: usize,
    pub wanted: usize,
    pub in_controlled_register: usize,
    pub with_taxpayer_number: usize,
    pub with_social_insurance_number: usize,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SynthSummary {
    pub people: usize,
    pub seed: u64,
    pub as_of: NaiveDate,
    /// Lines written (every version of every record).
    pub records: usize,
    /// Distinct record ids (the rows of `truth.csv`).
    pub distinct_records: usize,
    pub records_per_agency: BTreeMap<String, usize>,
    pub people_per_origin: BTreeMap<String, usize>,
    pub people_per_purpose: BTreeMap<String, usize>,
    pub facts: FactCounts,
    pub error_rates: ErrorRates,
    pub errors: ErrorTally,
    /// Names drawn from each data file (empty when the data was missing).
    pub data_names_used: BTreeMap<String, usize>,
    /// What the generator had to do without.
    pub warnings: Vec<String>,
}

impl SynthSummary {
    fn new(population: &Population) -> Self {
        let config = population.config();
        Self {
            people: config.people,
            seed: config.seed,
            as_of: config.as_of,
            records: 0,
            distinct_records: 0,
            records_per_agency: AGENCY_IDS.iter().map(|id| ((*id).to_owned(), 0)).collect(),
            people_per_origin: BTreeMap::new(),
            people_per_purpose: BTreeMap::new(),
            facts: FactCounts::default(),
            error_rates: population.error_rates,
            errors: ErrorTally::default(),
            data_names_used: population.data_names_used().clone(),
            warnings: population.warnings().to_vec(),
        }
    }

    /// Adds the people counted in `other` (a thread's share of a chunk).
    fn add_counts(&mut self, other: &SynthSummary) {
        for (key, count) in &other.people_per_origin {
            *self.people_per_origin.entry(key.clone()).or_default() += count;
        }
        for (key, count) in &other.people_per_purpose {
            *self.people_per_purpose.entry(key.clone()).or_default() += count;
        }
        self.errors += other.errors;
        let (mine, theirs) = (&mut self.facts, &other.facts);
        for (target, source) in [
            (&mut mine.never_entered, theirs.never_entered),
            (&mut mine.needing_visas, theirs.needing_visas),
            (&mut mine.labour_migrants_under_patent, theirs.labour_migrants_under_patent),
            (&mut mine.with_lapsed_patent, theirs.with_lapsed_patent),
            (&mut mine.with_renewed_passport, theirs.with_renewed_passport),
            (&mut mine.with_lost_passport, theirs.with_lost_passport),
            (&mut mine.overstayed, theirs.overstayed),
            (&mut mine.registration_missing_or_late, theirs.registration_missing_or_late),
            (&mut mine.with_residence_permit, theirs.with_residence_permit),
            (&mut mine.with_offences, theirs.with_offences),
            (&mut mine.with_unpaid_fines, theirs.with_unpaid_fines),
            (&mut mine.convicted, theirs.convicted),
            (&mut mine.entry_banned, theirs.entry_banned),
            (&mut mine.wanted, theirs.wanted),
            (&mut mine.in_controlled_register, theirs.in_controlled_register),
            (&mut mine.with_taxpayer_number, theirs.with_taxpayer_number),
            (&mut mine.with_social_insurance_number, theirs.with_social_insurance_number),
        ] {
            *target += source;
        }
    }

    fn count(&mut self, person: &SyntheticPerson) {
        let label = |value: &dyn erased::Label| value.label();
        *self.people_per_origin.entry(label(&person.origin)).or_default() += 1;
        *self.people_per_purpose.entry(label(&person.purpose)).or_default() += 1;
        self.errors += person.errors;
        let facts = &person.facts;
        let counts = &mut self.facts;
        let add = |condition: bool, counter: &mut usize| {
            if condition {
                *counter += 1;
            }
        };
        add(facts.stays == 0, &mut counts.never_entered);
        add(facts.needs_visa, &mut counts.needing_visas);
        add(facts.works_under_patent, &mut counts.labour_migrants_under_patent);
        add(facts.lapsed_patent, &mut counts.with_lapsed_patent);
        add(facts.passport_renewed, &mut counts.with_renewed_passport);
        add(facts.passport_lost, &mut counts.with_lost_passport);
        add(facts.overstayed, &mut counts.overstayed);
        add(facts.registration_missing_or_late, &mut counts.registration_missing_or_late);
        add(facts.residence_permit, &mut counts.with_residence_permit);
        add(facts.offences > 0, &mut counts.with_offences);
        add(facts.unpaid_fines > 0, &mut counts.with_unpaid_fines);
        add(facts.convicted, &mut counts.convicted);
        add(facts.entry_banned, &mut counts.entry_banned);
        add(facts.wanted, &mut counts.wanted);
        add(facts.in_controlled_register, &mut counts.in_controlled_register);
        add(facts.taxpayer_number.is_some(), &mut counts.with_taxpayer_number);
        add(facts.social_insurance_number.is_some(), &mut counts.with_social_insurance_number);
    }
}

/// Serialisable enums as their snake_case names, for the summary's keys.
mod erased {
    pub(super) trait Label {
        fn label(&self) -> String;
    }

    impl<T: serde::Serialize> Label for T {
        fn label(&self) -> String {
            serde_json::to_value(self).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default()
        }
    }
}

/// The sort key of a line: effective date, record id, version. Record ids of one agency all have
/// the same length, so comparing their bytes orders them; the key is read back from the line
/// itself (whose first fields the generator writes in a fixed order), so runs on disk hold nothing
/// but the lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    effective_from: [u8; 10],
    record_id: [u8; 24],
    version: u32,
}

impl SortKey {
    fn of(line: &str) -> SortKey {
        let mut key = SortKey { effective_from: [0; 10], record_id: [0; 24], version: 1 };
        const RECORD_ID: &str = "{\"record_id\":\"";
        if let Some(rest) = line.strip_prefix(RECORD_ID)
            && let Some(end) = rest.find('"')
        {
            let id = &rest.as_bytes()[..end.min(24)];
            key.record_id[..id.len()].copy_from_slice(id);
            if let Some(version) = rest[end..].strip_prefix("\",\"version\":") {
                let digits: String = version.chars().take_while(char::is_ascii_digit).collect();
                key.version = digits.parse().unwrap_or(1);
            }
        }
        const EFFECTIVE_FROM: &str = "\"effective_from\":\"";
        if let Some(position) = line.find(EFFECTIVE_FROM)
            && let Some(date) =
                line.as_bytes().get(position + EFFECTIVE_FROM.len()..position + EFFECTIVE_FROM.len() + 10)
        {
            key.effective_from.copy_from_slice(date);
        }
        key
    }
}

/// The lines one generation thread produced for one agency, packed in one buffer (few, large
/// allocations: memory is returned when the chunk is done, and does not fragment).
#[derive(Default)]
struct PackedLines {
    bytes: Vec<u8>,
    /// Key, start and length of each line in `bytes`.
    lines: Vec<(SortKey, usize, usize)>,
}

/// One agency's lines of a chunk, sorted: (key, thread, start, length), and the threads' buffers.
struct AgencyLines {
    buffers: Vec<Vec<u8>>,
    order: Vec<(SortKey, usize, usize, usize)>,
}

impl AgencyLines {
    fn write_to(&self, output: &mut impl Write) -> std::io::Result<()> {
        for (_, thread, start, length) in &self.order {
            output.write_all(&self.buffers[*thread][*start..*start + *length])?;
            output.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// What the generation of one chunk gives back.
struct Chunk {
    per_agency: Vec<AgencyLines>,
    truth: String,
    distinct_records: usize,
}

/// What one generation thread gives back.
struct ThreadOutput {
    per_agency: Vec<PackedLines>,
    truth: String,
    distinct_records: usize,
    counts: SynthSummary,
}

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> SynthError + '_ {
    move |source| SynthError::Write { path: path.to_path_buf(), source }
}

/// Generates the population of `config` into `out_dir` (created if missing); `progress` is told
/// how many people are done after each chunk.
pub fn write_population(
    config: &SynthConfig,
    out_dir: &Path,
    progress: impl FnMut(usize),
) -> Result<SynthSummary, SynthError> {
    let population = Population::new(config)?;
    write_population_of(&population, out_dir, progress)
}

/// As [`write_population`], for a population already prepared (with other error rates, say).
pub fn write_population_of(
    population: &Population,
    out_dir: &Path,
    progress: impl FnMut(usize),
) -> Result<SynthSummary, SynthError> {
    write_population_in_chunks(population, out_dir, CHUNK_PEOPLE, progress)
}

/// As [`write_population_of`], generating `chunk_people` people at a time: smaller chunks hold
/// less in memory and write more temporary runs. The output is the same for every chunk size.
pub fn write_population_in_chunks(
    population: &Population,
    out_dir: &Path,
    chunk_people: usize,
    mut progress: impl FnMut(usize),
) -> Result<SynthSummary, SynthError> {
    let chunk_people = chunk_people.max(1);
    std::fs::create_dir_all(out_dir).map_err(write_error(out_dir))?;
    let people = population.people();
    let mut summary = SynthSummary::new(population);
    let truth_path = out_dir.join(TRUTH_FILE);
    let mut truth = BufWriter::new(File::create(&truth_path).map_err(write_error(&truth_path))?);
    truth.write_all(b"record_id,person_id\n").map_err(write_error(&truth_path))?;

    let chunk_count = people.div_ceil(chunk_people);
    let runs_folder = out_dir.join(RUNS_FOLDER);
    let mut runs: Vec<Run> = Vec::new();
    let mut in_memory: Option<Vec<AgencyLines>> = None;
    // Each run is written on a thread of its own while the next chunk is generated; its buffers
    // then come back for the chunk after (reusing them keeps the allocator from fragmenting).
    let mut pending_run: Option<RunWriter> = None;
    let mut spare_buffers: SpareBuffers = vec![Vec::new(); AGENCY_IDS.len()];
    for chunk_index in 0..chunk_count {
        let start = chunk_index * chunk_people;
        let end = (start + chunk_people).min(people);
        let chunk = generate_chunk(population, start..end, &mut summary, &mut spare_buffers)?;
        truth.write_all(chunk.truth.as_bytes()).map_err(write_error(&truth_path))?;
        summary.distinct_records += chunk.distinct_records;
        if chunk_count == 1 {
            in_memory = Some(chunk.per_agency);
        } else {
            std::fs::create_dir_all(&runs_folder).map_err(write_error(&runs_folder))?;
            if let Some(writer) = pending_run.take() {
                let (run, buffers) = writer.join().unwrap_or(Err(SynthError::ThreadFailed))?;
                runs.push(run);
                for (spare, returned) in spare_buffers.iter_mut().zip(buffers) {
                    spare.extend(returned);
                }
            }
            let folder = runs_folder.clone();
            let per_agency = chunk.per_agency;
            pending_run = Some(std::thread::spawn(move || write_run(&folder, chunk_index, per_agency)));
        }
        progress(end);
    }
    if let Some(writer) = pending_run.take() {
        let (run, _) = writer.join().unwrap_or(Err(SynthError::ThreadFailed))?;
        runs.push(run);
    }
    drop(spare_buffers);
    truth.flush().map_err(write_error(&truth_path))?;

    // Each agency's file is written (merged) on its own thread, a few at a time.
    let threads = std::thread::available_parallelism().map(|count| count.get()).unwrap_or(1).clamp(1, 8);
    let in_memory = &in_memory;
    let runs = &runs;
    let counts: Vec<Result<(usize, usize), SynthError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|thread| {
                scope.spawn(move || -> Vec<Result<(usize, usize), SynthError>> {
                    (thread..AGENCY_IDS.len())
                        .step_by(threads)
                        .map(|agency_position| {
                            write_agency_file(out_dir, agency_position, in_memory.as_ref(), runs)
                                .map(|written| (agency_position, written))
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_else(|_| vec![Err(SynthError::ThreadFailed)]))
            .collect()
    });
    for count in counts {
        let (agency_position, written) = count?;
        summary.records_per_agency.insert(AGENCY_IDS[agency_position].to_owned(), written);
        summary.records += written;
    }
    if !runs.is_empty() {
        std::fs::remove_dir_all(&runs_folder).map_err(write_error(&runs_folder))?;
    }
    Ok(summary)
}

/// Writes one agency's file, from memory or by merging the runs; returns the lines written.
fn write_agency_file(
    out_dir: &Path,
    agency_position: usize,
    in_memory: Option<&Vec<AgencyLines>>,
    runs: &[Run],
) -> Result<usize, SynthError> {
    let path = out_dir.join(format!("{}.ndjson", AGENCY_IDS[agency_position]));
    let mut output = BufWriter::with_capacity(1 << 20, File::create(&path).map_err(write_error(&path))?);
    let written = match in_memory {
        Some(per_agency) => {
            per_agency[agency_position].write_to(&mut output).map_err(write_error(&path))?;
            per_agency[agency_position].order.len()
        }
        None => merge_runs(runs, agency_position, &mut output, &path)?,
    };
    output.flush().map_err(write_error(&path))?;
    Ok(written)
}

/// Generates people `range` on all cores and sorts each agency's lines.
fn generate_chunk(
    population: &Population,
    range: std::ops::Range<usize>,
    summary: &mut SynthSummary,
    spare_buffers: &mut SpareBuffers,
) -> Result<Chunk, SynthError> {
    let threads = std::thread::available_parallelism().map(|count| count.get()).unwrap_or(1).clamp(1, 16);
    let per_thread = range.len().div_ceil(threads).max(1);
    let outputs: Vec<Result<ThreadOutput, SynthError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|thread| {
                let first = (range.start + thread * per_thread).min(range.end);
                let last = (first + per_thread).min(range.end);
                let buffers: Vec<Vec<u8>> =
                    spare_buffers.iter_mut().map(|spare| spare.pop().unwrap_or_default()).collect();
                scope.spawn(move || generate_people(population, first..last, buffers))
            })
            .collect();
        handles.into_iter().map(|handle| handle.join().unwrap_or(Err(SynthError::ThreadFailed))).collect()
    });
    let mut per_agency: Vec<AgencyLines> =
        (0..AGENCY_IDS.len()).map(|_| AgencyLines { buffers: Vec::new(), order: Vec::new() }).collect();
    let mut truth = String::new();
    let mut distinct_records = 0;
    for (thread, output) in outputs.into_iter().enumerate() {
        let output = output?;
        summary.add_counts(&output.counts);
        truth.push_str(&output.truth);
        distinct_records += output.distinct_records;
        for (agency, packed) in per_agency.iter_mut().zip(output.per_agency) {
            agency.order.extend(packed.lines.iter().map(|(key, start, length)| (*key, thread, *start, *length)));
            agency.buffers.push(packed.bytes);
        }
    }
    std::thread::scope(|scope| {
        for agency in per_agency.iter_mut() {
            scope.spawn(move || agency.order.sort_unstable_by_key(|(key, ..)| *key));
        }
    });
    Ok(Chunk { per_agency, truth, distinct_records })
}

/// Generates people `range` on the calling thread, packing their lines into one buffer per agency
/// (`buffers`, in agency order, emptied first).
fn generate_people(
    population: &Population,
    range: std::ops::Range<usize>,
    buffers: Vec<Vec<u8>>,
) -> Result<ThreadOutput, SynthError> {
    let mut output = ThreadOutput {
        per_agency: buffers
            .into_iter()
            .map(|mut bytes| {
                bytes.clear();
                PackedLines { bytes, lines: Vec::new() }
            })
            .collect(),
        truth: String::new(),
        distinct_records: 0,
        counts: SynthSummary::new(population),
    };
    for index in range {
        let person = population.person(index)?;
        output.counts.count(&person);
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for record in person.records() {
            if seen.insert(&record.record_id) {
                output.truth.push_str(&record.record_id);
                output.truth.push(',');
                output.truth.push_str(&person.person_id);
                output.truth.push('\n');
                output.distinct_records += 1;
            }
            let position = AGENCY_IDS.iter().position(|agency| *agency == record.agency).unwrap_or(0);
            let packed = &mut output.per_agency[position];
            let key = SortKey::of(&record.line);
            packed.lines.push((key, packed.bytes.len(), record.line.len()));
            packed.bytes.extend_from_slice(record.line.as_bytes());
        }
    }
    Ok(output)
}

/// Buffers kept for reuse, by agency (an agency's buffer has about the size that agency needs).
type SpareBuffers = Vec<Vec<Vec<u8>>>;

/// The thread writing a run, which gives back the run and its buffers.
type RunWriter = std::thread::JoinHandle<Result<(Run, SpareBuffers), SynthError>>;

/// One chunk's sorted lines on disk: one file, each agency's lines in one segment.
struct Run {
    path: PathBuf,
    /// Byte offset and length of each agency's segment.
    segments: Vec<(u64, u64)>,
}

/// Writes one chunk's sorted lines as a run; gives back the chunk's buffers for reuse.
fn write_run(
    folder: &Path,
    chunk_index: usize,
    per_agency: Vec<AgencyLines>,
) -> Result<(Run, SpareBuffers), SynthError> {
    let path = folder.join(format!("run-{chunk_index:06}.ndjson"));
    let mut output = BufWriter::with_capacity(1 << 20, File::create(&path).map_err(write_error(&path))?);
    let mut segments = Vec::with_capacity(per_agency.len());
    let mut offset = 0u64;
    for lines in &per_agency {
        lines.write_to(&mut output).map_err(write_error(&path))?;
        let length: u64 = lines.order.iter().map(|(_, _, _, length)| *length as u64 + 1).sum();
        segments.push((offset, length));
        offset += length;
    }
    output.flush().map_err(write_error(&path))?;
    let buffers = per_agency.into_iter().map(|lines| lines.buffers).collect();
    Ok((Run { path, segments }, buffers))
}

/// Merges one agency's segment of every run into `output`; returns the lines written.
fn merge_runs(
    runs: &[Run],
    agency_position: usize,
    output: &mut impl Write,
    output_path: &Path,
) -> Result<usize, SynthError> {
    let mut readers = Vec::with_capacity(runs.len());
    for run in runs {
        let (start, length) = run.segments[agency_position];
        let mut file = File::open(&run.path).map_err(write_error(&run.path))?;
        file.seek(SeekFrom::Start(start)).map_err(write_error(&run.path))?;
        readers.push(BufReader::with_capacity(1 << 16, file.take(length)));
    }
    // The current line of each run, and a heap of their keys.
    let mut current: Vec<Vec<u8>> = vec![Vec::with_capacity(1024); runs.len()];
    let mut heap: BinaryHeap<Reverse<(SortKey, usize)>> = BinaryHeap::with_capacity(runs.len());
    let mut advance = |position: usize,
                       current: &mut Vec<Vec<u8>>,
                       heap: &mut BinaryHeap<Reverse<(SortKey, usize)>>|
     -> Result<(), SynthError> {
        let buffer = &mut current[position];
        buffer.clear();
        let bytes = readers[position].read_until(b'\n', buffer).map_err(write_error(&runs[position].path))?;
        if bytes > 0 {
            let line = std::str::from_utf8(buffer).unwrap_or("");
            heap.push(Reverse((SortKey::of(line), position)));
        }
        Ok(())
    };
    for position in 0..runs.len() {
        advance(position, &mut current, &mut heap)?;
    }
    let mut written = 0;
    while let Some(Reverse((_, position))) = heap.pop() {
        let line = &current[position];
        output.write_all(line).map_err(write_error(output_path))?;
        if !line.ends_with(b"\n") {
            output.write_all(b"\n").map_err(write_error(output_path))?;
        }
        written += 1;
        advance(position, &mut current, &mut heap)?;
    }
    Ok(written)
}
