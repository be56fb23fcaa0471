//! `alphafactory demo --assets 5 --days 400` end to end: universe, experiment file, registry,
//! leaderboard JSON and report; then `leaderboard` and `report` on the demo's registry.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use serde_json::Value;

fn af(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_alphafactory"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "alphafactory {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn small_demo_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("demo");
    let ds = d.to_str().unwrap();
    let out = af(&[
        "demo",
        "--assets",
        "5",
        "--days",
        "400",
        "--threads",
        "2",
        "--out-dir",
        ds,
        "--json",
    ]);
    for f in [
        "universe.parquet",
        "experiment.yaml",
        "alphafactory.db",
        "report.html",
    ] {
        assert!(d.join(f).is_file(), "missing {f}");
    }
    let lb: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (lb["assets"].as_u64(), lb["specs"].as_u64()),
        (Some(5), Some(5))
    );
    assert_eq!(lb["horizons"].as_array().unwrap().len(), 10);
    let rows = lb["groups"][0]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 8, "5 variants + 3 ensembles");
    assert_eq!(rows[0]["rank"], 1);
    assert!(rows.iter().filter(|r| r["ensemble"] == true).count() == 3);
    assert_eq!(
        lb["var"].as_array().unwrap().len(),
        15,
        "5 variants × 3 levels"
    );
    let html = std::fs::read_to_string(d.join("report.html")).unwrap();
    assert!(html.contains("Leaderboard") && html.contains("<svg") && !html.contains("NaN"));

    // The registry and experiment file are reusable by the other commands.
    let db = d.join("alphafactory.db");
    let db = db.to_str().unwrap();
    let by_h = af(&[
        "leaderboard",
        "1",
        "--registry",
        db,
        "--by",
        "horizon",
        "--metric",
        "mz_r2",
        "--top",
        "3",
        "--json",
    ]);
    let by_h: Value = serde_json::from_slice(&by_h.stdout).unwrap();
    assert_eq!(by_h["groups"].as_array().unwrap().len(), 10);
    assert!(by_h["groups"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["rows"].as_array().unwrap().len() == 3));
    let text =
        String::from_utf8(af(&["leaderboard", "1", "--registry", db, "--by", "asset"]).stdout)
            .unwrap();
    assert!(text.contains("winner:") && text.contains("VaR backtests"));
    let rep = dir.path().join("r.html");
    af(&[
        "report",
        "1",
        "--registry",
        db,
        "--out",
        rep.to_str().unwrap(),
        "--assets",
        "SPY,TSLA",
    ]);
    let html = std::fs::read_to_string(&rep).unwrap();
    assert!(html.contains("SPY — ") && html.contains("TSLA — "));

    // Bad input: a clear error, never a panic.
    let bad = Command::new(env!("CARGO_BIN_EXE_alphafactory"))
        .args(["leaderboard", "1", "--registry", db, "--metric", "sharpe"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown metric `sharpe`"));
    let bad = Command::new(env!("CARGO_BIN_EXE_alphafactory"))
        .args(["report", "1", "--registry", db, "--assets", "NOPE"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&bad.stderr).contains("asset `NOPE` is not in run 1"));
    let bad = Command::new(env!("CARGO_BIN_EXE_alphafactory"))
        .args(["leaderboard", "9", "--registry", db])
        .output()
        .unwrap();
    assert!(!bad.status.success());
}
