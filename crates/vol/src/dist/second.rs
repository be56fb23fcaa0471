//! Second-order pieces of the standardized densities, for the analytic Hessian of
//! [`crate::hessian`]: with ln f(z; p) = c₀(p) + g(z; p), the Hessian of ℓ_t = ln f(ε/σ) − ½ ln σ²
//! needs g, g_z, g_zz, g_p, g_zp, g_pp per observation and c₀_pp once.
//!
//! The Student-t kernel G(u, η) = −(η+1)/2 · ln(1 + u²/(η−2)) serves the t (u = z) and Hansen's
//! skewed t (u = (b z + a)/s). With m = η − 2, q = u², D = m + q:
//!
//! - G_u = −(η+1) u/D, G_uu = −(η+1)(m − q)/D²;
//! - G_η = −½ ln(1 + q/m) + (η+1) q/(2mD), G_uη = u(3 − q)/D²;
//! - G_ηη = q/(mD) − (η+1) q (D + m)/(2m²D²).

use super::Shape;

/// The first and second derivatives of g in z and the shape p (≤ 2 parameters) at one z.
/// `gpp` holds (p₀p₀, p₀p₁, p₁p₁).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Second {
    pub gz: f64,
    pub gzz: f64,
    pub gp: [f64; 2],
    pub gzp: [f64; 2],
    pub gpp: [f64; 3],
}

/// A shape whose second derivatives are known in closed form.
pub(crate) trait Shape2: Shape {
    /// The pieces of g at z.
    fn second(&self, z: f64) -> Second;
    /// ∂²c₀/∂p² as (p₀p₀, p₀p₁, p₁p₁).
    fn d2c0(&self) -> [f64; 3];
}

/// The derivatives of G at (u, η) (see the module doc).
#[derive(Debug, Clone, Copy)]
pub(crate) struct TKernel {
    pub gu: f64,
    pub guu: f64,
    pub ge: f64,
    pub gue: f64,
    pub gee: f64,
}

/// First and second derivatives of the Student-t kernel G(u, η).
#[inline(always)]
pub(crate) fn t_kernel(u: f64, eta: f64) -> TKernel {
    let m = eta - 2.0;
    let q = u * u;
    let d = m + q;
    let inv_d = 1.0 / d;
    let l = (q / m).ln_1p();
    let e1 = eta + 1.0;
    TKernel {
        gu: -e1 * u * inv_d,
        guu: -e1 * (m - q) * inv_d * inv_d,
        ge: -0.5 * l + 0.5 * e1 * q * inv_d / m,
        gue: u * (3.0 - q) * inv_d * inv_d,
        gee: q * inv_d / m - 0.5 * e1 * q * (d + m) * inv_d * inv_d / (m * m),
    }
}

/// Trigamma ψ′(x) for x > 0: the recurrence ψ′(x) = ψ′(x + 1) + 1/x² up to x ≥ 10, then the
/// asymptotic series 1/x + 1/(2x²) + 1/(6x³) − 1/(30x⁵) + 1/(42x⁷) − 1/(30x⁹) + 5/(66x¹¹)
/// (next term 691/(2730x¹³) < 3e-14).
pub(crate) fn trigamma(mut x: f64) -> f64 {
    let mut acc = 0.0;
    while x < 10.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let r = 1.0 / x;
    let r2 = r * r;
    acc + r
        + 0.5 * r2
        + r * r2
            * (1.0 / 6.0
                - r2 * (1.0 / 30.0 - r2 * (1.0 / 42.0 - r2 * (1.0 / 30.0 - r2 * 5.0 / 66.0))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::{Normal, SkewStudent, StudentsT};

    #[test]
    fn trigamma_matches_closed_forms() {
        // ψ′(1) = π²/6, ψ′(½) = π²/2, ψ′(5/2) = π²/2 − 4 − 4/9 (recurrence), ψ′(20) from
        // ψ′(1) − Σ_{k<20} 1/k².
        let pi2 = std::f64::consts::PI.powi(2);
        assert!((trigamma(1.0) - pi2 / 6.0).abs() < 1e-13);
        assert!((trigamma(0.5) - pi2 / 2.0).abs() < 1e-12);
        assert!((trigamma(2.5) - (pi2 / 2.0 - 4.0 - 4.0 / 9.0)).abs() < 1e-13);
        let s: f64 = (1..20).map(|k| 1.0 / (k as f64).powi(2)).sum();
        assert!((trigamma(20.0) - (pi2 / 6.0 - s)).abs() < 1e-13);
    }

    /// Every second-order piece against central differences of the first-order ones.
    fn check<S: Shape2, F: Fn(f64, f64) -> S>(make: F, p: [f64; 2], kd: usize) {
        let d = make(p[0], p[1]);
        for &z in &[-2.7, -0.9, -0.05, 0.4, 2.2] {
            let s = d.second(z);
            let mut dp = [0.0; 2];
            let (_, gz) = d.g_grad(z, &mut dp);
            assert!((s.gz - gz).abs() < 1e-12, "z {z}");
            for i in 0..kd {
                assert!((s.gp[i] - dp[i]).abs() < 1e-11, "gp{i} at {z}");
            }
            let h = 1e-6;
            let (mut a, mut b) = ([0.0; 2], [0.0; 2]);
            let gzz = (d.g_grad(z + h, &mut a).1 - d.g_grad(z - h, &mut b).1) / (2.0 * h);
            assert!((s.gzz - gzz).abs() < 1e-6 * (1.0 + gzz.abs()), "gzz at {z}");
            for i in 0..kd {
                let mut pp = p;
                pp[i] += h;
                let mut pm = p;
                pm[i] -= h;
                let (dpl, dmi) = (make(pp[0], pp[1]), make(pm[0], pm[1]));
                let (mut gpp, mut gpm) = ([0.0; 2], [0.0; 2]);
                let gzp = (dpl.g_grad(z, &mut gpp).1 - dmi.g_grad(z, &mut gpm).1) / (2.0 * h);
                assert!(
                    (s.gzp[i] - gzp).abs() < 1e-6 * (1.0 + gzp.abs()),
                    "gzp{i} at {z}"
                );
                for j in 0..kd {
                    let num = (gpp[j] - gpm[j]) / (2.0 * h);
                    let ana = s.gpp[i + j];
                    assert!(
                        (ana - num).abs() < 1e-6 * (1.0 + num.abs()),
                        "gpp{i}{j} at {z}"
                    );
                }
                let num = (dpl.dc0()[0] - dmi.dc0()[0]) / (2.0 * h);
                assert!(
                    (d.d2c0()[i] - num).abs() < 1e-6 * (1.0 + num.abs()),
                    "c0 p{i}η"
                );
                if kd == 2 {
                    let num = (dpl.dc0()[1] - dmi.dc0()[1]) / (2.0 * h);
                    assert!((d.d2c0()[i + 1] - num).abs() < 1e-6 * (1.0 + num.abs()));
                }
            }
        }
    }

    #[test]
    fn second_derivatives_match_finite_differences() {
        check(|_, _| Normal, [0.0, 0.0], 0);
        check(|nu, _| StudentsT::new(nu), [6.5, 0.0], 1);
        check(SkewStudent::new, [7.0, -0.3], 2);
        check(SkewStudent::new, [4.2, 0.45], 2);
    }
}
