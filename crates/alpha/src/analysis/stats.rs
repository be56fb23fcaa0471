//! Summary statistics of a daily IC series: mean, std, ICIR, t-statistic and p-value.
//!
//! Over the `n` days with a finite IC:
//!
//! ```text
//! mean  = Σ IC_t / n                 std = sqrt(Σ (IC_t − mean)² / (n − 1))
//! ICIR  = mean / std                 ICIR_ann = ICIR · sqrt(periods_per_year / h)
//! t     = mean / (std / sqrt(n))     p = 2 · P(T_{n−1} > |t|)   (scipy.stats.ttest_1samp(ic, 0))
//! ```
//!
//! Caveat: for `h > 1` consecutive ICs overlap by `h − 1` days, so they are autocorrelated and
//! this t overstates significance (alphalens and scipy make the same simplification).

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Mean, dispersion and significance of a daily IC series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IcStats {
    /// Days with a finite IC.
    pub n: usize,
    /// Mean IC.
    pub mean: f64,
    /// Standard deviation of the IC (ddof 1).
    pub std: f64,
    /// Information ratio of the IC: mean / std.
    pub icir: f64,
    /// `icir · sqrt(periods_per_year / h)`.
    pub icir_annualized: f64,
    /// One-sample t-statistic of mean IC = 0.
    pub t_stat: f64,
    /// Two-sided p-value of the t-statistic (Student-t, n − 1 degrees of freedom).
    pub p_value: f64,
}

impl IcStats {
    /// Statistics of `ic` (NaN days skipped) for horizon `h` with `periods_per_year` periods
    /// (252 for daily bars). Fields are `NaN` when fewer than 2 days have an IC.
    pub fn from_series(ic: &[f64], h: usize, periods_per_year: f64) -> Self {
        let xs: Vec<f64> = ic.iter().copied().filter(|v| v.is_finite()).collect();
        let n = xs.len();
        let nan = Self {
            n,
            mean: f64::NAN,
            std: f64::NAN,
            icir: f64::NAN,
            icir_annualized: f64::NAN,
            t_stat: f64::NAN,
            p_value: f64::NAN,
        };
        if n < 2 {
            return Self {
                mean: xs.first().copied().unwrap_or(f64::NAN),
                ..nan
            };
        }
        let nf = n as f64;
        let mean = xs.iter().sum::<f64>() / nf;
        let std = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (nf - 1.0)).sqrt();
        let icir = mean / std;
        let t_stat = mean / (std / nf.sqrt());
        let p_value = match StudentsT::new(0.0, 1.0, nf - 1.0) {
            Ok(dist) if t_stat.is_finite() => 2.0 * dist.sf(t_stat.abs()),
            _ => f64::NAN,
        };
        Self {
            n,
            mean,
            std,
            icir,
            icir_annualized: icir * (periods_per_year / h.max(1) as f64).sqrt(),
            t_stat,
            p_value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_scipy_ttest_1samp() {
        // scipy 1.16.3: ttest_1samp([0.05, -0.01, 0.03, 0.02, 0.04, -0.02], 0)
        //   -> statistic 1.6113865220998809, pvalue 0.1680123203982419
        let s = IcStats::from_series(&[0.05, -0.01, f64::NAN, 0.03, 0.02, 0.04, -0.02], 1, 252.0);
        assert_eq!(s.n, 6);
        assert!((s.mean - 0.11 / 6.0).abs() < 1e-15);
        assert!(
            (s.t_stat - 1.6113865220998809).abs() < 1e-12,
            "{}",
            s.t_stat
        );
        assert!(
            (s.p_value - 0.1680123203982419).abs() < 1e-10,
            "{}",
            s.p_value
        );
        assert!((s.icir_annualized - s.icir * 252f64.sqrt()).abs() < 1e-12);
        let s5 = IcStats::from_series(&[0.05, -0.01, 0.03, 0.02, 0.04, -0.02], 5, 252.0);
        assert!((s5.icir_annualized - s5.icir * (252.0f64 / 5.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn too_few_days_is_nan_not_panic() {
        assert!(IcStats::from_series(&[], 1, 252.0).mean.is_nan());
        let one = IcStats::from_series(&[0.1, f64::NAN], 1, 252.0);
        assert_eq!(one.n, 1);
        assert!(one.t_stat.is_nan());
    }
}
