//! Kakushadze–Yu weights against an independent numpy implementation
//! (`scripts/fixtures/kakushadze_yu.py`) and the method's defining properties.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_portfolio::combine::kakushadze_yu;
use nalgebra::DMatrix;
use serde_json::Value;

fn vec_of(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn matches_numpy_reference() {
    let fx: Value = serde_json::from_str(include_str!("fixtures/kakushadze_yu.json")).unwrap();
    for (name, case) in fx["cases"].as_object().unwrap() {
        let rows: Vec<Vec<f64>> = case["r"].as_array().unwrap().iter().map(vec_of).collect();
        let r = DMatrix::from_fn(rows.len(), rows[0].len(), |i, j| rows[i][j]);
        let w = kakushadze_yu(&r, &vec_of(&case["e"])).unwrap();
        let want = vec_of(&case["w"]);
        assert!((w.iter().map(|v| v.abs()).sum::<f64>() - 1.0).abs() < 1e-12);
        for (g, x) in w.iter().zip(&want) {
            assert!((g - x).abs() < 1e-10, "{name}: {g} vs {x}");
        }
    }
}

#[test]
fn rejects_constant_alphas_and_short_histories() {
    let r = DMatrix::from_row_slice(2, 4, &[0.01, 0.01, 0.01, 0.01, 0.02, -0.01, 0.0, 0.01]);
    assert!(kakushadze_yu(&r, &[0.01, 0.0]).is_err());
    let short = DMatrix::from_row_slice(2, 2, &[0.01, 0.02, 0.0, 0.01]);
    assert!(kakushadze_yu(&short, &[0.01, 0.0]).is_err());
}
