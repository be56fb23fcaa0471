//! The factor tear sheet of `alphafactory alpha analyze --report`: a summary table with the
//! gates, then per alpha (the 12 best by |ICIR|) the daily rank IC with its 21-day mean, the IC
//! histogram, IC decay over horizons, bucket mean returns, the cumulative long-short spread and
//! turnover; and a correlation heatmap of the alphas with their clusters.

use af_report::{BarChart, Cell, Heatmap, Histogram, LineChart, Report, Table, XAxis};

use super::alpha_analyze::{AnalyzeArgs, Outcome};

/// Alphas given a full section (the rest appear in the tables and the heatmap).
const DETAILED: usize = 12;
/// Alphas shown in the heatmap.
const HEATMAP_MAX: usize = 60;

/// Builds the tear sheet.
pub fn tear_sheet(args: &AnalyzeArgs, o: &Outcome) -> Report {
    let mut page = Report::new("Factor tear sheet");
    page.subtitle(format!(
        "panel {} · {} dates × {} assets · horizons {:?} · {} buckets · cost {} bps · {} alphas",
        args.panel.display(),
        o.shape.0,
        o.shape.1,
        args.horizons,
        args.quantiles,
        args.cost_bps,
        o.names.len()
    ));
    page.heading(2, "Summary");
    page.table(summary_table(o));
    page.note(
        "IC: Pearson, rank IC: Spearman, per date against forward returns close[t+h]/close[t] − 1; \
         ICIR annualized by √(periods per year / h); t and p from a one-sample t-test of the daily rank IC \
         (overlapping for h > 1, so optimistic); spread: top minus bottom bucket mean return; turnover: \
         share of new names in the top and bottom buckets after h dates. Gates (PRODUCT A2): |rank IC| ≥ 0.02, \
         |t| ≥ 2, cost 2·turnover·cost/σ_h < 0.3·|IC|, liquidity (mean ADV percentile of traded names) > 0.7.",
    );
    let mut order: Vec<usize> = (0..o.names.len()).collect();
    let icir = |i: usize| {
        let v = o.results[i].horizons[0].rank_ic_stats.icir.abs();
        if v.is_finite() {
            v
        } else {
            -1.0
        }
    };
    order.sort_by(|&a, &b| icir(b).total_cmp(&icir(a)).then(a.cmp(&b)));
    for &i in order.iter().take(DETAILED) {
        alpha_section(&mut page, args, o, i);
    }
    if o.names.len() > DETAILED {
        page.note(format!(
            "{} more alphas appear in the tables only.",
            o.names.len() - DETAILED
        ));
    }
    if o.names.len() > 1 {
        correlation_section(&mut page, args, o, &order);
    }
    page
}

fn summary_table(o: &Outcome) -> Table {
    let mut t = Table::new([
        "alpha",
        "h",
        "IC",
        "rank IC",
        "ICIR (ann.)",
        "t",
        "p",
        "spread",
        "turnover",
        "rank autocorr",
        "IC",
        "t",
        "cost",
        "liquidity",
        "all gates",
    ]);
    for (i, name) in o.names.iter().enumerate() {
        for (h, g) in o.results[i].horizons.iter().zip(&o.gates[i]) {
            let s = &h.rank_ic_stats;
            t.push(vec![
                name.as_str().into(),
                Cell::Num(h.horizon as f64, 0),
                Cell::Num(h.ic_stats.mean, 4),
                Cell::Num(s.mean, 4),
                Cell::Num(s.icir_annualized, 2),
                Cell::Num(s.t_stat, 2),
                Cell::Text(if s.p_value.is_finite() {
                    format!("{:.2e}", s.p_value)
                } else {
                    "–".into()
                }),
                Cell::Num(h.spread_mean, 5),
                Cell::Num(h.turnover, 3),
                Cell::Num(h.rank_autocorr_mean, 3),
                Cell::Pass(Some(g.pass_ic)),
                Cell::Pass(Some(g.pass_t)),
                Cell::Pass(Some(g.pass_cost)),
                Cell::Pass(g.pass_liquidity),
                Cell::Pass(Some(g.pass)),
            ]);
        }
    }
    t
}

/// Trailing mean over `w` finite values ending at each date (`NaN` until `w` are seen).
fn rolling_mean(xs: &[f64], w: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; xs.len()];
    let mut window: std::collections::VecDeque<f64> = std::collections::VecDeque::new();
    let mut sum = 0.0;
    for (t, &x) in xs.iter().enumerate() {
        if x.is_finite() {
            window.push_back(x);
            sum += x;
            if window.len() > w {
                sum -= window.pop_front().unwrap_or(0.0);
            }
            if window.len() == w {
                out[t] = sum / w as f64;
            }
        }
    }
    out
}

/// Cumulative sum of the finite values; `NaN` (a gap in the line) where a value is missing.
fn cumulative(xs: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    xs.iter()
        .map(|&x| {
            if x.is_finite() {
                acc += x;
                acc
            } else {
                f64::NAN
            }
        })
        .collect()
}

fn alpha_section(page: &mut Report, args: &AnalyzeArgs, o: &Outcome, i: usize) {
    let r = &o.results[i];
    let h0 = &r.horizons[0];
    let name = &o.names[i];
    page.heading(2, name.as_str());
    page.paragraph(format!(
        "{} observations, {} dates with buckets, liquidity {}, cluster {}{}.",
        r.n_obs,
        r.bucketed_days,
        r.liquidity.map_or("n/a".to_string(), |l| format!("{l:.3}")),
        o.clusters[i],
        if o.kept.contains(&i) {
            ""
        } else {
            ", pruned as redundant"
        },
    ));
    let dates = XAxis::Dates(o.dates.clone());
    page.chart(
        LineChart::new(
            format!("{name}: daily rank IC, h = {}", h0.horizon),
            dates.clone(),
        )
        .series("rank IC", h0.rank_ic.clone())
        .series("21-date mean", rolling_mean(&h0.rank_ic, 21))
        .y_label("rank IC")
        .to_svg(),
    );
    page.chart(
        Histogram::new(
            format!("{name}: distribution of daily rank IC, h = {}", h0.horizon),
            h0.rank_ic.clone(),
            40,
        )
        .x_label("rank IC")
        .to_svg(),
    );
    let labels: Vec<String> = r
        .horizons
        .iter()
        .map(|h| format!("h = {}", h.horizon))
        .collect();
    page.chart(
        BarChart::new(format!("{name}: IC decay over horizons"), labels)
            .series(
                "rank IC",
                r.horizons.iter().map(|h| h.rank_ic_stats.mean).collect(),
            )
            .series("IC", r.horizons.iter().map(|h| h.ic_stats.mean).collect())
            .y_label("mean IC")
            .to_svg(),
    );
    let buckets: Vec<String> = (1..=args.quantiles).map(|q| format!("Q{q}")).collect();
    let mut bars = BarChart::new(
        format!("{name}: mean forward return by bucket (demeaned)"),
        buckets,
    )
    .y_label("return");
    for h in &r.horizons {
        bars = bars.series(
            format!("h = {}", h.horizon),
            h.quantile_mean_demeaned.clone(),
        );
    }
    page.chart(bars.to_svg());
    page.chart(
        LineChart::new(
            format!(
                "{name}: cumulative top-minus-bottom spread, h = {}",
                h0.horizon
            ),
            dates.clone(),
        )
        .series("Σ spread", cumulative(&h0.spread))
        .y_label("cumulative return")
        .to_svg(),
    );
    page.chart(
        LineChart::new(
            format!(
                "{name}: turnover and rank autocorrelation, period {}",
                h0.horizon
            ),
            dates,
        )
        .series("top bucket turnover", rolling_mean(&h0.turnover_top, 5))
        .series(
            "bottom bucket turnover",
            rolling_mean(&h0.turnover_bottom, 5),
        )
        .series("rank autocorrelation", rolling_mean(&h0.rank_autocorr, 5))
        .y_label("share (5-date mean)")
        .height(280.0)
        .to_svg(),
    );
}

fn correlation_section(page: &mut Report, args: &AnalyzeArgs, o: &Outcome, order: &[usize]) {
    let n = o.names.len();
    page.heading(2, "Correlation of the alphas");
    page.paragraph(format!(
        "Correlation of the daily long-short spreads at h = {}. Pruning keeps alphas by |ICIR| and drops one \
         whose |correlation| with a kept alpha exceeds {}: {} of {} kept. Clusters: average linkage on \
         1 − |correlation|, cut at {}.",
        args.horizons[0],
        args.max_corr,
        o.kept.len(),
        n,
        args.cluster_distance
    ));
    let mut shown: Vec<usize> = order.iter().copied().take(HEATMAP_MAX).collect();
    shown.sort_by_key(|&i| (o.clusters[i], i));
    let labels: Vec<String> = shown.iter().map(|&i| o.names[i].clone()).collect();
    let mut values = Vec::with_capacity(shown.len() * shown.len());
    for &a in &shown {
        for &b in &shown {
            values.push(o.corr[a * n + b]);
        }
    }
    page.chart(Heatmap::new("Alpha correlation (ordered by cluster)", labels, values).to_svg());
    let mut t = Table::new(["cluster", "alphas", "kept"]);
    let n_clusters = o.clusters.iter().max().map_or(0, |m| m + 1);
    for c in 0..n_clusters {
        let members: Vec<usize> = (0..n).filter(|&i| o.clusters[i] == c).collect();
        let names: Vec<&str> = members.iter().map(|&i| o.names[i].as_str()).collect();
        let kept: Vec<&str> = members
            .iter()
            .filter(|i| o.kept.contains(i))
            .map(|&i| o.names[i].as_str())
            .collect();
        t.push(vec![
            Cell::Num(c as f64, 0),
            names.join(", ").into(),
            kept.join(", ").into(),
        ]);
    }
    page.table(t);
}

#[cfg(test)]
mod tests {
    use super::{cumulative, rolling_mean};

    #[test]
    fn rolling_and_cumulative_skip_gaps() {
        let r = rolling_mean(&[1.0, f64::NAN, 3.0, 5.0], 2);
        assert!(r[0].is_nan() && r[1].is_nan());
        assert_eq!((r[2], r[3]), (2.0, 4.0));
        let c = cumulative(&[f64::NAN, 1.0, f64::NAN, 2.0]);
        assert!(c[0].is_nan() && c[2].is_nan());
        assert_eq!((c[1], c[3]), (1.0, 3.0));
    }
}
