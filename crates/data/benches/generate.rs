//! Criterion benchmark of the synthetic universe generator.
//!
//! Measures `af_data::synthetic::generate` end to end (calendar, market factor, taxonomy, every
//! asset's 12 fields, panel assembly) for 500 assets × 2,520 business days (1.26M cells per
//! field), on rayon's global pool (all cores). Run:
//!
//! ```text
//! cargo bench -p af-data --bench generate
//! ```
//!
//! The one-off 5,000 × 2,520 timing is `generate_5000x2520` below, measured with 10 samples.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use af_data::synthetic::{generate, SyntheticConfig};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn cfg(assets: usize, days: usize) -> SyntheticConfig {
    SyntheticConfig {
        assets,
        days: Some(days),
        seed: 42,
        ..SyntheticConfig::default()
    }
}

fn bench_generate(c: &mut Criterion) {
    let mut g = c.benchmark_group("generate");
    g.sample_size(20);
    let small = cfg(500, 2520);
    g.bench_function("500x2520", |b| {
        b.iter(|| generate(black_box(&small)).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("generate_5000x2520");
    g.sample_size(10);
    let big = cfg(5000, 2520);
    g.bench_function("5000x2520", |b| {
        b.iter(|| generate(black_box(&big)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench_generate);
criterion_main!(benches);
