//! Trust-region Newton minimization with an exact Hessian, for small dense problems (k ≲ 10)
//! inside box bounds and linear inequality constraints `A·x − b ≥ 0`.
//!
//! The method is Nocedal & Wright, *Numerical Optimization* (2nd ed., 2006), Algorithm 4.1, with
//! the subproblem solved exactly as by Moré & Sorensen (1983, "Computing a trust region step",
//! SIAM J. Sci. Stat. Comput. 4(3)). At an iterate x_k with f, g = ∇f, H = ∇²f and a diagonal
//! scaling D = diag(d) (d_i = max over the iterates of √|H_ii|, as in MINPACK), in the scaled
//! variables x̂ = D x:
//!
//! 1. ĝ = D⁻¹g, Ĥ = D⁻¹HD⁻¹ = QΛQᵀ (eigendecomposition), a = Qᵀĝ.
//! 2. The step minimizes m(p̂) = ĝᵀp̂ + ½p̂ᵀĤp̂ subject to ‖p̂‖ ≤ Δ: p̂(λ) = −Σ_i a_i/(λ_i + λ) q_i
//!    with λ = 0 if Ĥ ≻ 0 and ‖p̂(0)‖ ≤ Δ, else the λ > max(0, −λ_min) solving the secular
//!    equation 1/Δ − 1/‖p̂(λ)‖ = 0 (Newton's iteration on it, safeguarded by bisection); in the
//!    "hard case" (a ⟂ the lowest eigenvector and ‖p̂(−λ_min)‖ < Δ) the step is
//!    p̂(−λ_min) + τ q_min with ‖p̂‖ = Δ. So indefinite Hessians give descent steps too.
//! 3. Feasibility: the step p = D⁻¹p̂ is cut to half the distance to the nearest bound or
//!    constraint it would cross (x + p stays strictly inside). When the step would be cut for
//!    the `max_blocked`-th time in a row the solver stops with [`TrustStatus::Blocked`]: the minimizer sits on (or next to) a
//!    constraint, which an active-set method (SLSQP) handles, started from the returned point.
//! 4. ρ = (f(x) − f(x + p)) / (m(0) − m(p̂)); a non-finite f counts as ρ = −∞. If ρ > 10⁻⁴ the
//!    step is taken and f, g, H are evaluated there; Δ ← ¼‖p̂‖ if ρ < ¼, Δ ← 2Δ if ρ > ¾ and the
//!    step reached the boundary of the region.
//! 5. Convergence: Ĥ ≻ 0 and the Newton decrement ½ĝᵀĤ⁻¹ĝ = ½Σ a_i²/λ_i — the decrease the
//!    quadratic model still promises — is at most `ftol_rel · |f| + ftol_abs`. The Newton step itself is
//!    then taken if it keeps f from rising (one value-only evaluation), so the returned x is a
//!    step closer to the minimizer than the last point whose derivatives are reported.
//!
//! The objective `f(x, derivs)` returns f(x) and, when `derivs` is `Some((g, h))`, writes the
//! gradient and the row-major Hessian. Derivatives are asked for only at accepted points, or
//! at every trial with [`TrustOptions::derivatives_at_trials`].

use crate::constraints::{LinearConstraints, OptimError};
use crate::trust_step::Subproblem;

/// Stopping rules and limits of [`trust_minimize`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrustOptions {
    /// Maximum number of derivative (f, g, H) evaluations.
    pub max_iter: usize,
    /// Maximum number of value-only evaluations (trial points).
    pub max_trials: usize,
    /// Converged when the Newton decrement is at most `ftol_rel · |f| + ftol_abs`.
    pub ftol_rel: f64,
    /// Absolute part of the convergence test (for objectives whose minimum is near 0).
    pub ftol_abs: f64,
    /// Initial trust radius in the scaled variables.
    pub radius: f64,
    /// Stop with [`TrustStatus::Blocked`] when this many steps in a row would be cut by the
    /// feasible region.
    pub max_blocked: usize,
    /// Ask for f, g, H together at every trial point (one call per trial, best when trials are
    /// rarely rejected and one pass yields all three) instead of f alone and then g, H at an
    /// accepted point.
    pub derivatives_at_trials: bool,
}

impl Default for TrustOptions {
    fn default() -> Self {
        TrustOptions {
            max_iter: 50,
            max_trials: 100,
            ftol_rel: 1e-12,
            ftol_abs: 0.0,
            radius: 1.0,
            max_blocked: 3,
            derivatives_at_trials: false,
        }
    }
}

/// Why [`trust_minimize`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustStatus {
    /// A strict local minimum inside the feasible region (positive definite Hessian, Newton
    /// decrement below tolerance).
    Converged,
    /// Steps kept running into a bound or constraint: the minimizer is likely on it.
    Blocked,
    /// The trust radius collapsed without the convergence test passing.
    Stalled,
    /// `max_iter` or `max_trials` evaluations were used.
    MaxIterations,
}

/// The outcome of [`trust_minimize`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrustSolution {
    /// Best point found (strictly feasible).
    pub x: Vec<f64>,
    /// f at `x`.
    pub value: f64,
    /// The point where `grad` and `hess` were last evaluated (`x` itself unless the final
    /// Newton step moved it).
    pub deriv_x: Vec<f64>,
    /// Gradient at `deriv_x`.
    pub grad: Vec<f64>,
    /// Row-major Hessian at `deriv_x`.
    pub hess: Vec<f64>,
    /// Derivative evaluations.
    pub iterations: usize,
    /// Value-only evaluations.
    pub trials: usize,
    /// Why the solver stopped.
    pub status: TrustStatus,
}

/// Minimizes `f` from the strictly feasible `x0` (see the module docs for the method).
///
/// Errors when dimensions disagree, a bound is invalid, `x0` is not strictly inside the bounds
/// and constraints, or f, g, H are not finite at `x0`.
pub fn trust_minimize<F>(
    mut f: F,
    x0: &[f64],
    bounds: &[(f64, f64)],
    cons: &LinearConstraints,
    opts: &TrustOptions,
) -> Result<TrustSolution, OptimError>
where
    F: FnMut(&[f64], Option<(&mut [f64], &mut [f64])>) -> f64,
{
    let k = x0.len();
    check_inputs(x0, bounds, cons)?;
    let mut x = x0.to_vec();
    let (mut g, mut h) = (vec![0.0; k], vec![0.0; k * k]);
    let mut fx = f(&x, Some((&mut g, &mut h)));
    if !fx.is_finite() || g.iter().chain(&h).any(|v| !v.is_finite()) {
        return Err(OptimError::NonFiniteStart(fx));
    }
    let mut d = vec![0.0; k];
    let mut radius = opts.radius;
    let (mut iterations, mut trials, mut blocked) = (1, 0, 0);
    let (mut gt, mut ht) = (vec![0.0; k], vec![0.0; k * k]);
    let status = loop {
        update_scaling(&mut d, &h);
        let sub = Subproblem::new(&g, &h, &d);
        if sub.converged(opts.ftol_rel * fx.abs() + opts.ftol_abs) {
            let deriv_x = x.clone();
            let newton = sub.step(f64::INFINITY).p;
            let cand: Vec<f64> = x.iter().zip(&newton).map(|(xi, pi)| xi + pi).collect();
            if trials < opts.max_trials && strictly_inside(&cand, bounds, cons) {
                trials += 1;
                let fc = f(&cand, None);
                if fc.is_finite() && fc <= fx {
                    (x, fx) = (cand, fc);
                }
            }
            return Ok(TrustSolution {
                x,
                value: fx,
                deriv_x,
                grad: g,
                hess: h,
                iterations,
                trials,
                status: TrustStatus::Converged,
            });
        }
        if iterations >= opts.max_iter || trials >= opts.max_trials {
            break TrustStatus::MaxIterations;
        }
        let step = sub.step(radius);
        let tau = max_fraction(&x, &step.p, bounds, cons);
        let (cut, frac) = if tau > 1.0 {
            (false, 1.0)
        } else {
            (true, 0.5 * tau)
        };
        blocked = if cut { blocked + 1 } else { 0 };
        if blocked >= opts.max_blocked || (cut && frac <= 0.0) {
            break TrustStatus::Blocked;
        }
        let cand: Vec<f64> = x
            .iter()
            .zip(&step.p)
            .map(|(xi, pi)| xi + frac * pi)
            .collect();
        let pred = sub.decrease(&step, frac);
        let fc = if opts.derivatives_at_trials {
            iterations += 1;
            f(&cand, Some((&mut gt, &mut ht)))
        } else {
            trials += 1;
            f(&cand, None)
        };
        let rho = if fc.is_finite() && pred > 0.0 {
            (fx - fc) / pred
        } else {
            f64::NEG_INFINITY
        };
        let len = frac * step.norm;
        if rho < 0.25 {
            radius = 0.25 * len;
        } else if rho > 0.75 && step.on_boundary && !cut {
            radius *= 2.0;
        }
        if rho > 1e-4 {
            let ft = if opts.derivatives_at_trials {
                fc
            } else {
                iterations += 1;
                f(&cand, Some((&mut gt, &mut ht)))
            };
            if ft.is_finite() && gt.iter().chain(&ht).all(|v| v.is_finite()) {
                (x, fx) = (cand, ft);
                std::mem::swap(&mut g, &mut gt);
                std::mem::swap(&mut h, &mut ht);
            } else {
                radius = 0.25 * len;
            }
        }
        let xnorm: f64 = x.iter().zip(&d).map(|(v, s)| (v * s).powi(2)).sum::<f64>();
        if radius <= 1e-12 * (1.0 + xnorm.sqrt()) {
            break TrustStatus::Stalled;
        }
    };
    Ok(TrustSolution {
        deriv_x: x.clone(),
        x,
        value: fx,
        grad: g,
        hess: h,
        iterations,
        trials,
        status,
    })
}

fn check_inputs(
    x0: &[f64],
    bounds: &[(f64, f64)],
    cons: &LinearConstraints,
) -> Result<(), OptimError> {
    let k = x0.len();
    if bounds.len() != k {
        return Err(OptimError::Dimension {
            what: "bounds",
            got: bounds.len(),
            expected: k,
        });
    }
    cons.check_dim(k)?;
    for (index, &(lower, upper)) in bounds.iter().enumerate() {
        if lower.is_nan() || upper.is_nan() || lower > upper {
            return Err(OptimError::InvalidBound {
                index,
                lower,
                upper,
            });
        }
    }
    if !strictly_inside(x0, bounds, cons) {
        return Err(OptimError::Failed(
            "the starting point is not strictly inside the bounds and constraints".into(),
        ));
    }
    Ok(())
}

/// d_i ← max(d_i, √|H_ii|), floored at 10⁻⁸ of the largest so that D stays invertible.
fn update_scaling(d: &mut [f64], h: &[f64]) {
    let k = d.len();
    for (i, di) in d.iter_mut().enumerate() {
        *di = di.max(h[i * k + i].abs().sqrt());
    }
    let top = d.iter().copied().fold(0.0, f64::max);
    let floor = if top > 0.0 { 1e-8 * top } else { 1.0 };
    d.iter_mut().for_each(|v| *v = v.max(floor));
}

/// The largest τ with x + τp inside the bounds and constraints (`+∞` if none is crossed).
fn max_fraction(x: &[f64], p: &[f64], bounds: &[(f64, f64)], cons: &LinearConstraints) -> f64 {
    let mut tau = f64::INFINITY;
    for ((&xi, &pi), &(l, u)) in x.iter().zip(p).zip(bounds) {
        if pi < 0.0 && l.is_finite() {
            tau = tau.min((l - xi) / pi);
        } else if pi > 0.0 && u.is_finite() {
            tau = tau.min((u - xi) / pi);
        }
    }
    for (i, row) in cons.a.iter().enumerate() {
        let rate: f64 = row.iter().zip(p).map(|(a, v)| a * v).sum();
        if rate < 0.0 {
            tau = tau.min(cons.slack(i, x) / -rate);
        }
    }
    tau.max(0.0)
}

fn strictly_inside(x: &[f64], bounds: &[(f64, f64)], cons: &LinearConstraints) -> bool {
    x.iter().all(|v| v.is_finite())
        && x.iter().zip(bounds).all(|(v, (l, u))| v > l && v < u)
        && cons.min_slack(x) > 0.0
}

#[cfg(test)]
#[path = "trust_tests.rs"]
mod tests;
