//! The GARCH/GJR(1,≤1,1) curvature pass of [`crate::hessian`] in blocks of [`B`] observations,
//! so that its sums vectorize.
//!
//! The recursion for σ²_t and its first and second derivatives is serial; everything after it
//! is a sum over t of products of per-observation terms. Written observation by observation
//! those sums are ~40 scalar accumulators, more than the registers, and the pass ran at a
//! fraction of the speed of a gradient pass. Here:
//!
//! 1. the serial part fills, for one block, the arrays s_i(t) = ∂σ²_t/∂θ_i, the second
//!    derivative slots, the scores sc_i(t) and the coefficients L_v, L_vv, L_ee, L_ev and the
//!    shape terms of [`crate::hessian`]'s formulas;
//! 2. each entry of the Hessian and of Σ sc sc_ᵀ is then one dot product over the block
//!    (e.g. H_ij += Σ_t L_vv(t) s_i(t) s_j(t)), computed on [`L`] interleaved partial sums — the
//!    same order on every machine, so results do not depend on the vector width;
//! 3. ℓ (on request) adds Σ g(z_t) and Σ ln σ²_t (one `ln` per product of 8 observations).
//!
//! The variance bounds are checked once per block, after its recursion.
//!
//! A partial last block has its coefficients zeroed past its end, so it adds nothing there.

use crate::dist::second::Shape2;
use crate::hessian::{finish, recursion_step, second_slots, Curvature, Pass, DMAX, KMAX, SLOTS};

/// Observations per block.
const B: usize = 64;
/// Interleaved partial sums per dot product.
const L: usize = 4;

type Col = [f64; B];

/// The partial sums added pairwise, in a fixed order.
#[inline(always)]
fn reduce(acc: [f64; L]) -> f64 {
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}

/// Σ_t w(t) a(t) c(t) over a block.
#[inline(always)]
fn dot3(w: &Col, a: &Col, c: &Col) -> f64 {
    let mut acc = [0.0f64; L];
    for ch in 0..B / L {
        for l in 0..L {
            let t = ch * L + l;
            acc[l] += w[t] * a[t] * c[t];
        }
    }
    reduce(acc)
}

/// Σ_t a(t) c(t) over a block.
#[inline(always)]
fn dot2(a: &Col, c: &Col) -> f64 {
    let mut acc = [0.0f64; L];
    for ch in 0..B / L {
        for l in 0..L {
            let t = ch * L + l;
            acc[l] += a[t] * c[t];
        }
    }
    reduce(acc)
}

/// Σ_t a(t) over a block.
#[inline(always)]
fn sum1(a: &Col) -> f64 {
    let mut acc = [0.0f64; L];
    for ch in 0..B / L {
        for l in 0..L {
            acc[l] += a[ch * L + l];
        }
    }
    reduce(acc)
}

/// Per-block arrays (one column per quantity).
struct Block {
    ds: [Col; DMAX],
    d2: [Col; SLOTS],
    sc: [Col; KMAX],
    lv: Col,
    lvv: Col,
    lee: Col,
    lev: Col,
    /// g_zp z_v and g_zp z_e per shape parameter.
    gzv: [Col; 2],
    gze: [Col; 2],
    /// g_pp as (p₀p₀, p₀p₁, p₁p₁).
    gpp: [Col; 3],
    g: Col,
    raw: Col,
}

/// Σ ln x over `xs` (all > 0 when the pass gets here): one `ln` per product of 8, each product
/// checked to be a normal number (else its 8 logarithms are summed one by one).
#[inline(always)]
fn sum_ln(xs: &[f64]) -> f64 {
    let mut total = 0.0;
    let mut groups = xs.chunks_exact(8);
    for g in &mut groups {
        let prod = ((g[0] * g[1]) * (g[2] * g[3])) * ((g[4] * g[5]) * (g[6] * g[7]));
        total += if prod.is_normal() {
            prod.ln()
        } else {
            g.iter().map(|x| x.ln()).sum()
        };
    }
    total + groups.remainder().iter().map(|x| x.ln()).sum::<f64>()
}

/// The curvature pass (see the module docs); `None` when a variance bound binds.
#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
pub(crate) fn pass<S: Shape2, const M: usize, const O: usize, const KD: usize>(
    inp: &Pass<'_>,
    theta: &[f64],
    dist: &S,
) -> Option<Curvature> {
    let d = M + 3 + O;
    let k = d + KD;
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
    let (mut sum_lns, mut sum_g) = (0.0, 0.0);
    let (mut s_prev, mut e_prev) = (0.0, 0.0);
    let zero = [0.0f64; B];
    let mut bl = Block {
        ds: [zero; DMAX],
        d2: [zero; SLOTS],
        sc: [zero; KMAX],
        lv: zero,
        lvv: zero,
        lee: zero,
        lev: zero,
        gzv: [zero; 2],
        gze: [zero; 2],
        gpp: [zero; 3],
        g: zero,
        raw: zero,
    };
    for (bi, chunk) in inp.resids.chunks(B).enumerate() {
        let len = chunk.len();
        for (b, &e) in chunk.iter().enumerate() {
            let t = bi * B + b;
            // b < B already (chunks of B); the mask tells the compiler, so the column writes
            // below carry no bounds checks.
            let b = b & (B - 1);
            // 1. the recursion with its first and second derivatives (second first: it reads
            //    the previous first derivatives).
            let raw = recursion_step::<M, O>(
                t,
                e_prev,
                s_prev,
                [omega, alpha, gamma, beta],
                inp,
                &mut ds,
                &mut d2,
            );
            bl.raw[b] = raw;
            // 2. the distribution's pieces. KD = 0 is the normal distribution (the only covered
            //    one without shape parameters), whose pieces need no square root: with
            //    u = ε/σ², w = ε²/σ² = z², L_e = −u, L_v = (w − 1)/(2σ²), L_vv = (½ − w)/σ⁴,
            //    L_ee = −1/σ², L_ev = u/σ², g = −w/2.
            let inv_v = 1.0 / raw;
            let (le, lv, sec) = if KD == 0 {
                let u = e * inv_v;
                let w = e * u;
                let lv = 0.5 * inv_v * (w - 1.0);
                bl.lvv[b] = inv_v * inv_v * (0.5 - w);
                if M == 1 {
                    bl.lee[b] = -inv_v;
                    bl.lev[b] = u * inv_v;
                }
                if inp.with_value {
                    bl.g[b] = -0.5 * w;
                }
                (-u, lv, None)
            } else {
                let inv_sd = inv_v.sqrt();
                let z = e * inv_sd;
                let sec = dist.second(z);
                let (ze, zv) = (inv_sd, -0.5 * z * inv_v);
                let (zev, zvv) = (-0.5 * inv_sd * inv_v, 0.75 * z * inv_v * inv_v);
                let lv = -0.5 * inv_v + sec.gz * zv;
                bl.lvv[b] = 0.5 * inv_v * inv_v + sec.gzz * zv * zv + sec.gz * zvv;
                if M == 1 {
                    bl.lee[b] = sec.gzz * ze * ze;
                    bl.lev[b] = sec.gzz * ze * zv + sec.gz * zev;
                }
                if inp.with_value {
                    bl.g[b] = dist.g(z);
                }
                (sec.gz * ze, lv, Some((sec, ze, zv)))
            };
            bl.lv[b] = lv;
            for i in 0..d {
                bl.ds[i][b] = ds[i];
                bl.sc[i][b] = lv * ds[i];
            }
            for sl in 0..SLOTS {
                if live[sl] {
                    bl.d2[sl][b] = d2[sl];
                }
            }
            if M == 1 {
                // e_μ = ∂ε/∂μ = −1.
                bl.sc[0][b] -= le;
            }
            if let Some((sec, ze, zv)) = sec {
                for p in 0..KD {
                    bl.sc[d + p][b] = sec.gp[p] + dc0[p];
                    bl.gzv[p][b] = sec.gzp[p] * zv;
                    bl.gze[p][b] = sec.gzp[p] * ze;
                    for q in 0..=p {
                        bl.gpp[p + q][b] = sec.gpp[p + q];
                    }
                }
            }
            s_prev = raw;
            e_prev = e;
        }
        // A variance outside its bounds (or NaN) anywhere: the numeric Hessian takes over.
        let t0 = bi * B;
        let mut inside = true;
        for ((r, lo), hi) in bl.raw[..len]
            .iter()
            .zip(&inp.lo[t0..t0 + len])
            .zip(&inp.hi[t0..t0 + len])
        {
            inside &= *r >= *lo && *r <= *hi;
        }
        if !inside {
            return None;
        }
        if len < B {
            // Past the end nothing may count: every sum has one of these factors.
            for col in [&mut bl.lv, &mut bl.lvv, &mut bl.lee, &mut bl.lev, &mut bl.g] {
                col[len..].fill(0.0);
            }
            for col in bl.sc.iter_mut().chain(&mut bl.gzv).chain(&mut bl.gze) {
                col[len..].fill(0.0);
            }
            for col in bl.gpp.iter_mut() {
                col[len..].fill(0.0);
            }
        }
        accumulate::<M, KD>(
            &bl,
            d,
            &pairs,
            &live,
            &mut hess,
            inp.with_opg.then_some(&mut opg),
            &mut sum_sc,
        );
        if inp.with_value {
            sum_g += sum1(&bl.g);
            sum_lns += sum_ln(&bl.raw[..len]);
        }
    }
    let n = inp.resids.len() as f64;
    let mut out = finish(dist, n, d, KD, &mut hess, &opg, &sum_sc);
    if inp.with_value {
        out.loglik = n * dist.c0() - 0.5 * sum_lns + sum_g;
    }
    if !inp.with_opg {
        out.opg.clear();
    }
    // The sums ran over k parameters only.
    debug_assert_eq!(out.grad.len(), k);
    Some(out)
}

/// Adds one block's dot products to the lower-triangle Hessian, the score outer products and
/// the score sums.
#[inline(always)]
fn accumulate<const M: usize, const KD: usize>(
    bl: &Block,
    d: usize,
    pairs: &[(usize, usize); SLOTS],
    live: &[bool; SLOTS],
    hess: &mut [[f64; KMAX]; KMAX],
    opg: Option<&mut [[f64; KMAX]; KMAX]>,
    sum_sc: &mut [f64; KMAX],
) {
    let k = d + KD;
    for i in 0..d {
        for j in 0..=i {
            hess[i][j] += dot3(&bl.lvv, &bl.ds[i], &bl.ds[j]);
        }
    }
    for (sl, &(r, c)) in pairs.iter().enumerate() {
        if live[sl] {
            hess[c][r] += dot2(&bl.lv, &bl.d2[sl]);
        }
    }
    if M == 1 {
        hess[0][0] += sum1(&bl.lee) - 2.0 * dot2(&bl.lev, &bl.ds[0]);
        for j in 1..d {
            hess[j][0] -= dot2(&bl.lev, &bl.ds[j]);
        }
    }
    for p in 0..KD {
        for i in 0..d {
            hess[d + p][i] += dot2(&bl.gzv[p], &bl.ds[i]);
        }
        if M == 1 {
            hess[d + p][0] -= sum1(&bl.gze[p]);
        }
        for q in 0..=p {
            hess[d + p][d + q] += sum1(&bl.gpp[p + q]);
        }
    }
    for i in 0..k {
        sum_sc[i] += sum1(&bl.sc[i]);
    }
    if let Some(opg) = opg {
        for i in 0..k {
            for j in 0..=i {
                opg[i][j] += dot2(&bl.sc[i], &bl.sc[j]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::likelihood::Model;
    use crate::spec::{Backcast, DistKind, GarchSpec, MeanSpec, VolKind};

    /// The blocked pass against the observation-by-observation twin (to rounding: the sums run
    /// in another order) and its ℓ against the likelihood's own, on lengths that leave a
    /// partial last block, every covered mean × vol × dist × backcast.
    #[test]
    fn blocked_pass_matches_the_reference_pass() {
        let dists = [
            (DistKind::Normal, vec![]),
            (DistKind::StudentsT, vec![6.0]),
            (DistKind::SkewStudent, vec![7.0, -0.2]),
        ];
        for n in [B - 1, 5 * B, 5 * B + 17] {
            let y =
                crate::simulate_spec(&GarchSpec::default(), &[0.03, 0.05, 0.1, 0.85], n, 100, 9)
                    .unwrap()
                    .y;
            for (vol, o) in [(VolKind::Garch, 0), (VolKind::Gjr, 1)] {
                for (dist, shape) in &dists {
                    for (mean, phi) in [(MeanSpec::Constant, vec![0.04]), (MeanSpec::Zero, vec![])]
                    {
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
                            let theta: Vec<f64> =
                                phi.iter().chain(&tv).chain(shape).copied().collect();
                            let mut model = Model::new(spec, &y);
                            let fast = crate::hessian::curvature_value(
                                &model,
                                &theta,
                                true,
                                &mut Vec::new(),
                            )
                            .unwrap();
                            let slow = crate::hessian::curvature_reference(&model, &theta).unwrap();
                            let close = |a: &[f64], b: &[f64], what: &str| {
                                let top = b.iter().fold(1.0f64, |m, v| m.max(v.abs()));
                                for (x, y) in a.iter().zip(b) {
                                    assert!(
                                        (x - y).abs() <= 1e-12 * top,
                                        "{spec} n={n} {what}: {x} vs {y}"
                                    );
                                }
                            };
                            close(&fast.hess, &slow.hess, "hess");
                            close(&fast.opg, &slow.opg, "opg");
                            close(&fast.grad, &slow.grad, "grad");
                            let ll = model.loglik(&theta);
                            assert!(
                                (fast.loglik - ll).abs() <= 1e-11 * ll.abs(),
                                "{spec}: {} vs {ll}",
                                fast.loglik
                            );
                            assert!((slow.loglik - ll).abs() <= 1e-11 * ll.abs());
                        }
                    }
                }
            }
        }
    }
}
