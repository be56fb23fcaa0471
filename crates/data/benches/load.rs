//! Loader throughput: a long OHLCV file of 500 assets × 500 days (250,000 rows) read from CSV and
//! from Parquet into a `Panel`, plus writing it back.
//!
//! ```text
//! cargo bench -p af-data --bench load
//! ```
//!
//! The file is generated once (seeded) into a temporary directory. The 10-million-row comparison
//! with pandas/pyarrow is `scripts/bench/load_vs_pandas.py`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use af_core::{Frequency, Panel};
use af_data::{read_long, write_long, ReadOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::{RngExt, SeedableRng};

const ASSETS: usize = 500;
const DAYS: usize = 500;

fn panel() -> Panel {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let dates = (0..DAYS as i64)
        .map(|d| af_data::dates::to_datetime(19_000 * 86_400 + d * 86_400))
        .collect();
    let assets = (0..ASSETS).map(|a| format!("A{a:04}")).collect();
    let mut p = Panel::new(dates, assets, Frequency::Day1).unwrap();
    let n = ASSETS * DAYS;
    let (mut open, mut high, mut low, mut close, mut volume) = (
        vec![0.0; n],
        vec![0.0; n],
        vec![0.0; n],
        vec![0.0; n],
        vec![0.0; n],
    );
    for a in 0..ASSETS {
        let mut c = 100.0;
        for t in 0..DAYS {
            let i = a * DAYS + t;
            c *= 1.0 + (rng.random::<f64>() - 0.5) * 0.04;
            close[i] = c;
            open[i] = c * (1.0 + (rng.random::<f64>() - 0.5) * 0.01);
            high[i] = c.max(open[i]) * 1.005;
            low[i] = c.min(open[i]) * 0.995;
            volume[i] = (rng.random::<f64>() * 1e6).round();
        }
    }
    for (name, v) in [
        ("open", open),
        ("high", high),
        ("low", low),
        ("close", close),
        ("volume", volume),
    ] {
        p.insert_field(name, v).unwrap();
    }
    p
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let p = panel();
    let csv = dir.path().join("long.csv");
    let pq = dir.path().join("long.parquet");
    write_long(&p, &csv).unwrap();
    write_long(&p, &pq).unwrap();
    let mut g = c.benchmark_group("load_long_250k_rows");
    g.throughput(Throughput::Elements((ASSETS * DAYS) as u64));
    g.sample_size(10);
    g.bench_function("read_csv", |b| {
        b.iter(|| black_box(read_long(&csv, &ReadOptions::default()).unwrap()))
    });
    g.bench_function("read_parquet", |b| {
        b.iter(|| black_box(read_long(&pq, &ReadOptions::default()).unwrap()))
    });
    g.bench_function("write_csv", |b| {
        b.iter(|| write_long(&p, dir.path().join("w.csv")).unwrap())
    });
    g.bench_function("write_parquet", |b| {
        b.iter(|| write_long(&p, dir.path().join("w.parquet")).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
