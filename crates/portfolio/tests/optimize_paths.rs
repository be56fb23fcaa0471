//! The fast path (ADMM + verified active-set polish) against the interior-point path on the same
//! problems: the same optimum to solver precision, never a worse one, and the fast path actually
//! taken where it applies — cold, and warm across a sequence of daily problems.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use af_portfolio::covariance::ledoit_wolf;
use af_portfolio::optimize::{Constraints, MeanVariance, OptimizeError, Rebalancer, SolvePath};
use common::{cvxpy_cases, normals};
use nalgebra::DMatrix;

/// `days × n` returns with a common factor, and sector ids `a % 4`.
fn returns(days: usize, n: usize, seed: u64) -> DMatrix<f64> {
    let common = normals(days, 0.01, seed);
    let own = normals(days * n, 0.015, seed + 1);
    let drift = normals(n, 4e-4, seed + 2);
    DMatrix::from_fn(days, n, |t, a| {
        0.7 * common[t] + own[t * n + a] + drift[a] + 3e-4
    })
}

fn long_only(n: usize) -> Constraints {
    Constraints {
        budget: Some(1.0),
        long_only: true,
        max_position: Some(0.08),
        sectors: Some(((0..n).map(|a| a % 4).collect(), 0.30)),
        ..Constraints::default()
    }
}

/// Same optimum (|Δobjective| ≤ 1e-8, the fixtures' tolerance), and the fast one never worse
/// than the interior point's by more than the latter's own accuracy.
fn assert_same(name: &str, fast: f64, interior: f64) {
    assert!(fast >= interior - 1e-9, "{name}: {fast} < {interior}");
    assert!(
        (fast - interior).abs() < 1e-8,
        "{name}: {fast} vs {interior}"
    );
}

#[test]
fn fast_path_matches_the_interior_point_on_constrained_books() {
    let n = 60;
    let r = returns(120, n, 11);
    let cov = ledoit_wolf(&r).unwrap().0;
    let mu: Vec<f64> = (0..n).map(|a| r.column(a).mean()).collect();
    let prev: Vec<f64> = (0..n)
        .map(|a| if a % 3 == 0 { 0.05 } else { 0.0 })
        .collect();
    let cases = [
        ("long-only, sectors, turnover penalty", long_only(n), 2e-4),
        (
            "long-only with a gross row",
            Constraints {
                gross_leverage: Some(0.9),
                budget: None,
                ..long_only(n)
            },
            1e-4,
        ),
        (
            "dollar-neutral box",
            Constraints {
                budget: Some(0.0),
                max_position: Some(0.05),
                ..Constraints::default()
            },
            2e-4,
        ),
        ("unconstrained", Constraints::default(), 0.0),
    ];
    for (name, constraints, gamma) in cases {
        let p = MeanVariance {
            mu: &mu,
            cov: &cov,
            risk_aversion: 5.0,
            turnover_penalty: gamma,
            w_prev: Some(&prev),
            constraints,
        };
        let fast = p.solve().unwrap();
        let ip = p.solve_interior_point().unwrap();
        assert_eq!(fast.path, SolvePath::ActiveSetPolish, "{name}");
        assert_eq!(ip.path, SolvePath::InteriorPoint);
        assert_same(name, fast.objective, ip.objective);
        for (a, b) in fast.w.iter().zip(&ip.w) {
            assert!((a - b).abs() < 1e-5, "{name}: weights");
        }
    }
}

#[test]
fn warm_daily_sequence_stays_exact() {
    let n = 80;
    let r = returns(300, n, 5);
    let mut solver = Rebalancer::new();
    let mut prev = vec![1.0 / n as f64; n];
    for day in 0..12 {
        let t = 200 + day * 3;
        // Covariance refreshed every 4th problem; μ moves every day.
        let at = 200 + (day / 4) * 12;
        let cov = ledoit_wolf(&r.rows(at - 120, 120).into_owned()).unwrap().0;
        let mu: Vec<f64> = (0..n)
            .map(|a| r.column(a).rows(t - 100, 90).mean())
            .collect();
        let p = MeanVariance {
            mu: &mu,
            cov: &cov,
            risk_aversion: 10.0,
            turnover_penalty: 2e-4,
            w_prev: Some(&prev),
            constraints: long_only(n),
        };
        let warm = solver.solve(&p).unwrap();
        let ip = p.solve_interior_point().unwrap();
        assert_eq!(warm.path, SolvePath::ActiveSetPolish, "day {day}");
        assert_same(&format!("day {day}"), warm.objective, ip.objective);
        prev = warm.w;
    }
}

#[test]
fn what_the_fast_path_cannot_take_goes_to_the_interior_point() {
    let n = 20;
    let r = returns(80, n, 8);
    let cov = ledoit_wolf(&r).unwrap().0;
    let mu: Vec<f64> = (0..n).map(|a| r.column(a).mean()).collect();
    let prev = vec![1.0 / n as f64; n];
    let p = MeanVariance {
        mu: &mu,
        cov: &cov,
        risk_aversion: 5.0,
        turnover_penalty: 0.0,
        w_prev: Some(&prev),
        constraints: Constraints {
            turnover_limit: Some(0.5),
            ..long_only(n)
        },
    };
    assert_eq!(p.solve().unwrap().path, SolvePath::InteriorPoint);
    // Infeasible limits: the fast path gives up, the interior point names the problem.
    let tight = MeanVariance {
        constraints: Constraints {
            max_position: Some(0.01),
            ..long_only(n)
        },
        ..p.clone()
    };
    assert!(matches!(tight.solve(), Err(OptimizeError::Infeasible(_))));
    let negative = MeanVariance {
        constraints: Constraints {
            max_position: Some(-0.1),
            ..long_only(n)
        },
        ..p.clone()
    };
    let mut bad_cov = cov.clone();
    bad_cov[(2, 3)] = f64::NAN;
    let nan = MeanVariance {
        cov: &bad_cov,
        ..p.clone()
    };
    assert!(matches!(
        nan.solve(),
        Err(OptimizeError::BadParameter {
            name: "covariance entry",
            ..
        })
    ));
    assert!(matches!(
        negative.solve(),
        Err(OptimizeError::BadParameter {
            name: "max_position",
            ..
        })
    ));
}

/// The cvxpy fixtures whose limits are bounds and linear rows (including yesterday's weights
/// exactly at 0, at the cap and outside today's cap) are solved by the fast path, to cvxpy's
/// optimum.
#[test]
fn fast_path_on_the_cvxpy_fixtures() {
    let cases = cvxpy_cases();
    for name in ["long_only", "long_only_degenerate", "dollar_neutral_box"] {
        let case = cases.iter().find(|c| c.name == name).unwrap();
        let sol = case.problem().solve().unwrap();
        assert_eq!(sol.path, SolvePath::ActiveSetPolish, "{name}");
        assert_same(name, sol.objective, case.raw["objective"].as_f64().unwrap());
    }
}
