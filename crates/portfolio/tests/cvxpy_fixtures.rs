//! The optimizer against cvxpy (Clarabel backend) on the same constrained problems
//! (`scripts/fixtures/cvxpy_portfolio.py`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{cvxpy_cases, vec_of};

#[test]
fn matches_cvxpy_on_constrained_problems() {
    for case in cvxpy_cases() {
        let name = &case.name;
        assert_eq!(case.raw["status"], "optimal");
        let sol = case.problem().solve().unwrap();
        let want_obj = case.raw["objective"].as_f64().unwrap();
        // Never a worse optimum than cvxpy, and the same one to solver precision.
        assert!(
            sol.objective >= want_obj - 1e-9,
            "{name}: {} < {want_obj}",
            sol.objective
        );
        assert!((sol.objective - want_obj).abs() < 1e-8, "{name}: objective");
        for (g, w) in sol.w.iter().zip(vec_of(&case.raw["w"])) {
            assert!((g - w).abs() < 1e-5, "{name}: weights {:?}", sol.w);
        }
    }
}
