//! Normalisation: every record reduced once to the compact form that blocking and comparison read.
//!
//! Names become words with script-independent skeletons (`hospes-names`), with patronymics reduced
//! to the father's name and initials kept apart; addresses become skeletons; identifiers become
//! upper-case alphanumerics (phones: their last ten digits). Every distinct string is interned
//! once, so comparing two values for equality is comparing two integers, and counting how common
//! a value is (for term-frequency adjustment) is indexing an array.
//!
//! Records whose normalised forms are identical (an agency's many records about one person, each
//! carrying the same subject) are kept once, with a multiplicity, when they say enough to be the
//! same person (an identifier, or a name with a birth date): comparing them again would only cost
//! time. Identical records that say less (a common name alone) are compared like any others.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use hospes_model::Sex;
use hospes_names::{AnalysedName, NameWord, Patronymic, analyse_words, assemble_name, latin_skeleton};

use super::record::{BirthDate, MatchRecord};

/// A fast, non-cryptographic hasher for keys the program makes itself (interned ids, short
/// strings). The multiply-rotate scheme of the Rust compiler's `FxHasher`.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher {
    hash: u64,
}

impl FastHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    fn write_u16(&mut self, value: u16) {
        self.add(u64::from(value));
    }

    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        // A final avalanche, so that the high bits (which hash tables use) depend on every input bit.
        let mut hash = self.hash;
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
        hash ^= hash >> 33;
        hash
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Every distinct string of a run, each with a dense id.
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    ids: FastMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
}

impl Vocabulary {
    pub(crate) fn intern(&mut self, text: &str) -> u32 {
        if let Some(id) = self.ids.get(text) {
            return *id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(text.into());
        self.ids.insert(text.into(), id);
        id
    }

    pub(crate) fn get(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", |text| text)
    }

    /// The id of a string, if it was interned.
    pub(crate) fn find(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }
}

/// Every distinct string and every distinct spelling of a name in a run: what prepared records
/// refer to by number.
#[derive(Debug, Default)]
pub(crate) struct Dictionary {
    pub(crate) vocabulary: Vocabulary,
    /// Distinct spellings of names; a record holds their numbers.
    pub(crate) names: Vec<PreparedName>,
}

impl Dictionary {
    pub(crate) fn get(&self, id: u32) -> &str {
        self.vocabulary.get(id)
    }

    pub(crate) fn name(&self, id: u32) -> Option<&PreparedName> {
        self.names.get(id as usize)
    }
}

/// One name part (surname or given names) in compact form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PreparedPart {
    /// The words as written, lower-cased and joined by one space: equal texts are an exact match.
    pub(crate) text: u32,
    /// The skeletons of the words that are not initials, joined by one space (`None` when there
    /// are only initials, or only words of scripts the skeleton cannot read).
    pub(crate) key: Option<u32>,
    /// The skeleton of each word that is not an initial.
    pub(crate) words: Box<[u32]>,
    /// The first letter of every word's skeleton, initials included, in order.
    pub(crate) initials: Box<[u8]>,
    /// Whether every word is an initial (`А. Б.`).
    pub(crate) only_initials: bool,
}

/// A patronymic: the skeleton of the father's name, or an initial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PreparedPatronymic {
    Stem(u32),
    Initial(u8),
}

/// One spelling of a name in compact form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PreparedName {
    pub(crate) surname: Option<PreparedPart>,
    pub(crate) given: Option<PreparedPart>,
    pub(crate) patronymic: Option<PreparedPatronymic>,
}

/// A record in compact form. Two records with equal prepared forms are indistinguishable to
/// matching.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct PreparedRecord {
    pub(crate) source: u8,
    /// The record's spellings of its name, as numbers in the [`Dictionary`], sorted.
    pub(crate) names: Box<[u32]>,
    pub(crate) birth_date: Option<BirthDate>,
    pub(crate) sex: Option<Sex>,
    pub(crate) citizenship: Option<u32>,
    pub(crate) postcode: Option<u32>,
    pub(crate) city: Option<u32>,
    pub(crate) street: Option<u32>,
    pub(crate) house: Option<u32>,
    pub(crate) locality: Option<u32>,
    pub(crate) region: Option<u32>,
    pub(crate) documents: Box<[u32]>,
    pub(crate) taxpayer_number: Option<u32>,
    pub(crate) social_insurance_number: Option<u32>,
    pub(crate) phone: Option<u32>,
    pub(crate) national_id: Option<u32>,
}

/// Why some records give matching little to go on. They are still compared: a record with no
/// readable name can be matched on its birth date and identifiers.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct NormaliseWarnings {
    /// Records with no name at all.
    pub missing_names: usize,
    /// Records with a name part only in scripts the skeleton cannot read (Han, Georgian,
    /// Arabic, …): they match on other spellings, birth dates and identifiers only.
    pub unsupported_scripts: usize,
    /// Records whose birth date makes no calendar date between 1880 and 2100 (kept for
    /// digit-by-digit comparison).
    pub implausible_birth_dates: usize,
    /// Records with neither a readable name, a birth date nor an identifier: nothing can match them.
    pub nothing_to_compare: usize,
    /// A few record ids of each kind, for the log.
    pub examples: Vec<String>,
}

impl NormaliseWarnings {
    const MAX_EXAMPLES: usize = 10;

    fn note(&mut self, id: &str, what: &str) {
        if self.examples.len() < Self::MAX_EXAMPLES {
            self.examples.push(format!("{id}: {what}"));
        }
    }

    /// Whether anything is worth a warning.
    pub fn is_empty(&self) -> bool {
        self.missing_names == 0
            && self.unsupported_scripts == 0
            && self.implausible_birth_dates == 0
            && self.nothing_to_compare == 0
    }
}

/// How often each value occurs among the records (counted with multiplicity, once per record):
/// the basis of term-frequency adjustment.
#[derive(Debug, Default)]
pub(crate) struct ValueCounts {
    pub(crate) surname: FastMap<u32, u32>,
    pub(crate) given: FastMap<u32, u32>,
    pub(crate) patronymic: FastMap<u32, u32>,
    pub(crate) birth_date: FastMap<u32, u32>,
    pub(crate) city: FastMap<u32, u32>,
    pub(crate) street: FastMap<u32, u32>,
    pub(crate) postcode: FastMap<u32, u32>,
    /// The number of records counted.
    pub(crate) records: u64,
}

/// The prepared form of a whole input.
#[derive(Debug, Default)]
pub(crate) struct PreparedSet {
    pub(crate) dictionary: Dictionary,
    /// Distinct prepared records.
    pub(crate) records: Vec<PreparedRecord>,
    /// How many input records each distinct record stands for.
    pub(crate) multiplicity: Vec<u32>,
    /// The distinct record of each input record, in input order.
    pub(crate) distinct_of: Vec<u32>,
    /// The first input record of each distinct record (for reports).
    pub(crate) representative: Vec<u32>,
    pub(crate) counts: ValueCounts,
    pub(crate) warnings: NormaliseWarnings,
    /// Input records from each input (0 and 1).
    pub(crate) records_per_source: [u64; 2],
}

impl PreparedSet {
    /// Whether the records come from two inputs to be linked.
    pub(crate) fn is_link(&self) -> bool {
        self.records_per_source[0] > 0 && self.records_per_source[1] > 0
    }
}

/// Turns records into their prepared form, caching the analysis of every field text it has seen.
#[derive(Default)]
pub(crate) struct Normaliser {
    dictionary: Dictionary,
    /// Field text → analysed words.
    words: FastMap<Box<str>, Vec<NameWord>>,
    /// `surname ␟ given ␟ patronymic` → the spelling's number in the dictionary.
    spellings: FastMap<Box<str>, u32>,
    /// Prepared name → its number in the dictionary.
    name_numbers: FastMap<PreparedName, u32>,
    /// Address text → id of its skeleton.
    skeletons: FastMap<Box<str>, Option<u32>>,
    /// A buffer for building keys and normalised identifiers without allocating each time.
    buffer: String,
}

impl Normaliser {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The strings and names interned so far.
    pub(crate) fn into_dictionary(self) -> Dictionary {
        self.dictionary
    }

    /// The strings and names interned so far, while more records are still to come.
    pub(crate) fn dictionary(&self) -> &Dictionary {
        &self.dictionary
    }

    /// Prepares one record, noting what makes it hard to match.
    pub(crate) fn prepare(&mut self, record: &MatchRecord, warnings: &mut NormaliseWarnings) -> PreparedRecord {
        let mut names: Vec<u32> = Vec::with_capacity(record.names.len());
        let mut unsupported = false;
        let mut has_readable_name = false;
        for spelling in &record.names {
            let Some(id) =
                self.prepare_name(&spelling.surname, spelling.given.as_deref(), spelling.patronymic.as_deref())
            else {
                continue;
            };
            if let Some(name) = self.dictionary.name(id) {
                let unreadable = |part: &PreparedPart| part.key.is_none() && !part.only_initials;
                let parts = || [&name.surname, &name.given].into_iter().flatten();
                unsupported |= parts().any(unreadable);
                has_readable_name |= parts().any(|part| !unreadable(part));
            }
            names.push(id);
        }
        names.sort_unstable();
        names.dedup();
        if names.is_empty() {
            warnings.missing_names += 1;
            warnings.note(&record.id, "no name");
        } else if unsupported {
            warnings.unsupported_scripts += 1;
            warnings.note(&record.id, "a name in a script the skeleton cannot read");
        }
        if let Some(date) = record.birth_date
            && !date.is_plausible()
        {
            warnings.implausible_birth_dates += 1;
            warnings.note(&record.id, &format!("implausible birth date {date}"));
        }

        let identifiers = &record.identifiers;
        let mut documents: Vec<u32> =
            identifiers.documents.iter().filter_map(|number| self.identifier(number)).collect::<Vec<_>>();
        documents.sort_unstable();
        documents.dedup();
        let prepared = PreparedRecord {
            source: record.source,
            names: names.into_boxed_slice(),
            birth_date: record.birth_date,
            sex: record.sex.filter(|sex| *sex != Sex::Unspecified),
            citizenship: record.citizenship.as_deref().and_then(|text| self.identifier(text)),
            postcode: record.address.postcode.as_deref().and_then(|text| self.identifier(text)),
            city: record.address.city.as_deref().and_then(|text| self.skeleton(text)),
            street: record.address.street.as_deref().and_then(|text| self.skeleton(text)),
            house: record.address.house.as_deref().and_then(|text| self.identifier(text)),
            locality: record.address.locality.as_deref().and_then(|text| self.skeleton(text)),
            region: record.address.region.as_deref().and_then(|text| self.skeleton(text)),
            documents: documents.into_boxed_slice(),
            taxpayer_number: identifiers.taxpayer_number.as_deref().and_then(|text| self.identifier(text)),
            social_insurance_number: identifiers
                .social_insurance_number
                .as_deref()
                .and_then(|text| self.identifier(text)),
            phone: identifiers.phone.as_deref().and_then(|text| self.phone(text)),
            national_id: identifiers.national_id.as_deref().and_then(|text| self.identifier(text)),
        };
        let has_identifier = !prepared.documents.is_empty()
            || prepared.taxpayer_number.is_some()
            || prepared.social_insurance_number.is_some()
            || prepared.phone.is_some()
            || prepared.national_id.is_some();
        if !has_readable_name && prepared.birth_date.is_none() && !has_identifier {
            warnings.nothing_to_compare += 1;
            warnings.note(&record.id, "neither a readable name, a birth date nor an identifier");
        }
        prepared
    }

    /// Whether a prepared record says enough to be sure that another record identical to it is the
    /// same person: an identifier, or a readable name with a birth date. Identical records that
    /// say less (a name alone, nothing at all) may well be different people, and are compared
    /// like any others instead of being collapsed into one.
    fn is_identifying(&self, record: &PreparedRecord) -> bool {
        let has_identifier = !record.documents.is_empty()
            || record.taxpayer_number.is_some()
            || record.social_insurance_number.is_some()
            || record.phone.is_some()
            || record.national_id.is_some();
        let has_readable_name = record.names.iter().filter_map(|id| self.dictionary.name(*id)).any(|name| {
            [&name.surname, &name.given].into_iter().flatten().any(|part| part.key.is_some() || part.only_initials)
        });
        has_identifier || (has_readable_name && record.birth_date.is_some())
    }

    /// The number of a spelling in the dictionary; `None` for a spelling with no name part at all.
    fn prepare_name(&mut self, surname: &str, given: Option<&str>, patronymic: Option<&str>) -> Option<u32> {
        let mut key = std::mem::take(&mut self.buffer);
        key.clear();
        for (index, part) in [surname, given.unwrap_or(""), patronymic.unwrap_or("")].into_iter().enumerate() {
            if index > 0 {
                key.push('\u{1f}');
            }
            key.push_str(part);
        }
        let known = self.spellings.get(key.as_str()).copied();
        let id = match known {
            Some(id) => Some(id),
            None => {
                let analysed = assemble_name(
                    self.words_of(surname),
                    given.map(|text| self.words_of(text)).unwrap_or_default(),
                    patronymic.map(|text| self.words_of(text)).unwrap_or_default(),
                );
                let name = self.intern_name(&analysed);
                let id = if name.surname.is_none() && name.given.is_none() && name.patronymic.is_none() {
                    u32::MAX
                } else {
                    let next = self.dictionary.names.len() as u32;
                    let id = *self.name_numbers.entry(name.clone()).or_insert(next);
                    if id == next {
                        self.dictionary.names.push(name);
                    }
                    id
                };
                self.spellings.insert(key.as_str().into(), id);
                Some(id)
            }
        };
        self.buffer = key;
        id.filter(|id| *id != u32::MAX)
    }

    fn words_of(&mut self, text: &str) -> Vec<NameWord> {
        if let Some(words) = self.words.get(text) {
            return words.clone();
        }
        let words = analyse_words(text);
        self.words.insert(text.into(), words.clone());
        words
    }

    fn intern_name(&mut self, name: &AnalysedName) -> PreparedName {
        PreparedName {
            surname: self.intern_part(&name.surname),
            given: self.intern_part(&name.given),
            patronymic: match &name.patronymic {
                Some(Patronymic::Stem(stem)) => Some(PreparedPatronymic::Stem(self.dictionary.vocabulary.intern(stem))),
                Some(Patronymic::Initial(initial)) if initial.is_ascii() => {
                    Some(PreparedPatronymic::Initial(*initial as u8))
                }
                _ => None,
            },
        }
    }

    fn intern_part(&mut self, words: &[NameWord]) -> Option<PreparedPart> {
        if words.is_empty() {
            return None;
        }
        let text = words.iter().map(|word| word.text.as_str()).collect::<Vec<_>>().join(" ");
        let full: Vec<&NameWord> = words.iter().filter(|word| !word.initial && !word.skeleton.is_empty()).collect();
        let key = (!full.is_empty())
            .then(|| full.iter().map(|word| word.skeleton.as_str()).collect::<Vec<_>>().join(" "))
            .map(|key| self.dictionary.vocabulary.intern(&key));
        Some(PreparedPart {
            text: self.dictionary.vocabulary.intern(&text),
            key,
            words: full.iter().map(|word| self.dictionary.vocabulary.intern(&word.skeleton)).collect(),
            initials: words.iter().filter_map(|word| word.skeleton.bytes().next()).collect(),
            only_initials: words.iter().all(|word| word.initial),
        })
    }

    /// An identifier as upper-case letters and digits (`fa 123-4567` → `FA1234567`).
    fn identifier(&mut self, text: &str) -> Option<u32> {
        let mut normalised = std::mem::take(&mut self.buffer);
        normalised.clear();
        normalised.extend(text.chars().filter(|character| character.is_alphanumeric()).flat_map(char::to_uppercase));
        let id = (!normalised.is_empty()).then(|| self.dictionary.vocabulary.intern(&normalised));
        self.buffer = normalised;
        id
    }

    /// A phone number as its last ten digits (country prefixes and trunk zeros vary).
    fn phone(&mut self, text: &str) -> Option<u32> {
        let digits: Vec<char> = text.chars().filter(char::is_ascii_digit).collect();
        let start = digits.len().saturating_sub(10);
        let normalised: String = digits[start..].iter().collect();
        (normalised.len() >= 5).then(|| self.dictionary.vocabulary.intern(&normalised))
    }

    /// The skeleton of an address text, so that `Москва` and `Moskva` are equal.
    fn skeleton(&mut self, text: &str) -> Option<u32> {
        if let Some(id) = self.skeletons.get(text) {
            return *id;
        }
        let skeleton = latin_skeleton(text);
        let id = (!skeleton.is_empty()).then(|| self.dictionary.vocabulary.intern(&skeleton));
        self.skeletons.insert(text.into(), id);
        id
    }
}

/// Prepares records one at a time, so that a caller can stream them (a million records as
/// [`MatchRecord`]s would take more memory than their prepared forms and everything matching does
/// with them).
pub struct Preparer {
    normaliser: Normaliser,
    set: PreparedSet,
    /// Hash of a prepared record → its distinct number (equality is checked on the record itself).
    distinct: FastMap<u64, u32>,
    ids: Vec<Box<str>>,
    seconds: f64,
}

/// Records prepared for matching ([`super::Matcher::run_prepared`]).
pub struct PreparedInput {
    pub(crate) set: PreparedSet,
    pub(crate) ids: Vec<Box<str>>,
    /// Time spent preparing, in seconds.
    pub normalise_seconds: f64,
}

impl PreparedInput {
    /// How many input records.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// How many distinct records after collapsing identical ones.
    pub fn distinct_records(&self) -> usize {
        self.set.records.len()
    }
}

impl Default for Preparer {
    fn default() -> Self {
        Self::new()
    }
}

impl Preparer {
    pub fn new() -> Self {
        Self {
            normaliser: Normaliser::new(),
            set: PreparedSet::default(),
            distinct: FastMap::default(),
            ids: Vec::new(),
            seconds: 0.0,
        }
    }

    /// Prepares one more record.
    pub fn push(&mut self, record: &MatchRecord) {
        let started = std::time::Instant::now();
        let index = self.ids.len() as u32;
        let prepared = self.normaliser.prepare(record, &mut self.set.warnings);
        let collapsible = self.normaliser.is_identifying(&prepared);
        let hash = {
            let mut hasher = FastHasher::default();
            prepared.hash(&mut hasher);
            hasher.finish()
        };
        let set = &mut self.set;
        let known = collapsible
            .then(|| self.distinct.get(&hash).copied())
            .flatten()
            .filter(|id| set.records[*id as usize] == prepared);
        let id = match known {
            Some(id) => id,
            None => {
                let id = set.records.len() as u32;
                // On the astronomically rare hash collision the record stays distinct, unindexed.
                if collapsible {
                    self.distinct.entry(hash).or_insert(id);
                }
                set.records.push(prepared);
                set.multiplicity.push(0);
                set.representative.push(index);
                id
            }
        };
        set.multiplicity[id as usize] += 1;
        set.distinct_of.push(id);
        set.records_per_source[usize::from(record.source.min(1))] += 1;
        self.ids.push(record.id.as_str().into());
        self.seconds += started.elapsed().as_secs_f64();
    }

    /// How many records were pushed.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Counts values and hands the prepared records over; the caches are dropped.
    pub fn finish(self) -> PreparedInput {
        let started = std::time::Instant::now();
        let mut set = self.set;
        set.dictionary = self.normaliser.into_dictionary();
        set.counts = count_values(&set);
        set.records.shrink_to_fit();
        PreparedInput { set, ids: self.ids, normalise_seconds: self.seconds + started.elapsed().as_secs_f64() }
    }
}

/// Counts each value once per record, with multiplicity.
fn count_values(set: &PreparedSet) -> ValueCounts {
    let mut counts = ValueCounts::default();
    for (record, times) in set.records.iter().zip(&set.multiplicity) {
        counts.add_record(record, &set.dictionary, *times);
    }
    counts
}

impl ValueCounts {
    /// Counts the values of one record, `times` over (each value once per record).
    pub(crate) fn add_record(&mut self, record: &PreparedRecord, dictionary: &Dictionary, times: u32) {
        fn add(map: &mut FastMap<u32, u32>, values: impl Iterator<Item = u32>, times: u32) {
            let mut seen: Vec<u32> = values.collect();
            seen.sort_unstable();
            seen.dedup();
            for value in seen {
                *map.entry(value).or_insert(0) += times;
            }
        }
        let names = || record.names.iter().filter_map(|id| dictionary.name(*id));
        self.records += u64::from(times);
        add(&mut self.surname, names().filter_map(|name| name.surname.as_ref().and_then(|part| part.key)), times);
        add(&mut self.given, names().filter_map(|name| name.given.as_ref().and_then(|part| part.key)), times);
        add(
            &mut self.patronymic,
            names().filter_map(|name| match name.patronymic {
                Some(PreparedPatronymic::Stem(stem)) => Some(stem),
                _ => None,
            }),
            times,
        );
        if let Some(date) = record.birth_date {
            *self.birth_date.entry(date.as_number()).or_insert(0) += times;
        }
        for (map, value) in
            [(&mut self.city, record.city), (&mut self.street, record.street), (&mut self.postcode, record.postcode)]
        {
            if let Some(value) = value {
                *map.entry(value).or_insert(0) += times;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::record::{Identifiers, NameSpelling};

    fn record(id: &str, surname: &str, given: &str) -> MatchRecord {
        MatchRecord {
            id: id.into(),
            names: vec![NameSpelling::new(surname, Some(given), None)],
            birth_date: BirthDate::parse("1990-04-12").ok(),
            ..MatchRecord::default()
        }
    }

    fn prepare_all(records: &[MatchRecord]) -> PreparedSet {
        let mut preparer = Preparer::new();
        for record in records {
            preparer.push(record);
        }
        preparer.finish().set
    }

    fn surname_part(set: &PreparedSet, index: usize) -> PreparedPart {
        set.records[index].names.iter().find_map(|id| set.dictionary.name(*id)).unwrap().surname.clone().unwrap()
    }

    #[test]
    fn identical_records_collapse_and_scripts_meet() {
        let records =
            [record("a", "Юсупов", "Алишер"), record("b", "Юсупов", "Алишер"), record("c", "YUSUPOV", "ALISHER")];
        let set = prepare_all(&records);
        assert_eq!(set.records.len(), 2);
        assert_eq!(set.multiplicity, [2, 1]);
        assert_eq!(set.distinct_of, [0, 0, 1]);
        let key = |index: usize| surname_part(&set, index).key;
        assert_eq!(key(0), key(1));
        let text = |index: usize| surname_part(&set, index).text;
        assert_ne!(text(0), text(1));
        let surname = key(0).unwrap();
        assert_eq!(set.counts.surname.get(&surname), Some(&3));
    }

    #[test]
    fn bad_input_is_kept_with_warnings() {
        let records = [
            MatchRecord { id: "empty".into(), ..MatchRecord::default() },
            MatchRecord {
                id: "han".into(),
                names: vec![NameSpelling::new("李", Some("小龍"), None)],
                birth_date: BirthDate::parse("1990-13-45").ok(),
                ..MatchRecord::default()
            },
            MatchRecord {
                id: "phone-only".into(),
                identifiers: Identifiers { phone: Some("+7 (912) 345-67-89".into()), ..Identifiers::default() },
                ..MatchRecord::default()
            },
        ];
        let set = prepare_all(&records);
        assert_eq!(set.records.len(), 3);
        assert_eq!(set.warnings.missing_names, 2);
        assert_eq!(set.warnings.unsupported_scripts, 1);
        assert_eq!(set.warnings.implausible_birth_dates, 1);
        assert_eq!(set.warnings.nothing_to_compare, 1);
        let phone = set.records[2].phone.unwrap();
        assert_eq!(set.dictionary.get(phone), "9123456789");
    }
}
