//! Higher-level alpha allocation schemes of PRODUCT A4, A6 and A7.
//!
//! * [`hierarchical`] (A4): alphas → strategies (given cluster labels, e.g. from correlation
//!   clustering) by equal-weight averaging inside each cluster → risk parity across the strategy
//!   return series → final leverage by fractional Kelly (f = κ·μ/σ² of the combined daily
//!   returns) or a volatility target (σ*/σ), capped.
//! * [`adaptive`] (A6, "Man AHL style"): w_i ∝ max(SR_i, 0) × (1 − min(|DD_i| / dd_limit, 1)) ×
//!   regime_i, normalized, then scaled down so the combined historical 95% VaR fits the budget.
//! * [`bayesian`] (A6, "Two Sigma style"): a normal–normal update of each alpha's mean daily
//!   return — prior N(m₀, τ₀²), data mean x̄ with variance s²/n — gives the posterior
//!   m = (m₀/τ₀² + n·x̄/s²)/(1/τ₀² + n/s²), v = 1/(1/τ₀² + n/s²); weights ∝ max(m, 0)/(s² + v)
//!   for alphas whose posterior 95% lower bound m − 1.645·√v is above zero.
//! * [`apply_budgets`] (A7): rescale weights so each strategy's weights sum to its budget
//!   (e.g. momentum 30%, mean reversion 20%, volatility 15%, carry 15%, ML 20%).

use nalgebra::DMatrix;

use crate::optimize::OptimizeError;
use crate::risk::historical;
use crate::risk_parity::risk_parity;
use crate::stats::{nanmean, nanstd};

/// Final leverage rule of the hierarchical scheme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Leverage {
    /// Fraction κ of the Kelly leverage μ/σ².
    Kelly {
        /// Kelly fraction (0.5 = half Kelly).
        fraction: f64,
    },
    /// Target annualized volatility.
    VolTarget {
        /// Annualized volatility target, e.g. 0.10.
        target: f64,
    },
}

/// Output of [`hierarchical`].
#[derive(Debug, Clone, PartialEq)]
pub struct HierarchicalWeights {
    /// Final weight of every alpha (leverage included).
    pub alpha: Vec<f64>,
    /// Risk-parity weight of every strategy (cluster), in label order 0..n_clusters.
    pub strategy: Vec<f64>,
    /// Leverage applied.
    pub leverage: f64,
}

fn check_rectangular(returns: &[Vec<f64>]) -> Result<usize, OptimizeError> {
    let n = returns.first().map(Vec::len).unwrap_or(0);
    if let Some(bad) = returns.iter().find(|r| r.len() != n) {
        return Err(OptimizeError::Shape {
            what: "alpha return series length",
            expected: n,
            got: bad.len(),
        });
    }
    if n < 3 {
        return Err(OptimizeError::Shape {
            what: "return history (≥ 3 periods)",
            expected: 3,
            got: n,
        });
    }
    Ok(n)
}

/// A4: clusters → strategies → risk parity → leverage (capped at `max_leverage`).
pub fn hierarchical(
    returns: &[Vec<f64>],
    labels: &[usize],
    leverage: Leverage,
    max_leverage: f64,
    ann: f64,
) -> Result<HierarchicalWeights, OptimizeError> {
    let n = check_rectangular(returns)?;
    if labels.len() != returns.len() {
        return Err(OptimizeError::Shape {
            what: "cluster labels",
            expected: returns.len(),
            got: labels.len(),
        });
    }
    let k = labels.iter().max().map_or(0, |m| m + 1);
    let sizes: Vec<usize> = (0..k)
        .map(|c| labels.iter().filter(|&&l| l == c).count())
        .collect();
    if let Some(empty) = sizes.iter().position(|s| *s == 0) {
        return Err(OptimizeError::BadParameter {
            name: "cluster label",
            value: empty as f64,
            why: "labels must be 0..k with no empty cluster",
        });
    }
    let mut strat = vec![vec![0.0; n]; k];
    for (r, &c) in returns.iter().zip(labels) {
        for (s, v) in strat[c].iter_mut().zip(r) {
            *s += if v.is_finite() { *v } else { 0.0 } / sizes[c] as f64;
        }
    }
    let cov = DMatrix::from_fn(k, k, |a, b| {
        let (ma, mb) = (nanmean(&strat[a]), nanmean(&strat[b]));
        strat[a]
            .iter()
            .zip(&strat[b])
            .map(|(x, y)| (x - ma) * (y - mb))
            .sum::<f64>()
            / (n - 1) as f64
    });
    let rp = risk_parity(&cov, None, 1e-12, 10_000)?;
    let combined: Vec<f64> = (0..n)
        .map(|t| (0..k).map(|c| rp[c] * strat[c][t]).sum())
        .collect();
    let (mu, sd) = (nanmean(&combined), nanstd(&combined, 1));
    let lev = match leverage {
        Leverage::Kelly { fraction } => fraction * mu / (sd * sd),
        Leverage::VolTarget { target } => target / (sd * ann.sqrt()),
    };
    let lev = if lev.is_finite() {
        lev.clamp(0.0, max_leverage)
    } else {
        0.0
    };
    let alpha = labels
        .iter()
        .map(|&c| lev * rp[c] / sizes[c] as f64)
        .collect();
    Ok(HierarchicalWeights {
        alpha,
        strategy: rp,
        leverage: lev,
    })
}

/// A6 adaptive weights with a VaR budget (95% historical VaR of the combined returns).
pub fn adaptive(
    returns: &[Vec<f64>],
    regime: Option<&[f64]>,
    dd_limit: f64,
    var_budget: f64,
    ann: f64,
) -> Result<Vec<f64>, OptimizeError> {
    let n = check_rectangular(returns)?;
    let raw: Vec<f64> = returns
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let sr = nanmean(r) / nanstd(r, 1) * ann.sqrt();
            let (mut w, mut peak, mut dd) = (1.0f64, 1.0f64, 0.0f64);
            for v in r.iter().filter(|v| v.is_finite()) {
                w *= 1.0 + v;
                peak = peak.max(w);
                dd = dd.min(w / peak - 1.0);
            }
            let penalty = 1.0 - (dd.abs() / dd_limit).min(1.0);
            let reg = regime.and_then(|g| g.get(i)).copied().unwrap_or(1.0);
            if sr.is_finite() {
                sr.max(0.0) * penalty * reg
            } else {
                0.0
            }
        })
        .collect();
    let w = normalize_positive(
        raw,
        "adaptive weight total",
        "no alpha has a positive Sharpe after drawdown and regime penalties",
    )?;
    let combined: Vec<f64> = (0..n)
        .map(|t| {
            returns
                .iter()
                .zip(&w)
                .map(|(r, wi)| wi * if r[t].is_finite() { r[t] } else { 0.0 })
                .sum()
        })
        .collect();
    let var = historical(&combined, 0.95)
        .map_err(|e| OptimizeError::Solver(e.to_string()))?
        .var;
    let scale = crate::risk::var_budget_scale(var, var_budget);
    Ok(w.iter().map(|v| v * scale).collect())
}

/// A6 Bayesian weights; `prior_mean`/`prior_sd` describe the prior on daily mean returns.
pub fn bayesian(
    returns: &[Vec<f64>],
    prior_mean: f64,
    prior_sd: f64,
) -> Result<Vec<f64>, OptimizeError> {
    check_rectangular(returns)?;
    if !(prior_sd > 0.0) {
        return Err(OptimizeError::BadParameter {
            name: "prior_sd",
            value: prior_sd,
            why: "the prior standard deviation must be positive",
        });
    }
    let prec0 = 1.0 / (prior_sd * prior_sd);
    let raw: Vec<f64> = returns
        .iter()
        .map(|r| {
            let valid = r.iter().filter(|v| v.is_finite()).count() as f64;
            let (xbar, s) = (nanmean(r), nanstd(r, 1));
            let data_prec = valid / (s * s);
            let v = 1.0 / (prec0 + data_prec);
            let m = v * (prior_mean * prec0 + xbar * data_prec);
            if m - 1.645 * v.sqrt() > 0.0 && m.is_finite() {
                m / (s * s + v)
            } else {
                0.0
            }
        })
        .collect();
    normalize_positive(
        raw,
        "bayesian weight total",
        "no alpha's posterior mean is confidently positive",
    )
}

/// Divide non-negative raw weights by their sum; an error naming `what` when nothing is positive.
fn normalize_positive(
    raw: Vec<f64>,
    name: &'static str,
    why: &'static str,
) -> Result<Vec<f64>, OptimizeError> {
    let total: f64 = raw.iter().sum();
    if !(total > 0.0) {
        return Err(OptimizeError::BadParameter {
            name,
            value: total,
            why,
        });
    }
    Ok(raw.into_iter().map(|v| v / total).collect())
}

/// A7: rescale `w` so that the weights of strategy s sum to `budgets[s]` (zero-sum strategies
/// are split equally).
pub fn apply_budgets(
    w: &[f64],
    strategy: &[usize],
    budgets: &[f64],
) -> Result<Vec<f64>, OptimizeError> {
    if strategy.len() != w.len() {
        return Err(OptimizeError::Shape {
            what: "strategy labels",
            expected: w.len(),
            got: strategy.len(),
        });
    }
    if let Some(&s) = strategy.iter().find(|&&s| s >= budgets.len()) {
        return Err(OptimizeError::BadParameter {
            name: "strategy label",
            value: s as f64,
            why: "every label needs a budget",
        });
    }
    let mut sums = vec![0.0; budgets.len()];
    let mut counts = vec![0usize; budgets.len()];
    for (x, &s) in w.iter().zip(strategy) {
        sums[s] += x;
        counts[s] += 1;
    }
    Ok(w.iter()
        .zip(strategy)
        .map(|(x, &s)| {
            if sums[s].abs() > 0.0 {
                budgets[s] * x / sums[s]
            } else {
                budgets[s] / counts[s] as f64
            }
        })
        .collect())
}
