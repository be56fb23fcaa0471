//! Daily backtest accounting with no look-ahead, transaction costs and turnover (PRODUCT P5, P6).
//!
//! Layout: `targets` and `returns` are `dates × assets`, column-major by asset as in
//! `af_core::Panel` (asset `a`, date `t` at `a·n + t`). `returns[t]` is the simple return from
//! close t−1 to close t.
//!
//! Timing (no look-ahead): a target weight vector decided from information up to close `s` is
//! traded at the close of day `s + lag` (the "t+1 prices" default is `lag = 1`) and therefore
//! earns the returns of days `s + lag + 1, …`. `lag = 0` trades at the signal's own close —
//! allowed, but only honest when the signal is computable before that close.
//!
//! Accounting per day t (h = held weights, w̃ = weights drifted by the previous day's returns):
//!   w̃_{t,a} = h_{t−1,a}·(1 + r_{t−1,a}) / (1 + R^gross_{t−1});
//!   turnover_t = Σ_a |h_{t,a} − w̃_{t,a}|, cost_t = turnover_t·(cost_bps + slippage_bps)/10⁴;
//!   R^gross_t = Σ_a h_{t,a}·r_{t,a};  R^net_t = R^gross_t − cost_t.
//! A missing target (NaN) means "no position"; a missing return of a held asset counts as 0.
//! Targets are held until the next non-missing row (`rebalance_every` > 1 holds them for that
//! many days, letting weights drift).

use serde::Serialize;
use thiserror::Error;

use crate::metrics::{MetricsError, PerformanceReport};

/// Why a backtest cannot run.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum BacktestError {
    /// Inputs do not have `n_dates × n_assets` values.
    #[error("{what} has {got} values but dates × assets = {expected}")]
    Shape {
        /// Which input.
        what: &'static str,
        /// Expected length.
        expected: usize,
        /// Actual length.
        got: usize,
    },
    /// A negative cost or a zero rebalance period.
    #[error("invalid backtest setting {name} = {value}: {why}")]
    BadSetting {
        /// Setting name.
        name: &'static str,
        /// Its value.
        value: f64,
        /// What is wrong.
        why: &'static str,
    },
    /// Metrics failed.
    #[error(transparent)]
    Metrics(#[from] MetricsError),
}

/// Backtest settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BacktestConfig {
    /// Bars between the signal's close and the trade's close (1 = trade at t+1 prices).
    pub lag: usize,
    /// Commission and fees in basis points of traded notional.
    pub cost_bps: f64,
    /// Slippage in basis points of traded notional.
    pub slippage_bps: f64,
    /// Rebalance every k days (1 = daily).
    pub rebalance_every: usize,
    /// Periods per year for the metrics.
    pub periods_per_year: f64,
}

impl Default for BacktestConfig {
    fn default() -> Self {
        BacktestConfig {
            lag: 1,
            cost_bps: 5.0,
            slippage_bps: 5.0,
            rebalance_every: 1,
            periods_per_year: 252.0,
        }
    }
}

/// Everything a backtest produced, day by day.
#[derive(Debug, Clone, Serialize)]
pub struct BacktestResult {
    /// Net portfolio return per day.
    pub net_returns: Vec<f64>,
    /// Gross portfolio return per day.
    pub gross_returns: Vec<f64>,
    /// Traded notional per day as a fraction of equity (Σ|Δw|).
    pub turnover: Vec<f64>,
    /// Costs per day as a fraction of equity.
    pub costs: Vec<f64>,
    /// Weights held per day, column-major by asset.
    pub holdings: Vec<f64>,
    /// Metrics of the net returns.
    pub report: PerformanceReport,
}

/// Run the backtest; see the module docs for the exact accounting.
pub fn run(
    targets: &[f64],
    returns: &[f64],
    n_dates: usize,
    n_assets: usize,
    cfg: &BacktestConfig,
) -> Result<BacktestResult, BacktestError> {
    let cells = n_dates * n_assets;
    for (what, got) in [("targets", targets.len()), ("returns", returns.len())] {
        if got != cells {
            return Err(BacktestError::Shape {
                what,
                expected: cells,
                got,
            });
        }
    }
    if cfg.cost_bps < 0.0 || cfg.slippage_bps < 0.0 {
        return Err(BacktestError::BadSetting {
            name: "cost_bps/slippage_bps",
            value: cfg.cost_bps.min(cfg.slippage_bps),
            why: "costs cannot be negative",
        });
    }
    if cfg.rebalance_every == 0 {
        return Err(BacktestError::BadSetting {
            name: "rebalance_every",
            value: 0.0,
            why: "must be at least 1",
        });
    }
    let n = n_dates;
    let ret = |a: usize, t: usize| {
        let v = returns[a * n + t];
        if v.is_finite() {
            v
        } else {
            0.0
        }
    };
    let cost_rate = (cfg.cost_bps + cfg.slippage_bps) / 1e4;
    let mut holdings = vec![0.0; cells];
    let (mut gross, mut net) = (vec![0.0; n], vec![0.0; n]);
    let (mut turnover, mut costs) = (vec![0.0; n], vec![0.0; n]);
    let mut prev = vec![0.0; n_assets];
    let mut drifted = vec![0.0; n_assets];
    for t in 0..n {
        // Drift yesterday's holdings by yesterday's returns.
        if t > 0 {
            let g = 1.0 + gross[t - 1];
            for (a, d) in drifted.iter_mut().enumerate() {
                *d = if g > 0.0 {
                    prev[a] * (1.0 + ret(a, t - 1)) / g
                } else {
                    0.0
                };
            }
        }
        // The signal traded at close t−1 was decided at s = t − 1 − lag.
        let signal_day = (t + 1)
            .checked_sub(1 + cfg.lag + 1)
            .filter(|s| s % cfg.rebalance_every == 0);
        let mut traded = 0.0;
        for a in 0..n_assets {
            let h = match signal_day {
                Some(s) => {
                    let w = targets[a * n + s];
                    if w.is_finite() {
                        w
                    } else {
                        0.0
                    }
                }
                None if t <= cfg.lag => 0.0,
                None => drifted[a],
            };
            traded += (h - drifted[a]).abs();
            holdings[a * n + t] = h;
            prev[a] = h;
        }
        let g: f64 = (0..n_assets).map(|a| prev[a] * ret(a, t)).sum();
        turnover[t] = traded;
        costs[t] = traded * cost_rate;
        gross[t] = g;
        net[t] = g - costs[t];
    }
    let report = PerformanceReport::compute(&net, None, 0.0, cfg.periods_per_year)?;
    Ok(BacktestResult {
        net_returns: net,
        gross_returns: gross,
        turnover,
        costs,
        holdings,
        report,
    })
}
