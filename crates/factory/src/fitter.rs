//! The seam between the engine and model maths: the engine only calls [`Fitter::fit`] and
//! [`Fitted::forecast`], so any model family (or a test double) plugs in.

use std::ops::Range;

use crate::grid::ModelSpec;

/// Why a fit or a forecast failed; becomes a failed model row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FitFailure {
    /// Stable kind for breakdowns (`fit_failed`, `not_converged`, `unsupported`, …).
    pub kind: String,
    /// Full reason.
    pub message: String,
}

impl FitFailure {
    /// A failure of `kind` with `message`.
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> Self {
        FitFailure {
            kind: kind.into(),
            message: message.into(),
        }
    }
}

/// Forecasts made at one origin.
#[derive(Debug, Clone, PartialEq)]
pub struct OriginForecast {
    /// Per requested horizon `h`: forecast variance of the sum of the next `h` returns
    /// (Σ_{k=1..h} σ²_{t+k|t}).
    pub variance: Vec<f64>,
    /// Per requested level α: one-day VaR as a positive loss, −(μ_{t+1} + σ_{t+1}·q_α) with q_α
    /// the α-quantile of the fitted standardized distribution.
    pub value_at_risk: Vec<f64>,
}

/// A fitted model.
pub trait Fitted: Send {
    /// Parameter names and estimates, in the model's order (arch names: `mu`, `omega`, …).
    fn params(&self) -> Vec<(String, f64)>;
    /// Maximized log-likelihood.
    fn loglik(&self) -> f64;
    /// Akaike information criterion.
    fn aic(&self) -> f64;
    /// Bayesian information criterion.
    fn bic(&self) -> f64;
    /// Whether the optimizer met its convergence criterion.
    fn converged(&self) -> bool;
    /// Non-fatal warnings of the fit.
    fn warnings(&self) -> Vec<String>;
    /// Forecasts with the fitted parameters held fixed. `y` starts at the first training
    /// observation; for each origin `t` in `origins` (`t ≤ y.len()`) the forecast for days
    /// `t, t+1, …` may use `y[..t]` only. Returns one [`OriginForecast`] per origin.
    fn forecast(
        &self,
        y: &[f64],
        origins: Range<usize>,
        horizons: &[usize],
        levels: &[f64],
    ) -> Result<Vec<OriginForecast>, FitFailure>;
}

/// Fits model specs to a series. Implementations are single-threaded per call; the engine runs
/// many calls in parallel.
pub trait Fitter: Sync {
    /// Fit `spec` to the training returns `train`; `seed` is the task's derived seed (for any
    /// randomized starting values).
    fn fit(
        &self,
        spec: &ModelSpec,
        train: &[f64],
        seed: u64,
    ) -> Result<Box<dyn Fitted>, FitFailure>;
}
