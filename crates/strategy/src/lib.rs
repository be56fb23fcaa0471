//! One configuration from the alpha library to a backtested portfolio and its tear sheet
//! (PRODUCT A3–A8, P2, P3, P5, P6):
//!
//! prices → alphas (`af-alpha`) → per-alpha dollar-neutral signals and their t+1 returns →
//! combination weights refitted on past data only (`af-portfolio::combine` / `allocation`) ×
//! kill-switch multipliers (`kill_switch`) → combined score → target weights under position,
//! sector and leverage limits (`construct`) → P2 dynamic leverage and VaR budget → backtest with
//! costs (`af-portfolio::backtest`) → drawdown stop → metrics (empyrical), realized VaR/CVaR
//! (historical, parametric, GARCH), stress windows (`stress`) → tear sheet.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod combination;
pub mod config;
pub mod construct;
pub mod pipeline;
pub mod retire;
pub mod risk_model;
pub mod signals;
pub mod stress;
pub mod summary;
pub mod tearsheet;
mod tearsheet_risk;

pub use config::StrategyConfig;
pub use pipeline::{run, run_with_alphas, StrategyResult};

use thiserror::Error;

/// Why a strategy run failed.
#[derive(Debug, Error)]
pub enum StrategyError {
    /// The YAML is malformed or a value is out of range.
    #[error("{file}:{line}: `{key}`: {message}")]
    Config {
        /// Config file.
        file: String,
        /// 1-based line (0 when the problem is not tied to a line).
        line: usize,
        /// Dotted key path.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// A file could not be read or written.
    #[error("{file}: {message}")]
    Io {
        /// File.
        file: String,
        /// The OS error.
        message: String,
    },
    /// Loading the universe failed.
    #[error(transparent)]
    Data(#[from] af_data::DataError),
    /// Generating the synthetic universe failed.
    #[error(transparent)]
    Synthetic(#[from] af_data::synthetic::SyntheticError),
    /// An alpha could not be parsed or evaluated.
    #[error(transparent)]
    Alpha(#[from] af_alpha::AlphaError),
    /// A panel operation failed.
    #[error(transparent)]
    Core(#[from] af_core::CoreError),
    /// The backtest rejected its inputs.
    #[error(transparent)]
    Backtest(#[from] af_portfolio::backtest::BacktestError),
    /// Metrics failed.
    #[error(transparent)]
    Metrics(#[from] af_portfolio::MetricsError),
    /// The universe is too small or too short.
    #[error("{0}")]
    Universe(String),
}
