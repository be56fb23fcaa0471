//! `alphafactory metrics` end to end: CSV in, JSON out, compared with empyrical's values
//! (the fixture of `scripts/fixtures/empyrical_fixtures.py`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../portfolio/tests/fixtures/empyrical.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn write_csv(dir: &Path, name: &str, column: &str, values: &[Value], skip: usize) -> PathBuf {
    let mut s = format!("date,{column}\n");
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    for (i, v) in values.iter().enumerate().skip(skip) {
        let d = start + chrono::Days::new(i as u64);
        writeln!(
            s,
            "{d},{}",
            v.as_f64().map(|x| format!("{x:.17e}")).unwrap_or_default()
        )
        .unwrap();
    }
    let p = dir.join(name);
    std::fs::write(&p, s).unwrap();
    p
}

/// The empyrical `strategy` case written as returns and benchmark CSVs; the benchmark starts
/// `bench_skip` days later.
fn case_files(dir: &Path, bench_skip: usize) -> (Value, PathBuf, PathBuf) {
    let case = fixture()["cases"]["strategy"].clone();
    let r = write_csv(
        dir,
        "r.csv",
        "strategy",
        case["returns"].as_array().unwrap(),
        0,
    );
    let b = write_csv(
        dir,
        "b.csv",
        "spy",
        case["benchmark"].as_array().unwrap(),
        bench_skip,
    );
    (case, r, b)
}

/// `alphafactory metrics ARGS…`.
fn metrics(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alphafactory"))
        .arg("metrics")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn metrics_json_matches_empyrical() {
    let dir = tempfile::tempdir().unwrap();
    let (case, r, b) = case_files(dir.path(), 0);
    let out = metrics(&[
        "--returns".as_ref(),
        r.as_os_str(),
        "--benchmark".as_ref(),
        b.as_os_str(),
        "--json".as_ref(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["nobs"], 756);
    for (k, want) in case["metrics"].as_object().unwrap() {
        let g = got["metrics"][k].as_f64().unwrap();
        let w = want.as_f64().unwrap();
        assert!((g - w).abs() <= 1e-9 * w.abs().max(1e-3), "{k}: {g} vs {w}");
    }
}

#[test]
fn metrics_aligns_the_benchmark_by_date_and_explains_bad_columns() {
    let dir = tempfile::tempdir().unwrap();
    // the benchmark starts 6 days later: only the 750 common dates count
    let (_, r, b) = case_files(dir.path(), 6);
    let out = metrics(&[
        "--json".as_ref(),
        "--returns".as_ref(),
        r.as_os_str(),
        "--benchmark".as_ref(),
        b.as_os_str(),
    ]);
    assert!(out.status.success());
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["nobs"], 750);

    let out = metrics(&[
        "--column".as_ref(),
        "nope".as_ref(),
        "--returns".as_ref(),
        r.as_os_str(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no column `nope`") && err.contains("strategy"),
        "{err}"
    );
}
