//! The strategy configuration (YAML). Unknown keys are errors; every error names the key and the
//! line.
//!
//! ```yaml
//! name: alpha101-neutral
//! universe: { synthetic: { assets: 200, days: 1260, seed: 7 } }   # or { file: prices.parquet }
//! alphas: { library: alpha101, only: [1, 2, 3] }                   # and/or exprs: [{name, expr}]
//! combination: { method: ic_weighted, lookback: 252, refit_every: 21 }
//! kill_switch: { window: 30, min_sharpe: 0.5, max_drawdown: 0.15, max_correlation: 0.9,
//!                shortfall_p: 0.05, min_active: 10, max_active: 30, readmit_after: 126 }
//! portfolio: { style: dollar_neutral, gross_leverage: 1.0, max_position: 0.10, sector_cap: 0.30 }
//! risk: { var_level: 0.95, var_method: garch, covariance: garch, dynamic_leverage: true,
//!         drawdown_stop: 0.15 }
//! stress: { windows: [{ name: taper, start: 2013-05-22, end: 2013-06-24 }], worst_days: [20, 60] }
//! costs: { bps: 5, slippage_bps: 5 }
//! report: tearsheet.html
//! ```

use std::path::{Path, PathBuf};

use af_data::synthetic::SyntheticConfig;
use serde::{Deserialize, Serialize};

use crate::StrategyError;

/// Where the prices come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Universe {
    /// A long (or wide `close`) CSV/Parquet file, relative to the config file.
    File(PathBuf),
    /// The synthetic generator (PRODUCT D2).
    Synthetic(Box<SyntheticConfig>),
}

/// One named expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedExpr {
    /// Alpha name.
    pub name: String,
    /// Expression in the alpha language.
    pub expr: String,
}

/// Which alphas to trade.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Alphas {
    /// `alpha101` or `tech`.
    pub library: Option<String>,
    /// Subset of the library by number (alpha101) — all when absent.
    pub only: Option<Vec<usize>>,
    /// Extra expressions.
    pub exprs: Vec<NamedExpr>,
}

/// How alpha weights are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// 1/N.
    Equal,
    /// ∝ positive past rank IC.
    IcWeighted,
    /// Kakushadze–Yu regression weights.
    KakushadzeYu,
    /// Mean–variance over alpha returns (Σ shrunk toward the average variance).
    MeanVariance,
    /// Correlation clusters → risk parity → volatility target.
    Hierarchical,
    /// Sharpe × drawdown penalty, VaR-budget scaled.
    Adaptive,
    /// Posterior-mean weights from track record.
    Bayesian,
}

/// Alpha combination settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Combination {
    /// Method.
    pub method: Method,
    /// Days of past alpha returns used at each refit.
    pub lookback: usize,
    /// Days between refits.
    pub refit_every: usize,
    /// Shrinkage toward the average variance for mean–variance (A3: 0.1).
    pub shrinkage: f64,
    /// Risk aversion of mean–variance over alphas.
    pub risk_aversion: f64,
}

impl Default for Combination {
    fn default() -> Self {
        Combination {
            method: Method::IcWeighted,
            lookback: 252,
            refit_every: 21,
            shrinkage: 0.1,
            risk_aversion: 10.0,
        }
    }
}

/// Kill-switch thresholds (PRODUCT A5) and the practitioner's safeguards around them.
///
/// Alphas go live on the first trading day (after the combination's warm-up); the IR-shortfall
/// test compares each alpha's live window Sharpe with its Sharpe over the `expected_lookback` days
/// before it went live.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KillSwitch {
    /// Apply the kill switch.
    pub enabled: bool,
    /// Rolling window (days).
    pub window: usize,
    /// Minimum annualized Sharpe.
    pub min_sharpe: f64,
    /// Maximum drawdown since going live.
    pub max_drawdown: f64,
    /// Maximum correlation with another live alpha.
    pub max_correlation: f64,
    /// p-value of the IR-shortfall test.
    pub shortfall_p: f64,
    /// Days before going live whose Sharpe is the expected one (0: no IR-shortfall test).
    pub expected_lookback: usize,
    /// Maximum age in days since going live (None: no expiry).
    pub expiry_days: Option<usize>,
    /// Live days before any rule applies; at least `window` (0 = `window`).
    pub grace_days: usize,
    /// Retirement alone never leaves fewer live alphas than this.
    pub min_active: usize,
    /// At most this many alphas live; the rest wait as candidates ranked by trailing rank IC
    /// and replace retired ones (None: every alpha live).
    pub max_active: Option<usize>,
    /// A retired alpha may be promoted again after this many days (None: never).
    pub readmit_after: Option<usize>,
    /// Daily factor on a retired alpha's weight (gradual reduction).
    pub decay: f64,
}

impl Default for KillSwitch {
    fn default() -> Self {
        KillSwitch {
            enabled: true,
            window: 30,
            min_sharpe: 0.5,
            max_drawdown: 0.15,
            max_correlation: 0.9,
            shortfall_p: 0.05,
            expected_lookback: 252,
            expiry_days: None,
            grace_days: 0,
            min_active: 10,
            max_active: None,
            readmit_after: None,
            decay: 0.5,
        }
    }
}

/// Long-only or dollar-neutral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// Weights ≥ 0, Σw = gross leverage.
    LongOnly,
    /// Σw = 0, Σ|w| = gross leverage.
    DollarNeutral,
}

/// From a score to weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Construction {
    /// Scale the (demeaned) score, clip positions, cap sectors.
    Rank,
    /// Clarabel mean–variance with a Ledoit–Wolf covariance of past asset returns.
    MeanVariance,
}

/// Portfolio construction settings (PRODUCT P3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Portfolio {
    /// Style.
    pub style: Style,
    /// Construction.
    pub construction: Construction,
    /// Σ|w|.
    pub gross_leverage: f64,
    /// |w_i| ≤ this.
    pub max_position: f64,
    /// Gross exposure per sector ≤ this (None: no cap).
    pub sector_cap: Option<f64>,
    /// ‖w − w_prev‖₁ ≤ this per rebalance (mean–variance construction only).
    pub turnover_limit: Option<f64>,
    /// Risk aversion of the mean–variance construction.
    pub risk_aversion: f64,
    /// Days between rebalances.
    pub rebalance_every: usize,
}

impl Default for Portfolio {
    fn default() -> Self {
        Portfolio {
            style: Style::DollarNeutral,
            construction: Construction::Rank,
            gross_leverage: 1.0,
            max_position: 0.10,
            sector_cap: Some(0.30),
            turnover_limit: None,
            risk_aversion: 5.0,
            rebalance_every: 1,
        }
    }
}

/// How the pro-forma VaR / CVaR of the day's weights is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VarMethod {
    /// Quantiles of the pro-forma P&L over `window` days.
    Historical,
    /// Normal with σ = √(wᵀΣw), Σ from `covariance`, μ the pro-forma mean.
    Parametric,
    /// GARCH(1,1) fitted to the pro-forma P&L over `garch_window` days (`af-vol`).
    Garch,
}

impl VarMethod {
    /// The YAML name.
    pub fn as_str(self) -> &'static str {
        match self {
            VarMethod::Historical => "historical",
            VarMethod::Parametric => "parametric",
            VarMethod::Garch => "garch",
        }
    }
}

/// Which asset covariance the mean–variance construction and the parametric VaR use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CovarianceKind {
    /// Ledoit–Wolf toward a scaled identity over `window` days.
    LedoitWolf,
    /// Sample covariance shrunk toward the average variance by `shrinkage` (A3).
    Shrink,
    /// D·R̃·D: per-asset GARCH(1,1) one-step volatilities over `garch_window` days, correlation
    /// shrunk toward the identity by `shrinkage`.
    Garch,
}

impl CovarianceKind {
    /// The YAML name.
    pub fn as_str(self) -> &'static str {
        match self {
            CovarianceKind::LedoitWolf => "ledoit_wolf",
            CovarianceKind::Shrink => "shrink",
            CovarianceKind::Garch => "garch",
        }
    }
}

/// Risk rules (PRODUCT P2, P3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Risk {
    /// VaR confidence level.
    pub var_level: f64,
    /// Days of history for the pro-forma VaR of today's weights.
    pub window: usize,
    /// VaR method.
    pub var_method: VarMethod,
    /// Covariance model.
    pub covariance: CovarianceKind,
    /// Shrinkage intensity of `shrink` and of the GARCH correlation, in (0, 1].
    pub shrinkage: f64,
    /// Days of history of each GARCH fit.
    pub garch_window: usize,
    /// Days between GARCH refits (in between, the kept parameters are filtered forward).
    pub garch_refit_every: usize,
    /// Apply P2: risk score = VaR + 0.5·CVaR → leverage 0.5 / 0.7 / 1.0.
    pub dynamic_leverage: bool,
    /// Scale weights so the pro-forma daily VaR stays within this.
    pub var_budget: Option<f64>,
    /// Go flat for good once the drawdown exceeds this.
    pub drawdown_stop: Option<f64>,
}

impl Default for Risk {
    fn default() -> Self {
        Risk {
            var_level: 0.95,
            window: 60,
            var_method: VarMethod::Historical,
            covariance: CovarianceKind::LedoitWolf,
            shrinkage: 0.1,
            garch_window: 500,
            garch_refit_every: 21,
            dynamic_leverage: true,
            var_budget: Some(0.02),
            drawdown_stop: Some(0.15),
        }
    }
}

/// Trading costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Costs {
    /// Commission and fees, bps of traded notional.
    pub bps: f64,
    /// Slippage, bps of traded notional.
    pub slippage_bps: f64,
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            bps: 5.0,
            slippage_bps: 5.0,
        }
    }
}

/// One named stress window (ISO dates, inclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedWindow {
    /// Name shown in the report.
    pub name: String,
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Last day, `YYYY-MM-DD`.
    pub end: String,
}

/// Stress-window settings (PRODUCT P5/P6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Stress {
    /// Add the built-in market stress windows that overlap the data (see `stress`).
    pub defaults: bool,
    /// Extra named windows.
    pub windows: Vec<NamedWindow>,
    /// Lengths of the worst-window searches (days).
    pub worst_days: Vec<usize>,
    /// Non-overlapping worst windows reported per length.
    pub worst_count: usize,
}

impl Default for Stress {
    fn default() -> Self {
        Stress {
            defaults: true,
            windows: Vec::new(),
            worst_days: vec![20, 60],
            worst_count: 2,
        }
    }
}

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyConfig {
    /// Name shown in reports.
    #[serde(default = "default_name")]
    pub name: String,
    /// Prices.
    pub universe: Universe,
    /// Alphas.
    pub alphas: Alphas,
    /// Alpha combination.
    #[serde(default)]
    pub combination: Combination,
    /// Kill switch.
    #[serde(default)]
    pub kill_switch: KillSwitch,
    /// Portfolio construction.
    #[serde(default)]
    pub portfolio: Portfolio,
    /// Risk rules.
    #[serde(default)]
    pub risk: Risk,
    /// Costs.
    #[serde(default)]
    pub costs: Costs,
    /// Stress windows.
    #[serde(default)]
    pub stress: Stress,
    /// Tear-sheet path (relative to the output directory).
    #[serde(default)]
    pub report: Option<PathBuf>,
}

fn default_name() -> String {
    "portfolio".to_string()
}

impl StrategyConfig {
    /// Parse YAML; `path` names the file in errors; relative universe files resolve against it.
    pub fn parse(text: &str, path: &Path) -> Result<Self, StrategyError> {
        let mut cfg: StrategyConfig = serde_saphyr::from_str(text).map_err(|e| {
            let line = e.location().map_or(0, |l| l.line() as usize);
            StrategyError::Config {
                file: path.display().to_string(),
                line,
                key: key_at(text, line),
                message: e.to_string().lines().next().unwrap_or_default().to_string(),
            }
        })?;
        if let Universe::File(f) = &cfg.universe {
            if f.is_relative() {
                let base = path.parent().unwrap_or(Path::new(""));
                cfg.universe = Universe::File(base.join(f));
            }
        }
        cfg.validate(path)?;
        Ok(cfg)
    }

    /// Read and parse a config file.
    pub fn load(path: &Path) -> Result<Self, StrategyError> {
        let text = std::fs::read_to_string(path).map_err(|e| StrategyError::Io {
            file: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::parse(&text, path)
    }

    fn validate(&self, path: &Path) -> Result<(), StrategyError> {
        let bad = |key: &str, message: &str| StrategyError::Config {
            file: path.display().to_string(),
            line: 0,
            key: key.to_string(),
            message: message.to_string(),
        };
        if self.alphas.library.is_none() && self.alphas.exprs.is_empty() {
            return Err(bad("alphas", "name a `library` or give `exprs`"));
        }
        if self.combination.lookback < 20 || self.combination.refit_every == 0 {
            return Err(bad(
                "combination",
                "lookback must be ≥ 20 days and refit_every ≥ 1",
            ));
        }
        let p = &self.portfolio;
        if !(p.gross_leverage > 0.0) || !(p.max_position > 0.0) || p.rebalance_every == 0 {
            return Err(bad(
                "portfolio",
                "gross_leverage and max_position must be > 0 and rebalance_every ≥ 1",
            ));
        }
        if !(self.risk.var_level > 0.5 && self.risk.var_level < 1.0) || self.risk.window < 10 {
            return Err(bad(
                "risk",
                "var_level must lie in (0.5, 1) and window be ≥ 10 days",
            ));
        }
        if self.costs.bps < 0.0 || self.costs.slippage_bps < 0.0 {
            return Err(bad("costs", "costs cannot be negative"));
        }
        let r = &self.risk;
        if !(r.shrinkage > 0.0 && r.shrinkage <= 1.0) {
            return Err(bad(
                "risk.shrinkage",
                &format!("must lie in (0, 1], got {}", r.shrinkage),
            ));
        }
        if r.garch_window < 100 || r.garch_refit_every == 0 {
            return Err(bad(
                "risk.garch_window",
                &format!(
                    "GARCH fits need garch_window ≥ 100 days (got {}) and garch_refit_every ≥ 1 (got {})",
                    r.garch_window, r.garch_refit_every
                ),
            ));
        }
        let ks = &self.kill_switch;
        if ks.window < 5 || !(ks.decay >= 0.0 && ks.decay < 1.0) {
            return Err(bad(
                "kill_switch",
                "window must be ≥ 5 days and decay lie in [0, 1)",
            ));
        }
        if !(ks.shortfall_p > 0.0 && ks.shortfall_p < 1.0) {
            return Err(bad("kill_switch.shortfall_p", "must lie in (0, 1)"));
        }
        if ks.max_active.is_some_and(|m| m == 0 || m < ks.min_active) {
            return Err(bad(
                "kill_switch.max_active",
                &format!(
                    "must be ≥ 1 and ≥ min_active ({}), got {:?}",
                    ks.min_active, ks.max_active
                ),
            ));
        }
        for (i, w) in self.stress.windows.iter().enumerate() {
            let key = format!("stress.windows[{i}]");
            let parse = |d: &str, what: &str| {
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    bad(
                        &format!("{key}.{what}"),
                        &format!("`{d}` is not a date YYYY-MM-DD"),
                    )
                })
            };
            if parse(&w.start, "start")? > parse(&w.end, "end")? {
                return Err(bad(
                    &key,
                    &format!("`{}` starts {} after it ends {}", w.name, w.start, w.end),
                ));
            }
        }
        if self.stress.worst_days.iter().any(|d| *d < 2) {
            return Err(bad("stress.worst_days", "each length must be ≥ 2 days"));
        }
        Ok(())
    }
}

/// The dotted key path of the YAML line `line` (1-based), from its indentation.
fn key_at(text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = line.checked_sub(1).filter(|l| *l < lines.len()) else {
        return String::new();
    };
    let mut path = Vec::new();
    let mut indent = usize::MAX;
    for l in lines[..=start].iter().rev() {
        let trimmed = l.trim_start();
        let ind = l.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') || ind >= indent {
            continue;
        }
        if let Some((k, _)) = trimmed.trim_start_matches("- ").split_once(':') {
            path.push(k.trim().to_string());
            indent = ind;
        }
        if ind == 0 {
            break;
        }
    }
    path.reverse();
    path.join(".")
}
