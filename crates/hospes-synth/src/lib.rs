//! A deterministic synthetic population of foreign nationals and the records fourteen agencies
//! (and the partner states) would hold about them, with ground truth.
//!
//! No real person's data may be used to build or judge Hospes, so this crate invents people:
//! labour migrants, students, family members, business visitors and tourists from fourteen
//! countries (Uzbekistan 30%, Tajikistan 20%, Kyrgyzstan 10%, and a few per cent each from
//! Kazakhstan, Ukraine, Armenia, Azerbaijan, Moldova, Belarus, China, Vietnam, India, Turkey and
//! Georgia), and simulates five years of their lives up to `as_of`: entries and exits, address
//! registrations, patents with monthly payments (some lapsing), work, taxes, exams, insurance,
//! visas, families, offences, the odd conviction, ban or wanted notice. Each event becomes the
//! record the agency holding it would send, as one line of the NDJSON ingest format
//! (`hospes-ingest`), valid for that agency.
//!
//! Resolution will be judged on this data, so it is hard in the ways real data is hard:
//! * every agency writes names its own way: the border and consulates the MRZ Latin of the
//!   passport (via `hospes-mrz`), the migration service Russian Cyrillic and the passport Latin,
//!   most offices Russian Cyrillic with a Russian practical transcription of foreign names
//!   (`Nguyễn` → `Нгуен`, `Zhang` → `Чжан`), employers and telecom operators sometimes informal
//!   Latin, partner states their own Latin (Uzbek Latin), older records older romanisations;
//! * names come in native scripts (Uzbek and Tajik Cyrillic with their own letters, Chinese
//!   characters, Georgian), with national patronymics (`Бахтиёр ўғли`, `Асан уулу`), women's
//!   surname forms, maiden and married names, double surnames, family-name-first orders;
//! * identifiers change: passports are renewed with new numbers (the renewal names the previous
//!   one), lost, or reissued after a marriage; taxpayer and social insurance numbers (with valid
//!   check digits) appear only after the person gets them; some offices keep a stale passport;
//! * clerks make mistakes at documented rates ([`ErrorRates`]): typos of six kinds, initials
//!   only, swapped name fields, dropped patronymics, swapped day and month, mistyped digits;
//! * many records carry a passport and birth date or a taxpayer number, but not all: some carry
//!   only names and a birth date.
//!
//! ```no_run
//! use hospes_synth::{Population, SynthConfig};
//!
//! let config = SynthConfig::new(1000, 42, chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap());
//! let population = Population::new(&config)?;
//! let person = population.person(17)?;
//! for record in person.records() {
//!     println!("{} {}", record.agency, record.line);
//! }
//! let summary = hospes_synth::write_population(&config, "out".as_ref(), |done| eprintln!("{done}"))?;
//! # Ok::<(), hospes_synth::SynthError>(())
//! ```
//!
//! # Determinism
//! A person depends only on the seed, `as_of` and their index: every person (and household,
//! employer, relative) draws from ChaCha8 streams keyed by those, so people can be generated in
//! any order, on any thread, alone or in a population of any size, and come out the same. Written
//! files are byte-identical for the same (seed, `as_of`, people).
//!
//! # Output
//! [`write_population`] writes `<agency>.ndjson` for each of the fifteen agency ids of
//! `config/agencies.toml` (lines ordered by effective date, record id, version) and `truth.csv`
//! (`record_id,person_id`, one row per record id). People are generated in chunks on all cores;
//! larger populations are sorted through temporary runs on disk, so memory stays bounded.
//!
//! # Names data
//! Names are read at run time from the shared CC0 lists (`names_dir`, by default
//! `../shared/data/names`): popular forenames and surnames by country, and clusters of Cyrillic
//! name variants. The lists have no Uzbek names, only Latin forms of Tajik, Ukrainian and
//! Belarusian forenames and no Kyrgyz surnames; the crate's own lists fill those gaps and stand in
//! for the data when it is missing (the summary then says so in `warnings`).
//!
//! # Record ids
//! Record ids are `<agency prefix>-<14 digits>` (`BS-00123456789012`): unique across agencies,
//! but a keyed permutation of (person, agency, sequence), so they do not give the person away.
//! A corrected record keeps its id and raises its version.

mod agencies;
mod calendar;
mod countries;
mod documents;
mod error;
mod identifiers;
mod life;
mod names;
mod person;
mod places;
mod population;
mod random;
mod records;
mod typos;
mod wire;
mod writer;

pub use agencies::AGENCY_IDS;
pub use countries::Origin;
pub use documents::{LATE_RENEWAL_RATE, LOST_PASSPORT_RATE};
pub use error::SynthError;
pub use life::{
    CONVICTION_RATE, EXPULSION_RATE, LAPSED_PATENT_RATE, LATE_PATENT_PAYMENT_RATE, LATE_REGISTRATION_RATE,
    MISSING_REGISTRATION_RATE, OVERSTAY_RATE, REFUSAL_OF_ENTRY_RATE, UNRECORDED_EXIT_RATE, VISA_REFUSAL_RATE,
    WANTED_RATE,
};
pub use person::{DOUBLE_SURNAME_RATE, FIRST_OF_JANUARY_BIRTH_RATE, MARRIED_NAME_RATE, Purpose};
pub use population::{
    HISTORY_YEARS, PersonFacts, Population, SynthConfig, SyntheticPerson, SyntheticRecord, person_id,
};
pub use typos::{
    BIRTH_DATE_DAY_MONTH_SWAP_RATE, DOCUMENT_NUMBER_TYPO_RATE, ErrorRates, ErrorTally, FAMILY_NAME_FIRST_SWAP_RATE,
    INFORMAL_NAME_ORDER_SWAP_RATE, INITIALS_ONLY_RATE, MACHINE_READ_NAME_TYPO_RATE, NAME_ORDER_SWAP_RATE,
    NAME_TYPO_RATE, PATRONYMIC_DROPPED_RATE,
};
pub use writer::{
    CHUNK_PEOPLE, FactCounts, SynthSummary, TRUTH_FILE, write_population, write_population_in_chunks,
    write_population_of,
};
