//! Throughput of the rank-IC screen: 1,000 alphas × 2,520 dates × 500 assets at horizons
//! 1, 5, 10, 20 (Pearson IC and Spearman rank IC per date, then mean / std / ICIR / t / p).
//!
//! Run: `cargo run --release -p af-alpha --example rank_ic_1000 [n_alphas] [n_dates] [n_assets]`.
//! Alphas are generated (in parallel, seeded per alpha) in chunks of 48 (10 MB each) so memory
//! stays near 0.5 GB; only the IC computation is timed (`ic_stats_many`: rayon tasks of up to 16
//! alphas over a range of dates, one pass over the prepared returns per task, each day through
//! the fused screening kernel), generation is reported apart.
//! Threads: `RAYON_NUM_THREADS=1|2`. The checksum (sum of the alphas' mean horizon-1 rank IC)
//! is identical for any thread count.
#![allow(missing_docs)]

use std::time::Instant;

use af_alpha::analysis::{ic_stats_many, ForwardReturns, IcEngine};
use rayon::prelude::*;

/// SplitMix64: a tiny deterministic generator (seeded per alpha).
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Approximately N(0, 1): sum of 4 uniforms, rescaled (fast, enough for benchmarking).
    fn normal(&mut self) -> f64 {
        let s: f64 = (0..4)
            .map(|_| (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
            .sum();
        (s - 2.0) * 3f64.sqrt()
    }
}

/// CPU seconds (user + system) of this process so far, from `/proc/self/stat` (Linux; 0 elsewhere).
/// Wall time on a shared machine counts other people's work; CPU time does not.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // fields after the command: state(0) ... utime(11) stime(12), in clock ticks of 1/100 s
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n_alphas = args.first().copied().unwrap_or(1000);
    let nd = args.get(1).copied().unwrap_or(2520);
    let na = args.get(2).copied().unwrap_or(500);
    let mut rng = Rng(42);
    let mut prices = vec![0.0; nd * na];
    for a in 0..na {
        let mut p = 100.0;
        for t in 0..nd {
            p *= 1.0 + 0.02 * rng.normal();
            prices[a * nd + t] = p;
        }
    }
    let t0 = Instant::now();
    let fwd = match ForwardReturns::from_prices(&prices, nd, na, &[1, 5, 10, 20]) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let engine = IcEngine::new(&fwd);
    let prep = t0.elapsed().as_secs_f64();
    let chunk = 48;
    let (mut ic_secs, mut ic_cpu, mut gen_secs, mut checksum) = (0.0, 0.0, 0.0, 0.0);
    let mut start = 0;
    while start < n_alphas {
        let end = (start + chunk).min(n_alphas);
        let g = Instant::now();
        let factors: Vec<Vec<f64>> = (start..end)
            .into_par_iter()
            .map(|i| {
                let mut r = Rng(1000 + i as u64);
                let w = 0.02 * (i % 7) as f64;
                let mut f = vec![0.0; nd * na];
                for a in 0..na {
                    for t in 0..nd {
                        let signal = fwd.day(0, t)[a];
                        f[a * nd + t] = if signal.is_finite() {
                            w * signal * 50.0
                        } else {
                            0.0
                        } + r.normal();
                    }
                }
                f
            })
            .collect();
        gen_secs += g.elapsed().as_secs_f64();
        let refs: Vec<&[f64]> = factors.iter().map(Vec::as_slice).collect();
        let (c, cpu0) = (Instant::now(), cpu_seconds());
        let stats = match ic_stats_many(&engine, &refs, 252.0) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        };
        ic_secs += c.elapsed().as_secs_f64();
        ic_cpu += cpu_seconds() - cpu0;
        checksum += stats.iter().map(|s| s[0].1.mean).sum::<f64>();
        start = end;
    }
    println!(
        "{n_alphas} alphas × {nd} dates × {na} assets, horizons 1,5,10,20, {} threads: prepare {prep:.2} s, \
         IC + rank IC {ic_secs:.2} s wall, {ic_cpu:.2} s CPU ({:.2} ms CPU/alpha), generation (untimed) \
         {gen_secs:.2} s, checksum {checksum:.6}",
        rayon::current_num_threads(),
        1e3 * ic_cpu / n_alphas as f64
    );
}
