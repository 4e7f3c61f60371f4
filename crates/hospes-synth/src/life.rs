//! What happens to a person in the simulated years, and the records each event leaves: entries
//! and exits, address registrations, patents and their monthly payments, work, taxes, exams,
//! insurance, offences and the rest, each written by the agency that would hold it.
//!
//! All dates are consistent (registration after entry, payments before the months they cover,
//! exams before the patent) and none is after `as_of`.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use hospes_model::payload::{
    Address, BiometricsPayload, BirthPlace, BorderCrossingPayload, ContactPayload, ControlledRegisterPayload,
    ConvictionPayload, DocumentPayload, EducationLevel, EducationPayload, EmploymentPayload, EntryBanPayload,
    ExamResult, ExamSubject, FamilyPayload, Host, HostKind, IdentityPayload, LanguageExamPayload, MedicalExamKind,
    MedicalExamPayload, MedicalInsurancePayload, Money, OffencePayload, Organisation, PatentPaymentPayload,
    PermitDecision, PreArrivalOutcome, PreArrivalPayload, PropertyPayload, ResidencePermitPayload,
    SocialInsurancePayload, TaxKind, TaxPayload, TemplateFormat, TransportMode, VisaEntries, VisaPayload, VisaType,
    VisitPurpose, WantedPayload, WorkPermitPayload,
};
use hospes_model::{
    Category, CurrencyCode, DocumentKind, EmailAddress, OrganisationTaxpayerNumber, PhoneNumber, RegionCode,
    SocialInsuranceNumber, TaxpayerNumber, Timestamp,
};
use rand::Rng;

use crate::agencies::{Agency, NameStyle, country, document_number, to_date};
use crate::calendar::{
    add_days, add_months, add_working_days, add_years, age_on, date_between, days_between, instant_on,
};
use crate::countries::Checkpoint;
use crate::documents::Passport;
use crate::error::SynthError;
use crate::identifiers::{random_digits, social_insurance_number_with_separators, vehicle_identification_number};
use crate::person::{HouseholdRole, PersonCore, Purpose, RelativeAtHome};
use crate::places::{
    Employer, HOTELS, INSURERS, LANGUAGE_COURSES, OCCUPATIONS, PROGRAMMES, Region, StreetAddress, TESTING_CENTRES,
    UNIVERSITIES, VEHICLES, draw_address, draw_employer, draw_region, home_institution,
};
use crate::population::{PersonFacts, Population, SyntheticRecord};
use crate::random::{Stream, chance, pick, pick_weighted, stream};
use crate::records::{Header, RecordContext, Superseded, text};
use crate::typos::{Entry, ErrorTally};
use crate::wire::WireSubject;

/// Share of patents whose monthly payments stop while the holder stays on.
pub const LAPSED_PATENT_RATE: f64 = 0.18;
/// Share of patent payments made after the month they should have covered began (which voids the patent).
pub const LATE_PATENT_PAYMENT_RATE: f64 = 0.005;
/// Share of stays whose address registration comes after the deadline, and with none at all.
pub const LATE_REGISTRATION_RATE: f64 = 0.06;
pub const MISSING_REGISTRATION_RATE: f64 = 0.04;
/// Share of visa-free short-term visitors who stay beyond 90 days in 180.
pub const OVERSTAY_RATE: f64 = 0.04;
/// Share of visa applications refused.
pub const VISA_REFUSAL_RATE: f64 = 0.03;
/// Share of entries refused at the border (after the first).
pub const REFUSAL_OF_ENTRY_RATE: f64 = 0.003;
/// Share of people convicted of a crime in the simulated years.
pub const CONVICTION_RATE: f64 = 0.003;
/// Share of people expelled by a court (for breaking the rules of stay).
pub const EXPULSION_RATE: f64 = 0.0015;
/// Share of people wanted (nationally, by a partner state or internationally).
pub const WANTED_RATE: f64 = 0.001;
/// Share of exits the border does not record (so a stay looks longer than it was).
pub const UNRECORDED_EXIT_RATE: f64 = 0.01;

/// What a life produced.
pub(crate) struct LifeOutcome {
    pub(crate) records: Vec<SyntheticRecord>,
    pub(crate) facts: PersonFacts,
    pub(crate) errors: ErrorTally,
}

/// One stay in the country.
#[derive(Debug, Clone)]
struct Stay {
    entry: NaiveDateTime,
    /// `None`: still in the country on `as_of`.
    exit: Option<NaiveDateTime>,
    entry_checkpoint: Checkpoint,
    exit_checkpoint: Checkpoint,
    region: &'static Region,
    overstay: bool,
    expelled: bool,
}

impl Stay {
    fn entry_day(&self) -> NaiveDate {
        self.entry.date()
    }

    /// The last day of the stay as far as the simulation knows (the exit, or `as_of`).
    fn last_day(&self, as_of: NaiveDate) -> NaiveDate {
        self.exit.map(|exit| exit.date()).unwrap_or(as_of).min(as_of)
    }
}

/// What agencies have already recorded about the person.
#[derive(Debug, Default)]
struct Recorded {
    border_identity: bool,
    migration_identity: bool,
    consular_identity: bool,
    police_identity: bool,
    fingerprints: bool,
    language_certificate_until: Option<NaiveDate>,
    passports_at_border: Vec<String>,
    passports_at_migration: Vec<String>,
    passports_at_consulate: Vec<String>,
    business_visa_until: Option<NaiveDate>,
    family_declared_to_migration: bool,
    family_declared_to_consulate: bool,
    phone_registered: bool,
    enrolled: bool,
    residence_permit_from: Option<NaiveDate>,
    email_given: bool,
}

pub(crate) fn live(population: &Population, core: &PersonCore) -> Result<LifeOutcome, SynthError> {
    let mut context = RecordContext::new(population, core);
    context.facts.needs_visa = core.origin.needs_visa();
    context.facts.works_under_patent = core.purpose == Purpose::LabourMigrant && core.origin.works_under_patent();
    context.facts.passports = core.passports.len() as u32;
    context.facts.passport_renewed = core
        .passports
        .iter()
        .any(|passport| passport.previous_number.is_some() && passport.issued_on >= population.history_start());
    context.facts.passport_lost = core.passports.iter().any(|passport| passport.lost_on.is_some());
    let stays = context.plan_stays();
    context.facts.stays = stays.len() as u32;
    let mut recorded = Recorded::default();
    context.partner_state_records(&stays)?;
    for (ordinal, stay) in stays.iter().enumerate() {
        context.stay_records(stay, ordinal, &mut recorded)?;
    }
    context.one_off_records(&stays, &mut recorded)?;
    Ok(LifeOutcome { records: context.records, facts: context.facts, errors: context.errors.tally })
}

fn money(amount_roubles: u64) -> Result<Money, SynthError> {
    Ok(Money {
        amount_minor: amount_roubles * 100,
        currency: CurrencyCode::parse("RUB").map_err(|error| SynthError::invalid("currency", error))?,
    })
}

fn region_code(region: &Region) -> Result<RegionCode, SynthError> {
    RegionCode::parse(region.code).map_err(|error| SynthError::invalid("region", error))
}

fn timestamp(at: NaiveDateTime) -> Timestamp {
    Timestamp::from_utc(at.and_utc())
}

/// Standard base64 (RFC 4648) with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut output = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let value = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for position in 0..4 {
            if position <= chunk.len() {
                output.push(char::from(ALPHABET[((value >> (18 - 6 * position)) & 63) as usize]));
            } else {
                output.push('=');
            }
        }
    }
    output
}

/// Monthly patent price in `region` in `year` (indexed by about 7% a year around 2024).
fn patent_price(region: &Region, year: i32) -> u64 {
    let factor = 1.07_f64.powi(year - 2024);
    ((f64::from(region.patent_price_2024) * factor / 100.0).round() * 100.0) as u64
}

impl<'a> RecordContext<'a> {
    // ---- planning -------------------------------------------------------------------------------

    fn plan_stays(&mut self) -> Vec<Stay> {
        let core = self.core;
        let as_of = self.as_of();
        let history_start = self.population.history_start();
        let first_passport = core.passports.first().map(|passport| passport.issued_on).unwrap_or(core.birth_date);
        let earliest = add_days(history_start, 20).max(add_days(first_passport, 10)).max(add_days(core.birth_date, 60));
        let latest = add_days(as_of, -3);
        if earliest >= latest {
            return Vec::new();
        }
        let rng = &mut self.rng;
        let mut periods: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
        let repeat = |rng: &mut rand_chacha::ChaCha8Rng,
                      periods: &mut Vec<(NaiveDate, Option<NaiveDate>)>,
                      lengths: (i64, i64),
                      gaps: (i64, i64),
                      stop: f64| {
            // Arrivals lean towards recent years: a registry holds more of those still around.
            let span = days_between(earliest, add_days(latest, -10)).max(0) as f64;
            let mut entry = add_days(earliest, (span * rng.random::<f64>().sqrt()) as i64);
            loop {
                let exit = add_days(entry, rng.random_range(lengths.0..=lengths.1));
                if exit >= as_of {
                    periods.push((entry, None));
                    break;
                }
                periods.push((entry, Some(exit)));
                if chance(rng, stop) {
                    break;
                }
                entry = add_days(exit, rng.random_range(gaps.0..=gaps.1));
                if entry >= latest {
                    break;
                }
            }
        };
        let trips = |rng: &mut rand_chacha::ChaCha8Rng,
                     periods: &mut Vec<(NaiveDate, Option<NaiveDate>)>,
                     count: u32,
                     lengths: (i64, i64)| {
            let mut starts: Vec<NaiveDate> = (0..count).map(|_| date_between(rng, earliest, latest)).collect();
            starts.sort();
            let mut free_from = earliest;
            for start in starts {
                if start < free_from {
                    continue;
                }
                let exit = add_days(start, rng.random_range(lengths.0..=lengths.1));
                if exit >= as_of {
                    periods.push((start, None));
                    break;
                }
                periods.push((start, Some(exit)));
                free_from = add_days(exit, 30);
            }
        };
        let origin = core.origin;
        match core.purpose {
            Purpose::LabourMigrant if origin.needs_visa() => repeat(rng, &mut periods, (200, 365), (30, 120), 0.35),
            Purpose::LabourMigrant if origin.is_eurasian_union_member() => {
                repeat(rng, &mut periods, (90, 540), (20, 120), 0.25)
            }
            Purpose::LabourMigrant => repeat(rng, &mut periods, (120, 330), (25, 120), 0.3),
            Purpose::Student => {
                let years = rng.random_range(1..=5);
                let first_year = rng.random_range(earliest.year() - 1..=as_of.year());
                let mut merge_with_previous = false;
                for year in first_year..first_year + years {
                    let Some(entry) =
                        NaiveDate::from_ymd_opt(year, 8, 18).map(|day| add_days(day, rng.random_range(0..18)))
                    else {
                        continue;
                    };
                    let exit =
                        NaiveDate::from_ymd_opt(year + 1, 6, 20).map(|day| add_days(day, rng.random_range(0..25)));
                    if entry < earliest || entry > latest {
                        merge_with_previous = false;
                        continue;
                    }
                    let exit = exit.filter(|exit| *exit < as_of);
                    match periods.last_mut() {
                        Some(last) if merge_with_previous => last.1 = exit,
                        _ => periods.push((entry, exit)),
                    }
                    if exit.is_none() {
                        break;
                    }
                    merge_with_previous = chance(rng, 0.35);
                }
            }
            Purpose::FamilyMember if chance(rng, 0.75) => repeat(rng, &mut periods, (200, 800), (30, 120), 0.2),
            Purpose::FamilyMember => {
                let count = rng.random_range(1..=4);
                trips(rng, &mut periods, count, (20, 80));
            }
            Purpose::BusinessVisitor => {
                let count = rng.random_range(1..=5);
                trips(rng, &mut periods, count, (3, 21));
            }
            Purpose::Tourist => {
                let count = rng.random_range(1..=3);
                trips(rng, &mut periods, count, (5, 16));
            }
        }

        // Some visa-free short-term visitors stay on beyond 90 days in 180.
        let short_term = matches!(core.purpose, Purpose::BusinessVisitor | Purpose::Tourist)
            || (core.purpose == Purpose::FamilyMember
                && periods.iter().all(|(entry, exit)| exit.is_some_and(|exit| days_between(*entry, exit) < 90)));
        let mut overstay_at = None;
        if short_term && !origin.needs_visa() && !periods.is_empty() && chance(rng, OVERSTAY_RATE) {
            let chosen = rng.random_range(0..periods.len());
            let (entry, _) = periods[chosen];
            let exit = add_days(entry, rng.random_range(100..240));
            periods.truncate(chosen + 1);
            periods[chosen].1 = (exit < as_of).then_some(exit);
            overstay_at = Some(chosen);
        }

        let home_region = draw_region(rng);
        let mut stays = Vec::with_capacity(periods.len());
        for (position, (entry, exit)) in periods.into_iter().enumerate() {
            // Nobody crosses on an expired or lost passport: wait for the new one.
            let mut entry = entry;
            if let Some(passport) = core.passport_on(entry)
                && (passport.expires_on < entry || passport.lost_on.is_some_and(|lost| lost <= entry))
            {
                match core.passports.iter().find(|next| next.issued_on > entry) {
                    Some(next) => entry = add_days(next.issued_on, rng.random_range(2..10)),
                    None => continue,
                }
            }
            if entry >= latest || exit.is_some_and(|exit| exit <= entry) {
                continue;
            }
            let region = if chance(rng, 0.8) { home_region } else { draw_region(rng) };
            stays.push(Stay {
                entry: instant_on(rng, entry, 0, 24),
                exit: exit.map(|exit| instant_on(rng, exit, 0, 24)),
                entry_checkpoint: *pick_weighted(rng, origin.checkpoints()),
                exit_checkpoint: *pick_weighted(rng, origin.checkpoints()),
                region,
                overstay: overstay_at == Some(position),
                expelled: false,
            });
        }
        // Drop stays that overlap an earlier one after the passport shift.
        let mut kept: Vec<Stay> = Vec::with_capacity(stays.len());
        for stay in stays {
            let overlaps = kept.last().is_some_and(|last| match last.exit {
                None => true,
                Some(exit) => exit.date() >= stay.entry_day(),
            });
            if !overlaps {
                kept.push(stay);
            }
        }
        if let Some(last) = kept.last_mut()
            && last.exit.is_some()
            && chance(&mut self.rng, EXPULSION_RATE * 10.0)
            && core.purpose == Purpose::LabourMigrant
            && !core.origin.needs_visa()
        {
            last.expelled = chance(&mut self.rng, 0.1);
        }
        self.facts.overstayed = kept.iter().any(|stay| stay.overstay);
        kept
    }

    // ---- one stay -------------------------------------------------------------------------------

    fn stay_records(&mut self, stay: &Stay, ordinal: usize, recorded: &mut Recorded) -> Result<(), SynthError> {
        let core = self.core;
        let as_of = self.as_of();
        let entry_day = stay.entry_day();
        let declared = match core.purpose {
            Purpose::LabourMigrant => VisitPurpose::Work,
            Purpose::Student => VisitPurpose::Study,
            Purpose::FamilyMember => VisitPurpose::Private,
            Purpose::BusinessVisitor => VisitPurpose::Business,
            Purpose::Tourist => VisitPurpose::Tourism,
        };
        if core.origin.needs_visa() && !self.visa_for_stay(stay, declared, recorded)? {
            return Ok(());
        }
        if ordinal > 0 && chance(&mut self.rng, REFUSAL_OF_ENTRY_RATE) {
            self.crossing(
                stay.entry,
                "entry",
                stay.entry_checkpoint,
                Some(declared),
                Some("incomplete documents for the declared purpose"),
                recorded,
            )?;
            return Ok(());
        }
        self.crossing(stay.entry, "entry", stay.entry_checkpoint, Some(declared), None, recorded)?;

        let registration = self.register_address(stay, recorded)?;
        let phone_minimum_days = if core.purpose == Purpose::Tourist { 3 } else { 6 };
        let adult = age_on(core.birth_date, entry_day) >= 16;
        if !adult {
            // Children hold no phone contracts and commit no offences.
        } else if !recorded.phone_registered && days_between(entry_day, stay.last_day(as_of)) >= phone_minimum_days {
            let wants_phone = if core.purpose == Purpose::Tourist { 0.3 } else { 0.85 };
            if chance(&mut self.rng, wants_phone) {
                let registered_on = add_days(entry_day, self.rng.random_range(0..5));
                self.register_phone(registered_on)?;
                recorded.phone_registered = true;
            }
        } else if recorded.phone_registered && ordinal > 0 && chance(&mut self.rng, 0.1) {
            let registered_on = add_days(entry_day, self.rng.random_range(0..10));
            self.register_phone(registered_on)?;
        }

        match core.purpose {
            Purpose::LabourMigrant if core.origin.works_under_patent() => {
                self.work_under_patents(stay, registration.as_ref(), recorded)?
            }
            Purpose::LabourMigrant if core.origin.is_eurasian_union_member() => self.work_in_union(stay, recorded)?,
            Purpose::LabourMigrant => self.work_under_permit(stay, recorded)?,
            Purpose::Student => self.study(stay, recorded)?,
            Purpose::FamilyMember => self.family_stay(stay, recorded)?,
            Purpose::BusinessVisitor | Purpose::Tourist => {}
        }
        self.offences_during(stay, recorded)?;
        if stay.overstay {
            self.overstay_consequences(stay)?;
        }
        if let Some(exit) = stay.exit {
            if stay.expelled {
                self.expulsion(stay)?;
            }
            if let Some(registration) = &registration
                && chance(&mut self.rng, 0.1)
            {
                let day = add_days(exit.date(), self.rng.random_range(0..3));
                let subject = self.subject(Agency::MigrationService, day)?;
                self.emit(
                    Header::new(Agency::MigrationService, Category::MigrationRegistration, "deregistration", day),
                    &subject,
                    &registration.payload,
                )?;
            }
            if !chance(&mut self.rng, UNRECORDED_EXIT_RATE) {
                self.crossing(exit, "exit", stay.exit_checkpoint, None, None, recorded)?;
            }
        }
        Ok(())
    }

    // ---- border ---------------------------------------------------------------------------------

    fn crossing(
        &mut self,
        at: NaiveDateTime,
        kind: &'static str,
        checkpoint: Checkpoint,
        declared: Option<VisitPurpose>,
        refusal_reason: Option<&str>,
        recorded: &mut Recorded,
    ) -> Result<(), SynthError> {
        let day = at.date();
        if day > self.as_of() {
            return Ok(());
        }
        let core = self.core;
        if !recorded.border_identity {
            recorded.border_identity = true;
            self.identity_record(Agency::BorderService, day)?;
        }
        let passport: Option<&'a Passport> = core.passport_on(day);
        if let Some(passport) = passport
            && !recorded.passports_at_border.contains(&passport.number)
        {
            recorded.passports_at_border.push(passport.number.clone());
            self.passport_record(Agency::BorderService, passport, day)?;
        }
        let face_reference = if kind == "entry" && refusal_reason.is_none() && chance(&mut self.rng, 0.15) {
            let reference = format!("FC-{}", random_digits(&mut self.rng, 12));
            self.biometric_capture(
                Agency::BorderService,
                at,
                checkpoint.0,
                TemplateFormat::FaceEmbedding,
                Some(&reference),
            )?;
            Some(text(&reference)?)
        } else {
            None
        };
        let subject = self.subject(Agency::BorderService, day)?;
        let payload = BorderCrossingPayload {
            crossed_at: timestamp(at),
            checkpoint: text(checkpoint.0)?,
            document_number: passport.map(|passport| document_number(&passport.number)).transpose()?,
            declared_purpose: declared,
            transport: Some(checkpoint.1),
            refusal_reason: refusal_reason.map(text).transpose()?,
            face_capture_reference: face_reference,
        };
        let kind = if refusal_reason.is_some() { "refusal_of_entry" } else { kind };
        self.emit(Header::new(Agency::BorderService, Category::BorderCrossings, kind, day), &subject, &payload)?;
        Ok(())
    }

    /// An identity record from `agency`: the names it writes, birth, sex, citizenship.
    fn identity_record(&mut self, agency: Agency, day: NaiveDate) -> Result<(), SynthError> {
        let core = self.core;
        let (styles, entry): (Vec<NameStyle>, Entry) = match agency {
            Agency::BorderService => (vec![NameStyle::Passport], Entry::MachineRead),
            Agency::ConsularService => {
                let mut styles = vec![NameStyle::Passport];
                if core.names_on(day).native_is_distinct {
                    styles.push(NameStyle::Native);
                }
                (styles, Entry::MachineRead)
            }
            Agency::PartnerStates => {
                let mut styles = vec![NameStyle::Partner];
                if core.names_on(day).native_is_distinct {
                    styles.insert(0, NameStyle::Native);
                }
                (styles, Entry::Keyed)
            }
            Agency::Police => (vec![NameStyle::Russian], Entry::Keyed),
            _ => (vec![NameStyle::Russian, NameStyle::Passport], Entry::Keyed),
        };
        // A few migration identity records are sent with a misspelt name and corrected by a
        // second version.
        let corrected_later = agency == Agency::MigrationService && chance(&mut self.rng, 0.02);
        let mut names = Vec::new();
        for style in &styles {
            let name = self.person_name(core, *style, day, crate::agencies::NameWriting::by(entry));
            names.push(name.to_model()?);
        }
        let birth_place = match agency {
            Agency::BorderService => None,
            Agency::MigrationService | Agency::Police => Some(core.birth_town.1),
            _ => Some(core.birth_town.0),
        };
        let mut payload = IdentityPayload {
            names,
            birth_date: to_date(core.birth_date)?,
            birth_place: Some(BirthPlace {
                country: country(core.origin.alpha3())?,
                place: birth_place.map(text).transpose()?,
            }),
            sex: core.sex,
            citizenships: vec![country(core.origin.alpha3())?],
            stateless: false,
        };
        let subject = self.subject(agency, day)?;
        let header = Header::new(agency, Category::Identity, "registration", day);
        if corrected_later && let Some(first) = payload.names.first().cloned() {
            let misspelt = self.errors.forced_typo(first.surname.as_str());
            let mut wrong = payload.clone();
            if let Ok(surname) = hospes_model::NamePart::parse(&misspelt) {
                wrong.names[0].surname = surname;
            }
            let record_id = self.next_record_id(agency);
            self.write(header, &record_id, 1, &subject, &wrong, &[])?;
            self.write(header, &record_id, 2, &subject, &payload, &[])?;
            return Ok(());
        }
        payload.names.dedup();
        self.emit(header, &subject, &payload)?;
        Ok(())
    }

    /// A passport as `agency` records it (with the MRZ where the agency reads one).
    fn passport_record(&mut self, agency: Agency, passport: &Passport, seen_on: NaiveDate) -> Result<(), SynthError> {
        let core = self.core;
        let reads_zone = matches!(agency, Agency::BorderService | Agency::ConsularService | Agency::PartnerStates);
        let mut subject = self.subject(agency, seen_on)?;
        // A renewal names both passports, which links them.
        if let Some(previous) = &passport.previous_number
            && agency != Agency::BorderService
        {
            let entry = if reads_zone { Entry::MachineRead } else { Entry::Keyed };
            for number in [&passport.number, previous] {
                if !subject.documents.iter().any(|document| document.number == number.as_str()) {
                    let document = self.document_reference(number, entry);
                    subject.documents.push(document);
                }
            }
        }
        let payload = DocumentPayload {
            number: document_number(&passport.number)?,
            issuing_country: country(core.origin.alpha3())?,
            document_kind: None,
            issued_on: Some(to_date(passport.issued_on)?),
            expires_on: Some(to_date(passport.expires_on)?),
            issuing_authority: (agency != Agency::BorderService)
                .then(|| text(core.origin.passport_authority(passport.issued_abroad)))
                .transpose()?,
            mrz: reads_zone.then(|| passport.mrz.clone()),
            previous_number: passport.previous_number.as_deref().map(document_number).transpose()?,
            reported_on: None,
        };
        let header =
            Header::new(agency, Category::Documents, "passport", passport.issued_on).until(passport.expires_on);
        self.emit(header, &subject, &payload)?;
        Ok(())
    }

    fn lost_passport_record(
        &mut self,
        agency: Agency,
        passport: &Passport,
        reported_on: NaiveDate,
    ) -> Result<(), SynthError> {
        let subject = self.subject(agency, reported_on)?;
        let payload = DocumentPayload {
            number: document_number(&passport.number)?,
            issuing_country: country(self.core.origin.alpha3())?,
            document_kind: Some(DocumentKind::Passport),
            issued_on: Some(to_date(passport.issued_on)?),
            expires_on: Some(to_date(passport.expires_on)?),
            issuing_authority: None,
            mrz: None,
            previous_number: None,
            reported_on: Some(to_date(reported_on)?),
        };
        self.emit(Header::new(agency, Category::Documents, "lost_or_stolen", reported_on), &subject, &payload)?;
        Ok(())
    }

    /// A biometric capture: a template near the person's own (so captures of one person match).
    fn biometric_capture(
        &mut self,
        agency: Agency,
        at: NaiveDateTime,
        place: &str,
        format: TemplateFormat,
        reference: Option<&str>,
    ) -> Result<(), SynthError> {
        let day = at.date();
        let length = if format == TemplateFormat::FaceEmbedding { 32 } else { 48 };
        let mut own = stream(self.population.config.seed, self.core.index as u64, Stream::Biometrics);
        let offset = if format == TemplateFormat::FaceEmbedding { 0 } else { 64 };
        let mut template: Vec<u8> = (0..offset + length).map(|_| own.random::<u8>()).skip(offset).collect();
        for byte in template.iter_mut() {
            *byte = byte.wrapping_add(self.rng.random_range(0..7u8)).wrapping_sub(3);
        }
        let kind = if format == TemplateFormat::FaceEmbedding { "face" } else { "fingerprints" };
        let payload = BiometricsPayload {
            captured_at: timestamp(at),
            capture_place: text(place)?,
            quality: self.rng.random_range(45..99),
            template_format: format,
            template: base64(&template),
            image_reference: reference.map(text).transpose()?,
        };
        let subject = self.subject(agency, day)?;
        self.emit(Header::new(agency, Category::Biometrics, kind, day), &subject, &payload)?;
        Ok(())
    }

    // ---- visas ----------------------------------------------------------------------------------

    /// The pre-arrival application and visa a visa national needs for `stay`; `false` when
    /// refused (the trip does not happen).
    fn visa_for_stay(
        &mut self,
        stay: &Stay,
        declared: VisitPurpose,
        recorded: &mut Recorded,
    ) -> Result<bool, SynthError> {
        let core = self.core;
        let as_of = self.as_of();
        let entry_day = stay.entry_day();
        let exit_day = stay.exit.map(|exit| exit.date()).unwrap_or_else(|| add_days(entry_day, 180));
        if core.purpose == Purpose::BusinessVisitor
            && recorded.business_visa_until.is_some_and(|until| until >= exit_day)
        {
            return Ok(true);
        }
        let applied_on = add_days(entry_day, -self.rng.random_range(15..45));
        let post = pick(&mut self.rng, core.origin.visa_posts());
        if !recorded.consular_identity {
            recorded.consular_identity = true;
            self.identity_record(Agency::ConsularService, applied_on)?;
            if chance(&mut self.rng, 0.7) {
                let at = instant_on(&mut self.rng, applied_on, 9, 17);
                self.biometric_capture(Agency::ConsularService, at, post, TemplateFormat::Iso19794_2, None)?;
            }
        }
        if let Some(passport) = core.passport_on(applied_on)
            && !recorded.passports_at_consulate.contains(&passport.number)
        {
            recorded.passports_at_consulate.push(passport.number.clone());
            self.passport_record(Agency::ConsularService, passport, applied_on)?;
        }
        if !recorded.family_declared_to_consulate {
            recorded.family_declared_to_consulate = true;
            if chance(&mut self.rng, 0.4) {
                self.family_records(Agency::ConsularService, applied_on)?;
            }
        }
        // The pre-arrival application and its decision.
        let application_number = format!("PA-{}-{}", applied_on.year(), random_digits(&mut self.rng, 8));
        let host = match core.purpose {
            Purpose::LabourMigrant => {
                let employer = draw_employer(
                    &mut self.rng,
                    stay.region,
                    self.population.config.seed,
                    &self.population.identifiers,
                );
                Some(Host { kind: HostKind::Organisation, name: text(&employer.name)?, address: None })
            }
            Purpose::Student => Some(Host {
                kind: HostKind::Organisation,
                name: text(pick(&mut self.rng, UNIVERSITIES))?,
                address: None,
            }),
            Purpose::BusinessVisitor | Purpose::Tourist => {
                Some(Host { kind: HostKind::Organisation, name: text(pick(&mut self.rng, HOTELS))?, address: None })
            }
            Purpose::FamilyMember => None,
        };
        let mut application = PreArrivalPayload {
            application_number: text(&application_number)?,
            purpose: declared,
            planned_entry: to_date(entry_day)?,
            planned_exit: Some(to_date(exit_day)?),
            host,
            outcome: None,
            reasons: Vec::new(),
        };
        let subject = self.subject(Agency::ConsularService, applied_on)?;
        self.emit(
            Header::new(Agency::ConsularService, Category::PreArrival, "application", applied_on),
            &subject,
            &application,
        )?;
        let refused = chance(&mut self.rng, VISA_REFUSAL_RATE);
        let decided_on = add_days(applied_on, self.rng.random_range(2..8));
        application.outcome = Some(if refused { PreArrivalOutcome::Refused } else { PreArrivalOutcome::Clear });
        if refused {
            application.reasons = vec![text("purpose of travel not substantiated")?];
        }
        if decided_on <= as_of {
            self.emit(
                Header::new(Agency::ConsularService, Category::PreArrival, "decision", decided_on),
                &subject,
                &application,
            )?;
        }
        // The visa application and the visa.
        let (visa_type, entries, valid_days, stay_days) = match core.purpose {
            Purpose::LabourMigrant => (VisaType::Work, VisaEntries::Single, 90, 90),
            Purpose::Student => (VisaType::Study, VisaEntries::Single, 90, 90),
            Purpose::BusinessVisitor => (VisaType::Business, VisaEntries::Multiple, 365, 90),
            Purpose::FamilyMember => (VisaType::Private, VisaEntries::Double, 90, 90),
            Purpose::Tourist => (VisaType::Tourist, VisaEntries::Single, 30, 30),
        };
        let mut visa = VisaPayload {
            visa_type,
            visa_number: None,
            entries: Some(entries),
            issuing_post: Some(text(post)?),
            duration_of_stay_days: Some(stay_days),
            reason: None,
        };
        self.emit(Header::new(Agency::ConsularService, Category::Visas, "application", applied_on), &subject, &visa)?;
        if refused {
            visa.reason = Some(text("purpose of travel not substantiated")?);
            self.emit(Header::new(Agency::ConsularService, Category::Visas, "refused", decided_on), &subject, &visa)?;
            return Ok(false);
        }
        let issued_on = add_days(decided_on, self.rng.random_range(1..5)).min(add_days(entry_day, -1));
        let valid_from = issued_on;
        let valid_to = add_days(valid_from, valid_days);
        let visa_number = self.next_visa_number();
        visa.visa_number = Some(document_number(&visa_number)?);
        self.emit(
            Header::new(Agency::ConsularService, Category::Visas, "issued", valid_from).until(valid_to),
            &subject,
            &visa,
        )?;
        if core.purpose == Purpose::BusinessVisitor {
            recorded.business_visa_until = Some(valid_to);
        }
        // Long stays: the migration service extends the visa for up to a year.
        if days_between(entry_day, exit_day) > 85
            && matches!(core.purpose, Purpose::LabourMigrant | Purpose::Student | Purpose::FamilyMember)
        {
            let extended_on = add_days(entry_day, self.rng.random_range(30..80));
            if extended_on <= as_of && extended_on <= exit_day {
                let until = exit_day.min(add_days(entry_day, 365));
                let visa_number = self.next_visa_number();
                let extension = VisaPayload {
                    visa_type,
                    visa_number: Some(document_number(&visa_number)?),
                    entries: Some(VisaEntries::Multiple),
                    issuing_post: Some(text(stay.region.migration_office)?),
                    duration_of_stay_days: None,
                    reason: None,
                };
                let subject = self.subject(Agency::MigrationService, extended_on)?;
                self.emit(
                    Header::new(Agency::MigrationService, Category::Visas, "issued", extended_on).until(until),
                    &subject,
                    &extension,
                )?;
            }
        }
        Ok(true)
    }

    // ---- address registration ------------------------------------------------------------------

    fn register_address(
        &mut self,
        stay: &Stay,
        recorded: &mut Recorded,
    ) -> Result<Option<RegistrationRecord<'a>>, SynthError> {
        let core = self.core;
        let as_of = self.as_of();
        let entry_day = stay.entry_day();
        let last_day = stay.last_day(as_of);
        let hotel = matches!(core.purpose, Purpose::BusinessVisitor | Purpose::Tourist);
        let draw = self.rng.random::<f64>();
        let deadline = if core.origin.is_eurasian_union_member() { 21 } else { 7 };
        let notified_on = if hotel {
            add_days(entry_day, self.rng.random_range(0..2))
        } else if draw < MISSING_REGISTRATION_RATE {
            self.facts.registration_missing_or_late = true;
            return Ok(None);
        } else if draw < MISSING_REGISTRATION_RATE + LATE_REGISTRATION_RATE {
            self.facts.registration_missing_or_late = true;
            add_working_days(entry_day, deadline + self.rng.random_range(1..15))
        } else {
            add_working_days(entry_day, self.rng.random_range(1..=deadline))
        };
        if notified_on > last_day {
            return Ok(None);
        }
        let address = draw_address(&mut self.rng, stay.region);
        let host = match core.purpose {
            Purpose::BusinessVisitor | Purpose::Tourist => {
                Host { kind: HostKind::Organisation, name: text(pick(&mut self.rng, HOTELS))?, address: None }
            }
            Purpose::Student => {
                Host { kind: HostKind::Organisation, name: text(pick(&mut self.rng, UNIVERSITIES))?, address: None }
            }
            Purpose::LabourMigrant if chance(&mut self.rng, 0.4) => {
                let employer = draw_employer(
                    &mut self.rng,
                    stay.region,
                    self.population.config.seed,
                    &self.population.identifiers,
                );
                Host { kind: HostKind::Organisation, name: text(&employer.name)?, address: None }
            }
            _ => Host { kind: HostKind::Person, name: text(&self.host_person_name())?, address: None },
        };
        let payload = hospes_model::payload::MigrationRegistrationPayload {
            host,
            address: self.address(&address)?,
            notified_on: Some(to_date(notified_on)?),
        };
        if !recorded.migration_identity {
            recorded.migration_identity = true;
            self.identity_record(Agency::MigrationService, notified_on)?;
            if !recorded.email_given && chance(&mut self.rng, 0.15) {
                recorded.email_given = true;
                self.email_contact(notified_on)?;
            }
        }
        if let Some(passport) = core.passport_on(notified_on)
            && !recorded.passports_at_migration.contains(&passport.number)
        {
            recorded.passports_at_migration.push(passport.number.clone());
            self.passport_record(Agency::MigrationService, passport, notified_on)?;
        }
        if let Some(lost) = core
            .passports
            .iter()
            .find(|passport| passport.lost_on.is_some_and(|lost| lost >= entry_day && lost <= last_day))
            && let Some(lost_on) = lost.lost_on
        {
            let reported_on = add_days(lost_on, self.rng.random_range(0..4)).min(as_of);
            self.lost_passport_record(Agency::MigrationService, lost, reported_on)?;
        }
        let permitted_until = match stay.exit {
            Some(exit) if days_between(entry_day, exit.date()) <= 90 => exit.date(),
            _ => add_days(entry_day, 90),
        };
        let header =
            Header::new(Agency::MigrationService, Category::MigrationRegistration, "registration", notified_on)
                .until(permitted_until);
        let subject = self.subject(Agency::MigrationService, notified_on)?;
        let Some(record_id) = self.emit_with_id(header, &subject, &payload)? else {
            return Ok(None);
        };
        // Long stays move house once in a while: a second registration at a new address.
        if days_between(entry_day, last_day) > 200 && chance(&mut self.rng, 0.15) {
            let moved_on = date_between(&mut self.rng, add_days(entry_day, 90), last_day);
            let new_address = draw_address(&mut self.rng, stay.region);
            let moved = hospes_model::payload::MigrationRegistrationPayload {
                host: Host { kind: HostKind::Person, name: text(&self.host_person_name())?, address: None },
                address: self.address(&new_address)?,
                notified_on: Some(to_date(moved_on)?),
            };
            let subject = self.subject(Agency::MigrationService, moved_on)?;
            let until = stay.exit.map(|exit| exit.date()).unwrap_or_else(|| add_days(moved_on, 180));
            self.emit(
                Header::new(Agency::MigrationService, Category::MigrationRegistration, "registration", moved_on)
                    .until(until),
                &subject,
                &moved,
            )?;
        }
        Ok(Some(RegistrationRecord { record_id, header, subject, payload }))
    }

    fn address(&self, address: &StreetAddress) -> Result<Address, SynthError> {
        Ok(Address {
            region: region_code(address.region)?,
            locality: text(address.locality)?,
            street: Some(text(address.street)?),
            house: Some(text(&address.house)?),
            flat: address.flat.as_deref().map(text).transpose()?,
            postcode: Some(text(&address.postcode)?),
        })
    }

    /// A Russian private host's full name (`Петров Иван Сергеевич`).
    fn host_person_name(&mut self) -> String {
        let hosts = &self.population.names.hosts;
        let female = chance(&mut self.rng, 0.55);
        let sex = if female { hospes_model::Sex::Female } else { hospes_model::Sex::Male };
        let surname = hosts.draw_surname(&mut self.rng).map(|entry| entry.native.clone()).unwrap_or_default();
        let surname = if female { crate::names::forms::feminine_surname(&surname) } else { surname };
        let given = hosts.draw_given(&mut self.rng, sex, 1970).map(|entry| entry.native.clone()).unwrap_or_default();
        let father = hosts
            .draw_given(&mut self.rng, hospes_model::Sex::Male, 1940)
            .map(|entry| entry.native.clone())
            .unwrap_or_default();
        format!("{surname} {given} {}", crate::names::forms::russian_style_patronymic(&father, sex))
    }

    // ---- contacts -------------------------------------------------------------------------------

    fn register_phone(&mut self, registered_on: NaiveDate) -> Result<(), SynthError> {
        if registered_on > self.as_of() {
            return Ok(());
        }
        let phone = format!("+79{}", random_digits(&mut self.rng, 9));
        self.russian_phone = Some((phone.clone(), registered_on));
        let subject = self.subject(Agency::TelecomOperators, registered_on)?;
        let payload = ContactPayload {
            phone: Some(PhoneNumber::parse(&phone).map_err(|error| SynthError::invalid("phone", error))?),
            email: None,
            account_id: None,
        };
        self.emit(
            Header::new(Agency::TelecomOperators, Category::Contacts, "phone", registered_on),
            &subject,
            &payload,
        )?;
        Ok(())
    }

    fn email_contact(&mut self, given_on: NaiveDate) -> Result<(), SynthError> {
        let informal = crate::agencies::render_name(self.core, NameStyle::Informal, given_on);
        let local: String = format!("{}.{}", informal.given.unwrap_or_default(), informal.surname)
            .to_lowercase()
            .chars()
            .filter(|character| character.is_ascii_alphanumeric() || *character == '.')
            .collect();
        let domain = pick(&mut self.rng, &["mail.ru", "gmail.com", "yandex.ru", "bk.ru", "inbox.ru"]);
        let address = format!("{}{}@{domain}", local.trim_matches('.'), self.rng.random_range(1..99));
        let Ok(email) = EmailAddress::parse(&address) else {
            return Ok(());
        };
        let subject = self.subject(Agency::MigrationService, given_on)?;
        let payload = ContactPayload { phone: None, email: Some(email), account_id: None };
        self.emit(Header::new(Agency::MigrationService, Category::Contacts, "email", given_on), &subject, &payload)?;
        Ok(())
    }

    // ---- work under a patent --------------------------------------------------------------------

    fn work_under_patents(
        &mut self,
        stay: &Stay,
        registration: Option<&RegistrationRecord<'a>>,
        recorded: &mut Recorded,
    ) -> Result<(), SynthError> {
        let as_of = self.as_of();
        let entry_day = stay.entry_day();
        let last_day = stay.last_day(as_of);
        if days_between(entry_day, last_day) < 35 {
            return Ok(());
        }
        let region = stay.region;
        let mut issued_on = add_days(entry_day, self.rng.random_range(12..29));
        let mut employer: Option<(Employer, NaiveDate)> = None;
        let mut registration_extended = false;
        while issued_on <= last_day {
            // What a patent needs first: exam, certificate, fingerprints, insurance, a taxpayer number.
            let exam_day = add_days(issued_on, -self.rng.random_range(3..10)).max(entry_day);
            self.medical_exam(exam_day, region)?;
            if recorded.language_certificate_until.is_none_or(|until| until < issued_on) {
                let passed_on = add_days(issued_on, -self.rng.random_range(2..12)).max(entry_day);
                self.language_certificate(passed_on)?;
                recorded.language_certificate_until = Some(add_years(passed_on, 5));
            }
            let capture_day = add_days(issued_on, -self.rng.random_range(1..5)).max(entry_day);
            let capture_at = instant_on(&mut self.rng, capture_day, 9, 18);
            if !recorded.fingerprints {
                recorded.fingerprints = true;
                self.biometric_capture(
                    Agency::MigrationService,
                    capture_at,
                    region.migration_office,
                    TemplateFormat::Iso19794_2,
                    None,
                )?;
                self.biometric_capture(
                    Agency::MigrationService,
                    capture_at,
                    region.migration_office,
                    TemplateFormat::FaceEmbedding,
                    None,
                )?;
            } else if chance(&mut self.rng, 0.3) {
                self.biometric_capture(
                    Agency::MigrationService,
                    capture_at,
                    region.migration_office,
                    TemplateFormat::FaceEmbedding,
                    None,
                )?;
            }
            let insured_on = add_days(issued_on, -self.rng.random_range(0..6)).max(entry_day);
            self.medical_insurance(
                Agency::HealthAuthority,
                "voluntary_policy",
                insured_on,
                add_days(add_years(insured_on, 1), -1),
            )?;
            if self.taxpayer_number.is_none() {
                self.register_taxpayer(issued_on, region)?;
            }
            // The patent itself.
            let valid_to = add_days(add_months(issued_on, 12), -1);
            let patent_number = self.next_permit_number(region.number);
            let occupation = pick(&mut self.rng, OCCUPATIONS);
            let payload = WorkPermitPayload {
                number: document_number(&patent_number)?,
                region: region_code(region)?,
                occupation: Some(text(occupation)?),
                employer: None,
            };
            let subject = self.subject(Agency::MigrationService, issued_on)?;
            self.emit(
                Header::new(Agency::MigrationService, Category::WorkPermits, "patent", issued_on).until(valid_to),
                &subject,
                &payload,
            )?;
            self.facts.patents += 1;
            // The address registration is extended to the patent's term: a second version.
            if let Some(registration) = registration
                && !registration_extended
                && registration.header.effective_to.is_some_and(|to| to >= issued_on)
                && chance(&mut self.rng, 0.5)
            {
                registration_extended = true;
                let header = registration
                    .header
                    .until(valid_to.min(add_days(stay.exit.map(|exit| exit.date()).unwrap_or(valid_to), 0)));
                self.write(header, &registration.record_id, 2, &registration.subject, &registration.payload, &[])?;
            }
            // Work: a hiring notification once the patent is in hand.
            if employer.is_none() {
                let start = add_days(issued_on, self.rng.random_range(0..25));
                if start <= last_day
                    && let Some(hired) = self.hire(start, region, occupation)?
                {
                    employer = Some((hired, start));
                }
            }
            let paid_until = self.patent_payments(&patent_number, issued_on, valid_to.min(last_day), region)?;
            // A lapsed patent while staying on: unlawful presence.
            if paid_until < valid_to.min(last_day) && days_between(paid_until, last_day) > 45 {
                self.unlawful_presence(paid_until, stay, "patent lapsed: advance payments stopped")?;
                break;
            }
            // Changing jobs within the year.
            if let Some((current, since)) = &employer
                && chance(&mut self.rng, 0.2)
            {
                let leaves = date_between(&mut self.rng, add_days(*since, 60), valid_to.min(last_day));
                if leaves > *since && leaves < last_day {
                    self.dismiss(current, leaves, occupation)?;
                    employer = None;
                    let start = add_days(leaves, self.rng.random_range(3..30));
                    if start <= last_day
                        && let Some(hired) = self.hire(start, region, occupation)?
                    {
                        employer = Some((hired, start));
                    }
                }
            }
            if valid_to >= last_day {
                break;
            }
            issued_on = add_days(valid_to, self.rng.random_range(1..10));
        }
        if let (Some((current, _)), Some(exit)) = (&employer, stay.exit)
            && chance(&mut self.rng, 0.7)
        {
            self.dismiss(current, exit.date(), OCCUPATIONS[0])?;
        }
        Ok(())
    }

    /// Monthly advance payments for a patent from `issued_on` to `until`; returns the last day
    /// paid for. Some stop early or come late: the patent lapses.
    fn patent_payments(
        &mut self,
        patent_number: &str,
        issued_on: NaiveDate,
        until: NaiveDate,
        region: &Region,
    ) -> Result<NaiveDate, SynthError> {
        let as_of = self.as_of();
        let lapse_after_months = chance(&mut self.rng, LAPSED_PATENT_RATE).then(|| self.rng.random_range(1..=5u32));
        let mut period_start = issued_on;
        let mut months_paid = 0u32;
        let mut paid_until = add_days(issued_on, -1);
        while period_start <= until && period_start <= as_of {
            if lapse_after_months.is_some_and(|lapse| months_paid >= lapse) {
                // A lapse that matters: a month or more unpaid while still in the country.
                if days_between(period_start, until.min(as_of)) > 30 {
                    self.facts.lapsed_patent = true;
                }
                break;
            }
            let months = *pick_weighted(&mut self.rng, &[(1u8, 60), (2, 15), (3, 25)]);
            let late = months_paid > 0 && chance(&mut self.rng, LATE_PATENT_PAYMENT_RATE);
            let paid_on = if late {
                self.facts.lapsed_patent = true;
                add_days(period_start, self.rng.random_range(1..10))
            } else {
                add_days(period_start, -self.rng.random_range(1..8))
            };
            if paid_on > as_of {
                break;
            }
            let period_end = add_days(add_months(period_start, u32::from(months)), -1);
            let price = patent_price(region, period_start.year());
            let payload = PatentPaymentPayload {
                patent_number: document_number(patent_number)?,
                amount: money(price * u64::from(months))?,
                paid_on: to_date(paid_on)?,
                months_covered: months,
            };
            let subject = self.subject(Agency::TaxService, paid_on)?;
            self.emit(
                Header::new(Agency::TaxService, Category::PatentPayments, "advance_payment", period_start)
                    .until(period_end),
                &subject,
                &payload,
            )?;
            months_paid += u32::from(months);
            paid_until = period_end;
            period_start = add_days(period_end, 1);
        }
        Ok(paid_until)
    }

    fn register_taxpayer(&mut self, registered_on: NaiveDate, region: &Region) -> Result<(), SynthError> {
        if registered_on > self.as_of() {
            return Ok(());
        }
        let number = self.population.identifiers.taxpayer_number(self.core.index, region.number);
        self.taxpayer_number = Some((number.clone(), registered_on));
        self.facts.taxpayer_number = Some(number.clone());
        let subject = self.subject(Agency::TaxService, registered_on)?;
        let payload = TaxPayload {
            taxpayer_number: Some(
                TaxpayerNumber::parse(&number).map_err(|error| SynthError::invalid("taxpayer number", error))?,
            ),
            tax_kind: None,
            amount: None,
            due_on: None,
            paid_on: None,
        };
        self.emit(
            Header::new(Agency::TaxService, Category::Tax, "taxpayer_registration", registered_on),
            &subject,
            &payload,
        )?;
        Ok(())
    }

    fn register_social_insurance(&mut self, registered_on: NaiveDate) -> Result<(), SynthError> {
        if registered_on > self.as_of() || self.social_insurance_number.is_some() {
            return Ok(());
        }
        let number = self.population.identifiers.social_insurance_number(self.core.index);
        self.social_insurance_number = Some((number.clone(), registered_on));
        self.facts.social_insurance_number = Some(number.clone());
        let written =
            if chance(&mut self.rng, 0.5) { social_insurance_number_with_separators(&number) } else { number };
        let subject = self.subject(Agency::SocialFund, registered_on)?;
        let payload = SocialInsurancePayload {
            social_insurance_number: SocialInsuranceNumber::parse(&written)
                .map_err(|error| SynthError::invalid("social insurance number", error))?,
        };
        self.emit(
            Header::new(Agency::SocialFund, Category::SocialInsurance, "registration", registered_on),
            &subject,
            &payload,
        )?;
        Ok(())
    }

    fn medical_exam(&mut self, examined_on: NaiveDate, region: &Region) -> Result<(), SynthError> {
        if examined_on > self.as_of() {
            return Ok(());
        }
        let draw = self.rng.random_range(0..1000u32);
        let (result, finding) = match draw {
            0..10 => (ExamResult::Finding, Some(pick(&mut self.rng, &["tuberculosis", "syphilis", "HIV infection"]))),
            10..25 => (ExamResult::Inconclusive, None),
            _ => (ExamResult::NoFinding, None),
        };
        let payload = MedicalExamPayload {
            exam: MedicalExamKind::Comprehensive,
            result,
            institution: text(region.medical_centre)?,
            examined_on: to_date(examined_on)?,
            finding: finding.map(text).transpose()?,
        };
        let subject = self.subject(Agency::HealthAuthority, examined_on)?;
        let header = Header::new(Agency::HealthAuthority, Category::MedicalExams, "examination", examined_on)
            .until(add_days(add_years(examined_on, 1), -1));
        self.emit(header, &subject, &payload)?;
        Ok(())
    }

    fn language_certificate(&mut self, passed_on: NaiveDate) -> Result<(), SynthError> {
        if passed_on > self.as_of() {
            return Ok(());
        }
        let payload = LanguageExamPayload {
            certificate_number: text(&format!("{}-{}", passed_on.year(), random_digits(&mut self.rng, 9)))?,
            exam: ExamSubject::Comprehensive,
            passed_on: to_date(passed_on)?,
            level: Some(text(pick(&mut self.rng, &["patent", "temporary residence permit", "residence permit"]))?),
            testing_centre: Some(text(pick(&mut self.rng, TESTING_CENTRES))?),
        };
        let subject = self.subject(Agency::EducationSupervisor, passed_on)?;
        let header = Header::new(Agency::EducationSupervisor, Category::LanguageExams, "certificate", passed_on)
            .until(add_days(add_years(passed_on, 5), -1));
        self.emit(header, &subject, &payload)?;
        Ok(())
    }

    fn medical_insurance(
        &mut self,
        agency: Agency,
        kind: &'static str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(), SynthError> {
        if from > self.as_of() {
            return Ok(());
        }
        let policy_number = if kind == "compulsory_policy" {
            random_digits(&mut self.rng, 16)
        } else {
            format!("VMI-{}-{}", from.year(), random_digits(&mut self.rng, 8))
        };
        let payload = MedicalInsurancePayload {
            policy_number: text(&policy_number)?,
            insurer: text(pick(&mut self.rng, INSURERS))?,
        };
        let subject = self.subject(agency, from)?;
        self.emit(Header::new(agency, Category::MedicalInsurance, kind, from).until(to), &subject, &payload)?;
        Ok(())
    }

    fn hire(
        &mut self,
        start: NaiveDate,
        region: &'static Region,
        occupation: &str,
    ) -> Result<Option<Employer>, SynthError> {
        let employer = draw_employer(&mut self.rng, region, self.population.config.seed, &self.population.identifiers);
        let notified_on = if chance(&mut self.rng, 0.05) {
            add_working_days(start, self.rng.random_range(4..20))
        } else {
            add_working_days(start, self.rng.random_range(0..=3))
        };
        if notified_on > self.as_of() {
            return Ok(Some(employer));
        }
        let payload = self.employment_payload(&employer, occupation, notified_on)?;
        let subject = self.subject(Agency::EmployersNotifications, notified_on)?;
        self.emit(
            Header::new(Agency::EmployersNotifications, Category::Employment, "hiring_notification", start),
            &subject,
            &payload,
        )?;
        if chance(&mut self.rng, 0.15)
            && let Some(phone) = self.known_russian_phone(notified_on)
        {
            let payload = ContactPayload {
                phone: Some(PhoneNumber::parse(&phone).map_err(|error| SynthError::invalid("phone", error))?),
                email: None,
                account_id: None,
            };
            self.emit(
                Header::new(Agency::EmployersNotifications, Category::Contacts, "phone", notified_on),
                &subject,
                &payload,
            )?;
        }
        if self.social_insurance_number.is_none() && chance(&mut self.rng, 0.5) {
            let day = add_days(start, self.rng.random_range(5..40));
            self.register_social_insurance(day)?;
        }
        Ok(Some(employer))
    }

    fn dismiss(&mut self, employer: &Employer, last_day: NaiveDate, occupation: &str) -> Result<(), SynthError> {
        let notified_on = add_working_days(last_day, self.rng.random_range(0..=3));
        if notified_on > self.as_of() {
            return Ok(());
        }
        let payload = self.employment_payload(employer, occupation, notified_on)?;
        let subject = self.subject(Agency::EmployersNotifications, notified_on)?;
        self.emit(
            Header::new(Agency::EmployersNotifications, Category::Employment, "dismissal_notification", last_day),
            &subject,
            &payload,
        )?;
        Ok(())
    }

    fn employment_payload(
        &self,
        employer: &Employer,
        occupation: &str,
        notified_on: NaiveDate,
    ) -> Result<EmploymentPayload, SynthError> {
        Ok(EmploymentPayload {
            employer: Organisation {
                name: text(&employer.name)?,
                taxpayer_number: Some(
                    OrganisationTaxpayerNumber::parse(&employer.taxpayer_number)
                        .map_err(|error| SynthError::invalid("organisation taxpayer number", error))?,
                ),
            },
            occupation: Some(text(occupation)?),
            region: Some(region_code(employer.region)?),
            notified_on: Some(to_date(notified_on)?),
        })
    }

    /// Staying on without a right to: sometimes listed in the controlled register, sometimes
    /// caught working without a permit.
    fn unlawful_presence(&mut self, since: NaiveDate, stay: &Stay, reason: &str) -> Result<(), SynthError> {
        let as_of = self.as_of();
        let last_day = stay.last_day(as_of);
        if chance(&mut self.rng, 0.35) {
            let included_on = add_days(since, self.rng.random_range(30..90));
            if included_on <= last_day {
                self.facts.in_controlled_register = true;
                let payload = ControlledRegisterPayload {
                    decision_number: text(&format!("KR-{}-{}", included_on.year(), random_digits(&mut self.rng, 7)))?,
                    reason: Some(text(reason)?),
                };
                let subject = self.subject(Agency::MigrationService, included_on)?;
                if let Some(record_id) = self.emit_with_id(
                    Header::new(Agency::MigrationService, Category::ControlledRegister, "inclusion", included_on),
                    &subject,
                    &payload,
                )? && let Some(exit) = stay.exit
                    && chance(&mut self.rng, 0.5)
                {
                    let excluded_on = add_days(exit.date(), self.rng.random_range(1..20));
                    if excluded_on <= as_of {
                        let subject = self.subject(Agency::MigrationService, excluded_on)?;
                        let payload = ControlledRegisterPayload {
                            decision_number: payload.decision_number.clone(),
                            reason: Some(text("left the country")?),
                        };
                        let header = Header::new(
                            Agency::MigrationService,
                            Category::ControlledRegister,
                            "exclusion",
                            excluded_on,
                        );
                        let new_id = self.next_record_id(Agency::MigrationService);
                        self.write(
                            header,
                            &new_id,
                            1,
                            &subject,
                            &payload,
                            &[Superseded { record_id: &record_id, version: 1 }],
                        )?;
                    }
                }
            }
        }
        if chance(&mut self.rng, 0.12) {
            let caught_on = date_between(&mut self.rng, add_days(since, 10), last_day);
            if caught_on > since {
                self.administrative_offence(caught_on, stay.region, "18.10 p.1", (2000, 5000))?;
            }
        }
        Ok(())
    }

    // ---- work in the Eurasian union, and under work permits -------------------------------------

    fn work_in_union(&mut self, stay: &Stay, recorded: &mut Recorded) -> Result<(), SynthError> {
        let as_of = self.as_of();
        let entry_day = stay.entry_day();
        let last_day = stay.last_day(as_of);
        let start = add_days(entry_day, self.rng.random_range(5..30));
        if start > last_day {
            return Ok(());
        }
        let occupation = pick(&mut self.rng, OCCUPATIONS);
        let employer = self.hire(start, stay.region, occupation)?;
        if self.taxpayer_number.is_none() && chance(&mut self.rng, 0.6) {
            let day = add_days(start, self.rng.random_range(10..60));
            self.register_taxpayer(day, stay.region)?;
        }
        if chance(&mut self.rng, 0.6) {
            let from = add_days(start, self.rng.random_range(5..30));
            self.medical_insurance(Agency::SocialFund, "compulsory_policy", from, add_days(add_years(from, 1), -1))?;
        }
        self.yearly_income_tax(start, last_day, 0.4)?;
        if let (Some(employer), Some(exit)) = (employer, stay.exit)
            && chance(&mut self.rng, 0.7)
        {
            self.dismiss(&employer, exit.date(), occupation)?;
        }
        let _ = recorded;
        Ok(())
    }

    fn work_under_permit(&mut self, stay: &Stay, recorded: &mut Recorded) -> Result<(), SynthError> {
        let as_of = self.as_of();
        let entry_day = stay.entry_day();
        let last_day = stay.last_day(as_of);
        let issued_on = add_days(entry_day, self.rng.random_range(5..20));
        if issued_on > last_day {
            return Ok(());
        }
        let region = stay.region;
        let day = add_days(issued_on, -self.rng.random_range(1..4)).max(entry_day);
        self.medical_exam(day, region)?;
        if !recorded.fingerprints {
            recorded.fingerprints = true;
            let at = instant_on(&mut self.rng, issued_on, 9, 18);
            self.biometric_capture(
                Agency::MigrationService,
                at,
                region.migration_office,
                TemplateFormat::Iso19794_2,
                None,
            )?;
        }
        let occupation = pick(&mut self.rng, OCCUPATIONS);
        let employer = draw_employer(&mut self.rng, region, self.population.config.seed, &self.population.identifiers);
        let permit_number = self.next_permit_number(region.number);
        let valid_to =
            stay.exit.map(|exit| exit.date()).unwrap_or_else(|| add_days(add_years(issued_on, 1), -1)).max(issued_on);
        let payload = WorkPermitPayload {
            number: document_number(&permit_number)?,
            region: region_code(region)?,
            occupation: Some(text(occupation)?),
            employer: Some(Organisation {
                name: text(&employer.name)?,
                taxpayer_number: Some(
                    OrganisationTaxpayerNumber::parse(&employer.taxpayer_number)
                        .map_err(|error| SynthError::invalid("organisation taxpayer number", error))?,
                ),
            }),
        };
        let subject = self.subject(Agency::MigrationService, issued_on)?;
        self.emit(
            Header::new(Agency::MigrationService, Category::WorkPermits, "work_permit", issued_on).until(valid_to),
            &subject,
            &payload,
        )?;
        let start = add_days(issued_on, self.rng.random_range(0..10));
        if start <= last_day {
            let notified_on = add_working_days(start, self.rng.random_range(0..=3));
            if notified_on <= as_of {
                let payload = self.employment_payload(&employer, occupation, notified_on)?;
                let subject = self.subject(Agency::EmployersNotifications, notified_on)?;
                self.emit(
                    Header::new(Agency::EmployersNotifications, Category::Employment, "hiring_notification", start),
                    &subject,
                    &payload,
                )?;
            }
            if self.taxpayer_number.is_none() && chance(&mut self.rng, 0.7) {
                let day = add_days(start, self.rng.random_range(10..40));
                self.register_taxpayer(day, region)?;
            }
            self.yearly_income_tax(start, last_day, 0.5)?;
            if let Some(exit) = stay.exit
                && chance(&mut self.rng, 0.6)
            {
                self.dismiss(&employer, exit.date(), occupation)?;
            }
        }
        Ok(())
    }

    /// Income tax paid once a year for years worked, where the person has a taxpayer number.
    fn yearly_income_tax(&mut self, from: NaiveDate, to: NaiveDate, share: f64) -> Result<(), SynthError> {
        let as_of = self.as_of();
        for year in from.year()..=to.year() {
            let Some(paid_on) =
                NaiveDate::from_ymd_opt(year + 1, 3, 1).map(|day| add_days(day, self.rng.random_range(0..100)))
            else {
                continue;
            };
            if paid_on > as_of || !chance(&mut self.rng, share) || self.known_taxpayer_number(paid_on).is_none() {
                continue;
            }
            let amount = money(self.rng.random_range(3_000..60_000))?;
            let payload = TaxPayload {
                taxpayer_number: self
                    .known_taxpayer_number(paid_on)
                    .map(|number| TaxpayerNumber::parse(&number))
                    .transpose()
                    .map_err(|error| SynthError::invalid("taxpayer number", error))?,
                tax_kind: Some(TaxKind::PersonalIncome),
                amount: Some(amount),
                due_on: None,
                paid_on: Some(to_date(paid_on)?),
            };
            let subject = self.subject(Agency::TaxService, paid_on)?;
            self.emit(Header::new(Agency::TaxService, Category::Tax, "payment", paid_on), &subject, &payload)?;
        }
        Ok(())
    }

    // ---- study ----------------------------------------------------------------------------------

    fn study(&mut self, stay: &Stay, recorded: &mut Recorded) -> Result<(), SynthError> {
        let core = self.core;
        let entry_day = stay.entry_day();
        if recorded.enrolled {
            return Ok(());
        }
        recorded.enrolled = true;
        let enrolled_on = add_days(entry_day, self.rng.random_range(0..12));
        let language_course = chance(&mut self.rng, 0.2);
        let payload = EducationPayload {
            institution: text(pick(&mut self.rng, UNIVERSITIES))?,
            country: country("RUS")?,
            programme: Some(text(if language_course {
                pick(&mut self.rng, LANGUAGE_COURSES)
            } else {
                pick(&mut self.rng, PROGRAMMES)
            })?),
            level: Some(if language_course {
                EducationLevel::LanguageCourse
            } else if age_on(core.birth_date, entry_day) > 22 {
                EducationLevel::Master
            } else {
                EducationLevel::Bachelor
            }),
            document_number: None,
        };
        let subject = self.subject(Agency::EducationSupervisor, enrolled_on)?;
        self.emit(
            Header::new(Agency::EducationSupervisor, Category::Education, "enrolment", enrolled_on),
            &subject,
            &payload,
        )?;
        let day = add_days(entry_day, self.rng.random_range(5..30));
        self.medical_exam(day, stay.region)?;
        if chance(&mut self.rng, 0.25) {
            let recognised_on = add_days(entry_day, self.rng.random_range(-60..20));
            self.foreign_diploma(recognised_on, EducationLevel::School)?;
        }
        Ok(())
    }

    fn foreign_diploma(&mut self, recognised_on: NaiveDate, level: EducationLevel) -> Result<(), SynthError> {
        if recognised_on > self.as_of() {
            return Ok(());
        }
        let core = self.core;
        let payload = EducationPayload {
            institution: text(home_institution(core.origin))?,
            country: country(core.origin.alpha3())?,
            programme: None,
            level: Some(level),
            document_number: Some(text(&random_digits(&mut self.rng, 10))?),
        };
        let subject = self.subject(Agency::EducationSupervisor, recognised_on)?;
        self.emit(
            Header::new(Agency::EducationSupervisor, Category::Education, "recognition", recognised_on),
            &subject,
            &payload,
        )?;
        Ok(())
    }

    // ---- family members: residence permits ------------------------------------------------------

    fn family_stay(&mut self, stay: &Stay, recorded: &mut Recorded) -> Result<(), SynthError> {
        let as_of = self.as_of();
        let entry_day = stay.entry_day();
        let last_day = stay.last_day(as_of);
        if recorded.residence_permit_from.is_some() || days_between(entry_day, last_day) < 120 {
            return Ok(());
        }
        let applied_on = add_days(entry_day, self.rng.random_range(20..80));
        if applied_on > last_day {
            return Ok(());
        }
        let region = stay.region;
        let day = add_days(applied_on, -self.rng.random_range(2..10)).max(entry_day);
        self.medical_exam(day, region)?;
        if age_on(self.core.birth_date, applied_on) >= 18 {
            let day = add_days(applied_on, -self.rng.random_range(2..15)).max(entry_day);
            self.language_certificate(day)?;
        }
        if !recorded.fingerprints {
            recorded.fingerprints = true;
            let at = instant_on(&mut self.rng, applied_on, 9, 18);
            self.biometric_capture(
                Agency::MigrationService,
                at,
                region.migration_office,
                TemplateFormat::Iso19794_2,
                None,
            )?;
        }
        if !recorded.family_declared_to_migration {
            recorded.family_declared_to_migration = true;
            self.family_records(Agency::MigrationService, applied_on)?;
        }
        let mut payload = ResidencePermitPayload {
            decision: PermitDecision::Pending,
            permit_number: None,
            region: Some(region_code(region)?),
            decided_on: None,
        };
        let subject = self.subject(Agency::MigrationService, applied_on)?;
        let header =
            Header::new(Agency::MigrationService, Category::ResidencePermits, "temporary_residence_permit", applied_on);
        let record_id = self.next_record_id(Agency::MigrationService);
        self.write(header, &record_id, 1, &subject, &payload, &[])?;
        let decided_on = add_days(applied_on, self.rng.random_range(45..120));
        if decided_on > as_of {
            return Ok(());
        }
        let granted = chance(&mut self.rng, 0.93);
        payload.decided_on = Some(to_date(decided_on)?);
        let header = if granted {
            payload.decision = PermitDecision::Granted;
            payload.permit_number =
                Some(document_number(&format!("{:02}RVP{}", region.number, random_digits(&mut self.rng, 7)))?);
            recorded.residence_permit_from = Some(decided_on);
            self.facts.residence_permit = true;
            Header::new(Agency::MigrationService, Category::ResidencePermits, "temporary_residence_permit", decided_on)
                .until(add_days(add_years(decided_on, 3), -1))
        } else {
            payload.decision = PermitDecision::Refused;
            Header::new(Agency::MigrationService, Category::ResidencePermits, "temporary_residence_permit", decided_on)
        };
        self.write(header, &record_id, 2, &subject, &payload, &[])?;
        if granted {
            if chance(&mut self.rng, 0.6) {
                let from = add_days(decided_on, self.rng.random_range(5..40));
                self.medical_insurance(
                    Agency::SocialFund,
                    "compulsory_policy",
                    from,
                    add_days(add_years(from, 1), -1),
                )?;
            }
            if chance(&mut self.rng, 0.4) {
                let day = add_days(decided_on, self.rng.random_range(10..60));
                self.register_social_insurance(day)?;
            }
            // After a year or two some move on to a residence permit.
            let next_step = add_days(decided_on, self.rng.random_range(365..800));
            if next_step <= last_day && chance(&mut self.rng, 0.3) {
                let payload = ResidencePermitPayload {
                    decision: PermitDecision::Granted,
                    permit_number: Some(document_number(&format!(
                        "{:02}VNZ{}",
                        region.number,
                        random_digits(&mut self.rng, 7)
                    ))?),
                    region: Some(region_code(region)?),
                    decided_on: Some(to_date(next_step)?),
                };
                let subject = self.subject(Agency::MigrationService, next_step)?;
                self.emit(
                    Header::new(Agency::MigrationService, Category::ResidencePermits, "residence_permit", next_step)
                        .until(add_days(add_years(next_step, 5), -1)),
                    &subject,
                    &payload,
                )?;
            }
        }
        Ok(())
    }

    // ---- family ---------------------------------------------------------------------------------

    /// The person's relatives: those in the population, and for single people sometimes a spouse
    /// and children who stayed at home. Built once, so every agency names the same relatives.
    fn relatives(&mut self) -> Result<Vec<Relative>, SynthError> {
        if let Some(relatives) = self.relatives.take() {
            return Ok(relatives);
        }
        let core = self.core;
        let population = self.population;
        let mut relatives = Vec::new();
        if let Some(spouse) = core.relatives.spouse {
            relatives.push(Relative {
                core: population.core(spouse)?,
                kind: "spouse",
                since: core.relatives.married_on,
            });
        }
        for child in &core.relatives.children {
            let child = population.core(*child)?;
            let since = Some(child.birth_date);
            relatives.push(Relative { core: child, kind: "child", since });
        }
        for parent in &core.relatives.parents {
            relatives.push(Relative { core: population.core(*parent)?, kind: "parent", since: Some(core.birth_date) });
        }
        if core.role == HouseholdRole::Single
            && age_on(core.birth_date, self.as_of()) >= 24
            && chance(&mut self.rng, 0.35)
        {
            let spouse = population.relative_at_home(core, RelativeAtHome::Spouse)?;
            let married = add_years(core.birth_date.max(spouse.birth_date), 20);
            relatives.push(Relative { core: spouse, kind: "spouse", since: Some(married) });
            for ordinal in 0..self.rng.random_range(0..=2u32) {
                let child = population.relative_at_home(core, RelativeAtHome::Child(ordinal))?;
                let since = Some(child.birth_date);
                relatives.push(Relative { core: child, kind: "child", since });
            }
        }
        Ok(relatives)
    }

    /// Family records naming the person's relatives: those in the population with their
    /// identifiers, those at home by name and birth date.
    fn family_records(&mut self, agency: Agency, declared_on: NaiveDate) -> Result<(), SynthError> {
        let latin = agency == Agency::ConsularService;
        let relatives = self.relatives()?;
        let mut outcome = Ok(());
        for relative in &relatives {
            if relative.core.birth_date > declared_on || !chance(&mut self.rng, 0.8) {
                continue;
            }
            outcome = self.family_record(agency, declared_on, relative, latin);
            if outcome.is_err() {
                break;
            }
        }
        self.relatives = Some(relatives);
        outcome
    }

    fn family_record(
        &mut self,
        agency: Agency,
        declared_on: NaiveDate,
        relative: &Relative,
        latin: bool,
    ) -> Result<(), SynthError> {
        let relative_subject = self.relative_subject(&relative.core, declared_on, latin)?;
        let payload = FamilyPayload {
            relative: relative_subject,
            since: relative.since.filter(|since| *since <= declared_on).map(to_date).transpose()?,
        };
        let subject = self.subject(agency, declared_on)?;
        self.emit(Header::new(agency, Category::Family, relative.kind, declared_on), &subject, &payload)?;
        Ok(())
    }

    // ---- offences and the law -------------------------------------------------------------------

    fn offences_during(&mut self, stay: &Stay, recorded: &mut Recorded) -> Result<(), SynthError> {
        let as_of = self.as_of();
        let entry_day = stay.entry_day();
        if age_on(self.core.birth_date, entry_day) < 16 {
            return Ok(());
        }
        let last_day = stay.last_day(as_of);
        let length = days_between(entry_day, last_day);
        if length < 10 {
            return Ok(());
        }
        let rate =
            if self.core.purpose == Purpose::LabourMigrant { 0.06 } else { 0.02 } * (length as f64 / 200.0).min(2.0);
        if chance(&mut self.rng, rate) {
            let day = date_between(&mut self.rng, add_days(entry_day, 5), last_day);
            let (article, fine) = pick(
                &mut self.rng,
                &[
                    ("18.8 p.1", (2000u64, 5000u64)),
                    ("20.1 p.1", (500, 1000)),
                    ("20.20 p.1", (500, 1500)),
                    ("12.29 p.1", (500, 800)),
                    ("18.8 p.1.1", (2000, 5000)),
                ],
            );
            self.administrative_offence(day, stay.region, article, fine)?;
            if !recorded.police_identity && chance(&mut self.rng, 0.3) {
                recorded.police_identity = true;
                self.identity_record(Agency::Police, day)?;
            }
        }
        Ok(())
    }

    fn administrative_offence(
        &mut self,
        decided_on: NaiveDate,
        region: &Region,
        article: &str,
        fine_range: (u64, u64),
    ) -> Result<(), SynthError> {
        let as_of = self.as_of();
        if decided_on > as_of {
            return Ok(());
        }
        self.facts.offences += 1;
        let fine = self.rng.random_range(fine_range.0..=fine_range.1) / 100 * 100;
        let case_number = format!("188100{:02}{}", region.number, random_digits(&mut self.rng, 12));
        let due_on = add_days(decided_on, 70);
        let payload = OffencePayload {
            case_number: text(&case_number)?,
            article: Some(text(article)?),
            authority: Some(text(region.police)?),
            decided_on: Some(to_date(decided_on)?),
            fine: Some(money(fine)?),
            payment_due_on: Some(to_date(due_on)?),
            paid_on: None,
        };
        let subject = self.subject(Agency::Police, decided_on)?;
        self.emit(
            Header::new(Agency::Police, Category::Offences, "administrative_offence", decided_on),
            &subject,
            &payload,
        )?;
        let outcome = self.rng.random_range(0..100u32);
        let payment = |paid_on: NaiveDate| -> Result<OffencePayload, SynthError> {
            Ok(OffencePayload {
                case_number: text(&case_number)?,
                article: Some(text(article)?),
                authority: None,
                decided_on: None,
                fine: Some(money(fine)?),
                payment_due_on: None,
                paid_on: Some(to_date(paid_on)?),
            })
        };
        match outcome {
            0..55 => {
                let paid_on = add_days(decided_on, self.rng.random_range(1..60));
                if paid_on <= as_of {
                    let subject = self.subject(Agency::Police, paid_on)?;
                    self.emit(
                        Header::new(Agency::Police, Category::Offences, "fine_payment", paid_on),
                        &subject,
                        &payment(paid_on)?,
                    )?;
                } else {
                    self.facts.unpaid_fines += 1;
                }
            }
            55..65 => {
                let paid_on = add_days(due_on, self.rng.random_range(5..120));
                if paid_on <= as_of {
                    let subject = self.subject(Agency::Police, paid_on)?;
                    self.emit(
                        Header::new(Agency::Police, Category::Offences, "fine_payment", paid_on),
                        &subject,
                        &payment(paid_on)?,
                    )?;
                } else {
                    self.facts.unpaid_fines += 1;
                }
            }
            _ => {
                self.facts.unpaid_fines += 1;
                // Unpaid past the deadline: the bailiffs open enforcement proceedings.
                let opened_on = add_days(due_on, self.rng.random_range(15..90));
                if opened_on <= as_of && chance(&mut self.rng, 0.7) {
                    let enforcement = OffencePayload {
                        case_number: text(&format!(
                            "{}/{}/{:02}001-ИП",
                            random_digits(&mut self.rng, 6),
                            opened_on.year() % 100,
                            region.number
                        ))?,
                        article: Some(text(article)?),
                        authority: Some(text(&format!("ГУФССП России, {}", region.localities[0]))?),
                        decided_on: Some(to_date(opened_on)?),
                        fine: Some(money(fine)?),
                        payment_due_on: Some(to_date(add_days(opened_on, 5))?),
                        paid_on: None,
                    };
                    let subject = self.subject(Agency::Bailiffs, opened_on)?;
                    self.emit(
                        Header::new(Agency::Bailiffs, Category::Offences, "administrative_offence", opened_on),
                        &subject,
                        &enforcement,
                    )?;
                    let paid_on = add_days(opened_on, self.rng.random_range(10..200));
                    if paid_on <= as_of && chance(&mut self.rng, 0.3) {
                        let mut paid = enforcement.clone();
                        paid.decided_on = None;
                        paid.payment_due_on = None;
                        paid.paid_on = Some(to_date(paid_on)?);
                        let subject = self.subject(Agency::Bailiffs, paid_on)?;
                        self.emit(
                            Header::new(Agency::Bailiffs, Category::Offences, "fine_payment", paid_on),
                            &subject,
                            &paid,
                        )?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Beyond 90 days in 180: an offence, listing in the controlled register, and after the exit
    /// an entry ban.
    fn overstay_consequences(&mut self, stay: &Stay) -> Result<(), SynthError> {
        let as_of = self.as_of();
        let entry_day = stay.entry_day();
        let overstay_from = add_days(entry_day, 90);
        let last_day = stay.last_day(as_of);
        if overstay_from > last_day {
            return Ok(());
        }
        if chance(&mut self.rng, 0.4) {
            let caught_on = date_between(&mut self.rng, overstay_from, last_day);
            self.administrative_offence(caught_on, stay.region, "18.8 p.1.1", (2000, 5000))?;
        }
        if chance(&mut self.rng, 0.6) {
            self.unlawful_presence(overstay_from, stay, "stay beyond the permitted term")?;
        }
        if let Some(exit) = stay.exit
            && chance(&mut self.rng, 0.6)
        {
            let overstayed_days = days_between(overstay_from, exit.date());
            let years = if overstayed_days > 270 {
                10
            } else if overstayed_days > 180 {
                5
            } else {
                3
            };
            let decided_on = add_days(exit.date(), self.rng.random_range(3..40));
            self.entry_ban(
                Agency::MigrationService,
                "entry_ban",
                decided_on,
                years,
                stay.region.migration_office,
                "stay beyond the permitted term",
            )?;
        }
        Ok(())
    }

    fn entry_ban(
        &mut self,
        agency: Agency,
        kind: &'static str,
        decided_on: NaiveDate,
        years: u32,
        authority: &str,
        reason: &str,
    ) -> Result<bool, SynthError> {
        if decided_on > self.as_of() {
            return Ok(false);
        }
        self.facts.entry_banned = true;
        let payload = EntryBanPayload {
            decision_number: text(&format!("ZB-{}-{}", decided_on.year(), random_digits(&mut self.rng, 6)))?,
            authority: text(authority)?,
            decided_on: to_date(decided_on)?,
            reason: Some(text(reason)?),
        };
        let subject = self.subject(agency, decided_on)?;
        let header = Header::new(agency, Category::EntryBans, kind, decided_on)
            .until(add_days(add_years(decided_on, years), -1));
        self.emit(header, &subject, &payload)
    }

    /// A court expels the person for breaking the rules of stay; the exit follows.
    fn expulsion(&mut self, stay: &Stay) -> Result<(), SynthError> {
        let Some(exit) = stay.exit else {
            return Ok(());
        };
        let decided_on = add_days(exit.date(), -self.rng.random_range(3..15)).max(stay.entry_day());
        let court = pick(&mut self.rng, stay.region.courts);
        let offence = OffencePayload {
            case_number: text(&format!("5-{}/{}", self.rng.random_range(100..9999), decided_on.year()))?,
            article: Some(text("18.8 p.3")?),
            authority: Some(text(court)?),
            decided_on: Some(to_date(decided_on)?),
            fine: Some(money(5000)?),
            payment_due_on: Some(to_date(add_days(decided_on, 70))?),
            paid_on: None,
        };
        let subject = self.subject(Agency::Courts, decided_on)?;
        self.emit(
            Header::new(Agency::Courts, Category::Offences, "administrative_offence", decided_on),
            &subject,
            &offence,
        )?;
        self.entry_ban(
            Agency::Courts,
            "expulsion",
            decided_on,
            5,
            court,
            "administrative expulsion, CAO art. 18.8 p.3",
        )?;
        Ok(())
    }

    // ---- records outside the stays --------------------------------------------------------------

    /// Partner states report their own citizens: identity, passports issued, losses, family.
    fn partner_state_records(&mut self, stays: &[Stay]) -> Result<(), SynthError> {
        let core = self.core;
        if !core.origin.is_partner_state() {
            return Ok(());
        }
        let history_start = self.population.history_start();
        let as_of = self.as_of();
        if chance(&mut self.rng, 0.35) {
            let day = date_between(&mut self.rng, history_start, as_of);
            self.identity_record(Agency::PartnerStates, day)?;
        }
        for passport in &core.passports {
            if passport.issued_on >= history_start && chance(&mut self.rng, 0.5) {
                self.passport_record(Agency::PartnerStates, passport, passport.issued_on)?;
            }
            if let Some(lost_on) = passport.lost_on {
                let in_country =
                    stays.iter().any(|stay| stay.entry_day() <= lost_on && lost_on <= stay.last_day(as_of));
                if !in_country || chance(&mut self.rng, 0.4) {
                    let reported_on = add_days(lost_on, self.rng.random_range(0..10)).min(as_of);
                    self.lost_passport_record(Agency::PartnerStates, passport, reported_on)?;
                }
            }
        }
        if chance(&mut self.rng, 0.4) {
            let day = date_between(&mut self.rng, history_start, as_of);
            if core.relatives.spouse.is_some() || !core.relatives.children.is_empty() {
                self.family_records(Agency::PartnerStates, day)?;
            }
        }
        Ok(())
    }

    fn one_off_records(&mut self, stays: &[Stay], recorded: &mut Recorded) -> Result<(), SynthError> {
        let core = self.core;
        let as_of = self.as_of();
        let present_days: i64 = stays.iter().map(|stay| days_between(stay.entry_day(), stay.last_day(as_of))).sum();
        let long_stays: Vec<&Stay> =
            stays.iter().filter(|stay| days_between(stay.entry_day(), stay.last_day(as_of)) > 60).collect();
        let random_day_in = |rng: &mut rand_chacha::ChaCha8Rng, stay: &Stay| {
            date_between(rng, add_days(stay.entry_day(), 20), stay.last_day(as_of))
        };

        // Declaring family to the migration service (labour migrants at their patent, others at registration).
        if !recorded.family_declared_to_migration
            && let Some(stay) = long_stays.first()
            && chance(&mut self.rng, 0.5)
        {
            recorded.family_declared_to_migration = true;
            let day = random_day_in(&mut self.rng, stay);
            self.family_records(Agency::MigrationService, day)?;
        }
        // A state-services account once the person has a taxpayer or insurance number.
        if let Some((_, since)) = self.taxpayer_number.clone()
            && chance(&mut self.rng, 0.2)
        {
            let opened_on = add_days(since, self.rng.random_range(10..200));
            if opened_on <= as_of {
                let payload = ContactPayload {
                    phone: None,
                    email: None,
                    account_id: Some(text(&format!("GU-{}", random_digits(&mut self.rng, 10)))?),
                };
                let subject = self.subject(Agency::MigrationService, opened_on)?;
                self.emit(
                    Header::new(Agency::MigrationService, Category::Contacts, "state_services_account", opened_on),
                    &subject,
                    &payload,
                )?;
            }
        }
        // Vocational diplomas of some labour migrants.
        if core.purpose == Purpose::LabourMigrant
            && let Some(stay) = long_stays.first()
            && chance(&mut self.rng, 0.06)
        {
            let day = random_day_in(&mut self.rng, stay);
            self.foreign_diploma(day, EducationLevel::Vocational)?;
        }
        // Students who finished their programme.
        if core.purpose == Purpose::Student
            && let Some(last) = stays.last()
            && let Some(exit) = last.exit
            && stays.iter().map(|stay| days_between(stay.entry_day(), stay.last_day(as_of))).sum::<i64>() > 900
        {
            let graduated_on = add_days(exit.date(), -self.rng.random_range(1..10)).max(last.entry_day());
            let payload = EducationPayload {
                institution: text(pick(&mut self.rng, UNIVERSITIES))?,
                country: country("RUS")?,
                programme: Some(text(pick(&mut self.rng, PROGRAMMES))?),
                level: Some(EducationLevel::Bachelor),
                document_number: Some(text(&format!("10{}", random_digits(&mut self.rng, 10)))?),
            };
            let subject = self.subject(Agency::EducationSupervisor, graduated_on)?;
            self.emit(
                Header::new(Agency::EducationSupervisor, Category::Education, "diploma", graduated_on),
                &subject,
                &payload,
            )?;
        }
        // Vehicles, driving licences, real estate.
        let adult = age_on(core.birth_date, as_of) >= 18;
        let settled = adult && present_days > 365;
        if settled
            && self.taxpayer_number.is_some()
            && chance(&mut self.rng, 0.06)
            && let Some(stay) = long_stays.last()
        {
            let day = random_day_in(&mut self.rng, stay);
            let (model, manufacturer) = pick(&mut self.rng, VEHICLES);
            let payload = PropertyPayload {
                description: text(&format!("{model} {}", day.year() - self.rng.random_range(0..12)))?,
                identifier: text(&vehicle_identification_number(&mut self.rng, manufacturer))?,
                region: Some(region_code(stay.region)?),
            };
            let subject = self.subject(Agency::VehicleRegistry, day)?;
            self.emit(Header::new(Agency::VehicleRegistry, Category::Property, "vehicle", day), &subject, &payload)?;
            if chance(&mut self.rng, 0.3) {
                let due_on = NaiveDate::from_ymd_opt(day.year() + 1, 12, 1).unwrap_or(day);
                if add_days(due_on, 1) <= as_of {
                    let payload = TaxPayload {
                        taxpayer_number: self
                            .known_taxpayer_number(due_on)
                            .map(|number| TaxpayerNumber::parse(&number))
                            .transpose()
                            .map_err(|error| SynthError::invalid("taxpayer number", error))?,
                        tax_kind: Some(TaxKind::Transport),
                        amount: Some(money(self.rng.random_range(1_000..8_000))?),
                        due_on: Some(to_date(due_on)?),
                        paid_on: None,
                    };
                    let subject = self.subject(Agency::TaxService, add_days(due_on, 1))?;
                    self.emit(
                        Header::new(Agency::TaxService, Category::Tax, "debt", add_days(due_on, 1)),
                        &subject,
                        &payload,
                    )?;
                    let enforced_on = add_days(due_on, self.rng.random_range(120..300));
                    if enforced_on <= as_of && chance(&mut self.rng, 0.4) {
                        let subject = self.subject(Agency::Bailiffs, enforced_on)?;
                        self.emit(
                            Header::new(Agency::Bailiffs, Category::Tax, "debt", enforced_on),
                            &subject,
                            &payload,
                        )?;
                    }
                }
            }
        }
        if settled
            && chance(&mut self.rng, 0.05)
            && let Some(stay) = long_stays.last()
        {
            let day = random_day_in(&mut self.rng, stay);
            let payload = PropertyPayload {
                description: text("водительское удостоверение, категория B")?,
                identifier: text(&format!(
                    "{:02} {:02} {}",
                    stay.region.number,
                    self.rng.random_range(10..99),
                    random_digits(&mut self.rng, 6)
                ))?,
                region: Some(region_code(stay.region)?),
            };
            let subject = self.subject(Agency::VehicleRegistry, day)?;
            self.emit(
                Header::new(Agency::VehicleRegistry, Category::Property, "driving_licence", day),
                &subject,
                &payload,
            )?;
        }
        if adult
            && (recorded.residence_permit_from.is_some() || present_days > 1000)
            && chance(&mut self.rng, 0.05)
            && let Some(stay) = long_stays.last()
        {
            let day = random_day_in(&mut self.rng, stay);
            let payload = PropertyPayload {
                description: text(pick(
                    &mut self.rng,
                    &["квартира, 1 комната", "квартира, 2 комнаты", "комната в квартире", "земельный участок"],
                ))?,
                identifier: text(&format!(
                    "{:02}:{:02}:{:07}:{}",
                    stay.region.number,
                    self.rng.random_range(1..30),
                    self.rng.random_range(1..9_999_999),
                    self.rng.random_range(1..9999)
                ))?,
                region: Some(region_code(stay.region)?),
            };
            let subject = self.subject(Agency::PropertyRegistry, day)?;
            self.emit(
                Header::new(Agency::PropertyRegistry, Category::Property, "real_estate", day),
                &subject,
                &payload,
            )?;
        }
        // Tax debts (the patent's advance or income tax) for some taxpayers.
        if let Some((_, since)) = self.taxpayer_number.clone()
            && chance(&mut self.rng, 0.05)
        {
            let due_on = add_days(since, self.rng.random_range(60..700));
            if add_days(due_on, 1) <= as_of {
                let kind = if self.facts.patents > 0 { TaxKind::PatentFixedAdvance } else { TaxKind::PersonalIncome };
                let payload = TaxPayload {
                    taxpayer_number: self
                        .known_taxpayer_number(due_on)
                        .map(|number| TaxpayerNumber::parse(&number))
                        .transpose()
                        .map_err(|error| SynthError::invalid("taxpayer number", error))?,
                    tax_kind: Some(kind),
                    amount: Some(money(self.rng.random_range(500..30_000))?),
                    due_on: Some(to_date(due_on)?),
                    paid_on: None,
                };
                let subject = self.subject(Agency::TaxService, add_days(due_on, 1))?;
                self.emit(
                    Header::new(Agency::TaxService, Category::Tax, "debt", add_days(due_on, 1)),
                    &subject,
                    &payload,
                )?;
                let settled_on = add_days(due_on, self.rng.random_range(10..200));
                match self.rng.random_range(0..10u32) {
                    0..5 if settled_on <= as_of => {
                        let paid = TaxPayload { paid_on: Some(to_date(settled_on)?), due_on: None, ..payload };
                        let subject = self.subject(Agency::TaxService, settled_on)?;
                        self.emit(
                            Header::new(Agency::TaxService, Category::Tax, "payment", settled_on),
                            &subject,
                            &paid,
                        )?;
                    }
                    5..8 if settled_on <= as_of => {
                        let subject = self.subject(Agency::Bailiffs, settled_on)?;
                        self.emit(
                            Header::new(Agency::Bailiffs, Category::Tax, "debt", settled_on),
                            &subject,
                            &payload,
                        )?;
                    }
                    _ => {}
                }
            }
        }
        // Convictions, with an undesirability decision for some.
        if let Some(stay) = long_stays.first()
            && adult
            && chance(&mut self.rng, CONVICTION_RATE * 1.5)
        {
            let decided_on = random_day_in(&mut self.rng, stay);
            self.facts.convicted = true;
            let court = pick(&mut self.rng, stay.region.courts);
            let (article, sentence) = pick(
                &mut self.rng,
                &[
                    ("158 p.2", "fine 30000 RUB"),
                    ("322.3", "fine 100000 RUB"),
                    ("327 p.3", "fine 80000 RUB"),
                    ("228 p.1", "1 year suspended"),
                    ("161 p.1", "2 years imprisonment"),
                ],
            );
            let payload = ConvictionPayload {
                court: text(court)?,
                case_number: text(&format!("1-{}/{}", self.rng.random_range(100..999), decided_on.year()))?,
                decided_on: to_date(decided_on)?,
                article: Some(text(article)?),
                sentence: Some(text(sentence)?),
            };
            let subject = self.subject(Agency::Courts, decided_on)?;
            self.emit(
                Header::new(Agency::Courts, Category::Convictions, "conviction", decided_on),
                &subject,
                &payload,
            )?;
            let detained = add_days(decided_on, -self.rng.random_range(30..120)).max(stay.entry_day());
            if !recorded.police_identity {
                recorded.police_identity = true;
                self.identity_record(Agency::Police, detained)?;
            }
            let at = instant_on(&mut self.rng, detained, 8, 22);
            self.biometric_capture(Agency::Police, at, stay.region.police, TemplateFormat::Iso19794_2, None)?;
            if chance(&mut self.rng, 0.5) {
                let undesirable_on = add_days(decided_on, self.rng.random_range(20..90));
                self.entry_ban(
                    Agency::MigrationService,
                    "undesirability_decision",
                    undesirable_on,
                    8,
                    "Ministry of Justice",
                    "criminal conviction",
                )?;
            }
        }
        // Wanted notices.
        if adult && chance(&mut self.rng, WANTED_RATE) {
            self.facts.wanted = true;
            let issued_on = date_between(&mut self.rng, self.population.history_start(), as_of);
            let (agency, kind, authority, issuing_country) =
                if core.origin.is_partner_state() && chance(&mut self.rng, 0.6) {
                    (Agency::PartnerStates, "interstate", core.origin.interior_ministry(), core.origin.alpha3())
                } else if chance(&mut self.rng, 0.5) {
                    (Agency::Police, "national", "ГУ МВД России", "RUS")
                } else {
                    (Agency::Police, "international", "Interpol National Central Bureau", core.origin.alpha3())
                };
            let payload = WantedPayload {
                notice_number: text(&format!("WN-{}-{}", issued_on.year(), random_digits(&mut self.rng, 6)))?,
                issuing_authority: text(authority)?,
                issuing_country: Some(country(issuing_country)?),
                basis: Some(text(&format!("criminal case {}-{}", random_digits(&mut self.rng, 5), issued_on.year()))?),
            };
            let subject = self.subject(agency, issued_on)?;
            if let Some(record_id) =
                self.emit_with_id(Header::new(agency, Category::Wanted, kind, issued_on), &subject, &payload)?
                && chance(&mut self.rng, 0.3)
            {
                let cancelled_on = add_days(issued_on, self.rng.random_range(30..400));
                if cancelled_on <= as_of {
                    let subject = self.subject(agency, cancelled_on)?;
                    let new_id = self.next_record_id(agency);
                    self.write(
                        Header::new(agency, Category::Wanted, "cancellation", cancelled_on),
                        &new_id,
                        1,
                        &subject,
                        &payload,
                        &[Superseded { record_id: &record_id, version: 1 }],
                    )?;
                }
            }
        }
        // A pending citizenship application for a few long-term residents.
        if let Some(from) = recorded.residence_permit_from
            && chance(&mut self.rng, 0.05)
        {
            let applied_on = add_days(from, self.rng.random_range(200..700));
            if applied_on <= as_of {
                let payload = ResidencePermitPayload {
                    decision: PermitDecision::Pending,
                    permit_number: None,
                    region: stays.last().map(|stay| region_code(stay.region)).transpose()?,
                    decided_on: None,
                };
                let subject = self.subject(Agency::MigrationService, applied_on)?;
                self.emit(
                    Header::new(
                        Agency::MigrationService,
                        Category::ResidencePermits,
                        "citizenship_application",
                        applied_on,
                    ),
                    &subject,
                    &payload,
                )?;
            }
        }
        let _ = TransportMode::Air;
        Ok(())
    }
}

/// A relative named in family records.
pub(crate) struct Relative {
    core: PersonCore,
    kind: &'static str,
    since: Option<NaiveDate>,
}

/// A registration record kept to write its later versions.
struct RegistrationRecord<'a> {
    record_id: String,
    header: Header,
    subject: WireSubject<'a>,
    payload: hospes_model::payload::MigrationRegistrationPayload,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        for (bytes, expected) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"fooba", "Zm9vYmE="),
            (b"foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(bytes), expected);
        }
    }
}
