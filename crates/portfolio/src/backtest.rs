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
//!
//! Implementation: two contiguous passes per asset (no per-day allocation, no strided access).
//! Between rebalances the held value of an asset grows as u_t = u_{t−1}·(1 + r_{t−1}) and the
//! equity as D_t = D_{t−1}·(1 + R_{t−1}), so h_t = u_t / D_t — the drift recursion above,
//! rearranged so that the only cross-asset step is a scalar pass over days.

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

/// Day marker: drift yesterday's holdings.
const HOLD: usize = usize::MAX;
/// Day marker: nothing traded yet (t ≤ lag).
const NOTHING: usize = usize::MAX - 1;

/// `v` when finite, else 0. Written as `v − v == 0` (0 for finite v, NaN otherwise): a float
/// compare, which SSE2 vectorizes, where `is_finite`'s 64-bit integer compare would not.
#[inline]
fn finite_or_zero(v: f64) -> f64 {
    #[allow(clippy::eq_op)] // v − v is the finiteness test
    let finite = v - v == 0.0;
    if finite {
        v
    } else {
        0.0
    }
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
    let cost_rate = (cfg.cost_bps + cfg.slippage_bps) / 1e4;
    // Which target row each day trades to: the signal traded at close t−1 was decided at
    // s = t − 1 − lag; `HOLD` = drift, days t ≤ lag hold nothing (an all-zero "rebalance").
    let signal: Vec<usize> = (0..n)
        .map(|t| match (t + 1).checked_sub(cfg.lag + 2) {
            Some(s) if s % cfg.rebalance_every == 0 => s,
            Some(_) if t > cfg.lag => HOLD,
            _ => NOTHING,
        })
        .collect();
    let (holdings, gross, turnover) = if signal.contains(&HOLD) {
        with_holding_days(targets, returns, n, n_assets, &signal)
    } else {
        daily(targets, returns, n, n_assets, cfg.lag)
    };
    let costs: Vec<f64> = turnover.iter().map(|v| v * cost_rate).collect();
    let net: Vec<f64> = gross.iter().zip(&costs).map(|(g, c)| g - c).collect();
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

/// Every day a rebalance (or before the first trade): holdings are the lagged targets, so both
/// passes are straight zips over contiguous slices with no carried state (vectorizable).
fn daily(
    targets: &[f64],
    returns: &[f64],
    n: usize,
    n_assets: usize,
    lag: usize,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut holdings = vec![0.0; n * n_assets];
    let shift = (lag + 1).min(n);
    let mut gross = vec![0.0; n];
    for a in 0..n_assets {
        let (tg, ra) = (&targets[a * n..(a + 1) * n], &returns[a * n..(a + 1) * n]);
        let ha = &mut holdings[a * n..(a + 1) * n];
        for (h, w) in ha[shift..].iter_mut().zip(tg) {
            *h = finite_or_zero(*w);
        }
        for ((g, h), r) in gross.iter_mut().zip(ha.iter()).zip(ra) {
            *g += h * finite_or_zero(*r);
        }
    }
    // Denominator of the drift into day t: 1 + R_{t−1}, or ∞ (drifted weights 0) when ≤ 0.
    let den: Vec<f64> = gross
        .iter()
        .map(|r| {
            if 1.0 + r > 0.0 {
                1.0 + r
            } else {
                f64::INFINITY
            }
        })
        .collect();
    let mut turnover = vec![0.0; n];
    for a in 0..n_assets {
        let ra = &returns[a * n..(a + 1) * n];
        let ha = &holdings[a * n..(a + 1) * n];
        if let Some(h0) = ha.first() {
            turnover[0] += h0.abs();
        }
        let m = n.saturating_sub(1);
        let (now, before, r, d) = (&ha[1..], &ha[..m], &ra[..m], &den[..m]);
        for ((((tv, h), hp), r), d) in turnover[1..].iter_mut().zip(now).zip(before).zip(r).zip(d) {
            *tv += (h - hp * (1.0 + finite_or_zero(*r)) / d).abs();
        }
    }
    (holdings, gross, turnover)
}

/// The general case with holding days (`rebalance_every` > 1); see the module docs.
fn with_holding_days(
    targets: &[f64],
    returns: &[f64],
    n: usize,
    n_assets: usize,
    signal: &[usize],
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut holdings = vec![0.0; n * n_assets];
    // Pass 1, asset by asset (contiguous): values relative to the last rebalance,
    // u_t = target on a rebalance day, u_{t−1}·(1 + r_{t−1}) on a holding day, and the
    // numerator N_t = Σ_a u_{t,a}·r_{t,a} of the gross return.
    let mut num = vec![0.0; n];
    for a in 0..n_assets {
        let (tg, ra) = (&targets[a * n..(a + 1) * n], &returns[a * n..(a + 1) * n]);
        let ua = &mut holdings[a * n..(a + 1) * n];
        let (mut u_prev, mut r_prev) = (0.0, 0.0);
        for t in 0..n {
            let u = match signal[t] {
                NOTHING => 0.0,
                HOLD => u_prev * (1.0 + r_prev),
                s => finite_or_zero(tg[s]),
            };
            let r = finite_or_zero(ra[t]);
            ua[t] = u;
            num[t] += u * r;
            (u_prev, r_prev) = (u, r);
        }
    }
    // Scalar pass over days: equity relative to the last rebalance, D_t = D_{t−1}·(1 + R_{t−1})
    // (1 on a rebalance day), so h_t = u_t / D_t and R_t = N_t / D_t. A wiped-out book
    // (1 + R ≤ 0) holds nothing until the next rebalance (D = ∞).
    let mut gross = vec![0.0; n];
    let mut equity = vec![1.0; n];
    for t in 0..n {
        if signal[t] == HOLD {
            let g = 1.0 + gross[t - 1];
            equity[t] = if g > 0.0 {
                equity[t - 1] * g
            } else {
                f64::INFINITY
            };
        }
        gross[t] = num[t] / equity[t];
    }
    // Pass 2, asset by asset: holdings h_t = u_t / D_t, the drifted weights
    // w̃_t = h_{t−1}·(1 + r_{t−1}) / (1 + R_{t−1}) and the traded notional Σ_a |h − w̃|.
    let mut turnover = vec![0.0; n];
    for a in 0..n_assets {
        let ra = &returns[a * n..(a + 1) * n];
        let ha = &mut holdings[a * n..(a + 1) * n];
        let (mut h_prev, mut r_prev) = (0.0, 0.0);
        for t in 0..n {
            let h = ha[t] / equity[t];
            let drifted = if t == 0 {
                0.0
            } else {
                let g = 1.0 + gross[t - 1];
                if g > 0.0 {
                    h_prev * (1.0 + r_prev) / g
                } else {
                    0.0
                }
            };
            turnover[t] += (h - drifted).abs();
            ha[t] = h;
            (h_prev, r_prev) = (h, finite_or_zero(ra[t]));
        }
    }
    (holdings, gross, turnover)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The accounting of the module docs, day by day and asset by asset, written as plainly as
    /// possible: the two-pass implementation must agree with it.
    fn day_by_day(
        targets: &[f64],
        returns: &[f64],
        n: usize,
        k: usize,
        cfg: &BacktestConfig,
    ) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let fin = |v: f64| if v.is_finite() { v } else { 0.0 };
        let (mut gross, mut turnover, mut holdings) =
            (vec![0.0; n], vec![0.0; n], vec![0.0; n * k]);
        let mut prev = vec![0.0; k];
        for t in 0..n {
            let drifted: Vec<f64> = (0..k)
                .map(|a| {
                    let g = if t > 0 { 1.0 + gross[t - 1] } else { 0.0 };
                    if t > 0 && g > 0.0 {
                        prev[a] * (1.0 + fin(returns[a * n + t - 1])) / g
                    } else {
                        0.0
                    }
                })
                .collect();
            let s = (t + 1).checked_sub(cfg.lag + 2);
            for a in 0..k {
                let h = match s {
                    Some(s) if s % cfg.rebalance_every == 0 => fin(targets[a * n + s]),
                    Some(_) => drifted[a],
                    None => 0.0,
                };
                turnover[t] += (h - drifted[a]).abs();
                gross[t] += h * fin(returns[a * n + t]);
                holdings[a * n + t] = h;
                prev[a] = h;
            }
        }
        (gross, turnover, holdings)
    }

    #[test]
    fn two_pass_accounting_equals_the_day_by_day_recursion() {
        let (n, k) = (97, 7);
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut targets: Vec<f64> = (0..n * k).map(|_| next() - 0.3).collect();
        let mut returns: Vec<f64> = (0..n * k).map(|_| 0.1 * (next() - 0.5)).collect();
        targets[3] = f64::NAN;
        returns[k * 5] = f64::NAN;
        returns[40] = -30.0; // a day that wipes out the book: held at zero until rebalance
        let mut wiped = 0;
        for (lag, every) in [(0, 1), (1, 1), (1, 3), (2, 5), (1, 200)] {
            let cfg = BacktestConfig {
                lag,
                rebalance_every: every,
                ..BacktestConfig::default()
            };
            let got = run(&targets, &returns, n, k, &cfg).unwrap();
            let (gross, turnover, holdings) = day_by_day(&targets, &returns, n, k, &cfg);
            let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-12);
            assert!(
                close(&got.gross_returns, &gross),
                "gross, lag {lag} every {every}"
            );
            assert!(
                close(&got.turnover, &turnover),
                "turnover, lag {lag} every {every}"
            );
            assert!(
                close(&got.holdings, &holdings),
                "holdings, lag {lag} every {every}"
            );
            wiped += gross.iter().filter(|g| **g <= -1.0).count();
        }
        assert!(wiped > 0, "the wiped-out branch was not exercised");
    }
}
