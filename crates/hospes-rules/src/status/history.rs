//! Status over time: the days on which it changes, and why.
//!
//! A status changes only when something it is computed from changes: a record begins to count
//! (received, or its effective period begins) or ends (its period ends), a deadline passes, a document
//! expires, a payment runs out, a link is raised, or an overstay begins. Those days are computed from
//! the records and the rules, and the status is evaluated on each of them, not on every day in
//! between; a test compares the result with a day-by-day evaluation.

use chrono::{Days, NaiveDate};
use hospes_model::{Category, Date, Record};
use serde::Serialize;

use super::StatusInput;
use super::calendar::{Calendar, Period};
use super::condition::{Check, Overstay};
use super::evaluate::{Colour, FiredRule, colour_of, fire};
use super::fields::FieldId;
use super::file::StatusRules;
use super::person::PersonView;
use crate::stay::Presence;

/// How the status changed on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    pub on: Date,
    pub colour: Colour,
    /// The colour the day before; `None` for the first day of the history.
    pub previous_colour: Option<Colour>,
    /// The rules that began to fire that day (or fire on other records), with their reasons.
    pub started: Vec<FiredRule>,
    /// The rules that stopped firing that day, as they were the day before.
    pub stopped: Vec<FiredRule>,
}

/// The status from one day to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusHistory {
    pub from: Date,
    pub to: Date,
    pub rules_version: String,
    /// The status on `from`, then every change up to `to`, in date order.
    pub changes: Vec<StatusChange>,
}

/// Every change of colour or of the rules that fire between `from` and `to` (both counted). The first
/// change is the status on `from`.
pub fn status_history(rules: &StatusRules, input: &StatusInput<'_>, from: Date, to: Date) -> StatusHistory {
    let start = from.naive();
    let end = to.naive().max(start);
    let mut changes = Vec::new();
    let mut previous: Option<(Colour, Vec<FiredRule>)> = None;
    let days =
        std::iter::once(start).chain(change_days(rules, input).into_iter().filter(|day| *day > start && *day <= end));
    for day in days {
        let Ok(on) = Date::from_naive(day) else { continue };
        let fired = fire(rules, &PersonView::new(input, day));
        let colour = colour_of(&fired);
        let change = match &previous {
            None => {
                Some(StatusChange { on, colour, previous_colour: None, started: fired.clone(), stopped: Vec::new() })
            }
            Some((previous_colour, previous_fired)) => {
                let started: Vec<FiredRule> = fired
                    .iter()
                    .filter(|rule| !previous_fired.iter().any(|before| before.same_firing(rule)))
                    .cloned()
                    .collect();
                let stopped: Vec<FiredRule> = previous_fired
                    .iter()
                    .filter(|before| !fired.iter().any(|rule| rule.same_firing(before)))
                    .cloned()
                    .collect();
                let changed = colour != *previous_colour || !started.is_empty() || !stopped.is_empty();
                changed.then_some(StatusChange {
                    on,
                    colour,
                    previous_colour: Some(*previous_colour),
                    started,
                    stopped,
                })
            }
        };
        changes.extend(change);
        previous = Some((colour, fired));
    }
    StatusHistory { from, to: Date::from_naive(end).unwrap_or(to), rules_version: rules.version().to_string(), changes }
}

/// The first day after `after` on which the status (its colour or the rules that fire) will differ
/// from that of `after` if no other record arrives: when a stored status must be recomputed anyway.
/// `None` if it never changes on the records held.
pub fn next_change(rules: &StatusRules, input: &StatusInput<'_>, after: Date) -> Option<Date> {
    let after = after.naive();
    let now = fire(rules, &PersonView::new(input, after));
    let differs = |fired: &[FiredRule]| {
        fired.len() != now.len() || fired.iter().zip(&now).any(|(later, current)| !later.same_firing(current))
    };
    change_days(rules, input)
        .into_iter()
        .filter(|day| *day > after)
        .find(|day| differs(&fire(rules, &PersonView::new(input, *day))))
        .and_then(|day| Date::from_naive(day).ok())
}

/// Every day on which the status may differ from the day before, sorted, without repeats.
fn change_days(rules: &StatusRules, input: &StatusInput<'_>) -> Vec<NaiveDate> {
    let mut days = Vec::new();
    for record in input.records.iter().filter(|record| !input.overturned.contains(&record.envelope.record_id)) {
        let envelope = &record.envelope;
        let counted_from = match input.known_on {
            Some(_) => envelope.effective_from.naive(),
            None => envelope.received_at.date().max(envelope.effective_from.naive()),
        };
        days.push(counted_from);
        if let Some(to) = envelope.effective_to {
            days.extend(to.naive().succ_opt());
        }
    }
    days.extend(input.unresolved_identity_links.iter().map(|link| link.since.naive()));
    let calendar = &rules.context.calendar;
    for rule in &rules.rules {
        rule_days(&rule.check, input.records, calendar, &mut days);
    }
    days.sort_unstable();
    days.dedup();
    // An overstay begins on a day that depends on which crossings count; those change only on the
    // days found so far.
    let overstays: Vec<&Overstay> = rules
        .rules
        .iter()
        .filter_map(|rule| match &rule.check {
            Check::Overstay(overstay) => Some(overstay),
            _ => None,
        })
        .collect();
    if !overstays.is_empty() {
        let mut overstay_days = Vec::new();
        for day in &days {
            let view = PersonView::new(input, *day);
            for overstay in &overstays {
                overstay_starts(&view, overstay, &mut overstay_days);
            }
        }
        days.extend(overstay_days);
        days.sort_unstable();
        days.dedup();
    }
    days
}

/// The day after `last_day`: the first on which a rule with that deadline fires.
fn push_after(days: &mut Vec<NaiveDate>, last_day: Option<NaiveDate>) {
    days.extend(last_day.and_then(|day| day.succ_opt()));
}

fn date_of(field: Option<FieldId>, record: &Record) -> Option<NaiveDate> {
    field?.read(&record.body.payload).date().map(Date::naive)
}

fn grace_end(grace: Option<Period>, day: NaiveDate, calendar: &Calendar) -> Option<NaiveDate> {
    match grace {
        Some(grace) => grace.last_day_after(day, calendar),
        None => Some(day),
    }
}

/// The days on which a rule's own dates (deadlines, expiries, payments) can change its outcome.
fn rule_days(check: &Check, records: &[Record], calendar: &Calendar, days: &mut Vec<NaiveDate>) {
    let of = |category: Category| records.iter().filter(move |record| record.envelope.category == category);
    match check {
        Check::InForce(_) | Check::IdentityLink(_) => {}
        Check::Overstay(check) => {
            // The day a crossing leaves the window, and with it the records behind an overstay.
            let window = Days::new(u64::from(check.rule.window_days()));
            for crossing in of(Category::BorderCrossings) {
                days.extend(crossing.envelope.effective_from.naive().checked_add_days(window));
            }
        }
        Check::MissingAfterEntry(check) => {
            for crossing in of(Category::BorderCrossings) {
                for deadline in check.all_deadlines() {
                    push_after(days, deadline.last_day_after(crossing.envelope.effective_from.naive(), calendar));
                }
            }
        }
        Check::Unsettled(check) => {
            for debt in of(check.records.category) {
                let due = date_of(Some(check.due), debt);
                push_after(days, due.and_then(|due| grace_end(check.grace, due, calendar)));
                days.extend(date_of(check.settled_on.and_then(|fields| fields.on_debt), debt));
            }
            for settlement in of(check.settled_by.category) {
                days.extend(date_of(check.settled_on.and_then(|fields| fields.on_settlement), settlement));
            }
        }
        Check::LapsedPatent(check) => {
            for patent in of(check.patents.category) {
                let before_first_day = patent.envelope.effective_from.naive().pred_opt();
                push_after(days, before_first_day.and_then(|day| grace_end(check.grace, day, calendar)));
            }
            for payment in of(check.payments.category) {
                days.extend(date_of(check.paid_on, payment));
                if let Some(to) = payment.envelope.effective_to {
                    push_after(days, grace_end(check.grace, to.naive(), calendar));
                }
                // Periods without an end are as long as the months they cover.
                if let hospes_model::Payload::PatentPayments(paid) = &payment.body.payload {
                    let start = payment.envelope.effective_from.naive();
                    let end = start
                        .checked_add_months(chrono::Months::new(u32::from(paid.months_covered)))
                        .and_then(|day| day.pred_opt());
                    push_after(days, end.and_then(|end| grace_end(check.grace, end, calendar)));
                }
            }
        }
        Check::WorkWithoutPermit(check) => {
            if let Some(ended_by) = &check.ended_by {
                for end in of(ended_by.category) {
                    days.extend(end.envelope.effective_from.naive().succ_opt());
                }
            }
        }
        Check::ExpiredDocument(check) => {
            for document in of(check.documents.category) {
                push_after(days, date_of(Some(check.expiry), document));
            }
        }
    }
}

/// The first day of an overstay in each stay the view holds: the entry plus the longest continuous
/// stay the rule allows from it.
fn overstay_starts(view: &PersonView<'_>, overstay: &Overstay, days: &mut Vec<NaiveDate>) {
    let stays = view.stays();
    let Ok(presence) = Presence::from_stays(&stays, Some(view.as_of)) else { return };
    for stay in &stays {
        let allowed = presence.longest_continuous_stay_from(stay.entry, overstay.rule);
        days.extend(stay.entry.checked_add_days(Days::new(u64::from(allowed))));
    }
}
