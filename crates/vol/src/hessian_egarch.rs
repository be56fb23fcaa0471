//! Analytic Hessian and score covariance of EGARCH(1,1) and EGARCH(1,1,1) (Nelson 1991) with
//! zero or constant mean and normal, Student-t or Hansen skewed-t errors, in one pass.
//!
//! With ε_t = y_t − μ, h_t = ln σ²_t, z_t = ε_t e^{−h_t/2} and
//!
//! h_t = ω + α(|z_{t−1}| − √(2/π)) + γ z_{t−1} + β h_{t−1},
//!
//! ℓ_t = c₀(p) − ½ h_t + g(z_t; p). Writing H_i = ∂h_t/∂θ_i, ε_i = ∂ε_t/∂θ_i (−1 for μ, else 0)
//! and r = e^{−h_t/2}:
//!
//! - z_i = −½ z H_i + r ε_i,  z_ij = ¼ z H_i H_j − ½ z H_ij − ½ r (H_i ε_j + H_j ε_i);
//! - ℓ_i = −½ H_i + g_z z_i,  ℓ_ij = −½ H_ij + g_zz z_i z_j + g_z z_ij,
//!   ℓ_ip = g_zp z_i,  ℓ_pq = g_pq + c₀_pq;
//! - with w = α sgn z_{t−1} + γ and a_i = [i = α] sgn z_{t−1} + [i = γ] (all at t − 1):
//!   H_i(t) = [i = ω] + [i = α](|z| − √(2/π)) + [i = γ] z + [i = β] h_{t−1} + w z_i + β H_i(t−1),
//!   H_ij(t) = w z_ij + a_i z_j + a_j z_i + [i = β] H_j(t−1) + [j = β] H_i(t−1) + β H_ij(t−1).
//!
//! At t = 0 the pre-sample log variance is the backcast b, which under the `Sample` rules is
//! ln m₂ with m₂ = mean ε², m₁ = mean ε (b_μ = −2m₁/m₂, b_μμ = 2/m₂ − 4m₁²/m₂²); under
//! `SampleMeanShock` the pre-sample shock z₀ = m₁ s, s = e^{−b/2}, adds α(|z₀| − √(2/π)) + γz₀
//! with z₀_μ = −s + m₁ s_μ, z₀_μμ = −2 s_μ + m₁ s_μμ (s_μ = −½ b_μ s, s_μμ = (¼b_μ² − ½b_μμ) s).
//! A variance bound that binds anywhere makes the pass give up (`None`): the caller then
//! differences the analytic gradient.

use crate::dist::second::Shape2;
use crate::dist::{Normal, SkewStudent, StudentsT};
use crate::hessian::{add_outer, finish, Curvature, KMAX};
use crate::likelihood::Model;
use crate::recursions::{LNSIGMA_MAX, SQRT_2_OVER_PI};
use crate::spec::{Backcast, DistKind, MeanSpec, VolKind};

/// Largest count of mean and variance parameters.
const DMAX: usize = 5;

/// The pre-sample values at t = 0 and their μ-derivatives (zero without a constant mean).
struct Start {
    bc: f64,
    dbc: f64,
    d2bc: f64,
    shock: Option<(f64, f64, f64)>,
}

/// The analytic curvature of EGARCH(1, ≤1, 1) at `theta` (zero or constant mean, normal / t /
/// skew-t); `None` for other models or when a variance bound binds.
pub(crate) fn curvature(model: &Model, theta: &[f64]) -> Option<Curvature> {
    curvature_with(model, theta, true)
}

/// The Hessian alone (no score outer products), row-major `k × k`.
pub(crate) fn curvature_hessian(model: &Model, theta: &[f64]) -> Option<Vec<f64>> {
    curvature_with(model, theta, false).map(|c| c.hess)
}

/// The diagonal of the Hessian alone (off-diagonal entries left at zero): the diagonal second
/// derivatives follow their own closed recursions (H_ii needs only z_ii, H_i), a third of the
/// work. For scaling the optimizer's coordinates.
pub(crate) fn curvature_diagonal(model: &Model, theta: &[f64]) -> Option<Vec<f64>> {
    let k = theta.len();
    curvature_mode(model, theta, false, false).map(|c| (0..k).map(|i| c.hess[i * k + i]).collect())
}

fn curvature_with(model: &Model, theta: &[f64], with_opg: bool) -> Option<Curvature> {
    curvature_mode(model, theta, with_opg, true)
}

/// Whether [`curvature`] covers the model: EGARCH of orders (1, ≤1, 1), zero or constant mean.
pub(crate) fn covers(model: &Model) -> bool {
    let ord = model.vol.ord;
    model.spec.vol == VolKind::Egarch
        && ord.p == 1
        && ord.q == 1
        && ord.o <= 1
        && matches!(model.spec.mean, MeanSpec::Zero | MeanSpec::Constant)
}

fn curvature_mode(model: &Model, theta: &[f64], with_opg: bool, full: bool) -> Option<Curvature> {
    let spec = model.spec;
    let ord = model.vol.ord;
    if !covers(model) {
        return None;
    }
    let km = model.km;
    let n = model.nobs();
    let mut resids = vec![0.0; n];
    model.mean.resids(&theta[..km], &mut resids);
    let start = if spec.backcast.is_sample() {
        let nf = n as f64;
        let m2 = resids.iter().map(|e| e * e).sum::<f64>() / nf;
        let m1 = resids.iter().sum::<f64>() / nf;
        let bc = m2.ln();
        let dbc = -2.0 * m1 / m2;
        let d2bc = 2.0 / m2 - 4.0 * m1 * m1 / (m2 * m2);
        let shock = (spec.backcast == Backcast::SampleMeanShock).then(|| {
            let s = (-0.5 * bc).exp();
            let ds = -0.5 * dbc * s;
            let d2s = (0.25 * dbc * dbc - 0.5 * d2bc) * s;
            (m1 * s, -s + m1 * ds, -2.0 * ds + m1 * d2s)
        });
        Start {
            bc,
            dbc,
            d2bc,
            shock,
        }
    } else {
        Start {
            bc: model.backcast,
            dbc: 0.0,
            d2bc: 0.0,
            shock: None,
        }
    };
    let inp = Pass {
        resids: &resids,
        lo: &model.lo,
        hi: &model.hi,
        start,
        with_opg,
        full,
    };
    let shape = &theta[km + model.kv..];
    let o = ord.o;
    match spec.dist {
        DistKind::Normal => dispatch::<_, 0>(&inp, theta, &Normal, km, o),
        DistKind::StudentsT => dispatch::<_, 1>(&inp, theta, &StudentsT::new(shape[0]), km, o),
        DistKind::SkewStudent => {
            dispatch::<_, 2>(&inp, theta, &SkewStudent::new(shape[0], shape[1]), km, o)
        }
        DistKind::Ged => None,
    }
}

struct Pass<'a> {
    resids: &'a [f64],
    lo: &'a [f64],
    hi: &'a [f64],
    start: Start,
    with_opg: bool,
    full: bool,
}

fn dispatch<S: Shape2, const KD: usize>(
    inp: &Pass<'_>,
    theta: &[f64],
    dist: &S,
    km: usize,
    o: usize,
) -> Option<Curvature> {
    match (km, o, inp.full) {
        (0, 0, true) => pass::<S, 0, 0, true, KD>(inp, theta, dist),
        (0, _, true) => pass::<S, 0, 1, true, KD>(inp, theta, dist),
        (_, 0, true) => pass::<S, 1, 0, true, KD>(inp, theta, dist),
        (_, _, true) => pass::<S, 1, 1, true, KD>(inp, theta, dist),
        (0, 0, false) => pass::<S, 0, 0, false, KD>(inp, theta, dist),
        (0, _, false) => pass::<S, 0, 1, false, KD>(inp, theta, dist),
        (_, 0, false) => pass::<S, 1, 0, false, KD>(inp, theta, dist),
        (_, _, false) => pass::<S, 1, 1, false, KD>(inp, theta, dist),
    }
}

/// The one pass, `M` mean and `O` asymmetric parameters fixed at compile time; `FULL = false`
/// keeps only the diagonal second derivatives.
fn pass<S: Shape2, const M: usize, const O: usize, const FULL: bool, const KD: usize>(
    inp: &Pass<'_>,
    theta: &[f64],
    dist: &S,
) -> Option<Curvature> {
    let kd = KD;
    let d = M + 3 + O;
    let k = d + kd;
    let (iw, ia, ig, ib) = (M, M + 1, M + 2, M + 2 + O);
    let (omega, alpha, beta) = (theta[iw], theta[ia], theta[ib]);
    let gamma = if O == 1 { theta[ig] } else { 0.0 };
    // a_i of the module doc without its sign factor: 1 for α (times sgn z), 1 for γ.
    let mut hi_ = [0.0f64; DMAX];
    let mut hij = [[0.0f64; DMAX]; DMAX];
    let mut zi = [0.0f64; DMAX];
    let mut zij = [[0.0f64; DMAX]; DMAX];
    let mut hess = [[0.0f64; KMAX]; KMAX];
    let mut sum_sc = [0.0f64; KMAX];
    let mut opg = [[0.0f64; KMAX]; KMAX];
    let dc0 = dist.dc0();
    let st = &inp.start;
    let (mut h_prev, mut z_prev) = (0.0f64, 0.0f64);
    for (t, &eps) in inp.resids.iter().enumerate() {
        // 1. h_t with its first and second derivatives (second first: they read the previous).
        let mut nh = [0.0f64; DMAX];
        let mut nhh = [[0.0f64; DMAX]; DMAX];
        let v = if t == 0 {
            nh[iw] = 1.0;
            nh[ib] = st.bc;
            let mut v = omega + beta * st.bc;
            if M == 1 {
                nh[0] = beta * st.dbc;
                nhh[0][0] = beta * st.d2bc;
                nhh[ib][0] = st.dbc;
            }
            if let Some((z0, dz0, d2z0)) = st.shock {
                let sg = z0.signum();
                v += alpha * (z0.abs() - SQRT_2_OVER_PI) + gamma * z0;
                nh[ia] = z0.abs() - SQRT_2_OVER_PI;
                if O == 1 {
                    nh[ig] = z0;
                }
                if M == 1 {
                    let w = alpha * sg + gamma;
                    nh[0] += w * dz0;
                    nhh[0][0] += w * d2z0;
                    nhh[ia][0] += sg * dz0;
                    if O == 1 {
                        nhh[ig][0] += dz0;
                    }
                }
            }
            v
        } else {
            let sg = z_prev.signum();
            let w = alpha * sg + gamma;
            for i in 0..d {
                for j in (if FULL { 0 } else { i })..=i {
                    let mut x = w * zij[i][j] + beta * hij[i][j];
                    if i == ib {
                        x += hi_[j];
                    }
                    if j == ib {
                        x += hi_[i];
                    }
                    nhh[i][j] = x;
                }
            }
            // a_i z_j + a_j z_i for i, j ∈ {α, γ} × all.
            for j in 0..d {
                if !FULL && j != ia && j != ig {
                    continue;
                }
                let (r, c) = if ia >= j { (ia, j) } else { (j, ia) };
                nhh[r][c] += sg * zi[j];
                if r == c {
                    nhh[r][c] += sg * zi[j];
                }
                if O == 1 {
                    let (r, c) = if ig >= j { (ig, j) } else { (j, ig) };
                    nhh[r][c] += zi[j];
                    if r == c {
                        nhh[r][c] += zi[j];
                    }
                }
            }
            for i in 0..d {
                nh[i] = w * zi[i] + beta * hi_[i];
            }
            nh[iw] += 1.0;
            nh[ia] += z_prev.abs() - SQRT_2_OVER_PI;
            if O == 1 {
                nh[ig] += z_prev;
            }
            nh[ib] += h_prev;
            omega + alpha * (z_prev.abs() - SQRT_2_OVER_PI) + gamma * z_prev + beta * h_prev
        };
        if !(v <= LNSIGMA_MAX) {
            return None;
        }
        // r = e^{−h/2} = 1/σ (one exp); σ² = 1/r² only checks the bounds.
        let r = (-0.5 * v).exp();
        let s2 = 1.0 / (r * r);
        if !(s2 >= inp.lo[t] && s2 <= inp.hi[t]) {
            return None;
        }
        hi_ = nh;
        hij = nhh;
        // 2. z_t and its derivatives.
        let z = eps * r;
        for i in 0..d {
            zi[i] = -0.5 * z * hi_[i];
        }
        if M == 1 {
            zi[0] -= r;
        }
        for i in 0..d {
            for j in (if FULL { 0 } else { i })..=i {
                zij[i][j] = 0.25 * z * hi_[i] * hi_[j] - 0.5 * z * hij[i][j];
            }
        }
        if M == 1 {
            // ε_μ = −1: −½ r (H_i ε_j + H_j ε_i) touches column 0 (and doubles at (0, 0)).
            for i in 0..d {
                zij[i][0] += 0.5 * r * hi_[i];
            }
            zij[0][0] += 0.5 * r * hi_[0];
        }
        // 3. ℓ_t's derivatives: scores, Hessian (lower triangle), outer products.
        let sec = dist.second(z);
        let mut sc = [0.0f64; KMAX];
        for i in 0..d {
            sc[i] = -0.5 * hi_[i] + sec.gz * zi[i];
            for j in (if FULL { 0 } else { i })..=i {
                hess[i][j] += -0.5 * hij[i][j] + sec.gzz * zi[i] * zi[j] + sec.gz * zij[i][j];
            }
        }
        for p in 0..kd {
            sc[d + p] = sec.gp[p] + dc0[p];
            for i in 0..d {
                hess[d + p][i] += sec.gzp[p] * zi[i];
            }
            for q in 0..=p {
                hess[d + p][d + q] += sec.gpp[p + q];
            }
        }
        if inp.with_opg {
            add_outer(&sc, k, &mut sum_sc, &mut opg);
        }
        h_prev = v;
        z_prev = z;
    }
    Some(finish(
        dist,
        inp.resids.len() as f64,
        d,
        kd,
        &mut hess,
        &opg,
        &sum_sc,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hessian::assert_curvature_close;
    use crate::spec::{CovType, GarchSpec};

    /// The analytic H and B against central differences of the analytic gradient and the
    /// generic per-observation scores, every covered mean × order × dist × backcast.
    #[test]
    fn analytic_curvature_matches_numeric() {
        let y = crate::simulate_spec(&GarchSpec::default(), &[0.03, 0.05, 0.1, 0.85], 600, 100, 3)
            .unwrap()
            .y;
        let dists = [
            (DistKind::Normal, vec![]),
            (DistKind::StudentsT, vec![6.0]),
            (DistKind::SkewStudent, vec![7.0, -0.2]),
        ];
        let backcasts = [Backcast::Ewma, Backcast::Sample, Backcast::SampleMeanShock];
        for o in [0, 1] {
            for (dist, shape) in &dists {
                for (mean, phi) in [(MeanSpec::Constant, vec![0.2]), (MeanSpec::Zero, vec![])] {
                    for backcast in backcasts {
                        let spec = GarchSpec {
                            mean,
                            vol: VolKind::Egarch,
                            p: 1,
                            o,
                            q: 1,
                            dist: *dist,
                            backcast,
                        };
                        let tv = if o == 1 {
                            vec![0.02, 0.15, -0.07, 0.93]
                        } else {
                            vec![0.02, 0.15, 0.93]
                        };
                        let theta: Vec<f64> = phi.iter().chain(&tv).chain(shape).copied().collect();
                        let mut model = Model::new(spec, &y);
                        let ana = curvature(&model, &theta).unwrap();
                        let num = crate::covariance::numeric_curvature_for_tests(
                            &mut model,
                            &theta,
                            CovType::Robust,
                        );
                        assert_curvature_close(&ana, &num, &format!("{spec} {backcast:?}"));
                    }
                }
            }
        }
    }

    #[test]
    fn diagonal_pass_matches_the_full_one() {
        let y = crate::simulate_spec(&GarchSpec::default(), &[0.03, 0.05, 0.1, 0.85], 500, 100, 5)
            .unwrap()
            .y;
        for (o, tv) in [
            (1, vec![0.02, 0.15, -0.07, 0.93]),
            (0, vec![0.02, 0.15, 0.93]),
        ] {
            for backcast in [Backcast::Ewma, Backcast::SampleMeanShock] {
                let spec = GarchSpec {
                    vol: VolKind::Egarch,
                    o,
                    dist: DistKind::StudentsT,
                    backcast,
                    ..GarchSpec::default()
                };
                let theta: Vec<f64> = [0.1].iter().chain(&tv).chain(&[7.0]).copied().collect();
                let model = Model::new(spec, &y);
                let full = curvature(&model, &theta).unwrap().hess;
                let diag = curvature_diagonal(&model, &theta).unwrap();
                let k = theta.len();
                for i in 0..k {
                    let (a, b) = (diag[i], full[i * k + i]);
                    assert!((a - b).abs() <= 1e-12 * b.abs(), "{spec} {i}: {a} vs {b}");
                }
            }
        }
    }

    #[test]
    fn uncovered_models_fall_back() {
        let y = crate::simulate_spec(&GarchSpec::default(), &[0.03, 0.05, 0.1, 0.85], 300, 100, 4)
            .unwrap()
            .y;
        let egarch = GarchSpec {
            vol: VolKind::Egarch,
            ..GarchSpec::default()
        };
        let ged = GarchSpec {
            dist: DistKind::Ged,
            ..egarch
        };
        assert!(curvature(&Model::new(ged, &y), &[0.03, 0.0, 0.1, 0.9, 1.5]).is_none());
        let ar = GarchSpec {
            mean: MeanSpec::Ar { lags: 1 },
            ..egarch
        };
        assert!(curvature(&Model::new(ar, &y), &[0.03, 0.1, 0.0, 0.1, 0.9]).is_none());
        let garch = Model::new(GarchSpec::default(), &y);
        assert!(curvature(&garch, &[0.03, 0.05, 0.1, 0.85]).is_none());
        // A variance floor that binds: the numeric Hessian takes over.
        let model = Model::new(egarch, &y);
        assert!(curvature(&model, &[0.03, -60.0, 0.0, 0.0]).is_none());
        assert!(curvature(&model, &[0.03, 0.0, 0.1, 0.9]).is_some());
    }
}
