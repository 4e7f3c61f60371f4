//! The 25 categories of person-scoped records, their sensitivity and the kinds of record each holds.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How much harm a leak of the data could do; drives encryption and which roles may read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    /// Identity, documents, travel: what a border officer sees.
    Basic,
    /// Family, address, work, property: private life.
    Personal,
    /// Payments, taxes, debts.
    Financial,
    /// Offences, entry bans, wanted notices: decisions of the state about the person.
    Law,
    /// Health, biometrics, criminal records: special categories under data-protection law, encrypted per person.
    Special,
}

impl Sensitivity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Personal => "personal",
            Self::Financial => "financial",
            Self::Law => "law",
            Self::Special => "special",
        }
    }
}

macro_rules! categories {
    ($( $variant:ident => $id:literal, $sensitivity:ident, [$($kind:literal),+ $(,)?] ; )+) => {
        /// One of the 25 categories of person-scoped records (see `system.md`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Category {
            $( $variant, )+
        }

        impl Category {
            /// Every category, in the order of `system.md`.
            pub const ALL: [Category; 25] = [$( Category::$variant, )+];

            /// The stable identifier used on the wire and in storage.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Category::$variant => $id, )+
                }
            }

            pub fn sensitivity(self) -> Sensitivity {
                match self {
                    $( Category::$variant => Sensitivity::$sensitivity, )+
                }
            }

            /// The kinds of record this category holds (its code list).
            pub fn kinds(self) -> &'static [&'static str] {
                match self {
                    $( Category::$variant => &[$($kind),+], )+
                }
            }

            pub fn parse(value: &str) -> Option<Category> {
                match value {
                    $( $id => Some(Category::$variant), )+
                    _ => None,
                }
            }
        }
    };
}

categories! {
    Identity => "identity", Basic, ["registration", "correction"];
    Documents => "documents", Basic, ["passport", "travel_document", "identity_card", "residence_card", "lost_or_stolen"];
    Biometrics => "biometrics", Special, ["face", "fingerprints"];
    Contacts => "contacts", Basic, ["phone", "email", "state_services_account"];
    Family => "family", Personal, ["spouse", "child", "parent", "dependant"];
    Visas => "visas", Basic, ["application", "issued", "refused", "revoked"];
    PreArrival => "pre_arrival", Basic, ["application", "decision"];
    BorderCrossings => "border_crossings", Basic, ["entry", "exit", "refusal_of_entry"];
    MigrationRegistration => "migration_registration", Personal, ["registration", "deregistration"];
    ResidencePermits => "residence_permits", Basic, ["temporary_residence_permit", "residence_permit", "citizenship_application"];
    WorkPermits => "work_permits", Basic, ["patent", "work_permit"];
    PatentPayments => "patent_payments", Financial, ["advance_payment"];
    Employment => "employment", Personal, ["contract", "hiring_notification", "dismissal_notification"];
    Tax => "tax", Financial, ["taxpayer_registration", "payment", "debt"];
    SocialInsurance => "social_insurance", Personal, ["registration", "pension_insurance"];
    MedicalInsurance => "medical_insurance", Personal, ["voluntary_policy", "compulsory_policy"];
    Property => "property", Personal, ["real_estate", "vehicle", "small_vessel", "driving_licence"];
    Education => "education", Personal, ["enrolment", "diploma", "recognition"];
    LanguageExams => "language_exams", Basic, ["certificate"];
    MedicalExams => "medical_exams", Special, ["examination", "medical_book"];
    Offences => "offences", Law, ["administrative_offence", "fine_payment"];
    Convictions => "convictions", Special, ["conviction", "expungement"];
    EntryBans => "entry_bans", Law, ["undesirability_decision", "entry_ban", "expulsion", "deportation", "lifting"];
    Wanted => "wanted", Law, ["national", "interstate", "international", "cancellation"];
    ControlledRegister => "controlled_register", Law, ["inclusion", "exclusion"];
}

impl fmt::Display for Category {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_round_trip_and_serde_agrees() {
        for category in Category::ALL {
            assert_eq!(Category::parse(category.as_str()), Some(category));
            let json = serde_json::to_string(&category).unwrap();
            assert_eq!(json, format!("\"{}\"", category.as_str()));
        }
        assert_eq!(Category::parse("health"), None);
    }

    #[test]
    fn the_special_categories_are_the_ones_system_md_names() {
        let special: Vec<_> =
            Category::ALL.into_iter().filter(|category| category.sensitivity() == Sensitivity::Special).collect();
        assert_eq!(special, [Category::Biometrics, Category::MedicalExams, Category::Convictions]);
    }
}
