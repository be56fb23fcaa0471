//! Upper-tail probabilities of the reference distributions of the test statistics (statrs).

use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor};

/// P(χ²(k) > x); 1 for x ≤ 0, NaN for a NaN statistic or a non-positive `k`.
pub(crate) fn chi2_sf(x: f64, k: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    match ChiSquared::new(k) {
        Ok(d) => d.sf(x),
        Err(_) => f64::NAN,
    }
}

/// P(F(d1, d2) > x); 1 for x ≤ 0, NaN for a NaN statistic or non-positive degrees of freedom.
pub(crate) fn f_sf(x: f64, d1: f64, d2: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    match FisherSnedecor::new(d1, d2) {
        Ok(d) => d.sf(x),
        Err(_) => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_quantiles() {
        // χ²(1) 95 % quantile 3.841458820694124, χ²(2): sf(x) = exp(−x/2) exactly.
        assert!((chi2_sf(3.841458820694124, 1.0) - 0.05).abs() < 1e-12);
        assert!((chi2_sf(3.0, 2.0) - (-1.5f64).exp()).abs() < 1e-14);
        assert_eq!(chi2_sf(0.0, 1.0), 1.0);
        // F(2, d2): sf(x) = (1 + 2x/d2)^(−d2/2) exactly.
        assert!((f_sf(1.7, 2.0, 10.0) - (1.0f64 + 0.34).powf(-5.0)).abs() < 1e-13);
        assert!(f_sf(f64::NAN, 2.0, 3.0).is_nan());
    }
}
