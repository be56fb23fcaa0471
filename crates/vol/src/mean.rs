//! Conditional mean models: zero, constant and AR(p) with a constant (arch's `ZeroMean`,
//! `ConstantMean`, `ARX`).
//!
//! All three are linear in their parameters, r_t = x_tᵀ·φ + ε_t, so the residual derivative
//! ∂ε_t/∂φ = −x_t does not depend on φ; the estimator precomputes the regressors once.

use crate::error::FitError;
use crate::spec::MeanSpec;

/// A mean model bound to its data.
#[derive(Debug, Clone)]
pub(crate) struct MeanModel {
    spec: MeanSpec,
    /// Dependent values used in estimation (the first `lags` observations are held back for AR).
    pub y: Vec<f64>,
    /// Regressors, row-major `nobs × k` (empty for the zero mean).
    pub x: Vec<f64>,
    /// Number of mean parameters.
    pub k: usize,
}

impl MeanModel {
    /// Builds the regressors of `spec` on the full series `y`.
    pub fn new(spec: MeanSpec, y: &[f64]) -> MeanModel {
        match spec {
            MeanSpec::Zero => MeanModel {
                spec,
                y: y.to_vec(),
                x: Vec::new(),
                k: 0,
            },
            MeanSpec::Constant => MeanModel {
                spec,
                y: y.to_vec(),
                x: vec![1.0; y.len()],
                k: 1,
            },
            MeanSpec::Ar { lags } => {
                let k = lags + 1;
                let n = y.len().saturating_sub(lags);
                let mut x = Vec::with_capacity(n * k);
                for t in lags..y.len() {
                    x.push(1.0);
                    x.extend((1..=lags).map(|i| y[t - i]));
                }
                MeanModel {
                    spec,
                    y: y[lags.min(y.len())..].to_vec(),
                    x,
                    k,
                }
            }
        }
    }

    /// Parameter count of a mean spec.
    pub fn num_params(spec: MeanSpec) -> usize {
        match spec {
            MeanSpec::Zero => 0,
            MeanSpec::Constant => 1,
            MeanSpec::Ar { lags } => lags + 1,
        }
    }

    /// Parameter names as `arch` prints them: `mu`, or `Const`, `y[1]`, ….
    pub fn param_names(spec: MeanSpec) -> Vec<String> {
        match spec {
            MeanSpec::Zero => Vec::new(),
            MeanSpec::Constant => vec!["mu".to_string()],
            MeanSpec::Ar { lags } => std::iter::once("Const".to_string())
                .chain((1..=lags).map(|i| format!("y[{i}]")))
                .collect(),
        }
    }

    /// Observations used in estimation.
    pub fn nobs(&self) -> usize {
        self.y.len()
    }

    /// Mean parameters are unbounded.
    pub fn bounds(&self) -> Vec<(f64, f64)> {
        vec![(f64::NEG_INFINITY, f64::INFINITY); self.k]
    }

    /// Least-squares estimates (the sample mean for a constant).
    pub fn starting_values(&self) -> Result<Vec<f64>, FitError> {
        match self.spec {
            MeanSpec::Zero => Ok(Vec::new()),
            MeanSpec::Constant => Ok(vec![self.y.iter().sum::<f64>() / self.y.len() as f64]),
            MeanSpec::Ar { .. } => self.ols(),
        }
    }

    fn ols(&self) -> Result<Vec<f64>, FitError> {
        let (n, k) = (self.nobs(), self.k);
        let xtx = nalgebra::DMatrix::from_fn(k, k, |i, j| {
            (0..n)
                .map(|t| self.x[t * k + i] * self.x[t * k + j])
                .sum::<f64>()
        });
        let xty = nalgebra::DVector::from_fn(k, |i, _| {
            (0..n).map(|t| self.x[t * k + i] * self.y[t]).sum::<f64>()
        });
        xtx.cholesky()
            .map(|c| c.solve(&xty).iter().copied().collect())
            .ok_or_else(|| FitError::InvalidSpec {
                model: format!("{:?}", self.spec),
                reason: "the AR regressors are collinear (constant series?)".to_string(),
            })
    }

    /// Residuals ε_t = y_t − x_tᵀφ into `out`.
    pub fn resids(&self, phi: &[f64], out: &mut [f64]) {
        let k = self.k;
        match k {
            0 => out.copy_from_slice(&self.y),
            1 => {
                let mu = phi[0];
                for (e, y) in out.iter_mut().zip(&self.y) {
                    *e = y - mu;
                }
            }
            _ => {
                for (t, e) in out.iter_mut().enumerate() {
                    let row = &self.x[t * k..(t + 1) * k];
                    *e = self.y[t] - row.iter().zip(phi).map(|(a, b)| a * b).sum::<f64>();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ar_regressors_and_ols() {
        // y_t = 1 + 0.5 y_{t−1} exactly: OLS recovers (1, 0.5).
        let mut y = vec![0.3];
        for t in 1..20 {
            let prev: f64 = y[t - 1];
            y.push(1.0 + 0.5 * prev + if t % 2 == 0 { 0.01 } else { -0.01 } * 0.0);
        }
        y[5] += 0.2; // break exact collinearity with the constant once it converges
        let m = MeanModel::new(MeanSpec::Ar { lags: 1 }, &y);
        assert_eq!(m.nobs(), 19);
        assert_eq!(&m.x[0..2], &[1.0, y[0]]);
        let phi = m.starting_values().unwrap();
        assert_eq!(phi.len(), 2);
        let mut e = vec![0.0; 19];
        m.resids(&phi, &mut e);
        assert!(e.iter().map(|v| v * v).sum::<f64>() < 0.05);
        assert_eq!(
            MeanModel::param_names(MeanSpec::Ar { lags: 2 }),
            ["Const", "y[1]", "y[2]"]
        );
    }

    #[test]
    fn constant_mean_starts_at_sample_mean() {
        let m = MeanModel::new(MeanSpec::Constant, &[1.0, 2.0, 6.0]);
        assert_eq!(m.starting_values().unwrap(), vec![3.0]);
        let mut e = vec![0.0; 3];
        m.resids(&[3.0], &mut e);
        assert_eq!(e, vec![-2.0, -1.0, 3.0]);
    }
}
