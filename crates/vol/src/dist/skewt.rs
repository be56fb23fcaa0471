//! Hansen's (1994) skewed Student's t, standardized to zero mean and unit variance,
//! η ∈ (2, ∞) degrees of freedom and skewness λ ∈ (−1, 1):
//!
//! f(z) = b·c·(1 + ((b z + a)/(1 − λ))²/(η − 2))^{−(η+1)/2}  for z < −a/b,
//! f(z) = b·c·(1 + ((b z + a)/(1 + λ))²/(η − 2))^{−(η+1)/2}  for z ≥ −a/b,
//! c = Γ((η+1)/2)/(√(π(η−2)) Γ(η/2)), a = 4λc(η−2)/(η−1), b² = 1 + 3λ² − a².
//!
//! So ln f = c₀ + G(u, η) with c₀ = ln b + ln c, u = (b z + a)/s, s = 1 ∓ λ (the piece), and
//! G(u, η) = −(η+1)/2 · ln(1 + u²/(η−2)) the Student-t kernel of [`super::second::t_kernel`].
//! Derivatives in p = (η, λ), all analytic:
//!
//! - ln c: (ln c)′ = ½ψ((η+1)/2) − ½ψ(η/2) − ½/(η−2), (ln c)″ = ¼ψ′((η+1)/2) − ¼ψ′(η/2) + ½/(η−2)²;
//! - a = 4λk with k = c·r, r = (η−2)/(η−1): a_η = 4λk′, a_λ = 4k, a_ηη = 4λk″, a_ηλ = 4k′, a_λλ = 0;
//! - B = b² = 1 + 3λ² − a²: B_η = −2a a_η, B_λ = 6λ − 2a a_λ, b_p = B_p/(2b),
//!   b_pq = B_pq/(2b) − B_p B_q/(4b³); c₀_p = b_p/b + (ln c)′·1[p = η];
//! - u_p = (b_p z + a_p)/s − u s_p/s with s_λ = ∓1 (s_η = 0), u_z = b/s;
//! - g_z = G_u u_z, g_p = G_u u_p + G_η·1[p = η] (second order in [`Shape2::second`]).
//!
//! In the fused kernels the ln(1 + u²/(η−2)) of g and of ∂g/∂η is deferred to one blocked sum.

use super::second::{t_kernel, trigamma, Second, Shape2};
use super::Shape;
use crate::fused::Aux;
use statrs::distribution::{ContinuousCDF, StudentsT as StatT};
use statrs::function::gamma::{digamma, ln_gamma};

/// Hansen's skewed t at one (η, λ), with the derivatives of its constants.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SkewStudent {
    eta: f64,
    lam: f64,
    a: f64,
    b: f64,
    c0: f64,
    inv_em2: f64,
    /// 1/(1 − λ), 1/(1 + λ): the two pieces' 1/s.
    inv_s: [f64; 2],
    /// ∂a/∂(η, λ), ∂b/∂(η, λ), ∂c₀/∂(η, λ).
    da: [f64; 2],
    db: [f64; 2],
    dc0: [f64; 2],
    /// Second derivatives (ηη, ηλ, λλ) of a, b, c₀.
    d2a: [f64; 3],
    d2b: [f64; 3],
    d2c0: [f64; 3],
}

impl SkewStudent {
    /// `eta` > 2, |`lam`| < 1 (checked by the caller's bounds).
    pub fn new(eta: f64, lam: f64) -> Self {
        let em2 = eta - 2.0;
        let em1 = eta - 1.0;
        let ln_c = ln_gamma(0.5 * (eta + 1.0))
            - ln_gamma(0.5 * eta)
            - 0.5 * (std::f64::consts::PI * em2).ln();
        let c = ln_c.exp();
        let l1 = 0.5 * digamma(0.5 * (eta + 1.0)) - 0.5 * digamma(0.5 * eta) - 0.5 / em2;
        let l2 =
            0.25 * trigamma(0.5 * (eta + 1.0)) - 0.25 * trigamma(0.5 * eta) + 0.5 / (em2 * em2);
        let (dc, d2c) = (c * l1, c * (l2 + l1 * l1));
        let (r, dr, d2r) = (em2 / em1, 1.0 / (em1 * em1), -2.0 / (em1 * em1 * em1));
        let k = c * r;
        let dk = dc * r + c * dr;
        let d2k = d2c * r + 2.0 * dc * dr + c * d2r;
        let a = 4.0 * lam * k;
        let da = [4.0 * lam * dk, 4.0 * k];
        let d2a = [4.0 * lam * d2k, 4.0 * dk, 0.0];
        let bb = 1.0 + 3.0 * lam * lam - a * a;
        let b = bb.sqrt();
        let dbb = [-2.0 * a * da[0], 6.0 * lam - 2.0 * a * da[1]];
        let d2bb = [
            -2.0 * (da[0] * da[0] + a * d2a[0]),
            -2.0 * (da[0] * da[1] + a * d2a[1]),
            6.0 - 2.0 * (da[1] * da[1] + a * d2a[2]),
        ];
        let db = [dbb[0] / (2.0 * b), dbb[1] / (2.0 * b)];
        let b3 = 4.0 * b * b * b;
        let d2b = [
            d2bb[0] / (2.0 * b) - dbb[0] * dbb[0] / b3,
            d2bb[1] / (2.0 * b) - dbb[0] * dbb[1] / b3,
            d2bb[2] / (2.0 * b) - dbb[1] * dbb[1] / b3,
        ];
        let dc0 = [db[0] / b + l1, db[1] / b];
        let d2c0 = [
            d2b[0] / b - db[0] * db[0] / (b * b) + l2,
            d2b[1] / b - db[0] * db[1] / (b * b),
            d2b[2] / b - db[1] * db[1] / (b * b),
        ];
        SkewStudent {
            eta,
            lam,
            a,
            b,
            c0: b.ln() + ln_c,
            inv_em2: 1.0 / em2,
            inv_s: [1.0 / (1.0 - lam), 1.0 / (1.0 + lam)],
            da,
            db,
            dc0,
            d2a,
            d2b,
            d2c0,
        }
    }

    /// (u, 1/s, s_λ) at z: the piece, its scaled argument.
    #[inline(always)]
    fn piece(&self, z: f64) -> (f64, f64, f64) {
        let n = self.b * z + self.a;
        let (inv_s, sl) = if n < 0.0 {
            (self.inv_s[0], -1.0)
        } else {
            (self.inv_s[1], 1.0)
        };
        (n * inv_s, inv_s, sl)
    }

    /// (∂u/∂η, ∂u/∂λ) at z.
    #[inline(always)]
    fn du(&self, z: f64, u: f64, inv_s: f64, sl: f64) -> [f64; 2] {
        [
            (self.db[0] * z + self.da[0]) * inv_s,
            (self.db[1] * z + self.da[1]) * inv_s - u * sl * inv_s,
        ]
    }

    /// Quantile of the unit-variance t with η degrees of freedom.
    fn t_ppf(&self, p: f64) -> f64 {
        let eta = self.eta;
        StatT::new(0.0, 1.0, eta)
            .map(|t| t.inverse_cdf(p) * ((eta - 2.0) / eta).sqrt())
            .unwrap_or(f64::NAN)
    }
}

impl Shape for SkewStudent {
    fn c0(&self) -> f64 {
        self.c0
    }

    fn dc0(&self) -> [f64; 2] {
        self.dc0
    }

    #[inline(always)]
    fn g(&self, z: f64) -> f64 {
        let (u, _, _) = self.piece(z);
        -0.5 * (self.eta + 1.0) * (u * u * self.inv_em2).ln_1p()
    }

    #[inline(always)]
    fn g_grad(&self, z: f64, dp: &mut [f64; 2]) -> (f64, f64) {
        let (u, inv_s, sl) = self.piece(z);
        let u2 = u * u;
        let l = (u2 * self.inv_em2).ln_1p();
        let r = 1.0 / (self.eta - 2.0 + u2);
        let gu = -(self.eta + 1.0) * u * r;
        let du = self.du(z, u, inv_s, sl);
        dp[0] += gu * du[0] - 0.5 * l + 0.5 * (self.eta + 1.0) * u2 * self.inv_em2 * r;
        dp[1] += gu * du[1];
        (-0.5 * (self.eta + 1.0) * l, gu * self.b * inv_s)
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
        // ln(1 + u²/(η−2)), shared by g and ∂g/∂η, is deferred to a blocked sum (`ev_finish`);
        // 1/σ = √(1/σ²) leaves one division per observation besides the kernel's 1/σ².
        let inv_sd = inv_v.sqrt();
        let z = e * inv_sd;
        let (u, inv_s, sl) = self.piece(z);
        let u2 = u * u;
        aux[0].add(1.0 + u2 * self.inv_em2);
        let r = 1.0 / (self.eta - 2.0 + u2);
        let gu = -(self.eta + 1.0) * u * r;
        let du = self.du(z, u, inv_s, sl);
        dp[0] += gu * du[0] + 0.5 * (self.eta + 1.0) * u2 * self.inv_em2 * r;
        dp[1] += gu * du[1];
        let gz = gu * self.b * inv_s;
        (0.0, gz * inv_sd, -0.5 * (1.0 + z * gz) * inv_v)
    }

    #[inline(always)]
    fn ev_value(&self, e: f64, v: f64, _inv_v: f64, aux: &mut Aux) -> f64 {
        let (u, _, _) = self.piece(e / v.sqrt());
        aux[0].add(1.0 + u * u * self.inv_em2);
        0.0
    }

    #[inline(always)]
    fn ev_finish(&self, aux: [f64; 5], sum_g: &mut f64, dp: &mut [f64; 2]) {
        *sum_g += -0.5 * (self.eta + 1.0) * aux[0];
        dp[0] += -0.5 * aux[0];
    }
    fn ppf(&self, p: f64) -> f64 {
        let k = self;
        let cut = (1.0 - k.lam) / 2.0;
        let w = if p < cut {
            (1.0 - k.lam) * self.t_ppf(p / (1.0 - k.lam))
        } else {
            (1.0 + k.lam) * self.t_ppf(0.5 + (p - cut) / (1.0 + k.lam))
        };
        (w - k.a) / k.b
    }

    /// In the left piece (α < (1 − λ)/2, so q_α < −a/b), with w = (b z + a)/(1 − λ) and
    /// W = (b q_α + a)/(1 − λ) the unit-variance t_η quantile of α/(1 − λ):
    /// E[Z | Z ≤ q_α] = −(1 − λ)² c (η − 2) (1 + W²/(η − 2))^{−(η−1)/2} / (α b (η − 1)) − a/b,
    /// from ∫ w (1 + w²/(η−2))^{−(η+1)/2} dw = −(η−2)/(η−1) (1 + w²/(η−2))^{−(η−1)/2}.
    /// Elsewhere by quadrature.
    fn lower_tail_mean(&self, alpha: f64) -> f64 {
        let l = 1.0 - self.lam;
        if !(alpha > 0.0 && alpha < 0.5 * l) {
            return super::lower_tail_mean_numeric(self, alpha);
        }
        let w = self.t_ppf(alpha / l);
        let em2 = self.eta - 2.0;
        let c = (self.c0 - self.b.ln()).exp();
        let tail = (1.0 + w * w / em2).powf(-0.5 * (self.eta - 1.0));
        -l * l * c * em2 * tail / (alpha * self.b * (self.eta - 1.0)) - self.a / self.b
    }

    fn draw(&self, rng: &mut rand_chacha::ChaCha20Rng) -> f64 {
        use rand::RngExt;
        // Two-piece construction: W = |V|, V a unit-variance t_η; left piece w.p. (1−λ)/2.
        let eta = self.eta;
        let Ok(t) = rand_distr::StudentT::new(eta) else {
            return f64::NAN;
        };
        let v: f64 = rng.sample(t);
        let w = v.abs() * ((eta - 2.0) / eta).sqrt();
        let left = rng.random::<f64>() < (1.0 - self.lam) / 2.0;
        let w = if left {
            -(1.0 - self.lam) * w
        } else {
            (1.0 + self.lam) * w
        };
        (w - self.a) / self.b
    }
}

impl Shape2 for SkewStudent {
    fn second(&self, z: f64) -> Second {
        let (u, inv_s, sl) = self.piece(z);
        let k = t_kernel(u, self.eta);
        let uz = self.b * inv_s;
        let up = self.du(z, u, inv_s, sl);
        // ∂u_z/∂p: s_η = 0, s_λ = ±1.
        let uzp = [
            self.db[0] * inv_s,
            self.db[1] * inv_s - self.b * sl * inv_s * inv_s,
        ];
        let n_p = [self.db[0] * z + self.da[0], self.db[1] * z + self.da[1]];
        let is2 = inv_s * inv_s;
        let upp = [
            (self.d2b[0] * z + self.d2a[0]) * inv_s,
            (self.d2b[1] * z + self.d2a[1]) * inv_s - n_p[0] * sl * is2,
            (self.d2b[2] * z + self.d2a[2]) * inv_s - 2.0 * n_p[1] * sl * is2 + 2.0 * u * is2,
        ];
        Second {
            gz: k.gu * uz,
            gzz: k.guu * uz * uz,
            gp: [k.gu * up[0] + k.ge, k.gu * up[1]],
            gzp: [
                k.guu * uz * up[0] + k.gu * uzp[0] + k.gue * uz,
                k.guu * uz * up[1] + k.gu * uzp[1],
            ],
            gpp: [
                k.guu * up[0] * up[0] + k.gu * upp[0] + 2.0 * k.gue * up[0] + k.gee,
                k.guu * up[0] * up[1] + k.gu * upp[1] + k.gue * up[1],
                k.guu * up[1] * up[1] + k.gu * upp[2],
            ],
        }
    }

    fn d2c0(&self) -> [f64; 3] {
        self.d2c0
    }
}
