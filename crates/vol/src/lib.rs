//! GARCH-family volatility models (mean × variance × distribution, after arch).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod spec;
