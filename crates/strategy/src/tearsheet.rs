//! The HTML tear sheet of a strategy run (one self-contained file, via `af-report`).

use af_report::{BarChart, Cell, Heatmap, LineChart, Report, Table, XAxis};
use chrono::Datelike;

use crate::config::StrategyConfig;
use crate::StrategyResult;

fn equity(r: &[f64]) -> Vec<f64> {
    let mut w = 1.0;
    r.iter()
        .map(|x| {
            w *= 1.0 + x;
            w
        })
        .collect()
}

fn drawdowns(r: &[f64]) -> Vec<f64> {
    let (mut w, mut peak) = (1.0f64, 1.0f64);
    r.iter()
        .map(|x| {
            w *= 1.0 + x;
            peak = peak.max(w);
            w / peak - 1.0
        })
        .collect()
}

fn rolling_sharpe(r: &[f64], window: usize) -> Vec<f64> {
    (0..r.len())
        .map(|t| {
            if t + 1 < window {
                return f64::NAN;
            }
            let w = &r[t + 1 - window..=t];
            let m = w.iter().sum::<f64>() / window as f64;
            let sd = (w.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (window - 1) as f64).sqrt();
            if sd > 0.0 {
                m / sd * 252f64.sqrt()
            } else {
                f64::NAN
            }
        })
        .collect()
}

/// Render the tear sheet of `res`, made from `cfg`.
pub fn render(res: &StrategyResult, cfg: &StrategyConfig) -> String {
    let dates = XAxis::Dates(res.dates.clone());
    let mut page = Report::new(format!("Strategy tear sheet — {}", res.name));
    page.subtitle(format!(
        "{} assets × {} days, {} alphas; {} → {}",
        res.assets.len(),
        res.dates.len(),
        res.alpha_names.len(),
        res.dates
            .first()
            .map(|d| d.date().to_string())
            .unwrap_or_default(),
        res.dates
            .last()
            .map(|d| d.date().to_string())
            .unwrap_or_default()
    ));
    let mut metrics = Table::new(["metric", "value"]);
    for (k, v) in &res.report.metrics {
        metrics.push(vec![k.as_str().into(), Cell::Num(*v, 4)]);
    }
    let avg_turnover = res.turnover.iter().sum::<f64>() / res.turnover.len().max(1) as f64;
    metrics.push(vec![
        "average daily turnover".into(),
        Cell::Num(avg_turnover, 4),
    ]);
    metrics.push(vec!["hit rate".into(), Cell::Num(res.hit_rate, 4)]);
    if let Some((s, e, c)) = res.worst_window {
        metrics.push(vec![
            Cell::Text(format!(
                "worst 60 days ({} → {})",
                res.dates[s].date(),
                res.dates[e].date()
            )),
            Cell::Num(c, 4),
        ]);
    }
    page.heading(2, "Performance (net of costs; empyrical definitions)")
        .table(metrics);
    page.chart(
        LineChart::new("Equity: strategy vs equal-weight universe", dates.clone())
            .series("strategy", equity(&res.net))
            .series("benchmark", equity(&res.benchmark))
            .to_svg(),
    );
    page.chart(
        LineChart::new("Drawdown", dates.clone())
            .series("strategy", drawdowns(&res.net))
            .to_svg(),
    );
    page.chart(
        LineChart::new("Rolling Sharpe (63 days)", dates.clone())
            .series("strategy", rolling_sharpe(&res.net, 63))
            .to_svg(),
    );
    // Monthly returns heatmap: years × 12 months, drawn as a matrix.
    let mut months: Vec<(i32, u32, f64)> = Vec::new();
    for (d, x) in res.dates.iter().zip(&res.net) {
        match months.last_mut() {
            Some(m) if m.0 == d.year() && m.1 == d.month() => m.2 = (1.0 + m.2) * (1.0 + x) - 1.0,
            _ => months.push((d.year(), d.month(), *x)),
        }
    }
    let mut monthly =
        Table::new(std::iter::once("year".to_string()).chain((1..=12).map(|m| format!("{m:02}"))));
    let years: Vec<i32> = {
        let mut y: Vec<i32> = months.iter().map(|m| m.0).collect();
        y.dedup();
        y
    };
    for y in &years {
        let mut row = vec![Cell::Text(y.to_string())];
        for m in 1..=12 {
            let v = months
                .iter()
                .find(|x| x.0 == *y && x.1 == m)
                .map_or(f64::NAN, |x| x.2);
            row.push(Cell::Num(100.0 * v, 2));
        }
        monthly.push(row);
    }
    page.heading(2, "Monthly returns (%)").table(monthly);
    page.chart(
        LineChart::new("Exposure", dates.clone())
            .series("gross", res.exposure.iter().map(|e| e.0).collect())
            .series("net", res.exposure.iter().map(|e| e.1).collect())
            .series("risk multiplier", res.leverage.clone())
            .to_svg(),
    );
    // Average gross exposure per sector.
    let (ids, names) = &res.sectors;
    let n = res.dates.len();
    let mut sector_gross = vec![0.0; names.len()];
    for (a, &s) in ids.iter().enumerate() {
        sector_gross[s] += res.holdings[a * n..(a + 1) * n]
            .iter()
            .map(|h| h.abs())
            .sum::<f64>()
            / n as f64;
    }
    page.chart(
        BarChart::new("Average gross exposure by sector", names.clone())
            .series("gross", sector_gross)
            .to_svg(),
    );
    // Alpha weights over time: the ten alphas with the largest average weight.
    let k = res.alpha_names.len();
    let mut avg: Vec<(usize, f64)> = (0..k)
        .map(|i| {
            (
                i,
                res.alpha_weights.iter().map(|w| w[i].abs()).sum::<f64>() / n as f64,
            )
        })
        .collect();
    avg.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut chart = LineChart::new("Alpha weights (ten largest on average)", dates.clone());
    for (i, _) in avg.iter().take(10) {
        chart = chart.series(
            res.alpha_names[*i].clone(),
            res.alpha_weights.iter().map(|w| w[*i]).collect(),
        );
    }
    page.chart(chart.to_svg());
    let top: Vec<usize> = avg.iter().take(20).map(|x| x.0).collect();
    if top.len() >= 2 {
        let series: Vec<Vec<f64>> = top
            .iter()
            .map(|&i| res.alpha_weights.iter().map(|w| w[i]).collect())
            .collect();
        let mut corr = Vec::with_capacity(top.len() * top.len());
        for x in &series {
            for y in &series {
                corr.push(af_portfolio::stats::pearson(x, y));
            }
        }
        page.chart(
            Heatmap::new(
                "Correlation of alpha weights over time",
                top.iter().map(|&i| res.alpha_names[i].clone()).collect(),
                corr,
            )
            .to_svg(),
        );
    }
    crate::tearsheet_risk::risk_section(&mut page, res, cfg);
    crate::tearsheet_risk::stress_section(&mut page, res);
    crate::tearsheet_risk::kill_switch_section(&mut page, res, cfg);
    if !res.combination_failures.is_empty() {
        let mut f = Table::new([
            "day",
            "combination or construction failure (flat until next refit)",
        ]);
        for (d, why) in &res.combination_failures {
            f.push(vec![
                Cell::Text(res.dates[*d].date().to_string()),
                Cell::Text(why.clone()),
            ]);
        }
        page.heading(2, "Failures").table(f);
    }
    page.render()
}
