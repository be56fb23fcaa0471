//! Constrained mean–variance weights, solved exactly (PRODUCT A3, P3).
//!
//! Problem:
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
//! Two paths, one answer:
//! * [`admm`] — when every limit is a bound or a linear row (long-only books; or books with
//!   only a budget and position limits) and there is no turnover LIMIT: ADMM on a factorization
//!   of 2λΣ + ρI + ρAᵀA that [`Rebalancer`] caches across calls with the same covariance, then an
//!   exact active-set polish whose KKT conditions are verified before it is returned;
//! * [`interior`] — everything else, and anything the fast path cannot verify within its
//!   iteration budget: Clarabel's interior point on a formulation with only the auxiliary
//!   variables the case needs.
//!
//! Without constraints and γ = 0 the optimum is w* = Σ⁻¹μ / (2λ).

mod admm;
pub(crate) mod dense;
mod interior;

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
    /// Iterations of the path that produced it (ADMM or interior point).
    pub iterations: u32,
    /// Which path produced it.
    pub path: SolvePath,
}

/// The algorithm that produced a [`Solution`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolvePath {
    /// ADMM + exact active-set polish, KKT verified.
    ActiveSetPolish,
    /// Clarabel's interior point.
    InteriorPoint,
}

/// Solver state reused across a sequence of problems — the daily rebalance: the factorization
/// of the fast path is kept while the covariance, λ and the constraint rows stay the same, and
/// ADMM starts from the previous solution's iterate. Results do not depend on the state (each
/// is a verified optimum or the interior-point solution); only the time does.
#[derive(Debug, Clone, Default)]
pub struct Rebalancer {
    factor: Option<admm::Factor>,
    warm: Option<admm::Iterate>,
}

impl Rebalancer {
    /// A solver with nothing cached.
    pub fn new() -> Self {
        Rebalancer::default()
    }

    /// Solve `problem`, reusing what the previous calls cached.
    pub fn solve(&mut self, problem: &MeanVariance) -> Result<Solution, OptimizeError> {
        problem.check()?;
        let n = problem.mu.len();
        let zeros = vec![0.0; n];
        let prev = problem.w_prev.unwrap_or(&zeros);
        let fast = problem
            .fast_form(prev)
            .and_then(|f| admm::solve(&f, &mut self.factor, &mut self.warm));
        let ((w, iterations), path) = match fast {
            Some(found) => (found, SolvePath::ActiveSetPolish),
            None => {
                self.warm = None;
                (interior::solve(problem, prev)?, SolvePath::InteriorPoint)
            }
        };
        Ok(Solution {
            objective: problem.objective(&w, prev),
            w,
            iterations,
            path,
        })
    }
}

impl MeanVariance<'_> {
    /// Solve the problem (a fresh [`Rebalancer`]; use one across calls for a daily rebalance).
    pub fn solve(&self) -> Result<Solution, OptimizeError> {
        Rebalancer::new().solve(self)
    }

    /// Solve with the interior-point path only (a cross-check of the fast path).
    pub fn solve_interior_point(&self) -> Result<Solution, OptimizeError> {
        self.check()?;
        let zeros = vec![0.0; self.mu.len()];
        let prev = self.w_prev.unwrap_or(&zeros);
        let (w, iterations) = interior::solve(self, prev)?;
        Ok(Solution {
            objective: self.objective(&w, prev),
            w,
            iterations,
            path: SolvePath::InteriorPoint,
        })
    }

    fn check(&self) -> Result<(), OptimizeError> {
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
        let limits = [
            ("max_position", c.max_position),
            ("gross_leverage", c.gross_leverage),
            ("sector_cap", c.sectors.as_ref().map(|s| s.1)),
            ("turnover_limit", c.turnover_limit),
        ];
        for (name, value) in limits {
            if let Some(v) = value.filter(|v| !(*v >= 0.0)) {
                return Err(OptimizeError::BadParameter {
                    name,
                    value: v,
                    why: "a limit must be a number ≥ 0",
                });
            }
        }
        if let Some(v) = c.budget.filter(|v| !v.is_finite()) {
            return Err(OptimizeError::BadParameter {
                name: "budget",
                value: v,
                why: "the budget must be finite",
            });
        }
        if let Some(v) = self.cov.iter().find(|v| !v.is_finite()) {
            return Err(OptimizeError::BadParameter {
                name: "covariance entry",
                value: *v,
                why: "the covariance must be finite; fill or drop missing returns first",
            });
        }
        if let Some(v) = self.mu.iter().chain(prev).find(|v| !v.is_finite()) {
            return Err(OptimizeError::BadParameter {
                name: "expected return / previous weight",
                value: *v,
                why: "fill or drop missing values before optimizing",
            });
        }
        Ok(())
    }

    /// The problem in the fast path's terms, when its limits are all bounds and linear rows.
    fn fast_form<'a>(&'a self, prev: &'a [f64]) -> Option<admm::Fast<'a>> {
        let c = &self.constraints;
        if c.turnover_limit.is_some()
            || (!c.long_only && (c.gross_leverage.is_some() || c.sectors.is_some()))
        {
            return None;
        }
        let n = self.mu.len();
        let cap = c.max_position.unwrap_or(f64::INFINITY);
        let lo = vec![if c.long_only { 0.0 } else { -cap }; n];
        let up = vec![cap; n];
        let mut rows = Vec::new();
        if let Some(b) = c.budget {
            rows.push(admm::Row {
                idx: (0..n).collect(),
                lo: b,
                hi: b,
            });
        }
        if let Some(l) = c.gross_leverage {
            rows.push(admm::Row {
                idx: (0..n).collect(),
                lo: f64::NEG_INFINITY,
                hi: l,
            });
        }
        if let Some((ids, cap)) = &c.sectors {
            let mut sectors: Vec<usize> = ids.clone();
            sectors.sort_unstable();
            sectors.dedup();
            for s in sectors {
                let idx = (0..n).filter(|&k| ids[k] == s).collect();
                rows.push(admm::Row {
                    idx,
                    lo: f64::NEG_INFINITY,
                    hi: *cap,
                });
            }
        }
        Some(admm::Fast {
            cov: self.cov,
            lambda: self.risk_aversion,
            mu: self.mu,
            gamma: self.turnover_penalty,
            prev,
            lo,
            up,
            rows,
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
