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

/// Consecutive windows computed together by [`direct`]: lane `l` of a block is the window ending
/// at `t + l`. Each lane still sums its own window from the oldest day to today, so a result is
/// bit-identical to summing that window alone; the lanes only give the CPU independent chains
/// (and SIMD) instead of one add waiting on the previous.
const LANES: usize = 16;

/// Two-pass moments of each full window, summed from the oldest day to today: a block pass over
/// `LANES` windows at a time (then one window at a time for the tail), and one O(n) pass that
/// writes `NaN` where the window is not full and the exact values of degenerate windows.
fn direct(what: Moment, x: &[f64], y: &[f64], d: usize, out: &mut [f64]) {
    let n = out.len();
    if n >= d {
        let mut t = d - 1;
        while t + LANES <= n {
            block::<LANES>(what, x, y, d, t + 1 - d, &mut out[t..t + LANES]);
            t += LANES;
        }
        for t in t..n {
            block::<1>(what, x, y, d, t + 1 - d, &mut out[t..=t]);
        }
    }
    fix_up(what, x, y, d, out);
}

/// Moments of the `L` windows `lo + l ..= lo + l + d − 1` (`l < L`) into `out[..L]`. Windows
/// holding a `NaN` give `NaN` or garbage here; [`fix_up`] overwrites them.
#[inline(always)]
fn block<const L: usize>(what: Moment, x: &[f64], y: &[f64], d: usize, lo: usize, out: &mut [f64]) {
    let df = d as f64;
    let xs = &x[lo..lo + L + d - 1];
    let mut mx = window_sums::<L>(xs, d);
    if what == Moment::Sum {
        out[..L].copy_from_slice(&mx);
        return;
    }
    for m in mx.iter_mut() {
        *m /= df;
    }
    match what {
        Moment::Sum | Moment::Mean => out[..L].copy_from_slice(&mx),
        Moment::Std => {
            let mut cxx = [0.0; L];
            for l in 0..L {
                let dx = xs[l] - mx[l];
                cxx[l] = dx * dx;
            }
            for j in 1..d {
                for ((c, &v), &m) in cxx.iter_mut().zip(&xs[j..j + L]).zip(&mx) {
                    *c += (v - m) * (v - m);
                }
            }
            for (o, c) in out[..L].iter_mut().zip(cxx) {
                *o = (c / (df - 1.0)).sqrt();
            }
        }
        Moment::Cov | Moment::Corr => {
            let ys = &y[lo..lo + L + d - 1];
            let mut my = window_sums::<L>(ys, d);
            for m in my.iter_mut() {
                *m /= df;
            }
            let (mut cxy, mut cxx, mut cyy) = ([0.0; L], [0.0; L], [0.0; L]);
            for l in 0..L {
                let (dx, dy) = (xs[l] - mx[l], ys[l] - my[l]);
                cxy[l] = dx * dy;
                cxx[l] = dx * dx;
                cyy[l] = dy * dy;
            }
            for j in 1..d {
                let (wx, wy) = (&xs[j..j + L], &ys[j..j + L]);
                for l in 0..L {
                    let (dx, dy) = (wx[l] - mx[l], wy[l] - my[l]);
                    cxy[l] += dx * dy;
                    cxx[l] += dx * dx;
                    cyy[l] += dy * dy;
                }
            }
            for l in 0..L {
                out[l] = if what == Moment::Cov {
                    cxy[l] / (df - 1.0)
                } else {
                    let r = cxy[l] / (cxx[l] * cyy[l]).sqrt();
                    if r.is_finite() {
                        r.clamp(-1.0, 1.0)
                    } else {
                        f64::NAN
                    }
                };
            }
        }
    }
}

/// Sums of the `L` windows of length `d` starting at `xs[l]`, each added oldest first.
#[inline(always)]
fn window_sums<const L: usize>(xs: &[f64], d: usize) -> [f64; L] {
    let mut s = [0.0; L];
    s.copy_from_slice(&xs[..L]);
    for j in 1..d {
        for (a, &v) in s.iter_mut().zip(&xs[j..j + L]) {
            *a += v;
        }
    }
    s
}

/// The O(n) pass after [`block`]: `NaN` until `d` consecutive valid values (both series for a
/// pair), 0 (std, cov) or `NaN` (corr) over a window of equal values, exactly ±1 for a 2-day
/// correlation, `NaN` for a std / cov / corr of one day.
fn fix_up(what: Moment, x: &[f64], y: &[f64], d: usize, out: &mut [f64]) {
    let paired = matches!(what, Moment::Cov | Moment::Corr);
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
        let constant = same_x >= d || (paired && same_y >= d);
        match what {
            Moment::Sum | Moment::Mean => {}
            Moment::Std | Moment::Cov => {
                if d < 2 {
                    out[t] = f64::NAN;
                } else if constant {
                    out[t] = 0.0;
                }
            }
            Moment::Corr => {
                if d < 2 || constant {
                    out[t] = f64::NAN;
                } else if d == 2 {
                    // two points are perfectly (anti-)correlated: exactly ±1, never 0.99…9
                    let s = (xt - x[t - 1]).signum() * (yt - y[t - 1]).signum();
                    out[t] = if s == 0.0 || s.is_nan() { f64::NAN } else { s };
                }
            }
        }
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

    /// One window at a time, summed oldest first: the order [`direct`]'s lanes must reproduce
    /// bit for bit (exact ties between assets depend on it).
    fn one_window(what: Moment, wx: &[f64], wy: &[f64]) -> f64 {
        let df = wx.len() as f64;
        let mut sx = wx[0];
        wx[1..].iter().for_each(|v| sx += v);
        let mut sy = wy[0];
        wy[1..].iter().for_each(|v| sy += v);
        let (mx, my) = (sx / df, sy / df);
        let (mut cxx, mut cyy, mut cxy) = (0.0, 0.0, 0.0);
        for (k, (&a, &b)) in wx.iter().zip(wy).enumerate() {
            let (dx, dy) = (a - mx, b - my);
            if k == 0 {
                (cxx, cyy, cxy) = (dx * dx, dy * dy, dx * dy);
            } else {
                (cxx, cyy, cxy) = (cxx + dx * dx, cyy + dy * dy, cxy + dx * dy);
            }
        }
        match what {
            Moment::Sum => sx,
            Moment::Mean => mx,
            Moment::Std => (cxx / (df - 1.0)).sqrt(),
            Moment::Cov => cxy / (df - 1.0),
            Moment::Corr => (cxy / (cxx * cyy).sqrt()).clamp(-1.0, 1.0),
        }
    }

    #[test]
    fn lanes_are_bit_identical_to_one_window_at_a_time() {
        let mut x = series(203, 3, 50.0);
        let y = series(203, 4, -2.0);
        x[40..52].fill(7.25); // a constant stretch
        for what in [
            Moment::Sum,
            Moment::Mean,
            Moment::Std,
            Moment::Cov,
            Moment::Corr,
        ] {
            for d in [1, 2, 3, 5, 9, 16, 32] {
                let mut out = vec![0.0; x.len()];
                rolling(what, &x, &y, d, &mut out);
                for t in d.saturating_sub(1)..x.len() {
                    let (wx, wy) = (&x[t + 1 - d..=t], &y[t + 1 - d..=t]);
                    let nan = wx.iter().any(|v| v.is_nan())
                        || (matches!(what, Moment::Cov | Moment::Corr)
                            && wy.iter().any(|v| v.is_nan()));
                    let flat = wx.iter().all(|&v| v == wx[0]);
                    if nan || (d < 2 && !matches!(what, Moment::Sum | Moment::Mean)) {
                        assert!(out[t].is_nan(), "{what:?} d={d} t={t}");
                    } else if flat && what != Moment::Sum && what != Moment::Mean {
                        let want = if what == Moment::Corr { f64::NAN } else { 0.0 };
                        assert_eq!(out[t].to_bits(), want.to_bits(), "{what:?} d={d} t={t}");
                    } else if !(what == Moment::Corr && d == 2) {
                        let want = one_window(what, wx, wy);
                        assert_eq!(out[t].to_bits(), want.to_bits(), "{what:?} d={d} t={t}");
                    }
                }
            }
        }
    }
}
