//! Rolling minimum, maximum, argmin and argmax over one series.
//!
//! Windows of up to [`DIRECT_MAX`] days are scanned directly, 16 consecutive windows at a
//! time (each lane keeps its own best value and position, replaced only by a strictly better
//! value, so ties resolve to the first occurrence): O(n·d), but branch-free and vectorised.
//! Longer windows use a monotone deque: O(n) whatever the window. The deque holds indices of the
//! window whose values are strictly better than every later value in it, so its front is the
//! window's extremum. Popping only *strictly* worse values keeps the
//! earliest of equal values in front: ties resolve to the first occurrence.
//! `ts_argmax` / `ts_argmin` are 1-based positions counted from the oldest day of the window
//! (`1` = oldest, `d` = today). A `NaN` in the window makes the output `NaN`.

use std::collections::VecDeque;

/// Which extremum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Extremum {
    /// Rolling minimum.
    Min,
    /// Rolling maximum.
    Max,
    /// 1-based position of the minimum from the oldest day.
    ArgMin,
    /// 1-based position of the maximum from the oldest day.
    ArgMax,
}

/// Windows up to this length are scanned directly.
pub const DIRECT_MAX: usize = 32;
/// Consecutive windows scanned together.
const LANES: usize = 16;

/// Rolling extremum of `x` over window `d` (`d >= 1`) into `out` (same length).
pub fn rolling_extremum(what: Extremum, x: &[f64], d: usize, out: &mut [f64]) {
    let d = d.max(1);
    if d <= DIRECT_MAX {
        direct(what, x, d, out);
    } else {
        deque(what, x, d, out);
    }
}

/// The direct scan of every window, then `NaN` where the window is not `d` valid values.
fn direct(what: Extremum, x: &[f64], d: usize, out: &mut [f64]) {
    let n = out.len().min(x.len());
    if n >= d {
        let mut t = d - 1;
        while t + LANES <= n {
            block::<LANES>(what, &x[t + 1 - d..t + LANES], d, &mut out[t..t + LANES]);
            t += LANES;
        }
        for t in t..n {
            block::<1>(what, &x[t + 1 - d..=t], d, &mut out[t..=t]);
        }
    }
    let mut valid_run = 0usize;
    for (o, &v) in out[..n].iter_mut().zip(x) {
        valid_run = if v.is_nan() { 0 } else { valid_run + 1 };
        if valid_run < d {
            *o = f64::NAN;
        }
    }
}

/// `what` over the `L` windows `xs[l..l + d]` into `out[..L]`.
#[inline(always)]
fn block<const L: usize>(what: Extremum, xs: &[f64], d: usize, out: &mut [f64]) {
    let want_max = matches!(what, Extremum::Max | Extremum::ArgMax);
    let mut best = [0.0; L];
    best.copy_from_slice(&xs[..L]);
    let mut pos = [0.0; L];
    for j in 1..d {
        let (w, jf) = (&xs[j..j + L], j as f64);
        for l in 0..L {
            let better = if want_max {
                w[l] > best[l]
            } else {
                w[l] < best[l]
            };
            best[l] = if better { w[l] } else { best[l] };
            pos[l] = if better { jf } else { pos[l] };
        }
    }
    match what {
        Extremum::Min | Extremum::Max => out[..L].copy_from_slice(&best),
        Extremum::ArgMin | Extremum::ArgMax => {
            for (o, p) in out[..L].iter_mut().zip(pos) {
                *o = p + 1.0;
            }
        }
    }
}

/// The monotone-deque pass.
fn deque(what: Extremum, x: &[f64], d: usize, out: &mut [f64]) {
    let want_max = matches!(what, Extremum::Max | Extremum::ArgMax);
    let mut dq: VecDeque<usize> = VecDeque::with_capacity(d + 1);
    let mut valid_run = 0usize;
    for (t, &xt) in x.iter().enumerate().take(out.len()) {
        if xt.is_nan() {
            dq.clear();
            valid_run = 0;
            out[t] = f64::NAN;
            continue;
        }
        valid_run += 1;
        while let Some(&b) = dq.back() {
            let worse = if want_max { x[b] < xt } else { x[b] > xt };
            if worse {
                dq.pop_back();
            } else {
                break;
            }
        }
        dq.push_back(t);
        while let Some(&f) = dq.front() {
            if f + d <= t {
                dq.pop_front();
            } else {
                break;
            }
        }
        if valid_run < d {
            out[t] = f64::NAN;
            continue;
        }
        let front = dq.front().copied().unwrap_or(t);
        out[t] = match what {
            Extremum::Min | Extremum::Max => x[front],
            Extremum::ArgMin | Extremum::ArgMax => (front + d - t) as f64,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(what: Extremum, x: &[f64], d: usize) -> Vec<f64> {
        let mut out = vec![0.0; x.len()];
        rolling_extremum(what, x, d, &mut out);
        out
    }

    #[test]
    fn hand_values() {
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let mx = run(Extremum::Max, &x, 3);
        assert!(mx[0].is_nan() && mx[1].is_nan());
        assert_eq!(&mx[2..], &[4.0, 4.0, 5.0, 9.0, 9.0, 9.0]);
        let mn = run(Extremum::Min, &x, 3);
        assert_eq!(&mn[2..], &[1.0, 1.0, 1.0, 1.0, 2.0, 2.0]);
        // window [3,1,4]: max at position 3 (today); [1,4,1]: min first occurrence = 1
        let am = run(Extremum::ArgMax, &x, 3);
        assert_eq!(&am[2..], &[3.0, 2.0, 3.0, 3.0, 2.0, 1.0]);
        let an = run(Extremum::ArgMin, &x, 3);
        assert_eq!(&an[2..], &[2.0, 1.0, 2.0, 1.0, 3.0, 2.0]);
    }

    #[test]
    fn ties_take_first_occurrence_and_nan_blocks() {
        let x = [2.0, 2.0, 2.0, f64::NAN, 1.0, 1.0, 1.0];
        let am = run(Extremum::ArgMax, &x, 3);
        assert_eq!(am[2], 1.0);
        assert!(am[3].is_nan() && am[4].is_nan() && am[5].is_nan());
        assert_eq!(am[6], 1.0);
        assert_eq!(run(Extremum::ArgMin, &x, 3)[6], 1.0);
    }

    #[test]
    fn matches_naive_scan() {
        let mut s = 7u64;
        let x: Vec<f64> = (0..400)
            .map(|_| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1);
                ((s >> 33) % 7) as f64
            })
            .collect();
        for d in [1, 2, 5, 13] {
            let am = run(Extremum::ArgMax, &x, d);
            let an = run(Extremum::ArgMin, &x, d);
            for t in d - 1..x.len() {
                let w = &x[t + 1 - d..=t];
                let mut best = 0;
                let mut worst = 0;
                for i in 1..d {
                    if w[i] > w[best] {
                        best = i;
                    }
                    if w[i] < w[worst] {
                        worst = i;
                    }
                }
                assert_eq!(am[t], (best + 1) as f64, "d={d} t={t}");
                assert_eq!(an[t], (worst + 1) as f64, "d={d} t={t}");
            }
        }
    }

    #[test]
    fn direct_scan_equals_the_deque() {
        let mut s = 9u64;
        let mut x: Vec<f64> = (0..300)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 40) % 11) as f64 - 5.0 // ties
            })
            .collect();
        x[77] = f64::NAN;
        x[150] = -0.0;
        for what in [
            Extremum::Min,
            Extremum::Max,
            Extremum::ArgMin,
            Extremum::ArgMax,
        ] {
            for d in [1, 2, 3, 7, 16, 17, 32] {
                let (mut a, mut b) = (vec![0.0; x.len()], vec![0.0; x.len()]);
                direct(what, &x, d, &mut a);
                deque(what, &x, d, &mut b);
                for t in 0..x.len() {
                    assert_eq!(a[t].to_bits(), b[t].to_bits(), "{what:?} d={d} t={t}");
                }
            }
        }
    }
}
