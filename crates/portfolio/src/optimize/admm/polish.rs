//! The exact polish of the fast path and its KKT verification (see the parent module's docs).

use nalgebra::{DMatrix, DVector};

use super::Fast;
use crate::optimize::dense::{cholesky_in_place, cholesky_solve, matvec};

/// Allowed interval of g_i = (Qw − μ + Aᵀy)_i for a weight fixed at `v` (state 2, 3 or 4):
/// 0 ∈ g_i + γ·∂|v − p_i| + N_[l,u](v).
fn allowed(f: &Fast, i: usize, v: f64) -> (f64, f64) {
    let (l, u, p, g) = (f.lo[i], f.up[i], f.prev[i], f.gamma);
    if l == u {
        return (f64::NEG_INFINITY, f64::INFINITY);
    }
    let c = if v == p {
        None
    } else {
        Some(g * (v - p).signum())
    };
    if v == l {
        (c.map_or(-g, |c| -c), f64::INFINITY)
    } else if v == u {
        (f64::NEG_INFINITY, c.map_or(g, |c| -c))
    } else {
        (-g, g)
    }
}

/// What a polish found.
pub(super) enum Outcome {
    /// The weights of `state` satisfy the KKT conditions: the optimum.
    Optimal(Vec<f64>),
    /// They do not; this state corrects every violation found.
    Retry(Vec<u8>),
    /// A singular system or uncertifiable row: let ADMM go on.
    Fail,
}

/// Solve the equality-constrained QP of `state` and verify it.
pub(super) fn polish(f: &Fast, state: &[u8], y_admm: &[f64]) -> Outcome {
    let n = f.mu.len();
    let two_l = 2.0 * f.lambda;
    let free: Vec<usize> = (0..n).filter(|&i| state[i] < 2).collect();
    let mut w: Vec<f64> = (0..n)
        .map(|i| match state[i] {
            2 => f.lo[i],
            3 => f.up[i],
            4 => f.prev[i],
            _ => 0.0,
        })
        .collect();
    let sign = |i: usize| if state[i] == 0 { 1.0 } else { -1.0 };
    let row_state = &state[n..];
    // Active rows with a free member enter the KKT system; the others get their multiplier from
    // the fixed members' intervals below.
    let mut is_free = vec![false; n];
    for &i in &free {
        is_free[i] = true;
    }
    let (mut solved, mut all_fixed) = (Vec::new(), Vec::new());
    for (j, r) in f.rows.iter().enumerate() {
        if row_state[j] != 0 {
            if r.idx.iter().any(|&i| is_free[i]) {
                solved.push(j);
            } else {
                all_fixed.push(j);
            }
        }
    }
    let mut y = vec![0.0; f.rows.len()];
    if !free.is_empty() {
        // Q_FX·w_X through one product with the fixed part of w.
        let qx = matvec(f.cov, &w, two_l);
        let nf = free.len();
        let mut qff = DMatrix::from_fn(nf, nf, |a, b| two_l * f.cov[(free[a], free[b])]);
        if cholesky_in_place(&mut qff).is_err() {
            return Outcome::Fail;
        }
        let mut x0: Vec<f64> = free
            .iter()
            .map(|&i| f.mu[i] - f.gamma * sign(i) - qx[i])
            .collect();
        cholesky_solve(&qff, &mut x0);
        // Z = Q_FF⁻¹·A_Fᵀ, S = A_F·Z, y = S⁻¹(A_F·x0 − b).
        let pos: Vec<usize> = {
            let mut p = vec![usize::MAX; n];
            for (k, &i) in free.iter().enumerate() {
                p[i] = k;
            }
            p
        };
        let ns = solved.len();
        let mut z = Vec::with_capacity(ns);
        let mut rhs = DVector::zeros(ns);
        for (a, &j) in solved.iter().enumerate() {
            let r = &f.rows[j];
            let mut col = vec![0.0; nf];
            let (mut ax0, mut fixed_sum) = (0.0, 0.0);
            for &i in &r.idx {
                if pos[i] != usize::MAX {
                    col[pos[i]] = 1.0;
                    ax0 += x0[pos[i]];
                } else {
                    fixed_sum += w[i];
                }
            }
            let bound = if row_state[j] == 2 { r.lo } else { r.hi };
            rhs[a] = ax0 - (bound - fixed_sum);
            cholesky_solve(&qff, &mut col);
            z.push(col);
        }
        if ns > 0 {
            let s = DMatrix::from_fn(ns, ns, |a, b| {
                f.rows[solved[a]]
                    .idx
                    .iter()
                    .filter(|&&i| pos[i] != usize::MAX)
                    .map(|&i| z[b][pos[i]])
                    .sum::<f64>()
            });
            let Some(chol) = s.cholesky() else {
                return Outcome::Fail;
            };
            let ys = chol.solve(&rhs);
            for (a, &j) in solved.iter().enumerate() {
                y[j] = ys[a];
                for (x, zk) in x0.iter_mut().zip(&z[a]) {
                    *x -= ys[a] * zk;
                }
            }
        }
        for (k, &i) in free.iter().enumerate() {
            w[i] = x0[k];
        }
    }
    // g = Qw − μ + Aᵀy over the rows solved so far.
    let mut g = matvec(f.cov, &w, two_l);
    for (gi, mu) in g.iter_mut().zip(f.mu) {
        *gi -= mu;
    }
    let scale = g
        .iter()
        .chain(f.mu)
        .fold(f.gamma, |m, v| m.max(v.abs()))
        .max(f64::MIN_POSITIVE);
    let (pt, dt) = (
        1e-10 * w.iter().fold(1.0f64, |m, v| m.max(v.abs())),
        1e-9 * scale,
    );
    for &j in &solved {
        for &i in &f.rows[j].idx {
            g[i] += y[j];
        }
    }
    // Rows whose members are all fixed: any multiplier in the intersection of their members'
    // intervals (and of the right sign) certifies them; take the one nearest ADMM's.
    for &j in &all_fixed {
        let (mut lo_y, mut hi_y) = match row_state[j] {
            1 if f.rows[j].lo != f.rows[j].hi => (0.0, f64::INFINITY),
            2 => (f64::NEG_INFINITY, 0.0),
            _ => (f64::NEG_INFINITY, f64::INFINITY),
        };
        for &i in &f.rows[j].idx {
            let (l, u) = allowed(f, i, w[i]);
            lo_y = lo_y.max(l - g[i]);
            hi_y = hi_y.min(u - g[i]);
        }
        let r = &f.rows[j];
        let total: f64 = r.idx.iter().map(|&i| w[i]).sum();
        let bound = if row_state[j] == 2 { r.lo } else { r.hi };
        if (total - bound).abs() > pt {
            continue; // not tight: no multiplier (complementary slackness); checked below
        }
        if lo_y > hi_y + dt {
            return Outcome::Fail;
        }
        y[j] = y_admm[j].clamp(lo_y, hi_y.max(lo_y));
        for &i in &f.rows[j].idx {
            g[i] += y[j];
        }
    }
    // Verification of the KKT conditions; every violation also proposes the state that would
    // remove it (a primal–dual active-set step).
    let mut next = state.to_vec();
    for &i in &free {
        if w[i] < f.lo[i] - pt {
            next[i] = 2;
        } else if w[i] > f.up[i] + pt {
            next[i] = 3;
        } else if f.gamma > 0.0 && (w[i] - f.prev[i]) * sign(i) < -pt {
            next[i] = 4;
        }
    }
    for (j, r) in f.rows.iter().enumerate() {
        let s: f64 = r.idx.iter().map(|&i| w[i]).sum();
        let k = n + j;
        if s > r.hi + pt || s < r.lo - pt {
            let side = if s > r.hi + pt { 1 } else { 2 };
            if r.lo == r.hi || row_state[j] == side {
                return Outcome::Fail; // an active row that still does not hold
            }
            next[k] = side;
        } else if r.lo != r.hi
            && ((row_state[j] == 1 && y[j] < -dt) || (row_state[j] == 2 && y[j] > dt))
        {
            next[k] = 0;
        }
    }
    for i in (0..n).filter(|&i| state[i] >= 2) {
        let (l, u) = allowed(f, i, w[i]);
        // Freed upward (g below its interval) or downward; the side of p it moves into.
        if g[i] < l - dt {
            next[i] = if w[i] < f.prev[i] { 1 } else { 0 };
        } else if g[i] > u + dt {
            next[i] = if w[i] > f.prev[i] { 0 } else { 1 };
        }
    }
    if next != state {
        return Outcome::Retry(next);
    }
    if (0..n).any(|i| w[i] < f.lo[i] - pt || w[i] > f.up[i] + pt) {
        return Outcome::Fail;
    }
    for &i in &free {
        if g[i].abs() > f.gamma + dt || (f.gamma > 0.0 && (g[i] + f.gamma * sign(i)).abs() > dt) {
            return Outcome::Fail;
        }
    }
    Outcome::Optimal(w)
}
