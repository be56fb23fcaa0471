//! Per-day quantile buckets of a factor, exactly as alphalens' `quantize_factor` makes them
//! (`pd.qcut(x, q, labels=False) + 1`), and the mean forward return of each bucket.
//!
//! Bucket edges are the `k / q` quantiles (`k = 0..=q`) of the day's factor values with numpy's
//! default linear interpolation; value `x` goes to bucket `j` when `edge[j−1] < x ≤ edge[j]`, the
//! lowest edge included in bucket 1. Buckets hold equal counts up to ties. When two edges
//! coincide (heavy ties), pandas raises and alphalens drops the day's buckets; so do we (the day
//! gets no bucket, it still has an IC). The floating-point steps follow numpy 2 (`linspace`,
//! `percentile(q · 100)`, `_compute_virtual_index`, `_lerp`) so a value sitting on an edge lands
//! in the same bucket as in alphalens.

/// The `q`-quantile of `sorted` (ascending, finite, non-empty) by numpy's `method="linear"`,
/// reached as pandas does (`np.percentile(x, q * 100)`).
pub fn numpy_linear_quantile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    let q = (q * 100.0) / 100.0;
    // numpy _compute_virtual_index with alpha = beta = 1: n·q + (alpha + q·(1 − alpha − beta)) − 1
    let (alpha, beta) = (1.0_f64, 1.0_f64);
    let virtual_index = n as f64 * q + (alpha + q * (1.0 - alpha - beta)) - 1.0;
    let last = (n - 1) as f64;
    if virtual_index >= last {
        return sorted[n - 1];
    }
    if virtual_index < 0.0 {
        return sorted[0];
    }
    let lo = virtual_index.floor();
    let gamma = virtual_index - lo;
    let (a, b) = (sorted[lo as usize], sorted[lo as usize + 1]);
    let diff = b - a;
    if gamma >= 0.5 {
        b - diff * (1.0 - gamma)
    } else {
        a + diff * gamma
    }
}

/// Assigns 1-based buckets to one day's values. `sorted` holds `(value, slot)` pairs sorted by
/// value; `labels[slot]` receives the bucket. Returns `false` (labels untouched) when the
/// edges are not unique, as pandas' `qcut` raises there.
pub fn qcut_sorted(
    sorted: &[(f64, u32)],
    q: usize,
    edges: &mut Vec<f64>,
    values: &mut Vec<f64>,
    labels: &mut [u8],
) -> bool {
    if sorted.is_empty() || q == 0 {
        return false;
    }
    values.clear();
    values.extend(sorted.iter().map(|p| p.0));
    edges.clear();
    let step = 1.0 / q as f64;
    for k in 0..=q {
        let quant = if k == q { 1.0 } else { k as f64 * step };
        edges.push(numpy_linear_quantile(values, quant));
    }
    if edges.windows(2).any(|w| w[0] == w[1]) {
        return false;
    }
    let mut j = 1;
    for &(v, slot) in sorted {
        while j < q && v > edges[j] {
            j += 1;
        }
        labels[slot as usize] = j as u8;
    }
    true
}

/// Per-horizon accumulators of the mean forward return of each bucket, averaged over dates
/// (alphalens' `mean_return_by_quantile(by_date=False)`: the mean of daily bucket means).
#[derive(Debug, Clone)]
pub struct QuantileAccumulator {
    q: usize,
    sum_raw: Vec<f64>,
    sum_demeaned: Vec<f64>,
    days: Vec<usize>,
    /// Daily top-minus-bottom spread (`NaN` when a day has no buckets).
    pub spread: Vec<f64>,
}

impl QuantileAccumulator {
    /// Accumulators for `q` buckets over `n_dates` dates.
    pub fn new(q: usize, n_dates: usize) -> Self {
        Self {
            q,
            sum_raw: vec![0.0; q],
            sum_demeaned: vec![0.0; q],
            days: vec![0; q],
            spread: vec![f64::NAN; n_dates],
        }
    }

    /// Adds date `t`: `labels[k]` is the bucket (1-based) of observation `k` and `returns[k]`
    /// its forward return. `bucket_sum`/`bucket_n` are scratch of length `q`.
    pub fn add_day(
        &mut self,
        t: usize,
        labels: &[u8],
        returns: &[f64],
        bucket_sum: &mut [f64],
        bucket_n: &mut [usize],
    ) {
        bucket_sum.iter_mut().for_each(|s| *s = 0.0);
        bucket_n.iter_mut().for_each(|c| *c = 0);
        let mut total = 0.0;
        for (&l, &r) in labels.iter().zip(returns) {
            bucket_sum[l as usize - 1] += r;
            bucket_n[l as usize - 1] += 1;
            total += r;
        }
        let day_mean = total / returns.len() as f64;
        for j in 0..self.q {
            if bucket_n[j] > 0 {
                let m = bucket_sum[j] / bucket_n[j] as f64;
                self.sum_raw[j] += m;
                self.sum_demeaned[j] += m - day_mean;
                self.days[j] += 1;
            }
        }
        if bucket_n[0] > 0 && bucket_n[self.q - 1] > 0 {
            self.spread[t] = bucket_sum[self.q - 1] / bucket_n[self.q - 1] as f64
                - bucket_sum[0] / bucket_n[0] as f64;
        }
    }

    /// Mean over dates of each bucket's mean return: `(raw, demeaned)`.
    pub fn means(&self) -> (Vec<f64>, Vec<f64>) {
        let f = |s: &[f64]| -> Vec<f64> {
            s.iter()
                .zip(&self.days)
                .map(|(x, &d)| if d == 0 { f64::NAN } else { x / d as f64 })
                .collect()
        };
        (f(&self.sum_raw), f(&self.sum_demeaned))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_of(values: &[f64], q: usize) -> Option<Vec<u8>> {
        let mut sorted: Vec<(f64, u32)> = values
            .iter()
            .enumerate()
            .map(|(k, &v)| (v, k as u32))
            .collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut labels = vec![0u8; values.len()];
        qcut_sorted(&sorted, q, &mut Vec::new(), &mut Vec::new(), &mut labels).then_some(labels)
    }

    #[test]
    fn numpy_quantiles_by_hand() {
        // numpy.quantile([1, 2, 3, 4], [0, .2, .5, 1]) = [1, 1.6, 2.5, 4]
        let s = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(numpy_linear_quantile(&s, 0.0), 1.0);
        assert!((numpy_linear_quantile(&s, 0.2) - 1.6).abs() < 1e-15);
        assert_eq!(numpy_linear_quantile(&s, 0.5), 2.5);
        assert_eq!(numpy_linear_quantile(&s, 1.0), 4.0);
    }

    #[test]
    fn qcut_like_pandas() {
        // pd.qcut(range(10), 5, labels=False) + 1 = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
        let v: Vec<f64> = (0..10).map(f64::from).collect();
        assert_eq!(
            labels_of(&v, 5).unwrap(),
            vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
        );
        // pd.qcut([5, 1, 4, 2, 3], 2, labels=False) + 1 = [2, 1, 2, 1, 1] (the median 3 goes low)
        assert_eq!(
            labels_of(&[5.0, 1.0, 4.0, 2.0, 3.0], 2).unwrap(),
            vec![2, 1, 2, 1, 1]
        );
        // heavy ties: pd.qcut([1, 1, 1, 1, 2], 4) raises "Bin edges must be unique"
        assert!(labels_of(&[1.0, 1.0, 1.0, 1.0, 2.0], 4).is_none());
    }

    #[test]
    fn spread_and_means_by_hand() {
        let mut acc = QuantileAccumulator::new(2, 2);
        let (mut s, mut n) = (vec![0.0; 2], vec![0; 2]);
        acc.add_day(0, &[1, 1, 2, 2], &[0.01, 0.03, 0.05, 0.07], &mut s, &mut n);
        acc.add_day(1, &[2, 1], &[0.0, 0.02], &mut s, &mut n);
        assert!((acc.spread[0] - 0.04).abs() < 1e-15);
        assert!((acc.spread[1] + 0.02).abs() < 1e-15);
        let (raw, dem) = acc.means();
        assert!((raw[0] - 0.02).abs() < 1e-15 && (raw[1] - 0.03).abs() < 1e-15);
        // day means 0.04 and 0.01: demeaned bucket 1 = ((0.02 − 0.04) + (0.02 − 0.01)) / 2
        assert!((dem[0] + 0.005).abs() < 1e-15);
    }
}
