//! Test doubles and helpers shared by the factory's integration tests.
//!
//! `EwmaFitter` is a small but real variance model (RiskMetrics EWMA, J.P. Morgan 1996, with the
//! decay λ chosen by Gaussian maximum likelihood on a grid), so the engine can be tested
//! independently of the GARCH engine:
//!
//! ```text
//! σ²_0 = sample variance of the training residuals,  σ²_{t+1} = λ σ²_t + (1 − λ) (y_t − μ)²
//! ```
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::ops::Range;
use std::path::Path;
use std::time::Duration;

use af_core::{Frequency, Panel};
use af_factory::{FitFailure, Fitted, Fitter, ModelSpec, OriginForecast};
use af_vol::spec::MeanSpec;
use chrono::NaiveDate;

/// EWMA fitter; `delay` slows every fit down (for the kill test).
#[derive(Debug, Clone, Default)]
pub struct EwmaFitter {
    pub delay: Duration,
}

struct EwmaFit {
    mu: f64,
    lambda: f64,
    sigma2_0: f64,
    loglik: f64,
    nobs: usize,
}

fn filter(y: &[f64], mu: f64, lambda: f64, s0: f64) -> (Vec<f64>, f64) {
    let mut s = s0;
    let mut ll = 0.0;
    let mut path = Vec::with_capacity(y.len() + 1);
    for &v in y {
        path.push(s);
        let e = v - mu;
        ll += -0.5 * ((2.0 * std::f64::consts::PI).ln() + s.ln() + e * e / s);
        s = lambda * s + (1.0 - lambda) * e * e;
    }
    path.push(s);
    (path, ll)
}

/// Acklam's rational approximation of the standard normal quantile (|error| < 1.15e-9).
#[allow(clippy::excessive_precision)]
pub fn norm_ppf(p: f64) -> f64 {
    let a = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383577518672690e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    let b = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    let c = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    let d = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let pl = 0.02425;
    if p < pl {
        let q = (-2.0 * p.ln()).sqrt();
        (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0)
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0)
    }
}

impl Fitter for EwmaFitter {
    fn fit(
        &self,
        spec: &ModelSpec,
        train: &[f64],
        _seed: u64,
    ) -> Result<Box<dyn Fitted>, FitFailure> {
        std::thread::sleep(self.delay);
        if train.contains(&4242.0) {
            panic!("test double: poisoned value");
        }
        let ModelSpec::Garch(g) = spec;
        let n = train.len() as f64;
        let mu = match g.mean {
            MeanSpec::Zero => 0.0,
            _ => train.iter().sum::<f64>() / n,
        };
        let s0 = train.iter().map(|v| (v - mu) * (v - mu)).sum::<f64>() / n;
        if !(s0.is_finite() && s0 > 0.0) {
            return Err(FitFailure::new(
                "fit_failed",
                format!("sample variance {s0} is not positive and finite"),
            ));
        }
        let mut best = (f64::NEG_INFINITY, f64::NAN);
        for k in 80..100 {
            let lambda = k as f64 / 100.0;
            let (_, ll) = filter(train, mu, lambda, s0);
            if ll > best.0 {
                best = (ll, lambda);
            }
        }
        if !best.0.is_finite() {
            return Err(FitFailure::new(
                "fit_failed",
                "log-likelihood is not finite for any decay",
            ));
        }
        Ok(Box::new(EwmaFit {
            mu,
            lambda: best.1,
            sigma2_0: s0,
            loglik: best.0,
            nobs: train.len(),
        }))
    }
}

impl Fitted for EwmaFit {
    fn params(&self) -> Vec<(String, f64)> {
        vec![("mu".into(), self.mu), ("lambda".into(), self.lambda)]
    }
    fn loglik(&self) -> f64 {
        self.loglik
    }
    fn aic(&self) -> f64 {
        -2.0 * self.loglik + 4.0
    }
    fn bic(&self) -> f64 {
        -2.0 * self.loglik + 2.0 * (self.nobs as f64).ln()
    }
    fn converged(&self) -> bool {
        true
    }
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }
    fn forecast(
        &self,
        y: &[f64],
        origins: Range<usize>,
        horizons: &[usize],
        levels: &[f64],
    ) -> Result<Vec<OriginForecast>, FitFailure> {
        let (path, _) = filter(y, self.mu, self.lambda, self.sigma2_0);
        Ok(origins
            .map(|t| {
                let s = path[t];
                OriginForecast {
                    variance: horizons.iter().map(|&h| h as f64 * s).collect(),
                    value_at_risk: levels
                        .iter()
                        .map(|&a| -(self.mu + s.sqrt() * norm_ppf(a)))
                        .collect(),
                }
            })
            .collect())
    }
}

/// A daily panel with a `returns` field from explicit series.
pub fn panel_of(series: &[(&str, Vec<f64>)]) -> Panel {
    let n = series[0].1.len();
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let dates = (0..n)
        .map(|i| {
            (start + chrono::Days::new(i as u64))
                .and_hms_opt(0, 0, 0)
                .unwrap()
        })
        .collect();
    let names = series.iter().map(|(a, _)| a.to_string()).collect();
    let mut p = Panel::new(dates, names, Frequency::default()).unwrap();
    let mut values = Vec::with_capacity(n * series.len());
    for (_, s) in series {
        assert_eq!(s.len(), n);
        values.extend_from_slice(s);
    }
    p.insert_field("returns", values).unwrap();
    p
}

/// A deterministic pseudo-random series with volatility clustering (no external RNG).
pub fn noise(seed: u64, n: usize) -> Vec<f64> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut s = 1.0f64;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = ((x >> 11) as f64 / (1u64 << 53) as f64) - 0.5;
            s = 0.9 * s + 0.1 * (1.0 + 10.0 * u * u);
            u * 0.03 * s
        })
        .collect()
}

/// Experiment YAML over a synthetic universe.
pub fn synthetic_yaml(assets: usize, registry: &Path) -> String {
    format!(
        "name: test-grid\nseed: 7\nuniverse: {{ synthetic: {{ assets: {assets}, days: 320, seed: 3 }} }}\n\
         targets: {{ realized_variance: {{ horizons: [1, 5] }} }}\n\
         models:\n  - garch: {{ vol: [garch, gjr], dist: [normal], mean: [constant, zero] }}\n\
         walk_forward: {{ train: 200, refit_every: 20, test: 60 }}\n\
         outputs: {{ registry: {} }}\n",
        registry.display()
    )
}
