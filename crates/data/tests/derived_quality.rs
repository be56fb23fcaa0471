//! Derived fields by hand on tiny panels and against pandas; the quality report against pandas.
//!
//! Reference: `tests/fixtures/derived_pandas.json`, made by
//! `.venv/bin/python scripts/fixtures/data_derived.py` (pandas 2.3.3, numpy 2.3.5).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use af_core::{Frequency, Panel};
use af_data::derived::{
    add_adv, add_log_returns, add_realized_vol, add_returns, add_var_true, ensure_vwap, LOG_RETURNS,
};
use af_data::{check_file, read_long, CheckOptions, ReadOptions};
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn tiny(close: &[f64]) -> Panel {
    let dates = (0..close.len() as i64)
        .map(|d| af_data::dates::to_datetime(d * 86_400))
        .collect();
    let mut p = Panel::new(dates, vec!["A".into()], Frequency::Day1).unwrap();
    p.insert_field("close", close.to_vec()).unwrap();
    p
}

fn close_to(a: f64, b: f64, tol: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= tol * (1.0 + b.abs())
}

#[test]
fn returns_and_targets_by_hand() {
    let mut p = tiny(&[100.0, 110.0, 99.0, f64::NAN, 99.0, 108.9]);
    add_returns(&mut p).unwrap();
    add_log_returns(&mut p).unwrap();
    let r = p.series("returns", 0).unwrap().to_vec();
    assert!(r[0].is_nan() && r[3].is_nan() && r[4].is_nan());
    assert!(
        close_to(r[1], 0.1, 1e-15) && close_to(r[2], -0.1, 1e-15) && close_to(r[5], 0.1, 1e-15)
    );
    let lr = p.series(LOG_RETURNS, 0).unwrap()[1];
    assert!(close_to(lr, 1.1f64.ln(), 1e-15));
    // var_true_2 at t = sum of r_{t+1}^2 + r_{t+2}^2 over simple returns.
    let name = add_var_true(&mut p, 2, "returns").unwrap();
    assert_eq!(name, "var_true_2");
    let v = p.series(&name, 0).unwrap().to_vec();
    assert!(close_to(v[0], 0.01 + 0.01, 1e-14), "{}", v[0]);
    assert!(v[1].is_nan(), "r_3 missing makes the window incomplete");
    assert!(
        v[4].is_nan() && v[5].is_nan(),
        "windows past the end are incomplete"
    );
    let name = add_realized_vol(&mut p, 2, "returns").unwrap();
    let s = p.series(&name, 0).unwrap().to_vec();
    // Sample std of {0.1, -0.1} = sqrt(0.02) ; window ending at t = 2.
    assert!(close_to(s[2], 0.02f64.sqrt(), 1e-14) && s[1].is_nan() && s[3].is_nan());
    assert!(add_var_true(&mut p, 0, "returns").is_err());
    assert!(add_var_true(&mut p, 2, "nope")
        .unwrap_err()
        .to_string()
        .contains("nope"));
}

#[test]
fn adv_and_vwap_by_hand() {
    let mut p = tiny(&[10.0, 11.0, 12.0, 13.0]);
    p.insert_field("volume", vec![100.0, 200.0, f64::NAN, 400.0])
        .unwrap();
    add_adv(&mut p, 2).unwrap();
    let a = p.series("adv2", 0).unwrap();
    assert!(a[0].is_nan() && a[1] == 150.0 && a[2].is_nan() && a[3].is_nan());
    assert!(ensure_vwap(&mut p).is_err(), "needs high and low");
    p.insert_field("high", vec![12.0; 4]).unwrap();
    p.insert_field("low", vec![9.0; 4]).unwrap();
    assert_eq!(ensure_vwap(&mut p).unwrap(), 4);
    assert_eq!(p.series("vwap", 0).unwrap()[0], (12.0 + 9.0 + 10.0) / 3.0);
    p.field_mut("vwap").unwrap()[1] = f64::NAN;
    assert_eq!(ensure_vwap(&mut p).unwrap(), 1);
    assert_eq!(p.series("vwap", 0).unwrap()[1], (12.0 + 9.0 + 11.0) / 3.0);
}

fn reference() -> Value {
    let text = std::fs::read_to_string(fixtures().join("derived_pandas.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn as_vec(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

#[test]
fn derived_fields_match_pandas() {
    let refs = reference();
    let mut p = read_long(
        fixtures().join("derived_input.csv"),
        &ReadOptions::default(),
    )
    .unwrap()
    .panel;
    add_returns(&mut p).unwrap();
    add_log_returns(&mut p).unwrap();
    add_var_true(&mut p, 5, LOG_RETURNS).unwrap();
    add_realized_vol(&mut p, 10, LOG_RETURNS).unwrap();
    add_adv(&mut p, 5).unwrap();
    ensure_vwap(&mut p).unwrap();
    let dates: Vec<String> = p
        .dates()
        .iter()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect();
    let want: Vec<String> = refs["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    assert_eq!(dates, want);
    for (asset, r) in refs["assets"].as_object().unwrap() {
        let a = p.asset_index(asset).unwrap();
        for field in [
            "returns",
            "log_returns",
            "var_true_5",
            "rvol_10",
            "adv5",
            "vwap",
        ] {
            let ours = p.series(field, a).unwrap();
            let theirs = as_vec(&r[field]);
            assert_eq!(ours.len(), theirs.len());
            for (t, (x, y)) in ours.iter().zip(&theirs).enumerate() {
                assert!(
                    close_to(*x, *y, 1e-10),
                    "{asset} {field}[{t}]: ours {x} pandas {y}"
                );
            }
        }
    }
}

#[test]
fn quality_report_matches_pandas() {
    let refs = reference();
    let report = check_file(
        &fixtures().join("derived_input.csv"),
        &CheckOptions::default(),
    )
    .unwrap();
    assert_eq!((report.rows, report.dates, report.assets), (180, 60, 3));
    assert_eq!(report.frequency, "1d");
    assert_eq!(report.layout, "long");
    let close_missing = report.missing.iter().find(|m| m.field == "close").unwrap();
    assert!((close_missing.missing_share - 1.0 / 180.0).abs() < 1e-15);
    let outliers = report.outliers.as_ref().unwrap();
    let mut want: Vec<(String, String)> = Vec::new();
    for (asset, r) in refs["assets"].as_object().unwrap() {
        for d in r["outlier_dates"].as_array().unwrap() {
            want.push((asset.clone(), d.as_str().unwrap().to_string()));
        }
    }
    let mut got: Vec<(String, String)> = outliers
        .worst
        .iter()
        .map(|o| (o.asset.clone(), o.date.clone()))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(outliers.total, want.len());
    assert_eq!(report.splits_total, 1);
    assert_eq!(report.splits[0].asset, "CCC");
    assert_eq!(report.splits[0].near, "1:2");
    let gaps: Vec<String> = refs["missing_business_days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    assert_eq!(report.gaps_total, gaps.len());
    assert_eq!(report.gap_bars, gaps.len());
    assert!(report.repairs.is_empty());
    let text = report.to_string();
    for part in [
        "derived_input.csv",
        "Suspected splits: 1",
        "CCC",
        "Calendar gaps: 2",
        "Problems found",
    ] {
        assert!(text.contains(part), "{text} lacks {part}");
    }
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains("\"splits_total\":1"));
}

#[test]
fn check_file_reports_repairs_and_still_fails_on_parse_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.csv");
    std::fs::write(
        &p,
        "date,asset,close\n2024-01-02,A,1\n2024-01-02,A,2\n2024-01-03,A,-2\n",
    )
    .unwrap();
    let report = check_file(&p, &CheckOptions::default()).unwrap();
    assert_eq!(report.repairs.total(), 2);
    assert!(report.to_string().contains("duplicate row"));
    std::fs::write(&p, "date,asset,close\n2024-01-02,A,1\n2024-01-0x,A,2\n").unwrap();
    let e = check_file(&p, &CheckOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 3") && e.contains("2024-01-0x"), "{e}");
}
