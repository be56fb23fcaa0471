//! Generalized error distribution (Nelson 1991), standardized to unit variance, shape ν > 1:
//!
//! ℓ_t = ln ν − ln λ − ln Γ(1/ν) − (1 + 1/ν) ln 2 − ½ ln σ²_t − ½ |z_t/λ|^ν,
//! ln λ = ½(−(2/ν) ln 2 + ln Γ(1/ν) − ln Γ(3/ν)). ν = 2 is the normal, ν = 1 the Laplace.

use super::Shape;
use statrs::distribution::{ContinuousCDF, Gamma as StatGamma};
use statrs::function::gamma::{digamma, gamma_ur, ln_gamma};
use std::f64::consts::LN_2;

/// The unit-variance generalized error distribution.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ged {
    nu: f64,
    lam: f64,
    inv_lam: f64,
    dln_lam: f64,
    c0: f64,
    dc0: f64,
}

impl Ged {
    /// `nu` > 1 (checked by the caller's bounds).
    pub fn new(nu: f64) -> Self {
        let ln_lam = 0.5 * (-2.0 / nu * LN_2 + ln_gamma(1.0 / nu) - ln_gamma(3.0 / nu));
        let nu2 = nu * nu;
        let dln_lam =
            0.5 * (2.0 * LN_2 / nu2 - digamma(1.0 / nu) / nu2 + 3.0 * digamma(3.0 / nu) / nu2);
        let c0 = nu.ln() - ln_lam - ln_gamma(1.0 / nu) - (1.0 + 1.0 / nu) * LN_2;
        let dc0 = 1.0 / nu - dln_lam + digamma(1.0 / nu) / nu2 + LN_2 / nu2;
        let lam = ln_lam.exp();
        Ged {
            nu,
            lam,
            inv_lam: 1.0 / lam,
            dln_lam,
            c0,
            dc0,
        }
    }
}

impl Shape for Ged {
    fn c0(&self) -> f64 {
        self.c0
    }

    fn dc0(&self) -> [f64; 2] {
        [self.dc0, 0.0]
    }

    #[inline(always)]
    fn g(&self, z: f64) -> f64 {
        -0.5 * (z.abs() * self.inv_lam).powf(self.nu)
    }

    #[inline(always)]
    fn g_grad(&self, z: f64, dp: &mut [f64; 2]) -> (f64, f64) {
        let u = z.abs() * self.inv_lam;
        if u == 0.0 {
            return (0.0, 0.0);
        }
        let lu = u.ln();
        let un = (self.nu * lu).exp();
        // ∂/∂ν of −½u^ν with u = |z|/λ(ν): −½u^ν (ln u − ν ∂lnλ/∂ν).
        dp[0] += -0.5 * un * (lu - self.nu * self.dln_lam);
        (-0.5 * un, -0.5 * self.nu * un / z)
    }

    fn ppf(&self, p: f64) -> f64 {
        // |Y|^ν/2 ~ Gamma(1/ν, 1) for Y = Z/λ.
        let Ok(g) = StatGamma::new(1.0 / self.nu, 1.0) else {
            return f64::NAN;
        };
        let w = g.inverse_cdf((2.0 * p - 1.0).abs());
        (p - 0.5).signum() * self.lam * (2.0 * w).powf(1.0 / self.nu)
    }

    /// For α < ½ (q_α < 0), with f(z) = ν/(λ 2^{1+1/ν} Γ(1/ν)) exp(−½|z/λ|^ν) and the substitution
    /// u = ½(|z|/λ)^ν: E[Z | Z ≤ q_α] = −λ 2^{1/ν−1} Γ(2/ν) Q(2/ν, ½(|q_α|/λ)^ν) / (Γ(1/ν) α),
    /// Q the regularized upper incomplete gamma. Elsewhere by quadrature.
    fn lower_tail_mean(&self, alpha: f64) -> f64 {
        if !(alpha > 0.0 && alpha < 0.5) {
            return super::lower_tail_mean_numeric(self, alpha);
        }
        let q = self.ppf(alpha);
        let nu = self.nu;
        let u = 0.5 * (q.abs() * self.inv_lam).powf(nu);
        let ratio = (ln_gamma(2.0 / nu) - ln_gamma(1.0 / nu)).exp();
        -self.lam * (1.0 / nu - 1.0).exp2() * ratio * gamma_ur(2.0 / nu, u) / alpha
    }

    fn draw(&self, rng: &mut rand_chacha::ChaCha20Rng) -> f64 {
        use rand::RngExt;
        let Ok(g) = rand_distr::Gamma::new(1.0 / self.nu, 1.0) else {
            return f64::NAN;
        };
        let w: f64 = rng.sample(g);
        let sign = if rng.random::<bool>() { 1.0 } else { -1.0 };
        sign * self.lam * (2.0 * w).powf(1.0 / self.nu)
    }
}
