//! The statistical checks of the quality report: robust outliers, suspected splits, calendar gaps.

use af_core::{Frequency, Panel};
use chrono::{Datelike, Duration, NaiveDateTime, Weekday};
use serde::Serialize;

use crate::dates::{all_midnight, format_datetime};

/// MAD → standard deviation under normality: 1 / Φ⁻¹(3/4).
pub const MAD_SCALE: f64 = 1.4826;

/// One outlying return.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutlierExample {
    /// Asset.
    pub asset: String,
    /// Date of the return.
    pub date: String,
    /// The return.
    pub value: f64,
    /// Its robust z-score `|x − median| / (1.4826·MAD)`.
    pub z: f64,
}

/// Outliers of one asset's return series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssetOutliers {
    /// Asset.
    pub asset: String,
    /// Number of returns beyond the threshold.
    pub count: usize,
}

/// Outliers by robust z-score, per asset, with the worst examples overall.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Outliers {
    /// Field the returns come from (e.g. `log returns of close`).
    pub source: String,
    /// Robust z threshold.
    pub threshold: f64,
    /// Total number of outlying returns.
    pub total: usize,
    /// Assets with at least one outlier, most first.
    pub per_asset: Vec<AssetOutliers>,
    /// The largest |z| overall, largest first.
    pub worst: Vec<OutlierExample>,
}

/// A one-period close ratio that looks like a stock split or reverse split.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SplitSuspect {
    /// Asset.
    pub asset: String,
    /// Date of the jump.
    pub date: String,
    /// `close_t / close_{t−1}`.
    pub ratio: f64,
    /// The split ratio it is near, e.g. `1:2` (price halved) or `3:1`.
    pub near: String,
}

/// A hole in the calendar between two consecutive dates of the panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// Last date before the gap.
    pub after: String,
    /// First date after the gap.
    pub before: String,
    /// Number of missing bars (business days for daily data).
    pub missing: usize,
}

/// Median of the non-`NaN` values (sorted in place); `NaN` when there are none.
fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_unstable_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
}

/// Robust outliers of `returns` (column-major, as in the panel). Assets with a zero MAD are skipped.
pub fn outliers(
    panel: &Panel,
    returns: &[f64],
    source: &str,
    threshold: f64,
    max_examples: usize,
) -> Outliers {
    let n = panel.n_dates();
    let mut out = Outliers {
        source: source.to_string(),
        threshold,
        ..Outliers::default()
    };
    if n == 0 {
        return out;
    }
    let date_only = all_midnight(panel.dates());
    let mut all: Vec<OutlierExample> = Vec::new();
    for (a, r) in returns.chunks(n).enumerate() {
        let mut vals: Vec<f64> = r.iter().copied().filter(|x| !x.is_nan()).collect();
        let med = median(&mut vals);
        for v in vals.iter_mut() {
            *v = (*v - med).abs();
        }
        let scale = MAD_SCALE * median(&mut vals);
        if !(scale > 0.0) {
            continue;
        }
        let mut count = 0;
        for (t, &x) in r.iter().enumerate() {
            let z = (x - med).abs() / scale;
            if z > threshold {
                count += 1;
                all.push(OutlierExample {
                    asset: panel.assets()[a].clone(),
                    date: format_datetime(&panel.dates()[t], date_only),
                    value: x,
                    z,
                });
            }
        }
        if count > 0 {
            out.per_asset.push(AssetOutliers {
                asset: panel.assets()[a].clone(),
                count,
            });
            out.total += count;
        }
    }
    out.per_asset.sort_by_key(|a| std::cmp::Reverse(a.count));
    all.sort_by(|a, b| b.z.total_cmp(&a.z));
    all.truncate(max_examples);
    out.worst = all;
    out
}

/// Close ratios within `tol` (relative) of 1/k or k for k in 2, 3, 4, 5, 10 with |log ratio| > 0.5.
pub fn splits(panel: &Panel, close: &[f64], tol: f64) -> Vec<SplitSuspect> {
    let n = panel.n_dates();
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    let date_only = all_midnight(panel.dates());
    for (a, p) in close.chunks(n).enumerate() {
        for t in 1..n {
            let ratio = p[t] / p[t - 1];
            if !ratio.is_finite() || ratio.ln().abs() <= 0.5 {
                continue;
            }
            for k in [2.0, 3.0, 4.0, 5.0, 10.0] {
                let (target, near) = if ratio < 1.0 {
                    (1.0 / k, format!("1:{k}"))
                } else {
                    (k, format!("{k}:1"))
                };
                if (ratio / target - 1.0).abs() <= tol {
                    out.push(SplitSuspect {
                        asset: panel.assets()[a].clone(),
                        date: format_datetime(&panel.dates()[t], date_only),
                        ratio,
                        near,
                    });
                    break;
                }
            }
        }
    }
    out
}

/// Business days (Mon–Fri) strictly between two dates.
fn business_days_between(a: NaiveDateTime, b: NaiveDateTime) -> usize {
    let mut d = a.date() + Duration::days(1);
    let mut count = 0;
    while d < b.date() {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            count += 1;
        }
        d += Duration::days(1);
    }
    count
}

/// Calendar gaps: missing business days for daily data; for intraday data, steps within one day
/// longer than 1.5 × the median step (overnight and weekend breaks are not gaps); for weekly and
/// monthly data, steps longer than 1.5 × the nominal bar.
pub fn gaps(dates: &[NaiveDateTime], frequency: Frequency) -> Vec<Gap> {
    let mut steps: Vec<i64> = dates
        .windows(2)
        .map(|w| (w[1] - w[0]).num_seconds())
        .collect();
    let step = if frequency.is_intraday() {
        let m = median(&mut steps.iter().map(|&s| s as f64).collect::<Vec<_>>());
        if m.is_nan() {
            frequency.seconds()
        } else {
            m as i64
        }
    } else {
        frequency.seconds()
    };
    steps.clear();
    let date_only = all_midnight(dates);
    let mut out = Vec::new();
    for w in dates.windows(2) {
        let secs = (w[1] - w[0]).num_seconds();
        let missing = match frequency {
            Frequency::Day1 => business_days_between(w[0], w[1]),
            f if f.is_intraday() => {
                if w[0].date() != w[1].date() || secs * 2 <= step * 3 {
                    0
                } else {
                    usize::try_from(secs / step.max(1) - 1).unwrap_or(0)
                }
            }
            _ if secs * 2 > step * 3 => usize::try_from(secs / step.max(1) - 1).unwrap_or(0).max(1),
            _ => 0,
        };
        if missing > 0 {
            out.push(Gap {
                after: format_datetime(&w[0], date_only),
                before: format_datetime(&w[1], date_only),
                missing,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::to_datetime;

    #[test]
    fn intraday_gaps_ignore_overnight_breaks() {
        // 5-minute bars 09:30..09:50, 09:55 missing, 10:00 and 10:05, then the next morning.
        let day = 19_724 * 86_400 + 34_200;
        let mut secs: Vec<i64> = (0..5).map(|i| day + i * 300).collect();
        secs.extend([day + 1_800, day + 2_100, day + 86_400, day + 86_700]);
        let dates: Vec<_> = secs.iter().map(|&s| to_datetime(s)).collect();
        let g = gaps(&dates, Frequency::Min5);
        assert_eq!(g.len(), 1, "{g:?}");
        assert_eq!(
            (g[0].after.as_str(), g[0].missing),
            ("2024-01-02 09:50:00", 1)
        );
    }

    #[test]
    fn daily_gaps_count_business_days_and_weekly_gaps_count_bars() {
        // Fri 2024-01-05 -> Wed 2024-01-10 misses Mon and Tue.
        let d = |n: i64| to_datetime((19_727 + n) * 86_400);
        let g = gaps(&[d(0), d(5), d(6)], Frequency::Day1);
        assert_eq!(g.len(), 1);
        assert_eq!((g[0].before.as_str(), g[0].missing), ("2024-01-10", 2));
        let w = gaps(&[d(0), d(7), d(28)], Frequency::Week1);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].missing, 2);
    }

    #[test]
    fn robust_z_and_split_ratios() {
        let mut m = vec![3.0, 1.0, 2.0, f64::NAN][..3].to_vec();
        assert_eq!(median(&mut m), 2.0);
        let dates = (0..4).map(|i| to_datetime(i * 86_400)).collect();
        let mut p = Panel::new(dates, vec!["A".into()], Frequency::Day1).unwrap();
        p.insert_field("close", vec![100.0, 100.0, 49.0, 50.0])
            .unwrap();
        let s = splits(&p, p.field("close").unwrap(), 0.03);
        assert_eq!(s.len(), 1);
        assert_eq!(
            (s[0].near.as_str(), s[0].date.as_str()),
            ("1:2", "1970-01-03")
        );
        let s = splits(&p, &[100.0, 100.0, 45.0, 50.0], 0.03);
        assert!(s.is_empty(), "0.45 is more than 3% away from 1/2");
    }
}
