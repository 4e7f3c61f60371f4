//! The retention schedule: how long records of each category are kept, as configuration.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Days, Months, NaiveTime, Utc};
use hospes_model::{Category, Date, RecordEnvelope, Timestamp};
use serde::Deserialize;

/// The retention schedule shipped with Hospes (`config/retention.toml`).
pub const SHIPPED_RETENTION_TOML: &str = include_str!("../../../config/retention.toml");

/// Longest period a rule may set, in years (and 366 times that in days): longer is a typo, not policy.
pub const MAX_YEARS: u32 = 100;

/// What a retention period is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountedFrom {
    /// When Hospes received the record.
    Received,
    /// The end of the record's effective period: 00:00 UTC on the day after `effective_to`. A record
    /// without `effective_to` does not expire.
    EffectiveTo,
    /// The end of the effective period where the record has one, otherwise its receipt.
    EffectiveToOrReceived,
}

impl CountedFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::EffectiveTo => "effective_to",
            Self::EffectiveToOrReceived => "effective_to_or_received",
        }
    }
}

/// How long a record is kept after its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetentionPeriod {
    /// Days of 24 hours.
    Days(u32),
    /// Calendar years: the same date that many years later (29 February goes to 28 February).
    Years(u32),
}

/// The rule for one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RetentionRule {
    pub keep_for: RetentionPeriod,
    pub counted_from: CountedFrom,
}

impl RetentionRule {
    /// The rule in words, e.g. "kept 3 years after the end of its effective period (or its receipt)".
    pub fn describe(&self) -> String {
        let period = match self.keep_for {
            RetentionPeriod::Days(1) => "1 day".to_owned(),
            RetentionPeriod::Days(days) => format!("{days} days"),
            RetentionPeriod::Years(1) => "1 year".to_owned(),
            RetentionPeriod::Years(years) => format!("{years} years"),
        };
        let anchor = match self.counted_from {
            CountedFrom::Received => "after it was received",
            CountedFrom::EffectiveTo => "after the end of its effective period",
            CountedFrom::EffectiveToOrReceived => {
                "after the end of its effective period (or its receipt, if it has none)"
            }
        };
        format!("kept {period} {anchor}")
    }

    /// When a record under this rule expires; `None` if it has no anchor (see [`CountedFrom`]).
    pub fn expires_at(&self, effective_to: Option<Date>, received_at: Timestamp) -> Option<Timestamp> {
        let end_of = |date: Date| {
            date.naive().checked_add_days(Days::new(1)).map(|next| next.and_time(NaiveTime::MIN).and_utc())
        };
        let anchor: DateTime<Utc> = match (self.counted_from, effective_to) {
            (CountedFrom::Received, _) | (CountedFrom::EffectiveToOrReceived, None) => received_at.utc(),
            (CountedFrom::EffectiveTo | CountedFrom::EffectiveToOrReceived, Some(date)) => end_of(date)?,
            (CountedFrom::EffectiveTo, None) => return None,
        };
        // Overflow is impossible for the bounded periods and the years `Date` allows; should it
        // happen, the record is kept rather than destroyed early.
        let expiry = match self.keep_for {
            RetentionPeriod::Days(days) => anchor.checked_add_days(Days::new(u64::from(days)))?,
            RetentionPeriod::Years(years) => anchor.checked_add_months(Months::new(years.checked_mul(12)?))?,
        };
        Some(Timestamp::from_utc(expiry))
    }
}

/// Which categories expire, and when. Categories without a rule are kept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RetentionPolicy {
    rules: BTreeMap<Category, RetentionRule>,
}

/// Why a retention schedule was refused. Every message names the category and the key at fault.
#[derive(Debug, thiserror::Error)]
pub enum RetentionConfigError {
    #[error("retention schedule {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("retention schedule is not valid TOML: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("retention schedule version {0} is not supported (expected 1)")]
    Version(i64),
    #[error("retention schedule: [category.{name}] names an unknown category; known categories are {known}")]
    UnknownCategory { name: String, known: String },
    #[error("retention schedule: [category.{category}]: {reason}")]
    Rule { category: Category, reason: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RetentionFile {
    version: i64,
    #[serde(default)]
    category: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    keep_for_days: Option<i64>,
    keep_for_years: Option<i64>,
    counted_from: CountedFrom,
}

impl RetentionPolicy {
    /// Parses a schedule:
    ///
    /// ```toml
    /// version = 1
    /// [category.medical_exams]
    /// keep_for_years = 3          # or keep_for_days = 1095; exactly one of the two
    /// counted_from = "effective_to_or_received"   # or "received", "effective_to"
    /// ```
    ///
    /// Refuses unknown categories, unknown keys, a rule with neither or both periods, and periods that
    /// are zero, negative or longer than [`MAX_YEARS`].
    pub fn from_toml(text: &str) -> Result<Self, RetentionConfigError> {
        let file: RetentionFile = toml::from_str(text)?;
        if file.version != 1 {
            return Err(RetentionConfigError::Version(file.version));
        }
        let mut rules = BTreeMap::new();
        for (name, value) in file.category {
            let category = Category::parse(&name).ok_or_else(|| RetentionConfigError::UnknownCategory {
                name: name.clone(),
                known: Category::ALL.map(Category::as_str).join(", "),
            })?;
            let rule_error = |reason: String| RetentionConfigError::Rule { category, reason };
            let entry: RuleEntry =
                value.try_into().map_err(|error: toml::de::Error| rule_error(error.message().to_string()))?;
            let keep_for = match (entry.keep_for_days, entry.keep_for_years) {
                (Some(days), None) => {
                    RetentionPeriod::Days(bounded("keep_for_days", days, MAX_YEARS * 366).map_err(rule_error)?)
                }
                (None, Some(years)) => {
                    RetentionPeriod::Years(bounded("keep_for_years", years, MAX_YEARS).map_err(rule_error)?)
                }
                (None, None) => return Err(rule_error("needs `keep_for_years` or `keep_for_days`".into())),
                (Some(_), Some(_)) => {
                    return Err(rule_error("has both `keep_for_years` and `keep_for_days`; give one".into()));
                }
            };
            rules.insert(category, RetentionRule { keep_for, counted_from: entry.counted_from });
        }
        Ok(Self { rules })
    }

    /// Reads a schedule file (see [`RetentionPolicy::from_toml`]).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, RetentionConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|source| RetentionConfigError::Io { path: path.to_path_buf(), source })?;
        Self::from_toml(&text)
    }

    /// The schedule shipped with Hospes ([`SHIPPED_RETENTION_TOML`]), compiled in.
    pub fn shipped_default() -> Result<Self, RetentionConfigError> {
        Self::from_toml(SHIPPED_RETENTION_TOML)
    }

    /// The rule for `category`, if it has one.
    pub fn rule(&self, category: Category) -> Option<&RetentionRule> {
        self.rules.get(&category)
    }

    /// Every category with a rule, in the order of [`Category::ALL`].
    pub fn rules(&self) -> impl Iterator<Item = (Category, &RetentionRule)> {
        self.rules.iter().map(|(category, rule)| (*category, rule))
    }

    /// When a record of `category` expires; `None` if it is kept (no rule for its category, or no
    /// anchor under its rule).
    pub fn expires_at(
        &self,
        category: Category,
        effective_to: Option<Date>,
        received_at: Timestamp,
    ) -> Option<Timestamp> {
        self.rule(category)?.expires_at(effective_to, received_at)
    }

    /// [`RetentionPolicy::expires_at`] for a record's envelope.
    pub fn expiry_of(&self, envelope: &RecordEnvelope) -> Option<Timestamp> {
        self.expires_at(envelope.category, envelope.effective_to, envelope.received_at)
    }

    /// Whether a record of `category` has expired at `now` (its expiry instant included).
    pub fn is_expired(
        &self,
        category: Category,
        effective_to: Option<Date>,
        received_at: Timestamp,
        now: Timestamp,
    ) -> bool {
        self.expires_at(category, effective_to, received_at).is_some_and(|expiry| now >= expiry)
    }
}

/// A period from the file, which must be at least 1 and at most `max`.
fn bounded(key: &str, value: i64, max: u32) -> Result<u32, String> {
    if value < 1 {
        return Err(format!("`{key}` must be at least 1, found {value}"));
    }
    u32::try_from(value)
        .ok()
        .filter(|value| *value <= max)
        .ok_or_else(|| format!("`{key}` must be at most {max}, found {value}"))
}
