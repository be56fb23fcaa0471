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
//! pass, so the robust sandwich needs no second one. Where a variance bound binds at the optimum
//! (rare: the floor and ceiling sit orders of magnitude away) the caller falls back to the
//! numeric Hessian.

use crate::dist::second::Shape2;
use crate::dist::{Normal, SkewStudent, StudentsT};
#[cfg(test)]
use crate::fused::LnSum;
use crate::hessian_block as block;
use crate::likelihood::Model;
use crate::spec::{Backcast, DistKind, MeanSpec, VolKind};

/// Largest parameter count handled: μ, ω, α, γ, β and two shape parameters.
pub(crate) const KMAX: usize = 7;
/// Largest count of mean and variance parameters.
pub(crate) const DMAX: usize = 5;

/// ℓ's Hessian and the centered score covariance Σ(s_t − s̄)(s_t − s̄)ᵀ/(n − 1), both row-major
/// k × k, ℓ's gradient (the sum of the scores; empty where the Hessian was differenced) and ℓ
/// itself where the pass was asked for it (NaN otherwise).
pub(crate) struct Curvature {
    pub hess: Vec<f64>,
    pub opg: Vec<f64>,
    pub grad: Vec<f64>,
    pub loglik: f64,
}

/// Whether [`curvature`] covers the model: GARCH/GJR of orders (1, ≤1, 1), zero or constant mean.
pub(crate) fn covers(model: &Model) -> bool {
    matches!(model.spec.vol, VolKind::Garch | VolKind::Gjr)
        && model.vol.power() == 2.0
        && model.vol.ord.p == 1
        && model.vol.ord.q == 1
        && model.vol.ord.o <= 1
        && matches!(model.spec.mean, MeanSpec::Zero | MeanSpec::Constant)
}

/// The analytic curvature at `theta` where the model is covered (GARCH/GJR of orders (1, ≤1, 1),
/// zero or constant mean, normal / t / skew-t); `None` otherwise.
pub(crate) fn curvature(model: &Model, theta: &[f64]) -> Option<Curvature> {
    curvature_impl(model, theta, false, true, false, &mut Vec::new())
}

/// [`curvature`] with ℓ itself, and the score outer products only when `with_opg` (`opg` is
/// left empty otherwise: an optimizer's intermediate iterates need none).
/// `scratch` holds the residuals (kept by a caller that makes many passes, to spare the
/// allocation).
pub(crate) fn curvature_value(
    model: &Model,
    theta: &[f64],
    with_opg: bool,
    scratch: &mut Vec<f64>,
) -> Option<Curvature> {
    curvature_impl(model, theta, true, with_opg, false, scratch)
}

/// The observation-by-observation reference pass (with ℓ), for the blocked pass's tests.
#[cfg(test)]
pub(crate) fn curvature_reference(model: &Model, theta: &[f64]) -> Option<Curvature> {
    curvature_impl(model, theta, true, true, true, &mut Vec::new())
}

fn curvature_impl(
    model: &Model,
    theta: &[f64],
    with_value: bool,
    with_opg: bool,
    reference: bool,
    resids: &mut Vec<f64>,
) -> Option<Curvature> {
    if !covers(model) {
        return None;
    }
    let spec = model.spec;
    let km = model.km;
    let n = model.nobs();
    resids.resize(n, 0.0);
    model.mean.resids(&theta[..km], resids);
    let resids: &[f64] = resids;
    // Every rule but EWMA follows the residuals: b = mean ε² (the power family has no
    // pre-sample shock term).
    let (bc, dbc, d2bc) = if spec.backcast == Backcast::Ewma {
        (model.backcast, 0.0, 0.0)
    } else {
        let nf = n as f64;
        let m2 = resids.iter().map(|e| e * e).sum::<f64>() / nf;
        let m1 = resids.iter().sum::<f64>() / nf;
        (m2, -2.0 * m1, 2.0)
    };
    let inp = Pass {
        resids,
        lo: &model.lo,
        hi: &model.hi,
        bc,
        dbc,
        d2bc,
        with_value,
        with_opg,
    };
    let shape = &theta[km + model.kv..];
    let o = model.vol.ord.o;
    match spec.dist {
        DistKind::Normal => dispatch::<_, 0>(&inp, theta, &Normal, km, o, reference),
        DistKind::StudentsT => {
            dispatch::<_, 1>(&inp, theta, &StudentsT::new(shape[0]), km, o, reference)
        }
        DistKind::SkewStudent => dispatch::<_, 2>(
            &inp,
            theta,
            &SkewStudent::new(shape[0], shape[1]),
            km,
            o,
            reference,
        ),
        DistKind::Ged => None,
    }
}

/// The parameter pairs whose second derivative of σ²_t does not vanish, in the order of the
/// `d2` slots of [`recursion_step`], and whether each slot exists for this mean (`M`) and
/// asymmetry (`O`).
#[inline(always)]
pub(crate) fn second_slots<const M: usize, const O: usize>(
) -> ([(usize, usize); SLOTS], [bool; SLOTS]) {
    let (iw, ia, ig, ib) = (M, M + 1, M + 2, M + 2 + O);
    let pairs = [
        (0, 0),
        (0, ia),
        (0, ig),
        (0, ib),
        (iw, ib),
        (ia, ib),
        (ig, ib),
        (ib, ib),
    ];
    let live = [
        M == 1,
        M == 1,
        M == 1 && O == 1,
        M == 1,
        true,
        true,
        O == 1,
        true,
    ];
    (pairs, live)
}

/// One step of the GARCH/GJR(1,1) recursion with its first and second derivatives, shared by
/// the per-observation pass here and the blocked pass of [`crate::hessian_block`]:
///
/// σ²_0 = ω + (α + γ/2 + β)·bc,  σ²_t = ω + (α + γ·1[ε_{t−1} < 0])·ε²_{t−1} + β·σ²_{t−1},
///
/// with ∂σ²_t/∂θ in `ds` (the mean's slot first when `M = 1`, then ω, α, γ when `O = 1`, β) and
/// the second derivatives that do not vanish in `d2` (the slots of the `pairs` table). The second
/// derivatives are updated first because they read the previous first derivatives. `p` is
/// (ω, α, γ, β); returns σ²_t before the variance bounds are applied.
#[inline(always)]
pub(crate) fn recursion_step<const M: usize, const O: usize>(
    t: usize,
    e_prev: f64,
    s_prev: f64,
    p: [f64; 4],
    inp: &Pass<'_>,
    ds: &mut [f64; DMAX],
    d2: &mut [f64; SLOTS],
) -> f64 {
    let [omega, alpha, gamma, beta] = p;
    let d = M + 3 + O;
    let (iw, ia, ig, ib) = (M, M + 1, M + 2, M + 2 + O);
    if t == 0 {
        let w = alpha + 0.5 * gamma + beta;
        ds[iw] = 1.0;
        ds[ia] = inp.bc;
        ds[ib] = inp.bc;
        if O == 1 {
            ds[ig] = 0.5 * inp.bc;
        }
        if M == 1 {
            ds[0] = w * inp.dbc;
            d2[0] = w * inp.d2bc;
            d2[1] = inp.dbc;
            d2[2] = if O == 1 { 0.5 * inp.dbc } else { 0.0 };
            d2[3] = inp.dbc;
        }
        omega + w * inp.bc
    } else {
        let neg = if e_prev < 0.0 { 1.0 } else { 0.0 };
        let a_eff = alpha + gamma * neg;
        let f = e_prev * e_prev;
        if M == 1 {
            d2[0] = beta * d2[0] + 2.0 * a_eff;
            d2[1] = beta * d2[1] - 2.0 * e_prev;
            if O == 1 {
                d2[2] = beta * d2[2] - 2.0 * neg * e_prev;
            }
            d2[3] = beta * d2[3] + ds[0];
        }
        d2[4] = beta * d2[4] + ds[iw];
        d2[5] = beta * d2[5] + ds[ia];
        if O == 1 {
            d2[6] = beta * d2[6] + ds[ig];
        }
        d2[7] = beta * d2[7] + 2.0 * ds[ib];
        for v in ds[..d].iter_mut() {
            *v *= beta;
        }
        ds[iw] += 1.0;
        ds[ia] += f;
        ds[ib] += s_prev;
        if O == 1 {
            ds[ig] += neg * f;
        }
        if M == 1 {
            ds[0] -= 2.0 * a_eff * e_prev;
        }
        omega + a_eff * f + beta * s_prev
    }
}

/// The inputs of one pass: residuals, variance bounds, the backcast and its μ-derivatives.
pub(crate) struct Pass<'a> {
    pub resids: &'a [f64],
    pub lo: &'a [f64],
    pub hi: &'a [f64],
    pub bc: f64,
    pub dbc: f64,
    pub d2bc: f64,
    pub with_value: bool,
    pub with_opg: bool,
}

fn dispatch<S: Shape2, const KD: usize>(
    inp: &Pass<'_>,
    theta: &[f64],
    dist: &S,
    km: usize,
    o: usize,
    reference: bool,
) -> Option<Curvature> {
    #[cfg(test)]
    if reference {
        return match (km, o) {
            (0, 0) => pass::<S, 0, 0, KD>(inp, theta, dist),
            (0, _) => pass::<S, 0, 1, KD>(inp, theta, dist),
            (_, 0) => pass::<S, 1, 0, KD>(inp, theta, dist),
            _ => pass::<S, 1, 1, KD>(inp, theta, dist),
        };
    }
    let _ = reference;
    match (km, o) {
        (0, 0) => block::pass::<S, 0, 0, KD>(inp, theta, dist),
        (0, _) => block::pass::<S, 0, 1, KD>(inp, theta, dist),
        (_, 0) => block::pass::<S, 1, 0, KD>(inp, theta, dist),
        _ => block::pass::<S, 1, 1, KD>(inp, theta, dist),
    }
}

/// The non-zero second derivatives of s, as (row, col) in θ: μμ, μα, μγ, μβ, ωβ, αβ, γβ, ββ.
/// ω, α and γ enter s linearly, so their own and mutual second derivatives stay zero.
pub(crate) const SLOTS: usize = 8;

/// The one pass observation by observation, `M` mean and `O` asymmetric parameters fixed at
/// compile time; `None` when a variance bound binds (the numeric Hessian handles that rare
/// case). The reference twin of the blocked pass the library runs ([`crate::hessian_block`]).
#[cfg(test)]
fn pass<S: Shape2, const M: usize, const O: usize, const KD: usize>(
    inp: &Pass<'_>,
    theta: &[f64],
    dist: &S,
) -> Option<Curvature> {
    let kd = KD;
    let d = M + 3 + O;
    let k = d + kd;
    let (iw, ia, ig, ib) = (M, M + 1, M + 2, M + 2 + O);
    let (pairs, live) = second_slots::<M, O>();
    let (omega, alpha, beta) = (theta[iw], theta[ia], theta[ib]);
    let gamma = if O == 1 { theta[ig] } else { 0.0 };
    let mut ds = [0.0f64; DMAX];
    let mut d2 = [0.0f64; SLOTS];
    let mut hess = [[0.0f64; KMAX]; KMAX];
    let mut sum_sc = [0.0f64; KMAX];
    let mut opg = [[0.0f64; KMAX]; KMAX];
    let dc0 = dist.dc0();
    let (mut lns, mut sum_g) = (LnSum::new(), 0.0);
    let (mut s_prev, mut e_prev) = (0.0, 0.0);
    for (t, &e) in inp.resids.iter().enumerate() {
        // 1. the recursion with its first and second derivatives (second first: it reads the
        //    previous first derivatives).
        let raw = recursion_step::<M, O>(
            t,
            e_prev,
            s_prev,
            [omega, alpha, gamma, beta],
            inp,
            &mut ds,
            &mut d2,
        );
        if !(raw >= inp.lo[t] && raw <= inp.hi[t]) {
            return None;
        }
        // 2. the distribution's pieces.
        let inv_v = 1.0 / raw;
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
        // 3. scores, Hessian (lower triangle), outer products.
        let mut sc = [0.0f64; KMAX];
        for i in 0..d {
            sc[i] = lv * ds[i];
            for j in 0..=i {
                hess[i][j] += lvv * ds[i] * ds[j];
            }
        }
        for (sl, &(r, c)) in pairs.iter().enumerate() {
            if live[sl] {
                hess[c][r] += lv * d2[sl];
            }
        }
        if M == 1 {
            // e_μ = ∂ε/∂μ = −1.
            sc[0] -= le;
            hess[0][0] += lee - 2.0 * lev * ds[0];
            for j in 1..d {
                hess[j][0] -= lev * ds[j];
            }
        }
        for p in 0..kd {
            sc[d + p] = sec.gp[p] + dc0[p];
            for i in 0..d {
                hess[d + p][i] += sec.gzp[p] * zv * ds[i];
            }
            if M == 1 {
                hess[d + p][0] -= sec.gzp[p] * ze;
            }
            for q in 0..=p {
                hess[d + p][d + q] += sec.gpp[p + q];
            }
        }
        add_outer(&sc, k, &mut sum_sc, &mut opg);
        if inp.with_value {
            lns.add(raw);
            sum_g += dist.g(z);
        }
        s_prev = raw;
        e_prev = e;
    }
    let mut out = finish(
        dist,
        inp.resids.len() as f64,
        d,
        kd,
        &mut hess,
        &opg,
        &sum_sc,
    );
    if inp.with_value {
        let n = inp.resids.len() as f64;
        out.loglik = n * dist.c0() - 0.5 * lns.finish() + sum_g;
    }
    Some(out)
}

/// Adds one observation's scores `sc[..k]` to their sum and to the lower triangle of their outer
/// products.
#[inline(always)]
pub(crate) fn add_outer(
    sc: &[f64; KMAX],
    k: usize,
    sum_sc: &mut [f64; KMAX],
    opg: &mut [[f64; KMAX]; KMAX],
) {
    for i in 0..k {
        sum_sc[i] += sc[i];
        for j in 0..=i {
            opg[i][j] += sc[i] * sc[j];
        }
    }
}

/// Closes a pass over `n` observations with `d` mean and variance parameters and `kd` shape
/// parameters: adds the shape block's constant term n·∂²c₀ to the lower-triangle Hessian and
/// returns the symmetric Hessian and the centered score covariance
/// (Σ s_t s_tᵀ − n s̄ s̄ᵀ)/(n − 1).
pub(crate) fn finish<S: Shape2>(
    dist: &S,
    n: f64,
    d: usize,
    kd: usize,
    hess: &mut [[f64; KMAX]; KMAX],
    opg: &[[f64; KMAX]; KMAX],
    sum_sc: &[f64; KMAX],
) -> Curvature {
    let k = d + kd;
    let d2c0 = dist.d2c0();
    for p in 0..kd {
        for q in 0..=p {
            hess[d + p][d + q] += n * d2c0[p + q];
        }
    }
    let mut out = Curvature {
        hess: vec![0.0; k * k],
        opg: vec![0.0; k * k],
        grad: sum_sc[..k].to_vec(),
        loglik: f64::NAN,
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

/// Test helper: the analytic Hessian within 1e-6 of the numeric one's largest entry and the
/// score covariance within 1e-9 (relative to 1 + |value|), entry by entry.
#[cfg(test)]
pub(crate) fn assert_curvature_close(ana: &Curvature, num: &Curvature, label: &str) {
    let k = (num.hess.len() as f64).sqrt() as usize;
    let scale = num.hess.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for i in 0..k * k {
        let (a, b) = (ana.hess[i], num.hess[i]);
        assert!(
            (a - b).abs() < 1e-6 * scale,
            "{label} H[{}][{}]: {a} vs {b}",
            i / k,
            i % k
        );
        let (a, b) = (ana.opg[i], num.opg[i]);
        assert!(
            (a - b).abs() < 1e-9 * (1.0 + b.abs()),
            "{label} B[{}][{}]: {a} vs {b}",
            i / k,
            i % k
        );
    }
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
                        assert_curvature_close(&ana, &num, &spec.to_string());
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
        // A variance floor that binds: the numeric Hessian takes over.
        let model = Model::new(GarchSpec::default(), &y);
        assert!(curvature(&model, &[0.03, 1e-12, 0.0, 0.0]).is_none());
        assert!(curvature(&model, &[0.03, 0.05, 0.1, 0.85]).is_some());
    }
}
