//! Standard normal errors: ℓ_t = −½(ln 2π + ln σ²_t + ε²_t/σ²_t).

use super::second::{Second, Shape2};
use super::Shape;
use crate::fused::Aux;
use statrs::distribution::{ContinuousCDF, Normal as StatNormal};

const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// The standard normal distribution (no parameters).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Normal;

impl Shape for Normal {
    fn c0(&self) -> f64 {
        -HALF_LN_2PI
    }

    fn dc0(&self) -> [f64; 2] {
        [0.0; 2]
    }

    #[inline(always)]
    fn g(&self, z: f64) -> f64 {
        -0.5 * z * z
    }

    #[inline(always)]
    fn g_grad(&self, z: f64, _dp: &mut [f64; 2]) -> (f64, f64) {
        (-0.5 * z * z, -z)
    }

    #[inline(always)]
    fn ev_step(
        &self,
        e: f64,
        _v: f64,
        inv_v: f64,
        _dp: &mut [f64; 2],
        _aux: &mut Aux,
    ) -> (f64, f64, f64) {
        // No square root: ℓ depends on ε²/σ² only.
        let q = e * e * inv_v;
        (-0.5 * q, -e * inv_v, -0.5 * (1.0 - q) * inv_v)
    }

    #[inline(always)]
    fn ev_value(&self, e: f64, _v: f64, inv_v: f64, _aux: &mut Aux) -> f64 {
        -0.5 * e * e * inv_v
    }

    fn ppf(&self, p: f64) -> f64 {
        // Infallible: (0, 1) is a valid normal.
        StatNormal::new(0.0, 1.0)
            .map(|n| n.inverse_cdf(p))
            .unwrap_or(f64::NAN)
    }

    fn lower_tail_mean(&self, alpha: f64) -> f64 {
        let q = self.ppf(alpha);
        -(-0.5 * q * q - HALF_LN_2PI).exp() / alpha
    }

    fn draw(&self, rng: &mut rand_chacha::ChaCha20Rng) -> f64 {
        use rand::RngExt;
        rng.sample(rand_distr::StandardNormal)
    }
}

impl Shape2 for Normal {
    fn second(&self, z: f64) -> Second {
        Second {
            gz: -z,
            gzz: -1.0,
            ..Second::default()
        }
    }

    fn d2c0(&self) -> [f64; 3] {
        [0.0; 3]
    }
}
