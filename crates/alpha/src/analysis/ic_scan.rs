//! Driving [`IcEngine::day`] over whole factors: blocked transposes and many factors per pass.
//!
//! Factors arrive column-major by asset (`a * n_dates + t`), so one day's cross-section strides
//! by `n_dates`. The scan copies [`BLOCK`] dates of a factor at a time into a date-major buffer,
//! [`TILE`] assets at a time (that many sequential read streams, one contiguous run of the
//! buffer written per date), and runs the days of the block from there. With several factors,
//! the dates are cut into superblocks of [`SUPER`] dates, the outer loop: within one, each
//! factor's blocks follow each other, so the few hundred pages of that factor under the
//! superblock are read on, while the prepared returns of those dates (tens of kilobytes a day)
//! are read from memory once and reused from cache by every factor, instead of streaming all of
//! them again per factor. Each factor's arithmetic is the same whatever the blocking or the
//! thread, so results are bit-for-bit reproducible.
//!
//! The screening path ([`IcEngine::ic_series_many`]) sends each day through
//! [`IcEngine::day_screen`]: the fused kernel of [`super::ic_fast`] when it applies, else
//! [`IcEngine::day`], with the same results.

use std::ops::Range;

use super::ic::{DayIc, IcEngine, IcScratch};
use super::ic_fast::scan_day;

/// Dates per transposed block.
pub(crate) const BLOCK: usize = 32;
/// Dates per superblock (a multiple of [`BLOCK`]).
const SUPER: usize = 64;
/// Assets per transposed tile.
const TILE: usize = 8;

/// `(ic[h][t], rank_ic[h][t])` of one factor.
pub type IcSeries = (Vec<Vec<f64>>, Vec<Vec<f64>>);

/// Copies dates `t0..t0 + len` of `f` (column-major, `nd` dates × `na` assets) into `block`,
/// date-major (`d * na + a`).
fn transpose_block(f: &[f64], nd: usize, na: usize, t0: usize, len: usize, block: &mut [f64]) {
    let col = |a: usize| &f[a * nd + t0..a * nd + t0 + len];
    let mut a = 0;
    while a + TILE <= na {
        let cols: [&[f64]; TILE] = std::array::from_fn(|q| col(a + q));
        for (d, row) in block.chunks_exact_mut(na).take(len).enumerate() {
            for (x, c) in row[a..a + TILE].iter_mut().zip(&cols) {
                *x = c[d];
            }
        }
        a += TILE;
    }
    for a in a..na {
        for (d, &v) in col(a).iter().enumerate() {
            block[d * na + a] = v;
        }
    }
}

impl IcEngine<'_> {
    /// Calls `day(j, t, row)` for every factor `j` and date `t`, `row` holding factor `j`'s
    /// values of date `t` (one per asset), superblock by superblock (see the module notes).
    ///
    /// # Panics
    /// If a factor does not hold `n_dates × n_assets` values (callers check the shapes).
    fn drive(
        &self,
        factors: &[&[f64]],
        dates: Range<usize>,
        block: &mut Vec<f64>,
        mut day: impl FnMut(usize, usize, &[f64]),
    ) {
        let fwd = self.forward_returns();
        let (nd, na) = (fwd.n_dates(), fwd.n_assets());
        for (j, f) in factors.iter().enumerate() {
            assert_eq!(f.len(), nd * na, "factor #{j}: shape");
        }
        block.clear();
        block.resize(BLOCK * na, f64::NAN);
        let end = dates.end.min(nd);
        for s0 in (dates.start..end).step_by(SUPER) {
            let s1 = (s0 + SUPER).min(end);
            for (j, f) in factors.iter().enumerate() {
                for t0 in (s0..s1).step_by(BLOCK) {
                    let len = BLOCK.min(s1 - t0);
                    transpose_block(f, nd, na, t0, len, block);
                    for (d, row) in block.chunks_exact(na.max(1)).take(len).enumerate() {
                        day(j, t0 + d, row);
                    }
                }
            }
        }
    }

    /// Computes every factor's IC date by date and calls `visit(j, t, scratch, ics)` right after
    /// factor `j`'s date `t` ([`Self::day`] describes what `scratch` then holds).
    ///
    /// # Panics
    /// If a factor does not hold `n_dates × n_assets` values (callers check the shapes).
    pub(crate) fn scan(
        &self,
        factors: &[&[f64]],
        scratch: &mut IcScratch,
        mut visit: impl FnMut(usize, usize, &IcScratch, &[DayIc]),
    ) {
        let mut block = std::mem::take(&mut scratch.block);
        let mut out = vec![DayIc::NAN; self.forward_returns().horizons().len()];
        let nd = self.forward_returns().n_dates();
        self.drive(factors, 0..nd, &mut block, |j, t, row| {
            self.day(t, row, scratch, &mut out);
            visit(j, t, scratch, &out);
        });
        scratch.block = block;
    }

    /// [`Self::day`] without its side outputs in `scratch`: the same IC and rank IC, through the
    /// fused kernel of [`super::ic_fast`] when every usable asset has a finite value and there
    /// are at most four horizons.
    pub fn day_screen(
        &self,
        t: usize,
        factor_day: &[f64],
        scratch: &mut IcScratch,
        out: &mut [DayIc],
    ) {
        let prep = &self.days[t];
        let done = if prep.assets.len() == factor_day.len() {
            scratch
                .fast
                .day(prep, factor_day, scan_day(factor_day), out)
        } else {
            let vals = &mut scratch.vals;
            vals.clear();
            vals.extend(prep.assets.iter().map(|&a| factor_day[a as usize]));
            scratch.fast.day(prep, vals, scan_day(vals), out)
        };
        if !done {
            self.day(t, factor_day, scratch, out);
        }
    }

    /// Daily IC and rank IC of a factor (column-major by asset, like the prices), per horizon:
    /// `(ic[h][t], rank_ic[h][t])`.
    ///
    /// # Panics
    /// If `factor` does not hold `n_dates × n_assets` values.
    pub fn ic_series(&self, factor: &[f64], scratch: &mut IcScratch) -> IcSeries {
        self.ic_series_many(&[factor], scratch)
            .pop()
            .unwrap_or_default()
    }

    /// [`Self::ic_series`] of several factors in one pass over the dates (faster than one call
    /// per factor: the prepared returns are read once per block of dates). Same results.
    ///
    /// # Panics
    /// If a factor does not hold `n_dates × n_assets` values.
    pub fn ic_series_many(&self, factors: &[&[f64]], scratch: &mut IcScratch) -> Vec<IcSeries> {
        self.ic_series_dates(factors, 0..self.forward_returns().n_dates(), scratch)
    }

    /// [`Self::ic_series_many`] over the dates `dates` only: the series hold `dates.len()`
    /// entries, entry `i` for date `dates.start + i`. Every day is computed on its own, so
    /// splitting the dates into ranges and joining the pieces gives the whole series bit for bit.
    ///
    /// # Panics
    /// If a factor does not hold `n_dates × n_assets` values or `dates` ends past `n_dates`.
    pub fn ic_series_dates(
        &self,
        factors: &[&[f64]],
        dates: Range<usize>,
        scratch: &mut IcScratch,
    ) -> Vec<IcSeries> {
        let fwd = self.forward_returns();
        assert!(dates.end <= fwd.n_dates(), "dates {dates:?} past the panel");
        let (len, n_h, t0) = (dates.len(), fwd.horizons().len(), dates.start);
        let mut series: Vec<IcSeries> = factors
            .iter()
            .map(|_| {
                (
                    vec![vec![f64::NAN; len]; n_h],
                    vec![vec![f64::NAN; len]; n_h],
                )
            })
            .collect();
        let mut block = std::mem::take(&mut scratch.block);
        let mut out = vec![DayIc::NAN; n_h];
        self.drive(factors, dates, &mut block, |j, t, row| {
            self.day_screen(t, row, scratch, &mut out);
            let (ic, rank_ic) = &mut series[j];
            for (hi, o) in out.iter().enumerate() {
                ic[hi][t - t0] = o.ic;
                rank_ic[hi][t - t0] = o.rank_ic;
            }
        });
        scratch.block = block;
        series
    }
}

#[cfg(test)]
mod tests {
    use super::super::rank::{pearson, spearman};
    use super::super::returns::ForwardReturns;
    use super::*;

    /// A deterministic panel with ties, gaps in prices and factors, and 6 horizons (two lane
    /// groups, the second half empty).
    fn panel(nd: usize, na: usize, seed: u64) -> (ForwardReturns, Vec<Vec<f64>>) {
        let mut x = seed;
        let mut u = move || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut prices = vec![0.0; nd * na];
        for a in 0..na {
            let mut p = 50.0;
            for t in 0..nd {
                // prices on a 1-cent grid: forward returns tie now and then
                p = ((p * (1.0 + 0.04 * (u() - 0.5))) * 100.0).round() / 100.0;
                prices[a * nd + t] = if u() < 0.03 { f64::NAN } else { p };
            }
        }
        let fwd = ForwardReturns::from_prices(&prices, nd, na, &[1, 2, 3, 5, 8, 13]).unwrap();
        let factors = (0..3)
            .map(|kind| {
                (0..nd * na)
                    .map(|_| {
                        let v = u();
                        match kind {
                            0 => v - 0.5,
                            1 => (v * 5.0).floor(), // heavy ties
                            _ if v < 0.2 => f64::NAN,
                            _ => (v * 40.0).exp(), // gaps, heavy tail
                        }
                    })
                    .collect()
            })
            .collect();
        (fwd, factors)
    }

    #[test]
    fn every_day_and_horizon_matches_naive_pearson_and_spearman() {
        let (nd, na) = (45, 60);
        let (fwd, factors) = panel(nd, na, 11);
        let engine = IcEngine::new(&fwd);
        let refs: Vec<&[f64]> = factors.iter().map(Vec::as_slice).collect();
        let many = engine.ic_series_many(&refs, &mut IcScratch::new());
        for (j, f) in factors.iter().enumerate() {
            let (ic, ric) = &many[j];
            for (hi, _) in fwd.horizons().iter().enumerate() {
                for t in 0..nd {
                    let (mut xs, mut ys) = (Vec::new(), Vec::new());
                    for a in 0..na {
                        if f[a * nd + t].is_finite() && fwd.usable(t, a) {
                            xs.push(f[a * nd + t]);
                            ys.push(fwd.day(hi, t)[a]);
                        }
                    }
                    let (want_ic, want_ric) = (pearson(&xs, &ys), spearman(&xs, &ys));
                    let what = format!("factor {j} h#{hi} t{t}");
                    assert_eq!(ic[hi][t].is_nan(), want_ic.is_nan(), "{what}");
                    assert_eq!(ric[hi][t].is_nan(), want_ric.is_nan(), "{what}");
                    if want_ic.is_finite() {
                        assert!((ic[hi][t] - want_ic).abs() < 1e-12, "{what}");
                        assert!((ric[hi][t] - want_ric).abs() < 1e-12, "{what}");
                    }
                }
            }
        }
    }

    #[test]
    fn batch_equals_one_by_one_bit_for_bit() {
        let (nd, na) = (BLOCK * 3 + 5, 40);
        let (fwd, factors) = panel(nd, na, 5);
        let engine = IcEngine::new(&fwd);
        let refs: Vec<&[f64]> = factors.iter().map(Vec::as_slice).collect();
        let mut s = IcScratch::new();
        let many = engine.ic_series_many(&refs, &mut s);
        for (j, f) in factors.iter().enumerate() {
            let one = engine.ic_series(f, &mut s);
            for hi in 0..fwd.horizons().len() {
                for t in 0..nd {
                    assert_eq!(one.0[hi][t].to_bits(), many[j].0[hi][t].to_bits());
                    assert_eq!(one.1[hi][t].to_bits(), many[j].1[hi][t].to_bits());
                }
            }
        }
    }
}
