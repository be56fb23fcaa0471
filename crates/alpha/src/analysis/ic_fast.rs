//! The screening kernel of [`IcEngine`]: one factor-day whose values are all finite and present
//! on every usable asset, at up to four horizons (one lane group), with the rank sums taken
//! while the ranks are being placed.
//!
//! With `x` the day's factor values, `f̄` their mean, `R` their average ranks and, prepared once
//! per day and horizon `h`, `r − r̄` and `S − (n+1)/2` (see [`super::ic_prep`]):
//!
//! ```text
//! IC_h     = Σ (x_k − f̄)(r_kh − r̄_h) / √(Σ (x_k − f̄)² · Σ (r_kh − r̄_h)²)
//! RankIC_h = Σ (R_k − m)(S_kh − m) / √(Σ (R_k − m)² · Σ (S_kh − m)²),   m = (n + 1)/2
//! Σ (R_k − m)² = (n³ − n − Σ_runs (t³ − t)) / 12
//! ```
//!
//! The ranks come from the linear-interpolation keys of [`super::sort`] (16 bits, two stable
//! passes of 8 bits over `key << 16 | position` words). The second pass puts each word at its
//! final place `i`, which *is* the rank `i + 1` unless the key is shared, so it adds
//! `(i + 1 − m)·(S_k − m)` for the four horizons right there: no rank array, no second pass.
//! Runs of equal keys (rare: 500 values over 65,536 keys) are then sorted exactly, their
//! provisional terms taken back and the exact average-rank terms added, and their runs of equal
//! values give the tie term.
//!
//! Exactness: ranks and centred ranks are multiples of ½, their products multiples of ¼ below
//! `n³`, so every partial sum of the rank side is an exact `f64` (`n < 200,000`) and the order of
//! the additions cannot change a bit. The Pearson side keeps the summation order of
//! [`IcEngine::day`] (four-way interleaved mean and sum of squares, even/odd accumulators, lanes
//! independent), so both paths give identical results; the wider vectors chosen at run time
//! (`multiversion`: AVX2 where present) change only how many lanes one instruction carries.

use multiversion::multiversion;

use super::ic::{ratio, DayIc};
use super::ic_prep::{DayPrep, LANES};
use super::rank::rank_sum_squares;

/// Cross-sections up to this size take the general path.
const SMALL: usize = 24;
/// Distinct keys (16 bits) and the largest cross-section of the kernel.
const KEYS: usize = 1 << 16;
/// Words checked at a time for shared keys.
const CHUNK: usize = 32;
/// `2⁵²`: adding it to a float in `[0, 2³¹)` leaves the nearest integer in the low mantissa bits.
const ROUND: f64 = 4_503_599_627_370_496.0;

/// Scratch of the screening kernel (no allocation once grown).
#[derive(Debug, Default, Clone)]
pub(crate) struct FastBuf {
    /// `key << 16 | position` words, sorted by key after the two passes.
    words: Vec<u32>,
    /// The words after the first pass.
    spare: Vec<u32>,
    /// Positions of one run of equal keys.
    run: Vec<u32>,
}

/// One pass over a day's factor values: smallest, largest, whether all are finite, and the sum
/// in the order of [`super::ic::sum4`] (four interleaved partial sums, the `len % 4` last values
/// first), so the mean is bit for bit that of [`super::IcEngine::day`]. Extremes do not depend on
/// the order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DayScan {
    /// Smallest value.
    pub(crate) lo: f64,
    /// Largest value.
    pub(crate) hi: f64,
    /// The sum is finite, hence so is every value (a `NaN` or `±∞` makes the sum `NaN` or
    /// `±∞`; a sum overflowing on finite values only sends the day to the general path).
    pub(crate) finite: bool,
    /// `Σ x`.
    pub(crate) sum: f64,
}

/// [`DayScan`] of `x`: the extremes by `f64::min`/`max` folds (they vectorize), the sum in four
/// lanes.
#[multiversion(targets("x86_64+avx+avx2+fma"))]
pub(crate) fn scan_day(x: &[f64]) -> DayScan {
    let lo = x.iter().fold(f64::INFINITY, |a, &b| a.min(b));
    let hi = x.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let mut sum = [0.0f64; 4];
    let chunks = x.chunks_exact(4);
    for (s, &v) in sum.iter_mut().zip(chunks.remainder()) {
        *s += v;
    }
    for c in chunks {
        for l in 0..4 {
            sum[l] += c[l];
        }
    }
    let sum = (sum[0] + sum[1]) + (sum[2] + sum[3]);
    DayScan {
        lo,
        hi,
        finite: sum.is_finite(),
        sum,
    }
}

/// `Σ (x_k − xm)·rc_k[l]` per lane, in the order of [`super::IcEngine::day`] (even and odd
/// positions in two accumulators, added at the end, an odd tail joining the even one), and
/// `Σ (x_k − xm)²` in the order of [`super::ic::sum4`].
#[multiversion(targets("x86_64+avx+avx2+fma"))]
fn centred_dots(x: &[f64], xm: f64, rc: &[[f64; LANES]]) -> ([f64; LANES], f64) {
    let n = x.len().min(rc.len());
    let body = n - n % 4;
    let mut ss = [0.0f64; 4];
    for (s, &v) in ss.iter_mut().zip(&x[body..n]) {
        *s += (v - xm) * (v - xm);
    }
    let mut acc = [[0.0; LANES]; 2];
    for (p, r) in x[..body].chunks_exact(4).zip(rc.chunks_exact(4)) {
        let d: [f64; 4] = std::array::from_fn(|q| p[q] - xm);
        for q in 0..4 {
            ss[q] += d[q] * d[q];
        }
        for q in 0..4 {
            for l in 0..LANES {
                acc[q % 2][l] += d[q] * r[q][l];
            }
        }
    }
    for k in body..n {
        let d = x[k] - xm;
        for l in 0..LANES {
            acc[(k - body) % 2][l] += d * rc[k][l];
        }
    }
    let sxy = std::array::from_fn(|l| acc[0][l] + acc[1][l]);
    (sxy, (ss[0] + ss[1]) + (ss[2] + ss[3]))
}

/// Where each key byte's words start after a stable counting sort: `[0]` by the low byte of the
/// key, `[1]` by the high one (both histograms in one pass, then their prefix sums).
fn histograms(words: &[u32]) -> [[u32; 256]; 2] {
    let mut hist = [[0u32; 256]; 2];
    for &w in words {
        hist[0][(w >> 16 & 0xff) as usize] += 1;
        hist[1][(w >> 24) as usize] += 1;
    }
    for h in hist.iter_mut() {
        let mut acc = 0;
        for c in h.iter_mut() {
            (*c, acc) = (acc, acc + *c);
        }
    }
    hist
}

/// The first radix pass: moves each word of `src` to its place in `dst` by the low byte of its
/// key (`starts`: where each byte's words begin). Slices and a local table, so the loop keeps
/// everything in registers but the table.
fn scatter_low(src: &[u32], dst: &mut [u32], starts: &mut [u32; 256]) {
    for &w in src {
        let slot = &mut starts[(w >> 16 & 0xff) as usize];
        let at = *slot;
        *slot = at + 1;
        if let Some(d) = dst.get_mut(at as usize) {
            *d = w;
        }
    }
}

/// The second radix pass: moves each word of `src` to its place `i` by its high key byte
/// (`starts`: where each byte's words begin) and adds `(i + 1 − mid)·kc_k[l]` (`k` the word's
/// position) per lane. Exact in any order (see the module notes); two accumulators for two
/// addition chains.
#[multiversion(targets("x86_64+avx+avx2+fma"))]
fn place_and_dot(
    src: &[u32],
    dst: &mut [u32],
    starts: &mut [u32; 256],
    kc: &[[f32; LANES]],
    mid: f64,
) -> [f64; LANES] {
    let (mut even, mut odd) = ([0.0; LANES], [0.0; LANES]);
    let mut place = |w: u32| {
        let slot = &mut starts[(w >> 24) as usize];
        let at = *slot;
        dst[at as usize] = w;
        *slot += 1;
        (f64::from(at) + (1.0 - mid), &kc[(w & 0xffff) as usize])
    };
    let pairs = src.chunks_exact(2);
    let tail = pairs.remainder();
    for p in pairs {
        let (c0, k0) = place(p[0]);
        let (c1, k1) = place(p[1]);
        for l in 0..LANES {
            even[l] += c0 * f64::from(k0[l]);
            odd[l] += c1 * f64::from(k1[l]);
        }
    }
    for &w in tail {
        let (c, k) = place(w);
        for l in 0..LANES {
            even[l] += c * f64::from(k[l]);
        }
    }
    std::array::from_fn(|l| even[l] + odd[l])
}

/// Radix words `key << 16 | k` of the values (`key = round((x − lo)·scale)`, clamped to 16 bits).
#[multiversion(targets("x86_64+avx+avx2+fma"))]
fn make_words(x: &[f64], lo: f64, scale: f64, words: &mut [u32]) {
    let top = (KEYS - 1) as u32;
    for ((w, &v), k) in words.iter_mut().zip(x).zip(0u32..) {
        let key = (((v - lo) * scale + ROUND).to_bits() as u32).min(top);
        *w = key << 16 | k;
    }
}

impl FastBuf {
    /// The IC and rank IC of the day's factor values `x` (one per usable asset, all finite,
    /// smallest `lo`, largest `hi`) at the day's horizons, into `out`. Returns `false` without
    /// touching `out` when the kernel does not apply (more than one lane group, a small or
    /// constant cross-section, a range beyond `f64`): the caller takes the general path.
    pub(crate) fn day(
        &mut self,
        prep: &DayPrep,
        x: &[f64],
        scan: DayScan,
        out: &mut [DayIc],
    ) -> bool {
        let n = x.len();
        let (lo, span) = (scan.lo, scan.hi - scan.lo);
        let fits = out.len() <= LANES && prep.ret_c.len() == n && prep.assets.len() == n;
        if !fits || n <= SMALL || n > KEYS || !(span > 0.0 && span.is_finite()) {
            return false;
        }
        if !scan.finite {
            return false;
        }
        let xm = scan.sum / n as f64;
        let (sxy, f_ss) = centred_dots(x, xm, &prep.ret_c);
        let (rxy, ties) = self.rank_dots(x, lo, (KEYS - 1) as f64 / span, &prep.rank_c);
        let f_rank_ss = rank_sum_squares(n, ties);
        if f_rank_ss == 0.0 {
            return false;
        }
        for (l, o) in out.iter_mut().enumerate() {
            *o = DayIc {
                ic: ratio(sxy[l], f_ss, prep.ret_ss[l]),
                rank_ic: ratio(rxy[l], f_rank_ss, prep.rank_ss[l]),
            };
        }
        true
    }

    /// `Σ (R_k − m)·kc_k[l]` per lane with `R` the average ranks of `x` and `m = (n + 1)/2`,
    /// and the tie term `Σ (t³ − t)` of `x`. Needs `SMALL < n ≤ KEYS`, `x` finite, `lo` its
    /// smallest value and `scale · (max − lo) ≤ 2¹⁶ − 1`.
    fn rank_dots(
        &mut self,
        x: &[f64],
        lo: f64,
        scale: f64,
        kc: &[[f32; LANES]],
    ) -> ([f64; LANES], u128) {
        let n = x.len();
        let mid = (n as f64 + 1.0) / 2.0;
        // every entry below is overwritten: resize without clearing
        self.spare.resize(n, 0);
        self.words.resize(n, 0);
        make_words(x, lo, scale, &mut self.spare);
        let mut hist = histograms(&self.spare);
        scatter_low(&self.spare, &mut self.words, &mut hist[0]);
        // second pass: place i is the provisional rank i + 1
        let mut rxy = place_and_dot(&self.words, &mut self.spare, &mut hist[1], kc, mid);
        std::mem::swap(&mut self.words, &mut self.spare);
        let ties = self.fix_runs(x, mid, kc, &mut rxy);
        (rxy, ties)
    }

    /// Sorts the runs of equal keys of `words` exactly, replaces their provisional rank terms in
    /// `rxy` by the average-rank ones, and returns the tie term.
    fn fix_runs(
        &mut self,
        x: &[f64],
        mid: f64,
        kc: &[[f32; LANES]],
        rxy: &mut [f64; LANES],
    ) -> u128 {
        let n = self.words.len();
        let shared = |w: &[u32], k: usize| (w[k] ^ w[k + 1]) < KEYS as u32;
        let any_shared = |w: &[u32]| {
            w.iter()
                .zip(&w[1..])
                .fold(false, |h, (a, b)| h | ((a ^ b) < KEYS as u32))
        };
        let mut ties = 0u128;
        // `next`: where the next run may start. A chunk without a shared key is passed over by
        // a branch-free test (it vectorizes); most are.
        let mut next = 0;
        for c0 in (0..n.saturating_sub(1)).step_by(CHUNK) {
            let c1 = (c0 + CHUNK).min(n - 1);
            if c0.max(next) >= c1 || !any_shared(&self.words[c0.max(next)..=c1]) {
                continue;
            }
            while let Some(start) = (c0.max(next)..c1).find(|&k| shared(&self.words, k)) {
                let key = self.words[start] >> 16;
                let len = self.words[start..]
                    .iter()
                    .position(|&w| w >> 16 != key)
                    .unwrap_or(n - start);
                ties += self.fix_run(start, len, (x, mid, kc), rxy);
                next = start + len;
            }
        }
        ties
    }

    /// [`Self::fix_runs`] for the run `start..start + len`; returns its tie term.
    fn fix_run(
        &mut self,
        start: usize,
        len: usize,
        (x, mid, kc): (&[f64], f64, &[[f32; LANES]]),
        rxy: &mut [f64; LANES],
    ) -> u128 {
        let run = &mut self.run;
        run.clear();
        run.extend(self.words[start..start + len].iter().map(|&w| w & 0xffff));
        let add = |rxy: &mut [f64; LANES], c: f64, p: u32| {
            for (r, &k) in rxy.iter_mut().zip(&kc[p as usize]) {
                *r += c * f64::from(k);
            }
        };
        // take back the provisional terms: place start + j had rank start + j + 1
        for (j, &p) in run.iter().enumerate() {
            add(rxy, mid - (start + j + 1) as f64, p);
        }
        run.sort_unstable_by(|&a, &b| x[a as usize].total_cmp(&x[b as usize]));
        let mut ties = 0u128;
        let mut a = 0;
        while a < len {
            let v = x[run[a] as usize];
            let mut b = a + 1;
            // `==` ties −0 with +0 (`total_cmp` put them next to each other)
            while b < len && x[run[b] as usize] == v {
                b += 1;
            }
            // places start + a .. start + b share the ranks start + a + 1 ..= start + b
            let avg = (2 * start + a + b + 1) as f64 / 2.0;
            for &p in &run[a..b] {
                add(rxy, avg - mid, p);
            }
            let t = (b - a) as u128;
            ties += t * t * t - t;
            a = b;
        }
        ties
    }
}

#[cfg(test)]
mod tests {
    use super::super::ic::{IcEngine, IcScratch};
    use super::super::returns::ForwardReturns;
    use super::*;

    fn uniform(seed: u64) -> impl FnMut() -> f64 {
        let mut x = seed;
        move || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// Prices on a 1-cent grid (tied returns), some missing, so some days lose assets.
    fn returns(nd: usize, na: usize, horizons: &[usize], gaps: bool) -> ForwardReturns {
        let mut u = uniform(17);
        let mut prices = vec![0.0; nd * na];
        for a in 0..na {
            let mut p = 20.0;
            for t in 0..nd {
                p = ((p * (1.0 + 0.04 * (u() - 0.5))) * 100.0).round() / 100.0;
                prices[a * nd + t] = if gaps && u() < 0.01 { f64::NAN } else { p };
            }
        }
        ForwardReturns::from_prices(&prices, nd, na, horizons).unwrap()
    }

    /// One factor day of the given kind (`na` values).
    fn factor_day(kind: usize, na: usize, u: &mut impl FnMut() -> f64) -> Vec<f64> {
        (0..na)
            .map(|a| {
                let v = u() - 0.5;
                match kind {
                    0 => v,
                    1 => (v * 6.0).round(),                // heavy ties
                    2 => (v * 2e4).round() * 1e-9,         // shared keys, few equal values
                    3 if a % 50 == 7 => 1e30 * v.signum(), // outliers squeeze the bulk
                    3 => 1.0 + v * 1e-12,
                    4 if a % 3 == 0 => -0.0, // signed zeros tie
                    4 if a % 3 == 1 => 0.0,
                    5 => (v * 40.0).exp(),        // heavy tail
                    6 if a % 97 == 5 => f64::NAN, // a gap: general path
                    7 if a == 3 => f64::INFINITY, // not finite: general path
                    7 => 0.25,                    // constant otherwise
                    _ => v,
                }
            })
            .collect()
    }

    fn check_same(fwd: &ForwardReturns, kinds: std::ops::Range<usize>, days: usize) -> usize {
        let engine = IcEngine::new(fwd);
        let (na, n_h) = (fwd.n_assets(), fwd.horizons().len());
        let (mut s1, mut s2) = (IcScratch::new(), IcScratch::new());
        let (mut general, mut screen) = (vec![DayIc::NAN; n_h], vec![DayIc::NAN; n_h]);
        let mut u = uniform(3);
        let mut fast_days = 0;
        for kind in kinds {
            for t in 0..days {
                let f = factor_day(kind, na, &mut u);
                engine.day(t, &f, &mut s1, &mut general);
                engine.day_screen(t, &f, &mut s2, &mut screen);
                for (hi, (g, s)) in general.iter().zip(&screen).enumerate() {
                    let what = format!("kind {kind} t{t} h#{hi}: {g:?} vs {s:?}");
                    assert_eq!(g.ic.to_bits(), s.ic.to_bits(), "{what}");
                    assert_eq!(g.rank_ic.to_bits(), s.rank_ic.to_bits(), "{what}");
                }
                let prep = &engine.days[t];
                if prep.assets.len() == na {
                    let scan = scan_day(&f);
                    fast_days += usize::from(s2.fast.day(prep, &f, scan, &mut screen));
                }
            }
        }
        fast_days
    }

    #[test]
    fn screening_kernel_equals_the_general_day_bit_for_bit() {
        // full days and days with missing returns, 4 horizons and 3 (an unused lane)
        let fwd = returns(60, 300, &[1, 5, 10, 20], true);
        assert!(check_same(&fwd, 0..8, 35) > 100, "the kernel ran");
        let fwd = returns(40, 257, &[1, 2, 3], false);
        assert!(check_same(&fwd, 0..6, 30) > 100, "the kernel ran");
    }

    #[test]
    fn kernel_declines_what_it_does_not_handle() {
        let fwd = returns(30, 200, &[1, 2, 3, 4, 5], false);
        let engine = IcEngine::new(&fwd);
        let mut buf = FastBuf::default();
        let mut out = [DayIc::NAN; 5];
        let f = factor_day(0, 200, &mut uniform(1));
        // five horizons: two lane groups, the general path
        assert!(!buf.day(&engine.days[0], &f, scan_day(&f), &mut out[..]));
        let fwd = returns(30, 200, &[1], false);
        let engine = IcEngine::new(&fwd);
        let mut out = [DayIc::NAN; 1];
        assert!(buf.day(&engine.days[0], &f, scan_day(&f), &mut out));
        let constant = vec![2.0; 200];
        assert!(!buf.day(&engine.days[0], &constant, scan_day(&constant), &mut out));
        let mut wide = f.clone();
        wide[0] = f64::MAX;
        wide[1] = f64::MIN;
        assert!(!buf.day(&engine.days[0], &wide, scan_day(&wide), &mut out));
        assert!(!buf.day(&engine.days[0], &f[..20], scan_day(&f[..20]), &mut out));
    }

    #[test]
    fn day_scan_matches_plain_folds() {
        let mut u = uniform(9);
        for n in [0, 1, 3, 4, 7, 64, 301] {
            let x: Vec<f64> = (0..n).map(|_| u() - 0.3).collect();
            let s = scan_day(&x);
            let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert_eq!((s.lo, s.hi, s.finite), (lo, hi, true), "n = {n}");
            if n > 0 {
                let mean = super::super::ic::mean(&x);
                assert_eq!(s.sum / n as f64, mean, "same order as sum4, n = {n}");
            }
            let mut y = x.clone();
            if n > 0 {
                y[n / 2] = f64::NAN;
                assert!(!scan_day(&y).finite);
                y[n / 2] = f64::NEG_INFINITY;
                assert!(!scan_day(&y).finite);
            }
        }
    }
}
