//! Biometric interchange formats.
//!
//! - [`template`]: finger minutiae records — ISO/IEC 19794-2:2005 and :2011, ANSI INCITS 378-2004 and
//!   -2009 (with its amendment 1), read and written;
//! - [`an2k`]: ANSI/NIST-ITL 1-2011 transactions (and the 2000–2007 editions they extend), read, with
//!   their images and minutiae extracted.
//!
//! Every parser works on untrusted bytes: each length and count is checked against what is there, and
//! a bad input gives a [`FormatError`] that says what is wrong and at which byte offset — never a panic.

pub mod an2k;
pub mod template;

/// Why bytes could not be read as the format they claim to be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("{what} at byte {offset}: needs {needed} byte(s), only {available} left")]
    Truncated { what: &'static str, offset: usize, needed: usize, available: usize },
    #[error("not a {expected} record: it starts with {found:?}")]
    BadMagic { expected: &'static str, found: Vec<u8> },
    #[error("{what} at byte {offset}: {problem}")]
    Invalid { what: &'static str, offset: usize, problem: String },
    #[error("cannot write the record: {0}")]
    Unwritable(String),
}

/// A big-endian cursor over untrusted bytes whose every read is bounds-checked.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, offset: 0 }
    }

    pub(crate) fn offset(&self) -> usize {
        self.offset
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.offset)
    }

    pub(crate) fn take(&mut self, count: usize, what: &'static str) -> Result<&'a [u8], FormatError> {
        let end = self
            .offset
            .checked_add(count)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(FormatError::Truncated { what, offset: self.offset, needed: count, available: self.remaining() })?;
        let slice = &self.bytes[self.offset..end];
        self.offset = end;
        Ok(slice)
    }

    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, FormatError> {
        Ok(self.take(1, what)?[0])
    }

    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, FormatError> {
        let bytes = self.take(2, what)?;
        Ok(u16::from_be_bytes([bytes[0], bytes[1]]))
    }

    pub(crate) fn u32(&mut self, what: &'static str) -> Result<u32, FormatError> {
        let bytes = self.take(4, what)?;
        Ok(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    pub(crate) fn invalid(&self, what: &'static str, problem: impl Into<String>) -> FormatError {
        FormatError::Invalid { what, offset: self.offset, problem: problem.into() }
    }
}
