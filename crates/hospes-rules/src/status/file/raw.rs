//! The rules file as written: TOML tables that keep the place of every value they hold, so that a
//! value found wrong later can be reported with its line. Unknown keys are refused here.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub version: Spanned<String>,
    #[serde(default)]
    pub calendar: Option<RawCalendar>,
    #[serde(default)]
    pub labour_migrant: Option<RawLabourMigrant>,
    #[serde(default)]
    pub rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    #[serde(default)]
    pub weekend: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub holidays: Vec<Spanned<String>>,
    #[serde(default)]
    pub working_days: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLabourMigrant {
    #[serde(default)]
    pub declared_purposes: Vec<Spanned<String>>,
    #[serde(default)]
    pub records: Vec<RawSelector>,
}

pub type RawNames = Spanned<Vec<Spanned<String>>>;
pub type RawMatch = BTreeMap<Spanned<String>, Spanned<String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSelector {
    pub category: Spanned<String>,
    pub kinds: RawNames,
    #[serde(default, rename = "where")]
    pub filters: BTreeMap<Spanned<String>, RawNames>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: Spanned<String>,
    pub colour: Spanned<String>,
    pub label: Spanned<String>,
    /// Only while the person is in the country.
    #[serde(default)]
    pub while_present: bool,
    pub in_force: Option<RawInForce>,
    pub overstay: Option<RawOverstay>,
    pub missing_after_entry: Option<RawMissingAfterEntry>,
    pub unsettled: Option<RawUnsettled>,
    pub lapsed_patent: Option<RawLapsedPatent>,
    pub work_without_permit: Option<RawWorkWithoutPermit>,
    pub expired_document: Option<RawExpiredDocument>,
    pub identity_link: Option<RawIdentityLink>,
}

pub const CONDITIONS: &str = "in_force, overstay, missing_after_entry, unsettled, lapsed_patent, work_without_permit, \
                          expired_document, identity_link";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInForce {
    pub records: RawSelector,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOverstay {
    pub window_days: Spanned<i64>,
    pub max_days: Spanned<i64>,
    #[serde(default)]
    pub covered_by: Vec<RawSelector>,
    #[serde(default)]
    pub covered_for: Vec<Spanned<RawPersonalCover>>,
}

/// Records that cover a stay for some persons only (exactly one of the two person conditions).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPersonalCover {
    pub labour_migrant: Option<bool>,
    pub citizenships: Option<Vec<Spanned<String>>>,
    pub records: RawSelector,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMissingAfterEntry {
    pub satisfied_by: RawSelector,
    pub deadline: Spanned<String>,
    #[serde(default)]
    pub exceptions: Vec<Spanned<RawPersons>>,
    #[serde(default)]
    pub since_entry: bool,
    #[serde(default)]
    pub in_force: bool,
}

/// Which persons (exactly one of the two), and for an exception, their deadline.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPersons {
    pub labour_migrant: Option<bool>,
    pub citizenships: Option<Vec<Spanned<String>>>,
    pub deadline: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnsettled {
    pub records: RawSelector,
    pub due: Spanned<String>,
    pub grace: Option<Spanned<String>>,
    pub settled_by: RawSelector,
    #[serde(default, rename = "match")]
    pub matching: RawMatch,
    pub settled_on: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLapsedPatent {
    pub patents: RawSelector,
    pub payments: RawSelector,
    #[serde(rename = "match")]
    pub matching: RawMatch,
    pub paid_on: Option<Spanned<String>>,
    pub grace: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkWithoutPermit {
    pub work: RawSelector,
    pub ended_by: Option<RawSelector>,
    #[serde(default, rename = "match")]
    pub matching: RawMatch,
    pub permits: Vec<RawSelector>,
    #[serde(default)]
    pub exempt: Vec<Spanned<RawPersons>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpiredDocument {
    pub documents: RawSelector,
    pub expiry: Spanned<String>,
    pub lost: Option<RawSelector>,
    #[serde(default, rename = "match")]
    pub matching: RawMatch,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIdentityLink {
    pub kinds: RawNames,
}
