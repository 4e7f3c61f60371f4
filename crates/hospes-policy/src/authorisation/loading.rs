//! Reading, parsing and validating the policy files.
//!
//! The policies are files shipped with Hospes (`policies/` at the root of the repository): a Cedar
//! schema and `.cedar` policy files. They are embedded in the binary as the default, and an operator
//! may point Hospes at a directory of their own instead. Either way every file is parsed and validated
//! against the schema before Hospes serves a single request, and any problem stops the start with the
//! file, the line and the reason.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use cedar_policy::{PolicyId, PolicySet, Schema, ValidationMode, Validator};
use miette::Diagnostic;

/// The name of the schema file in a policy directory.
pub const SCHEMA_FILE_NAME: &str = "hospes.cedarschema";

/// The extension of a policy file in a policy directory.
pub const POLICY_FILE_EXTENSION: &str = "cedar";

/// The annotation that names a policy; every policy must have one, so that a decision can say which
/// policies granted it.
pub const POLICY_ID_ANNOTATION: &str = "id";

const EMBEDDED_SCHEMA: &str = include_str!("../../../../policies/hospes.cedarschema");

/// The policy files of `policies/`, embedded at build time. A test checks that this list and the
/// directory agree.
const EMBEDDED_POLICY_FILES: [(&str, &str); 12] = [
    ("agency_feed.cedar", include_str!("../../../../policies/agency_feed.cedar")),
    ("auditor.cedar", include_str!("../../../../policies/auditor.cedar")),
    ("border_control.cedar", include_str!("../../../../policies/border_control.cedar")),
    ("border_officer.cedar", include_str!("../../../../policies/border_officer.cedar")),
    ("conflicts_of_interest.cedar", include_str!("../../../../policies/conflicts_of_interest.cedar")),
    ("health_authority.cedar", include_str!("../../../../policies/health_authority.cedar")),
    ("migration_officer.cedar", include_str!("../../../../policies/migration_officer.cedar")),
    ("partner_state.cedar", include_str!("../../../../policies/partner_state.cedar")),
    ("person.cedar", include_str!("../../../../policies/person.cedar")),
    ("police_officer.cedar", include_str!("../../../../policies/police_officer.cedar")),
    ("status_checks.cedar", include_str!("../../../../policies/status_checks.cedar")),
    ("tax_authority.cedar", include_str!("../../../../policies/tax_authority.cedar")),
];

/// The prefix of the names of embedded files in messages, so they read like the repository's paths.
const EMBEDDED_NAME_PREFIX: &str = "policies/";

/// One file's text and the name messages give it (a path, or `policies/…` for an embedded file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySource {
    pub name: String,
    pub text: String,
}

impl PolicySource {
    /// The file name without its directory, for comparing embedded and on-disk files.
    pub fn file_name(&self) -> &str {
        self.name.rsplit(['/', '\\']).next().unwrap_or(self.name.as_str())
    }
}

/// A schema and the policy files to validate against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySources {
    pub schema: PolicySource,
    /// In file-name order, so that loading is deterministic.
    pub policies: Vec<PolicySource>,
}

impl PolicySources {
    /// The policies shipped with Hospes, as embedded in the binary.
    pub fn embedded() -> PolicySources {
        PolicySources {
            schema: PolicySource {
                name: format!("{EMBEDDED_NAME_PREFIX}{SCHEMA_FILE_NAME}"),
                text: EMBEDDED_SCHEMA.to_owned(),
            },
            policies: EMBEDDED_POLICY_FILES
                .iter()
                .map(|(name, text)| PolicySource {
                    name: format!("{EMBEDDED_NAME_PREFIX}{name}"),
                    text: (*text).to_owned(),
                })
                .collect(),
        }
    }

    /// Reads `hospes.cedarschema` and every `*.cedar` file of `directory` (not its subdirectories).
    pub fn read_directory(directory: &Path) -> Result<PolicySources, PolicyLoadError> {
        let entries = fs::read_dir(directory)
            .map_err(|source| PolicyLoadError::Directory { path: directory.to_path_buf(), source })?;
        let mut schema_path = None;
        let mut policy_paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| PolicyLoadError::Directory { path: directory.to_path_buf(), source })?;
            let path = entry.path();
            if !path.is_file() {
                continue;
            }
            if path.file_name().is_some_and(|name| name == SCHEMA_FILE_NAME) {
                schema_path = Some(path);
            } else if path.extension().is_some_and(|extension| extension == POLICY_FILE_EXTENSION) {
                policy_paths.push(path);
            }
        }
        let schema_path =
            schema_path.ok_or_else(|| PolicyLoadError::MissingSchema { path: directory.to_path_buf() })?;
        if policy_paths.is_empty() {
            return Err(PolicyLoadError::NoPolicyFiles { path: directory.to_path_buf() });
        }
        policy_paths.sort();
        Ok(PolicySources {
            schema: read_source(&schema_path)?,
            policies: policy_paths.iter().map(|path| read_source(path)).collect::<Result<_, _>>()?,
        })
    }
}

fn read_source(path: &Path) -> Result<PolicySource, PolicyLoadError> {
    let text = fs::read_to_string(path).map_err(|source| PolicyLoadError::File { path: path.to_path_buf(), source })?;
    Ok(PolicySource { name: path.display().to_string(), text })
}

/// One thing wrong with a policy or schema file, located as precisely as Cedar allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyProblem {
    pub file: String,
    /// 1-based; absent when Cedar gave no location.
    pub line: Option<usize>,
    /// 1-based, in characters.
    pub column: Option<usize>,
    pub reason: String,
}

impl PolicyProblem {
    /// Where the problem is: "file, line 3, column 7", or as much of it as is known.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}, line {line}, column {column}", self.file),
            (Some(line), None) => format!("{}, line {line}", self.file),
            _ => self.file.clone(),
        }
    }
}

impl fmt::Display for PolicyProblem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}: {}", self.location(), self.reason)
    }
}

/// Why the policies were refused; Hospes does not start with policies it cannot trust.
#[derive(Debug, thiserror::Error)]
pub enum PolicyLoadError {
    #[error("cannot read the policy directory {}: {source}", path.display())]
    Directory { path: PathBuf, source: std::io::Error },
    #[error("cannot read the policy file {}: {source}", path.display())]
    File { path: PathBuf, source: std::io::Error },
    #[error("the policy directory {} has no schema file {SCHEMA_FILE_NAME}", path.display())]
    MissingSchema { path: PathBuf },
    #[error("the policy directory {} has no .{POLICY_FILE_EXTENSION} policy file", path.display())]
    NoPolicyFiles { path: PathBuf },
    #[error("the policies were refused:\n{}", problem_lines(.0))]
    Invalid(Vec<PolicyProblem>),
    #[error("the schema {file} does not fit what Hospes sends to the policies: {reason}")]
    SchemaMismatch { file: String, reason: String },
}

impl PolicyLoadError {
    /// The problems found in the files, if that is why the policies were refused.
    pub fn problems(&self) -> &[PolicyProblem] {
        match self {
            PolicyLoadError::Invalid(problems) => problems,
            _ => &[],
        }
    }
}

fn problem_lines(problems: &[PolicyProblem]) -> String {
    problems.iter().map(|problem| format!("  {problem}")).collect::<Vec<_>>().join("\n")
}

/// Policies that parsed and validated, with their ids made unique across files.
pub(crate) struct ValidatedPolicies {
    pub(crate) schema: Schema,
    pub(crate) policies: PolicySet,
}

/// Parses the schema, then parses and validates each policy file against it, collecting every
/// problem rather than stopping at the first.
pub(crate) fn validate_sources(sources: &PolicySources) -> Result<ValidatedPolicies, PolicyLoadError> {
    let schema = match Schema::from_cedarschema_str(&sources.schema.text) {
        Ok((schema, _warnings)) => schema,
        Err(error) => {
            return Err(PolicyLoadError::Invalid(problems_from_diagnostic(&sources.schema, &error)));
        }
    };
    let validator = Validator::new(schema.clone());
    let mut problems = Vec::new();
    let mut merged = PolicySet::new();
    // Where each policy id was first defined, to name both places of a duplicate.
    let mut defined_in: Vec<(String, String)> = Vec::new();
    for source in &sources.policies {
        let file_policies = match PolicySet::from_str(&source.text) {
            Ok(policies) => policies,
            Err(errors) => {
                problems.extend(problems_from_diagnostic(source, &errors));
                continue;
            }
        };
        if file_policies.templates().next().is_some() {
            problems.push(PolicyProblem {
                file: source.name.clone(),
                line: None,
                column: None,
                reason: "policy templates are not supported: write each policy out".to_owned(),
            });
            continue;
        }
        let in_order = policies_in_file_order(source, &file_policies);
        let result = validator.validate(&file_policies, ValidationMode::Strict);
        let mut validation_problems = Vec::new();
        for error in result.validation_errors() {
            validation_problems.extend(problems_from_diagnostic(source, error));
        }
        // Cedar's warnings (a policy that can never apply, confusable or bidirectional characters)
        // all point at a policy that does not say what it seems to say: refused like errors.
        for warning in result.validation_warnings() {
            validation_problems.extend(problems_from_diagnostic(source, warning));
        }
        for problem in &mut validation_problems {
            problem.reason = name_policies_by_annotation(&problem.reason, &in_order);
        }
        problems.extend(validation_problems);
        for (policy, place) in in_order {
            let Some(id) = policy.annotation(POLICY_ID_ANNOTATION) else {
                problems.push(PolicyProblem {
                    reason: format!(
                        "the policy has no @{POLICY_ID_ANNOTATION}(\"…\") annotation; every policy needs a unique name"
                    ),
                    ..place
                });
                continue;
            };
            if let Some((_, first)) = defined_in.iter().find(|(known, _)| known == id) {
                problems
                    .push(PolicyProblem { reason: format!("the policy id \"{id}\" is also used at {first}"), ..place });
                continue;
            }
            if let Err(error) = merged.add(policy.new_id(PolicyId::new(id))) {
                problems.push(PolicyProblem { reason: error.to_string(), ..place });
                continue;
            }
            defined_in.push((id.to_owned(), place.location()));
        }
    }
    if problems.is_empty() {
        Ok(ValidatedPolicies { schema, policies: merged })
    } else {
        Err(PolicyLoadError::Invalid(problems))
    }
}

/// Cedar's messages name a policy of a file by its internal id (`policy3`); an operator knows it by
/// its `@id`.
fn name_policies_by_annotation(reason: &str, in_order: &[(&cedar_policy::Policy, PolicyProblem)]) -> String {
    let mut named = reason.to_owned();
    for (policy, _) in in_order {
        if let Some(id) = policy.annotation(POLICY_ID_ANNOTATION) {
            named = named.replace(&format!("`{}`", policy.id()), &format!("`{id}`"));
        }
    }
    named
}

/// The policies of one file in the order written, each with its place in the file. Cedar names the
/// policies of a file `policy0`, `policy1`, … in order; their text locates them.
fn policies_in_file_order<'a>(
    source: &PolicySource,
    policies: &'a PolicySet,
) -> Vec<(&'a cedar_policy::Policy, PolicyProblem)> {
    let mut ordered = Vec::new();
    let mut search_from = 0;
    for index in 0.. {
        let Some(policy) = policies.policy(&PolicyId::new(format!("policy{index}"))) else {
            break;
        };
        let text = policy.to_string();
        let offset = source.text[search_from..].find(text.as_str()).map(|found| search_from + found);
        if let Some(offset) = offset {
            search_from = offset + text.len();
        }
        let (line, column) = match offset {
            Some(offset) => {
                let (line, column) = line_and_column(&source.text, offset);
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        ordered.push((policy, PolicyProblem { file: source.name.clone(), line, column, reason: String::new() }));
    }
    ordered
}

/// One problem per error in a Cedar diagnostic (a diagnostic may carry several as `related`), each
/// located by its first labelled span.
fn problems_from_diagnostic(source: &PolicySource, diagnostic: &dyn Diagnostic) -> Vec<PolicyProblem> {
    let mut problems = vec![problem_from_one_diagnostic(source, diagnostic)];
    if let Some(related) = diagnostic.related() {
        problems.extend(related.map(|related| problem_from_one_diagnostic(source, related)));
    }
    problems
}

fn problem_from_one_diagnostic(source: &PolicySource, diagnostic: &dyn Diagnostic) -> PolicyProblem {
    let offset = diagnostic.labels().and_then(|mut labels| labels.next()).map(|label| label.offset());
    let (line, column) = match offset {
        Some(offset) if offset <= source.text.len() => {
            let (line, column) = line_and_column(&source.text, offset);
            (Some(line), Some(column))
        }
        _ => (None, None),
    };
    let mut reason = diagnostic.to_string();
    if let Some(help) = diagnostic.help() {
        reason.push_str(&format!(" ({help})"));
    }
    PolicyProblem { file: source.name.clone(), line, column, reason }
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut boundary = offset.min(text.len());
    while !text.is_char_boundary(boundary) {
        boundary -= 1;
    }
    let before = &text[..boundary];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_from_one_and_in_characters() {
        let text = "ab\nçd\nef";
        assert_eq!(line_and_column(text, 0), (1, 1));
        assert_eq!(line_and_column(text, 3), (2, 1));
        assert_eq!(line_and_column(text, 5), (2, 2));
        assert_eq!(line_and_column(text, 7), (3, 1));
    }
}
