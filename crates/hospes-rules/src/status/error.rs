//! What can be wrong with a rules file, said with the line to look at, so that whoever edits the
//! file can find and fix it without reading the code.

use std::ops::Range;
use std::path::PathBuf;

/// Why a rules file is refused.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The file could not be read at all.
    #[error("cannot read the status rules file {}: {source}", path.display())]
    Read {
        /// The path as given.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file was read, and something in it is wrong at `line`.
    #[error("status rules, line {line}, column {column}: {problem}")]
    Invalid {
        /// The line of the offending value, counted from 1.
        line: usize,
        /// The column of the offending value, counted from 1 in characters.
        column: usize,
        /// What is wrong there.
        problem: RulesProblem,
    },
}

impl RulesError {
    /// The line at fault, for a file that was read.
    pub fn line(&self) -> Option<usize> {
        match self {
            RulesError::Read { .. } => None,
            RulesError::Invalid { line, .. } => Some(*line),
        }
    }

    /// What is wrong, for a file that was read.
    pub fn problem(&self) -> Option<&RulesProblem> {
        match self {
            RulesError::Read { .. } => None,
            RulesError::Invalid { problem, .. } => Some(problem),
        }
    }

    /// The error for `problem` at the byte range `span` of `text`.
    pub(crate) fn at(text: &str, span: Range<usize>, problem: RulesProblem) -> RulesError {
        let (line, column) = line_and_column(text, span.start);
        RulesError::Invalid { line, column, problem }
    }
}

/// Everything a rules file can get wrong. Each names the value at fault as the file wrote it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesProblem {
    /// Not TOML, a key the format does not have, or a value of the wrong type.
    #[error("{0}")]
    Syntax(String),
    /// The file does not say which version of the rules it is.
    #[error("the version must not be empty")]
    EmptyVersion,
    /// No `[[rule]]` at all: every person would be GREEN, which is surely a mistake.
    #[error("the file has no [[rule]]")]
    NoRules,
    /// A rule id is empty or has characters other than `a-z 0-9 _ . -`.
    #[error("rule id `{0}` must be non-empty and written with a-z, 0-9, `_`, `.` and `-` only")]
    BadRuleId(String),
    /// Two rules share an id, so a fired rule could not be traced to its definition.
    #[error("rule id `{id}` is already used by the rule on line {first_line}")]
    DuplicateRuleId { id: String, first_line: usize },
    /// A colour other than red or yellow (green is what remains when no rule fires).
    #[error("colour `{0}` is not one of: red, yellow")]
    UnknownColour(String),
    /// The plain-language label is empty.
    #[error("the label must say in plain words what the rule finds")]
    EmptyLabel,
    /// A rule has no condition table, or more than one.
    #[error("a rule needs exactly one condition table, one of: {expected}; found {found}")]
    ConditionCount { expected: &'static str, found: String },
    /// Two rules test exactly the same thing (for a RED and a YELLOW rule: contradictory colours).
    #[error(
        "rule `{id}` ({colour}) has the same conditions as rule `{other_id}` ({other_colour}) on line {other_line}"
    )]
    SameConditions { id: String, colour: String, other_id: String, other_colour: String, other_line: usize },
    /// A category name that is not one of the 25.
    #[error("`{0}` is not a category; expected one of: {list}", list = category_list())]
    UnknownCategory(String),
    /// A kind the category's code list does not have.
    #[error("`{kind}` is not a kind of category `{category}`; expected one of: {expected}")]
    UnknownKind { category: String, kind: String, expected: String },
    /// A selector with an empty `kinds` list selects nothing.
    #[error("`kinds` must name at least one kind of category `{0}`")]
    NoKinds(String),
    /// A field the engine cannot read from the category's payload.
    #[error("`{field}` is not a field the rules can read from category `{category}`; expected one of: {expected}")]
    UnknownField { category: String, field: String, expected: String },
    /// A field of the wrong type for its use (a text field given as a deadline).
    #[error("field `{field}` of category `{category}` holds {actual}, but {usage} needs {expected}")]
    FieldType { category: String, field: String, actual: &'static str, usage: &'static str, expected: &'static str },
    /// Two fields paired for matching hold different types of value.
    #[error("field `{left}` holds {left_type} and field `{right}` holds {right_type}: they cannot match")]
    MatchTypes { left: String, left_type: &'static str, right: String, right_type: &'static str },
    /// A `where` value that the field never takes.
    #[error("`{value}` is not a value of field `{field}`; expected one of: {expected}")]
    UnknownFieldValue { field: String, value: String, expected: String },
    /// A `where` with no accepted values.
    #[error("`where` field `{0}` must accept at least one value")]
    NoFieldValues(String),
    /// A period that is not `N days`, `N working days` or `N months`.
    #[error("`{0}` is not a period; write `N days`, `N working days` or `N months`, e.g. `7 working days`")]
    BadPeriod(String),
    /// A deadline or grace period of zero or less.
    #[error("`{0}`: a deadline or grace period must be at least 1 day, working day or month")]
    PeriodNotPositive(String),
    /// A period so long that it is surely a typing mistake.
    #[error("`{text}` is longer than the {limit} allowed")]
    PeriodTooLong { text: String, limit: &'static str },
    /// A date that is not written `YYYY-MM-DD` or is not a day of the calendar.
    #[error("`{0}` is not a date written YYYY-MM-DD between 1900 and 2100")]
    BadDate(String),
    /// A weekday name that is not one.
    #[error("`{0}` is not a day of the week; write monday … sunday")]
    BadWeekday(String),
    /// Every day of the week is a day off: no working-day deadline would ever end.
    #[error("the weekend cannot be the whole week")]
    WholeWeekend,
    /// A day listed both as a holiday and as a working day.
    #[error("{0} is listed both as a holiday and as a working day")]
    HolidayAndWorkingDay(String),
    /// A working day by decree that is not a weekend day anyway.
    #[error("{0} is listed as a working day but is not a weekend day")]
    WorkingDayNotWeekend(String),
    /// A citizenship that is not a country code.
    #[error("{0}")]
    BadCountry(String),
    /// A person condition that says nothing, or two things at once.
    #[error("a person condition needs exactly one of `labour_migrant = true` or `citizenships = [...]`")]
    BadPersonCondition,
    /// Two deadline exceptions for the same persons.
    #[error("this exception repeats the one on line {0}")]
    DuplicateException(usize),
    /// A list that must not be empty is.
    #[error("`{0}` must not be empty")]
    EmptyList(&'static str),
    /// An identity-link kind other than `review` or `suspected_fraud`.
    #[error("`{0}` is not an identity link kind; expected one of: review, suspected_fraud")]
    UnknownLinkKind(String),
    /// The window and maximum of the stay rule do not make a rule.
    #[error("{0}")]
    StayRule(String),
}

fn category_list() -> String {
    hospes_model::Category::ALL.iter().map(|category| category.as_str()).collect::<Vec<_>>().join(", ")
}

/// Line and column (both from 1, the column in characters) of the byte `offset` of `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |position| position + 1);
    let column = before.get(line_start..).map_or(0, |part| part.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters_from_one() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_and_column(text, 0), (1, 1));
        assert_eq!(line_and_column(text, 6), (2, 1));
        // `=` after `bé `: the é is two bytes but one character.
        assert_eq!(line_and_column(text, 10), (2, 4));
        assert_eq!(line_and_column(text, 999), (3, 1));
    }
}
