//! The payload fields a rules file may name: which category each belongs to, what it holds, and how
//! to read it from a typed payload.
//!
//! The table is the whole vocabulary of the rules: a rule names fields by these names, the file is
//! checked against the table when it is read, and evaluation reads a field through its entry without
//! looking at names again. A field the table lacks is refused with the list of those it has; adding
//! one is a line here.

use hospes_model::payload::{
    ExamResult, MedicalExamKind, Money, PermitDecision, PreArrivalOutcome, TaxKind, VisaType, VisitPurpose,
};
use hospes_model::{
    Category, CountryCode, Date, DocumentKind, DocumentNumber, OrganisationTaxpayerNumber, Payload, ShortText,
    TaxpayerNumber,
};

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Date,
    /// Free text, a number or an identifier, compared exactly.
    Text,
    /// One of a fixed list of values (the field's `values`).
    Choice,
    /// An amount of money with its currency.
    Money,
}

impl FieldType {
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::Date => "a date",
            FieldType::Text => "text",
            FieldType::Choice => "one of a list of values",
            FieldType::Money => "an amount of money",
        }
    }

    /// Whether values of the two types can be compared for equality.
    fn comparable(self, other: FieldType) -> bool {
        let text_like = |field_type| matches!(field_type, FieldType::Text | FieldType::Choice);
        self == other || (text_like(self) && text_like(other))
    }
}

/// A field's value in one payload. Reading allocates nothing: text borrows from the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldValue<'a> {
    Absent,
    Date(Date),
    Text(&'a str),
    Money(u64, &'a str),
}

impl<'a> FieldValue<'a> {
    pub fn date(self) -> Option<Date> {
        match self {
            FieldValue::Date(date) => Some(date),
            _ => None,
        }
    }

    /// The value as a reason would write it.
    pub fn describe(self) -> Option<String> {
        match self {
            FieldValue::Absent => None,
            FieldValue::Date(date) => Some(date.to_string()),
            FieldValue::Text(text) => Some(text.replace('_', " ")),
            FieldValue::Money(minor, currency) => Some(format!("{}.{:02} {currency}", minor / 100, minor % 100)),
        }
    }
}

impl From<Option<Date>> for FieldValue<'_> {
    fn from(date: Option<Date>) -> Self {
        date.map_or(FieldValue::Absent, FieldValue::Date)
    }
}

/// The parsed text types of the model, read as the text they hold.
trait AsText {
    fn as_text(&self) -> &str;
}

macro_rules! as_text {
    ($($type:ty),+) => {
        $(impl AsText for $type {
            fn as_text(&self) -> &str {
                self.as_str()
            }
        })+
    };
}

as_text!(ShortText, DocumentNumber, CountryCode, TaxpayerNumber, OrganisationTaxpayerNumber);

fn text<T: AsText>(value: Option<&T>) -> FieldValue<'_> {
    value.map_or(FieldValue::Absent, |value| FieldValue::Text(value.as_text()))
}

fn money(value: Option<&Money>) -> FieldValue<'_> {
    value.map_or(FieldValue::Absent, |money| FieldValue::Money(money.amount_minor, money.currency.as_str()))
}

/// One readable field.
pub struct FieldSpec {
    pub category: Category,
    pub name: &'static str,
    pub field_type: FieldType,
    /// For [`FieldType::Choice`]: every value the field takes, as the wire format writes it.
    pub values: &'static [&'static str],
    read: for<'p> fn(&'p Payload) -> FieldValue<'p>,
}

/// A field of the table, found once when the file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldId(usize);

impl FieldId {
    /// The field `name` of `category`, if the table has it.
    pub fn find(category: Category, name: &str) -> Option<FieldId> {
        FIELDS.iter().position(|spec| spec.category == category && spec.name == name).map(FieldId)
    }

    /// The names of the fields of `category`, for an error message.
    pub fn names_of(category: Category) -> String {
        let names: Vec<&str> = FIELDS.iter().filter(|spec| spec.category == category).map(|spec| spec.name).collect();
        if names.is_empty() { "(none: the rules read no field of this category)".to_string() } else { names.join(", ") }
    }

    pub fn spec(self) -> &'static FieldSpec {
        // Every FieldId comes from `find`, so the index is in range; the fallback keeps this total.
        FIELDS.get(self.0).unwrap_or(&FIELDS[0])
    }

    /// The field's value in `payload`; `Absent` when the payload is of another category.
    pub fn read(self, payload: &Payload) -> FieldValue<'_> {
        (self.spec().read)(payload)
    }

    /// The field's place in the table, to order fields canonically.
    pub fn index(self) -> usize {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn field_type(self) -> FieldType {
        self.spec().field_type
    }

    /// Whether this field's values can be compared with `other`'s.
    pub fn comparable_with(self, other: FieldId) -> bool {
        self.field_type().comparable(other.field_type())
    }
}

fn permit_decision(decision: PermitDecision) -> &'static str {
    match decision {
        PermitDecision::Pending => "pending",
        PermitDecision::Granted => "granted",
        PermitDecision::Refused => "refused",
        PermitDecision::Revoked => "revoked",
    }
}

fn tax_kind(kind: TaxKind) -> &'static str {
    match kind {
        TaxKind::PersonalIncome => "personal_income",
        TaxKind::Property => "property",
        TaxKind::Transport => "transport",
        TaxKind::PatentFixedAdvance => "patent_fixed_advance",
    }
}

fn visit_purpose(purpose: VisitPurpose) -> &'static str {
    match purpose {
        VisitPurpose::Work => "work",
        VisitPurpose::Study => "study",
        VisitPurpose::Private => "private",
        VisitPurpose::Business => "business",
        VisitPurpose::Tourism => "tourism",
        VisitPurpose::Transit => "transit",
        VisitPurpose::Official => "official",
        VisitPurpose::Humanitarian => "humanitarian",
        VisitPurpose::Family => "family",
    }
}

fn exam_result(result: ExamResult) -> &'static str {
    match result {
        ExamResult::NoFinding => "no_finding",
        ExamResult::Finding => "finding",
        ExamResult::Inconclusive => "inconclusive",
    }
}

fn medical_exam_kind(kind: MedicalExamKind) -> &'static str {
    match kind {
        MedicalExamKind::Comprehensive => "comprehensive",
        MedicalExamKind::Hiv => "hiv",
        MedicalExamKind::Tuberculosis => "tuberculosis",
        MedicalExamKind::DrugUse => "drug_use",
        MedicalExamKind::InfectiousDiseases => "infectious_diseases",
    }
}

fn visa_type(visa_type: VisaType) -> &'static str {
    match visa_type {
        VisaType::Private => "private",
        VisaType::Business => "business",
        VisaType::Tourist => "tourist",
        VisaType::Study => "study",
        VisaType::Work => "work",
        VisaType::Humanitarian => "humanitarian",
        VisaType::Transit => "transit",
        VisaType::Official => "official",
    }
}

fn pre_arrival_outcome(outcome: PreArrivalOutcome) -> &'static str {
    match outcome {
        PreArrivalOutcome::Clear => "clear",
        PreArrivalOutcome::ReferToOfficer => "refer_to_officer",
        PreArrivalOutcome::Refused => "refused",
    }
}

fn choice(value: Option<&'static str>) -> FieldValue<'static> {
    value.map_or(FieldValue::Absent, FieldValue::Text)
}

const PERMIT_DECISIONS: &[&str] = &["pending", "granted", "refused", "revoked"];
const TAX_KINDS: &[&str] = &["personal_income", "property", "transport", "patent_fixed_advance"];
const VISIT_PURPOSES: &[&str] =
    &["work", "study", "private", "business", "tourism", "transit", "official", "humanitarian", "family"];
const EXAM_RESULTS: &[&str] = &["no_finding", "finding", "inconclusive"];
const MEDICAL_EXAM_KINDS: &[&str] = &["comprehensive", "hiv", "tuberculosis", "drug_use", "infectious_diseases"];
const VISA_TYPES: &[&str] = &["private", "business", "tourist", "study", "work", "humanitarian", "transit", "official"];
const PRE_ARRIVAL_OUTCOMES: &[&str] = &["clear", "refer_to_officer", "refused"];
const DOCUMENT_KINDS: &[&str] =
    &["passport", "travel_document", "identity_card", "residence_card", "birth_certificate"];

/// `field!(Category, "name", Type, |payload| read)`, reading `Absent` from payloads of other categories.
macro_rules! field {
    ($variant:ident, $name:literal, $field_type:ident, $values:expr, |$payload:ident| $read:expr) => {
        FieldSpec {
            category: Category::$variant,
            name: $name,
            field_type: FieldType::$field_type,
            values: $values,
            read: |payload| match payload {
                Payload::$variant($payload) => $read,
                _ => FieldValue::Absent,
            },
        }
    };
    ($variant:ident, $name:literal, $field_type:ident, |$payload:ident| $read:expr) => {
        field!($variant, $name, $field_type, &[], |$payload| $read)
    };
}

static FIELDS: &[FieldSpec] = &[
    field!(Documents, "number", Text, |document| FieldValue::Text(document.number.as_str())),
    field!(Documents, "issuing_country", Text, |document| FieldValue::Text(document.issuing_country.as_str())),
    field!(Documents, "document_kind", Choice, DOCUMENT_KINDS, |document| choice(
        document.document_kind.map(DocumentKind::as_str)
    )),
    field!(Documents, "issued_on", Date, |document| document.issued_on.into()),
    field!(Documents, "expires_on", Date, |document| document.expires_on.into()),
    field!(Documents, "reported_on", Date, |document| document.reported_on.into()),
    field!(Visas, "visa_type", Choice, VISA_TYPES, |visa| FieldValue::Text(visa_type(visa.visa_type))),
    field!(Visas, "visa_number", Text, |visa| text(visa.visa_number.as_ref())),
    field!(PreArrival, "purpose", Choice, VISIT_PURPOSES, |application| FieldValue::Text(visit_purpose(
        application.purpose
    ))),
    field!(PreArrival, "outcome", Choice, PRE_ARRIVAL_OUTCOMES, |application| choice(
        application.outcome.map(pre_arrival_outcome)
    )),
    field!(BorderCrossings, "declared_purpose", Choice, VISIT_PURPOSES, |crossing| choice(
        crossing.declared_purpose.map(visit_purpose)
    )),
    field!(BorderCrossings, "document_number", Text, |crossing| text(crossing.document_number.as_ref())),
    field!(BorderCrossings, "checkpoint", Text, |crossing| FieldValue::Text(crossing.checkpoint.as_str())),
    field!(MigrationRegistration, "notified_on", Date, |registration| registration.notified_on.into()),
    field!(ResidencePermits, "decision", Choice, PERMIT_DECISIONS, |permit| FieldValue::Text(permit_decision(
        permit.decision
    ))),
    field!(ResidencePermits, "permit_number", Text, |permit| text(permit.permit_number.as_ref())),
    field!(ResidencePermits, "decided_on", Date, |permit| permit.decided_on.into()),
    field!(WorkPermits, "number", Text, |permit| FieldValue::Text(permit.number.as_str())),
    field!(WorkPermits, "region", Text, |permit| FieldValue::Text(permit.region.as_str())),
    field!(PatentPayments, "patent_number", Text, |payment| FieldValue::Text(payment.patent_number.as_str())),
    field!(PatentPayments, "paid_on", Date, |payment| FieldValue::Date(payment.paid_on)),
    field!(PatentPayments, "amount", Money, |payment| money(Some(&payment.amount))),
    field!(Employment, "employer_name", Text, |employment| FieldValue::Text(employment.employer.name.as_str())),
    field!(Employment, "employer_taxpayer_number", Text, |employment| text(
        employment.employer.taxpayer_number.as_ref()
    )),
    field!(Employment, "notified_on", Date, |employment| employment.notified_on.into()),
    field!(Tax, "taxpayer_number", Text, |tax| text(tax.taxpayer_number.as_ref())),
    field!(Tax, "tax_kind", Choice, TAX_KINDS, |tax| choice(tax.tax_kind.map(tax_kind))),
    field!(Tax, "amount", Money, |tax| money(tax.amount.as_ref())),
    field!(Tax, "due_on", Date, |tax| tax.due_on.into()),
    field!(Tax, "paid_on", Date, |tax| tax.paid_on.into()),
    field!(MedicalExams, "exam", Choice, MEDICAL_EXAM_KINDS, |exam| FieldValue::Text(medical_exam_kind(exam.exam))),
    field!(MedicalExams, "result", Choice, EXAM_RESULTS, |exam| FieldValue::Text(exam_result(exam.result))),
    field!(MedicalExams, "examined_on", Date, |exam| FieldValue::Date(exam.examined_on)),
    field!(Offences, "case_number", Text, |offence| FieldValue::Text(offence.case_number.as_str())),
    field!(Offences, "article", Text, |offence| text(offence.article.as_ref())),
    field!(Offences, "decided_on", Date, |offence| offence.decided_on.into()),
    field!(Offences, "fine", Money, |offence| money(offence.fine.as_ref())),
    field!(Offences, "payment_due_on", Date, |offence| offence.payment_due_on.into()),
    field!(Offences, "paid_on", Date, |offence| offence.paid_on.into()),
    field!(Convictions, "decided_on", Date, |conviction| FieldValue::Date(conviction.decided_on)),
    field!(EntryBans, "decision_number", Text, |ban| FieldValue::Text(ban.decision_number.as_str())),
    field!(EntryBans, "decided_on", Date, |ban| FieldValue::Date(ban.decided_on)),
    field!(Wanted, "notice_number", Text, |notice| FieldValue::Text(notice.notice_number.as_str())),
    field!(Wanted, "issuing_country", Text, |notice| text(notice.issuing_country.as_ref())),
    field!(ControlledRegister, "decision_number", Text, |entry| FieldValue::Text(entry.decision_number.as_str())),
    field!(LanguageExams, "passed_on", Date, |exam| FieldValue::Date(exam.passed_on)),
    field!(MedicalInsurance, "policy_number", Text, |policy| FieldValue::Text(policy.policy_number.as_str())),
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    /// The wire name of an enum value, as serde writes it.
    fn wire<T: Serialize>(value: T) -> String {
        serde_json::to_value(value).ok().and_then(|value| value.as_str().map(str::to_string)).unwrap_or_default()
    }

    #[test]
    fn choice_values_are_the_wire_names() {
        use PermitDecision as D;
        for value in [D::Pending, D::Granted, D::Refused, D::Revoked] {
            assert_eq!(permit_decision(value), wire(value));
            assert!(PERMIT_DECISIONS.contains(&permit_decision(value)));
        }
        for value in [TaxKind::PersonalIncome, TaxKind::Property, TaxKind::Transport, TaxKind::PatentFixedAdvance] {
            assert_eq!(tax_kind(value), wire(value));
            assert!(TAX_KINDS.contains(&tax_kind(value)));
        }
        use VisitPurpose as P;
        for value in [
            P::Work,
            P::Study,
            P::Private,
            P::Business,
            P::Tourism,
            P::Transit,
            P::Official,
            P::Humanitarian,
            P::Family,
        ] {
            assert_eq!(visit_purpose(value), wire(value));
            assert!(VISIT_PURPOSES.contains(&visit_purpose(value)));
        }
        for value in [ExamResult::NoFinding, ExamResult::Finding, ExamResult::Inconclusive] {
            assert_eq!(exam_result(value), wire(value));
            assert!(EXAM_RESULTS.contains(&exam_result(value)));
        }
        use MedicalExamKind as M;
        for value in [M::Comprehensive, M::Hiv, M::Tuberculosis, M::DrugUse, M::InfectiousDiseases] {
            assert_eq!(medical_exam_kind(value), wire(value));
            assert!(MEDICAL_EXAM_KINDS.contains(&medical_exam_kind(value)));
        }
        use VisaType as V;
        for value in [V::Private, V::Business, V::Tourist, V::Study, V::Work, V::Humanitarian, V::Transit, V::Official]
        {
            assert_eq!(visa_type(value), wire(value));
            assert!(VISA_TYPES.contains(&visa_type(value)));
        }
        for value in [PreArrivalOutcome::Clear, PreArrivalOutcome::ReferToOfficer, PreArrivalOutcome::Refused] {
            assert_eq!(pre_arrival_outcome(value), wire(value));
            assert!(PRE_ARRIVAL_OUTCOMES.contains(&pre_arrival_outcome(value)));
        }
        use DocumentKind as K;
        for value in [K::Passport, K::TravelDocument, K::IdentityCard, K::ResidenceCard, K::BirthCertificate] {
            assert_eq!(value.as_str(), wire(value));
            assert!(DOCUMENT_KINDS.contains(&value.as_str()));
        }
    }

    #[test]
    fn every_field_is_found_by_its_category_and_name_only() {
        for (index, spec) in FIELDS.iter().enumerate() {
            assert_eq!(FieldId::find(spec.category, spec.name), Some(FieldId(index)), "{}", spec.name);
            assert_eq!(spec.field_type == FieldType::Choice, !spec.values.is_empty(), "{}", spec.name);
        }
        assert_eq!(FieldId::find(Category::Wanted, "expires_on"), None);
        assert!(FieldId::names_of(Category::Offences).contains("payment_due_on"));
    }
}
