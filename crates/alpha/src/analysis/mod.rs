//! Factor analysis: does an alpha predict returns, how strongly, how steadily, at what cost?
//!
//! Inputs are plain matrices over one `n_dates × n_assets` grid, column-major by asset like an
//! `af_core::Panel` field (`a * n_dates + t`, `NaN` missing): a factor, and prices or returns
//! (optionally volumes for liquidity). The analysis mirrors alphalens (Quantopian; the
//! `alphalens-reloaded` 0.5.1 fork is the test oracle):
//!
//! 1. [`ForwardReturns`] at horizons such as 1, 5, 10, 20: `close[t+h] / close[t] − 1`;
//! 2. [`IcEngine`]: daily Pearson IC and Spearman rank IC, forward returns ranked once per day,
//!    many factors per pass over the dates ([`ic_stats_many`]);
//! 3. [`IcStats`]: mean, std, ICIR (plain and annualized), t-statistic and p-value;
//! 4. per-day equal-count buckets ([`quantile`]), bucket mean returns and the top-minus-bottom
//!    spread; quantile turnover and rank autocorrelation ([`turnover`]);
//! 5. the A2 validation gates ([`gates`], [`liquidity`]), redundancy pruning and
//!    hierarchical clustering ([`prune`]).
//!
//! ```
//! use af_alpha::analysis::{analyze, AnalysisConfig, ForwardReturns, IcEngine};
//! // 4 dates × 3 assets of prices, column-major by asset
//! let prices = [10.0, 11.0, 12.0, 12.5, 20.0, 19.0, 19.5, 19.0, 30.0, 30.3, 30.0, 31.0];
//! let fwd = ForwardReturns::from_prices(&prices, 4, 3, &[1]).unwrap();
//! let engine = IcEngine::new(&fwd);
//! let factor = [0.10, 0.09, 0.04, 0.0, -0.05, 0.03, -0.02, 0.0, 0.01, -0.01, 0.03, 0.0];
//! let res = analyze(&engine, &factor, &AnalysisConfig { quantiles: 3, ..Default::default() }, None).unwrap();
//! assert!((res.horizons[0].rank_ic[0] - 1.0).abs() < 1e-12); // a perfect ranking on day 0
//! ```

mod analyze;
mod error;
pub mod gates;
mod ic;
mod ic_fast;
mod ic_prep;
mod ic_scan;
pub mod liquidity;
pub mod prune;
pub mod quantile;
pub mod rank;
mod returns;
pub mod sort;
mod stats;
pub mod turnover;

pub use analyze::{
    analyze, analyze_many, analyze_named, ic_stats_many, AnalysisConfig, FactorAnalysis,
    HorizonAnalysis,
};
pub use error::AnalysisError;
pub use gates::{evaluate_gates, GateConfig, GateReport};
pub use ic::{DayIc, IcEngine, IcScratch};
pub use ic_scan::IcSeries;
pub use liquidity::AdvPercentiles;
pub use prune::{cluster_average, correlation_matrix, prune_redundant};
pub use returns::ForwardReturns;
pub use stats::IcStats;
