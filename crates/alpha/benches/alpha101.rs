//! Criterion bench: check + evaluate all 101 formulaic alphas on seeded synthetic panels of
//! 500 assets × 2,520 days (10 years; the goal "all 101 in under 2 s on 2 cores") on 1 and 2
//! threads, and of 4,000 assets × 261 days (one year of a wide universe) on 2 threads.
//!
//! Run: `cargo bench -p af-alpha --bench alpha101` (each case runs in its own rayon pool of the
//! stated size, whatever `RAYON_NUM_THREADS` says).
//! Side-by-side with pandas and KunQuant: `scripts/bench/alpha_vs_peers.py` on panels of the
//! same shapes.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::needless_range_loop
)]

use af_alpha::library::alpha101;
use af_alpha::{evaluate, Plan};
use af_core::{AssetMeta, Frequency, Panel};
use chrono::{Duration, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};

/// splitmix64 → uniform in (0, 1).
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// OHLCV + vwap + cap panel with a market factor and sector / industry / subindustry labels.
pub fn synthetic_panel(n_dates: usize, n_assets: usize, seed: u64) -> Panel {
    let mut rng = Rng(seed);
    let start = NaiveDate::from_ymd_opt(2015, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let dates = (0..n_dates)
        .map(|i| start + Duration::days(i as i64))
        .collect();
    let assets = (0..n_assets).map(|a| format!("A{a:04}")).collect();
    let mut panel = Panel::new(dates, assets, Frequency::Day1).unwrap();
    for (a, m) in panel.meta_mut().iter_mut().enumerate() {
        *m = AssetMeta {
            sector: Some(format!("S{}", a % 11)),
            industry: Some(format!("I{}", a % 24)),
            subindustry: Some(format!("U{}", a % 60)),
            market: None,
        };
    }
    let mkt: Vec<f64> = (0..n_dates).map(|_| 0.01 * rng.normal()).collect();
    let len = n_dates * n_assets;
    let mut f: Vec<Vec<f64>> = vec![vec![0.0; len]; 7];
    for a in 0..n_assets {
        let beta = 0.5 + rng.uniform();
        let vol = 0.012 + 0.018 * rng.uniform();
        let shares = 1e7 + 1e9 * rng.uniform();
        let mut close = 10.0 + 190.0 * rng.uniform();
        for t in 0..n_dates {
            let i = a * n_dates + t;
            let r = beta * mkt[t] + vol * rng.normal();
            let open = close * (1.0 + 0.004 * rng.normal());
            close *= r.exp();
            let high = open.max(close) * (1.0 + (0.008 * rng.normal()).abs());
            let low = open.min(close) * (1.0 - (0.008 * rng.normal()).abs());
            let vwap = low + (high - low) * (0.25 + 0.5 * rng.uniform());
            let volume = ((13.0 + 0.4 * rng.normal()).exp() * (1.0 + 20.0 * r.abs())).round();
            for (k, v) in [open, high, low, close, volume, vwap, close * shares]
                .into_iter()
                .enumerate()
            {
                f[k][i] = v;
            }
        }
    }
    for (name, v) in ["open", "high", "low", "close", "volume", "vwap", "cap"]
        .into_iter()
        .zip(f)
    {
        panel.insert_field(name, v).unwrap();
    }
    panel
}

/// Check and evaluate the whole library once.
fn all_101(panel: &Panel) -> Vec<af_alpha::AlphaValues> {
    let mut plan = Plan::for_panel(panel);
    for n in 1..=101 {
        let a = alpha101(n).unwrap();
        plan.add(&a.name, a.source).unwrap();
    }
    evaluate(&plan, panel).unwrap()
}

fn bench(c: &mut Criterion) {
    let cases = [
        ("500x2520", 2520, 500, 1),
        ("500x2520", 2520, 500, 2),
        ("4000x261", 261, 4000, 2),
    ];
    let mut g = c.benchmark_group("alpha101");
    g.sample_size(10);
    for (name, n_dates, n_assets, threads) in cases {
        let panel = synthetic_panel(n_dates, n_assets, 42);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        g.bench_function(format!("all_101_{name}_{threads}_threads"), |b| {
            b.iter(|| pool.install(|| all_101(&panel)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
