//! Ensemble weights across the candidates (model variants) of one asset.
//!
//! Every function takes one score per candidate, `None` or a non-finite value marking a failed
//! candidate, and returns non-negative weights summing to 1 in the candidates' order; failed
//! candidates weigh exactly 0, and when every candidate failed the result is
//! [`EvalError::AllFailed`].
//!
//! | method | weight of candidate i | source |
//! |---|---|---|
//! | [`akaike_weights`] (AIC or BIC) | exp(−Δᵢ/2) / Σⱼ exp(−Δⱼ/2), Δᵢ = ICᵢ − min IC | Burnham & Anderson (2002), *Model Selection and Multimodel Inference*; PRODUCT V4 |
//! | [`exp_mse_weights`] | exp(−MSEᵢ) / Σⱼ exp(−MSEⱼ) | PRODUCT E3 (the source documents' adaptive weights) |
//! | [`inverse_mse_weights`] | (1/MSEᵢ) / Σⱼ (1/MSEⱼ) | Bates & Granger (1969), "The combination of forecasts" |
//! | [`equal_weights`] | 1/k over the k usable candidates | |
//!
//! Subtracting the minimum (Δ) before exponentiating changes nothing after normalization but keeps
//! exp() from underflowing when scores are large (AICs of thousands; MSEs of returns scaled ×100),
//! so `exp_mse_weights` also subtracts min MSE. Note exp(−MSE) depends on the units of the
//! forecast: it is nearly equal-weight for tiny MSEs and winner-takes-all for large ones; 1/MSE
//! is scale-free. When some MSE is exactly 0, 1/MSE is infinite: those candidates share the
//! weight equally and the others get 0 (the limit of 1/MSE as their MSE → 0).
//! [`recent_mse`] computes the trailing-window MSE (30 days in E3) that both MSE weightings use.

use serde::{Deserialize, Serialize};

use crate::error::EvalError;
use crate::losses::pairs_named;

/// The usable scores (finite), or `AllFailed`.
fn usable(scores: &[Option<f64>], score: &'static str) -> Result<Vec<Option<f64>>, EvalError> {
    let v: Vec<Option<f64>> = scores.iter().map(|s| s.filter(|x| x.is_finite())).collect();
    if v.iter().all(Option::is_none) {
        return Err(EvalError::AllFailed {
            n: scores.len(),
            score,
        });
    }
    Ok(v)
}

fn normalize(raw: Vec<f64>) -> Vec<f64> {
    let total: f64 = raw.iter().sum();
    raw.into_iter().map(|w| w / total).collect()
}

fn min_of(v: &[Option<f64>]) -> f64 {
    v.iter().flatten().fold(f64::INFINITY, |m, &x| m.min(x))
}

fn check_mse(v: &[Option<f64>]) -> Result<(), EvalError> {
    for (i, m) in v.iter().enumerate() {
        if let Some(m) = *m {
            if m < 0.0 {
                return Err(EvalError::BadValue {
                    series: "mse",
                    index: i,
                    value: m,
                    reason: "a mean squared error cannot be negative",
                });
            }
        }
    }
    Ok(())
}

/// Akaike weights from information criteria (AIC or BIC): `exp(−(ICᵢ − IC_min)/2)`, normalized.
pub fn akaike_weights(ic: &[Option<f64>]) -> Result<Vec<f64>, EvalError> {
    let v = usable(ic, "information criterion")?;
    let m = min_of(&v);
    Ok(normalize(
        v.iter()
            .map(|x| x.map_or(0.0, |x| (-(x - m) / 2.0).exp()))
            .collect(),
    ))
}

/// The source documents' adaptive weights (E3): `exp(−MSEᵢ)`, normalized.
pub fn exp_mse_weights(mse: &[Option<f64>]) -> Result<Vec<f64>, EvalError> {
    let v = usable(mse, "MSE")?;
    check_mse(&v)?;
    let m = min_of(&v);
    Ok(normalize(
        v.iter()
            .map(|x| x.map_or(0.0, |x| (-(x - m)).exp()))
            .collect(),
    ))
}

/// Classic inverse-MSE weights: `1/MSEᵢ`, normalized (zero MSEs share the weight).
pub fn inverse_mse_weights(mse: &[Option<f64>]) -> Result<Vec<f64>, EvalError> {
    let v = usable(mse, "MSE")?;
    check_mse(&v)?;
    if v.contains(&Some(0.0)) {
        return Ok(normalize(
            v.iter()
                .map(|x| if *x == Some(0.0) { 1.0 } else { 0.0 })
                .collect(),
        ));
    }
    Ok(normalize(
        v.iter().map(|x| x.map_or(0.0, |x| 1.0 / x)).collect(),
    ))
}

/// Equal weights over the usable candidates (`usable[i]` false = failed).
pub fn equal_weights(usable: &[bool]) -> Result<Vec<f64>, EvalError> {
    let k = usable.iter().filter(|&&u| u).count();
    if k == 0 {
        return Err(EvalError::AllFailed {
            n: usable.len(),
            score: "forecast",
        });
    }
    Ok(usable
        .iter()
        .map(|&u| if u { 1.0 / k as f64 } else { 0.0 })
        .collect())
}

/// MSE over the last `window` positions of aligned forecast/realized series (NaN pairs inside the
/// window skipped); `None` when the window holds no usable pair.
pub fn recent_mse(
    forecast: &[f64],
    realized: &[f64],
    window: usize,
) -> Result<Option<f64>, EvalError> {
    if window == 0 {
        return Err(EvalError::param("window", window, "must be at least 1"));
    }
    EvalError::check_len("forecast", forecast.len(), "realized", realized.len())?;
    let start = forecast.len().saturating_sub(window);
    let (p, _) = pairs_named(
        ("forecast", &forecast[start..]),
        ("realized", &realized[start..]),
        start,
    )?;
    if p.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        p.iter().map(|&(f, a)| (f - a) * (f - a)).sum::<f64>() / p.len() as f64,
    ))
}

/// How an ensemble weighs its candidates (the `ensembles:` entries of an experiment file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnsembleMethod {
    /// Akaike weights from AIC (V4).
    AicWeighted,
    /// Akaike-type weights from BIC.
    BicWeighted,
    /// exp(−recent MSE), the source documents' adaptive weights (E3).
    ExpMse,
    /// 1 / recent MSE (Bates–Granger).
    InverseMse,
    /// 1/k over the candidates that did not fail.
    Equal,
}

/// The scores of one candidate that the weightings and selections read; `None` = not available
/// (a failed fit has every field `None`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct CandidateScore {
    /// Akaike information criterion of the fit.
    pub aic: Option<f64>,
    /// Bayesian information criterion of the fit.
    pub bic: Option<f64>,
    /// Out-of-sample loss over the recent window (e.g. [`recent_mse`] over 30 days).
    pub recent_mse: Option<f64>,
}

impl CandidateScore {
    /// True when the candidate has at least one finite score.
    pub fn is_usable(&self) -> bool {
        [self.aic, self.bic, self.recent_mse]
            .iter()
            .any(|s| s.is_some_and(f64::is_finite))
    }
}

impl EnsembleMethod {
    /// Weights of `candidates` under this method.
    pub fn weights(self, candidates: &[CandidateScore]) -> Result<Vec<f64>, EvalError> {
        let col = |f: fn(&CandidateScore) -> Option<f64>| -> Vec<Option<f64>> {
            candidates.iter().map(f).collect()
        };
        match self {
            EnsembleMethod::AicWeighted => akaike_weights(&col(|c| c.aic)),
            EnsembleMethod::BicWeighted => akaike_weights(&col(|c| c.bic)),
            EnsembleMethod::ExpMse => exp_mse_weights(&col(|c| c.recent_mse)),
            EnsembleMethod::InverseMse => inverse_mse_weights(&col(|c| c.recent_mse)),
            EnsembleMethod::Equal => equal_weights(
                &candidates
                    .iter()
                    .map(CandidateScore::is_usable)
                    .collect::<Vec<_>>(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-14, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn akaike_by_hand() {
        // AIC = [100, 102, None, NaN, 104]: Δ = [0, 2, -, -, 4] → raw [1, e⁻¹, 0, 0, e⁻²].
        let e1 = (-1.0f64).exp();
        let e2 = (-2.0f64).exp();
        let s = 1.0 + e1 + e2;
        let w =
            akaike_weights(&[Some(100.0), Some(102.0), None, Some(f64::NAN), Some(104.0)]).unwrap();
        close(&w, &[1.0 / s, e1 / s, 0.0, 0.0, e2 / s]);
        // Large AICs do not underflow: [-50000, -49998] → [1, e⁻¹]/(1 + e⁻¹).
        let w = akaike_weights(&[Some(-50000.0), Some(-49998.0)]).unwrap();
        close(&w, &[1.0 / (1.0 + e1), e1 / (1.0 + e1)]);
        assert!(matches!(
            akaike_weights(&[None, Some(f64::INFINITY)]),
            Err(EvalError::AllFailed { n: 2, .. })
        ));
    }

    #[test]
    fn mse_weights_by_hand() {
        // MSE = [1, 2, None]: exp → [e⁻¹, e⁻², 0] ∝ [1, e⁻¹, 0]; inverse → [1, 1/2, 0]/1.5.
        let e1 = (-1.0f64).exp();
        let w = exp_mse_weights(&[Some(1.0), Some(2.0), None]).unwrap();
        close(&w, &[1.0 / (1.0 + e1), e1 / (1.0 + e1), 0.0]);
        let w = inverse_mse_weights(&[Some(1.0), Some(2.0), None]).unwrap();
        close(&w, &[2.0 / 3.0, 1.0 / 3.0, 0.0]);
        // Zero MSEs share the weight.
        let w = inverse_mse_weights(&[Some(0.0), Some(2.0), Some(0.0)]).unwrap();
        close(&w, &[0.5, 0.0, 0.5]);
        assert!(matches!(
            inverse_mse_weights(&[Some(-1.0)]),
            Err(EvalError::BadValue { index: 0, .. })
        ));
    }

    #[test]
    fn equal_and_methods() {
        close(
            &equal_weights(&[true, false, true, true]).unwrap(),
            &[1.0 / 3.0, 0.0, 1.0 / 3.0, 1.0 / 3.0],
        );
        assert!(equal_weights(&[false]).is_err());
        let c = [
            CandidateScore {
                aic: Some(10.0),
                bic: Some(20.0),
                recent_mse: Some(4.0),
            },
            CandidateScore::default(),
            CandidateScore {
                aic: Some(10.0),
                bic: Some(24.0),
                recent_mse: Some(1.0),
            },
        ];
        close(
            &EnsembleMethod::AicWeighted.weights(&c).unwrap(),
            &[0.5, 0.0, 0.5],
        );
        let e2 = (-2.0f64).exp();
        close(
            &EnsembleMethod::BicWeighted.weights(&c).unwrap(),
            &[1.0 / (1.0 + e2), 0.0, e2 / (1.0 + e2)],
        );
        close(
            &EnsembleMethod::InverseMse.weights(&c).unwrap(),
            &[0.2, 0.0, 0.8],
        );
        close(
            &EnsembleMethod::Equal.weights(&c).unwrap(),
            &[0.5, 0.0, 0.5],
        );
        let m: EnsembleMethod = serde_json::from_str("\"aic_weighted\"").unwrap();
        assert_eq!(m, EnsembleMethod::AicWeighted);
    }

    #[test]
    fn recent_mse_uses_the_last_window() {
        // Last 3 of F = [9, 1, 2, NaN], A = [0, 1, 4, 1]: pairs (1,1), (2,4) → (0 + 4)/2 = 2.
        let m = recent_mse(&[9.0, 1.0, 2.0, f64::NAN], &[0.0, 1.0, 4.0, 1.0], 3).unwrap();
        assert_eq!(m, Some(2.0));
        assert_eq!(recent_mse(&[f64::NAN], &[1.0], 30).unwrap(), None);
        assert!(recent_mse(&[1.0], &[1.0], 0).is_err());
        // An error inside the window names the index in the full series.
        assert!(matches!(
            recent_mse(&[1.0, 1.0, f64::INFINITY], &[1.0; 3], 2),
            Err(EvalError::BadValue { index: 2, .. })
        ));
    }
}
