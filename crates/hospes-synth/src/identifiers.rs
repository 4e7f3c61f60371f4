//! Identifiers with their check digits: taxpayer numbers (INN), social insurance numbers (SNILS),
//! organisation taxpayer numbers, national personal numbers printed in passports, vehicle numbers.
//!
//! Numbers that identify a person are unique: each is the image of the person's index under a
//! keyed permutation, so no two people share one and the numbers reveal nothing about the order
//! of generation.

use chrono::{Datelike, NaiveDate};
use hospes_model::Sex;
use hospes_model::parsed::{
    individual_taxpayer_number_control_digits, organisation_taxpayer_number_control_digit,
    social_insurance_number_checksum,
};
use rand::Rng;

use crate::random::KeyedPermutation;

/// The keyed permutations that make identifiers unique, one per kind of number.
#[derive(Debug, Clone)]
pub(crate) struct IdentifierSpaces {
    pub(crate) seven_digit_serials: KeyedPermutation,
    pub(crate) eight_digit_serials: KeyedPermutation,
    pub(crate) six_digit_serials: KeyedPermutation,
    taxpayer_serials: KeyedPermutation,
    social_insurance_serials: KeyedPermutation,
    organisation_serials: KeyedPermutation,
    pub(crate) record_numbers: KeyedPermutation,
    pub(crate) permit_numbers: KeyedPermutation,
    pub(crate) visa_numbers: KeyedPermutation,
}

/// The lowest SNILS serial with a meaningful checksum (numbers up to 001-001-998 have none).
const SOCIAL_INSURANCE_FIRST_SERIAL: u64 = 2_000_000;

impl IdentifierSpaces {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            seven_digit_serials: KeyedPermutation::new(10_000_000, seed, 11),
            eight_digit_serials: KeyedPermutation::new(100_000_000, seed, 12),
            six_digit_serials: KeyedPermutation::new(1_000_000, seed, 13),
            taxpayer_serials: KeyedPermutation::new(100_000_000, seed, 15),
            social_insurance_serials: KeyedPermutation::new(1_000_000_000 - SOCIAL_INSURANCE_FIRST_SERIAL, seed, 16),
            organisation_serials: KeyedPermutation::new(10_000_000, seed, 17),
            record_numbers: KeyedPermutation::new(1 << 40, seed, 18),
            permit_numbers: KeyedPermutation::new(10_000_000_000, seed, 19),
            visa_numbers: KeyedPermutation::new(1_000_000_000, seed, 20),
        }
    }

    /// The person's individual taxpayer number, issued by a tax office of `region_number`
    /// (the two-digit Russian region code). Unique for up to 10^8 people.
    pub(crate) fn taxpayer_number(&self, person_index: usize, region_number: u32) -> String {
        let serial = self.taxpayer_serials.apply(person_index as u64);
        let mut digits = [0u32; 10];
        digits[0] = region_number / 10 % 10;
        digits[1] = region_number % 10;
        write_digits(&mut digits[2..], serial);
        let control = individual_taxpayer_number_control_digits(&digits);
        let mut text = digits_text(&digits);
        text.push(char::from(b'0' + control[0] as u8));
        text.push(char::from(b'0' + control[1] as u8));
        text
    }

    /// The person's social insurance number as eleven bare digits.
    pub(crate) fn social_insurance_number(&self, person_index: usize) -> String {
        let serial = self.social_insurance_serials.apply(person_index as u64) + SOCIAL_INSURANCE_FIRST_SERIAL;
        let mut digits = [0u32; 9];
        write_digits(&mut digits, serial);
        let checksum = social_insurance_number_checksum(&digits);
        format!("{}{checksum:02}", digits_text(&digits))
    }

    /// An organisation's taxpayer number from its employer id (unique per id).
    pub(crate) fn organisation_taxpayer_number(&self, employer_id: u64, region_number: u32) -> String {
        let serial = self.organisation_serials.apply(employer_id);
        let mut digits = [0u32; 9];
        digits[0] = region_number / 10 % 10;
        digits[1] = region_number % 10;
        write_digits(&mut digits[2..], serial);
        let control = organisation_taxpayer_number_control_digit(&digits);
        format!("{}{control}", digits_text(&digits))
    }
}

/// Writes `value` into `digits` as zero-padded decimal (most significant first).
pub(crate) fn write_digits(digits: &mut [u32], mut value: u64) {
    for digit in digits.iter_mut().rev() {
        *digit = (value % 10) as u32;
        value /= 10;
    }
}

pub(crate) fn digits_text(digits: &[u32]) -> String {
    digits.iter().map(|digit| char::from(b'0' + *digit as u8)).collect()
}

/// A SNILS written the way most forms print it: `112-233-445 95`.
pub(crate) fn social_insurance_number_with_separators(bare: &str) -> String {
    if bare.len() != 11 || !bare.is_ascii() {
        return bare.to_owned();
    }
    format!("{}-{}-{} {}", &bare[0..3], &bare[3..6], &bare[6..9], &bare[9..11])
}

/// `count` random decimal digits.
pub(crate) fn random_digits(rng: &mut impl Rng, count: usize) -> String {
    (0..count).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
}

/// The national personal number some passports print in the MRZ's optional data: the Uzbek
/// PINFL, the Kazakh IIN, the Kyrgyz PIN. Other countries print none.
pub(crate) fn national_personal_number(
    origin: crate::countries::Origin,
    birth_date: NaiveDate,
    sex: Sex,
    rng: &mut impl Rng,
) -> Option<String> {
    use crate::countries::Origin;
    let male = sex != Sex::Female;
    let twentieth_century = birth_date.year() < 2000;
    let day_month_year = format!("{:02}{:02}{:02}", birth_date.day(), birth_date.month(), birth_date.year() % 100);
    match origin {
        Origin::Uzbekistan => {
            let first = match (twentieth_century, male) {
                (true, true) => 3,
                (true, false) => 4,
                (false, true) => 5,
                (false, false) => 6,
            };
            let body = format!("{first}{day_month_year}{}", random_digits(rng, 6));
            let weights = [7u32, 3, 1];
            let sum: u32 = body
                .chars()
                .filter_map(|character| character.to_digit(10))
                .enumerate()
                .map(|(index, digit)| digit * weights[index % 3])
                .sum();
            Some(format!("{body}{}", sum % 10))
        }
        Origin::Kazakhstan => {
            let century_and_sex = match (twentieth_century, male) {
                (true, true) => 3,
                (true, false) => 4,
                (false, true) => 5,
                (false, false) => 6,
            };
            let year_month_day =
                format!("{:02}{:02}{:02}", birth_date.year() % 100, birth_date.month(), birth_date.day());
            loop {
                let body = format!("{year_month_day}{century_and_sex}{}", random_digits(rng, 4));
                let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
                let weighted = |weights: [u32; 11]| -> u32 {
                    digits.iter().zip(weights).map(|(digit, weight)| digit * weight).sum::<u32>() % 11
                };
                let mut control = weighted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
                if control == 10 {
                    control = weighted([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
                }
                if control < 10 {
                    return Some(format!("{body}{control}"));
                }
            }
        }
        Origin::Kyrgyzstan => Some(format!(
            "{}{:02}{:02}{:04}{}",
            if male { 2 } else { 1 },
            birth_date.day(),
            birth_date.month(),
            birth_date.year(),
            random_digits(rng, 5)
        )),
        _ => None,
    }
}

/// A vehicle identification number: a manufacturer prefix and fourteen characters of the VIN
/// alphabet (no I, O or Q).
pub(crate) fn vehicle_identification_number(rng: &mut impl Rng, manufacturer_prefix: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
    let mut number = String::with_capacity(17);
    number.push_str(manufacturer_prefix);
    while number.len() < 17 {
        number.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
    }
    number
}

#[cfg(test)]
mod tests {
    use super::*;
    use hospes_model::{OrganisationTaxpayerNumber, SocialInsuranceNumber, TaxpayerNumber};

    #[test]
    fn numbers_have_valid_check_digits_and_are_unique() {
        let spaces = IdentifierSpaces::new(99);
        let mut taxpayer_numbers = std::collections::BTreeSet::new();
        for index in 0..2000 {
            let inn = spaces.taxpayer_number(index, 77);
            assert!(TaxpayerNumber::parse(&inn).is_ok(), "{inn}");
            assert!(inn.starts_with("77"));
            taxpayer_numbers.insert(inn);
            let snils = spaces.social_insurance_number(index);
            assert!(SocialInsuranceNumber::parse(&snils).is_ok(), "{snils}");
            let formatted = social_insurance_number_with_separators(&snils);
            assert!(SocialInsuranceNumber::parse(&formatted).is_ok(), "{formatted}");
            let organisation = spaces.organisation_taxpayer_number(index as u64, 50);
            assert!(OrganisationTaxpayerNumber::parse(&organisation).is_ok(), "{organisation}");
        }
        assert_eq!(taxpayer_numbers.len(), 2000);
    }

    #[test]
    fn kazakh_personal_numbers_pass_their_check_digit() {
        let mut rng = crate::random::stream(3, 3, crate::random::Stream::Documents);
        let birth = NaiveDate::from_ymd_opt(1988, 7, 14).unwrap_or_default();
        for _ in 0..50 {
            let number =
                national_personal_number(crate::countries::Origin::Kazakhstan, birth, Sex::Female, &mut rng).unwrap();
            assert_eq!(number.len(), 12);
            assert!(number.starts_with("8807144"));
        }
    }
}
