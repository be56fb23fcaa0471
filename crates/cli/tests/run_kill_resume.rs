//! End to end through the binary: `alphafactory run` killed with SIGKILL mid-run, then
//! `alphafactory run --resume`, ends with exactly the registry rows of an uninterrupted run
//! (timings aside); `runs`, `show` and `merge` read the result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use af_registry::Registry;

const BIN: &str = env!("CARGO_BIN_EXE_alphafactory");

fn experiment(dir: &Path) -> std::path::PathBuf {
    let yaml =
        "name: cli-kill\nseed: 5\nuniverse: { synthetic: { assets: 25, days: 420, seed: 9 } }\n\
                targets: { realized_variance: { horizons: [1, 5] } }\n\
                models:\n  - garch: { vol: [garch, gjr], dist: [normal] }\n\
                walk_forward: { train: 300, refit_every: 25, test: 100 }\n\
                outputs: { registry: killed.db }\n";
    let p = dir.join("exp.yaml");
    std::fs::write(&p, yaml).unwrap();
    p
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
fn sigkill_then_resume_equals_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let exp = experiment(dir.path());
    let db = dir.path().join("killed.db");
    let mut child = Command::new(BIN)
        .args(["run", exp.to_str().unwrap(), "--threads", "1"])
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    while models_in(&db) == 0 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "run finished before it could be killed"
        );
        assert!(
            Instant::now() < deadline,
            "no task reached the registry in time"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "run finished before it could be killed"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let partial = models_in(&db);
    assert!(
        partial > 0 && partial < 200,
        "{partial} of 200 tasks before the kill"
    );

    let out = Command::new(BIN)
        .args(["run", exp.to_str().unwrap(), "--resume", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["resumed"], true);
    assert_eq!(summary["skipped"], partial);
    assert_eq!(
        summary["ok"].as_u64().unwrap() + summary["failed"].as_u64().unwrap(),
        200
    );

    let fresh = dir.path().join("fresh.db");
    let out = Command::new(BIN)
        .args([
            "run",
            exp.to_str().unwrap(),
            "--registry",
            fresh.to_str().unwrap(),
            "--threads",
            "2",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("ok,") && stdout.contains("failed of 200 tasks"),
        "{stdout}"
    );
    let (a, b) = (
        Registry::open(&db).unwrap(),
        Registry::open(&fresh).unwrap(),
    );
    assert_eq!(a.content_lines(1).unwrap(), b.content_lines(1).unwrap());

    let runs = Command::new(BIN)
        .args(["runs", "--registry", db.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&runs.stdout);
    assert!(
        text.contains("cli-kill") && text.contains("finished"),
        "{text}"
    );
    let show = Command::new(BIN)
        .args(["show", "1", "--registry", db.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(v["run"]["status"], "finished");
    let missing = Command::new(BIN)
        .args(["show", "7", "--registry", db.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no run with id 7"));
}

#[test]
fn shards_merge_to_the_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let exp = experiment(dir.path());
    let yaml = std::fs::read_to_string(&exp)
        .unwrap()
        .replace("assets: 25", "assets: 2");
    std::fs::write(&exp, yaml).unwrap();
    let run = |extra: &[&str]| {
        let out = Command::new(BIN)
            .arg("run")
            .arg(&exp)
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    run(&["--registry", &p("single.db")]);
    run(&["--registry", &p("s0.db"), "--shard", "0/2"]);
    run(&["--registry", &p("s1.db"), "--shard", "1/2"]);
    let out = Command::new(BIN)
        .args(["merge", &p("merged.db"), &p("s0.db"), &p("s1.db")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (a, b) = (
        Registry::open(p("single.db")).unwrap(),
        Registry::open(p("merged.db")).unwrap(),
    );
    assert_eq!(a.content_lines(1).unwrap(), b.content_lines(1).unwrap());
    let bad = Command::new(BIN)
        .arg("run")
        .arg(&exp)
        .args(["--shard", "2/2"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--shard 2/2"));
}
