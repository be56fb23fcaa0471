//! Risk from the GARCH engine (`af-vol`, PRODUCT P3).
//!
//! * **GARCH VaR / CVaR** of a return series: fit the model (by default `arch_model(y)`: constant
//!   mean + GARCH(1,1) + normal errors, Bollerslev 1986,
//!   σ²_t = ω + α·ε²_{t−1} + β·σ²_{t−1}) and take its one-day-ahead
//!   VaR = −(μ + σ_{T+1}·q_α) and CVaR = −(μ + σ_{T+1}·E[Z | Z ≤ q_α]) with α = 1 − level and the
//!   fitted standardized distribution — exactly `af-vol`'s `value_at_risk` / `expected_shortfall`.
//! * **GARCH covariance**, constant-conditional-correlation style (Bollerslev 1990):
//!   Σ = D·R̃·D with D = diag(σ_{i,T+1}) the per-asset GARCH one-step volatility forecasts and
//!   R̃ = (1 − λ)·R + λ·I the sample correlation shrunk toward the identity. R is PSD and λ > 0 makes
//!   R̃ positive definite, so Σ is too whenever every σ > 0. Assets are fitted in parallel (rayon);
//!   an asset whose fit fails falls back to its sample variance (ddof 1), with the reason recorded.
//!
//! Refits are the expensive part: [`fit_asset_models`] fits once, [`garch_covariance_with`]
//! re-filters the kept parameters over newer data (one pass per asset, no optimization).

use af_vol::{fit, forecast_at, FitOptions, ForecastOptions, GarchSpec};
use nalgebra::DMatrix;
use rayon::prelude::*;
use serde::Serialize;

use crate::risk::{RiskError, VarCvar};
use crate::stats::nanstd;

fn fit_options() -> FitOptions {
    FitOptions {
        std_errors: false,
        ..FitOptions::default()
    }
}

/// GARCH VaR and CVaR (positive loss fractions) at confidence `level` of the finite values of `r`,
/// with the one-step volatility forecast.
pub fn garch_var_cvar(
    r: &[f64],
    level: f64,
    spec: &GarchSpec,
) -> Result<(VarCvar, f64), RiskError> {
    if !(level > 0.0 && level < 1.0) {
        return Err(RiskError::BadLevel(level));
    }
    let y: Vec<f64> = r.iter().copied().filter(|x| x.is_finite()).collect();
    let garch =
        |e: af_vol::FitError| RiskError::Garch(format!("{spec} on {} returns: {e}", y.len()));
    let res = fit(&y, spec, &fit_options()).map_err(garch)?;
    let alpha = [1.0 - level];
    let var = res.value_at_risk(&alpha, 1).map_err(garch)?[0];
    let cvar = res.expected_shortfall(&alpha, 1).map_err(garch)?[0];
    let sigma = res
        .forecast(1, &ForecastOptions::default())
        .map_err(garch)?
        .first()
        .map_or(f64::NAN, |v| v.0.sqrt());
    if !(var.is_finite() && cvar.is_finite()) {
        return Err(RiskError::Garch(format!(
            "{spec}: non-finite VaR {var} / CVaR {cvar}"
        )));
    }
    Ok((VarCvar { level, var, cvar }, sigma))
}

/// One asset's volatility model: fitted parameters, or why the fit failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AssetVolModel {
    /// Parameters in `af_vol::param_names` order.
    Fitted(Vec<f64>),
    /// The fit failed; the asset uses its sample variance.
    Failed(String),
}

/// The GARCH-based covariance and how each diagonal entry was obtained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GarchCovariance {
    /// Σ = D·R̃·D.
    #[serde(skip)]
    pub cov: DMatrix<f64>,
    /// σ_{i,T+1}: the GARCH forecast, or the sample standard deviation for a fallback.
    pub vol: Vec<f64>,
    /// Assets that fell back to their sample variance, with the reason.
    pub fallbacks: Vec<(usize, String)>,
}

fn column(x: &DMatrix<f64>, j: usize) -> Vec<f64> {
    x.column(j)
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect()
}

/// Fit `spec` to every column of `x` (T × N returns; non-finite values skipped), in parallel.
pub fn fit_asset_models(x: &DMatrix<f64>, spec: &GarchSpec) -> Vec<AssetVolModel> {
    (0..x.ncols())
        .into_par_iter()
        .map(|j| match fit(&column(x, j), spec, &fit_options()) {
            Ok(res) => AssetVolModel::Fitted(res.param_vec().to_vec()),
            Err(e) => AssetVolModel::Failed(e.to_string()),
        })
        .collect()
}

/// Σ = D·R̃·D over the columns of `x` from fitted `models` (one per column), correlation
/// shrinkage `lambda` ∈ (0, 1].
pub fn garch_covariance_with(
    x: &DMatrix<f64>,
    models: &[AssetVolModel],
    spec: &GarchSpec,
    lambda: f64,
) -> Result<GarchCovariance, RiskError> {
    let (t, n) = (x.nrows(), x.ncols());
    if !(lambda > 0.0 && lambda <= 1.0) {
        return Err(RiskError::Garch(format!(
            "correlation shrinkage must lie in (0, 1], got {lambda}"
        )));
    }
    if models.len() != n {
        return Err(RiskError::Garch(format!(
            "{} volatility models for {n} assets",
            models.len()
        )));
    }
    if t < 3 {
        return Err(RiskError::TooFewReturns { needed: 3, got: t });
    }
    let forecasts: Vec<Result<f64, String>> = (0..n)
        .into_par_iter()
        .map(|j| {
            let params = match &models[j] {
                AssetVolModel::Fitted(p) => p,
                AssetVolModel::Failed(why) => return Err(why.clone()),
            };
            let s2 = forecast_at(&column(x, j), spec, params, 1, &ForecastOptions::default())
                .map_err(|e| e.to_string())?
                .first()
                .map_or(f64::NAN, |v| v.0);
            if s2.is_finite() && s2 > 0.0 {
                Ok(s2.sqrt())
            } else {
                Err(format!("forecast variance {s2} is not positive"))
            }
        })
        .collect();
    let mut vol = Vec::with_capacity(n);
    let mut fallbacks = Vec::new();
    for (j, f) in forecasts.into_iter().enumerate() {
        match f {
            Ok(s) => vol.push(s),
            Err(why) => {
                vol.push(nanstd(&column(x, j), 1));
                fallbacks.push((j, why));
            }
        }
    }
    let mut cov = shrunk_correlation(x, lambda);
    for a in 0..n {
        for b in 0..n {
            cov[(a, b)] *= vol[a] * vol[b];
        }
    }
    Ok(GarchCovariance {
        cov,
        vol,
        fallbacks,
    })
}

/// R̃ = (1 − λ)·R + λ·I with R the correlation of the columns after centering each on its finite
/// mean and setting missing values to that mean — a Gram matrix, hence PSD even with gaps. A
/// constant column gets zero correlation with the others.
fn shrunk_correlation(x: &DMatrix<f64>, lambda: f64) -> DMatrix<f64> {
    let n = x.ncols();
    let mut xc = x.clone();
    for j in 0..n {
        let c = column(x, j);
        let m = if c.is_empty() {
            0.0
        } else {
            c.iter().sum::<f64>() / c.len() as f64
        };
        for v in xc.column_mut(j).iter_mut() {
            *v = if v.is_finite() { *v - m } else { 0.0 };
        }
    }
    let gram = xc.transpose() * &xc;
    let mut r = DMatrix::<f64>::identity(n, n);
    for a in 0..n {
        for b in 0..n {
            let d = (gram[(a, a)] * gram[(b, b)]).sqrt();
            if a != b && d > 0.0 {
                r[(a, b)] = (1.0 - lambda) * gram[(a, b)] / d;
            }
        }
    }
    r
}

/// [`fit_asset_models`] then [`garch_covariance_with`] on the same data.
pub fn garch_covariance(
    x: &DMatrix<f64>,
    spec: &GarchSpec,
    lambda: f64,
) -> Result<GarchCovariance, RiskError> {
    let models = fit_asset_models(x, spec);
    garch_covariance_with(x, &models, spec, lambda)
}
