//! Covariance estimation for portfolios and alpha combination.
//!
//! * [`sample_covariance`] — the usual estimator with a chosen `ddof`.
//! * [`ledoit_wolf`] — Ledoit & Wolf (2004), "A well-conditioned estimator for large-dimensional
//!   covariance matrices", shrinking the (population, ddof = 0) sample covariance S toward
//!   μ·I with μ = tr(S)/p: Σ̂ = (1 − δ)·S + δ·μ·I, with δ estimated as scikit-learn's
//!   `ledoit_wolf_shrinkage` does (δ = min(β̄, δ̄)/δ̄, where δ̄ = ‖S − μI‖²_F / p and
//!   β̄ = (Σₖ‖xₖxₖᵀ − S‖²_F)/(n²·p) computed through X²ᵀX²).
//! * [`shrink_to_average_variance`] — PRODUCT A3's fixed shrinkage toward the average variance.
//!
//! Observations are rows of `x` (n × p, time × assets).

use nalgebra::DMatrix;
use thiserror::Error;

/// Why a covariance cannot be estimated.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum CovarianceError {
    /// Fewer observations than needed.
    #[error("need at least {needed} observations to estimate a covariance, got {got}")]
    TooFewObservations {
        /// Minimum number of rows.
        needed: usize,
        /// Rows given.
        got: usize,
    },
    /// A NaN or infinite value in the data.
    #[error(
        "non-finite value at observation {row}, column {col}; fill or drop missing returns first"
    )]
    NonFinite {
        /// Row (observation) index.
        row: usize,
        /// Column (asset) index.
        col: usize,
    },
    /// Shrinkage intensity outside [0, 1].
    #[error("shrinkage must lie in [0, 1], got {0}")]
    BadShrinkage(f64),
}

fn check(x: &DMatrix<f64>, needed: usize) -> Result<(), CovarianceError> {
    if x.nrows() < needed {
        return Err(CovarianceError::TooFewObservations {
            needed,
            got: x.nrows(),
        });
    }
    for c in 0..x.ncols() {
        for r in 0..x.nrows() {
            if !x[(r, c)].is_finite() {
                return Err(CovarianceError::NonFinite { row: r, col: c });
            }
        }
    }
    Ok(())
}

fn centered(x: &DMatrix<f64>) -> DMatrix<f64> {
    let mut xc = x.clone();
    for mut col in xc.column_iter_mut() {
        let m = col.mean();
        col.add_scalar_mut(-m);
    }
    xc
}

/// Sample covariance (p × p) of the columns of `x` with `ddof` (1 for the unbiased estimator).
pub fn sample_covariance(x: &DMatrix<f64>, ddof: usize) -> Result<DMatrix<f64>, CovarianceError> {
    check(x, ddof + 1)?;
    let xc = centered(x);
    Ok(xc.transpose() * &xc / (x.nrows() - ddof) as f64)
}

/// Ledoit–Wolf shrunk covariance and the shrinkage intensity δ ∈ [0, 1] (scikit-learn's
/// `LedoitWolf().fit(x)` with `assume_centered=False`).
pub fn ledoit_wolf(x: &DMatrix<f64>) -> Result<(DMatrix<f64>, f64), CovarianceError> {
    check(x, 1)?;
    let (n, p) = (x.nrows() as f64, x.ncols());
    let xc = centered(x);
    let s = xc.transpose() * &xc / n;
    if p == 1 {
        return Ok((s, 0.0));
    }
    let mu = s.trace() / p as f64;
    let x2 = xc.map(|v| v * v);
    let beta_sum = (x2.transpose() * &x2).sum();
    let delta_sum = s.iter().map(|v| v * v).sum::<f64>(); // = Σ (XᵀX)²/n²
    let beta = (beta_sum / n - delta_sum) / (p as f64 * n);
    let delta = (delta_sum - 2.0 * mu * s.trace() + p as f64 * mu * mu) / p as f64;
    let beta = beta.min(delta);
    let shrinkage = if beta == 0.0 { 0.0 } else { beta / delta };
    Ok((shrink_toward_identity(&s, shrinkage, mu), shrinkage))
}

/// (1 − δ)·Σ + δ·(tr Σ / p)·I — PRODUCT A3 uses δ = 0.1.
pub fn shrink_to_average_variance(
    cov: &DMatrix<f64>,
    shrinkage: f64,
) -> Result<DMatrix<f64>, CovarianceError> {
    if !(0.0..=1.0).contains(&shrinkage) {
        return Err(CovarianceError::BadShrinkage(shrinkage));
    }
    let mu = cov.trace() / cov.nrows().max(1) as f64;
    Ok(shrink_toward_identity(cov, shrinkage, mu))
}

fn shrink_toward_identity(s: &DMatrix<f64>, delta: f64, mu: f64) -> DMatrix<f64> {
    let mut out = s * (1.0 - delta);
    for i in 0..out.nrows() {
        out[(i, i)] += delta * mu;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_covariance_by_hand() {
        // columns (1,2,3) and (2,4,7): var 1 and 6.333…, cov 2.5 (ddof 1)
        let x = DMatrix::from_row_slice(3, 2, &[1.0, 2.0, 2.0, 4.0, 3.0, 7.0]);
        let c = sample_covariance(&x, 1).unwrap();
        assert!((c[(0, 0)] - 1.0).abs() < 1e-15);
        assert!((c[(0, 1)] - 2.5).abs() < 1e-15);
        assert!((c[(1, 1)] - 19.0 / 3.0).abs() < 1e-14);
    }

    #[test]
    fn shrinkage_keeps_trace_and_rejects_bad_intensity() {
        let x = DMatrix::from_row_slice(4, 2, &[1.0, 0.0, 0.0, 1.0, 2.0, 1.0, 1.0, 3.0]);
        let c = sample_covariance(&x, 1).unwrap();
        let s = shrink_to_average_variance(&c, 0.1).unwrap();
        assert!((s.trace() - c.trace()).abs() < 1e-14);
        assert!((s[(0, 1)] - 0.9 * c[(0, 1)]).abs() < 1e-15);
        assert!(shrink_to_average_variance(&c, 1.5).is_err());
        let bad = DMatrix::from_row_slice(2, 1, &[1.0, f64::NAN]);
        assert_eq!(
            sample_covariance(&bad, 1),
            Err(CovarianceError::NonFinite { row: 1, col: 0 })
        );
    }
}
