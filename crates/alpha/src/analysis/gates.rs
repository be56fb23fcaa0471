//! The validation gates an alpha must pass before it joins a book (PRODUCT A2).
//!
//! At one horizon `h`, with the factor's mean rank IC `IC`, its t-statistic `t`, the mean
//! turnover `τ` of its top and bottom buckets at period `h`, a one-way trading cost `c`
//! (`cost_bps / 10⁴`) and `σ_h` the mean cross-sectional standard deviation of `h`-period
//! forward returns:
//!
//! ```text
//! IC gate          |IC| ≥ min_ic                      (0.02)
//! t gate           |t|  ≥ min_t                       (2)
//! cost gate        cost_IC < max_cost_share · |IC|    (0.3)
//!                  cost_IC = 2 · τ · c / σ_h
//! liquidity gate   liquidity > min_liquidity          (0.7; see `liquidity`)
//! ```
//!
//! The cost model: every rebalance (each `h` periods) replaces a share `τ` of each leg, paying
//! `c` on the sale and again on the purchase, `2·τ·c` per unit of book. A z-scored,
//! unit-exposure cross-sectional portfolio earns `IC · σ_h` per period, so a return `x` is
//! `x / σ_h` in IC units. Signs do not matter: a reliably negative factor is a positive one
//! reversed. The liquidity gate is skipped (passes, reported as `None`) without volume data.

use serde::Serialize;

use super::analyze::HorizonAnalysis;
use super::error::AnalysisError;

/// Thresholds of the gates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GateConfig {
    /// Minimum |mean rank IC|.
    pub min_ic: f64,
    /// Minimum |t-statistic| of the rank IC.
    pub min_t: f64,
    /// One-way trading cost in basis points of traded value.
    pub cost_bps: f64,
    /// Maximum cost as a share of |IC|.
    pub max_cost_share: f64,
    /// Minimum liquidity score.
    pub min_liquidity: f64,
}

impl Default for GateConfig {
    fn default() -> Self {
        Self {
            min_ic: 0.02,
            min_t: 2.0,
            cost_bps: 10.0,
            max_cost_share: 0.3,
            min_liquidity: 0.7,
        }
    }
}

impl GateConfig {
    /// Checks every threshold is finite and non-negative.
    pub fn validate(&self) -> Result<(), AnalysisError> {
        for (name, value) in [
            ("min_ic", self.min_ic),
            ("min_t", self.min_t),
            ("cost_bps", self.cost_bps),
            ("max_cost_share", self.max_cost_share),
            ("min_liquidity", self.min_liquidity),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(AnalysisError::Parameter {
                    name,
                    value,
                    reason: "must be finite and ≥ 0",
                });
            }
        }
        Ok(())
    }
}

/// The outcome of the gates for one factor at one horizon.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GateReport {
    /// Mean rank IC.
    pub ic: f64,
    /// t-statistic of the rank IC.
    pub t_stat: f64,
    /// Trading cost in IC units (`2 · τ · c / σ_h`).
    pub cost_ic: f64,
    /// Liquidity score, when volume was given.
    pub liquidity: Option<f64>,
    /// |IC| ≥ min_ic.
    pub pass_ic: bool,
    /// |t| ≥ min_t.
    pub pass_t: bool,
    /// cost_IC < max_cost_share · |IC|.
    pub pass_cost: bool,
    /// liquidity > min_liquidity (`None` when not evaluated).
    pub pass_liquidity: Option<bool>,
    /// Every evaluated gate passed.
    pub pass: bool,
}

/// Evaluates the gates of a horizon's analysis. `return_scale` is `σ_h`
/// ([`super::ForwardReturns::cross_sectional_std`]).
pub fn evaluate_gates(
    h: &HorizonAnalysis,
    return_scale: f64,
    liquidity: Option<f64>,
    cfg: &GateConfig,
) -> GateReport {
    let ic = h.rank_ic_stats.mean;
    let t_stat = h.rank_ic_stats.t_stat;
    let cost_ic = 2.0 * h.turnover * cfg.cost_bps * 1e-4 / return_scale;
    let pass_ic = ic.abs() >= cfg.min_ic;
    let pass_t = t_stat.abs() >= cfg.min_t;
    let pass_cost = cost_ic < cfg.max_cost_share * ic.abs();
    let pass_liquidity = liquidity.map(|l| l > cfg.min_liquidity);
    GateReport {
        ic,
        t_stat,
        cost_ic,
        liquidity,
        pass_ic,
        pass_t,
        pass_cost,
        pass_liquidity,
        pass: pass_ic && pass_t && pass_cost && pass_liquidity.unwrap_or(true),
    }
}
