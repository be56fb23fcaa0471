//! Turnover of a factor, as alphalens measures it.
//!
//! Quantile turnover (`quantile_turnover(quantile_factor, q, period)`): with `S_t(q)` the names
//! in bucket `q` on date `t`,
//!
//! ```text
//! turnover_t(q) = |S_t(q) \ S_{t−p}(q)| / |S_t(q)|      (NaN unless both sets are non-empty)
//! ```
//!
//! Factor rank autocorrelation (`factor_rank_autocorrelation(factor_data, period)`): the
//! Pearson correlation, over the names ranked on both dates, of the cross-sectional ranks on `t`
//! and on `t − p`. Low autocorrelation means high turnover. `p` counts rows of the date grid.

/// Date-major bucket labels (`t * n_assets + a`, 0 = no bucket) → turnover series of bucket `q`
/// (1-based) at period `p`.
pub fn quantile_turnover(
    labels: &[u8],
    n_dates: usize,
    n_assets: usize,
    q: u8,
    p: usize,
) -> Vec<f64> {
    let mut out = vec![f64::NAN; n_dates];
    for t in p..n_dates {
        let today = &labels[t * n_assets..(t + 1) * n_assets];
        let before = &labels[(t - p) * n_assets..(t - p + 1) * n_assets];
        let (mut now, mut then, mut new) = (0usize, 0usize, 0usize);
        for (&l, &b) in today.iter().zip(before) {
            if b == q {
                then += 1;
            }
            if l == q {
                now += 1;
                if b != q {
                    new += 1;
                }
            }
        }
        if now > 0 && then > 0 {
            out[t] = new as f64 / now as f64;
        }
    }
    out
}

/// Date-major ranks (`NaN` = not ranked) → rank autocorrelation series at period `p`.
pub fn rank_autocorrelation(ranks: &[f64], n_dates: usize, n_assets: usize, p: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; n_dates];
    let (mut xs, mut ys) = (Vec::with_capacity(n_assets), Vec::with_capacity(n_assets));
    for t in p..n_dates {
        xs.clear();
        ys.clear();
        let today = &ranks[t * n_assets..(t + 1) * n_assets];
        let before = &ranks[(t - p) * n_assets..(t - p + 1) * n_assets];
        for (&x, &y) in today.iter().zip(before) {
            if x.is_finite() && y.is_finite() {
                xs.push(x);
                ys.push(y);
            }
        }
        out[t] = super::rank::pearson(&xs, &ys);
    }
    out
}

/// Mean of the finite values (`NaN` when none).
pub fn nan_mean(xs: &[f64]) -> f64 {
    let (s, n) = xs
        .iter()
        .filter(|v| v.is_finite())
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        f64::NAN
    } else {
        s / n as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turnover_by_hand() {
        // 3 dates × 4 assets; bucket 2 = {1, 3}, then {1, 2}, then {0, 2}
        let labels = [1, 2, 1, 2, 1, 2, 2, 1, 2, 1, 2, 0];
        let one = quantile_turnover(&labels, 3, 4, 2, 1);
        assert!(one[0].is_nan());
        assert_eq!(one[1], 0.5);
        assert_eq!(one[2], 0.5);
        let two = quantile_turnover(&labels, 3, 4, 2, 2);
        assert_eq!(two[2], 1.0);
        assert!(quantile_turnover(&labels, 3, 4, 3, 1)
            .iter()
            .all(|v| v.is_nan()));
    }

    #[test]
    fn autocorrelation_by_hand() {
        let ranks = [1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 3.0, 2.0, 1.0];
        let ac = rank_autocorrelation(&ranks, 3, 3, 1);
        assert!(ac[0].is_nan());
        assert!((ac[1] - 1.0).abs() < 1e-15 && (ac[2] + 1.0).abs() < 1e-15);
        assert!((nan_mean(&ac) - 0.0).abs() < 1e-15);
    }
}
