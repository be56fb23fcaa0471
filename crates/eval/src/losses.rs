//! Forecast losses: variance forecasts against realized variance, and price forecasts against
//! prices.
//!
//! All functions take `(forecast, actual)` slices of equal length. `NaN` in either slice marks a
//! missing pair: it is skipped and counted; an infinite value is an error naming its index.
//! With `e_t = F_t − A_t` over the `m` usable pairs:
//!
//! | loss | definition |
//! |---|---|
//! | MSE | (1/m) Σ e_t² |
//! | MAE | (1/m) Σ \|e_t\| |
//! | RMSE | √MSE |
//! | QLIKE | (1/m') Σ [A_t/F_t − ln(A_t/F_t) − 1] over the m' pairs with A_t > 0 and F_t > 0 |
//! | correlation | Pearson ρ(F, A) (NaN with fewer than 2 pairs or a constant series) |
//! | MAPE | (100/m') Σ \|A_t − F_t\| / \|A_t\| over the m' pairs with A_t ≠ 0 |
//! | SMAPE | (200/m) Σ \|A_t − F_t\| / (\|A_t\| + \|F_t\|), a term with A_t = F_t = 0 counts 0 |
//!
//! QLIKE is the normalized form of Patton (2011, "Volatility forecast comparison using imperfect
//! volatility proxies", J. Econometrics 160): it is 0 when F = A and positive otherwise. Patton
//! shows that MSE and QLIKE (unlike MAE, or losses on σ instead of σ²) rank variance forecasts the
//! same way with a noisy but conditionally unbiased proxy (e.g. squared returns) as with the true
//! variance; QLIKE depends only on the ratio A/F, so it is scale-free and penalizes
//! under-prediction more than over-prediction.
//! It needs positive values, so pairs with A ≤ 0 or F ≤ 0 are skipped and counted in
//! `qlike_skipped`. SMAPE follows the M4 competition (Makridakis et al. 2018), range 0–200.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::error::EvalError;

/// The usable `(forecast, actual)` pairs of two aligned slices, and how many were missing.
pub(crate) fn pairs(
    forecast: &[f64],
    actual: &[f64],
    actual_name: &'static str,
) -> Result<(Vec<(f64, f64)>, usize), EvalError> {
    pairs_named(("forecast", forecast), (actual_name, actual), 0)
}

/// [`pairs`] with both series named; `offset` is added to an index reported in an error (for a
/// sub-slice of a longer series).
pub(crate) fn pairs_named(
    left: (&'static str, &[f64]),
    right: (&'static str, &[f64]),
    offset: usize,
) -> Result<(Vec<(f64, f64)>, usize), EvalError> {
    check_finite_or_nan(left, right, offset)?;
    let out: Vec<(f64, f64)> = left
        .1
        .iter()
        .zip(right.1)
        .filter(|(f, a)| !f.is_nan() && !a.is_nan())
        .map(|(&f, &a)| (f, a))
        .collect();
    let missing = left.1.len() - out.len();
    Ok((out, missing))
}

/// Error on unequal lengths or an infinite value (NaN is allowed: it marks a missing pair).
fn check_finite_or_nan(
    left: (&'static str, &[f64]),
    right: (&'static str, &[f64]),
    offset: usize,
) -> Result<(), EvalError> {
    EvalError::check_len(left.0, left.1.len(), right.0, right.1.len())?;
    for (series, xs) in [left, right] {
        if let Some(t) = xs.iter().position(|v| v.is_infinite()) {
            return Err(EvalError::BadValue {
                series,
                index: offset + t,
                value: xs[t],
                reason: "infinite; use NaN for a missing value",
            });
        }
    }
    Ok(())
}

/// Pearson correlation over the non-NaN pairs, given their means and count (two-pass form).
fn pearson_slices(x: &[f64], y: &[f64], mx: f64, my: f64, n: usize) -> f64 {
    if n < 2 {
        return f64::NAN;
    }
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (&a, &b) in x.iter().zip(y) {
        if a.is_nan() || b.is_nan() {
            continue;
        }
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        return f64::NAN;
    }
    sxy / (sxx * syy).sqrt()
}

fn mean(it: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = it.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        f64::NAN
    } else {
        s / n as f64
    }
}

/// Pearson correlation of the pairs (NaN with fewer than 2 pairs or zero variance).
pub(crate) fn pearson_pairs(p: &[(f64, f64)]) -> f64 {
    if p.len() < 2 {
        return f64::NAN;
    }
    let mx = mean(p.iter().map(|q| q.0));
    let my = mean(p.iter().map(|q| q.1));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in p {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        return f64::NAN;
    }
    sxy / (sxx * syy).sqrt()
}

/// One loss term of QLIKE, `None` when the pair is not usable (A ≤ 0 or F ≤ 0).
pub fn qlike_term(forecast: f64, actual: f64) -> Option<f64> {
    if forecast > 0.0 && actual > 0.0 {
        let r = actual / forecast;
        Some(r - r.ln() - 1.0)
    } else {
        None
    }
}

/// Losses of a variance forecast against realized variance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VarianceLosses {
    /// Usable pairs (neither value NaN).
    pub n: usize,
    /// Pairs skipped because a value was NaN.
    pub missing: usize,
    /// Mean squared error.
    pub mse: f64,
    /// Mean absolute error.
    pub mae: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// Patton's QLIKE over the pairs with both values positive (NaN if there are none).
    pub qlike: f64,
    /// Usable pairs left out of QLIKE because a value was ≤ 0.
    pub qlike_skipped: usize,
    /// Pearson correlation of forecast and realized.
    pub correlation: f64,
}

impl VarianceLosses {
    /// Compute every loss of `forecast` against `realized` (aligned, same length).
    pub fn compute(forecast: &[f64], realized: &[f64]) -> Result<Self, EvalError> {
        check_finite_or_nan(("forecast", forecast), ("realized", realized), 0)?;
        // One pass for the sums (no allocation: this runs once per model and window).
        let (mut n, mut se, mut ae, mut q, mut nq, mut sf, mut sa) =
            (0usize, 0.0, 0.0, 0.0, 0, 0.0, 0.0);
        for (&f, &a) in forecast.iter().zip(realized) {
            if f.is_nan() || a.is_nan() {
                continue;
            }
            let e = f - a;
            n += 1;
            se += e * e;
            ae += e.abs();
            sf += f;
            sa += a;
            if let Some(t) = qlike_term(f, a) {
                q += t;
                nq += 1;
            }
        }
        if n == 0 {
            return Err(EvalError::TooFewObservations {
                what: "forecast losses",
                needed: 1,
                got: 0,
            });
        }
        let nf = n as f64;
        let mse = se / nf;
        Ok(VarianceLosses {
            n,
            missing: forecast.len() - n,
            mse,
            mae: ae / nf,
            rmse: mse.sqrt(),
            qlike: if nq == 0 { f64::NAN } else { q / nq as f64 },
            qlike_skipped: n - nq,
            correlation: pearson_slices(forecast, realized, sf / nf, sa / nf, n),
        })
    }

    /// Losses per forecast horizon: `forecast[i]` and `realized[i]` are the aligned series of
    /// horizon `horizons[i]`. The map keeps the order of `horizons`.
    pub fn by_horizon(
        horizons: &[usize],
        forecast: &[Vec<f64>],
        realized: &[Vec<f64>],
    ) -> Result<IndexMap<usize, VarianceLosses>, EvalError> {
        EvalError::check_len("horizons", horizons.len(), "forecast", forecast.len())?;
        EvalError::check_len("horizons", horizons.len(), "realized", realized.len())?;
        let mut out = IndexMap::with_capacity(horizons.len());
        for (i, &h) in horizons.iter().enumerate() {
            if out.contains_key(&h) {
                return Err(EvalError::param("horizons", h, "appears more than once"));
            }
            out.insert(h, VarianceLosses::compute(&forecast[i], &realized[i])?);
        }
        Ok(out)
    }
}

/// Errors of a price (level) forecast.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PriceErrors {
    /// Usable pairs (neither value NaN).
    pub n: usize,
    /// Pairs skipped because a value was NaN.
    pub missing: usize,
    /// Mean absolute percentage error, in percent (NaN if every actual is 0).
    pub mape: f64,
    /// Usable pairs left out of MAPE because the actual value was 0.
    pub mape_skipped: usize,
    /// Symmetric MAPE (M4 definition), in percent, 0–200.
    pub smape: f64,
}

impl PriceErrors {
    /// MAPE and SMAPE of `forecast` against `actual` (aligned, same length).
    pub fn compute(forecast: &[f64], actual: &[f64]) -> Result<Self, EvalError> {
        let (p, missing) = pairs(forecast, actual, "actual")?;
        if p.is_empty() {
            return Err(EvalError::TooFewObservations {
                what: "price forecast errors",
                needed: 1,
                got: 0,
            });
        }
        let ape: Vec<f64> = p
            .iter()
            .filter(|q| q.1 != 0.0)
            .map(|&(f, a)| ((a - f) / a).abs())
            .collect();
        let smape = 2.0
            * mean(p.iter().map(|&(f, a)| {
                let den = a.abs() + f.abs();
                if den == 0.0 {
                    0.0
                } else {
                    (a - f).abs() / den
                }
            }));
        Ok(PriceErrors {
            n: p.len(),
            missing,
            mape: 100.0 * mean(ape.iter().copied()),
            mape_skipped: p.len() - ape.len(),
            smape: 100.0 * smape,
        })
    }
}

/// Mean squared error over the usable pairs (see the module table).
pub fn mse(forecast: &[f64], actual: &[f64]) -> Result<f64, EvalError> {
    Ok(VarianceLosses::compute(forecast, actual)?.mse)
}

/// Mean absolute error over the usable pairs.
pub fn mae(forecast: &[f64], actual: &[f64]) -> Result<f64, EvalError> {
    Ok(VarianceLosses::compute(forecast, actual)?.mae)
}

/// Patton's QLIKE over the pairs with both values positive.
pub fn qlike(forecast: &[f64], actual: &[f64]) -> Result<f64, EvalError> {
    Ok(VarianceLosses::compute(forecast, actual)?.qlike)
}

/// Pearson correlation over the usable pairs.
pub fn correlation(forecast: &[f64], actual: &[f64]) -> Result<f64, EvalError> {
    let (p, _) = pairs(forecast, actual, "actual")?;
    Ok(pearson_pairs(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }

    #[test]
    fn variance_losses_by_hand() {
        // F = [1, 2, 4, NaN], A = [2, 2, 1, 5]: pairs (1,2), (2,2), (4,1); one missing.
        // e = [-1, 0, 3] → MSE = 10/3, MAE = 4/3.
        // QLIKE terms: A/F = 2 → 2 − ln2 − 1 = 1 − ln2; 1 → 0; 0.25 → 0.25 + ln4 − 1.
        // ρ: F̄ = 7/3, Ā = 5/3; dF = [-4/3, -1/3, 5/3], dA = [1/3, 1/3, -2/3];
        //    Sxy = (-4 - 1 - 10)/9 = -15/9, Sxx = 42/9, Syy = 6/9 → ρ = -15/√252.
        let l = VarianceLosses::compute(&[1.0, 2.0, 4.0, f64::NAN], &[2.0, 2.0, 1.0, 5.0]).unwrap();
        assert_eq!((l.n, l.missing, l.qlike_skipped), (3, 1, 0));
        close(l.mse, 10.0 / 3.0);
        close(l.mae, 4.0 / 3.0);
        close(l.rmse, (10.0f64 / 3.0).sqrt());
        let q = (1.0 - 2f64.ln() + 0.0 + 0.25 + 4f64.ln() - 1.0) / 3.0;
        close(l.qlike, q);
        close(l.correlation, -15.0 / 252f64.sqrt());
    }

    #[test]
    fn qlike_skips_non_positive_and_is_zero_at_truth() {
        // (0, 1) and (1, -1) are skipped; (3, 3) gives 0.
        let l = VarianceLosses::compute(&[0.0, 1.0, 3.0], &[1.0, -1.0, 3.0]).unwrap();
        assert_eq!(l.qlike_skipped, 2);
        close(l.qlike, 0.0);
        let l = VarianceLosses::compute(&[0.0], &[1.0]).unwrap();
        assert!(l.qlike.is_nan());
        assert!(l.correlation.is_nan());
    }

    #[test]
    fn price_errors_by_hand() {
        // A = [100, 0, 50], F = [110, 0, 40]:
        // MAPE over A ≠ 0: (10/100 + 10/50)/2 = 0.15 → 15 %;
        // SMAPE: 2·(10/210 + 0 + 10/90)/3 → ·100.
        let e = PriceErrors::compute(&[110.0, 0.0, 40.0], &[100.0, 0.0, 50.0]).unwrap();
        assert_eq!(e.mape_skipped, 1);
        close(e.mape, 15.0);
        close(e.smape, 200.0 * (10.0 / 210.0 + 10.0 / 90.0) / 3.0);
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(matches!(
            VarianceLosses::compute(&[1.0], &[1.0, 2.0]),
            Err(EvalError::LengthMismatch { .. })
        ));
        assert!(matches!(
            VarianceLosses::compute(&[1.0, f64::INFINITY], &[1.0, 2.0]),
            Err(EvalError::BadValue {
                index: 1,
                series: "forecast",
                ..
            })
        ));
        assert!(matches!(
            VarianceLosses::compute(&[f64::NAN], &[1.0]),
            Err(EvalError::TooFewObservations { .. })
        ));
        let r =
            VarianceLosses::by_horizon(&[1, 1], &[vec![1.0], vec![1.0]], &[vec![1.0], vec![1.0]]);
        assert!(matches!(
            r,
            Err(EvalError::BadParameter {
                param: "horizons",
                ..
            })
        ));
    }

    #[test]
    fn by_horizon_keeps_order() {
        let m = VarianceLosses::by_horizon(
            &[5, 1],
            &[vec![1.0, 2.0], vec![1.0, 1.0]],
            &[vec![1.0, 1.0], vec![1.0, 1.0]],
        )
        .unwrap();
        assert_eq!(m.keys().copied().collect::<Vec<_>>(), vec![5, 1]);
        close(m[&5].mse, 0.5);
        close(m[&1].mse, 0.0);
    }
}
