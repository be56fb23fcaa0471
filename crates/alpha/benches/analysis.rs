//! Criterion bench of factor analysis on 500 assets × 2,520 dates (10 years), horizons 1, 5, 10,
//! 20: preparing forward returns (`IcEngine::new`), the IC + rank-IC series of one alpha (the
//! screening kernel), the same for a batch of 16 alphas in one pass over the dates
//! (`ic_series_many`, what `ic_stats_many` runs per rayon task over a range of dates; divide by
//! 16 for one alpha), the general per-day path on the same alpha (`IcEngine::day`, which also
//! leaves the ranks and the sorted order for the tear sheet; the screen's kernel gives the same
//! bits), and the full analysis of one alpha (IC, buckets, turnover, autocorrelation).
//!
//! Run: `cargo bench -p af-alpha --bench analysis`. For the 1,000-alpha throughput use
//! `cargo run --release -p af-alpha --example rank_ic_1000`; Python side by side:
//! `scripts/bench/alphalens_ic.py`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use af_alpha::analysis::{analyze, AnalysisConfig, DayIc, ForwardReturns, IcEngine, IcScratch};
use criterion::{criterion_group, criterion_main, Criterion};

const N_DATES: usize = 2520;
const N_ASSETS: usize = 500;

/// splitmix64 → approximately N(0, 1) (sum of 4 uniforms).
struct Rng(u64);

impl Rng {
    fn normal(&mut self) -> f64 {
        let mut s = 0.0;
        for _ in 0..4 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            s += ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64;
        }
        (s - 2.0) * 3f64.sqrt()
    }
}

fn inputs() -> (Vec<f64>, Vec<f64>) {
    let mut rng = Rng(42);
    let mut prices = vec![0.0; N_DATES * N_ASSETS];
    let mut factor = vec![0.0; N_DATES * N_ASSETS];
    for a in 0..N_ASSETS {
        let mut p = 100.0;
        for t in 0..N_DATES {
            p *= 1.0 + 0.02 * rng.normal();
            prices[a * N_DATES + t] = p;
            factor[a * N_DATES + t] = rng.normal();
        }
    }
    (prices, factor)
}

fn bench(c: &mut Criterion) {
    let (prices, factor) = inputs();
    let horizons = [1, 5, 10, 20];
    let mut g = c.benchmark_group("analysis_500x2520");
    g.sample_size(10);
    g.bench_function("prepare_forward_returns", |b| {
        b.iter(|| {
            let fwd = ForwardReturns::from_prices(&prices, N_DATES, N_ASSETS, &horizons).unwrap();
            IcEngine::new(&fwd).day_assets(0).len()
        })
    });
    let fwd = ForwardReturns::from_prices(&prices, N_DATES, N_ASSETS, &horizons).unwrap();
    let engine = IcEngine::new(&fwd);
    let mut scratch = IcScratch::new();
    g.bench_function("ic_and_rank_ic_one_alpha", |b| {
        b.iter(|| engine.ic_series(&factor, &mut scratch).1[0][0])
    });
    let batch: Vec<Vec<f64>> = (0..16u64)
        .map(|j| {
            let mut rng = Rng(1000 + j);
            (0..N_DATES * N_ASSETS).map(|_| rng.normal()).collect()
        })
        .collect();
    let refs: Vec<&[f64]> = batch.iter().map(Vec::as_slice).collect();
    g.bench_function("ic_and_rank_ic_16_alphas_one_pass", |b| {
        b.iter(|| engine.ic_series_many(&refs, &mut scratch).len())
    });
    let mut out = vec![DayIc::NAN; horizons.len()];
    g.bench_function("ic_and_rank_ic_one_alpha_general_day", |b| {
        b.iter(|| {
            let mut acc = 0.0;
            let mut row = vec![0.0; N_ASSETS];
            for t in 0..N_DATES {
                for (a, r) in row.iter_mut().enumerate() {
                    *r = factor[a * N_DATES + t];
                }
                engine.day(t, &row, &mut scratch, &mut out);
                acc += out[0].rank_ic;
            }
            acc
        })
    });
    let cfg = AnalysisConfig::default();
    g.bench_function("full_analysis_one_alpha", |b| {
        b.iter(|| analyze(&engine, &factor, &cfg, None).unwrap().n_obs)
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
