//! Conditions on money owed: a debt unsettled after its due date, and a patent whose advance payments
//! stopped.

use chrono::{Months, NaiveDate};
use hospes_model::Payload;

use super::Finding;
use crate::status::calendar::{Calendar, Period};
use crate::status::fields::FieldId;
use crate::status::person::{Entry, PersonView};
use crate::status::reason::{day_after, kind_words, list, period};
use crate::status::selector::{Matching, Selector};

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

    pub(super) fn find(&self, view: &PersonView<'_>, calendar: &Calendar) -> Option<Finding> {
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

    pub(super) fn find(&self, view: &PersonView<'_>, calendar: &Calendar) -> Option<Finding> {
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
