//! The status engine and the trust level, on persons built from typed records of the real model.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

#[path = "status/support.rs"]
mod support;

#[path = "status/as_of.rs"]
mod as_of;
#[path = "status/default_rules.rs"]
mod default_rules;
#[path = "status/rules_file.rs"]
mod rules_file;
#[path = "status/trust.rs"]
mod trust;
