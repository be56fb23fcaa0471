//! alphafactory portfolio layer.
//!
//! * [`metrics`] — performance statistics of a return series, defined exactly as
//!   [empyrical](https://github.com/stefan-jansen/empyrical-reloaded) defines them (fixtures from
//!   empyrical-reloaded are the test oracle), plus win rate and profit factor.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod allocation;
pub mod backtest;
pub mod combine;
pub mod covariance;
pub mod garch_risk;
pub mod kill_switch;
mod kill_switch_rules;
pub mod metrics;
pub mod optimize;
pub mod risk;
pub mod risk_parity;
pub mod stats;
pub mod stress;

pub use metrics::{MetricsError, PerformanceReport};
