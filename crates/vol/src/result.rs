//! The outcome of an estimation and its human-readable summary.

use crate::error::FitWarning;
use crate::likelihood::Model;
use crate::spec::{CovType, GarchSpec};
use indexmap::IndexMap;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// A fitted GARCH-family model.
#[derive(Debug, Clone, Serialize)]
pub struct FitResult {
    /// The model.
    pub spec: GarchSpec,
    /// Observations used in estimation (the series length minus the AR hold-back).
    pub nobs: usize,
    /// Estimates, named as `arch` 8 prints them.
    pub params: IndexMap<String, f64>,
    /// Standard errors (NaN when not computed or the Hessian is singular).
    pub std_err: IndexMap<String, f64>,
    /// t statistics, estimate / standard error.
    pub tvalues: IndexMap<String, f64>,
    /// Two-sided p-values under the normal approximation.
    pub pvalues: IndexMap<String, f64>,
    /// Covariance estimator behind `std_err`.
    pub cov_type: CovType,
    /// Maximized log-likelihood.
    pub loglikelihood: f64,
    /// −2ℓ + 2k.
    pub aic: f64,
    /// −2ℓ + k·ln n.
    pub bic: f64,
    /// Whether the optimizer met its convergence criterion.
    pub converged: bool,
    /// Likelihood evaluations used by the optimizer.
    pub iterations: usize,
    /// Non-fatal problems.
    pub warnings: Vec<FitWarning>,
    /// σ_t for every input observation (NaN for the AR hold-back).
    pub conditional_volatility: Vec<f64>,
    /// ε_t/σ_t for every input observation (NaN for the AR hold-back).
    pub std_resid: Vec<f64>,
    /// The backcast the recursion started from (in its own units: σ², σ or ln σ²).
    pub backcast: f64,
    #[serde(skip)]
    pub(crate) y: Vec<f64>,
    /// The last max(p, o, q, 1) residuals ε_t at the estimates: with `tail_sigma2`, the
    /// end-of-sample state every forecast starts from.
    #[serde(skip)]
    pub(crate) tail_resids: Vec<f64>,
    /// The last max(p, o, q, 1) variances σ²_t at the estimates.
    #[serde(skip)]
    pub(crate) tail_sigma2: Vec<f64>,
    #[serde(skip)]
    pub(crate) theta: Vec<f64>,
    #[serde(skip)]
    pub(crate) cov: Option<Vec<f64>>,
}

impl FitResult {
    /// The result of a fit whose `model` was last filtered at `theta` (its residuals and
    /// variances are kept as the state forecasts start from).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn build(
        spec: GarchSpec,
        y: &[f64],
        model: &Model,
        theta: Vec<f64>,
        loglikelihood: f64,
        cov: Option<Vec<f64>>,
        cov_type: CovType,
        converged: bool,
        iterations: usize,
        warnings: Vec<FitWarning>,
    ) -> FitResult {
        let names = crate::param_names(&spec);
        let k = theta.len();
        let nobs = model.nobs();
        let se: Vec<f64> = (0..k)
            .map(|i| {
                cov.as_ref()
                    .map_or(f64::NAN, |c| c[i * k + i].max(0.0).sqrt())
            })
            .collect();
        let norm = Normal::new(0.0, 1.0).ok();
        let mut params = IndexMap::new();
        let mut std_err = IndexMap::new();
        let mut tvalues = IndexMap::new();
        let mut pvalues = IndexMap::new();
        for (i, name) in names.iter().enumerate() {
            let t = theta[i] / se[i];
            params.insert(name.clone(), theta[i]);
            std_err.insert(name.clone(), se[i]);
            tvalues.insert(name.clone(), t);
            let p = norm
                .as_ref()
                .map_or(f64::NAN, |d| 2.0 * (1.0 - d.cdf(t.abs())));
            pvalues.insert(name.clone(), p);
        }
        let hold = y.len() - nobs;
        let mut vol = vec![f64::NAN; y.len()];
        let mut std = vec![f64::NAN; y.len()];
        for (t, (e, v)) in model.resids().iter().zip(model.sigma2()).enumerate() {
            vol[hold + t] = v.sqrt();
            std[hold + t] = e / v.sqrt();
        }
        let kf = k as f64;
        let tail = nobs.saturating_sub(crate::forecast::state_len(&model.vol));
        FitResult {
            spec,
            nobs,
            params,
            std_err,
            tvalues,
            pvalues,
            cov_type,
            loglikelihood,
            aic: -2.0 * loglikelihood + 2.0 * kf,
            bic: -2.0 * loglikelihood + kf * (nobs as f64).ln(),
            converged,
            iterations,
            warnings,
            conditional_volatility: vol,
            std_resid: std,
            backcast: model.backcast,
            y: y.to_vec(),
            tail_resids: model.resids()[tail..].to_vec(),
            tail_sigma2: model.sigma2()[tail..].to_vec(),
            theta,
            cov,
        }
    }

    /// Estimates in `param_names` order.
    pub fn param_vec(&self) -> &[f64] {
        &self.theta
    }

    /// Row-major `k × k` covariance of the estimates, if computed.
    pub fn param_cov(&self) -> Option<&[f64]> {
        self.cov.as_deref()
    }

    /// A table like `arch`'s `summary()`: model, fit statistics, then one block per component.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let title = format!("{} Model Results", self.spec);
        let line = "=".repeat(74);
        s.push_str(&format!("{title:^74}\n{line}\n"));
        let conv = if self.converged { "yes" } else { "NO" };
        let rows = [
            (
                "Model:",
                self.spec.to_string(),
                "Log-Likelihood:",
                format!("{:.4}", self.loglikelihood),
            ),
            (
                "Observations:",
                self.nobs.to_string(),
                "AIC:",
                format!("{:.4}", self.aic),
            ),
            (
                "Covariance:",
                format!("{:?}", self.cov_type).to_lowercase(),
                "BIC:",
                format!("{:.4}", self.bic),
            ),
            (
                "Converged:",
                conv.to_string(),
                "Evaluations:",
                self.iterations.to_string(),
            ),
        ];
        for (a, b, c, d) in rows {
            s.push_str(&format!("{a:<15}{b:>21}   {c:<16}{d:>19}\n"));
        }
        let km = crate::mean::MeanModel::num_params(self.spec.mean);
        let kv = 1 + self.spec.p + self.spec.o + self.spec.q;
        let names: Vec<&String> = self.params.keys().collect();
        let blocks = [
            ("Mean Model", 0, km),
            ("Volatility Model", km, km + kv),
            ("Distribution", km + kv, names.len()),
        ];
        for (label, from, to) in blocks {
            if from == to {
                continue;
            }
            s.push_str(&format!("{label:^74}\n{}\n", "-".repeat(74)));
            s.push_str(&format!(
                "{:<12}{:>14}{:>14}{:>11}{:>11}   {:>9}\n",
                "", "coef", "std err", "t", "P>|t|", "95% CI"
            ));
            for name in &names[from..to] {
                let (c, e) = (self.params[*name], self.std_err[*name]);
                s.push_str(&format!(
                    "{:<12}{:>14.4e}{:>14.4e}{:>11.3}{:>11.3e}   [{:.3e}, {:.3e}]\n",
                    name,
                    c,
                    e,
                    self.tvalues[*name],
                    self.pvalues[*name],
                    c - 1.96 * e,
                    c + 1.96 * e
                ));
            }
        }
        s.push_str(&format!("{line}\n"));
        s.push_str(&format!("Covariance estimator: {:?}\n", self.cov_type).to_lowercase());
        for w in &self.warnings {
            s.push_str(&format!("Warning: {w}\n"));
        }
        s
    }
}
