//! The fast path: ADMM with a cached factorization, then an exact active-set polish whose KKT
//! conditions are verified; a problem it cannot verify goes to the interior-point path.
//!
//! Problem (long-only or box-bounded books whose other limits are linear):
//!
//! ```text
//! minimize   ½wᵀQw − μᵀw + γ·Σ_i |w_i − p_i|          Q = 2λΣ, p = w_prev
//! subject to l ≤ w ≤ u,   lo_j ≤ Σ_{i∈S_j} w_i ≤ hi_j  (budget, long-only gross, sectors)
//! ```
//!
//! ADMM (Boyd et al. 2011; the OSQP splitting of Stellato et al. 2020, relaxation α = 1.6) on
//! x with z_w = x and z_g = A·x. With K = Q + (σ + ρ_w)·I + Aᵀ·diag(ρ_g)·A factored once per
//! covariance (cached across calls by [`super::Rebalancer`]):
//!
//! ```text
//! x̃   = K⁻¹ (σx + μ + ρ_w z_w − y_w + Aᵀ(ρ_g z_g − y_g))
//! x   ← αx̃ + (1 − α)x
//! z_w ← clip(p + soft(v_w − p, γ/ρ_w), l, u)        v_w = αx̃ + (1 − α)z_w + y_w/ρ_w
//! z_g ← clip(v_g, lo, hi)                            v_g = αAx̃ + (1 − α)z_g + y_g/ρ_g
//! y   ← y + ρ(α·(x̃, Ax̃) + (1 − α)·z_old − z)
//! ```
//!
//! The proximal step puts z_w EXACTLY at a bound or at the kink p_i, so every few iterations the
//! state of each weight (at l, at u, at p, or free on one side of p) and of each row (active or
//! not) is read off z, and the polish solves the equality-constrained QP of that state exactly:
//! `[Q_FF A_Fᵀ; A_F 0][w_F; y] = [μ_F − γ·sign(w_F − p_F) − Q_FX·w_X; b − A_X·w_X]` (Cholesky of
//! Q_FF and a small Schur complement). The result is returned only when it satisfies the KKT
//! conditions of the original problem — primal feasibility, multipliers of the right sign, and
//! for every fixed weight 0 ∈ g_i + γ·∂|w_i − p_i| + N_[l,u](w_i) with g = Qw − μ + Aᵀy — to
//! 1e-10 in weights and 1e-9 relative in the gradient, i.e. it is the optimum, not an
//! approximation of it.

use nalgebra::DMatrix;

use super::dense::{cholesky_in_place, cholesky_solve};

/// Relaxation, and the proximal term σ relative to ρ.
const ALPHA: f64 = 1.6;
const SIGMA_REL: f64 = 1e-6;
/// Iteration budget before giving the problem to the interior-point path.
pub(super) const MAX_ITER: u32 = 2_000;
/// Try a polish every this many iterations (when the active set changed), followed by up to
/// this many primal–dual active-set corrections.
const POLISH_EVERY: u32 = 5;
const ACTIVE_SET_STEPS: usize = 6;

/// A linear row lo ≤ Σ_{i∈idx} w_i ≤ hi (lo = hi for an equality).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    pub idx: Vec<usize>,
    pub lo: f64,
    pub hi: f64,
}

/// The factorization of K for one covariance, risk aversion and row structure.
#[derive(Debug, Clone)]
pub(super) struct Factor {
    cov: Vec<f64>,
    lambda: f64,
    rows: Vec<Vec<usize>>,
    eq: Vec<bool>,
    l: DMatrix<f64>,
    rho_w: f64,
    rho_g: Vec<f64>,
}

/// The ADMM iterate kept for a warm start.
#[derive(Debug, Clone)]
pub(super) struct Iterate {
    x: Vec<f64>,
    zw: Vec<f64>,
    zg: Vec<f64>,
    yw: Vec<f64>,
    yg: Vec<f64>,
}

/// The problem in the fast path's terms.
pub(super) struct Fast<'a> {
    pub cov: &'a DMatrix<f64>,
    pub lambda: f64,
    pub mu: &'a [f64],
    pub gamma: f64,
    pub prev: &'a [f64],
    pub lo: Vec<f64>,
    pub up: Vec<f64>,
    pub rows: Vec<Row>,
}

impl Factor {
    fn matches(&self, f: &Fast) -> bool {
        self.lambda == f.lambda
            && self.cov.as_slice() == f.cov.as_slice()
            && self.rows.len() == f.rows.len()
            && self.rows.iter().zip(&f.rows).all(|(a, b)| *a == b.idx)
            && self
                .eq
                .iter()
                .zip(&f.rows)
                .all(|(e, r)| *e == (r.lo == r.hi))
    }

    fn build(f: &Fast) -> Option<Factor> {
        let n = f.mu.len();
        let q_diag = (0..n).map(|i| 2.0 * f.lambda * f.cov[(i, i)]).sum::<f64>() / n as f64;
        if !(q_diag > 0.0) || !q_diag.is_finite() {
            return None;
        }
        let rho_w = 4.0 * q_diag;
        let eq: Vec<bool> = f.rows.iter().map(|r| r.lo == r.hi).collect();
        let rho_g: Vec<f64> = eq
            .iter()
            .map(|e| if *e { 1e3 * rho_w } else { rho_w })
            .collect();
        let mut k = f.cov * (2.0 * f.lambda);
        for i in 0..n {
            k[(i, i)] += (1.0 + SIGMA_REL) * rho_w;
        }
        for (row, rho) in f.rows.iter().zip(&rho_g) {
            for &a in &row.idx {
                for &b in &row.idx {
                    k[(a, b)] += rho;
                }
            }
        }
        cholesky_in_place(&mut k).ok()?;
        Some(Factor {
            cov: f.cov.as_slice().to_vec(),
            lambda: f.lambda,
            rows: f.rows.iter().map(|r| r.idx.clone()).collect(),
            eq,
            l: k,
            rho_w,
            rho_g,
        })
    }
}

/// Solve with ADMM + verified polish. `None` when the budget ran out without a verified optimum.
pub(super) fn solve(
    f: &Fast,
    factor: &mut Option<Factor>,
    warm: &mut Option<Iterate>,
) -> Option<(Vec<f64>, u32)> {
    let n = f.mu.len();
    if !factor.as_ref().is_some_and(|fa| fa.matches(f)) {
        *factor = Factor::build(f);
    }
    let fa = factor.as_ref()?;
    let m = f.rows.len();
    let row_sum = |x: &[f64], r: &Row| r.idx.iter().map(|&i| x[i]).sum::<f64>();
    let mut it = match warm.take() {
        Some(w) if w.x.len() == n && w.zg.len() == m => w,
        _ => {
            let x: Vec<f64> = (0..n).map(|i| f.prev[i].clamp(f.lo[i], f.up[i])).collect();
            let zg = f
                .rows
                .iter()
                .map(|r| row_sum(&x, r).clamp(r.lo, r.hi))
                .collect();
            Iterate {
                zw: x.clone(),
                x,
                zg,
                yw: vec![0.0; n],
                yg: vec![0.0; m],
            }
        }
    };
    let (rho_w, sigma) = (fa.rho_w, SIGMA_REL * fa.rho_w);
    let thresh = f.gamma / rho_w;
    let mut xt = vec![0.0; n];
    let mut last_state: Vec<u8> = Vec::new();
    for k in 1..=MAX_ITER {
        for ((((t, x), mu), zw), yw) in xt.iter_mut().zip(&it.x).zip(f.mu).zip(&it.zw).zip(&it.yw) {
            *t = sigma * x + mu + rho_w * zw - yw;
        }
        for (j, r) in f.rows.iter().enumerate() {
            let c = fa.rho_g[j] * it.zg[j] - it.yg[j];
            for &i in &r.idx {
                xt[i] += c;
            }
        }
        cholesky_solve(&fa.l, &mut xt);
        for (i, &t) in xt.iter().enumerate() {
            it.x[i] = ALPHA * t + (1.0 - ALPHA) * it.x[i];
            let relaxed = ALPHA * t + (1.0 - ALPHA) * it.zw[i];
            let d = relaxed + it.yw[i] / rho_w - f.prev[i];
            let soft = d.signum() * (d.abs() - thresh).max(0.0);
            let z = (f.prev[i] + soft).max(f.lo[i]).min(f.up[i]);
            it.yw[i] += rho_w * (relaxed - z);
            it.zw[i] = z;
        }
        for (j, r) in f.rows.iter().enumerate() {
            let relaxed = ALPHA * row_sum(&xt, r) + (1.0 - ALPHA) * it.zg[j];
            let z = (relaxed + it.yg[j] / fa.rho_g[j]).max(r.lo).min(r.hi);
            it.yg[j] += fa.rho_g[j] * (relaxed - z);
            it.zg[j] = z;
        }
        if k % POLISH_EVERY == 0 {
            let state = classify(f, &it);
            if state != last_state {
                let mut trial = state.clone();
                for _ in 0..ACTIVE_SET_STEPS {
                    match polish(f, &trial, &it.yg) {
                        Outcome::Optimal(w) => {
                            *warm = Some(it);
                            return Some((w, k));
                        }
                        Outcome::Retry(next) => trial = next,
                        Outcome::Fail => break,
                    }
                }
                last_state = state;
            }
        }
    }
    None
}

/// State codes: 0 free above p, 1 free below p, 2 at l, 3 at u, 4 at p; then per row 0 inactive,
/// 1 at hi, 2 at lo (equalities count as at hi).
fn classify(f: &Fast, it: &Iterate) -> Vec<u8> {
    let n = f.mu.len();
    let mut s = Vec::with_capacity(n + f.rows.len());
    for i in 0..n {
        let z = it.zw[i];
        s.push(if z == f.lo[i] {
            2
        } else if z == f.up[i] {
            3
        } else if f.gamma > 0.0 && z == f.prev[i] {
            4
        } else if z >= f.prev[i] {
            0
        } else {
            1
        });
    }
    for (j, r) in f.rows.iter().enumerate() {
        let z = it.zg[j];
        s.push(if z >= r.hi {
            1
        } else if z <= r.lo {
            2
        } else {
            0
        });
    }
    s
}

mod polish;
use polish::{polish, Outcome};
