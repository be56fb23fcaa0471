//! Sorting one day's cross-section: the order of a few hundred finite values, in linear time.
//!
//! Each value gets a 16-bit key by linear interpolation over the day's range,
//!
//! ```text
//! key(x) = round((x − lo) · (2¹⁶ − 1) / (hi − lo))
//! ```
//!
//! Subtraction, multiplication by a positive constant and rounding are monotone under IEEE
//! arithmetic, so `x ≤ y ⇒ key(x) ≤ key(y)`. A stable LSD radix sort (two passes of 8 bits over
//! `key << 16 | position` words, no comparisons, no unpredictable branches) orders the values by
//! key; then only runs of equal keys can be out of order, and they are rare: two of 500 values
//! spread over 65,536 keys seldom collide. One pass finds those runs and sorts each exactly — by
//! insertion when short, by the standard library's pattern-defeating quicksort when long — so
//! clumped data (an outlier stretching the range, heavy ties) degrades to `O(n log n)`, never
//! worse. Exactly equal values always share a key, so the same pass also tells whether the input
//! holds ties. Cross-sections above 65,536 values are sorted by quicksort.
//!
//! The result is sorted under `<` on finite floats (`-0.0` equals `0.0`); the order inside runs
//! of equal values is unspecified but deterministic.

use std::cmp::Ordering;

/// Inputs up to this size are sorted by insertion directly.
const SMALL: usize = 24;
/// Runs of equal keys up to this size are sorted by insertion, longer ones by quicksort.
const INSERTION_MAX: usize = 16;
/// Distinct keys of the radix sort (16 bits), and the largest input it takes.
const KEYS: usize = 1 << 16;
/// `2⁵²`: adding it to a float in `[0, 2³¹)` leaves the nearest integer in the low mantissa bits.
const ROUND: f64 = 4_503_599_627_370_496.0;

/// Reusable buffers for sorting cross-sections; they grow to the largest input seen.
#[derive(Debug, Default, Clone)]
pub struct ValueSort {
    /// Positions into the last input, in ascending order of value.
    order: Vec<u32>,
    /// Whether two values of the last input are equal.
    ties: bool,
    /// Radix sort words `key << 16 | position`, and the buffer of the first pass.
    words: Vec<u32>,
    spare: Vec<u32>,
}

impl ValueSort {
    /// Empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sorts the positions `0..values.len()` by value and returns them. `values` must be
    /// finite (the callers filter `NaN` out first).
    pub fn sort(&mut self, values: &[f64]) -> &[u32] {
        let (lo, hi) = min_max(values);
        self.sort_in_range(values, lo, hi)
    }

    /// [`Self::sort`] when the caller already knows the smallest (`lo`) and largest (`hi`)
    /// value — a one-pass gather can track them for free. Wrong bounds give a wrong order.
    pub fn sort_in_range(&mut self, values: &[f64], lo: f64, hi: f64) -> &[u32] {
        self.sort_impl(values, lo, hi, &mut []);
        &self.order
    }

    /// [`Self::sort_in_range`] that also writes `ranks[k]` = 1 + the place of `values[k]` in the
    /// order (ties not averaged; the radix pass writes them as it places each value).
    /// `ranks` must hold `values.len()` entries.
    pub fn sort_ranked(&mut self, values: &[f64], lo: f64, hi: f64, ranks: &mut [f64]) {
        self.sort_impl(values, lo, hi, ranks);
    }

    /// The sort; `ranks` is empty when not wanted.
    fn sort_impl(&mut self, values: &[f64], lo: f64, hi: f64, ranks: &mut [f64]) {
        let n = values.len();
        let span = hi - lo;
        if n <= SMALL || n > KEYS || lo == hi || !span.is_finite() {
            // small, very wide, all equal (already sorted), or a range beyond f64
            self.order.clear();
            self.order.extend(0..n as u32);
            self.ties = if lo == hi {
                n > 1
            } else {
                sort_exact(&mut self.order, values)
            };
            write_ranks(&self.order, 0, ranks);
            return;
        }
        self.radix(values, lo, (KEYS - 1) as f64 / span, ranks);
        // only runs of equal keys can be out of order: sort each exactly
        self.ties = false;
        let mut i = 0;
        while let Some(at) = self.words[i..]
            .windows(2)
            .position(|w| (w[0] ^ w[1]) >> 16 == 0)
        {
            let start = i + at;
            let key = self.words[start] >> 16;
            let len = self.words[start..]
                .iter()
                .position(|&w| w >> 16 != key)
                .unwrap_or(n - start);
            let run = &mut self.order[start..start + len];
            self.ties |= sort_exact(run, values);
            write_ranks(run, start, ranks);
            i = start + len;
        }
    }

    /// Leaves in `words` the words `key << 16 | position` sorted by key (stable: LSD radix, two
    /// passes of 8 bits, `key = round((v − lo) · scale)`), in `order` their positions and in
    /// `ranks` (unless empty) their places + 1. Needs `n ≤ KEYS`.
    fn radix(&mut self, values: &[f64], lo: f64, scale: f64, ranks: &mut [f64]) {
        let n = values.len();
        let top = (KEYS - 1) as u32;
        let mut hist = [[0u32; 256]; 2];
        self.spare.clear();
        self.spare.resize(n, 0);
        for ((w, &v), k) in self.spare.iter_mut().zip(values).zip(0u32..) {
            let key = (((v - lo) * scale + ROUND).to_bits() as u32).min(top);
            *w = key << 16 | k;
            hist[0][(key & 0xff) as usize] += 1;
            hist[1][(key >> 8) as usize] += 1;
        }
        for h in hist.iter_mut() {
            let mut acc = 0;
            for c in h.iter_mut() {
                (*c, acc) = (acc, acc + *c);
            }
        }
        self.words.clear();
        self.words.resize(n, 0);
        for &w in &self.spare {
            let slot = &mut hist[0][(w >> 16 & 0xff) as usize];
            self.words[*slot as usize] = w;
            *slot += 1;
        }
        std::mem::swap(&mut self.words, &mut self.spare);
        self.order.clear();
        self.order.resize(n, 0);
        let place = |slot: u32| f64::from(slot + 1);
        for &w in &self.spare {
            let slot = &mut hist[1][(w >> 24) as usize];
            self.words[*slot as usize] = w;
            self.order[*slot as usize] = w & 0xffff;
            if !ranks.is_empty() {
                ranks[(w & 0xffff) as usize] = place(*slot);
            }
            *slot += 1;
        }
    }

    /// The order computed by the last [`Self::sort`].
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// Whether the last input held two equal values.
    pub fn ties(&self) -> bool {
        self.ties
    }
}

/// `ranks[order[i]] = first + i + 1` over `order` (nothing when `ranks` is empty).
fn write_ranks(order: &[u32], first: usize, ranks: &mut [f64]) {
    if ranks.is_empty() {
        return;
    }
    for (i, &k) in order.iter().enumerate() {
        ranks[k as usize] = (first + i + 1) as f64;
    }
}

/// Smallest and largest of finite `values` (`(NaN, NaN)` when empty).
pub fn min_max(values: &[f64]) -> (f64, f64) {
    let first = values.first().copied().unwrap_or(f64::NAN);
    values.iter().fold((first, first), |(lo, hi), &v| {
        // plain comparisons: the values are finite, `f64::min` would also test for NaN
        (if v < lo { v } else { lo }, if v > hi { v } else { hi })
    })
}

/// Sorts positions by value — by insertion when few, else by quicksort — and returns whether
/// two of the values are equal.
fn sort_exact(order: &mut [u32], values: &[f64]) -> bool {
    if order.len() <= INSERTION_MAX {
        return insertion(order, values);
    }
    order.sort_unstable_by(|&a, &b| {
        values[a as usize]
            .partial_cmp(&values[b as usize])
            .unwrap_or(Ordering::Equal)
    });
    order
        .windows(2)
        .any(|w| values[w[0] as usize] == values[w[1] as usize])
}

/// Insertion sort of positions by value (stable). Returns whether two values are equal: each
/// value, once inserted, sits right after the largest value not above it, so an equal pair is
/// seen when the later one is inserted.
fn insertion(order: &mut [u32], values: &[f64]) -> bool {
    let mut ties = false;
    for j in 1..order.len() {
        let x = order[j];
        let v = values[x as usize];
        let mut k = j;
        while k > 0 && values[order[k - 1] as usize] > v {
            order[k] = order[k - 1];
            k -= 1;
        }
        order[k] = x;
        ties |= k > 0 && values[order[k - 1] as usize] == v;
    }
    ties
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: u64, n: usize) -> Vec<f64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (x >> 11) as f64 / (1u64 << 53) as f64 - 0.5
            })
            .collect()
    }

    fn check(values: &[f64]) {
        let mut s = ValueSort::new();
        let order = s.sort(values).to_vec();
        let mut seen = vec![false; values.len()];
        for &k in &order {
            assert!(!seen[k as usize], "position {k} twice");
            seen[k as usize] = true;
        }
        assert!(seen.iter().all(|&b| b), "not a permutation");
        for w in order.windows(2) {
            assert!(
                values[w[0] as usize] <= values[w[1] as usize],
                "{} before {}",
                values[w[0] as usize],
                values[w[1] as usize]
            );
        }
        let (lo, hi) = min_max(values);
        let mut ranks = vec![0.0; values.len()];
        let mut r = ValueSort::new();
        r.sort_ranked(values, lo, hi, &mut ranks);
        assert_eq!(r.order(), &order[..], "same order with ranks");
        for (i, &k) in order.iter().enumerate() {
            assert_eq!(ranks[k as usize], (i + 1) as f64, "rank of place {i}");
        }
        let mut naive = values.to_vec();
        naive.sort_by(f64::total_cmp);
        let equal = naive.windows(2).any(|w| w[0] == w[1]);
        assert_eq!(s.ties(), equal, "ties flag, n = {}", values.len());
    }

    #[test]
    fn sorts_every_shape_of_input() {
        let u = lcg(3, 900);
        check(&[]);
        check(&[1.0]);
        check(&u[..10]);
        check(&u);
        // heavy ties, signed zeros, one cluster plus outliers, f64-range extremes
        check(&u.iter().map(|v| (v * 6.0).round()).collect::<Vec<_>>());
        check(
            &u.iter()
                .map(|v| if *v > 0.0 { 0.0 } else { -0.0 })
                .collect::<Vec<_>>(),
        );
        let mut clump: Vec<f64> = u.iter().map(|v| 1.0 + v * 1e-12).collect();
        clump[5] = 1e30;
        clump[77] = -1e30;
        check(&clump);
        let mut wide = u.clone();
        wide[0] = f64::MAX;
        wide[1] = f64::MIN;
        check(&wide);
        check(&vec![2.5; 300]);
        // outliers at both ends squeeze the bulk into a few keys: long runs, quicksort
        let mut nested: Vec<f64> = u.iter().map(|v| v * 1e-3).collect();
        nested[10] = 1e6;
        nested[20] = -1e6;
        check(&nested);
        let mut deep: Vec<f64> = u.iter().map(|v| (v * 1e4).powi(9)).collect();
        deep[3] = 1e300;
        check(&deep);
        // a subnormal range: the key scale overflows, every value collides, quicksort
        check(
            &(0..40)
                .rev()
                .map(|i| f64::from(i) * 1e-320)
                .collect::<Vec<_>>(),
        );
        // above the radix sort's 65,536 positions: quicksort
        check(&lcg(8, (1 << 16) + 5));
        let mut one_tie = u.clone();
        one_tie[400] = one_tie[17];
        check(&one_tie);
        // heavy tails
        check(&u.iter().map(|v| v.powi(5) * 1e6).collect::<Vec<_>>());
        check(&u.iter().map(|v| (v * 40.0).exp()).collect::<Vec<_>>());
    }

    #[test]
    fn matches_a_comparison_sort() {
        for seed in 0..20 {
            let n = 25 + 37 * seed as usize;
            let v: Vec<f64> = lcg(seed, n).iter().map(|x| x.tan()).collect();
            let mut s = ValueSort::new();
            let fast: Vec<f64> = s.sort(&v).iter().map(|&k| v[k as usize]).collect();
            let mut slow = v.clone();
            slow.sort_by(f64::total_cmp);
            assert_eq!(fast, slow, "seed {seed}");
        }
    }
}
