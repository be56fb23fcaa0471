//! Newton polish of an interior optimum.
//!
//! SLSQP stops on a relative change of the objective; on flat directions of a log-likelihood
//! (EGARCH's μ and γ on long samples) that can leave the parameters 1e-4 relative from the
//! maximum and ℓ a few 1e-7 below it. From there Newton's method converges quadratically:
//!
//! θ_{k+1} = θ_k + δ_k,  (−∇²ℓ(θ_0)) δ_k = ∇ℓ(θ_k),
//!
//! (the Hessian of the first point serves every step: from SLSQP's end it is within ~1e-4 of the
//! optimum's, so the steps still shrink geometrically),
//! with the analytic Hessian where [`crate::hessian_egarch`] covers the model (central differences
//! of the analytic gradient elsewhere), taken only while −∇²ℓ is positive definite (a Cholesky factorization exists), the step keeps
//! every bound and linear constraint with room to spare, and ℓ strictly increases (one halving
//! is tried); otherwise the point is left as it was. So the polish can only raise ℓ, and it never
//! moves a solution that sits on a bound.

use crate::likelihood::Model;
use af_optim::numdiff::hessian_from_gradient;
use af_optim::LinearConstraints;
use nalgebra::{DMatrix, DVector};

/// At most this many Newton steps.
const MAX_STEPS: usize = 3;

/// Improves `theta` in place by Newton steps on ℓ (see the module docs); returns the number of
/// accepted steps.
pub(crate) fn newton(
    model: &mut Model,
    theta: &mut [f64],
    bounds: &[(f64, f64)],
    cons: &LinearConstraints,
) -> usize {
    let k = theta.len();
    let mut grad = vec![0.0; k];
    let mut ll = model.loglik_grad(theta, &mut grad);
    if !ll.is_finite() || grad.iter().any(|g| !g.is_finite()) {
        return 0;
    }
    // One Hessian serves every step (a chord method): from SLSQP's end it changes by ~1e-4
    // relative, so the steps still shrink by about that factor each time.
    let hess = match crate::hessian_egarch::curvature_hessian(model, theta) {
        Some(h) => h,
        None => hessian_from_gradient(
            |x, g| {
                model.loglik_grad(x, g);
            },
            theta,
        ),
    };
    let mut accepted = 0;
    for _ in 0..MAX_STEPS {
        let Some(step) = newton_step(&hess, &grad) else {
            break;
        };
        // The quadratic model predicts a gain of ½ gᵀδ: below 1e-15·|ℓ| nothing is left to win
        // (and ℓ itself is not resolved finer), so stop without another evaluation.
        let gain = 0.5 * step.iter().zip(&grad).map(|(s, g)| s * g).sum::<f64>();
        if gain <= 1e-15 * ll.abs() {
            break;
        }
        let mut improved = false;
        for scale in [1.0, 0.5] {
            let cand: Vec<f64> = theta
                .iter()
                .zip(&step)
                .map(|(t, s)| t + scale * s)
                .collect();
            if !inside(&cand, bounds, cons) {
                continue;
            }
            let mut g = vec![0.0; k];
            let l = model.loglik_grad(&cand, &mut g);
            if l.is_finite() && l > ll && g.iter().all(|v| v.is_finite()) {
                theta.copy_from_slice(&cand);
                (ll, grad) = (l, g);
                improved = true;
                break;
            }
        }
        if !improved {
            break;
        }
        accepted += 1;
        let small = step
            .iter()
            .zip(theta.iter())
            .all(|(s, t)| s.abs() <= 1e-9 * (1.0 + t.abs()));
        if small {
            break;
        }
    }
    accepted
}

/// δ solving (−H) δ = g, or `None` when −H is not positive definite.
fn newton_step(hess: &[f64], grad: &[f64]) -> Option<Vec<f64>> {
    let k = grad.len();
    if hess.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let neg_h = DMatrix::from_row_slice(k, k, hess).map(|v| -v);
    let chol = neg_h.cholesky()?;
    let step = chol.solve(&DVector::from_column_slice(grad));
    step.iter()
        .all(|v| v.is_finite())
        .then(|| step.iter().copied().collect())
}

/// Strictly inside the bounds and constraints (a margin of 1e-9 relative), so a polished point
/// is never moved onto a boundary the optimizer did not choose.
fn inside(x: &[f64], bounds: &[(f64, f64)], cons: &LinearConstraints) -> bool {
    let margin = |b: f64| 1e-9 * (1.0 + b.abs());
    x.iter().zip(bounds).all(|(v, (l, u))| {
        (*l == f64::NEG_INFINITY || *v - l > margin(*l))
            && (*u == f64::INFINITY || u - *v > margin(*u))
    }) && cons.min_slack(x) > 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newton_step_solves_the_quadratic() {
        // ℓ = −½ (θ − c)ᵀ A (θ − c): H = −A, g = −A(θ − c); one step lands on c.
        let a = [2.0, 0.5, 0.5, 1.0];
        let (theta, c) = ([1.0, -1.0], [0.25, 0.5]);
        let g = [
            -(a[0] * (theta[0] - c[0]) + a[1] * (theta[1] - c[1])),
            -(a[2] * (theta[0] - c[0]) + a[3] * (theta[1] - c[1])),
        ];
        let h: Vec<f64> = a.iter().map(|v| -v).collect();
        let s = newton_step(&h, &g).unwrap();
        assert!((theta[0] + s[0] - c[0]).abs() < 1e-14);
        assert!((theta[1] + s[1] - c[1]).abs() < 1e-14);
        // Not concave: no step.
        assert!(newton_step(&[1.0, 0.0, 0.0, -1.0], &[0.1, 0.1]).is_none());
    }

    #[test]
    fn inside_keeps_a_margin() {
        let mut cons = LinearConstraints::none();
        cons.push(vec![0.0, -1.0], -1.0); // 1 − x₁ ≥ 0
        let b = [(0.0, 10.0), (0.0, 1.0)];
        assert!(inside(&[1.0, 0.5], &b, &cons));
        let open = [(f64::NEG_INFINITY, f64::INFINITY), (0.0, 1.0)];
        assert!(inside(&[-1e300, 0.5], &open, &cons));
        assert!(!inside(&[1.0, 1.0], &b, &cons));
        assert!(!inside(&[0.0, 0.5], &b, &cons));
    }
}
