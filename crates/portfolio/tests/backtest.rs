//! Backtest accounting on a hand-computed case, and the look-ahead trap.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use af_portfolio::backtest::{run, BacktestConfig, BacktestError};
use common::normals;

fn cfg(lag: usize, bps: f64) -> BacktestConfig {
    BacktestConfig {
        lag,
        cost_bps: bps / 2.0,
        slippage_bps: bps / 2.0,
        ..BacktestConfig::default()
    }
}

#[test]
fn hand_computed_two_assets_four_days() {
    // column-major by asset: A then B
    let targets = [1.0, 0.5, 0.5, 0.5, 0.0, 0.5, 0.5, 0.5];
    let returns = [0.0, 0.10, -0.05, 0.02, 0.0, 0.0, 0.10, 0.01];
    let r = run(&targets, &returns, 4, 2, &cfg(1, 10.0)).unwrap();
    // t=0,1: nothing held yet (signal of day 0 trades at close of day 1).
    // t=2: hold (1, 0): gross −0.05, turnover 1, cost 0.001 → net −0.051.
    // t=3: drifted (1·0.95/0.95, 0) = (1, 0); trade to (0.5, 0.5): turnover 1, cost 0.001;
    //      gross 0.5·0.02 + 0.5·0.01 = 0.015 → net 0.014.
    let want_net = [0.0, 0.0, -0.051, 0.014];
    for (g, w) in r.net_returns.iter().zip(want_net) {
        assert!((g - w).abs() < 1e-15, "{:?}", r.net_returns);
    }
    assert_eq!(r.turnover, vec![0.0, 0.0, 1.0, 1.0]);
    assert_eq!(r.holdings, vec![0.0, 0.0, 1.0, 0.5, 0.0, 0.0, 0.0, 0.5]);
    // cumulative: 0.949 · 1.014 − 1
    let cum = r.report.metrics["cum_returns_final"];
    assert!((cum - (0.949 * 1.014 - 1.0)).abs() < 1e-15);
}

#[test]
fn holding_between_rebalances_drifts_without_cost() {
    let targets = [0.5, f64::NAN, f64::NAN, 0.5, f64::NAN, f64::NAN];
    let returns = [0.0, 0.0, 0.10, 0.0, 0.0, -0.10];
    let c = BacktestConfig {
        rebalance_every: 3,
        ..cfg(0, 10.0)
    };
    let r = run(&targets, &returns, 3, 2, &c).unwrap();
    // signal of day 0 traded at close 0: held (0.5, 0.5) on day 1, drifted on day 2.
    assert_eq!(r.turnover, vec![0.0, 1.0, 0.0]);
    assert!((r.gross_returns[2] - 0.0).abs() < 1e-15);
}

#[test]
fn a_signal_built_from_tomorrows_return_earns_nothing() {
    let (n, k) = (1_000, 50);
    let returns = normals(n * k, 0.01, 42);
    // The trap: the target at day s is the sign of the return of day s+1.
    let mut targets = vec![0.0; n * k];
    for a in 0..k {
        for s in 0..n - 1 {
            targets[a * n + s] = returns[a * n + s + 1].signum() / k as f64;
        }
    }
    let honest = run(&targets, &returns, n, k, &cfg(1, 0.0)).unwrap();
    let m = honest.net_returns.iter().sum::<f64>() / n as f64;
    let sd = (honest
        .net_returns
        .iter()
        .map(|r| (r - m).powi(2))
        .sum::<f64>()
        / n as f64)
        .sqrt();
    let t_stat = m / (sd / (n as f64).sqrt());
    assert!(
        t_stat.abs() < 4.0,
        "t = {t_stat}: the backtest peeks at the future"
    );
    // Trading at the signal's own close (lag 0) would book E|r| ≈ 0.008 a day — the trap sprung.
    let cheat = run(&targets, &returns, n, k, &cfg(0, 0.0)).unwrap();
    let cheat_mean = cheat.net_returns.iter().sum::<f64>() / n as f64;
    assert!(
        cheat_mean > 0.007,
        "lag 0 should expose the look-ahead: {cheat_mean}"
    );
}

#[test]
fn bad_inputs_are_errors() {
    assert!(matches!(
        run(&[0.0; 3], &[0.0; 4], 2, 2, &BacktestConfig::default()),
        Err(BacktestError::Shape {
            what: "targets",
            ..
        })
    ));
    let c = BacktestConfig {
        cost_bps: -1.0,
        ..BacktestConfig::default()
    };
    assert!(matches!(
        run(&[0.0; 4], &[0.0; 4], 2, 2, &c),
        Err(BacktestError::BadSetting { .. })
    ));
}
