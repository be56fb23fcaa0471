//! A4/A6/A7 allocation schemes by their definitions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use af_portfolio::allocation::{adaptive, apply_budgets, bayesian, hierarchical, Leverage};
use common::drifted;

#[test]
fn hierarchical_gives_each_cluster_its_risk_parity_share() {
    let r = vec![
        drifted(0.001, 0.01, 500, 1),
        drifted(0.001, 0.01, 500, 2),
        drifted(0.0005, 0.02, 500, 3),
    ];
    let h = hierarchical(
        &r,
        &[0, 0, 1],
        Leverage::VolTarget { target: 0.10 },
        5.0,
        252.0,
    )
    .unwrap();
    // inside cluster 0 the two alphas share equally
    assert!((h.alpha[0] - h.alpha[1]).abs() < 1e-15);
    assert!((h.strategy.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // the calmer cluster (σ/√2 ≈ 0.007 vs 0.02) gets the larger risk-parity share
    assert!(h.strategy[0] > h.strategy[1]);
    // alpha weights add up to the leverage
    assert!((h.alpha.iter().sum::<f64>() - h.leverage).abs() < 1e-12);
    let capped = hierarchical(
        &r,
        &[0, 0, 1],
        Leverage::Kelly { fraction: 1.0 },
        0.5,
        252.0,
    )
    .unwrap();
    assert!(capped.leverage <= 0.5);
    assert!(hierarchical(
        &r,
        &[0, 2, 2],
        Leverage::Kelly { fraction: 0.5 },
        1.0,
        252.0
    )
    .is_err());
}

#[test]
fn adaptive_favours_sharpe_and_penalizes_drawdown() {
    let good = drifted(0.002, 0.01, 250, 4);
    let mut crashed = good.clone();
    crashed[100] = -0.12;
    let loser = drifted(-0.002, 0.01, 250, 5);
    let w = adaptive(&[good, crashed, loser], None, 0.15, 1.0, 252.0).unwrap();
    assert!(w[0] > w[1] && w[1] >= 0.0);
    assert_eq!(w[2], 0.0);
    assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    let tight = adaptive(&[drifted(0.002, 0.01, 250, 4)], None, 0.15, 0.001, 252.0).unwrap();
    assert!(
        tight[0] < 1.0,
        "a VaR budget of 0.1% must scale weights down"
    );
}

#[test]
fn bayesian_weights_only_confident_alphas() {
    let strong = drifted(0.003, 0.01, 500, 6);
    let noise = drifted(0.0, 0.01, 500, 7);
    let w = bayesian(&[strong, noise], 0.0, 0.001).unwrap();
    assert_eq!(w, vec![1.0, 0.0]);
}

#[test]
fn budgets_are_met_exactly() {
    let w = apply_budgets(
        &[0.2, 0.6, 0.1, 0.1, 0.0],
        &[0, 0, 1, 1, 2],
        &[0.5, 0.3, 0.2],
    )
    .unwrap();
    for (g, want) in w.iter().zip([0.125, 0.375, 0.15, 0.15, 0.2]) {
        assert!((g - want).abs() < 1e-15, "{w:?}");
    }
    assert!(apply_budgets(&[0.5], &[3], &[1.0]).is_err());
}
