//! Value-at-Risk backtests: breach series, Kupiec's unconditional coverage test, Christoffersen's
//! independence and conditional coverage tests.
//!
//! Conventions: VaR is a positive **loss** threshold at coverage level `p` (0.01 for 1 % VaR), and
//! period `t` is a breach when the loss exceeds it: `I_t = 1{−r_t > VaR_t}`. Over `n` periods with
//! `x = ΣI_t` breaches and `π̂ = x/n`, writing `ℓ(k, q) = k·ln q` with `0·ln 0 = 0`:
//!
//! **Kupiec (1995)**, "Techniques for verifying the accuracy of risk measurement models",
//! J. Derivatives 3 — unconditional coverage, H0: P(I_t = 1) = p:
//! ```text
//! LR_uc = −2 [ ℓ(n−x, 1−p) + ℓ(x, p) − ℓ(n−x, 1−π̂) − ℓ(x, π̂) ]   ~ χ²(1)
//! ```
//!
//! **Christoffersen (1998)**, "Evaluating interval forecasts", Int. Economic Review 39 — with
//! `n_ij` the number of transitions `I_{t−1} = i → I_t = j` over t = 1..n−1,
//! `π₀₁ = n₀₁/(n₀₀+n₀₁)`, `π₁₁ = n₁₁/(n₁₀+n₁₁)`, `π = (n₀₁+n₁₁)/(n−1)`:
//! ```text
//! LR_ind = −2 [ ℓ(n₀₀+n₁₀, 1−π) + ℓ(n₀₁+n₁₁, π)
//!               − ℓ(n₀₀, 1−π₀₁) − ℓ(n₀₁, π₀₁) − ℓ(n₁₀, 1−π₁₁) − ℓ(n₁₁, π₁₁) ]   ~ χ²(1)
//! LR_cc  = LR_uc + LR_ind                                                          ~ χ²(2)
//! ```
//!
//! Degenerate cases follow from `0·ln 0 = 0` alone, with no special casing: no breach (`x = 0`)
//! gives `LR_uc = −2n·ln(1−p)` and `LR_ind = 0`; all breaches (`x = n`) give `LR_uc = −2n·ln p`
//! and `LR_ind = 0`; a row of the transition matrix with no observations (e.g. no breach before the
//! last period, so `n₁₀ + n₁₁ = 0`) contributes 0 whatever its undefined `π`; a single observation
//! has no transition and `LR_ind = 0` (p-value 1). Statistics below 0 by rounding are set to 0.

use serde::{Deserialize, Serialize};

use crate::dist::chi2_sf;
use crate::error::EvalError;

/// The three levels of the product's daily VaR report: 1 %, 5 %, 10 %.
pub const STANDARD_LEVELS: [f64; 3] = [0.01, 0.05, 0.10];

/// `k·ln q` with the convention `0·ln 0 = 0`.
fn xlogy(k: f64, q: f64) -> f64 {
    if k == 0.0 {
        0.0
    } else {
        k * q.ln()
    }
}

/// Breach indicators `I_t = 1{−r_t > VaR_t}` of aligned returns and positive-loss VaR forecasts.
/// A NaN or infinite value is an error naming its index (drop those dates before testing).
pub fn breaches(returns: &[f64], var: &[f64]) -> Result<Vec<bool>, EvalError> {
    EvalError::check_len("returns", returns.len(), "var", var.len())?;
    returns
        .iter()
        .zip(var)
        .enumerate()
        .map(|(t, (&r, &v))| {
            for (series, x) in [("returns", r), ("var", v)] {
                if !x.is_finite() {
                    return Err(EvalError::BadValue {
                        series,
                        index: t,
                        value: x,
                        reason: "VaR backtests need a finite value at every date",
                    });
                }
            }
            Ok(-r > v)
        })
        .collect()
}

fn check_coverage(coverage: f64) -> Result<(), EvalError> {
    if coverage > 0.0 && coverage < 1.0 {
        Ok(())
    } else {
        Err(EvalError::param(
            "coverage",
            coverage,
            "must lie strictly between 0 and 1 (0.01 for a 1 % VaR)",
        ))
    }
}

/// Kupiec's unconditional coverage statistic `LR_uc` of `x` breaches in `n` periods at level `p`.
pub fn kupiec_lr(n: usize, x: usize, coverage: f64) -> Result<f64, EvalError> {
    check_coverage(coverage)?;
    if n == 0 || x > n {
        return Err(EvalError::param(
            "n",
            n,
            format!("need n ≥ 1 and breaches ≤ n, got {x} breaches"),
        ));
    }
    let (nf, xf) = (n as f64, x as f64);
    let pi = xf / nf;
    let null = xlogy(nf - xf, 1.0 - coverage) + xlogy(xf, coverage);
    let alt = xlogy(nf - xf, 1.0 - pi) + xlogy(xf, pi);
    Ok((-2.0 * (null - alt)).max(0.0))
}

/// Transition counts `[[n₀₀, n₀₁], [n₁₀, n₁₁]]` of a breach series.
pub fn transitions(hits: &[bool]) -> [[usize; 2]; 2] {
    let mut c = [[0usize; 2]; 2];
    for w in hits.windows(2) {
        c[usize::from(w[0])][usize::from(w[1])] += 1;
    }
    c
}

/// Christoffersen's independence statistic `LR_ind` from transition counts.
pub fn christoffersen_lr(counts: [[usize; 2]; 2]) -> f64 {
    let [[n00, n01], [n10, n11]] = counts.map(|r| r.map(|v| v as f64));
    let total = n00 + n01 + n10 + n11;
    if total == 0.0 {
        return 0.0;
    }
    let ratio = |k: f64, d: f64| if d == 0.0 { 0.0 } else { k / d };
    let pi01 = ratio(n01, n00 + n01);
    let pi11 = ratio(n11, n10 + n11);
    let pi = (n01 + n11) / total;
    let null = xlogy(n00 + n10, 1.0 - pi) + xlogy(n01 + n11, pi);
    let alt = xlogy(n00, 1.0 - pi01) + xlogy(n01, pi01) + xlogy(n10, 1.0 - pi11) + xlogy(n11, pi11);
    (-2.0 * (null - alt)).max(0.0)
}

/// All three backtests of one VaR series at one coverage level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VarBacktest {
    /// Coverage level p (0.01 for 1 % VaR).
    pub coverage: f64,
    /// Periods tested.
    pub n: usize,
    /// Number of breaches x.
    pub breaches: usize,
    /// Breach rate x/n (compare with `coverage`).
    pub rate: f64,
    /// Kupiec LR_uc.
    pub lr_uc: f64,
    /// P(χ²(1) > LR_uc).
    pub p_uc: f64,
    /// Transition counts `[[n₀₀, n₀₁], [n₁₀, n₁₁]]`.
    pub transitions: [[usize; 2]; 2],
    /// Christoffersen LR_ind.
    pub lr_ind: f64,
    /// P(χ²(1) > LR_ind).
    pub p_ind: f64,
    /// Conditional coverage LR_cc = LR_uc + LR_ind.
    pub lr_cc: f64,
    /// P(χ²(2) > LR_cc).
    pub p_cc: f64,
}

impl VarBacktest {
    /// Backtest a breach series at coverage level `coverage`.
    pub fn from_breaches(hits: &[bool], coverage: f64) -> Result<Self, EvalError> {
        check_coverage(coverage)?;
        if hits.is_empty() {
            return Err(EvalError::TooFewObservations {
                what: "VaR backtest",
                needed: 1,
                got: 0,
            });
        }
        let n = hits.len();
        let x = hits.iter().filter(|&&h| h).count();
        let lr_uc = kupiec_lr(n, x, coverage)?;
        let counts = transitions(hits);
        let lr_ind = christoffersen_lr(counts);
        let lr_cc = lr_uc + lr_ind;
        Ok(VarBacktest {
            coverage,
            n,
            breaches: x,
            rate: x as f64 / n as f64,
            lr_uc,
            p_uc: chi2_sf(lr_uc, 1.0),
            transitions: counts,
            lr_ind,
            p_ind: chi2_sf(lr_ind, 1.0),
            lr_cc,
            p_cc: chi2_sf(lr_cc, 2.0),
        })
    }

    /// Backtest positive-loss VaR forecasts against realized returns (see [`breaches`]).
    pub fn from_returns(returns: &[f64], var: &[f64], coverage: f64) -> Result<Self, EvalError> {
        VarBacktest::from_breaches(&breaches(returns, var)?, coverage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaches_compare_loss_with_var() {
        // r = [-0.03, -0.01, 0.02, -0.02], VaR = 0.02: losses 0.03 > 0.02 breach, 0.02 is not.
        let h = breaches(&[-0.03, -0.01, 0.02, -0.02], &[0.02; 4]).unwrap();
        assert_eq!(h, vec![true, false, false, false]);
        assert!(matches!(
            breaches(&[0.0, f64::NAN], &[0.1, 0.1]),
            Err(EvalError::BadValue {
                index: 1,
                series: "returns",
                ..
            })
        ));
    }

    #[test]
    fn kupiec_by_hand() {
        // n = 10, x = 1, p = 0.1: π̂ = p, so LR_uc = 0.
        assert!(kupiec_lr(10, 1, 0.1).unwrap().abs() < 1e-15);
        // n = 4, x = 2, p = 0.5 ⇒ 0; x = 0: −2·4·ln(0.5) = 8 ln 2; x = n = 4: −2·4·ln 0.5 too.
        assert!((kupiec_lr(4, 0, 0.5).unwrap() - 8.0 * 2f64.ln()).abs() < 1e-14);
        assert!((kupiec_lr(4, 4, 0.5).unwrap() - 8.0 * 2f64.ln()).abs() < 1e-14);
        // n = 4, x = 1, p = 0.5: −2[4 ln 0.5 − 3 ln 0.75 − ln 0.25].
        let want = -2.0 * (4.0 * 0.5f64.ln() - 3.0 * 0.75f64.ln() - 0.25f64.ln());
        assert!((kupiec_lr(4, 1, 0.5).unwrap() - want).abs() < 1e-14);
        assert!(kupiec_lr(4, 1, 1.0).is_err());
        assert!(kupiec_lr(0, 0, 0.05).is_err());
    }

    #[test]
    fn christoffersen_by_hand() {
        // I = [0, 1, 1, 0, 0]: transitions 0→1, 1→1, 1→0, 0→0 → n00 = n01 = n10 = n11 = 1.
        // π01 = π11 = π = 1/2 ⇒ LR_ind = 0.
        let h = [false, true, true, false, false];
        assert_eq!(transitions(&h), [[1, 1], [1, 1]]);
        assert!(christoffersen_lr(transitions(&h)).abs() < 1e-15);
        // I = [0, 0, 1, 1]: n00 = 1, n01 = 1, n11 = 1, n10 = 0. π01 = 1/2, π11 = 1, π = 2/3.
        // null = ln(1/3) + 2 ln(2/3); alt = 2 ln(1/2) + 0 + ln 1 ⇒ LR = −2(null − alt).
        let c = transitions(&[false, false, true, true]);
        assert_eq!(c, [[1, 1], [0, 1]]);
        let want = -2.0 * ((1.0f64 / 3.0).ln() + 2.0 * (2.0f64 / 3.0).ln() - 2.0 * 0.5f64.ln());
        assert!((christoffersen_lr(c) - want).abs() < 1e-14);
    }

    #[test]
    fn degenerate_cases() {
        // No breach in 100 days at 1 %: LR_uc = −200 ln 0.99, LR_ind = 0, LR_cc = LR_uc.
        let b = VarBacktest::from_breaches(&[false; 100], 0.01).unwrap();
        assert!((b.lr_uc + 200.0 * 0.99f64.ln()).abs() < 1e-12);
        assert_eq!((b.lr_ind, b.p_ind), (0.0, 1.0));
        assert_eq!(b.lr_cc, b.lr_uc);
        // All breaches: LR_uc = −2n ln p, LR_ind = 0.
        let b = VarBacktest::from_breaches(&[true; 20], 0.05).unwrap();
        assert!((b.lr_uc + 40.0 * 0.05f64.ln()).abs() < 1e-12);
        assert_eq!(b.lr_ind, 0.0);
        // One observation: no transition.
        let b = VarBacktest::from_breaches(&[true], 0.05).unwrap();
        assert_eq!(b.transitions, [[0, 0], [0, 0]]);
        assert_eq!(b.p_ind, 1.0);
        // Only the last day breaches: row 1 of the matrix is empty.
        let b = VarBacktest::from_breaches(&[false, false, false, true], 0.25).unwrap();
        assert_eq!(b.transitions, [[2, 1], [0, 0]]);
        assert!(b.lr_ind.abs() < 1e-15);
        assert!(VarBacktest::from_breaches(&[], 0.05).is_err());
        assert!(matches!(
            VarBacktest::from_breaches(&[true], 0.0),
            Err(EvalError::BadParameter {
                param: "coverage",
                ..
            })
        ));
    }
}
