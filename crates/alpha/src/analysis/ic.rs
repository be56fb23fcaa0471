//! Information coefficient engine: per-day Pearson IC and Spearman rank IC of a factor against
//! forward returns, for many factors against one set of returns.
//!
//! On date `t`, over the `n_t` assets whose factor value `f` and forward returns are present:
//!
//! ```text
//! IC_t      = corr(f_t, fwd_h,t)                 (Pearson; scipy.stats.pearsonr)
//! RankIC_t  = corr(rank(f_t), rank(fwd_h,t))     (Spearman; scipy.stats.spearmanr, what
//!                                                 alphalens' factor_information_coefficient reports)
//! ```
//!
//! ranks are 1-based averages over ties. `NaN` when `n_t < 2` or a side has no dispersion.
//! Speed: [`IcEngine::new`] centres and ranks every day's forward returns once; a factor then
//! costs one sort per day (shared by all horizons) plus dot products. When a factor misses some
//! of the day's usable assets, the returns of the remaining ones are re-ranked for that day.

use super::rank::RankBuf;
use super::returns::ForwardReturns;

/// One day's forward returns, prepared once.
#[derive(Debug, Clone)]
struct DayPrep {
    /// Usable assets of the day (forward returns at every horizon).
    assets: Vec<u32>,
    /// Per horizon: returns minus their cross-sectional mean, aligned with `assets`.
    ret_c: Vec<Vec<f64>>,
    /// Per horizon: Σ ret_c².
    ret_ss: Vec<f64>,
    /// Per horizon: average ranks minus (n + 1) / 2.
    rank_c: Vec<Vec<f64>>,
    /// Per horizon: Σ rank_c².
    rank_ss: Vec<f64>,
}

/// Forward returns prepared for fast IC: build once, evaluate many factors (in parallel).
#[derive(Debug, Clone)]
pub struct IcEngine<'a> {
    fwd: &'a ForwardReturns,
    days: Vec<DayPrep>,
}

/// Per-thread scratch buffers of [`IcEngine`] (no allocation inside the day loop).
#[derive(Debug, Default, Clone)]
pub struct IcScratch {
    pub(crate) rank: RankBuf,
    pub(crate) vals: Vec<f64>,
    pub(crate) pos: Vec<u32>,
    pub(crate) ranks: Vec<f64>,
    sub_buf: RankBuf,
    sub_ret: Vec<f64>,
    sub_rank: Vec<f64>,
}

impl IcScratch {
    /// Fresh buffers.
    pub fn new() -> Self {
        Self::default()
    }
}

/// One day's IC of one factor at every horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayIc {
    /// Pearson IC.
    pub ic: f64,
    /// Spearman rank IC.
    pub rank_ic: f64,
}

impl<'a> IcEngine<'a> {
    /// Centres and ranks every day's forward returns.
    pub fn new(fwd: &'a ForwardReturns) -> Self {
        let n_assets = fwd.n_assets();
        let mut buf = RankBuf::new();
        let mut ranks = Vec::new();
        let mut vals = Vec::with_capacity(n_assets);
        let days = (0..fwd.n_dates())
            .map(|t| {
                let usable = fwd.usable_day(t);
                let assets: Vec<u32> = (0..n_assets as u32)
                    .filter(|&a| usable[a as usize])
                    .collect();
                let mut prep = DayPrep {
                    ret_c: Vec::with_capacity(fwd.horizons().len()),
                    ret_ss: Vec::new(),
                    rank_c: Vec::new(),
                    rank_ss: Vec::new(),
                    assets,
                };
                for hi in 0..fwd.horizons().len() {
                    let day = fwd.day(hi, t);
                    vals.clear();
                    vals.extend(prep.assets.iter().map(|&a| day[a as usize]));
                    let (c, ss) = centre(&vals);
                    prep.ret_c.push(c);
                    prep.ret_ss.push(ss);
                    buf.average_ranks(&vals, &mut ranks);
                    let (c, ss) = centre(&ranks);
                    prep.rank_c.push(c);
                    prep.rank_ss.push(ss);
                }
                prep
            })
            .collect();
        Self { fwd, days }
    }

    /// The forward returns this engine was built on.
    pub fn forward_returns(&self) -> &ForwardReturns {
        self.fwd
    }

    /// The usable assets of date `t` (forward returns at every horizon).
    pub fn day_assets(&self, t: usize) -> &[u32] {
        &self.days[t].assets
    }

    /// Ranks the factor's cross-section of date `t` (`factor_day` holds one value per asset) and
    /// returns the IC at every horizon into `out`. After the call, `scratch.pos` holds the
    /// positions (into [`Self::day_assets`]) of the observations, `scratch.vals` their factor
    /// values, `scratch.ranks` their average ranks and `scratch.rank.sorted()` the factor values
    /// sorted with their index into `scratch.vals`.
    pub fn day(&self, t: usize, factor_day: &[f64], scratch: &mut IcScratch, out: &mut [DayIc]) {
        let prep = &self.days[t];
        scratch.vals.clear();
        scratch.pos.clear();
        for (k, &a) in prep.assets.iter().enumerate() {
            let v = factor_day[a as usize];
            if v.is_finite() {
                scratch.vals.push(v);
                scratch.pos.push(k as u32);
            }
        }
        let n = scratch.vals.len();
        if n < 2 {
            out.iter_mut().for_each(|o| {
                *o = DayIc {
                    ic: f64::NAN,
                    rank_ic: f64::NAN,
                }
            });
            return;
        }
        scratch
            .rank
            .average_ranks(&scratch.vals, &mut scratch.ranks);
        let (fc_mean, rk_mean) = (mean(&scratch.vals), (n as f64 + 1.0) / 2.0);
        let (mut f_ss, mut r_ss) = (0.0, 0.0);
        for k in 0..n {
            f_ss += (scratch.vals[k] - fc_mean).powi(2);
            r_ss += (scratch.ranks[k] - rk_mean).powi(2);
        }
        let full = n == prep.assets.len();
        for (hi, o) in out.iter_mut().enumerate() {
            let (mut sxy, mut rxy) = (0.0, 0.0);
            let (ret_ss, rank_ss);
            if full {
                let (rc, kc) = (&prep.ret_c[hi], &prep.rank_c[hi]);
                for k in 0..n {
                    sxy += (scratch.vals[k] - fc_mean) * rc[k];
                    rxy += (scratch.ranks[k] - rk_mean) * kc[k];
                }
                ret_ss = prep.ret_ss[hi];
                rank_ss = prep.rank_ss[hi];
            } else {
                let day = self.fwd.day(hi, t);
                scratch.sub_ret.clear();
                scratch.sub_ret.extend(
                    scratch
                        .pos
                        .iter()
                        .map(|&k| day[prep.assets[k as usize] as usize]),
                );
                scratch
                    .sub_buf
                    .average_ranks(&scratch.sub_ret, &mut scratch.sub_rank);
                let r_mean = mean(&scratch.sub_ret);
                let (mut rs, mut ks) = (0.0, 0.0);
                for k in 0..n {
                    let dr = scratch.sub_ret[k] - r_mean;
                    let dk = scratch.sub_rank[k] - rk_mean;
                    sxy += (scratch.vals[k] - fc_mean) * dr;
                    rxy += (scratch.ranks[k] - rk_mean) * dk;
                    rs += dr * dr;
                    ks += dk * dk;
                }
                ret_ss = rs;
                rank_ss = ks;
            }
            *o = DayIc {
                ic: ratio(sxy, f_ss, ret_ss),
                rank_ic: ratio(rxy, r_ss, rank_ss),
            };
        }
    }

    /// Daily rank IC and IC of a factor (column-major by asset, like the prices), per horizon:
    /// `(ic[h][t], rank_ic[h][t])`.
    pub fn ic_series(
        &self,
        factor: &[f64],
        scratch: &mut IcScratch,
    ) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let (n_dates, n_assets) = (self.fwd.n_dates(), self.fwd.n_assets());
        let n_h = self.fwd.horizons().len();
        let mut ic = vec![vec![f64::NAN; n_dates]; n_h];
        let mut rank_ic = vec![vec![f64::NAN; n_dates]; n_h];
        let mut out = vec![
            DayIc {
                ic: f64::NAN,
                rank_ic: f64::NAN
            };
            n_h
        ];
        let mut day = vec![f64::NAN; n_assets];
        for t in 0..n_dates {
            for (a, d) in day.iter_mut().enumerate() {
                *d = factor[a * n_dates + t];
            }
            self.day(t, &day, scratch, &mut out);
            for hi in 0..n_h {
                ic[hi][t] = out[hi].ic;
                rank_ic[hi][t] = out[hi].rank_ic;
            }
        }
        (ic, rank_ic)
    }
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn centre(xs: &[f64]) -> (Vec<f64>, f64) {
    if xs.is_empty() {
        return (Vec::new(), 0.0);
    }
    let m = mean(xs);
    let c: Vec<f64> = xs.iter().map(|x| x - m).collect();
    let ss = c.iter().map(|x| x * x).sum();
    (c, ss)
}

fn ratio(sxy: f64, sxx: f64, syy: f64) -> f64 {
    if sxx <= 0.0 || syy <= 0.0 {
        return f64::NAN;
    }
    (sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::super::rank::{pearson, spearman};
    use super::*;

    fn grid() -> (Vec<f64>, usize, usize) {
        // 6 dates × 4 assets of prices, column-major by asset
        let p = vec![
            10.0, 11.0, 10.5, 12.0, 12.5, 13.0, //
            20.0, 19.0, 19.5, 18.0, 18.2, 18.1, //
            30.0, 30.3, 30.9, 31.0, 30.0, 29.0, //
            40.0, 42.0, 41.0, 44.0, 45.0, 47.0,
        ];
        (p, 6, 4)
    }

    #[test]
    fn perfect_and_reversed_factor() {
        let (p, nd, na) = grid();
        let fwd = ForwardReturns::from_prices(&p, nd, na, &[1]).unwrap();
        let mut perfect = vec![f64::NAN; nd * na];
        for t in 0..nd {
            for a in 0..na {
                perfect[a * nd + t] = fwd.day(0, t)[a];
            }
        }
        let reversed: Vec<f64> = perfect.iter().map(|v| -v).collect();
        let engine = IcEngine::new(&fwd);
        let mut s = IcScratch::new();
        let (ic, ric) = engine.ic_series(&perfect, &mut s);
        let (ic_r, ric_r) = engine.ic_series(&reversed, &mut s);
        for t in 0..nd - 1 {
            assert!((ic[0][t] - 1.0).abs() < 1e-12 && (ric[0][t] - 1.0).abs() < 1e-12);
            assert!((ic_r[0][t] + 1.0).abs() < 1e-12 && (ric_r[0][t] + 1.0).abs() < 1e-12);
        }
        assert!(ic[0][nd - 1].is_nan() && ric[0][nd - 1].is_nan());
    }

    #[test]
    fn missing_factor_values_match_naive_correlation() {
        let (p, nd, na) = grid();
        let fwd = ForwardReturns::from_prices(&p, nd, na, &[1, 2]).unwrap();
        let mut f = vec![
            0.3,
            -1.0,
            2.0,
            0.5,
            0.1,
            0.0,
            1.0,
            0.2,
            f64::NAN,
            0.7,
            0.9,
            1.1,
        ];
        f.extend([
            -0.4,
            0.6,
            0.6,
            1.5,
            -2.0,
            0.3,
            2.2,
            1.0,
            0.1,
            f64::NAN,
            0.6,
            0.6,
        ]);
        let engine = IcEngine::new(&fwd);
        let (ic, ric) = engine.ic_series(&f, &mut IcScratch::new());
        for hi in 0..2 {
            for t in 0..nd - 2 {
                let (mut xs, mut ys) = (Vec::new(), Vec::new());
                for a in 0..na {
                    if f[a * nd + t].is_finite() {
                        xs.push(f[a * nd + t]);
                        ys.push(fwd.day(hi, t)[a]);
                    }
                }
                assert!(
                    (ic[hi][t] - pearson(&xs, &ys)).abs() < 1e-12,
                    "ic h{hi} t{t}"
                );
                assert!(
                    (ric[hi][t] - spearman(&xs, &ys)).abs() < 1e-12,
                    "rank ic h{hi} t{t}"
                );
            }
        }
    }
}
