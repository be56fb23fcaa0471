//! Analytic Hessian and score covariance of GARCH(1,1) and GJR-GARCH(1,1,1) (Bollerslev 1986;
//! Glosten, Jagannathan & Runkle 1993) with zero or constant mean and normal, Student-t or
//! Hansen skewed-t errors, in one pass over the data.
//!
//! With ε_t = y_t − μ, σ²_t = ω + (α + γ·1[ε_{t−1} < 0]) ε²_{t−1} + β σ²_{t−1} and
//! ℓ_t = L(ε_t, σ²_t; p) = c₀(p) − ½ ln σ²_t + g(ε_t/σ_t; p), the derivatives of σ²_t follow
//! recursions alongside it (θ = (μ, ω, α, γ, β), s = σ²):
//!
//! - ∂s_t/∂θ = [−2(α + γ1[·]) ε_{t−1}, 1, ε²_{t−1}, 1[·] ε²_{t−1}, s_{t−1}] + β ∂s_{t−1}/∂θ;
//! - ∂²s_t/∂θ_i∂θ_j = β ∂²s_{t−1}/∂θ_i∂θ_j + 1[i = β] ∂s_{t−1}/∂θ_j + 1[j = β] ∂s_{t−1}/∂θ_i
//!   + D_ij, where D_μμ = 2(α + γ1[·]), D_μα = −2ε_{t−1}, D_μγ = −2·1[·] ε_{t−1}, else 0;
//! - at t = 0 the pre-sample terms are the backcast b (half of it for γ):
//!   s_0 = ω + (α + γ/2 + β) b, and with the `Sample` backcast b = mean ε² depends on μ
//!   (∂b/∂μ = −2 mean ε, ∂²b/∂μ² = 2).
//!
//! Then, with z = ε s^{−1/2}, e_μ = ∂ε/∂μ = −1 and the distribution's pieces of
//! [`crate::dist::second`]: L_e = g_z z_e, L_v = −1/(2s) + g_z z_v,
//! L_ee = g_zz z_e², L_ev = g_zz z_e z_v + g_z z_ev, L_vv = 1/(2s²) + g_zz z_v² + g_z z_vv, and
//!
//! ∂²ℓ_t/∂θ_i∂θ_j = L_vv s_i s_j + L_v s_ij + L_ev (e_i s_j + e_j s_i) + L_ee e_i e_j,
//! ∂²ℓ_t/∂θ_i∂p = g_zp (z_v s_i + z_e e_i),  ∂²ℓ_t/∂p∂q = g_pq + c₀_pq.
//!
//! The per-observation scores ∂ℓ_t/∂θ = (L_v s_i + L_e e_i, g_p + c₀_p) come out of the same
//! pass, so the robust sandwich needs no second one. The variance bounds are differentiated
//! exactly as in the likelihood (floor: zero derivatives; log-damped ceiling U + ln(r/U)).

use crate::dist::second::Shape2;
use crate::dist::{Normal, SkewStudent, StudentsT};
use crate::likelihood::Model;
use crate::spec::{Backcast, DistKind, MeanSpec, VolKind};

/// Largest parameter count handled: μ, ω, α, γ, β and two shape parameters.
const KMAX: usize = 7;
/// Largest count of mean and variance parameters.
const DMAX: usize = 5;

/// ℓ's Hessian and the centered score covariance Σ(s_t − s̄)(s_t − s̄)ᵀ/(n − 1), both row-major
/// k × k.
pub(crate) struct Curvature {
    pub hess: Vec<f64>,
    pub opg: Vec<f64>,
}

/// The analytic curvature at `theta` where the model is covered (GARCH/GJR of orders (1, ≤1, 1),
/// zero or constant mean, normal / t / skew-t); `None` otherwise.
pub(crate) fn curvature(model: &Model, theta: &[f64]) -> Option<Curvature> {
    let spec = model.spec;
    let covered = matches!(spec.vol, VolKind::Garch | VolKind::Gjr)
        && model.vol.power() == 2.0
        && model.vol.ord.p == 1
        && model.vol.ord.q == 1
        && model.vol.ord.o <= 1
        && matches!(spec.mean, MeanSpec::Zero | MeanSpec::Constant);
    if !covered {
        return None;
    }
    let km = model.km;
    let n = model.nobs();
    let mut resids = vec![0.0; n];
    model.mean.resids(&theta[..km], &mut resids);
    let (bc, dbc, d2bc) = match spec.backcast {
        Backcast::Sample => {
            let nf = n as f64;
            let m2 = resids.iter().map(|e| e * e).sum::<f64>() / nf;
            let m1 = resids.iter().sum::<f64>() / nf;
            (m2, -2.0 * m1, 2.0)
        }
        Backcast::Ewma => (model.backcast, 0.0, 0.0),
    };
    let inp = Pass {
        resids: &resids,
        lo: &model.lo,
        hi: &model.hi,
        bc,
        dbc,
        d2bc,
    };
    let shape = &theta[km + model.kv..];
    let o = model.vol.ord.o;
    Some(match spec.dist {
        DistKind::Normal => dispatch(&inp, theta, &Normal, km, o, 0),
        DistKind::StudentsT => dispatch(&inp, theta, &StudentsT::new(shape[0]), km, o, 1),
        DistKind::SkewStudent => {
            dispatch(&inp, theta, &SkewStudent::new(shape[0], shape[1]), km, o, 2)
        }
        DistKind::Ged => return None,
    })
}

struct Pass<'a> {
    resids: &'a [f64],
    lo: &'a [f64],
    hi: &'a [f64],
    bc: f64,
    dbc: f64,
    d2bc: f64,
}

fn dispatch<S: Shape2>(
    inp: &Pass<'_>,
    theta: &[f64],
    dist: &S,
    km: usize,
    o: usize,
    kd: usize,
) -> Curvature {
    match (km, o) {
        (0, 0) => pass::<S, 0, 0>(inp, theta, dist, kd),
        (0, _) => pass::<S, 0, 1>(inp, theta, dist, kd),
        (_, 0) => pass::<S, 1, 0>(inp, theta, dist, kd),
        _ => pass::<S, 1, 1>(inp, theta, dist, kd),
    }
}

/// The one pass, `M` mean and `O` asymmetric parameters fixed at compile time.
fn pass<S: Shape2, const M: usize, const O: usize>(
    inp: &Pass<'_>,
    theta: &[f64],
    dist: &S,
    kd: usize,
) -> Curvature {
    let d = M + 3 + O;
    let k = d + kd;
    let (ia, ib) = (M + 1, M + 2 + O);
    let (omega, alpha, beta) = (theta[M], theta[ia], theta[ib]);
    let gamma = if O == 1 { theta[M + 2] } else { 0.0 };
    let mut ds = [0.0f64; DMAX];
    let mut d2s = [[0.0f64; DMAX]; DMAX];
    let mut hess = [[0.0f64; KMAX]; KMAX];
    let mut sum_sc = [0.0f64; KMAX];
    let mut opg = [[0.0f64; KMAX]; KMAX];
    let dc0 = dist.dc0();
    let (mut s_prev, mut e_prev) = (0.0, 0.0);
    for (t, &e) in inp.resids.iter().enumerate() {
        // 1. raw recursion value and its first and second derivatives.
        let mut dr = [0.0f64; DMAX];
        let mut d2r = [[0.0f64; DMAX]; DMAX];
        let raw = if t == 0 {
            let w = alpha + 0.5 * gamma + beta;
            dr[M] = 1.0;
            dr[ia] = inp.bc;
            dr[ib] = inp.bc;
            if O == 1 {
                dr[M + 2] = 0.5 * inp.bc;
            }
            if M == 1 {
                dr[0] = w * inp.dbc;
                d2r[0][0] = w * inp.d2bc;
                d2r[0][ia] = inp.dbc;
                d2r[0][ib] = inp.dbc;
                if O == 1 {
                    d2r[0][M + 2] = 0.5 * inp.dbc;
                }
                for j in 1..d {
                    d2r[j][0] = d2r[0][j];
                }
            }
            omega + w * inp.bc
        } else {
            let neg = if e_prev < 0.0 { 1.0 } else { 0.0 };
            let a_eff = alpha + gamma * neg;
            let f = e_prev * e_prev;
            for i in 0..d {
                dr[i] = beta * ds[i];
                for j in 0..d {
                    d2r[i][j] = beta * d2s[i][j];
                }
            }
            for j in 0..d {
                d2r[ib][j] += ds[j];
                d2r[j][ib] += ds[j];
            }
            dr[M] += 1.0;
            dr[ia] += f;
            dr[ib] += s_prev;
            if O == 1 {
                dr[M + 2] += neg * f;
            }
            if M == 1 {
                dr[0] -= 2.0 * a_eff * e_prev;
                d2r[0][0] += 2.0 * a_eff;
                d2r[0][ia] -= 2.0 * e_prev;
                d2r[ia][0] -= 2.0 * e_prev;
                if O == 1 {
                    d2r[0][M + 2] -= 2.0 * neg * e_prev;
                    d2r[M + 2][0] -= 2.0 * neg * e_prev;
                }
            }
            omega + a_eff * f + beta * s_prev
        };
        // 2. the bounds, differentiated as in the likelihood.
        let (lo, hi) = (inp.lo[t], inp.hi[t]);
        let s = if raw < lo || !raw.is_finite() {
            ds = [0.0; DMAX];
            d2s = [[0.0; DMAX]; DMAX];
            if raw < lo {
                lo
            } else {
                hi + 1000.0
            }
        } else if raw > hi {
            let inv = 1.0 / raw;
            for i in 0..d {
                ds[i] = dr[i] * inv;
                for j in 0..d {
                    d2s[i][j] = d2r[i][j] * inv - dr[i] * dr[j] * inv * inv;
                }
            }
            hi + (raw / hi).ln()
        } else {
            ds = dr;
            d2s = d2r;
            raw
        };
        // 3. the distribution's pieces.
        let inv_v = 1.0 / s;
        let inv_sd = inv_v.sqrt();
        let z = e * inv_sd;
        let sec = dist.second(z);
        let (ze, zv) = (inv_sd, -0.5 * z * inv_v);
        let (zev, zvv) = (-0.5 * inv_sd * inv_v, 0.75 * z * inv_v * inv_v);
        let le = sec.gz * ze;
        let lv = -0.5 * inv_v + sec.gz * zv;
        let lee = sec.gzz * ze * ze;
        let lev = sec.gzz * ze * zv + sec.gz * zev;
        let lvv = 0.5 * inv_v * inv_v + sec.gzz * zv * zv + sec.gz * zvv;
        // 4. scores, Hessian, outer products.
        let mut sc = [0.0f64; KMAX];
        let mut de = [0.0f64; DMAX];
        if M == 1 {
            de[0] = -1.0;
        }
        for i in 0..d {
            sc[i] = lv * ds[i] + le * de[i];
            for j in 0..=i {
                hess[i][j] += lvv * ds[i] * ds[j]
                    + lv * d2s[i][j]
                    + lev * (de[i] * ds[j] + de[j] * ds[i])
                    + lee * de[i] * de[j];
            }
        }
        for p in 0..kd {
            sc[d + p] = sec.gp[p] + dc0[p];
            for i in 0..d {
                hess[d + p][i] += sec.gzp[p] * (zv * ds[i] + ze * de[i]);
            }
            for q in 0..=p {
                hess[d + p][d + q] += sec.gpp[p + q];
            }
        }
        for i in 0..k {
            sum_sc[i] += sc[i];
            for j in 0..=i {
                opg[i][j] += sc[i] * sc[j];
            }
        }
        s_prev = s;
        e_prev = e;
    }
    let n = inp.resids.len() as f64;
    let d2c0 = dist.d2c0();
    for p in 0..kd {
        for q in 0..=p {
            hess[d + p][d + q] += n * d2c0[p + q];
        }
    }
    let mut out = Curvature {
        hess: vec![0.0; k * k],
        opg: vec![0.0; k * k],
    };
    for i in 0..k {
        for j in 0..=i {
            let h = hess[i][j];
            let b = (opg[i][j] - sum_sc[i] * sum_sc[j] / n) / (n - 1.0);
            out.hess[i * k + j] = h;
            out.hess[j * k + i] = h;
            out.opg[i * k + j] = b;
            out.opg[j * k + i] = b;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{CovType, GarchSpec};

    /// The analytic H and B against central differences of the analytic gradient and the
    /// generic per-observation scores, every covered mean × vol × dist × backcast.
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
        for (vol, o) in [(VolKind::Garch, 0), (VolKind::Gjr, 1)] {
            for (dist, shape) in &dists {
                for (mean, phi) in [(MeanSpec::Constant, vec![0.04]), (MeanSpec::Zero, vec![])] {
                    for backcast in [Backcast::Ewma, Backcast::Sample] {
                        let spec = GarchSpec {
                            mean,
                            vol,
                            p: 1,
                            o,
                            q: 1,
                            dist: *dist,
                            backcast,
                        };
                        let tv = if o == 1 {
                            vec![0.03, 0.04, 0.06, 0.85]
                        } else {
                            vec![0.03, 0.08, 0.88]
                        };
                        let theta: Vec<f64> = phi.iter().chain(&tv).chain(shape).copied().collect();
                        let mut model = Model::new(spec, &y);
                        let ana = curvature(&model, &theta).unwrap();
                        let num = super::super::covariance::numeric_curvature_for_tests(
                            &mut model,
                            &theta,
                            CovType::Robust,
                        );
                        let k = theta.len();
                        let scale = num.hess.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                        for i in 0..k * k {
                            let (a, b) = (ana.hess[i], num.hess[i]);
                            assert!(
                                (a - b).abs() < 1e-6 * scale,
                                "{spec} H[{}][{}]: {a} vs {b}",
                                i / k,
                                i % k
                            );
                            let (a, b) = (ana.opg[i], num.opg[i]);
                            assert!(
                                (a - b).abs() < 1e-9 * (1.0 + b.abs()),
                                "{spec} B[{}][{}]: {a} vs {b}",
                                i / k,
                                i % k
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn uncovered_models_fall_back() {
        let y = crate::simulate_spec(&GarchSpec::default(), &[0.03, 0.05, 0.1, 0.85], 300, 100, 4)
            .unwrap()
            .y;
        let spec = GarchSpec {
            dist: DistKind::Ged,
            ..GarchSpec::default()
        };
        let model = Model::new(spec, &y);
        assert!(curvature(&model, &[0.03, 0.05, 0.1, 0.85, 1.5]).is_none());
        let tarch = GarchSpec {
            vol: VolKind::Tarch,
            o: 1,
            ..GarchSpec::default()
        };
        let model = Model::new(tarch, &y);
        assert!(curvature(&model, &[0.03, 0.05, 0.1, 0.05, 0.85]).is_none());
    }
}
