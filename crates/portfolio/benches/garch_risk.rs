//! Criterion benches of the GARCH risk model (`af_portfolio::garch_risk`):
//!
//! ```text
//! cargo bench -p af-portfolio --bench garch_risk
//! ```
//!
//! * `garch_covariance/fit/200x500` — per-asset GARCH(1,1) fits of 200 assets × 500 days (rayon
//!   across assets) plus Σ = D·R̃·D: what a refit day costs;
//! * `garch_covariance/refilter/200x500` — Σ from kept parameters (one filtering pass per asset,
//!   no optimization): what every other day costs;
//! * `garch_var/500` — GARCH VaR / CVaR of one 500-day P&L series (one fit).
//!
//! Returns are simulated GARCH(1,1) paths (af-vol, seeded), built outside the timed closures.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use af_portfolio::garch_risk::{
    fit_asset_models, garch_covariance, garch_covariance_with, garch_var_cvar,
};
use af_vol::GarchSpec;
use criterion::{criterion_group, criterion_main, Criterion};
use nalgebra::DMatrix;

fn paths(t: usize, n: usize) -> DMatrix<f64> {
    let cols: Vec<Vec<f64>> = (0..n)
        .map(|j| {
            af_vol::simulate_spec(
                &GarchSpec::default(),
                &[0.0003, 2e-6, 0.08, 0.9],
                t,
                500,
                j as u64,
            )
            .unwrap()
            .y
        })
        .collect();
    DMatrix::from_fn(t, n, |i, j| 0.7 * cols[j][i] + 0.3 * cols[0][i])
}

fn bench(c: &mut Criterion) {
    let spec = GarchSpec::default();
    let x = paths(500, 200);
    let mut g = c.benchmark_group("garch_covariance");
    g.sample_size(10);
    g.bench_function("fit/200x500", |b| {
        b.iter(|| garch_covariance(black_box(&x), &spec, 0.1).unwrap())
    });
    let models = fit_asset_models(&x, &spec);
    g.bench_function("refilter/200x500", |b| {
        b.iter(|| garch_covariance_with(black_box(&x), &models, &spec, 0.1).unwrap())
    });
    g.finish();
    let y: Vec<f64> = x.column(1).iter().copied().collect();
    c.bench_function("garch_var/500", |b| {
        b.iter(|| garch_var_cvar(black_box(&y), 0.95, &spec).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
