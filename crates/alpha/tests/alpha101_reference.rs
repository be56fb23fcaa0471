//! All 101 alphas against the independent pandas reference
//! (`scripts/fixtures/alpha101_reference.py`, numpy 2.3.5 / pandas 2.3.3) on its seeded
//! 300-date × 40-asset panel.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use af_alpha::library::alpha101;
use af_alpha::{evaluate, Plan};

/// Tolerances: the fixture keeps 10 significant digits. No alpha needs a looser tolerance: windows
/// of up to 32 days are two-pass moments summed oldest-first on both sides (so exact ties, e.g.
/// between covariances of ranks, break the same way), 2-day correlations are exactly ±1 and
/// correlations are clamped to [−1, 1] on both sides.
///
/// Relative tolerance on finite values.
const RTOL: f64 = 1e-7;
/// Absolute tolerance for values near zero.
const ATOL: f64 = 1e-9;

fn close(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= ATOL + RTOL * b.abs()
}

#[test]
fn all_101_match_the_pandas_reference() {
    let panel = common::load_panel();
    let reference = common::load_reference(&panel);
    let mut plan = Plan::for_panel(&panel);
    for n in 1..=101 {
        let a = alpha101(n).unwrap();
        plan.add(&a.name, a.source)
            .unwrap_or_else(|e| panic!("{}: {e}", a.name));
    }
    let out = evaluate(&plan, &panel).unwrap();
    let mut report = Vec::new();
    for (n, (got, want)) in out.iter().zip(&reference).enumerate() {
        let bad: Vec<usize> = (0..want.len())
            .filter(|&i| !close(got.values[i], want[i]))
            .collect();
        let valid = want.iter().filter(|v| !v.is_nan()).count();
        if !bad.is_empty() {
            let i = bad[0];
            report.push(format!(
                "alpha {:03}: {} of {} cells differ (valid {}), first at cell {} (asset {}, date {}): {} vs {}",
                n + 1,
                bad.len(),
                want.len(),
                valid,
                i,
                i / panel.n_dates(),
                i % panel.n_dates(),
                got.values[i],
                want[i]
            ));
        }
    }
    assert!(report.is_empty(), "\n{}", report.join("\n"));
    // not vacuous: every alpha but #96 has valid reference cells to compare. Alpha#96 is NaN on
    // the whole panel under these semantics: its correlation over 3 days of a 4-day ts_rank of
    // adv60 (a smooth series) is constant — hence NaN — too often for the 12-day ts_argmax,
    // 14-day decay_linear and 13-day ts_rank that follow to ever see a full valid window.
    for (n, want) in reference.iter().enumerate() {
        let valid = want.iter().filter(|v| !v.is_nan()).count();
        if n + 1 == 96 {
            assert_eq!(valid, 0);
        } else {
            assert!(valid >= 400, "alpha {:03}: only {valid} valid cells", n + 1);
        }
    }
}
