//! Kill switch with a grace period, a floor on live alphas, a ranked candidate pool,
//! readmission and expected Sharpe from pre-live history.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use af_portfolio::kill_switch::{run, run_ranked, KillSwitchConfig, RetireReason};
use common::drifted;

fn only_sharpe() -> KillSwitchConfig {
    KillSwitchConfig {
        max_drawdown: 10.0,
        max_correlation: 2.0,
        ..KillSwitchConfig::default()
    }
}

#[test]
fn floor_keeps_the_best_of_the_losers_live() {
    // Five losing alphas with different drifts: without a floor all five go on day 29.
    let rets: Vec<Vec<f64>> = (0..5)
        .map(|i| drifted(-0.001 * (i as f64 + 1.0), 0.002, 80, 10 + i as u64))
        .collect();
    let free = run(&rets, None, &only_sharpe());
    assert_eq!(free.events.len(), 5);
    assert_eq!(free.live_count[29], 0);
    let cfg = KillSwitchConfig {
        min_active: 2,
        ..only_sharpe()
    };
    let out = run(&rets, None, &cfg);
    assert_eq!(out.events.len(), 3, "{:?}", out.events);
    assert!(out.events.iter().all(|e| e.day == 29));
    // the two kept are those with the best 30-day Sharpe on day 29
    let sharpe = |i: usize| {
        let w = &rets[i][0..30];
        let m = w.iter().sum::<f64>() / 30.0;
        let sd = (w.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 29.0).sqrt();
        m / sd
    };
    let mut order: Vec<usize> = (0..5).collect();
    order.sort_by(|a, b| sharpe(*b).total_cmp(&sharpe(*a)));
    let retired: Vec<usize> = out.events.iter().map(|e| e.alpha).collect();
    assert!(!retired.contains(&order[0]) && !retired.contains(&order[1]));
    assert!(out.live_count[29..].iter().all(|&c| c == 2));
    // kept alphas stay flagged every later day: 2 deferrals on day 29 and every day after
    assert_eq!(out.deferred, 2 * (80 - 29));
}

#[test]
fn pool_promotes_the_best_ranked_candidate_with_a_fresh_grace_period() {
    let bad = drifted(-0.004, 0.005, 120, 1);
    let good = |s| drifted(0.004, 0.005, 120, s);
    let rets = vec![bad, good(2), good(3), good(4)];
    // scores: alpha 0 best, then 1, then 3, then 2
    let ranking: Vec<Vec<f64>> = [4.0, 3.0, 1.0, 2.0].iter().map(|s| vec![*s; 120]).collect();
    let cfg = KillSwitchConfig {
        max_active: Some(2),
        ..only_sharpe()
    };
    let out = run_ranked(&rets, None, Some(&ranking), &cfg);
    assert_eq!(out.events.len(), 1);
    assert_eq!((out.events[0].day, out.events[0].alpha), (29, 0));
    // alpha 3 (score 2) replaces it at the close of day 29; alpha 2 waits
    let p: Vec<(usize, usize)> = out.promotions.iter().map(|p| (p.day, p.alpha)).collect();
    assert_eq!(p, vec![(0, 0), (0, 1), (29, 3)]);
    assert_eq!(out.multipliers[3][28], 0.0);
    assert_eq!(out.multipliers[3][29], 1.0);
    assert!(out.multipliers[2].iter().all(|m| *m == 0.0));
    assert_eq!(out.multipliers[0][29], 0.5);
    assert!(out.live_count.iter().all(|&c| c == 2));
}

#[test]
fn grace_period_delays_the_first_check() {
    let bad = drifted(-0.004, 0.005, 100, 7);
    let cfg = KillSwitchConfig {
        grace_days: 60,
        ..only_sharpe()
    };
    let out = run(std::slice::from_ref(&bad), None, &cfg);
    // first check on day 59 (60 live days), over the last 30 days
    assert_eq!(out.events[0].day, 59);
    // a grace shorter than the window changes nothing
    let cfg = KillSwitchConfig {
        grace_days: 5,
        ..only_sharpe()
    };
    assert_eq!(run(&[bad], None, &cfg).events[0].day, 29);
}

#[test]
fn retired_alpha_is_readmitted_after_the_cool_off() {
    // Alpha 0 loses for 40 days, then earns; alpha 1 earns throughout; one live slot.
    let mut a0 = drifted(-0.004, 0.005, 40, 8);
    a0.extend(drifted(0.004, 0.005, 160, 9));
    let rets = vec![a0, drifted(-0.003, 0.005, 200, 11)];
    let ranking = vec![vec![2.0; 200], vec![1.0; 200]];
    let cfg = KillSwitchConfig {
        max_active: Some(1),
        readmit_after: Some(50),
        ..only_sharpe()
    };
    let out = run_ranked(&rets, None, Some(&ranking), &cfg);
    let p: Vec<(usize, usize)> = out.promotions.iter().map(|p| (p.day, p.alpha)).collect();
    // 0 live at 0, retired day 29; 1 promoted at that close (live from day 30), retired day 59;
    // 0 is back on day 79 (29 + 50); 1 would be back on day 109 but 0 holds the only slot.
    assert_eq!(p, vec![(0, 0), (29, 1), (79, 0)]);
    assert_eq!(out.events.len(), 2);
    assert_eq!(out.events[1].day, 59);
    assert_eq!(out.multipliers[0][79], 1.0);
    assert_eq!(out.live_count[59..79].iter().sum::<usize>(), 0);
}

#[test]
fn expected_sharpe_from_pre_live_history() {
    // 60 days of strong returns before going live on day 60, then flat noise.
    let mut r = drifted(0.01, 0.005, 60, 12);
    r.extend(drifted(0.0, 0.005, 60, 13));
    let cfg = KillSwitchConfig {
        min_sharpe: -100.0,
        expected_lookback: Some(60),
        ..only_sharpe()
    };
    let out = run(&[r], Some(&[60]), &cfg);
    assert_eq!(out.events[0].day, 89);
    assert!(matches!(
        out.events[0].reasons[0],
        RetireReason::IrShortfall { expected, p_value, .. } if expected > 10.0 && p_value < 0.05
    ));
}
