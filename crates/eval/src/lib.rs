//! alphafactory evaluation layer: how good is a forecast, and how to combine or pick among many.
//!
//! * [`walk_forward`](mod@walk_forward) — time-ordered train/test windows (rolling or expanding, refit every k, gap).
//! * [`losses`] — variance-forecast losses (MSE, MAE, RMSE, QLIKE, correlation) per horizon and
//!   price-forecast errors (MAPE, SMAPE).
//! * [`mincer_zarnowitz`] — the regression RV = a + b·F + e with the joint test of a = 0, b = 1.
//! * [`diebold_mariano`] — Diebold–Mariano (1995) test of equal accuracy, HLN (1997) correction.
//! * [`var_backtest`] — VaR breach series, Kupiec (1995) unconditional coverage, Christoffersen
//!   (1998) independence and conditional coverage.
//! * [`weights`] — ensemble weights: Akaike (AIC/BIC), exp(−MSE), inverse MSE, equal.
//! * [`combine`](mod@combine) — weighted combination of forecasts, prediction confidence, and selection by
//!   criterion or loss.
//! * [`panel_eval`] — losses and VaR backtests for every asset of an `af_core::Panel`.
//!
//! ```
//! use af_eval::{
//!     walk_forward, EnsembleMethod, CandidateScore, MincerZarnowitz, VarBacktest,
//!     VarianceLosses, WalkForward,
//! };
//!
//! // 1,260 days, last 252 out of sample, 1,000-day rolling fits refit every 22 days.
//! let windows = walk_forward(1260, &WalkForward::rolling(1000, Some(252), 22))?;
//! assert_eq!(windows.len(), 12);
//! assert_eq!((windows[0].train.clone(), windows[0].test.clone()), (8..1008, 1008..1030));
//!
//! // Variance forecast vs realized variance.
//! let forecast = [1.0, 2.0, 1.5, 3.0, 2.5];
//! let realized = [1.2, 1.7, 1.1, 3.5, 2.0];
//! let losses = VarianceLosses::compute(&forecast, &realized)?;
//! assert!(losses.qlike > 0.0);
//! let mz = MincerZarnowitz::fit(&forecast, &realized)?;
//! assert!(mz.f_pvalue > 0.05); // unbiasedness not rejected
//!
//! // 5 % VaR backtest: returns vs positive loss thresholds.
//! let returns = [-0.01, 0.02, -0.04, 0.0, -0.03];
//! let var = [0.025; 5];
//! let bt = VarBacktest::from_returns(&returns, &var, 0.05)?;
//! assert_eq!(bt.breaches, 2);
//!
//! // AIC-weighted ensemble of three variants, the second of which failed.
//! let scores = [
//!     CandidateScore { aic: Some(2000.0), ..Default::default() },
//!     CandidateScore::default(),
//!     CandidateScore { aic: Some(2002.0), ..Default::default() },
//! ];
//! let w = EnsembleMethod::AicWeighted.weights(&scores)?;
//! assert_eq!(w[1], 0.0);
//! assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
//! # Ok::<(), af_eval::EvalError>(())
//! ```
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

pub use combine::{
    argmin, combine, ensemble_forecast, prediction_confidence, rank, select, Criterion,
};
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
