//! Importing NDJSON straight into the store, as one atomic batch per file.
//!
//! Lines are validated on a blocking thread, a chunk ahead of the appends, so parsing and hashing on one
//! core overlap with the database on the other. All chunks go into one write transaction: if any line
//! of the file is invalid or conflicts, every problem is reported and nothing of the file is stored,
//! exactly as for a batch sent over HTTP. (One transaction is also the fastest way through SQLite: a
//! page that many chunks touch is written to the database once, not at every commit.)
//!
//! Resolution runs in the same transaction, chunk by chunk, from the records at hand, unless the caller
//! defers it (`--no-resolve`, then `hospes resolve`).

use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use hospes_ingest::{AppendError, BatchLimits, BatchRejection, LineError, ValidatedRecord, append_batch_in};
use hospes_model::{Agency, Timestamp};
use hospes_resolve::{ResolutionInput, ResolveReport, Resolver, resolve_appended, resolve_pending};
use hospes_store::Store;
use serde::Serialize;

/// Whether an import resolves what it appends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Resolve each chunk in the import's transaction (and any older backlog first).
    WithTheImport,
    /// Append only; `hospes resolve` (or the server at start-up) resolves later.
    Deferred,
}

/// What an import did.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct ImportSummary {
    pub lines: usize,
    pub accepted: usize,
    pub duplicates: usize,
    /// Resolution of the imported records (and of any older backlog).
    pub resolution: ResolveReport,
}

/// Why an import stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} line(s) are invalid; nothing was stored", .0.len())]
    InvalidLines(Vec<LineError>),
    #[error("{0}; nothing was stored")]
    Rejected(BatchRejection),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// A chunk of lines and where it starts in the file.
pub struct Chunk {
    pub first_line: usize,
    pub bytes: Vec<u8>,
}

/// Splits a reader into chunks of at most `lines_per_chunk` lines.
pub fn chunks_of(reader: impl BufRead, lines_per_chunk: usize) -> impl Iterator<Item = std::io::Result<Chunk>> {
    let mut lines = reader.split(b'\n');
    let mut next_line = 1;
    std::iter::from_fn(move || {
        let mut bytes = Vec::new();
        let first_line = next_line;
        for _ in 0..lines_per_chunk.max(1) {
            match lines.next() {
                Some(Ok(line)) => {
                    bytes.extend_from_slice(&line);
                    bytes.push(b'\n');
                    next_line += 1;
                }
                Some(Err(error)) => return Some(Err(error)),
                None => break,
            }
        }
        (!bytes.is_empty()).then_some(Ok(Chunk { first_line, bytes }))
    })
}

/// A validated chunk, or why it is not.
type ValidatedChunk = (usize, Result<Vec<ValidatedRecord>, ImportError>);

/// Validates `chunks` on a blocking thread, a little ahead of the consumer.
fn validate_ahead(
    agency: Agency,
    chunks: impl Iterator<Item = std::io::Result<Chunk>> + Send + 'static,
    received_at: Timestamp,
) -> (tokio::sync::mpsc::Receiver<ValidatedChunk>, tokio::task::JoinHandle<()>) {
    let limits = BatchLimits { max_lines: usize::MAX, ..BatchLimits::default() };
    let (sender, receiver) = tokio::sync::mpsc::channel::<ValidatedChunk>(2);
    let validator = tokio::task::spawn_blocking(move || {
        for chunk in chunks {
            let outcome = match chunk {
                Ok(chunk) => {
                    let lines = chunk.bytes.iter().filter(|byte| **byte == b'\n').count();
                    let result = match hospes_ingest::validate_batch(&agency, &chunk.bytes, received_at, &limits) {
                        Ok(mut records) => {
                            for record in &mut records {
                                record.line += chunk.first_line - 1;
                            }
                            Ok(records)
                        }
                        // A chunk of blank lines holds nothing; the file as a whole may still.
                        Err(BatchRejection::Empty) => Ok(Vec::new()),
                        Err(rejection) => Err(shift_rejection(rejection, chunk.first_line)),
                    };
                    (lines, result)
                }
                Err(error) => (0, Err(ImportError::Other(anyhow::Error::new(error).context("cannot read the file")))),
            };
            if sender.blocking_send(outcome).is_err() {
                return;
            }
        }
    });
    (receiver, validator)
}

/// Imports `chunks` for `agency` in one transaction; `on_chunk` is told how many lines were done.
pub async fn import_chunks(
    store: Arc<dyn Store>,
    agency: Agency,
    chunks: impl Iterator<Item = std::io::Result<Chunk>> + Send + 'static,
    received_at: Timestamp,
    resolution: Resolution,
    resolver: &dyn Resolver,
    mut on_chunk: impl FnMut(usize),
) -> Result<ImportSummary, ImportError> {
    let mut summary = ImportSummary::default();
    let mut resolve_with_chunks = resolution == Resolution::WithTheImport;
    if resolve_with_chunks {
        // Resolution follows the ledger's order: clear any backlog first, so this file resolves with it.
        summary.resolution = resolve_pending(&*store, resolver).await.context("resolving earlier records")?;
    }
    let (mut receiver, validator) = validate_ahead(agency, chunks, received_at);
    let mut transaction = Some(store.begin_write().await.context("cannot open a write transaction")?);
    let mut invalid_lines: Vec<LineError> = Vec::new();
    let (mut waiting, mut appending, mut resolving) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    loop {
        let waited = Instant::now();
        let Some((lines, outcome)) = receiver.recv().await else { break };
        waiting += waited.elapsed();
        summary.lines += lines;
        on_chunk(lines);
        let records = match outcome {
            Ok(records) => records,
            Err(ImportError::InvalidLines(errors)) => {
                // Keep validating the rest so every problem is reported; store nothing.
                transaction = None;
                invalid_lines.extend(errors);
                continue;
            }
            Err(error) => return Err(error),
        };
        let Some(open) = transaction.as_mut() else { continue };
        let appended_at = Instant::now();
        let report = match append_batch_in(&mut **open, records).await {
            Ok(report) => report,
            Err(AppendError::Rejected(BatchRejection::InvalidLines(errors))) => {
                transaction = None;
                invalid_lines.extend(errors);
                continue;
            }
            Err(error) => return Err(ImportError::Other(error.into())),
        };
        appending += appended_at.elapsed();
        summary.accepted += report.accepted.len();
        summary.duplicates += report.duplicates.len();
        if resolve_with_chunks {
            let resolved_at = Instant::now();
            let inputs: Vec<ResolutionInput> = report.appended.iter().map(ResolutionInput::from_appended).collect();
            match resolve_appended(&mut **open, resolver, &inputs).await.context("resolution")? {
                Some(resolved) => summary.resolution.add_report(&resolved),
                // Someone appended unresolved records meanwhile: resolve everything after committing.
                None => resolve_with_chunks = false,
            }
            resolving += resolved_at.elapsed();
        }
    }
    validator.await.context("the validation thread failed")?;
    if !invalid_lines.is_empty() {
        return Err(ImportError::InvalidLines(invalid_lines));
    }
    let (Some(open), true) = (transaction, summary.accepted + summary.duplicates > 0) else {
        return Err(ImportError::Rejected(BatchRejection::Empty));
    };
    let committed_at = Instant::now();
    open.commit().await.context("cannot commit the import")?;
    tracing::debug!(?waiting, ?appending, ?resolving, committing = ?committed_at.elapsed(), "import phases");
    if resolution == Resolution::WithTheImport && !resolve_with_chunks {
        let resolved = resolve_pending(&*store, resolver).await.context("resolution")?;
        summary.resolution.add_report(&resolved);
    }
    Ok(summary)
}

/// Renumbers a chunk's line errors to lines of the whole file.
fn shift_rejection(rejection: BatchRejection, first_line: usize) -> ImportError {
    match rejection {
        BatchRejection::InvalidLines(errors) => ImportError::InvalidLines(
            errors.into_iter().map(|error| LineError { line: error.line + first_line - 1, ..error }).collect(),
        ),
        other => ImportError::Rejected(other),
    }
}

/// Opens `path` and imports it.
pub async fn import_file(
    store: Arc<dyn Store>,
    agency: Agency,
    path: &Path,
    lines_per_chunk: usize,
    resolution: Resolution,
    resolver: &dyn Resolver,
    on_chunk: impl FnMut(usize),
) -> Result<ImportSummary, ImportError> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    import_chunks(
        store,
        agency,
        chunks_of(reader, lines_per_chunk),
        hospes_ingest::receipt_time(),
        resolution,
        resolver,
        on_chunk,
    )
    .await
}

/// Prints every line error, one per line, for a person to fix the file.
pub fn print_line_errors(errors: &[LineError]) {
    const SHOWN: usize = 200;
    for error in errors.iter().take(SHOWN) {
        let path = if error.path.is_empty() { String::new() } else { format!(" {}", error.path) };
        eprintln!("  line {}{path}: {}", error.line, error.reason);
    }
    if errors.len() > SHOWN {
        eprintln!("  … and {} more", errors.len() - SHOWN);
    }
}
