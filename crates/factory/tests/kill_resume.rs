//! A run killed with SIGKILL in the middle continues with `--resume` to EXACTLY the rows of an
//! uninterrupted run. The child process is this test binary itself, re-run with a filter that
//! selects the ignored `kill_child` helper.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use af_factory::{load_universe, parse_experiment, run, Experiment, Plan, RunOptions};
use af_registry::Registry;
use common::{synthetic_yaml, EwmaFitter};

const CHILD_DB: &str = "AF_KILL_CHILD_DB";

fn setup(db: &Path) -> (Experiment, Plan) {
    let exp = parse_experiment(&synthetic_yaml(4, db), Path::new("k.yaml"), ".".into()).unwrap();
    let plan = Plan::new(&exp, &load_universe(&exp).unwrap()).unwrap();
    (exp, plan)
}

#[test]
#[ignore = "helper process of killed_mid_run_resumes_to_identical_rows"]
fn kill_child() {
    let Some(db) = std::env::var_os(CHILD_DB) else {
        return;
    };
    let db = Path::new(&db);
    let (exp, plan) = setup(db);
    let mut reg = Registry::open(db).unwrap();
    let fitter = EwmaFitter {
        delay: Duration::from_millis(40),
    };
    let opts = RunOptions {
        threads: 2,
        batch_interval: Duration::from_millis(20),
        ..Default::default()
    };
    run(&exp, &plan, &fitter, &mut reg, &opts).unwrap();
}

fn models_in(db: &Path) -> u64 {
    let Ok(reg) = Registry::open(db) else {
        return 0;
    };
    match reg.runs() {
        Ok(runs) if !runs.is_empty() => {
            reg.counts(runs[0].id).map(|c| c.ok + c.failed).unwrap_or(0)
        }
        _ => 0,
    }
}

#[test]
fn killed_mid_run_resumes_to_identical_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("killed.db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "kill_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DB, &db)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while models_in(&db) < 8 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "child finished before it could be killed"
        );
        assert!(Instant::now() < deadline, "child wrote no tasks in time");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "child finished before it could be killed"
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let (exp, plan) = setup(&db);
    let partial = models_in(&db);
    assert!(
        partial >= 8 && partial < plan.n_tasks() as u64,
        "{partial} of {}",
        plan.n_tasks()
    );
    {
        let reg = Registry::open(&db).unwrap();
        assert_eq!(
            reg.runs().unwrap()[0].status,
            af_registry::RunStatus::Running
        );
        // Only whole tasks: every ok model has all its forecast rows (20 days × 2 horizons).
        let run_id = reg.runs().unwrap()[0].id;
        for m in reg.models(run_id).unwrap() {
            let n = reg
                .forecasts(run_id, &m.key.asset, &m.key.spec_hash)
                .unwrap();
            assert_eq!(n.iter().filter(|f| f.window == m.key.window).count(), 40);
        }
    }

    let mut reg = Registry::open(&db).unwrap();
    let opts = RunOptions {
        resume: true,
        threads: 2,
        ..Default::default()
    };
    let resumed = run(&exp, &plan, &EwmaFitter::default(), &mut reg, &opts).unwrap();
    assert!(resumed.resumed && !resumed.interrupted);
    assert_eq!(resumed.skipped, partial);

    let mut fresh = Registry::open(dir.path().join("fresh.db")).unwrap();
    let full = run(
        &exp,
        &plan,
        &EwmaFitter::default(),
        &mut fresh,
        &RunOptions::default(),
    )
    .unwrap();
    assert_eq!(
        reg.content_lines(resumed.run_id).unwrap(),
        fresh.content_lines(full.run_id).unwrap()
    );
}
