//! Tests of the trust-region Newton solver on functions with known minimizers.

use super::*;

fn free(k: usize) -> Vec<(f64, f64)> {
    vec![(f64::NEG_INFINITY, f64::INFINITY); k]
}

/// Rosenbrock's function f = 100(y − x²)² + (1 − x)², minimum 0 at (1, 1), with its exact
/// gradient and Hessian.
fn rosenbrock(x: &[f64], d: Option<(&mut [f64], &mut [f64])>) -> f64 {
    let (a, b) = (x[0], x[1]);
    if let Some((g, h)) = d {
        g[0] = -400.0 * a * (b - a * a) - 2.0 * (1.0 - a);
        g[1] = 200.0 * (b - a * a);
        h[0] = 1200.0 * a * a - 400.0 * b + 2.0;
        h[1] = -400.0 * a;
        h[2] = -400.0 * a;
        h[3] = 200.0;
    }
    100.0 * (b - a * a).powi(2) + (1.0 - a).powi(2)
}

/// f = x⁴ − 2x² + y² + xy/10: indefinite near the origin, minima near x = ±1.
fn double_well(x: &[f64], d: Option<(&mut [f64], &mut [f64])>) -> f64 {
    let (a, b) = (x[0], x[1]);
    if let Some((g, h)) = d {
        g[0] = 4.0 * a.powi(3) - 4.0 * a + 0.1 * b;
        g[1] = 2.0 * b + 0.1 * a;
        h[0] = 12.0 * a * a - 4.0;
        h[1] = 0.1;
        h[2] = 0.1;
        h[3] = 2.0;
    }
    a.powi(4) - 2.0 * a * a + b * b + 0.1 * a * b
}

fn tight() -> TrustOptions {
    TrustOptions {
        ftol_abs: 1e-24,
        ..TrustOptions::default()
    }
}

#[test]
fn rosenbrock_converges_from_the_classic_start() {
    let sol = trust_minimize(
        rosenbrock,
        &[-1.2, 1.0],
        &free(2),
        &LinearConstraints::none(),
        &tight(),
    )
    .unwrap();
    assert_eq!(sol.status, TrustStatus::Converged);
    assert!(
        (sol.x[0] - 1.0).abs() < 1e-9 && (sol.x[1] - 1.0).abs() < 1e-9,
        "{:?}",
        sol.x
    );
    assert!(sol.value < 1e-18);
    // Newton with the exact Hessian: a few dozen steps at most, not hundreds.
    assert!(sol.iterations < 40, "{} iterations", sol.iterations);
}

#[test]
fn a_quadratic_takes_one_newton_step() {
    // f = ½ (x − c)ᵀ A (x − c) with A positive definite and badly scaled.
    let (a, c) = ([1e4, 3.0, 3.0, 1.0], [0.3, -2.0]);
    let f = |x: &[f64], d: Option<(&mut [f64], &mut [f64])>| {
        let r = [x[0] - c[0], x[1] - c[1]];
        let ar = [a[0] * r[0] + a[1] * r[1], a[2] * r[0] + a[3] * r[1]];
        if let Some((g, h)) = d {
            g.copy_from_slice(&ar);
            h.copy_from_slice(&a);
        }
        0.5 * (r[0] * ar[0] + r[1] * ar[1])
    };
    let opts = TrustOptions {
        radius: 100.0,
        ..tight()
    };
    let sol = trust_minimize(f, &[0.0, 0.0], &free(2), &LinearConstraints::none(), &opts).unwrap();
    assert_eq!(sol.status, TrustStatus::Converged);
    assert_eq!(sol.iterations, 2);
    assert!((sol.x[0] - c[0]).abs() < 1e-12 && (sol.x[1] - c[1]).abs() < 1e-12);
}

#[test]
fn an_indefinite_start_still_descends_to_a_minimum() {
    for start in [[0.05, 0.3], [-0.02, -0.5]] {
        let sol = trust_minimize(
            double_well,
            &start,
            &free(2),
            &LinearConstraints::none(),
            &tight(),
        )
        .unwrap();
        assert_eq!(sol.status, TrustStatus::Converged);
        let mut g = [0.0; 2];
        let mut h = [0.0; 4];
        double_well(&sol.x, Some((&mut g, &mut h)));
        assert!(g[0].abs() < 1e-9 && g[1].abs() < 1e-9, "{g:?}");
        assert!(h[0] > 0.0 && h[0] * h[3] - h[1] * h[2] > 0.0);
        assert!((sol.x[0].abs() - 1.0).abs() < 0.02, "{:?}", sol.x);
    }
}

#[test]
fn a_saddle_point_with_zero_gradient_is_left() {
    // At the origin g = 0 and H = diag(−4, 2): the hard case, a step along the lowest
    // eigenvector.
    let f = |x: &[f64], d: Option<(&mut [f64], &mut [f64])>| {
        if let Some((g, h)) = d {
            g[0] = 4.0 * x[0].powi(3) - 4.0 * x[0];
            g[1] = 2.0 * x[1];
            h.copy_from_slice(&[12.0 * x[0] * x[0] - 4.0, 0.0, 0.0, 2.0]);
        }
        x[0].powi(4) - 2.0 * x[0] * x[0] + x[1] * x[1]
    };
    let sol = trust_minimize(
        f,
        &[0.0, 0.0],
        &free(2),
        &LinearConstraints::none(),
        &tight(),
    )
    .unwrap();
    assert_eq!(sol.status, TrustStatus::Converged);
    assert!(
        (sol.x[0].abs() - 1.0).abs() < 1e-9 && sol.x[1].abs() < 1e-9,
        "{:?}",
        sol.x
    );
    assert!((sol.value + 1.0).abs() < 1e-12);
}

#[test]
fn an_optimum_on_a_bound_is_reported_as_blocked() {
    // Minimum of (x + 1)² + (y − 2)² over x ≥ 0 is at x = 0: the solver stops short of the
    // bound and says so, from a feasible point with a lower f than the start.
    let f = |x: &[f64], d: Option<(&mut [f64], &mut [f64])>| {
        if let Some((g, h)) = d {
            g.copy_from_slice(&[2.0 * (x[0] + 1.0), 2.0 * (x[1] - 2.0)]);
            h.copy_from_slice(&[2.0, 0.0, 0.0, 2.0]);
        }
        (x[0] + 1.0).powi(2) + (x[1] - 2.0).powi(2)
    };
    let bounds = [(0.0, 10.0), (f64::NEG_INFINITY, f64::INFINITY)];
    let x0 = [3.0, 0.0];
    let sol = trust_minimize(f, &x0, &bounds, &LinearConstraints::none(), &tight()).unwrap();
    assert_eq!(sol.status, TrustStatus::Blocked);
    assert!(sol.x[0] > 0.0 && sol.x[0] < 3.0);
    assert!(sol.value < f(&x0, None));
}

#[test]
fn an_optimum_on_a_linear_constraint_is_reported_as_blocked() {
    // min (x − 1)² + (y − 1)² with x + y ≤ 1: the minimizer (½, ½) is on the constraint.
    let f = |x: &[f64], d: Option<(&mut [f64], &mut [f64])>| {
        if let Some((g, h)) = d {
            g.copy_from_slice(&[2.0 * (x[0] - 1.0), 2.0 * (x[1] - 1.0)]);
            h.copy_from_slice(&[2.0, 0.0, 0.0, 2.0]);
        }
        (x[0] - 1.0).powi(2) + (x[1] - 1.0).powi(2)
    };
    let mut cons = LinearConstraints::none();
    cons.push(vec![-1.0, -1.0], -1.0);
    let sol = trust_minimize(f, &[0.1, 0.2], &free(2), &cons, &tight()).unwrap();
    assert_eq!(sol.status, TrustStatus::Blocked);
    assert!(cons.min_slack(&sol.x) > 0.0);
}

#[test]
fn an_interior_optimum_near_a_constraint_converges() {
    // Same bowl, centre (0.3, 0.3), inside x + y ≤ 1: a large first radius overshoots nothing.
    let f = |x: &[f64], d: Option<(&mut [f64], &mut [f64])>| {
        if let Some((g, h)) = d {
            g.copy_from_slice(&[2.0 * (x[0] - 0.3), 2.0 * (x[1] - 0.3)]);
            h.copy_from_slice(&[2.0, 0.0, 0.0, 2.0]);
        }
        (x[0] - 0.3).powi(2) + (x[1] - 0.3).powi(2)
    };
    let mut cons = LinearConstraints::none();
    cons.push(vec![-1.0, -1.0], -1.0);
    let sol = trust_minimize(f, &[0.05, 0.9], &free(2), &cons, &tight()).unwrap();
    assert_eq!(sol.status, TrustStatus::Converged);
    assert!((sol.x[0] - 0.3).abs() < 1e-10 && (sol.x[1] - 0.3).abs() < 1e-10);
}

#[test]
fn bad_inputs_are_errors() {
    let none = LinearConstraints::none();
    let opts = TrustOptions::default();
    let err = trust_minimize(rosenbrock, &[0.0, 0.0], &free(1), &none, &opts).unwrap_err();
    assert!(matches!(err, OptimError::Dimension { what: "bounds", .. }));
    let bad = [(1.0, 0.0), (f64::NEG_INFINITY, f64::INFINITY)];
    let err = trust_minimize(rosenbrock, &[0.5, 0.0], &bad, &none, &opts).unwrap_err();
    assert!(matches!(err, OptimError::InvalidBound { index: 0, .. }));
    let on_bound = [(0.0, 1.0), (f64::NEG_INFINITY, f64::INFINITY)];
    let err = trust_minimize(rosenbrock, &[0.0, 0.0], &on_bound, &none, &opts).unwrap_err();
    assert!(err.to_string().contains("strictly inside"), "{err}");
    let nan = |_: &[f64], _: Option<(&mut [f64], &mut [f64])>| f64::NAN;
    let err = trust_minimize(nan, &[0.0, 0.0], &free(2), &none, &opts).unwrap_err();
    assert!(matches!(err, OptimError::NonFiniteStart(_)));
}

#[test]
fn non_finite_trials_are_rejected_and_shrink_the_region() {
    // f = ½(x + 10)² is undefined (NaN) below −5: Newton's first step to −10 fails, the radius
    // shrinks and the iterates creep toward −5 without ever accepting a NaN.
    let f = |x: &[f64], d: Option<(&mut [f64], &mut [f64])>| {
        if let Some((g, h)) = d {
            g[0] = x[0] + 10.0;
            h[0] = 1.0;
        }
        if x[0] < -5.0 {
            f64::NAN
        } else {
            0.5 * (x[0] + 10.0).powi(2)
        }
    };
    let opts = TrustOptions {
        radius: 100.0,
        ..tight()
    };
    let sol = trust_minimize(f, &[0.0], &free(1), &LinearConstraints::none(), &opts).unwrap();
    assert_ne!(sol.status, TrustStatus::Converged);
    assert!(sol.value.is_finite());
    assert!(sol.x[0] >= -5.0 && sol.x[0] < -4.9, "{:?}", sol.x);
}

#[test]
fn derivatives_at_trials_reach_the_same_minimum() {
    let lazy = trust_minimize(
        rosenbrock,
        &[-1.2, 1.0],
        &free(2),
        &LinearConstraints::none(),
        &tight(),
    )
    .unwrap();
    let opts = TrustOptions {
        derivatives_at_trials: true,
        ..tight()
    };
    let eager = trust_minimize(
        rosenbrock,
        &[-1.2, 1.0],
        &free(2),
        &LinearConstraints::none(),
        &opts,
    )
    .unwrap();
    assert_eq!(eager.status, TrustStatus::Converged);
    assert_eq!(lazy.x, eager.x);
    // Every trial was a derivative evaluation (the start, and each trial of the lazy run but
    // its closing value-only Newton step, which the eager run takes too).
    assert_eq!(eager.trials, 1);
    assert_eq!(eager.iterations, lazy.trials);
}
