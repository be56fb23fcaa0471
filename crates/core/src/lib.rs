//! Core types shared by every alphafactory crate.
//!
//! * [`Panel`] — market data as dates × assets × fields, column-major `f64` with `NaN` as missing.
//! * [`Frequency`] — the bar size of a panel (daily by default, intraday representable).
//! * [`Variance`] / [`Volatility`] — typed forecasts so that σ² and σ are never confused.
//! * [`CoreError`] — errors raised by panel construction and access.

pub mod error;
pub mod frequency;
pub mod panel;
pub mod units;

pub use error::CoreError;
pub use frequency::Frequency;
pub use panel::{AssetMeta, Panel};
pub use units::{Variance, Volatility};

/// Absolute tolerance used when comparing floats that should be equal up to rounding.
pub const EPS_ROUNDING: f64 = 1e-12;
