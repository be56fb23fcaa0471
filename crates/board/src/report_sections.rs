//! Sections of the run report: run metadata and the per-asset plots (forecast vs realized
//! volatility, returns against VaR, AIC-ensemble weights per window).

use af_registry::Registry;
use af_report::{Cell, LineChart, Report, Table, XAxis};
use chrono::{NaiveDate, NaiveDateTime};

use crate::board::Board;
use crate::ensemble::Ensemble;
use crate::error::Result;
use crate::load::AssetData;
use crate::metric::{GroupBy, Metric};
use crate::score::AssetScores;

/// A model name without the `Constant-` mean prefix (charts, narrow tables).
pub(crate) fn short(model: &str) -> String {
    model.strip_prefix("Constant-").unwrap_or(model).to_string()
}

pub(crate) fn parse_dates(d: &[String]) -> XAxis {
    let parsed: Option<Vec<NaiveDateTime>> = d
        .iter()
        .map(|s| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                .ok()
                .or_else(|| {
                    NaiveDate::parse_from_str(s, "%Y-%m-%d")
                        .ok()
                        .and_then(|x| x.and_hms_opt(0, 0, 0))
                })
        })
        .collect();
    parsed.map_or_else(
        || XAxis::Values((0..d.len()).map(|i| i as f64).collect()),
        XAxis::Dates,
    )
}

pub(crate) fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// The horizon the plots use: 5 days when scored, else the shortest.
pub(crate) fn plot_horizon(h: &[u32]) -> usize {
    h.iter().position(|&x| x == 5).unwrap_or(0)
}

pub(crate) fn meta(reg: &Registry, board: &Board, page: &mut Report) -> Result<()> {
    let r = &board.index.run;
    let c = reg.counts(r.id)?;
    let tasks = c.ok + c.failed;
    let mut t = Table::new(["field", "value"]);
    let rows: Vec<(&str, String)> = vec![
        ("run", format!("{} ({})", r.id, r.status.as_str())),
        (
            "experiment",
            format!("{} — hash {}", r.run.name, r.run.experiment_hash),
        ),
        ("seed", r.run.seed.to_string()),
        ("code version", r.run.code_version.clone()),
        (
            "started / finished",
            format!(
                "{} / {}",
                r.run.started,
                r.finished.as_deref().unwrap_or("-")
            ),
        ),
        (
            "tasks",
            format!(
                "{tasks} of {} ({} ok, {} failed), {} forecasts",
                r.run.n_tasks, c.ok, c.failed, c.forecasts
            ),
        ),
        (
            "wall time",
            format!(
                "{:.1} s, {:.1} fits/s",
                r.elapsed_s,
                tasks as f64 / r.elapsed_s.max(1e-9)
            ),
        ),
    ];
    for (k, v) in rows {
        t.push(vec![k.into(), v.into()]);
    }
    page.heading(2, "Run").table(t);
    let mut ft = Table::new(["variant", "fits", "failed", "mean fit ms", "median fit ms"]);
    for (s, spec) in board.index.specs.iter().enumerate() {
        let mut us: Vec<f64> = Vec::new();
        let mut failed = 0usize;
        for a in &board.index.fits {
            for f in &a[s] {
                if f.failed {
                    failed += 1;
                } else {
                    us.push(f.fit_us as f64 / 1e3);
                }
            }
        }
        us.sort_by(f64::total_cmp);
        let mean = if us.is_empty() {
            f64::NAN
        } else {
            us.iter().sum::<f64>() / us.len() as f64
        };
        ft.push(vec![
            spec.label.clone().into(),
            (us.len() as f64).into(),
            Cell::Num(failed as f64, 0),
            Cell::Num(mean, 2),
            Cell::Num(quantile(&us, 0.5), 2),
        ]);
    }
    page.heading(3, "Fit times per variant").table(ft);
    if let Ok(serde_json::Value::Object(spec)) =
        serde_json::from_str::<serde_json::Value>(&r.run.spec_json)
    {
        let mut st = Table::new(["experiment key", "value"]);
        for (k, v) in spec {
            st.push(vec![k.into(), v.to_string().into()]);
        }
        page.heading(3, "Experiment").table(st);
    }
    Ok(())
}

pub(crate) fn asset_detail(board: &Board, data: &AssetData, sc: &AssetScores, page: &mut Report) {
    let hi = plot_horizon(&data.horizons);
    let Some(&h) = data.horizons.get(hi) else {
        return;
    };
    let lb = board.leaderboard(GroupBy::Asset, Metric::Qlike, None);
    let best = lb
        .groups
        .iter()
        .find(|g| g.key == data.asset)
        .and_then(|g| g.winner.clone());
    let vol = |v: &[f64]| {
        v.iter()
            .map(|x| (x / f64::from(h)).sqrt())
            .collect::<Vec<_>>()
    };
    let series_of = |model: &str| -> Option<Vec<f64>> {
        if let Some(s) = board.index.specs.iter().position(|s| s.label == model) {
            return Some(data.forecast[s][hi].clone());
        }
        let e = Ensemble::ALL.iter().position(|e| e.name() == model)?;
        sc.ensemble_forecasts.get(e)?.get(hi).cloned()
    };
    page.heading(
        3,
        format!("{} — {h}-day volatility forecast vs realized", data.asset),
    );
    let mut chart = LineChart::new(
        format!(
            "{}: daily volatility over the next {h} days (%)",
            data.asset
        ),
        parse_dates(&data.dates),
    )
    .series("realized", vol(&data.realized[hi]))
    .y_label("volatility, % per day");
    if let Some(b) = best.as_deref().and_then(|m| series_of(m).map(|s| (m, s))) {
        chart = chart.series(format!("best: {}", short(b.0)), vol(&b.1));
    }
    if let Some(base) = board.index.baseline() {
        chart = chart.series(
            format!("baseline: {}", short(&board.index.specs[base].label)),
            vol(&data.forecast[base][hi]),
        );
    }
    page.chart(chart.to_svg());
    // VaR of the best variant (or the first) against the returns.
    let spec = best
        .as_deref()
        .and_then(|m| board.index.specs.iter().position(|s| s.label == m))
        .or(board.index.baseline())
        .unwrap_or(0);
    if data.levels.is_empty() || data.var.get(spec).is_none() {
        return;
    }
    let mut vc = LineChart::new(
        format!(
            "{}: returns and −VaR of {}",
            data.asset, board.index.specs[spec].label
        ),
        parse_dates(&data.dates),
    )
    .series("return", data.returns.clone())
    .y_label("return, %");
    let mut breaches = Vec::new();
    for (li, &l) in data.levels.iter().enumerate() {
        let v = &data.var[spec][li];
        vc = vc.series(
            format!("−VaR {:.0}%", l * 100.0),
            v.iter().map(|x| -x).collect(),
        );
        let n = data
            .returns
            .iter()
            .zip(v)
            .filter(|(r, v)| r.is_finite() && v.is_finite() && **r < -**v)
            .count();
        breaches.push(format!("{n} breaches of the {:.0}% VaR", l * 100.0));
    }
    page.chart(vc.to_svg()).note(format!(
        "{} over {} days.",
        breaches.join(", "),
        data.dates.len()
    ));
    let mut wc = LineChart::new(
        format!("{}: AIC-ensemble weights per refit window", data.asset),
        XAxis::Values((0..board.index.n_windows).map(|w| w as f64).collect()),
    )
    .y_label("weight");
    let a = board
        .index
        .assets
        .iter()
        .position(|x| *x == data.asset)
        .unwrap_or(0);
    let ws: Vec<Option<Vec<f64>>> = (0..board.index.n_windows)
        .map(|w| crate::ensemble::aic_weights(&board.index.fits[a], w))
        .collect();
    for (s, spec) in board.index.specs.iter().enumerate() {
        wc = wc.series(
            short(&spec.label),
            ws.iter()
                .map(|w| w.as_ref().map_or(f64::NAN, |w| w[s]))
                .collect(),
        );
    }
    page.chart(wc.to_svg());
}
