//! Cross-sectional kernels: average ranks with ties, Pearson correlation, date-major transposes.
//!
//! Ranks follow `scipy.stats.rankdata(method="average")` and pandas' `rank()`: 1-based, tied
//! values share the mean of the ranks they span. Every kernel works on one day's cross-section
//! and reuses caller-owned buffers so the hot loops never allocate.

/// Reusable buffers for ranking one cross-section.
#[derive(Debug, Default, Clone)]
pub struct RankBuf {
    /// `(order key, position)`; the key is an integer that sorts like the value.
    order: Vec<(u64, u32)>,
    /// Radix-sort scratch: f32 keys and two index buffers.
    key32: Vec<u32>,
    idx_a: Vec<u32>,
    idx_b: Vec<u32>,
}

/// Below this size a comparison sort is faster than the radix pass.
const RADIX_MIN: usize = 64;

impl RankBuf {
    /// Fills `order` with `(key, position)` sorted by key. Large inputs: LSD radix sort (4 passes
    /// of 8 bits) on the value rounded to `f32` — rounding is monotone, so the result is sorted
    /// up to runs of values that share an `f32`, which one insertion pass on the exact keys
    /// fixes (linear unless many values collide in `f32`).
    fn sort(&mut self, values: &[f64]) {
        let n = values.len();
        self.order.clear();
        if n < RADIX_MIN {
            self.order.extend(
                values
                    .iter()
                    .enumerate()
                    .map(|(k, &v)| (order_key(v), k as u32)),
            );
            self.order.sort_unstable_by_key(|p| p.0);
            return;
        }
        self.key32.clear();
        self.key32.extend(values.iter().map(|&v| f32_key(v)));
        let mut counts = [[0u32; 256]; 4];
        for &k in &self.key32 {
            for (p, c) in counts.iter_mut().enumerate() {
                c[((k >> (8 * p)) & 0xff) as usize] += 1;
            }
        }
        self.idx_a.clear();
        self.idx_a.extend(0..n as u32);
        self.idx_b.clear();
        self.idx_b.resize(n, 0);
        for (p, c) in counts.iter().enumerate() {
            if c.iter().any(|&x| x as usize == n) {
                continue; // every key has the same byte here
            }
            let mut pos = [0u32; 256];
            let mut acc = 0;
            for d in 0..256 {
                pos[d] = acc;
                acc += c[d];
            }
            for &i in &self.idx_a {
                let d = ((self.key32[i as usize] >> (8 * p)) & 0xff) as usize;
                self.idx_b[pos[d] as usize] = i;
                pos[d] += 1;
            }
            std::mem::swap(&mut self.idx_a, &mut self.idx_b);
        }
        self.order.extend(
            self.idx_a
                .iter()
                .map(|&i| (order_key(values[i as usize]), i)),
        );
        for j in 1..n {
            let x = self.order[j];
            let mut k = j;
            while k > 0 && self.order[k - 1].0 > x.0 {
                self.order[k] = self.order[k - 1];
                k -= 1;
            }
            self.order[k] = x;
        }
    }
}

/// An order-preserving `u32` of `v` rounded to `f32` (monotone: `a ≤ b ⇒ key(a) ≤ key(b)`).
fn f32_key(v: f64) -> u32 {
    let bits = ((v + 0.0) as f32).to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | (1 << 31)
    }
}

/// An integer with the order of the finite `f64` `v` (`-0.0` and `0.0` map to the same key, so
/// they tie as in scipy); [`key_to_f64`] inverts it.
fn order_key(v: f64) -> u64 {
    let bits = (v + 0.0).to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The value of an [`order_key`].
fn key_to_f64(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

impl RankBuf {
    /// Empty buffers; they grow to the largest cross-section seen.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes into `out[k]` the average rank (1-based) of `values[k]` among `values`.
    /// `values` must hold finite numbers only; `out` is resized to `values.len()`.
    pub fn average_ranks(&mut self, values: &[f64], out: &mut Vec<f64>) {
        let n = values.len();
        out.clear();
        out.resize(n, 0.0);
        self.sort(values);
        let mut i = 0;
        while i < n {
            let mut j = i + 1;
            while j < n && self.order[j].0 == self.order[i].0 {
                j += 1;
            }
            // positions i..j (0-based) share ranks i+1..=j, whose mean is (i + j + 1) / 2
            let rank = (i + j + 1) as f64 / 2.0;
            for item in &self.order[i..j] {
                out[item.1 as usize] = rank;
            }
            i = j;
        }
    }

    /// The `(value, position)` pairs of the last [`Self::average_ranks`] call, sorted by value.
    pub fn sorted(&self) -> impl Iterator<Item = (f64, u32)> + '_ {
        self.order.iter().map(|&(k, i)| (key_to_f64(k), i))
    }
}

/// Pearson correlation of two equally long slices; `NaN` when fewer than 2 points or when
/// either side has zero variance (scipy returns `NaN` with a warning in both cases).
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n < 2 {
        return f64::NAN;
    }
    let nf = n as f64;
    let mx = x[..n].iter().sum::<f64>() / nf;
    let my = y[..n].iter().sum::<f64>() / nf;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for k in 0..n {
        let dx = x[k] - mx;
        let dy = y[k] - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return f64::NAN;
    }
    (sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0)
}

/// Pearson correlation over the pairs where both values are finite (pandas' pairwise-complete
/// `corr`); `NaN` below 2 pairs.
pub fn pearson_pairwise(x: &[f64], y: &[f64]) -> f64 {
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for (a, b) in x.iter().zip(y) {
        if a.is_finite() && b.is_finite() {
            xs.push(*a);
            ys.push(*b);
        }
    }
    pearson(&xs, &ys)
}

/// Spearman rank correlation of two equally long slices of finite values: Pearson of their
/// average ranks (scipy's `spearmanr`).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let mut buf = RankBuf::new();
    let (mut rx, mut ry) = (Vec::new(), Vec::new());
    buf.average_ranks(x, &mut rx);
    buf.average_ranks(y, &mut ry);
    pearson(&rx, &ry)
}

/// Transposes a column-major-by-asset matrix (`a * n_dates + t`) into date-major
/// (`t * n_assets + a`), so one day's cross-section is contiguous.
pub fn to_date_major(values: &[f64], n_dates: usize, n_assets: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; n_dates * n_assets];
    for a in 0..n_assets {
        let col = &values[a * n_dates..(a + 1) * n_dates];
        for (t, v) in col.iter().enumerate() {
            out[t * n_assets + a] = *v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties_like_scipy() {
        // scipy.stats.rankdata([3, 1, 4, 1, 5]) = [3, 1.5, 4, 1.5, 5]
        let mut buf = RankBuf::new();
        let mut out = Vec::new();
        buf.average_ranks(&[3.0, 1.0, 4.0, 1.0, 5.0], &mut out);
        assert_eq!(out, vec![3.0, 1.5, 4.0, 1.5, 5.0]);
        buf.average_ranks(&[2.0, 2.0, 2.0], &mut out);
        assert_eq!(out, vec![2.0, 2.0, 2.0]);
        buf.average_ranks(&[-0.0, 0.0, -1e-300, f64::MAX, f64::MIN], &mut out);
        assert_eq!(out, vec![3.5, 3.5, 2.0, 5.0, 1.0]);
        let sorted: Vec<f64> = buf.sorted().map(|p| p.0).collect();
        assert_eq!(sorted[0], f64::MIN);
        assert_eq!(sorted[4], f64::MAX);
        assert_eq!(sorted[1], -1e-300);
    }

    #[test]
    fn radix_path_sorts_exactly_like_a_comparison_sort() {
        // values that collide in f32 but differ in f64, ties, signed zeros, wide magnitudes
        let mut x: u64 = 7;
        let mut values = Vec::new();
        for k in 0..700 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (x >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            values.push(match k % 7 {
                0 => 1.0 + u * 1e-12,
                1 => -0.0,
                2 => 0.0,
                3 => u * 1e30,
                4 => (u * 10.0).round(),
                _ => u,
            });
        }
        let mut buf = RankBuf::new();
        let mut fast = Vec::new();
        buf.average_ranks(&values, &mut fast);
        let sorted: Vec<f64> = buf.sorted().map(|p| p.0).collect();
        assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
        // naive O(n²) average ranks
        for (i, &v) in values.iter().enumerate() {
            let less = values.iter().filter(|&&w| w < v).count() as f64;
            let equal = values.iter().filter(|&&w| w == v).count() as f64;
            assert_eq!(fast[i], less + (equal + 1.0) / 2.0, "value {v}");
        }
    }

    #[test]
    fn pearson_and_spearman_by_hand() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert!((pearson(&x, &[2.0, 4.0, 6.0, 8.0]) - 1.0).abs() < 1e-15);
        assert!((pearson(&x, &[8.0, 6.0, 4.0, 2.0]) + 1.0).abs() < 1e-15);
        // monotone but non-linear: Spearman 1, Pearson below 1
        let y = [1.0, 10.0, 100.0, 1000.0];
        assert!((spearman(&x, &y) - 1.0).abs() < 1e-15);
        assert!(pearson(&x, &y) < 0.99);
        assert!(pearson(&x, &[1.0, 1.0, 1.0, 1.0]).is_nan());
        assert!(pearson(&[1.0], &[2.0]).is_nan());
        assert!(
            (pearson_pairwise(&[1.0, f64::NAN, 3.0, 4.0], &[1.0, 5.0, 3.0, 4.0]) - 1.0).abs()
                < 1e-15
        );
    }

    #[test]
    fn transpose_round_trip() {
        // 3 dates × 2 assets, column-major by asset
        let v = [1.0, 2.0, 3.0, 10.0, 20.0, 30.0];
        assert_eq!(
            to_date_major(&v, 3, 2),
            vec![1.0, 10.0, 2.0, 20.0, 3.0, 30.0]
        );
    }
}
