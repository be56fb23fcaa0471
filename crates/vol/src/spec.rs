//! What to fit: a model is mean × variance process × distribution (after Sheppard's `arch`).
//!
//! The spec is plain data (serde, unknown fields rejected) so the factory can hash it and the CLI
//! can build it from flags. Orders follow `arch`: `p` ARCH lags (`alpha[i]`), `o` asymmetric lags
//! (`gamma[i]`), `q` GARCH lags (`beta[i]`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Conditional mean model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum MeanSpec {
    /// r_t = ε_t.
    Zero,
    /// r_t = μ + ε_t; parameter `mu`.
    Constant,
    /// r_t = c + Σ φ_i r_{t−i} + ε_t; parameters `Const`, `y[1]`, …, `y[lags]`.
    Ar {
        /// Number of autoregressive lags.
        lags: usize,
    },
}

/// Conditional variance process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VolKind {
    /// Bollerslev (1986) GARCH(p,q): σ²_t = ω + Σ α_i ε²_{t−i} + Σ β_j σ²_{t−j}.
    Garch,
    /// Glosten–Jagannathan–Runkle (1993): adds Σ γ_k ε²_{t−k}·1[ε_{t−k}<0].
    Gjr,
    /// Zakoian (1994) threshold GARCH (arch's TARCH/ZARCH, power 1) on σ_t.
    Tarch,
    /// Nelson (1991) EGARCH on ln σ²_t.
    Egarch,
}

/// Standardized error distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistKind {
    /// Standard normal.
    Normal,
    /// Standardized Student's t; parameter `nu`.
    StudentsT,
    /// Hansen (1994) skewed t; parameters `eta`, `lambda`.
    SkewStudent,
    /// Generalized error distribution; parameter `nu`.
    Ged,
}

/// How σ²_0 (and the pre-sample ε²) is initialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Backcast {
    /// `arch`'s default: exponentially weighted (λ = 0.94) mean of the first 75 squared residuals.
    #[default]
    Ewma,
    /// The sample mean of all squared residuals (|residuals| for TARCH, its log for EGARCH),
    /// recomputed from the residuals at every evaluation of the likelihood — the convention of
    /// the Fiorentini–Calzolari–Panattoni benchmark and of R rugarch.
    Sample,
    /// `Sample`, and for EGARCH a pre-sample shock: the pre-sample residual is the mean residual
    /// ε̄ = Σε_t/T, so e₀ = ε̄/σ₀ enters the first log-variance through α(|e₀| − √(2/π)) + γe₀
    /// (both recomputed from the current residuals at every evaluation). This is TSP's
    /// `e(0) = mean` start-up, the convention of the published EGARCH(1,1) benchmark on the
    /// Bollerslev–Ghysels DEM/GBP returns (C. Cummins, `egarch.tsp`, reproduced in rugarch's
    /// `ugarchbench`). The power family has no shock term to start, so there it is `Sample`.
    SampleMeanShock,
}

impl Backcast {
    /// Whether the backcast follows the current residuals (recomputed at every evaluation).
    pub fn is_sample(self) -> bool {
        matches!(self, Backcast::Sample | Backcast::SampleMeanShock)
    }
}

/// Covariance estimator of the parameter estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CovType {
    /// Bollerslev–Wooldridge sandwich H⁻¹ J H⁻¹ (arch's default).
    #[default]
    Robust,
    /// Inverse of the Hessian of the negative log-likelihood.
    Classic,
}

/// A complete single-series volatility model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GarchSpec {
    /// Mean model.
    pub mean: MeanSpec,
    /// Variance process.
    pub vol: VolKind,
    /// ARCH order (`alpha[1..=p]`).
    pub p: usize,
    /// Asymmetric order (`gamma[1..=o]`).
    pub o: usize,
    /// GARCH order (`beta[1..=q]`).
    pub q: usize,
    /// Error distribution.
    pub dist: DistKind,
    /// Initial-variance rule.
    #[serde(default)]
    pub backcast: Backcast,
}

impl Default for GarchSpec {
    /// Constant mean + GARCH(1,1) + normal errors, EWMA backcast: `arch_model(y)`.
    fn default() -> Self {
        GarchSpec {
            mean: MeanSpec::Constant,
            vol: VolKind::Garch,
            p: 1,
            o: 0,
            q: 1,
            dist: DistKind::Normal,
            backcast: Backcast::Ewma,
        }
    }
}

impl fmt::Display for GarchSpec {
    /// A short human name such as `Constant-GJR(1,1,1)-t`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mean = match self.mean {
            MeanSpec::Zero => "Zero".to_string(),
            MeanSpec::Constant => "Constant".to_string(),
            MeanSpec::Ar { lags } => format!("AR({lags})"),
        };
        let vol = match self.vol {
            VolKind::Garch => "GARCH",
            VolKind::Gjr => "GJR",
            VolKind::Tarch => "TARCH",
            VolKind::Egarch => "EGARCH",
        };
        let dist = match self.dist {
            DistKind::Normal => "normal",
            DistKind::StudentsT => "t",
            DistKind::SkewStudent => "skewt",
            DistKind::Ged => "ged",
        };
        write!(f, "{mean}-{vol}({},{},{})-{dist}", self.p, self.o, self.q)
    }
}
