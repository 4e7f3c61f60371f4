//! The conditions a rule can test. Each is a fixed kind of test (a record in force, a deadline after
//! entry, a debt unsettled after its due date, …) whose categories, kinds, fields and thresholds come
//! from the rules file. A condition reads only the categories it names, through the person's index.
//!
//! Every `find` returns `None` when the condition does not hold, and allocates only when it does.

mod debts;
mod presence;
mod records;

use hospes_model::RecordId;

pub use debts::{LapsedPatent, SettledOn, Unsettled};
pub use presence::{DeadlineException, InForce, MissingAfterEntry, Overstay, PersonalCover};
pub use records::{ExpiredDocument, IdentityLink, WorkWithoutPermit};

use super::calendar::Calendar;
use super::person::PersonView;
use super::selector::LabourMigrantDefinition;

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
    pub(crate) fn of(records: Vec<RecordId>, detail: String) -> Finding {
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
            Check::Overstay(check) => check.find(view, context),
            Check::MissingAfterEntry(check) => check.find(view, context),
            Check::Unsettled(check) => check.find(view, &context.calendar),
            Check::LapsedPatent(check) => check.find(view, &context.calendar),
            Check::WorkWithoutPermit(check) => check.find(view, context),
            Check::ExpiredDocument(check) => check.find(view),
            Check::IdentityLink(check) => check.find(view),
        }
    }
}
