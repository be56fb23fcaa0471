//! Performance metrics of a periodic simple-return series, defined exactly as empyrical does.
//!
//! Conventions (empyrical-reloaded 0.5): returns are simple (not log) and non-cumulative;
//! `ann` is the number of periods per year (252 for daily). NaN returns count as 0 in
//! compounding (`cum_returns`) but are skipped by means and standard deviations.
//!
//! | metric | definition |
//! |---|---|
//! | `cum_returns_final` | Π(1+rₜ) − 1 |
//! | `annual_return` (= `cagr`) | (Π(1+rₜ))^(ann/n) − 1, n counting every period |
//! | `annual_volatility` | std(r, ddof=1)·√ann |
//! | `sharpe_ratio` | mean(r−r_f)/std(r−r_f, ddof=1)·√ann |
//! | `downside_risk` | √mean(min(r−req, 0)²)·√ann |
//! | `sortino_ratio` | mean(r−req)·ann / downside_risk |
//! | `max_drawdown` | min over t of W_t / max_{s≤t} W_s − 1, W₀ = 100 before the first return |
//! | `calmar_ratio` | annual_return / |max_drawdown| (NaN when there is no drawdown) |
//! | `omega_ratio` | Σ(r−θ)⁺ / Σ(θ−r)⁺ with θ = (1+req)^(1/ann) − 1 |
//! | `tail_ratio` | |P95(r)| / |P5(r)| (numpy linear percentiles) |
//! | `stability_of_timeseries` | R² of a linear fit of cumulative log returns on time |
//! | `value_at_risk` | P_{100·cutoff}(r) |
//! | `conditional_value_at_risk` | mean of the ⌊(n−1)·cutoff⌋+1 smallest returns |
//! | `beta`, `alpha` | β = cov(r,b)/var(b) (population moments over days where r is valid); α = (1 + mean(r − β·b))^ann − 1 |
//! | `excess_sharpe` | mean(r−b)/std(r−b, ddof=1), not annualized |
//! | `capture`, `up_capture`, `down_capture` | annual_return(r)/annual_return(b), on all / b>0 / b<0 days |
//! | `win_rate` | share of valid periods with r > 0 |
//! | `profit_factor` | Σ r⁺ / Σ r⁻ (NaN with no losing period) |

use indexmap::IndexMap;
use serde::Serialize;
use thiserror::Error;

use crate::stats::{nanmean, nanstd, pearson, percentile};

/// Why metrics cannot be computed.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum MetricsError {
    /// Returns and benchmark have different lengths after alignment.
    #[error(
        "returns have {returns} values but the benchmark has {benchmark}; align them by date first"
    )]
    LengthMismatch {
        /// Length of the return series.
        returns: usize,
        /// Length of the benchmark series.
        benchmark: usize,
    },
    /// Annualization factor must be positive.
    #[error("annualization factor must be positive, got {0}")]
    BadAnnualization(f64),
}

/// Π(1+rₜ) − 1, NaN treated as 0.
pub fn cum_returns_final(r: &[f64]) -> f64 {
    r.iter()
        .map(|v| if v.is_nan() { 0.0 } else { *v })
        .fold(1.0, |acc, v| acc * (1.0 + v))
        - 1.0
}

/// Compound annual growth rate over `r.len()` periods.
pub fn annual_return(r: &[f64], ann: f64) -> f64 {
    if r.is_empty() {
        return f64::NAN;
    }
    let years = r.len() as f64 / ann;
    (cum_returns_final(r) + 1.0).powf(1.0 / years) - 1.0
}

/// Annualized standard deviation (ddof = 1).
pub fn annual_volatility(r: &[f64], ann: f64) -> f64 {
    if r.len() < 2 {
        return f64::NAN;
    }
    nanstd(r, 1) * ann.sqrt()
}

/// Annualized Sharpe ratio against a constant per-period risk-free rate.
pub fn sharpe_ratio(r: &[f64], risk_free: f64, ann: f64) -> f64 {
    if r.len() < 2 {
        return f64::NAN;
    }
    let adj: Vec<f64> = r.iter().map(|v| v - risk_free).collect();
    nanmean(&adj) / nanstd(&adj, 1) * ann.sqrt()
}

/// Annualized downside deviation below `required` per period.
pub fn downside_risk(r: &[f64], required: f64, ann: f64) -> f64 {
    if r.is_empty() {
        return f64::NAN;
    }
    // `f64::min` would turn NaN into 0; numpy's clip keeps it (and nanmean then skips it).
    let sq: Vec<f64> = r
        .iter()
        .map(|v| {
            if v.is_nan() {
                f64::NAN
            } else {
                (v - required).min(0.0).powi(2)
            }
        })
        .collect();
    nanmean(&sq).sqrt() * ann.sqrt()
}

/// Annualized Sortino ratio.
pub fn sortino_ratio(r: &[f64], required: f64, ann: f64) -> f64 {
    if r.len() < 2 {
        return f64::NAN;
    }
    let adj: Vec<f64> = r.iter().map(|v| v - required).collect();
    nanmean(&adj) * ann / downside_risk(r, required, ann)
}

/// Drawdown series W_t / max_{s≤t} W_s − 1 (one value per return).
pub fn drawdown_series(r: &[f64]) -> Vec<f64> {
    let mut w = 100.0f64;
    let mut peak = w;
    r.iter()
        .map(|v| {
            w *= 1.0 + if v.is_nan() { 0.0 } else { *v };
            peak = peak.max(w);
            (w - peak) / peak
        })
        .collect()
}

/// Largest peak-to-trough loss (a non-positive number).
pub fn max_drawdown(r: &[f64]) -> f64 {
    if r.is_empty() {
        return f64::NAN;
    }
    drawdown_series(r).into_iter().fold(0.0, f64::min)
}

/// Annual return over the absolute maximum drawdown.
pub fn calmar_ratio(r: &[f64], ann: f64) -> f64 {
    let dd = max_drawdown(r);
    if dd.is_nan() || dd >= 0.0 {
        return f64::NAN;
    }
    let c = annual_return(r, ann) / dd.abs();
    if c.is_infinite() {
        f64::NAN
    } else {
        c
    }
}

/// Omega ratio at an annual required return.
pub fn omega_ratio(r: &[f64], risk_free: f64, required: f64, ann: f64) -> f64 {
    if r.len() < 2 {
        return f64::NAN;
    }
    let thr = if ann == 1.0 {
        required
    } else if required <= -1.0 {
        return f64::NAN;
    } else {
        (1.0 + required).powf(1.0 / ann) - 1.0
    };
    let (mut up, mut down) = (0.0, 0.0);
    for v in r.iter().map(|v| v - risk_free - thr) {
        if v > 0.0 {
            up += v;
        } else if v < 0.0 {
            down -= v;
        }
    }
    if down > 0.0 {
        up / down
    } else {
        f64::NAN
    }
}

/// |95th percentile| / |5th percentile| of the valid returns.
pub fn tail_ratio(r: &[f64]) -> f64 {
    let v: Vec<f64> = r.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    percentile(&v, 95.0).abs() / percentile(&v, 5.0).abs()
}

/// R² of cumulative log returns regressed on time.
pub fn stability_of_timeseries(r: &[f64]) -> f64 {
    if r.len() < 2 {
        return f64::NAN;
    }
    let mut acc = 0.0;
    let cum: Vec<f64> = r
        .iter()
        .filter(|v| !v.is_nan())
        .map(|v| {
            acc += v.ln_1p();
            acc
        })
        .collect();
    let t: Vec<f64> = (0..cum.len()).map(|i| i as f64).collect();
    let rho = pearson(&t, &cum);
    rho * rho
}

/// Historical value at risk: the `cutoff` percentile of returns (a negative number for losses).
pub fn value_at_risk(r: &[f64], cutoff: f64) -> f64 {
    percentile(r, 100.0 * cutoff)
}

/// Historical expected shortfall: mean of the ⌊(n−1)·cutoff⌋+1 smallest returns.
pub fn conditional_value_at_risk(r: &[f64], cutoff: f64) -> f64 {
    if r.is_empty() {
        return f64::NAN;
    }
    let k = ((r.len() - 1) as f64 * cutoff) as usize;
    let mut s = r.to_vec();
    s.sort_by(f64::total_cmp);
    s[..=k].iter().sum::<f64>() / (k + 1) as f64
}

/// β of returns on benchmark returns (empyrical's `beta_aligned`).
pub fn beta(r: &[f64], b: &[f64], risk_free: f64) -> f64 {
    if r.is_empty() || b.len() < 2 {
        return f64::NAN;
    }
    let _ = risk_free; // empyrical's beta ignores the risk-free rate (kept for signature parity)
    let ind: Vec<f64> = r
        .iter()
        .zip(b)
        .map(|(ri, bi)| if ri.is_nan() { f64::NAN } else { *bi })
        .collect();
    let m = nanmean(&ind);
    let resid: Vec<f64> = ind.iter().map(|v| v - m).collect();
    let cov = nanmean(
        &resid
            .iter()
            .zip(r)
            .map(|(e, ri)| e * ri)
            .collect::<Vec<_>>(),
    );
    let var = nanmean(&resid.iter().map(|e| e * e).collect::<Vec<_>>());
    if var < 1e-30 || var.is_nan() {
        return f64::NAN;
    }
    cov / var
}

/// Annualized Jensen's α given β (empyrical's `alpha_aligned`).
pub fn alpha(r: &[f64], b: &[f64], risk_free: f64, ann: f64) -> f64 {
    if r.len() < 2 {
        return f64::NAN;
    }
    let be = beta(r, b, risk_free);
    let s: Vec<f64> = r
        .iter()
        .zip(b)
        .map(|(ri, bi)| (ri - risk_free) - be * (bi - risk_free))
        .collect();
    (nanmean(&s) + 1.0).powf(ann) - 1.0
}

/// Mean active return over tracking error (not annualized).
pub fn excess_sharpe(r: &[f64], b: &[f64]) -> f64 {
    if r.len() < 2 {
        return f64::NAN;
    }
    let a: Vec<f64> = r.iter().zip(b).map(|(x, y)| x - y).collect();
    let te = nanstd(&a, 1);
    nanmean(&a) / if te.is_nan() { 0.0 } else { te }
}

/// Ratio of annual returns (all, up-benchmark, or down-benchmark periods).
pub fn capture(r: &[f64], b: &[f64], ann: f64, keep: impl Fn(f64) -> bool) -> f64 {
    let (rs, bs): (Vec<f64>, Vec<f64>) = r.iter().zip(b).filter(|(_, bi)| keep(**bi)).unzip();
    annual_return(&rs, ann) / annual_return(&bs, ann)
}

/// Share of valid periods with a positive return.
pub fn win_rate(r: &[f64]) -> f64 {
    let valid: Vec<f64> = r.iter().copied().filter(|v| !v.is_nan()).collect();
    if valid.is_empty() {
        return f64::NAN;
    }
    valid.iter().filter(|v| **v > 0.0).count() as f64 / valid.len() as f64
}

/// Gross profits over gross losses.
pub fn profit_factor(r: &[f64]) -> f64 {
    let gains: f64 = r.iter().filter(|v| **v > 0.0).sum();
    let losses: f64 = -r.iter().filter(|v| **v < 0.0).sum::<f64>();
    if losses > 0.0 {
        gains / losses
    } else {
        f64::NAN
    }
}

/// Every metric of one return series, keyed by empyrical's function names, in a stable order.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PerformanceReport {
    /// Number of periods.
    pub nobs: usize,
    /// Metric name → value (NaN serializes as `null`).
    pub metrics: IndexMap<String, f64>,
}

impl PerformanceReport {
    /// Compute all metrics of `r` (and benchmark-relative ones when `benchmark` is given;
    /// it must already be aligned by date). `risk_free` is per period; `ann` periods per year.
    pub fn compute(
        r: &[f64],
        benchmark: Option<&[f64]>,
        risk_free: f64,
        ann: f64,
    ) -> Result<Self, MetricsError> {
        if ann.is_nan() || ann <= 0.0 {
            return Err(MetricsError::BadAnnualization(ann));
        }
        let mut m = IndexMap::new();
        let mut put = |k: &str, v: f64| {
            m.insert(k.to_string(), v);
        };
        put("cum_returns_final", cum_returns_final(r));
        put("annual_return", annual_return(r, ann));
        put("cagr", annual_return(r, ann));
        put("annual_volatility", annual_volatility(r, ann));
        put("sharpe_ratio", sharpe_ratio(r, risk_free, ann));
        put("sortino_ratio", sortino_ratio(r, 0.0, ann));
        put("downside_risk", downside_risk(r, 0.0, ann));
        put("calmar_ratio", calmar_ratio(r, ann));
        put("max_drawdown", max_drawdown(r));
        put("omega_ratio", omega_ratio(r, risk_free, 0.0, ann));
        put("tail_ratio", tail_ratio(r));
        put("stability_of_timeseries", stability_of_timeseries(r));
        put("value_at_risk", value_at_risk(r, 0.05));
        put(
            "conditional_value_at_risk",
            conditional_value_at_risk(r, 0.05),
        );
        put("win_rate", win_rate(r));
        put("profit_factor", profit_factor(r));
        if let Some(b) = benchmark {
            if b.len() != r.len() {
                return Err(MetricsError::LengthMismatch {
                    returns: r.len(),
                    benchmark: b.len(),
                });
            }
            put("alpha", alpha(r, b, risk_free, ann));
            put("beta", beta(r, b, risk_free));
            put("excess_sharpe", excess_sharpe(r, b));
            put("capture", capture(r, b, ann, |_| true));
            put("up_capture", capture(r, b, ann, |x| x > 0.0));
            put("down_capture", capture(r, b, ann, |x| x < 0.0));
        }
        Ok(PerformanceReport {
            nobs: r.len(),
            metrics: m,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_derived_tiny_series() {
        let r = [0.1, -0.2, 0.1];
        // 1.1 · 0.8 · 1.1 − 1 = −0.032
        assert!((cum_returns_final(&r) + 0.032).abs() < 1e-15);
        // wealth 110, 88, 96.8 → worst drawdown 88/110 − 1 = −0.2
        assert!((max_drawdown(&r) + 0.2).abs() < 1e-15);
        assert!((win_rate(&r) - 2.0 / 3.0).abs() < 1e-15);
        assert!((profit_factor(&r) - 1.0).abs() < 1e-15);
        // omega with zero threshold: (0.1 + 0.1) / 0.2 = 1
        assert!((omega_ratio(&r, 0.0, 0.0, 252.0) - 1.0).abs() < 1e-15);
        assert!(calmar_ratio(&[0.01, 0.02], 252.0).is_nan());
    }

    #[test]
    fn beta_of_scaled_benchmark_is_the_scale() {
        let b = [0.01, -0.02, 0.015, 0.003, -0.007];
        let r: Vec<f64> = b.iter().map(|x| 1.5 * x).collect();
        assert!((beta(&r, &b, 0.0) - 1.5).abs() < 1e-12);
        assert!(alpha(&r, &b, 0.0, 252.0).abs() < 1e-12);
        assert!(matches!(
            PerformanceReport::compute(&r, Some(&b[..3]), 0.0, 252.0),
            Err(MetricsError::LengthMismatch { .. })
        ));
    }
}
