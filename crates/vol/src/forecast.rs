//! Multi-step variance forecasts from the end of the sample.
//!
//! * **Analytic** (GARCH, GJR at any horizon; every process at horizon 1): iterate
//!   σ²_{T+h} = ω + Σα_i E[ε²_{T+h−i}] + Σγ_k E[ε²_{T+h−k}1(ε<0)] + Σβ_j σ²_{T+h−j}, where a
//!   future E[ε²] is its σ² and, `arch`'s convention, a future E[ε²1(ε<0)] is ½σ²; past values are
//!   the observed ones.
//! * **Simulation**: `paths` paths driven by draws from the fitted distribution (seeded ChaCha20),
//!   averaging σ²_{T+h} across paths; **Bootstrap** draws the innovations from the standardized
//!   residuals instead (Sheppard's filtered historical simulation).

use crate::dist::AnyDist;
use crate::error::FitError;
use crate::recursions::SQRT_2_OVER_PI;
use crate::spec::VolKind;
use crate::variance::VolModel;
use af_core::Variance;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// How to forecast beyond the analytic range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastMethod {
    /// Closed-form recursion (GARCH/GJR any horizon, others horizon 1).
    Analytic,
    /// Monte Carlo with innovations from the fitted distribution.
    Simulation {
        /// Number of simulated paths.
        paths: usize,
        /// Seed of the generator.
        seed: u64,
    },
    /// Monte Carlo with innovations resampled from the standardized residuals.
    Bootstrap {
        /// Number of simulated paths.
        paths: usize,
        /// Seed of the generator.
        seed: u64,
    },
}

/// Options of the forecast functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ForecastOptions {
    /// Method.
    pub method: ForecastMethod,
}

impl Default for ForecastOptions {
    fn default() -> Self {
        ForecastOptions {
            method: ForecastMethod::Analytic,
        }
    }
}

impl ForecastOptions {
    /// Analytic where it exists for `vol` and `horizon`, else simulation with 10,000 paths and
    /// seed 0 (the rule `value_at_risk` and `expected_shortfall` use).
    pub fn auto(vol: VolKind, horizon: usize) -> Self {
        let analytic = matches!(vol, VolKind::Garch | VolKind::Gjr) || horizon <= 1;
        ForecastOptions {
            method: if analytic {
                ForecastMethod::Analytic
            } else {
                ForecastMethod::Simulation {
                    paths: 10_000,
                    seed: 0,
                }
            },
        }
    }
}

/// σ²_{T+1} given the full history of residuals and variances (any process).
pub(crate) fn next_sigma2(vol: &VolModel, tv: &[f64], eps: &[f64], sig2: &[f64]) -> f64 {
    let (p, o, q) = (vol.ord.p, vol.ord.o, vol.ord.q);
    let n = eps.len();
    match vol.kind {
        VolKind::Egarch => {
            let mut h = tv[0];
            for i in 1..=p.min(n) {
                h += tv[i] * ((eps[n - i] / sig2[n - i].sqrt()).abs() - SQRT_2_OVER_PI);
            }
            for k in 1..=o.min(n) {
                h += tv[p + k] * eps[n - k] / sig2[n - k].sqrt();
            }
            for j in 1..=q.min(n) {
                h += tv[p + o + j] * sig2[n - j].ln();
            }
            // The estimation's cap on ln σ² (see `recursions::egarch`): finite on every path.
            h.min(crate::recursions::LNSIGMA_MAX).exp()
        }
        _ => {
            let root = vol.power() == 1.0;
            let f = |e: f64| if root { e.abs() } else { e * e };
            let mut s = tv[0];
            for i in 1..=p.min(n) {
                s += tv[i] * f(eps[n - i]);
            }
            for k in 1..=o.min(n) {
                if eps[n - k] < 0.0 {
                    s += tv[p + k] * f(eps[n - k]);
                }
            }
            for j in 1..=q.min(n) {
                let v = sig2[n - j];
                s += tv[p + o + j] * if root { v.sqrt() } else { v };
            }
            if root {
                s * s
            } else {
                s
            }
        }
    }
}

/// How many past residuals and variances a forecast of `vol` reads: max(p, o, q, 1).
pub(crate) fn state_len(vol: &VolModel) -> usize {
    vol.ord.p.max(vol.ord.o).max(vol.ord.q).max(1)
}

/// Forecasts σ²_{T+1..=T+horizon} from the end of (`eps`, `sig2`): only their last
/// [`state_len`] entries are read, so the tails suffice. The bootstrap resamples `std`, the
/// standardized residuals ε_t/σ_t of the whole sample, computed from `eps` and `sig2` when `None`
/// (then they must be the whole sample).
#[allow(clippy::too_many_arguments)]
pub(crate) fn forecast_variance(
    vol: &VolModel,
    tv: &[f64],
    dist: &AnyDist,
    eps: &[f64],
    sig2: &[f64],
    std: Option<&[f64]>,
    horizon: usize,
    opts: &ForecastOptions,
) -> Result<Vec<Variance>, FitError> {
    if horizon == 0 {
        return Err(FitError::InvalidRequest(
            "horizon must be at least 1".to_string(),
        ));
    }
    let first = next_sigma2(vol, tv, eps, sig2);
    match opts.method {
        ForecastMethod::Analytic => {
            if horizon == 1 {
                return Ok(vec![Variance(first)]);
            }
            if !matches!(vol.kind, VolKind::Garch | VolKind::Gjr) {
                return Err(FitError::InvalidRequest(format!(
                    "analytic forecasts of {:?} exist only for horizon 1; use ForecastMethod::Simulation or Bootstrap",
                    vol.kind
                )));
            }
            Ok(analytic_garch(vol, tv, eps, sig2, horizon))
        }
        ForecastMethod::Simulation { paths, seed } | ForecastMethod::Bootstrap { paths, seed } => {
            if paths == 0 {
                return Err(FitError::InvalidRequest(
                    "paths must be at least 1".to_string(),
                ));
            }
            let boot = matches!(opts.method, ForecastMethod::Bootstrap { .. });
            let std: std::borrow::Cow<'_, [f64]> = match std {
                Some(z) => z.into(),
                None if boot => eps.iter().zip(sig2).map(|(e, v)| e / v.sqrt()).collect(),
                None => Vec::new().into(),
            };
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            let lags = state_len(vol);
            let start = eps.len().saturating_sub(lags);
            let mut sums = vec![0.0; horizon];
            let mut e_path = Vec::with_capacity(lags + horizon);
            let mut s_path = Vec::with_capacity(lags + horizon);
            for _ in 0..paths {
                e_path.clear();
                s_path.clear();
                e_path.extend_from_slice(&eps[start..]);
                s_path.extend_from_slice(&sig2[start..]);
                let mut s = first;
                for sum in sums.iter_mut() {
                    *sum += s;
                    let z = if boot {
                        std[rng.random_range(0..std.len())]
                    } else {
                        dist.draw(&mut rng)
                    };
                    e_path.push(z * s.sqrt());
                    s_path.push(s);
                    s = next_sigma2(vol, tv, &e_path, &s_path);
                }
            }
            // σ²_{T+1} is known at T: every path starts from it, so h = 1 is `first` exactly
            // (the average of `paths` copies could differ from it in the last bits).
            Ok(std::iter::once(Variance(first))
                .chain(sums.into_iter().skip(1).map(|s| Variance(s / paths as f64)))
                .collect())
        }
    }
}

fn analytic_garch(
    vol: &VolModel,
    tv: &[f64],
    eps: &[f64],
    sig2: &[f64],
    horizon: usize,
) -> Vec<Variance> {
    let (p, o, q) = (vol.ord.p, vol.ord.o, vol.ord.q);
    let start = eps.len().saturating_sub(state_len(vol));
    // e2[i], e2neg[i], s[i]: E[ε²], E[ε²1(ε<0)], σ² at history index i (observed, then forecast).
    let mut e2: Vec<f64> = eps[start..].iter().map(|e| e * e).collect();
    let mut e2n: Vec<f64> = eps[start..]
        .iter()
        .map(|e| if *e < 0.0 { e * e } else { 0.0 })
        .collect();
    let mut s: Vec<f64> = sig2[start..].to_vec();
    let mut out = Vec::with_capacity(horizon);
    for _ in 0..horizon {
        let n = s.len();
        let mut v = tv[0];
        for i in 1..=p.min(n) {
            v += tv[i] * e2[n - i];
        }
        for k in 1..=o.min(n) {
            v += tv[p + k] * e2n[n - k];
        }
        for j in 1..=q.min(n) {
            v += tv[p + o + j] * s[n - j];
        }
        out.push(Variance(v));
        e2.push(v);
        e2n.push(0.5 * v);
        s.push(v);
    }
    out
}
