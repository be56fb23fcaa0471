//! Covariance of the estimates: classic −H⁻¹, or Bollerslev–Wooldridge (1992) robust
//! A⁻¹ B A⁻¹ / n with A = −H/n and B the sample covariance of the per-observation scores
//! (`arch`'s `cov_type="robust"`, its default).
//!
//! H is the Hessian of ℓ by central differences of the analytic gradient (one evaluation of
//! 2k gradients at the optimum).

use crate::likelihood::Model;
use crate::spec::CovType;
use af_optim::numdiff::hessian_from_gradient;
use nalgebra::DMatrix;

/// Row-major `k × k` covariance, or `None` when the Hessian is not invertible.
pub(crate) fn param_cov(model: &mut Model, theta: &[f64], cov: CovType) -> Option<Vec<f64>> {
    let k = theta.len();
    let n = model.nobs();
    let h = hessian_from_gradient(
        |x, g| {
            model.loglik_grad(x, g);
        },
        theta,
    );
    if h.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let neg_h = DMatrix::from_row_slice(k, k, &h).map(|v| -v);
    let inv = neg_h.try_inverse()?;
    let out = match cov {
        CovType::Classic => inv,
        CovType::Robust => {
            let mut scores = vec![0.0; n * k];
            model.scores(theta, &mut scores);
            let mut means = vec![0.0; k];
            for row in scores.chunks_exact(k) {
                for (m, v) in means.iter_mut().zip(row) {
                    *m += v / n as f64;
                }
            }
            let mut b = DMatrix::<f64>::zeros(k, k);
            let mut d = vec![0.0; k];
            for row in scores.chunks_exact(k) {
                for i in 0..k {
                    d[i] = row[i] - means[i];
                }
                for i in 0..k {
                    for j in 0..=i {
                        b[(i, j)] += d[i] * d[j];
                    }
                }
            }
            for i in 0..k {
                for j in 0..i {
                    b[(j, i)] = b[(i, j)];
                }
            }
            b /= (n - 1) as f64;
            // (H/n)⁻¹ B (H/n)⁻¹ / n = n · H⁻¹ B H⁻¹.
            &inv * b * &inv * n as f64
        }
    };
    let v: Vec<f64> = out.transpose().iter().copied().collect();
    v.iter().all(|x| x.is_finite()).then_some(v)
}
