//! O(n) rolling moments over one series: sum, mean, standard deviation (ddof = 1), covariance
//! (ddof = 1) and Pearson correlation.
//!
//! Windows include today and are `NaN` until `d` consecutive valid values are seen; a `NaN`
//! inside the window makes the output `NaN`. Windows of up to [`DIRECT_MAX`] days are computed
//! directly (two-pass, oldest day first; see [`DIRECT_MAX`] for why). Longer windows run in O(n)
//! with *re-anchored* sums: whenever a window starts
//! after a gap, and every `d` steps after that, the sums are recomputed from scratch around the
//! window mean, and in between they are updated by adding today and removing the value that left.
//! Rounding error therefore never accumulates over more than `d` updates, and the shifted sums
//! avoid the cancellation of `Σx² − (Σx)²/d` when the mean is large against the spread.
//! A window whose values are all equal (tracked by run length, exactly) has variance 0, so its
//! correlation is `NaN` rather than noise divided by noise. Correlations are clamped to [−1, 1];
//! over a 2-day window a correlation is exactly ±1 (the sign of the product of the two changes),
//! and a 1-day sum is the value itself, so that exact ties survive into a following `rank`.

/// Shifted first and second moments of one window of a pair of series.
#[derive(Debug, Default, Clone, Copy)]
struct Moments {
    sx: f64,
    sy: f64,
    sxx: f64,
    syy: f64,
    sxy: f64,
    ax: f64,
    ay: f64,
}

impl Moments {
    fn anchored(x: &[f64], y: &[f64]) -> Self {
        let n = x.len() as f64;
        let ax = x.iter().sum::<f64>() / n;
        let ay = y.iter().sum::<f64>() / n;
        let mut m = Moments {
            ax,
            ay,
            ..Moments::default()
        };
        for (&xi, &yi) in x.iter().zip(y) {
            m.add(xi, yi);
        }
        m
    }

    #[inline]
    fn add(&mut self, x: f64, y: f64) {
        let (dx, dy) = (x - self.ax, y - self.ay);
        self.sx += dx;
        self.sy += dy;
        self.sxx += dx * dx;
        self.syy += dy * dy;
        self.sxy += dx * dy;
    }

    #[inline]
    fn remove(&mut self, x: f64, y: f64) {
        let (dx, dy) = (x - self.ax, y - self.ay);
        self.sx -= dx;
        self.sy -= dy;
        self.sxx -= dx * dx;
        self.syy -= dy * dy;
        self.sxy -= dx * dy;
    }

    /// Centered sums of squares and cross products of a window of `n` values.
    #[inline]
    fn centered(&self, n: f64) -> (f64, f64, f64) {
        let cxx = (self.sxx - self.sx * self.sx / n).max(0.0);
        let cyy = (self.syy - self.sy * self.sy / n).max(0.0);
        let cxy = self.sxy - self.sx * self.sy / n;
        (cxx, cyy, cxy)
    }
}

/// What a rolling pass produces from the window's moments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Moment {
    /// Σx
    Sum,
    /// Σx / d
    Mean,
    /// sample standard deviation of x (ddof = 1)
    Std,
    /// sample covariance of x and y (ddof = 1)
    Cov,
    /// Pearson correlation of x and y
    Corr,
}

/// Windows up to this length are computed directly, two-pass, summing from the oldest day to
/// today: O(n·d), but a window's result depends only on the window's values (not on the history
/// before it), so equal windows give bit-equal results and exact ties survive into `rank`.
pub const DIRECT_MAX: usize = 32;

/// Rolling `what` over window `d` of `x` (and `y` for [`Moment::Cov`] / [`Moment::Corr`]; pass
/// `x` again otherwise), written to `out`. `x`, `y` and `out` have the same length; `d >= 1`.
pub fn rolling(what: Moment, x: &[f64], y: &[f64], d: usize, out: &mut [f64]) {
    let n = x.len().min(y.len()).min(out.len());
    let d = d.max(1);
    if d <= DIRECT_MAX {
        return direct(what, &x[..n], &y[..n], d, &mut out[..n]);
    }
    let paired = matches!(what, Moment::Cov | Moment::Corr);
    let mut m = Moments::default();
    let mut valid_run = 0usize; // consecutive valid positions ending at t
    let mut since_anchor = 0usize;
    let (mut same_x, mut same_y) = (0usize, 0usize); // runs of equal values ending at t
    let df = d as f64;
    for t in 0..n {
        let (xt, yt) = (x[t], if paired { y[t] } else { 0.0 });
        if xt.is_nan() || yt.is_nan() {
            valid_run = 0;
            same_x = 0;
            same_y = 0;
            out[t] = f64::NAN;
            continue;
        }
        valid_run += 1;
        same_x = if t > 0 && x[t - 1] == xt {
            same_x + 1
        } else {
            1
        };
        same_y = if t > 0 && paired && y[t - 1] == yt {
            same_y + 1
        } else {
            1
        };
        if valid_run < d {
            out[t] = f64::NAN;
            continue;
        }
        let lo = t + 1 - d;
        if valid_run == d || since_anchor >= d {
            let ys = if paired { &y[lo..=t] } else { &x[lo..=t] };
            m = Moments::anchored(&x[lo..=t], ys);
            since_anchor = 0;
        } else {
            let (xo, yo) = (x[lo - 1], if paired { y[lo - 1] } else { x[lo - 1] });
            m.remove(xo, yo);
            m.add(xt, if paired { yt } else { xt });
            since_anchor += 1;
        }
        let const_x = same_x >= d;
        let const_y = same_y >= d;
        out[t] = match what {
            Moment::Sum | Moment::Mean if d == 1 => xt,
            Moment::Sum => m.sx + df * m.ax,
            Moment::Mean => m.sx / df + m.ax,
            Moment::Std => {
                if d < 2 {
                    f64::NAN
                } else if const_x {
                    0.0
                } else {
                    (m.centered(df).0 / (df - 1.0)).sqrt()
                }
            }
            Moment::Cov => {
                if d < 2 {
                    f64::NAN
                } else if const_x || const_y {
                    0.0
                } else {
                    m.centered(df).2 / (df - 1.0)
                }
            }
            Moment::Corr => {
                if d < 2 || const_x || const_y {
                    f64::NAN
                } else if d == 2 {
                    // two points are perfectly (anti-)correlated: exactly ±1, never 0.99…9
                    let s = (xt - x[t - 1]).signum() * (yt - y[t - 1]).signum();
                    if s == 0.0 || s.is_nan() {
                        f64::NAN
                    } else {
                        s
                    }
                } else {
                    let (cxx, cyy, cxy) = m.centered(df);
                    let r = cxy / (cxx * cyy).sqrt();
                    if r.is_finite() {
                        r.clamp(-1.0, 1.0)
                    } else {
                        f64::NAN
                    }
                }
            }
        };
    }
}

/// Sequential sum of a non-empty window, oldest first.
#[inline]
fn seq_sum(w: &[f64]) -> f64 {
    let mut s = w[0];
    for &v in &w[1..] {
        s += v;
    }
    s
}

/// Two-pass moments of each full window, summed from the oldest day to today.
fn direct(what: Moment, x: &[f64], y: &[f64], d: usize, out: &mut [f64]) {
    let paired = matches!(what, Moment::Cov | Moment::Corr);
    let df = d as f64;
    let mut valid_run = 0usize;
    let (mut same_x, mut same_y) = (0usize, 0usize);
    for t in 0..out.len() {
        let (xt, yt) = (x[t], if paired { y[t] } else { 0.0 });
        if xt.is_nan() || yt.is_nan() {
            valid_run = 0;
            out[t] = f64::NAN;
            continue;
        }
        valid_run += 1;
        same_x = if valid_run > 1 && x[t - 1] == xt {
            same_x + 1
        } else {
            1
        };
        same_y = if valid_run > 1 && paired && y[t - 1] == yt {
            same_y + 1
        } else {
            1
        };
        if valid_run < d {
            out[t] = f64::NAN;
            continue;
        }
        let wx = &x[t + 1 - d..=t];
        let sx = seq_sum(wx);
        let mx = sx / df;
        out[t] = match what {
            Moment::Sum => sx,
            Moment::Mean => mx,
            Moment::Std => {
                if d < 2 {
                    f64::NAN
                } else if same_x >= d {
                    0.0
                } else {
                    let dx0 = wx[0] - mx;
                    let mut cxx = dx0 * dx0;
                    for &v in &wx[1..] {
                        cxx += (v - mx) * (v - mx);
                    }
                    (cxx / (df - 1.0)).sqrt()
                }
            }
            Moment::Cov | Moment::Corr => {
                let wy = &y[t + 1 - d..=t];
                let my = seq_sum(wy) / df;
                // one fused pass; each accumulator still adds its terms oldest day first
                let (dx0, dy0) = (wx[0] - mx, wy[0] - my);
                let (mut cxy, mut cxx, mut cyy) = (dx0 * dy0, dx0 * dx0, dy0 * dy0);
                for (&a, &b) in wx[1..].iter().zip(&wy[1..]) {
                    let (dx, dy) = (a - mx, b - my);
                    cxy += dx * dy;
                    cxx += dx * dx;
                    cyy += dy * dy;
                }
                if what == Moment::Cov {
                    if d < 2 {
                        f64::NAN
                    } else if same_x >= d || same_y >= d {
                        0.0
                    } else {
                        cxy / (df - 1.0)
                    }
                } else if d < 2 || same_x >= d || same_y >= d {
                    f64::NAN
                } else if d == 2 {
                    let s = (xt - x[t - 1]).signum() * (yt - y[t - 1]).signum();
                    if s == 0.0 || s.is_nan() {
                        f64::NAN
                    } else {
                        s
                    }
                } else {
                    let r = cxy / (cxx * cyy).sqrt();
                    if r.is_finite() {
                        r.clamp(-1.0, 1.0)
                    } else {
                        f64::NAN
                    }
                }
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(what: Moment, x: &[f64], y: &[f64], d: usize) -> Vec<f64> {
        (0..x.len())
            .map(|t| {
                if t + 1 < d {
                    return f64::NAN;
                }
                let wx = &x[t + 1 - d..=t];
                let wy = &y[t + 1 - d..=t];
                if wx.iter().chain(wy).any(|v| v.is_nan()) {
                    return f64::NAN;
                }
                let n = d as f64;
                let mx = wx.iter().sum::<f64>() / n;
                let my = wy.iter().sum::<f64>() / n;
                let cxx: f64 = wx.iter().map(|v| (v - mx) * (v - mx)).sum();
                let cyy: f64 = wy.iter().map(|v| (v - my) * (v - my)).sum();
                let cxy: f64 = wx.iter().zip(wy).map(|(a, b)| (a - mx) * (b - my)).sum();
                match what {
                    Moment::Sum => wx.iter().sum(),
                    Moment::Mean => mx,
                    Moment::Std => (cxx / (n - 1.0)).sqrt(),
                    Moment::Cov => cxy / (n - 1.0),
                    Moment::Corr => cxy / (cxx * cyy).sqrt(),
                }
            })
            .collect()
    }

    fn series(n: usize, seed: u64, level: f64) -> Vec<f64> {
        let mut s = seed;
        (0..n)
            .map(|i| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                if i % 97 == 11 {
                    f64::NAN
                } else {
                    level + ((s >> 11) as f64 / (1u64 << 53) as f64)
                }
            })
            .collect()
    }

    #[test]
    fn matches_naive_two_pass_on_large_offsets() {
        let x = series(700, 1, 1e6);
        let y = series(700, 2, 3.0);
        for what in [
            Moment::Sum,
            Moment::Mean,
            Moment::Std,
            Moment::Cov,
            Moment::Corr,
        ] {
            for d in [2, 3, 7, 20, 33, 60] {
                let mut out = vec![0.0; x.len()];
                rolling(what, &x, &y, d, &mut out);
                let want = naive(what, &x, &y, d);
                for (t, (a, b)) in out.iter().zip(&want).enumerate() {
                    assert_eq!(a.is_nan(), b.is_nan(), "{what:?} d={d} t={t}");
                    if !b.is_nan() {
                        let tol = 1e-9 * (1.0 + b.abs());
                        assert!((a - b).abs() <= tol, "{what:?} d={d} t={t}: {a} vs {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn hand_values_and_degenerate_windows() {
        let x = [1.0, 2.0, 4.0, 4.0, 4.0, 5.0];
        let mut out = [0.0; 6];
        rolling(Moment::Sum, &x, &x, 3, &mut out);
        assert!(out[1].is_nan());
        assert_eq!(&out[2..], &[7.0, 10.0, 12.0, 13.0]);
        rolling(Moment::Std, &x, &x, 3, &mut out);
        assert!((out[2] - (7.0f64 / 3.0).sqrt()).abs() < 1e-15);
        assert_eq!(out[4], 0.0);
        rolling(
            Moment::Corr,
            &x,
            &[1.0, 2.0, 3.0, 5.0, 4.0, 6.0],
            3,
            &mut out,
        );
        assert!(out[4].is_nan(), "constant window has no correlation");
        assert!((out[2] - 0.9819805060619657).abs() < 1e-12, "{}", out[2]);
    }
}
