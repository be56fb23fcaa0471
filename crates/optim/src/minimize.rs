//! Bounded, linearly constrained minimization by sequential quadratic programming.
//!
//! The solver is Kraft's SLSQP (Kraft 1988, "A software package for sequential quadratic
//! programming", DFVLR-FB 88-28), the same method `scipy.optimize.minimize(method="SLSQP")` runs
//! for `arch`; here through the pure-Rust `slsqp` crate. Each step solves a quadratic model with
//! a BFGS Hessian under the linearized constraints, then line-searches an ℓ1 merit function.

use crate::constraints::{LinearConstraints, OptimError};
use std::cell::{Cell, RefCell};

/// Stopping rules and limits.
#[derive(Debug, Clone, PartialEq)]
pub struct MinimizeOptions {
    /// Maximum number of objective evaluations.
    pub max_eval: usize,
    /// Stop when the objective changes by less than `ftol_rel · |f|` in a step.
    pub ftol_rel: f64,
    /// Stop when every parameter moves by less than `xtol_rel · |x_i|` in a step.
    pub xtol_rel: f64,
}

impl Default for MinimizeOptions {
    fn default() -> Self {
        MinimizeOptions {
            max_eval: 500,
            ftol_rel: 1e-12,
            xtol_rel: 1e-9,
        }
    }
}

/// Why the solver stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination {
    /// The optimality conditions hold to the solver's accuracy.
    Converged,
    /// The objective stopped changing (`ftol_rel`).
    FunctionTolerance,
    /// The parameters stopped changing (`xtol_rel`).
    ParameterTolerance,
    /// Rounding limited further progress; the point is usually the optimum (check it).
    RoundoffLimited,
    /// `max_eval` evaluations were used.
    MaxEvaluations,
}

impl Termination {
    /// True for the outcomes that mean "at an optimum".
    pub fn is_converged(self) -> bool {
        !matches!(self, Termination::MaxEvaluations)
    }
}

/// The outcome of [`minimize`].
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Best point found.
    pub x: Vec<f64>,
    /// Objective at `x`.
    pub value: f64,
    /// Number of objective evaluations.
    pub evaluations: usize,
    /// Why the solver stopped.
    pub termination: Termination,
}

/// Minimizes `f` from `x0` subject to `bounds` (per parameter, may be infinite) and
/// `constraints` (`A·x − b ≥ 0`).
///
/// `f(x, grad)` returns the objective and, when `grad` is `Some`, writes the gradient into it.
/// A non-finite value is treated as a failed trial point (replaced by a large penalty).
pub fn minimize<F>(
    mut f: F,
    x0: &[f64],
    bounds: &[(f64, f64)],
    constraints: &LinearConstraints,
    opts: &MinimizeOptions,
) -> Result<Solution, OptimError>
where
    F: FnMut(&[f64], Option<&mut [f64]>) -> f64,
{
    let n = x0.len();
    if bounds.len() != n {
        return Err(OptimError::Dimension {
            what: "bounds",
            got: bounds.len(),
            expected: n,
        });
    }
    for (index, &(lower, upper)) in bounds.iter().enumerate() {
        if lower.is_nan() || upper.is_nan() || lower > upper {
            return Err(OptimError::InvalidBound {
                index,
                lower,
                upper,
            });
        }
    }
    constraints.check_dim(n)?;
    let start = f(x0, None);
    if !start.is_finite() {
        return Err(OptimError::NonFiniteStart(start));
    }
    let penalty = start.abs() * 10.0 + 1e10;
    let count = Cell::new(0usize);
    let best = RefCell::new((start, x0.to_vec()));
    let f = RefCell::new(&mut f);
    let objective = |x: &[f64], grad: Option<&mut [f64]>, _: &mut ()| -> f64 {
        count.set(count.get() + 1);
        let mut func = f.borrow_mut();
        let value = match grad {
            Some(g) => {
                let v = (*func)(x, Some(&mut *g));
                if !v.is_finite() || g.iter().any(|gi| !gi.is_finite()) {
                    g.iter_mut().for_each(|gi| *gi = 0.0);
                    return penalty;
                }
                v
            }
            None => {
                let v = (*func)(x, None);
                if !v.is_finite() {
                    return penalty;
                }
                v
            }
        };
        let mut b = best.borrow_mut();
        if value < b.0 && constraints.min_slack(x) >= -1e-10 {
            b.0 = value;
            b.1.copy_from_slice(x);
        }
        value
    };
    // slsqp wants c(x) ≤ 0: c_i(x) = b_i − a_i·x.
    let rows: Vec<_> = (0..constraints.len())
        .map(|i| {
            move |x: &[f64], grad: Option<&mut [f64]>, _: &mut ()| -> f64 {
                if let Some(g) = grad {
                    for (gj, aj) in g.iter_mut().zip(&constraints.a[i]) {
                        *gj = -aj;
                    }
                }
                -constraints.slack(i, x)
            }
        })
        .collect();
    let tols = slsqp::StopTols {
        ftol_rel: opts.ftol_rel,
        xtol_rel: opts.xtol_rel,
        ..slsqp::StopTols::default()
    };
    let outcome = slsqp::minimize(
        objective,
        x0,
        bounds,
        &rows,
        (),
        opts.max_eval.max(2),
        Some(tols),
    );
    let termination = match &outcome {
        Ok((status, _, _)) => match status {
            slsqp::SuccessStatus::FtolReached => Termination::FunctionTolerance,
            slsqp::SuccessStatus::XtolReached => Termination::ParameterTolerance,
            slsqp::SuccessStatus::MaxEvalReached | slsqp::SuccessStatus::MaxTimeReached => {
                Termination::MaxEvaluations
            }
            _ => Termination::Converged,
        },
        Err((slsqp::FailStatus::RoundoffLimited, _, _)) => Termination::RoundoffLimited,
        Err((status, _, _)) => return Err(OptimError::Failed(format!("{status:?}"))),
    };
    let (x, value) = match outcome {
        Ok((_, x, v)) | Err((_, x, v)) => (x, v),
    };
    let (best_value, best_x) = best.into_inner();
    let (x, value) =
        if value.is_finite() && value <= best_value && constraints.min_slack(&x) >= -1e-10 {
            (x, value)
        } else {
            (best_x, best_value)
        };
    Ok(Solution {
        x,
        value,
        evaluations: count.get(),
        termination,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock's function with its gradient.
    fn rosenbrock(x: &[f64], g: Option<&mut [f64]>) -> f64 {
        let (a, b) = (1.0 - x[0], x[1] - x[0] * x[0]);
        if let Some(g) = g {
            g[0] = -2.0 * a - 400.0 * x[0] * b;
            g[1] = 200.0 * b;
        }
        a * a + 100.0 * b * b
    }

    #[test]
    fn unconstrained_rosenbrock_reaches_one_one() {
        let inf = f64::INFINITY;
        let sol = minimize(
            rosenbrock,
            &[-1.2, 1.0],
            &[(-inf, inf), (-inf, inf)],
            &LinearConstraints::none(),
            &MinimizeOptions::default(),
        )
        .unwrap();
        assert!((sol.x[0] - 1.0).abs() < 1e-5, "{sol:?}");
        assert!((sol.x[1] - 1.0).abs() < 1e-5, "{sol:?}");
    }

    #[test]
    fn active_linear_constraint_is_respected() {
        // min (x−2)² + (y−2)²  s.t.  x + y ≤ 1  → (0.5, 0.5), value 4.5 (by hand).
        let f = |x: &[f64], g: Option<&mut [f64]>| {
            if let Some(g) = g {
                g[0] = 2.0 * (x[0] - 2.0);
                g[1] = 2.0 * (x[1] - 2.0);
            }
            (x[0] - 2.0).powi(2) + (x[1] - 2.0).powi(2)
        };
        let mut c = LinearConstraints::none();
        c.push(vec![-1.0, -1.0], -1.0);
        let sol = minimize(
            f,
            &[0.0, 0.0],
            &[(0.0, 10.0), (0.0, 10.0)],
            &c,
            &MinimizeOptions::default(),
        )
        .unwrap();
        assert!(
            (sol.x[0] - 0.5).abs() < 1e-6 && (sol.x[1] - 0.5).abs() < 1e-6,
            "{sol:?}"
        );
        assert!((sol.value - 4.5).abs() < 1e-9);
    }

    #[test]
    fn bad_inputs_are_errors() {
        let f = |x: &[f64], _: Option<&mut [f64]>| x[0];
        let c = LinearConstraints::none();
        let o = MinimizeOptions::default();
        assert!(matches!(
            minimize(f, &[0.0], &[], &c, &o),
            Err(OptimError::Dimension { .. })
        ));
        assert!(matches!(
            minimize(f, &[0.0], &[(1.0, 0.0)], &c, &o),
            Err(OptimError::InvalidBound { index: 0, .. })
        ));
        let nan = |_: &[f64], _: Option<&mut [f64]>| f64::NAN;
        assert!(matches!(
            minimize(nan, &[0.0], &[(0.0, 1.0)], &c, &o),
            Err(OptimError::NonFiniteStart(_))
        ));
    }
}
