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
//! ranks are 1-based averages over ties. `NaN` when `n_t < 2` or a side has no dispersion (all
//! its values equal — detected exactly, from the ties, not from a rounded variance).
//!
//! Speed: [`IcEngine::new`] prepares every day's forward returns once (in parallel over dates):
//! the usable assets, the returns and their average ranks centred on the day's means, their sums
//! of squares, and the order of the returns. Horizons are packed four to an `[f64; 4]` per asset,
//! so one factor-day costs one sort (shared by every horizon, see [`super::sort`]) and one fused
//! pass of 4-wide multiply-adds:
//!
//! ```text
//! Σ (f_k − f̄)(r_k − r̄)          with r_k − r̄ precomputed per horizon
//! Σ (R_k − (n+1)/2)(S_k − (n+1)/2) with S_k − (n+1)/2 precomputed; R = rank(f)
//! Σ (R_k − (n+1)/2)² = (n³ − n − Σ_runs (t³ − t)) / 12      (exact, from the ties)
//! ```
//!
//! When the factor misses some of the day's usable assets, the returns' means, sums of squares
//! and ranks are recomputed on the common subset — the ranks in linear time, by walking the
//! stored order of the returns and skipping the absent assets (a tie of the full day stays a
//! tie on the subset).
//!
//! The screen ([`IcEngine::ic_series_many`], [`super::ic_stats_many`]) sends each day through
//! [`IcEngine::day_screen`]: when every usable asset has a finite value and there are at most
//! four horizons, the fused kernel of `ic_fast.rs` (rank sums taken while the radix sort places
//! the values, wider vectors at run time) gives the same bits without the side outputs.

use rayon::prelude::*;

use super::ic_fast::FastBuf;
use super::ic_prep::{DayPrep, Observed, PrepBuf, SubsetBuf, LANES};
use super::rank::{rank_sum_squares, RankBuf};
use super::returns::ForwardReturns;

/// Forward returns prepared for fast IC: build once, evaluate many factors (in parallel).
#[derive(Debug, Clone)]
pub struct IcEngine<'a> {
    fwd: &'a ForwardReturns,
    /// Lane groups: `⌈horizons / LANES⌉`.
    groups: usize,
    pub(crate) days: Vec<DayPrep>,
}

/// Per-thread scratch buffers of [`IcEngine`] (no allocation inside the day loop).
#[derive(Debug, Default, Clone)]
pub struct IcScratch {
    pub(crate) rank: RankBuf,
    pub(crate) vals: Vec<f64>,
    pub(crate) pos: Vec<u32>,
    pub(crate) ranks: Vec<f64>,
    /// Date-major block of factor values (see `IcEngine::scan`).
    pub(crate) block: Vec<f64>,
    /// Partial days (some usable assets without a factor value).
    subset: SubsetBuf,
    /// The screening kernel's buffers (see `IcEngine::day_screen`).
    pub(crate) fast: FastBuf,
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

impl DayIc {
    /// Both coefficients undefined.
    pub const NAN: Self = Self {
        ic: f64::NAN,
        rank_ic: f64::NAN,
    };
}

impl<'a> IcEngine<'a> {
    /// Prepares every day's forward returns (in parallel over dates; the result does not depend
    /// on the number of threads).
    pub fn new(fwd: &'a ForwardReturns) -> Self {
        let groups = fwd.horizons().len().div_ceil(LANES);
        let days = (0..fwd.n_dates())
            .into_par_iter()
            .map_init(PrepBuf::default, |buf, t| DayPrep::new(fwd, t, groups, buf))
            .collect();
        Self { fwd, groups, days }
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
    /// writes the IC at every horizon into `out` (one entry per horizon). After the call,
    /// `scratch.pos` holds the positions (into [`Self::day_assets`]) of the observations,
    /// `scratch.vals` their factor values, `scratch.ranks` their average ranks and
    /// `scratch.rank.sorted(&scratch.vals)` the factor values sorted with their index into `scratch.vals`.
    pub fn day(&self, t: usize, factor_day: &[f64], scratch: &mut IcScratch, out: &mut [DayIc]) {
        let prep = &self.days[t];
        let n_t = prep.assets.len();
        let (vals, pos) = (&mut scratch.vals, &mut scratch.pos);
        vals.clear();
        vals.resize(n_t, 0.0);
        pos.clear();
        pos.extend(0..n_t as u32);
        let (mut lo, mut hi, mut all_finite) = (f64::INFINITY, f64::NEG_INFINITY, true);
        for (x, &a) in vals.iter_mut().zip(&prep.assets) {
            let v = factor_day[a as usize];
            *x = v;
            all_finite &= v.is_finite();
            lo = if v < lo { v } else { lo };
            hi = if v > hi { v } else { hi };
        }
        if !all_finite {
            // keep the finite values (and their positions), in order
            let mut m = 0;
            (lo, hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for k in 0..n_t {
                let v = vals[k];
                if v.is_finite() {
                    (vals[m], pos[m]) = (v, k as u32);
                    m += 1;
                    lo = if v < lo { v } else { lo };
                    hi = if v > hi { v } else { hi };
                }
            }
            vals.truncate(m);
            pos.truncate(m);
        }
        let n = scratch.vals.len();
        let ties = scratch
            .rank
            .average_ranks_in_range(&scratch.vals, lo, hi, &mut scratch.ranks);
        out.fill(DayIc::NAN);
        let f_rank_ss = rank_sum_squares(n, ties);
        if n < 2 || f_rank_ss == 0.0 {
            return; // too few observations, or a constant factor
        }
        let xm = mean(&scratch.vals);
        let f_ss = sum4(&scratch.vals, |v| (v - xm) * (v - xm));
        let mid = (n as f64 + 1.0) / 2.0;
        let (vals, ranks) = (&scratch.vals, &scratch.ranks);
        if n == n_t {
            // every usable asset present: dot products against the prepared returns
            let g_n = self.groups;
            for g in 0..g_n {
                // two accumulator sets (even and odd positions) halve the addition chains
                let mut acc = [[[0.0; LANES]; 2]; 2];
                let add = |acc: &mut [[f64; LANES]; 2],
                           x: f64,
                           r: f64,
                           rc: &[f64; LANES],
                           kc: &[f32; LANES]| {
                    let (dx, dr) = (x - xm, r - mid);
                    for l in 0..LANES {
                        acc[0][l] += dx * rc[l];
                        acc[1][l] += dr * f64::from(kc[l]);
                    }
                };
                if g_n == 1 {
                    // up to 4 horizons, the common case: contiguous pairs, no stride
                    let pairs = vals
                        .chunks_exact(2)
                        .zip(ranks.chunks_exact(2))
                        .zip(prep.ret_c.chunks_exact(2))
                        .zip(prep.rank_c.chunks_exact(2));
                    for (((x, r), rc), kc) in pairs {
                        add(&mut acc[0], x[0], r[0], &rc[0], &kc[0]);
                        add(&mut acc[1], x[1], r[1], &rc[1], &kc[1]);
                    }
                    if n % 2 == 1 {
                        let k = n - 1;
                        add(
                            &mut acc[0],
                            vals[k],
                            ranks[k],
                            &prep.ret_c[k],
                            &prep.rank_c[k],
                        );
                    }
                } else {
                    let rets = prep.ret_c.iter().skip(g).step_by(g_n);
                    let rank_c = prep.rank_c.iter().skip(g).step_by(g_n);
                    for (((&x, &r), rc), kc) in vals.iter().zip(ranks).zip(rets).zip(rank_c) {
                        add(&mut acc[0], x, r, rc, kc);
                    }
                }
                let [even, odd] = acc;
                let sxy: [f64; LANES] = std::array::from_fn(|l| even[0][l] + odd[0][l]);
                let rxy: [f64; LANES] = std::array::from_fn(|l| even[1][l] + odd[1][l]);
                for (l, o) in out.iter_mut().skip(g * LANES).take(LANES).enumerate() {
                    let hi = g * LANES + l;
                    *o = DayIc {
                        ic: ratio(sxy[l], f_ss, prep.ret_ss[hi]),
                        rank_ic: ratio(rxy[l], f_rank_ss, prep.rank_ss[hi]),
                    };
                }
            }
            return;
        }
        // some usable assets lack a factor value: the returns' side is redone on the subset
        scratch.subset.map_positions(&scratch.pos, n_t);
        let obs = Observed {
            vals,
            pos: &scratch.pos,
            ranks,
            xm,
            mid,
            f_ss,
            f_rank_ss,
        };
        for (hi, o) in out.iter_mut().enumerate() {
            *o = prep.subset_ic(hi, self.groups, &obs, &mut scratch.subset);
        }
    }
}

/// Mean of `xs`, summed in four interleaved partial sums (independent additions pipeline; the
/// order is fixed, so the result is reproducible).
pub(crate) fn mean(xs: &[f64]) -> f64 {
    sum4(xs, |x| x) / xs.len() as f64
}

/// `Σ f(x)` over `xs` in four interleaved partial sums, combined pairwise.
pub(crate) fn sum4(xs: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    let mut acc = [0.0; 4];
    let chunks = xs.chunks_exact(4);
    for (a, &x) in acc.iter_mut().zip(chunks.remainder()) {
        *a += f(x);
    }
    for c in chunks {
        for (a, &x) in acc.iter_mut().zip(c) {
            *a += f(x);
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}

pub(crate) fn ratio(sxy: f64, sxx: f64, syy: f64) -> f64 {
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
    fn constant_factor_day_is_nan_on_both_sides() {
        let (p, nd, na) = grid();
        let fwd = ForwardReturns::from_prices(&p, nd, na, &[1, 2]).unwrap();
        let engine = IcEngine::new(&fwd);
        let mut out = [DayIc::NAN; 2];
        let mut s = IcScratch::new();
        // constant on the full day and on a subset: NaN from the ties, whatever the rounding
        engine.day(0, &[0.3, 0.3, 0.3, 0.3], &mut s, &mut out);
        assert!(out.iter().all(|o| o.ic.is_nan() && o.rank_ic.is_nan()));
        engine.day(0, &[0.1, f64::NAN, 0.1, 0.1], &mut s, &mut out);
        assert!(out.iter().all(|o| o.ic.is_nan() && o.rank_ic.is_nan()));
        engine.day(0, &[0.3, f64::NAN, 0.3, 0.4], &mut s, &mut out);
        assert!(out
            .iter()
            .all(|o| o.ic.is_finite() && o.rank_ic.is_finite()));
        assert_eq!((s.vals.len(), s.pos.as_slice()), (3, &[0, 2, 3][..]));
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
