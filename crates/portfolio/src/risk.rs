//! Portfolio risk measures and the risk rules of PRODUCT P2/P3.
//!
//! Sign convention: VaR and CVaR are reported as **positive loss fractions** (a 95% one-day VaR
//! of 0.02 means a 2% loss is exceeded on 5% of days).
//!
//! * Historical VaR at level `c` (e.g. 0.95): −P_{100(1−c)}(r), numpy's linear percentile.
//!   Historical CVaR: −mean of the returns at or below that percentile.
//! * Parametric (normal) VaR: −(μ + σ·Φ⁻¹(1−c)); CVaR: −(μ − σ·φ(Φ⁻¹(1−c))/(1−c)).
//! * GARCH-based VaR comes from `af-vol` (the fitted distribution's quantile of the forecast σ).
//! * P2 dynamic leverage: risk score = VaR + 0.5·CVaR; > 0.05 → 0.5, > 0.03 → 0.7, else 1.0.

use serde::Serialize;
use statrs::distribution::{Continuous, ContinuousCDF, Normal};
use thiserror::Error;

use crate::stats::{nanmean, nanstd, percentile};

/// Why a risk figure cannot be computed.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum RiskError {
    /// Confidence level outside (0, 1).
    #[error("confidence level must lie strictly between 0 and 1, got {0}")]
    BadLevel(f64),
    /// Not enough valid returns.
    #[error("need at least {needed} valid returns, got {got}")]
    TooFewReturns {
        /// Minimum count.
        needed: usize,
        /// Valid returns given.
        got: usize,
    },
    /// The GARCH engine could not produce a risk figure.
    #[error("GARCH risk: {0}")]
    Garch(String),
}

/// VaR and CVaR at one confidence level, as positive loss fractions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct VarCvar {
    /// Confidence level, e.g. 0.95.
    pub level: f64,
    /// Value at risk.
    pub var: f64,
    /// Conditional value at risk (expected shortfall).
    pub cvar: f64,
}

fn valid(r: &[f64], needed: usize, level: f64) -> Result<Vec<f64>, RiskError> {
    if !(level > 0.0 && level < 1.0) {
        return Err(RiskError::BadLevel(level));
    }
    let v: Vec<f64> = r.iter().copied().filter(|x| x.is_finite()).collect();
    if v.len() < needed {
        return Err(RiskError::TooFewReturns {
            needed,
            got: v.len(),
        });
    }
    Ok(v)
}

/// Historical VaR and CVaR of a return sample.
pub fn historical(r: &[f64], level: f64) -> Result<VarCvar, RiskError> {
    let v = valid(r, 1, level)?;
    let q = percentile(&v, 100.0 * (1.0 - level));
    let tail: Vec<f64> = v.iter().copied().filter(|x| *x <= q).collect();
    Ok(VarCvar {
        level,
        var: -q,
        cvar: -nanmean(&tail),
    })
}

/// Normal (variance–covariance) VaR and CVaR from the sample mean and standard deviation.
pub fn parametric_normal(r: &[f64], level: f64) -> Result<VarCvar, RiskError> {
    let v = valid(r, 2, level)?;
    let (mu, sd) = (nanmean(&v), nanstd(&v, 1));
    Ok(normal_var_cvar(mu, sd, level))
}

/// Normal VaR and CVaR for a given mean and volatility (e.g. a GARCH σ forecast).
pub fn normal_var_cvar(mu: f64, sigma: f64, level: f64) -> VarCvar {
    let std = Normal::standard();
    let a = 1.0 - level;
    let z = std.inverse_cdf(a);
    VarCvar {
        level,
        var: -(mu + sigma * z),
        cvar: -(mu - sigma * std.pdf(z) / a),
    }
}

/// PRODUCT P2: risk score = VaR + 0.5·CVaR.
pub fn risk_score(v: &VarCvar) -> f64 {
    v.var + 0.5 * v.cvar
}

/// PRODUCT P2: leverage from the risk score (> 0.05 → 0.5, > 0.03 → 0.7, else 1.0).
pub fn dynamic_leverage(score: f64) -> f64 {
    if score > 0.05 {
        0.5
    } else if score > 0.03 {
        0.7
    } else {
        1.0
    }
}

/// Scale factor that brings a portfolio's VaR within a VaR budget (1.0 when already inside).
pub fn var_budget_scale(var: f64, budget: f64) -> f64 {
    if var > budget && var > 0.0 {
        budget / var
    } else {
        1.0
    }
}

/// Whether a drawdown stop is hit: the current drawdown (≤ 0) is below −`limit`.
pub fn drawdown_stop(current_drawdown: f64, limit: f64) -> bool {
    current_drawdown < -limit.abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn historical_by_hand() {
        // 20 returns −0.10, −0.09, …, 0.09; the 5th percentile sits at position 0.05·19 = 0.95 → −0.10 + 0.95·0.01 = −0.0905
        let r: Vec<f64> = (0..20).map(|i| -0.10 + 0.01 * i as f64).collect();
        let h = historical(&r, 0.95).unwrap();
        assert!((h.var - 0.0905).abs() < 1e-12);
        assert!((h.cvar - 0.10).abs() < 1e-12);
        assert_eq!(historical(&r, 1.0), Err(RiskError::BadLevel(1.0)));
    }

    #[test]
    fn normal_quantiles_and_rules() {
        // Φ⁻¹(0.05) = −1.6448536269514729; φ(z)/0.05 = 2.0627128075074257
        let v = normal_var_cvar(0.0, 0.01, 0.95);
        assert!((v.var - 0.016_448_536_269_514_73).abs() < 1e-12);
        assert!((v.cvar - 0.020_627_128_075_074_26).abs() < 1e-12);
        assert_eq!(dynamic_leverage(risk_score(&v)), 1.0); // 0.0268 ≤ 0.03
        assert_eq!(dynamic_leverage(0.04), 0.7);
        assert_eq!(dynamic_leverage(0.06), 0.5);
        assert!((var_budget_scale(0.04, 0.02) - 0.5).abs() < 1e-15);
        assert!(drawdown_stop(-0.16, 0.15) && !drawdown_stop(-0.10, 0.15));
    }
}
