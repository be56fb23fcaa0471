//! Ledoit–Wolf shrinkage against scikit-learn (`scripts/fixtures/sklearn_covariance.py`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_portfolio::covariance::{ledoit_wolf, sample_covariance};
use nalgebra::DMatrix;
use serde_json::Value;

fn matrix(v: &Value) -> DMatrix<f64> {
    let rows: Vec<Vec<f64>> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        })
        .collect();
    DMatrix::from_fn(rows.len(), rows[0].len(), |i, j| rows[i][j])
}

#[test]
fn ledoit_wolf_matches_scikit_learn() {
    let fx: Value = serde_json::from_str(include_str!("fixtures/ledoit_wolf.json")).unwrap();
    assert_eq!(fx["meta"]["tool"], "scikit-learn");
    for (name, case) in fx["cases"].as_object().unwrap() {
        let x = matrix(&case["x"]);
        let (cov, delta) = ledoit_wolf(&x).unwrap();
        let want = case["shrinkage"].as_f64().unwrap();
        assert!(
            (delta - want).abs() < 1e-12,
            "{name}: δ {delta} vs sklearn {want}"
        );
        let want_cov = matrix(&case["covariance"]);
        let emp = matrix(&case["empirical"]);
        let ours_emp = sample_covariance(&x, 0).unwrap();
        let scale = emp.amax();
        assert!(
            (cov - want_cov).amax() < 1e-12 * scale,
            "{name}: covariance differs"
        );
        assert!(
            (ours_emp - emp).amax() < 1e-12 * scale,
            "{name}: empirical differs"
        );
    }
}
