//! Integration tests of the synthetic population (one test binary, a module per concern).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod determinism;
mod names_data;
mod properties;
mod realism;
mod validity;
