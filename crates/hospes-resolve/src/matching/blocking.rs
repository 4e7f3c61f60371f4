//! Blocking: which pairs are compared at all.
//!
//! Comparing every record with every other grows with the square of the records; blocking
//! compares only records that share a key, and uses several kinds of key so that a pair missed by
//! one (a typo in the surname) is caught by another (same given name and birth date):
//!
//! | rule | key | catches |
//! |---|---|---|
//! | name word + birth date | the skeleton of any surname or given-name word, and the birth date with day and month in order (so swapped dates share it) | typos in the other name part, swapped name fields, double surnames |
//! | two name words | the skeletons of a surname word and a given-name word, in sorted order | birth date typos, missing birth dates, swapped name fields |
//! | birth date + initials | the birth date and the first letters of surname and given name | typos in both names, transliteration a skeleton misses |
//! | identifier | a document, taxpayer, social insurance, phone or other national number | anything else being wrong, married names |
//! | postcode + name word | the postcode and any name word | birth date wrong or missing |
//! | postcode + birth date | | both names garbled |
//! | street + house | | names and birth date garbled |
//!
//! Keys are 64-bit hashes whose top four bits name the rule. A block larger than
//! `max_block_size` (a tenth of it for names alone) is skipped (its pairs would be mostly different people sharing a common name
//! and birth date, and would make the cost quadratic); the other rules still see its records. A
//! pair that shares several keys is compared once, in the block of the smallest key they share,
//! and is told which rules it satisfies: training must know which fields blocking made agree
//! (`model`).

use super::compare::Field;
use super::normalise::{Dictionary, FastHasher, PreparedRecord, PreparedSet};
use std::hash::Hasher;

/// The blocking rules; their number is kept in the top four bits of their keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Rule {
    NameWordBirthDate = 0,
    NameWords = 1,
    BirthDateInitials = 2,
    Document = 3,
    TaxpayerNumber = 4,
    SocialInsuranceNumber = 5,
    Phone = 6,
    NationalId = 7,
    PostcodeNameWord = 8,
    PostcodeBirthDate = 9,
    StreetHouse = 10,
}

impl Rule {
    pub(crate) const ALL: [Rule; 11] = [
        Rule::NameWordBirthDate,
        Rule::NameWords,
        Rule::BirthDateInitials,
        Rule::Document,
        Rule::TaxpayerNumber,
        Rule::SocialInsuranceNumber,
        Rule::Phone,
        Rule::NationalId,
        Rule::PostcodeNameWord,
        Rule::PostcodeBirthDate,
        Rule::StreetHouse,
    ];

    /// The rule's bit in a [`RuleMask`].
    pub(crate) fn bit(self) -> RuleMask {
        1 << (self as u16)
    }

    /// The fields on which the rule makes the records of a pair agree, more often than chance
    /// would: training on the pairs of this rule must not estimate them.
    pub(crate) fn blocked_fields(self) -> &'static [Field] {
        match self {
            // Names say much about sex and citizenship, so namesakes agree on those too.
            Rule::NameWordBirthDate => {
                &[Field::Surname, Field::GivenName, Field::BirthDate, Field::Sex, Field::Citizenship]
            }
            Rule::NameWords => &[Field::Surname, Field::GivenName, Field::Sex, Field::Citizenship],
            Rule::BirthDateInitials => &[Field::BirthDate],
            Rule::Document => &[Field::Document],
            Rule::TaxpayerNumber => &[Field::TaxpayerNumber],
            Rule::SocialInsuranceNumber => &[Field::SocialInsuranceNumber],
            Rule::Phone => &[Field::Phone],
            Rule::NationalId => &[Field::NationalId],
            Rule::PostcodeNameWord => {
                &[Field::Postcode, Field::Surname, Field::GivenName, Field::Sex, Field::Citizenship]
            }
            Rule::PostcodeBirthDate => &[Field::Postcode, Field::BirthDate],
            Rule::StreetHouse => &[Field::Street, Field::House],
        }
    }

    fn of_key(key: u64) -> u16 {
        (key >> 60) as u16
    }

    /// The largest block of this rule that is compared, given the general limit. Blocks on names
    /// alone get a tenth of it: a block of two common name words holds every namesake, and a
    /// record that only a common name could link is no safe match anyway.
    fn block_limit(rule: u16, general: usize) -> usize {
        if rule == Rule::NameWords as u16 || rule == Rule::PostcodeNameWord as u16 {
            (general / 10).max(2)
        } else {
            general
        }
    }
}

/// A set of rules, one bit each.
pub(crate) type RuleMask = u16;

fn key(rule: Rule, values: &[u32]) -> u64 {
    let mut hasher = FastHasher::default();
    for value in values {
        hasher.write_u32(*value);
    }
    (hasher.finish() >> 4) | (u64::from(rule as u8) << 60)
}

/// The birth date with day and month in ascending order, so that a date and its day–month swap
/// share the key.
fn date_key(record: &PreparedRecord) -> Option<u32> {
    record.birth_date.map(|date| {
        let (low, high) = if date.day <= date.month { (date.day, date.month) } else { (date.month, date.day) };
        u32::from(date.year) * 10_000 + u32::from(low) * 100 + u32::from(high)
    })
}

/// Every blocking key of a record, sorted and without repeats.
pub(crate) fn keys_of(record: &PreparedRecord, dictionary: &Dictionary, keys: &mut Vec<u64>) {
    keys.clear();
    let date = date_key(record);
    let mut words: Vec<u32> = Vec::new();
    for name in record.names.iter().filter_map(|id| dictionary.name(*id)) {
        let surname_words = name.surname.as_ref().map_or(&[][..], |part| &part.words[..]);
        let given_words = name.given.as_ref().map_or(&[][..], |part| &part.words[..]);
        words.extend(surname_words.iter().chain(given_words));
        for surname in surname_words {
            for given in given_words {
                let (low, high) = if surname <= given { (*surname, *given) } else { (*given, *surname) };
                keys.push(key(Rule::NameWords, &[low, high]));
            }
        }
        let first_initial = |part: &Option<super::normalise::PreparedPart>| {
            part.as_ref().and_then(|part| part.initials.first().copied())
        };
        if let (Some(date), Some(surname), Some(given)) =
            (date, first_initial(&name.surname), first_initial(&name.given))
        {
            let (low, high) = if surname <= given { (surname, given) } else { (given, surname) };
            keys.push(key(Rule::BirthDateInitials, &[date, u32::from(low), u32::from(high)]));
        }
    }
    words.sort_unstable();
    words.dedup();
    for word in &words {
        if let Some(date) = date {
            keys.push(key(Rule::NameWordBirthDate, &[*word, date]));
        }
        if let Some(postcode) = record.postcode {
            keys.push(key(Rule::PostcodeNameWord, &[postcode, *word]));
        }
    }
    if let (Some(postcode), Some(date)) = (record.postcode, date) {
        keys.push(key(Rule::PostcodeBirthDate, &[postcode, date]));
    }
    if let (Some(street), Some(house)) = (record.street, record.house) {
        keys.push(key(Rule::StreetHouse, &[street, house]));
    }
    for document in record.documents.iter() {
        keys.push(key(Rule::Document, &[*document]));
    }
    for (rule, value) in [
        (Rule::TaxpayerNumber, record.taxpayer_number),
        (Rule::SocialInsuranceNumber, record.social_insurance_number),
        (Rule::Phone, record.phone),
        (Rule::NationalId, record.national_id),
    ] {
        if let Some(value) = value {
            keys.push(key(rule, &[value]));
        }
    }
    keys.sort_unstable();
    keys.dedup();
}

/// Blocks: groups of distinct records sharing a key.
pub(crate) struct Blocks {
    /// (key, record) sorted by key, then record.
    entries: Vec<(u64, u32)>,
    /// Start of each block in `entries`, with a final end marker; only blocks of two or more
    /// records within the size limit.
    starts: Vec<u32>,
    /// Each record's keys, sorted, without those of skipped blocks (for "compare once").
    record_keys: Vec<Box<[u64]>>,
    pub(crate) skipped_blocks: usize,
    pub(crate) skipped_pairs: u64,
}

impl Blocks {
    pub(crate) fn build(set: &PreparedSet, max_block_size: usize) -> Self {
        let mut entries: Vec<(u64, u32)> = Vec::with_capacity(set.records.len() * 12);
        let mut keys = Vec::new();
        let mut record_keys: Vec<Box<[u64]>> = Vec::with_capacity(set.records.len());
        for (index, record) in set.records.iter().enumerate() {
            keys_of(record, &set.dictionary, &mut keys);
            entries.extend(keys.iter().map(|key| (*key, index as u32)));
            record_keys.push(keys.as_slice().into());
        }
        entries.sort_unstable();
        let mut starts = Vec::new();
        let mut skipped: Vec<u64> = Vec::new();
        let mut skipped_pairs = 0u64;
        let mut start = 0usize;
        while start < entries.len() {
            let key = entries[start].0;
            let mut end = start + 1;
            while end < entries.len() && entries[end].0 == key {
                end += 1;
            }
            let size = end - start;
            if size > Rule::block_limit(Rule::of_key(key), max_block_size) {
                skipped.push(key);
                skipped_pairs += (size as u64) * (size as u64 - 1) / 2;
            } else if size >= 2 {
                starts.push(start as u32);
            }
            start = end;
        }
        // Keep only the entries of blocks that will be compared.
        let mut kept: Vec<(u64, u32)> = Vec::with_capacity(entries.len());
        let mut kept_starts: Vec<u32> = Vec::with_capacity(starts.len() + 1);
        for block_start in &starts {
            let block_start = *block_start as usize;
            let key = entries[block_start].0;
            kept_starts.push(kept.len() as u32);
            kept.extend(entries[block_start..].iter().take_while(|entry| entry.0 == key));
        }
        kept_starts.push(kept.len() as u32);
        drop(entries);
        skipped.sort_unstable();
        if !skipped.is_empty() {
            for keys in record_keys.iter_mut() {
                if keys.iter().any(|key| skipped.binary_search(key).is_ok()) {
                    *keys = keys.iter().copied().filter(|key| skipped.binary_search(key).is_err()).collect();
                }
            }
        }
        Self { entries: kept, starts: kept_starts, record_keys, skipped_blocks: skipped.len(), skipped_pairs }
    }

    /// How many blocks will be compared.
    pub(crate) fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// The key and the records of block `index`.
    pub(crate) fn block(&self, index: usize) -> (u64, impl Iterator<Item = u32> + '_) {
        let (start, end) = (self.starts[index] as usize, self.starts[index + 1] as usize);
        (self.entries[start].0, self.entries[start..end].iter().map(|entry| entry.1))
    }

    /// The rules the pair satisfies, if it should be compared in the block of `key` (the smallest
    /// key the two records share); `None` if another block compares it.
    pub(crate) fn owned_rules(&self, key: u64, left: u32, right: u32) -> Option<RuleMask> {
        let (left, right) = (&self.record_keys[left as usize], &self.record_keys[right as usize]);
        let (mut i, mut j) = (0, 0);
        let mut mask: RuleMask = 0;
        let mut first = true;
        while i < left.len() && j < right.len() {
            match left[i].cmp(&right[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    if first && left[i] != key {
                        return None;
                    }
                    first = false;
                    mask |= 1 << Rule::of_key(left[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        (!first).then_some(mask)
    }
}
