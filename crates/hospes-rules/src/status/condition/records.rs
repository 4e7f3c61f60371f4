//! Conditions on what the records say about work, documents and identity: work without a permit, an
//! expired document, an unresolved identity link.

use chrono::NaiveDate;

use super::{Context, Finding};
use crate::status::IdentityLinkKind;
use crate::status::fields::FieldId;
use crate::status::person::{Entry, PersonView};
use crate::status::reason::{kind_words, list, period};
use crate::status::selector::{Matching, PersonPredicate, Selector};

/// A selected work record (a contract, a hiring notification) is in force on the day and not ended by
/// a matching `ended_by` record (a dismissal) dated before the day, while no permit is in force and no
/// exemption holds (a citizen of a state whose citizens need no permit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkWithoutPermit {
    pub work: Selector,
    pub ended_by: Option<Selector>,
    pub matching: Matching,
    pub permits: Vec<Selector>,
    pub exempt: Vec<PersonPredicate>,
}

impl WorkWithoutPermit {
    fn is_ended(&self, view: &PersonView<'_>, work: &Entry<'_>) -> bool {
        self.ended_by.as_ref().is_some_and(|ended_by| {
            view.selected(ended_by)
                .any(|end| end.from >= work.from && end.from < view.as_of && self.matching.matches(work, end))
        })
    }

    pub(super) fn find(&self, view: &PersonView<'_>, context: &Context) -> Option<Finding> {
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
/// with no expiry date does not expire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiredDocument {
    pub documents: Selector,
    pub expiry: FieldId,
    pub lost: Option<Selector>,
    pub matching: Matching,
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

    pub(super) fn find(&self, view: &PersonView<'_>) -> Option<Finding> {
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
    pub(super) fn find(&self, view: &PersonView<'_>) -> Option<Finding> {
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
