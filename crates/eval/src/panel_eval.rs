//! The evaluations of this crate applied to every asset of a [`Panel`].
//!
//! The outer `Result` fails only when a field is missing from the panel; each asset gets its own
//! `Result`, so one asset without usable data never hides the others (fault isolation). The maps
//! keep the panel's asset order.

use af_core::Panel;
use indexmap::IndexMap;

use crate::error::EvalError;
use crate::losses::VarianceLosses;
use crate::var_backtest::VarBacktest;

/// Per-asset results, in the panel's asset order.
pub type ByAsset<T> = IndexMap<String, Result<T, EvalError>>;

/// [`VarianceLosses`] of field `forecast` against field `realized` for every asset.
pub fn variance_losses_by_asset(
    panel: &Panel,
    forecast: &str,
    realized: &str,
) -> Result<ByAsset<VarianceLosses>, EvalError> {
    let mut out = IndexMap::with_capacity(panel.n_assets());
    for (a, name) in panel.assets().iter().enumerate() {
        let f = panel.series(forecast, a)?;
        let r = panel.series(realized, a)?;
        out.insert(name.clone(), VarianceLosses::compute(f, r));
    }
    Ok(out)
}

/// [`VarBacktest`] of field `var` (positive loss thresholds) against field `returns` for every
/// asset at level `coverage`. Dates where either value is NaN (typically the warm-up before the
/// first forecast) are dropped before the breach series is built, so Christoffersen's transitions
/// link the remaining dates in order.
pub fn var_backtests_by_asset(
    panel: &Panel,
    returns: &str,
    var: &str,
    coverage: f64,
) -> Result<ByAsset<VarBacktest>, EvalError> {
    let mut out = IndexMap::with_capacity(panel.n_assets());
    for (a, name) in panel.assets().iter().enumerate() {
        let r = panel.series(returns, a)?;
        let v = panel.series(var, a)?;
        let (r, v): (Vec<f64>, Vec<f64>) = r
            .iter()
            .zip(v)
            .filter(|(x, y)| !x.is_nan() && !y.is_nan())
            .map(|(x, y)| (*x, *y))
            .unzip();
        out.insert(name.clone(), VarBacktest::from_returns(&r, &v, coverage));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use af_core::{CoreError, Frequency};
    use chrono::NaiveDate;

    fn panel() -> Panel {
        let d0 = NaiveDate::from_ymd_opt(2024, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let dates = (0..4).map(|i| d0 + chrono::Duration::days(i)).collect();
        let mut p = Panel::new(dates, vec!["A".into(), "B".into()], Frequency::default()).unwrap();
        let nan = f64::NAN;
        // Column-major by asset: A's 4 dates, then B's.
        p.insert_field("f", vec![1.0, 2.0, 3.0, 4.0, nan, nan, nan, nan])
            .unwrap();
        p.insert_field("rv", vec![1.0, 2.0, 3.0, 6.0, 1.0, 1.0, 1.0, 1.0])
            .unwrap();
        p.insert_field("r", vec![nan, -0.05, 0.01, -0.01, 0.0, 0.0, -0.2, 0.0])
            .unwrap();
        p.insert_field("var", vec![0.02; 8]).unwrap();
        p
    }

    #[test]
    fn losses_per_asset_isolate_failures() {
        let m = variance_losses_by_asset(&panel(), "f", "rv").unwrap();
        assert_eq!(m.keys().collect::<Vec<_>>(), vec!["A", "B"]);
        // A: errors [0, 0, 0, -2] → MSE = 1.
        assert_eq!(m["A"].as_ref().unwrap().mse, 1.0);
        assert!(matches!(m["B"], Err(EvalError::TooFewObservations { .. })));
        assert!(matches!(
            variance_losses_by_asset(&panel(), "f", "nope"),
            Err(EvalError::Core(CoreError::UnknownField { .. }))
        ));
    }

    #[test]
    fn var_backtests_drop_missing_dates() {
        let m = var_backtests_by_asset(&panel(), "r", "var", 0.05).unwrap();
        // A: date 0 dropped; losses 0.05, −0.01, 0.01 vs 0.02 → one breach in 3.
        let a = m["A"].as_ref().unwrap();
        assert_eq!((a.n, a.breaches), (3, 1));
        // B: breach on date 2 only: transitions 0→0, 0→1, 1→0.
        let b = m["B"].as_ref().unwrap();
        assert_eq!((b.n, b.breaches, b.transitions), (4, 1, [[1, 1], [1, 0]]));
    }
}
