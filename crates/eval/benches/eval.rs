//! Cost of one evaluation per model, the unit the factory repeats for every (asset × spec × window).
//!
//! Measured (series of n = 1,000 periods, deterministic data from a fixed-seed generator):
//! `var_backtest` (breach series + Kupiec + Christoffersen), `variance_losses` (MSE, MAE, RMSE,
//! QLIKE, correlation), `mincer_zarnowitz` (OLS + joint F/Wald test), `diebold_mariano_h5`,
//! `akaike_weights_20` (20 candidates), `walk_forward_2520` (2,520 days, refit every 22), and
//! `model_report_252`: the full per-model report on a 252-day test span (losses, Mincer–Zarnowitz
//! classical + HAC(4), VaR backtests at 1/5/10 %, Diebold–Mariano).
//!
//! Run: `cargo bench -p af-eval --bench eval`; the Python side is
//! `.venv/bin/python scripts/bench/eval_vs_python.py`, which also reads these results.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use af_eval::{
    akaike_weights, DieboldMariano, Loss, MincerZarnowitz, MzCovariance, VarBacktest,
    VarianceLosses, WalkForward, STANDARD_LEVELS,
};
use criterion::{criterion_group, criterion_main, Criterion};

/// Deterministic GARCH(1,1)-like returns, variances and 1 % normal VaR (xorshift + Box–Muller).
fn data(n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut uniform = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut normal = move || {
        let (u1, u2) = (uniform().max(1e-300), uniform());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    };
    let (mut r, mut sigma2, mut var, mut noisy) = (vec![], vec![], vec![], vec![]);
    let mut s2: f64 = 1e-5 / (1.0 - 0.08 - 0.9);
    for _ in 0..n {
        let e = s2.sqrt() * normal();
        r.push(e);
        sigma2.push(s2);
        var.push(2.326_347_874_040_841 * s2.sqrt());
        noisy.push(s2 * (0.5 * normal()).exp());
        s2 = 1e-5 + 0.08 * e * e + 0.9 * s2;
    }
    (r, sigma2, var, noisy)
}

fn bench(c: &mut Criterion) {
    let n = 1000;
    let (r, sigma2, var, noisy) = data(n);
    let rv: Vec<f64> = r.iter().map(|x| x * x).collect();
    c.bench_function("var_backtest", |b| {
        b.iter(|| VarBacktest::from_returns(black_box(&r), black_box(&var), 0.01).unwrap())
    });
    c.bench_function("variance_losses", |b| {
        b.iter(|| VarianceLosses::compute(black_box(&sigma2), black_box(&rv)).unwrap())
    });
    c.bench_function("mincer_zarnowitz", |b| {
        b.iter(|| MincerZarnowitz::fit(black_box(&sigma2), black_box(&rv)).unwrap())
    });
    c.bench_function("diebold_mariano_h5", |b| {
        b.iter(|| {
            DieboldMariano::compare(black_box(&sigma2), &noisy, &rv, Loss::Squared, 5).unwrap()
        })
    });
    let aic: Vec<Option<f64>> = (0..20)
        .map(|i| Some(-3000.0 + (i * 7 % 11) as f64))
        .collect();
    c.bench_function("akaike_weights_20", |b| {
        b.iter(|| akaike_weights(black_box(&aic)).unwrap())
    });
    // The whole per-model report on a one-year test span: losses, MZ (classical + HAC(4)),
    // VaR backtests at 1/5/10 %, DM against a second forecast.
    let m = 252;
    let vars: Vec<Vec<f64>> = [
        2.326_347_874_040_841,
        1.644_853_626_951_472_2,
        1.281_551_565_544_600_5,
    ]
    .iter()
    .map(|z| sigma2[..m].iter().map(|s| z * s.sqrt()).collect())
    .collect();
    c.bench_function("model_report_252", |b| {
        b.iter(|| {
            let (f, a) = (black_box(&sigma2[..m]), black_box(&rv[..m]));
            let l = VarianceLosses::compute(f, a).unwrap();
            let mz = MincerZarnowitz::fit(f, a).unwrap();
            let hac = MincerZarnowitz::fit_with(f, a, MzCovariance::NeweyWest { lags: 4 }).unwrap();
            let bts: Vec<VarBacktest> = STANDARD_LEVELS
                .iter()
                .zip(&vars)
                .map(|(&p, v)| VarBacktest::from_returns(&r[..m], v, p).unwrap())
                .collect();
            let dm = DieboldMariano::compare(f, &noisy[..m], a, Loss::Squared, 1).unwrap();
            (l, mz, hac, bts, dm)
        })
    });
    let scheme = WalkForward::rolling(1000, Some(1260), 22);
    c.bench_function("walk_forward_2520", |b| {
        b.iter(|| scheme.windows(black_box(2520)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
