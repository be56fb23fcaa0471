//! Results over stress windows (PRODUCT P5/P6): a strategy's return, maximum drawdown and
//! volatility over a span of days, against a benchmark, and the worst non-overlapping N-day
//! windows of a return series. Windows are index ranges (inclusive); the caller maps dates.
//!
//! Over days s..=e of daily returns r:
//! * return = Π(1 + r_t) − 1 (compounded);
//! * max drawdown = min over t of W_t / max_{u ≤ t} W_u − 1 with W the wealth from 1 at the
//!   window's start (so a loss on its first day counts), as empyrical's `max_drawdown`;
//! * volatility = std(r, ddof 1)·√ann (empyrical's `annual_volatility`);
//! * excess = return − benchmark return.

use serde::Serialize;

use crate::stats::nanstd;

/// Statistics of one window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowStats {
    /// First day index.
    pub start: usize,
    /// Last day index (inclusive).
    pub end: usize,
    /// Compounded return.
    pub total_return: f64,
    /// Maximum drawdown within the window (≤ 0).
    pub max_drawdown: f64,
    /// Annualized volatility (NaN with fewer than 2 days).
    pub volatility: f64,
    /// Benchmark's compounded return over the same days.
    pub benchmark_return: Option<f64>,
    /// Benchmark's maximum drawdown over the same days.
    pub benchmark_max_drawdown: Option<f64>,
}

impl WindowStats {
    /// Return minus the benchmark's (None without a benchmark).
    pub fn excess(&self) -> Option<f64> {
        self.benchmark_return.map(|b| self.total_return - b)
    }
}

fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

/// Compounded return of `r` (missing days count as 0).
pub fn compounded(r: &[f64]) -> f64 {
    r.iter().fold(1.0, |w, x| w * (1.0 + finite(*x))) - 1.0
}

/// Maximum drawdown of `r` with wealth starting at 1 (missing days count as 0).
pub fn max_drawdown(r: &[f64]) -> f64 {
    let (mut w, mut peak, mut dd) = (1.0f64, 1.0f64, 0.0f64);
    for x in r {
        w *= 1.0 + finite(*x);
        peak = peak.max(w);
        dd = dd.min(w / peak - 1.0);
    }
    dd
}

/// Statistics of days `start..=end` of `r` (and of `benchmark`), annualized with `ann`.
/// `end` is clipped to the series; an empty range gives zero return and drawdown.
pub fn window_stats(
    r: &[f64],
    benchmark: Option<&[f64]>,
    start: usize,
    end: usize,
    ann: f64,
) -> WindowStats {
    let end = end.min(r.len().saturating_sub(1));
    let span = |x: &[f64]| -> Vec<f64> {
        if start <= end && end < x.len() {
            x[start..=end].to_vec()
        } else {
            Vec::new()
        }
    };
    let w = span(r);
    let b = benchmark.map(span);
    WindowStats {
        start,
        end,
        total_return: compounded(&w),
        max_drawdown: max_drawdown(&w),
        volatility: nanstd(&w, 1) * ann.sqrt(),
        benchmark_return: b.as_deref().map(compounded),
        benchmark_max_drawdown: b.as_deref().map(max_drawdown),
    }
}

/// The `count` worst non-overlapping `len`-day windows of `r` by compounded return, worst first,
/// as (start, end inclusive, return): greedy over all windows sorted by return (ties: earlier).
pub fn worst_windows(r: &[f64], len: usize, count: usize) -> Vec<(usize, usize, f64)> {
    if len == 0 || r.len() < len {
        return Vec::new();
    }
    let mut all: Vec<(usize, f64)> = (0..=r.len() - len)
        .map(|s| (s, compounded(&r[s..s + len])))
        .collect();
    all.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut picked: Vec<(usize, usize, f64)> = Vec::new();
    for (s, c) in all {
        if picked.len() == count {
            break;
        }
        let e = s + len - 1;
        if picked.iter().all(|&(ps, pe, _)| e < ps || s > pe) {
            picked.push((s, e, c));
        }
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_by_hand() {
        // +10%, −20%, +5%: return 1.1·0.8·1.05 − 1 = −0.076; drawdown 0.88/1.1 − 1 = −0.2.
        let r = [0.0, 0.10, -0.20, 0.05, 0.0];
        let b = [0.0, 0.01, 0.01, 0.01, 0.0];
        let s = window_stats(&r, Some(&b), 1, 3, 252.0);
        assert!((s.total_return - -0.076).abs() < 1e-12);
        assert!((s.max_drawdown - -0.2).abs() < 1e-12);
        // std of (0.10, −0.20, 0.05), ddof 1 = 0.160727…, ×√252
        assert!((s.volatility - 0.160_727_512_683_075_1 * 252f64.sqrt()).abs() < 1e-9);
        assert!((s.benchmark_return.unwrap() - (1.01f64.powi(3) - 1.0)).abs() < 1e-12);
        assert!((s.excess().unwrap() - (-0.076 - 0.030_301)).abs() < 1e-12);
        // a first-day loss is a drawdown
        assert!((max_drawdown(&[-0.1, 0.05]) - -0.1).abs() < 1e-12);
        // end past the data is clipped
        assert_eq!(window_stats(&r, None, 3, 99, 252.0).end, 4);
    }

    #[test]
    fn worst_windows_do_not_overlap() {
        let mut r = vec![0.01; 30];
        r[5] = -0.10;
        r[6] = -0.10;
        r[20] = -0.05;
        let w = worst_windows(&r, 3, 2);
        assert_eq!(w.len(), 2);
        // worst: a 3-day window holding both −10% days and one +1% day, earliest first
        assert_eq!((w[0].0, w[0].1), (4, 6));
        assert!((w[0].2 - (1.01 * 0.9 * 0.9 - 1.0)).abs() < 1e-12);
        // second: around day 20, not overlapping the first
        assert!(w[1].0 <= 20 && w[1].1 >= 20);
        assert!(worst_windows(&r, 40, 1).is_empty());
    }
}
