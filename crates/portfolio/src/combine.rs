//! Alpha combination weights (PRODUCT A3, A8).
//!
//! * [`equal_weights`] — 1/N.
//! * [`ic_weights`] — weights ∝ max(IC_i, 0) (alphas with no positive IC get nothing), normalized
//!   to sum to 1; all non-positive → error.
//! * [`kakushadze_yu`] — Kakushadze & Yu (2017), "How to Combine a Billion Alphas", J. Asset
//!   Management 18: linear in the number of alphas N, for N ≫ M observations. With R (N × (M+1))
//!   alpha returns, most recent first:
//!     1. X_is = R_is − mean_s R_is (serial demeaning);
//!     2. σ_i² = Σ_s X_is² / M;  Y_is = X_is / σ_i;
//!     3. keep the first M − 1 columns of Y; Λ_is = Y_is − mean_j Y_js (cross-sectional demeaning);
//!     4. Ẽ_i = E_i / σ_i with E_i the expected return (e.g. a moving average of R_i);
//!     5. regress Ẽ on the columns of Λ without intercept; residuals ε̃ (through the
//!        (M−1) × (M−1) Gram matrix ΛᵀΛ when N > M − 1, see [`kakushadze_yu`]);
//!     6. w_i = η·ε̃_i / σ_i with η such that Σ|w_i| = 1.
//! * [`portfolio_ir`], [`marginal_ir`], [`should_add_alpha`] — the A8 economics:
//!   IR = √(Σ IC_i²) for independent alphas; a new alpha of correlation ρ with the book adds
//!   IC_eff = IC·(1 − ρ); add it when the IR gain minus its cost exceeds 0.01.

use nalgebra::{DMatrix, DVector};

use crate::optimize::{dense, OptimizeError};

/// 1/N for each of `n` alphas.
pub fn equal_weights(n: usize) -> Vec<f64> {
    vec![1.0 / n.max(1) as f64; n]
}

/// Weights proportional to the positive part of each alpha's IC.
pub fn ic_weights(ic: &[f64]) -> Result<Vec<f64>, OptimizeError> {
    let pos: Vec<f64> = ic
        .iter()
        .map(|v| if v.is_finite() { v.max(0.0) } else { 0.0 })
        .collect();
    let total: f64 = pos.iter().sum();
    if !(total > 0.0) {
        return Err(OptimizeError::BadParameter {
            name: "information coefficients",
            value: total,
            why: "no alpha has a positive IC, so IC weighting gives nothing",
        });
    }
    Ok(pos.iter().map(|v| v / total).collect())
}

/// Kakushadze–Yu weights from alpha returns `r` (N alphas × (M+1) periods, column 0 the most
/// recent) and expected returns `e` (length N). Needs M ≥ 2.
pub fn kakushadze_yu(r: &DMatrix<f64>, e: &[f64]) -> Result<Vec<f64>, OptimizeError> {
    let (n, m1) = (r.nrows(), r.ncols());
    if e.len() != n {
        return Err(OptimizeError::Shape {
            what: "expected returns",
            expected: n,
            got: e.len(),
        });
    }
    if m1 < 3 {
        return Err(OptimizeError::Shape {
            what: "alpha return periods (M + 1 ≥ 3)",
            expected: 3,
            got: m1,
        });
    }
    if let Some(v) = r.iter().chain(e).find(|v| !v.is_finite()) {
        return Err(OptimizeError::BadParameter {
            name: "alpha return",
            value: *v,
            why: "fill or drop missing alpha returns before combining",
        });
    }
    let m = m1 - 1;
    // Column by column (each column is one period across all alphas, contiguous); per alpha
    // the sums run over periods in order, as a row-wise loop would.
    let mut mean = vec![0.0; n];
    for col in r.as_slice().chunks_exact(n) {
        for (acc, v) in mean.iter_mut().zip(col) {
            *acc += v;
        }
    }
    for v in &mut mean {
        *v /= m1 as f64;
    }
    let mut sigma = vec![0.0; n];
    for col in r.as_slice().chunks_exact(n) {
        for ((acc, v), mu) in sigma.iter_mut().zip(col).zip(&mean) {
            *acc += (v - mu) * (v - mu);
        }
    }
    for v in &mut sigma {
        let var = *v / m as f64;
        if !(var > 0.0) {
            return Err(OptimizeError::BadParameter {
                name: "alpha return variance",
                value: var,
                why: "an alpha with constant returns cannot be weighted; drop it",
            });
        }
        *v = var.sqrt();
    }
    let mut y = DMatrix::<f64>::zeros(n, m - 1);
    for (out, col) in y
        .as_mut_slice()
        .chunks_exact_mut(n)
        .zip(r.as_slice().chunks_exact(n))
    {
        for (((o, v), mu), sd) in out.iter_mut().zip(col).zip(&mean).zip(&sigma) {
            *o = (v - mu) / sd;
        }
    }
    for col in y.as_mut_slice().chunks_exact_mut(n) {
        let mean = col.iter().sum::<f64>() / n as f64;
        for v in col {
            *v -= mean;
        }
    }
    let et = DVector::from_iterator(n, e.iter().zip(&sigma).map(|(a, b)| a / b));
    let resid = regression_residuals(&y, &et)?;
    let raw: Vec<f64> = resid.iter().zip(&sigma).map(|(a, b)| a / b).collect();
    let l1: f64 = raw.iter().map(|v| v.abs()).sum();
    if !(l1 > 0.0) {
        return Err(OptimizeError::Solver(
            "expected returns are fully explained by the return factors: all weights are zero"
                .into(),
        ));
    }
    Ok(raw.iter().map(|v| v / l1).collect())
}

/// Residuals ε̃ = Ẽ − Λβ of the least-squares regression of Ẽ on the columns of Λ (N × K), no
/// intercept. For N > K (many alphas, the method's case) through the K × K Gram matrix:
/// ΛᵀΛ·β = ΛᵀẼ by Cholesky, then one step of iterative refinement β += (ΛᵀΛ)⁻¹Λᵀε̃, which brings
/// the residuals to the accuracy of an orthogonal factorization for a well-conditioned Λ —
/// N·K² flops in gemm instead of an SVD. A Λ whose Gram matrix is not numerically positive
/// definite (rank deficient: N ≤ K, collinear returns) goes through the SVD with numpy's
/// `lstsq` cut-off, giving the minimum-norm solution.
fn regression_residuals(
    lam: &DMatrix<f64>,
    et: &DVector<f64>,
) -> Result<DVector<f64>, OptimizeError> {
    let (n, k) = (lam.nrows(), lam.ncols());
    if n > k {
        let gram = dense::gram(lam);
        let diag_max = gram.diagonal().max();
        let mut l = gram;
        if dense::cholesky_in_place(&mut l).is_ok() {
            // Reject a numerically singular Gram matrix: min pivot² relative to the largest
            // diagonal below what a well-posed regression can resolve.
            let min_pivot = l.diagonal().min();
            if min_pivot * min_pivot > 1e-10 * diag_max {
                let mut beta = lam.tr_mul(et).as_slice().to_vec();
                dense::cholesky_solve(&l, &mut beta);
                let mut resid = et - lam * DVector::from_column_slice(&beta);
                let mut step = lam.tr_mul(&resid).as_slice().to_vec();
                dense::cholesky_solve(&l, &mut step);
                for (b, s) in beta.iter_mut().zip(&step) {
                    *b += s;
                }
                resid = et - lam * DVector::from_column_slice(&beta);
                return Ok(resid);
            }
        }
    }
    let eps = f64::EPSILON * n.max(k) as f64;
    let svd = lam.clone().svd(true, true);
    let cut = eps * svd.singular_values.max();
    let beta = svd
        .solve(et, cut)
        .map_err(|msg| OptimizeError::Solver(msg.to_string()))?;
    Ok(et - lam * beta)
}

/// PRODUCT A8: IR of independent alphas, √(Σ IC_i²).
pub fn portfolio_ir(ic: &[f64]) -> f64 {
    ic.iter().map(|v| v * v).sum::<f64>().sqrt()
}

/// IR gain from adding an alpha of information coefficient `ic` and correlation `rho` with the
/// existing book: √(IR² + (IC·(1 − ρ))²) − IR.
pub fn marginal_ir(current_ir: f64, ic: f64, rho: f64) -> f64 {
    let eff = ic * (1.0 - rho);
    (current_ir * current_ir + eff * eff).sqrt() - current_ir
}

/// PRODUCT A8: add the alpha only when its IR gain net of `cost` exceeds 0.01.
pub fn should_add_alpha(current_ir: f64, ic: f64, rho: f64, cost: f64) -> bool {
    marginal_ir(current_ir, ic, rho) - cost > 0.01
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_weightings_and_economics() {
        assert_eq!(equal_weights(4), vec![0.25; 4]);
        assert_eq!(
            ic_weights(&[0.02, -0.01, 0.06]).unwrap(),
            vec![0.25, 0.0, 0.75]
        );
        assert!(ic_weights(&[-0.1, f64::NAN]).is_err());
        // √(0.03² + 0.04²) = 0.05
        assert!((portfolio_ir(&[0.03, 0.04]) - 0.05).abs() < 1e-15);
        // IR 0.05 + an alpha of IC 0.12 at ρ = 0.5 → IC_eff 0.06 → √(0.0025 + 0.0036) − 0.05
        let gain = marginal_ir(0.05, 0.12, 0.5);
        assert!((gain - (0.0061f64.sqrt() - 0.05)).abs() < 1e-15);
        assert!(should_add_alpha(0.05, 0.12, 0.5, 0.0));
        assert!(!should_add_alpha(0.05, 0.12, 0.5, 0.02));
    }
}
