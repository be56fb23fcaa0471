//! The Rust side of `scripts/bench/portfolio_vs_peers.py`: reads the seeded data set the script
//! wrote (raw little-endian f64, column-major by asset, plus `config.json`), times af-portfolio on
//! it on one core and prints the timings and results as one JSON object on stdout.
//!
//! Run: `cargo run --release -p af-portfolio --example bench_portfolio -- /tmp/af_pbench`
//! (the directory must hold what the script wrote; run the script rather than this by hand).
//!
//! Workloads, exactly as the script describes them:
//! 1. rebalance: for each day t of `solve_days`, μ = mean of r[t−252, t−21) per asset, Σ =
//!    Ledoit–Wolf of r[t−252, t) refreshed every 21 days from day 252, and [`MeanVariance`] with
//!    budget 1, long-only, max position, sector caps and an L1 turnover penalty against the
//!    previous solution (1/n at the start);
//! 2. Kakushadze–Yu weights of 1,000 alphas × 253 periods (E = mean of the 21 most recent),
//!    Ledoit–Wolf of their 252 most recent periods and a long-only mean-variance over them;
//! 3. the backtest of the daily targets with 10 bp costs (lag 1, daily rebalance).
#![allow(missing_docs)]

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

use af_portfolio::backtest::{self, BacktestConfig};
use af_portfolio::combine::kakushadze_yu;
use af_portfolio::covariance::ledoit_wolf;
use af_portfolio::optimize::{Constraints, MeanVariance, Rebalancer, SolvePath};
use nalgebra::DMatrix;
use serde_json::{json, Value};

type Res<T> = Result<T, Box<dyn Error>>;

fn read_f64(path: &Path, expected: usize) -> Res<Vec<f64>> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() != expected * 8 {
        return Err(format!(
            "{}: expected {expected} f64 values, found {} bytes",
            path.display(),
            bytes.len()
        )
        .into());
    }
    Ok(bytes
        .chunks_exact(8)
        .map(|c| {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            f64::from_le_bytes(b)
        })
        .collect())
}

fn num(cfg: &Value, key: &str) -> Res<f64> {
    cfg[key]
        .as_f64()
        .ok_or_else(|| format!("config.json: missing number {key:?}").into())
}

fn list(cfg: &Value, key: &str) -> Res<Vec<usize>> {
    cfg[key]
        .as_array()
        .ok_or_else(|| format!("config.json: missing list {key:?}"))?
        .iter()
        .map(|v| {
            v.as_u64()
                .map(|x| x as usize)
                .ok_or_else(|| format!("config.json: {key:?} holds a non-integer").into())
        })
        .collect()
}

/// Workload 1, one [`Rebalancer`] across the days (its factorization is reused while the
/// covariance stays, its iterate warm-starts the next day); returns (total seconds, per-solve
/// seconds, objectives, solves that needed the interior-point path, weights per solve).
type Rebalance = (f64, Vec<f64>, Vec<f64>, usize, Vec<Vec<f64>>);

fn rebalance(r: &DMatrix<f64>, cfg: &Value) -> Res<Rebalance> {
    let n = r.ncols();
    let (window, skip, refresh) = (
        num(cfg, "window")? as usize,
        num(cfg, "skip")? as usize,
        num(cfg, "refresh")? as usize,
    );
    let sectors = list(cfg, "sectors")?;
    let constraints = Constraints {
        budget: Some(1.0),
        long_only: true,
        max_position: Some(num(cfg, "max_position")?),
        sectors: Some((sectors, num(cfg, "sector_cap")?)),
        ..Constraints::default()
    };
    let (lam, gamma) = (num(cfg, "risk_aversion")?, num(cfg, "turnover_penalty")?);
    let mut prev = vec![1.0 / n as f64; n];
    let mut cov = DMatrix::<f64>::zeros(n, n);
    let mut refreshed_at = usize::MAX;
    let (mut solve_s, mut objectives, mut interior) = (Vec::new(), Vec::new(), 0);
    let mut weights = Vec::new();
    let mut solver = Rebalancer::new();
    let start = Instant::now();
    for t in list(cfg, "solve_days")? {
        let at = window + (t - window) / refresh * refresh;
        if at != refreshed_at {
            cov = ledoit_wolf(&r.rows(at - window, window).into_owned())?.0;
            refreshed_at = at;
        }
        let mu: Vec<f64> = (0..n)
            .map(|a| r.column(a).rows(t - window, window - skip).mean())
            .collect();
        let s0 = Instant::now();
        let sol = solver
            .solve(&MeanVariance {
                mu: &mu,
                cov: &cov,
                risk_aversion: lam,
                turnover_penalty: gamma,
                w_prev: Some(&prev),
                constraints: constraints.clone(),
            })
            .map_err(|e| format!("day {t}: {e}"))?;
        solve_s.push(s0.elapsed().as_secs_f64());
        interior += usize::from(sol.path == SolvePath::InteriorPoint);
        objectives.push(sol.objective);
        prev = sol.w;
        weights.push(prev.clone());
    }
    let total = start.elapsed().as_secs_f64();
    Ok((total, solve_s, objectives, interior, weights))
}

fn main() -> Res<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: bench_portfolio <data dir written by portfolio_vs_peers.py>")?,
    );
    let cfg: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("config.json"))?)?;
    let (nd, na) = (
        num(&cfg, "n_days")? as usize,
        num(&cfg, "n_assets")? as usize,
    );
    let (nal, np) = (
        num(&cfg, "n_alphas")? as usize,
        num(&cfg, "alpha_periods")? as usize,
    );
    let returns = read_f64(&dir.join("returns.bin"), nd * na)?;
    let targets = read_f64(&dir.join("targets.bin"), nd * na)?;
    let r = DMatrix::from_vec(nd, na, returns.clone()); // days × assets
    let alphas = DMatrix::from_vec(nal, np, read_f64(&dir.join("alphas.bin"), nal * np)?);

    let (rebalance_total_s, solve_s, objectives, rebalance_interior, rebalance_w) =
        rebalance(&r, &cfg)?;

    // 2. combination of 1,000 alphas.
    let e: Vec<f64> = (0..nal)
        .map(|i| alphas.row(i).columns(0, 21).mean())
        .collect();
    let t0 = Instant::now();
    let ky_w = kakushadze_yu(&alphas, &e)?;
    let ky_s = t0.elapsed().as_secs_f64();
    let window = num(&cfg, "window")? as usize;
    let t0 = Instant::now();
    let x = alphas.columns(0, window).transpose(); // 252 observations × 1,000 alphas
    let (lw_cov, lw_shrinkage) = ledoit_wolf(&x)?;
    let lw_s = t0.elapsed().as_secs_f64();
    let mu: Vec<f64> = (0..nal)
        .map(|i| alphas.row(i).columns(0, window).mean())
        .collect();
    let t0 = Instant::now();
    let mv = MeanVariance {
        mu: &mu,
        cov: &lw_cov,
        risk_aversion: num(&cfg, "risk_aversion")?,
        turnover_penalty: 0.0,
        w_prev: None,
        constraints: Constraints {
            budget: Some(1.0),
            long_only: true,
            max_position: Some(num(&cfg, "max_position")?),
            ..Constraints::default()
        },
    };
    let sol = mv.solve()?;
    let mv1000_s = t0.elapsed().as_secs_f64();
    // The objective without the turnover term (w_prev = 0, γ = 0).
    let mv1000_objective = sol.objective;
    let lw_bytes: Vec<u8> = lw_cov.iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(dir.join("lw1000_rust.bin"), lw_bytes)?; // symmetric: layout irrelevant

    // 3. backtest.
    let bt_cfg = BacktestConfig {
        lag: 1,
        cost_bps: num(&cfg, "cost_bps")?,
        slippage_bps: 0.0,
        rebalance_every: 1,
        periods_per_year: 252.0,
    };
    let t0 = Instant::now();
    let bt = backtest::run(&targets, &returns, nd, na, &bt_cfg)?;
    let backtest_s = t0.elapsed().as_secs_f64();

    let out = json!({
        "rebalance_total_s": rebalance_total_s, "solve_s": solve_s, "objectives": objectives,
        "rebalance_interior_solves": rebalance_interior, "rebalance_w": rebalance_w,
        "ky_s": ky_s, "ky_w": ky_w, "lw_s": lw_s, "lw_shrinkage": lw_shrinkage,
        "mv1000_s": mv1000_s, "mv1000_objective": mv1000_objective,
        "mv1000_iterations": sol.iterations, "mv1000_path": format!("{:?}", sol.path),
        "backtest_s": backtest_s, "backtest_net": bt.net_returns,
    });
    println!("{out}");
    Ok(())
}
