//! The run report: ONE self-contained HTML page (inline SVG, no script, no network) with what a
//! quant looks at after a run — the leaderboards, forecast vs realized volatility of chosen assets
//! (best model vs the GARCH(1,1) baseline), loss distributions per model, VaR breaches over time,
//! ensemble weights, selection counts, failures with their reasons and the run's metadata.

use std::path::{Path, PathBuf};

use af_registry::Registry;
use af_report::{BarChart, Cell, Histogram, LineChart, Report, Table, XAxis};

use crate::board::Board;
use crate::error::{BoardError, Result};
use crate::leaderboard::Leaderboard;
use crate::metric::{GroupBy, Metric};
use crate::report_sections::{asset_detail, meta, plot_horizon, quantile, short};

/// What goes into the report.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Assets plotted in detail (default: the first three of the run).
    pub assets: Vec<String>,
    /// Failed models listed with their reasons.
    pub max_failures: usize,
}

/// Compute the board of run `run_id` and write its report to `out`; returns the board.
pub fn write_report(
    reg: &Registry,
    run_id: i64,
    out: &Path,
    opts: &ReportOptions,
) -> Result<Board> {
    let mut assets = opts.assets.clone();
    if assets.is_empty() {
        assets = crate::load::RunIndex::open(reg, run_id)?
            .assets
            .into_iter()
            .take(3)
            .collect();
    }
    let board = Board::compute(reg, run_id, &assets)?;
    let html = render(reg, &board, opts.max_failures.max(1))?;
    let io = |source| BoardError::Io {
        path: PathBuf::from(out),
        source,
    };
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    std::fs::write(out, html).map_err(io)?;
    Ok(board)
}

/// A number cell; magnitudes beyond 1e6 (a diverged forecast) in scientific notation.
fn num(x: Option<f64>, d: usize) -> Cell {
    match x {
        Some(v) if v.is_finite() && v.abs() >= 1e6 => Cell::Text(format!("{v:.3e}")),
        _ => Cell::Num(x.unwrap_or(f64::NAN), d),
    }
}

fn leaderboard_table(lb: &Leaderboard) -> Table {
    let mut t = Table::new([
        "rank", "model", "QLIKE", "MSE", "MAE", "MZ R²", "corr", "mean AIC", "wins",
    ]);
    for g in &lb.groups {
        for r in &g.rows {
            t.push(vec![
                r.rank.map_or("-".into(), |x| x.to_string()).into(),
                r.model.clone().into(),
                num(r.qlike, 4),
                num(r.mse, 3),
                num(r.mae, 3),
                num(r.mz_r2, 3),
                num(r.correlation, 3),
                num(r.aic, 1),
                r.wins.map_or("-".into(), |x| x.to_string()).into(),
            ]);
        }
    }
    t
}

/// Per-asset QLIKE values of `model` at horizon `h`, sorted.
fn qlikes(board: &Board, model: &str, h: u32) -> Vec<f64> {
    let mut q: Vec<f64> = board
        .rows
        .iter()
        .filter(|r| r.model == model && r.horizon == h)
        .filter_map(|r| r.qlike)
        .collect();
    q.sort_by(f64::total_cmp);
    q
}

/// Models × horizons matrix of mean QLIKE, and the median-QLIKE curves of the best variant,
/// the baseline and the best ensemble.
fn horizon_section(board: &Board, best: Option<&str>, page: &mut Report) {
    let by_h = board.leaderboard(GroupBy::Horizon, Metric::Qlike, None);
    let horizons = board.horizons();
    let models = board.models();
    let mut head = vec!["horizon".to_string()];
    head.extend(models.iter().map(|m| short(m)));
    head.push("winner".into());
    let mut t = Table::new(head);
    for g in &by_h.groups {
        let mut row: Vec<Cell> = vec![g.key.trim_start_matches("horizon ").to_string().into()];
        for m in &models {
            let r = g.rows.iter().find(|r| &r.model == m);
            row.push(num(r.and_then(|r| r.qlike), 4));
        }
        row.push(Cell::Text(g.winner.as_deref().map_or("-".into(), short)));
        t.push(row);
    }
    page.heading(3, "Mean QLIKE per horizon").table(t);
    let mut picks: Vec<String> = Vec::new();
    if let Some(b) = best {
        picks.push(b.to_string());
    }
    if let Some(base) = board.index.baseline() {
        picks.push(board.index.specs[base].label.clone());
    }
    let fam = board.leaderboard(GroupBy::Family, Metric::Qlike, None);
    if let Some(e) = fam
        .groups
        .first()
        .and_then(|g| g.rows.iter().find(|r| r.ensemble))
    {
        picks.push(e.model.clone());
    }
    let mut seen = Vec::new();
    picks.retain(|m| {
        let fresh = !seen.contains(m);
        seen.push(m.clone());
        fresh
    });
    let x = horizons.iter().map(|&h| f64::from(h)).collect();
    let mut chart = LineChart::new("Median QLIKE across assets by horizon", XAxis::Values(x))
        .y_label("median QLIKE");
    for m in &picks {
        let v = horizons
            .iter()
            .map(|&h| quantile(&qlikes(board, m, h), 0.5))
            .collect();
        chart = chart.series(short(m), v);
    }
    page.chart(chart.to_svg());
}

/// Quantiles of the per-asset QLIKE of every model, and histograms of the best and baseline.
fn loss_section(board: &Board, best: Option<&str>, page: &mut Report) {
    let horizons = board.horizons();
    let h = horizons.get(plot_horizon(&horizons)).copied().unwrap_or(1);
    page.heading(2, "Loss distributions across assets").note(format!(
        "Per-asset out-of-sample QLIKE at horizon {h}: the spread tells a model that is good everywhere from one that is good on average."
    ));
    let mut t = Table::new([
        "model", "assets", "p10", "p25", "median", "p75", "p90", "max",
    ]);
    for m in board.models() {
        let q = qlikes(board, &m, h);
        let mut row: Vec<Cell> = vec![m.clone().into(), Cell::Num(q.len() as f64, 0)];
        for lvl in [0.1, 0.25, 0.5, 0.75, 0.9, 1.0] {
            row.push(num(Some(quantile(&q, lvl)), 4));
        }
        t.push(row);
    }
    page.table(t);
    let mut shown: Vec<String> = best.map(str::to_string).into_iter().collect();
    if let Some(base) = board.index.baseline() {
        shown.push(board.index.specs[base].label.clone());
    }
    shown.dedup();
    for m in shown {
        let q = qlikes(board, &m, h);
        page.chart(
            Histogram::new(
                format!("QLIKE of {} across assets, horizon {h}", short(&m)),
                q,
                30,
            )
            .x_label("QLIKE")
            .to_svg(),
        );
    }
}

fn render(reg: &Registry, board: &Board, max_failures: usize) -> Result<String> {
    let run = &board.index.run;
    let family = board.leaderboard(GroupBy::Family, Metric::Qlike, None);
    let mut page = Report::new(format!("alphafactory run {} — {}", run.id, run.run.name));
    let hs: Vec<String> = family.horizons.iter().map(u32::to_string).collect();
    page.subtitle(format!(
        "{} assets × {} variants × horizons [{}]; out-of-sample, walk-forward",
        family.assets,
        family.specs,
        hs.join(", ")
    ));
    page.heading(2, "Leaderboard").note(
        "Means over assets and horizons of out-of-sample scores against realized variance; ranked by QLIKE (lower is better). Wins: (asset, horizon) pairs where the variant had the lowest QLIKE.",
    );
    page.table(leaderboard_table(&family));
    let best = family.groups.first().and_then(|g| g.winner.clone());
    horizon_section(board, best.as_deref(), &mut page);
    loss_section(board, best.as_deref(), &mut page);

    page.heading(2, "Assets in detail");
    for (data, sc) in &board.details {
        asset_detail(board, data, sc, &mut page);
    }

    page.heading(2, "VaR backtests");
    let mut vt = Table::new([
        "variant",
        "level",
        "assets",
        "days",
        "breaches",
        "breach rate",
        "Kupiec UC rejects",
        "Christoffersen IND rejects",
        "CC rejects",
    ]);
    for v in &family.var {
        vt.push(vec![
            v.model.clone().into(),
            Cell::Num(v.level, 2),
            Cell::Num(v.assets as f64, 0),
            Cell::Num(v.days as f64, 0),
            Cell::Num(v.breaches as f64, 0),
            Cell::Num(v.breach_rate, 4),
            Cell::Num(v.reject_uc as f64, 0),
            Cell::Num(v.reject_ind as f64, 0),
            Cell::Num(v.reject_cc as f64, 0),
        ]);
    }
    page.note("Rejections: assets whose test p-value is below 5%.")
        .table(vt);

    page.heading(2, "Ensembles and selection");
    page.chart(
        BarChart::new(
            "Mean AIC-ensemble weight per variant",
            family.selection.iter().map(|s| short(&s.model)).collect(),
        )
        .series(
            "weight",
            family.selection.iter().map(|s| s.mean_aic_weight).collect(),
        )
        .y_label("weight")
        .to_svg(),
    );
    let mut st = Table::new([
        "variant",
        "AIC wins (fits)",
        "BIC wins (fits)",
        "QLIKE wins (asset × horizon)",
        "mean AIC weight",
    ]);
    for s in &family.selection {
        st.push(vec![
            s.model.clone().into(),
            Cell::Num(s.aic_wins as f64, 0),
            Cell::Num(s.bic_wins as f64, 0),
            Cell::Num(s.qlike_wins as f64, 0),
            Cell::Num(s.mean_aic_weight, 3),
        ]);
    }
    page.table(st);

    page.heading(2, "Failures");
    let breakdown = reg.failure_breakdown(run.id)?;
    if breakdown.is_empty() {
        page.paragraph("No model failed.");
    } else {
        let mut bt = Table::new(["kind", "count", "example"]);
        for b in &breakdown {
            bt.push(vec![
                b.kind.clone().into(),
                Cell::Num(b.count as f64, 0),
                b.example.clone().into(),
            ]);
        }
        page.table(bt);
        let mut ft = Table::new(["asset", "variant", "window", "reason"]);
        let label = |h: &str| {
            board
                .index
                .specs
                .iter()
                .find(|s| s.hash == h)
                .map_or(h.to_string(), |s| s.label.clone())
        };
        for m in reg.failures(run.id)?.into_iter().take(max_failures) {
            let why = m
                .failure
                .map(|f| format!("{}: {}", f.kind, f.message))
                .unwrap_or_default();
            ft.push(vec![
                m.key.asset.into(),
                label(&m.key.spec_hash).into(),
                Cell::Num(f64::from(m.key.window), 0),
                why.into(),
            ]);
        }
        page.table(ft);
    }
    meta(reg, board, &mut page)?;
    Ok(page.render())
}
