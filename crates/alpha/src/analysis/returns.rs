//! Forward returns at several horizons, computed once and shared by every factor.
//!
//! From prices (alphalens' `compute_forward_returns` with `cumulative_returns=True`): prices are
//! forward-filled per asset, then the `h`-day forward return at date `t` is
//!
//! ```text
//! fwd_h[t] = close[t + h] / close[t] − 1      (NaN when t + h is past the sample)
//! ```
//!
//! From one-period simple returns `r`: `fwd_h[t] = Π_{k=1..h} (1 + r[t + k]) − 1`, `NaN` when any
//! of those returns is missing.
//!
//! An observation `(t, a)` is *usable* only when its forward return exists at **every** requested
//! horizon: this is alphalens' `get_clean_factor` rule (it drops a row with any missing forward
//! return), so IC, quantiles and turnover of all horizons are computed on one common sample and
//! the last `max(h)` dates never enter the analysis.

use super::error::{check_shape, AnalysisError};
use super::rank::to_date_major;

/// Forward returns of a `n_dates × n_assets` grid at a set of horizons, stored date-major.
#[derive(Debug, Clone)]
pub struct ForwardReturns {
    n_dates: usize,
    n_assets: usize,
    horizons: Vec<usize>,
    /// Per horizon, `t * n_assets + a`.
    values: Vec<Vec<f64>>,
    /// `t * n_assets + a`: forward returns exist at every horizon.
    usable: Vec<bool>,
}

impl ForwardReturns {
    /// Forward returns from prices (column-major by asset, `a * n_dates + t`; `NaN` missing,
    /// forward-filled like alphalens). Errors on a bad shape, a bad horizon or a price ≤ 0.
    pub fn from_prices(
        prices: &[f64],
        n_dates: usize,
        n_assets: usize,
        horizons: &[usize],
    ) -> Result<Self, AnalysisError> {
        check_shape("prices", prices, n_dates, n_assets)?;
        check_horizons(horizons, n_dates)?;
        let mut filled = vec![f64::NAN; prices.len()];
        for a in 0..n_assets {
            let mut last = f64::NAN;
            for t in 0..n_dates {
                let p = prices[a * n_dates + t];
                if p.is_finite() {
                    if p <= 0.0 {
                        return Err(AnalysisError::BadPrice {
                            asset: a,
                            date: t,
                            value: p,
                        });
                    }
                    last = p;
                }
                filled[a * n_dates + t] = last;
            }
        }
        let filled = to_date_major(&filled, n_dates, n_assets);
        let values = horizons
            .iter()
            .map(|&h| {
                let mut out = vec![f64::NAN; n_dates * n_assets];
                for t in 0..n_dates.saturating_sub(h) {
                    for a in 0..n_assets {
                        let p0 = filled[t * n_assets + a];
                        let p1 = filled[(t + h) * n_assets + a];
                        out[t * n_assets + a] = p1 / p0 - 1.0;
                    }
                }
                out
            })
            .collect();
        Ok(Self::assemble(n_dates, n_assets, horizons, values))
    }

    /// Forward returns from one-period simple returns (column-major by asset; `r[t]` is the
    /// return from `t − 1` to `t`).
    pub fn from_returns(
        returns: &[f64],
        n_dates: usize,
        n_assets: usize,
        horizons: &[usize],
    ) -> Result<Self, AnalysisError> {
        check_shape("returns", returns, n_dates, n_assets)?;
        check_horizons(horizons, n_dates)?;
        let r = to_date_major(returns, n_dates, n_assets);
        let values = horizons
            .iter()
            .map(|&h| {
                let mut out = vec![f64::NAN; n_dates * n_assets];
                for t in 0..n_dates.saturating_sub(h) {
                    for a in 0..n_assets {
                        let mut growth = 1.0;
                        for k in 1..=h {
                            growth *= 1.0 + r[(t + k) * n_assets + a];
                        }
                        out[t * n_assets + a] = growth - 1.0;
                    }
                }
                out
            })
            .collect();
        Ok(Self::assemble(n_dates, n_assets, horizons, values))
    }

    fn assemble(
        n_dates: usize,
        n_assets: usize,
        horizons: &[usize],
        values: Vec<Vec<f64>>,
    ) -> Self {
        let usable = (0..n_dates * n_assets)
            .map(|i| values.iter().all(|v: &Vec<f64>| v[i].is_finite()))
            .collect();
        Self {
            n_dates,
            n_assets,
            horizons: horizons.to_vec(),
            values,
            usable,
        }
    }

    /// Number of dates of the grid.
    pub fn n_dates(&self) -> usize {
        self.n_dates
    }

    /// Number of assets of the grid.
    pub fn n_assets(&self) -> usize {
        self.n_assets
    }

    /// The horizons, in the order given.
    pub fn horizons(&self) -> &[usize] {
        &self.horizons
    }

    /// The cross-section of horizon number `hi` at date `t` (one value per asset).
    pub fn day(&self, hi: usize, t: usize) -> &[f64] {
        &self.values[hi][t * self.n_assets..(t + 1) * self.n_assets]
    }

    /// Whether `(t, a)` has a forward return at every horizon.
    pub fn usable(&self, t: usize, a: usize) -> bool {
        self.usable[t * self.n_assets + a]
    }

    /// The usable flags of date `t`, one per asset.
    pub fn usable_day(&self, t: usize) -> &[bool] {
        &self.usable[t * self.n_assets..(t + 1) * self.n_assets]
    }

    /// Mean over dates of the cross-sectional standard deviation (ddof 1) of usable forward
    /// returns at horizon number `hi`: the scale that turns a return into IC units.
    pub fn cross_sectional_std(&self, hi: usize) -> f64 {
        let (mut sum, mut days) = (0.0, 0usize);
        let mut xs = Vec::with_capacity(self.n_assets);
        for t in 0..self.n_dates {
            xs.clear();
            let day = self.day(hi, t);
            xs.extend(
                (0..self.n_assets)
                    .filter(|&a| self.usable(t, a))
                    .map(|a| day[a]),
            );
            if xs.len() < 2 {
                continue;
            }
            let n = xs.len() as f64;
            let mean = xs.iter().sum::<f64>() / n;
            let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
            sum += var.sqrt();
            days += 1;
        }
        if days == 0 {
            f64::NAN
        } else {
            sum / days as f64
        }
    }
}

fn check_horizons(horizons: &[usize], n_dates: usize) -> Result<(), AnalysisError> {
    if horizons.is_empty() {
        return Err(AnalysisError::NoHorizons);
    }
    for (i, &h) in horizons.iter().enumerate() {
        let reason = if h == 0 {
            Some("horizons are counted in periods and must be at least 1".to_string())
        } else if h >= n_dates {
            Some(format!("the sample has only {n_dates} dates"))
        } else if horizons[..i].contains(&h) {
            Some("given twice".to_string())
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(AnalysisError::Horizon { horizon: h, reason });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_returns_by_hand_with_ffill() {
        // one asset, prices 100, 110, NaN (filled to 110), 121
        let fr =
            ForwardReturns::from_prices(&[100.0, 110.0, f64::NAN, 121.0], 4, 1, &[1, 2]).unwrap();
        assert!((fr.day(0, 0)[0] - 0.1).abs() < 1e-15);
        assert_eq!(fr.day(0, 1)[0], 0.0);
        assert!((fr.day(1, 1)[0] - 0.1).abs() < 1e-15);
        assert!(fr.day(1, 2)[0].is_nan());
        assert!(fr.usable(1, 0) && !fr.usable(2, 0) && !fr.usable(3, 0));
    }

    #[test]
    fn returns_and_prices_agree() {
        let prices = [
            100.0, 102.0, 99.0, 105.0, 104.0, 50.0, 51.0, 49.0, 52.0, 53.0,
        ];
        let mut rets = vec![f64::NAN; 10];
        for a in 0..2 {
            for t in 1..5 {
                rets[a * 5 + t] = prices[a * 5 + t] / prices[a * 5 + t - 1] - 1.0;
            }
        }
        let p = ForwardReturns::from_prices(&prices, 5, 2, &[1, 3]).unwrap();
        let r = ForwardReturns::from_returns(&rets, 5, 2, &[1, 3]).unwrap();
        for hi in 0..2 {
            for t in 0..5 {
                for a in 0..2 {
                    let (x, y) = (p.day(hi, t)[a], r.day(hi, t)[a]);
                    assert!(
                        (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-14,
                        "{hi} {t} {a}"
                    );
                }
            }
        }
    }

    #[test]
    fn bad_inputs_are_named() {
        let e = ForwardReturns::from_prices(&[1.0, 2.0, 3.0], 2, 2, &[1]).unwrap_err();
        assert!(e.to_string().contains("prices has 3 values"), "{e}");
        let e = ForwardReturns::from_prices(&[1.0, -2.0], 2, 1, &[1]).unwrap_err();
        assert!(e.to_string().contains("asset #0 at date #1"), "{e}");
        let e = ForwardReturns::from_prices(&[1.0, 2.0], 2, 1, &[2]).unwrap_err();
        assert!(e.to_string().contains("invalid horizon 2"), "{e}");
        assert!(ForwardReturns::from_prices(&[1.0, 2.0], 2, 1, &[]).is_err());
        assert!(ForwardReturns::from_prices(&[1.0, 2.0, 3.0], 3, 1, &[1, 1]).is_err());
    }
}
