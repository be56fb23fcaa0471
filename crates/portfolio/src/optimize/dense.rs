//! Dense symmetric kernels shared by the optimizer and the alpha combination: a blocked
//! Cholesky factorization whose trailing updates go through nalgebra's `gemm` (matrixmultiply,
//! with run-time AVX/FMA dispatch), triangular solves on contiguous columns, and the Gram matrix
//! XᵀX computed on the lower block triangle only.
//!
//! All matrices are nalgebra column-major; a factor `L` is lower triangular with the strict upper
//! triangle left as whatever the input held there (never read).

use nalgebra::{DMatrix, DMatrixView, DMatrixViewMut, Dyn, Matrix, Storage};

/// Block size of the factorization and of the Gram matrix.
const NB: usize = 64;

/// target = alpha·a·b + beta·target. nalgebra hands products of dimensions > 5 to
/// matrixmultiply; smaller ones are done here (its own small-size path mis-indexes views).
fn gemm<SA: Storage<f64, Dyn, Dyn>, SB: Storage<f64, Dyn, Dyn>>(
    target: &mut DMatrixViewMut<f64>,
    alpha: f64,
    a: &Matrix<f64, Dyn, Dyn, SA>,
    b: &Matrix<f64, Dyn, Dyn, SB>,
    beta: f64,
) {
    if a.nrows().min(a.ncols()).min(b.ncols()) > 5 {
        target.gemm(alpha, a, b, beta);
        return;
    }
    for j in 0..b.ncols() {
        for i in 0..a.nrows() {
            let dot: f64 = (0..a.ncols()).map(|k| a[(i, k)] * b[(k, j)]).sum();
            target[(i, j)] = alpha * dot + beta * target[(i, j)];
        }
    }
}

/// Unblocked lower Cholesky of the `kb × kb` diagonal block at `(k, k)`; `Err(column)` when a
/// pivot is not positive (the matrix is not positive definite to working precision).
fn factor_diagonal_block(a: &mut DMatrix<f64>, k: usize, kb: usize) -> Result<(), usize> {
    let n = a.nrows();
    let data = a.as_mut_slice();
    for j in k..k + kb {
        // a[j.., j] −= Σ_{l<j in block} a[j.., l]·a[j, l]
        for l in k..j {
            let f = data[l * n + j];
            if f != 0.0 {
                let (head, tail) = data.split_at_mut(j * n);
                let src = &head[l * n + j..l * n + k + kb];
                for (d, s) in tail[j..k + kb].iter_mut().zip(src) {
                    *d -= f * s;
                }
            }
        }
        let d = data[j * n + j];
        if !(d > 0.0) || !d.is_finite() {
            return Err(j);
        }
        let s = d.sqrt();
        for v in &mut data[j * n + j..j * n + k + kb] {
            *v /= s;
        }
    }
    Ok(())
}

/// In-place lower Cholesky factorization A = L·Lᵀ of a symmetric positive-definite matrix (only
/// the lower triangle is read). `Err(column)` names the first non-positive pivot.
pub(crate) fn cholesky_in_place(a: &mut DMatrix<f64>) -> Result<(), usize> {
    let n = a.nrows();
    let mut k = 0;
    while k < n {
        let kb = NB.min(n - k);
        factor_diagonal_block(a, k, kb)?;
        let m = n - k - kb;
        if m > 0 {
            // Panel: L21 = A21·L11⁻ᵀ, column by column of the block.
            let data = a.as_mut_slice();
            for j in k..k + kb {
                for l in k..j {
                    let f = data[l * n + j];
                    if f != 0.0 {
                        let (head, tail) = data.split_at_mut(j * n);
                        let src = &head[l * n + k + kb..l * n + n];
                        for (d, s) in tail[k + kb..n].iter_mut().zip(src) {
                            *d -= f * s;
                        }
                    }
                }
                let d = data[j * n + j];
                for v in &mut data[j * n + k + kb..j * n + n] {
                    *v /= d;
                }
            }
            // Trailing update A22 −= L21·L21ᵀ, lower block triangle only, through gemm.
            let panel = a.view((k + kb, k), (m, kb)).into_owned();
            let panel_t = panel.transpose();
            let mut jb = 0;
            while jb < m {
                let cb = NB.min(m - jb);
                let mut target = a.view_mut((k + kb + jb, k + kb + jb), (m - jb, cb));
                gemm(
                    &mut target,
                    -1.0,
                    &panel.rows(jb, m - jb),
                    &panel_t.columns(jb, cb),
                    1.0,
                );
                jb += cb;
            }
        }
        k += kb;
    }
    Ok(())
}

/// Solve L·Lᵀ·x = b in place (`x` holds b on entry) with the factor of [`cholesky_in_place`].
pub(crate) fn cholesky_solve(l: &DMatrix<f64>, x: &mut [f64]) {
    let n = l.nrows();
    let data = l.as_slice();
    // Forward: L·y = b, column-oriented (contiguous axpy).
    for j in 0..n {
        let col = &data[j * n..(j + 1) * n];
        let v = x[j] / col[j];
        x[j] = v;
        if v != 0.0 {
            for (xi, c) in x[j + 1..].iter_mut().zip(&col[j + 1..]) {
                *xi -= v * c;
            }
        }
    }
    // Backward: Lᵀ·x = y, row of Lᵀ = column of L (contiguous dot).
    for j in (0..n).rev() {
        let col = &data[j * n..(j + 1) * n];
        let d = dot(&x[j + 1..], &col[j + 1..]);
        x[j] = (x[j] - d) / col[j];
    }
}

/// Σ a_i·b_i with four independent partial sums (so the compiler can keep them in SIMD lanes).
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// scale·A·x for a column-major square `a`, by columns (contiguous axpy), skipping the zero
/// entries of `x` (most weights of a long-only book).
pub(crate) fn matvec(a: &DMatrix<f64>, x: &[f64], scale: f64) -> Vec<f64> {
    let n = a.nrows();
    let mut out = vec![0.0; n];
    for (col, &xj) in a.as_slice().chunks_exact(n).zip(x) {
        if xj != 0.0 {
            let f = scale * xj;
            for (o, c) in out.iter_mut().zip(col) {
                *o += f * c;
            }
        }
    }
    out
}

/// XᵀX (p × p, symmetric, both triangles filled) of a column-major `rows × p` matrix, computing
/// only the lower block triangle through gemm.
pub(crate) fn gram(x: &DMatrix<f64>) -> DMatrix<f64> {
    let (rows, p) = (x.nrows(), x.ncols());
    let mut g = DMatrix::<f64>::zeros(p, p);
    // Xᵀ as a strided view: element (c, r) of Xᵀ sits at r + c·rows.
    let xt = DMatrixView::from_slice_with_strides(x.as_slice(), p, rows, rows, 1);
    let mut jb = 0;
    while jb < p {
        let cb = NB.min(p - jb);
        let mut target = g.view_mut((jb, jb), (p - jb, cb));
        gemm(
            &mut target,
            1.0,
            &xt.rows(jb, p - jb),
            &x.columns(jb, cb),
            0.0,
        );
        jb += cb;
    }
    for j in 0..p {
        for i in 0..j {
            g[(i, j)] = g[(j, i)];
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spd(n: usize) -> DMatrix<f64> {
        let x = DMatrix::from_fn(n + 7, n, |i, j| {
            ((i * 31 + j * 17) % 23) as f64 / 23.0 - 0.4
        });
        let mut g = gram(&x);
        for i in 0..n {
            g[(i, i)] += 0.5;
        }
        g
    }

    #[test]
    fn gram_matches_the_naive_product() {
        let x = DMatrix::from_fn(150, 139, |i, j| ((i * 13 + j * 7) % 19) as f64 - 9.0);
        let want = x.transpose() * &x;
        assert!((gram(&x) - want).amax() < 1e-9);
    }

    #[test]
    fn blocked_cholesky_solves_and_reports_indefinite_pivots() {
        for n in [1, 5, 64, 65, 200] {
            let a = spd(n);
            let mut l = a.clone();
            cholesky_in_place(&mut l).unwrap();
            let b: Vec<f64> = (0..n).map(|i| (i as f64).sin()).collect();
            let mut x = b.clone();
            cholesky_solve(&l, &mut x);
            let r = &a * nalgebra::DVector::from_column_slice(&x);
            for (ri, bi) in r.iter().zip(&b) {
                assert!((ri - bi).abs() < 1e-9, "n = {n}");
            }
        }
        let mut bad = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 1.0]);
        assert_eq!(cholesky_in_place(&mut bad), Err(1));
    }
}
