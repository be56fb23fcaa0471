//! The kill switch inside the strategy (PRODUCT A5): which alphas are live each day.
//!
//! Alphas go live on the first trading day `start` (the combination's first refit); their live
//! track record, drawdown and grace period start there, and the IR-shortfall test compares the
//! live window Sharpe with the Sharpe of the `expected_lookback` days before going live. With
//! `max_active`, the alphas of highest trailing mean rank IC (over the combination's lookback,
//! only ICs whose forward day has passed) fill the live slots, and the next best candidate
//! replaces each retirement. The floor `min_active` keeps the book from emptying by retirement.
//!
//! Why these safeguards: with A5's thresholds a 30-day Sharpe of a zero-edge alpha has a standard
//! error of √(252/30) ≈ 2.9, so `Sharpe < 0.5` flags more than half of such alphas on any day.
//! The grace period stops retirement before a full window of live history exists; the floor and
//! the ranked replacements keep a diversified book while the rules keep rotating weak alphas out.

use af_portfolio::kill_switch::{run_ranked, KillSwitchConfig, KillSwitchRun};

use crate::config::KillSwitch;

/// Mean of the finite `ics[u]` for u ∈ [t − 1 − lookback, t − 2] (the ICs known at the close of
/// t), for every t; NaN when none.
pub fn trailing_ic(ics: &[f64], lookback: usize) -> Vec<f64> {
    let n = ics.len();
    let mut sum = vec![0.0; n + 1];
    let mut cnt = vec![0usize; n + 1];
    for (u, x) in ics.iter().enumerate() {
        let ok = x.is_finite();
        sum[u + 1] = sum[u] + if ok { *x } else { 0.0 };
        cnt[u + 1] = cnt[u] + usize::from(ok);
    }
    (0..n)
        .map(|t| {
            if t < 2 {
                return f64::NAN;
            }
            let hi = t - 1; // exclusive end: u ≤ t − 2
            let lo = hi.saturating_sub(lookback);
            let c = cnt[hi] - cnt[lo];
            if c == 0 {
                f64::NAN
            } else {
                (sum[hi] - sum[lo]) / c as f64
            }
        })
        .collect()
}

/// The library's kill-switch settings from the strategy's.
pub fn engine_config(ks: &KillSwitch) -> KillSwitchConfig {
    KillSwitchConfig {
        window: ks.window,
        min_sharpe: ks.min_sharpe,
        max_drawdown: ks.max_drawdown,
        max_correlation: ks.max_correlation,
        expected_sharpe: None,
        shortfall_p: ks.shortfall_p,
        expiry_days: ks.expiry_days,
        decay: ks.decay,
        ann: 252.0,
        grace_days: ks.grace_days,
        min_active: ks.min_active,
        max_active: ks.max_active,
        readmit_after: ks.readmit_after,
        expected_lookback: (ks.expected_lookback > 0).then_some(ks.expected_lookback),
    }
}

/// Run the kill switch over the alpha returns with live trading from day `start`
/// (expiry counts from `start`).
pub fn run_kill_switch(
    ks: &KillSwitch,
    lookback: usize,
    returns: &[Vec<f64>],
    ics: &[Vec<f64>],
    start: usize,
) -> KillSwitchRun {
    let ranking: Vec<Vec<f64>> = ics.iter().map(|d| trailing_ic(d, lookback)).collect();
    let born = vec![start; returns.len()];
    run_ranked(returns, Some(&born), Some(&ranking), &engine_config(ks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_ic_uses_only_known_days() {
        let ics = [1.0, f64::NAN, 3.0, 5.0, 7.0];
        let m = trailing_ic(&ics, 2);
        assert!(m[0].is_nan() && m[1].is_nan());
        assert_eq!(m[2], 1.0); // u ≤ 0
        assert_eq!(m[3], 1.0); // u ∈ {0, 1}; 1 is NaN
        assert_eq!(m[4], 3.0); // u ∈ {1, 2}
    }

    #[test]
    fn every_field_is_carried_over() {
        let ks = KillSwitch {
            max_active: Some(7),
            readmit_after: Some(9),
            expected_lookback: 0,
            ..KillSwitch::default()
        };
        let c = engine_config(&ks);
        assert_eq!(
            (c.max_active, c.readmit_after, c.min_active),
            (Some(7), Some(9), 10)
        );
        assert_eq!(c.expected_lookback, None);
        assert_eq!((c.window, c.min_sharpe, c.shortfall_p), (30, 0.5, 0.05));
    }
}
