//! The experiment file: universe × targets × model grid × walk-forward scheme, described once.
//!
//! ```yaml
//! name: garch-grid
//! seed: 42
//! universe: { synthetic: { assets: 50, days: 1500, seed: 7 } }   # or { path: data/prices.csv }
//! filters: { min_history: 800, assets: [A0001, A0002] }           # optional
//! targets:
//!   returns: { field: returns, scale: 100 }        # field `close` = simple returns of closes
//!   realized_variance: { horizons: [1, 5, 10, 22] }
//! models:
//!   - garch: { vol: [garch, gjr, egarch], p: [1], q: [1], dist: [normal, t], mean: [constant] }
//! walk_forward: { train: 1000, refit_every: 22, test: 252, window: rolling }
//! var_levels: [0.01, 0.05, 0.10]
//! outputs: { registry: alphafactory.db, report: report.html }
//! ```
//!
//! Parsing and validation live in [`crate::parse`]; every error names the key and its line and
//! column in the file.

use std::path::PathBuf;

use af_data::synthetic::SyntheticConfig;
use serde::{Deserialize, Serialize};

use crate::grid::{ModelGrid, ModelSpec};
use crate::hash::{canonical_json, sha256_hex};

/// A validated experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    /// Experiment name.
    pub name: String,
    /// Run seed; task seeds derive from (seed, asset, spec hash).
    pub seed: u64,
    /// Where the assets come from.
    pub universe: Universe,
    /// Which assets take part.
    pub filters: Filters,
    /// What is forecast and scored.
    pub targets: Targets,
    /// Model grids (expanded by [`Experiment::specs`]).
    pub models: Vec<ModelGrid>,
    /// Walk-forward scheme.
    pub walk_forward: WalkForward,
    /// One-day VaR tail probabilities.
    pub var_levels: Vec<f64>,
    /// Ensembles to build from the registered forecasts (recorded with the run; built by the
    /// evaluation step).
    pub ensembles: Vec<EnsembleKind>,
    /// Output paths.
    pub outputs: Outputs,
    /// Directory that relative paths are resolved against (the experiment file's directory).
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// Source of the asset panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Universe {
    /// A CSV or Parquet file read by `af_data` (relative to the experiment file).
    Path(PathBuf),
    /// The synthetic market generator.
    Synthetic(Box<SyntheticConfig>),
}

/// Asset filters.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Filters {
    /// Assets with fewer valid returns are left out of the run (listed in the summary).
    pub min_history: usize,
    /// Only these assets (in this order); every name must exist in the universe.
    pub assets: Option<Vec<String>>,
}

/// Targets of the run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Targets {
    /// The return series the models are fitted on.
    pub returns: ReturnsTarget,
    /// Realized-variance horizons that forecasts are made and scored at.
    pub realized_variance: RealizedVariance,
}

/// The modelled return series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReturnsTarget {
    /// Panel field holding returns; `close` means simple returns of the closes.
    pub field: String,
    /// Multiplier applied before fitting (arch convention: percent returns, 100).
    pub scale: f64,
}

impl Default for ReturnsTarget {
    fn default() -> Self {
        ReturnsTarget {
            field: "returns".into(),
            scale: 100.0,
        }
    }
}

/// Realized-variance target: the sum of squared (scaled) returns over the next `h` days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RealizedVariance {
    /// Horizons in days, e.g. `[1, 5, 10, 22]`.
    pub horizons: Vec<usize>,
}

impl Default for RealizedVariance {
    fn default() -> Self {
        RealizedVariance { horizons: vec![1] }
    }
}

/// How the training window moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowKind {
    /// The last `train` days before each refit.
    #[default]
    Rolling,
    /// Every day from the series start to each refit (at least `train`).
    Expanding,
}

/// Walk-forward scheme: the last `test` days of each asset are forecast out of sample; the model
/// is refitted every `refit_every` days on the `train` days before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalkForward {
    /// Training days per fit.
    pub train: usize,
    /// Days between refits (each window forecasts this many days).
    pub refit_every: usize,
    /// Out-of-sample days at the end of each series.
    pub test: usize,
    /// Rolling or expanding training window.
    #[serde(default)]
    pub window: WindowKind,
}

impl WalkForward {
    /// Refit windows per asset: ⌈test / refit_every⌉.
    pub fn n_windows(&self) -> usize {
        self.test.div_ceil(self.refit_every.max(1))
    }
}

/// Ensembles recorded with a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnsembleKind {
    /// Weights ∝ exp(−AIC/2) over the variants of one asset.
    AicWeighted,
    /// Weights ∝ 1 / MSE of recent forecasts.
    InverseMse,
}

/// Output paths (relative to the experiment file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Outputs {
    /// Registry database.
    pub registry: PathBuf,
    /// HTML report (written by the report step).
    pub report: Option<PathBuf>,
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs {
            registry: PathBuf::from("alphafactory.db"),
            report: None,
        }
    }
}

/// The part of an experiment that determines its results (outputs and ensembles excluded).
#[derive(Serialize)]
struct ResultDefining<'a> {
    name: &'a str,
    seed: u64,
    universe: &'a Universe,
    filters: &'a Filters,
    targets: &'a Targets,
    models: &'a [ModelGrid],
    walk_forward: &'a WalkForward,
    var_levels: &'a [f64],
}

impl Experiment {
    /// Every model spec of the grids, in file order, duplicates removed (first kept).
    /// The grids were checked when the file was parsed.
    pub fn specs(&self) -> Result<Vec<ModelSpec>, String> {
        let mut out: Vec<ModelSpec> = Vec::new();
        for (i, g) in self.models.iter().enumerate() {
            for s in g.expand().map_err(|e| format!("models[{i}].{e}"))? {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        Ok(out)
    }

    /// Canonical JSON of the whole experiment (what the run row stores).
    pub fn canonical_json(&self) -> String {
        canonical_json(self).unwrap_or_default()
    }

    /// Experiment hash: SHA-256 (16 hex digits) of the canonical JSON of everything that
    /// determines results; the resume key.
    pub fn hash(&self) -> String {
        let view = ResultDefining {
            name: &self.name,
            seed: self.seed,
            universe: &self.universe,
            filters: &self.filters,
            targets: &self.targets,
            models: &self.models,
            walk_forward: &self.walk_forward,
            var_levels: &self.var_levels,
        };
        sha256_hex(&canonical_json(&view).unwrap_or_default(), 16)
    }

    /// The registry path, resolved against the experiment file's directory.
    pub fn registry_path(&self) -> PathBuf {
        self.base_dir.join(&self.outputs.registry)
    }
}
