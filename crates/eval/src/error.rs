//! Errors of the evaluation layer: every variant names the parameter or the position at fault.

use af_core::CoreError;
use thiserror::Error;

/// Why an evaluation could not be computed.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum EvalError {
    /// A scheme or test parameter has a value it cannot take.
    #[error("parameter `{param}` = {value}: {reason}")]
    BadParameter {
        /// Name of the parameter as the user spells it (`train`, `refit_every`, `coverage`, ...).
        param: &'static str,
        /// The offending value, formatted.
        value: String,
        /// What is wrong and what would be accepted.
        reason: String,
    },
    /// Two series that must be aligned have different lengths.
    #[error("`{left}` has {left_len} values but `{right}` has {right_len}; align them first")]
    LengthMismatch {
        /// Name of the first series.
        left: &'static str,
        /// Its length.
        left_len: usize,
        /// Name of the second series.
        right: &'static str,
        /// Its length.
        right_len: usize,
    },
    /// A series holds a value the statistic cannot use (NaN, infinite, ...).
    #[error("`{series}` has an invalid value {value} at index {index}: {reason}")]
    BadValue {
        /// Name of the series.
        series: &'static str,
        /// Position of the value.
        index: usize,
        /// The value.
        value: f64,
        /// Why it cannot be used.
        reason: &'static str,
    },
    /// Too few usable observations for the statistic.
    #[error("{what} needs at least {needed} usable observations, got {got}")]
    TooFewObservations {
        /// Which statistic.
        what: &'static str,
        /// How many it needs.
        needed: usize,
        /// How many there were.
        got: usize,
    },
    /// Every candidate of an ensemble or a selection failed (None / NaN score).
    #[error("all {n} candidates have no usable {score}: nothing to weight or select")]
    AllFailed {
        /// Number of candidates.
        n: usize,
        /// The score that was missing (`AIC`, `MSE`, ...).
        score: &'static str,
    },
    /// A regression design is singular (e.g. a constant forecast in Mincer–Zarnowitz).
    #[error("{what} is singular: {reason}")]
    Singular {
        /// Which computation.
        what: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// A panel lookup failed (unknown field or asset).
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl EvalError {
    /// Shorthand for [`EvalError::BadParameter`].
    pub(crate) fn param(
        param: &'static str,
        value: impl ToString,
        reason: impl Into<String>,
    ) -> Self {
        EvalError::BadParameter {
            param,
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// Check two lengths agree.
    pub(crate) fn check_len(
        left: &'static str,
        left_len: usize,
        right: &'static str,
        right_len: usize,
    ) -> Result<(), Self> {
        if left_len == right_len {
            Ok(())
        } else {
            Err(EvalError::LengthMismatch {
                left,
                left_len,
                right,
                right_len,
            })
        }
    }
}
