//! Variance recursions, kept apart from the model classes, each with its derivative-carrying
//! fast form used by the estimator and a plain twin used by tests and starting values.
//!
//! **Power GARCH family** (`s_t` is σ²_t for power 2, σ_t for power 1):
//!
//! s_t = ω + Σ_{i=1}^{p} α_i |ε_{t−i}|^δ + Σ_{k=1}^{o} γ_k |ε_{t−k}|^δ 1[ε_{t−k} < 0]
//!     + Σ_{j=1}^{q} β_j s_{t−j}
//!
//! δ = 2 is GARCH (Bollerslev 1986) and GJR-GARCH (Glosten, Jagannathan & Runkle 1993); δ = 1 is
//! the threshold ARCH of Zakoian (1994) (arch's TARCH/ZARCH). Pre-sample values, as in `arch`:
//! |ε|^δ and s are replaced by the backcast, |ε|^δ·1[ε<0] by half the backcast.
//!
//! **EGARCH** (Nelson 1991), on h_t = ln σ²_t with e_t = ε_t/σ_t:
//!
//! h_t = ω + Σ_{i=1}^{p} α_i (|e_{t−i}| − √(2/π)) + Σ_{k=1}^{o} γ_k e_{t−k} + Σ_{j=1}^{q} β_j h_{t−j}
//!
//! where pre-sample h is the (log) backcast and pre-sample shocks contribute nothing (`arch`), or,
//! with [`EgarchStart::shock`] (TSP's `e(0) = mean`, see [`crate::spec::Backcast`]), every
//! pre-sample e is that shock: h_0 = ω + Σα_i(|e₀| − √(2/π)) + Σγ_k e₀ + Σβ_j h₋₁.
//!
//! Every value passes [`bounds_check`]: a floor, and above a ceiling U the log-damped U + ln(s/U),
//! so the likelihood stays finite for any parameter the optimizer tries.

/// √(2/π) = E|Z| for a standard normal Z.
pub const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;
/// Largest ln σ² that does not overflow `exp`.
pub const LNSIGMA_MAX: f64 = 709.682_712_893_384;

/// Applies the floor `lo` and the log-damped ceiling `hi` (arch's `bounds_check`).
#[inline(always)]
pub fn bounds_check(s: f64, lo: f64, hi: f64) -> f64 {
    if s < lo {
        lo
    } else if s > hi {
        if s.is_finite() {
            hi + (s / hi).ln()
        } else {
            hi + 1000.0
        }
    } else {
        s
    }
}

/// Orders and constants shared by the recursions.
#[derive(Debug, Clone, Copy)]
pub struct Orders {
    /// ARCH lags.
    pub p: usize,
    /// Asymmetric lags.
    pub o: usize,
    /// GARCH lags.
    pub q: usize,
}

/// Plain power-GARCH recursion (the twin): writes `s_t` for every t (δ = `power` ∈ {1, 2}).
#[allow(clippy::too_many_arguments)]
pub fn power_garch(
    theta: &[f64],
    resids: &[f64],
    power: f64,
    ord: Orders,
    backcast: f64,
    lo: &[f64],
    hi: &[f64],
    s: &mut [f64],
) {
    let Orders { p, o, q } = ord;
    let f = |e: f64| if power == 2.0 { e * e } else { e.abs() };
    for t in 0..resids.len() {
        let mut v = theta[0];
        for i in 1..=p {
            v += theta[i] * if t >= i { f(resids[t - i]) } else { backcast };
        }
        for k in 1..=o {
            let x = if t >= k {
                if resids[t - k] < 0.0 {
                    f(resids[t - k])
                } else {
                    0.0
                }
            } else {
                0.5 * backcast
            };
            v += theta[p + k] * x;
        }
        for j in 1..=q {
            v += theta[p + o + j] * if t >= j { s[t - j] } else { backcast };
        }
        s[t] = bounds_check(v, lo[t], hi[t]);
    }
}

/// Power-GARCH recursion with derivatives. `x` holds the mean regressors (row-major `n × m`,
/// ∂ε_t/∂φ = −x_t); `dbc` is ∂backcast/∂φ (zero unless the backcast follows the residuals);
/// `ds` receives ∂s_t/∂(φ, θ) row-major `n × (m + 1 + p + o + q)`.
#[allow(clippy::too_many_arguments)]
pub fn power_garch_grad(
    theta: &[f64],
    resids: &[f64],
    x: &[f64],
    m: usize,
    power: f64,
    ord: Orders,
    backcast: f64,
    dbc: &[f64],
    lo: &[f64],
    hi: &[f64],
    s: &mut [f64],
    ds: &mut [f64],
) {
    let Orders { p, o, q } = ord;
    let d = m + 1 + p + o + q;
    let two = power == 2.0;
    for t in 0..resids.len() {
        let (prev, rest) = ds.split_at_mut(t * d);
        let cur = &mut rest[..d];
        cur.fill(0.0);
        let mut v = theta[0];
        cur[m] = 1.0;
        for i in 1..=p {
            let a = theta[i];
            if t >= i {
                let e = resids[t - i];
                let (f, fe) = if two {
                    (e * e, 2.0 * e)
                } else {
                    (e.abs(), e.signum())
                };
                v += a * f;
                cur[m + i] += f;
                for c in 0..m {
                    cur[c] -= a * fe * x[(t - i) * m + c];
                }
            } else {
                v += a * backcast;
                cur[m + i] += backcast;
                for c in 0..m {
                    cur[c] += a * dbc[c];
                }
            }
        }
        for k in 1..=o {
            let g = theta[p + k];
            if t >= k {
                let e = resids[t - k];
                if e < 0.0 {
                    let (f, fe) = if two { (e * e, 2.0 * e) } else { (-e, -1.0) };
                    v += g * f;
                    cur[m + p + k] += f;
                    for c in 0..m {
                        cur[c] -= g * fe * x[(t - k) * m + c];
                    }
                }
            } else {
                v += g * 0.5 * backcast;
                cur[m + p + k] += 0.5 * backcast;
                for c in 0..m {
                    cur[c] += 0.5 * g * dbc[c];
                }
            }
        }
        for j in 1..=q {
            let b = theta[p + o + j];
            if t >= j {
                v += b * s[t - j];
                cur[m + p + o + j] += s[t - j];
                let pr = &prev[(t - j) * d..(t - j + 1) * d];
                for (cc, pc) in cur.iter_mut().zip(pr) {
                    *cc += b * pc;
                }
            } else {
                v += b * backcast;
                cur[m + p + o + j] += backcast;
                for c in 0..m {
                    cur[c] += b * dbc[c];
                }
            }
        }
        if v < lo[t] {
            v = lo[t];
            cur.fill(0.0);
        } else if v > hi[t] {
            let raw = v;
            v = bounds_check(raw, lo[t], hi[t]);
            let scale = if raw.is_finite() { 1.0 / raw } else { 0.0 };
            cur.iter_mut().for_each(|c| *c *= scale);
        }
        s[t] = v;
    }
}

/// Pre-sample values of the EGARCH recursion and their derivatives in the mean parameters.
#[derive(Debug, Clone, Copy)]
pub struct EgarchStart<'a> {
    /// ln σ² before the first observation (the log backcast).
    pub h: f64,
    /// ∂h/∂φ (empty, or one per mean parameter).
    pub dh: &'a [f64],
    /// The standardized pre-sample shock e₀, or `None` for no pre-sample shock terms.
    pub shock: Option<f64>,
    /// ∂e₀/∂φ (empty, or one per mean parameter).
    pub dshock: &'a [f64],
}

impl EgarchStart<'_> {
    /// `arch`'s start: h₋₁ = `backcast`, no pre-sample shock, nothing depends on φ.
    pub fn backcast(backcast: f64) -> EgarchStart<'static> {
        EgarchStart {
            h: backcast,
            dh: &[],
            shock: None,
            dshock: &[],
        }
    }
}

/// Plain EGARCH recursion (the twin): writes σ²_t (`arch`'s start, see [`egarch_from`]).
pub fn egarch(
    theta: &[f64],
    resids: &[f64],
    ord: Orders,
    backcast: f64,
    lo: &[f64],
    hi: &[f64],
    sigma2: &mut [f64],
) {
    egarch_from(
        theta,
        resids,
        ord,
        &EgarchStart::backcast(backcast),
        lo,
        hi,
        sigma2,
    );
}

/// Plain EGARCH recursion from the pre-sample values `start`: writes σ²_t.
pub fn egarch_from(
    theta: &[f64],
    resids: &[f64],
    ord: Orders,
    start: &EgarchStart<'_>,
    lo: &[f64],
    hi: &[f64],
    sigma2: &mut [f64],
) {
    let Orders { p, o, q } = ord;
    let n = resids.len();
    let mut h = vec![0.0f64; n];
    let mut e = vec![0.0f64; n];
    for t in 0..n {
        let lag_e = |e: &[f64], i: usize| if t >= i { Some(e[t - i]) } else { start.shock };
        let mut v = theta[0];
        for i in 1..=p {
            if let Some(ei) = lag_e(&e, i) {
                v += theta[i] * (ei.abs() - SQRT_2_OVER_PI);
            }
        }
        for k in 1..=o {
            if let Some(ek) = lag_e(&e, k) {
                v += theta[p + k] * ek;
            }
        }
        for j in 1..=q {
            v += theta[p + o + j] * if t >= j { h[t - j] } else { start.h };
        }
        let (s2, ln) = egarch_bounds(v, lo[t], hi[t]);
        sigma2[t] = s2;
        h[t] = ln;
        e[t] = resids[t] / s2.sqrt();
    }
}

/// Clamps ln σ² as `arch` does; returns (σ², ln σ²).
#[inline(always)]
fn egarch_bounds(v: f64, lo: f64, hi: f64) -> (f64, f64) {
    let v = v.min(LNSIGMA_MAX);
    let s2 = v.exp();
    if s2 < lo {
        (lo, lo.ln())
    } else if s2 > hi {
        let s2 = hi + v - hi.ln();
        (s2, s2.ln())
    } else {
        (s2, v)
    }
}

/// EGARCH recursion with derivatives (`arch`'s start, see [`egarch_grad_from`]).
#[allow(clippy::too_many_arguments)]
pub fn egarch_grad(
    theta: &[f64],
    resids: &[f64],
    x: &[f64],
    m: usize,
    ord: Orders,
    backcast: f64,
    dbc: &[f64],
    lo: &[f64],
    hi: &[f64],
    sigma2: &mut [f64],
    h: &mut [f64],
    dh: &mut [f64],
    e: &mut [f64],
    de: &mut [f64],
) {
    let start = EgarchStart {
        dh: dbc,
        ..EgarchStart::backcast(backcast)
    };
    egarch_grad_from(
        theta, resids, x, m, ord, &start, lo, hi, sigma2, h, dh, e, de,
    );
}

/// EGARCH recursion with derivatives from the pre-sample values `start`: `dh` receives
/// ∂ln σ²_t/∂(φ, θ) row-major `n × d`; `e`, `de` are scratch (standardized residuals and their
/// derivatives).
#[allow(clippy::too_many_arguments)]
pub fn egarch_grad_from(
    theta: &[f64],
    resids: &[f64],
    x: &[f64],
    m: usize,
    ord: Orders,
    start: &EgarchStart<'_>,
    lo: &[f64],
    hi: &[f64],
    sigma2: &mut [f64],
    h: &mut [f64],
    dh: &mut [f64],
    e: &mut [f64],
    de: &mut [f64],
) {
    let Orders { p, o, q } = ord;
    let d = m + 1 + p + o + q;
    for t in 0..resids.len() {
        let (prev, rest) = dh.split_at_mut(t * d);
        let cur = &mut rest[..d];
        cur.fill(0.0);
        cur[m] = 1.0;
        let mut v = theta[0];
        for i in 1..=p {
            let a = theta[i];
            let (ei, dei) = if t >= i {
                (e[t - i], &de[(t - i) * d..(t - i + 1) * d])
            } else if let Some(z0) = start.shock {
                (z0, start.dshock)
            } else {
                continue;
            };
            v += a * (ei.abs() - SQRT_2_OVER_PI);
            cur[m + i] += ei.abs() - SQRT_2_OVER_PI;
            let sg = a * ei.signum();
            for (cc, dc) in cur.iter_mut().zip(dei) {
                *cc += sg * dc;
            }
        }
        for k in 1..=o {
            let g = theta[p + k];
            let (ek, dek) = if t >= k {
                (e[t - k], &de[(t - k) * d..(t - k + 1) * d])
            } else if let Some(z0) = start.shock {
                (z0, start.dshock)
            } else {
                continue;
            };
            v += g * ek;
            cur[m + p + k] += ek;
            for (cc, dc) in cur.iter_mut().zip(dek) {
                *cc += g * dc;
            }
        }
        for j in 1..=q {
            let b = theta[p + o + j];
            if t >= j {
                v += b * h[t - j];
                cur[m + p + o + j] += h[t - j];
                for (cc, pc) in cur.iter_mut().zip(&prev[(t - j) * d..(t - j + 1) * d]) {
                    *cc += b * pc;
                }
            } else {
                v += b * start.h;
                cur[m + p + o + j] += start.h;
                for (cc, dc) in cur.iter_mut().zip(start.dh) {
                    *cc += b * dc;
                }
            }
        }
        let capped = v > LNSIGMA_MAX;
        let (s2, ln) = egarch_bounds(v, lo[t], hi[t]);
        if capped || s2 == lo[t] && v.exp() < lo[t] {
            cur.fill(0.0);
        } else if s2 != v.exp() {
            // Log-damped ceiling: σ² = U + h − ln U, so ∂ln σ² = ∂h / σ².
            cur.iter_mut().for_each(|c| *c /= s2);
        }
        sigma2[t] = s2;
        h[t] = ln;
        let inv_s = 1.0 / s2.sqrt();
        e[t] = resids[t] * inv_s;
        // e_t = ε_t·exp(−h_t/2): ∂e = −x_t·exp(−h/2) (mean part) − ½ e_t ∂h.
        let half_e = 0.5 * e[t];
        let dcur = &mut de[t * d..(t + 1) * d];
        for (dc, cc) in dcur.iter_mut().zip(cur.iter()) {
            *dc = -half_e * cc;
        }
        for c in 0..m {
            dcur[c] -= inv_s * x[t * m + c];
        }
    }
}
