//! Every metric against empyrical-reloaded on fixed series
//! (fixtures: `scripts/fixtures/empyrical_fixtures.py`, versions recorded in the JSON).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_portfolio::PerformanceReport;
use serde_json::Value;

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

#[test]
fn metrics_match_empyrical() {
    let text = include_str!("fixtures/empyrical.json");
    let fx: Value = serde_json::from_str(text).unwrap();
    assert_eq!(fx["meta"]["tool"], "empyrical-reloaded");
    let cases = fx["cases"].as_object().unwrap();
    assert!(cases.len() >= 5);
    let mut checked = 0;
    for (name, case) in cases {
        let r = nums(&case["returns"]);
        let b = nums(&case["benchmark"]);
        let ours = PerformanceReport::compute(&r, Some(&b), 0.0, 252.0).unwrap();
        for (metric, want) in case["metrics"].as_object().unwrap() {
            let got = ours.metrics[metric.as_str()];
            match want.as_f64() {
                None => assert!(got.is_nan(), "{name}/{metric}: empyrical NaN, ours {got}"),
                Some(w) => {
                    let tol = 1e-10 * w.abs().max(1e-3);
                    assert!(
                        (got - w).abs() <= tol,
                        "{name}/{metric}: ours {got:.15e} vs empyrical {w:.15e}"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 100, "only {checked} comparisons");
}
