//! Variance-process components: parameter names, bounds, linear constraints, backcast,
//! variance bounds and starting values (conventions of `arch` 8).
//!
//! The recursions themselves are in [`crate::recursions`].

use crate::recursions::{self, Orders};
use crate::spec::{Backcast, GarchSpec, VolKind};
use af_optim::LinearConstraints;

/// EGARCH's persistence is held to Σβ ≤ 1 − this margin (a half-life of at most ~6,900
/// observations), so a fit is always strictly stationary.
pub(crate) const EGARCH_BETA_MARGIN: f64 = 1e-4;

/// A variance process of given orders.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VolModel {
    pub kind: VolKind,
    pub ord: Orders,
}

impl VolModel {
    pub fn new(spec: &GarchSpec) -> VolModel {
        VolModel {
            kind: spec.vol,
            ord: Orders {
                p: spec.p,
                o: spec.o,
                q: spec.q,
            },
        }
    }

    /// 1 + p + o + q.
    pub fn num_params(&self) -> usize {
        1 + self.ord.p + self.ord.o + self.ord.q
    }

    /// `omega`, `alpha[i]`, `gamma[k]`, `beta[j]`.
    pub fn param_names(&self) -> Vec<String> {
        let mut names = vec!["omega".to_string()];
        names.extend((1..=self.ord.p).map(|i| format!("alpha[{i}]")));
        names.extend((1..=self.ord.o).map(|i| format!("gamma[{i}]")));
        names.extend((1..=self.ord.q).map(|i| format!("beta[{i}]")));
        names
    }

    /// The power δ of the recursion (2 for GARCH/GJR, 1 for TARCH); EGARCH works on ln σ².
    pub fn power(&self) -> f64 {
        match self.kind {
            VolKind::Tarch => 1.0,
            _ => 2.0,
        }
    }

    /// |ε|^δ without `powf`.
    #[inline(always)]
    fn fpow(&self, e: f64) -> f64 {
        if self.power() == 2.0 {
            e * e
        } else {
            e.abs()
        }
    }

    /// Backcast in the recursion's units: mean |ε|^δ (EWMA λ = 0.94 over the first 75, or the full
    /// sample), its log for EGARCH.
    pub fn backcast(&self, resids: &[f64], rule: Backcast) -> f64 {
        let power = self.power();
        let f = |e: f64| if power == 2.0 { e * e } else { e.abs() };
        let value = match rule {
            Backcast::Ewma => {
                let tau = resids.len().min(75);
                let (mut num, mut den, mut w) = (0.0, 0.0, 1.0);
                for &e in &resids[..tau] {
                    num += w * f(e);
                    den += w;
                    w *= 0.94;
                }
                num / den
            }
            Backcast::Sample | Backcast::SampleMeanShock => {
                resids.iter().map(|&e| f(e)).sum::<f64>() / resids.len() as f64
            }
        };
        match self.kind {
            VolKind::Egarch => value.ln(),
            _ => value,
        }
    }

    /// Per-observation (floor, ceiling) in the recursion's units (σ², or σ for TARCH): an EWMA of
    /// ε² divided / multiplied by 10⁶, floored at var(ε)/10⁸, ceiling within
    /// [1 + max ε², 10⁷(1 + max ε²)], as `arch`'s `variance_bounds`.
    pub fn variance_bounds(&self, resids: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let n = resids.len();
        let tau = n.min(75);
        let (mut num, mut den, mut w) = (0.0, 0.0, 1.0);
        for &e in &resids[..tau] {
            num += w * e * e;
            den += w;
            w *= 0.94;
        }
        let mean = resids.iter().sum::<f64>() / n as f64;
        let var = resids.iter().map(|e| (e - mean) * (e - mean)).sum::<f64>() / n as f64;
        let max2 = resids.iter().fold(0.0f64, |m, e| m.max(e * e));
        let (floor, min_upper, max_upper) = (var / 1e8, 1.0 + max2, 1e7 * (1.0 + max2));
        let mut lo = Vec::with_capacity(n);
        let mut hi = Vec::with_capacity(n);
        // arch's ewma_recursion: σ²_0 = initial, σ²_t = 0.94 σ²_{t−1} + 0.06 ε²_{t−1}.
        let mut ewma = num / den;
        let root = self.power() == 1.0;
        for &e in resids {
            let l = (ewma / 1e6).max(floor);
            let u = (ewma * 1e6).max(min_upper).min(max_upper);
            if root {
                lo.push(l.sqrt());
                hi.push(u.sqrt());
            } else {
                lo.push(l);
                hi.push(u);
            }
            ewma = 0.94 * ewma + 0.06 * e * e;
        }
        (lo, hi)
    }

    /// Parameter bounds (`arch`'s).
    pub fn bounds(&self, resids: &[f64]) -> Vec<(f64, f64)> {
        let Orders { p, o, q } = self.ord;
        let n = resids.len() as f64;
        match self.kind {
            VolKind::Egarch => {
                let v = resids.iter().map(|e| e * e).sum::<f64>() / n;
                let (lnv, c) = (v.ln(), 10_000f64.ln());
                let mut b = vec![(lnv - c, lnv + c)];
                b.extend(std::iter::repeat_n(
                    (f64::NEG_INFINITY, f64::INFINITY),
                    p + o,
                ));
                b.extend(std::iter::repeat_n((0.0, q as f64), q));
                b
            }
            _ => {
                let v = resids.iter().map(|&e| self.fpow(e)).sum::<f64>() / n;
                let mut b = vec![(1e-8 * v, 10.0 * v)];
                b.extend(std::iter::repeat_n((0.0, 1.0), p));
                b.extend((0..o).map(|k| if k < p { (-1.0, 2.0) } else { (0.0, 2.0) }));
                b.extend(std::iter::repeat_n((0.0, 1.0), q));
                b
            }
        }
    }

    /// Linear constraints `A·θ − b ≥ 0` on (ω, α, γ, β).
    pub fn constraints(&self) -> LinearConstraints {
        let Orders { p, o, q } = self.ord;
        let k = self.num_params();
        let mut c = LinearConstraints::none();
        let unit = |i: usize| {
            let mut r = vec![0.0; k];
            r[i] = 1.0;
            r
        };
        match self.kind {
            VolKind::Egarch => {
                // 1 − Σβ ≥ EGARCH_BETA_MARGIN: ln σ² strictly stationary (arch allows Σβ = 1,
                // where short windows drift to a unit root and forecasts blow up).
                let mut r = vec![0.0; k];
                r[1 + p + o..].iter_mut().for_each(|v| *v = -1.0);
                c.push(r, -(1.0 - EGARCH_BETA_MARGIN));
            }
            _ => {
                c.push(unit(0), 0.0); // ω ≥ 0
                for i in 1..=p {
                    c.push(unit(i), 0.0); // α_i ≥ 0
                }
                for j in 1..=o {
                    // γ_j + α_j ≥ 0 (the negative-shock loading stays non-negative), or γ_j ≥ 0
                    let mut r = unit(p + j);
                    if j <= p {
                        r[j] = 1.0;
                    }
                    c.push(r, 0.0);
                }
                for j in 1..=q {
                    c.push(unit(p + o + j), 0.0); // β_j ≥ 0
                }
                // 1 − Σα − ½Σγ − Σβ ≥ 0: covariance stationarity
                let mut r = vec![-1.0; k];
                r[0] = 0.0;
                r[1 + p..1 + p + o].iter_mut().for_each(|v| *v = -0.5);
                c.push(r, -1.0);
            }
        }
        c
    }

    /// Plain recursion into σ² (twin path: starting values, simulation checks).
    pub fn sigma2(
        &self,
        theta: &[f64],
        resids: &[f64],
        backcast: f64,
        lo: &[f64],
        hi: &[f64],
    ) -> Vec<f64> {
        let mut s = vec![0.0; resids.len()];
        match self.kind {
            VolKind::Egarch => {
                recursions::egarch(theta, resids, self.ord, backcast, lo, hi, &mut s)
            }
            _ => {
                recursions::power_garch(
                    theta,
                    resids,
                    self.power(),
                    self.ord,
                    backcast,
                    lo,
                    hi,
                    &mut s,
                );
                if self.power() == 1.0 {
                    s.iter_mut().for_each(|v| *v *= *v);
                }
            }
        }
        s
    }

    /// `arch`'s grid of starting values, choosing the best Gaussian log-likelihood.
    pub fn starting_values(
        &self,
        resids: &[f64],
        backcast: f64,
        lo: &[f64],
        hi: &[f64],
    ) -> Vec<f64> {
        let fused = self.ord.p == 1 && self.ord.q == 1 && self.ord.o <= 1;
        let egarch = self.kind == VolKind::Egarch;
        let inp = crate::fused::Inputs {
            resids,
            lo,
            hi,
            backcast,
            dbc: 0.0,
            power: self.power(),
        };
        let dist = crate::dist::Normal;
        let gaussian_ll = |inp: &crate::fused::Inputs<'_>, sv: &[f64]| -> f64 {
            use crate::fused::power11;
            use crate::fused_egarch::{egarch11, Shock};
            match (fused, egarch, self.ord.o) {
                (true, false, 0) => power11::<_, 0, 0, false>(inp, sv, &dist, 0, &mut []),
                (true, false, _) => power11::<_, 0, 1, false>(inp, sv, &dist, 0, &mut []),
                (true, true, 0) => {
                    egarch11::<_, 0, 0, false>(inp, sv, &dist, 0, Shock::default(), &mut [])
                }
                (true, true, _) => {
                    egarch11::<_, 0, 1, false>(inp, sv, &dist, 0, Shock::default(), &mut [])
                }
                _ => {
                    let s2 = self.sigma2(sv, inp.resids, backcast, inp.lo, inp.hi);
                    let q: f64 = inp.resids.iter().zip(&s2).map(|(e, v)| e * e / v).sum();
                    -0.5 * (crate::likelihood::sum_ln(&s2) + q)
                }
            }
        };
        let Orders { p, o, q } = self.ord;
        let k = self.num_params();
        let n = resids.len() as f64;
        let grid = [0.01, 0.05, 0.1, 0.2];
        let persist = [0.5, 0.7, 0.9, 0.98];
        let mut candidates = Vec::new();
        match self.kind {
            VolKind::Egarch => {
                let target = (resids.iter().map(|e| e * e).sum::<f64>() / n).ln();
                for &a in &grid {
                    for &g in if o > 0 {
                        &[-0.1, 0.0, 0.1][..]
                    } else {
                        &[0.0][..]
                    } {
                        for &b in &persist {
                            let mut sv = vec![(1.0 - b) * target; k];
                            sv[1..1 + p].iter_mut().for_each(|v| *v = a / p as f64);
                            sv[1 + p..1 + p + o]
                                .iter_mut()
                                .for_each(|v| *v = g / o as f64);
                            sv[1 + p + o..].iter_mut().for_each(|v| *v = b / q as f64);
                            candidates.push(sv);
                        }
                    }
                }
            }
            _ => {
                let power = self.power();
                let mut target = resids.iter().map(|&e| self.fpow(e)).sum::<f64>() / n;
                let m2 = resids.iter().map(|e| e * e).sum::<f64>() / n;
                let scale = m2 / target.powf(2.0 / power);
                target *= scale.powf(power / 2.0);
                for &a in &grid {
                    for &g in if o > 0 { &grid[..] } else { &[0.0][..] } {
                        for &agb in &persist {
                            let mut sv = vec![(1.0 - agb) * target; k];
                            let mut rest = agb;
                            if p > 0 {
                                sv[1..1 + p].iter_mut().for_each(|v| *v = a / p as f64);
                                rest -= a;
                            }
                            if o > 0 {
                                sv[1 + p..1 + p + o]
                                    .iter_mut()
                                    .for_each(|v| *v = g / o as f64);
                                rest -= g / 2.0;
                            }
                            sv[1 + p + o..]
                                .iter_mut()
                                .for_each(|v| *v = rest / q as f64);
                            candidates.push(sv);
                        }
                    }
                }
            }
        }
        if self.kind == VolKind::Egarch {
            return egarch_search(&candidates, grid.len(), o > 0, persist.len(), |sv, full| {
                let screen = resids.len() / 4;
                if full || screen < 250 {
                    gaussian_ll(&inp, sv)
                } else {
                    let sub = crate::fused::Inputs {
                        resids: &resids[..screen],
                        lo: &lo[..screen],
                        hi: &hi[..screen],
                        ..inp
                    };
                    gaussian_ll(&sub, sv)
                }
            });
        }
        // `arch`'s grid (16 points, 48 for EGARCH) is screened on the first quarter of the sample
        // (when that holds at least 250 observations); the best 4 are then ranked on the full
        // sample, as `arch` ranks them all.
        let screen = resids.len() / 4;
        if screen >= 250 && candidates.len() > 8 {
            let sub = crate::fused::Inputs {
                resids: &resids[..screen],
                lo: &lo[..screen],
                hi: &hi[..screen],
                ..inp
            };
            let mut scored: Vec<(f64, Vec<f64>)> = candidates
                .into_iter()
                .map(|sv| (gaussian_ll(&sub, &sv), sv))
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            candidates = scored.into_iter().take(4).map(|(_, sv)| sv).collect();
        }
        let mut best = (f64::NEG_INFINITY, candidates[0].clone());
        for sv in candidates {
            let ll = gaussian_ll(&inp, &sv);
            if ll > best.0 {
                best = (ll, sv);
            }
        }
        best.1
    }
}

/// EGARCH's start: a coordinate search over `arch`'s grid (α × γ × β, β fastest, as built in
/// [`VolModel::starting_values`]) instead of all 48 points — β at α = 0.1, γ = 0; then α; then
/// γ — scored by the Gaussian ℓ on the screening sample (`score(sv, false)`: the first quarter
/// when that holds 250 observations, else everything); the best two visited points are ranked on
/// the full sample (`score(sv, true)`). 9 evaluations instead of 48.
fn egarch_search(
    grid: &[Vec<f64>],
    n_alpha: usize,
    asym: bool,
    n_beta: usize,
    mut score: impl FnMut(&[f64], bool) -> f64,
) -> Vec<f64> {
    let n_gamma = if asym { 3 } else { 1 };
    let at = |a: usize, g: usize, b: usize| (a * n_gamma + g) * n_beta + b;
    // Start at α = 0.1 (index 2), γ = 0 (the middle), and search β.
    let (mut a, g, mut b) = (2.min(n_alpha - 1), n_gamma / 2, 0);
    let mut seen: Vec<(f64, usize)> = Vec::new();
    let mut eval = |i: usize, seen: &mut Vec<(f64, usize)>| -> f64 {
        if let Some(&(v, _)) = seen.iter().find(|(_, j)| *j == i) {
            return v;
        }
        let v = score(&grid[i], false);
        let v = if v.is_finite() { v } else { f64::NEG_INFINITY };
        seen.push((v, i));
        v
    };
    let mut best = f64::NEG_INFINITY;
    for bi in 0..n_beta {
        let v = eval(at(a, g, bi), &mut seen);
        if v > best {
            (best, b) = (v, bi);
        }
    }
    for ai in 0..n_alpha {
        let v = eval(at(ai, g, b), &mut seen);
        if v > best {
            (best, a) = (v, ai);
        }
    }
    for gi in 0..n_gamma {
        eval(at(a, gi, b), &mut seen);
    }
    seen.sort_by(|x, y| y.0.total_cmp(&x.0));
    let mut choice = (f64::NEG_INFINITY, seen.first().map_or(0, |s| s.1));
    for &(_, i) in seen.iter().take(2) {
        let v = score(&grid[i], true);
        if v > choice.0 {
            choice = (v, i);
        }
    }
    grid[choice.1].clone()
}
