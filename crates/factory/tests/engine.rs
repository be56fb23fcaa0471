//! Engine properties: thread-count independence, fault isolation, shard + merge = single run,
//! clean stop and automatic continuation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::sync::atomic::Ordering;

use af_factory::{load_universe, parse_experiment, run, Experiment, Plan, RunOptions, Shard};
use af_registry::{merge_shards, Registry};
use common::{noise, panel_of, synthetic_yaml, EwmaFitter};

fn experiment(assets: usize, registry: &Path) -> Experiment {
    parse_experiment(
        &synthetic_yaml(assets, registry),
        Path::new("test.yaml"),
        ".".into(),
    )
    .unwrap()
}

fn run_into(
    db: &Path,
    exp: &Experiment,
    plan: &Plan,
    opts: RunOptions,
) -> (Registry, af_factory::RunSummary) {
    let mut reg = Registry::open(db).unwrap();
    let s = run(exp, plan, &EwmaFitter::default(), &mut reg, &opts).unwrap();
    (reg, s)
}

#[test]
fn identical_rows_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let exp = experiment(4, &dir.path().join("x.db"));
    let plan = Plan::new(&exp, &load_universe(&exp).unwrap()).unwrap();
    assert_eq!(plan.n_tasks(), 4 * 4 * 3);
    let (r1, s1) = run_into(
        &dir.path().join("t1.db"),
        &exp,
        &plan,
        RunOptions {
            threads: 1,
            ..Default::default()
        },
    );
    let (r2, s2) = run_into(
        &dir.path().join("t2.db"),
        &exp,
        &plan,
        RunOptions {
            threads: 2,
            batch_tasks: 7,
            ..Default::default()
        },
    );
    assert_eq!((s1.ok, s1.failed), (48, 0), "{s1}");
    assert_eq!((s2.ok, s2.failed), (48, 0));
    let (c1, c2) = (
        r1.content_lines(s1.run_id).unwrap(),
        r2.content_lines(s2.run_id).unwrap(),
    );
    // 48 models + 48·20 days·2 horizons forecasts + 48·20·3 VaR rows + the run line.
    assert_eq!(c1.len(), 1 + 48 + 48 * 20 * 2 + 48 * 20 * 3);
    assert_eq!(c1, c2);
    // Realized 5-day variance is the sum of squared returns: check one row by hand.
    let asset = &plan.assets[0];
    let fc = r1
        .forecasts(s1.run_id, &asset.name, &plan.specs[0].hash)
        .unwrap();
    let first = fc.iter().find(|f| f.horizon == 5).unwrap();
    let t = asset.dates.iter().position(|d| *d == first.date).unwrap();
    let rv: f64 = asset.y[t..t + 5].iter().map(|r| r * r).sum();
    assert!((first.realized.unwrap() - rv).abs() <= 1e-12 * rv);
    assert_eq!(
        asset.dates.len() - t,
        60,
        "first forecast day is the first test day"
    );
}

#[test]
fn pathological_series_fail_with_reasons_and_the_run_completes() {
    let n = 300;
    let good = noise(1, n);
    let constant = vec![0.001; n];
    let mut holes = noise(2, n);
    holes[250] = f64::NAN;
    let mut short = vec![f64::NAN; n];
    short[200..].copy_from_slice(&noise(3, 100));
    let mut outliers = noise(4, n);
    outliers[100] = 1e200;
    let mut poisoned = noise(5, n);
    poisoned[150] = 42.42; // ×100 scale → 4242: the test double panics on it
    let panel = panel_of(&[
        ("GOOD", good),
        ("CONST", constant),
        ("HOLES", holes),
        ("SHORT", short),
        ("OUTLIER", outliers),
        ("PANIC", poisoned),
    ]);
    let yaml = "name: faults\nuniverse: { path: unused.csv }\nmodels: [ { garch: {} } ]\n\
                walk_forward: { train: 150, refit_every: 50, test: 100 }\n";
    let exp = parse_experiment(yaml, Path::new("f.yaml"), ".".into()).unwrap();
    let plan = Plan::new(&exp, &panel).unwrap();
    let mut reg = Registry::open_in_memory().unwrap();
    let s = run(
        &exp,
        &plan,
        &EwmaFitter::default(),
        &mut reg,
        &RunOptions::default(),
    )
    .unwrap();
    assert!(!s.interrupted);
    assert_eq!(s.total, 12);
    let failures = reg.failures(s.run_id).unwrap();
    let kind_of = |asset: &str| -> Vec<String> {
        failures
            .iter()
            .filter(|m| m.key.asset == asset)
            .map(|m| m.failure.clone().unwrap().kind)
            .collect()
    };
    assert!(kind_of("GOOD").is_empty());
    assert_eq!(kind_of("CONST"), ["constant_series", "constant_series"]);
    // The hole at index 250 is in window 1's test days and in no training window.
    assert_eq!(kind_of("HOLES"), ["missing_data"]);
    assert_eq!(kind_of("SHORT"), ["insufficient_data", "insufficient_data"]);
    assert_eq!(kind_of("OUTLIER"), ["fit_failed", "fit_failed"]);
    assert_eq!(kind_of("PANIC"), ["panic", "panic"]);
    let holes = failures
        .iter()
        .find(|m| m.key.asset == "HOLES")
        .unwrap()
        .failure
        .clone()
        .unwrap();
    assert!(
        holes.message.contains("2020-09-07") && holes.message.contains("test window"),
        "{}",
        holes.message
    );
    assert_eq!(s.ok, 3);
    assert_eq!(s.failed, 9);
    let text = s.to_string();
    assert!(text.contains("3 ok, 9 failed"), "{text}");
    let kinds: Vec<&str> = s.breakdown.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "constant_series",
            "fit_failed",
            "insufficient_data",
            "panic",
            "missing_data"
        ]
    );
}

#[test]
fn shards_merged_equal_a_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let exp = experiment(3, &dir.path().join("x.db"));
    let plan = Plan::new(&exp, &load_universe(&exp).unwrap()).unwrap();
    let (single, s) = run_into(
        &dir.path().join("single.db"),
        &exp,
        &plan,
        RunOptions::default(),
    );
    let mut paths = Vec::new();
    for i in 0..3 {
        let p = dir.path().join(format!("shard{i}.db"));
        let shard = Shard { index: i, count: 3 };
        let (_, si) = run_into(
            &p,
            &exp,
            &plan,
            RunOptions {
                shard,
                threads: 2,
                ..Default::default()
            },
        );
        assert_eq!(si.total, 12);
        paths.push(p);
    }
    let out = dir.path().join("merged.db");
    paths.reverse();
    let m = merge_shards(&out, &paths).unwrap();
    assert_eq!(m.models, 36);
    let merged = Registry::open(&out).unwrap();
    assert_eq!(
        merged.content_lines(m.run_id).unwrap(),
        single.content_lines(s.run_id).unwrap()
    );
    // Merging twice, or an incomplete set, is refused with a reason.
    assert!(merge_shards(&out, &paths)
        .unwrap_err()
        .to_string()
        .contains("already holds"));
    let e = merge_shards(&dir.path().join("m2.db"), &paths[..2])
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing"), "{e}");
}

#[test]
fn stop_flag_interrupts_and_the_next_run_continues_to_identical_rows() {
    let dir = tempfile::tempdir().unwrap();
    let exp = experiment(3, &dir.path().join("x.db"));
    let plan = Plan::new(&exp, &load_universe(&exp).unwrap()).unwrap();
    let (full, sf) = run_into(
        &dir.path().join("full.db"),
        &exp,
        &plan,
        RunOptions::default(),
    );

    let db = dir.path().join("stopped.db");
    let opts = RunOptions {
        threads: 1,
        ..Default::default()
    };
    opts.stop.store(true, Ordering::Relaxed);
    let (_, s1) = run_into(&db, &exp, &plan, opts);
    assert!(s1.interrupted);
    assert_eq!(s1.ok + s1.failed, 0);
    // --resume continues the interrupted run; a plain run would too.
    let (reg, s2) = run_into(
        &db,
        &exp,
        &plan,
        RunOptions {
            resume: true,
            ..Default::default()
        },
    );
    assert!(s2.resumed && !s2.interrupted);
    assert_eq!(s2.run_id, s1.run_id);
    assert_eq!(
        reg.content_lines(s2.run_id).unwrap(),
        full.content_lines(sf.run_id).unwrap()
    );
    // Nothing left to resume now.
    let mut reg = Registry::open(&db).unwrap();
    let e = run(
        &exp,
        &plan,
        &EwmaFitter::default(),
        &mut reg,
        &RunOptions {
            resume: true,
            ..Default::default()
        },
    );
    assert!(e.unwrap_err().to_string().contains("no unfinished run"));
}

#[test]
fn test_double_quantile_matches_scipy() {
    // scipy.stats.norm.ppf(0.05) and ppf(0.01), scipy 1.x.
    assert!((common::norm_ppf(0.05) + 1.6448536269514729).abs() < 1e-8);
    assert!((common::norm_ppf(0.01) + 2.3263478740408408).abs() < 1e-8);
}

#[test]
fn filters_select_and_exclude_assets() {
    let panel = panel_of(&[
        ("A", noise(1, 300)),
        ("B", noise(2, 300)),
        ("C", {
            let mut s = noise(3, 300);
            s[..200].fill(f64::NAN);
            s
        }),
    ]);
    let base = "name: f\nuniverse: { path: unused.csv }\nmodels: [ { garch: {} } ]\n\
                walk_forward: { train: 50, refit_every: 50, test: 50 }\n";
    let exp = parse_experiment(
        &format!("{base}filters: {{ min_history: 150 }}\n"),
        Path::new("f.yaml"),
        ".".into(),
    )
    .unwrap();
    let plan = Plan::new(&exp, &panel).unwrap();
    let names: Vec<&str> = plan.assets.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["A", "B"]);
    assert_eq!(
        plan.excluded,
        [(
            "C".to_string(),
            "100 returns < filters.min_history 150".to_string()
        )]
    );
    let exp = parse_experiment(
        &format!("{base}filters: {{ assets: [C, A] }}\n"),
        Path::new("f.yaml"),
        ".".into(),
    )
    .unwrap();
    let plan = Plan::new(&exp, &panel).unwrap();
    assert_eq!(plan.assets[0].name, "C");
    assert_eq!(
        plan.assets[0].y.len(),
        100,
        "leading missing values are trimmed"
    );
    for bad in ["[A, A]", "[Z]"] {
        let exp = parse_experiment(
            &format!("{base}filters: {{ assets: {bad} }}\n"),
            Path::new("f.yaml"),
            ".".into(),
        )
        .unwrap();
        let e = Plan::new(&exp, &panel).unwrap_err().to_string();
        assert!(e.contains("filters.assets"), "{e}");
    }
    let exp = parse_experiment(
        &format!("{base}targets: {{ returns: {{ field: ret }} }}\n"),
        Path::new("f.yaml"),
        ".".into(),
    )
    .unwrap();
    assert!(Plan::new(&exp, &panel)
        .unwrap_err()
        .to_string()
        .contains("`ret` is not in the panel"));
}
