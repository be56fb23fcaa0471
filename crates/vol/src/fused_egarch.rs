//! The fused EGARCH(1, o ≤ 1, 1) kernel (zero or constant mean), the log-variance sibling of
//! [`crate::fused::power11`]: same inputs, same distribution hooks, derivatives carried in
//! registers alongside the recursion.

use crate::dist::Shape;
use crate::fused::{Aux, Inputs, LnSum};

/// The EGARCH pre-sample shock e₀ (`None`: no pre-sample shock terms, as `arch`) and ∂e₀/∂μ.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shock {
    pub z: Option<f64>,
    pub dz: f64,
}

/// EGARCH(1, o ≤ 1, 1) with zero or constant mean, fused like [`power11`]:
/// h_t = ω + α(|e_{t−1}| − √(2/π)) + γ e_{t−1} + β h_{t−1}, e = ε·exp(−h/2), h₋₁ = backcast,
/// e₋₁ = `shock.z` (its two terms are left out when it is `None`).
/// `theta` = [μ (if M = 1), ω, α, γ (if O = 1), β, shape…]. Σ ln σ²_t is Σ h_t: no `ln` at all.
#[inline(never)]
pub(crate) fn egarch11<S: Shape, const M: usize, const O: usize, const GRAD: bool>(
    inp: &Inputs<'_>,
    theta: &[f64],
    dist: &S,
    kd: usize,
    shock: Shock,
    grad: &mut [f64],
) -> f64 {
    use crate::recursions::{LNSIGMA_MAX, SQRT_2_OVER_PI};
    const MAXD: usize = 5;
    let d = M + 3 + O;
    let (omega, alpha) = (theta[M], theta[M + 1]);
    let gamma = if O == 1 { theta[M + 2] } else { 0.0 };
    let beta = theta[M + 2 + O];
    let bc = inp.backcast;
    let mut g = [0.0f64; MAXD];
    let mut dp = [0.0f64; 2];
    let mut dh = [0.0f64; MAXD];
    let mut de = [0.0f64; MAXD];
    let mut aux: Aux = [
        LnSum::new(),
        LnSum::new(),
        LnSum::new(),
        LnSum::new(),
        LnSum::new(),
    ];
    let (mut sum_h, mut sum_g) = (0.0, 0.0);
    let (mut h_prev, mut e_prev) = (bc, 0.0f64);
    for t in 0..inp.resids.len() {
        let mut v = omega + beta * h_prev;
        let mut nd = [0.0f64; MAXD];
        if GRAD {
            nd[M] = 1.0;
            nd[M + 2 + O] = h_prev;
            for c in 0..d {
                nd[c] += beta * dh[c];
            }
        }
        if t == 0 {
            if GRAD && M == 1 {
                nd[0] += beta * inp.dbc;
            }
            if let Some(z0) = shock.z {
                let a = z0.abs() - SQRT_2_OVER_PI;
                v += alpha * a + gamma * z0;
                if GRAD {
                    nd[M + 1] += a;
                    if O == 1 {
                        nd[M + 2] += z0;
                    }
                    if M == 1 {
                        nd[0] += (alpha * z0.signum() + gamma) * shock.dz;
                    }
                }
            }
        } else {
            let a = e_prev.abs() - SQRT_2_OVER_PI;
            v += alpha * a + gamma * e_prev;
            if GRAD {
                nd[M + 1] += a;
                if O == 1 {
                    nd[M + 2] += e_prev;
                }
                let w = alpha * e_prev.signum() + gamma;
                for c in 0..d {
                    nd[c] += w * de[c];
                }
            }
        }
        // arch's bounds on σ² (see `recursions::egarch`), with the matching derivative rule.
        // One exp gives 1/σ = e^{−h/2}, which is all the next step needs (the critical path is
        // h → exp → e → h); σ² = 1/(1/σ)² only feeds the bounds check and the distribution.
        let capped = v > LNSIGMA_MAX;
        let vv = v.min(LNSIGMA_MAX);
        let mut inv_sd = (-0.5 * vv).exp();
        let mut inv_v = inv_sd * inv_sd;
        let mut s2 = 1.0 / inv_v;
        let mut h = vv;
        let mut fac = if capped { 0.0 } else { 1.0 };
        if s2 < inp.lo[t] || s2 > inp.hi[t] {
            if s2 < inp.lo[t] {
                s2 = inp.lo[t];
                fac = 0.0;
            } else {
                s2 = inp.hi[t] + vv - inp.hi[t].ln();
                fac /= s2;
            }
            h = s2.ln();
            inv_v = 1.0 / s2;
            inv_sd = inv_v.sqrt();
        }
        let e = inp.resids[t];
        sum_h += h;
        if GRAD {
            for c in 0..d {
                dh[c] = nd[c] * fac;
            }
            let (gv, l_e, l_v) = dist.ev_step(e, s2, inv_v, &mut dp, &mut aux);
            sum_g += gv;
            let cc = l_v * s2;
            for c in 0..d {
                g[c] += cc * dh[c];
            }
            if M == 1 {
                g[0] -= l_e;
            }
            let ez = e * inv_sd;
            for c in 0..d {
                de[c] = -0.5 * ez * dh[c];
            }
            if M == 1 {
                de[0] -= inv_sd;
            }
            e_prev = ez;
        } else {
            sum_g += dist.ev_value(e, s2, inv_v, &mut aux);
            e_prev = e * inv_sd;
        }
        h_prev = h;
    }
    let n = inp.resids.len() as f64;
    dist.ev_finish(aux.map(LnSum::finish), &mut sum_g, &mut dp);
    if GRAD {
        grad[..d].copy_from_slice(&g[..d]);
        let dc0 = dist.dc0();
        for i in 0..kd {
            grad[d + i] = dp[i] + n * dc0[i];
        }
    }
    n * dist.c0() - 0.5 * sum_h + sum_g
}
