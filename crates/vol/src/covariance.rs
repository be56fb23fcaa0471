//! Covariance of the estimates: classic −H⁻¹, or Bollerslev–Wooldridge (1992) robust
//! A⁻¹ B A⁻¹ / n with A = −H/n and B the sample covariance of the per-observation scores
//! (`arch`'s `cov_type="robust"`, its default).
//!
//! H and B come from one analytic pass where [`crate::hessian`] covers the model
//! (GARCH/GJR(1,1) with zero or constant mean, normal / t / skew-t errors). Elsewhere H is the
//! central difference of the analytic gradient (2k gradients at the optimum) and B comes from
//! the analytic per-observation scores.

use crate::hessian::{curvature, Curvature};
use crate::likelihood::Model;
use crate::spec::CovType;
use af_optim::numdiff::hessian_from_gradient;
use nalgebra::DMatrix;

/// Row-major `k × k` covariance, or `None` when the Hessian is not invertible.
pub(crate) fn param_cov(model: &mut Model, theta: &[f64], cov: CovType) -> Option<Vec<f64>> {
    let n = model.nobs();
    let analytic =
        curvature(model, theta).or_else(|| crate::hessian_egarch::curvature(model, theta));
    let curv = match analytic {
        Some(c) => c,
        None => numeric_curvature(model, theta, cov),
    };
    cov_from_curvature(&curv, n, cov)
}

/// The covariance from ℓ's Hessian and the score covariance over `n` observations.
pub(crate) fn cov_from_curvature(curv: &Curvature, n: usize, cov: CovType) -> Option<Vec<f64>> {
    let Curvature { hess, opg, .. } = curv;
    let k = (hess.len() as f64).sqrt().round() as usize;
    if k * k != hess.len() || opg.len() != hess.len() {
        return None;
    }
    if hess.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let neg_h = DMatrix::from_row_slice(k, k, hess).map(|v| -v);
    let inv = neg_h.try_inverse()?;
    let out = match cov {
        CovType::Classic => inv,
        CovType::Robust => {
            let b = DMatrix::from_row_slice(k, k, opg);
            // (H/n)⁻¹ B (H/n)⁻¹ / n = n · H⁻¹ B H⁻¹.
            &inv * b * &inv * n as f64
        }
    };
    let v: Vec<f64> = out.transpose().iter().copied().collect();
    v.iter().all(|x| x.is_finite()).then_some(v)
}

/// H by central differences of the analytic gradient; B (robust only) from the scores.
fn numeric_curvature(model: &mut Model, theta: &[f64], cov: CovType) -> Curvature {
    let k = theta.len();
    let n = model.nobs();
    let hess = hessian_from_gradient(
        |x, g| {
            model.loglik_grad(x, g);
        },
        theta,
    );
    let mut opg = vec![0.0; k * k];
    if cov == CovType::Robust {
        let mut scores = vec![0.0; n * k];
        model.scores(theta, &mut scores);
        let mut means = vec![0.0; k];
        for row in scores.chunks_exact(k) {
            for (m, v) in means.iter_mut().zip(row) {
                *m += v / n as f64;
            }
        }
        let mut d = vec![0.0; k];
        for row in scores.chunks_exact(k) {
            for i in 0..k {
                d[i] = row[i] - means[i];
            }
            for i in 0..k {
                for j in 0..=i {
                    opg[i * k + j] += d[i] * d[j];
                }
            }
        }
        for i in 0..k {
            for j in 0..=i {
                opg[i * k + j] /= (n - 1) as f64;
                opg[j * k + i] = opg[i * k + j];
            }
        }
    }
    Curvature {
        hess,
        opg,
        grad: Vec::new(),
        loglik: f64::NAN,
    }
}

/// [`numeric_curvature`] for the analytic pass's tests.
#[cfg(test)]
pub(crate) fn numeric_curvature_for_tests(
    model: &mut Model,
    theta: &[f64],
    cov: CovType,
) -> Curvature {
    numeric_curvature(model, theta, cov)
}
