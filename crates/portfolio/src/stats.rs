//! NaN-aware descriptive statistics with numpy's conventions (`nanmean`, `nanstd`, `percentile`).

/// Mean over the non-NaN values (`numpy.nanmean`); NaN when there are none.
pub fn nanmean(x: &[f64]) -> f64 {
    let (mut s, mut n) = (0.0, 0usize);
    for &v in x.iter().filter(|v| !v.is_nan()) {
        s += v;
        n += 1;
    }
    if n == 0 {
        f64::NAN
    } else {
        s / n as f64
    }
}

/// Standard deviation over the non-NaN values with `ddof` (`numpy.nanstd`); two-pass for accuracy.
pub fn nanstd(x: &[f64], ddof: usize) -> f64 {
    let m = nanmean(x);
    let (mut ss, mut n) = (0.0, 0usize);
    for &v in x.iter().filter(|v| !v.is_nan()) {
        ss += (v - m) * (v - m);
        n += 1;
    }
    if n <= ddof {
        f64::NAN
    } else {
        (ss / (n - ddof) as f64).sqrt()
    }
}

/// The `q`-th percentile (0..=100) with numpy's default linear interpolation between closest
/// ranks: position `q/100·(n−1)` in the sorted values. NaN if `x` is empty or holds a NaN
/// (as `numpy.percentile`).
pub fn percentile(x: &[f64], q: f64) -> f64 {
    if x.is_empty() || x.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    percentile_sorted(&s, q)
}

/// [`percentile`] on values already sorted ascending and free of NaN.
pub fn percentile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = (q / 100.0).clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    // numpy's lerp: a + (b − a)·t, switched to b − (b − a)·(1 − t) for t ≥ 0.5.
    let (a, b) = (sorted[lo], sorted[hi]);
    if frac >= 0.5 {
        b - (b - a) * (1.0 - frac)
    } else {
        a + (b - a) * frac
    }
}

/// Pearson correlation of two equally long slices (no NaN handling); NaN when either is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n < 2 {
        return f64::NAN;
    }
    let mx = x[..n].iter().sum::<f64>() / n as f64;
    let my = y[..n].iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (dx, dy) = (x[i] - mx, y[i] - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    sxy / (sxx * syy).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_conventions_by_hand() {
        let x = [1.0, f64::NAN, 3.0, 5.0];
        assert_eq!(nanmean(&x), 3.0);
        assert_eq!(nanstd(&x, 1), 2.0);
        assert!((nanstd(&x, 0) - (8.0f64 / 3.0).sqrt()).abs() < 1e-15);
        // numpy.percentile([1, 2, 3, 4], 25) = 1.75; 95 → 3.85
        assert!((percentile(&[4.0, 1.0, 3.0, 2.0], 25.0) - 1.75).abs() < 1e-15);
        assert!((percentile(&[1.0, 2.0, 3.0, 4.0], 95.0) - 3.85).abs() < 1e-15);
        assert!(percentile(&x, 50.0).is_nan());
        assert!(nanmean(&[f64::NAN]).is_nan());
        assert!(
            (pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.5]) - 0.997_948_715_788_673_3).abs() < 1e-15
        );
    }
}
