//! What a run reports beyond the backtest itself: the portfolio's state through time and its
//! changes, exposures, hit rate, realized VaR / CVaR by every method, and the stress windows.
//!
//! Portfolio state: `Halted` from the day the drawdown stop fired, else `Reducing` while the net
//! equity's drawdown is beyond half the stop, else `Active`.

use af_portfolio::garch_risk::garch_var_cvar;
use af_portfolio::kill_switch::{portfolio_state, PortfolioState};
use af_portfolio::risk::{historical, parametric_normal, VarCvar};
use af_portfolio::stress::worst_windows;
use af_vol::GarchSpec;
use chrono::NaiveDateTime;

use crate::config::StrategyConfig;
use crate::stress::{stress_rows, StressRow};

/// The summary of a run.
#[derive(Debug, Clone)]
pub struct Summary {
    /// State per day.
    pub state: Vec<PortfolioState>,
    /// (day, new state, drawdown) whenever the state changes (day 0 included).
    pub state_changes: Vec<(usize, PortfolioState, f64)>,
    /// Gross and net exposure per day.
    pub exposure: Vec<(f64, f64)>,
    /// Share of held asset-days whose position had the sign of the day's return.
    pub hit_rate: f64,
    /// Worst 60-day window.
    pub worst_window: Option<(usize, usize, f64)>,
    /// VaR / CVaR of the net returns of the invested days from the first traded day, by method.
    pub realized_risk: Vec<(String, Result<VarCvar, String>)>,
    /// Stress windows.
    pub stress: Vec<StressRow>,
}

/// Inputs of [`summarize`]; `holdings` and `asset_returns` are column-major by asset.
pub struct Inputs<'a> {
    /// Configuration.
    pub cfg: &'a StrategyConfig,
    /// Dates.
    pub dates: &'a [NaiveDateTime],
    /// Net daily returns.
    pub net: &'a [f64],
    /// Benchmark daily returns.
    pub benchmark: &'a [f64],
    /// Held weights.
    pub holdings: &'a [f64],
    /// Asset returns.
    pub asset_returns: &'a [f64],
    /// Day the drawdown stop fired.
    pub halted_on: Option<usize>,
    /// First traded day.
    pub first_trade: usize,
}

/// Summarize a run.
pub fn summarize(x: &Inputs) -> Summary {
    let n = x.dates.len();
    let k = x.holdings.len().checked_div(n).unwrap_or(0);
    let stop = x.cfg.risk.drawdown_stop.unwrap_or(f64::INFINITY);
    let (mut eq, mut peak) = (1.0f64, 1.0f64);
    let mut state = Vec::with_capacity(n);
    let mut state_changes = Vec::new();
    for (t, r) in x.net.iter().enumerate() {
        eq *= 1.0 + r;
        peak = peak.max(eq);
        let dd = eq / peak - 1.0;
        let s = if x.halted_on.is_some_and(|h| t >= h) {
            PortfolioState::Halted
        } else {
            portfolio_state(dd, stop / 2.0, f64::INFINITY)
        };
        if state.last() != Some(&s) {
            state_changes.push((t, s, dd));
        }
        state.push(s);
    }
    let exposure: Vec<(f64, f64)> = (0..n)
        .map(|t| {
            (0..k).fold((0.0, 0.0), |(g, nt), a| {
                let h = x.holdings[a * n + t];
                (g + h.abs(), nt + h)
            })
        })
        .collect();
    let (mut hits, mut held) = (0usize, 0usize);
    for a in 0..k {
        for t in 0..n {
            let (h, r) = (x.holdings[a * n + t], x.asset_returns[a * n + t]);
            if h != 0.0 && r.is_finite() && r != 0.0 {
                held += 1;
                hits += usize::from((h > 0.0) == (r > 0.0));
            }
        }
    }
    let invested: Vec<bool> = exposure.iter().map(|e| e.0 > 0.0).collect();
    // realized risk over the days the book held positions (not the warm-up nor a halt)
    let traded: Vec<f64> = (x.first_trade.min(n)..n)
        .filter(|&t| invested[t])
        .map(|t| x.net[t])
        .collect();
    let traded = traded.as_slice();
    let level = x.cfg.risk.var_level;
    let realized_risk = vec![
        (
            "historical".to_string(),
            historical(traded, level).map_err(|e| e.to_string()),
        ),
        (
            "parametric (normal)".to_string(),
            parametric_normal(traded, level).map_err(|e| e.to_string()),
        ),
        (
            "GARCH(1,1) one day ahead".to_string(),
            garch_var_cvar(traded, level, &GarchSpec::default())
                .map(|(v, _)| v)
                .map_err(|e| e.to_string()),
        ),
    ];
    Summary {
        state,
        state_changes,
        hit_rate: if held > 0 {
            hits as f64 / held as f64
        } else {
            f64::NAN
        },
        worst_window: worst_windows(x.net, 60, 1).first().copied(),
        realized_risk,
        stress: stress_rows(&x.cfg.stress, x.dates, x.net, x.benchmark, &invested),
        exposure,
    }
}
