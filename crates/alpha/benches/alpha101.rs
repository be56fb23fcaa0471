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
use af_core::Panel;
use criterion::{criterion_group, criterion_main, Criterion};

#[path = "common/panel.rs"]
mod panel;
use panel::synthetic_panel;

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
