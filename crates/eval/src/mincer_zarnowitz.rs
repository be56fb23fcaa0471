//! Mincer–Zarnowitz regression of realized values on forecasts (Mincer & Zarnowitz 1969,
//! "The evaluation of economic forecasts"):
//!
//! ```text
//! RV_t = a + b·F_t + e_t,      H0: a = 0 and b = 1 (the forecast is unbiased and efficient)
//! ```
//!
//! Ordinary least squares on the `n` pairs where neither value is NaN, with the classical
//! (homoskedastic) covariance `V = s²·(XᵀX)⁻¹`, `s² = Σe²/(n−2)`:
//!
//! ```text
//! b = Σ(F−F̄)(RV−R̄V) / Σ(F−F̄)²      a = R̄V − b·F̄
//! Var(b) = s²/Sff     Var(a) = s²·ΣF²/(n·Sff)     Cov(a, b) = −s²·F̄/Sff
//! d = (a, b − 1)      F = dᵀ V⁻¹ d / 2  ~ F(2, n−2)      Wald = dᵀ V⁻¹ d = 2F  ~ χ²(2)
//! ```
//!
//! `F` and its p-value are what statsmodels' `OLS(...).fit().f_test("const = 0, x1 = 1")` reports.
//!
//! Overlapping multi-step forecasts (horizon h > 1) have autocorrelated errors, for which the
//! classical covariance is too optimistic. [`MzCovariance::NeweyWest`] replaces it with the
//! Newey–West (1987, Econometrica 55) HAC sandwich, as statsmodels'
//! `fit(cov_type="HAC", cov_kwds={"maxlags": L})` computes it (Bartlett weights, no small-sample
//! correction), with `x_t = (1, F_t)` and `u_t` the OLS residual:
//!
//! ```text
//! H = (XᵀX)⁻¹      S = Σ_t u_t² x_t x_tᵀ + Σ_{l=1..L} (1 − l/(L+1)) Σ_t u_t u_{t−l} (x_t x_{t−l}ᵀ + x_{t−l} x_tᵀ)
//! V = H S H        (the F test keeps n − 2 denominator degrees of freedom)
//! ```
//!
//! A common choice is `L = h − 1` for h-step forecasts. Lags run over the pairs left after NaN
//! pairs are dropped.

use serde::{Deserialize, Serialize};

use crate::dist::{chi2_sf, f_sf};
use crate::error::EvalError;
use crate::losses::pairs;

/// Covariance estimator of the coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MzCovariance {
    /// s²·(XᵀX)⁻¹ (homoskedastic, uncorrelated errors).
    #[default]
    Classical,
    /// Newey–West HAC with Bartlett weights over `lags` lags.
    NeweyWest {
        /// Number of lags L.
        lags: usize,
    },
}

/// Result of a Mincer–Zarnowitz regression.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MincerZarnowitz {
    /// Covariance estimator used for the standard errors and tests.
    pub covariance: MzCovariance,
    /// Pairs used.
    pub n: usize,
    /// Intercept a.
    pub a: f64,
    /// Slope b.
    pub b: f64,
    /// Standard error of a.
    pub se_a: f64,
    /// Standard error of b.
    pub se_b: f64,
    /// Coefficient of determination R².
    pub r2: f64,
    /// F statistic of H0: a = 0, b = 1, with (2, n−2) degrees of freedom.
    pub f_stat: f64,
    /// P(F(2, n−2) > f_stat).
    pub f_pvalue: f64,
    /// Wald statistic 2·f_stat, asymptotically χ²(2).
    pub wald: f64,
    /// P(χ²(2) > wald).
    pub wald_pvalue: f64,
}

impl MincerZarnowitz {
    /// Regress `realized` on `forecast` (aligned slices, NaN pairs skipped), classical covariance.
    pub fn fit(forecast: &[f64], realized: &[f64]) -> Result<Self, EvalError> {
        MincerZarnowitz::fit_with(forecast, realized, MzCovariance::Classical)
    }

    /// Regress `realized` on `forecast` with the chosen covariance estimator.
    pub fn fit_with(
        forecast: &[f64],
        realized: &[f64],
        covariance: MzCovariance,
    ) -> Result<Self, EvalError> {
        let (p, _) = pairs(forecast, realized, "realized")?;
        let n = p.len();
        if n < 3 {
            return Err(EvalError::TooFewObservations {
                what: "Mincer–Zarnowitz regression",
                needed: 3,
                got: n,
            });
        }
        if let MzCovariance::NeweyWest { lags } = covariance {
            if lags >= n {
                return Err(EvalError::param(
                    "lags",
                    lags,
                    format!("must be smaller than the number of usable pairs ({n})"),
                ));
            }
        }
        let nf = n as f64;
        let fbar = p.iter().map(|q| q.0).sum::<f64>() / nf;
        let ybar = p.iter().map(|q| q.1).sum::<f64>() / nf;
        let (mut sff, mut sfy, mut syy, mut sf2) = (0.0, 0.0, 0.0, 0.0);
        for &(f, y) in &p {
            sff += (f - fbar) * (f - fbar);
            sfy += (f - fbar) * (y - ybar);
            syy += (y - ybar) * (y - ybar);
            sf2 += f * f;
        }
        if sff == 0.0 {
            return Err(EvalError::Singular {
                what: "Mincer–Zarnowitz regression",
                reason: "the forecast is constant, so the slope is not identified",
            });
        }
        let b = sfy / sff;
        let a = ybar - b * fbar;
        let u: Vec<f64> = p.iter().map(|&(f, y)| y - a - b * f).collect();
        let ssr: f64 = u.iter().map(|e| e * e).sum();
        if ssr == 0.0 {
            return Err(EvalError::Singular {
                what: "Mincer–Zarnowitz test",
                reason: "the residuals are all zero (a perfect linear fit), the test is undefined",
            });
        }
        // H = (XᵀX)⁻¹ = [[ΣF², −ΣF], [−ΣF, n]] / (n·Sff), stored as (h00, h01, h11).
        let h = [sf2 / (nf * sff), -fbar / sff, 1.0 / sff];
        let v = match covariance {
            MzCovariance::Classical => {
                let s2 = ssr / (nf - 2.0);
                [s2 * h[0], s2 * h[1], s2 * h[2]]
            }
            MzCovariance::NeweyWest { lags } => sandwich(h, newey_west_meat(&p, &u, lags)),
        };
        let [var_a, cov_ab, var_b] = v;
        // dᵀ V⁻¹ d with V = [[var_a, cov], [cov, var_b]] inverted in closed form.
        let det = var_a * var_b - cov_ab * cov_ab;
        let (d0, d1) = (a, b - 1.0);
        let wald = (d0 * d0 * var_b - 2.0 * d0 * d1 * cov_ab + d1 * d1 * var_a) / det;
        let f_stat = wald / 2.0;
        Ok(MincerZarnowitz {
            covariance,
            n,
            a,
            b,
            se_a: var_a.sqrt(),
            se_b: var_b.sqrt(),
            r2: if syy == 0.0 {
                f64::NAN
            } else {
                1.0 - ssr / syy
            },
            f_stat,
            f_pvalue: f_sf(f_stat, 2.0, nf - 2.0),
            wald,
            wald_pvalue: chi2_sf(wald, 2.0),
        })
    }
}

/// Newey–West S for x_t = (1, F_t) and residuals u_t, as (s00, s01, s11).
fn newey_west_meat(p: &[(f64, f64)], u: &[f64], lags: usize) -> [f64; 3] {
    // g_t = u_t·x_t = (u_t, u_t·F_t).
    let g: Vec<(f64, f64)> = p.iter().zip(u).map(|(&(f, _), &e)| (e, e * f)).collect();
    let cross = |l: usize| -> [f64; 4] {
        // Σ_t g_t g_{t−l}ᵀ as (00, 01, 10, 11).
        let mut m = [0.0; 4];
        for t in l..g.len() {
            let (x, y) = (g[t], g[t - l]);
            m[0] += x.0 * y.0;
            m[1] += x.0 * y.1;
            m[2] += x.1 * y.0;
            m[3] += x.1 * y.1;
        }
        m
    };
    let m0 = cross(0);
    let mut s = [m0[0], m0[1], m0[3]];
    for l in 1..=lags {
        let w = 1.0 - l as f64 / (lags as f64 + 1.0);
        let m = cross(l);
        // m + mᵀ: diagonal doubled, off-diagonal m01 + m10.
        s[0] += w * 2.0 * m[0];
        s[1] += w * (m[1] + m[2]);
        s[2] += w * 2.0 * m[3];
    }
    s
}

/// H·S·H for symmetric 2×2 matrices stored as (00, 01, 11).
fn sandwich(h: [f64; 3], s: [f64; 3]) -> [f64; 3] {
    let hm = [[h[0], h[1]], [h[1], h[2]]];
    let sm = [[s[0], s[1]], [s[1], s[2]]];
    let mut hs = [[0.0; 2]; 2];
    for i in 0..2 {
        for j in 0..2 {
            hs[i][j] = hm[i][0] * sm[0][j] + hm[i][1] * sm[1][j];
        }
    }
    let el = |i: usize, j: usize| hs[i][0] * hm[0][j] + hs[i][1] * hm[1][j];
    [el(0, 0), el(0, 1), el(1, 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        // F = [1, 2, 3, 4], RV = [1, 3, 2, 5]: F̄ = 2.5, R̄V = 2.75, Sff = 5,
        // Sfy = (-1.5)(-1.75) + (-0.5)(0.25) + (0.5)(-0.75) + (1.5)(2.25) = 5.5 → b = 1.1,
        // a = 2.75 − 2.75 = 0. Residuals: 1−1.1, 3−2.2, 2−3.3, 5−4.4 = [-0.1, 0.8, -1.3, 0.6],
        // SSR = 0.01 + 0.64 + 1.69 + 0.36 = 2.7, s² = 1.35; Syy = 8.75 → R² = 1 − 2.7/8.75.
        // Var(b) = 1.35/5 = 0.27; Var(a) = 1.35·30/20 = 2.025; Cov = −1.35·2.5/5 = −0.675.
        // d = (0, 0.1): Wald = 0.01·Var(a)/det, det = 2.025·0.27 − 0.675² = 0.091125.
        let mz = MincerZarnowitz::fit(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 2.0, 5.0]).unwrap();
        assert!((mz.b - 1.1).abs() < 1e-14);
        assert!(mz.a.abs() < 1e-14);
        assert!((mz.r2 - (1.0 - 2.7 / 8.75)).abs() < 1e-14);
        assert!((mz.se_b - 0.27f64.sqrt()).abs() < 1e-14);
        let wald = 0.01 * 2.025 / 0.091125;
        assert!((mz.wald - wald).abs() < 1e-12);
        // F(2, 2): sf(x) = 1/(1 + x).
        assert!((mz.f_pvalue - 1.0 / (1.0 + wald / 2.0)).abs() < 1e-12);
        assert!((mz.wald_pvalue - (-wald / 2.0).exp()).abs() < 1e-12);
    }

    #[test]
    fn newey_west_with_zero_lags_is_white() {
        // L = 0: S = Σ u_t² x_t x_tᵀ (White's HC0). Same data as above, u = [-0.1, 0.8, -1.3, 0.6]:
        // u² = [0.01, 0.64, 1.69, 0.36]; s00 = 2.7, s01 = Σu²F = 0.01 + 1.28 + 5.07 + 1.44 = 7.8,
        // s11 = Σu²F² = 0.01 + 2.56 + 15.21 + 5.76 = 23.54. H = [[30, −10], [−10, 4]]/20.
        // Var(b) = (H S H)₁₁ = (100·2.7 − 2·10·4·7.8 + 16·23.54)/400 = (270 − 624 + 376.64)/400.
        let mz = MincerZarnowitz::fit_with(
            &[1.0, 2.0, 3.0, 4.0],
            &[1.0, 3.0, 2.0, 5.0],
            MzCovariance::NeweyWest { lags: 0 },
        )
        .unwrap();
        assert!((mz.se_b - (22.64f64 / 400.0).sqrt()).abs() < 1e-13);
        assert!(MincerZarnowitz::fit_with(
            &[1.0, 2.0, 3.0],
            &[1.0, 3.0, 2.0],
            MzCovariance::NeweyWest { lags: 3 }
        )
        .is_err());
    }

    #[test]
    fn degenerate_designs_are_errors() {
        assert!(matches!(
            MincerZarnowitz::fit(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]),
            Err(EvalError::Singular { .. })
        ));
        assert!(matches!(
            MincerZarnowitz::fit(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]),
            Err(EvalError::Singular { .. })
        ));
        assert!(matches!(
            MincerZarnowitz::fit(&[1.0, 2.0, f64::NAN], &[1.0, 2.0, 3.0]),
            Err(EvalError::TooFewObservations { got: 2, .. })
        ));
    }
}
