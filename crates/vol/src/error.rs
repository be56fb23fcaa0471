//! Typed errors and non-fatal warnings of an estimation.

use serde::{Serialize, Serializer};
use std::fmt;
use thiserror::Error;

/// Why a model could not be fitted, forecast or simulated.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum FitError {
    /// The series holds a NaN or an infinity.
    #[error("the series has a non-finite value ({value}) at index {index}; drop or fill it before fitting")]
    NonFinite {
        /// Position in the input series (0-based).
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Too few observations for the number of parameters and lags.
    #[error("too few observations for {model}: got {got}, need at least {needed}")]
    TooFewObservations {
        /// The model, e.g. `Constant-GARCH(1,0,1)-normal`.
        model: String,
        /// Observations given.
        got: usize,
        /// Observations required.
        needed: usize,
    },
    /// Every residual is the same number: no variance to model.
    #[error("the series is constant (every residual equals {value}); a volatility model needs variation")]
    ConstantSeries {
        /// The constant value.
        value: f64,
    },
    /// The model specification is not estimable.
    #[error("invalid model specification {model}: {reason}")]
    InvalidSpec {
        /// The model.
        model: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// A parameter vector of the wrong length or with an invalid value was given.
    #[error("invalid parameters for {model}: {reason}")]
    InvalidParams {
        /// The model.
        model: String,
        /// What is wrong.
        reason: String,
    },
    /// A forecast / risk request is invalid (horizon 0, level outside (0, 1), no analytic form…).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The optimizer could not produce an estimate.
    #[error("optimizer failed for {model}: {reason}")]
    Optimizer {
        /// The model.
        model: String,
        /// What the optimizer reported.
        reason: String,
    },
}

/// A non-fatal problem found during estimation, kept as a value in the result.
#[derive(Debug, Clone, PartialEq)]
pub enum FitWarning {
    /// The data are badly scaled (variance outside `[0.1, 10⁴)`), as `arch`'s
    /// `DataScaleWarning`; `rescale` is `arch`'s suggested multiplier. The fit itself is not
    /// harmed: it runs on a rescaled copy and the estimates are mapped back exactly.
    DataScale {
        /// Variance of the residuals.
        variance: f64,
        /// Suggested multiplier of the data, e.g. `100` for decimal returns.
        rescale: f64,
    },
    /// The optimizer stopped without meeting its convergence criterion.
    NotConverged {
        /// Evaluations used.
        evaluations: usize,
        /// The solver's reason.
        reason: String,
    },
    /// The Hessian at the optimum is singular or not negative definite: standard errors are NaN.
    SingularHessian,
    /// A parameter ended at (or within 1e-6 of) a bound or constraint: its standard error is
    /// unreliable.
    AtBoundary {
        /// Parameter name.
        param: String,
    },
}

impl fmt::Display for FitWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FitWarning::DataScale { variance, rescale } => write!(
                f,
                "data scale: residual variance {variance:.4e} is poorly scaled (estimated on a rescaled copy and mapped back); multiply the series by {rescale}, e.g. percent returns, for arch-comparable output"
            ),
            FitWarning::NotConverged {
                evaluations,
                reason,
            } => write!(
                f,
                "not converged after {evaluations} evaluations ({reason}); results may not be an optimum"
            ),
            FitWarning::SingularHessian => write!(
                f,
                "singular Hessian at the optimum; standard errors are not available (NaN)"
            ),
            FitWarning::AtBoundary { param } => write!(
                f,
                "parameter {param} is at a bound or constraint; its standard error is unreliable"
            ),
        }
    }
}

impl Serialize for FitWarning {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}
