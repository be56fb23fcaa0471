//! The optimizer against closed forms and its own constraints; risk parity by its definition.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_portfolio::optimize::{Constraints, MeanVariance, OptimizeError};
use af_portfolio::risk_parity::{risk_contributions, risk_parity};
use nalgebra::{DMatrix, DVector};

fn cov3() -> DMatrix<f64> {
    DMatrix::from_row_slice(
        3,
        3,
        &[0.04, 0.006, 0.002, 0.006, 0.09, 0.009, 0.002, 0.009, 0.01],
    )
}

#[test]
fn unconstrained_optimum_is_the_closed_form() {
    let cov = cov3();
    let mu = [0.05, 0.08, 0.02];
    let lambda = 2.5;
    let p = MeanVariance {
        mu: &mu,
        cov: &cov,
        risk_aversion: lambda,
        turnover_penalty: 0.0,
        w_prev: None,
        constraints: Constraints::default(),
    };
    let sol = p.solve().unwrap();
    // w* = Σ⁻¹μ / (2λ)
    let want = cov.clone().try_inverse().unwrap() * DVector::from_row_slice(&mu) / (2.0 * lambda);
    for i in 0..3 {
        assert!((sol.w[i] - want[i]).abs() < 1e-7, "{:?} vs {want}", sol.w);
    }
}

#[test]
fn constraints_hold_at_the_solution() {
    let n = 12;
    let cov = DMatrix::from_fn(n, n, |i, j| {
        let (si, sj) = (0.1 + 0.01 * i as f64, 0.1 + 0.01 * j as f64);
        if i == j {
            si * si
        } else {
            0.3 * si * sj
        }
    });
    let mu: Vec<f64> = (0..n).map(|i| 0.02 + 0.01 * ((i * 7) % 5) as f64).collect();
    let sectors: Vec<usize> = (0..n).map(|i| i % 4).collect();
    let p = MeanVariance {
        mu: &mu,
        cov: &cov,
        risk_aversion: 1.0,
        turnover_penalty: 0.001,
        w_prev: None,
        constraints: Constraints {
            budget: Some(1.0),
            long_only: true,
            max_position: Some(0.10),
            gross_leverage: Some(1.0),
            sectors: Some((sectors.clone(), 0.30)),
            turnover_limit: None,
        },
    };
    let sol = p.solve().unwrap();
    let tol = 1e-7;
    assert!((sol.w.iter().sum::<f64>() - 1.0).abs() < tol);
    assert!(
        sol.w.iter().all(|w| *w >= -tol && *w <= 0.10 + tol),
        "{:?}",
        sol.w
    );
    for s in 0..4 {
        let exposure: f64 = (0..n).filter(|&i| sectors[i] == s).map(|i| sol.w[i]).sum();
        assert!(exposure <= 0.30 + tol, "sector {s}: {exposure}");
    }
    // Dollar-neutral with a gross cap.
    let dn = MeanVariance {
        constraints: Constraints {
            budget: Some(0.0),
            gross_leverage: Some(2.0),
            max_position: Some(0.25),
            ..Constraints::default()
        },
        ..p.clone()
    };
    let sol = dn.solve().unwrap();
    assert!(sol.w.iter().sum::<f64>().abs() < tol);
    assert!(sol.w.iter().map(|w| w.abs()).sum::<f64>() <= 2.0 + 1e-6);
}

#[test]
fn turnover_penalty_and_limit_keep_the_portfolio_near_the_previous_one() {
    let cov = cov3();
    let mu = [0.05, 0.08, 0.02];
    let prev = [0.2, 0.3, 0.5];
    let base = MeanVariance {
        mu: &mu,
        cov: &cov,
        risk_aversion: 2.0,
        turnover_penalty: 0.0,
        w_prev: Some(&prev),
        constraints: Constraints {
            budget: Some(1.0),
            long_only: true,
            ..Constraints::default()
        },
    };
    let free = base.solve().unwrap();
    let limited = MeanVariance {
        constraints: Constraints {
            turnover_limit: Some(0.1),
            ..base.constraints.clone()
        },
        ..base.clone()
    }
    .solve()
    .unwrap();
    let l1 = |w: &[f64]| w.iter().zip(prev).map(|(a, b)| (a - b).abs()).sum::<f64>();
    assert!(l1(&free.w) > 0.1);
    assert!(l1(&limited.w) <= 0.1 + 1e-7);
    let penalized = MeanVariance {
        turnover_penalty: 1.0,
        ..base.clone()
    }
    .solve()
    .unwrap();
    assert!(
        l1(&penalized.w) < 1e-6,
        "a huge L1 penalty must keep w_prev: {:?}",
        penalized.w
    );
}

#[test]
fn infeasible_limits_are_a_clear_error() {
    let cov = cov3();
    let mu = [0.05, 0.08, 0.02];
    let p = MeanVariance {
        mu: &mu,
        cov: &cov,
        risk_aversion: 1.0,
        turnover_penalty: 0.0,
        w_prev: None,
        constraints: Constraints {
            budget: Some(1.0),
            long_only: true,
            max_position: Some(0.10), // 3 × 10% < 100%
            ..Constraints::default()
        },
    };
    assert!(matches!(p.solve(), Err(OptimizeError::Infeasible(_))));
}

#[test]
fn risk_parity_equalizes_risk_contributions() {
    let cov = cov3();
    let w = risk_parity(&cov, None, 1e-12, 10_000).unwrap();
    assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    let rc = risk_contributions(&cov, &w);
    for r in &rc {
        assert!((r - rc[0]).abs() < 1e-9 * rc[0], "{rc:?}");
    }
    // Uncorrelated assets: weights ∝ 1/σ.
    let diag = DMatrix::from_diagonal(&DVector::from_row_slice(&[0.04, 0.01]));
    let w = risk_parity(&diag, None, 1e-12, 1000).unwrap();
    assert!((w[0] - 1.0 / 3.0).abs() < 1e-10 && (w[1] - 2.0 / 3.0).abs() < 1e-10);
    // Budgets 3:1 → contributions 3:1.
    let w = risk_parity(&cov, Some(&[0.6, 0.2, 0.2]), 1e-12, 10_000).unwrap();
    let rc = risk_contributions(&cov, &w);
    assert!((rc[0] / rc[1] - 3.0).abs() < 1e-8);
    assert!(risk_parity(&cov, Some(&[1.0, 0.0, 1.0]), 1e-12, 10).is_err());
}
