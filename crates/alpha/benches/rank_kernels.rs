//! Criterion bench of the exact rank kernels on 500 assets × 2,520 dates, one thread: the
//! cross-sectional percentile rank (`cross_section_into` with `CrossOp::Rank`: transpose to a
//! date-major scratch, the radix `Ranker` per date, transpose back) on spread values and on
//! values with many ties, and `ts_rank` over windows of 10 and 30 days.
//!
//! Run: `cargo bench -p af-alpha --bench rank_kernels`. Instruction counts (repeatable under
//! load): `valgrind --tool=callgrind` on `cargo run --release -p af-alpha --example
//! rank_kernels -- 500 252 1`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use af_alpha::kernels::cross::{cross_section_into, CrossOp};
use af_alpha::kernels::window::{window, WindowOp};
use criterion::{criterion_group, criterion_main, Criterion};

const N_DATES: usize = 2520;
const N_ASSETS: usize = 500;

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
}

fn bench(c: &mut Criterion) {
    let mut rng = Rng(11);
    let len = N_DATES * N_ASSETS;
    let spread: Vec<f64> = (0..len).map(|_| rng.uniform() - 0.5).collect();
    let ties: Vec<f64> = (0..len).map(|_| (rng.uniform() * 20.0).floor()).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut g = c.benchmark_group("rank_kernels");
    g.sample_size(10);
    for (name, x) in [("spread", &spread), ("ties", &ties)] {
        let (mut out, mut scratch) = (Vec::new(), Vec::new());
        g.bench_function(format!("cross_rank_{name}_500x2520"), |b| {
            b.iter(|| {
                pool.install(|| {
                    out = cross_section_into(
                        &CrossOp::Rank,
                        x,
                        N_DATES,
                        N_ASSETS,
                        std::mem::take(&mut out),
                        &mut scratch,
                    );
                })
            })
        });
    }
    for d in [10, 30] {
        let mut out = vec![0.0; len];
        g.bench_function(format!("ts_rank_d{d}_500x2520"), |b| {
            b.iter(|| {
                for (xs, os) in spread.chunks(N_DATES).zip(out.chunks_mut(N_DATES)) {
                    window(WindowOp::TsRank, xs, d, os);
                }
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
