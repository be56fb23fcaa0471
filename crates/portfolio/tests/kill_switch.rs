//! Kill-switch rules on constructed alpha return series.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use af_portfolio::kill_switch::{
    portfolio_state, run, KillSwitchConfig, PortfolioState, RetireReason,
};
use common::drifted;

#[test]
fn losing_alpha_is_retired_at_the_first_full_window_and_decays() {
    let good = drifted(0.004, 0.005, 60, 1);
    let bad = drifted(-0.004, 0.005, 60, 2);
    let out = run(&[good, bad], None, &KillSwitchConfig::default());
    assert_eq!(out.events.len(), 1, "{:?}", out.events);
    let e = &out.events[0];
    assert_eq!((e.day, e.alpha), (29, 1));
    assert!(matches!(e.reasons[0], RetireReason::LowSharpe { sharpe } if sharpe < 0.5));
    // multiplier: 1 until day 28, then 0.5, 0.25, … and 0 once below 1%.
    assert_eq!(out.multipliers[1][28], 1.0);
    assert_eq!(out.multipliers[1][29], 0.5);
    assert_eq!(out.multipliers[1][30], 0.25);
    assert_eq!(out.multipliers[1][36], 0.0);
    assert!(out.multipliers[0].iter().all(|m| *m == 1.0));
}

#[test]
fn of_two_near_duplicates_the_worse_is_retired() {
    let base = drifted(0.004, 0.005, 40, 3);
    let twin: Vec<f64> = base.iter().map(|x| x - 0.0005).collect();
    let out = run(&[base, twin], None, &KillSwitchConfig::default());
    assert_eq!(out.events.len(), 1);
    assert_eq!(out.events[0].alpha, 1);
    assert!(
        matches!(out.events[0].reasons[0], RetireReason::Correlated { with: 0, rho } if rho > 0.99)
    );
}

#[test]
fn drawdown_shortfall_and_expiry() {
    // A 20% crash on day 35 of an otherwise strong alpha.
    let mut crash = drifted(0.01, 0.002, 60, 4);
    crash[35] = -0.20;
    let cfg = KillSwitchConfig {
        min_sharpe: -100.0,
        ..KillSwitchConfig::default()
    };
    let out = run(&[crash], None, &cfg);
    assert!(out.events[0]
        .reasons
        .iter()
        .any(|r| matches!(r, RetireReason::Drawdown { drawdown } if *drawdown < -0.15)));
    assert_eq!(out.events[0].day, 35);

    // Expected Sharpe 8 (daily 0.50), delivered ≈ 0 over 30 days: z ≈ −0.50/√(1/30) ≈ −2.8.
    let flat = drifted(0.0, 0.01, 30, 5);
    let cfg = KillSwitchConfig {
        min_sharpe: -100.0,
        expected_sharpe: Some(vec![8.0]),
        ..KillSwitchConfig::default()
    };
    let out = run(&[flat], None, &cfg);
    assert!(
        matches!(out.events[0].reasons[0], RetireReason::IrShortfall { p_value, .. } if p_value < 0.05)
    );

    // Expiry counts from birth; before birth the weight is zero.
    let cfg = KillSwitchConfig {
        min_sharpe: -100.0,
        expiry_days: Some(40),
        ..KillSwitchConfig::default()
    };
    let out = run(&[drifted(0.004, 0.005, 60, 6)], Some(&[10]), &cfg);
    assert_eq!(out.multipliers[0][9], 0.0);
    assert_eq!(out.events[0].day, 49);
    assert!(matches!(
        out.events[0].reasons[0],
        RetireReason::Expired { age: 40 }
    ));
}

#[test]
fn portfolio_states() {
    assert_eq!(portfolio_state(-0.05, 0.10, 0.15), PortfolioState::Active);
    assert_eq!(portfolio_state(-0.12, 0.10, 0.15), PortfolioState::Reducing);
    assert_eq!(portfolio_state(-0.15, 0.10, 0.15), PortfolioState::Halted);
}
