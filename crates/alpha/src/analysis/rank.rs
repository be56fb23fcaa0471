//! Cross-sectional kernels: average ranks with ties, Pearson correlation, date-major transposes.
//!
//! Ranks follow `scipy.stats.rankdata(method="average")` and pandas' `rank()`: 1-based, tied
//! values share the mean of the ranks they span. Every kernel works on one day's cross-section
//! and reuses caller-owned buffers so the hot loops never allocate; the sort is [`ValueSort`].

use super::sort::{min_max, ValueSort};

/// Reusable buffers for ranking one cross-section.
#[derive(Debug, Default, Clone)]
pub struct RankBuf {
    sorter: ValueSort,
}

impl RankBuf {
    /// Empty buffers; they grow to the largest cross-section seen.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes into `out[k]` the average rank (1-based) of `values[k]` among `values`.
    /// `values` must hold finite numbers only; `out` is resized to `values.len()`.
    pub fn average_ranks(&mut self, values: &[f64], out: &mut Vec<f64>) {
        self.average_ranks_ties(values, out);
    }

    /// [`Self::average_ranks`], returning the tie term `Σ (t³ − t)` over the runs of `t` equal
    /// values. With it, the ranks' sum of squared deviations is exactly
    /// `Σ (rank − (n + 1)/2)² = (n³ − n − Σ (t³ − t)) / 12`, zero exactly when all values are
    /// equal.
    pub fn average_ranks_ties(&mut self, values: &[f64], out: &mut Vec<f64>) -> u128 {
        let (lo, hi) = min_max(values);
        self.average_ranks_in_range(values, lo, hi, out)
    }

    /// [`Self::average_ranks_ties`] when the caller knows the smallest (`lo`) and largest
    /// (`hi`) value (see [`ValueSort::sort_in_range`]).
    pub fn average_ranks_in_range(
        &mut self,
        values: &[f64],
        lo: f64,
        hi: f64,
        out: &mut Vec<f64>,
    ) -> u128 {
        let n = values.len();
        // every entry is overwritten below: keep the old ones instead of zeroing
        out.truncate(n);
        out.resize(n, 0.0);
        // ranks as if there were no ties, then the runs of equal values (if any) get their mean
        self.sorter.sort_ranked(values, lo, hi, out);
        let order = self.sorter.order();
        if !self.sorter.ties() {
            return 0;
        }
        let (mut ties, mut i) = (0u128, 0);
        while i < n {
            let v = values[order[i] as usize];
            let mut j = i + 1;
            while j < n && values[order[j] as usize] == v {
                j += 1;
            }
            if j > i + 1 {
                // positions i..j (0-based) share ranks i+1..=j, whose mean is (i + j + 1) / 2
                let avg = (i + j + 1) as f64 * 0.5;
                for &k in &order[i..j] {
                    out[k as usize] = avg;
                }
                let t = (j - i) as u128;
                ties += t * t * t - t;
            }
            i = j;
        }
        ties
    }

    /// The positions of the last [`Self::average_ranks`] call's values, in ascending order.
    pub fn order(&self) -> &[u32] {
        self.sorter.order()
    }

    /// The `(value, position)` pairs of the last [`Self::average_ranks`] call, sorted by value;
    /// `values` are the values of that call.
    pub fn sorted<'s>(&'s self, values: &'s [f64]) -> impl Iterator<Item = (f64, u32)> + 's {
        self.sorter
            .order()
            .iter()
            .map(move |&k| (values[k as usize], k))
    }
}

/// `Σ (rank − (n + 1)/2)²` of `n` average ranks with tie term `ties` (see
/// [`RankBuf::average_ranks_ties`]); exact while `n³` fits the `f64` mantissa (`n` < 200,000).
pub fn rank_sum_squares(n: usize, ties: u128) -> f64 {
    let n = n as u128;
    (n * n * n - n - ties) as f64 / 12.0
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
        let v = [-0.0, 0.0, -1e-300, f64::MAX, f64::MIN];
        let sorted: Vec<f64> = buf.sorted(&v).map(|p| p.0).collect();
        assert_eq!(sorted[0], f64::MIN);
        assert_eq!(sorted[4], f64::MAX);
        assert_eq!(sorted[1], -1e-300);
    }

    #[test]
    fn bucket_path_ranks_exactly_like_a_comparison_sort() {
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
        let ties = buf.average_ranks_ties(&values, &mut fast);
        let sorted: Vec<f64> = buf.sorted(&values).map(|p| p.0).collect();
        assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
        // naive O(n²) average ranks
        for (i, &v) in values.iter().enumerate() {
            let less = values.iter().filter(|&&w| w < v).count() as f64;
            let equal = values.iter().filter(|&&w| w == v).count() as f64;
            assert_eq!(fast[i], less + (equal + 1.0) / 2.0, "value {v}");
        }
        let mid = (values.len() as f64 + 1.0) / 2.0;
        let ss: f64 = fast.iter().map(|r| (r - mid) * (r - mid)).sum();
        assert_eq!(rank_sum_squares(values.len(), ties), ss);
        assert_eq!(
            buf.average_ranks_ties(&[4.0; 30], &mut fast),
            30 * 30 * 30 - 30
        );
        assert_eq!(rank_sum_squares(30, 30 * 30 * 30 - 30), 0.0);
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
