//! Constrained mean–variance weights solved by a real convex solver (Clarabel, interior point).
//!
//! Problem (PRODUCT A3, P3):
//!
//! ```text
//! maximize   μᵀw − λ·wᵀΣw − γ·‖w − w_prev‖₁
//! subject to Σw = budget                  (1 fully invested long-only, 0 dollar-neutral; optional)
//!            w ≥ 0                        (long-only)
//!            |w_i| ≤ max_position
//!            Σ|w_i| ≤ gross_leverage
//!            Σ_{i∈s}|w_i| ≤ sector_cap    for every sector s
//!            ‖w − w_prev‖₁ ≤ turnover_limit
//! ```
//!
//! Written for Clarabel as min ½xᵀPx + qᵀx, Ax + s = b, s ∈ K over x = [w; t; u] where
//! t ≥ |w − w_prev| (turnover) and u ≥ |w| (gross exposure): P = 2λΣ on the w block,
//! q = [−μ; γ·1; 0]. Without constraints and γ = 0 the optimum is w* = Σ⁻¹μ / (2λ).

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, SolverStatus, SupportedConeT,
};
use nalgebra::DMatrix;
use thiserror::Error;

/// Why an optimization failed.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum OptimizeError {
    /// Inputs disagree in size.
    #[error("{what}: expected {expected} values, got {got}")]
    Shape {
        /// Which input.
        what: &'static str,
        /// Expected length.
        expected: usize,
        /// Actual length.
        got: usize,
    },
    /// A parameter out of range.
    #[error("invalid {name} = {value}: {why}")]
    BadParameter {
        /// Parameter name.
        name: &'static str,
        /// Its value.
        value: f64,
        /// What is wrong.
        why: &'static str,
    },
    /// The constraints admit no portfolio.
    #[error("the constraints admit no portfolio (solver status {0}); loosen position, sector or leverage limits")]
    Infeasible(String),
    /// The solver failed numerically.
    #[error("the solver stopped without a solution: {0}")]
    Solver(String),
}

/// Constraints on the weights; `None` means "no such limit".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    /// Σw must equal this (1 for fully invested, 0 for dollar-neutral).
    pub budget: Option<f64>,
    /// No short positions.
    pub long_only: bool,
    /// |w_i| ≤ this (P3: 0.10).
    pub max_position: Option<f64>,
    /// Σ|w_i| ≤ this.
    pub gross_leverage: Option<f64>,
    /// Sector id per asset and the cap on each sector's gross exposure (P3: 0.30).
    pub sectors: Option<(Vec<usize>, f64)>,
    /// ‖w − w_prev‖₁ ≤ this.
    pub turnover_limit: Option<f64>,
}

/// A mean–variance problem.
#[derive(Debug, Clone)]
pub struct MeanVariance<'a> {
    /// Expected returns (or alpha scores / ICs).
    pub mu: &'a [f64],
    /// Covariance matrix (n × n, symmetric positive semi-definite).
    pub cov: &'a DMatrix<f64>,
    /// Risk aversion λ > 0.
    pub risk_aversion: f64,
    /// L1 turnover penalty γ ≥ 0.
    pub turnover_penalty: f64,
    /// Previous weights (zeros when `None`).
    pub w_prev: Option<&'a [f64]>,
    /// Limits.
    pub constraints: Constraints,
}

/// Optimal weights and solver diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The weights.
    pub w: Vec<f64>,
    /// Objective μᵀw − λwᵀΣw − γ‖w − w_prev‖₁ at the solution.
    pub objective: f64,
    /// Interior-point iterations.
    pub iterations: u32,
}

struct Rows {
    i: Vec<usize>,
    j: Vec<usize>,
    v: Vec<f64>,
    b: Vec<f64>,
}

impl Rows {
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

impl MeanVariance<'_> {
    /// Solve the problem.
    pub fn solve(&self) -> Result<Solution, OptimizeError> {
        let n = self.mu.len();
        let c = &self.constraints;
        if self.cov.nrows() != n || self.cov.ncols() != n {
            return Err(OptimizeError::Shape {
                what: "covariance rows/cols",
                expected: n,
                got: self.cov.nrows(),
            });
        }
        let zeros = vec![0.0; n];
        let prev = self.w_prev.unwrap_or(&zeros);
        if prev.len() != n {
            return Err(OptimizeError::Shape {
                what: "previous weights",
                expected: n,
                got: prev.len(),
            });
        }
        if !(self.risk_aversion > 0.0)
            || !self.turnover_penalty.is_finite()
            || self.turnover_penalty < 0.0
        {
            return Err(OptimizeError::BadParameter {
                name: "risk_aversion/turnover_penalty",
                value: self.risk_aversion,
                why: "risk aversion must be > 0 and the turnover penalty ≥ 0",
            });
        }
        if let Some((ids, _)) = &c.sectors {
            if ids.len() != n {
                return Err(OptimizeError::Shape {
                    what: "sector ids",
                    expected: n,
                    got: ids.len(),
                });
            }
        }
        let (w, t, u) = (0, n, 2 * n); // variable blocks
        let nv = 3 * n;
        // P: upper triangle of 2λΣ on the w block.
        let (mut pi, mut pj, mut pv) = (Vec::new(), Vec::new(), Vec::new());
        for col in 0..n {
            for row in 0..=col {
                let v = 2.0 * self.risk_aversion * self.cov[(row, col)];
                if v != 0.0 {
                    pi.push(row);
                    pj.push(col);
                    pv.push(v);
                }
            }
        }
        let p = CscMatrix::new_from_triplets(nv, nv, pi, pj, pv);
        let mut q = vec![0.0; nv];
        for k in 0..n {
            q[w + k] = -self.mu[k];
            q[t + k] = self.turnover_penalty;
        }
        let mut eq = Rows {
            i: vec![],
            j: vec![],
            v: vec![],
            b: vec![],
        };
        if let Some(budget) = c.budget {
            eq.push(&(0..n).map(|k| (w + k, 1.0)).collect::<Vec<_>>(), budget);
        }
        let mut ineq = Rows {
            i: vec![],
            j: vec![],
            v: vec![],
            b: vec![],
        };
        for (k, &pk) in prev.iter().enumerate() {
            ineq.push(&[(w + k, 1.0), (t + k, -1.0)], pk); // w − t ≤ w_prev
            ineq.push(&[(w + k, -1.0), (t + k, -1.0)], -pk); // −w − t ≤ −w_prev
            ineq.push(&[(w + k, 1.0), (u + k, -1.0)], 0.0); // w − u ≤ 0
            ineq.push(&[(w + k, -1.0), (u + k, -1.0)], 0.0); // −w − u ≤ 0
            if c.long_only {
                ineq.push(&[(w + k, -1.0)], 0.0); // w ≥ 0
            }
            if let Some(m) = c.max_position {
                ineq.push(&[(w + k, 1.0)], m);
                ineq.push(&[(w + k, -1.0)], m);
            }
        }
        if let Some(l) = c.gross_leverage {
            ineq.push(&(0..n).map(|k| (u + k, 1.0)).collect::<Vec<_>>(), l);
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
                    .map(|k| (u + k, 1.0))
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
        cones.push(SupportedConeT::NonnegativeConeT(m_in));
        let settings = DefaultSettingsBuilder::default()
            .verbose(false)
            .build()
            .map_err(|e| OptimizeError::Solver(e.to_string()))?;
        let mut solver = DefaultSolver::new(&p, &q, &a, &b, &cones, settings)
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
        let wv: Vec<f64> = sol.x[..n].to_vec();
        Ok(Solution {
            objective: self.objective(&wv, prev),
            w: wv,
            iterations: sol.iterations,
        })
    }

    /// μᵀw − λ·wᵀΣw − γ·‖w − w_prev‖₁.
    pub fn objective(&self, w: &[f64], prev: &[f64]) -> f64 {
        let n = w.len();
        let mut quad = 0.0;
        for i in 0..n {
            for j in 0..n {
                quad += w[i] * self.cov[(i, j)] * w[j];
            }
        }
        let ret: f64 = w.iter().zip(self.mu).map(|(a, b)| a * b).sum();
        let l1: f64 = w.iter().zip(prev).map(|(a, b)| (a - b).abs()).sum();
        ret - self.risk_aversion * quad - self.turnover_penalty * l1
    }
}
