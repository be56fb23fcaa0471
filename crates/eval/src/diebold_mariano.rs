//! Diebold–Mariano test of equal predictive accuracy of two forecasts (Diebold & Mariano 1995,
//! "Comparing predictive accuracy", J. Business & Economic Statistics 13), with the small-sample
//! correction of Harvey, Leybourne & Newbold (1997, Int. J. Forecasting 13).
//!
//! With per-period losses `L1_t`, `L2_t` of the two forecasts (squared error, absolute error,
//! QLIKE, ...) over the `n` periods where both are available, and forecast horizon `h`:
//!
//! ```text
//! d_t = L1_t − L2_t            d̄ = (1/n) Σ d_t
//! γ_k = (1/n) Σ_{t=k+1..n} (d_t − d̄)(d_{t−k} − d̄)          k = 0 .. h−1
//! DM  = d̄ / √[(γ_0 + 2 Σ_{k=1..h−1} γ_k) / n]               ~ N(0, 1) under H0: E[d] = 0
//! HLN = DM · √[(n + 1 − 2h + h(h−1)/n) / n]                  ~ t(n−1)
//! ```
//!
//! A negative statistic means the first forecast has the smaller loss. p-values are two-sided.
//! The long-run variance uses the rectangular (truncated) kernel of the original paper; when it is
//! not positive (possible for h > 1) the test is undefined and an error is returned.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use crate::error::EvalError;
use crate::losses::{pairs_named, qlike_term};

/// The per-period loss compared by [`DieboldMariano::compare`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// (F − A)².
    Squared,
    /// |F − A|.
    Absolute,
    /// A/F − ln(A/F) − 1 (Patton 2011); NaN, hence skipped, when A ≤ 0 or F ≤ 0.
    Qlike,
}

impl Loss {
    /// The loss of one forecast `f` of the value `a`.
    pub fn of(self, f: f64, a: f64) -> f64 {
        match self {
            Loss::Squared => (f - a) * (f - a),
            Loss::Absolute => (f - a).abs(),
            Loss::Qlike => qlike_term(f, a).unwrap_or(f64::NAN),
        }
    }
}

/// Result of a Diebold–Mariano test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DieboldMariano {
    /// Periods used.
    pub n: usize,
    /// Forecast horizon h (number of autocovariances is h − 1).
    pub h: usize,
    /// Mean loss differential d̄ (negative: the first forecast is better).
    pub mean_diff: f64,
    /// DM statistic.
    pub dm: f64,
    /// Two-sided p-value of DM under N(0, 1).
    pub p_value: f64,
    /// Harvey–Leybourne–Newbold corrected statistic.
    pub hln: f64,
    /// Two-sided p-value of HLN under t(n − 1).
    pub hln_p_value: f64,
}

impl DieboldMariano {
    /// Test from two aligned per-period loss series (NaN pairs skipped) at horizon `h ≥ 1`.
    pub fn test(loss_1: &[f64], loss_2: &[f64], h: usize) -> Result<Self, EvalError> {
        if h == 0 {
            return Err(EvalError::param(
                "h",
                h,
                "the forecast horizon must be at least 1",
            ));
        }
        let (p, _) = pairs_named(("loss_1", loss_1), ("loss_2", loss_2), 0)?;
        let n = p.len();
        if n < h + 2 {
            return Err(EvalError::TooFewObservations {
                what: "Diebold–Mariano test",
                needed: h + 2,
                got: n,
            });
        }
        let d: Vec<f64> = p.iter().map(|&(a, b)| a - b).collect();
        let nf = n as f64;
        let dbar = d.iter().sum::<f64>() / nf;
        let gamma = |k: usize| -> f64 {
            (k..n)
                .map(|t| (d[t] - dbar) * (d[t - k] - dbar))
                .sum::<f64>()
                / nf
        };
        let lrv = gamma(0) + 2.0 * (1..h).map(gamma).sum::<f64>();
        if lrv <= 0.0 {
            return Err(EvalError::Singular {
                what: "Diebold–Mariano test",
                reason: "the long-run variance of the loss differential is not positive \
                         (identical losses, or negative autocovariances at h > 1)",
            });
        }
        let dm = dbar / (lrv / nf).sqrt();
        let hf = h as f64;
        let hln = dm * ((nf + 1.0 - 2.0 * hf + hf * (hf - 1.0) / nf) / nf).sqrt();
        let p_value = match Normal::new(0.0, 1.0) {
            Ok(z) => 2.0 * z.sf(dm.abs()),
            Err(_) => f64::NAN,
        };
        let hln_p_value = match StudentsT::new(0.0, 1.0, nf - 1.0) {
            Ok(t) => 2.0 * t.sf(hln.abs()),
            Err(_) => f64::NAN,
        };
        Ok(DieboldMariano {
            n,
            h,
            mean_diff: dbar,
            dm,
            p_value,
            hln,
            hln_p_value,
        })
    }

    /// Compare two forecasts of the same `actual` series under `loss` at horizon `h`.
    pub fn compare(
        forecast_1: &[f64],
        forecast_2: &[f64],
        actual: &[f64],
        loss: Loss,
        h: usize,
    ) -> Result<Self, EvalError> {
        EvalError::check_len("forecast_1", forecast_1.len(), "actual", actual.len())?;
        EvalError::check_len("forecast_2", forecast_2.len(), "actual", actual.len())?;
        let l1: Vec<f64> = forecast_1
            .iter()
            .zip(actual)
            .map(|(&f, &a)| loss.of(f, a))
            .collect();
        let l2: Vec<f64> = forecast_2
            .iter()
            .zip(actual)
            .map(|(&f, &a)| loss.of(f, a))
            .collect();
        DieboldMariano::test(&l1, &l2, h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand_h1() {
        // d = L1 − L2 = [1, −1, 2, 2]: d̄ = 1, deviations [0, −2, 1, 1], γ0 = 6/4 = 1.5,
        // DM = 1/√(1.5/4) = 1/√0.375; HLN = DM·√((4 + 1 − 2 + 0)/4) = DM·√0.75.
        let t = DieboldMariano::test(&[2.0, 0.0, 3.0, 2.0], &[1.0, 1.0, 1.0, 0.0], 1).unwrap();
        let dm = 1.0 / 0.375f64.sqrt();
        assert!((t.dm - dm).abs() < 1e-14);
        assert!((t.hln - dm * 0.75f64.sqrt()).abs() < 1e-14);
        assert!(t.p_value > 0.0 && t.p_value < 1.0);
    }

    #[test]
    fn by_hand_h2() {
        // Same d, h = 2: γ1 = [(−2)(0) + (1)(−2) + (1)(1)]/4 = −1/4, LRV = 1.5 − 0.5 = 1,
        // DM = 1/√(1/4) = 2; HLN = 2·√((4 + 1 − 4 + 2/4)/4) = 2·√0.375.
        let t = DieboldMariano::test(&[2.0, 0.0, 3.0, 2.0], &[1.0, 1.0, 1.0, 0.0], 2).unwrap();
        assert!((t.dm - 2.0).abs() < 1e-14);
        assert!((t.hln - 2.0 * 0.375f64.sqrt()).abs() < 1e-14);
    }

    #[test]
    fn compare_builds_losses_and_degenerate_cases_fail() {
        // Squared errors of F1 = [1, 2, 3], F2 = [0, 0, 0] vs A = [1, 2, 4]:
        // L1 = [0, 0, 1], L2 = [1, 4, 16] → d̄ < 0 (forecast 1 better).
        let t = DieboldMariano::compare(
            &[1.0, 2.0, 3.0],
            &[0.0; 3],
            &[1.0, 2.0, 4.0],
            Loss::Squared,
            1,
        )
        .unwrap();
        assert!(t.mean_diff < 0.0 && t.dm < 0.0);
        assert!(matches!(
            DieboldMariano::test(&[1.0; 5], &[1.0; 5], 1),
            Err(EvalError::Singular { .. })
        ));
        assert!(DieboldMariano::test(&[1.0; 5], &[2.0; 5], 0).is_err());
        assert!(matches!(
            DieboldMariano::test(&[1.0, 1.0, f64::INFINITY], &[2.0; 3], 1),
            Err(EvalError::BadValue {
                series: "loss_1",
                index: 2,
                ..
            })
        ));
        assert!(matches!(
            DieboldMariano::test(&[1.0, 2.0], &[2.0, 1.0], 1),
            Err(EvalError::TooFewObservations { .. })
        ));
    }
}
