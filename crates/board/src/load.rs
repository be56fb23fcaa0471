//! Reading one run from the registry, one asset at a time.
//!
//! [`RunIndex::open`] reads the run row and the slim fit table (AIC, BIC, failure, fit time per
//! asset × spec × window); [`RunIndex::asset`] then reads one asset's forecasts and VaR rows and
//! aligns them on a common date axis. Only one asset's forecasts are in memory at a time.

use std::collections::{BTreeMap, BTreeSet};

use af_registry::{Registry, RunRow};
use af_vol::spec::{DistKind, GarchSpec, VolKind};

use crate::error::{BoardError, Result};

/// A model specification of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecInfo {
    /// Spec hash (registry key).
    pub hash: String,
    /// Human label, e.g. `Constant-GARCH(1,1,0)-normal`.
    pub label: String,
    /// True for the GARCH(1,1)-normal baseline.
    pub baseline: bool,
}

/// What one fit (asset × spec × window) left in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FitInfo {
    /// AIC of the fit (`None` when it failed).
    pub aic: Option<f64>,
    /// BIC of the fit (`None` when it failed).
    pub bic: Option<f64>,
    /// True when the task failed.
    pub failed: bool,
    /// Fit time in microseconds.
    pub fit_us: u64,
}

/// The run row, its specs and assets, and every fit's information criteria.
#[derive(Debug, Clone)]
pub struct RunIndex {
    /// The run.
    pub run: RunRow,
    /// Specs of the run, sorted by label.
    pub specs: Vec<SpecInfo>,
    /// Assets of the run, sorted.
    pub assets: Vec<String>,
    /// Walk-forward windows per asset.
    pub n_windows: usize,
    /// `fits[asset][spec][window]`.
    pub fits: Vec<Vec<Vec<FitInfo>>>,
}

/// A spec's label from its canonical JSON (`{"garch": {...}}`), or `family:hash` for families
/// this crate does not know.
fn label_of(json: Option<&str>, hash: &str) -> (String, bool) {
    let value: Option<serde_json::Value> = json.and_then(|j| serde_json::from_str(j).ok());
    if let Some(g) = value.as_ref().and_then(|v| v.get("garch")) {
        if let Ok(spec) = serde_json::from_value::<GarchSpec>(g.clone()) {
            let baseline = spec.vol == VolKind::Garch
                && (spec.p, spec.o, spec.q) == (1, 0, 1)
                && spec.dist == DistKind::Normal;
            return (spec.to_string(), baseline);
        }
    }
    let family = value
        .as_ref()
        .and_then(|v| v.as_object())
        .and_then(|o| o.keys().next().cloned())
        .unwrap_or_else(|| "model".into());
    (format!("{family}:{hash}"), false)
}

impl RunIndex {
    /// Read run `run_id`'s row and fit table.
    pub fn open(reg: &Registry, run_id: i64) -> Result<RunIndex> {
        let run = reg.run(run_id)?;
        let models = reg.models(run_id)?;
        if models.is_empty() {
            return Err(BoardError::EmptyRun { run_id });
        }
        let assets: Vec<String> = models
            .iter()
            .map(|m| m.key.asset.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let hashes: BTreeSet<&str> = models.iter().map(|m| m.key.spec_hash.as_str()).collect();
        let mut specs = Vec::with_capacity(hashes.len());
        for h in hashes {
            let (label, baseline) = label_of(reg.spec_json(h)?.as_deref(), h);
            specs.push(SpecInfo {
                hash: h.to_string(),
                label,
                baseline,
            });
        }
        specs.sort_by(|a, b| a.label.cmp(&b.label).then(a.hash.cmp(&b.hash)));
        let n_windows = models
            .iter()
            .map(|m| m.key.window as usize + 1)
            .max()
            .unwrap_or(0);
        let asset_ix: BTreeMap<&str, usize> = assets
            .iter()
            .enumerate()
            .map(|(i, a)| (a.as_str(), i))
            .collect();
        let spec_ix: BTreeMap<&str, usize> = specs
            .iter()
            .enumerate()
            .map(|(i, s)| (s.hash.as_str(), i))
            .collect();
        let missing = FitInfo {
            failed: true,
            ..FitInfo::default()
        };
        let mut fits = vec![vec![vec![missing; n_windows]; specs.len()]; assets.len()];
        for m in &models {
            let (Some(&a), Some(&s)) = (
                asset_ix.get(m.key.asset.as_str()),
                spec_ix.get(m.key.spec_hash.as_str()),
            ) else {
                continue;
            };
            let ok = m.failure.is_none();
            let finite = |x: Option<f64>| x.filter(|v| v.is_finite() && ok);
            fits[a][s][m.key.window as usize] = FitInfo {
                aic: finite(m.aic),
                bic: finite(m.bic),
                failed: !ok,
                fit_us: m.fit_us,
            };
        }
        Ok(RunIndex {
            run,
            specs,
            assets,
            n_windows,
            fits,
        })
    }

    /// Index of the GARCH(1,1)-normal baseline among the specs, if the run has one.
    pub fn baseline(&self) -> Option<usize> {
        self.specs.iter().position(|s| s.baseline)
    }

    /// Read and align one asset's forecasts and VaR rows.
    pub fn asset(&self, reg: &Registry, asset_ix: usize) -> Result<AssetData> {
        let asset = &self.assets[asset_ix];
        let run_id = self.run.id;
        let mut fc = Vec::with_capacity(self.specs.len());
        let mut vr = Vec::with_capacity(self.specs.len());
        let mut dates = BTreeSet::new();
        let mut horizons = BTreeSet::new();
        let mut levels: Vec<f64> = Vec::new();
        for s in &self.specs {
            let f = reg.forecasts(run_id, asset, &s.hash)?;
            let v = reg.var_forecasts(run_id, asset, &s.hash)?;
            for r in &f {
                dates.insert(r.date.clone());
                horizons.insert(r.horizon);
            }
            for r in &v {
                dates.insert(r.date.clone());
                if !levels.iter().any(|l| l.to_bits() == r.level.to_bits()) {
                    levels.push(r.level);
                }
            }
            fc.push(f);
            vr.push(v);
        }
        levels.sort_by(f64::total_cmp);
        let dates: Vec<String> = dates.into_iter().collect();
        let horizons: Vec<u32> = horizons.into_iter().collect();
        let t_of: BTreeMap<&str, usize> = dates
            .iter()
            .enumerate()
            .map(|(i, d)| (d.as_str(), i))
            .collect();
        let h_of = |h: u32| horizons.binary_search(&h).unwrap_or(0);
        let l_of = |l: f64| {
            levels
                .iter()
                .position(|x| x.to_bits() == l.to_bits())
                .unwrap_or(0)
        };
        let (nt, nh, nl, ns) = (dates.len(), horizons.len(), levels.len(), self.specs.len());
        let mut data = AssetData {
            asset: asset.clone(),
            dates: dates.clone(),
            window: vec![None; nt],
            horizons: horizons.clone(),
            levels: levels.clone(),
            forecast: vec![vec![vec![f64::NAN; nt]; nh]; ns],
            realized: vec![vec![f64::NAN; nt]; nh],
            var: vec![vec![vec![f64::NAN; nt]; nl]; ns],
            returns: vec![f64::NAN; nt],
        };
        let bad = |what: String| BoardError::BadData {
            run_id,
            asset: asset.clone(),
            what,
        };
        for (s, rows) in fc.iter().enumerate() {
            for r in rows {
                let (t, h) = (t_of[r.date.as_str()], h_of(r.horizon));
                if !r.forecast.is_finite() {
                    return Err(bad(format!(
                        "{} forecast {} at {} horizon {}",
                        self.specs[s].label, r.forecast, r.date, r.horizon
                    )));
                }
                data.forecast[s][h][t] = r.forecast;
                data.window[t] = Some(r.window);
                if let Some(x) = r.realized.filter(|x| x.is_finite()) {
                    data.realized[h][t] = x;
                }
            }
        }
        for (s, rows) in vr.iter().enumerate() {
            for r in rows {
                let (t, l) = (t_of[r.date.as_str()], l_of(r.level));
                data.var[s][l][t] = r.value_at_risk;
                data.window[t].get_or_insert(r.window);
                if let Some(x) = r.realized_return.filter(|x| x.is_finite()) {
                    data.returns[t] = x;
                }
            }
        }
        Ok(data)
    }
}

/// One asset's forecasts on a common date axis (`NaN` = no value).
#[derive(Debug, Clone, PartialEq)]
pub struct AssetData {
    /// Asset name.
    pub asset: String,
    /// Forecast origin dates, sorted.
    pub dates: Vec<String>,
    /// Walk-forward window that forecast each date.
    pub window: Vec<Option<u32>>,
    /// Horizons, ascending.
    pub horizons: Vec<u32>,
    /// VaR tail probabilities, ascending.
    pub levels: Vec<f64>,
    /// `forecast[spec][horizon][t]`: variance of the next `h` returns.
    pub forecast: Vec<Vec<Vec<f64>>>,
    /// `realized[horizon][t]`: realized variance of the same days.
    pub realized: Vec<Vec<f64>>,
    /// `var[spec][level][t]`: one-day VaR as a positive loss.
    pub var: Vec<Vec<Vec<f64>>>,
    /// The return realized on each date.
    pub returns: Vec<f64>,
}
