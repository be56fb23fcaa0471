//! Maximum-likelihood optimizers.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]
