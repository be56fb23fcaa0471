//! Equal-risk-contribution (risk parity) weights — PRODUCT A4 ("risk parity across strategies").
//!
//! Risk budgeting (Maillard, Roncalli & Teïletche 2010): find w ≥ 0, Σw = 1 with risk
//! contributions RC_i = w_i·(Σw)_i / √(wᵀΣw) proportional to budgets b_i. Solved through the
//! strictly convex problem min ½yᵀΣy − Σ b_i ln y_i (y > 0), w = y / Σy, by cyclical coordinate
//! descent (Griveau-Billion, Richard & Roncalli 2013): each coordinate has the closed form
//! y_i = (−c_i + √(c_i² + 4Σ_ii b_i)) / (2Σ_ii), c_i = Σ_{j≠i} Σ_ij y_j.

use nalgebra::DMatrix;

use crate::optimize::OptimizeError;

/// Risk-parity weights (equal budgets when `budgets` is `None`).
pub fn risk_parity(
    cov: &DMatrix<f64>,
    budgets: Option<&[f64]>,
    tol: f64,
    max_iter: usize,
) -> Result<Vec<f64>, OptimizeError> {
    let n = cov.nrows();
    if cov.ncols() != n || n == 0 {
        return Err(OptimizeError::Shape {
            what: "covariance (square, non-empty)",
            expected: n.max(1),
            got: cov.ncols(),
        });
    }
    let equal = vec![1.0 / n as f64; n];
    let b = budgets.unwrap_or(&equal);
    if b.len() != n {
        return Err(OptimizeError::Shape {
            what: "risk budgets",
            expected: n,
            got: b.len(),
        });
    }
    if let Some(v) = b.iter().find(|v| !(**v > 0.0)) {
        return Err(OptimizeError::BadParameter {
            name: "risk budget",
            value: *v,
            why: "every budget must be positive",
        });
    }
    if let Some(i) = (0..n).find(|&i| !(cov[(i, i)] > 0.0)) {
        return Err(OptimizeError::BadParameter {
            name: "variance",
            value: cov[(i, i)],
            why: "every asset needs a positive variance",
        });
    }
    let mut y: Vec<f64> = (0..n).map(|i| 1.0 / cov[(i, i)].sqrt()).collect();
    for _ in 0..max_iter {
        let mut change = 0.0f64;
        for i in 0..n {
            let c: f64 = (0..n).filter(|&j| j != i).map(|j| cov[(i, j)] * y[j]).sum();
            let s = cov[(i, i)];
            let new = (-c + (c * c + 4.0 * s * b[i]).sqrt()) / (2.0 * s);
            change = change.max((new - y[i]).abs() / new.abs().max(1e-300));
            y[i] = new;
        }
        if change < tol {
            let total: f64 = y.iter().sum();
            return Ok(y.iter().map(|v| v / total).collect());
        }
    }
    Err(OptimizeError::Solver(format!(
        "risk parity did not converge in {max_iter} sweeps"
    )))
}

/// Risk contributions RC_i = w_i (Σw)_i / √(wᵀΣw); they sum to the portfolio volatility.
pub fn risk_contributions(cov: &DMatrix<f64>, w: &[f64]) -> Vec<f64> {
    let n = w.len();
    let sw: Vec<f64> = (0..n)
        .map(|i| (0..n).map(|j| cov[(i, j)] * w[j]).sum())
        .collect();
    let vol = w.iter().zip(&sw).map(|(a, b)| a * b).sum::<f64>().sqrt();
    w.iter().zip(&sw).map(|(a, b)| a * b / vol).collect()
}
