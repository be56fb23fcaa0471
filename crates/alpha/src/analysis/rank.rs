//! Cross-sectional kernels: average ranks with ties, Pearson correlation, date-major transposes.
//!
//! Ranks follow `scipy.stats.rankdata(method="average")` and pandas' `rank()`: 1-based, tied
//! values share the mean of the ranks they span. Every kernel works on one day's cross-section
//! and reuses caller-owned buffers so the hot loops never allocate.

/// Reusable buffers for ranking one cross-section.
#[derive(Debug, Default, Clone)]
pub struct RankBuf {
    order: Vec<(f64, u32)>,
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
        self.order.clear();
        self.order
            .extend(values.iter().enumerate().map(|(k, &v)| (v, k as u32)));
        self.order
            .sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
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

    /// The `(value, position)` pairs of the last [`Self::average_ranks`] call, sorted by value
    /// (ties by position).
    pub fn sorted(&self) -> &[(f64, u32)] {
        &self.order
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
