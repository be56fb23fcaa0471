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
//! Overlapping multi-step forecasts have autocorrelated errors, for which this covariance is too
//! optimistic; read the p-value as descriptive there.

use serde::{Deserialize, Serialize};

use crate::dist::{chi2_sf, f_sf};
use crate::error::EvalError;
use crate::losses::pairs;

/// Result of a Mincer–Zarnowitz regression.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MincerZarnowitz {
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
    /// Regress `realized` on `forecast` (aligned slices, NaN pairs skipped).
    pub fn fit(forecast: &[f64], realized: &[f64]) -> Result<Self, EvalError> {
        let (p, _) = pairs(forecast, realized, "realized")?;
        let n = p.len();
        if n < 3 {
            return Err(EvalError::TooFewObservations {
                what: "Mincer–Zarnowitz regression",
                needed: 3,
                got: n,
            });
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
        let ssr: f64 = p
            .iter()
            .map(|&(f, y)| {
                let e = y - a - b * f;
                e * e
            })
            .sum();
        let s2 = ssr / (nf - 2.0);
        if s2 == 0.0 {
            return Err(EvalError::Singular {
                what: "Mincer–Zarnowitz test",
                reason: "the residuals are all zero (a perfect linear fit), the test is undefined",
            });
        }
        let var_a = s2 * sf2 / (nf * sff);
        let var_b = s2 / sff;
        let cov_ab = -s2 * fbar / sff;
        // dᵀ V⁻¹ d with V = [[var_a, cov], [cov, var_b]] inverted in closed form.
        let det = var_a * var_b - cov_ab * cov_ab;
        let (d0, d1) = (a, b - 1.0);
        let wald = (d0 * d0 * var_b - 2.0 * d0 * d1 * cov_ab + d1 * d1 * var_a) / det;
        let f_stat = wald / 2.0;
        Ok(MincerZarnowitz {
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
