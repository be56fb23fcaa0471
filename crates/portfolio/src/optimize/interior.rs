//! The general path: the problem written for Clarabel (interior point) with as few variables and
//! rows as each case needs.
//!
//! Clarabel solves min ½xᵀPx + qᵀx, Ax + s = b, s ∈ K. Here x = [w; t; u] where each block is
//! present only when needed:
//!
//! * `t ≥ |w − w_prev|` (rows w − t ≤ w_prev, −w − t ≤ −w_prev) only with a turnover penalty
//!   γ > 0 or a turnover limit Σt ≤ T;
//! * `u ≥ |w|` (rows w − u ≤ 0, −w − u ≤ 0) only for a book that may short AND has a gross
//!   leverage or sector cap (Σu ≤ L, Σ_{i∈s} u_i ≤ cap). A long-only book has |w| = w, so its
//!   gross and sector caps are rows on w itself;
//! * position limits: 0 ≤ w ≤ m (long-only, two rows) or −m ≤ w ≤ m.
//!
//! P = 2λΣ on the w block (upper triangle), q = [−μ; γ·1; 0]. A long-only book with a turnover
//! penalty, a budget and 10 sector caps — the daily rebalance — has 2n variables (w, t) and
//! 4n + 11 rows (1,000 and 2,011 at n = 500, as cvxpy's canonical form) instead of 3n and
//! 7n + 11.

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, SolverStatus, SupportedConeT,
};

use super::{MeanVariance, OptimizeError};

struct Rows {
    i: Vec<usize>,
    j: Vec<usize>,
    v: Vec<f64>,
    b: Vec<f64>,
}

impl Rows {
    fn new() -> Self {
        Rows {
            i: vec![],
            j: vec![],
            v: vec![],
            b: vec![],
        }
    }

    fn push(&mut self, entries: &[(usize, f64)], rhs: f64) {
        let r = self.b.len();
        for &(j, v) in entries {
            self.i.push(r);
            self.j.push(j);
            self.v.push(v);
        }
        self.b.push(rhs);
    }
}

/// Solve with Clarabel; returns the weights and the interior-point iteration count.
pub(super) fn solve(p: &MeanVariance, prev: &[f64]) -> Result<(Vec<f64>, u32), OptimizeError> {
    let n = p.mu.len();
    let c = &p.constraints;
    let need_t = p.turnover_penalty > 0.0 || c.turnover_limit.is_some();
    let need_u = !c.long_only && (c.gross_leverage.is_some() || c.sectors.is_some());
    let w = 0;
    let t = n;
    let u = if need_t { 2 * n } else { n };
    let nv = n + if need_t { n } else { 0 } + if need_u { n } else { 0 };
    // The exposure of asset k in gross and sector rows: u_k, or w_k itself when long-only.
    let expo = |k: usize| if need_u { u + k } else { w + k };

    let (mut pi, mut pj, mut pv) = (Vec::new(), Vec::new(), Vec::new());
    for col in 0..n {
        for row in 0..=col {
            let v = 2.0 * p.risk_aversion * p.cov[(row, col)];
            if v != 0.0 {
                pi.push(row);
                pj.push(col);
                pv.push(v);
            }
        }
    }
    let pm = CscMatrix::new_from_triplets(nv, nv, pi, pj, pv);
    let mut q = vec![0.0; nv];
    for k in 0..n {
        q[w + k] = -p.mu[k];
        if need_t {
            q[t + k] = p.turnover_penalty;
        }
    }
    let mut eq = Rows::new();
    if let Some(budget) = c.budget {
        eq.push(&(0..n).map(|k| (w + k, 1.0)).collect::<Vec<_>>(), budget);
    }
    let mut ineq = Rows::new();
    for (k, &pk) in prev.iter().enumerate() {
        if need_t {
            ineq.push(&[(w + k, 1.0), (t + k, -1.0)], pk); // w − t ≤ w_prev
            ineq.push(&[(w + k, -1.0), (t + k, -1.0)], -pk); // −w − t ≤ −w_prev
        }
        if need_u {
            ineq.push(&[(w + k, 1.0), (u + k, -1.0)], 0.0); // w − u ≤ 0
            ineq.push(&[(w + k, -1.0), (u + k, -1.0)], 0.0); // −w − u ≤ 0
        }
        if c.long_only {
            ineq.push(&[(w + k, -1.0)], 0.0); // w ≥ 0
        } else if let Some(m) = c.max_position {
            ineq.push(&[(w + k, -1.0)], m); // w ≥ −m
        }
        if let Some(m) = c.max_position {
            ineq.push(&[(w + k, 1.0)], m); // w ≤ m
        }
    }
    if let Some(l) = c.gross_leverage {
        ineq.push(&(0..n).map(|k| (expo(k), 1.0)).collect::<Vec<_>>(), l);
    }
    if let Some(limit) = c.turnover_limit {
        ineq.push(&(0..n).map(|k| (t + k, 1.0)).collect::<Vec<_>>(), limit);
    }
    if let Some((ids, cap)) = &c.sectors {
        let mut sectors: Vec<usize> = ids.clone();
        sectors.sort_unstable();
        sectors.dedup();
        for s in sectors {
            let members: Vec<(usize, f64)> = (0..n)
                .filter(|&k| ids[k] == s)
                .map(|k| (expo(k), 1.0))
                .collect();
            ineq.push(&members, *cap);
        }
    }
    let (m_eq, m_in) = (eq.b.len(), ineq.b.len());
    let mut ai = eq.i;
    let mut aj = eq.j;
    let mut av = eq.v;
    ai.extend(ineq.i.iter().map(|r| r + m_eq));
    aj.extend(ineq.j);
    av.extend(ineq.v);
    let a = CscMatrix::new_from_triplets(m_eq + m_in, nv, ai, aj, av);
    let mut b = eq.b;
    b.extend(ineq.b);
    let mut cones = Vec::new();
    if m_eq > 0 {
        cones.push(SupportedConeT::ZeroConeT(m_eq));
    }
    if m_in > 0 {
        cones.push(SupportedConeT::NonnegativeConeT(m_in));
    }
    let settings = DefaultSettingsBuilder::default()
        .verbose(false)
        .build()
        .map_err(|e| OptimizeError::Solver(e.to_string()))?;
    let mut solver = DefaultSolver::new(&pm, &q, &a, &b, &cones, settings)
        .map_err(|e| OptimizeError::Solver(e.to_string()))?;
    solver.solve();
    let sol = &solver.solution;
    match sol.status {
        SolverStatus::Solved | SolverStatus::AlmostSolved => {}
        SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => {
            return Err(OptimizeError::Infeasible(format!("{:?}", sol.status)))
        }
        other => return Err(OptimizeError::Solver(format!("{other:?}"))),
    }
    Ok((sol.x[..n].to_vec(), sol.iterations))
}
