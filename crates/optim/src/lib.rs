//! Maximum-likelihood optimizers of alphafactory.
//!
//! * [`minimize`] — smooth minimization under box bounds and linear inequality constraints
//!   `A·x − b ≥ 0` (sequential quadratic programming, Kraft's SLSQP, the method `arch` uses),
//!   driven by an objective that returns its value and, on request, its gradient.
//! * [`numdiff`] — central-difference gradients and Hessians for when no analytic form exists,
//!   and the Hessian of an analytic gradient used once at the optimum for standard errors.
//!
//! The optimizer knows nothing about GARCH: a model crate states its parameter bounds and
//! constraint rows and hands over a closure.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod constraints;
mod minimize;
pub mod numdiff;

pub use constraints::{LinearConstraints, OptimError};
pub use minimize::{minimize, MinimizeOptions, Solution, Termination};
