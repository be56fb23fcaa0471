//! Registry write throughput: one transaction of 500 finished tasks, each a model row plus
//! 22 test days × 4 horizons of variance forecasts and 22 × 3 VaR rows (the shape of
//! `examples/garch_grid.yaml`), into a WAL database in a temp dir.
//!
//! Run: `cargo bench -p af-registry --bench write`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use af_registry::{ForecastRow, ModelRow, NewRun, Registry, SpecRow, TaskKey, TaskRecord, VarRow};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn batch(offset: u32) -> Vec<TaskRecord> {
    (0..500u32)
        .map(|i| {
            let window = offset + i;
            let forecasts = (0..22)
                .flat_map(|d| {
                    [1u32, 5, 10, 22].map(|h| ForecastRow {
                        date: format!("2024-{:02}-{:02}", 1 + d / 28, 1 + d % 28),
                        horizon: h,
                        window,
                        forecast: 1.0 + f64::from(d) * 0.01,
                        realized: Some(1.1),
                    })
                })
                .collect();
            let var = (0..22)
                .flat_map(|d| {
                    [0.01, 0.05, 0.10].map(|level| VarRow {
                        date: format!("2024-{:02}-{:02}", 1 + d / 28, 1 + d % 28),
                        level,
                        window,
                        value_at_risk: 2.0,
                        realized_return: Some(-0.5),
                    })
                })
                .collect();
            TaskRecord {
                model: ModelRow {
                    key: TaskKey {
                        asset: format!("A{:04}", i % 100),
                        spec_hash: "s".into(),
                        window,
                    },
                    train_start: Some("2020-01-01".into()),
                    train_end: Some("2023-12-29".into()),
                    nobs: 1000,
                    failure: None,
                    params_json: Some(
                        r#"{"mu":0.05,"omega":0.02,"alpha[1]":0.08,"beta[1]":0.9}"#.into(),
                    ),
                    loglik: Some(-1500.0),
                    aic: Some(3008.0),
                    bic: Some(3027.0),
                    converged: Some(true),
                    warnings: Some("[]".into()),
                    fit_us: 4000,
                },
                forecasts,
                var,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::open(dir.path().join("bench.db")).unwrap();
    reg.upsert_specs(&[SpecRow {
        spec_hash: "s".into(),
        family: "garch".into(),
        label: "G".into(),
        spec_json: "{}".into(),
    }])
    .unwrap();
    let id = reg
        .create_run(&NewRun {
            name: "bench".into(),
            experiment_hash: "h".into(),
            spec_json: "{}".into(),
            code_version: "bench".into(),
            seed: 0,
            shard_index: 0,
            shard_count: 1,
            n_tasks: 0,
            started: "2026-01-01T00:00:00Z".into(),
        })
        .unwrap();
    let mut group = c.benchmark_group("registry");
    group.throughput(Throughput::Elements(500));
    group.sample_size(10);
    let mut offset = 0u32;
    group.bench_function("write_tasks_500", |b| {
        b.iter_batched(
            || {
                offset += 500;
                batch(offset)
            },
            |tasks| reg.write_tasks(id, &tasks).unwrap(),
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
