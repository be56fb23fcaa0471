//! alphafactory evaluation layer: how good is a forecast, and how to combine or pick among many.
//!
//! * [`walk_forward`] — time-ordered train/test windows (rolling or expanding, refit every k, gap).
//! * [`losses`] — variance-forecast losses (MSE, MAE, RMSE, QLIKE, correlation) per horizon and
//!   price-forecast errors (MAPE, SMAPE).
//! * [`mincer_zarnowitz`] — the regression RV = a + b·F + e with the joint test of a = 0, b = 1.
//! * [`var_backtest`] — VaR breach series, Kupiec (1995) unconditional coverage, Christoffersen
//!   (1998) independence and conditional coverage.
//! * [`weights`] — ensemble weights: AIC/BIC (Akaike) weights, exp(−MSE), inverse MSE, equal.
//! * [`combine`] — weighted combination of forecasts and selection by criterion or loss.
//!
//! Nothing here does IO or knows a model's internals: inputs are slices of numbers, outputs are
//! plain serializable values or an [`EvalError`] naming the parameter or index at fault.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod error;
pub mod walk_forward;

pub use error::EvalError;
pub use walk_forward::{walk_forward, TrainWindow, WalkForward, Window};
