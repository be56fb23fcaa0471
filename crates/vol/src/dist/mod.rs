//! Standardized error distributions: each states its parameters, bounds, constraints and starting
//! values, and evaluates ℓ(z) = c₀(θ) + g(z; θ) − ½ ln σ² with z = ε/σ.
//!
//! The estimator writes ℓ_t this way so that ∂ℓ/∂ε = g′(z)/σ and
//! ∂ℓ/∂σ² = −(1 + z·g′(z))/(2σ²) are shared by every distribution.

mod ged;
mod normal;
pub(crate) mod second;
mod skewt;
mod studentst;

pub(crate) use ged::Ged;
pub(crate) use normal::Normal;
pub(crate) use skewt::SkewStudent;
pub(crate) use studentst::StudentsT;

use crate::fused::Aux;
use crate::spec::DistKind;
use af_optim::LinearConstraints;
use rand_chacha::ChaCha20Rng;

/// The shape of a standardized (zero mean, unit variance) distribution.
pub(crate) trait Shape {
    /// Normalizing constant c₀(θ).
    fn c0(&self) -> f64;
    /// ∂c₀/∂θ.
    fn dc0(&self) -> [f64; 2];
    /// g(z; θ).
    fn g(&self, z: f64) -> f64;
    /// (g, ∂g/∂z), adding ∂g/∂θ into `dp`.
    fn g_grad(&self, z: f64, dp: &mut [f64; 2]) -> (f64, f64);
    /// Fused-kernel step from ε and σ² (1/σ² given): returns (part of g, ∂ℓ/∂ε, ∂ℓ/∂σ²) and adds
    /// ∂g/∂θ into `dp`. A shape may defer ln terms by pushing their arguments into `aux` and
    /// settling them in [`Shape::ev_finish`].
    #[inline(always)]
    fn ev_step(
        &self,
        e: f64,
        v: f64,
        inv_v: f64,
        dp: &mut [f64; 2],
        _aux: &mut Aux,
    ) -> (f64, f64, f64) {
        let sd = v.sqrt();
        let z = e / sd;
        let (g, gz) = self.g_grad(z, dp);
        (g, gz / sd, -0.5 * (1.0 + z * gz) * inv_v)
    }
    /// Value-only counterpart of [`Shape::ev_step`].
    #[inline(always)]
    fn ev_value(&self, e: f64, v: f64, _inv_v: f64, _aux: &mut Aux) -> f64 {
        self.g(e / v.sqrt())
    }
    /// Settles the deferred ln terms: Σ ln of what `ev_step` / `ev_value` pushed is `aux_total`.
    #[inline(always)]
    fn ev_finish(&self, _aux: [f64; 5], _sum_g: &mut f64, _dp: &mut [f64; 2]) {}
    /// Quantile function.
    fn ppf(&self, p: f64) -> f64;
    /// E[Z | Z ≤ ppf(α)].
    fn lower_tail_mean(&self, alpha: f64) -> f64;
    /// One draw.
    fn draw(&self, rng: &mut ChaCha20Rng) -> f64;
}

/// A distribution with its parameter values, for the non-hot paths (forecast, VaR, simulation).
// Built once per forecast / simulation, never in a hot loop: size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Copy)]
pub(crate) enum AnyDist {
    Normal(Normal),
    StudentsT(StudentsT),
    SkewStudent(SkewStudent),
    Ged(Ged),
}

impl AnyDist {
    /// Binds `params` (already validated against [`bounds`]).
    pub fn new(kind: DistKind, params: &[f64]) -> AnyDist {
        match kind {
            DistKind::Normal => AnyDist::Normal(Normal),
            DistKind::StudentsT => AnyDist::StudentsT(StudentsT::new(params[0])),
            DistKind::SkewStudent => AnyDist::SkewStudent(SkewStudent::new(params[0], params[1])),
            DistKind::Ged => AnyDist::Ged(Ged::new(params[0])),
        }
    }

    /// Quantile of the standardized distribution.
    pub fn ppf(&self, p: f64) -> f64 {
        match self {
            AnyDist::Normal(d) => d.ppf(p),
            AnyDist::StudentsT(d) => d.ppf(p),
            AnyDist::SkewStudent(d) => d.ppf(p),
            AnyDist::Ged(d) => d.ppf(p),
        }
    }

    /// E[Z | Z ≤ ppf(α)].
    pub fn lower_tail_mean(&self, alpha: f64) -> f64 {
        match self {
            AnyDist::Normal(d) => d.lower_tail_mean(alpha),
            AnyDist::StudentsT(d) => d.lower_tail_mean(alpha),
            AnyDist::SkewStudent(d) => d.lower_tail_mean(alpha),
            AnyDist::Ged(d) => d.lower_tail_mean(alpha),
        }
    }

    /// One standardized draw.
    pub fn draw(&self, rng: &mut ChaCha20Rng) -> f64 {
        match self {
            AnyDist::Normal(d) => d.draw(rng),
            AnyDist::StudentsT(d) => d.draw(rng),
            AnyDist::SkewStudent(d) => d.draw(rng),
            AnyDist::Ged(d) => d.draw(rng),
        }
    }

    /// log f(z) of the standardized density.
    #[cfg(test)]
    pub fn log_pdf(&self, z: f64) -> f64 {
        match self {
            AnyDist::Normal(d) => d.c0() + d.g(z),
            AnyDist::StudentsT(d) => d.c0() + d.g(z),
            AnyDist::SkewStudent(d) => d.c0() + d.g(z),
            AnyDist::Ged(d) => d.c0() + d.g(z),
        }
    }
}

/// Parameter names as `arch` prints them.
pub(crate) fn param_names(kind: DistKind) -> Vec<String> {
    match kind {
        DistKind::Normal => vec![],
        DistKind::StudentsT | DistKind::Ged => vec!["nu".to_string()],
        DistKind::SkewStudent => vec!["eta".to_string(), "lambda".to_string()],
    }
}

/// Parameter bounds (`arch`'s: ν ∈ [2.05, 500] for t, η ∈ [2.05, 300], λ ∈ [−1, 1], GED ν ∈ [1.01, 500]).
pub(crate) fn bounds(kind: DistKind) -> Vec<(f64, f64)> {
    match kind {
        DistKind::Normal => vec![],
        DistKind::StudentsT => vec![(2.05, 500.0)],
        // λ kept strictly inside (−1, 1) so b and the density stay finite.
        DistKind::SkewStudent => vec![(2.05, 300.0), (-0.995, 0.995)],
        DistKind::Ged => vec![(1.01, 500.0)],
    }
}

/// Linear constraints `A·θ − b ≥ 0` (the bounds, as rows, like `arch`).
pub(crate) fn constraints(kind: DistKind) -> LinearConstraints {
    let mut c = LinearConstraints::none();
    match kind {
        DistKind::Normal => {}
        DistKind::StudentsT => {
            c.push(vec![1.0], 2.05); // ν ≥ 2.05: finite variance
            c.push(vec![-1.0], -500.0); // ν ≤ 500
        }
        DistKind::SkewStudent => {
            c.push(vec![1.0, 0.0], 2.05); // η ≥ 2.05
            c.push(vec![-1.0, 0.0], -300.0); // η ≤ 300
            c.push(vec![0.0, 1.0], -1.0); // λ ≥ −1
            c.push(vec![0.0, -1.0], -1.0); // λ ≤ 1
        }
        DistKind::Ged => {
            c.push(vec![1.0], 1.01); // ν ≥ 1.01
            c.push(vec![-1.0], -500.0); // ν ≤ 500
        }
    }
    c
}

/// Starting values: ν from the kurtosis k of the standardized residuals,
/// ν = max((4k − 6)/(k − 3), 4) when k > 3.75 else 12 (`arch`); λ = 0; GED ν = 1.5.
pub(crate) fn starting_values(kind: DistKind, std_resid: &[f64]) -> Vec<f64> {
    let n = std_resid.len() as f64;
    let mean = std_resid.iter().sum::<f64>() / n;
    let (m2, m4) = std_resid.iter().fold((0.0, 0.0), |(a, b), z| {
        let d = (z - mean) * (z - mean);
        (a + d, b + d * d)
    });
    let k = (m4 / n) / ((m2 / n) * (m2 / n));
    let nu = if k > 3.75 {
        ((4.0 * k - 6.0) / (k - 3.0)).max(4.0)
    } else {
        12.0
    };
    match kind {
        DistKind::Normal => vec![],
        DistKind::StudentsT => vec![nu],
        DistKind::SkewStudent => vec![nu, 0.0],
        DistKind::Ged => vec![1.5],
    }
}

/// E[Z | Z ≤ q_α] = (1/α)∫_{−∞}^{q_α} z f(z) dz by composite Simpson on z = q − (1 − w)/w,
/// w ∈ (0, 1] (the integrand vanishes as w → 0 for any finite-variance density).
pub(crate) fn lower_tail_mean_numeric<S: Shape>(d: &S, alpha: f64) -> f64 {
    let q = d.ppf(alpha);
    let c0 = d.c0();
    let integrand = |w: f64| {
        if w <= 0.0 {
            return 0.0;
        }
        let z = q - (1.0 - w) / w;
        z * (c0 + d.g(z)).exp() / (w * w)
    };
    let m = 20_000usize;
    let h = 1.0 / m as f64;
    let mut s = integrand(0.0) + integrand(1.0);
    for i in 1..m {
        let w = i as f64 * h;
        s += if i % 2 == 1 { 4.0 } else { 2.0 } * integrand(w);
    }
    s * h / 3.0 / alpha
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_grad<S: Shape>(d: &S, dplus: &[S], hs: &[f64]) {
        for &z in &[-2.5, -0.7, -0.01, 0.3, 1.9] {
            let mut dp = [0.0; 2];
            let (g, gz) = d.g_grad(z, &mut dp);
            assert!((g - d.g(z)).abs() < 1e-14);
            let h = 1e-6;
            let num = (d.g(z + h) - d.g(z - h)) / (2.0 * h);
            assert!((gz - num).abs() < 1e-6, "dz at {z}: {gz} vs {num}");
            for (i, (dpl, hh)) in dplus.iter().zip(hs).enumerate() {
                let num = ((dpl.c0() + dpl.g(z)) - (d.c0() + d.g(z))) / hh;
                let ana = dp[i] + d.dc0()[i];
                assert!(
                    (ana - num).abs() < 1e-4 * (1.0 + num.abs()),
                    "dθ{i} at {z}: {ana} vs {num}"
                );
            }
        }
    }

    #[test]
    fn gradients_match_finite_differences() {
        let h = 1e-7;
        check_grad(&Normal, &[], &[]);
        check_grad(&StudentsT::new(6.5), &[StudentsT::new(6.5 + h)], &[h]);
        check_grad(&Ged::new(1.4), &[Ged::new(1.4 + h)], &[h]);
        check_grad(
            &SkewStudent::new(7.0, -0.3),
            &[
                SkewStudent::new(7.0 + h, -0.3),
                SkewStudent::new(7.0, -0.3 + h),
            ],
            &[h, h],
        );
    }

    #[test]
    fn densities_integrate_to_one_with_unit_variance() {
        let dists = [
            AnyDist::Normal(Normal),
            AnyDist::StudentsT(StudentsT::new(5.0)),
            AnyDist::SkewStudent(SkewStudent::new(6.0, 0.4)),
            AnyDist::Ged(Ged::new(1.3)),
        ];
        for d in dists {
            let (mut m0, mut m1, mut m2) = (0.0, 0.0, 0.0);
            let h = 1e-3;
            let mut z = -60.0;
            while z < 60.0 {
                let f = d.log_pdf(z).exp() * h;
                m0 += f;
                m1 += z * f;
                m2 += z * z * f;
                z += h;
            }
            assert!((m0 - 1.0).abs() < 1e-4, "{d:?} mass {m0}");
            assert!(m1.abs() < 1e-3, "{d:?} mean {m1}");
            assert!((m2 - 1.0).abs() < 2e-2, "{d:?} var {m2}");
        }
    }

    #[test]
    fn quantiles_invert_and_tail_means_match_closed_forms() {
        // Normal 5%: q = −1.644853626951472, E[Z|Z≤q] = −φ(q)/0.05 = −2.062712807 (scipy 1.x).
        let n = AnyDist::Normal(Normal);
        assert!((n.ppf(0.05) + 1.644_853_626_951_472).abs() < 1e-9);
        assert!((n.lower_tail_mean(0.05) + 2.062_712_807_1).abs() < 1e-8);
        assert!((lower_tail_mean_numeric(&Normal, 0.05) + 2.062_712_807_1).abs() < 1e-6);
        let t = StudentsT::new(5.0);
        assert!((lower_tail_mean_numeric(&t, 0.01) - t.lower_tail_mean(0.01)).abs() < 1e-5);
        // Closed-form tail means of the skewed t and the GED against quadrature.
        for d in [
            SkewStudent::new(5.0, -0.3),
            SkewStudent::new(8.0, 0.4),
            SkewStudent::new(3.0, 0.0),
        ] {
            for a in [0.001, 0.01, 0.05, 0.1, 0.3] {
                let (closed, num) = (d.lower_tail_mean(a), lower_tail_mean_numeric(&d, a));
                assert!(
                    (closed - num).abs() < 1e-6 * num.abs(),
                    "{d:?} {a}: {closed} vs {num}"
                );
            }
        }
        for d in [Ged::new(1.2), Ged::new(1.7), Ged::new(3.5)] {
            for a in [0.001, 0.01, 0.05, 0.1, 0.3] {
                let (closed, num) = (d.lower_tail_mean(a), lower_tail_mean_numeric(&d, a));
                assert!(
                    (closed - num).abs() < 1e-6 * num.abs(),
                    "{d:?} {a}: {closed} vs {num}"
                );
            }
        }
        assert!((Ged::new(2.0).lower_tail_mean(0.05) + 2.062_712_807_1).abs() < 1e-8);
        // Skew-t with λ = 0 is the t; GED with ν = 2 is the normal.
        let st = SkewStudent::new(5.0, 0.0);
        assert!((st.ppf(0.01) - t.ppf(0.01)).abs() < 1e-9);
        assert!((Ged::new(2.0).ppf(0.05) + 1.644_853_626_951_472).abs() < 1e-6);
    }
}
