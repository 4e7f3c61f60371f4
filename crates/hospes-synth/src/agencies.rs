//! The fifteen agencies, and how each sees a person: which spelling of the name it writes, which
//! identifiers it knows and puts in the record's subject.

use chrono::NaiveDate;
use std::borrow::Cow;

use hospes_model::{Category, CountryCode, Date, DocumentNumber, Subject};
use hospes_names::{Scheme, transliterate};
use rand::Rng;

use crate::countries::NativeScript;
use crate::error::SynthError;
use crate::names::NameParts;
use crate::names::transcription::capitalise_words;
use crate::person::PersonCore;
use crate::random::{chance, pick};
use crate::records::RecordContext;
use crate::typos::Entry;
use crate::wire::{WireDocument, WireName, WireSubject};

/// An agency that feeds the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Agency {
    BorderService,
    MigrationService,
    ConsularService,
    TaxService,
    SocialFund,
    HealthAuthority,
    EducationSupervisor,
    EmployersNotifications,
    Police,
    Courts,
    Bailiffs,
    PropertyRegistry,
    VehicleRegistry,
    TelecomOperators,
    PartnerStates,
}

impl Agency {
    /// The agency id of `config/agencies.toml`.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Agency::BorderService => "border_service",
            Agency::MigrationService => "migration_service",
            Agency::ConsularService => "consular_service",
            Agency::TaxService => "tax_service",
            Agency::SocialFund => "social_fund",
            Agency::HealthAuthority => "health_authority",
            Agency::EducationSupervisor => "education_supervisor",
            Agency::EmployersNotifications => "employers_notifications",
            Agency::Police => "police",
            Agency::Courts => "courts",
            Agency::Bailiffs => "bailiffs",
            Agency::PropertyRegistry => "property_registry",
            Agency::VehicleRegistry => "vehicle_registry",
            Agency::TelecomOperators => "telecom_operators",
            Agency::PartnerStates => "partner_states",
        }
    }

    /// The prefix of the agency's record ids, which keeps ids unique across agencies.
    pub(crate) fn record_prefix(self) -> &'static str {
        match self {
            Agency::BorderService => "BS",
            Agency::MigrationService => "MS",
            Agency::ConsularService => "CS",
            Agency::TaxService => "TX",
            Agency::SocialFund => "SF",
            Agency::HealthAuthority => "HA",
            Agency::EducationSupervisor => "ES",
            Agency::EmployersNotifications => "EN",
            Agency::Police => "PO",
            Agency::Courts => "CT",
            Agency::Bailiffs => "BF",
            Agency::PropertyRegistry => "PR",
            Agency::VehicleRegistry => "VR",
            Agency::TelecomOperators => "TO",
            Agency::PartnerStates => "PS",
        }
    }

    pub(crate) fn position(self) -> usize {
        self as usize
    }

    /// The law under which the agency sends a record of `category`.
    pub(crate) fn legal_basis(self, category: Category) -> &'static str {
        use Agency::*;
        use Category as C;
        match (self, category) {
            (BorderService, C::BorderCrossings) => "4730-1 art. 9",
            (BorderService, _) => "4730-1 art. 30",
            (MigrationService, C::MigrationRegistration) => "109-FZ art. 20",
            (MigrationService, C::WorkPermits) => "115-FZ art. 13.3",
            (MigrationService, C::ResidencePermits) => "115-FZ art. 6",
            (MigrationService, C::EntryBans) => "114-FZ art. 26",
            (MigrationService, C::ControlledRegister) => "115-FZ art. 31.1",
            (MigrationService, C::Biometrics) => "115-FZ art. 10.1",
            (MigrationService, C::Visas) => "114-FZ art. 25.6",
            (MigrationService, _) => "115-FZ art. 5",
            (ConsularService, C::PreArrival) => "114-FZ art. 25.1",
            (ConsularService, _) => "114-FZ art. 25.6",
            (TaxService, C::PatentPayments) => "Tax Code art. 227.1",
            (TaxService, _) => "Tax Code art. 83",
            (SocialFund, C::SocialInsurance) => "27-FZ art. 6",
            (SocialFund, _) => "326-FZ art. 10",
            (HealthAuthority, C::MedicalExams) => "115-FZ art. 5.1",
            (HealthAuthority, _) => "115-FZ art. 13.3",
            (EducationSupervisor, C::LanguageExams) => "115-FZ art. 15.1",
            (EducationSupervisor, _) => "273-FZ art. 107",
            (EmployersNotifications, C::Employment) => "115-FZ art. 13 p. 8",
            (EmployersNotifications, _) => "152-FZ art. 6",
            (Police, C::Offences) => "CAO art. 28.3",
            (Police, C::Wanted) => "3-FZ art. 12",
            (Police, _) => "3-FZ art. 13",
            (Courts, C::Convictions) => "Criminal Procedure Code art. 303",
            (Courts, C::EntryBans) => "CAO art. 3.10",
            (Courts, _) => "CAO art. 29.10",
            (Bailiffs, _) => "229-FZ art. 30",
            (PropertyRegistry, _) => "218-FZ art. 14",
            (VehicleRegistry, _) => "283-FZ art. 5",
            (TelecomOperators, _) => "126-FZ art. 44",
            (PartnerStates, C::Wanted) => "Minsk Convention 1993",
            (PartnerStates, _) => "CIS Agreement on migration information exchange",
        }
    }
}

/// The ids of every agency, in a fixed order.
pub const AGENCY_IDS: [&str; 15] = [
    "border_service",
    "migration_service",
    "consular_service",
    "tax_service",
    "social_fund",
    "health_authority",
    "education_supervisor",
    "employers_notifications",
    "police",
    "courts",
    "bailiffs",
    "property_registry",
    "vehicle_registry",
    "telecom_operators",
    "partner_states",
];

/// Which spelling of a name a record carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameStyle {
    /// The MRZ Latin of the passport in use, as a reader returns it.
    Passport,
    /// Russian Cyrillic.
    Russian,
    /// The other Russian spelling offices use.
    RussianAlternative,
    /// Informal Latin, as typed by people who write Russian in Latin letters (the `telegram` scheme).
    Informal,
    /// The origin country's own Latin (Uzbek Latin and so on).
    Partner,
    /// The national script of the passport's national page.
    Native,
    /// An older romanisation of the Russian spelling (GOST 52535, MVD 310, ISO 9).
    OlderScheme(Scheme),
}

/// The name of `core` on `date` in `style`, before any clerk's error (borrowed where it can be).
pub(crate) fn render_name(core: &PersonCore, style: NameStyle, date: NaiveDate) -> WireName<'_> {
    let names = core.names_on(date);
    let cyrillic_origin = matches!(core.origin.native_script(), NativeScript::Cyrillic(_));
    fn borrowed(parts: &NameParts) -> WireName<'_> {
        WireName {
            surname: Cow::Borrowed(parts.surname.as_str()),
            given: parts.given.as_deref().map(Cow::Borrowed),
            patronymic: parts.patronymic.as_deref().map(Cow::Borrowed),
        }
    }
    let converted = |parts: &NameParts, convert: &dyn Fn(&str) -> String| WireName {
        surname: Cow::Owned(convert(&parts.surname)),
        given: parts.given.as_deref().map(|given| Cow::Owned(convert(given))),
        patronymic: parts.patronymic.as_deref().map(|patronymic| Cow::Owned(convert(patronymic))),
    };
    match style {
        NameStyle::Passport => match core.passport_on(date) {
            Some(passport) => borrowed(&passport.name),
            None => borrowed(&names.passport),
        },
        NameStyle::Russian => borrowed(&names.russian),
        NameStyle::RussianAlternative => borrowed(&names.russian_alternative),
        NameStyle::Partner => borrowed(&names.latin),
        NameStyle::Native => borrowed(&names.native),
        NameStyle::Informal if cyrillic_origin => converted(&names.russian, &|text| {
            crate::names::name_characters_only(&transliterate(text, Scheme::Telegram))
        }),
        NameStyle::OlderScheme(scheme) if cyrillic_origin => {
            converted(&names.russian, &|text| crate::names::name_characters_only(&transliterate(text, scheme)))
        }
        NameStyle::Informal | NameStyle::OlderScheme(_) => {
            let mut parts = converted(&names.passport, &capitalise_words);
            parts.patronymic = None;
            parts
        }
    }
}

/// How a clerk (or a person filling in a form) writes a name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameWriting {
    pub(crate) entry: Entry,
    pub(crate) patronymic: bool,
    pub(crate) upper_case: bool,
    /// Written by people rather than clerks: given name first more often.
    pub(crate) informal: bool,
}

impl NameWriting {
    /// Keyed by a clerk, with the patronymic, in ordinary case.
    pub(crate) fn keyed() -> Self {
        Self { entry: Entry::Keyed, patronymic: true, upper_case: false, informal: false }
    }

    pub(crate) fn by(entry: Entry) -> Self {
        Self { entry, ..Self::keyed() }
    }
}

/// How a subject is to be written: the name styles and which identifiers go in.
struct SubjectPlan {
    names: Vec<NameStyle>,
    entry: Entry,
    patronymic: bool,
    upper_case: bool,
    /// Written by people rather than clerks (employers' and telecom forms): given name first more often.
    informal: bool,
    birth_date: bool,
    sex: bool,
    citizenship: bool,
    passport: bool,
    taxpayer_number: bool,
    social_insurance_number: bool,
    phone: bool,
}

impl<'a> RecordContext<'a> {
    /// A Russian spelling: the main one mostly, the alternative one sometimes.
    fn russian_style(&mut self) -> NameStyle {
        if chance(&mut self.rng, 0.25) { NameStyle::RussianAlternative } else { NameStyle::Russian }
    }

    fn plan_subject(&mut self, agency: Agency, date: NaiveDate) -> SubjectPlan {
        let mut plan = SubjectPlan {
            names: Vec::new(),
            entry: Entry::Keyed,
            patronymic: true,
            upper_case: false,
            informal: false,
            birth_date: true,
            sex: false,
            citizenship: false,
            passport: false,
            taxpayer_number: false,
            social_insurance_number: false,
            phone: false,
        };
        let old_record = date < crate::calendar::subtract_years(self.population.config.as_of, 3);
        let rng = &mut self.rng;
        match agency {
            Agency::BorderService => {
                plan.names = vec![NameStyle::Passport];
                plan.entry = Entry::MachineRead;
                plan.sex = true;
                plan.citizenship = true;
                plan.passport = true;
            }
            Agency::ConsularService => {
                plan.names = vec![NameStyle::Passport];
                plan.entry = Entry::MachineRead;
                plan.sex = true;
                plan.citizenship = true;
                plan.passport = true;
            }
            Agency::MigrationService => {
                plan.names = vec![NameStyle::Russian];
                if chance(rng, 0.85) {
                    let latin = if old_record && chance(rng, 0.2) {
                        NameStyle::OlderScheme(pick(rng, &[Scheme::Gost52535, Scheme::Mvd310, Scheme::Gost779]))
                    } else {
                        NameStyle::Passport
                    };
                    plan.names.push(latin);
                }
                plan.patronymic = chance(rng, 0.9);
                plan.sex = chance(rng, 0.9);
                plan.citizenship = chance(rng, 0.95);
                plan.passport = chance(rng, 0.97);
                plan.taxpayer_number = chance(rng, 0.2);
                plan.phone = chance(rng, 0.1);
            }
            Agency::TaxService => {
                plan.names = if chance(rng, 0.6) { vec![NameStyle::Russian] } else { Vec::new() };
                plan.birth_date = chance(rng, 0.6);
                plan.passport = chance(rng, 0.3);
                plan.taxpayer_number = true;
            }
            Agency::SocialFund => {
                plan.names = vec![NameStyle::Russian];
                plan.patronymic = chance(rng, 0.8);
                plan.social_insurance_number = chance(rng, 0.9);
                plan.taxpayer_number = chance(rng, 0.3);
                plan.passport = chance(rng, 0.4);
            }
            Agency::HealthAuthority => {
                plan.names = vec![NameStyle::Russian];
                plan.patronymic = chance(rng, 0.6);
                plan.passport = chance(rng, 0.6);
            }
            Agency::EducationSupervisor => {
                plan.names = vec![if chance(rng, 0.8) { NameStyle::Russian } else { NameStyle::Passport }];
                plan.birth_date = chance(rng, 0.95);
                plan.passport = chance(rng, 0.5);
            }
            Agency::EmployersNotifications => {
                plan.names = vec![if chance(rng, 0.7) { NameStyle::Russian } else { NameStyle::Informal }];
                plan.informal = true;
                plan.patronymic = chance(rng, 0.7);
                plan.upper_case = chance(rng, 0.1);
                plan.birth_date = chance(rng, 0.9);
                plan.passport = chance(rng, 0.85);
                plan.taxpayer_number = chance(rng, 0.5);
                plan.phone = chance(rng, 0.2);
            }
            Agency::Police => {
                plan.names = vec![NameStyle::Russian];
                plan.upper_case = chance(rng, 0.15);
                plan.birth_date = chance(rng, 0.95);
                plan.passport = chance(rng, 0.7);
                plan.citizenship = chance(rng, 0.8);
            }
            Agency::Courts => {
                plan.names = vec![NameStyle::Russian];
                plan.passport = chance(rng, 0.4);
                plan.citizenship = chance(rng, 0.7);
            }
            Agency::Bailiffs => {
                plan.names = vec![NameStyle::Russian];
                plan.upper_case = chance(rng, 0.1);
                plan.taxpayer_number = chance(rng, 0.5);
                plan.passport = chance(rng, 0.2);
            }
            Agency::PropertyRegistry => {
                plan.names = vec![NameStyle::Russian];
                plan.passport = chance(rng, 0.9);
                plan.taxpayer_number = chance(rng, 0.5);
                plan.social_insurance_number = chance(rng, 0.3);
            }
            Agency::VehicleRegistry => {
                plan.names = vec![NameStyle::Russian];
                plan.upper_case = chance(rng, 0.2);
                plan.passport = chance(rng, 0.9);
            }
            Agency::TelecomOperators => {
                let draw = rng.random_range(0..10u32);
                plan.names = vec![match draw {
                    0..6 => NameStyle::Russian,
                    6..9 => NameStyle::Informal,
                    _ => NameStyle::Passport,
                }];
                plan.informal = true;
                plan.patronymic = chance(rng, 0.5);
                plan.birth_date = chance(rng, 0.85);
                plan.passport = chance(rng, 0.9);
                plan.phone = true;
            }
            Agency::PartnerStates => {
                plan.names = vec![NameStyle::Partner];
                if self.core.names_on(date).native_is_distinct && chance(rng, 0.7) {
                    plan.names.insert(0, NameStyle::Native);
                }
                plan.sex = true;
                plan.citizenship = true;
                plan.passport = true;
            }
        }
        // Russian spellings vary between offices.
        for style in plan.names.iter_mut() {
            if *style == NameStyle::Russian {
                *style = self.russian_style();
            }
        }
        plan
    }

    /// The subject of a record `agency` writes about this person on `date`.
    pub(crate) fn subject(&mut self, agency: Agency, date: NaiveDate) -> Result<WireSubject<'a>, SynthError> {
        let plan = self.plan_subject(agency, date);
        let core: &'a PersonCore = self.core;
        let mut subject = WireSubject::default();
        for style in &plan.names {
            subject.names.push(self.person_name(
                core,
                *style,
                date,
                NameWriting {
                    entry: plan.entry,
                    patronymic: plan.patronymic,
                    upper_case: plan.upper_case,
                    informal: plan.informal,
                },
            ));
        }
        if plan.birth_date {
            subject.birth_date = Some(self.errors.birth_date(core.birth_date));
        }
        if plan.sex {
            subject.sex = Some(core.sex);
        }
        if plan.citizenship {
            subject.citizenship = Some(core.origin.alpha3());
        }
        if plan.passport
            && let Some(number) = self.passport_number_known_to(agency, date)
        {
            let document = self.document_reference(number, plan.entry);
            subject.documents.push(document);
        }
        if plan.taxpayer_number || agency == Agency::TaxService {
            subject.taxpayer_number = self.known_taxpayer_number(date);
        }
        if plan.social_insurance_number {
            subject.social_insurance_number = self.known_social_insurance_number(date);
        }
        if plan.phone {
            subject.phone = self.known_russian_phone(date);
        }
        // A subject must identify someone: fall back to the Russian name and birth date.
        if !subject.identifies_someone() {
            subject.names.push(self.person_name(core, NameStyle::Russian, date, NameWriting::keyed()));
            subject.birth_date = Some(self.errors.birth_date(core.birth_date));
        }
        Ok(subject)
    }

    /// The passport number an agency has on file on `date`: the one in use, or (for offices that
    /// were not told of a renewal) the previous one.
    fn passport_number_known_to(&mut self, agency: Agency, date: NaiveDate) -> Option<&'a str> {
        let core: &'a PersonCore = self.core;
        let passport = core.passport_on(date)?;
        let stale_possible = !matches!(agency, Agency::BorderService | Agency::ConsularService | Agency::PartnerStates)
            && passport.previous_number.is_some()
            && date < crate::calendar::add_days(passport.issued_on, 365);
        if stale_possible && chance(&mut self.rng, 0.15) {
            return passport.previous_number.as_deref();
        }
        Some(passport.number.as_str())
    }

    /// A passport of this person as named in a subject, with a keying error at the usual rate.
    pub(crate) fn document_reference<'b>(&mut self, number: &'b str, entry: Entry) -> WireDocument<'b> {
        let number = match entry {
            Entry::Keyed => self.errors.document_number(number),
            Entry::MachineRead => Cow::Borrowed(number),
        };
        WireDocument { number, issuing_country: self.core.origin.alpha3() }
    }

    /// One spelling of a person's name as written into a record, with the clerk's errors.
    pub(crate) fn person_name<'b>(
        &mut self,
        core: &'b PersonCore,
        style: NameStyle,
        date: NaiveDate,
        writing: NameWriting,
    ) -> WireName<'b> {
        let NameWriting { entry, patronymic, upper_case, informal } = writing;
        let mut parts = render_name(core, style, date);
        if !patronymic {
            parts.patronymic = None;
        }
        if upper_case {
            parts = WireName {
                surname: Cow::Owned(parts.surname.to_uppercase()),
                given: parts.given.map(|given| Cow::Owned(given.to_uppercase())),
                patronymic: parts.patronymic.map(|patronymic| Cow::Owned(patronymic.to_uppercase())),
            };
        }
        let parts = self.errors.name_structure(parts, core.origin.family_name_first(), informal);
        let surname = self.errors.name_part(parts.surname, entry);
        let keyed = |errors: &mut crate::typos::ErrorInjector, part: Option<Cow<'b, str>>| {
            part.map(|text| if text.ends_with('.') { text } else { errors.name_part(text, entry) })
        };
        let given = keyed(&mut self.errors, parts.given);
        let patronymic = keyed(&mut self.errors, parts.patronymic);
        WireName { surname, given, patronymic }
    }

    /// How a relative is named in a family record: the Russian spelling and birth date, and
    /// usually the relative's passport.
    pub(crate) fn relative_subject(
        &mut self,
        relative: &PersonCore,
        date: NaiveDate,
        latin: bool,
    ) -> Result<Subject, SynthError> {
        let style = if latin { NameStyle::Passport } else { self.russian_style() };
        let entry = if latin { Entry::MachineRead } else { Entry::Keyed };
        let mut subject = WireSubject::default();
        subject.names.push(self.person_name(relative, style, date, NameWriting::by(entry)));
        subject.birth_date = Some(self.errors.birth_date(relative.birth_date));
        subject.sex = Some(relative.sex);
        if chance(&mut self.rng, 0.7)
            && let Some(passport) = relative.passport_on(date)
        {
            subject.documents.push(WireDocument {
                number: self.errors.document_number(&passport.number),
                issuing_country: relative.origin.alpha3(),
            });
        }
        subject.to_model()
    }
}

pub(crate) fn to_date(date: NaiveDate) -> Result<Date, SynthError> {
    Date::from_naive(date).map_err(|error| SynthError::invalid("date", error))
}

pub(crate) fn country(code: &str) -> Result<CountryCode, SynthError> {
    CountryCode::parse(code).map_err(|error| SynthError::invalid("country code", error))
}

pub(crate) fn document_number(number: &str) -> Result<DocumentNumber, SynthError> {
    DocumentNumber::parse(number).map_err(|error| SynthError::invalid("document number", error))
}
