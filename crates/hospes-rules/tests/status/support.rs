//! A person built from typed records of the real model, one helper per kind of record the rules read.

use std::collections::HashSet;

use hospes_model::payload::{
    Address, BiometricsPayload, BorderCrossingPayload, ControlledRegisterPayload, DocumentPayload, EmploymentPayload,
    EntryBanPayload, ExamResult, Host, HostKind, MedicalExamKind, MedicalExamPayload, MigrationRegistrationPayload,
    Money, OffencePayload, Organisation, PatentPaymentPayload, PermitDecision, ResidencePermitPayload, TaxKind,
    TaxPayload, TemplateFormat, VisaPayload, VisaType, VisitPurpose, WantedPayload, WorkPermitPayload,
};
use hospes_model::{
    AgencyId, Category, CountryCode, CurrencyCode, Date, DocumentNumber, Payload, Record, RecordBody, RecordEnvelope,
    RecordId, RegionCode, ShortText, SourceRecordId, Subject, Timestamp,
};
use hospes_rules::status::{IdentityLinkKind, IdentityLinkRef, StatusInput, StatusReport, StatusRules, evaluate};
use hospes_rules::trust::{TrustReport, trust_level};

pub fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn text(value: &str) -> ShortText {
    ShortText::parse(value).unwrap()
}

fn number(value: &str) -> DocumentNumber {
    DocumentNumber::parse(value).unwrap()
}

fn rub(amount_minor: u64) -> Money {
    Money { amount_minor, currency: CurrencyCode::parse("RUB").unwrap() }
}

/// A person's records, contests, overturned records and identity links.
#[derive(Default)]
pub struct Person {
    pub records: Vec<Record>,
    pub contested: HashSet<RecordId>,
    pub overturned: HashSet<RecordId>,
    pub links: Vec<IdentityLinkRef>,
    pub citizenship: Option<CountryCode>,
}

impl Person {
    pub fn new() -> Person {
        Person::default()
    }

    /// A citizen of `code`, as every record's subject says from now on.
    pub fn citizen_of(mut self, code: &str) -> Person {
        self.citizenship = Some(CountryCode::parse(code).unwrap());
        self
    }

    pub fn input(&self) -> StatusInput<'_> {
        StatusInput {
            records: &self.records,
            contested: &self.contested,
            overturned: &self.overturned,
            unresolved_identity_links: &self.links,
            known_on: None,
        }
    }

    pub fn status(&self, rules: &StatusRules, on: &str) -> StatusReport {
        evaluate(rules, &self.input(), date(on))
    }

    pub fn trust(&self, on: &str) -> TrustReport {
        trust_level(&self.input(), date(on))
    }

    /// Adds a record received at noon on its first effective day, and returns its id.
    pub fn add(&mut self, category: Category, kind: &str, from: &str, to: Option<&str>, payload: Payload) -> RecordId {
        self.add_received(category, kind, from, to, payload, from, &[])
    }

    /// Adds a record received on `received`, superseding `supersedes`.
    #[allow(clippy::too_many_arguments)]
    pub fn add_received(
        &mut self,
        category: Category,
        kind: &str,
        from: &str,
        to: Option<&str>,
        payload: Payload,
        received: &str,
        supersedes: &[RecordId],
    ) -> RecordId {
        let agency = AgencyId::parse("migration_service").unwrap();
        let source = SourceRecordId::parse(&format!("TEST-{}", self.records.len() + 1)).unwrap();
        let record_id = RecordId::derive(&agency, &source, 1);
        let envelope = RecordEnvelope {
            record_id,
            agency,
            source_record_id: source,
            source_version: 1,
            category,
            kind: kind.to_string(),
            effective_from: date(from),
            effective_to: to.map(date),
            legal_basis: text("test"),
            received_at: Timestamp::parse(&format!("{received}T12:00:00Z")).unwrap(),
            sensitivity: category.sensitivity(),
            supersedes: supersedes.to_vec(),
        };
        let subject = Subject { citizenship: self.citizenship.clone(), ..Subject::default() };
        self.records.push(Record { envelope, body: RecordBody { subject, payload } });
        record_id
    }

    pub fn link(&mut self, id: &str, kind: IdentityLinkKind, since: &str) {
        self.links.push(IdentityLinkRef { link_id: id.to_string(), kind, since: date(since) });
    }

    // ---- border crossings ----

    fn crossing_payload(day: &str, purpose: Option<VisitPurpose>, document: Option<&str>) -> BorderCrossingPayload {
        BorderCrossingPayload {
            crossed_at: Timestamp::parse(&format!("{day}T08:00:00Z")).unwrap(),
            checkpoint: text("Sheremetyevo"),
            document_number: document.map(number),
            declared_purpose: purpose,
            transport: None,
            refusal_reason: None,
            face_capture_reference: None,
        }
    }

    pub fn entry(&mut self, day: &str, purpose: VisitPurpose) -> RecordId {
        let payload = Self::crossing_payload(day, Some(purpose), Some("FA1234567"));
        self.add(Category::BorderCrossings, "entry", day, None, Payload::BorderCrossings(payload))
    }

    pub fn exit(&mut self, day: &str) -> RecordId {
        let payload = Self::crossing_payload(day, None, Some("FA1234567"));
        self.add(Category::BorderCrossings, "exit", day, None, Payload::BorderCrossings(payload))
    }

    /// An entry on `document` at which the face captured under `reference` was taken.
    pub fn entry_with_face(&mut self, day: &str, document: Option<&str>, reference: &str) -> RecordId {
        let mut payload = Self::crossing_payload(day, Some(VisitPurpose::Private), document);
        payload.face_capture_reference = Some(text(reference));
        self.add(Category::BorderCrossings, "entry", day, None, Payload::BorderCrossings(payload))
    }

    // ---- what a person does after entering ----

    pub fn registration(&mut self, day: &str) -> RecordId {
        let payload = MigrationRegistrationPayload {
            host: Host { kind: HostKind::Person, name: text("Ivanova A. P."), address: None },
            address: Address {
                region: RegionCode::parse("RU-MOW").unwrap(),
                locality: text("Moscow"),
                street: None,
                house: None,
                flat: None,
                postcode: None,
            },
            notified_on: Some(date(day)),
        };
        self.add(Category::MigrationRegistration, "registration", day, None, Payload::MigrationRegistration(payload))
    }

    pub fn medical_exam(&mut self, day: &str, valid_until: &str) -> RecordId {
        let payload = MedicalExamPayload {
            exam: MedicalExamKind::Comprehensive,
            result: ExamResult::NoFinding,
            institution: text("Moscow migration medical centre"),
            examined_on: date(day),
            finding: None,
        };
        self.add(Category::MedicalExams, "examination", day, Some(valid_until), Payload::MedicalExams(payload))
    }

    pub fn biometric(&mut self, kind: &str, day: &str, quality: u8, reference: Option<&str>) -> RecordId {
        let payload = BiometricsPayload {
            captured_at: Timestamp::parse(&format!("{day}T09:00:00Z")).unwrap(),
            capture_place: text("Moscow migration office"),
            quality,
            template_format: if kind == "face" { TemplateFormat::FaceEmbedding } else { TemplateFormat::Iso19794_2 },
            template: "AAAA".to_string(),
            image_reference: reference.map(text),
        };
        self.add(Category::Biometrics, kind, day, None, Payload::Biometrics(payload))
    }

    pub fn fingerprints(&mut self, day: &str) -> RecordId {
        self.biometric("fingerprints", day, 80, None)
    }

    pub fn passport(&mut self, document: &str, issued: &str, expires: &str) -> RecordId {
        let payload = DocumentPayload {
            number: number(document),
            issuing_country: CountryCode::parse("UZB").unwrap(),
            document_kind: None,
            issued_on: Some(date(issued)),
            expires_on: Some(date(expires)),
            issuing_authority: None,
            mrz: None,
            previous_number: None,
            reported_on: None,
        };
        self.add(Category::Documents, "passport", issued, None, Payload::Documents(payload))
    }

    pub fn lost_passport(&mut self, document: &str, reported: &str) -> RecordId {
        let payload = DocumentPayload {
            number: number(document),
            issuing_country: CountryCode::parse("UZB").unwrap(),
            document_kind: Some(hospes_model::DocumentKind::Passport),
            issued_on: None,
            expires_on: None,
            issuing_authority: None,
            mrz: None,
            previous_number: None,
            reported_on: Some(date(reported)),
        };
        self.add(Category::Documents, "lost_or_stolen", reported, None, Payload::Documents(payload))
    }

    // ---- permits and payments ----

    pub fn patent(&mut self, patent: &str, from: &str, to: &str) -> RecordId {
        let payload = WorkPermitPayload {
            number: number(patent),
            region: RegionCode::parse("RU-MOW").unwrap(),
            occupation: None,
            employer: None,
        };
        self.add(Category::WorkPermits, "patent", from, Some(to), Payload::WorkPermits(payload))
    }

    /// An advance payment for `from..=to`, paid on `paid` (and received that day).
    pub fn patent_payment(&mut self, patent: &str, from: &str, to: &str, paid: &str) -> RecordId {
        let payload = PatentPaymentPayload {
            patent_number: number(patent),
            amount: rub(780_000),
            paid_on: date(paid),
            months_covered: 1,
        };
        self.add_received(
            Category::PatentPayments,
            "advance_payment",
            from,
            Some(to),
            Payload::PatentPayments(payload),
            paid,
            &[],
        )
    }

    pub fn residence_permit(&mut self, from: &str, to: &str, decision: PermitDecision) -> RecordId {
        let payload = ResidencePermitPayload {
            decision,
            permit_number: Some(number("82123456")),
            region: None,
            decided_on: Some(date(from)),
        };
        self.add(
            Category::ResidencePermits,
            "temporary_residence_permit",
            from,
            Some(to),
            Payload::ResidencePermits(payload),
        )
    }

    pub fn visa(&mut self, from: &str, to: &str) -> RecordId {
        let payload = VisaPayload {
            visa_type: VisaType::Business,
            visa_number: Some(number("V123456")),
            entries: None,
            issuing_post: None,
            duration_of_stay_days: None,
            reason: None,
        };
        self.add(Category::Visas, "issued", from, Some(to), Payload::Visas(payload))
    }

    pub fn employment(&mut self, kind: &str, employer: &str, day: &str) -> RecordId {
        let payload = EmploymentPayload {
            employer: Organisation { name: text(employer), taxpayer_number: None },
            occupation: None,
            region: None,
            notified_on: Some(date(day)),
        };
        self.add(Category::Employment, kind, day, None, Payload::Employment(payload))
    }

    // ---- debts ----

    pub fn tax_debt(&mut self, due: &str, amount_minor: u64) -> RecordId {
        let payload = TaxPayload {
            taxpayer_number: None,
            tax_kind: Some(TaxKind::PersonalIncome),
            amount: Some(rub(amount_minor)),
            due_on: Some(date(due)),
            paid_on: None,
        };
        self.add(Category::Tax, "debt", due, None, Payload::Tax(payload))
    }

    pub fn tax_payment(&mut self, paid: &str, amount_minor: u64) -> RecordId {
        let payload = TaxPayload {
            taxpayer_number: None,
            tax_kind: Some(TaxKind::PersonalIncome),
            amount: Some(rub(amount_minor)),
            due_on: None,
            paid_on: Some(date(paid)),
        };
        self.add(Category::Tax, "payment", paid, None, Payload::Tax(payload))
    }

    pub fn offence(&mut self, case: &str, decided: &str, due: &str) -> RecordId {
        let payload = OffencePayload {
            case_number: text(case),
            article: Some(text("18.8 p.1")),
            authority: None,
            decided_on: Some(date(decided)),
            fine: Some(rub(200_000)),
            payment_due_on: Some(date(due)),
            paid_on: None,
        };
        self.add(Category::Offences, "administrative_offence", decided, None, Payload::Offences(payload))
    }

    pub fn fine_payment(&mut self, case: &str, paid: &str) -> RecordId {
        let payload = OffencePayload {
            case_number: text(case),
            article: None,
            authority: None,
            decided_on: None,
            fine: Some(rub(200_000)),
            payment_due_on: None,
            paid_on: Some(date(paid)),
        };
        self.add(Category::Offences, "fine_payment", paid, None, Payload::Offences(payload))
    }

    // ---- decisions of the state ----

    pub fn wanted(&mut self, kind: &str, day: &str) -> RecordId {
        let payload = WantedPayload {
            notice_number: text("WN-2024-000117"),
            issuing_authority: text("GU MVD"),
            issuing_country: None,
            basis: None,
        };
        self.add(Category::Wanted, kind, day, None, Payload::Wanted(payload))
    }

    /// The cancellation of `notice` on `day` (it supersedes the notice).
    pub fn cancel_wanted(&mut self, notice: RecordId, day: &str) -> RecordId {
        let payload = WantedPayload {
            notice_number: text("WN-2024-000117"),
            issuing_authority: text("GU MVD"),
            issuing_country: None,
            basis: None,
        };
        self.add_received(Category::Wanted, "cancellation", day, None, Payload::Wanted(payload), day, &[notice])
    }

    pub fn entry_ban(&mut self, kind: &str, from: &str, to: Option<&str>) -> RecordId {
        let payload = EntryBanPayload {
            decision_number: text("EB-17"),
            authority: text("Ministry of Justice"),
            decided_on: date(from),
            reason: None,
        };
        self.add(Category::EntryBans, kind, from, to, Payload::EntryBans(payload))
    }

    pub fn lift_entry_ban(&mut self, ban: RecordId, day: &str) -> RecordId {
        let payload = EntryBanPayload {
            decision_number: text("EB-17"),
            authority: text("Ministry of Justice"),
            decided_on: date(day),
            reason: None,
        };
        self.add_received(Category::EntryBans, "lifting", day, None, Payload::EntryBans(payload), day, &[ban])
    }

    pub fn register_inclusion(&mut self, day: &str) -> RecordId {
        let payload = ControlledRegisterPayload { decision_number: text("KR-2024-0000001"), reason: None };
        self.add(Category::ControlledRegister, "inclusion", day, None, Payload::ControlledRegister(payload))
    }

    pub fn register_exclusion(&mut self, inclusion: RecordId, day: &str) -> RecordId {
        let payload = ControlledRegisterPayload { decision_number: text("KR-2024-0000001"), reason: None };
        self.add_received(
            Category::ControlledRegister,
            "exclusion",
            day,
            None,
            Payload::ControlledRegister(payload),
            day,
            &[inclusion],
        )
    }
}

/// Whether `rule` fired in the report.
pub fn fired(report: &StatusReport, rule: &str) -> bool {
    report.fired.iter().any(|fired| fired.rule_id == rule)
}

/// The reason of `rule` in the report.
pub fn reason<'r>(report: &'r StatusReport, rule: &str) -> &'r str {
    report.fired.iter().find(|fired| fired.rule_id == rule).map(|fired| fired.reason.as_str()).unwrap_or("")
}

pub fn shipped() -> StatusRules {
    StatusRules::shipped_default().unwrap()
}

/// A lawful, settled visitor: entered on 2024-03-04 (a Monday) for private reasons, registered,
/// examined and fingerprinted in time, with a valid passport.
pub fn settled_visitor() -> Person {
    let mut person = Person::new();
    person.passport("FA1234567", "2020-01-10", "2030-01-09");
    person.entry("2024-03-04", VisitPurpose::Private);
    person.registration("2024-03-06");
    person.medical_exam("2024-03-20", "2025-03-19");
    person.fingerprints("2024-03-20");
    person
}
