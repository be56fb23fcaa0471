//! Exact sort of `(value, position)` pairs by value: recursive bucket passes over the value range,
//! finished by a comparison sort. [`super::ranker::Ranker`] sorts with it the distinct values its
//! radix pass leaves on one level (values squeezed together by a far outlier).
//!
//! One pass cuts `[min, max]` of the slice into as many equal-width buckets as it has values,
//! counts and scatters the pairs into them; a bucket that still holds [`REBUCKET_MIN`] values or
//! more is bucketed again over its own range, up to [`MAX_DEPTH`] levels, after which — and for
//! every small bucket — `total_cmp` finishes. The bucket index `⌊(v − min)·n/(max − min)⌋` is a
//! non-decreasing function of `v` under IEEE rounding, so the final order is that of a comparison
//! sort of the whole slice (−0 and +0 share a bucket, where `total_cmp` puts −0 first).

/// Buckets holding at least this many values are bucketed again.
pub const REBUCKET_MIN: usize = 12;
/// Levels of re-bucketing of a crowded bucket before falling back to a comparison sort.
pub const MAX_DEPTH: usize = 3;

/// Reusable buffers of [`BucketSort::sort_pairs`].
#[derive(Debug, Default, Clone)]
pub struct BucketSort {
    /// Scatter target of the bucket passes.
    tmp: Vec<(f64, u32)>,
    /// Bucket of every item of the current pass.
    ids: Vec<u32>,
    /// Bucket counts, then bucket ends, one buffer per level.
    counts: [Vec<u32>; MAX_DEPTH],
}

impl BucketSort {
    /// Sorts `items` (no `NaN`) by value, in place.
    pub fn sort_pairs(&mut self, items: &mut [(f64, u32)]) {
        let n = items.len();
        if n < REBUCKET_MIN {
            items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
            return;
        }
        self.tmp.resize(n, (0.0, 0));
        self.ids.resize(n, 0);
        sort_values(
            items,
            &mut self.tmp[..n],
            &mut self.ids[..n],
            &mut self.counts,
        );
    }
}

/// Sorts `items` (no `NaN`) by value: a bucket pass over the value range, then each bucket
/// recursively (`tmp` and `ids` are as long as `items`; `counts[0]` serves this level, the rest
/// deeper ones).
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
    let scale = n as f64 / (hi - lo);
    if lo == hi || !(scale.is_finite() && scale > 0.0) {
        // all equal (only −0 / +0 can differ) or a range too wide for f64
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

    #[test]
    fn sorts_like_total_cmp_on_crowded_and_wide_ranges() {
        let mut s: u64 = 9;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let mut sorter = BucketSort::default();
        for n in [0, 1, 11, 12, 300, 2000] {
            let mut items: Vec<(f64, u32)> = (0..n)
                .map(|k| {
                    let v = match k % 6 {
                        0 => 1.0 + next() * 1e-13, // one crowded bucket, three levels deep
                        1 => (next() * 4.0).round(),
                        2 => -0.0,
                        3 => 0.0,
                        4 => next() * 1e300,
                        _ => next(),
                    };
                    (v, k as u32)
                })
                .collect();
            if n == 300 {
                items[5].0 = f64::MAX; // max − min overflows: comparison sort
                items[6].0 = f64::MIN;
            }
            let mut want = items.clone();
            want.sort_by(|a, b| a.0.total_cmp(&b.0));
            sorter.sort_pairs(&mut items);
            let got: Vec<u64> = items.iter().map(|p| p.0.to_bits()).collect();
            let exp: Vec<u64> = want.iter().map(|p| p.0.to_bits()).collect();
            assert_eq!(got, exp, "n={n}");
        }
    }
}
