//! The retirement rules of the kill switch (PRODUCT A5), one alpha-day at a time, and the floor
//! that keeps the book from emptying. The engine that walks the days is [`crate::kill_switch`].
//!
//! * **low Sharpe**: mean/std(ddof 1)·√ann over the last `window` days < `min_sharpe`;
//! * **drawdown**: drawdown of the compounded live returns below −`max_drawdown`;
//! * **IR shortfall** (Lo 2002, "The Statistics of Sharpe Ratios"): on daily Sharpe ratios,
//!   z = (SR_recent − SR_expected)/√((1 + SR²_recent/2)/n), retire when Φ(z) < `shortfall_p`;
//! * **expiry**: age since birth ≥ `expiry_days`;
//! * **correlated**: Pearson ρ over the window with another checked live alpha > `max_correlation`;
//!   the one with the lower window Sharpe goes (the lower index on ties), and an alpha already
//!   retired for correlation today does not take a partner with it.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::kill_switch::{KillSwitchConfig, RetireReason};
use crate::stats::{nanmean, nanstd, pearson};

/// Annualized Sharpe of a window (NaN when undefined).
pub(crate) fn sharpe(x: &[f64], ann: f64) -> f64 {
    nanmean(x) / nanstd(x, 1) * ann.sqrt()
}

/// One live alpha's state at the day of the check.
pub(crate) struct AlphaDay<'a> {
    /// Its returns over the window.
    pub window: &'a [f64],
    /// Its annualized window Sharpe.
    pub sharpe: f64,
    /// Drawdown of its live wealth (≤ 0).
    pub drawdown: f64,
    /// Expected annualized Sharpe, if any.
    pub expected: Option<f64>,
    /// Days since birth, inclusive of today.
    pub age: usize,
}

/// Every single-alpha rule that fires.
pub(crate) fn single_rules(a: &AlphaDay, cfg: &KillSwitchConfig) -> Vec<RetireReason> {
    let mut out = Vec::new();
    if a.sharpe < cfg.min_sharpe {
        out.push(RetireReason::LowSharpe { sharpe: a.sharpe });
    }
    if a.drawdown < -cfg.max_drawdown {
        out.push(RetireReason::Drawdown {
            drawdown: a.drawdown,
        });
    }
    if let Some(exp) = a.expected.filter(|e| e.is_finite()) {
        let (recent, expected) = (a.sharpe / cfg.ann.sqrt(), exp / cfg.ann.sqrt());
        let se = ((1.0 + recent * recent / 2.0) / a.window.len() as f64).sqrt();
        let p = Normal::standard().cdf((recent - expected) / se);
        if p < cfg.shortfall_p {
            out.push(RetireReason::IrShortfall {
                recent: a.sharpe,
                expected: exp,
                p_value: p,
            });
        }
    }
    if let Some(max_age) = cfg.expiry_days {
        if a.age >= max_age {
            out.push(RetireReason::Expired { age: a.age });
        }
    }
    out
}

/// Adds the correlation rule to `today` over the checked alphas `checked` (window `lo..=t`).
pub(crate) fn correlation_rule(
    returns: &[Vec<f64>],
    checked: &[usize],
    sharpes: &[f64],
    (lo, t): (usize, usize),
    max_correlation: f64,
    today: &mut [Vec<RetireReason>],
) {
    for (x, &i) in checked.iter().enumerate() {
        for &j in &checked[x + 1..] {
            let rho = pearson(&returns[i][lo..=t], &returns[j][lo..=t]);
            if rho > max_correlation {
                let (worse, better) = if sharpes[j] < sharpes[i] {
                    (j, i)
                } else {
                    (i, j)
                };
                let better_goes = today[better]
                    .iter()
                    .any(|r| matches!(r, RetireReason::Correlated { .. }));
                if !better_goes {
                    today[worse].push(RetireReason::Correlated { with: better, rho });
                }
            }
        }
    }
}

/// The floor: with `live` alphas live, `flagged` of them flagged today and `spare` replacements
/// available, returns the flagged alphas whose retirement is deferred so that at least
/// `min_active` stay live — those with the highest window Sharpe (NaN last, lower index on ties).
pub(crate) fn deferred_by_floor(
    live: usize,
    flagged: &[usize],
    spare: usize,
    min_active: usize,
    sharpes: &[f64],
) -> Vec<usize> {
    let after = live - flagged.len() + spare.min(flagged.len());
    if after >= min_active {
        return Vec::new();
    }
    let keep = (min_active - after).min(flagged.len());
    let mut order = flagged.to_vec();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (sharpes[a], sharpes[b]);
        match (sa.is_nan(), sb.is_nan()) {
            (false, true) => std::cmp::Ordering::Less,
            (true, false) => std::cmp::Ordering::Greater,
            _ => sb.total_cmp(&sa).then(a.cmp(&b)),
        }
    });
    order.truncate(keep);
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_keeps_the_best_flagged() {
        let sharpes = [0.1, -2.0, f64::NAN, 0.3, -1.0];
        // 5 live, 4 flagged, no spare, floor 3 → keep 2 of the flagged: 3 (0.3) then 1 (−2.0)
        // after 0 (not flagged) … NaN last.
        assert_eq!(
            deferred_by_floor(5, &[1, 2, 3, 4], 0, 3, &sharpes),
            vec![3, 4]
        );
        // one spare replacement: keep only one.
        assert_eq!(deferred_by_floor(5, &[1, 2, 3, 4], 1, 3, &sharpes), vec![3]);
        // enough left: nothing deferred.
        assert!(deferred_by_floor(5, &[1], 0, 3, &sharpes).is_empty());
    }

    #[test]
    fn shortfall_by_hand() {
        // 30 days of daily Sharpe 0 against an expected 8/√252 ≈ 0.504 daily:
        // z = −0.504/√(1/30) = −2.760, Φ(z) = 0.00289.
        let w = vec![0.0; 30];
        let a = AlphaDay {
            window: &w,
            sharpe: 0.0,
            drawdown: 0.0,
            expected: Some(8.0),
            age: 30,
        };
        let cfg = KillSwitchConfig {
            min_sharpe: -1.0,
            ..KillSwitchConfig::default()
        };
        let r = single_rules(&a, &cfg);
        match r.as_slice() {
            [RetireReason::IrShortfall { p_value, .. }] => {
                assert!((p_value - 0.002_89).abs() < 1e-4, "{p_value}")
            }
            other => panic!("{other:?}"),
        }
    }
}
