//! Fused single-pass kernels for the common small models: constant or zero mean with the power
//! family at p = 1, o ≤ 1, q = 1 (GARCH(1,1), GJR(1,1,1), TARCH(1,1,1)).
//!
//! They compute exactly what the generic path ([`crate::recursions::power_garch_grad`] followed by
//! the distribution pass in [`crate::likelihood`]) computes — same recursion, same bounds, same
//! derivative rules — but keep s_{t−1} and ∂s_{t−1}/∂θ in registers and accumulate ℓ and ∇ℓ as
//! they go, with `M` (mean parameters) and `O` (asymmetric terms) fixed at compile time so every
//! inner loop unrolls. Σ ln σ²_t uses one `ln` per block of 16 (see [`crate::likelihood::sum_ln`]).

use crate::dist::Shape;

/// Inputs shared by the fused kernels.
#[derive(Clone, Copy)]
pub(crate) struct Inputs<'a> {
    pub resids: &'a [f64],
    pub lo: &'a [f64],
    pub hi: &'a [f64],
    pub backcast: f64,
    /// ∂backcast/∂μ (zero unless the backcast follows the residuals).
    pub dbc: f64,
    /// δ = 2 (σ²) or 1 (σ).
    pub power: f64,
}

/// Deferred ln sums a distribution may use in the fused kernels.
pub(crate) type Aux = [LnSum; 5];

/// Running Σ ln x via block products of mantissas (one `ln` per 16 values).
pub(crate) struct LnSum {
    prod: f64,
    count: u32,
    exp: i64,
    total: f64,
}

impl LnSum {
    /// Empty sum.
    #[inline(always)]
    pub fn new() -> Self {
        LnSum {
            prod: 1.0,
            count: 0,
            exp: 0,
            total: 0.0,
        }
    }

    /// Adds ln x (x > 0).
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        let bits = x.to_bits();
        let e = ((bits >> 52) & 0x7ff) as i64;
        if e == 0 || e == 0x7ff {
            self.total += x.ln();
            return;
        }
        self.prod *= f64::from_bits((bits & !(0x7ffu64 << 52)) | (1023u64 << 52));
        self.exp += e - 1023;
        self.count += 1;
        if self.count == 16 {
            self.total += self.prod.ln();
            self.prod = 1.0;
            self.count = 0;
        }
    }

    /// The total.
    #[inline(always)]
    pub fn finish(self) -> f64 {
        self.total + self.prod.ln() + self.exp as f64 * std::f64::consts::LN_2
    }
}

#[inline(always)]
fn bound(v: f64, lo: f64, hi: f64) -> (f64, f64) {
    // (bounded value, derivative factor)
    if v < lo {
        (lo, 0.0)
    } else if v > hi {
        if v.is_finite() {
            (hi + (v / hi).ln(), 1.0 / v)
        } else {
            (hi + 1000.0, 0.0)
        }
    } else {
        (v, 1.0)
    }
}

/// ℓ(θ) and, with `grad`, ∇ℓ for mean `M` ∈ {0, 1} and `O` ∈ {0, 1}.
/// `theta` = [μ (if M = 1), ω, α, γ (if O = 1), β, shape…]; `grad` has the same layout.
pub(crate) fn power11<S: Shape, const M: usize, const O: usize, const GRAD: bool>(
    inp: &Inputs<'_>,
    theta: &[f64],
    dist: &S,
    kd: usize,
    grad: &mut [f64],
) -> f64 {
    if inp.power == 2.0 {
        kernel::<S, M, O, GRAD, true>(inp, theta, dist, kd, grad)
    } else {
        kernel::<S, M, O, GRAD, false>(inp, theta, dist, kd, grad)
    }
}

/// [`power11`] with the power fixed at compile time (`TWO`: δ = 2).
#[inline(never)]
fn kernel<S: Shape, const M: usize, const O: usize, const GRAD: bool, const TWO: bool>(
    inp: &Inputs<'_>,
    theta: &[f64],
    dist: &S,
    kd: usize,
    grad: &mut [f64],
) -> f64 {
    const MAXD: usize = 5;
    let d = M + 3 + O;
    let (omega, alpha) = (theta[M], theta[M + 1]);
    let gamma = if O == 1 { theta[M + 2] } else { 0.0 };
    let beta = theta[M + 2 + O];
    let two = TWO;
    let bc = inp.backcast;
    let mut g = [0.0f64; MAXD];
    let mut dp = [0.0f64; 2];
    let mut ds = [0.0f64; MAXD];
    let mut lns = LnSum::new();
    let mut aux: Aux = [
        LnSum::new(),
        LnSum::new(),
        LnSum::new(),
        LnSum::new(),
        LnSum::new(),
    ];
    let mut sum_g = 0.0;
    // t = 0: pre-sample values are the backcast (half of it for the asymmetric term).
    let mut s_prev;
    let mut e_prev;
    {
        let raw = omega + alpha * bc + gamma * 0.5 * bc + beta * bc;
        let (s, fac) = bound(raw, inp.lo[0], inp.hi[0]);
        if GRAD {
            if M == 1 {
                ds[0] = (alpha + 0.5 * gamma + beta) * inp.dbc * fac;
            }
            ds[M] = fac;
            ds[M + 1] = bc * fac;
            if O == 1 {
                ds[M + 2] = 0.5 * bc * fac;
            }
            ds[M + 2 + O] = bc * fac;
        }
        s_prev = s;
        e_prev = inp.resids[0];
        sum_g += step::<S, M, GRAD>(
            s, two, e_prev, &ds, d, dist, &mut g, &mut dp, &mut lns, &mut aux,
        );
    }
    let rest = inp.resids[1..].iter().zip(&inp.lo[1..]).zip(&inp.hi[1..]);
    for ((&e, &lo), &hi) in rest {
        let ep = e_prev;
        let (f, fe) = if two {
            (ep * ep, 2.0 * ep)
        } else {
            (ep.abs(), ep.signum())
        };
        let neg = if ep < 0.0 { 1.0 } else { 0.0 };
        let raw = omega + (alpha + gamma * neg) * f + beta * s_prev;
        let (s, fac) = bound(raw, lo, hi);
        if GRAD {
            let mut nd = [0.0f64; MAXD];
            if M == 1 {
                nd[0] = -(alpha + gamma * neg) * fe + beta * ds[0];
            }
            nd[M] = 1.0 + beta * ds[M];
            nd[M + 1] = f + beta * ds[M + 1];
            if O == 1 {
                nd[M + 2] = f * neg + beta * ds[M + 2];
            }
            nd[M + 2 + O] = s_prev + beta * ds[M + 2 + O];
            for c in 0..d {
                ds[c] = nd[c] * fac;
            }
        }
        s_prev = s;
        e_prev = e;
        sum_g += step::<S, M, GRAD>(
            s, two, e_prev, &ds, d, dist, &mut g, &mut dp, &mut lns, &mut aux,
        );
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
    n * dist.c0() - 0.5 * lns.finish() + sum_g
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn step<S: Shape, const M: usize, const GRAD: bool>(
    s: f64,
    two: bool,
    e: f64,
    ds: &[f64; 5],
    d: usize,
    dist: &S,
    g: &mut [f64; 5],
    dp: &mut [f64; 2],
    lns: &mut LnSum,
    aux: &mut Aux,
) -> f64 {
    let v = if two { s } else { s * s };
    lns.add(v);
    let inv_v = 1.0 / v;
    if !GRAD {
        return dist.ev_value(e, v, inv_v, aux);
    }
    let (gv, l_e, l_v) = dist.ev_step(e, v, inv_v, dp, aux);
    let c = if two { l_v } else { l_v * 2.0 * s };
    for i in 0..d {
        g[i] += c * ds[i];
    }
    if M == 1 {
        g[0] -= l_e;
    }
    gv
}
