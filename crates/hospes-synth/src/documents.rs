//! Passports: numbers in each country's format, validity, renewals with new numbers (after
//! expiry, a marriage or a loss), and a valid ICAO 9303 TD3 machine-readable zone.

use chrono::{Datelike, NaiveDate};
use hospes_model::Sex;
use hospes_mrz::{
    DocumentCode, DocumentFields, HolderName, MrzDate, MrzField, MrzFormat, OptionalData, StateCode, encode,
};
use rand::Rng;

use crate::calendar::{add_days, add_years, age_on, date_between, subtract_years};
use crate::countries::{Origin, PassportNumberShape};
use crate::error::SynthError;
use crate::identifiers::IdentifierSpaces;
use crate::names::{NameParts, NameSet, passport_uses_old_romanisation};
use crate::random::{chance, pick};

/// Share of people who report a passport lost or stolen within the simulated years.
pub const LOST_PASSPORT_RATE: f64 = 0.012;
/// Share of renewals made only after the old passport expired.
pub const LATE_RENEWAL_RATE: f64 = 0.03;
/// The most passports one person's chain may hold (a bound on the serial space per person).
const MAX_PASSPORTS: u64 = 8;

/// Why a passport was replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReplacementReason {
    Expiry,
    NameChange,
    Loss,
}

/// One passport of a person.
#[derive(Debug, Clone)]
pub(crate) struct Passport {
    pub(crate) number: String,
    pub(crate) issued_on: NaiveDate,
    pub(crate) expires_on: NaiveDate,
    pub(crate) issued_abroad: bool,
    /// The number of the passport this one replaced.
    pub(crate) previous_number: Option<String>,
    /// Why this passport was replaced, and when it was reported lost (for a loss).
    pub(crate) replaced_because: Option<ReplacementReason>,
    pub(crate) lost_on: Option<NaiveDate>,
    /// Which of the person's name sets it was issued under.
    pub(crate) name_period: usize,
    /// The name as printed in the MRZ (after any truncation), as a reader would return it.
    pub(crate) name: NameParts,
    pub(crate) mrz: Vec<String>,
}

/// What the passport chain depends on.
pub(crate) struct PassportHolder<'a> {
    pub(crate) person_index: usize,
    pub(crate) origin: Origin,
    pub(crate) sex: Sex,
    pub(crate) birth_date: NaiveDate,
    /// Name sets in order, with the day each starts to apply (the first from birth).
    pub(crate) name_periods: &'a [(NaiveDate, NameSet)],
    pub(crate) personal_number: Option<&'a str>,
}

/// Builds a person's passports from their first until `as_of`, keeping those still relevant to the
/// simulated years (from `history_start`) and the one before them.
pub(crate) fn passport_chain(
    holder: &PassportHolder<'_>,
    spaces: &IdentifierSpaces,
    as_of: NaiveDate,
    history_start: NaiveDate,
    rng: &mut impl Rng,
) -> Result<Vec<Passport>, SynthError> {
    let age_now = age_on(holder.birth_date, as_of);
    let first_issue = if age_now >= 17 {
        let earliest = add_years(holder.birth_date, 16);
        date_between(rng, earliest, add_days(earliest, 4 * 365)).min(add_days(as_of, -400))
    } else {
        date_between(rng, add_days(holder.birth_date, 30), add_days(as_of, -200).max(add_days(holder.birth_date, 31)))
    }
    .max(add_days(holder.birth_date, 30));

    let lost_on_target = chance(rng, LOST_PASSPORT_RATE)
        .then(|| date_between(rng, history_start.max(first_issue), add_days(as_of, -120)));
    let name_change_dates: Vec<NaiveDate> = holder.name_periods.iter().skip(1).map(|(from, _)| *from).collect();

    let mut passports: Vec<Passport> = Vec::new();
    let mut issued_on = first_issue;
    let mut previous_number: Option<String> = None;
    let mut lost_pending = lost_on_target;
    for ordinal in 0..MAX_PASSPORTS {
        let adult = age_on(holder.birth_date, issued_on) >= 16;
        let validity = if adult { holder.origin.passport_validity_years() } else { 5 };
        let expires_on = add_days(add_years(issued_on, validity), -1);
        let number = passport_number(holder, spaces, ordinal, issued_on.year(), rng);
        let name_period = holder.name_periods.iter().rposition(|(from, _)| *from <= issued_on).unwrap_or(0);
        let mut passport = Passport {
            number: number.clone(),
            issued_on,
            expires_on,
            issued_abroad: ordinal > 0 && chance(rng, 0.35),
            previous_number: previous_number.clone(),
            replaced_because: None,
            lost_on: None,
            name_period,
            name: NameParts::default(),
            mrz: Vec::new(),
        };
        // What ends this passport first: a loss, a change of name, or expiry.
        let renewal = if chance(rng, LATE_RENEWAL_RATE) {
            add_days(expires_on, rng.random_range(10..90))
        } else {
            add_days(expires_on, -rng.random_range(0..180))
        };
        let mut next = (renewal, ReplacementReason::Expiry);
        if let Some(change) = name_change_dates.iter().find(|change| **change > issued_on && **change < expires_on) {
            let reissue = add_days(*change, rng.random_range(30..180));
            if reissue < next.0 {
                next = (reissue, ReplacementReason::NameChange);
            }
        }
        if let Some(lost) = lost_pending
            && lost > issued_on
            && lost < next.0
        {
            next = (add_days(lost, rng.random_range(20..60)), ReplacementReason::Loss);
            passport.lost_on = Some(lost);
            lost_pending = None;
        }
        if next.0 > as_of {
            passports.push(passport);
            break;
        }
        passport.replaced_because = Some(next.1);
        previous_number = Some(number);
        passports.push(passport);
        issued_on = next.0;
    }
    // Keep what the simulated years can see, and the passport before it (named by renewals).
    let first_relevant = passports
        .iter()
        .position(|passport| passport.expires_on >= subtract_years(history_start, 1))
        .unwrap_or(passports.len().saturating_sub(1));
    let mut kept = passports.split_off(first_relevant.saturating_sub(1));
    // The zones are encoded only for the passports kept.
    for passport in &mut kept {
        let (name, mrz) = machine_readable_zone(
            holder,
            passport.name_period,
            &passport.number,
            passport.issued_on,
            passport.expires_on,
        )?;
        passport.name = name;
        passport.mrz = mrz;
    }
    Ok(kept)
}

fn passport_number(
    holder: &PassportHolder<'_>,
    spaces: &IdentifierSpaces,
    ordinal: u64,
    issue_year: i32,
    rng: &mut impl Rng,
) -> String {
    let unique = holder.person_index as u64 * MAX_PASSPORTS + ordinal;
    match holder.origin.passport_number_shape(issue_year) {
        PassportNumberShape::LettersThenDigits(prefixes, digits) => {
            let prefix = pick(rng, prefixes);
            let serial = match digits {
                6 => spaces.six_digit_serials.apply(unique),
                7 => spaces.seven_digit_serials.apply(unique),
                _ => spaces.eight_digit_serials.apply(unique),
            };
            format!("{prefix}{serial:0width$}", width = digits as usize)
        }
        PassportNumberShape::DigitsLettersDigits => {
            let serial = spaces.seven_digit_serials.apply(unique);
            let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
            format!(
                "{:02}{}{}{:05}",
                serial / 100_000,
                char::from(letters[rng.random_range(0..26)]),
                char::from(letters[rng.random_range(0..26)]),
                serial % 100_000
            )
        }
    }
}

/// Encodes the TD3 zone and reads the name back as a reader sees it (truncated if it had to be).
fn machine_readable_zone(
    holder: &PassportHolder<'_>,
    name_period: usize,
    number: &str,
    issued_on: NaiveDate,
    expires_on: NaiveDate,
) -> Result<(NameParts, Vec<String>), SynthError> {
    let invalid = |error: hospes_mrz::InvalidFieldValue| SynthError::invalid("MRZ field", error);
    let names = &holder.name_periods[name_period.min(holder.name_periods.len() - 1)].1;
    let printed = if passport_uses_old_romanisation(holder.origin, issued_on.year()) {
        &names.passport_before_switch
    } else {
        &names.passport
    };
    let fields = DocumentFields {
        document_code: DocumentCode::new("P").map_err(invalid)?,
        issuing_state: StateCode::new(holder.origin.alpha3(), MrzField::IssuingState).map_err(invalid)?,
        name: HolderName::new(&printed.surname, printed.given.as_deref().unwrap_or("")).map_err(invalid)?,
        document_number: hospes_mrz::DocumentNumber::new(number).map_err(invalid)?,
        nationality: StateCode::new(holder.origin.alpha3(), MrzField::Nationality).map_err(invalid)?,
        birth_date: MrzDate::from_date(holder.birth_date),
        sex: match holder.sex {
            Sex::Male => hospes_mrz::Sex::Male,
            Sex::Female => hospes_mrz::Sex::Female,
            Sex::Unspecified => hospes_mrz::Sex::Unspecified,
        },
        expiry_date: MrzDate::from_date(expires_on),
        optional_data: match holder.personal_number {
            Some(personal_number) => OptionalData::new(personal_number, MrzField::OptionalData).map_err(invalid)?,
            None => OptionalData::empty(),
        },
        optional_data_2: None,
    };
    let encoded = encode(MrzFormat::Td3, &fields).map_err(|error| SynthError::invalid("MRZ", error))?;
    let lines = encoded.lines().to_vec();
    let read_back = lines
        .first()
        .and_then(|line| line.get(5..))
        .and_then(|field| HolderName::from_mrz_field(field).ok())
        .ok_or_else(|| SynthError::invalid("MRZ", "the name field cannot be read back"))?;
    let given = read_back.secondary_identifier();
    Ok((
        NameParts {
            surname: read_back.primary_identifier().to_owned(),
            given: (!given.is_empty()).then(|| given.to_owned()),
            patronymic: None,
        },
        lines,
    ))
}

/// The passport in use on `date`: the latest one issued by then (the first before any).
pub(crate) fn passport_on(passports: &[Passport], date: NaiveDate) -> Option<&Passport> {
    passports.iter().rev().find(|passport| passport.issued_on <= date).or_else(|| passports.first())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::{NameEntry, SpellingChoices, SurnameSource, compose_name_set};

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn chains_renew_with_new_numbers_and_valid_zones() {
        let spaces = IdentifierSpaces::new(5);
        let entry = |native: &str| NameEntry::new(native, None);
        let names = compose_name_set(
            Origin::Uzbekistan,
            Sex::Male,
            &SurnameSource::Family(entry("Юсупов")),
            &entry("Алишер"),
            Some(&entry("Бахтиёр")),
            SpellingChoices { has_patronymic: true, national_patronymic_style: false },
        )
        .unwrap();
        let periods = vec![(date("1980-01-01"), names)];
        let mut renewals = 0;
        for person_index in 0..200 {
            let holder = PassportHolder {
                person_index,
                origin: Origin::Uzbekistan,
                sex: Sex::Male,
                birth_date: date("1980-05-17"),
                name_periods: &periods,
                personal_number: Some("31705800000000"),
            };
            let mut rng = crate::random::stream(5, person_index as u64, crate::random::Stream::Documents);
            let chain = passport_chain(&holder, &spaces, date("2025-06-30"), date("2020-06-30"), &mut rng).unwrap();
            assert!(!chain.is_empty());
            for pair in chain.windows(2) {
                assert_eq!(pair[1].previous_number.as_deref(), Some(pair[0].number.as_str()));
                assert_ne!(pair[0].number, pair[1].number);
                assert!(pair[1].issued_on > pair[0].issued_on);
            }
            renewals += chain.len() - 1;
            for passport in &chain {
                let zone = hospes_mrz::MachineReadableZone::parse_lines(&passport.mrz, date("2025-06-30")).unwrap();
                assert!(zone.is_valid(), "{:?}", passport.mrz);
                assert!(passport.issued_on <= date("2025-06-30"));
            }
        }
        assert!(renewals > 50, "{renewals}");
    }
}
