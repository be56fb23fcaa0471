//! Linear inequality constraints `A·x − b ≥ 0` and the errors of this crate.

use thiserror::Error;

/// Errors raised by the optimizers.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum OptimError {
    /// Dimensions of the starting point, bounds or constraint rows disagree.
    #[error("dimension mismatch: {what} has length {got}, expected {expected}")]
    Dimension {
        /// Which argument is wrong.
        what: &'static str,
        /// Its length.
        got: usize,
        /// The length implied by the starting point.
        expected: usize,
    },
    /// A bound has `lower > upper` or is NaN.
    #[error("invalid bound for parameter {index}: ({lower}, {upper})")]
    InvalidBound {
        /// Parameter position.
        index: usize,
        /// Lower bound.
        lower: f64,
        /// Upper bound.
        upper: f64,
    },
    /// The objective is not finite at the starting point.
    #[error("objective is not finite at the starting point (value {0})")]
    NonFiniteStart(f64),
    /// The underlying solver stopped without a usable point.
    #[error("optimizer failed: {0}")]
    Failed(String),
}

/// A set of linear inequality constraints `A·x − b ≥ 0`, one row per constraint.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinearConstraints {
    /// Constraint rows, each of the parameter dimension.
    pub a: Vec<Vec<f64>>,
    /// Right-hand sides, one per row.
    pub b: Vec<f64>,
}

impl LinearConstraints {
    /// No constraints for a problem of any dimension.
    pub fn none() -> Self {
        Self::default()
    }

    /// Adds the row `a·x − b ≥ 0`.
    pub fn push(&mut self, a: Vec<f64>, b: f64) {
        self.a.push(a);
        self.b.push(b);
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.b.len()
    }

    /// True when there is no row.
    pub fn is_empty(&self) -> bool {
        self.b.is_empty()
    }

    /// Row `i` evaluated at `x`: `a_i·x − b_i` (≥ 0 when satisfied).
    pub fn slack(&self, i: usize, x: &[f64]) -> f64 {
        self.a[i].iter().zip(x).map(|(a, x)| a * x).sum::<f64>() - self.b[i]
    }

    /// Smallest slack over all rows (`+∞` without rows).
    pub fn min_slack(&self, x: &[f64]) -> f64 {
        (0..self.len())
            .map(|i| self.slack(i, x))
            .fold(f64::INFINITY, f64::min)
    }

    /// Stacks `other` (acting on parameters `offset..offset+other_dim`) into a problem of
    /// dimension `dim`.
    pub fn stack(&mut self, other: &LinearConstraints, offset: usize, dim: usize) {
        for (row, b) in other.a.iter().zip(&other.b) {
            let mut full = vec![0.0; dim];
            full[offset..offset + row.len()].copy_from_slice(row);
            self.push(full, *b);
        }
    }

    /// Checks every row has length `dim`.
    pub fn check_dim(&self, dim: usize) -> Result<(), OptimError> {
        if self.a.len() != self.b.len() {
            return Err(OptimError::Dimension {
                what: "constraint right-hand sides",
                got: self.b.len(),
                expected: self.a.len(),
            });
        }
        for row in &self.a {
            if row.len() != dim {
                return Err(OptimError::Dimension {
                    what: "constraint row",
                    got: row.len(),
                    expected: dim,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_places_rows_at_offset() {
        let mut inner = LinearConstraints::none();
        // x1 + x2 ≤ 1  ⇔  −x1 − x2 − (−1) ≥ 0
        inner.push(vec![-1.0, -1.0], -1.0);
        let mut full = LinearConstraints::none();
        full.stack(&inner, 1, 3);
        assert_eq!(full.a[0], vec![0.0, -1.0, -1.0]);
        assert!((full.slack(0, &[5.0, 0.25, 0.25]) - 0.5).abs() < 1e-15);
        assert!(full.check_dim(3).is_ok());
        assert!(full.check_dim(2).is_err());
        assert_eq!(full.min_slack(&[0.0, 1.0, 1.0]), -1.0);
    }
}
