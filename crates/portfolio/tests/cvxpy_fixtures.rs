//! The optimizer against cvxpy (Clarabel backend) on the same constrained problems
//! (`scripts/fixtures/cvxpy_portfolio.py`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_portfolio::optimize::{Constraints, MeanVariance};
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
fn matches_cvxpy_on_constrained_problems() {
    let fx: Value =
        serde_json::from_str(include_str!("fixtures/cvxpy_mean_variance.json")).unwrap();
    assert_eq!(fx["meta"]["tool"], "cvxpy");
    for (name, case) in fx["cases"].as_object().unwrap() {
        assert_eq!(case["status"], "optimal");
        let mu = vec_of(&case["mu"]);
        let rows: Vec<Vec<f64>> = case["cov"].as_array().unwrap().iter().map(vec_of).collect();
        let n = mu.len();
        let cov = DMatrix::from_fn(n, n, |i, j| rows[i][j]);
        let prev = vec_of(&case["prev"]);
        let c = &case["constraints"];
        let sectors: Vec<usize> = case["sectors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_u64().unwrap() as usize)
            .collect();
        let p = MeanVariance {
            mu: &mu,
            cov: &cov,
            risk_aversion: case["risk_aversion"].as_f64().unwrap(),
            turnover_penalty: case["turnover_penalty"].as_f64().unwrap(),
            w_prev: Some(&prev),
            constraints: Constraints {
                budget: c["budget"].as_f64(),
                long_only: c["long_only"].as_bool().unwrap(),
                max_position: c["max_position"].as_f64(),
                gross_leverage: c["gross_leverage"].as_f64(),
                sectors: c["sector_cap"].as_f64().map(|cap| (sectors.clone(), cap)),
                turnover_limit: c["turnover_limit"].as_f64(),
            },
        };
        let sol = p.solve().unwrap();
        let want_obj = case["objective"].as_f64().unwrap();
        // Never a worse optimum than cvxpy, and the same one to solver precision.
        assert!(
            sol.objective >= want_obj - 1e-9,
            "{name}: {} < {want_obj}",
            sol.objective
        );
        assert!((sol.objective - want_obj).abs() < 1e-8, "{name}: objective");
        for (g, w) in sol.w.iter().zip(vec_of(&case["w"])) {
            assert!((g - w).abs() < 1e-5, "{name}: weights {:?}", sol.w);
        }
    }
}
