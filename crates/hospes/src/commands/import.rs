//! Importing NDJSON straight into the store, as one atomic batch per file.
//!
//! Lines are validated on a blocking thread, a chunk ahead of the appends, so parsing and hashing on one
//! core overlap with the database on the other. All chunks go into one write transaction: if any line
//! of the file is invalid or conflicts, every problem is reported and nothing of the file is stored,
//! exactly as for a batch sent over HTTP.

use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use hospes_ingest::{AppendError, BatchLimits, BatchRejection, LineError, ValidatedRecord, append_batch_in};
use hospes_model::{Agency, Timestamp};
use hospes_resolve::{DeterministicResolver, ResolutionInput, ResolveReport, resolve_appended, resolve_pending};
use hospes_store::Store;
use serde::Serialize;

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

/// Imports `chunks` for `agency` in one transaction; `on_chunk` is told how many lines were done.
pub async fn import_chunks(
    store: Arc<dyn Store>,
    agency: Agency,
    chunks: impl Iterator<Item = std::io::Result<Chunk>> + Send + 'static,
    received_at: Timestamp,
    mut on_chunk: impl FnMut(usize),
) -> Result<ImportSummary, ImportError> {
    let limits = BatchLimits { max_lines: usize::MAX, ..BatchLimits::default() };
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<(usize, Result<Vec<ValidatedRecord>, ImportError>)>(2);
    let validator = tokio::task::spawn_blocking(move || {
        for chunk in chunks {
            let outcome = match chunk {
                Ok(chunk) => {
                    let lines = bytecount_lines(&chunk.bytes);
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

    let resolver = DeterministicResolver;
    // Resolution follows the ledger's order: clear any backlog first, so this file resolves with it.
    let backlog = resolve_pending(&*store, &resolver).await.context("resolving earlier records")?;
    let mut summary = ImportSummary { resolution: backlog, ..ImportSummary::default() };
    let mut resolve_after_commit = false;
    let mut transaction = Some(store.begin_write().await.context("cannot open a write transaction")?);
    let mut invalid_lines: Vec<LineError> = Vec::new();
    let (mut waiting, mut appending, mut resolving) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    loop {
        let waited = Instant::now();
        let Some((lines, outcome)) = receiver.recv().await else { break };
        waiting += waited.elapsed();
        summary.lines += lines;
        on_chunk(lines);
        match outcome {
            Ok(records) if invalid_lines.is_empty() => {
                let Some(open) = transaction.as_mut() else { continue };
                let appended_at = Instant::now();
                let appended = append_batch_in(&mut **open, records).await;
                appending += appended_at.elapsed();
                match appended {
                    Ok(report) => {
                        summary.accepted += report.accepted.len();
                        summary.duplicates += report.duplicates.len();
                        let inputs: Vec<ResolutionInput> =
                            report.appended.iter().map(ResolutionInput::from_appended).collect();
                        if !resolve_after_commit {
                            let resolved_at = Instant::now();
                            match resolve_appended(&mut **open, &resolver, &inputs).await.context("resolution")? {
                                Some(resolved) => summary.resolution.add_report(&resolved),
                                None => resolve_after_commit = true,
                            }
                            resolving += resolved_at.elapsed();
                        }
                    }
                    Err(AppendError::Rejected(BatchRejection::InvalidLines(errors))) => {
                        // Keep validating the rest so every problem is reported; store nothing.
                        transaction = None;
                        invalid_lines.extend(errors);
                    }
                    Err(error) => return Err(ImportError::Other(error.into())),
                }
            }
            Ok(_) => {}
            Err(ImportError::InvalidLines(errors)) => {
                transaction = None;
                invalid_lines.extend(errors);
            }
            Err(error) => return Err(error),
        }
    }
    validator.await.context("the validation thread failed")?;
    if !invalid_lines.is_empty() {
        return Err(ImportError::InvalidLines(invalid_lines));
    }
    let committed_at = Instant::now();
    match transaction {
        Some(open) => open.commit().await.context("cannot commit the import")?,
        None => return Err(ImportError::Rejected(BatchRejection::Empty)),
    }
    tracing::debug!(?waiting, ?appending, ?resolving, committing = ?committed_at.elapsed(), "import phases");
    if summary.accepted + summary.duplicates == 0 {
        return Err(ImportError::Rejected(BatchRejection::Empty));
    }
    if resolve_after_commit {
        let resolved = resolve_pending(&*store, &resolver).await.context("resolution")?;
        summary.resolution.add_report(&resolved);
    }
    Ok(summary)
}

fn bytecount_lines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|byte| **byte == b'\n').count()
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
    on_chunk: impl FnMut(usize),
) -> Result<ImportSummary, ImportError> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    import_chunks(store, agency, chunks_of(reader, lines_per_chunk), hospes_ingest::receipt_time(), on_chunk).await
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
