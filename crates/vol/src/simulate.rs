//! Simulation of a GARCH-family process with given parameters.
//!
//! The variance starts at its unconditional level (ω/(1 − Σα − ½Σγ − Σβ) in the recursion's
//! units, ω/(1 − Σβ) for ln σ² in EGARCH), the mean at its unconditional level, and the first
//! `burn` draws are discarded. Innovations are drawn from the model's standardized distribution
//! with a seeded ChaCha20 generator, so a seed reproduces a path on every platform.

use crate::dist::AnyDist;
use crate::error::FitError;
use crate::forecast::next_sigma2;
use crate::spec::{GarchSpec, MeanSpec, VolKind};
use crate::variance::VolModel;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde::Serialize;

/// A simulated series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimulatedPath {
    /// Simulated observations y_t.
    pub y: Vec<f64>,
    /// Conditional volatility σ_t.
    pub conditional_volatility: Vec<f64>,
    /// Standardized innovations z_t (ε_t = σ_t z_t).
    pub errors: Vec<f64>,
}

/// Simulates `nobs` observations after `burn` discarded ones.
pub(crate) fn simulate(
    spec: &GarchSpec,
    theta: &[f64],
    nobs: usize,
    burn: usize,
    seed: u64,
) -> Result<SimulatedPath, FitError> {
    let km = crate::mean::MeanModel::num_params(spec.mean);
    let vol = VolModel::new(spec);
    let kv = vol.num_params();
    let (phi, rest) = theta.split_at(km);
    let (tv, nu) = rest.split_at(kv);
    let dist = AnyDist::new(spec.dist, nu);
    let (p, o, q) = (spec.p, spec.o, spec.q);
    let lags = p.max(o).max(q).max(1);
    let initial = match spec.vol {
        VolKind::Egarch => {
            let b: f64 = tv[1 + p + o..].iter().sum();
            let h = if b < 1.0 { tv[0] / (1.0 - b) } else { tv[0] };
            h.exp()
        }
        _ => {
            let persistence: f64 = tv[1..1 + p].iter().sum::<f64>()
                + 0.5 * tv[1 + p..1 + p + o].iter().sum::<f64>()
                + tv[1 + p + o..].iter().sum::<f64>();
            let s = if persistence < 1.0 {
                tv[0] / (1.0 - persistence)
            } else {
                tv[0]
            };
            if vol.power() == 1.0 {
                s * s
            } else {
                s
            }
        }
    };
    if !initial.is_finite() || initial <= 0.0 {
        return Err(FitError::InvalidParams {
            model: spec.to_string(),
            reason: format!("the implied initial variance {initial} is not positive and finite"),
        });
    }
    let total = nobs + burn;
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut eps = Vec::with_capacity(total + lags);
    let mut sig2 = Vec::with_capacity(total + lags);
    let mut z = Vec::with_capacity(total);
    // Pre-sample: `lags` values at the unconditional variance with ε² = σ².
    for _ in 0..lags {
        eps.push(initial.sqrt());
        sig2.push(initial);
    }
    for _ in 0..total {
        let s = next_sigma2(&vol, tv, &eps, &sig2).clamp(1e-300, 1e300);
        let zt = dist.draw(&mut rng);
        z.push(zt);
        eps.push(zt * s.sqrt());
        sig2.push(s);
    }
    let eps = &eps[lags..];
    let sig2 = &sig2[lags..];
    let mut y = Vec::with_capacity(total);
    match spec.mean {
        MeanSpec::Zero => y.extend_from_slice(eps),
        MeanSpec::Constant => y.extend(eps.iter().map(|e| phi[0] + e)),
        MeanSpec::Ar { lags: l } => {
            let sum_phi: f64 = phi[1..].iter().sum();
            let level = if sum_phi.abs() < 1.0 {
                phi[0] / (1.0 - sum_phi)
            } else {
                phi[0]
            };
            for t in 0..total {
                let mut v = phi[0] + eps[t];
                for i in 1..=l {
                    v += phi[i] * if t >= i { y[t - i] } else { level };
                }
                y.push(v);
            }
        }
    }
    Ok(SimulatedPath {
        y: y[burn..].to_vec(),
        conditional_volatility: sig2[burn..].iter().map(|v| v.sqrt()).collect(),
        errors: z[burn..].to_vec(),
    })
}
