//! One fitted series and its renderings: the JSON object of `garch fit --json` (also one line of
//! `fit-many --output x.jsonl`) and the human summary.

use af_vol::spec::{DistKind, GarchSpec, VolKind};
use af_vol::{fit, FitOptions, FitResult, ForecastMethod, ForecastOptions};
use anyhow::Result;
use indexmap::IndexMap;
use serde::Serialize;

use super::ModelArgs;

/// Paths of simulated forecasts (EGARCH / TARCH beyond one step).
const SIMULATION_PATHS: usize = 10_000;

/// A fit with the forecasts and tail risk the CLI reports.
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The engine's result.
    pub result: FitResult,
    /// Variance forecasts for h = 1..H.
    pub variance: Vec<f64>,
    /// One-step VaR at each requested level (positive loss).
    pub var: Vec<f64>,
    /// One-step ES at each requested level (positive loss).
    pub es: Vec<f64>,
}

/// Whether the engine forecasts this process in closed form beyond one step (arch's rule:
/// GARCH and GJR in σ²; EGARCH and TARCH only by simulation).
fn analytic_multi_step(spec: &GarchSpec) -> bool {
    matches!(spec.vol, VolKind::Garch | VolKind::Gjr)
}

/// The forecast method: analytic where it exists, else seeded simulation.
pub fn forecast_options(spec: &GarchSpec, model: &ModelArgs) -> ForecastOptions {
    if model.horizon > 1 && !analytic_multi_step(spec) {
        ForecastOptions {
            method: ForecastMethod::Simulation {
                paths: SIMULATION_PATHS,
                seed: model.seed,
            },
        }
    } else {
        ForecastOptions::default()
    }
}

/// Fits `y`, then forecasts and computes VaR / ES as the flags ask.
pub fn fit_series(y: &[f64], spec: &GarchSpec, model: &ModelArgs) -> Result<Fitted> {
    let opts = FitOptions {
        cov: model.cov_type(),
        ..FitOptions::default()
    };
    let result = fit(y, spec, &opts)?;
    // One filter pass for the forecasts, VaR and ES together.
    let report = result.forecast_and_risk(
        model.horizon,
        &forecast_options(spec, model),
        &model.var_levels,
    )?;
    Ok(Fitted {
        result,
        variance: report.variance.into_iter().map(|v| v.0).collect(),
        var: report.var,
        es: report.es,
    })
}

/// The variance forecasts.
#[derive(Debug, Serialize)]
pub struct ForecastJson<'a> {
    /// σ²_{T+h|T} for h = 1..H.
    pub variance: &'a [f64],
}

/// The JSON object of one fit; field order is the documented contract.
#[derive(Debug, Serialize)]
pub struct FitJson<'a> {
    /// Series name (only in `fit-many` output).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<&'a str>,
    /// The model.
    pub spec: &'a GarchSpec,
    /// Observations used by the likelihood.
    pub nobs: usize,
    /// Estimates, arch's names and order.
    pub params: &'a IndexMap<String, f64>,
    /// Standard errors (robust or classic per `--cov`).
    pub std_err: &'a IndexMap<String, f64>,
    /// Maximized log-likelihood.
    pub loglikelihood: f64,
    /// −2ℓ + 2k.
    pub aic: f64,
    /// −2ℓ + k ln n.
    pub bic: f64,
    /// Whether the optimizer reported convergence.
    pub converged: bool,
    /// Non-fatal numerical warnings.
    pub warnings: Vec<String>,
    /// Variance forecasts.
    pub forecast: ForecastJson<'a>,
    /// One-step VaR by level.
    pub var: IndexMap<String, f64>,
    /// One-step ES by level.
    pub es: IndexMap<String, f64>,
}

/// A series `fit-many` could not fit.
#[derive(Debug, Serialize)]
pub struct ErrorJson<'a> {
    /// Series name.
    pub series: &'a str,
    /// Why it could not be fitted.
    pub error: &'a str,
}

/// The key of a level: `0.01`, `0.05`, `0.1` (shortest round-trip form).
pub fn level_key(level: f64) -> String {
    format!("{level}")
}

/// The warnings as strings.
pub fn warning_texts(result: &FitResult) -> Vec<String> {
    result.warnings.iter().map(|w| w.to_string()).collect()
}

/// The JSON view of a fit.
pub fn fit_json<'a>(fitted: &'a Fitted, model: &ModelArgs) -> FitJson<'a> {
    let r = &fitted.result;
    let by_level = |values: &[f64]| -> IndexMap<String, f64> {
        model
            .var_levels
            .iter()
            .zip(values)
            .map(|(l, v)| (level_key(*l), *v))
            .collect()
    };
    FitJson {
        series: None,
        spec: &r.spec,
        nobs: r.nobs,
        params: &r.params,
        std_err: &r.std_err,
        loglikelihood: r.loglikelihood,
        aic: r.aic,
        bic: r.bic,
        converged: r.converged,
        warnings: warning_texts(r),
        forecast: ForecastJson {
            variance: &fitted.variance,
        },
        var: by_level(&fitted.var),
        es: by_level(&fitted.es),
    }
}

fn dist_name(dist: DistKind) -> &'static str {
    match dist {
        DistKind::Normal => "normal",
        DistKind::StudentsT => "Student's t",
        DistKind::SkewStudent => "Hansen's skewed t",
        DistKind::Ged => "generalized error",
    }
}

/// The engine's summary table followed by the forecasts and the tail risk.
pub fn summary_text(fitted: &Fitted, column: &str, model: &ModelArgs) -> String {
    let r = &fitted.result;
    let mut out = format!("Series: {column}\n");
    out.push_str(&r.summary());
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("\nVariance forecast (sigma^2), h = 1..H:\n");
    for (h, v) in fitted.variance.iter().enumerate() {
        out.push_str(&format!(
            "  h={:<4} {v:>14.6}   (volatility {:.6})\n",
            h + 1,
            v.sqrt()
        ));
    }
    out.push_str(&format!(
        "\nOne-step risk from the fitted {} distribution (positive = loss):\n",
        dist_name(r.spec.dist)
    ));
    out.push_str(&format!("  {:>8} {:>14} {:>14}\n", "level", "VaR", "ES"));
    for ((l, v), e) in model.var_levels.iter().zip(&fitted.var).zip(&fitted.es) {
        out.push_str(&format!("  {:>8} {v:>14.6} {e:>14.6}\n", level_key(*l)));
    }
    out
}
