//! Liquidity of the names a factor trades.
//!
//! Dollar volume `dv[t, a] = close[t, a] · volume[t, a]`; average daily volume
//! `adv[t, a]` = mean of the finite `dv` over the trailing `window` dates ending at `t` (no
//! look-ahead). Each date, `adv` is ranked across the assets that have it and mapped to a
//! percentile `pct = (rank − 1) / (n − 1)` in `[0, 1]` (1 = most liquid; 1 when `n = 1`).
//!
//! The liquidity score of a factor is the mean, over dates with buckets, of the mean `pct` of
//! the names in its top and bottom buckets — the names a long-short book on it would trade.
//! A factor that picks names at random scores about 0.5; the A2 gate asks for more than 0.7.

use super::error::{check_shape, AnalysisError};
use super::rank::{to_date_major, RankBuf};

/// Date-major ADV percentiles (`NaN` where an asset has no ADV yet).
#[derive(Debug, Clone)]
pub struct AdvPercentiles {
    n_assets: usize,
    pct: Vec<f64>,
}

impl AdvPercentiles {
    /// Percentiles of the trailing `window`-date average dollar volume, from prices and volumes
    /// (both column-major by asset).
    pub fn new(
        prices: &[f64],
        volume: &[f64],
        n_dates: usize,
        n_assets: usize,
        window: usize,
    ) -> Result<Self, AnalysisError> {
        check_shape("prices", prices, n_dates, n_assets)?;
        check_shape("volume", volume, n_dates, n_assets)?;
        if window == 0 {
            return Err(AnalysisError::Parameter {
                name: "adv_window",
                value: 0.0,
                reason: "the ADV window must be at least 1 date",
            });
        }
        let mut adv = vec![f64::NAN; n_dates * n_assets];
        for a in 0..n_assets {
            let (p, v) = (
                &prices[a * n_dates..(a + 1) * n_dates],
                &volume[a * n_dates..(a + 1) * n_dates],
            );
            let dv: Vec<f64> = p.iter().zip(v).map(|(p, v)| p * v).collect();
            let (mut sum, mut cnt) = (0.0, 0usize);
            for t in 0..n_dates {
                if dv[t].is_finite() {
                    sum += dv[t];
                    cnt += 1;
                }
                if t >= window && dv[t - window].is_finite() {
                    sum -= dv[t - window];
                    cnt -= 1;
                }
                if cnt > 0 {
                    adv[a * n_dates + t] = sum / cnt as f64;
                }
            }
        }
        let adv = to_date_major(&adv, n_dates, n_assets);
        let mut pct = vec![f64::NAN; n_dates * n_assets];
        let (mut buf, mut ranks, mut vals, mut idx) =
            (RankBuf::new(), Vec::new(), Vec::new(), Vec::new());
        for t in 0..n_dates {
            vals.clear();
            idx.clear();
            for a in 0..n_assets {
                let x = adv[t * n_assets + a];
                if x.is_finite() {
                    vals.push(x);
                    idx.push(a);
                }
            }
            buf.average_ranks(&vals, &mut ranks);
            let n = vals.len();
            for (k, &a) in idx.iter().enumerate() {
                pct[t * n_assets + a] = if n == 1 {
                    1.0
                } else {
                    (ranks[k] - 1.0) / (n - 1) as f64
                };
            }
        }
        Ok(Self { n_assets, pct })
    }

    /// The percentile of asset `a` on date `t`.
    pub fn get(&self, t: usize, a: usize) -> f64 {
        self.pct[t * self.n_assets + a]
    }

    /// Mean percentile of `assets` on date `t` (`None` when none has an ADV).
    pub fn traded_score(&self, t: usize, assets: impl Iterator<Item = usize>) -> Option<f64> {
        let (mut s, mut n) = (0.0, 0usize);
        for a in assets {
            let x = self.get(t, a);
            if x.is_finite() {
                s += x;
                n += 1;
            }
        }
        (n > 0).then(|| s / n as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_hand() {
        // 3 dates × 3 assets, price 1: adv over a 2-date window
        let prices = vec![1.0; 9];
        let volume = [10.0, 10.0, 10.0, 20.0, 40.0, 0.0, 30.0, f64::NAN, 30.0];
        let adv = AdvPercentiles::new(&prices, &volume, 3, 3, 2).unwrap();
        // date 0: adv 10, 20, 30 → 0, 0.5, 1
        assert_eq!(
            (adv.get(0, 0), adv.get(0, 1), adv.get(0, 2)),
            (0.0, 0.5, 1.0)
        );
        // date 2: adv (10+10)/2 = 10, (40+0)/2 = 20, 30 (NaN skipped) → 0, 0.5, 1
        assert_eq!(
            (adv.get(2, 0), adv.get(2, 1), adv.get(2, 2)),
            (0.0, 0.5, 1.0)
        );
        assert_eq!(adv.traded_score(0, [0usize, 2].into_iter()), Some(0.5));
        assert!(AdvPercentiles::new(&prices, &volume[..8], 3, 3, 2).is_err());
        assert!(AdvPercentiles::new(&prices, &volume, 3, 3, 0).is_err());
    }
}
