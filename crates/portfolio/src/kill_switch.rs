//! Online alpha retirement — the kill switch of PRODUCT A5 — and the portfolio's risk state.
//!
//! Every day t from the first full window on, each live alpha is checked over its last `window`
//! daily returns (annualization `ann`):
//! * **low Sharpe**: mean/std(ddof 1)·√ann < `min_sharpe` (0.5);
//! * **drawdown**: drawdown of its compounded returns since inception below −`max_drawdown` (15%);
//! * **correlated**: Pearson correlation with another live alpha > `max_correlation` (0.9) — the
//!   one with the lower window Sharpe is retired (the lower index on ties);
//! * **IR shortfall**: recent Sharpe significantly below the expected one — one-sided
//!   z = (SR_recent − SR_expected)/√((1 + SR²_recent/2)/n) on daily Sharpe ratios (Lo 2002),
//!   retire when Φ(z) < `shortfall_p` (0.05);
//! * **expiry**: age in days ≥ `expiry_days`.
//!
//! A retired alpha is never revived; its weight multiplier shrinks by `decay` per day (gradual
//! retirement) and snaps to 0 below 1%. Every retirement is logged with all its reasons.
//! The portfolio as a whole is `Active`, `Reducing` (drawdown beyond `reduce_drawdown`) or
//! `Halted` (drawdown beyond `halt_drawdown`).

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::stats::{nanmean, nanstd, pearson};

/// Kill-switch thresholds (defaults from PRODUCT A5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KillSwitchConfig {
    /// Rolling window in days.
    pub window: usize,
    /// Minimum annualized Sharpe over the window.
    pub min_sharpe: f64,
    /// Maximum drawdown since inception (fraction).
    pub max_drawdown: f64,
    /// Maximum correlation with another live alpha.
    pub max_correlation: f64,
    /// Expected annualized Sharpe per alpha (enables the IR-shortfall test).
    pub expected_sharpe: Option<Vec<f64>>,
    /// p-value below which a shortfall retires the alpha.
    pub shortfall_p: f64,
    /// Maximum age in days.
    pub expiry_days: Option<usize>,
    /// Daily multiplier applied to a retiring alpha's weight.
    pub decay: f64,
    /// Periods per year.
    pub ann: f64,
}

impl Default for KillSwitchConfig {
    fn default() -> Self {
        KillSwitchConfig {
            window: 30,
            min_sharpe: 0.5,
            max_drawdown: 0.15,
            max_correlation: 0.9,
            expected_sharpe: None,
            shortfall_p: 0.05,
            expiry_days: None,
            decay: 0.5,
            ann: 252.0,
        }
    }
}

/// Why an alpha was retired.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum RetireReason {
    /// Window Sharpe below the minimum.
    LowSharpe {
        /// Annualized Sharpe over the window.
        sharpe: f64,
    },
    /// Drawdown since inception beyond the limit.
    Drawdown {
        /// Current drawdown (negative).
        drawdown: f64,
    },
    /// Too correlated with a better live alpha.
    Correlated {
        /// Index of the alpha kept.
        with: usize,
        /// Window correlation.
        rho: f64,
    },
    /// Recent Sharpe significantly below expectation.
    IrShortfall {
        /// Recent annualized Sharpe.
        recent: f64,
        /// Expected annualized Sharpe.
        expected: f64,
        /// One-sided p-value.
        p_value: f64,
    },
    /// Past its validity.
    Expired {
        /// Age in days.
        age: usize,
    },
}

/// One retirement, for the registry's log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetirementEvent {
    /// Day index.
    pub day: usize,
    /// Alpha index.
    pub alpha: usize,
    /// Every reason that applied that day.
    pub reasons: Vec<RetireReason>,
}

/// Weight multipliers over time and the retirement log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KillSwitchRun {
    /// `multipliers[i][t]` ∈ [0, 1] scales alpha i's weight on day t.
    pub multipliers: Vec<Vec<f64>>,
    /// Retirements in order of day, then alpha.
    pub events: Vec<RetirementEvent>,
}

/// The portfolio's risk state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PortfolioState {
    /// Normal operation.
    Active,
    /// Cutting risk.
    Reducing,
    /// Trading stopped.
    Halted,
}

/// Portfolio state from its current drawdown (≤ 0).
pub fn portfolio_state(drawdown: f64, reduce_drawdown: f64, halt_drawdown: f64) -> PortfolioState {
    if drawdown <= -halt_drawdown.abs() {
        PortfolioState::Halted
    } else if drawdown <= -reduce_drawdown.abs() {
        PortfolioState::Reducing
    } else {
        PortfolioState::Active
    }
}

fn sharpe(x: &[f64], ann: f64) -> f64 {
    nanmean(x) / nanstd(x, 1) * ann.sqrt()
}

/// Run the kill switch over daily alpha returns (`returns[i]` is alpha i's series; all the same
/// length). Alpha i is born on day `born[i]` (0 when `born` is `None`).
pub fn run(returns: &[Vec<f64>], born: Option<&[usize]>, cfg: &KillSwitchConfig) -> KillSwitchRun {
    let k = returns.len();
    let n = returns.iter().map(Vec::len).min().unwrap_or(0);
    let mut mult = vec![vec![1.0; n]; k];
    let mut retired = vec![false; k];
    let mut wealth = vec![1.0f64; k];
    let mut peak = vec![1.0f64; k];
    let mut events = Vec::new();
    let std_normal = Normal::standard();
    let birth = |i: usize| born.and_then(|b| b.get(i).copied()).unwrap_or(0);
    for t in 0..n {
        for i in 0..k {
            if t >= birth(i) {
                let r = returns[i][t];
                wealth[i] *= 1.0 + if r.is_finite() { r } else { 0.0 };
                peak[i] = peak[i].max(wealth[i]);
            }
        }
        let mut today: Vec<Vec<RetireReason>> = vec![Vec::new(); k];
        let live: Vec<usize> = (0..k)
            .filter(|&i| !retired[i] && t + 1 >= birth(i) + cfg.window)
            .collect();
        let lo = (t + 1).saturating_sub(cfg.window);
        let sharpes: Vec<f64> = (0..k)
            .map(|i| sharpe(&returns[i][lo..=t], cfg.ann))
            .collect();
        for &i in &live {
            let w = &returns[i][lo..=t];
            let sr = sharpes[i];
            if sr < cfg.min_sharpe {
                today[i].push(RetireReason::LowSharpe { sharpe: sr });
            }
            let dd = wealth[i] / peak[i] - 1.0;
            if dd < -cfg.max_drawdown {
                today[i].push(RetireReason::Drawdown { drawdown: dd });
            }
            if let Some(exp) = cfg.expected_sharpe.as_ref().and_then(|e| e.get(i)) {
                let (daily_recent, daily_exp) = (sr / cfg.ann.sqrt(), exp / cfg.ann.sqrt());
                let se = ((1.0 + daily_recent * daily_recent / 2.0) / w.len() as f64).sqrt();
                let p = std_normal.cdf((daily_recent - daily_exp) / se);
                if p < cfg.shortfall_p {
                    today[i].push(RetireReason::IrShortfall {
                        recent: sr,
                        expected: *exp,
                        p_value: p,
                    });
                }
            }
            if let Some(max_age) = cfg.expiry_days {
                let age = t + 1 - birth(i);
                if age >= max_age {
                    today[i].push(RetireReason::Expired { age });
                }
            }
        }
        for (x, &i) in live.iter().enumerate() {
            for &j in &live[x + 1..] {
                let rho = pearson(&returns[i][lo..=t], &returns[j][lo..=t]);
                if rho > cfg.max_correlation {
                    let (worse, better) = if sharpes[j] < sharpes[i] {
                        (j, i)
                    } else {
                        (i, j)
                    };
                    if !today[better]
                        .iter()
                        .any(|r| matches!(r, RetireReason::Correlated { .. }))
                    {
                        today[worse].push(RetireReason::Correlated { with: better, rho });
                    }
                }
            }
        }
        for i in 0..k {
            if !today[i].is_empty() {
                retired[i] = true;
                events.push(RetirementEvent {
                    day: t,
                    alpha: i,
                    reasons: std::mem::take(&mut today[i]),
                });
            }
            if t < birth(i) {
                mult[i][t] = 0.0;
            } else if retired[i] {
                let prev = if t > 0 { mult[i][t - 1] } else { 1.0 };
                let m = prev * cfg.decay;
                mult[i][t] = if m < 0.01 { 0.0 } else { m };
            }
        }
    }
    KillSwitchRun {
        multipliers: mult,
        events,
    }
}
