//! The agencies that feed Hospes, and the categories each may write: configuration, not code.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::category::Category;
use crate::ids::AgencyId;

/// The agency configuration shipped with Hospes (`config/agencies.toml`).
pub const DEFAULT_AGENCIES_TOML: &str = include_str!("../../../config/agencies.toml");

/// One agency and its remit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    pub id: AgencyId,
    pub name: String,
    pub categories: BTreeSet<Category>,
}

impl Agency {
    pub fn may_write(&self, category: Category) -> bool {
        self.categories.contains(&category)
    }
}

/// Every configured agency, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyRegistry {
    agencies: BTreeMap<AgencyId, Agency>,
}

/// Why an agency configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum AgencyConfigError {
    #[error("agency configuration is not valid TOML: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("agency configuration version {0} is not supported (expected 1)")]
    Version(u32),
    #[error("agency #{position}: {reason}")]
    Agency { position: usize, reason: String },
    #[error("agency '{0}' is configured twice")]
    Duplicate(String),
    #[error("no agency is configured")]
    Empty,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgencyFile {
    version: u32,
    agency: Vec<AgencyEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgencyEntry {
    id: String,
    name: String,
    categories: Vec<String>,
}

impl AgencyRegistry {
    pub fn from_toml(text: &str) -> Result<Self, AgencyConfigError> {
        let file: AgencyFile = toml::from_str(text)?;
        if file.version != 1 {
            return Err(AgencyConfigError::Version(file.version));
        }
        if file.agency.is_empty() {
            return Err(AgencyConfigError::Empty);
        }
        let mut agencies = BTreeMap::new();
        for (index, entry) in file.agency.into_iter().enumerate() {
            let position = index + 1;
            let id = AgencyId::parse(&entry.id)
                .map_err(|error| AgencyConfigError::Agency { position, reason: error.to_string() })?;
            let mut categories = BTreeSet::new();
            for name in &entry.categories {
                let category = Category::parse(name).ok_or_else(|| AgencyConfigError::Agency {
                    position,
                    reason: format!("'{}' names an unknown category '{name}'", entry.id),
                })?;
                categories.insert(category);
            }
            if categories.is_empty() {
                return Err(AgencyConfigError::Agency {
                    position,
                    reason: format!("'{}' may write no category", entry.id),
                });
            }
            let agency = Agency { id: id.clone(), name: entry.name, categories };
            if agencies.insert(id, agency).is_some() {
                return Err(AgencyConfigError::Duplicate(entry.id));
            }
        }
        Ok(Self { agencies })
    }

    /// The agencies shipped with Hospes.
    pub fn default_registry() -> Result<Self, AgencyConfigError> {
        Self::from_toml(DEFAULT_AGENCIES_TOML)
    }

    pub fn get(&self, id: &str) -> Option<&Agency> {
        AgencyId::parse(id).ok().and_then(|id| self.agencies.get(&id))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Agency> {
        self.agencies.values()
    }

    pub fn len(&self) -> usize {
        self.agencies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.agencies.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_configuration_has_every_agency_the_foundation_names() {
        let registry = AgencyRegistry::default_registry().unwrap();
        for id in [
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
        ] {
            assert!(registry.get(id).is_some(), "{id} is missing");
        }
        let covered: BTreeSet<Category> =
            registry.iter().flat_map(|agency| agency.categories.iter().copied()).collect();
        assert_eq!(covered.len(), 25, "every category has at least one agency that may write it");
        let border = registry.get("border_service").unwrap();
        assert!(border.may_write(Category::BorderCrossings));
        assert!(!border.may_write(Category::Tax));
    }

    #[test]
    fn bad_configurations_are_refused_with_the_reason() {
        let check = |text: &str, fragment: &str| {
            let error = AgencyRegistry::from_toml(text).unwrap_err().to_string();
            assert!(error.contains(fragment), "'{error}' should contain '{fragment}'");
        };
        check("version = 2\n[[agency]]\nid='a_b'\nname='x'\ncategories=['tax']", "version 2");
        check("version = 1\n[[agency]]\nid='a_b'\nname='x'\ncategories=['taxes']", "unknown category 'taxes'");
        check("version = 1\n[[agency]]\nid='A'\nname='x'\ncategories=['tax']", "agency #1");
        check(
            "version = 1\n[[agency]]\nid='ab'\nname='x'\ncategories=['tax']\n[[agency]]\nid='ab'\nname='y'\ncategories=['tax']",
            "configured twice",
        );
        check("version = 1\nagency = []", "no agency");
        check("version = ", "not valid TOML");
    }
}
