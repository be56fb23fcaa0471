//! Combining candidate forecasts with weights, and picking one candidate.
//!
//! [`combine`] computes, at each date t, the weighted mean over the candidates whose forecast is
//! available (not NaN) and whose weight is positive, renormalizing the weights over those:
//!
//! ```text
//! ŷ_t = Σᵢ wᵢ·fᵢ,t / Σᵢ wᵢ      over i with wᵢ > 0 and fᵢ,t not NaN;   NaN if there is none
//! ```
//!
//! Selection ([`argmin`], [`select`], [`rank`]) returns the index of the smallest usable score; ties go to
//! the candidate listed first, so the choice is deterministic for a fixed candidate order.

use serde::{Deserialize, Serialize};

use crate::error::EvalError;
use crate::weights::{CandidateScore, EnsembleMethod};

/// Weighted combination of aligned candidate forecasts (`forecasts[i]` is candidate i's series).
pub fn combine(forecasts: &[&[f64]], weights: &[f64]) -> Result<Vec<f64>, EvalError> {
    EvalError::check_len("forecasts", forecasts.len(), "weights", weights.len())?;
    let Some(first) = forecasts.first() else {
        return Err(EvalError::TooFewObservations {
            what: "combining forecasts",
            needed: 1,
            got: 0,
        });
    };
    let n = first.len();
    check_aligned(forecasts, n)?;
    for (i, &w) in weights.iter().enumerate() {
        if !(w.is_finite() && w >= 0.0) {
            return Err(EvalError::BadValue {
                series: "weights",
                index: i,
                value: w,
                reason: "weights must be finite and non-negative",
            });
        }
    }
    let mut out = Vec::with_capacity(n);
    for t in 0..n {
        let (mut num, mut den) = (0.0, 0.0);
        for (f, &w) in forecasts.iter().zip(weights) {
            let v = f[t];
            if w > 0.0 && !v.is_nan() {
                num += w * v;
                den += w;
            }
        }
        out.push(if den > 0.0 { num / den } else { f64::NAN });
    }
    Ok(out)
}

/// Every candidate has `n` values (one per date), or an error naming the first that does not.
fn check_aligned(forecasts: &[&[f64]], n: usize) -> Result<(), EvalError> {
    match forecasts.iter().position(|f| f.len() != n) {
        Some(i) => Err(EvalError::param(
            "forecasts",
            format!("candidate {i}"),
            format!(
                "has {} values but candidate 0 has {n}; align them first",
                forecasts[i].len()
            ),
        )),
        None => Ok(()),
    }
}

/// Agreement of candidate forecasts per date (PRODUCT E2): `1 / (1 + σ_t)` with `σ_t` the
/// population standard deviation (ddof = 0) of the non-NaN forecasts at date t; 1 when all agree,
/// towards 0 as they disperse; NaN when no candidate has a forecast.
pub fn prediction_confidence(forecasts: &[&[f64]]) -> Result<Vec<f64>, EvalError> {
    let n = forecasts.first().map_or(0, |f| f.len());
    check_aligned(forecasts, n)?;
    Ok((0..n)
        .map(|t| {
            let v: Vec<f64> = forecasts
                .iter()
                .map(|f| f[t])
                .filter(|x| !x.is_nan())
                .collect();
            if v.is_empty() {
                return f64::NAN;
            }
            let m = v.iter().sum::<f64>() / v.len() as f64;
            let var = v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len() as f64;
            1.0 / (1.0 + var.sqrt())
        })
        .collect())
}

/// Weights from `method` then [`combine`]: the ensemble forecast of `candidates`.
pub fn ensemble_forecast(
    method: EnsembleMethod,
    candidates: &[CandidateScore],
    forecasts: &[&[f64]],
) -> Result<Vec<f64>, EvalError> {
    EvalError::check_len("candidates", candidates.len(), "forecasts", forecasts.len())?;
    combine(forecasts, &method.weights(candidates)?)
}

/// Index of the smallest usable (finite) score; ties go to the lowest index.
pub fn argmin(scores: &[Option<f64>], score: &'static str) -> Result<usize, EvalError> {
    let mut best: Option<(usize, f64)> = None;
    for (i, s) in scores.iter().enumerate() {
        if let Some(v) = s.filter(|v| v.is_finite()) {
            if best.is_none_or(|(_, b)| v < b) {
                best = Some((i, v));
            }
        }
    }
    best.map(|(i, _)| i).ok_or(EvalError::AllFailed {
        n: scores.len(),
        score,
    })
}

/// Candidate indices ordered from best (smallest score) to worst, failed candidates (None or
/// non-finite) last; equal scores keep their input order (a stable sort), so leaderboards are
/// deterministic.
pub fn rank(scores: &[Option<f64>]) -> Vec<usize> {
    let key = |i: usize| scores[i].filter(|v| v.is_finite());
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&i, &j| match (key(i), key(j)) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    idx
}

/// What a selection minimizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Akaike information criterion (in sample).
    Aic,
    /// Bayesian information criterion (in sample).
    Bic,
    /// Out-of-sample loss (`recent_mse`).
    Loss,
}

/// Index of the best candidate under `criterion` (deterministic tie-break by order).
pub fn select(candidates: &[CandidateScore], criterion: Criterion) -> Result<usize, EvalError> {
    let (f, name): (fn(&CandidateScore) -> Option<f64>, &'static str) = match criterion {
        Criterion::Aic => (|c| c.aic, "AIC"),
        Criterion::Bic => (|c| c.bic, "BIC"),
        Criterion::Loss => (|c| c.recent_mse, "out-of-sample loss"),
    };
    argmin(&candidates.iter().map(f).collect::<Vec<_>>(), name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combine_by_hand() {
        // w = [0.25, 0.75, 0]: t0 = 0.25·1 + 0.75·3 = 2.5; t1: candidate 1 NaN → 2 (renormalized);
        // t2: both weighted candidates NaN → NaN (candidate 2 has weight 0).
        let a = [1.0, 2.0, f64::NAN];
        let b = [3.0, f64::NAN, f64::NAN];
        let c = [100.0, 100.0, 100.0];
        let y = combine(&[&a, &b, &c], &[0.25, 0.75, 0.0]).unwrap();
        assert_eq!(y[0], 2.5);
        assert_eq!(y[1], 2.0);
        assert!(y[2].is_nan());
        assert!(combine(&[&a, &[1.0]], &[0.5, 0.5]).is_err());
        assert!(matches!(
            combine(&[&a], &[-1.0]),
            Err(EvalError::BadValue {
                series: "weights",
                ..
            })
        ));
        assert!(combine(&[], &[]).is_err());
    }

    #[test]
    fn confidence_by_hand() {
        // t0: [1, 3] → σ = 1 → 1/2; t1: [2, NaN] → σ = 0 → 1; t2: none → NaN.
        let c =
            prediction_confidence(&[&[1.0, 2.0, f64::NAN], &[3.0, f64::NAN, f64::NAN]]).unwrap();
        assert_eq!(&c[..2], &[0.5, 1.0]);
        assert!(c[2].is_nan());
        assert!(prediction_confidence(&[&[1.0], &[1.0, 2.0]]).is_err());
    }

    #[test]
    fn selection_ties_go_first() {
        assert_eq!(
            argmin(&[Some(3.0), Some(1.0), None, Some(1.0)], "x").unwrap(),
            1
        );
        assert_eq!(argmin(&[None, Some(f64::NAN), Some(7.0)], "x").unwrap(), 2);
        assert!(argmin(&[None, Some(f64::NAN)], "x").is_err());
        // rank: 1.0 (idx 1) and 1.0 (idx 3) keep order, then 3.0, then the failed ones in order.
        assert_eq!(
            rank(&[Some(3.0), Some(1.0), None, Some(1.0), Some(f64::NAN)]),
            vec![1, 3, 0, 2, 4]
        );
        let c = [
            CandidateScore {
                aic: Some(5.0),
                bic: Some(9.0),
                recent_mse: Some(0.2),
            },
            CandidateScore {
                aic: Some(4.0),
                bic: Some(9.0),
                recent_mse: Some(0.3),
            },
        ];
        assert_eq!(select(&c, Criterion::Aic).unwrap(), 1);
        assert_eq!(select(&c, Criterion::Bic).unwrap(), 0);
        assert_eq!(select(&c, Criterion::Loss).unwrap(), 0);
        let y = ensemble_forecast(EnsembleMethod::AicWeighted, &c, &[&[1.0], &[2.0]]).unwrap();
        let e = (-0.5f64).exp();
        assert!((y[0] - (e + 2.0) / (1.0 + e)).abs() < 1e-14);
    }
}
