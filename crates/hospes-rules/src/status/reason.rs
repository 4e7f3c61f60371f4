//! Plain-language reasons. A reason names what was found, with its dates, so that the person and the
//! officer can both check it against the records: "Active wanted notice: national notice in force
//! since 2024-03-01." The rule's label comes from the rules file; the details from here.

use chrono::NaiveDate;
use hospes_model::RecordId;

use super::person::Entry;

/// A record's kind in words: `undesirability_decision` → `undesirability decision`.
pub fn kind_words(kind: &str) -> String {
    kind.replace('_', " ")
}

/// A record's effective period in words: "since 2024-03-01", or "from 2024-03-01 to 2025-02-28".
pub fn period(entry: &Entry<'_>) -> String {
    match entry.to {
        Some(to) => format!("from {} to {to}", entry.from),
        None => format!("since {}", entry.from),
    }
}

/// `label: detail.`, and a note on contested records: they still count until an officer decides.
pub fn sentence(label: &str, detail: &str, contested: &[RecordId]) -> String {
    let mut reason = format!("{label}: {detail}.");
    match contested {
        [] => {}
        [record] => reason.push_str(&format!(
            " Record {record} is contested by the person and counts until an officer decides on it."
        )),
        records => {
            let list: Vec<String> = records.iter().map(RecordId::to_string).collect();
            reason.push_str(&format!(
                " Records {} are contested by the person and count until an officer decides on them.",
                list.join(", ")
            ));
        }
    }
    reason
}

/// "a, b and c"; an item said twice (two agencies' records of one passport) is said once.
pub fn list(items: &[String]) -> String {
    let mut unique: Vec<&String> = Vec::with_capacity(items.len());
    for item in items {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    match unique.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).clone(),
        Some((last, rest)) => {
            let rest: Vec<&str> = rest.iter().map(|item| item.as_str()).collect();
            format!("{} and {last}", rest.join(", "))
        }
    }
}

/// The day after `day`, for "nothing paid from …" (the day itself at the end of the calendar).
pub fn day_after(day: NaiveDate) -> NaiveDate {
    day.succ_opt().unwrap_or(day)
}
