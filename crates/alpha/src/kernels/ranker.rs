//! Average ranks of one cross-section by a bucket sort on the values, with reusable buffers.
//!
//! The range between the row's smallest and largest valid (non-`NaN`) value is cut into as many
//! equal-width buckets as there are values; the values are counted and scattered into their
//! buckets in one pass each, and a bucket that still holds many values (values crowded by a far
//! outlier) is bucketed again over its own range, up to three levels, after which —
//! and for every small bucket — a comparison sort finishes. The bucket index
//! `⌊(v − min)·n/(max − min)⌋` is a non-decreasing function of `v` under IEEE rounding, so the
//! final order, and hence every rank and every tie (−0 ties with +0), is exactly that of a
//! comparison sort of the whole row.
//!
//! Cost per row: O(n) for the counts and the scatter plus about one value per bucket on spread
//! data, against the O(n log n) comparisons (each a likely mispredicted branch) of a comparison
//! sort, which remains the worst case.

/// Rows shorter than this are sorted by comparison.
const BUCKET_MIN: usize = 48;
/// Buckets holding at least this many values are bucketed again.
const REBUCKET_MIN: usize = 12;
/// Levels of re-bucketing of a crowded bucket before falling back to a comparison sort.
const MAX_DEPTH: usize = 3;

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
    /// `(value, row position)` of every valid value; sorted by value in place.
    items: Vec<(f64, u32)>,
    /// Scatter target of the bucket passes.
    tmp: Vec<(f64, u32)>,
    /// Bucket of every item of the current pass.
    ids: Vec<u32>,
    /// Bucket counts, then bucket ends, one buffer per level.
    counts: [Vec<u32>; MAX_DEPTH],
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
        self.items.clear();
        for (i, &v) in row.iter().enumerate() {
            if !v.is_nan() {
                self.items.push((v, i as u32));
            }
        }
        let n = self.items.len();
        if n < BUCKET_MIN {
            self.items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        } else {
            self.tmp.resize(n, (0.0, 0));
            self.ids.resize(n, 0);
            sort_values(
                &mut self.items,
                &mut self.tmp,
                &mut self.ids,
                &mut self.counts,
            );
        }
        let scale = if divide_by_count { n as f64 } else { 1.0 };
        let sorted = &self.items;
        let mut i = 0;
        while i < n {
            let v = sorted[i].0;
            let mut j = i + 1;
            while j < n && sorted[j].0 == v {
                j += 1;
            }
            // sorted positions i..j (0-based) share the average of ranks i+1..=j
            let avg = (i + 1 + j) as f64 / 2.0 / scale;
            for &(_, p) in &sorted[i..j] {
                row[p as usize] = avg;
            }
            i = j;
        }
        n
    }
}

/// Sorts `items` (no `NaN`) by value: a bucket pass over the value range, then each bucket
/// recursively (`tmp` and `ids` are as long as `items`; `counts[0]` serves this level, the rest
/// deeper ones). −0 and +0 fall in one bucket, where `total_cmp` puts −0 first.
fn sort_values(
    items: &mut [(f64, u32)],
    tmp: &mut [(f64, u32)],
    ids: &mut [u32],
    counts: &mut [Vec<u32>],
) {
    let n = items.len();
    let Some((level, deeper)) = counts.split_first_mut() else {
        items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        return;
    };
    if n < REBUCKET_MIN {
        items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        return;
    }
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &(v, _) in items.iter() {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo == hi {
        items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0)); // only −0 / +0 can differ
        return;
    }
    let scale = n as f64 / (hi - lo);
    if !(scale.is_finite() && scale > 0.0) {
        items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        return;
    }
    let last = (n - 1) as u32;
    level.clear();
    level.resize(n + 1, 0);
    for (id, &(v, _)) in ids.iter_mut().zip(items.iter()) {
        // non-decreasing in v: (v − lo) ≥ 0, rounding and the cast are monotone
        *id = (((v - lo) * scale) as u32).min(last);
        level[*id as usize + 1] += 1;
    }
    for b in 1..=n {
        level[b] += level[b - 1];
    }
    // level[b] is now where bucket b starts; after the scatter, where it ends
    for (&id, &item) in ids.iter().zip(items.iter()) {
        let slot = &mut level[id as usize];
        tmp[*slot as usize] = item;
        *slot += 1;
    }
    items.copy_from_slice(tmp);
    let mut start = 0;
    for &end in &level[..n] {
        let end = end as usize;
        match end - start {
            0 | 1 => {}
            2 => {
                if items[start].0.total_cmp(&items[start + 1].0).is_gt() {
                    items.swap(start, start + 1);
                }
            }
            _ => sort_values(
                &mut items[start..end],
                &mut tmp[start..end],
                &mut ids[start..end],
                deeper,
            ),
        }
        start = end;
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

    #[test]
    fn bucket_and_comparison_paths_rank_exactly() {
        let mut s: u64 = 5;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let mut ranker = Ranker::new();
        for n in [1, 5, 63, 64, 65, 500, 1200] {
            let row: Vec<f64> = (0..n)
                .map(|k| match k % 9 {
                    // crowd one bucket, differing only in low bits
                    0 => 1.0 + next() * 1e-13,
                    1 => -0.0,
                    2 => 0.0,
                    3 => next() * 1e300,
                    4 => (next() * 10.0).round(),
                    5 => f64::NAN,
                    6 => 1e6 + (next() * 100.0).round(),
                    _ => next(),
                })
                .collect();
            let want = counted(&row);
            let mut got = row.clone();
            let valid = ranker.rank_in_place(&mut got, false);
            assert_eq!(valid, row.iter().filter(|v| !v.is_nan()).count());
            for (k, (g, w)) in got.iter().zip(&want).enumerate() {
                assert!(
                    g == w || (g.is_nan() && w.is_nan()),
                    "n={n} k={k}: {g} vs {w}"
                );
            }
            let mut pct = row.clone();
            ranker.rank_in_place(&mut pct, true);
            assert_eq!(pct[7 % n.max(1)], want[7 % n.max(1)] / valid as f64);
        }
    }

    #[test]
    fn all_equal_and_all_nan_rows() {
        let mut ranker = Ranker::new();
        let mut row = vec![2.5; 100];
        assert_eq!(ranker.rank_in_place(&mut row, true), 100);
        assert!(row.iter().all(|&r| r == 50.5 / 100.0));
        // a range too wide for f64 (max − min overflows): comparison sort
        let mut row: Vec<f64> = (0..100).map(|k| k as f64 - 50.0).collect();
        row[3] = f64::MAX;
        row[70] = f64::MIN;
        let want = counted(&row);
        ranker.rank_in_place(&mut row, false);
        assert_eq!(row, want);
        let mut row = vec![f64::NAN; 70];
        assert_eq!(ranker.rank_in_place(&mut row, true), 0);
        assert!(row.iter().all(|r| r.is_nan()));
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
