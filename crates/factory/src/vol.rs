//! The GARCH family through `af_vol`: [`VolFitter`] fits a [`GarchSpec`](af_vol::GarchSpec) by
//! maximum likelihood (`af_vol::fit`) and forecasts every test day with the fitted parameters
//! held fixed over the data up to that day (`af_vol::forecast_at`) — the honest out-of-sample
//! protocol: no parameter ever sees a return it forecasts.
//!
//! One-day VaR at origin t, with the fitted standardized distribution's quantile q_α:
//! `VaR_α = −(μ_t + σ_t·q_α)`, computed by `af_vol`'s own [`TailRisk`](af_vol::TailRisk) (the
//! quantiles once per fit, the loss per origin): at the end of the training sample it is
//! `garch fit`'s VaR bit for bit.

use std::ops::Range;

use af_vol::{FitError, FitOptions, FitResult, ForecastMethod, ForecastOptions, MeanSpec, VolKind};

use crate::fitter::{FitFailure, Fitted, Fitter, OriginForecast};
use crate::grid::ModelSpec;

/// Fits GARCH-family specs with `af_vol`.
#[derive(Debug, Clone)]
pub struct VolFitter {
    /// Estimation options (standard errors off by default: the registry stores estimates).
    pub fit_options: FitOptions,
    /// Simulated paths for multi-step forecasts without a closed form (EGARCH, TARCH); seeded
    /// with the task seed.
    pub simulation_paths: usize,
}

impl Default for VolFitter {
    fn default() -> Self {
        VolFitter {
            fit_options: FitOptions {
                std_errors: false,
                ..FitOptions::default()
            },
            simulation_paths: 2_000,
        }
    }
}

/// A stable failure kind for each `af_vol` error.
fn failure(e: FitError) -> FitFailure {
    let kind = match &e {
        FitError::NonFinite { .. } => "missing_data",
        FitError::TooFewObservations { .. } => "insufficient_data",
        FitError::ConstantSeries { .. } => "constant_series",
        FitError::InvalidSpec { .. } => "invalid_spec",
        FitError::InvalidParams { .. } => "invalid_params",
        FitError::InvalidRequest(_) => "forecast_failed",
        FitError::Optimizer { .. } => "optimizer_failed",
    };
    FitFailure::new(kind, e.to_string())
}

struct VolFitted {
    res: FitResult,
    seed: u64,
    paths: usize,
}

impl Fitter for VolFitter {
    fn fit(
        &self,
        spec: &ModelSpec,
        train: &[f64],
        seed: u64,
    ) -> Result<Box<dyn Fitted>, FitFailure> {
        let ModelSpec::Garch(g) = spec;
        let res = af_vol::fit(train, g, &self.fit_options).map_err(failure)?;
        Ok(Box::new(VolFitted {
            res,
            seed,
            paths: self.simulation_paths,
        }))
    }
}

impl VolFitted {
    /// μ_t: the conditional mean of y_t given y[..t].
    fn mean_at(&self, y: &[f64], t: usize) -> f64 {
        let theta = self.res.param_vec();
        match self.res.spec.mean {
            MeanSpec::Zero => 0.0,
            MeanSpec::Constant => theta[0],
            MeanSpec::Ar { lags } => {
                theta[0] + (1..=lags).map(|i| theta[i] * y[t - i]).sum::<f64>()
            }
        }
    }
}

impl Fitted for VolFitted {
    fn params(&self) -> Vec<(String, f64)> {
        self.res
            .params
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect()
    }
    fn loglik(&self) -> f64 {
        self.res.loglikelihood
    }
    fn aic(&self) -> f64 {
        self.res.aic
    }
    fn bic(&self) -> f64 {
        self.res.bic
    }
    fn converged(&self) -> bool {
        self.res.converged
    }
    fn warnings(&self) -> Vec<String> {
        self.res.warnings.iter().map(ToString::to_string).collect()
    }

    fn forecast(
        &self,
        y: &[f64],
        origins: Range<usize>,
        horizons: &[usize],
        levels: &[f64],
    ) -> Result<Vec<OriginForecast>, FitFailure> {
        let spec = self.res.spec;
        let max_h = horizons.iter().copied().max().unwrap_or(1).max(1);
        let analytic = matches!(spec.vol, VolKind::Garch | VolKind::Gjr) || max_h == 1;
        let opts = ForecastOptions {
            method: if analytic {
                ForecastMethod::Analytic
            } else {
                ForecastMethod::Simulation {
                    paths: self.paths,
                    seed: self.seed,
                }
            },
        };
        let tail = self.res.tail_risk(levels).map_err(failure)?;
        let params = self.res.param_vec();
        origins
            .map(|t| {
                let path =
                    af_vol::forecast_at(&y[..t], &spec, params, max_h, &opts).map_err(failure)?;
                let mut cum = Vec::with_capacity(max_h);
                let mut s = 0.0;
                for v in &path {
                    s += v.0;
                    cum.push(s);
                }
                let sigma2 = path.first().map_or(f64::NAN, |v| v.0);
                let mu = self.mean_at(y, t);
                Ok(OriginForecast {
                    variance: horizons
                        .iter()
                        .map(|&h| cum.get(h.max(1) - 1).copied().unwrap_or(f64::NAN))
                        .collect(),
                    value_at_risk: tail.value_at_risk(mu, sigma2),
                })
            })
            .collect()
    }
}
