//! Feature transforms (PRODUCT D4) over column-major `n_dates × n_assets` buffers (the layout of
//! [`af_core::Panel`] fields and of [`crate::AlphaValues`]):
//!
//! * [`cs_rank_signed`] — cross-sectional rank of each date mapped to [−1, 1]:
//!   `2·(r − 1)/(n − 1) − 1` for average rank `r` among `n` valid values (a lone value maps to 0);
//! * [`minmax_series`] — per-series `(x − min)/(max − min)` to [0, 1] over the whole series;
//! * [`zscore_series`] — per-series `(x − mean)/std` (ddof = 1) over the whole series;
//! * [`winsorize_cs`] — per date, clip to the `lower` / `upper` quantiles (linear interpolation
//!   between order statistics, numpy's default `percentile` method);
//! * [`weekday_dummies`], [`month_dummies`], [`group_dummies`] — 0/1 one-hot columns, never 1..k
//!   codes.
//!
//! Whole-series statistics look ahead: use them on a training window, not across a backtest.
//! `NaN` stays `NaN` everywhere.

use af_core::Panel;
use chrono::Datelike;

use crate::error::EvalError;
use crate::kernels::cross::average_ranks;
use crate::plan::Group;

/// A named 0/1 column, column-major over the panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Dummy {
    /// Column name, e.g. `weekday_mon`, `month_12`, `sector_Energy`.
    pub name: String,
    /// `n_dates × n_assets` values in {0, 1}.
    pub values: Vec<f64>,
}

fn check_shape(values: &[f64], n_dates: usize, n_assets: usize) -> Result<(), EvalError> {
    if values.len() != n_dates * n_assets {
        return Err(EvalError::Shape {
            what: "transform input".into(),
            expected: n_dates * n_assets,
            got: values.len(),
        });
    }
    Ok(())
}

/// Apply `f(row, out)` to every date's cross-section.
fn per_date(
    values: &[f64],
    n_dates: usize,
    n_assets: usize,
    mut f: impl FnMut(&[f64], &mut [f64]),
) -> Vec<f64> {
    let mut out = vec![f64::NAN; values.len()];
    let mut row = vec![0.0; n_assets];
    let mut res = vec![0.0; n_assets];
    for t in 0..n_dates {
        for a in 0..n_assets {
            row[a] = values[a * n_dates + t];
        }
        f(&row, &mut res);
        for a in 0..n_assets {
            out[a * n_dates + t] = res[a];
        }
    }
    out
}

/// Cross-sectional rank per date mapped to [−1, 1].
pub fn cs_rank_signed(
    values: &[f64],
    n_dates: usize,
    n_assets: usize,
) -> Result<Vec<f64>, EvalError> {
    check_shape(values, n_dates, n_assets)?;
    let mut scratch = Vec::with_capacity(n_assets);
    Ok(per_date(values, n_dates, n_assets, |row, out| {
        let n = average_ranks(row, out, &mut scratch) as f64;
        for o in out.iter_mut() {
            *o = if n > 1.0 {
                2.0 * (*o - 1.0) / (n - 1.0) - 1.0
            } else {
                *o * 0.0
            };
        }
    }))
}

/// Apply `f(series, out)` to every asset's series.
fn per_series(values: &[f64], n_dates: usize, f: impl Fn(&[f64], &mut [f64])) -> Vec<f64> {
    let mut out = vec![f64::NAN; values.len()];
    if n_dates > 0 {
        for (x, o) in values.chunks(n_dates).zip(out.chunks_mut(n_dates)) {
            f(x, o);
        }
    }
    out
}

/// Per-series min-max scaling to [0, 1]; a constant series gives `NaN`.
pub fn minmax_series(
    values: &[f64],
    n_dates: usize,
    n_assets: usize,
) -> Result<Vec<f64>, EvalError> {
    check_shape(values, n_dates, n_assets)?;
    Ok(per_series(values, n_dates, |x, o| {
        let valid = x.iter().filter(|v| !v.is_nan());
        let lo = valid.clone().fold(f64::INFINITY, |a, &b| a.min(b));
        let hi = valid.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        for (o, &v) in o.iter_mut().zip(x) {
            let r = (v - lo) / (hi - lo);
            *o = if r.is_finite() { r } else { f64::NAN };
        }
    }))
}

/// Per-series z-score with the sample standard deviation (ddof = 1); constant → `NaN`.
pub fn zscore_series(
    values: &[f64],
    n_dates: usize,
    n_assets: usize,
) -> Result<Vec<f64>, EvalError> {
    check_shape(values, n_dates, n_assets)?;
    Ok(per_series(values, n_dates, |x, o| {
        let valid: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
        let n = valid.len() as f64;
        let mean = valid.iter().sum::<f64>() / n;
        let var = valid.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
        let sd = var.sqrt();
        for (o, &v) in o.iter_mut().zip(x) {
            let r = (v - mean) / sd;
            *o = if r.is_finite() { r } else { f64::NAN };
        }
    }))
}

/// Quantile `q` ∈ [0, 1] of sorted values, linear interpolation between order statistics.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = q * (sorted.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Clip every date's cross-section to its `lower` and `upper` quantiles (0 ≤ lower ≤ upper ≤ 1).
pub fn winsorize_cs(
    values: &[f64],
    n_dates: usize,
    n_assets: usize,
    lower: f64,
    upper: f64,
) -> Result<Vec<f64>, EvalError> {
    check_shape(values, n_dates, n_assets)?;
    if !(0.0..=1.0).contains(&lower) || !(0.0..=1.0).contains(&upper) || lower > upper {
        return Err(EvalError::BadArgument {
            name: "lower/upper".into(),
            value: format!("{lower}/{upper}"),
            reason: "quantiles must satisfy 0 <= lower <= upper <= 1".into(),
        });
    }
    let mut sorted = Vec::with_capacity(n_assets);
    Ok(per_date(values, n_dates, n_assets, |row, out| {
        sorted.clear();
        sorted.extend(row.iter().copied().filter(|v| !v.is_nan()));
        sorted.sort_unstable_by(f64::total_cmp);
        let (lo, hi) = (quantile(&sorted, lower), quantile(&sorted, upper));
        for (o, &v) in out.iter_mut().zip(row) {
            *o = if v.is_nan() { v } else { v.clamp(lo, hi) };
        }
    }))
}

/// One 0/1 column per key (in the order given); cell (t, a) is 1 when `key(t, a)` equals it.
fn one_hot(
    panel: &Panel,
    prefix: &str,
    key: impl Fn(usize, usize) -> String,
    keys: Vec<String>,
) -> Vec<Dummy> {
    let (nd, na) = (panel.n_dates(), panel.n_assets());
    keys.into_iter()
        .map(|k| {
            let mut values = vec![0.0; nd * na];
            for a in 0..na {
                for t in 0..nd {
                    if key(t, a) == k {
                        values[a * nd + t] = 1.0;
                    }
                }
            }
            Dummy {
                name: format!("{prefix}_{k}"),
                values,
            }
        })
        .collect()
}

/// Weekday dummies `weekday_mon` … `weekday_sun`, one per weekday present in the panel.
pub fn weekday_dummies(panel: &Panel) -> Vec<Dummy> {
    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let day = |t: usize| panel.dates()[t].weekday().num_days_from_monday() as usize;
    let mut present: Vec<usize> = (0..panel.n_dates()).map(day).collect();
    present.sort_unstable();
    present.dedup();
    let keys = present.iter().map(|&d| NAMES[d].to_string()).collect();
    one_hot(panel, "weekday", |t, _| NAMES[day(t)].to_string(), keys)
}

/// Month dummies `month_01` … `month_12`, one per month present in the panel.
pub fn month_dummies(panel: &Panel) -> Vec<Dummy> {
    let month = |t: usize| format!("{:02}", panel.dates()[t].month());
    let mut keys: Vec<String> = (0..panel.n_dates()).map(month).collect();
    keys.sort_unstable();
    keys.dedup();
    one_hot(panel, "month", |t, _| month(t), keys)
}

/// Dummies of a classification (`sector_<name>` …), sorted by name; assets without it get 0s.
pub fn group_dummies(panel: &Panel, group: Group) -> Vec<Dummy> {
    let (prefix, get): (&str, fn(&af_core::AssetMeta) -> Option<&String>) = match group {
        Group::Sector => ("sector", |m| m.sector.as_ref()),
        Group::Industry => ("industry", |m| m.industry.as_ref()),
        Group::Subindustry => ("subindustry", |m| m.subindustry.as_ref()),
        Group::Market => ("market", |m| m.market.as_ref()),
    };
    let mut keys: Vec<String> = panel
        .meta()
        .iter()
        .filter_map(|m| get(m).cloned())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let meta = panel.meta();
    one_hot(
        panel,
        prefix,
        |_, a| get(&meta[a]).cloned().unwrap_or_default(),
        keys,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use af_core::{AssetMeta, Frequency};
    use chrono::NaiveDate;

    const N: f64 = f64::NAN;

    fn same(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-12)
    }

    #[test]
    fn signed_rank_minmax_zscore() {
        // 2 dates × 3 assets, column-major: asset0 = [1, 5], asset1 = [3, 5], asset2 = [2, NaN]
        let x = [1.0, 5.0, 3.0, 5.0, 2.0, N];
        let r = cs_rank_signed(&x, 2, 3).unwrap();
        // date 0: ranks 1, 3, 2 of 3 → −1, 1, 0; date 1: tie (1.5 of 2) → 0, 0
        assert!(same(&r, &[-1.0, 0.0, 1.0, 0.0, 0.0, N]), "{r:?}");
        let m = minmax_series(&[1.0, 3.0, 2.0, 2.0, 2.0, 2.0], 3, 2).unwrap();
        assert!(same(&m, &[0.0, 1.0, 0.5, N, N, N]), "{m:?}");
        let z = zscore_series(&[1.0, 2.0, 3.0], 3, 1).unwrap();
        assert!(same(&z, &[-1.0, 0.0, 1.0]), "{z:?}");
        assert!(matches!(
            cs_rank_signed(&x, 4, 3),
            Err(EvalError::Shape {
                expected: 12,
                got: 6,
                ..
            })
        ));
    }

    #[test]
    fn winsorize_like_numpy_percentile() {
        // one date, 5 assets: 1, 2, 3, 4, 100; numpy.percentile([..], [10, 90]) = 1.4, 61.6
        let x = [1.0, 2.0, 3.0, 4.0, 100.0];
        let w = winsorize_cs(&x, 1, 5, 0.1, 0.9).unwrap();
        assert!(same(&w, &[1.4, 2.0, 3.0, 4.0, 61.6]), "{w:?}");
        assert!(winsorize_cs(&x, 1, 5, 0.9, 0.1).is_err());
    }

    #[test]
    fn one_hot_dummies() {
        // 2024-01-05 is a Friday, 2024-01-06 Saturday, 2024-02-05 Monday
        let dates = [(1, 5), (1, 6), (2, 5)]
            .iter()
            .map(|&(m, d)| {
                NaiveDate::from_ymd_opt(2024, m, d)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
            })
            .collect();
        let mut p = Panel::new(dates, vec!["A".into(), "B".into()], Frequency::Day1).unwrap();
        p.meta_mut()[0] = AssetMeta {
            sector: Some("Tech".into()),
            ..AssetMeta::default()
        };
        let wd = weekday_dummies(&p);
        let names: Vec<&str> = wd.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["weekday_mon", "weekday_fri", "weekday_sat"]);
        assert_eq!(wd[1].values, [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        let md = month_dummies(&p);
        assert_eq!(md[1].name, "month_02");
        assert_eq!(md[1].values, [0.0, 0.0, 1.0, 0.0, 0.0, 1.0]);
        let sd = group_dummies(&p, Group::Sector);
        assert_eq!(sd.len(), 1);
        assert_eq!(sd[0].name, "sector_Tech");
        assert_eq!(sd[0].values, [1.0, 1.0, 1.0, 0.0, 0.0, 0.0]);
    }
}
