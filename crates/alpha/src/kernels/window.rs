//! Window operators on one series whose cost is O(n·d) or O(n) by recursion: `delay`, `delta`,
//! `ts_rank`, `product`, `decay_linear` and `ema`.
//!
//! All windows include today and are `NaN` until full; a `NaN` in the window gives `NaN`.

/// Which window operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WindowOp {
    /// `x[t − d]`
    Delay,
    /// `x[t] − x[t − d]`
    Delta,
    /// Rank of today among the last `d` values: 1 (lowest) … d, average ranks for ties.
    TsRank,
    /// Product of the last `d` values.
    Product,
    /// Σ_{i=0}^{d−1} (d − i)·x[t − i] / (d(d + 1)/2): linear weights, today heaviest.
    DecayLinear,
    /// Exponential moving average with α = 2/(d + 1), seeded by the mean of the first `d` values.
    Ema,
}

/// Apply `op` with window / lag `d` to `x`, writing `out` (same length).
pub fn window(op: WindowOp, x: &[f64], d: usize, out: &mut [f64]) {
    match op {
        WindowOp::Delay | WindowOp::Delta => {
            for t in 0..out.len().min(x.len()) {
                out[t] = if t < d {
                    f64::NAN
                } else if op == WindowOp::Delay {
                    x[t - d]
                } else {
                    x[t] - x[t - d]
                };
            }
        }
        WindowOp::Ema => ema(x, d.max(1), out),
        WindowOp::TsRank | WindowOp::Product | WindowOp::DecayLinear => {
            let d = d.max(1);
            let n = out.len().min(x.len());
            if n >= d {
                let mut t = d - 1;
                while t + LANES <= n {
                    block::<LANES>(op, &x[t + 1 - d..t + LANES], d, &mut out[t..t + LANES]);
                    t += LANES;
                }
                for t in t..n {
                    block::<1>(op, &x[t + 1 - d..=t], d, &mut out[t..=t]);
                }
            }
            // NaN until d consecutive valid values
            let mut valid_run = 0usize;
            for (o, &v) in out[..n].iter_mut().zip(x) {
                valid_run = if v.is_nan() { 0 } else { valid_run + 1 };
                if valid_run < d {
                    *o = f64::NAN;
                }
            }
        }
    }
}

/// Consecutive windows computed together: lane `l` of a block is the window ending at `t + l`,
/// each still accumulated from its oldest day to today (bit-identical to one window at a time).
const LANES: usize = 16;

/// `op` over the `L` windows `xs[l..l + d]` (`xs` holds `L + d − 1` values) into `out[..L]`.
#[inline(always)]
fn block<const L: usize>(op: WindowOp, xs: &[f64], d: usize, out: &mut [f64]) {
    match op {
        WindowOp::TsRank => {
            let mut today = [0.0; L];
            today.copy_from_slice(&xs[d - 1..d - 1 + L]);
            // k = Σ [v < today] + [v ≤ today] = 2·less + equal, counted in integer lanes (a
            // compare mask is −1, so each count is one subtraction per value)
            let mut k = [0i64; L];
            for j in 0..d {
                for l in 0..L {
                    let v = xs[j + l];
                    k[l] -= -i64::from(v < today[l]) - i64::from(v <= today[l]);
                }
            }
            for l in 0..L {
                // (2·less + equal + 1)/2 = less + (equal + 1)/2, exactly (small integers)
                out[l] = (k[l] + 1) as f64 / 2.0;
            }
        }
        WindowOp::Product => {
            let mut p = [0.0; L];
            p.copy_from_slice(&xs[..L]);
            for j in 1..d {
                for (a, &v) in p.iter_mut().zip(&xs[j..j + L]) {
                    *a *= v;
                }
            }
            out[..L].copy_from_slice(&p);
        }
        _ => {
            let denom = (d * (d + 1)) as f64 / 2.0;
            let mut s = [-0.0; L];
            for j in 0..d {
                let w = (j + 1) as f64;
                for (a, &v) in s.iter_mut().zip(&xs[j..j + L]) {
                    *a += w * v;
                }
            }
            for (o, a) in out[..L].iter_mut().zip(s) {
                *o = a / denom;
            }
        }
    }
}

/// EMA: `e[t] = α·x[t] + (1 − α)·e[t−1]`, α = 2/(d + 1), `e` seeded at the first full window with
/// the window's simple mean (the TA-Lib convention); a `NaN` restarts the seeding.
fn ema(x: &[f64], d: usize, out: &mut [f64]) {
    let alpha = 2.0 / (d as f64 + 1.0);
    let mut valid_run = 0usize;
    let mut e = f64::NAN;
    for t in 0..out.len().min(x.len()) {
        if x[t].is_nan() {
            valid_run = 0;
            e = f64::NAN;
            out[t] = f64::NAN;
            continue;
        }
        valid_run += 1;
        if valid_run < d {
            out[t] = f64::NAN;
            continue;
        }
        e = if valid_run == d {
            x[t + 1 - d..=t].iter().sum::<f64>() / d as f64
        } else {
            alpha * x[t] + (1.0 - alpha) * e
        };
        out[t] = e;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(op: WindowOp, x: &[f64], d: usize) -> Vec<f64> {
        let mut out = vec![0.0; x.len()];
        window(op, x, d, &mut out);
        out
    }

    #[test]
    fn delay_delta() {
        let x = [1.0, 3.0, 6.0, 10.0];
        let a = run(WindowOp::Delay, &x, 2);
        assert!(a[0].is_nan() && a[1].is_nan());
        assert_eq!(&a[2..], &[1.0, 3.0]);
        assert_eq!(&run(WindowOp::Delta, &x, 1)[1..], &[2.0, 3.0, 4.0]);
        assert_eq!(run(WindowOp::Delay, &x, 0), x.to_vec());
    }

    #[test]
    fn ts_rank_average_ties() {
        let x = [5.0, 1.0, 5.0, 3.0, 5.0];
        let r = run(WindowOp::TsRank, &x, 3);
        // [5,1,5]: today 5 ties with 5 → ranks 2,3 → 2.5; [1,5,3] → 2; [5,3,5] → 2.5
        assert_eq!(&r[2..], &[2.5, 2.0, 2.5]);
        let r = run(WindowOp::TsRank, &[1.0, f64::NAN, 2.0, 3.0, 4.0], 2);
        assert!(r[2].is_nan());
        assert_eq!(&r[3..], &[2.0, 2.0]);
    }

    #[test]
    fn product_decay_ema() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(&run(WindowOp::Product, &x, 3)[2..], &[6.0, 24.0]);
        // (1·1 + 2·2 + 3·3)/6 = 14/6
        let dl = run(WindowOp::DecayLinear, &x, 3);
        assert!((dl[2] - 14.0 / 6.0).abs() < 1e-15 && (dl[3] - 20.0 / 6.0).abs() < 1e-15);
        let e = run(WindowOp::Ema, &x, 3);
        assert!(e[1].is_nan());
        assert_eq!(e[2], 2.0);
        assert!((e[3] - (0.5 * 4.0 + 0.5 * 2.0)).abs() < 1e-15);
    }

    #[test]
    fn lanes_are_bit_identical_to_one_window_at_a_time() {
        let mut s = 11u64;
        let mut x: Vec<f64> = (0..157)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 40) % 9) as f64 * 0.37 - 1.1 // many ties
            })
            .collect();
        x[60] = f64::NAN;
        for d in [1, 2, 3, 7, 10, 16, 25] {
            let rank = run(WindowOp::TsRank, &x, d);
            let prod = run(WindowOp::Product, &x, d);
            let decay = run(WindowOp::DecayLinear, &x, d);
            let denom = (d * (d + 1)) as f64 / 2.0;
            for t in 0..x.len() {
                if t + 1 < d || x[t + 1 - d..=t].iter().any(|v| v.is_nan()) {
                    assert!(rank[t].is_nan() && prod[t].is_nan() && decay[t].is_nan());
                    continue;
                }
                let w = &x[t + 1 - d..=t];
                let less = w.iter().filter(|&&v| v < x[t]).count() as f64;
                let equal = w.iter().filter(|&&v| v == x[t]).count() as f64;
                assert_eq!(rank[t], less + (equal + 1.0) / 2.0, "d={d} t={t}");
                let p: f64 = w.iter().product();
                assert_eq!(prod[t].to_bits(), p.to_bits(), "d={d} t={t}");
                let dl: f64 = w.iter().enumerate().map(|(i, v)| (i + 1) as f64 * v).sum();
                assert_eq!(decay[t], dl / denom, "d={d} t={t}");
            }
        }
    }
}
