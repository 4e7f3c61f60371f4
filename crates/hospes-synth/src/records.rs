//! Writing records: the NDJSON line of the ingest format, record ids, versions, and what each
//! agency has learnt about the person so far.

use chrono::NaiveDate;
use hospes_model::{Category, ShortText};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::agencies::Agency;
use crate::error::SynthError;
use crate::person::PersonCore;
use crate::population::{PersonFacts, Population, SyntheticRecord};
use crate::random::{Stream, stream};
use crate::typos::ErrorInjector;
use crate::wire::{WireSubject, push_date, push_number, push_string, push_subject};

/// A reference to an earlier record of the same agency that a record replaces.
pub(crate) struct Superseded<'a> {
    pub(crate) record_id: &'a str,
    pub(crate) version: u32,
}

/// What kind of record, by whom, for when.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header {
    pub(crate) agency: Agency,
    pub(crate) category: Category,
    pub(crate) kind: &'static str,
    pub(crate) effective_from: NaiveDate,
    pub(crate) effective_to: Option<NaiveDate>,
}

impl Header {
    pub(crate) fn new(agency: Agency, category: Category, kind: &'static str, effective_from: NaiveDate) -> Self {
        Self { agency, category, kind, effective_from, effective_to: None }
    }

    pub(crate) fn until(mut self, effective_to: NaiveDate) -> Self {
        self.effective_to = Some(effective_to.max(self.effective_from));
        self
    }
}

/// Everything the generation of one person's records carries along.
pub(crate) struct RecordContext<'a> {
    pub(crate) population: &'a Population,
    pub(crate) core: &'a PersonCore,
    /// The stream for everything that happens (errors have their own).
    pub(crate) rng: ChaCha8Rng,
    pub(crate) errors: ErrorInjector,
    pub(crate) records: Vec<SyntheticRecord>,
    pub(crate) facts: PersonFacts,
    sequences: [u64; 15],
    /// Identifiers the person has been given, with the day from which agencies know them.
    pub(crate) taxpayer_number: Option<(String, NaiveDate)>,
    pub(crate) social_insurance_number: Option<(String, NaiveDate)>,
    pub(crate) russian_phone: Option<(String, NaiveDate)>,
    /// Permits (patents, work permits) and visas issued so far, which make their numbers unique.
    pub(crate) permits_issued: u64,
    pub(crate) visas_issued: u64,
    /// The person's relatives, built once when first needed.
    pub(crate) relatives: Option<Vec<crate::life::Relative>>,
}

/// Record ids are `<agency prefix>-<14 digits>`: a keyed permutation of (person, agency, sequence),
/// unique across the population and revealing nothing of the person.
const SEQUENCE_BITS: u32 = 11;
const AGENCY_BITS: u32 = 4;

impl<'a> RecordContext<'a> {
    pub(crate) fn new(population: &'a Population, core: &'a PersonCore) -> Self {
        let seed = population.config.seed;
        Self {
            population,
            core,
            rng: stream(seed, core.index as u64, Stream::Life),
            errors: ErrorInjector::new(
                stream(seed, core.index as u64, Stream::Errors),
                population.error_rates,
                population.config.as_of,
            ),
            records: Vec::with_capacity(32),
            facts: PersonFacts::default(),
            sequences: [0; 15],
            taxpayer_number: None,
            social_insurance_number: None,
            russian_phone: None,
            relatives: None,
            permits_issued: 0,
            visas_issued: 0,
        }
    }

    pub(crate) fn as_of(&self) -> NaiveDate {
        self.population.config.as_of
    }

    /// A new record id of `agency` for this person.
    pub(crate) fn next_record_id(&mut self, agency: Agency) -> String {
        let position = agency.position();
        let sequence = self.sequences[position] % (1 << SEQUENCE_BITS);
        self.sequences[position] += 1;
        let plain = ((self.core.index as u64) << (SEQUENCE_BITS + AGENCY_BITS))
            | ((position as u64) << SEQUENCE_BITS)
            | sequence;
        let number = self.population.identifiers.record_numbers.apply(plain);
        format!("{}-{number:014}", agency.record_prefix())
    }

    /// Writes a new record; `false` when it would be dated after `as_of` (nothing is ever dated
    /// in the future).
    pub(crate) fn emit<P: Serialize>(
        &mut self,
        header: Header,
        subject: &WireSubject<'_>,
        payload: &P,
    ) -> Result<bool, SynthError> {
        if header.effective_from > self.as_of() {
            return Ok(false);
        }
        let record_id = self.next_record_id(header.agency);
        self.push_line(header, record_id, 1, subject, payload, &[])?;
        Ok(true)
    }

    /// As [`RecordContext::emit`], returning the new record's id (for later versions or records
    /// that supersede it).
    pub(crate) fn emit_with_id<P: Serialize>(
        &mut self,
        header: Header,
        subject: &WireSubject<'_>,
        payload: &P,
    ) -> Result<Option<String>, SynthError> {
        if header.effective_from > self.as_of() {
            return Ok(None);
        }
        let record_id = self.next_record_id(header.agency);
        self.push_line(header, record_id.clone(), 1, subject, payload, &[])?;
        Ok(Some(record_id))
    }

    /// Writes one version of a record as one line of the ingest format (field for field the
    /// `IngestLine` of `hospes-ingest`).
    pub(crate) fn write<P: Serialize>(
        &mut self,
        header: Header,
        record_id: &str,
        version: u32,
        subject: &WireSubject<'_>,
        payload: &P,
        supersedes: &[Superseded<'_>],
    ) -> Result<(), SynthError> {
        self.push_line(header, record_id.to_owned(), version, subject, payload, supersedes)
    }

    fn push_line<P: Serialize>(
        &mut self,
        header: Header,
        record_id: String,
        version: u32,
        subject: &WireSubject<'_>,
        payload: &P,
        supersedes: &[Superseded<'_>],
    ) -> Result<(), SynthError> {
        if header.effective_from > self.as_of() {
            return Ok(());
        }
        let mut line = String::with_capacity(640);
        line.push_str("{\"record_id\":");
        push_string(&mut line, &record_id);
        if version != 1 {
            line.push_str(",\"version\":");
            push_number(&mut line, u64::from(version));
        }
        line.push_str(",\"category\":\"");
        line.push_str(header.category.as_str());
        line.push_str("\",\"kind\":");
        push_string(&mut line, header.kind);
        line.push_str(",\"effective_from\":");
        push_date(&mut line, header.effective_from);
        if let Some(effective_to) = header.effective_to {
            line.push_str(",\"effective_to\":");
            push_date(&mut line, effective_to);
        }
        line.push_str(",\"legal_basis\":");
        push_string(&mut line, header.agency.legal_basis(header.category));
        line.push_str(",\"subject\":");
        push_subject(&mut line, subject);
        line.push_str(",\"payload\":");
        line.push_str(&serde_json::to_string(payload)?);
        if !supersedes.is_empty() {
            line.push_str(",\"supersedes\":[");
            for (index, superseded) in supersedes.iter().enumerate() {
                if index > 0 {
                    line.push(',');
                }
                line.push_str("{\"record_id\":");
                push_string(&mut line, superseded.record_id);
                line.push_str(",\"version\":");
                push_number(&mut line, u64::from(superseded.version));
                line.push('}');
            }
            line.push(']');
        }
        line.push('}');
        self.records.push(SyntheticRecord {
            agency: header.agency.id(),
            record_id,
            version,
            effective_from: header.effective_from,
            line,
        });
        Ok(())
    }

    /// A number for the next permit of this person: unique across the population.
    pub(crate) fn next_permit_number(&mut self, region_number: u32) -> String {
        let unique = self.core.index as u64 * 64 + self.permits_issued % 64;
        self.permits_issued += 1;
        format!("{region_number:02}{:010}", self.population.identifiers.permit_numbers.apply(unique))
    }

    /// A number for the next visa of this person: unique across the population.
    pub(crate) fn next_visa_number(&mut self) -> String {
        let unique = self.core.index as u64 * 64 + self.visas_issued % 64;
        self.visas_issued += 1;
        format!("{:09}", self.population.identifiers.visa_numbers.apply(unique))
    }

    pub(crate) fn known_taxpayer_number(&self, date: NaiveDate) -> Option<String> {
        self.taxpayer_number.as_ref().filter(|(_, since)| *since <= date).map(|(number, _)| number.clone())
    }

    pub(crate) fn known_social_insurance_number(&self, date: NaiveDate) -> Option<String> {
        self.social_insurance_number.as_ref().filter(|(_, since)| *since <= date).map(|(number, _)| number.clone())
    }

    pub(crate) fn known_russian_phone(&self, date: NaiveDate) -> Option<String> {
        self.russian_phone.as_ref().filter(|(_, since)| *since <= date).map(|(number, _)| number.clone())
    }
}

/// Short text for a payload; the generator only builds valid texts, so a failure is a bug.
pub(crate) fn text(value: &str) -> Result<ShortText, SynthError> {
    ShortText::parse(value).map_err(|error| SynthError::invalid("text", error))
}
