//! Alpha weights at one refit, from the PAST window of alpha returns (and past daily rank ICs).
//!
//! Every method returns weights normalized to Σ|w| = 1 (the book's gross is set later by
//! portfolio construction), or an error that the pipeline records and answers by staying flat
//! until the next refit.
//! * Kakushadze–Yu needs more alphas than regressors: it uses the most recent
//!   min(lookback, N − 2) days of the window.
//! * Hierarchical clusters the window's alpha-return correlations (average linkage on 1 − |ρ|,
//!   cut at 0.5), then risk parity across clusters with a 10% volatility target.

use af_alpha::analysis::{cluster_average, correlation_matrix};
use af_portfolio::allocation::{adaptive, bayesian, hierarchical, Leverage};
use af_portfolio::combine::{equal_weights, ic_weights, kakushadze_yu};
use af_portfolio::covariance::{sample_covariance, shrink_to_average_variance};
use af_portfolio::optimize::{Constraints, MeanVariance};
use nalgebra::DMatrix;

use crate::config::{Combination, Method};

/// Weights for one refit. `window[i]` is alpha i's past returns (oldest first); `ic[i]` its mean
/// past rank IC.
pub fn weights(cfg: &Combination, window: &[Vec<f64>], ic: &[f64]) -> Result<Vec<f64>, String> {
    let k = window.len();
    let raw = match cfg.method {
        Method::Equal => equal_weights(k),
        Method::IcWeighted => ic_weights(ic).map_err(|e| e.to_string())?,
        Method::KakushadzeYu => {
            let l = window.first().map_or(0, Vec::len).min(k.saturating_sub(2));
            if l < 3 {
                return Err(format!("Kakushadze–Yu needs at least 5 alphas (has {k})"));
            }
            // most recent first, as the method's columns are ordered
            let r = DMatrix::from_fn(k, l, |i, s| window[i][window[i].len() - 1 - s]);
            let e: Vec<f64> = (0..k).map(|i| r.row(i).mean()).collect();
            kakushadze_yu(&r, &e).map_err(|e| e.to_string())?
        }
        Method::MeanVariance => {
            let l = window.first().map_or(0, Vec::len);
            let x = DMatrix::from_fn(l, k, |t, i| window[i][t]);
            let cov = sample_covariance(&x, 1).map_err(|e| e.to_string())?;
            let cov = shrink_to_average_variance(&cov, cfg.shrinkage).map_err(|e| e.to_string())?;
            let mu: Vec<f64> = (0..k).map(|i| x.column(i).mean()).collect();
            MeanVariance {
                mu: &mu,
                cov: &cov,
                risk_aversion: cfg.risk_aversion,
                turnover_penalty: 0.0,
                w_prev: None,
                constraints: Constraints {
                    budget: Some(1.0),
                    long_only: true,
                    ..Constraints::default()
                },
            }
            .solve()
            .map_err(|e| e.to_string())?
            .w
        }
        Method::Hierarchical => {
            let refs: Vec<&[f64]> = window.iter().map(Vec::as_slice).collect();
            let corr = correlation_matrix(&refs);
            let labels = cluster_average(&corr, k, 0.5).map_err(|e| e.to_string())?;
            hierarchical(
                window,
                &labels,
                Leverage::VolTarget { target: 0.10 },
                10.0,
                252.0,
            )
            .map_err(|e| e.to_string())?
            .alpha
        }
        Method::Adaptive => {
            adaptive(window, None, 0.15, f64::INFINITY, 252.0).map_err(|e| e.to_string())?
        }
        Method::Bayesian => bayesian(window, 0.0, 0.001).map_err(|e| e.to_string())?,
    };
    let gross: f64 = raw.iter().map(|v| v.abs()).sum();
    if !(gross > 0.0) {
        return Err("all alpha weights are zero".into());
    }
    Ok(raw.iter().map(|v| v / gross).collect())
}
