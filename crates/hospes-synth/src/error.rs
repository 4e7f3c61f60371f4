//! What can go wrong while generating or writing a population.

use std::path::PathBuf;

/// Why a population could not be generated or written.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// A names data file exists but could not be read.
    #[error("cannot read the names data file {path}: {source}")]
    NamesDataUnreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A names data file has no column the generator needs.
    #[error("the names data file {path} has no column {column:?}")]
    NamesDataColumnMissing { path: PathBuf, column: String },
    /// A value the generator built was refused by the record model: a bug in the generator, reported
    /// rather than written, so that no invalid line ever leaves it.
    #[error("the generator built an invalid {what}: {reason}")]
    InvalidGeneratedValue { what: &'static str, reason: String },
    /// A person index at or beyond the population size was asked for.
    #[error("person index {index} is outside a population of {people}")]
    PersonOutOfRange { index: usize, people: usize },
    /// Writing the output failed.
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A record could not be serialised.
    #[error("cannot serialise a record: {0}")]
    Serialise(#[from] serde_json::Error),
    /// A generation thread panicked.
    #[error("a generation thread stopped unexpectedly")]
    ThreadFailed,
}

impl SynthError {
    pub(crate) fn invalid(what: &'static str, reason: impl ToString) -> Self {
        Self::InvalidGeneratedValue { what, reason: reason.to_string() }
    }
}
