//! Who the synthetic people are: households, origin, sex, birth, purpose of stay, names over
//! their lives, passports and identifiers. Everything here depends only on the seed, `as_of` and
//! the person's index, so that any person (and any relative named in a family record) can be
//! built on its own.

use chrono::{Datelike, NaiveDate};
use hospes_model::Sex;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::calendar::{add_days, add_years, age_on, date_between, subtract_years};
use crate::countries::Origin;
use crate::documents::{Passport, PassportHolder, passport_chain};
use crate::error::SynthError;
use crate::identifiers::national_personal_number;
use crate::names::{NameEntry, NameSet, SpellingChoices, SurnameSource, compose_name_set};
use crate::population::Population;
use crate::random::{Stream, chance, pick, pick_weighted, stream};

/// Why a person comes: it decides which records they leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Comes to work: patents and monthly payments (visa-free), union workers' contracts, or
    /// work visas and permits (visa nationals).
    LabourMigrant,
    Student,
    /// Accompanies or joins a relative.
    FamilyMember,
    BusinessVisitor,
    Tourist,
}

/// Persons are grouped in blocks of this many consecutive indices; a block is either four single
/// people or a family (a couple and up to two children) with single people filling the rest.
pub(crate) const HOUSEHOLD_BLOCK: usize = 4;

/// Share of women who take their husband's surname, where the custom exists.
pub const MARRIED_NAME_RATE: f64 = 0.85;
/// Share of married women who join their maiden and married names with a hyphen.
pub const DOUBLE_SURNAME_RATE: f64 = 0.03;
/// Share of older Uzbek and Tajik people registered as born on 1 January (a known artefact of
/// late birth registration).
pub const FIRST_OF_JANUARY_BIRTH_RATE: f64 = 0.03;

/// A person's place in a household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HouseholdRole {
    Single,
    Husband,
    Wife,
    Child,
}

/// Ties to other people of the (unbounded) population, by index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Relatives {
    pub(crate) spouse: Option<usize>,
    pub(crate) children: Vec<usize>,
    pub(crate) parents: Vec<usize>,
    pub(crate) married_on: Option<NaiveDate>,
}

/// Everything about a person that does not depend on what happens to them.
#[derive(Debug, Clone)]
pub(crate) struct PersonCore {
    pub(crate) index: usize,
    pub(crate) origin: Origin,
    pub(crate) sex: Sex,
    pub(crate) birth_date: NaiveDate,
    pub(crate) birth_town: (&'static str, &'static str),
    pub(crate) purpose: Purpose,
    pub(crate) role: HouseholdRole,
    pub(crate) relatives: Relatives,
    /// Name sets with the day each starts to apply (a maiden and a married name for some women).
    pub(crate) name_periods: Vec<(NaiveDate, NameSet)>,
    pub(crate) passports: Vec<Passport>,
    pub(crate) home_phone: String,
    /// Where the family name comes from (for naming relatives who stayed at home).
    pub(crate) surname_source: SurnameSource,
    pub(crate) given_entry: NameEntry,
    pub(crate) spelling_choices: SpellingChoices,
}

impl PersonCore {
    /// The name set in use on `date`.
    pub(crate) fn names_on(&self, date: NaiveDate) -> &NameSet {
        let position = self.name_periods.iter().rposition(|(from, _)| *from <= date).unwrap_or(0);
        &self.name_periods[position].1
    }

    pub(crate) fn passport_on(&self, date: NaiveDate) -> Option<&Passport> {
        crate::documents::passport_on(&self.passports, date)
    }
}

/// One member of a household as the household draws them.
#[derive(Debug, Clone)]
struct Member {
    role: HouseholdRole,
    sex: Sex,
    birth_date: NaiveDate,
    given: NameEntry,
    father: NameEntry,
    surname: SurnameSource,
    /// For a married woman: her maiden surname and the day she took the married one.
    maiden_surname: Option<NameEntry>,
}

/// A family drawn for one block.
#[derive(Debug, Clone)]
struct Family {
    origin: Origin,
    members: Vec<Member>,
    marriage_date: NaiveDate,
    wife_changes_name: bool,
}

fn purpose_weights(origin: Origin) -> [(Purpose, u32); 5] {
    use Purpose::*;
    match origin {
        Origin::Uzbekistan | Origin::Tajikistan | Origin::Kyrgyzstan => {
            [(LabourMigrant, 75), (FamilyMember, 10), (Student, 8), (BusinessVisitor, 2), (Tourist, 5)]
        }
        Origin::Kazakhstan => {
            [(LabourMigrant, 40), (FamilyMember, 10), (Student, 20), (BusinessVisitor, 10), (Tourist, 20)]
        }
        Origin::China => [(LabourMigrant, 25), (FamilyMember, 2), (Student, 25), (BusinessVisitor, 25), (Tourist, 23)],
        Origin::Vietnam => {
            [(LabourMigrant, 50), (FamilyMember, 2), (Student, 20), (BusinessVisitor, 10), (Tourist, 18)]
        }
        Origin::India => [(LabourMigrant, 25), (FamilyMember, 2), (Student, 45), (BusinessVisitor, 13), (Tourist, 15)],
        Origin::Turkey => [(LabourMigrant, 45), (FamilyMember, 2), (Student, 5), (BusinessVisitor, 30), (Tourist, 18)],
        _ => [(LabourMigrant, 50), (FamilyMember, 15), (Student, 10), (BusinessVisitor, 10), (Tourist, 15)],
    }
}

/// An age for an adult of `purpose`, drawn from a plausible (young-skewed) distribution.
fn draw_age(rng: &mut ChaCha8Rng, purpose: Purpose) -> u32 {
    let (minimum, span, power) = match purpose {
        Purpose::LabourMigrant => (18.0, 42.0, 1.6),
        Purpose::Student => (17.0, 11.0, 1.5),
        Purpose::BusinessVisitor => (25.0, 37.0, 1.0),
        Purpose::Tourist => (18.0, 52.0, 1.0),
        Purpose::FamilyMember => (18.0, 47.0, 1.2),
    };
    (minimum + rng.random::<f64>().powf(power) * span) as u32
}

fn birth_date_for_age(rng: &mut impl Rng, as_of: NaiveDate, age: u32, origin: Origin) -> NaiveDate {
    let latest = subtract_years(as_of, age);
    let birth = add_days(latest, -rng.random_range(0..365));
    let first_of_january_custom = matches!(origin, Origin::Uzbekistan | Origin::Tajikistan);
    if first_of_january_custom && birth.year() < 1985 && chance(rng, FIRST_OF_JANUARY_BIRTH_RATE) {
        return NaiveDate::from_ymd_opt(birth.year(), 1, 1).unwrap_or(birth);
    }
    birth
}

fn draw_sex(rng: &mut impl Rng, purpose: Purpose) -> Sex {
    let male_share = match purpose {
        Purpose::LabourMigrant => 0.82,
        Purpose::FamilyMember => 0.3,
        _ => 0.55,
    };
    if chance(rng, male_share) { Sex::Male } else { Sex::Female }
}

impl Population {
    fn draw_entry(
        &self,
        rng: &mut impl Rng,
        origin: Origin,
        sex: Sex,
        birth_year: i32,
    ) -> Result<NameEntry, SynthError> {
        self.names
            .country(origin)
            .draw_given(rng, sex, birth_year)
            .cloned()
            .ok_or_else(|| SynthError::invalid("name list", format!("no given names for {origin:?}")))
    }

    fn draw_surname_entry(&self, rng: &mut impl Rng, origin: Origin) -> Result<NameEntry, SynthError> {
        self.names
            .country(origin)
            .draw_surname(rng)
            .cloned()
            .ok_or_else(|| SynthError::invalid("name list", format!("no surnames for {origin:?}")))
    }

    fn draw_surname_source(&self, rng: &mut impl Rng, origin: Origin) -> Result<SurnameSource, SynthError> {
        if origin == Origin::Kyrgyzstan && chance(rng, 0.12) {
            return Ok(SurnameSource::FromFather);
        }
        if origin == Origin::India && chance(rng, 0.05) {
            return Ok(SurnameSource::SingleName);
        }
        Ok(SurnameSource::Family(self.draw_surname_entry(rng, origin)?))
    }

    /// The family of block `block`, or `None` when the block holds four single people.
    fn family(&self, block: usize) -> Result<Option<Family>, SynthError> {
        let mut rng = stream(self.config.seed, block as u64, Stream::Household);
        let shape = rng.random_range(0..100u32);
        let members_wanted = match shape {
            0..58 => return Ok(None),
            58..78 => 2,
            78..90 => 3,
            _ => 4,
        };
        let as_of = self.config.as_of;
        let origin = Origin::draw(&mut rng);
        let husband_age = 24 + (rng.random::<f64>().powf(1.3) * 34.0) as u32;
        let wife_age = husband_age.saturating_sub(rng.random_range(0..8)).max(20);
        let husband_birth = birth_date_for_age(&mut rng, as_of, husband_age, origin);
        let wife_birth = birth_date_for_age(&mut rng, as_of, wife_age, origin);
        let marriage_date = date_between(
            &mut rng,
            add_years(wife_birth, 18).max(add_years(husband_birth, 19)),
            add_years(wife_birth, 27).min(add_days(as_of, -60)),
        );
        let changes_name_by_custom = !matches!(origin, Origin::China | Origin::Vietnam);
        let wife_changes_name = changes_name_by_custom && chance(&mut rng, MARRIED_NAME_RATE);
        let family_surname = self.draw_surname_source(&mut rng, origin)?;
        let husband_given = self.draw_entry(&mut rng, origin, Sex::Male, husband_birth.year())?;
        let husband_father = self.draw_entry(&mut rng, origin, Sex::Male, husband_birth.year() - 28)?;
        let wife_given = self.draw_entry(&mut rng, origin, Sex::Female, wife_birth.year())?;
        let wife_father = self.draw_entry(&mut rng, origin, Sex::Male, wife_birth.year() - 28)?;
        let wife_maiden = self.draw_surname_entry(&mut rng, origin)?;
        let mut members = vec![
            Member {
                role: HouseholdRole::Husband,
                sex: Sex::Male,
                birth_date: husband_birth,
                given: husband_given.clone(),
                father: husband_father,
                surname: family_surname.clone(),
                maiden_surname: None,
            },
            Member {
                role: HouseholdRole::Wife,
                sex: Sex::Female,
                birth_date: wife_birth,
                given: wife_given,
                father: wife_father,
                surname: family_surname.clone(),
                maiden_surname: Some(wife_maiden),
            },
        ];
        let first_child_possible = add_days(marriage_date, 300);
        let last_child_possible = add_days(as_of, -200);
        for _ in 2..members_wanted {
            if first_child_possible >= last_child_possible {
                break;
            }
            let birth_date =
                date_between(&mut rng, first_child_possible, last_child_possible).max(subtract_years(as_of, 25));
            let sex = if chance(&mut rng, 0.5) { Sex::Male } else { Sex::Female };
            let given = self.draw_entry(&mut rng, origin, sex, birth_date.year())?;
            let surname = match &family_surname {
                // A Kyrgyz child's `уулу` name is built from the father's given name.
                SurnameSource::FromFather => SurnameSource::FromFather,
                SurnameSource::SingleName => SurnameSource::SingleName,
                other => other.clone(),
            };
            members.push(Member {
                role: HouseholdRole::Child,
                sex,
                birth_date,
                given,
                father: husband_given.clone(),
                surname,
                maiden_surname: None,
            });
        }
        Ok(Some(Family { origin, members, marriage_date, wife_changes_name }))
    }

    /// Builds the core of person `index` (which may lie beyond the population: relatives of the
    /// last people are named in records but have none of their own).
    pub(crate) fn core(&self, index: usize) -> Result<PersonCore, SynthError> {
        let seed = self.config.seed;
        let as_of = self.config.as_of;
        let block = index / HOUSEHOLD_BLOCK;
        let position = index % HOUSEHOLD_BLOCK;
        let family = self.family(block)?;
        let mut rng = stream(seed, index as u64, Stream::Identity);
        let family_member =
            family.as_ref().and_then(|family| family.members.get(position).map(|member| (family, member)));

        let (origin, sex, birth_date, role, given, father, surname_source, purpose, relatives) = match family_member {
            Some((family, member)) => {
                let block_start = block * HOUSEHOLD_BLOCK;
                let mut relatives = Relatives::default();
                let child_indices: Vec<usize> = family
                    .members
                    .iter()
                    .enumerate()
                    .filter(|(_, member)| member.role == HouseholdRole::Child)
                    .map(|(position, _)| block_start + position)
                    .collect();
                match member.role {
                    HouseholdRole::Husband | HouseholdRole::Wife => {
                        relatives.spouse =
                            Some(block_start + if member.role == HouseholdRole::Husband { 1 } else { 0 });
                        relatives.children = child_indices;
                        relatives.married_on = Some(family.marriage_date);
                    }
                    _ => relatives.parents = vec![block_start, block_start + 1],
                }
                let age = age_on(member.birth_date, as_of);
                let purpose = match member.role {
                    HouseholdRole::Husband => draw_working_purpose(&mut rng, family.origin),
                    HouseholdRole::Wife if chance(&mut rng, 0.35) => draw_working_purpose(&mut rng, family.origin),
                    HouseholdRole::Child if age >= 17 => {
                        if chance(&mut rng, 0.6) {
                            Purpose::Student
                        } else {
                            Purpose::LabourMigrant
                        }
                    }
                    _ => Purpose::FamilyMember,
                };
                let surname = match (&member.maiden_surname, member.role) {
                    (Some(_), HouseholdRole::Wife) if !family.wife_changes_name => {
                        SurnameSource::Family(member.maiden_surname.clone().unwrap_or_else(|| member.given.clone()))
                    }
                    _ => member.surname.clone(),
                };
                (
                    family.origin,
                    member.sex,
                    member.birth_date,
                    member.role,
                    member.given.clone(),
                    member.father.clone(),
                    surname,
                    purpose,
                    relatives,
                )
            }
            None => {
                let origin = Origin::draw(&mut rng);
                let purpose = *pick_weighted(&mut rng, &purpose_weights(origin));
                let sex = draw_sex(&mut rng, purpose);
                let age = draw_age(&mut rng, purpose);
                let birth_date = birth_date_for_age(&mut rng, as_of, age, origin);
                let given = self.draw_entry(&mut rng, origin, sex, birth_date.year())?;
                let father = self.draw_entry(&mut rng, origin, Sex::Male, birth_date.year() - 28)?;
                let surname = self.draw_surname_source(&mut rng, origin)?;
                (origin, sex, birth_date, HouseholdRole::Single, given, father, surname, purpose, Relatives::default())
            }
        };

        let choices = SpellingChoices {
            has_patronymic: chance(&mut rng, origin.patronymic_share()),
            national_patronymic_style: chance(&mut rng, 0.45),
        };
        let mut name_periods = Vec::with_capacity(2);
        let born = birth_date;
        match (role, &family_member) {
            (HouseholdRole::Wife, Some((family, member))) if family.wife_changes_name => {
                let maiden = member.maiden_surname.clone().unwrap_or_else(|| given.clone());
                let married_source = if chance(&mut rng, DOUBLE_SURNAME_RATE) {
                    match &surname_source {
                        SurnameSource::Family(married) => SurnameSource::Double(maiden.clone(), married.clone()),
                        other => other.clone(),
                    }
                } else {
                    surname_source.clone()
                };
                name_periods.push((
                    born,
                    compose_name_set(origin, sex, &SurnameSource::Family(maiden), &given, Some(&father), choices)?,
                ));
                name_periods.push((
                    family.marriage_date,
                    compose_name_set(origin, sex, &married_source, &given, Some(&father), choices)?,
                ));
            }
            _ => name_periods
                .push((born, compose_name_set(origin, sex, &surname_source, &given, Some(&father), choices)?)),
        }

        let mut document_rng = stream(seed, index as u64, Stream::Documents);
        let personal_number = national_personal_number(origin, birth_date, sex, &mut document_rng);
        let holder = PassportHolder {
            person_index: index,
            origin,
            sex,
            birth_date,
            name_periods: &name_periods,
            personal_number: personal_number.as_deref(),
        };
        let passports = passport_chain(&holder, &self.identifiers, as_of, self.history_start(), &mut document_rng)?;
        let birth_town = pick(&mut rng, origin.towns());
        let home_phone = origin.draw_home_phone(&mut rng);
        Ok(PersonCore {
            index,
            origin,
            sex,
            birth_date,
            birth_town,
            purpose,
            role,
            relatives,
            name_periods,
            passports,
            home_phone,
            surname_source,
            given_entry: given,
            spelling_choices: choices,
        })
    }
}

/// A purpose for an adult of a working household: mostly work, some business or study.
fn draw_working_purpose(rng: &mut impl Rng, origin: Origin) -> Purpose {
    let weights: Vec<(Purpose, u32)> = purpose_weights(origin)
        .into_iter()
        .filter(|(purpose, _)| *purpose != Purpose::FamilyMember && *purpose != Purpose::Tourist)
        .collect();
    *pick_weighted(rng, &weights)
}

/// A relative who stayed at home: named in family records, with no records of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelativeAtHome {
    Spouse,
    Child(u32),
}

impl Population {
    /// Builds a relative of `person` who is not part of the population (a spouse or child who
    /// stayed at home), from the person's own random stream of relatives.
    pub(crate) fn relative_at_home(
        &self,
        person: &PersonCore,
        relative: RelativeAtHome,
    ) -> Result<PersonCore, SynthError> {
        let salt = match relative {
            RelativeAtHome::Spouse => 0,
            RelativeAtHome::Child(ordinal) => 1 + ordinal as u64,
        };
        let mut rng = stream(self.config.seed, (person.index as u64) << 4 | salt, Stream::Relative);
        let as_of = self.config.as_of;
        let origin = person.origin;
        let (sex, birth_date, given, father, surname_source) = match relative {
            RelativeAtHome::Spouse => {
                let sex = if person.sex == Sex::Female { Sex::Male } else { Sex::Female };
                let age = (age_on(person.birth_date, as_of) + rng.random_range(-5..4)).clamp(18, 80) as u32;
                let birth_date = birth_date_for_age(&mut rng, as_of, age, origin);
                let given = self.draw_entry(&mut rng, origin, sex, birth_date.year())?;
                let father = self.draw_entry(&mut rng, origin, Sex::Male, birth_date.year() - 28)?;
                (sex, birth_date, given, father, person.surname_source.clone())
            }
            RelativeAtHome::Child(_) => {
                let sex = if chance(&mut rng, 0.5) { Sex::Male } else { Sex::Female };
                let earliest = add_years(person.birth_date, 20);
                let birth_date = date_between(&mut rng, earliest, add_days(as_of, -60).max(earliest));
                let given = self.draw_entry(&mut rng, origin, sex, birth_date.year())?;
                let father = if person.sex == Sex::Male {
                    person.given_entry.clone()
                } else {
                    self.draw_entry(&mut rng, origin, Sex::Male, birth_date.year() - 28)?
                };
                (sex, birth_date, given, father, person.surname_source.clone())
            }
        };
        let choices = SpellingChoices {
            has_patronymic: chance(&mut rng, origin.patronymic_share()),
            national_patronymic_style: person.spelling_choices.national_patronymic_style,
        };
        let names = compose_name_set(origin, sex, &surname_source, &given, Some(&father), choices)?;
        Ok(PersonCore {
            index: person.index,
            origin,
            sex,
            birth_date,
            birth_town: person.birth_town,
            purpose: Purpose::FamilyMember,
            role: HouseholdRole::Single,
            relatives: Relatives::default(),
            name_periods: vec![(birth_date, names)],
            passports: Vec::new(),
            home_phone: person.home_phone.clone(),
            surname_source,
            given_entry: given,
            spelling_choices: choices,
        })
    }
}
