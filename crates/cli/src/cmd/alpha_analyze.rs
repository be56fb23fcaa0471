//! `alphafactory alpha analyze` — alphalens-grade factor analysis of many alphas over a panel:
//! IC and rank IC at several horizons with their statistics, quantile returns and spread,
//! turnover, the A2 validation gates, redundancy pruning, clustering; a table, JSON, or an HTML
//! tear sheet (`alpha_analyze_report`).
//!
//! Alphas come from expressions (`--expr name=source`), the library (`--library alpha101` or
//! `--library alpha101:7,tech:rsi14`) or a long file `date,asset,alpha,value` (`--alphas`, what
//! `alpha eval` writes). Forward returns come from the panel's `close`; liquidity from
//! `close × volume` when the panel has `volume`.

use std::path::PathBuf;

use af_alpha::analysis::{
    analyze_many, cluster_average, correlation_matrix, evaluate_gates, prune_redundant,
    AdvPercentiles, AnalysisConfig, FactorAnalysis, ForwardReturns, GateConfig, GateReport,
    IcEngine,
};
use af_core::Panel;
use anyhow::{Context, Result};
use clap::Args;

use super::alpha_inputs::collect_alphas;

/// Arguments of `alphafactory alpha analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Market data (CSV or Parquet, long or wide) with a `close` field (and `volume` for liquidity).
    #[arg(long)]
    pub panel: PathBuf,
    /// An alpha expression, `name=source` or just `source` (repeatable).
    #[arg(long)]
    pub expr: Vec<String>,
    /// Library alphas: `alpha101`, `tech`, or entries such as `alpha101:7,tech:rsi14`.
    #[arg(long)]
    pub library: Option<String>,
    /// Long file of alpha values with columns date, asset, alpha, value.
    #[arg(long)]
    pub alphas: Option<PathBuf>,
    /// Forward-return horizons in periods.
    #[arg(long, value_delimiter = ',', default_value = "1,5,10,20")]
    pub horizons: Vec<usize>,
    /// Equal-count buckets per date.
    #[arg(long, default_value_t = 5)]
    pub quantiles: usize,
    /// One-way trading cost in basis points, for the cost gate.
    #[arg(long, default_value_t = 10.0)]
    pub cost_bps: f64,
    /// Redundancy threshold: drop an alpha whose |correlation| with a better kept one exceeds it.
    #[arg(long, default_value_t = 0.8)]
    pub max_corr: f64,
    /// Clustering cut on the distance 1 − |correlation| (average linkage).
    #[arg(long, default_value_t = 0.5)]
    pub cluster_distance: f64,
    /// Trailing window (dates) of the average dollar volume used for liquidity.
    #[arg(long, default_value_t = 20)]
    pub adv_window: usize,
    /// Print JSON instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Write an HTML tear sheet to this file.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

/// Everything the table, the JSON and the tear sheet are made from.
pub struct Outcome {
    /// The panel's dates.
    pub dates: Vec<chrono::NaiveDateTime>,
    /// Panel shape `(dates, assets)`.
    pub shape: (usize, usize),
    /// Alpha names, in input order.
    pub names: Vec<String>,
    /// One analysis per alpha.
    pub results: Vec<FactorAnalysis>,
    /// `gates[alpha][horizon]`.
    pub gates: Vec<Vec<GateReport>>,
    /// Correlation of the alphas' daily long-short spreads at the first horizon (n × n).
    pub corr: Vec<f64>,
    /// Indices kept by redundancy pruning, best first.
    pub kept: Vec<usize>,
    /// Cluster label per alpha.
    pub clusters: Vec<usize>,
}

/// Run `alphafactory alpha analyze`.
pub fn run(args: &AnalyzeArgs) -> Result<()> {
    let panel = af_data::read_panel(&args.panel, &af_data::ReadOptions::default())
        .with_context(|| format!("reading the panel {}", args.panel.display()))?
        .panel;
    let alphas = collect_alphas(args, &panel)?;
    let outcome = analyse(args, &panel, alphas)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(args, &outcome))?
        );
    } else {
        print_table(args, &outcome);
    }
    if let Some(path) = &args.report {
        super::alpha_analyze_report::tear_sheet(args, &outcome)
            .write(path)
            .with_context(|| format!("writing the tear sheet {}", path.display()))?;
        if !args.json {
            println!("tear sheet written to {}", path.display());
        }
    }
    Ok(())
}

/// Runs the analysis, the gates, pruning and clustering.
pub fn analyse(
    args: &AnalyzeArgs,
    panel: &Panel,
    alphas: Vec<(String, Vec<f64>)>,
) -> Result<Outcome> {
    let (nd, na) = (panel.n_dates(), panel.n_assets());
    let close = panel
        .field("close")
        .context("the panel needs a `close` field for forward returns")?;
    let fwd = ForwardReturns::from_prices(close, nd, na, &args.horizons)?;
    let adv = match panel.field("volume") {
        Ok(volume) => Some(AdvPercentiles::new(close, volume, nd, na, args.adv_window)?),
        Err(_) => None,
    };
    let gate_cfg = GateConfig {
        cost_bps: args.cost_bps,
        ..GateConfig::default()
    };
    gate_cfg.validate()?;
    let cfg = AnalysisConfig {
        quantiles: args.quantiles,
        periods_per_year: panel.frequency().periods_per_year(),
    };
    let engine = IcEngine::new(&fwd);
    let inputs: Vec<(&str, &[f64])> = alphas
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let mut results = Vec::with_capacity(alphas.len());
    for r in analyze_many(&engine, &inputs, &cfg, adv.as_ref()) {
        results.push(r?);
    }
    let scales: Vec<f64> = (0..args.horizons.len())
        .map(|hi| fwd.cross_sectional_std(hi))
        .collect();
    let gates = results
        .iter()
        .map(|r| {
            r.horizons
                .iter()
                .zip(&scales)
                .map(|(h, &s)| evaluate_gates(h, s, r.liquidity, &gate_cfg))
                .collect()
        })
        .collect();
    let spreads: Vec<&[f64]> = results
        .iter()
        .map(|r| r.horizons[0].spread.as_slice())
        .collect();
    let corr = correlation_matrix(&spreads);
    let scores: Vec<f64> = results
        .iter()
        .map(|r| r.horizons[0].rank_ic_stats.icir)
        .collect();
    let kept = prune_redundant(&scores, &corr, args.max_corr)?;
    let clusters = cluster_average(&corr, results.len(), args.cluster_distance)?;
    Ok(Outcome {
        dates: panel.dates().to_vec(),
        shape: (nd, na),
        names: alphas.into_iter().map(|(n, _)| n).collect(),
        results,
        gates,
        corr,
        kept,
        clusters,
    })
}

fn gate_text(g: &GateReport) -> String {
    if g.pass {
        return "PASS".to_string();
    }
    let mut failed = Vec::new();
    if !g.pass_ic {
        failed.push("ic");
    }
    if !g.pass_t {
        failed.push("t");
    }
    if !g.pass_cost {
        failed.push("cost");
    }
    if g.pass_liquidity == Some(false) {
        failed.push("liq");
    }
    format!("fail:{}", failed.join(","))
}

fn print_table(args: &AnalyzeArgs, o: &Outcome) {
    let w = o
        .names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, 28);
    println!(
        "{:<w$} {:>4} {:>8} {:>8} {:>7} {:>7} {:>9} {:>9} {:>7} {:>6}  gates",
        "alpha", "h", "IC", "rankIC", "ICIR", "t", "p", "spread", "turn", "autoc"
    );
    for (i, name) in o.names.iter().enumerate() {
        let short: String = name.chars().take(w).collect();
        for (h, g) in o.results[i].horizons.iter().zip(&o.gates[i]) {
            let s = &h.rank_ic_stats;
            println!(
                "{:<w$} {:>4} {:>8.4} {:>8.4} {:>7.3} {:>7.2} {:>9.2e} {:>9.5} {:>7.3} {:>6.3}  {}",
                short,
                h.horizon,
                h.ic_stats.mean,
                s.mean,
                s.icir_annualized,
                s.t_stat,
                s.p_value,
                h.spread_mean,
                h.turnover,
                h.rank_autocorr_mean,
                gate_text(g)
            );
        }
    }
    let kept: Vec<&str> = o.kept.iter().map(|&k| o.names[k].as_str()).collect();
    println!(
        "\nICIR is annualized; gates at cost {} bps. Kept after pruning (|corr| > {}): {}",
        args.cost_bps,
        args.max_corr,
        kept.join(", ")
    );
    let n_clusters = o.clusters.iter().max().map_or(0, |m| m + 1);
    println!(
        "{} clusters at distance {} (1 − |corr|, average linkage)",
        n_clusters, args.cluster_distance
    );
}

fn to_json(args: &AnalyzeArgs, o: &Outcome) -> serde_json::Value {
    let alphas: Vec<serde_json::Value> = o
        .names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let r = &o.results[i];
            let horizons: Vec<serde_json::Value> = r
                .horizons
                .iter()
                .zip(&o.gates[i])
                .map(|(h, g)| {
                    serde_json::json!({
                        "horizon": h.horizon,
                        "ic": h.ic_stats,
                        "rank_ic": h.rank_ic_stats,
                        "quantile_mean": h.quantile_mean,
                        "quantile_mean_demeaned": h.quantile_mean_demeaned,
                        "spread_mean": h.spread_mean,
                        "turnover": h.turnover,
                        "turnover_by_quantile": h.turnover_by_quantile,
                        "rank_autocorrelation": h.rank_autocorr_mean,
                        "gates": g,
                    })
                })
                .collect();
            serde_json::json!({
                "name": name,
                "n_obs": r.n_obs,
                "bucketed_days": r.bucketed_days,
                "liquidity": r.liquidity,
                "cluster": o.clusters[i],
                "kept": o.kept.contains(&i),
                "horizons": horizons,
            })
        })
        .collect();
    serde_json::json!({
        "panel": args.panel.display().to_string(),
        "dates": o.shape.0,
        "assets": o.shape.1,
        "horizons": args.horizons,
        "quantiles": args.quantiles,
        "gate_config": GateConfig { cost_bps: args.cost_bps, ..GateConfig::default() },
        "max_corr": args.max_corr,
        "cluster_distance": args.cluster_distance,
        "kept": o.kept.iter().map(|&k| o.names[k].clone()).collect::<Vec<_>>(),
        "alphas": alphas,
    })
}
