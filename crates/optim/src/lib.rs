//! Maximum-likelihood optimizers of alphafactory.
//!
//! * [`minimize`] — smooth minimization under box bounds and linear inequality constraints
//!   `A·x − b ≥ 0` (sequential quadratic programming, Kraft's SLSQP, the method `arch` uses),
//!   driven by an objective that returns its value and, on request, its gradient.
//! * [`trust_minimize`] — trust-region Newton with an exact Hessian (Moré–Sorensen steps) for
//!   small problems strictly inside the same kind of bounds and constraints; it reports when the
//!   minimizer sits on a constraint so that the caller can finish with [`minimize`].
//! * [`numdiff`] — central-difference gradients and Hessians for when no analytic form exists,
//!   and the Hessian of an analytic gradient used once at the optimum for standard errors.
//!
//! The optimizer knows nothing about GARCH: a model crate states its parameter bounds and
//! constraint rows and hands over a closure.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod constraints;
mod minimize;
pub mod numdiff;
mod trust;
mod trust_step;

pub use constraints::{LinearConstraints, OptimError};
pub use minimize::{minimize, MinimizeOptions, Solution, Termination};
pub use trust::{trust_minimize, TrustOptions, TrustSolution, TrustStatus};
