//! `alphafactory garch fit` / `fit-many`, run as a user runs them (the built binary).
//!
//! Reference numbers come from `crates/vol/tests/fixtures/arch/dem2gbp.json` (arch 8.0.0, made by
//! `scripts/fixtures/arch_fixtures.py`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alphafactory"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs and expects failure; returns stderr.
fn fails(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        !out.status.success(),
        "{args:?} should fail; stdout: {}",
        stdout(&out)
    );
    stderr(&out)
}

fn fit_json(args: &[&str]) -> Value {
    let out = run(args);
    assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
    serde_json::from_str(stdout(&out).trim()).unwrap()
}

fn arch_case(name: &str) -> Value {
    let path = root().join("crates/vol/tests/fixtures/arch/dem2gbp.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()
        .clone()
}

#[test]
fn fit_dem2gbp_matches_arch() {
    let got = fit_json(&["garch", "fit", "--input", "data/dem2gbp.csv", "--json"]);
    let want = arch_case("constant-garch11-normal");
    let (ll, arch_ll) = (
        got["loglikelihood"].as_f64().unwrap(),
        want["loglikelihood"].as_f64().unwrap(),
    );
    assert!(
        ll >= arch_ll - 1e-6 * arch_ll.abs(),
        "ll {ll} worse than arch {arch_ll}"
    );
    assert_eq!(got["nobs"], want["nobs"]);
    // omega, alpha[1], beta[1] are well defined (arch s.e. < 25% of the value); mu is not.
    let names: Vec<&str> = want["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let tight = want["tight"]["params"].as_array().unwrap();
    for name in ["omega", "alpha[1]", "beta[1]"] {
        let i = names.iter().position(|n| *n == name).unwrap();
        let (ours, theirs) = (
            got["params"][name].as_f64().unwrap(),
            tight[i].as_f64().unwrap(),
        );
        assert!(
            (ours - theirs).abs() <= 1e-3 * theirs.abs(),
            "{name}: {ours} vs arch {theirs}"
        );
    }
    let var = got["var"]["0.01"].as_f64().unwrap();
    let arch_var = want["var"]["0.01"].as_f64().unwrap();
    assert!(
        (var - arch_var).abs() <= 5e-3 * arch_var,
        "VaR 1%: {var} vs arch {arch_var}"
    );
}

#[test]
fn json_has_the_documented_shape() {
    let got = fit_json(&[
        "garch",
        "fit",
        "--input",
        "data/index_returns.csv",
        "--column",
        "NASDAQ",
        "--vol",
        "gjr",
        "--dist",
        "t",
        "--horizon",
        "5",
        "--var-levels",
        "0.01,0.025",
        "--json",
    ]);
    let keys: Vec<&str> = got
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "spec",
        "nobs",
        "params",
        "std_err",
        "loglikelihood",
        "aic",
        "bic",
        "converged",
        "warnings",
        "forecast",
        "var",
        "es",
    ];
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    expected.sort_unstable();
    assert_eq!(sorted, expected);
    assert_eq!(got["spec"]["vol"], "gjr");
    assert_eq!(got["spec"]["o"], 1, "--vol gjr defaults --o to 1");
    assert_eq!(got["nobs"], 5030);
    let params: Vec<&str> = got["params"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for name in ["mu", "omega", "alpha[1]", "gamma[1]", "beta[1]", "nu"] {
        assert!(params.contains(&name), "missing {name} in {params:?}");
        assert!(got["std_err"][name].is_number(), "no s.e. for {name}");
    }
    let variance = got["forecast"]["variance"].as_array().unwrap();
    assert_eq!(variance.len(), 5);
    assert!(variance.iter().all(|v| v.as_f64().unwrap() > 0.0));
    assert!(got["var"]["0.01"].as_f64().unwrap() > got["var"]["0.025"].as_f64().unwrap());
    assert!(got["es"]["0.01"].as_f64().unwrap() > got["var"]["0.01"].as_f64().unwrap());
    assert!(got["warnings"].is_array());
    assert_eq!(got["converged"], true);
}

#[test]
fn summary_without_json() {
    let out = run(&[
        "garch",
        "fit",
        "--input",
        "data/dem2gbp.csv",
        "--dist",
        "ged",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for needle in ["DEM2GBP", "omega", "beta[1]", "nu", "VaR", "ES", "h=1"] {
        assert!(text.contains(needle), "summary lacks {needle}:\n{text}");
    }
}

/// A wide CSV with one good column and three that cannot be fitted.
fn bad_wide(dir: &Path) -> PathBuf {
    let y: Vec<String> = std::fs::read_to_string(root().join("data/dem2gbp.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .take(1000)
        .map(str::to_string)
        .collect();
    let mut text = String::from("date,good,constant,holey,short\n");
    let start = chrono::NaiveDate::from_ymd_opt(2000, 1, 3).unwrap();
    for (i, v) in y.iter().enumerate() {
        let date = start + chrono::Duration::days(i as i64);
        let holey = if i == 500 { String::new() } else { v.clone() };
        let short = if i < 5 { v.clone() } else { String::new() };
        text.push_str(&format!("{date},{v},1.5,{holey},{short}\n"));
    }
    let path = dir.join("wide.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn fit_many_reports_bad_columns_as_rows() {
    let dir = tempfile::tempdir().unwrap();
    let input = bad_wide(dir.path());
    let output = dir.path().join("out.jsonl");
    let out = run(&[
        "garch",
        "fit-many",
        "--input",
        input.to_str().unwrap(),
        "--threads",
        "2",
        "--output",
        output.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 ok, 3 failed"),
        "stdout: {}",
        stdout(&out)
    );
    let rows = read_jsonl(&output);
    let names: Vec<&str> = rows.iter().map(|r| r["series"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["good", "constant", "holey", "short"],
        "output order = input column order"
    );
    assert!(rows[0]["error"].is_null() && rows[0]["params"]["omega"].is_number());
    for row in &rows[1..] {
        assert!(row["error"].is_string(), "{row}");
    }
    let holey = rows[2]["error"].as_str().unwrap();
    assert!(
        holey.contains("2001-05-17") && holey.contains("holey"),
        "{holey}"
    );
    let constant = rows[1]["error"].as_str().unwrap().to_lowercase();
    assert!(constant.contains("constant"), "{constant}");
}

#[test]
fn fit_many_csv_and_parquet_are_flat() {
    let dir = tempfile::tempdir().unwrap();
    let input = bad_wide(dir.path());
    let csv_path = dir.path().join("out.csv");
    let pq_path = dir.path().join("out.parquet");
    for path in [&csv_path, &pq_path] {
        let out = run(&[
            "garch",
            "fit-many",
            "--input",
            input.to_str().unwrap(),
            "--horizon",
            "3",
            "--output",
            path.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    for col in [
        "series",
        "error",
        "param.omega",
        "se.beta[1]",
        "forecast.h3",
        "var.0.05",
        "es.0.1",
    ] {
        assert!(header.contains(&col), "CSV lacks {col}: {header:?}");
    }
    assert_eq!(text.lines().count(), 5);
    let batches: Vec<_> = ParquetRecordBatchReaderBuilder::try_new(File::open(&pq_path).unwrap())
        .unwrap()
        .build()
        .unwrap()
        .collect();
    let batch = batches.into_iter().next().unwrap().unwrap();
    assert_eq!(batch.num_rows(), 4);
    let schema = batch.schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, header, "CSV and Parquet have the same columns");
    assert_eq!(batch.column_by_name("error").unwrap().null_count(), 1);
}

#[test]
fn fit_many_is_independent_of_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "3"] {
        let output = dir.path().join(format!("t{threads}.jsonl"));
        let out = run(&[
            "garch",
            "fit-many",
            "--input",
            "data/index_returns.csv",
            "--dist",
            "t",
            "--threads",
            threads,
            "--output",
            output.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("2 ok, 0 failed"), "{}", stdout(&out));
        outputs.push(std::fs::read_to_string(output).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn bad_flags_say_what_is_wrong() {
    let base = ["garch", "fit", "--input", "data/dem2gbp.csv"];
    let with = |extra: &[&str]| -> String { fails(&[&base[..], extra].concat()) };
    let msg = with(&["--dist", "cauchy"]);
    assert!(msg.contains("cauchy") && msg.contains("skewt"), "{msg}");
    let msg = with(&["--var-levels", "0.05,1.5"]);
    assert!(msg.contains("--var-levels") && msg.contains("1.5"), "{msg}");
    let msg = with(&["--horizon", "0"]);
    assert!(msg.contains("--horizon"), "{msg}");
    let msg = with(&["--vol", "garch", "--o", "1"]);
    assert!(msg.contains("--vol gjr"), "{msg}");
    let msg = with(&["--mean", "ar", "--lags", "0"]);
    assert!(msg.contains("--lags"), "{msg}");
    let msg = with(&["--column", "USD"]);
    assert!(msg.contains("USD") && msg.contains("DEM2GBP"), "{msg}");
    let msg = fails(&["garch", "fit", "--input", "no/such/file.csv"]);
    assert!(msg.contains("no/such/file.csv"), "{msg}");
    let msg = fails(&[
        "garch",
        "fit-many",
        "--input",
        "data/dem2gbp.csv",
        "--output",
        "/tmp/x.xlsx",
    ]);
    assert!(msg.contains(".parquet, .csv or .jsonl"), "{msg}");
    let msg = fails(&[
        "garch",
        "fit-many",
        "--input",
        "data/dem2gbp.csv",
        "--threads",
        "0",
        "--output",
        "/tmp/x.csv",
    ]);
    assert!(msg.contains("--threads"), "{msg}");
}
