//! Scoring a run: `Board::compute` (read every asset's forecasts from SQLite, losses, MZ R²,
//! VaR backtests, three ensembles, selection) and `Board::leaderboard` (ranking) on a registry of
//! 50 assets × 5 variants × 252 out-of-sample days × 10 horizons × 3 VaR levels
//! (12 refit windows), filled with deterministic pseudo-forecasts.
//!
//! Run: `cargo bench -p af-board --bench leaderboard`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use af_board::{Board, GroupBy, Metric};
use af_registry::{ForecastRow, ModelRow, NewRun, Registry, SpecRow, TaskKey, TaskRecord, VarRow};
use af_vol::spec::{DistKind, GarchSpec, VolKind};
use criterion::{criterion_group, criterion_main, Criterion};

const ASSETS: usize = 50;
const DAYS: usize = 252;
const REFIT: usize = 22;

/// A deterministic value in [0, 1) from integers (splitmix64).
fn u(mut x: u64) -> f64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (x ^ (x >> 31)) as f64 / u64::MAX as f64
}

fn registry(path: &std::path::Path) -> (Registry, i64) {
    let mut reg = Registry::open(path).unwrap();
    let specs: Vec<GarchSpec> = [
        (VolKind::Garch, 0, DistKind::Normal),
        (VolKind::Garch, 0, DistKind::StudentsT),
        (VolKind::Garch, 0, DistKind::SkewStudent),
        (VolKind::Gjr, 1, DistKind::Normal),
        (VolKind::Egarch, 0, DistKind::Normal),
    ]
    .into_iter()
    .map(|(vol, o, dist)| GarchSpec {
        vol,
        o,
        dist,
        ..GarchSpec::default()
    })
    .collect();
    let rows: Vec<SpecRow> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| SpecRow {
            spec_hash: format!("h{i}"),
            family: "garch".into(),
            label: s.to_string(),
            spec_json: serde_json::json!({ "garch": s }).to_string(),
        })
        .collect();
    reg.upsert_specs(&rows).unwrap();
    let windows = DAYS.div_ceil(REFIT);
    let id = reg
        .create_run(&NewRun {
            name: "bench".into(),
            experiment_hash: "b".into(),
            spec_json: "{}".into(),
            code_version: "bench".into(),
            seed: 1,
            shard_index: 0,
            shard_count: 1,
            n_tasks: (ASSETS * specs.len() * windows) as u64,
            started: "2026-01-01T00:00:00Z".into(),
        })
        .unwrap();
    let mut tasks = Vec::new();
    for a in 0..ASSETS {
        for s in 0..specs.len() {
            for w in 0..windows {
                let seed = ((a * 7 + s) * 100 + w) as u64 * 1000;
                let days = (w * REFIT)..((w + 1) * REFIT).min(DAYS);
                let date = |t: usize| format!("2024-{:02}-{:02}", 1 + t / 28, 1 + t % 28);
                let mut forecasts = Vec::new();
                let mut var = Vec::new();
                for t in days {
                    for h in 1..=10u32 {
                        let x = u(seed + t as u64 * 16 + u64::from(h));
                        forecasts.push(ForecastRow {
                            date: date(t),
                            horizon: h,
                            window: w as u32,
                            forecast: f64::from(h) * (1.0 + x),
                            realized: (t + h as usize <= DAYS)
                                .then(|| f64::from(h) * 2.0 * u(t as u64 * 31 + u64::from(h))),
                        });
                    }
                    for level in [0.01, 0.05, 0.10] {
                        var.push(VarRow {
                            date: date(t),
                            level,
                            window: w as u32,
                            value_at_risk: 2.0 + u(seed + t as u64),
                            realized_return: Some(4.0 * (u(t as u64 * 7 + a as u64) - 0.5)),
                        });
                    }
                }
                tasks.push(TaskRecord {
                    model: ModelRow {
                        key: TaskKey {
                            asset: format!("A{a:03}"),
                            spec_hash: format!("h{s}"),
                            window: w as u32,
                        },
                        train_start: None,
                        train_end: None,
                        nobs: 1000,
                        failure: None,
                        params_json: Some("{}".into()),
                        loglik: Some(-1000.0),
                        aic: Some(2000.0 + 4.0 * u(seed)),
                        bic: Some(2010.0 + 4.0 * u(seed + 1)),
                        converged: Some(true),
                        warnings: None,
                        fit_us: 1000,
                    },
                    forecasts,
                    var,
                });
            }
        }
    }
    reg.write_tasks(id, &tasks).unwrap();
    (reg, id)
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (reg, id) = registry(&dir.path().join("bench.db"));
    let mut g = c.benchmark_group("board");
    g.sample_size(10);
    g.bench_function("compute_50_assets", |b| {
        b.iter(|| Board::compute(&reg, id, &[]).unwrap())
    });
    let board = Board::compute(&reg, id, &[]).unwrap();
    g.bench_function("leaderboard_by_horizon", |b| {
        b.iter(|| board.leaderboard(GroupBy::Horizon, Metric::Qlike, None))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
