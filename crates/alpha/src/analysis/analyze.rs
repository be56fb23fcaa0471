//! One factor's full analysis (alphalens' information + returns + turnover tear sheets in
//! numbers), and the parallel batch over many factors.
//!
//! The sample is alphalens' clean factor data: observation `(t, a)` enters when the factor value
//! is finite and forward returns exist at every horizon (see [`super::returns`]). Per horizon `h`
//! the result holds the daily IC and rank IC with their [`IcStats`], the mean forward return of
//! each bucket averaged over dates (raw and demeaned by the day's mean over the observations,
//! alphalens' default), the daily top-minus-bottom spread (the raw difference; alphalens 0.5.1's
//! `compute_mean_returns_spread` halves it), the quantile turnover of every bucket and the factor
//! rank autocorrelation at period `h`.

use rayon::prelude::*;
use serde::Serialize;

use super::error::{check_shape, AnalysisError};
use super::ic::{IcEngine, IcScratch};
use super::ic_scan::IcSeries;
use super::liquidity::AdvPercentiles;
use super::quantile::{qcut_sorted, QuantileAccumulator};
use super::stats::IcStats;
use super::turnover::{nan_mean, quantile_turnover, rank_autocorrelation};

/// Options of factor analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisConfig {
    /// Number of equal-count buckets per day (alphalens `quantiles`, 5 by default).
    pub quantiles: usize,
    /// Periods per year, for the annualized ICIR (252 for daily bars).
    pub periods_per_year: f64,
}

impl Default for AnalysisConfig {
    fn default() -> Self {
        Self {
            quantiles: 5,
            periods_per_year: 252.0,
        }
    }
}

/// The analysis of one factor at one horizon.
#[derive(Debug, Clone, Serialize)]
pub struct HorizonAnalysis {
    /// Forward-return horizon in periods.
    pub horizon: usize,
    /// Daily Pearson IC (`NaN` where undefined), one per date of the grid.
    pub ic: Vec<f64>,
    /// Daily Spearman rank IC.
    pub rank_ic: Vec<f64>,
    /// Statistics of `ic`.
    pub ic_stats: IcStats,
    /// Statistics of `rank_ic`.
    pub rank_ic_stats: IcStats,
    /// Per bucket (1..=q): mean over dates of the bucket's mean forward return.
    pub quantile_mean: Vec<f64>,
    /// The same, demeaned by each day's mean forward return (alphalens' default).
    pub quantile_mean_demeaned: Vec<f64>,
    /// Daily mean return of the top bucket minus the bottom bucket.
    pub spread: Vec<f64>,
    /// Mean of `spread`.
    pub spread_mean: f64,
    /// Per bucket: mean quantile turnover at period `horizon`.
    pub turnover_by_quantile: Vec<f64>,
    /// Daily turnover of the top bucket.
    pub turnover_top: Vec<f64>,
    /// Daily turnover of the bottom bucket.
    pub turnover_bottom: Vec<f64>,
    /// Mean turnover of the traded (top and bottom) buckets.
    pub turnover: f64,
    /// Daily factor rank autocorrelation at period `horizon`.
    pub rank_autocorr: Vec<f64>,
    /// Mean of `rank_autocorr`.
    pub rank_autocorr_mean: f64,
}

/// The analysis of one factor at every horizon.
#[derive(Debug, Clone, Serialize)]
pub struct FactorAnalysis {
    /// One entry per horizon, in the order of the forward returns.
    pub horizons: Vec<HorizonAnalysis>,
    /// Observations used (finite factor value with forward returns at every horizon).
    pub n_obs: usize,
    /// Dates whose buckets could be formed (edges unique).
    pub bucketed_days: usize,
    /// Mean ADV percentile of the names in the top and bottom buckets (when volume was given).
    pub liquidity: Option<f64>,
}

/// Analyses one factor (column-major by asset, `a * n_dates + t`, `NaN` missing).
pub fn analyze(
    engine: &IcEngine<'_>,
    factor: &[f64],
    cfg: &AnalysisConfig,
    adv: Option<&AdvPercentiles>,
) -> Result<FactorAnalysis, AnalysisError> {
    analyze_named("factor", engine, factor, cfg, adv)
}

/// [`analyze`] with a name used in error messages.
pub fn analyze_named(
    name: &str,
    engine: &IcEngine<'_>,
    factor: &[f64],
    cfg: &AnalysisConfig,
    adv: Option<&AdvPercentiles>,
) -> Result<FactorAnalysis, AnalysisError> {
    let fwd = engine.forward_returns();
    let (nd, na, q) = (fwd.n_dates(), fwd.n_assets(), cfg.quantiles);
    check_shape(&format!("factor `{name}`"), factor, nd, na)?;
    if !(2..=250).contains(&q) {
        return Err(AnalysisError::Quantiles(q));
    }
    let n_h = fwd.horizons().len();
    let mut ic = vec![vec![f64::NAN; nd]; n_h];
    let mut rank_ic = vec![vec![f64::NAN; nd]; n_h];
    let mut acc: Vec<QuantileAccumulator> =
        (0..n_h).map(|_| QuantileAccumulator::new(q, nd)).collect();
    let mut labels = vec![0u8; nd * na];
    let mut ranks = vec![f64::NAN; nd * na];
    let mut s = IcScratch::new();
    let (mut day_labels, mut rets) = (Vec::new(), Vec::new());
    let (mut edges, mut sorted_vals, mut sorted) = (Vec::new(), Vec::new(), Vec::new());
    let (mut b_sum, mut b_n) = (vec![0.0; q], vec![0usize; q]);
    let (mut n_obs, mut bucketed_days, mut liq_sum, mut liq_days) = (0, 0, 0.0, 0usize);
    engine.scan(&[factor], &mut s, |_, t, s, out| {
        for (hi, o) in out.iter().enumerate() {
            ic[hi][t] = o.ic;
            rank_ic[hi][t] = o.rank_ic;
        }
        let n = s.vals.len();
        if n == 0 {
            return;
        }
        n_obs += n;
        let assets = engine.day_assets(t);
        for k in 0..n {
            ranks[t * na + assets[s.pos[k] as usize] as usize] = s.ranks[k];
        }
        day_labels.clear();
        day_labels.resize(n, 0u8);
        sorted.clear();
        sorted.extend(s.rank.sorted(&s.vals));
        if !qcut_sorted(&sorted, q, &mut edges, &mut sorted_vals, &mut day_labels) {
            return;
        }
        bucketed_days += 1;
        for k in 0..n {
            labels[t * na + assets[s.pos[k] as usize] as usize] = day_labels[k];
        }
        for (hi, a) in acc.iter_mut().enumerate() {
            let r = fwd.day(hi, t);
            rets.clear();
            rets.extend(s.pos.iter().map(|&k| r[assets[k as usize] as usize]));
            a.add_day(t, &day_labels, &rets, &mut b_sum, &mut b_n);
        }
        if let Some(adv) = adv {
            if let Some(score) = adv.traded_score(
                t,
                (0..n).filter_map(|k| {
                    let l = day_labels[k] as usize;
                    (l == 1 || l == q).then_some(assets[s.pos[k] as usize] as usize)
                }),
            ) {
                liq_sum += score;
                liq_days += 1;
            }
        }
    });
    let horizons = fwd
        .horizons()
        .iter()
        .enumerate()
        .map(|(hi, &h)| {
            let by_q: Vec<Vec<f64>> = (1..=q)
                .map(|b| quantile_turnover(&labels, nd, na, b as u8, h))
                .collect();
            let turnover_by_quantile: Vec<f64> = by_q.iter().map(|s| nan_mean(s)).collect();
            let (quantile_mean, quantile_mean_demeaned) = acc[hi].means();
            let rank_autocorr = rank_autocorrelation(&ranks, nd, na, h);
            let spread = std::mem::take(&mut acc[hi].spread);
            HorizonAnalysis {
                horizon: h,
                ic_stats: IcStats::from_series(&ic[hi], h, cfg.periods_per_year),
                rank_ic_stats: IcStats::from_series(&rank_ic[hi], h, cfg.periods_per_year),
                ic: std::mem::take(&mut ic[hi]),
                rank_ic: std::mem::take(&mut rank_ic[hi]),
                quantile_mean,
                quantile_mean_demeaned,
                spread_mean: nan_mean(&spread),
                spread,
                turnover: (turnover_by_quantile[0] + turnover_by_quantile[q - 1]) / 2.0,
                turnover_by_quantile,
                turnover_top: by_q[q - 1].clone(),
                turnover_bottom: by_q[0].clone(),
                rank_autocorr_mean: nan_mean(&rank_autocorr),
                rank_autocorr,
            }
        })
        .collect();
    Ok(FactorAnalysis {
        horizons,
        n_obs,
        bucketed_days,
        liquidity: (liq_days > 0).then(|| liq_sum / liq_days as f64),
    })
}

/// Analyses many factors in parallel (rayon); results are in input order and do not depend
/// on the number of threads. A bad factor is an `Err` in its slot, never a failed batch.
pub fn analyze_many(
    engine: &IcEngine<'_>,
    factors: &[(&str, &[f64])],
    cfg: &AnalysisConfig,
    adv: Option<&AdvPercentiles>,
) -> Vec<Result<FactorAnalysis, AnalysisError>> {
    factors
        .par_iter()
        .map(|(name, f)| analyze_named(name, engine, f, cfg, adv))
        .collect()
}

/// Factors per screening task: they share each pass over the prepared returns.
const SCREEN_BATCH: usize = 16;
/// Fewest dates in one screening task's range.
const SCREEN_MIN_DATES: usize = 256;

/// Date ranges per batch of the screen: at least enough for about four tasks per thread and
/// at most `max_parts`, preferring a count that makes the number of equal tasks a multiple of the
/// thread count (3 batches on 2 threads: 4 ranges, 12 tasks, not 3 ranges and 9 tasks of which
/// one thread would run 5), so no thread idles at the end.
fn screen_parts(batches: usize, threads: usize, max_parts: usize) -> usize {
    let batches = batches.max(1);
    let threads = threads.max(1);
    let least = (4 * threads).div_ceil(batches).clamp(1, max_parts);
    (least..=max_parts)
        .find(|p| (batches * p).is_multiple_of(threads))
        .unwrap_or(least)
}

/// Rank-IC and IC statistics only, for many factors in parallel: `[factor][horizon] =
/// (ic_stats, rank_ic_stats)`. The fast screening path (no buckets, no turnover): each rayon
/// task takes a batch of up to 16 factors over a range of dates through
/// [`IcEngine::ic_series_dates`]. Few batches are cut into date ranges (of at least 256 dates)
/// until there are about four tasks per thread, so the batches stay large (the prepared returns
/// are read once per batch) and the threads stay busy. Every day is computed on its own, so the
/// results do not depend on the number of threads, the batching or the ranges.
pub fn ic_stats_many(
    engine: &IcEngine<'_>,
    factors: &[&[f64]],
    periods_per_year: f64,
) -> Result<Vec<Vec<(IcStats, IcStats)>>, AnalysisError> {
    let fwd = engine.forward_returns();
    let nd = fwd.n_dates();
    for (i, f) in factors.iter().enumerate() {
        check_shape(&format!("factor #{i}"), f, nd, fwd.n_assets())?;
    }
    let batches: Vec<&[&[f64]]> = factors.chunks(SCREEN_BATCH).collect();
    let parts = screen_parts(
        batches.len(),
        rayon::current_num_threads(),
        (nd / SCREEN_MIN_DATES).max(1),
    );
    let ranges: Vec<std::ops::Range<usize>> = (0..parts)
        .map(|p| p * nd / parts..(p + 1) * nd / parts)
        .collect();
    let tasks: Vec<(usize, usize)> = (0..batches.len())
        .flat_map(|b| (0..parts).map(move |p| (b, p)))
        .collect();
    let pieces: Vec<Vec<IcSeries>> = tasks
        .par_iter()
        .map_init(IcScratch::new, |s, &(b, p)| {
            engine.ic_series_dates(batches[b], ranges[p].clone(), s)
        })
        .collect();
    // join each factor's date ranges, in order
    let mut series: Vec<IcSeries> = Vec::with_capacity(factors.len());
    let mut pieces = pieces.into_iter();
    for _ in 0..batches.len() {
        let mut joined = pieces.next().unwrap_or_default();
        for piece in pieces.by_ref().take(parts - 1) {
            for ((ic, rank_ic), (pic, prank)) in joined.iter_mut().zip(piece) {
                for (a, b) in ic.iter_mut().zip(pic).chain(rank_ic.iter_mut().zip(prank)) {
                    a.extend(b);
                }
            }
        }
        series.extend(joined);
    }
    Ok(series
        .par_iter()
        .map(|(ic, rank_ic)| {
            fwd.horizons()
                .iter()
                .enumerate()
                .map(|(hi, &h)| {
                    (
                        IcStats::from_series(&ic[hi], h, periods_per_year),
                        IcStats::from_series(&rank_ic[hi], h, periods_per_year),
                    )
                })
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::super::returns::ForwardReturns;
    use super::*;

    #[test]
    fn ic_stats_many_is_bit_for_bit_the_same_on_any_thread_count() {
        let (nd, na) = (70, 45);
        let mut x = 9u64;
        let mut u = move || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let prices: Vec<f64> = (0..nd * na).map(|_| 10.0 + u()).collect();
        let fwd = ForwardReturns::from_prices(&prices, nd, na, &[1, 3, 5, 10, 15]).unwrap();
        let factors: Vec<Vec<f64>> = (0..37)
            .map(|j| {
                (0..nd * na)
                    .map(|_| match u() {
                        v if j % 3 == 0 && v < 0.1 => f64::NAN,
                        v if j % 3 == 1 => (v * 4.0).floor(),
                        v => v,
                    })
                    .collect()
            })
            .collect();
        let refs: Vec<&[f64]> = factors.iter().map(Vec::as_slice).collect();
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let engine = IcEngine::new(&fwd);
                ic_stats_many(&engine, &refs, 252.0).unwrap()
            })
        };
        let bits = |s: &[Vec<(IcStats, IcStats)>]| -> Vec<u64> {
            s.iter()
                .flatten()
                .flat_map(|(a, b)| [a.mean, a.std, a.p_value, b.mean, b.std, b.t_stat])
                .map(f64::to_bits)
                .collect()
        };
        let one = run(1);
        assert_eq!(one.len(), 37);
        assert!(one.iter().all(|f| f.len() == 5 && f[0].1.n > 0));
        assert_eq!(bits(&one), bits(&run(3)));
        assert_eq!(bits(&one), bits(&run(2)));
        // batching does not matter either: one factor at a time
        let engine = IcEngine::new(&fwd);
        let single: Vec<Vec<(IcStats, IcStats)>> = refs
            .iter()
            .map(|f| ic_stats_many(&engine, &[*f], 252.0).unwrap().remove(0))
            .collect();
        assert_eq!(bits(&one), bits(&single));
        let short = [0.0; 3];
        let e = ic_stats_many(&engine, &[&short], 252.0).unwrap_err();
        assert!(e.to_string().contains("factor #0 has 3 values"), "{e}");
    }

    #[test]
    fn screen_parts_balance_the_threads() {
        // 3 batches on 2 threads: 4 ranges make 12 tasks, 6 per thread
        assert_eq!(super::screen_parts(3, 2, 9), 4);
        // already a multiple: the least count stands
        assert_eq!(super::screen_parts(1, 2, 9), 8);
        assert_eq!(super::screen_parts(8, 2, 9), 1);
        // capped by the dates: keep the cap when no count up to it balances
        assert_eq!(super::screen_parts(3, 4, 2), 2);
        assert_eq!(super::screen_parts(5, 1, 1), 1);
        assert_eq!(super::screen_parts(0, 0, 1), 1);
    }

    #[test]
    fn date_ranges_join_into_the_whole_series_bit_for_bit() {
        // enough dates for ic_stats_many to cut each batch into date ranges on any thread count
        let (nd, na) = (2 * SCREEN_MIN_DATES + 77, 30);
        let mut x = 21u64;
        let mut u = move || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let prices: Vec<f64> = (0..nd * na).map(|_| 10.0 + u()).collect();
        let fwd = ForwardReturns::from_prices(&prices, nd, na, &[1, 5]).unwrap();
        let factors: Vec<Vec<f64>> = (0..3)
            .map(|j| {
                (0..nd * na)
                    .map(|_| match u() {
                        v if j == 1 && v < 0.05 => f64::NAN,
                        v if j == 2 => (v * 3.0).floor(),
                        v => v,
                    })
                    .collect()
            })
            .collect();
        let refs: Vec<&[f64]> = factors.iter().map(Vec::as_slice).collect();
        let engine = IcEngine::new(&fwd);
        let mut s = IcScratch::new();
        let whole = engine.ic_series_many(&refs, &mut s);
        let cut = [0, 100, 101, 400, nd];
        for (j, w) in whole.iter().enumerate() {
            for hi in 0..2 {
                let (mut ic, mut rank_ic) = (Vec::new(), Vec::new());
                for r in cut.windows(2) {
                    let piece = engine.ic_series_dates(&refs, r[0]..r[1], &mut s);
                    ic.extend(&piece[j].0[hi]);
                    rank_ic.extend(&piece[j].1[hi]);
                }
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&ic), bits(&w.0[hi]), "factor {j} h#{hi}");
                assert_eq!(bits(&rank_ic), bits(&w.1[hi]), "factor {j} h#{hi}");
            }
        }
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let stats = pool.install(|| ic_stats_many(&engine, &refs, 252.0).unwrap());
            for (j, w) in whole.iter().enumerate() {
                for (hi, &h) in fwd.horizons().iter().enumerate() {
                    let want = (
                        IcStats::from_series(&w.0[hi], h, 252.0),
                        IcStats::from_series(&w.1[hi], h, 252.0),
                    );
                    let got = &stats[j][hi];
                    for (a, b) in [(got.0.mean, want.0.mean), (got.1.t_stat, want.1.t_stat)] {
                        assert_eq!(
                            a.to_bits(),
                            b.to_bits(),
                            "factor {j} h#{hi}, {threads} threads"
                        );
                    }
                    assert_eq!(got.1.n, want.1.n);
                }
            }
        }
    }
}
