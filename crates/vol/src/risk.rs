//! Forecasts, Value-at-Risk and Expected Shortfall of a fitted model.
//!
//! Levels are tail probabilities α ∈ (0, 1): 0.01 is the 1% VaR. Over h days, with mean
//! forecasts μ_{T+i} and variance forecasts σ²_{T+i}, the rule is the square-root-of-summed
//! variances with the one-day quantile of the FITTED standardized distribution:
//!
//! VaR_α(h) = −(Σ μ_{T+i} + √(Σ σ²_{T+i}) · q_α),  ES_α(h) = −(Σ μ_{T+i} + √(Σ σ²_{T+i}) · E[Z | Z ≤ q_α]),
//!
//! both positive numbers for a loss (h = 1 is exact; h > 1 treats the h-day standardized sum as
//! distributed like one day's, which is exact only for the normal). Forecasts use
//! [`ForecastOptions::auto`] (analytic where it exists, else 10,000 simulated paths, seed 0) and
//! start from the residuals and variances the fit ended with, never from a second filter pass.
//! [`TailRisk`] is the one conversion of a forecast (μ, σ²) into VaR and ES.

use crate::dist::AnyDist;
use crate::error::FitError;
use crate::forecast::{forecast_variance, ForecastOptions};
use crate::likelihood::Model;
use crate::result::FitResult;
use crate::simulate::{simulate, SimulatedPath};
use crate::spec::MeanSpec;
use crate::variance::VolModel;
use af_core::Variance;

impl FitResult {
    /// Variance forecasts σ²_{T+1..=T+horizon} after the last observation, from the residuals
    /// and variances the fit ended with (no new pass over the data).
    pub fn forecast(
        &self,
        horizon: usize,
        opts: &ForecastOptions,
    ) -> Result<Vec<Variance>, FitError> {
        let (km, kv) = (self.km(), self.kv());
        let hold = self.y.len() - self.nobs;
        forecast_variance(
            &VolModel::new(&self.spec),
            &self.theta[km..km + kv],
            &self.dist(),
            &self.tail_resids,
            &self.tail_sigma2,
            Some(&self.std_resid[hold..]),
            horizon,
            opts,
        )
    }

    /// Variance forecasts for h = 1..=`horizon` (by `opts`) and one-day VaR and ES at `levels`:
    /// equal to [`FitResult::forecast`], [`FitResult::value_at_risk`] and
    /// [`FitResult::expected_shortfall`] at horizon 1, computed together. What `garch fit` and
    /// `garch fit-many` report per series.
    pub fn forecast_and_risk(
        &self,
        horizon: usize,
        opts: &ForecastOptions,
        levels: &[f64],
    ) -> Result<RiskReport, FitError> {
        let tail = self.tail_risk(levels)?;
        let variance = self.forecast(horizon, opts)?;
        let one_day = self.forecast(1, &ForecastOptions::auto(self.spec.vol, 1))?;
        let sigma2 = one_day.iter().map(|v| v.0).sum::<f64>();
        let mu: f64 = self.mean_forecast(1).iter().sum();
        Ok(RiskReport {
            variance,
            var: tail.value_at_risk(mu, sigma2),
            es: tail.expected_shortfall(mu, sigma2),
        })
    }

    /// The fitted standardized distribution's quantiles and tail means at `levels`: VaR and ES
    /// for any mean and variance forecast (see [`TailRisk`]).
    pub fn tail_risk(&self, levels: &[f64]) -> Result<TailRisk, FitError> {
        check_levels(levels)?;
        let dist = self.dist();
        Ok(TailRisk {
            quantile: levels.iter().map(|&a| dist.ppf(a)).collect(),
            tail_mean: levels.iter().map(|&a| dist.lower_tail_mean(a)).collect(),
        })
    }

    /// Value-at-Risk at tail probabilities `levels` over `horizon` days, as positive losses.
    pub fn value_at_risk(&self, levels: &[f64], horizon: usize) -> Result<Vec<f64>, FitError> {
        self.risk(levels, horizon, false)
    }

    /// Expected Shortfall at tail probabilities `levels` over `horizon` days, as positive losses.
    pub fn expected_shortfall(&self, levels: &[f64], horizon: usize) -> Result<Vec<f64>, FitError> {
        self.risk(levels, horizon, true)
    }

    /// Simulates `nobs` observations from the fitted model (`burn` discarded first).
    pub fn simulate(&self, nobs: usize, burn: usize, seed: u64) -> Result<SimulatedPath, FitError> {
        simulate(&self.spec, &self.theta, nobs, burn, seed)
    }

    /// Mean forecasts μ_{T+1..=T+horizon}.
    pub fn mean_forecast(&self, horizon: usize) -> Vec<f64> {
        let phi = &self.theta[..self.km()];
        match self.spec.mean {
            MeanSpec::Zero => vec![0.0; horizon],
            MeanSpec::Constant => vec![phi[0]; horizon],
            MeanSpec::Ar { lags } => {
                let mut hist = self.y.clone();
                for _ in 0..horizon {
                    let n = hist.len();
                    let v = phi[0] + (1..=lags).map(|i| phi[i] * hist[n - i]).sum::<f64>();
                    hist.push(v);
                }
                hist[self.y.len()..].to_vec()
            }
        }
    }

    /// The fitted standardized distribution.
    fn dist(&self) -> AnyDist {
        let kd = crate::dist::param_names(self.spec.dist).len();
        AnyDist::new(self.spec.dist, &self.theta[self.theta.len() - kd..])
    }

    fn km(&self) -> usize {
        crate::mean::MeanModel::num_params(self.spec.mean)
    }

    fn kv(&self) -> usize {
        VolModel::new(&self.spec).num_params()
    }

    fn risk(
        &self,
        levels: &[f64],
        horizon: usize,
        expected_shortfall: bool,
    ) -> Result<Vec<f64>, FitError> {
        let tail = self.tail_risk(levels)?;
        let opts = ForecastOptions::auto(self.spec.vol, horizon);
        let var: f64 = self.forecast(horizon, &opts)?.iter().map(|v| v.0).sum();
        let mu: f64 = self.mean_forecast(horizon).iter().sum();
        Ok(if expected_shortfall {
            tail.expected_shortfall(mu, var)
        } else {
            tail.value_at_risk(mu, var)
        })
    }
}

/// Quantiles q_α and tail means E[Z | Z ≤ q_α] of a fitted standardized distribution at a set of
/// levels: VaR_α = −(μ + σ·q_α) and ES_α = −(μ + σ·E[Z | Z ≤ q_α]) for any forecast (μ, σ²).
/// The one place the engine, `garch fit`/`fit-many` and the model factory turn a forecast into a
/// loss, so they agree bit for bit.
#[derive(Debug, Clone, PartialEq)]
pub struct TailRisk {
    /// q_α per level.
    pub quantile: Vec<f64>,
    /// E[Z | Z ≤ q_α] per level.
    pub tail_mean: Vec<f64>,
}

impl TailRisk {
    /// VaR per level (positive loss) for mean `mu` and variance `sigma2`.
    pub fn value_at_risk(&self, mu: f64, sigma2: f64) -> Vec<f64> {
        loss(mu, sigma2, &self.quantile)
    }

    /// ES per level (positive loss) for mean `mu` and variance `sigma2`.
    pub fn expected_shortfall(&self, mu: f64, sigma2: f64) -> Vec<f64> {
        loss(mu, sigma2, &self.tail_mean)
    }
}

/// −(μ + σ·z) for each z.
fn loss(mu: f64, sigma2: f64, z: &[f64]) -> Vec<f64> {
    let sd = sigma2.sqrt();
    z.iter().map(|z| -(mu + sd * z)).collect()
}

/// What [`FitResult::forecast_and_risk`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskReport {
    /// Variance forecasts σ²_{T+1..=T+horizon}.
    pub variance: Vec<Variance>,
    /// One-day VaR at each level (positive loss).
    pub var: Vec<f64>,
    /// One-day ES at each level (positive loss).
    pub es: Vec<f64>,
}

fn check_levels(levels: &[f64]) -> Result<(), FitError> {
    match levels.iter().find(|a| !(**a > 0.0 && **a < 1.0)) {
        Some(bad) => Err(FitError::InvalidRequest(format!(
            "risk level {bad} is not a tail probability in (0, 1) (use 0.01 for the 1% VaR)"
        ))),
        None => Ok(()),
    }
}

/// Forecasts from a model evaluated at `theta`.
pub(crate) fn forecast_from_model(
    mut model: Model,
    theta: &[f64],
    horizon: usize,
    opts: &ForecastOptions,
) -> Result<Vec<Variance>, FitError> {
    model.filter(theta);
    forecast_filtered(&model, theta, horizon, opts)
}

/// Forecasts from a model already filtered at `theta`.
fn forecast_filtered(
    model: &Model,
    theta: &[f64],
    horizon: usize,
    opts: &ForecastOptions,
) -> Result<Vec<Variance>, FitError> {
    let (km, kv) = (model.km, model.kv);
    let dist = AnyDist::new(model.spec.dist, &theta[km + kv..]);
    forecast_variance(
        &model.vol,
        &theta[km..km + kv],
        &dist,
        model.resids(),
        model.sigma2(),
        None,
        horizon,
        opts,
    )
}
