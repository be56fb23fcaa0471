//! Average ranks of one cross-section by LSD radix sort, with reusable buffers.
//!
//! Each valid (non-`NaN`) value gets an integer *order key* that sorts like the float (−0 and +0
//! share one). A radix sort orders the values by the top 40 bits of their keys, one byte per
//! pass; a pass whose byte is the same for every value (typically the sign and exponent bytes)
//! is skipped. Values that share their top 40 bits but differ below them (a relative gap under
//! about 2⁻²⁸) are put in order by one insertion pass on the full keys, so the final order, and
//! hence every rank and every tie, is exactly that of a comparison sort. Short rows use a
//! comparison sort directly.
//!
//! Cost per row: one pass to build keys and byte histograms, one scatter per non-uniform byte
//! (3–5 on real data) and the insertion pass — O(n) against the O(n log n) comparisons, each a
//! mispredicted branch, of a comparison sort.

/// Rows shorter than this are sorted by comparison.
const RADIX_MIN: usize = 64;
/// Key bits below this are left to the insertion pass; the slot index lives there while sorting.
const SLOT_BITS: u32 = 24;
/// Bytes of the key sorted by radix passes (bits `SLOT_BITS..64`).
const PASSES: usize = (64 - SLOT_BITS as usize) / 8;

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
    /// Order key of every valid value, by slot (the k-th valid value of the row).
    keys: Vec<u64>,
    /// Row position of every slot.
    pos: Vec<u32>,
    /// Radix buffers: `(key & !slot_mask) | slot`.
    a: Vec<u64>,
    b: Vec<u64>,
}

impl Ranker {
    /// Empty buffers; they grow to the longest row seen and are reused.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces every non-`NaN` value of `row` by its average rank among them (1-based; ties
    /// get the mean of the ranks they span) divided by `divide_by_count ? n : 1`, where `n` is
    /// the number of valid values; `NaN` stays `NaN`. Returns `n`.
    pub fn rank_in_place(&mut self, row: &mut [f64], divide_by_count: bool) -> usize {
        self.keys.clear();
        self.pos.clear();
        for (i, &v) in row.iter().enumerate() {
            if !v.is_nan() {
                self.keys.push(order_key(v));
                self.pos.push(i as u32);
            }
        }
        let n = self.keys.len();
        self.sort();
        let scale = if divide_by_count { n as f64 } else { 1.0 };
        let mask = (1u64 << SLOT_BITS) - 1;
        let order = &self.a;
        let mut i = 0;
        while i < n {
            let key = self.keys[(order[i] & mask) as usize];
            let mut j = i + 1;
            while j < n && self.keys[(order[j] & mask) as usize] == key {
                j += 1;
            }
            // sorted positions i..j (0-based) share the average of ranks i+1..=j
            let avg = (i + 1 + j) as f64 / 2.0 / scale;
            for &s in &order[i..j] {
                row[self.pos[(s & mask) as usize] as usize] = avg;
            }
            i = j;
        }
        n
    }

    /// Leaves in `self.a` the slots `0..n` (low `SLOT_BITS` bits) in ascending key order.
    fn sort(&mut self) {
        let n = self.keys.len();
        let mask = (1u64 << SLOT_BITS) - 1;
        self.a.clear();
        if n < RADIX_MIN || n > mask as usize {
            let keys = &self.keys;
            self.a.extend(0..n as u64);
            self.a.sort_unstable_by_key(|&s| keys[s as usize]);
            return;
        }
        let mut counts = [[0u32; 256]; PASSES];
        for (s, &k) in self.keys.iter().enumerate() {
            let packed = (k & !mask) | s as u64;
            self.a.push(packed);
            for (p, c) in counts.iter_mut().enumerate() {
                c[((packed >> (SLOT_BITS as usize + 8 * p)) & 0xff) as usize] += 1;
            }
        }
        self.b.clear();
        self.b.resize(n, 0);
        for (p, c) in counts.iter().enumerate() {
            if c.iter().any(|&x| x as usize == n) {
                continue; // every value has the same byte here
            }
            let mut next = [0u32; 256];
            let mut acc = 0;
            for (nx, &cnt) in next.iter_mut().zip(c.iter()) {
                *nx = acc;
                acc += cnt;
            }
            let shift = SLOT_BITS as usize + 8 * p;
            for &v in &self.a {
                let digit = ((v >> shift) & 0xff) as usize;
                self.b[next[digit] as usize] = v;
                next[digit] += 1;
            }
            std::mem::swap(&mut self.a, &mut self.b);
        }
        // values equal in the sorted bits but not below them: one insertion pass on full keys
        let keys = &self.keys;
        let full = |v: u64| keys[(v & mask) as usize];
        for i in 1..n {
            let v = self.a[i];
            let k = full(v);
            let mut j = i;
            while j > 0 && full(self.a[j - 1]) > k {
                self.a[j] = self.a[j - 1];
                j -= 1;
            }
            self.a[j] = v;
        }
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
    fn radix_and_comparison_paths_rank_exactly() {
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
                    // collide in the top 40 bits but differ below
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
