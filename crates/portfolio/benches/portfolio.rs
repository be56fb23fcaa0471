//! Criterion benches of the portfolio layer at the sizes of issue #6 item 7:
//!
//! ```text
//! cargo bench -p af-portfolio --bench portfolio
//! ```
//!
//! * `ledoit_wolf/252x500` and `ledoit_wolf/252x1000` — shrunk covariance of a year of returns;
//! * `kakushadze_yu/1000x253` — combination weights of 1,000 alphas;
//! * `mean_variance/long_only_sectors/{100,500}` — one constrained rebalance from cold (budget 1,
//!   0 ≤ w ≤ 5 %, 10 sector caps of 30 %, L1 turnover penalty) on a Ledoit–Wolf covariance;
//! * `mean_variance/long_only_sectors/daily_10_days/500` — ten consecutive days of that rebalance through one
//!   `Rebalancer` (one factorization, warm starts), μ moving with the window and w_prev the
//!   previous day's solution;
//! * `mean_variance/long_only_sectors/interior_point/500` — the same single problem on the interior-point path
//!   (Clarabel), the reference the fast path is measured against;
//! * `backtest/500x2520` — daily accounting with costs.
//!
//! Data are seeded (SplitMix64, Box–Muller normals) and built outside the timed closures. The
//! side-by-side comparison with cvxpy / PyPortfolioOpt / scikit-learn / numpy is
//! `scripts/bench/portfolio_vs_peers.py`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use af_portfolio::backtest::{self, BacktestConfig};
use af_portfolio::combine::kakushadze_yu;
use af_portfolio::covariance::ledoit_wolf;
use af_portfolio::optimize::{Constraints, MeanVariance, Rebalancer};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use nalgebra::DMatrix;

/// SplitMix64 with Box–Muller normals.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        mean + sd * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// Days × assets returns with a market factor, 10 sector factors and a per-asset drift.
fn returns(rng: &mut Rng, days: usize, assets: usize) -> DMatrix<f64> {
    let market: Vec<f64> = (0..days).map(|_| rng.normal(0.0, 0.01)).collect();
    let sector: Vec<f64> = (0..days * 10).map(|_| rng.normal(0.0, 0.006)).collect();
    let drift: Vec<f64> = (0..assets).map(|_| rng.normal(2e-4, 3e-4)).collect();
    DMatrix::from_fn(days, assets, |t, a| {
        0.8 * market[t] + sector[t * 10 + a % 10] + drift[a] + rng.normal(0.0, 0.015)
    })
}

fn bench_covariance(c: &mut Criterion) {
    let mut rng = Rng(1);
    let mut g = c.benchmark_group("ledoit_wolf");
    g.sample_size(10);
    for assets in [500, 1000] {
        let x = returns(&mut rng, 252, assets);
        g.bench_function(BenchmarkId::from_parameter(format!("252x{assets}")), |b| {
            b.iter(|| ledoit_wolf(black_box(&x)).unwrap())
        });
    }
    g.finish();
}

fn bench_combination(c: &mut Criterion) {
    let mut rng = Rng(2);
    let common: Vec<f64> = (0..253).map(|_| rng.normal(0.0, 0.01)).collect();
    let r = DMatrix::from_fn(1000, 253, |_, s| 0.5 * common[s] + rng.normal(3e-4, 0.01));
    let e: Vec<f64> = (0..1000).map(|i| r.row(i).columns(0, 21).mean()).collect();
    let mut g = c.benchmark_group("kakushadze_yu");
    g.sample_size(10);
    g.bench_function("1000x253", |b| {
        b.iter(|| kakushadze_yu(black_box(&r), black_box(&e)).unwrap())
    });
    g.finish();
}

fn bench_mean_variance(c: &mut Criterion) {
    let mut rng = Rng(3);
    let mut g = c.benchmark_group("mean_variance/long_only_sectors");
    g.sample_size(10);
    for n in [100, 500] {
        let r = returns(&mut rng, 252, n);
        let cov = ledoit_wolf(&r).unwrap().0;
        let mu: Vec<f64> = (0..n).map(|a| r.column(a).rows(0, 231).mean()).collect();
        let prev = vec![1.0 / n as f64; n];
        let problem = MeanVariance {
            mu: &mu,
            cov: &cov,
            risk_aversion: 10.0,
            turnover_penalty: 2e-4,
            w_prev: Some(&prev),
            constraints: Constraints {
                budget: Some(1.0),
                long_only: true,
                max_position: Some(0.05),
                sectors: Some(((0..n).map(|a| a % 10).collect(), 0.30)),
                ..Constraints::default()
            },
        };
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| black_box(&problem).solve().unwrap())
        });
        if n == 500 {
            g.bench_function("interior_point/500", |b| {
                b.iter(|| black_box(&problem).solve_interior_point().unwrap())
            });
            let mus: Vec<Vec<f64>> = (0..10)
                .map(|d| (0..n).map(|a| r.column(a).rows(d, 221).mean()).collect())
                .collect();
            g.bench_function("daily_10_days/500", |b| {
                b.iter(|| {
                    let mut solver = Rebalancer::new();
                    let mut w = prev.clone();
                    for mu in &mus {
                        let p = MeanVariance {
                            mu,
                            w_prev: Some(&w),
                            ..problem.clone()
                        };
                        w = solver.solve(black_box(&p)).unwrap().w;
                    }
                    w
                })
            });
        }
    }
    g.finish();
}

fn bench_backtest(c: &mut Criterion) {
    let mut rng = Rng(4);
    let (days, assets) = (2520, 500);
    let r = returns(&mut rng, days, assets);
    let mut targets: Vec<f64> = (0..days * assets).map(|_| rng.uniform()).collect();
    for t in 0..days {
        let total: f64 = (0..assets).map(|a| targets[a * days + t]).sum();
        for a in 0..assets {
            targets[a * days + t] /= total;
        }
    }
    let cfg = BacktestConfig {
        cost_bps: 10.0,
        slippage_bps: 0.0,
        ..BacktestConfig::default()
    };
    let mut g = c.benchmark_group("backtest");
    g.sample_size(10);
    g.bench_function("500x2520", |b| {
        b.iter(|| backtest::run(black_box(&targets), r.as_slice(), days, assets, &cfg).unwrap())
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_covariance,
    bench_combination,
    bench_mean_variance,
    bench_backtest
);
criterion_main!(benches);
