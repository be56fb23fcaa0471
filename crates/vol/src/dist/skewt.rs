//! Hansen's (1994) skewed Student's t, standardized to zero mean and unit variance,
//! η ∈ (2, ∞) degrees of freedom and skewness λ ∈ (−1, 1):
//!
//! f(z) = b·c·(1 + ((b z + a)/(1 − λ))²/(η − 2))^{−(η+1)/2}  for z < −a/b,
//! f(z) = b·c·(1 + ((b z + a)/(1 + λ))²/(η − 2))^{−(η+1)/2}  for z ≥ −a/b,
//! c = Γ((η+1)/2)/(√(π(η−2)) Γ(η/2)), a = 4λc(η−2)/(η−1), b² = 1 + 3λ² − a².
//!
//! The gradient in (η, λ) is taken by central differences per observation (the constants a, b, c
//! make the closed form long); the gradient in z is analytic.

use super::Shape;
use crate::fused::Aux;
use statrs::distribution::{ContinuousCDF, StudentsT as StatT};
use statrs::function::gamma::ln_gamma;

const STEP: f64 = 1e-6;

/// Constants of one (η, λ) pair.
#[derive(Debug, Clone, Copy)]
struct Consts {
    eta: f64,
    lam: f64,
    a: f64,
    b: f64,
    c0: f64,
    inv_em2: f64,
}

impl Consts {
    fn new(eta: f64, lam: f64) -> Self {
        let ln_c = ln_gamma(0.5 * (eta + 1.0))
            - ln_gamma(0.5 * eta)
            - 0.5 * (std::f64::consts::PI * (eta - 2.0)).ln();
        let c = ln_c.exp();
        let a = 4.0 * lam * c * (eta - 2.0) / (eta - 1.0);
        let b = (1.0 + 3.0 * lam * lam - a * a).sqrt();
        Consts {
            eta,
            lam,
            a,
            b,
            c0: b.ln() + ln_c,
            inv_em2: 1.0 / (eta - 2.0),
        }
    }

    /// 1 + u²/(η−2), the argument of the ln in g.
    #[inline(always)]
    fn w(&self, z: f64) -> f64 {
        let s = if z * self.b + self.a < 0.0 {
            1.0 - self.lam
        } else {
            1.0 + self.lam
        };
        let u = (self.b * z + self.a) / s;
        1.0 + u * u * self.inv_em2
    }

    #[inline(always)]
    fn g(&self, z: f64) -> f64 {
        let s = if z * self.b + self.a < 0.0 {
            1.0 - self.lam
        } else {
            1.0 + self.lam
        };
        let u = (self.b * z + self.a) / s;
        -0.5 * (self.eta + 1.0) * (u * u * self.inv_em2).ln_1p()
    }
}

/// Hansen's skewed t with its finite-difference neighbours.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SkewStudent {
    k: Consts,
    /// (η+h, η−h, λ+h, λ−h) neighbours for the parameter gradient.
    nb: [Consts; 4],
    h: [f64; 2],
}

impl SkewStudent {
    /// `eta` > 2, |`lam`| < 1 (checked by the caller's bounds).
    pub fn new(eta: f64, lam: f64) -> Self {
        let he = STEP * eta.abs().max(1.0);
        let hl = STEP;
        SkewStudent {
            k: Consts::new(eta, lam),
            nb: [
                Consts::new(eta + he, lam),
                Consts::new(eta - he, lam),
                Consts::new(eta, lam + hl),
                Consts::new(eta, lam - hl),
            ],
            h: [he, hl],
        }
    }

    /// Quantile of the unit-variance t with η degrees of freedom.
    fn t_ppf(&self, p: f64) -> f64 {
        let eta = self.k.eta;
        StatT::new(0.0, 1.0, eta)
            .map(|t| t.inverse_cdf(p) * ((eta - 2.0) / eta).sqrt())
            .unwrap_or(f64::NAN)
    }
}

impl Shape for SkewStudent {
    fn c0(&self) -> f64 {
        self.k.c0
    }

    fn dc0(&self) -> [f64; 2] {
        [
            (self.nb[0].c0 - self.nb[1].c0) / (2.0 * self.h[0]),
            (self.nb[2].c0 - self.nb[3].c0) / (2.0 * self.h[1]),
        ]
    }

    #[inline(always)]
    fn g(&self, z: f64) -> f64 {
        self.k.g(z)
    }

    #[inline(always)]
    fn g_grad(&self, z: f64, dp: &mut [f64; 2]) -> (f64, f64) {
        let k = &self.k;
        let s = if z * k.b + k.a < 0.0 {
            1.0 - k.lam
        } else {
            1.0 + k.lam
        };
        let u = (k.b * z + k.a) / s;
        let g = -0.5 * (k.eta + 1.0) * (u * u * k.inv_em2).ln_1p();
        let gz = -(k.eta + 1.0) * u * k.b / ((k.eta - 2.0 + u * u) * s);
        dp[0] += (self.nb[0].g(z) - self.nb[1].g(z)) / (2.0 * self.h[0]);
        dp[1] += (self.nb[2].g(z) - self.nb[3].g(z)) / (2.0 * self.h[1]);
        (g, gz)
    }

    #[inline(always)]
    fn ev_step(
        &self,
        e: f64,
        v: f64,
        inv_v: f64,
        _dp: &mut [f64; 2],
        aux: &mut Aux,
    ) -> (f64, f64, f64) {
        // Every ln(1 + u²/(η−2)) — of the estimate and of its four finite-difference
        // neighbours — is deferred to a blocked sum; `ev_finish` assembles g and ∂g/∂(η, λ).
        let sd = v.sqrt();
        let z = e / sd;
        let k = &self.k;
        let s = if z * k.b + k.a < 0.0 {
            1.0 - k.lam
        } else {
            1.0 + k.lam
        };
        let u = (k.b * z + k.a) / s;
        aux[0].add(1.0 + u * u * k.inv_em2);
        for (slot, nb) in aux[1..].iter_mut().zip(&self.nb) {
            slot.add(nb.w(z));
        }
        let gz = -(k.eta + 1.0) * u * k.b / ((k.eta - 2.0 + u * u) * s);
        (0.0, gz / sd, -0.5 * (1.0 + z * gz) * inv_v)
    }

    #[inline(always)]
    fn ev_value(&self, e: f64, v: f64, _inv_v: f64, aux: &mut Aux) -> f64 {
        aux[0].add(self.k.w(e / v.sqrt()));
        0.0
    }

    #[inline(always)]
    fn ev_finish(&self, aux: [f64; 5], sum_g: &mut f64, dp: &mut [f64; 2]) {
        let g = |c: &Consts, l: f64| -0.5 * (c.eta + 1.0) * l;
        *sum_g += g(&self.k, aux[0]);
        dp[0] += (g(&self.nb[0], aux[1]) - g(&self.nb[1], aux[2])) / (2.0 * self.h[0]);
        dp[1] += (g(&self.nb[2], aux[3]) - g(&self.nb[3], aux[4])) / (2.0 * self.h[1]);
    }

    fn ppf(&self, p: f64) -> f64 {
        let k = &self.k;
        let cut = (1.0 - k.lam) / 2.0;
        let w = if p < cut {
            (1.0 - k.lam) * self.t_ppf(p / (1.0 - k.lam))
        } else {
            (1.0 + k.lam) * self.t_ppf(0.5 + (p - cut) / (1.0 + k.lam))
        };
        (w - k.a) / k.b
    }

    fn lower_tail_mean(&self, alpha: f64) -> f64 {
        super::lower_tail_mean_numeric(self, alpha)
    }

    fn draw(&self, rng: &mut rand_chacha::ChaCha20Rng) -> f64 {
        use rand::RngExt;
        // Two-piece construction: W = |V|, V a unit-variance t_η; left piece w.p. (1−λ)/2.
        let eta = self.k.eta;
        let Ok(t) = rand_distr::StudentT::new(eta) else {
            return f64::NAN;
        };
        let v: f64 = rng.sample(t);
        let w = v.abs() * ((eta - 2.0) / eta).sqrt();
        let left = rng.random::<f64>() < (1.0 - self.k.lam) / 2.0;
        let w = if left {
            -(1.0 - self.k.lam) * w
        } else {
            (1.0 + self.k.lam) * w
        };
        (w - self.k.a) / self.k.b
    }
}
