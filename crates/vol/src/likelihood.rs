//! The model as the estimator sees it: θ = (mean φ | variance θ_v | distribution ν), and the
//! log-likelihood, its analytic gradient and per-observation scores.
//!
//! ℓ(θ) = Σ_t [c₀(ν) − ½ ln σ²_t + g(ε_t/σ_t; ν)] with ε_t = y_t − x_tᵀφ and σ²_t from the
//! variance recursion. The gradient differentiates the recursion alongside it
//! (∂s_t/∂θ = [1, |ε_{t−1}|^δ, …, s_{t−1}] + β·∂s_{t−1}/∂θ, see [`crate::recursions`]), so one pass
//! gives value and gradient.

use crate::dist::{self, Ged, Normal, Shape, SkewStudent, StudentsT};
use crate::fused;
use crate::fused_egarch::Shock;
use crate::mean::MeanModel;
use crate::recursions;
use crate::spec::{Backcast, DistKind, GarchSpec, VolKind};
use crate::variance::VolModel;

/// A model bound to its data, with scratch space for repeated evaluation.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    pub spec: GarchSpec,
    pub mean: MeanModel,
    pub vol: VolModel,
    pub backcast: f64,
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
    pub km: usize,
    pub kv: usize,
    pub kd: usize,
    resids: Vec<f64>,
    start_resids: Vec<f64>,
    allow_fused: bool,
    s: Vec<f64>,
    sigma2: Vec<f64>,
    ds: Vec<f64>,
    e: Vec<f64>,
    de: Vec<f64>,
}

/// What [`Model::evaluate`] should produce besides the value.
enum Want<'a> {
    Value,
    Gradient(&'a mut [f64]),
    Scores(&'a mut [f64]),
}

impl Model {
    /// Binds `spec` to `y`; the backcast and variance bounds come from the residuals at the mean's
    /// least-squares fit, fixed for the whole estimation as in `arch` (the `Sample` backcast is
    /// then recomputed at every evaluation).
    pub fn new(spec: GarchSpec, y: &[f64]) -> Model {
        let mean = MeanModel::new(spec.mean, y);
        let vol = VolModel::new(&spec);
        let n = mean.nobs();
        let mut resids = vec![0.0; n];
        let phi = mean.starting_values().unwrap_or_else(|_| vec![0.0; mean.k]);
        mean.resids(&phi, &mut resids);
        let backcast = vol.backcast(&resids, spec.backcast);
        let (lo, hi) = vol.variance_bounds(&resids);
        let (km, kv, kd) = (mean.k, vol.num_params(), dist::param_names(spec.dist).len());
        Model {
            spec,
            backcast,
            lo,
            hi,
            km,
            kv,
            kd,
            start_resids: resids.clone(),
            allow_fused: true,
            resids,
            s: vec![0.0; n],
            sigma2: vec![0.0; n],
            ds: Vec::new(),
            e: Vec::new(),
            de: Vec::new(),
            mean,
            vol,
        }
    }

    /// Residuals at the mean's starting values (they fixed the backcast and the bounds).
    pub fn resids_at_start(&self) -> &[f64] {
        &self.start_resids
    }

    /// Total number of parameters.
    pub fn k(&self) -> usize {
        self.km + self.kv + self.kd
    }

    /// Observations used in estimation.
    pub fn nobs(&self) -> usize {
        self.mean.nobs()
    }

    /// Residuals at the last [`Model::filter`] (or generic evaluation).
    pub fn resids(&self) -> &[f64] {
        &self.resids
    }

    /// Conditional variances at the last [`Model::filter`] (or generic evaluation).
    pub fn sigma2(&self) -> &[f64] {
        &self.sigma2
    }

    /// ℓ(θ) through the generic path, leaving residuals and σ² in [`Model::resids`] and
    /// [`Model::sigma2`] (the fused kernels keep no per-observation arrays).
    pub fn filter(&mut self, theta: &[f64]) -> f64 {
        self.allow_fused = false;
        let ll = self.evaluate(theta, Want::Value);
        self.allow_fused = true;
        ll
    }

    /// ℓ(θ).
    pub fn loglik(&mut self, theta: &[f64]) -> f64 {
        self.evaluate(theta, Want::Value)
    }

    /// ℓ(θ) and ∇ℓ(θ) into `grad`.
    pub fn loglik_grad(&mut self, theta: &[f64], grad: &mut [f64]) -> f64 {
        self.evaluate(theta, Want::Gradient(grad))
    }

    /// Per-observation scores ∂ℓ_t/∂θ, row-major `nobs × k`; returns ℓ(θ).
    pub fn scores(&mut self, theta: &[f64], out: &mut [f64]) -> f64 {
        self.evaluate(theta, Want::Scores(out))
    }

    fn evaluate(&mut self, theta: &[f64], want: Want<'_>) -> f64 {
        let (km, kv) = (self.km, self.kv);
        let (phi, rest) = theta.split_at(km);
        let (tv, nu) = rest.split_at(kv);
        self.mean.resids(phi, &mut self.resids);
        let n = self.resids.len();
        let d = km + kv;
        let grad = !matches!(want, Want::Value);
        let mut dbc = [0.0; 64];
        if self.spec.backcast.is_sample() {
            self.backcast = self.sample_backcast(if grad { Some(&mut dbc[..km]) } else { None });
        }
        let dbc = &dbc[..km];
        let mut dshock = [0.0; 64];
        let shock = self.presample_shock(dbc, &mut dshock[..km]);
        let dshock = &dshock[..km];
        let (lo, hi, bc) = (&self.lo, &self.hi, self.backcast);
        let fused = self.allow_fused
            && self.vol.ord.p == 1
            && self.vol.ord.q == 1
            && self.vol.ord.o <= 1
            && km <= 1
            && !matches!(want, Want::Scores(_));
        if fused {
            let inp = fused::Inputs {
                resids: &self.resids,
                lo,
                hi,
                backcast: bc,
                dbc: dbc.first().copied().unwrap_or(0.0),
                power: self.vol.power(),
            };
            let mut none: [f64; 0] = [];
            let grad_out: &mut [f64] = match want {
                Want::Gradient(g) => g,
                _ => &mut none,
            };
            let kd = self.kd;
            let shock = Shock {
                z: shock,
                dz: dshock.first().copied().unwrap_or(0.0),
            };
            let o = self.vol.ord.o
                + if self.vol.kind == VolKind::Egarch {
                    2
                } else {
                    0
                };
            return match self.spec.dist {
                DistKind::Normal => {
                    fused_dispatch(&inp, theta, &Normal, kd, o, km, shock, grad_out)
                }
                DistKind::StudentsT => fused_dispatch(
                    &inp,
                    theta,
                    &StudentsT::new(nu[0]),
                    kd,
                    o,
                    km,
                    shock,
                    grad_out,
                ),
                DistKind::SkewStudent => fused_dispatch(
                    &inp,
                    theta,
                    &SkewStudent::new(nu[0], nu[1]),
                    kd,
                    o,
                    km,
                    shock,
                    grad_out,
                ),
                DistKind::Ged => {
                    fused_dispatch(&inp, theta, &Ged::new(nu[0]), kd, o, km, shock, grad_out)
                }
            };
        }
        // 1. the variance recursion; `mult` turns ∂s into ∂σ².
        let mult = match (self.vol.kind, grad) {
            (VolKind::Egarch, false) => {
                let start = recursions::EgarchStart {
                    h: bc,
                    dh: &[],
                    shock,
                    dshock: &[],
                };
                recursions::egarch_from(
                    tv,
                    &self.resids,
                    self.vol.ord,
                    &start,
                    lo,
                    hi,
                    &mut self.sigma2,
                );
                Mult::One
            }
            (VolKind::Egarch, true) => {
                self.ds.resize(n * d, 0.0);
                self.e.resize(n, 0.0);
                self.de.resize(n * d, 0.0);
                let start = recursions::EgarchStart {
                    h: bc,
                    dh: dbc,
                    shock,
                    dshock,
                };
                recursions::egarch_grad_from(
                    tv,
                    &self.resids,
                    &self.mean.x,
                    km,
                    self.vol.ord,
                    &start,
                    lo,
                    hi,
                    &mut self.sigma2,
                    &mut self.s,
                    &mut self.ds,
                    &mut self.e,
                    &mut self.de,
                );
                Mult::Sigma2
            }
            (_, false) => {
                let power = self.vol.power();
                recursions::power_garch(
                    tv,
                    &self.resids,
                    power,
                    self.vol.ord,
                    bc,
                    lo,
                    hi,
                    &mut self.s,
                );
                fill_sigma2(&self.s, power, &mut self.sigma2);
                Mult::One
            }
            (_, true) => {
                let power = self.vol.power();
                self.ds.resize(n * d, 0.0);
                recursions::power_garch_grad(
                    tv,
                    &self.resids,
                    &self.mean.x,
                    km,
                    power,
                    self.vol.ord,
                    bc,
                    dbc,
                    lo,
                    hi,
                    &mut self.s,
                    &mut self.ds,
                );
                fill_sigma2(&self.s, power, &mut self.sigma2);
                if power == 1.0 {
                    Mult::TwoS
                } else {
                    Mult::One
                }
            }
        };
        // 2. the distribution.
        let parts = Parts {
            resids: &self.resids,
            sigma2: &self.sigma2,
            s: &self.s,
            ds: &self.ds,
            x: &self.mean.x,
            km,
            d,
            kd: self.kd,
            mult,
        };
        match self.spec.dist {
            DistKind::Normal => parts.run(&Normal, want),
            DistKind::StudentsT => parts.run(&StudentsT::new(nu[0]), want),
            DistKind::SkewStudent => parts.run(&SkewStudent::new(nu[0], nu[1]), want),
            DistKind::Ged => parts.run(&Ged::new(nu[0]), want),
        }
    }
}

impl Model {
    /// EGARCH's pre-sample shock under [`Backcast::SampleMeanShock`]: e₀ = ε̄·exp(−h₋₁/2) with ε̄
    /// the mean residual and h₋₁ = ln mean ε² the backcast; `d` receives ∂e₀/∂φ =
    /// exp(−h₋₁/2)(∂ε̄/∂φ − ½ ε̄ ∂h₋₁/∂φ) given `dbc` = ∂h₋₁/∂φ. `None` for the other rules.
    fn presample_shock(&self, dbc: &[f64], d: &mut [f64]) -> Option<f64> {
        if self.spec.backcast != Backcast::SampleMeanShock || self.vol.kind != VolKind::Egarch {
            return None;
        }
        let n = self.resids.len() as f64;
        let km = self.km;
        let mbar = self.resids.iter().sum::<f64>() / n;
        let scale = (-0.5 * self.backcast).exp();
        for c in 0..km {
            let dm = -(0..self.resids.len())
                .map(|t| self.mean.x[t * km + c])
                .sum::<f64>()
                / n;
            d[c] = scale * (dm - 0.5 * mbar * dbc[c]);
        }
        Some(mbar * scale)
    }

    /// The `Sample` backcast at the current residuals — mean |ε|^δ (ln of mean ε² for EGARCH) —
    /// and, when asked, its derivative in the mean parameters.
    fn sample_backcast(&self, d: Option<&mut [f64]>) -> f64 {
        let n = self.resids.len() as f64;
        let km = self.km;
        let root = self.vol.power() == 1.0;
        let f = |e: f64| if root { e.abs() } else { e * e };
        let m: f64 = self.resids.iter().map(|&e| f(e)).sum::<f64>() / n;
        let egarch = self.vol.kind == VolKind::Egarch;
        if let Some(d) = d {
            d.fill(0.0);
            for (t, &e) in self.resids.iter().enumerate() {
                let fe = if root { e.signum() } else { 2.0 * e };
                for c in 0..km {
                    d[c] -= fe * self.mean.x[t * km + c] / n;
                }
            }
            if egarch {
                d.iter_mut().for_each(|v| *v /= m);
            }
        }
        if egarch {
            m.ln()
        } else {
            m
        }
    }
}

/// Picks the monomorphized fused kernel; an empty `grad` means value only.
#[allow(clippy::too_many_arguments)]
fn fused_dispatch<S: Shape>(
    inp: &fused::Inputs<'_>,
    theta: &[f64],
    dist: &S,
    kd: usize,
    o: usize,
    km: usize,
    shock: Shock,
    grad: &mut [f64],
) -> f64 {
    use crate::fused_egarch::egarch11 as x;
    use fused::power11 as k;
    match (km, o, grad.is_empty()) {
        // o + 2 marks EGARCH.
        (0, 2, true) => x::<S, 0, 0, false>(inp, theta, dist, kd, shock, grad),
        (0, 3, true) => x::<S, 0, 1, false>(inp, theta, dist, kd, shock, grad),
        (1, 2, true) => x::<S, 1, 0, false>(inp, theta, dist, kd, shock, grad),
        (1, 3, true) => x::<S, 1, 1, false>(inp, theta, dist, kd, shock, grad),
        (0, 2, false) => x::<S, 0, 0, true>(inp, theta, dist, kd, shock, grad),
        (0, 3, false) => x::<S, 0, 1, true>(inp, theta, dist, kd, shock, grad),
        (1, 2, false) => x::<S, 1, 0, true>(inp, theta, dist, kd, shock, grad),
        (1, 3, false) => x::<S, 1, 1, true>(inp, theta, dist, kd, shock, grad),
        (0, 0, true) => k::<S, 0, 0, false>(inp, theta, dist, kd, grad),
        (0, 1, true) => k::<S, 0, 1, false>(inp, theta, dist, kd, grad),
        (1, 0, true) => k::<S, 1, 0, false>(inp, theta, dist, kd, grad),
        (1, 1, true) => k::<S, 1, 1, false>(inp, theta, dist, kd, grad),
        (0, 0, false) => k::<S, 0, 0, true>(inp, theta, dist, kd, grad),
        (0, 1, false) => k::<S, 0, 1, true>(inp, theta, dist, kd, grad),
        (1, 0, false) => k::<S, 1, 0, true>(inp, theta, dist, kd, grad),
        _ => k::<S, 1, 1, true>(inp, theta, dist, kd, grad),
    }
}

fn fill_sigma2(s: &[f64], power: f64, sigma2: &mut [f64]) {
    if power == 2.0 {
        sigma2.copy_from_slice(s);
    } else {
        for (o, v) in sigma2.iter_mut().zip(s) {
            *o = v * v;
        }
    }
}

/// How ∂s_t maps to ∂σ²_t.
#[derive(Clone, Copy)]
enum Mult {
    /// s = σ².
    One,
    /// s = σ: ∂σ² = 2s·∂s.
    TwoS,
    /// s = ln σ²: ∂σ² = σ²·∂s.
    Sigma2,
}

struct Parts<'a> {
    resids: &'a [f64],
    sigma2: &'a [f64],
    s: &'a [f64],
    ds: &'a [f64],
    x: &'a [f64],
    km: usize,
    d: usize,
    kd: usize,
    mult: Mult,
}

impl Parts<'_> {
    fn run<S: Shape>(&self, dist: &S, want: Want<'_>) -> f64 {
        let n = self.resids.len();
        match want {
            Want::Value => {
                let mut sum_g = 0.0;
                for (e, v) in self.resids.iter().zip(self.sigma2) {
                    sum_g += dist.g(e / v.sqrt());
                }
                n as f64 * dist.c0() - 0.5 * sum_ln(self.sigma2) + sum_g
            }
            Want::Gradient(grad) => {
                grad.fill(0.0);
                let mut dp = [0.0; 2];
                let mut ll = 0.0;
                for t in 0..n {
                    ll += self.step(dist, t, grad, &mut dp);
                }
                let dc0 = dist.dc0();
                for i in 0..self.kd {
                    grad[self.d + i] = dp[i] + n as f64 * dc0[i];
                }
                ll + n as f64 * dist.c0() - 0.5 * sum_ln(self.sigma2)
            }
            Want::Scores(out) => {
                let k = self.d + self.kd;
                out.fill(0.0);
                let dc0 = dist.dc0();
                let mut ll = 0.0;
                for t in 0..n {
                    let mut dp = [0.0; 2];
                    let row = &mut out[t * k..(t + 1) * k];
                    ll += self.step(dist, t, row, &mut dp);
                    for i in 0..self.kd {
                        row[self.d + i] = dp[i] + dc0[i];
                    }
                }
                ll + n as f64 * dist.c0() - 0.5 * sum_ln(self.sigma2)
            }
        }
    }

    /// Adds ∂ℓ_t/∂(φ, θ_v) into `g[..d]`, ∂g/∂ν into `dp`; returns g(z_t) (= ℓ_t − c₀ + ½ ln σ²_t).
    #[inline(always)]
    fn step<S: Shape>(&self, dist: &S, t: usize, g: &mut [f64], dp: &mut [f64; 2]) -> f64 {
        let (e, v) = (self.resids[t], self.sigma2[t]);
        let sd = v.sqrt();
        let z = e / sd;
        let (gv, gz) = dist.g_grad(z, dp);
        let l_e = gz / sd;
        let l_v = -0.5 * (1.0 + z * gz) / v;
        let c = l_v
            * match self.mult {
                Mult::One => 1.0,
                Mult::TwoS => 2.0 * self.s[t],
                Mult::Sigma2 => v,
            };
        let row = &self.ds[t * self.d..(t + 1) * self.d];
        for (gi, r) in g[..self.d].iter_mut().zip(row) {
            *gi += c * r;
        }
        for i in 0..self.km {
            g[i] -= l_e * self.x[t * self.km + i];
        }
        gv
    }
}

/// Σ ln v_i computed as ln of products of blocks of 16 (one `ln` per block), each block's
/// product renormalized through its binary exponent so it never overflows or underflows.
pub(crate) fn sum_ln(v: &[f64]) -> f64 {
    let mut chunks = v.chunks_exact(16);
    let mut exp_sum = 0i64;
    let mut total = 0.0;
    for c in &mut chunks {
        let mut prod = 1.0f64;
        for &x in c {
            let (m, e) = frexp(x);
            prod *= m;
            exp_sum += e as i64;
        }
        total += prod.ln();
    }
    for &x in chunks.remainder() {
        total += x.ln();
    }
    total + exp_sum as f64 * std::f64::consts::LN_2
}

/// x = m·2^e with m ∈ [1, 2) for positive normal x (bit manipulation, no `ln`).
#[inline(always)]
fn frexp(x: f64) -> (f64, i32) {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 || exp == 0x7ff {
        // zero, subnormal, inf or NaN: fall back (ln handles them).
        return (x, 0);
    }
    let m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1023u64 << 52));
    (m, exp - 1023)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::spec::MeanSpec;

    fn series(n: usize) -> Vec<f64> {
        crate::simulate_spec(&GarchSpec::default(), &[0.03, 0.05, 0.1, 0.85], n, 100, 11)
            .unwrap()
            .y
    }

    /// Analytic gradient and scores against central differences of ℓ, every vol × dist × mean.
    #[test]
    fn analytic_gradient_matches_numeric() {
        let y = series(400);
        let vols = [
            (VolKind::Garch, 1, 0, 1),
            (VolKind::Gjr, 1, 1, 1),
            (VolKind::Tarch, 1, 1, 1),
            (VolKind::Egarch, 1, 1, 1),
            (VolKind::Garch, 2, 0, 2),
        ];
        let dists = [
            (DistKind::Normal, vec![]),
            (DistKind::StudentsT, vec![6.0]),
            (DistKind::SkewStudent, vec![7.0, -0.2]),
            (DistKind::Ged, vec![1.4]),
        ];
        let means = [
            (MeanSpec::Constant, vec![0.04]),
            (MeanSpec::Zero, vec![]),
            (MeanSpec::Ar { lags: 1 }, vec![0.03, 0.1]),
        ];
        for (vol, p, o, q) in vols {
            for (dist, nu) in &dists {
                for (mean, phi) in &means {
                    for backcast in [Backcast::Ewma, Backcast::Sample, Backcast::SampleMeanShock] {
                        let spec = GarchSpec {
                            mean: *mean,
                            vol,
                            p,
                            o,
                            q,
                            dist: *dist,
                            backcast,
                        };
                        let tv: Vec<f64> = match vol {
                            VolKind::Egarch => vec![0.01, 0.15, -0.05, 0.95],
                            VolKind::Tarch => vec![0.02, 0.05, 0.06, 0.88],
                            _ if p == 2 => vec![0.03, 0.04, 0.03, 0.5, 0.35],
                            VolKind::Gjr => vec![0.03, 0.04, 0.06, 0.85],
                            _ => vec![0.03, 0.08, 0.88],
                        };
                        let theta: Vec<f64> = phi.iter().chain(&tv).chain(nu).copied().collect();
                        let mut m = Model::new(spec, &y);
                        let k = theta.len();
                        let mut g = vec![0.0; k];
                        let ll = m.loglik_grad(&theta, &mut g);
                        assert!((ll - m.loglik(&theta)).abs() < 1e-9 * ll.abs(), "{spec}");
                        // Fused kernels (where they apply) agree with the generic path.
                        let generic = m.filter(&theta);
                        assert!(
                            (ll - generic).abs() < 1e-10 * ll.abs(),
                            "{spec}: {ll} vs {generic}"
                        );
                        let num = af_optim::numdiff::gradient(|x| m.loglik(x), &theta);
                        for i in 0..k {
                            let tol = 1e-5 * (1.0 + num[i].abs());
                            assert!(
                                (g[i] - num[i]).abs() < tol,
                                "{spec} {i}: {} vs {}",
                                g[i],
                                num[i]
                            );
                        }
                        let mut sc = vec![0.0; m.nobs() * k];
                        m.scores(&theta, &mut sc);
                        for i in 0..k {
                            let s: f64 = (0..m.nobs()).map(|t| sc[t * k + i]).sum();
                            assert!(
                                (s - g[i]).abs() < 1e-8 * (1.0 + g[i].abs()),
                                "{spec} scores {i}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn blocked_sum_ln_is_exact() {
        let v: Vec<f64> = (0..1000)
            .map(|i| 1e-3 + (i as f64 * 0.37).sin().abs() * 1e3)
            .collect();
        let direct: f64 = v.iter().map(|x| x.ln()).sum();
        assert!((sum_ln(&v) - direct).abs() < 1e-12 * direct.abs().max(1.0));
        let tiny = vec![1e-300; 40];
        assert!((sum_ln(&tiny) - 40.0 * 1e-300f64.ln()).abs() < 1e-9);
    }
}
