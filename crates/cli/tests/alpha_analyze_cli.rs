//! `alphafactory alpha analyze` end to end: a hand-built panel where one alpha is the next-day
//! return itself (rank IC exactly 1 at h = 1) and one is its negative (exactly −1); JSON fields,
//! the HTML tear sheet, and a located error for a bad alphas file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::process::Command;

const N_DATES: usize = 60;
const N_ASSETS: usize = 12;

fn prices() -> Vec<Vec<f64>> {
    let mut x: u64 = 99;
    (0..N_ASSETS)
        .map(|_| {
            let mut p = 50.0;
            (0..N_DATES)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let u = (x >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                    p *= 1.0 + 0.04 * u;
                    p
                })
                .collect()
        })
        .collect()
}

fn date(t: usize) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(t as u64);
    d.format("%Y-%m-%d").to_string()
}

fn write_inputs(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let p = prices();
    let (mut panel, mut alphas) = (
        String::from("date,asset,close,volume\n"),
        String::from("date,asset,alpha,value\n"),
    );
    for t in 0..N_DATES {
        for (a, series) in p.iter().enumerate() {
            writeln!(
                panel,
                "{},X{a:02},{},{}",
                date(t),
                series[t],
                1000.0 * (a + 1) as f64
            )
            .unwrap();
            if t + 1 < N_DATES {
                let fwd = series[t + 1] / series[t] - 1.0;
                writeln!(alphas, "{},X{a:02},perfect,{fwd}", date(t)).unwrap();
                writeln!(alphas, "{},X{a:02},reversed,{}", date(t), -fwd).unwrap();
            }
        }
    }
    let (pp, ap) = (dir.join("panel.csv"), dir.join("alphas.csv"));
    std::fs::write(&pp, panel).unwrap();
    std::fs::write(&ap, alphas).unwrap();
    (pp, ap)
}

#[test]
fn perfect_and_reversed_alphas_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let (panel, alphas) = write_inputs(dir.path());
    let report = dir.path().join("tear.html");
    let out = Command::new(env!("CARGO_BIN_EXE_alphafactory"))
        .args(["alpha", "analyze", "--panel"])
        .arg(&panel)
        .arg("--alphas")
        .arg(&alphas)
        .args([
            "--horizons",
            "1,5",
            "--quantiles",
            "3",
            "--json",
            "--report",
        ])
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = &json["alphas"];
    assert_eq!(a[0]["name"], "perfect");
    let h1 = &a[0]["horizons"][0];
    assert_eq!(h1["horizon"], 1);
    assert!((h1["rank_ic"]["mean"].as_f64().unwrap() - 1.0).abs() < 1e-12);
    assert!((h1["ic"]["mean"].as_f64().unwrap() - 1.0).abs() < 1e-12);
    assert!((a[1]["horizons"][0]["rank_ic"]["mean"].as_f64().unwrap() + 1.0).abs() < 1e-12);
    assert_eq!(h1["gates"]["pass_ic"], true);
    // 1,5 horizons: the last 5 dates have no 5-day forward return
    assert_eq!(h1["rank_ic"]["n"], N_DATES - 5);
    // perfectly anti-correlated spreads: the weaker duplicate is pruned, both share a cluster
    assert_eq!(json["kept"].as_array().unwrap().len(), 1);
    assert_eq!(a[0]["cluster"], a[1]["cluster"]);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg") && !html.contains("NaN"));
    assert!(html.contains("Alpha correlation") && !html.contains("<script"));
}

#[test]
fn a_bad_alphas_file_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let (panel, _) = write_inputs(dir.path());
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "date,asset,alpha,value\n2024-01-01,X00,a,0.1\n2024-01-01,NOPE,a,0.2\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_alphafactory"))
        .args(["alpha", "analyze", "--panel"])
        .arg(&panel)
        .arg("--alphas")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3") && err.contains("NOPE"), "{err}");
}
