//! Ensembles of the variants of one asset, scored like models.
//!
//! For a horizon `h` and forecast date `t` (made with the parameters of walk-forward window `w`):
//!
//! * **AIC-weighted** (V4, Burnham & Anderson 2002, Akaike weights): `w_i ∝ exp(−ΔAIC_i / 2)`
//!   over the variants fitted in window `w`, `ΔAIC_i = AIC_i − min AIC`; a failed fit weighs 0.
//! * **Inverse MSE, last 30 days** (E3 with Bates & Granger 1969 weights): `w_i ∝ 1 / MSE_i`,
//!   where `MSE_i` is the mean squared error of variant `i` over the last 30 forecast dates whose
//!   `h`-day realized variance was complete before `t` (origins `s ≤ t − h`). Dates with no such
//!   history (the first `h` dates) use equal weights.
//! * **Equal**: `1/k` over the variants whose fit in window `w` succeeded.
//!
//! The ensemble forecast is `Σ w_i F_i / Σ w_i` over the variants with a forecast at `t`
//! (`af_eval::combine`); the weights come from `af_eval::EnsembleMethod`.

use af_eval::{combine, recent_mse, CandidateScore, EnsembleMethod};
use serde::Serialize;

use crate::load::{AssetData, FitInfo};

/// Days of history behind the inverse-MSE weights.
pub const RECENT_DAYS: usize = 30;

/// An ensemble of the variants of one asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ensemble {
    /// Akaike weights per refit window (V4).
    Aic,
    /// Inverse MSE over the last 30 days (E3).
    InverseMse,
    /// Equal weights.
    Equal,
}

impl Ensemble {
    /// Every ensemble, in display order.
    pub const ALL: [Ensemble; 3] = [Ensemble::Aic, Ensemble::InverseMse, Ensemble::Equal];

    /// The model name used in leaderboards.
    pub fn name(self) -> &'static str {
        match self {
            Ensemble::Aic => "ensemble:aic",
            Ensemble::InverseMse => "ensemble:inv-mse-30d",
            Ensemble::Equal => "ensemble:equal",
        }
    }
}

/// Weighted mean of one date's forecasts (NaN forecasts renormalized away; NaN when none).
fn point(values: &[f64], weights: &[f64]) -> f64 {
    let cols: Vec<[f64; 1]> = values.iter().map(|&v| [v]).collect();
    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
    combine(&refs, weights).map_or(f64::NAN, |v| v[0])
}

/// Weights of `method` for `cands`, or `None` when no candidate is usable.
fn weights(method: EnsembleMethod, cands: &[CandidateScore]) -> Option<Vec<f64>> {
    method.weights(cands).ok()
}

/// AIC weights of the variants in window `w` (`fits[spec][window]`), `None` if all failed.
pub fn aic_weights(fits: &[Vec<FitInfo>], w: usize) -> Option<Vec<f64>> {
    let cands: Vec<CandidateScore> = fits
        .iter()
        .map(|f| CandidateScore {
            aic: f.get(w).and_then(|x| x.aic),
            ..CandidateScore::default()
        })
        .collect();
    weights(EnsembleMethod::AicWeighted, &cands)
}

fn equal_weights(fits: &[Vec<FitInfo>], w: usize) -> Option<Vec<f64>> {
    let cands: Vec<CandidateScore> = fits
        .iter()
        .map(|f| CandidateScore {
            aic: f.get(w).filter(|x| !x.failed).map(|_| 0.0),
            ..CandidateScore::default()
        })
        .collect();
    weights(EnsembleMethod::Equal, &cands)
}

/// The forecast series of `ensemble` at horizon index `hi` of one asset.
pub fn forecast(ens: Ensemble, data: &AssetData, fits: &[Vec<FitInfo>], hi: usize) -> Vec<f64> {
    let ns = data.forecast.len();
    let nt = data.dates.len();
    let h = data.horizons[hi] as usize;
    let mut out = vec![f64::NAN; nt];
    let mut vals = vec![0.0; ns];
    let mut cached: Option<(u32, Option<Vec<f64>>)> = None;
    for (t, o) in out.iter_mut().enumerate() {
        let Some(w) = data.window[t] else { continue };
        for (s, v) in vals.iter_mut().enumerate() {
            *v = data.forecast[s][hi][t];
        }
        let wts = match ens {
            Ensemble::Aic | Ensemble::Equal => {
                if cached.as_ref().is_none_or(|(cw, _)| *cw != w) {
                    let ws = if ens == Ensemble::Aic {
                        aic_weights(fits, w as usize)
                    } else {
                        equal_weights(fits, w as usize)
                    };
                    cached = Some((w, ws));
                }
                cached.as_ref().and_then(|(_, ws)| ws.clone())
            }
            Ensemble::InverseMse => {
                let cut = (t + 1).saturating_sub(h);
                let cands: Vec<CandidateScore> = (0..ns)
                    .map(|s| CandidateScore {
                        recent_mse: recent_mse(
                            &data.forecast[s][hi][..cut],
                            &data.realized[hi][..cut],
                            RECENT_DAYS,
                        )
                        .ok()
                        .flatten()
                        .filter(|m| *m > 0.0 && !vals[s].is_nan()),
                        ..CandidateScore::default()
                    })
                    .collect();
                weights(EnsembleMethod::InverseMse, &cands)
                    .or_else(|| equal_weights(fits, w as usize))
            }
        };
        if let Some(wts) = wts {
            *o = point(&vals, &wts);
        }
    }
    out
}
