//! The mistakes agencies make when they key in what they see, at realistic rates.
//!
//! All errors are drawn from a random stream of their own, so that switching them off
//! ([`ErrorRates::NONE`]) leaves every record otherwise identical: comparing a population with and
//! without errors measures exactly what was injected.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::random::chance;
use crate::wire::WireName;

/// A name part keyed by hand (Cyrillic or Latin) carries a typo this often.
pub const NAME_TYPO_RATE: f64 = 0.03;
/// A name part read from a machine-readable zone carries a typo this often (manual corrections
/// after a failed read).
pub const MACHINE_READ_NAME_TYPO_RATE: f64 = 0.002;
/// Given names (and patronymic) written as initials only (`Юсупов А. Б.`).
pub const INITIALS_ONLY_RATE: f64 = 0.02;
/// Surname and given name written in each other's fields.
pub const NAME_ORDER_SWAP_RATE: f64 = 0.01;
/// The same in informal records (employers' and telecom operators' forms), where people often
/// write their given name first.
pub const INFORMAL_NAME_ORDER_SWAP_RATE: f64 = 0.08;
/// The same for names whose family name comes first in ordinary use (Chinese, Vietnamese).
pub const FAMILY_NAME_FIRST_SWAP_RATE: f64 = 0.06;
/// A patronymic the agency holds but leaves out.
pub const PATRONYMIC_DROPPED_RATE: f64 = 0.10;
/// Day and month of a birth date swapped (only where the result is a real date).
pub const BIRTH_DATE_DAY_MONTH_SWAP_RATE: f64 = 0.005;
/// One digit of a document number mistyped.
pub const DOCUMENT_NUMBER_TYPO_RATE: f64 = 0.005;

/// The share of calendar dates whose day and month can be swapped into another real date
/// (day 1 to 12 and not equal to the month): 132 of 365.25.
const SWAPPABLE_BIRTH_DATE_SHARE: f64 = 132.0 / 365.25;

/// The rates at which each kind of error is injected.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ErrorRates {
    pub name_typo: f64,
    pub machine_read_name_typo: f64,
    pub initials_only: f64,
    pub name_order_swap: f64,
    pub informal_name_order_swap: f64,
    pub family_name_first_swap: f64,
    pub patronymic_dropped: f64,
    pub birth_date_day_month_swap: f64,
    pub document_number_typo: f64,
}

impl ErrorRates {
    /// No errors at all: every value exactly as the agency's source holds it.
    pub const NONE: ErrorRates = ErrorRates {
        name_typo: 0.0,
        machine_read_name_typo: 0.0,
        initials_only: 0.0,
        name_order_swap: 0.0,
        informal_name_order_swap: 0.0,
        family_name_first_swap: 0.0,
        patronymic_dropped: 0.0,
        birth_date_day_month_swap: 0.0,
        document_number_typo: 0.0,
    };

    /// The documented default rates.
    pub const REALISTIC: ErrorRates = ErrorRates {
        name_typo: NAME_TYPO_RATE,
        machine_read_name_typo: MACHINE_READ_NAME_TYPO_RATE,
        initials_only: INITIALS_ONLY_RATE,
        name_order_swap: NAME_ORDER_SWAP_RATE,
        informal_name_order_swap: INFORMAL_NAME_ORDER_SWAP_RATE,
        family_name_first_swap: FAMILY_NAME_FIRST_SWAP_RATE,
        patronymic_dropped: PATRONYMIC_DROPPED_RATE,
        birth_date_day_month_swap: BIRTH_DATE_DAY_MONTH_SWAP_RATE,
        document_number_typo: DOCUMENT_NUMBER_TYPO_RATE,
    };
}

impl Default for ErrorRates {
    fn default() -> Self {
        Self::REALISTIC
    }
}

/// How many values were written and how many of them were made wrong.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ErrorTally {
    pub name_parts_written: u64,
    pub name_typos: u64,
    pub names_written: u64,
    pub initials_only: u64,
    pub name_order_swaps: u64,
    pub patronymics_dropped: u64,
    pub birth_dates_written: u64,
    pub birth_date_swaps: u64,
    pub document_numbers_written: u64,
    pub document_number_typos: u64,
}

impl std::ops::AddAssign for ErrorTally {
    fn add_assign(&mut self, other: Self) {
        self.name_parts_written += other.name_parts_written;
        self.name_typos += other.name_typos;
        self.names_written += other.names_written;
        self.initials_only += other.initials_only;
        self.name_order_swaps += other.name_order_swaps;
        self.patronymics_dropped += other.patronymics_dropped;
        self.birth_dates_written += other.birth_dates_written;
        self.birth_date_swaps += other.birth_date_swaps;
        self.document_numbers_written += other.document_numbers_written;
        self.document_number_typos += other.document_number_typos;
    }
}

/// How a value reached the agency's system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    /// Typed by a clerk.
    Keyed,
    /// Read from a machine-readable zone.
    MachineRead,
}

/// Injects errors from its own random stream and counts them.
pub(crate) struct ErrorInjector {
    rng: ChaCha8Rng,
    rates: ErrorRates,
    latest_birth_date: NaiveDate,
    pub(crate) tally: ErrorTally,
}

const CYRILLIC_LOWER: &str = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";
const LATIN_LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const QWERTY_ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
const JCUKEN_ROWS: [&str; 3] = ["йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"];
/// Cyrillic letters and the Latin letters that look the same.
const LOOK_ALIKES: &[(char, char)] = &[
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('у', 'y'),
    ('х', 'x'),
    ('к', 'k'),
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
    ('У', 'Y'),
];

impl ErrorInjector {
    pub(crate) fn new(rng: ChaCha8Rng, rates: ErrorRates, as_of: NaiveDate) -> Self {
        Self { rng, rates, latest_birth_date: as_of, tally: ErrorTally::default() }
    }

    pub(crate) fn enabled(&self) -> bool {
        self.rates != ErrorRates::NONE
    }

    /// A name's structure as a clerk may garble it: parts swapped, initials for given names, the
    /// patronymic left out.
    pub(crate) fn name_structure<'a>(
        &mut self,
        mut parts: WireName<'a>,
        family_name_first: bool,
        informal: bool,
    ) -> WireName<'a> {
        self.tally.names_written += 1;
        let swap_rate = match (family_name_first, informal) {
            (true, _) => self.rates.family_name_first_swap,
            (false, true) => self.rates.informal_name_order_swap,
            (false, false) => self.rates.name_order_swap,
        };
        let swap = chance(&mut self.rng, swap_rate);
        let initials = chance(&mut self.rng, self.rates.initials_only);
        let drop_patronymic = chance(&mut self.rng, self.rates.patronymic_dropped);
        if swap && let Some(given) = parts.given.take() {
            self.tally.name_order_swaps += 1;
            let words: Vec<&str> = given.split(' ').collect();
            if family_name_first && words.len() > 1 && chance(&mut self.rng, 0.5) {
                // `Nguyen Van` | `An`: the middle name taken for part of the family name.
                parts.surname = Cow::Owned(format!("{} {}", parts.surname, words[0]));
                parts.given = Some(Cow::Owned(words[1..].join(" ")));
            } else {
                parts.given = Some(std::mem::replace(&mut parts.surname, given.clone()));
            }
        }
        if drop_patronymic && parts.patronymic.take().is_some() {
            self.tally.patronymics_dropped += 1;
        }
        if initials && let Some(given) = &parts.given {
            self.tally.initials_only += 1;
            parts.given = Some(Cow::Owned(initials_of(given)));
            parts.patronymic = parts.patronymic.as_deref().map(|patronymic| Cow::Owned(initials_of(patronymic)));
        }
        parts
    }

    /// A name part with a typo at the rate for how it was entered.
    pub(crate) fn name_part<'a>(&mut self, text: Cow<'a, str>, entry: Entry) -> Cow<'a, str> {
        self.tally.name_parts_written += 1;
        let rate = match entry {
            Entry::Keyed => self.rates.name_typo,
            Entry::MachineRead => self.rates.machine_read_name_typo,
        };
        if !chance(&mut self.rng, rate) {
            return text;
        }
        match self.typo(&text) {
            Some(changed) => {
                self.tally.name_typos += 1;
                Cow::Owned(changed)
            }
            None => text,
        }
    }

    /// A name part with a typo for certain, unless errors are switched off (the first version of a
    /// record that a later version corrects).
    pub(crate) fn forced_typo(&mut self, text: &str) -> String {
        if !self.enabled() {
            return text.to_owned();
        }
        self.typo(text).unwrap_or_else(|| text.to_owned())
    }

    fn typo(&mut self, text: &str) -> Option<String> {
        let mut characters: Vec<char> = text.chars().collect();
        let letter_positions: Vec<usize> = characters
            .iter()
            .enumerate()
            .filter(|(_, character)| character.is_alphabetic())
            .map(|(position, _)| position)
            .collect();
        if letter_positions.len() < 3 {
            return None;
        }
        let position = letter_positions[self.rng.random_range(0..letter_positions.len())];
        let original = characters[position];
        match self.rng.random_range(0..6u32) {
            0 => {
                let replacement = self.random_letter_like(original)?;
                characters[position] = replacement;
            }
            1 => {
                characters.remove(position);
            }
            2 => {
                let next = position + 1;
                if next >= characters.len() || !characters[next].is_alphabetic() || characters[next] == original {
                    characters.insert(position, original);
                } else {
                    characters.swap(position, next);
                }
            }
            3 => characters.insert(position, original),
            4 => {
                let replacement =
                    keyboard_neighbour(original, &mut self.rng).or_else(|| self.random_letter_like(original))?;
                characters[position] = replacement;
            }
            _ => {
                let replacement = look_alike(original).or_else(|| keyboard_neighbour(original, &mut self.rng))?;
                characters[position] = replacement;
            }
        }
        let changed: String = characters.into_iter().collect();
        (changed != text && hospes_model::NamePart::parse(&changed).is_ok()).then_some(changed)
    }

    fn random_letter_like(&mut self, original: char) -> Option<char> {
        let lower = original.to_lowercase().next().unwrap_or(original);
        let alphabet = if CYRILLIC_LOWER.contains(lower) {
            CYRILLIC_LOWER
        } else if LATIN_LOWER.contains(lower) {
            LATIN_LOWER
        } else {
            return None;
        };
        let letters: Vec<char> = alphabet.chars().filter(|letter| *letter != lower).collect();
        let chosen = letters[self.rng.random_range(0..letters.len())];
        Some(if original.is_uppercase() { chosen.to_uppercase().next().unwrap_or(chosen) } else { chosen })
    }

    /// A birth date, with day and month swapped at the configured rate. Only dates whose day is a
    /// possible month can be swapped (about 36% of them), so those are swapped more often, to
    /// make the configured rate the share of all birth dates written.
    pub(crate) fn birth_date(&mut self, date: NaiveDate) -> NaiveDate {
        self.tally.birth_dates_written += 1;
        let swappable = date.day() <= 12 && date.day() != date.month();
        let rate = (self.rates.birth_date_day_month_swap / SWAPPABLE_BIRTH_DATE_SHARE).min(1.0);
        if !chance(&mut self.rng, rate) || !swappable {
            return date;
        }
        match NaiveDate::from_ymd_opt(date.year(), date.day(), date.month()) {
            Some(swapped) if swapped != date && swapped < self.latest_birth_date => {
                self.tally.birth_date_swaps += 1;
                swapped
            }
            _ => date,
        }
    }

    /// A document number with one digit mistyped at the configured rate.
    pub(crate) fn document_number<'a>(&mut self, number: &'a str) -> Cow<'a, str> {
        self.tally.document_numbers_written += 1;
        if !chance(&mut self.rng, self.rates.document_number_typo) {
            return Cow::Borrowed(number);
        }
        let digit_positions: Vec<usize> = number
            .char_indices()
            .filter(|(_, character)| character.is_ascii_digit())
            .map(|(position, _)| position)
            .collect();
        if digit_positions.is_empty() {
            return Cow::Borrowed(number);
        }
        let position = digit_positions[self.rng.random_range(0..digit_positions.len())];
        let old = number.as_bytes()[position];
        let mut new = b'0' + self.rng.random_range(0..9u8);
        if new >= old {
            new += 1;
        }
        self.tally.document_number_typos += 1;
        let mut changed = number.to_owned();
        changed.replace_range(position..position + 1, &char::from(new).to_string());
        Cow::Owned(changed)
    }
}

fn initials_of(text: &str) -> String {
    text.split([' ', '-'])
        .filter_map(|word| word.chars().next())
        .map(|initial| format!("{initial}."))
        .collect::<Vec<_>>()
        .join(" ")
}

fn keyboard_neighbour(character: char, rng: &mut impl Rng) -> Option<char> {
    let lower = character.to_lowercase().next().unwrap_or(character);
    for rows in [QWERTY_ROWS, JCUKEN_ROWS] {
        for (row_index, row) in rows.iter().enumerate() {
            let letters: Vec<char> = row.chars().collect();
            let Some(column) = letters.iter().position(|letter| *letter == lower) else {
                continue;
            };
            let mut neighbours = Vec::with_capacity(4);
            if column > 0 {
                neighbours.push(letters[column - 1]);
            }
            if let Some(next) = letters.get(column + 1) {
                neighbours.push(*next);
            }
            for adjacent in [row_index.checked_sub(1), Some(row_index + 1)].into_iter().flatten() {
                if let Some(other) = rows.get(adjacent).and_then(|row| row.chars().nth(column)) {
                    neighbours.push(other);
                }
            }
            let chosen = neighbours[rng.random_range(0..neighbours.len())];
            return Some(if character.is_uppercase() {
                chosen.to_uppercase().next().unwrap_or(chosen)
            } else {
                chosen
            });
        }
    }
    None
}

fn look_alike(character: char) -> Option<char> {
    LOOK_ALIKES.iter().find_map(|(cyrillic, latin)| {
        if *cyrillic == character {
            Some(*latin)
        } else if *latin == character {
            Some(*cyrillic)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn injector(rates: ErrorRates) -> ErrorInjector {
        ErrorInjector::new(
            crate::random::stream(1, 1, crate::random::Stream::Errors),
            rates,
            NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
        )
    }

    #[test]
    fn typos_change_one_place_and_stay_valid_names() {
        let mut errors = injector(ErrorRates { name_typo: 1.0, ..ErrorRates::NONE });
        for name in ["Юсупов", "Алишер", "YUSUPOV", "Nguyễn", "Ким", "Abdullayev"] {
            for _ in 0..200 {
                let changed = errors.name_part(Cow::Borrowed(name), Entry::Keyed);
                assert!(hospes_model::NamePart::parse(&changed).is_ok(), "{changed}");
                let difference = name.chars().count().abs_diff(changed.chars().count());
                assert!(difference <= 1, "{name} -> {changed}");
            }
        }
        assert!(errors.tally.name_typos > 1000);
    }

    #[test]
    fn no_errors_when_switched_off() {
        let mut errors = injector(ErrorRates::NONE);
        let date = NaiveDate::from_ymd_opt(1990, 4, 12).unwrap();
        for _ in 0..1000 {
            assert_eq!(errors.name_part(Cow::Borrowed("Юсупов"), Entry::Keyed), "Юсупов");
            assert_eq!(errors.birth_date(date), date);
            assert_eq!(errors.document_number("FA1234567"), "FA1234567");
        }
        assert_eq!(errors.forced_typo("Юсупов"), "Юсупов");
    }

    #[test]
    fn structural_errors() {
        let mut errors = injector(ErrorRates { name_order_swap: 1.0, initials_only: 1.0, ..ErrorRates::NONE });
        let parts =
            WireName {
                surname: "Юсупов".into(), given: Some("Алишер".into()), patronymic: Some("Бахтиёрович".into())
            };
        let garbled = errors.name_structure(parts, false, false);
        assert_eq!(garbled.surname, "Алишер");
        assert_eq!(garbled.given.as_deref(), Some("Ю."));
        assert_eq!(garbled.patronymic.as_deref(), Some("Б."));
        let mut swaps =
            injector(ErrorRates { birth_date_day_month_swap: 1.0, document_number_typo: 1.0, ..ErrorRates::NONE });
        assert_eq!(
            swaps.birth_date(NaiveDate::from_ymd_opt(1990, 4, 12).unwrap()),
            NaiveDate::from_ymd_opt(1990, 12, 4).unwrap()
        );
        let number = swaps.document_number("FA1234567");
        assert_eq!(number.len(), 9);
        assert_ne!(number, "FA1234567");
    }
}
