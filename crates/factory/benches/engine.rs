//! Engine throughput with the real GARCH fitter: 5 synthetic assets × 2 specs (GARCH(1,1),
//! GJR(1,1,1), normal) × 4 walk-forward windows = 40 tasks, each an MLE fit on 500 days plus
//! 25 out-of-sample days of 1/5-day variance forecasts and 1/5/10% VaR, written to an in-memory
//! registry. One worker thread, so the figure is per core.
//!
//! Run: `cargo bench -p af-factory --bench engine`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use af_factory::{load_universe, parse_experiment, run, Plan, RunOptions, VolFitter};
use af_registry::Registry;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const YAML: &str =
    "name: bench\nseed: 1\nuniverse: { synthetic: { assets: 5, days: 700, seed: 2 } }\n\
    targets: { realized_variance: { horizons: [1, 5] } }\n\
    models:\n  - garch: { vol: [garch, gjr], dist: [normal] }\n\
    walk_forward: { train: 500, refit_every: 25, test: 100 }\n";

fn bench(c: &mut Criterion) {
    let exp = parse_experiment(YAML, Path::new("bench.yaml"), ".".into()).unwrap();
    let plan = Plan::new(&exp, &load_universe(&exp).unwrap()).unwrap();
    assert_eq!(plan.n_tasks(), 40);
    let fitter = VolFitter::default();
    let mut group = c.benchmark_group("factory");
    group.throughput(Throughput::Elements(40));
    group.sample_size(10);
    group.bench_function("garch_gjr_40_tasks_1_thread", |b| {
        b.iter(|| {
            let mut reg = Registry::open_in_memory().unwrap();
            let s = run(
                &exp,
                &plan,
                &fitter,
                &mut reg,
                &RunOptions {
                    threads: 1,
                    ..Default::default()
                },
            )
            .unwrap();
            assert_eq!(s.ok + s.failed, 40);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
