//! The conditions a rule can test. Each is a fixed kind of test (a record in force, a deadline after
//! entry, a debt unsettled after its due date, …) whose categories, kinds, fields and thresholds come
//! from the rules file. A condition reads only the categories it names, through the person's index.
//!
//! Every `find` returns `None` when the condition does not hold, and allocates only when it does.

use chrono::{Months, NaiveDate};
use hospes_model::{Category, Payload, RecordId};

use super::IdentityLinkKind;
use super::calendar::{Calendar, Period};
use super::fields::FieldId;
use super::person::{Entry, PersonView};
use super::reason::{day_after, kind_words, list, period};
use super::selector::{LabourMigrantDefinition, Matching, PersonPredicate, Selector};
use crate::stay::{Presence, StayRule};

/// What every condition may consult besides the person: the file's shared definitions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Context {
    pub calendar: Calendar,
    pub labour_migrant: LabourMigrantDefinition,
}

/// What a condition found: the records (and identity links) behind it, and the details in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub records: Vec<RecordId>,
    pub links: Vec<String>,
    pub detail: String,
}

impl Finding {
    fn of(records: Vec<RecordId>, detail: String) -> Finding {
        Finding { records, links: Vec::new(), detail }
    }
}

/// One condition of the rules file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    InForce(InForce),
    Overstay(Overstay),
    MissingAfterEntry(MissingAfterEntry),
    Unsettled(Unsettled),
    LapsedPatent(LapsedPatent),
    WorkWithoutPermit(WorkWithoutPermit),
    ExpiredDocument(ExpiredDocument),
    IdentityLink(IdentityLink),
}

impl Check {
    pub fn find(&self, view: &PersonView<'_>, context: &Context) -> Option<Finding> {
        match self {
            Check::InForce(check) => check.find(view),
            Check::Overstay(check) => check.find(view),
            Check::MissingAfterEntry(check) => check.find(view, context),
            Check::Unsettled(check) => check.find(view, &context.calendar),
            Check::LapsedPatent(check) => check.find(view, &context.calendar),
            Check::WorkWithoutPermit(check) => check.find(view, context),
            Check::ExpiredDocument(check) => check.find(view),
            Check::IdentityLink(check) => check.find(view),
        }
    }
}

/// A selected record is in force on the day (a wanted notice, an entry ban, an inclusion in the
/// controlled register); with `while_present`, only while the person is in the country. A record
/// lifted, cancelled or excluded by a later record that supersedes it no longer counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce {
    pub records: Selector,
    pub while_present: bool,
}

impl InForce {
    fn find(&self, view: &PersonView<'_>) -> Option<Finding> {
        let stay_entry = if self.while_present { Some(view.stay_entry()?) } else { None };
        let mut in_force = view.selected(&self.records).filter(|entry| entry.in_force_on(view.as_of)).peekable();
        in_force.peek()?;
        let in_force: Vec<&Entry<'_>> = in_force.collect();
        let described: Vec<String> =
            in_force.iter().map(|entry| format!("{} in force {}", kind_words(entry.kind()), period(entry))).collect();
        let mut detail = list(&described);
        let mut records: Vec<RecordId> = in_force.iter().map(|entry| entry.id()).collect();
        if let Some(stay_entry) = stay_entry {
            detail.push_str(&format!(", and the person is in the country (entered on {})", stay_entry.from));
            records.push(stay_entry.id());
        }
        Some(Finding::of(records, detail))
    }
}

/// The person is present and has spent more than the rule's maximum days in its window (90 in any
/// 180 by default), with no record in force that lets them stay longer (a visa, a permit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overstay {
    pub rule: StayRule,
    pub covered_by: Vec<Selector>,
}

impl Overstay {
    fn find(&self, view: &PersonView<'_>) -> Option<Finding> {
        let stay_entry = view.stay_entry()?;
        if self.covered_by.iter().any(|selector| view.any_in_force(selector)) {
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
        let covering: Vec<String> = self.covered_by.iter().map(Selector::describe).collect();
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

    fn find(&self, view: &PersonView<'_>, context: &Context) -> Option<Finding> {
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
            "entered on {entered}; the deadline{whose} is {deadline} after entry, that is {last_day}; no {kinds}{which} \
             is recorded",
            entered = stay_entry.from,
            kinds = self.satisfied_by.describe_kinds(),
        );
        Some(Finding::of(vec![stay_entry.id()], detail))
    }
}

/// A selected record owes something by a date in one of its fields (a fine's `payment_due_on`, a tax
/// debt's `due_on`), and nothing settles it within the grace period after that date. A debt is
/// settled by its own `settled_on` date, by a `settled_by` record that matches it and was paid by the
/// day, or by a record that supersedes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsettled {
    pub records: Selector,
    pub due: FieldId,
    pub grace: Option<Period>,
    pub settled_by: Selector,
    pub matching: Matching,
    pub settled_on: Option<SettledOn>,
}

/// The date fields that say when a debt, and a settlement, was paid (the same name in both when the
/// category is the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettledOn {
    pub on_debt: Option<FieldId>,
    pub on_settlement: Option<FieldId>,
}

impl Unsettled {
    /// The last day on which the debt may still be paid without the rule firing.
    pub fn last_day(&self, debt: &Entry<'_>, calendar: &Calendar) -> Option<NaiveDate> {
        let due = self.due.read(debt.payload()).date()?.naive();
        match self.grace {
            Some(grace) => grace.last_day_after(due, calendar),
            None => Some(due),
        }
    }

    fn paid_by(field: Option<FieldId>, entry: &Entry<'_>, day: NaiveDate) -> Option<bool> {
        let paid_on = field?.read(entry.payload()).date()?;
        Some(paid_on.naive() <= day)
    }

    fn is_settled(&self, view: &PersonView<'_>, debt: &Entry<'_>) -> bool {
        let on_debt = self.settled_on.and_then(|fields| fields.on_debt);
        if Self::paid_by(on_debt, debt, view.as_of) == Some(true) {
            return true;
        }
        let on_settlement = self.settled_on.and_then(|fields| fields.on_settlement);
        view.selected(&self.settled_by).any(|settlement| {
            settlement.id() != debt.id()
                && self.matching.matches(debt, settlement)
                && Self::paid_by(on_settlement, settlement, view.as_of) != Some(false)
        })
    }

    fn find(&self, view: &PersonView<'_>, calendar: &Calendar) -> Option<Finding> {
        let mut unpaid: Vec<(&Entry<'_>, NaiveDate)> = Vec::new();
        for debt in view.selected(&self.records) {
            let Some(last_day) = self.last_day(debt, calendar) else { continue };
            if view.as_of > last_day && !self.is_settled(view, debt) {
                unpaid.push((debt, last_day));
            }
        }
        if unpaid.is_empty() {
            return None;
        }
        let described: Vec<String> = unpaid
            .iter()
            .map(|(debt, last_day)| {
                let key = self.matching.key_of(debt).map(|key| format!(" {key}")).unwrap_or_default();
                let due = self.due.read(debt.payload()).describe().unwrap_or_default();
                let late = match self.grace {
                    Some(grace) => format!(", unpaid more than {grace} later ({last_day})"),
                    None => ", unpaid".to_string(),
                };
                format!("{}{key} due on {due}{late}", kind_words(debt.kind()))
            })
            .collect();
        Some(Finding::of(unpaid.iter().map(|(debt, _)| debt.id()).collect(), list(&described)))
    }
}

/// A selected patent in force on the day whose advance payments have stopped: from the patent's first
/// day on, every day must be covered by a matching payment made by then (a payment covers its
/// effective period, and only from the day it was paid). The patent lapses on the first day not so
/// covered, and the rule fires once the grace period after that has passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LapsedPatent {
    pub patents: Selector,
    pub payments: Selector,
    pub matching: Matching,
    pub paid_on: Option<FieldId>,
    pub grace: Option<Period>,
}

impl LapsedPatent {
    /// The days a payment covers on the view's day: from its start (or from the day it was paid, if
    /// later) to the end of its period; `None` if not yet paid on the day.
    pub fn coverage(&self, payment: &Entry<'_>, as_of: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let paid_on =
            self.paid_on.and_then(|field| field.read(payment.payload()).date()).map(hospes_model::Date::naive);
        if paid_on.is_some_and(|paid_on| paid_on > as_of) {
            return None;
        }
        let end = match (payment.to, payment.payload()) {
            (Some(to), _) => to,
            (None, Payload::PatentPayments(paid)) => {
                payment.from.checked_add_months(Months::new(u32::from(paid.months_covered)))?.pred_opt()?
            }
            (None, _) => payment.from,
        };
        Some((payment.from.max(paid_on.unwrap_or(payment.from)), end))
    }

    /// The last day paid for continuously from the patent's first day.
    pub fn paid_until(&self, view: &PersonView<'_>, patent: &Entry<'_>) -> Option<NaiveDate> {
        let mut paid_until = patent.from.pred_opt()?;
        loop {
            let next_day = day_after(paid_until);
            let extended = view
                .selected(&self.payments)
                .filter(|payment| self.matching.matches(patent, payment))
                .filter_map(|payment| self.coverage(payment, view.as_of))
                .filter(|(start, end)| *start <= next_day && *end > paid_until)
                .map(|(_, end)| end)
                .max();
            match extended {
                Some(end) => paid_until = end,
                None => return Some(paid_until),
            }
        }
    }

    fn find(&self, view: &PersonView<'_>, calendar: &Calendar) -> Option<Finding> {
        let mut lapsed = Vec::new();
        for patent in view.selected(&self.patents).filter(|patent| patent.in_force_on(view.as_of)) {
            let Some(paid_until) = self.paid_until(view, patent) else { continue };
            let last_day = match self.grace {
                Some(grace) => grace.last_day_after(paid_until, calendar),
                None => Some(paid_until),
            };
            if last_day.is_some_and(|last_day| view.as_of > last_day) {
                lapsed.push((patent, paid_until));
            }
        }
        if lapsed.is_empty() {
            return None;
        }
        let mut records = Vec::new();
        let mut described = Vec::new();
        for (patent, paid_until) in lapsed {
            records.push(patent.id());
            records.extend(
                view.selected(&self.payments).filter(|payment| self.matching.matches(patent, payment)).map(Entry::id),
            );
            let key = self.matching.key_of(patent).map(|key| format!(" {key}")).unwrap_or_default();
            let paid = if paid_until < patent.from {
                format!("no advance payment covers its first day {}", patent.from)
            } else {
                format!("paid up to {paid_until}, nothing paid for {} onwards", day_after(paid_until))
            };
            described.push(format!("{}{key} in force {}: {paid}", kind_words(patent.kind()), period(patent)));
        }
        Some(Finding::of(records, list(&described)))
    }
}

/// A selected work record (a contract, a hiring notification) is in force on the day and not ended by
/// a matching `ended_by` record (a dismissal) dated before the day, while no permit is in force and no
/// exemption holds (a citizen of a state whose citizens need no permit). With `while_present`, only
/// while the person is in the country: someone who left without a dismissal being notified is not
/// working here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkWithoutPermit {
    pub work: Selector,
    pub ended_by: Option<Selector>,
    pub matching: Matching,
    pub permits: Vec<Selector>,
    pub exempt: Vec<PersonPredicate>,
    pub while_present: bool,
}

impl WorkWithoutPermit {
    fn is_ended(&self, view: &PersonView<'_>, work: &Entry<'_>) -> bool {
        self.ended_by.as_ref().is_some_and(|ended_by| {
            view.selected(ended_by)
                .any(|end| end.from >= work.from && end.from < view.as_of && self.matching.matches(work, end))
        })
    }

    fn find(&self, view: &PersonView<'_>, context: &Context) -> Option<Finding> {
        if self.while_present && !view.is_present() {
            return None;
        }
        let mut working = view
            .selected(&self.work)
            .filter(|work| work.in_force_on(view.as_of) && !self.is_ended(view, work))
            .peekable();
        working.peek()?;
        if self.permits.iter().any(|selector| view.any_in_force(selector))
            || self.exempt.iter().any(|predicate| predicate.holds(view, &context.labour_migrant))
        {
            return None;
        }
        let working: Vec<&Entry<'_>> = working.collect();
        let described: Vec<String> = working
            .iter()
            .map(|work| {
                let key = self.matching.key_of(work).map(|key| format!(" ({key})")).unwrap_or_default();
                format!("{}{key} {}", kind_words(work.kind()), period(work))
            })
            .collect();
        let permits: Vec<String> = self.permits.iter().map(Selector::describe).collect();
        let detail = format!("{}; none of these in force: {}", list(&described), permits.join(", "));
        Some(Finding::of(working.iter().map(|work| work.id()).collect(), detail))
    }
}

/// No selected document is valid on the day and at least one has expired: its expiry field is before
/// the day. A document reported lost or stolen (a matching `lost` record) is not valid; a document
/// with no expiry date does not expire. With `while_present`, only while the person is in the country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiredDocument {
    pub documents: Selector,
    pub expiry: FieldId,
    pub lost: Option<Selector>,
    pub matching: Matching,
    pub while_present: bool,
}

impl ExpiredDocument {
    fn is_lost(&self, view: &PersonView<'_>, document: &Entry<'_>) -> bool {
        self.lost.as_ref().is_some_and(|lost| {
            view.selected(lost).any(|report| report.id() != document.id() && self.matching.matches(document, report))
        })
    }

    fn expires_on(&self, document: &Entry<'_>) -> Option<NaiveDate> {
        self.expiry.read(document.payload()).date().map(hospes_model::Date::naive)
    }

    fn find(&self, view: &PersonView<'_>) -> Option<Finding> {
        if self.while_present && !view.is_present() {
            return None;
        }
        let usable = || view.selected(&self.documents).filter(|document| !self.is_lost(view, document));
        let is_expired = |document: &Entry<'_>| self.expires_on(document).is_some_and(|expiry| expiry < view.as_of);
        if usable().any(|document| !is_expired(document)) {
            return None;
        }
        let expired: Vec<&Entry<'_>> = usable().filter(|document| is_expired(document)).collect();
        if expired.is_empty() {
            return None;
        }
        let described: Vec<String> = expired
            .iter()
            .map(|document| {
                let key = self.matching.key_of(document).map(|key| format!(" {key}")).unwrap_or_default();
                let expiry = self.expires_on(document).map(|day| day.to_string()).unwrap_or_default();
                format!("{}{key} expired on {expiry}", kind_words(document.kind()))
            })
            .collect();
        let detail = format!("{}; no valid {} is recorded", list(&described), self.documents.describe_kinds());
        Some(Finding::of(expired.iter().map(|document| document.id()).collect(), detail))
    }
}

/// An identity link of one of these kinds is unresolved on the day (resolution found two persons who
/// may be one, or signs of fraud, and no officer has decided yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityLink {
    pub kinds: Vec<IdentityLinkKind>,
}

impl IdentityLink {
    fn find(&self, view: &PersonView<'_>) -> Option<Finding> {
        let mut open = view.open_links(&self.kinds).peekable();
        open.peek()?;
        let mut links = Vec::new();
        let mut described = Vec::new();
        for link in open {
            links.push(link.link_id.clone());
            described.push(format!("{} link {} unresolved since {}", link.kind.words(), link.link_id, link.since));
        }
        Some(Finding { records: Vec::new(), links, detail: list(&described) })
    }
}
