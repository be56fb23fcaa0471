//! Registry round trips: runs, tasks, resume bookkeeping, queries, breakdowns.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_registry::{
    Failure, ForecastRow, ModelRow, NewRun, Registry, RunStatus, SpecRow, TaskKey, TaskRecord,
    VarRow,
};

fn new_run(hash: &str) -> NewRun {
    NewRun {
        name: "t".into(),
        experiment_hash: hash.into(),
        spec_json: "{}".into(),
        code_version: "0.1.0".into(),
        seed: 42,
        shard_index: 0,
        shard_count: 1,
        n_tasks: 3,
        started: "2026-01-01T00:00:00Z".into(),
    }
}

fn task(asset: &str, window: u32, failure: Option<&str>) -> TaskRecord {
    let model = ModelRow {
        key: TaskKey {
            asset: asset.into(),
            spec_hash: "s1".into(),
            window,
        },
        train_start: Some("2020-01-01".into()),
        train_end: Some("2020-12-31".into()),
        nobs: 250,
        failure: failure.map(|k| Failure {
            kind: k.into(),
            message: format!("{asset}: {k}"),
        }),
        params_json: failure.is_none().then(|| r#"{"mu":0.1}"#.into()),
        loglik: failure.is_none().then_some(-300.5),
        aic: failure.is_none().then_some(605.0),
        bic: failure.is_none().then_some(612.0),
        converged: failure.is_none().then_some(true),
        warnings: failure.is_none().then(|| "[]".into()),
        fit_us: 1234,
    };
    let ok = failure.is_none();
    TaskRecord {
        model,
        forecasts: if ok {
            vec![
                ForecastRow {
                    date: "2021-01-04".into(),
                    horizon: 1,
                    window,
                    forecast: 1.5,
                    realized: Some(2.25),
                },
                ForecastRow {
                    date: "2021-01-04".into(),
                    horizon: 5,
                    window,
                    forecast: 7.0,
                    realized: None,
                },
            ]
        } else {
            vec![]
        },
        var: if ok {
            vec![VarRow {
                date: "2021-01-04".into(),
                level: 0.01,
                window,
                value_at_risk: 2.8,
                realized_return: Some(-1.5),
            }]
        } else {
            vec![]
        },
    }
}

fn setup() -> (Registry, i64) {
    let mut reg = Registry::open_in_memory().unwrap();
    reg.upsert_specs(&[SpecRow {
        spec_hash: "s1".into(),
        family: "garch".into(),
        label: "G".into(),
        spec_json: "{}".into(),
    }])
    .unwrap();
    let id = reg.create_run(&new_run("h1")).unwrap();
    (reg, id)
}

#[test]
fn tasks_round_trip_and_drive_resume() {
    let (mut reg, id) = setup();
    assert_eq!(reg.find_unfinished_run("h1", 0, 1).unwrap(), Some(id));
    assert_eq!(reg.find_unfinished_run("h1", 0, 2).unwrap(), None);
    let tasks = [
        task("AAPL", 0, None),
        task("MSFT", 0, Some("constant_series")),
        task("TSLA", 1, Some("constant_series")),
    ];
    reg.write_tasks(id, &tasks[..2]).unwrap();
    let done = reg.done_tasks(id).unwrap();
    assert_eq!(done.len(), 2);
    assert!(done.contains(&TaskKey {
        asset: "MSFT".into(),
        spec_hash: "s1".into(),
        window: 0
    }));
    reg.write_tasks(id, &tasks[2..]).unwrap();

    let models = reg.models(id).unwrap();
    assert_eq!(models.len(), 3);
    assert_eq!(models[0], tasks[0].model);
    assert_eq!(reg.forecasts(id, "AAPL", "s1").unwrap(), tasks[0].forecasts);
    assert_eq!(reg.var_forecasts(id, "AAPL", "s1").unwrap(), tasks[0].var);
    let c = reg.counts(id).unwrap();
    assert_eq!((c.ok, c.failed, c.forecasts), (1, 2, 2));
    let b = reg.failure_breakdown(id).unwrap();
    assert_eq!(b.len(), 1);
    assert_eq!((b[0].kind.as_str(), b[0].count), ("constant_series", 2));
    assert_eq!(reg.failures(id).unwrap().len(), 2);
    assert_eq!(reg.spec_json("s1").unwrap().as_deref(), Some("{}"));

    reg.close_run(id, RunStatus::Finished, Some("2026-01-01T00:01:00Z"), 60.0)
        .unwrap();
    assert_eq!(reg.find_unfinished_run("h1", 0, 1).unwrap(), None);
    let run = reg.run(id).unwrap();
    assert_eq!(run.status, RunStatus::Finished);
    assert_eq!(run.elapsed_s, 60.0);
    assert!(reg
        .run(99)
        .unwrap_err()
        .to_string()
        .contains("no run with id 99"));
}

#[test]
fn content_lines_ignore_timings_only() {
    let (mut a, ia) = setup();
    let (mut b, ib) = setup();
    let mut slow = task("AAPL", 0, None);
    slow.model.fit_us = 999_999;
    a.write_tasks(ia, &[task("AAPL", 0, None)]).unwrap();
    b.write_tasks(ib, &[slow]).unwrap();
    b.close_run(ib, RunStatus::Running, None, 12.0).unwrap();
    assert_eq!(a.content_lines(ia).unwrap(), b.content_lines(ib).unwrap());
    let mut other = task("AAPL", 0, None);
    other.forecasts[0].forecast = 1.5000000000000002;
    b.write_tasks(ib, &[other]).unwrap();
    assert_ne!(a.content_lines(ia).unwrap(), b.content_lines(ib).unwrap());
}

#[test]
fn concurrent_opens_of_a_new_registry_migrate_once() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("race.db");
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let p = p.clone();
            std::thread::spawn(move || Registry::open(&p).map(|_| ()).map_err(|e| e.to_string()))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    assert!(Registry::open(&p).unwrap().runs().unwrap().is_empty());
}
