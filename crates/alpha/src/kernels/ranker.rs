//! Average ranks of one cross-section by a two-pass radix sort of quantized values, with
//! reusable buffers.
//!
//! With `n` valid (non-`NaN`) values in `[lo, hi]`, value `v` is quantized to the level
//! `q(v) = round((v − lo)·top/(hi − lo))`, one of `top + 1` levels (`top + 2` a power of two,
//! between 64·n and 128·n); `NaN` gets the level `top + 1`. Subtraction, multiplication by a positive constant and
//! rounding are monotone under IEEE arithmetic, so `q` is non-decreasing in `v`: values on a
//! lower level are strictly smaller than values on a higher one, and equal values (−0 and +0
//! included) share a level. The passes over the row:
//! 1. `lo`, `hi` and the number of valid values (four independent lanes);
//! 2. the keys `q << 32 | position`;
//! 3. both digit histograms of `q` at once (the low and the high half of its bits);
//! 4. two stable counting-sort scatters, low digit then high digit: the keys in level order;
//! 5. a walk over the sorted keys: a value alone on its level at sorted position `i` has rank
//!    `i + 1`; a run of keys sharing a level holds either equal values (ties: the mean rank of
//!    the run) or, on the rare shared level, distinct values, which are sorted apart by the
//!    recursive bucket sort of [`BucketSort`] and their ties averaged by a scan.
//!
//! With 64 or more levels per value, distinct values of a spread row share a level only a few times per
//! hundred, so the walk's one branch is nearly always predicted; every other pass is branch-free.
//! A far outlier squeezes the other values onto few levels, and the runs then fall to the bucket
//! sort, which re-buckets each over its own range. The ranks `(2·i + tie count + 1)/2/n` of a row
//! whose valid count was seen on the previous row come from a table (one load instead of a
//! conversion and a division, the same bits). Rows of fewer than `RADIX_MIN` valid values, or
//! whose range is not finite (infinities, `hi − lo` overflowing) or empty (all equal), are sorted
//! by comparison.
//!
//! The result is exactly that of a comparison sort: the same ties, the same integers
//! `2·(first sorted position) + (tie count) + 1`, halved and divided in the same order. Row
//! positions are held in 32 bits (rows of up to 2^32 − 1 values, as before).

use super::bucket_sort::BucketSort;

/// Rows with fewer valid values than this are sorted by comparison.
const RADIX_MIN: usize = 48;
/// Levels per valid value, as a power of two.
const OVERSAMPLE: u32 = 6;
/// 2^52: adding it to a float in [0, 2^52) leaves that float rounded to an integer in the low
/// mantissa bits.
const ROUND: f64 = 4_503_599_627_370_496.0;
/// Low 32 bits of a key: the row position.
const POS: u64 = 0xFFFF_FFFF;

/// An integer whose order is the order of the (non-`NaN`) float; −0 and +0 share a key.
#[inline]
pub fn order_key(v: f64) -> u64 {
    let bits = (v + 0.0).to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Reusable buffers for ranking rows of one length after another.
#[derive(Debug, Default, Clone)]
pub struct Ranker {
    /// `level << 32 | position` of every row position; sorted by level.
    keys: Vec<u64>,
    /// Scatter target of the first radix pass.
    tmp: Vec<u64>,
    /// Both digit histograms, then scatter cursors.
    hist: Vec<u32>,
    /// `(value, row position)` pairs of a shared level or of a short row, sorted by value.
    items: Vec<(f64, u32)>,
    /// Buffers of the sort of shared levels.
    sorter: BucketSort,
    /// `r / 2 / denom` for `r` in `0..=2·n + 1`, for the `(n, divide_by_count)` of `table_for`.
    table: Vec<f64>,
    /// The valid count and the divide flag `table` was made for.
    table_for: Option<(usize, bool)>,
}

impl Ranker {
    /// Empty buffers; they grow to the longest row seen and are reused.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces every non-`NaN` value of `row` by its average rank among them (1-based; ties
    /// get the mean of the ranks they span; −0 ties with +0), divided by their number `n` when
    /// `divide_by_count`; `NaN` stays `NaN`. Returns `n`.
    pub fn rank_in_place(&mut self, row: &mut [f64], divide_by_count: bool) -> usize {
        let (lo, hi, n) = range_and_count(row);
        let denom = if divide_by_count { n as f64 } else { 1.0 };
        let bits = (usize::BITS - n.leading_zeros() + OVERSAMPLE).clamp(8, 30);
        let top = (1u32 << bits) - 2; // valid levels 0..=top, NaN on top + 1
        let scale = f64::from(top) / (hi - lo);
        if n < RADIX_MIN || !(lo.is_finite() && hi.is_finite() && scale.is_finite()) {
            self.rank_by_sort(row, n, denom);
            return n;
        }
        if self.table_for != Some((n, divide_by_count)) {
            self.table.clear();
            self.table
                .extend((0..2 * n + 2).map(|r| r as f64 / 2.0 / denom));
            self.table_for = Some((n, divide_by_count));
        }
        self.sort_keys(row, lo, scale, top, bits);
        self.walk(row, n, denom);
        n
    }

    /// Passes 2 to 4: the keys of `row`, sorted by level into `self.keys`.
    fn sort_keys(&mut self, row: &[f64], lo: f64, scale: f64, top: u32, bits: u32) {
        let len = row.len();
        // one key more: the sentinel ending the walk's last run
        self.keys.resize(len + 1, 0);
        self.keys[len] = u64::MAX;
        self.tmp.resize(len, 0);
        let keys = &mut self.keys[..len];
        for (i, (k, &v)) in keys.iter_mut().zip(row).enumerate() {
            // (v − lo)·scale ∈ [0, top + ε]; adding 2^52 rounds it to an integer held in the low
            // mantissa bits. Every step is monotone, so the level is non-decreasing in v.
            let q = (((v - lo) * scale + ROUND).to_bits() as u32).min(top);
            let q = if v.is_nan() { top + 1 } else { q };
            *k = (u64::from(q) << 32) | i as u64;
        }
        let low_bits = bits.div_ceil(2);
        let (n0, n1) = (1usize << low_bits, 1usize << (bits - low_bits));
        let low_mask = (n0 - 1) as u64;
        let high_shift = 32 + low_bits;
        self.hist.clear();
        self.hist.resize(n0 + n1, 0);
        let (h0, h1) = self.hist.split_at_mut(n0);
        for &k in keys.iter() {
            h0[((k >> 32) & low_mask) as usize] += 1;
            h1[(k >> high_shift) as usize] += 1;
        }
        exclusive_prefix(h0);
        exclusive_prefix(h1);
        let tmp = &mut self.tmp[..len];
        for &k in keys.iter() {
            let slot = &mut h0[((k >> 32) & low_mask) as usize];
            tmp[*slot as usize] = k;
            *slot += 1;
        }
        for &k in tmp.iter() {
            let slot = &mut h1[(k >> high_shift) as usize];
            keys[*slot as usize] = k;
            *slot += 1;
        }
    }

    /// Pass 5: ranks from the sorted keys (the first `n` are the valid values; `keys[n]` is a
    /// `NaN` key or the sentinel, on a level of its own).
    fn walk(&mut self, row: &mut [f64], n: usize, denom: f64) {
        let sorted = &self.keys[..=n];
        let table = &self.table[..2 * n + 2];
        let mut i = 0;
        while i < n {
            let (key, level) = (sorted[i], sorted[i] >> 32);
            if sorted[i + 1] >> 32 != level {
                // alone on its level: sorted position i, rank i + 1 = (2·i + 1 + 1)/2
                row[(key & POS) as usize] = table[2 * i + 2];
                i += 1;
                continue;
            }
            let mut j = i + 2;
            while sorted[j] >> 32 == level {
                j += 1;
            }
            let run = &sorted[i..j];
            let first = row[(key & POS) as usize];
            if run.iter().all(|&k| row[(k & POS) as usize] == first) {
                // ties: sorted positions i..j share the mean of ranks i+1 ..= j
                let avg = table[i + 1 + j];
                for &k in run {
                    row[(k & POS) as usize] = avg;
                }
            } else {
                self.items.clear();
                self.items.extend(
                    run.iter()
                        .map(|&k| (row[(k & POS) as usize], (k & POS) as u32)),
                );
                self.sorter.sort_pairs(&mut self.items);
                assign_average_ranks(&self.items, i, denom, row);
            }
            i = j;
        }
    }

    /// Short rows: the valid `(value, position)` pairs sorted by comparison.
    fn rank_by_sort(&mut self, row: &mut [f64], n: usize, denom: f64) {
        self.items.clear();
        for (i, &v) in row.iter().enumerate() {
            if !v.is_nan() {
                self.items.push((v, i as u32));
            }
        }
        debug_assert_eq!(self.items.len(), n);
        self.items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        assign_average_ranks(&self.items, 0, denom, row);
    }
}

/// Histogram counts → starts.
fn exclusive_prefix(h: &mut [u32]) {
    let mut start = 0;
    for c in h.iter_mut() {
        let count = *c;
        *c = start;
        start += count;
    }
}

/// Smallest and largest non-`NaN` value of `row` and their number (`lo` = +∞, `hi` = −∞ if none).
fn range_and_count(row: &[f64]) -> (f64, f64, usize) {
    const W: usize = 4;
    // the valid counts are floats (exact below 2^53) to share the vector lanes of lo and hi
    let (mut lo, mut hi, mut valid) = ([f64::INFINITY; W], [f64::NEG_INFINITY; W], [0.0; W]);
    let mut chunks = row.chunks_exact(W);
    for c in &mut chunks {
        for l in 0..W {
            // comparisons with NaN are false: NaN never becomes lo or hi, nor counts
            lo[l] = if c[l] < lo[l] { c[l] } else { lo[l] };
            hi[l] = if c[l] > hi[l] { c[l] } else { hi[l] };
            valid[l] += if c[l].is_nan() { 0.0 } else { 1.0 };
        }
    }
    for &v in chunks.remainder() {
        lo[0] = if v < lo[0] { v } else { lo[0] };
        hi[0] = if v > hi[0] { v } else { hi[0] };
        valid[0] += if v.is_nan() { 0.0 } else { 1.0 };
    }
    let lo = lo
        .iter()
        .fold(f64::INFINITY, |a, &b| if b < a { b } else { a });
    let hi = hi
        .iter()
        .fold(f64::NEG_INFINITY, |a, &b| if b > a { b } else { a });
    (lo, hi, valid.iter().sum::<f64>() as usize)
}

/// Writes into `row` the average rank of every pair of `sorted` (sorted by value; the first is
/// at overall sorted position `offset`), divided by `denom`: runs of equal values share the mean
/// of the 1-based ranks they span.
fn assign_average_ranks(sorted: &[(f64, u32)], offset: usize, denom: f64, row: &mut [f64]) {
    let mut i = 0;
    while i < sorted.len() {
        let v = sorted[i].0;
        let mut j = i + 1;
        while j < sorted.len() && sorted[j].0 == v {
            j += 1;
        }
        // sorted positions offset+i .. offset+j (0-based) share the mean of ranks +1 ..= +j
        let avg = (2 * offset + i + 1 + j) as f64 / 2.0 / denom;
        for &(_, p) in &sorted[i..j] {
            row[p as usize] = avg;
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Average ranks by counting: rank = #less + (#equal + 1) / 2.
    fn counted(row: &[f64]) -> Vec<f64> {
        row.iter()
            .map(|&v| {
                if v.is_nan() {
                    return f64::NAN;
                }
                let less = row.iter().filter(|&&w| w < v).count() as f64;
                let equal = row.iter().filter(|&&w| w == v).count() as f64;
                less + (equal + 1.0) / 2.0
            })
            .collect()
    }

    /// Ranks `row` both ways and compares bit for bit (`NaN` with `NaN`).
    fn check(ranker: &mut Ranker, row: &[f64]) {
        let want = counted(row);
        let valid = row.iter().filter(|v| !v.is_nan()).count();
        let mut got = row.to_vec();
        assert_eq!(ranker.rank_in_place(&mut got, false), valid);
        let mut pct = row.to_vec();
        ranker.rank_in_place(&mut pct, true);
        for (k, w) in want.iter().enumerate() {
            let p = w / valid as f64;
            assert!(
                got[k].to_bits() == w.to_bits() && pct[k].to_bits() == p.to_bits(),
                "n={} k={k}: {} / {} vs {w} / {p}",
                row.len(),
                got[k],
                pct[k]
            );
        }
    }

    fn lcg(seed: u64) -> impl FnMut() -> f64 {
        let mut s = seed;
        move || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        }
    }

    #[test]
    fn mixed_rows_rank_exactly_at_every_length() {
        let mut next = lcg(5);
        let mut ranker = Ranker::new();
        for n in [0, 1, 2, 5, 47, 48, 49, 63, 64, 65, 500, 1200] {
            let row: Vec<f64> = (0..n)
                .map(|k| match k % 9 {
                    0 => 1.0 + next() * 1e-13, // distinct values sharing one level
                    1 => -0.0,
                    2 => 0.0,
                    3 => next() * 1e300,
                    4 => (next() * 10.0).round(),
                    5 => f64::NAN,
                    6 => 1e6 + (next() * 100.0).round(),
                    _ => next(),
                })
                .collect();
            check(&mut ranker, &row);
        }
    }

    #[test]
    fn spread_rows_and_small_tie_groups() {
        let mut next = lcg(17);
        let mut ranker = Ranker::new();
        for n in [48, 100, 500, 4000] {
            let row: Vec<f64> = (0..n).map(|_| next()).collect();
            check(&mut ranker, &row);
            // pairs and triples of ties, both signs of zero, a NaN
            let mut row: Vec<f64> = (0..n).map(|_| (next() * 200.0).round() / 7.0).collect();
            row[3] = -0.0;
            row[n / 2] = f64::NAN;
            check(&mut ranker, &row);
        }
    }

    #[test]
    fn far_outlier_all_equal_and_degenerate_rows() {
        let mut next = lcg(3);
        let mut ranker = Ranker::new();
        // one far outlier squeezes every other value onto a few shared levels
        let mut row: Vec<f64> = (0..500).map(|_| next()).collect();
        row[77] = 1e12;
        check(&mut ranker, &row);
        // all equal, and only zeros of both signs
        check(&mut ranker, &[2.5; 100]);
        let zeros: Vec<f64> = (0..90)
            .map(|k| if k % 3 == 0 { -0.0 } else { 0.0 })
            .collect();
        check(&mut ranker, &zeros);
        // a range too wide for f64 (max − min overflows), and infinities
        let mut row: Vec<f64> = (0..100).map(|k| k as f64 - 50.0).collect();
        row[3] = f64::MAX;
        row[70] = f64::MIN;
        check(&mut ranker, &row);
        row[4] = f64::INFINITY;
        row[5] = f64::NEG_INFINITY;
        check(&mut ranker, &row);
        // few distinct values: every level a run of ties
        let ties: Vec<f64> = (0..600).map(|_| (next() * 10.0).floor()).collect();
        check(&mut ranker, &ties);
        // all NaN, and a single valid value among NaN
        let mut row = vec![f64::NAN; 70];
        assert_eq!(ranker.rank_in_place(&mut row, true), 0);
        assert!(row.iter().all(|r| r.is_nan()));
        row[9] = -4.0;
        assert_eq!(ranker.rank_in_place(&mut row, true), 1);
        assert_eq!(row[9], 1.0);
        assert_eq!(row.iter().filter(|r| r.is_nan()).count(), 69);
        let mut empty: [f64; 0] = [];
        assert_eq!(ranker.rank_in_place(&mut empty, true), 0);
    }

    #[test]
    fn order_keys_sort_like_floats() {
        let vals = [3.5, -0.0, -2.0, 1e-300, f64::MAX, -1e300, 0.0, 2.0];
        let mut idx: Vec<usize> = (0..vals.len()).collect();
        idx.sort_unstable_by_key(|&i| order_key(vals[i]));
        for w in idx.windows(2) {
            assert!(vals[w[0]] <= vals[w[1]]);
        }
        assert_eq!(order_key(-0.0), order_key(0.0));
    }
}
