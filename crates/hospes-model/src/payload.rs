//! The typed payload of each of the 25 categories.
//!
//! A payload holds what the category is about; the envelope holds when it holds (the effective period:
//! the validity of a visa, permit or policy, the period of a registration, or the day of an event).
//! Every struct denies unknown fields, so a misspelt field name is an error rather than silently lost.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::category::Category;
use crate::parsed::{
    CountryCode, CurrencyCode, Date, DocumentNumber, EmailAddress, OrganisationTaxpayerNumber, PhoneNumber, RegionCode,
    ShortText, SocialInsuranceNumber, TaxpayerNumber, Timestamp,
};
use crate::subject::{DocumentKind, PersonName, Sex, Subject};
use crate::validation::{FieldErrors, serde_path_to_pointer, strip_json_position};

/// An amount of money in minor units (kopecks, cents), so no float ever touches money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub amount_minor: u64,
    pub currency: CurrencyCode,
}

/// An employer, host organisation or other legal entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: ShortText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxpayer_number: Option<OrganisationTaxpayerNumber>,
}

/// A postal address in the host country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub region: RegionCode,
    pub locality: ShortText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub house: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<ShortText>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HostKind {
    Person,
    Organisation,
}

/// Whoever receives the foreign national: a person or an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Host {
    pub kind: HostKind,
    pub name: ShortText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

/// The purpose of a visit, as declared at the border or in an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisitPurpose {
    Work,
    Study,
    Private,
    Business,
    Tourism,
    Transit,
    Official,
    Humanitarian,
    Family,
}

// ---- 1. identity ----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BirthPlace {
    pub country: CountryCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<ShortText>,
}

/// Identity: the person's names in every script, birth, sex and citizenships.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityPayload {
    pub names: Vec<PersonName>,
    pub birth_date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_place: Option<BirthPlace>,
    pub sex: Sex,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citizenships: Vec<CountryCode>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stateless: bool,
}

// ---- 2. documents ---------------------------------------------------------------------------------

/// A passport or other document, or a report that one was lost or stolen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentPayload {
    pub number: DocumentNumber,
    pub issuing_country: CountryCode,
    /// For `lost_or_stolen` reports: the kind of the document reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_kind: Option<DocumentKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_authority: Option<ShortText>,
    /// The machine-readable zone as printed, one string per line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrz: Option<Vec<String>>,
    /// The number of the document this one replaces (a renewal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_number: Option<DocumentNumber>,
    /// For `lost_or_stolen` reports: when the loss or theft was reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_on: Option<Date>,
}

// ---- 3. biometrics --------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TemplateFormat {
    /// ISO/IEC 19794-2 finger minutiae.
    Iso19794_2,
    /// ANSI INCITS 378 finger minutiae.
    Ansi378,
    /// A face embedding of the Hospes face model.
    FaceEmbedding,
    /// ISO/IEC 19794-5 face image record.
    Iso19794_5,
}

/// A biometric capture: a template and where and how well it was captured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BiometricsPayload {
    pub captured_at: Timestamp,
    pub capture_place: ShortText,
    /// Capture quality, 0 (unusable) to 100.
    pub quality: u8,
    pub template_format: TemplateFormat,
    /// The template, base64-encoded.
    pub template: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_reference: Option<ShortText>,
}

// ---- 4. contacts ----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactPayload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<PhoneNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<EmailAddress>,
    /// The person's account id at the state-services portal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<ShortText>,
}

// ---- 5. family ------------------------------------------------------------------------------------

/// A tie to another person, named by what the agency knows of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FamilyPayload {
    pub relative: Subject,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
}

// ---- 6. visas -------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisaType {
    Private,
    Business,
    Tourist,
    Study,
    Work,
    Humanitarian,
    Transit,
    Official,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisaEntries {
    Single,
    Double,
    Multiple,
}

/// A visa application or decision. The visa's validity is the record's effective period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VisaPayload {
    pub visa_type: VisaType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visa_number: Option<DocumentNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entries: Option<VisaEntries>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_post: Option<ShortText>,
    /// The longest stay allowed per entry, in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_of_stay_days: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ShortText>,
}

// ---- 7. pre_arrival -------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PreArrivalOutcome {
    Clear,
    ReferToOfficer,
    Refused,
}

/// An application to enter, submitted before travel, or the decision on one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreArrivalPayload {
    pub application_number: ShortText,
    pub purpose: VisitPurpose,
    pub planned_entry: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_exit: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<Host>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<PreArrivalOutcome>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<ShortText>,
}

// ---- 8. border_crossings --------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransportMode {
    Air,
    Road,
    Rail,
    Sea,
    River,
    Pedestrian,
}

/// An entry, an exit or a refusal of entry at a border checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BorderCrossingPayload {
    pub crossed_at: Timestamp,
    pub checkpoint: ShortText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_number: Option<DocumentNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_purpose: Option<VisitPurpose>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport: Option<TransportMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<ShortText>,
    /// A reference to the face captured at the crossing, if one was taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_capture_reference: Option<ShortText>,
}

// ---- 9. migration_registration --------------------------------------------------------------------

/// A registration at an address (its period is the record's effective period), or its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MigrationRegistrationPayload {
    pub host: Host,
    pub address: Address,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified_on: Option<Date>,
}

// ---- 10. residence_permits ------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PermitDecision {
    Pending,
    Granted,
    Refused,
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResidencePermitPayload {
    pub decision: PermitDecision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permit_number: Option<DocumentNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<RegionCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<Date>,
}

// ---- 11. work_permits -----------------------------------------------------------------------------

/// A patent or work permit; its validity is the record's effective period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkPermitPayload {
    pub number: DocumentNumber,
    pub region: RegionCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupation: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<Organisation>,
}

// ---- 12. patent_payments --------------------------------------------------------------------------

/// A monthly advance payment that keeps a patent valid; the months covered are the effective period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PatentPaymentPayload {
    pub patent_number: DocumentNumber,
    pub amount: Money,
    pub paid_on: Date,
    pub months_covered: u8,
}

// ---- 13. employment -------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmploymentPayload {
    pub employer: Organisation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupation: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<RegionCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified_on: Option<Date>,
}

// ---- 14. tax --------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaxKind {
    PersonalIncome,
    Property,
    Transport,
    PatentFixedAdvance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxPayload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxpayer_number: Option<TaxpayerNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_kind: Option<TaxKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<Date>,
}

// ---- 15. social_insurance -------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SocialInsurancePayload {
    pub social_insurance_number: SocialInsuranceNumber,
}

// ---- 16. medical_insurance ------------------------------------------------------------------------

/// A medical insurance policy; its validity is the effective period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MedicalInsurancePayload {
    pub policy_number: ShortText,
    pub insurer: ShortText,
}

// ---- 17. property ---------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertyPayload {
    pub description: ShortText,
    /// Cadastral number, vehicle identification number, hull number or licence number.
    pub identifier: ShortText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<RegionCode>,
}

// ---- 18. education --------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EducationLevel {
    School,
    Vocational,
    Bachelor,
    Master,
    Doctorate,
    LanguageCourse,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EducationPayload {
    pub institution: ShortText,
    pub country: CountryCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<EducationLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_number: Option<ShortText>,
}

// ---- 19. language_exams ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExamSubject {
    Language,
    History,
    Law,
    /// Language, history and law in one exam.
    Comprehensive,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguageExamPayload {
    pub certificate_number: ShortText,
    pub exam: ExamSubject,
    pub passed_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub testing_centre: Option<ShortText>,
}

// ---- 20. medical_exams ----------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MedicalExamKind {
    /// The full examination required of labour migrants (several tests in one).
    Comprehensive,
    Hiv,
    Tuberculosis,
    DrugUse,
    InfectiousDiseases,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExamResult {
    NoFinding,
    Finding,
    Inconclusive,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MedicalExamPayload {
    pub exam: MedicalExamKind,
    pub result: ExamResult,
    pub institution: ShortText,
    pub examined_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<ShortText>,
}

// ---- 21. offences ---------------------------------------------------------------------------------

/// An administrative offence and its fine, or the payment of that fine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OffencePayload {
    pub case_number: ShortText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fine: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_due_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<Date>,
}

// ---- 22. convictions ------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvictionPayload {
    pub court: ShortText,
    pub case_number: ShortText,
    pub decided_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<ShortText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<ShortText>,
}

// ---- 23. entry_bans -------------------------------------------------------------------------------

/// An undesirability decision, entry ban, expulsion or deportation (its validity is the effective
/// period), or the lifting of one (which names the lifted record in `supersedes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryBanPayload {
    pub decision_number: ShortText,
    pub authority: ShortText,
    pub decided_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ShortText>,
}

// ---- 24. wanted -----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WantedPayload {
    pub notice_number: ShortText,
    pub issuing_authority: ShortText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_country: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<ShortText>,
}

// ---- 25. controlled_register ----------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlledRegisterPayload {
    pub decision_number: ShortText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ShortText>,
}

macro_rules! payloads {
    ($( $variant:ident($payload:ty), )+) => {
        /// The payload of a record; which variant is decided by the record's category.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[serde(untagged)]
        pub enum Payload {
            $( $variant($payload), )+
        }

        impl Payload {
            pub fn category(&self) -> Category {
                match self {
                    $( Payload::$variant(_) => Category::$variant, )+
                }
            }

            /// Parses the payload of a record of `category` from JSON text, naming the field at fault.
            pub fn from_json(category: Category, json: &str) -> Result<Payload, crate::validation::FieldError> {
                match category {
                    $( Category::$variant => parse_with_path::<$payload>(json).map(Payload::$variant), )+
                }
            }

            /// The JSON Schema of each category's payload.
            pub fn schemas(generator: &mut schemars::SchemaGenerator) -> Vec<(Category, schemars::Schema)> {
                vec![$( (Category::$variant, generator.subschema_for::<$payload>()), )+]
            }
        }
    };
}

payloads! {
    Identity(IdentityPayload),
    Documents(DocumentPayload),
    Biometrics(BiometricsPayload),
    Contacts(ContactPayload),
    Family(FamilyPayload),
    Visas(VisaPayload),
    PreArrival(PreArrivalPayload),
    BorderCrossings(BorderCrossingPayload),
    MigrationRegistration(MigrationRegistrationPayload),
    ResidencePermits(ResidencePermitPayload),
    WorkPermits(WorkPermitPayload),
    PatentPayments(PatentPaymentPayload),
    Employment(EmploymentPayload),
    Tax(TaxPayload),
    SocialInsurance(SocialInsurancePayload),
    MedicalInsurance(MedicalInsurancePayload),
    Property(PropertyPayload),
    Education(EducationPayload),
    LanguageExams(LanguageExamPayload),
    MedicalExams(MedicalExamPayload),
    Offences(OffencePayload),
    Convictions(ConvictionPayload),
    EntryBans(EntryBanPayload),
    Wanted(WantedPayload),
    ControlledRegister(ControlledRegisterPayload),
}

fn parse_with_path<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, crate::validation::FieldError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = serde_path_to_pointer("/payload", &error.path().to_string());
        crate::validation::FieldError { path, reason: strip_json_position(&error.inner().to_string()).to_owned() }
    })
}

/// What a payload's checks may consult beyond the payload itself.
pub struct ValidationContext<'a> {
    pub kind: &'a str,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub received_on: NaiveDate,
}

/// The largest biometric template accepted inline (base64 characters).
pub const MAX_TEMPLATE_BASE64_LENGTH: usize = 128 * 1024;

/// How far ahead of its receipt an event may be dated: clocks differ, but not by days.
const EVENT_CLOCK_TOLERANCE_DAYS: i64 = 1;

impl Payload {
    /// Checks what the types alone cannot: fields required by the kind, and the order of dates.
    pub fn validate(&self, context: &ValidationContext<'_>, errors: &mut FieldErrors) {
        let kind = context.kind;
        let latest_event_day = context.received_on + chrono::Duration::days(EVENT_CLOCK_TOLERANCE_DAYS);
        let not_in_future = |errors: &mut FieldErrors, date: Option<NaiveDate>, path: &str, what: &str| {
            if let Some(date) = date
                && date > latest_event_day
            {
                errors.push(path, format!("{what} {date} is in the future"));
            }
        };
        match self {
            Payload::Identity(identity) => {
                if identity.names.is_empty() {
                    errors.push("/payload/names", "an identity record needs at least one name");
                }
                not_in_future(errors, Some(identity.birth_date.naive()), "/payload/birth_date", "birth date");
                if identity.stateless && !identity.citizenships.is_empty() {
                    errors.push("/payload/citizenships", "a stateless person has no citizenships");
                }
            }
            Payload::Documents(document) => {
                errors.order(
                    document.issued_on,
                    document.expires_on,
                    "/payload/expires_on",
                    "a document expires after it is issued",
                );
                not_in_future(errors, document.issued_on.map(Date::naive), "/payload/issued_on", "issue date");
                if kind == "lost_or_stolen" {
                    errors.require(&document.reported_on, "/payload/reported_on", kind);
                    errors.require(&document.document_kind, "/payload/document_kind", kind);
                    not_in_future(errors, document.reported_on.map(Date::naive), "/payload/reported_on", "report date");
                } else {
                    errors.require(&document.expires_on, "/payload/expires_on", kind);
                }
                if let Some(lines) = &document.mrz {
                    validate_mrz_shape(lines, errors);
                }
            }
            Payload::Biometrics(biometrics) => {
                if biometrics.quality > 100 {
                    errors.push("/payload/quality", format!("quality {} is above 100", biometrics.quality));
                }
                if biometrics.template.len() > MAX_TEMPLATE_BASE64_LENGTH {
                    errors.push(
                        "/payload/template",
                        format!("template is longer than {MAX_TEMPLATE_BASE64_LENGTH} characters"),
                    );
                }
                if !is_base64(&biometrics.template) {
                    errors.push("/payload/template", "template is not base64 (RFC 4648, standard alphabet, padded)");
                }
                not_in_future(errors, Some(biometrics.captured_at.date()), "/payload/captured_at", "capture time");
            }
            Payload::Contacts(contact) => match kind {
                "phone" => errors.require(&contact.phone, "/payload/phone", kind),
                "email" => errors.require(&contact.email, "/payload/email", kind),
                _ => errors.require(&contact.account_id, "/payload/account_id", kind),
            },
            Payload::Family(family) => {
                let mut relative_errors = FieldErrors::new();
                family.relative.validate(context.received_on, &mut relative_errors);
                for error in relative_errors.iter() {
                    errors.push(error.path.replacen("/subject", "/payload/relative", 1), error.reason.clone());
                }
            }
            Payload::Visas(visa) => {
                if kind == "issued" {
                    errors.require(&visa.visa_number, "/payload/visa_number", kind);
                    if context.effective_to.is_none() {
                        errors.push("/effective_to", "an issued visa needs the end of its validity");
                    }
                }
            }
            Payload::PreArrival(application) => {
                errors.order(
                    Some(application.planned_entry),
                    application.planned_exit,
                    "/payload/planned_exit",
                    "exit is planned after entry",
                );
                if kind == "decision" {
                    errors.require(&application.outcome, "/payload/outcome", kind);
                }
            }
            Payload::BorderCrossings(crossing) => {
                not_in_future(errors, Some(crossing.crossed_at.date()), "/payload/crossed_at", "crossing time");
                if kind == "refusal_of_entry" {
                    errors.require(&crossing.refusal_reason, "/payload/refusal_reason", kind);
                }
            }
            Payload::MigrationRegistration(_) => {}
            Payload::ResidencePermits(permit) => {
                if permit.decision == PermitDecision::Granted {
                    errors.require(&permit.permit_number, "/payload/permit_number", "residence permit granted");
                }
            }
            Payload::WorkPermits(_) => {
                if context.effective_to.is_none() {
                    errors.push("/effective_to", "a patent or work permit needs the end of its validity");
                }
            }
            Payload::PatentPayments(payment) => {
                if !(1..=12).contains(&payment.months_covered) {
                    errors.push(
                        "/payload/months_covered",
                        format!("{} months: a payment covers 1 to 12 months", payment.months_covered),
                    );
                }
                not_in_future(errors, Some(payment.paid_on.naive()), "/payload/paid_on", "payment date");
            }
            Payload::Employment(_) => {}
            Payload::Tax(tax) => match kind {
                "debt" => {
                    errors.require(&tax.amount, "/payload/amount", kind);
                    errors.require(&tax.due_on, "/payload/due_on", kind);
                }
                "payment" => {
                    errors.require(&tax.amount, "/payload/amount", kind);
                    errors.require(&tax.paid_on, "/payload/paid_on", kind);
                    not_in_future(errors, tax.paid_on.map(Date::naive), "/payload/paid_on", "payment date");
                }
                _ => errors.require(&tax.taxpayer_number, "/payload/taxpayer_number", kind),
            },
            Payload::SocialInsurance(_)
            | Payload::MedicalInsurance(_)
            | Payload::Property(_)
            | Payload::Education(_) => {}
            Payload::LanguageExams(exam) => {
                not_in_future(errors, Some(exam.passed_on.naive()), "/payload/passed_on", "exam date");
            }
            Payload::MedicalExams(exam) => {
                not_in_future(errors, Some(exam.examined_on.naive()), "/payload/examined_on", "examination date");
            }
            Payload::Offences(offence) => match kind {
                "fine_payment" => errors.require(&offence.paid_on, "/payload/paid_on", kind),
                _ => {
                    errors.require(&offence.decided_on, "/payload/decided_on", kind);
                    if offence.fine.is_some() {
                        errors.require(&offence.payment_due_on, "/payload/payment_due_on", "an offence with a fine");
                    }
                    errors.order(
                        offence.decided_on,
                        offence.payment_due_on,
                        "/payload/payment_due_on",
                        "a fine falls due after the decision",
                    );
                }
            },
            Payload::Convictions(conviction) => {
                not_in_future(errors, Some(conviction.decided_on.naive()), "/payload/decided_on", "decision date");
            }
            Payload::EntryBans(ban) => {
                not_in_future(errors, Some(ban.decided_on.naive()), "/payload/decided_on", "decision date");
            }
            Payload::Wanted(_) | Payload::ControlledRegister(_) => {}
        }
    }
}

/// The machine-readable zone must at least have the shape of one (2 or 3 lines of 30, 36 or 44
/// characters from `A-Z 0-9 <`); the check digits are the MRZ library's business.
fn validate_mrz_shape(lines: &[String], errors: &mut FieldErrors) {
    let expected_length = match lines.len() {
        2 => lines.first().map(|line| line.chars().count()).filter(|length| *length == 36 || *length == 44),
        3 => Some(30),
        count => {
            errors.push("/payload/mrz", format!("an MRZ has 2 or 3 lines, not {count}"));
            return;
        }
    };
    for (index, line) in lines.iter().enumerate() {
        let length = line.chars().count();
        match expected_length {
            Some(expected) if length != expected => {
                errors.push(
                    format!("/payload/mrz/{index}"),
                    format!("line has {length} characters; expected {expected}"),
                );
            }
            None => {
                errors.push(
                    format!("/payload/mrz/{index}"),
                    format!("line has {length} characters; a two-line MRZ has 36 or 44"),
                );
            }
            _ => {}
        }
        if let Some((position, character)) =
            line.chars().enumerate().find(|(_, character)| !matches!(character, 'A'..='Z' | '0'..='9' | '<'))
        {
            errors.push(
                format!("/payload/mrz/{index}"),
                format!("character {character:?} at position {} is not one of A-Z, 0-9, <", position + 1),
            );
        }
    }
}

fn is_base64(text: &str) -> bool {
    text.len().is_multiple_of(4)
        && text.trim_end_matches('=').bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'/')
        && text.len() - text.trim_end_matches('=').len() <= 2
}
