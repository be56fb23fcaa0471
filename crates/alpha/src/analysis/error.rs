//! Errors of factor analysis: every variant names what was wrong and where.

use thiserror::Error;

/// An error raised by [`crate::analysis`] on bad input.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum AnalysisError {
    /// A matrix does not hold `n_dates × n_assets` values.
    #[error(
        "{what} has {got} values but the grid is {n_dates} dates × {n_assets} assets = {expected}"
    )]
    Shape {
        /// Which input (e.g. "factor `mom5`", "prices").
        what: String,
        /// Expected length.
        expected: usize,
        /// Actual length.
        got: usize,
        /// Number of dates of the grid.
        n_dates: usize,
        /// Number of assets of the grid.
        n_assets: usize,
    },
    /// The grid has no dates or no assets.
    #[error("empty grid: {n_dates} dates × {n_assets} assets; factor analysis needs at least one of each")]
    EmptyGrid {
        /// Number of dates.
        n_dates: usize,
        /// Number of assets.
        n_assets: usize,
    },
    /// A forward-return horizon is zero, repeated, or not shorter than the sample.
    #[error("invalid horizon {horizon}: {reason}")]
    Horizon {
        /// The offending horizon.
        horizon: usize,
        /// Why it is invalid.
        reason: String,
    },
    /// No horizons were requested.
    #[error("no horizons given; pass at least one, e.g. 1,5,10,20")]
    NoHorizons,
    /// The number of quantiles is below 2.
    #[error("quantiles must be at least 2, got {0}")]
    Quantiles(usize),
    /// A price is zero or negative where a return is computed.
    #[error("price of asset #{asset} at date #{date} is {value}; prices must be positive")]
    BadPrice {
        /// Asset index.
        asset: usize,
        /// Date index.
        date: usize,
        /// The value.
        value: f64,
    },
    /// A matrix used as a correlation matrix is not square or has the wrong size.
    #[error("correlation matrix has {got} values; {n} alphas need {expected} (n × n)")]
    CorrelationShape {
        /// Number of alphas.
        n: usize,
        /// Expected length.
        expected: usize,
        /// Actual length.
        got: usize,
    },
    /// A threshold or parameter is out of its range.
    #[error("parameter `{name}` = {value} is out of range: {reason}")]
    Parameter {
        /// Parameter name.
        name: &'static str,
        /// Its value.
        value: f64,
        /// The valid range.
        reason: &'static str,
    },
}

/// Checks that `values` holds `n_dates × n_assets` numbers.
pub(crate) fn check_shape(
    what: &str,
    values: &[f64],
    n_dates: usize,
    n_assets: usize,
) -> Result<(), AnalysisError> {
    if n_dates == 0 || n_assets == 0 {
        return Err(AnalysisError::EmptyGrid { n_dates, n_assets });
    }
    let expected = n_dates * n_assets;
    if values.len() != expected {
        return Err(AnalysisError::Shape {
            what: what.to_string(),
            expected,
            got: values.len(),
            n_dates,
            n_assets,
        });
    }
    Ok(())
}
