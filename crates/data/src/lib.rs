//! alphafactory data layer: loading and writing market data, validation, derived fields and the
//! synthetic universe generator.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod synthetic;
