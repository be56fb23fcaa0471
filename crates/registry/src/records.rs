//! Row types written to and read from the registry.

use serde::{Deserialize, Serialize};

/// Status of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Started and not finished: either still running or killed (resume continues it).
    Running,
    /// Stopped on request (Ctrl-C) after flushing finished work; resume continues it.
    Interrupted,
    /// Every task of the run (or of its shard) is in the registry.
    Finished,
}

impl RunStatus {
    /// The text stored in `runs.status`.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Interrupted => "interrupted",
            RunStatus::Finished => "finished",
        }
    }

    /// Parse the stored text; unknown text reads as `Running` (never finished).
    pub fn parse(s: &str) -> Self {
        match s {
            "finished" => RunStatus::Finished,
            "interrupted" => RunStatus::Interrupted,
            _ => RunStatus::Running,
        }
    }
}

/// A new run to register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRun {
    /// Experiment name.
    pub name: String,
    /// Hash of the experiment's canonical JSON (the resume key).
    pub experiment_hash: String,
    /// Canonical JSON of the experiment.
    pub spec_json: String,
    /// `CARGO_PKG_VERSION` plus `git describe` when known.
    pub code_version: String,
    /// Run seed.
    pub seed: u64,
    /// Shard index `i` of `--shard i/n` (0 when not sharded).
    pub shard_index: u32,
    /// Shard count `n` (1 when not sharded).
    pub shard_count: u32,
    /// Tasks in this run (its shard's share).
    pub n_tasks: u64,
    /// Start time, RFC 3339.
    pub started: String,
}

/// A run as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRow {
    /// Run id.
    pub id: i64,
    /// The fields given at creation.
    #[serde(flatten)]
    pub run: NewRun,
    /// Current status.
    pub status: RunStatus,
    /// End time, RFC 3339, once finished.
    pub finished: Option<String>,
    /// Wall seconds spent over all sessions of the run.
    pub elapsed_s: f64,
}

/// A model specification as stored in `specs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecRow {
    /// Hash of the canonical spec JSON.
    pub spec_hash: String,
    /// Model family (`garch`, …).
    pub family: String,
    /// Short human name, e.g. `Constant-GJR(1,1,1)-t`.
    pub label: String,
    /// Canonical spec JSON.
    pub spec_json: String,
}

/// Identity of one task: asset × spec × walk-forward window.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TaskKey {
    /// Asset name.
    pub asset: String,
    /// Spec hash.
    pub spec_hash: String,
    /// Walk-forward window index (0 = first refit).
    pub window: u32,
}

/// The fitted model (or the failure) of one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelRow {
    /// Which task.
    #[serde(flatten)]
    pub key: TaskKey,
    /// First training date.
    pub train_start: Option<String>,
    /// Last training date.
    pub train_end: Option<String>,
    /// Training observations.
    pub nobs: u64,
    /// Failure kind and reason; `None` when the fit succeeded.
    pub failure: Option<Failure>,
    /// Fitted parameters as a JSON object `{name: value}` in the model's order.
    pub params_json: Option<String>,
    /// Maximized log-likelihood.
    pub loglik: Option<f64>,
    /// Akaike information criterion.
    pub aic: Option<f64>,
    /// Bayesian information criterion.
    pub bic: Option<f64>,
    /// Whether the optimizer met its convergence criterion (`None` for a failed task).
    pub converged: Option<bool>,
    /// Non-fatal warnings of the fit, as a JSON array of strings.
    pub warnings: Option<String>,
    /// Fit time in microseconds (a timing: excluded from content comparisons).
    pub fit_us: u64,
}

/// Why a task failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// A stable kind for breakdowns (`insufficient_data`, `missing_data`, `fit_failed`, …).
    pub kind: String,
    /// The full reason, naming asset, dates and values.
    pub message: String,
}

/// A variance forecast made at the close of `date`'s previous day for the next `horizon` days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastRow {
    /// First forecast day.
    pub date: String,
    /// Horizon in days.
    pub horizon: u32,
    /// Window whose parameters made it.
    pub window: u32,
    /// Forecast variance of the sum of the next `horizon` returns.
    pub forecast: f64,
    /// Realized variance (sum of squared returns) over the same days; `None` past the data end.
    pub realized: Option<f64>,
}

/// A one-day Value-at-Risk forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VarRow {
    /// Forecast day.
    pub date: String,
    /// Tail probability (0.01 = 1% VaR).
    pub level: f64,
    /// Window whose parameters made it.
    pub window: u32,
    /// VaR as a positive loss: a breach is `realized_return < -value_at_risk`.
    pub value_at_risk: f64,
    /// The return realized that day.
    pub realized_return: Option<f64>,
}

/// Everything one task writes; stored in one transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// The model row.
    pub model: ModelRow,
    /// Variance forecasts.
    pub forecasts: Vec<ForecastRow>,
    /// VaR forecasts.
    pub var: Vec<VarRow>,
}

/// Task counts of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RunCounts {
    /// Tasks whose fit succeeded.
    pub ok: u64,
    /// Tasks that failed.
    pub failed: u64,
    /// Variance forecast rows.
    pub forecasts: u64,
}
