//! Conditions on being in the country: a record in force (while present), an overstay, and a record
//! missing after a deadline counted from the entry that began the stay.

use chrono::NaiveDate;
use hospes_model::{Category, RecordId};

use super::{Context, Finding};
use crate::status::calendar::Period;
use crate::status::person::{Entry, PersonView};
use crate::status::reason::{kind_words, list, period};
use crate::status::selector::{PersonPredicate, Selector};
use crate::stay::{Presence, StayRule};

/// A selected record is in force on the day (a wanted notice, an entry ban, an inclusion in the
/// controlled register). A record lifted, cancelled or excluded by a later record that supersedes it
/// no longer counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce {
    pub records: Selector,
}

impl InForce {
    pub(super) fn find(&self, view: &PersonView<'_>) -> Option<Finding> {
        let mut in_force = view.selected(&self.records).filter(|entry| entry.in_force_on(view.as_of)).peekable();
        in_force.peek()?;
        let in_force: Vec<&Entry<'_>> = in_force.collect();
        let described: Vec<String> =
            in_force.iter().map(|entry| format!("{} in force {}", kind_words(entry.kind()), period(entry))).collect();
        let records: Vec<RecordId> = in_force.iter().map(|entry| entry.id()).collect();
        Some(Finding::of(records, list(&described)))
    }
}

/// The person is present and has spent more than the rule's maximum days in its window (90 in any
/// 180 by default), with no record in force that lets them stay longer: one of `covered_by` (a visa,
/// a permit, an enrolment) for anyone, or one of `covered_for` for the persons it names (an
/// employment contract for citizens of the Eurasian Economic Union).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overstay {
    pub rule: StayRule,
    pub covered_by: Vec<Selector>,
    pub covered_for: Vec<PersonalCover>,
}

/// Records that let some persons stay longer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalCover {
    pub persons: PersonPredicate,
    pub records: Selector,
}

impl Overstay {
    fn is_covered(&self, view: &PersonView<'_>, context: &Context) -> bool {
        self.covered_by.iter().any(|selector| view.any_in_force(selector))
            || self
                .covered_for
                .iter()
                .any(|cover| view.any_in_force(&cover.records) && cover.persons.holds(view, &context.labour_migrant))
    }

    pub(super) fn find(&self, view: &PersonView<'_>, context: &Context) -> Option<Finding> {
        let stay_entry = view.stay_entry()?;
        if self.is_covered(view, context) {
            return None;
        }
        let used = days_used(view, self.rule)?;
        if used <= self.rule.max_days() {
            return None;
        }
        let window_start = window_start(view.as_of, self.rule);
        let mut records: Vec<RecordId> = view
            .of(Category::BorderCrossings)
            .iter()
            .filter(|crossing| crossing.from >= window_start)
            .map(Entry::id)
            .collect();
        if !records.contains(&stay_entry.id()) {
            records.insert(0, stay_entry.id());
        }
        let covering: Vec<String> = self
            .covered_by
            .iter()
            .map(Selector::describe)
            .chain(
                self.covered_for
                    .iter()
                    .map(|cover| format!("{} for {}", cover.records.describe(), cover.persons.describe())),
            )
            .collect();
        let covering = if covering.is_empty() {
            String::new()
        } else {
            format!(", with none of these in force: {}", covering.join(", "))
        };
        let detail = format!(
            "{used} days in the country in the {window} days from {window_start} to {as_of}, {over} more than the \
             {max} allowed; in the country since {entered}{covering}",
            window = self.rule.window_days(),
            as_of = view.as_of,
            over = used - self.rule.max_days(),
            max = self.rule.max_days(),
            entered = stay_entry.from,
        );
        Some(Finding::of(records, detail))
    }
}

/// Days present in the window of `rule` ending on the view's day; `None` if the crossings cannot be
/// read as stays (which [`PersonView::stays`] prevents).
pub fn days_used(view: &PersonView<'_>, rule: StayRule) -> Option<u32> {
    let presence = Presence::from_stays(&view.stays(), Some(view.as_of)).ok()?;
    Some(presence.days_in_window_ending(view.as_of, rule))
}

fn window_start(as_of: NaiveDate, rule: StayRule) -> NaiveDate {
    as_of.checked_sub_days(chrono::Days::new(u64::from(rule.window_days().saturating_sub(1)))).unwrap_or(as_of)
}

/// While the person is present, a selected record must exist within a deadline of the entry that
/// began the stay (the address registration, the medical examination, fingerprint registration). The
/// deadline can differ by person (30 days for labour migrants, 90 for others): the first exception
/// that holds applies, else the default. With `since_entry`, only records dated on or after that
/// entry satisfy it; with `in_force`, only records in force on the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingAfterEntry {
    pub satisfied_by: Selector,
    pub deadline: Period,
    pub exceptions: Vec<DeadlineException>,
    pub since_entry: bool,
    pub in_force: bool,
}

/// A different deadline for some persons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineException {
    pub persons: PersonPredicate,
    pub deadline: Period,
}

impl MissingAfterEntry {
    /// The deadline that applies to the person on the day, and the exception it comes from.
    pub fn deadline_for(&self, view: &PersonView<'_>, context: &Context) -> (Period, Option<&DeadlineException>) {
        self.exceptions
            .iter()
            .find(|exception| exception.persons.holds(view, &context.labour_migrant))
            .map_or((self.deadline, None), |exception| (exception.deadline, Some(exception)))
    }

    /// Every deadline the rule could set, for the days on which the status may change.
    pub fn all_deadlines(&self) -> impl Iterator<Item = Period> + '_ {
        std::iter::once(self.deadline).chain(self.exceptions.iter().map(|exception| exception.deadline))
    }

    pub(super) fn find(&self, view: &PersonView<'_>, context: &Context) -> Option<Finding> {
        let stay_entry = view.stay_entry()?;
        let (deadline, exception) = self.deadline_for(view, context);
        let last_day = deadline.last_day_after(stay_entry.from, &context.calendar)?;
        if view.as_of <= last_day {
            return None;
        }
        let satisfied = view.selected(&self.satisfied_by).any(|entry| {
            (!self.since_entry || entry.from >= stay_entry.from) && (!self.in_force || entry.in_force_on(view.as_of))
        });
        if satisfied {
            return None;
        }
        let whose = exception.map(|exception| format!(" for {}", exception.persons.describe())).unwrap_or_default();
        let which = match (self.since_entry, self.in_force) {
            (true, true) => " dated since that entry and in force",
            (true, false) => " dated since that entry",
            (false, true) => " in force",
            (false, false) => "",
        };
        let detail = format!(
            "entered on {entered}; the deadline{whose} is {deadline} after entry, that is {last_day}; no {kinds} \
             record{which}",
            entered = stay_entry.from,
            kinds = self.satisfied_by.describe_kinds(),
        );
        Some(Finding::of(vec![stay_entry.id()], detail))
    }
}
