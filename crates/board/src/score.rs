//! Scores of one asset: every variant and ensemble at every horizon (losses from
//! `af_eval::VarianceLosses`, Mincer–Zarnowitz R² from `af_eval::MincerZarnowitz`), VaR backtests
//! per variant and level (`af_eval::VarBacktest`: Kupiec UC, Christoffersen IND and CC), and
//! selection by AIC / BIC per refit window (`af_eval::select`).

use af_eval::{select, CandidateScore, Criterion, MincerZarnowitz, VarBacktest, VarianceLosses};
use serde::Serialize;

use crate::ensemble::{self, aic_weights, Ensemble};
use crate::load::{AssetData, RunIndex};

/// Out-of-sample scores of one model (variant or ensemble) of one asset at one horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreRow {
    /// Asset.
    pub asset: String,
    /// Model name: the spec label or `ensemble:…`.
    pub model: String,
    /// True for an ensemble.
    pub ensemble: bool,
    /// Horizon in days.
    pub horizon: u32,
    /// Scored forecast/realized pairs.
    pub n: usize,
    /// Mean squared error.
    pub mse: Option<f64>,
    /// Mean absolute error.
    pub mae: Option<f64>,
    /// Patton's QLIKE.
    pub qlike: Option<f64>,
    /// Mincer–Zarnowitz R².
    pub mz_r2: Option<f64>,
    /// Correlation of forecast and realized.
    pub correlation: Option<f64>,
    /// Mean AIC over the refit windows (variants only).
    pub aic: Option<f64>,
    /// Mean BIC over the refit windows (variants only).
    pub bic: Option<f64>,
}

/// A VaR backtest of one variant of one asset at one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VarScore {
    /// Asset.
    pub asset: String,
    /// Variant label.
    pub model: String,
    /// Tail probability (0.01 = 1% VaR).
    pub level: f64,
    /// Days backtested.
    pub n: usize,
    /// Breaches.
    pub breaches: usize,
    /// Breach rate.
    pub rate: f64,
    /// Kupiec unconditional-coverage p-value.
    pub p_uc: f64,
    /// Christoffersen independence p-value.
    pub p_ind: f64,
    /// Christoffersen conditional-coverage p-value.
    pub p_cc: f64,
}

/// Everything scored for one asset.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AssetScores {
    /// Variant and ensemble scores per horizon.
    pub rows: Vec<ScoreRow>,
    /// VaR backtests per variant and level.
    pub var: Vec<VarScore>,
    /// Mean AIC-ensemble weight of each spec over the refit windows.
    pub aic_weights: Vec<f64>,
    /// Refit windows each spec won by AIC.
    pub aic_wins: Vec<usize>,
    /// Refit windows each spec won by BIC.
    pub bic_wins: Vec<usize>,
    /// Ensemble forecasts `[ensemble][horizon][t]` (kept only when asked, for reports).
    pub ensemble_forecasts: Vec<Vec<Vec<f64>>>,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (s, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| s / n as f64)
}

fn losses_row(asset: &str, model: &str, ensemble: bool, h: u32, f: &[f64], r: &[f64]) -> ScoreRow {
    let l = VarianceLosses::compute(f, r).ok();
    let mz = MincerZarnowitz::fit(f, r).ok();
    ScoreRow {
        asset: asset.to_string(),
        model: model.to_string(),
        ensemble,
        horizon: h,
        n: l.map_or(0, |l| l.n),
        mse: l.and_then(|l| finite(l.mse)),
        mae: l.and_then(|l| finite(l.mae)),
        qlike: l.and_then(|l| finite(l.qlike)),
        mz_r2: mz.and_then(|m| finite(m.r2)),
        correlation: l.and_then(|l| finite(l.correlation)),
        aic: None,
        bic: None,
    }
}

/// Score one asset (`asset_ix` into `index.assets`); `keep` keeps the ensemble series.
pub fn score_asset(index: &RunIndex, data: &AssetData, asset_ix: usize, keep: bool) -> AssetScores {
    let fits = &index.fits[asset_ix];
    let ns = index.specs.len();
    let asset = data.asset.as_str();
    let mut out = AssetScores {
        aic_weights: vec![0.0; ns],
        aic_wins: vec![0; ns],
        bic_wins: vec![0; ns],
        ..AssetScores::default()
    };
    for (hi, &h) in data.horizons.iter().enumerate() {
        let r = &data.realized[hi];
        for (s, spec) in index.specs.iter().enumerate() {
            let mut row = losses_row(asset, &spec.label, false, h, &data.forecast[s][hi], r);
            row.aic = mean(fits[s].iter().filter_map(|f| f.aic));
            row.bic = mean(fits[s].iter().filter_map(|f| f.bic));
            out.rows.push(row);
        }
    }
    if keep {
        out.ensemble_forecasts = vec![Vec::new(); Ensemble::ALL.len()];
    }
    for (e, ens) in Ensemble::ALL.into_iter().enumerate() {
        for (hi, &h) in data.horizons.iter().enumerate() {
            let f = ensemble::forecast(ens, data, fits, hi);
            out.rows.push(losses_row(
                asset,
                ens.name(),
                true,
                h,
                &f,
                &data.realized[hi],
            ));
            if keep {
                out.ensemble_forecasts[e].push(f);
            }
        }
    }
    for (s, spec) in index.specs.iter().enumerate() {
        for (li, &level) in data.levels.iter().enumerate() {
            let (mut ret, mut var) = (Vec::new(), Vec::new());
            for (t, &x) in data.returns.iter().enumerate() {
                let v = data.var[s][li][t];
                if x.is_finite() && v.is_finite() {
                    ret.push(x);
                    var.push(v);
                }
            }
            if let Ok(bt) = VarBacktest::from_returns(&ret, &var, level) {
                out.var.push(VarScore {
                    asset: asset.to_string(),
                    model: spec.label.clone(),
                    level,
                    n: bt.n,
                    breaches: bt.breaches,
                    rate: bt.rate,
                    p_uc: bt.p_uc,
                    p_ind: bt.p_ind,
                    p_cc: bt.p_cc,
                });
            }
        }
    }
    let mut n_weighted = 0usize;
    for w in 0..index.n_windows {
        if let Some(ws) = aic_weights(fits, w) {
            n_weighted += 1;
            for (acc, x) in out.aic_weights.iter_mut().zip(ws) {
                *acc += x;
            }
        }
        let cands: Vec<CandidateScore> = fits
            .iter()
            .map(|f| CandidateScore {
                aic: f[w].aic,
                bic: f[w].bic,
                recent_mse: None,
            })
            .collect();
        if let Ok(i) = select(&cands, Criterion::Aic) {
            out.aic_wins[i] += 1;
        }
        if let Ok(i) = select(&cands, Criterion::Bic) {
            out.bic_wins[i] += 1;
        }
    }
    if n_weighted > 0 {
        for x in &mut out.aic_weights {
            *x /= n_weighted as f64;
        }
    }
    out
}
