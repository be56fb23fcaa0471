//! Leaderboards and run reports over an alphafactory registry: no model maths (the losses,
//! tests and ensemble weights are `af_eval`'s), no new storage (read-only over `af_registry`).
//!
//! * [`load`] — a run's specs, assets and fits; one asset's forecasts aligned on dates.
//! * [`ensemble`] — AIC-weighted (V4), inverse-MSE over 30 days (E3) and equal-weight ensembles.
//! * [`score`] — per asset: MSE, MAE, QLIKE, Mincer–Zarnowitz R², correlation per horizon; VaR
//!   backtests (Kupiec, Christoffersen); selection by AIC / BIC.
//! * [`board`](mod@board) — every asset scored once, ranked by asset, family or horizon.
//! * [`report`] — one self-contained HTML page of the run.
//!
//! ```no_run
//! use af_board::{Board, GroupBy, Metric};
//! let reg = af_registry::Registry::open("alphafactory.db")?;
//! let board = Board::compute(&reg, 1, &[])?;
//! println!("{}", board.leaderboard(GroupBy::Horizon, Metric::Qlike, Some(5)));
//! # Ok::<(), af_board::BoardError>(())
//! ```
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod board;
pub mod ensemble;
pub mod error;
pub mod leaderboard;
pub mod load;
pub mod metric;
pub mod report;
mod report_sections;
pub mod score;

pub use board::Board;
pub use ensemble::Ensemble;
pub use error::{BoardError, Result};
pub use leaderboard::{Group, Leaderboard, RankedRow, Selection, VarSummary};
pub use load::{AssetData, FitInfo, RunIndex, SpecInfo};
pub use metric::{GroupBy, Metric};
pub use report::{write_report, ReportOptions};
pub use score::{AssetScores, ScoreRow, VarScore};
