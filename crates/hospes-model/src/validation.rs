//! Field errors: what is wrong, and where (a JSON Pointer into the submitted line).

use serde::Serialize;

/// One problem with one field of a submitted record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// JSON Pointer (RFC 6901) to the offending field, e.g. `/payload/expires_on`; `""` for the whole line.
    pub path: String,
    pub reason: String,
}

/// Collects every problem of a record, so an agency can fix them all in one go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, path: impl Into<String>, reason: impl Into<String>) {
        self.0.push(FieldError { path: path.into(), reason: reason.into() });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// Records that `field` must be present for records of this kind.
    pub fn require<T>(&mut self, value: &Option<T>, path: &str, kind: &str) {
        if value.is_none() {
            self.push(path, format!("required for records of kind '{kind}'"));
        }
    }

    /// Records that `later` must not come before `earlier` when both are given.
    pub fn order<T: PartialOrd + std::fmt::Display>(
        &mut self,
        earlier: Option<T>,
        later: Option<T>,
        later_path: &str,
        description: &str,
    ) {
        if let (Some(earlier), Some(later)) = (earlier, later)
            && later < earlier
        {
            self.push(later_path, format!("{later} is before {earlier}: {description}"));
        }
    }
}

/// Converts a serde path (`payload.names[0].surname`) to a JSON Pointer (`/payload/names/0/surname`).
pub fn serde_path_to_pointer(prefix: &str, path: &str) -> String {
    let mut pointer = prefix.to_owned();
    if path == "." || path.is_empty() {
        return pointer;
    }
    for segment in path.split('.') {
        let mut rest = segment;
        if let Some(bracket) = rest.find('[') {
            let (name, indexes) = rest.split_at(bracket);
            if !name.is_empty() {
                pointer.push('/');
                pointer.push_str(name);
            }
            rest = indexes;
            for index in rest.split('[').filter(|part| !part.is_empty()) {
                pointer.push('/');
                pointer.push_str(index.trim_end_matches(']'));
            }
        } else if !rest.is_empty() && rest != "?" {
            pointer.push('/');
            pointer.push_str(rest);
        }
    }
    pointer
}

/// Removes serde_json's " at line L column C" suffix: NDJSON errors carry their own line numbers.
pub fn strip_json_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(position) if message[position..].contains(" column ") => &message[..position],
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_paths_become_json_pointers() {
        let check = |path: &str, expected: &str| assert_eq!(serde_path_to_pointer("/payload", path), expected);
        check(".", "/payload");
        check("names[0].surname", "/payload/names/0/surname");
        check("fine.amount_minor", "/payload/fine/amount_minor");
        check("mrz[1]", "/payload/mrz/1");
    }

    #[test]
    fn json_positions_are_stripped() {
        assert_eq!(strip_json_position("invalid type: string at line 1 column 5"), "invalid type: string");
        assert_eq!(strip_json_position("plain message"), "plain message");
    }
}
