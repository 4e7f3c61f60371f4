//! Reading a rules file: TOML into raw tables that remember where each value was written, then into
//! checked rules. Everything the file names (categories, kinds, fields, values, periods, dates) is
//! checked here, so that evaluation never meets a name it does not know; a problem is reported with
//! the line it is on.

use std::ops::Range;
use std::path::Path;

use chrono::{NaiveDate, Weekday};
use hospes_model::{Category, CountryCode, Date};
use toml::Spanned;

use super::IdentityLinkKind;
use super::calendar::{Calendar, Period};
use super::condition::{
    Check, Context, DeadlineException, ExpiredDocument, IdentityLink, InForce, LapsedPatent, MissingAfterEntry,
    Overstay, PersonalCover, SettledOn, Unsettled, WorkWithoutPermit,
};
use super::error::{RulesError, RulesProblem};
use super::evaluate::Colour;
use super::fields::{FieldId, FieldType};
use super::selector::{LabourMigrantDefinition, Matching, PersonPredicate, Selector};
use crate::stay::StayRule;

mod raw;

use raw::{
    CONDITIONS, RawCalendar, RawExpiredDocument, RawFile, RawIdentityLink, RawInForce, RawLabourMigrant,
    RawLapsedPatent, RawMatch, RawMissingAfterEntry, RawOverstay, RawPersons, RawRule, RawSelector, RawUnsettled,
    RawWorkWithoutPermit,
};

/// The rules shipped with Hospes, compiled in (`config/status-rules.toml`).
pub const SHIPPED_STATUS_RULES: &str = include_str!("../../../../config/status-rules.toml");

/// A checked rules file: its version, its shared definitions and its rules, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRules {
    version: String,
    pub(crate) context: Context,
    pub(crate) rules: Vec<Rule>,
}

/// One rule: when its condition holds, the person's status is at least its colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub(crate) id: String,
    pub(crate) colour: Colour,
    pub(crate) label: String,
    pub(crate) check: Check,
    /// Whether the rule applies only while the person is in the country.
    pub(crate) while_present: bool,
    /// Where the rule's id is written, for messages.
    pub(crate) line: usize,
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn colour(&self) -> Colour {
        self.colour
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    /// Whether the rule applies only while the person is in the country.
    pub fn while_present(&self) -> bool {
        self.while_present
    }
}

impl StatusRules {
    /// The rules shipped with Hospes.
    pub fn shipped_default() -> Result<StatusRules, RulesError> {
        StatusRules::from_toml(SHIPPED_STATUS_RULES)
    }

    /// Reads and checks a rules file's text.
    pub fn from_toml(text: &str) -> Result<StatusRules, RulesError> {
        let raw: RawFile = toml::from_str(text).map_err(|error| {
            let span = error.span().unwrap_or(0..0);
            RulesError::at(text, span, RulesProblem::Syntax(error.message().trim().to_string()))
        })?;
        Reader { text }.read(raw)
    }

    /// Reads and checks the rules file at `path`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<StatusRules, RulesError> {
        let path = path.as_ref();
        let text =
            std::fs::read_to_string(path).map_err(|source| RulesError::Read { path: path.to_path_buf(), source })?;
        StatusRules::from_toml(&text)
    }

    /// The version the file declares, reported with every status.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
}

// ---- checking -----------------------------------------------------------------------------------

/// Turns raw tables into rules, with the text at hand to say where a problem is.
struct Reader<'t> {
    text: &'t str,
}

type Checked<T> = Result<T, RulesError>;

impl Reader<'_> {
    fn error(&self, span: Range<usize>, problem: RulesProblem) -> RulesError {
        RulesError::at(self.text, span, problem)
    }

    fn line(&self, span: &Range<usize>) -> usize {
        self.text.get(..span.start).map_or(1, |before| before.matches('\n').count() + 1)
    }

    fn read(&self, raw: RawFile) -> Checked<StatusRules> {
        let version = raw.version.get_ref().trim().to_string();
        if version.is_empty() {
            return Err(self.error(raw.version.span(), RulesProblem::EmptyVersion));
        }
        let calendar = match raw.calendar {
            Some(calendar) => self.calendar(calendar)?,
            None => Calendar::default(),
        };
        let labour_migrant = match raw.labour_migrant {
            Some(definition) => self.labour_migrant(definition)?,
            None => LabourMigrantDefinition::default(),
        };
        if raw.rule.is_empty() {
            return Err(self.error(0..0, RulesProblem::NoRules));
        }
        let mut rules: Vec<Rule> = Vec::with_capacity(raw.rule.len());
        for raw_rule in raw.rule {
            let rule = self.rule(raw_rule)?;
            self.refuse_conflicts(&rule, &rules)?;
            rules.push(rule);
        }
        Ok(StatusRules { version, context: Context { calendar, labour_migrant }, rules })
    }

    /// Two rules with one id, or two rules that test the same thing.
    fn refuse_conflicts(&self, rule: &Rule, earlier: &[Rule]) -> Checked<()> {
        let at = |problem| RulesError::Invalid { line: rule.line, column: 1, problem };
        if let Some(first) = earlier.iter().find(|other| other.id == rule.id) {
            return Err(at(RulesProblem::DuplicateRuleId { id: rule.id.clone(), first_line: first.line }));
        }
        if let Some(other) =
            earlier.iter().find(|other| other.check == rule.check && other.while_present == rule.while_present)
        {
            return Err(at(RulesProblem::SameConditions {
                id: rule.id.clone(),
                colour: rule.colour.as_str().to_string(),
                other_id: other.id.clone(),
                other_colour: other.colour.as_str().to_string(),
                other_line: other.line,
            }));
        }
        Ok(())
    }

    fn calendar(&self, raw: RawCalendar) -> Checked<Calendar> {
        let mut weekend = [false, false, false, false, false, true, true];
        if let Some(days) = raw.weekend {
            weekend = [false; 7];
            for day in &days {
                let weekday: Weekday = day
                    .get_ref()
                    .parse()
                    .map_err(|_| self.error(day.span(), RulesProblem::BadWeekday(day.get_ref().clone())))?;
                if let Some(slot) = weekend.get_mut(weekday.num_days_from_monday() as usize) {
                    *slot = true;
                }
            }
            if weekend.iter().all(|off| *off) {
                let span = days.first().map_or(0..0, Spanned::span);
                return Err(self.error(span, RulesProblem::WholeWeekend));
            }
        }
        let holidays = raw.holidays.iter().map(|day| self.date(day)).collect::<Checked<Vec<_>>>()?;
        let mut working_days = Vec::with_capacity(raw.working_days.len());
        for day in &raw.working_days {
            let date = self.date(day)?;
            if holidays.contains(&date) {
                return Err(self.error(day.span(), RulesProblem::HolidayAndWorkingDay(date.to_string())));
            }
            working_days.push(date);
        }
        let weekends_only = Calendar::new(weekend, Vec::new(), Vec::new());
        for (day, date) in raw.working_days.iter().zip(&working_days) {
            if !weekends_only.is_weekend(*date) {
                return Err(self.error(day.span(), RulesProblem::WorkingDayNotWeekend(date.to_string())));
            }
        }
        Ok(Calendar::new(weekend, holidays, working_days))
    }

    fn date(&self, text: &Spanned<String>) -> Checked<NaiveDate> {
        Date::parse(text.get_ref().trim())
            .map(Date::naive)
            .map_err(|_| self.error(text.span(), RulesProblem::BadDate(text.get_ref().clone())))
    }

    fn labour_migrant(&self, raw: RawLabourMigrant) -> Checked<LabourMigrantDefinition> {
        let entry = if raw.declared_purposes.is_empty() {
            None
        } else {
            let category = Category::BorderCrossings;
            let field = FieldId::find(category, "declared_purpose").ok_or_else(|| {
                self.error(
                    0..0,
                    RulesProblem::UnknownField {
                        category: category.to_string(),
                        field: "declared_purpose".into(),
                        expected: FieldId::names_of(category),
                    },
                )
            })?;
            let values = self.choice_values(field, &raw.declared_purposes)?;
            Some(Selector::new(category, Selector::kind_bit(category, "entry"), vec![(field, values)]))
        };
        let records = raw.records.into_iter().map(|selector| self.selector(selector)).collect::<Checked<_>>()?;
        Ok(LabourMigrantDefinition { entry, records })
    }

    fn rule(&self, raw: RawRule) -> Checked<Rule> {
        let id = raw.id.get_ref().trim().to_string();
        let id_is_good = !id.is_empty()
            && id.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || b"_.-".contains(&byte));
        if !id_is_good {
            return Err(self.error(raw.id.span(), RulesProblem::BadRuleId(raw.id.get_ref().clone())));
        }
        let colour = match raw.colour.get_ref().as_str() {
            "red" => Colour::Red,
            "yellow" => Colour::Yellow,
            other => return Err(self.error(raw.colour.span(), RulesProblem::UnknownColour(other.to_string()))),
        };
        let label = raw.label.get_ref().trim().to_string();
        if label.is_empty() {
            return Err(self.error(raw.label.span(), RulesProblem::EmptyLabel));
        }
        let mut checks = Vec::new();
        let mut found = Vec::new();
        if let Some(condition) = raw.in_force {
            found.push("in_force");
            checks.push(self.in_force(condition)?);
        }
        if let Some(condition) = raw.overstay {
            found.push("overstay");
            checks.push(self.overstay(condition)?);
        }
        if let Some(condition) = raw.missing_after_entry {
            found.push("missing_after_entry");
            checks.push(self.missing_after_entry(condition)?);
        }
        if let Some(condition) = raw.unsettled {
            found.push("unsettled");
            checks.push(self.unsettled(condition)?);
        }
        if let Some(condition) = raw.lapsed_patent {
            found.push("lapsed_patent");
            checks.push(self.lapsed_patent(condition)?);
        }
        if let Some(condition) = raw.work_without_permit {
            found.push("work_without_permit");
            checks.push(self.work_without_permit(condition)?);
        }
        if let Some(condition) = raw.expired_document {
            found.push("expired_document");
            checks.push(self.expired_document(condition)?);
        }
        if let Some(condition) = raw.identity_link {
            found.push("identity_link");
            checks.push(self.identity_link(condition)?);
        }
        let check = match (checks.pop(), checks.is_empty()) {
            (Some(check), true) => check,
            _ => {
                let found = if found.is_empty() { "none".to_string() } else { found.join(", ") };
                return Err(self.error(raw.id.span(), RulesProblem::ConditionCount { expected: CONDITIONS, found }));
            }
        };
        Ok(Rule { id, colour, label, check, while_present: raw.while_present, line: self.line(&raw.id.span()) })
    }

    // ---- conditions ----

    fn in_force(&self, raw: RawInForce) -> Checked<Check> {
        Ok(Check::InForce(InForce { records: self.selector(raw.records)? }))
    }

    fn overstay(&self, raw: RawOverstay) -> Checked<Check> {
        let rule = StayRule::new(*raw.window_days.get_ref(), *raw.max_days.get_ref())
            .map_err(|error| self.error(raw.window_days.span(), RulesProblem::StayRule(error.to_string())))?;
        let covered_by = raw.covered_by.into_iter().map(|selector| self.selector(selector)).collect::<Checked<_>>()?;
        let mut covered_for = Vec::with_capacity(raw.covered_for.len());
        for cover in raw.covered_for {
            let span = cover.span();
            let cover = cover.into_inner();
            let persons =
                RawPersons { labour_migrant: cover.labour_migrant, citizenships: cover.citizenships, deadline: None };
            covered_for
                .push(PersonalCover { persons: self.persons(&persons, span)?, records: self.selector(cover.records)? });
        }
        Ok(Check::Overstay(Overstay { rule, covered_by, covered_for }))
    }

    fn missing_after_entry(&self, raw: RawMissingAfterEntry) -> Checked<Check> {
        let satisfied_by = self.selector(raw.satisfied_by)?;
        let deadline = self.period(&raw.deadline)?;
        let mut exceptions: Vec<(DeadlineException, usize)> = Vec::with_capacity(raw.exceptions.len());
        for raw_exception in &raw.exceptions {
            let span = raw_exception.span();
            let persons = self.persons(raw_exception.get_ref(), span.clone())?;
            let Some(deadline_text) = &raw_exception.get_ref().deadline else {
                return Err(self.error(span, RulesProblem::Syntax("an exception needs a `deadline`".into())));
            };
            let deadline = self.period(deadline_text)?;
            if let Some((_, first_line)) = exceptions.iter().find(|(earlier, _)| earlier.persons == persons) {
                return Err(self.error(span, RulesProblem::DuplicateException(*first_line)));
            }
            exceptions.push((DeadlineException { persons, deadline }, self.line(&span)));
        }
        Ok(Check::MissingAfterEntry(MissingAfterEntry {
            satisfied_by,
            deadline,
            exceptions: exceptions.into_iter().map(|(exception, _)| exception).collect(),
            since_entry: raw.since_entry,
            in_force: raw.in_force,
        }))
    }

    fn unsettled(&self, raw: RawUnsettled) -> Checked<Check> {
        let records = self.selector(raw.records)?;
        let settled_by = self.selector(raw.settled_by)?;
        let due = self.date_field(records.category, &raw.due, "`due`")?;
        let grace = raw.grace.as_ref().map(|grace| self.period(grace)).transpose()?;
        let matching = self.matching(records.category, settled_by.category, &raw.matching)?;
        let settled_on = match &raw.settled_on {
            None => None,
            Some(name) => {
                let on_debt = FieldId::find(records.category, name.get_ref());
                let on_settlement = FieldId::find(settled_by.category, name.get_ref());
                if on_debt.is_none() && on_settlement.is_none() {
                    return Err(self.unknown_field(records.category, name));
                }
                for field in [on_debt, on_settlement].into_iter().flatten() {
                    self.expect_type(field, name.span(), FieldType::Date, "`settled_on`")?;
                }
                Some(SettledOn { on_debt, on_settlement })
            }
        };
        Ok(Check::Unsettled(Unsettled { records, due, grace, settled_by, matching, settled_on }))
    }

    fn lapsed_patent(&self, raw: RawLapsedPatent) -> Checked<Check> {
        let patents = self.selector(raw.patents)?;
        let payments = self.selector(raw.payments)?;
        let matching = self.matching(patents.category, payments.category, &raw.matching)?;
        let paid_on =
            raw.paid_on.as_ref().map(|name| self.date_field(payments.category, name, "`paid_on`")).transpose()?;
        let grace = raw.grace.as_ref().map(|grace| self.period(grace)).transpose()?;
        Ok(Check::LapsedPatent(LapsedPatent { patents, payments, matching, paid_on, grace }))
    }

    fn work_without_permit(&self, raw: RawWorkWithoutPermit) -> Checked<Check> {
        let work_span = raw.work.category.span();
        let work = self.selector(raw.work)?;
        let ended_by = raw.ended_by.map(|selector| self.selector(selector)).transpose()?;
        let end_category = ended_by.as_ref().map_or(work.category, |selector| selector.category);
        let matching = self.matching(work.category, end_category, &raw.matching)?;
        if raw.permits.is_empty() {
            return Err(self.error(work_span, RulesProblem::EmptyList("permits")));
        }
        let permits = raw.permits.into_iter().map(|selector| self.selector(selector)).collect::<Checked<_>>()?;
        let mut exempt = Vec::with_capacity(raw.exempt.len());
        for persons in &raw.exempt {
            if persons.get_ref().deadline.is_some() {
                return Err(self.error(persons.span(), RulesProblem::Syntax("an exemption has no `deadline`".into())));
            }
            exempt.push(self.persons(persons.get_ref(), persons.span())?);
        }
        Ok(Check::WorkWithoutPermit(WorkWithoutPermit { work, ended_by, matching, permits, exempt }))
    }

    fn expired_document(&self, raw: RawExpiredDocument) -> Checked<Check> {
        let documents = self.selector(raw.documents)?;
        let expiry = self.date_field(documents.category, &raw.expiry, "`expiry`")?;
        let lost = raw.lost.map(|selector| self.selector(selector)).transpose()?;
        let lost_category = lost.as_ref().map_or(documents.category, |selector| selector.category);
        let matching = self.matching(documents.category, lost_category, &raw.matching)?;
        Ok(Check::ExpiredDocument(ExpiredDocument { documents, expiry, lost, matching }))
    }

    fn identity_link(&self, raw: RawIdentityLink) -> Checked<Check> {
        if raw.kinds.get_ref().is_empty() {
            return Err(self.error(raw.kinds.span(), RulesProblem::EmptyList("kinds")));
        }
        let mut kinds = Vec::new();
        for kind in raw.kinds.get_ref() {
            let parsed = IdentityLinkKind::parse(kind.get_ref())
                .ok_or_else(|| self.error(kind.span(), RulesProblem::UnknownLinkKind(kind.get_ref().clone())))?;
            kinds.push(parsed);
        }
        kinds.sort_unstable();
        kinds.dedup();
        Ok(Check::IdentityLink(IdentityLink { kinds }))
    }

    // ---- parts ----

    fn selector(&self, raw: RawSelector) -> Checked<Selector> {
        let category = Category::parse(raw.category.get_ref().trim()).ok_or_else(|| {
            self.error(raw.category.span(), RulesProblem::UnknownCategory(raw.category.get_ref().clone()))
        })?;
        if raw.kinds.get_ref().is_empty() {
            return Err(self.error(raw.kinds.span(), RulesProblem::NoKinds(category.to_string())));
        }
        let mut kinds = 0u8;
        for kind in raw.kinds.get_ref() {
            let bit = Selector::kind_bit(category, kind.get_ref());
            if bit == 0 {
                return Err(self.error(
                    kind.span(),
                    RulesProblem::UnknownKind {
                        category: category.to_string(),
                        kind: kind.get_ref().clone(),
                        expected: category.kinds().join(", "),
                    },
                ));
            }
            kinds |= bit;
        }
        let mut filters = Vec::with_capacity(raw.filters.len());
        for (name, values) in &raw.filters {
            let field = FieldId::find(category, name.get_ref()).ok_or_else(|| self.unknown_field(category, name))?;
            if !matches!(field.field_type(), FieldType::Choice | FieldType::Text) {
                return Err(self.type_error(field, name.span(), "`where`", "text or one of a list of values"));
            }
            if values.get_ref().is_empty() {
                return Err(self.error(values.span(), RulesProblem::NoFieldValues(name.get_ref().clone())));
            }
            filters.push((field, self.choice_values(field, values.get_ref())?));
        }
        Ok(Selector::new(category, kinds, filters))
    }

    /// The values given for `field`, each checked against the field's list when it has one.
    fn choice_values(&self, field: FieldId, values: &[Spanned<String>]) -> Checked<Vec<String>> {
        let known = field.spec().values;
        values
            .iter()
            .map(|value| {
                if field.field_type() == FieldType::Choice && !known.contains(&value.get_ref().as_str()) {
                    return Err(self.error(
                        value.span(),
                        RulesProblem::UnknownFieldValue {
                            field: field.name().to_string(),
                            value: value.get_ref().clone(),
                            expected: known.join(", "),
                        },
                    ));
                }
                Ok(value.get_ref().clone())
            })
            .collect()
    }

    fn matching(&self, left: Category, right: Category, raw: &RawMatch) -> Checked<Matching> {
        let mut pairs = Vec::with_capacity(raw.len());
        for (left_name, right_name) in raw {
            let left_field =
                FieldId::find(left, left_name.get_ref()).ok_or_else(|| self.unknown_field(left, left_name))?;
            let right_field =
                FieldId::find(right, right_name.get_ref()).ok_or_else(|| self.unknown_field(right, right_name))?;
            if !left_field.comparable_with(right_field) {
                return Err(self.error(
                    right_name.span(),
                    RulesProblem::MatchTypes {
                        left: left_name.get_ref().clone(),
                        left_type: left_field.field_type().describe(),
                        right: right_name.get_ref().clone(),
                        right_type: right_field.field_type().describe(),
                    },
                ));
            }
            pairs.push((left_field, right_field));
        }
        Ok(Matching::new(pairs))
    }

    fn persons(&self, raw: &RawPersons, span: Range<usize>) -> Checked<PersonPredicate> {
        match (raw.labour_migrant, &raw.citizenships) {
            (Some(true), None) => Ok(PersonPredicate::LabourMigrant),
            (None, Some(codes)) if !codes.is_empty() => {
                let mut checked = Vec::with_capacity(codes.len());
                for code in codes {
                    let parsed = CountryCode::parse(code.get_ref())
                        .map_err(|error| self.error(code.span(), RulesProblem::BadCountry(error.to_string())))?;
                    checked.push(parsed.as_str().to_string());
                }
                checked.sort_unstable();
                checked.dedup();
                Ok(PersonPredicate::Citizenship(checked))
            }
            _ => Err(self.error(span, RulesProblem::BadPersonCondition)),
        }
    }

    fn period(&self, text: &Spanned<String>) -> Checked<Period> {
        Period::parse(text.get_ref()).map_err(|problem| self.error(text.span(), problem))
    }

    fn date_field(&self, category: Category, name: &Spanned<String>, usage: &'static str) -> Checked<FieldId> {
        let field = FieldId::find(category, name.get_ref()).ok_or_else(|| self.unknown_field(category, name))?;
        self.expect_type(field, name.span(), FieldType::Date, usage)?;
        Ok(field)
    }

    fn expect_type(&self, field: FieldId, span: Range<usize>, expected: FieldType, usage: &'static str) -> Checked<()> {
        if field.field_type() == expected {
            Ok(())
        } else {
            Err(self.type_error(field, span, usage, expected.describe()))
        }
    }

    fn type_error(
        &self,
        field: FieldId,
        span: Range<usize>,
        usage: &'static str,
        expected: &'static str,
    ) -> RulesError {
        self.error(
            span,
            RulesProblem::FieldType {
                category: field.spec().category.to_string(),
                field: field.name().to_string(),
                actual: field.field_type().describe(),
                usage,
                expected,
            },
        )
    }

    fn unknown_field(&self, category: Category, name: &Spanned<String>) -> RulesError {
        self.error(
            name.span(),
            RulesProblem::UnknownField {
                category: category.to_string(),
                field: name.get_ref().clone(),
                expected: FieldId::names_of(category),
            },
        )
    }
}
