//! Standardized Student's t errors (unit variance, ν > 2 degrees of freedom; Bollerslev 1987):
//!
//! ℓ_t = ln Γ((ν+1)/2) − ln Γ(ν/2) − ½ ln(π(ν−2)) − ½ ln σ²_t − (ν+1)/2 · ln(1 + z²_t/(ν−2)),
//! z_t = ε_t/σ_t.

use super::second::{t_kernel, trigamma, Second, Shape2};
use super::Shape;
use crate::fused::Aux;
use statrs::distribution::{Continuous, ContinuousCDF, StudentsT as StatT};
use statrs::function::gamma::{digamma, ln_gamma};

/// Student's t standardized to unit variance.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StudentsT {
    nu: f64,
    c0: f64,
    dc0: f64,
    d2c0: f64,
    inv_nm2: f64,
}

impl StudentsT {
    /// `nu` > 2 (checked by the caller's bounds).
    pub fn new(nu: f64) -> Self {
        let c0 = ln_gamma(0.5 * (nu + 1.0))
            - ln_gamma(0.5 * nu)
            - 0.5 * (std::f64::consts::PI * (nu - 2.0)).ln();
        let dc0 = 0.5 * digamma(0.5 * (nu + 1.0)) - 0.5 * digamma(0.5 * nu) - 0.5 / (nu - 2.0);
        let d2c0 = 0.25 * trigamma(0.5 * (nu + 1.0)) - 0.25 * trigamma(0.5 * nu)
            + 0.5 / ((nu - 2.0) * (nu - 2.0));
        StudentsT {
            nu,
            c0,
            dc0,
            d2c0,
            inv_nm2: 1.0 / (nu - 2.0),
        }
    }

    fn scale(&self) -> f64 {
        ((self.nu - 2.0) / self.nu).sqrt()
    }
}

impl Shape for StudentsT {
    fn c0(&self) -> f64 {
        self.c0
    }

    fn dc0(&self) -> [f64; 2] {
        [self.dc0, 0.0]
    }

    #[inline(always)]
    fn g(&self, z: f64) -> f64 {
        -0.5 * (self.nu + 1.0) * (z * z * self.inv_nm2).ln_1p()
    }

    #[inline(always)]
    fn g_grad(&self, z: f64, dp: &mut [f64; 2]) -> (f64, f64) {
        let z2 = z * z;
        let l = (z2 * self.inv_nm2).ln_1p();
        let denom = 1.0 / (self.nu - 2.0 + z2);
        dp[0] += -0.5 * l + 0.5 * (self.nu + 1.0) * z2 * self.inv_nm2 * denom;
        (-0.5 * (self.nu + 1.0) * l, -(self.nu + 1.0) * z * denom)
    }

    #[inline(always)]
    fn ev_step(
        &self,
        e: f64,
        _v: f64,
        inv_v: f64,
        dp: &mut [f64; 2],
        aux: &mut Aux,
    ) -> (f64, f64, f64) {
        // z² = ε²/σ²; ln(1 + z²/(ν−2)) is deferred to one blocked sum (see `ev_finish`).
        let q = e * e * inv_v;
        let nm2 = self.nu - 2.0;
        aux[0].add(1.0 + q * self.inv_nm2);
        let r = 1.0 / (nm2 + q);
        dp[0] += 0.5 * (self.nu + 1.0) * q * self.inv_nm2 * r;
        let l_e = -(self.nu + 1.0) * e * inv_v * r;
        let l_v = -0.5 * (1.0 - (self.nu + 1.0) * q * r) * inv_v;
        (0.0, l_e, l_v)
    }

    #[inline(always)]
    fn ev_value(&self, e: f64, _v: f64, inv_v: f64, aux: &mut Aux) -> f64 {
        aux[0].add(1.0 + e * e * inv_v * self.inv_nm2);
        0.0
    }

    #[inline(always)]
    fn ev_finish(&self, aux: [f64; 5], sum_g: &mut f64, dp: &mut [f64; 2]) {
        let aux_total = aux[0];
        *sum_g += -0.5 * (self.nu + 1.0) * aux_total;
        dp[0] += -0.5 * aux_total;
    }

    fn ppf(&self, p: f64) -> f64 {
        StatT::new(0.0, 1.0, self.nu)
            .map(|t| t.inverse_cdf(p) * self.scale())
            .unwrap_or(f64::NAN)
    }

    fn lower_tail_mean(&self, alpha: f64) -> f64 {
        // For a standard t_ν: E[T | T ≤ t_α] = −(ν + t_α²)/(ν − 1) · f_ν(t_α)/α.
        let Ok(t) = StatT::new(0.0, 1.0, self.nu) else {
            return f64::NAN;
        };
        let q = t.inverse_cdf(alpha);
        -(self.nu + q * q) / (self.nu - 1.0) * t.pdf(q) / alpha * self.scale()
    }

    fn draw(&self, rng: &mut rand_chacha::ChaCha20Rng) -> f64 {
        use rand::RngExt;
        match rand_distr::StudentT::new(self.nu) {
            Ok(d) => rng.sample(d) * self.scale(),
            Err(_) => f64::NAN,
        }
    }
}

impl Shape2 for StudentsT {
    fn second(&self, z: f64) -> Second {
        let k = t_kernel(z, self.nu);
        Second {
            gz: k.gu,
            gzz: k.guu,
            gp: [k.ge, 0.0],
            gzp: [k.gue, 0.0],
            gpp: [k.gee, 0.0, 0.0],
        }
    }

    fn d2c0(&self) -> [f64; 3] {
        [self.d2c0, 0.0, 0.0]
    }
}
