//! The strategy pipeline; see the crate docs for the steps and `signals` for the timing.
//!
//! No look-ahead: the combination refitted at day s sees alpha returns up to day s (which use
//! prices up to close s) and rank ICs whose forward returns ended by day s; the weights decided
//! at close s trade at close s+1 (the backtest's `lag = 1`). The drawdown stop is applied in a
//! second pass: once the first pass's equity breaches the stop on day t, every target from day t
//! on is zero (flat from day t+2), which leaves every earlier day unchanged.

use af_alpha::library::library;
use af_core::Panel;
use af_data::synthetic::generate;
use af_data::{read_panel, ReadOptions};
use af_portfolio::backtest::{self, BacktestConfig};
use af_portfolio::kill_switch::{PortfolioState, Promotion, RetirementEvent};
use af_portfolio::risk::VarCvar;
use af_portfolio::PerformanceReport;
use chrono::NaiveDateTime;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::{StrategyConfig, Universe};
use crate::construct::construct;
use crate::retire::run_kill_switch;
use crate::risk_model::RiskModel;
use crate::signals::{build_signals, neutral_portfolio, DateMajor};
use crate::stress::StressRow;
use crate::summary::{summarize, Summary};
use crate::{combination, StrategyError};

/// Everything a run produced.
#[derive(Debug, Clone, Serialize)]
pub struct StrategyResult {
    /// Strategy name.
    pub name: String,
    /// Dates.
    #[serde(skip)]
    pub dates: Vec<NaiveDateTime>,
    /// Assets.
    pub assets: Vec<String>,
    /// Net daily returns.
    pub net: Vec<f64>,
    /// Gross daily returns.
    pub gross: Vec<f64>,
    /// Daily turnover (Σ|Δw|).
    pub turnover: Vec<f64>,
    /// Daily costs.
    pub costs: Vec<f64>,
    /// Equal-weight universe returns (the benchmark).
    pub benchmark: Vec<f64>,
    /// Risk multiplier applied to each day's targets (P2 × VaR budget; 0 once halted).
    pub leverage: Vec<f64>,
    /// Portfolio state per day.
    pub state: Vec<PortfolioState>,
    /// Gross and net exposure held per day.
    pub exposure: Vec<(f64, f64)>,
    /// Held weights, column-major by asset.
    #[serde(skip)]
    pub holdings: Vec<f64>,
    /// Sector label per asset and sector names.
    pub sectors: (Vec<usize>, Vec<String>),
    /// Alpha names.
    pub alpha_names: Vec<String>,
    /// Effective alpha weights per day (`[t][i]`).
    #[serde(skip)]
    pub alpha_weights: Vec<Vec<f64>>,
    /// Kill-switch retirements.
    pub events: Vec<RetirementEvent>,
    /// Each retirement's effective alpha weight the day before (same order as `events`).
    pub weight_before: Vec<f64>,
    /// Candidates promoted to live.
    pub promotions: Vec<Promotion>,
    /// Live alphas per day.
    pub live_count: Vec<usize>,
    /// Alpha-days on which the `min_active` floor deferred a retirement.
    pub deferred: usize,
    /// Pro-forma one-day VaR / CVaR of each rebalance day's weights (before the multiplier;
    /// `None` once halted).
    pub pro_forma_var: Vec<Option<VarCvar>>,
    /// Risk-model warnings (GARCH fits that fell back to the sample variance): (day, message).
    pub risk_warnings: Vec<(usize, String)>,
    /// Days on which the GARCH VaR fell back to historical.
    pub garch_var_fallbacks: usize,
    /// VaR / CVaR of the realized net returns over the invested days: (method, figures).
    pub realized_risk: Vec<(String, Result<VarCvar, String>)>,
    /// Stress windows.
    pub stress: Vec<StressRow>,
    /// Days on which the portfolio state changed: (day, new state, drawdown).
    pub state_changes: Vec<(usize, PortfolioState, f64)>,
    /// The first traded day (end of the combination's warm-up).
    pub first_trade: usize,
    /// Refits whose combination failed (flat until the next refit), with reasons.
    pub combination_failures: Vec<(usize, String)>,
    /// Metrics of the net returns against the benchmark (empyrical names).
    pub report: PerformanceReport,
    /// Worst 60-day window: (start index, end index, compounded return).
    pub worst_window: Option<(usize, usize, f64)>,
    /// Share of held asset-days whose position had the sign of the day's return.
    pub hit_rate: f64,
    /// Day the drawdown stop fired, if it did.
    pub halted_on: Option<usize>,
}

/// Load the universe, evaluate the alphas and run the pipeline.
pub fn run(cfg: &StrategyConfig) -> Result<StrategyResult, StrategyError> {
    let panel = match &cfg.universe {
        Universe::Synthetic(s) => generate(s.as_ref())?,
        Universe::File(f) => read_panel(f, &ReadOptions::default())?.panel,
    };
    let mut exprs: Vec<(String, String)> = Vec::new();
    if let Some(lib) = &cfg.alphas.library {
        let all = library(lib).ok_or_else(|| StrategyError::Config {
            file: String::new(),
            line: 0,
            key: "alphas.library".into(),
            message: format!("unknown library `{lib}`; use alpha101 or tech"),
        })?;
        for (i, a) in all.into_iter().enumerate() {
            if cfg
                .alphas
                .only
                .as_ref()
                .is_none_or(|o| o.contains(&(i + 1)))
            {
                exprs.push((a.name, a.source.to_string()));
            }
        }
    }
    exprs.extend(
        cfg.alphas
            .exprs
            .iter()
            .map(|e| (e.name.clone(), e.expr.clone())),
    );
    let values = af_alpha::evaluate_batch(&panel, &exprs)?;
    let alphas = values.into_iter().map(|v| (v.name, v.values)).collect();
    run_with_alphas(cfg, &panel, alphas)
}

fn asset_returns(panel: &Panel) -> Result<Vec<f64>, StrategyError> {
    if panel.has_field("returns") {
        return Ok(panel.field("returns")?.to_vec());
    }
    let n = panel.n_dates();
    let close = panel.field("close")?;
    let mut r = vec![f64::NAN; close.len()];
    for a in 0..panel.n_assets() {
        for t in 1..n {
            r[a * n + t] = close[a * n + t] / close[a * n + t - 1] - 1.0;
        }
    }
    Ok(r)
}

/// Daily rank IC of each alpha's signal at u against the returns of u+2 (its first traded day).
fn daily_ics(signals: &[crate::signals::AlphaSignal], r: &DateMajor) -> Vec<Vec<f64>> {
    let (n, k) = (r.n_dates, r.n_assets);
    let mut ranked = vec![0.0; n * k];
    for t in 0..n {
        neutral_portfolio(r.row(t), &mut ranked[t * k..(t + 1) * k]);
    }
    signals
        .par_iter()
        .map(|s| {
            (0..n)
                .map(|u| {
                    if u + 2 >= n {
                        return f64::NAN;
                    }
                    let (p, q) = (s.portfolios.row(u), &ranked[(u + 2) * k..(u + 3) * k]);
                    let (mut pq, mut pp, mut qq) = (0.0, 0.0, 0.0);
                    for a in 0..k {
                        pq += p[a] * q[a];
                        pp += p[a] * p[a];
                        qq += q[a] * q[a];
                    }
                    if pp > 0.0 && qq > 0.0 {
                        pq / (pp * qq).sqrt()
                    } else {
                        f64::NAN
                    }
                })
                .collect()
        })
        .collect()
}

/// Run the pipeline on given alpha values (`(name, values)`, values column-major by asset).
pub fn run_with_alphas(
    cfg: &StrategyConfig,
    panel: &Panel,
    alphas: Vec<(String, Vec<f64>)>,
) -> Result<StrategyResult, StrategyError> {
    let (n, k) = (panel.n_dates(), panel.n_assets());
    let warmup = cfg.combination.lookback + 3;
    if n <= warmup + 20 || k < 2 || alphas.is_empty() {
        return Err(StrategyError::Universe(format!(
            "need ≥ 2 assets, ≥ 1 alpha and more than lookback + 23 = {} days; have {k} assets, {} alphas, {n} days",
            warmup + 20,
            alphas.len()
        )));
    }
    let r_am = asset_returns(panel)?;
    let r = DateMajor::from_asset_major(&r_am, n, k);
    let signals = build_signals(&alphas, &r);
    let alpha_names: Vec<String> = signals.iter().map(|s| s.name.clone()).collect();
    let ics = daily_ics(&signals, &r);
    let ks = if cfg.kill_switch.enabled {
        let rets: Vec<Vec<f64>> = signals.iter().map(|s| s.returns.clone()).collect();
        Some(run_kill_switch(
            &cfg.kill_switch,
            cfg.combination.lookback,
            &rets,
            &ics,
            warmup,
        ))
    } else {
        None
    };
    let ks_mult = ks.as_ref().map_or_else(
        || vec![vec![1.0; n]; signals.len()],
        |k| k.multipliers.clone(),
    );

    // Sector labels for construction.
    let mut names: Vec<String> = Vec::new();
    let sector_ids: Vec<usize> = panel
        .meta()
        .iter()
        .map(|m| {
            let s = m.sector.clone().unwrap_or_else(|| "(none)".into());
            names.iter().position(|x| *x == s).unwrap_or_else(|| {
                names.push(s);
                names.len() - 1
            })
        })
        .collect();

    // Combination weights through time.
    let mut comb = vec![0.0; signals.len()];
    let mut failures = Vec::new();
    let mut alpha_weights = vec![vec![0.0; signals.len()]; n];
    let mut targets_dm = vec![0.0; n * k];
    let mut leverage = vec![0.0; n];
    let mut pro_forma_var = vec![None; n];
    let mut risk_model = RiskModel::new(&cfg.risk);
    let asset_names = panel.assets().to_vec();
    let mut prev = vec![0.0; k];
    for s in 0..n {
        if s >= warmup && (s - warmup).is_multiple_of(cfg.combination.refit_every) {
            let lo = s + 1 - cfg.combination.lookback;
            let window: Vec<Vec<f64>> =
                signals.iter().map(|x| x.returns[lo..=s].to_vec()).collect();
            // ICs of signals decided at u ≤ s − 2 (their forward day u+2 ≤ s is known)
            let ic: Vec<f64> = ics
                .iter()
                .map(|d| {
                    let v: Vec<f64> = d[lo.saturating_sub(2)..=s - 2]
                        .iter()
                        .copied()
                        .filter(|x| x.is_finite())
                        .collect();
                    if v.is_empty() {
                        0.0
                    } else {
                        v.iter().sum::<f64>() / v.len() as f64
                    }
                })
                .collect();
            match combination::weights(&cfg.combination, &window, &ic) {
                Ok(w) => comb = w,
                Err(e) => {
                    failures.push((s, e));
                    comb.iter_mut().for_each(|v| *v = 0.0);
                }
            }
        }
        let mut eff: Vec<f64> = comb.iter().zip(&ks_mult).map(|(c, m)| c * m[s]).collect();
        let g: f64 = eff.iter().map(|v| v.abs()).sum();
        if g > 0.0 {
            eff.iter_mut().for_each(|v| *v /= g);
        }
        alpha_weights[s] = eff.clone();
        if g == 0.0 || !s.is_multiple_of(cfg.portfolio.rebalance_every) {
            continue;
        }
        let mut score = vec![0.0; k];
        for (sig, e) in signals.iter().zip(&eff) {
            if *e != 0.0 {
                for (x, p) in score.iter_mut().zip(sig.portfolios.row(s)) {
                    *x += e * p;
                }
            }
        }
        for (a, x) in score.iter_mut().enumerate() {
            if !r.row(s)[a].is_finite() {
                *x = f64::NAN; // not tradeable today
            }
        }
        let w = construct(
            &cfg.portfolio,
            &score,
            &sector_ids,
            |assets| risk_model.covariance(&r, assets, s + 1, &asset_names),
            &prev,
        )
        .unwrap_or_else(|e| {
            failures.push((s, format!("construction: {e}")));
            vec![0.0; k]
        });
        let (m, vc) = risk_model.multiplier(&w, &r, s + 1, &asset_names);
        leverage[s] = m;
        pro_forma_var[s] = vc;
        for a in 0..k {
            targets_dm[s * k + a] = w[a] * m;
        }
        prev = w;
    }

    let bt_cfg = BacktestConfig {
        lag: 1,
        cost_bps: cfg.costs.bps,
        slippage_bps: cfg.costs.slippage_bps,
        rebalance_every: cfg.portfolio.rebalance_every,
        periods_per_year: 252.0,
    };
    let targets = DateMajor {
        values: targets_dm,
        n_dates: n,
        n_assets: k,
    };
    let mut targets_am = targets.to_asset_major();
    let mut bt = backtest::run(&targets_am, &r_am, n, k, &bt_cfg)?;
    let mut halted_on = None;
    if let Some(stop) = cfg.risk.drawdown_stop {
        let (mut w, mut peak) = (1.0f64, 1.0f64);
        for (t, x) in bt.net_returns.iter().enumerate() {
            w *= 1.0 + x;
            peak = peak.max(w);
            if w / peak - 1.0 < -stop {
                halted_on = Some(t);
                break;
            }
        }
        if let Some(t0) = halted_on {
            for a in 0..k {
                targets_am[a * n + t0..(a + 1) * n]
                    .iter_mut()
                    .for_each(|v| *v = 0.0);
            }
            leverage[t0..].iter_mut().for_each(|v| *v = 0.0);
            pro_forma_var[t0..].iter_mut().for_each(|v| *v = None);
            bt = backtest::run(&targets_am, &r_am, n, k, &bt_cfg)?;
        }
    }

    let benchmark: Vec<f64> = (0..n)
        .map(|t| {
            let v: Vec<f64> = r.row(t).iter().copied().filter(|x| x.is_finite()).collect();
            if v.is_empty() {
                0.0
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        })
        .collect();
    let report = PerformanceReport::compute(&bt.net_returns, Some(&benchmark), 0.0, 252.0)?;
    let Summary {
        state,
        state_changes,
        exposure,
        hit_rate,
        worst_window,
        realized_risk,
        stress,
    } = summarize(&crate::summary::Inputs {
        cfg,
        dates: panel.dates(),
        net: &bt.net_returns,
        benchmark: &benchmark,
        holdings: &bt.holdings,
        asset_returns: &r_am,
        halted_on,
        first_trade: warmup,
    });
    let (events, promotions, live_count, deferred) = match ks {
        Some(k) => (k.events, k.promotions, k.live_count, k.deferred),
        None => (Vec::new(), Vec::new(), vec![signals.len(); n], 0),
    };
    let weight_before = events
        .iter()
        .map(|e| {
            e.day
                .checked_sub(1)
                .map_or(0.0, |d| alpha_weights[d][e.alpha])
        })
        .collect();
    Ok(StrategyResult {
        name: cfg.name.clone(),
        dates: panel.dates().to_vec(),
        assets: panel.assets().to_vec(),
        net: bt.net_returns,
        gross: bt.gross_returns,
        turnover: bt.turnover,
        costs: bt.costs,
        benchmark,
        leverage,
        state,
        exposure,
        holdings: bt.holdings,
        sectors: (sector_ids, names),
        alpha_names,
        alpha_weights,
        events,
        weight_before,
        promotions,
        live_count,
        deferred,
        pro_forma_var,
        risk_warnings: risk_model.warnings,
        garch_var_fallbacks: risk_model.garch_var_fallbacks,
        realized_risk,
        stress,
        state_changes,
        first_trade: warmup,
        combination_failures: failures,
        report,
        worst_window,
        hit_rate,
        halted_on,
    })
}
