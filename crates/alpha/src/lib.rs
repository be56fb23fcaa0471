//! alphafactory alpha engine: formulaic expressions, Alpha101, technical factors, factor analysis.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]
