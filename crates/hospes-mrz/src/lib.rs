//! ICAO Doc 9303 machine-readable zones (MRZ): reading them, writing them, and the names in them.
//!
//! A border officer's reader sees two or three lines of `A`–`Z`, `0`–`9` and `<`. This crate
//!
//! * **parses** the five Doc 9303 layouts — TD1 (3×30), TD2 (2×36), TD3 (2×44), and the visas
//!   MRV-A (2×44) and MRV-B (2×36), told from TD3 and TD2 by the `V` that starts a visa — into
//!   typed fields ([`MachineReadableZone::parse`]). A zone that is not an MRZ at all (wrong number
//!   of lines, wrong lengths, foreign characters, a letter in a date) is an [`MrzError`] saying
//!   where. A wrong *check digit* is not an error: each one is recorded by name with what was
//!   expected and what was found, so the fields stay visible and the caller decides (or calls
//!   [`MachineReadableZone::require_valid`]);
//! * **encodes** fields back into lines ([`encode`]), computing every check digit and truncating
//!   over-long names, so that test populations carry valid documents;
//! * **transliterates** names from Latin-with-diacritics and Cyrillic into MRZ letters after Doc
//!   9303 Part 3 ([`transliterate_name`]), and lists the Cyrillic spellings an MRZ name may stand
//!   for ([`candidate_native_spellings`]), for matching a document against records kept in the
//!   holder's script.
//!
//! Dates carry two-digit years. The parser resolves them against a reference date the caller
//! passes (it never reads the clock; [`MachineReadableZone::parse_today`] is the convenience that
//! does): a birth date is never in the future, an expiry date at most twenty years ahead.
//!
//! The crate depends on no other Hospes crate.

mod candidates;
mod check_digit;
mod date;
mod encode;
mod fields;
mod format;
mod transliteration;
mod zone;

pub use candidates::{
    DEFAULT_CANDIDATE_LANGUAGES, DEFAULT_CANDIDATE_LIMIT, MAXIMUM_NAME_LETTERS, candidate_native_spellings,
    candidate_native_spellings_in,
};
pub use check_digit::{
    CheckDigitField, CheckDigitInputError, CheckDigitResult, CheckDigitRule, FILLER, check_digit, is_mrz_character,
    mrz_character_value,
};
pub use date::{DateKind, DateProblem, EXPIRY_YEARS_AHEAD, MrzDate};
pub use encode::{EncodeError, EncodedMrz, encode};
pub use fields::{
    DocumentCode, DocumentKind, DocumentNumber, HolderName, InvalidFieldValue, MrzField, OptionalData, Sex, StateCode,
};
pub use format::MrzFormat;
pub use transliteration::{
    CyrillicLanguage, TransliterationError, TransliterationOptions, UmlautStyle, transliterate_name,
};
pub use zone::{DocumentFields, MachineReadableZone, MrzError};
