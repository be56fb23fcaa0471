//! One task: asset × spec × walk-forward window. Checks the data, fits on the training window,
//! forecasts every test day of the window with the fitted parameters held fixed, and returns the
//! rows to register. Every failure — bad data, a failed fit, a panic inside a model — becomes a
//! failed model row with its reason; it never stops the run.
//!
//! Window `w` (0-based) of a series of `n` returns with scheme (train, refit_every, test):
//!
//! ```text
//! test_start = n − test
//! origins    = [test_start + w·refit_every, min(test_start + (w+1)·refit_every, n))
//! train      = [origin_start − train, origin_start)   rolling
//!              [0, origin_start)                       expanding
//! ```
//!
//! At origin `t` the model has seen `y[..t]`; it forecasts the variance of `y_t + … + y_{t+h−1}`,
//! scored against the realized variance `Σ_{j=t}^{t+h−1} y_j²`, and the one-day VaR of `y_t`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use af_registry::{Failure, ForecastRow, ModelRow, TaskKey, TaskRecord, VarRow};

use crate::experiment::WindowKind;
use crate::fitter::{FitFailure, Fitter};
use crate::hash::derive_seed;
use crate::plan::{AssetSeries, Plan, TaskId};

/// Train and test index ranges of one window, or why the series cannot provide them.
fn window_ranges(
    plan: &Plan,
    series: &AssetSeries,
    window: usize,
) -> Result<(usize, usize, usize), FitFailure> {
    let wf = &plan.walk_forward;
    let n = series.y.len();
    if n < wf.train + wf.test {
        return Err(FitFailure::new(
            "insufficient_data",
            format!(
                "asset {}: {n} returns, walk_forward needs train {} + test {} = {}",
                series.name,
                wf.train,
                wf.test,
                wf.train + wf.test
            ),
        ));
    }
    let origin_start = n - wf.test + window * wf.refit_every;
    let origin_end = (origin_start + wf.refit_every).min(n);
    let train_start = match wf.window {
        WindowKind::Rolling => origin_start - wf.train,
        WindowKind::Expanding => 0,
    };
    Ok((train_start, origin_start, origin_end))
}

fn check_data(series: &AssetSeries, train: (usize, usize), end: usize) -> Result<(), FitFailure> {
    if let Some(i) = (train.0..end).find(|&i| !series.y[i].is_finite()) {
        let part = if i < train.1 { "training" } else { "test" };
        return Err(FitFailure::new(
            "missing_data",
            format!(
                "asset {}: missing return on {} (in the {part} window)",
                series.name, series.dates[i]
            ),
        ));
    }
    let y = &series.y[train.0..train.1];
    let first = y[0];
    if y.iter().all(|&v| v == first) {
        return Err(FitFailure::new(
            "constant_series",
            format!(
                "asset {}: all {} training returns from {} to {} equal {first}; a variance model needs variation",
                series.name,
                y.len(),
                series.dates[train.0],
                series.dates[train.1 - 1]
            ),
        ));
    }
    Ok(())
}

/// JSON object of parameter names and values in the model's order (non-finite → null).
fn params_json(params: &[(String, f64)]) -> String {
    let body: Vec<String> = params
        .iter()
        .map(|(k, v)| {
            let key = serde_json::Value::String(k.clone()).to_string();
            let val =
                serde_json::Number::from_f64(*v).map_or("null".to_string(), |n| n.to_string());
            format!("{key}:{val}")
        })
        .collect();
    format!("{{{}}}", body.join(","))
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Run one task; never fails (a failure is a failed row).
pub fn execute(plan: &Plan, fitter: &dyn Fitter, id: TaskId) -> TaskRecord {
    let series = &plan.assets[id.asset as usize];
    let spec = &plan.specs[id.spec as usize];
    let window = id.window as usize;
    let mut model = ModelRow {
        key: TaskKey {
            asset: series.name.clone(),
            spec_hash: spec.hash.clone(),
            window: id.window,
        },
        train_start: None,
        train_end: None,
        nobs: 0,
        failure: None,
        params_json: None,
        loglik: None,
        aic: None,
        bic: None,
        converged: None,
        warnings: None,
        fit_us: 0,
    };
    let mut record = TaskRecord {
        model: ModelRow { ..model.clone() },
        forecasts: Vec::new(),
        var: Vec::new(),
    };
    let fail = |mut m: ModelRow, f: FitFailure| TaskRecord {
        model: {
            m.failure = Some(Failure {
                kind: f.kind,
                message: f.message,
            });
            m
        },
        forecasts: Vec::new(),
        var: Vec::new(),
    };
    let (ts, os, oe) = match window_ranges(plan, series, window) {
        Ok(r) => r,
        Err(f) => return fail(model, f),
    };
    model.train_start = Some(series.dates[ts].clone());
    model.train_end = Some(series.dates[os - 1].clone());
    model.nobs = (os - ts) as u64;
    if let Err(f) = check_data(series, (ts, os), oe) {
        return fail(model, f);
    }
    let seed = derive_seed(plan.seed, &[&series.name, &spec.hash]);
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let fitted = fitter.fit(&spec.spec, &series.y[ts..os], seed)?;
        let fc = fitted.forecast(
            &series.y[ts..oe - 1],
            (os - ts)..(oe - ts),
            &plan.horizons,
            &plan.var_levels,
        )?;
        let warnings = fitted.warnings();
        let info = (
            fitted.params(),
            fitted.loglik(),
            fitted.aic(),
            fitted.bic(),
            fitted.converged(),
            warnings,
        );
        Ok::<_, FitFailure>((info, fc))
    }));
    model.fit_us = started.elapsed().as_micros() as u64;
    let ((params, loglik, aic, bic, converged, warnings), fc) = match outcome {
        Ok(Ok(v)) => v,
        Ok(Err(f)) => return fail(model, f),
        Err(p) => {
            let msg = format!(
                "asset {}, {}: the model panicked: {}",
                series.name,
                spec.spec,
                panic_text(p)
            );
            return fail(model, FitFailure::new("panic", msg));
        }
    };
    if fc.len() != oe - os {
        let msg = format!(
            "{}: {} forecast origins returned, {} asked",
            spec.spec,
            fc.len(),
            oe - os
        );
        return fail(model, FitFailure::new("forecast_failed", msg));
    }
    let n = series.y.len();
    for (k, f) in fc.iter().enumerate() {
        let t = os + k;
        let ok = f.variance.len() == plan.horizons.len()
            && f.value_at_risk.len() == plan.var_levels.len()
            && f.variance.iter().all(|v| v.is_finite() && *v >= 0.0)
            && f.value_at_risk.iter().all(|v| v.is_finite());
        if !ok {
            let msg = format!(
                "asset {}, {}: invalid forecast at {} (variance {:?}, VaR {:?})",
                series.name, spec.spec, series.dates[t], f.variance, f.value_at_risk
            );
            return fail(model, FitFailure::new("forecast_failed", msg));
        }
        for (&h, &v) in plan.horizons.iter().zip(&f.variance) {
            let realized = (t + h <= n)
                .then(|| series.y[t..t + h].iter().map(|r| r * r).sum::<f64>())
                .filter(|r| r.is_finite());
            record.forecasts.push(ForecastRow {
                date: series.dates[t].clone(),
                horizon: h as u32,
                window: id.window,
                forecast: v,
                realized,
            });
        }
        for (&level, &var) in plan.var_levels.iter().zip(&f.value_at_risk) {
            record.var.push(VarRow {
                date: series.dates[t].clone(),
                level,
                window: id.window,
                value_at_risk: var,
                realized_return: Some(series.y[t]),
            });
        }
    }
    model.params_json = Some(params_json(&params));
    model.loglik = Some(loglik).filter(|v| v.is_finite());
    model.aic = Some(aic).filter(|v| v.is_finite());
    model.bic = Some(bic).filter(|v| v.is_finite());
    model.converged = Some(converged);
    model.warnings = Some(serde_json::Value::from(warnings).to_string());
    record.model = model;
    record
}
