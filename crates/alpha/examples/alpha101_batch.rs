//! All 101 formulaic alphas on one seeded synthetic panel, for profiling and CPU timing.
//!
//! Run: `cargo run --release -p af-alpha --example alpha101_batch [n_assets] [n_dates] [repeat]`
//! (defaults 500 × 2,520, once). Threads: `RAYON_NUM_THREADS=1|2`. Prints the wall and CPU time
//! of each evaluation and a checksum (a hash of the bits of every value of every alpha) that is
//! identical for any thread count. Under `valgrind --tool=callgrind` use a small panel (100 × 2,520).
//! The panel is the one of `benches/alpha101.rs` (same generator, same seed).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::needless_range_loop
)]

use std::time::Instant;

use af_alpha::library::alpha101;
use af_alpha::{evaluate, Plan};
use af_core::{AssetMeta, Frequency, Panel};
use chrono::{Duration, NaiveDate};

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
fn synthetic_panel(n_dates: usize, n_assets: usize, seed: u64) -> Panel {
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

/// CPU seconds (user + system) of this process so far, from `/proc/self/stat` (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let Some(rest) = stat.rsplit(')').next() else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // after the command name: state is field 0, utime 11, stime 12 (clock ticks of 1/100 s)
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("arguments are n_assets n_dates repeat"))
        .collect();
    let n_assets = args.first().copied().unwrap_or(500);
    let n_dates = args.get(1).copied().unwrap_or(2520);
    let repeat = args.get(2).copied().unwrap_or(1);
    let panel = synthetic_panel(n_dates, n_assets, 42);
    let mut plan = Plan::for_panel(&panel);
    for n in 1..=101 {
        let a = alpha101(n).unwrap();
        plan.add(&a.name, a.source).unwrap();
    }
    for _ in 0..repeat {
        let (t0, c0) = (Instant::now(), cpu_seconds());
        let out = evaluate(&plan, &panel).unwrap();
        let (wall, cpu) = (t0.elapsed().as_secs_f64(), cpu_seconds() - c0);
        // FNV-1a over the bits of every value of every alpha: any changed value changes it
        let checksum = out
            .iter()
            .flat_map(|a| a.values.iter())
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, v| {
                (h ^ v.to_bits()).wrapping_mul(0x0100_0000_01b3)
            });
        println!(
            "{n_assets} x {n_dates}: {} alphas, wall {wall:.3} s, cpu {cpu:.2} s, checksum {checksum:016x}",
            out.len()
        );
    }
}
