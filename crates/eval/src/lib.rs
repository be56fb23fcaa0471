//! alphafactory evaluation layer: how good is a forecast, and how to combine or pick among many.
//!
//! * [`walk_forward`] — time-ordered train/test windows (rolling or expanding, refit every k, gap).
//! * [`losses`] — variance-forecast losses (MSE, MAE, RMSE, QLIKE, correlation) per horizon and
//!   price-forecast errors (MAPE, SMAPE).
//! * [`mincer_zarnowitz`] — the regression RV = a + b·F + e with the joint test of a = 0, b = 1.
//! * [`diebold_mariano`] — Diebold–Mariano (1995) test of equal accuracy, HLN (1997) correction.
//! * [`var_backtest`] — VaR breach series, Kupiec (1995) unconditional coverage, Christoffersen
//!   (1998) independence and conditional coverage.
//! * [`weights`] — ensemble weights: Akaike (AIC/BIC), exp(−MSE), inverse MSE, equal.
//! * [`combine`] — weighted combination of forecasts, prediction confidence, and selection by
//!   criterion or loss.
//! * [`panel_eval`] — losses and VaR backtests for every asset of an `af_core::Panel`.
//!
//! Nothing here does IO or knows a model's internals: inputs are slices of numbers, outputs are
//! plain serializable values or an [`EvalError`] naming the parameter or index at fault.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod combine;
pub mod diebold_mariano;
mod dist;
pub mod error;
pub mod losses;
pub mod mincer_zarnowitz;
pub mod panel_eval;
pub mod var_backtest;
pub mod walk_forward;
pub mod weights;

pub use combine::{argmin, combine, ensemble_forecast, prediction_confidence, select, Criterion};
pub use diebold_mariano::{DieboldMariano, Loss};
pub use error::EvalError;
pub use losses::{PriceErrors, VarianceLosses};
pub use mincer_zarnowitz::{MincerZarnowitz, MzCovariance};
pub use panel_eval::{var_backtests_by_asset, variance_losses_by_asset, ByAsset};
pub use var_backtest::{breaches, VarBacktest, STANDARD_LEVELS};
pub use walk_forward::{walk_forward, TrainWindow, WalkForward, Window};
pub use weights::{
    akaike_weights, equal_weights, exp_mse_weights, inverse_mse_weights, recent_mse,
    CandidateScore, EnsembleMethod,
};
