//! The structural rules of the DCC JSON schema (version 1.3.0, `DCC.combined-schema.json`),
//! written out by hand rather than run through a JSON Schema engine: the rules are few and
//! stable, and a hand-written check gives each violation a readable path.
//!
//! Checked: required members, types, the patterns of `ver`, `fnt`/`gnt`, `dob` and the country
//! codes, the length limits, dose numbers of at least 1, exactly one of `v`/`t`/`r` with exactly
//! one entry, and the `date` and `date-time` formats (which JSON Schema treats as annotations by
//! default; a verifier should not accept a DCC whose dates do not parse). Not checked: the value
//! sets (disease, vaccine, test type…), which the schema only references and which change over
//! time; they belong to business rules, not to structure.

use chrono::{DateTime, NaiveDate};
use serde_json::{Map, Value};

/// The violations of `hcert`, each with its JSON path; none when it conforms.
pub fn check_schema(hcert: &Value) -> Result<(), Vec<String>> {
    let mut violations = Vec::new();
    let Some(root) = hcert.as_object() else {
        return Err(vec!["the certificate is not an object".to_owned()]);
    };
    let mut check = Checker { violations: &mut violations };
    check.required(root, "", &["ver", "nam", "dob"]);
    check.string(root, "ver", "", |ver| {
        let parts: Vec<&str> = ver.split('.').collect();
        parts.len() == 3 && parts.iter().all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    });
    if let Some(name) = root.get("nam") {
        match name.as_object() {
            Some(name) => {
                check.required(name, "nam", &["fnt"]);
                for member in ["fn", "gn"] {
                    check.string(name, member, "nam", |text| text.chars().count() <= 80);
                }
                for member in ["fnt", "gnt"] {
                    check.string(name, member, "nam", |text| {
                        text.len() <= 80 && text.bytes().all(|byte| byte.is_ascii_uppercase() || byte == b'<')
                    });
                }
            }
            None => check.fail("nam", "is not an object"),
        }
    }
    check.string(root, "dob", "", is_birth_date);
    let groups: Vec<&str> = ["v", "t", "r"].into_iter().filter(|group| root.contains_key(*group)).collect();
    if groups.len() != 1 {
        check.fail("", &format!("must have exactly one of v, t, r; has [{}]", groups.join(", ")));
    }
    for group in groups {
        let Some(entries) = root.get(group).and_then(Value::as_array) else {
            check.fail(group, "is not an array");
            continue;
        };
        if entries.len() != 1 {
            check.fail(group, &format!("must have exactly one entry, has {}", entries.len()));
        }
        for (index, entry) in entries.iter().enumerate() {
            let path = format!("{group}/{index}");
            match entry.as_object() {
                Some(entry) => check.entry(group, entry, &path),
                None => check.fail(&path, "is not an object"),
            }
        }
    }
    if violations.is_empty() { Ok(()) } else { Err(violations) }
}

struct Checker<'a> {
    violations: &'a mut Vec<String>,
}

impl Checker<'_> {
    fn fail(&mut self, path: &str, problem: &str) {
        let path = if path.is_empty() { "/".to_owned() } else { format!("/{path}") };
        self.violations.push(format!("{path} {problem}"));
    }

    fn required(&mut self, object: &Map<String, Value>, path: &str, members: &[&str]) {
        for member in members {
            if !object.contains_key(*member) {
                self.fail(path, &format!("has no {member:?}"));
            }
        }
    }

    /// If `member` is present, it must be a string that `valid` accepts.
    fn string(&mut self, object: &Map<String, Value>, member: &str, path: &str, valid: impl Fn(&str) -> bool) {
        let full_path = if path.is_empty() { member.to_owned() } else { format!("{path}/{member}") };
        match object.get(member) {
            None => {}
            Some(Value::String(text)) if valid(text) => {}
            Some(Value::String(text)) => self.fail(&full_path, &format!("{text:?} does not match the schema")),
            Some(_) => self.fail(&full_path, "is not a string"),
        }
    }

    fn positive_integer(&mut self, object: &Map<String, Value>, member: &str, path: &str) {
        match object.get(member) {
            None => {}
            Some(value) if value.as_u64().is_some_and(|number| number >= 1) => {}
            Some(_) => self.fail(&format!("{path}/{member}"), "is not an integer of at least 1"),
        }
    }

    fn entry(&mut self, group: &str, entry: &Map<String, Value>, path: &str) {
        let short = |text: &str| text.chars().count() <= 80;
        let any = |_: &str| true;
        let country = |text: &str| text.chars().count() <= 80 && text.bytes().any(|byte| byte.is_ascii_uppercase());
        for (member, rule) in [("tg", &any as &dyn Fn(&str) -> bool), ("co", &country), ("is", &short), ("ci", &short)]
        {
            self.string(entry, member, path, rule);
        }
        match group {
            "v" => {
                self.required(entry, path, &["tg", "vp", "mp", "ma", "dn", "sd", "dt", "co", "is", "ci"]);
                for member in ["vp", "mp", "ma"] {
                    self.string(entry, member, path, any);
                }
                self.positive_integer(entry, "dn", path);
                self.positive_integer(entry, "sd", path);
                self.string(entry, "dt", path, is_full_date);
            }
            "t" => {
                self.required(entry, path, &["tg", "tt", "sc", "tr", "tc", "co", "is", "ci"]);
                for member in ["tt", "ma", "tr"] {
                    self.string(entry, member, path, any);
                }
                self.string(entry, "nm", path, short);
                self.string(entry, "tc", path, short);
                self.string(entry, "sc", path, |text| DateTime::parse_from_rfc3339(text).is_ok());
            }
            _ => {
                self.required(entry, path, &["tg", "fr", "co", "is", "df", "du", "ci"]);
                for member in ["fr", "df", "du"] {
                    self.string(entry, member, path, is_full_date);
                }
            }
        }
    }
}

fn is_full_date(text: &str) -> bool {
    text.len() == 10 && NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// `^((19|20)\d\d(-\d\d){0,2}){0,1}$`: empty, or a year 1900–2099 followed by up to two `-NN`.
fn is_birth_date(text: &str) -> bool {
    if text.is_empty() {
        return true;
    }
    let mut parts = text.split('-');
    let year_ok = parts.next().is_some_and(|year| {
        year.len() == 4
            && (year.starts_with("19") || year.starts_with("20"))
            && year.bytes().all(|b| b.is_ascii_digit())
    });
    let rest: Vec<&str> = parts.collect();
    year_ok && rest.len() <= 2 && rest.iter().all(|part| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

    use serde_json::json;

    use super::*;

    fn vaccination() -> Value {
        json!({"ver": "1.3.0", "nam": {"fn": "Smith-Jones", "fnt": "SMITH<JONES", "gnt": "CHARLES"},
               "dob": "1964-01-01",
               "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100031184",
                      "dn": 1, "sd": 2, "dt": "2021-06-11", "co": "NL", "is": "Ministry", "ci": "URN:UVCI:01:NL:1"}]})
    }

    fn violations(hcert: &Value) -> Vec<String> {
        check_schema(hcert).err().unwrap_or_default()
    }

    #[test]
    fn a_conforming_certificate_passes() {
        assert_eq!(check_schema(&vaccination()), Ok(()));
        for dob in ["", "1964", "1964-01"] {
            let mut hcert = vaccination();
            hcert["dob"] = json!(dob);
            assert_eq!(check_schema(&hcert), Ok(()), "{dob}");
        }
    }

    #[test]
    fn each_rule_names_its_path() {
        type Change = fn(&mut Value);
        let cases: Vec<(Change, &str)> = vec![
            (|h| h["nam"] = json!({}), "/nam has no \"fnt\""),
            (|h| h["nam"]["fnt"] = json!("Smith"), "/nam/fnt \"Smith\" does not match"),
            (|h| h["dob"] = json!("1864-01-01"), "/dob \"1864-01-01\""),
            (|h| h["ver"] = json!("1.3"), "/ver \"1.3\""),
            (|h| h["v"][0]["dn"] = json!(0), "/v/0/dn is not an integer of at least 1"),
            (|h| h["v"][0]["dt"] = json!("2021-02-30"), "/v/0/dt"),
            (|h| h["v"][0]["co"] = json!("nl"), "/v/0/co"),
            (|h| drop(h.as_object_mut().unwrap().remove("dob")), "/ has no \"dob\""),
            (|h| h["t"] = json!([]), "must have exactly one of v, t, r; has [v, t]"),
            (|h| h["v"] = json!([h["v"][0].clone(), h["v"][0].clone()]), "/v must have exactly one entry, has 2"),
            (|h| drop(h.as_object_mut().unwrap().remove("v")), "has []"),
        ];
        for (change, expected) in cases {
            let mut hcert = vaccination();
            change(&mut hcert);
            let found = violations(&hcert);
            assert!(found.iter().any(|violation| violation.contains(expected)), "{expected}: {found:?}");
        }
    }
}
