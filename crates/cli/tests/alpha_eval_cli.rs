//! `alphafactory alpha eval` end to end through the binary: `--expr` and `--library alpha101
//! --only 1,2,3`, CSV and Parquet output in the long format (date, asset, alpha, value) checked
//! cell by cell — and row by row, in the documented order — against `af_alpha::evaluate` on the
//! same panel read by `af_data::read_panel`; and bad input (malformed expression, unknown field,
//! missing panel, unknown library entry, unsupported output) giving a clear message and a non-zero
//! exit status, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use af_alpha::library::alpha101;
use af_alpha::{evaluate, Plan};
use af_core::Panel;
use af_data::{read_panel, ReadOptions, ValidationPolicy};
use arrow::array::{Array, Float64Array, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

const N_DATES: usize = 70;
const N_ASSETS: usize = 10;

/// A seeded OHLCV panel with sector / industry / subindustry, long CSV.
fn write_panel(dir: &Path) -> PathBuf {
    let mut x: u64 = 2016;
    let mut u = move || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut text =
        String::from("date,asset,sector,industry,subindustry,open,high,low,close,volume,vwap\n");
    let mut close: Vec<f64> = (0..N_ASSETS).map(|a| 50.0 + 0.3 * a as f64).collect();
    for t in 0..N_DATES {
        let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(t as u64);
        for (a, c) in close.iter_mut().enumerate() {
            let open = *c * (1.0 + 0.01 * (u() - 0.5));
            *c *= 1.0 + 0.04 * (u() - 0.5);
            let high = open.max(*c) * (1.0 + 0.01 * u());
            let low = open.min(*c) * (1.0 - 0.01 * u());
            let vwap = low + (high - low) * (0.25 + 0.5 * u());
            let volume = (1e5 * (1.0 + 4.0 * u())).round();
            writeln!(
                text,
                "{},A{a:02},S{},I{},U{},{open},{high},{low},{c},{volume},{vwap}",
                d.format("%Y-%m-%d"),
                a % 3,
                a % 4,
                a % 5
            )
            .unwrap();
        }
    }
    let path = dir.join("panel.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn alphafactory(args: &[&str], panel: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alphafactory"))
        .args(["alpha", "eval", "--panel"])
        .arg(panel)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn load(panel: &Path) -> Panel {
    let opts = ReadOptions {
        policy: ValidationPolicy::Strict,
        ..ReadOptions::default()
    };
    read_panel(panel, &opts).unwrap().panel
}

/// The rows the command must write, in its order (alpha, then date, then asset): the library
/// evaluated on the same panel; NaN cells only with `keep_nan` (value `None`).
fn expected(panel: &Panel, exprs: &[(&str, &str)], keep_nan: bool) -> Vec<Row> {
    let mut plan = Plan::for_panel(panel);
    for (name, src) in exprs {
        plan.add(name, src).unwrap();
    }
    let (nd, na) = (panel.n_dates(), panel.n_assets());
    let mut rows = Vec::new();
    for av in evaluate(&plan, panel).unwrap() {
        for t in 0..nd {
            for a in 0..na {
                let v = av.values[a * nd + t];
                if keep_nan || !v.is_nan() {
                    rows.push(Row {
                        date: panel.dates()[t].format("%Y-%m-%d").to_string(),
                        asset: panel.assets()[a].clone(),
                        alpha: av.name.clone(),
                        value: (!v.is_nan()).then_some(v),
                    });
                }
            }
        }
    }
    rows
}

#[derive(Debug, PartialEq)]
struct Row {
    date: String,
    asset: String,
    alpha: String,
    value: Option<f64>,
}

fn read_csv(path: &Path) -> Vec<Row> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    assert_eq!(
        rdr.headers().unwrap(),
        vec!["date", "asset", "alpha", "value"]
    );
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            Row {
                date: r[0].to_string(),
                asset: r[1].to_string(),
                alpha: r[2].to_string(),
                value: (!r[3].is_empty()).then(|| r[3].parse().unwrap()),
            }
        })
        .collect()
}

fn read_parquet(path: &Path) -> Vec<Row> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let names: Vec<&str> = batch
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        assert_eq!(names, ["date", "asset", "alpha", "value"]);
        let text = |i: usize| {
            batch
                .column(i)
                .as_any()
                .downcast_ref::<StringArray>()
                .unwrap()
                .clone()
        };
        let (date, asset, alpha) = (text(0), text(1), text(2));
        let value = batch
            .column(3)
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap();
        for i in 0..batch.num_rows() {
            rows.push(Row {
                date: date.value(i).to_string(),
                asset: asset.value(i).to_string(),
                alpha: alpha.value(i).to_string(),
                value: value.is_valid(i).then(|| value.value(i)),
            });
        }
    }
    rows
}

#[test]
fn expr_to_csv_equals_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let panel = write_panel(dir.path());
    let out = dir.path().join("a.csv");
    let expr = "rank(delta(close, 5)) * -1";
    ok(&alphafactory(&["--expr", expr], &panel, &out));
    let want = expected(&load(&panel), &[("expr1", expr)], false);
    // rank(delta(close, 5)) is NaN on the first 5 dates only
    assert_eq!(want.len(), (N_DATES - 5) * N_ASSETS);
    assert_eq!(read_csv(&out), want);
}

#[test]
fn library_alpha101_only_1_2_3_to_parquet_equals_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let panel = write_panel(dir.path());
    let out = dir.path().join("a.parquet");
    ok(&alphafactory(
        &["--library", "alpha101", "--only", "1,2,3", "--keep-nan"],
        &panel,
        &out,
    ));
    let lib: Vec<_> = (1..=3).map(|n| alpha101(n).unwrap()).collect();
    let exprs: Vec<(&str, &str)> = lib.iter().map(|a| (a.name.as_str(), a.source)).collect();
    let want = expected(&load(&panel), &exprs, true);
    assert_eq!(want.len(), 3 * N_DATES * N_ASSETS);
    assert_eq!(want[0].alpha, "alpha101:001");
    let got = read_parquet(&out);
    assert_eq!(got, want);
    // not vacuous: each alpha has values and (warm-up) nulls
    for name in ["alpha101:001", "alpha101:002", "alpha101:003"] {
        let mine: Vec<&Row> = got.iter().filter(|r| r.alpha == name).collect();
        let valid = mine.iter().filter(|r| r.value.is_some()).count();
        assert!(
            valid > N_ASSETS * 40 && valid < mine.len(),
            "{name}: {valid}"
        );
    }
}

#[test]
fn library_alpha101_to_csv_and_an_entry_name_as_expr() {
    let dir = tempfile::tempdir().unwrap();
    let panel = write_panel(dir.path());
    let (lib_out, expr_out) = (dir.path().join("lib.csv"), dir.path().join("expr.csv"));
    ok(&alphafactory(
        &["--library", "alpha101", "--only", "101"],
        &panel,
        &lib_out,
    ));
    ok(&alphafactory(
        &["--expr", "alpha101:101"],
        &panel,
        &expr_out,
    ));
    let a = alpha101(101).unwrap();
    let want = expected(&load(&panel), &[(a.name.as_str(), a.source)], false);
    assert_eq!(want.len(), N_DATES * N_ASSETS);
    assert_eq!(read_csv(&lib_out), want);
    assert_eq!(read_csv(&expr_out), want);
}

/// Runs a failing command: non-zero exit, no panic, stderr returned.
fn fails(args: &[&str], panel: &Path, out: &Path) -> String {
    let o = alphafactory(args, panel, out);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        !o.status.success(),
        "expected a failure for {args:?}: {err}"
    );
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn bad_input_gives_a_located_message_and_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let panel = write_panel(dir.path());
    let out = dir.path().join("a.csv");

    let err = fails(&["--expr", "rank(delta(close, 5)"], &panel, &out);
    assert!(err.contains("at byte 20") && err.contains("expr1"), "{err}");
    assert!(
        err.contains("rank(delta(close, 5)\n") && err.contains('^'),
        "{err}"
    );

    let err = fails(&["--expr", "rank(close) +* 2"], &panel, &out);
    assert!(err.contains("at byte 13") && err.contains('*'), "{err}");

    let err = fails(&["--expr", "rank(foo)"], &panel, &out);
    assert!(
        err.contains("unknown field `foo`") && err.contains("at byte 5"),
        "{err}"
    );
    assert!(
        err.contains("close"),
        "the message lists the panel's fields: {err}"
    );

    let err = fails(&["--expr", "ts_rank(close, 0)"], &panel, &out);
    assert!(err.contains("ts_rank") && err.contains("window"), "{err}");

    let missing = dir.path().join("no_such_panel.csv");
    let err = fails(&["--expr", "rank(close)"], &missing, &out);
    assert!(err.contains("no_such_panel.csv"), "{err}");

    let err = fails(&["--library", "alpha101", "--only", "1,102"], &panel, &out);
    assert!(err.contains("`102`") && err.contains("alpha101"), "{err}");

    let err = fails(&["--library", "alpha999"], &panel, &out);
    assert!(err.contains("alpha999"), "{err}");

    let err = fails(&["--expr", "close"], &panel, &dir.path().join("a.txt"));
    assert!(err.contains(".txt") && err.contains(".parquet"), "{err}");

    // nothing was written by the failures above
    assert!(!out.exists());
}

#[test]
fn a_panel_without_a_field_an_alpha_needs_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("close_only.csv");
    let mut text = String::from("date,asset,close\n");
    for t in 1..=20 {
        for a in 0..4 {
            writeln!(text, "2024-01-{t:02},A{a},{}", 10.0 + (t * (a + 1)) as f64).unwrap();
        }
    }
    std::fs::write(&path, text).unwrap();
    let err = fails(
        &["--library", "alpha101", "--only", "2"],
        &path,
        &dir.path().join("a.csv"),
    );
    assert!(
        err.contains("alpha101:002") && err.contains("volume"),
        "{err}"
    );
}
