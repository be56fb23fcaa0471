//! All 101 formulaic alphas on one seeded synthetic panel, for profiling and CPU timing.
//!
//! Run: `cargo run --release -p af-alpha --example alpha101_batch [n_assets] [n_dates] [repeat]
//! [stream]` (defaults 500 × 2,520, once). With `stream` the alphas go through `evaluate_each`,
//! one at a time as they are computed (the checksum is the same), instead of all held at once. Threads: `RAYON_NUM_THREADS=1|2`. Prints the wall and CPU time
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
use af_alpha::{evaluate, evaluate_each, EvalError, Plan};

#[path = "../benches/common/panel.rs"]
mod panel;
use panel::synthetic_panel;

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
        .take(3)
        .map(|a| {
            a.parse()
                .expect("arguments are n_assets n_dates repeat [stream]")
        })
        .collect();
    let n_assets = args.first().copied().unwrap_or(500);
    let n_dates = args.get(1).copied().unwrap_or(2520);
    let repeat = args.get(2).copied().unwrap_or(1);
    let stream = std::env::args().nth(4).is_some_and(|m| m == "stream");
    let panel = synthetic_panel(n_dates, n_assets, 42);
    let mut plan = Plan::for_panel(&panel);
    for n in 1..=101 {
        let a = alpha101(n).unwrap();
        plan.add(&a.name, a.source).unwrap();
    }
    for _ in 0..repeat {
        if stream {
            // each alpha checksummed as it is handed over; the consumer's time is measured apart
            let (t0, c0) = (Instant::now(), cpu_seconds());
            let (mut h, mut consumer, mut n) = (FNV_START, 0.0, 0);
            evaluate_each(&plan, &panel, |a| -> Result<(), EvalError> {
                let t = Instant::now();
                h = fnv(h, a.values);
                n += 1;
                consumer += t.elapsed().as_secs_f64();
                Ok(())
            })
            .unwrap();
            let (wall, cpu) = (t0.elapsed().as_secs_f64(), cpu_seconds() - c0);
            println!(
                "{n_assets} x {n_dates}: {n} alphas streamed, wall {:.3} s, cpu {:.2} s (consumer {consumer:.3} s excluded), checksum {h:016x}",
                wall - consumer,
                cpu - consumer
            );
            continue;
        }
        let (t0, c0) = (Instant::now(), cpu_seconds());
        let out = evaluate(&plan, &panel).unwrap();
        let (wall, cpu) = (t0.elapsed().as_secs_f64(), cpu_seconds() - c0);
        let checksum = out.iter().fold(FNV_START, |h, a| fnv(h, &a.values));
        println!(
            "{n_assets} x {n_dates}: {} alphas, wall {wall:.3} s, cpu {cpu:.2} s, checksum {checksum:016x}",
            out.len()
        );
    }
}

/// FNV-1a offset basis.
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over the bits of every value, continuing from `h`: any changed value changes it.
fn fnv(h: u64, values: &[f64]) -> u64 {
    values
        .iter()
        .fold(h, |h, v| (h ^ v.to_bits()).wrapping_mul(0x0100_0000_01b3))
}
