//! Cost of the rank kernels alone: the cross-sectional percentile rank (`cross_section_into`
//! with `CrossOp::Rank`) and `ts_rank`, on seeded panels whose values look like what the
//! Alpha101 batch ranks (returns, volumes, small integers with many ties, earlier ranks,
//! correlations with a few `NaN`).
//!
//! Run: `cargo run --release -p af-alpha --example rank_kernels [n_assets] [n_dates] [repeat]`
//! (defaults 500 × 2,520, 3 times). Prints the wall time per kind and a checksum that changes
//! when any rank changes. Under `valgrind --tool=callgrind` use `100 2520 1`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use af_alpha::kernels::cross::{cross_section_into, CrossOp};
use af_alpha::kernels::window::{window, WindowOp};

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

/// A column-major panel of one kind of value.
fn panel(kind: &str, n_assets: usize, n_dates: usize, rng: &mut Rng) -> Vec<f64> {
    (0..n_assets * n_dates)
        .map(|i| match kind {
            "returns" => 0.02 * rng.normal(),
            "volume" => (13.0 + 0.8 * rng.normal()).exp().round(),
            "ties" => (rng.uniform() * 10.0).floor() - 5.0,
            "ranks" => ((rng.uniform() * n_assets as f64).floor() + 1.0) / n_assets as f64,
            _ => {
                if i % 97 == 0 {
                    f64::NAN
                } else {
                    (rng.normal() * 0.4).tanh()
                }
            }
        })
        .collect()
}

/// FNV-1a over the bits of every value: changes when any value changes.
fn bits_hash(x: &[f64]) -> u64 {
    x.iter().fold(0xcbf2_9ce4_8422_2325, |h, v| {
        (h ^ v.to_bits()).wrapping_mul(0x0100_0000_01b3)
    })
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("arguments are n_assets n_dates repeat"))
        .collect();
    let n_assets = args.first().copied().unwrap_or(500);
    let n_dates = args.get(1).copied().unwrap_or(2520);
    let repeat = args.get(2).copied().unwrap_or(3);
    let mut rng = Rng(7);
    let mut scratch = Vec::new();
    let mut out = Vec::new();
    for kind in ["returns", "volume", "ties", "ranks", "corr"] {
        let x = panel(kind, n_assets, n_dates, &mut rng);
        let mut best = f64::INFINITY;
        let mut check = 0;
        for _ in 0..repeat {
            let t0 = Instant::now();
            out = cross_section_into(
                &CrossOp::Rank,
                &x,
                n_dates,
                n_assets,
                std::mem::take(&mut out),
                &mut scratch,
            );
            best = best.min(t0.elapsed().as_secs_f64());
            check = bits_hash(&out);
        }
        let ns = best * 1e9 / (n_assets * n_dates) as f64;
        println!(
            "rank {kind:8}: {:8.2} ms, {ns:6.2} ns/value, checksum {check:016x}",
            best * 1e3
        );
    }
    for (kind, d) in [("returns", 10), ("ties", 5), ("volume", 30)] {
        let x = panel(kind, n_assets, n_dates, &mut rng);
        let mut o = vec![0.0; x.len()];
        let mut best = f64::INFINITY;
        for _ in 0..repeat {
            let t0 = Instant::now();
            for (xs, os) in x.chunks(n_dates).zip(o.chunks_mut(n_dates)) {
                window(WindowOp::TsRank, xs, d, os);
            }
            best = best.min(t0.elapsed().as_secs_f64());
        }
        let check = bits_hash(&o);
        let ns = best * 1e9 / (n_assets * n_dates) as f64;
        println!(
            "ts_rank {kind:8} d={d:2}: {:8.2} ms, {ns:6.2} ns/value, checksum {check:016x}",
            best * 1e3
        );
    }
}
