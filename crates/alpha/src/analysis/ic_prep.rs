//! One day's forward returns prepared for [`super::IcEngine`], and the IC of a factor that
//! misses some of the day's assets.
//!
//! Per date, once: the usable assets; per horizon the returns minus their cross-sectional
//! mean and their average ranks minus `(n + 1)/2`, packed four horizons to an `[f64; 4]` per
//! asset; the sums of squares `Σ (r − r̄)²` and `Σ (S − (n+1)/2)² = (n³ − n − Σ (t³ − t))/12`
//! (exact, from the runs of `t` tied returns); and the order of the returns with the starts of
//! their runs of ties, from which the ranks on any subset follow in linear time.

use super::ic::{mean, ratio, DayIc};
use super::rank::{rank_sum_squares, RankBuf};
use super::returns::ForwardReturns;

/// Horizons are processed in lanes of this many: one `[f64; LANES]` per asset and lane group.
pub(crate) const LANES: usize = 4;

/// One day's observed factor values and their statistics, as [`DayPrep::subset_ic`] needs them.
#[derive(Debug)]
pub(crate) struct Observed<'s> {
    /// Finite factor values.
    pub(crate) vals: &'s [f64],
    /// Their positions among the day's usable assets.
    pub(crate) pos: &'s [u32],
    /// Their average ranks.
    pub(crate) ranks: &'s [f64],
    /// Mean of `vals`.
    pub(crate) xm: f64,
    /// `(n + 1) / 2`.
    pub(crate) mid: f64,
    /// `Σ (v − xm)²`.
    pub(crate) f_ss: f64,
    /// `Σ (rank − mid)²`.
    pub(crate) f_rank_ss: f64,
}

/// Scratch of [`DayPrep::subset_ic`].
#[derive(Debug, Default, Clone)]
pub(crate) struct SubsetBuf {
    /// Position → index into the observations (`u32::MAX` when absent).
    slot: Vec<u32>,
    /// Observations in the order of the returns, and where a run of tied returns starts.
    order: Vec<u32>,
    run_start: Vec<bool>,
}

impl SubsetBuf {
    /// Maps each of the day's `n_t` positions to its observation (`pos` lists the observed
    /// positions in increasing order).
    pub(crate) fn map_positions(&mut self, pos: &[u32], n_t: usize) {
        self.slot.clear();
        self.slot.resize(n_t, u32::MAX);
        for (s, &k) in pos.iter().enumerate() {
            self.slot[k as usize] = s as u32;
        }
    }
}

/// One day's forward returns, prepared once.
#[derive(Debug, Clone)]
pub(crate) struct DayPrep {
    /// Usable assets of the day (forward returns at every horizon); index `k` is a *position*.
    pub(crate) assets: Vec<u32>,
    /// `[k * groups + g][l]`: return at horizon `LANES·g + l` minus the day's mean (0 in lanes
    /// past the last horizon).
    pub(crate) ret_c: Vec<[f64; LANES]>,
    /// `[k * groups + g][l]`: average rank of that return minus `(n + 1) / 2`. A multiple of ½
    /// of magnitude below `n / 2`, so `f32` holds it exactly (`n < 2²⁴`) in half the memory of
    /// `f64` — the screen reads these at random, so they had better stay in the first cache.
    pub(crate) rank_c: Vec<[f32; LANES]>,
    /// Per horizon: `Σ ret_c²` (0 when all returns are equal).
    pub(crate) ret_ss: Vec<f64>,
    /// Per horizon: `Σ rank_c²`.
    pub(crate) rank_ss: Vec<f64>,
    /// `[h * n + i]`: positions sorted by the horizon-`h` return.
    pub(crate) order: Vec<u32>,
    /// `[h * n + i]`: `order[h * n + i]` starts a run of equal returns.
    pub(crate) tie_start: Vec<bool>,
}

impl DayPrep {
    pub(crate) fn new(fwd: &ForwardReturns, t: usize, groups: usize, buf: &mut PrepBuf) -> Self {
        let usable = fwd.usable_day(t);
        let assets: Vec<u32> = (0..fwd.n_assets() as u32)
            .filter(|&a| usable[a as usize])
            .collect();
        let (n, n_h) = (assets.len(), fwd.horizons().len());
        let mid = (n as f64 + 1.0) / 2.0;
        let mut prep = Self {
            ret_c: vec![[0.0; LANES]; n * groups],
            rank_c: vec![[0.0f32; LANES]; n * groups],
            ret_ss: Vec::with_capacity(n_h),
            rank_ss: Vec::with_capacity(n_h),
            order: Vec::with_capacity(n * n_h),
            tie_start: Vec::with_capacity(n * n_h),
            assets,
        };
        for hi in 0..n_h {
            let day = fwd.day(hi, t);
            buf.vals.clear();
            buf.vals
                .extend(prep.assets.iter().map(|&a| day[a as usize]));
            let ties = buf.rank.average_ranks_ties(&buf.vals, &mut buf.ranks);
            let rank_ss = rank_sum_squares(n, ties);
            let mean = mean(&buf.vals);
            let (g, l) = (hi / LANES, hi % LANES);
            let mut ss = 0.0;
            for k in 0..n {
                let c = buf.vals[k] - mean;
                prep.ret_c[k * groups + g][l] = c;
                prep.rank_c[k * groups + g][l] = (buf.ranks[k] - mid) as f32;
                ss += c * c;
            }
            prep.ret_ss.push(if rank_ss > 0.0 { ss } else { 0.0 });
            prep.rank_ss.push(rank_ss);
            let order = buf.rank.order();
            prep.order.extend_from_slice(order);
            let vals = &buf.vals;
            prep.tie_start.extend(
                order
                    .iter()
                    .enumerate()
                    .map(|(i, &k)| i == 0 || vals[k as usize] != vals[order[i - 1] as usize]),
            );
        }
        prep
    }

    /// The IC at horizon number `hi` of a factor observed on a subset of the day's usable
    /// assets (`obs`; `sub.map_positions` called for it). The returns' mean, sum of squares and
    /// average ranks are redone on the subset — the ranks by walking the stored order of the
    /// returns and skipping absent assets (two subset values tie exactly when they tied on the
    /// full day).
    pub(crate) fn subset_ic(
        &self,
        hi: usize,
        groups: usize,
        obs: &Observed<'_>,
        sub: &mut SubsetBuf,
    ) -> DayIc {
        let (n_t, n, mid) = (self.assets.len(), obs.vals.len(), obs.mid);
        let (g, l) = (hi / LANES, hi % LANES);
        let (order, starts) = (
            &self.order[hi * n_t..(hi + 1) * n_t],
            &self.tie_start[hi * n_t..(hi + 1) * n_t],
        );
        sub.order.clear();
        sub.run_start.clear();
        let (mut run, mut last_run) = (0usize, usize::MAX);
        for (&k, &start) in order.iter().zip(starts) {
            run += usize::from(start);
            let s = sub.slot[k as usize];
            if s != u32::MAX {
                sub.order.push(s);
                sub.run_start.push(run != last_run);
                last_run = run;
            }
        }
        let (mut rxy, mut ties) = (0.0, 0u128);
        let mut i = 0;
        while i < n {
            let mut j = i + 1;
            while j < n && !sub.run_start[j] {
                j += 1;
            }
            let dk = (i + j + 1) as f64 / 2.0 - mid;
            for &s in &sub.order[i..j] {
                rxy += (obs.ranks[s as usize] - mid) * dk;
            }
            let t = (j - i) as u128;
            ties += t * t * t - t;
            i = j;
        }
        let r_rank_ss = rank_sum_squares(n, ties);
        let ret = |s: usize| self.ret_c[obs.pos[s] as usize * groups + g][l];
        let rm = (0..n).map(ret).sum::<f64>() / n as f64;
        let (mut sxy, mut r_ss) = (0.0, 0.0);
        for (s, &v) in obs.vals.iter().enumerate() {
            let dr = ret(s) - rm;
            sxy += (v - obs.xm) * dr;
            r_ss += dr * dr;
        }
        DayIc {
            ic: ratio(sxy, obs.f_ss, if r_rank_ss > 0.0 { r_ss } else { 0.0 }),
            rank_ic: ratio(rxy, obs.f_rank_ss, r_rank_ss),
        }
    }
}

/// Scratch of [`DayPrep::new`].
#[derive(Debug, Default)]
pub(crate) struct PrepBuf {
    rank: RankBuf,
    vals: Vec<f64>,
    ranks: Vec<f64>,
}
