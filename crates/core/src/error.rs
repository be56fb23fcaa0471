//! Errors of the core layer.

use thiserror::Error;

/// An error raised while building or querying a [`crate::Panel`].
#[derive(Debug, Error, Clone, PartialEq)]
pub enum CoreError {
    /// A field's buffer does not have `dates × assets` values.
    #[error("field `{field}` has {got} values but the panel needs {expected} (dates × assets)")]
    FieldLength {
        /// Field name.
        field: String,
        /// Expected length.
        expected: usize,
        /// Actual length.
        got: usize,
    },
    /// A field was requested that the panel does not hold.
    #[error("unknown field `{field}`; the panel has: {available}")]
    UnknownField {
        /// Requested field.
        field: String,
        /// Comma-separated list of available fields.
        available: String,
    },
    /// An asset was requested that the panel does not hold.
    #[error("unknown asset `{0}`")]
    UnknownAsset(String),
    /// Dates are not strictly increasing.
    #[error("dates must be strictly increasing: {prev} is followed by {next} at position {index}")]
    UnsortedDates {
        /// Position of the offending date.
        index: usize,
        /// The previous date.
        prev: String,
        /// The offending date.
        next: String,
    },
    /// The same asset appears twice.
    #[error("asset `{0}` appears more than once")]
    DuplicateAsset(String),
    /// Unknown frequency string.
    #[error("unknown frequency `{0}`; use one of 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w, 1mo")]
    UnknownFrequency(String),
}
