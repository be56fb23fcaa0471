//! GARCH-family volatility models (mean × variance × distribution, after Sheppard's `arch`).
//!
//! A model is a [`GarchSpec`]: a mean (zero, constant, AR(p)), a variance process (GARCH,
//! GJR-GARCH, TARCH/ZARCH, EGARCH of orders p, o, q) and a standardized distribution (normal,
//! Student's t, Hansen's skewed t, GED). [`fit`] estimates it by maximum likelihood with analytic
//! gradients under `arch`'s bounds and constraints; the [`FitResult`] carries estimates named as
//! `arch` prints them, standard errors (robust or classic), information criteria, conditional
//! volatility, and methods for forecasts, VaR/ES and simulation.
//!
//! Speed: the log-likelihood and its gradient come from one pass that differentiates the
//! recursion alongside it; GARCH/GJR/TARCH/EGARCH(1,1) with zero or constant mean run fused,
//! monomorphized kernels (no per-observation `ln`: Σ ln σ² is taken over blocks of 16). Standard
//! errors of GARCH/GJR(1,1) with normal, t or skewed-t errors come from one more pass that carries
//! the second derivatives of σ² and the per-observation scores (analytic Hessian and
//! outer product); other models difference the analytic gradient (2k gradients at the optimum).
//! One fit is single-threaded; parallelize across series.
//!
//! ```
//! use af_vol::{fit, FitOptions, GarchSpec};
//! let path = af_vol::simulate_spec(&GarchSpec::default(), &[0.05, 0.02, 0.08, 0.9], 1500, 500, 7).unwrap();
//! let res = fit(&path.y, &GarchSpec::default(), &FitOptions::default()).unwrap();
//! assert!(res.converged);
//! println!("{}", res.summary());
//! ```
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]
// Recursions index several arrays at lagged positions; index loops say it most plainly.
#![allow(clippy::needless_range_loop)]

mod covariance;
mod dist;
mod egarch_fit;
mod error;
mod estimate;
mod forecast;
mod fused;
mod fused_egarch;
mod hessian;
mod hessian_block;
mod hessian_egarch;
mod likelihood;
mod mean;
mod newton_fit;
mod polish;
pub mod recursions;
mod result;
mod risk;
mod simulate;
pub mod spec;
mod validate;
mod variance;

pub use error::{FitError, FitWarning};
pub use estimate::{fit, FitOptions};
pub use forecast::{ForecastMethod, ForecastOptions};
pub use result::FitResult;
pub use risk::{RiskReport, TailRisk};
pub use simulate::SimulatedPath;
pub use spec::{Backcast, CovType, DistKind, GarchSpec, MeanSpec, VolKind};

use af_core::Variance;
use likelihood::Model;

/// Parameter names of `spec` in estimation order, exactly as `arch` 8 prints them:
/// `mu` | `Const`, `y[1]`…; `omega`, `alpha[i]`, `gamma[k]`, `beta[j]`; `nu` | `eta`, `lambda`.
pub fn param_names(spec: &GarchSpec) -> Vec<String> {
    let mut names = mean::MeanModel::param_names(spec.mean);
    names.extend(variance::VolModel::new(spec).param_names());
    names.extend(dist::param_names(spec.dist));
    names
}

/// Observations the AR mean holds back.
fn hold_back(spec: &GarchSpec) -> usize {
    match spec.mean {
        MeanSpec::Ar { lags } => lags,
        _ => 0,
    }
}

/// Checks a parameter vector: length, finiteness, distribution parameters in range.
fn check_params(spec: &GarchSpec, params: &[f64]) -> Result<(), FitError> {
    validate::check_spec(spec)?;
    let names = param_names(spec);
    let bad = |reason: String| {
        Err(FitError::InvalidParams {
            model: spec.to_string(),
            reason,
        })
    };
    if params.len() != names.len() {
        return bad(format!(
            "expected {} parameters ({}), got {}",
            names.len(),
            names.join(", "),
            params.len()
        ));
    }
    if let Some(i) = params.iter().position(|v| !v.is_finite()) {
        return bad(format!("parameter {} is {}", names[i], params[i]));
    }
    let kd = dist::param_names(spec.dist).len();
    let offset = names.len() - kd;
    for (i, (lo, hi)) in dist::bounds(spec.dist).into_iter().enumerate() {
        let v = params[offset + i];
        if v < lo || v > hi {
            return bad(format!(
                "{} = {v} is outside [{lo}, {hi}]",
                names[offset + i]
            ));
        }
    }
    Ok(())
}

/// Log-likelihood of `spec` at `params` on `y`. As in `arch`, the EWMA backcast and the variance
/// bounds come from the residuals at the mean's least-squares fit (what `fit` uses), so the value
/// at `fit`'s estimates is exactly the fitted log-likelihood.
pub fn loglikelihood_at(y: &[f64], spec: &GarchSpec, params: &[f64]) -> Result<f64, FitError> {
    check_params(spec, params)?;
    validate::check_series(y, spec, hold_back(spec) + 1)?;
    let mut model = Model::new(*spec, y);
    Ok(model.loglik(params))
}

/// Variance forecasts σ²_{T+1..=T+horizon} of `spec` at `params` after the end of `y` (backcast
/// as in [`loglikelihood_at`]).
pub fn forecast_at(
    y: &[f64],
    spec: &GarchSpec,
    params: &[f64],
    horizon: usize,
    opts: &ForecastOptions,
) -> Result<Vec<Variance>, FitError> {
    check_params(spec, params)?;
    validate::check_series(y, spec, hold_back(spec) + 1)?;
    let model = Model::new(*spec, y);
    risk::forecast_from_model(model, params, horizon, opts)
}

/// Simulates `nobs` observations of `spec` at `params` after `burn` discarded ones; `seed` makes
/// the path reproducible.
pub fn simulate_spec(
    spec: &GarchSpec,
    params: &[f64],
    nobs: usize,
    burn: usize,
    seed: u64,
) -> Result<SimulatedPath, FitError> {
    check_params(spec, params)?;
    if nobs == 0 {
        return Err(FitError::InvalidRequest(
            "nobs must be at least 1".to_string(),
        ));
    }
    simulate::simulate(spec, params, nobs, burn, seed)
}
