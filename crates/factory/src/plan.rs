//! From an experiment and its panel to the task list: asset return series, expanded specs and
//! walk-forward windows. Tasks are enumerated in a fixed order (asset, spec, window), so a task's
//! index — and hence its shard — is the same on every machine.

use af_core::Panel;
use chrono::{NaiveDateTime, Timelike};

use crate::error::FactoryError;
use crate::experiment::{Experiment, Universe, WalkForward};
use crate::grid::ModelSpec;

/// One asset's return series, trimmed to its first and last finite value.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetSeries {
    /// Asset name.
    pub name: String,
    /// Dates as text (`YYYY-MM-DD`, or with the time for intraday bars).
    pub dates: Vec<String>,
    /// Scaled returns; NaN = missing.
    pub y: Vec<f64>,
}

/// A spec with its hash and canonical JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedSpec {
    /// The spec.
    pub spec: ModelSpec,
    /// Registry key.
    pub hash: String,
    /// Canonical JSON.
    pub json: String,
}

/// Identity of a task inside a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaskId {
    /// Asset index.
    pub asset: u32,
    /// Spec index.
    pub spec: u32,
    /// Window index.
    pub window: u32,
}

/// `--shard i/n`: this machine runs the tasks whose index modulo `n` is `i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, 0-based.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl Default for Shard {
    fn default() -> Self {
        Shard { index: 0, count: 1 }
    }
}

impl std::str::FromStr for Shard {
    type Err = FactoryError;
    fn from_str(s: &str) -> Result<Self, FactoryError> {
        let bad = |reason: &str| FactoryError::Shard {
            given: s.to_string(),
            reason: reason.to_string(),
        };
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| bad("expected i/n, e.g. 0/4"))?;
        let index: u32 = i
            .trim()
            .parse()
            .map_err(|_| bad("i is not a whole number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| bad("n is not a whole number"))?;
        if count == 0 || index >= count {
            return Err(bad("need n ≥ 1 and 0 ≤ i < n"));
        }
        Ok(Shard { index, count })
    }
}

/// Everything the engine needs, built once per run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Assets taking part.
    pub assets: Vec<AssetSeries>,
    /// Assets left out by the filters, with the reason.
    pub excluded: Vec<(String, String)>,
    /// Expanded model specs.
    pub specs: Vec<PlannedSpec>,
    /// Walk-forward scheme.
    pub walk_forward: WalkForward,
    /// Forecast horizons.
    pub horizons: Vec<usize>,
    /// VaR levels.
    pub var_levels: Vec<f64>,
    /// Run seed.
    pub seed: u64,
}

/// Build the experiment's panel (synthetic generator or a data file).
pub fn load_universe(exp: &Experiment) -> Result<Panel, FactoryError> {
    match &exp.universe {
        Universe::Synthetic(cfg) => {
            af_data::synthetic::generate(cfg).map_err(|e| FactoryError::Universe(e.to_string()))
        }
        Universe::Path(p) => {
            let path = exp.base_dir.join(p);
            af_data::read_panel(&path, &af_data::ReadOptions::default())
                .map(|report| report.panel)
                .map_err(|e| FactoryError::Universe(format!("{}: {e}", path.display())))
        }
    }
}

fn date_text(d: &NaiveDateTime) -> String {
    if d.time().num_seconds_from_midnight() == 0 {
        d.format("%Y-%m-%d").to_string()
    } else {
        d.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

impl Plan {
    /// Build the plan of `exp` over `panel`.
    pub fn new(exp: &Experiment, panel: &Panel) -> Result<Plan, FactoryError> {
        let field = &exp.targets.returns.field;
        let scale = exp.targets.returns.scale;
        let from_close = field == "close";
        if !panel.has_field(field) {
            let have: Vec<&str> = panel.field_names().collect();
            return Err(FactoryError::Universe(format!(
                "targets.returns.field `{field}` is not in the panel (fields: {})",
                have.join(", ")
            )));
        }
        let indices: Vec<usize> = match &exp.filters.assets {
            None => (0..panel.n_assets()).collect(),
            Some(names) => names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    if names[..i].contains(n) {
                        return Err(FactoryError::Universe(format!(
                            "filters.assets: `{n}` is listed twice"
                        )));
                    }
                    panel.asset_index(n).map_err(|_| {
                        FactoryError::Universe(format!(
                            "filters.assets: `{n}` is not in the universe"
                        ))
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        let dates: Vec<String> = panel.dates().iter().map(date_text).collect();
        let mut assets = Vec::new();
        let mut excluded = Vec::new();
        for a in indices {
            let name = panel.assets()[a].clone();
            let raw = panel
                .series(field, a)
                .map_err(|e| FactoryError::Universe(e.to_string()))?;
            let mut y: Vec<f64> = if from_close {
                let mut r = vec![f64::NAN; raw.len()];
                for t in 1..raw.len() {
                    r[t] = raw[t] / raw[t - 1] - 1.0;
                }
                r
            } else {
                raw.to_vec()
            };
            for v in &mut y {
                *v = if v.is_finite() { *v * scale } else { f64::NAN };
            }
            let first = y.iter().position(|v| v.is_finite());
            let last = y.iter().rposition(|v| v.is_finite());
            let (Some(first), Some(last)) = (first, last) else {
                excluded.push((name, "no finite return".to_string()));
                continue;
            };
            let valid = y[first..=last].iter().filter(|v| v.is_finite()).count();
            if valid < exp.filters.min_history {
                excluded.push((
                    name,
                    format!(
                        "{valid} returns < filters.min_history {}",
                        exp.filters.min_history
                    ),
                ));
                continue;
            }
            assets.push(AssetSeries {
                name,
                dates: dates[first..=last].to_vec(),
                y: y[first..=last].to_vec(),
            });
        }
        let specs = exp
            .specs()
            .map_err(FactoryError::Universe)?
            .into_iter()
            .map(|spec| PlannedSpec {
                hash: spec.hash(),
                json: spec.canonical_json(),
                spec,
            })
            .collect();
        Ok(Plan {
            assets,
            excluded,
            specs,
            walk_forward: exp.walk_forward,
            horizons: exp.targets.realized_variance.horizons.clone(),
            var_levels: exp.var_levels.clone(),
            seed: exp.seed,
        })
    }

    /// Tasks over all shards: assets × specs × windows.
    pub fn n_tasks(&self) -> usize {
        self.assets.len() * self.specs.len() * self.walk_forward.n_windows()
    }

    /// Tasks of `shard`, in plan order.
    pub fn tasks(&self, shard: Shard) -> impl Iterator<Item = TaskId> + '_ {
        let nw = self.walk_forward.n_windows();
        let ns = self.specs.len();
        (0..self.n_tasks())
            .filter(move |k| k % shard.count as usize == shard.index as usize)
            .map(move |k| TaskId {
                asset: (k / (ns * nw)) as u32,
                spec: ((k / nw) % ns) as u32,
                window: (k % nw) as u32,
            })
    }

    /// Number of tasks in `shard`.
    pub fn n_tasks_in(&self, shard: Shard) -> usize {
        let n = self.n_tasks();
        let (c, i) = (shard.count as usize, shard.index as usize);
        n / c + usize::from(n % c > i)
    }
}
