//! Rolling minimum, maximum, argmin and argmax over one series with monotone deques: O(n)
//! whatever the window.
//!
//! The deque holds indices of the window whose values are strictly better than every later value
//! in it, so its front is the window's extremum. Popping only *strictly* worse values keeps the
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

/// Rolling extremum of `x` over window `d` (`d >= 1`) into `out` (same length).
pub fn rolling_extremum(what: Extremum, x: &[f64], d: usize, out: &mut [f64]) {
    let d = d.max(1);
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
}
